//! `GET /healthz`: the process is up and the database answers.

use axum::Router;
use axum::extract::State;
use axum::routing::get;

use crate::error::Result;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(health))
}

async fn health(State(state): State<AppState>) -> Result<&'static str> {
    sqlx::query("select 1")
        .execute(&state.db.pool)
        .await
        .map_err(anyhow::Error::from)?;
    Ok("ok\n")
}
