//! Receiving goods (with their cost) and adjusting stock by hand.

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use super::ledger::{self, Move};
use super::{Line, MAX_LINES, MAX_UNITS, MovementReason, Receipt, ReceiptInput};
use crate::audit::{self, Change};
use crate::base::{Actor, LocationId, Permission};
use crate::catalog::VariantId;
use crate::db::tenant_tx;
use crate::idempotency::{self, Once};
use crate::{Error, Money};

/// Books goods in at a location: one movement per line, and each variant's cost becomes the
/// weighted average of what was on hand and what arrived. Answers the receipt's id.
pub async fn receive(db: &sqlx::PgPool, actor: &Actor, input: ReceiptInput) -> Result<Uuid, Error> {
    let tenant = actor.require_at(Permission::ManageInventory, input.location)?.tenant;
    check_lines(&input.lines.iter().map(|(line, _)| *line).collect::<Vec<_>>())?;
    if let Some(i) = input.lines.iter().position(|(_, cost)| cost.is_sign_negative()) {
        return Err(Error::invalid(format!("lines[{i}].unit_cost"), "cannot be negative"));
    }
    // The average cost is worked out in the database from these; an amount past any price would
    // overflow what it keeps.
    if let Some(i) = input.lines.iter().position(|(_, cost)| *cost > crate::base::money::LARGEST_AMOUNT) {
        return Err(Error::invalid(format!("lines[{i}].unit_cost"), "at most 1,000,000,000,000"));
    }
    let supplier = input.supplier.trim();
    let reference = input.reference.trim();
    if supplier.chars().count() > 120 || reference.chars().count() > 80 {
        return Err(Error::invalid("supplier", "keep the supplier under 120 and the reference under 80 characters"));
    }
    Error::refuse_nul("supplier", supplier)?;
    Error::refuse_nul("reference", reference)?;
    let id = Uuid::now_v7();
    let mut tx = tenant_tx(db, tenant).await?;
    sqlx::query!(
        "INSERT INTO stock_receipts (tenant_id, id, location_id, supplier, reference, actor_label)
         VALUES ($1, $2, $3, $4, $5, $6)",
        tenant.0,
        id,
        input.location.0,
        supplier,
        reference,
        actor.label()
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        crate::db::field_error(e, "stock_receipts_tenant_id_location_id_fkey", "location", "choose a location")
    })?;
    let note = if supplier.is_empty() { String::new() } else { format!("from {supplier}") };
    for (i, (line, cost)) in input.lines.iter().enumerate() {
        // The average cost over all locations, before these units are added.
        sqlx::query!(
            "UPDATE variants v
                SET cost = CASE WHEN held.units > 0 AND v.cost IS NOT NULL
                                THEN round((held.units * v.cost + $3::numeric * $4::numeric) / (held.units + $3::numeric), 4)
                                ELSE $4::numeric END
               FROM (SELECT greatest(coalesce(sum(on_hand), 0), 0) AS units FROM stock_levels
                      WHERE tenant_id = $1 AND variant_id = $2) held
              WHERE v.tenant_id = $1 AND v.id = $2",
            tenant.0,
            line.variant.0,
            Decimal::from(line.quantity),
            cost
        )
        .execute(&mut *tx)
        .await?;
        let m = Move {
            variant: line.variant,
            location: input.location,
            quantity: line.quantity,
            reason: MovementReason::Receipt,
            reference: &format!("receipt {id}"),
            unit_cost: Some(*cost),
            note: &note,
        };
        ledger::apply(&mut tx, tenant, actor, m)
            .await
            .map_err(|e| ledger::for_field(e, &format!("lines[{i}].quantity")))?;
        sqlx::query!(
            "INSERT INTO stock_receipt_lines (tenant_id, receipt_id, variant_id, quantity, unit_cost)
             VALUES ($1, $2, $3, $4, $5)",
            tenant.0,
            id,
            line.variant.0,
            line.quantity,
            cost
        )
        .execute(&mut *tx)
        .await?;
    }
    let change = Change {
        entity: "stock receipt",
        entity_id: id.to_string(),
        action: "received",
        before: None,
        after: Some(json!({
            "location": input.location.0,
            "supplier": supplier,
            "reference": reference,
            "lines": input.lines.iter().map(|(l, c)| json!({ "variant": l.variant.0, "quantity": l.quantity, "unit_cost": c })).collect::<Vec<_>>(),
        })),
    };
    audit::record(&mut tx, tenant, actor, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// Corrects stock by hand: `change` units in or out, with a note saying why. Answers on-hand.
pub async fn adjust(
    db: &sqlx::PgPool,
    actor: &Actor,
    variant: VariantId,
    location: LocationId,
    change: i32,
    note: &str,
    once: Option<&Once>,
) -> Result<i32, Error> {
    let tenant = actor.require_at(Permission::ManageInventory, location)?.tenant;
    if change == 0 || !(-MAX_UNITS..=MAX_UNITS).contains(&change) {
        return Err(Error::invalid(
            "change",
            "enter the units to add (e.g. 5) or take away (e.g. -2), at most 1,000,000 at a time",
        ));
    }
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 200 {
        return Err(Error::invalid("note", "say why (damaged, expired, found on a shelf…), at most 200 characters"));
    }
    Error::refuse_nul("note", note)?;
    idempotency::run(db, tenant, once, async |tx| {
        let m = Move {
            variant,
            location,
            quantity: change,
            reason: MovementReason::Adjustment,
            reference: "",
            unit_cost: None,
            note,
        };
        let after = ledger::apply(tx, tenant, actor, m).await.map_err(|e| ledger::for_field(e, "change"))?;
        let record = Change {
            entity: "stock",
            entity_id: format!("{}@{}", variant.0, location.0),
            action: "adjusted",
            before: Some(json!({ "on_hand": after.checked_sub(change) })),
            after: Some(json!({ "on_hand": after, "note": note })),
        };
        audit::record(tx, tenant, actor, record).await?;
        Ok(after)
    })
    .await
}

/// Sets when a variant counts as low at a location, and how many to reorder then.
pub async fn set_reorder(
    db: &sqlx::PgPool,
    actor: &Actor,
    variant: VariantId,
    location: LocationId,
    point: i32,
    quantity: i32,
) -> Result<(), Error> {
    let tenant = actor.require_at(Permission::ManageInventory, location)?.tenant;
    if !(0..=MAX_UNITS).contains(&point) {
        return Err(Error::invalid("reorder_point", "between 0 (no alerts) and 1,000,000"));
    }
    if !(0..=MAX_UNITS).contains(&quantity) {
        return Err(Error::invalid("reorder_quantity", "between 0 and 1,000,000"));
    }
    let mut tx = tenant_tx(db, tenant).await?;
    upsert_reorder(&mut tx, tenant, variant, location, point, quantity).await?;
    let record = Change {
        entity: "stock",
        entity_id: format!("{}@{}", variant.0, location.0),
        action: "reorder point set",
        before: None,
        after: Some(json!({ "reorder_point": point, "reorder_quantity": quantity })),
    };
    audit::record(&mut tx, tenant, actor, record).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes a level's reorder point and quantity (making the level when it is new) inside the
/// caller's transaction.
pub(crate) async fn upsert_reorder(
    tx: &mut sqlx::PgConnection,
    tenant: crate::base::TenantId,
    variant: VariantId,
    location: LocationId,
    point: i32,
    quantity: i32,
) -> Result<(), Error> {
    sqlx::query!(
        "INSERT INTO stock_levels (tenant_id, variant_id, location_id, reorder_point, reorder_quantity)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, variant_id, location_id)
         DO UPDATE SET reorder_point = excluded.reorder_point, reorder_quantity = excluded.reorder_quantity",
        tenant.0,
        variant.0,
        location.0,
        point,
        quantity
    )
    .execute(&mut *tx)
    .await
    .map_err(ledger::unknown_item)?;
    Ok(())
}

/// The most recent receipts, newest first.
pub async fn receipts(db: &sqlx::PgPool, actor: &Actor, limit: i64) -> Result<Vec<Receipt>, Error> {
    let scope = actor.require(Permission::ViewInventory)?;
    let shops = scope.shops.ids();
    let tenant = scope.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let rows = sqlx::query!(
        r#"SELECT r.id, r.created_at, l.name AS location_name, r.supplier, r.reference, r.actor_label,
                  count(rl.variant_id) AS "lines!", coalesce(sum(rl.quantity), 0)::bigint AS "units!",
                  coalesce(sum(rl.quantity * rl.unit_cost), 0) AS "total_cost!"
             FROM stock_receipts r
             JOIN locations l ON l.tenant_id = r.tenant_id AND l.id = r.location_id
             LEFT JOIN stock_receipt_lines rl ON rl.tenant_id = r.tenant_id AND rl.receipt_id = r.id
            WHERE r.tenant_id = $1 AND ($3::uuid[] IS NULL OR r.location_id = ANY($3))
            GROUP BY r.tenant_id, r.id, l.name
            ORDER BY r.created_at DESC, r.id DESC
            LIMIT $2"#,
        tenant.0,
        limit.clamp(1, 500),
        shops.as_deref(),
    )
    .fetch_all(&mut *tx)
    .await?;
    let currency = crate::identity::currency_in(&mut tx, tenant).await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| Receipt {
            id: r.id,
            at: r.created_at,
            location_name: r.location_name,
            supplier: r.supplier,
            reference: r.reference,
            lines: r.lines,
            units: r.units,
            total_cost: Money::new(r.total_cost, currency),
            actor: r.actor_label,
        })
        .collect())
}

/// Refuses a number of units that is not positive or is implausibly large.
pub(crate) fn check_units(quantity: i32, field: &str) -> Result<(), Error> {
    if (1..=MAX_UNITS).contains(&quantity) {
        Ok(())
    } else {
        Err(Error::invalid(field, "enter a whole number of units from 1 to 1,000,000"))
    }
}

/// Lines with a checked quantity each and no variant twice, at most [`MAX_LINES`] of them.
pub(crate) fn check_lines(lines: &[Line]) -> Result<(), Error> {
    if lines.is_empty() {
        return Err(Error::invalid("lines", "add at least one item"));
    }
    if lines.len() > MAX_LINES {
        return Err(Error::invalid("lines", format!("at most {MAX_LINES} items at a time")));
    }
    let mut seen = HashSet::new();
    for (i, line) in lines.iter().enumerate() {
        check_units(line.quantity, &format!("lines[{i}].quantity"))?;
        if !seen.insert(line.variant) {
            return Err(Error::invalid(format!("lines[{i}].variant"), "this item is listed twice"));
        }
    }
    Ok(())
}
