//! Rate limits that hold across every server instance: counters in Postgres, one a key and
//! window, read as a sliding window. The hits of the window before count too, in the share of
//! it that still falls within the last `window_seconds`: so nobody gets twice the limit by
//! sending half before a window's edge and half after it, and a count does not fall to nothing
//! at an edge.

use crate::Error;

/// At most `limit` hits per `window_seconds` for one key.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// Hits allowed in a window.
    pub limit: i32,
    /// The window's length.
    pub window_seconds: i32,
}

/// Counts a hit against each key and refuses, with the wait until the current window ends, when
/// any key is over its limit.
pub async fn hit(db: &sqlx::PgPool, keys: &[(String, Limit)]) -> Result<(), Error> {
    let mut retry_after = 0;
    for (key, limit) in keys {
        let row = sqlx::query!(
            r#"WITH counted AS (
                   INSERT INTO rate_limits (key, window_start, hits)
                   VALUES ($1, to_timestamp((floor(extract(epoch FROM now()) / $2::int) * $2::int)::float8), 1)
                   ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
                   RETURNING hits, window_start)
               SELECT c.hits AS "hits!",
                      coalesce((SELECT p.hits FROM rate_limits p
                                 WHERE p.key = $1 AND p.window_start = c.window_start - make_interval(secs => $2::int)), 0)
                        AS "before!",
                      extract(epoch FROM now() - c.window_start)::float8 AS "into!",
                      greatest(1, ceil($2::int - extract(epoch FROM now() - c.window_start)))::bigint AS "left!"
                 FROM counted c"#,
            key,
            limit.window_seconds,
        )
        .fetch_one(db)
        .await?;
        if over(row.hits, row.before, row.into, *limit) {
            retry_after = retry_after.max(u64::try_from(row.left).unwrap_or(1));
        }
    }
    if retry_after > 0 { Err(Error::RateLimited { retry_after }) } else { Ok(()) }
}

/// Whether `hits` in the current window, `into` seconds old, and `before` in the one before it
/// make more than the limit over the last `window_seconds`.
fn over(hits: i32, before: i32, into: f64, limit: Limit) -> bool {
    let window = f64::from(limit.window_seconds);
    let share_of_before = ((window - into) / window).clamp(0.0, 1.0);
    f64::from(hits) + f64::from(before) * share_of_before > f64::from(limit.limit)
}

#[cfg(test)]
mod tests {
    use super::{Limit, over};

    const TEN_IN_FIVE_MINUTES: Limit = Limit { limit: 10, window_seconds: 300 };

    #[test]
    fn hits_just_before_a_windows_edge_still_count_just_after_it() {
        // Seven guesses in the last second of a window and four in the first of the next.
        assert!(over(4, 7, 1.0, TEN_IN_FIVE_MINUTES));
        assert!(!over(3, 7, 1.0, TEN_IN_FIVE_MINUTES), "the tenth is still allowed");
        // Ten before the edge leave no room for another one just after it.
        assert!(over(1, 10, 0.5, TEN_IN_FIVE_MINUTES));
        // Late in the next window, most of the earlier hits have slid out.
        assert!(!over(5, 10, 270.0, TEN_IN_FIVE_MINUTES));
        // Within one window, the limit is the limit.
        assert!(!over(10, 0, 100.0, TEN_IN_FIVE_MINUTES));
        assert!(over(11, 0, 100.0, TEN_IN_FIVE_MINUTES));
    }
}
