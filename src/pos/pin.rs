//! Cashiers' PINs for signing in at a till. A PIN is kept as PBKDF2-HMAC-SHA256 (a random salt,
//! [`ITERATIONS`] rounds): the one form a browser checks by itself with Web Crypto, so that a
//! till with no connection signs cashiers in. That check is given only to enrolled registers
//! of the business; the till holds back a cashier after wrong tries.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use super::{PinCheck, Seller};
use crate::base::{Actor, Permission, Role};
use crate::db::in_tenant_tx;
use crate::{Clash, Error};

/// PBKDF2 rounds: some 50–150 ms on a cheap phone's Web Crypto.
pub const ITERATIONS: u32 = 100_000;

/// What a PIN must be.
pub const PIN_RULE: &str = "4 to 8 digits, not all one digit and not a run such as 1234";

/// Sets `member`'s PIN. Anyone who sells at a till sets their own; the owner (who manages staff)
/// sets anyone's; a manager sets a cashier's.
pub async fn set(db: &sqlx::PgPool, actor: &Actor, member: Uuid, pin: &str) -> Result<(), Error> {
    let tenant = actor.require(Permission::SellAtPos)?.tenant;
    if !pin_is_acceptable(pin) {
        return Err(Error::invalid("pin", PIN_RULE));
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|error| {
        tracing::error!(%error, "no randomness available");
        Error::Internal
    })?;
    let hash = derive(pin.as_bytes(), &salt, ITERATIONS);
    in_tenant_tx(db, tenant, async |tx| {
        let role = sqlx::query_scalar!(
            "SELECT role FROM memberships WHERE tenant_id = $1 AND user_id = $2 FOR UPDATE",
            tenant.0,
            member
        )
        .fetch_optional(&mut *tx)
        .await?
        .and_then(|r| Role::from_code(&r))
        .ok_or_else(|| Error::not_found("staff member"))?;
        may_set(actor, member, role)?;
        sqlx::query!(
            "UPDATE memberships SET pin_salt = $3, pin_iterations = $4, pin_hash = $5, pin_set_at = now()
              WHERE tenant_id = $1 AND user_id = $2",
            tenant.0,
            member,
            &salt[..],
            i32::try_from(ITERATIONS).map_err(|_| Error::Internal)?,
            &hash[..]
        )
        .execute(&mut *tx)
        .await?;
        crate::audit::record(
            tx,
            tenant,
            actor,
            crate::audit::Change {
                entity: "staff",
                entity_id: member.to_string(),
                action: "set_pin",
                before: None,
                after: None,
            },
        )
        .await
    })
    .await
}

/// Everyone of the business who may sell at a till, with whether they have a PIN, by name.
pub async fn sellers(db: &sqlx::PgPool, actor: &Actor) -> Result<Vec<Seller>, Error> {
    let tenant = actor.require(Permission::ViewStaff)?.tenant;
    in_tenant_tx(db, tenant, async |tx| {
        let rows = sqlx::query!(
            "SELECT m.user_id, u.name, m.role, m.active, m.pin_set_at FROM memberships m JOIN users u ON u.id = m.user_id
              WHERE m.tenant_id = $1 ORDER BY lower(u.name), m.user_id",
            tenant.0
        )
        .fetch_all(&mut *tx)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let role = Role::from_code(&r.role).filter(|role| role.allows(Permission::SellAtPos))?;
                Some(Seller { id: r.user_id, name: r.name, role, active: r.active, pin_set_at: r.pin_set_at })
            })
            .collect())
    })
    .await
}

/// Whether `actor` may set the PIN of `member`, whose role is `role`.
fn may_set(actor: &Actor, member: Uuid, role: Role) -> Result<(), Error> {
    let own = actor.id() == member;
    let managing = actor.can(Permission::ManageStaff)
        || (matches!(actor, Actor::Staff(s) if s.role == Role::Manager) && role == Role::Cashier);
    if !role.allows(Permission::SellAtPos) {
        return Err(Error::conflict(Clash::WrongState, "Only people who sell at a till have a PIN."));
    }
    if own || managing { Ok(()) } else { Err(Error::Forbidden("set this person's PIN".to_owned())) }
}

/// Whether a PIN is long enough and not one of those tried first.
pub fn pin_is_acceptable(pin: &str) -> bool {
    let digits: Vec<u8> = pin.bytes().collect();
    if !(4..=8).contains(&digits.len()) || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let same = digits.iter().all(|d| *d == digits[0]);
    let up = digits.windows(2).all(|w| w[1] == w[0] + 1);
    let down = digits.windows(2).all(|w| w[0] == w[1] + 1);
    !(same || up || down)
}

/// The check a till is given for a stored PIN.
pub fn check_of(salt: &[u8], iterations: i32, hash: &[u8]) -> Option<PinCheck> {
    Some(PinCheck {
        salt: STANDARD.encode(salt),
        iterations: u32::try_from(iterations).ok()?,
        hash: STANDARD.encode(hash),
    })
}

/// PBKDF2-HMAC-SHA256 (RFC 8018), one block of 32 bytes.
pub fn derive(password: &[u8], salt: &[u8], iterations: u32) -> [u8; 32] {
    let Ok(key) = Hmac::<Sha256>::new_from_slice(password) else { return [0; 32] };
    let mut first = key.clone();
    first.update(salt);
    first.update(&1u32.to_be_bytes());
    let mut u: [u8; 32] = first.finalize().into_bytes().into();
    let mut out = u;
    for _ in 1..iterations {
        let mut next = key.clone();
        next.update(&u);
        u = next.finalize().into_bytes().into();
        for (o, b) in out.iter_mut().zip(u) {
            *o ^= b;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        use std::fmt::Write;
        bytes.iter().fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    }

    #[test]
    fn derivation_matches_the_published_vectors() {
        // PBKDF2-HMAC-SHA256 test vectors (RFC 7914 §11 and the commonly published set).
        assert_eq!(
            hex(&derive(b"password", b"salt", 1)),
            "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"
        );
        assert_eq!(
            hex(&derive(b"password", b"salt", 4096)),
            "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"
        );
    }

    #[test]
    fn easy_pins_are_refused() {
        for good in ["2580", "13579", "90210", "4711", "12345670"] {
            assert!(pin_is_acceptable(good), "{good}");
        }
        for bad in ["", "123", "0000", "1234", "9876", "123456789", "12a4", " 1357"] {
            assert!(!pin_is_acceptable(bad), "{bad}");
        }
    }
}
