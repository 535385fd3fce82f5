//! Fast paths for the dates in the review log and the snapshot.
//!
//! Every card in `state.json` carries a due day and a last-review time, and every log
//! line an answer time and a study day: at 100,000 cards chrono's general-purpose
//! parser and formatter were a fifth of the start-up time. The canonical forms prepdeck
//! writes (`2026-11-22`, `2026-11-22T10:00:00+01:00`, `...Z`) are read and written here
//! directly; anything else goes to chrono, so every input gives exactly the value or
//! the error it gave before and the output is byte for byte chrono's.
//!
//! Use with `#[serde(with = "crate::serde_time::date")]` (and `datetime`, `opt_date`,
//! `opt_datetime`).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Timelike};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The value of ASCII decimal digits, `None` if any byte is not one.
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |value, &b| {
        b.is_ascii_digit().then(|| value * 10 + u32::from(b - b'0'))
    })
}

/// `YYYY-MM-DD` exactly; `None` for anything else, valid or not.
fn parse_date(s: &[u8]) -> Option<NaiveDate> {
    if s.len() != 10 || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(&s[0..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(&s[5..7])?, digits(&s[8..10])?)
}

/// `YYYY-MM-DDTHH:MM:SS` then `Z` or `+HH:MM`/`-HH:MM` exactly; `None` for anything else.
fn parse_datetime(s: &[u8]) -> Option<DateTime<FixedOffset>> {
    if s.len() < 20 || s[10] != b'T' || s[13] != b':' || s[16] != b':' {
        return None;
    }
    let date = parse_date(&s[..10])?;
    let second = digits(&s[17..19])?;
    // Leap seconds (60) follow chrono's own rules: leave them to it.
    if second > 59 {
        return None;
    }
    let time = NaiveTime::from_hms_opt(digits(&s[11..13])?, digits(&s[14..16])?, second)?;
    let offset = match &s[19..] {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    date.and_time(time)
        .and_local_timezone(FixedOffset::east_opt(offset)?)
        .single()
}

/// Two decimal digits of `n` (< 100).
fn push2(out: &mut Vec<u8>, n: u32) {
    out.push(b'0' + (n / 10 % 10) as u8);
    out.push(b'0' + (n % 10) as u8);
}

/// `YYYY-MM-DD` for years 0 to 9999, as chrono writes them; `None` outside.
fn format_date(date: NaiveDate, out: &mut Vec<u8>) -> Option<()> {
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    push2(out, year / 100);
    push2(out, year % 100);
    out.push(b'-');
    push2(out, date.month());
    out.push(b'-');
    push2(out, date.day());
    Some(())
}

/// RFC 3339 as chrono's serde writes it, for whole seconds and whole-minute offsets in
/// years 0 to 9999; `None` otherwise.
fn format_datetime(at: &DateTime<FixedOffset>, out: &mut Vec<u8>) -> Option<()> {
    let offset = at.offset().local_minus_utc();
    if at.nanosecond() != 0 || offset % 60 != 0 {
        return None;
    }
    let local = at.naive_local();
    format_date(local.date(), out)?;
    out.push(b'T');
    push2(out, local.hour());
    out.push(b':');
    push2(out, local.minute());
    out.push(b':');
    push2(out, local.second());
    if offset == 0 {
        out.push(b'Z');
    } else {
        out.push(if offset < 0 { b'-' } else { b'+' });
        let minutes = offset.unsigned_abs() / 60;
        push2(out, minutes / 60);
        out.push(b':');
        push2(out, minutes % 60);
    }
    Some(())
}

fn serialize_date<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    let mut buf = Vec::with_capacity(10);
    match format_date(*date, &mut buf).and_then(|()| std::str::from_utf8(&buf).ok()) {
        Some(text) => serializer.serialize_str(text),
        None => date.serialize(serializer),
    }
}

fn serialize_datetime<S: Serializer>(
    at: &DateTime<FixedOffset>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut buf = Vec::with_capacity(25);
    match format_datetime(at, &mut buf).and_then(|()| std::str::from_utf8(&buf).ok()) {
        Some(text) => serializer.serialize_str(text),
        None => at.serialize(serializer),
    }
}

struct DateVisitor;

impl de::Visitor<'_> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // chrono's wording, so type errors read as they did.
        f.write_str("a formatted date string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<NaiveDate, E> {
        match parse_date(value.as_bytes()) {
            Some(date) => Ok(date),
            None => value.parse().map_err(E::custom),
        }
    }
}

struct DateTimeVisitor;

impl de::Visitor<'_> for DateTimeVisitor {
    type Value = DateTime<FixedOffset>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // chrono's wording, so type errors read as they did.
        f.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<DateTime<FixedOffset>, E> {
        match parse_datetime(value.as_bytes()) {
            Some(at) => Ok(at),
            None => value.parse().map_err(E::custom),
        }
    }
}

/// A `NaiveDate` through the fast paths, for `Option` fields.
struct FastDate(NaiveDate);

impl<'de> Deserialize<'de> for FastDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DateVisitor).map(FastDate)
    }
}

impl Serialize for FastDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_date(&self.0, serializer)
    }
}

/// A `DateTime<FixedOffset>` through the fast paths, for `Option` fields.
struct FastDateTime(DateTime<FixedOffset>);

impl<'de> Deserialize<'de> for FastDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_str(DateTimeVisitor)
            .map(FastDateTime)
    }
}

impl Serialize for FastDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_datetime(&self.0, serializer)
    }
}

/// `NaiveDate` fields.
pub mod date {
    use super::*;

    /// Writes `YYYY-MM-DD` as chrono does.
    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_date(date, serializer)
    }

    /// Reads what chrono reads, the canonical form quickly.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        deserializer.deserialize_str(DateVisitor)
    }
}

/// `DateTime<FixedOffset>` fields.
pub mod datetime {
    use super::*;

    /// Writes RFC 3339 as chrono does.
    pub fn serialize<S: Serializer>(
        at: &DateTime<FixedOffset>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serialize_datetime(at, serializer)
    }

    /// Reads what chrono reads, the canonical form quickly.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<FixedOffset>, D::Error> {
        deserializer.deserialize_str(DateTimeVisitor)
    }
}

/// `Option<NaiveDate>` fields.
pub mod opt_date {
    use super::*;

    /// `null` or the date, as `Option<NaiveDate>` would be written.
    pub fn serialize<S: Serializer>(
        date: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        date.map(FastDate).serialize(serializer)
    }

    /// As `Option<NaiveDate>` reads.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        Ok(Option::<FastDate>::deserialize(deserializer)?.map(|d| d.0))
    }
}

/// `Option<DateTime<FixedOffset>>` fields.
pub mod opt_datetime {
    use super::*;

    /// `null` or the time, as `Option<DateTime<FixedOffset>>` would be written.
    pub fn serialize<S: Serializer>(
        at: &Option<DateTime<FixedOffset>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        at.map(FastDateTime).serialize(serializer)
    }

    /// As `Option<DateTime<FixedOffset>>` reads.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
        Ok(Option::<FastDateTime>::deserialize(deserializer)?.map(|d| d.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::Visitor;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Fast {
        #[serde(with = "date")]
        d: NaiveDate,
        #[serde(with = "datetime")]
        t: DateTime<FixedOffset>,
        #[serde(with = "opt_date")]
        od: Option<NaiveDate>,
        #[serde(with = "opt_datetime")]
        ot: Option<DateTime<FixedOffset>>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Chrono {
        d: NaiveDate,
        t: DateTime<FixedOffset>,
        od: Option<NaiveDate>,
        ot: Option<DateTime<FixedOffset>>,
    }

    fn instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
        (
            // Years -50 to 10050: the fast range and both sides of it.
            -63_745_056_000i64..255_000_000_000,
            prop_oneof![Just(0u32), 0u32..2_000_000_000],
            prop_oneof![
                Just(0i32),
                -86_399i32..86_400,
                (-23i32..24).prop_map(|h| h * 3600)
            ],
        )
            .prop_filter_map("representable", |(secs, nanos, offset)| {
                let utc = DateTime::from_timestamp(secs, nanos)?;
                Some(utc.with_timezone(&FixedOffset::east_opt(offset)?))
            })
    }

    proptest! {
        #[test]
        fn writes_exactly_what_chrono_writes(a in instant(), b in instant(), some in any::<bool>()) {
            let chrono = Chrono {
                d: a.date_naive(),
                t: b,
                od: some.then(|| b.date_naive()),
                ot: some.then_some(a),
            };
            let fast = Fast { d: chrono.d, t: chrono.t, od: chrono.od, ot: chrono.ot };
            let text = serde_json::to_string(&chrono).unwrap();
            prop_assert_eq!(serde_json::to_string(&fast).unwrap(), text.clone());
            // Not necessarily `fast` again (chrono writes offsets to the minute only, and
            // cannot always read its own output back), but the same as chrono reads.
            let ours = serde_json::from_str::<Fast>(&text)
                .map(|f| (f.d, f.t, f.od, f.ot))
                .map_err(|e| e.to_string());
            let theirs = serde_json::from_str::<Chrono>(&text)
                .map(|c| (c.d, c.t, c.od, c.ot))
                .map_err(|e| e.to_string());
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn reads_exactly_what_chrono_reads(
            date in "[0-9+-]{0,2}[0-9]{3,4}-[0-9]{1,2}-[0-9]{1,2}",
            time in "[T t][0-9]{1,2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?",
            offset in "(Z|z|UTC|[+-][0-9]{2}:?[0-9]{2}|[+-]2[3-5]:59| ?\\+01:00|)",
        ) {
            let at = format!("{date}{time}{offset}");
            let ours = DateTimeVisitor.visit_str::<serde_json::Error>(&at).map_err(|e| e.to_string());
            let theirs = at.parse::<DateTime<FixedOffset>>().map_err(|e| e.to_string());
            prop_assert_eq!(ours, theirs);
            let ours = DateVisitor.visit_str::<serde_json::Error>(&date).map_err(|e| e.to_string());
            let theirs = date.parse::<NaiveDate>().map_err(|e| e.to_string());
            prop_assert_eq!(ours, theirs);
        }
    }

    proptest! {
        #[test]
        fn reads_near_canonical_forms_as_chrono_does(
            (y, mo, d) in (0u32..10_000, 0u32..14, 0u32..33),
            (h, mi, se) in (0u32..26, 0u32..61, 0u32..62),
            offset in prop_oneof![
                Just("Z".to_owned()),
                (prop_oneof![Just('+'), Just('-')], 0u32..26, 0u32..61)
                    .prop_map(|(sign, h, m)| format!("{sign}{h:02}:{m:02}")),
            ],
        ) {
            let date = format!("{y:04}-{mo:02}-{d:02}");
            let at = format!("{date}T{h:02}:{mi:02}:{se:02}{offset}");
            let ours = DateTimeVisitor.visit_str::<serde_json::Error>(&at).map_err(|e| e.to_string());
            let theirs = at.parse::<DateTime<FixedOffset>>().map_err(|e| e.to_string());
            prop_assert_eq!(ours, theirs);
            let ours = DateVisitor.visit_str::<serde_json::Error>(&date).map_err(|e| e.to_string());
            let theirs = date.parse::<NaiveDate>().map_err(|e| e.to_string());
            prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn canonical_forms_and_edge_cases_agree_with_chrono() {
        for at in [
            "2026-11-22T10:00:00+01:00",
            "2026-11-22T10:00:00Z",
            "2026-11-22T10:00:00-00:00",
            "2026-11-22T23:59:60Z",
            "2026-02-30T10:00:00Z",
            "0000-01-01T00:00:00+23:59",
            "9999-12-31T23:59:59-23:59",
            "2026-11-22T24:00:00Z",
            "2026-11-22T10:00:00+24:00",
            "2026-11-22T10:00:00.5Z",
            "2026-11-22T10:00:00 Z",
        ] {
            let ours = DateTimeVisitor
                .visit_str::<serde_json::Error>(at)
                .map_err(|e| e.to_string());
            let theirs = at
                .parse::<DateTime<FixedOffset>>()
                .map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{at}");
        }
        for text in [
            "2026-02-29",
            "2024-02-29",
            "0000-01-01",
            "2026-13-01",
            "2026-1-01",
        ] {
            let ours = DateVisitor
                .visit_str::<serde_json::Error>(text)
                .map_err(|e| e.to_string());
            let theirs = text.parse::<NaiveDate>().map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{text}");
        }
    }

    #[test]
    fn wrong_types_are_reported_in_chrono_words() {
        let ours = serde_json::from_str::<Fast>(r#"{"d": 5}"#)
            .unwrap_err()
            .to_string();
        let theirs = serde_json::from_str::<Chrono>(r#"{"d": 5}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(ours, theirs);
        let ours = serde_json::from_str::<Fast>(r#"{"d": "2026-01-01", "t": []}"#)
            .unwrap_err()
            .to_string();
        let theirs = serde_json::from_str::<Chrono>(r#"{"d": "2026-01-01", "t": []}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(ours, theirs);
    }
}
