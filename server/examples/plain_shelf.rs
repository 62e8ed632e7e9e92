//! The yardstick for the storefront's shelf: a plain axum + sqlx page that renders the same
//! products as `/store/{slug}` (the featured ones, then 48 by name, each with its price range,
//! availability and thumbnail), or as `/store/{slug}/c/{category}`, from the same database,
//! with one query per list and a string for HTML: no framework, no session, no tenancy.
//! `bench/orders.sh` measures both in one run and compares their rates.
//!
//! Run as `plain_shelf <bind address>`, with `DATABASE_OWNER_URL` naming the database.

use std::fmt::Write as _;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Html;
use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
struct Address {
    slug: String,
    category: Option<Uuid>,
}

type Row = (Uuid, String, Option<String>, Decimal, Decimal, i64, Option<String>);

async fn shelf(
    State(db): State<sqlx::PgPool>,
    Path(Address { slug, category }): Path<Address>,
) -> Result<Html<String>, StatusCode> {
    let failed = |_| StatusCode::INTERNAL_SERVER_ERROR;
    // The home shows the featured products before the shelf; a category's page does not.
    let featured =
        if category.is_none() { products(&db, &slug, None, true, 8).await.map_err(failed)? } else { Vec::new() };
    let rows = products(&db, &slug, category, false, 48).await.map_err(failed)?;
    if rows.is_empty() {
        return Err(StatusCode::NOT_FOUND);
    }
    let mut html = String::with_capacity(32 * 1024);
    html.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Shop</title></head><body>");
    for list in [featured, rows] {
        if list.is_empty() {
            continue;
        }
        html.push_str("<ul>");
        for (id, name, brand, low, high, available, picture) in list {
            let _ = write!(html, "<li data-product=\"{id}\"><a href=\"/store/{}/p/{id}\">", escape(&slug));
            if let Some(picture) = picture {
                let _ = write!(html, "<img src=\"/media/thumbs/{}\" alt=\"\">", escape(&picture));
            }
            let _ = write!(html, "<h3>{}</h3>", escape(&name));
            if let Some(brand) = brand {
                let _ = write!(html, "<p>{}</p>", escape(&brand));
            }
            let price = if low == high { format!("₦{low:.2}") } else { format!("₦{low:.2} – ₦{high:.2}") };
            let stock = if available > 0 { "In stock" } else { "Sold out" };
            let _ = write!(html, "<p>{price}</p><p>{stock}</p></a></li>");
        }
        html.push_str("</ul>");
    }
    html.push_str("</body></html>");
    Ok(Html(html))
}

/// Up to `limit` products on sale at the store, by name: in a category and those below it, or
/// only the featured ones.
async fn products(
    db: &sqlx::PgPool,
    slug: &str,
    category: Option<Uuid>,
    featured: bool,
    limit: i64,
) -> Result<Vec<Row>, sqlx::Error> {
    sqlx::query_as(
        "WITH store AS (SELECT id, name FROM tenants WHERE slug = $1 AND status = 'active'),
              page AS (
               SELECT p.tenant_id, p.id, p.name, p.brand, lower(p.name) AS sort_name
                 FROM products p JOIN store ON store.id = p.tenant_id
                WHERE p.status = 'active' AND (NOT $3 OR p.featured)
                  AND EXISTS (SELECT 1 FROM variants v WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id)
                  AND ($2::uuid IS NULL OR p.category_id IN (
                        WITH RECURSIVE below AS (
                            SELECT c.id FROM categories c JOIN store ON store.id = c.tenant_id WHERE c.id = $2
                            UNION ALL
                            SELECT c.id FROM categories c JOIN below ON c.parent_id = below.id)
                        SELECT id FROM below))
                ORDER BY lower(p.name), p.id
                LIMIT $4)
         SELECT page.id, page.name, page.brand, min(v.price), max(v.price),
                coalesce(sum(l.on_hand - l.reserved), 0)::bigint,
                (SELECT file_key FROM product_images i WHERE i.tenant_id = page.tenant_id AND i.product_id = page.id
                  ORDER BY position, id LIMIT 1)
           FROM page
           JOIN variants v ON v.tenant_id = page.tenant_id AND v.product_id = page.id
           LEFT JOIN stock_levels l ON l.tenant_id = v.tenant_id AND l.variant_id = v.id
          GROUP BY page.tenant_id, page.id, page.name, page.brand, page.sort_name
          ORDER BY page.sort_name, page.id",
    )
    .bind(slug)
    .bind(category)
    .bind(featured)
    .bind(limit)
    .fetch_all(db)
    .await
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bind = std::env::args().nth(1).ok_or("usage: plain_shelf <bind address>")?;
    let db =
        sqlx::postgres::PgPoolOptions::new().max_connections(16).connect(&std::env::var("DATABASE_OWNER_URL")?).await?;
    let app = axum::Router::new()
        .route("/store/{slug}", axum::routing::get(shelf))
        .route("/store/{slug}/c/{category}", axum::routing::get(shelf))
        .with_state(db);
    axum::serve(tokio::net::TcpListener::bind(&bind).await?, app).await?;
    Ok(())
}
