//! Holds on stock for buyers, and their sale or release.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use commerce::base::LocationId;
use commerce::catalog::VariantId;
use commerce::inventory::reserve::{self, Hold};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::rest::idempotent::Keyed;
use crate::rest::{ApiActor, IdPath, JsonBody, Problem};

/// Units to hold for a buyer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReservationIn {
    /// The variant.
    pub variant_id: Uuid,
    /// Hold at this location; leave out for the one with the most available.
    #[serde(default)]
    pub location_id: Option<Uuid>,
    /// Units.
    pub quantity: i32,
    /// How long to hold them (1 s to 7 days; default 15 minutes).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 604_800)]
    pub hold_seconds: Option<i64>,
    /// The cart or order behind it.
    #[serde(default)]
    #[schema(max_length = 120)]
    pub reference: String,
}

/// Held units.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReservationOut {
    /// Its id.
    pub id: Uuid,
    /// The variant.
    pub variant_id: Uuid,
    /// Where they are held.
    pub location_id: Uuid,
    /// Units.
    pub quantity: i32,
    /// When the hold lapses unless committed.
    pub expires_at: DateTime<Utc>,
}

/// Holds units for a buyer; exactly the stock available is ever held, however many ask at once.
#[utoipa::path(
    post,
    path = "/inventory/reservations",
    tag = "inventory",
    request_body = ReservationIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first hold, not hold again")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 201, description = "Held", body = ReservationOut),
        (status = 404, description = "The business has no such variant or location", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not enough available (`insufficient_stock`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong, or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn reserve(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    keyed: Keyed,
    JsonBody { value, bytes }: JsonBody<ReservationIn>,
) -> Result<Response, Problem> {
    keyed
        .run(&actor, &bytes, async |once| {
            let hold = Hold {
                variant: VariantId(value.variant_id),
                location: value.location_id.map(LocationId),
                quantity: value.quantity,
                for_how_long: reserve::hold_length(value.hold_seconds)?,
                reference: value.reference,
            };
            let made = reserve::reserve(state.db.primary(), &actor, hold, once).await?;
            let out = ReservationOut {
                id: made.id,
                variant_id: made.variant.0,
                location_id: made.location.0,
                quantity: made.quantity,
                expires_at: made.expires_at,
            };
            Ok((StatusCode::CREATED, Json(out)))
        })
        .await
}

/// The sale behind a commit.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitIn {
    /// The order or receipt number.
    #[serde(default)]
    pub reference: String,
}

/// Turns held units into a sale (committing twice is harmless).
#[utoipa::path(
    post,
    path = "/inventory/reservations/{id}/commit",
    tag = "inventory",
    request_body = CommitIn,
    params(("id" = Uuid, Path, description = "The reservation's id")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 204, description = "Sold"),
        (status = 404, description = "No such reservation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It lapsed or was released", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn commit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
    body: JsonBody<CommitIn>,
) -> Result<StatusCode, Problem> {
    reserve::commit(state.db.primary(), &actor, id, &body.value.reference).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives held units back (releasing twice is harmless).
#[utoipa::path(
    post,
    path = "/inventory/reservations/{id}/release",
    tag = "inventory",
    params(("id" = Uuid, Path, description = "The reservation's id")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 204, description = "Released"),
        (status = 404, description = "No such reservation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It was already sold", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn release(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
) -> Result<StatusCode, Problem> {
    reserve::release(state.db.primary(), &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
