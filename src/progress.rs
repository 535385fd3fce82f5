//! Card states and daily tallies, folded from review-log entries.
//!
//! Pure: the live session and the replay of the log both go through
//! [`Progress::apply`], so they cannot disagree.

use crate::deck::Outline;
use crate::sm2::{Grade, Schedule, Sm2};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod cards;
pub use cards::{deserialize_entries, CardMap, DeckCards};

/// The newest review-log format version this build reads.
pub const LOG_VERSION: u32 = 2;

/// The version written on every line but cram answers: a log without cram answers stays
/// readable by builds that know only version 1.
pub const PLAIN_LOG_VERSION: u32 = 1;

/// The version of cram answers (and their undos): a build that knows only version 1
/// would read one as an answer without its schedule, so it must refuse it as newer.
pub const CRAM_LOG_VERSION: u32 = 2;

/// The newest review-log version this build reads: version 2 brought cram answers and
/// rehearsal lines (`crate::rehearse::Rehearsal`), both refused as newer by older builds.
pub const READ_LOG_VERSION: u32 = LOG_VERSION;

/// A card's schedule as stored: SM-2 state, lapses, due day and last review.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CardState {
    /// SM-2 repetitions `n`.
    pub reps: u32,
    /// SM-2 easiness factor.
    pub ef: f64,
    /// Days between the last review and `due`.
    pub interval: u32,
    /// Failed answers after the card was learned.
    pub lapses: u32,
    /// The study day the card is next due (moved earlier by an interview plan, if any).
    #[serde(with = "crate::serde_time::date")]
    pub due: NaiveDate,
    /// The due day SM-2 gave, when a plan moved `due` earlier; absent otherwise.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::serde_time::opt_date"
    )]
    pub sm2_due: Option<NaiveDate>,
    /// When the card was last answered (re-drills excluded).
    #[serde(with = "crate::serde_time::datetime")]
    pub last_review: DateTime<FixedOffset>,
    /// The grade of that answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_grade: Option<Grade>,
    /// The grade of the latest re-drill or cram answer given after that answer, if any:
    /// the card's last word, which readiness goes by (a miss re-drilled to a 4 is ready).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drill_grade: Option<Grade>,
}

impl CardState {
    /// The day SM-2 gave. Which day applies while an interview plan is active is the
    /// plan's business (`plan::Dues`): `due` may hold a day an earlier plan chose.
    pub fn sm2_day(&self) -> NaiveDate {
        self.sm2_due.unwrap_or(self.due)
    }

    /// The grade of the card's latest answer of any kind: what readiness goes by.
    pub fn latest_grade(&self) -> Option<Grade> {
        self.drill_grade.or(self.last_grade)
    }

    /// The scheduler's view of this state.
    pub fn schedule(&self) -> Schedule {
        Schedule {
            sm2: Sm2 {
                reps: self.reps,
                ef: self.ef,
                interval: self.interval,
            },
            lapses: self.lapses,
            due: Some(self.sm2_day()),
        }
    }
}

/// The scheduling result recorded with an answer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct After {
    /// SM-2 repetitions after the answer.
    pub reps: u32,
    /// Easiness factor after the answer.
    pub ef: f64,
    /// Interval after the answer, in days.
    pub interval: u32,
    /// Lapses after the answer.
    pub lapses: u32,
    /// Due study day after the answer: the day actually used.
    #[serde(with = "crate::serde_time::date")]
    pub due: NaiveDate,
    /// The due day SM-2 gave, when an interview plan moved `due` earlier.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::serde_time::opt_date"
    )]
    pub sm2_due: Option<NaiveDate>,
}

/// What a log line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A grade given to a card.
    Answer,
    /// Takes back the latest answer still in effect.
    Undo,
}

/// One line of the review log (documented in docs/progress-format.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Log format version.
    pub v: u32,
    /// Answer or undo.
    pub kind: Kind,
    /// When the line was written.
    #[serde(with = "crate::serde_time::datetime")]
    pub at: DateTime<FixedOffset>,
    /// `deck-id/card-id`.
    pub card: String,
    /// Study day of the answer (for an undo: of the answer undone).
    #[serde(with = "crate::serde_time::date")]
    pub day: NaiveDate,
    /// The grade (for an undo: of the answer undone).
    pub grade: Grade,
    /// True for a same-session re-drill, which never changes the schedule.
    pub redrill: bool,
    /// True for a cram answer (`review --cram`), which never changes the schedule and is
    /// counted apart from reviews.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cram: bool,
    /// For a first answer: the schedule it produced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<After>,
    /// For an undo: when the undone answer was given.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::serde_time::opt_datetime"
    )]
    pub undone_at: Option<DateTime<FixedOffset>>,
    /// For an undo: the card's state before the undone answer; absent if it was new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore: Option<CardState>,
}

impl Entry {
    /// Moves an answer's due day earlier to `day`, keeping the SM-2 day beside it.
    pub fn move_due(&mut self, day: NaiveDate) {
        if let Some(after) = &mut self.after {
            if day < after.due {
                after.sm2_due = Some(after.sm2_due.unwrap_or(after.due));
                after.due = day;
            }
        }
    }

    /// The deck part of `card`.
    pub fn deck(&self) -> &str {
        deck_of(&self.card)
    }

    /// Why this entry cannot be applied, if it is inconsistent.
    pub fn defect(&self) -> Option<&'static str> {
        match (self.kind, self.redrill || self.cram, &self.after) {
            _ if self.cram && self.v < CRAM_LOG_VERSION => {
                Some("a cram answer in a version 1 line")
            }
            (Kind::Answer, false, None) => Some("an answer without its \"after\" schedule"),
            (Kind::Answer, true, Some(_)) if self.cram => {
                Some("a cram answer that changes the schedule")
            }
            (Kind::Answer, true, Some(_)) => Some("a re-drill that changes the schedule"),
            _ if !self.card.contains('/') => Some("a card that is not written deck-id/card-id"),
            _ => None,
        }
    }
}

/// The deck id of a `deck-id/card-id` key.
pub fn deck_of(card: &str) -> &str {
    card.split_once('/').map_or(card, |(deck, _)| deck)
}

/// A set of `deck-id/card-id` keys (foldhash, as [`CardMap`]: it is looked up once per
/// log line when `stats` reads the log).
pub type CardKeys = std::collections::HashSet<String, foldhash::fast::RandomState>;

/// Tallies by deck id, then study day.
pub type DayTallies = BTreeMap<String, BTreeMap<NaiveDate, Tally>>;

/// Answers given on one study day in one deck.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Scheduling answers (re-drills excluded).
    pub reviews: u32,
    /// Re-drill answers.
    pub redrills: u32,
    /// Scheduling answers by grade 0..=5.
    pub grades: [u32; 6],
    /// Cards seen for the first time.
    pub introduced: u32,
    /// Scheduling answers on cards that were not new (the retention denominator).
    pub recall_total: u32,
    /// Of those, graded 3 or more.
    pub recall_pass: u32,
    /// Cram answers (their re-drills included): counted apart, never in the figures
    /// above.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cram: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Tally {
    /// All answers, re-drills and cram answers included.
    pub fn answers(&self) -> u32 {
        self.reviews + self.redrills + self.cram
    }

    /// This tally without the answers counted in `part`, which must be some of them
    /// (the answers on some of the deck's cards, folded the same way).
    pub fn without(&self, part: &Tally) -> Tally {
        // Saturating: a hand-edited log could make `part` larger; a figure then reads 0.
        let minus = |a: u32, b: u32| a.saturating_sub(b);
        let mut grades = self.grades;
        for (n, m) in grades.iter_mut().zip(part.grades) {
            *n = minus(*n, m);
        }
        Tally {
            reviews: minus(self.reviews, part.reviews),
            redrills: minus(self.redrills, part.redrills),
            grades,
            introduced: minus(self.introduced, part.introduced),
            recall_total: minus(self.recall_total, part.recall_total),
            recall_pass: minus(self.recall_pass, part.recall_pass),
            cram: minus(self.cram, part.cram),
        }
    }

    fn count(&mut self, entry: &Entry, was_new: bool, sign: i8) {
        let bump = |n: &mut u32| {
            *n = if sign > 0 {
                n.saturating_add(1)
            } else {
                n.saturating_sub(1)
            }
        };
        if entry.cram {
            bump(&mut self.cram);
            return;
        }
        if entry.redrill {
            bump(&mut self.redrills);
            return;
        }
        bump(&mut self.reviews);
        bump(&mut self.grades[usize::from(entry.grade.value())]);
        if was_new {
            bump(&mut self.introduced);
        } else {
            bump(&mut self.recall_total);
            if entry.grade.is_pass() {
                bump(&mut self.recall_pass);
            }
        }
    }
}

/// Everything known about a learner: card states and per-deck daily tallies.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Tallies by deck id, then study day.
    pub days: DayTallies,
    /// The latest entry's time, to notice a clock that went backwards.
    pub last_at: Option<DateTime<FixedOffset>>,
    /// Card states by `deck-id/card-id`; cards of removed decks stay, so nothing is lost.
    ///
    /// Last, so that in a snapshot the card map ends the file (see `store::snapshot`).
    pub cards: CardMap,
    /// Cards suspended with `prepdeck card suspend` (`suspended.json`, not the log):
    /// left out of review and of the interview plan. Set by the commands that need it.
    #[serde(skip)]
    pub suspended: CardKeys,
}

impl Progress {
    /// The state of `card`, `None` while it is new.
    pub fn card(&self, card: &str) -> Option<&CardState> {
        self.cards.get(card)
    }

    /// Every card of `deck` with its state (`None` while it is new), in deck order.
    pub fn deck_states<'p, 'd>(
        &'p self,
        deck: &'d Outline,
    ) -> impl Iterator<Item = (&'d str, Option<&'p CardState>)> + use<'p, 'd> {
        let mut walk = self.cards.deck(deck.id.as_str()).map(DeckCards::walk);
        deck.cards
            .iter()
            .map(move |card| (card, walk.as_mut().and_then(|w| w.find(card))))
    }

    /// Folds one log entry in; assumes [`Entry::defect`] is `None`.
    pub fn apply(&mut self, entry: &Entry) {
        self.last_at = Some(self.last_at.map_or(entry.at, |last| last.max(entry.at)));
        let was_new = match entry.kind {
            Kind::Answer => !self.cards.contains_key(&entry.card),
            Kind::Undo => entry.restore.is_none(),
        };
        let tally = self
            .days
            .entry(entry.deck().to_owned())
            .or_default()
            .entry(entry.day)
            .or_default();
        match entry.kind {
            Kind::Answer => {
                tally.count(entry, was_new, 1);
                if let Some(after) = entry.after {
                    self.cards.insert(
                        entry.card.clone(),
                        CardState {
                            reps: after.reps,
                            ef: after.ef,
                            interval: after.interval,
                            lapses: after.lapses,
                            due: after.due,
                            sm2_due: after.sm2_due,
                            last_review: entry.at,
                            last_grade: Some(entry.grade),
                            drill_grade: None,
                        },
                    );
                } else if let Some(state) = self.cards.get_mut(&entry.card) {
                    // A re-drill or a cram answer leaves the schedule, but it is the
                    // card's latest answer.
                    state.drill_grade = Some(entry.grade);
                }
            }
            Kind::Undo => {
                tally.count(entry, was_new, -1);
                match entry.restore {
                    Some(state) => self.cards.insert(entry.card.clone(), state),
                    None => self.cards.remove(&entry.card),
                };
            }
        }
    }

    /// True when `card` of `deck` is suspended.
    pub fn is_suspended(&self, deck: &str, card: &str) -> bool {
        !self.suspended.is_empty() && self.suspended.contains(&format!("{deck}/{card}"))
    }

    /// The tally of `deck` on `day` (zero when nothing was answered).
    pub fn tally(&self, deck: &str, day: NaiveDate) -> Tally {
        self.days
            .get(deck)
            .and_then(|days| days.get(&day))
            .copied()
            .unwrap_or_default()
    }

    /// New cards introduced on `day`, over all decks.
    pub fn introduced_on(&self, day: NaiveDate) -> u32 {
        self.days
            .values()
            .filter_map(|days| days.get(&day))
            .map(|t| t.introduced)
            .sum()
    }
}

/// Builds the entry for answering `card` with `grade` at `at` on study day `day`.
///
/// A re-drill keeps the schedule; any other answer runs SM-2 from `before`.
pub fn answer_entry(
    card: &str,
    before: Option<&CardState>,
    grade: Grade,
    redrill: bool,
    at: DateTime<FixedOffset>,
    day: NaiveDate,
) -> Entry {
    let after = (!redrill).then(|| {
        let schedule = before
            .map(CardState::schedule)
            .unwrap_or_default()
            .after(grade, day);
        After {
            reps: schedule.sm2.reps,
            ef: schedule.sm2.ef,
            interval: schedule.sm2.interval,
            lapses: schedule.lapses,
            due: schedule.due.unwrap_or(day),
            sm2_due: None,
        }
    });
    Entry {
        v: PLAIN_LOG_VERSION,
        kind: Kind::Answer,
        at,
        card: card.to_owned(),
        day,
        grade,
        redrill,
        cram: false,
        after,
        undone_at: None,
        restore: None,
    }
}

/// A cram answer (`review --cram`): logged, counted apart, and the card's schedule left
/// as it is.
pub fn cram_entry(
    card: &str,
    grade: Grade,
    redrill: bool,
    at: DateTime<FixedOffset>,
    day: NaiveDate,
) -> Entry {
    Entry {
        v: CRAM_LOG_VERSION,
        kind: Kind::Answer,
        at,
        card: card.to_owned(),
        day,
        grade,
        redrill,
        cram: true,
        after: None,
        undone_at: None,
        restore: None,
    }
}

/// Builds the entry that takes back `answer`, restoring the card to `before`.
pub fn undo_entry(answer: &Entry, before: Option<CardState>, at: DateTime<FixedOffset>) -> Entry {
    Entry {
        v: answer.v,
        kind: Kind::Undo,
        at,
        card: answer.card.clone(),
        day: answer.day,
        grade: answer.grade,
        redrill: answer.redrill,
        cram: answer.cram,
        after: None,
        undone_at: Some(answer.at),
        restore: before,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn grade(q: u8) -> Grade {
        Grade::new(q).unwrap()
    }

    #[test]
    fn deck_states_gives_each_card_its_own_state_in_deck_order() {
        let id = |s: &str| crate::deck::Id::parse(s).unwrap();
        let deck = Outline {
            id: id("d"),
            title: "D".into(),
            description: String::new(),
            cards: ["a", "b", "ab", "c"].into_iter().map(id).collect(),
        };
        let mut p = Progress::default();
        // "d/ab" answered, "d/a" not: the reused key buffer must not leave "d/ab" behind.
        for (card, q) in [("d/ab", 4), ("d/c", 2), ("other/a", 5), ("dd/b", 3)] {
            let e = answer_entry(
                card,
                None,
                grade(q),
                false,
                at("2026-01-01T10:00:00Z"),
                day("2026-01-01"),
            );
            p.apply(&e);
        }
        let got: Vec<(&str, Option<&CardState>)> = p.deck_states(&deck).collect();
        let want: Vec<(&str, Option<&CardState>)> = deck
            .cards
            .iter()
            .map(|c| (c, p.card(&format!("d/{c}"))))
            .collect();
        assert_eq!(got, want);
        assert_eq!(
            got.iter().map(|(_, s)| s.is_some()).collect::<Vec<_>>(),
            [false, false, true, true]
        );
    }

    #[test]
    fn an_answer_sets_the_card_state_and_counts_an_introduction() {
        let mut p = Progress::default();
        let e = answer_entry(
            "d/a",
            None,
            grade(4),
            false,
            at("2026-01-01T10:00:00Z"),
            day("2026-01-01"),
        );
        p.apply(&e);
        let state = p.card("d/a").unwrap();
        assert_eq!((state.reps, state.interval), (1, 1));
        assert_eq!(state.due, day("2026-01-02"));
        let t = p.tally("d", day("2026-01-01"));
        assert_eq!((t.reviews, t.introduced, t.recall_total), (1, 1, 0));
        assert_eq!(t.grades, [0, 0, 0, 0, 1, 0]);
    }

    #[test]
    fn a_redrill_is_counted_but_leaves_the_schedule_alone() {
        let mut p = Progress::default();
        let d = day("2026-01-01");
        p.apply(&answer_entry(
            "d/a",
            None,
            grade(2),
            false,
            at("2026-01-01T10:00:00Z"),
            d,
        ));
        let before = *p.card("d/a").unwrap();
        let redrill = answer_entry(
            "d/a",
            Some(&before),
            grade(5),
            true,
            at("2026-01-01T10:01:00Z"),
            d,
        );
        assert!(redrill.after.is_none());
        p.apply(&redrill);
        // The schedule is the scheduling answer's; the re-drill's grade is the card's
        // latest answer, which readiness goes by.
        let after = p.card("d/a").unwrap();
        assert_eq!(
            CardState {
                drill_grade: None,
                ..*after
            },
            before
        );
        assert_eq!(after.latest_grade(), Some(grade(5)));
        assert_eq!(before.latest_grade(), Some(grade(2)));
        assert_eq!(p.tally("d", d).redrills, 1);
        assert_eq!(p.tally("d", d).reviews, 1);
    }

    #[test]
    fn undo_restores_state_and_tallies_exactly() {
        let mut p = Progress::default();
        let d = day("2026-01-01");
        p.apply(&answer_entry(
            "d/a",
            None,
            grade(5),
            false,
            at("2026-01-01T10:00:00Z"),
            d,
        ));
        let snapshot = p.clone();
        let before = p.card("d/a").copied();
        let second = answer_entry(
            "d/a",
            before.as_ref(),
            grade(1),
            false,
            at("2026-01-02T10:00:00Z"),
            day("2026-01-02"),
        );
        p.apply(&second);
        p.apply(&undo_entry(&second, before, at("2026-01-02T10:00:05Z")));
        assert_eq!(p.cards, snapshot.cards);
        assert_eq!(p.tally("d", day("2026-01-02")), Tally::default());
        // Undoing the first answer makes the card new again.
        let first = answer_entry("d/a", None, grade(5), false, at("2026-01-01T10:00:00Z"), d);
        p.apply(&undo_entry(&first, None, at("2026-01-02T10:00:06Z")));
        assert!(p.card("d/a").is_none());
        assert_eq!(p.introduced_on(d), 0);
    }

    #[test]
    fn retention_counts_only_cards_that_were_not_new() {
        let mut p = Progress::default();
        let d = day("2026-01-01");
        p.apply(&answer_entry(
            "d/a",
            None,
            grade(1),
            false,
            at("2026-01-01T10:00:00Z"),
            d,
        ));
        let before = p.card("d/a").copied();
        p.apply(&answer_entry(
            "d/a",
            before.as_ref(),
            grade(3),
            false,
            at("2026-01-01T10:05:00Z"),
            d,
        ));
        let t = p.tally("d", d);
        assert_eq!((t.recall_total, t.recall_pass, t.introduced), (1, 1, 1));
    }

    #[test]
    fn entries_round_trip_through_json() {
        let e = answer_entry(
            "d/a",
            None,
            grade(3),
            false,
            at("2026-01-01T10:00:00+01:00"),
            day("2026-01-01"),
        );
        let line = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<Entry>(&line).unwrap(), e);
        assert!(
            line.starts_with(r#"{"v":1,"kind":"answer","at":"2026-01-01T10:00:00+01:00""#),
            "{line}"
        );
    }

    #[test]
    fn the_card_map_reads_like_a_plain_hash_map() {
        #[derive(Deserialize)]
        struct Plain {
            cards: std::collections::HashMap<String, CardState>,
        }
        let state = r#"{"reps":1,"ef":2.5,"interval":1,"lapses":0,"due":"2026-01-02","last_review":"2026-01-01T10:00:00Z"}"#;
        let later = state.replace("2026-01-02", "2026-01-09");
        for text in [
            format!(r#"{{"cards":{{"d/a":{state},"d/b":{state},"d/a":{later}}},"days":{{}}}}"#),
            r#"{"cards":{},"days":{}}"#.to_owned(),
            r#"{"cards":[],"days":{}}"#.to_owned(),
            r#"{"cards":{"d/a":{"reps":1}},"days":{}}"#.to_owned(),
        ] {
            let ours = serde_json::from_str::<Progress>(&text).map(|p| p.cards);
            let plain = serde_json::from_str::<Plain>(&text).map(|p| {
                let mut cards = CardMap::default();
                cards.extend(p.cards);
                cards
            });
            match (ours, plain) {
                (Ok(ours), Ok(plain)) => assert_eq!(ours, plain, "{text}"),
                (Err(ours), Err(plain)) => assert_eq!(ours.to_string(), plain.to_string()),
                (ours, plain) => panic!("{text}: {ours:?} vs {plain:?}"),
            }
        }
    }

    /// Any state a card can be in after an earlier answer.
    fn any_state() -> impl proptest::strategy::Strategy<Value = CardState> {
        use proptest::prelude::*;
        (
            0u32..30,
            1.3f64..3.5,
            1u32..5000,
            0u32..20,
            -400i64..400,
            0u8..=5,
        )
            .prop_map(|(reps, ef, interval, lapses, due_offset, q)| CardState {
                reps,
                ef,
                interval,
                lapses,
                due: day("2026-01-01") + chrono::TimeDelta::days(due_offset),
                sm2_due: None,
                last_review: at("2025-12-01T10:00:00Z"),
                last_grade: Grade::new(q),
                drill_grade: None,
            })
    }

    proptest::proptest! {
        #[test]
        fn a_redrill_never_reschedules_and_a_first_answer_always_does(
            before in proptest::option::of(any_state()),
            q in 0u8..=5,
        ) {
            let d = day("2026-01-01");
            let mut p = Progress::default();
            if let Some(state) = before {
                p.cards.insert("d/a".to_owned(), state);
            }
            let redrill = answer_entry("d/a", before.as_ref(), grade(q), true, at("2026-01-01T10:00:00Z"), d);
            proptest::prop_assert_eq!(redrill.after, None);
            p.apply(&redrill);
            // Not even the last review or grade: those are the scheduling answer's. Only
            // the latest grade, for readiness, is the re-drill's.
            let unscheduled = p.card("d/a").map(|s| CardState { drill_grade: None, ..*s });
            proptest::prop_assert_eq!(unscheduled.as_ref(), before.as_ref());
            if before.is_some() {
                proptest::prop_assert_eq!(p.card("d/a").and_then(CardState::latest_grade), Some(grade(q)));
            }
            proptest::prop_assert_eq!(p.tally("d", d).redrills, 1);
            proptest::prop_assert_eq!(p.tally("d", d).reviews, 0);

            let answer = answer_entry("d/a", before.as_ref(), grade(q), false, at("2026-01-01T10:00:00Z"), d);
            p.apply(&answer);
            let state = *p.card("d/a").expect("answered");
            let old = before.map(|b| b.schedule()).unwrap_or_default();
            let want = old.after(grade(q), d);
            proptest::prop_assert_eq!((state.reps, state.ef, state.interval), (want.sm2.reps, want.sm2.ef, want.sm2.interval));
            proptest::prop_assert_eq!(Some(state.due), want.due);
            proptest::prop_assert_eq!(state.lapses, want.lapses);
            proptest::prop_assert_eq!(state.last_grade, Some(grade(q)));
        }
    }

    #[test]
    fn inconsistent_entries_are_detected() {
        let mut e = answer_entry(
            "d/a",
            None,
            grade(3),
            false,
            at("2026-01-01T10:00:00Z"),
            day("2026-01-01"),
        );
        e.after = None;
        assert!(e.defect().is_some());
        e.card = "no-slash".into();
        assert!(e.defect().is_some());
    }
}
