//! A large history of orders, for measuring: `server seed --orders 1000000` spreads that many
//! orders over the last two years across the demonstration businesses' shops and channels,
//! quickly, in plain SQL (about a minute for a million on two cores).
//!
//! Till sales come with registers, a shift a day and their tenders; online orders with
//! customers, and some are cancelled. The stock is left alone (the goods are long gone) and the
//! rollups are written once at the end from the orders, instead of by the triggers row by row.
//! For the tables' owner only: it turns the rollups' triggers off while it loads.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::Error;

/// Orders written per transaction.
const CHUNK: i64 = 100_000;

/// Days the history covers, today included.
const DAYS: i32 = 730;

/// Customers each business gets for a large history (the orders pick among them by their
/// phone numbers, `+23481` and 1 to this many).
const CUSTOMERS: i64 = 20_000;

/// Writes `orders` orders across the businesses that have shops and products to sell; answers
/// how many were written for each business (its slug).
pub async fn load(owner: &PgPool, orders: i64) -> Result<Vec<(String, i64)>, Error> {
    if !(1..=10_000_000).contains(&orders) {
        return Err(Error::invalid("orders", "give between 1 and 10,000,000 orders"));
    }
    let businesses: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT t.id, t.slug FROM tenants t
          WHERE EXISTS (SELECT 1 FROM locations l WHERE l.tenant_id = t.id AND l.kind = 'shop')
            AND EXISTS (SELECT 1 FROM products p WHERE p.tenant_id = t.id AND p.status = 'active')
          ORDER BY t.created_at, t.id",
    )
    .fetch_all(owner)
    .await?;
    if businesses.is_empty() {
        return Err(Error::invalid("orders", "load the demonstration data first: no business has shops and products"));
    }
    let share = orders / i64::try_from(businesses.len()).unwrap_or(1);
    let mut written = Vec::new();
    for (i, (tenant, slug)) in businesses.iter().enumerate() {
        let n = if i + 1 == businesses.len() { orders - share * i64::try_from(i).unwrap_or(0) } else { share };
        let mut tx = owner.begin().await?;
        prepare(&mut tx, *tenant, CUSTOMERS).await?;
        tx.commit().await?;
        let mut left = n;
        while left > 0 {
            let chunk = left.min(CHUNK);
            let mut tx = owner.begin().await?;
            write_chunk(&mut tx, *tenant, chunk, CUSTOMERS).await?;
            tx.commit().await?;
            left -= chunk;
            tracing::info!(business = slug.as_str(), written = n - left, of = n, "history of orders");
        }
        let mut tx = owner.begin().await?;
        finish(&mut tx, *tenant).await?;
        tx.commit().await?;
        for table in ANALYZED {
            sqlx::query(&format!("ANALYZE {table}")).execute(owner).await?;
        }
        written.push((slug.clone(), n));
    }
    Ok(written)
}

/// A small history for the demonstration: `orders` orders of one business over two years, among
/// `customers` customers, in the caller's transaction.
pub async fn add(c: &mut PgConnection, tenant: Uuid, orders: i64, customers: i64) -> Result<(), Error> {
    prepare(c, tenant, customers).await?;
    write_chunk(c, tenant, orders, customers).await?;
    finish(c, tenant).await
}

/// The tables a large history changes, analysed after it for the planner.
const ANALYZED: [&str; 9] = [
    "orders",
    "order_lines",
    "till_tenders",
    "customers",
    "sales_hours",
    "sales_products",
    "sales_payments",
    "sales_customers",
    "sales_customer_sets",
];

/// Customers, a register at each shop and a shift a day for each, and the rollups' triggers off.
async fn prepare(tx: &mut PgConnection, tenant: Uuid, customers: i64) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO customers (tenant_id, id, name, phone, created_at)
         SELECT $1, uuid_v7_at(at), 'Customer ' || g, '+23481' || lpad(g::text, 8, '0'), at
           FROM generate_series(1, $2::bigint) g,
                LATERAL (SELECT now() - random() * interval '730 days' AS at) t
         ON CONFLICT DO NOTHING",
    )
    .bind(tenant)
    .bind(customers)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO registers (tenant_id, id, location_id, name, prefix, created_by, revoked_at, revoked_by)
         SELECT $1, gen_random_uuid(), l.id, 'History till',
                'H' || (SELECT count(*) FROM registers WHERE tenant_id = $1 AND name = 'History till')
                     + row_number() OVER (ORDER BY l.name, l.id),
                m.user_id, now(), m.user_id
           FROM locations l,
                LATERAL (SELECT user_id FROM memberships WHERE tenant_id = $1
                          ORDER BY role = 'cashier' DESC, role = 'owner' DESC, user_id LIMIT 1) m
          WHERE l.tenant_id = $1 AND l.kind = 'shop'",
    )
    .bind(tenant)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO till_shifts (tenant_id, id, register_id, location_id, currency, opened_by, opened_at,
                                  opening_float, closed_by, closed_at, denominations, counted)
         SELECT $1, uuid_v7_at(opened), r.id, r.location_id, t.currency, r.created_by, opened, 20000,
                r.created_by, least(opened + interval '14 hours', now()), '{}', '{}'
           FROM registers r JOIN tenants t ON t.id = r.tenant_id,
                generate_series(0, $2 - 1) d,
                LATERAL (SELECT ((date_trunc('day', now() AT TIME ZONE t.time_zone) - d * interval '1 day'
                                  + interval '7 hours 30 minutes') AT TIME ZONE t.time_zone) AS opened) o
          WHERE r.tenant_id = $1 AND r.name = 'History till'",
    )
    .bind(tenant)
    .bind(DAYS)
    .execute(&mut *tx)
    .await?;
    for table in ["orders", "order_lines", "till_tenders"] {
        sqlx::query(&format!("ALTER TABLE {table} DISABLE TRIGGER sales_rollups")).execute(&mut *tx).await?;
    }
    sqlx::query("ALTER TABLE till_tenders DISABLE TRIGGER till_cash").execute(&mut *tx).await?;
    Ok(())
}

/// `n` orders with their lines (and a till sale's tender), among `customers` customers.
async fn write_chunk(tx: &mut PgConnection, tenant: Uuid, n: i64, customers: i64) -> Result<(), Error> {
    // Order numbers are drawn as checkout draws them, so the business's next order follows on.
    let first: i64 = sqlx::query_scalar(
        "INSERT INTO document_sequences (tenant_id, kind, last) VALUES ($1, 'order', 1000 + $2)
         ON CONFLICT (tenant_id, kind) DO UPDATE SET last = document_sequences.last + $2
         RETURNING last - $2 + 1",
    )
    .bind(tenant)
    .bind(n)
    .fetch_one(&mut *tx)
    .await?;
    for statement in CHUNK_STATEMENTS {
        let statement = statement
            .replace("{tenant}", &tenant.to_string())
            .replace("{n}", &n.to_string())
            .replace("{first}", &first.to_string())
            .replace("{customers}", &customers.to_string());
        sqlx::raw_sql(&statement).execute(&mut *tx).await?;
    }
    Ok(())
}

/// One chunk of orders: each statement with the business (`{tenant}`), how many orders (`{n}`),
/// the first order number (`{first}`) and how many customers to pick from (`{customers}`) written
/// in (numbers and an id, never text from outside; statements that make tables take no
/// parameters). The temporary tables go with the transaction.
const CHUNK_STATEMENTS: [&str; 8] = [
    // What may be sold: active products' variants with a price, numbered from 1.
    "CREATE TEMP TABLE h_variants ON COMMIT DROP AS
     SELECT row_number() OVER (ORDER BY v.id)::int AS k, v.id AS variant_id, v.product_id, p.name, v.sku, v.price,
            p.tax_class
       FROM variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
      WHERE v.tenant_id = '{tenant}' AND p.status = 'active' AND v.price > 0",
    "CREATE UNIQUE INDEX ON h_variants (k)",
    // Who, where, when and how for each order: a sale at a till four times in ten, an online
    // order (collected or delivered) otherwise, one in twenty online ones cancelled; busier
    // in the afternoon; the time of day in the business's own zone.
    "CREATE TEMP TABLE h_orders ON COMMIT DROP AS
     SELECT uuid_v7_at(placed) AS id, {first} + g - 1 AS number, placed, channel, shop,
            (channel = 'pos' OR rf < 0.5) AND shop IS NOT NULL AS pickup, channel <> 'pos' AND rs < 0.05 AS cancelled,
            CASE WHEN channel = 'pos' AND rp < 0.6 THEN NULL
                 ELSE '+23481' || lpad((1 + floor(rp * rp * {customers}))::text, 8, '0') END AS phone,
            CASE channel WHEN 'pos' THEN 'till'
                         WHEN 'store' THEN (ARRAY['bank_transfer', 'paystack', 'pay_on_delivery'])[1 + floor(rm * 3)::int]
                         WHEN 'marketplace' THEN 'paystack' ELSE 'bank_transfer' END AS method,
            CASE WHEN rm < 0.6 THEN 'cash' WHEN rm < 0.8 THEN 'card' WHEN rm < 0.9 THEN 'transfer'
                 ELSE 'mobile_money' END AS tender,
            1 + floor(rl * rl * 3)::int AS lines, NULL::uuid AS register, NULL::uuid AS shift,
            NULL::text AS receipt, NULL::uuid AS cashier
       FROM (SELECT g, random() AS rc, random() AS rf, random() AS rs, random() AS rp, random() AS rm,
                    random() AS rl, s.shops[1 + floor(random() * cardinality(s.shops))::int] AS shop,
                    ((date_trunc('day', now() AT TIME ZONE t.time_zone) - floor(random() * 730) * interval '1 day'
                      + (8 + floor(13 * sqrt(random()))) * interval '1 hour'
                      + floor(random() * 3600) * interval '1 second') AT TIME ZONE t.time_zone) AS placed
               FROM generate_series(1, {n}::bigint) g, tenants t,
                    LATERAL (SELECT array_agg(id ORDER BY id) AS shops FROM locations
                              WHERE tenant_id = t.id AND kind = 'shop') s
              WHERE t.id = '{tenant}') x,
            LATERAL (SELECT CASE WHEN rc < 0.4 THEN 'pos' WHEN rc < 0.8 THEN 'store'
                                 WHEN rc < 0.92 THEN 'marketplace' ELSE 'draft' END AS channel) ch
      WHERE placed <= now() AND {first} > 0 AND {customers} > 0",
    // A till sale is rung at its shop's register, in that day's shift, with a receipt number.
    // (The day's shift opened at 07:30 on the business's clock: found by its opening, in the index.)
    "UPDATE h_orders o SET register = r.id, shift = sh.id, cashier = r.created_by,
            receipt = r.prefix || '-' || lpad(o.number::text, 9, '0')
       FROM tenants t, registers r JOIN till_shifts sh ON sh.tenant_id = r.tenant_id AND sh.register_id = r.id
      WHERE o.channel = 'pos' AND t.id = '{tenant}' AND r.tenant_id = '{tenant}' AND r.location_id = o.shop
        AND r.name = 'History till'
        AND sh.opened_at = (date_trunc('day', o.placed AT TIME ZONE t.time_zone) + interval '7 hours 30 minutes')
                           AT TIME ZONE t.time_zone
        AND o.placed < sh.closed_at",
    "CREATE TEMP TABLE h_lines ON COMMIT DROP AS
     SELECT l.order_id, l.position, v.variant_id, v.product_id, v.name, v.sku, v.price, v.tax_class, l.quantity,
            CASE WHEN t.prices_include_tax THEN v.price * l.quantity
                 ELSE v.price * l.quantity
                      + CASE WHEN v.tax_class = 'standard' THEN round(v.price * l.quantity * t.vat_rate / 100, 2) ELSE 0 END
            END AS total,
            CASE WHEN v.tax_class <> 'standard' THEN 0
                 WHEN t.prices_include_tax THEN round(v.price * l.quantity * t.vat_rate / (100 + t.vat_rate), 2)
                 ELSE round(v.price * l.quantity * t.vat_rate / 100, 2) END AS vat
       FROM (SELECT o.id AS order_id, p.position, 1 + floor(random() * random() * 3)::int AS quantity,
                    1 + floor(random() * (SELECT count(*) FROM h_variants) + 0 * p.position)::int AS k
               FROM h_orders o CROSS JOIN LATERAL generate_series(0, o.lines - 1) AS p (position)
              WHERE o.channel <> 'pos' OR o.shift IS NOT NULL) l
       JOIN h_variants v ON v.k = l.k
       JOIN tenants t ON t.id = '{tenant}'",
    "INSERT INTO orders (tenant_id, id, prefix, number, view_key, channel, status, fulfilment, payment_method, paid,
                         customer_id, contact_name, contact_phone, shipping_address, pickup_location_id, currency,
                         vat_rate, prices_include_tax, subtotal, discount, vat, delivery, total, placed_at, paid_at,
                         updated_at, register_id, shift_id, receipt, cashier_id)
     SELECT '{tenant}', o.id, t.order_prefix, o.number, gen_random_uuid(), o.channel,
            CASE WHEN o.cancelled THEN 'cancelled' ELSE 'completed' END,
            CASE WHEN o.pickup THEN 'pickup' ELSE 'delivery' END, o.method, NOT o.cancelled, c.id,
            coalesce(c.name, 'Walk-in customer'), coalesce(c.phone, '+2348000000000'),
            CASE WHEN o.pickup THEN NULL
                 ELSE '{\"line\": \"12 Allen Avenue\", \"city\": \"Ikeja\", \"lga\": \"Ikeja\", \"state\": \"Lagos\"}'::jsonb END,
            CASE WHEN o.pickup THEN o.shop END, t.currency, t.vat_rate, t.prices_include_tax,
            l.total - l.vat, 0, l.vat, CASE WHEN o.pickup THEN 0 ELSE 1500 END,
            l.total + CASE WHEN o.pickup THEN 0 ELSE 1500 END, o.placed,
            CASE WHEN o.cancelled THEN NULL ELSE o.placed END, o.placed, o.register, o.shift, o.receipt, o.cashier
       FROM h_orders o
       JOIN tenants t ON t.id = '{tenant}'
       JOIN (SELECT order_id, sum(total) AS total, sum(vat) AS vat FROM h_lines GROUP BY order_id) l ON l.order_id = o.id
       LEFT JOIN customers c ON c.tenant_id = '{tenant}' AND c.phone = o.phone",
    "INSERT INTO order_lines (tenant_id, order_id, position, variant_id, product_id, name, sku, unit_price, quantity,
                              discount, tax_class, net, vat, total)
     SELECT '{tenant}', order_id, position, variant_id, product_id, name, sku, price, quantity, 0, tax_class, total - vat, vat,
            total
       FROM h_lines",
    "INSERT INTO till_tenders (tenant_id, id, shift_id, order_id, tender, amount, tendered, change, made_at)
     SELECT '{tenant}', gen_random_uuid(), o.shift, o.id, o.tender, x.total, x.total, 0, o.placed
       FROM h_orders o JOIN orders x ON x.tenant_id = '{tenant}' AND x.id = o.id
      WHERE o.channel = 'pos' AND o.shift IS NOT NULL",
];

/// The shifts' counts (what the till took in cash, now and then a little over or short), the
/// rollups' triggers back on, and the rollups written from the orders.
async fn finish(tx: &mut PgConnection, tenant: Uuid) -> Result<(), Error> {
    sqlx::query(
        "UPDATE till_shifts s
            SET cash_moved = coalesce((SELECT sum(d.amount) FROM till_tenders d
                                        WHERE d.tenant_id = s.tenant_id AND d.shift_id = s.id AND d.tender = 'cash'), 0),
                counted = jsonb_build_object('cash', (s.opening_float
                + coalesce((SELECT sum(d.amount) FROM till_tenders d
                             WHERE d.tenant_id = s.tenant_id AND d.shift_id = s.id AND d.tender = 'cash'), 0)
                + CASE WHEN random() < 0.1 THEN round((random() - 0.5) * 2000) ELSE 0 END)::text)
          WHERE s.tenant_id = $1
            AND s.register_id IN (SELECT id FROM registers WHERE tenant_id = $1 AND name = 'History till')",
    )
    .bind(tenant)
    .execute(&mut *tx)
    .await?;
    for table in ["orders", "order_lines", "till_tenders"] {
        sqlx::query(&format!("ALTER TABLE {table} ENABLE TRIGGER sales_rollups")).execute(&mut *tx).await?;
    }
    sqlx::query("ALTER TABLE till_tenders ENABLE TRIGGER till_cash").execute(&mut *tx).await?;
    sqlx::query("SELECT rebuild_sales_rollups($1)").bind(tenant).execute(&mut *tx).await?;
    Ok(())
}
