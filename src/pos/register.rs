//! Registers: a manager adds one to a shop and is shown a one-time code; the device trades the
//! code for a credential of its own and syncs with it, without anybody's session; a manager
//! revokes it when the device is lost or retired.

use chrono::{Duration, Utc};
use uuid::Uuid;

use super::{Enrolment, NewRegister, RegisterView};
use crate::base::{Actor, LocationId, Permission, TenantId};
use crate::db::{field_errors, in_tenant_tx};
use crate::identity::token;
use crate::{Clash, Error};

/// How long a code works once shown.
pub const CODE_LIFE: Duration = Duration::minutes(30);

/// The letters a code is made of: no 0/O, 1/I/L or U/V, which are misread when typed.
const CODE_LETTERS: &[u8] = b"ABCDEFGHJKMNPQRSTWXYZ23456789";

/// A register that presented its credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Register {
    /// Its business.
    pub tenant: TenantId,
    /// Its id.
    pub id: Uuid,
    /// Its shop.
    pub location: LocationId,
    /// Whether it was revoked (what it sends is kept for a manager, not booked).
    pub revoked: bool,
}

/// The register a credential belongs to, if any (a revoked one included, marked).
pub async fn by_credential(db: &sqlx::PgPool, credential: &str) -> Result<Option<Register>, Error> {
    let row = sqlx::query!(
        r#"SELECT tenant_id AS "tenant_id!", id AS "id!", location_id AS "location_id!", revoked AS "revoked!"
             FROM register_by_credential($1)"#,
        token::hash(credential)
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Register {
        tenant: TenantId(r.tenant_id),
        id: r.id,
        location: LocationId(r.location_id),
        revoked: r.revoked,
    }))
}

/// Adds a register to a shop and answers the code its device enrols with (shown once, good for
/// [`CODE_LIFE`]). The prefix is the next free `R01`, `R02`… unless one is given. With a key, the
/// same form sent twice adds one register, and the second answer is `None` (its code was shown
/// to the first, and is kept nowhere).
pub async fn add(
    db: &sqlx::PgPool,
    actor: &Actor,
    location: LocationId,
    name: &str,
    prefix: Option<&str>,
    once: Option<&crate::idempotency::Once>,
) -> Result<Option<NewRegister>, Error> {
    let tenant = actor.require_at(Permission::ManageSettings, location)?.tenant;
    let name = name.trim();
    let mut problems = Vec::new();
    if name.is_empty() || name.chars().count() > 60 || name.contains('\0') {
        problems.push(("name".to_owned(), "from 1 to 60 characters, without NUL".to_owned()));
    }
    let prefix = prefix.map(|p| p.trim().to_uppercase()).filter(|p| !p.is_empty());
    if let Some(p) = &prefix
        && !prefix_is_valid(p)
    {
        problems.push(("prefix".to_owned(), "a letter, then up to 5 letters or digits (R01)".to_owned()));
    }
    Error::invalid_all(problems)?;
    let (code, code_hash) = new_code()?;
    let expires_at = Utc::now() + CODE_LIFE;
    let id = Uuid::now_v7();
    let register = crate::idempotency::run(db, tenant, once, async |tx| {
        let shop = sqlx::query_scalar!(
            "SELECT kind = 'shop' FROM locations WHERE tenant_id = $1 AND id = $2",
            tenant.0,
            location.0
        )
        .fetch_optional(&mut *tx)
        .await?;
        match shop {
            None => return Err(Error::invalid("location", "no such location in this business")),
            Some(Some(false) | None) => {
                return Err(Error::invalid("location", "a till stands in a shop, not a warehouse"));
            }
            Some(Some(true)) => {}
        }
        let prefix = match &prefix {
            Some(p) => p.clone(),
            None => next_prefix(tx, tenant).await?,
        };
        sqlx::query!(
            "INSERT INTO registers (tenant_id, id, location_id, name, prefix, code_hash, code_expires_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            tenant.0,
            id,
            location.0,
            name,
            prefix,
            code_hash,
            expires_at,
            actor.id()
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            field_errors(
                e,
                &[
                    ("registers_prefix_unique", "prefix", "another register has this prefix; choose another"),
                    ("registers_name_unique", "name", "this shop has a register of this name"),
                ],
            )
        })?;
        crate::audit::record(
            tx,
            tenant,
            actor,
            crate::audit::Change {
                entity: "register",
                entity_id: id.to_string(),
                action: "add",
                before: None,
                after: Some(serde_json::json!({ "name": name, "prefix": prefix, "location": location.0 })),
            },
        )
        .await?;
        view(tx, tenant, id).await
    })
    .await?;
    if once.is_some_and(crate::idempotency::Once::replayed) {
        return Ok(None);
    }
    Ok(Some(NewRegister { register, code, code_expires_at: expires_at }))
}

/// Trades a register's one-time code for the device's credential. The code works once, within
/// its time; `address` (the device's) is held to 10 tries in ten minutes, so that codes cannot
/// be guessed.
pub async fn enrol(db: &sqlx::PgPool, code: &str, address: &str) -> Result<Enrolment, Error> {
    let limit = crate::throttle::Limit { limit: 10, window_seconds: 600 };
    crate::throttle::hit(db, &[(format!("enrol:{address}"), limit)]).await?;
    let typed: String = code.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_uppercase();
    let wrong =
        || Error::Unauthorized("That code is not valid, or has expired: ask a manager for a new one.".to_owned());
    if typed.len() != 8 {
        return Err(wrong());
    }
    let found =
        sqlx::query!(r#"SELECT tenant_id AS "tenant_id!", id AS "id!" FROM register_by_code($1)"#, token::hash(&typed))
            .fetch_optional(db)
            .await?
            .ok_or_else(wrong)?;
    let tenant = TenantId(found.tenant_id);
    let secret = token::new_secret()?;
    in_tenant_tx(db, tenant, async |tx| {
        // Conditional, so that two devices presenting the code at once enrol one of them.
        let taken = sqlx::query!(
            "UPDATE registers SET credential_hash = $3, enrolled_at = now(), code_hash = NULL, code_expires_at = NULL
              WHERE tenant_id = $1 AND id = $2 AND code_hash IS NOT NULL AND revoked_at IS NULL",
            tenant.0,
            found.id,
            secret.hash
        )
        .execute(&mut *tx)
        .await?;
        if taken.rows_affected() == 0 {
            return Err(wrong());
        }
        Ok(Enrolment { credential: secret.text.clone(), register: found.id })
    })
    .await
}

/// Revokes a register: its credential stops downloading the catalog and PINs at once, and what
/// it sends from now on is kept as refused for a manager to look at, never booked by itself.
pub async fn revoke(db: &sqlx::PgPool, actor: &Actor, id: Uuid) -> Result<(), Error> {
    let scope = actor.require(Permission::ManageSettings)?;
    let tenant = scope.tenant;
    in_tenant_tx(db, tenant, async |tx| {
        let register = sqlx::query!(
            "SELECT location_id, revoked_at IS NOT NULL AS \"revoked!\" FROM registers
              WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
            tenant.0,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("register"))?;
        scope.reach(LocationId(register.location_id), Permission::ManageSettings)?;
        if register.revoked {
            return Err(Error::conflict(Clash::WrongState, "This register was revoked already."));
        }
        sqlx::query!(
            "UPDATE registers SET revoked_at = now(), revoked_by = $3, code_hash = NULL, code_expires_at = NULL
              WHERE tenant_id = $1 AND id = $2",
            tenant.0,
            id,
            actor.id()
        )
        .execute(&mut *tx)
        .await?;
        crate::audit::record(
            tx,
            tenant,
            actor,
            crate::audit::Change {
                entity: "register",
                entity_id: id.to_string(),
                action: "revoke",
                before: None,
                after: None,
            },
        )
        .await
    })
    .await
}

/// The business's registers (those of the actor's shops), by shop and name.
pub async fn list(db: &sqlx::PgPool, actor: &Actor) -> Result<Vec<RegisterView>, Error> {
    let scope = actor.require(Permission::ViewSettings)?;
    let tenant = scope.tenant;
    let shops = scope.shops.ids();
    in_tenant_tx(db, tenant, async |tx| {
        let ids = sqlx::query_scalar!(
            "SELECT r.id FROM registers r JOIN locations l ON l.tenant_id = r.tenant_id AND l.id = r.location_id
              WHERE r.tenant_id = $1 AND ($2::uuid[] IS NULL OR r.location_id = ANY($2))
              ORDER BY r.revoked_at IS NOT NULL, l.name, lower(r.name), r.id",
            tenant.0,
            shops.as_deref()
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut all = Vec::with_capacity(ids.len());
        for id in ids {
            all.push(view(tx, tenant, id).await?);
        }
        Ok(all)
    })
    .await
}

/// One register as the back office shows it.
async fn view(tx: &mut sqlx::PgConnection, tenant: TenantId, id: Uuid) -> Result<RegisterView, Error> {
    let r = sqlx::query!(
        r#"SELECT r.id, r.name, r.prefix, r.location_id, l.name AS location_name, r.enrolled_at IS NOT NULL AS "enrolled!",
                  r.revoked_at, r.last_seen_at,
                  (SELECT count(*) FROM till_documents d
                    WHERE d.tenant_id = r.tenant_id AND d.register_id = r.id AND d.status = 'refused') AS "refused!"
             FROM registers r JOIN locations l ON l.tenant_id = r.tenant_id AND l.id = r.location_id
            WHERE r.tenant_id = $1 AND r.id = $2"#,
        tenant.0,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("register"))?;
    Ok(RegisterView {
        id: r.id,
        name: r.name,
        prefix: r.prefix,
        location: LocationId(r.location_id),
        location_name: r.location_name,
        enrolled: r.enrolled,
        revoked_at: r.revoked_at,
        last_seen_at: r.last_seen_at,
        refused: r.refused,
    })
}

/// `R01`, `R02`…: the first of the business's not yet given.
async fn next_prefix(tx: &mut sqlx::PgConnection, tenant: TenantId) -> Result<String, Error> {
    let taken =
        sqlx::query_scalar!("SELECT prefix FROM registers WHERE tenant_id = $1", tenant.0).fetch_all(&mut *tx).await?;
    (1..10_000)
        .map(|n| format!("R{n:02}"))
        .find(|p| !taken.contains(p))
        .ok_or_else(|| Error::invalid("prefix", "choose a prefix for this register"))
}

/// A letter, then up to five capital letters or digits.
pub fn prefix_is_valid(prefix: &str) -> bool {
    let bytes = prefix.as_bytes();
    (1..=6).contains(&bytes.len())
        && bytes[0].is_ascii_uppercase()
        && bytes.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A new code (`K7QX-2M9P` as shown) and the hash of its eight letters.
fn new_code() -> Result<(String, Vec<u8>), Error> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|error| {
        tracing::error!(%error, "no randomness available");
        Error::Internal
    })?;
    // A byte's remainder by 29 makes some letters a little likelier than others (9 in 256
    // against 8): eight letters still hold some 38 bits, against 10 tries in ten minutes.
    let letters: String =
        bytes.iter().map(|b| char::from(CODE_LETTERS[usize::from(*b) % CODE_LETTERS.len()])).collect();
    let hash = token::hash(&letters);
    Ok((format!("{}-{}", &letters[..4], &letters[4..]), hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_start_with_a_letter_and_stay_short() {
        for good in ["R", "R01", "TILL2", "A1B2C3"] {
            assert!(prefix_is_valid(good), "{good}");
        }
        for bad in ["", "1R", "r01", "R-01", "ABCDEFG", "R 1"] {
            assert!(!prefix_is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn codes_are_eight_plain_letters_shown_in_two_fours() {
        let (shown, hash) = new_code().unwrap();
        assert_eq!(shown.len(), 9);
        assert_eq!(&shown[4..5], "-");
        let letters: String = shown.chars().filter(|c| *c != '-').collect();
        assert!(letters.bytes().all(|b| CODE_LETTERS.contains(&b)));
        assert_eq!(token::hash(&letters), hash);
    }
}
