use commerce::identity::ShopChoice;
use leptos::prelude::*;

use crate::AppError;

/// The shops a till can be opened in.
#[server(prefix = "/rpc", endpoint = "load_register_shops")]
pub async fn load_register_shops() -> Result<Vec<ShopChoice>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::identity::shops_for_registers(db.read(), &actor).await?)
}
