//! The one way on-hand stock changes: a movement written in the same statement as the level it
//! changes, so the movements of a level always add up to its on-hand, and never past
//! [`MAX_ON_HAND`] either side of zero.

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
