//! Idempotency keys: a client that retries a create with the same key gets the first result
//! back, and nothing is done twice.
//!
//! A key is claimed and completed inside the transaction of the work it guards ([`begin`] and
//! [`finish`], or [`run`] around a whole command): the key's row is written with the work and
//! its result, or not at all. A second request with the same key, arriving while the first is
//! running, waits on the first's row (the key is unique), and then either replays the first's
//! result or, if the first rolled back, runs. It waits [`WAIT_FOR_FIRST`] at most, holding a
//! connection meanwhile; after that it is refused as [`Clash::IdempotencyInProgress`], to be
//! retried. Work that fails is not remembered, so a retry runs again; since the failed attempt
//! changed nothing, that is the same as the first time.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

use crate::base::TenantId;
use crate::db::tenant_tx;
use crate::{Clash, Error};

/// A request that may be retried: the key its sender gave it, whose key it is, and a
/// fingerprint of what it asks for (a key sent again with a different request is refused).
#[derive(Debug)]
pub struct Once {
    caller: String,
    key: String,
    fingerprint: Vec<u8>,
    replayed: AtomicBool,
}

impl Once {
    /// The key `key` of `caller` (an API client's id, a till, a session's person) for the
    /// request `what` (such as "POST /api/v1/locations") with this body.
    pub fn new(caller: impl Into<String>, key: &str, what: &str, body: &[u8]) -> Result<Self, Error> {
        if key.is_empty() || key.len() > 255 {
            return Err(Error::invalid("Idempotency-Key", "must be 1 to 255 characters"));
        }
        Error::refuse_nul("Idempotency-Key", key)?;
        Ok(Self {
            caller: caller.into(),
            key: key.to_owned(),
            fingerprint: fingerprint(what, body),
            replayed: AtomicBool::new(false),
        })
    }

    /// Whether the last run with this key answered an earlier request's result.
    pub fn replayed(&self) -> bool {
        self.replayed.load(Ordering::Relaxed)
    }
}

/// Runs `work` in a transaction of `tenant`'s, once per key: the first time, its result is
/// kept with the key in the same transaction; after that, the kept result is answered and
/// `work` does not run. Without a key, `work` simply runs in its transaction.
pub async fn run<T>(
    db: &sqlx::PgPool,
    tenant: TenantId,
    once: Option<&Once>,
    work: impl AsyncFnOnce(&mut PgConnection) -> Result<T, Error>,
) -> Result<T, Error>
where
    T: Serialize + DeserializeOwned,
{
    let mut tx = tenant_tx(db, tenant).await?;
    if let Some(once) = once
        && let Some(earlier) = begin(&mut tx, tenant, once).await?
    {
        tx.commit().await?;
        return Ok(earlier);
    }
    let result = work(&mut tx).await?;
    if let Some(once) = once {
        finish(&mut tx, tenant, once, &result).await?;
    }
    tx.commit().await?;
    Ok(result)
}

/// How long a request waits for the first request with its key to finish.
pub const WAIT_FOR_FIRST: &str = "3s";

/// Postgres' code for a lock not granted within `lock_timeout`.
const LOCK_NOT_AVAILABLE: &str = "55P03";

fn still_running() -> Error {
    Error::conflict(
        Clash::IdempotencyInProgress,
        "The first request with this Idempotency-Key is still being processed; retry shortly.",
    )
}

/// Claims the key inside the work's transaction: `None` when the work is to run (then
/// [`finish`] it before committing), or the result an earlier request with the key kept.
pub async fn begin<T: DeserializeOwned>(
    tx: &mut PgConnection,
    tenant: TenantId,
    once: &Once,
) -> Result<Option<T>, Error> {
    // Waits here while another transaction holds the same key, until it ends or the wait is over.
    sqlx::query(&format!("SET LOCAL lock_timeout = '{WAIT_FOR_FIRST}'")).execute(&mut *tx).await?;
    let claimed = sqlx::query!(
        "INSERT INTO idempotency_keys (tenant_id, client, key, request_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
        tenant.0,
        once.caller,
        once.key,
        once.fingerprint
    )
    .execute(&mut *tx)
    .await;
    let fresh = match claimed {
        Ok(done) => done.rows_affected() == 1,
        Err(sqlx::Error::Database(error)) if error.code().as_deref() == Some(LOCK_NOT_AVAILABLE) => {
            return Err(still_running());
        }
        Err(other) => return Err(other.into()),
    };
    sqlx::query("SET LOCAL lock_timeout = DEFAULT").execute(&mut *tx).await?;
    once.replayed.store(!fresh, Ordering::Relaxed);
    if fresh {
        return Ok(None);
    }
    let earlier = sqlx::query!(
        "SELECT request_hash, result FROM idempotency_keys WHERE tenant_id = $1 AND client = $2 AND key = $3",
        tenant.0,
        once.caller,
        once.key
    )
    .fetch_one(&mut *tx)
    .await?;
    if earlier.request_hash != once.fingerprint {
        return Err(Error::invalid(
            "Idempotency-Key",
            "this key was already used for a different request; use a new key for a new request",
        ));
    }
    let Some(result) = earlier.result else {
        // A key is written with its result in one transaction, so this is a caller that
        // committed without `finish`.
        tracing::error!("an idempotency key was kept without its result");
        return Err(Error::Internal);
    };
    serde_json::from_value(result).map(Some).map_err(|error| {
        tracing::error!(%error, "a kept idempotent result could not be read back");
        Error::Internal
    })
}

/// Keeps the work's result with its key, in the work's transaction.
pub async fn finish<T: Serialize>(
    tx: &mut PgConnection,
    tenant: TenantId,
    once: &Once,
    result: &T,
) -> Result<(), Error> {
    let result = serde_json::to_value(result).map_err(|error| {
        tracing::error!(%error, "an idempotent result could not be kept");
        Error::Internal
    })?;
    sqlx::query!(
        "UPDATE idempotency_keys SET result = $4 WHERE tenant_id = $1 AND client = $2 AND key = $3",
        tenant.0,
        once.caller,
        once.key,
        result
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The fingerprint of a request: what it asked for and what it sent.
fn fingerprint(route: &str, body: &[u8]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(route.as_bytes());
    hasher.update([0]);
    hasher.update(body);
    hasher.finalize().to_vec()
}
