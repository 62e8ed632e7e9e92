//! Server functions: thin adapters from a page to one domain function each.

mod platform;
mod registers;
mod storefront;

pub use platform::load_platform_overview;
pub use registers::load_register_shops;
pub use storefront::load_storefront;

/// The database handed to every request by the server.
#[cfg(feature = "ssr")]
fn db() -> Result<commerce::db::Db, crate::AppError> {
    leptos::prelude::use_context::<commerce::db::Db>().ok_or_else(|| {
        tracing::error!("no database in the request context");
        crate::AppError::Domain(commerce::Error::Internal)
    })
}
