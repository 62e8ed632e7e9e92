//! Shifts in the back office: the list, and each one's report (X while it is open, Z once it is
//! closed): what its sales and returns came to, and for each tender what the drawer or the
//! terminal should hold against what was counted.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::{CashMovementView, Denomination, Direction, ShiftReport, ShiftSummary, Tender, TenderTotal};
use crate::base::money::exact;
use crate::base::{Actor, LocationId, Permission, TenantId};
use crate::db::in_tenant_tx;
use crate::{Currency, Error, Money};

/// The business's shifts (those of the actor's shops), newest first: at most `limit`, from
/// before the key `before` (a shift's opening time and id).
pub async fn list(
    db: &sqlx::PgPool,
    actor: &Actor,
    before: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<ShiftSummary>, Error> {
    let scope = actor.require(Permission::ViewOrders)?;
    let tenant = scope.tenant;
    let shops = scope.shops.ids();
    in_tenant_tx(db, tenant, async |tx| {
        let ids = sqlx::query_scalar!(
            "SELECT id FROM till_shifts
              WHERE tenant_id = $1 AND ($2::uuid[] IS NULL OR location_id = ANY($2))
                AND ($3::timestamptz IS NULL OR (opened_at, id) < ($3, $4))
              ORDER BY opened_at DESC, id DESC
              LIMIT $5",
            tenant.0,
            shops.as_deref(),
            before.map(|b| b.0),
            before.map(|b| b.1),
            limit.clamp(1, 200)
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut all = Vec::with_capacity(ids.len());
        for id in ids {
            let report = read(tx, tenant, id).await?;
            let cash = report.tenders.iter().find(|t| t.tender == Tender::Cash);
            let currency = report.opening_float.currency;
            all.push(ShiftSummary {
                id,
                register: report.register,
                location_name: report.location_name,
                opened_by: report.opened_by,
                opened_at: report.opened_at,
                closed_at: report.closed_at,
                sales: report.sales,
                takings: Money::new(exact(report.sales_total.amount - report.returns_total.amount), currency),
                cash_difference: cash.and_then(TenderTotal::difference).map(|d| Money::new(d, currency)),
            });
        }
        Ok(all)
    })
    .await
}

/// One shift's report.
pub async fn report(db: &sqlx::PgPool, actor: &Actor, id: Uuid) -> Result<ShiftReport, Error> {
    let scope = actor.require(Permission::ViewOrders)?;
    let tenant = scope.tenant;
    in_tenant_tx(db, tenant, async |tx| {
        let location =
            sqlx::query_scalar!("SELECT location_id FROM till_shifts WHERE tenant_id = $1 AND id = $2", tenant.0, id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| Error::not_found("shift"))?;
        scope.reach(LocationId(location), Permission::ViewOrders).map_err(|_| Error::not_found("shift"))?;
        read(tx, tenant, id).await
    })
    .await
}

/// A shift's report, read in the caller's transaction.
pub async fn read(tx: &mut sqlx::PgConnection, tenant: TenantId, id: Uuid) -> Result<ShiftReport, Error> {
    let s = sqlx::query!(
        r#"SELECT s.currency, s.opened_at, s.opening_float, s.closed_at, s.denominations, s.counted, s.close_note,
                  r.name AS register, l.name AS location_name, o.name AS opened_by, c.name AS "closed_by?",
                  (SELECT count(*) FROM orders x WHERE x.tenant_id = s.tenant_id AND x.shift_id = s.id) AS "sales!",
                  (SELECT coalesce(sum(x.total), 0) FROM orders x WHERE x.tenant_id = s.tenant_id AND x.shift_id = s.id)
                    AS "sales_total!",
                  (SELECT coalesce(sum(x.vat), 0) FROM orders x WHERE x.tenant_id = s.tenant_id AND x.shift_id = s.id)
                    AS "sales_vat!",
                  (SELECT count(*) FROM till_returns x WHERE x.tenant_id = s.tenant_id AND x.shift_id = s.id)
                    AS "returns!",
                  (SELECT coalesce(sum(x.total), 0) FROM till_returns x WHERE x.tenant_id = s.tenant_id AND x.shift_id = s.id)
                    AS "returns_total!",
                  (SELECT coalesce(sum(x.vat), 0) FROM till_returns x WHERE x.tenant_id = s.tenant_id AND x.shift_id = s.id)
                    AS "returns_vat!",
                  (SELECT coalesce(sum(x.amount), 0) FROM till_cash_movements x
                    WHERE x.tenant_id = s.tenant_id AND x.shift_id = s.id AND x.direction = 'in') AS "cash_in!",
                  (SELECT coalesce(sum(x.amount), 0) FROM till_cash_movements x
                    WHERE x.tenant_id = s.tenant_id AND x.shift_id = s.id AND x.direction = 'out') AS "cash_out!"
             FROM till_shifts s
             JOIN registers r ON r.tenant_id = s.tenant_id AND r.id = s.register_id
             JOIN locations l ON l.tenant_id = s.tenant_id AND l.id = s.location_id
             JOIN users o ON o.id = s.opened_by
             LEFT JOIN users c ON c.id = s.closed_by
            WHERE s.tenant_id = $1 AND s.id = $2"#,
        tenant.0,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("shift"))?;
    let tenders = sqlx::query!(
        r#"SELECT tender, coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS "taken!",
                  coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS "refunded!"
             FROM till_tenders WHERE tenant_id = $1 AND shift_id = $2 GROUP BY tender"#,
        tenant.0,
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    let currency = Currency::from_code(&s.currency).ok_or(Error::Internal)?;
    let money = |amount: Decimal| Money::new(exact(amount), currency);
    let counted: BTreeMap<Tender, Decimal> =
        s.counted.clone().and_then(|c| serde_json::from_value(c).ok()).unwrap_or_default();
    let mut totals: Vec<TenderTotal> = Tender::ALL
        .into_iter()
        .filter_map(|tender| {
            let row = tenders.iter().find(|t| t.tender == tender.code());
            let (taken, refunded) = row.map_or((Decimal::ZERO, Decimal::ZERO), |r| (r.taken, r.refunded));
            let mut expected = taken - refunded;
            if tender == Tender::Cash {
                expected += s.opening_float + s.cash_in - s.cash_out;
            }
            let counted = counted.get(&tender).copied();
            let shown = tender == Tender::Cash || row.is_some() || counted.is_some();
            shown.then_some(TenderTotal {
                tender,
                taken: exact(taken),
                refunded: exact(refunded),
                expected: exact(expected),
                counted: counted.map(exact),
            })
        })
        .collect();
    totals.sort_by_key(|t| t.tender);
    let denominations: BTreeMap<String, i64> =
        s.denominations.and_then(|d| serde_json::from_value(d).ok()).unwrap_or_default();
    let mut denominations: Vec<Denomination> = denominations
        .into_iter()
        .filter_map(|(face, count)| face.parse().ok().map(|face| Denomination { face, count }))
        .collect();
    denominations.sort_by_key(|d| std::cmp::Reverse(d.face));
    let movements = movements_of(tx, tenant, id, currency).await?;
    Ok(ShiftReport {
        id,
        register: s.register,
        location_name: s.location_name,
        opened_by: s.opened_by,
        opened_at: s.opened_at,
        closed_by: s.closed_by,
        closed_at: s.closed_at,
        opening_float: money(s.opening_float),
        sales: s.sales,
        returns: s.returns,
        sales_total: money(s.sales_total),
        returns_total: money(s.returns_total),
        vat: money(s.sales_vat - s.returns_vat),
        cash_in: money(s.cash_in),
        cash_out: money(s.cash_out),
        tenders: totals,
        denominations,
        close_note: s.close_note,
        movements,
    })
}

/// The cash put into and taken out of a shift's drawer, in the order it happened.
async fn movements_of(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    id: Uuid,
    currency: Currency,
) -> Result<Vec<CashMovementView>, Error> {
    let money = |amount: Decimal| Money::new(exact(amount), currency);
    Ok(sqlx::query!(
        "SELECT m.direction, m.amount, m.reason, u.name AS by, m.made_at FROM till_cash_movements m
           JOIN users u ON u.id = m.made_by
          WHERE m.tenant_id = $1 AND m.shift_id = $2 ORDER BY m.made_at, m.id",
        tenant.0,
        id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|m| CashMovementView {
        direction: if m.direction == "in" { Direction::In } else { Direction::Out },
        amount: money(m.amount),
        reason: m.reason,
        by: m.by,
        at: m.made_at,
    })
    .collect())
}
