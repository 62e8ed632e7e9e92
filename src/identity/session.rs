//! Sessions: who a cookie belongs to. Stored in Postgres (only a hash of the id), so any server
//! instance can serve any request; they end after a spell of idleness or at an absolute limit.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "server")]
use super::token;
#[cfg(feature = "server")]
use crate::Error;
#[cfg(feature = "server")]
use crate::base::{Actor, Role, Shops, StaffMember, TenantId, VendorId};

/// The cookie that carries the session id.
pub const COOKIE: &str = "sc1_session";
/// A session unused this long ends.
pub const IDLE_SECONDS: i64 = 12 * 60 * 60;
/// No session outlives this, however busy.
pub const ABSOLUTE_SECONDS: i64 = 30 * 24 * 60 * 60;

/// Where a request came from, as the session list shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInfo {
    /// The browser's `User-Agent`.
    pub user_agent: String,
    /// The client's address (behind trusted proxies, the forwarded one).
    pub ip: String,
}

/// One of a person's sessions, for the list where they can end it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// Its id (not the secret in the cookie).
    pub id: Uuid,
    /// When it started.
    pub created_at: DateTime<Utc>,
    /// When it was last used.
    pub last_seen_at: DateTime<Utc>,
    /// The browser.
    pub user_agent: String,
    /// The address.
    pub ip: String,
    /// Whether it is the session making this request.
    pub current: bool,
}

/// A session that has just started: the cookie value to set.
#[cfg(feature = "server")]
pub struct Started {
    /// The session id for the cookie; shown nowhere else.
    pub cookie_value: String,
}

/// Starts a session for a person acting in one business (or, for a platform admin, in none).
#[cfg(feature = "server")]
pub async fn start_for_user(
    db: &sqlx::PgPool,
    user: Uuid,
    tenant: Option<TenantId>,
    client: &ClientInfo,
) -> Result<Started, Error> {
    start(db, Some(user), tenant, None, client).await
}

/// Starts a session for a shopper of one storefront.
#[cfg(feature = "server")]
pub async fn start_for_shopper(
    db: &sqlx::PgPool,
    tenant: TenantId,
    shopper: Uuid,
    client: &ClientInfo,
) -> Result<Started, Error> {
    start(db, None, Some(tenant), Some(shopper), client).await
}

#[cfg(feature = "server")]
async fn start(
    db: &sqlx::PgPool,
    user: Option<Uuid>,
    tenant: Option<TenantId>,
    shopper: Option<Uuid>,
    client: &ClientInfo,
) -> Result<Started, Error> {
    let secret = token::new_secret()?;
    // Row-level security accepts the row for the person it is for, or for the shopper's store.
    let mut tx = match (user, tenant) {
        (Some(user), _) => crate::db::person_tx(db, user).await?,
        (None, Some(tenant)) => crate::db::tenant_tx(db, tenant).await?,
        (None, None) => return Err(Error::Internal),
    };
    sqlx::query!(
        "INSERT INTO sessions (id, id_hash, user_id, tenant_id, shopper_id, expires_at, user_agent, client_ip)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6), $7, $8)",
        Uuid::now_v7(),
        secret.hash,
        user,
        tenant.map(|t| t.0),
        shopper,
        seconds(IDLE_SECONDS),
        truncate(&client.user_agent, 400),
        truncate(&client.ip, 64),
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Started { cookie_value: secret.text })
}

/// A session found from its cookie: its id and who is acting.
#[cfg(feature = "server")]
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The session's id.
    pub id: Uuid,
    /// Who is acting.
    pub actor: Actor,
}

/// Who the cookie belongs to, if it is a live session whose person may still act; extends the
/// idle deadline (at most once a minute, to spare the database a write per request).
#[cfg(feature = "server")]
pub async fn resolve(db: &sqlx::PgPool, cookie_value: &str) -> Result<Option<Resolved>, Error> {
    look_up(db, cookie_value, true).await
}

/// [`resolve`] without counting as use: for checks the person did not make (an open live
/// stream checking again), which must not keep an idle session alive.
#[cfg(feature = "server")]
pub async fn still_live(db: &sqlx::PgPool, cookie_value: &str) -> Result<Option<Resolved>, Error> {
    look_up(db, cookie_value, false).await
}

#[cfg(feature = "server")]
async fn look_up(db: &sqlx::PgPool, cookie_value: &str, touch: bool) -> Result<Option<Resolved>, Error> {
    let hash = token::hash(cookie_value);
    let Some(row) = sqlx::query!(
        r#"SELECT session_id AS "session_id!", user_id, user_name, user_email, is_platform_admin,
                  tenant_id, tenant_name, tenant_status, role, vendor_id, member_active, location_ids,
                  shopper_id, shopper_name, last_seen_at AS "last_seen_at!", time_zone
             FROM session_subject($1)"#,
        hash
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    if touch && Utc::now() - row.last_seen_at > chrono::Duration::seconds(60) {
        sqlx::query!(
            "SELECT session_touch($1, $2, $3)",
            row.session_id,
            seconds(ABSOLUTE_SECONDS),
            seconds(IDLE_SECONDS),
        )
        .execute(db)
        .await?;
    }
    let tenant_active = row.tenant_status.as_deref() == Some("active");
    let actor = match (row.user_id, row.tenant_id, row.shopper_id) {
        (Some(user), Some(tenant), None) if tenant_active && row.member_active == Some(true) => {
            let Some(role) = row.role.as_deref().and_then(Role::from_code) else { return Ok(None) };
            Actor::Staff(StaffMember {
                user,
                name: row.user_name.unwrap_or_default(),
                email: row.user_email.unwrap_or_default(),
                tenant: TenantId(tenant),
                tenant_name: row.tenant_name.unwrap_or_default(),
                role,
                vendor: row.vendor_id.map(VendorId),
                shops: Shops::of_member(role, row.location_ids),
                platform_admin: row.is_platform_admin.unwrap_or(false),
                zone: row.time_zone.map(crate::base::Zone).unwrap_or_default(),
            })
        }
        (Some(user), None, None) if row.is_platform_admin == Some(true) => {
            Actor::PlatformAdmin { user, name: row.user_name.unwrap_or_default() }
        }
        (None, Some(tenant), Some(shopper)) if tenant_active => {
            Actor::Shopper { tenant: TenantId(tenant), shopper, name: row.shopper_name.unwrap_or_default() }
        }
        _ => return Ok(None),
    };
    Ok(Some(Resolved { id: row.session_id, actor }))
}

/// Ends the session with this cookie value (signing out).
#[cfg(feature = "server")]
pub async fn end(db: &sqlx::PgPool, cookie_value: &str) -> Result<(), Error> {
    sqlx::query!("SELECT session_end($1)", token::hash(cookie_value)).execute(db).await?;
    Ok(())
}

/// A person's live sessions, newest first; `current` marks the one asking.
#[cfg(feature = "server")]
pub async fn list_for_user(db: &sqlx::PgPool, user: Uuid, current: Uuid) -> Result<Vec<SessionView>, Error> {
    let mut tx = crate::db::person_tx(db, user).await?;
    let rows = sqlx::query!(
        "SELECT id, created_at, last_seen_at, user_agent, client_ip
           FROM sessions WHERE user_id = $1 AND expires_at > now()
          ORDER BY last_seen_at DESC, id",
        user
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| SessionView {
            current: r.id == current,
            id: r.id,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            user_agent: r.user_agent,
            ip: r.client_ip,
        })
        .collect())
}

/// Ends one of a person's own sessions; someone else's session id is simply not found.
#[cfg(feature = "server")]
pub async fn revoke(db: &sqlx::PgPool, user: Uuid, session: Uuid) -> Result<(), Error> {
    let mut tx = crate::db::person_tx(db, user).await?;
    let ended = sqlx::query!("DELETE FROM sessions WHERE id = $1 AND user_id = $2", session, user)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    if ended == 0 { Err(Error::not_found("session")) } else { Ok(()) }
}

#[cfg(feature = "server")]
fn seconds(s: i64) -> f64 {
    // Exact: every duration used here is far below 2^53 seconds.
    #[expect(clippy::cast_precision_loss, reason = "durations here are far below 2^53 seconds")]
    let s = s as f64;
    s
}

#[cfg(feature = "server")]
fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}
