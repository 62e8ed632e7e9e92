//! The dashboard: a business's figures for a period beside the period before it, and the
//! widgets each person arranges them in.
//!
//! The figures of what was sold are read from rollups that the database keeps as orders change
//! (`sales_hours`, `sales_products`, `sales_payments`, `sales_customers`, with the changes not
//! yet folded into them in `sales_deltas`), never by reading the orders themselves; what stands
//! now (open orders, stock, open till shifts) is read from where it is kept, through indexes
//! that skip what is finished. `counted` works the same figures out from the orders, for the
//! tests and the benchmark to compare.

mod period;
mod widgets;

#[cfg(feature = "server")]
pub mod counted;
#[cfg(feature = "server")]
mod figures;
#[cfg(feature = "server")]
mod layout;
#[cfg(feature = "server")]
mod rollups;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Currency;

#[cfg(feature = "server")]
pub use figures::{FOLD_BATCH, fold, period, read};
#[cfg(feature = "server")]
pub use layout::{arrange, layout};
pub use period::{Period, Span};
pub use widgets::{Arrangement, Layout, Move, Size, Widget, WidgetKind};

/// Which sales the figures count: all the actor may see, or one shop's, or one channel's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Only this shop's (sales collected there: the till's, and orders picked up there).
    pub shop: Option<Uuid>,
    /// Only this channel's (`store`, `pos`, `marketplace`, `draft`).
    pub channel: Option<String>,
}

/// What was sold in a period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Totals {
    /// Orders placed, cancelled ones included.
    pub orders: i64,
    /// What they came to, VAT and delivery included.
    pub gross: Decimal,
    /// Orders of those that were cancelled.
    pub cancelled_orders: i64,
    /// What the cancelled ones came to.
    pub cancelled: Decimal,
    /// Gross less cancelled: the period's revenue.
    pub net: Decimal,
    /// VAT in the revenue (of orders not cancelled).
    pub vat: Decimal,
    /// Revenue less its VAT.
    pub net_of_vat: Decimal,
    /// Discounts given on the orders placed, cancelled ones included.
    pub discount: Decimal,
    /// Delivery charged on the orders placed, cancelled ones included.
    pub delivery: Decimal,
    /// Revenue per order not cancelled, to the kobo.
    pub average_order: Decimal,
    /// Units sold on orders not cancelled.
    pub units: i64,
}

/// One part of the revenue (a channel, a shop, a payment method), now and in the period before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Share {
    /// What it is, as the API names it (`pos`, a shop's id, `cash`).
    pub key: String,
    /// What people call it ("Till", "Ikeja", "Cash").
    pub label: String,
    /// Revenue (or money taken, for a payment method) in the period.
    pub amount: Decimal,
    /// Orders (or payments) in the period.
    pub count: i64,
    /// Revenue in the period before.
    pub amount_before: Decimal,
    /// Orders in the period before.
    pub count_before: i64,
}

/// Revenue and orders of one stretch of time: a day of the period, or an hour of the day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Point {
    /// The day, for days; for hours of the day, the day the period starts.
    pub day: NaiveDate,
    /// The hour of the day (0–23), for hours; 0 for days.
    pub hour: u8,
    /// Revenue.
    pub amount: Decimal,
    /// Orders not cancelled.
    pub orders: i64,
}

/// A product or a category among the best sellers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Ranked {
    /// The product's or category's id (none for products in no category).
    pub id: Option<Uuid>,
    /// Its name.
    pub name: String,
    /// Units sold.
    pub units: i64,
    /// What they were sold for.
    pub revenue: Decimal,
}

/// Customers who ordered, and customers added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CustomerFigures {
    /// Customers with an order (not cancelled) in the period.
    pub active: i64,
    /// The same in the period before.
    pub active_before: i64,
    /// Customers added in the period.
    pub new: i64,
    /// The same in the period before.
    pub new_before: i64,
}

/// Orders waiting on someone now, whatever the period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OpenOrders {
    /// Orders awaiting payment.
    pub awaiting_payment: i64,
    /// What they come to.
    pub awaiting_amount: Decimal,
    /// Of those, bank transfers the business has not yet confirmed.
    pub unconfirmed_transfers: i64,
    /// What those come to.
    pub unconfirmed_amount: Decimal,
    /// Paid orders not yet handed over or shipped (the shipments to make).
    pub to_fulfil: i64,
    /// Orders on their way to the shopper.
    pub shipped: i64,
}

/// How the stock stands now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StockFigures {
    /// Items (per location) at or under their reorder point with some left.
    pub low: i64,
    /// Items (per location) with an open alert and nothing left to sell.
    pub out: i64,
    /// Items (per location) sold past what was there: on hand below zero.
    pub oversold: i64,
    /// Units on hand at what they cost (variants with a cost); `None` for someone who may not
    /// see costs.
    pub value_at_cost: Option<Decimal>,
    /// Variants on hand somewhere with no cost recorded, left out of the value.
    pub without_cost: i64,
    /// Transfers sent and not yet received.
    pub in_transit: i64,
    /// Stock counts under way.
    pub counts: i64,
}

/// The tills: shifts open now, and the cash counted at the shifts closed in the period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TillFigures {
    /// Shifts open now.
    pub open_shifts: i64,
    /// Shifts closed in the period.
    pub closed_shifts: i64,
    /// Cash counted less cash expected at those closes: over when above zero, short below.
    pub over_short: Decimal,
    /// Closes that were over or short.
    pub off_closes: i64,
}

/// Everything the dashboard shows for one period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Figures {
    /// The period.
    pub period: Period,
    /// The period of the same length just before it.
    pub previous: Period,
    /// The shop the figures are limited to, if any.
    pub shop: Option<Uuid>,
    /// The channel they are limited to, if any.
    pub channel: Option<String>,
    /// What every amount is counted in.
    pub currency: Currency,
    /// What was sold in the period.
    pub now: Totals,
    /// What was sold in the period before.
    pub before: Totals,
    /// Revenue by channel.
    pub channels: Vec<Share>,
    /// Revenue by shop (orders delivered from no shop under "Delivered").
    pub shops: Vec<Share>,
    /// Money taken by payment method.
    pub payments: Vec<Share>,
    /// Revenue day by day, every day of the period.
    pub days: Vec<Point>,
    /// The same for the period before, day by day.
    pub days_before: Vec<Point>,
    /// Revenue by hour of the day across the period, all 24 hours.
    pub hours: Vec<Point>,
    /// The best-selling products by revenue, at most ten.
    pub products: Vec<Ranked>,
    /// The best-selling categories by revenue, at most ten.
    pub categories: Vec<Ranked>,
    /// Customers.
    pub customers: CustomerFigures,
    /// Orders waiting on someone now, for someone who may see orders.
    pub open: Option<OpenOrders>,
    /// Stock now, for someone who may see stock.
    pub stock: Option<StockFigures>,
    /// The tills, for someone who may see orders.
    pub tills: Option<TillFigures>,
}

impl Figures {
    /// Where the list behind a figure is, limited to the period where the list can be.
    pub fn orders_link(&self, extra: &str) -> String {
        let mut link = format!("/admin/orders?from={}&until={}", self.period.from, self.period.until);
        if let Some(channel) = &self.channel {
            link.push_str("&channel=");
            link.push_str(channel);
        }
        if !extra.is_empty() {
            link.push('&');
            link.push_str(extra);
        }
        link
    }
}

/// What people call a channel.
pub fn channel_label(channel: &str) -> &'static str {
    match channel {
        "store" => "Online store",
        "pos" => "Till",
        "marketplace" => "Marketplace",
        "draft" => "Back office",
        _ => "Other",
    }
}

/// What people call a payment method or a till's tender.
pub fn method_label(method: &str) -> &'static str {
    match method {
        "cash" => "Cash",
        "card" => "Card",
        "transfer" | "bank_transfer" => "Bank transfer",
        "mobile_money" => "Mobile money",
        "exchange" => "Exchange credit",
        "pay_on_delivery" => "Pay on delivery",
        "paystack" => "Paystack",
        "test_gateway" => "Test gateway",
        _ => "Other",
    }
}

/// A change from one figure to another, as people read it: "+12.5%", "−3.0%", "new" from nothing.
pub fn change(now: Decimal, before: Decimal) -> Option<String> {
    if before.is_zero() {
        return (!now.is_zero()).then(|| "new".to_owned());
    }
    let percent = ((now - before) / before.abs() * Decimal::ONE_HUNDRED).round_dp(1);
    Some(if percent.is_sign_negative() && !percent.is_zero() {
        format!("\u{2212}{:.1}%", percent.abs())
    } else {
        format!("+{:.1}%", percent.abs())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn a_change_reads_as_a_signed_percentage_or_new() {
        assert_eq!(change(dec("112.5"), dec("100")).as_deref(), Some("+12.5%"));
        assert_eq!(change(dec("97"), dec("100")).as_deref(), Some("\u{2212}3.0%"));
        assert_eq!(change(dec("5"), dec("0")).as_deref(), Some("new"));
        assert_eq!(change(dec("0"), dec("0")), None);
        assert_eq!(change(dec("100"), dec("100")).as_deref(), Some("+0.0%"));
    }
}
