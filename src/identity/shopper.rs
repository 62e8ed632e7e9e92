//! Shoppers: accounts of one storefront (a shopper of two stores has two accounts).

use serde_json::json;
use uuid::Uuid;

use super::ShopperAccount;
use super::login::{LoggedIn, email_is_plausible};
use super::password;
use super::session::{self, ClientInfo};
use crate::Error;
use crate::audit::{self, Change};
use crate::base::{Actor, TenantId};
use crate::db::{field_error, tenant_tx};
use crate::mail::{Letter, Mail};
use crate::throttle::{self, Limit};

/// Password attempts on one shopper account from one address in five minutes: never per account
/// alone, so nobody guessing from elsewhere locks a shopper out of their own account.
const PER_ACCOUNT_AND_ADDRESS: Limit = Limit { limit: 10, window_seconds: 300 };
/// Password attempts from one address, on any shopper accounts, in five minutes.
const PER_ADDRESS: Limit = Limit { limit: 60, window_seconds: 300 };

/// What the registration form sends.
#[derive(Clone, Debug, Default)]
pub struct Registration {
    /// Their name.
    pub name: String,
    /// Their email, their sign-in name.
    pub email: String,
    /// A Nigerian mobile number for deliveries (optional); kept as `+234…`.
    pub phone: String,
    /// Their password.
    pub password: String,
}

/// Opens a shopper account at the store with this slug, signed in, and mails them a link that
/// confirms their email (`store_url` is the store's full address, for the link).
pub async fn register(
    db: &sqlx::PgPool,
    slug: &str,
    form: Registration,
    client: &ClientInfo,
    store_url: &str,
) -> Result<LoggedIn, Error> {
    let tenant = super::storefront_tenant(db, slug).await?;
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(Error::invalid("name", "enter your name (at most 120 characters)"));
    }
    let email = form.email.trim();
    if !email_is_plausible(email) {
        return Err(Error::invalid("email", "enter an email address such as ada@example.ng"));
    }
    // Kept in one form (`+234…`), so that a number typed two ways is one number.
    let phone = match form.phone.trim() {
        "" => String::new(),
        typed => crate::base::phone::nigerian_mobile(typed)
            .ok_or_else(|| Error::invalid("phone", crate::base::phone::NOT_A_MOBILE))?,
    };
    password::check_new(&form.password, email, "password")?;
    let hash = password::hash(form.password).await?;
    let shopper = Uuid::now_v7();
    let mut tx = tenant_tx(db, tenant).await?;
    sqlx::query!(
        "INSERT INTO shoppers (tenant_id, id, email, name, phone, password_hash) VALUES ($1, $2, $3, $4, $5, $6)",
        tenant.0,
        shopper,
        email,
        name,
        phone,
        hash
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        field_error(e, "shoppers_email_unique", "email", "this email already has an account here; sign in instead")
    })?;
    let actor = Actor::Shopper { tenant, shopper, name: name.to_owned() };
    let change = Change {
        entity: "shopper",
        entity_id: shopper.to_string(),
        action: "registered",
        before: None,
        after: Some(json!({ "email": email, "name": name })),
    };
    audit::record(&mut tx, tenant, &actor, change).await?;
    mail_email_check(&mut tx, tenant, shopper, email, store_url).await?;
    tx.commit().await?;
    let started = session::start_for_shopper(db, tenant, shopper, client).await?;
    Ok(LoggedIn { cookie_value: started.cookie_value, home: "/", actor })
}

/// Signs a shopper in to the store with this slug.
pub async fn log_in(
    db: &sqlx::PgPool,
    slug: &str,
    email: &str,
    password_text: &str,
    client: &ClientInfo,
) -> Result<LoggedIn, Error> {
    let email = super::login::typed_email(email)?;
    let tenant = super::storefront_tenant(db, slug).await?;
    throttle::hit(
        db,
        &[
            (
                format!("shopper:account:{}:{}:address:{}", tenant.0, email.to_lowercase(), client.ip),
                PER_ACCOUNT_AND_ADDRESS,
            ),
            (format!("shopper:address:{}", client.ip), PER_ADDRESS),
        ],
    )
    .await?;
    let mut tx = tenant_tx(db, tenant).await?;
    let found = sqlx::query!(
        "SELECT id, name, password_hash FROM shoppers WHERE tenant_id = $1 AND lower(email) = lower($2)",
        tenant.0,
        email
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    let wrong = || Error::Unauthorized("The email or password is not right.".into());
    let Some(found) = found else {
        password::verify_nothing(password_text.to_owned()).await;
        return Err(wrong());
    };
    if !password::verify(password_text.to_owned(), found.password_hash).await {
        return Err(wrong());
    }
    let started = session::start_for_shopper(db, tenant, found.id, client).await?;
    Ok(LoggedIn {
        cookie_value: started.cookie_value,
        home: "/",
        actor: Actor::Shopper { tenant, shopper: found.id, name: found.name },
    })
}

/// How long a link that confirms a shopper's email works.
const CHECK_HOURS: i32 = 48;
/// Links one shopper may ask for again in an hour.
const CHECKS_PER_HOUR: Limit = Limit { limit: 5, window_seconds: 3600 };

/// The signed-in shopper's account; none for anyone else.
pub async fn account(db: &sqlx::PgPool, actor: &Actor) -> Result<Option<ShopperAccount>, Error> {
    let Actor::Shopper { tenant, shopper, .. } = actor else { return Ok(None) };
    let mut tx = tenant_tx(db, *tenant).await?;
    let row = sqlx::query!(
        r#"SELECT name, email, email_checked_at IS NOT NULL AS "confirmed!" FROM shoppers WHERE tenant_id = $1 AND id = $2"#,
        tenant.0,
        shopper
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(row.map(|r| ShopperAccount { name: r.name, email: r.email, email_confirmed: r.confirmed }))
}

/// Mails the shopper a link that confirms their email, in the caller's transaction (the letter
/// goes once it commits). `store_url` is the store's full address.
async fn mail_email_check(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    shopper: Uuid,
    email: &str,
    store_url: &str,
) -> Result<(), Error> {
    let secret = super::token::new_secret()?;
    sqlx::query!(
        "INSERT INTO shopper_email_checks (tenant_id, token_hash, shopper_id, email, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5))",
        tenant.0,
        secret.hash,
        shopper,
        email,
        CHECK_HOURS
    )
    .execute(&mut *tx)
    .await?;
    let link = format!("{}/confirm/{}", store_url.trim_end_matches('/'), secret.text);
    let body = format!(
        "Confirm that this is your email: {link}\n\nThe link works for {CHECK_HOURS} hours. Once you confirm, \
         the orders you placed at the store as a guest with this email show in your account.\n\n\
         If you did not open an account, ignore this message.\n"
    );
    super::outbox::send_later(tx, tenant, email, "Confirm your email", &body).await
}

/// Mails the signed-in shopper a new link that confirms their email (nothing when it is
/// confirmed already).
pub async fn resend_email_check(db: &sqlx::PgPool, actor: &Actor, store_url: &str) -> Result<(), Error> {
    let Actor::Shopper { tenant, shopper, .. } = actor else {
        return Err(Error::Unauthorized("Sign in to your account first.".into()));
    };
    throttle::hit(db, &[(format!("shopper:email-check:{}:{shopper}", tenant.0), CHECKS_PER_HOUR)]).await?;
    let mut tx = tenant_tx(db, *tenant).await?;
    let row = sqlx::query!(
        r#"SELECT email, email_checked_at IS NOT NULL AS "confirmed!" FROM shoppers WHERE tenant_id = $1 AND id = $2"#,
        tenant.0,
        shopper
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("account"))?;
    if !row.confirmed {
        mail_email_check(&mut tx, *tenant, *shopper, &row.email, store_url).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A shopper's email, confirmed.
#[derive(Clone, Debug)]
pub struct EmailConfirmed {
    /// The shopper.
    pub shopper: Uuid,
    /// Their name.
    pub name: String,
    /// The email.
    pub email: String,
}

/// Spends a link that confirms a shopper's email, in the caller's transaction at the link's
/// store: marks the email confirmed and answers whose it is. A link that was used, lapsed, or
/// is of another store is not found.
pub async fn spend_email_check(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    token_text: &str,
) -> Result<EmailConfirmed, Error> {
    let gone = || Error::not_found("link (it may have expired or been used; sign in to ask for a new one)");
    let spent = sqlx::query!(
        "UPDATE shopper_email_checks SET used_at = now()
          WHERE tenant_id = $1 AND token_hash = $2 AND used_at IS NULL AND expires_at > now()
         RETURNING shopper_id, email",
        tenant.0,
        super::token::hash(token_text)
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(gone)?;
    // The email must still be the account's: a link to an old address confirms nothing.
    let name = sqlx::query_scalar!(
        "UPDATE shoppers SET email_checked_at = coalesce(email_checked_at, now())
          WHERE tenant_id = $1 AND id = $2 AND lower(email) = lower($3)
         RETURNING name",
        tenant.0,
        spent.shopper_id,
        spent.email
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(gone)?;
    Ok(EmailConfirmed { shopper: spent.shopper_id, name, email: spent.email })
}

/// How long a shopper's link to set a new password works.
const RESET_MINUTES: i32 = 60;
/// Links asked for one account, and from one address, each hour.
const RESETS_PER_ACCOUNT: Limit = Limit { limit: 5, window_seconds: 3600 };
const RESETS_PER_ADDRESS: Limit = Limit { limit: 30, window_seconds: 3600 };

/// Mails a link to set a new password to the shopper with this email at the store with this
/// slug, if there is one; answers the same either way. The letter goes to the shopper alone,
/// never through the store's outbox, which the business's people read. `store_url` is the
/// store's full address.
pub async fn request_reset(
    db: &sqlx::PgPool,
    mail: &Mail,
    slug: &str,
    email: &str,
    ip: &str,
    store_url: &str,
) -> Result<(), Error> {
    let email = super::login::typed_email(email)?;
    let tenant = super::storefront_tenant(db, slug).await?;
    throttle::hit(
        db,
        &[
            (format!("shopper:reset:{}:{}", tenant.0, email.to_lowercase()), RESETS_PER_ACCOUNT),
            (format!("shopper:reset:address:{ip}"), RESETS_PER_ADDRESS),
        ],
    )
    .await?;
    let mut tx = tenant_tx(db, tenant).await?;
    let Some(shopper) = sqlx::query!(
        r#"SELECT s.id, s.email, t.name AS "store!" FROM shoppers s JOIN tenants t ON t.id = s.tenant_id
            WHERE s.tenant_id = $1 AND lower(s.email) = lower($2)"#,
        tenant.0,
        email
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        tx.commit().await?;
        return Ok(());
    };
    let secret = super::token::new_secret()?;
    sqlx::query!(
        "INSERT INTO password_resets (token_hash, tenant_id, shopper_id, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(mins => $4))",
        secret.hash,
        tenant.0,
        shopper.id,
        RESET_MINUTES
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let link = format!("{}/reset/{}", store_url.trim_end_matches('/'), secret.text);
    let body = format!(
        "Someone asked to set a new password for your account at {} ({}).\n\n\
         Set one within {RESET_MINUTES} minutes: {link}\n\n\
         If it was not you, ignore this message; your password stays as it is.\n",
        shopper.store, shopper.email
    );
    let letter = Letter { to: shopper.email, subject: format!("Set a new password at {}", shopper.store), body };
    // Sent apart from the answer, which must not take longer for an email that has an account.
    let mail = mail.clone();
    tokio::spawn(async move { crate::mail::post(&mail, letter).await });
    Ok(())
}

/// Sets a shopper's new password with the link mailed to them, at the store with this slug: the
/// link then stops working, and every session of the account ends. A link that was used,
/// lapsed, or is of another store is not found.
pub async fn reset_password(db: &sqlx::PgPool, slug: &str, token_text: &str, new_password: &str) -> Result<(), Error> {
    let gone = || Error::not_found("link (it may have expired or been used; ask for a new one)");
    if token_text.contains('\0') {
        return Err(gone());
    }
    let tenant = super::storefront_tenant(db, slug).await?;
    let hash = super::token::hash(token_text);
    let mut tx = tenant_tx(db, tenant).await?;
    let found = sqlx::query!(
        "SELECT r.shopper_id AS \"shopper!\", s.email FROM password_resets r
           JOIN shoppers s ON s.tenant_id = r.tenant_id AND s.id = r.shopper_id
          WHERE r.tenant_id = $1 AND r.token_hash = $2 AND r.used_at IS NULL AND r.expires_at > now()",
        tenant.0,
        hash
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(gone)?;
    tx.commit().await?;
    password::check_new(new_password, &found.email, "password")?;
    let password_hash = password::hash(new_password.to_owned()).await?;
    let mut tx = tenant_tx(db, tenant).await?;
    // Spent in the same transaction as the change, and only once: two uses cannot both succeed.
    let spent = sqlx::query!(
        "UPDATE password_resets SET used_at = now()
          WHERE tenant_id = $1 AND token_hash = $2 AND shopper_id = $3 AND used_at IS NULL AND expires_at > now()",
        tenant.0,
        hash,
        found.shopper
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if spent == 0 {
        return Err(gone());
    }
    // Every other link asked for is spent with it: one left in a mailbox cannot undo this reset.
    sqlx::query!(
        "UPDATE password_resets SET used_at = now() WHERE tenant_id = $1 AND shopper_id = $2 AND used_at IS NULL",
        tenant.0,
        found.shopper
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE shoppers SET password_hash = $3 WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        found.shopper,
        password_hash
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM sessions WHERE tenant_id = $1 AND shopper_id = $2", tenant.0, found.shopper)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
