//! Rate limits that hold across every server instance: fixed-window counters in Postgres.

use crate::Error;

/// At most `limit` hits per `window_seconds` for one key.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// Hits allowed in a window.
    pub limit: i32,
    /// The window's length.
    pub window_seconds: i32,
}

/// Counts a hit against each key and refuses with the wait until the window ends when any key
/// is over its limit.
pub async fn hit(db: &sqlx::PgPool, keys: &[(String, Limit)]) -> Result<(), Error> {
    let mut retry_after = 0;
    for (key, limit) in keys {
        let row = sqlx::query!(
            r#"INSERT INTO rate_limits (key, window_start, hits)
               VALUES ($1, to_timestamp((floor(extract(epoch FROM now()) / $2::int) * $2::int)::float8), 1)
               ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
               RETURNING hits, ceil(extract(epoch FROM window_start) + $2::int - extract(epoch FROM now()))::bigint AS "left!""#,
            key,
            limit.window_seconds,
        )
        .fetch_one(db)
        .await?;
        if row.hits > limit.limit {
            retry_after = retry_after.max(u64::try_from(row.left).unwrap_or(1).max(1));
        }
    }
    if retry_after > 0 { Err(Error::RateLimited { retry_after }) } else { Ok(()) }
}
