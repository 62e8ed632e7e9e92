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

/// What a storefront sells, 48 at a time by name, matching the shopper's search, from the
/// key in `after` (a cursor the previous page gave out; one it did not is the first page).
#[server(prefix = "/rpc", endpoint = "load_shop_items")]
pub async fn load_shop_items(slug: String, search: Option<String>, after: Option<String>) -> Result<Shelf, AppError> {
    let db = super::db()?;
    let store = store(&db, &slug).await?;
    if let Some(search) = &search {
        // The search box is `q` on the page.
        commerce::Error::refuse_nul("q", search)?;
    }
    // Whoever looks, the storefront shows the same; a visit not yet kept (no cart) is a new one.
    let visitor = commerce::base::Actor::Visitor { tenant: store.tenant.id, visit: uuid::Uuid::now_v7() };
    let after = super::after(after.as_deref());
    // One more than a page, to know whether another follows.
    let limit = i64::try_from(SHELF + 1).unwrap_or(i64::MAX);
    let mut rows = commerce::catalog::product::for_sale(db.read(), &visitor, search.as_deref(), after, limit).await?;
    let next = if rows.len() > SHELF {
        rows.truncate(SHELF);
        rows.last().map(|(_, key)| commerce::base::page::cursor_after(key))
    } else {
        None
    };
    Ok(Shelf { items: rows.into_iter().map(|(item, _)| item).collect(), next })
}

/// The active store the address names. An address holding a NUL names no store (and could not
/// even be looked for).
#[cfg(feature = "ssr")]
async fn store(db: &commerce::db::Db, slug: &str) -> Result<Storefront, AppError> {
    if slug.contains('\0') {
        return Err(commerce::Error::not_found("store").into());
    }
    Ok(commerce::identity::storefront(db.read(), slug).await?)
}
