//! What a till downloads to sell without a connection: the register and its shop, the
//! business's selling rules, products with their prices and barcodes, who may sign in (with
//! their PIN's check) and customers. Asked with the `as_of` of its last answer, it answers only
//! what changed since (products and customers), and who may sign in always whole.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::register::Register;
use super::{TillBusiness, TillCashier, TillCustomer, TillData, TillProduct, TillRegister, TillVariant};
use crate::base::{Permission, Role};
use crate::catalog::TaxClass;
use crate::db::in_tenant_tx;
use crate::orders::VatRule;
use crate::{Currency, Error};

/// The most products one answer carries; the rest follow by `more_after`.
pub const PAGE: i64 = 2_000;

/// How far back "changed since" reaches before the time asked: a change committed just after
/// the last answer was read may carry an earlier time, so changes are sent again for a while
/// (the till takes the same product twice without harm).
const OVERLAP: Duration = Duration::minutes(10);

/// The till's data for `register`, whole (`since` none) or changed since; products from after
/// the id `after`, when the last answer said there were more.
pub async fn till_data(
    db: &sqlx::PgPool,
    register: &Register,
    since: Option<DateTime<Utc>>,
    after: Option<Uuid>,
) -> Result<TillData, Error> {
    if register.revoked {
        return Err(Error::Forbidden("download the catalog to a register that was revoked".to_owned()));
    }
    let tenant = register.tenant;
    let changed_since = since.map(|s| s - OVERLAP);
    in_tenant_tx(db, tenant, async |tx| {
        let head = sqlx::query!(
            r#"SELECT now() AS "now!", t.name AS business, t.currency, t.vat_rate, t.prices_include_tax, t.time_zone,
                      r.id, r.name, r.prefix, l.id AS location_id, l.name AS location_name,
                      concat_ws(', ', nullif(l.address, ''), nullif(l.city, ''), nullif(l.state, '')) AS "address!",
                      l.phone,
                      coalesce((SELECT max(substring(o.receipt FROM '[0-9]+$')::bigint) FROM orders o
                                 WHERE o.tenant_id = r.tenant_id AND o.register_id = r.id), 0) AS "sales_last!",
                      coalesce((SELECT max(substring(x.receipt FROM '[0-9]+$')::bigint) FROM till_returns x
                                 WHERE x.tenant_id = r.tenant_id AND x.register_id = r.id), 0) AS "returns_last!"
                 FROM registers r
                 JOIN tenants t ON t.id = r.tenant_id
                 JOIN locations l ON l.tenant_id = r.tenant_id AND l.id = r.location_id
                WHERE r.tenant_id = $1 AND r.id = $2"#,
            tenant.0,
            register.id
        )
        .fetch_one(&mut *tx)
        .await?;
        let products = products(tx, register, changed_since, after).await?;
        let more_after = (i64::try_from(products.len()).unwrap_or(i64::MAX) >= PAGE)
            .then(|| products.last().map(|p| p.id))
            .flatten();
        let first_page = after.is_none();
        Ok(TillData {
            as_of: head.now,
            whole: since.is_none(),
            register: TillRegister {
                id: head.id,
                name: head.name,
                prefix: head.prefix,
                last_sequence: head.sales_last.max(head.returns_last),
                location: register.location,
                location_name: head.location_name,
                address: head.address,
                phone: head.phone,
            },
            business: TillBusiness {
                name: head.business,
                currency: Currency::from_code(&head.currency).ok_or(Error::Internal)?,
                vat: VatRule { rate: head.vat_rate, prices_include_tax: head.prices_include_tax },
                time_zone: head.time_zone,
            },
            products,
            cashiers: cashiers(tx, register).await?,
            customers: if first_page { customers(tx, register, changed_since).await? } else { Vec::new() },
            favourites: if first_page { favourites(tx, register).await? } else { Vec::new() },
            more_after,
        })
    })
    .await
}

async fn products(
    tx: &mut sqlx::PgConnection,
    register: &Register,
    since: Option<DateTime<Utc>>,
    after: Option<Uuid>,
) -> Result<Vec<TillProduct>, Error> {
    let rows = sqlx::query!(
        r#"SELECT p.id, p.name, p.tax_class, p.status = 'active' AS "on_sale!", coalesce(c.name, '') AS "category!"
             FROM products p
             LEFT JOIN categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id
            WHERE p.tenant_id = $1 AND p.vendor_id IS NULL
              AND (($2::timestamptz IS NULL AND p.status = 'active') OR p.updated_at > $2)
              AND ($3::uuid IS NULL OR p.id > $3)
            ORDER BY p.id
            LIMIT $4"#,
        register.tenant.0,
        since,
        after,
        PAGE
    )
    .fetch_all(&mut *tx)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let variants = sqlx::query!(
        r#"SELECT v.id, v.product_id, v.option_values, v.sku, v.barcode, v.price, coalesce(s.on_hand, 0) AS "on_hand!"
             FROM variants v
             LEFT JOIN stock_levels s ON s.tenant_id = v.tenant_id AND s.variant_id = v.id AND s.location_id = $3
            WHERE v.tenant_id = $1 AND v.product_id = ANY($2)
            ORDER BY v.product_id, v.position, v.id"#,
        register.tenant.0,
        &ids,
        register.location.0
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut by_product: HashMap<Uuid, Vec<TillVariant>> = HashMap::new();
    for v in variants {
        by_product.entry(v.product_id).or_default().push(TillVariant {
            id: v.id,
            options: v.option_values.join(" / "),
            sku: v.sku,
            barcode: v.barcode,
            price: crate::base::money::exact(v.price),
            on_hand: v.on_hand,
        });
    }
    Ok(rows
        .into_iter()
        .map(|r| TillProduct {
            variants: by_product.remove(&r.id).unwrap_or_default(),
            id: r.id,
            name: r.name,
            category: r.category,
            tax_class: TaxClass::from_code(&r.tax_class).unwrap_or_default(),
            on_sale: r.on_sale,
        })
        .collect())
}

/// Everyone active who may sell at the register's shop.
async fn cashiers(tx: &mut sqlx::PgConnection, register: &Register) -> Result<Vec<TillCashier>, Error> {
    let rows = sqlx::query!(
        r#"SELECT m.user_id, u.name, m.role, m.pin_salt, m.pin_iterations, m.pin_hash
             FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.tenant_id = $1 AND m.active
              AND (NOT EXISTS (SELECT 1 FROM membership_locations ml
                                WHERE ml.tenant_id = m.tenant_id AND ml.user_id = m.user_id)
                   OR EXISTS (SELECT 1 FROM membership_locations ml
                               WHERE ml.tenant_id = m.tenant_id AND ml.user_id = m.user_id AND ml.location_id = $2))
            ORDER BY u.name, m.user_id"#,
        register.tenant.0,
        register.location.0
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let role = Role::from_code(&r.role)?;
            if !role.allows(Permission::SellAtPos) {
                return None;
            }
            let pin = match (r.pin_salt, r.pin_iterations, r.pin_hash) {
                (Some(salt), Some(iterations), Some(hash)) => super::pin::check_of(&salt, iterations, &hash),
                _ => None,
            };
            Some(TillCashier {
                id: r.user_id,
                name: r.name,
                approves: matches!(role, Role::Owner | Role::Manager),
                pin,
            })
        })
        .collect())
}

async fn customers(
    tx: &mut sqlx::PgConnection,
    register: &Register,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<TillCustomer>, Error> {
    let rows = sqlx::query!(
        r#"SELECT id, name, phone, email, erased_at IS NOT NULL AS "gone!" FROM customers
            WHERE tenant_id = $1 AND (($2::timestamptz IS NULL AND erased_at IS NULL) OR updated_at > $2)
            ORDER BY updated_at DESC, id
            LIMIT 50000"#,
        register.tenant.0,
        since
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| TillCustomer { id: r.id, name: r.name, phone: r.phone, email: r.email, gone: r.gone })
        .collect())
}

/// The products most sold at the shop in the last 30 days, then featured ones: 12 at most.
async fn favourites(tx: &mut sqlx::PgConnection, register: &Register) -> Result<Vec<Uuid>, Error> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM (
               SELECT v.product_id AS id, 0 AS rank, -sum(m.quantity) AS units
                 FROM stock_movements m JOIN variants v ON v.tenant_id = m.tenant_id AND v.id = m.variant_id
                WHERE m.tenant_id = $1 AND m.location_id = $2 AND m.reason = 'sale' AND m.at > now() - interval '30 days'
                GROUP BY v.product_id
               UNION ALL
               SELECT p.id, 1, 0 FROM products p WHERE p.tenant_id = $1 AND p.featured AND p.status = 'active'
           ) f
           WHERE EXISTS (SELECT 1 FROM products p WHERE p.tenant_id = $1 AND p.id = f.id AND p.status = 'active'
                            AND p.vendor_id IS NULL)
           GROUP BY id
           ORDER BY min(rank), max(units) DESC, id
           LIMIT 12"#,
        register.tenant.0,
        register.location.0
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// The till sale of the register's business with `receipt`, for goods brought back at this
/// register: any register's sale, its lines with what came back of each already.
pub async fn sold(db: &sqlx::PgPool, register: &Register, receipt: &str) -> Result<super::SoldReceipt, Error> {
    if register.revoked {
        return Err(Error::Forbidden("look up receipts from a register that was revoked".to_owned()));
    }
    let receipt = receipt.trim().to_uppercase();
    if receipt.is_empty() || receipt.len() > 40 || receipt.contains('\0') {
        return Err(Error::not_found("sale with that receipt number"));
    }
    in_tenant_tx(db, register.tenant, async |tx| {
        let sale = sqlx::query_scalar!(
            "SELECT id FROM orders WHERE tenant_id = $1 AND receipt = $2",
            register.tenant.0,
            receipt
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("sale with that receipt number"))?;
        let lines = sqlx::query!(
            r#"SELECT l.position, l.name, l.quantity, l.vat, l.total,
                      coalesce((SELECT sum(r.quantity) FROM till_return_lines r
                                 WHERE r.tenant_id = l.tenant_id AND r.order_id = l.order_id
                                   AND r.position = l.position), 0)::integer AS "returned!"
                 FROM order_lines l WHERE l.tenant_id = $1 AND l.order_id = $2 ORDER BY l.position"#,
            register.tenant.0,
            sale
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|l| super::SoldLine {
            position: l.position,
            name: l.name,
            quantity: l.quantity,
            returned: l.returned,
            vat: l.vat,
            total: l.total,
        })
        .collect();
        Ok(super::SoldReceipt { sale, receipt: receipt.clone(), lines })
    })
    .await
}
