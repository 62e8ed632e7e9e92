//! Barcodes: GTINs (EAN-8, UPC-A, EAN-13, GTIN-14) with their check digit verified, or a
//! merchant's own code for goods they label themselves.

/// Checks a barcode as typed and answers it tidied (spaces removed), or why it is refused.
///
/// A code of 8, 12, 13 or 14 digits is read as a GTIN and must carry the right check digit;
/// anything else of 4 to 32 letters, digits and dashes is taken as the merchant's own code.
pub fn check(text: &str) -> Result<String, String> {
    let code: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if code.is_empty() {
        return Err("enter a barcode, or leave it empty".into());
    }
    if code.chars().all(|c| c.is_ascii_digit()) && matches!(code.len(), 8 | 12 | 13 | 14) {
        let expected = check_digit(&code[..code.len() - 1]);
        let given = code.as_bytes()[code.len() - 1] - b'0';
        if given != expected {
            return Err(format!(
                "the check digit of this {}-digit barcode should be {expected}, not {given}: look at it again",
                code.len()
            ));
        }
        return Ok(code);
    }
    if (4..=32).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Ok(code);
    }
    Err("use an EAN-13, EAN-8 or UPC-A number, or your own code of 4 to 32 letters, digits and dashes".into())
}

/// The GS1 check digit for the digits before it: from the right, weights 3, 1, 3, 1…
fn check_digit(body: &str) -> u8 {
    let sum: u32 =
        body.bytes().rev().enumerate().map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    u8::try_from((10 - sum % 10) % 10).unwrap_or(0)
}

/// A valid EAN-13 made from a 12-digit body (for labels a shop prints itself and demo data).
pub fn ean13(body12: &str) -> Option<String> {
    (body12.len() == 12 && body12.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{body12}{}", check_digit(body12)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_product_codes_pass_and_a_wrong_check_digit_is_named() {
        assert_eq!(check("5 449000 000996"), Ok("5449000000996".into()), "EAN-13 with spaces");
        assert_eq!(check("036000291452"), Ok("036000291452".into()), "UPC-A");
        assert_eq!(check("96385074"), Ok("96385074".into()), "EAN-8");
        let wrong = check("5449000000997").unwrap_err();
        assert!(wrong.contains("should be 6, not 7"), "{wrong}");
    }

    #[test]
    fn a_merchants_own_codes_are_accepted_within_reason() {
        assert_eq!(check("OJA-0042"), Ok("OJA-0042".into()));
        assert!(check("x").is_err());
        assert!(check("café-01").is_err());
        assert!(check("").is_err());
    }

    #[test]
    fn made_up_ean13_codes_carry_a_valid_check_digit() {
        let code = ean13("615000000001").unwrap();
        assert_eq!(check(&code), Ok(code.clone()));
        assert_eq!(ean13("12"), None);
    }
}
