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

/// The local government areas of `state` (as [`STATES`] writes it); none for an unknown state.
pub fn lgas(state: &str) -> &'static [&'static str] {
    super::lgas::LGAS.iter().find(|(s, _)| *s == state).map_or(&[][..], |(_, areas)| *areas)
}

/// The local government area of `state` that `text` names, as the list spells it (any case,
/// spaces and hyphens alike).
pub fn lga(state: &str, text: &str) -> Option<&'static str> {
    let plain = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let wanted = plain(text);
    lgas(state).iter().copied().find(|area| plain(area) == wanted)
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

/// An address kept in a shopper's address book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAddress {
    /// Its id in the book.
    pub id: uuid::Uuid,
    /// The address.
    pub address: Address,
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
            // Spaces as one types them by mistake (doubled, at either end) are not part of it.
            value.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        let line = text("line", &self.line, 200, true);
        let city = text("city", &self.city, 80, true);
        let typed_lga = text("lga", &self.lga, 80, false);
        let state = state(&self.state).map_or_else(
            || {
                problems.push((format!("{prefix}.state"), "choose one of Nigeria's states or the FCT".to_owned()));
                String::new()
            },
            str::to_owned,
        );
        // Left out, or one of the state's own (as the list spells it).
        let lga = if typed_lga.is_empty() || state.is_empty() {
            typed_lga
        } else if let Some(area) = lga(&state, &typed_lga) {
            area.to_owned()
        } else {
            problems.push((
                format!("{prefix}.lga"),
                format!("{typed_lga} is not a local government area of {state}; choose one of the state's"),
            ));
            typed_lga
        };
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
    fn every_state_has_its_local_government_areas_and_no_other() {
        let lists: Vec<&str> = super::super::lgas::LGAS.iter().map(|(s, _)| *s).collect();
        assert_eq!(lists, STATES, "one list per state, in the same order");
        let total: usize = STATES.iter().map(|s| lgas(s).len()).sum();
        assert_eq!(total, 774);
        assert_eq!(lgas("Lagos").len(), 20);
        assert_eq!(lgas("FCT").len(), 6);
        assert_eq!(lgas("Kano").len(), 44);
        for state in STATES {
            let mut areas = lgas(state).to_vec();
            areas.sort_unstable();
            areas.dedup();
            assert_eq!(areas.len(), lgas(state).len(), "no area twice in {state}");
        }
        assert_eq!(lga("Lagos", "ikeja"), Some("Ikeja"));
        assert_eq!(lga("Lagos", "Ifako Ijaiye"), Some("Ifako-Ijaiye"));
        assert_eq!(lga("FCT", "abuja municipal"), Some("Abuja Municipal"));
        assert_eq!(lga("Kano", "Ikeja"), None, "another state's");
        assert_eq!(lga("Atlantis", "Ikeja"), None);
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
        let area = Address { lga: "ETI OSA".into(), ..right.clone() }.checked("address").expect("accepted");
        assert_eq!(area.lga, "Eti-Osa", "as the list spells it");
        let elsewhere = Address { lga: "Kano Municipal".into(), ..right }.checked("address").expect_err("refused");
        let fields: Vec<&str> = elsewhere.field_problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["address.lga"]);
    }
}
