//! A marketplace's orders in parts and its vendors' money: a vendor's orders and one part, the
//! moves of a part and the cash taken at the door; a vendor's balance, ledger and payouts, and
//! the operator's payouts. Each calls one domain function.

use commerce::base::page::Page;
use commerce::marketplace::{Balance, Payout};
use commerce::orders::ledger::Entry;
use commerce::orders::{PartSummary, PartView};
use leptos::prelude::*;
use uuid::Uuid;

use crate::AppError;

/// A page of the signed-in vendor's orders (their parts of them), newest first, narrowed to one
/// status by its code.
#[server(prefix = "/rpc", endpoint = "load_vendor_parts")]
pub async fn load_vendor_parts(status: Option<String>, after: Option<String>) -> Result<Page<PartSummary>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let only = match status.as_deref().filter(|s| !s.is_empty()) {
        Some(code) => Some(
            commerce::orders::OrderStatus::from_code(code)
                .ok_or_else(|| commerce::Error::invalid("status", "not a status orders have"))?,
        ),
        None => None,
    };
    Ok(commerce::orders::parts::list(db.read(), &actor, None, only, super::after(after.as_deref()), 50).await?)
}

/// The signed-in vendor's desk: its orders at a glance and its balance.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Desk {
    /// Its orders at a glance.
    pub orders: commerce::orders::VendorDesk,
    /// Its money.
    pub balance: Balance,
    /// Its rating from shoppers' reviews of it.
    pub rating: commerce::reviews::Rating,
}

/// The signed-in vendor's desk, for its portal's home.
#[server(prefix = "/rpc", endpoint = "load_vendor_desk")]
pub async fn load_vendor_desk() -> Result<Desk, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let (_, vendor) = commerce::marketplace::vendor::own_vendor(&actor)?;
    let orders = commerce::orders::parts::desk(db.read(), &actor).await?;
    let balance = commerce::marketplace::payouts::balance(db.read(), &actor, vendor).await?;
    let rating = commerce::reviews::own_rating(db.read(), &actor).await?;
    Ok(Desk { orders, balance, rating })
}

/// One part of an order, as its seller works it.
#[server(prefix = "/rpc", endpoint = "load_part")]
pub async fn load_part(id: String) -> Result<PartView, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let id = Uuid::parse_str(&id).map_err(|_| commerce::Error::not_found("order"))?;
    Ok(commerce::orders::parts::view(db.primary(), &actor, id).await?)
}

/// Moves a part to the status `to` (its code), with a note; delivering one paid at the door
/// says who took the cash.
#[server(prefix = "/rpc", endpoint = "move_part")]
pub async fn move_part(
    id: Uuid,
    to: String,
    #[server(default)] note: String,
    #[server(default)] cash_holder: String,
    #[server(default)] holder_name: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(
        &actor,
        &submission,
        "move_part",
        &[&id.to_string(), &to, &note, &cash_holder, &holder_name],
    )?;
    let to = commerce::orders::OrderStatus::from_code(&to)
        .ok_or_else(|| commerce::Error::invalid("to", "not a status orders have"))?;
    let cash = commerce::orders::parts::CashInput { holder: cash_holder, holder_name };
    commerce::orders::parts::move_part(db.primary(), &actor, id, to, &note, &cash, once.as_ref()).await?;
    Ok(())
}

/// Records that the cash taken at the door for a part reached the marketplace.
#[server(prefix = "/rpc", endpoint = "remit_cash")]
pub async fn remit_cash(
    id: Uuid,
    #[server(default)] reference: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "remit_cash", &[&id.to_string(), &reference])?;
    commerce::orders::parts::remit_cash(db.primary(), &actor, id, &reference, once.as_ref()).await?;
    Ok(())
}

/// A vendor's money as its page shows it: the balance, the newest entries of its ledger (from
/// the key `after`), and its latest payouts.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct VendorMoney {
    /// The vendor.
    pub vendor: Uuid,
    /// Its name.
    pub name: String,
    /// Its balance.
    pub balance: Balance,
    /// A page of its ledger, newest first.
    pub ledger: Page<Entry>,
    /// Its latest payouts, newest first.
    pub payouts: Vec<Payout>,
    /// Whether the one looking may ask for a payout (the vendor's owner).
    pub may_request: bool,
}

/// A vendor's money: the signed-in vendor's own (no `vendor`), or, for the operator's staff,
/// the vendor named.
#[server(prefix = "/rpc", endpoint = "load_vendor_money")]
pub async fn load_vendor_money(vendor: Option<String>, after: Option<String>) -> Result<VendorMoney, AppError> {
    use commerce::base::{Actor, Permission, VendorId};
    use commerce::marketplace::payouts;
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let vendor = match vendor.filter(|v| !v.is_empty()) {
        Some(id) => VendorId(Uuid::parse_str(&id).map_err(|_| commerce::Error::not_found("vendor"))?),
        None => commerce::marketplace::vendor::own_vendor(&actor)?.1,
    };
    let name = commerce::marketplace::vendor::get(db.read(), &actor, vendor).await?.summary.name;
    let balance = payouts::balance(db.read(), &actor, vendor).await?;
    let ledger = payouts::ledger(db.read(), &actor, vendor, super::after(after.as_deref()), 50).await?;
    let payouts_made = payouts::list(db.read(), &actor, Some(vendor), false, None, 20).await?.data;
    let may_request = match &actor {
        Actor::Staff(member) if actor.can(Permission::UseVendorPortal) => {
            commerce::identity::vendor_team(db.read(), &actor).await?.may_invite && member.vendor == Some(vendor)
        }
        _ => false,
    };
    Ok(VendorMoney { vendor: vendor.0, name, balance, ledger, payouts: payouts_made, may_request })
}

/// The vendor's owner asks for a payout (empty amount: all that is available).
#[server(prefix = "/rpc", endpoint = "request_payout")]
pub async fn request_payout(
    #[server(default)] amount: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let (_, vendor) = commerce::marketplace::vendor::own_vendor(&actor)?;
    let once = super::submission(&actor, &submission, "request_payout", &[&amount])?;
    commerce::marketplace::payouts::request(db.primary(), &actor, vendor, &amount, once.as_ref()).await?;
    Ok(())
}

/// Calls off a payout not yet sent: the vendor's owner its own, the operator any.
#[server(prefix = "/rpc", endpoint = "cancel_payout")]
pub async fn cancel_payout(
    id: Uuid,
    #[server(default)] reason: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "cancel_payout", &[&id.to_string(), &reason])?;
    commerce::marketplace::payouts::cancel(db.primary(), &actor, id, &reason, once.as_ref()).await?;
    Ok(())
}

/// The operator's payouts: those still open, or all, newest first.
#[server(prefix = "/rpc", endpoint = "load_payouts")]
pub async fn load_payouts(open: Option<String>, after: Option<String>) -> Result<Page<Payout>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let open = open.as_deref() != Some("all");
    Ok(commerce::marketplace::payouts::list(db.read(), &actor, None, open, super::after(after.as_deref()), 50).await?)
}

/// Runs the marketplace's payouts now; answers how many were made.
#[server(prefix = "/rpc", endpoint = "run_payouts")]
pub async fn run_payouts(#[server(default)] submission: String) -> Result<usize, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "run_payouts", &[])?;
    Ok(commerce::marketplace::payouts::run(db.primary(), &actor, once.as_ref()).await?.len())
}

/// Settles a payout by hand, under the bank's reference.
#[server(prefix = "/rpc", endpoint = "mark_payout_paid")]
pub async fn mark_payout_paid(
    id: Uuid,
    #[server(default)] bank_reference: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "mark_payout_paid", &[&id.to_string(), &bank_reference])?;
    commerce::marketplace::payouts::mark_paid(db.primary(), &actor, id, &bank_reference, once.as_ref()).await?;
    Ok(())
}

/// Sends a payout by Paystack Transfers.
#[server(prefix = "/rpc", endpoint = "send_payout")]
pub async fn send_payout(id: Uuid) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let payments = super::buying::payments()?;
    commerce::marketplace::transfers::send(db.primary(), &actor, payments.keyring.as_ref(), &payments.paystack, id)
        .await?;
    Ok(())
}

/// The operator corrects a vendor's balance, with the reason the vendor reads.
#[server(prefix = "/rpc", endpoint = "adjust_vendor_balance")]
pub async fn adjust_vendor_balance(
    vendor: Uuid,
    #[server(default)] amount: String,
    #[server(default)] reason: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once =
        super::submission(&actor, &submission, "adjust_vendor_balance", &[&vendor.to_string(), &amount, &reason])?;
    let vendor = commerce::base::VendorId(vendor);
    commerce::marketplace::payouts::adjust(db.primary(), &actor, vendor, &amount, &reason, once.as_ref()).await?;
    Ok(())
}
