//! `GET /api/v1/dashboard`: the figures the back office's overview shows.

use axum::Json;
use axum::extract::State;

use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiActor, Problem};
use crate::AppState;

/// The business at a glance.
#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    /// The business's name.
    pub business: String,
    /// Its shops.
    pub shops: usize,
    /// Its warehouses.
    pub warehouses: usize,
    /// Active members of staff.
    pub staff: i64,
    /// Invitations not yet accepted.
    pub open_invitations: i64,
}

/// The business at a glance.
#[utoipa::path(
    get,
    path = "/dashboard",
    tag = "dashboard",
    security(("bearer" = ["dashboard:read"])),
    responses(
        (status = 200, description = "The figures", body = Dashboard),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks dashboard:read", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show(State(state): State<AppState>, ApiActor(actor): ApiActor) -> Result<Json<Dashboard>, Problem> {
    let home = commerce::identity::business_home(state.db.read(), &actor).await?;
    let shops = home.locations.iter().filter(|l| l.kind == commerce::identity::LocationKind::Shop).count();
    Ok(Json(Dashboard {
        business: home.tenant.name,
        shops,
        warehouses: home.locations.len() - shops,
        staff: home.staff,
        open_invitations: home.open_invitations,
    }))
}
