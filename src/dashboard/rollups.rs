//! What was sold, read from the rollups with the deltas not yet folded into them: the same rows
//! `counted` reads from the orders, found without touching an order. Each period is read as the
//! whole months inside it and the days at its ends (see [`Ask::segments`]).

use sqlx::PgConnection;

use super::figures::{Ask, HourRow, PaymentRow, ProductRow};
use crate::Error;

/// Sales of the period and the one before, grouped as [`HourRow`] says: the totals, channels,
/// shops and days from the daily rows, the hours of the day (of the period alone) from the
/// months' hours of the day and the ends' hours.
pub(super) async fn sold(tx: &mut PgConnection, ask: &Ask) -> Result<Vec<HourRow>, Error> {
    let (start, split, end) = ask.bounds();
    let now = ask.segments(false);
    Ok(sqlx::query_as!(
        HourRow,
        r#"WITH days AS (
               SELECT hour::date AS day, channel, shop_id, orders, units, gross, vat, discount, delivery, cancelled,
                      cancelled_gross, cancelled_vat
                 FROM sales_hours
                WHERE tenant_id = $1 AND grain = 'd' AND hour >= $2 AND hour < $3
                  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid[] IS NULL OR shop_id = ANY($5))
               UNION ALL
               SELECT hour::date, channel, shop_id, CASE WHEN kind = 'h' THEN n ELSE 0 END,
                      CASE WHEN kind = 'p' THEN n ELSE 0 END, CASE WHEN kind = 'h' THEN amount ELSE 0 END, vat,
                      discount, delivery, cancelled, cancelled_gross, cancelled_vat
                 FROM sales_deltas
                WHERE tenant_id = $1 AND kind IN ('h', 'p') AND hour >= $2 AND hour < $3
                  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid[] IS NULL OR shop_id = ANY($5))
           ), hours AS (
               SELECT r.*
                 FROM unnest($7::text[], $8::date[], $9::date[]) seg(grain, f, u)
                CROSS JOIN LATERAL (
                      SELECT extract(hour FROM r.hour)::int AS hod, sum(r.orders) AS orders, sum(r.gross) AS gross,
                             sum(r.vat) AS vat, sum(r.discount) AS discount, sum(r.delivery) AS delivery,
                             sum(r.cancelled) AS cancelled, sum(r.cancelled_gross) AS cancelled_gross,
                             sum(r.cancelled_vat) AS cancelled_vat
                        FROM sales_hours r
                       WHERE r.tenant_id = $1 AND r.grain = seg.grain::"char" AND r.hour >= seg.f AND r.hour < seg.u
                         AND ($4::text IS NULL OR r.channel = $4) AND ($5::uuid[] IS NULL OR r.shop_id = ANY($5))
                       GROUP BY 1) r
               UNION ALL
               SELECT extract(hour FROM hour)::int, n, amount, vat, discount, delivery, cancelled, cancelled_gross,
                      cancelled_vat
                 FROM sales_deltas
                WHERE tenant_id = $1 AND kind = 'h' AND hour >= $6 AND hour < $3
                  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid[] IS NULL OR shop_id = ANY($5))
           ), tagged AS (
               SELECT day >= $6::date AS now, * FROM days
           )
           SELECT now AS "now!", GROUPING(channel, shop_id, day) * 2 + 1 AS "set!",
                  channel AS "channel?", shop_id AS "shop_id?", day AS "day?", NULL::int AS "hod?",
                  sum(orders)::bigint AS "orders!", sum(units)::bigint AS "units!", sum(gross) AS "gross!",
                  sum(vat) AS "vat!", sum(discount) AS "discount!", sum(delivery) AS "delivery!",
                  sum(cancelled)::bigint AS "cancelled!", sum(cancelled_gross) AS "cancelled_gross!",
                  sum(cancelled_vat) AS "cancelled_vat!"
             FROM tagged
            GROUP BY GROUPING SETS ((now), (now, channel), (now, shop_id), (now, day))
           UNION ALL
           SELECT true, 14, NULL, NULL, NULL, hod, sum(orders)::bigint, 0, sum(gross), sum(vat), sum(discount),
                  sum(delivery), sum(cancelled)::bigint, sum(cancelled_gross), sum(cancelled_vat)
             FROM hours GROUP BY hod"#,
        ask.tenant.0,
        start,
        end,
        ask.channel.as_deref(),
        ask.shops.as_deref(),
        split,
        &now.by_hour(),
        &now.froms,
        &now.untils,
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// Units and revenue of each product sold in the period.
pub(super) async fn products(tx: &mut PgConnection, ask: &Ask) -> Result<Vec<ProductRow>, Error> {
    let (_, split, end) = ask.bounds();
    let now = ask.segments(false);
    Ok(sqlx::query_as!(
        ProductRow,
        r#"WITH src AS (
               SELECT r.*
                 FROM unnest($6::text[], $7::date[], $8::date[]) seg(grain, f, u)
                CROSS JOIN LATERAL (
                      SELECT r.product_id, sum(r.units) AS units, sum(r.revenue) AS revenue
                        FROM sales_products r
                       WHERE r.tenant_id = $1 AND r.grain = seg.grain::"char" AND r.day >= seg.f AND r.day < seg.u
                         AND ($4::text IS NULL OR r.channel = $4) AND ($5::uuid[] IS NULL OR r.shop_id = ANY($5))
                       GROUP BY 1) r
               UNION ALL
               SELECT ref_id, n, amount
                 FROM sales_deltas
                WHERE tenant_id = $1 AND kind = 'p' AND hour >= $2 AND hour < $3
                  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid[] IS NULL OR shop_id = ANY($5))
           )
           SELECT product_id AS "product_id!", sum(units)::bigint AS "units!", sum(revenue) AS "revenue!"
             FROM src GROUP BY product_id"#,
        ask.tenant.0,
        split,
        end,
        ask.channel.as_deref(),
        ask.shops.as_deref(),
        &now.for_filter(ask),
        &now.froms,
        &now.untils,
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// Money taken by method in the period and the one before.
pub(super) async fn payments(tx: &mut PgConnection, ask: &Ask) -> Result<Vec<PaymentRow>, Error> {
    let (start, split, end) = ask.bounds();
    let both = ask.segments(true);
    Ok(sqlx::query_as!(
        PaymentRow,
        r#"WITH src AS (
               SELECT seg.f AS day, r.*
                 FROM unnest($7::text[], $8::date[], $9::date[]) seg(grain, f, u)
                CROSS JOIN LATERAL (
                      SELECT r.method, sum(r.payments) AS payments, sum(r.amount) AS amount
                        FROM sales_payments r
                       WHERE r.tenant_id = $1 AND r.grain = seg.grain::"char" AND r.day >= seg.f AND r.day < seg.u
                         AND ($4::text IS NULL OR r.channel = $4) AND ($5::uuid[] IS NULL OR r.shop_id = ANY($5))
                       GROUP BY 1) r
               UNION ALL
               SELECT hour::date, method, n, amount
                 FROM sales_deltas
                WHERE tenant_id = $1 AND kind = 'm' AND hour >= $2 AND hour < $3
                  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid[] IS NULL OR shop_id = ANY($5))
           )
           SELECT day >= $6::date AS "now!", method AS "method!", sum(payments)::bigint AS "payments!",
                  sum(amount) AS "amount!"
             FROM src GROUP BY 1, 2"#,
        ask.tenant.0,
        start,
        end,
        ask.channel.as_deref(),
        ask.shops.as_deref(),
        split.date(),
        &both.grains,
        &both.froms,
        &both.untils,
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// Customers with an order not cancelled, in the period and in the one before: the members of
/// the union of the customer sets of the period's months and days. The few customers whose
/// counts changed since the last fold are counted from their counts instead of their bits.
pub(super) async fn active_customers(tx: &mut PgConnection, ask: &Ask) -> Result<(i64, i64), Error> {
    let (start, split, end) = ask.bounds();
    let both = ask.segments(true);
    let row = sqlx::query!(
        r#"WITH sets AS (
               SELECT seg.f >= $6 AS now, s.chunk, bit_or(s.members) AS members
                 FROM unnest($7::text[], $8::date[], $9::date[]) seg(grain, f, u)
                CROSS JOIN LATERAL (
                      SELECT s.chunk, bit_or(s.members) AS members
                        FROM sales_customer_sets s
                       WHERE s.tenant_id = $1 AND s.grain = seg.grain::"char" AND s.day >= seg.f AND s.day < seg.u
                         AND ($4::text IS NULL OR s.channel = $4) AND ($5::uuid[] IS NULL OR s.shop_id = ANY($5))
                       GROUP BY 1) s
                GROUP BY 1, 2
           ), pending AS (
               SELECT hour::date AS day, ref_id AS customer_id, n
                 FROM sales_deltas
                WHERE tenant_id = $1 AND kind = 'c' AND hour >= $2 AND hour < $3
                  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid[] IS NULL OR shop_id = ANY($5))
           ), changed AS (
               SELECT DISTINCT customer_id FROM pending
           ), exact AS (
               SELECT day >= $6 AS now, customer_id
                 FROM (SELECT c.day, c.customer_id, c.orders
                         FROM sales_customers c
                        WHERE c.tenant_id = $1 AND c.customer_id IN (SELECT customer_id FROM changed)
                          AND c.day >= $2 AND c.day < $3
                          AND ($4::text IS NULL OR c.channel = $4) AND ($5::uuid[] IS NULL OR c.shop_id = ANY($5))
                       UNION ALL
                       SELECT day, customer_id, n FROM pending) x
                GROUP BY 1, 2 HAVING sum(orders) > 0
           ), marked AS (
               SELECT s.now
                 FROM changed c
                 JOIN sales_customer_numbers n ON n.tenant_id = $1 AND n.customer_id = c.customer_id
                 JOIN sets s ON s.chunk = n.n / 4096 AND get_bit(s.members, n.n % 4096) = 1
           )
           SELECT (SELECT coalesce(sum(bit_count(members)), 0) FROM sets WHERE now)::bigint
                  - (SELECT count(*) FROM marked WHERE now) + (SELECT count(*) FROM exact WHERE now) AS "now!",
                  (SELECT coalesce(sum(bit_count(members)), 0) FROM sets WHERE NOT now)::bigint
                  - (SELECT count(*) FROM marked WHERE NOT now) + (SELECT count(*) FROM exact WHERE NOT now)
                  AS "before!""#,
        ask.tenant.0,
        start,
        end,
        ask.channel.as_deref(),
        ask.shops.as_deref(),
        split.date(),
        &both.for_filter(ask),
        &both.froms,
        &both.untils,
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok((row.now, row.before))
}
