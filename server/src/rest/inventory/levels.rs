//! Stock levels and the ledger's movements.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use commerce::base::LocationId;
use commerce::catalog::VariantId;
use commerce::inventory::{LevelQuery, levels};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::AppState;
use crate::rest::list::{ListParams, Page};
use crate::rest::{ApiActor, Problem, QueryOf};

/// Stock of one variant at one location.
#[derive(Debug, Serialize, ToSchema)]
pub struct LevelOut {
    /// The variant.
    pub variant_id: Uuid,
    /// Its SKU.
    pub sku: String,
    /// "Product — variant".
    pub product_name: String,
    /// The variant's option values joined, or "Default".
    pub variant_title: String,
    /// The location.
    pub location_id: Uuid,
    /// Its name.
    pub location_name: String,
    /// Units there.
    pub on_hand: i32,
    /// Units held for buyers.
    pub reserved: i32,
    /// Units that can be sold.
    pub available: i32,
    /// Low-stock line (0: none).
    pub reorder_point: i32,
    /// Units to order when low.
    pub reorder_quantity: i32,
    /// Whether available is at or below the reorder point.
    pub low: bool,
}

/// Filters for stock levels.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LevelFilter {
    /// Only this location.
    pub location_id: Option<Uuid>,
    /// Only this variant.
    pub variant_id: Option<Uuid>,
    /// A SKU, a barcode, or words of a product's name.
    pub search: Option<String>,
    /// Only levels at or below their reorder point.
    #[serde(default)]
    pub low_stock: bool,
}

/// Stock levels by product name, SKU and location (zero where nothing was ever booked).
#[utoipa::path(
    get,
    path = "/inventory",
    tag = "inventory",
    params(ListParams, LevelFilter),
    security(("bearer" = ["inventory:read"])),
    responses(
        (status = 200, description = "A page of stock levels", body = Page<LevelOut>),
        (status = 403, description = "The token lacks inventory:read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad filter, limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    QueryOf(params): QueryOf<ListParams>,
    QueryOf(filter): QueryOf<LevelFilter>,
) -> Result<Json<Page<LevelOut>>, Problem> {
    let limit = params.limit()?;
    params.sort(&["name"])?;
    let query = LevelQuery {
        location: filter.location_id.map(LocationId),
        variant: filter.variant_id.map(VariantId),
        search: filter.search,
        low_only: filter.low_stock,
    };
    let rows = levels::list(state.db.read(), &actor, &query, params.cursor()?, limit + 1).await?;
    let rows: Vec<(LevelOut, levels::LevelCursor)> = rows
        .into_iter()
        .map(|(l, cursor)| {
            let low = l.low();
            let out = LevelOut {
                variant_id: l.variant.0,
                sku: l.sku,
                product_name: l.product_name,
                variant_title: l.variant_title,
                location_id: l.location.0,
                location_name: l.location_name,
                on_hand: l.on_hand,
                reserved: l.reserved,
                available: l.available,
                reorder_point: l.reorder_point,
                reorder_quantity: l.reorder_quantity,
                low,
            };
            (out, cursor)
        })
        .collect();
    Ok(Json(Page::from_extra(rows, limit, |(_, cursor)| cursor.clone()).map(|(level, _)| level)))
}

/// One entry of the stock ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct MovementOut {
    /// Its id.
    pub id: Uuid,
    /// When.
    pub at: DateTime<Utc>,
    /// The variant's SKU.
    pub sku: String,
    /// Where.
    pub location_id: Uuid,
    /// Units in (positive) or out (negative).
    pub quantity: i32,
    /// On hand right after.
    pub on_hand_after: i32,
    /// `receipt`, `sale`, `return`, `adjustment`, `transfer_out`, `transfer_in` or `count`.
    pub reason: &'static str,
    /// The document behind it.
    pub reference: String,
    /// A person's note.
    pub note: String,
    /// Who.
    pub actor: String,
}

/// Which movements.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MovementFilter {
    /// The variant whose history this is.
    pub variant_id: Uuid,
    /// Only at this location.
    pub location_id: Option<Uuid>,
}

/// A variant's movements, newest first.
#[utoipa::path(
    get,
    path = "/inventory/movements",
    tag = "inventory",
    params(ListParams, MovementFilter),
    security(("bearer" = ["inventory:read"])),
    responses(
        (status = 200, description = "A page of movements", body = Page<MovementOut>),
        (status = 404, description = "No such variant in this business", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "variant_id is missing or a filter is wrong", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn movements(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    QueryOf(params): QueryOf<ListParams>,
    QueryOf(filter): QueryOf<MovementFilter>,
) -> Result<Json<Page<MovementOut>>, Problem> {
    let limit = params.limit()?;
    let before: Option<(DateTime<Utc>, Uuid)> = params.cursor()?;
    let variant = VariantId(filter.variant_id);
    let rows =
        levels::movements(state.db.read(), &actor, variant, filter.location_id.map(LocationId), before, limit + 1)
            .await?;
    let out: Vec<(MovementOut, (DateTime<Utc>, Uuid))> = rows
        .into_iter()
        .map(|m| {
            let key = (m.at, m.id);
            let out = MovementOut {
                id: m.id,
                at: m.at,
                sku: m.sku,
                location_id: m.location.0,
                quantity: m.quantity,
                on_hand_after: m.on_hand_after,
                reason: m.reason.code(),
                reference: m.reference,
                note: m.note,
                actor: m.actor,
            };
            (out, key)
        })
        .collect();
    Ok(Json(Page::from_extra(out, limit, |(_, key)| *key).map(|(movement, _)| movement)))
}
