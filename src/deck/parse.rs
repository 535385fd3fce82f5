//! Reading deck JSON: bounded, typed in one pass, and walked again only to report.

use super::*;
use serde::Deserialize;
use std::fmt;
use std::io::Read;
use std::path::Path;

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

/// [`load`], and where each card is in the file (`None` in the rare file whose cards
/// cannot be found again, which is then read in full whenever it is used).
pub fn load_with_ranges(path: &Path) -> Result<(Parsed, Option<CardRanges>), crate::error::Error> {
    let bytes = read_bounded(path, MAX_DECK_BYTES)?;
    let parsed = parse(&bytes, &path.display().to_string())?;
    let ranges = card_ranges(&bytes).filter(|r| r.fit(parsed.deck.cards.len(), bytes.len() as u64));
    Ok((parsed, ranges))
}

/// Reads at most `limit` bytes of a regular file; larger files and non-files are errors.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, crate::error::Error> {
    use crate::error::Error;
    // Opened without blocking and its type read from the handle: a named pipe swapped in
    // after a check of the path could otherwise block the read forever.
    let (file, meta) =
        crate::store::file::open_nonblocking(path, std::fs::OpenOptions::new().read(true))
            .map_err(|e| Error::io("read", path, e))?;
    if !meta.is_file() {
        return Err(Error::Invalid(format!(
            "{} is not a regular file; give the path of a deck file",
            path.display()
        )));
    }
    let too_big = || {
        Error::Invalid(format!(
            "{} is {}, larger than the {} MiB limit for a deck file; split it into smaller decks",
            path.display(),
            mib(meta.len()),
            limit / (1024 * 1024)
        ))
    };
    if meta.len() > limit {
        return Err(too_big());
    }
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
        is_file: true,
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
    if text.trim().is_empty() {
        // serde_json would say "EOF while parsing a value at line 1 column 0".
        return Err(fail(vec![Problem::error(
            Place::File,
            "the file is empty; a deck is a JSON object (the deck format is described in docs/deck-format.md)",
        )]));
    }

    // One typed pass over the text when the deck parses: this runs for every deck on
    // every start that reads deck files. Only when it fails on the content (a missing or
    // unknown key, a wrong type) is the file read again, as a tree, to find every such
    // problem rather than serde's first; a syntax error has nothing more to find.
    let raw = match serde_json::from_str::<RawDeck>(text) {
        Ok(raw) => {
            let version = raw.format_version;
            check_version(Some(version)).map_err(|p| fail(vec![p]))?;
            raw
        }
        Err(e) if e.is_data() => return Err(fail(structure_problems(text, &e))),
        Err(e) => return Err(fail(vec![syntax_problem(&e)])),
    };
    build(raw, origin)
}

/// Every problem in a deck file whose typed parse failed with `typed` on its content:
/// the version (a newer deck is named as such, not blamed for keys this build does not
/// know), each missing, unknown, repeated or wrongly typed key with its place, then
/// [`validate_raw`] on every part that could be read, so that ids, empty sides and control
/// characters are reported in the same run.
pub(super) fn structure_problems(text: &str, typed: &serde_json::Error) -> Vec<Problem> {
    // The typed parse stops at its first error; a syntax error further on is found here.
    let root: Node = match serde_json::from_str(text) {
        Ok(root) => root,
        Err(e) => return vec![syntax_problem(&e)],
    };
    let mut problems = match walk_deck(root) {
        Walked::Stop(problem) => return vec![problem],
        Walked::Deck {
            raw,
            parts,
            cards,
            problems,
        } => {
            let mut all = problems;
            // One `CardParts` per card by construction; a missing one checks nothing.
            let card_parts = |i: usize| cards.get(i).copied().unwrap_or(CardParts::NONE);
            all.extend(validate_parts(&raw, parts, card_parts, &card_by_index));
            all
        }
    };
    // In file order: the deck's own problems, then card by card, each card's structure
    // before its content. The sort is stable, so one place keeps the order found.
    problems.sort_by_key(|p| match p.place {
        Place::Card { index, .. } => index,
        _ => 0,
    });
    if !problems.iter().any(|p| p.severity == Severity::Error) {
        // The walk mirrors `RawDeck`; should the two ever disagree, serde's own error
        // still refuses the deck rather than letting it pass with no error at all.
        problems.push(syntax_problem(typed));
    }
    problems
}

/// Validates a deck read from any format; the deck when it has no errors.
pub(crate) fn build(raw: RawDeck, origin: &str) -> Result<Parsed, DeckError> {
    build_naming(raw, origin, &card_by_index)
}

/// [`build`] where a message that refers to another card (a duplicate id, a nearly
/// identical front) names it by `name(index)`, index 1-based: a text file names the
/// line the card is on, which its author can find, rather than its position.
pub(crate) fn build_naming(
    raw: RawDeck,
    origin: &str,
    name: &dyn Fn(usize) -> String,
) -> Result<Parsed, DeckError> {
    let problems = validate_parts(&raw, DeckParts::ALL, |_| CardParts::ALL, name);
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return Err(DeckError {
            origin: origin.to_owned(),
            problems,
            is_file: true,
        });
    }
    Ok(Parsed {
        deck: raw.into_deck(),
        warnings: problems,
    })
}

/// The version alone, for a file that does not parse as a deck of this version.
pub(super) fn check_version(version: Option<u64>) -> Result<(), Problem> {
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

/// `format_version` as a whole number. JSON Schema, and so docs/deck.schema.json, counts
/// `1.0` and `1e0` as the integer 1; the parser must not refuse a deck the schema accepts.
fn version_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    deserializer.deserialize_any(VersionVisitor)
}

/// Reads [`version_number`].
struct VersionVisitor;

impl serde::de::Visitor<'_> for VersionVisitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number such as 1")
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
        let unexpected = serde::de::Unexpected::Signed(v);
        u64::try_from(v).map_err(|_| E::invalid_value(unexpected, &self))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
        let unexpected = serde::de::Unexpected::Float(v);
        whole_number(v).ok_or_else(|| E::invalid_value(unexpected, &self))
    }
}

/// `number` as a `u64` when it is a whole number in range (`1.0` → 1; `1.5`, `-1` → none).
pub(super) fn whole_number(number: f64) -> Option<u64> {
    // 2^64 is exact as an f64, and every whole f64 below it converts to u64 exactly.
    const LIMIT: f64 = 18_446_744_073_709_551_616.0;
    (number.fract() == 0.0 && (0.0..LIMIT).contains(&number)).then_some(number as u64)
}

/// The deck as written in the file, before validation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDeck {
    #[serde(deserialize_with = "version_number")]
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
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCard {
    pub(crate) id: String,
    pub(crate) front: String,
    pub(crate) back: String,
    #[serde(default)]
    pub(crate) tags: Vec<String>,
    #[serde(default)]
    pub(crate) source: Option<String>,
    #[serde(default)]
    pub(crate) guid: Option<String>,
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
                    guid: c.guid.clone(),
                })
                .collect(),
        }
    }
}

impl RawDeck {
    /// Only called after [`validate_raw`] found no errors.
    pub(super) fn into_deck(self) -> Deck {
        Deck {
            format_version: FORMAT_VERSION,
            id: Id(self.id),
            title: self.title,
            description: self.description,
            author: self.author,
            version: self.version,
            cards: self.cards.into_iter().map(RawCard::into_card).collect(),
        }
    }
}

impl RawCard {
    /// Only called once the card's checks found no errors.
    pub(super) fn into_card(self) -> Card {
        Card {
            id: Id(self.id),
            front: self.front,
            back: self.back,
            tags: self.tags,
            source: self.source,
            guid: self.guid,
        }
    }
}

pub(super) fn syntax_problem(e: &serde_json::Error) -> Problem {
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
