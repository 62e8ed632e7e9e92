//! Shoppers: accounts of one storefront (a shopper of two stores has two accounts).

use serde_json::json;
use uuid::Uuid;

use super::login::{LoggedIn, email_is_plausible};
use super::password;
use super::session::{self, ClientInfo};
use crate::Error;
use crate::audit::{self, Change};
use crate::base::{Actor, TenantId};
use crate::db::{field_error, tenant_tx};
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

async fn store(db: &sqlx::PgPool, slug: &str) -> Result<TenantId, Error> {
    sqlx::query_scalar!("SELECT id FROM tenants WHERE slug = $1 AND status = 'active'", slug)
        .fetch_optional(db)
        .await?
        .map(TenantId)
        .ok_or_else(|| Error::not_found("store"))
}

/// Opens a shopper account at the store with this slug, signed in.
pub async fn register(
    db: &sqlx::PgPool,
    slug: &str,
    form: Registration,
    client: &ClientInfo,
) -> Result<LoggedIn, Error> {
    let tenant = store(db, slug).await?;
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
    let email = email.trim();
    if email.is_empty() {
        return Err(Error::invalid("email", "enter your email address"));
    }
    let tenant = store(db, slug).await?;
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
