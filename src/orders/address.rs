//! Addresses in Nigeria: a street line, a town, the local government area and the state (one
//! of the thirty-six or the Federal Capital Territory), checked the same way wherever one is
//! typed.

use serde::{Deserialize, Serialize};

use crate::Error;

/// Nigeria's thirty-six states and the Federal Capital Territory, as people write them.
pub const STATES: [&str; 37] = [
    "Abia",
    "Adamawa",
    "Akwa Ibom",
    "Anambra",
    "Bauchi",
    "Bayelsa",
    "Benue",
    "Borno",
    "Cross River",
    "Delta",
    "Ebonyi",
    "Edo",
    "Ekiti",
    "Enugu",
    "FCT",
    "Gombe",
    "Imo",
    "Jigawa",
    "Kaduna",
    "Kano",
    "Katsina",
    "Kebbi",
    "Kogi",
    "Kwara",
    "Lagos",
    "Nasarawa",
    "Niger",
    "Ogun",
    "Ondo",
    "Osun",
    "Oyo",
    "Plateau",
    "Rivers",
    "Sokoto",
    "Taraba",
    "Yobe",
    "Zamfara",
];

/// The state `text` names, as [`STATES`] writes it (any case; "Abuja" and "Federal Capital
/// Territory" are the FCT).
pub fn state(text: &str) -> Option<&'static str> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("abuja") || text.eq_ignore_ascii_case("federal capital territory") {
        return Some("FCT");
    }
    STATES.into_iter().find(|s| s.eq_ignore_ascii_case(text))
}

/// An address in Nigeria.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// House number and street, with any landmark.
    pub line: String,
    /// Town or area.
    pub city: String,
    /// Local government area.
    pub lga: String,
    /// State, as [`STATES`] writes it.
    pub state: String,
}

impl Address {
    /// The address checked and tidied, or every field that is wrong, named under `prefix`
    /// (`address.line`).
    pub fn checked(&self, prefix: &str) -> Result<Self, Error> {
        let mut problems = Vec::new();
        let mut text = |field: &str, value: &str, most: usize, required: bool| {
            let value = value.trim();
            let name = format!("{prefix}.{field}");
            if value.contains('\0') {
                problems.push((name, "must not contain a NUL character".to_owned()));
            } else if required && value.is_empty() {
                problems.push((name, "required".to_owned()));
            } else if value.chars().count() > most {
                problems.push((name, format!("at most {most} characters")));
            }
            value.to_owned()
        };
        let line = text("line", &self.line, 200, true);
        let city = text("city", &self.city, 80, true);
        let lga = text("lga", &self.lga, 80, false);
        let state = state(&self.state).map_or_else(
            || {
                problems.push((format!("{prefix}.state"), "choose one of Nigeria's states or the FCT".to_owned()));
                String::new()
            },
            str::to_owned,
        );
        Error::invalid_all(problems)?;
        Ok(Self { line, city, lga, state })
    }

    /// The address on one line.
    pub fn one_line(&self) -> String {
        [self.line.as_str(), self.city.as_str(), self.lga.as_str(), self.state.as_str()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_and_the_fct_are_known_once() {
        assert_eq!(STATES.len(), 37);
        let mut sorted = STATES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 37);
        assert_eq!(state("lagos"), Some("Lagos"));
        assert_eq!(state(" Abuja "), Some("FCT"));
        assert_eq!(state("Akwa ibom"), Some("Akwa Ibom"));
        assert_eq!(state("Lagoss"), None);
    }

    #[test]
    fn an_address_names_each_wrong_field() {
        let wrong = Address { line: " ".into(), city: "Ikeja".into(), lga: "x".repeat(81), state: "Atlantis".into() };
        let error = wrong.checked("address").expect_err("refused");
        let fields: Vec<&str> = error.field_problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["address.line", "address.lga", "address.state"]);
        let right = Address {
            line: " 12 Allen Avenue ".into(),
            city: "Ikeja".into(),
            lga: String::new(),
            state: "lagos".into(),
        };
        let tidy = right.checked("address").expect("accepted");
        assert_eq!(tidy.one_line(), "12 Allen Avenue, Ikeja, Lagos");
    }
}
