use commerce::catalog::ShopItem;
use commerce::identity::Storefront;
use leptos::prelude::*;

use crate::AppError;

/// The storefront of the business with this slug.
#[server(prefix = "/rpc", endpoint = "load_storefront")]
pub async fn load_storefront(slug: String) -> Result<Storefront, AppError> {
    let db = super::db()?;
    Ok(commerce::identity::storefront(db.read(), &slug).await?)
}

/// What a storefront sells, 48 at a time, matching the shopper's search.
#[server(prefix = "/rpc", endpoint = "load_shop_items")]
pub async fn load_shop_items(slug: String, search: Option<String>) -> Result<Vec<ShopItem>, AppError> {
    let db = super::db()?;
    let store = commerce::identity::storefront(db.read(), &slug).await?;
    Ok(commerce::catalog::product::for_sale(db.read(), store.tenant.id, search.as_deref(), None, 48).await?)
}
