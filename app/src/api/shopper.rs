use leptos::prelude::*;

use crate::AppError;

/// Opens a shopper account at this store and signs the shopper in (ending any session this
/// browser had).
#[server(prefix = "/rpc", endpoint = "register_shopper")]
pub async fn register_shopper(
    slug: String,
    name: String,
    email: String,
    #[server(default)] phone: String,
    password: String,
) -> Result<(), AppError> {
    let db = super::db()?;
    let form = commerce::identity::shopper::Registration { name, email, phone, password };
    let done = commerce::identity::shopper::register(db.primary(), &slug, form, &crate::session::client()).await?;
    super::replace_session(&db, &done.cookie_value).await?;
    keep_cart(&db, &done.actor).await?;
    leptos_axum::redirect(&format!("/store/{slug}/account"));
    Ok(())
}

/// Signs a shopper in to this store (ending any session this browser had).
#[server(prefix = "/rpc", endpoint = "log_in_shopper")]
pub async fn log_in_shopper(slug: String, email: String, password: String) -> Result<(), AppError> {
    let db = super::db()?;
    let done =
        commerce::identity::shopper::log_in(db.primary(), &slug, &email, &password, &crate::session::client()).await?;
    super::replace_session(&db, &done.cookie_value).await?;
    keep_cart(&db, &done.actor).await?;
    leptos_axum::redirect(&format!("/store/{slug}/account"));
    Ok(())
}

/// Signs the shopper out and returns to the store.
#[server(prefix = "/rpc", endpoint = "log_out_shopper")]
pub async fn log_out_shopper(slug: String) -> Result<(), AppError> {
    let db = super::db()?;
    if let Some(value) = crate::session::cookie_value() {
        commerce::identity::log_out(db.primary(), &value).await?;
    }
    crate::session::clear_cookie();
    leptos_axum::redirect(&format!("/store/{slug}"));
    Ok(())
}

/// What the visitor put in their cart before signing in joins the shopper's cart.
#[cfg(feature = "ssr")]
async fn keep_cart(db: &commerce::db::Db, shopper: &commerce::base::Actor) -> Result<(), AppError> {
    let visit = crate::session::visit(false)?;
    commerce::orders::cart::merge(db.primary(), shopper, visit).await?;
    Ok(())
}
