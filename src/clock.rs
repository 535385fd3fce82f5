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

/// A time zone file larger than this is not one: the largest in the IANA database is
/// under 4 KiB.
const MAX_ZONE_FILE_BYTES: u64 = 256 * 1024;

/// Where chrono looks for a `TZ` that names a zone rather than a path, in its order.
const ZONE_INFO_DIRECTORIES: [&str; 4] = [
    "/usr/share/zoneinfo",
    "/share/zoneinfo",
    "/etc/zoneinfo",
    "/usr/share/lib/zoneinfo",
];

/// Makes `TZ` safe for chrono to read before anything asks for local time; returns a
/// one-line warning when it had to be replaced by UTC.
///
/// chrono reads the file `TZ` names with no bound and no check of its type, so
/// `TZ=/dev/zero` grew memory without end, a named pipe hung and `TZ=/dev/stdin` ate
/// the answers; and a zone it cannot read falls back to the system's zone silently.
/// Here a zone file is accepted only if it is a regular TZif file of bounded size, and
/// anything without a file only if it is a POSIX rule (`EST5EDT`, `<+03>-3`); else `TZ`
/// becomes `UTC0`, which needs no file. Call it first thing in `main`, while the
/// process has a single thread (it sets an environment variable).
pub fn settle_time_zone() -> Option<String> {
    let value = std::env::var_os("TZ")?;
    let problem = match value.to_str() {
        None => Some("it is not valid UTF-8".to_owned()),
        Some(tz) => zone_problem(tz),
    }?;
    std::env::set_var("TZ", "UTC0");
    Some(format!(
        "TZ={:?} is not a time zone prepdeck can use ({problem}); using UTC. Set TZ to a zone such as Europe/Berlin, or unset it",
        value.to_string_lossy()
    ))
}

/// Why chrono could not safely use `tz` as a time zone, or `None` when it can.
fn zone_problem(tz: &str) -> Option<String> {
    // Empty is UTC to chrono, as to the C library.
    if tz.is_empty() {
        return None;
    }
    let (name, file_only) = match tz.strip_prefix(':') {
        Some(name) => (name, true),
        None => (tz, false),
    };
    let path = std::path::Path::new(name);
    let candidates: Vec<std::path::PathBuf> = if path.is_absolute() {
        vec![path.to_path_buf()]
    } else {
        ZONE_INFO_DIRECTORIES
            .iter()
            .map(|d| std::path::Path::new(d).join(path))
            .collect()
    };
    // chrono opens the first candidate that opens at all, whatever it is.
    let found = candidates
        .iter()
        .find_map(|p| std::fs::metadata(p).ok().map(|meta| (p, meta)));
    if let Some((found, meta)) = found {
        return if !meta.is_file() {
            Some("it names something that is not a regular file".into())
        } else if meta.len() > MAX_ZONE_FILE_BYTES {
            Some("it names a file far larger than any time zone file".into())
        } else if !is_tzif(found) {
            Some("it names a file that is not a time zone file".into())
        } else {
            None
        };
    }
    if file_only || path.is_absolute() || !is_posix_rule(name) {
        return Some("no such time zone".into());
    }
    None
}

/// True when the file at `path` starts like a compiled time zone file (RFC 8536).
fn is_tzif(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 4];
    crate::store::file::open_read(path)
        .and_then(|mut file| file.read_exact(&mut magic))
        .is_ok_and(|()| &magic == b"TZif")
}

/// True when `text` has the shape of a POSIX `TZ` rule: a zone name, an offset, and
/// optionally a daylight-saving name, offset and change rules (checked loosely: chrono
/// reads them, and a wrong rule there is an error of its own, never a hang).
fn is_posix_rule(text: &str) -> bool {
    fn name(s: &str) -> Option<&str> {
        if let Some(rest) = s.strip_prefix('<') {
            let end = rest.find('>')?;
            let inner = &rest[..end];
            let ok = inner.len() >= 3
                && inner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-');
            return ok.then(|| &rest[end + 1..]);
        }
        let len = s.chars().take_while(char::is_ascii_alphabetic).count();
        (len >= 3).then(|| &s[len..])
    }
    fn offset(s: &str) -> Option<&str> {
        let s = s.strip_prefix(['+', '-']).unwrap_or(s);
        let len = s
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ':')
            .count();
        (len > 0 && s.starts_with(|c: char| c.is_ascii_digit())).then(|| &s[len..])
    }
    let Some(rest) = name(text).and_then(offset) else {
        return false;
    };
    let rest = match name(rest) {
        Some(after_dst) => offset(after_dst).unwrap_or(after_dst),
        None => rest,
    };
    rest.is_empty()
        || (rest.starts_with(',')
            && rest.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, ',' | '.' | '/' | ':' | '+' | '-')
            }))
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
    fn time_zones_are_accepted_only_when_chrono_can_read_them_safely() {
        for good in [
            "",
            "UTC",
            "Europe/Berlin",
            ":Europe/Berlin",
            "/usr/share/zoneinfo/Asia/Tokyo",
            "EST5EDT",
            "UTC0",
            "CET-1CEST,M3.5.0,M10.5.0/3",
            "<+03>-3",
        ] {
            assert_eq!(zone_problem(good), None, "{good:?}");
        }
        for bad in [
            "Mars/Olympus",
            "/dev/zero",
            "/dev/stdin",
            "Europe",
            "/etc/passwd",
            ":EST5EDT5",
            "../../../dev/zero",
            "x",
            "UTC+",
            "EST5EDT,M3\n",
        ] {
            assert!(zone_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn a_bad_timestamp_is_an_error_naming_the_value() {
        let err = parse_now("yesterday").unwrap_err().to_string();
        assert!(err.contains("yesterday"), "{err}");
        assert!(err.contains(NOW_VAR), "{err}");
    }
}
