//! Snapshot formats 2 and 3: each deck's card states in columns.
//!
//! Format 1 wrote every card as `"deck/card":{"reps":..,"ef":..,...}`: at 100,000 cards
//! about a third of its 19 MB were the same field names over and over and a good part
//! the deck id in every key. Here a deck is one object of arrays, entry `i` of each
//! array describing the `i`th card listed: the deck id once, the field names once per
//! deck, days as numbers, and the two fields almost every card lacks (`sm2_due`,
//! `drill_grade`) as `[position, value]` pairs for the cards that have them.
//!
//! Format 3 (written since) lists a deck's cards in the deck's own order, as one string
//! of ids separated by spaces, writes each column as one string of numbers (`cells`),
//! and the last-review times as seconds since 1970 with the UTC offset once per deck:
//! reading a card no longer allocates its id, parses a date or a JSON value per number,
//! or hashes into a map built for the purpose (see `progress::DeckCards`).
//! Format 2 (card ids as an array of strings, times as RFC 3339 text) is still read.
//!
//! Format 4 (written since) differs from 3 in the day tallies alone, written as rows of
//! numbers (see `days`); format 3 is still read.

use super::cells::{joinable, joined, Column, Listing, Time};
use super::days::{Days, DaysRef};
use super::Snapshot;
use crate::progress::{CardMap, CardState, DeckCards, Progress};
use crate::sm2::Grade;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone};
use serde::{Deserialize, Serialize};

/// The format version of this layout.
pub(super) const VERSION: u32 = 4;
/// The layout before: day tallies as objects by date.
pub(super) const FORMAT_3: u32 = 3;
/// The layout before that: the same columns, card ids as an array, times as text.
pub(super) const FORMAT_2: u32 = 2;

/// How every format 3 snapshot this build writes begins, so that a read can tell the
/// layout from the first bytes instead of scanning the file for its version.
pub(super) const PREFIX: &[u8] = b"{\"format_version\":4,";
/// How the formats read by [`from_slice`] begin, as this build and earlier ones wrote them.
pub(super) const PREFIXES: [&[u8]; 3] =
    [PREFIX, b"{\"format_version\":3,", b"{\"format_version\":2,"];

/// True for the formats [`from_slice`] reads.
pub(super) fn reads(format_version: u64) -> bool {
    [VERSION, FORMAT_3, FORMAT_2]
        .map(u64::from)
        .contains(&format_version)
}

/// Days from 0001-01-01 (day 1 of the common era) to 1970-01-01: days are written as
/// days since 1970-01-01.
const UNIX_EPOCH_CE_DAY: i32 = 719_163;

pub(super) fn day_number(day: NaiveDate) -> i32 {
    day.num_days_from_ce() - UNIX_EPOCH_CE_DAY
}

pub(super) fn day_of(number: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(number.checked_add(UNIX_EPOCH_CE_DAY)?)
}

/// One deck's card states, read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Columns {
    /// `None` for keys without a `/`, kept whole in `cards`.
    deck: Option<String>,
    cards: Listing,
    reps: Column<u32>,
    ef: Column<f64>,
    interval: Column<u32>,
    lapses: Column<u32>,
    due: Column<i32>,
    last_review: Column<Time>,
    /// The UTC offset of the last-review times, in seconds east (format 3)...
    #[serde(default)]
    utc_offset: i32,
    /// ...but for these cards: `[position, offset]`.
    #[serde(default)]
    offsets: Vec<(usize, i32)>,
    /// The times' fractions of a second, for the cards that have one: `[position, ns]`.
    #[serde(default)]
    nanos: Vec<(usize, u32)>,
    last_grade: Column<Option<Grade>>,
    sm2_due: Vec<(usize, i32)>,
    drill_grade: Vec<(usize, Grade)>,
}

/// A deck's card ids, to write: one string when [`joinable`], else an array.
#[derive(Serialize)]
#[serde(untagged)]
enum ListingRef<'a> {
    Joined(String),
    Each(Vec<&'a str>),
}

/// One deck's card states, to write: each column one string (see `cells`).
#[derive(Serialize)]
struct ColumnsRef<'a> {
    deck: Option<&'a str>,
    cards: ListingRef<'a>,
    reps: String,
    ef: String,
    interval: String,
    lapses: String,
    due: String,
    last_review: String,
    utc_offset: i32,
    offsets: Vec<(usize, i32)>,
    nanos: Vec<(usize, u32)>,
    last_grade: String,
    sm2_due: Vec<(usize, i32)>,
    drill_grade: Vec<(usize, Grade)>,
}

impl<'a> ColumnsRef<'a> {
    fn of(deck: Option<&'a str>, cards: &'a DeckCards) -> ColumnsRef<'a> {
        let utc_offset = cards
            .iter()
            .next()
            .map_or(0, |(_, s)| s.last_review.offset().local_minus_utc());
        let listing = if joinable(cards.keys()) {
            ListingRef::Joined(cards.keys().collect::<Vec<_>>().join(" "))
        } else {
            ListingRef::Each(cards.keys().collect())
        };
        let states = || cards.iter().map(|(_, s)| s);
        let mut offsets = Vec::new();
        let mut nanos = Vec::new();
        let mut sm2_due = Vec::new();
        let mut drill_grade = Vec::new();
        for (i, s) in states().enumerate() {
            let offset = s.last_review.offset().local_minus_utc();
            if offset != utc_offset {
                offsets.push((i, offset));
            }
            let fraction = s.last_review.timestamp_subsec_nanos();
            if fraction != 0 {
                nanos.push((i, fraction));
            }
            if let Some(day) = s.sm2_due {
                sm2_due.push((i, day_number(day)));
            }
            if let Some(grade) = s.drill_grade {
                drill_grade.push((i, grade));
            }
        }
        ColumnsRef {
            deck,
            cards: listing,
            reps: joined(states().map(|s| s.reps)),
            ef: joined(states().map(|s| s.ef)),
            interval: joined(states().map(|s| s.interval)),
            lapses: joined(states().map(|s| s.lapses)),
            due: joined(states().map(|s| day_number(s.due))),
            last_review: joined(states().map(|s| s.last_review.timestamp())),
            utc_offset,
            offsets,
            nanos,
            last_grade: joined(states().map(|s| s.last_grade)),
            sm2_due,
            drill_grade,
        }
    }
}

/// Values for some positions of a column of `n`, `default` elsewhere; `None` when a
/// position is past the end.
fn spread<T: Copy>(n: usize, default: T, pairs: &[(usize, T)]) -> Option<Vec<T>> {
    let mut column = vec![default; n];
    for &(i, value) in pairs {
        *column.get_mut(i)? = value;
    }
    Some(column)
}

impl Columns {
    /// The deck's states by card id; what is wrong with the columns otherwise.
    fn into_cards(self) -> Result<(Option<String>, DeckCards), String> {
        let n = self.cards.ends.len();
        let name = self.deck.as_deref().unwrap_or("(no deck)");
        let lengths = [
            self.reps.0.len(),
            self.ef.0.len(),
            self.interval.0.len(),
            self.lapses.0.len(),
            self.due.0.len(),
            self.last_review.0.len(),
            self.last_grade.0.len(),
        ];
        if lengths.iter().any(|&len| len != n) {
            return Err(format!("deck {name}: columns of different lengths"));
        }
        let past_end = |what: &str| format!("deck {name}: {what} for a card past the {n} listed");
        let offsets = (!self.offsets.is_empty())
            .then(|| spread(n, self.utc_offset, &self.offsets).ok_or_else(|| past_end("offsets")))
            .transpose()?;
        let nanos = (!self.nanos.is_empty())
            .then(|| spread(n, 0, &self.nanos).ok_or_else(|| past_end("nanos")))
            .transpose()?;
        let bad_day = || format!("deck {name}: a day out of range");
        let bad_time = || format!("deck {name}: a time out of range");
        let mut states = Vec::with_capacity(n);
        for i in 0..n {
            let last_review = match self.last_review.0[i] {
                Time::At(at) => at,
                Time::Seconds(seconds) => {
                    let offset = offsets.as_ref().map_or(self.utc_offset, |o| o[i]);
                    let nanos = nanos.as_ref().map_or(0, |n| n[i]);
                    FixedOffset::east_opt(offset)
                        .and_then(|zone| zone.timestamp_opt(seconds, nanos).single())
                        .ok_or_else(bad_time)?
                }
            };
            states.push(CardState {
                reps: self.reps.0[i],
                ef: self.ef.0[i],
                interval: self.interval.0[i],
                lapses: self.lapses.0[i],
                due: day_of(self.due.0[i]).ok_or_else(bad_day)?,
                sm2_due: None,
                last_review,
                last_grade: self.last_grade.0[i],
                drill_grade: None,
            });
        }
        for (i, day) in self.sm2_due {
            let state = states.get_mut(i).ok_or_else(|| past_end("sm2_due"))?;
            state.sm2_due = Some(day_of(day).ok_or_else(bad_day)?);
        }
        for (i, grade) in self.drill_grade {
            let state = states.get_mut(i).ok_or_else(|| past_end("drill_grade"))?;
            state.drill_grade = Some(grade);
        }
        let cards = DeckCards::from_listing(self.cards.ids, self.cards.ends, states)
            .map_err(|twice| format!("deck {name}: card {:?} listed twice", twice.0))?;
        Ok((self.deck, cards))
    }
}

/// A format 2, 3 or 4 snapshot, read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format_version: u32,
    log_offset: u64,
    log_lines: usize,
    log_last_line: Option<String>,
    days: Days,
    last_at: Option<DateTime<FixedOffset>>,
    decks: Vec<Columns>,
}

/// A format 4 snapshot, to write: `format_version` first, for [`PREFIX`].
#[derive(Serialize)]
struct FileRef<'a> {
    format_version: u32,
    log_offset: u64,
    log_lines: usize,
    log_last_line: Option<&'a str>,
    days: DaysRef<'a>,
    last_at: &'a Option<DateTime<FixedOffset>>,
    decks: Vec<ColumnsRef<'a>>,
}

/// `progress` as of log position (`log_offset`, `log_lines`, `log_last_line`), as
/// format 4 JSON. Decks in id order; a deck's cards in the order `CardMap::arrange`
/// left them.
pub(super) fn to_vec(
    position: (u64, usize, Option<&str>),
    progress: &Progress,
) -> serde_json::Result<Vec<u8>> {
    to_vec_as(VERSION, position, progress)
}

/// [`to_vec`] in `format_version`: 4, or 3 (day tallies by date) as earlier builds wrote.
pub(super) fn to_vec_as(
    format_version: u32,
    (log_offset, log_lines, log_last_line): (u64, usize, Option<&str>),
    progress: &Progress,
) -> serde_json::Result<Vec<u8>> {
    let mut decks: Vec<ColumnsRef> = progress
        .cards
        .decks()
        .map(|(deck, cards)| ColumnsRef::of(Some(deck), cards))
        .collect();
    decks.sort_unstable_by_key(|c| c.deck);
    if !progress.cards.other().is_empty() {
        decks.push(ColumnsRef::of(None, progress.cards.other()));
    }
    let file = FileRef {
        format_version,
        log_offset,
        log_lines,
        log_last_line,
        days: DaysRef {
            days: &progress.days,
            by_date: format_version == FORMAT_3,
        },
        last_at: &progress.last_at,
        decks: Vec::new(),
    };
    // Decks are written one by one, separated by `, ` rather than `,`: the space is
    // the room [`read_split`] needs to read the two halves where they lie.
    let mut out = serde_json::to_vec(&file)?;
    out.truncate(out.len().saturating_sub(b"]}".len()));
    for (i, deck) in decks.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        serde_json::to_writer(&mut out, deck)?;
    }
    out.extend_from_slice(b"]}");
    Ok(out)
}

/// Reads a format 2 snapshot: in two halves on two threads when it is laid out as
/// [`to_vec`] writes it, else in one pass; the decks' maps are built on two threads.
/// An error says what is wrong, for the warning that the snapshot is damaged.
///
/// `bytes` is changed while it is read (two bytes, put back before this returns).
pub(super) fn from_slice(bytes: &mut [u8]) -> Result<Snapshot, String> {
    if let Some(read) = read_split(bytes, SPLIT_MIN_BYTES) {
        return read;
    }
    let mut file: File = serde_json::from_slice(&*bytes).map_err(|e| e.to_string())?;
    let cards = build_map(std::mem::take(&mut file.decks))?;
    snapshot_of(file, cards)
}

/// Below this many bytes of decks a snapshot is read in one pass.
const SPLIT_MIN_BYTES: usize = 1 << 20;

/// Reads the snapshot with its `decks` array cut in two, each half parsed and turned
/// into card tables on a thread of its own; `None` when anything is unusual, for the
/// one-pass read to decide what the file is.
///
/// [`to_vec`] writes `decks` last, so the file ends `,"decks":[{...}, {...}]}`.
/// Everything before is read with an empty array in its place, refusing members the
/// snapshot does not have, so the empty array can only have stood for `decks`. The
/// array is cut at a `}, {"deck":` near its middle: that cannot occur inside a string
/// (an unescaped `"` ends it), and a deck's members hold no objects, so the cut falls
/// between two decks, or the halves do not parse and the one-pass read decides. The
/// `, ` there becomes `][` while the halves are read, so that each is an array where it
/// lies, without a copy of 10 MB (at 100,000 cards); it is put back before returning.
fn read_split(bytes: &mut [u8], min_bytes: usize) -> Option<Result<Snapshot, String>> {
    const MEMBER: &[u8] = b",\"decks\":[";
    const CUT: &[u8] = b"}, {\"deck\":";
    let key = memchr::memmem::find(bytes, MEMBER)?;
    let open = key + MEMBER.len() - 1;
    let body = bytes.get(open..)?.trim_ascii_end();
    // `[` ... `]}`: `close` is the index of that `]`.
    if !body.ends_with(b"]}") || body.len() < min_bytes {
        return None;
    }
    let close = open + body.len() - 2;
    let middle = open + (close - open) / 2;
    let cut = middle + memchr::memmem::find(&bytes[middle..close], CUT)?;
    let header = [&bytes[..key], b",\"decks\":[]}"].concat();
    let header: File = serde_json::from_slice(&header).ok()?;
    if !header.decks.is_empty() {
        return None;
    }
    bytes[cut + 1] = b']';
    bytes[cut + 2] = b'[';
    let (first, second) = {
        let bytes = &*bytes;
        let read = |half: &[u8]| -> Option<Result<Vec<_>, String>> {
            let decks: Vec<Columns> = serde_json::from_slice(half).ok()?;
            Some(decks.into_iter().map(Columns::into_cards).collect())
        };
        std::thread::scope(|scope| {
            let other = scope.spawn(|| read(&bytes[cut + 2..=close]));
            (read(&bytes[open..=cut + 1]), other.join().ok().flatten())
        })
    };
    bytes[cut + 1] = b',';
    bytes[cut + 2] = b' ';
    let (first, second) = match (first?, second?) {
        (Ok(first), Ok(second)) => (first, second),
        (Err(why), _) | (_, Err(why)) => return Some(Err(why)),
    };
    let mut cards = CardMap::default();
    for (deck, table) in first.into_iter().chain(second) {
        cards.insert_deck(deck, table);
    }
    Some(snapshot_of(header, cards))
}

/// The snapshot `file` stands for, with its card map read apart.
fn snapshot_of(file: File, cards: CardMap) -> Result<Snapshot, String> {
    if !reads(u64::from(file.format_version)) {
        return Err(format!("format_version {} read as 4", file.format_version));
    }
    Ok(Snapshot {
        format_version: file.format_version,
        log_offset: file.log_offset,
        log_lines: file.log_lines,
        log_last_line: file.log_last_line,
        progress: Progress {
            days: file.days.0,
            last_at: file.last_at,
            cards,
            suspended: Default::default(),
        },
    })
}

/// Below this many cards the tables are built on one thread: starting a second would
/// cost more than it saves.
const BUILD_SPLIT_MIN_CARDS: usize = 20_000;

/// The card map of `decks`, the second half of the cards' tables built on a thread of
/// its own while the first half is built here; decks in file order.
fn build_map(mut decks: Vec<Columns>) -> Result<CardMap, String> {
    let total: usize = decks.iter().map(|d| d.cards.ends.len()).sum();
    if total < BUILD_SPLIT_MIN_CARDS {
        let mut map = CardMap::default();
        for columns in decks {
            let (deck, cards) = columns.into_cards()?;
            map.insert_deck(deck, cards);
        }
        return Ok(map);
    }
    let mut seen = 0;
    let half = decks
        .iter()
        .position(|d| {
            seen += d.cards.ends.len();
            seen * 2 >= total
        })
        .map_or(decks.len(), |i| i + 1);
    let second = decks.split_off(half.min(decks.len()));
    let build = |decks: Vec<Columns>| -> Result<Vec<_>, String> {
        decks.into_iter().map(Columns::into_cards).collect()
    };
    let (first, second) = if second.is_empty() {
        (build(decks)?, Vec::new())
    } else {
        std::thread::scope(|scope| {
            let other = scope.spawn(|| build(second));
            let first = build(decks);
            let second = other
                .join()
                .unwrap_or_else(|_| Err("the snapshot reader stopped".into()));
            Ok::<_, String>((first?, second?))
        })?
    };
    let mut map = CardMap::default();
    for (deck, cards) in first.into_iter().chain(second) {
        map.insert_deck(deck, cards);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::{answer_entry, undo_entry};

    /// [`from_slice`] on a copy of `bytes`, which must come back unchanged.
    fn read_copy(bytes: &[u8]) -> Result<Snapshot, String> {
        let mut copy = bytes.to_vec();
        let read = from_slice(&mut copy);
        assert_eq!(copy, bytes, "the bytes were not put back");
        read
    }

    /// [`read_split`] on a copy of `bytes`, which must come back unchanged.
    fn split_copy(bytes: &[u8], min_bytes: usize) -> Option<Result<Snapshot, String>> {
        let mut copy = bytes.to_vec();
        let read = read_split(&mut copy, min_bytes);
        assert_eq!(copy, bytes, "the bytes were not put back");
        read
    }

    /// Progress with every kind of card state: plain, moved by a plan (`sm2_due`),
    /// re-drilled (`drill_grade`), in several decks and under a key without a `/`.
    fn varied() -> Progress {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let mut p = Progress::default();
        for i in 0..40 {
            let card = format!("d{}/c{i}", i % 3);
            let grade = Grade::new((i % 6) as u8).unwrap();
            let when = at("2026-01-01T10:00:00.123456789+05:30");
            let mut entry = answer_entry(&card, None, grade, false, when, day("2026-01-01"));
            if i % 4 == 0 {
                // A plan moving the card from the 2nd to the 1st.
                entry.move_due(day("2026-01-01"));
            }
            p.apply(&entry);
            if i % 5 == 0 {
                let before = p.card(&card).copied();
                p.apply(&answer_entry(
                    &card,
                    before.as_ref(),
                    Grade::new(5).unwrap(),
                    true,
                    at("2026-01-01T10:01:00Z"),
                    day("2026-01-01"),
                ));
            }
        }
        let undone = answer_entry(
            "d0/c0",
            p.card("d0/c0"),
            Grade::new(1).unwrap(),
            false,
            at("2026-01-02T09:00:00-04:00"),
            day("2026-01-02"),
        );
        let before = p.card("d0/c0").copied();
        p.apply(&undone);
        p.apply(&undo_entry(&undone, before, at("2026-01-02T09:00:01Z")));
        p.cards.insert("nodeck".into(), *p.card("d1/c1").unwrap());
        p
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let p = varied();
        assert!(p.cards.values().any(|s| s.sm2_due.is_some()));
        assert!(p.cards.values().any(|s| s.drill_grade.is_some()));
        let bytes = to_vec((123, 4, Some("last")), &p).unwrap();
        assert!(bytes.starts_with(PREFIX));
        let read = read_copy(&bytes).unwrap();
        assert_eq!(read.progress, p);
        assert_eq!(
            (
                read.log_offset,
                read.log_lines,
                read.log_last_line.as_deref()
            ),
            (123, 4, Some("last"))
        );
        // Field names are written once per deck, not once per card.
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.matches("\"reps\"").count(), 4, "{text}");
        let empty = read_copy(&to_vec((0, 0, None), &Progress::default()).unwrap()).unwrap();
        assert_eq!(empty.progress, Progress::default());
    }

    #[test]
    fn a_format_3_snapshot_with_days_by_date_reads_the_same() {
        let p = varied();
        assert!(!p.days.is_empty());
        let bytes = to_vec_as(FORMAT_3, (5, 6, None), &p).unwrap();
        assert!(bytes.starts_with(PREFIXES[1]));
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            text.contains(r#""days":{"d0":{"2026-01-01":{"reviews":"#),
            "{text}"
        );
        let read = read_copy(&bytes).unwrap();
        assert_eq!(read.format_version, FORMAT_3);
        assert_eq!(read.progress, p);
        let now = String::from_utf8(to_vec((5, 6, None), &p).unwrap()).unwrap();
        assert!(
            !now.contains("\"reviews\""),
            "format 4 writes days as rows: {now}"
        );
    }

    #[test]
    fn a_snapshot_large_enough_for_two_threads_reads_back_the_same() {
        let at = DateTime::parse_from_rfc3339("2026-01-01T10:00:00Z").unwrap();
        let mut p = varied();
        for i in 0..BUILD_SPLIT_MIN_CARDS + 100 {
            let grade = Grade::new((i % 6) as u8).unwrap();
            let card = format!("big{}/c{i}", i % 7);
            p.apply(&answer_entry(
                &card,
                None,
                grade,
                false,
                at,
                at.date_naive(),
            ));
        }
        let read = read_copy(&to_vec((0, 0, None), &p).unwrap()).unwrap();
        assert_eq!(read.progress.cards.len(), p.cards.len());
        assert_eq!(read.progress, p);
    }

    #[test]
    fn a_split_read_gives_what_one_pass_gives() {
        let mut p = varied();
        let at = DateTime::parse_from_rfc3339("2026-01-01T10:00:00Z").unwrap();
        for i in 0..2_000 {
            let card = format!("s{}/c{i}", i % 9);
            let grade = Grade::new((i % 6) as u8).unwrap();
            p.apply(&answer_entry(
                &card,
                None,
                grade,
                false,
                at,
                at.date_naive(),
            ));
        }
        let bytes = to_vec((7, 8, Some("line")), &p).unwrap();
        let split = split_copy(&bytes, 0).expect("laid out as written").unwrap();
        assert_eq!(split.progress, p);
        assert_eq!(
            (
                split.log_offset,
                split.log_lines,
                split.log_last_line.as_deref()
            ),
            (7, 8, Some("line"))
        );
        // Small ones, and ones laid out otherwise, are left to the one-pass read.
        assert!(split_copy(&bytes, bytes.len()).is_none());
        let text = String::from_utf8(bytes).unwrap();
        let unusual = [
            text.replacen("\"log_lines\":8,", "\"log_lines\":8,\"extra\":1,", 1),
            text.replacen(",\"decks\":[", ",\"decks\": [", 1),
            text[..text.len() - 1].to_string(),
        ];
        for text in unusual {
            assert!(split_copy(text.as_bytes(), 0).is_none(), "{text}");
        }
        // Damage inside a deck is reported, as by the one-pass read.
        let damaged = text.replacen(",\"ef\":\"", ",\"ef\":\"9 ", 1);
        assert!(matches!(split_copy(damaged.as_bytes(), 0), Some(Err(_))));
        assert!(read_copy(damaged.as_bytes()).is_err());
    }

    #[test]
    fn columns_that_do_not_fit_together_are_damage() {
        let text = String::from_utf8(to_vec((1, 1, None), &varied()).unwrap()).unwrap();
        let damaged = [
            // A column longer than the cards.
            text.replacen(",\"ef\":\"", ",\"ef\":\"9 ", 1),
            // A value that is not a number.
            text.replacen(",\"reps\":\"", ",\"reps\":\"x ", 1),
            text.replacen(",\"last_grade\":\"", ",\"last_grade\":\"7 ", 1),
            // A sparse entry past the end.
            text.replacen("\"sm2_due\":[[", "\"sm2_due\":[[999,1],[", 1),
            // An unknown member.
            text.replacen("\"decks\":[", "\"decks\":[],\"extra\":[", 1),
            text[..text.len() / 2].to_string(),
        ];
        for bad in damaged {
            assert_ne!(bad, text);
            assert!(read_copy(bad.as_bytes()).is_err(), "{bad}");
        }
        // A day chrono cannot hold.
        let one = |due: &str| {
            format!(
                r#"{{"format_version":2,"log_offset":0,"log_lines":0,"log_last_line":null,"days":{{}},"last_at":null,"decks":[{{"deck":"d","cards":["a"],"reps":[1],"ef":[2.5],"interval":[1],"lapses":[0],"due":[{due}],"last_review":["2026-01-01T10:00:00Z"],"last_grade":[4],"sm2_due":[],"drill_grade":[]}}]}}"#
            )
        };
        let read = read_copy(one("20454").as_bytes()).unwrap();
        assert_eq!(
            read.progress.card("d/a").map(|s| s.due),
            "2026-01-01".parse().ok()
        );
        assert!(read_copy(one("2147483000").as_bytes()).is_err());
    }

    #[test]
    fn format_3_lists_ids_in_one_string_and_times_as_seconds_exactly() {
        let mut p = varied();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        let mut odd = *p.card("d1/c1").unwrap();
        // A leap second, and ids a space-separated string could not hold.
        odd.last_review = at("2016-12-31T23:59:60.5+01:00");
        for key in ["odd/with space", "odd/quote\"", "odd/", "odd/tab\t"] {
            p.cards.insert(key.into(), odd);
        }
        let bytes = to_vec((1, 1, None), &p).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains(r#""deck":"d0","cards":"c0 c3 c6"#), "{text}");
        assert!(
            text.contains(r#""cards":["with space","#) || text.contains(r#"["quote"#),
            "{text}"
        );
        assert!(
            !text.contains("T10:00:00"),
            "times are written as seconds: {text}"
        );
        let read = read_copy(&bytes).unwrap();
        assert_eq!(read.progress, p);
        let read_odd = read.progress.card("odd/with space").unwrap().last_review;
        assert_eq!(read_odd.to_rfc3339(), odd.last_review.to_rfc3339());
        for key in ["d0/c0", "d1/c1", "d2/c2"] {
            let (ours, theirs) = (read.progress.card(key).unwrap(), p.card(key).unwrap());
            assert_eq!(
                ours.last_review.to_rfc3339(),
                theirs.last_review.to_rfc3339()
            );
        }
    }

    #[test]
    fn a_format_2_snapshot_reads_as_it_did() {
        let text = r#"{"format_version":2,"log_offset":5,"log_lines":1,"log_last_line":null,"days":{},"last_at":null,"decks":[{"deck":"d","cards":["a","b c"],"reps":[1,2],"ef":[2.5,2.6],"interval":[1,6],"lapses":[0,1],"due":[20454,20460],"last_review":["2026-01-01T10:00:00+05:30","2026-01-02T10:00:00.25Z"],"last_grade":[4,null],"sm2_due":[[1,20470]],"drill_grade":[[0,5]]}]}"#;
        let read = read_copy(text.as_bytes()).unwrap();
        assert_eq!(read.format_version, FORMAT_2);
        let a = read.progress.card("d/a").unwrap();
        assert_eq!(a.last_review.to_rfc3339(), "2026-01-01T10:00:00+05:30");
        assert_eq!((a.reps, a.drill_grade.map(|g| g.value())), (1, Some(5)));
        let b = read.progress.card("d/b c").unwrap();
        assert_eq!(b.last_review.to_rfc3339(), "2026-01-02T10:00:00.250+00:00");
        assert_eq!(
            (b.lapses, b.last_grade, b.sm2_due),
            (1, None, "2026-01-17".parse().ok())
        );
    }

    #[test]
    fn format_3_positions_past_the_listed_cards_are_damage() {
        let one = |extra: &str| {
            format!(
                r#"{{"format_version":3,"log_offset":0,"log_lines":0,"log_last_line":null,"days":{{}},"last_at":null,"decks":[{{"deck":"d","cards":"a b","reps":[1,1],"ef":[2.5,2.5],"interval":[1,1],"lapses":[0,0],"due":[20454,20454],"last_review":[1767261600,1767261600],"utc_offset":3600,{extra}"last_grade":[4,4],"sm2_due":[],"drill_grade":[]}}]}}"#
            )
        };
        let read = read_copy(one("").as_bytes()).unwrap();
        let a = read.progress.card("d/a").unwrap();
        assert_eq!(a.last_review.to_rfc3339(), "2026-01-01T11:00:00+01:00");
        let read = read_copy(one(r#""offsets":[[1,0]],"nanos":[[1,5]],"#).as_bytes()).unwrap();
        let b = read.progress.card("d/b").unwrap();
        assert_eq!(
            b.last_review.to_rfc3339(),
            "2026-01-01T10:00:00.000000005+00:00"
        );
        for bad in [
            r#""offsets":[[2,0]],"#,
            r#""nanos":[[9,1]],"#,
            r#""utc_offset":99999999,"#,
        ] {
            assert!(read_copy(one(bad).as_bytes()).is_err(), "{bad}");
        }
        let twice = one("").replace(r#""cards":"a b""#, r#""cards":"a a""#);
        assert!(read_copy(twice.as_bytes())
            .unwrap_err()
            .contains("listed twice"));
    }
}
