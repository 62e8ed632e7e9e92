use commerce::identity::{Location, TenantSummary};
use leptos::prelude::*;

use crate::AppError;

/// The business's settings and locations.
#[server(prefix = "/rpc", endpoint = "load_settings")]
pub async fn load_settings() -> Result<(TenantSummary, Vec<Location>), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::identity::settings_page(db.primary(), &actor).await?)
}

/// Saves the business's settings.
#[server(prefix = "/rpc", endpoint = "save_settings")]
pub async fn save_settings(
    name: String,
    tagline: String,
    currency: String,
    vat_rate: String,
    #[server(default)] prices_include_tax: Option<String>,
    time_zone: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let include = prices_include_tax.as_deref().unwrap_or_default();
    let fields = [name.as_str(), &tagline, &currency, &vat_rate, include, &time_zone];
    let once = super::submission(&actor, &submission, "save_settings", &fields)?;
    let form = commerce::identity::SettingsForm {
        name,
        tagline,
        currency,
        vat_rate,
        prices_include_tax: prices_include_tax.is_some(),
        time_zone,
    };
    commerce::identity::update_settings(db.primary(), &actor, form, once.as_ref()).await?;
    Ok(())
}

/// Shows the business's storefront on the platform's start page (the box ticked), or takes it off.
#[server(prefix = "/rpc", endpoint = "save_listing")]
pub async fn save_listing(
    #[server(default)] listed: Option<String>,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "save_listing", &[listed.as_deref().unwrap_or_default()])?;
    Ok(commerce::identity::set_listing(db.primary(), &actor, listed.is_some(), once.as_ref()).await?)
}

/// Adds a shop or warehouse.
#[server(prefix = "/rpc", endpoint = "add_location")]
pub async fn add_location(
    name: String,
    kind: String,
    address: String,
    city: String,
    state: String,
    phone: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let fields = [name.as_str(), &kind, &address, &city, &state, &phone];
    let once = super::submission(&actor, &submission, "add_location", &fields)?;
    let new = commerce::identity::NewLocation { name, kind, address, city, state, phone, opening_hours: String::new() };
    commerce::identity::create_location(db.primary(), &actor, new, once.as_ref()).await?;
    Ok(())
}
