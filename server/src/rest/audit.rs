//! `GET /api/v1/audit`: the business's audit trail, newest first.

use axum::Json;
use axum::extract::State;

use chrono::{DateTime, Utc};
use commerce::audit::{self, AuditEntry, AuditFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::list::{ListParams, Page, cursor_after};
use super::{ApiActor, Problem, QueryOf};
use crate::AppState;

/// One recorded change.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditOut {
    /// Its id.
    pub id: Uuid,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who made it, as recorded then.
    pub actor: String,
    /// The person's or API client's id.
    pub actor_id: Option<Uuid>,
    /// The kind of record (`staff`, `invitation`, `location`…).
    pub entity: String,
    /// Which record.
    pub entity_id: String,
    /// What happened (`created`, `updated`, `deactivated`…).
    pub action: String,
    /// The record before the change.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The record after the change.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

impl From<AuditEntry> for AuditOut {
    fn from(e: AuditEntry) -> Self {
        let json = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        Self {
            id: e.id,
            at: e.at,
            actor: e.actor,
            actor_id: e.actor_id,
            entity: e.entity,
            entity_id: e.entity_id,
            action: e.action,
            before: json(e.before),
            after: json(e.after),
        }
    }
}

/// Filters for the audit trail.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only changes by this person or API client.
    pub actor_id: Option<Uuid>,
    /// Only changes to this kind of record.
    pub entity: Option<String>,
    /// Only changes at or after this moment (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Only changes before this moment (RFC 3339).
    pub until: Option<DateTime<Utc>>,
}

/// The audit trail, newest first (`sort=-at`), filtered by who, what and when.
#[utoipa::path(
    get,
    path = "/audit",
    tag = "audit",
    params(ListParams, AuditQuery),
    security(("bearer" = ["audit:read"])),
    responses(
        (status = 200, description = "A page of changes", body = Page<AuditOut>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks audit:read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad filter, limit, sort or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    QueryOf(params): QueryOf<ListParams>,
    QueryOf(query): QueryOf<AuditQuery>,
) -> Result<Json<Page<AuditOut>>, Problem> {
    let limit = params.limit()?;
    if params.sort.as_deref().is_some_and(|s| s != "-at") {
        return Err(commerce::Error::invalid("sort", "the audit trail is listed newest first (sort=-at)").into());
    }
    let filter = AuditFilter {
        actor: query.actor_id,
        entity: query.entity,
        from: query.from,
        until: query.until,
        after: params.cursor()?,
        limit: Some(limit),
    };
    let found = audit::list(state.db.read(), &actor, &filter).await?;
    Ok(Json(Page {
        data: found.entries.into_iter().map(AuditOut::from).collect(),
        next_cursor: found.next.map(|id| cursor_after(&id)),
    }))
}
