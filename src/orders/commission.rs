//! What the marketplace keeps of a sale: its commission, worked out in one place.
//!
//! A commission is a percentage of the goods (a line's total: what the shopper pays for it,
//! discount taken off, VAT in), a flat fee per item, or both. Which rate applies to a line is
//! decided by precedence: a rule for the product's category (or the nearest category above it
//! that has one) first, then a rule for the vendor, then the marketplace's default. The
//! marketplace says whether its percentage is also charged on the delivery fees vendors collect
//! (never the flat fee: a delivery is not an item).
//!
//! Each amount is rounded once, half away from zero to the kobo, by `Money::rounded`'s rule, and
//! never exceeds what it is charged on. Worked examples are in the tests below.
//!
//! The commission is recorded on each order line when the order is placed, with the rule that
//! gave it, so later changes to the rules alter nothing already sold. The marketplace sets its
//! rules on its terms page (`marketplace::terms`); checkout reads them by [`rules_in`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::base::VendorId;
use crate::catalog::CategoryId;

/// A commission rate: a percentage of the goods and a flat fee per item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    /// Percent of the goods, 0 to 100.
    pub percent: Decimal,
    /// A fee per item sold, in the marketplace's currency.
    pub flat_per_item: Decimal,
}

impl Rate {
    /// The rate as a person reads it: "8%", "₦100 an item", "8% + ₦100 an item".
    pub fn describe(&self, symbol: &str) -> String {
        let percent = (!self.percent.is_zero()).then(|| format!("{}%", self.percent.normalize()));
        let flat =
            (!self.flat_per_item.is_zero()).then(|| format!("{symbol}{} an item", self.flat_per_item.normalize()));
        match (percent, flat) {
            (Some(p), Some(f)) => format!("{p} + {f}"),
            (Some(p), None) => p,
            (None, Some(f)) => f,
            (None, None) => "none".to_owned(),
        }
    }
}

/// Where a line's rate came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// The rule of this category (the product's, or one above it), by name.
    Category(String),
    /// The rule for the line's vendor.
    Vendor,
    /// The marketplace's default.
    Default,
}

impl Source {
    /// As it is recorded beside the line, for its statement.
    pub fn label(&self) -> String {
        match self {
            Self::Category(name) => format!("category {name}"),
            Self::Vendor => "vendor".to_owned(),
            Self::Default => "marketplace default".to_owned(),
        }
    }
}

/// A marketplace's rules, as checkout applies them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    /// The default rate.
    pub default: Rate,
    /// Whether the default's (or the rule's) percentage is charged on delivery fees too.
    pub on_delivery: bool,
    /// Rules by vendor.
    pub vendors: Vec<(VendorId, Rate)>,
    /// Rules by category: the category, its name, and its rate.
    pub categories: Vec<(CategoryId, String, Rate)>,
    /// Each category and the one above it, to find a rule above a product's own category.
    pub parents: Vec<(CategoryId, Option<CategoryId>)>,
}

/// What the marketplace keeps of one line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charge {
    /// The commission, rounded to the kobo.
    pub amount: Decimal,
    /// The rate that gave it.
    pub rate: Rate,
    /// Where the rate came from.
    pub source: Source,
}

impl Rules {
    /// The rate for a vendor's product in `category`, by precedence, and where it came from.
    pub fn rate_for(&self, vendor: VendorId, category: Option<CategoryId>) -> (Rate, Source) {
        let mut seen = 0;
        let mut at = category;
        while let Some(here) = at {
            if let Some((_, name, rate)) = self.categories.iter().find(|(c, _, _)| *c == here) {
                return (*rate, Source::Category(name.clone()));
            }
            at = self.parents.iter().find(|(c, _)| *c == here).and_then(|(_, parent)| *parent);
            // A tree is at most a few deep; a cycle in stored data must not hang a checkout.
            seen += 1;
            if seen > 50 {
                break;
            }
        }
        if let Some((_, rate)) = self.vendors.iter().find(|(v, _)| *v == vendor) {
            return (*rate, Source::Vendor);
        }
        (self.default, Source::Default)
    }

    /// The commission on a line of `quantity` items whose goods come to `total`.
    pub fn on_line(&self, vendor: VendorId, category: Option<CategoryId>, total: Decimal, quantity: i32) -> Charge {
        let (rate, source) = self.rate_for(vendor, category);
        Charge { amount: charge(rate, total, quantity), rate, source }
    }

    /// The commission on a delivery fee of `fee`, at the vendor's rate's percentage, when the
    /// marketplace charges one on delivery; zero otherwise.
    pub fn on_delivery_fee(&self, vendor: VendorId, fee: Decimal) -> Decimal {
        if !self.on_delivery {
            return Decimal::ZERO;
        }
        let (rate, _) = self.rate_for(vendor, None);
        charge(Rate { percent: rate.percent, flat_per_item: Decimal::ZERO }, fee, 0)
    }
}

/// `rate` on goods of `total` in `quantity` items: the percentage and the flat fees, rounded
/// once, and never more than the goods themselves.
pub fn charge(rate: Rate, total: Decimal, quantity: i32) -> Decimal {
    if total <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let raw = total * rate.percent / Decimal::ONE_HUNDRED + rate.flat_per_item * Decimal::from(quantity.max(0));
    raw.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero).min(total)
}

/// What is wrong with a rate as typed, if anything: a percentage from 0 to 100, a flat fee of
/// at least zero and under a billion, exact to the kobo.
pub fn rate_problem(rate: &Rate) -> Option<(&'static str, &'static str)> {
    if rate.percent < Decimal::ZERO || rate.percent > Decimal::ONE_HUNDRED || rate.percent.scale() > 4 {
        return Some(("percent", "a percentage from 0 to 100, such as 7.5"));
    }
    if rate.flat_per_item < Decimal::ZERO
        || rate.flat_per_item >= Decimal::from(1_000_000_000)
        || rate.flat_per_item.scale() > 2
    {
        return Some(("flat_per_item", "an amount of at least 0, to the kobo, such as 100 or 99.50"));
    }
    None
}

/// The step that reads the marketplace's rules as checkout applies them, in the caller's
/// transaction: its default, and the rules for categories (with the category tree, to find a
/// rule above a product's own category) and for vendors.
#[cfg(feature = "server")]
pub async fn rules_in(tx: &mut sqlx::PgConnection, tenant: crate::base::TenantId) -> Result<Rules, crate::Error> {
    let terms = sqlx::query!(
        "SELECT commission_percent, commission_flat, commission_on_delivery FROM tenants WHERE id = $1",
        tenant.0
    )
    .fetch_one(&mut *tx)
    .await?;
    let parents = sqlx::query!("SELECT id, parent_id FROM categories WHERE tenant_id = $1", tenant.0)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| (CategoryId(r.id), r.parent_id.map(CategoryId)))
        .collect();
    let mut rules = Rules {
        default: Rate { percent: terms.commission_percent, flat_per_item: terms.commission_flat },
        on_delivery: terms.commission_on_delivery,
        parents,
        ..Rules::default()
    };
    let stored = sqlx::query!(
        r#"SELECT r.category_id, r.vendor_id, r.percent, r.flat_per_item, coalesce(c.name, '') AS "name!"
             FROM commission_rules r
             LEFT JOIN categories c ON c.tenant_id = r.tenant_id AND c.id = r.category_id
            WHERE r.tenant_id = $1"#,
        tenant.0
    )
    .fetch_all(&mut *tx)
    .await?;
    for rule in stored {
        let rate = Rate { percent: rule.percent, flat_per_item: rule.flat_per_item };
        match (rule.category_id, rule.vendor_id) {
            (Some(category), _) => rules.categories.push((CategoryId(category), rule.name, rate)),
            (None, Some(vendor)) => rules.vendors.push((VendorId(vendor), rate)),
            (None, None) => {}
        }
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn rate(percent: &str, flat: &str) -> Rate {
        Rate { percent: d(percent), flat_per_item: d(flat) }
    }

    /// A marketplace with a 10% default, an 8% + ₦100 rule for one vendor, and 5% on phones.
    fn rules() -> (Rules, VendorId, VendorId, CategoryId, CategoryId, CategoryId) {
        let (with_rule, plain) = (VendorId(Uuid::from_u128(1)), VendorId(Uuid::from_u128(2)));
        let (phones, smartphones, chargers) =
            (CategoryId(Uuid::from_u128(10)), CategoryId(Uuid::from_u128(11)), CategoryId(Uuid::from_u128(12)));
        let rules = Rules {
            default: rate("10", "0"),
            on_delivery: false,
            vendors: vec![(with_rule, rate("8", "100"))],
            categories: vec![(phones, "Phones".into(), rate("5", "0"))],
            parents: vec![(phones, None), (smartphones, Some(phones)), (chargers, None)],
        };
        (rules, with_rule, plain, phones, smartphones, chargers)
    }

    #[test]
    fn the_default_applies_when_no_rule_does() {
        let (rules, _, plain, _, _, chargers) = rules();
        // 10% of ₦150,000.
        let charge = rules.on_line(plain, Some(chargers), d("150000"), 1);
        assert_eq!((charge.amount, charge.source), (d("15000.00"), Source::Default));
    }

    #[test]
    fn a_vendors_rule_beats_the_default() {
        let (rules, with_rule, _, _, _, chargers) = rules();
        // 2 × ₦2,500: 8% of ₦5,000 is ₦400, and ₦100 an item is ₦200.
        let charge = rules.on_line(with_rule, Some(chargers), d("5000"), 2);
        assert_eq!((charge.amount, charge.source), (d("600.00"), Source::Vendor));
    }

    #[test]
    fn a_categorys_rule_beats_the_vendors_and_reaches_the_categories_below_it() {
        let (rules, with_rule, plain, phones, smartphones, _) = rules();
        // 5% of ₦150,000, for the vendor with its own rule too.
        let charge = rules.on_line(with_rule, Some(phones), d("150000"), 1);
        assert_eq!((charge.amount, charge.source), (d("7500.00"), Source::Category("Phones".into())));
        // A smartphone is a phone: 5% of ₦89,999.99 is ₦4,499.9995, rounded to ₦4,500.00.
        let below = rules.on_line(plain, Some(smartphones), d("89999.99"), 1);
        assert_eq!((below.amount, below.source), (d("4500.00"), Source::Category("Phones".into())));
    }

    #[test]
    fn amounts_round_half_away_from_zero_to_the_kobo_and_never_pass_the_goods() {
        // 7.5% of ₦1,333.33 is ₦99.99975: ₦100.00.
        assert_eq!(charge(rate("7.5", "0"), d("1333.33"), 1), d("100.00"));
        // 10% of ₦0.05 is half a kobo: one kobo.
        assert_eq!(charge(rate("10", "0"), d("0.05"), 1), d("0.01"));
        // ₦250 an item on 3 items of ₦200: the fee stops at the goods.
        assert_eq!(charge(rate("0", "250"), d("600"), 3), d("600"));
        assert_eq!(charge(rate("0", "250"), d("6000"), 3), d("750.00"));
        assert_eq!(charge(rate("10", "0"), Decimal::ZERO, 1), Decimal::ZERO);
    }

    #[test]
    fn delivery_fees_bear_the_percentage_only_when_the_marketplace_says() {
        let (mut rules, with_rule, plain, _, _, _) = rules();
        assert_eq!(rules.on_delivery_fee(plain, d("1500")), Decimal::ZERO);
        rules.on_delivery = true;
        assert_eq!(rules.on_delivery_fee(plain, d("1500")), d("150.00"));
        // The vendor's percentage, without its fee per item.
        assert_eq!(rules.on_delivery_fee(with_rule, d("1500")), d("120.00"));
    }

    #[test]
    fn a_rate_is_a_percentage_to_100_and_a_fee_of_kobo() {
        assert_eq!(rate_problem(&rate("7.5", "100")), None);
        assert_eq!(rate_problem(&rate("100.5", "0")).map(|p| p.0), Some("percent"));
        assert_eq!(rate_problem(&rate("-1", "0")).map(|p| p.0), Some("percent"));
        assert_eq!(rate_problem(&rate("5", "0.001")).map(|p| p.0), Some("flat_per_item"));
        assert_eq!(rate("8", "100").describe("₦"), "8% + ₦100 an item");
        assert_eq!(rate("0", "0").describe("₦"), "none");
    }
}
