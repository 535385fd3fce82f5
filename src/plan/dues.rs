//! Due days while a plan is active: SM-2's, or the day a pull-in chose.

use crate::progress::CardState;
use crate::sm2::add_days;
use chrono::{Days, NaiveDate};
use std::collections::HashMap;

/// The day a card was last answered, as SM-2 scheduled from it (its SM-2 day minus its
/// interval); `None` when that is not a representable date.
pub(super) fn answered_on(state: &CardState) -> Option<NaiveDate> {
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
    pub(super) window: Option<Window>,
}

#[derive(Debug, Clone)]
pub(super) struct Window {
    pub(super) last_day: NaiveDate,
    /// Every planned deck, with the day chosen for each pulled-in card by card index
    /// (empty when the deck has none).
    pub(super) decks: HashMap<String, Vec<Option<NaiveDate>>>,
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
