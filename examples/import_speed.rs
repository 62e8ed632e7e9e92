//! Measures a 10,000-row product import (5,000 products of two variants) against the database
//! in `DATABASE_URL`, as the business's manager: the preview, then the import itself.
//! Run by `bench/inventory.sh`, which then measures the product list over what it imported.

use std::time::Instant;

use commerce::catalog::csv_files::{self, ImportKind};
use commerce::identity::session::ClientInfo;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL")?;
    let db = sqlx::PgPool::connect(&url).await?;
    let client = ClientInfo { user_agent: "bench".into(), ip: "127.0.0.1".into() };
    let manager = commerce::identity::log_in(&db, "manager@ojafresh.ng", commerce::demo::PASSWORD, &client).await?.actor;
    let mut text = String::from("name,sku,price,cost,option1_name,option1_value,brand,category\n");
    for i in 0..5_000 {
        for (size, price) in [("500g", 1_200 + i % 700), ("1kg", 2_300 + i % 900)] {
            text.push_str(&format!(
                "Bench Product {i:05},BENCH-{i:05}-{size},{price},{},Size,{size},Bench Foods,Food > Rice & grains\n",
                price * 3 / 4
            ));
        }
    }
    for dry_run in [true, false] {
        let started = Instant::now();
        let job = csv_files::begin(&db, &manager, ImportKind::Products, &text, dry_run).await?;
        csv_files::run(&db, &manager, job, ImportKind::Products, &text, dry_run).await;
        let elapsed = started.elapsed();
        let state = csv_files::job(&db, &manager, job).await?;
        let report = state.report.unwrap_or_default();
        println!(
            "{}: {} rows, {} products created, {} errors, {:.2} s",
            if dry_run { "preview" } else { "import" },
            report.rows,
            report.created,
            report.errors.len(),
            elapsed.as_secs_f64()
        );
    }
    Ok(())
}
