//! The run-up estimate and everything `prepdeck plan` shows.

use super::*;
use crate::sm2::{add_days, Grade, Sm2};
use chrono::NaiveDate;
use serde::Serialize;

/// Expected work on one day of the run-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayLoad {
    /// The study day.
    pub date: NaiveDate,
    /// Reviews that day (for today: those still due).
    pub reviews: u32,
    /// New cards introduced that day (for today: those still to come).
    pub new: u32,
}

/// The run-up from `today` to the last day before the interview, simulated: every
/// planned card answered on its due day with [`ASSUMED_GRADE`] by the SM-2 scheduler,
/// its next day pulled in and spread by `spreader` as a real answer's would be, and the
/// new cards of `intro` introduced on their days (and reviewed after).
///
/// `seen` holds each answered planned card's SM-2 state and due day (overdue ones count
/// on today).
pub fn estimate(
    plan: &Plan,
    today: NaiveDate,
    seen: impl IntoIterator<Item = (Sm2, NaiveDate)>,
    intro: &Introductions,
    mut spreader: Spreader,
) -> Vec<DayLoad> {
    let last_day = plan.last_day();
    let width = usize::try_from((last_day - today).num_days() + 1).unwrap_or(0);
    let mut due: Vec<Vec<Sm2>> = vec![Vec::new(); width];
    for (sm2, day) in seen {
        if day <= last_day {
            let offset = usize::try_from((day - today).num_days()).unwrap_or(0);
            due[offset].push(sm2);
        }
    }
    let grade = Grade::new(ASSUMED_GRADE).unwrap_or(Grade::ALL[4]);
    let mut days = Vec::with_capacity(width);
    for offset in 0..width {
        let day = add_days(today, offset as u32);
        let new = intro.per_day.get(offset).copied().unwrap_or(0);
        let cards = std::mem::take(&mut due[offset]);
        let reviews = cards.len() as u32;
        let answered = cards
            .into_iter()
            .chain(std::iter::repeat_n(Sm2::default(), new as usize));
        for card in answered {
            let next = card.answer(grade);
            let sm2_due = add_days(day, next.interval);
            let next_day = spreader.place(day, sm2_due).unwrap_or(sm2_due);
            if next_day <= last_day {
                let at = usize::try_from((next_day - today).num_days()).unwrap_or(0);
                due[at].push(next);
            }
        }
        days.push(DayLoad {
            date: day,
            reviews,
            new,
        });
    }
    days
}

/// Everything `prepdeck plan` shows (and prints with `--json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The interview day.
    pub interview: NaiveDate,
    /// The decks the plan names (empty: every deck not hidden).
    pub decks: Vec<String>,
    /// The cap on new planned cards a day.
    pub max_new_per_day: u32,
    /// Today's study day.
    pub today: NaiveDate,
    /// Days until the interview.
    pub days_left: i64,
    /// Planned cards.
    pub cards: usize,
    /// Planned cards never answered.
    pub unseen: usize,
    /// New planned cards still to come today.
    pub new_today: u32,
    /// The day by which the pacing aims to have introduced every card (never past).
    pub introduce_by: NaiveDate,
    /// The day the last unseen card comes, if any is left and it comes before the interview.
    pub all_introduced_on: Option<NaiveDate>,
    /// Cards still unseen at the end of `introduce_by`.
    pub unseen_after_introduce_by: usize,
    /// Cards still unseen on the interview day.
    pub unseen_at_interview: usize,
    /// The smallest cap that would introduce them all by `introduce_by`, if the cap does not.
    pub max_new_needed: Option<u32>,
    /// Not every card fits by `introduce_by`: new planned cards come core cards first.
    pub core_first: bool,
    /// Estimated reviews a day, on average, from today to the last day before the interview.
    pub reviews_per_day: f64,
    /// Estimated reviews on the busiest of those days.
    pub reviews_busiest_day: u32,
    /// The grade the estimate assumes for every answer.
    pub assumed_grade: u8,
    /// Readiness over the planned cards today.
    pub readiness: Readiness,
    /// The estimated work of each day from today to the last day before the interview.
    pub workload: Vec<DayLoad>,
}

impl Report {
    /// The report for `plan` on `today`, from the planned cards, their projected
    /// introductions and the estimated workload.
    pub fn new(
        plan: &Plan,
        planned: &Planned,
        intro: &Introductions,
        workload: Vec<DayLoad>,
        today: NaiveDate,
    ) -> Report {
        let reviews: u64 = workload.iter().map(|d| u64::from(d.reviews)).sum();
        Report {
            interview: plan.interview,
            decks: plan.decks.clone(),
            max_new_per_day: plan.max_new_per_day,
            today,
            days_left: plan.days_left(today),
            cards: planned.cards,
            unseen: planned.unseen,
            new_today: intro.per_day.first().copied().unwrap_or(0),
            introduce_by: plan.intro_target(today),
            all_introduced_on: intro.done_by,
            unseen_after_introduce_by: intro.unseen_after_target,
            unseen_at_interview: intro.unseen_at_interview,
            max_new_needed: intro.cap_needed,
            core_first: intro.core_first(),
            reviews_per_day: reviews as f64 / workload.len().max(1) as f64,
            reviews_busiest_day: workload.iter().map(|d| d.reviews).max().unwrap_or(0),
            assumed_grade: ASSUMED_GRADE,
            readiness: planned.readiness,
            workload,
        }
    }
}
