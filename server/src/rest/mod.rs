//! The REST API under `/api/v1`: thin handlers over the domain, errors as RFC 9457 problems.

mod problem;

use axum::Router;

pub use problem::Problem;

use crate::AppState;

/// The `/api/v1` routes. Anything unknown below it answers a problem+json 404, never a page.
pub fn router() -> Router<AppState> {
    Router::new().fallback(|| async { Problem::from(commerce::Error::not_found("endpoint")) })
}
