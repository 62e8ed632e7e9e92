//! Stock counts: a count sheet per location with what the books expect, the numbers people
//! count, and on approval the differences posted to the ledger.

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::in_order;
use super::ledger::{self, Move};
use super::{CountLine, CountStatus, MovementReason, StockCount};
use crate::audit::{self, Change};
use crate::base::page::Page;
use crate::base::{Actor, LocationId, Permission, Scope, TenantId};
use crate::catalog::VariantId;
use crate::catalog::item_name;
use crate::db::tenant_tx;
use crate::idempotency::Once;
use crate::{Clash, Error};

/// Opens a count at a location: the sheet lists every variant of the business that is not
/// archived, with the on-hand the books expect now. Answers its id.
pub async fn start(
    db: &sqlx::PgPool,
    actor: &Actor,
    location: LocationId,
    note: &str,
    once: Option<&crate::idempotency::Once>,
) -> Result<Uuid, Error> {
    let tenant = actor.require_at(Permission::ManageInventory, location)?.tenant;
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(Error::invalid("note", "at most 500 characters"));
    }
    Error::refuse_nul("note", note)?;
    crate::idempotency::run(db, tenant, once, async |tx| {
        let id = Uuid::now_v7();
        sqlx::query!(
            "INSERT INTO stock_counts (tenant_id, id, location_id, note, created_by) VALUES ($1, $2, $3, $4, $5)",
            tenant.0,
            id,
            location.0,
            note,
            actor.label()
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            crate::db::field_error(e, "stock_counts_tenant_id_location_id_fkey", "location", "choose a location")
        })?;
        sqlx::query!(
            "INSERT INTO stock_count_lines (tenant_id, count_id, variant_id, expected)
         SELECT v.tenant_id, $2, v.id, coalesce(s.on_hand, 0)
           FROM variants v
           JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
           LEFT JOIN stock_levels s ON s.tenant_id = v.tenant_id AND s.variant_id = v.id AND s.location_id = $3
          WHERE v.tenant_id = $1 AND p.status <> 'archived'",
            tenant.0,
            id,
            location.0
        )
        .execute(&mut *tx)
        .await?;
        let change = Change {
            entity: "stock count",
            entity_id: id.to_string(),
            action: "started",
            before: None,
            after: Some(json!({ "location": location.0 })),
        };
        audit::record(tx, tenant, actor, change).await?;
        Ok(id)
    })
    .await
}

/// Enters what was counted for some variants of an open count (`None` clears a number), in the
/// caller's transaction, for work within `scope` (its permission already required); [`save`]
/// runs it.
pub async fn record_counts_in(
    tx: &mut sqlx::PgConnection,
    scope: &Scope,
    id: Uuid,
    counts: &[(VariantId, Option<i32>)],
) -> Result<(), Error> {
    let tenant = scope.tenant;
    if let Some(i) = counts.iter().position(|(_, n)| n.is_some_and(|n| !(0..=super::MAX_UNITS).contains(&n))) {
        return Err(Error::invalid(format!("counts[{i}]"), "enter a whole number of units from 0 up"));
    }
    open(&mut *tx, scope, id).await?;
    for (i, (variant, counted)) in counts.iter().enumerate() {
        let updated = sqlx::query!(
            "UPDATE stock_count_lines SET counted = $4 WHERE tenant_id = $1 AND count_id = $2 AND variant_id = $3",
            tenant.0,
            id,
            variant.0,
            *counted
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Err(Error::invalid(format!("counts[{i}]"), "this item is not on the count sheet"));
        }
    }
    Ok(())
}

/// Approves an open count: for each counted line, the difference between what was counted and
/// what was expected is posted as a count movement. Lines not counted are left as they are.
/// Answers how many levels changed. In the caller's transaction, for work within `scope` (its
/// permission already required); `actor` is who the records name; [`save`] runs it.
pub async fn approve_in(tx: &mut sqlx::PgConnection, scope: &Scope, actor: &Actor, id: Uuid) -> Result<usize, Error> {
    let tenant = scope.tenant;
    let location = open(&mut *tx, scope, id).await?;
    let lines = sqlx::query!(
        r#"SELECT variant_id, counted AS "counted!", expected FROM stock_count_lines
            WHERE tenant_id = $1 AND count_id = $2 AND counted IS NOT NULL AND counted <> expected"#,
        tenant.0,
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    let reference = format!("count {id}");
    for line in &lines {
        // Both are bounded (by the sheet's checks and the database's), so this fits; checked
        // all the same, since a wrong answer would be silent.
        let quantity = line.counted.checked_sub(line.expected).ok_or_else(|| {
            Error::conflict(
                Clash::CountOutOfRange,
                format!("A count of {} is too far from the {} expected.", line.counted, line.expected),
            )
        })?;
        let m = Move {
            variant: VariantId(line.variant_id),
            location,
            quantity,
            reason: MovementReason::Count,
            reference: &reference,
            unit_cost: None,
            note: &format!("expected {}, counted {}", line.expected, line.counted),
        };
        ledger::apply(&mut *tx, tenant, actor, m).await.map_err(|e| ledger::for_field(e, "counts"))?;
    }
    sqlx::query!(
        "UPDATE stock_counts SET status = 'approved', approved_at = now() WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        id
    )
    .execute(&mut *tx)
    .await?;
    let change = Change {
        entity: "stock count",
        entity_id: id.to_string(),
        action: "approved",
        before: None,
        after: Some(json!({ "variances": lines.len() })),
    };
    audit::record(&mut *tx, tenant, actor, change).await?;
    Ok(lines.len())
}

/// Abandons an open count; nothing is posted.
/// With `once`, a second request with the same key answers the first rather than being
/// refused because the first has moved the count on.
pub async fn cancel(db: &sqlx::PgPool, actor: &Actor, id: Uuid, once: Option<&Once>) -> Result<(), Error> {
    let scope = actor.require(Permission::ManageInventory)?;
    crate::idempotency::run(db, scope.tenant, once, async |tx| cancel_in(tx, &scope, actor, id).await).await
}

/// The count sheet's save: enters what was counted and, with `approve`, books the differences,
/// in one transaction; answers how many levels the approval changed. With `once`, a second
/// request with the same key answers the first rather than finding the count closed.
pub async fn save(
    db: &sqlx::PgPool,
    actor: &Actor,
    id: Uuid,
    counts: &[(VariantId, Option<i32>)],
    approve: bool,
    once: Option<&Once>,
) -> Result<Option<usize>, Error> {
    let scope = actor.require(Permission::ManageInventory)?;
    crate::idempotency::run(db, scope.tenant, once, async |tx| {
        record_counts_in(tx, &scope, id, counts).await?;
        if approve { approve_in(tx, &scope, actor, id).await.map(Some) } else { Ok(None) }
    })
    .await
}

/// The step of [`cancel`], in the caller's transaction, for work within `scope` (its
/// permission already required); `actor` is who the records name.
pub async fn cancel_in(tx: &mut sqlx::PgConnection, scope: &Scope, actor: &Actor, id: Uuid) -> Result<(), Error> {
    let tenant = scope.tenant;
    open(&mut *tx, scope, id).await?;
    sqlx::query!("UPDATE stock_counts SET status = 'cancelled' WHERE tenant_id = $1 AND id = $2", tenant.0, id)
        .execute(&mut *tx)
        .await?;
    let change =
        Change { entity: "stock count", entity_id: id.to_string(), action: "cancelled", before: None, after: None };
    audit::record(&mut *tx, tenant, actor, change).await?;
    Ok(())
}

/// One count with its sheet, by product name and SKU.
pub async fn get(db: &sqlx::PgPool, actor: &Actor, id: Uuid) -> Result<StockCount, Error> {
    let scope = actor.require(Permission::ViewInventory)?;
    let mut tx = tenant_tx(db, scope.tenant).await?;
    let count = read(&mut tx, scope.tenant, id).await?;
    tx.commit().await?;
    // Another shop's count is, to someone bound elsewhere, as if it did not exist.
    if !scope.shops.reach(count.location) {
        return Err(Error::not_found("stock count"));
    }
    Ok(count)
}

/// A page of counts without their sheets, newest first, continuing after the count `after`
/// names (when it was started, and its id).
pub async fn list(
    db: &sqlx::PgPool,
    actor: &Actor,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Page<StockCount>, Error> {
    let scope = actor.require(Permission::ViewInventory)?;
    let shops = scope.shops.ids();
    let tenant = scope.tenant;
    let limit = limit.clamp(1, 200);
    let (at, id) = after.unzip();
    let mut tx = tenant_tx(db, tenant).await?;
    let ids = sqlx::query_scalar!(
        "SELECT id FROM stock_counts
          WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
            AND ($5::uuid[] IS NULL OR location_id = ANY($5))
          ORDER BY created_at DESC, id DESC LIMIT $4",
        tenant.0,
        at,
        id,
        limit + 1,
        shops.as_deref(),
    )
    .fetch_all(&mut *tx)
    .await?;
    let counts = read_all(&mut tx, tenant, &ids).await?;
    tx.commit().await?;
    Ok(Page::from_extra(counts, limit, |c| (c.created_at, c.id)))
}

/// Locks an open count and answers its location; `Conflict` when it is closed, `Forbidden`
/// when its location is out of the scope's reach.
async fn open(tx: &mut sqlx::PgConnection, scope: &Scope, id: Uuid) -> Result<LocationId, Error> {
    let row = sqlx::query!(
        "SELECT status, location_id FROM stock_counts WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
        scope.tenant.0,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("stock count"))?;
    scope.reach(LocationId(row.location_id), Permission::ManageInventory)?;
    if row.status != "open" {
        return Err(Error::conflict(
            Clash::WrongState,
            format!("This count is {}; it can no longer change.", row.status),
        ));
    }
    Ok(LocationId(row.location_id))
}

/// Reads a count with its lines.
async fn read(tx: &mut sqlx::PgConnection, tenant: TenantId, id: Uuid) -> Result<StockCount, Error> {
    let mut count = read_all(tx, tenant, &[id]).await?.pop().ok_or_else(|| Error::not_found("stock count"))?;
    count.lines = sqlx::query!(
        "SELECT cl.variant_id, p.name AS product_name, v.option_values, v.sku, cl.expected, cl.counted
           FROM stock_count_lines cl
           JOIN variants v ON v.tenant_id = cl.tenant_id AND v.id = cl.variant_id
           JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
          WHERE cl.tenant_id = $1 AND cl.count_id = $2
          ORDER BY lower(p.name), v.sku",
        tenant.0,
        id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|l| CountLine {
        variant: VariantId(l.variant_id),
        item: item_name(&l.product_name, &l.option_values),
        sku: l.sku,
        expected: l.expected,
        counted: l.counted,
    })
    .collect();
    Ok(count)
}

/// The counts with these ids, without their lines, in the order given (those not found left
/// out), read with one query.
async fn read_all(tx: &mut sqlx::PgConnection, tenant: TenantId, ids: &[Uuid]) -> Result<Vec<StockCount>, Error> {
    let rows = sqlx::query!(
        "SELECT c.id, c.location_id, l.name AS location_name, c.status, c.note, c.created_by, c.created_at, c.approved_at
           FROM stock_counts c JOIN locations l ON l.tenant_id = c.tenant_id AND l.id = c.location_id
          WHERE c.tenant_id = $1 AND c.id = ANY($2)",
        tenant.0,
        ids
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut counts = Vec::with_capacity(rows.len());
    for c in rows {
        counts.push(StockCount {
            id: c.id,
            location: LocationId(c.location_id),
            location_name: c.location_name,
            status: CountStatus::from_code(&c.status).ok_or(Error::Internal)?,
            note: c.note,
            created_by: c.created_by,
            created_at: c.created_at,
            approved_at: c.approved_at,
            lines: Vec::new(),
        });
    }
    Ok(in_order(ids, counts, |c| c.id))
}
