//! What changes when a new version of an installed deck replaces the old one.
//!
//! Progress is keyed by `deck-id/card-id`, so comparing by card id tells exactly which
//! cards keep their schedule (unchanged, re-worded), which are new and which leave.

use crate::deck::{Card, Deck, Id};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

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
    /// The learner's own cards (written with `add`) that the new version lacks: kept,
    /// after the new version's cards.
    pub kept: Vec<Id>,
}

impl Changes {
    /// True when no card changes.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.reworded.is_empty() && self.retired.is_empty()
    }
}

/// An update worked out: the deck to install, what changes, and the retired cards with
/// their text, for the archive.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The new version plus the learner's own cards it lacks.
    pub deck: Deck,
    /// Card ids by what happens to them.
    pub changes: Changes,
    /// The cards that leave, as they were: nothing anyone wrote is thrown away.
    pub retired: Vec<Card>,
}

/// The deck an import installs over `old`: the file's cards, then every card of the
/// learner's own (`own`) that the file does not have. An own card whose id the file
/// also has keeps the learner's text: what someone wrote by hand wins over a file.
pub fn merge(old: &Deck, new: Deck, own: &BTreeSet<Id>) -> Merged {
    let mut deck = new;
    let mine: HashMap<&Id, &Card> = old
        .cards
        .iter()
        .filter(|c| own.contains(&c.id))
        .map(|c| (&c.id, c))
        .collect();
    for card in &mut deck.cards {
        if let Some(theirs) = mine.get(&card.id) {
            card.clone_from(theirs);
        }
    }
    let in_file: BTreeSet<Id> = deck.cards.iter().map(|c| c.id.clone()).collect();
    let kept: Vec<Card> = old
        .cards
        .iter()
        .filter(|c| own.contains(&c.id) && !in_file.contains(&c.id))
        .cloned()
        .collect();
    let kept_ids: Vec<Id> = kept.iter().map(|c| c.id.clone()).collect();
    deck.cards.extend(kept);
    let mut changes = diff(old, &deck);
    // Kept cards are unchanged by construction; they are listed on their own.
    changes.unchanged.retain(|id| !kept_ids.contains(id));
    changes.kept = kept_ids;
    let retired = old
        .cards
        .iter()
        .filter(|c| changes.retired.contains(&c.id))
        .cloned()
        .collect();
    Merged {
        deck,
        changes,
        retired,
    }
}

/// Why an update that retires this many of `old`'s cards needs `--allow-retire`, if it does:
/// one that retires every card, or more than half of them, is more likely a wrong file
/// (an empty export, another deck) than a new version.
pub fn retire_guard(old: &Deck, changes: &Changes) -> Option<String> {
    let retired = changes.retired.len();
    // The learner's own cards are kept whatever the file says: they do not count.
    let total = old.cards.len() - changes.kept.len();
    if retired == 0 {
        return None;
    }
    if retired == total {
        Some(format!(
            "it would retire every card of the installed deck ({retired})"
        ))
    } else if retired * 2 > total {
        Some(format!(
            "it would retire {retired} of the installed deck's {total} cards, more than half"
        ))
    } else {
        None
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

    fn own(ids: &[&str]) -> BTreeSet<Id> {
        ids.iter().map(|s| Id::parse(s).unwrap()).collect()
    }

    #[test]
    fn own_cards_missing_from_the_file_are_kept_after_its_cards() {
        let old = deck(&[("coach-1", "A?"), ("mine", "My story?"), ("coach-2", "B?")]);
        let new = deck(&[("coach-1", "A?"), ("coach-3", "C?")]);
        let merged = merge(&old, new, &own(&["mine"]));
        let order: Vec<&str> = merged.deck.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(order, ["coach-1", "coach-3", "mine"]);
        assert_eq!(ids(&merged.changes.kept), ["mine"]);
        assert_eq!(ids(&merged.changes.retired), ["coach-2"]);
        assert_eq!(ids(&merged.changes.added), ["coach-3"]);
        assert_eq!(ids(&merged.changes.unchanged), ["coach-1"]);
        assert_eq!(merged.retired.len(), 1);
        assert_eq!(merged.retired[0].front, "B?");
    }

    #[test]
    fn an_own_card_keeps_the_learners_text_when_the_file_has_its_id() {
        let old = deck(&[("mine", "Mine, as I wrote it?")]);
        let new = deck(&[("mine", "The file's wording?")]);
        let merged = merge(&old, new, &own(&["mine"]));
        assert_eq!(merged.deck.cards[0].front, "Mine, as I wrote it?");
        assert!(merged.changes.is_empty());
    }

    #[test]
    fn retiring_every_card_or_more_than_half_needs_allow_retire() {
        let old = deck(&[("a", "A?"), ("b", "B?"), ("c", "C?"), ("d", "D?")]);
        let half = diff(&old, &deck(&[("a", "A?"), ("b", "B?")]));
        assert_eq!(retire_guard(&old, &half), None);
        let most = diff(&old, &deck(&[("a", "A?")]));
        assert!(retire_guard(&old, &most)
            .unwrap()
            .contains("3 of the installed deck's 4"));
        let all = diff(&old, &deck(&[("x", "X?")]));
        assert!(retire_guard(&old, &all).unwrap().contains("every card"));
    }

    #[test]
    fn the_same_deck_has_no_changes() {
        let old = deck(&[("a", "A?")]);
        assert!(diff(&old, &old).is_empty());
    }
}
