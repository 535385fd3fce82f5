//! The deck file as a tree, key by key, to report every structural problem with its place.

use super::*;
use serde::Deserialize;
use std::fmt;

/// A JSON value as [`structure_problems`] reads it. Unlike `serde_json::Value` it keeps
/// every key of an object in order, repeats included: a repeated key is one of the
/// problems to report, and `Value` keeps only the last.
pub(super) enum Node {
    Null,
    Bool,
    Number(Number),
    Text(String),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

/// A JSON number as serde_json reads it.
#[derive(Clone, Copy)]
pub(super) enum Number {
    Whole(u64),
    Negative(i64),
    Float(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Whole(n) => write!(f, "{n}"),
            Number::Negative(n) => write!(f, "{n}"),
            Number::Float(n) => write!(f, "{n}"),
        }
    }
}

impl Node {
    /// What the value is, in a coach's words, for "must be ..., not ..." messages.
    fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool => "true or false",
            Node::Number(_) => "a number",
            Node::Text(_) => "text in quotes",
            Node::List(_) => "a list [...]",
            Node::Object(_) => "an object {...}",
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        // serde_json's nesting limit applies here as to the typed parse.
        deserializer.deserialize_any(NodeVisitor)
    }
}

/// Reads any JSON value into a [`Node`].
struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Bool)
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(Number::Whole(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(match u64::try_from(v) {
            Ok(v) => Number::Whole(v),
            Err(_) => Number::Negative(v),
        }))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Number(Number::Float(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Text(v))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Object(entries))
    }
}

/// The keys of a deck, in the order of `RawDeck`'s fields.
pub(super) const DECK_KEYS: [&str; 7] = [
    "format_version",
    "id",
    "title",
    "description",
    "author",
    "version",
    "cards",
];
/// The keys of a card, in the order of `RawCard`'s fields.
pub(super) const CARD_KEYS: [&str; 6] = ["id", "front", "back", "tags", "source", "guid"];

/// Which deck fields could be read with the right type; [`validate_parts`] checks only
/// those, so that a missing title is reported once, as missing, not also as empty.
#[derive(Debug, Clone, Copy)]
pub(super) struct DeckParts {
    pub(super) id: bool,
    pub(super) title: bool,
    pub(super) description: bool,
    pub(super) cards: bool,
}

impl DeckParts {
    pub(super) const ALL: DeckParts = DeckParts {
        id: true,
        title: true,
        description: true,
        cards: true,
    };
}

/// Which fields of a card could be read with the right type (see [`DeckParts`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct CardParts {
    pub(super) id: bool,
    pub(super) front: bool,
    pub(super) back: bool,
    /// Absent, or a list whose every item is text.
    pub(super) tags: bool,
}

impl CardParts {
    pub(super) const ALL: CardParts = CardParts {
        id: true,
        front: true,
        back: true,
        tags: true,
    };
    pub(super) const NONE: CardParts = CardParts {
        id: false,
        front: false,
        back: false,
        tags: false,
    };
}

/// What [`walk_deck`] found in a file that is JSON.
pub(super) enum Walked {
    /// A problem that makes the rest meaningless: not an object, another format version.
    Stop(Problem),
    /// The deck with every part that could be read, empty placeholders for the rest.
    Deck {
        raw: RawDeck,
        parts: DeckParts,
        /// One per card, in order; every item of `cards` is a card here, readable or not,
        /// so that card numbers are the file's.
        cards: Vec<CardParts>,
        problems: Vec<Problem>,
    },
}

/// The deck's structure, key by key: every missing, unknown, repeated or wrongly typed
/// key, with its place.
pub(super) fn walk_deck(root: Node) -> Walked {
    let entries = match root {
        Node::Object(entries) => entries,
        other => {
            return Walked::Stop(Problem::error(
                Place::File,
                format!(
                    "the file holds {}, not a deck; a deck is an object {{\"format_version\": {FORMAT_VERSION}, \"id\": ..., ...}} (the deck format is described in docs/deck-format.md)",
                    other.kind()
                ),
            ))
        }
    };
    let ([format_version, id, title, description, author, version, cards], mut found) = sort_keys(
        entries,
        &DECK_KEYS,
        &["id", "title", "description", "cards"],
        "the deck",
    );
    let place = |field: &str| Place::Deck {
        field: field.to_owned(),
    };
    let mut problems = Vec::new();
    // The version first: a deck of another version is named as such, not blamed for
    // keys this build does not know.
    match format_version {
        None => problems.extend(check_version(None).err()),
        Some(Node::Number(number)) => {
            let whole = match number {
                Number::Whole(v) => Some(v),
                Number::Float(v) => whole_number(v),
                Number::Negative(_) => None,
            };
            let checked = match whole {
                Some(v) => check_version(Some(v)),
                None => Err(Problem::error(
                    place("format_version"),
                    format!("format_version {number} is unknown; this prepdeck reads version {FORMAT_VERSION}"),
                )),
            };
            if let Err(problem) = checked {
                return Walked::Stop(problem);
            }
        }
        // Most likely a version-1 deck written by hand ("1"): worth checking the rest.
        Some(other) => found.push((
            "format_version".into(),
            format!(
                "\"format_version\" must be the number {FORMAT_VERSION}, not {}",
                other.kind()
            ),
        )),
    }
    let id = read("id", id, as_text, &mut found);
    let title = read("title", title, as_text, &mut found);
    let description = read("description", description, as_text, &mut found);
    let author = read("author", author, as_optional_text, &mut found).flatten();
    let version = read("version", version, as_optional_text, &mut found).flatten();
    let items = read("cards", cards, as_list, &mut found);
    problems.extend(
        found
            .into_iter()
            .map(|(field, message)| Problem::error(place(&field), message)),
    );
    let parts = DeckParts {
        id: id.is_some(),
        title: title.is_some(),
        description: description.is_some(),
        cards: items.is_some(),
    };
    let (cards, card_parts): (Vec<RawCard>, Vec<CardParts>) = items
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, item)| walk_card(i + 1, item, &mut problems))
        .unzip();
    Walked::Deck {
        raw: RawDeck {
            format_version: u64::from(FORMAT_VERSION),
            id: id.unwrap_or_default(),
            title: title.unwrap_or_default(),
            description: description.unwrap_or_default(),
            author,
            version,
            cards,
        },
        parts,
        cards: card_parts,
        problems,
    }
}

/// The card at 1-based `index`, as far as it can be read; its problems go to `problems`.
fn walk_card(index: usize, node: Node, problems: &mut Vec<Problem>) -> (RawCard, CardParts) {
    let place = |id: &str| Place::Card {
        index,
        id: id.to_owned(),
    };
    let entries = match node {
        Node::Object(entries) => entries,
        other => {
            problems.push(Problem::error(
                place(""),
                format!(
                    "the card is {}, not an object {{\"id\": ..., \"front\": ..., \"back\": ...}}",
                    other.kind()
                ),
            ));
            return (RawCard::default(), CardParts::NONE);
        }
    };
    let ([id, front, back, tags, source, guid], mut found) =
        sort_keys(entries, &CARD_KEYS, &["id", "front", "back"], "the card");
    let id = read("id", id, as_text, &mut found);
    let front = read("front", front, as_text, &mut found);
    let back = read("back", back, as_text, &mut found);
    let (tags, whole_tags) = match tags {
        None => (Vec::new(), true),
        Some(node) => as_tags(node, &mut found),
    };
    let source = read("source", source, as_optional_text, &mut found).flatten();
    let guid = read("guid", guid, as_optional_text, &mut found).flatten();
    let shown = id.as_deref().unwrap_or("");
    problems.extend(
        found
            .into_iter()
            .map(|(_, message)| Problem::error(place(shown), message)),
    );
    let parts = CardParts {
        id: id.is_some(),
        front: front.is_some(),
        back: back.is_some(),
        tags: whole_tags,
    };
    let card = RawCard {
        id: id.unwrap_or_default(),
        front: front.unwrap_or_default(),
        back: back.unwrap_or_default(),
        tags,
        source,
        guid,
    };
    (card, parts)
}

/// An object's values by the keys it may have (`known`, in that order), and a
/// (key, message) for each repeated, unknown or missing (`required`) key. `owner` is
/// "the deck" or "the card". Of a repeated key the first value is kept.
fn sort_keys<const N: usize>(
    entries: Vec<(String, Node)>,
    known: &[&'static str; N],
    required: &[&str],
    owner: &str,
) -> ([Option<Node>; N], Vec<(String, String)>) {
    let mut values: [Option<Node>; N] = std::array::from_fn(|_| None);
    let mut repeated = [false; N];
    let mut unknown = Vec::new();
    let mut found = Vec::new();
    for (key, value) in entries {
        match known.iter().position(|k| *k == key) {
            Some(i) if values[i].is_none() => values[i] = Some(value),
            Some(i) if !repeated[i] => {
                repeated[i] = true;
                found.push((
                    key.clone(),
                    format!("the key {key:?} is given more than once; keep one"),
                ));
            }
            Some(_) => {}
            None => unknown.push(key),
        }
    }
    // A misspelt key is suggested only as a key the object lacks, and then stands for
    // it: "did you mean "back"?" says all that "back is missing" would.
    let mut meant = [false; N];
    for key in unknown {
        let shown = crate::render::text::truncate(&key, 40).into_owned();
        let absent = (0..N).filter(|&i| values[i].is_none() && !meant[i]);
        let message = match likely_key(&key, absent.map(|i| (i, known[i]))) {
            Some(i) => {
                meant[i] = true;
                format!("unknown key {shown:?}; did you mean {:?}?", known[i])
            }
            None => format!(
                "unknown key {shown:?}; {owner} may only have the keys {}",
                known.join(", ")
            ),
        };
        found.push((shown, message));
    }
    for (i, key) in known.iter().enumerate() {
        if values[i].is_none() && !meant[i] && required.contains(key) {
            found.push((
                (*key).to_owned(),
                format!("{key:?} is missing; add it to {owner}"),
            ));
        }
    }
    (values, found)
}

/// Of `candidates` (index, key), the key a mistyped `key` most likely meant: one edit
/// away (a letter added, dropped or changed, or two neighbours swapped), or two for keys
/// of six letters or more; case is ignored.
pub(super) fn likely_key(
    key: &str,
    candidates: impl Iterator<Item = (usize, &'static str)>,
) -> Option<usize> {
    // Keys are short; a long one is no typo of them, and the distance costs its length.
    if key.len() > 64 {
        return None;
    }
    let key: Vec<char> = key.chars().flat_map(char::to_lowercase).collect();
    candidates
        .map(|(i, known)| (edit_distance(&key, known), i, known))
        .filter(|&(distance, _, known)| distance <= 1 || (distance == 2 && known.len() >= 6))
        .min_by_key(|&(distance, i, _)| (distance, i))
        .map(|(_, i, _)| i)
}

/// Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`: the
/// optimal string alignment distance.
fn edit_distance(a: &[char], b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // rows[i][j]: the distance between a[..i] and b[..j].
    let mut rows = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitute = rows[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut best = substitute.min(rows[i - 1][j] + 1).min(rows[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// `node`, the value of `key`, converted by `convert`; `None` when it is absent (a
/// missing key is reported by [`sort_keys`]) or of the wrong type (reported into `found`).
fn read<T>(
    key: &str,
    node: Option<Node>,
    convert: fn(&str, Node) -> Result<T, String>,
    found: &mut Vec<(String, String)>,
) -> Option<T> {
    match convert(key, node?) {
        Ok(value) => Some(value),
        Err(message) => {
            found.push((key.to_owned(), message));
            None
        }
    }
}

fn as_text(key: &str, node: Node) -> Result<String, String> {
    match node {
        Node::Text(text) => Ok(text),
        other => Err(format!(
            "{key:?} must be text in quotes, not {}",
            other.kind()
        )),
    }
}

fn as_optional_text(key: &str, node: Node) -> Result<Option<String>, String> {
    match node {
        Node::Null => Ok(None),
        Node::Text(text) => Ok(Some(text)),
        other => Err(format!(
            "{key:?} must be text in quotes or null, not {}",
            other.kind()
        )),
    }
}

fn as_list(key: &str, node: Node) -> Result<Vec<Node>, String> {
    match node {
        Node::List(items) => Ok(items),
        other => Err(format!(
            "{key:?} must be a list [...], not {}",
            other.kind()
        )),
    }
}

/// The tags that are text, and whether all of them were.
fn as_tags(node: Node, found: &mut Vec<(String, String)>) -> (Vec<String>, bool) {
    let items = match as_list("tags", node) {
        Ok(items) => items,
        Err(message) => {
            found.push(("tags".into(), message));
            return (Vec::new(), false);
        }
    };
    let mut tags = Vec::with_capacity(items.len());
    let mut whole = true;
    for (i, item) in items.into_iter().enumerate() {
        match item {
            Node::Text(tag) => tags.push(tag),
            other => {
                whole = false;
                found.push((
                    "tags".into(),
                    format!("tag {} must be text in quotes, not {}", i + 1, other.kind()),
                ));
            }
        }
    }
    (tags, whole)
}
