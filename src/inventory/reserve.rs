//! Reservations: units held for a buyer until they pay (committed as a sale) or the hold
//! lapses (released). Holding is one conditional update, so buyers racing for the last unit
//! on any number of server instances can never both get it.

use chrono::Duration;
use uuid::Uuid;

use super::ledger::{self, Move};
use super::{MovementReason, Reservation};
use crate::Error;
use crate::catalog::VariantId;
use crate::db::tenant_tx;
use crate::identity::{Actor, LocationId, Permission, TenantId};

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

/// Holds units for a caller with the inventory permission (an API client, a manager).
pub async fn reserve(db: &sqlx::PgPool, actor: &Actor, hold: Hold) -> Result<Reservation, Error> {
    let tenant = actor.require(Permission::ManageInventory)?;
    reserve_in(db, tenant, hold).await
}

/// Holds units in `tenant` for a buyer the business does not know yet (the storefront's
/// checkout). `Conflict` when not enough are available anywhere asked.
pub async fn reserve_in(db: &sqlx::PgPool, tenant: TenantId, hold: Hold) -> Result<Reservation, Error> {
    super::stock::check_units(hold.quantity, "quantity")?;
    if hold.for_how_long < Duration::seconds(1) || hold.for_how_long > MAX_HOLD {
        return Err(Error::invalid("hold_seconds", "hold for between 1 second and 7 days"));
    }
    if hold.reference.chars().count() > 120 {
        return Err(Error::invalid("reference", "at most 120 characters"));
    }
    let seconds = f64::from(i32::try_from(hold.for_how_long.num_seconds()).unwrap_or(i32::MAX));
    // One statement in its own transaction (see the migration's `reserve_stock`): the hot row
    // is locked only while the statement runs.
    let taken = sqlx::query!(
        r#"SELECT id AS "id!", location_id AS "location_id!", expires_at AS "expires_at!"
             FROM reserve_stock($1, $2, $3, $4, $5, $6, $7)"#,
        tenant.0,
        hold.variant.0,
        hold.location.map(|l| l.0),
        hold.quantity,
        Uuid::now_v7(),
        hold.reference,
        seconds,
    )
    .fetch_optional(db)
    .await?;
    match taken {
        Some(taken) => Ok(Reservation {
            id: taken.id,
            variant: hold.variant,
            location: LocationId(taken.location_id),
            quantity: hold.quantity,
            expires_at: taken.expires_at,
        }),
        None => Err(Error::Conflict(format!("Not enough stock: {} unit(s) are not available.", hold.quantity))),
    }
}

/// Gives held units back. Releasing one already released is harmless; one already sold is a
/// `Conflict`.
pub async fn release(db: &sqlx::PgPool, actor: &Actor, id: Uuid) -> Result<(), Error> {
    let tenant = actor.require(Permission::ManageInventory)?;
    release_in(db, tenant, id).await
}

/// [`release`] for the storefront's checkout.
pub async fn release_in(db: &sqlx::PgPool, tenant: TenantId, id: Uuid) -> Result<(), Error> {
    let mut tx = tenant_tx(db, tenant).await?;
    let status = settle(&mut tx, tenant, id, "released").await?;
    match status.as_str() {
        "held" | "released" => {
            tx.commit().await?;
            Ok(())
        }
        _ => Err(Error::Conflict("This reservation was already sold; it cannot be released.".into())),
    }
}

/// Turns held units into a sale: they leave on-hand with a sale movement. Committing twice is
/// harmless; committing a released (or lapsed) hold is a `Conflict`.
pub async fn commit(db: &sqlx::PgPool, actor: &Actor, id: Uuid, reference: &str) -> Result<(), Error> {
    let tenant = actor.require(Permission::ManageInventory)?;
    commit_in(db, tenant, actor, id, reference).await
}

/// [`commit`] inside `tenant`, the sale recorded as made by `actor`.
pub async fn commit_in(
    db: &sqlx::PgPool,
    tenant: TenantId,
    actor: &Actor,
    id: Uuid,
    reference: &str,
) -> Result<(), Error> {
    let mut tx = tenant_tx(db, tenant).await?;
    let row = sqlx::query!(
        "SELECT variant_id, location_id, quantity, status FROM stock_reservations
          WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
        tenant.0,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("reservation"))?;
    match row.status.as_str() {
        "committed" => return Ok(()),
        "released" => {
            return Err(Error::Conflict("This reservation has lapsed or was released; reserve again.".into()));
        }
        _ => {}
    }
    settle(&mut tx, tenant, id, "committed").await?;
    let m = Move {
        variant: VariantId(row.variant_id),
        location: LocationId(row.location_id),
        quantity: -row.quantity,
        reason: MovementReason::Sale,
        reference: if reference.is_empty() { "online order" } else { reference },
        unit_cost: None,
        note: "",
    };
    ledger::apply(&mut tx, tenant, actor, m).await?;
    tx.commit().await?;
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

/// Records a sale made at a till while it was offline: the goods have already left, so it is
/// booked even when the books say there is not enough (stock then goes below zero and an
/// oversold alert is raised). Answers on-hand afterwards.
pub async fn sell_at_till(
    db: &sqlx::PgPool,
    actor: &Actor,
    variant: VariantId,
    location: LocationId,
    quantity: i32,
    receipt: &str,
) -> Result<i32, Error> {
    let tenant = actor.require(Permission::SellAtPos)?;
    super::stock::check_units(quantity, "quantity")?;
    let mut tx = tenant_tx(db, tenant).await?;
    let m = Move {
        variant,
        location,
        quantity: -quantity,
        reason: MovementReason::Sale,
        reference: receipt,
        unit_cost: None,
        note: "",
    };
    let after = ledger::apply(&mut tx, tenant, actor, m).await?;
    tx.commit().await?;
    Ok(after)
}
