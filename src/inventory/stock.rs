//! Receiving goods (with their cost) and adjusting stock by hand.

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use super::ledger::{self, Move};
use super::{
    Line, MAX_LINES, MAX_UNITS, MovementReason, Receipt, ReceiptDetail, ReceiptInput, ReceiptLine, Received,
    receipt_number,
};
use crate::audit::{self, Change};
use crate::base::{Actor, LocationId, Permission};
use crate::catalog::VariantId;
use crate::db::tenant_tx;
use crate::idempotency::{self, Once};
use crate::{Clash, Error, Money};

/// Books goods in at a location: one movement per line, and each variant's cost becomes the
/// weighted average of what was on hand and what arrived. The receipt takes the business's next
/// number. With `once`, a second request with the same key answers the first one's result and
/// books nothing (a form pressed twice).
pub async fn receive(
    db: &sqlx::PgPool,
    actor: &Actor,
    input: ReceiptInput,
    once: Option<&Once>,
) -> Result<Received, Error> {
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
    idempotency::run(db, tenant, once, async |tx| {
        let id = Uuid::now_v7();
        let sequence = next_number(tx, tenant, "stock_receipt").await?;
        let number = receipt_number(sequence);
        sqlx::query!(
            "INSERT INTO stock_receipts (tenant_id, id, number, location_id, supplier, reference, actor_label)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            tenant.0,
            id,
            sequence,
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
        let movement_reference = format!("receipt {number}");
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
                reference: &movement_reference,
                unit_cost: Some(*cost),
                note: &note,
            };
            ledger::apply(tx, tenant, actor, m).await.map_err(|e| ledger::for_field(e, &format!("lines[{i}].quantity")))?;
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
                "number": number,
                "location": input.location.0,
                "supplier": supplier,
                "reference": reference,
                "lines": input.lines.iter().map(|(l, c)| json!({ "variant": l.variant.0, "quantity": l.quantity, "unit_cost": c })).collect::<Vec<_>>(),
            })),
        };
        audit::record(tx, tenant, actor, change).await?;
        let units = input.lines.iter().map(|(l, _)| i64::from(l.quantity)).sum();
        let summary = match input.lines.as_slice() {
            [(only, _)] => format!("{} × {}", only.quantity, variant_name(tx, tenant, only.variant).await?),
            lines => format!("{} items", lines.len()),
        };
        Ok(Received { id, number, units, summary })
    })
    .await
}

/// Takes the business's next number of a kind of document, in the caller's transaction (the
/// sequence's row stays locked until it ends).
async fn next_number(tx: &mut sqlx::PgConnection, tenant: crate::base::TenantId, kind: &str) -> Result<i64, Error> {
    Ok(sqlx::query_scalar!(
        "INSERT INTO document_sequences (tenant_id, kind, last) VALUES ($1, $2, 1)
         ON CONFLICT (tenant_id, kind) DO UPDATE SET last = document_sequences.last + 1
         RETURNING last",
        tenant.0,
        kind
    )
    .fetch_one(&mut *tx)
    .await?)
}

/// A variant as people name it (see [`crate::catalog::item_name`]).
async fn variant_name(
    tx: &mut sqlx::PgConnection,
    tenant: crate::base::TenantId,
    variant: VariantId,
) -> Result<String, Error> {
    let row = sqlx::query!(
        r#"SELECT p.name, v.option_values FROM variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
            WHERE v.tenant_id = $1 AND v.id = $2"#,
        tenant.0,
        variant.0
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(crate::catalog::item_name(&row.name, &row.option_values))
}

/// One receipt with its lines, for those who may see its location.
pub async fn receipt(db: &sqlx::PgPool, actor: &Actor, id: Uuid) -> Result<ReceiptDetail, Error> {
    let scope = actor.require(Permission::ViewInventory)?;
    let tenant = scope.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let detail = read_receipt(&mut tx, tenant, id, false).await?;
    scope.reach(detail.location, Permission::ViewInventory).map_err(|_| Error::not_found("receipt"))?;
    tx.commit().await?;
    Ok(detail)
}

async fn read_receipt(
    tx: &mut sqlx::PgConnection,
    tenant: crate::base::TenantId,
    id: Uuid,
    lock: bool,
) -> Result<ReceiptDetail, Error> {
    // Locked before it is read, so that a second void waiting on the lock reads the first's
    // "voided" once it has the receipt, rather than what was there before.
    if lock {
        sqlx::query!("SELECT id FROM stock_receipts WHERE tenant_id = $1 AND id = $2 FOR UPDATE", tenant.0, id)
            .fetch_optional(&mut *tx)
            .await?;
    }
    let head = sqlx::query!(
        r#"SELECT r.id, r.number, r.created_at, r.location_id, l.name AS location_name, r.supplier, r.reference,
                  r.actor_label, r.voided_at, r.voided_by, r.void_reason
             FROM stock_receipts r JOIN locations l ON l.tenant_id = r.tenant_id AND l.id = r.location_id
            WHERE r.tenant_id = $1 AND r.id = $2"#,
        tenant.0,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("receipt"))?;
    let rows = sqlx::query!(
        r#"SELECT rl.variant_id, v.sku, p.name, v.option_values, rl.quantity, rl.unit_cost
             FROM stock_receipt_lines rl
             JOIN variants v ON v.tenant_id = rl.tenant_id AND v.id = rl.variant_id
             JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
            WHERE rl.tenant_id = $1 AND rl.receipt_id = $2
            ORDER BY p.name, v.sku"#,
        tenant.0,
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    let currency = crate::identity::currency_in(tx, tenant).await?;
    let lines: Vec<ReceiptLine> = rows
        .into_iter()
        .map(|r| ReceiptLine {
            variant: VariantId(r.variant_id),
            sku: r.sku,
            name: crate::catalog::item_name(&r.name, &r.option_values),
            quantity: r.quantity,
            unit_cost: Money::new(r.unit_cost, currency),
        })
        .collect();
    let total = lines.iter().map(|l| l.unit_cost.amount * Decimal::from(l.quantity)).sum();
    let voided = match (head.voided_at, head.voided_by, head.void_reason) {
        (Some(at), Some(by), Some(why)) => Some((at, by, why)),
        _ => None,
    };
    Ok(ReceiptDetail {
        receipt: Receipt {
            id: head.id,
            number: receipt_number(head.number),
            at: head.created_at,
            location_name: head.location_name,
            supplier: head.supplier,
            reference: head.reference,
            lines: i64::try_from(lines.len()).unwrap_or(i64::MAX),
            units: lines.iter().map(|l| i64::from(l.quantity)).sum(),
            total_cost: Money::new(total, currency),
            actor: head.actor_label,
            voided: voided.is_some(),
        },
        location: LocationId(head.location_id),
        lines,
        voided,
    })
}

/// Voids a receipt booked by mistake: every line's units go back out of the location it came
/// into (movements of the opposite sign, referring to the receipt), and the receipt is marked
/// voided with the reason. Refused when it is voided already, or when fewer units of a line are
/// free there (on hand and not held for a buyer) than it brought: they were sold, moved or
/// promised since; adjust by hand instead.
/// Costs already averaged in are left as they are. With `once`, a second request with the same
/// key answers the first rather than being refused as voided already.
pub async fn void_receipt(
    db: &sqlx::PgPool,
    actor: &Actor,
    id: Uuid,
    reason: &str,
    once: Option<&Once>,
) -> Result<(), Error> {
    let scope = actor.require(Permission::ManageInventory)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(Error::invalid(
            "reason",
            "say why it is voided (wrong shop, typed twice…), at most 200 characters",
        ));
    }
    Error::refuse_nul("reason", reason)?;
    idempotency::run(db, scope.tenant, once, async |tx| {
        let tenant = scope.tenant;
        let detail = read_receipt(tx, tenant, id, true).await?;
        scope.reach(detail.location, Permission::ManageInventory).map_err(|_| Error::not_found("receipt"))?;
        if detail.voided.is_some() {
            return Err(Error::conflict(Clash::WrongState, format!("Receipt {} is voided already.", detail.receipt.number)));
        }
        let reference = format!("receipt {} voided", detail.receipt.number);
        for line in &detail.lines {
            let free = sqlx::query_scalar!(
                r#"SELECT on_hand - reserved AS "free!" FROM stock_levels
                    WHERE tenant_id = $1 AND variant_id = $2 AND location_id = $3 FOR UPDATE"#,
                tenant.0,
                line.variant.0,
                detail.location.0
            )
            .fetch_optional(&mut *tx)
            .await?
            .unwrap_or(0);
            if free < line.quantity {
                return Err(Error::conflict(
                    Clash::InsufficientStock,
                    format!(
                        "Only {} of {} ({}) are free at {} (on hand and not held for a buyer), and the receipt brought {}: some were sold, moved or promised since. Adjust the stock by hand instead.",
                        free.max(0), line.name, line.sku, detail.receipt.location_name, line.quantity
                    ),
                ));
            }
            let m = Move {
                variant: line.variant,
                location: detail.location,
                quantity: -line.quantity,
                reason: MovementReason::Receipt,
                reference: &reference,
                unit_cost: None,
                note: reason,
            };
            ledger::apply(tx, tenant, actor, m).await?;
        }
        sqlx::query!(
            "UPDATE stock_receipts SET voided_at = now(), voided_by = $3, void_reason = $4 WHERE tenant_id = $1 AND id = $2",
            tenant.0,
            id,
            actor.label(),
            reason
        )
        .execute(&mut *tx)
        .await?;
        let change = Change {
            entity: "stock receipt",
            entity_id: id.to_string(),
            action: "voided",
            before: Some(json!({ "number": detail.receipt.number })),
            after: Some(json!({ "voided": true, "reason": reason })),
        };
        audit::record(tx, tenant, actor, change).await
    })
    .await
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

/// Sets when a variant counts as low at a location, and how many to reorder then. With `once`,
/// a second request with the same key answers the first and writes nothing more.
pub async fn set_reorder(
    db: &sqlx::PgPool,
    actor: &Actor,
    variant: VariantId,
    location: LocationId,
    point: i32,
    quantity: i32,
    once: Option<&Once>,
) -> Result<(), Error> {
    let tenant = actor.require_at(Permission::ManageInventory, location)?.tenant;
    if !(0..=MAX_UNITS).contains(&point) {
        return Err(Error::invalid("reorder_point", "between 0 (no alerts) and 1,000,000"));
    }
    if !(0..=MAX_UNITS).contains(&quantity) {
        return Err(Error::invalid("reorder_quantity", "between 0 and 1,000,000"));
    }
    idempotency::run(db, tenant, once, async |tx| {
        upsert_reorder(tx, tenant, variant, location, point, quantity).await?;
        let record = Change {
            entity: "stock",
            entity_id: format!("{}@{}", variant.0, location.0),
            action: "reorder point set",
            before: None,
            after: Some(json!({ "reorder_point": point, "reorder_quantity": quantity })),
        };
        audit::record(tx, tenant, actor, record).await
    })
    .await
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
        r#"SELECT r.id, r.number, r.created_at, l.name AS location_name, r.supplier, r.reference, r.actor_label,
                  r.voided_at IS NOT NULL AS "voided!", count(rl.variant_id) AS "lines!", coalesce(sum(rl.quantity), 0)::bigint AS "units!",
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
            number: receipt_number(r.number),
            at: r.created_at,
            location_name: r.location_name,
            supplier: r.supplier,
            reference: r.reference,
            lines: r.lines,
            units: r.units,
            total_cost: Money::new(r.total_cost, currency),
            actor: r.actor_label,
            voided: r.voided,
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
