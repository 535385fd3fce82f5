//! Which cards a session shows, in which order: due first, then new within the allowance.

use super::*;

/// One card to show.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    /// The deck id.
    pub deck: &'a str,
    /// The card id.
    pub id: &'a str,
    /// The card's deck; its text is read when the card is shown.
    pub entry: &'a catalog::Entry,
    /// The card's place in the deck.
    pub index: usize,
    /// Never answered before this session.
    pub new: bool,
    /// A same-session repeat after a grade below 4.
    pub redrill: bool,
    /// Its deck is planned: an answer's due day is pulled in before the interview.
    pub planned: bool,
    /// Shown by `review --cram`: the answer is logged as a cram answer and leaves the
    /// schedule alone.
    pub cram: bool,
}

impl<'a> Item<'a> {
    /// `deck-id/card-id`, the card's key in the log: made when an answer is recorded,
    /// not for each of the tens of thousands of cards a queue can hold.
    pub fn key(&self) -> String {
        format!("{}/{}", self.deck, self.id)
    }

    /// Reads the card's text now, to be shown without waiting when its turn comes.
    pub fn read_ahead(&self) {
        self.entry.read_ahead(self.index);
    }

    /// The card's text: read alone from its deck file when the deck came from the deck
    /// index, refused once its deck proved invalid (see [`catalog::Entry::card`]).
    pub fn card(&self) -> Result<std::borrow::Cow<'a, Card>> {
        self.entry.card(self.index)
    }
}

/// How many new cards a session may introduce: planned decks and the others each have
/// their own allowance, so a plan's pacing is filled from the planned decks only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NewAllowance {
    /// New cards from decks an active interview plan covers.
    pub planned: usize,
    /// New cards from the other decks.
    pub other: usize,
    /// New cards from all decks together: `--new N` is one allowance across the decks,
    /// planned or not.
    pub total: usize,
    /// The plan cannot fit every card before the interview: planned decks' new cards
    /// come core cards first ([`crate::plan::core_first`]).
    pub core_first: bool,
}

impl NewAllowance {
    /// One allowance for all decks together, planned first.
    #[cfg(test)]
    pub fn all(n: usize) -> NewAllowance {
        NewAllowance {
            planned: n,
            other: n,
            total: n,
            core_first: false,
        }
    }
}

/// The cards a session shows: due cards (oldest due first), then new cards of planned
/// decks, then new cards of the other decks, each within its allowance, the learner's
/// own decks before the built-in ones and otherwise in deck order, at most `limit` in
/// all. `dues` gives each card's due day and says which decks are planned. With
/// `core_first`, the planned decks' new cards come core cards first, across those decks.
pub fn build_queue<'a>(
    decks: &[&'a catalog::Entry],
    progress: &Progress,
    today: NaiveDate,
    new_allowed: NewAllowance,
    limit: usize,
    dues: &Dues,
    only: Option<&crate::progress::CardKeys>,
) -> Vec<Item<'a>> {
    // Each deck is gone through on a thread of its own: looking up every card's state
    // is most of the time to the first card at 100,000 cards. The parts come back in
    // deck order, so the result is what one pass over the decks gave.
    let parts = crate::par::map(decks, |&entry: &&'a catalog::Entry| {
        let deck = entry.id().as_str();
        let deck_dues = dues.deck(deck);
        let planned = deck_dues.is_planned();
        let allowed = if planned {
            new_allowed.planned
        } else {
            new_allowed.other
        };
        // Tags are card text, read only when the order depends on them; a deck that
        // cannot be read has no core cards here, and its error shows with its card.
        let tagged = (planned && new_allowed.core_first)
            .then(|| entry.deck().ok())
            .flatten();
        let is_core = |index: usize| {
            tagged
                .and_then(|deck| deck.cards.get(index))
                .is_some_and(|card| card.tags.iter().any(|t| t == crate::plan::CORE_TAG))
        };
        // New cards as (core, card): up to the allowance of each kind, so the core
        // cards of a later deck can still come before the others of an earlier one.
        let (mut due, mut new) = (Vec::new(), Vec::new());
        let (mut core_count, mut other_count) = (0, 0);
        for (index, (card, state)) in progress.deck_states(&entry.outline).enumerate() {
            if only.is_some_and(|only| !only.contains(&format!("{deck}/{card}")))
                || progress.is_suspended(deck, card)
            {
                continue;
            }
            let item = |new| Item {
                deck,
                id: card,
                entry,
                index,
                new,
                redrill: false,
                planned,
                cram: false,
            };
            match state {
                Some(state) => {
                    let day = deck_dues.due(index, state);
                    if day <= today {
                        due.push((day, item(false)));
                    }
                }
                None => {
                    let core = is_core(index);
                    let count = if core {
                        &mut core_count
                    } else {
                        &mut other_count
                    };
                    if *count < allowed {
                        *count += 1;
                        new.push((core, item(true)));
                    }
                }
            }
        }
        let own = matches!(entry.origin, catalog::Origin::User(_));
        (due, new, planned, own)
    });
    let mut due: Vec<(NaiveDate, Item<'a>)> = Vec::new();
    let mut planned_new: Vec<(bool, Item<'a>)> = Vec::new();
    let mut other_new: Vec<Item<'a>> = Vec::new();
    // New cards of the learner's own decks (added or imported) come before the built-in
    // decks' within each allowance: a deck just written is what its author wants to study,
    // and behind some 130 built-in cards it would wait for days. A stable sort keeps
    // deck order within each kind; due cards are not affected.
    let mut news = Vec::with_capacity(parts.len());
    for (deck_due, deck_new, planned, own) in parts {
        due.extend(deck_due);
        news.push((deck_new, planned, own));
    }
    news.sort_by_key(|(_, _, own)| !own);
    for (deck_new, planned, _) in news {
        if planned {
            planned_new.extend(deck_new);
        } else {
            let room = new_allowed.other.saturating_sub(other_new.len());
            other_new.extend(deck_new.into_iter().map(|(_, item)| item).take(room));
        }
    }
    let planned_new = crate::plan::core_first(planned_new, |(core, _)| *core)
        .into_iter()
        .map(|(_, item)| item)
        .take(new_allowed.planned);
    // A stable sort: cards due the same day stay in deck order.
    due.sort_by_key(|(day, _)| *day);
    due.into_iter()
        .map(|(_, item)| item)
        .chain(
            planned_new
                .into_iter()
                .chain(other_new)
                .take(new_allowed.total),
        )
        .take(limit)
        .collect()
}
