use leptos::prelude::*;

use crate::AppError;

/// Mails a reset link to the account with this email, if there is one.
#[server(prefix = "/rpc", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let (db, mail) = (super::db()?, super::mail()?);
    let site = crate::session::site();
    let ip = crate::session::client().ip;
    commerce::identity::reset::request_reset(db.primary(), &mail, &email, &ip, &site.public_url).await?;
    Ok(())
}

/// Sets a new password with a reset link, then sends the person to sign in.
#[server(prefix = "/rpc", endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let db = super::db()?;
    commerce::identity::reset::reset_password(db.primary(), &token, &password).await?;
    leptos_axum::redirect("/admin/login?reset=done");
    Ok(())
}
