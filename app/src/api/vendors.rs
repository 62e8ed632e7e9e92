//! The marketplace's vendors: applying on the storefront, the operator's review in the back
//! office, and the vendor's own record in the vendor portal. Each calls one domain function.

#![allow(clippy::too_many_arguments, reason = "one argument per field of the vendor's forms, as they post them")]

use commerce::base::page::Page;
use commerce::marketplace::{PendingApplication, Vendor, VendorSummary};
use leptos::prelude::*;
use uuid::Uuid;

use crate::AppError;

/// Applies to sell on the marketplace whose store is `slug`; the page then says a link was
/// mailed, whatever the email (see `marketplace::apply`).
#[server(prefix = "/rpc", endpoint = "apply_to_sell")]
pub async fn apply_to_sell(
    slug: String,
    name: String,
    contact_name: String,
    email: String,
    phone: String,
    #[server(default)] address: String,
    #[server(default)] city: String,
    #[server(default)] state: String,
    #[server(default)] description: String,
    #[server(default)] cac_number: String,
    #[server(default)] bank_code: String,
    #[server(default)] account_number: String,
    #[server(default)] account_name: String,
    password: String,
) -> Result<(), AppError> {
    use commerce::marketplace::{Application, BankDetails, VendorDetails};
    let (db, mail) = (super::db()?, super::mail()?);
    let keyring = super::buying::payments()?.keyring;
    let form = Application {
        details: VendorDetails { name, contact_name, email, phone, address, city, state, description, cac_number },
        bank: BankDetails { bank_code, account_number, account_name },
        password,
    };
    let store = format!("{}/store/{slug}", crate::session::site().public_url);
    commerce::marketplace::apply::apply(
        db.primary(),
        &mail,
        keyring.as_ref(),
        &slug,
        &form,
        &crate::session::client(),
        &store,
    )
    .await?;
    leptos_axum::redirect(&format!("/store/{slug}/sell?sent=1"));
    Ok(())
}

/// What an application link will send, for its page.
#[server(prefix = "/rpc", endpoint = "load_vendor_application")]
pub async fn load_vendor_application(slug: String, token: String) -> Result<PendingApplication, AppError> {
    let db = super::db()?;
    if slug.contains('\0') || token.contains('\0') {
        return Err(commerce::Error::not_found("application link").into());
    }
    Ok(commerce::marketplace::apply::pending(db.primary(), &slug, token.trim()).await?)
}

/// Sends the application by its link: the vendor is made, waiting for review, and the applicant
/// is signed in to the vendor portal.
#[server(prefix = "/rpc", endpoint = "confirm_vendor_application")]
pub async fn confirm_vendor_application(slug: String, token: String) -> Result<(), AppError> {
    let db = super::db()?;
    if slug.contains('\0') || token.contains('\0') {
        return Err(commerce::Error::not_found("application link").into());
    }
    let done =
        commerce::marketplace::apply::confirm(db.primary(), &slug, token.trim(), &crate::session::client()).await?;
    super::replace_session(&db, &done.cookie_value).await?;
    leptos_axum::redirect("/vendor/application");
    Ok(())
}

/// A page of the marketplace's vendors, newest first, by standing and words.
#[server(prefix = "/rpc", endpoint = "load_vendors")]
pub async fn load_vendors(
    status: Option<String>,
    search: Option<String>,
    after: Option<String>,
) -> Result<Page<VendorSummary>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let status = match status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => Some(
            commerce::marketplace::VendorStatus::from_code(code)
                .ok_or_else(|| commerce::Error::invalid("status", "choose a standing from the list"))?,
        ),
    };
    let filter = commerce::marketplace::VendorFilter { status, search };
    let after = after.filter(|a| commerce::base::page::read_cursor::<Uuid>("after", Some(a)).is_ok());
    Ok(commerce::marketplace::vendor::list(db.read(), &actor, &filter, after.as_deref(), 50).await?)
}

/// One vendor, for the operator's staff.
#[server(prefix = "/rpc", endpoint = "load_vendor")]
pub async fn load_vendor(id: String) -> Result<Vendor, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let id = Uuid::parse_str(&id).map_err(|_| commerce::Error::not_found("vendor"))?;
    Ok(commerce::marketplace::vendor::get(db.primary(), &actor, commerce::base::VendorId(id)).await?)
}

/// The signed-in vendor staff member's own vendor.
#[server(prefix = "/rpc", endpoint = "load_my_vendor")]
pub async fn load_my_vendor() -> Result<Vendor, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let (_, vendor) = commerce::marketplace::vendor::own_vendor(&actor)?;
    Ok(commerce::marketplace::vendor::get(db.primary(), &actor, vendor).await?)
}

/// Moves a vendor to another standing (the operator's review, or the vendor sending its
/// application back), with the reason the vendor reads.
#[server(prefix = "/rpc", endpoint = "review_vendor")]
pub async fn review_vendor(
    id: Uuid,
    to: String,
    #[server(default)] reason: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let to = commerce::marketplace::VendorStatus::from_code(&to)
        .ok_or_else(|| commerce::Error::invalid("to", "choose what to do"))?;
    let once = super::submission(&actor, &submission, "review vendor", &[&id.to_string(), to.code(), &reason])?;
    let change = commerce::marketplace::vendor::VendorChange { status: Some(to), reason, ..Default::default() };
    change_vendor(&db, &actor, id, &change, once.as_ref()).await
}

/// Sets whether a vendor's new and changed products wait for approval.
#[server(prefix = "/rpc", endpoint = "set_vendor_moderation")]
pub async fn set_vendor_moderation(
    id: Uuid,
    #[server(default)] moderated: Option<String>,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let moderated = moderated.is_some();
    let once = super::submission(&actor, &submission, "vendor moderation", &[&id.to_string(), &moderated.to_string()])?;
    let change = commerce::marketplace::vendor::VendorChange { moderated: Some(moderated), ..Default::default() };
    change_vendor(&db, &actor, id, &change, once.as_ref()).await
}

/// Saves a vendor's details: the vendor's own staff for theirs, the operator's for any.
#[server(prefix = "/rpc", endpoint = "save_vendor_details")]
pub async fn save_vendor_details(
    id: Uuid,
    name: String,
    contact_name: String,
    email: String,
    phone: String,
    #[server(default)] address: String,
    #[server(default)] city: String,
    #[server(default)] state: String,
    #[server(default)] description: String,
    #[server(default)] cac_number: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    use commerce::marketplace::VendorDetails;
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let once = super::submission(
        &actor,
        &submission,
        "vendor details",
        &[&id.to_string(), &name, &contact_name, &email, &phone, &address, &city, &state, &description, &cac_number],
    )?;
    let details = VendorDetails { name, contact_name, email, phone, address, city, state, description, cac_number };
    let change = commerce::marketplace::vendor::VendorChange { details: Some(details), ..Default::default() };
    change_vendor(&db, &actor, id, &change, once.as_ref()).await
}

/// Makes one change to a vendor, for the forms that each change one part of it.
#[cfg(feature = "ssr")]
async fn change_vendor(
    db: &commerce::db::Db,
    actor: &commerce::base::Actor,
    id: Uuid,
    change: &commerce::marketplace::vendor::VendorChange,
    once: Option<&commerce::idempotency::Once>,
) -> Result<(), AppError> {
    commerce::marketplace::vendor::change(db.primary(), actor, commerce::base::VendorId(id), change, once).await?;
    Ok(())
}

/// Sets where a vendor's money is paid: its own owner at any time, the operator only for a
/// vendor that has no account yet.
#[server(prefix = "/rpc", endpoint = "set_vendor_bank")]
pub async fn set_vendor_bank(
    id: Uuid,
    bank_code: String,
    account_number: String,
    account_name: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let keyring = super::buying::payments()?.keyring;
    let once = super::submission(
        &actor,
        &submission,
        "vendor bank",
        &[&id.to_string(), &bank_code, &account_number, &account_name],
    )?;
    let details = commerce::marketplace::BankDetails { bank_code, account_number, account_name };
    commerce::marketplace::vendor::set_bank_account(
        db.primary(),
        &actor,
        keyring.as_ref(),
        commerce::base::VendorId(id),
        &details,
        once.as_ref(),
    )
    .await?;
    Ok(())
}

/// Removes one of a vendor's documents.
#[server(prefix = "/rpc", endpoint = "remove_vendor_document")]
pub async fn remove_vendor_document(vendor: Uuid, document: Uuid) -> Result<(), AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    commerce::marketplace::documents::remove(db.primary(), &actor, commerce::base::VendorId(vendor), document).await?;
    Ok(())
}

/// Vendors' products, and changes to them, that wait for the operator's approval.
#[server(prefix = "/rpc", endpoint = "load_waiting_products")]
pub async fn load_waiting_products() -> Result<Vec<commerce::catalog::Waiting>, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::catalog::moderation::waiting(db.primary(), &actor).await?)
}

/// Approves or refuses (with a note) a vendor's product or change that waits.
#[server(prefix = "/rpc", endpoint = "decide_product")]
pub async fn decide_product(
    product: Uuid,
    decision: String,
    #[server(default)] note: String,
    #[server(default)] submission: String,
) -> Result<(), AppError> {
    use commerce::catalog::moderation::{self, Decision};
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    let decision = match decision.as_str() {
        "approve" => Decision::Approve,
        "reject" => Decision::Reject,
        _ => return Err(commerce::Error::invalid("decision", "approve or refuse").into()),
    };
    let once = super::submission(
        &actor,
        &submission,
        "decide product",
        &[&product.to_string(), &format!("{decision:?}"), &note],
    )?;
    moderation::decide(db.primary(), &actor, commerce::catalog::ProductId(product), decision, &note, once.as_ref())
        .await?;
    Ok(())
}

/// The signed-in vendor staff member's team: its members, open invitations, and whether they
/// may invite.
#[server(prefix = "/rpc", endpoint = "load_vendor_team")]
pub async fn load_vendor_team() -> Result<commerce::identity::VendorTeam, AppError> {
    let (db, actor) = (super::db()?, crate::session::require_actor()?);
    Ok(commerce::identity::vendor_team(db.primary(), &actor).await?)
}

/// The vendor's owner invites someone to its staff; answers the link, shown this once (it is
/// also mailed; `None` for a second press of the same form).
#[server(prefix = "/rpc", endpoint = "invite_vendor_staff")]
pub async fn invite_vendor_staff(
    email: String,
    #[server(default)] submission: String,
) -> Result<Option<String>, AppError> {
    let (db, mail, actor) = (super::db()?, super::mail()?, crate::session::require_actor()?);
    let once = super::submission(&actor, &submission, "invite_vendor_staff", &[&email])?;
    let base = crate::session::site().public_url;
    Ok(commerce::identity::invite_vendor_staff(db.primary(), &mail, &actor, &email, &base, once.as_ref()).await?)
}
