//! The HTTP application: one router per resource merged here, and the tower-http layers
//! applied once (sessions, CSRF, security headers, timeout, compression, tracing).

mod accounts;
mod grading;
mod health;
mod identity;
mod instructor;
mod lessons;
mod rate_limit;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use tower_http::compression::CompressionLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration as CookieDuration;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::db::SessionPool;
use crate::state::AppState;

/// The page policy: wasm needs `'wasm-unsafe-eval'`; xterm and CodeMirror inject styles, so
/// `style-src` allows inline styles (ecosystem.md §4.4). Scripts stay same-origin only.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Name of the session cookie.
const SESSION_COOKIE: &str = "netlab_session";

/// The whole application, ready to serve.
pub fn app(state: AppState) -> Router {
    let static_files = ServeDir::new(&state.config.static_dir)
        .precompressed_br()
        .precompressed_gzip();
    let secure = state.config.secure_cookies;
    let rate_limited = state.config.rate_limits;
    let sessions = state.db.sessions.clone();
    let router = Router::new()
        .merge(lessons::router())
        .merge(accounts::router(rate_limited))
        .merge(instructor::router())
        .merge(grading::router(rate_limited))
        .merge(health::router())
        .nest_service("/static", static_files)
        .with_state(state);
    let router = match sessions {
        SessionPool::Sqlite(pool) => router.layer(session_layer(SqliteStore::new(pool), secure)),
        SessionPool::Postgres(pool) => {
            router.layer(session_layer(PostgresStore::new(pool), secure))
        }
    };
    router
        .layer(CsrfLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                let request_id = request
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or_default();
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    uri = %request.uri(),
                    request_id
                )
            }),
        )
        // Outermost: every request gets an id first, so the trace span and the response
        // (`x-request-id`) carry it.
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
}

/// The request id header, set on the way in and echoed on the way out.
static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Sessions live in the database; the cookie is HttpOnly and SameSite=Lax (a link from
/// another site still opens the student's progress), renewed on activity for 30 days.
fn session_layer<S: SessionStore + Clone>(store: S, secure: bool) -> SessionManagerLayer<S> {
    SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(CookieDuration::days(30)))
}
