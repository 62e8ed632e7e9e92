//! `/api/v1/orders`: the business's orders, an order whole, placing one for a customer, and
//! moving one through its life by the same rules as the back office.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use commerce::catalog::VariantId;
use commerce::orders::{self, Address, CheckoutInput, Order, OrderFilter, OrderStatus, OrderSummary, PaymentMethod};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::idempotent::Keyed;
use super::list::{ListParams, Page};
use super::{ApiActor, IdPath, JsonBody, Problem, QueryOf};
use crate::AppState;

/// An order in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderSummaryOut {
    /// Its id.
    pub id: Uuid,
    /// Its number, as people say it (`#1042`).
    pub number: String,
    /// `store`, `pos`, `marketplace` or `draft`.
    pub channel: String,
    /// Where it is in its life.
    #[schema(example = "awaiting_payment")]
    pub status: &'static str,
    /// `pay_on_delivery`, `bank_transfer`, `paystack` or `test_gateway`.
    pub payment_method: &'static str,
    /// Whether the money has arrived.
    pub paid: bool,
    /// Whether a payment reported for it needs checking.
    pub payment_flagged: bool,
    /// Who it is for.
    pub contact_name: String,
    /// Their mobile number (`+234…`).
    pub contact_phone: String,
    /// Units in it.
    pub units: i64,
    /// What the shopper pays, a decimal string.
    #[schema(value_type = String, example = "9000.00")]
    pub total: Decimal,
    /// The currency's code.
    pub currency: &'static str,
    /// When it was placed.
    pub placed_at: DateTime<Utc>,
}

impl From<OrderSummary> for OrderSummaryOut {
    fn from(o: OrderSummary) -> Self {
        Self {
            id: o.id,
            number: o.number,
            channel: o.channel,
            status: o.status.code(),
            payment_method: o.method.code(),
            paid: o.paid,
            payment_flagged: o.payment_flagged,
            contact_name: o.contact_name,
            contact_phone: o.contact_phone,
            units: o.units,
            total: commerce::base::money::exact(o.total.amount),
            currency: o.total.currency.code(),
            placed_at: o.placed_at,
        }
    }
}

/// A line of an order, as it was sold.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderLineOut {
    /// The variant.
    pub variant_id: Uuid,
    /// Its product.
    pub product_id: Uuid,
    /// The name it was sold under.
    pub name: String,
    /// Its SKU then.
    pub sku: String,
    /// One unit's price then.
    #[schema(value_type = String)]
    pub unit_price: Decimal,
    /// How many.
    pub quantity: i32,
    /// Taken off the line.
    #[schema(value_type = String)]
    pub discount: Decimal,
    /// Without VAT.
    #[schema(value_type = String)]
    pub net: Decimal,
    /// The VAT on it.
    #[schema(value_type = String)]
    pub vat: Decimal,
    /// With VAT.
    #[schema(value_type = String)]
    pub total: Decimal,
}

/// A change in an order's life.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderEventOut {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub who: String,
    /// The status before, if it changed.
    pub from: Option<&'static str>,
    /// The status after, if it changed.
    pub to: Option<&'static str>,
    /// What was said.
    pub note: String,
}

/// An address in Nigeria.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressIo {
    /// House number and street, with any landmark.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub line: String,
    /// Town or area.
    #[serde(default)]
    #[schema(max_length = 80)]
    pub city: String,
    /// Local government area: one of the state's (774 in all, the FCT's six area councils
    /// among them; any case, spaces or hyphens), kept as the official list spells it, or empty.
    /// Any other name (a ward or an LCDA such as Yaba) is refused: give it in `city`.
    #[serde(default)]
    #[schema(max_length = 80)]
    pub lga: String,
    /// One of the 36 states or `FCT`.
    #[serde(default)]
    #[schema(example = "Lagos")]
    pub state: String,
}

impl From<Address> for AddressIo {
    fn from(a: Address) -> Self {
        Self { line: a.line, city: a.city, lga: a.lga, state: a.state }
    }
}

/// An order, whole.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderOut {
    /// The order as lists show it.
    #[serde(flatten)]
    pub summary: OrderSummaryOut,
    /// `pickup` or `delivery`.
    pub fulfilment: &'static str,
    /// The customer (none for a walk-in at a till).
    pub customer_id: Option<Uuid>,
    /// Their email, if given.
    pub contact_email: Option<String>,
    /// Where it is delivered.
    pub shipping_address: Option<AddressIo>,
    /// The shop it is collected from.
    pub pickup_location_id: Option<Uuid>,
    /// Its lines.
    pub lines: Vec<OrderLineOut>,
    /// The lines at shelf prices.
    #[schema(value_type = String)]
    pub subtotal: Decimal,
    /// Taken off.
    #[schema(value_type = String)]
    pub discount: Decimal,
    /// The VAT in (or on) it.
    #[schema(value_type = String)]
    pub vat: Decimal,
    /// Delivery.
    #[schema(value_type = String)]
    pub delivery: Decimal,
    /// When an unpaid order is called off.
    pub pay_by: Option<DateTime<Utc>>,
    /// The statuses it may move to now (through `PUT`).
    pub next_statuses: Vec<&'static str>,
    /// Its timeline, oldest first.
    pub events: Vec<OrderEventOut>,
}

impl From<Order> for OrderOut {
    fn from(o: Order) -> Self {
        let units = o.lines.iter().map(|l| i64::from(l.quantity)).sum();
        let next_statuses = o.next().into_iter().map(OrderStatus::code).collect();
        let exact = commerce::base::money::exact;
        Self {
            summary: OrderSummaryOut {
                id: o.id,
                number: o.number,
                channel: o.channel,
                status: o.status.code(),
                payment_method: o.method.code(),
                paid: o.paid,
                payment_flagged: o.payment_flagged,
                contact_name: o.contact_name,
                contact_phone: o.contact_phone,
                units,
                total: exact(o.total.amount),
                currency: o.total.currency.code(),
                placed_at: o.placed_at,
            },
            fulfilment: o.fulfilment.code(),
            customer_id: o.customer,
            contact_email: o.contact_email,
            shipping_address: o.shipping_address.map(AddressIo::from),
            pickup_location_id: o.pickup.map(|p| p.id.0),
            lines: o
                .lines
                .into_iter()
                .map(|l| OrderLineOut {
                    variant_id: l.variant.0,
                    product_id: l.product.0,
                    name: l.name,
                    sku: l.sku,
                    unit_price: exact(l.unit_price.amount),
                    quantity: l.quantity,
                    discount: exact(l.discount.amount),
                    net: exact(l.net.amount),
                    vat: exact(l.vat.amount),
                    total: exact(l.total.amount),
                })
                .collect(),
            subtotal: exact(o.subtotal.amount),
            discount: exact(o.discount.amount),
            vat: exact(o.vat.amount),
            delivery: exact(o.delivery.amount),
            pay_by: o.pay_by,
            next_statuses,
            events: o
                .events
                .into_iter()
                .map(|e| OrderEventOut {
                    at: e.at,
                    who: e.who,
                    from: e.from.map(OrderStatus::code),
                    to: e.to.map(OrderStatus::code),
                    note: e.note,
                })
                .collect(),
        }
    }
}

/// Which orders to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderParams {
    /// An order number, a name or a phone number.
    pub search: Option<String>,
    /// Only this status (`awaiting_payment`, `paid`, `processing`, `ready_for_pickup`,
    /// `shipped`, `delivered`, `completed`, `cancelled`).
    pub status: Option<String>,
    /// Only this channel (`store`, `pos`, `marketplace`, `draft`).
    pub channel: Option<String>,
    /// Only paid (`true`) or unpaid (`false`) orders.
    pub paid: Option<bool>,
    /// Placed at or after.
    pub placed_from: Option<DateTime<Utc>>,
    /// Placed before.
    pub placed_until: Option<DateTime<Utc>>,
    /// Only this customer's orders.
    pub customer_id: Option<Uuid>,
    /// Only orders paid, or to be paid, this way (`pay_on_delivery`, `bank_transfer`, …).
    pub payment_method: Option<String>,
}

/// The business's orders, newest first.
#[utoipa::path(
    get,
    path = "/orders",
    tag = "orders",
    params(ListParams, OrderParams),
    security(("bearer" = ["orders:read"])),
    responses(
        (status = 200, description = "A page of orders", body = Page<OrderSummaryOut>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks orders:read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad filter, limit, sort or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    QueryOf(params): QueryOf<ListParams>,
    QueryOf(filter): QueryOf<OrderParams>,
) -> Result<Json<Page<OrderSummaryOut>>, Problem> {
    let limit = params.limit()?;
    params.newest_first("placed_at")?;
    let status = match filter.status.as_deref() {
        Some(code) => Some(
            OrderStatus::from_code(code)
                .ok_or_else(|| commerce::Error::invalid("status", "not a status orders have"))?,
        ),
        None => None,
    };
    let method = match filter.payment_method.as_deref() {
        Some(code) => Some(
            PaymentMethod::from_code(code)
                .ok_or_else(|| commerce::Error::invalid("payment_method", "not a way orders are paid"))?,
        ),
        None => None,
    };
    let filter = OrderFilter {
        search: filter.search,
        status,
        channel: filter.channel,
        paid: filter.paid,
        from: filter.placed_from,
        until: filter.placed_until,
        customer: filter.customer_id,
        method,
    };
    let after: Option<(DateTime<Utc>, Uuid)> = params.cursor()?;
    let page = orders::work::list(state.db.read(), &actor, &filter, after, limit).await?;
    Ok(Json(page.map(OrderSummaryOut::from)))
}

/// One order, whole.
#[utoipa::path(
    get,
    path = "/orders/{id}",
    tag = "orders",
    params(("id" = Uuid, Path, description = "The order's id")),
    security(("bearer" = ["orders:read"])),
    responses(
        (status = 200, description = "The order", body = OrderOut),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks orders:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order in this business", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
) -> Result<Json<OrderOut>, Problem> {
    Ok(Json(orders::work::get(state.db.primary(), &actor, id).await?.into()))
}

/// A line of a new order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLineIn {
    /// The variant.
    pub variant_id: Uuid,
    /// How many, 1 to 1,000,000.
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub quantity: i32,
}

/// An order placed for a customer (one who ordered by phone, or an integration's). Its
/// channel is `draft`; prices are the catalog's now.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Ada Obi", "phone": "0803 123 4567", "fulfilment": "delivery",
    "address": { "line": "12 Allen Avenue", "city": "Ikeja", "state": "Lagos" },
    "payment_method": "bank_transfer", "lines": [{ "variant_id": "0193a5b0-0000-7000-8000-000000000000", "quantity": 2 }]
}))]
pub struct OrderIn {
    /// Who it is for.
    #[schema(min_length = 1, max_length = 120)]
    pub name: String,
    /// Their Nigerian mobile number, written any usual way.
    pub phone: String,
    /// Their email (optional).
    #[serde(default)]
    pub email: String,
    /// `delivery` or `pickup`.
    #[schema(pattern = "^(delivery|pickup)$")]
    pub fulfilment: String,
    /// The shop to collect from, for pickup.
    #[serde(default)]
    pub pickup_location_id: Option<Uuid>,
    /// Where to deliver, for delivery.
    #[serde(default)]
    pub address: Option<AddressIo>,
    /// `pay_on_delivery`, `bank_transfer` or `test_gateway`, as the business offers them.
    pub payment_method: String,
    /// A note on the order.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub note: String,
    /// Its lines, 1 to 100, each variant once.
    pub lines: Vec<OrderLineIn>,
}

/// An order just placed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PlacedOut {
    /// Its id.
    pub id: Uuid,
    /// Its number.
    pub number: String,
    /// The page the customer pays and follows it on (the payment link to share).
    pub payment_link: String,
}

/// Places an order for a customer: its stock is held (taken at once when paid on delivery),
/// and its page is a payment link to share. Send an `Idempotency-Key` to make retries safe.
#[utoipa::path(
    post,
    path = "/orders",
    tag = "orders",
    request_body = OrderIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer")),
    security(("bearer" = ["orders:write"])),
    responses(
        (status = 201, description = "Placed", body = PlacedOut),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks orders:write", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A line's stock is not there, or the first request with this key is still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong, or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    keyed: Keyed,
    JsonBody { value, bytes }: JsonBody<OrderIn>,
) -> Result<Response, Problem> {
    let lines: Vec<(VariantId, i32)> = value.lines.iter().map(|l| (VariantId(l.variant_id), l.quantity)).collect();
    let address = value.address.unwrap_or_default();
    let input = CheckoutInput {
        name: value.name,
        phone: value.phone,
        email: value.email,
        fulfilment: value.fulfilment,
        pickup_location: value.pickup_location_id,
        address: Address { line: address.line, city: address.city, lga: address.lga, state: address.state },
        payment: value.payment_method,
        note: value.note,
        marketing_consent: false,
    };
    let public_url = state.site.public_url.clone();
    keyed
        .run(&actor, &bytes, async |once| {
            let placed = orders::checkout::place_for_customer(state.db.primary(), &actor, &input, &lines, once).await?;
            let out = PlacedOut {
                id: placed.order,
                number: placed.number,
                payment_link: format!("{public_url}{}", placed.link),
            };
            Ok((StatusCode::CREATED, Json(out)))
        })
        .await
}

/// A move of an order to another status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "status": "processing", "note": "Packing now" }))]
pub struct OrderChange {
    /// The status to move to: one of the order's `next_statuses`.
    pub status: String,
    /// A note for the order's timeline.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub note: String,
}

/// Moves an order to another status, by the same rules as the back office: only to one of its
/// `next_statuses` (calling it off gives its stock back).
#[utoipa::path(
    put,
    path = "/orders/{id}",
    tag = "orders",
    request_body = OrderChange,
    params(("id" = Uuid, Path, description = "The order's id")),
    security(("bearer" = ["orders:write"])),
    responses(
        (status = 200, description = "The order after the move", body = OrderOut),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks orders:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order in this business", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order cannot move to that status now", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a status, or a note too long", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    IdPath(id): IdPath,
    JsonBody { value, .. }: JsonBody<OrderChange>,
) -> Result<Json<OrderOut>, Problem> {
    let to = OrderStatus::from_code(&value.status)
        .ok_or_else(|| commerce::Error::invalid("status", "not a status orders have"))?;
    Ok(Json(orders::work::move_to(state.db.primary(), &actor, id, to, &value.note, None).await?.into()))
}
