//! A vendor's orders and money over the API: the parts of orders it sells, its balance, its
//! ledger, and payouts (listed, run, settled by hand, called off), by the same rules as the back
//! office's and the vendor portal's pages.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use commerce::base::VendorId;
use commerce::marketplace::{Balance, Payout, payouts};
use commerce::orders::ledger::Entry;
use commerce::orders::{OrderStatus, PartSummary, parts};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::idempotent::Keyed;
use super::list::{ListParams, Page};
use super::{ApiActor, IdPath, JsonBody, Problem, QueryOf};
use crate::AppState;

/// A vendor's balance: the sum of its ledger, what is available to pay out now, what waits
/// for deliveries and holding periods, and what is on its way.
#[utoipa::path(
    get,
    path = "/marketplace/vendors/{id}/balance",
    tag = "marketplace",
    params(("id" = Uuid, Path, description = "The vendor's id")),
    security(("bearer" = ["marketplace:read"])),
    responses(
        (status = 200, description = "The vendor's balance", body = Balance),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks marketplace:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such vendor in this business", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn balance(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
) -> Result<Json<Balance>, Problem> {
    exists(&state, &actor, id).await?;
    Ok(Json(payouts::balance(state.db.read(), &actor, VendorId(id)).await?))
}

/// Answers not found for a vendor the business does not have (a balance of nothing would
/// otherwise answer for any id).
async fn exists(state: &AppState, actor: &commerce::base::Actor, id: Uuid) -> Result<(), Problem> {
    commerce::marketplace::vendor::get(state.db.read(), actor, VendorId(id)).await?;
    Ok(())
}

/// Filters for a vendor's orders.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartQuery {
    /// Only parts at this status (`awaiting_payment`, `paid`, `processing`, `shipped`,
    /// `delivered`, `completed`, `cancelled`, …).
    pub status: Option<String>,
}

/// A vendor's part of an order: what it sells in the order, worked by the vendor on its own.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartOut {
    /// The part's id.
    pub id: Uuid,
    /// Its number, the order's and its place in it (`#1042-2`).
    pub number: String,
    /// The vendor that sells it.
    pub seller: String,
    /// Where it is in its life.
    #[schema(example = "paid")]
    pub status: &'static str,
    /// How the order is paid: `pay_on_delivery`, `bank_transfer`, `paystack` or `test_gateway`.
    pub payment_method: &'static str,
    /// Whether its money has arrived.
    pub paid: bool,
    /// Who it is for.
    pub contact_name: String,
    /// Units in it.
    pub units: i64,
    /// Its goods and delivery, a decimal string.
    #[schema(value_type = String, example = "45000.00")]
    pub total: Decimal,
    /// The currency's code.
    pub currency: &'static str,
    /// When the order was placed.
    pub placed_at: DateTime<Utc>,
}

impl From<PartSummary> for PartOut {
    fn from(p: PartSummary) -> Self {
        Self {
            id: p.id,
            number: p.number,
            seller: p.seller,
            status: p.status.code(),
            payment_method: p.method.code(),
            paid: p.paid,
            contact_name: p.contact_name,
            units: p.units,
            total: commerce::base::money::exact(p.total.amount),
            currency: p.total.currency.code(),
            placed_at: p.placed_at,
        }
    }
}

/// A vendor's parts of orders, newest first (`sort=-placed_at`). A vendor's own client reads its
/// own with `marketplace:read`; the operator's needs `orders:read` as well.
#[utoipa::path(
    get,
    path = "/marketplace/vendors/{id}/orders",
    tag = "marketplace",
    params(("id" = Uuid, Path, description = "The vendor's id"), ListParams, PartQuery),
    security(("bearer" = ["marketplace:read", "orders:read"])),
    responses(
        (status = 200, description = "A page of the vendor's parts of orders", body = Page<PartOut>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks marketplace:read, or (the operator's) orders:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such vendor in this business", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad status, limit, sort or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn orders(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
    QueryOf(params): QueryOf<ListParams>,
    QueryOf(query): QueryOf<PartQuery>,
) -> Result<Json<Page<PartOut>>, Problem> {
    let limit = params.limit()?;
    params.newest_first("placed_at")?;
    let after: Option<(DateTime<Utc>, Uuid)> = params.cursor()?;
    let status = match query.status.as_deref() {
        Some(code) => Some(
            OrderStatus::from_code(code)
                .ok_or_else(|| commerce::Error::invalid("status", "not a status orders have"))?,
        ),
        None => None,
    };
    exists(&state, &actor, id).await?;
    let page = parts::list(state.db.read(), &actor, Some(VendorId(id)), status, after, limit).await?;
    Ok(Json(page.map(PartOut::from)))
}

/// A vendor's ledger, newest first (`sort=-at`): every sale, commission, delivery fee, refund,
/// adjustment, payout and cash taken at the door, each with the balance after it.
#[utoipa::path(
    get,
    path = "/marketplace/vendors/{id}/ledger",
    tag = "marketplace",
    params(("id" = Uuid, Path, description = "The vendor's id"), ListParams),
    security(("bearer" = ["marketplace:read"])),
    responses(
        (status = 200, description = "A page of entries", body = Page<Entry>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks marketplace:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such vendor in this business", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad limit, sort or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn ledger(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
    QueryOf(params): QueryOf<ListParams>,
) -> Result<Json<Page<Entry>>, Problem> {
    let limit = params.limit()?;
    params.newest_first("at")?;
    let after: Option<(DateTime<Utc>, Uuid)> = params.cursor()?;
    exists(&state, &actor, id).await?;
    Ok(Json(payouts::ledger(state.db.read(), &actor, VendorId(id), after, limit).await?))
}

/// Filters for the payout list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PayoutQuery {
    /// Only this vendor's.
    pub vendor_id: Option<Uuid>,
    /// Only those not yet settled (asked for or sending).
    pub open: Option<bool>,
}

/// Payouts to vendors, newest first (`sort=-created_at`).
#[utoipa::path(
    get,
    path = "/marketplace/payouts",
    tag = "marketplace",
    params(ListParams, PayoutQuery),
    security(("bearer" = ["marketplace:read"])),
    responses(
        (status = 200, description = "A page of payouts", body = Page<Payout>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks marketplace:read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad filter, limit, sort or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    QueryOf(params): QueryOf<ListParams>,
    QueryOf(query): QueryOf<PayoutQuery>,
) -> Result<Json<Page<Payout>>, Problem> {
    let limit = params.limit()?;
    params.newest_first("created_at")?;
    let after: Option<(DateTime<Utc>, Uuid)> = params.cursor()?;
    let vendor = query.vendor_id.map(VendorId);
    let open = query.open.unwrap_or(false);
    Ok(Json(payouts::list(state.db.read(), &actor, vendor, open, after, limit).await?))
}

/// Runs the marketplace's payouts: every approved vendor with a bank account, nothing on its
/// way and at least the least payout available gets one for all it has available. Answers the
/// payouts made (none when nobody is due). Send an `Idempotency-Key` to make retries safe.
#[utoipa::path(
    post,
    path = "/marketplace/payouts/run",
    tag = "marketplace",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer")),
    security(("bearer" = ["marketplace:write"])),
    responses(
        (status = 201, description = "The payouts made", body = Vec<Payout>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks marketplace:write", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The Idempotency-Key is empty or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn run(State(state): State<AppState>, ApiActor(actor): ApiActor, keyed: Keyed) -> Result<Response, Problem> {
    keyed
        .run(&actor, b"run", async |once| {
            Ok((StatusCode::CREATED, Json(payouts::run(state.db.primary(), &actor, once).await?)))
        })
        .await
}

/// A payout settled by hand.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "bank_reference": "GTB-TRF-99812" }))]
pub struct PaidIn {
    /// The bank's reference for the transfer made.
    #[schema(max_length = 120)]
    pub bank_reference: String,
}

/// Settles a payout asked for by hand: paid into the vendor's bank under the bank's reference.
#[utoipa::path(
    post,
    path = "/marketplace/payouts/{id}/paid",
    tag = "marketplace",
    request_body = PaidIn,
    params(("id" = Uuid, Path, description = "The payout's id")),
    security(("bearer" = ["marketplace:write"])),
    responses(
        (status = 200, description = "The payout, paid", body = Payout),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks marketplace:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such payout in this business", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The payout is not waiting to be settled by hand", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reference is missing or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn paid(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
    JsonBody { value, .. }: JsonBody<PaidIn>,
) -> Result<Json<Payout>, Problem> {
    Ok(Json(payouts::mark_paid(state.db.primary(), &actor, id, &value.bank_reference, None).await?))
}

/// A payout called off.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "reason": "The vendor asked for a smaller amount." }))]
pub struct CancelIn {
    /// Why, for the vendor to read.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub reason: String,
}

/// Calls off a payout not yet sent: its money goes back to the vendor's balance.
#[utoipa::path(
    post,
    path = "/marketplace/payouts/{id}/cancel",
    tag = "marketplace",
    request_body = CancelIn,
    params(("id" = Uuid, Path, description = "The payout's id")),
    security(("bearer" = ["marketplace:write"])),
    responses(
        (status = 200, description = "The payout, called off", body = Payout),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks marketplace:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such payout in this business", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The payout was sent or settled already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is too long", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
    JsonBody { value, .. }: JsonBody<CancelIn>,
) -> Result<Json<Payout>, Problem> {
    Ok(Json(payouts::cancel(state.db.primary(), &actor, id, &value.reason, None).await?))
}
