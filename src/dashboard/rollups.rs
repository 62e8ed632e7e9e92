//! What was sold, read from the rollups with the deltas not yet folded into them: the same rows
//! `counted` reads from the orders, found without touching an order.

use sqlx::PgConnection;

use super::figures::{Ask, HourRow, PaymentRow, ProductRow};
use crate::Error;

/// Sales of the period and the one before, grouped as [`HourRow`] says.
pub(super) async fn sold(tx: &mut PgConnection, ask: &Ask) -> Result<Vec<HourRow>, Error> {
    let (start, split, end) = ask.bounds();
    Ok(sqlx::query_as!(
        HourRow,
        r#"WITH src AS (
               SELECT hour, channel, shop_id, orders, gross, vat, discount, delivery, cancelled, cancelled_gross,
                      cancelled_vat
                 FROM sales_hours
                WHERE tenant_id = $1 AND hour >= $2 AND hour < $3
                  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid[] IS NULL OR shop_id = ANY($5))
               UNION ALL
               SELECT hour, channel, shop_id, n, amount, vat, discount, delivery, cancelled, cancelled_gross,
                      cancelled_vat
                 FROM sales_deltas
                WHERE tenant_id = $1 AND kind = 'h' AND hour >= $2 AND hour < $3
                  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid[] IS NULL OR shop_id = ANY($5))
           ), tagged AS (
               SELECT hour >= $6 AS now, channel, shop_id, hour::date AS day, extract(hour FROM hour)::int AS hod,
                      orders, gross, vat, discount, delivery, cancelled, cancelled_gross, cancelled_vat
                 FROM src
           )
           SELECT now AS "now!", GROUPING(channel, shop_id, day, hod) AS "set!", channel AS "channel?",
                  shop_id AS "shop_id?", day AS "day?", hod AS "hod?",
                  sum(orders)::bigint AS "orders!", sum(gross) AS "gross!", sum(vat) AS "vat!",
                  sum(discount) AS "discount!", sum(delivery) AS "delivery!", sum(cancelled)::bigint AS "cancelled!",
                  sum(cancelled_gross) AS "cancelled_gross!", sum(cancelled_vat) AS "cancelled_vat!"
             FROM tagged
            GROUP BY GROUPING SETS ((now), (now, channel), (now, shop_id), (now, day), (now, hod))"#,
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

/// Units and revenue of each product sold in the period, and of all of them in both periods.
pub(super) async fn products(tx: &mut PgConnection, ask: &Ask) -> Result<Vec<ProductRow>, Error> {
    let (start, split, end) = ask.bounds();
    Ok(sqlx::query_as!(
        ProductRow,
        r#"WITH src AS (
               SELECT day, product_id, units, revenue
                 FROM sales_products
                WHERE tenant_id = $1 AND day >= $2 AND day < $3
                  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid[] IS NULL OR shop_id = ANY($5))
               UNION ALL
               SELECT hour::date, ref_id, n, amount
                 FROM sales_deltas
                WHERE tenant_id = $1 AND kind = 'p' AND hour >= $2::date AND hour < $3::date
                  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid[] IS NULL OR shop_id = ANY($5))
           ), tagged AS (SELECT day >= $6 AS now, product_id, units, revenue FROM src)
           SELECT now AS "now!", product_id AS "product_id?", sum(units)::bigint AS "units!", sum(revenue) AS "revenue!"
             FROM tagged
            GROUP BY GROUPING SETS ((now), (now, product_id))"#,
        ask.tenant.0,
        start.date(),
        end.date(),
        ask.channel.as_deref(),
        ask.shops.as_deref(),
        split.date(),
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// Money taken by method in the period and the one before.
pub(super) async fn payments(tx: &mut PgConnection, ask: &Ask) -> Result<Vec<PaymentRow>, Error> {
    let (start, split, end) = ask.bounds();
    Ok(sqlx::query_as!(
        PaymentRow,
        r#"WITH src AS (
               SELECT day, method, payments, amount
                 FROM sales_payments
                WHERE tenant_id = $1 AND day >= $2 AND day < $3
                  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid[] IS NULL OR shop_id = ANY($5))
               UNION ALL
               SELECT hour::date, method, n, amount
                 FROM sales_deltas
                WHERE tenant_id = $1 AND kind = 'm' AND hour >= $2::date AND hour < $3::date
                  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid[] IS NULL OR shop_id = ANY($5))
           )
           SELECT day >= $6 AS "now!", method AS "method!", sum(payments)::bigint AS "payments!",
                  sum(amount) AS "amount!"
             FROM src GROUP BY 1, 2"#,
        ask.tenant.0,
        start.date(),
        end.date(),
        ask.channel.as_deref(),
        ask.shops.as_deref(),
        split.date(),
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// Customers with an order not cancelled, in the period and in the one before.
pub(super) async fn active_customers(tx: &mut PgConnection, ask: &Ask) -> Result<(i64, i64), Error> {
    let (start, split, end) = ask.bounds();
    let row = sqlx::query!(
        r#"WITH src AS (
               SELECT day, customer_id, orders
                 FROM sales_customers
                WHERE tenant_id = $1 AND day >= $2 AND day < $3
                  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid[] IS NULL OR shop_id = ANY($5))
               UNION ALL
               SELECT hour::date, ref_id, n
                 FROM sales_deltas
                WHERE tenant_id = $1 AND kind = 'c' AND hour >= $2::date AND hour < $3::date
                  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid[] IS NULL OR shop_id = ANY($5))
           ), ordered AS (
               SELECT day >= $6 AS now, customer_id FROM src GROUP BY 1, 2 HAVING sum(orders) > 0
           )
           SELECT count(*) FILTER (WHERE now) AS "now!", count(*) FILTER (WHERE NOT now) AS "before!" FROM ordered"#,
        ask.tenant.0,
        start.date(),
        end.date(),
        ask.channel.as_deref(),
        ask.shops.as_deref(),
        split.date(),
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok((row.now, row.before))
}
