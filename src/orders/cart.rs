//! A shopper's cart: the variants they mean to buy and how many. A visitor's cart is their
//! visit's (the browser's cart cookie); a signed-in shopper's is their account's, and a
//! visitor's cart joins it when they sign in. Quantities are checked against what can be had
//! when they are added and every time the cart is shown; stock is held only at checkout. A
//! line is held at one location, so what a line can have is what the best-stocked location
//! has free, not the sum of all of them.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Cart, CartLine, pricing::MOST_UNITS};
use crate::base::{Actor, Permission, TenantId};
use crate::catalog::{ProductId, VariantId, image_urls, item_name};
use crate::db::{in_tenant_tx, tenant_tx};
use crate::{Error, Money};

/// The most lines a cart may carry.
pub const MOST_LINES: i64 = 100;

/// The cart of whoever is shopping.
pub async fn get(db: &sqlx::PgPool, actor: &Actor) -> Result<Cart, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    let mut tx = tenant_tx(db, tenant).await?;
    let cart = match find(&mut tx, tenant, actor).await? {
        Some(id) => lines(&mut tx, tenant, id).await?,
        None => empty(&mut tx, tenant).await?,
    };
    tx.commit().await?;
    Ok(cart)
}

/// Adds `quantity` units of a variant on sale to the cart (to those already there); refused
/// when that is more than can be had.
pub async fn add(db: &sqlx::PgPool, actor: &Actor, variant: VariantId, quantity: i32) -> Result<Cart, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    check_quantity(quantity, 1)?;
    in_tenant_tx(db, tenant, async |tx| {
        let cart = find_or_make(tx, tenant, actor).await?;
        let already = sqlx::query_scalar!(
            "SELECT quantity FROM cart_lines WHERE tenant_id = $1 AND cart_id = $2 AND variant_id = $3",
            tenant.0,
            cart,
            variant.0
        )
        .fetch_optional(&mut *tx)
        .await?
        .unwrap_or(0);
        put(tx, tenant, cart, variant, already.saturating_add(quantity)).await?;
        lines(tx, tenant, cart).await
    })
    .await
}

/// Sets how many units of a variant the cart holds; 0 takes the line out.
pub async fn set(db: &sqlx::PgPool, actor: &Actor, variant: VariantId, quantity: i32) -> Result<Cart, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    check_quantity(quantity, 0)?;
    in_tenant_tx(db, tenant, async |tx| {
        let cart = find_or_make(tx, tenant, actor).await?;
        if quantity == 0 {
            sqlx::query!(
                "DELETE FROM cart_lines WHERE tenant_id = $1 AND cart_id = $2 AND variant_id = $3",
                tenant.0,
                cart,
                variant.0
            )
            .execute(&mut *tx)
            .await?;
        } else {
            put(tx, tenant, cart, variant, quantity).await?;
        }
        lines(tx, tenant, cart).await
    })
    .await
}

/// What buying an earlier order again put in the cart.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoughtAgain {
    /// Lines put in the cart in full.
    pub added: usize,
    /// Each line that could not be, and why.
    pub short: Vec<String>,
}

/// Puts the items of an earlier order (the one whose page key is `view_key`: the shopper's own,
/// or a guest's who has its page) in the actor's cart again, on top of what is there, at today's
/// prices: each line in full, or as many units as can be had now, or none when it is no longer
/// sold; each line short of the order is named with why. All in one transaction.
pub async fn buy_again(db: &sqlx::PgPool, actor: &Actor, view_key: Uuid) -> Result<BoughtAgain, Error> {
    let tenant = actor.require(Permission::Buy)?.tenant;
    in_tenant_tx(db, tenant, async |tx| {
        let lines = sqlx::query!(
            r#"SELECT l.variant_id, l.name, l.quantity,
                      coalesce(p.on_sale, false) AS "on_sale!",
                      coalesce((SELECT max(s.on_hand - s.reserved) FROM stock_levels s
                                 WHERE s.tenant_id = l.tenant_id AND s.variant_id = l.variant_id), 0)::bigint AS "available!"
                 FROM orders o
                 JOIN order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
                 LEFT JOIN variants v ON v.tenant_id = l.tenant_id AND v.id = l.variant_id
                 LEFT JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
                WHERE o.tenant_id = $1 AND o.view_key = $2
                ORDER BY l.position"#,
            tenant.0,
            view_key
        )
        .fetch_all(&mut *tx)
        .await?;
        if lines.is_empty() {
            return Err(Error::not_found("order"));
        }
        let cart = find_or_make(tx, tenant, actor).await?;
        let mut done = BoughtAgain::default();
        for line in lines {
            if !line.on_sale {
                done.short.push(format!("{} is no longer sold", line.name));
                continue;
            }
            let already = sqlx::query_scalar!(
                "SELECT quantity FROM cart_lines WHERE tenant_id = $1 AND cart_id = $2 AND variant_id = $3",
                tenant.0,
                cart,
                line.variant_id
            )
            .fetch_optional(&mut *tx)
            .await?
            .unwrap_or(0);
            let wanted = already.saturating_add(line.quantity);
            let can = i32::try_from(line.available.clamp(0, i64::from(wanted))).unwrap_or(wanted);
            if can <= already {
                done.short.push(format!("{} is sold out", line.name));
                continue;
            }
            // A line the cart cannot take (it is full, or the line would pass the most a line
            // holds) is named with why, as is one taken off sale meanwhile; the others still go in.
            match put(tx, tenant, cart, VariantId(line.variant_id), can).await {
                Ok(()) => {}
                Err(Error::Invalid { message, .. }) => {
                    done.short.push(format!("{}: {message}", line.name));
                    continue;
                }
                Err(Error::NotFound(_)) => {
                    done.short.push(format!("{} is no longer sold", line.name));
                    continue;
                }
                Err(other) => return Err(other),
            }
            if can < wanted {
                done.short.push(format!("{}: only {} of {} could be added", line.name, can - already, line.quantity));
            } else {
                done.added += 1;
            }
        }
        Ok(done)
    })
    .await
}

/// Moves a visit's cart into the signed-in shopper's (quantities of the same variant added
/// together), when they sign in. The visit's cart is gone afterwards.
pub async fn merge(db: &sqlx::PgPool, shopper: &Actor, visit: Uuid) -> Result<(), Error> {
    let tenant = shopper.require(Permission::Buy)?.tenant;
    let Actor::Shopper { .. } = shopper else { return Ok(()) };
    in_tenant_tx(db, tenant, async |tx| {
        let guest = sqlx::query_scalar!(
            "SELECT id FROM carts WHERE tenant_id = $1 AND id = $2 AND shopper_id IS NULL FOR UPDATE",
            tenant.0,
            visit
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(guest) = guest else { return Ok(()) };
        let cart = find_or_make(tx, tenant, shopper).await?;
        sqlx::query!(
            "INSERT INTO cart_lines (tenant_id, cart_id, variant_id, quantity, added_at)
             SELECT tenant_id, $3, variant_id, quantity, added_at FROM cart_lines
              WHERE tenant_id = $1 AND cart_id = $2
             ON CONFLICT (tenant_id, cart_id, variant_id)
             DO UPDATE SET quantity = least(cart_lines.quantity + excluded.quantity, $4)",
            tenant.0,
            guest,
            cart,
            MOST_UNITS
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!("DELETE FROM carts WHERE tenant_id = $1 AND id = $2", tenant.0, guest).execute(&mut *tx).await?;
        Ok(())
    })
    .await
}

/// The step that finds the actor's cart in the caller's transaction and locks it (so two
/// checkouts of one cart go one after the other): none when they have none yet.
pub async fn lock(tx: &mut sqlx::PgConnection, tenant: TenantId, actor: &Actor) -> Result<Option<Uuid>, Error> {
    let id = find(tx, tenant, actor).await?;
    if let Some(id) = id {
        sqlx::query!("SELECT id FROM carts WHERE tenant_id = $1 AND id = $2 FOR UPDATE", tenant.0, id)
            .fetch_one(&mut *tx)
            .await?;
    }
    Ok(id)
}

/// The step that reads a cart's lines, priced and checked against what can be had now.
pub async fn lines(tx: &mut sqlx::PgConnection, tenant: TenantId, cart: Uuid) -> Result<Cart, Error> {
    let rows = sqlx::query!(
        r#"SELECT l.variant_id, v.product_id, p.name, v.option_values, v.sku, v.price, l.quantity,
                  p.on_sale AS "on_sale!",
                  coalesce((SELECT max(s.on_hand - s.reserved) FROM stock_levels s
                             WHERE s.tenant_id = l.tenant_id AND s.variant_id = l.variant_id), 0)::bigint AS "available!",
                  (SELECT i.file_key FROM product_images i WHERE i.tenant_id = p.tenant_id AND i.product_id = p.id
                    ORDER BY i.position, i.id LIMIT 1) AS file_key
             FROM cart_lines l
             JOIN variants v ON v.tenant_id = l.tenant_id AND v.id = l.variant_id
             JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
            WHERE l.tenant_id = $1 AND l.cart_id = $2
            ORDER BY l.added_at, l.variant_id"#,
        tenant.0,
        cart
    )
    .fetch_all(&mut *tx)
    .await?;
    let currency = crate::identity::currency_in(&mut *tx, tenant).await?;
    let lines: Vec<CartLine> = rows
        .into_iter()
        .map(|r| {
            let problem = problem(r.on_sale, r.available, r.quantity);
            CartLine {
                variant: VariantId(r.variant_id),
                product: ProductId(r.product_id),
                name: item_name(&r.name, &r.option_values),
                sku: r.sku,
                unit_price: Money::new(r.price, currency),
                quantity: r.quantity,
                available: r.available.max(0),
                thumbnail_url: r.file_key.map(|k| image_urls(&k).1),
                problem,
            }
        })
        .collect();
    let subtotal = lines.iter().map(|l| l.amount().amount).sum::<Decimal>();
    Ok(Cart { lines, subtotal: Money::new(subtotal, currency) })
}

/// The step that empties a cart once its order is placed.
pub async fn empty_out(tx: &mut sqlx::PgConnection, tenant: TenantId, cart: Uuid) -> Result<(), Error> {
    sqlx::query!("DELETE FROM cart_lines WHERE tenant_id = $1 AND cart_id = $2", tenant.0, cart)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Why a line cannot be bought as it is.
fn problem(on_sale: bool, available: i64, quantity: i32) -> Option<String> {
    if !on_sale {
        Some("No longer sold; remove it to check out.".to_owned())
    } else if available <= 0 {
        Some("Sold out; remove it to check out.".to_owned())
    } else if available < i64::from(quantity) {
        Some(format!("Only {available} left; lower the quantity to check out."))
    } else {
        None
    }
}

/// A cart with nothing in it, in the business's currency.
async fn empty(tx: &mut sqlx::PgConnection, tenant: TenantId) -> Result<Cart, Error> {
    let currency = crate::identity::currency_in(&mut *tx, tenant).await?;
    Ok(Cart { lines: Vec::new(), subtotal: Money::new(Decimal::ZERO, currency) })
}

/// A quantity from `least` to the most one line may carry.
fn check_quantity(quantity: i32, least: i32) -> Result<(), Error> {
    if !(least..=MOST_UNITS).contains(&quantity) {
        return Err(Error::invalid("quantity", format!("enter a whole number from {least} to {MOST_UNITS}")));
    }
    Ok(())
}

/// Puts `quantity` units of `variant` in the cart, if that many of a product on sale can be had.
async fn put(
    tx: &mut sqlx::PgConnection,
    tenant: TenantId,
    cart: Uuid,
    variant: VariantId,
    quantity: i32,
) -> Result<(), Error> {
    check_quantity(quantity, 1)?;
    let item = sqlx::query!(
        r#"SELECT p.name, v.option_values, p.on_sale AS "on_sale!",
                  coalesce((SELECT max(s.on_hand - s.reserved) FROM stock_levels s
                             WHERE s.tenant_id = v.tenant_id AND s.variant_id = v.id), 0)::bigint AS "available!"
             FROM variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
            WHERE v.tenant_id = $1 AND v.id = $2"#,
        tenant.0,
        variant.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .filter(|item| item.on_sale)
    .ok_or_else(|| Error::not_found("product"))?;
    let name = item_name(&item.name, &item.option_values);
    if item.available <= 0 {
        return Err(Error::invalid("quantity", format!("{name} is sold out")));
    }
    if item.available < i64::from(quantity) {
        return Err(Error::invalid("quantity", format!("only {} of {name} can be had", item.available)));
    }
    let lines = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM cart_lines WHERE tenant_id = $1 AND cart_id = $2 AND variant_id <> $3"#,
        tenant.0,
        cart,
        variant.0
    )
    .fetch_one(&mut *tx)
    .await?;
    if lines >= MOST_LINES {
        return Err(Error::invalid("variant", format!("a cart holds at most {MOST_LINES} different items")));
    }
    sqlx::query!(
        "INSERT INTO cart_lines (tenant_id, cart_id, variant_id, quantity) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, cart_id, variant_id) DO UPDATE SET quantity = excluded.quantity",
        tenant.0,
        cart,
        variant.0,
        quantity
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("UPDATE carts SET updated_at = now() WHERE tenant_id = $1 AND id = $2", tenant.0, cart)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The actor's cart, if they have one.
async fn find(tx: &mut sqlx::PgConnection, tenant: TenantId, actor: &Actor) -> Result<Option<Uuid>, Error> {
    let id = match actor {
        Actor::Visitor { visit, .. } => {
            sqlx::query_scalar!(
                "SELECT id FROM carts WHERE tenant_id = $1 AND id = $2 AND shopper_id IS NULL",
                tenant.0,
                visit
            )
            .fetch_optional(&mut *tx)
            .await?
        }
        Actor::Shopper { shopper, .. } => {
            sqlx::query_scalar!("SELECT id FROM carts WHERE tenant_id = $1 AND shopper_id = $2", tenant.0, shopper)
                .fetch_optional(&mut *tx)
                .await?
        }
        _ => None,
    };
    Ok(id)
}

/// The actor's cart, made if they have none.
async fn find_or_make(tx: &mut sqlx::PgConnection, tenant: TenantId, actor: &Actor) -> Result<Uuid, Error> {
    if let Some(id) = find(tx, tenant, actor).await? {
        return Ok(id);
    }
    let (id, shopper) = match actor {
        Actor::Visitor { visit, .. } => (*visit, None),
        Actor::Shopper { shopper, .. } => (Uuid::now_v7(), Some(*shopper)),
        _ => return Err(Error::not_found("cart")),
    };
    // Two first additions at once: the second finds the first's cart.
    sqlx::query!(
        "INSERT INTO carts (tenant_id, id, shopper_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        tenant.0,
        id,
        shopper
    )
    .execute(&mut *tx)
    .await?;
    find(tx, tenant, actor).await?.ok_or_else(|| Error::not_found("cart"))
}
