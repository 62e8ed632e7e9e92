//! The REST API under `/api/v1`: thin handlers over the domain, Bearer tokens from the OAuth 2.0
//! client-credentials grant, errors as RFC 9457 problems, cursor-paged lists, idempotent
//! creates, and an `OpenAPI` 3.1 document generated from the handlers themselves.

mod audit;
mod auth;
mod body;
mod dashboard;
mod docs;
mod idempotent;
pub mod list;
mod locations;
mod problem;
mod settings;
mod staff;
mod token;

use axum::Router;
use axum::routing::{get, post};

pub use auth::ApiActor;
pub use body::{JsonBody, QueryOf};
pub use docs::ApiDoc;
pub use problem::Problem;

use crate::AppState;

/// The `/api/v1` routes. Anything unknown below it answers a problem+json 404, never a page.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/oauth/token", post(token::issue))
        .route("/settings", get(settings::show))
        .route("/locations", get(locations::list).post(locations::create))
        .route("/staff", get(staff::list))
        .route("/audit", get(audit::list))
        .route("/dashboard", get(dashboard::show))
        .route("/openapi.json", get(docs::openapi_json))
        .fallback(|| async { Problem::from(commerce::Error::not_found("endpoint")) })
}

/// The API's documentation page, `/api/docs`.
pub fn docs_page() -> Router<AppState> {
    Router::new().route("/api/docs", get(docs::page))
}
