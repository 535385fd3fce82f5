//! How format 3 writes a column: one JSON string of values separated by spaces.
//!
//! As JSON arrays, the 700,000 numbers of a 100,000-card snapshot were most of its
//! reading time, a JSON value each; a string is found in one scan and its numbers read
//! in a tight loop. Format 2's arrays are still read, element by element.

use crate::sm2::Grade;
use chrono::{DateTime, FixedOffset};
use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
use std::fmt::Write;
use std::marker::PhantomData;

/// A value of a column: read from its text in a string column, or from a JSON value in
/// an array (format 2).
pub(super) trait Cell: Sized + for<'de> Deserialize<'de> {
    /// The value `text` (ASCII bytes of a string column) stands for, `None` when it is
    /// not one.
    fn parse(text: &[u8]) -> Option<Self>;
    /// Appends the text of the value.
    fn push(&self, out: &mut String);
}

/// The value of 1 to 19 ASCII digits, optionally after a `-`; `None` for anything else.
pub(super) fn integer(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, text),
    };
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    let mut value: u64 = 0;
    for &b in digits {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value * 10 + u64::from(digit);
    }
    if negative {
        0i64.checked_sub_unsigned(value)
    } else {
        i64::try_from(value).ok()
    }
}

macro_rules! integer_cell {
    ($($t:ty),*) => {$(
        impl Cell for $t {
            fn parse(text: &[u8]) -> Option<Self> {
                <$t>::try_from(integer(text)?).ok()
            }
            fn push(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}

integer_cell!(u32, i32, i64);

impl Cell for f64 {
    fn parse(text: &[u8]) -> Option<Self> {
        std::str::from_utf8(text).ok()?.parse().ok()
    }
    /// The shortest text that reads back as the same number, as serde_json's is.
    fn push(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

/// `-` for a card without a grade.
impl Cell for Option<Grade> {
    fn parse(text: &[u8]) -> Option<Self> {
        match text {
            b"-" => Some(None),
            _ => Grade::new(u8::try_from(integer(text)?).ok()?).map(Some),
        }
    }
    fn push(&self, out: &mut String) {
        match self {
            Some(grade) => {
                let _ = write!(out, "{}", grade.value());
            }
            None => out.push('-'),
        }
    }
}

/// A last-review time: seconds since 1970 (format 3) or RFC 3339 text (format 2).
#[derive(Debug, Clone, Copy)]
pub(super) enum Time {
    Seconds(i64),
    At(DateTime<FixedOffset>),
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Time, D::Error> {
        struct Visit;
        impl Visitor<'_> for Visit {
            type Value = Time;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("seconds since 1970 or an RFC 3339 time")
            }

            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Time, E> {
                Ok(Time::Seconds(n))
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Time, E> {
                i64::try_from(n)
                    .map(Time::Seconds)
                    .map_err(|_| E::custom("a time out of range"))
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Time, E> {
                use serde::de::IntoDeserializer;
                crate::serde_time::datetime::deserialize(text.into_deserializer()).map(Time::At)
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

impl Cell for Time {
    fn parse(text: &[u8]) -> Option<Self> {
        integer(text).map(Time::Seconds)
    }
    fn push(&self, out: &mut String) {
        let seconds = match self {
            Time::Seconds(seconds) => *seconds,
            Time::At(at) => at.timestamp(),
        };
        let _ = write!(out, "{seconds}");
    }
}

/// A column's values, read from `"1 2 3"` or (format 2) `[1,2,3]`.
pub(super) struct Column<T>(pub Vec<T>);

impl<'de, T: Cell> Deserialize<'de> for Column<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Column<T>, D::Error> {
        struct Visit<T>(PhantomData<T>);
        impl<'de, T: Cell> Visitor<'de> for Visit<T> {
            type Value = Column<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string of values separated by spaces, or an array")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Column<T>, E> {
                if text.is_empty() {
                    return Ok(Column(Vec::new()));
                }
                let mut values = Vec::with_capacity(text.len() / 4);
                for cell in text.as_bytes().split(|&b| b == b' ') {
                    let value = T::parse(cell).ok_or_else(|| {
                        E::custom(format_args!(
                            "{:?} in a column",
                            String::from_utf8_lossy(cell)
                        ))
                    })?;
                    values.push(value);
                }
                Ok(Column(values))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Column<T>, A::Error> {
                let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(value) = seq.next_element()? {
                    values.push(value);
                }
                Ok(Column(values))
            }
        }
        deserializer.deserialize_any(Visit(PhantomData))
    }
}

/// The text of `values` as a format 3 column.
pub(super) fn joined<T: Cell>(values: impl IntoIterator<Item = T>) -> String {
    let mut out = String::new();
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        value.push(&mut out);
    }
    out
}

/// A deck's card ids, one space between each two, with where each ends (as
/// `progress::DeckCards` holds them).
#[derive(Default)]
pub(super) struct Listing {
    pub ids: String,
    pub ends: Vec<usize>,
}

impl Listing {
    fn push(&mut self, id: &str) {
        if !self.ends.is_empty() {
            self.ids.push(' ');
        }
        self.ids.push_str(id);
        self.ends.push(self.ids.len());
    }
}

impl<'de> Deserialize<'de> for Listing {
    /// Format 3's `"a b c"`, or format 2's (and format 3's, for ids a space would not
    /// keep apart) `["a","b","c"]`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Listing, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Listing;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("card ids: a string of ids separated by spaces, or an array")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Listing, E> {
                // Taken as it is: the ids are already laid out as the table keeps them.
                let mut ends: Vec<usize> = memchr::memchr_iter(b' ', text.as_bytes()).collect();
                if !text.is_empty() {
                    ends.push(text.len());
                }
                Ok(Listing {
                    ids: text.to_owned(),
                    ends,
                })
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Listing, A::Error> {
                let mut listing = Listing::default();
                // Format 2's arrays: one string per id, as format 2 always cost.
                while let Some(id) = seq.next_element::<String>()? {
                    listing.push(&id);
                }
                Ok(listing)
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// True when `ids` can be written as one string, separated by spaces, with nothing to
/// escape: what prepdeck's own ids always are (a log edited by hand may hold others).
pub(super) fn joinable<'a>(mut ids: impl Iterator<Item = &'a str>) -> bool {
    ids.all(|id| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b > b' ' && b != b'"' && b != b'\\' && b != 0x7f)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: Cell>(json: &str) -> Result<Vec<T>, serde_json::Error> {
        serde_json::from_str::<Column<T>>(json).map(|c| c.0)
    }

    proptest::proptest! {
        #[test]
        fn numbers_read_back_exactly(
            floats in proptest::collection::vec(proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO, 0..20),
            ints in proptest::collection::vec(proptest::num::i64::ANY, 0..20),
        ) {
            let text = serde_json::to_string(&joined(floats.iter().copied())).unwrap();
            let back: Vec<f64> = read(&text).unwrap();
            proptest::prop_assert_eq!(back.iter().map(|f| f.to_bits()).collect::<Vec<_>>(), floats.iter().map(|f| f.to_bits()).collect::<Vec<_>>());
            let ints: Vec<i64> = ints.into_iter().chain([i64::MIN, i64::MAX, 0, -1]).collect();
            let text = serde_json::to_string(&joined(ints.iter().copied())).unwrap();
            proptest::prop_assert_eq!(read::<i64>(&text).unwrap(), ints);
        }
    }

    #[test]
    fn a_column_is_a_string_or_an_array_and_anything_else_is_refused() {
        assert_eq!(read::<u32>(r#""1 2 30""#).unwrap(), [1, 2, 30]);
        assert_eq!(read::<u32>("[1,2,30]").unwrap(), [1, 2, 30]);
        assert_eq!(read::<u32>(r#""""#).unwrap(), Vec::<u32>::new());
        let grades = read::<Option<Grade>>(r#""4 - 0""#).unwrap();
        assert_eq!(grades, [Grade::new(4), None, Grade::new(0)]);
        assert_eq!(
            read::<Option<Grade>>("[4,null]").unwrap(),
            [Grade::new(4), None]
        );
        for bad in [r#""1  2""#, r#""1 x""#, r#""-1""#, r#"" 1""#, "{}", "1"] {
            assert!(read::<u32>(bad).is_err(), "{bad}");
        }
        assert!(read::<Option<Grade>>(r#""6""#).is_err());
    }
}
