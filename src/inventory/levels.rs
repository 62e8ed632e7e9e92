//! Reading stock: levels by variant and location, a variant's movements, alerts, and the check
//! that the ledger adds up.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Alert, AlertKind, LevelQuery, Movement, MovementReason, StockLevel, StockSummary};
use crate::base::{Actor, LocationId, Permission};
use crate::catalog::{ProductId, VariantId};
use crate::db::tenant_tx;
use crate::{Error, Money};

/// Where a page of levels continues: after this product name (lower-cased), SKU and location.
pub type LevelCursor = (String, String, Uuid);

/// Stock of every variant at every location (zero where none was ever booked), by product
/// name, SKU and location; `limit` rows after `after`. A vendor's side reads its own products at
/// its own places.
pub async fn list(
    db: &sqlx::PgPool,
    actor: &Actor,
    query: &LevelQuery,
    after: Option<LevelCursor>,
    limit: i64,
) -> Result<Vec<(StockLevel, LevelCursor)>, Error> {
    let scope = actor.require(Permission::ViewInventory)?;
    let shops = scope.shops.ids();
    let tenant = scope.tenant;
    let search = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase);
    if let Some(search) = &search {
        Error::refuse_nul("search", search)?;
    }
    let (after_name, after_sku, after_location) = match after {
        Some((name, sku, location)) => (Some(name), Some(sku), Some(location)),
        None => (None, None, None),
    };
    let mut tx = tenant_tx(db, tenant).await?;
    if search.is_some() {
        crate::catalog::product::forgive_typos(&mut tx).await?;
    }
    let rows = sqlx::query!(
        r#"SELECT v.id AS variant_id, p.id AS product_id, p.name AS product_name, lower(p.name) AS "name_key!",
                  v.option_values, v.sku, l.id AS location_id, l.name AS location_name,
                  coalesce(s.on_hand, 0) AS "on_hand!", coalesce(s.reserved, 0) AS "reserved!",
                  coalesce(s.reorder_point, 0) AS "reorder_point!", coalesce(s.reorder_quantity, 0) AS "reorder_quantity!"
             FROM variants v
             JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
             JOIN locations l ON l.tenant_id = v.tenant_id
             LEFT JOIN stock_levels s ON s.tenant_id = v.tenant_id AND s.variant_id = v.id AND s.location_id = l.id
            WHERE v.tenant_id = $1
              AND p.status <> 'archived'
              AND ($2::uuid IS NULL OR l.id = $2)
              AND ($3::uuid IS NULL OR v.id = $3)
              AND ($4::text IS NULL OR lower(v.sku) LIKE $11 OR v.barcode = $4 OR $4 <% lower(p.name))
              AND (NOT $5 OR coalesce(s.low, false))
              AND ($6::text IS NULL OR (lower(p.name), v.sku, l.id) > ($6, $7, $8))
              AND ($10::uuid[] IS NULL OR l.id = ANY($10))
              AND ($12::uuid IS NULL OR p.vendor_id = $12)
            ORDER BY lower(p.name), v.sku, l.id
            LIMIT $9"#,
        tenant.0,
        query.location.map(|l| l.0),
        query.variant.map(|v| v.0),
        search,
        query.low_only,
        after_name,
        after_sku,
        after_location,
        limit.clamp(1, 1000),
        shops.as_deref(),
        // A SKU is found from its start, as the product search finds it.
        search.as_deref().map(|s| format!("{}%", crate::catalog::product::escape_like(s))),
        // A vendor's staff and clients see their own products' stock alone, not another
        // vendor's (nor the marketplace's) as zeros at their place.
        scope.vendor.map(|v| v.0),
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let cursor = (r.name_key, r.sku.clone(), r.location_id);
            let level = StockLevel {
                variant: VariantId(r.variant_id),
                product: ProductId(r.product_id),
                product_name: r.product_name,
                variant_title: crate::catalog::variant_title(&r.option_values),
                sku: r.sku,
                location: LocationId(r.location_id),
                location_name: r.location_name,
                on_hand: r.on_hand,
                reserved: r.reserved,
                available: r.on_hand - r.reserved,
                reorder_point: r.reorder_point,
                reorder_quantity: r.reorder_quantity,
            };
            (level, cursor)
        })
        .collect())
}

/// The business's shops and warehouses, for choosing where stock is.
pub async fn locations(db: &sqlx::PgPool, actor: &Actor) -> Result<Vec<crate::identity::Location>, Error> {
    let scope = actor.require(Permission::ViewInventory)?;
    let mut locations = crate::identity::location::locations_of(db, scope.tenant, false).await?;
    locations.retain(|l| scope.shops.reach(l.id));
    Ok(locations)
}

/// A variant's movements, newest first, at one location or all; `limit` after `before`.
pub async fn movements(
    db: &sqlx::PgPool,
    actor: &Actor,
    variant: VariantId,
    location: Option<LocationId>,
    before: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Movement>, Error> {
    let scope = actor.require(Permission::ViewInventory)?;
    let shops = scope.shops.ids();
    let tenant = scope.tenant;
    let (before_at, before_id) = before.unzip();
    let mut tx = tenant_tx(db, tenant).await?;
    let exists = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM variants WHERE tenant_id = $1 AND id = $2) AS "exists!""#,
        tenant.0,
        variant.0
    )
    .fetch_one(&mut *tx)
    .await?;
    if !exists {
        return Err(Error::not_found("variant"));
    }
    let rows = sqlx::query!(
        r#"SELECT m.id, m.at, m.variant_id, v.sku, m.location_id, l.name AS location_name, m.quantity,
                  m.on_hand_after, m.reason, m.unit_cost, m.note, m.actor_label,
                  CASE WHEN t.id IS NOT NULL THEN 'transfer from ' || tf.name || ' to ' || tt.name
                       ELSE m.reference END AS "reference!",
                  CASE WHEN r.id IS NOT NULL THEN '/admin/stock/receipts/' || r.id
                       WHEN t.id IS NOT NULL THEN '/admin/stock/transfers#transfer-' || t.id END AS document
             FROM stock_movements m
             JOIN variants v ON v.tenant_id = m.tenant_id AND v.id = m.variant_id
             JOIN locations l ON l.tenant_id = m.tenant_id AND l.id = m.location_id
             -- The document a movement names in its reference ("receipt R-0042", "transfer <id>").
             LEFT JOIN stock_receipts r
                    ON r.tenant_id = m.tenant_id AND m.reason = 'receipt'
                   AND r.number = substring(m.reference FROM '^receipt R-([0-9]{1,18})( voided)?$')::bigint
             LEFT JOIN stock_transfers t
                    ON t.tenant_id = m.tenant_id AND m.reason IN ('transfer_out', 'transfer_in')
                   AND t.id = substring(m.reference FROM '^transfer ([0-9a-f-]{36})$')::uuid
             LEFT JOIN locations tf ON tf.tenant_id = t.tenant_id AND tf.id = t.from_location
             LEFT JOIN locations tt ON tt.tenant_id = t.tenant_id AND tt.id = t.to_location
            WHERE m.tenant_id = $1 AND m.variant_id = $2
              AND ($3::uuid IS NULL OR m.location_id = $3)
              AND ($4::timestamptz IS NULL OR (m.at, m.id) < ($4, $5))
              AND ($7::uuid[] IS NULL OR m.location_id = ANY($7))
            ORDER BY m.at DESC, m.id DESC
            LIMIT $6"#,
        tenant.0,
        variant.0,
        location.map(|l| l.0),
        before_at,
        before_id,
        limit.clamp(1, 1000),
        shops.as_deref(),
    )
    .fetch_all(&mut *tx)
    .await?;
    let currency = crate::identity::currency_in(&mut tx, tenant).await?;
    tx.commit().await?;
    rows.into_iter()
        .map(|r| {
            Ok(Movement {
                id: r.id,
                at: r.at,
                variant: VariantId(r.variant_id),
                sku: r.sku,
                location: LocationId(r.location_id),
                location_name: r.location_name,
                quantity: r.quantity,
                on_hand_after: r.on_hand_after,
                reason: MovementReason::from_code(&r.reason).ok_or(Error::Internal)?,
                reference: r.reference,
                document: r.document,
                unit_cost: r.unit_cost.map(|cost| Money::new(cost, currency)),
                note: r.note,
                actor: r.actor_label,
            })
        })
        .collect()
}

/// What needs a look in the stock this morning, as the overview shows it: items running low and
/// items out (each counted once per location, from the open alerts, as the alerts page lists
/// them), transfers on the way or still drafts, and counts under way, at the locations the actor's
/// work reaches.
pub async fn summary(db: &sqlx::PgPool, actor: &Actor) -> Result<StockSummary, Error> {
    summary_at(db, actor, None).await
}

/// [`summary`] at one location, when `only` names one (which must be within the actor's reach).
pub async fn summary_at(db: &sqlx::PgPool, actor: &Actor, only: Option<LocationId>) -> Result<StockSummary, Error> {
    let scope = actor.require(Permission::ViewInventory)?;
    let shops = match only {
        Some(location) => {
            scope.reach(location, Permission::ViewInventory)?;
            Some(vec![location.0])
        }
        None => scope.shops.ids(),
    };
    let tenant = scope.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let row = sqlx::query!(
        r#"SELECT alerts.low AS "low!", alerts.out AS "out!", transfers.in_transit AS "in_transit!",
                  transfers.drafts AS "drafts!",
             (SELECT count(*) FROM stock_counts c
               WHERE c.tenant_id = $1 AND c.status = 'open'
                 AND ($2::uuid[] IS NULL OR c.location_id = ANY($2))) AS "counts!"
             FROM (SELECT count(DISTINCT (a.variant_id, a.location_id)) FILTER (WHERE s.on_hand - s.reserved > 0) AS low,
                          count(DISTINCT (a.variant_id, a.location_id)) FILTER (WHERE s.on_hand - s.reserved <= 0) AS out
                     FROM stock_alerts a
                     JOIN stock_levels s
                       ON s.tenant_id = a.tenant_id AND s.variant_id = a.variant_id AND s.location_id = a.location_id
                    WHERE a.tenant_id = $1 AND a.resolved_at IS NULL
                      AND ($2::uuid[] IS NULL OR a.location_id = ANY($2))) alerts,
                  (SELECT count(*) FILTER (WHERE t.status = 'sent') AS in_transit,
                          count(*) FILTER (WHERE t.status = 'draft') AS drafts
                     FROM stock_transfers t
                    WHERE t.tenant_id = $1 AND t.status IN ('sent', 'draft')
                      AND ($2::uuid[] IS NULL OR t.from_location = ANY($2) OR t.to_location = ANY($2))) transfers"#,
        tenant.0,
        shops.as_deref(),
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(StockSummary { low: row.low, out: row.out, in_transit: row.in_transit, drafts: row.drafts, counts: row.counts })
}

/// Alerts, open ones first and newest first; with `open_only`, just those not yet resolved.
pub async fn alerts(db: &sqlx::PgPool, actor: &Actor, open_only: bool, limit: i64) -> Result<Vec<Alert>, Error> {
    let scope = actor.require(Permission::ViewInventory)?;
    let shops = scope.shops.ids();
    let tenant = scope.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let rows = sqlx::query!(
        r#"SELECT a.id, a.kind, a.variant_id, p.id AS product_id, p.name AS product_name, v.option_values, v.sku,
                  a.location_id, l.name AS location_name, a.available, s.on_hand - s.reserved AS "available_now!",
                  s.reorder_point, s.reorder_quantity, a.raised_at, a.resolved_at
             FROM stock_alerts a
             JOIN stock_levels s ON s.tenant_id = a.tenant_id AND s.variant_id = a.variant_id AND s.location_id = a.location_id
             JOIN variants v ON v.tenant_id = a.tenant_id AND v.id = a.variant_id
             JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
             JOIN locations l ON l.tenant_id = a.tenant_id AND l.id = a.location_id
            WHERE a.tenant_id = $1 AND (NOT $2 OR a.resolved_at IS NULL)
              AND ($4::uuid[] IS NULL OR a.location_id = ANY($4))
            ORDER BY a.resolved_at IS NOT NULL, a.raised_at DESC, a.id
            LIMIT $3"#,
        tenant.0,
        open_only,
        limit.clamp(1, 1000),
        shops.as_deref(),
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    rows.into_iter()
        .map(|r| {
            Ok(Alert {
                id: r.id,
                kind: AlertKind::from_code(&r.kind).ok_or(Error::Internal)?,
                variant: VariantId(r.variant_id),
                product: ProductId(r.product_id),
                item: crate::catalog::item_name(&r.product_name, &r.option_values),
                sku: r.sku,
                location: LocationId(r.location_id),
                location_name: r.location_name,
                available_then: r.available,
                available_now: r.available_now,
                reorder: (r.reorder_point, r.reorder_quantity),
                raised_at: r.raised_at,
                resolved_at: r.resolved_at,
            })
        })
        .collect()
}

/// How stock stands across the business: open low and oversold alerts, for the dashboard.
pub async fn open_alert_counts(db: &sqlx::PgPool, actor: &Actor) -> Result<(i64, i64), Error> {
    let scope = actor.require(Permission::ViewInventory)?;
    let shops = scope.shops.ids();
    let tenant = scope.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let row = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE kind = 'low') AS "low!", count(*) FILTER (WHERE kind = 'oversold') AS "oversold!"
             FROM stock_alerts
            WHERE tenant_id = $1 AND resolved_at IS NULL AND ($2::uuid[] IS NULL OR location_id = ANY($2))"#,
        tenant.0,
        shops.as_deref(),
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((row.low, row.oversold))
}

/// Levels whose movements do not add up to their on-hand, as (variant, location, on hand, sum
/// of movements); empty when the ledger is whole, which it must always be.
pub async fn ledger_discrepancies(
    db: &sqlx::PgPool,
    actor: &Actor,
) -> Result<Vec<(VariantId, LocationId, i32, i64)>, Error> {
    let scope = actor.require(Permission::ViewInventory)?;
    scope.operator_only("check the whole stock ledger")?;
    let tenant = scope.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let rows = sqlx::query!(
        r#"SELECT s.variant_id, s.location_id, s.on_hand, coalesce(sum(m.quantity), 0)::bigint AS "moved!"
             FROM stock_levels s
             LEFT JOIN stock_movements m
               ON m.tenant_id = s.tenant_id AND m.variant_id = s.variant_id AND m.location_id = s.location_id
            WHERE s.tenant_id = $1
            GROUP BY s.tenant_id, s.variant_id, s.location_id, s.on_hand
           HAVING s.on_hand <> coalesce(sum(m.quantity), 0)"#,
        tenant.0
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows.into_iter().map(|r| (VariantId(r.variant_id), LocationId(r.location_id), r.on_hand, r.moved)).collect())
}

/// What the stock tables must always agree on, checked across every business: each level's
/// on-hand is the sum of its movements, and its `reserved` is the sum of its live holds, never
/// below zero. Answers how many levels were checked and a line for each one that is wrong.
///
/// For the tables' owner (tests, and an operator checking a database): under the application's
/// role, row security shows it no business, and it would find nothing wrong in nothing.
pub async fn stock_breaches(owner: &sqlx::PgPool) -> Result<(i64, Vec<String>), Error> {
    let checked = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM stock_levels"#).fetch_one(owner).await?;
    let wrong = sqlx::query!(
        r#"SELECT s.tenant_id, s.variant_id, s.location_id, s.on_hand, s.reserved,
                  coalesce(m.moved, 0)::bigint AS "moved!", coalesce(h.held, 0)::bigint AS "held!"
             FROM stock_levels s
             LEFT JOIN (SELECT tenant_id, variant_id, location_id, sum(quantity) AS moved FROM stock_movements
                         GROUP BY tenant_id, variant_id, location_id) m
               ON m.tenant_id = s.tenant_id AND m.variant_id = s.variant_id AND m.location_id = s.location_id
             LEFT JOIN (SELECT tenant_id, variant_id, location_id, sum(quantity) AS held FROM stock_reservations
                         WHERE status = 'held' GROUP BY tenant_id, variant_id, location_id) h
               ON h.tenant_id = s.tenant_id AND h.variant_id = s.variant_id AND h.location_id = s.location_id
            WHERE s.on_hand <> coalesce(m.moved, 0) OR s.reserved <> coalesce(h.held, 0) OR s.reserved < 0"#
    )
    .fetch_all(owner)
    .await?;
    let wrong = wrong
        .into_iter()
        .map(|r| {
            format!(
                "business {} variant {} at {}: on hand {} (movements add to {}), reserved {} (live holds add to {})",
                r.tenant_id, r.variant_id, r.location_id, r.on_hand, r.moved, r.reserved, r.held
            )
        })
        .collect();
    Ok((checked, wrong))
}
