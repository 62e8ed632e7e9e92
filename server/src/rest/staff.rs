//! `GET /api/v1/staff`: the business's members of staff.

use axum::Json;
use axum::extract::State;

use chrono::{DateTime, Utc};
use commerce::base::Role;
use commerce::identity::{self, StaffQuery, StaffRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::list::{ListParams, Page};
use super::{ApiActor, Problem, QueryOf};
use crate::AppState;

/// A member of staff.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffOut {
    /// The person's id.
    pub id: Uuid,
    /// Their name.
    pub name: String,
    /// Their email address.
    pub email: String,
    /// `owner`, `manager`, `accountant`, `cashier` or `vendor`.
    pub role: &'static str,
    /// For vendor staff, the vendor's id.
    pub vendor_id: Option<Uuid>,
    /// Whether they may sign in.
    pub active: bool,
    /// When they joined.
    pub joined_at: DateTime<Utc>,
}

impl From<StaffRow> for StaffOut {
    fn from(m: StaffRow) -> Self {
        Self {
            id: m.user,
            name: m.name,
            email: m.email,
            role: m.role.code(),
            vendor_id: m.vendor.map(|v| v.id.0),
            active: m.active,
            joined_at: m.joined_at,
        }
    }
}

/// Filters for the staff list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffFilter {
    /// Only this role.
    pub role: Option<String>,
    /// Only members who may (`true`) or may not (`false`) sign in.
    pub active: Option<bool>,
}

/// The business's members of staff by name (`sort=name`), filtered by role and status.
#[utoipa::path(
    get,
    path = "/staff",
    tag = "staff",
    params(ListParams, StaffFilter),
    security(("bearer" = ["staff:read"])),
    responses(
        (status = 200, description = "A page of members", body = Page<StaffOut>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks staff:read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad filter, limit, sort or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    QueryOf(params): QueryOf<ListParams>,
    QueryOf(filter): QueryOf<StaffFilter>,
) -> Result<Json<Page<StaffOut>>, Problem> {
    let limit = params.limit()?;
    if params.sort(&["name"])?.1 {
        return Err(commerce::Error::invalid("sort", "staff are listed by name, A to Z (sort=name)").into());
    }
    let role =
        match filter.role.as_deref() {
            None => None,
            Some(code) => Some(Role::from_code(code).ok_or_else(|| {
                commerce::Error::invalid("role", "one of owner, manager, accountant, cashier, vendor")
            })?),
        };
    let query = StaffQuery { role, active: filter.active };
    let after: Option<(String, Uuid)> = params.cursor()?;
    let rows = identity::staff_page(state.db.read(), &actor, &query, after, limit + 1).await?;
    let items: Vec<StaffOut> = rows.into_iter().map(StaffOut::from).collect();
    Ok(Json(Page::from_extra(items, limit, |m| (m.name.clone(), m.id))))
}
