//! Forgotten passwords: a one-time link, valid for an hour, sent through the outbox of each
//! business the person belongs to. Asking says nothing about whether the email has an account.

use uuid::Uuid;

use super::{outbox, password, token};
use crate::Error;
use crate::throttle::{self, Limit};

/// How long a reset link works.
const RESET_MINUTES: i32 = 60;
/// Requests per account, and per address, each hour.
const PER_ACCOUNT: Limit = Limit { limit: 5, window_seconds: 3600 };
const PER_ADDRESS: Limit = Limit { limit: 30, window_seconds: 3600 };

/// Sends a reset link to a staff account with this email, if there is one; answers the same
/// either way. Returns the link when one was made (for tests and the log, never the page).
pub async fn request_reset(db: &sqlx::PgPool, email: &str, ip: &str, base_url: &str) -> Result<Option<String>, Error> {
    let email = email.trim();
    if email.is_empty() {
        return Err(Error::invalid("email", "enter your email address"));
    }
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
        return Ok(None);
    };
    let secret = token::new_secret()?;
    let link = format!("{}/admin/reset/{}", base_url.trim_end_matches('/'), secret.text);
    let tenants = sqlx::query_scalar!(r#"SELECT tenant_id AS "tenant_id!" FROM memberships_of_user($1)"#, user.id)
        .fetch_all(db)
        .await?;
    let mut tx = db.begin().await?;
    sqlx::query!(
        "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(mins => $3))",
        secret.hash,
        user.id,
        RESET_MINUTES
    )
    .execute(&mut *tx)
    .await?;
    for tenant in tenants {
        sqlx::query!("SELECT set_config('app.tenant_id', $1, true) AS \"setting!\"", tenant.to_string())
            .fetch_one(&mut *tx)
            .await?;
        outbox::queue(
            &mut tx,
            super::TenantId(tenant),
            &user.email,
            "Reset your SC-1 password",
            &format!("Someone asked to reset the password of {}.\n\nSet a new one within {RESET_MINUTES} minutes: {link}\n\nIf it was not you, ignore this message; your password stays as it is.\n", user.email),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Some(link))
}

/// Sets a new password with a reset link's token; the link then stops working and every session
/// of the account ends.
pub async fn reset_password(db: &sqlx::PgPool, token_text: &str, new_password: &str) -> Result<(), Error> {
    let gone = || Error::not_found("reset link (it may have expired or been used; ask for a new one)");
    let mut tx = db.begin().await?;
    let row = sqlx::query!(
        "SELECT r.user_id, u.email FROM password_resets r JOIN users u ON u.id = r.user_id
          WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > now()
          FOR UPDATE OF r",
        token::hash(token_text)
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(gone)?;
    let user: Uuid = row.user_id.ok_or_else(gone)?;
    password::check_new(new_password, &row.email, "password")?;
    let hash = password::hash(new_password.to_owned()).await?;
    sqlx::query!("UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1", user, hash)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("UPDATE password_resets SET used_at = now() WHERE token_hash = $1", token::hash(token_text))
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM sessions WHERE user_id = $1", user).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
