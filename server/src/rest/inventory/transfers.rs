//! Transfers of stock between a business's locations.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use commerce::base::LocationId;
use commerce::catalog::VariantId;
use commerce::inventory::{Line, Transfer, transfer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::rest::idempotent::Keyed;
use crate::rest::{ApiActor, IdPath, JsonBody, Problem};

/// A variant and a number of units.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineIn {
    /// The variant.
    pub variant_id: Uuid,
    /// Units.
    pub quantity: i32,
}

fn lines(lines: &[LineIn]) -> Vec<Line> {
    lines.iter().map(|l| Line { variant: VariantId(l.variant_id), quantity: l.quantity }).collect()
}

/// A transfer to draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferIn {
    /// From where.
    pub from_location_id: Uuid,
    /// To where.
    pub to_location_id: Uuid,
    /// What to send.
    pub lines: Vec<LineIn>,
    /// A note for both ends.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub note: String,
}

/// A line of a transfer.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferLineOut {
    /// The variant.
    pub variant_id: Uuid,
    /// Its SKU.
    pub sku: String,
    /// Units sent.
    pub quantity: i32,
    /// Units that arrived, once received.
    pub received: Option<i32>,
}

/// A transfer between locations.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferOut {
    /// Its id.
    pub id: Uuid,
    /// From where.
    pub from_location_id: Uuid,
    /// To where.
    pub to_location_id: Uuid,
    /// `draft`, `sent`, `received` or `cancelled`.
    pub status: &'static str,
    /// The note.
    pub note: String,
    /// When it was drafted.
    pub created_at: DateTime<Utc>,
    /// When it left.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it arrived.
    pub received_at: Option<DateTime<Utc>>,
    /// What it carries.
    pub lines: Vec<TransferLineOut>,
}

impl From<Transfer> for TransferOut {
    fn from(t: Transfer) -> Self {
        Self {
            id: t.id,
            from_location_id: t.from.0,
            to_location_id: t.to.0,
            status: t.status.code(),
            note: t.note,
            created_at: t.created_at,
            sent_at: t.sent_at,
            received_at: t.received_at,
            lines: t
                .lines
                .into_iter()
                .map(|l| TransferLineOut {
                    variant_id: l.variant.0,
                    sku: l.sku,
                    quantity: l.quantity,
                    received: l.received,
                })
                .collect(),
        }
    }
}

/// Drafts a transfer between two locations; no stock moves until it is sent.
#[utoipa::path(
    post,
    path = "/inventory/transfers",
    tag = "inventory",
    request_body = TransferIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 201, description = "Drafted", body = TransferOut),
        (status = 422, description = "A field is wrong", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    keyed: Keyed,
    JsonBody { value, bytes }: JsonBody<TransferIn>,
) -> Result<Response, Problem> {
    keyed
        .run(&actor, &bytes, async |once| {
            let db = state.db.primary();
            let (from, to) = (LocationId(value.from_location_id), LocationId(value.to_location_id));
            let id = transfer::create(db, &actor, from, to, &lines(&value.lines), &value.note, once).await?;
            let made = transfer::get(db, &actor, id).await?;
            Ok((StatusCode::CREATED, Json(TransferOut::from(made))))
        })
        .await
}

/// One transfer.
#[utoipa::path(
    get,
    path = "/inventory/transfers/{id}",
    tag = "inventory",
    params(("id" = Uuid, Path, description = "The transfer's id")),
    security(("bearer" = ["inventory:read"])),
    responses(
        (status = 200, description = "The transfer", body = TransferOut),
        (status = 404, description = "No such transfer in this business", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
) -> Result<Json<TransferOut>, Problem> {
    Ok(Json(transfer::get(state.db.read(), &actor, id).await?.into()))
}

/// Sends a drafted transfer: its units leave the sending location.
#[utoipa::path(
    post,
    path = "/inventory/transfers/{id}/send",
    tag = "inventory",
    params(("id" = Uuid, Path, description = "The transfer's id")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 200, description = "Sent", body = TransferOut),
        (status = 404, description = "No such transfer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft, or not enough available to send", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn send(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
) -> Result<Json<TransferOut>, Problem> {
    let db = state.db.primary();
    transfer::send(db, &actor, id, None).await?;
    Ok(Json(transfer::get(db, &actor, id).await?.into()))
}

/// What arrived.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrivalIn {
    /// Units that arrived per variant; variants left out arrived in full.
    #[serde(default)]
    pub arrived: Vec<LineIn>,
}

/// Receives a sent transfer at the other end.
#[utoipa::path(
    post,
    path = "/inventory/transfers/{id}/receive",
    tag = "inventory",
    request_body = ArrivalIn,
    params(("id" = Uuid, Path, description = "The transfer's id")),
    security(("bearer" = ["inventory:write"])),
    responses(
        (status = 200, description = "Received", body = TransferOut),
        (status = 404, description = "No such transfer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not on its way", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A line is wrong", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn receive(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
    body: JsonBody<ArrivalIn>,
) -> Result<Json<TransferOut>, Problem> {
    let db = state.db.primary();
    transfer::receive(db, &actor, id, &lines(&body.value.arrived), None).await?;
    Ok(Json(transfer::get(db, &actor, id).await?.into()))
}
