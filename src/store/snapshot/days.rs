//! How format 4 writes the day tallies: one string of numbers per deck.
//!
//! Formats 1 to 3 wrote each deck's days as an object of objects, a date and seven
//! field names per day (`{"2026-11-22":{"reviews":3,...}}`). A year of study in 20 decks
//! is 7,300 of them: 876 KB at the head of the snapshot, read before anything else and
//! on one thread, and a tenth of the snapshot's reading time. Format 4 writes a deck's
//! days as rows of numbers, read with the columns' number reader (`cells`).

use super::cells::{integer, Cell};
use crate::progress::{DayTallies, Tally};
use chrono::NaiveDate;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Numbers in a row: the day, then the tally's twelve counts.
const ROW: usize = 13;

/// The day tallies to write: as format 4 writes them, or `by_date` as format 3 did.
pub(super) struct DaysRef<'a> {
    pub days: &'a DayTallies,
    pub by_date: bool,
}

impl Serialize for DaysRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.by_date {
            return self.days.serialize(serializer);
        }
        let mut map = serializer.serialize_map(Some(self.days.len()))?;
        for (deck, days) in self.days {
            map.serialize_entry(deck, &rows(days))?;
        }
        map.end()
    }
}

/// A deck's days as text: rows separated by `,`, each the day (days since 1970) and the
/// counts in [`counts`] order, separated by spaces.
fn rows(days: &BTreeMap<NaiveDate, Tally>) -> String {
    let mut out = String::with_capacity(days.len() * 40);
    for (i, (day, tally)) in days.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        super::columns::day_number(*day).push(&mut out);
        for count in counts(tally) {
            out.push(' ');
            count.push(&mut out);
        }
    }
    out
}

/// A tally's counts in the order a row holds them.
fn counts(t: &Tally) -> [u32; ROW - 1] {
    let [g0, g1, g2, g3, g4, g5] = t.grades;
    [
        t.reviews,
        t.redrills,
        g0,
        g1,
        g2,
        g3,
        g4,
        g5,
        t.introduced,
        t.recall_total,
        t.recall_pass,
        t.cram,
    ]
}

/// The tally of a row's counts, in [`counts`] order.
fn tally(
    [reviews, redrills, g0, g1, g2, g3, g4, g5, introduced, total, pass, cram]: [u32; ROW - 1],
) -> Tally {
    Tally {
        reviews,
        redrills,
        grades: [g0, g1, g2, g3, g4, g5],
        introduced,
        recall_total: total,
        recall_pass: pass,
        cram,
    }
}

/// A deck's days read from [`rows`]' text; what is wrong with it otherwise.
fn parse_rows(text: &str) -> Result<BTreeMap<NaiveDate, Tally>, String> {
    let mut days = BTreeMap::new();
    if text.is_empty() {
        return Ok(days);
    }
    for row in text.split(',') {
        let bad = || format!("day tally {row:?} is not a day and {} counts", ROW - 1);
        let mut numbers = row.as_bytes().split(|&b| b == b' ');
        let day = numbers
            .next()
            .and_then(integer)
            .and_then(|n| i32::try_from(n).ok())
            .and_then(super::columns::day_of)
            .ok_or_else(bad)?;
        let mut values = [0u32; ROW - 1];
        for value in &mut values {
            *value = numbers.next().and_then(u32::parse).ok_or_else(bad)?;
        }
        if numbers.next().is_some() {
            return Err(bad());
        }
        if days.insert(day, tally(values)).is_some() {
            return Err(format!("day {day} is tallied twice"));
        }
    }
    Ok(days)
}

/// The day tallies, read from format 4's rows or from the objects of formats 2 and 3.
pub(super) struct Days(pub DayTallies);

impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Days, D::Error> {
        struct Decks;
        impl<'de> Visitor<'de> for Decks {
            type Value = Days;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("day tallies by deck")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Days, A::Error> {
                let mut all = DayTallies::new();
                while let Some((deck, DeckDays(days))) = map.next_entry::<String, DeckDays>()? {
                    if all.insert(deck, days).is_some() {
                        return Err(de::Error::custom("a deck's days are given twice"));
                    }
                }
                Ok(Days(all))
            }
        }
        deserializer.deserialize_map(Decks)
    }
}

/// One deck's days: a string of rows (format 4) or an object by date (before).
struct DeckDays(BTreeMap<NaiveDate, Tally>);

impl<'de> Deserialize<'de> for DeckDays {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<DeckDays, D::Error> {
        struct Either;
        impl<'de> Visitor<'de> for Either {
            type Value = DeckDays;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a deck's day tallies, as rows of numbers or by date")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<DeckDays, E> {
                parse_rows(text).map(DeckDays).map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DeckDays, A::Error> {
                let by_date = de::value::MapAccessDeserializer::new(map);
                BTreeMap::deserialize(by_date).map(DeckDays)
            }
        }
        deserializer.deserialize_any(Either)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(json: &str) -> Result<DayTallies, serde_json::Error> {
        serde_json::from_str::<Days>(json).map(|d| d.0)
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn sample() -> DayTallies {
        let t = Tally {
            reviews: 17,
            redrills: 10,
            grades: [0, 1, 3, 4, 3, 6],
            introduced: 17,
            recall_total: 0,
            recall_pass: 0,
            cram: 2,
        };
        let mut days = DayTallies::new();
        let deck = days.entry("bench-01".to_owned()).or_default();
        deck.insert(day("2025-11-22"), t);
        deck.insert(day("1969-12-31"), Tally::default());
        days.entry("other".to_owned()).or_default().insert(
            day("2026-01-01"),
            Tally {
                reviews: 1,
                ..Tally::default()
            },
        );
        days.entry("empty".to_owned()).or_default();
        days
    }

    #[test]
    fn a_deck_s_days_are_one_string_of_rows_read_back_exactly() {
        let json = serde_json::to_string(&DaysRef {
            days: &sample(),
            by_date: false,
        })
        .unwrap();
        assert!(
            json.contains(
                r#""bench-01":"-1 0 0 0 0 0 0 0 0 0 0 0 0,20414 17 10 0 1 3 4 3 6 17 0 0 2""#
            ),
            "{json}"
        );
        assert!(json.contains(r#""empty":"""#), "{json}");
        assert_eq!(read(&json).unwrap(), sample());
    }

    #[test]
    fn days_by_date_as_formats_2_and_3_wrote_them_still_read() {
        let old = serde_json::to_string(&DaysRef {
            days: &sample(),
            by_date: true,
        })
        .unwrap();
        assert!(old.contains(r#""2025-11-22":{"reviews":17"#), "{old}");
        assert_eq!(read(&old).unwrap(), sample());
    }

    #[test]
    fn rows_that_are_not_a_day_and_twelve_counts_are_damage() {
        for bad in [
            r#"{"d":"20414 1 2"}"#,
            r#"{"d":"20414 1 0 0 0 0 0 0 0 0 0 0 0 9"}"#,
            r#"{"d":"20414 1 0 0 0 0 0 0 0 0 0 0 x"}"#,
            r#"{"d":"20414 1 0 0 0 0 0 0 0 0 0 0 -1"}"#,
            r#"{"d":"20414  1 0 0 0 0 0 0 0 0 0 0"}"#,
            r#"{"d":"99999999999 1 0 0 0 0 0 0 0 0 0 0 0"}"#,
            r#"{"d":"2147483000 1 0 0 0 0 0 0 0 0 0 0 0"}"#,
            r#"{"d":"20414 1 0 0 0 0 0 0 0 0 0 0 0,"}"#,
            r#"{"d":"20414 1 0 0 0 0 0 0 0 0 0 0 0,20414 1 0 0 0 0 0 0 0 0 0 0 0"}"#,
            r#"{"d":"","d":""}"#,
            r#"{"d":7}"#,
            r#"[]"#,
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn any_tallies_round_trip(
            rows in proptest::collection::btree_map(
                (-800_000i32..3_000_000, 0u8..3),
                proptest::array::uniform12(any::<u32>()),
                0..30,
            )
        ) {
            let mut days = DayTallies::new();
            for ((number, deck), values) in rows {
                if let Some(day) = super::super::columns::day_of(number) {
                    days.entry(format!("d{deck}")).or_default().insert(day, tally(values));
                }
            }
            let json = serde_json::to_string(&DaysRef { days: &days, by_date: false }).unwrap();
            prop_assert_eq!(read(&json).unwrap(), days);
        }
    }
}
