//! Payments: every attempt to pay for an order is a row (order, amount, currency, method,
//! gateway, status, reference, the gateway's raw answer, times), and every answer about one —
//! a merchant confirming a transfer, a gateway's return or webhook — goes through [`settle_in`].
//!
//! Answers may come twice and in any order: the first that settles an attempt decides it, and
//! later ones change nothing. An answer whose amount or currency is not the attempt's is kept,
//! the attempt is flagged for the merchant, and the order is never marked paid by it. Money
//! that arrives for an order already called off is flagged the same way, to be refunded.

use rust_decimal::Decimal;
use uuid::Uuid;

use super::selling::Settings;
use super::work::{self, Who};
use super::{GatewayAttempt, OrderStatus, Payment, PaymentMethod, PaymentStatus, status};
use crate::base::{Actor, Permission, TenantId};
use crate::db::{in_tenant_tx, tenant_tx};
use crate::idempotency::{self, Once};
use crate::inventory::reserve;
use crate::{Clash, Currency, Error, Money};

/// What a payment provider (or the merchant) reports about an attempt.
#[derive(Clone, Debug)]
pub struct Report {
    /// Whether the money arrived.
    pub success: bool,
    /// The amount reported.
    pub amount: Decimal,
    /// The currency reported (its code).
    pub currency: String,
    /// The provider's answer as it came, kept with the attempt.
    pub answer: serde_json::Value,
}

/// What an answer did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The order is paid.
    Paid,
    /// The attempt failed; the order still waits.
    Failed,
    /// Kept and flagged for the merchant; the order is not paid by it.
    Flagged,
    /// The attempt was already settled; nothing changed.
    AlreadySettled,
    /// The provider has no answer yet (the payment is under way or was left); nothing changed.
    Waiting,
}

/// The step that starts a payment attempt for an order, in the caller's transaction. Its
/// reference is the store's and the order's ("OJAFRESH-1042-1"): what a shopper writes on a
/// transfer, and what a gateway is given.
pub(super) async fn start(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
    settings: &Settings,
    number: i64,
    method: PaymentMethod,
    amount: Decimal,
) -> Result<Uuid, Error> {
    let attempts = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM payments WHERE tenant_id = $1 AND order_id = $2"#,
        tenant.0,
        order
    )
    .fetch_one(&mut *tx)
    .await?;
    let reference = format!("{}-{number}-{}", settings.slug.to_uppercase(), attempts + 1);
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO payments (tenant_id, id, order_id, amount, currency, method, gateway, status, reference)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8)",
        tenant.0,
        id,
        order,
        amount,
        settings.currency.code(),
        method.code(),
        gateway(method),
        reference
    )
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// The gateway a method goes through ("" when none does).
fn gateway(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Paystack => "paystack",
        PaymentMethod::TestGateway => "test",
        PaymentMethod::PayOnDelivery | PaymentMethod::BankTransfer | PaymentMethod::Till => "",
    }
}

/// The merchant confirms that an order's bank transfer arrived: the order is paid and its
/// held stock is taken.
pub async fn confirm_transfer(db: &sqlx::PgPool, actor: &Actor, order: Uuid, once: Option<&Once>) -> Result<(), Error> {
    let scope = actor.require(Permission::ManageOrders)?;
    scope.whole_business("confirm payments")?;
    let tenant = scope.tenant;
    idempotency::run(db, tenant, once, async |tx| confirm_transfer_in(tx, tenant, actor, order).await).await
}

/// Confirms the transfers of several orders at once (a bank statement's worth), each as
/// [`confirm_transfer`] would; all or none.
pub async fn confirm_transfers(
    db: &sqlx::PgPool,
    actor: &Actor,
    orders: &[Uuid],
    once: Option<&Once>,
) -> Result<usize, Error> {
    let scope = actor.require(Permission::ManageOrders)?;
    scope.whole_business("confirm payments")?;
    let tenant = scope.tenant;
    if orders.is_empty() || orders.len() > 200 {
        return Err(Error::invalid("orders", "choose from 1 to 200 orders"));
    }
    idempotency::run(db, tenant, once, async |tx| {
        for order in orders {
            confirm_transfer_in(tx, tenant, actor, *order).await?;
        }
        Ok(orders.len())
    })
    .await
}

async fn confirm_transfer_in(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    order: Uuid,
) -> Result<(), Error> {
    let row = sqlx::query!(
        "SELECT id, amount, currency FROM payments
          WHERE tenant_id = $1 AND order_id = $2 AND method = 'bank_transfer' AND status = 'pending'
          ORDER BY created_at DESC LIMIT 1",
        tenant.0,
        order
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        // Not an order of the business's, or not one waiting for a transfer.
        let known = sqlx::query_scalar!("SELECT status FROM orders WHERE tenant_id = $1 AND id = $2", tenant.0, order)
            .fetch_optional(&mut *tx)
            .await?;
        return match known {
            None => Err(Error::not_found("order")),
            Some(_) => Err(Error::conflict(Clash::WrongState, "This order is not waiting for a bank transfer.")),
        };
    };
    let report = Report {
        success: true,
        amount: row.amount,
        currency: row.currency,
        answer: serde_json::json!({ "confirmed_by": actor.label() }),
    };
    match settle_in(tx, tenant, actor, &Who::of(actor), row.id, &report).await? {
        Outcome::Paid | Outcome::AlreadySettled | Outcome::Waiting => Ok(()),
        Outcome::Failed | Outcome::Flagged => Err(Error::conflict(
            Clash::WrongState,
            "This order was called off before its transfer was confirmed; refund the shopper instead.",
        )),
    }
}

/// The step every answer about a payment attempt goes through, in the caller's transaction
/// (see the module's notes).
/// `actor` is whoever carried the answer in (the merchant, the shopper returning from the
/// gateway); the stock taken is recorded as sold by them.
pub async fn settle_in(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    who: &Who,
    payment: Uuid,
    report: &Report,
) -> Result<Outcome, Error> {
    // The order is locked before its payment, as calling an order off does, so the two never
    // wait on each other.
    let order_id =
        sqlx::query_scalar!("SELECT order_id FROM payments WHERE tenant_id = $1 AND id = $2", tenant.0, payment)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::not_found("payment"))?;
    sqlx::query!("SELECT id FROM orders WHERE tenant_id = $1 AND id = $2 FOR UPDATE", tenant.0, order_id)
        .fetch_one(&mut *tx)
        .await?;
    let attempt = sqlx::query!(
        "SELECT p.order_id, p.amount, p.currency, p.status, o.status AS order_status, o.prefix, o.number, o.paid
           FROM payments p JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = p.order_id
          WHERE p.tenant_id = $1 AND p.id = $2
            FOR UPDATE OF p",
        tenant.0,
        payment
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("payment"))?;
    if attempt.status != PaymentStatus::Pending.code() && attempt.status != PaymentStatus::Failed.code() {
        return Ok(Outcome::AlreadySettled);
    }
    let order = attempt.order_id;
    let shown = super::order_number(&attempt.prefix, attempt.number);
    let currency = Currency::from_code(&attempt.currency).ok_or(Error::Internal)?;
    if !report.success {
        if attempt.status == PaymentStatus::Failed.code() {
            return Ok(Outcome::AlreadySettled);
        }
        mark(tx, tenant, payment, PaymentStatus::Failed, report, "").await?;
        work::event(tx, tenant, order, who, None, None, "Payment declined or abandoned.").await?;
        return Ok(Outcome::Failed);
    }
    let expected = Money::new(attempt.amount, currency);
    let mismatch = if report.currency != attempt.currency {
        Some(format!("Reported in {}, but the order is in {}.", report.currency, attempt.currency))
    } else if report.amount != attempt.amount {
        Some(format!("Reported {}, but the order is {expected}.", Money::new(report.amount, currency)))
    } else if attempt.paid || attempt.order_status != OrderStatus::AwaitingPayment.code() {
        let status = OrderStatus::from_code(&attempt.order_status).map_or("changed", OrderStatus::label);
        Some(format!(
            "Money arrived for order {shown}, which is already {}: refund or check it.",
            status.to_lowercase()
        ))
    } else {
        None
    };
    let lapsed = || {
        format!(
            "Money arrived for order {shown}, but its stock was given back: check the stock, then fulfil or refund."
        )
    };
    let reason = match mismatch {
        Some(reason) => Some(reason),
        None if !holds_still_there(tx, tenant, order).await? => Some(lapsed()),
        None => None,
    };
    if let Some(reason) = reason {
        mark(tx, tenant, payment, PaymentStatus::Flagged, report, &reason).await?;
        sqlx::query!(
            "UPDATE orders SET payment_flagged = true, updated_at = now() WHERE tenant_id = $1 AND id = $2",
            tenant.0,
            order
        )
        .execute(&mut *tx)
        .await?;
        work::event(tx, tenant, order, who, None, None, &format!("Payment needs checking. {reason}")).await?;
        return Ok(Outcome::Flagged);
    }
    mark(tx, tenant, payment, PaymentStatus::Succeeded, report, "").await?;
    take_held_stock(tx, tenant, actor, order, &shown).await?;
    let settlement = PaymentMethod::Paystack.settlement();
    let fulfilment = work::fulfilment_of(tx, tenant, order).await?;
    if !status::allowed(OrderStatus::AwaitingPayment, OrderStatus::Paid, fulfilment, settlement) {
        return Err(Error::Internal);
    }
    sqlx::query!(
        "UPDATE orders SET status = 'paid', paid = true, paid_at = now(), pay_by = NULL, updated_at = now()
          WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        order
    )
    .execute(&mut *tx)
    .await?;
    work::event(
        tx,
        tenant,
        order,
        who,
        Some(OrderStatus::AwaitingPayment),
        Some(OrderStatus::Paid),
        &format!("{expected} received."),
    )
    .await?;
    super::parts::paid_in(tx, tenant, order, who).await?;
    work::tell_shopper(tx, tenant, order, "is paid").await?;
    Ok(Outcome::Paid)
}

/// Whether every hold of the order is still held (none lapsed or was given back).
async fn holds_still_there(tx: &mut sqlx::PgConnection, tenant: TenantId, order: Uuid) -> Result<bool, Error> {
    let lost = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM order_lines l JOIN stock_reservations r
              ON r.tenant_id = l.tenant_id AND r.id = l.reservation_id
            WHERE l.tenant_id = $1 AND l.order_id = $2 AND r.status <> 'held'"#,
        tenant.0,
        order
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(lost == 0)
}

/// Sells the order's held units: its stock leaves the shelves as a sale.
async fn take_held_stock(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    order: Uuid,
    shown: &str,
) -> Result<(), Error> {
    let held = sqlx::query_scalar!(
        r#"SELECT reservation_id AS "id!" FROM order_lines
            WHERE tenant_id = $1 AND order_id = $2 AND reservation_id IS NOT NULL ORDER BY variant_id"#,
        tenant.0,
        order
    )
    .fetch_all(&mut *tx)
    .await?;
    reserve::sell_all_held(tx, tenant, actor, &held, &format!("order {shown}")).await
}

async fn mark(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    payment: Uuid,
    to: PaymentStatus,
    report: &Report,
    reason: &str,
) -> Result<(), Error> {
    sqlx::query!(
        "UPDATE payments SET status = $3, answer = $4, flag_reason = $5, updated_at = now()
          WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        payment,
        to.code(),
        report.answer,
        reason
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The latest test-gateway attempt of the order with this key, for the gateway's page.
pub async fn test_attempt(db: &sqlx::PgPool, actor: &Actor, view_key: Uuid) -> Result<GatewayAttempt, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let attempt = latest_test_attempt(&mut tx, tenant, view_key).await?;
    tx.commit().await?;
    Ok(attempt)
}

async fn latest_test_attempt(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    view_key: Uuid,
) -> Result<GatewayAttempt, Error> {
    let row = sqlx::query!(
        "SELECT p.id, p.order_id, p.amount, p.currency, p.status, p.reference, p.flag_reason, p.created_at, p.updated_at,
                o.prefix, o.number, o.pay_by
           FROM orders o JOIN payments p ON p.tenant_id = o.tenant_id AND p.order_id = o.id
          WHERE o.tenant_id = $1 AND o.view_key = $2 AND p.method = 'test_gateway'
          ORDER BY p.created_at DESC, p.id DESC LIMIT 1",
        tenant.0,
        view_key
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("payment"))?;
    let currency = Currency::from_code(&row.currency).ok_or(Error::Internal)?;
    Ok(GatewayAttempt {
        payment: Payment {
            id: row.id,
            order: row.order_id,
            amount: Money::new(row.amount, currency),
            method: PaymentMethod::TestGateway,
            status: PaymentStatus::from_code(&row.status).ok_or(Error::Internal)?,
            reference: row.reference,
            flag_reason: row.flag_reason,
            created_at: row.created_at,
            updated_at: row.updated_at,
        },
        number: super::order_number(&row.prefix, row.number),
        view_key,
        pay_by: row.pay_by,
    })
}

/// The test gateway's answer: the shopper approves or declines on its page, and it reports
/// that as a provider would. A declined order may be tried again while its window is open.
pub async fn answer_test(db: &sqlx::PgPool, actor: &Actor, view_key: Uuid, approve: bool) -> Result<Outcome, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    in_tenant_tx(db, tenant, async |tx| {
        let mut attempt = latest_test_attempt(tx, tenant, view_key).await?;
        if attempt.payment.status == PaymentStatus::Failed && approve {
            // Trying again after a decline: a new attempt, if the order still waits.
            let order = sqlx::query!(
                r#"SELECT number, (status = 'awaiting_payment' AND (pay_by IS NULL OR pay_by > now())) AS "waiting!"
                     FROM orders WHERE tenant_id = $1 AND id = $2"#,
                tenant.0,
                attempt.payment.order
            )
            .fetch_one(&mut *tx)
            .await?;
            if !order.waiting {
                return Err(Error::conflict(Clash::WrongState, "This order can no longer be paid; it was called off."));
            }
            let settings = super::selling::settings(tx, tenant).await?;
            let amount = attempt.payment.amount.amount;
            let id = start(tx, tenant, attempt.payment.order, &settings, order.number, PaymentMethod::TestGateway, amount)
                .await?;
            attempt.payment.id = id;
        }
        let report = Report {
            success: approve,
            amount: attempt.payment.amount.amount,
            currency: attempt.payment.amount.currency.code().to_owned(),
            answer: serde_json::json!({ "gateway": "test", "approved": approve, "reference": attempt.payment.reference }),
        };
        settle_in(tx, tenant, actor, &Who::gateway("Test gateway"), attempt.payment.id, &report).await
    })
    .await
}

/// Calls off orders whose payment did not arrive in time, up to `limit` at a time, across
/// every business (the worker's job): their holds are given back and their pending attempts
/// fail. Several instances may run it at once; each order is called off once.
pub async fn call_off_unpaid(db: &sqlx::PgPool, limit: i32) -> Result<usize, Error> {
    let due = sqlx::query!(r#"SELECT tenant_id AS "tenant_id!", id AS "id!" FROM unpaid_orders_due($1)"#, limit)
        .fetch_all(db)
        .await?;
    let mut called_off = 0;
    for order in due {
        let tenant = TenantId(order.tenant_id);
        let done = in_tenant_tx(db, tenant, async |tx| {
            let still = sqlx::query_scalar!(
                r#"SELECT (status = 'awaiting_payment' AND NOT paid AND pay_by < now()) AS "due!"
                     FROM orders WHERE tenant_id = $1 AND id = $2 FOR UPDATE SKIP LOCKED"#,
                tenant.0,
                order.id
            )
            .fetch_optional(&mut *tx)
            .await?;
            if still != Some(true) {
                return Ok(false);
            }
            work::cancel_in(
                tx,
                tenant,
                None,
                &Who::system(),
                order.id,
                "Not paid in time; called off and its stock given back.",
            )
            .await?;
            Ok(true)
        })
        .await?;
        called_off += usize::from(done);
    }
    Ok(called_off)
}

/// A page of the business's payment attempts, newest first, from the key in `after` (the
/// last row's start time and id).
pub async fn list(
    db: &sqlx::PgPool,
    actor: &Actor,
    after: Option<(chrono::DateTime<chrono::Utc>, Uuid)>,
    limit: i64,
) -> Result<crate::base::page::Page<Payment>, Error> {
    let scope = actor.require(Permission::ViewOrders)?;
    scope.whole_business("see payments")?;
    let tenant = scope.tenant;
    let (after_at, after_id) = after.unzip();
    let limit = limit.clamp(1, 200);
    let mut tx = tenant_tx(db, tenant).await?;
    let rows = sqlx::query_as!(
        PaymentRow,
        "SELECT id, order_id, amount, currency, method, status, reference, flag_reason, created_at, updated_at
           FROM payments
          WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
          ORDER BY created_at DESC, id DESC
          LIMIT $4",
        tenant.0,
        after_at,
        after_id,
        limit + 1
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let rows = rows.into_iter().map(PaymentRow::payment).collect::<Result<Vec<_>, Error>>()?;
    Ok(crate::base::page::Page::from_extra(rows, limit, |p| (p.created_at, p.id)))
}

/// A payment attempt as its row holds it.
pub(super) struct PaymentRow {
    pub id: Uuid,
    pub order_id: Uuid,
    pub amount: Decimal,
    pub currency: String,
    pub method: String,
    pub status: String,
    pub reference: String,
    pub flag_reason: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl PaymentRow {
    /// The attempt, read.
    pub(super) fn payment(self) -> Result<Payment, Error> {
        Ok(Payment {
            id: self.id,
            order: self.order_id,
            amount: Money::new(self.amount, Currency::from_code(&self.currency).ok_or(Error::Internal)?),
            method: PaymentMethod::from_code(&self.method).ok_or(Error::Internal)?,
            status: PaymentStatus::from_code(&self.status).ok_or(Error::Internal)?,
            reference: self.reference,
            flag_reason: self.flag_reason,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gateway_is_named_only_for_gateways() {
        assert_eq!(gateway(PaymentMethod::TestGateway), "test");
        assert_eq!(gateway(PaymentMethod::Paystack), "paystack");
        assert_eq!(gateway(PaymentMethod::BankTransfer), "");
    }
}
