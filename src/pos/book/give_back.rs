//! Booking goods brought back at a till against a receipt: the stock comes back to the
//! register's shop, and the money goes back by the tenders the till records.

use rust_decimal::Decimal;
use uuid::Uuid;

use super::{Booking, taken};
use crate::base::{Actor, Role};
use crate::inventory::MovementReason;
use crate::pos::{ReturnDoc, ReturnLine};
use crate::{Clash, Error};

impl Booking {
    /// Books goods brought back against a till's receipt: no more of a line than was sold and
    /// not yet brought back, each line giving back its share of what was paid.
    pub(super) async fn give_back(
        &mut self,
        tx: &mut sqlx::PgConnection,
        cashier: &Actor,
        d: &ReturnDoc,
    ) -> Result<(), Error> {
        self.shift(tx, d.shift).await?;
        let approver = if matches!(cashier, Actor::Staff(s) if matches!(s.role, Role::Owner | Role::Manager)) {
            d.approved_by
        } else {
            Some(self.approver(tx, d.approved_by, "take goods back").await?)
        };
        let sale = sqlx::query!(
            r#"SELECT receipt, currency FROM orders WHERE tenant_id = $1 AND id = $2"#,
            self.tenant().0,
            d.sale
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::conflict(Clash::WrongState, "its sale is not booked; it is booked once the sale is"))?;
        let Some(sale_receipt) = sale.receipt else {
            return Err(Error::invalid("sale", "only a sale made at a till is taken back at a till"));
        };
        let lines = sqlx::query!(
            r#"SELECT l.position, l.variant_id, l.quantity, l.vat, l.total,
                      coalesce((SELECT sum(r.quantity) FROM till_return_lines r
                                 WHERE r.tenant_id = l.tenant_id AND r.order_id = l.order_id
                                   AND r.position = l.position), 0)::integer AS "returned!"
                 FROM order_lines l WHERE l.tenant_id = $1 AND l.order_id = $2 FOR UPDATE OF l"#,
            self.tenant().0,
            d.sale
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut figures = Vec::with_capacity(d.lines.len());
        for back in &d.lines {
            let line = lines.iter().find(|l| l.position == back.position).ok_or_else(|| {
                Error::invalid("lines", format!("receipt {sale_receipt} has no line {}", back.position + 1))
            })?;
            if back.quantity > line.quantity - line.returned {
                return Err(Error::invalid(
                    "lines",
                    format!(
                        "line {} of receipt {sale_receipt}: {} sold, {} brought back already; {} more cannot come back",
                        back.position + 1,
                        line.quantity,
                        line.returned,
                        back.quantity
                    ),
                ));
            }
            figures.push((
                back,
                line.variant_id,
                crate::pos::return_figures(line.quantity, line.vat, line.total, back.quantity),
            ));
        }
        self.write_return(tx, cashier, d, approver, &sale_receipt, &sale.currency, &figures).await
    }

    /// The step that writes a checked return: its lines, the money given back, the sale's
    /// timeline, its audit row, and the stock coming back (for the batch's end).
    #[expect(clippy::too_many_arguments, reason = "a checked return's parts")]
    async fn write_return(
        &mut self,
        tx: &mut sqlx::PgConnection,
        cashier: &Actor,
        d: &ReturnDoc,
        approver: Option<Uuid>,
        sale_receipt: &str,
        currency: &str,
        figures: &[(&ReturnLine, Uuid, (Decimal, Decimal, Decimal))],
    ) -> Result<(), Error> {
        let total: Decimal = figures.iter().map(|(_, _, (_, _, t))| *t).sum();
        if total != d.total {
            return Err(Error::invalid(
                "total",
                format!("the return gives back {}, but its lines come to {total}", d.total),
            ));
        }
        let net: Decimal = figures.iter().map(|(_, _, (n, _, _))| *n).sum();
        let vat: Decimal = figures.iter().map(|(_, _, (_, v, _))| *v).sum();
        sqlx::query!(
            "INSERT INTO till_returns (tenant_id, id, order_id, receipt, register_id, shift_id, cashier_id, approved_by,
                                       reason, currency, net, vat, total, made_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            self.tenant().0,
            d.id,
            d.sale,
            d.receipt,
            self.register.id,
            d.shift,
            cashier.id(),
            approver,
            d.reason.trim(),
            currency,
            net,
            vat,
            total,
            d.made_at
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.constraint() == Some("till_returns_receipt_unique") => Error::conflict(
                Clash::WrongState,
                format!("receipt {} is booked already for another return; the till's numbering restarted", d.receipt),
            ),
            _ => taken(e, "till_returns_pkey", "a return with this id is booked already"),
        })?;
        sqlx::query!(
            "INSERT INTO till_return_lines (tenant_id, return_id, order_id, position, quantity, net, vat, total)
             SELECT $1, $2, $3, l.position, l.quantity, l.net, l.vat, l.total
               FROM unnest($4::integer[], $5::integer[], $6::numeric[], $7::numeric[], $8::numeric[])
                    AS l(position, quantity, net, vat, total)",
            self.tenant().0,
            d.id,
            d.sale,
            &figures.iter().map(|(b, _, _)| b.position).collect::<Vec<_>>(),
            &figures.iter().map(|(b, _, _)| b.quantity).collect::<Vec<_>>(),
            &figures.iter().map(|(_, _, (n, _, _))| *n).collect::<Vec<_>>(),
            &figures.iter().map(|(_, _, (_, v, _))| *v).collect::<Vec<_>>(),
            &figures.iter().map(|(_, _, (_, _, t))| *t).collect::<Vec<_>>(),
        )
        .execute(&mut *tx)
        .await?;
        self.tenders(tx, d.shift, None, Some(d.id), &d.tenders, Decimal::NEGATIVE_ONE, d.made_at).await?;
        let note = format!("Goods brought back at the till, receipt {}: {} given back.", d.receipt, total);
        self.event(tx, d.sale, cashier, d.made_at, false, &note).await?;
        for (back, variant, _) in figures {
            let reference = format!("return {} of {sale_receipt}", d.receipt);
            self.moves_stock(cashier, *variant, back.quantity, MovementReason::Return, reference);
        }
        let after = serde_json::json!({
            "receipt": d.receipt, "of": sale_receipt, "total": crate::base::money::exact(total),
        });
        self.record(tx, cashier, ("order", d.sale, "return_at_till"), after).await
    }
}
