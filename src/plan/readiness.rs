//! Which cards count as ready, and readiness over the planned cards.

use crate::progress::CardState;
use chrono::NaiveDate;
use serde::Serialize;

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
