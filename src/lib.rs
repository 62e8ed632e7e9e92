//! The SC-1 Commerce Suite domain.
//!
//! One module per capability. The plain types (ids, money, views) compile everywhere, the
//! browser included; everything that reads or writes Postgres sits behind the `server` feature.

pub mod audit;
pub mod catalog;
pub mod error;
pub mod identity;
pub mod inventory;
pub mod money;
pub mod page;

#[cfg(feature = "server")]
pub mod db;
#[cfg(feature = "server")]
pub mod demo;
#[cfg(feature = "server")]
pub mod idempotency;
#[cfg(feature = "server")]
pub mod mail;
#[cfg(feature = "server")]
pub mod media;
#[cfg(feature = "server")]
pub mod secrets;
#[cfg(feature = "server")]
pub mod sweep;
#[cfg(feature = "server")]
pub mod throttle;

pub use error::{Clash, Error};
pub use money::{Currency, Money};
