//! Periods on the business's own calendar: days from one to another, both included.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Error;

/// The longest period the dashboard reads at once: three years (the period before it doubles
/// what is read).
pub const LONGEST_DAYS: i64 = 3 * 366;

/// The periods a person picks from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Span {
    /// Today so far.
    Today,
    /// Yesterday.
    Yesterday,
    /// The last seven days, today included.
    Last7,
    /// The last thirty days, today included.
    Last30,
    /// From the first of this month to today.
    ThisMonth,
    /// The last twelve months, today included.
    LastYear,
    /// Days the person chose.
    Custom,
}

impl Span {
    /// Every span, in the order a picker lists them.
    pub const ALL: [Span; 7] =
        [Self::Today, Self::Yesterday, Self::Last7, Self::Last30, Self::ThisMonth, Self::LastYear, Self::Custom];

    /// As a link or the API names it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Today => "today",
            Self::Yesterday => "yesterday",
            Self::Last7 => "7d",
            Self::Last30 => "30d",
            Self::ThisMonth => "month",
            Self::LastYear => "12m",
            Self::Custom => "custom",
        }
    }

    /// Reads a code back.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// As a picker shows it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Today => "Today",
            Self::Yesterday => "Yesterday",
            Self::Last7 => "Last 7 days",
            Self::Last30 => "Last 30 days",
            Self::ThisMonth => "This month",
            Self::LastYear => "Last 12 months",
            Self::Custom => "Custom",
        }
    }

    /// The days it covers, as of `today` on the business's clock; `None` for a custom span.
    pub fn period(self, today: NaiveDate) -> Option<Period> {
        let back = |days: i64| Period { from: today - Duration::days(days - 1), until: today };
        Some(match self {
            Self::Today => back(1),
            Self::Yesterday => {
                let day = today - Duration::days(1);
                Period { from: day, until: day }
            }
            Self::Last7 => back(7),
            Self::Last30 => back(30),
            Self::ThisMonth => Period { from: today.with_day(1).unwrap_or(today), until: today },
            Self::LastYear => Period {
                from: today.checked_sub_months(chrono::Months::new(12)).unwrap_or(today) + Duration::days(1),
                until: today,
            },
            Self::Custom => return None,
        })
    }
}

/// Days from `from` to `until`, both included, on the business's calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Period {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub until: NaiveDate,
}

impl Period {
    /// A period from two days as people type them (`2026-12-01`): the last day left out is the
    /// fallback's, the first left out makes the period as long as the fallback. Refuses a day that is not one, an end before the start, and a period longer
    /// than [`LONGEST_DAYS`], naming the field.
    pub fn parse(from: Option<&str>, until: Option<&str>, fallback: Period) -> Result<Self, Error> {
        let day = |text: Option<&str>, field: &str, default: NaiveDate| match text.map(str::trim) {
            None | Some("") => Ok(default),
            Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| Error::invalid(field, "give a day as YYYY-MM-DD, for example 2026-12-01")),
        };
        let until = day(until, "until", fallback.until)?;
        // Without a first day, the period is as long as the fallback and ends on the last day.
        let from = day(from, "from", until - Duration::days(fallback.days() - 1))?;
        let period = Self { from, until };
        if period.until < period.from {
            return Err(Error::invalid("until", "the last day comes before the first"));
        }
        if period.days() > LONGEST_DAYS {
            return Err(Error::invalid("from", "choose at most three years at once"));
        }
        if period.from.year() < 2000 || period.until.year() > 2200 {
            return Err(Error::invalid("from", "choose days between the years 2000 and 2200"));
        }
        Ok(period)
    }

    /// How many days it covers.
    pub fn days(self) -> i64 {
        (self.until - self.from).num_days() + 1
    }

    /// The period of the same length that ends the day before this one starts.
    #[must_use]
    pub fn previous(self) -> Self {
        let until = self.from - Duration::days(1);
        Self { from: until - Duration::days(self.days() - 1), until }
    }

    /// Every day of it, in order.
    pub fn each_day(self) -> impl Iterator<Item = NaiveDate> {
        self.from.iter_days().take_while(move |day| *day <= self.until)
    }

    /// As a heading reads it: "1 Dec 2026", "1 – 7 Dec 2026", "28 Nov – 4 Dec 2026".
    pub fn label(self) -> String {
        if self.from == self.until {
            return self.from.format("%-d %b %Y").to_string();
        }
        let start = if self.from.year() != self.until.year() {
            "%-d %b %Y"
        } else if self.from.month() != self.until.month() {
            "%-d %b"
        } else {
            "%-d"
        };
        format!("{} \u{2013} {}", self.from.format(start), self.until.format("%-d %b %Y"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn each_span_covers_its_days_and_the_one_before_is_as_long() {
        let today = day("2026-12-03");
        let last7 = Span::Last7.period(today).unwrap();
        assert_eq!((last7.from, last7.until, last7.days()), (day("2026-11-27"), today, 7));
        assert_eq!(last7.previous(), Period { from: day("2026-11-20"), until: day("2026-11-26") });
        let month = Span::ThisMonth.period(today).unwrap();
        assert_eq!(month.from, day("2026-12-01"));
        assert_eq!(month.previous(), Period { from: day("2026-11-28"), until: day("2026-11-30") });
        assert_eq!(Span::Yesterday.period(today).unwrap().days(), 1);
        assert_eq!(Span::LastYear.period(today).unwrap().from, day("2025-12-04"));
        assert_eq!(Span::Last30.period(today).unwrap().each_day().count(), 30);
    }

    #[test]
    fn a_typed_period_is_checked_field_by_field() {
        let fallback = Span::Last7.period(day("2026-12-03")).unwrap();
        assert_eq!(Period::parse(None, None, fallback).unwrap(), fallback);
        let chosen = Period::parse(Some("2026-01-01"), Some("2026-01-31"), fallback).unwrap();
        assert_eq!(chosen.days(), 31);
        let ending = Period::parse(None, Some("2026-06-30"), fallback).unwrap();
        assert_eq!((ending.from, ending.days()), (day("2026-06-24"), 7));
        let field = |result: Result<Period, Error>| match result {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(Period::parse(Some("yesterday"), None, fallback)), "from");
        assert_eq!(field(Period::parse(Some("2026-02-01"), Some("2026-01-01"), fallback)), "until");
        assert_eq!(field(Period::parse(Some("2010-01-01"), Some("2026-01-01"), fallback)), "from");
        assert_eq!(field(Period::parse(Some("2026-01-01\0"), None, fallback)), "from");
    }

    #[test]
    fn a_period_reads_as_people_write_it() {
        assert_eq!(Period { from: day("2026-12-01"), until: day("2026-12-01") }.label(), "1 Dec 2026");
        assert_eq!(Period { from: day("2026-12-01"), until: day("2026-12-07") }.label(), "1 \u{2013} 7 Dec 2026");
        assert_eq!(Period { from: day("2026-11-28"), until: day("2026-12-04") }.label(), "28 Nov \u{2013} 4 Dec 2026");
        assert_eq!(
            Period { from: day("2025-12-28"), until: day("2026-01-03") }.label(),
            "28 Dec 2025 \u{2013} 3 Jan 2026"
        );
    }
}
