//! The SC-1 Commerce Suite server: one axum router for the pages, the server functions, the REST
//! API under `/api/v1`, the static files, health checks and metrics.

// Deeply nested pages have deeply nested view types; the default limit (128) is too low for them.
#![recursion_limit = "256"]

pub mod config;
pub mod dispute_files;
pub mod exports;
pub mod forms;
pub mod guard;
pub mod health;
pub mod live;
pub mod media;
pub mod observe;
pub mod rest;
pub mod sitemap;
pub mod startup;
pub mod store_pages;
pub mod telemetry;
pub mod vendor_files;
pub mod worker;

pub use startup::{AppState, router};
