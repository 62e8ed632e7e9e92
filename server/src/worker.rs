//! The background worker: housekeeping that no request waits for. Every instance runs one;
//! the work itself is arranged in the database so that running it twice changes nothing.

use std::time::Duration;

use commerce::db::Db;
use commerce::media::{Media, MediaStore};
use tokio::sync::watch;

/// How often expired sessions, tokens, rate-limit windows and idempotency keys are removed.
const SWEEP_EVERY: Duration = Duration::from_mins(10);

/// How often lapsed stock reservations are released (a hold is never kept much past its time).
const RELEASE_EVERY: Duration = Duration::from_secs(15);

/// How often what orders changed is folded into the dashboard's rollups. Readers add up what
/// is not yet folded, so this bounds how much they add, not how fresh the figures are.
const FOLD_EVERY: Duration = Duration::from_secs(1);

/// Reservations released per round trip.
const RELEASE_BATCH: i32 = 500;

/// Files of removed pictures deleted per round trip.
const DISCARD_BATCH: i32 = 200;

/// Runs until `stop` turns true: a sweep and the marketplaces' scheduled payouts at start, then
/// every [`SWEEP_EVERY`]; lapsed
/// reservations released, unpaid orders called off, and the files of removed pictures deleted,
/// every [`RELEASE_EVERY`]; sales folded into the dashboard's rollups every [`FOLD_EVERY`].
pub async fn run(db: Db, media: Media, mail: commerce::mail::Mail, mut stop: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(SWEEP_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut releases = tokio::time::interval(RELEASE_EVERY);
    releases.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut folds = tokio::time::interval(FOLD_EVERY);
    folds.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let stopped = async move {
        let _ = stop.wait_for(|stopped| *stopped).await;
    };
    tokio::pin!(stopped);
    loop {
        tokio::select! {
            _ = ticks.tick() => {
                sweep(&db).await;
                run_scheduled_payouts(&db).await;
                escalate_disputes(&db).await;
            }
            _ = folds.tick() => fold_sales(&db).await,
            _ = releases.tick() => {
                // Orders first: an unpaid order's hold outlasts its window, so it is the order
                // that gives it back, with its timeline saying why.
                call_off_unpaid_orders(&db).await;
                release_lapsed_holds(&db).await;
                deliver_messages(&db, &mail).await;
                delete_discarded_files(&db, &*media).await;
            }
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

async fn fold_sales(db: &Db) {
    let batch = commerce::dashboard::FOLD_BATCH;
    loop {
        match commerce::dashboard::fold(db.primary(), batch).await {
            Ok(folded) if folded < i64::from(batch) => break,
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(%error, "folding sales into the dashboard's rollups failed");
                break;
            }
        }
    }
}

async fn call_off_unpaid_orders(db: &Db) {
    match commerce::orders::payment::call_off_unpaid(db.primary(), RELEASE_BATCH).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(called_off = n, "called off orders not paid in time"),
        Err(error) => tracing::warn!(%error, "calling off unpaid orders failed"),
    }
}

async fn escalate_disputes(db: &Db) {
    match commerce::marketplace::disputes::escalate_overdue(db.primary()).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(disputes = n, "left disputes whose sellers did not answer to the marketplace"),
        Err(error) => tracing::warn!(%error, "escalating overdue disputes failed"),
    }
}

async fn run_scheduled_payouts(db: &Db) {
    match commerce::marketplace::payouts::run_scheduled(db.primary()).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(payouts = n, "ran the marketplaces' scheduled payouts"),
        Err(error) => tracing::warn!(%error, "running scheduled payouts failed"),
    }
}

async fn deliver_messages(db: &Db, mail: &commerce::mail::Mail) {
    match commerce::identity::outbox::deliver(db.primary(), mail, RELEASE_BATCH).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(sent = n, "delivered messages from the outbox"),
        Err(error) => tracing::warn!(%error, "delivering the outbox failed"),
    }
}

async fn release_lapsed_holds(db: &Db) {
    let mut released = 0;
    loop {
        match commerce::inventory::reserve::release_expired(db.primary(), RELEASE_BATCH).await {
            Ok(n) => {
                released += n;
                if n < RELEASE_BATCH {
                    break;
                }
            }
            Err(error) => {
                tracing::warn!(%error, "releasing lapsed reservations failed");
                break;
            }
        }
    }
    if released > 0 {
        tracing::info!(released, "released lapsed stock reservations");
    }
}

async fn delete_discarded_files(db: &Db, media: &dyn MediaStore) {
    let mut deleted = 0;
    loop {
        match commerce::media::delete_discarded(db.primary(), media, DISCARD_BATCH).await {
            Ok(n) => {
                deleted += n;
                if n < usize::try_from(DISCARD_BATCH).unwrap_or(usize::MAX) {
                    break;
                }
            }
            Err(error) => {
                tracing::warn!(%error, "deleting the files of removed pictures failed");
                break;
            }
        }
    }
    if deleted > 0 {
        tracing::info!(deleted, "deleted the files of removed pictures");
    }
}
