//! The REST API under `/api/v1`: thin handlers over the domain, Bearer tokens from the OAuth 2.0
//! client-credentials grant, errors as RFC 9457 problems, cursor-paged lists, idempotent
//! creates, and an `OpenAPI` 3.1 document generated from the handlers themselves.

mod audit;
mod auth;
mod body;
mod dashboard;
mod docs;
mod idempotent;
mod inventory;
pub mod list;
mod locations;
mod problem;
mod products;
mod settings;
mod staff;
mod token;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post};

pub use auth::ApiActor;
pub use body::{IdPath, IdsPath, JsonBody, QueryOf};
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
        .route("/marketplace/products", get(products::list).post(products::create))
        .route("/marketplace/products/{id}", get(products::show).put(products::replace).delete(products::remove))
        .route(
            "/marketplace/products/{id}/images",
            post(products::add_image).layer(DefaultBodyLimit::max(crate::media::LARGEST_BODY)),
        )
        .route(
            "/marketplace/products/{id}/images/{image_id}",
            patch(products::edit_image).delete(products::remove_image),
        )
        .route("/inventory", get(inventory::list))
        .route("/inventory/movements", get(inventory::movements))
        .route("/inventory/adjustments", post(inventory::adjust))
        .route("/inventory/transfers", post(inventory::create_transfer))
        .route("/inventory/transfers/{id}", get(inventory::show_transfer))
        .route("/inventory/transfers/{id}/send", post(inventory::send_transfer))
        .route("/inventory/transfers/{id}/receive", post(inventory::receive_transfer))
        .route("/inventory/reservations", post(inventory::reserve))
        .route("/inventory/reservations/{id}/commit", post(inventory::commit))
        .route("/inventory/reservations/{id}/release", post(inventory::release))
        .route("/inventory/sync", post(inventory::sync))
        .route("/openapi.json", get(docs::openapi_json))
        .fallback(|| async { Problem::from(commerce::Error::not_found("endpoint")) })
}

/// The API's documentation page, `/api/docs`.
pub fn docs_page() -> Router<AppState> {
    Router::new().route("/api/docs", get(docs::page))
}
