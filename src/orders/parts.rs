//! An order split by seller. A shopper checks out once and pays once; when the cart holds a
//! marketplace vendor's goods the order is kept in parts, one per seller (each vendor, and the
//! marketplace for its own goods). Each part has its own status (moved by the same
//! [`status::allowed`] as an order), delivery fee (the delivery zone's charge on the part's own
//! goods) and timeline; its vendor sees it alone, and the shopper sees one order with its parts.
//! The order's status is rolled up from its parts' ([`status::rollup`]).
//!
//! Money follows the parts into the vendors' ledgers ([`super::ledger`]):
//! - **paid before** (card, transfer): when the payment arrives, each vendor's part is credited
//!   its goods and delivery fee and debited its commission, waiting; delivery makes them
//!   available after the holding period;
//! - **paid on delivery**: the same entries when the part is delivered, with who took the cash
//!   (a rider, the vendor, the marketplace) kept until it reaches the marketplace: cash a vendor
//!   took is debited from it at once, and a rider's is not available to withdraw until handed
//!   over;
//! - **called off after it was paid**: the goods and fee go back to the shopper (a refund entry)
//!   and the commission back to the vendor.
//!
//! The commission of each line is worked out at checkout ([`super::commission`]) and kept on the
//! line with the rule that gave it; nothing here works it out again.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::commission::Rules;
use super::ledger::{self, Posting};
use super::pricing::{Totals, VatRule, delivery_totals};
use super::work::{self, Who};
use super::{
    CashHeld, CashHolder, DeliveryZone, Fulfilment, OrderPart, OrderStatus, PartSummary, PartView, PaymentMethod,
    VendorDesk, order_number, status,
};
use crate::base::page::Page;
use crate::base::{Actor, Permission, TenantId, VendorId};
use crate::catalog::CategoryId;
use crate::db::tenant_tx;
use crate::idempotency::{self, Once};
use crate::orders::ledger::EntryKind;
use crate::{Clash, Currency, Error, Money};

/// One seller's share of a cart, as checkout plans it: the seller, the cart's lines it sells
/// (their places in the cart), and the delivery zone's charge on its goods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Plan {
    pub vendor: Option<VendorId>,
    pub lines: Vec<usize>,
    pub fee: Decimal,
}

/// The parts of a cart whose lines are sold by `sellers` (a line's vendor, none for the
/// marketplace's own) at shelf amounts `shelf`, in the order their sellers first appear, each
/// charged the zone's delivery on its own goods (nothing without a zone: a pickup).
pub(super) fn plan(sellers: &[Option<VendorId>], shelf: &[Decimal], zone: Option<&DeliveryZone>) -> Vec<Plan> {
    let mut plans: Vec<Plan> = Vec::new();
    for (i, seller) in sellers.iter().enumerate() {
        match plans.iter_mut().find(|p| p.vendor == *seller) {
            Some(plan) => plan.lines.push(i),
            None => plans.push(Plan { vendor: *seller, lines: vec![i], fee: Decimal::ZERO }),
        }
    }
    for plan in &mut plans {
        let goods: Decimal = plan.lines.iter().map(|&i| shelf[i]).sum();
        plan.fee = zone.map_or(Decimal::ZERO, |z| z.charge(goods));
    }
    plans
}

/// A part's figures once the order is priced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PartFigures {
    pub vendor: Option<VendorId>,
    pub goods: Decimal,
    pub delivery: Decimal,
    pub commission: Decimal,
}

/// The order's parts and each line's commission and rule, from the priced order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Figures {
    pub parts: Vec<PartFigures>,
    pub commissions: Vec<Decimal>,
    pub rules: Vec<String>,
}

/// Works out each part's goods, delivery (with VAT: each part's fee taxed as the order's
/// delivery is, the last part taking the kobo the order's rounding leaves, so the parts add up
/// to the order) and commission, and each line's commission by `rules`; the marketplace's own
/// goods bear none.
pub(super) fn figure(
    plans: &[Plan],
    totals: &Totals,
    categories: &[Option<CategoryId>],
    quantities: &[i32],
    vat: VatRule,
    currency: Currency,
    rules: &Rules,
) -> Figures {
    let n = totals.lines.len();
    let (mut commissions, mut labels) = (vec![Decimal::ZERO; n], vec![String::new(); n]);
    let mut parts = Vec::with_capacity(plans.len());
    let mut delivered = Decimal::ZERO;
    for (k, plan) in plans.iter().enumerate() {
        let delivery = if k + 1 == plans.len() {
            totals.delivery.total - delivered
        } else {
            delivery_totals(plan.fee, vat, currency).total
        };
        delivered += delivery;
        let mut goods = Decimal::ZERO;
        let mut commission = Decimal::ZERO;
        for &i in &plan.lines {
            let total = totals.lines[i].total;
            goods += total;
            if let Some(vendor) = plan.vendor {
                let charge = rules.on_line(vendor, categories[i], total, quantities[i]);
                commission += charge.amount;
                commissions[i] = charge.amount;
                labels[i] = format!("{} ({})", charge.source.label(), charge.rate.describe(currency.symbol()));
            }
        }
        if let Some(vendor) = plan.vendor {
            commission += rules.on_delivery_fee(vendor, delivery);
        }
        parts.push(PartFigures { vendor: plan.vendor, goods, delivery, commission });
    }
    Figures { parts, commissions, rules: labels }
}

/// The step that writes an order's parts at checkout, awaiting payment: their ids, in the
/// plans' order.
pub(super) async fn insert(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
    figures: &Figures,
) -> Result<Vec<Uuid>, Error> {
    let ids: Vec<Uuid> = figures.parts.iter().map(|_| Uuid::now_v7()).collect();
    sqlx::query!(
        "INSERT INTO order_parts (tenant_id, id, order_id, position, vendor_id, status, goods, delivery, commission)
         SELECT $1, p.id, $2, p.position, p.vendor, 'awaiting_payment', p.goods, p.delivery, p.commission
           FROM unnest($3::uuid[], $4::uuid[], $5::numeric[], $6::numeric[], $7::numeric[])
                WITH ORDINALITY AS p(id, vendor, goods, delivery, commission, position)",
        tenant.0,
        order,
        &ids,
        &figures.parts.iter().map(|p| p.vendor.map(|v| v.0)).collect::<Vec<_>>() as &[Option<Uuid>],
        &figures.parts.iter().map(|p| p.goods).collect::<Vec<_>>(),
        &figures.parts.iter().map(|p| p.delivery).collect::<Vec<_>>(),
        &figures.parts.iter().map(|p| p.commission).collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    Ok(ids)
}

/// A part as it is changed: locked, with what its moves and money need.
struct Locked {
    id: Uuid,
    order: Uuid,
    shown: String,
    vendor: Option<VendorId>,
    status: OrderStatus,
    paid: bool,
    goods: Decimal,
    delivery: Decimal,
    commission: Decimal,
    fulfilment: Fulfilment,
    method: PaymentMethod,
}

/// The step that locks an order's parts (the order itself first, as every change of an order
/// does), in their order.
async fn lock_all(tx: &mut sqlx::PgConnection, tenant: TenantId, order: Uuid) -> Result<Vec<Locked>, Error> {
    let o = sqlx::query!(
        "SELECT prefix, number, fulfilment, payment_method FROM orders WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
        tenant.0,
        order
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("order"))?;
    let fulfilment = Fulfilment::from_code(&o.fulfilment).ok_or(Error::Internal)?;
    let method = PaymentMethod::from_code(&o.payment_method).ok_or(Error::Internal)?;
    let rows = sqlx::query!(
        "SELECT id, position, vendor_id, status, paid, goods, delivery, commission FROM order_parts
          WHERE tenant_id = $1 AND order_id = $2 ORDER BY position FOR UPDATE",
        tenant.0,
        order
    )
    .fetch_all(&mut *tx)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Locked {
                id: r.id,
                order,
                shown: part_number(&o.prefix, o.number, r.position),
                vendor: r.vendor_id.map(VendorId),
                status: OrderStatus::from_code(&r.status).ok_or(Error::Internal)?,
                paid: r.paid,
                goods: r.goods,
                delivery: r.delivery,
                commission: r.commission,
                fulfilment,
                method,
            })
        })
        .collect()
}

/// A part's number as people say it: the order's, a hyphen, and its place ("#1042-2").
pub fn part_number(prefix: &str, number: i64, position: i32) -> String {
    format!("{}-{position}", order_number(prefix, number))
}

/// The step that marks every part still awaiting payment paid, when the order's payment has
/// arrived, and credits each vendor's part to its ledger (waiting for delivery).
pub(super) async fn paid_in(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
    who: &Who,
) -> Result<(), Error> {
    let parts = lock_all(tx, tenant, order).await?;
    for part in parts.iter().filter(|p| p.status == OrderStatus::AwaitingPayment) {
        set_status(tx, tenant, part, OrderStatus::Paid, true).await?;
        event(tx, tenant, part, who, Some(part.status), Some(OrderStatus::Paid), "").await?;
        credit(tx, tenant, part, who, None).await?;
    }
    Ok(())
}

/// The step that calls off every part of an order being called off as a whole: refused, naming
/// the part, when one may no longer be (it was delivered); a part that was paid gives its money
/// back through its vendor's ledger.
pub(super) async fn cancel_all_in(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
    who: &Who,
) -> Result<(), Error> {
    let parts = lock_all(tx, tenant, order).await?;
    let live: Vec<&Locked> = parts.iter().filter(|p| p.status != OrderStatus::Cancelled).collect();
    if let Some(stuck) =
        live.iter().find(|p| !status::allowed(p.status, OrderStatus::Cancelled, p.fulfilment, p.method.settlement()))
    {
        return Err(Error::conflict(
            Clash::WrongState,
            format!(
                "Part {} is {} and can no longer be called off; call off the other parts one by one.",
                stuck.shown,
                stuck.status.label().to_lowercase()
            ),
        ));
    }
    for part in &live {
        refuse_while_disputed(tx, tenant, part).await?;
    }
    for part in live {
        set_status(tx, tenant, part, OrderStatus::Cancelled, part.paid).await?;
        event(tx, tenant, part, who, Some(part.status), Some(OrderStatus::Cancelled), "").await?;
        if part.paid {
            refund(tx, tenant, part, who).await?;
        }
    }
    Ok(())
}

/// Who collected a part's cash at the door, as the person marking it delivered says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CashInput {
    /// `rider`, `vendor` or `operator`; empty for the usual (the vendor when a vendor's staff
    /// mark it, the marketplace when its own staff do).
    pub holder: String,
    /// The rider's name, for a rider.
    pub holder_name: String,
}

/// Moves a part of an order to `to` by [`status::allowed`], with a note for its timeline: the
/// operator's staff any part, a vendor's staff their vendor's parts alone (another's reads as
/// not found). Delivering a part paid on delivery records its cash and who took it. Calling a
/// part off gives its stock back and, if it was paid, its money back through the ledger. The
/// order's status follows its parts. Answers the order's id.
pub async fn move_part(
    db: &sqlx::PgPool,
    actor: &Actor,
    part: Uuid,
    to: OrderStatus,
    note: &str,
    cash: &CashInput,
    once: Option<&Once>,
) -> Result<Uuid, Error> {
    let (tenant, vendor) = acting(actor)?;
    let note = work::check_note(note)?.to_owned();
    let holder = match cash.holder.trim() {
        "" => None,
        code => Some(CashHolder::from_code(code).ok_or_else(|| {
            Error::invalid("cash_holder", "who took the cash: the rider, the vendor or the marketplace")
        })?),
    };
    let holder_name = cash.holder_name.trim().to_owned();
    if holder_name.chars().count() > 120 {
        return Err(Error::invalid("holder_name", "at most 120 characters"));
    }
    Error::refuse_nul("holder_name", &holder_name)?;
    if vendor.is_some() && holder.is_some_and(|h| h != CashHolder::Vendor) {
        return Err(Error::invalid("cash_holder", "the marketplace records cash its riders took"));
    }
    idempotency::run(db, tenant, once, async |tx| {
        let order = order_of(tx, tenant, part, vendor).await?;
        let parts = lock_all(tx, tenant, order).await?;
        let locked = parts.iter().find(|p| p.id == part).ok_or_else(|| Error::not_found("order"))?;
        let who = Who::of(actor);
        if to == OrderStatus::Paid {
            return Err(Error::conflict(
                Clash::WrongState,
                "A part is paid when the order's payment is confirmed, or on delivery when it is paid at the door.",
            ));
        }
        if !status::allowed(locked.status, to, locked.fulfilment, locked.method.settlement()) {
            return Err(Error::conflict(
                Clash::WrongState,
                format!(
                    "Part {} is {} and cannot become {}.",
                    locked.shown,
                    locked.status.label().to_lowercase(),
                    to.label().to_lowercase()
                ),
            ));
        }
        if to == OrderStatus::Cancelled {
            refuse_while_disputed(tx, tenant, locked).await?;
        }
        let at_door = locked.method == PaymentMethod::PayOnDelivery
            && !locked.paid
            && matches!(to, OrderStatus::Delivered | OrderStatus::Completed);
        set_status(tx, tenant, locked, to, locked.paid || at_door).await?;
        let mut said = note.clone();
        if to == OrderStatus::Cancelled {
            work::give_back_lines(
                tx,
                tenant,
                Some(actor),
                order,
                Some(part),
                &format!("part {} called off", locked.shown),
            )
            .await?;
            if locked.paid {
                let left = refund(tx, tenant, locked, &who).await?;
                let currency = crate::identity::currency_in(&mut *tx, tenant).await?;
                said = join(&said, &format!("It was paid: refund the shopper {}.", Money::new(left, currency)));
            }
        }
        if at_door {
            let holder = holder.unwrap_or(if vendor.is_some() { CashHolder::Vendor } else { CashHolder::Operator });
            let taken = collect_cash(tx, tenant, locked, holder, &holder_name).await?;
            credit(tx, tenant, locked, &who, Some(holder)).await?;
            said = join(&format!("Paid on delivery; {taken}."), &said);
        }
        if matches!(to, OrderStatus::Delivered | OrderStatus::Completed) && !at_door {
            let from = ledger::available_from_now(tx, tenant).await?;
            ledger::release_part(tx, tenant, part, from).await?;
        }
        event(tx, tenant, locked, &who, Some(locked.status), Some(to), &said).await?;
        if let Some(what) = work::news(to, locked.fulfilment) {
            let seller = seller_name(tx, tenant, locked.vendor).await?;
            work::tell_shopper(tx, tenant, order, &format!("— the part from {seller} ({}) {what}", locked.shown))
                .await?;
        }
        roll_up(tx, tenant, order, &who).await?;
        let change = crate::audit::Change {
            entity: "order_part",
            entity_id: part.to_string(),
            action: if to == OrderStatus::Cancelled { "cancel" } else { "status" },
            before: Some(serde_json::json!({ "number": locked.shown, "status": locked.status.code() })),
            after: Some(serde_json::json!({ "number": locked.shown, "status": to.code() })),
        };
        crate::audit::record(tx, tenant, actor, change).await?;
        Ok(order)
    })
    .await
}

fn join(first: &str, second: &str) -> String {
    match (first.is_empty(), second.is_empty()) {
        (true, _) => second.to_owned(),
        (_, true) => first.to_owned(),
        _ => format!("{first} {second}"),
    }
}

/// Who acts on parts: a vendor's staff (or API client) for their vendor, or the operator's staff who work
/// orders (the whole business).
fn acting(actor: &Actor) -> Result<(TenantId, Option<VendorId>), Error> {
    if actor.vendor().is_some() {
        let scope = actor.require(Permission::UseVendorPortal)?;
        let vendor = scope.vendor.ok_or_else(|| Error::Forbidden(Permission::UseVendorPortal.label().to_owned()))?;
        return Ok((scope.tenant, Some(vendor)));
    }
    let scope = actor.require(Permission::ManageOrders)?;
    scope.whole_business("work orders")?;
    Ok((scope.tenant, None))
}

/// The order a part belongs to; not found for a vendor's staff when the part is another's.
async fn order_of(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    part: Uuid,
    vendor: Option<VendorId>,
) -> Result<Uuid, Error> {
    sqlx::query_scalar!(
        "SELECT order_id FROM order_parts
          WHERE tenant_id = $1 AND id = $2 AND ($3::uuid IS NULL OR vendor_id = $3)",
        tenant.0,
        part,
        vendor.map(|v| v.0)
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("order"))
}

async fn set_status(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    part: &Locked,
    to: OrderStatus,
    paid: bool,
) -> Result<(), Error> {
    let delivered = matches!(to, OrderStatus::Delivered | OrderStatus::Completed);
    sqlx::query!(
        "UPDATE order_parts SET status = $3, paid = $4, updated_at = now(),
                delivered_at = CASE WHEN $5 THEN coalesce(delivered_at, now()) ELSE delivered_at END
          WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        part.id,
        to.code(),
        paid,
        delivered
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The step that writes a timeline entry about a part.
async fn event(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    part: &Locked,
    who: &Who,
    from: Option<OrderStatus>,
    to: Option<OrderStatus>,
    note: &str,
) -> Result<(), Error> {
    sqlx::query!(
        "INSERT INTO order_events (tenant_id, id, order_id, part_id, who, from_status, to_status, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        tenant.0,
        Uuid::now_v7(),
        part.order,
        part.id,
        who.name(),
        from.map(OrderStatus::code),
        to.map(OrderStatus::code),
        note
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The step that credits a vendor's part to its ledger as it is paid: its goods and delivery
/// fee in, its commission out. Waiting for delivery when paid before; when paid at the door,
/// available after the holding period unless a rider still has the cash, and, when the vendor
/// took the cash, the cash out at once.
async fn credit(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    part: &Locked,
    who: &Who,
    at_door: Option<CashHolder>,
) -> Result<(), Error> {
    let Some(vendor) = part.vendor else { return Ok(()) };
    let available = match at_door {
        None | Some(CashHolder::Rider) => None,
        Some(CashHolder::Vendor | CashHolder::Operator) => Some(ledger::available_from_now(tx, tenant).await?),
    };
    let note = format!("Order {}", part.shown);
    let entries = [
        (EntryKind::Sale, part.goods, available),
        (EntryKind::DeliveryFee, part.delivery, available),
        (EntryKind::Commission, -part.commission, available),
    ];
    for (kind, amount, available_at) in entries {
        let posting = Posting {
            vendor,
            kind,
            amount,
            part: Some(part.id),
            payout: None,
            note: &note,
            who: who.name(),
            available_at,
        };
        ledger::post(tx, tenant, &posting).await?;
    }
    if at_door == Some(CashHolder::Vendor) {
        let posting = Posting {
            vendor,
            kind: EntryKind::CashHeld,
            amount: -(part.goods + part.delivery),
            part: Some(part.id),
            payout: None,
            note: &format!("Cash you took for order {}", part.shown),
            who: who.name(),
            available_at: Some(Utc::now()),
        };
        ledger::post(tx, tenant, &posting).await?;
    }
    Ok(())
}

/// Refuses to call off a part while a dispute about it is open: the marketplace decides it
/// first (what it gives back is then not given again).
async fn refuse_while_disputed(tx: &mut sqlx::PgConnection, tenant: TenantId, part: &Locked) -> Result<(), Error> {
    let open = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM disputes WHERE tenant_id = $1 AND part_id = $2
                           AND status IN ('open', 'escalated')) AS "open!""#,
        tenant.0,
        part.id
    )
    .fetch_one(&mut *tx)
    .await?;
    if open {
        return Err(Error::conflict(
            Clash::WrongState,
            format!("A dispute about part {} is open: the marketplace decides it first.", part.shown),
        ));
    }
    Ok(())
}

/// What disputes already gave back of a part.
async fn given_back(tx: &mut sqlx::PgConnection, tenant: TenantId, part: Uuid) -> Result<Decimal, Error> {
    Ok(sqlx::query_scalar!(
        r#"SELECT coalesce(sum(refunded), 0) AS "given!" FROM disputes WHERE tenant_id = $1 AND part_id = $2"#,
        tenant.0,
        part
    )
    .fetch_one(&mut *tx)
    .await?)
}

/// The step that gives a paid part's money back: its entries are settled now (whatever their
/// holding period), the goods and fee go out as a refund and the commission comes back; less
/// what its disputes gave back already (and their commission). Answers what is given back now.
async fn refund(tx: &mut sqlx::PgConnection, tenant: TenantId, part: &Locked, who: &Who) -> Result<Decimal, Error> {
    let given = given_back(tx, tenant, part.id).await?;
    let left = part.goods + part.delivery - given;
    let Some(vendor) = part.vendor else { return Ok(left) };
    let now = Utc::now();
    ledger::release_part(tx, tenant, part.id, now).await?;
    let commission = part.commission - commission_back(part.commission, part.goods, given);
    let note = format!("Order {} called off", part.shown);
    give_back(tx, tenant, (vendor, part.id), left, commission, &note, who).await?;
    Ok(left)
}

/// The step that writes money given back of a vendor's part into its ledger, available at once:
/// `refunded` out as a refund, `commission` back to the vendor.
async fn give_back(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    (vendor, part): (VendorId, Uuid),
    refunded: Decimal,
    commission: Decimal,
    note: &str,
    who: &Who,
) -> Result<(), Error> {
    for (kind, amount) in [(EntryKind::Refund, -refunded), (EntryKind::Commission, commission)] {
        let posting = Posting {
            vendor,
            kind,
            amount,
            part: Some(part),
            payout: None,
            note,
            who: who.name(),
            available_at: Some(Utc::now()),
        };
        ledger::post(tx, tenant, &posting).await?;
    }
    Ok(())
}

/// The step that gives back `amount` of a part's money on a dispute's decision: it goes out of
/// the seller's ledger as a refund, and the commission on the goods given back comes back to it
/// in proportion (none on a delivery fee given back). The order's timeline says so, with `note`.
/// The part and its order are locked as any change of them is.
pub(crate) async fn refund_in_part(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
    part: Uuid,
    amount: Decimal,
    note: &str,
    who: &Who,
) -> Result<(), Error> {
    let parts = lock_all(tx, tenant, order).await?;
    let part = parts.iter().find(|p| p.id == part).ok_or_else(|| Error::not_found("part of the order"))?;
    event(tx, tenant, part, who, None, None, note).await?;
    let Some(vendor) = part.vendor else { return Ok(()) };
    let back = commission_back(part.commission, part.goods, amount);
    let said = format!("Dispute on order {}", part.shown);
    give_back(tx, tenant, (vendor, part.id), amount, back, &said, who).await
}

/// The commission that comes back to a seller when `refunded` of a part is given back: the
/// part's `commission` in the share of its `goods` refunded (the goods first, then the delivery
/// fee, which bore none), to the kobo.
pub fn commission_back(commission: Decimal, goods: Decimal, refunded: Decimal) -> Decimal {
    if goods <= Decimal::ZERO || refunded <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let share = refunded.min(goods) / goods;
    (commission * share).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven).min(commission)
}

/// The step that records the cash taken at the door for a part: by the marketplace it is in
/// hand already; by a rider or the vendor it is owed until handed over. Answers how the
/// timeline says it.
async fn collect_cash(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    part: &Locked,
    holder: CashHolder,
    holder_name: &str,
) -> Result<String, Error> {
    // The marketplace's own goods have no vendor to hold their cash.
    let holder = if part.vendor.is_none() && holder == CashHolder::Vendor { CashHolder::Operator } else { holder };
    let amount = part.goods + part.delivery;
    if amount.is_zero() {
        return Ok("nothing to collect".to_owned());
    }
    sqlx::query!(
        "INSERT INTO cash_on_delivery (tenant_id, part_id, vendor_id, amount, holder, holder_name, remitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $5 = 'operator' THEN now() END)",
        tenant.0,
        part.id,
        part.vendor.map(|v| v.0),
        amount,
        holder.code(),
        holder_name
    )
    .execute(&mut *tx)
    .await?;
    let who = match (holder, holder_name.is_empty()) {
        (CashHolder::Rider, false) => format!("the rider {holder_name}"),
        _ => holder.label().to_lowercase(),
    };
    Ok(format!("{who} has the cash"))
}

/// The marketplace records that cash taken at the door for a part reached it (a deposit, a
/// transfer from the rider or the vendor), under `reference`. A rider's cash makes the part's
/// money available after its holding period; a vendor's is credited back to it.
pub async fn remit_cash(
    db: &sqlx::PgPool,
    actor: &Actor,
    part: Uuid,
    reference: &str,
    once: Option<&Once>,
) -> Result<Uuid, Error> {
    let scope = actor.require(Permission::ManageOrders)?;
    scope.whole_business("record cash")?;
    let tenant = scope.tenant;
    let reference = reference.trim().to_owned();
    if reference.chars().count() > 120 {
        return Err(Error::invalid("reference", "at most 120 characters"));
    }
    Error::refuse_nul("reference", &reference)?;
    idempotency::run(db, tenant, once, async |tx| {
        let order = order_of(tx, tenant, part, None).await?;
        let parts = lock_all(tx, tenant, order).await?;
        let locked = parts.iter().find(|p| p.id == part).ok_or_else(|| Error::not_found("order"))?;
        let held = sqlx::query!(
            "SELECT holder, amount, remitted_at IS NOT NULL AS \"remitted!\" FROM cash_on_delivery
              WHERE tenant_id = $1 AND part_id = $2 FOR UPDATE",
            tenant.0,
            part
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::conflict(Clash::WrongState, "No cash was collected at the door for this part."))?;
        if held.remitted {
            return Err(Error::conflict(Clash::WrongState, "This part's cash has reached the marketplace already."));
        }
        let who = Who::of(actor);
        sqlx::query!(
            "UPDATE cash_on_delivery SET remitted_at = now(), remitted_by = $3, reference = $4
              WHERE tenant_id = $1 AND part_id = $2",
            tenant.0,
            part,
            who.name(),
            reference
        )
        .execute(&mut *tx)
        .await?;
        if let (Some(CashHolder::Vendor), Some(vendor)) = (CashHolder::from_code(&held.holder), locked.vendor) {
            let posting = Posting {
                vendor,
                kind: EntryKind::CashRemitted,
                amount: held.amount,
                part: Some(part),
                payout: None,
                note: &join(&format!("Cash for order {} handed over", locked.shown), &reference),
                who: who.name(),
                available_at: Some(Utc::now()),
            };
            ledger::post(tx, tenant, &posting).await?;
        } else {
            let delivered = sqlx::query_scalar!(
                "SELECT delivered_at FROM order_parts WHERE tenant_id = $1 AND id = $2",
                tenant.0,
                part
            )
            .fetch_one(&mut *tx)
            .await?
            .unwrap_or_else(Utc::now);
            let holding = ledger::available_from_now(tx, tenant).await? - Utc::now();
            ledger::release_part(tx, tenant, part, delivered + holding).await?;
        }
        let note = join("The cash collected at the door reached the marketplace.", &reference);
        event(tx, tenant, locked, &who, None, None, &note).await?;
        let change = crate::audit::Change {
            entity: "order_part",
            entity_id: part.to_string(),
            action: "cash handed over",
            before: None,
            after: Some(serde_json::json!({ "number": locked.shown, "reference": reference })),
        };
        crate::audit::record(tx, tenant, actor, change).await?;
        Ok(order)
    })
    .await
}

/// The step that rolls an order's status and payment up from its parts: the status by
/// [`status::rollup`]; paid once every part still going is. An order paid on delivery has its
/// payment settled for what was collected once the last part is.
async fn roll_up(tx: &mut sqlx::PgConnection, tenant: TenantId, order: Uuid, who: &Who) -> Result<(), Error> {
    let parts = sqlx::query!(
        "SELECT status, paid, goods + delivery AS \"total!\" FROM order_parts WHERE tenant_id = $1 AND order_id = $2",
        tenant.0,
        order
    )
    .fetch_all(&mut *tx)
    .await?;
    let statuses: Vec<OrderStatus> =
        parts.iter().map(|p| OrderStatus::from_code(&p.status).ok_or(Error::Internal)).collect::<Result<_, _>>()?;
    let Some(to) = status::rollup(&statuses) else { return Ok(()) };
    let live: Vec<_> = parts.iter().filter(|p| p.status != OrderStatus::Cancelled.code()).collect();
    let paid = !live.is_empty() && live.iter().all(|p| p.paid);
    let collected: Decimal = live.iter().map(|p| p.total).sum();
    let was = sqlx::query!(
        "SELECT status, paid, payment_method FROM orders WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        order
    )
    .fetch_one(&mut *tx)
    .await?;
    let from = OrderStatus::from_code(&was.status).ok_or(Error::Internal)?;
    if from == to && was.paid == paid {
        return Ok(());
    }
    let newly_paid = paid && !was.paid;
    sqlx::query!(
        "UPDATE orders SET status = $3, paid = $4, updated_at = now(),
                paid_at = CASE WHEN $5 THEN now() ELSE paid_at END,
                pay_by = CASE WHEN $3 = 'cancelled' THEN NULL ELSE pay_by END
          WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        order,
        to.code(),
        paid,
        newly_paid
    )
    .execute(&mut *tx)
    .await?;
    if newly_paid && was.payment_method == PaymentMethod::PayOnDelivery.code() {
        sqlx::query!(
            "UPDATE payments SET status = 'succeeded', amount = $3, updated_at = now(),
                    answer = jsonb_build_object('collected_by', $4::text)
              WHERE tenant_id = $1 AND order_id = $2 AND status = 'pending'",
            tenant.0,
            order,
            collected,
            who.name()
        )
        .execute(&mut *tx)
        .await?;
    }
    if to == OrderStatus::Cancelled && from != to {
        sqlx::query!(
            "UPDATE payments SET status = 'failed', updated_at = now()
              WHERE tenant_id = $1 AND order_id = $2 AND status = 'pending'",
            tenant.0,
            order
        )
        .execute(&mut *tx)
        .await?;
    }
    if from != to {
        work::event(tx, tenant, order, who, Some(from), Some(to), "As its parts stand.").await?;
    }
    Ok(())
}

async fn seller_name(tx: &mut sqlx::PgConnection, tenant: TenantId, vendor: Option<VendorId>) -> Result<String, Error> {
    match vendor {
        Some(vendor) => {
            Ok(sqlx::query_scalar!("SELECT name FROM vendors WHERE tenant_id = $1 AND id = $2", tenant.0, vendor.0)
                .fetch_one(&mut *tx)
                .await?)
        }
        None => Ok(sqlx::query_scalar!("SELECT name FROM tenants WHERE id = $1", tenant.0).fetch_one(&mut *tx).await?),
    }
}

/// The step that reads an order's parts, in their order, with who sells each and the cash taken
/// for it at the door.
pub(super) async fn of(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
    currency: Currency,
) -> Result<Vec<OrderPart>, Error> {
    let money = |amount: Decimal| Money::new(amount, currency);
    let rows = sqlx::query!(
        r#"SELECT p.id, p.position, p.vendor_id, p.status, p.paid, p.goods, p.delivery, p.commission, p.delivered_at,
                  o.prefix, o.number, coalesce(v.name, t.name) AS "seller!",
                  c.amount AS "cash_amount?", c.holder AS "holder?", c.holder_name AS "holder_name?",
                  c.collected_at AS "collected_at?", c.remitted_at, c.reference AS "cash_reference?"
             FROM order_parts p
             JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = p.order_id
             JOIN tenants t ON t.id = p.tenant_id
             LEFT JOIN vendors v ON v.tenant_id = p.tenant_id AND v.id = p.vendor_id
             LEFT JOIN cash_on_delivery c ON c.tenant_id = p.tenant_id AND c.part_id = p.id
            WHERE p.tenant_id = $1 AND p.order_id = $2
            ORDER BY p.position"#,
        tenant.0,
        order
    )
    .fetch_all(&mut *tx)
    .await?;
    rows.into_iter()
        .map(|r| {
            let cash = match (r.cash_amount, r.holder.as_deref().and_then(CashHolder::from_code), r.collected_at) {
                (Some(amount), Some(holder), Some(collected_at)) => Some(CashHeld {
                    amount: money(amount),
                    holder,
                    holder_name: r.holder_name.unwrap_or_default(),
                    collected_at,
                    remitted_at: r.remitted_at,
                    reference: r.cash_reference.unwrap_or_default(),
                }),
                _ => None,
            };
            Ok(OrderPart {
                id: r.id,
                number: part_number(&r.prefix, r.number, r.position),
                vendor: r.vendor_id.map(VendorId),
                seller: r.seller,
                status: OrderStatus::from_code(&r.status).ok_or(Error::Internal)?,
                paid: r.paid,
                goods: money(r.goods),
                delivery: money(r.delivery),
                commission: Some(money(r.commission)),
                delivered_at: r.delivered_at,
                cash,
            })
        })
        .collect()
}

/// A page of the parts a vendor sells, newest first, narrowed to one status if given, from the
/// key in `after`: its staff see their vendor's alone; the operator's staff name the vendor.
pub async fn list(
    db: &sqlx::PgPool,
    actor: &Actor,
    vendor: Option<VendorId>,
    only: Option<OrderStatus>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Page<PartSummary>, Error> {
    let (tenant, own) = viewing(actor)?;
    let vendor = own.or(vendor).ok_or_else(|| Error::invalid("vendor", "choose a vendor"))?;
    let (after_at, after_id) = after.unzip();
    let limit = limit.clamp(1, 200);
    let mut tx = tenant_tx(db, tenant).await?;
    let currency = crate::identity::currency_in(&mut tx, tenant).await?;
    let rows = sqlx::query!(
        r#"SELECT p.id, p.position, p.status, p.paid, p.goods + p.delivery AS "total!", p.placed_at,
                  o.prefix, o.number, o.payment_method, o.contact_name, v.name AS seller,
                  (SELECT coalesce(sum(l.quantity), 0) FROM order_lines l
                    WHERE l.tenant_id = p.tenant_id AND l.part_id = p.id)::bigint AS "units!"
             FROM order_parts p
             JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = p.order_id
             JOIN vendors v ON v.tenant_id = p.tenant_id AND v.id = p.vendor_id
            WHERE p.tenant_id = $1 AND p.vendor_id = $2
              AND ($3::text IS NULL OR p.status = $3)
              AND ($4::timestamptz IS NULL OR (p.placed_at, p.id) < ($4, $5))
            ORDER BY p.placed_at DESC, p.id DESC
            LIMIT $6"#,
        tenant.0,
        vendor.0,
        only.map(OrderStatus::code),
        after_at,
        after_id,
        limit + 1
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(PartSummary {
                id: r.id,
                number: part_number(&r.prefix, r.number, r.position),
                seller: r.seller,
                status: OrderStatus::from_code(&r.status).ok_or(Error::Internal)?,
                method: PaymentMethod::from_code(&r.payment_method).ok_or(Error::Internal)?,
                paid: r.paid,
                contact_name: r.contact_name,
                units: r.units,
                total: Money::new(r.total, currency),
                placed_at: r.placed_at,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Page::from_extra(rows, limit, |p| (p.placed_at, p.id)))
}

/// The signed-in vendor's orders at a glance (see [`VendorDesk`]): to prepare are the parts paid,
/// and those to be paid at the door; a part waiting for a transfer or a card is not yet.
pub async fn desk(db: &sqlx::PgPool, actor: &Actor) -> Result<VendorDesk, Error> {
    let (tenant, vendor) = acting(actor)?;
    let vendor = vendor.ok_or_else(|| Error::Forbidden(Permission::UseVendorPortal.label().to_owned()))?;
    let mut tx = tenant_tx(db, tenant).await?;
    let currency = crate::identity::currency_in(&mut tx, tenant).await?;
    let row = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE p.status = 'paid'
                                     OR (p.status = 'awaiting_payment' AND o.payment_method = 'pay_on_delivery'))
                      AS "to_prepare!",
                  count(*) FILTER (WHERE p.status = 'processing') AS "preparing!",
                  count(*) FILTER (WHERE p.status = 'shipped') AS "on_the_way!",
                  coalesce(sum(p.goods + p.delivery) FILTER (WHERE p.status <> 'cancelled'
                                                               AND p.placed_at > now() - interval '30 days'), 0)
                      AS "sales!",
                  count(*) FILTER (WHERE p.status <> 'cancelled' AND p.placed_at > now() - interval '30 days')
                      AS "orders!"
             FROM order_parts p JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = p.order_id
            WHERE p.tenant_id = $1 AND p.vendor_id = $2"#,
        tenant.0,
        vendor.0
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(VendorDesk {
        to_prepare: row.to_prepare,
        preparing: row.preparing,
        on_the_way: row.on_the_way,
        sales_30_days: Money::new(crate::base::money::exact(row.sales), currency),
        orders_30_days: row.orders,
    })
}

/// Who reads parts: a vendor's staff their vendor's, the operator's staff who see orders any.
fn viewing(actor: &Actor) -> Result<(TenantId, Option<VendorId>), Error> {
    if actor.vendor().is_some() {
        return acting(actor);
    }
    let scope = actor.require(Permission::ViewOrders)?;
    scope.whole_business("see orders")?;
    Ok((scope.tenant, None))
}

/// One part, whole, as its seller works it (see [`PartView`]); another vendor's reads as not
/// found.
pub async fn view(db: &sqlx::PgPool, actor: &Actor, part: Uuid) -> Result<PartView, Error> {
    let (tenant, vendor) = viewing(actor)?;
    let mut tx = tenant_tx(db, tenant).await?;
    let order_id = order_of(&mut tx, tenant, part, vendor).await?;
    let order = work::load_part_of(&mut tx, tenant, order_id, part).await?;
    tx.commit().await?;
    Ok(order)
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use crate::catalog::TaxClass;
    use crate::orders::commission::Rate;
    use crate::orders::{LineInput, price};

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn zone() -> DeliveryZone {
        DeliveryZone {
            id: Uuid::nil(),
            name: "Lagos".into(),
            states: vec!["Lagos".into()],
            rate: Money::new(d("1500"), Currency::NGN),
            free_above: Some(Money::new(d("50000"), Currency::NGN)),
            days: String::new(),
        }
    }

    #[test]
    fn a_cart_is_split_by_seller_in_the_order_they_appear_each_charged_delivery_on_its_own_goods() {
        let (a, b) = (VendorId(Uuid::from_u128(1)), VendorId(Uuid::from_u128(2)));
        let sellers = [Some(a), None, Some(b), Some(a)];
        let shelf = [d("30000"), d("2000"), d("60000"), d("25000")];
        let plans = plan(&sellers, &shelf, Some(&zone()));
        assert_eq!(
            plans,
            [
                // ₦55,000 of goods: over the free-delivery line.
                Plan { vendor: Some(a), lines: vec![0, 3], fee: d("0") },
                Plan { vendor: None, lines: vec![1], fee: d("1500") },
                Plan { vendor: Some(b), lines: vec![2], fee: d("0") },
            ]
        );
        let pickup = plan(&sellers, &shelf, None);
        assert!(pickup.iter().all(|p| p.fee.is_zero()));
    }

    #[test]
    fn parts_add_up_to_the_order_and_each_line_keeps_its_commission_and_rule() {
        let (a, b) = (VendorId(Uuid::from_u128(1)), VendorId(Uuid::from_u128(2)));
        let sellers = [Some(a), Some(b), None];
        let shelf = [d("1000"), d("333.33"), d("500")];
        let plans = plan(&sellers, &shelf, Some(&zone()));
        let fees: Decimal = plans.iter().map(|p| p.fee).sum();
        assert_eq!(fees, d("4500"));
        let vat = VatRule { rate: d("7.5"), prices_include_tax: false };
        let lines: Vec<LineInput> = shelf
            .iter()
            .map(|&unit_price| LineInput {
                unit_price,
                quantity: 1,
                discount: Decimal::ZERO,
                tax_class: TaxClass::Standard,
            })
            .collect();
        let totals = price(&lines, fees, vat, Currency::NGN).unwrap();
        let rules = Rules {
            default: Rate { percent: d("10"), flat_per_item: d("0") },
            on_delivery: true,
            vendors: vec![(b, Rate { percent: d("5"), flat_per_item: d("50") })],
            ..Rules::default()
        };
        let figures = figure(&plans, &totals, &[None, None, None], &[1, 1, 1], vat, Currency::NGN, &rules);
        let sum: Decimal = figures.parts.iter().map(|p| p.goods + p.delivery).sum();
        assert_eq!(sum, totals.total, "the parts add up to what the shopper pays");
        // Vendor a: ₦1,075.00 of goods at 10% = 107.50, and 10% of its ₦1,612.50 delivery = 161.25.
        assert_eq!(figures.parts[0].goods, d("1075.00"));
        assert_eq!(figures.parts[0].delivery, d("1612.50"));
        assert_eq!(figures.parts[0].commission, d("268.75"));
        // Vendor b: ₦358.33 at 5% + ₦50 an item = 67.92 (67.9165), and 5% of ₦1,612.50 = 80.63 (80.625).
        assert_eq!(figures.commissions[1], d("67.92"));
        assert_eq!(figures.parts[1].commission, d("148.55"));
        assert_eq!(figures.rules[1], "vendor (5% + ₦50 an item)");
        // The marketplace's own goods bear none.
        assert_eq!((figures.commissions[2], figures.parts[2].commission), (d("0"), d("0")));
        assert_eq!(figures.rules[2], "");
    }
}
