//! Writing, reading, answering and hiding reviews. Each change is one transaction with its line
//! in the audit trail.

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::{LONGEST_BODY, LONGEST_TITLE, LONGEST_WHY, Rating, Review, ReviewFilter, ReviewInput, Reviews, ToReview};
use crate::base::page::Page;
use crate::base::{Actor, Clash, Permission, TenantId, VendorId};
use crate::catalog::ProductId;
use crate::db::tenant_tx;
use crate::{Error, audit};

/// The statuses in which goods have reached the shopper.
const RECEIVED: [&str; 2] = ["delivered", "completed"];

/// A text a person typed, checked: trimmed, no NUL, at most `most` characters (and some, when
/// `needed`).
fn text(field: &str, value: &str, most: usize, needed: Option<&str>) -> Result<String, Error> {
    let value = value.trim();
    Error::refuse_nul(field, value)?;
    if let Some(say) = needed.filter(|_| value.is_empty()) {
        return Err(Error::invalid(field, say));
    }
    if value.chars().count() > most {
        return Err(Error::invalid(field, format!("at most {most} characters")));
    }
    Ok(value.to_owned())
}

/// An id typed in a form, or none when empty.
fn typed_id(field: &str, value: &str) -> Result<Option<Uuid>, Error> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    Uuid::parse_str(value).map(Some).map_err(|_| Error::invalid(field, "choose something from your order"))
}

/// A review's stars as typed: a whole number from 1 to 5.
fn rating(typed: &str) -> Result<i16, Error> {
    match typed.trim().parse::<i16>() {
        Ok(stars @ 1..=5) => Ok(stars),
        _ => Err(Error::invalid("rating", "choose from 1 to 5 stars")),
    }
}

/// The order whose page `key` opens, for the shopper holding it: its id and contact name.
async fn order_of_key(tx: &mut sqlx::PgConnection, tenant: TenantId, key: Uuid) -> Result<(Uuid, String), Error> {
    let row = sqlx::query!("SELECT id, contact_name FROM orders WHERE tenant_id = $1 AND view_key = $2", tenant.0, key)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("order"))?;
    Ok((row.id, row.contact_name))
}

/// What the order whose page `key` opens lets its shopper review: each product bought, then
/// each seller of a part, with whether it reached them and what they wrote of it.
pub async fn to_review(db: &sqlx::PgPool, actor: &Actor, key: Uuid) -> Result<Vec<ToReview>, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let (order, _) = order_of_key(&mut tx, tenant, key).await?;
    let found = reviewable(&mut tx, tenant, order).await?;
    let mine = read(&mut tx, tenant, Which::Order(order), None, 200).await?;
    tx.commit().await?;
    Ok(found
        .into_iter()
        .map(|(product, vendor, name, ready)| {
            let mine = mine.iter().find(|r| r.product == product && (product.is_some() || r.vendor == vendor)).cloned();
            ToReview { product, vendor, name, ready, mine }
        })
        .collect())
}

/// The step that lists what an order's shopper may review: (product, its seller, name,
/// received) for each product bought, then (none, seller, name, received) for each seller of
/// a part. An order called off has nothing received.
async fn reviewable(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    order: Uuid,
) -> Result<Vec<(Option<ProductId>, Option<VendorId>, String, bool)>, Error> {
    let rows = sqlx::query!(
        r#"SELECT l.product_id AS "product?", p.vendor_id AS "vendor?", min(l.name) AS "name!",
                  bool_and(coalesce(p.status, o.status) = ANY ($3)) AS "ready!", min(l.position) AS "first!"
             FROM order_lines l
             JOIN orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
             LEFT JOIN order_parts p ON p.tenant_id = l.tenant_id AND p.id = l.part_id
            WHERE l.tenant_id = $1 AND l.order_id = $2
            GROUP BY l.product_id, p.vendor_id
           UNION ALL
           SELECT NULL, p.vendor_id, v.name, p.status = ANY ($3), 1000000 + p.position
             FROM order_parts p
             JOIN vendors v ON v.tenant_id = p.tenant_id AND v.id = p.vendor_id
            WHERE p.tenant_id = $1 AND p.order_id = $2
            ORDER BY 5"#,
        tenant.0,
        order,
        &RECEIVED.map(str::to_owned)
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows.into_iter().map(|r| (r.product.map(ProductId), r.vendor.map(VendorId), r.name, r.ready)).collect())
}

/// The shopper holding the order's page `key` reviews a product they received from it, or the
/// seller who sent it; writing again changes their review. Answers the review's id.
pub async fn write(db: &sqlx::PgPool, actor: &Actor, key: Uuid, input: &ReviewInput) -> Result<Uuid, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    let product = typed_id("product", &input.product)?;
    let seller = typed_id("seller", &input.seller)?;
    let stars = rating(&input.rating);
    let title = text("title", &input.title, LONGEST_TITLE, None);
    let body = text("body", &input.body, LONGEST_BODY, None);
    let problems = [stars.as_ref().err(), title.as_ref().err(), body.as_ref().err()];
    Error::invalid_all(problems.into_iter().flatten().flat_map(Error::owned_problems).collect())?;
    let (stars, title, body) = (stars?, title?, body?);
    if product.is_none() && seller.is_none() {
        return Err(Error::invalid("product", "choose what you are reviewing"));
    }

    let mut tx = tenant_tx(db, tenant).await?;
    let (order, contact) = order_of_key(&mut tx, tenant, key).await?;
    let found = reviewable(&mut tx, tenant, order).await?;
    let (_, vendor, name, ready) = found
        .into_iter()
        .find(|(p, v, _, _)| match product {
            Some(product) => p.map(|p| p.0) == Some(product),
            None => p.is_none() && v.map(|v| v.0) == seller,
        })
        .ok_or_else(|| match product {
            Some(_) => Error::invalid("product", "you can review only what you bought in this order"),
            None => Error::invalid("seller", "you can review only the sellers of this order"),
        })?;
    if !ready {
        return Err(Error::conflict(Clash::WrongState, format!("{name} can be reviewed once it has reached you")));
    }
    let author = super::shown_name(&contact);
    let vendor = vendor.map(|v| v.0);
    // One review of each product (or seller) an order: the table's unique key holds it, so a
    // second write changes the first.
    let id = sqlx::query_scalar!(
        "INSERT INTO reviews (tenant_id, id, order_id, product_id, vendor_id, rating, title, body, author)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (tenant_id, order_id, product_id, vendor_id)
         DO UPDATE SET rating = EXCLUDED.rating, title = EXCLUDED.title, body = EXCLUDED.body, updated_at = now()
         RETURNING id",
        tenant.0,
        Uuid::now_v7(),
        order,
        product,
        vendor,
        stars,
        title,
        body,
        author
    )
    .fetch_one(&mut *tx)
    .await?;
    let after =
        json!({ "order": order, "product": product, "vendor": vendor, "rating": stars, "title": title, "body": body });
    note(&mut tx, tenant, actor, id, "review.write", after).await?;
    tx.commit().await?;
    Ok(id)
}

/// A product's shown reviews on the store: its rating and a page of them, newest first.
pub async fn of_product(
    db: &sqlx::PgPool,
    actor: &Actor,
    product: ProductId,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Reviews, Error> {
    shown(db, actor, Which::Product(product.0), after, limit).await
}

/// A seller's shown reviews on the store: its rating and a page of them, newest first.
pub async fn of_seller(
    db: &sqlx::PgPool,
    actor: &Actor,
    vendor: VendorId,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Reviews, Error> {
    shown(db, actor, Which::Seller(vendor.0), after, limit).await
}

/// A seller's rating on the store (its page's head).
pub async fn seller_rating(db: &sqlx::PgPool, actor: &Actor, vendor: VendorId) -> Result<Rating, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let rating = rating_of(&mut tx, tenant, Which::Seller(vendor.0)).await?;
    tx.commit().await?;
    Ok(rating)
}

/// The signed-in vendor's own rating (its portal's home).
pub async fn own_rating(db: &sqlx::PgPool, actor: &Actor) -> Result<Rating, Error> {
    let (tenant, vendor) = crate::marketplace::vendor::own_vendor(actor)?;
    let mut tx = tenant_tx(db, tenant).await?;
    let rating = rating_of(&mut tx, tenant, Which::Seller(vendor.0)).await?;
    tx.commit().await?;
    Ok(rating)
}

async fn shown(
    db: &sqlx::PgPool,
    actor: &Actor,
    which: Which,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Reviews, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    let limit = limit.clamp(1, 100);
    let mut tx = tenant_tx(db, tenant).await?;
    let rating = rating_of(&mut tx, tenant, which).await?;
    let rows = read(&mut tx, tenant, which, after, limit + 1).await?;
    tx.commit().await?;
    let page = Page::from_extra(rows, limit, |r| (r.created_at, r.id)).map(|mut r| {
        // What the staff alone read.
        r.order_number.clear();
        r.reported_why.clear();
        r.reported_at = None;
        r
    });
    Ok(Reviews { rating, page })
}

/// Whose reviews a read is of.
#[derive(Clone, Copy, Debug)]
enum Which {
    /// A product's shown ones.
    Product(Uuid),
    /// A seller's shown ones (of the seller, not of its products).
    Seller(Uuid),
    /// Those written from an order.
    Order(Uuid),
    /// The staff's list: a vendor's (all of its goods and of itself), or every one.
    Staff { vendor: Option<Uuid>, filter: ReviewFilter },
}

/// The step that reads the rating of a product's or a seller's shown reviews.
async fn rating_of(tx: &mut sqlx::PgConnection, tenant: TenantId, which: Which) -> Result<Rating, Error> {
    let (product, vendor) = match which {
        Which::Product(id) => (Some(id), None),
        Which::Seller(id) => (None, Some(id)),
        Which::Order(_) | Which::Staff { .. } => return Err(Error::Internal),
    };
    let r = sqlx::query!(
        r#"SELECT round(avg(rating), 1) AS average, count(*) AS "count!",
                  count(*) FILTER (WHERE rating = 1) AS "one!", count(*) FILTER (WHERE rating = 2) AS "two!",
                  count(*) FILTER (WHERE rating = 3) AS "three!", count(*) FILTER (WHERE rating = 4) AS "four!",
                  count(*) FILTER (WHERE rating = 5) AS "five!"
             FROM reviews
            WHERE tenant_id = $1 AND hidden_at IS NULL
              AND (($2::uuid IS NOT NULL AND product_id = $2)
                   OR ($3::uuid IS NOT NULL AND product_id IS NULL AND vendor_id = $3))"#,
        tenant.0,
        product,
        vendor
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(Rating { average: r.average, count: r.count, stars: [r.one, r.two, r.three, r.four, r.five] })
}

/// The step that reads reviews, newest first (`limit` of them, after the key).
async fn read(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    which: Which,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Review>, Error> {
    let (mut product, mut seller, mut order, mut vendor, mut filter, mut shown) = (None, None, None, None, "", true);
    match which {
        Which::Product(id) => product = Some(id),
        Which::Seller(id) => seller = Some(id),
        Which::Order(id) => (order, shown) = (Some(id), false),
        Which::Staff { vendor: v, filter: f } => (vendor, filter, shown) = (v, f.code(), false),
    }
    let (after_at, after_id) = after.unzip();
    let rows = sqlx::query!(
        r#"SELECT r.id, r.product_id, r.vendor_id, r.rating, r.title, r.body, r.author, r.reply, r.replied_at,
                  r.created_at, r.updated_at, r.reported_why, r.reported_at, r.hidden_why, r.hidden_at,
                  coalesce(pr.name, v.name, '') AS "subject!", coalesce(v.name, t.name) AS "seller!",
                  o.prefix, o.number
             FROM reviews r
             JOIN orders o ON o.tenant_id = r.tenant_id AND o.id = r.order_id
             JOIN tenants t ON t.id = r.tenant_id
             LEFT JOIN products pr ON pr.tenant_id = r.tenant_id AND pr.id = r.product_id
             LEFT JOIN vendors v ON v.tenant_id = r.tenant_id AND v.id = r.vendor_id
            WHERE r.tenant_id = $1
              AND (NOT $2 OR r.hidden_at IS NULL)
              AND ($3::uuid IS NULL OR r.product_id = $3)
              AND ($4::uuid IS NULL OR (r.product_id IS NULL AND r.vendor_id = $4))
              AND ($5::uuid IS NULL OR r.order_id = $5)
              AND ($6::uuid IS NULL OR r.vendor_id = $6)
              AND CASE $7
                      WHEN 'reported' THEN r.reported_at IS NOT NULL AND r.hidden_at IS NULL
                      WHEN 'hidden' THEN r.hidden_at IS NOT NULL
                      WHEN 'unanswered' THEN r.reply = '' AND r.hidden_at IS NULL
                      ELSE true
                  END
              AND ($8::timestamptz IS NULL OR (r.created_at, r.id) < ($8, $9))
            ORDER BY r.created_at DESC, r.id DESC
            LIMIT $10"#,
        tenant.0,
        shown,
        product,
        seller,
        order,
        vendor,
        filter,
        after_at,
        after_id,
        limit
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Review {
            id: r.id,
            product: r.product_id.map(ProductId),
            subject: r.subject,
            vendor: r.vendor_id.map(VendorId),
            seller: r.seller,
            rating: u8::try_from(r.rating).unwrap_or(0),
            title: r.title,
            body: r.body,
            author: r.author,
            reply: r.reply,
            replied_at: r.replied_at,
            edited: r.updated_at > r.created_at + chrono::Duration::seconds(1),
            created_at: r.created_at,
            order_number: format!("{}{}", r.prefix, r.number),
            reported_why: r.reported_why,
            reported_at: r.reported_at,
            hidden_why: r.hidden_why,
            hidden_at: r.hidden_at,
        })
        .collect())
}

/// Who works reviews, before the request's transaction: a vendor's staff for their vendor, or
/// the business's staff who see (`manage`: change) its catalog, across every shop.
fn staff(actor: &Actor, manage: bool) -> Result<(TenantId, Option<VendorId>), Error> {
    if actor.vendor().is_some() {
        let (tenant, vendor) = crate::marketplace::vendor::own_vendor(actor)?;
        return Ok((tenant, Some(vendor)));
    }
    let scope = actor.require(if manage { Permission::ManageCatalog } else { Permission::ViewCatalog })?;
    scope.whole_business("work reviews")?;
    Ok((scope.tenant, None))
}

/// A page of reviews for the staff, newest first: a vendor's staff see those of its goods and
/// of itself, the business's every one; hidden ones too, marked.
pub async fn list(
    db: &sqlx::PgPool,
    actor: &Actor,
    filter: ReviewFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Page<Review>, Error> {
    let (tenant, vendor) = staff(actor, false)?;
    let limit = limit.clamp(1, 200);
    let mut tx = tenant_tx(db, tenant).await?;
    let rows = read(&mut tx, tenant, Which::Staff { vendor: vendor.map(|v| v.0), filter }, after, limit + 1).await?;
    tx.commit().await?;
    Ok(Page::from_extra(rows, limit, |r| (r.created_at, r.id)))
}

/// A review as locked for a change by the staff who may reach it: its seller (none: the
/// business's own goods). Another vendor's reads as not found.
async fn lock(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    vendor: Option<VendorId>,
    review: Uuid,
) -> Result<serde_json::Value, Error> {
    let r = sqlx::query!(
        "SELECT vendor_id, reply, reported_why, hidden_why FROM reviews WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
        tenant.0,
        review
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("review"))?;
    if vendor.is_some_and(|mine| r.vendor_id != Some(mine.0)) {
        return Err(Error::not_found("review"));
    }
    Ok(json!({ "vendor": r.vendor_id, "reply": r.reply, "reported_why": r.reported_why, "hidden_why": r.hidden_why }))
}

/// The seller answers a review in public (the business, for its own goods); an empty answer
/// takes it back.
pub async fn reply(db: &sqlx::PgPool, actor: &Actor, review: Uuid, words: &str) -> Result<(), Error> {
    let (tenant, vendor) = staff(actor, true)?;
    let words = text("reply", words, LONGEST_BODY, None)?;
    let mut tx = tenant_tx(db, tenant).await?;
    let before = lock(&mut tx, tenant, vendor, review).await?;
    if vendor.is_none() && !before["vendor"].is_null() {
        return Err(Error::conflict(Clash::WrongState, "the seller answers the reviews of its goods"));
    }
    let by = if words.is_empty() { String::new() } else { crate::marketplace::vendor::who(actor) };
    sqlx::query!(
        "UPDATE reviews SET reply = $3, replied_by = $4, replied_at = CASE WHEN $3 = '' THEN NULL ELSE now() END
          WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        review,
        words,
        by
    )
    .execute(&mut *tx)
    .await?;
    note(&mut tx, tenant, actor, review, "review.reply", json!({ "reply": words })).await?;
    tx.commit().await?;
    Ok(())
}

/// A seller reports a review of its as abusive, saying why, for the business to look at.
pub async fn report(db: &sqlx::PgPool, actor: &Actor, review: Uuid, why: &str) -> Result<(), Error> {
    let (tenant, vendor) = staff(actor, true)?;
    let Some(vendor) = vendor else {
        return Err(Error::conflict(Clash::WrongState, "the business hides a review; a seller reports one"));
    };
    let why = text("why", why, LONGEST_WHY, Some("say what is wrong with it"))?;
    let mut tx = tenant_tx(db, tenant).await?;
    lock(&mut tx, tenant, Some(vendor), review).await?;
    sqlx::query!(
        "UPDATE reviews SET reported_why = $3, reported_at = now() WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        review,
        why
    )
    .execute(&mut *tx)
    .await?;
    note(&mut tx, tenant, actor, review, "review.report", json!({ "why": why })).await?;
    tx.commit().await?;
    Ok(())
}

/// The business hides a review (saying why: the shopper and the seller read it), or shows it
/// again (`why` none). A hidden review leaves the store and its rating.
pub async fn hide(db: &sqlx::PgPool, actor: &Actor, review: Uuid, why: Option<&str>) -> Result<(), Error> {
    let scope = actor.require(Permission::ManageCatalog)?;
    scope.operator_only("hide reviews")?;
    scope.whole_business("hide reviews")?;
    let tenant = scope.tenant;
    let why = why.map(|w| text("why", w, LONGEST_WHY, Some("say why it is hidden"))).transpose()?;
    let mut tx = tenant_tx(db, tenant).await?;
    let before = lock(&mut tx, tenant, None, review).await?;
    let who = crate::marketplace::vendor::who(actor);
    sqlx::query!(
        "UPDATE reviews
            SET hidden_why = coalesce($3, ''), hidden_by = CASE WHEN $3 IS NULL THEN '' ELSE $4 END,
                hidden_at = CASE WHEN $3 IS NULL THEN NULL ELSE now() END
          WHERE tenant_id = $1 AND id = $2",
        tenant.0,
        review,
        why,
        who
    )
    .execute(&mut *tx)
    .await?;
    let action = if why.is_some() { "review.hide" } else { "review.show" };
    audit::record(
        &mut tx,
        tenant,
        actor,
        audit::Change {
            entity: "review",
            entity_id: review.to_string(),
            action,
            before: Some(before),
            after: Some(json!({ "hidden_why": why })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The step that writes a change of a review in the audit trail.
async fn note(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    actor: &Actor,
    review: Uuid,
    action: &str,
    after: serde_json::Value,
) -> Result<(), Error> {
    audit::record(
        tx,
        tenant,
        actor,
        audit::Change { entity: "review", entity_id: review.to_string(), action, before: None, after: Some(after) },
    )
    .await
}
