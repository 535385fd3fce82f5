//! What a valid deck is: the deck, its cards and its outline.

use super::*;
use crate::render::text::neutralized_growth;
use serde::{Deserialize, Serialize};

/// What scheduling needs of a deck, without its card text: ids, title, description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outline {
    /// The deck id.
    pub id: Id,
    /// Human title.
    pub title: String,
    /// What the deck teaches.
    pub description: String,
    /// Card ids in deck order.
    pub cards: CardIds,
}

/// A valid deck.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deck {
    /// Always [`FORMAT_VERSION`] once parsed.
    pub format_version: u32,
    /// The deck id; also the user deck's file name.
    pub id: Id,
    /// Human title.
    pub title: String,
    /// What the deck teaches.
    pub description: String,
    /// Who wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The deck's own version, free text such as "1.2.0".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Cards in the order new ones are introduced.
    pub cards: Vec<Card>,
}

/// A valid card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    /// Unique within the deck; progress is keyed on `deck-id/card-id`.
    pub id: Id,
    /// The question or prompt.
    pub front: String,
    /// The answer.
    pub back: String,
    /// Free labels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Where the fact comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The Anki note the card came from (its guid), kept so that a card re-worded in Anki
    /// is still known on the next import, and an export back to Anki updates that note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
}

impl Deck {
    /// The deck without its card text.
    pub fn outline(&self) -> Outline {
        Outline {
            id: self.id.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            cards: self.cards.iter().map(|c| &c.id).collect(),
        }
    }

    /// True when `outline` is this deck's outline.
    pub fn has_outline(&self, outline: &Outline) -> bool {
        self.id == outline.id
            && self.title == outline.title
            && self.description == outline.description
            && self.cards.len() == outline.cards.len()
            && self
                .cards
                .iter()
                .zip(&outline.cards)
                .all(|(c, id)| c.id.as_str() == id)
    }

    /// A new empty deck, as `prepdeck add` creates it.
    pub fn new(id: Id, title: String, description: String) -> Deck {
        Deck {
            format_version: FORMAT_VERSION,
            id,
            title,
            description,
            author: None,
            version: None,
            cards: Vec::new(),
        }
    }

    /// The deck as pretty JSON, the way prepdeck writes deck files: direction marks
    /// written as `\u200f`-style escapes, so that no invisible mark sits in the file.
    pub fn to_json(&self) -> String {
        let pretty = serde_json::to_string_pretty(self).unwrap_or_default();
        let mut text = crate::render::text::neutralize_json(pretty);
        text.push('\n');
        text
    }

    /// The length in bytes of [`Deck::to_json`], without building the text: `check` and
    /// `import` weigh every deck against the limit, and writing a 5 MB deck only to
    /// measure it was a third of `check`.
    pub fn written_len(&self) -> usize {
        use std::io::Write as _;
        let mut measure = WrittenLen::default();
        // Buffered: serde_json writes token by token, and looking at each piece alone
        // cost more than writing the text out. Writing to a counter cannot fail; a
        // serializer error would fail `to_json` too (it writes nothing then), and a deck
        // measured as 0 is within the limit.
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut measure);
        if serde_json::to_writer_pretty(&mut buffered, self).is_err() || buffered.flush().is_err() {
            return 0;
        }
        drop(buffered);
        measure.bytes + measure.growth + "\n".len()
    }

    /// [`Deck::to_json`], refused (with the size and the limit) when it is larger than
    /// [`MAX_DECK_BYTES`]: what every writer of a deck file writes.
    pub fn to_json_within_limit(&self) -> Result<String, String> {
        let text = self.to_json();
        match written_size_problem(text.len()) {
            Some(problem) => Err(problem),
            None => Ok(text),
        }
    }

    /// Every problem with the deck's content (ids, empty or unsafe text, duplicates).
    pub fn problems(&self) -> Vec<Problem> {
        validate_raw(&RawDeck::from(self))
    }

    /// The problems that make the deck invalid, as messages; empty when it is valid.
    pub fn errors(&self) -> Vec<String> {
        self.problems()
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| p.to_string())
            .collect()
    }
}

/// Counts the bytes written to it, and how much [`neutralized_growth`] adds to them.
#[derive(Default)]
struct WrittenLen {
    bytes: usize,
    growth: usize,
    /// The start of a character cut off at the end of the last write (serde_json writes
    /// whole characters, but `Write` does not promise it).
    pending: Vec<u8>,
}

impl std::io::Write for WrittenLen {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len();
        if self.pending.is_empty() && buf.is_ascii() {
            self.growth += std::str::from_utf8(buf).map_or(0, neutralized_growth);
            return Ok(buf.len());
        }
        let joined;
        let text = if self.pending.is_empty() {
            buf
        } else {
            joined = [std::mem::take(&mut self.pending).as_slice(), buf].concat();
            &joined[..]
        };
        let whole = match std::str::from_utf8(text) {
            Ok(whole) => whole,
            Err(cut) => {
                let (whole, rest) = text.split_at(cut.valid_up_to());
                self.pending = rest.to_vec();
                std::str::from_utf8(whole).unwrap_or_default()
            }
        };
        self.growth += neutralized_growth(whole);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    #[test]
    fn a_character_cut_between_two_writes_is_measured_whole() {
        let mut measure = WrittenLen::default();
        // U+200F, a direction mark written as `\u200f`: three bytes that become six.
        measure.write_all(b"\"a\xe2\x80").unwrap();
        measure.write_all(b"\x8f\"").unwrap();
        assert_eq!((measure.bytes, measure.growth), (6, 3));
        assert!(measure.pending.is_empty());
    }

    /// Text with what `to_json` escapes: controls, bidi controls, direction marks, a tag
    /// character past U+FFFF (escaped with five hex digits), and plain text around them.
    fn awkward_text() -> impl Strategy<Value = String> {
        "([a-z ]{0,12}|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{200e}\u{200f}\u{61c}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{feff}\u{2028}\u{2029}\u{e0001}é“”\"\\\\]){0,12}"
    }

    proptest! {
        #[test]
        fn the_written_length_is_the_length_of_what_is_written(
            title in awkward_text(),
            sides in proptest::collection::vec((awkward_text(), awkward_text(), proptest::option::of(awkward_text())), 0..8),
            tags in proptest::collection::vec(awkward_text(), 0..3),
        ) {
            let mut deck = Deck::new(Id::parse("d").unwrap(), title, "description".into());
            for (i, (front, back, source)) in sides.into_iter().enumerate() {
                deck.cards.push(Card {
                    id: Id::parse(&format!("c{i}")).unwrap(),
                    front,
                    back,
                    tags: tags.clone(),
                    source,
                    guid: None,
                });
            }
            prop_assert_eq!(deck.written_len(), deck.to_json().len());
        }
    }
}
