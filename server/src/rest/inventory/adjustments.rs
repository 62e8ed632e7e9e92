//! Corrections by hand.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use commerce::base::LocationId;
use commerce::catalog::VariantId;
use commerce::inventory::stock;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::rest::idempotent::Keyed;
use crate::rest::{ApiActor, JsonBody, Problem};

/// A correction by hand.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentIn {
    /// The variant.
    pub variant_id: Uuid,
    /// Where.
    pub location_id: Uuid,
    /// Units to add (positive) or take away (negative), at most 1,000,000 either way; on hand
    /// stays within 1,000,000,000 either side of zero.
    #[schema(minimum = -1_000_000, maximum = 1_000_000)]
    pub change: i32,
    /// Why (damaged, expired, found…).
    #[schema(min_length = 1, max_length = 200)]
    pub note: String,
}

/// What a change left.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnHandOut {
    /// Units on hand now.
    pub on_hand: i32,
}

/// Adjusts stock by hand, with a note saying why.
#[utoipa::path(
    post,
    path = "/inventory/adjustments",
    tag = "inventory",
    request_body = AdjustmentIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 201, description = "Adjusted", body = OnHandOut),
        (status = 404, description = "No such variant or location in this business", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn adjust(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    keyed: Keyed,
    JsonBody { value, bytes }: JsonBody<AdjustmentIn>,
) -> Result<Response, Problem> {
    keyed
        .run(&actor, &bytes, async |once| {
            let (variant, location) = (VariantId(value.variant_id), LocationId(value.location_id));
            let on_hand =
                stock::adjust(state.db.primary(), &actor, variant, location, value.change, &value.note, once).await?;
            Ok((StatusCode::CREATED, Json(OnHandOut { on_hand })))
        })
        .await
}
