//! Orders: what they cost, the life they lead, and how they are placed, paid and worked.
//!
//! The rules (`pricing`, `status`, `address`) are plain, the same in the browser and on the
//! server. The rest reads and writes Postgres: a shopper's cart (`cart`), placing an order from
//! it (`checkout`), taking its payment (`payment`), working it in the back office (`work`), and
//! the people who buy (`customer`).

pub mod address;
pub mod commission;
pub mod ledger;
mod lgas;
pub mod pricing;
pub mod status;

#[cfg(feature = "server")]
pub mod address_book;
#[cfg(feature = "server")]
mod at_till;
#[cfg(feature = "server")]
pub mod cart;
#[cfg(feature = "server")]
pub mod checkout;
#[cfg(feature = "server")]
pub mod customer;
#[cfg(feature = "server")]
pub mod parts;
#[cfg(feature = "server")]
pub mod payment;
#[cfg(feature = "server")]
pub mod paystack;
#[cfg(feature = "server")]
pub mod selling;
#[cfg(feature = "server")]
pub mod work;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use address::{Address, STATES};
pub use pricing::{LineInput, LineTotals, Totals, VatRule, price};
pub use status::{Fulfilment, OrderStatus, Settlement};

use crate::Money;
use crate::base::LocationId;
use crate::catalog::{ProductId, VariantId};

/// How an order is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentMethod {
    /// Cash or card at the door or the counter.
    PayOnDelivery,
    /// A transfer to the business's bank account, confirmed by the merchant.
    BankTransfer,
    /// Paystack's hosted checkout: card, bank transfer, USSD.
    Paystack,
    /// The demonstration gateway: a page of our own that approves or declines.
    TestGateway,
    /// Paid at a till, by the tenders its receipt lists. Never offered at checkout.
    Till,
}

impl PaymentMethod {
    /// Every method, in the order checkout offers them (those it offers at all).
    pub const ALL: [Self; 5] = [Self::PayOnDelivery, Self::BankTransfer, Self::Paystack, Self::TestGateway, Self::Till];

    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::PayOnDelivery => "pay_on_delivery",
            Self::BankTransfer => "bank_transfer",
            Self::Paystack => "paystack",
            Self::TestGateway => "test_gateway",
            Self::Till => "till",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    /// As a shopper reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::PayOnDelivery => "Pay on delivery",
            Self::BankTransfer => "Bank transfer",
            Self::Paystack => "Card, transfer or USSD (Paystack)",
            Self::TestGateway => "Test payment (demonstration)",
            Self::Till => "Paid at the till",
        }
    }

    /// When an order paid this way is paid.
    pub fn settlement(self) -> Settlement {
        match self {
            Self::PayOnDelivery => Settlement::OnDelivery,
            Self::BankTransfer | Self::Paystack | Self::TestGateway | Self::Till => Settlement::Before,
        }
    }
}

impl Fulfilment {
    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Pickup => "pickup",
            Self::Delivery => "delivery",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Pickup, Self::Delivery].into_iter().find(|f| f.code() == code)
    }
}

/// A line of a cart, priced and checked against what can be had now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    /// The variant.
    pub variant: VariantId,
    /// Its product.
    pub product: ProductId,
    /// The product's name, with the variant's options ("Ankara shirt — M / Blue").
    pub name: String,
    /// The variant's SKU.
    pub sku: String,
    /// One unit's price, as the shelf shows it.
    pub unit_price: Money,
    /// How many the shopper wants.
    pub quantity: i32,
    /// How many can be had in one line now: what the best-stocked location has free.
    pub available: i64,
    /// The product's first picture, small.
    pub thumbnail_url: Option<String>,
    /// Why the line cannot be bought as it is, if it cannot.
    pub problem: Option<String>,
}

impl CartLine {
    /// Unit price × quantity.
    pub fn amount(&self) -> Money {
        Money::new(self.unit_price.amount * rust_decimal::Decimal::from(self.quantity), self.unit_price.currency)
    }
}

/// A shopper's cart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cart {
    /// Its lines, oldest first.
    pub lines: Vec<CartLine>,
    /// What the lines cost at shelf prices.
    pub subtotal: Money,
}

impl Cart {
    /// Units in the cart.
    pub fn units(&self) -> i64 {
        self.lines.iter().map(|l| i64::from(l.quantity)).sum()
    }

    /// Whether every line can be bought as it is.
    pub fn ready(&self) -> bool {
        !self.lines.is_empty() && self.lines.iter().all(|l| l.problem.is_none())
    }
}

/// A shop where an order may be collected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickupShop {
    /// The location.
    pub id: LocationId,
    /// Its name.
    pub name: String,
    /// Its address, on one line.
    pub address: String,
}

/// Where a business delivers, and for how much.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliveryZone {
    /// Its id.
    pub id: Uuid,
    /// Its name ("Lagos").
    pub name: String,
    /// The states it covers.
    pub states: Vec<String>,
    /// What delivery costs.
    pub rate: Money,
    /// Orders of at least this much (at shelf prices) are delivered free.
    pub free_above: Option<Money>,
    /// How long delivery takes, as the merchant says it ("1–2 days").
    pub days: String,
}

impl DeliveryZone {
    /// What delivering an order of `subtotal` costs.
    pub fn charge(&self, subtotal: rust_decimal::Decimal) -> rust_decimal::Decimal {
        match &self.free_above {
            Some(free) if subtotal >= free.amount => rust_decimal::Decimal::ZERO,
            _ => self.rate.amount,
        }
    }
}

/// The business's bank account, for payment by transfer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    /// The bank.
    pub bank: String,
    /// The ten-digit account number (NUBAN).
    pub number: String,
    /// The name on the account.
    pub name: String,
}

/// How a business sells online, as its settings page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[expect(clippy::struct_excessive_bools, reason = "each is a switch the business sets, shown as a box to tick")]
pub struct SellingSettings {
    /// What its order numbers begin with (`#` gives `#1042`).
    pub order_prefix: String,
    /// Whether shoppers may pay on delivery.
    pub pay_on_delivery: bool,
    /// Whether shoppers may collect at a shop.
    pub pickup_in_shop: bool,
    /// Whether the demonstration gateway is offered.
    pub test_gateway: bool,
    /// The account transfers go to (empty fields when none is set).
    pub bank: BankAccount,
    /// Hours an order paid by transfer waits for the money.
    pub transfer_hours: i32,
    /// Whether a Paystack secret key is kept.
    pub paystack: bool,
    /// Where it delivers.
    pub zones: Vec<DeliveryZone>,
}

/// A change of how a business sells online, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellingInput {
    /// What order numbers begin with.
    pub order_prefix: String,
    /// Whether shoppers may pay on delivery.
    pub pay_on_delivery: bool,
    /// Whether shoppers may collect at a shop.
    pub pickup_in_shop: bool,
    /// Whether the demonstration gateway is offered.
    pub test_gateway: bool,
    /// The bank.
    pub bank_name: String,
    /// The ten-digit account number.
    pub bank_account_number: String,
    /// The name on the account.
    pub bank_account_name: String,
    /// Hours a transfer is waited for, 1 to 120.
    pub transfer_hours: String,
}

/// A new delivery zone, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneInput {
    /// Its name.
    pub name: String,
    /// The states it covers.
    pub states: Vec<String>,
    /// What delivery costs.
    pub rate: String,
    /// Orders of at least this much are delivered free (empty: never free).
    pub free_above: String,
    /// How long delivery takes.
    pub days: String,
}

/// What checkout offers at a business.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckoutOptions {
    /// Shops an order may be collected from (none when the business does not offer pickup).
    pub shops: Vec<PickupShop>,
    /// Where the business delivers.
    pub zones: Vec<DeliveryZone>,
    /// How a shopper may pay.
    pub methods: Vec<PaymentMethod>,
    /// The account transfers go to, when the business takes them.
    pub bank: Option<BankAccount>,
    /// How VAT is charged.
    pub vat: VatRule,
    /// Hours an order paid by transfer waits for the money.
    pub transfer_hours: i32,
}

/// What a shopper fills in at checkout, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutInput {
    /// Who the order is for.
    pub name: String,
    /// Their mobile number.
    pub phone: String,
    /// Their email address (optional).
    pub email: String,
    /// `pickup` or `delivery`.
    pub fulfilment: String,
    /// The shop to collect from, for pickup.
    pub pickup_location: Option<Uuid>,
    /// The address to deliver to, for delivery.
    pub address: Address,
    /// How they pay: a [`PaymentMethod`] code.
    pub payment: String,
    /// A note for the business.
    pub note: String,
    /// Whether they agree to hear of offers.
    pub marketing_consent: bool,
}

/// An order just placed, and where the shopper goes next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    /// The order.
    pub order: Uuid,
    /// Its number, as people say it ("#1042").
    pub number: String,
    /// The shopper's key to the order's page.
    pub view_key: Uuid,
    /// The payment attempt made with it.
    pub payment: Uuid,
    /// How it is paid.
    pub method: PaymentMethod,
    /// Where the shopper goes next, on the store: the gateway's page to pay, or the order's
    /// own page (which is also the payment link a merchant shares).
    pub link: String,
}

/// An order's number as people say it: the business's prefix and the number.
pub fn order_number(prefix: &str, number: i64) -> String {
    format!("{prefix}{number}")
}

/// A line of an order, as it was sold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderLine {
    /// The variant.
    pub variant: VariantId,
    /// Its product.
    pub product: ProductId,
    /// The name it was sold under.
    pub name: String,
    /// Its SKU then.
    pub sku: String,
    /// One unit's price then.
    pub unit_price: Money,
    /// How many.
    pub quantity: i32,
    /// Taken off the line.
    pub discount: Money,
    /// Without VAT.
    pub net: Money,
    /// The VAT on it.
    pub vat: Money,
    /// With VAT.
    pub total: Money,
    /// The part of the order it belongs to, when the order is split by seller.
    #[serde(default)]
    pub part: Option<Uuid>,
    /// What the marketplace keeps of it (zero for the marketplace's own goods), as charged
    /// when the order was placed.
    #[serde(default)]
    pub commission: Option<Money>,
    /// The rule the commission came from ("category Phones", "vendor", "marketplace default").
    #[serde(default)]
    pub commission_rule: String,
}

/// One seller's part of an order split by seller: its own status, delivery fee and timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderPart {
    /// Its id.
    pub id: Uuid,
    /// Its number, as people say it ("#1042-2").
    pub number: String,
    /// The vendor who sells it; none for the marketplace's own goods.
    pub vendor: Option<crate::base::VendorId>,
    /// Who sells it, by name.
    pub seller: String,
    /// Where it is in its life.
    pub status: OrderStatus,
    /// Whether its money has arrived.
    pub paid: bool,
    /// Its lines, with VAT.
    pub goods: Money,
    /// Its delivery fee, with VAT.
    pub delivery: Money,
    /// What the marketplace keeps of it (for the marketplace's and the vendor's eyes).
    pub commission: Option<Money>,
    /// When it was delivered.
    pub delivered_at: Option<DateTime<Utc>>,
    /// Who holds the cash collected for it at the door, until it reaches the marketplace.
    pub cash: Option<CashHeld>,
}

impl OrderPart {
    /// Goods and delivery: what the shopper pays for this part.
    pub fn total(&self) -> Money {
        Money::new(self.goods.amount + self.delivery.amount, self.goods.currency)
    }
}

/// Who collected a part's cash at the door.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CashHolder {
    /// The rider who delivered it, until they hand it to the marketplace.
    Rider,
    /// The vendor, who delivered it with its own hands or rider: it owes the marketplace the cash.
    Vendor,
    /// The marketplace itself.
    Operator,
}

impl CashHolder {
    /// Every holder.
    pub const ALL: [Self; 3] = [Self::Rider, Self::Vendor, Self::Operator];

    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Rider => "rider",
            Self::Vendor => "vendor",
            Self::Operator => "operator",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|h| h.code() == code)
    }

    /// As a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Rider => "The rider",
            Self::Vendor => "The vendor",
            Self::Operator => "The marketplace",
        }
    }
}

/// Cash collected at the door for a part, and where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashHeld {
    /// How much.
    pub amount: Money,
    /// Who took it.
    pub holder: CashHolder,
    /// The rider's (or the person's) name.
    pub holder_name: String,
    /// When it was taken.
    pub collected_at: DateTime<Utc>,
    /// When it reached the marketplace, if it has.
    pub remitted_at: Option<DateTime<Utc>>,
    /// The reference it was handed over under (a deposit slip, a transfer).
    pub reference: String,
}

/// A change in an order's life.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (a person's name, "shopper", "payment gateway", "system").
    pub who: String,
    /// The status before, if it changed.
    pub from: Option<OrderStatus>,
    /// The status after, if it changed.
    pub to: Option<OrderStatus>,
    /// What was said.
    pub note: String,
    /// The part it is about ("#1042-2"), when it is about one part of an order in parts.
    #[serde(default)]
    pub part: Option<String>,
}

/// The state of a payment attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentStatus {
    /// Started; no answer yet (or due at the door).
    Pending,
    /// The money arrived.
    Succeeded,
    /// Declined, abandoned or called off.
    Failed,
    /// The gateway reported money that does not match the order; the merchant must look.
    Flagged,
}

impl PaymentStatus {
    /// Every status.
    pub const ALL: [Self; 4] = [Self::Pending, Self::Succeeded, Self::Failed, Self::Flagged];

    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Flagged => "flagged",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// As a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Succeeded => "Succeeded",
            Self::Failed => "Failed",
            Self::Flagged => "Needs checking",
        }
    }
}

/// An attempt to pay for an order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    /// Its id.
    pub id: Uuid,
    /// The order.
    pub order: Uuid,
    /// The amount asked for (or, once answered, reported).
    pub amount: Money,
    /// How.
    pub method: PaymentMethod,
    /// Where it stands.
    pub status: PaymentStatus,
    /// The reference the shopper or the gateway quotes.
    pub reference: String,
    /// Why it needs checking, if it does.
    pub flag_reason: String,
    /// When it was started.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A payment on the test gateway's page, as the shopper sees it there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GatewayAttempt {
    /// The attempt.
    pub payment: Payment,
    /// The order's number.
    pub number: String,
    /// The shopper's key to the order's page.
    pub view_key: Uuid,
    /// When the order is called off if still unpaid.
    pub pay_by: Option<DateTime<Utc>>,
}

/// An order, whole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// Its id.
    pub id: Uuid,
    /// Its number, as people say it.
    pub number: String,
    /// The shopper's key to its page.
    pub view_key: Uuid,
    /// Where it came from: `store`, `pos`, `marketplace` or `draft`.
    pub channel: String,
    /// Where it is in its life.
    pub status: OrderStatus,
    /// How it reaches the shopper.
    pub fulfilment: Fulfilment,
    /// How it is paid.
    pub method: PaymentMethod,
    /// Whether the money has arrived.
    pub paid: bool,
    /// Whether a payment reported for it needs checking.
    pub payment_flagged: bool,
    /// The customer (none for a walk-in at a till).
    pub customer: Option<Uuid>,
    /// Who it is for.
    pub contact_name: String,
    /// Their mobile number, as kept (`+234…`).
    pub contact_phone: String,
    /// Their email, if given.
    pub contact_email: Option<String>,
    /// Where it is delivered.
    pub shipping_address: Option<Address>,
    /// Where the bill goes (the shipping address when none was given).
    pub billing_address: Option<Address>,
    /// The shop it is collected from.
    pub pickup: Option<PickupShop>,
    /// The delivery zone it was priced by.
    pub delivery_zone: String,
    /// The lines.
    pub lines: Vec<OrderLine>,
    /// The lines at shelf prices.
    pub subtotal: Money,
    /// Taken off.
    pub discount: Money,
    /// The VAT in (or on) it.
    pub vat: Money,
    /// The VAT rate it was charged at.
    pub vat_rate: rust_decimal::Decimal,
    /// Whether its prices included VAT.
    pub prices_include_tax: bool,
    /// Delivery.
    pub delivery: Money,
    /// What the shopper pays.
    pub total: Money,
    /// The shopper's note.
    pub note: String,
    /// When an unpaid order is called off.
    pub pay_by: Option<DateTime<Utc>>,
    /// When it was placed.
    pub placed_at: DateTime<Utc>,
    /// When it was paid.
    pub paid_at: Option<DateTime<Utc>>,
    /// Its timeline, oldest first.
    pub events: Vec<OrderEvent>,
    /// Its payment attempts, oldest first.
    pub payments: Vec<Payment>,
    /// Its receipt, tenders and returns, when it was rung at a till.
    #[serde(default)]
    pub till: Option<AtTill>,
    /// Its parts, one per seller, when it is split by seller (none otherwise).
    #[serde(default)]
    pub parts: Vec<OrderPart>,
}

/// What an order rung at a till carries beyond other orders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AtTill {
    /// Its receipt number.
    pub receipt: String,
    /// The register it was rung at.
    pub register: String,
    /// Who rang it.
    pub cashier: String,
    /// How it was paid.
    pub tenders: Vec<TillTender>,
    /// Goods brought back against it.
    pub returns: Vec<TillReturn>,
}

/// One tender of a till's sale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillTender {
    /// `cash`, `card`, `transfer`, `mobile_money` or `exchange`.
    pub tender: String,
    /// What it paid.
    pub amount: Money,
    /// Cash handed over.
    pub tendered: Option<Money>,
    /// Change given.
    pub change: Option<Money>,
    /// The slip's or transfer's reference.
    pub reference: String,
}

/// Goods brought back at a till against a sale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillReturn {
    /// The return's own receipt number.
    pub receipt: String,
    /// What was given back.
    pub total: Money,
    /// When.
    pub made_at: DateTime<Utc>,
}

impl Order {
    /// The statuses the merchant may move it to now: those [`status::allowed`] allows, but
    /// paid, which only a confirmed payment makes it. An order in parts moves by its parts, and
    /// as a whole only to be called off (when every part still may be).
    pub fn next(&self) -> Vec<OrderStatus> {
        if !self.parts.is_empty() {
            let settlement = self.method.settlement();
            let live = self.parts.iter().filter(|p| p.status != OrderStatus::Cancelled);
            let mut live = live.peekable();
            let all_may = live.peek().is_some()
                && live.all(|p| status::allowed(p.status, OrderStatus::Cancelled, self.fulfilment, settlement));
            return if all_may { vec![OrderStatus::Cancelled] } else { Vec::new() };
        }
        let mut next = status::next(self.status, self.fulfilment, self.method.settlement());
        next.retain(|&s| s != OrderStatus::Paid);
        next
    }

    /// Whether the merchant may confirm that its transfer arrived.
    pub fn awaits_transfer(&self) -> bool {
        self.status == OrderStatus::AwaitingPayment && self.method == PaymentMethod::BankTransfer && !self.paid
    }
}

/// An order in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderSummary {
    /// Its id.
    pub id: Uuid,
    /// Its number.
    pub number: String,
    /// Where it came from.
    pub channel: String,
    /// Where it is in its life.
    pub status: OrderStatus,
    /// How it is paid.
    pub method: PaymentMethod,
    /// Whether the money has arrived.
    pub paid: bool,
    /// Whether a payment needs checking.
    pub payment_flagged: bool,
    /// Who it is for.
    pub contact_name: String,
    /// Their mobile number.
    pub contact_phone: String,
    /// Units in it.
    pub units: i64,
    /// What the shopper pays.
    pub total: Money,
    /// When it was placed.
    pub placed_at: DateTime<Utc>,
}

/// A part of an order in a vendor's list (or the operator's list of a vendor's orders).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartSummary {
    /// The part.
    pub id: Uuid,
    /// Its number ("#1042-2").
    pub number: String,
    /// Who sells it.
    pub seller: String,
    /// Where it is in its life.
    pub status: OrderStatus,
    /// How the order is paid.
    pub method: PaymentMethod,
    /// Whether its money has arrived.
    pub paid: bool,
    /// Who it is for.
    pub contact_name: String,
    /// Units in it.
    pub units: i64,
    /// Goods and delivery.
    pub total: Money,
    /// When the order was placed.
    pub placed_at: DateTime<Utc>,
}

/// A vendor's orders at a glance, for its portal's home.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorDesk {
    /// Parts paid, or to be paid on delivery, not yet being prepared.
    pub to_prepare: i64,
    /// Parts being prepared.
    pub preparing: i64,
    /// Parts on their way.
    pub on_the_way: i64,
    /// What the vendor's parts placed in the last 30 days came to (called-off ones left out).
    pub sales_30_days: Money,
    /// How many parts those were.
    pub orders_30_days: i64,
}

/// One part of an order, whole, as its seller works it: who it goes to, its lines, its timeline,
/// and where it may move next. Nothing of the order's other parts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartView {
    /// The part.
    pub part: OrderPart,
    /// The order it belongs to.
    pub order: Uuid,
    /// How it reaches the shopper.
    pub fulfilment: Fulfilment,
    /// How it is paid.
    pub method: PaymentMethod,
    /// Who it is for.
    pub contact_name: String,
    /// Their mobile number.
    pub contact_phone: String,
    /// Where it goes.
    pub shipping_address: Option<Address>,
    /// The shopper's note.
    pub note: String,
    /// Its lines.
    pub lines: Vec<OrderLine>,
    /// Its timeline, oldest first.
    pub events: Vec<OrderEvent>,
    /// Where it may move next (paid excepted, which only a payment makes it).
    pub next: Vec<OrderStatus>,
    /// When the order was placed.
    pub placed_at: DateTime<Utc>,
}

/// Which orders a list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFilter {
    /// A number, a name or a phone number.
    pub search: Option<String>,
    /// Only this status.
    pub status: Option<OrderStatus>,
    /// Only this channel.
    pub channel: Option<String>,
    /// Only paid (true) or unpaid (false) orders.
    pub paid: Option<bool>,
    /// Placed on or after.
    pub from: Option<DateTime<Utc>>,
    /// Placed before.
    pub until: Option<DateTime<Utc>>,
    /// Only this customer's.
    pub customer: Option<Uuid>,
    /// Only those paid, or to be paid, this way.
    pub method: Option<PaymentMethod>,
}

/// Someone the business sells to, with what they have bought.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// Their id.
    pub id: Uuid,
    /// Their name ("" once erased).
    pub name: String,
    /// Their mobile number, as kept (`+234…`).
    pub phone: Option<String>,
    /// Their email.
    pub email: Option<String>,
    /// Whether they have an account at the store.
    pub has_account: bool,
    /// Whether they agreed to hear of offers.
    pub marketing_consent: bool,
    /// When they agreed.
    pub consent_at: Option<DateTime<Utc>>,
    /// How they agreed ("checkout").
    pub consent_source: String,
    /// Orders they placed, called-off ones included.
    pub orders: i64,
    /// What their paid orders came to, called-off ones left out.
    pub lifetime_value: Money,
    /// When they last ordered.
    pub last_order_at: Option<DateTime<Utc>>,
    /// When they became a customer.
    pub created_at: DateTime<Utc>,
    /// When their details were erased at their request, if they were.
    pub erased_at: Option<DateTime<Utc>>,
}

/// The channels an order may come from.
pub const CHANNELS: [&str; 4] = ["store", "pos", "marketplace", "draft"];
