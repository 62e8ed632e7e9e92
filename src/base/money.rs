//! Exact money: a decimal amount with its currency, rounded in one place.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// A currency the suite can price in. Naira first; the others are neighbours merchants trade in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum Currency {
    /// Nigerian naira.
    NGN,
    /// Ghanaian cedi.
    GHS,
    /// Kenyan shilling.
    KES,
    /// South African rand.
    ZAR,
    /// US dollar.
    USD,
}

impl Currency {
    /// The ISO 4217 code, as stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::NGN => "NGN",
            Self::GHS => "GHS",
            Self::KES => "KES",
            Self::ZAR => "ZAR",
            Self::USD => "USD",
        }
    }

    /// The sign printed before an amount.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::NGN => "₦",
            Self::GHS => "GH₵",
            Self::KES => "KSh ",
            Self::ZAR => "R ",
            Self::USD => "$",
        }
    }

    /// Digits after the decimal point in the currency's smallest unit (kobo, pesewa, cent).
    pub fn minor_digits(self) -> u32 {
        2
    }

    /// Reads an ISO 4217 code.
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim() {
            "NGN" => Some(Self::NGN),
            "GHS" => Some(Self::GHS),
            "KES" => Some(Self::KES),
            "ZAR" => Some(Self::ZAR),
            "USD" => Some(Self::USD),
            _ => None,
        }
    }
}

/// The largest price or unit cost accepted: a trillion of the main unit. The database keeps
/// amounts as `NUMERIC(19,4)` (below 10^15), so an average of such costs always fits, and a line
/// of a million units at this price is still exact in a `Decimal`.
// 1,000,000,000,000 as the parts of its 96-bit mantissa (low, middle, high), scale 0.
pub const LARGEST_AMOUNT: Decimal = Decimal::from_parts(0xD4A5_1000, 0xE8, 0, false, 0);

/// An amount as it travels in API answers, CSV files and form fields: exact, never rounded,
/// with at least two decimal places and no zeros past them that say nothing. A price of 1500
/// reads "1500.00"; a unit cost averaged to 12.3456 stays "12.3456", so that reading it back in
/// changes nothing. Rounding is for showing and for charging, and happens in [`Money::rounded`].
pub fn exact(amount: Decimal) -> Decimal {
    let mut amount = amount.normalize();
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    amount
}

/// An amount of money in one currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Money {
    /// The exact amount; never a float.
    pub amount: Decimal,
    /// What it is counted in.
    pub currency: Currency,
}

impl Money {
    /// Money of the given amount and currency, unrounded.
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }

    /// An amount in naira.
    pub fn ngn(amount: Decimal) -> Self {
        Self::new(amount, Currency::NGN)
    }

    /// The amount rounded half-up (away from zero at the half) to the currency's minor unit:
    /// the one rounding rule of the suite.
    #[must_use]
    pub fn rounded(self) -> Self {
        let amount =
            self.amount.round_dp_with_strategy(self.currency.minor_digits(), RoundingStrategy::MidpointAwayFromZero);
        Self { amount, ..self }
    }
}

impl Money {
    /// The amount as a person types it into a form: thousands grouped, no currency sign, and
    /// decimals only when it has them (`11,200`, `3,100.5`, `-20`). Read back by any parser that
    /// takes commas (`catalog::parse_price`).
    pub fn for_input(&self) -> String {
        let text = self.amount.normalize().to_string();
        let (sign, text) = text.strip_prefix('-').map_or(("", text.as_str()), |t| ("-", t));
        let (whole, fraction) = text.split_once('.').map_or((text, None), |(w, f)| (w, Some(f)));
        let mut out = String::from(sign);
        out.push_str(&group(whole));
        if let Some(fraction) = fraction {
            out.push('.');
            out.push_str(fraction);
        }
        out
    }
}

/// "1234567" as "1,234,567".
fn group(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

impl fmt::Display for Money {
    /// `₦1,234,567.50`, `-₦20.00`: grouped thousands, always the minor digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rounded = self.rounded().amount;
        let digits = self.currency.minor_digits() as usize;
        let text = format!("{:.digits$}", rounded.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((text.as_str(), ""));
        let grouped = group(whole);
        let sign = if rounded.is_sign_negative() && !rounded.is_zero() { "-" } else { "" };
        let symbol = self.currency.symbol();
        if fraction.is_empty() {
            write!(f, "{sign}{symbol}{grouped}")
        } else {
            write!(f, "{sign}{symbol}{grouped}.{fraction}")
        }
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn naira(text: &str) -> Money {
        Money::ngn(Decimal::from_str(text).unwrap_or_default())
    }

    #[test]
    fn amounts_are_typed_as_people_write_them() {
        assert_eq!(naira("11200").for_input(), "11,200");
        assert_eq!(naira("11200.00").for_input(), "11,200");
        assert_eq!(naira("3100.50").for_input(), "3,100.5");
        assert_eq!(naira("1234567.8912").for_input(), "1,234,567.8912");
        assert_eq!(naira("-20").for_input(), "-20");
        assert_eq!(naira("999").for_input(), "999");
    }

    #[test]
    fn rounding_is_half_up_to_kobo() {
        assert_eq!(naira("10.005").rounded(), naira("10.01"));
        assert_eq!(naira("10.004").rounded(), naira("10.00"));
        assert_eq!(naira("-10.005").rounded(), naira("-10.01"));
    }

    #[test]
    fn naira_prints_with_grouped_thousands_and_kobo() {
        assert_eq!(naira("1234567.5").to_string(), "₦1,234,567.50");
        assert_eq!(naira("999").to_string(), "₦999.00");
        assert_eq!(naira("0").to_string(), "₦0.00");
        assert_eq!(naira("-20").to_string(), "-₦20.00");
        assert_eq!(naira("100000").to_string(), "₦100,000.00");
    }

    #[test]
    fn vat_on_a_price_is_exact() {
        let vat = (naira("1999.99").amount * Decimal::from_str("0.075").unwrap_or_default()).round_dp(4);
        assert_eq!(Money::ngn(vat).rounded(), naira("150.00"));
    }

    #[test]
    fn amounts_travel_exact_with_at_least_kobo() {
        let exact_text = |text: &str| exact(Decimal::from_str(text).unwrap_or_default()).to_string();
        assert_eq!(exact_text("1500"), "1500.00");
        assert_eq!(exact_text("1500.5000"), "1500.50");
        assert_eq!(exact_text("12.3456"), "12.3456");
        assert_eq!(exact_text("10.005"), "10.005", "never rounded on the way: rounding is Money::rounded's");
        assert_eq!(exact_text("0"), "0.00");
    }

    #[test]
    fn the_largest_amount_is_a_trillion() {
        assert_eq!(LARGEST_AMOUNT, Decimal::from(1_000_000_000_000_i64));
    }

    #[test]
    fn currency_codes_round_trip() {
        for currency in [Currency::NGN, Currency::GHS, Currency::KES, Currency::ZAR, Currency::USD] {
            assert_eq!(Currency::from_code(currency.code()), Some(currency));
        }
        assert_eq!(Currency::from_code("XYZ"), None);
    }
}
