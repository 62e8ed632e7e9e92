//! A signed-in shopper's address book: the addresses their orders were delivered to, kept as
//! each order is placed and offered at their next checkout, the one used last first. A shopper
//! keeps at most [`MOST`]; the one used longest ago makes way.

use uuid::Uuid;

use super::address::{Address, SavedAddress};
use crate::Error;
use crate::base::{Actor, TenantId};
use crate::db::in_tenant_tx;

/// The most addresses a shopper keeps.
pub const MOST: i64 = 10;

/// Keeps `address` in the shopper's book (or marks it used now, when it is there), in the
/// caller's transaction.
pub(crate) async fn keep(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    shopper: Uuid,
    address: &Address,
) -> Result<(), Error> {
    sqlx::query!(
        "INSERT INTO shopper_addresses (tenant_id, id, shopper_id, line, city, lga, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id, shopper_id, lower(line), lower(city), lower(lga), state)
         DO UPDATE SET line = excluded.line, city = excluded.city, lga = excluded.lga, used_at = now()",
        tenant.0,
        Uuid::now_v7(),
        shopper,
        address.line,
        address.city,
        address.lga,
        address.state
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "DELETE FROM shopper_addresses WHERE tenant_id = $1 AND shopper_id = $2
            AND id NOT IN (SELECT id FROM shopper_addresses WHERE tenant_id = $1 AND shopper_id = $2
                            ORDER BY used_at DESC, id DESC LIMIT $3)",
        tenant.0,
        shopper,
        MOST
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The signed-in shopper's addresses, the one used last first; none for anyone else.
pub async fn list(db: &sqlx::PgPool, actor: &Actor) -> Result<Vec<SavedAddress>, Error> {
    let Actor::Shopper { tenant, shopper, .. } = actor else { return Ok(Vec::new()) };
    in_tenant_tx(db, *tenant, async |tx| {
        let rows = sqlx::query!(
            "SELECT id, line, city, lga, state FROM shopper_addresses WHERE tenant_id = $1 AND shopper_id = $2
              ORDER BY used_at DESC, id DESC",
            tenant.0,
            shopper
        )
        .fetch_all(&mut *tx)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| SavedAddress {
                id: r.id,
                address: Address { line: r.line, city: r.city, lga: r.lga, state: r.state },
            })
            .collect())
    })
    .await
}

/// Takes an address out of the signed-in shopper's book; one that is not theirs is not found.
pub async fn forget(db: &sqlx::PgPool, actor: &Actor, id: Uuid) -> Result<(), Error> {
    let Actor::Shopper { tenant, shopper, .. } = actor else {
        return Err(Error::Unauthorized("Sign in to your account first.".into()));
    };
    in_tenant_tx(db, *tenant, async |tx| {
        let gone = sqlx::query!(
            "DELETE FROM shopper_addresses WHERE tenant_id = $1 AND shopper_id = $2 AND id = $3",
            tenant.0,
            shopper,
            id
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if gone == 0 {
            return Err(Error::not_found("address"));
        }
        Ok(())
    })
    .await
}
