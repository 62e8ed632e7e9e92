//! Idempotency keys: a client that retries a create with the same key gets the first answer
//! back, and nothing is done twice. A key is claimed before the work starts, so two copies of a
//! request racing each other cannot both run.

use sha2::{Digest, Sha256};

use crate::db::tenant_tx;
use crate::identity::TenantId;
use crate::{Clash, Error};

/// What a claim found.
pub enum Claim {
    /// The key is new and now held for this request: do the work, then [`complete`] or [`release`].
    Fresh,
    /// The same request was answered before: send this again.
    Replay {
        /// The first answer's status.
        status: u16,
        /// The first answer's body.
        body: Vec<u8>,
    },
}

/// The fingerprint of a request: what it asked for and what it sent.
pub fn fingerprint(route: &str, body: &[u8]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(route.as_bytes());
    hasher.update([0]);
    hasher.update(body);
    hasher.finalize().to_vec()
}

/// Claims `key` for this client's request, or finds the earlier request that used it.
pub async fn claim(
    db: &sqlx::PgPool,
    tenant: TenantId,
    client: &str,
    key: &str,
    fingerprint: &[u8],
) -> Result<Claim, Error> {
    if key.is_empty() || key.len() > 255 {
        return Err(Error::invalid("Idempotency-Key", "must be 1 to 255 characters"));
    }
    let mut tx = tenant_tx(db, tenant).await?;
    let fresh = sqlx::query!(
        "INSERT INTO idempotency_keys (tenant_id, client, key, request_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
        tenant.0,
        client,
        key,
        fingerprint
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    let claim = if fresh {
        Claim::Fresh
    } else {
        let earlier = sqlx::query!(
            "SELECT request_hash, response_status, response_body FROM idempotency_keys
              WHERE tenant_id = $1 AND client = $2 AND key = $3",
            tenant.0,
            client,
            key
        )
        .fetch_one(&mut *tx)
        .await?;
        if earlier.request_hash != fingerprint {
            return Err(Error::invalid(
                "Idempotency-Key",
                "this key was already used for a different request; use a new key for a new request",
            ));
        }
        match (earlier.response_status, earlier.response_body) {
            (Some(status), Some(body)) => Claim::Replay { status: u16::try_from(status).unwrap_or(500), body },
            _ => {
                return Err(Error::conflict(
                    Clash::IdempotencyInProgress,
                    "The first request with this Idempotency-Key is still being processed; retry shortly.",
                ));
            }
        }
    };
    tx.commit().await?;
    Ok(claim)
}

/// Stores the answer to a claimed request, for replays.
pub async fn complete(
    db: &sqlx::PgPool,
    tenant: TenantId,
    client: &str,
    key: &str,
    status: u16,
    body: &[u8],
) -> Result<(), Error> {
    let mut tx = tenant_tx(db, tenant).await?;
    sqlx::query!(
        "UPDATE idempotency_keys SET response_status = $4, response_body = $5
          WHERE tenant_id = $1 AND client = $2 AND key = $3",
        tenant.0,
        client,
        key,
        i16::try_from(status).unwrap_or(500),
        body
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives a claimed key back when the work failed on the server's side, so a retry can run.
pub async fn release(db: &sqlx::PgPool, tenant: TenantId, client: &str, key: &str) -> Result<(), Error> {
    let mut tx = tenant_tx(db, tenant).await?;
    sqlx::query!(
        "DELETE FROM idempotency_keys WHERE tenant_id = $1 AND client = $2 AND key = $3 AND response_status IS NULL",
        tenant.0,
        client,
        key
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
