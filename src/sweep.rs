//! Forgetting what has expired: sessions past their deadline, spent one-time links, old API
//! tokens, ended rate-limit windows and idempotency keys older than a day. The background worker
//! runs it; several instances may, and the database makes sure the work is done once.

use crate::Error;

/// How many rows of one kind a sweep removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Swept {
    /// What was removed ("sessions", "api tokens", ...).
    pub what: String,
    /// How many.
    pub removed: i64,
}

/// Removes everything that has expired. Answers nothing when another instance is sweeping
/// at the same moment.
pub async fn expired(db: &sqlx::PgPool) -> Result<Vec<Swept>, Error> {
    let rows =
        sqlx::query!(r#"SELECT what AS "what!", removed AS "removed!" FROM sweep_expired()"#).fetch_all(db).await?;
    Ok(rows.into_iter().map(|r| Swept { what: r.what, removed: r.removed }).collect())
}
