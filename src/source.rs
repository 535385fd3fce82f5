//! Deck files in any accepted format, read the same way by `check` and `import`.

use crate::deck::text::{self as text_deck, Format, Target};
use crate::deck::{self, DeckError, Id, Parsed, Place, Problem, Severity};
use serde::Serialize;
use std::path::Path;

/// A deck file read and validated.
#[derive(Debug, Clone)]
pub struct Read {
    /// The deck and its warnings.
    pub parsed: Parsed,
    /// JSON or text.
    pub format: Format,
    /// Card ids came from the file (always for JSON; for text only with an id column).
    pub ids_given: bool,
    /// Text rows left out because prepdeck cannot use them (see the warnings).
    pub skipped: usize,
}

/// Parses `bytes` read from `path` as the format it is in; a text file is read into
/// `target` (its id, title and the installed version).
///
/// A deck that would be larger than the limit once written is an error here, so that
/// `check` and `import` give the same verdict (a compact JSON file or a TSV file grows
/// when written as prepdeck's pretty JSON).
pub fn parse(path: &Path, bytes: &[u8], target: &Target<'_>) -> Result<Read, DeckError> {
    let read = parse_as_given(path, bytes, target)?;
    if let Some(problem) = deck::written_size_problem(read.parsed.deck.written_len()) {
        return Err(DeckError {
            origin: path.display().to_string(),
            problems: vec![Problem::error(Place::File, problem)],
            is_file: true,
        });
    }
    Ok(read)
}

fn parse_as_given(path: &Path, bytes: &[u8], target: &Target<'_>) -> Result<Read, DeckError> {
    let origin = path.display().to_string();
    match text_deck::detect(path, bytes) {
        Format::Json => deck::parse(bytes, &origin).map(|parsed| Read {
            parsed,
            format: Format::Json,
            ids_given: true,
            skipped: 0,
        }),
        Format::Text => {
            let extension = path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            text_deck::parse(bytes, &origin, extension.as_deref(), target).map(|read| Read {
                parsed: read.parsed,
                format: Format::Text,
                ids_given: read.ids_given,
                skipped: read.skipped,
            })
        }
    }
}

/// `text` without control characters, newlines or tabs, trimmed, at most `max` characters:
/// fit for a title or description made from a file name.
pub fn clean(text: &str, max: usize) -> String {
    let kept: String = text
        .chars()
        .filter(|&c| !crate::render::text::is_unsafe_char(c) && c != '\n' && c != '\t')
        .take(max)
        .collect();
    kept.trim().to_owned()
}

/// A deck title from a file name: the name without extension, cleaned, else `fallback`.
pub fn title_from_file_name(path: &Path, fallback: &Id) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let title = clean(&stem, deck::MAX_FIELD_CHARS);
    if title.is_empty() {
        fallback.to_string()
    } else {
        title
    }
}

/// The findings about one file, as `prepdeck check` reports them.
#[derive(Debug, Clone, Serialize)]
pub struct FileCheck {
    /// The file as given.
    pub file: String,
    /// `json` or `text`; `null` when the file could not be read.
    pub format: Option<&'static str>,
    /// Cards in the deck; `null` when it has errors.
    pub cards: Option<usize>,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Every finding, in file order.
    #[serde(skip)]
    pub problems: Vec<Problem>,
}

/// Checks the file at `path` whose reading gave `bytes`.
pub fn check(path: &Path, bytes: Result<Vec<u8>, crate::error::Error>) -> FileCheck {
    let file = path.display().to_string();
    let (format, cards, problems) = match bytes {
        Err(e) => (None, None, vec![Problem::error(Place::File, e.to_string())]),
        Ok(bytes) => {
            let mut problems = Vec::new();
            let format = text_deck::detect(path, &bytes);
            let id = match text_deck::deck_id_from_file_name(path) {
                Ok(id) => id,
                Err(why) => {
                    if format == Format::Text {
                        problems.push(Problem::warning(Place::File, why));
                    }
                    deck::slug("deck", |_| false)
                }
            };
            let target = Target {
                title: title_from_file_name(path, &id),
                id,
                description: String::new(),
                author: None,
                version: None,
                existing: None,
            };
            match parse(path, &bytes, &target) {
                Ok(read) => {
                    let cards = read.parsed.deck.cards.len();
                    // A card `import` would skip is broken all the same: a linter says so.
                    problems.extend(read.parsed.warnings.into_iter().map(|mut p| {
                        if let Some(why) = p.message.strip_prefix("skipped: ") {
                            p.message = format!("{why} (import skips this card)");
                            p.severity = Severity::Error;
                        }
                        p
                    }));
                    (Some(format.label()), Some(cards), problems)
                }
                Err(e) => {
                    problems.extend(e.problems);
                    (Some(format.label()), None, problems)
                }
            }
        }
    };
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    FileCheck {
        file,
        format,
        cards,
        errors,
        warnings: problems.len() - errors,
        problems,
    }
}
