//! Per-client rate limits (tower_governor) on the two routes worth abusing: logins
//! (password guessing) and submissions (each one runs a simulated cluster).
//!
//! The client is the peer IP from `ConnectInfo`; requests without one (in-process tests)
//! share a single bucket. Behind a reverse proxy every client has the proxy's address, so
//! a deployment there should disable these limits and rate-limit at the proxy instead.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request};
use axum::response::IntoResponse;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;

use crate::error::Error;
use crate::state::AppState;

/// The peer's IP address, or `0.0.0.0` when the connection has none.
#[derive(Clone, Copy, Debug)]
pub struct PeerIp;

impl KeyExtractor for PeerIp {
    type Key = IpAddr;

    fn extract<T>(&self, request: &Request<T>) -> Result<IpAddr, GovernorError> {
        Ok(request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip()))
    }
}

/// Limits POSTs to `router`'s routes: `burst` at once, then one more every `period`; the
/// rejection is our Korean JSON 429.
pub fn limit_posts(router: Router<AppState>, burst: u32, period: Duration) -> Router<AppState> {
    let config = GovernorConfigBuilder::default()
        .key_extractor(PeerIp)
        .period(period)
        .burst_size(burst)
        .methods(vec![Method::POST])
        .finish();
    match config {
        Some(config) => router.layer(
            GovernorLayer::new(Arc::new(config))
                .error_handler(|_error| Error::TooManyRequests.into_response()),
        ),
        // `finish` refuses only a zero burst or period: then there is nothing to limit.
        None => router,
    }
}
