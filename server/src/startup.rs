//! Building and running the server: load the course, connect and migrate the database,
//! bind the listener (port 0 lets the OS choose) and serve until Ctrl-C / SIGTERM.

use anyhow::Context;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::content::Course;
use crate::db::Db;
use crate::state::AppState;

/// A bound, ready-to-run server.
pub struct Application {
    port: u16,
    listener: TcpListener,
    router: axum::Router,
}

impl Application {
    /// Everything that can fail at startup fails here: bad content, no database, port in use.
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let bind = config.bind;
        let watch = config.watch_content;
        let state = build_state(config).await?;
        if watch {
            tokio::spawn(crate::content::watch::reload_on_change(state.clone()));
        }
        tokio::spawn(delete_expired_sessions(state.db.sessions.clone()));
        tokio::spawn(
            state
                .db
                .clone()
                .checkpoint_continuously(std::time::Duration::from_secs(1)),
        );
        let listener = TcpListener::bind(bind)
            .await
            .with_context(|| format!("cannot listen on {bind}"))?;
        let port = listener.local_addr().context("local address")?.port();
        Ok(Application {
            port,
            listener,
            router: crate::http::app(state),
        })
    }

    /// The port actually bound (differs from the config when it asked for port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The address students open, e.g. `http://127.0.0.1:8080/`.
    pub fn url(&self) -> String {
        match self.listener.local_addr() {
            Ok(address) => format!("http://{address}/"),
            Err(_) => format!("http://127.0.0.1:{}/", self.port),
        }
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        // Connection info gives the rate limiter each client's address.
        let service = self
            .router
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("server error")
    }
}

/// Loads the course and connects the database: the state both the real server and the
/// in-process tests (`http::app(state)` with `oneshot`) run on.
pub async fn build_state(config: Config) -> anyhow::Result<AppState> {
    let content_dir = config.content_dir.clone();
    let course = tokio::task::spawn_blocking(move || Course::load(&content_dir))
        .await
        .context("content loading task failed")?
        .map_err(|errors| anyhow::anyhow!("the course has problems:\n{errors}"))?;
    let db = Db::connect(&config.database_url).await?;
    Ok(AppState::new(config, db, course))
}

/// Expired sessions are removed hourly; a failure is logged and ends only this task.
async fn delete_expired_sessions(sessions: crate::db::SessionPool) {
    use tower_sessions::ExpiredDeletion;
    let period = std::time::Duration::from_secs(3600);
    let result = match sessions {
        crate::db::SessionPool::Sqlite(pool) => {
            tower_sessions_sqlx_store::SqliteStore::new(pool)
                .continuously_delete_expired(period)
                .await
        }
        crate::db::SessionPool::Postgres(pool) => {
            tower_sessions_sqlx_store::PostgresStore::new(pool)
                .continuously_delete_expired(period)
                .await
        }
    };
    if let Err(error) = result {
        tracing::error!(%error, "deleting expired sessions failed");
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
