// `expect` cannot be used: the server macro moves the function, and the lint fires on its copy.
#![allow(clippy::unused_async, reason = "a server function is async even when it does not wait")]

use commerce::identity::PendingSignUp;
use leptos::prelude::*;

use crate::AppError;

/// Takes a new business's sign-up and mails its owner the link that opens it; answers the same
/// whether or not the address has an account.
#[server(prefix = "/rpc", endpoint = "sign_up")]
pub async fn sign_up(
    business_name: String,
    slug: String,
    mode: String,
    owner_name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    let (db, mail) = (super::db()?, super::mail()?);
    let form = commerce::identity::SignUp { business_name, slug, mode, owner_name, email, password };
    let site = crate::session::site();
    commerce::identity::sign_up(db.primary(), &mail, form, &crate::session::client(), &site.public_url).await?;
    leptos_axum::redirect("/signup?sent=1");
    Ok(())
}

/// What a sign-up link will open.
#[server(prefix = "/rpc", endpoint = "load_pending_sign_up")]
pub async fn load_pending_sign_up(token: String) -> Result<PendingSignUp, AppError> {
    let db = super::db()?;
    Ok(commerce::identity::pending_sign_up(db.primary(), &token).await?)
}

/// Follows a sign-up link: opens the business and signs its owner in (ending any session this
/// browser had).
#[server(prefix = "/rpc", endpoint = "confirm_sign_up")]
pub async fn confirm_sign_up(token: String) -> Result<(), AppError> {
    let db = super::db()?;
    let logged_in = commerce::identity::confirm_sign_up(db.primary(), &token, &crate::session::client()).await?;
    super::replace_session(&db, &logged_in.cookie_value).await?;
    leptos_axum::redirect(logged_in.home);
    Ok(())
}
