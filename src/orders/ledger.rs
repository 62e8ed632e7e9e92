//! What a marketplace owes each vendor, as a ledger: every sale, commission, delivery fee,
//! refund, adjustment, payout and cash taken at the door is an entry, written once and never
//! changed, so a vendor's balance is the sum of its entries and each naira of it can be pointed
//! to. Entries come from the parts of orders as they are paid, delivered and called off (see
//! `parts`), and from payouts (`marketplace::payouts`); all of them through [`post`].
//!
//! An entry may be withdrawn from its `available_at` on: for a sale, the holding period after
//! its part was delivered (and not while the cash for it is still with a rider); for a refund,
//! a payout or an adjustment, at once. Until then it counts in the balance, not in what is
//! available.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Money;

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum EntryKind {
    /// The goods of a part, paid for (with VAT, as the shopper paid).
    Sale,
    /// What the marketplace keeps of a part (negative), or gives back when the part is refunded.
    Commission,
    /// The delivery fee the shopper paid for a part.
    DeliveryFee,
    /// Money given back to a shopper (negative).
    Refund,
    /// A correction the operator made, with its reason.
    Adjustment,
    /// Money paid out to the vendor's bank (negative).
    Payout,
    /// A payout that failed, was reversed or was called off: its money back.
    PayoutReturned,
    /// Cash the vendor took at the door, which is the marketplace's to settle (negative).
    CashHeld,
    /// Cash the vendor handed over to the marketplace.
    CashRemitted,
}

impl EntryKind {
    /// Every kind.
    pub const ALL: [Self; 9] = [
        Self::Sale,
        Self::Commission,
        Self::DeliveryFee,
        Self::Refund,
        Self::Adjustment,
        Self::Payout,
        Self::PayoutReturned,
        Self::CashHeld,
        Self::CashRemitted,
    ];

    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Sale => "sale",
            Self::Commission => "commission",
            Self::DeliveryFee => "delivery_fee",
            Self::Refund => "refund",
            Self::Adjustment => "adjustment",
            Self::Payout => "payout",
            Self::PayoutReturned => "payout_returned",
            Self::CashHeld => "cash_held",
            Self::CashRemitted => "cash_remitted",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// As a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Sale => "Sale",
            Self::Commission => "Commission",
            Self::DeliveryFee => "Delivery fee",
            Self::Refund => "Refund",
            Self::Adjustment => "Adjustment",
            Self::Payout => "Payout",
            Self::PayoutReturned => "Payout returned",
            Self::CashHeld => "Cash collected by you",
            Self::CashRemitted => "Cash handed over",
        }
    }
}

/// One entry of a vendor's ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Entry {
    /// Its id.
    pub id: Uuid,
    /// What it records.
    pub kind: EntryKind,
    /// Into the balance (positive) or out of it (negative).
    pub amount: Money,
    /// The order part it is about ("#1042-2"), if any.
    pub part: Option<String>,
    /// The payout it is about, if any.
    pub payout: Option<Uuid>,
    /// What it says.
    pub note: String,
    /// When it was written.
    pub at: DateTime<Utc>,
    /// When it may be withdrawn; none while its part is not delivered or its cash not in.
    pub available_at: Option<DateTime<Utc>>,
    /// The balance after it, entries taken in the order written.
    pub balance: Money,
}

#[cfg(feature = "server")]
pub use posting::{Posting, available_from_now, post, release_part};

#[cfg(feature = "server")]
mod posting {
    use chrono::{DateTime, Utc};
    use rust_decimal::Decimal;
    use uuid::Uuid;

    use super::EntryKind;
    use crate::Error;
    use crate::base::{TenantId, VendorId};

    /// An entry about to be written.
    pub struct Posting<'a> {
        /// The vendor.
        pub vendor: VendorId,
        /// What it records.
        pub kind: EntryKind,
        /// Its amount, signed.
        pub amount: Decimal,
        /// The order part it is about.
        pub part: Option<Uuid>,
        /// The payout it is about.
        pub payout: Option<Uuid>,
        /// What it says.
        pub note: &'a str,
        /// Who made it.
        pub who: &'a str,
        /// When it may be withdrawn (none: not yet).
        pub available_at: Option<DateTime<Utc>>,
    }

    /// The step that writes an entry, in the caller's transaction. A zero amount writes nothing
    /// (a part without a delivery fee has no delivery-fee entry).
    pub async fn post(tx: &mut sqlx::PgConnection, tenant: TenantId, p: &Posting<'_>) -> Result<(), Error> {
        if p.amount.is_zero() {
            return Ok(());
        }
        sqlx::query!(
            "INSERT INTO vendor_ledger (tenant_id, id, vendor_id, kind, amount, part_id, payout_id, note, who, available_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            tenant.0,
            Uuid::now_v7(),
            p.vendor.0,
            p.kind.code(),
            p.amount,
            p.part,
            p.payout,
            p.note,
            p.who,
            p.available_at,
        )
        .execute(&mut *tx)
        .await?;
        Ok(())
    }

    /// When money delivered now may be withdrawn: after the marketplace's holding period.
    pub async fn available_from_now(tx: &mut sqlx::PgConnection, tenant: TenantId) -> Result<DateTime<Utc>, Error> {
        let days = sqlx::query_scalar!("SELECT payout_hold_days FROM tenants WHERE id = $1", tenant.0)
            .fetch_one(&mut *tx)
            .await?;
        Ok(Utc::now() + chrono::Duration::days(i64::from(days)))
    }

    /// The step that makes a part's waiting entries available at `at` (its delivery's holding
    /// period, or once its cash is in).
    pub async fn release_part(
        tx: &mut sqlx::PgConnection,
        tenant: TenantId,
        part: Uuid,
        at: DateTime<Utc>,
    ) -> Result<(), Error> {
        sqlx::query!(
            "UPDATE vendor_ledger SET available_at = $3
              WHERE tenant_id = $1 AND part_id = $2 AND available_at IS NULL",
            tenant.0,
            part,
            at
        )
        .execute(&mut *tx)
        .await?;
        Ok(())
    }
}
