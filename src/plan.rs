//! Interview-date planning: pure rules for pacing new cards, pulling due days in before
//! the interview and spreading them, readiness, and the run-up estimate. No IO, no
//! clock: the study day is passed in.
//!
//! The pull-in is applied wherever due days are read ([`Dues`]), so `review`, `plan`,
//! `stats`, `cards` and `decks` agree on every card's day without anything new stored:
//! a planned card whose SM-2 day falls after the last day before the interview gets a
//! day in the window, chosen from the collection as it stands. An answer given under the
//! plan records the day it chose beside SM-2's in the log, and that day is kept.

use crate::deck::Outline;
use crate::progress::{CardState, Progress};
use crate::sm2::{add_days, Grade, Sm2};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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

/// The day a card was last answered, as SM-2 scheduled from it (its SM-2 day minus its
/// interval); `None` when that is not a representable date.
fn answered_on(state: &CardState) -> Option<NaiveDate> {
    state
        .sm2_day()
        .checked_sub_days(Days::new(u64::from(state.interval)))
}

/// Where a planned card's due day comes from while the plan is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlannedDue {
    /// SM-2's day: on or before the last day before the interview, or the card was
    /// answered on that last day and has had its review.
    Sm2(NaiveDate),
    /// The day an answer given under the plan chose (the log keeps SM-2's beside it).
    Placed(NaiveDate),
    /// SM-2's day falls after the last day and no answer under the plan moved it (it
    /// was scheduled before the plan was set, or before the date was moved earlier):
    /// the card is pulled in to a day from `earliest` on, chosen by [`resolve`].
    Pulled {
        /// The day SM-2 gave.
        sm2: NaiveDate,
        /// Today, or tomorrow for a card answered today.
        earliest: NaiveDate,
    },
}

/// The day a planned card keeps whatever today is: SM-2's when it falls on or before
/// `last_day`, else the day an answer under the plan placed it on; `None` when neither
/// holds and the card is to be pulled in.
fn kept_day(state: &CardState, last_day: NaiveDate) -> Option<PlannedDue> {
    let sm2 = state.sm2_day();
    if sm2 <= last_day {
        Some(PlannedDue::Sm2(sm2))
    } else if state.sm2_due.is_some() && state.due <= last_day {
        Some(PlannedDue::Placed(state.due))
    } else {
        None
    }
}

/// Classifies a planned card's due day on `today`, the plan's last day being `last_day`.
pub fn planned_due(state: &CardState, today: NaiveDate, last_day: NaiveDate) -> PlannedDue {
    if let Some(kept) = kept_day(state, last_day) {
        return kept;
    }
    let sm2 = state.sm2_day();
    // A card answered today (or, with a clock that went back, "later") waits for
    // tomorrow: it has just had its review.
    let earliest = match answered_on(state) {
        Some(day) if day >= today => add_days(today, 1),
        _ => today,
    };
    if earliest > last_day {
        PlannedDue::Sm2(sm2)
    } else {
        PlannedDue::Pulled { sm2, earliest }
    }
}

/// The due day of every card as the commands show and use it: SM-2's, or while a plan
/// is active, for planned cards, the day of [`planned_due`].
#[derive(Debug, Clone, Default)]
pub struct Dues {
    window: Option<Window>,
}

#[derive(Debug, Clone)]
struct Window {
    last_day: NaiveDate,
    /// Every planned deck, with the day chosen for each pulled-in card by card index
    /// (empty when the deck has none).
    decks: HashMap<String, Vec<Option<NaiveDate>>>,
}

/// [`Dues`] for the cards of one deck.
#[derive(Debug, Clone, Copy)]
pub struct DeckDues<'a> {
    /// The last day before the interview, and the days of pulled-in cards.
    window: Option<(NaiveDate, &'a [Option<NaiveDate>])>,
}

impl Dues {
    /// SM-2's days for every card: no plan, or one whose interview has passed.
    pub const fn sm2() -> Dues {
        Dues { window: None }
    }

    /// The days for the cards of deck `id`.
    pub fn deck(&self, id: &str) -> DeckDues<'_> {
        DeckDues {
            window: self.window.as_ref().and_then(|w| {
                w.decks
                    .get(id)
                    .map(|pulled| (w.last_day, pulled.as_slice()))
            }),
        }
    }
}

impl DeckDues<'_> {
    /// True when the deck is planned and the plan active.
    pub fn is_planned(&self) -> bool {
        self.window.is_some()
    }

    /// The due day of the deck's card at `index` with `state`.
    pub fn due(&self, index: usize, state: &CardState) -> NaiveDate {
        let sm2 = state.sm2_day();
        let Some((last_day, pulled)) = self.window else {
            return sm2;
        };
        // `planned_due` without working out `earliest`: a card it keeps on SM-2's day
        // for having been answered on the last day was given no day by `resolve`.
        match kept_day(state, last_day) {
            Some(PlannedDue::Sm2(day) | PlannedDue::Placed(day)) => day,
            _ => pulled.get(index).copied().flatten().unwrap_or(sm2),
        }
    }
}

/// Whether a card counts as ready on `today`: last answered 4 or 5 (its latest answer,
/// a re-drill's or a cram answer's included), and not overdue.
pub fn is_ready(state: &CardState, due: NaiveDate, today: NaiveDate) -> bool {
    state.latest_grade().is_some_and(|g| g.value() >= 4) && due >= today
}

/// How many cards are ready: last answered 4 or 5 and not overdue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Readiness {
    /// Cards counted ready.
    pub ready: u32,
    /// Cards considered.
    pub cards: u32,
    /// `ready / cards`, 0 with no cards.
    pub share: f64,
}

impl Readiness {
    /// `ready` of `cards`.
    pub fn of(ready: u32, cards: u32) -> Readiness {
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

/// Readiness over the planned cards, as `plan` shows it, for `stats` while a plan is
/// active.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlanReadiness {
    /// The interview day.
    pub interview: NaiveDate,
    /// Readiness over every planned card (not only the decks `stats` shows).
    #[serde(flatten)]
    pub readiness: Readiness,
}

/// The planned cards on one study day: their due days, and what the plan shows of them.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Due days for every card (planned decks pulled in, the others SM-2's).
    pub dues: Dues,
    /// Planned cards.
    pub cards: usize,
    /// Planned cards never answered.
    pub unseen: usize,
    /// Readiness over the planned cards.
    pub readiness: Readiness,
    /// Moved reviews already on each day from tomorrow on, for placing today's answers.
    pub spreader: Spreader,
}

/// What one planned deck contributes to [`resolve`].
struct DeckPass {
    /// Suspended cards: not planned.
    suspended: usize,
    unseen: usize,
    ready: u32,
    /// Moved reviews per day of the window (index 0 is today; overdue ones count
    /// there), each on its day.
    moved: Vec<u32>,
    /// The same, except that cards answered today count on today: what the window held
    /// before today's answers moved them on.
    moved_before_today: Vec<u32>,
    /// Pulled-in cards: (SM-2 day, card index, may go to today).
    pulled: Vec<(NaiveDate, u32, bool)>,
}

/// The planned cards of `decks` under `plan` on `today` (the plan must be active).
///
/// Pulled-in cards get days from today (tomorrow for a card answered today) to the
/// last day before the interview. Which day: the window is filled level, counting the
/// moved reviews already placed (the least-loaded day first, the latest of equals), and
/// the cards are taken by SM-2 day, then deck and card order, so the ones SM-2 wanted
/// soonest come first. Answers given today still count on today, so a second session on
/// the same day finds the pulled-in cards where the first left them.
pub fn resolve(plan: &Plan, decks: &[&Outline], progress: &Progress, today: NaiveDate) -> Planned {
    let last_day = plan.last_day();
    let width = usize::try_from((last_day - today).num_days() + 1)
        .unwrap_or(0)
        .max(1);
    let offset = |day: NaiveDate| -> usize {
        usize::try_from((day - today).num_days()).map_or(0, |n| n.min(width - 1))
    };
    // Looking up every planned card's state is most of the work at 100,000 cards: the
    // decks are gone through on the machine's cores and combined in deck order.
    let passes = crate::par::map(decks, |deck: &&Outline| {
        let mut pass = DeckPass {
            suspended: 0,
            unseen: 0,
            ready: 0,
            moved: vec![0; width],
            moved_before_today: vec![0; width],
            pulled: Vec::new(),
        };
        for (index, (card, state)) in progress.deck_states(deck).enumerate() {
            if progress.is_suspended(deck.id.as_str(), card.as_str()) {
                pass.suspended += 1;
                continue;
            }
            let Some(state) = state else {
                pass.unseen += 1;
                continue;
            };
            let due = match planned_due(state, today, last_day) {
                PlannedDue::Sm2(day) => day,
                PlannedDue::Placed(day) => {
                    pass.moved[offset(day)] += 1;
                    let answered_today = answered_on(state) == Some(today);
                    pass.moved_before_today[if answered_today { 0 } else { offset(day) }] += 1;
                    day
                }
                PlannedDue::Pulled { sm2, earliest } => {
                    let index = u32::try_from(index).unwrap_or(u32::MAX);
                    pass.pulled.push((sm2, index, earliest <= today));
                    // Pulled in to today or later: never overdue.
                    today
                }
            };
            pass.ready += u32::from(is_ready(state, due, today));
        }
        pass
    });

    let mut moved = vec![0u32; width];
    let mut moved_before_today = vec![0u32; width];
    // Pulled-in cards in deck and card order: (SM-2 day, deck position, card index, may
    // go to today).
    let mut pulled: Vec<(NaiveDate, usize, u32, bool)> = Vec::new();
    let (mut cards, mut unseen, mut ready) = (0, 0, 0);
    for (position, (deck, pass)) in decks.iter().zip(&passes).enumerate() {
        cards += deck.cards.len() - pass.suspended;
        unseen += pass.unseen;
        ready += pass.ready;
        for (sum, n) in moved.iter_mut().zip(&pass.moved) {
            *sum += n;
        }
        for (sum, n) in moved_before_today.iter_mut().zip(&pass.moved_before_today) {
            *sum += n;
        }
        pulled.extend(
            pass.pulled
                .iter()
                .map(|&(sm2, index, today_ok)| (sm2, position, index, today_ok)),
        );
    }
    // By SM-2 day, then deck and card order: one key per card, the day's distance
    // from the last day above the card's place in `pulled` (at 100,000 cards a sort of
    // plain integers takes a fraction of a sort of tuples).
    let mut order: Vec<u64> = pulled
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let days = u64::try_from((p.0 - last_day).num_days()).unwrap_or(0);
            (days.min(u64::from(u32::MAX)) << 32) | i as u64
        })
        .collect();
    order.sort_unstable();
    let today_eligible = pulled.iter().filter(|p| p.3).count();
    let quotas = fill_level(&moved_before_today, pulled.len(), today_eligible);

    // Today's share goes to the first cards that may be seen today; the rest, in order,
    // fill the following days.
    let mut chosen: Vec<Option<NaiveDate>> = vec![None; pulled.len()];
    let mut today_left = quotas[0];
    let mut day = 1;
    let mut day_left = quotas.get(1).copied().unwrap_or(0);
    for key in &order {
        let i = (key & u64::from(u32::MAX)) as usize;
        let (p, slot) = (&pulled[i], &mut chosen[i]);
        if p.3 && today_left > 0 {
            today_left -= 1;
            *slot = Some(today);
            continue;
        }
        while day_left == 0 && day + 1 < width {
            day += 1;
            day_left = quotas[day];
        }
        if day_left > 0 {
            day_left -= 1;
            *slot = Some(add_days(today, day as u32));
        }
    }

    let mut days: HashMap<String, Vec<Option<NaiveDate>>> = decks
        .iter()
        .map(|d| (d.id.as_str().to_owned(), Vec::new()))
        .collect();
    for (p, slot) in pulled.iter().zip(chosen) {
        let deck = decks[p.1];
        if let Some(list) = days.get_mut(deck.id.as_str()) {
            if list.is_empty() {
                list.resize(deck.cards.len(), None);
            }
            if let Some(cell) = list.get_mut(p.2 as usize) {
                *cell = slot;
            }
        }
    }

    let tomorrow = add_days(today, 1);
    let spreader = Spreader::new(
        tomorrow,
        last_day,
        (1..width).map(|i| moved[i].saturating_add(u32::try_from(quotas[i]).unwrap_or(u32::MAX))),
    );
    Planned {
        dues: Dues {
            window: Some(Window {
                last_day,
                decks: days,
            }),
        },
        cards,
        unseen,
        readiness: Readiness::of(ready, u32::try_from(cards).unwrap_or(u32::MAX)),
        spreader,
    }
}

/// How many of `units` to add to each day so the loads `base` end up as level as they
/// can, as if added one at a time to the least-loaded day, the latest of equals. Day 0
/// takes at most `first_cap`.
///
/// Worked out level by level rather than unit by unit: at 100,000 cards tens of
/// thousands of cards may be pulled in at once. The result is the one-at-a-time one:
/// every day that takes any is raised to a level `L` (day 0 short of it when capped),
/// and the units left over, fewer than the days at `L` that can take one, go one each
/// to the latest of them.
fn fill_level(base: &[u32], units: usize, first_cap: usize) -> Vec<u64> {
    let units = units as u64;
    let cap = |day: usize| if day == 0 { first_cap as u64 } else { u64::MAX };
    let need = |level: u64| -> u64 {
        base.iter()
            .enumerate()
            .map(|(day, &b)| level.saturating_sub(u64::from(b)).min(cap(day)))
            .fold(0u64, u64::saturating_add)
    };
    // The highest level the units reach everywhere they can go.
    let (mut low, mut high) = (
        0u64,
        u64::from(base.iter().copied().max().unwrap_or(0)) + units + 1,
    );
    while low + 1 < high {
        let mid = low + (high - low) / 2;
        if need(mid) <= units {
            low = mid;
        } else {
            high = mid;
        }
    }
    let mut quotas: Vec<u64> = base
        .iter()
        .enumerate()
        .map(|(day, &b)| low.saturating_sub(u64::from(b)).min(cap(day)))
        .collect();
    let mut left = units - need(low);
    for day in (0..base.len()).rev() {
        if left == 0 {
            break;
        }
        if u64::from(base[day]) + quotas[day] == low && quotas[day] < cap(day) {
            quotas[day] += 1;
            left -= 1;
        }
    }
    quotas
}

/// Chooses the day for a review pulled in by an answer given under the plan: the day
/// with the fewest moved reviews between the day after the answer and the last day
/// before the interview, the latest of equals. Only moved reviews are counted, so it is
/// they that are spread evenly, whatever SM-2 already has on each day.
#[derive(Debug, Clone)]
pub struct Spreader {
    first: NaiveDate,
    last_day: NaiveDate,
    loads: LeastLoaded,
}

impl Spreader {
    /// A spreader over `first..=last_day` holding `loads` moved reviews on those days.
    pub fn new(
        first: NaiveDate,
        last_day: NaiveDate,
        loads: impl IntoIterator<Item = u32>,
    ) -> Spreader {
        let days = usize::try_from((last_day - first).num_days() + 1).unwrap_or(0);
        let mut initial: Vec<u32> = loads.into_iter().take(days).collect();
        initial.resize(days, 0);
        Spreader {
            first,
            last_day,
            loads: LeastLoaded::new(&initial),
        }
    }

    /// The day to use for a card answered on `day` that SM-2 wants on `sm2_due`: `None`
    /// keeps SM-2's day (it is not after the last day, or no day is left before it).
    pub fn place(&mut self, day: NaiveDate, sm2_due: NaiveDate) -> Option<NaiveDate> {
        let from = add_days(day, 1).max(self.first);
        if sm2_due <= self.last_day || from > self.last_day {
            return None;
        }
        let low = usize::try_from((from - self.first).num_days()).ok()?;
        let chosen = self.loads.least(low)?;
        self.loads.add(chosen, 1);
        Some(add_days(self.first, chosen as u32))
    }

    /// Takes back a day returned by [`Spreader::place`] (for undo).
    pub fn unplace(&mut self, placed: NaiveDate) {
        if let Ok(index) = usize::try_from((placed - self.first).num_days()) {
            if placed <= self.last_day {
                self.loads.add(index, -1);
            }
        }
    }

    /// Moved reviews on `day`.
    pub fn load(&self, day: NaiveDate) -> u32 {
        usize::try_from((day - self.first).num_days())
            .ok()
            .filter(|_| day <= self.last_day)
            .map_or(0, |i| self.loads.get(i))
    }
}

/// Loads per day with "which day from `low` on has the least, the latest of equals"
/// answered in logarithmic time (a segment tree): the run-up estimate places hundreds
/// of thousands of reviews at 100,000 cards.
#[derive(Debug, Clone)]
struct LeastLoaded {
    size: usize,
    len: usize,
    /// Node `i` holds the best (load, day) of its range; leaves start at `size`.
    tree: Vec<(u32, usize)>,
}

impl LeastLoaded {
    const EMPTY: (u32, usize) = (u32::MAX, 0);

    fn new(loads: &[u32]) -> LeastLoaded {
        let size = loads.len().next_power_of_two().max(1);
        let mut tree = vec![Self::EMPTY; 2 * size];
        for (day, &load) in loads.iter().enumerate() {
            tree[size + day] = (load, day);
        }
        for node in (1..size).rev() {
            tree[node] = Self::better(tree[2 * node], tree[2 * node + 1]);
        }
        LeastLoaded {
            size,
            len: loads.len(),
            tree,
        }
    }

    fn better(a: (u32, usize), b: (u32, usize)) -> (u32, usize) {
        if a.0 < b.0 || (a.0 == b.0 && a.1 > b.1) {
            a
        } else {
            b
        }
    }

    fn get(&self, day: usize) -> u32 {
        self.tree[self.size + day].0
    }

    fn add(&mut self, day: usize, delta: i32) {
        if day >= self.len {
            return;
        }
        let mut node = self.size + day;
        self.tree[node].0 = self.tree[node].0.saturating_add_signed(delta);
        while node > 1 {
            node /= 2;
            self.tree[node] = Self::better(self.tree[2 * node], self.tree[2 * node + 1]);
        }
    }

    /// The least-loaded day in `low..len`, the latest of equals.
    fn least(&self, low: usize) -> Option<usize> {
        if low >= self.len {
            return None;
        }
        let (mut left, mut right) = (self.size + low, self.size + self.len);
        let mut best = Self::EMPTY;
        while left < right {
            if left % 2 == 1 {
                best = Self::better(best, self.tree[left]);
                left += 1;
            }
            if right % 2 == 1 {
                right -= 1;
                best = Self::better(best, self.tree[right]);
            }
            left /= 2;
            right /= 2;
        }
        (best != Self::EMPTY).then_some(best.1)
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Id;
    use crate::progress::answer_entry;
    use chrono::DateTime;

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

    fn outline(id: &str, cards: usize) -> Outline {
        Outline {
            id: Id::parse(id).unwrap(),
            title: id.into(),
            description: String::new(),
            cards: (1..=cards)
                .map(|i| Id::parse(&format!("c{i}")).unwrap())
                .collect(),
        }
    }

    /// A card answered long ago with a 100-day interval, due `sm2_due` (no plan moved it).
    fn mature(sm2_due: &str) -> CardState {
        CardState {
            reps: 5,
            ef: 2.5,
            interval: 100,
            lapses: 0,
            due: d(sm2_due),
            sm2_due: None,
            last_review: "2026-09-01T10:00:00Z".parse().unwrap(),
            last_grade: Grade::new(5),
            drill_grade: None,
        }
    }

    fn progress_with(cards: &[(&str, CardState)]) -> Progress {
        let mut p = Progress::default();
        p.cards
            .extend(cards.iter().map(|(k, s)| ((*k).to_owned(), *s)));
        p
    }

    #[test]
    fn the_pace_spreads_unseen_cards_over_the_days_to_three_days_before() {
        let p = plan("2026-12-21"); // deadline 12-18: from 12-01 that is 18 days
        assert_eq!(p.pace(180, d("2026-12-01")), 10);
        assert_eq!(p.pace(181, d("2026-12-01")), 11);
        assert_eq!(p.pace(5, d("2026-12-18")), 5);
        // Past the deadline: everything left.
        assert_eq!(p.pace(80, d("2026-12-20")), 80);
    }

    #[test]
    fn the_daily_count_rises_above_the_default_as_needed_but_never_above_the_cap() {
        let p = plan("2026-12-21");
        // Pace 10 < default 20: the default.
        assert_eq!(p.daily_new(180, d("2026-12-01"), 20), 20);
        // Pace 40: 40.
        assert_eq!(p.daily_new(720, d("2026-12-01"), 20), 40);
        // Pace 80 > cap 50: the cap.
        assert_eq!(p.daily_new(80, d("2026-12-20"), 20), 50);
        // A cap below the default caps the default too.
        let low = Plan {
            max_new_per_day: 5,
            ..p
        };
        assert_eq!(low.daily_new(10, d("2026-12-01"), 20), 5);
    }

    #[test]
    fn introductions_say_when_all_are_seen_and_what_the_cap_leaves_unseen() {
        let p = Plan {
            max_new_per_day: 5,
            ..plan("2026-12-11") // deadline 12-08, last day 12-10
        };
        // 8 days to the deadline at 5 a day is 40: of 60, 20 are left after 12-08, and
        // 5 a day on 12-09 and 12-10 leave 10 for the interview.
        let intro = introductions(&p, 60, 0, d("2026-12-01"), 20);
        assert_eq!(intro.per_day, [5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
        assert_eq!(intro.unseen_after_target, 20);
        assert_eq!(intro.unseen_at_interview, 10);
        assert_eq!(intro.done_by, None);
        // 60 over 8 days: 8 a day.
        assert_eq!(intro.cap_needed, Some(8));
        let enough = Plan {
            max_new_per_day: 8,
            ..p.clone()
        };
        let intro = introductions(&enough, 60, 0, d("2026-12-01"), 20);
        assert_eq!(intro.unseen_after_target, 0);
        assert_eq!(intro.done_by, Some(d("2026-12-08")));
        assert_eq!(intro.cap_needed, None);
    }

    #[test]
    fn introductions_count_the_cards_already_introduced_today() {
        let p = plan("2026-12-11");
        // 30 unseen at the start of the day, 20 a day: 12 came already, 8 more today.
        let intro = introductions(&p, 18, 12, d("2026-12-01"), 20);
        assert_eq!(intro.daily_today, 20);
        assert_eq!(intro.per_day[..2], [8, 10]);
        assert_eq!(intro.done_by, Some(d("2026-12-02")));
    }

    #[test]
    fn core_cards_come_first_only_when_the_days_left_cannot_fit_every_card() {
        let p = Plan {
            max_new_per_day: 20,
            ..plan("2026-12-11") // deadline 12-08: 8 days from 12-01
        };
        // 160 cards at 20 a day fit in the 8 days; 161 do not.
        assert!(!introductions(&p, 160, 0, d("2026-12-01"), 20).core_first());
        assert!(introductions(&p, 161, 0, d("2026-12-01"), 20).core_first());
        // Three days before the interview the target is the last day: 2 days of 20.
        assert!(!introductions(&p, 40, 0, d("2026-12-09"), 20).core_first());
        assert!(introductions(&p, 41, 0, d("2026-12-09"), 20).core_first());
        // The cards introduced today use up today's share.
        assert!(introductions(&p, 30, 15, d("2026-12-09"), 20).core_first());
    }

    #[test]
    fn core_first_puts_core_cards_ahead_and_keeps_each_group_in_deck_order() {
        let cards = [
            ("a", false),
            ("b", true),
            ("c", false),
            ("d", true),
            ("e", false),
        ];
        let order: Vec<&str> = core_first(cards, |(_, core)| *core)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(order, ["b", "d", "a", "c", "e"]);
        let none: Vec<u8> = core_first([3, 1, 2], |_| false);
        assert_eq!(none, [3, 1, 2]);
    }

    #[test]
    fn after_the_deadline_the_target_is_the_last_day_and_no_date_is_in_the_past() {
        let p = Plan {
            max_new_per_day: 10,
            ..plan("2026-12-11")
        };
        let today = d("2026-12-09"); // deadline 12-08 has passed
        assert_eq!(p.intro_target(today), d("2026-12-10"));
        let intro = introductions(&p, 30, 0, today, 20);
        assert_eq!(intro.per_day, [10, 10]);
        assert_eq!(intro.unseen_at_interview, 10);
        assert_eq!(intro.cap_needed, Some(15));
        let intro = introductions(&p, 15, 0, today, 20);
        assert_eq!(intro.done_by, Some(d("2026-12-10")));
    }

    #[test]
    fn planned_due_keeps_sm2_days_in_the_window_and_placed_days_and_pulls_in_the_rest() {
        let (today, last) = (d("2026-11-10"), d("2026-11-16"));
        assert_eq!(
            planned_due(&mature("2026-11-12"), today, last),
            PlannedDue::Sm2(d("2026-11-12"))
        );
        let placed = CardState {
            due: d("2026-11-14"),
            sm2_due: Some(d("2027-01-01")),
            ..mature("2026-11-14")
        };
        assert_eq!(
            planned_due(&placed, today, last),
            PlannedDue::Placed(d("2026-11-14"))
        );
        // Placed for an earlier, later interview date: pulled in again.
        let stale = CardState {
            due: d("2026-11-20"),
            ..placed
        };
        assert!(matches!(
            planned_due(&stale, today, last),
            PlannedDue::Pulled { earliest, .. } if earliest == today
        ));
        // Answered today (due today + 60): not before tomorrow.
        let today_60 = CardState {
            interval: 60,
            ..mature("2027-01-09")
        };
        assert_eq!(
            planned_due(&today_60, today, last),
            PlannedDue::Pulled {
                sm2: d("2027-01-09"),
                earliest: d("2026-11-11")
            }
        );
        // Answered on the last day itself: it has had its review; SM-2 decides.
        let last_60 = CardState {
            interval: 60,
            ..mature("2027-01-15")
        };
        assert_eq!(
            planned_due(&last_60, last, last),
            PlannedDue::Sm2(d("2027-01-15"))
        );
    }

    #[test]
    fn pulled_in_cards_are_spread_evenly_from_today_in_sm2_order() {
        let p = plan("2026-11-14"); // window 11-10..=11-13
        let deck = outline("d", 10);
        let cards: Vec<(String, CardState)> = (1..=10)
            .map(|i| (format!("d/c{i}"), mature(&format!("2027-01-{:02}", 21 - i))))
            .collect();
        let refs: Vec<(&str, CardState)> = cards.iter().map(|(k, s)| (k.as_str(), *s)).collect();
        let progress = progress_with(&refs);
        let today = d("2026-11-10");
        let planned = resolve(&p, &[&deck], &progress, today);
        let dues = planned.dues.deck("d");
        let days: Vec<NaiveDate> = progress
            .deck_states(&deck)
            .enumerate()
            .map(|(i, (_, s))| dues.due(i, s.unwrap()))
            .collect();
        // 10 over 4 days: 2 or 3 a day, the extra ones on the latest days; c10 (SM-2's
        // earliest) first.
        assert_eq!(
            days,
            [
                "2026-11-13",
                "2026-11-13",
                "2026-11-13",
                "2026-11-12",
                "2026-11-12",
                "2026-11-12",
                "2026-11-11",
                "2026-11-11",
                "2026-11-10",
                "2026-11-10"
            ]
            .map(d)
        );
        assert_eq!(planned.readiness, Readiness::of(10, 10));
        assert_eq!(planned.unseen, 0);
        // Tomorrow on, the spreader knows the pulled-in reviews.
        assert_eq!(planned.spreader.load(d("2026-11-11")), 2);
        assert_eq!(planned.spreader.load(d("2026-11-13")), 3);
    }

    #[test]
    fn pulled_in_cards_fill_around_reviews_already_moved() {
        let p = plan("2026-11-14");
        let deck = outline("d", 7);
        let mut cards: Vec<(String, CardState)> = (1..=4)
            .map(|i| (format!("d/c{i}"), mature("2027-01-01")))
            .collect();
        // Three reviews moved to 11-13 by answers given under the plan (on 11-09).
        for i in 5..=7 {
            let state = CardState {
                due: d("2026-11-13"),
                sm2_due: Some(d("2027-01-08")),
                ..mature("2027-01-08")
            };
            cards.push((format!("d/c{i}"), state));
        }
        let refs: Vec<(&str, CardState)> = cards.iter().map(|(k, s)| (k.as_str(), *s)).collect();
        let progress = progress_with(&refs);
        let planned = resolve(&p, &[&deck], &progress, d("2026-11-10"));
        let dues = planned.dues.deck("d");
        let mut per_day: HashMap<NaiveDate, u32> = HashMap::new();
        for (i, (_, s)) in progress.deck_states(&deck).enumerate() {
            *per_day.entry(dues.due(i, s.unwrap())).or_default() += 1;
        }
        // 7 moved over 4 days; 11-13 already had 3.
        let mut counts: Vec<(NaiveDate, u32)> = per_day.into_iter().collect();
        counts.sort();
        assert_eq!(
            counts,
            [
                (d("2026-11-10"), 1),
                (d("2026-11-11"), 1),
                (d("2026-11-12"), 2),
                (d("2026-11-13"), 3)
            ]
        );
    }

    #[test]
    fn a_second_session_the_same_day_finds_the_pulled_in_cards_where_they_were() {
        let p = plan("2026-11-16"); // window 11-10..=11-15
        let deck = outline("d", 24);
        let cards: Vec<(String, CardState)> = (1..=24)
            .map(|i| (format!("d/c{i}"), mature(&format!("2027-02-{:02}", i))))
            .collect();
        let refs: Vec<(&str, CardState)> = cards.iter().map(|(k, s)| (k.as_str(), *s)).collect();
        let mut progress = progress_with(&refs);
        let today = d("2026-11-10");
        let days_of = |progress: &Progress| -> Vec<NaiveDate> {
            let planned = resolve(&p, &[&deck], progress, today);
            let dues = planned.dues.deck("d");
            progress
                .deck_states(&deck)
                .enumerate()
                .map(|(i, (_, s))| dues.due(i, s.unwrap()))
                .collect()
        };
        let before = days_of(&progress);
        assert_eq!(before.iter().filter(|&&day| day == today).count(), 4);
        // The first session answers two of today's four, placing them as review does.
        let mut spreader = resolve(&p, &[&deck], &progress, today).spreader;
        let at = DateTime::parse_from_rfc3339("2026-11-10T10:00:00Z").unwrap();
        for card in ["d/c1", "d/c2"] {
            let before = progress.card(card).copied();
            let mut entry = answer_entry(card, before.as_ref(), Grade::ALL[5], false, at, today);
            let sm2 = entry.after.unwrap().due;
            entry.move_due(spreader.place(today, sm2).unwrap());
            progress.apply(&entry);
        }
        let after = days_of(&progress);
        for (i, (old, new)) in before.iter().zip(&after).enumerate().skip(2) {
            assert_eq!(old, new, "card c{}", i + 1);
        }
        assert!(after[..2].iter().all(|&day| day > today));
    }

    #[test]
    fn decks_outside_the_plan_keep_sm2_days() {
        let p = plan("2026-11-14");
        let deck = outline("d", 1);
        let progress = progress_with(&[
            ("d/c1", mature("2027-01-01")),
            ("e/c1", mature("2027-01-01")),
        ]);
        let planned = resolve(&p, &[&deck], &progress, d("2026-11-10"));
        assert!(planned.dues.deck("d").is_planned());
        assert!(!planned.dues.deck("e").is_planned());
        let state = progress.card("e/c1").unwrap();
        assert_eq!(planned.dues.deck("e").due(0, state), d("2027-01-01"));
        assert_eq!(Dues::sm2().deck("d").due(0, state), d("2027-01-01"));
    }

    #[test]
    fn answers_are_spread_over_the_days_with_fewest_moved_reviews_latest_first() {
        let first = d("2026-12-02");
        let mut s = Spreader::new(first, d("2026-12-05"), [0, 0, 0, 0]);
        let placed: Vec<NaiveDate> = (0..6)
            .map(|_| s.place(d("2026-12-01"), d("2027-01-30")).unwrap())
            .collect();
        assert_eq!(
            placed,
            [
                "2026-12-05",
                "2026-12-04",
                "2026-12-03",
                "2026-12-02",
                "2026-12-05",
                "2026-12-04"
            ]
            .map(d)
        );
        // SM-2 days in the window, and answers on the last day, keep SM-2's day.
        assert_eq!(s.place(d("2026-12-01"), d("2026-12-04")), None);
        assert_eq!(s.place(d("2026-12-05"), d("2027-01-30")), None);
        // Undo takes a placement back.
        s.unplace(d("2026-12-04"));
        assert_eq!(s.load(d("2026-12-04")), 1);
        assert_eq!(
            s.place(d("2026-12-01"), d("2027-01-30")),
            Some(d("2026-12-04"))
        );
    }

    #[test]
    fn an_answer_is_never_placed_on_its_own_day_or_before() {
        let mut s = Spreader::new(d("2026-12-02"), d("2026-12-05"), [0, 0, 0, 9]);
        // Answered on 12-03: only 12-04 and 12-05 are open; 12-05 holds 9.
        assert_eq!(
            s.place(d("2026-12-03"), d("2027-01-30")),
            Some(d("2026-12-04"))
        );
    }

    /// [`fill_level`] as its documentation first describes it: one unit at a time.
    fn fill_one_by_one(base: &[u32], units: usize, first_cap: usize) -> Vec<u64> {
        use std::cmp::Reverse;
        let mut quotas = vec![0u64; base.len()];
        let mut heap: std::collections::BinaryHeap<Reverse<(u64, Reverse<usize>)>> = base
            .iter()
            .enumerate()
            .filter(|&(day, _)| day > 0 || first_cap > 0)
            .map(|(day, &load)| Reverse((u64::from(load), Reverse(day))))
            .collect();
        for _ in 0..units {
            let Some(Reverse((load, Reverse(day)))) = heap.pop() else {
                break;
            };
            quotas[day] += 1;
            if day > 0 || (quotas[0] as usize) < first_cap {
                heap.push(Reverse((load + 1, Reverse(day))));
            }
        }
        quotas
    }

    proptest::proptest! {
        #[test]
        fn filling_level_by_level_is_filling_one_by_one(
            base in proptest::collection::vec(0u32..12, 2..30),
            units in 0usize..200,
            first_cap in 0usize..20,
        ) {
            let first_cap = first_cap.min(units);
            proptest::prop_assert_eq!(
                fill_level(&base, units, first_cap),
                fill_one_by_one(&base, units, first_cap)
            );
        }

        #[test]
        fn the_least_loaded_day_is_the_one_a_scan_finds(
            loads in proptest::collection::vec(0u32..5, 1..40),
            low in 0usize..45,
            changes in proptest::collection::vec((0usize..40, proptest::bool::ANY), 0..30),
        ) {
            let mut loads = loads;
            let mut tree = LeastLoaded::new(&loads);
            for (day, up) in changes {
                if day < loads.len() {
                    let delta = if up { 1 } else { -1 };
                    loads[day] = loads[day].saturating_add_signed(delta);
                    tree.add(day, delta);
                }
            }
            let scan = (low..loads.len()).rev().min_by_key(|&day| loads[day]);
            proptest::prop_assert_eq!(tree.least(low), scan);
        }
    }

    #[test]
    fn readiness_counts_last_grade_four_or_five_and_not_overdue() {
        let today = d("2026-12-02");
        let state = |grade: u8| CardState {
            last_grade: Grade::new(grade),
            drill_grade: None,
            ..mature("2026-12-02")
        };
        assert!(is_ready(&state(5), d("2026-12-02"), today));
        assert!(is_ready(&state(4), d("2026-12-03"), today));
        assert!(!is_ready(&state(3), d("2026-12-05"), today));
        assert!(!is_ready(&state(5), d("2026-12-01"), today));
        let r = Readiness::of(2, 5);
        assert!((r.share - 0.4).abs() < 1e-12);
    }

    #[test]
    fn the_estimate_reviews_new_cards_with_sm2_and_pulls_their_next_review_in() {
        let p = plan("2026-12-09"); // last day 12-08
        let today = d("2026-12-01");
        let intro = Introductions {
            per_day: vec![2, 0, 0, 0, 0, 0, 0, 0],
            ..introductions(&p, 0, 0, today, 0)
        };
        let spreader = Spreader::new(add_days(today, 1), p.last_day(), []);
        let days = estimate(&p, today, [], &intro, spreader);
        let summary: Vec<(u32, u32)> = days.iter().map(|l| (l.reviews, l.new)).collect();
        // Grade 4: 12-01 new, 12-02 (1 day), then 6 days: 12-08. That is the last
        // day before the interview, so the next review (15 days) is not pulled in.
        assert_eq!(
            summary,
            [
                (0, 2),
                (2, 0),
                (0, 0),
                (0, 0),
                (0, 0),
                (0, 0),
                (0, 0),
                (2, 0)
            ]
        );
    }

    #[test]
    fn the_estimate_pulls_reviews_in_until_the_last_day() {
        let p = plan("2026-12-05"); // last day 12-04
        let today = d("2026-12-01");
        let intro = introductions(&p, 0, 0, today, 0);
        let spreader = Spreader::new(add_days(today, 1), p.last_day(), []);
        let mature = Sm2 {
            reps: 5,
            ef: 2.5,
            interval: 60,
        };
        let days = estimate(
            &p,
            today,
            [(mature, today), (mature, today)],
            &intro,
            spreader,
        );
        let reviews: Vec<u32> = days.iter().map(|l| l.reviews).collect();
        // Both due today; answered, they go to 12-04 and 12-03 (fewest moved, latest
        // first); the one on 12-03 goes to 12-04 again.
        assert_eq!(reviews, [2, 0, 1, 2]);
    }
}
