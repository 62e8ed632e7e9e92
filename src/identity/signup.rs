//! Signing up a new business. The form is answered the same whether or not its email already
//! has an account ("we have mailed you a link"), so it tells nobody which addresses are
//! registered; the rest is said by mail. Following the link opens the business: the tenant, its
//! owner (signed in) and a first shop, in one transaction.

use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::login::{LoggedIn, email_is_plausible};
use super::session::{self, ClientInfo};
use super::{PendingSignUp, TenantMode, password, token};
use crate::Error;
use crate::audit::{self, Change};
use crate::base::{Actor, Role, Shops, StaffMember, TenantId};
use crate::db::field_error;
use crate::mail::{self, Letter, Mail};
use crate::throttle::{self, Limit};

/// How long a sign-up link works.
const LINK_HOURS: i32 = 24;
/// Sign-ups from one address each hour (each costs a password hash and a letter).
const PER_ADDRESS: Limit = Limit { limit: 10, window_seconds: 3600 };
/// Sign-ups for one email each hour: nobody's mailbox is filled by strangers.
const PER_EMAIL: Limit = Limit { limit: 3, window_seconds: 3600 };

/// What the sign-up form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUp {
    /// The business's trading name.
    pub business_name: String,
    /// The storefront's web address, `/store/{slug}`; left empty, one is made from the
    /// business's name.
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
    /// Whether the web address was made from the name (and may be changed to find a free one).
    slug_suggested: bool,
    mode: TenantMode,
    owner_name: String,
    email: String,
}

impl SignUp {
    fn check(&self) -> Result<Checked, Error> {
        let business_name = required(&self.business_name, "business_name", "the business's name")?;
        let typed = self.slug.trim().to_lowercase();
        let slug_suggested = typed.is_empty();
        let slug = if slug_suggested { web_address_from(&business_name) } else { typed };
        if !is_web_address(&slug) {
            let example = Some(web_address_from(&business_name))
                .filter(|s| is_web_address(s))
                .unwrap_or_else(|| "mama-put-foods".to_owned());
            let message = if slug_suggested {
                format!("choose a web address for your store, such as {example}")
            } else {
                format!(
                    "this is your store's web address, not a street address: use 2 to 40 letters, digits or dashes, such as {example}"
                )
            };
            return Err(Error::invalid("slug", message));
        }
        let mode = TenantMode::from_code(self.mode.trim())
            .ok_or_else(|| Error::invalid("mode", "choose an online store, a marketplace, or both"))?;
        let owner_name = required(&self.owner_name, "owner_name", "your name")?;
        let email = self.email.trim().to_owned();
        if !email_is_plausible(&email) {
            return Err(Error::invalid("email", "enter an email address such as ada@example.ng"));
        }
        password::check_new(&self.password, &email, "password")?;
        Ok(Checked { business_name, slug, slug_suggested, mode, owner_name, email })
    }
}

/// Whether `slug` can be a store's web address: 2 to 40 lowercase letters, digits or dashes,
/// not starting or ending with a dash.
fn is_web_address(slug: &str) -> bool {
    (2..=40).contains(&slug.len())
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// A web address made from a business's name: "Iya Basira's Kitchen" becomes
/// `iya-basiras-kitchen`, "Ọjà Ẹja & Co" `oja-eja-co`. Letters lose their tone marks and dots
/// (and Hausa's hooked letters their hooks); what has no such plain letter is left out, so what
/// is left may be too short to use.
pub fn web_address_from(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let plain = name.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).map(|c| match c {
        'ɓ' | 'Ɓ' => 'b',
        'ɗ' | 'Ɗ' => 'd',
        'ƙ' | 'Ƙ' => 'k',
        'ƴ' | 'Ƴ' => 'y',
        other => other,
    });
    let mut slug = String::new();
    for c in plain.filter(|c| !matches!(c, '\'' | '’')) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.truncate(40);
    slug.trim_end_matches('-').to_owned()
}

/// The first of `slug`, `slug-2`, … `slug-9` that no business has; `None` if all are taken.
async fn free_web_address(db: &sqlx::PgPool, slug: &str) -> Result<Option<String>, Error> {
    let stem: String = slug.chars().take(37).collect::<String>().trim_end_matches('-').to_owned();
    let tries: Vec<String> = std::iter::once(slug.to_owned()).chain((2..=9).map(|n| format!("{stem}-{n}"))).collect();
    let taken: Vec<String> =
        sqlx::query_scalar!("SELECT slug FROM tenants WHERE slug = ANY($1)", &tries).fetch_all(db).await?;
    Ok(tries.into_iter().find(|t| !taken.contains(t)))
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

/// Takes a sign-up: checks the form, then mails the owner a link that opens the business (or,
/// when the email already has an account, a letter saying so). Answers the same either way.
pub async fn sign_up(
    db: &sqlx::PgPool,
    mail: &Mail,
    form: SignUp,
    client: &ClientInfo,
    base_url: &str,
) -> Result<(), Error> {
    let mut checked = form.check()?;
    throttle::hit(
        db,
        &[
            (format!("signup:address:{}", client.ip), PER_ADDRESS),
            (format!("signup:email:{}", checked.email.to_lowercase()), PER_EMAIL),
        ],
    )
    .await?;
    match free_web_address(db, &checked.slug).await? {
        Some(free) if free == checked.slug => {}
        Some(free) if checked.slug_suggested => checked.slug = free,
        Some(free) => {
            return Err(Error::invalid("slug", format!("another business has this web address; try {free}")));
        }
        None => return Err(Error::invalid("slug", "another business has this web address; choose another")),
    }
    // Hashed whether or not it is kept, so that the answer takes as long either way.
    let password_hash = password::hash(form.password).await?;
    let base = base_url.trim_end_matches('/');
    let registered = sqlx::query_scalar!("SELECT id FROM users WHERE lower(email) = lower($1)", checked.email)
        .fetch_optional(db)
        .await?;
    let letter = if registered.is_some() {
        Letter {
            to: checked.email,
            subject: "You already have an SC-1 account".into(),
            body: format!(
                "Someone asked to open {} on SC-1 with this address, which already has an account.\n\n\
                 If it was you, sign in at {base}/admin/login (forgotten your password? {base}/admin/forgot).\n\
                 If it was not you, ignore this message; nothing has changed.\n",
                checked.business_name
            ),
        }
    } else {
        let secret = token::new_secret()?;
        sqlx::query!(
            "INSERT INTO signups (token_hash, business_name, slug, mode, owner_name, email, password_hash, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(hours => $8))",
            secret.hash,
            checked.business_name,
            checked.slug,
            checked.mode.code(),
            checked.owner_name,
            checked.email,
            password_hash,
            LINK_HOURS,
        )
        .execute(db)
        .await?;
        Letter {
            to: checked.email,
            subject: format!("Open {} on SC-1", checked.business_name),
            body: format!(
                "Welcome, {}.\n\nTo open {} on SC-1, follow this link within {LINK_HOURS} hours: {base}/signup/confirm/{}\n\n\
                 If you did not ask for this, ignore this message; nothing is opened without the link.\n",
                checked.owner_name, checked.business_name, secret.text
            ),
        }
    };
    mail::post(mail, letter).await;
    Ok(())
}

/// What a sign-up link will open, before it is followed.
pub async fn pending_sign_up(db: &sqlx::PgPool, token_text: &str) -> Result<PendingSignUp, Error> {
    sqlx::query_as!(
        PendingSignUp,
        "SELECT business_name, slug, email FROM signups
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()",
        token::hash(token_text)
    )
    .fetch_optional(db)
    .await?
    .ok_or_else(link_gone)
}

fn link_gone() -> Error {
    Error::not_found("sign-up link (it may have expired or been used; sign up again)")
}

/// Follows a sign-up link: creates the business, its owner (signed in) and a first shop.
pub async fn confirm_sign_up(db: &sqlx::PgPool, token_text: &str, client: &ClientInfo) -> Result<LoggedIn, Error> {
    let mut tx = db.begin().await?;
    let pending = sqlx::query!(
        "UPDATE signups SET used_at = now()
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
          RETURNING business_name, slug, mode, owner_name, email, password_hash",
        token::hash(token_text)
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(link_gone)?;
    let mode = TenantMode::from_code(&pending.mode).ok_or(Error::Internal)?;
    let checked = Checked {
        business_name: pending.business_name,
        slug: pending.slug,
        slug_suggested: false,
        mode,
        owner_name: pending.owner_name,
        email: pending.email,
    };
    let tenant = TenantId(Uuid::now_v7());
    let user = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO tenants (id, slug, name, mode) VALUES ($1, $2, $3, $4)",
        tenant.0,
        checked.slug,
        checked.business_name,
        checked.mode.code()
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        field_error(e, "tenants_slug_key", "slug", "this address was taken meanwhile; sign up again with another")
    })?;
    sqlx::query!("SELECT set_config('app.tenant_id', $1, true) AS \"setting!\"", tenant.0.to_string())
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query!(
        "INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)",
        user,
        checked.email,
        checked.owner_name,
        pending.password_hash
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| field_error(e, "users_email_unique", "email", "this address has an account now; sign in instead"))?;
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
        shops: Shops::All,
        platform_admin: false,
        zone: crate::base::Zone::default(),
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

#[cfg(test)]
mod tests {
    use super::{SignUp, is_web_address, web_address_from};
    use crate::Error;

    #[test]
    fn a_web_address_is_made_from_the_business_name() {
        for (name, slug) in [
            ("Iya Basira's Kitchen", "iya-basiras-kitchen"),
            ("Chop & Go (Lekki)", "chop-go-lekki"),
            ("  Mama  Put  ", "mama-put"),
            ("Ọjà Ẹja & Co", "oja-eja-co"),
            ("Ɗan ƙasa", "dan-kasa"),
            ("中文", ""),
        ] {
            assert_eq!(web_address_from(name), slug, "{name}");
        }
        let long = web_address_from(&"Abuja Central Market Provisions and Drinks".repeat(2));
        assert!(is_web_address(&long) && long.len() <= 40, "{long}");
    }

    #[test]
    fn a_street_address_in_the_web_address_is_refused_with_a_suggestion() {
        let form = SignUp {
            business_name: "Iya Basira Kitchen".into(),
            slug: "12 Allen Avenue, Ikeja".into(),
            mode: "svm".into(),
            owner_name: "Basira".into(),
            email: "basira@example.ng".into(),
            password: "amala-and-ewedu-9".into(),
        };
        match form.check().map(|c| c.slug) {
            Err(Error::Invalid { field, message }) => {
                assert_eq!(field, "slug");
                assert!(message.contains("web address, not a street address"), "{message}");
                assert!(message.contains("iya-basira-kitchen"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let blank = SignUp { slug: String::new(), ..form };
        assert_eq!(blank.check().map(|c| c.slug).ok().as_deref(), Some("iya-basira-kitchen"));
    }
}
