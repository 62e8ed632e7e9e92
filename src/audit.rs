//! The audit trail: every change a person or a token makes, recorded in the same transaction as
//! the change — who, for which business, when, what, and the record before and after.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "server")]
use crate::Error;
#[cfg(feature = "server")]
use crate::base::{Actor, Permission, TenantId};

/// One recorded change, as the audit page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Its id (time-ordered).
    pub id: Uuid,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it, as recorded then.
    pub actor: String,
    /// The person or client's id.
    pub actor_id: Option<Uuid>,
    /// What kind of record changed (`staff`, `invitation`, `settings`…).
    pub entity: String,
    /// Which one.
    pub entity_id: String,
    /// What happened (`created`, `updated`, `deactivated`…).
    pub action: String,
    /// The record before, when there was one (JSON text).
    pub before: Option<String>,
    /// The record after, when there is one (JSON text).
    pub after: Option<String>,
}

/// What the audit page asks for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Only changes by this person or client.
    pub actor: Option<Uuid>,
    /// Only changes to this kind of record.
    pub entity: Option<String>,
    /// Only changes on or after this moment.
    pub from: Option<DateTime<Utc>>,
    /// Only changes before this moment.
    pub until: Option<DateTime<Utc>>,
    /// Continue after this entry (the last one of the previous page).
    pub after: Option<Uuid>,
    /// Entries per page ([`PAGE_SIZE`] when not given).
    pub limit: Option<i64>,
}

/// One page of the audit trail, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    /// The entries.
    pub entries: Vec<AuditEntry>,
    /// Where the next page starts, when there is one.
    pub next: Option<Uuid>,
}

/// Entries per page.
pub const PAGE_SIZE: i64 = 50;

/// A change to record.
#[cfg(feature = "server")]
pub struct Change<'a> {
    /// What kind of record.
    pub entity: &'a str,
    /// Which one.
    pub entity_id: String,
    /// What happened.
    pub action: &'a str,
    /// The record before.
    pub before: Option<serde_json::Value>,
    /// The record after.
    pub after: Option<serde_json::Value>,
}

/// Records a change inside the transaction that makes it.
#[cfg(feature = "server")]
pub async fn record(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    change: Change<'_>,
) -> Result<(), Error> {
    let kind = match actor {
        Actor::Staff(_) => "user",
        Actor::Visitor { .. } => "visitor",
        Actor::Shopper { .. } => "shopper",
        Actor::ApiClient { .. } => "api_client",
        Actor::PlatformAdmin { .. } => "platform",
    };
    let id = Some(actor.id());
    sqlx::query!(
        "INSERT INTO audit_log (tenant_id, id, actor_kind, actor_id, actor_label, entity, entity_id, action, before, after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        tenant.0,
        Uuid::now_v7(),
        kind,
        id,
        actor.label(),
        change.entity,
        change.entity_id,
        change.action,
        change.before,
        change.after,
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// A page of the business's audit trail, newest first.
#[cfg(feature = "server")]
pub async fn list(db: &sqlx::PgPool, actor: &Actor, filter: &AuditFilter) -> Result<AuditPage, Error> {
    let tenant = actor.require(Permission::ViewAudit)?.tenant;
    let limit = filter.limit.unwrap_or(PAGE_SIZE).clamp(1, 1000);
    let mut tx = crate::db::tenant_tx(db, tenant).await?;
    let rows = sqlx::query!(
        r#"SELECT id, at, actor_label, actor_id, entity, entity_id, action,
                  before::text AS before, after::text AS after
             FROM audit_log
            WHERE tenant_id = $7
              AND ($1::uuid IS NULL OR actor_id = $1)
              AND ($2::text IS NULL OR entity = $2)
              AND ($3::timestamptz IS NULL OR at >= $3)
              AND ($4::timestamptz IS NULL OR at < $4)
              AND ($5::uuid IS NULL OR (at, id) < (SELECT a.at, a.id FROM audit_log a WHERE a.tenant_id = $7 AND a.id = $5))
            ORDER BY at DESC, id DESC
            LIMIT $6"#,
        filter.actor,
        filter.entity.as_deref().filter(|e| !e.is_empty()),
        filter.from,
        filter.until,
        filter.after,
        limit + 1,
        tenant.0,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut entries: Vec<AuditEntry> = rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: r.at,
            actor: r.actor_label,
            actor_id: r.actor_id,
            entity: r.entity,
            entity_id: r.entity_id,
            action: r.action,
            before: r.before,
            after: r.after,
        })
        .collect();
    let next = if entries.len() > usize::try_from(limit).unwrap_or(50) {
        entries.pop();
        entries.last().map(|e| e.id)
    } else {
        None
    };
    Ok(AuditPage { entries, next })
}

/// The kinds of record the business's audit trail mentions, for the page's filter.
#[cfg(feature = "server")]
pub async fn entities(db: &sqlx::PgPool, actor: &Actor) -> Result<Vec<String>, Error> {
    let tenant = actor.require(Permission::ViewAudit)?.tenant;
    let mut tx = crate::db::tenant_tx(db, tenant).await?;
    let entities =
        sqlx::query_scalar!("SELECT DISTINCT entity FROM audit_log WHERE tenant_id = $1 ORDER BY entity", tenant.0)
            .fetch_all(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(entities)
}
