//! The base every other module stands on, and which stands on nothing of the crate's: the
//! tenancy's ids, who is acting and where their work reaches (actor, role, permission, scope),
//! money, phone numbers, the one error type and the one page of a list.
//!
//! Modules are layered, each using only those below it (`docs/ARCHITECTURE.md` lists the order;
//! `tests/layers.rs` holds the code to it), so nothing here may name another module.

mod access;
pub mod clock;
pub mod error;
mod ids;
pub mod money;
pub mod page;
pub mod phone;
pub mod sheet;

pub use access::{Access, Actor, ApiModule, ApiScope, Permission, Role, Scope, Shops, StaffMember};
pub use clock::Zone;
pub use error::{Clash, Error};
pub use ids::{LocationId, TenantId, VendorId};
pub use money::{Currency, Money};
