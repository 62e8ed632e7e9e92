//! Orders: what they cost and the life they lead. These parts are plain rules, the same in the
//! browser and on the server; placing, paying and working orders build on them.

pub mod pricing;
pub mod status;

pub use pricing::{LineInput, LineTotals, Totals, VatRule, price};
pub use status::{Fulfilment, OrderStatus, Settlement};
