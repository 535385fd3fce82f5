//! Interview-date planning: pure rules for pacing new cards, pulling due days in before
//! the interview and spreading them, readiness, and the run-up estimate. No IO, no
//! clock: the study day is passed in.
//!
//! The pull-in is applied wherever due days are read ([`Dues`]), so `review`, `plan`,
//! `stats`, `cards` and `decks` agree on every card's day without anything new stored:
//! a planned card whose SM-2 day falls after the last day before the interview gets a
//! day in the window, chosen from the collection as it stands. An answer given under the
//! plan records the day it chose beside SM-2's in the log, and that day is kept.

use crate::sm2::add_days;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

mod dues;
mod estimate;
mod readiness;
mod resolve;
mod spread;

pub use dues::*;
pub use estimate::*;
pub use readiness::*;
pub use resolve::*;
pub use spread::*;

/// Plan file format version written by this build.
pub const PLAN_VERSION: u32 = 1;
/// Default cap on new planned cards per day.
pub const DEFAULT_MAX_NEW: u32 = 60;
/// New cards per day `review` introduces when `--new` is not given.
pub const DEFAULT_NEW_PER_DAY: u32 = 20;
/// Every planned card should be introduced this many days before the interview.
pub const INTRO_LEAD_DAYS: u64 = 3;
/// The grade the run-up estimate assumes for every answer: 4 keeps a card's easiness
/// as it is and never fails a card, so the estimate has no lapses and no re-drills.
pub const ASSUMED_GRADE: u8 = 4;

/// An interview date and what to be ready on by then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Plan format version.
    pub format_version: u32,
    /// The interview day.
    pub interview: NaiveDate,
    /// The decks to be ready on; empty means every deck not hidden.
    #[serde(default)]
    pub decks: Vec<String>,
    /// The most new planned cards a day the pacing may ask for.
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

    /// True when `deck` is named by the plan, or the plan names none (hidden decks are
    /// the caller's business: see `cmd::planned_decks`).
    pub fn covers(&self, deck: &str) -> bool {
        self.decks.is_empty() || self.decks.iter().any(|d| d == deck)
    }

    /// Days from `today` until the interview.
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.interview - today).num_days()
    }

    /// New cards a day needed on `day` so that `unseen` cards (counted at the start of
    /// that day) are all introduced by the deadline: an even share of the days left to
    /// it, or all of them once it has passed. Not capped.
    pub fn pace(&self, unseen: usize, day: NaiveDate) -> usize {
        let days_left = (self.intro_deadline() - day).num_days() + 1;
        if days_left <= 0 {
            unseen
        } else {
            unseen.div_ceil(days_left as usize)
        }
    }

    /// The planned decks' new-card count for `day` when `review` is run without
    /// `--new`: the pace, but at least `default_new` and never above the plan's cap.
    pub fn daily_new(&self, unseen: usize, day: NaiveDate, default_new: usize) -> usize {
        self.pace(unseen, day)
            .max(default_new)
            .min(self.max_new_per_day as usize)
    }

    /// The day by which the pacing aims to have introduced everything: the deadline,
    /// or once it has passed, the last day before the interview.
    pub fn intro_target(&self, today: NaiveDate) -> NaiveDate {
        if today <= self.intro_deadline() {
            self.intro_deadline()
        } else {
            self.last_day()
        }
    }
}

/// How new planned cards will come, day by day, when `review` runs daily without `--new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Introductions {
    /// The first day of `per_day`.
    pub today: NaiveDate,
    /// Today's new-card count for the planned decks (those introduced today included).
    pub daily_today: usize,
    /// New cards still to come on each day from today to the last day before the interview.
    pub per_day: Vec<u32>,
    /// The day the last unseen card comes, if any is left and it comes before the interview.
    pub done_by: Option<NaiveDate>,
    /// Cards still unseen at the end of [`Plan::intro_target`].
    pub unseen_after_target: usize,
    /// Cards still unseen on the interview day.
    pub unseen_at_interview: usize,
    /// The smallest cap that would introduce them all by [`Plan::intro_target`], when the
    /// plan's cap does not.
    pub cap_needed: Option<u32>,
}

/// Projects the introductions of `unseen` planned cards (never seen yet), `introduced_today`
/// having come today already, at the pace of [`Plan::daily_new`].
pub fn introductions(
    plan: &Plan,
    unseen: usize,
    introduced_today: usize,
    today: NaiveDate,
    default_new: usize,
) -> Introductions {
    let target = plan.intro_target(today);
    let run = |cap: u32| {
        let plan = Plan {
            max_new_per_day: cap,
            ..plan.clone()
        };
        let mut per_day = Vec::new();
        let mut remaining = unseen;
        let (mut done_by, mut after_target) = (None, unseen);
        let mut day = today;
        while day <= plan.last_day() {
            let new = if day == today {
                let daily = plan.daily_new(unseen + introduced_today, day, default_new);
                daily.saturating_sub(introduced_today).min(remaining)
            } else {
                plan.daily_new(remaining, day, default_new).min(remaining)
            };
            remaining -= new;
            if new > 0 && remaining == 0 {
                done_by = Some(day);
            }
            if day == target {
                after_target = remaining;
            }
            per_day.push(new as u32);
            day = add_days(day, 1);
        }
        (per_day, done_by, after_target, remaining)
    };
    let (per_day, done_by, unseen_after_target, unseen_at_interview) = run(plan.max_new_per_day);
    // Introducing them all today always works, so the smallest cap that works is found
    // between 1 and that: today's cap counts the cards already introduced today too.
    let cap_needed = (unseen_after_target > 0).then(|| {
        let all_today = unseen.saturating_add(introduced_today);
        let (mut low, mut high) = (1u32, u32::try_from(all_today).unwrap_or(u32::MAX).max(1));
        while low < high {
            let mid = low + (high - low) / 2;
            if run(mid).2 == 0 {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        low
    });
    Introductions {
        today,
        daily_today: plan.daily_new(unseen + introduced_today, today, default_new),
        per_day,
        done_by,
        unseen_after_target,
        unseen_at_interview,
        cap_needed,
    }
}

/// The tag of the cards a candidate with only a few days must see: when the days left
/// cannot introduce every planned card, these come first.
pub const CORE_TAG: &str = "core";

impl Introductions {
    /// True when the pacing cannot introduce every unseen planned card by
    /// [`Plan::intro_target`] within the plan's cap, so the new planned cards come
    /// [`CORE_TAG`] cards first ([`core_first`]).
    pub fn core_first(&self) -> bool {
        self.unseen_after_target > 0
    }
}

/// `cards` with the core ones first: each group keeps its order (deck order), so a run-up
/// too short for every card still learns the core ones, and no other order changes.
pub fn core_first<T>(cards: impl IntoIterator<Item = T>, is_core: impl Fn(&T) -> bool) -> Vec<T> {
    let (mut core, rest): (Vec<T>, Vec<T>) = cards.into_iter().partition(|c| is_core(c));
    core.extend(rest);
    core
}

#[cfg(test)]
mod tests;
