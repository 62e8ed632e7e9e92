//! Reservations: units held for a buyer until they pay (committed as a sale) or the hold
//! lapses (released). Holding is one conditional update, so buyers racing for the last unit
//! on any number of server instances can never both get it.

use chrono::Duration;
use uuid::Uuid;

use super::ledger::{self, Move};
use super::{Line, MovementReason, Reservation};
use crate::base::{Actor, LocationId, Permission, TenantId};
use crate::catalog::VariantId;
use crate::db::{in_tenant_tx, tenant_tx};
use crate::idempotency::{self, Once};
use crate::{Clash, Error};

/// What to hold.
#[derive(Clone, Debug)]
pub struct Hold {
    /// The variant.
    pub variant: VariantId,
    /// At this location, or (none) at whichever has the most available.
    pub location: Option<LocationId>,
    /// How many units.
    pub quantity: i32,
    /// How long until the hold lapses.
    pub for_how_long: Duration,
    /// The cart, order or client request behind it.
    pub reference: String,
}

/// The longest a hold may last.
pub const MAX_HOLD: Duration = Duration::days(7);

/// How long a hold lasts when the caller does not say: long enough to pay at a checkout.
pub const DEFAULT_HOLD: Duration = Duration::minutes(15);

/// The length of a hold asked for in seconds (the default when none is given), or what is
/// wrong with it: from 1 second to [`MAX_HOLD`].
pub fn hold_length(seconds: Option<i64>) -> Result<Duration, Error> {
    let length = seconds.map_or(Ok(DEFAULT_HOLD), |s| {
        Duration::try_seconds(s).ok_or_else(|| Error::invalid("hold_seconds", HOLD_LENGTH))
    })?;
    check_length(length)?;
    Ok(length)
}

/// Refuses a hold shorter than a second or longer than [`MAX_HOLD`].
fn check_length(length: Duration) -> Result<(), Error> {
    if length < Duration::seconds(1) || length > MAX_HOLD {
        return Err(Error::invalid("hold_seconds", HOLD_LENGTH));
    }
    Ok(())
}

/// What a hold's length must be.
const HOLD_LENGTH: &str = "hold for between 1 second and 7 days";

/// Sells every one of `sales` at once in the caller's transaction in `tenant` (an order paid on
/// delivery), by one statement that takes them in the order given: each line's units leave
/// on-hand at the location with the most free, recorded as a reservation already sold (so that
/// calling the order off can bring them back to where they left) and a sale movement by `actor`.
/// Each line's reservation id, or none where there was not enough. Callers give them in variant
/// order, as [`hold_all_in`].
pub async fn sell_all_now(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    sales: Vec<Hold>,
) -> Result<Vec<Option<Uuid>>, Error> {
    let asked = sales.into_iter().map(|hold| request(tenant, hold)).collect::<Result<Vec<_>, _>>()?;
    let variants: Vec<Uuid> = asked.iter().map(|(l, _)| l.variant.0).collect();
    let locations: Vec<Option<Uuid>> = asked.iter().map(|(l, _)| l.location.map(|l| l.0)).collect();
    let ids: Vec<Uuid> = asked.iter().map(|(_, r)| r.id).collect();
    let quantities: Vec<i32> = asked.iter().map(|(_, r)| r.quantity).collect();
    let references: Vec<String> = asked.iter().map(|(_, r)| r.reference.clone()).collect();
    let movements: Vec<Uuid> = asked.iter().map(|_| Uuid::now_v7()).collect();
    // One call per line, in the order given (the outer side of the lateral join is read in
    // array order).
    let sold: std::collections::HashSet<Uuid> = sqlx::query_scalar!(
        r#"SELECT s.id AS "id!"
             FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::integer[], $6::text[], $7::uuid[])
                  WITH ORDINALITY AS w(variant, location, id, quantity, reference, movement, turn)
            CROSS JOIN LATERAL sell_stock_now($1, w.variant, w.location, w.id, w.quantity, w.reference, w.movement,
                                              $8, $9) AS s
            ORDER BY w.turn"#,
        tenant.0,
        &variants,
        &locations as &[Option<Uuid>],
        &ids,
        &quantities,
        &references,
        &movements,
        actor.id(),
        actor.label(),
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    Ok(ids.into_iter().map(|id| sold.contains(&id).then_some(id)).collect())
}

/// Holds units for a caller with the inventory permission (an API client, a manager). With a
/// key, a retry of the same request answers the first hold instead of holding again.
pub async fn reserve(db: &sqlx::PgPool, actor: &Actor, hold: Hold, once: Option<&Once>) -> Result<Reservation, Error> {
    let tenant = operator(actor)?;
    let Some(once) = once else { return hold_together(db, tenant, hold).await };
    // A hold with a key goes alone, in the transaction that keeps the key with its result.
    let (level, request) = request(tenant, hold)?;
    idempotency::run(db, tenant, Some(once), async |tx| match together::send_one(&mut *tx, level, &request).await? {
        Some(taken) => Ok(granted(level, request.quantity, taken)),
        None => Err(refused(tx, level, request.quantity).await),
    })
    .await
}

/// The business of someone who may hold, release and sell held stock by hand: the operator's
/// staff and clients with the inventory permission, never a vendor's (holds span every
/// location, and are the marketplace's to make).
fn operator(actor: &Actor) -> Result<TenantId, Error> {
    let scope = actor.require(Permission::ManageInventory)?;
    scope.operator_only("hold stock by hand")?;
    Ok(scope.tenant)
}

/// Holds units for a buyer on a storefront (a visitor's cart or a signed-in shopper's) at its
/// checkout. `Conflict` when not enough are available anywhere asked.
pub async fn hold_for_buyer(db: &sqlx::PgPool, actor: &Actor, hold: Hold) -> Result<Reservation, Error> {
    hold_together(db, actor.require(Permission::Buy)?.tenant, hold).await
}

/// Holds every one of `holds` in the caller's transaction in `tenant` (placing an order), by one
/// statement that takes them in the order given: each hold's reservation, or none where there
/// was not enough. Callers give them in variant order, so that two transactions holding several
/// variants never wait on each other.
pub async fn hold_all_in(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    holds: Vec<Hold>,
) -> Result<Vec<Option<Reservation>>, Error> {
    let asked = holds.into_iter().map(|hold| request(tenant, hold)).collect::<Result<Vec<_>, _>>()?;
    let mut taken = together::send_all(tx, tenant, &asked).await?;
    Ok(asked
        .into_iter()
        .map(|(level, request)| taken.remove(&request.id).map(|t| granted(level, request.quantity, t)))
        .collect())
}

/// Holds units in `tenant`, the statement shared with the holds for the same level that arrive
/// meanwhile (see `together`).
async fn hold_together(db: &sqlx::PgPool, tenant: TenantId, hold: Hold) -> Result<Reservation, Error> {
    let (level, request) = request(tenant, hold)?;
    let quantity = request.quantity;
    if let Some(taken) = together::hold(db, level, request).await? {
        return Ok(granted(level, quantity, taken));
    }
    let mut tx = tenant_tx(db, tenant).await?;
    let why = refused(&mut tx, level, quantity).await;
    tx.commit().await?;
    Err(why)
}

/// A hold checked, as the level it is queued for and its request.
fn request(tenant: TenantId, hold: Hold) -> Result<(together::Level, together::Request), Error> {
    super::stock::check_units(hold.quantity, "quantity")?;
    check_length(hold.for_how_long)?;
    if hold.reference.chars().count() > 120 {
        return Err(Error::invalid("reference", "at most 120 characters"));
    }
    Error::refuse_nul("reference", &hold.reference)?;
    let seconds = f64::from(i32::try_from(hold.for_how_long.num_seconds()).unwrap_or(i32::MAX));
    let level = together::Level { tenant, variant: hold.variant, location: hold.location };
    let request = together::Request { id: Uuid::now_v7(), quantity: hold.quantity, reference: hold.reference, seconds };
    Ok((level, request))
}

/// The reservation a granted hold made.
fn granted(level: together::Level, quantity: i32, taken: together::Taken) -> Reservation {
    Reservation {
        id: taken.id,
        variant: level.variant,
        location: LocationId(taken.location_id),
        quantity,
        expires_at: taken.expires_at,
    }
}

/// Why a hold was refused: "not found" for a variant or location the business does not have
/// (another business's included, which it must not learn of), and otherwise not enough stock.
async fn refused(tx: &mut sqlx::PgConnection, level: together::Level, quantity: i32) -> Error {
    let known = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM variants WHERE tenant_id = $1 AND id = $2)
                      AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM locations WHERE tenant_id = $1 AND id = $3))
                      AS "known!""#,
        level.tenant.0,
        level.variant.0,
        level.location.map(|l| l.0),
    )
    .fetch_one(&mut *tx)
    .await;
    match known {
        Ok(true) => Error::conflict(
            Clash::InsufficientStock,
            format!("Not enough stock: {quantity} unit(s) are not available."),
        ),
        Ok(false) => Error::not_found("variant or location"),
        Err(error) => error.into(),
    }
}

/// Holds asked for at the same time on the same level, made by one statement.
///
/// Buyers of one hot SKU all wait for the same stock row's lock, and every statement pays for
/// taking it, for its trigger and notification, and for its commit. So holds are queued per
/// level (tenant, variant, location asked for): whoever finds the queue idle starts a task
/// that sends everything waiting as one `reserve_stock_together()` call, hands each waiter its
/// answer, and goes again while more have queued meanwhile. A lone buyer's hold goes at once;
/// under a rush the statements carry many holds each. Each hold is still granted in full or
/// refused, under the row's lock, so instances sharing a database never oversell.
mod together {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex, PoisonError};

    use chrono::{DateTime, Utc};
    use tokio::sync::oneshot;
    use uuid::Uuid;

    use crate::Error;
    use crate::base::{LocationId, TenantId};
    use crate::catalog::VariantId;

    /// The most holds one statement carries.
    const MOST: usize = 256;

    /// The level a hold is queued for.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub(super) struct Level {
        pub tenant: TenantId,
        pub variant: VariantId,
        pub location: Option<LocationId>,
    }

    /// One hold waiting its turn.
    pub(super) struct Request {
        pub id: Uuid,
        pub quantity: i32,
        pub reference: String,
        pub seconds: f64,
    }

    /// A granted hold.
    pub(super) struct Taken {
        pub id: Uuid,
        pub location_id: Uuid,
        pub expires_at: DateTime<Utc>,
    }

    type Answer = oneshot::Sender<Result<Option<Taken>, Error>>;

    /// The holds queued per level; a level is present while a task is sending its holds.
    type Queues = HashMap<Level, Vec<(Request, Answer)>>;
    static QUEUES: LazyLock<Mutex<Queues>> = LazyLock::new(Mutex::default);

    /// Queues `request` and waits for its answer: the hold, or none when there was not enough.
    pub(super) async fn hold(db: &sqlx::PgPool, level: Level, request: Request) -> Result<Option<Taken>, Error> {
        let (answer, answered) = oneshot::channel();
        let start = {
            let mut queues = QUEUES.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(queue) = queues.get_mut(&level) {
                queue.push((request, answer));
                false
            } else {
                queues.insert(level, vec![(request, answer)]);
                true
            }
        };
        if start {
            // Its own task, so a caller that goes away never strands the others.
            tokio::spawn(send(db.clone(), level));
        }
        answered.await.unwrap_or(Err(Error::Internal))
    }

    /// Sends the level's queued holds until none are left, then forgets the level.
    async fn send(db: sqlx::PgPool, level: Level) {
        let _unstuck = Unstuck(level);
        loop {
            let batch: Vec<(Request, Answer)> = {
                let mut queues = QUEUES.lock().unwrap_or_else(PoisonError::into_inner);
                let Some(queue) = queues.get_mut(&level) else { return };
                if queue.is_empty() {
                    queues.remove(&level);
                    return;
                }
                let rest = queue.split_off(queue.len().min(MOST));
                std::mem::replace(queue, rest)
            };
            let (requests, answers): (Vec<Request>, Vec<Answer>) = batch.into_iter().unzip();
            match run(&db, level, &requests).await {
                Ok(mut taken) => {
                    for (request, answer) in requests.iter().zip(answers) {
                        let _ = answer.send(Ok(taken.remove(&request.id)));
                    }
                }
                Err(error) => {
                    let error = Error::from(error);
                    for answer in answers {
                        let _ = answer.send(Err(error.clone()));
                    }
                }
            }
        }
    }

    /// Should sending stop by a panic, forgets the level, so its waiters get an error at once
    /// (their answers are dropped) and the next hold starts afresh instead of queueing for ever.
    struct Unstuck(Level);

    impl Drop for Unstuck {
        fn drop(&mut self) {
            if std::thread::panicking() {
                QUEUES.lock().unwrap_or_else(PoisonError::into_inner).remove(&self.0);
            }
        }
    }

    /// One hold by a statement of its own on `db` (a transaction of the caller's): the hold,
    /// or none when there was not enough.
    pub(super) async fn send_one(
        db: &mut sqlx::PgConnection,
        level: Level,
        request: &Request,
    ) -> Result<Option<Taken>, Error> {
        Ok(run(db, level, std::slice::from_ref(request)).await?.remove(&request.id))
    }

    /// Holds of any levels by one statement on `db` (a transaction of the caller's), taken in
    /// the order given: the holds granted, by id.
    pub(super) async fn send_all(
        db: &mut sqlx::PgConnection,
        tenant: TenantId,
        asked: &[(Level, Request)],
    ) -> Result<HashMap<Uuid, Taken>, Error> {
        let variants: Vec<Uuid> = asked.iter().map(|(l, _)| l.variant.0).collect();
        let locations: Vec<Option<Uuid>> = asked.iter().map(|(l, _)| l.location.map(|l| l.0)).collect();
        let ids: Vec<Uuid> = asked.iter().map(|(_, r)| r.id).collect();
        let quantities: Vec<i32> = asked.iter().map(|(_, r)| r.quantity).collect();
        let references: Vec<String> = asked.iter().map(|(_, r)| r.reference.clone()).collect();
        let seconds: Vec<f64> = asked.iter().map(|(_, r)| r.seconds).collect();
        // One call of the function per hold, in the order given (the outer side of the lateral
        // join is read in array order).
        let rows = sqlx::query_as!(
            Taken,
            r#"SELECT h.id AS "id!", h.location_id AS "location_id!", h.expires_at AS "expires_at!"
                 FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::integer[], $6::text[], $7::float8[])
                      WITH ORDINALITY AS w(variant, location, id, quantity, reference, seconds, turn)
                CROSS JOIN LATERAL reserve_stock_together($1, w.variant, w.location, ARRAY[w.id], ARRAY[w.quantity],
                                                          ARRAY[w.reference], ARRAY[w.seconds]) AS h
                ORDER BY w.turn"#,
            tenant.0,
            &variants,
            &locations as &[Option<Uuid>],
            &ids,
            &quantities,
            &references,
            &seconds,
        )
        .fetch_all(db)
        .await?;
        Ok(by_id(rows))
    }

    /// Granted holds, by id.
    fn by_id(taken: Vec<Taken>) -> HashMap<Uuid, Taken> {
        taken.into_iter().map(|t| (t.id, t)).collect()
    }

    /// One statement for `requests`: the holds granted, by id.
    async fn run<'e>(
        db: impl sqlx::PgExecutor<'e>,
        level: Level,
        requests: &[Request],
    ) -> Result<HashMap<Uuid, Taken>, sqlx::Error> {
        let ids: Vec<Uuid> = requests.iter().map(|r| r.id).collect();
        let quantities: Vec<i32> = requests.iter().map(|r| r.quantity).collect();
        let references: Vec<String> = requests.iter().map(|r| r.reference.clone()).collect();
        let seconds: Vec<f64> = requests.iter().map(|r| r.seconds).collect();
        let rows = sqlx::query_as!(
            Taken,
            r#"SELECT id AS "id!", location_id AS "location_id!", expires_at AS "expires_at!"
                 FROM reserve_stock_together($1, $2, $3, $4, $5, $6, $7)"#,
            level.tenant.0,
            level.variant.0,
            level.location.map(|l| l.0),
            &ids,
            &quantities,
            &references,
            &seconds,
        )
        .fetch_all(db)
        .await?;
        Ok(by_id(rows))
    }
}

/// Gives held units back. Releasing one already released is harmless; one already sold is a
/// `Conflict`.
pub async fn release(db: &sqlx::PgPool, actor: &Actor, id: Uuid) -> Result<(), Error> {
    let tenant = operator(actor)?;
    in_tenant_tx(db, tenant, async |tx| give_back(tx, tenant, id).await).await
}

/// The step of [`release`], for a command that gives a hold back as part of more (a checkout
/// abandoned or failed): in the caller's transaction in `tenant`.
pub async fn give_back(tx: &mut sqlx::PgConnection, tenant: TenantId, id: Uuid) -> Result<(), Error> {
    match settle(tx, tenant, id, "released").await?.as_str() {
        "held" | "released" => Ok(()),
        _ => Err(Error::conflict(Clash::WrongState, "This reservation was already sold; it cannot be released.")),
    }
}

/// Turns held units into a sale: they leave on-hand with a sale movement. Committing twice is
/// harmless; committing a released (or lapsed) hold is a `Conflict`.
pub async fn commit(db: &sqlx::PgPool, actor: &Actor, id: Uuid, reference: &str) -> Result<(), Error> {
    let tenant = operator(actor)?;
    in_tenant_tx(db, tenant, async |tx| sell_held(tx, tenant, actor, id, reference).await).await
}

/// The step of [`commit`], for a command that sells held units as part of more: in the
/// caller's transaction in `tenant`, the sale recorded as made by `actor`.
pub async fn sell_held(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: Uuid,
    reference: &str,
) -> Result<(), Error> {
    sell_all_held(tx, tenant, actor, &[id], reference).await
}

/// Sells every one of the holds `ids` (an order's lines, paid) in the caller's transaction in
/// `tenant`, by one statement: their units leave on-hand and the holds with a sale movement each.
/// Holds already sold are left as they are; a released (or lapsed) one is a `Conflict`, and one
/// the business does not have is not found.
pub async fn sell_all_held(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    ids: &[Uuid],
    reference: &str,
) -> Result<(), Error> {
    Error::refuse_nul("reference", reference)?;
    let reference = if reference.is_empty() { "online order" } else { reference };
    let was = ledger::sell_reserved(tx, tenant, actor, ids, reference).await?;
    for id in ids {
        match was.get(id).map(String::as_str) {
            None => return Err(Error::not_found("reservation")),
            Some("released") => {
                return Err(Error::conflict(
                    Clash::WrongState,
                    "This reservation has lapsed or was released; reserve again.",
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The step that brings back units sold from a hold (an order called off after its stock was
/// taken): they return, as a return movement by `actor`, to the location they left. Only a
/// committed hold's units can be brought back; the caller makes sure it does so once.
pub async fn return_sold(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: Uuid,
    reference: &str,
) -> Result<(), Error> {
    let row = sqlx::query!(
        "SELECT variant_id, location_id, quantity, status FROM stock_reservations WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("reservation"))?;
    if row.status != "committed" {
        return Err(Error::conflict(Clash::WrongState, "Only units that were sold can be brought back."));
    }
    let m = Move {
        variant: VariantId(row.variant_id),
        location: LocationId(row.location_id),
        quantity: row.quantity,
        reason: MovementReason::Return,
        reference,
        unit_cost: None,
        note: "",
    };
    ledger::apply(&mut *tx, tenant, actor, m).await?;
    Ok(())
}

/// Marks a held reservation `to` and takes its units off `reserved`; answers the status it had.
async fn settle(tx: &mut sqlx::PgConnection, tenant: TenantId, id: Uuid, to: &str) -> Result<String, Error> {
    let row = sqlx::query!(
        r#"WITH before AS (
               SELECT status FROM stock_reservations WHERE tenant_id = $1 AND id = $2 FOR UPDATE),
           settled AS (
               UPDATE stock_reservations SET status = $3, settled_at = now()
                WHERE tenant_id = $1 AND id = $2 AND status = 'held'
               RETURNING variant_id, location_id, quantity),
           given_back AS (
               UPDATE stock_levels s SET reserved = s.reserved - settled.quantity, updated_at = now()
                 FROM settled
                WHERE s.tenant_id = $1 AND s.variant_id = settled.variant_id AND s.location_id = settled.location_id
               RETURNING 1)
           SELECT status AS "status!" FROM before"#,
        tenant.0,
        id,
        to
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("reservation"))?;
    Ok(row.status)
}

/// Releases holds that have lapsed, up to `limit` at a time, across every business (the
/// worker's job). Several instances may run it at once; each hold is released once.
pub async fn release_expired(db: &sqlx::PgPool, limit: i32) -> Result<i32, Error> {
    let released =
        sqlx::query_scalar!(r#"SELECT release_expired_reservations($1) AS "released!""#, limit).fetch_one(db).await?;
    Ok(released)
}

/// Records a sale rung up at a till, possibly while it was offline: every line of the receipt
/// leaves `location` in one transaction, or none does. The goods have already left, so it is
/// booked even when the books say there is not enough (stock then goes below zero and an
/// oversold alert is raised). With a key (the till's own id for the sale), a sale sent twice is
/// booked once. Answers on-hand afterwards, line by line.
pub async fn sell_at_till(
    db: &sqlx::PgPool,
    actor: &Actor,
    location: LocationId,
    lines: &[Line],
    receipt: &str,
    once: Option<&Once>,
) -> Result<Vec<i32>, Error> {
    let tenant = actor.require_at(Permission::SellAtPos, location)?.tenant;
    super::stock::check_lines(lines)?;
    if receipt.trim().is_empty() || receipt.chars().count() > 40 {
        return Err(Error::invalid("receipt", "the receipt's number, at most 40 characters"));
    }
    Error::refuse_nul("receipt", receipt)?;
    idempotency::run(db, tenant, once, async |tx| {
        let mut after = Vec::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            let m = Move {
                variant: line.variant,
                location,
                quantity: -line.quantity,
                reason: MovementReason::Sale,
                reference: receipt,
                unit_cost: None,
                note: "",
            };
            let field = format!("lines[{i}].quantity");
            after.push(ledger::apply(&mut *tx, tenant, actor, m).await.map_err(|e| ledger::for_field(e, &field))?);
        }
        Ok(after)
    })
    .await
}
