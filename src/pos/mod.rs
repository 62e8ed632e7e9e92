//! The till: registers, cashiers' PINs, and the documents a till makes (shifts, sales, returns,
//! cash movements, customers), which reach the books exactly once however often they are sent.
//!
//! A till works for days without a connection. Everything it makes gets an id made on the
//! device and, for a sale or a return, a receipt number of the register's own (`R01-000057`),
//! and waits in the browser until it is sent to [`sync::receive`]. The wire form of those
//! documents, the rules that check them and the figures of a return live here, plain, so that
//! the till in the browser and the server run the same code; what reads and writes Postgres
//! sits in the submodules behind the `server` feature.

mod checks;
mod document;
mod figures;

#[cfg(feature = "server")]
mod book;
#[cfg(feature = "server")]
pub mod catalog;
#[cfg(feature = "server")]
pub mod pin;
#[cfg(feature = "server")]
pub mod register;
#[cfg(feature = "server")]
pub mod shift;
#[cfg(feature = "server")]
pub mod sync;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use document::{
    Batch, CashMovement, CustomerDoc, Direction, Document, ReturnDoc, ReturnLine, Sale, SaleLine, ShiftClose,
    ShiftOpen, Tender, TenderLine,
};
pub use figures::{receipt_number, return_figures, sequence_of};

use crate::base::LocationId;
use crate::orders::VatRule;
use crate::{Currency, Money};

/// The most documents one batch may carry.
pub const MOST_DOCUMENTS: usize = 500;

/// The most lines a sale may carry.
pub const MOST_LINES: usize = 200;

/// What happened to a document a till sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Booked now.
    Booked,
    /// Booked when it was first sent; nothing was done this time.
    AlreadyBooked,
    /// Not booked: kept, with why, for a manager to book or set aside. Sent again, it is
    /// checked again.
    Refused,
    /// A manager looked at it and chose not to book it.
    SetAside,
}

impl Status {
    /// Whether the till may forget it: the server holds it for good, booked or decided on.
    pub fn settled(self) -> bool {
        !matches!(self, Self::Refused)
    }
}

/// The answer for one document of a batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Outcome {
    /// The document's id, as the till made it.
    pub id: Uuid,
    /// What happened.
    pub status: Status,
    /// Why it was refused (or set aside), for the cashier and the manager.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub problem: String,
    /// What it became, where that is not itself: a customer the till made whose number the
    /// business already knew joins that customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked_as: Option<Uuid>,
}

/// The answer to a batch: one outcome per document, in the order sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Receipt {
    /// Each document's outcome.
    pub outcomes: Vec<Outcome>,
}

/// Someone who may sell at a till, and whether they have a PIN.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    /// The person.
    pub id: Uuid,
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: crate::base::Role,
    /// Whether their access is live.
    pub active: bool,
    /// When their PIN was set, if it was.
    pub pin_set_at: Option<DateTime<Utc>>,
}

/// A register as the back office lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RegisterView {
    /// Its id.
    pub id: Uuid,
    /// Its name ("Till 1").
    pub name: String,
    /// Its receipts' prefix ("R01").
    pub prefix: String,
    /// The shop it stands in.
    #[cfg_attr(feature = "server", schema(value_type = Uuid))]
    pub location: LocationId,
    /// The shop's name.
    pub location_name: String,
    /// Whether a device holds its credential.
    pub enrolled: bool,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it last synced.
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Documents it sent that wait for a manager.
    pub refused: i64,
}

/// A register just added: the code its device enrols with, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewRegister {
    /// The register.
    pub register: RegisterView,
    /// The one-time code (`K7QX-2M9P`).
    pub code: String,
    /// Until when the code works.
    pub code_expires_at: DateTime<Utc>,
}

/// What a device is given when it enrols: its credential (kept in the browser, shown nowhere)
/// and the register it now is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Enrolment {
    /// The secret the device syncs with (`Authorization: Bearer …`).
    pub credential: String,
    /// The register's id.
    pub register: Uuid,
}

/// Everything a till needs to sell without a connection, or what changed of it since `since`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TillData {
    /// The moment this was read; the next request asks for what changed since.
    pub as_of: DateTime<Utc>,
    /// Whether this is everything (the till replaces what it has) or only changes.
    pub whole: bool,
    /// The register and its shop.
    pub register: TillRegister,
    /// The business's selling rules.
    pub business: TillBusiness,
    /// The products on sale (changed ones, when not whole), each with its variants; an archived
    /// product comes with `on_sale` false, for the till to drop.
    pub products: Vec<TillProduct>,
    /// Everybody who may sign in at this till, always whole (a PIN changed, a cashier
    /// deactivated): the till replaces its list.
    pub cashiers: Vec<TillCashier>,
    /// Customers (changed ones, when not whole).
    pub customers: Vec<TillCustomer>,
    /// The most sold products at this shop lately, for the till's quick tiles.
    pub favourites: Vec<Uuid>,
    /// Where more products are, when there were too many for one answer: ask again with this.
    pub more_after: Option<Uuid>,
}

/// The register, as its till shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TillRegister {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Its receipts' prefix.
    pub prefix: String,
    /// The highest receipt sequence the server has from it (a till that lost its storage
    /// carries on after it).
    pub last_sequence: i64,
    /// Its shop.
    #[cfg_attr(feature = "server", schema(value_type = Uuid))]
    pub location: LocationId,
    /// The shop's name.
    pub location_name: String,
    /// The shop's address, for receipts.
    pub address: String,
    /// The shop's phone, for receipts.
    pub phone: String,
}

/// The business, as a till sells for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TillBusiness {
    /// Its name, at the top of receipts.
    pub name: String,
    /// What it sells in.
    pub currency: Currency,
    /// Its VAT rate and whether prices include it.
    pub vat: VatRule,
    /// Its time zone, for receipts and reports.
    pub time_zone: String,
}

/// A product at the till.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TillProduct {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Its category's name.
    pub category: String,
    /// How VAT applies.
    pub tax_class: crate::catalog::TaxClass,
    /// Whether it is sold (false: the till drops it).
    pub on_sale: bool,
    /// Its variants.
    pub variants: Vec<TillVariant>,
}

/// A variant at the till.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TillVariant {
    /// Its id.
    pub id: Uuid,
    /// Its options ("M / Blue"), empty for a product without.
    pub options: String,
    /// Its SKU.
    pub sku: String,
    /// Its barcode.
    pub barcode: Option<String>,
    /// Its shelf price.
    pub price: Decimal,
    /// On hand at this shop when read (the till sells also past it).
    pub on_hand: i32,
}

/// Someone who may sign in at a till, with what their PIN is checked against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TillCashier {
    /// The person.
    pub id: Uuid,
    /// Their name.
    pub name: String,
    /// Whether they may allow discounts, other prices and returns (owner, manager).
    pub approves: bool,
    /// Their PIN's check, when they have a PIN.
    pub pin: Option<PinCheck>,
}

/// A PIN's PBKDF2-SHA256 check: the browser derives `hash` from the typed PIN with `salt` and
/// `iterations` and compares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PinCheck {
    /// The salt, base64.
    pub salt: String,
    /// PBKDF2 iterations.
    pub iterations: u32,
    /// The derived 32 bytes, base64.
    pub hash: String,
}

/// A customer at the till.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TillCustomer {
    /// Their id.
    pub id: Uuid,
    /// Their name.
    pub name: String,
    /// Their mobile number (`+234…`).
    pub phone: Option<String>,
    /// Their email.
    pub email: Option<String>,
    /// Erased at their request: the till forgets them.
    #[serde(default)]
    pub gone: bool,
}

/// One tender's figures in a shift's report: what the documents say it should hold, and what
/// was counted at the close.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TenderTotal {
    /// The tender.
    pub tender: Tender,
    /// Taken by sales.
    pub taken: Decimal,
    /// Given back by returns.
    pub refunded: Decimal,
    /// What it should hold: for cash, the float, what sales took less change, cash put in and
    /// taken out, and refunds; for the others, taken less refunded.
    pub expected: Decimal,
    /// What was counted at the close.
    pub counted: Option<Decimal>,
}

impl TenderTotal {
    /// Counted less expected: above zero is over, below is short.
    pub fn difference(&self) -> Option<Decimal> {
        self.counted.map(|c| c - self.expected)
    }
}

/// A shift's report: the X report while it is open, the Z report once closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ShiftReport {
    /// The shift.
    pub id: Uuid,
    /// The register.
    pub register: String,
    /// The shop.
    pub location_name: String,
    /// Who opened it.
    pub opened_by: String,
    /// When.
    pub opened_at: DateTime<Utc>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// When.
    pub closed_at: Option<DateTime<Utc>>,
    /// The float it opened with.
    pub opening_float: Money,
    /// Sales booked in it.
    pub sales: i64,
    /// Returns booked in it.
    pub returns: i64,
    /// What the sales came to.
    pub sales_total: Money,
    /// What the returns gave back.
    pub returns_total: Money,
    /// VAT in the sales, less that in the returns.
    pub vat: Money,
    /// Cash put into the drawer.
    pub cash_in: Money,
    /// Cash taken out.
    pub cash_out: Money,
    /// Each tender's figures.
    pub tenders: Vec<TenderTotal>,
    /// Notes and coins counted at the close, largest first.
    pub denominations: Vec<Denomination>,
    /// The cashier's note at the close.
    pub close_note: String,
    /// Cash put in and taken out, in the order it happened.
    #[serde(default)]
    pub movements: Vec<CashMovementView>,
}

/// Cash put into or taken out of a drawer, as a shift's report lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CashMovementView {
    /// In or out.
    pub direction: Direction,
    /// How much.
    pub amount: Money,
    /// Why.
    pub reason: String,
    /// Who.
    pub by: String,
    /// When (the till's clock).
    pub at: DateTime<Utc>,
}

/// How many of one note or coin were counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Denomination {
    /// Its face value.
    pub face: Decimal,
    /// How many.
    pub count: i64,
}

/// A shift in the back office's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ShiftSummary {
    /// The shift.
    pub id: Uuid,
    /// The register.
    pub register: String,
    /// The shop.
    pub location_name: String,
    /// Who opened it.
    pub opened_by: String,
    /// When.
    pub opened_at: DateTime<Utc>,
    /// When it closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Sales booked in it.
    pub sales: i64,
    /// What they came to, less returns.
    pub takings: Money,
    /// Cash counted less expected, once closed.
    pub cash_difference: Option<Money>,
}

/// A till's sale found by its receipt number, for goods brought back to another till of the
/// business: its lines as sold, with what came back of each already.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SoldReceipt {
    /// The sale's id (the order's), which a return names.
    pub sale: Uuid,
    /// Its receipt number.
    pub receipt: String,
    /// Its lines, by position.
    pub lines: Vec<SoldLine>,
}

/// A line of a sale found by its receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SoldLine {
    /// Its position, from 0.
    pub position: i32,
    /// What was sold.
    pub name: String,
    /// How many.
    pub quantity: i32,
    /// Brought back already.
    pub returned: i32,
    /// The line's VAT as charged.
    pub vat: Decimal,
    /// The line's total as charged.
    pub total: Decimal,
}

/// A document a till sent that the server refused, as a manager sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Waiting {
    /// The document's id.
    pub id: Uuid,
    /// Its kind (`sale`, `shift_open`…).
    pub kind: String,
    /// The register that sent it.
    pub register: String,
    /// Its receipt number, for a sale or a return.
    pub receipt: Option<String>,
    /// What it came to, for a sale or a return.
    pub total: Option<Money>,
    /// Who made it.
    pub cashier: String,
    /// When it was made (the till's clock).
    pub made_at: DateTime<Utc>,
    /// When it first arrived.
    pub received_at: DateTime<Utc>,
    /// Why it was refused.
    pub problem: String,
    /// Its status: refused, or set aside (with the manager's reason in `problem`'s place).
    pub status: Status,
}
