//! The pull-in: which day each planned card gets before the interview.

use super::*;
use crate::deck::Outline;
use crate::progress::Progress;
use crate::sm2::add_days;
use chrono::NaiveDate;
use std::collections::HashMap;

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
            if progress.is_suspended(deck.id.as_str(), card) {
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
pub(super) fn fill_level(base: &[u32], units: usize, first_cap: usize) -> Vec<u64> {
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
