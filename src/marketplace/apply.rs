//! Applying to sell: the storefront's "Sell with us" form. As with signing up a business, the
//! form is answered the same whether or not its email has an account, and what follows is said
//! by mail: a link that, pressed within a day, opens the vendor (waiting for review) with the
//! applicant as its owner, signed in to the vendor portal. Nothing is made until the link is
//! used, so nobody can apply in another's name without their mailbox.

use serde_json::json;
use uuid::Uuid;

use super::vendor::{self, Checked};
use super::{Application, PendingApplication, VendorStatus};
use crate::audit::{self, Change};
use crate::base::{Actor, Role, Shops, StaffMember, TenantId, VendorId};
use crate::identity::login::LoggedIn;
use crate::identity::session::{self, ClientInfo};
use crate::identity::{password, token};
use crate::mail::{self, Letter, Mail};
use crate::secrets::Keyring;
use crate::throttle::{self, Limit};
use crate::{Clash, Error};

/// How long the link works.
const LINK_HOURS: i32 = 24;
/// Applications from one address each hour.
const PER_ADDRESS: Limit = Limit { limit: 10, window_seconds: 3600 };
/// Applications for one email each hour: nobody's mailbox is filled by strangers.
const PER_EMAIL: Limit = Limit { limit: 3, window_seconds: 3600 };

/// Takes an application to sell at the marketplace whose store is `slug`: checks every field
/// (naming each that is wrong), then mails the link that opens the vendor, or, when the email
/// has an account already, a letter saying to apply with another. Answers the same either way.
pub async fn apply(
    db: &sqlx::PgPool,
    mail: &Mail,
    keyring: Option<&Keyring>,
    slug: &str,
    form: &Application,
    client: &ClientInfo,
    store_url: &str,
) -> Result<(), Error> {
    let tenant = crate::identity::storefront_tenant(db, slug).await?;
    let mut problems: Vec<(String, String)> = Vec::new();
    let details = vendor::check_details(&form.details).map_err(|e| problems.extend(e.owned_problems())).ok();
    let account = vendor::check_bank(&form.bank, keyring).map_err(|e| problems.extend(e.owned_problems())).ok();
    let email = form.details.email.trim().to_lowercase();
    if let Err(e) = password::check_new(&form.password, &email, "password") {
        problems.extend(e.owned_problems());
    }
    Error::invalid_all(problems)?;
    let (Some(details), Some(account)) = (details, account) else { return Err(Error::Internal) };
    throttle::hit(
        db,
        &[
            (format!("vendor-apply:address:{}", client.ip), PER_ADDRESS),
            (format!("vendor-apply:email:{}", details.email()), PER_EMAIL),
        ],
    )
    .await?;
    let market = {
        let mut tx = crate::db::tenant_tx(db, tenant).await?;
        vendor::marketplace_only(&mut tx, tenant).await.map_err(|_| Error::not_found("marketplace"))?;
        let name = sqlx::query_scalar!("SELECT name FROM tenants WHERE id = $1", tenant.0).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        name
    };
    // Hashed whether or not it is kept, so that the answer takes as long either way.
    let password_hash = password::hash(form.password.clone()).await?;
    let registered = sqlx::query_scalar!("SELECT id FROM users WHERE lower(email) = lower($1)", details.email())
        .fetch_optional(db)
        .await?;
    let base = store_url.trim_end_matches('/');
    let letter = if registered.is_some() {
        Letter {
            to: details.email().to_owned(),
            subject: format!("Your application to sell on {market}"),
            body: format!(
                "Someone asked to sell on {market} as {} with this address, which already has an account.\n\n\
                 Vendors sign in to their own portal with an address of their own: apply again at {base}/sell with \
                 another email address.\nIf it was not you, ignore this message; nothing has changed.\n",
                details.name()
            ),
        }
    } else {
        let secret = token::new_secret()?;
        crate::db::in_tenant_tx(db, tenant, async |tx| {
            sqlx::query!(
                "INSERT INTO vendor_applications (tenant_id, token_hash, details, bank_sealed, password_hash, expires_at)
                 VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6))",
                tenant.0,
                secret.hash,
                stored(&details, &account),
                account.sealed,
                password_hash,
                LINK_HOURS,
            )
            .execute(&mut *tx)
            .await?;
            Ok(())
        })
        .await?;
        Letter {
            to: details.email().to_owned(),
            subject: format!("Confirm your application to sell on {market}"),
            body: format!(
                "Thank you for applying to sell on {market} as {}.\n\n\
                 To send the application, confirm your email address within {LINK_HOURS} hours: \
                 {base}/sell/confirm/{}\n\n\
                 If you did not apply, ignore this message; nothing is sent without the link.\n",
                details.name(),
                secret.text
            ),
        }
    };
    mail::post(mail, letter).await;
    Ok(())
}

/// What a link will send, before it is followed.
pub async fn pending(db: &sqlx::PgPool, slug: &str, token_text: &str) -> Result<PendingApplication, Error> {
    let tenant = crate::identity::storefront_tenant(db, slug).await?;
    crate::db::in_tenant_tx(db, tenant, async |tx| {
        let row = sqlx::query!(
            r#"SELECT a.details->'vendor'->>'name' AS "name!", a.details->'vendor'->>'email' AS "email!", t.name AS market
                 FROM vendor_applications a JOIN tenants t ON t.id = a.tenant_id
                WHERE a.tenant_id = $1 AND a.token_hash = $2 AND a.used_at IS NULL AND a.expires_at > now()"#,
            tenant.0,
            token::hash(token_text)
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(link_gone)?;
        Ok(PendingApplication { business_name: row.name, email: row.email, marketplace: row.market })
    })
    .await
}

/// Follows the link: makes the vendor (waiting for review), its owner's account, signed in, and
/// the first entry of its history, in one transaction. A link works once.
pub async fn confirm(db: &sqlx::PgPool, slug: &str, token_text: &str, client: &ClientInfo) -> Result<LoggedIn, Error> {
    let tenant = crate::identity::storefront_tenant(db, slug).await?;
    let mut tx = crate::db::tenant_tx(db, tenant).await?;
    let row = sqlx::query!(
        "UPDATE vendor_applications SET used_at = now()
          WHERE tenant_id = $1 AND token_hash = $2 AND used_at IS NULL AND expires_at > now()
          RETURNING details, bank_sealed, password_hash",
        tenant.0,
        token::hash(token_text)
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(link_gone)?;
    vendor::marketplace_only(&mut tx, tenant).await?;
    let details: super::VendorDetails =
        serde_json::from_value(row.details.get("vendor").cloned().unwrap_or_default()).map_err(|_| Error::Internal)?;
    let checked = vendor::check_details(&details)?;
    let account = row.bank_sealed.as_deref().map(|sealed| vendor::SealedAccount {
        bank: bank_of(&row.details),
        sealed: sealed.to_owned(),
        last4: text_of(&row.details, "last4"),
        name: text_of(&row.details, "account_name"),
    });
    let vendor = vendor::insert(&mut tx, tenant, &checked, account.as_ref()).await.map_err(|e| match e {
        Error::Invalid { .. } => Error::conflict(
            Clash::WrongState,
            "Another vendor took this name meanwhile: apply again under another trading name.",
        ),
        other => other,
    })?;
    let user = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)",
        user,
        checked.email(),
        details.contact_name.trim(),
        row.password_hash
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        crate::db::field_error(e, "users_email_unique", "email", "this address has an account now; apply with another")
    })?;
    sqlx::query!(
        "INSERT INTO memberships (tenant_id, user_id, role, vendor_id, vendor_owner) VALUES ($1, $2, 'vendor', $3, true)",
        tenant.0,
        user,
        vendor.0
    )
    .execute(&mut *tx)
    .await?;
    let tenant_name =
        sqlx::query_scalar!("SELECT name FROM tenants WHERE id = $1", tenant.0).fetch_one(&mut *tx).await?;
    let actor = Actor::Staff(StaffMember {
        user,
        name: details.contact_name.trim().to_owned(),
        email: checked.email().to_owned(),
        tenant,
        tenant_name,
        role: Role::Vendor,
        vendor: Some(vendor),
        // For the record alone: the session the applicant now has finds the vendor's place.
        shops: Shops::of_member(Role::Vendor, None),
        platform_admin: false,
        zone: crate::base::Zone::default(),
    });
    vendor::event(&mut tx, tenant, vendor, &vendor::who(&actor), false, None, Some(VendorStatus::Applied), "Applied.")
        .await?;
    record(&mut tx, tenant, &actor, vendor, &checked).await?;
    tx.commit().await?;
    let started = session::start_for_user(db, user, Some(tenant), client).await?;
    Ok(LoggedIn { cookie_value: started.cookie_value, home: Role::Vendor.home(), actor })
}

async fn record(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    vendor: VendorId,
    checked: &Checked,
) -> Result<(), Error> {
    // The address its page was given: the one fact of the record the form did not hold.
    let slug = sqlx::query_scalar!("SELECT slug FROM vendors WHERE tenant_id = $1 AND id = $2", tenant.0, vendor.0)
        .fetch_one(&mut *tx)
        .await?;
    audit::record(
        tx,
        tenant,
        actor,
        Change {
            entity: "vendor",
            entity_id: vendor.0.to_string(),
            action: "apply",
            before: None,
            after: Some(json!({"name": checked.name(), "email": checked.email(), "slug": slug})),
        },
    )
    .await
}

/// What is kept of an application until its link is used: the details as typed (checked again
/// then) and the account's bank, last digits and name (the number itself only sealed).
fn stored(details: &Checked, account: &vendor::SealedAccount) -> serde_json::Value {
    json!({
        "vendor": details.as_details(),
        "bank_code": account.bank.code,
        "last4": account.last4,
        "account_name": account.name,
    })
}

fn bank_of(details: &serde_json::Value) -> &'static super::bank::Bank {
    let code = text_of(details, "bank_code");
    super::bank::bank(&code).unwrap_or(&super::bank::BANKS[0])
}

fn text_of(details: &serde_json::Value, key: &str) -> String {
    details.get(key).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned()
}

fn link_gone() -> Error {
    Error::not_found("application link (it may have expired or been used; apply again)")
}
