//! Checkout: placing an order from a cart (or lines the business gives), in one transaction: its number, its lines priced by [`super::price`], a
//! hold on every line's stock (all or none), the customer, the first payment attempt, the
//! timeline's first entry, the audit row and the confirmation message; the cart is emptied.
//!
//! What happens to the held stock depends on how the order is paid:
//! - **pay on delivery**: the order is confirmed as placed, so its stock is taken at once (a
//!   sale movement); calling the order off brings it back;
//! - **bank transfer**: held until the merchant confirms the money (then taken), or until the
//!   business's transfer window passes (then the order is called off and the stock is back);
//! - **a gateway**: held for [`PAY_WITHIN`] while the shopper pays.

use chrono::{Duration, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::customer::{self, Buyer};
use super::selling;
use super::work::{self, Who};
use super::{
    Address, CheckoutInput, CheckoutOptions, DeliveryZone, Fulfilment, LineInput, OrderStatus, PaymentMethod,
    PickupShop, Placed, cart, order_number, price,
};
use crate::base::{Actor, LocationId, Permission, TenantId, VendorId, phone};
use crate::catalog::{CategoryId, TaxClass, VariantId, item_name};
use crate::idempotency::{self, Once};
use crate::inventory::reserve::{self, Hold};
use crate::{Clash, Error, Money};

/// How long a shopper has to pay through a gateway before the order is called off.
pub const PAY_WITHIN: Duration = Duration::minutes(30);

/// How much longer than the payment window a hold lasts, so that the order is always called
/// off (by the worker) before its hold could lapse on its own.
const HOLD_MARGIN: Duration = Duration::hours(1);

/// Places an order from the actor's cart. Refused, with nothing changed, when a field is
/// wrong (each named), the cart is empty or has a line that cannot be bought, or a line's
/// stock is no longer there (a `Conflict` naming the item). With a key, the same checkout sent
/// twice places one order and answers it both times.
pub async fn place(
    db: &sqlx::PgPool,
    actor: &Actor,
    input: &CheckoutInput,
    once: Option<&Once>,
) -> Result<Placed, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    let form = check(input)?;
    let number = next_number(db, tenant).await?;
    idempotency::run(db, tenant, once, async |tx| place_in(tx, tenant, actor, &form, number, Source::Cart).await).await
}

/// Holds back a client that places orders faster than any shopper does: at most 20 orders in
/// ten minutes from one address at one store (an office or a campus behind one address still
/// has room), so that nobody can hold a store's stock, or send its letters, by the script.
pub async fn limit(db: &sqlx::PgPool, actor: &Actor, address: &str) -> Result<(), Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    let limit = crate::throttle::Limit { limit: 20, window_seconds: 600 };
    crate::throttle::hit(db, &[(format!("checkout:{}:{address}", tenant.0), limit)]).await
}

/// The most lines an order made by the business may carry.
pub const MOST_LINES: usize = 100;

/// Places an order the business makes for a customer (one who ordered by phone or WhatsApp,
/// or an integration's): the lines are given, not a cart's, and the order's channel is
/// `draft`. Its page is the payment link the merchant shares. Everything else is checkout's:
/// the same checks, holds, prices, customer, payment attempt and timeline.
pub async fn place_for_customer(
    db: &sqlx::PgPool,
    actor: &Actor,
    input: &CheckoutInput,
    lines: &[(VariantId, i32)],
    once: Option<&Once>,
) -> Result<Placed, Error> {
    let scope = actor.require(Permission::ManageOrders)?;
    scope.whole_business("place orders for customers")?;
    let tenant = scope.tenant;
    let mut problems: Vec<(String, String)> = Vec::new();
    let form = check(input).map_err(|e| problems.extend(e.owned_problems())).ok();
    if let Err(e) = check_lines(lines) {
        problems.extend(e.owned_problems());
    }
    Error::invalid_all(problems)?;
    let form = form.ok_or(Error::Internal)?;
    let number = next_number(db, tenant).await?;
    idempotency::run(db, tenant, once, async |tx| {
        place_in(tx, tenant, actor, &form, number, Source::Lines(lines)).await
    })
    .await
}

/// Refuses an empty list, too many lines, a quantity out of bounds and a variant listed twice.
fn check_lines(lines: &[(VariantId, i32)]) -> Result<(), Error> {
    if lines.is_empty() || lines.len() > MOST_LINES {
        return Err(Error::invalid("lines", format!("from 1 to {MOST_LINES} lines")));
    }
    let mut problems = Vec::new();
    for (i, (variant, quantity)) in lines.iter().enumerate() {
        if !(1..=super::pricing::MOST_UNITS).contains(quantity) {
            problems.push((format!("lines[{i}].quantity"), format!("from 1 to {}", super::pricing::MOST_UNITS)));
        }
        if lines[..i].iter().any(|(v, _)| v == variant) {
            problems.push((
                format!("lines[{i}].variant_id"),
                "listed twice; give it once with the whole quantity".to_owned(),
            ));
        }
    }
    Error::invalid_all(problems)
}

/// Where an order's lines come from.
#[derive(Clone, Copy)]
enum Source<'a> {
    /// The buyer's cart (a storefront checkout).
    Cart,
    /// Lines the business gives (an order made for a customer).
    Lines(&'a [(VariantId, i32)]),
}

/// A checkout's fields, checked.
struct Form {
    name: String,
    phone: String,
    email: Option<String>,
    fulfilment: Fulfilment,
    pickup: Option<LocationId>,
    address: Option<Address>,
    method: PaymentMethod,
    note: String,
    consent: bool,
}

/// The checkout's fields checked, or every one that is wrong.
fn check(input: &CheckoutInput) -> Result<Form, Error> {
    let mut problems: Vec<(String, String)> = Vec::new();
    let mut bad = |field: &str, message: &str| problems.push((field.to_owned(), message.to_owned()));
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        bad("name", "required");
    } else if name.chars().count() > 120 || name.contains('\0') {
        bad("name", "at most 120 characters, without NUL");
    }
    let phone = phone::nigerian_mobile(&input.phone).unwrap_or_default();
    if phone.is_empty() {
        bad("phone", phone::NOT_A_MOBILE);
    }
    let email = Some(input.email.trim().to_lowercase()).filter(|e| !e.is_empty());
    if let Some(email) = &email
        && (email.contains('\0') || !crate::identity::login::email_is_plausible(email))
    {
        bad("email", "enter an email address such as ada@example.com, or leave it empty");
    }
    let fulfilment = Fulfilment::from_code(&input.fulfilment);
    if fulfilment.is_none() {
        bad("fulfilment", "choose delivery or pickup");
    }
    let pickup = input.pickup_location.map(LocationId);
    if fulfilment == Some(Fulfilment::Pickup) && pickup.is_none() {
        bad("pickup_location", "choose the shop to collect from");
    }
    // A till's sales come by its own way (`pos::sync`), never through checkout.
    let method = PaymentMethod::from_code(&input.payment).filter(|m| *m != PaymentMethod::Till);
    if method.is_none() {
        bad("payment", "choose how to pay");
    }
    let note = input.note.trim().to_owned();
    if note.chars().count() > 500 || note.contains('\0') {
        bad("note", "at most 500 characters, without NUL");
    }
    let address = match fulfilment {
        Some(Fulfilment::Delivery) => match input.address.checked("address") {
            Ok(address) => Some(address),
            Err(error) => {
                problems.extend(error.owned_problems());
                None
            }
        },
        _ => None,
    };
    Error::invalid_all(problems)?;
    let (Some(fulfilment), Some(method)) = (fulfilment, method) else { return Err(Error::Internal) };
    Ok(Form { name, phone, email, fulfilment, pickup, address, method, note, consent: input.marketing_consent })
}

/// A line about to be ordered, as the catalog has it now.
struct Wanted {
    variant: VariantId,
    product: Uuid,
    /// Its vendor, for a marketplace vendor's goods.
    vendor: Option<VendorId>,
    /// Its product's category, for the commission's rule.
    category: Option<CategoryId>,
    name: String,
    sku: String,
    price: Decimal,
    quantity: i32,
    tax_class: TaxClass,
}

/// The step that places the order, in the caller's transaction.
async fn place_in(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    form: &Form,
    number: i64,
    source: Source<'_>,
) -> Result<Placed, Error> {
    let settings = selling::settings(tx, tenant).await?;
    let options = selling::offered(tx, tenant, &settings).await?;
    if !options.methods.contains(&form.method) {
        return Err(Error::invalid(
            "payment",
            format!("{} is not offered here; choose another way to pay", form.method.label()),
        ));
    }
    if form.method == PaymentMethod::Paystack && form.email.is_none() {
        return Err(Error::invalid("email", "Paystack sends its receipt by email: enter your email address"));
    }
    let (pickup, zone) = destination(&options, form)?;
    let (cart, wanted) = match source {
        Source::Cart => {
            let cart =
                cart::lock(tx, tenant, actor).await?.ok_or_else(|| Error::invalid("cart", "your cart is empty"))?;
            (Some(cart), wanted(tx, tenant, cart).await?)
        }
        Source::Lines(lines) => (None, given(tx, tenant, lines).await?),
    };
    if wanted.is_empty() {
        return Err(Error::invalid("cart", "your cart is empty"));
    }
    let channel = if cart.is_some() { "store" } else { "draft" };
    let shown = order_number(&settings.prefix, number);

    let hold_for = match form.method {
        PaymentMethod::BankTransfer => Duration::hours(i64::from(settings.transfer_hours)),
        PaymentMethod::PayOnDelivery | PaymentMethod::Till => reserve::DEFAULT_HOLD,
        PaymentMethod::Paystack | PaymentMethod::TestGateway => PAY_WITHIN,
    };
    let pay_by = (form.method != PaymentMethod::PayOnDelivery).then(|| Utc::now() + hold_for);

    let (in_parts, plans, delivery) = delivery_by_seller(&wanted, zone.as_ref(), form.fulfilment)?;
    let inputs: Vec<LineInput> = wanted
        .iter()
        .map(|w| LineInput {
            unit_price: w.price,
            quantity: w.quantity,
            discount: Decimal::ZERO,
            tax_class: w.tax_class,
        })
        .collect();
    let totals = price(&inputs, delivery, settings.vat, settings.currency)?;
    let buyer = Buyer { name: &form.name, phone: &form.phone, email: form.email.as_deref(), consent: form.consent };
    let customer = customer::for_order(tx, tenant, actor, &buyer).await?;
    let shopper = match actor {
        Actor::Shopper { shopper, .. } => Some(*shopper),
        _ => None,
    };

    let placing = Placing {
        settings: &settings,
        form,
        number,
        channel,
        customer,
        shopper,
        pay_by,
        pickup: pickup.as_ref(),
        zone: zone.as_ref(),
    };
    let (order, view_key) = insert_order(tx, tenant, &placing, &totals).await?;
    let split = if in_parts {
        split_in(tx, tenant, order, &plans, &wanted, &totals, &settings).await?
    } else {
        Split::whole(wanted.len())
    };
    let payment = super::payment::start(tx, tenant, order, &settings, number, form.method, totals.total).await?;
    let placed_note = match form.method {
        PaymentMethod::PayOnDelivery => "Placed; to be paid on delivery.".to_owned(),
        PaymentMethod::Till => "Paid at the till.".to_owned(),
        PaymentMethod::BankTransfer => {
            format!("Placed; waiting for a bank transfer of {}.", Money::new(totals.total, settings.currency))
        }
        PaymentMethod::Paystack | PaymentMethod::TestGateway => "Placed; waiting for payment.".to_owned(),
    };
    work::event(tx, tenant, order, &Who::of(actor), None, Some(OrderStatus::AwaitingPayment), &placed_note).await?;
    if let Some(cart) = cart {
        cart::empty_out(tx, tenant, cart).await?;
    }
    if let (Some(shopper), Some(address)) = (shopper, form.address.as_ref()) {
        super::address_book::keep(tx, tenant, shopper, address).await?;
    }
    record_placed(tx, tenant, actor, order, &shown, form, wanted.len(), Money::new(totals.total, settings.currency))
        .await?;

    // Last, so that the stock's rows are locked for as short a time as the transaction allows:
    // every line held, or none (a line short of stock ends the transaction, and everything
    // above with it), in variant order so that two orders never wait on each other.
    // An order paid on delivery sells its units at once; any other holds them until it is paid.
    let place = pickup.as_ref().map(|s| (s.id, s.name.as_str()));
    let sell_now = (form.method == PaymentMethod::PayOnDelivery).then_some(actor);
    let reservations = take_lines(tx, tenant, &wanted, place, hold_for + HOLD_MARGIN, &shown, sell_now).await?;
    insert_lines(tx, tenant, order, &wanted, &totals, &reservations, &split).await?;
    let page = if form.method == PaymentMethod::TestGateway { "pay" } else { "order" };
    let link = format!("/store/{}/{page}/{view_key}", settings.slug);
    Ok(Placed { order, number: shown, view_key, payment, method: form.method, link })
}

/// What an order is placed with, beside its lines.
struct Placing<'a> {
    settings: &'a selling::Settings,
    form: &'a Form,
    number: i64,
    channel: &'static str,
    customer: Uuid,
    shopper: Option<Uuid>,
    pay_by: Option<chrono::DateTime<Utc>>,
    pickup: Option<&'a PickupShop>,
    zone: Option<&'a DeliveryZone>,
}

/// The step that writes the order's row: its id and the shopper's key to its page.
async fn insert_order(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    p: &Placing<'_>,
    totals: &super::Totals,
) -> Result<(Uuid, Uuid), Error> {
    let order = Uuid::now_v7();
    let view_key = crate::identity::token::random_id()?;
    let address = p.form.address.as_ref().map(serde_json::to_value).transpose().map_err(|_| Error::Internal)?;
    sqlx::query!(
        "INSERT INTO orders (tenant_id, id, view_key, prefix, number, channel, status, fulfilment, payment_method, customer_id,
                             shopper_id, contact_name, contact_phone, contact_email, shipping_address, pickup_location_id,
                             delivery_zone, currency, vat_rate, prices_include_tax, subtotal, discount, vat, delivery,
                             total, note, pay_by)
         VALUES ($1, $2, $25, $3, $4, $26, 'awaiting_payment', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                 $16, $17, $18, $19, $20, $21, $22, $23, $24)",
        tenant.0,
        order,
        p.settings.prefix,
        p.number,
        p.form.fulfilment.code(),
        p.form.method.code(),
        p.customer,
        p.shopper,
        p.form.name,
        p.form.phone,
        p.form.email,
        address,
        p.pickup.map(|s| s.id.0),
        p.zone.map(|z| z.name.clone()).unwrap_or_default(),
        p.settings.currency.code(),
        p.settings.vat.rate,
        p.settings.vat.prices_include_tax,
        totals.subtotal,
        totals.discount,
        totals.vat,
        // Delivery as the business charges it: with VAT when its prices include VAT, before
        // VAT (which is in `vat`) when they do not, so that the figures add up to the total.
        totals.delivery.gross,
        totals.total,
        p.form.note,
        p.pay_by,
        view_key,
        p.channel,
    )
    .execute(&mut *tx)
    .await?;
    Ok((order, view_key))
}

/// Where the order goes: the pickup shop, or the delivery zone of the address's state; refused
/// for a shop the business does not offer and a state it does not deliver to.
fn destination(options: &CheckoutOptions, form: &Form) -> Result<(Option<PickupShop>, Option<DeliveryZone>), Error> {
    Ok(match form.fulfilment {
        Fulfilment::Pickup => {
            let shop = options.shops.iter().find(|s| Some(s.id) == form.pickup).cloned();
            (Some(shop.ok_or_else(|| Error::invalid("pickup_location", "choose one of the shops listed"))?), None)
        }
        Fulfilment::Delivery => {
            let state = form.address.as_ref().map(|a| a.state.as_str()).unwrap_or_default();
            let zone = options.zones.iter().find(|z| z.states.iter().any(|s| s == state)).cloned();
            let zone = zone.ok_or_else(|| {
                Error::invalid("address.state", format!("we do not deliver to {state} yet; choose pickup at a shop"))
            })?;
            (None, Some(zone))
        }
    })
}

/// The step that records a placed order: its audit row, and the confirmation for the shopper
/// when they gave an email.
#[expect(clippy::too_many_arguments, reason = "what the record says of the order")]
async fn record_placed(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    order: Uuid,
    shown: &str,
    form: &Form,
    lines: usize,
    total: Money,
) -> Result<(), Error> {
    crate::audit::record(
        tx,
        tenant,
        actor,
        crate::audit::Change {
            entity: "order",
            entity_id: order.to_string(),
            action: "place",
            before: None,
            after: Some(serde_json::json!({
                "number": shown, "total": crate::base::money::exact(total.amount), "method": form.method.code(),
                "fulfilment": form.fulfilment.code(), "lines": lines,
            })),
        },
    )
    .await?;
    if let Some(email) = &form.email {
        let body = format!(
            "Thank you, {}. We have your order {shown} for {}.\n\n\
             Follow it on our store's \"Track an order\" page with its number and your phone number.",
            form.name, total,
        );
        crate::identity::outbox::send_later(tx, tenant, email, &format!("Your order {shown}"), &body).await?;
    }
    Ok(())
}

/// The parts a cart is split into and the delivery it is charged: a cart holding a marketplace
/// vendor's goods is split by seller, each part charged delivery on its own goods (vendors send
/// their own goods, so such an order is delivered, never collected); any other cart is charged
/// delivery on all its goods.
fn delivery_by_seller(
    wanted: &[Wanted],
    zone: Option<&DeliveryZone>,
    fulfilment: Fulfilment,
) -> Result<(bool, Vec<super::parts::Plan>, Decimal), Error> {
    let in_parts = wanted.iter().any(|w| w.vendor.is_some());
    if in_parts && fulfilment == Fulfilment::Pickup {
        let sent = wanted.iter().find(|w| w.vendor.is_some()).map(|w| w.name.as_str()).unwrap_or_default();
        return Err(Error::invalid(
            "fulfilment",
            format!("{sent} is sent to you by its seller: choose delivery to an address"),
        ));
    }
    let shelf: Vec<Decimal> = wanted.iter().map(|w| w.price * Decimal::from(w.quantity)).collect();
    if !in_parts {
        return Ok((false, Vec::new(), zone.map_or(Decimal::ZERO, |z| z.charge(shelf.iter().sum()))));
    }
    let sellers: Vec<Option<VendorId>> = wanted.iter().map(|w| w.vendor).collect();
    let plans = super::parts::plan(&sellers, &shelf, zone);
    let delivery = plans.iter().map(|p| p.fee).sum();
    Ok((true, plans, delivery))
}

/// The step that writes an order's parts (see `parts`) and answers each line's part, commission
/// and rule.
async fn split_in(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
    plans: &[super::parts::Plan],
    wanted: &[Wanted],
    totals: &super::Totals,
    settings: &selling::Settings,
) -> Result<Split, Error> {
    let rules = super::commission::rules_in(tx, tenant).await?;
    let categories: Vec<Option<CategoryId>> = wanted.iter().map(|w| w.category).collect();
    let quantities: Vec<i32> = wanted.iter().map(|w| w.quantity).collect();
    let figures =
        super::parts::figure(plans, totals, &categories, &quantities, settings.vat, settings.currency, &rules);
    let ids = super::parts::insert(tx, tenant, order, &figures).await?;
    let mut of_line = vec![None; wanted.len()];
    for (plan, id) in plans.iter().zip(&ids) {
        for &i in &plan.lines {
            of_line[i] = Some(*id);
        }
    }
    Ok(Split { parts: of_line, commissions: figures.commissions, rules: figures.rules })
}

/// Each line's part of an order split by seller, with its commission and the rule that gave
/// it (none, zero and empty for an order that is not split).
struct Split {
    parts: Vec<Option<Uuid>>,
    commissions: Vec<Decimal>,
    rules: Vec<String>,
}

impl Split {
    fn whole(lines: usize) -> Self {
        Self { parts: vec![None; lines], commissions: vec![Decimal::ZERO; lines], rules: vec![String::new(); lines] }
    }
}

/// The step that writes an order's lines, as sold, with their holds, parts and commissions, by
/// one statement.
async fn insert_lines(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
    wanted: &[Wanted],
    totals: &super::Totals,
    reservations: &[Option<Uuid>],
    split: &Split,
) -> Result<(), Error> {
    let figures = &totals.lines;
    sqlx::query!(
        "INSERT INTO order_lines (tenant_id, order_id, position, variant_id, product_id, name, sku, unit_price,
                                  quantity, discount, tax_class, net, vat, total, reservation_id, part_id, commission,
                                  commission_rule)
         SELECT $1, $2, l.position - 1, l.variant, l.product, l.name, l.sku, l.unit_price, l.quantity, l.discount,
                l.tax_class, l.net, l.vat, l.total, l.reservation, l.part, l.commission, l.rule
           FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::numeric[], $8::integer[], $9::numeric[],
                       $10::text[], $11::numeric[], $12::numeric[], $13::numeric[], $14::uuid[], $15::uuid[],
                       $16::numeric[], $17::text[])
                WITH ORDINALITY AS l(variant, product, name, sku, unit_price, quantity, discount, tax_class, net, vat,
                                     total, reservation, part, commission, rule, position)",
        tenant.0,
        order,
        &wanted.iter().map(|w| w.variant.0).collect::<Vec<_>>(),
        &wanted.iter().map(|w| w.product).collect::<Vec<_>>(),
        &wanted.iter().map(|w| w.name.clone()).collect::<Vec<_>>(),
        &wanted.iter().map(|w| w.sku.clone()).collect::<Vec<_>>(),
        &wanted.iter().map(|w| w.price).collect::<Vec<_>>(),
        &wanted.iter().map(|w| w.quantity).collect::<Vec<_>>(),
        &figures.iter().map(|f| f.discount).collect::<Vec<_>>(),
        &wanted.iter().map(|w| w.tax_class.code().to_owned()).collect::<Vec<_>>(),
        &figures.iter().map(|f| f.net).collect::<Vec<_>>(),
        &figures.iter().map(|f| f.vat).collect::<Vec<_>>(),
        &figures.iter().map(|f| f.total).collect::<Vec<_>>(),
        reservations as &[Option<Uuid>],
        &split.parts as &[Option<Uuid>],
        &split.commissions,
        &split.rules,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The step that takes every line's units (at the pickup shop, if there is one) by one
/// statement, in variant order so that two orders never wait on each other: sold at once by
/// `sell_now` (an order paid on delivery), or else held. Answers the reservations, line by line,
/// or a `Conflict` naming the first line that can no longer be had (its transaction then ends,
/// and with it whatever was taken).
async fn take_lines(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    wanted: &[Wanted],
    shop: Option<(LocationId, &str)>,
    for_how_long: Duration,
    shown: &str,
    sell_now: Option<&Actor>,
) -> Result<Vec<Option<Uuid>>, Error> {
    let mut in_turn: Vec<usize> = (0..wanted.len()).collect();
    in_turn.sort_by_key(|&i| wanted[i].variant.0);
    let holds = in_turn
        .iter()
        .map(|&i| Hold {
            variant: wanted[i].variant,
            location: shop.map(|(id, _)| id),
            quantity: wanted[i].quantity,
            for_how_long,
            reference: format!("order {shown}"),
        })
        .collect();
    let taken = match sell_now {
        Some(actor) => reserve::sell_all_now(tx, tenant, actor, holds).await?,
        None => reserve::hold_all_in(tx, tenant, holds).await?.into_iter().map(|held| held.map(|r| r.id)).collect(),
    };
    let mut reservations = vec![None; wanted.len()];
    for (&i, reservation) in in_turn.iter().zip(taken) {
        let Some(reservation) = reservation else {
            let line = &wanted[i];
            let at = shop.map(|(_, name)| format!(" at {name}")).unwrap_or_default();
            return Err(Error::conflict(
                Clash::InsufficientStock,
                format!(
                    "{}: {} {} can no longer be had{at}. Lower the quantity in your cart, or remove it.",
                    line.name,
                    line.quantity,
                    if line.quantity == 1 { "unit" } else { "units" }
                ),
            ));
        };
        reservations[i] = Some(reservation);
    }
    Ok(reservations)
}

/// The cart's lines as the catalog has them now; a line no longer sold refuses the checkout.
async fn wanted(tx: &mut sqlx::PgConnection, tenant: TenantId, cart: Uuid) -> Result<Vec<Wanted>, Error> {
    let rows = sqlx::query!(
        r#"SELECT l.variant_id, v.product_id, p.name, v.option_values, v.sku, v.price, l.quantity, p.tax_class,
                  p.on_sale AS "on_sale!", p.vendor_id, p.category_id
             FROM cart_lines l
             JOIN variants v ON v.tenant_id = l.tenant_id AND v.id = l.variant_id
             JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
            WHERE l.tenant_id = $1 AND l.cart_id = $2
            ORDER BY l.added_at, l.variant_id"#,
        tenant.0,
        cart
    )
    .fetch_all(&mut *tx)
    .await?;
    rows.into_iter()
        .map(|r| {
            let name = item_name(&r.name, &r.option_values);
            if !r.on_sale {
                return Err(Error::conflict(
                    Clash::WrongState,
                    format!("{name} is no longer sold. Remove it from your cart to check out."),
                ));
            }
            Ok(Wanted {
                variant: VariantId(r.variant_id),
                product: r.product_id,
                vendor: r.vendor_id.map(VendorId),
                category: r.category_id.map(CategoryId),
                name,
                sku: r.sku,
                price: r.price,
                quantity: r.quantity,
                tax_class: TaxClass::from_code(&r.tax_class).unwrap_or_default(),
            })
        })
        .collect()
}

/// Lines given by the business, as the catalog has them now: a variant the business does not
/// have (or sells no more) is named by its line.
async fn given(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    lines: &[(VariantId, i32)],
) -> Result<Vec<Wanted>, Error> {
    let ids: Vec<Uuid> = lines.iter().map(|(v, _)| v.0).collect();
    let rows = sqlx::query!(
        r#"SELECT v.id, v.product_id, p.name, v.option_values, v.sku, v.price, p.tax_class,
                  p.on_sale AS "on_sale!", p.vendor_id, p.category_id
             FROM variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
            WHERE v.tenant_id = $1 AND v.id = ANY($2)"#,
        tenant.0,
        &ids
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut problems = Vec::new();
    let mut wanted = Vec::with_capacity(lines.len());
    for (i, (variant, quantity)) in lines.iter().enumerate() {
        match rows.iter().find(|r| r.id == variant.0) {
            Some(r) if r.on_sale => wanted.push(Wanted {
                variant: *variant,
                product: r.product_id,
                vendor: r.vendor_id.map(VendorId),
                category: r.category_id.map(CategoryId),
                name: item_name(&r.name, &r.option_values),
                sku: r.sku.clone(),
                price: r.price,
                quantity: *quantity,
                tax_class: TaxClass::from_code(&r.tax_class).unwrap_or_default(),
            }),
            Some(_) => problems.push((format!("lines[{i}].variant_id"), "this product is not on sale".to_owned())),
            None => problems.push((format!("lines[{i}].variant_id"), "no such variant in this business".to_owned())),
        }
    }
    Error::invalid_all(problems)?;
    Ok(wanted)
}

/// The business's next order number (the first is 1001), drawn in a transaction of its own
/// before the order's: the sequence's row is locked only for that moment, so orders placed at
/// once never wait on each other for their numbers. No two orders share a number; a checkout
/// that fails or is a replay after drawing one leaves a gap (gaps are allowed, reuse never).
async fn next_number(db: &sqlx::PgPool, tenant: TenantId) -> Result<i64, Error> {
    crate::db::in_tenant_tx(db, tenant, async |tx| {
        let number = sqlx::query_scalar!(
            "INSERT INTO document_sequences (tenant_id, kind, last) VALUES ($1, 'order', 1001)
             ON CONFLICT (tenant_id, kind) DO UPDATE SET last = document_sequences.last + 1
             RETURNING last",
            tenant.0
        )
        .fetch_one(&mut *tx)
        .await?;
        Ok(number)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CheckoutInput {
        CheckoutInput {
            name: "Ada Obi".into(),
            phone: "0803 123 4567".into(),
            fulfilment: "delivery".into(),
            address: Address {
                line: "12 Allen Avenue".into(),
                city: "Ikeja".into(),
                lga: String::new(),
                state: "Lagos".into(),
            },
            payment: "pay_on_delivery".into(),
            ..CheckoutInput::default()
        }
    }

    #[test]
    fn a_checkout_names_every_wrong_field_at_once() {
        let wrong = CheckoutInput {
            name: String::new(),
            phone: "12345".into(),
            email: "not an email".into(),
            fulfilment: "delivery".into(),
            address: Address { state: "Wakanda".into(), ..Address::default() },
            payment: "cheque".into(),
            ..CheckoutInput::default()
        };
        let error = check(&wrong).err().expect("refused");
        let mut fields: Vec<&str> = error.field_problems().into_iter().map(|(f, _)| f).collect();
        fields.sort_unstable();
        assert_eq!(fields, ["address.city", "address.line", "address.state", "email", "name", "payment", "phone"]);
    }

    #[test]
    fn a_checkout_keeps_one_form_of_the_number_and_email() {
        let form = check(&CheckoutInput { email: " Ada@Example.COM ".into(), ..input() }).expect("accepted");
        assert_eq!(form.phone, "+2348031234567");
        assert_eq!(form.email.as_deref(), Some("ada@example.com"));
        assert!(form.address.is_some());
        let pickup = check(&CheckoutInput { fulfilment: "pickup".into(), ..input() });
        let fields: Vec<String> =
            pickup.err().expect("no shop").field_problems().into_iter().map(|(f, _)| f.to_owned()).collect();
        assert_eq!(fields, ["pickup_location"]);
    }
}
