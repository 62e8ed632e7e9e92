//! Disputes: the seller's and the marketplace's lists and threads, asking the marketplace to
//! decide, withdrawing, and the marketplace's decision. Messages with photos go through plain
//! forms to the server's own routes (see the server's `dispute_files`). Each calls one domain
//! function.

use commerce::base::page::Page;
use commerce::marketplace::{Dispute, DisputeSummary};
use leptos::prelude::*;
use uuid::Uuid;

use crate::AppError;

/// A page of disputes, newest first: the signed-in vendor's, or (the marketplace's staff) every
/// one; only those still open unless `all`.
#[server(prefix = "/rpc", endpoint = "load_disputes")]
pub async fn load_disputes(all: bool, after: Option<String>) -> Result<Page<DisputeSummary>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::marketplace::disputes::list(db.read(), &actor, !all, super::after(after.as_deref()), 50).await?)
}

/// One dispute, whole, for the seller's or the marketplace's staff.
#[server(prefix = "/rpc", endpoint = "load_dispute")]
pub async fn load_dispute(id: Uuid) -> Result<Dispute, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::marketplace::disputes::view(db.primary(), &actor, id).await?)
}

/// The seller asks the marketplace to decide, saying why.
#[server(prefix = "/rpc", endpoint = "escalate_dispute")]
pub async fn escalate_dispute(
    id: Uuid,
    #[server(default)] why: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "escalate_dispute", &[&id.to_string(), &why])?;
    Ok(commerce::marketplace::disputes::escalate(db.primary(), &actor, None, id, &why, once.as_ref()).await?)
}

/// The marketplace decides: `refund` (the amount typed, or what was asked) or `reject`.
#[server(prefix = "/rpc", endpoint = "decide_dispute")]
pub async fn decide_dispute(
    id: Uuid,
    decision: String,
    #[server(default)] amount: String,
    #[server(default)] why: String,
    #[server(default)] submission: String,
) -> Result<String, AppError> {
    use commerce::marketplace::disputes::Decision;
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let decided = match decision.as_str() {
        "refund" => Decision::Refund(amount.clone()),
        "reject" => Decision::Reject,
        _ => return Err(commerce::Error::invalid("decision", "choose to give money back or not").into()),
    };
    let once = super::submission(&actor, &submission, "decide_dispute", &[&id.to_string(), &decision, &amount, &why])?;
    let given =
        commerce::marketplace::disputes::decide(db.primary(), &actor, id, &decided, &why, once.as_ref()).await?;
    Ok(given.to_string())
}

/// The shopper, on their order's page, asks the marketplace to decide.
#[server(prefix = "/rpc", endpoint = "escalate_my_dispute")]
pub async fn escalate_my_dispute(
    slug: String,
    key: Uuid,
    id: Uuid,
    #[server(default)] why: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, buyer) = super::buying::buyer(&slug, false).await?;
    let once = super::submission(&buyer, &submission, "escalate_my_dispute", &[&id.to_string(), &why])?;
    Ok(commerce::marketplace::disputes::escalate(db.primary(), &buyer, Some(key), id, &why, once.as_ref()).await?)
}

/// The shopper withdraws their dispute.
#[server(prefix = "/rpc", endpoint = "withdraw_dispute")]
pub async fn withdraw_dispute(
    slug: String,
    key: Uuid,
    id: Uuid,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, buyer) = super::buying::buyer(&slug, false).await?;
    let once = super::submission(&buyer, &submission, "withdraw_dispute", &[&id.to_string()])?;
    Ok(commerce::marketplace::disputes::withdraw(db.primary(), &buyer, key, id, once.as_ref()).await?)
}
