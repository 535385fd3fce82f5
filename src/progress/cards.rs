//! [`CardMap`]: card states by `deck-id/card-id`, held deck by deck.

use super::CardState;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::hash::BuildHasher;

/// foldhash rather than std's SipHash: the map is filled from the snapshot and looked up
/// for every card on every start, and SipHash was 5% of the CPU time of `stats` at
/// 100,000 cards. The seed is random per process, as with std's, so a deck written to
/// collide cannot be prepared in advance.
type Hasher = foldhash::fast::RandomState;

/// The states of one deck's cards, by card id, in the order they were listed.
///
/// A snapshot lists a deck's cards in the deck's own order (see
/// [`DeckCards::arrange`]), so going through a deck card by card ([`DeckCards::walk`])
/// compares each id with the next one listed instead of looking it up: at 100,000
/// cards the lookups were most of the time to build the review queue. The ids sit end
/// to end in one string, so reading a deck's states allocates a few buffers rather
/// than one string per card.
#[derive(Clone, Default)]
pub struct DeckCards {
    /// Every listed id, one space between each two (ids may hold spaces themselves:
    /// `ends` says where each ends, and the next starts one byte later).
    ids: String,
    /// Where each listed id ends in `ids`.
    ends: Vec<usize>,
    /// The state of each listed id; `None` once removed.
    states: Vec<Option<CardState>>,
    /// The place of each listed id, by id.
    places: hashbrown::HashTable<usize>,
    hasher: Hasher,
    /// How many listed ids have a state.
    len: usize,
    /// How many of the first listed ids were listed in one go, in a deck's order as
    /// far as the lister knew it; ids inserted since are listed after them.
    arranged: usize,
}

/// Two listed ids were the same (in a snapshot: damage, as prepdeck never writes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate(pub String);

impl DeckCards {
    /// An empty table with room for `n` cards.
    pub fn with_capacity(n: usize) -> DeckCards {
        DeckCards {
            ends: Vec::with_capacity(n),
            states: Vec::with_capacity(n),
            places: hashbrown::HashTable::with_capacity(n),
            ..DeckCards::default()
        }
    }

    /// The table of `ids` (each ending where `ends` says, the next starting one byte
    /// later) with `states`, in that order; an id listed twice is refused.
    pub fn from_listing(
        ids: String,
        ends: Vec<usize>,
        states: Vec<CardState>,
    ) -> Result<DeckCards, Duplicate> {
        debug_assert_eq!(ends.len(), states.len());
        let hasher = Hasher::default();
        let mut places = hashbrown::HashTable::with_capacity(ends.len());
        for place in 0..ends.len() {
            let id = listed(&ids, &ends, place);
            let entry = places.entry(
                hasher.hash_one(id),
                |&p| listed(&ids, &ends, p) == id,
                |&p| hasher.hash_one(listed(&ids, &ends, p)),
            );
            match entry {
                hashbrown::hash_table::Entry::Occupied(_) => return Err(Duplicate(id.to_owned())),
                hashbrown::hash_table::Entry::Vacant(slot) => {
                    slot.insert(place);
                }
            }
        }
        Ok(DeckCards {
            len: states.len(),
            arranged: states.len(),
            states: states.into_iter().map(Some).collect(),
            ids,
            ends,
            places,
            hasher,
        })
    }

    /// The id listed at `place`.
    fn id(&self, place: usize) -> &str {
        listed(&self.ids, &self.ends, place)
    }

    /// Where `card` is listed, if it is.
    fn place(&self, card: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(card);
        self.places.find(hash, |&p| self.id(p) == card).copied()
    }

    /// The state of `card`.
    pub fn get(&self, card: &str) -> Option<&CardState> {
        self.states[self.place(card)?].as_ref()
    }

    /// The state of `card`, to change in place.
    pub fn get_mut(&mut self, card: &str) -> Option<&mut CardState> {
        let place = self.place(card)?;
        self.states[place].as_mut()
    }

    /// True when `card` has a state.
    pub fn contains_key(&self, card: &str) -> bool {
        self.get(card).is_some()
    }

    /// Stores `state` for `card`; the state it replaces, if any.
    pub fn insert(&mut self, card: &str, state: CardState) -> Option<CardState> {
        let old = match self.place(card) {
            Some(place) => self.states[place].replace(state),
            None => {
                let place = self.ends.len();
                if place > 0 {
                    self.ids.push(' ');
                }
                self.ids.push_str(card);
                self.ends.push(self.ids.len());
                self.states.push(Some(state));
                let (ids, ends, hasher) = (&self.ids, &self.ends, &self.hasher);
                self.places
                    .insert_unique(hasher.hash_one(card), place, |&p| {
                        hasher.hash_one(listed(ids, ends, p))
                    });
                None
            }
        };
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    /// Removes the state of `card`; the state removed, if any. The id stays listed.
    pub fn remove(&mut self, card: &str) -> Option<CardState> {
        let place = self.place(card)?;
        let old = self.states[place].take();
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

    /// Every card with a state, in the order listed.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &CardState)> {
        self.states
            .iter()
            .enumerate()
            .filter_map(|(place, state)| Some((self.id(place), state.as_ref()?)))
    }

    /// The ids of the cards with a state, in the order listed.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(card, _)| card)
    }

    /// A cursor for looking up a deck's cards in the deck's order.
    pub fn walk(&self) -> Walk<'_> {
        Walk {
            cards: self,
            next: 0,
        }
    }

    /// Lists the cards with a state in `order` first (the deck's cards), then the others
    /// (cards no longer in the deck) as they were, dropping ids without a state; so
    /// that the next [`DeckCards::walk`] in that order finds every card at the next place.
    pub fn arrange<'a>(&mut self, order: impl IntoIterator<Item = &'a str>) {
        let mut taken = vec![false; self.ends.len()];
        let mut arranged = DeckCards::with_capacity(self.len);
        for card in order {
            if let Some(place) = self.place(card) {
                if let Some(state) = self.states[place].filter(|_| !taken[place]) {
                    taken[place] = true;
                    arranged.insert(card, state);
                }
            }
        }
        for (place, state) in self.states.iter().enumerate() {
            if let (Some(state), false) = (state, taken[place]) {
                arranged.insert(self.id(place), *state);
            }
        }
        arranged.arranged = arranged.ends.len();
        *self = arranged;
    }
}

/// The id at `place` of the ids in `ids`, ending at `ends`, one byte apart.
fn listed<'a>(ids: &'a str, ends: &[usize], place: usize) -> &'a str {
    let start = if place == 0 { 0 } else { ends[place - 1] + 1 };
    &ids[start..ends[place]]
}

/// Looks up a deck's cards one by one in the deck's order: each id is first compared
/// with the one listed after the last found, and looked up only when it differs (a new
/// card, one answered since the cards were listed, or a deck changed since).
#[derive(Debug)]
pub struct Walk<'a> {
    cards: &'a DeckCards,
    next: usize,
}

impl<'a> Walk<'a> {
    /// The state of `card`.
    pub fn find(&mut self, card: &str) -> Option<&'a CardState> {
        let cards = self.cards;
        if self.next < cards.ends.len() && cards.id(self.next) == card {
            self.next += 1;
            return cards.states[self.next - 1].as_ref();
        }
        let place = cards.place(card)?;
        // Found further on among the cards listed in order: the ones passed over have
        // left the deck or moved, and the walk goes on from here. A card listed
        // earlier, or since, leaves the walk where it was.
        if place >= self.next && place < cards.arranged {
            self.next = place + 1;
        }
        cards.states[place].as_ref()
    }
}

impl std::fmt::Debug for DeckCards {
    /// As the map it stands for: the listing, table and seed are how, not what.
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl PartialEq for DeckCards {
    /// The same cards with the same states, whatever the order listed.
    fn eq(&self, other: &DeckCards) -> bool {
        self.len == other.len
            && self
                .iter()
                .all(|(card, state)| other.get(card) == Some(state))
    }
}

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
    pub fn insert(&mut self, key: String, state: CardState) -> Option<CardState> {
        let old = match key.split_once('/') {
            Some((deck, card)) => {
                let cards = match self.decks.get_mut(deck) {
                    Some(cards) => cards,
                    None => self.decks.entry(deck.to_owned()).or_default(),
                };
                cards.insert(card, state)
            }
            None => self.other.insert(&key, state),
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

    /// Lists the states of `deck` in `order` (its cards' ids), for faster walks through it
    /// in that order; see [`DeckCards::arrange`].
    pub fn arrange<'a>(&mut self, deck: &str, order: impl IntoIterator<Item = &'a str>) {
        if let Some(cards) = self.decks.get_mut(deck) {
            cards.arrange(order);
        }
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
            for (card, state) in cards.iter() {
                table.insert(card, *state);
            }
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
                .map(move |(card, state)| (Some(deck.as_str()), card, state))
        });
        let other = self.other.iter().map(|(key, state)| (None, key, state));
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
            for (card, state) in cards.iter() {
                map.serialize_entry(&Key(Some(deck), card), state)?;
            }
        }
        for (key, state) in self.other.iter() {
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

    proptest::proptest! {
        /// However the states are listed (in deck order, shuffled, with cards answered
        /// since or gone from the deck), walking a deck gives each card its own state.
        #[test]
        fn a_walk_finds_what_a_lookup_finds(
            deck in proptest::collection::vec(0u8..60, 0..40),
            listed in proptest::collection::vec((0u8..80, 0u32..5), 0..50),
            later in proptest::collection::vec((0u8..80, 0u32..5), 0..10),
            arrange_first in proptest::bool::ANY,
            removed in proptest::collection::vec(0u8..80, 0..5),
        ) {
            let id = |n: u8| format!("c{n}");
            let mut deck: Vec<String> = deck.into_iter().map(id).collect();
            deck.dedup();
            let mut seen = std::collections::HashSet::new();
            deck.retain(|c| seen.insert(c.clone()));
            let mut cards = DeckCards::default();
            for (n, interval) in listed {
                cards.insert(&id(n), state(interval));
            }
            if arrange_first {
                cards.arrange(deck.iter().map(String::as_str));
            }
            for (n, interval) in later {
                cards.insert(&id(n), state(interval));
            }
            for n in removed {
                cards.remove(&id(n));
            }
            let mut walk = cards.walk();
            for card in &deck {
                proptest::prop_assert_eq!(walk.find(card), cards.get(card), "{}", card);
            }
            let before = cards.clone();
            cards.arrange(deck.iter().map(String::as_str));
            proptest::prop_assert_eq!(&cards, &before);
            // Arranged, the deck's cards with a state come first, in the deck's order.
            let in_deck: Vec<&str> = deck.iter().map(String::as_str).filter(|c| cards.contains_key(c)).collect();
            let first: Vec<&str> = cards.keys().take(in_deck.len()).collect();
            proptest::prop_assert_eq!(first, in_deck);
        }
    }

    #[test]
    fn a_listing_with_an_id_twice_is_refused() {
        let listing = |ids: &str| {
            let ends: Vec<usize> = ids
                .match_indices(' ')
                .map(|(i, _)| i)
                .chain([ids.len()])
                .collect();
            let states = vec![state(1); ends.len()];
            DeckCards::from_listing(ids.to_owned(), ends, states)
        };
        let cards = listing("a b ab").unwrap();
        assert_eq!(cards.keys().collect::<Vec<_>>(), ["a", "b", "ab"]);
        assert_eq!(cards.get("ab"), Some(&state(1)));
        assert_eq!(listing("a b a").unwrap_err(), Duplicate("a".into()));
    }
}
