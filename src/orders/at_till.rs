//! What an order rung at a till carries beyond other orders: its receipt, register and
//! cashier, the tenders that paid it, and the goods brought back against it.

use rust_decimal::Decimal;
use uuid::Uuid;

use super::{AtTill, TillReturn, TillTender};
use crate::base::TenantId;
use crate::{Currency, Error, Money};

/// The till's part of an order, if it was rung at one.
pub(super) async fn of(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
    currency: Currency,
) -> Result<Option<AtTill>, Error> {
    let money = |amount: Decimal| Money::new(crate::base::money::exact(amount), currency);
    let Some(head) = sqlx::query!(
        r#"SELECT o.receipt AS "receipt!", r.name AS register, u.name AS cashier
             FROM orders o
             JOIN registers r ON r.tenant_id = o.tenant_id AND r.id = o.register_id
             JOIN users u ON u.id = o.cashier_id
            WHERE o.tenant_id = $1 AND o.id = $2 AND o.receipt IS NOT NULL"#,
        tenant.0,
        order
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let tenders = sqlx::query!(
        "SELECT tender, amount, tendered, change, reference FROM till_tenders
          WHERE tenant_id = $1 AND order_id = $2 ORDER BY id",
        tenant.0,
        order
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|t| TillTender {
        tender: t.tender,
        amount: money(t.amount),
        tendered: t.tendered.map(money),
        change: t.change.filter(|c| *c > Decimal::ZERO).map(money),
        reference: t.reference,
    })
    .collect();
    let returns = sqlx::query!(
        "SELECT receipt, total, made_at FROM till_returns WHERE tenant_id = $1 AND order_id = $2 ORDER BY made_at, id",
        tenant.0,
        order
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| TillReturn { receipt: r.receipt, total: money(r.total), made_at: r.made_at })
    .collect();
    Ok(Some(AtTill { receipt: head.receipt, register: head.register, cashier: head.cashier, tenders, returns }))
}
