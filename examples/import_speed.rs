//! Measures a 10,000-row product import (10,000 products) against the database
//! in `DATABASE_URL`, as the business's manager: the preview, then the import itself.
//! Run by `bench/inventory.sh`, which then measures the product list over what it imported.

use std::time::Instant;

use commerce::files::{self, ImportKind};
use commerce::identity::session::ClientInfo;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL")?;
    let db = sqlx::PgPool::connect(&url).await?;
    let client = ClientInfo { user_agent: "bench".into(), ip: "127.0.0.1".into() };
    let manager =
        commerce::identity::log_in(&db, "manager@ojafresh.ng", commerce::demo::PASSWORD, &client).await?.actor;
    let rows: Vec<String> = (0..10_000)
        .map(|i| {
            let price = 1_200 + i % 700;
            format!("Bench Product {i:05},BENCH-{i:05},{price},{},Bench Foods,Food > Rice & grains", price * 3 / 4)
        })
        .collect();
    let text = format!("name,sku,price,cost,brand,category\n{}\n", rows.join("\n"));
    for dry_run in [true, false] {
        let started = Instant::now();
        let job = files::begin(&db, &manager, ImportKind::Products, &text, dry_run).await?;
        files::run(&db, &manager, job, ImportKind::Products, &text, dry_run).await;
        let elapsed = started.elapsed();
        let state = files::job(&db, &manager, job).await?;
        let report = state.report.unwrap_or_default();
        println!(
            "{}: {} rows, {} products created, {} errors, {:.2} s",
            if dry_run { "preview" } else { "import" },
            report.rows,
            report.created,
            report.errors.len(),
            elapsed.as_secs_f64()
        );
        // A fast wrong answer is not a figure: every row read, every product made, none refused.
        if state.status != "done" || report.rows != 10_000 || report.created != 10_000 || !report.errors.is_empty() {
            return Err(format!("the import did not do what was timed: {} {report:?}", state.status).into());
        }
    }
    Ok(())
}
