use commerce::identity::api_client::{ApiClientView, NewClient};
use leptos::prelude::*;
use uuid::Uuid;

use crate::AppError;

/// The business's API clients.
#[server(prefix = "/rpc", endpoint = "load_api_clients")]
pub async fn load_api_clients() -> Result<Vec<ApiClientView>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::identity::api_client::list(db.primary(), &actor).await?)
}

/// Makes an API client; answers its id and secret, shown this once (`None` for a second press
/// of the same form, which makes no other client).
#[server(prefix = "/rpc", endpoint = "create_api_client")]
pub async fn create_api_client(
    name: String,
    #[server(default)] scopes: Vec<String>,
    #[server(default)] submission: String,
) -> Result<Option<NewClient>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let mut fields = vec![name.as_str()];
    fields.extend(scopes.iter().map(String::as_str));
    let once = super::submission(&actor, &submission, "create_api_client", &fields)?;
    Ok(commerce::identity::api_client::create(db.primary(), &actor, &name, &scopes, once.as_ref()).await?)
}

/// Revokes an API client; its tokens stop working at once.
#[server(prefix = "/rpc", endpoint = "revoke_api_client")]
pub async fn revoke_api_client(id: Uuid, #[server(default)] submission: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "revoke_api_client", &[&id.to_string()])?;
    Ok(commerce::identity::api_client::revoke(db.primary(), &actor, id, once.as_ref()).await?)
}
