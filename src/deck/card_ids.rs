//! [`CardIds`]: a deck's card ids in deck order, held end to end in one string.

use super::Id;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// A deck's card ids in deck order, one space between each two, with where each ends.
///
/// An outline keeps the ids of every card of a deck, and every start reads the outlines
/// of all user decks from the deck index: at 100,000 cards, one string per id was
/// 100,000 allocations and a fifth of the time to the first card. Valid ids hold no
/// space, so the ids joined by spaces are also how the deck index stores them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CardIds {
    /// The ids, a space between each two.
    text: String,
    /// Where each id ends in `text`; the next starts one byte later.
    ends: Vec<u32>,
}

impl CardIds {
    /// How many ids.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The id at `index` in deck order.
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1] as usize + 1,
        };
        Some(&self.text[start..end])
    }

    /// The id at `index` as an [`Id`] of its own (each was checked as one when added).
    pub fn id(&self, index: usize) -> Option<Id> {
        self.get(index).map(|id| Id(id.to_owned()))
    }

    /// The ids in deck order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            ids: self,
            next: 0,
            end: self.len(),
        }
    }

    /// Adds `id` after the others.
    pub fn push(&mut self, id: &Id) {
        if !self.ends.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(id.as_str());
        // A deck is at most 16 MiB (`MAX_DECK_BYTES`), so its ids are far below 4 GiB.
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    /// The ids of `text` (ids joined by single spaces), each checked as [`Id::parse`]
    /// checks one; what is wrong with the first that is not an id otherwise.
    pub fn parse(text: &str) -> Result<CardIds, String> {
        CardIds::from_text(text.to_owned())
    }

    /// [`CardIds::parse`], keeping `text` as it is.
    fn from_text(text: String) -> Result<CardIds, String> {
        if u32::try_from(text.len()).is_err() {
            return Err(format!("{} bytes of card ids are too many", text.len()));
        }
        match quick_ends(&text) {
            Some(ends) => Ok(CardIds { text, ends }),
            // Something is wrong: found again id by id, to say what as `Id::parse` does.
            None => {
                for id in text.split(' ') {
                    Id::check(id)?;
                }
                Err("the card ids are not separated by single spaces".to_owned())
            }
        }
    }
}

/// Where each id of `text` ends, when `text` is valid ids joined by single spaces (or
/// empty); `None` otherwise.
///
/// The rules of [`Id::check`] for a whole deck at once: which bytes may appear is one
/// pass over the text (vectorized, as in `Id::check`), and the spaces are found with
/// `memchr`; only each id's length and first byte are looked at one by one. Taking the
/// ids one at a time through `Id::check` was most of the time to read the deck index.
fn quick_ends(text: &str) -> Option<Vec<u32>> {
    let bytes = text.as_bytes();
    let allowed = bytes.iter().fold(true, |ok, &b| {
        ok & (b.is_ascii_lowercase() | b.is_ascii_digit() | (b == b'-') | (b == b' '))
    });
    if !allowed {
        return None;
    }
    let mut ends = Vec::with_capacity(bytes.len() / 16 + 1);
    if bytes.is_empty() {
        return Some(ends);
    }
    let mut start = 0;
    let spaces = memchr::memchr_iter(b' ', bytes).chain([bytes.len()]);
    for end in spaces {
        let id = &bytes[start..end];
        // The bytes are ASCII, so a length in bytes is one in characters.
        if id.is_empty() || id.len() > super::MAX_ID_LEN || id[0] == b'-' {
            return None;
        }
        ends.push(end as u32);
        start = end + 1;
    }
    Some(ends)
}

impl<'a> FromIterator<&'a Id> for CardIds {
    fn from_iter<I: IntoIterator<Item = &'a Id>>(ids: I) -> CardIds {
        let mut all = CardIds::default();
        for id in ids {
            all.push(id);
        }
        all
    }
}

impl FromIterator<Id> for CardIds {
    fn from_iter<I: IntoIterator<Item = Id>>(ids: I) -> CardIds {
        let mut all = CardIds::default();
        for id in ids {
            all.push(&id);
        }
        all
    }
}

impl fmt::Debug for CardIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The ids of a [`CardIds`] in order.
#[derive(Clone)]
pub struct Iter<'a> {
    ids: &'a CardIds,
    next: usize,
    end: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.next == self.end {
            return None;
        }
        self.next += 1;
        self.ids.get(self.next - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.end - self.next, Some(self.end - self.next))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.next == self.end {
            return None;
        }
        self.end -= 1;
        self.ids.get(self.end)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a CardIds {
    type Item = &'a str;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Written as the one string it is held as.
impl Serialize for CardIds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for CardIds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CardIds, D::Error> {
        struct Joined;
        impl Visitor<'_> for Joined {
            type Value = CardIds;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("card ids separated by single spaces")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<CardIds, E> {
                CardIds::parse(text).map_err(E::custom)
            }
            fn visit_string<E: de::Error>(self, text: String) -> Result<CardIds, E> {
                CardIds::from_text(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Joined)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ids(names: &[&str]) -> Vec<Id> {
        names.iter().map(|n| Id::parse(n).unwrap()).collect()
    }

    #[test]
    fn ids_come_back_in_order_by_index_and_from_either_end() {
        let all: CardIds = ids(&["a", "bb-2", "c"]).iter().collect();
        assert_eq!(all.len(), 3);
        assert_eq!(all.get(0), Some("a"));
        assert_eq!(all.get(1), Some("bb-2"));
        assert_eq!(all.get(2), Some("c"));
        assert_eq!(all.get(3), None);
        assert_eq!(all.iter().collect::<Vec<_>>(), ["a", "bb-2", "c"]);
        assert_eq!(all.iter().rev().collect::<Vec<_>>(), ["c", "bb-2", "a"]);
        assert_eq!(all.iter().len(), 3);
        assert!(CardIds::default().is_empty());
        assert_eq!(CardIds::default().iter().next(), None);
    }

    #[test]
    fn ids_are_written_as_one_string_and_read_back() {
        let all: CardIds = ids(&["star-1", "star-2"]).iter().collect();
        let json = serde_json::to_string(&all).unwrap();
        assert_eq!(json, r#""star-1 star-2""#);
        assert_eq!(serde_json::from_str::<CardIds>(&json).unwrap(), all);
        let none = serde_json::from_str::<CardIds>(r#""""#).unwrap();
        assert!(none.is_empty());
    }

    #[test]
    fn text_that_is_not_ids_joined_by_single_spaces_is_refused() {
        for (text, why) in [
            (r#""a  b""#, "empty"),
            (r#"" a""#, "empty"),
            (r#""a ""#, "empty"),
            (r#""a B""#, "lowercase"),
            (r#""a -b""#, "must start"),
            (r#""a\tb""#, "lowercase"),
            (r#"["a","b"]"#, "card ids separated by single spaces"),
        ] {
            let error = serde_json::from_str::<CardIds>(text)
                .unwrap_err()
                .to_string();
            assert!(error.contains(why), "{text}: {error}");
        }
        let long = format!(r#""a {}""#, "x".repeat(crate::deck::MAX_ID_LEN + 1));
        let error = serde_json::from_str::<CardIds>(&long)
            .unwrap_err()
            .to_string();
        assert!(error.contains("longer than"), "{error}");
    }

    proptest! {
        #[test]
        fn any_valid_ids_round_trip(names in proptest::collection::vec("[a-z0-9][a-z0-9-]{0,20}", 0..40)) {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let all: CardIds = ids(&names).iter().collect();
            prop_assert_eq!(all.iter().collect::<Vec<_>>(), names.clone());
            let back: CardIds = serde_json::from_str(&serde_json::to_string(&all).unwrap()).unwrap();
            prop_assert_eq!(back.iter().collect::<Vec<_>>(), names);
            prop_assert_eq!(back, all);
        }
    }
}
