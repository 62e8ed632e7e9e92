//! The SC-1 Commerce Suite domain.
//!
//! One module per capability. The plain types (ids, money, views) compile everywhere, the
//! browser included; everything that reads or writes Postgres sits behind the `server` feature.

pub mod audit;
pub mod base;
pub mod catalog;
pub mod dashboard;
pub mod files;
pub mod identity;
pub mod inventory;
pub mod marketplace;
pub mod orders;
pub mod pos;
pub mod reviews;

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

pub use base::{Clash, Currency, Error, Money};
