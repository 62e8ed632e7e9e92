use commerce::identity::ShopChoice;
use leptos::prelude::*;

use crate::AppError;

/// The shops a till can be opened in.
#[server(prefix = "/rpc")]
pub async fn load_register_shops() -> Result<Vec<ShopChoice>, AppError> {
    let db = super::db()?;
    Ok(commerce::identity::shops_for_registers(db.read()).await?)
}
