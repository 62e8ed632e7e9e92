//! The background worker: housekeeping that no request waits for. Every instance runs one;
//! the work itself is arranged in the database so that running it twice changes nothing.

use std::time::Duration;

use commerce::db::Db;
use tokio::sync::watch;

/// How often expired sessions, tokens, rate-limit windows and idempotency keys are removed.
const SWEEP_EVERY: Duration = Duration::from_mins(10);

/// Runs until `stop` turns true: a sweep at start, then one every [`SWEEP_EVERY`].
pub async fn run(db: Db, mut stop: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(SWEEP_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let stopped = async move {
        let _ = stop.wait_for(|stopped| *stopped).await;
    };
    tokio::pin!(stopped);
    loop {
        tokio::select! {
            _ = ticks.tick() => sweep(&db).await,
            () = &mut stopped => break,
        }
    }
    tracing::debug!("worker stopped");
}

async fn sweep(db: &Db) {
    match commerce::sweep::expired(db.primary()).await {
        Ok(swept) => {
            let removed: Vec<String> =
                swept.iter().filter(|s| s.removed > 0).map(|s| format!("{} {}", s.removed, s.what)).collect();
            if !removed.is_empty() {
                tracing::info!(removed = removed.join(", "), "swept expired records");
            }
        }
        // The database may be down for a while; the next tick tries again.
        Err(error) => tracing::warn!(%error, "sweeping expired records failed"),
    }
}
