//! Disputes: a shopper's complaint about one seller's part of an order, argued in one thread by
//! the shopper, the seller and the marketplace, with photos, and decided by the marketplace.
//!
//! - The shopper opens one from their order's page (its key is their proof, as for tracking),
//!   on a part that was paid for and sent: while it is on its way, and for the dispute window
//!   after it was delivered (the holding period, and at least [`WINDOW_DAYS`] days). They say
//!   why, what they ask back (at most what the part cost, less what was given back before),
//!   and may send photos.
//! - The seller must answer within [`ANSWER_HOURS`] hours; a seller that does not leaves the
//!   dispute to the marketplace (the worker's [`escalate_overdue`]). Either side may ask the
//!   marketplace to decide at any time; the shopper may withdraw.
//! - While a dispute is open, the part's money in the seller's ledger is not available to pay
//!   out (see `payouts::balance_in`).
//! - The marketplace decides: money given back, in full or in part (through the seller's ledger:
//!   the refund out, the commission on the goods given back in, see `parts::refund_in_part`), or
//!   nothing. Each step is one transaction, with its line in the thread, the order's timeline
//!   and the audit trail.

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use super::documents::PRIVATE;
use super::{Dispute, DisputeInput, DisputeMessage, DisputeReason, DisputeSide, DisputeStatus, DisputeSummary, Photo};
use crate::base::page::Page;
use crate::base::{Actor, Clash, Permission, TenantId, VendorId};
use crate::db::tenant_tx;
use crate::idempotency::{self, Once};
use crate::media::MediaStore;
use crate::orders::OrderStatus;
use crate::orders::work::Who;
use crate::{Error, Money, audit};

/// Hours a seller has to answer a dispute before it goes to the marketplace.
pub const ANSWER_HOURS: i64 = 72;
/// Days after delivery a dispute may be opened, at least (longer when the holding period is).
pub const WINDOW_DAYS: i64 = 7;
/// Photos a message may carry.
pub const MOST_PHOTOS: usize = 4;
/// The largest photo.
pub const LARGEST_PHOTO: usize = 5 * 1024 * 1024;
/// The longest message.
const LONGEST_MESSAGE: usize = 4000;
/// Who the thread says wrote what happened on its own.
const SYSTEM: &str = "Marketplace";

/// Who speaks for a dispute, as the request shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Party {
    /// The shopper, by their order's key: the order.
    Shopper(Uuid),
    /// The seller's staff.
    Vendor(VendorId),
    /// The marketplace's staff.
    Marketplace,
}

impl Party {
    fn side(self) -> DisputeSide {
        match self {
            Self::Shopper(_) => DisputeSide::Shopper,
            Self::Vendor(_) => DisputeSide::Vendor,
            Self::Marketplace => DisputeSide::Marketplace,
        }
    }
}

/// Who asks, before the request's transaction: the shopper by their order page's key, a
/// vendor's staff (or client) for their vendor, or the marketplace's staff who see orders
/// (`manage`: who work them). Answers the business too.
fn asker(actor: &Actor, key: Option<Uuid>, manage: bool) -> Result<(TenantId, Asker), Error> {
    if let Some(key) = key {
        return Ok((actor.require(Permission::Buy)?.tenant, Asker::Shopper(key)));
    }
    if actor.vendor().is_some() {
        let (tenant, vendor) = super::vendor::own_vendor(actor)?;
        return Ok((tenant, Asker::Vendor(vendor)));
    }
    let scope = actor.require(if manage { Permission::ManageOrders } else { Permission::ViewOrders })?;
    scope.whole_business("work disputes")?;
    Ok((scope.tenant, Asker::Marketplace))
}

/// [`asker`]'s answer.
#[derive(Clone, Copy, Debug)]
enum Asker {
    Shopper(Uuid),
    Vendor(VendorId),
    Marketplace,
}

/// The party of an asker, in the business's transaction: a shopper's key finds their order.
async fn party(tx: &mut sqlx::PgConnection, tenant: TenantId, asker: Asker) -> Result<Party, Error> {
    Ok(match asker {
        Asker::Shopper(key) => {
            let order =
                sqlx::query_scalar!("SELECT id FROM orders WHERE tenant_id = $1 AND view_key = $2", tenant.0, key)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| Error::not_found("order"))?;
            Party::Shopper(order)
        }
        Asker::Vendor(vendor) => Party::Vendor(vendor),
        Asker::Marketplace => Party::Marketplace,
    })
}

/// Whether the party reaches a dispute of this order and seller.
fn reaches(party: Party, order: Uuid, vendor: Option<Uuid>) -> bool {
    match party {
        Party::Shopper(mine) => order == mine,
        Party::Vendor(mine) => vendor == Some(mine.0),
        Party::Marketplace => true,
    }
}

/// A dispute as locked for a change, or read.
struct Row {
    order: Uuid,
    part: Uuid,
    status: DisputeStatus,
    asked: Decimal,
}

/// The step that locks a dispute the party may reach (another's reads as not found).
async fn lock(tx: &mut sqlx::PgConnection, tenant: TenantId, party: Party, dispute: Uuid) -> Result<Row, Error> {
    let r = sqlx::query!(
        "SELECT order_id, part_id, vendor_id, status, asked FROM disputes WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
        tenant.0,
        dispute
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("dispute"))?;
    if !reaches(party, r.order_id, r.vendor_id) {
        return Err(Error::not_found("dispute"));
    }
    Ok(Row {
        order: r.order_id,
        part: r.part_id,
        status: DisputeStatus::from_code(&r.status).ok_or(Error::Internal)?,
        asked: r.asked,
    })
}

/// A message's words, checked: some, at most [`LONGEST_MESSAGE`] characters, no NUL.
fn words(field: &str, text: &str, needed: bool) -> Result<String, Error> {
    let text = text.trim();
    Error::refuse_nul(field, text)?;
    if needed && text.is_empty() {
        return Err(Error::invalid(field, "say what happened"));
    }
    if text.chars().count() > LONGEST_MESSAGE {
        return Err(Error::invalid(field, format!("at most {LONGEST_MESSAGE} characters")));
    }
    Ok(text.to_owned())
}

/// A photo's type and extension, told by its bytes: a JPEG, PNG or WebP photo of at most
/// [`LARGEST_PHOTO`] bytes.
fn sniff(bytes: &[u8]) -> Result<(&'static str, &'static str), Error> {
    if bytes.len() > LARGEST_PHOTO {
        return Err(Error::invalid("photos", format!("a photo is larger than {} MB", LARGEST_PHOTO / 1024 / 1024)));
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(("image/jpeg", "jpg"))
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Ok(("image/png", "png"))
    } else if bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Ok(("image/webp", "webp"))
    } else {
        Err(Error::invalid("photos", "send photos as JPEG, PNG or WebP"))
    }
}

/// Photos checked before anything is written: at most [`MOST_PHOTOS`], each a photo. Empty
/// files (a form's file input left empty) are dropped.
fn checked_photos(photos: Vec<Photo>) -> Result<Vec<(Photo, &'static str, &'static str)>, Error> {
    let photos: Vec<Photo> = photos.into_iter().filter(|p| !p.bytes.is_empty()).collect();
    if photos.len() > MOST_PHOTOS {
        return Err(Error::invalid("photos", format!("at most {MOST_PHOTOS} photos a message")));
    }
    photos
        .into_iter()
        .map(|p| {
            let (kind, extension) = sniff(&p.bytes)?;
            Ok((p, kind, extension))
        })
        .collect()
}

/// The step that writes a message in a dispute's thread; answers its id.
async fn say(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    dispute: Uuid,
    side: DisputeSide,
    author: &str,
    body: &str,
) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO dispute_messages (tenant_id, id, dispute_id, side, author, body) VALUES ($1, $2, $3, $4, $5, $6)",
        tenant.0,
        id,
        dispute,
        side.code(),
        author,
        body
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("UPDATE disputes SET updated_at = now() WHERE tenant_id = $1 AND id = $2", tenant.0, dispute)
        .execute(&mut *tx)
        .await?;
    Ok(id)
}

/// The step that keeps a message's photos: each in the media store first (a photo kept for a
/// message whose transaction then fails is left unreferenced; a message never lacks its photo).
async fn keep_photos(
    tx: &mut sqlx::PgConnection,
    media: &dyn MediaStore,
    tenant: TenantId,
    dispute: Uuid,
    message: Uuid,
    photos: Vec<(Photo, &'static str, &'static str)>,
) -> Result<(), Error> {
    for (photo, kind, extension) in photos {
        let id = Uuid::now_v7();
        let key = format!("{PRIVATE}disputes/{}/{dispute}/{id}.{extension}", tenant.0);
        let size = i32::try_from(photo.bytes.len()).map_err(|_| Error::Internal)?;
        media.put(&key, photo.bytes).await?;
        sqlx::query!(
            "INSERT INTO dispute_photos (tenant_id, id, message_id, dispute_id, file_key, content_type, size_bytes)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            tenant.0,
            id,
            message,
            dispute,
            key,
            kind,
            size
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// The name a party's messages carry.
fn author(actor: &Actor, party: Party, shopper_name: &str) -> String {
    match party {
        Party::Shopper(_) => shopper_name.to_owned(),
        Party::Vendor(_) | Party::Marketplace => super::vendor::who(actor),
    }
}

/// The most of a part that may still be given back: its goods and delivery, less what its
/// decided disputes gave back.
async fn refundable(tx: &mut sqlx::PgConnection, tenant: TenantId, part: Uuid) -> Result<Decimal, Error> {
    Ok(sqlx::query_scalar!(
        r#"SELECT p.goods + p.delivery - coalesce((SELECT sum(d.refunded) FROM disputes d
                                                  WHERE d.tenant_id = p.tenant_id AND d.part_id = p.id), 0) AS "left!"
             FROM order_parts p WHERE p.tenant_id = $1 AND p.id = $2"#,
        tenant.0,
        part
    )
    .fetch_one(&mut *tx)
    .await?)
}

/// An amount typed in a form: empty is `whole`; otherwise above zero, exact to the kobo and at
/// most `most`.
fn amount(
    field: &str,
    typed: &str,
    whole: Decimal,
    most: Decimal,
    currency: crate::Currency,
) -> Result<Decimal, Error> {
    let typed = typed.trim().trim_start_matches('₦').replace(',', "");
    if typed.is_empty() {
        return Ok(whole);
    }
    let value: Decimal = typed.parse().map_err(|_| Error::invalid(field, "an amount such as 12500"))?;
    if value <= Decimal::ZERO || value.scale() > 2 {
        return Err(Error::invalid(field, "an amount above zero, exact to the kobo"));
    }
    if value > most {
        return Err(Error::invalid(field, format!("at most {}", Money::new(most, currency))));
    }
    Ok(value)
}

/// Opens a dispute on a part of the order whose page `key` opens, as [`DisputeInput`] says,
/// with photos. Refused when the part was not paid for, not sent, was delivered longer ago than
/// the window, or already has a dispute open.
pub async fn open(
    db: &sqlx::PgPool,
    media: &dyn MediaStore,
    actor: &Actor,
    key: Uuid,
    input: &DisputeInput,
    photos: Vec<Photo>,
    once: Option<&Once>,
) -> Result<Uuid, Error> {
    let reason = DisputeReason::from_code(input.reason.trim())
        .ok_or_else(|| Error::invalid("reason", "choose what is wrong"))?;
    let message = words("message", &input.message, true)?;
    let photos = checked_photos(photos)?;
    let (tenant, asking) = asker(actor, Some(key), false)?;
    let who = Who::of(actor);
    let mut photos = Some(photos);
    idempotency::run(db, tenant, once, async |tx| {
        let Party::Shopper(order) = party(tx, tenant, asking).await? else { return Err(Error::Internal) };
        let part = sqlx::query!(
            r#"SELECT p.id, p.vendor_id, p.status, p.paid, p.delivered_at, o.contact_name, o.prefix, o.number, p.position,
                      t.payout_hold_days, t.currency,
                      (SELECT v.email FROM vendors v WHERE v.tenant_id = p.tenant_id AND v.id = p.vendor_id) AS seller_email
                 FROM order_parts p
                 JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = p.order_id
                 JOIN tenants t ON t.id = p.tenant_id
                WHERE p.tenant_id = $1 AND p.order_id = $2 AND p.id = $3"#,
            tenant.0,
            order,
            input.part
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::invalid("part", "choose a part of this order"))?;
        let status = OrderStatus::from_code(&part.status).ok_or(Error::Internal)?;
        let currency = crate::Currency::from_code(&part.currency).ok_or(Error::Internal)?;
        if !part.paid {
            return Err(Error::conflict(
                Clash::WrongState,
                "This part is not paid for yet: there is nothing to give back. Refuse it at the door, or cancel it.",
            ));
        }
        if !matches!(status, OrderStatus::Shipped | OrderStatus::Delivered | OrderStatus::Completed) {
            return Err(Error::conflict(
                Clash::WrongState,
                format!("This part is {}: a problem is reported once it is on its way.", status.label().to_lowercase()),
            ));
        }
        let window = Duration::days(WINDOW_DAYS.max(i64::from(part.payout_hold_days)));
        if part.delivered_at.is_some_and(|at| at + window < Utc::now()) {
            return Err(Error::conflict(
                Clash::WrongState,
                format!("This part was delivered more than {} days ago: a dispute is opened within that time.", window.num_days()),
            ));
        }
        let left = refundable(tx, tenant, part.id).await?;
        if left <= Decimal::ZERO {
            return Err(Error::conflict(Clash::WrongState, "All of this part's money was given back already."));
        }
        let asked = amount("asked", &input.asked, left, left, currency)?;
        let id = Uuid::now_v7();
        let answer_by = Utc::now() + Duration::hours(ANSWER_HOURS);
        let inserted = sqlx::query!(
            "INSERT INTO disputes (tenant_id, id, order_id, part_id, vendor_id, reason, asked, answer_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
            tenant.0,
            id,
            order,
            part.id,
            part.vendor_id,
            reason.code(),
            asked,
            answer_by
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(Error::conflict(Clash::WrongState, "A dispute about this part is open already: add to it."));
        }
        let said = say(tx, tenant, id, DisputeSide::Shopper, &part.contact_name, &message).await?;
        keep_photos(tx, media, tenant, id, said, photos.take().unwrap_or_default()).await?;
        let shown = crate::orders::parts::part_number(&part.prefix, part.number, part.position);
        let note = format!("The shopper opened a dispute on {shown}: {}.", reason.label().to_lowercase());
        crate::orders::work::event(tx, tenant, order, &who, None, None, &note).await?;
        if let Some(email) = part.seller_email.filter(|e| !e.is_empty()) {
            let body = format!(
                "{} opened a dispute on order {shown}: {}.\n\n\"{message}\"\n\nAnswer it in the vendor portal by {} \
                 (UTC); without your answer by then, the marketplace decides.",
                part.contact_name,
                reason.label().to_lowercase(),
                answer_by.format("%-d %B %Y, %H:%M"),
            );
            crate::identity::outbox::send_later(tx, tenant, &email, &format!("A dispute on order {shown}"), &body)
                .await?;
        }
        let asked = crate::base::money::exact(asked);
        let after = json!({"part": part.id, "reason": reason.code(), "asked": asked});
        record(tx, tenant, actor, id, "open", after).await?;
        Ok(id)
    })
    .await
}

/// Adds a message (and photos) to an open dispute: the shopper by their order's key, the
/// seller's staff, or the marketplace's staff who work orders.
#[expect(clippy::too_many_arguments, reason = "who asks (by key or as staff), the dispute, the words and photos")]
pub async fn reply(
    db: &sqlx::PgPool,
    media: &dyn MediaStore,
    actor: &Actor,
    key: Option<Uuid>,
    dispute: Uuid,
    body: &str,
    photos: Vec<Photo>,
    once: Option<&Once>,
) -> Result<(), Error> {
    let photos = checked_photos(photos)?;
    let body = words("message", body, photos.is_empty())?;
    let (tenant, asking) = asker(actor, key, true)?;
    let mut photos = Some(photos);
    idempotency::run(db, tenant, once, async |tx| {
        let party = party(tx, tenant, asking).await?;
        let row = lock(tx, tenant, party, dispute).await?;
        if !row.status.is_open() {
            return Err(Error::conflict(
                Clash::WrongState,
                format!("This dispute is {}: its thread is closed.", row.status.label().to_lowercase()),
            ));
        }
        let name = shopper_name(tx, tenant, row.order).await?;
        let said = say(tx, tenant, dispute, party.side(), &author(actor, party, &name), &body).await?;
        keep_photos(tx, media, tenant, dispute, said, photos.take().unwrap_or_default()).await
    })
    .await
}

async fn shopper_name(tx: &mut sqlx::PgConnection, tenant: TenantId, order: Uuid) -> Result<String, Error> {
    Ok(sqlx::query_scalar!("SELECT contact_name FROM orders WHERE tenant_id = $1 AND id = $2", tenant.0, order)
        .fetch_one(&mut *tx)
        .await?)
}

/// Asks the marketplace to decide an open dispute: the shopper or the seller, saying why.
pub async fn escalate(
    db: &sqlx::PgPool,
    actor: &Actor,
    key: Option<Uuid>,
    dispute: Uuid,
    why: &str,
    once: Option<&Once>,
) -> Result<(), Error> {
    let why = words("why", why, false)?;
    let (tenant, asking) = asker(actor, key, true)?;
    idempotency::run(db, tenant, once, async |tx| {
        let party = party(tx, tenant, asking).await?;
        if party == Party::Marketplace {
            return Err(Error::Forbidden("ask the marketplace to decide: the shopper or seller does".to_owned()));
        }
        let row = lock(tx, tenant, party, dispute).await?;
        if row.status != DisputeStatus::Open {
            return Err(Error::conflict(
                Clash::WrongState,
                format!("This dispute is {} already.", row.status.label().to_lowercase()),
            ));
        }
        let asker = match party {
            Party::Shopper(_) => "The shopper",
            _ => "The seller",
        };
        let said = if why.is_empty() {
            format!("{asker} asked the marketplace to decide.")
        } else {
            format!("{asker} asked the marketplace to decide: {why}")
        };
        to_marketplace(tx, tenant, dispute, &said).await?;
        record(tx, tenant, actor, dispute, "escalate", json!({"why": why})).await
    })
    .await
}

/// The step that hands an open dispute to the marketplace, saying why in its thread.
async fn to_marketplace(tx: &mut sqlx::PgConnection, tenant: TenantId, dispute: Uuid, why: &str) -> Result<(), Error> {
    sqlx::query!(
        "UPDATE disputes SET status = 'escalated', escalated_at = now(), escalated_why = $3
          WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        dispute,
        why
    )
    .execute(&mut *tx)
    .await?;
    say(tx, tenant, dispute, DisputeSide::System, SYSTEM, why).await?;
    Ok(())
}

async fn record(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    dispute: Uuid,
    action: &'static str,
    after: serde_json::Value,
) -> Result<(), Error> {
    audit::record(
        tx,
        tenant,
        actor,
        audit::Change { entity: "dispute", entity_id: dispute.to_string(), action, before: None, after: Some(after) },
    )
    .await
}

/// The shopper calls off their open dispute.
pub async fn withdraw(
    db: &sqlx::PgPool,
    actor: &Actor,
    key: Uuid,
    dispute: Uuid,
    once: Option<&Once>,
) -> Result<(), Error> {
    let (tenant, asking) = asker(actor, Some(key), false)?;
    idempotency::run(db, tenant, once, async |tx| {
        let party = party(tx, tenant, asking).await?;
        let row = lock(tx, tenant, party, dispute).await?;
        if !row.status.is_open() {
            return Err(Error::conflict(
                Clash::WrongState,
                format!("This dispute is {} already.", row.status.label().to_lowercase()),
            ));
        }
        close(tx, tenant, dispute, DisputeStatus::Withdrawn, Decimal::ZERO, "Shopper", "").await?;
        say(tx, tenant, dispute, DisputeSide::System, SYSTEM, "The shopper withdrew the dispute.").await?;
        record(tx, tenant, actor, dispute, "withdraw", json!({})).await
    })
    .await
}

/// The step that ends a dispute as `status`, with what was given back and the decision.
async fn close(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    dispute: Uuid,
    status: DisputeStatus,
    refunded: Decimal,
    by: &str,
    decision: &str,
) -> Result<(), Error> {
    sqlx::query!(
        "UPDATE disputes SET status = $3, refunded = $4, decided_at = now(), decided_by = $5, decision = $6
          WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        dispute,
        status.code(),
        refunded,
        by,
        decision
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// What the marketplace decides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Give back this much, as typed (empty: what the shopper asked).
    Refund(String),
    /// Give back nothing.
    Reject,
}

/// The marketplace decides an open dispute, saying why: a refund (at most what is left of the
/// part to give back) through the seller's ledger, or nothing. Answers what was given back.
pub async fn decide(
    db: &sqlx::PgPool,
    actor: &Actor,
    dispute: Uuid,
    decision: &Decision,
    why: &str,
    once: Option<&Once>,
) -> Result<Money, Error> {
    let why = words("why", why, true).map_err(|_| Error::invalid("why", "say why, for the shopper and the seller"))?;
    let (tenant, asking) = asker(actor, None, true)?;
    if !matches!(asking, Asker::Marketplace) {
        return Err(Error::Forbidden("decide a dispute: the marketplace does that".to_owned()));
    }
    idempotency::run(db, tenant, once, async |tx| {
        let party = Party::Marketplace;
        let row = lock(tx, tenant, party, dispute).await?;
        if !row.status.is_open() {
            return Err(Error::conflict(
                Clash::WrongState,
                format!("This dispute is {} already.", row.status.label().to_lowercase()),
            ));
        }
        let currency = crate::identity::currency_in(&mut *tx, tenant).await?;
        let left = refundable(tx, tenant, row.part).await?;
        let given = match decision {
            Decision::Refund(typed) => amount("amount", typed, row.asked.min(left), left, currency)?,
            Decision::Reject => Decimal::ZERO,
        };
        let by = super::vendor::who(actor);
        let money = Money::new(given, currency);
        let (status, said) = if given.is_zero() {
            (DisputeStatus::Rejected, format!("The marketplace decided to give nothing back: {why}"))
        } else {
            (DisputeStatus::Refunded, format!("The marketplace decided to give back {money}: {why}"))
        };
        close(tx, tenant, dispute, status, given, &by, &why).await?;
        say(tx, tenant, dispute, DisputeSide::System, SYSTEM, &said).await?;
        if !given.is_zero() {
            let note = format!("Dispute decided: refund the shopper {money}.");
            crate::orders::parts::refund_in_part(tx, tenant, row.order, row.part, given, &note, &Who::of(actor))
                .await?;
        }
        record(tx, tenant, actor, dispute, "decide", json!({"refunded": crate::base::money::exact(given), "why": why}))
            .await?;
        Ok(money)
    })
    .await
}

/// Hands to the marketplace every open dispute whose seller did not answer by its deadline,
/// across businesses (for the worker); answers how many.
pub async fn escalate_overdue(db: &sqlx::PgPool) -> Result<usize, Error> {
    let due =
        sqlx::query!(r#"SELECT tenant_id AS "tenant_id!", id AS "id!" FROM disputes_overdue()"#).fetch_all(db).await?;
    let mut moved = 0;
    for d in due {
        let tenant = TenantId(d.tenant_id);
        let mut tx = tenant_tx(db, tenant).await?;
        // Again under the lock: the seller may have answered since.
        let still = sqlx::query_scalar!(
            r#"SELECT d.answer_by AS "answer_by!" FROM disputes d
                WHERE d.tenant_id = $1 AND d.id = $2 AND d.status = 'open' AND d.answer_by <= now()
                  AND NOT EXISTS (SELECT 1 FROM dispute_messages m
                                   WHERE m.tenant_id = d.tenant_id AND m.dispute_id = d.id AND m.side = 'vendor')
                FOR UPDATE"#,
            tenant.0,
            d.id
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(answer_by) = still {
            let why = format!(
                "The seller did not answer by {} (UTC): the marketplace will decide.",
                answer_by.format("%-d %B %Y, %H:%M")
            );
            to_marketplace(&mut tx, tenant, d.id, &why).await?;
            moved += 1;
        }
        tx.commit().await?;
    }
    Ok(moved)
}

/// A page of disputes, newest first: a seller's staff their own, the marketplace's staff every
/// one (only those still open, with `open`).
pub async fn list(
    db: &sqlx::PgPool,
    actor: &Actor,
    open: bool,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Page<DisputeSummary>, Error> {
    let (tenant, asking) = asker(actor, None, false)?;
    let mut tx = tenant_tx(db, tenant).await?;
    let party = party(&mut tx, tenant, asking).await?;
    let vendor = match party {
        Party::Vendor(vendor) => Some(vendor.0),
        _ => None,
    };
    let limit = limit.clamp(1, 200);
    let (after_at, after_id) = after.unzip();
    let rows = summaries(
        &mut tx,
        tenant,
        Filter { vendor, order: None, id: None, open, after_at, after_id, limit: limit + 1 },
    )
    .await?;
    tx.commit().await?;
    Ok(Page::from_extra(rows, limit, |d| (d.opened_at, d.id)))
}

/// What [`summaries`] reads.
struct Filter {
    vendor: Option<Uuid>,
    order: Option<Uuid>,
    id: Option<Uuid>,
    open: bool,
    after_at: Option<DateTime<Utc>>,
    after_id: Option<Uuid>,
    limit: i64,
}

async fn summaries(tx: &mut sqlx::PgConnection, tenant: TenantId, f: Filter) -> Result<Vec<DisputeSummary>, Error> {
    let currency = crate::identity::currency_in(&mut *tx, tenant).await?;
    let rows = sqlx::query!(
        r#"SELECT d.id, d.reason, d.status, d.asked, d.refunded, d.answer_by, d.opened_at, o.prefix, o.number,
                  p.position, o.contact_name, coalesce(v.name, t.name) AS "seller!",
                  EXISTS (SELECT 1 FROM dispute_messages m WHERE m.tenant_id = d.tenant_id AND m.dispute_id = d.id
                           AND m.side = 'vendor') AS "answered!"
             FROM disputes d
             JOIN orders o ON o.tenant_id = d.tenant_id AND o.id = d.order_id
             JOIN order_parts p ON p.tenant_id = d.tenant_id AND p.id = d.part_id
             JOIN tenants t ON t.id = d.tenant_id
             LEFT JOIN vendors v ON v.tenant_id = d.tenant_id AND v.id = d.vendor_id
            WHERE d.tenant_id = $1 AND ($2::uuid IS NULL OR d.vendor_id = $2)
              AND ($3::uuid IS NULL OR d.order_id = $3) AND ($4::uuid IS NULL OR d.id = $4)
              AND (NOT $5 OR d.status IN ('open', 'escalated'))
              AND ($6::timestamptz IS NULL OR (d.opened_at, d.id) < ($6, $7))
            ORDER BY d.opened_at DESC, d.id DESC
            LIMIT $8"#,
        tenant.0,
        f.vendor,
        f.order,
        f.id,
        f.open,
        f.after_at,
        f.after_id,
        f.limit
    )
    .fetch_all(&mut *tx)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(DisputeSummary {
                id: r.id,
                part_number: crate::orders::parts::part_number(&r.prefix, r.number, r.position),
                seller: r.seller,
                shopper: r.contact_name,
                reason: DisputeReason::from_code(&r.reason).ok_or(Error::Internal)?,
                status: DisputeStatus::from_code(&r.status).ok_or(Error::Internal)?,
                asked: Money::new(r.asked, currency),
                refunded: Money::new(r.refunded, currency),
                answer_by: r.answer_by,
                answered: r.answered,
                opened_at: r.opened_at,
            })
        })
        .collect()
}

/// One dispute, whole, for the seller's or the marketplace's staff.
pub async fn view(db: &sqlx::PgPool, actor: &Actor, dispute: Uuid) -> Result<Dispute, Error> {
    let (tenant, asking) = asker(actor, None, false)?;
    let mut tx = tenant_tx(db, tenant).await?;
    let party = party(&mut tx, tenant, asking).await?;
    let found = whole(&mut tx, tenant, party, dispute).await?;
    tx.commit().await?;
    Ok(found)
}

/// The disputes of the order whose page `key` opens, whole, newest first, for its shopper.
pub async fn of_order(db: &sqlx::PgPool, actor: &Actor, key: Uuid) -> Result<Vec<Dispute>, Error> {
    let (tenant, asking) = asker(actor, Some(key), false)?;
    let mut tx = tenant_tx(db, tenant).await?;
    let party = party(&mut tx, tenant, asking).await?;
    let Party::Shopper(order) = party else { return Err(Error::Internal) };
    let filter =
        Filter { vendor: None, order: Some(order), id: None, open: false, after_at: None, after_id: None, limit: 50 };
    let mut found = Vec::new();
    for summary in summaries(&mut tx, tenant, filter).await? {
        found.push(whole(&mut tx, tenant, party, summary.id).await?);
    }
    tx.commit().await?;
    Ok(found)
}

/// The step that reads a dispute the party reaches, whole.
async fn whole(tx: &mut sqlx::PgConnection, tenant: TenantId, party: Party, dispute: Uuid) -> Result<Dispute, Error> {
    let r = sqlx::query!(
        r#"SELECT d.order_id, d.part_id, d.vendor_id, d.escalated_why, d.decision, d.decided_by, d.decided_at,
                  p.goods + p.delivery AS "part_total!"
             FROM disputes d JOIN order_parts p ON p.tenant_id = d.tenant_id AND p.id = d.part_id
            WHERE d.tenant_id = $1 AND d.id = $2"#,
        tenant.0,
        dispute
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("dispute"))?;
    if !reaches(party, r.order_id, r.vendor_id) {
        return Err(Error::not_found("dispute"));
    }
    let filter =
        Filter { vendor: None, order: None, id: Some(dispute), open: false, after_at: None, after_id: None, limit: 1 };
    let summary = summaries(tx, tenant, filter).await?.pop().ok_or_else(|| Error::not_found("dispute"))?;
    let currency = summary.asked.currency;
    let left = if summary.status.is_open() { refundable(tx, tenant, r.part_id).await? } else { Decimal::ZERO };
    let messages = sqlx::query!(
        r#"SELECT m.id, m.side, m.author, m.body, m.at,
                  coalesce(array_agg(f.id ORDER BY f.id) FILTER (WHERE f.id IS NOT NULL), '{}') AS "photos!"
             FROM dispute_messages m
             LEFT JOIN dispute_photos f ON f.tenant_id = m.tenant_id AND f.message_id = m.id
            WHERE m.tenant_id = $1 AND m.dispute_id = $2
            GROUP BY m.tenant_id, m.id
            ORDER BY m.at, m.id"#,
        tenant.0,
        dispute
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|m| {
        Ok(DisputeMessage {
            id: m.id,
            side: DisputeSide::from_code(&m.side).ok_or(Error::Internal)?,
            author: m.author,
            body: m.body,
            photos: m.photos,
            at: m.at,
        })
    })
    .collect::<Result<Vec<_>, Error>>()?;
    Ok(Dispute {
        summary,
        part: r.part_id,
        order: r.order_id,
        part_total: Money::new(r.part_total, currency),
        refundable: Money::new(left, currency),
        escalated_why: r.escalated_why,
        decision: r.decision,
        decided_by: r.decided_by,
        decided_at: r.decided_at,
        messages,
    })
}

/// A photo of a dispute the request reaches: its bytes and type.
pub async fn photo(
    db: &sqlx::PgPool,
    media: &dyn MediaStore,
    actor: &Actor,
    key: Option<Uuid>,
    dispute: Uuid,
    photo: Uuid,
) -> Result<(Vec<u8>, String), Error> {
    let (tenant, asking) = asker(actor, key, false)?;
    let mut tx = tenant_tx(db, tenant).await?;
    let party = party(&mut tx, tenant, asking).await?;
    whole(&mut tx, tenant, party, dispute).await?;
    let found = sqlx::query!(
        "SELECT file_key, content_type FROM dispute_photos WHERE tenant_id = $1 AND dispute_id = $2 AND id = $3",
        tenant.0,
        dispute,
        photo
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("photo"))?;
    tx.commit().await?;
    let bytes = media.get(&found.file_key).await?.ok_or_else(|| Error::not_found("photo"))?;
    Ok((bytes, found.content_type))
}
