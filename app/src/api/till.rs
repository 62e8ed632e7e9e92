use commerce::identity::ShopChoice;
use commerce::pos::{NewRegister, Outcome, RegisterView, Seller, ShiftReport, ShiftSummary, Waiting};
use leptos::prelude::*;
use uuid::Uuid;

use crate::AppError;

/// What the registers page shows: the registers, the shops a register may stand in, who sells
/// (with whether they have a PIN), and the documents tills sent that wait for a decision.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TillsView {
    /// The registers.
    pub registers: Vec<RegisterView>,
    /// The shops.
    pub shops: Vec<ShopChoice>,
    /// Who sells at a till.
    pub sellers: Vec<Seller>,
    /// Refused documents.
    pub waiting: Vec<Waiting>,
}

/// The registers page's data.
#[server(prefix = "/rpc", endpoint = "load_tills")]
pub async fn load_tills() -> Result<TillsView, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let db = db.primary();
    let waiting = match commerce::pos::sync::waiting(db, &actor, true).await {
        Err(commerce::Error::Forbidden(_)) => Vec::new(),
        other => other?,
    };
    Ok(TillsView {
        registers: commerce::pos::register::list(db, &actor).await?,
        shops: commerce::identity::shops_for_registers(db, &actor).await?,
        sellers: commerce::pos::pin::sellers(db, &actor).await?,
        waiting,
    })
}

/// Adds a register to a shop; answers the one-time code its device enrols with (`None` for a
/// second press of the same form).
#[server(prefix = "/rpc", endpoint = "add_register")]
pub async fn add_register(
    location: Uuid,
    name: String,
    #[server(default)] prefix: String,
    #[server(default)] submission: String,
) -> Result<Option<NewRegister>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let key = location.to_string();
    let once = super::submission(&actor, &submission, "add_register", &[&key, &name, &prefix])?;
    let prefix = Some(prefix.as_str()).filter(|p| !p.trim().is_empty());
    let shop = commerce::base::LocationId(location);
    Ok(commerce::pos::register::add(db.primary(), &actor, shop, &name, prefix, once.as_ref()).await?)
}

/// Revokes a register.
#[server(prefix = "/rpc", endpoint = "revoke_register")]
pub async fn revoke_register(id: Uuid) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::pos::register::revoke(db.primary(), &actor, id).await?)
}

/// Sets a person's PIN for signing in at a till.
#[server(prefix = "/rpc", endpoint = "set_till_pin")]
pub async fn set_till_pin(member: Uuid, pin: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::pos::pin::set(db.primary(), &actor, member, &pin).await?)
}

/// Books a refused document as it is, or sets it aside with a reason.
#[server(prefix = "/rpc", endpoint = "decide_till_document")]
pub async fn decide_till_document(
    id: Uuid,
    decision: String,
    #[server(default)] reason: String,
) -> Result<Outcome, AppError> {
    use commerce::pos::sync::Decision;
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let decision = match decision.as_str() {
        "book" => Decision::Book,
        "set_aside" => Decision::SetAside(reason),
        _ => return Err(commerce::Error::invalid("decision", "book or set_aside").into()),
    };
    Ok(commerce::pos::sync::decide(db.primary(), &actor, id, &decision).await?)
}

/// The business's till shifts, newest first.
#[server(prefix = "/rpc", endpoint = "load_shifts")]
pub async fn load_shifts() -> Result<Vec<ShiftSummary>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::pos::shift::list(db.read(), &actor, None, 100).await?)
}

/// One shift's report.
#[server(prefix = "/rpc", endpoint = "load_shift")]
pub async fn load_shift(id: Uuid) -> Result<ShiftReport, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::pos::shift::report(db.read(), &actor, id).await?)
}
