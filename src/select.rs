//! Studying exactly what is chosen: `review --tag`, `review --card`, and the cram queue
//! of `review --cram`. Pure: decks and progress in, card keys and queues out.

use crate::catalog;
use crate::error::{Error, Result};
use crate::progress::{CardKeys, Progress};
use crate::render::text::one_line;
use crate::session::Item;

/// What `--tag` and `--card` ask for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Cards with any of these tags (case-insensitive).
    pub tags: Vec<String>,
    /// These cards, as `deck-id/card-id` or, when unambiguous, `card-id`.
    pub cards: Vec<String>,
}

impl Selection {
    /// Neither `--tag` nor `--card`: every card.
    pub fn is_all(&self) -> bool {
        self.tags.is_empty() && self.cards.is_empty()
    }
}

/// The `deck-id/card-id` of each card named by `--card`, looked up in `decks`.
///
/// A bare card id is looked for in every deck; one that two decks have must be given
/// with its deck. An unknown id gets the closest known one as a suggestion.
pub fn resolve_cards(names: &[String], decks: &[&catalog::Entry]) -> Result<Vec<String>> {
    let mut keys = Vec::with_capacity(names.len());
    for name in names {
        let (deck, card) = match name.split_once('/') {
            Some((deck, card)) => (Some(deck), card),
            None => (None, name.as_str()),
        };
        let found: Vec<String> = decks
            .iter()
            .filter(|e| deck.is_none_or(|d| e.id().as_str() == d))
            .filter(|e| e.outline.cards.iter().any(|c| c == card))
            .map(|e| format!("{}/{card}", e.id().as_str()))
            .collect();
        match found.as_slice() {
            [one] => keys.push(one.clone()),
            [] => return Err(unknown_card(name, decks)),
            several => {
                return Err(Error::Invalid(format!(
                "card id \"{}\" is in several decks ({}); give it with its deck, e.g. --card {}",
                one_line(name),
                several.join(", "),
                several[0]
            )))
            }
        }
    }
    Ok(keys)
}

fn unknown_card(name: &str, decks: &[&catalog::Entry]) -> Error {
    let bare = !name.contains('/');
    let known = decks.iter().flat_map(|e| {
        e.outline.cards.iter().map(move |c| {
            if bare {
                c.to_owned()
            } else {
                format!("{}/{c}", e.id().as_str())
            }
        })
    });
    let hint = crate::suggest::closest(name, known)
        .map(|s| format!(" Did you mean \"{s}\"?"))
        .unwrap_or_default();
    Error::Invalid(format!(
        "there is no card \"{}\".{hint} `prepdeck cards DECK` lists a deck's card ids",
        one_line(name)
    ))
}

/// The keys of the cards in `decks` that `selection` allows, or `None` when it allows
/// every card. `cards` are the keys [`resolve_cards`] gave. Reads the decks' card text
/// only for `--tag`.
pub fn allowed(
    selection: &Selection,
    cards: &[String],
    decks: &[&catalog::Entry],
) -> Result<Option<CardKeys>> {
    if selection.is_all() {
        return Ok(None);
    }
    let mut keys: CardKeys = cards.iter().cloned().collect();
    if !selection.tags.is_empty() {
        let wanted: Vec<String> = selection.tags.iter().map(|t| t.to_lowercase()).collect();
        let mut known = std::collections::BTreeSet::new();
        for entry in decks {
            let deck = entry.deck()?;
            for card in &deck.cards {
                known.extend(card.tags.iter().map(|t| t.to_lowercase()));
                if card.tags.iter().any(|t| wanted.contains(&t.to_lowercase())) {
                    keys.insert(format!("{}/{}", entry.id().as_str(), card.id.as_str()));
                }
            }
        }
        if let Some(missing) = wanted.iter().find(|t| !known.contains(*t)) {
            let hint = crate::suggest::closest(missing, known.iter().cloned())
                .map(|s| format!(" Did you mean \"{s}\"?"))
                .unwrap_or_default();
            return Err(Error::Invalid(format!(
                "no card in the decks chosen has the tag \"{}\".{hint} `prepdeck card show ID` shows a card's tags",
                one_line(missing)
            )));
        }
    }
    Ok(Some(keys))
}

/// Every card of `decks` that `only` allows (all when `None`), due or not, new
/// included, in deck order, or shuffled with `shuffle` as the seed: the cram queue.
pub fn cram_queue<'a>(
    decks: &[&'a catalog::Entry],
    progress: &Progress,
    only: Option<&CardKeys>,
    shuffle: Option<u64>,
) -> Vec<Item<'a>> {
    let mut queue = Vec::new();
    for &entry in decks {
        let deck = entry.id().as_str();
        for (index, (card, state)) in progress.deck_states(&entry.outline).enumerate() {
            let key = format!("{deck}/{card}");
            if only.is_some_and(|only| !only.contains(&key)) || progress.suspended.contains(&key) {
                continue;
            }
            queue.push(Item {
                deck,
                id: card,
                entry,
                index,
                new: state.is_none(),
                redrill: false,
                planned: false,
                cram: true,
            });
        }
    }
    if let Some(seed) = shuffle {
        shuffle_in_place(&mut queue, seed);
    }
    queue
}

/// Fisher-Yates with xorshift64*: a shuffle needs no more than that, and a seed makes
/// it repeatable in tests.
pub fn shuffle_in_place<T>(items: &mut [T], seed: u64) {
    let mut state = seed | 1;
    let mut next = || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    for i in (1..items.len()).rev() {
        let bound = u64::try_from(i + 1).unwrap_or(u64::MAX);
        let j = usize::try_from(next() % bound).unwrap_or(0);
        items.swap(i, j);
    }
}

/// A seed for `--shuffle` that differs from run to run.
pub fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (nanos as u64) ^ (u64::from(std::process::id()) << 32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{self, Deck};

    fn deck(id: &str, cards: &[(&str, &[&str])]) -> catalog::Entry {
        let cards: Vec<String> = cards
            .iter()
            .map(|(c, tags)| {
                let tags: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
                format!(
                    r#"{{"id": "{c}", "front": "Q {c}", "back": "A {c}", "tags": [{}]}}"#,
                    tags.join(",")
                )
            })
            .collect();
        let text = format!(
            r#"{{"format_version": 1, "id": "{id}", "title": "T", "description": "", "cards": [{}]}}"#,
            cards.join(",")
        );
        let deck: Deck = deck::parse(text.as_bytes(), id).unwrap().deck;
        catalog::Entry::loaded(deck, catalog::Origin::BuiltIn)
    }

    #[test]
    fn card_ids_resolve_bare_or_with_their_deck_and_ambiguity_is_refused() {
        let a = deck("a", &[("one", &[]), ("two", &[])]);
        let b = deck("b", &[("two", &[]), ("three", &[])]);
        let decks = [&a, &b];
        let got = resolve_cards(&["one".into(), "b/two".into(), "three".into()], &decks);
        assert_eq!(got.unwrap(), ["a/one", "b/two", "b/three"]);
        let err = resolve_cards(&["two".into()], &decks)
            .unwrap_err()
            .to_string();
        assert!(err.contains("several decks (a/two, b/two)"), "{err}");
        let err = resolve_cards(&["thre".into()], &decks)
            .unwrap_err()
            .to_string();
        assert!(err.contains("Did you mean \"three\"?"), "{err}");
        let err = resolve_cards(&["a/tow".into()], &decks)
            .unwrap_err()
            .to_string();
        assert!(err.contains("Did you mean \"a/two\"?"), "{err}");
    }

    #[test]
    fn tags_select_cards_with_any_of_them_and_an_unknown_tag_is_refused() {
        let a = deck("a", &[("one", &["star"]), ("two", &["Calm"]), ("x", &[])]);
        let selection = Selection {
            tags: vec!["calm".into(), "STAR".into()],
            cards: vec![],
        };
        let keys = allowed(&selection, &[], &[&a]).unwrap().unwrap();
        let mut keys: Vec<_> = keys.into_iter().collect();
        keys.sort();
        assert_eq!(keys, ["a/one", "a/two"]);
        let selection = Selection {
            tags: vec!["stra".into()],
            cards: vec![],
        };
        let err = allowed(&selection, &[], &[&a]).unwrap_err().to_string();
        assert!(err.contains("Did you mean \"star\"?"), "{err}");
        assert_eq!(allowed(&Selection::default(), &[], &[&a]).unwrap(), None);
    }

    #[test]
    fn the_cram_queue_is_every_allowed_card_in_deck_order_or_a_permutation() {
        let a = deck("a", &[("one", &[]), ("two", &[]), ("three", &[])]);
        let progress = Progress::default();
        let keys = |q: &[Item]| q.iter().map(Item::key).collect::<Vec<_>>();
        let queue = cram_queue(&[&a], &progress, None, None);
        assert_eq!(keys(&queue), ["a/one", "a/two", "a/three"]);
        assert!(queue.iter().all(|i| i.cram && i.new && !i.redrill));
        let only: CardKeys = ["a/three".to_owned()].into_iter().collect();
        assert_eq!(
            keys(&cram_queue(&[&a], &progress, Some(&only), None)),
            ["a/three"]
        );
        let mut orders = std::collections::BTreeSet::new();
        for seed in 0..50 {
            let mut shuffled = keys(&cram_queue(&[&a], &progress, None, Some(seed)));
            orders.insert(shuffled.clone());
            shuffled.sort();
            assert_eq!(shuffled, ["a/one", "a/three", "a/two"]);
        }
        assert!(orders.len() > 3, "{orders:?}");
    }
}
