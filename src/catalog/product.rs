//! Products and their variants in Postgres: create, edit, read, list and search, bulk status
//! changes and removal. Every change is one transaction with its audit record.

use std::collections::{HashMap, HashSet};

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{
    CategoryId, Keep, Product, ProductCursor, ProductId, ProductInput, ProductPage, ProductQuery, ProductRow,
    ProductSort, ProductStatus, ShopItem, TaxClass, Variant, VariantId, VariantInput, VariantRef, image_urls,
};
use crate::audit::{self, Change};
use crate::base::{Actor, Permission, Scope, TenantId, VendorId};
use crate::db::{field_errors, in_tenant_tx, tenant_tx};
use crate::idempotency::{self, Once};
use crate::{Clash, Error, Money};

/// Creates a product with its variants; once per key, when given one.
pub async fn create(
    db: &sqlx::PgPool,
    actor: &Actor,
    input: ProductInput,
    once: Option<&Once>,
) -> Result<Product, Error> {
    let scope = actor.require(Permission::ManageCatalog)?;
    let input = input.checked()?;
    idempotency::run(db, scope.tenant, once, async |tx| create_in(tx, &scope, actor, input).await).await
}

/// The step of [`create`], in the caller's transaction, for `scope` (its permission already
/// required); `actor` is who the audit names.
pub async fn create_in(
    tx: &mut PgConnection,
    scope: &Scope,
    actor: &Actor,
    input: ProductInput,
) -> Result<Product, Error> {
    let input = input.checked()?;
    let id = save_for(tx, scope, actor, None, &input).await?;
    read(tx, scope, id).await
}

/// Replaces a product's fields and variants with `input`: variants with an id are changed,
/// those without are added, and those left out are removed (refused if they were ever stocked).
/// With `revision`, the edit was made from that revision, and is refused as a
/// [`Clash::VersionMismatch`] if someone changed the product since. With `once`, a second
/// request with the same key answers the first rather than being refused as out of date.
pub async fn update(
    db: &sqlx::PgPool,
    actor: &Actor,
    id: ProductId,
    input: ProductInput,
    revision: Option<i64>,
    once: Option<&Once>,
) -> Result<Product, Error> {
    let scope = actor.require(Permission::ManageCatalog)?;
    let input = input.checked()?;
    idempotency::run(db, scope.tenant, once, async |tx| update_in(tx, &scope, actor, id, input, revision).await).await
}

/// The step of [`update`], in the caller's transaction, for `scope` (its permission already
/// required).
pub async fn update_in(
    tx: &mut PgConnection,
    scope: &Scope,
    actor: &Actor,
    id: ProductId,
    input: ProductInput,
    revision: Option<i64>,
) -> Result<Product, Error> {
    let input = input.checked()?;
    save_for(tx, scope, actor, Some((id, revision)), &input).await?;
    read(tx, scope, id).await
}

/// One product with its variants, stock totals (at the locations the actor's work reaches) and
/// images; cost prices only for those who may see them (a cashier sees what a product sells
/// for, not what it cost).
pub async fn get(db: &sqlx::PgPool, actor: &Actor, id: ProductId) -> Result<Product, Error> {
    let scope = actor.require(Permission::ViewCatalog)?;
    let mut tx = tenant_tx(db, scope.tenant).await?;
    let mut product = read(&mut tx, &scope, id).await?;
    tx.commit().await?;
    if !actor.can(Permission::ViewCosts) {
        for variant in &mut product.variants {
            variant.cost = None;
        }
    }
    Ok(product)
}

/// A page of products matching `query`, continuing after `after`.
pub async fn list(
    db: &sqlx::PgPool,
    actor: &Actor,
    query: &ProductQuery,
    after: Option<ProductCursor>,
    limit: i64,
) -> Result<ProductPage, Error> {
    let scope = actor.require(Permission::ViewCatalog)?;
    let tenant = scope.tenant;
    let limit = limit.clamp(1, 500);
    let search = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let (after_name, after_name_id) = match &after {
        Some(ProductCursor::Name(name, id)) => (Some(name.clone()), Some(*id)),
        _ => (None, None),
    };
    let (after_time, after_time_id) = match &after {
        Some(ProductCursor::Updated(at, id)) => (Some(*at), Some(*id)),
        _ => (None, None),
    };
    let by_name = query.sort == ProductSort::Name;
    let mut tx = tenant_tx(db, tenant).await?;
    if search.is_some() {
        forgive_typos(&mut tx).await?;
    }
    // The page's ids first (a narrow sort over one table), then the details of just those rows.
    let ids = sqlx::query!(
        r#"SELECT p.id, lower(p.name) AS "name_key!", p.updated_at
             FROM products p
            WHERE p.tenant_id = $1
              AND ($2::text IS NULL OR p.status = $2)
              AND ($3::uuid IS NULL OR p.category_id IN (
                    WITH RECURSIVE below AS (
                        SELECT id FROM categories WHERE tenant_id = $1 AND id = $3
                        UNION ALL
                        SELECT c.id FROM categories c JOIN below ON c.parent_id = below.id WHERE c.tenant_id = $1)
                    SELECT id FROM below))
              AND ($4::text IS NULL
                   OR p.search @@ websearch_to_tsquery('simple', $4)
                   OR lower($4) <% lower(p.name)
                   OR EXISTS (SELECT 1 FROM variants v
                               WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id
                                 AND (lower(v.sku) LIKE $5 OR v.barcode = $4)))
              AND ($6::text IS NULL OR (lower(p.name), p.id) > ($6, $7))
              AND ($8::timestamptz IS NULL OR (p.updated_at, p.id) < ($8, $9))
              AND ($12::uuid IS NULL OR p.vendor_id = $12)
            ORDER BY CASE WHEN $10 THEN lower(p.name) END, CASE WHEN $10 THEN p.id END,
                     CASE WHEN NOT $10 THEN p.updated_at END DESC, CASE WHEN NOT $10 THEN p.id END DESC
            LIMIT $11"#,
        tenant.0,
        query.status.map(ProductStatus::code),
        query.category.map(|c| c.0),
        search,
        search.map(|s| format!("{}%", escape_like(&s.to_lowercase()))),
        after_name,
        after_name_id,
        after_time,
        after_time_id,
        by_name,
        limit + 1,
        scope.vendor.map(|v| v.0),
    )
    .fetch_all(&mut *tx)
    .await?;
    let more = ids.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    let ids = &ids[..ids.len().min(usize::try_from(limit).unwrap_or(usize::MAX))];
    let next = more.then(|| ids.last()).flatten().map(|last| {
        if by_name {
            ProductCursor::Name(last.name_key.clone(), last.id)
        } else {
            ProductCursor::Updated(last.updated_at, last.id)
        }
    });
    let wanted: Vec<Uuid> = ids.iter().map(|r| r.id).collect();
    let mut rows: HashMap<Uuid, ProductRow> = rows_for(&mut tx, &scope, &wanted).await?;
    tx.commit().await?;
    let rows = wanted.iter().filter_map(|id| rows.remove(id)).collect();
    Ok(ProductPage { rows, next })
}

/// Active products of the storefront `actor` is on (a visitor's, a shopper's, or staff looking
/// at their own), narrowed and ordered as `filter` says: `limit` of them after the key in
/// `after`, each with its own key (the value the order sorts by, as text, and its id) for the
/// next page to start after. A key that does not read as the order's (one of another order)
/// starts from the beginning. The page's products are chosen first; only theirs are priced and
/// counted.
pub async fn for_sale(
    db: &sqlx::PgPool,
    actor: &Actor,
    filter: &super::ShelfFilter,
    after: Option<(String, Uuid)>,
    limit: i64,
) -> Result<Vec<(ShopItem, (String, Uuid))>, Error> {
    let tenant = actor.tenant().ok_or_else(|| Error::not_found("storefront"))?;
    let search = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let brand = filter.brand.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let by_relevance = filter.order == super::ShelfOrder::Relevance;
    let order = if by_relevance && search.is_none() { super::ShelfOrder::Name } else { filter.order };
    let start = ShelfStart::read(order, after);
    let mut tx = tenant_tx(db, tenant).await?;
    let matching = matching(&mut tx, search).await?;
    let rows = sqlx::query_as!(
        ShelfRow,
        r#"WITH found AS (
               SELECT p.tenant_id, p.id, p.name, p.brand, lower(p.name) AS sort_name,
                      CASE WHEN $11 IN ('price', 'price-desc') THEN (SELECT min(v.price) FROM variants v
                            WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id) END AS low,
                      CASE WHEN $11 = 'price-desc' THEN (SELECT max(v.price) FROM variants v
                            WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id) END AS high,
                      CASE WHEN $11 = 'relevance' THEN
                            ts_rank(p.search, websearch_to_tsquery('simple', $2))::float8
                            + similarity(lower($2), lower(p.name))::float8 END AS score
                 FROM products p
                WHERE p.tenant_id = $1 AND p.on_sale
                  AND EXISTS (SELECT 1 FROM variants v WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id)
                  AND ($16::uuid[] IS NULL OR p.id = ANY ($16))
                  AND ($6::uuid IS NULL OR p.category_id IN (
                        WITH RECURSIVE below AS (
                            SELECT id FROM categories WHERE tenant_id = $1 AND id = $6
                            UNION ALL
                            SELECT c.id FROM categories c JOIN below ON c.parent_id = below.id WHERE c.tenant_id = $1)
                        SELECT id FROM below))
                  AND ($7::text IS NULL OR lower(p.brand) = lower($7))
                  AND ($8::numeric IS NULL OR EXISTS (SELECT 1 FROM variants v
                        WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id AND v.price >= $8))
                  AND ($9::numeric IS NULL OR EXISTS (SELECT 1 FROM variants v
                        WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id AND v.price <= $9))
                  AND (NOT $10 OR EXISTS (SELECT 1 FROM variants v JOIN stock_levels l
                        ON l.tenant_id = v.tenant_id AND l.variant_id = v.id
                        WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id AND l.on_hand - l.reserved > 0))
                  AND (NOT $14 OR p.featured)
                  AND ($15::uuid IS NULL OR p.vendor_id = $15)),
           page AS (
               SELECT * FROM found
                WHERE $4::uuid IS NULL
                   OR CASE $11
                        WHEN 'price' THEN (low, id) > ($12::numeric, $4)
                        WHEN 'price-desc' THEN (high, id) < ($12::numeric, $4)
                        WHEN 'relevance' THEN (score, id) < ($13::float8, $4)
                        WHEN 'newest' THEN id < $4
                        ELSE (sort_name, id) > ($3::text, $4) END
                ORDER BY CASE WHEN $11 = 'price' THEN low END,
                         CASE WHEN $11 = 'price-desc' THEN high END DESC,
                         CASE WHEN $11 = 'relevance' THEN score END DESC,
                         CASE WHEN $11 = 'name' THEN sort_name END,
                         CASE WHEN $11 IN ('name', 'price') THEN id END,
                         id DESC
                LIMIT $5)
           SELECT page.id, page.name, page.brand,
                  CASE $11 WHEN 'price' THEN page.low::text WHEN 'price-desc' THEN page.high::text
                           WHEN 'relevance' THEN page.score::text WHEN 'newest' THEN '' ELSE page.sort_name END AS "sort_key!",
                  min(v.price) AS "low!", max(v.price) AS "high!",
                  array_agg(v.id ORDER BY v.position, v.id) AS "variants!",
                  array_agg(coalesce(s.available, 0) ORDER BY v.position, v.id) AS "available!",
                  (SELECT file_key FROM product_images i WHERE i.tenant_id = page.tenant_id AND i.product_id = page.id
                    ORDER BY position, id LIMIT 1) AS file_key
             FROM page
             JOIN variants v ON v.tenant_id = page.tenant_id AND v.product_id = page.id
             LEFT JOIN LATERAL (SELECT sum(on_hand - reserved)::bigint AS available FROM stock_levels l
                                 WHERE l.tenant_id = v.tenant_id AND l.variant_id = v.id) s ON true
            GROUP BY page.tenant_id, page.id, page.name, page.brand, page.sort_name, page.low, page.high, page.score
            ORDER BY CASE WHEN $11 = 'price' THEN page.low END,
                     CASE WHEN $11 = 'price-desc' THEN page.high END DESC,
                     CASE WHEN $11 = 'relevance' THEN page.score END DESC,
                     CASE WHEN $11 = 'name' THEN page.sort_name END,
                     CASE WHEN $11 IN ('name', 'price') THEN page.id END,
                     page.id DESC"#,
        tenant.0,
        search,
        start.name,
        start.id,
        limit.clamp(1, 200),
        filter.category.map(|c| c.0),
        brand,
        filter.min_price,
        filter.max_price,
        filter.in_stock,
        order.code(),
        start.price,
        start.score,
        filter.featured,
        filter.vendor.map(|v| v.0),
        matching.as_deref(),
    )
    .fetch_all(&mut *tx)
    .await?;
    let currency = crate::identity::currency_in(&mut tx, tenant).await?;
    tx.commit().await?;
    Ok(rows.into_iter().map(|r| r.into_item(order, currency)).collect())
}

/// The step that finds the on-sale products whose names or words match a search (none without
/// words), by the indexes, as the table's owner (see the `products_matching` function: under the
/// row policy no index serves a search), in the transaction's business.
async fn matching(tx: &mut PgConnection, words: Option<&str>) -> Result<Option<Vec<Uuid>>, Error> {
    let Some(words) = words else { return Ok(None) };
    forgive_typos(&mut *tx).await?;
    let found =
        sqlx::query_scalar!(r#"SELECT id AS "id!" FROM products_matching($1)"#, words).fetch_all(&mut *tx).await?;
    Ok(Some(found))
}

/// A product on a shelf's page, as its query reads it.
struct ShelfRow {
    id: Uuid,
    name: String,
    brand: String,
    sort_key: String,
    low: rust_decimal::Decimal,
    high: rust_decimal::Decimal,
    variants: Vec<Uuid>,
    available: Vec<i64>,
    file_key: Option<String>,
}

impl ShelfRow {
    /// The product as the shelf shows it, with the key the next page starts after: the order's
    /// code, then the value it sorts by.
    fn into_item(self, order: super::ShelfOrder, currency: crate::Currency) -> (ShopItem, (String, Uuid)) {
        let item = ShopItem {
            id: ProductId(self.id),
            name: self.name,
            brand: self.brand,
            price_range: (Money::new(self.low, currency), Money::new(self.high, currency)),
            thumbnail_url: self.file_key.map(|k| image_urls(&k).1),
            variants: self.variants.into_iter().map(VariantId).zip(self.available).collect(),
        };
        (item, (format!("{}:{}", order.code(), self.sort_key), self.id))
    }
}

/// Where a shelf's page starts, typed as its order sorts: after a name, a price or a score, and
/// an id (the newest first start after an id alone). No id: from the beginning.
#[derive(Default)]
struct ShelfStart {
    name: Option<String>,
    price: Option<rust_decimal::Decimal>,
    score: Option<f64>,
    id: Option<Uuid>,
}

impl ShelfStart {
    /// The key a page gave out, read for `order`; one of another order (or one that does not
    /// read as the order's) starts from the beginning.
    fn read(order: super::ShelfOrder, after: Option<(String, Uuid)>) -> Self {
        use super::ShelfOrder;
        let Some((key, id)) = after else { return Self::default() };
        let Some(key) = key.strip_prefix(order.code()).and_then(|k| k.strip_prefix(':')).map(str::to_owned) else {
            return Self::default();
        };
        let start = match order {
            ShelfOrder::Name => Self { name: Some(key), ..Self::default() },
            ShelfOrder::PriceLow | ShelfOrder::PriceHigh => Self { price: key.parse().ok(), ..Self::default() },
            ShelfOrder::Relevance => {
                Self { score: key.parse::<f64>().ok().filter(|s| s.is_finite()), ..Self::default() }
            }
            ShelfOrder::Newest => Self::default(),
        };
        let readable = match order {
            ShelfOrder::Name | ShelfOrder::Newest => true,
            ShelfOrder::PriceLow | ShelfOrder::PriceHigh => start.price.is_some(),
            ShelfOrder::Relevance => start.score.is_some(),
        };
        Self { id: readable.then_some(id), ..start }
    }
}

/// The variants these codes name (a SKU in any case, or a barcode), in the same order; `None`
/// where a code names nothing in the business.
pub async fn find_variants(
    db: &sqlx::PgPool,
    actor: &Actor,
    codes: &[String],
) -> Result<Vec<Option<VariantRef>>, Error> {
    let scope = actor.require(Permission::ViewCatalog)?;
    let tenant = scope.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    // A vendor's staff find their vendor's variants alone.
    let rows = sqlx::query!(
        r#"SELECT DISTINCT ON (c.n) c.n AS "n!", f.id AS "id?", f.product_id AS "product_id?", f.sku AS "sku?",
                  f.name AS "product_name?", f.option_values AS "option_values?"
             FROM unnest($2::text[]) WITH ORDINALITY AS c(code, n)
             LEFT JOIN LATERAL (
                  SELECT v.id, v.product_id, v.sku, v.option_values, p.name,
                         lower(v.sku) = lower(btrim(c.code)) AS by_sku
                    FROM variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
                   WHERE v.tenant_id = $1 AND (lower(v.sku) = lower(btrim(c.code)) OR v.barcode = btrim(c.code))
                     AND ($3::uuid IS NULL OR p.vendor_id = $3)) f ON true
            ORDER BY c.n, f.by_sku DESC"#,
        tenant.0,
        codes,
        scope.vendor.map(|v| v.0)
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            Some(VariantRef {
                id: VariantId(r.id?),
                product: ProductId(r.product_id?),
                sku: r.sku?,
                item: super::item_name(&r.product_name?, &r.option_values.unwrap_or_default()),
            })
        })
        .collect())
}

/// Sets the status of several products at once (the list's bulk action); answers how many changed.
pub async fn set_status(
    db: &sqlx::PgPool,
    actor: &Actor,
    ids: &[ProductId],
    status: ProductStatus,
) -> Result<u64, Error> {
    let scope = actor.require(Permission::ManageCatalog)?;
    in_tenant_tx(db, scope.tenant, async |tx| set_status_in(tx, &scope, actor, ids, status).await).await
}

/// The step of [`set_status`], in the caller's transaction, for `scope` (its permission
/// already required).
pub async fn set_status_in(
    tx: &mut PgConnection,
    scope: &Scope,
    actor: &Actor,
    ids: &[ProductId],
    status: ProductStatus,
) -> Result<u64, Error> {
    let tenant = scope.tenant;
    if ids.is_empty() {
        return Err(Error::invalid("products", "choose at least one product"));
    }
    let ids: Vec<Uuid> = ids.iter().map(|p| p.0).collect();
    let changed = sqlx::query!(
        r#"UPDATE products p SET status = $3, revision = p.revision + 1, updated_at = now()
             FROM products old
            WHERE p.tenant_id = $1 AND p.id = ANY($2) AND p.status <> $3
              AND old.tenant_id = p.tenant_id AND old.id = p.id
              AND ($4::uuid IS NULL OR p.vendor_id = $4)
           RETURNING p.id, old.status AS "before!""#,
        tenant.0,
        &ids,
        status.code(),
        scope.vendor.map(|v| v.0)
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in &changed {
        let change = Change {
            entity: "product",
            entity_id: row.id.to_string(),
            action: "status changed",
            before: Some(json!({ "status": row.before })),
            after: Some(json!({ "status": status.code() })),
        };
        audit::record(tx, tenant, actor, change).await?;
    }
    Ok(changed.len() as u64)
}

/// Puts the products on the storefront's home page (`featured`), or takes them off (the list's
/// bulk action); answers how many changed.
pub async fn set_featured(db: &sqlx::PgPool, actor: &Actor, ids: &[ProductId], featured: bool) -> Result<u64, Error> {
    let scope = actor.require(Permission::ManageCatalog)?;
    scope.operator_only("choose the storefront's featured products")?;
    let tenant = scope.tenant;
    if ids.is_empty() {
        return Err(Error::invalid("products", "choose at least one product"));
    }
    let ids: Vec<Uuid> = ids.iter().map(|p| p.0).collect();
    in_tenant_tx(db, tenant, async |tx| {
        let changed = sqlx::query_scalar!(
            "UPDATE products SET featured = $3, revision = revision + 1, updated_at = now()
              WHERE tenant_id = $1 AND id = ANY($2) AND featured <> $3
             RETURNING id",
            tenant.0,
            &ids,
            featured
        )
        .fetch_all(&mut *tx)
        .await?;
        for id in &changed {
            let change = Change {
                entity: "product",
                entity_id: id.to_string(),
                action: if featured { "featured" } else { "no longer featured" },
                before: Some(json!({ "featured": !featured })),
                after: Some(json!({ "featured": featured })),
            };
            audit::record(tx, tenant, actor, change).await?;
        }
        Ok(changed.len() as u64)
    })
    .await
}

/// Removes a product that was never stocked; one with stock history can only be archived.
pub async fn delete(db: &sqlx::PgPool, actor: &Actor, id: ProductId) -> Result<(), Error> {
    let scope = actor.require(Permission::ManageCatalog)?;
    in_tenant_tx(db, scope.tenant, async |tx| delete_in(tx, &scope, actor, id).await).await
}

/// The step of [`delete`], in the caller's transaction, for `scope` (its permission already
/// required).
pub async fn delete_in(tx: &mut PgConnection, scope: &Scope, actor: &Actor, id: ProductId) -> Result<(), Error> {
    let tenant = scope.tenant;
    let before = read(tx, scope, id).await?;
    let stocked = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM stock_levels s JOIN variants v ON v.tenant_id = s.tenant_id AND v.id = s.variant_id
                          WHERE v.tenant_id = $1 AND v.product_id = $2) AS "stocked!""#,
        tenant.0,
        id.0
    )
    .fetch_one(&mut *tx)
    .await?;
    if stocked {
        return Err(Error::conflict(
            Clash::StockHistory,
            format!("{} has stock history, which must be kept; archive it instead.", before.name),
        ));
    }
    sqlx::query!("DELETE FROM variants WHERE tenant_id = $1 AND product_id = $2", tenant.0, id.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM products WHERE tenant_id = $1 AND id = $2", tenant.0, id.0).execute(&mut *tx).await?;
    let change = Change {
        entity: "product",
        entity_id: id.to_string(),
        action: "deleted",
        before: Some(
            json!({ "name": before.name, "skus": before.variants.iter().map(|v| &v.sku).collect::<Vec<_>>() }),
        ),
        after: None,
    };
    audit::record(tx, tenant, actor, change).await?;
    Ok(())
}

/// Writes a checked product for `scope`, inside the caller's transaction. The operator's staff
/// write through [`save`] as it is. A vendor's staff reach their vendor's products alone
/// (another's reads as not found), always as their vendor's and never featured; when the
/// operator moderates the vendor, its new product waits for approval, and its change to a
/// product already approved waits beside it (`product_changes`) while the product stays as it
/// was. Answers the product's id.
pub(crate) async fn save_for(
    tx: &mut PgConnection,
    scope: &Scope,
    actor: &Actor,
    existing: Option<(ProductId, Option<i64>)>,
    input: &ProductInput,
) -> Result<ProductId, Error> {
    let tenant = scope.tenant;
    let Some(vendor) = scope.vendor else { return save(tx, tenant, actor, existing, input).await };
    let mut input = input.clone();
    input.vendor = Keep::To(Some(vendor));
    input.featured = Keep::Unchanged;
    let moderated =
        sqlx::query_scalar!("SELECT moderated FROM vendors WHERE tenant_id = $1 AND id = $2", tenant.0, vendor.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::not_found("vendor"))?;
    let Some((id, revision)) = existing else {
        let id = save(tx, tenant, actor, None, &input).await?;
        if moderated {
            super::moderation::submit_new(tx, tenant, id).await?;
        }
        return Ok(id);
    };
    let current = sqlx::query!(
        "SELECT name, moderation, revision FROM products WHERE tenant_id = $1 AND id = $2 AND vendor_id = $3 FOR UPDATE",
        tenant.0,
        id.0,
        vendor.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("product"))?;
    if moderated && current.moderation == super::Moderation::Approved.code() {
        if let Some(revision) = revision.filter(|r| *r != current.revision) {
            return Err(out_of_date(&current.name, revision, current.revision));
        }
        super::moderation::submit_change(tx, scope, actor, id, vendor, &input, current.revision).await?;
        return Ok(id);
    }
    save(tx, tenant, actor, Some((id, revision)), &input).await?;
    if moderated {
        super::moderation::submit_new(tx, tenant, id).await?;
    }
    Ok(id)
}

/// A product's variants as an edit would send them, to tell what a waiting change alters.
pub(crate) async fn variants_as_input(
    tx: &mut PgConnection,
    tenant: TenantId,
    product: ProductId,
) -> Result<Vec<VariantInput>, Error> {
    let rows = sqlx::query!(
        "SELECT id, sku, barcode, option_values, price, compare_at_price, cost, weight_grams, length_mm, width_mm,
                height_mm
           FROM variants WHERE tenant_id = $1 AND product_id = $2 ORDER BY position, id",
        tenant.0,
        product.0
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|v| VariantInput {
            id: Some(VariantId(v.id)),
            sku: v.sku,
            barcode: v.barcode.unwrap_or_default(),
            option_values: v.option_values,
            price: v.price,
            compare_at_price: v.compare_at_price,
            cost: v.cost,
            weight_grams: v.weight_grams,
            dimensions_mm: match (v.length_mm, v.width_mm, v.height_mm) {
                (Some(l), Some(w), Some(h)) => Some([l, w, h]),
                _ => None,
            },
        })
        .collect())
}

/// The refusal of an edit made from an older revision than the product's.
fn out_of_date(name: &str, yours: i64, now: i64) -> Error {
    Error::conflict(
        Clash::VersionMismatch,
        format!(
            "{name} was changed by someone else after you opened it (your copy is revision {yours}, it is now \
             revision {now}); open it again and redo your change."
        ),
    )
}

/// Writes a checked product inside the caller's transaction (the editor, the API and the
/// import all come through here); answers its id. `existing` names the product to change and,
/// when the caller knows it, the revision the change was made from.
pub(crate) async fn save(
    tx: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    existing: Option<(ProductId, Option<i64>)>,
    input: &ProductInput,
) -> Result<ProductId, Error> {
    let product_error = |e| {
        field_errors(
            e,
            &[
                ("products_tenant_id_category_id_fkey", "category", "choose one of your categories"),
                ("products_tenant_id_vendor_id_fkey", "vendor", "choose one of your vendors"),
            ],
        )
    };
    let (id, action, before) = if let Some((id, revision)) = existing {
        let before = sqlx::query!(
            "SELECT name, status, vendor_id, featured, revision FROM products WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
            tenant.0,
            id.0
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("product"))?;
        if let Some(revision) = revision.filter(|r| *r != before.revision) {
            return Err(out_of_date(&before.name, revision, before.revision));
        }
        sqlx::query!(
            "UPDATE products SET name = $3, description = $4, brand = $5, category_id = $6, status = $7,
                    tax_class = $8, options = $9, vendor_id = $10, featured = $11, revision = revision + 1,
                    updated_at = now()
              WHERE tenant_id = $1 AND id = $2",
            tenant.0,
            id.0,
            input.name,
            input.description,
            input.brand,
            input.category.map(|c| c.0),
            input.status.code(),
            input.tax_class.code(),
            &input.options,
            input.vendor.or(before.vendor_id.map(VendorId)).map(|v| v.0),
            input.featured.or(before.featured),
        )
        .execute(&mut *tx)
        .await
        .map_err(product_error)?;
        let was = json!({
            "name": before.name, "status": before.status, "featured": before.featured, "revision": before.revision
        });
        (id, "updated", Some(was))
    } else {
        let id = ProductId(Uuid::now_v7());
        sqlx::query!(
            "INSERT INTO products (tenant_id, id, name, description, brand, category_id, status, tax_class, options,
                                   vendor_id, featured)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            tenant.0,
            id.0,
            input.name,
            input.description,
            input.brand,
            input.category.map(|c| c.0),
            input.status.code(),
            input.tax_class.code(),
            &input.options,
            input.vendor.or(None).map(|v| v.0),
            input.featured.or(false),
        )
        .execute(&mut *tx)
        .await
        .map_err(product_error)?;
        (id, "created", None)
    };
    save_variants(tx, tenant, id, existing.is_some(), &input.variants).await?;
    let mut after = json!({
        "name": input.name,
        "status": input.status.code(),
        "skus": input.variants.iter().map(|v| &v.sku).collect::<Vec<_>>(),
    });
    if let Keep::To(featured) = input.featured {
        after["featured"] = json!(featured);
    }
    let change = Change { entity: "product", entity_id: id.to_string(), action, before, after: Some(after) };
    audit::record(tx, tenant, actor, change).await?;
    Ok(id)
}

async fn save_variants(
    tx: &mut PgConnection,
    tenant: TenantId,
    product: ProductId,
    existing: bool,
    variants: &[VariantInput],
) -> Result<(), Error> {
    let kept: HashSet<Uuid> = variants.iter().filter_map(|v| v.id.map(|id| id.0)).collect();
    if existing {
        let current: Vec<(Uuid, String, bool)> = sqlx::query!(
            r#"SELECT v.id, v.sku, EXISTS (SELECT 1 FROM stock_levels s
                                           WHERE s.tenant_id = v.tenant_id AND s.variant_id = v.id) AS "stocked!"
                 FROM variants v WHERE v.tenant_id = $1 AND v.product_id = $2 FOR UPDATE OF v"#,
            tenant.0,
            product.0
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| (r.id, r.sku, r.stocked))
        .collect();
        let known: HashSet<Uuid> = current.iter().map(|(id, _, _)| *id).collect();
        if let Some(i) = variants.iter().position(|v| v.id.is_some_and(|id| !known.contains(&id.0))) {
            return Err(Error::invalid(format!("variants[{i}].id"), "is not a variant of this product"));
        }
        let removed: Vec<Uuid> = current.iter().filter(|(id, _, _)| !kept.contains(id)).map(|(id, _, _)| *id).collect();
        if let Some((_, sku, _)) = current.iter().find(|(id, _, stocked)| *stocked && !kept.contains(id)) {
            return Err(Error::conflict(
                Clash::StockHistory,
                format!("Variant {sku} has stock history, so it cannot be removed; archive the product instead."),
            ));
        }
        // Give removed and renamed SKUs up first, so variants may swap SKUs within one save.
        sqlx::query!("DELETE FROM variants WHERE tenant_id = $1 AND id = ANY($2)", tenant.0, &removed)
            .execute(&mut *tx)
            .await?;
        sqlx::query!(
            "UPDATE variants SET sku = '0.' || id::text, barcode = NULL WHERE tenant_id = $1 AND id = ANY($2)",
            tenant.0,
            &kept.iter().copied().collect::<Vec<_>>()
        )
        .execute(&mut *tx)
        .await?;
    }
    for (i, v) in variants.iter().enumerate() {
        let position = i32::try_from(i).unwrap_or(i32::MAX);
        let [length, width, height] = v.dimensions_mm.map_or([None; 3], |d| d.map(Some));
        let barcode = (!v.barcode.is_empty()).then_some(v.barcode.as_str());
        let result = if let Some(id) = v.id {
            sqlx::query!(
                "UPDATE variants SET sku = $3, barcode = $4, option_values = $5, price = $6, compare_at_price = $7,
                        cost = $8, weight_grams = $9, length_mm = $10, width_mm = $11, height_mm = $12, position = $13
                  WHERE tenant_id = $1 AND id = $2",
                tenant.0,
                id.0,
                v.sku,
                barcode,
                &v.option_values,
                v.price,
                v.compare_at_price,
                v.cost,
                v.weight_grams,
                length,
                width,
                height,
                position,
            )
            .execute(&mut *tx)
            .await
        } else {
            sqlx::query!(
                "INSERT INTO variants (tenant_id, id, product_id, sku, barcode, option_values, price, compare_at_price,
                                       cost, weight_grams, length_mm, width_mm, height_mm, position)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                tenant.0,
                Uuid::now_v7(),
                product.0,
                v.sku,
                barcode,
                &v.option_values,
                v.price,
                v.compare_at_price,
                v.cost,
                v.weight_grams,
                length,
                width,
                height,
                position,
            )
            .execute(&mut *tx)
            .await
        };
        result.map_err(|e| {
            let sku = format!("variants[{i}].sku");
            let barcode = format!("variants[{i}].barcode");
            field_errors(
                e,
                &[
                    ("variants_sku_unique", &sku, "another product has this SKU"),
                    ("variants_barcode_unique", &barcode, "another product has this barcode"),
                ],
            )
        })?;
    }
    Ok(())
}

/// Lets a name match a search with a typo or two: `pg_trgm`'s word similarity at 0.5 rather than
/// its default 0.6 ("mamas prid" finds "Mama's Pride rice"), for this transaction only. Each
/// statement of the search is planned for the values it is given (which words, which
/// narrowing), never by a plan kept for any values: one plan cannot serve both a search that
/// finds three products and one that finds thousands.
pub(crate) async fn forgive_typos(tx: &mut PgConnection) -> Result<(), Error> {
    sqlx::query!(
        r#"SELECT set_config('pg_trgm.word_similarity_threshold', '0.5', true) AS "similarity!",
                  set_config('plan_cache_mode', 'force_custom_plan', true) AS "planning!""#
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(())
}

/// `LIKE` treats `%`, `_` and `\\` specially; a search for them means the characters themselves.
pub(crate) fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// A whole product, read inside the caller's transaction, with its stock totalled over the
/// locations `scope` reaches.
pub(crate) async fn read(tx: &mut PgConnection, scope: &Scope, id: ProductId) -> Result<Product, Error> {
    let (tenant, shops) = (scope.tenant, scope.shops.ids());
    let p = sqlx::query!(
        r#"WITH RECURSIVE up AS (
               SELECT c.id, c.parent_id, c.name::text AS path, 0 AS depth
                 FROM categories c JOIN products p ON p.tenant_id = c.tenant_id AND p.category_id = c.id
                WHERE p.tenant_id = $1 AND p.id = $2
               UNION ALL
               SELECT c.id, c.parent_id, c.name || ' › ' || up.path, up.depth + 1
                 FROM categories c JOIN up ON c.id = up.parent_id WHERE c.tenant_id = $1 AND up.depth < 20)
           SELECT p.id, p.name, p.description, p.brand, p.category_id, p.status, p.tax_class, p.options,
                  p.vendor_id, p.featured, p.revision, p.created_at, p.updated_at, p.moderation, p.moderation_note,
                  EXISTS (SELECT 1 FROM product_changes pc
                           WHERE pc.tenant_id = p.tenant_id AND pc.product_id = p.id AND pc.decision IS NULL)
                      AS "change_waiting!",
                  (SELECT path FROM up WHERE parent_id IS NULL LIMIT 1) AS category_path
             FROM products p WHERE p.tenant_id = $1 AND p.id = $2 AND ($3::uuid IS NULL OR p.vendor_id = $3)"#,
        tenant.0,
        id.0,
        scope.vendor.map(|v| v.0)
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("product"))?;
    let currency = crate::identity::currency_in(&mut *tx, tenant).await?;
    let money = |amount| Money::new(amount, currency);
    let variants = sqlx::query!(
        r#"SELECT v.id, v.sku, v.barcode, v.option_values, v.price, v.compare_at_price, v.cost, v.weight_grams,
                  v.length_mm, v.width_mm, v.height_mm,
                  coalesce(sum(s.on_hand), 0)::bigint AS "on_hand!",
                  coalesce(sum(s.on_hand - s.reserved), 0)::bigint AS "available!"
             FROM variants v
             LEFT JOIN stock_levels s ON s.tenant_id = v.tenant_id AND s.variant_id = v.id
                  AND ($3::uuid[] IS NULL OR s.location_id = ANY($3))
            WHERE v.tenant_id = $1 AND v.product_id = $2
            GROUP BY v.tenant_id, v.id
            ORDER BY v.position, v.id"#,
        tenant.0,
        id.0,
        shops.as_deref()
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|v| Variant {
        id: VariantId(v.id),
        sku: v.sku,
        barcode: v.barcode,
        option_values: v.option_values,
        price: money(v.price),
        compare_at_price: v.compare_at_price.map(money),
        cost: v.cost.map(money),
        weight_grams: v.weight_grams,
        dimensions_mm: match (v.length_mm, v.width_mm, v.height_mm) {
            (Some(l), Some(w), Some(h)) => Some([l, w, h]),
            _ => None,
        },
        on_hand: v.on_hand,
        available: v.available,
    })
    .collect();
    let images = super::image::list(&mut *tx, tenant, id).await?;
    Ok(Product {
        id,
        name: p.name,
        description: p.description,
        brand: p.brand,
        category: p.category_id.map(CategoryId),
        category_path: p.category_path,
        status: ProductStatus::from_code(&p.status).ok_or(Error::Internal)?,
        tax_class: TaxClass::from_code(&p.tax_class).ok_or(Error::Internal)?,
        options: p.options,
        variants,
        images,
        vendor: p.vendor_id,
        featured: p.featured,
        moderation: super::Moderation::from_code(&p.moderation).unwrap_or_default(),
        moderation_note: p.moderation_note,
        change_waiting: p.change_waiting,
        revision: p.revision,
        created_at: p.created_at,
        updated_at: p.updated_at,
    })
}

/// The list's rows for these products, with variant counts, price ranges, stock (at the
/// locations `scope` reaches) and a thumbnail.
async fn rows_for(tx: &mut PgConnection, scope: &Scope, ids: &[Uuid]) -> Result<HashMap<Uuid, ProductRow>, Error> {
    let (tenant, shops) = (scope.tenant, scope.shops.ids());
    let rows = sqlx::query!(
        r#"SELECT p.id, p.name, p.brand, c.name AS "category?", p.status, p.featured, p.updated_at,
                  v.count AS "variants!", v.sku AS "sku!", v.low AS "low!", v.high AS "high!",
                  coalesce(st.available, 0)::bigint AS "available!", img.file_key AS "file_key?"
             FROM products p
             LEFT JOIN categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id
             CROSS JOIN LATERAL (
                 SELECT count(*) AS count, coalesce((array_agg(sku ORDER BY position, id))[1], '') AS sku,
                        coalesce(min(price), 0) AS low, coalesce(max(price), 0) AS high
                   FROM variants WHERE tenant_id = p.tenant_id AND product_id = p.id) v
             LEFT JOIN LATERAL (
                 SELECT sum(s.on_hand - s.reserved) AS available
                   FROM stock_levels s JOIN variants sv ON sv.tenant_id = s.tenant_id AND sv.id = s.variant_id
                  WHERE sv.tenant_id = p.tenant_id AND sv.product_id = p.id
                    AND ($3::uuid[] IS NULL OR s.location_id = ANY($3))) st ON true
             LEFT JOIN LATERAL (
                 SELECT file_key FROM product_images
                  WHERE tenant_id = p.tenant_id AND product_id = p.id ORDER BY position, id LIMIT 1) img ON true
            WHERE p.tenant_id = $1 AND p.id = ANY($2)"#,
        tenant.0,
        ids,
        shops.as_deref()
    )
    .fetch_all(&mut *tx)
    .await?;
    let currency = crate::identity::currency_in(&mut *tx, tenant).await?;
    rows.into_iter()
        .map(|r| {
            let status = ProductStatus::from_code(&r.status).ok_or(Error::Internal)?;
            Ok((
                r.id,
                ProductRow {
                    id: ProductId(r.id),
                    name: r.name,
                    brand: r.brand,
                    category: r.category,
                    status,
                    variants: r.variants,
                    sku: r.sku,
                    price_range: (Money::new(r.low, currency), Money::new(r.high, currency)),
                    available: r.available,
                    featured: r.featured,
                    thumbnail_url: r.file_key.map(|k| image_urls(&k).1),
                    updated_at: r.updated_at,
                },
            ))
        })
        .collect()
}
