//! The back office's customers: the list, one customer with their orders, and erasing one.

use commerce::base::page::Page;
use commerce::orders::{Customer, OrderSummary};
use leptos::prelude::*;
use uuid::Uuid;

use crate::AppError;

/// A page of the business's customers, newest first, matching `search`.
#[server(prefix = "/rpc", endpoint = "load_customers")]
pub async fn load_customers(search: Option<String>, after: Option<String>) -> Result<Page<Customer>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let after = super::after(after.as_deref());
    Ok(commerce::orders::customer::list(db.read(), &actor, search.as_deref(), after, 50).await?)
}

/// One customer and their latest orders.
#[server(prefix = "/rpc", endpoint = "load_customer")]
pub async fn load_customer(id: String) -> Result<(Customer, Vec<OrderSummary>), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let id = Uuid::parse_str(&id).map_err(|_| commerce::Error::not_found("customer"))?;
    let customer = commerce::orders::customer::get(db.primary(), &actor, id).await?;
    let filter = commerce::orders::OrderFilter { customer: Some(id), ..Default::default() };
    let orders = commerce::orders::work::list(db.primary(), &actor, &filter, None, 50).await?;
    Ok((customer, orders.data))
}

/// Erases a customer's details at their request; `confirm` must be the word ERASE.
#[server(prefix = "/rpc", endpoint = "erase_customer")]
pub async fn erase_customer(id: Uuid, #[server(default)] confirm: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    if confirm.trim() != "ERASE" {
        return Err(commerce::Error::invalid("confirm", "type ERASE to erase this customer's details").into());
    }
    Ok(commerce::orders::customer::erase(db.primary(), &actor, id).await?)
}
