//! The one way on-hand stock changes: a movement written in the same statement as the level it
//! changes, so the movements of a level always add up to its on-hand, and never past
//! [`MAX_ON_HAND`] either side of zero. Held units sold ([`sell_reserved`]) leave the hold and
//! on-hand together, in the statement that settles their holds; units sold the moment they are
//! ordered leave by the database's `sell_stock_now()`, which writes their movement in the same
//! call (see [`super::reserve::sell_all_now`]).

use std::collections::HashMap;

use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{MAX_ON_HAND, MovementReason};
use crate::Error;
use crate::base::{Actor, LocationId, TenantId};
use crate::catalog::VariantId;

/// A change of on-hand stock at one location.
pub(crate) struct Move<'a> {
    /// The variant.
    pub variant: VariantId,
    /// Where.
    pub location: LocationId,
    /// Units in (positive) or out (negative); never zero.
    pub quantity: i32,
    /// Why.
    pub reason: MovementReason,
    /// The document behind it.
    pub reference: &'a str,
    /// The unit cost, for receipts.
    pub unit_cost: Option<Decimal>,
    /// A person's note.
    pub note: &'a str,
}

/// Applies `m` inside the caller's transaction and answers on-hand afterwards. Creates the
/// level on first use. An unknown variant or location (or another business's) is `NotFound`.
///
/// A movement that would take on-hand past [`MAX_ON_HAND`] either side of zero is `Invalid`
/// (field `quantity`; see [`for_field`]) and changes nothing. It is refused by the statement
/// itself, under the level's lock, without failing it: the caller's transaction goes on, so a
/// batch can report the item and apply the rest.
pub(crate) async fn apply(tx: &mut PgConnection, tenant: TenantId, actor: &Actor, m: Move<'_>) -> Result<i32, Error> {
    if m.quantity == 0 {
        return Err(Error::invalid("quantity", "a movement of zero units changes nothing"));
    }
    if !(-MAX_ON_HAND..=MAX_ON_HAND).contains(&m.quantity) {
        return Err(beyond_bounds());
    }
    let after = sqlx::query_scalar!(
        r#"WITH level AS (
               INSERT INTO stock_levels (tenant_id, variant_id, location_id, on_hand)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (tenant_id, variant_id, location_id)
               DO UPDATE SET on_hand = stock_levels.on_hand + excluded.on_hand, updated_at = now()
               -- In 64 bits: the sum may pass what 32 hold, and then it is refused, not an error.
               WHERE abs(stock_levels.on_hand::bigint + excluded.on_hand) <= $12
               RETURNING on_hand)
           INSERT INTO stock_movements (tenant_id, id, variant_id, location_id, quantity, on_hand_after, reason,
                                        reference, unit_cost, note, actor_id, actor_label)
           SELECT $1, $5, $2, $3, $4, level.on_hand, $6, $7, $8, $9, $10, $11 FROM level
           RETURNING on_hand_after"#,
        tenant.0,
        m.variant.0,
        m.location.0,
        m.quantity,
        Uuid::now_v7(),
        m.reason.code(),
        m.reference,
        m.unit_cost,
        m.note,
        actor.id(),
        actor.label(),
        i64::from(MAX_ON_HAND),
    )
    .fetch_optional(&mut *tx)
    .await
    .map_err(unknown_item)?;
    // No row: the level is there and the movement would take it past the bound.
    after.ok_or_else(beyond_bounds)
}

/// Sells the held units of the reservations `ids` inside the caller's transaction, by one
/// statement: each reservation still held is settled as sold, its units leave its level's
/// on-hand and reserved together, and a sale movement records each. Answers every reservation
/// found with its status before (`held`, `committed` or `released`); the caller decides what a
/// status other than `held` means. Levels are locked in variant and location order, so that two
/// orders paid at once never wait on each other.
///
/// On-hand stays within bounds: units held are units on hand, so on-hand goes no lower than the
/// units still reserved.
pub(crate) async fn sell_reserved(
    tx: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    ids: &[Uuid],
    reference: &str,
) -> Result<HashMap<Uuid, String>, Error> {
    let movements: Vec<Uuid> = ids.iter().map(|_| Uuid::now_v7()).collect();
    let rows = sqlx::query!(
        r#"WITH before AS (
               SELECT r.id, r.status FROM stock_reservations r
                WHERE r.tenant_id = $1 AND r.id = ANY($2) FOR UPDATE),
           settled AS (
               UPDATE stock_reservations r SET status = 'committed', settled_at = now()
                WHERE r.tenant_id = $1 AND r.id = ANY($2) AND r.status = 'held'
               RETURNING r.id, r.variant_id, r.location_id, r.quantity),
           taken AS (
               SELECT variant_id, location_id, sum(quantity)::integer AS quantity FROM settled
                GROUP BY variant_id, location_id),
           locked AS (
               SELECT s.variant_id, s.location_id FROM stock_levels s
                WHERE s.tenant_id = $1 AND (s.variant_id, s.location_id) IN (SELECT variant_id, location_id FROM taken)
                ORDER BY s.variant_id, s.location_id
                  FOR UPDATE),
           levels AS (
               UPDATE stock_levels s
                  SET on_hand = s.on_hand - t.quantity, reserved = s.reserved - t.quantity, updated_at = now()
                 FROM taken t JOIN locked USING (variant_id, location_id)
                WHERE s.tenant_id = $1 AND s.variant_id = t.variant_id AND s.location_id = t.location_id
               RETURNING s.variant_id, s.location_id, s.on_hand),
           moved AS (
               INSERT INTO stock_movements (tenant_id, id, variant_id, location_id, quantity, on_hand_after, reason,
                                            reference, note, actor_id, actor_label)
               SELECT $1, m.movement, s.variant_id, s.location_id, -s.quantity,
                      -- A level sold from twice: each movement's on-hand after it, in the
                      -- movements' order, ending at the level's.
                      l.on_hand + coalesce(sum(s.quantity) OVER (PARTITION BY s.variant_id, s.location_id
                                                                ORDER BY m.movement
                                                                ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), 0),
                      $7, $4, '', $5, $6
                 FROM settled s
                 JOIN unnest($2::uuid[], $3::uuid[]) AS m(reservation, movement) ON m.reservation = s.id
                 JOIN levels l ON l.variant_id = s.variant_id AND l.location_id = s.location_id)
           SELECT id AS "id!", status AS "status!" FROM before"#,
        tenant.0,
        ids,
        &movements,
        reference,
        actor.id(),
        actor.label(),
        MovementReason::Sale.code(),
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.status)).collect())
}

/// A change of on-hand stock made at a till, booked with others of its batch by [`apply_all`].
pub(crate) struct TillMove {
    /// The variant.
    pub variant: VariantId,
    /// The register's shop.
    pub location: LocationId,
    /// Units in (a return) or out (a sale); never zero.
    pub quantity: i32,
    /// Sale or return.
    pub reason: MovementReason,
    /// The receipt behind it.
    pub reference: String,
    /// The cashier.
    pub actor_id: Uuid,
    /// The cashier, as records name them.
    pub actor_label: String,
}

/// Applies a batch of a till's movements by one statement, after the batch's documents: each
/// level changes once by the sum of its movements, the levels locked in variant and location
/// order (so that batches sent at once never wait on each other in a circle, and hold the rows
/// only from here to their commit), and each movement records on-hand after it, in the order
/// given. The goods have left the shop already, so on-hand may go below zero (an oversold alert
/// is raised); past [`MAX_ON_HAND`] either side of zero the statement is refused as `Invalid`.
pub(crate) async fn apply_all(tx: &mut PgConnection, tenant: TenantId, moves: &[TillMove]) -> Result<(), Error> {
    if moves.is_empty() {
        return Ok(());
    }
    sqlx::query!(
        r#"WITH m AS (
               SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::integer[], $5::text[], $6::text[], $7::uuid[],
                                    $8::text[], $9::uuid[])
                        WITH ORDINALITY AS m(variant, location, quantity, reason, reference, actor, label, id, turn)),
           sums AS (
               SELECT variant, location, sum(quantity)::integer AS quantity FROM m GROUP BY variant, location),
           levels AS (
               INSERT INTO stock_levels (tenant_id, variant_id, location_id, on_hand)
               SELECT $1, variant, location, quantity FROM sums ORDER BY variant, location
               ON CONFLICT (tenant_id, variant_id, location_id)
               DO UPDATE SET on_hand = stock_levels.on_hand + excluded.on_hand, updated_at = now()
               RETURNING variant_id, location_id, on_hand)
           INSERT INTO stock_movements (tenant_id, id, variant_id, location_id, quantity, on_hand_after, reason,
                                        reference, actor_id, actor_label)
           SELECT $1, m.id, m.variant, m.location, m.quantity,
                  l.on_hand - coalesce(sum(m.quantity) OVER (PARTITION BY m.variant, m.location ORDER BY m.turn
                                                            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), 0),
                  m.reason, m.reference, m.actor, m.label
             FROM m JOIN levels l ON l.variant_id = m.variant AND l.location_id = m.location"#,
        tenant.0,
        &moves.iter().map(|m| m.variant.0).collect::<Vec<_>>(),
        &moves.iter().map(|m| m.location.0).collect::<Vec<_>>(),
        &moves.iter().map(|m| m.quantity).collect::<Vec<_>>(),
        &moves.iter().map(|m| m.reason.code().to_owned()).collect::<Vec<_>>(),
        &moves.iter().map(|m| m.reference.clone()).collect::<Vec<_>>(),
        &moves.iter().map(|m| m.actor_id).collect::<Vec<_>>(),
        &moves.iter().map(|m| m.actor_label.clone()).collect::<Vec<_>>(),
        &moves.iter().map(|_| Uuid::now_v7()).collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await
    .map_err(unknown_item)?;
    Ok(())
}

fn beyond_bounds() -> Error {
    Error::invalid(
        "quantity",
        "on hand at a location stays within 1,000,000,000 units either side of zero; this would pass it",
    )
}

/// `error` with the field of an `Invalid` from [`apply`] renamed to the one the caller's caller
/// filled in (`change`, `lines[2].quantity`); other errors as they are.
pub(crate) fn for_field(error: Error, field: &str) -> Error {
    match error {
        Error::Invalid { message, .. } => Error::Invalid { field: field.to_owned(), message },
        other => other,
    }
}

/// A foreign-key failure on a level means the variant or location is not the business's.
pub(crate) fn unknown_item(error: sqlx::Error) -> Error {
    match &error {
        sqlx::Error::Database(db) if db.constraint() == Some("stock_levels_tenant_id_variant_id_fkey") => {
            Error::not_found("variant")
        }
        sqlx::Error::Database(db) if db.constraint() == Some("stock_levels_tenant_id_location_id_fkey") => {
            Error::not_found("location")
        }
        _ => Error::from(error),
    }
}
