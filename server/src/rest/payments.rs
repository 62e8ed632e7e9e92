//! `/api/v1/payments`: every attempt to pay for an order.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use commerce::orders::{self, Payment};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::list::{ListParams, Page};
use super::{ApiActor, Problem, QueryOf};
use crate::AppState;

/// An attempt to pay for an order.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentOut {
    /// Its id.
    pub id: Uuid,
    /// The order.
    pub order_id: Uuid,
    /// The amount, a decimal string.
    #[schema(value_type = String, example = "9000.00")]
    pub amount: Decimal,
    /// The currency's code.
    pub currency: &'static str,
    /// `pay_on_delivery`, `bank_transfer`, `paystack` or `test_gateway`.
    pub method: &'static str,
    /// `pending`, `succeeded`, `failed` or `flagged` (money reported that does not match the order).
    pub status: &'static str,
    /// The reference the shopper or the gateway quotes.
    pub reference: String,
    /// Why it is flagged, if it is.
    pub flag_reason: String,
    /// When it started.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<Payment> for PaymentOut {
    fn from(p: Payment) -> Self {
        Self {
            id: p.id,
            order_id: p.order,
            amount: commerce::base::money::exact(p.amount.amount),
            currency: p.amount.currency.code(),
            method: p.method.code(),
            status: p.status.code(),
            reference: p.reference,
            flag_reason: p.flag_reason,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// The business's payment attempts, newest first.
#[utoipa::path(
    get,
    path = "/payments",
    tag = "orders",
    params(ListParams),
    security(("bearer" = ["orders:read"])),
    responses(
        (status = 200, description = "A page of payment attempts", body = Page<PaymentOut>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks orders:read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad limit, sort or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    QueryOf(params): QueryOf<ListParams>,
) -> Result<Json<Page<PaymentOut>>, Problem> {
    let limit = params.limit()?;
    params.newest_first("created_at")?;
    let after: Option<(DateTime<Utc>, Uuid)> = params.cursor()?;
    let page = orders::payment::list(state.db.read(), &actor, after, limit).await?;
    Ok(Json(page.map(PaymentOut::from)))
}

/// Paystack's webhook: a charge's success or failure, or a vendor payout's transfer succeeding,
/// failing or reversed, signed with `x-paystack-signature` (the
/// HMAC-SHA512 of the raw body under the business's secret key). A bad or missing signature
/// answers 401 and changes nothing; a repeated or late event changes nothing twice; an amount
/// or currency that is not the order's is kept and flagged, never marks it paid.
#[utoipa::path(
    post,
    path = "/payments/webhooks/paystack",
    tag = "orders",
    request_body(content = String, content_type = "application/json", description = "Paystack's event, as it sent it"),
    params(("x-paystack-signature" = Option<String>, Header, description = "HMAC-SHA512 of the body under the secret key, hex")),
    security(()),
    responses(
        (status = 200, description = "Taken (or already taken)"),
        (status = 401, description = "The signature does not match", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The payment can no longer be settled that way", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn paystack_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, Problem> {
    let signature = headers.get("x-paystack-signature").and_then(|v| v.to_str().ok()).unwrap_or_default();
    // One address carries every kind of event: a transfer's is a vendor's payout.
    if commerce::marketplace::transfers::is_transfer_event(&body) {
        commerce::marketplace::transfers::webhook(state.db.primary(), state.secrets.as_ref(), &body, signature).await?;
    } else {
        orders::paystack::webhook(state.db.primary(), state.secrets.as_ref(), &body, signature).await?;
    }
    Ok(StatusCode::OK)
}
