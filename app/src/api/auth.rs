// `expect` cannot be used: the server macro moves the function, and the lint fires on its copy.
#![allow(clippy::unused_async, reason = "a server function is async even when it does not wait")]

use commerce::identity::Actor;
use leptos::prelude::*;

use crate::AppError;

/// Who is signed in, if anyone.
#[server(prefix = "/rpc", endpoint = "current_actor")]
pub async fn current_actor() -> Result<Option<Actor>, AppError> {
    Ok(crate::session::actor())
}

/// Signs a member of staff in and sends them on to `next` (a path on this site) or their home.
#[server(prefix = "/rpc", endpoint = "log_in")]
pub async fn log_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let db = super::db()?;
    let logged_in = commerce::identity::log_in(db.primary(), &email, &password, &crate::session::client()).await?;
    if let Some(old) = crate::session::session_id() {
        tracing::debug!(%old, "replacing the session of this browser");
    }
    crate::session::set_cookie(&logged_in.cookie_value);
    leptos_axum::redirect(local_path(next.as_deref()).unwrap_or(logged_in.home));
    Ok(())
}

/// Ends the session and returns to the sign-in page.
#[server(prefix = "/rpc", endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    let db = super::db()?;
    if let Some(value) = crate::session::cookie_value() {
        commerce::identity::log_out(db.primary(), &value).await?;
    }
    crate::session::clear_cookie();
    leptos_axum::redirect("/admin/login");
    Ok(())
}

/// Creates a business and its owner, signed in.
#[server(prefix = "/rpc", endpoint = "sign_up")]
pub async fn sign_up(
    business_name: String,
    slug: String,
    mode: String,
    owner_name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    let db = super::db()?;
    let form = commerce::identity::SignUp { business_name, slug, mode, owner_name, email, password };
    let logged_in = commerce::identity::sign_up(db.primary(), form, &crate::session::client()).await?;
    crate::session::set_cookie(&logged_in.cookie_value);
    leptos_axum::redirect(logged_in.home);
    Ok(())
}

/// `next` when it is a path on this site (never another site's address).
#[cfg(feature = "ssr")]
fn local_path(next: Option<&str>) -> Option<&str> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
}
