//! The deck file format: parsing, validation and ids (see docs/deck-format.md).

use crate::render::text::first_unsafe_char;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The deck format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;
/// Deck files larger than this are refused before parsing (16 MiB).
pub const MAX_DECK_BYTES: u64 = 16 * 1024 * 1024;
/// Longest id for a deck or a card; deck ids are also file names.
pub const MAX_ID_LEN: usize = 64;
/// Longest front or back, in characters.
pub const MAX_SIDE_CHARS: usize = 10_000;
/// Longest title, description, author, version, tag or source, in characters.
pub const MAX_FIELD_CHARS: usize = 1_000;
/// A back longer than this many words is a warning: it is hard to recall out loud.
pub const LONG_BACK_WORDS: usize = 80;

/// A validated deck or card id: lowercase ASCII letters, digits and `-`, 1 to 64 long,
/// starting with a letter or digit. Safe to use as a file name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    /// Validates `text` as an id; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Id, String> {
        Id::check(text)?;
        Ok(Id(text.to_owned()))
    }

    /// [`Id::parse`] without keeping the id: validation checks every card's id on
    /// every start and needs no copy of it.
    fn check(text: &str) -> Result<(), String> {
        let shown = || crate::render::text::truncate(text, 40);
        if text.is_empty() {
            return Err("the id is empty".into());
        }
        // A character is at least one byte, so only a long text can have too many.
        if text.len() > MAX_ID_LEN && text.chars().count() > MAX_ID_LEN {
            return Err(format!(
                "id {:?} is longer than {MAX_ID_LEN} characters",
                shown()
            ));
        }
        // `fold` with `&` rather than `all` with `||`: no early exit, so the compiler
        // tests a vector register of bytes per step. Every card id is checked on every
        // start, and nearly all are valid.
        let allowed = text.bytes().fold(true, |ok, b| {
            ok & (b.is_ascii_lowercase() | b.is_ascii_digit() | (b == b'-'))
        });
        if !allowed {
            return Err(format!(
                "id {:?} may only contain lowercase letters a-z, digits and '-'",
                shown()
            ));
        }
        if text.starts_with('-') {
            return Err(format!(
                "id {:?} must start with a letter or digit",
                shown()
            ));
        }
        Ok(())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// Ids read back from prepdeck's own cache files are checked like any other: a cache
// can be damaged, and an id becomes a file name.
impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Id, D::Error> {
        let text = String::deserialize(deserializer)?;
        Id::check(&text).map_err(serde::de::Error::custom)?;
        Ok(Id(text))
    }
}

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
    pub cards: Vec<Id>,
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
}

impl Deck {
    /// The deck without its card text.
    pub fn outline(&self) -> Outline {
        Outline {
            id: self.id.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            cards: self.cards.iter().map(|c| c.id.clone()).collect(),
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
                .all(|(c, id)| c.id == *id)
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

    /// The deck as pretty JSON, the way prepdeck writes deck files.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Every problem with the deck's content (ids, empty or unsafe text, duplicates).
    pub fn problems(&self) -> Vec<Problem> {
        validate(&RawDeck::from(self))
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
        /// The card's id as written, if any.
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
        if !self.origin.starts_with("built-in ") {
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

/// A parsed and validated deck plus the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The deck.
    pub deck: Deck,
    /// Findings that do not stop the deck from being used.
    pub warnings: Vec<Problem>,
}

/// Reads and validates the deck file at `path`, refusing non-files and files over the limit.
pub fn load(path: &Path) -> Result<Parsed, crate::error::Error> {
    let bytes = read_bounded(path, MAX_DECK_BYTES)?;
    Ok(parse(&bytes, &path.display().to_string())?)
}

/// Reads at most `limit` bytes of a regular file; larger files and non-files are errors.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, crate::error::Error> {
    use crate::error::Error;
    let meta = std::fs::metadata(path).map_err(|e| Error::io("read", path, e))?;
    if !meta.is_file() {
        return Err(Error::Invalid(format!(
            "{} is not a regular file; give the path of a deck file",
            path.display()
        )));
    }
    let too_big = || {
        Error::Invalid(format!(
            "{} is larger than the {} MiB limit for a deck file; split it into smaller decks",
            path.display(),
            limit / (1024 * 1024)
        ))
    };
    if meta.len() > limit {
        return Err(too_big());
    }
    let file = File::open(path).map_err(|e| Error::io("open", path, e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Parses and validates deck JSON; `origin` names the file in messages.
pub fn parse(bytes: &[u8], origin: &str) -> Result<Parsed, DeckError> {
    let fail = |problems: Vec<Problem>| DeckError {
        origin: origin.to_owned(),
        problems,
    };
    if bytes.len() as u64 > MAX_DECK_BYTES {
        return Err(fail(vec![Problem::error(
            Place::File,
            format!(
                "the file is larger than the {} MiB limit; split it into smaller decks",
                MAX_DECK_BYTES / (1024 * 1024)
            ),
        )]));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let (line, column) = line_column(&bytes[..e.valid_up_to()]);
            return Err(fail(vec![Problem::error(
                Place::Position { line, column },
                "the file is not valid UTF-8; save it as UTF-8",
            )]));
        }
    };
    // Editors on some systems add a byte-order mark; it carries no meaning here.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    // One pass over the text when the deck parses. Only when it does not is the version
    // read on its own, so that a deck from a newer prepdeck is named as such rather than
    // failing on fields this build does not know; the outcome is the same as reading the
    // version first, which doubled the work on every valid deck.
    let raw = match serde_json::from_str::<RawDeck>(text) {
        Ok(raw) => {
            let version = raw.format_version;
            check_version(Some(version)).map_err(|p| fail(vec![p]))?;
            raw
        }
        Err(e) => {
            let probe: Probe =
                serde_json::from_str(text).map_err(|e| fail(vec![syntax_problem(&e)]))?;
            check_version(probe.format_version).map_err(|p| fail(vec![p]))?;
            return Err(fail(vec![syntax_problem(&e)]));
        }
    };
    build(raw, origin)
}

/// Validates a deck read from any format; the deck when it has no errors.
pub(crate) fn build(raw: RawDeck, origin: &str) -> Result<Parsed, DeckError> {
    let problems = validate(&raw);
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return Err(DeckError {
            origin: origin.to_owned(),
            problems,
        });
    }
    Ok(Parsed {
        deck: raw.into_deck(),
        warnings: problems,
    })
}

/// The version alone, for a file that does not parse as a deck of this version.
fn check_version(version: Option<u64>) -> Result<(), Problem> {
    match version {
        Some(v) if v == u64::from(FORMAT_VERSION) => Ok(()),
        Some(v) if v > u64::from(FORMAT_VERSION) => Err(Problem::error(
            Place::Deck { field: "format_version".into() },
            format!("format_version {v} is newer than this prepdeck reads ({FORMAT_VERSION}); upgrade prepdeck"),
        )),
        Some(v) => Err(Problem::error(
            Place::Deck { field: "format_version".into() },
            format!("format_version {v} is unknown; this prepdeck reads version {FORMAT_VERSION}"),
        )),
        None => Err(Problem::error(
            Place::Deck { field: "format_version".into() },
            format!("\"format_version\" is missing; add \"format_version\": {FORMAT_VERSION}"),
        )),
    }
}

/// Only the version, so a newer file is named as such rather than failing on fields
/// this build does not know.
#[derive(Deserialize)]
struct Probe {
    format_version: Option<u64>,
}

/// The deck as written in the file, before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDeck {
    pub(crate) format_version: u64,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) author: Option<String>,
    #[serde(default)]
    pub(crate) version: Option<String>,
    pub(crate) cards: Vec<RawCard>,
}

/// A card as written in a file, before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCard {
    pub(crate) id: String,
    pub(crate) front: String,
    pub(crate) back: String,
    #[serde(default)]
    pub(crate) tags: Vec<String>,
    #[serde(default)]
    pub(crate) source: Option<String>,
}

impl From<&Deck> for RawDeck {
    fn from(deck: &Deck) -> RawDeck {
        RawDeck {
            format_version: u64::from(deck.format_version),
            id: deck.id.0.clone(),
            title: deck.title.clone(),
            description: deck.description.clone(),
            author: deck.author.clone(),
            version: deck.version.clone(),
            cards: deck
                .cards
                .iter()
                .map(|c| RawCard {
                    id: c.id.0.clone(),
                    front: c.front.clone(),
                    back: c.back.clone(),
                    tags: c.tags.clone(),
                    source: c.source.clone(),
                })
                .collect(),
        }
    }
}

impl RawDeck {
    /// Only called after [`validate`] found no errors.
    fn into_deck(self) -> Deck {
        Deck {
            format_version: FORMAT_VERSION,
            id: Id(self.id),
            title: self.title,
            description: self.description,
            author: self.author,
            version: self.version,
            cards: self
                .cards
                .into_iter()
                .map(|c| Card {
                    id: Id(c.id),
                    front: c.front,
                    back: c.back,
                    tags: c.tags,
                    source: c.source,
                })
                .collect(),
        }
    }
}

fn syntax_problem(e: &serde_json::Error) -> Problem {
    // serde_json appends " at line L column C"; the place says that already.
    let message = e.to_string();
    let message = match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message,
    };
    Problem::error(
        Place::Position {
            line: e.line(),
            column: e.column(),
        },
        format!("{message} (the deck format is described in docs/deck-format.md)"),
    )
}

/// 1-based line and column of the end of `prefix`.
pub(crate) fn line_column(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&prefix[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Normal form used to spot fronts that differ only in case, spacing or punctuation.
pub fn normalize_front(front: &str) -> String {
    let mut key = String::new();
    for c in front.chars() {
        if c.is_alphanumeric() {
            key.extend(c.to_lowercase());
        }
    }
    key
}

/// The bytes of [`normalize_front`] into a reused buffer.
fn normalize_front_into(front: &str, key: &mut Vec<u8>) {
    key.clear();
    if front.is_ascii() {
        // For ASCII the Unicode rules reduce to these, and skipping the per-character
        // case tables matters: this runs for every card on every start. A letter or
        // digit is lowercased by setting bit 0x20 (digits have it already).
        key.reserve(front.len());
        for b in front.bytes() {
            if b.is_ascii_alphanumeric() {
                key.push(b | 0x20);
            }
        }
        return;
    }
    let mut utf8 = [0; 4];
    for c in front.chars().filter(|c| c.is_alphanumeric()) {
        for lower in c.to_lowercase() {
            key.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
        }
    }
}

/// Words in `text`, as `split_whitespace` counts them.
fn word_count(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    // For ASCII, `char::is_whitespace` is exactly space and \t..=\r. A word starts at
    // a non-space byte that follows a space (or starts the text); each pair is tested
    // on its own. Pairs are counted in a byte per run of at most 255, so the compiler
    // tests a whole vector register of pairs per instruction (a usize count held it to
    // four pairs at a time); the runs' counts are added up in a usize.
    let space = |b: u8| (b == b' ') | (b.wrapping_sub(b'\t') < 5);
    let bytes = text.as_bytes();
    let Some((&first, rest)) = bytes.split_first() else {
        return 0;
    };
    let mut words = usize::from(!space(first));
    for (before, at) in bytes.chunks(255).zip(rest.chunks(255)) {
        let starts = before
            .iter()
            .zip(at)
            .fold(0u8, |n, (&b, &a)| n + u8::from(space(b) & !space(a)));
        words += usize::from(starts);
    }
    words
}

fn check_text(field: &str, text: &str, max: usize, required: bool) -> Option<String> {
    if required && text.trim().is_empty() {
        return Some(format!("{field} is empty"));
    }
    // A character is at least one byte, so only a long text can have too many.
    if text.len() > max && text.chars().count() > max {
        return Some(format!("{field} is longer than {max} characters"));
    }
    if let Some(c) = first_unsafe_char(text) {
        return Some(format!(
            "{field} contains the control character U+{:04X}; remove it (only newlines and tabs are allowed)",
            u32::from(c)
        ));
    }
    None
}

fn validate(raw: &RawDeck) -> Vec<Problem> {
    let mut problems = Vec::new();
    let deck_field = |field: &str| Place::Deck {
        field: field.into(),
    };
    if let Err(message) = Id::check(&raw.id) {
        problems.push(Problem::error(deck_field("id"), message));
    }
    let deck_texts = [
        ("title", Some(&raw.title), true),
        ("description", Some(&raw.description), false),
        ("author", raw.author.as_ref(), false),
        ("version", raw.version.as_ref(), false),
    ];
    for (field, value, required) in deck_texts {
        if let Some(message) =
            value.and_then(|text| check_text(field, text, MAX_FIELD_CHARS, required))
        {
            problems.push(Problem::error(deck_field(field), message));
        }
    }
    if raw.cards.is_empty() {
        problems.push(Problem::warning(
            deck_field("cards"),
            "the deck has no cards",
        ));
    }

    // foldhash, seeded per process, as for the progress map (see progress::CardMap).
    let mut ids: HashMap<&str, usize, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(raw.cards.len(), Default::default());
    let mut twins = Twins::new(&raw.cards);
    for (i, card) in raw.cards.iter().enumerate() {
        let index = i + 1;
        let place = || Place::Card {
            index,
            id: card.id.clone(),
        };
        match Id::check(&card.id) {
            Err(message) => problems.push(Problem::error(place(), message)),
            Ok(_) => {
                if let Some(first) = ids.insert(&card.id, index) {
                    problems.push(Problem::error(
                        place(),
                        format!("id {:?} is already used by card {first}; card ids must be unique in a deck", card.id),
                    ));
                }
            }
        }
        for (field, text) in [("front", &card.front), ("back", &card.back)] {
            if let Some(message) = check_text(field, text, MAX_SIDE_CHARS, true) {
                problems.push(Problem::error(place(), message));
            }
        }
        let twin = twins.earlier(i);
        if let Some(message) = card
            .source
            .as_ref()
            .and_then(|s| check_text("source", s, MAX_FIELD_CHARS, false))
        {
            problems.push(Problem::error(place(), message));
        }
        for tag in &card.tags {
            if tag.is_empty() || tag.chars().any(char::is_whitespace) {
                problems.push(Problem::error(
                    place(),
                    format!(
                        "tag {:?} is empty or contains spaces; use words joined by '-'",
                        tag
                    ),
                ));
            } else if let Some(message) = check_text("a tag", tag, MAX_ID_LEN, true) {
                problems.push(Problem::error(place(), message));
            }
        }
        if card.tags.is_empty() {
            problems.push(Problem::warning(place(), "the card has no tags"));
        }
        let words = word_count(&card.back);
        if words > LONG_BACK_WORDS {
            problems.push(Problem::warning(
                place(),
                format!("the back has {words} words; over {LONG_BACK_WORDS} is hard to recall out loud, consider splitting the card"),
            ));
        }
        if let Some(first) = twin {
            problems.push(Problem::warning(
                place(),
                format!("the front is nearly the same as card {first}'s"),
            ));
        }
    }
    problems
}

/// For each card, the 1-based index of the latest earlier card whose front has the same
/// [`normalize_front`] key (empty keys never match).
#[cfg(test)]
fn earlier_twins(cards: &[RawCard]) -> Vec<Option<usize>> {
    let mut twins = Twins::new(cards);
    (0..cards.len()).map(|i| twins.earlier(i)).collect()
}

/// Finds near-duplicate fronts card by card, so that `validate` normalises each front
/// while it is still in the cache from the other checks of that card.
///
/// Keys are compared by a hash first so that no key has to be kept: storing one String
/// per card cost an allocation and a free for every card on every start. Equal hashes
/// are confirmed by comparing the keys themselves; should two different keys ever share
/// a hash, every key so far goes into a plain map of keys, which decides from then on.
struct Twins<'c, H> {
    cards: &'c [RawCard],
    hash: H,
    /// Latest card (0-based) by key hash.
    latest: HashMap<u64, usize, foldhash::fast::RandomState>,
    /// Latest card (1-based) by key, once two keys shared a hash.
    by_key: Option<HashMap<Vec<u8>, usize>>,
    key: Vec<u8>,
    other: Vec<u8>,
}

impl<'c> Twins<'c, Box<dyn Fn(&[u8]) -> u64>> {
    fn new(cards: &'c [RawCard]) -> Self {
        use std::hash::BuildHasher;
        let hasher = foldhash::fast::RandomState::default();
        Twins::with_hash(cards, Box::new(move |key| hasher.hash_one(key)))
    }
}

impl<'c, H: Fn(&[u8]) -> u64> Twins<'c, H> {
    fn with_hash(cards: &'c [RawCard], hash: H) -> Self {
        Twins {
            cards,
            hash,
            latest: HashMap::with_capacity_and_hasher(cards.len(), Default::default()),
            by_key: None,
            key: Vec::new(),
            other: Vec::new(),
        }
    }

    /// The 1-based index of the latest card before card `i` (0-based) with the same
    /// key; to be called for every card in order.
    fn earlier(&mut self, i: usize) -> Option<usize> {
        normalize_front_into(&self.cards[i].front, &mut self.key);
        if self.key.is_empty() {
            return None;
        }
        if let Some(by_key) = &mut self.by_key {
            return by_key.insert(self.key.clone(), i + 1);
        }
        let previous = self.latest.insert((self.hash)(&self.key), i)?;
        normalize_front_into(&self.cards[previous].front, &mut self.other);
        if self.other == self.key {
            return Some(previous + 1);
        }
        let mut by_key = HashMap::with_capacity(self.cards.len());
        for (j, card) in self.cards[..i].iter().enumerate() {
            normalize_front_into(&card.front, &mut self.other);
            if !self.other.is_empty() {
                by_key.insert(self.other.clone(), j + 1);
            }
        }
        let twin = by_key.insert(self.key.clone(), i + 1);
        self.by_key = Some(by_key);
        twin
    }
}

/// [`earlier_twins`] keeping every key: exact whatever the hashes do.
#[cfg(test)]
fn earlier_twins_by_key(cards: &[RawCard]) -> Vec<Option<usize>> {
    let mut latest: HashMap<String, usize> = HashMap::with_capacity(cards.len());
    cards
        .iter()
        .enumerate()
        .map(|(i, card)| {
            let key = normalize_front(&card.front);
            if key.is_empty() {
                None
            } else {
                latest.insert(key, i + 1)
            }
        })
        .collect()
}

/// A card id made from `front`: lowercase ASCII words joined by `-`, at most 48
/// characters, made unique against `taken` by a numeric suffix.
pub fn slug(front: &str, taken: impl Fn(&str) -> bool) -> Id {
    let mut base = String::new();
    for word in front
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let word = word.to_ascii_lowercase();
        if !base.is_empty() && base.len() + 1 + word.len() > 48 {
            break;
        }
        if !base.is_empty() {
            base.push('-');
        }
        base.push_str(&word[..word.len().min(48)]);
    }
    if base.is_empty() {
        base.push_str("card");
    }
    let mut candidate = base.clone();
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Id(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck_json(cards: &str) -> String {
        format!(
            r#"{{"format_version": 1, "id": "demo", "title": "Demo", "description": "d",
            "cards": [{cards}]}}"#
        )
    }

    fn errors(result: Result<Parsed, DeckError>) -> Vec<Problem> {
        result
            .expect_err("the deck should be refused")
            .problems
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .collect()
    }

    #[test]
    fn a_valid_deck_parses_with_its_cards_in_order() {
        let text = deck_json(
            r#"{"id": "a", "front": "Q1", "back": "A1", "tags": ["t"]},
               {"id": "b", "front": "Q2", "back": "A2", "tags": ["t"], "source": "S"}"#,
        );
        let parsed = parse(text.as_bytes(), "demo.json").unwrap();
        assert_eq!(parsed.deck.id.as_str(), "demo");
        let ids: Vec<&str> = parsed.deck.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }

    #[test]
    fn ids_allow_only_lowercase_digits_and_dashes_up_to_64() {
        assert!(Id::parse("star-method-2").is_ok());
        for bad in ["", "Upper", "../x", "a/b", ".hidden", "-lead", "a b", "é"] {
            assert!(Id::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(Id::parse(&"a".repeat(64)).is_ok());
        assert!(Id::parse(&"a".repeat(65)).is_err());
    }

    #[test]
    fn every_problem_is_reported_with_card_index_and_id() {
        let text = deck_json(
            r#"{"id": "Bad Id", "front": "Q", "back": "A"},
               {"id": "x", "front": " ", "back": "A"},
               {"id": "x", "front": "Q3", "back": ""},
               {"id": "y", "front": "Q4\u001b[31m", "back": "A"}"#,
        );
        let found = errors(parse(text.as_bytes(), "demo.json"));
        let places: Vec<String> = found.iter().map(|p| p.place.to_string()).collect();
        assert_eq!(
            places,
            [
                "card 1 (\"Bad Id\")",
                "card 2 (\"x\")",
                "card 3 (\"x\")",
                "card 3 (\"x\")",
                "card 4 (\"y\")"
            ]
        );
        assert!(found[2].message.contains("already used by card 2"));
        assert!(found[3].message.contains("back is empty"));
        assert!(found[4].message.contains("U+001B"));
    }

    #[test]
    fn syntax_errors_give_line_and_column() {
        let text = "{\n  \"format_version\": 1,\n  \"id\": \"demo\",,\n}";
        let found = errors(parse(text.as_bytes(), "demo.json"));
        assert_eq!(found.len(), 1);
        assert!(
            matches!(found[0].place, Place::Position { line: 3, .. }),
            "{:?}",
            found[0]
        );
    }

    #[test]
    fn unknown_fields_are_errors_so_typos_are_caught() {
        let text = deck_json(r#"{"id": "a", "front": "Q", "bakc": "A"}"#);
        let found = errors(parse(text.as_bytes(), "demo.json"));
        assert!(found[0].message.contains("bakc"), "{:?}", found[0]);
    }

    #[test]
    fn a_newer_format_version_is_named_even_with_unknown_fields() {
        let text = r#"{"format_version": 2, "id": "demo", "shiny": true}"#;
        let found = errors(parse(text.as_bytes(), "demo.json"));
        assert!(found[0].message.contains("newer"), "{:?}", found[0]);
    }

    #[test]
    fn missing_format_version_says_what_to_add() {
        let found = errors(parse(br#"{"id": "demo"}"#, "demo.json"));
        assert!(found[0].message.contains("\"format_version\": 1"));
    }

    #[test]
    fn invalid_utf8_is_located() {
        let mut bytes = b"{\n\"id\": \"".to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe]);
        let found = errors(parse(&bytes, "demo.json"));
        assert_eq!(found[0].place, Place::Position { line: 2, column: 8 });
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let text = format!(
            "\u{feff}{}",
            deck_json(r#"{"id": "a", "front": "Q", "back": "A", "tags": ["t"]}"#)
        );
        assert!(parse(text.as_bytes(), "demo.json").is_ok());
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(text.as_bytes(), "deep.json").is_err());
    }

    #[test]
    fn near_duplicate_fronts_and_missing_tags_are_warnings() {
        let text = deck_json(
            r#"{"id": "a", "front": "What is STAR?", "back": "A"},
               {"id": "b", "front": "what is star", "back": "B", "tags": ["t"]}"#,
        );
        let parsed = parse(text.as_bytes(), "demo.json").unwrap();
        let messages: Vec<&str> = parsed.warnings.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the card has no tags",
                "the front is nearly the same as card 1's"
            ]
        );
    }

    /// The parse as it was before it went single-pass: the version read first, then the
    /// deck, each Unicode rule applied character by character.
    fn reference_parse(bytes: &[u8]) -> Result<Parsed, DeckError> {
        let fail = |problems| DeckError {
            origin: "x.json".into(),
            problems,
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            return parse(bytes, "x.json");
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let probe: Probe =
            serde_json::from_str(text).map_err(|e| fail(vec![syntax_problem(&e)]))?;
        check_version(probe.format_version).map_err(|p| fail(vec![p]))?;
        let raw: RawDeck =
            serde_json::from_str(text).map_err(|e| fail(vec![syntax_problem(&e)]))?;
        let problems = validate(&raw);
        if problems.iter().any(|p| p.severity == Severity::Error) {
            return Err(fail(problems));
        }
        Ok(Parsed {
            deck: raw.into_deck(),
            warnings: problems,
        })
    }

    const SAMPLE: &str = r#"{"format_version": 1, "id": "demo", "title": "Demo", "description": "d",
        "cards": [{"id": "a", "front": "Qué pasa, Ça va?", "back": "A\tb  c\n d", "tags": ["t"]},
                  {"id": "b", "front": "que PASA ça va", "back": "x\u00a0y\u2003z", "tags": []}]}"#;

    proptest::proptest! {
        #[test]
        fn id_check_matches_the_plain_rule(text in "[a-z0-9-]{0,70}|[a-zA-Z0-9 _./-]{0,10}|\\PC{0,10}") {
            let plain = !text.is_empty()
                && text.chars().count() <= MAX_ID_LEN
                && text
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !text.starts_with('-');
            proptest::prop_assert_eq!(Id::check(&text).is_ok(), plain, "{:?}", text);
        }
        #[test]
        fn single_pass_parse_agrees_with_the_two_pass_reference(
            at in 0usize..400,
            cut in proptest::bool::ANY,
            insert in proptest::sample::select(vec![
                "", "x", "\"", ",", "}", "\"format_version\": 2, ", "\"format_version\": 0, ",
                "\"shiny\": 1, ", "\"id\": \"dup\", ", "\\u001b", "\u{202e}", "-", "A", " ",
            ]),
        ) {
            let at = at.min(SAMPLE.len());
            let at = (0..=at).rev().find(|&i| SAMPLE.is_char_boundary(i)).unwrap_or(0);
            let text = if cut {
                SAMPLE[..at].to_owned()
            } else {
                format!("{}{insert}{}", &SAMPLE[..at], &SAMPLE[at..])
            };
            let ours = format!("{:?}", parse(text.as_bytes(), "x.json"));
            let reference = format!("{:?}", reference_parse(text.as_bytes()));
            proptest::prop_assert_eq!(ours, reference);
        }

        #[test]
        fn normalize_front_and_word_count_match_the_unicode_rules(text in "\\PC{0,60}") {
            let reference: String = text
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            proptest::prop_assert_eq!(&normalize_front(&text), &reference);
            let mut bytes = b"left over".to_vec();
            normalize_front_into(&text, &mut bytes);
            proptest::prop_assert_eq!(bytes, reference.into_bytes());
            proptest::prop_assert_eq!(word_count(&text), text.split_whitespace().count());
        }

        #[test]
        fn twins_by_hash_match_twins_by_key(
            fronts in proptest::collection::vec("[aAbB .,éÉ?]{0,4}", 0..30),
        ) {
            let cards: Vec<RawCard> = fronts
                .into_iter()
                .map(|front| RawCard {
                    id: "x".into(),
                    front,
                    back: "b".into(),
                    tags: Vec::new(),
                    source: None,
                })
                .collect();
            let by_key = earlier_twins_by_key(&cards);
            proptest::prop_assert_eq!(&earlier_twins(&cards), &by_key);
            // A hash that often gives two different keys the same value: the keys decide.
            let mut weak = Twins::with_hash(&cards, |key: &[u8]| key.len() as u64 % 3);
            let found: Vec<Option<usize>> = (0..cards.len()).map(|i| weak.earlier(i)).collect();
            proptest::prop_assert_eq!(&found, &by_key);
        }

        #[test]
        fn ascii_word_count_matches_split_whitespace(text in "[ -~\t\n\r\u{b}\u{c}]{0,80}|[a \t]{200,800}") {
            proptest::prop_assert_eq!(word_count(&text), text.split_whitespace().count());
        }
    }

    #[test]
    fn slug_is_lowercase_words_and_made_unique() {
        assert_eq!(
            slug("How do you handle an ANGRY customer?", |_| false).as_str(),
            "how-do-you-handle-an-angry-customer"
        );
        let taken = ["why-star", "why-star-2"];
        assert_eq!(
            slug("Why STAR?", |s| taken.contains(&s)).as_str(),
            "why-star-3"
        );
        assert_eq!(slug("¿¡!?", |_| false).as_str(), "card");
        let long = slug(&"word ".repeat(40), |_| false);
        assert!(long.as_str().len() <= 48 && Id::parse(long.as_str()).is_ok());
    }

    proptest::proptest! {
        #[test]
        fn the_parser_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2048)) {
            let _ = parse(&bytes, "fuzz.json");
        }

        #[test]
        fn the_parser_never_panics_on_json_shaped_text(text in r#"\{("[a-z_]{1,12}":([0-9]{1,3}|"[^"]{0,20}"|\[[^\]]{0,40}\]|\{[^}]{0,40}\}),?){0,8}\}"#) {
            let _ = parse(text.as_bytes(), "fuzz.json");
        }
    }

    #[test]
    fn a_deck_written_by_to_json_parses_back_identically() {
        let text = deck_json(
            r#"{"id": "a", "front": "Q\nline", "back": "A\t", "tags": ["t"], "source": "S"}"#,
        );
        let deck = parse(text.as_bytes(), "demo.json").unwrap().deck;
        let again = parse(deck.to_json().as_bytes(), "again.json").unwrap().deck;
        assert_eq!(deck, again);
    }
}
