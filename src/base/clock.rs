//! Times as a business reads them: in its own time zone, not UTC.
//!
//! A business chooses its zone from a short list (`identity::TIME_ZONES`). All of them but Cairo
//! keep one offset all year, and Cairo's summer time follows one rule (since 2023: from the last
//! Friday of April to the last Thursday of October), so the offsets are written out here rather
//! than shipping the world's zone database to every browser that shows a time.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc, Weekday};

/// No offset; a constant, so that it needs no checking at run time.
const UTC: FixedOffset = match FixedOffset::east_opt(0) {
    Some(utc) => utc,
    None => panic!("zero is a valid offset"),
};

/// A business's time zone, by its IANA name ("Africa/Lagos").
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Zone(pub String);

impl Default for Zone {
    fn default() -> Self {
        Self("Africa/Lagos".to_owned())
    }
}

impl Zone {
    /// The offset from UTC at `at`; UTC for a name it does not know.
    pub fn offset_at(&self, at: DateTime<Utc>) -> FixedOffset {
        let hours = match self.0.as_str() {
            "Africa/Lagos" | "Africa/Douala" | "Africa/Kinshasa" => 1,
            "Africa/Cairo" if cairo_summer(at) => 3,
            "Africa/Johannesburg" | "Africa/Kigali" | "Africa/Cairo" => 2,
            "Africa/Kampala" | "Africa/Nairobi" | "Africa/Dar_es_Salaam" | "Africa/Addis_Ababa" => 3,
            _ => 0,
        };
        FixedOffset::east_opt(hours * 3600).unwrap_or(UTC)
    }

    /// `at` on the business's clock.
    pub fn local(&self, at: DateTime<Utc>) -> DateTime<FixedOffset> {
        at.with_timezone(&self.offset_at(at))
    }

    /// The instant `day` begins on the business's clock.
    pub fn start_of(&self, day: NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_time(chrono::NaiveTime::MIN).and_utc();
        // The offset a few hours before midnight UTC is the one in force at local midnight
        // (summer time changes at neither end of a day here).
        let offset = self.offset_at(midnight - Duration::hours(3));
        midnight - Duration::seconds(i64::from(offset.local_minus_utc()))
    }

    /// `at` as people read it: "4 Dec 2026 14:05".
    pub fn format(&self, at: DateTime<Utc>) -> String {
        self.local(at).format("%-d %b %Y %H:%M").to_string()
    }

    /// The zone's short name beside a time: "WAT" for Lagos, "UTC+3" where none is common.
    pub fn abbreviation(&self, at: DateTime<Utc>) -> String {
        match self.0.as_str() {
            "Africa/Lagos" | "Africa/Douala" | "Africa/Kinshasa" => "WAT".to_owned(),
            "Africa/Johannesburg" => "SAST".to_owned(),
            "Africa/Kigali" => "CAT".to_owned(),
            "Africa/Kampala" | "Africa/Nairobi" | "Africa/Dar_es_Salaam" | "Africa/Addis_Ababa" => "EAT".to_owned(),
            "Africa/Cairo" if cairo_summer(at) => "EEST".to_owned(),
            "Africa/Cairo" => "EET".to_owned(),
            "Africa/Accra" | "Africa/Abidjan" | "Africa/Dakar" => "GMT".to_owned(),
            _ => "UTC".to_owned(),
        }
    }
}

/// Egypt's summer time, kept again since 2023: from the last Friday of April at 00:00 (22:00 UTC
/// the day before) until the last Thursday of October at 24:00 summer time (21:00 UTC).
fn cairo_summer(at: DateTime<Utc>) -> bool {
    let year = at.year();
    if year < 2023 {
        return false;
    }
    let (Some(friday), Some(thursday)) = (last_weekday(year, 4, Weekday::Fri), last_weekday(year, 10, Weekday::Thu))
    else {
        return false;
    };
    let starts = friday.and_hms_opt(0, 0, 0).map(|t| t.and_utc() - Duration::hours(2));
    let ends = thursday.and_hms_opt(21, 0, 0).map(|t| t.and_utc());
    matches!((starts, ends), (Some(s), Some(e)) if at >= s && at < e)
}

fn last_weekday(year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
    let next_month = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }?;
    let last = next_month.pred_opt()?;
    let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    Some(last - Duration::days(i64::from(back)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().expect("a time")
    }

    #[test]
    fn lagos_is_an_hour_ahead_all_year() {
        let lagos = Zone("Africa/Lagos".to_owned());
        assert_eq!(lagos.format(utc("2026-12-04T23:30:00Z")), "5 Dec 2026 00:30");
        assert_eq!(lagos.format(utc("2026-07-01T08:00:00Z")), "1 Jul 2026 09:00");
        assert_eq!(lagos.abbreviation(utc("2026-07-01T08:00:00Z")), "WAT");
    }

    #[test]
    fn cairo_keeps_summer_time_from_late_april_to_late_october() {
        let cairo = Zone("Africa/Cairo".to_owned());
        // 2026: the last Friday of April is the 24th, the last Thursday of October the 29th.
        assert_eq!(cairo.offset_at(utc("2026-04-23T21:59:59Z")).local_minus_utc(), 2 * 3600);
        assert_eq!(cairo.offset_at(utc("2026-04-23T22:00:00Z")).local_minus_utc(), 3 * 3600);
        assert_eq!(cairo.offset_at(utc("2026-10-29T20:59:59Z")).local_minus_utc(), 3 * 3600);
        assert_eq!(cairo.offset_at(utc("2026-10-29T21:00:00Z")).local_minus_utc(), 2 * 3600);
        assert_eq!(cairo.offset_at(utc("2022-07-01T00:00:00Z")).local_minus_utc(), 2 * 3600);
    }

    #[test]
    fn a_day_starts_at_midnight_on_the_businesss_clock() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 4).expect("a day");
        assert_eq!(Zone("Africa/Lagos".to_owned()).start_of(day), utc("2026-12-03T23:00:00Z"));
        assert_eq!(Zone("UTC".to_owned()).start_of(day), utc("2026-12-04T00:00:00Z"));
        let summer = NaiveDate::from_ymd_opt(2026, 7, 1).expect("a day");
        assert_eq!(Zone("Africa/Cairo".to_owned()).start_of(summer), utc("2026-06-30T21:00:00Z"));
    }

    #[test]
    fn an_unknown_zone_reads_as_utc() {
        assert_eq!(Zone("Mars/Olympus".to_owned()).format(utc("2026-12-04T10:00:00Z")), "4 Dec 2026 10:00");
    }
}
