//! `/api/v1/marketplace/vendors`: the marketplace's vendors, their details and standing, by the
//! same rules as the back office's Vendors page.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use commerce::base::VendorId;
use commerce::marketplace::vendor::{self, VendorChange};
use commerce::marketplace::{BankDetails, Vendor, VendorDetails, VendorFilter, VendorStatus, VendorSummary};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::idempotent::Keyed;
use super::list::{ListParams, Page};
use super::{ApiActor, IdPath, JsonBody, Problem, QueryOf};
use crate::AppState;

/// Filters for the vendor list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VendorQuery {
    /// Only vendors standing so: `applied`, `changes_requested`, `approved`, `rejected`, `suspended`.
    pub status: Option<String>,
    /// Words in the name, contact, email or phone.
    pub q: Option<String>,
}

/// A vendor added by the operator: its details and, optionally, where it is paid.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "details": {"name": "Alaba Sound Systems", "contact_name": "Emeka Obi", "email": "emeka@alabasound.ng",
                "phone": "0803 555 0101", "state": "Lagos", "cac_number": "BN 2345678"},
    "bank": {"bank_code": "011", "account_number": "0000014579", "account_name": "Alaba Sound Systems"}
}))]
pub struct VendorIn {
    /// Its details.
    pub details: VendorDetails,
    /// Where its money goes; the vendor's owner may change it later, the operator may not.
    pub bank: Option<BankDetails>,
}

/// A change to a vendor; what is left out stays as it is. Several parts are made together or
/// not at all.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "status": "changes_requested", "reason": "Upload your CAC certificate, please." }))]
pub struct VendorUpdate {
    /// New details, whole.
    pub details: Option<VendorDetails>,
    /// The standing to move to: one of the vendor's `moves`.
    pub status: Option<VendorStatus>,
    /// Why, for the vendor to read: required to ask for changes, reject or suspend.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub reason: String,
    /// Whether its new and changed products wait for approval.
    pub moderated: Option<bool>,
}

/// The marketplace's vendors, newest first (`sort=-created_at`), narrowed by standing and words.
#[utoipa::path(
    get,
    path = "/marketplace/vendors",
    tag = "marketplace",
    params(ListParams, VendorQuery),
    security(("bearer" = ["marketplace:read"])),
    responses(
        (status = 200, description = "A page of vendors", body = Page<VendorSummary>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks marketplace:read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad filter, limit, sort or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    QueryOf(params): QueryOf<ListParams>,
    QueryOf(query): QueryOf<VendorQuery>,
) -> Result<Json<Page<VendorSummary>>, Problem> {
    let limit = params.limit()?;
    params.newest_first("created_at")?;
    let status = match query.status.as_deref() {
        None | Some("") => None,
        Some(code) => Some(VendorStatus::from_code(code).ok_or_else(|| {
            commerce::Error::invalid("status", "one of applied, changes_requested, approved, rejected, suspended")
        })?),
    };
    let filter = VendorFilter { status, search: query.q };
    Ok(Json(vendor::list(state.db.read(), &actor, &filter, params.cursor.as_deref(), limit).await?))
}

/// Adds a vendor, waiting for review like any application. Send an `Idempotency-Key` to make
/// retries safe.
#[utoipa::path(
    post,
    path = "/marketplace/vendors",
    tag = "marketplace",
    request_body = VendorIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer")),
    security(("bearer" = ["marketplace:write"])),
    responses(
        (status = 201, description = "Created", body = Vendor),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks marketplace:write", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The business runs no marketplace, or the first request with this key is still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong, or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    keyed: Keyed,
    JsonBody { value, bytes }: JsonBody<VendorIn>,
) -> Result<Response, Problem> {
    keyed
        .run(&actor, &bytes, async |once| {
            let keyring = state.secrets.as_ref();
            let made =
                vendor::create(state.db.primary(), &actor, keyring, &value.details, value.bank.as_ref(), once).await?;
            Ok((StatusCode::CREATED, Json(made)))
        })
        .await
}

/// One vendor: its details, standing, documents (their names; the files are the back office's),
/// history, and the `moves` the token may make.
#[utoipa::path(
    get,
    path = "/marketplace/vendors/{id}",
    tag = "marketplace",
    params(("id" = Uuid, Path, description = "The vendor's id")),
    security(("bearer" = ["marketplace:read"])),
    responses(
        (status = 200, description = "The vendor", body = Vendor),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks marketplace:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such vendor in this business", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
) -> Result<Json<Vendor>, Problem> {
    Ok(Json(vendor::get(state.db.read(), &actor, VendorId(id)).await?))
}

/// Changes a vendor's details, standing or moderation, by the same rules as the back office:
/// a standing only to one of its `moves`, with a reason where the vendor must be told why.
#[utoipa::path(
    put,
    path = "/marketplace/vendors/{id}",
    tag = "marketplace",
    request_body = VendorUpdate,
    params(("id" = Uuid, Path, description = "The vendor's id")),
    security(("bearer" = ["marketplace:write"])),
    responses(
        (status = 200, description = "The vendor after the change", body = Vendor),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks marketplace:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such vendor in this business", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The vendor cannot move to that standing now", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong, or a reason is missing", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
    JsonBody { value, .. }: JsonBody<VendorUpdate>,
) -> Result<Json<Vendor>, Problem> {
    let change =
        VendorChange { details: value.details, status: value.status, reason: value.reason, moderated: value.moderated };
    Ok(Json(vendor::change(state.db.primary(), &actor, VendorId(id), &change, None).await?))
}
