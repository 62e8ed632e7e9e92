//! Times the dashboard's figures for the last 30 days and the last 12 months against the
//! database in `DATABASE_URL`, as the supermarket's owner: read from the rollups, and counted
//! straight from the orders, each `ROUNDS` times, one after another. Refuses to print a figure
//! when the two disagree. Run by `bench/dashboard.sh`.
//!
//! Prints one line a period: `<span> rollups_p50_ms rollups_p95_ms orders_p50_ms orders_p95_ms orders`.

use std::time::{Duration, Instant};

use commerce::dashboard::{self, Filter, Span, counted};
use commerce::identity::session::ClientInfo;

const ROUNDS: usize = 40;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL")?;
    let db = sqlx::postgres::PgPoolOptions::new().max_connections(8).connect(&url).await?;
    let client = ClientInfo { user_agent: "bench".into(), ip: "127.0.0.1".into() };
    let owner = commerce::identity::log_in(&db, "owner@ojafresh.ng", commerce::demo::PASSWORD, &client).await?.actor;
    let filter = Filter::default();
    for (code, span) in [("30d", Span::Last30), ("12m", Span::LastYear)] {
        let period = dashboard::period(&db, &owner, Some(span.code()), None, None).await?;
        let kept = dashboard::read(&db, &owner, period, &filter).await?;
        let straight = counted::read(&db, &owner, period, &filter).await?;
        if kept != straight {
            return Err(format!("{code}: the rollups and the orders disagree").into());
        }
        let mut rollups = Vec::with_capacity(ROUNDS);
        let mut orders = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let started = Instant::now();
            dashboard::read(&db, &owner, period, &filter).await?;
            rollups.push(started.elapsed());
            let started = Instant::now();
            counted::read(&db, &owner, period, &filter).await?;
            orders.push(started.elapsed());
        }
        let (r50, r95) = percentiles(&mut rollups);
        let (o50, o95) = percentiles(&mut orders);
        println!("{code} {r50:.1} {r95:.1} {o50:.1} {o95:.1} {}", kept.now.orders);
    }
    Ok(())
}

/// The median and the 95th percentile (nearest rank), in milliseconds.
fn percentiles(times: &mut [Duration]) -> (f64, f64) {
    times.sort();
    let at = |percent: usize| {
        let i = (times.len() * percent).div_ceil(100).saturating_sub(1);
        times[i].as_secs_f64() * 1000.0
    };
    (at(50), at(95))
}
