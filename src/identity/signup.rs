//! Signing up a new business: the tenant, its owner and a first shop, in one transaction.

use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::login::{LoggedIn, email_is_plausible};
use super::session::{self, ClientInfo};
use super::{Actor, Role, StaffMember, TenantId, TenantMode, password};
use crate::Error;
use crate::audit::{self, Change};
use crate::db::field_error;

/// What the sign-up form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUp {
    /// The business's trading name.
    pub business_name: String,
    /// The storefront's address, `/store/{slug}`.
    pub slug: String,
    /// `svm`, `mvm` or `both`.
    pub mode: String,
    /// The owner's name.
    pub owner_name: String,
    /// The owner's email address, their sign-in name.
    pub email: String,
    /// The owner's password.
    pub password: String,
}

/// A sign-up that passed every check.
struct Checked {
    business_name: String,
    slug: String,
    mode: TenantMode,
    owner_name: String,
    email: String,
}

impl SignUp {
    fn check(&self) -> Result<Checked, Error> {
        let business_name = required(&self.business_name, "business_name", "the business's name")?;
        let slug = self.slug.trim().to_lowercase();
        let slug_ok = (2..=40).contains(&slug.len())
            && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !slug.starts_with('-')
            && !slug.ends_with('-');
        if !slug_ok {
            return Err(Error::invalid(
                "slug",
                "use 2 to 40 letters, digits or dashes, not starting or ending with a dash",
            ));
        }
        let mode = TenantMode::from_code(self.mode.trim())
            .ok_or_else(|| Error::invalid("mode", "choose an online store, a marketplace, or both"))?;
        let owner_name = required(&self.owner_name, "owner_name", "your name")?;
        let email = self.email.trim().to_owned();
        if !email_is_plausible(&email) {
            return Err(Error::invalid("email", "enter an email address such as ada@example.ng"));
        }
        password::check_new(&self.password, &email, "password")?;
        Ok(Checked { business_name, slug, mode, owner_name, email })
    }
}

fn required(value: &str, field: &str, what: &str) -> Result<String, Error> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(field, format!("enter {what}")));
    }
    if value.chars().count() > 120 {
        return Err(Error::invalid(field, "use at most 120 characters"));
    }
    Ok(value.to_owned())
}

/// Creates the business, its owner (signed in) and a first shop.
pub async fn sign_up(db: &sqlx::PgPool, form: SignUp, client: &ClientInfo) -> Result<LoggedIn, Error> {
    let checked = form.check()?;
    let password_hash = password::hash(form.password).await?;
    let tenant = TenantId(Uuid::now_v7());
    let user = Uuid::now_v7();
    let mut tx = db.begin().await?;
    sqlx::query!(
        "INSERT INTO tenants (id, slug, name, mode) VALUES ($1, $2, $3, $4)",
        tenant.0,
        checked.slug,
        checked.business_name,
        checked.mode.code()
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| field_error(e, "tenants_slug_key", "slug", "this address is taken; choose another"))?;
    sqlx::query!("SELECT set_config('app.tenant_id', $1, true) AS \"setting!\"", tenant.0.to_string())
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query!(
        "INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)",
        user,
        checked.email,
        checked.owner_name,
        password_hash
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| field_error(e, "users_email_unique", "email", "an account with this email exists; sign in instead"))?;
    sqlx::query!("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner')", tenant.0, user)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "INSERT INTO locations (tenant_id, id, name, kind) VALUES ($1, $2, 'Main shop', 'shop')",
        tenant.0,
        Uuid::now_v7()
    )
    .execute(&mut *tx)
    .await?;
    let actor = Actor::Staff(StaffMember {
        user,
        name: checked.owner_name.clone(),
        email: checked.email.clone(),
        tenant,
        tenant_name: checked.business_name.clone(),
        role: Role::Owner,
        vendor: None,
        platform_admin: false,
    });
    audit::record(
        &mut tx,
        tenant,
        &actor,
        Change {
            entity: "business",
            entity_id: tenant.0.to_string(),
            action: "signed up",
            before: None,
            after: Some(json!({
                "name": checked.business_name, "slug": checked.slug, "mode": checked.mode.code(),
                "owner": checked.email,
            })),
        },
    )
    .await?;
    tx.commit().await?;
    let started = session::start_for_user(db, user, Some(tenant), client).await?;
    Ok(LoggedIn { cookie_value: started.cookie_value, home: Role::Owner.home(), actor })
}
