//! What an order costs: each line's price, discount and VAT, the delivery, and the totals.
//!
//! The one rounding rule of the suite ([`Money::rounded`]: half away from zero, to the kobo) is
//! applied here and nowhere else in an order: to each line's amount before VAT, to its discount,
//! and to its VAT. Everything after that is sums and differences of amounts already exact to the
//! kobo, so a line's figures add up, the lines add up to the order, and a receipt printed line by
//! line agrees with the total to the kobo.
//!
//! VAT is worked out per line, on what the line costs after its discount:
//! - **Prices without VAT** (the business adds it): VAT = rate × net, rounded; the line's total
//!   is net + VAT.
//! - **Prices with VAT** (what the shelf says is what is paid): the total is the shelf amount,
//!   VAT = total × rate / (100 + rate), rounded; net = total − VAT. The shopper pays exactly the
//!   shelf price, and the VAT inside it is never off by more than half a kobo.
//!
//! Worked examples at 7.5% (each is a test below):
//!
//! | prices | line | net | VAT | total |
//! |---|---|---|---|---|
//! | without VAT | ₦1,000.00 × 3 | 3,000.00 | 225.00 | 3,225.00 |
//! | without VAT | ₦333.33 × 1 | 333.33 | 25.00 (24.99975) | 358.33 |
//! | without VAT | ₦2,500.00 × 2, ₦500.00 off | 4,500.00 | 337.50 | 4,837.50 |
//! | with VAT | ₦1,075.00 × 1 | 1,000.00 | 75.00 | 1,075.00 |
//! | with VAT | ₦999.99 × 1 | 930.22 | 69.77 (69.7667…) | 999.99 |
//! | with VAT | ₦1,500.00 × 1, zero-rated | 1,500.00 | 0.00 | 1,500.00 |
//!
//! Delivery is charged as the merchant sets it (with or without VAT, as the shelf prices are)
//! and is taxed at the standard rate, as the service it is.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::base::money::LARGEST_AMOUNT;
use crate::catalog::TaxClass;
use crate::{Currency, Error, Money};

/// The most units of one item a line may carry.
pub const MOST_UNITS: i32 = 1_000_000;

/// How a business charges VAT: its rate in percent (7.5 in Nigeria) and whether its prices
/// include it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct VatRule {
    /// The standard rate, in percent.
    pub rate: Decimal,
    /// Whether shelf prices (and delivery rates) include VAT.
    pub prices_include_tax: bool,
}

/// A line as it is sold: its unit price as the shelf shows it, how many, the amount taken off
/// the line, and how VAT applies to the item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineInput {
    /// The price of one unit, as the shelf shows it (with or without VAT, per [`VatRule`]).
    pub unit_price: Decimal,
    /// How many units.
    pub quantity: i32,
    /// The amount taken off the whole line, on the same footing as the price.
    pub discount: Decimal,
    /// How VAT applies.
    pub tax_class: TaxClass,
}

/// A line's figures, each exact to the kobo: `net + vat = total`, and `gross - discount` is
/// `net` (prices without VAT) or `total` (prices with VAT).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineTotals {
    /// Unit price × quantity, as the shelf shows it.
    pub gross: Decimal,
    /// Taken off the line.
    pub discount: Decimal,
    /// What the line costs without VAT.
    pub net: Decimal,
    /// The VAT on the line.
    pub vat: Decimal,
    /// What the line costs with VAT.
    pub total: Decimal,
}

/// An order's figures, each exact to the kobo.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Each line's figures, in the order given.
    pub lines: Vec<LineTotals>,
    /// The delivery's figures (all zero for a pickup).
    pub delivery: LineTotals,
    /// The lines' gross amounts, as the shelf shows them.
    pub subtotal: Decimal,
    /// Taken off the lines.
    pub discount: Decimal,
    /// All the VAT, the delivery's included.
    pub vat: Decimal,
    /// What the shopper pays.
    pub total: Decimal,
}

/// Prices an order's lines and delivery under the business's VAT rule, in its currency.
/// Refuses, naming every wrong field at once (`lines[2].discount`), a quantity outside 1 to
/// [`MOST_UNITS`], a price or delivery below zero or past [`LARGEST_AMOUNT`], a discount below
/// zero or past its line, and a rate outside 0 to 100.
pub fn price(lines: &[LineInput], delivery: Decimal, rule: VatRule, currency: Currency) -> Result<Totals, Error> {
    let mut problems = Vec::new();
    if rule.rate < Decimal::ZERO || rule.rate >= Decimal::ONE_HUNDRED {
        problems.push(("vat_rate".to_owned(), "a percentage from 0 to 99.9999".to_owned()));
    }
    if lines.is_empty() {
        problems.push(("lines".to_owned(), "an order needs at least one line".to_owned()));
    }
    for (i, line) in lines.iter().enumerate() {
        if !(1..=MOST_UNITS).contains(&line.quantity) {
            problems.push((format!("lines[{i}].quantity"), "from 1 to 1,000,000 units".to_owned()));
        }
        if !(Decimal::ZERO..=LARGEST_AMOUNT).contains(&line.unit_price) {
            problems.push((format!("lines[{i}].unit_price"), "from 0 to 1,000,000,000,000".to_owned()));
        }
        if line.discount < Decimal::ZERO {
            problems.push((format!("lines[{i}].discount"), "0 or more".to_owned()));
        }
    }
    if !(Decimal::ZERO..=LARGEST_AMOUNT).contains(&delivery) {
        problems.push(("delivery".to_owned(), "from 0 to 1,000,000,000,000".to_owned()));
    }
    Error::invalid_all(problems)?;
    let kobo = |amount: Decimal| Money::new(amount, currency).rounded().amount;
    let mut priced = Vec::with_capacity(lines.len());
    let mut discount_problems = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let gross = kobo(line.unit_price * Decimal::from(line.quantity));
        let discount = kobo(line.discount);
        if discount > gross {
            discount_problems.push((format!("lines[{i}].discount"), "no more than the line costs".to_owned()));
            continue;
        }
        priced.push(line_totals(gross, discount, line.tax_class, rule, &kobo));
    }
    Error::invalid_all(discount_problems)?;
    let delivery = line_totals(kobo(delivery), Decimal::ZERO, TaxClass::Standard, rule, &kobo);
    let sum = |figure: fn(&LineTotals) -> Decimal| priced.iter().map(figure).sum::<Decimal>();
    let (subtotal, discount) = (sum(|l| l.gross), sum(|l| l.discount));
    let vat = sum(|l| l.vat) + delivery.vat;
    let total = sum(|l| l.total) + delivery.total;
    Ok(Totals { lines: priced, delivery, subtotal, discount, vat, total })
}

/// A delivery fee's figures under the business's VAT rule: taxed at the standard rate, as
/// [`price`] taxes an order's delivery.
pub fn delivery_totals(fee: Decimal, rule: VatRule, currency: Currency) -> LineTotals {
    let kobo = |amount: Decimal| Money::new(amount, currency).rounded().amount;
    line_totals(kobo(fee), Decimal::ZERO, TaxClass::Standard, rule, &kobo)
}

/// One line's figures from its gross and discount, both already exact to the kobo.
fn line_totals(
    gross: Decimal,
    discount: Decimal,
    class: TaxClass,
    rule: VatRule,
    kobo: &impl Fn(Decimal) -> Decimal,
) -> LineTotals {
    let rate = match class {
        TaxClass::Standard => rule.rate,
        TaxClass::ZeroRated | TaxClass::Exempt => Decimal::ZERO,
    };
    let basis = gross - discount;
    let (net, vat) = if rule.prices_include_tax {
        let vat = kobo(basis * rate / (Decimal::ONE_HUNDRED + rate));
        (basis - vat, vat)
    } else {
        (basis, kobo(basis * rate / Decimal::ONE_HUNDRED))
    };
    LineTotals { gross, discount, net, vat, total: net + vat }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use rust_decimal::Decimal;

    use super::{LineInput, LineTotals, VatRule, price};
    use crate::catalog::TaxClass;
    use crate::{Currency, Error};

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn rule(prices_include_tax: bool) -> VatRule {
        VatRule { rate: d("7.5"), prices_include_tax }
    }

    fn line(unit_price: &str, quantity: i32, discount: &str, tax_class: TaxClass) -> LineInput {
        LineInput { unit_price: d(unit_price), quantity, discount: d(discount), tax_class }
    }

    /// (net, VAT, total) of one line priced alone.
    fn one(input: LineInput, inclusive: bool) -> (Decimal, Decimal, Decimal) {
        let totals = price(&[input], Decimal::ZERO, rule(inclusive), Currency::NGN).unwrap();
        let LineTotals { net, vat, total, .. } = totals.lines[0];
        (net, vat, total)
    }

    #[test]
    fn the_worked_examples_of_the_module_hold() {
        let standard = TaxClass::Standard;
        assert_eq!(one(line("1000", 3, "0", standard), false), (d("3000.00"), d("225.00"), d("3225.00")));
        assert_eq!(one(line("333.33", 1, "0", standard), false), (d("333.33"), d("25.00"), d("358.33")));
        assert_eq!(one(line("2500", 2, "500", standard), false), (d("4500.00"), d("337.50"), d("4837.50")));
        assert_eq!(one(line("1075", 1, "0", standard), true), (d("1000.00"), d("75.00"), d("1075.00")));
        assert_eq!(one(line("999.99", 1, "0", standard), true), (d("930.22"), d("69.77"), d("999.99")));
        assert_eq!(one(line("1500", 1, "0", TaxClass::ZeroRated), true), (d("1500.00"), d("0.00"), d("1500.00")));
        assert_eq!(one(line("1500", 1, "0", TaxClass::Exempt), false), (d("1500.00"), d("0.00"), d("1500.00")));
    }

    #[test]
    fn a_half_kobo_of_vat_rounds_away_from_zero() {
        // 7.5% of 0.06 is 0.0045 → 0.00; of 0.07 is 0.00525 → 0.01; of 4.20 is 0.315 → 0.32.
        assert_eq!(one(line("0.06", 1, "0", TaxClass::Standard), false).1, d("0.00"));
        assert_eq!(one(line("0.07", 1, "0", TaxClass::Standard), false).1, d("0.01"));
        assert_eq!(one(line("4.20", 1, "0", TaxClass::Standard), false).1, d("0.32"));
    }

    #[test]
    fn fifty_lines_add_up_to_the_kobo_with_prices_with_and_without_vat() {
        let classes = [TaxClass::Standard, TaxClass::Standard, TaxClass::ZeroRated, TaxClass::Exempt];
        let lines: Vec<LineInput> = (0..50_i32)
            .map(|i| {
                // Prices with awkward kobo, quantities 1 to 7, a discount on every third line.
                let price = Decimal::new(i64::from(i) * 12_345 + 99_999, 2);
                let discount = if i % 3 == 0 { Decimal::new(i64::from(i) * 7 + 3, 1) } else { Decimal::ZERO };
                LineInput {
                    unit_price: price,
                    quantity: i % 7 + 1,
                    discount,
                    tax_class: classes[usize::try_from(i % 4).unwrap()],
                }
            })
            .collect();
        for inclusive in [false, true] {
            let totals = price(&lines, d("2500"), rule(inclusive), Currency::NGN).unwrap();
            assert_eq!(totals.lines.len(), 50);
            for (l, input) in totals.lines.iter().zip(&lines) {
                assert_eq!(l.net + l.vat, l.total);
                assert_eq!(l.gross, input.unit_price * Decimal::from(input.quantity), "prices here are exact kobo");
                assert_eq!(if inclusive { l.total } else { l.net }, l.gross - l.discount);
                assert!([l.net, l.vat, l.total].iter().all(|a| a.scale() <= 2), "{l:?}");
                if input.tax_class != TaxClass::Standard {
                    assert_eq!(l.vat, Decimal::ZERO);
                }
            }
            let sum = |f: fn(&LineTotals) -> Decimal| totals.lines.iter().map(f).sum::<Decimal>();
            assert_eq!(totals.subtotal, sum(|l| l.gross));
            assert_eq!(totals.discount, sum(|l| l.discount));
            assert_eq!(totals.vat, sum(|l| l.vat) + totals.delivery.vat);
            assert_eq!(totals.total, sum(|l| l.total) + totals.delivery.total);
            let shelf = totals.subtotal - totals.discount + d("2500");
            if inclusive {
                assert_eq!(totals.total, shelf, "with VAT in the prices, the shopper pays the shelf amounts");
                assert_eq!(totals.delivery.vat, d("174.42"), "2,500 × 7.5 / 107.5 = 174.4186…");
            } else {
                assert_eq!(totals.total, shelf + totals.vat);
                assert_eq!(totals.delivery.vat, d("187.50"));
            }
        }
    }

    #[test]
    fn every_wrong_figure_is_named_at_once_and_nothing_is_priced() {
        let lines = [
            line("100", 0, "0", TaxClass::Standard),
            line("-1", 1, "-5", TaxClass::Standard),
            line("1000000000001", 1_000_001, "0", TaxClass::Standard),
        ];
        let Err(Error::InvalidFields(problems)) = price(&lines, d("-1"), rule(false), Currency::NGN) else {
            panic!("refused")
        };
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "lines[0].quantity",
                "lines[1].unit_price",
                "lines[1].discount",
                "lines[2].quantity",
                "lines[2].unit_price",
                "delivery"
            ]
        );
        let too_much_off = price(&[line("100", 2, "200.01", TaxClass::Standard)], d("0"), rule(true), Currency::NGN);
        assert!(matches!(too_much_off, Err(Error::Invalid { ref field, .. }) if field == "lines[0].discount"));
        assert!(price(&[], d("0"), rule(true), Currency::NGN).is_err(), "an order without lines");
        let bad_rate = VatRule { rate: d("100"), prices_include_tax: false };
        assert!(price(&[line("1", 1, "0", TaxClass::Standard)], d("0"), bad_rate, Currency::NGN).is_err());
    }

    #[test]
    fn the_largest_order_stays_exact() {
        let most = line("1000000000000", super::MOST_UNITS, "0", TaxClass::Standard);
        let totals = price(&[most; 50], d("1000000000000"), rule(false), Currency::NGN).unwrap();
        // 50 lines of 10^18 plus 7.5% VAT, and a delivery of 10^12 with its VAT.
        assert_eq!(totals.total, d("53750000000000000000") + d("1075000000000"));
    }
}
