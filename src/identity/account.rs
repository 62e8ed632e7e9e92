//! A person's own account: changing their password, seeing and ending their sessions.

use serde_json::json;
use uuid::Uuid;

use super::password;
use super::session::{self, SessionView};
use crate::Error;
use crate::audit::{self, Change};
use crate::base::Actor;
use crate::idempotency::{self, Once};

fn person(actor: &Actor) -> Result<Uuid, Error> {
    match actor {
        Actor::Staff(member) => Ok(member.user),
        Actor::PlatformAdmin { user, .. } => Ok(*user),
        _ => Err(Error::Forbidden("manage a staff account".into())),
    }
}

/// Changes the actor's password after checking the current one, and ends their other sessions.
/// With `once` (for a member of a business), a second request with the same key waits for the
/// first and answers its result, rather than checking a current password that has just changed.
pub async fn change_password(
    db: &sqlx::PgPool,
    actor: &Actor,
    current_session: Uuid,
    current: &str,
    new: &str,
    ip: &str,
    once: Option<&Once>,
) -> Result<(), Error> {
    let user = person(actor)?;
    let mut tx = crate::db::person_tx(db, user).await?;
    let tenant = actor.tenant();
    if let Some(tenant) = tenant {
        sqlx::query!("SELECT set_config('app.tenant_id', $1, true) AS \"setting!\"", tenant.0.to_string())
            .fetch_one(&mut *tx)
            .await?;
    }
    let once = once.zip(tenant);
    if let Some((once, tenant)) = once
        && idempotency::begin::<()>(&mut tx, tenant, once).await?.is_some()
    {
        tx.commit().await?;
        return Ok(());
    }
    let row = sqlx::query!("SELECT email, password_hash FROM users WHERE id = $1", user).fetch_one(db).await?;
    // A stolen session must not become a way to guess the password without limit.
    super::login::count_password_attempt(db, &row.email, ip).await?;
    if !password::verify(current.to_owned(), row.password_hash).await {
        return Err(Error::invalid("current_password", "this is not your current password"));
    }
    password::check_new(new, &row.email, "new_password")?;
    if new == current {
        return Err(Error::invalid("new_password", "choose a password different from the current one"));
    }
    let hash = password::hash(new.to_owned()).await?;
    sqlx::query!("UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1", user, hash)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM sessions WHERE user_id = $1 AND id <> $2", user, current_session)
        .execute(&mut *tx)
        .await?;
    if let Some(tenant) = tenant {
        let change = Change {
            entity: "account",
            entity_id: user.to_string(),
            action: "password changed",
            before: None,
            after: Some(json!({ "other_sessions": "ended" })),
        };
        audit::record(&mut tx, tenant, actor, change).await?;
    }
    if let Some((once, tenant)) = once {
        idempotency::finish(&mut tx, tenant, once, &()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The actor's live sessions.
pub async fn sessions(db: &sqlx::PgPool, actor: &Actor, current_session: Uuid) -> Result<Vec<SessionView>, Error> {
    session::list_for_user(db, person(actor)?, current_session).await
}

/// Ends one of the actor's own sessions.
pub async fn end_session(db: &sqlx::PgPool, actor: &Actor, session_id: Uuid) -> Result<(), Error> {
    session::revoke(db, person(actor)?, session_id).await
}
