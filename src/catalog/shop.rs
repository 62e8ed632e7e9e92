//! A product as a storefront shows it: its pictures, its variants with their prices, how many
//! can be bought, and which shops have them for pickup. Only products on sale are shown; any
//! other (a draft, an archived product, another business's) is not found.

use serde::{Deserialize, Serialize};

use super::{ProductId, VariantId};
use crate::Money;
use crate::base::LocationId;

/// A product on a storefront.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShopProduct {
    /// Its id.
    pub id: ProductId,
    /// Its name.
    pub name: String,
    /// Who makes it.
    pub brand: String,
    /// What the merchant says of it.
    pub description: String,
    /// Its pictures: the full size and the thumbnail's address, and the words for each.
    pub pictures: Vec<ShopPicture>,
    /// The names of the options its variants differ by.
    pub options: Vec<String>,
    /// Its variants, in the merchant's order.
    pub variants: Vec<ShopVariant>,
    /// The marketplace vendor that sells it, if a vendor does.
    #[serde(default)]
    pub seller: Option<Seller>,
}

/// The vendor that sells a product on a marketplace, as shoppers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    /// Its trading name.
    pub name: String,
    /// Its page's address under the store, `/sellers/{slug}`.
    pub slug: String,
}

/// A picture of a product on sale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopPicture {
    /// The full-size picture.
    pub url: String,
    /// The small one.
    pub thumbnail_url: String,
    /// What it shows, for those who cannot see it.
    pub alt: String,
}

/// A variant of a product on sale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShopVariant {
    /// Its id.
    pub id: VariantId,
    /// Its option values joined ("M / Blue"), or "Default".
    pub title: String,
    /// Its SKU.
    pub sku: String,
    /// Its price, as the shelf shows it.
    pub price: Money,
    /// Its price before a reduction, if it is reduced.
    pub compare_at: Option<Money>,
    /// How many can be bought, across the business's locations.
    pub available: i64,
    /// The shops that have some, with how many, for pickup.
    pub at_shops: Vec<(LocationId, String, i64)>,
}

/// A category as a storefront lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopCategory {
    /// Its id.
    pub id: super::CategoryId,
    /// Its full path, "Food › Rice & grains".
    pub path: String,
    /// Products on sale in it and below it.
    pub products: i64,
}

#[cfg(feature = "server")]
pub use server::{categories, on_sale_since, product};

#[cfg(feature = "server")]
mod server {
    use super::{ShopPicture, ShopProduct, ShopVariant};
    use crate::base::{Actor, LocationId};
    use crate::catalog::{ProductId, VariantId, image_urls, variant_title};
    use crate::db::tenant_tx;
    use crate::{Error, Money};

    /// The products on sale at the actor's storefront and when each last changed, for its
    /// sitemap: at most `limit`, most recently changed first.
    pub async fn on_sale_since(
        db: &sqlx::PgPool,
        actor: &Actor,
        limit: i64,
    ) -> Result<Vec<(ProductId, chrono::DateTime<chrono::Utc>)>, Error> {
        let tenant = actor.tenant().ok_or_else(|| Error::not_found("storefront"))?;
        let mut tx = tenant_tx(db, tenant).await?;
        let rows = sqlx::query!(
            "SELECT id, updated_at FROM products WHERE tenant_id = $1 AND on_sale
              ORDER BY updated_at DESC, id DESC LIMIT $2",
            tenant.0,
            limit.clamp(1, 50_000)
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(|r| (ProductId(r.id), r.updated_at)).collect())
    }

    /// The categories of the actor's storefront that have products on sale in them or below
    /// them, in tree order.
    pub async fn categories(db: &sqlx::PgPool, actor: &Actor) -> Result<Vec<super::ShopCategory>, Error> {
        let tenant = actor.tenant().ok_or_else(|| Error::not_found("storefront"))?;
        let mut tx = tenant_tx(db, tenant).await?;
        let rows = sqlx::query!(
            r#"WITH RECURSIVE tree AS (
                   SELECT id, name::text AS path, ARRAY[id] AS line, ARRAY[lower(name), id::text] AS sort_key, 0 AS depth
                     FROM categories WHERE tenant_id = $1 AND parent_id IS NULL
                   UNION ALL
                   SELECT c.id, tree.path || ' › ' || c.name, tree.line || c.id, tree.sort_key || ARRAY[lower(c.name), c.id::text],
                          tree.depth + 1
                     FROM categories c JOIN tree ON c.parent_id = tree.id
                    WHERE c.tenant_id = $1 AND tree.depth < 20),
               counted AS (
                   SELECT t.id, count(p.id) AS products
                     FROM tree t
                     JOIN tree below ON t.id = ANY(below.line)
                     JOIN products p ON p.tenant_id = $1 AND p.category_id = below.id AND p.on_sale
                    GROUP BY t.id)
               SELECT t.id AS "id!", t.path AS "path!", counted.products AS "products!"
                 FROM tree t JOIN counted ON counted.id = t.id
                ORDER BY t.sort_key"#,
            tenant.0
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|r| super::ShopCategory { id: crate::catalog::CategoryId(r.id), path: r.path, products: r.products })
            .collect())
    }

    /// The product on sale with this id at the actor's storefront.
    pub async fn product(db: &sqlx::PgPool, actor: &Actor, id: ProductId) -> Result<ShopProduct, Error> {
        let tenant = actor.tenant().ok_or_else(|| Error::not_found("storefront"))?;
        let mut tx = tenant_tx(db, tenant).await?;
        let product = sqlx::query!(
            r#"SELECT p.name, p.brand, p.description, p.options, v.name AS "seller?", v.slug AS "seller_slug?"
                 FROM products p LEFT JOIN vendors v ON v.tenant_id = p.tenant_id AND v.id = p.vendor_id
                WHERE p.tenant_id = $1 AND p.id = $2 AND p.on_sale"#,
            tenant.0,
            id.0
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("product"))?;
        let pictures = sqlx::query!(
            "SELECT file_key, alt FROM product_images WHERE tenant_id = $1 AND product_id = $2 ORDER BY position, id",
            tenant.0,
            id.0
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|p| {
            let (url, thumbnail_url) = image_urls(&p.file_key);
            ShopPicture { url, thumbnail_url, alt: if p.alt.is_empty() { product.name.clone() } else { p.alt } }
        })
        .collect();
        let rows = sqlx::query!(
            r#"SELECT v.id, v.sku, v.option_values, v.price, v.compare_at_price,
                      coalesce(sum(s.on_hand - s.reserved), 0)::bigint AS "available!",
                      coalesce(array_agg(l.id ORDER BY l.name, l.id) FILTER (WHERE l.kind = 'shop' AND s.on_hand - s.reserved > 0), '{}')
                          AS "shop_ids!",
                      coalesce(array_agg(l.name ORDER BY l.name, l.id) FILTER (WHERE l.kind = 'shop' AND s.on_hand - s.reserved > 0), '{}')
                          AS "shop_names!",
                      coalesce(array_agg((s.on_hand - s.reserved)::bigint ORDER BY l.name, l.id)
                          FILTER (WHERE l.kind = 'shop' AND s.on_hand - s.reserved > 0), '{}') AS "shop_units!"
                 FROM variants v
                 LEFT JOIN stock_levels s ON s.tenant_id = v.tenant_id AND s.variant_id = v.id
                 LEFT JOIN locations l ON l.tenant_id = s.tenant_id AND l.id = s.location_id
                WHERE v.tenant_id = $1 AND v.product_id = $2
                GROUP BY v.id, v.sku, v.option_values, v.price, v.compare_at_price, v.position
                ORDER BY v.position, v.id"#,
            tenant.0,
            id.0
        )
        .fetch_all(&mut *tx)
        .await?;
        let currency = crate::identity::currency_in(&mut tx, tenant).await?;
        tx.commit().await?;
        let variants = rows
            .into_iter()
            .map(|r| ShopVariant {
                id: VariantId(r.id),
                title: variant_title(&r.option_values),
                sku: r.sku,
                price: Money::new(r.price, currency),
                compare_at: r.compare_at_price.filter(|c| *c > r.price).map(|c| Money::new(c, currency)),
                available: r.available.max(0),
                at_shops: r
                    .shop_ids
                    .into_iter()
                    .zip(r.shop_names)
                    .zip(r.shop_units)
                    .map(|((id, name), units)| (LocationId(id), name, units))
                    .collect(),
            })
            .collect();
        Ok(ShopProduct {
            id,
            name: product.name,
            brand: product.brand,
            description: product.description,
            pictures,
            options: product.options,
            variants,
            seller: product.seller.zip(product.seller_slug).map(|(name, slug)| super::Seller { name, slug }),
        })
    }
}
