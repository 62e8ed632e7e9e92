use commerce::catalog::ShopItem;
use commerce::identity::Storefront;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// The storefront of the business with this slug.
#[server(prefix = "/rpc", endpoint = "load_storefront")]
pub async fn load_storefront(slug: String) -> Result<Storefront, AppError> {
    let db = super::db()?;
    let mut store = store(&db, &slug).await?;
    if let Some(commerce::base::Actor::Shopper { tenant, name, .. }) = crate::session::actor()
        && tenant == store.tenant.id
    {
        store.shopper = Some(name);
    }
    Ok(store)
}

/// A page of what a storefront sells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shelf {
    /// The page's products, by name.
    pub items: Vec<ShopItem>,
    /// Where the next page starts, as the address carries it; none on the last page.
    pub next: Option<String>,
}

/// The most products a shelf page shows.
#[cfg(feature = "ssr")]
const SHELF: usize = 48;

/// What the shopper narrowed the shelf to, as the page's address has it (`q`, `category`,
/// `brand`, `min`, `max`, `stock`) and ordered (`sort`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ShelfQuery {
    /// Words to find.
    pub q: Option<String>,
    /// A category's id.
    pub category: Option<String>,
    /// A brand.
    pub brand: Option<String>,
    /// The least price, as typed.
    pub min: Option<String>,
    /// The most price, as typed.
    pub max: Option<String>,
    /// Only what can be bought now (`1`).
    pub stock: Option<String>,
    /// The order (`relevance`, `name`, `price`, `price-desc`, `newest`); best match first when
    /// words are searched, else by name.
    pub sort: Option<String>,
}

/// What a storefront sells, 48 at a time by name, as the shopper narrowed it, from the key in
/// `after` (a cursor the previous page gave out; one it did not is the first page).
#[server(prefix = "/rpc", endpoint = "load_shop_items")]
pub async fn load_shop_items(slug: String, query: ShelfQuery, after: Option<String>) -> Result<Shelf, AppError> {
    let db = super::db()?;
    let store = store(&db, &slug).await?;
    let filter = shelf_filter(&query)?;
    // A category that is not one of the store's (with products on sale) has no page.
    if let Some(category) = filter.category
        && !shop_categories(&db, &store).await?.iter().any(|c| c.id == category)
    {
        return Err(commerce::Error::not_found("category").into());
    }
    let from: Option<(String, uuid::Uuid)> = super::after(after.as_deref());
    kept_shelf(&db, &store, filter, from, SHELF).await
}

/// A page of `size` products of the store's shelf as `filter` narrows and orders it, from the
/// key `from`: kept, or read and kept. Whoever looks, the storefront shows the same.
#[cfg(feature = "ssr")]
async fn kept_shelf(
    db: &commerce::db::Db,
    store: &Storefront,
    filter: commerce::catalog::ShelfFilter,
    from: Option<(String, uuid::Uuid)>,
    size: usize,
) -> Result<Shelf, AppError> {
    let visitor = commerce::base::Actor::Visitor { tenant: store.tenant.id, visit: uuid::Uuid::now_v7() };
    let key = (filter.clone(), from.clone());
    let load = async {
        // One more than a page, to know whether another follows.
        let limit = i64::try_from(size + 1).unwrap_or(i64::MAX);
        let mut rows = commerce::catalog::product::for_sale(db.primary(), &visitor, &filter, from, limit).await?;
        let next = if rows.len() > size {
            rows.truncate(size);
            rows.last().map(|(_, key)| commerce::base::page::cursor_after(key))
        } else {
            None
        };
        Ok::<_, AppError>(Shelf { items: rows.into_iter().map(|(item, _)| item).collect(), next })
    };
    match use_context::<super::StoreCache>() {
        Some(cache) => cache.shelf(store.tenant.id.0, key, load).await,
        None => load.await,
    }
}

/// A marketplace vendor's page on the store: who it is, and a page of its products on sale, by
/// name, from the key in `after`.
#[server(prefix = "/rpc", endpoint = "load_seller")]
pub async fn load_seller(
    slug: String,
    seller: String,
    after: Option<String>,
) -> Result<(commerce::marketplace::SellerPage, Shelf, commerce::reviews::Rating), AppError> {
    let db = super::db()?;
    let store = store(&db, &slug).await?;
    let visitor = commerce::base::Actor::Visitor { tenant: store.tenant.id, visit: uuid::Uuid::nil() };
    let page = commerce::marketplace::vendor::seller(db.primary(), &visitor, &seller).await?;
    let filter = commerce::catalog::ShelfFilter {
        vendor: Some(page.id),
        order: commerce::catalog::ShelfOrder::Name,
        ..commerce::catalog::ShelfFilter::default()
    };
    let from: Option<(String, uuid::Uuid)> = super::after(after.as_deref());
    let shelf = kept_shelf(&db, &store, filter, from, SHELF).await?;
    let rating = commerce::reviews::seller_rating(db.read(), &visitor, page.id).await?;
    Ok((page, shelf, rating))
}

/// The most products the home page features.
#[cfg(feature = "ssr")]
const FEATURED: usize = 8;

/// The products the merchant features on the store's home page, by name, at most eight.
#[server(prefix = "/rpc", endpoint = "load_featured")]
pub async fn load_featured(slug: String) -> Result<Vec<ShopItem>, AppError> {
    let db = super::db()?;
    let store = store(&db, &slug).await?;
    let filter = commerce::catalog::ShelfFilter {
        featured: true,
        order: commerce::catalog::ShelfOrder::Name,
        ..commerce::catalog::ShelfFilter::default()
    };
    // Kept with the shelves: no address narrows a shelf to the featured products, so this key
    // is the home's alone.
    Ok(kept_shelf(&db, &store, filter, None, FEATURED).await?.items)
}

/// The categories a store has products on sale in.
#[server(prefix = "/rpc", endpoint = "load_shop_categories")]
pub async fn load_shop_categories(slug: String) -> Result<Vec<commerce::catalog::ShopCategory>, AppError> {
    let db = super::db()?;
    let store = store(&db, &slug).await?;
    shop_categories(&db, &store).await
}

/// The categories a store has products on sale in, kept or read.
#[cfg(feature = "ssr")]
async fn shop_categories(
    db: &commerce::db::Db,
    store: &Storefront,
) -> Result<Vec<commerce::catalog::ShopCategory>, AppError> {
    let visitor = commerce::base::Actor::Visitor { tenant: store.tenant.id, visit: uuid::Uuid::nil() };
    let load = async { Ok::<_, AppError>(commerce::catalog::shop::categories(db.primary(), &visitor).await?) };
    match use_context::<super::StoreCache>() {
        Some(cache) => cache.categories(store.tenant.id.0, load).await,
        None => load.await,
    }
}

/// The shelf's narrowing read from the address: each wrong part named by its field.
#[cfg(feature = "ssr")]
fn shelf_filter(query: &ShelfQuery) -> Result<commerce::catalog::ShelfFilter, commerce::Error> {
    let text = |field: &str, value: &Option<String>| -> Result<Option<String>, commerce::Error> {
        let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty());
        if let Some(value) = value {
            commerce::Error::refuse_nul(field, value)?;
            if value.chars().count() > 200 {
                return Err(commerce::Error::invalid(field, "at most 200 characters"));
            }
        }
        Ok(value.map(str::to_owned))
    };
    let price = |field: &str, value: &Option<String>| -> Result<Option<rust_decimal::Decimal>, commerce::Error> {
        text(field, value)?.map(|v| commerce::catalog::parse_price(&v, field)).transpose()
    };
    let category = text("category", &query.category)?
        .map(|id| uuid::Uuid::parse_str(&id).map(commerce::catalog::CategoryId))
        .transpose()
        .map_err(|_| commerce::Error::invalid("category", "choose one of the store's categories"))?;
    let order = match text("sort", &query.sort)? {
        None => commerce::catalog::ShelfOrder::Relevance,
        Some(code) => commerce::catalog::ShelfOrder::from_code(&code)
            .ok_or_else(|| commerce::Error::invalid("sort", "choose one of the orders the shelf offers"))?,
    };
    Ok(commerce::catalog::ShelfFilter {
        order,
        search: text("q", &query.q)?,
        category,
        brand: text("brand", &query.brand)?,
        min_price: price("min", &query.min)?,
        max_price: price("max", &query.max)?,
        in_stock: query.stock.as_deref() == Some("1"),
        featured: false,
        vendor: None,
    })
}

/// The active store the address names, kept or read.
#[cfg(feature = "ssr")]
async fn store(db: &commerce::db::Db, slug: &str) -> Result<Storefront, AppError> {
    let load = async { Ok::<_, AppError>(commerce::identity::storefront(db.primary(), slug).await?) };
    match use_context::<super::StoreCache>() {
        Some(cache) => cache.store(slug, load).await,
        None => load.await,
    }
}
