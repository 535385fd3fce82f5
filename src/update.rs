//! What changes when a new version of an installed deck replaces the old one.
//!
//! Progress is keyed by `deck-id/card-id`, so comparing by card id tells exactly which
//! cards keep their schedule (unchanged, re-worded), which are new and which leave.

use crate::deck::{Deck, Id};
use serde::Serialize;
use std::collections::HashMap;

/// Card ids by what happens to them in an update.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// In the new version only: start as new cards (or with their earlier progress, if
    /// an earlier version had them and they were reviewed).
    pub added: Vec<Id>,
    /// In both, with a different front, back, tags or source: keep their schedule.
    pub reworded: Vec<Id>,
    /// In the old version only: leave review and stats; their history stays in the log.
    pub retired: Vec<Id>,
    /// In both, the same.
    pub unchanged: Vec<Id>,
}

impl Changes {
    /// True when no card changes.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.reworded.is_empty() && self.retired.is_empty()
    }
}

/// The changes from `old` to `new`, each list in the order of the deck it comes from.
pub fn diff(old: &Deck, new: &Deck) -> Changes {
    let before: HashMap<&Id, usize> = old
        .cards
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.id, i))
        .collect();
    let after: HashMap<&Id, usize> = new
        .cards
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.id, i))
        .collect();
    let mut changes = Changes::default();
    for card in &new.cards {
        match before.get(&card.id).map(|&i| &old.cards[i]) {
            None => changes.added.push(card.id.clone()),
            Some(previous) if previous == card => changes.unchanged.push(card.id.clone()),
            Some(_) => changes.reworded.push(card.id.clone()),
        }
    }
    changes.retired = old
        .cards
        .iter()
        .filter(|c| !after.contains_key(&c.id))
        .map(|c| c.id.clone())
        .collect();
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck(cards: &[(&str, &str)]) -> Deck {
        let cards: Vec<String> = cards
            .iter()
            .map(|(id, front)| {
                format!(r#"{{"id":"{id}","front":"{front}","back":"b","tags":["t"]}}"#)
            })
            .collect();
        let text = format!(
            r#"{{"format_version":1,"id":"d","title":"D","description":"","cards":[{}]}}"#,
            cards.join(",")
        );
        crate::deck::parse(text.as_bytes(), "d.json").unwrap().deck
    }

    fn ids(list: &[Id]) -> Vec<&str> {
        list.iter().map(Id::as_str).collect()
    }

    #[test]
    fn cards_are_compared_by_id_not_by_text() {
        let old = deck(&[("a", "A?"), ("b", "B?"), ("c", "C?")]);
        let new = deck(&[("b", "B, re-worded?"), ("a", "A?"), ("d", "C?")]);
        let changes = diff(&old, &new);
        assert_eq!(ids(&changes.added), ["d"]);
        assert_eq!(ids(&changes.reworded), ["b"]);
        assert_eq!(ids(&changes.retired), ["c"]);
        assert_eq!(ids(&changes.unchanged), ["a"]);
        assert!(!changes.is_empty());
    }

    #[test]
    fn the_same_deck_has_no_changes() {
        let old = deck(&[("a", "A?")]);
        assert!(diff(&old, &old).is_empty());
    }
}
