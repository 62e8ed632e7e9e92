//! `GET` and `POST /api/v1/locations`: the business's shops and warehouses.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use commerce::identity::{self, Location, NewLocation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::idempotent::Keyed;
use super::list::{ListParams, Page};
use super::{ApiActor, JsonBody, Problem, QueryOf};
use crate::AppState;

/// A shop or warehouse.
#[derive(Debug, Serialize, ToSchema)]
pub struct LocationOut {
    /// Its id.
    pub id: Uuid,
    /// What staff call it.
    pub name: String,
    /// `shop` or `warehouse`.
    pub kind: &'static str,
    /// Street address.
    pub address: String,
    /// City.
    pub city: String,
    /// State.
    pub state: String,
    /// Phone number.
    pub phone: String,
    /// Opening hours, one line per day range.
    pub opening_hours: String,
}

impl From<Location> for LocationOut {
    fn from(l: Location) -> Self {
        let kind = match l.kind {
            identity::LocationKind::Shop => "shop",
            identity::LocationKind::Warehouse => "warehouse",
        };
        Self {
            id: l.id.0,
            name: l.name,
            kind,
            address: l.address,
            city: l.city,
            state: l.state,
            phone: l.phone,
            opening_hours: l.opening_hours,
        }
    }
}

/// A new shop or warehouse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Surulere depot", "kind": "warehouse", "address": "3 Bode Thomas Street", "city": "Surulere",
    "state": "Lagos"
}))]
pub struct LocationIn {
    /// What staff call it (unique in the business).
    #[schema(min_length = 1, max_length = 120)]
    pub name: String,
    /// `shop` or `warehouse`.
    #[schema(pattern = "^(shop|warehouse)$")]
    pub kind: String,
    /// Street address.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub address: String,
    /// City.
    #[serde(default)]
    #[schema(max_length = 80)]
    pub city: String,
    /// State.
    #[serde(default)]
    #[schema(max_length = 80)]
    pub state: String,
    /// Phone number.
    #[serde(default)]
    #[schema(max_length = 40)]
    pub phone: String,
    /// Opening hours, one line per day range.
    #[serde(default)]
    #[schema(max_length = 400)]
    pub opening_hours: String,
}

/// The business's locations, a page at a time, by name (`sort=name` or `sort=-name`).
#[utoipa::path(
    get,
    path = "/locations",
    tag = "settings",
    params(ListParams),
    security(("bearer" = ["settings:read"])),
    responses(
        (status = 200, description = "A page of locations", body = Page<LocationOut>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks settings:read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad limit, sort or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    QueryOf(params): QueryOf<ListParams>,
) -> Result<Json<Page<LocationOut>>, Problem> {
    let limit = params.limit()?;
    let (_, descending) = params.sort(&["name"])?;
    let after: Option<(String, Uuid)> = params.cursor()?;
    let rows = identity::list_locations(state.db.read(), &actor, after, descending, limit + 1).await?;
    let items: Vec<LocationOut> = rows.into_iter().map(LocationOut::from).collect();
    Ok(Json(Page::from_extra(items, limit, |l| (l.name.clone(), l.id))))
}

/// Adds a shop or warehouse. Send an `Idempotency-Key` to make retries safe.
#[utoipa::path(
    post,
    path = "/locations",
    tag = "settings",
    request_body = LocationIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer")),
    security(("bearer" = ["settings:write"])),
    responses(
        (status = 201, description = "Created", body = LocationOut),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks settings:write", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong, or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    keyed: Keyed,
    JsonBody { value, bytes }: JsonBody<LocationIn>,
) -> Result<Response, Problem> {
    keyed
        .run(&actor, &bytes, async |once| {
            let new = NewLocation {
                name: value.name,
                kind: value.kind,
                address: value.address,
                city: value.city,
                state: value.state,
                phone: value.phone,
                opening_hours: value.opening_hours,
            };
            let location = identity::create_location(state.db.primary(), &actor, new, once).await?;
            Ok((StatusCode::CREATED, Json(LocationOut::from(location))))
        })
        .await
}
