//! Findings about a deck file and where they are.

use serde::Serialize;
use std::fmt;

/// How bad a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The deck cannot be used.
    Error,
    /// The deck works but a coach would want to know.
    Warning,
}

/// Where in a deck file a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Place {
    /// The file as a whole (size, encoding).
    File,
    /// A position in the JSON text, 1-based.
    Position {
        /// Line number.
        line: usize,
        /// Column number.
        column: usize,
    },
    /// A deck-level field.
    Deck {
        /// The field name.
        field: String,
    },
    /// A card, by 1-based index and id.
    Card {
        /// 1-based position in `cards`.
        index: usize,
        /// The card's id as written; empty when it is missing or not text.
        id: String,
    },
    /// A card read from a line of a text (TSV/CSV) file.
    Line {
        /// 1-based line where the card's row starts.
        line: usize,
        /// The card id, as given or made from the front.
        id: String,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File => f.write_str("file"),
            Place::Position { line, column } => write!(f, "line {line}, column {column}"),
            Place::Deck { field } => write!(f, "deck field {field:?}"),
            // A card whose id is missing or not text is known by its position alone.
            Place::Card { index, id } if id.is_empty() => write!(f, "card {index}"),
            Place::Card { index, id } => write!(
                f,
                "card {index} ({:?})",
                crate::render::text::truncate(id, 40)
            ),
            Place::Line { line, id } => write!(
                f,
                "line {line} (card {:?})",
                crate::render::text::truncate(id, 40)
            ),
        }
    }
}

/// One finding about a deck file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// Where it is.
    pub place: Place,
    /// What is wrong and what to do.
    pub message: String,
}

impl Problem {
    /// An error at `place`.
    pub fn error(place: Place, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            place,
            message: message.into(),
        }
    }

    /// A warning at `place`.
    pub fn warning(place: Place, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            place,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {label}: {}", self.place, self.message)
    }
}

/// A deck file that cannot be used, with every problem found in it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeckError {
    /// The file, or `built-in deck ID`.
    pub origin: String,
    /// Every finding, errors and warnings.
    pub problems: Vec<Problem>,
    /// Whether `origin` is a file that `prepdeck check` can read (not a built-in deck).
    pub is_file: bool,
}

impl fmt::Display for DeckError {
    /// One line, wherever it is shown: the first error and how to see them all.
    /// `prepdeck check` is the place that lists every problem, one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors: Vec<&Problem> = self
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .collect();
        write!(f, "deck {} is not valid", self.origin)?;
        if let Some(first) = errors.first() {
            let message = crate::render::text::one_line(&first.message);
            match errors.len() {
                1 => write!(f, ": {}: {message}", first.place)?,
                n => write!(f, ": {n} errors, the first at {}: {message}", first.place)?,
            }
        }
        // Built-in decks are checked by the test suite; there is no file to check.
        if self.is_file {
            let file = crate::render::text::shell_word(&self.origin);
            match errors.len() {
                0 | 1 => write!(f, "; fix it, then `prepdeck check {file}` confirms")?,
                _ => write!(f, "; `prepdeck check {file}` lists them all")?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for DeckError {}
