//! Nigerian banks, and the check an account number must pass before money is sent to it.
//!
//! An account number is a NUBAN: ten digits, the last a check digit over the bank's code and
//! the nine before it (the Central Bank's standard). The digit is checked for the deposit money
//! banks, whose three-digit codes it is defined with; for the banks and wallets that have only a
//! six-digit transfer code (`OPay`, Moniepoint, Kuda, …) ten digits are all that can be checked
//! here, and the transfer itself names the account's holder before money moves.

use serde::{Deserialize, Serialize};

/// A bank a vendor may be paid at: its code (as transfer services know it) and its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bank {
    /// The code transfers name it by: three digits for a deposit money bank, more for others.
    pub code: &'static str,
    /// Its name as people know it.
    pub name: &'static str,
}

/// The banks offered, by name.
pub const BANKS: &[Bank] = &[
    Bank { code: "044", name: "Access Bank" },
    Bank { code: "023", name: "Citibank Nigeria" },
    Bank { code: "050", name: "Ecobank Nigeria" },
    Bank { code: "070", name: "Fidelity Bank" },
    Bank { code: "011", name: "First Bank of Nigeria" },
    Bank { code: "214", name: "First City Monument Bank" },
    Bank { code: "103", name: "Globus Bank" },
    Bank { code: "058", name: "Guaranty Trust Bank" },
    Bank { code: "301", name: "Jaiz Bank" },
    Bank { code: "082", name: "Keystone Bank" },
    Bank { code: "090267", name: "Kuda Microfinance Bank" },
    Bank { code: "303", name: "Lotus Bank" },
    Bank { code: "50515", name: "Moniepoint Microfinance Bank" },
    Bank { code: "999992", name: "OPay" },
    Bank { code: "999991", name: "PalmPay" },
    Bank { code: "104", name: "Parallex Bank" },
    Bank { code: "076", name: "Polaris Bank" },
    Bank { code: "105", name: "PremiumTrust Bank" },
    Bank { code: "101", name: "Providus Bank" },
    Bank { code: "221", name: "Stanbic IBTC Bank" },
    Bank { code: "068", name: "Standard Chartered Bank" },
    Bank { code: "232", name: "Sterling Bank" },
    Bank { code: "100", name: "SunTrust Bank" },
    Bank { code: "302", name: "TAJBank" },
    Bank { code: "102", name: "Titan Trust Bank" },
    Bank { code: "032", name: "Union Bank of Nigeria" },
    Bank { code: "033", name: "United Bank for Africa" },
    Bank { code: "215", name: "Unity Bank" },
    Bank { code: "035", name: "Wema Bank" },
    Bank { code: "057", name: "Zenith Bank" },
];

/// The bank with this code, if it is one offered.
pub fn bank(code: &str) -> Option<&'static Bank> {
    BANKS.iter().find(|b| b.code == code)
}

/// What is wrong with `number` as an account at `bank`, if anything: it must be ten digits, and
/// at a deposit money bank its last digit must be the NUBAN check digit.
pub fn nuban_problem(bank: &Bank, number: &str) -> Option<&'static str> {
    if number.len() != 10 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Some("an account number is 10 digits");
    }
    if bank.code.len() == 3 && check_digit(bank.code, &number[..9]) != number.as_bytes()[9] - b'0' {
        return Some("this is not an account number at that bank: check the digits and the bank");
    }
    None
}

/// The NUBAN check digit of a nine-digit serial at a bank with a three-digit code: the twelve
/// digits weighed 3, 7, 3 in turn, summed, and taken from the next ten (ten itself being 0).
fn check_digit(bank_code: &str, serial: &str) -> u8 {
    let sum: u32 = bank_code
        .bytes()
        .chain(serial.bytes())
        .zip([3, 7, 3].into_iter().cycle())
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    u8::try_from((10 - sum % 10) % 10).unwrap_or(0)
}

/// The account number written as its owner reads it on a card or a statement, spaces and dashes
/// left out.
pub fn plain_number(typed: &str) -> String {
    typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_central_banks_worked_example_passes_and_a_changed_digit_fails() {
        // The standard's own example: First Bank (011), serial 000001457, check digit 9.
        let first = bank("011").unwrap();
        assert_eq!(check_digit("011", "000001457"), 9);
        assert_eq!(nuban_problem(first, "0000014579"), None);
        assert!(nuban_problem(first, "0000014578").is_some());
        // The same serial at another bank is another account, with another check digit.
        assert!(nuban_problem(bank("058").unwrap(), "0000014579").is_some());
    }

    #[test]
    fn an_account_number_is_ten_digits() {
        let opay = bank("999992").unwrap();
        for wrong in ["", "801234567", "80123456789", "80123x5678", "8012 34567"] {
            assert_eq!(nuban_problem(opay, wrong), Some("an account number is 10 digits"), "{wrong:?}");
        }
        assert_eq!(nuban_problem(opay, "8012345678"), None, "only ten digits can be checked at a wallet");
        assert_eq!(plain_number(" 0000-014 579 "), "0000014579");
    }

    #[test]
    fn every_bank_has_one_code() {
        for (i, b) in BANKS.iter().enumerate() {
            assert!(BANKS[..i].iter().all(|o| o.code != b.code), "{} twice", b.code);
            assert!((3..=6).contains(&b.code.len()) && b.code.bytes().all(|c| c.is_ascii_digit()));
        }
    }
}
