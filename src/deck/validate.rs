//! The content rules every deck meets, whatever format it was read from.

use super::*;
use crate::render::text::first_unsafe_char;
use std::collections::HashMap;

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
    // Stops at the first visible character: nothing to pay on real text. A text with
    // an unsafe character gets that character's message below instead.
    if required
        && !text.chars().any(crate::render::text::is_visible_char)
        && first_unsafe_char(text).is_none()
    {
        return Some(format!(
            "{field} has nothing visible: only invisible characters (such as U+200B zero-width space or U+00AD soft hyphen); write some text"
        ));
    }
    // A character is at least one byte, so only a long text can have too many.
    if text.len() > max && text.chars().count() > max {
        return Some(format!("{field} is longer than {max} characters"));
    }
    if let Some(c) = first_unsafe_char(text) {
        // Bidi marks, overrides and the byte-order mark are not controls, but they
        // reorder or hide text on a terminal just the same.
        let kind = if c.is_control() {
            "control character"
        } else {
            "invisible formatting character"
        };
        return Some(format!(
            "{field} contains the {kind} U+{:04X}; remove it (only newlines and tabs are allowed)",
            u32::from(c)
        ));
    }
    None
}

/// Why `guid` cannot be kept with a card, if it cannot: the rule every deck's cards meet.
pub fn guid_problem(guid: &str) -> Option<String> {
    check_text("guid", guid, MAX_GUID_CHARS, true)
}

/// How a JSON deck's messages name another card: by its position in `cards`.
pub(super) fn card_by_index(index: usize) -> String {
    format!("card {index}")
}

pub(super) fn validate_raw(raw: &RawDeck) -> Vec<Problem> {
    validate_parts(raw, DeckParts::ALL, |_| CardParts::ALL, &card_by_index)
}

/// [`validate_raw`] of the parts that `deck` and `card_parts` (by 0-based card index) say
/// were read; the others hold empty placeholders and are left alone. For a parsed deck the parts
/// are constants, so this compiles to the plain checks.
pub(super) fn validate_parts(
    raw: &RawDeck,
    deck: DeckParts,
    card_parts: impl Fn(usize) -> CardParts,
    name: &dyn Fn(usize) -> String,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let deck_field = |field: &str| Place::Deck {
        field: field.into(),
    };
    if deck.id {
        if let Err(message) = Id::check_deck(&raw.id) {
            problems.push(Problem::error(deck_field("id"), message));
        }
    }
    let deck_texts = [
        ("title", Some(&raw.title).filter(|_| deck.title), true),
        (
            "description",
            Some(&raw.description).filter(|_| deck.description),
            false,
        ),
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
    if deck.cards && raw.cards.is_empty() {
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
        let read = card_parts(i);
        let place = || Place::Card {
            index,
            id: card.id.clone(),
        };
        if read.id {
            match Id::check(&card.id) {
                Err(message) => problems.push(Problem::error(place(), message)),
                Ok(_) => {
                    if let Some(first) = ids.insert(&card.id, index) {
                        problems.push(Problem::error(
                            place(),
                            format!(
                                "id {:?} is already used by {}; card ids must be unique in a deck",
                                card.id,
                                name(first)
                            ),
                        ));
                    }
                }
            }
        }
        card_problems(card, read, &place, &mut problems);
        // A front that could not be read is an empty placeholder, which matches no other.
        let twin = twins.earlier(i);
        if let Some(first) = twin {
            problems.push(Problem::warning(
                place(),
                format!("the front is nearly the same as {}'s", name(first)),
            ));
        }
    }
    problems
}

/// The problems of one card that it has on its own, whatever the other cards are: its
/// sides, source, guid and tags, each read as `read` says. Its id is checked apart, as a
/// deck also compares it with the others'.
fn card_problems(
    card: &RawCard,
    read: CardParts,
    place: &dyn Fn() -> Place,
    problems: &mut Vec<Problem>,
) {
    for (field, text, readable) in [
        ("front", &card.front, read.front),
        ("back", &card.back, read.back),
    ] {
        if !readable {
            continue;
        }
        if let Some(message) = check_text(field, text, MAX_SIDE_CHARS, true) {
            problems.push(Problem::error(place(), message));
        }
    }
    if let Some(message) = card
        .source
        .as_ref()
        .and_then(|s| check_text("source", s, MAX_FIELD_CHARS, false))
    {
        problems.push(Problem::error(place(), message));
    }
    if let Some(message) = card.guid.as_ref().and_then(|g| guid_problem(g)) {
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
        } else if let Some(message) = check_text("a tag", tag, MAX_TAG_CHARS, true) {
            problems.push(Problem::error(place(), message));
        }
    }
    if read.tags && card.tags.is_empty() {
        problems.push(Problem::warning(place(), "the card has no tags"));
    }
    let words = word_count(&card.back);
    if words > LONG_BACK_WORDS {
        problems.push(Problem::warning(
            place(),
            format!("the back has {words} words; over {LONG_BACK_WORDS} is hard to recall out loud, consider splitting the card"),
        ));
    }
}

/// The problems card `index` (1-based) of a deck has on its own: every rule
/// [`validate_raw`] applies to a card, except those that compare it with the other cards
/// (a repeated id, a nearly identical front). For a card read without its deck.
pub(crate) fn lone_card_problems(card: &RawCard, index: usize) -> Vec<Problem> {
    let place = || Place::Card {
        index,
        id: card.id.clone(),
    };
    let mut problems = Vec::new();
    if let Err(message) = Id::check(&card.id) {
        problems.push(Problem::error(place(), message));
    }
    card_problems(card, CardParts::ALL, &place, &mut problems);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The first column of the table of refused characters in docs/deck-format.md,
    /// as ranges.
    fn documented_unsafe_ranges() -> Vec<(u32, u32)> {
        let doc = include_str!("../../docs/deck-format.md");
        let start = doc
            .find("The characters refused in every text")
            .expect("the table of refused characters");
        let code = |hex: &str| u32::from_str_radix(hex.trim().trim_start_matches("U+"), 16);
        doc[start..]
            .lines()
            .skip_while(|line| !line.starts_with("| U+"))
            .take_while(|line| line.starts_with("| U+"))
            .flat_map(|line| {
                line.split('|')
                    .nth(1)
                    .unwrap_or("")
                    .split(',')
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .map(|cell| match cell.split_once('–') {
                Some((from, to)) => (code(from).unwrap(), code(to).unwrap()),
                None => (code(&cell).unwrap(), code(&cell).unwrap()),
            })
            .collect()
    }

    #[test]
    fn the_documented_list_of_refused_characters_is_the_one_validation_uses() {
        let ranges = documented_unsafe_ranges();
        assert!(ranges.len() >= 8, "{ranges:?}");
        let documented = |c: u32| ranges.iter().any(|&(from, to)| (from..=to).contains(&c));
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let text = format!("Q{c}");
            assert_eq!(
                check_text("front", &text, MAX_SIDE_CHARS, true).is_some(),
                documented(u32::from(c)),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    proptest::proptest! {
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
                    guid: None,
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
}
