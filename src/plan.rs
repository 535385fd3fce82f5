//! Interview-date planning: pure rules for pacing new cards, pulling reviews in
//! before the interview, and readiness. No IO, no clock.

use crate::progress::CardState;
use crate::sm2::add_days;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Plan file format version written by this build.
pub const PLAN_VERSION: u32 = 1;
/// Default cap on new cards per day while catching up to a plan.
pub const DEFAULT_MAX_NEW: u32 = 60;
/// Every planned card should be introduced this many days before the interview.
pub const INTRO_LEAD_DAYS: u64 = 3;

/// An interview date and what to be ready on by then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Plan format version.
    pub format_version: u32,
    /// The interview day.
    pub interview: NaiveDate,
    /// The decks to be ready on; empty means every deck.
    #[serde(default)]
    pub decks: Vec<String>,
    /// The most new cards a day the plan may ask for.
    pub max_new_per_day: u32,
}

impl Plan {
    /// True while the interview is still ahead on study day `today`.
    pub fn is_active(&self, today: NaiveDate) -> bool {
        today < self.interview
    }

    /// The last study day before the interview: no planned card should be due after it.
    pub fn last_day(&self) -> NaiveDate {
        self.interview.pred_opt().unwrap_or(self.interview)
    }

    /// The day by which every planned card should have been introduced.
    pub fn intro_deadline(&self) -> NaiveDate {
        self.interview
            .checked_sub_days(Days::new(INTRO_LEAD_DAYS))
            .unwrap_or(self.interview)
    }

    /// True when `deck` is one of the planned decks.
    pub fn covers(&self, deck: &str) -> bool {
        self.decks.is_empty() || self.decks.iter().any(|d| d == deck)
    }

    /// Days from `today` until the interview.
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.interview - today).num_days()
    }

    /// New cards to introduce on `today` so that `unseen` cards (counted at the start of
    /// the day) are all introduced by the deadline, capped at `max_new_per_day`.
    pub fn new_cards_today(&self, unseen: usize, today: NaiveDate) -> usize {
        let days_left = (self.intro_deadline() - today).num_days() + 1;
        let needed = if days_left <= 0 {
            unseen
        } else {
            unseen.div_ceil(days_left as usize)
        };
        needed.min(self.max_new_per_day as usize)
    }
}

/// Chooses due days for reviews pulled in before the interview, spreading them over the
/// remaining days rather than piling them on the last one.
#[derive(Debug, Clone)]
pub struct Spreader {
    plan: Plan,
    last_day: NaiveDate,
    /// Planned cards due on each day up to `last_day`.
    load: BTreeMap<NaiveDate, u32>,
}

impl Spreader {
    /// A spreader for `plan`, knowing the due days already taken.
    pub fn new(plan: &Plan, dues: impl IntoIterator<Item = NaiveDate>) -> Spreader {
        let last_day = plan.last_day();
        let mut load = BTreeMap::new();
        for day in dues.into_iter().filter(|d| *d <= last_day) {
            *load.entry(day).or_insert(0) += 1;
        }
        Spreader {
            plan: plan.clone(),
            last_day,
            load,
        }
    }

    /// True when cards of `deck` are planned.
    pub fn covers(&self, deck: &str) -> bool {
        self.plan.covers(deck)
    }

    fn add(&mut self, day: NaiveDate, delta: i32) {
        if day <= self.last_day {
            let n = self.load.entry(day).or_insert(0);
            *n = n.saturating_add_signed(delta);
        }
    }

    /// The due day to use for a card answered on `today` that SM-2 wants on `sm2_due`
    /// (`previous` is its due day before the answer, if any).
    ///
    /// Days up to the last day before the interview are kept; a later day is moved to
    /// the least-loaded day between tomorrow and that last day, the latest on a tie.
    pub fn place(
        &mut self,
        previous: Option<NaiveDate>,
        sm2_due: NaiveDate,
        today: NaiveDate,
    ) -> NaiveDate {
        if let Some(previous) = previous {
            self.add(previous, -1);
        }
        let first = add_days(today, 1);
        let day = if sm2_due <= self.last_day || first > self.last_day {
            sm2_due
        } else {
            let mut best = (u32::MAX, self.last_day);
            let mut day = self.last_day;
            while day >= first {
                let load = self.load.get(&day).copied().unwrap_or(0);
                if load < best.0 {
                    best = (load, day);
                }
                match day.pred_opt() {
                    Some(previous) => day = previous,
                    None => break,
                }
            }
            best.1
        };
        self.add(day, 1);
        day
    }

    /// Takes back a [`Spreader::place`] (for undo).
    pub fn unplace(&mut self, placed: NaiveDate, previous: Option<NaiveDate>) {
        self.add(placed, -1);
        if let Some(previous) = previous {
            self.add(previous, 1);
        }
    }
}

/// How many planned cards are ready: last answered 4 or 5 and not overdue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Readiness {
    /// Cards counted ready.
    pub ready: u32,
    /// Cards considered.
    pub cards: u32,
    /// `ready / cards`, 0 with no cards.
    pub share: f64,
}

/// Readiness over the states of a set of cards (`None` for a new card) on `today`.
pub fn readiness<'a>(
    states: impl IntoIterator<Item = Option<&'a CardState>>,
    today: NaiveDate,
    plan_active: bool,
) -> Readiness {
    let (mut ready, mut cards) = (0, 0);
    for state in states {
        cards += 1;
        let is_ready = state.is_some_and(|s| {
            s.last_grade.is_some_and(|g| g.value() >= 4) && s.due_on(plan_active) >= today
        });
        ready += u32::from(is_ready);
    }
    Readiness::of(ready, cards)
}

impl Readiness {
    fn of(ready: u32, cards: u32) -> Readiness {
        Readiness {
            ready,
            cards,
            share: if cards == 0 {
                0.0
            } else {
                f64::from(ready) / f64::from(cards)
            },
        }
    }

    /// The readiness of several sets of cards taken together.
    pub fn sum(parts: impl IntoIterator<Item = Readiness>) -> Readiness {
        let (ready, cards) = parts.into_iter().fold((0, 0), |(ready, cards), part| {
            (ready + part.ready, cards + part.cards)
        });
        Readiness::of(ready, cards)
    }
}

/// Expected work on one day of the run-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayLoad {
    /// The study day.
    pub date: NaiveDate,
    /// Reviews already scheduled (for today: due and overdue).
    pub reviews: u32,
    /// New cards the plan introduces that day.
    pub new: u32,
}

/// Day-by-day workload from `today` to the last day before the interview: scheduled
/// reviews plus the new cards the pacing introduces (reviews those new cards will
/// cause later are not projected). `unseen` is counted at the start of today,
/// `introduced_today` of them are already done.
pub fn workload(
    plan: &Plan,
    dues: &[NaiveDate],
    unseen: usize,
    introduced_today: usize,
    today: NaiveDate,
) -> Vec<DayLoad> {
    let last = plan.last_day();
    let mut days = Vec::new();
    let mut remaining = unseen;
    let mut day = today;
    while day <= last {
        let reviews = dues
            .iter()
            .filter(|d| if day == today { **d <= day } else { **d == day })
            .count() as u32;
        let planned = plan.new_cards_today(remaining, day).min(remaining);
        let new = if day == today {
            // Cards introduced today beyond the pace still count as introduced.
            remaining -= planned.max(introduced_today).min(remaining);
            planned.saturating_sub(introduced_today)
        } else {
            remaining -= planned;
            planned
        };
        days.push(DayLoad {
            date: day,
            reviews,
            new: new as u32,
        });
        day = add_days(day, 1);
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sm2::Grade;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn plan(interview: &str) -> Plan {
        Plan {
            format_version: PLAN_VERSION,
            interview: d(interview),
            decks: Vec::new(),
            max_new_per_day: 50,
        }
    }

    #[test]
    fn new_cards_are_paced_to_finish_three_days_before() {
        let p = plan("2026-12-21"); // deadline 12-18: from 12-01 that is 18 days
        assert_eq!(p.new_cards_today(180, d("2026-12-01")), 10);
        assert_eq!(p.new_cards_today(181, d("2026-12-01")), 11);
        assert_eq!(p.new_cards_today(5, d("2026-12-18")), 5);
        // Past the deadline: everything left, as early as possible, within the cap.
        assert_eq!(p.new_cards_today(80, d("2026-12-20")), 50);
    }

    #[test]
    fn due_days_before_the_last_day_are_kept() {
        let p = plan("2026-12-21");
        let mut s = Spreader::new(&p, []);
        assert_eq!(
            s.place(None, d("2026-12-10"), d("2026-12-01")),
            d("2026-12-10")
        );
        assert_eq!(
            s.place(None, d("2026-12-20"), d("2026-12-01")),
            d("2026-12-20")
        );
    }

    #[test]
    fn later_due_days_are_spread_backwards_from_the_last_day() {
        let p = plan("2026-12-06"); // last day 12-05; from 12-01 the window is 12-02..=12-05
        let mut s = Spreader::new(&p, []);
        let placed: Vec<NaiveDate> = (0..6)
            .map(|_| s.place(None, d("2027-01-30"), d("2026-12-01")))
            .collect();
        assert_eq!(
            placed,
            [
                d("2026-12-05"),
                d("2026-12-04"),
                d("2026-12-03"),
                d("2026-12-02"),
                d("2026-12-05"),
                d("2026-12-04")
            ]
        );
    }

    #[test]
    fn spreading_counts_cards_already_due_in_the_window() {
        let p = plan("2026-12-06");
        let mut s = Spreader::new(&p, [d("2026-12-05"), d("2026-12-05"), d("2026-12-04")]);
        assert_eq!(
            s.place(None, d("2027-01-30"), d("2026-12-01")),
            d("2026-12-03")
        );
    }

    #[test]
    fn with_no_day_left_before_the_interview_sm2_decides() {
        let p = plan("2026-12-06");
        let mut s = Spreader::new(&p, []);
        assert_eq!(
            s.place(None, d("2026-12-20"), d("2026-12-05")),
            d("2026-12-20")
        );
    }

    #[test]
    fn readiness_counts_last_grade_four_or_five_and_not_overdue() {
        let state = |grade: u8, due: &str| CardState {
            reps: 1,
            ef: 2.5,
            interval: 1,
            lapses: 0,
            due: d(due),
            sm2_due: None,
            last_review: "2026-12-01T10:00:00Z".parse().unwrap(),
            last_grade: Grade::new(grade),
        };
        let cards = [
            state(5, "2026-12-02"),
            state(4, "2026-12-03"),
            state(3, "2026-12-05"),
            state(5, "2026-12-01"),
        ];
        let today = d("2026-12-02");
        let r = readiness(cards.iter().map(Some).chain([None]), today, true);
        // Ready: the first two. Not: grade 3, overdue (due yesterday), new.
        assert_eq!((r.ready, r.cards), (2, 5));
        assert!((r.share - 0.4).abs() < 1e-12);
    }

    #[test]
    fn workload_lists_each_day_with_reviews_and_paced_new_cards() {
        let p = plan("2026-12-06"); // deadline 12-03
        let dues = [d("2026-11-30"), d("2026-12-01"), d("2026-12-04")];
        let days = workload(&p, &dues, 6, 1, d("2026-12-01"));
        let summary: Vec<(u32, u32)> = days.iter().map(|l| (l.reviews, l.new)).collect();
        // Today: 2 due (one overdue); 6 unseen over 3 days = 2 a day, 1 already done today.
        assert_eq!(summary, [(2, 1), (0, 2), (0, 2), (1, 0), (0, 0)]);
        assert_eq!(days.last().unwrap().date, d("2026-12-05"));
    }

    #[test]
    fn workload_counts_extra_cards_introduced_today() {
        let p = plan("2026-12-06");
        // All 3 unseen-at-start cards were introduced today: nothing is left for later days.
        let days = workload(&p, &[], 3, 3, d("2026-12-01"));
        assert!(days.iter().all(|l| l.new == 0), "{days:?}");
    }
}
