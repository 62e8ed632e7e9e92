//! Booking one document of a till into the books, in the batch's transaction: a customer, a
//! shift and its close, cash in and out, a sale (an order of channel `pos` with its lines,
//! tenders and timeline) and a return. What the document is checked against is read here;
//! stock is collected and moved for the whole batch at its end (see [`Booking::moves`]).
//!
//! A refusal is an `Error` the cashier can read (`Invalid`, `Conflict`, `Forbidden`,
//! `NotFound`); the caller keeps the document as refused with it.

mod give_back;
mod sale;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::register::Register;
use super::{CashMovement, CustomerDoc, Document, ShiftClose, ShiftOpen, Tender, TenderLine};
use crate::base::{Actor, Permission, Role, Shops, StaffMember, TenantId};
use crate::catalog::VariantId;
use crate::inventory::MovementReason;
use crate::inventory::ledger::TillMove;
use crate::{Clash, Currency, Error};

/// What a batch's documents are booked with: the register, who may act at it, the order
/// numbers drawn for its sales, and the stock its documents move.
pub struct Booking {
    /// The register that sent the batch.
    pub register: Register,
    /// Its receipts' prefix.
    pub prefix: String,
    /// The business's currency.
    pub currency: Currency,
    /// The business's order number prefix.
    pub order_prefix: String,
    /// Order numbers drawn for the batch's sales, used from the front.
    pub numbers: std::collections::VecDeque<i64>,
    /// Book what a deactivated cashier or a revoked register made: a manager's decision.
    pub overriding: bool,
    /// Stock moved by the documents booked so far.
    pub moves: Vec<TillMove>,
    members: HashMap<Uuid, Option<Member>>,
}

/// A member of the business, as a till's documents name them.
#[derive(Clone)]
struct Member {
    actor: Actor,
    role: Role,
    active: bool,
}

impl Booking {
    /// A booking for `register`'s batch.
    pub async fn new(
        tx: &mut sqlx::PgConnection,
        register: &Register,
        numbers: Vec<i64>,
        overriding: bool,
    ) -> Result<Self, Error> {
        let row = sqlx::query!(
            "SELECT r.prefix, t.currency, t.order_prefix FROM registers r JOIN tenants t ON t.id = r.tenant_id
              WHERE r.tenant_id = $1 AND r.id = $2",
            register.tenant.0,
            register.id
        )
        .fetch_one(&mut *tx)
        .await?;
        Ok(Self {
            register: register.clone(),
            prefix: row.prefix,
            currency: Currency::from_code(&row.currency).ok_or(Error::Internal)?,
            order_prefix: row.order_prefix,
            numbers: numbers.into(),
            overriding,
            moves: Vec::new(),
            members: HashMap::new(),
        })
    }

    fn tenant(&self) -> TenantId {
        self.register.tenant
    }

    /// Books `doc`, answering what it became when that is not itself.
    pub async fn book(&mut self, tx: &mut sqlx::PgConnection, doc: &Document) -> Result<Option<Uuid>, Error> {
        if self.register.revoked && !self.overriding {
            return Err(Error::Forbidden(
                "book documents from a register that was revoked; a manager decides on them".to_owned(),
            ));
        }
        doc.check(&self.prefix, Utc::now()).map_err(|m| Error::invalid("document", m))?;
        let cashier = self.cashier(tx, doc.cashier()).await?;
        match doc {
            Document::Customer(d) => self.customer(tx, &cashier, d).await,
            Document::ShiftOpen(d) => self.open(tx, &cashier, d).await.map(|()| None),
            Document::CashMovement(d) => self.cash(tx, d).await.map(|()| None),
            Document::Sale(d) => self.sale(tx, &cashier, d).await.map(|()| None),
            Document::Return(d) => self.give_back(tx, &cashier, d).await.map(|()| None),
            Document::ShiftClose(d) => self.close(tx, &cashier, d).await.map(|()| None),
        }
    }

    /// The member who made a document, refused when they may not sell at this register now.
    async fn cashier(&mut self, tx: &mut sqlx::PgConnection, id: Uuid) -> Result<Actor, Error> {
        let member = self.member(tx, id).await?.ok_or_else(|| Error::not_found("cashier"))?;
        if !member.active && !self.overriding {
            return Err(Error::Forbidden(format!(
                "book a sale by {}: their access was ended; a manager decides on it",
                member.actor_name()
            )));
        }
        member.actor.require_at(Permission::SellAtPos, self.register.location)?;
        Ok(member.actor)
    }

    /// Refused unless `id` names an owner or manager of the business (who allowed something).
    async fn approver(&mut self, tx: &mut sqlx::PgConnection, id: Option<Uuid>, what: &str) -> Result<Uuid, Error> {
        let id = id.ok_or_else(|| Error::Forbidden(format!("{what} without a manager's PIN")))?;
        match self.member(tx, id).await? {
            Some(m) if matches!(m.role, Role::Owner | Role::Manager) => Ok(id),
            _ => Err(Error::Forbidden(format!("{what}: the one who allowed it is not a manager here"))),
        }
    }

    async fn member(&mut self, tx: &mut sqlx::PgConnection, id: Uuid) -> Result<Option<Member>, Error> {
        if let Some(known) = self.members.get(&id) {
            return Ok(known.clone());
        }
        let row = sqlx::query!(
            r#"SELECT m.role, m.active, m.vendor_id, u.name, u.email, t.name AS tenant_name,
                      (SELECT array_agg(ml.location_id) FROM membership_locations ml
                        WHERE ml.tenant_id = m.tenant_id AND ml.user_id = m.user_id) AS shops
                 FROM memberships m JOIN users u ON u.id = m.user_id JOIN tenants t ON t.id = m.tenant_id
                WHERE m.tenant_id = $1 AND m.user_id = $2"#,
            self.tenant().0,
            id
        )
        .fetch_optional(&mut *tx)
        .await?;
        let member = row.and_then(|r| {
            let role = Role::from_code(&r.role)?;
            let actor = Actor::Staff(StaffMember {
                user: id,
                name: r.name,
                email: r.email,
                tenant: self.tenant(),
                tenant_name: r.tenant_name,
                role,
                vendor: r.vendor_id.map(crate::base::VendorId),
                shops: Shops::bound_to(r.shops),
                platform_admin: false,
                zone: crate::base::Zone::default(),
            });
            Some(Member { actor, role, active: r.active })
        });
        self.members.insert(id, member.clone());
        Ok(member)
    }

    async fn customer(
        &mut self,
        tx: &mut sqlx::PgConnection,
        cashier: &Actor,
        d: &CustomerDoc,
    ) -> Result<Option<Uuid>, Error> {
        let phone = crate::base::phone::nigerian_mobile(&d.phone).ok_or(Error::Internal)?;
        let email = d.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_lowercase);
        // Someone the business knows by their number already: the till's customer is them.
        let joined = sqlx::query_scalar!(
            r#"INSERT INTO customers (tenant_id, id, name, phone, email, created_at) VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (tenant_id, phone) DO UPDATE SET phone = excluded.phone
               RETURNING id"#,
            self.tenant().0,
            d.id,
            d.name.trim(),
            phone,
            email,
            d.made_at.min(Utc::now())
        )
        .fetch_one(&mut *tx)
        .await?;
        let action = if joined == d.id { "create_at_till" } else { "join_at_till" };
        self.record(
            tx,
            cashier,
            ("customer", joined, action),
            serde_json::json!({ "name": d.name.trim(), "phone": phone }),
        )
        .await?;
        Ok((joined != d.id).then_some(joined))
    }

    async fn open(&mut self, tx: &mut sqlx::PgConnection, cashier: &Actor, d: &ShiftOpen) -> Result<(), Error> {
        sqlx::query!(
            "INSERT INTO till_shifts (tenant_id, id, register_id, location_id, currency, opened_by, opened_at, opening_float)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            self.tenant().0,
            d.id,
            self.register.id,
            self.register.location.0,
            self.currency.code(),
            cashier.id(),
            d.made_at,
            d.float
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| taken(e, "till_shifts_pkey", "a shift with this id is booked already"))?;
        Ok(())
    }

    /// The shift a document names: this register's, and whether it is closed.
    async fn shift(&self, tx: &mut sqlx::PgConnection, id: Uuid) -> Result<bool, Error> {
        let row = sqlx::query!(
            r#"SELECT register_id, closed_at IS NOT NULL AS "closed!" FROM till_shifts WHERE tenant_id = $1 AND id = $2"#,
            self.tenant().0,
            id
        )
        .fetch_optional(&mut *tx)
        .await?;
        match row {
            Some(r) if r.register_id == self.register.id => Ok(r.closed),
            Some(_) => Err(Error::invalid("shift", "the shift is another register's")),
            None => Err(Error::conflict(
                Clash::WrongState,
                "its shift is not booked (its opening was refused, or has not arrived); it is booked once the shift is",
            )),
        }
    }

    async fn cash(&mut self, tx: &mut sqlx::PgConnection, d: &CashMovement) -> Result<(), Error> {
        self.shift(tx, d.shift).await?;
        sqlx::query!(
            "INSERT INTO till_cash_movements (tenant_id, id, shift_id, direction, amount, reason, made_by, made_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            self.tenant().0,
            d.id,
            d.shift,
            d.direction.code(),
            d.amount,
            d.reason.trim(),
            d.cashier,
            d.made_at
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| taken(e, "till_cash_movements_pkey", "a cash movement with this id is booked already"))?;
        Ok(())
    }

    async fn close(&mut self, tx: &mut sqlx::PgConnection, cashier: &Actor, d: &ShiftClose) -> Result<(), Error> {
        if self.shift(tx, d.shift).await? {
            return Err(Error::conflict(Clash::WrongState, "the shift was closed already"));
        }
        let denominations = serde_json::to_value(&d.denominations).map_err(|_| Error::Internal)?;
        let counted = serde_json::to_value(&d.counted).map_err(|_| Error::Internal)?;
        sqlx::query!(
            "UPDATE till_shifts SET closed_by = $3, closed_at = $4, denominations = $5, counted = $6, close_note = $7
              WHERE tenant_id = $1 AND id = $2",
            self.tenant().0,
            d.shift,
            cashier.id(),
            d.made_at,
            denominations,
            counted,
            d.note.trim()
        )
        .execute(&mut *tx)
        .await?;
        Ok(())
    }

    /// Writes a sale's tenders (`sign` 1) or a return's (`sign` -1: money given back).
    #[expect(clippy::too_many_arguments, reason = "a tender row's parts")]
    async fn tenders(
        &self,
        tx: &mut sqlx::PgConnection,
        shift: Uuid,
        order: Option<Uuid>,
        given_back: Option<Uuid>,
        tenders: &[TenderLine],
        sign: Decimal,
        at: DateTime<Utc>,
    ) -> Result<(), Error> {
        if tenders.is_empty() {
            return Ok(());
        }
        sqlx::query!(
            "INSERT INTO till_tenders (tenant_id, id, shift_id, order_id, return_id, tender, amount, tendered, change,
                                       reference, made_at)
             SELECT $1, t.id, $2, $3, $4, t.tender, t.amount, t.tendered, t.change, t.reference, $5
               FROM unnest($6::uuid[], $7::text[], $8::numeric[], $9::numeric[], $10::numeric[], $11::text[])
                    AS t(id, tender, amount, tendered, change, reference)",
            self.tenant().0,
            shift,
            order,
            given_back,
            at,
            &tenders.iter().map(|_| Uuid::now_v7()).collect::<Vec<_>>(),
            &tenders.iter().map(|t| t.tender.code().to_owned()).collect::<Vec<_>>(),
            &tenders.iter().map(|t| t.amount * sign).collect::<Vec<_>>(),
            &tenders.iter().map(|t| t.tendered).collect::<Vec<_>>() as &[Option<Decimal>],
            &tenders.iter().map(|t| (t.tender == Tender::Cash).then(|| t.change())).collect::<Vec<_>>()
                as &[Option<Decimal>],
            &tenders.iter().map(|t| t.reference.trim().to_owned()).collect::<Vec<_>>(),
        )
        .execute(&mut *tx)
        .await?;
        Ok(())
    }

    async fn event(
        &self,
        tx: &mut sqlx::PgConnection,
        order: Uuid,
        cashier: &Actor,
        at: DateTime<Utc>,
        completed: bool,
        note: &str,
    ) -> Result<(), Error> {
        let who = match cashier {
            Actor::Staff(s) => s.name.clone(),
            other => other.label(),
        };
        sqlx::query!(
            "INSERT INTO order_events (tenant_id, id, order_id, at, who, to_status, note)
             VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN 'completed' END, $7)",
            self.tenant().0,
            Uuid::now_v7(),
            order,
            at,
            who,
            completed,
            note
        )
        .execute(&mut *tx)
        .await?;
        Ok(())
    }
}

impl Booking {
    /// Stock a document moves at the register's shop, moved at the batch's end.
    fn moves_stock(
        &mut self,
        cashier: &Actor,
        variant: Uuid,
        quantity: i32,
        reason: MovementReason,
        reference: String,
    ) {
        self.moves.push(TillMove {
            variant: VariantId(variant),
            location: self.register.location,
            quantity,
            reason,
            reference,
            actor_id: cashier.id(),
            actor_label: cashier.label(),
        });
    }

    /// The audit row of a document booked by `cashier`.
    async fn record(
        &self,
        tx: &mut sqlx::PgConnection,
        cashier: &Actor,
        (entity, id, action): (&str, Uuid, &str),
        after: serde_json::Value,
    ) -> Result<(), Error> {
        let change =
            crate::audit::Change { entity, entity_id: id.to_string(), action, before: None, after: Some(after) };
        crate::audit::record(tx, self.tenant(), cashier, change).await
    }
}

impl Member {
    fn actor_name(&self) -> String {
        match &self.actor {
            Actor::Staff(s) => s.name.clone(),
            other => other.label(),
        }
    }
}

/// A primary key already taken by something else: the document's id clashes with a record it
/// is not (a till that made an id twice, or a made-up one).
fn taken(error: sqlx::Error, constraint: &str, message: &str) -> Error {
    match &error {
        sqlx::Error::Database(db) if db.constraint() == Some(constraint) => {
            Error::conflict(Clash::WrongState, message.to_owned())
        }
        _ => Error::from(error),
    }
}
