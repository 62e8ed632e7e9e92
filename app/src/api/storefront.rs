use commerce::catalog::ShopItem;
use commerce::identity::Storefront;
use leptos::prelude::*;

use crate::AppError;

/// The storefront of the business with this slug.
#[server(prefix = "/rpc", endpoint = "load_storefront")]
pub async fn load_storefront(slug: String) -> Result<Storefront, AppError> {
    let db = super::db()?;
    store(&db, &slug).await
}

/// What a storefront sells, 48 at a time, matching the shopper's search.
#[server(prefix = "/rpc", endpoint = "load_shop_items")]
pub async fn load_shop_items(slug: String, search: Option<String>) -> Result<Vec<ShopItem>, AppError> {
    let db = super::db()?;
    let store = store(&db, &slug).await?;
    if let Some(search) = &search {
        // The search box is `q` on the page.
        commerce::Error::refuse_nul("q", search)?;
    }
    // Whoever looks, the storefront shows the same; a visit not yet kept (no cart) is a new one.
    let visitor = commerce::base::Actor::Visitor { tenant: store.tenant.id, visit: uuid::Uuid::now_v7() };
    Ok(commerce::catalog::product::for_sale(db.read(), &visitor, search.as_deref(), None, 48).await?)
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
