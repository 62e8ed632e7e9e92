//! Signing in with an email and password, rate-limited per account and per client address.

use super::password;
use super::session::{self, ClientInfo};
use crate::Error;
use crate::base::{Actor, Role, Shops, StaffMember, TenantId, VendorId};
use crate::throttle::{self, Limit};

/// Password attempts on one account from one address in five minutes. Counted per account and
/// address, so someone guessing from elsewhere never locks the owner out of their own account.
const PER_ACCOUNT_AND_ADDRESS: Limit = Limit { limit: 10, window_seconds: 300 };
/// Password attempts from one address, on any accounts, in five minutes (a shop's staff may
/// share one address).
const PER_ADDRESS: Limit = Limit { limit: 60, window_seconds: 300 };

/// Counts an attempt to prove the password of the account with this email from this address,
/// and refuses once the account-and-address or the address is over its limit. Every check of a
/// staff password goes through here: signing in and changing one's password.
pub(super) async fn count_password_attempt(db: &sqlx::PgPool, email: &str, ip: &str) -> Result<(), Error> {
    throttle::hit(
        db,
        &[
            (format!("password:account:{}:address:{ip}", email.trim().to_lowercase()), PER_ACCOUNT_AND_ADDRESS),
            (format!("password:address:{ip}"), PER_ADDRESS),
        ],
    )
    .await
}

/// A person who has just signed in: the cookie to set and where they start.
#[derive(Clone, Debug)]
pub struct LoggedIn {
    /// The new session's id, for the cookie.
    pub cookie_value: String,
    /// Where they start (`/admin`, `/pos`, `/vendor`, `/platform`).
    pub home: &'static str,
    /// Who they now are.
    pub actor: Actor,
}

/// Whether text looks like an email address (one `@`, something on each side, no spaces).
pub fn email_is_plausible(email: &str) -> bool {
    let mut parts = email.split('@');
    matches!((parts.next(), parts.next(), parts.next()), (Some(local), Some(domain), None)
        if !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
            && !email.chars().any(char::is_whitespace) && email.len() <= 254)
}

/// An email as typed into a sign-in or reset form, trimmed: refused when empty, and when no
/// address could be that long (it would otherwise reach the rate-limit keys) or holds a NUL.
pub(crate) fn typed_email(email: &str) -> Result<&str, Error> {
    let email = email.trim();
    if email.is_empty() {
        return Err(Error::invalid("email", "enter your email address"));
    }
    if email.len() > 254 || email.contains('\0') {
        return Err(Error::invalid("email", "this is not an email address"));
    }
    Ok(email)
}

/// Signs a member of staff (or a platform admin) in, starting a new session.
pub async fn log_in(db: &sqlx::PgPool, email: &str, password: &str, client: &ClientInfo) -> Result<LoggedIn, Error> {
    let email = typed_email(email)?;
    if password.is_empty() {
        return Err(Error::invalid("password", "enter your password"));
    }
    count_password_attempt(db, email, &client.ip).await?;
    let wrong = || Error::Unauthorized("The email or password is not right.".into());
    let user = sqlx::query!(
        "SELECT id, name, email, password_hash, is_platform_admin FROM users WHERE lower(email) = lower($1)",
        email
    )
    .fetch_optional(db)
    .await?;
    let Some(user) = user else {
        password::verify_nothing(password.to_owned()).await;
        return Err(wrong());
    };
    if !password::verify(password.to_owned(), user.password_hash.clone()).await {
        return Err(wrong());
    }
    let membership = sqlx::query!(
        r#"SELECT tenant_id AS "tenant_id!", tenant_name AS "tenant_name!", role AS "role!", vendor_id,
                  location_ids
             FROM memberships_of_user($1)
            WHERE active AND tenant_status = 'active'
            LIMIT 1"#,
        user.id
    )
    .fetch_optional(db)
    .await?;
    let (tenant, actor, home) = match membership {
        Some(m) => {
            let role = Role::from_code(&m.role).ok_or(Error::Internal)?;
            let actor = Actor::Staff(StaffMember {
                user: user.id,
                name: user.name,
                email: user.email,
                tenant: TenantId(m.tenant_id),
                tenant_name: m.tenant_name,
                role,
                vendor: m.vendor_id.map(VendorId),
                shops: Shops::of_member(role, m.location_ids),
                platform_admin: user.is_platform_admin,
                zone: crate::base::Zone::default(),
            });
            (Some(TenantId(m.tenant_id)), actor, role.home())
        }
        None if user.is_platform_admin => (None, Actor::PlatformAdmin { user: user.id, name: user.name }, "/platform"),
        None => {
            return Err(Error::Unauthorized(
                "This account has no active business. Ask the business's owner to invite you again.".into(),
            ));
        }
    };
    let started = session::start_for_user(db, user.id, tenant, client).await?;
    Ok(LoggedIn { cookie_value: started.cookie_value, home, actor })
}

/// Ends the session with this cookie value.
pub async fn log_out(db: &sqlx::PgPool, cookie_value: &str) -> Result<(), Error> {
    session::end(db, cookie_value).await
}

#[cfg(test)]
mod tests {
    use super::email_is_plausible;

    #[test]
    fn plausible_emails() {
        for ok in ["ada@example.ng", "a.b+c@shop.com.ng"] {
            assert!(email_is_plausible(ok), "{ok}");
        }
        for bad in ["", "ada", "ada@", "@example.ng", "ada@example", "a b@example.ng", "a@b@example.ng", "ada@.ng"] {
            assert!(!email_is_plausible(bad), "{bad}");
        }
    }
}
