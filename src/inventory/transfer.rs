//! Transfers between locations: drafted, sent (stock leaves the sending location), received
//! (what arrived is added at the other end; a shortfall stays on record), or cancelled.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::in_order;
use super::ledger::{self, Move};
use super::stock::check_lines;
use super::{Line, MovementReason, Transfer, TransferLine, TransferStatus};
use crate::audit::{self, Change};
use crate::base::page::Page;
use crate::base::{Actor, LocationId, Permission, Scope, TenantId};
use crate::catalog::VariantId;
use crate::catalog::item_name;
use crate::db::tenant_tx;
use crate::idempotency::{self, Once};
use crate::{Clash, Error};

/// Drafts a transfer; no stock moves until it is sent. Answers its id.
pub async fn create(
    db: &sqlx::PgPool,
    actor: &Actor,
    from: LocationId,
    to: LocationId,
    lines: &[Line],
    note: &str,
    once: Option<&Once>,
) -> Result<Uuid, Error> {
    // Stock is sent from a location within reach, to any of the business's.
    let tenant = actor.require_at(Permission::ManageInventory, from)?.tenant;
    if from == to {
        return Err(Error::invalid("to", "choose a different location to send to"));
    }
    check_lines(lines)?;
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(Error::invalid("note", "at most 500 characters"));
    }
    Error::refuse_nul("note", note)?;
    let id = Uuid::now_v7();
    idempotency::run(db, tenant, once, async |tx| {
        sqlx::query!(
            "INSERT INTO stock_transfers (tenant_id, id, from_location, to_location, note, created_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
            tenant.0,
            id,
            from.0,
            to.0,
            note,
            actor.label()
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            crate::db::field_errors(
                e,
                &[
                    ("stock_transfers_tenant_id_from_location_fkey", "from", "choose one of your locations"),
                    ("stock_transfers_tenant_id_to_location_fkey", "to", "choose one of your locations"),
                ],
            )
        })?;
        for (i, line) in lines.iter().enumerate() {
            sqlx::query!(
            "INSERT INTO stock_transfer_lines (tenant_id, transfer_id, variant_id, quantity) VALUES ($1, $2, $3, $4)",
            tenant.0,
            id,
            line.variant.0,
            line.quantity
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            crate::db::field_error(
                e,
                "stock_transfer_lines_tenant_id_variant_id_fkey",
                &format!("lines[{i}].variant"),
                "choose one of your products",
            )
        })?;
        }
        record(tx, tenant, actor, id, "created", json!({ "from": from.0, "to": to.0, "lines": lines.len() })).await?;
        Ok(id)
    })
    .await
}

/// Sends a draft: every line leaves the sending location. Refused when a line has fewer units
/// available there than it sends.
/// With `once`, a second request with the same key answers the first rather than being
/// refused because the first has moved the transfer on.
pub async fn send(db: &sqlx::PgPool, actor: &Actor, id: Uuid, once: Option<&Once>) -> Result<(), Error> {
    let scope = actor.require(Permission::ManageInventory)?;
    idempotency::run(db, scope.tenant, once, async |tx| send_in(tx, &scope, actor, id).await).await
}

/// The step of [`send`], in the caller's transaction, for work within `scope` (its
/// permission already required); `actor` is who the records name.
pub async fn send_in(tx: &mut sqlx::PgConnection, scope: &Scope, actor: &Actor, id: Uuid) -> Result<(), Error> {
    let tenant = scope.tenant;
    let transfer = read(&mut *tx, tenant, id, true).await?;
    scope.reach(transfer.from, Permission::ManageInventory)?;
    step(&transfer, TransferStatus::Sent)?;
    for line in &transfer.lines {
        let available = sqlx::query_scalar!(
            "SELECT on_hand - reserved FROM stock_levels
              WHERE tenant_id = $1 AND variant_id = $2 AND location_id = $3 FOR UPDATE",
            tenant.0,
            line.variant.0,
            transfer.from.0
        )
        .fetch_optional(&mut *tx)
        .await?
        .flatten()
        .unwrap_or(0);
        if available < line.quantity {
            return Err(Error::conflict(
                Clash::InsufficientStock,
                format!(
                    "Only {available} of {} ({}) are available at {}; change the transfer or receive stock first.",
                    line.item, line.sku, transfer.from_name
                ),
            ));
        }
        let m = Move {
            variant: line.variant,
            location: transfer.from,
            quantity: -line.quantity,
            reason: MovementReason::TransferOut,
            reference: &format!("transfer {id}"),
            unit_cost: None,
            note: &format!("to {}", transfer.to_name),
        };
        ledger::apply(&mut *tx, tenant, actor, m).await?;
    }
    sqlx::query!(
        "UPDATE stock_transfers SET status = 'sent', sent_at = now() WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        id
    )
    .execute(&mut *tx)
    .await?;
    record(&mut *tx, tenant, actor, id, "sent", json!({ "status": "sent" })).await?;
    Ok(())
}

/// Receives a sent transfer: `arrived` says how many of each variant came (lines left out
/// arrived in full); those units are added at the receiving location.
/// With `once`, a second request with the same key answers the first rather than being
/// refused because the first has moved the transfer on.
pub async fn receive(
    db: &sqlx::PgPool,
    actor: &Actor,
    id: Uuid,
    arrived: &[Line],
    once: Option<&Once>,
) -> Result<(), Error> {
    let scope = actor.require(Permission::ManageInventory)?;
    idempotency::run(db, scope.tenant, once, async |tx| receive_in(tx, &scope, actor, id, arrived).await).await
}

/// The step of [`receive`], in the caller's transaction, for work within `scope` (its
/// permission already required); `actor` is who the records name.
pub async fn receive_in(
    tx: &mut sqlx::PgConnection,
    scope: &Scope,
    actor: &Actor,
    id: Uuid,
    arrived: &[Line],
) -> Result<(), Error> {
    let tenant = scope.tenant;
    let transfer = read(&mut *tx, tenant, id, true).await?;
    scope.reach(transfer.to, Permission::ManageInventory)?;
    step(&transfer, TransferStatus::Received)?;
    if let Some(i) = arrived.iter().position(|a| transfer.lines.iter().all(|l| l.variant != a.variant)) {
        return Err(Error::invalid(format!("arrived[{i}].variant"), "this item is not on the transfer"));
    }
    for (i, line) in transfer.lines.iter().enumerate() {
        let came = arrived.iter().find(|a| a.variant == line.variant).map_or(line.quantity, |a| a.quantity);
        if !(0..=line.quantity).contains(&came) {
            return Err(Error::invalid(
                format!("arrived[{i}].quantity"),
                format!("between 0 and the {} sent", line.quantity),
            ));
        }
        sqlx::query!(
            "UPDATE stock_transfer_lines SET received = $4 WHERE tenant_id = $1 AND transfer_id = $2 AND variant_id = $3",
            tenant.0,
            id,
            line.variant.0,
            came
        )
        .execute(&mut *tx)
        .await?;
        if came > 0 {
            let short = line.quantity - came;
            let m = Move {
                variant: line.variant,
                location: transfer.to,
                quantity: came,
                reason: MovementReason::TransferIn,
                reference: &format!("transfer {id}"),
                unit_cost: None,
                note: &if short > 0 {
                    format!("from {}; {short} short", transfer.from_name)
                } else {
                    format!("from {}", transfer.from_name)
                },
            };
            ledger::apply(&mut *tx, tenant, actor, m)
                .await
                .map_err(|e| ledger::for_field(e, &format!("arrived[{i}].quantity")))?;
        }
    }
    sqlx::query!(
        "UPDATE stock_transfers SET status = 'received', received_at = now() WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        id
    )
    .execute(&mut *tx)
    .await?;
    record(&mut *tx, tenant, actor, id, "received", json!({ "arrived": arrived.len() })).await?;
    Ok(())
}

/// Calls off a draft.
/// With `once`, a second request with the same key answers the first rather than being
/// refused because the first has moved the transfer on.
pub async fn cancel(db: &sqlx::PgPool, actor: &Actor, id: Uuid, once: Option<&Once>) -> Result<(), Error> {
    let scope = actor.require(Permission::ManageInventory)?;
    idempotency::run(db, scope.tenant, once, async |tx| cancel_in(tx, &scope, actor, id).await).await
}

/// The step of [`cancel`], in the caller's transaction, for work within `scope` (its
/// permission already required); `actor` is who the records name.
pub async fn cancel_in(tx: &mut sqlx::PgConnection, scope: &Scope, actor: &Actor, id: Uuid) -> Result<(), Error> {
    let tenant = scope.tenant;
    let transfer = read(&mut *tx, tenant, id, true).await?;
    scope.reach(transfer.from, Permission::ManageInventory)?;
    step(&transfer, TransferStatus::Cancelled)?;
    sqlx::query!("UPDATE stock_transfers SET status = 'cancelled' WHERE tenant_id = $1 AND id = $2", tenant.0, id)
        .execute(&mut *tx)
        .await?;
    record(&mut *tx, tenant, actor, id, "cancelled", json!({ "status": "cancelled" })).await?;
    Ok(())
}

/// One transfer with its lines.
pub async fn get(db: &sqlx::PgPool, actor: &Actor, id: Uuid) -> Result<Transfer, Error> {
    let scope = actor.require(Permission::ViewInventory)?;
    let mut tx = tenant_tx(db, scope.tenant).await?;
    let transfer = read(&mut tx, scope.tenant, id, false).await?;
    tx.commit().await?;
    // A transfer between two shops someone is not bound to is, to them, as if it did not exist.
    if !scope.shops.reach(transfer.from) && !scope.shops.reach(transfer.to) {
        return Err(Error::not_found("transfer"));
    }
    Ok(transfer)
}

/// A page of transfers with their lines, newest first, continuing after the transfer `after`
/// names (when it was drafted, and its id).
pub async fn list(
    db: &sqlx::PgPool,
    actor: &Actor,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Page<Transfer>, Error> {
    let scope = actor.require(Permission::ViewInventory)?;
    let shops = scope.shops.ids();
    let tenant = scope.tenant;
    let limit = limit.clamp(1, 200);
    let (at, id) = after.unzip();
    let mut tx = tenant_tx(db, tenant).await?;
    let ids = sqlx::query_scalar!(
        "SELECT id FROM stock_transfers
          WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
            AND ($5::uuid[] IS NULL OR (from_location = ANY($5) OR to_location = ANY($5)))
          ORDER BY created_at DESC, id DESC LIMIT $4",
        tenant.0,
        at,
        id,
        limit + 1,
        shops.as_deref(),
    )
    .fetch_all(&mut *tx)
    .await?;
    let transfers = read_all(&mut tx, tenant, &ids).await?;
    tx.commit().await?;
    Ok(Page::from_extra(transfers, limit, |t| (t.created_at, t.id)))
}

fn step(transfer: &Transfer, next: TransferStatus) -> Result<(), Error> {
    if transfer.status.may_become(next) {
        Ok(())
    } else {
        Err(Error::conflict(
            Clash::WrongState,
            format!(
                "This transfer is {}; it cannot be {} now.",
                transfer.status.label().to_lowercase(),
                next.label().to_lowercase()
            ),
        ))
    }
}

/// Reads a transfer; with `lock`, first takes its row lock so that what is read is what the
/// caller goes on to change (each statement after the wait sees the latest state).
async fn read(tx: &mut sqlx::PgConnection, tenant: TenantId, id: Uuid, lock: bool) -> Result<Transfer, Error> {
    if lock {
        sqlx::query_scalar!("SELECT id FROM stock_transfers WHERE tenant_id = $1 AND id = $2 FOR UPDATE", tenant.0, id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::not_found("transfer"))?;
    }
    read_all(tx, tenant, &[id]).await?.pop().ok_or_else(|| Error::not_found("transfer"))
}

/// The transfers with these ids, in the order given (those not found left out), read with two
/// queries however many there are.
async fn read_all(tx: &mut sqlx::PgConnection, tenant: TenantId, ids: &[Uuid]) -> Result<Vec<Transfer>, Error> {
    let headers = sqlx::query!(
        "SELECT t.id, t.from_location, f.name AS from_name, t.to_location, d.name AS to_name, t.status, t.note,
                t.created_by, t.created_at, t.sent_at, t.received_at
           FROM stock_transfers t
           JOIN locations f ON f.tenant_id = t.tenant_id AND f.id = t.from_location
           JOIN locations d ON d.tenant_id = t.tenant_id AND d.id = t.to_location
          WHERE t.tenant_id = $1 AND t.id = ANY($2)",
        tenant.0,
        ids
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut lines: HashMap<Uuid, Vec<TransferLine>> = HashMap::new();
    let rows = sqlx::query!(
        "SELECT tl.transfer_id, tl.variant_id, p.name AS product_name, v.option_values, v.sku, tl.quantity, tl.received
           FROM stock_transfer_lines tl
           JOIN variants v ON v.tenant_id = tl.tenant_id AND v.id = tl.variant_id
           JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
          WHERE tl.tenant_id = $1 AND tl.transfer_id = ANY($2)
          ORDER BY lower(p.name), v.sku",
        tenant.0,
        ids
    )
    .fetch_all(&mut *tx)
    .await?;
    for l in rows {
        lines.entry(l.transfer_id).or_default().push(TransferLine {
            variant: VariantId(l.variant_id),
            item: item_name(&l.product_name, &l.option_values),
            sku: l.sku,
            quantity: l.quantity,
            received: l.received,
        });
    }
    let mut transfers = Vec::with_capacity(headers.len());
    for t in headers {
        transfers.push(Transfer {
            id: t.id,
            from: LocationId(t.from_location),
            from_name: t.from_name,
            to: LocationId(t.to_location),
            to_name: t.to_name,
            status: TransferStatus::from_code(&t.status).ok_or(Error::Internal)?,
            note: t.note,
            created_by: t.created_by,
            created_at: t.created_at,
            sent_at: t.sent_at,
            received_at: t.received_at,
            lines: lines.remove(&t.id).unwrap_or_default(),
        });
    }
    Ok(in_order(ids, transfers, |t| t.id))
}

async fn record(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: Uuid,
    action: &'static str,
    after: serde_json::Value,
) -> Result<(), Error> {
    let change =
        Change { entity: "stock transfer", entity_id: id.to_string(), action, before: None, after: Some(after) };
    audit::record(tx, tenant, actor, change).await
}
