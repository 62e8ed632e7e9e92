//! `/healthz` (the process answers) and `/readyz` (and can reach its database).

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;

use crate::AppState;

/// The process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// How long readiness waits for the database: less than a load balancer's usual check timeout.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// The database answers; 503 when it does not, so a load balancer stops sending traffic here.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(READY_TIMEOUT, state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(_)) | Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable"),
    }
}
