//! Reviews: the store's pages read a product's and a seller's; the shopper writes from their
//! order's page; the seller answers and reports in its portal; the business answers for its own
//! goods and hides what is abusive. Each calls one domain function.

use commerce::base::page::Page;
use commerce::reviews::{Review, Reviews};
use leptos::prelude::*;
use uuid::Uuid;

use crate::AppError;

/// How many reviews the store shows a page.
#[cfg(feature = "ssr")]
const SHOWN: i64 = 10;

/// A product's reviews on the store, a page at a time from `after`.
#[server(prefix = "/rpc", endpoint = "load_product_reviews")]
pub async fn load_product_reviews(slug: String, id: String, after: Option<String>) -> Result<Reviews, AppError> {
    let (db, buyer) = super::buying::buyer(&slug, false).await?;
    let id = Uuid::parse_str(&id).map_err(|_| commerce::Error::not_found("product"))?;
    let product = commerce::catalog::ProductId(id);
    Ok(commerce::reviews::of_product(db.read(), &buyer, product, super::after(after.as_deref()), SHOWN).await?)
}

/// A seller's reviews on the store (the seller its page's address names), a page at a time
/// from `after`.
#[server(prefix = "/rpc", endpoint = "load_seller_reviews")]
pub async fn load_seller_reviews(slug: String, seller: String, after: Option<String>) -> Result<Reviews, AppError> {
    let (db, buyer) = super::buying::buyer(&slug, false).await?;
    let vendor = commerce::marketplace::vendor::seller(db.read(), &buyer, &seller).await?.id;
    Ok(commerce::reviews::of_seller(db.read(), &buyer, vendor, super::after(after.as_deref()), SHOWN).await?)
}

/// The shopper of the order whose page `key` opens reviews a product from it, or its seller;
/// then the order's page again, at its reviews.
#[server(prefix = "/rpc", endpoint = "write_review")]
pub async fn write_review(
    slug: String,
    key: String,
    #[server(default)] product: String,
    #[server(default)] seller: String,
    #[server(default)] rating: String,
    #[server(default)] title: String,
    #[server(default)] body: String,
) -> Result<(), AppError> {
    let (db, buyer) = super::buying::buyer(&slug, true).await?;
    let key = Uuid::parse_str(key.trim()).map_err(|_| commerce::Error::not_found("order"))?;
    let input = commerce::reviews::ReviewInput { product, seller, rating, title, body };
    let id = commerce::reviews::write(db.primary(), &buyer, key, &input).await?;
    // The address changes with each review written, so the page reads its reviews again.
    leptos_axum::redirect(&format!("/store/{slug}/order/{key}?reviewed={}#reviews", id.simple()));
    Ok(())
}

/// A page of reviews for the staff: the signed-in vendor's, or (the business's staff) every one,
/// narrowed by `filter` (see `ReviewFilter`).
#[server(prefix = "/rpc", endpoint = "load_reviews")]
pub async fn load_reviews(filter: String, after: Option<String>) -> Result<Page<Review>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let filter = commerce::reviews::ReviewFilter::from_code(&filter);
    Ok(commerce::reviews::list(db.read(), &actor, filter, super::after(after.as_deref()), 50).await?)
}

/// The seller (or the business, for its own goods) answers a review in public; empty takes the
/// answer back.
#[server(prefix = "/rpc", endpoint = "reply_review")]
pub async fn reply_review(id: Uuid, #[server(default)] reply: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::reviews::reply(db.primary(), &actor, id, &reply).await?)
}

/// The seller reports a review as abusive, saying why.
#[server(prefix = "/rpc", endpoint = "report_review")]
pub async fn report_review(id: Uuid, #[server(default)] why: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::reviews::report(db.primary(), &actor, id, &why).await?)
}

/// The business hides a review, saying why (`show`: shows it again).
#[server(prefix = "/rpc", endpoint = "hide_review")]
pub async fn hide_review(
    id: Uuid,
    #[server(default)] why: String,
    #[server(default)] show: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let why = (show.is_empty()).then_some(why.as_str());
    Ok(commerce::reviews::hide(db.primary(), &actor, id, why).await?)
}
