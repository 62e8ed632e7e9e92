use commerce::identity::ShopperAccount;
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
    let done =
        commerce::identity::shopper::register(db.primary(), &slug, form, &crate::session::client(), &store_url(&slug))
            .await?;
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

/// The signed-in shopper's account at this store; none for anyone else.
#[server(prefix = "/rpc", endpoint = "load_shopper_account")]
pub async fn load_shopper_account(slug: String) -> Result<Option<ShopperAccount>, AppError> {
    let (db, buyer) = super::buying::buyer(&slug, false).await?;
    Ok(commerce::identity::shopper::account(db.primary(), &buyer).await?)
}

/// Mails the signed-in shopper a new link that confirms their email.
#[server(prefix = "/rpc", endpoint = "resend_email_check")]
pub async fn resend_email_check(slug: String) -> Result<(), AppError> {
    let (db, buyer) = super::buying::buyer(&slug, false).await?;
    commerce::identity::shopper::resend_email_check(db.primary(), &buyer, &store_url(&slug)).await?;
    leptos_axum::redirect(&format!("/store/{slug}/account?sent=1"));
    Ok(())
}

/// Confirms a shopper's email with the link mailed to it: the orders placed here as a guest with
/// it join their account.
#[server(prefix = "/rpc", endpoint = "confirm_shopper_email")]
pub async fn confirm_shopper_email(slug: String, token: String) -> Result<(), AppError> {
    let db = super::db()?;
    if slug.contains('\0') || token.contains('\0') {
        return Err(commerce::Error::not_found("link").into());
    }
    commerce::orders::customer::confirm_email(db.primary(), &slug, token.trim()).await?;
    leptos_axum::redirect(&format!("/store/{slug}/account?confirmed=1"));
    Ok(())
}

/// Mails a link to set a new password to the shopper with this email at this store, if there is
/// one; the page says the same either way.
#[server(prefix = "/rpc", endpoint = "request_shopper_reset")]
pub async fn request_shopper_reset(slug: String, email: String) -> Result<(), AppError> {
    let (db, mail) = (super::db()?, super::mail()?);
    let ip = crate::session::client().ip;
    commerce::identity::shopper::request_reset(db.primary(), &mail, &slug, &email, &ip, &store_url(&slug)).await?;
    leptos_axum::redirect(&format!("/store/{slug}/forgot?sent=1"));
    Ok(())
}

/// Sets a shopper's new password with the link mailed to them, then sends them to sign in.
#[server(prefix = "/rpc", endpoint = "reset_shopper_password")]
pub async fn reset_shopper_password(slug: String, token: String, password: String) -> Result<(), AppError> {
    let db = super::db()?;
    commerce::identity::shopper::reset_password(db.primary(), &slug, token.trim(), &password).await?;
    leptos_axum::redirect(&format!("/store/{slug}/account?reset=1"));
    Ok(())
}

/// The signed-in shopper's saved addresses at this store.
#[server(prefix = "/rpc", endpoint = "load_my_addresses")]
pub async fn load_my_addresses(slug: String) -> Result<Vec<commerce::orders::address::SavedAddress>, AppError> {
    let (db, buyer) = super::buying::buyer(&slug, false).await?;
    Ok(commerce::orders::address_book::list(db.primary(), &buyer).await?)
}

/// Takes an address out of the signed-in shopper's book, then shows the account again.
#[server(prefix = "/rpc", endpoint = "forget_address")]
pub async fn forget_address(slug: String, id: String) -> Result<(), AppError> {
    let (db, buyer) = super::buying::buyer(&slug, false).await?;
    let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| commerce::Error::not_found("address"))?;
    commerce::orders::address_book::forget(db.primary(), &buyer, id).await?;
    leptos_axum::redirect(&format!("/store/{slug}/account"));
    Ok(())
}

/// The store's full address, for links in letters.
#[cfg(feature = "ssr")]
fn store_url(slug: &str) -> String {
    format!("{}/store/{slug}", crate::session::site().public_url)
}
