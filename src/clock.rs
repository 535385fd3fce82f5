//! The current time (from `PREPDECK_NOW` or the system) and study-day arithmetic.

use crate::error::Error;
use chrono::{DateTime, FixedOffset, Local, NaiveDate, TimeDelta, TimeZone, Timelike};

/// Environment variable that fixes the clock, as an RFC 3339 timestamp.
pub const NOW_VAR: &str = "PREPDECK_NOW";

/// A study day starts at this local hour, as in Anki: 00:30 still counts for the day before.
pub const DAY_STARTS_AT_HOUR: i64 = 4;

/// Where "now" comes from: fixed (tests, scripts) or the system clock.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    /// Always returns the same instant.
    Fixed(DateTime<FixedOffset>),
    /// Reads the system clock on every call.
    System,
}

impl Clock {
    /// The clock the environment asks for: `PREPDECK_NOW` when set, else the system clock.
    ///
    /// An empty `PREPDECK_NOW=` counts as unset: that is how shells and CI files clear
    /// a variable, and nobody means "no time at all" by it.
    pub fn from_env() -> Result<Clock, Error> {
        Clock::from_value(std::env::var(NOW_VAR))
    }

    /// [`Clock::from_env`] for a value already read from the environment.
    fn from_value(value: Result<String, std::env::VarError>) -> Result<Clock, Error> {
        match value {
            Ok(text) if text.trim().is_empty() => Ok(Clock::System),
            Ok(text) => parse_now(&text).map(Clock::Fixed),
            Err(std::env::VarError::NotPresent) => Ok(Clock::System),
            Err(std::env::VarError::NotUnicode(_)) => Err(Error::BadClock {
                value: "(not valid UTF-8)".into(),
            }),
        }
    }

    /// The current instant in the local time zone, to whole seconds.
    pub fn now(&self) -> DateTime<FixedOffset> {
        let now = match self {
            Clock::Fixed(at) => at.with_timezone(&Local).fixed_offset(),
            Clock::System => Local::now().fixed_offset(),
        };
        now.with_nanosecond(0).unwrap_or(now)
    }
}

/// Parses an RFC 3339 timestamp given for `PREPDECK_NOW`.
pub fn parse_now(text: &str) -> Result<DateTime<FixedOffset>, Error> {
    DateTime::parse_from_rfc3339(text.trim()).map_err(|_| Error::BadClock { value: text.into() })
}

/// The study day an instant belongs to: its local calendar date, 4 hours earlier.
///
/// Wall-clock arithmetic on the local time avoids chrono's ambiguous or missing
/// local times around daylight-saving changes.
pub fn study_day(at: DateTime<FixedOffset>) -> NaiveDate {
    study_day_in(at, &Local)
}

/// [`study_day`] in an explicit time zone.
pub fn study_day_in<Tz: TimeZone>(at: DateTime<FixedOffset>, zone: &Tz) -> NaiveDate {
    let local = at.with_timezone(zone).naive_local();
    (local - TimeDelta::hours(DAY_STARTS_AT_HOUR)).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The study day in UTC+1, whatever TZ the test runs under.
    fn day_of(text: &str) -> NaiveDate {
        let plus_one = FixedOffset::east_opt(3600).unwrap();
        study_day_in(parse_now(text).unwrap(), &plus_one)
    }

    #[test]
    fn half_past_midnight_counts_for_the_previous_day() {
        assert_eq!(
            day_of("2026-11-22T00:30:00+01:00"),
            NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
        );
    }

    #[test]
    fn four_o_clock_starts_the_new_day() {
        assert_eq!(
            day_of("2026-11-22T04:00:00+01:00"),
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
        );
        assert_eq!(
            day_of("2026-11-22T03:59:59+01:00"),
            NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
        );
    }

    #[test]
    fn the_day_follows_the_zone_not_the_offset_written_in_the_timestamp() {
        // 02:00 UTC is 03:00 in UTC+1 (before 04:00: previous day) but 21:00 the
        // evening before in UTC-5.
        let at = parse_now("2026-11-22T02:00:00Z").unwrap();
        let minus_five = FixedOffset::west_opt(5 * 3600).unwrap();
        assert_eq!(
            day_of("2026-11-22T02:00:00Z"),
            NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
        );
        assert_eq!(
            study_day_in(at, &minus_five),
            NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
        );
        let at = parse_now("2026-11-22T09:30:00Z").unwrap();
        assert_eq!(
            study_day_in(at, &minus_five),
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
        );
    }

    #[test]
    fn an_empty_prepdeck_now_means_the_system_clock() {
        for empty in ["", "  "] {
            let clock = Clock::from_value(Ok(empty.into())).unwrap();
            assert!(matches!(clock, Clock::System), "{empty:?}");
        }
        let fixed = Clock::from_value(Ok("2026-12-02T10:00:00Z".into())).unwrap();
        assert!(matches!(fixed, Clock::Fixed(_)));
        assert!(Clock::from_value(Ok("soon".into())).is_err());
    }

    #[test]
    fn a_bad_timestamp_is_an_error_naming_the_value() {
        let err = parse_now("yesterday").unwrap_err().to_string();
        assert!(err.contains("yesterday"), "{err}");
        assert!(err.contains(NOW_VAR), "{err}");
    }
}
