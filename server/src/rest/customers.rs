//! `/api/v1/customers`: the people the business sells to.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use commerce::orders::{self, Customer};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::list::{ListParams, Page};
use super::{ApiActor, IdPath, Problem, QueryOf};
use crate::AppState;

/// A customer, with what they have bought.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerOut {
    /// Their id.
    pub id: Uuid,
    /// Their name (empty once erased).
    pub name: String,
    /// Their mobile number (`+234…`).
    pub phone: Option<String>,
    /// Their email.
    pub email: Option<String>,
    /// Whether they have an account at the store.
    pub has_account: bool,
    /// Whether they agreed to hear of offers.
    pub marketing_consent: bool,
    /// When they agreed.
    pub consent_at: Option<DateTime<Utc>>,
    /// Orders they placed.
    pub orders: i64,
    /// What their paid orders came to, a decimal string.
    #[schema(value_type = String, example = "27500.00")]
    pub lifetime_value: Decimal,
    /// The currency's code.
    pub currency: &'static str,
    /// When they last ordered.
    pub last_order_at: Option<DateTime<Utc>>,
    /// When they became a customer.
    pub created_at: DateTime<Utc>,
    /// When their details were erased at their request.
    pub erased_at: Option<DateTime<Utc>>,
}

impl From<Customer> for CustomerOut {
    fn from(c: Customer) -> Self {
        Self {
            id: c.id,
            name: c.name,
            phone: c.phone,
            email: c.email,
            has_account: c.has_account,
            marketing_consent: c.marketing_consent,
            consent_at: c.consent_at,
            orders: c.orders,
            lifetime_value: commerce::base::money::exact(c.lifetime_value.amount),
            currency: c.lifetime_value.currency.code(),
            last_order_at: c.last_order_at,
            created_at: c.created_at,
            erased_at: c.erased_at,
        }
    }
}

/// Which customers to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerParams {
    /// A name, a phone number or an email.
    pub search: Option<String>,
}

/// The business's customers, newest first.
#[utoipa::path(
    get,
    path = "/customers",
    tag = "orders",
    params(ListParams, CustomerParams),
    security(("bearer" = ["orders:read"])),
    responses(
        (status = 200, description = "A page of customers", body = Page<CustomerOut>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks orders:read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad limit, sort or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    QueryOf(params): QueryOf<ListParams>,
    QueryOf(filter): QueryOf<CustomerParams>,
) -> Result<Json<Page<CustomerOut>>, Problem> {
    let limit = params.limit()?;
    params.newest_first("created_at")?;
    let after: Option<(DateTime<Utc>, Uuid)> = params.cursor()?;
    let page = orders::customer::list(state.db.read(), &actor, filter.search.as_deref(), after, limit).await?;
    Ok(Json(page.map(CustomerOut::from)))
}

/// One customer.
#[utoipa::path(
    get,
    path = "/customers/{id}",
    tag = "orders",
    params(("id" = Uuid, Path, description = "The customer's id")),
    security(("bearer" = ["orders:read"])),
    responses(
        (status = 200, description = "The customer", body = CustomerOut),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks orders:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer in this business", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
) -> Result<Json<CustomerOut>, Problem> {
    Ok(Json(orders::customer::get(state.db.read(), &actor, id).await?.into()))
}
