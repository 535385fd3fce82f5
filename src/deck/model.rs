//! What a valid deck is: the deck, its cards and its outline.

use super::*;
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
