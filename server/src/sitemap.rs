//! `/store/{slug}/sitemap.xml`: a store's pages for search engines: its home, its categories
//! with products on sale, and every product on sale, with when each last changed.

use std::fmt::Write;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use commerce::base::Actor;

use crate::AppState;

/// The most addresses one sitemap may list.
const MOST: i64 = 50_000;

/// The store's sitemap; a store that is not open answers 404.
pub async fn store(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "No such store.").into_response();
    if slug.contains('\0') {
        return not_found();
    }
    let Ok(tenant) = commerce::identity::storefront_tenant(state.db.read(), &slug).await else { return not_found() };
    let visitor = Actor::Visitor { tenant, visit: uuid::Uuid::nil() };
    let unavailable = |error: &commerce::Error| {
        tracing::warn!(%error, "a sitemap could not be read");
        (StatusCode::SERVICE_UNAVAILABLE, "Try again shortly.").into_response()
    };
    let categories = match commerce::catalog::shop::categories(state.db.read(), &visitor).await {
        Ok(mut categories) => {
            categories.truncate(usize::try_from(MOST / 2).unwrap_or(usize::MAX));
            categories
        }
        Err(error) => return unavailable(&error),
    };
    // The home and the categories first; products fill the rest of the sitemap.
    let room = MOST - 1 - i64::try_from(categories.len()).unwrap_or(MOST / 2);
    let products = match commerce::catalog::shop::on_sale_since(state.db.read(), &visitor, room).await {
        Ok(products) => products,
        Err(error) => return unavailable(&error),
    };
    let base = format!("{}/store/{slug}", state.site.public_url);
    let mut xml = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    xml.push_str(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#);
    let base = escape(&base);
    let _ = write!(xml, "<url><loc>{base}</loc></url>");
    for category in &categories {
        let _ = write!(xml, "<url><loc>{base}/c/{}</loc></url>", category.id.0);
    }
    for (id, changed) in products {
        let _ = write!(xml, "<url><loc>{base}/p/{id}</loc><lastmod>{}</lastmod></url>", changed.format("%Y-%m-%d"));
    }
    xml.push_str("</urlset>");
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], xml).into_response()
}

/// Text made safe inside XML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
