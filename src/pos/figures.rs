//! Receipt numbers and the money a return gives back: the same on the till and the server.

use rust_decimal::{Decimal, RoundingStrategy};

/// A register's receipt number: its prefix and its own sequence, six digits at least
/// (`R01-000057`).
pub fn receipt_number(prefix: &str, sequence: i64) -> String {
    format!("{prefix}-{sequence:06}")
}

/// The sequence of `receipt` when it is one of the register with `prefix`.
pub fn sequence_of(receipt: &str, prefix: &str) -> Option<i64> {
    let digits = receipt.strip_prefix(prefix)?.strip_prefix('-')?;
    if !(6..=9).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&n| n > 0)
}

/// What bringing back `back` of a line's `sold` units gives back: that share of the line's VAT
/// and total as charged (its discount included), each rounded half away from zero to the kobo,
/// and the net as their difference, so that the three add up as the line's did. Answers
/// `(net, vat, total)`.
pub fn return_figures(sold: i32, vat: Decimal, total: Decimal, back: i32) -> (Decimal, Decimal, Decimal) {
    if sold <= 0 || back <= 0 {
        return (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    }
    let share = |amount: Decimal| {
        (amount * Decimal::from(back) / Decimal::from(sold))
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    };
    let (vat, total) = if back >= sold { (vat, total) } else { (share(vat), share(total)) };
    (total - vat, vat, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_numbers_read_back_only_for_their_register() {
        assert_eq!(receipt_number("R01", 57), "R01-000057");
        assert_eq!(receipt_number("R01", 1_234_567), "R01-1234567");
        assert_eq!(sequence_of("R01-000057", "R01"), Some(57));
        assert_eq!(sequence_of("R01-1234567", "R01"), Some(1_234_567));
        assert_eq!(sequence_of("R01-000057", "R02"), None);
        assert_eq!(sequence_of("R01-57", "R01"), None);
        assert_eq!(sequence_of("R01-000000", "R01"), None);
        assert_eq!(sequence_of("R01-00005a", "R01"), None);
        assert_eq!(sequence_of("R010-000057", "R01"), None);
    }

    #[test]
    fn a_return_gives_back_its_share_and_the_whole_line_gives_back_all() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        // ₦1,000 × 3 with prices including VAT: 3,000.00 with 209.30 VAT.
        assert_eq!(return_figures(3, d("209.30"), d("3000.00"), 1), (d("930.23"), d("69.77"), d("1000.00")));
        assert_eq!(return_figures(3, d("209.30"), d("3000.00"), 3), (d("2790.70"), d("209.30"), d("3000.00")));
        // A discounted line gives back what was paid, not the shelf price.
        assert_eq!(return_figures(2, d("0"), d("1500.00"), 1), (d("750.00"), d("0"), d("750.00")));
        assert_eq!(return_figures(0, d("1"), d("1"), 1), (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO));
    }
}
