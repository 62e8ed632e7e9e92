//! The documents a till makes, as they travel. What can be checked of each without the
//! database is in `checks`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::MOST_DOCUMENTS;
use crate::Currency;
use crate::catalog::TaxClass;
use crate::orders::{LineInput, Totals, VatRule, price};

/// What a till sends at once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Batch {
    /// The documents, in the order they depend on each other: customers and shifts before the
    /// sales in them, sales before their returns, a shift's close last.
    pub documents: Vec<Document>,
}

/// A document made on a till. Its `id` is made on the device (a UUID v7) and is what makes
/// sending it again harmless.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Document {
    /// A customer created at the till.
    Customer(CustomerDoc),
    /// A shift opened with a float.
    ShiftOpen(ShiftOpen),
    /// Cash put into or taken from the drawer.
    CashMovement(CashMovement),
    /// A sale.
    Sale(Sale),
    /// Goods brought back against a receipt.
    Return(ReturnDoc),
    /// A shift closed with a count.
    ShiftClose(ShiftClose),
}

/// A customer created at the till.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CustomerDoc {
    /// Made on the till.
    pub id: Uuid,
    /// When (the till's clock).
    pub made_at: DateTime<Utc>,
    /// Who made it.
    pub cashier: Uuid,
    /// Their name.
    pub name: String,
    /// Their mobile number, as typed.
    pub phone: String,
    /// Their email, if given.
    #[serde(default)]
    pub email: Option<String>,
}

/// A shift opened with a float.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ShiftOpen {
    /// Made on the till; sales of the shift name it.
    pub id: Uuid,
    /// When.
    pub made_at: DateTime<Utc>,
    /// Who opened it.
    pub cashier: Uuid,
    /// The cash in the drawer at the start.
    pub float: Decimal,
}

/// Into the drawer, or out of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Put in (change brought from the bank).
    In,
    /// Taken out (a banking run, a petty expense).
    Out,
}

impl Direction {
    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::In => "in",
            Self::Out => "out",
        }
    }
}

/// Cash put into or taken from the drawer during a shift.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CashMovement {
    /// Made on the till.
    pub id: Uuid,
    /// When.
    pub made_at: DateTime<Utc>,
    /// Who.
    pub cashier: Uuid,
    /// The shift.
    pub shift: Uuid,
    /// In or out.
    pub direction: Direction,
    /// How much.
    pub amount: Decimal,
    /// Why.
    pub reason: String,
}

/// How money changes hands at a till.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Tender {
    /// Notes and coins; change is given.
    Cash,
    /// A card on the shop's own terminal (its slip's reference).
    Card,
    /// A bank transfer to the business (its reference).
    Transfer,
    /// Mobile money (its reference).
    MobileMoney,
    /// The value of goods brought back, in an exchange.
    Exchange,
}

impl Tender {
    /// Every tender, in the order a till offers them.
    pub const ALL: [Self; 5] = [Self::Cash, Self::Card, Self::Transfer, Self::MobileMoney, Self::Exchange];

    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Cash => "cash",
            Self::Card => "card",
            Self::Transfer => "transfer",
            Self::MobileMoney => "mobile_money",
            Self::Exchange => "exchange",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// What a cashier calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Cash => "Cash",
            Self::Card => "Card",
            Self::Transfer => "Bank transfer",
            Self::MobileMoney => "Mobile money",
            Self::Exchange => "Exchange",
        }
    }

    /// Whether it comes with a reference to find it by (a slip, a transfer's).
    pub fn needs_reference(self) -> bool {
        matches!(self, Self::Card | Self::Transfer | Self::MobileMoney)
    }
}

/// One tender of a sale or a return.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TenderLine {
    /// How.
    pub tender: Tender,
    /// How much of the document it pays (or gives back).
    pub amount: Decimal,
    /// Cash handed over, when more than the amount (the rest was change).
    #[serde(default)]
    pub tendered: Option<Decimal>,
    /// The slip's or transfer's reference.
    #[serde(default)]
    pub reference: String,
}

impl TenderLine {
    /// The change given: what was handed over less the amount.
    pub fn change(&self) -> Decimal {
        self.tendered.map_or(Decimal::ZERO, |t| t - self.amount)
    }
}

/// A line of a sale, as the till rang it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SaleLine {
    /// The variant.
    pub variant: Uuid,
    /// Its name as the receipt printed it.
    pub name: String,
    /// Its SKU.
    pub sku: String,
    /// How many.
    pub quantity: i32,
    /// The unit price charged.
    pub unit_price: Decimal,
    /// The shelf's unit price at the time.
    pub shelf_price: Decimal,
    /// Taken off the whole line.
    #[serde(default)]
    pub discount: Decimal,
    /// How VAT applied.
    pub tax_class: TaxClass,
    /// The manager who allowed another price or a discount.
    #[serde(default)]
    pub approved_by: Option<Uuid>,
}

impl SaleLine {
    /// Whether the line needed a manager: sold at another price than the shelf's, or with a
    /// discount.
    pub fn needs_approval(&self) -> bool {
        self.unit_price != self.shelf_price || self.discount > Decimal::ZERO
    }
}

/// A sale rung up at a till.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Sale {
    /// Made on the till; it becomes the order's id.
    pub id: Uuid,
    /// When.
    pub made_at: DateTime<Utc>,
    /// Who rang it.
    pub cashier: Uuid,
    /// The shift.
    pub shift: Uuid,
    /// Its receipt number (`R01-000057`).
    pub receipt: String,
    /// The customer, when one was attached.
    #[serde(default)]
    pub customer: Option<Uuid>,
    /// The currency the till sold in.
    pub currency: Currency,
    /// The VAT rule the till priced by.
    pub vat: VatRule,
    /// The lines.
    pub lines: Vec<SaleLine>,
    /// How it was paid.
    pub tenders: Vec<TenderLine>,
    /// What the till charged.
    pub total: Decimal,
}

impl Sale {
    /// The sale's figures, by the one pricing rule.
    pub fn totals(&self) -> Result<Totals, String> {
        let inputs: Vec<LineInput> = self
            .lines
            .iter()
            .map(|l| LineInput {
                unit_price: l.unit_price,
                quantity: l.quantity,
                discount: l.discount,
                tax_class: l.tax_class,
            })
            .collect();
        price(&inputs, Decimal::ZERO, self.vat, self.currency).map_err(|e| e.to_string())
    }
}

/// A line brought back: the sale's line (by its position) and how many of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReturnLine {
    /// The sale's line, from 0.
    pub position: i32,
    /// Units brought back.
    pub quantity: i32,
}

/// Goods brought back against a receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReturnDoc {
    /// Made on the till.
    pub id: Uuid,
    /// When.
    pub made_at: DateTime<Utc>,
    /// Who took them back.
    pub cashier: Uuid,
    /// The shift.
    pub shift: Uuid,
    /// Its own receipt number.
    pub receipt: String,
    /// The sale (its id, which is the order's).
    pub sale: Uuid,
    /// What came back.
    pub lines: Vec<ReturnLine>,
    /// How the money went back.
    pub tenders: Vec<TenderLine>,
    /// What the till gave back.
    pub total: Decimal,
    /// Why.
    #[serde(default)]
    pub reason: String,
    /// The manager who allowed it, when the cashier may not alone.
    #[serde(default)]
    pub approved_by: Option<Uuid>,
}

/// A shift closed with a count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ShiftClose {
    /// Made on the till.
    pub id: Uuid,
    /// When.
    pub made_at: DateTime<Utc>,
    /// Who closed it.
    pub cashier: Uuid,
    /// The shift.
    pub shift: Uuid,
    /// Notes and coins counted: face value ("1000") to how many.
    pub denominations: BTreeMap<String, i64>,
    /// Each tender's counted amount (cash: the notes and coins' sum).
    pub counted: BTreeMap<Tender, Decimal>,
    /// The cashier's note.
    #[serde(default)]
    pub note: String,
}

impl Batch {
    /// Refuses a batch that is wrong as a whole, before any document is read: empty, too long,
    /// or with a document twice.
    pub fn check(&self) -> Result<(), String> {
        if self.documents.is_empty() || self.documents.len() > MOST_DOCUMENTS {
            return Err(format!("a batch carries from 1 to {MOST_DOCUMENTS} documents"));
        }
        let mut ids: Vec<Uuid> = self.documents.iter().map(Document::id).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return Err("a document is in the batch twice; send each once".to_owned());
        }
        Ok(())
    }
}

impl Document {
    /// The id the till made.
    pub fn id(&self) -> Uuid {
        match self {
            Self::Customer(d) => d.id,
            Self::ShiftOpen(d) => d.id,
            Self::CashMovement(d) => d.id,
            Self::Sale(d) => d.id,
            Self::Return(d) => d.id,
            Self::ShiftClose(d) => d.id,
        }
    }

    /// When it was made, by the till's clock.
    pub fn made_at(&self) -> DateTime<Utc> {
        match self {
            Self::Customer(d) => d.made_at,
            Self::ShiftOpen(d) => d.made_at,
            Self::CashMovement(d) => d.made_at,
            Self::Sale(d) => d.made_at,
            Self::Return(d) => d.made_at,
            Self::ShiftClose(d) => d.made_at,
        }
    }

    /// Who made it.
    pub fn cashier(&self) -> Uuid {
        match self {
            Self::Customer(d) => d.cashier,
            Self::ShiftOpen(d) => d.cashier,
            Self::CashMovement(d) => d.cashier,
            Self::Sale(d) => d.cashier,
            Self::Return(d) => d.cashier,
            Self::ShiftClose(d) => d.cashier,
        }
    }

    /// The stored name of its kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Customer(_) => "customer",
            Self::ShiftOpen(_) => "shift_open",
            Self::CashMovement(_) => "cash_movement",
            Self::Sale(_) => "sale",
            Self::Return(_) => "return",
            Self::ShiftClose(_) => "shift_close",
        }
    }

    /// Its place in the order documents are booked in: what others name comes first.
    pub fn rank(&self) -> u8 {
        match self {
            Self::Customer(_) => 0,
            Self::ShiftOpen(_) => 1,
            Self::CashMovement(_) => 2,
            Self::Sale(_) => 3,
            Self::Return(_) => 4,
            Self::ShiftClose(_) => 5,
        }
    }

    /// The shift it belongs to (a shift's opening is its own).
    pub fn shift(&self) -> Option<Uuid> {
        match self {
            Self::Customer(_) => None,
            Self::ShiftOpen(d) => Some(d.id),
            Self::CashMovement(d) => Some(d.shift),
            Self::Sale(d) => Some(d.shift),
            Self::Return(d) => Some(d.shift),
            Self::ShiftClose(d) => Some(d.shift),
        }
    }

    /// Its receipt number, for a sale or a return.
    pub fn receipt(&self) -> Option<&str> {
        match self {
            Self::Sale(d) => Some(&d.receipt),
            Self::Return(d) => Some(&d.receipt),
            _ => None,
        }
    }
}
