//! `/api/v1/inventory`: stock levels, movements, adjustments, transfers, reservations and the
//! batch sync for outside channels and warehouses.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use commerce::catalog::VariantId;
use commerce::identity::LocationId;
use commerce::inventory::reserve::{self, Hold};
use commerce::inventory::sync::{SyncChange, SyncItem};
use commerce::inventory::{self, LevelQuery, Line, Transfer, levels, stock, transfer};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::list::{ListParams, Page, page};
use super::{ApiActor, IdPath, JsonBody, Problem, QueryOf, idempotent};
use crate::AppState;

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
    path = "/api/v1/inventory",
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
) -> Response {
    let run = async {
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
        let paged = page(rows, limit, |(_, cursor)| cursor.clone());
        Ok::<_, commerce::Error>(Page {
            data: paged.data.into_iter().map(|(l, _)| l).collect(),
            next_cursor: paged.next_cursor,
        })
    };
    match run.await {
        Ok(page) => Json(page).into_response(),
        Err(error) => Problem::from(error).into_response(),
    }
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
    path = "/api/v1/inventory/movements",
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
) -> Response {
    let run = async {
        let limit = params.limit()?;
        let before: Option<(DateTime<Utc>, Uuid)> = params.cursor()?;
        let rows = levels::movements(
            state.db.read(),
            &actor,
            VariantId(filter.variant_id),
            filter.location_id.map(LocationId),
            before,
            limit + 1,
        )
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
        let paged = page(out, limit, |(_, key)| *key);
        Ok::<_, commerce::Error>(Page {
            data: paged.data.into_iter().map(|(m, _)| m).collect(),
            next_cursor: paged.next_cursor,
        })
    };
    match run.await {
        Ok(page) => Json(page).into_response(),
        Err(error) => Problem::from(error).into_response(),
    }
}

/// A correction by hand.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentIn {
    /// The variant.
    pub variant_id: Uuid,
    /// Where.
    pub location_id: Uuid,
    /// Units to add (positive) or take away (negative), at most 1,000,000 either way; on hand
    /// stays within 1,000,000,000 either side of zero.
    #[schema(minimum = -1_000_000, maximum = 1_000_000)]
    pub change: i32,
    /// Why (damaged, expired, found…).
    #[schema(min_length = 1, max_length = 200)]
    pub note: String,
}

/// What a change left.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnHandOut {
    /// Units on hand now.
    pub on_hand: i32,
}

/// Adjusts stock by hand, with a note saying why.
#[utoipa::path(
    post,
    path = "/api/v1/inventory/adjustments",
    tag = "inventory",
    request_body = AdjustmentIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 201, description = "Adjusted", body = OnHandOut),
        (status = 404, description = "No such variant or location in this business", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn adjust(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
    body: JsonBody<AdjustmentIn>,
) -> Response {
    let JsonBody { value, bytes } = body;
    idempotent::once(&actor, &headers, "POST /api/v1/inventory/adjustments", &bytes, async |once| {
        let (variant, location) = (VariantId(value.variant_id), LocationId(value.location_id));
        match stock::adjust(state.db.primary(), &actor, variant, location, value.change, &value.note, once).await {
            Ok(on_hand) => (StatusCode::CREATED, Json(OnHandOut { on_hand })).into_response(),
            Err(error) => Problem::from(error).into_response(),
        }
    })
    .await
}

/// A variant and a number of units.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineIn {
    /// The variant.
    pub variant_id: Uuid,
    /// Units.
    pub quantity: i32,
}

fn lines(lines: &[LineIn]) -> Vec<Line> {
    lines.iter().map(|l| Line { variant: VariantId(l.variant_id), quantity: l.quantity }).collect()
}

/// A transfer to draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferIn {
    /// From where.
    pub from_location_id: Uuid,
    /// To where.
    pub to_location_id: Uuid,
    /// What to send.
    pub lines: Vec<LineIn>,
    /// A note for both ends.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub note: String,
}

/// A line of a transfer.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferLineOut {
    /// The variant.
    pub variant_id: Uuid,
    /// Its SKU.
    pub sku: String,
    /// Units sent.
    pub quantity: i32,
    /// Units that arrived, once received.
    pub received: Option<i32>,
}

/// A transfer between locations.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferOut {
    /// Its id.
    pub id: Uuid,
    /// From where.
    pub from_location_id: Uuid,
    /// To where.
    pub to_location_id: Uuid,
    /// `draft`, `sent`, `received` or `cancelled`.
    pub status: &'static str,
    /// The note.
    pub note: String,
    /// When it was drafted.
    pub created_at: DateTime<Utc>,
    /// When it left.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it arrived.
    pub received_at: Option<DateTime<Utc>>,
    /// What it carries.
    pub lines: Vec<TransferLineOut>,
}

impl From<Transfer> for TransferOut {
    fn from(t: Transfer) -> Self {
        Self {
            id: t.id,
            from_location_id: t.from.0,
            to_location_id: t.to.0,
            status: t.status.code(),
            note: t.note,
            created_at: t.created_at,
            sent_at: t.sent_at,
            received_at: t.received_at,
            lines: t
                .lines
                .into_iter()
                .map(|l| TransferLineOut {
                    variant_id: l.variant.0,
                    sku: l.sku,
                    quantity: l.quantity,
                    received: l.received,
                })
                .collect(),
        }
    }
}

/// Drafts a transfer between two locations; no stock moves until it is sent.
#[utoipa::path(
    post,
    path = "/api/v1/inventory/transfers",
    tag = "inventory",
    request_body = TransferIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 201, description = "Drafted", body = TransferOut),
        (status = 422, description = "A field is wrong", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_transfer(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
    body: JsonBody<TransferIn>,
) -> Response {
    let JsonBody { value, bytes } = body;
    idempotent::once(&actor, &headers, "POST /api/v1/inventory/transfers", &bytes, async |once| {
        let db = state.db.primary();
        let made = async {
            let (from, to) = (LocationId(value.from_location_id), LocationId(value.to_location_id));
            let id = transfer::create(db, &actor, from, to, &lines(&value.lines), &value.note, once).await?;
            transfer::get(db, &actor, id).await
        };
        match made.await {
            Ok(t) => (StatusCode::CREATED, Json(TransferOut::from(t))).into_response(),
            Err(error) => Problem::from(error).into_response(),
        }
    })
    .await
}

/// One transfer.
#[utoipa::path(
    get,
    path = "/api/v1/inventory/transfers/{id}",
    tag = "inventory",
    params(("id" = Uuid, Path, description = "The transfer's id")),
    security(("bearer" = ["inventory:read"])),
    responses(
        (status = 200, description = "The transfer", body = TransferOut),
        (status = 404, description = "No such transfer in this business", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show_transfer(State(state): State<AppState>, ApiActor(actor): ApiActor, IdPath(id): IdPath) -> Response {
    match transfer::get(state.db.read(), &actor, id).await {
        Ok(t) => Json(TransferOut::from(t)).into_response(),
        Err(error) => Problem::from(error).into_response(),
    }
}

/// Sends a drafted transfer: its units leave the sending location.
#[utoipa::path(
    post,
    path = "/api/v1/inventory/transfers/{id}/send",
    tag = "inventory",
    params(("id" = Uuid, Path, description = "The transfer's id")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 200, description = "Sent", body = TransferOut),
        (status = 404, description = "No such transfer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft, or not enough available to send", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn send_transfer(State(state): State<AppState>, ApiActor(actor): ApiActor, IdPath(id): IdPath) -> Response {
    let db = state.db.primary();
    let run = async {
        transfer::send(db, &actor, id).await?;
        transfer::get(db, &actor, id).await
    };
    match run.await {
        Ok(t) => Json(TransferOut::from(t)).into_response(),
        Err(error) => Problem::from(error).into_response(),
    }
}

/// What arrived.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrivalIn {
    /// Units that arrived per variant; variants left out arrived in full.
    #[serde(default)]
    pub arrived: Vec<LineIn>,
}

/// Receives a sent transfer at the other end.
#[utoipa::path(
    post,
    path = "/api/v1/inventory/transfers/{id}/receive",
    tag = "inventory",
    request_body = ArrivalIn,
    params(("id" = Uuid, Path, description = "The transfer's id")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 200, description = "Received", body = TransferOut),
        (status = 404, description = "No such transfer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not on its way", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A line is wrong", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn receive_transfer(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
    body: JsonBody<ArrivalIn>,
) -> Response {
    let db = state.db.primary();
    let run = async {
        transfer::receive(db, &actor, id, &lines(&body.value.arrived)).await?;
        transfer::get(db, &actor, id).await
    };
    match run.await {
        Ok(t) => Json(TransferOut::from(t)).into_response(),
        Err(error) => Problem::from(error).into_response(),
    }
}

/// Units to hold for a buyer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReservationIn {
    /// The variant.
    pub variant_id: Uuid,
    /// Hold at this location; leave out for the one with the most available.
    #[serde(default)]
    pub location_id: Option<Uuid>,
    /// Units.
    pub quantity: i32,
    /// How long to hold them (1 s to 7 days; default 15 minutes).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 604_800)]
    pub hold_seconds: Option<i64>,
    /// The cart or order behind it.
    #[serde(default)]
    #[schema(max_length = 120)]
    pub reference: String,
}

/// Held units.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReservationOut {
    /// Its id.
    pub id: Uuid,
    /// The variant.
    pub variant_id: Uuid,
    /// Where they are held.
    pub location_id: Uuid,
    /// Units.
    pub quantity: i32,
    /// When the hold lapses unless committed.
    pub expires_at: DateTime<Utc>,
}

/// Holds units for a buyer; exactly the stock available is ever held, however many ask at once.
#[utoipa::path(
    post,
    path = "/api/v1/inventory/reservations",
    tag = "inventory",
    request_body = ReservationIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first hold, not hold again")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 201, description = "Held", body = ReservationOut),
        (status = 404, description = "The business has no such variant or location", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not enough available (`insufficient_stock`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong, or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn reserve(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
    body: JsonBody<ReservationIn>,
) -> Response {
    let JsonBody { value, bytes } = body;
    idempotent::once(&actor, &headers, "POST /api/v1/inventory/reservations", &bytes, async |once| {
        let held = async {
            let hold = Hold {
                variant: VariantId(value.variant_id),
                location: value.location_id.map(LocationId),
                quantity: value.quantity,
                for_how_long: reserve::hold_length(value.hold_seconds)?,
                reference: value.reference,
            };
            reserve::reserve(state.db.primary(), &actor, hold, once).await
        };
        match held.await {
            Ok(r) => (
                StatusCode::CREATED,
                Json(ReservationOut {
                    id: r.id,
                    variant_id: r.variant.0,
                    location_id: r.location.0,
                    quantity: r.quantity,
                    expires_at: r.expires_at,
                }),
            )
                .into_response(),
            Err(error) => Problem::from(error).into_response(),
        }
    })
    .await
}

/// The sale behind a commit.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitIn {
    /// The order or receipt number.
    #[serde(default)]
    pub reference: String,
}

/// Turns held units into a sale (committing twice is harmless).
#[utoipa::path(
    post,
    path = "/api/v1/inventory/reservations/{id}/commit",
    tag = "inventory",
    request_body = CommitIn,
    params(("id" = Uuid, Path, description = "The reservation's id")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 204, description = "Sold"),
        (status = 404, description = "No such reservation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It lapsed or was released", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn commit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
    body: JsonBody<CommitIn>,
) -> Response {
    match reserve::commit(state.db.primary(), &actor, id, &body.value.reference).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => Problem::from(error).into_response(),
    }
}

/// Gives held units back (releasing twice is harmless).
#[utoipa::path(
    post,
    path = "/api/v1/inventory/reservations/{id}/release",
    tag = "inventory",
    params(("id" = Uuid, Path, description = "The reservation's id")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 204, description = "Released"),
        (status = 404, description = "No such reservation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It was already sold", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn release(State(state): State<AppState>, ApiActor(actor): ApiActor, IdPath(id): IdPath) -> Response {
    match reserve::release(state.db.primary(), &actor, id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => Problem::from(error).into_response(),
    }
}

/// One item of a sync batch: a count (`count`) or a movement (`change` with a `reason`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SyncItemIn {
    /// The variant's SKU.
    pub sku: String,
    /// Where.
    pub location_id: Uuid,
    /// On hand is now exactly this (0 to 1,000,000,000).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    pub count: Option<i32>,
    /// Units in (positive) or out (negative), at most 1,000,000 either way.
    #[serde(default)]
    #[schema(minimum = -1_000_000, maximum = 1_000_000)]
    pub change: Option<i32>,
    /// For a change: `receipt`, `sale`, `return` or `adjustment` (the default).
    #[serde(default)]
    pub reason: Option<String>,
    /// Apply only if on hand is still this.
    #[serde(default)]
    pub expected_on_hand: Option<i32>,
}

/// A batch from an outside channel or warehouse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SyncIn {
    /// The system sending it, for the ledger's notes.
    #[schema(min_length = 1, max_length = 80)]
    pub source: String,
    /// Up to 500 items.
    #[schema(min_items = 1, max_items = 500)]
    pub items: Vec<SyncItemIn>,
}

/// An item that applied.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncApplied {
    /// Its place in the batch.
    pub index: usize,
    /// Its SKU.
    pub sku: String,
    /// On hand afterwards.
    pub on_hand: i32,
}

/// An item that did not.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncConflict {
    /// Its place in the batch.
    pub index: usize,
    /// Its SKU.
    pub sku: String,
    /// Why.
    pub detail: String,
}

/// What became of a batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncOut {
    /// Items applied.
    pub applied: Vec<SyncApplied>,
    /// Items not applied.
    pub conflicts: Vec<SyncConflict>,
}

/// Applies a batch of counts and movements matched by SKU in one transaction; items that
/// cannot apply (an unknown SKU, on hand not as expected, or a movement that would take on hand
/// past 1,000,000,000 either side of zero) are listed as conflicts and the rest apply. Send an
/// `Idempotency-Key`: a retried batch is never applied twice.
#[utoipa::path(
    post,
    path = "/api/v1/inventory/sync",
    tag = "inventory",
    request_body = SyncIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 200, description = "What applied and what conflicted", body = SyncOut),
        (status = 422, description = "The batch itself is wrong (more than 500 items, an item names neither count nor change or both, a number out of range, text with a NUL character)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn sync(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
    body: JsonBody<SyncIn>,
) -> Response {
    let JsonBody { value, bytes } = body;
    idempotent::once(&actor, &headers, "POST /api/v1/inventory/sync", &bytes, async |once| {
        let run = async {
            let items = sync_items(&value.items)?;
            let report = inventory::sync::apply(state.db.primary(), &actor, &value.source, &items, once).await?;
            let sku = |i: usize| value.items.get(i).map(|item| item.sku.clone()).unwrap_or_default();
            Ok::<_, commerce::Error>(SyncOut {
                applied: report
                    .applied
                    .into_iter()
                    .map(|(index, on_hand)| SyncApplied { index, sku: sku(index), on_hand })
                    .collect(),
                conflicts: report
                    .conflicts
                    .into_iter()
                    .map(|(index, detail)| SyncConflict { index, sku: sku(index), detail })
                    .collect(),
            })
        };
        match run.await {
            Ok(out) => Json(out).into_response(),
            Err(error) => Problem::from(error).into_response(),
        }
    })
    .await
}

fn sync_items(items: &[SyncItemIn]) -> Result<Vec<SyncItem>, commerce::Error> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let change = match (item.count, item.change) {
                (Some(n), None) => SyncChange::Count(n),
                (None, Some(n)) => SyncChange::movement(n, item.reason.as_deref())
                    .map_err(|rule| commerce::Error::invalid(format!("items[{i}].reason"), rule))?,
                _ => return Err(commerce::Error::invalid(format!("items[{i}]"), "give either count or change")),
            };
            Ok(SyncItem {
                sku: item.sku.clone(),
                location: LocationId(item.location_id),
                change,
                expected_on_hand: item.expected_on_hand,
            })
        })
        .collect()
}
