// `expect` cannot be used: the server macro moves the function, and the lint fires on its copy.
#![allow(clippy::unused_async, reason = "a server function is async even when it does not wait")]

use commerce::base::Actor;
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
    super::replace_session(&db, &logged_in.cookie_value).await?;
    let site = crate::session::site();
    leptos_axum::redirect(&local_path(next.as_deref(), &site.public_url).unwrap_or_else(|| logged_in.home.to_owned()));
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

/// `next` when it is a path on this site (never another site's address), as the site's own
/// address resolves it: path, query and fragment.
///
/// Browsers drop tabs and line breaks from an address and read a backslash as a slash, so
/// `/\t/evil.example` or `/\\evil.example` would take them to another site: a `next` with any
/// control character, space or backslash is refused whole, and so is one that does not start
/// with exactly one slash.
#[cfg(feature = "ssr")]
fn local_path(next: Option<&str>, site: &str) -> Option<String> {
    let next = next?;
    let odd = |c: char| c.is_control() || c.is_whitespace() || c == '\\';
    if !next.starts_with('/') || next.starts_with("//") || next.chars().any(odd) {
        return None;
    }
    let site = url::Url::parse(site).ok()?;
    let target = site.join(next).ok()?;
    (target.origin() == site.origin()).then(|| target[url::Position::BeforePath..].to_owned())
}
