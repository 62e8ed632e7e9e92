use commerce::identity::{ListedStore, VendorHome};
use leptos::prelude::*;

use crate::AppError;

/// The vendor portal's home for the signed-in vendor staff.
#[server(prefix = "/rpc", endpoint = "load_vendor_home")]
pub async fn load_vendor_home() -> Result<VendorHome, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::identity::vendor_home(db.read(), &actor).await?)
}

/// The storefronts the start page lists: those whose businesses chose to be listed.
#[server(prefix = "/rpc", endpoint = "load_listed_stores")]
pub async fn load_listed_stores() -> Result<Vec<ListedStore>, AppError> {
    let db = super::db()?;
    Ok(commerce::identity::listed_stores(db.read()).await?)
}

/// The demo accounts that exist in this database (who, email), and their shared password; on a
/// server that does not run as a demonstration, none, whatever accounts exist.
#[server(prefix = "/rpc", endpoint = "load_demo_logins")]
pub async fn load_demo_logins() -> Result<(String, Vec<(String, String)>), AppError> {
    if !crate::session::site().demo {
        return Ok((String::new(), Vec::new()));
    }
    let db = super::db()?;
    let accounts = commerce::demo::existing_logins(db.read()).await?;
    Ok((
        commerce::demo::PASSWORD.to_owned(),
        accounts.into_iter().map(|l| (l.who.to_owned(), l.email.to_owned())).collect(),
    ))
}

/// The business's most recent outgoing messages.
#[server(prefix = "/rpc", endpoint = "load_outbox")]
pub async fn load_outbox() -> Result<Vec<commerce::identity::outbox::Message>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::identity::outbox::recent(db.read(), &actor).await?)
}
