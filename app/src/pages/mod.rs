//! One module per surface; each page composes the shared components.

mod admin;
mod landing;
mod pos;
mod store;
mod vendor;

pub use admin::AdminHome;
pub use landing::Landing;
pub use pos::PosHome;
pub use store::StorefrontHome;
pub use vendor::VendorHome;
