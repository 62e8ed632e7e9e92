//! Nigerian mobile numbers, read as people write them and kept in one form.
//!
//! People write the same number many ways: `0803 123 4567`, `08031234567`, `+234 803 123 4567`,
//! `234-803-123-4567`, `(0803) 123 4567`, or without its leading 0 (`803 123 4567`). All are
//! read; the number is kept in the international form (`+2348031234567`), so that one person is
//! one number, whichever way they typed it, and shown the way Nigerians read it
//! (`0803 123 4567`).
//!
//! A mobile number has ten digits after the country's code (0 at home), beginning 70, 80, 81,
//! 90 or 91: the ranges the networks (MTN, Airtel, Glo, 9mobile and others) are given. Couriers
//! and shoppers call and message mobiles, so that is what a contact number must be.

/// The country's calling code.
const COUNTRY: &str = "234";

/// The first two digits of every mobile number, after the 0 (or the country's code).
const MOBILE_RANGES: [&str; 5] = ["70", "80", "81", "90", "91"];

/// What to say when a number cannot be read as a Nigerian mobile number.
pub const NOT_A_MOBILE: &str = "enter a Nigerian mobile number, such as 0803 123 4567";

/// `text` as a Nigerian mobile number in its international form (`+2348031234567`); `None`
/// when it is not one.
pub fn nigerian_mobile(text: &str) -> Option<String> {
    let text = text.trim();
    let plus = text.starts_with('+');
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    // Only digits and the separators people put between them.
    let separators_only =
        text.chars().skip(usize::from(plus)).all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'));
    if !separators_only {
        return None;
    }
    let national = match digits.strip_prefix(COUNTRY) {
        Some(rest) if rest.len() == 10 || (rest.len() == 11 && rest.starts_with('0')) => {
            rest.strip_prefix('0').unwrap_or(rest)
        }
        _ if plus => return None,
        _ => match digits.len() {
            11 => digits.strip_prefix('0')?,
            10 => digits.as_str(),
            _ => return None,
        },
    };
    let mobile = national.len() == 10 && MOBILE_RANGES.iter().any(|range| national.starts_with(range));
    mobile.then(|| format!("+{COUNTRY}{national}"))
}

/// A number kept by [`nigerian_mobile`] as Nigerians read it: `0803 123 4567`. Anything else is
/// shown as it is.
pub fn for_display(number: &str) -> String {
    match number.strip_prefix("+234") {
        Some(national) if national.len() == 10 && national.chars().all(|c| c.is_ascii_digit()) => {
            format!("0{} {} {}", &national[..3], &national[3..6], &national[6..])
        }
        _ => number.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{for_display, nigerian_mobile};

    #[test]
    fn a_mobile_number_is_read_however_it_is_written() {
        for written in [
            "08031234567",
            "0803 123 4567",
            "0803-123-4567",
            "(0803) 123 4567",
            "803 123 4567",
            "+2348031234567",
            "+234 803 123 4567",
            "+234 (0) 803 123 4567",
            "234-803-123-4567",
            "2340803 123 4567",
            " 0803.123.4567 ",
        ] {
            assert_eq!(nigerian_mobile(written).as_deref(), Some("+2348031234567"), "{written}");
        }
        for range in ["0701 234 5678", "0812 345 6789", "0903 456 7890", "0915 678 9012"] {
            assert!(nigerian_mobile(range).is_some(), "{range}");
        }
    }

    #[test]
    fn what_is_not_a_nigerian_mobile_number_is_refused() {
        for wrong in [
            "",
            "0803 123 456",      // a digit short
            "0803 123 45678",    // a digit over
            "01 234 5678",       // a Lagos landline
            "0603 123 4567",     // no network's range
            "+44 7911 123456",   // another country
            "+1 803 123 4567",   // another country, the right length
            "0803 123 4567 ext", // words
            "0803\u{0}1234567",  // a NUL
            "٠٨٠٣١٢٣٤٥٦٧",       // Arabic-Indic digits
        ] {
            assert_eq!(nigerian_mobile(wrong), None, "{wrong:?}");
        }
    }

    #[test]
    fn a_kept_number_is_shown_as_nigerians_read_it() {
        assert_eq!(for_display("+2348031234567"), "0803 123 4567");
        assert_eq!(for_display("0803 123 4567 (old)"), "0803 123 4567 (old)");
    }
}
