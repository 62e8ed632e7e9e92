//! `/api/v1/inventory`: stock levels and movements, adjustments, transfers, reservations and
//! the batch sync for outside channels and warehouses, a file for each.

mod adjustments;
mod levels;
mod reservations;
mod sync;
mod transfers;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// The inventory's routes, each declared once, by its handler's annotation.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(levels::list))
        .routes(routes!(levels::movements))
        .routes(routes!(adjustments::adjust))
        .routes(routes!(transfers::create))
        .routes(routes!(transfers::show))
        .routes(routes!(transfers::send))
        .routes(routes!(transfers::receive))
        .routes(routes!(reservations::reserve))
        .routes(routes!(reservations::commit))
        .routes(routes!(reservations::release))
        .routes(routes!(sync::sync))
}
