//! The REST API under `/api/v1`: thin handlers over the domain, Bearer tokens from the OAuth 2.0
//! client-credentials grant, errors as RFC 9457 problems, cursor-paged lists, idempotent
//! creates, and an `OpenAPI` 3.1 document generated from the handlers themselves.

mod audit;
mod auth;
mod body;
mod customers;
mod dashboard;
mod docs;
mod idempotent;
mod inventory;
pub mod list;
mod locations;
mod marketplace;
mod orders;
mod payments;
mod payouts;
mod pos;
mod problem;
mod products;
mod settings;
mod staff;
mod token;

use std::sync::LazyLock;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use utoipa::openapi::OpenApi as Document;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub use auth::ApiActor;
pub use body::{IdPath, IdsPath, JsonBody, QueryOf};
pub use docs::ApiDoc;
pub use problem::Problem;

use crate::AppState;

/// The `/api/v1` routes. Anything unknown below it answers a problem+json 404, never a page.
pub fn router() -> Router<AppState> {
    api().0
}

/// The API's `OpenAPI` document: the same routes as [`router`], read from their annotations.
pub fn document() -> &'static Document {
    static DOCUMENT: LazyLock<Document> = LazyLock::new(|| api().1);
    &DOCUMENT
}

/// Each route once: its path and method come from its handler's annotation, which also
/// describes it in the document.
fn api() -> (Router<AppState>, Document) {
    let v1 = OpenApiRouter::new()
        .routes(routes!(token::issue))
        .routes(routes!(settings::show))
        .routes(routes!(locations::list, locations::create))
        .routes(routes!(staff::list))
        .routes(routes!(audit::list))
        .routes(routes!(dashboard::show))
        .routes(routes!(products::list, products::create))
        .routes(routes!(products::show, products::replace, products::remove))
        .routes(routes!(products::add_image).layer(DefaultBodyLimit::max(crate::media::LARGEST_BODY)))
        .routes(routes!(products::edit_image, products::remove_image))
        .routes(routes!(orders::list, orders::create))
        .routes(routes!(orders::show, orders::update))
        .routes(routes!(customers::list))
        .routes(routes!(customers::show))
        .routes(routes!(payments::list))
        .routes(routes!(payments::paystack_webhook))
        .routes(routes!(pos::enrol))
        .routes(routes!(pos::till))
        .routes(routes!(pos::receipt))
        .routes(routes!(pos::transactions))
        .routes(routes!(pos::shifts))
        .routes(routes!(pos::shift_report))
        .routes(routes!(marketplace::list, marketplace::create))
        .routes(routes!(marketplace::show, marketplace::update))
        .routes(routes!(payouts::orders))
        .routes(routes!(payouts::balance))
        .routes(routes!(payouts::ledger))
        .routes(routes!(payouts::list))
        .routes(routes!(payouts::run))
        .routes(routes!(payouts::paid))
        .routes(routes!(payouts::cancel))
        .merge(inventory::routes())
        .route("/openapi.json", get(docs::openapi_json))
        .fallback(|| async { Problem::from(commerce::Error::not_found("endpoint")) });
    let (router, mut document) =
        OpenApiRouter::with_openapi(<ApiDoc as utoipa::OpenApi>::openapi()).nest("/api/v1", v1).split_for_parts();
    docs::complete(&mut document);
    (router, document)
}

/// The API's documentation page, `/api/docs`.
pub fn docs_page() -> Router<AppState> {
    Router::new().route("/api/docs", get(docs::page))
}
