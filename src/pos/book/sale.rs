//! Booking a sale made at a till: an order of channel `pos`, collected and paid at the
//! register's shop when it was made, at the prices and VAT the till used.

use std::collections::HashMap;

use rust_decimal::Decimal;
use uuid::Uuid;

use super::{Booking, taken};
use crate::base::Actor;
use crate::inventory::MovementReason;
use crate::orders::Totals;
use crate::pos::Sale;
use crate::{Clash, Error};

impl Booking {
    /// Books a sale: checked against its shift, who allowed other prices, the catalog and its
    /// customer, then written.
    pub(super) async fn sale(&mut self, tx: &mut sqlx::PgConnection, cashier: &Actor, d: &Sale) -> Result<(), Error> {
        if d.currency != self.currency {
            return Err(Error::invalid("currency", format!("the business sells in {}", self.currency.code())));
        }
        self.shift(tx, d.shift).await?;
        for line in d.lines.iter().filter(|l| l.needs_approval()) {
            self.approver(tx, line.approved_by, "sell at another price or with a discount").await?;
        }
        let totals = d.totals().map_err(|m| Error::invalid("lines", m))?;
        let variants: Vec<Uuid> = d.lines.iter().map(|l| l.variant).collect();
        let products: HashMap<Uuid, Uuid> = sqlx::query!(
            "SELECT id, product_id FROM variants WHERE tenant_id = $1 AND id = ANY($2)",
            self.tenant().0,
            &variants
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| (r.id, r.product_id))
        .collect();
        if let Some(missing) = d.lines.iter().find(|l| !products.contains_key(&l.variant)) {
            return Err(Error::not_found(format!("the item {} ({})", missing.name, missing.sku)));
        }
        let customer = match d.customer {
            Some(id) => Some(self.customer_of(tx, id).await?),
            None => None,
        };
        self.write_sale(tx, cashier, d, &totals, &products, customer).await
    }

    /// The step that writes a checked sale: its order, lines, tenders and timeline, its audit
    /// row, and the stock it moves (for the batch's end).
    async fn write_sale(
        &mut self,
        tx: &mut sqlx::PgConnection,
        cashier: &Actor,
        d: &Sale,
        totals: &Totals,
        products: &HashMap<Uuid, Uuid>,
        customer: Option<Uuid>,
    ) -> Result<(), Error> {
        let number = self.numbers.pop_front().ok_or(Error::Internal)?;
        let view_key = crate::identity::token::random_id()?;
        sqlx::query!(
            r#"INSERT INTO orders (tenant_id, id, view_key, prefix, number, channel, status, fulfilment, payment_method,
                                   paid, customer_id, contact_name, contact_phone, contact_email, pickup_location_id,
                                   currency, vat_rate, prices_include_tax, subtotal, discount, vat, delivery, total,
                                   placed_at, paid_at, updated_at, register_id, shift_id, receipt, cashier_id)
               SELECT $1, $2, $3, $4, $5, 'pos', 'completed', 'pickup', 'till', true, c.id,
                      coalesce(c.name, 'Walk-in customer'), coalesce(c.phone, ''), c.email, $6, $7, $8, $9, $10, $11,
                      $12, 0, $13, $14, $14, now(), $15, $16, $17, $18
                 FROM (SELECT NULL) AS nothing
                 LEFT JOIN customers c ON c.tenant_id = $1 AND c.id = $19"#,
            self.tenant().0,
            d.id,
            view_key,
            self.order_prefix,
            number,
            self.register.location.0,
            d.currency.code(),
            d.vat.rate,
            d.vat.prices_include_tax,
            totals.subtotal,
            totals.discount,
            totals.vat,
            totals.total,
            d.made_at,
            self.register.id,
            d.shift,
            d.receipt,
            cashier.id(),
            customer,
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.constraint() == Some("orders_receipt_unique") => Error::conflict(
                Clash::WrongState,
                format!("receipt {} is booked already for another sale; the till's numbering restarted", d.receipt),
            ),
            _ => taken(e, "orders_pkey", "an order with this id is booked already"),
        })?;
        let figures = &totals.lines;
        sqlx::query!(
            "INSERT INTO order_lines (tenant_id, order_id, position, variant_id, product_id, name, sku, unit_price,
                                      quantity, discount, tax_class, net, vat, total, shelf_price, approved_by)
             SELECT $1, $2, l.position - 1, l.variant, l.product, l.name, l.sku, l.unit_price, l.quantity, l.discount,
                    l.tax_class, l.net, l.vat, l.total, l.shelf_price, l.approved_by
               FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::numeric[], $8::integer[], $9::numeric[],
                           $10::text[], $11::numeric[], $12::numeric[], $13::numeric[], $14::numeric[], $15::uuid[])
                    WITH ORDINALITY AS l(variant, product, name, sku, unit_price, quantity, discount, tax_class, net,
                                         vat, total, shelf_price, approved_by, position)",
            self.tenant().0,
            d.id,
            &d.lines.iter().map(|l| l.variant).collect::<Vec<_>>(),
            &d.lines.iter().map(|l| products[&l.variant]).collect::<Vec<_>>(),
            &d.lines.iter().map(|l| l.name.trim().to_owned()).collect::<Vec<_>>(),
            &d.lines.iter().map(|l| l.sku.clone()).collect::<Vec<_>>(),
            &d.lines.iter().map(|l| l.unit_price).collect::<Vec<_>>(),
            &d.lines.iter().map(|l| l.quantity).collect::<Vec<_>>(),
            &figures.iter().map(|f| f.discount).collect::<Vec<_>>(),
            &d.lines.iter().map(|l| l.tax_class.code().to_owned()).collect::<Vec<_>>(),
            &figures.iter().map(|f| f.net).collect::<Vec<_>>(),
            &figures.iter().map(|f| f.vat).collect::<Vec<_>>(),
            &figures.iter().map(|f| f.total).collect::<Vec<_>>(),
            &d.lines.iter().map(|l| (l.unit_price != l.shelf_price).then_some(l.shelf_price)).collect::<Vec<_>>()
                as &[Option<Decimal>],
            &d.lines.iter().map(|l| l.approved_by.filter(|_| l.needs_approval())).collect::<Vec<_>>()
                as &[Option<Uuid>],
        )
        .execute(&mut *tx)
        .await?;
        self.tenders(tx, d.shift, Some(d.id), None, &d.tenders, Decimal::ONE, d.made_at).await?;
        let note = format!("Sold at the till, receipt {}.", d.receipt);
        self.event(tx, d.id, cashier, d.made_at, true, &note).await?;
        self.sold(cashier, d);
        let after = serde_json::json!({
            "receipt": d.receipt, "number": crate::orders::order_number(&self.order_prefix, number),
            "total": crate::base::money::exact(d.total), "lines": d.lines.len(),
        });
        self.record(tx, cashier, ("order", d.id, "sell_at_till"), after).await
    }

    /// The stock a sale takes from the register's shop, moved at the batch's end.
    fn sold(&mut self, cashier: &Actor, d: &Sale) {
        for line in &d.lines {
            self.moves_stock(
                cashier,
                line.variant,
                -line.quantity,
                MovementReason::Sale,
                format!("receipt {}", d.receipt),
            );
        }
    }

    /// The customer a sale names: one of the business's, or one the till made and that joined
    /// a customer known by their number.
    async fn customer_of(&self, tx: &mut sqlx::PgConnection, id: Uuid) -> Result<Uuid, Error> {
        sqlx::query_scalar!(
            r#"SELECT c.id AS "id!" FROM customers c
                WHERE c.tenant_id = $1
                  AND c.id = coalesce((SELECT d.booked_as FROM till_documents d
                                        WHERE d.tenant_id = $1 AND d.id = $2 AND d.kind = 'customer'
                                          AND d.status = 'booked'), $2)"#,
            self.tenant().0,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            Error::conflict(Clash::WrongState, "its customer is not booked; it is booked once the customer is")
        })
    }
}
