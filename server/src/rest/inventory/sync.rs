//! Batches of counts and movements from outside channels and warehouses.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use commerce::base::LocationId;
use commerce::inventory::sync::{self, SyncChange, SyncItem};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::rest::idempotent::Keyed;
use crate::rest::{ApiActor, JsonBody, Problem};

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
    path = "/inventory/sync",
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
    keyed: Keyed,
    JsonBody { value, bytes }: JsonBody<SyncIn>,
) -> Result<Response, Problem> {
    keyed
        .run(&actor, &bytes, async |once| {
            let items = sync_items(&value.items)?;
            let report = sync::apply(state.db.primary(), &actor, &value.source, &items, once).await?;
            let sku = |i: usize| value.items.get(i).map(|item| item.sku.clone()).unwrap_or_default();
            Ok(Json(SyncOut {
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
            }))
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
