//! Forgotten passwords: a one-time link, valid for an hour, mailed to the person alone (never
//! kept in a business's outbox, where others read). Asking says nothing about whether the email
//! has an account.

use super::{password, token};
use crate::Error;
use crate::mail::{self, Letter, Mail};
use crate::throttle::{self, Limit};

/// How long a reset link works.
const RESET_MINUTES: i32 = 60;
/// Requests per account, and per address, each hour.
const PER_ACCOUNT: Limit = Limit { limit: 5, window_seconds: 3600 };
const PER_ADDRESS: Limit = Limit { limit: 30, window_seconds: 3600 };

/// Mails a reset link to a staff account with this email, if there is one; answers the same
/// either way.
pub async fn request_reset(db: &sqlx::PgPool, mail: &Mail, email: &str, ip: &str, base_url: &str) -> Result<(), Error> {
    let email = super::login::typed_email(email)?;
    throttle::hit(
        db,
        &[
            (format!("reset:account:{}", email.to_lowercase()), PER_ACCOUNT),
            (format!("reset:address:{ip}"), PER_ADDRESS),
        ],
    )
    .await?;
    let Some(user) =
        sqlx::query!("SELECT id, email FROM users WHERE lower(email) = lower($1)", email).fetch_optional(db).await?
    else {
        return Ok(());
    };
    let secret = token::new_secret()?;
    let link = format!("{}/admin/reset/{}", base_url.trim_end_matches('/'), secret.text);
    let mut tx = crate::db::person_tx(db, user.id).await?;
    sqlx::query!(
        "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(mins => $3))",
        secret.hash,
        user.id,
        RESET_MINUTES
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let body = format!(
        "Someone asked to reset the password of {}.\n\nSet a new one within {RESET_MINUTES} minutes: {link}\n\n\
         If it was not you, ignore this message; your password stays as it is.\n",
        user.email
    );
    // Sent apart from the answer, which must not take longer for an email that has an account.
    let (mail, letter) = (mail.clone(), Letter { to: user.email, subject: "Reset your SC-1 password".into(), body });
    tokio::spawn(async move { mail::post(&mail, letter).await });
    Ok(())
}

/// Sets a new password with a reset link's token; the link then stops working and every session
/// of the account ends.
pub async fn reset_password(db: &sqlx::PgPool, token_text: &str, new_password: &str) -> Result<(), Error> {
    let gone = || Error::not_found("reset link (it may have expired or been used; ask for a new one)");
    let row = sqlx::query!(
        r#"SELECT user_id AS "user_id!", email AS "email!" FROM password_reset_by_token($1)"#,
        token::hash(token_text)
    )
    .fetch_optional(db)
    .await?
    .ok_or_else(gone)?;
    let user = row.user_id;
    password::check_new(new_password, &row.email, "password")?;
    let hash = password::hash(new_password.to_owned()).await?;
    let mut tx = crate::db::person_tx(db, user).await?;
    // Spent in the same transaction, and only once: two uses of one link cannot both succeed.
    let spent = sqlx::query!(
        "UPDATE password_resets SET used_at = now()
          WHERE token_hash = $1 AND user_id = $2 AND used_at IS NULL AND expires_at > now()",
        token::hash(token_text),
        user
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if spent == 0 {
        return Err(gone());
    }
    // Every other link asked for is spent with it: one left in a mailbox cannot undo this reset.
    sqlx::query!("UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL", user)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1", user, hash)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM sessions WHERE user_id = $1", user).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
