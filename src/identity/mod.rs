//! Who the suite serves and who may do what: tenants (one business each), their locations,
//! staff and vendor staff, shoppers, sessions, invitations, roles and permissions.

pub mod api_client;
pub(crate) mod location;
pub mod password;
pub mod session;
mod tenant;

#[cfg(feature = "server")]
pub mod account;
#[cfg(feature = "server")]
pub mod login;
pub mod outbox;
#[cfg(feature = "server")]
pub mod reset;
#[cfg(feature = "server")]
pub mod shopper;
#[cfg(feature = "server")]
mod signup;
mod staff;
#[cfg(feature = "server")]
pub mod token;

pub use location::{Location, LocationKind, NewLocation, ShopChoice};
pub use staff::{
    Invitation, InvitationPreview, Place, RoleChoice, StaffList, StaffQuery, StaffRow, TeamMember, VendorChoice,
    VendorTeam,
};
pub use tenant::{
    BusinessHome, ListedStore, PlatformOverview, SettingsForm, Storefront, TIME_ZONES, TenantMode, TenantStatus,
    TenantSummary, VendorHome,
};

#[cfg(feature = "server")]
pub use location::{create_location, list_locations, shops_for_registers};
#[cfg(feature = "server")]
pub use login::{LoggedIn, log_in, log_out};
#[cfg(feature = "server")]
pub use signup::{SignUp, confirm_sign_up, pending_sign_up, sign_up, web_address_from};

/// A shopper's account as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShopperAccount {
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
    /// Whether they opened the link mailed to it.
    pub email_confirmed: bool,
}

/// A sign-up waiting for its owner to follow the mailed link, as the link's page shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendingSignUp {
    /// The business to be opened.
    pub business_name: String,
    /// Its storefront's address.
    pub slug: String,
    /// The owner's email.
    pub email: String,
}
#[cfg(feature = "server")]
pub use staff::{
    accept_invitation, bind_locations, bind_locations_in, change_role, change_role_in, invitation_preview, invite,
    invite_vendor_staff, list_staff, owns_vendor, resend_invitation, revoke_invitation, revoke_invitation_in,
    set_active, set_active_in, staff_page, vendor_team,
};
#[cfg(feature = "server")]
pub use tenant::{
    business_home, currency, currency_in, listed_stores, platform_overview, set_listing, set_listing_in, set_status,
    settings, settings_page, storefront, storefront_tenant, update_settings, update_settings_in, vendor_home,
};
