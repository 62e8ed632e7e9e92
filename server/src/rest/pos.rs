//! `/api/v1/pos`: what tills use. A device enrols as a register with the one-time code a manager
//! was shown, and from then on presents its own credential (`Authorization: Bearer …`) to
//! download what it sells offline and to send what it made. Shifts and their reports are read
//! by API clients with `orders:read`.

use axum::Json;
use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use commerce::identity::session::ClientInfo;
use commerce::pos::register::{self, Register};
use commerce::pos::{
    Batch, Document, Enrolment, Receipt, ShiftReport, ShiftSummary, SoldReceipt, TillData, catalog, shift, sync,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::list::{ListParams, Page};
use super::{ApiActor, IdPath, JsonBody, Problem, QueryOf};
use crate::AppState;

/// The register whose credential a request carries.
pub struct RegisterAuth(pub Register);

impl<S> FromRequestParts<S> for RegisterAuth
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let challenge = |detail: &str| {
            let problem = Problem::from(commerce::Error::Unauthorized(detail.to_owned()));
            ([(header::WWW_AUTHENTICATE, "Bearer realm=\"sc1-till\"")], problem).into_response()
        };
        let Some(bearer) = super::auth::bearer(&parts.headers) else {
            return Err(challenge("Send the register's credential: Authorization: Bearer <credential>."));
        };
        match register::by_credential(state.db.primary(), bearer).await {
            Ok(Some(register)) => Ok(Self(register)),
            Ok(None) => Err(challenge("This is not a register's credential; enrol the till again.")),
            Err(error) => Err(Problem::from(error).into_response()),
        }
    }
}

/// The code a manager was shown when they added the register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "code": "K7QX-2M9P" }))]
pub struct EnrolIn {
    /// Eight letters and digits; dashes and spaces are ignored.
    #[schema(min_length = 1, max_length = 40)]
    pub code: String,
}

/// Enrols this device as the register the code belongs to, answering its credential (shown
/// this once). A code works once, for 30 minutes; ten tries in ten minutes from one address.
#[utoipa::path(
    post,
    path = "/pos/enrol",
    tag = "pos",
    request_body = EnrolIn,
    responses(
        (status = 201, description = "Enrolled", body = Enrolment),
        (status = 401, description = "The code is wrong, used or expired", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No code", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many tries", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn enrol(
    State(state): State<AppState>,
    client: Option<axum::Extension<ClientInfo>>,
    JsonBody { value, .. }: JsonBody<EnrolIn>,
) -> Result<Response, Problem> {
    let address = client.map(|c| c.0.ip).unwrap_or_default();
    let enrolled = register::enrol(state.db.primary(), &value.code, &address).await?;
    Ok((StatusCode::CREATED, Json(enrolled)).into_response())
}

/// What the till asks for.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TillQuery {
    /// The `as_of` of the last answer: only what changed since is sent. Left out, everything.
    pub since: Option<DateTime<Utc>>,
    /// The `more_after` of the last answer, for the next part of a long catalog.
    pub after: Option<Uuid>,
}

/// Everything the till sells offline with (or what changed of it): its register and shop, the
/// business's VAT rule, products with prices and barcodes, who may sign in (with their PIN's
/// PBKDF2 check) and customers.
#[utoipa::path(
    get,
    path = "/pos/till",
    tag = "pos",
    params(TillQuery),
    security(("register" = [])),
    responses(
        (status = 200, description = "The till's data", body = TillData),
        (status = 401, description = "No register's credential", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The register was revoked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad time or id", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn till(
    State(state): State<AppState>,
    RegisterAuth(register): RegisterAuth,
    QueryOf(query): QueryOf<TillQuery>,
) -> Result<Json<TillData>, Problem> {
    Ok(Json(catalog::till_data(state.db.primary(), &register, query.since, query.after).await?))
}

/// A till sale by its receipt number (any register's of the business), with what came back of
/// each line already: for goods brought back to another till.
#[utoipa::path(
    get,
    path = "/pos/receipts/{receipt}",
    tag = "pos",
    params(("receipt" = String, Path, description = "The sale's receipt number (R01-000057)")),
    security(("register" = [])),
    responses(
        (status = 200, description = "The sale", body = SoldReceipt),
        (status = 401, description = "No register's credential", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The register was revoked", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No till sale has that number", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn receipt(
    State(state): State<AppState>,
    RegisterAuth(register): RegisterAuth,
    axum::extract::Path(receipt): axum::extract::Path<String>,
) -> Result<Json<SoldReceipt>, Problem> {
    Ok(Json(catalog::sold(state.db.primary(), &register, &receipt).await?))
}

/// One document, or a batch of them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum TransactionsIn {
    /// A batch: up to 500 documents, in the order they depend on each other.
    Batch(Batch),
    /// One document.
    One(Document),
}

/// Books what the till made (shifts, customers, sales, returns, cash movements, closes), each
/// exactly once by the id the till gave it. A document sent again is acknowledged, never
/// booked twice; one that cannot be booked is kept for a manager and answered as refused,
/// and the rest of the batch goes on. Sales are booked even past the stock (the goods have
/// left the shop).
#[utoipa::path(
    post,
    path = "/pos/transactions",
    tag = "pos",
    request_body = TransactionsIn,
    security(("register" = [])),
    responses(
        (status = 200, description = "Each document's outcome, in the order sent", body = Receipt),
        (status = 401, description = "No register's credential", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The batch is wrong as a whole (empty, too long, a document twice, not JSON)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Try again shortly", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn transactions(
    State(state): State<AppState>,
    RegisterAuth(register): RegisterAuth,
    JsonBody { value, .. }: JsonBody<TransactionsIn>,
) -> Result<Json<Receipt>, Problem> {
    let batch = match value {
        TransactionsIn::Batch(batch) => batch,
        TransactionsIn::One(document) => Batch { documents: vec![document] },
    };
    Ok(Json(sync::receive(state.db.primary(), &register, &batch).await?))
}

/// The business's till shifts, newest first.
#[utoipa::path(
    get,
    path = "/pos/shifts",
    tag = "pos",
    params(ListParams),
    security(("bearer" = ["orders:read"])),
    responses(
        (status = 200, description = "A page of shifts", body = Page<ShiftSummary>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks orders:read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad limit, sort or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn shifts(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    QueryOf(params): QueryOf<ListParams>,
) -> Result<Json<Page<ShiftSummary>>, Problem> {
    let limit = params.limit()?;
    params.newest_first("opened_at")?;
    let before: Option<(DateTime<Utc>, Uuid)> = params.cursor()?;
    let rows = shift::list(state.db.read(), &actor, before, limit + 1).await?;
    Ok(Json(Page::from_extra(rows, limit, |s| (s.opened_at, s.id))))
}

/// A shift's report: its sales and returns, and for each tender what it should hold against
/// what was counted (the Z report once closed).
#[utoipa::path(
    get,
    path = "/pos/shifts/{id}",
    tag = "pos",
    params(("id" = Uuid, Path, description = "The shift's id")),
    security(("bearer" = ["orders:read"])),
    responses(
        (status = 200, description = "The shift's report", body = ShiftReport),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks orders:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shift", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn shift_report(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
) -> Result<Json<ShiftReport>, Problem> {
    Ok(Json(shift::report(state.db.read(), &actor, id).await?))
}
