//! Batches pushed by an outside channel or warehouse system: counts (what is on the shelf
//! now) and movements (what came in or went out), matched by SKU. One transaction for the
//! batch; an item that cannot apply is reported as a conflict and the rest still apply.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::MovementReason;
use super::ledger::{self, Move};
use crate::Error;
use crate::audit::{self, Change};
use crate::catalog::VariantId;
use crate::db::tenant_tx;
use crate::identity::{Actor, LocationId, Permission};

/// The most items one batch may carry.
pub const MAX_ITEMS: usize = 5_000;

/// One item of a batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncItem {
    /// The variant's SKU.
    pub sku: String,
    /// Where.
    pub location: LocationId,
    /// What it is.
    pub change: SyncChange,
    /// When given, the item applies only if on-hand is still this (the sender's last view).
    pub expected_on_hand: Option<i32>,
}

/// A count or a movement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncChange {
    /// On-hand is now exactly this many.
    Count(i32),
    /// This many units came in (positive) or went out (negative), for this reason.
    Movement(i32, MovementReason),
}

/// What became of each item, by its place in the batch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReport {
    /// Items applied: (index, on-hand afterwards).
    pub applied: Vec<(usize, i32)>,
    /// Items not applied: (index, why).
    pub conflicts: Vec<(usize, String)>,
}

/// Applies a batch from `source` (a name for the ledger's notes).
pub async fn apply(db: &sqlx::PgPool, actor: &Actor, source: &str, items: &[SyncItem]) -> Result<SyncReport, Error> {
    let tenant = actor.require(Permission::ManageInventory)?;
    if items.is_empty() || items.len() > MAX_ITEMS {
        return Err(Error::invalid("items", format!("send 1 to {MAX_ITEMS} items")));
    }
    let source = source.trim();
    if source.is_empty() || source.chars().count() > 80 {
        return Err(Error::invalid("source", "name the system sending the batch (at most 80 characters)"));
    }
    let mut tx = tenant_tx(db, tenant).await?;
    let mut report = SyncReport::default();
    let note = format!("sync from {source}");
    for (i, item) in items.iter().enumerate() {
        let current = sqlx::query!(
            r#"SELECT v.id, s.on_hand AS "on_hand?",
                      EXISTS (SELECT 1 FROM locations WHERE tenant_id = $1 AND id = $3) AS "location_known!"
                 FROM variants v
                 LEFT JOIN stock_levels s ON s.tenant_id = v.tenant_id AND s.variant_id = v.id AND s.location_id = $3
                WHERE v.tenant_id = $1 AND lower(v.sku) = lower($2)
                  FOR UPDATE OF v"#,
            tenant.0,
            item.sku.trim(),
            item.location.0
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(current) = current else {
            report.conflicts.push((i, format!("no product has the SKU {}", item.sku)));
            continue;
        };
        if !current.location_known {
            report.conflicts.push((i, "no such location".into()));
            continue;
        }
        let on_hand = current.on_hand.unwrap_or(0);
        if let Some(expected) = item.expected_on_hand
            && expected != on_hand
        {
            report.conflicts.push((i, format!("on hand is {on_hand}, not the {expected} expected")));
            continue;
        }
        let (quantity, reason) = match item.change {
            SyncChange::Count(n) if n < 0 => {
                report.conflicts.push((i, "a count cannot be below zero".into()));
                continue;
            }
            SyncChange::Count(n) => (n - on_hand, MovementReason::Count),
            SyncChange::Movement(_, MovementReason::TransferIn | MovementReason::TransferOut) => {
                report.conflicts.push((i, "transfers are made with the transfers endpoints".into()));
                continue;
            }
            SyncChange::Movement(n, reason) => (n, reason),
        };
        if quantity == 0 {
            report.applied.push((i, on_hand));
            continue;
        }
        if !(-super::stock::MAX_UNITS..=super::stock::MAX_UNITS).contains(&quantity) {
            report.conflicts.push((i, "too many units in one item".into()));
            continue;
        }
        let m = Move {
            variant: VariantId(current.id),
            location: item.location,
            quantity,
            reason,
            reference: "",
            unit_cost: None,
            note: &note,
        };
        let after = ledger::apply(&mut tx, tenant, actor, m).await?;
        report.applied.push((i, after));
    }
    let change = Change {
        entity: "stock sync",
        entity_id: source.to_owned(),
        action: "applied",
        before: None,
        after: Some(
            json!({ "items": items.len(), "applied": report.applied.len(), "conflicts": report.conflicts.len() }),
        ),
    };
    audit::record(&mut tx, tenant, actor, change).await?;
    tx.commit().await?;
    Ok(report)
}
