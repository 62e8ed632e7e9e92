use commerce::identity::{InvitationPreview, StaffList};
use leptos::prelude::*;
use uuid::Uuid;

use crate::AppError;

/// Members of staff and open invitations.
#[server(prefix = "/rpc", endpoint = "load_staff")]
pub async fn load_staff() -> Result<StaffList, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::identity::list_staff(db.primary(), &actor).await?)
}

/// Invites someone; answers the link to hand them, shown this once (it is also mailed to
/// them). A second press of the same form invites no one again and answers `None`.
#[server(prefix = "/rpc", endpoint = "invite_staff")]
pub async fn invite_staff(
    email: String,
    role: String,
    #[server(default)] submission: String,
) -> Result<Option<String>, AppError> {
    let (db, mail, actor) = (super::db()?, super::mail()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "invite_staff", &[&email, &role])?;
    let choice = role_choice(&role)?;
    let base = crate::session::site().public_url;
    Ok(commerce::identity::invite(db.primary(), &mail, &actor, &email, choice, &base, once.as_ref()).await?)
}

/// Sends an open invitation again with a new link (the old one stops working); answers the
/// link, shown this once (it is also mailed; `None` for a second press of the same form).
#[server(prefix = "/rpc", endpoint = "resend_staff_invitation")]
pub async fn resend_staff_invitation(
    id: Uuid,
    #[server(default)] submission: String,
) -> Result<Option<String>, AppError> {
    let (db, mail, actor) = (super::db()?, super::mail()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "resend_staff_invitation", &[&id.to_string()])?;
    let base = crate::session::site().public_url;
    Ok(commerce::identity::resend_invitation(db.primary(), &mail, &actor, id, &base, once.as_ref()).await?)
}

/// Withdraws an open invitation: its link stops working.
#[server(prefix = "/rpc", endpoint = "revoke_staff_invitation")]
pub async fn revoke_staff_invitation(id: Uuid, #[server(default)] submission: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "revoke_staff_invitation", &[&id.to_string()])?;
    Ok(commerce::identity::revoke_invitation(db.primary(), &actor, id, once.as_ref()).await?)
}

/// Gives a member another role.
#[server(prefix = "/rpc", endpoint = "change_staff_role")]
pub async fn change_staff_role(
    user: Uuid,
    role: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "change_staff_role", &[&user.to_string(), &role])?;
    Ok(commerce::identity::change_role(db.primary(), &actor, user, role_choice(&role)?, once.as_ref()).await?)
}

#[cfg(feature = "ssr")]
fn role_choice(text: &str) -> Result<commerce::identity::RoleChoice, commerce::Error> {
    commerce::identity::RoleChoice::parse(text).ok_or_else(|| commerce::Error::invalid("role", "choose a role"))
}

/// Binds a member to some of the business's locations (none: every location).
#[server(prefix = "/rpc", endpoint = "bind_staff_locations")]
pub async fn bind_staff_locations(
    user: Uuid,
    #[server(default)] locations: Vec<Uuid>,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let mut fields: Vec<String> = vec![user.to_string()];
    fields.extend(locations.iter().map(Uuid::to_string));
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
    let once = super::submission(&actor, &submission, "bind_staff_locations", &fields)?;
    let locations: Vec<_> = locations.into_iter().map(commerce::base::LocationId).collect();
    Ok(commerce::identity::bind_locations(db.primary(), &actor, user, &locations, once.as_ref()).await?)
}

/// Lets a member sign in again, or stops them.
#[server(prefix = "/rpc", endpoint = "set_staff_active")]
pub async fn set_staff_active(user: Uuid, active: bool, #[server(default)] submission: String) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "set_staff_active", &[&user.to_string(), &active.to_string()])?;
    Ok(commerce::identity::set_active(db.primary(), &actor, user, active, once.as_ref()).await?)
}

/// What an invitation link offers.
#[server(prefix = "/rpc", endpoint = "load_invitation")]
pub async fn load_invitation(token: String) -> Result<InvitationPreview, AppError> {
    let db = super::db()?;
    Ok(commerce::identity::invitation_preview(db.primary(), &token).await?)
}

/// Accepts an invitation and signs the person in to the business: someone new with the name
/// and password chosen here, someone with an account as whoever is signed in.
#[server(prefix = "/rpc", endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String, name: String, password: String) -> Result<(), AppError> {
    let db = super::db()?;
    let signed_in = crate::session::actor();
    let client = crate::session::client();
    let logged_in =
        commerce::identity::accept_invitation(db.primary(), &token, signed_in.as_ref(), &name, &password, &client)
            .await?;
    super::replace_session(&db, &logged_in.cookie_value).await?;
    leptos_axum::redirect(logged_in.home);
    Ok(())
}
