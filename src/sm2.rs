//! The SuperMemo-2 scheduler: pure functions from (state, grade, day) to state.
//!
//! No IO, no clock, no randomness: the caller passes the study day in.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Easiness factor of a card that has never been reviewed.
pub const INITIAL_EF: f64 = 2.5;
/// SM-2 never lets the easiness factor fall below this.
pub const MIN_EF: f64 = 1.3;

/// A recall grade, 0 (blackout) to 5 (perfect); valid by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Grade(u8);

impl Grade {
    /// Every grade, lowest first.
    pub const ALL: [Grade; 6] = [Grade(0), Grade(1), Grade(2), Grade(3), Grade(4), Grade(5)];

    /// The grade for `value`, or `None` when it is not in 0..=5.
    pub fn new(value: u8) -> Option<Grade> {
        (value <= 5).then_some(Grade(value))
    }

    /// The grade as a number 0..=5.
    pub fn value(self) -> u8 {
        self.0
    }

    /// SM-2 counts grades 3..=5 as a successful recall.
    pub fn is_pass(self) -> bool {
        self.0 >= 3
    }

    /// SM-2 step 7: below 4 the card is drilled again in the same session.
    pub fn needs_redrill(self) -> bool {
        self.0 < 4
    }

    /// What the grade means, in the words shown by `?` during a review.
    pub fn meaning(self) -> &'static str {
        match self.0 {
            0 => "blackout: nothing came to mind",
            1 => "wrong, but the answer looked familiar once shown",
            2 => "wrong, but the answer felt easy once shown",
            3 => "right, with serious effort or gaps",
            4 => "right, after some hesitation",
            _ => "right, complete and fluent",
        }
    }
}

impl TryFrom<u8> for Grade {
    type Error = String;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Grade::new(value).ok_or_else(|| format!("grade {value} is not in 0..=5"))
    }
}

impl From<Grade> for u8 {
    fn from(grade: Grade) -> u8 {
        grade.0
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The canonical SM-2 state of a card: repetitions, easiness and interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sm2 {
    /// Successful repetitions in a row (`n`).
    pub reps: u32,
    /// Easiness factor (`EF`), never below [`MIN_EF`].
    pub ef: f64,
    /// Days until the next review; 0 for a card never reviewed.
    pub interval: u32,
}

impl Default for Sm2 {
    fn default() -> Self {
        Sm2 {
            reps: 0,
            ef: INITIAL_EF,
            interval: 0,
        }
    }
}

impl Sm2 {
    /// The state after answering with `grade`, following SuperMemo-2 to the letter.
    pub fn answer(self, grade: Grade) -> Sm2 {
        if !grade.is_pass() {
            return Sm2 {
                reps: 0,
                ef: self.ef,
                interval: 1,
            };
        }
        let q = f64::from(grade.value());
        let ef = (self.ef + (0.1 - (5.0 - q) * (0.08 + (5.0 - q) * 0.02))).max(MIN_EF);
        let interval = match self.reps {
            0 => 1,
            1 => 6,
            _ => ceil_days(f64::from(self.interval) * ef),
        };
        Sm2 {
            reps: self.reps.saturating_add(1),
            ef,
            interval,
        }
    }
}

/// Rounds a positive day count up, saturating instead of overflowing on absurd values.
fn ceil_days(days: f64) -> u32 {
    let days = days.ceil();
    if days >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        (days as u32).max(1)
    }
}

/// Everything the scheduler knows about one card: SM-2 state, lapses and due day.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Schedule {
    /// The canonical SM-2 state.
    #[serde(flatten)]
    pub sm2: Sm2,
    /// Failed answers (grade below 3) after the card had been learned.
    pub lapses: u32,
    /// The study day the card is next due; `None` for a card never reviewed.
    pub due: Option<NaiveDate>,
}

impl Schedule {
    /// The schedule after answering `grade` on study day `day`.
    ///
    /// On or after the due day this is canonical SM-2. Before it (a review pulled in by
    /// an interview plan, or studied early), the interval the next one grows from is
    /// the days actually elapsed since the last review, not the interval skipped:
    /// otherwise near-daily reviews before an interview would multiply an interval
    /// nobody waited out, and the card would come back months later.
    pub fn after(self, grade: Grade, day: NaiveDate) -> Schedule {
        let sm2 = self.elapsed_base(day).answer(grade);
        // A lapse is forgetting something once learned; failing a card still being
        // learned (n = 0) is not counted again.
        let lapsed = !grade.is_pass() && self.sm2.reps > 0;
        Schedule {
            sm2,
            lapses: self.lapses + u32::from(lapsed),
            due: Some(add_days(day, sm2.interval)),
        }
    }

    /// The SM-2 state an answer on `day` starts from: this one, with the interval cut
    /// to the days elapsed when `day` is before the due day. Only an interval that the
    /// next one is computed from (`n ≥ 2`) is cut; the first two are fixed by SM-2.
    fn elapsed_base(&self, day: NaiveDate) -> Sm2 {
        let Some(due) = self.due.filter(|due| day < *due && self.sm2.reps >= 2) else {
            return self.sm2;
        };
        let early = u32::try_from((due - day).num_days()).unwrap_or(u32::MAX);
        Sm2 {
            interval: self.sm2.interval.saturating_sub(early).max(1),
            ..self.sm2
        }
    }

    /// True when the card has never been answered.
    pub fn is_new(&self) -> bool {
        self.due.is_none()
    }

    /// True when the card is due on study day `today` (due on or before it).
    pub fn is_due(&self, today: NaiveDate) -> bool {
        self.due.is_some_and(|due| due <= today)
    }
}

/// `day + n` days, saturating at the last date chrono can represent.
pub fn add_days(day: NaiveDate, n: u32) -> NaiveDate {
    day.checked_add_days(Days::new(u64::from(n)))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike as _;
    use proptest::prelude::*;

    fn g(value: u8) -> Grade {
        Grade::new(value).unwrap()
    }

    fn run(grades: &[u8]) -> Vec<Sm2> {
        let mut state = Sm2::default();
        grades
            .iter()
            .map(|&q| {
                state = state.answer(g(q));
                state
            })
            .collect()
    }

    fn assert_close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-9,
            "ef {actual} != expected {expected}"
        );
    }

    #[test]
    fn new_card_starts_at_zero_reps_ef_2_5_interval_0() {
        assert_eq!(
            Sm2::default(),
            Sm2 {
                reps: 0,
                ef: 2.5,
                interval: 0
            }
        );
    }

    #[test]
    fn grade_rejects_values_above_five() {
        assert!(Grade::new(6).is_none());
        assert_eq!(Grade::new(5).map(Grade::value), Some(5));
    }

    #[test]
    fn all_fives_give_1_6_then_interval_times_rising_ef() {
        // By hand: ef rises by 0.1 each time: 2.6, 2.7, 2.8, 2.9.
        // Intervals: 1, 6, ceil(6 * 2.8) = 17, ceil(17 * 2.9) = 50 (49.3).
        let states = run(&[5, 5, 5, 5]);
        let intervals: Vec<u32> = states.iter().map(|s| s.interval).collect();
        assert_eq!(intervals, vec![1, 6, 17, 50]);
        assert_close(states[3].ef, 2.9);
        assert_eq!(states[3].reps, 4);
    }

    #[test]
    fn all_threes_lower_ef_by_0_14_each_time() {
        // q = 3: ef += 0.1 - 2 * (0.08 + 2 * 0.02) = -0.14.
        // ef: 2.36, 2.22, 2.08; intervals 1, 6, ceil(6 * 2.08) = 13 (12.48).
        let states = run(&[3, 3, 3]);
        assert_close(states[0].ef, 2.36);
        assert_close(states[2].ef, 2.08);
        let intervals: Vec<u32> = states.iter().map(|s| s.interval).collect();
        assert_eq!(intervals, vec![1, 6, 13]);
    }

    #[test]
    fn grade_four_leaves_ef_unchanged() {
        // q = 4: 0.1 - 1 * (0.08 + 0.02) = 0.
        let states = run(&[4, 4, 4]);
        assert_close(states[2].ef, 2.5);
        assert_eq!(states[2].interval, 15);
    }

    #[test]
    fn a_lapse_restarts_reps_and_interval_but_keeps_ef() {
        // 5, 5, 5 -> ef 2.8, interval 17; then 1 -> n 0, interval 1, ef still 2.8;
        // then 4 -> ef 2.8, interval 1; then 4 -> interval 6; then 4 -> ceil(6 * 2.8) = 17.
        let states = run(&[5, 5, 5, 1, 4, 4, 4]);
        assert_eq!(
            states[3],
            Sm2 {
                reps: 0,
                ef: states[2].ef,
                interval: 1
            }
        );
        let intervals: Vec<u32> = states.iter().map(|s| s.interval).collect();
        assert_eq!(intervals, vec![1, 6, 17, 1, 1, 6, 17]);
        assert_close(states[6].ef, 2.8);
    }

    #[test]
    fn ef_stops_at_the_1_3_floor() {
        // q = 0 does not change ef, q = 3 lowers it by 0.14: after 9 threes
        // 2.5 - 9 * 0.14 = 1.24 would be under the floor, so it stays at 1.3.
        let states = run(&[3; 10]);
        assert_close(states[7].ef, 2.5 - 8.0 * 0.14);
        assert_close(states[8].ef, MIN_EF);
        assert_close(states[9].ef, MIN_EF);
    }

    #[test]
    fn failing_a_card_keeps_ef_even_with_grade_zero() {
        let state = Sm2::default().answer(g(0));
        assert_eq!(
            state,
            Sm2 {
                reps: 0,
                ef: 2.5,
                interval: 1
            }
        );
    }

    #[test]
    fn schedule_due_is_review_day_plus_interval() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let first = Schedule::default().after(g(5), day);
        assert_eq!(first.due, NaiveDate::from_ymd_opt(2026, 11, 23));
        let second = first.after(g(5), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!(second.due, NaiveDate::from_ymd_opt(2026, 11, 29));
    }

    #[test]
    fn lapses_count_failures_only_after_the_card_was_learned() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let s = Schedule::default().after(g(1), day); // still learning: no lapse
        assert_eq!(s.lapses, 0);
        let s = s.after(g(4), day).after(g(2), day); // learned, then forgotten
        assert_eq!(s.lapses, 1);
        let s = s.after(g(0), day); // failing again while relearning
        assert_eq!(s.lapses, 1);
    }

    #[test]
    fn due_means_on_or_before_today() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        let s = Schedule::default().after(g(4), day); // due 2026-01-11
        assert!(!s.is_due(day));
        assert!(s.is_due(add_days(day, 1)));
        assert!(s.is_due(add_days(day, 30)));
        assert!(!Schedule::default().is_due(day));
    }

    #[test]
    fn add_days_saturates_instead_of_panicking() {
        assert_eq!(add_days(NaiveDate::MAX, 10), NaiveDate::MAX);
    }

    proptest! {
        #[test]
        fn ef_never_drops_below_floor(grades in prop::collection::vec(0u8..=5, 0..200)) {
            for state in run(&grades) {
                prop_assert!(state.ef >= MIN_EF);
            }
        }

        #[test]
        fn interval_is_at_least_one_after_any_answer(grades in prop::collection::vec(0u8..=5, 1..200)) {
            for state in run(&grades) {
                prop_assert!(state.interval >= 1);
            }
        }

        #[test]
        fn intervals_never_shrink_while_grades_pass(
            prefix in prop::collection::vec(0u8..=5, 0..20),
            passes in prop::collection::vec(3u8..=5, 1..60),
        ) {
            let mut state = run(&prefix).last().copied().unwrap_or_default();
            for q in passes {
                let next = state.answer(g(q));
                prop_assert!(next.interval >= state.interval,
                    "interval shrank from {} to {} on grade {}", state.interval, next.interval, q);
                state = next;
            }
        }

        #[test]
        fn the_schedule_is_due_on_the_study_day_plus_the_new_interval(
            reps in 0u32..50,
            ef in 1.3f64..4.0,
            interval in 0u32..40_000,
            lapses in 0u32..100,
            old_due in prop::option::of(-1000i64..=0),
            day_offset in -100_000i32..100_000,
            q in 0u8..=5,
        ) {
            let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::TimeDelta::days(i64::from(day_offset));
            let before = Schedule {
                sm2: Sm2 { reps, ef, interval },
                lapses,
                // On time or late, the previous due day must not matter: SM-2 schedules
                // from the day of the answer (early answers: see the tests below).
                due: old_due.map(|d| day + chrono::TimeDelta::days(d)),
            };
            let after = before.after(g(q), day);
            prop_assert_eq!(after.sm2, before.sm2.answer(g(q)));
            // Counted in days since the Common Era, not with the code under test.
            let want = day.num_days_from_ce() + i32::try_from(after.sm2.interval).unwrap();
            prop_assert_eq!(after.due, NaiveDate::from_num_days_from_ce_opt(want));
            prop_assert!(after.due > Some(day), "due on or before the day it was answered");
        }

        #[test]
        fn lapses_count_failures_that_follow_a_pass(grades in prop::collection::vec(0u8..=5, 0..60)) {
            // n > 0 exactly when the previous answer passed (a pass adds one, a failure
            // resets to 0), so a lapse is a failure right after a pass: counted here from
            // the grades alone.
            let want = grades
                .windows(2)
                .filter(|w| w[0] >= 3 && w[1] < 3)
                .count();
            let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
            let mut schedule = Schedule::default();
            let mut lapses_seen = Vec::new();
            for &q in &grades {
                let next = schedule.after(g(q), day);
                // A lapse never comes with a pass, nor while the card is still being learned.
                let lapsed = next.lapses - schedule.lapses;
                prop_assert!(lapsed <= 1);
                if lapsed == 1 {
                    prop_assert!(q < 3 && schedule.sm2.reps > 0);
                }
                lapses_seen.push(next.lapses);
                schedule = next;
            }
            prop_assert_eq!(schedule.lapses as usize, want, "lapses after each answer: {:?}", lapses_seen);
        }

        #[test]
        fn failing_grade_always_restarts(ef in 1.3f64..4.0, reps in 0u32..50, interval in 0u32..10_000, q in 0u8..3) {
            let next = Sm2 { reps, ef, interval }.answer(g(q));
            prop_assert_eq!(next, Sm2 { reps: 0, ef, interval: 1 });
        }
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// A card learned to n = 3 with a 17-day interval, due on 2026-12-20.
    fn learned() -> Schedule {
        Schedule {
            sm2: Sm2 {
                reps: 3,
                ef: 2.8,
                interval: 17,
            },
            lapses: 0,
            due: Some(day("2026-12-20")),
        }
    }

    #[test]
    fn an_on_time_or_late_review_is_canonical_sm2() {
        for on in ["2026-12-20", "2026-12-25"] {
            let got = learned().after(g(5), day(on));
            assert_eq!(got.sm2, learned().sm2.answer(g(5)), "{on}");
            // ceil(17 × 2.9) = 50.
            assert_eq!(got.sm2.interval, 50);
        }
    }

    #[test]
    fn an_early_review_grows_from_the_days_actually_elapsed() {
        // Last review 2026-12-03 (due 12-20 minus 17 days); answered on 12-05, after
        // two days: the next interval is ceil(2 × 2.9) = 6, not 50.
        let got = learned().after(g(5), day("2026-12-05"));
        assert_eq!(got.sm2.interval, 6);
        assert_close(got.sm2.ef, 2.9);
        assert_eq!(got.sm2.reps, 4);
        assert_eq!(got.due, Some(day("2026-12-11")));
        // The same day as the last review counts as one day.
        let got = learned().after(g(4), day("2026-12-03"));
        assert_eq!(got.sm2.interval, 3); // ceil(1 × 2.8)
                                         // A failure is a failure whenever it comes.
        let got = learned().after(g(1), day("2026-12-05"));
        assert_eq!((got.sm2.reps, got.sm2.interval, got.lapses), (0, 1, 1));
    }

    #[test]
    fn the_first_two_intervals_stay_fixed_however_early() {
        let young = Schedule {
            sm2: Sm2 {
                reps: 1,
                ef: 2.6,
                interval: 1,
            },
            lapses: 0,
            due: Some(day("2026-12-02")),
        };
        assert_eq!(young.after(g(5), day("2026-12-01")).sm2.interval, 6);
    }

    proptest! {
        #[test]
        fn daily_early_reviews_never_outgrow_the_days_they_cover(
            grades in proptest::collection::vec(3u8..=5, 1..40)
        ) {
            // Reviewed every day from the day after the last review, however well: the
            // first next interval grows from one elapsed day, and every one after it too,
            // so none passes ceil(1 × EF) days, where canonical SM-2 reached years.
            let mut s = learned();
            let mut today = day("2026-12-04");
            for q in grades {
                s = s.after(g(q), today);
                prop_assert!(f64::from(s.sm2.interval) <= s.sm2.ef.ceil(), "{:?}", s.sm2);
                today = today.succ_opt().unwrap();
            }
        }
    }
}
