//! The marketplace: independent vendors who sell through a business's storefront. This module
//! owns who a vendor is and how it stands: the application to sell (`apply`), the operator's
//! review of it and the vendor's standing after (`vendor`), the documents that show who it is
//! (`documents`), and the bank account its money goes to (`bank`, sealed at rest).
//!
//! A vendor's standing moves by one rule, [`VendorStatus::can_move`]; a product of a vendor not
//! approved is not on sale (the database keeps `products.on_sale` by it), so suspending a
//! vendor takes its products off the storefront at once and reinstating it puts them back.

pub mod bank;

pub use crate::orders::commission;

#[cfg(feature = "server")]
pub mod apply;
#[cfg(feature = "server")]
pub mod disputes;
#[cfg(feature = "server")]
pub mod documents;
#[cfg(feature = "server")]
pub mod payouts;
#[cfg(feature = "server")]
pub mod terms;
#[cfg(feature = "server")]
pub mod transfers;
#[cfg(feature = "server")]
pub mod vendor;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Money;
use crate::base::VendorId;
use crate::catalog::CategoryId;

/// Where a vendor stands with the marketplace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum VendorStatus {
    /// Applied, waiting for the operator's review.
    Applied,
    /// The operator asked for changes; the vendor sends the application back when done.
    ChangesRequested,
    /// Sells on the marketplace.
    Approved,
    /// Refused, with a reason. Final: a seller refused applies again, as a new application.
    Rejected,
    /// Stopped from selling, with a reason: its products are off the storefront, its open orders
    /// go on.
    Suspended,
}

impl VendorStatus {
    /// Every standing, in the order a vendor passes through them.
    pub const ALL: [Self; 5] = [Self::Applied, Self::ChangesRequested, Self::Approved, Self::Rejected, Self::Suspended];

    /// The value stored and sent.
    pub fn code(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::ChangesRequested => "changes_requested",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Suspended => "suspended",
        }
    }

    /// Reads a stored or sent value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// What a person calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Applied => "Waiting for review",
            Self::ChangesRequested => "Changes requested",
            Self::Approved => "Approved",
            Self::Rejected => "Rejected",
            Self::Suspended => "Suspended",
        }
    }

    /// Whether a vendor may move from this standing to `to`, and by whom: the operator reviews
    /// (asks for changes, approves, rejects) and suspends and reinstates; the vendor only sends
    /// an application back for review after changes were asked for.
    pub fn can_move(self, to: Self, by_operator: bool) -> bool {
        use VendorStatus::{Applied, Approved, ChangesRequested, Rejected, Suspended};
        if by_operator {
            matches!(
                (self, to),
                (Applied, ChangesRequested | Approved | Rejected)
                    | (ChangesRequested, Approved | Rejected)
                    | (Approved, Suspended)
                    | (Suspended, Approved)
            )
        } else {
            matches!((self, to), (ChangesRequested, Applied))
        }
    }

    /// Whether moving here needs a reason the vendor will read: what to change, why it was
    /// refused, why it was stopped.
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::ChangesRequested | Self::Rejected | Self::Suspended)
    }

    /// What the operator's button for moving here says, from `from`.
    pub fn action_label(self, from: Self) -> &'static str {
        match (from, self) {
            (Self::Suspended, Self::Approved) => "Reinstate",
            (_, Self::Approved) => "Approve",
            (_, Self::ChangesRequested) => "Ask for changes",
            (_, Self::Rejected) => "Reject",
            (_, Self::Suspended) => "Suspend",
            (_, Self::Applied) => "Send for review",
        }
    }

    /// Whether a vendor in this standing sells.
    pub fn sells(self) -> bool {
        self == Self::Approved
    }
}

/// A vendor as the operator's list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct VendorSummary {
    /// The vendor.
    #[cfg_attr(feature = "server", schema(value_type = Uuid))]
    pub id: VendorId,
    /// Its trading name.
    pub name: String,
    /// Its page on the storefront, `/store/{store}/sellers/{slug}`.
    pub slug: String,
    /// Where it stands.
    pub status: VendorStatus,
    /// Who to speak to.
    pub contact_name: String,
    /// Its email address.
    pub email: String,
    /// Its mobile number, `+234…`.
    pub phone: String,
    /// Its town and state.
    pub city: String,
    /// Its state.
    pub state: String,
    /// Products it has in the catalog.
    pub products: i64,
    /// When it applied (or was added).
    pub created_at: DateTime<Utc>,
    /// When its standing last changed.
    pub status_at: DateTime<Utc>,
}

/// A vendor, whole: what the operator reviews and what the vendor keeps up to date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Vendor {
    /// What the list shows.
    #[serde(flatten)]
    pub summary: VendorSummary,
    /// Its address.
    pub address: String,
    /// What it sells, in its own words, shown on its page.
    pub description: String,
    /// Its registration with the Corporate Affairs Commission (`RC123456`, `BN…`).
    pub cac_number: String,
    /// Where its money goes, if set.
    pub bank_account: Option<BankAccount>,
    /// Whether its new and changed products wait for the operator's approval.
    pub moderated: bool,
    /// Why it stands where it does (the changes asked for, the reason for a refusal or a
    /// suspension); empty otherwise.
    pub status_reason: String,
    /// What the actor may do with it now: the standings the actor may move it to.
    pub moves: Vec<VendorStatus>,
    /// The documents it gave.
    pub documents: Vec<VendorDocument>,
    /// Its history and the review's conversation, oldest first.
    pub events: Vec<VendorEvent>,
}

/// A vendor's bank account as anyone is shown it: the number's last four digits only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BankAccount {
    /// The bank's code.
    pub bank_code: String,
    /// The bank's name.
    pub bank_name: String,
    /// The last four digits of the account number.
    pub last4: String,
    /// The name on the account.
    pub account_name: String,
}

/// A document a vendor gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct VendorDocument {
    /// The document.
    pub id: Uuid,
    /// What it is.
    pub kind: DocumentKind,
    /// The file's name as it was uploaded.
    pub file_name: String,
    /// `application/pdf`, `image/jpeg` or `image/png`.
    pub content_type: String,
    /// Its size.
    pub size_bytes: i32,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When.
    pub uploaded_at: DateTime<Utc>,
}

/// What a vendor's document shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum DocumentKind {
    /// The certificate of registration with the Corporate Affairs Commission.
    CacCertificate,
    /// The owner's or director's identity: a national identity card, passport or driver's
    /// licence.
    Identity,
    /// Proof of the business's address: a utility bill or a tenancy agreement.
    Address,
    /// Anything else the operator asked for.
    Other,
}

impl DocumentKind {
    /// Every kind, in the order a form offers them.
    pub const ALL: [Self; 4] = [Self::CacCertificate, Self::Identity, Self::Address, Self::Other];

    /// The value stored and sent.
    pub fn code(self) -> &'static str {
        match self {
            Self::CacCertificate => "cac_certificate",
            Self::Identity => "identity",
            Self::Address => "address",
            Self::Other => "other",
        }
    }

    /// Reads a stored or sent value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// What a person calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::CacCertificate => "CAC certificate",
            Self::Identity => "Identity (NIN slip, passport or driver's licence)",
            Self::Address => "Proof of address",
            Self::Other => "Other",
        }
    }
}

/// A step in a vendor's history: a change of standing, or a message in its review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct VendorEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// Who: a name, as the other side is shown it.
    pub who: String,
    /// Whether the operator's side wrote it (else the vendor's).
    pub by_operator: bool,
    /// The standing before, for a change of standing.
    pub from_status: Option<VendorStatus>,
    /// The standing after.
    pub to_status: Option<VendorStatus>,
    /// What was said.
    pub note: String,
}

/// A vendor's details as a form or a client sends them. Every field is text as typed; the
/// domain checks them all and names each that is wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct VendorDetails {
    /// The trading name shoppers see.
    pub name: String,
    /// Who to speak to.
    pub contact_name: String,
    /// The vendor's email address.
    pub email: String,
    /// A Nigerian mobile number.
    pub phone: String,
    /// Street and number.
    #[serde(default)]
    pub address: String,
    /// Town.
    #[serde(default)]
    pub city: String,
    /// One of the 36 states or the FCT.
    pub state: String,
    /// What it sells, in its own words.
    #[serde(default)]
    pub description: String,
    /// The CAC registration number (`RC 123456`, `BN 1234567`); may be left empty by a seller not
    /// yet registered.
    #[serde(default)]
    pub cac_number: String,
}

/// Where a vendor's money goes, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BankDetails {
    /// The bank's code, one of [`bank::BANKS`].
    pub bank_code: String,
    /// The ten-digit account number (NUBAN).
    pub account_number: String,
    /// The name on the account.
    pub account_name: String,
}

/// What the storefront's "Sell with us" form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// The business.
    pub details: VendorDetails,
    /// Where its money goes.
    pub bank: BankDetails,
    /// The password the applicant will sign in to the vendor portal with.
    pub password: String,
}

/// Which vendors a list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorFilter {
    /// Only those standing so.
    pub status: Option<VendorStatus>,
    /// Words in the name, contact, email or phone.
    pub search: Option<String>,
}

/// A vendor's page on the storefront: who it is, for shoppers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerPage {
    /// The vendor.
    pub id: VendorId,
    /// Its trading name.
    pub name: String,
    /// Its page's address under the store.
    pub slug: String,
    /// What it sells, in its own words.
    pub description: String,
    /// Its town.
    pub city: String,
    /// Its state.
    pub state: String,
    /// When it joined the marketplace.
    pub since: DateTime<Utc>,
    /// Its products on sale.
    pub products: i64,
}

/// The marketplace's terms with its vendors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Terms {
    /// The default commission: percent of the goods.
    pub commission_percent: rust_decimal::Decimal,
    /// The default commission: a fee per item.
    pub commission_flat: Money,
    /// Whether the percentage is charged on the delivery fees vendors collect too.
    pub commission_on_delivery: bool,
    /// Days after delivery before a vendor may withdraw the money of a sale.
    pub payout_hold_days: i32,
    /// The least a payout may be.
    pub payout_minimum: Money,
    /// The day of the week payouts run by themselves (1 is Monday), if they do.
    #[serde(default)]
    pub payout_day: Option<i16>,
    /// Commissions of their own for categories and vendors.
    pub rules: Vec<CommissionRule>,
}

/// A commission of its own for a category (and those below it) or a vendor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommissionRule {
    /// The rule.
    pub id: Uuid,
    /// Its category, for a category's rule.
    pub category: Option<CategoryId>,
    /// Its vendor, for a vendor's rule.
    pub vendor: Option<VendorId>,
    /// The category's or vendor's name.
    pub name: String,
    /// Percent of the goods.
    pub percent: rust_decimal::Decimal,
    /// A fee per item.
    pub flat_per_item: Money,
}

/// The terms as the form sends them, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsInput {
    /// Percent of the goods.
    pub commission_percent: String,
    /// A fee per item.
    pub commission_flat: String,
    /// Whether delivery fees bear the percentage too.
    pub commission_on_delivery: bool,
    /// Days after delivery before money may be withdrawn.
    pub payout_hold_days: String,
    /// The least payout.
    pub payout_minimum: String,
    /// The day of the week payouts run by themselves: `1` (Monday) to `7` (Sunday), or empty for
    /// never (by hand only).
    #[serde(default)]
    pub payout_day: String,
}

/// The days of the week, as a payout schedule names them (ISO: Monday is 1).
pub const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// An application that waits for its email to be confirmed, as its link's page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingApplication {
    /// The business applying.
    pub business_name: String,
    /// The email it will sign in with.
    pub email: String,
    /// The marketplace it applies to.
    pub marketplace: String,
}

/// Where a vendor's money stands: its balance (the sum of its ledger), what of it may be
/// withdrawn now, and what waits for deliveries and holding periods.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Balance {
    /// The sum of every entry.
    pub balance: Money,
    /// What may be withdrawn now: the entries available by now.
    pub available: Money,
    /// What waits: for a delivery, a holding period, a rider's cash or an open dispute.
    pub waiting: Money,
    /// When the next waiting money becomes available.
    pub next_release_at: Option<DateTime<Utc>>,
    /// How much becomes available then.
    pub next_release: Option<Money>,
    /// Payouts asked for or under way, not yet settled.
    pub on_the_way: Money,
    /// The least a payout may be.
    pub minimum: Money,
    /// Whether the vendor has a bank account to be paid at.
    pub has_bank: bool,
}

impl Balance {
    /// Whether a payout may be asked for now: a bank account, nothing on the way, and at least
    /// the minimum available.
    pub fn may_request(&self) -> bool {
        self.has_bank
            && self.on_the_way.amount.is_zero()
            && self.available.amount >= self.minimum.amount
            && self.available.amount > rust_decimal::Decimal::ZERO
    }
}

/// Where a payout stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum PayoutStatus {
    /// Asked for (or made by the marketplace's run); its money has left the balance.
    Requested,
    /// Sent by Paystack Transfers; waiting for its answer.
    Sending,
    /// In the vendor's bank.
    Paid,
    /// Refused by the bank or Paystack; its money is back in the balance.
    Failed,
    /// Paid, then reversed by the bank; its money is back in the balance.
    Reversed,
    /// Called off before it was sent; its money is back in the balance.
    Cancelled,
}

impl PayoutStatus {
    /// Every status.
    pub const ALL: [Self; 6] =
        [Self::Requested, Self::Sending, Self::Paid, Self::Failed, Self::Reversed, Self::Cancelled];

    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Sending => "sending",
            Self::Paid => "paid",
            Self::Failed => "failed",
            Self::Reversed => "reversed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// As a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Requested => "Requested",
            Self::Sending => "Sending",
            Self::Paid => "Paid",
            Self::Failed => "Failed",
            Self::Reversed => "Reversed",
            Self::Cancelled => "Cancelled",
        }
    }

    /// Whether the payout is still to be settled.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Requested | Self::Sending)
    }
}

/// A payout to a vendor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Payout {
    /// Its id.
    pub id: Uuid,
    /// The vendor.
    #[cfg_attr(feature = "server", schema(value_type = Uuid))]
    pub vendor: VendorId,
    /// The vendor's name.
    pub vendor_name: String,
    /// How much.
    pub amount: Money,
    /// Where it stands.
    pub status: PayoutStatus,
    /// Our reference, which the transfer carries.
    pub reference: String,
    /// `manual` or `paystack`, once it is sent or settled.
    pub method: Option<String>,
    /// The bank's reference for a payout settled by hand.
    pub bank_reference: String,
    /// The bank it goes to.
    pub bank: String,
    /// The account's last four digits.
    pub account_last4: String,
    /// The name on the account.
    pub account_name: String,
    /// Why it failed, was reversed or called off.
    pub reason: String,
    /// Who asked for it.
    pub asked_by: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was sent.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it was settled (paid, failed, reversed or called off).
    pub settled_at: Option<DateTime<Utc>>,
}

/// What a shopper's dispute is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeReason {
    /// The goods never came.
    NotReceived,
    /// They are not what the listing said.
    NotAsDescribed,
    /// They came broken.
    Damaged,
    /// Something else came.
    WrongItem,
    /// Some of them are missing.
    MissingItems,
    /// Anything else.
    Other,
}

impl DisputeReason {
    /// Every reason, in the order the form lists them.
    pub const ALL: [Self; 6] =
        [Self::NotReceived, Self::NotAsDescribed, Self::Damaged, Self::WrongItem, Self::MissingItems, Self::Other];

    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotReceived => "not_received",
            Self::NotAsDescribed => "not_as_described",
            Self::Damaged => "damaged",
            Self::WrongItem => "wrong_item",
            Self::MissingItems => "missing_items",
            Self::Other => "other",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// As a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::NotReceived => "It never came",
            Self::NotAsDescribed => "Not as described",
            Self::Damaged => "It came damaged",
            Self::WrongItem => "The wrong item came",
            Self::MissingItems => "Items are missing",
            Self::Other => "Something else",
        }
    }
}

/// Where a dispute stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeStatus {
    /// Waiting for the seller's answer, and the shopper's and seller's words.
    Open,
    /// Left to the marketplace to decide: asked for by the shopper or seller, or the seller did
    /// not answer in time.
    Escalated,
    /// Decided: money given back (in full or part).
    Refunded,
    /// Decided: nothing given back.
    Rejected,
    /// The shopper called it off.
    Withdrawn,
}

impl DisputeStatus {
    /// Every status.
    pub const ALL: [Self; 5] = [Self::Open, Self::Escalated, Self::Refunded, Self::Rejected, Self::Withdrawn];

    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Escalated => "escalated",
            Self::Refunded => "refunded",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// As a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::Escalated => "With the marketplace",
            Self::Refunded => "Refunded",
            Self::Rejected => "Refused",
            Self::Withdrawn => "Withdrawn",
        }
    }

    /// Whether it is still being argued.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Open | Self::Escalated)
    }
}

/// Who speaks in a dispute's thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeSide {
    /// The shopper who opened it.
    Shopper,
    /// The seller of the part.
    Vendor,
    /// The marketplace's staff.
    Marketplace,
    /// What happened on its own (a deadline passed, a decision).
    System,
}

impl DisputeSide {
    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Shopper => "shopper",
            Self::Vendor => "vendor",
            Self::Marketplace => "marketplace",
            Self::System => "system",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Shopper, Self::Vendor, Self::Marketplace, Self::System].into_iter().find(|s| s.code() == code)
    }
}

/// A message in a dispute's thread, with its photos.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeMessage {
    /// Its id.
    pub id: Uuid,
    /// Who wrote it.
    pub side: DisputeSide,
    /// Their name.
    pub author: String,
    /// What it says.
    pub body: String,
    /// The ids of its photos.
    pub photos: Vec<Uuid>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A dispute in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeSummary {
    /// Its id.
    pub id: Uuid,
    /// The part's number (`#1042-2`).
    pub part_number: String,
    /// The seller's name.
    pub seller: String,
    /// The shopper's name.
    pub shopper: String,
    /// What it is about.
    pub reason: DisputeReason,
    /// Where it stands.
    pub status: DisputeStatus,
    /// What the shopper asks back.
    pub asked: Money,
    /// What was given back.
    pub refunded: Money,
    /// When the seller must answer by.
    pub answer_by: DateTime<Utc>,
    /// Whether the seller has answered.
    pub answered: bool,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
}

/// A dispute, whole: its thread, and what may still be given back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute {
    /// As listed.
    pub summary: DisputeSummary,
    /// The part it is about.
    pub part: Uuid,
    /// The order.
    pub order: Uuid,
    /// The part's goods and delivery, as paid.
    pub part_total: Money,
    /// The most that may be given back now (the part's total less earlier refunds).
    pub refundable: Money,
    /// Why it went to the marketplace, if it did.
    pub escalated_why: String,
    /// What the marketplace decided, and who.
    pub decision: String,
    /// Who decided.
    pub decided_by: String,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// The thread, oldest first.
    pub messages: Vec<DisputeMessage>,
}

/// What a shopper says opening a dispute.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeInput {
    /// The part.
    pub part: Uuid,
    /// `not_received`, `damaged`, … (see [`DisputeReason`]).
    pub reason: String,
    /// What they ask back, as typed (empty: all of the part).
    pub asked: String,
    /// What happened.
    pub message: String,
}

/// A photo sent with a dispute's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Photo {
    /// Its bytes.
    pub bytes: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::VendorStatus::{self, Applied, Approved, ChangesRequested, Rejected, Suspended};

    #[test]
    fn the_operator_reviews_and_the_vendor_only_sends_back() {
        let operator: Vec<(VendorStatus, VendorStatus)> = VendorStatus::ALL
            .into_iter()
            .flat_map(|from| VendorStatus::ALL.into_iter().map(move |to| (from, to)))
            .filter(|(from, to)| from.can_move(*to, true))
            .collect();
        assert_eq!(
            operator,
            [
                (Applied, ChangesRequested),
                (Applied, Approved),
                (Applied, Rejected),
                (ChangesRequested, Approved),
                (ChangesRequested, Rejected),
                (Approved, Suspended),
                (Suspended, Approved),
            ]
        );
        for from in VendorStatus::ALL {
            for to in VendorStatus::ALL {
                assert_eq!(from.can_move(to, false), (from, to) == (ChangesRequested, Applied), "{from:?} → {to:?}");
            }
        }
    }
}
