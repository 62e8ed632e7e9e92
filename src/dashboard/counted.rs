//! The same figures counted straight from the orders at each reading: what the rollups must
//! always agree with. The tests compare the two, and the benchmark times both; the dashboard
//! itself never reads this way.

use sqlx::{PgConnection, PgPool};

use super::figures::{Ask, HourRow, PaymentRow, ProductRow, Source, read_from};
use super::{Figures, Filter, Period};
use crate::Error;
use crate::base::Actor;

/// [`super::read`], with what was sold counted from the orders instead of the rollups.
pub async fn read(db: &PgPool, actor: &Actor, period: Period, filter: &Filter) -> Result<Figures, Error> {
    read_from(db, actor, period, filter, Source::Orders).await
}

/// Every rollup row (and every shift's cash) that differs from what the orders (and the
/// tenders and cash movements) say it must be, across every business,
/// after folding all deltas; empty when the rollups are right, which they must always be.
///
/// For the tables' owner (tests, and an operator checking a database): under the application's
/// role, row security shows no business, and it would find nothing wrong in nothing.
pub async fn mismatches(owner: &PgPool) -> Result<Vec<String>, Error> {
    while super::fold(owner, super::figures::FOLD_BATCH).await? > 0 {}
    Ok(sqlx::query_scalar!(
        r#"SELECT what || ' ' || row AS "line!" FROM (
               SELECT 'kept, not counted: sales_hours' AS what, row_to_json(x)::text AS row FROM (
                   SELECT * FROM sales_hours WHERE orders <> 0 OR units <> 0
                   EXCEPT SELECT * FROM sales_hours_counted) x
               UNION ALL
               SELECT 'counted, not kept: sales_hours', row_to_json(x)::text FROM (
                   SELECT * FROM sales_hours_counted EXCEPT SELECT * FROM sales_hours) x
               UNION ALL
               SELECT 'kept, not counted: sales_products', row_to_json(x)::text FROM (
                   SELECT * FROM sales_products WHERE units <> 0 OR revenue <> 0
                   EXCEPT SELECT * FROM sales_products_counted) x
               UNION ALL
               SELECT 'counted, not kept: sales_products', row_to_json(x)::text FROM (
                   SELECT * FROM sales_products_counted EXCEPT SELECT * FROM sales_products) x
               UNION ALL
               SELECT 'kept, not counted: sales_payments', row_to_json(x)::text FROM (
                   SELECT * FROM sales_payments WHERE payments <> 0 OR amount <> 0
                   EXCEPT SELECT * FROM sales_payments_counted) x
               UNION ALL
               SELECT 'counted, not kept: sales_payments', row_to_json(x)::text FROM (
                   SELECT * FROM sales_payments_counted EXCEPT SELECT * FROM sales_payments) x
               UNION ALL
               SELECT 'kept, not counted: sales_customers', row_to_json(x)::text FROM (
                   SELECT * FROM sales_customers WHERE orders <> 0 EXCEPT SELECT * FROM sales_customers_counted) x
               UNION ALL
               SELECT 'counted, not kept: sales_customers', row_to_json(x)::text FROM (
                   SELECT * FROM sales_customers_counted EXCEPT SELECT * FROM sales_customers) x
               UNION ALL
               SELECT 'kept, not counted: sales_customer_sets', row_to_json(x)::text FROM (
                   SELECT * FROM sales_customer_sets EXCEPT SELECT * FROM sales_customer_sets_counted) x
               UNION ALL
               SELECT 'counted, not kept: sales_customer_sets', row_to_json(x)::text FROM (
                   SELECT * FROM sales_customer_sets_counted EXCEPT SELECT * FROM sales_customer_sets) x
               UNION ALL
               SELECT 'kept, not counted: till_shifts.cash_moved', json_build_object('shift', s.id, 'kept', s.cash_moved)::text
                 FROM till_shifts s
                WHERE s.cash_moved <> coalesce((SELECT sum(d.amount) FROM till_tenders d
                                                 WHERE d.tenant_id = s.tenant_id AND d.shift_id = s.id
                                                   AND d.tender = 'cash'), 0)
                                   + coalesce((SELECT sum(CASE m.direction WHEN 'in' THEN m.amount ELSE -m.amount END)
                                                 FROM till_cash_movements m
                                                WHERE m.tenant_id = s.tenant_id AND m.shift_id = s.id), 0)
           ) wrong ORDER BY 1"#
    )
    .fetch_all(owner)
    .await?)
}

/// Sales of the period and the one before, from the orders placed in them.
pub(super) async fn sold(tx: &mut PgConnection, ask: &Ask) -> Result<Vec<HourRow>, Error> {
    let (start, split, end) = ask.instants();
    Ok(sqlx::query_as!(
        HourRow,
        r#"WITH tagged AS (
               SELECT o.placed_at >= $6 AS now, o.channel, sales_shop(o.pickup_location_id) AS shop_id,
                      (o.placed_at AT TIME ZONE $7)::date AS day,
                      extract(hour FROM o.placed_at AT TIME ZONE $7)::int AS hod,
                      o.total, o.vat, o.discount, o.delivery, o.status = 'cancelled' AS off,
                      CASE WHEN o.status <> 'cancelled' THEN
                          (SELECT sum(l.quantity) FROM order_lines l WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id)
                      END AS units
                 FROM orders o
                WHERE o.tenant_id = $1 AND o.placed_at >= $2 AND o.placed_at < $3
                  AND ($4::text IS NULL OR o.channel = $4)
                  AND ($5::uuid[] IS NULL OR sales_shop(o.pickup_location_id) = ANY($5))
           )
           SELECT now AS "now!", GROUPING(channel, shop_id, day, hod) AS "set!", channel AS "channel?",
                  shop_id AS "shop_id?", day AS "day?", hod AS "hod?",
                  count(*) AS "orders!", coalesce(sum(units), 0)::bigint AS "units!", sum(total) AS "gross!", sum(vat) AS "vat!", sum(discount) AS "discount!",
                  sum(delivery) AS "delivery!", count(*) FILTER (WHERE off) AS "cancelled!",
                  coalesce(sum(total) FILTER (WHERE off), 0) AS "cancelled_gross!",
                  coalesce(sum(vat) FILTER (WHERE off), 0) AS "cancelled_vat!"
             FROM tagged
            GROUP BY GROUPING SETS ((now), (now, channel), (now, shop_id), (now, day), (now, hod))"#,
        ask.tenant.0,
        start,
        end,
        ask.channel.as_deref(),
        ask.shops.as_deref(),
        split,
        ask.zone.0,
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// Units and revenue of each product in the period, from the lines of the orders not cancelled.
pub(super) async fn products(tx: &mut PgConnection, ask: &Ask) -> Result<Vec<ProductRow>, Error> {
    let (_, split, end) = ask.instants();
    Ok(sqlx::query_as!(
        ProductRow,
        r#"SELECT l.product_id AS "product_id!", sum(l.quantity)::bigint AS "units!", sum(l.total) AS "revenue!"
             FROM orders o JOIN order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
            WHERE o.tenant_id = $1 AND o.placed_at >= $2 AND o.placed_at < $3 AND o.status <> 'cancelled'
              AND ($4::text IS NULL OR o.channel = $4)
              AND ($5::uuid[] IS NULL OR sales_shop(o.pickup_location_id) = ANY($5))
            GROUP BY l.product_id"#,
        ask.tenant.0,
        split,
        end,
        ask.channel.as_deref(),
        ask.shops.as_deref(),
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// Money taken by method: paid orders' totals, and the till's tenders.
pub(super) async fn payments(tx: &mut PgConnection, ask: &Ask) -> Result<Vec<PaymentRow>, Error> {
    let (start, split, end) = ask.instants();
    Ok(sqlx::query_as!(
        PaymentRow,
        r#"WITH kept AS (
               SELECT o.* FROM orders o
                WHERE o.tenant_id = $1 AND o.placed_at >= $2 AND o.placed_at < $3 AND o.status <> 'cancelled'
                  AND ($4::text IS NULL OR o.channel = $4)
                  AND ($5::uuid[] IS NULL OR sales_shop(o.pickup_location_id) = ANY($5))
           ), taken AS (
               SELECT placed_at >= $6 AS now, payment_method AS method, total AS amount
                 FROM kept WHERE paid AND channel <> 'pos'
               UNION ALL
               SELECT k.placed_at >= $6, d.tender, d.amount
                 FROM kept k JOIN till_tenders d ON d.tenant_id = k.tenant_id AND d.order_id = k.id
           )
           SELECT now AS "now!", method AS "method!", count(*) AS "payments!", sum(amount) AS "amount!"
             FROM taken GROUP BY 1, 2"#,
        ask.tenant.0,
        start,
        end,
        ask.channel.as_deref(),
        ask.shops.as_deref(),
        split,
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// Customers with an order not cancelled, in the period and in the one before.
pub(super) async fn active_customers(tx: &mut PgConnection, ask: &Ask) -> Result<(i64, i64), Error> {
    let (start, split, end) = ask.instants();
    let row = sqlx::query!(
        r#"SELECT count(DISTINCT customer_id) FILTER (WHERE placed_at >= $6) AS "now!",
                  count(DISTINCT customer_id) FILTER (WHERE placed_at < $6) AS "before!"
             FROM orders
            WHERE tenant_id = $1 AND placed_at >= $2 AND placed_at < $3 AND status <> 'cancelled'
              AND customer_id IS NOT NULL
              AND ($4::text IS NULL OR channel = $4)
              AND ($5::uuid[] IS NULL OR sales_shop(pickup_location_id) = ANY($5))"#,
        ask.tenant.0,
        start,
        end,
        ask.channel.as_deref(),
        ask.shops.as_deref(),
        split,
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok((row.now, row.before))
}
