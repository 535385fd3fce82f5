//! [`CardMap`]: card states by `deck-id/card-id`, held deck by deck.

use super::CardState;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;

/// foldhash rather than std's SipHash: the map is filled from the snapshot and looked up
/// for every card on every start, and SipHash was 5% of the CPU time of `stats` at
/// 100,000 cards. The seed is random per process, as with std's, so a deck written to
/// collide cannot be prepared in advance.
type Hasher = foldhash::fast::RandomState;

/// The states of one deck's cards, by card id.
pub type DeckCards = HashMap<String, CardState, Hasher>;

/// Card states by `deck-id/card-id`, held deck by deck.
///
/// Looking up every card of a deck is most of building the review queue and of `stats`.
/// In one map of 100,000 `deck/card` keys each lookup hashed the whole key and touched
/// memory anywhere in some 15 MB: about 380 ns per card on the benchmark machine, nearly
/// all of it waiting for memory. Per deck, a deck's cards sit in a table of their own,
/// the key is the card id, and the deck is looked up once.
#[derive(Debug, Clone, Default)]
pub struct CardMap {
    decks: HashMap<String, DeckCards, Hasher>,
    /// Keys without a `/` (prepdeck writes none), kept whole so nothing is lost.
    other: DeckCards,
    len: usize,
}

impl CardMap {
    /// The state stored under `key`.
    pub fn get(&self, key: &str) -> Option<&CardState> {
        match key.split_once('/') {
            Some((deck, card)) => self.decks.get(deck)?.get(card),
            None => self.other.get(key),
        }
    }

    /// The state stored under `key`, to change in place.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut CardState> {
        match key.split_once('/') {
            Some((deck, card)) => self.decks.get_mut(deck)?.get_mut(card),
            None => self.other.get_mut(key),
        }
    }

    /// True when `key` has a state.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The states of the cards of `deck`, by card id.
    pub fn deck(&self, deck: &str) -> Option<&DeckCards> {
        self.decks.get(deck)
    }

    /// Stores `state` under `key`; the state it replaces, if any.
    pub fn insert(&mut self, mut key: String, state: CardState) -> Option<CardState> {
        let old = match key.find('/') {
            Some(slash) => {
                let cards = match self.decks.get_mut(&key[..slash]) {
                    Some(cards) => cards,
                    None => self.decks.entry(key[..slash].to_owned()).or_default(),
                };
                // The key's own buffer becomes the card id: no second allocation.
                key.drain(..=slash);
                cards.insert(key, state)
            }
            None => self.other.insert(key, state),
        };
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    /// Removes the state under `key`; the state removed, if any.
    pub fn remove(&mut self, key: &str) -> Option<CardState> {
        let old = match key.split_once('/') {
            Some((deck, card)) => self.decks.get_mut(deck)?.remove(card),
            None => self.other.remove(key),
        };
        if old.is_some() {
            self.len -= 1;
        }
        old
    }

    /// How many cards have a state.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no card has a state.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every deck's table of states, in no particular order (keys without a `/` are in
    /// [`CardMap::other`]).
    pub fn decks(&self) -> impl Iterator<Item = (&str, &DeckCards)> {
        self.decks
            .iter()
            .map(|(deck, cards)| (deck.as_str(), cards))
    }

    /// The states of keys without a `/`, by whole key.
    pub fn other(&self) -> &DeckCards {
        &self.other
    }

    /// Adds a whole deck's table (`None`: keys without a `/`); a card already there
    /// takes the state in `cards`.
    pub fn insert_deck(&mut self, deck: Option<String>, cards: DeckCards) {
        let table = match deck {
            Some(deck) => self.decks.entry(deck).or_default(),
            None => &mut self.other,
        };
        let before = table.len();
        if table.is_empty() {
            *table = cards;
        } else {
            table.extend(cards);
        }
        self.len += table.len() - before;
    }

    /// Every state, in no particular order.
    pub fn values(&self) -> impl Iterator<Item = &CardState> {
        self.entries().map(|(_, _, state)| state)
    }

    /// Every `(deck, card, state)`; `deck` is `None` for a key without a `/`.
    fn entries(&self) -> impl Iterator<Item = (Option<&str>, &str, &CardState)> {
        let decks = self.decks.iter().flat_map(|(deck, cards)| {
            cards
                .iter()
                .map(move |(card, state)| (Some(deck.as_str()), card.as_str(), state))
        });
        let other = self
            .other
            .iter()
            .map(|(key, state)| (None, key.as_str(), state));
        decks.chain(other)
    }
}

impl Extend<(String, CardState)> for CardMap {
    /// In order: a key given twice keeps its last value.
    fn extend<I: IntoIterator<Item = (String, CardState)>>(&mut self, entries: I) {
        for (key, state) in entries {
            self.insert(key, state);
        }
    }
}

impl PartialEq for CardMap {
    fn eq(&self, other: &CardMap) -> bool {
        self.len == other.len
            && self.entries().all(|(deck, card, state)| {
                let theirs = match deck {
                    Some(deck) => other.decks.get(deck).and_then(|cards| cards.get(card)),
                    None => other.other.get(card),
                };
                theirs == Some(state)
            })
    }
}

/// `deck/card` as one JSON string, without building it.
struct Key<'a>(Option<&'a str>, &'a str);

impl Serialize for Key<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(deck) => serializer.collect_str(&format_args!("{deck}/{}", self.1)),
            None => serializer.serialize_str(self.1),
        }
    }
}

/// A JSON object `{"deck/card": state, ...}`, deck by deck (decks in id order).
///
/// A deck's cards are written together so that reading them back allocates a deck's
/// card ids next to one another. They are not sorted within a deck: at 100,000 cards
/// that took 20-30 ms at the end of every session, for no gain in reading.
impl Serialize for CardMap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut decks: Vec<_> = self.decks.iter().collect();
        decks.sort_unstable_by_key(|(deck, _)| deck.as_str());
        let mut map = serializer.serialize_map(Some(self.len))?;
        for (deck, cards) in decks {
            for (card, state) in cards {
                map.serialize_entry(&Key(Some(deck), card), state)?;
            }
        }
        for (key, state) in &self.other {
            map.serialize_entry(&Key(None, key), state)?;
        }
        map.end()
    }
}

/// Reads `{"deck/card": state, ...}`, inserting in file order: a key given twice keeps
/// its last value, as with any map.
impl<'de> Deserialize<'de> for CardMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_entries(deserializer)
    }
}

/// Reads a JSON object of card states into `C`, entry by entry in file order: a
/// [`CardMap`], or a `Vec` of the entries when they are to be inserted elsewhere (the
/// snapshot is read in pieces on several threads and put together on one).
pub fn deserialize_entries<'de, D, C>(deserializer: D) -> Result<C, D::Error>
where
    D: Deserializer<'de>,
    C: Default + Extend<(String, CardState)>,
{
    struct Entries<C>(std::marker::PhantomData<C>);
    impl<'de, C: Default + Extend<(String, CardState)>> serde::de::Visitor<'de> for Entries<C> {
        type Value = C;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<C, A::Error> {
            let mut entries = C::default();
            while let Some(entry) = map.next_entry()? {
                entries.extend(std::iter::once(entry));
            }
            Ok(entries)
        }
    }
    deserializer.deserialize_map(Entries(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn state(interval: u32) -> CardState {
        CardState {
            reps: 1,
            ef: 2.5,
            interval,
            lapses: 0,
            due: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
            sm2_due: None,
            last_review: chrono::DateTime::parse_from_rfc3339("2026-01-01T10:00:00Z").unwrap(),
            last_grade: None,
            drill_grade: None,
        }
    }

    #[test]
    fn every_key_is_kept_as_given_and_found_again() {
        let keys = ["d/a", "d/b", "e/a", "nodeck", "d/", "/x", "d/x/y", ""];
        let mut map = CardMap::default();
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(map.insert(key.to_string(), state(i as u32)), None, "{key}");
        }
        assert_eq!(map.len(), keys.len());
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(map.get(key), Some(&state(i as u32)), "{key}");
        }
        assert_eq!(map.get("d"), None);
        assert_eq!(map.get("d/x"), None);
        assert_eq!(map.deck("d").map(|cards| cards.len()), Some(4));

        // Written as the flat map it stands for, and read back the same.
        let json = serde_json::to_string(&map).unwrap();
        let flat: std::collections::BTreeMap<String, CardState> =
            serde_json::from_str(&json).unwrap();
        let written: Vec<&str> = flat.keys().map(String::as_str).collect();
        let mut expected = keys.to_vec();
        expected.sort_unstable();
        assert_eq!(written, expected);
        assert_eq!(json.matches(r#""reps""#).count(), keys.len(), "{json}");
        let mut again = CardMap::default();
        again.extend(flat);
        assert_eq!(again, map);
    }

    #[test]
    fn insert_replaces_remove_forgets_and_equality_ignores_history() {
        let mut map = CardMap::default();
        map.insert("d/a".into(), state(1));
        assert_eq!(map.insert("d/a".into(), state(2)), Some(state(1)));
        assert_eq!(map.len(), 1);
        map.insert("e/b".into(), state(3));
        assert_eq!(map.remove("e/b"), Some(state(3)));
        assert_eq!(map.remove("e/b"), None);
        assert_eq!(map.len(), 1);

        // A deck emptied by a removal equals one that never had a card.
        let mut fresh = CardMap::default();
        fresh.insert("d/a".into(), state(2));
        assert_eq!(map, fresh);
        fresh.insert("d/b".into(), state(2));
        assert_ne!(map, fresh);
    }

    #[test]
    fn a_deck_is_written_in_one_run() {
        let mut map = CardMap::default();
        for i in 0..50 {
            for deck in ["b", "a", "c"] {
                map.insert(format!("{deck}/{i}"), state(i));
            }
        }
        map.insert("nodeck".into(), state(0));
        let json = serde_json::to_string(&map).unwrap();
        let mut parts: Vec<&str> = json.split(r#"":{"reps""#).collect();
        parts.pop(); // after the last key
        let order: Vec<&str> = parts
            .iter()
            .filter_map(|part| part.rsplit('"').next())
            .map(|key| key.split('/').next().unwrap_or(key))
            .collect();
        let mut runs = order.clone();
        runs.dedup();
        assert_eq!(runs, ["a", "b", "c", "nodeck"], "{order:?}");
    }
}
