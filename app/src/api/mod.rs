//! Server functions: thin adapters from a page to one domain function each.

mod account;
mod api_clients;
mod auth;
mod home;
mod platform;
mod registers;
mod reset;
mod settings;
mod shopper;
mod staff;
mod storefront;

pub use account::{ChangePassword, EndSession, load_audit, load_audit_entities, load_sessions};
pub use api_clients::{CreateApiClient, RevokeApiClient, load_api_clients};
pub use auth::{LogIn, LogOut, SignUp, current_actor};
pub use home::{load_business_home, load_demo_logins, load_outbox, load_vendor_home};
pub use platform::{SetBusinessStatus, load_platform_overview};
pub use registers::load_register_shops;
pub use reset::{RequestPasswordReset, ResetPassword};
pub use settings::{AddLocation, SaveSettings, load_settings};
pub use shopper::{LogInShopper, LogOutShopper, RegisterShopper};
pub use staff::{AcceptInvitation, ChangeStaffRole, InviteStaff, SetStaffActive, load_invitation, load_staff};
pub use storefront::load_storefront;

/// The database handed to every request by the server.
#[cfg(feature = "ssr")]
fn db() -> Result<commerce::db::Db, crate::AppError> {
    leptos::prelude::use_context::<commerce::db::Db>().ok_or_else(|| {
        tracing::error!("no database in the request context");
        crate::AppError::from(commerce::Error::Internal)
    })
}
