//! Working orders: the list and the order itself for the back office, moving an order through
//! its life by [`super::status::allowed`] alone, calling it off (its stock back on the shelf),
//! notes, and every change written to its timeline. Shoppers read their own orders here too,
//! by the key their confirmation carries or by number and phone.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::{
    Address, Fulfilment, Order, OrderEvent, OrderFilter, OrderLine, OrderStatus, OrderSummary, Payment, PaymentMethod,
    PickupShop, order_number, status,
};
use crate::base::page::Page;
use crate::base::{Actor, LocationId, Permission, TenantId, phone};
use crate::catalog::{ProductId, VariantId};
use crate::db::tenant_tx;
use crate::idempotency::{self, Once};
use crate::inventory::reserve;
use crate::{Clash, Currency, Error, Money};

/// Who a timeline entry names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Who(String);

impl Who {
    /// The person or client acting.
    pub fn of(actor: &Actor) -> Self {
        Self(match actor {
            Actor::Staff(member) => member.name.clone(),
            Actor::Visitor { .. } => "Shopper".to_owned(),
            Actor::Shopper { name, .. } => format!("{name} (shopper)"),
            Actor::ApiClient { name, .. } => format!("API client {name}"),
            Actor::PlatformAdmin { name, .. } => format!("{name} (platform)"),
        })
    }

    /// The suite itself (the worker).
    pub fn system() -> Self {
        Self("System".to_owned())
    }

    /// A payment gateway.
    pub fn gateway(name: &str) -> Self {
        Self(name.to_owned())
    }

    /// The name as the timeline shows it.
    pub fn name(&self) -> &str {
        &self.0
    }
}

/// The step that writes an entry in an order's timeline.
pub async fn event(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
    who: &Who,
    from: Option<OrderStatus>,
    to: Option<OrderStatus>,
    note: &str,
) -> Result<(), Error> {
    sqlx::query!(
        "INSERT INTO order_events (tenant_id, id, order_id, who, from_status, to_status, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        tenant.0,
        Uuid::now_v7(),
        order,
        who.0,
        from.map(OrderStatus::code),
        to.map(OrderStatus::code),
        note
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The step that tells the shopper of a change to their order, by the outbox, when they gave
/// an email: `what` says what happened ("is on its way").
pub(super) async fn tell_shopper(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
    what: &str,
) -> Result<(), Error> {
    let row = sqlx::query!(
        "SELECT contact_email, contact_name, prefix, number FROM orders WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        order
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(row) = row
        && let Some(email) = row.contact_email
    {
        let shown = order_number(&row.prefix, row.number);
        let body = format!(
            "Hello {}, your order {shown} {what}.\n\nFollow it on our store's \"Track an order\" page with its number and \
             your phone number.",
            row.contact_name
        );
        crate::identity::outbox::send_later(tx, tenant, &email, &format!("Your order {shown} {what}"), &body).await?;
    }
    Ok(())
}

/// What a shopper is told when their order reaches `status`; none for a step they need not hear of.
pub(super) fn news(status: OrderStatus, fulfilment: Fulfilment) -> Option<&'static str> {
    match status {
        OrderStatus::Paid => Some("is paid"),
        OrderStatus::Processing => Some("is being prepared"),
        OrderStatus::ReadyForPickup => Some("is ready for pickup"),
        OrderStatus::Shipped => Some("is on its way"),
        OrderStatus::Delivered if fulfilment == Fulfilment::Delivery => Some("was delivered"),
        OrderStatus::Cancelled => Some("was called off"),
        OrderStatus::AwaitingPayment | OrderStatus::Delivered | OrderStatus::Completed => None,
    }
}

/// How an order reaches its shopper.
pub(super) async fn fulfilment_of(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
) -> Result<Fulfilment, Error> {
    let code = sqlx::query_scalar!("SELECT fulfilment FROM orders WHERE tenant_id = $1 AND id = $2", tenant.0, order)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("order"))?;
    Fulfilment::from_code(&code).ok_or(Error::Internal)
}

/// A page of the business's orders, newest first, as `filter` narrows them, from the key in
/// `after` (the last row's placing time and id).
pub async fn list(
    db: &sqlx::PgPool,
    actor: &Actor,
    filter: &OrderFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Page<OrderSummary>, Error> {
    let scope = actor.require(Permission::ViewOrders)?;
    scope.whole_business("see orders")?;
    let tenant = scope.tenant;
    let search = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(search) = search {
        Error::refuse_nul("search", search)?;
    }
    if let Some(channel) = &filter.channel
        && !super::CHANNELS.contains(&channel.as_str())
    {
        return Err(Error::invalid("channel", "one of store, pos, marketplace, draft"));
    }
    let number = search.and_then(|s| s.trim_start_matches(|c: char| !c.is_ascii_digit()).parse::<i64>().ok());
    let phone = search.and_then(phone::nigerian_mobile);
    let name = search.map(|s| format!("%{}%", crate::catalog::product::escape_like(s)));
    let (after_at, after_id) = after.unzip();
    let limit = limit.clamp(1, 200);
    let mut tx = tenant_tx(db, tenant).await?;
    let rows = sqlx::query_as!(
        SummaryRow,
        r#"SELECT o.id, o.view_key, o.prefix, o.number, o.channel, o.status, o.payment_method, o.paid,
                  o.payment_flagged, o.contact_name, o.contact_phone, o.total, o.currency, o.placed_at,
                  (SELECT coalesce(sum(l.quantity), 0) FROM order_lines l
                    WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id)::bigint AS "units!"
             FROM orders o
            WHERE o.tenant_id = $1
              AND ($2::text IS NULL OR o.number = $3 OR o.contact_phone = $4 OR o.contact_name ILIKE $5)
              AND ($6::text IS NULL OR o.status = $6)
              AND ($7::text IS NULL OR o.channel = $7)
              AND ($8::boolean IS NULL OR o.paid = $8)
              AND ($9::timestamptz IS NULL OR o.placed_at >= $9)
              AND ($10::timestamptz IS NULL OR o.placed_at < $10)
              AND ($11::timestamptz IS NULL OR (o.placed_at, o.id) < ($11, $12))
              AND ($14::uuid IS NULL OR o.customer_id = $14)
              AND ($15::text IS NULL OR o.payment_method = $15)
            ORDER BY o.placed_at DESC, o.id DESC
            LIMIT $13"#,
        tenant.0,
        search,
        number,
        phone,
        name,
        filter.status.map(OrderStatus::code),
        filter.channel,
        filter.paid,
        filter.from,
        filter.until,
        after_at,
        after_id,
        limit + 1,
        filter.customer,
        filter.method.map(PaymentMethod::code),
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let rows = rows.into_iter().map(SummaryRow::summary).collect::<Result<Vec<_>, Error>>()?;
    Ok(Page::from_extra(rows, limit, |o| (o.placed_at, o.id)))
}

/// An order of the business, whole.
pub async fn get(db: &sqlx::PgPool, actor: &Actor, id: Uuid) -> Result<Order, Error> {
    let scope = actor.require(Permission::ViewOrders)?;
    scope.whole_business("see orders")?;
    let tenant = scope.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let order = load_in(&mut tx, tenant, Key::Id(id)).await?;
    tx.commit().await?;
    Ok(order)
}

/// The order whose page this key opens, for the shopper who placed it.
pub async fn for_shopper(db: &sqlx::PgPool, actor: &Actor, view_key: Uuid) -> Result<Order, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let mut order = load_in(&mut tx, tenant, Key::View(view_key)).await?;
    tx.commit().await?;
    // The shopper sees where their order is and when it moved, not the business's notes, who
    // did what, or why a payment is being checked.
    order.events.retain(|e| e.to.is_some());
    for event in &mut order.events {
        event.who.clear();
        event.note.clear();
    }
    for payment in &mut order.payments {
        payment.flag_reason.clear();
    }
    // Nor what the marketplace keeps of each seller's sale.
    for line in &mut order.lines {
        line.commission = None;
        line.commission_rule.clear();
    }
    for part in &mut order.parts {
        part.commission = None;
        part.cash = None;
    }
    Ok(order)
}

/// Finds an order by its number and the phone number or email it was placed with, for a
/// shopper tracking it: the key to its page. Not found unless both match. Limited per address
/// the request came from, so numbers and phones cannot be tried by the thousand.
pub async fn track(
    db: &sqlx::PgPool,
    actor: &Actor,
    number: &str,
    contact: &str,
    address: &str,
) -> Result<Uuid, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    let limit = crate::throttle::Limit { limit: 30, window_seconds: 600 };
    crate::throttle::hit(db, &[(format!("track:{}:{address}", tenant.0), limit)]).await?;
    let digits = number.trim().trim_start_matches(|c: char| !c.is_ascii_digit());
    let number =
        digits.parse::<i64>().map_err(|_| Error::invalid("number", "enter the order's number, such as 1042"))?;
    let contact = contact.trim();
    if contact.is_empty() || contact.contains('\0') {
        return Err(Error::invalid("contact", "enter the phone number or email the order was placed with"));
    }
    let phone = phone::nigerian_mobile(contact);
    let email = contact.to_lowercase();
    let mut tx = tenant_tx(db, tenant).await?;
    let key = sqlx::query_scalar!(
        "SELECT view_key FROM orders
          WHERE tenant_id = $1 AND number = $2 AND (contact_phone = $3 OR contact_email = $4)",
        tenant.0,
        number,
        phone,
        email
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    key.ok_or_else(|| Error::not_found("order with that number and phone number or email"))
}

/// A signed-in shopper's orders, newest first.
pub async fn mine(db: &sqlx::PgPool, actor: &Actor) -> Result<Vec<(OrderSummary, Uuid)>, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    let Actor::Shopper { shopper, .. } = actor else { return Ok(Vec::new()) };
    let mut tx = tenant_tx(db, tenant).await?;
    let rows = sqlx::query_as!(
        SummaryRow,
        r#"SELECT o.id, o.view_key, o.prefix, o.number, o.channel, o.status, o.payment_method, o.paid,
                  o.payment_flagged, o.contact_name, o.contact_phone, o.total, o.currency, o.placed_at,
                  (SELECT coalesce(sum(l.quantity), 0) FROM order_lines l
                    WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id)::bigint AS "units!"
             FROM orders o
            WHERE o.tenant_id = $1 AND o.shopper_id = $2
            ORDER BY o.placed_at DESC, o.id DESC
            LIMIT 200"#,
        tenant.0,
        shopper
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    rows.into_iter()
        .map(|row| {
            let key = row.view_key;
            row.summary().map(|summary| (summary, key))
        })
        .collect()
}

/// An order as lists read it.
struct SummaryRow {
    id: Uuid,
    view_key: Uuid,
    prefix: String,
    number: i64,
    channel: String,
    status: String,
    payment_method: String,
    paid: bool,
    payment_flagged: bool,
    contact_name: String,
    contact_phone: String,
    total: Decimal,
    currency: String,
    placed_at: DateTime<Utc>,
    units: i64,
}

impl SummaryRow {
    fn summary(self) -> Result<OrderSummary, Error> {
        let currency = Currency::from_code(&self.currency).ok_or(Error::Internal)?;
        Ok(OrderSummary {
            id: self.id,
            number: order_number(&self.prefix, self.number),
            channel: self.channel,
            status: OrderStatus::from_code(&self.status).ok_or(Error::Internal)?,
            method: PaymentMethod::from_code(&self.payment_method).ok_or(Error::Internal)?,
            paid: self.paid,
            payment_flagged: self.payment_flagged,
            contact_name: self.contact_name,
            contact_phone: self.contact_phone,
            units: self.units,
            total: Money::new(self.total, currency),
            placed_at: self.placed_at,
        })
    }
}

/// Moves an order to `to`, if its status, how it reaches the shopper and how it is paid allow
/// it ([`status::allowed`]), with a note for its timeline. Calling it off gives its stock
/// back. An order paid on delivery is paid when it is delivered (or collected).
pub async fn move_to(
    db: &sqlx::PgPool,
    actor: &Actor,
    id: Uuid,
    to: OrderStatus,
    note: &str,
    once: Option<&Once>,
) -> Result<Order, Error> {
    let scope = actor.require(Permission::ManageOrders)?;
    scope.whole_business("work orders")?;
    let tenant = scope.tenant;
    let note = check_note(note)?;
    idempotency::run(db, tenant, once, async |tx| {
        if to == OrderStatus::Cancelled {
            cancel_in(tx, tenant, Some(actor), &Who::of(actor), id, note).await?;
        } else {
            move_in(tx, tenant, actor, id, to, note).await?;
        }
        load_in(tx, tenant, Key::Id(id)).await
    })
    .await
}

/// Adds a note to an order's timeline.
pub async fn add_note(
    db: &sqlx::PgPool,
    actor: &Actor,
    id: Uuid,
    note: &str,
    once: Option<&Once>,
) -> Result<Order, Error> {
    let scope = actor.require(Permission::ManageOrders)?;
    scope.whole_business("work orders")?;
    let tenant = scope.tenant;
    let note = check_note(note)?;
    if note.is_empty() {
        return Err(Error::invalid("note", "required"));
    }
    idempotency::run(db, tenant, once, async |tx| {
        lock(tx, tenant, id).await?;
        event(tx, tenant, id, &Who::of(actor), None, None, note).await?;
        load_in(tx, tenant, Key::Id(id)).await
    })
    .await
}

/// A timeline note, trimmed: at most 500 characters.
pub(super) fn check_note(note: &str) -> Result<&str, Error> {
    let note = note.trim();
    // Room is left for what the suite adds to it ("Paid on delivery.", a refund to make).
    if note.chars().count() > 400 {
        return Err(Error::invalid("note", "at most 400 characters"));
    }
    Error::refuse_nul("note", note)?;
    Ok(note)
}

/// An order's state, locked for a change.
struct Locked {
    status: OrderStatus,
    fulfilment: Fulfilment,
    method: PaymentMethod,
    paid: bool,
    shown: String,
    in_parts: bool,
}

async fn lock(tx: &mut sqlx::PgConnection, tenant: TenantId, id: Uuid) -> Result<Locked, Error> {
    let row = sqlx::query!(
        r#"SELECT status, fulfilment, payment_method, paid, prefix, number,
                  EXISTS (SELECT 1 FROM order_parts p WHERE p.tenant_id = o.tenant_id AND p.order_id = o.id)
                      AS "in_parts!"
             FROM orders o
            WHERE tenant_id = $1 AND id = $2 FOR UPDATE"#,
        tenant.0,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("order"))?;
    Ok(Locked {
        status: OrderStatus::from_code(&row.status).ok_or(Error::Internal)?,
        fulfilment: Fulfilment::from_code(&row.fulfilment).ok_or(Error::Internal)?,
        method: PaymentMethod::from_code(&row.payment_method).ok_or(Error::Internal)?,
        paid: row.paid,
        shown: order_number(&row.prefix, row.number),
        in_parts: row.in_parts,
    })
}

fn refused(from: OrderStatus, to: OrderStatus) -> Error {
    Error::conflict(
        Clash::WrongState,
        format!("An order that is {} cannot become {}.", from.label().to_lowercase(), to.label().to_lowercase()),
    )
}

async fn move_in(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: Uuid,
    to: OrderStatus,
    note: &str,
) -> Result<(), Error> {
    let order = lock(tx, tenant, id).await?;
    if order.in_parts {
        return Err(Error::conflict(
            Clash::WrongState,
            "This order is in parts, one per seller: move each part on its own (or call the whole order off).",
        ));
    }
    if to == OrderStatus::Paid {
        return Err(Error::conflict(
            Clash::WrongState,
            "An order is paid when its payment is confirmed (a transfer on the order's page, a card by its gateway).",
        ));
    }
    if !status::allowed(order.status, to, order.fulfilment, order.method.settlement()) {
        return Err(refused(order.status, to));
    }
    // Paid at the door: the money is in hand once the goods are.
    let paid_now = order.method == PaymentMethod::PayOnDelivery
        && !order.paid
        && matches!(to, OrderStatus::Delivered | OrderStatus::Completed);
    sqlx::query!(
        "UPDATE orders SET status = $3, paid = paid OR $4, paid_at = CASE WHEN $4 THEN now() ELSE paid_at END,
                updated_at = now()
          WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        id,
        to.code(),
        paid_now
    )
    .execute(&mut *tx)
    .await?;
    if paid_now {
        sqlx::query!(
            "UPDATE payments SET status = 'succeeded', updated_at = now(),
                    answer = jsonb_build_object('collected_by', $3::text)
              WHERE tenant_id = $1 AND order_id = $2 AND status = 'pending'",
            tenant.0,
            id,
            actor.label()
        )
        .execute(&mut *tx)
        .await?;
    }
    let note = match (paid_now, note.is_empty()) {
        (true, true) => "Paid on delivery.".to_owned(),
        (true, false) => format!("Paid on delivery. {note}"),
        (false, _) => note.to_owned(),
    };
    event(tx, tenant, id, &Who::of(actor), Some(order.status), Some(to), &note).await?;
    if let Some(what) = news(to, order.fulfilment) {
        tell_shopper(tx, tenant, id, what).await?;
    }
    audit_move(tx, tenant, actor, id, &order, to).await
}

/// The audit row of an order's move from its locked status to `to`.
async fn audit_move(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: Uuid,
    order: &Locked,
    to: OrderStatus,
) -> Result<(), Error> {
    let action = if to == OrderStatus::Cancelled { "cancel" } else { "status" };
    let change = crate::audit::Change {
        entity: "order",
        entity_id: id.to_string(),
        action,
        before: Some(serde_json::json!({ "number": order.shown, "status": order.status.code() })),
        after: Some(serde_json::json!({ "number": order.shown, "status": to.code() })),
    };
    crate::audit::record(tx, tenant, actor, change).await
}

/// The step that calls an order off, in the caller's transaction: held stock is given back,
/// stock already taken is returned to where it left (by `actor`'s hand: only the worker calls
/// this without one, for orders whose stock is only held), pending payments fail.
pub async fn cancel_in(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: Option<&Actor>,
    who: &Who,
    id: Uuid,
    note: &str,
) -> Result<(), Error> {
    let order = lock(tx, tenant, id).await?;
    if !status::allowed(order.status, OrderStatus::Cancelled, order.fulfilment, order.method.settlement()) {
        return Err(refused(order.status, OrderStatus::Cancelled));
    }
    give_back_lines(tx, tenant, actor, id, None, &format!("order {} called off", order.shown)).await?;
    if order.in_parts {
        super::parts::cancel_all_in(tx, tenant, id, who).await?;
    }
    sqlx::query!(
        "UPDATE payments SET status = 'failed', updated_at = now() WHERE tenant_id = $1 AND order_id = $2 AND status = 'pending'",
        tenant.0,
        id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE orders SET status = 'cancelled', pay_by = NULL, updated_at = now() WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        id
    )
    .execute(&mut *tx)
    .await?;
    let note = if order.paid {
        let refund = "It was paid: refund the shopper.";
        if note.is_empty() { refund.to_owned() } else { format!("{note} {refund}") }
    } else {
        note.to_owned()
    };
    event(tx, tenant, id, who, Some(order.status), Some(OrderStatus::Cancelled), &note).await?;
    tell_shopper(
        tx,
        tenant,
        id,
        if order.paid { "was called off; your money will be refunded" } else { "was called off" },
    )
    .await?;
    if let Some(actor) = actor {
        audit_move(tx, tenant, actor, id, &order, OrderStatus::Cancelled).await?;
    }
    Ok(())
}

/// The step that gives back the stock of an order's lines (of one part's alone, given a part):
/// held stock is let go, stock already taken returns to where it left by `actor`'s hand (only
/// the worker calls this without one, for orders whose stock is only held).
pub(super) async fn give_back_lines(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: Option<&Actor>,
    order: Uuid,
    part: Option<Uuid>,
    reference: &str,
) -> Result<(), Error> {
    let holds = sqlx::query!(
        r#"SELECT r.id, r.status
             FROM order_lines l JOIN stock_reservations r ON r.tenant_id = l.tenant_id AND r.id = l.reservation_id
            WHERE l.tenant_id = $1 AND l.order_id = $2 AND ($3::uuid IS NULL OR l.part_id = $3)
            ORDER BY r.variant_id"#,
        tenant.0,
        order,
        part
    )
    .fetch_all(&mut *tx)
    .await?;
    for hold in holds {
        match (hold.status.as_str(), actor) {
            ("held", _) => reserve::give_back(tx, tenant, hold.id).await?,
            ("committed", Some(actor)) => reserve::return_sold(tx, tenant, actor, hold.id, reference).await?,
            ("committed", None) => return Err(Error::Internal),
            _ => {}
        }
    }
    Ok(())
}

/// How an order is looked up.
enum Key {
    /// By its id (the back office).
    Id(Uuid),
    /// By the shopper's key to its page.
    View(Uuid),
}

/// The step that reads an order whole, in the caller's transaction.
async fn load_in(tx: &mut sqlx::PgConnection, tenant: TenantId, key: Key) -> Result<Order, Error> {
    let (id, view) = match key {
        Key::Id(id) => (Some(id), None),
        Key::View(view) => (None, Some(view)),
    };
    let o = sqlx::query!(
        r#"SELECT o.id, o.view_key, o.prefix, o.number, o.channel, o.status, o.fulfilment, o.payment_method, o.paid,
                  o.payment_flagged, o.customer_id, o.contact_name, o.contact_phone, o.contact_email,
                  o.shipping_address, o.billing_address, o.pickup_location_id, o.delivery_zone, o.currency, o.vat_rate,
                  o.prices_include_tax, o.subtotal, o.discount, o.vat, o.delivery, o.total, o.note, o.pay_by,
                  o.placed_at, o.paid_at,
                  l.name AS "pickup_name?", l.address AS "pickup_address?", l.city AS "pickup_city?",
                  l.state AS "pickup_state?"
             FROM orders o
             LEFT JOIN locations l ON l.tenant_id = o.tenant_id AND l.id = o.pickup_location_id
            WHERE o.tenant_id = $1 AND (o.id = $2 OR o.view_key = $3)"#,
        tenant.0,
        id,
        view
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("order"))?;
    let currency = Currency::from_code(&o.currency).ok_or(Error::Internal)?;
    let money = |amount: Decimal| Money::new(amount, currency);
    let lines = lines_of(tx, tenant, o.id, None, currency).await?;
    let events = events_of(tx, tenant, o.id, None).await?;
    let parts = super::parts::of(tx, tenant, o.id, currency).await?;
    let payments = payments_of(tx, tenant, o.id).await?;
    let till = super::at_till::of(tx, tenant, o.id, currency).await?;
    let address = |value: Option<serde_json::Value>| value.and_then(|v| serde_json::from_value::<Address>(v).ok());
    let pickup = o.pickup_location_id.map(|id| PickupShop {
        id: LocationId(id),
        name: o.pickup_name.clone().unwrap_or_default(),
        address: [o.pickup_address.clone(), o.pickup_city.clone(), o.pickup_state.clone()]
            .into_iter()
            .flatten()
            .filter(|p| !p.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", "),
    });
    Ok(Order {
        id: o.id,
        number: order_number(&o.prefix, o.number),
        view_key: o.view_key,
        channel: o.channel,
        status: OrderStatus::from_code(&o.status).ok_or(Error::Internal)?,
        fulfilment: Fulfilment::from_code(&o.fulfilment).ok_or(Error::Internal)?,
        method: PaymentMethod::from_code(&o.payment_method).ok_or(Error::Internal)?,
        paid: o.paid,
        payment_flagged: o.payment_flagged,
        customer: o.customer_id,
        contact_name: o.contact_name,
        contact_phone: o.contact_phone,
        contact_email: o.contact_email,
        billing_address: address(o.billing_address).or_else(|| address(o.shipping_address.clone())),
        shipping_address: address(o.shipping_address),
        pickup,
        delivery_zone: o.delivery_zone,
        lines,
        subtotal: money(o.subtotal),
        discount: money(o.discount),
        vat: money(o.vat),
        vat_rate: o.vat_rate,
        prices_include_tax: o.prices_include_tax,
        delivery: money(o.delivery),
        total: money(o.total),
        note: o.note,
        pay_by: o.pay_by,
        placed_at: o.placed_at,
        paid_at: o.paid_at,
        events,
        payments,
        till,
        parts,
    })
}

/// The step that reads one part of an order as its seller works it: the order's contact and
/// address, the part's own lines and timeline, nothing of the other parts.
pub(super) async fn load_part_of(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
    part: Uuid,
) -> Result<super::PartView, Error> {
    let o = sqlx::query!(
        "SELECT fulfilment, payment_method, contact_name, contact_phone, shipping_address, note, placed_at, currency
           FROM orders WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        order
    )
    .fetch_one(&mut *tx)
    .await?;
    let currency = Currency::from_code(&o.currency).ok_or(Error::Internal)?;
    let the_part = super::parts::of(tx, tenant, order, currency)
        .await?
        .into_iter()
        .find(|p| p.id == part)
        .ok_or_else(|| Error::not_found("order"))?;
    let fulfilment = Fulfilment::from_code(&o.fulfilment).ok_or(Error::Internal)?;
    let method = PaymentMethod::from_code(&o.payment_method).ok_or(Error::Internal)?;
    let mut next = status::next(the_part.status, fulfilment, method.settlement());
    next.retain(|&s| s != OrderStatus::Paid);
    Ok(super::PartView {
        lines: lines_of(tx, tenant, order, Some(part), currency).await?,
        events: events_of(tx, tenant, order, Some(part)).await?,
        part: the_part,
        order,
        fulfilment,
        method,
        contact_name: o.contact_name,
        contact_phone: o.contact_phone,
        shipping_address: o.shipping_address.and_then(|v| serde_json::from_value::<Address>(v).ok()),
        note: o.note,
        next,
        placed_at: o.placed_at,
    })
}

/// An order's lines (one part's alone, given a part), in their order.
async fn lines_of(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
    part: Option<Uuid>,
    currency: Currency,
) -> Result<Vec<OrderLine>, Error> {
    let money = |amount: Decimal| Money::new(amount, currency);
    let lines = sqlx::query!(
        "SELECT variant_id, product_id, name, sku, unit_price, quantity, discount, net, vat, total, part_id, commission,
                commission_rule
           FROM order_lines WHERE tenant_id = $1 AND order_id = $2 AND ($3::uuid IS NULL OR part_id = $3)
          ORDER BY position",
        tenant.0,
        order,
        part
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|l| OrderLine {
        variant: VariantId(l.variant_id),
        product: ProductId(l.product_id),
        name: l.name,
        sku: l.sku,
        unit_price: money(l.unit_price),
        quantity: l.quantity,
        discount: money(l.discount),
        net: money(l.net),
        vat: money(l.vat),
        total: money(l.total),
        commission: l.part_id.map(|_| money(l.commission)),
        part: l.part_id,
        commission_rule: l.commission_rule,
    })
    .collect();
    Ok(lines)
}

/// An order's timeline (one part's alone, given a part), oldest first.
async fn events_of(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
    part: Option<Uuid>,
) -> Result<Vec<OrderEvent>, Error> {
    let events = sqlx::query!(
        r#"SELECT e.at, e.who, e.from_status, e.to_status, e.note, p.position AS "position?", o.prefix, o.number
             FROM order_events e
             JOIN orders o ON o.tenant_id = e.tenant_id AND o.id = e.order_id
             LEFT JOIN order_parts p ON p.tenant_id = e.tenant_id AND p.id = e.part_id
            WHERE e.tenant_id = $1 AND e.order_id = $2 AND ($3::uuid IS NULL OR e.part_id = $3)
            ORDER BY e.at, e.id"#,
        tenant.0,
        order,
        part
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|e| OrderEvent {
        at: e.at,
        who: e.who,
        from: e.from_status.as_deref().and_then(OrderStatus::from_code),
        to: e.to_status.as_deref().and_then(OrderStatus::from_code),
        note: e.note,
        part: e.position.map(|position| super::parts::part_number(&e.prefix, e.number, position)),
    })
    .collect();
    Ok(events)
}

/// An order's payment attempts, oldest first.
async fn payments_of(tx: &mut sqlx::PgConnection, tenant: TenantId, order: Uuid) -> Result<Vec<Payment>, Error> {
    let payments = sqlx::query_as!(
        super::payment::PaymentRow,
        "SELECT id, order_id, amount, currency, method, status, reference, flag_reason, created_at, updated_at
           FROM payments WHERE tenant_id = $1 AND order_id = $2 ORDER BY created_at, id",
        tenant.0,
        order
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(super::payment::PaymentRow::payment)
    .collect::<Result<Vec<_>, Error>>()?;
    Ok(payments)
}
