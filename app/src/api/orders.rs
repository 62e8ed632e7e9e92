//! The back office's orders: the list, one order, and the work done on it.

use commerce::base::page::Page;
use commerce::orders::{Order, OrderSummary};
use leptos::prelude::*;
use uuid::Uuid;

use crate::AppError;

/// Orders on one page of the list.
#[cfg(feature = "ssr")]
const PAGE_OF_ORDERS: i64 = 50;

/// A page of the business's orders, newest first, narrowed as the list's filters say (each as
/// the address carries it: a status's code, a channel, `paid` or `unpaid`, and the days placed
/// from and until, `2026-12-01`).
#[server(prefix = "/rpc", endpoint = "load_orders")]
pub async fn load_orders(
    search: Option<String>,
    status: Option<String>,
    channel: Option<String>,
    paid: Option<String>,
    from: Option<String>,
    until: Option<String>,
    after: Option<String>,
) -> Result<Page<OrderSummary>, AppError> {
    use commerce::orders::{OrderFilter, OrderStatus};
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let status = match status.as_deref().filter(|s| !s.is_empty()) {
        Some(code) => Some(
            OrderStatus::from_code(code)
                .ok_or_else(|| commerce::Error::invalid("status", "not a status orders have"))?,
        ),
        None => None,
    };
    let (paid, method) = match paid.as_deref().filter(|s| !s.is_empty()) {
        Some("paid") => (Some(true), None),
        Some("unpaid") => (Some(false), None),
        // Bank transfers the business has not yet seen arrive.
        Some("transfers") => (Some(false), Some(commerce::orders::PaymentMethod::BankTransfer)),
        Some(_) => return Err(commerce::Error::invalid("paid", "paid, unpaid or transfers to confirm").into()),
        None => (None, None),
    };
    // Days on the business's clock: from the start of `from` to the end of `until`.
    let zone = actor.zone();
    let from = super::account::parse_day(from.as_deref(), "from", 0, &zone)?;
    let until = super::account::parse_day(until.as_deref(), "until", 1, &zone)?;
    let channel = channel.filter(|c| !c.is_empty());
    let filter = OrderFilter { search, status, channel, paid, from, until, customer: None, method };
    let after = super::after(after.as_deref());
    Ok(commerce::orders::work::list(db.primary(), &actor, &filter, after, PAGE_OF_ORDERS).await?)
}

/// What an order made for a customer may offer: the business's pickup shops, delivery zones
/// and ways to pay.
#[server(prefix = "/rpc", endpoint = "load_order_options")]
pub async fn load_order_options() -> Result<commerce::orders::CheckoutOptions, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    actor.require(commerce::base::Permission::ManageOrders)?;
    Ok(commerce::orders::selling::options(db.primary(), &actor).await?)
}

/// An order, and the address of its own page on the store (its payment and tracking link).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AdminOrder {
    /// The order.
    pub order: Order,
    /// Its page on the store, whole, to share with the shopper.
    pub page_url: String,
}

/// One order of the business.
#[server(prefix = "/rpc", endpoint = "load_order")]
pub async fn load_order(id: String) -> Result<AdminOrder, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let id = Uuid::parse_str(&id).map_err(|_| commerce::Error::not_found("order"))?;
    let order = commerce::orders::work::get(db.primary(), &actor, id).await?;
    let slug = commerce::identity::settings(db.read(), &actor).await?.slug;
    let page_url = format!("{}/store/{slug}/order/{}", crate::session::site().public_url, order.view_key);
    Ok(AdminOrder { order, page_url })
}

/// Moves an order to the status `to` (its code), with a note for its timeline.
#[server(prefix = "/rpc", endpoint = "move_order")]
pub async fn move_order(
    id: Uuid,
    to: String,
    #[server(default)] note: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "move_order", &[&id.to_string(), &to, &note])?;
    let to = commerce::orders::OrderStatus::from_code(&to)
        .ok_or_else(|| commerce::Error::invalid("to", "not a status orders have"))?;
    commerce::orders::work::move_to(db.primary(), &actor, id, to, &note, once.as_ref()).await?;
    Ok(())
}

/// Confirms that an order's bank transfer arrived.
#[server(prefix = "/rpc", endpoint = "confirm_transfer")]
pub async fn confirm_transfer(id: Uuid, #[server(default)] submission: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "confirm_transfer", &[&id.to_string()])?;
    Ok(commerce::orders::payment::confirm_transfer(db.primary(), &actor, id, once.as_ref()).await?)
}

/// Confirms that the transfers of the ticked orders arrived (a bank statement's worth); all or none.
#[server(prefix = "/rpc", endpoint = "confirm_transfers")]
pub async fn confirm_transfers(
    #[server(default)] orders: Vec<Uuid>,
    #[server(default)] submission: String,
) -> Result<usize, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let ids: Vec<String> = orders.iter().map(Uuid::to_string).collect();
    let fields: Vec<&str> = ids.iter().map(String::as_str).collect();
    let once = super::submission(&actor, &submission, "confirm_transfers", &fields)?;
    Ok(commerce::orders::payment::confirm_transfers(db.primary(), &actor, &orders, once.as_ref()).await?)
}

/// Adds a note to an order's timeline.
#[server(prefix = "/rpc", endpoint = "add_order_note")]
pub async fn add_order_note(id: Uuid, note: String, #[server(default)] submission: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "add_order_note", &[&id.to_string(), &note])?;
    commerce::orders::work::add_note(db.primary(), &actor, id, &note, once.as_ref()).await?;
    Ok(())
}
