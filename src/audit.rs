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
    /// The change as people read it, one line a field: "price: 1,200 → 1,350".
    #[serde(default)]
    pub changes: Vec<String>,
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
            changes: describe(r.before.as_deref(), r.after.as_deref()),
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

/// A change as people read it: a line a field that differs ("role: cashier → manager"), every
/// field of a record made ("name: Lekki Phase 1") or removed ("was name: Lekki Phase 1"). A
/// record that is not an object of fields is shown as it is.
#[cfg(feature = "server")]
pub fn describe(before: Option<&str>, after: Option<&str>) -> Vec<String> {
    use serde_json::{Map, Value};
    let parse = |text: Option<&str>| {
        text.map(|t| serde_json::from_str::<Value>(t).unwrap_or_else(|_| Value::String(t.to_owned())))
    };
    let (before, after) = (parse(before), parse(after));
    let fields = |value: &Option<Value>| match value {
        Some(Value::Object(map)) => Some(map.clone()),
        None => Some(Map::new()),
        Some(_) => None,
    };
    let (Some(old), Some(new)) = (fields(&before), fields(&after)) else {
        let shown = |v: &Option<Value>| v.as_ref().map_or_else(|| "—".to_owned(), shown);
        return vec![format!("{} → {}", shown(&before), shown(&after))];
    };
    let mut lines = Vec::new();
    for (field, value) in &new {
        match old.get(field) {
            Some(was) if was == value => {}
            Some(was) => lines.push(format!("{}: {} → {}", label(field), shown(was), shown(value))),
            None => lines.push(format!("{}: {}", label(field), shown(value))),
        }
    }
    for (field, was) in &old {
        if !new.contains_key(field) {
            lines.push(format!("was {}: {}", label(field), shown(was)));
        }
    }
    lines
}

/// `reorder_point` as "reorder point".
#[cfg(feature = "server")]
fn label(field: &str) -> String {
    field.replace('_', " ")
}

/// A recorded value as people read it: text without quotes, nothing as "—", a list of records
/// by how many there are.
#[cfg(feature = "server")]
fn shown(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "—".to_owned(),
        Value::String(text) if text.is_empty() => "—".to_owned(),
        Value::String(text) => text.clone(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) if items.iter().all(|i| !i.is_object()) => {
            items.iter().map(shown).collect::<Vec<_>>().join(", ")
        }
        Value::Array(items) => format!("{} {}", items.len(), if items.len() == 1 { "line" } else { "lines" }),
        Value::Object(_) => value.to_string(),
    }
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::describe;

    #[test]
    fn a_change_reads_field_by_field() {
        let lines = describe(Some(r#"{"role":"cashier","name":"Ada"}"#), Some(r#"{"role":"manager","name":"Ada"}"#));
        assert_eq!(lines, ["role: cashier → manager"]);
        let made = describe(None, Some(r#"{"name":"Lekki Phase 1","kind":"shop","lines":[{"a":1},{"a":2}]}"#));
        assert_eq!(made, ["kind: shop", "lines: 2 lines", "name: Lekki Phase 1"]);
        let gone = describe(Some(r#"{"email":"ada@oja.ng"}"#), None);
        assert_eq!(gone, ["was email: ada@oja.ng"]);
        assert_eq!(
            describe(Some(r#"{"on_hand":3}"#), Some(r#"{"on_hand":5,"note":"found"}"#)),
            ["note: found", "on hand: 3 → 5"]
        );
        assert_eq!(describe(Some("3"), Some("not json")), ["3 → not json"]);
        assert_eq!(describe(Some(r#"{"active":true}"#), Some(r#"{"active":false}"#)), ["active: yes → no"]);
    }
}
