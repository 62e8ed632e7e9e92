use commerce::identity::Storefront;
use leptos::prelude::*;

use crate::AppError;

/// The storefront of the business with this slug.
#[server(prefix = "/rpc", endpoint = "load_storefront")]
pub async fn load_storefront(slug: String) -> Result<Storefront, AppError> {
    let db = super::db()?;
    Ok(commerce::identity::storefront(db.read(), &slug).await?)
}
