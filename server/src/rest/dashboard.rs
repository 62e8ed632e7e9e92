//! `GET /api/v1/dashboard`: the figures the back office's dashboard shows, for a period beside
//! the one before it.

use axum::Json;
use axum::extract::State;
use commerce::dashboard::{self, Figures, Filter};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{ApiActor, Problem, QueryOf};
use crate::AppState;

/// Which figures.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardParams {
    /// The first day, on the business's calendar (`2026-12-01`); without it, 29 days before `until`.
    pub from: Option<String>,
    /// The last day, included (`2026-12-31`); without it, today. At most three years after `from`.
    pub until: Option<String>,
    /// A period by name instead of days: `today`, `yesterday`, `7d`, `30d`, `month`, `12m`.
    pub span: Option<String>,
    /// Only the sales of this shop (collected there: the till's, and orders picked up there).
    pub shop: Option<Uuid>,
    /// Only the sales of this channel: `store`, `pos`, `marketplace` or `draft`.
    pub channel: Option<String>,
}

/// The business's figures for a period, beside the period of the same length before it: what
/// was sold (gross, cancelled, net, VAT apart) by channel, shop, day and hour of the day; money
/// taken by method; the best-selling products and categories; active and new customers; and,
/// as they stand now, open orders, stock and tills (each for a token that may also read orders,
/// or inventory). Read from rollups kept as orders change, so a year costs about what a day does.
#[utoipa::path(
    get,
    path = "/dashboard",
    tag = "dashboard",
    params(DashboardParams),
    security(("bearer" = ["dashboard:read"])),
    responses(
        (status = 200, description = "The figures", body = Figures),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks dashboard:read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A day, span, shop or channel that is not one", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    QueryOf(params): QueryOf<DashboardParams>,
) -> Result<Json<Figures>, Problem> {
    let db = state.db.read();
    let period =
        dashboard::period(db, &actor, params.span.as_deref(), params.from.as_deref(), params.until.as_deref()).await?;
    let filter = Filter { shop: params.shop, channel: params.channel };
    Ok(Json(dashboard::read(db, &actor, period, &filter).await?))
}
