//! Buying on a storefront: a product's page, the cart, checkout, paying, and the order's own
//! page. Whoever has not signed in buys as their visit (the cart cookie); a signed-in shopper of
//! the store as themselves. Each form answers with a redirect, so it works without a script.

use commerce::catalog::ShopProduct;
use commerce::orders::{Cart, CheckoutOptions, GatewayAttempt, Order};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// A product on sale at this store.
#[server(prefix = "/rpc", endpoint = "load_shop_product")]
pub async fn load_shop_product(slug: String, id: String) -> Result<ShopProduct, AppError> {
    let (db, buyer) = buyer(&slug, false).await?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| commerce::Error::not_found("product"))?;
    Ok(commerce::catalog::shop::product(db.read(), &buyer, commerce::catalog::ProductId(id)).await?)
}

/// The cart of whoever is shopping here.
#[server(prefix = "/rpc", endpoint = "load_cart")]
pub async fn load_cart(slug: String) -> Result<Cart, AppError> {
    let (db, buyer) = buyer(&slug, false).await?;
    Ok(commerce::orders::cart::get(db.primary(), &buyer).await?)
}

/// Puts units of a variant in the cart, then shows the cart.
#[server(prefix = "/rpc", endpoint = "add_to_cart")]
pub async fn add_to_cart(slug: String, variant: String, quantity: String) -> Result<(), AppError> {
    let (db, buyer) = buyer(&slug, true).await?;
    let variant = variant_id(&variant)?;
    let quantity = units(&quantity)?;
    commerce::orders::cart::add(db.primary(), &buyer, variant, quantity).await?;
    leptos_axum::redirect(&format!("/store/{slug}/cart"));
    Ok(())
}

/// Sets a cart line's quantity (0 takes it out).
#[server(prefix = "/rpc", endpoint = "set_cart_quantity")]
pub async fn set_cart_quantity(slug: String, variant: String, quantity: String) -> Result<(), AppError> {
    let (db, buyer) = buyer(&slug, true).await?;
    let variant = variant_id(&variant)?;
    let quantity = units(&quantity)?;
    commerce::orders::cart::set(db.primary(), &buyer, variant, quantity).await?;
    leptos_axum::redirect(&format!("/store/{slug}/cart"));
    Ok(())
}

/// Puts an earlier order's items in the cart again (the order whose page key is `key`), then
/// shows the cart, saying how many went in and how many could not in full.
#[server(prefix = "/rpc", endpoint = "buy_again")]
pub async fn buy_again(slug: String, key: String) -> Result<(), AppError> {
    let (db, buyer) = buyer(&slug, true).await?;
    let key = uuid::Uuid::parse_str(key.trim()).map_err(|_| commerce::Error::not_found("order"))?;
    let done = commerce::orders::cart::buy_again(db.primary(), &buyer, key).await?;
    // Counts only: the address must not carry words anyone could put in a link to this page.
    leptos_axum::redirect(&format!("/store/{slug}/cart?again={}&short={}", done.added, done.short.len()));
    Ok(())
}

/// What checkout needs: the cart and what the store offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckoutPage {
    /// The cart being bought.
    pub cart: Cart,
    /// Pickup shops, delivery zones and ways to pay.
    pub options: CheckoutOptions,
    /// The signed-in shopper's saved addresses, the one used last first.
    pub saved: Vec<commerce::orders::address::SavedAddress>,
}

/// The checkout page's data.
#[server(prefix = "/rpc", endpoint = "load_checkout")]
pub async fn load_checkout(slug: String) -> Result<CheckoutPage, AppError> {
    let (db, buyer) = buyer(&slug, false).await?;
    let cart = commerce::orders::cart::get(db.primary(), &buyer).await?;
    let options = commerce::orders::selling::options(db.primary(), &buyer).await?;
    let saved = commerce::orders::address_book::list(db.primary(), &buyer).await?;
    Ok(CheckoutPage { cart, options, saved })
}

/// An order as its shopper sees it, with the account a transfer goes to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShopOrder {
    /// The order.
    pub order: Order,
    /// The business's bank account, when it takes transfers.
    pub bank: Option<commerce::orders::BankAccount>,
    /// The page's own address, whole, to share.
    pub page_url: String,
    /// Its disputes (an order of a marketplace's sellers), newest first.
    pub disputes: Vec<commerce::marketplace::Dispute>,
    /// What its shopper may review of it, and what they wrote.
    pub reviews: Vec<commerce::reviews::ToReview>,
}

/// An order's own page, by the key the shopper was given.
#[server(prefix = "/rpc", endpoint = "load_shop_order")]
pub async fn load_shop_order(slug: String, key: String) -> Result<ShopOrder, AppError> {
    let (db, buyer) = buyer(&slug, false).await?;
    let key = uuid::Uuid::parse_str(&key).map_err(|_| commerce::Error::not_found("order"))?;
    let order = commerce::orders::work::for_shopper(db.primary(), &buyer, key).await?;
    let bank = commerce::orders::selling::options(db.primary(), &buyer).await?.bank;
    let disputes = if order.parts.is_empty() {
        Vec::new()
    } else {
        commerce::marketplace::disputes::of_order(db.primary(), &buyer, key).await?
    };
    let reviews = commerce::reviews::to_review(db.primary(), &buyer, key).await?;
    Ok(ShopOrder { page_url: order_page(&slug, &order), order, bank, disputes, reviews })
}

/// The test gateway's page for an order.
#[server(prefix = "/rpc", endpoint = "load_test_payment")]
pub async fn load_test_payment(slug: String, key: String) -> Result<GatewayAttempt, AppError> {
    let (db, buyer) = buyer(&slug, false).await?;
    let key = uuid::Uuid::parse_str(&key).map_err(|_| commerce::Error::not_found("payment"))?;
    Ok(commerce::orders::payment::test_attempt(db.primary(), &buyer, key).await?)
}

/// The test gateway's answer (`approve` or `decline`), then the order's page.
#[server(prefix = "/rpc", endpoint = "answer_test_payment")]
pub async fn answer_test_payment(slug: String, key: String, answer: String) -> Result<(), AppError> {
    let (db, buyer) = buyer(&slug, false).await?;
    let key = uuid::Uuid::parse_str(&key).map_err(|_| commerce::Error::not_found("payment"))?;
    let approve = match answer.as_str() {
        "approve" => true,
        "decline" => false,
        _ => return Err(commerce::Error::invalid("answer", "approve or decline").into()),
    };
    commerce::orders::payment::answer_test(db.primary(), &buyer, key, approve).await?;
    let page = if approve { "order" } else { "pay" };
    leptos_axum::redirect(&format!("/store/{slug}/{page}/{key}"));
    Ok(())
}

/// The signed-in shopper's orders at this store, newest first, each with the key to its page.
#[server(prefix = "/rpc", endpoint = "load_my_orders")]
pub async fn load_my_orders(slug: String) -> Result<Vec<(commerce::orders::OrderSummary, uuid::Uuid)>, AppError> {
    let (db, buyer) = buyer(&slug, false).await?;
    Ok(commerce::orders::work::mine(db.primary(), &buyer).await?)
}

/// Sends the shopper to Paystack to pay for the order with this key.
#[server(prefix = "/rpc", endpoint = "pay_with_paystack")]
pub async fn pay_with_paystack(slug: String, key: String) -> Result<(), AppError> {
    let (db, buyer) = buyer(&slug, false).await?;
    let key = uuid::Uuid::parse_str(&key).map_err(|_| commerce::Error::not_found("order"))?;
    let to = paystack_checkout(&db, &buyer, &slug, key).await?;
    leptos_axum::redirect(&to);
    Ok(())
}

/// Where Paystack's checkout for the order with this key is; Paystack sends the shopper back
/// to the store's return page.
#[cfg(feature = "ssr")]
pub(super) async fn paystack_checkout(
    db: &commerce::db::Db,
    buyer: &commerce::base::Actor,
    slug: &str,
    key: uuid::Uuid,
) -> Result<String, AppError> {
    let payments = payments()?;
    let return_to = format!("{}/store/{slug}/paystack?key={key}", crate::session::site().public_url);
    let keyring = payments.keyring.as_ref();
    Ok(commerce::orders::paystack::begin(db.primary(), buyer, keyring, &payments.paystack, key, &return_to).await?)
}

/// Asks Paystack how a payment went, when it sends the shopper back, and answers the order as
/// it now stands.
#[server(prefix = "/rpc", endpoint = "verify_paystack")]
pub async fn verify_paystack(slug: String, key: String, reference: String) -> Result<ShopOrder, AppError> {
    let (db, buyer) = buyer(&slug, false).await?;
    let payments = payments()?;
    let key = uuid::Uuid::parse_str(&key).map_err(|_| commerce::Error::not_found("order"))?;
    commerce::orders::paystack::verify_return(
        db.primary(),
        &buyer,
        payments.keyring.as_ref(),
        &payments.paystack,
        key,
        &reference,
    )
    .await?;
    let order = commerce::orders::work::for_shopper(db.primary(), &buyer, key).await?;
    Ok(ShopOrder { page_url: order_page(&slug, &order), order, bank: None, disputes: Vec::new(), reviews: Vec::new() })
}

/// An order's own page on the store, whole.
#[cfg(feature = "ssr")]
fn order_page(slug: &str, order: &Order) -> String {
    format!("{}/store/{slug}/order/{}", crate::session::site().public_url, order.view_key)
}

/// The keys and the Paystack address handed to every request by the server.
#[cfg(feature = "ssr")]
pub(super) fn payments() -> Result<crate::Payments, AppError> {
    leptos::prelude::use_context::<crate::Payments>().ok_or_else(|| {
        tracing::error!("no payment settings in the request context");
        AppError::from(commerce::Error::Internal)
    })
}

/// Finds an order by its number and the phone or email it was placed with, and opens its page.
#[server(prefix = "/rpc", endpoint = "track_order")]
pub async fn track_order(slug: String, number: String, contact: String) -> Result<(), AppError> {
    let (db, buyer) = buyer(&slug, false).await?;
    let address = crate::session::client().ip;
    let key = commerce::orders::work::track(db.primary(), &buyer, &number, &contact, &address).await?;
    leptos_axum::redirect(&format!("/store/{slug}/order/{key}"));
    Ok(())
}

/// The store's database and who is buying there: its signed-in shopper, or this browser's
/// visit (whose cookie is sent when `keep`: they are about to put something in a cart).
#[cfg(feature = "ssr")]
pub(super) async fn buyer(slug: &str, keep: bool) -> Result<(commerce::db::Db, commerce::base::Actor), AppError> {
    use commerce::base::Actor;
    let db = super::db()?;
    let tenant = commerce::identity::storefront_tenant(db.read(), slug).await?;
    if let Some(shopper @ Actor::Shopper { tenant: t, .. }) = crate::session::actor()
        && t == tenant
    {
        return Ok((db, shopper));
    }
    let visit = crate::session::visit(keep)?;
    Ok((db, Actor::Visitor { tenant, visit }))
}

#[cfg(feature = "ssr")]
fn variant_id(text: &str) -> Result<commerce::catalog::VariantId, commerce::Error> {
    uuid::Uuid::parse_str(text.trim())
        .map(commerce::catalog::VariantId)
        .map_err(|_| commerce::Error::invalid("variant", "choose one of the product's options"))
}

#[cfg(feature = "ssr")]
fn units(text: &str) -> Result<i32, commerce::Error> {
    text.trim().parse::<i32>().map_err(|_| commerce::Error::invalid("quantity", "enter a whole number, such as 2"))
}
