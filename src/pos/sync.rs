//! Receiving what a till sends: each document booked exactly once, by the id the till made.
//!
//! A batch is one transaction. Its documents are booked in the order they depend on each other
//! (customers, shifts, cash, sales, returns, closes), each inside a savepoint: a document that
//! cannot be booked is rolled back alone and kept as refused, with why and what it said, and
//! the rest go on. Every document claims its id in `till_documents` first, in its savepoint:
//! - a document the server has booked (or a manager set aside) is answered as it was, and
//!   nothing is done: a replay, an answer that was lost, a page reloaded in the middle of a sync;
//! - two senders of one document at once (two tabs) meet at its row: the second waits for the
//!   first's transaction and then finds it booked;
//! - a refused one sent again is checked again, and booked if what stopped it is gone (its
//!   shift has been booked since, say);
//! - an id sent again with other contents is refused, and the first stays as it was.
//!
//! Stock moves for the whole batch at its end, by one statement (see `ledger::apply_all`).
//! Order numbers for the batch's sales are drawn before the batch begins, in a transaction of
//! their own, as checkout draws its own: replays draw none.

use std::collections::HashSet;

use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::book::Booking;
use super::register::Register;
use super::{Batch, Document, Outcome, Receipt, Status, Waiting};
use crate::base::{Actor, Permission, TenantId};
use crate::db::{in_tenant_tx, tenant_tx};
use crate::{Clash, Error, Money};

/// How many times a batch is tried when the database ends it for a deadlock.
const TRIES: u32 = 4;

/// Books what a till sent, answering each document's outcome in the order sent. A batch that
/// is wrong as a whole (empty, too long, a document twice) is refused, changing nothing.
pub async fn receive(db: &sqlx::PgPool, register: &Register, batch: &Batch) -> Result<Receipt, Error> {
    batch.check().map_err(|m| Error::invalid("documents", m))?;
    let mut tried = 0;
    loop {
        tried += 1;
        match receive_once(db, register, batch).await {
            Err(Error::Unavailable) if tried < TRIES => {
                tokio::time::sleep(std::time::Duration::from_millis(20 * u64::from(tried))).await;
            }
            answer => return answer,
        }
    }
}

async fn receive_once(db: &sqlx::PgPool, register: &Register, batch: &Batch) -> Result<Receipt, Error> {
    let tenant = register.tenant;
    let docs = &batch.documents;
    let ids: Vec<Uuid> = docs.iter().map(Document::id).collect();
    let settled: HashSet<Uuid> = in_tenant_tx(db, tenant, async |tx| {
        Ok(sqlx::query_scalar!(
            "SELECT id FROM till_documents WHERE tenant_id = $1 AND id = ANY($2) AND status <> 'refused'",
            tenant.0,
            &ids
        )
        .fetch_all(&mut *tx)
        .await?)
    })
    .await?
    .into_iter()
    .collect();
    let sales = docs.iter().filter(|d| matches!(d, Document::Sale(_)) && !settled.contains(&d.id())).count();
    let numbers = draw_numbers(db, tenant, sales).await?;

    let mut tx = tenant_tx(db, tenant).await?;
    let mut booking = Booking::new(&mut tx, register, numbers, false).await?;
    let mut turn: Vec<usize> = (0..docs.len()).collect();
    turn.sort_by_key(|&i| (docs[i].rank(), docs[i].made_at(), docs[i].id()));
    let mut outcomes: Vec<Option<Outcome>> = vec![None; docs.len()];
    for i in turn {
        outcomes[i] = Some(one(&mut tx, &mut booking, &docs[i]).await?);
    }
    crate::inventory::ledger::apply_all(&mut tx, tenant, &booking.moves).await?;
    sqlx::query!("UPDATE registers SET last_seen_at = now() WHERE tenant_id = $1 AND id = $2", tenant.0, register.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Receipt { outcomes: outcomes.into_iter().flatten().collect() })
}

/// One document, in the batch's transaction.
async fn one(tx: &mut sqlx::PgConnection, booking: &mut Booking, doc: &Document) -> Result<Outcome, Error> {
    let tenant = booking.register.tenant;
    let fingerprint = fingerprint(doc)?;
    let outcome = |status, problem: String, booked_as| Outcome { id: doc.id(), status, problem, booked_as };
    let mut savepoint = sqlx::Acquire::begin(&mut *tx).await?;
    let claimed = sqlx::query!(
        "INSERT INTO till_documents (tenant_id, id, register_id, kind, fingerprint, status, made_at)
         VALUES ($1, $2, $3, $4, $5, 'booked', $6)
         ON CONFLICT (tenant_id, id) DO NOTHING",
        tenant.0,
        doc.id(),
        booking.register.id,
        doc.kind(),
        fingerprint,
        doc.made_at()
    )
    .execute(&mut *savepoint)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        let earlier = sqlx::query!(
            "SELECT status, fingerprint, booked_as, problem, resolution FROM till_documents
              WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
            tenant.0,
            doc.id()
        )
        .fetch_one(&mut *savepoint)
        .await?;
        if earlier.fingerprint != fingerprint {
            savepoint.commit().await?;
            return Ok(outcome(
                Status::Refused,
                "another document with this id was received first; this one is kept on the till".to_owned(),
                None,
            ));
        }
        match earlier.status.as_str() {
            "booked" => {
                savepoint.commit().await?;
                return Ok(outcome(Status::AlreadyBooked, String::new(), earlier.booked_as));
            }
            "set_aside" => {
                savepoint.commit().await?;
                return Ok(outcome(Status::SetAside, earlier.resolution, None));
            }
            // Refused before: checked again below.
            _ => {}
        }
    }
    let moved = booking.moves.len();
    match booking.book(&mut savepoint, doc).await {
        Ok(booked_as) => {
            sqlx::query!(
                "UPDATE till_documents SET status = 'booked', booked_as = $3, problem = '', body = NULL
                  WHERE tenant_id = $1 AND id = $2",
                tenant.0,
                doc.id(),
                booked_as
            )
            .execute(&mut *savepoint)
            .await?;
            savepoint.commit().await?;
            Ok(outcome(Status::Booked, String::new(), booked_as))
        }
        Err(error @ Error::Unavailable) => Err(error),
        Err(refusal) => {
            savepoint.rollback().await?;
            booking.moves.truncate(moved);
            let problem = refusal.to_string();
            keep_refused(tx, booking, doc, &fingerprint, &problem).await?;
            Ok(outcome(Status::Refused, problem, None))
        }
    }
}

/// Keeps a refused document with what it said and why, or updates why when it was refused
/// before.
async fn keep_refused(
    tx: &mut sqlx::PgConnection,
    booking: &Booking,
    doc: &Document,
    fingerprint: &[u8],
    problem: &str,
) -> Result<(), Error> {
    let body = serde_json::to_value(doc).map_err(|_| Error::Internal)?;
    let problem: String = problem.chars().take(1000).collect();
    sqlx::query!(
        "INSERT INTO till_documents (tenant_id, id, register_id, kind, fingerprint, status, problem, body, made_at)
         VALUES ($1, $2, $3, $4, $5, 'refused', $6, $7, $8)
         ON CONFLICT (tenant_id, id) DO UPDATE SET problem = excluded.problem",
        booking.register.tenant.0,
        doc.id(),
        booking.register.id,
        doc.kind(),
        fingerprint,
        problem,
        body,
        doc.made_at()
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A document's fingerprint: the SHA-256 of its JSON form.
fn fingerprint(doc: &Document) -> Result<Vec<u8>, Error> {
    let bytes = serde_json::to_vec(doc).map_err(|_| Error::Internal)?;
    Ok(Sha256::digest(&bytes).to_vec())
}

/// `count` order numbers of the business, drawn in a transaction of their own (see
/// `checkout::next_number`): gaps are allowed, reuse never.
async fn draw_numbers(db: &sqlx::PgPool, tenant: TenantId, count: usize) -> Result<Vec<i64>, Error> {
    if count == 0 {
        return Ok(Vec::new());
    }
    let count = i32::try_from(count).map_err(|_| Error::Internal)?;
    let last = in_tenant_tx(db, tenant, async |tx| {
        Ok(sqlx::query_scalar!(
            "INSERT INTO document_sequences (tenant_id, kind, last) VALUES ($1, 'order', 1000 + $2)
             ON CONFLICT (tenant_id, kind) DO UPDATE SET last = document_sequences.last + $2
             RETURNING last",
            tenant.0,
            count
        )
        .fetch_one(&mut *tx)
        .await?)
    })
    .await?;
    Ok((last - i64::from(count) + 1..=last).collect())
}

/// The documents tills sent that wait for a manager (refused), newest first, with those set
/// aside when `all`.
pub async fn waiting(db: &sqlx::PgPool, actor: &Actor, all: bool) -> Result<Vec<Waiting>, Error> {
    let scope = actor.require(Permission::ManageOrders)?;
    let tenant = scope.tenant;
    let shops = scope.shops.ids();
    in_tenant_tx(db, tenant, async |tx| {
        let rows = sqlx::query!(
            r#"SELECT d.id, d.kind, d.status, d.problem, d.resolution, d.made_at, d.received_at, d.body AS "body!",
                      r.name AS register, t.currency,
                      coalesce((SELECT u.name FROM users u WHERE u.id = (d.body->>'cashier')::uuid), 'someone unknown')
                        AS "cashier!"
                 FROM till_documents d
                 JOIN registers r ON r.tenant_id = d.tenant_id AND r.id = d.register_id
                 JOIN tenants t ON t.id = d.tenant_id
                WHERE d.tenant_id = $1 AND (d.status = 'refused' OR ($2 AND d.status = 'set_aside'))
                  AND ($3::uuid[] IS NULL OR r.location_id = ANY($3))
                ORDER BY d.received_at DESC, d.id DESC
                LIMIT 500"#,
            tenant.0,
            all,
            shops.as_deref()
        )
        .fetch_all(&mut *tx)
        .await?;
        let currency =
            rows.first().and_then(|r| crate::Currency::from_code(&r.currency)).unwrap_or(crate::Currency::NGN);
        Ok(rows
            .into_iter()
            .map(|r| {
                let doc: Option<Document> = serde_json::from_value(r.body).ok();
                let total = match &doc {
                    Some(Document::Sale(s)) => Some(Money::new(s.total, currency)),
                    Some(Document::Return(s)) => Some(Money::new(s.total, currency)),
                    _ => None,
                };
                let set_aside = r.status == "set_aside";
                Waiting {
                    id: r.id,
                    kind: r.kind,
                    register: r.register,
                    receipt: doc.as_ref().and_then(Document::receipt).map(str::to_owned),
                    total,
                    cashier: r.cashier,
                    made_at: r.made_at,
                    received_at: r.received_at,
                    problem: if set_aside { r.resolution } else { r.problem },
                    status: if set_aside { Status::SetAside } else { Status::Refused },
                }
            })
            .collect())
    })
    .await
}

/// What a manager decides for a refused document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Book it as it is, though its cashier's access ended or its register was revoked since
    /// (what else refused it must be mended first: it is checked again).
    Book,
    /// Do not book it, for this reason; it stays on record.
    SetAside(String),
}

/// Carries out a manager's decision on a refused document, answering its outcome.
pub async fn decide(db: &sqlx::PgPool, actor: &Actor, id: Uuid, decision: &Decision) -> Result<Outcome, Error> {
    let scope = actor.require(Permission::ManageOrders)?;
    let tenant = scope.tenant;
    if let Decision::SetAside(reason) = decision
        && (reason.trim().is_empty() || reason.chars().count() > 500 || reason.contains('\0'))
    {
        return Err(Error::invalid("reason", "say why, in 1 to 500 characters"));
    }
    let (register, body) = in_tenant_tx(db, tenant, async |tx| {
        let row = sqlx::query!(
            r#"SELECT d.status, d.body, d.register_id, r.location_id, r.revoked_at IS NOT NULL AS "revoked!"
                 FROM till_documents d JOIN registers r ON r.tenant_id = d.tenant_id AND r.id = d.register_id
                WHERE d.tenant_id = $1 AND d.id = $2"#,
            tenant.0,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("document"))?;
        scope.reach(crate::base::LocationId(row.location_id), Permission::ManageOrders)?;
        if row.status != "refused" {
            return Err(Error::conflict(Clash::WrongState, "This document is not waiting for a decision."));
        }
        let register = Register {
            tenant,
            id: row.register_id,
            location: crate::base::LocationId(row.location_id),
            revoked: row.revoked,
        };
        Ok((register, row.body.ok_or(Error::Internal)?))
    })
    .await?;
    let doc: Document = serde_json::from_value(body).map_err(|_| Error::Internal)?;
    match decision {
        Decision::SetAside(reason) => {
            in_tenant_tx(db, tenant, async |tx| {
                let changed = sqlx::query!(
                "UPDATE till_documents SET status = 'set_aside', resolved_by = $3, resolved_at = now(), resolution = $4
                      WHERE tenant_id = $1 AND id = $2 AND status = 'refused'",
                tenant.0,
                id,
                actor.id(),
                reason.trim()
            )
                .execute(&mut *tx)
                .await?;
                if changed.rows_affected() == 0 {
                    return Err(Error::conflict(Clash::WrongState, "This document is not waiting for a decision."));
                }
                record_decision(tx, tenant, actor, &doc, "set_aside").await?;
                Ok(Outcome { id, status: Status::SetAside, problem: reason.trim().to_owned(), booked_as: None })
            })
            .await
        }
        Decision::Book => {
            let needs_number = usize::from(matches!(doc, Document::Sale(_)));
            let numbers = draw_numbers(db, tenant, needs_number).await?;
            let mut tx = tenant_tx(db, tenant).await?;
            let mut booking = Booking::new(&mut tx, &register, numbers, true).await?;
            let outcome = one(&mut tx, &mut booking, &doc).await?;
            if outcome.status == Status::Booked {
                crate::inventory::ledger::apply_all(&mut tx, tenant, &booking.moves).await?;
                sqlx::query!(
                    "UPDATE till_documents SET resolved_by = $3, resolved_at = now(), resolution = 'booked by a manager'
                      WHERE tenant_id = $1 AND id = $2",
                    tenant.0,
                    id,
                    actor.id()
                )
                .execute(&mut *tx)
                .await?;
                record_decision(&mut tx, tenant, actor, &doc, "book").await?;
            }
            tx.commit().await?;
            Ok(outcome)
        }
    }
}

async fn record_decision(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    doc: &Document,
    action: &str,
) -> Result<(), Error> {
    crate::audit::record(
        tx,
        tenant,
        actor,
        crate::audit::Change {
            entity: "till_document",
            entity_id: doc.id().to_string(),
            action,
            before: None,
            after: Some(serde_json::json!({ "kind": doc.kind(), "receipt": doc.receipt() })),
        },
    )
    .await
}
