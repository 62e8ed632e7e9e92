//! Stock: one level per variant and location (on hand, reserved, available, reorder point),
//! the ledger of movements behind every change, reservations that never oversell, alerts,
//! receipts, transfers between locations and stock counts.

#[cfg(feature = "server")]
pub mod count;
#[cfg(feature = "server")]
pub(crate) mod ledger;
#[cfg(feature = "server")]
pub mod levels;
#[cfg(feature = "server")]
pub mod reserve;
#[cfg(feature = "server")]
pub mod stock;
#[cfg(feature = "server")]
pub mod sync;
#[cfg(feature = "server")]
pub mod transfer;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Money;
use crate::base::LocationId;
use crate::catalog::{ProductId, VariantId};

/// The most units one line may move at once: an adjustment, a line of a receipt or transfer, a
/// hold, a movement in a sync batch (a typo guard as much as a limit).
pub const MAX_UNITS: i32 = 1_000_000;

/// The most units a level may hold, and (negated) the furthest below zero a till's offline sales
/// may take it. Twice this still fits an `i32`, so on-hand plus any one movement can always be
/// computed; a movement that would pass it is refused, never wrapped round.
pub const MAX_ON_HAND: i32 = 1_000_000_000;

/// The most lines one receipt or transfer, and the most items one sync batch, may carry: each is
/// applied in one transaction, which should stay short.
pub const MAX_LINES: usize = 500;

/// Why stock moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MovementReason {
    /// Goods arrived from a supplier.
    Receipt,
    /// Sold (online or at a till).
    Sale,
    /// A customer brought goods back.
    Return,
    /// Corrected by hand, with a note (damaged, expired, found…).
    Adjustment,
    /// Sent to another location.
    TransferOut,
    /// Arrived from another location.
    TransferIn,
    /// The difference a stock count found.
    Count,
}

impl MovementReason {
    /// Every reason.
    pub const ALL: [Self; 7] =
        [Self::Receipt, Self::Sale, Self::Return, Self::Adjustment, Self::TransferOut, Self::TransferIn, Self::Count];

    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::Sale => "sale",
            Self::Return => "return",
            Self::Adjustment => "adjustment",
            Self::TransferOut => "transfer_out",
            Self::TransferIn => "transfer_in",
            Self::Count => "count",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Receipt => "Received",
            Self::Sale => "Sold",
            Self::Return => "Returned",
            Self::Adjustment => "Adjusted",
            Self::TransferOut => "Sent",
            Self::TransferIn => "Arrived",
            Self::Count => "Counted",
        }
    }
}

/// The stock of one variant at one location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLevel {
    /// The variant.
    pub variant: VariantId,
    /// Its product.
    pub product: ProductId,
    /// The product's name.
    pub product_name: String,
    /// "L / Black", or "Default".
    pub variant_title: String,
    /// The variant's SKU.
    pub sku: String,
    /// The location.
    pub location: LocationId,
    /// The location's name.
    pub location_name: String,
    /// Units physically there.
    pub on_hand: i32,
    /// Units held for buyers who have not paid yet.
    pub reserved: i32,
    /// Units that can still be sold: on hand less reserved.
    pub available: i32,
    /// At or below this many available, a low-stock alert is raised (0: never).
    pub reorder_point: i32,
    /// How many to order when it is.
    pub reorder_quantity: i32,
}

/// Whether stock is low: a reorder point is set and what can be sold has fallen to it. The
/// database decides the same in `stock_is_low()` (its alerts and the stock list's filter go by
/// it); a test holds the two together.
pub fn is_low(available: i32, reorder_point: i32) -> bool {
    reorder_point > 0 && available <= reorder_point
}

impl StockLevel {
    /// Whether this level is low (see [`is_low`]).
    pub fn low(&self) -> bool {
        is_low(self.available, self.reorder_point)
    }
}

/// What the stock list asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelQuery {
    /// Only this location.
    pub location: Option<LocationId>,
    /// Only this variant.
    pub variant: Option<VariantId>,
    /// Only SKUs or product names like this.
    pub search: Option<String>,
    /// Only levels at or below their reorder point.
    pub low_only: bool,
}

/// One entry of the ledger.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Movement {
    /// Its id.
    pub id: Uuid,
    /// When.
    pub at: DateTime<Utc>,
    /// The variant.
    pub variant: VariantId,
    /// Its SKU.
    pub sku: String,
    /// Where.
    pub location: LocationId,
    /// The location's name.
    pub location_name: String,
    /// Units in (positive) or out (negative).
    pub quantity: i32,
    /// On hand right after.
    pub on_hand_after: i32,
    /// Why.
    pub reason: MovementReason,
    /// The receipt, transfer, count or order behind it, as people name it ("receipt R-0042",
    /// "transfer from Ikeja GRA to Lekki Phase 1").
    pub reference: String,
    /// The page of the document behind it, when it has one.
    pub document: Option<String>,
    /// The unit cost, for receipts.
    pub unit_cost: Option<Money>,
    /// A person's note.
    pub note: String,
    /// Who.
    pub actor: String,
}

/// Low stock, or stock below zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlertKind {
    /// Available at or below the reorder point.
    Low,
    /// On hand below zero (a sale made offline at a till took the last units).
    Oversold,
}

impl AlertKind {
    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Oversold => "oversold",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Low, Self::Oversold].into_iter().find(|k| k.code() == code)
    }
}

/// A stock alert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// Its id.
    pub id: Uuid,
    /// Low or oversold.
    pub kind: AlertKind,
    /// The variant.
    pub variant: VariantId,
    /// Its product.
    pub product: ProductId,
    /// "Product — variant".
    pub item: String,
    /// Its SKU.
    pub sku: String,
    /// Where.
    pub location: LocationId,
    /// Its name.
    pub location_name: String,
    /// Available when it was raised.
    pub available_then: i32,
    /// Available now.
    pub available_now: i32,
    /// The reorder point and quantity now.
    pub reorder: (i32, i32),
    /// When it was raised.
    pub raised_at: DateTime<Utc>,
    /// When stock came back, if it has.
    pub resolved_at: Option<DateTime<Utc>>,
}

/// A line of a receipt, transfer or count: a variant and a number of units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// The variant.
    pub variant: VariantId,
    /// Units.
    pub quantity: i32,
}

/// Goods arriving at a location.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptInput {
    /// Where they arrived.
    pub location: LocationId,
    /// Who sent them.
    pub supplier: String,
    /// The supplier's delivery note or invoice number.
    pub reference: String,
    /// What arrived, with the unit cost of each.
    pub lines: Vec<(Line, Decimal)>,
}

/// What needs a look in the stock (see [`levels::summary`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockSummary {
    /// Items (per location) at or under their reorder point with some still available.
    pub low: i64,
    /// Items (per location) with an open alert and nothing available.
    pub out: i64,
    /// Transfers sent and not yet received.
    pub in_transit: i64,
    /// Transfers drafted and not yet sent.
    pub drafts: i64,
    /// Stock counts under way.
    pub counts: i64,
}

/// A receipt as the receipts page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// Its id.
    pub id: Uuid,
    /// Its number, as people say it: `R-0042`.
    pub number: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Where.
    pub location_name: String,
    /// From whom.
    pub supplier: String,
    /// Their reference.
    pub reference: String,
    /// Lines.
    pub lines: i64,
    /// Units.
    pub units: i64,
    /// What it cost.
    pub total_cost: Money,
    /// Who received it.
    pub actor: String,
    /// Whether it was voided (its stock taken back out).
    pub voided: bool,
}

/// A receipt with its lines, as its own page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptDetail {
    /// The receipt as lists show it.
    pub receipt: Receipt,
    /// Where the goods arrived.
    pub location: LocationId,
    /// What arrived.
    pub lines: Vec<ReceiptLine>,
    /// When, by whom and why it was voided.
    pub voided: Option<(DateTime<Utc>, String, String)>,
}

/// One item of a receipt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptLine {
    /// The variant.
    pub variant: VariantId,
    /// Its SKU.
    pub sku: String,
    /// Its product's name and the variant's title.
    pub name: String,
    /// Units that arrived.
    pub quantity: i32,
    /// What each cost.
    pub unit_cost: Money,
}

/// What booking a receipt did, as the form that booked it reports (and a second press of the
/// same form answers again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Received {
    /// The receipt's id.
    pub id: Uuid,
    /// Its number: `R-0042`.
    pub number: String,
    /// Units booked in.
    pub units: i64,
    /// What arrived, as "12 × Peak Milk 400 g" for one item or "3 items" for several.
    pub summary: String,
}

/// A receipt's number as people say and write it: `R-0042`.
pub fn receipt_number(number: i64) -> String {
    format!("R-{number:04}")
}

/// Where a transfer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferStatus {
    /// Being prepared; no stock has moved.
    Draft,
    /// On its way: stock has left the sending location.
    Sent,
    /// Arrived: what came has been added at the receiving location.
    Received,
    /// Called off before it was sent.
    Cancelled,
}

impl TransferStatus {
    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::Received => "received",
            Self::Cancelled => "cancelled",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Draft, Self::Sent, Self::Received, Self::Cancelled].into_iter().find(|s| s.code() == code)
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Sent => "On its way",
            Self::Received => "Received",
            Self::Cancelled => "Cancelled",
        }
    }

    /// The one table of allowed moves: draft → sent → received, and draft → cancelled.
    pub fn may_become(self, next: Self) -> bool {
        matches!((self, next), (Self::Draft, Self::Sent | Self::Cancelled) | (Self::Sent, Self::Received))
    }
}

/// A line of a transfer as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferLine {
    /// The variant.
    pub variant: VariantId,
    /// "Product — variant".
    pub item: String,
    /// Its SKU.
    pub sku: String,
    /// Units sent.
    pub quantity: i32,
    /// Units that arrived, once received.
    pub received: Option<i32>,
}

/// A transfer between two locations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// Its id.
    pub id: Uuid,
    /// From where.
    pub from: LocationId,
    /// Its name.
    pub from_name: String,
    /// To where.
    pub to: LocationId,
    /// Its name.
    pub to_name: String,
    /// Where it is.
    pub status: TransferStatus,
    /// A note for the people at both ends.
    pub note: String,
    /// Who made it.
    pub created_by: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it left.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it arrived.
    pub received_at: Option<DateTime<Utc>>,
    /// What it carries.
    pub lines: Vec<TransferLine>,
}

/// Where a stock count is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CountStatus {
    /// Being counted.
    Open,
    /// Approved: its differences are in the ledger.
    Approved,
    /// Abandoned.
    Cancelled,
}

impl CountStatus {
    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Approved => "approved",
            Self::Cancelled => "cancelled",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Open, Self::Approved, Self::Cancelled].into_iter().find(|s| s.code() == code)
    }
}

/// A line of a count sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountLine {
    /// The variant.
    pub variant: VariantId,
    /// "Product — variant".
    pub item: String,
    /// Its SKU.
    pub sku: String,
    /// What the books said when the count began.
    pub expected: i32,
    /// What was counted, once entered.
    pub counted: Option<i32>,
}

impl CountLine {
    /// Counted less expected, once counted.
    pub fn variance(&self) -> Option<i32> {
        self.counted.map(|c| c - self.expected)
    }
}

/// A stock count at one location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockCount {
    /// Its id.
    pub id: Uuid,
    /// Where.
    pub location: LocationId,
    /// Its name.
    pub location_name: String,
    /// Where it is.
    pub status: CountStatus,
    /// A note.
    pub note: String,
    /// Who began it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When it was approved.
    pub approved_at: Option<DateTime<Utc>>,
    /// The sheet.
    pub lines: Vec<CountLine>,
}

/// Units held for a buyer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    /// Its id.
    pub id: Uuid,
    /// The variant.
    pub variant: VariantId,
    /// Where the units are held.
    pub location: LocationId,
    /// How many.
    pub quantity: i32,
    /// When the hold lapses unless committed.
    pub expires_at: DateTime<Utc>,
}

/// Documents read together by id, put back in the order of `ids` (those not found left out).
#[cfg(feature = "server")]
fn in_order<T>(ids: &[uuid::Uuid], found: Vec<T>, id: impl Fn(&T) -> uuid::Uuid) -> Vec<T> {
    let mut by_id: std::collections::HashMap<uuid::Uuid, T> = found.into_iter().map(|d| (id(&d), d)).collect();
    ids.iter().filter_map(|i| by_id.remove(i)).collect()
}

/// One line of a receipt or transfer as people type it: a SKU or barcode, units, and (for
/// receipts) the unit cost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypedLine {
    /// The SKU or barcode as typed.
    pub code: String,
    /// Units.
    pub quantity: i32,
    /// The unit cost, when asked for.
    pub unit_cost: Option<Decimal>,
}

/// Reads lines such as `PEAK-400 24 3100`, one item a line; blank lines are skipped. With
/// `costs`, each line needs a unit cost, written as people write amounts (`7,000`, `₦7,000`,
/// `₦ 3,100.50`). The columns are what a spreadsheet pastes (tabs), or spaces; a line with
/// neither is read as comma-separated (`PEAK-400,24,3100`), and a comma just after a column
/// (`PEAK-400, 24, 3,100`) is taken as its separator. The error names the line.
pub fn parse_lines(text: &str, costs: bool) -> Result<Vec<TypedLine>, crate::Error> {
    let mut lines = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let words = columns(raw);
        if words.is_empty() {
            continue;
        }
        let wrong = |what: &str| crate::Error::invalid("lines", format!("line {}: {what}", n + 1));
        if raw.contains('\0') {
            return Err(wrong(crate::base::error::NUL_MESSAGE));
        }
        let expected = if costs {
            "write the SKU, the units and the unit cost, e.g. PEAK-400 24 3100"
        } else {
            "write the SKU and the units, e.g. PEAK-400 24"
        };
        // The cost may have been written with a space after the currency sign: "₦ 7,000".
        let (code, quantity, cost) = match (words.as_slice(), costs) {
            ([code, quantity], false) => (*code, *quantity, None),
            ([code, quantity, cost @ ..], true) if (1..=2).contains(&cost.len()) => {
                (*code, *quantity, Some(cost.concat()))
            }
            _ => return Err(wrong(expected)),
        };
        let quantity: i32 = quantity
            .replace(',', "")
            .parse()
            .ok()
            .filter(|q| (1..=MAX_UNITS).contains(q))
            .ok_or_else(|| wrong("the units must be a whole number from 1 to 1,000,000"))?;
        let unit_cost = match cost {
            Some(cost) => Some(
                crate::catalog::parse_price(&cost, "lines")
                    .map_err(|_| wrong("the unit cost must be an amount such as 3100 or 3,100.50"))?,
            ),
            None => None,
        };
        lines.push(TypedLine { code: code.to_owned(), quantity, unit_cost });
        if lines.len() > MAX_LINES {
            return Err(crate::Error::invalid("lines", format!("at most {MAX_LINES} lines at a time")));
        }
    }
    if lines.is_empty() {
        return Err(crate::Error::invalid("lines", "add at least one line"));
    }
    Ok(lines)
}

/// The columns of a typed line: split at tabs when it has any (a spreadsheet's paste), else at
/// spaces, else at commas; a comma ending a column is its separator, not part of it.
fn columns(line: &str) -> Vec<&str> {
    let words: Vec<&str> = if line.contains('\t') {
        line.split('\t').map(str::trim).collect()
    } else if line.trim().contains(char::is_whitespace) {
        line.split_whitespace().collect()
    } else {
        line.split(',').map(str::trim).collect()
    };
    words.into_iter().map(|w| w.trim_end_matches([',', ';'])).filter(|w| !w.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_lines_are_read_and_a_bad_one_is_named() {
        let lines = parse_lines("PEAK-400 24 3100\n\nMILO-500\t6\t2500.50", true).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].unit_cost, Some(Decimal::new(250_050, 2)));
        // Amounts as people write them, in every way a line's columns are written.
        for typed in [
            "PEAK-400 24 7,000",
            "PEAK-400 24 ₦7,000",
            "PEAK-400 24 ₦ 7,000",
            "PEAK-400  24  7,000.00",
            "PEAK-400\t24\t₦7,000",
            "PEAK-400, 24, 7,000",
            "PEAK-400,24,7000",
        ] {
            let line = &parse_lines(typed, true).unwrap_or_else(|e| panic!("{typed}: {e:?}"))[0];
            assert_eq!(
                (line.code.as_str(), line.quantity, line.unit_cost),
                ("PEAK-400", 24, Some(Decimal::from(7000))),
                "{typed}"
            );
        }
        assert_eq!(parse_lines("RICE-5 1,200 9500", true).unwrap()[0].quantity, 1200);
        assert!(parse_lines("PEAK-400 24 7 000 extra", true).is_err(), "a line with too many columns is refused");
        match parse_lines("PEAK-400 24\nMILO-500 lots", false) {
            Err(crate::Error::Invalid { message, .. }) => assert!(message.starts_with("line 2:"), "{message}"),
            other => panic!("{other:?}"),
        }
    }
}
