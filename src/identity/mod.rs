//! Who the suite serves: tenants (one business each) and their locations.
//!
//! Staff, shoppers, vendors, sessions and roles join this module with access control.

mod location;
mod tenant;

pub use location::{Location, LocationId, LocationKind, ShopChoice};
pub use tenant::{PlatformOverview, Storefront, TenantId, TenantMode, TenantStatus, TenantSummary};

#[cfg(feature = "server")]
pub use location::shops_for_registers;
#[cfg(feature = "server")]
pub use tenant::{platform_overview, storefront};
