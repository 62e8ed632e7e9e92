//! Batches pushed by an outside channel or warehouse system: counts (what is on the shelf
//! now) and movements (what came in or went out), matched by SKU. One transaction for the
//! batch; an item that cannot apply is reported as a conflict and the rest still apply. A batch
//! that is wrong in itself (too many items, a number no shelf holds) is refused whole, naming
//! the item's field, before anything is read.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::ledger::{self, Move};
use super::{MAX_LINES, MAX_ON_HAND, MAX_UNITS, MovementReason};
use crate::Error;
use crate::audit::{self, Change};
use crate::base::{Actor, LocationId, Permission};
use crate::catalog::VariantId;
use crate::idempotency::{self, Once};

/// The most items one batch may carry.
pub const MAX_ITEMS: usize = MAX_LINES;

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

/// The reasons a synced movement may give. Transfers have documents of their own (they need
/// both ends), and a count is sent as a count, since it states what is there, not a change.
pub const MOVEMENT_REASONS: [MovementReason; 4] =
    [MovementReason::Receipt, MovementReason::Sale, MovementReason::Return, MovementReason::Adjustment];

/// What a synced movement's reason must be.
pub const MOVEMENT_REASON_RULE: &str =
    "one of receipt, sale, return, adjustment (transfers have endpoints of their own; send a count as count)";

impl SyncChange {
    /// A movement of `units` for the reason `code` names (an adjustment when none), or what is
    /// wrong with the reason.
    pub fn movement(units: i32, code: Option<&str>) -> Result<Self, &'static str> {
        let reason = match code {
            None => MovementReason::Adjustment,
            Some(code) => {
                MovementReason::from_code(code).filter(|r| MOVEMENT_REASONS.contains(r)).ok_or(MOVEMENT_REASON_RULE)?
            }
        };
        Ok(Self::Movement(units, reason))
    }
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
pub async fn apply(
    db: &sqlx::PgPool,
    actor: &Actor,
    source: &str,
    items: &[SyncItem],
    once: Option<&Once>,
) -> Result<SyncReport, Error> {
    let scope = actor.require(Permission::ManageInventory)?;
    scope.operator_only("sync stock from another system")?;
    let tenant = scope.tenant;
    if items.is_empty() || items.len() > MAX_ITEMS {
        return Err(Error::invalid("items", format!("send 1 to {MAX_ITEMS} items")));
    }
    let source = source.trim();
    if source.is_empty() || source.chars().count() > 80 {
        return Err(Error::invalid("source", "name the system sending the batch (at most 80 characters)"));
    }
    Error::refuse_nul("source", source)?;
    for (i, item) in items.iter().enumerate() {
        check_item(i, item)?;
    }
    idempotency::run(db, tenant, once, async |tx| {
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
            if !current.location_known || !scope.shops.reach(item.location) {
                let why =
                    if current.location_known { "this location is not one you work at" } else { "no such location" };
                report.conflicts.push((i, why.into()));
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
                // Both are within bounds (checked above, and by the database), so the difference
                // fits; checked all the same, since a wrong answer here would be silent.
                SyncChange::Count(n) => (n.checked_sub(on_hand), MovementReason::Count),
                SyncChange::Movement(_, reason) if !MOVEMENT_REASONS.contains(&reason) => {
                    report.conflicts.push((i, format!("the reason must be {MOVEMENT_REASON_RULE}")));
                    continue;
                }
                SyncChange::Movement(n, reason) => (Some(n), reason),
            };
            let Some(quantity) = quantity else {
                report.conflicts.push((i, format!("on hand is {on_hand}; the count is too far from it")));
                continue;
            };
            if quantity == 0 {
                report.applied.push((i, on_hand));
                continue;
            }
            if !(-MAX_UNITS..=MAX_UNITS).contains(&quantity) {
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
            match ledger::apply(tx, tenant, actor, m).await {
                Ok(after) => report.applied.push((i, after)),
                // Past the bound on on-hand: nothing was written, and the batch goes on.
                Err(Error::Invalid { message, .. }) => {
                    report.conflicts.push((i, format!("on hand is {on_hand}; {message}")));
                }
                Err(other) => return Err(other),
            }
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
        audit::record(tx, tenant, actor, change).await?;
        Ok(report)
    })
    .await
}

/// Refuses an item no shelf could match, naming its field as the batch sent it.
fn check_item(i: usize, item: &SyncItem) -> Result<(), Error> {
    Error::refuse_nul(&format!("items[{i}].sku"), &item.sku)?;
    match item.change {
        SyncChange::Count(n) if !(0..=MAX_ON_HAND).contains(&n) => {
            return Err(Error::invalid(format!("items[{i}].count"), "a whole number of units from 0 to 1,000,000,000"));
        }
        SyncChange::Movement(n, _) if !(-MAX_UNITS..=MAX_UNITS).contains(&n) => {
            return Err(Error::invalid(
                format!("items[{i}].change"),
                "a whole number of units from -1,000,000 to 1,000,000",
            ));
        }
        _ => {}
    }
    if item.expected_on_hand.is_some_and(|n| !(-MAX_ON_HAND..=MAX_ON_HAND).contains(&n)) {
        return Err(Error::invalid(
            format!("items[{i}].expected_on_hand"),
            "a whole number of units within 1,000,000,000 either side of zero",
        ));
    }
    Ok(())
}
