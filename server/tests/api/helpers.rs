//! `spawn_app()`: the application on a fresh database with the real course, and a client
//! that keeps the session cookie like a browser.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use server::config::Config;
use server::state::AppState;
use tower::ServiceExt;

static NEXT_ID: AtomicU32 = AtomicU32::new(0);

pub fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        let unique = format!(
            "netlab-{label}-{}-{}-{}",
            std::process::id(),
            NEXT_ID.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.subsec_nanos())
        );
        let path = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&path).expect("create a temporary directory");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    cookie: Mutex<Option<String>>,
    _dir: TempDir,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

/// Whether web assets exist in the test app's static directory.
pub enum Assets {
    Built,
    Missing,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Assets::Built).await
}

pub async fn spawn_app_with(assets: Assets) -> TestApp {
    let dir = TempDir::new("app");
    let static_dir = dir.0.join("dist");
    if let Assets::Built = assets {
        std::fs::create_dir_all(&static_dir).expect("create dist");
        std::fs::write(static_dir.join("app.js"), "console.log('netlab');\n")
            .expect("write app.js");
        std::fs::write(static_dir.join("app.css"), "body { margin: 0; }\n").expect("write app.css");
    }
    let mut config = Config::new(Some(database_url(&dir.0).await));
    config.content_dir = content_dir();
    config.static_dir = static_dir;
    let state = server::startup::build_state(config)
        .await
        .expect("the test application builds");
    TestApp {
        router: server::http::app(state.clone()),
        state,
        cookie: Mutex::new(None),
        _dir: dir,
    }
}

/// SQLite in the test's directory, or a new database on the PostgreSQL named by
/// `DATABASE_URL` (the CI leg that runs the same tests on PostgreSQL).
async fn database_url(dir: &Path) -> String {
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            let name = format!(
                "netlab_test_{}_{}",
                std::process::id(),
                NEXT_ID.fetch_add(1, Ordering::Relaxed)
            );
            let admin = sqlx::PgPool::connect(&url)
                .await
                .expect("connect to the PostgreSQL in DATABASE_URL");
            sqlx::query(&format!("create database {name}"))
                .execute(&admin)
                .await
                .expect("create a per-test database");
            admin.close().await;
            let (base, query) = match url.split_once('?') {
                Some((base, query)) => (base, format!("?{query}")),
                None => (url.as_str(), String::new()),
            };
            let server_part = match base.rfind('/') {
                Some(slash) if slash > "postgres://".len() => &base[..slash],
                _ => base,
            };
            format!("{server_part}/{name}{query}")
        }
        _ => format!("sqlite://{}?mode=rwc", dir.join("data/netlab.db").display()),
    }
}

impl TestApp {
    pub async fn get(&self, uri: &str) -> TestResponse {
        self.request(Method::GET, uri, Vec::new(), &[]).await
    }

    pub async fn submit(&self, exercise: &str, answer: impl Into<Vec<u8>>) -> TestResponse {
        self.request(
            Method::POST,
            &format!("/api/exercises/{exercise}/submissions"),
            answer.into(),
            &[(header::CONTENT_TYPE.as_str(), "application/yaml")],
        )
        .await
    }

    pub async fn request(
        &self,
        method: Method,
        uri: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut builder = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "127.0.0.1:8080");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let cookie = self.cookie.lock().expect("cookie lock").clone();
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        let request = builder.body(Body::from(body)).expect("a valid request");
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        if let Some(set_cookie) = headers.get(header::SET_COOKIE) {
            let pair = set_cookie
                .to_str()
                .expect("ASCII cookie")
                .split(';')
                .next()
                .unwrap_or_default()
                .to_owned();
            *self.cookie.lock().expect("cookie lock") = Some(pair);
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("read the body");
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// The same browser after a server restart: a new application on the same database.
    pub async fn restart(self) -> TestApp {
        let config = (*self.state.config).clone();
        let state = server::startup::build_state(config)
            .await
            .expect("the restarted application builds");
        let cookie = self.cookie.lock().expect("cookie lock").clone();
        TestApp {
            router: server::http::app(state.clone()),
            state,
            cookie: Mutex::new(cookie),
            _dir: self._dir,
        }
    }

    /// A second browser: same application and database, no cookie.
    pub fn new_browser(&self) -> TestApp {
        TestApp {
            router: self.router.clone(),
            state: self.state.clone(),
            cookie: Mutex::new(None),
            _dir: TempDir::new("browser"),
        }
    }

    pub async fn count_submissions(&self) -> i64 {
        self.state
            .db
            .count_submissions()
            .await
            .expect("count submissions")
    }
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
    }
}

pub const NS_BLUE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n";
pub const NS_BLEU: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bleu\n";
pub const NS_BROKEN: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [blue\n";
