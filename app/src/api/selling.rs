//! How the business sells online: its settings, delivery zones and Paystack key.

use commerce::orders::SellingSettings;
use leptos::prelude::*;
use uuid::Uuid;

use crate::AppError;

/// How the business sells online.
#[server(prefix = "/rpc", endpoint = "load_selling")]
pub async fn load_selling() -> Result<SellingSettings, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::orders::selling::show(db.primary(), &actor).await?)
}

/// Adds a delivery zone.
#[server(prefix = "/rpc", endpoint = "add_delivery_zone")]
pub async fn add_delivery_zone(
    name: String,
    #[server(default)] states: Vec<String>,
    rate: String,
    #[server(default)] free_above: String,
    #[server(default)] days: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let all = states.join(",");
    let once = super::submission(&actor, &submission, "add_delivery_zone", &[&name, &all, &rate, &free_above, &days])?;
    let input = commerce::orders::ZoneInput { name, states, rate, free_above, days };
    commerce::orders::selling::add_zone(db.primary(), &actor, &input, once.as_ref()).await?;
    Ok(())
}

/// Removes a delivery zone.
#[server(prefix = "/rpc", endpoint = "remove_delivery_zone")]
pub async fn remove_delivery_zone(id: Uuid, #[server(default)] submission: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "remove_delivery_zone", &[&id.to_string()])?;
    Ok(commerce::orders::selling::remove_zone(db.primary(), &actor, id, once.as_ref()).await?)
}

/// Keeps (or, empty, forgets) the business's Paystack secret key, sealed.
#[server(prefix = "/rpc", endpoint = "set_paystack_key")]
pub async fn set_paystack_key(#[server(default)] paystack_secret: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let keyring = super::buying::payments()?.keyring;
    Ok(commerce::orders::paystack::set_secret(db.primary(), &actor, keyring.as_ref(), &paystack_secret).await?)
}
