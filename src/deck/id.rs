//! Deck and card ids: what makes one valid, and how one is made from text.

use super::*;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A validated deck or card id: lowercase ASCII letters, digits and `-`, 1 to 64 long,
/// starting with a letter or digit. A deck id, which is also a file name, is further
/// checked by [`Id::parse_deck`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Id(pub(super) String);

impl Id {
    /// Validates `text` as an id; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Id, String> {
        Id::check(text)?;
        Ok(Id(text.to_owned()))
    }

    /// [`Id::parse`] without keeping the id: validation checks every card's id on
    /// every start and needs no copy of it.
    pub(super) fn check(text: &str) -> Result<(), String> {
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

    /// Validates `text` as a deck id: an [`Id`] that is also safe as a file name on
    /// Windows, where the deck is stored as `ID.json`.
    pub fn parse_deck(text: &str) -> Result<Id, String> {
        Id::check_deck(text)?;
        Ok(Id(text.to_owned()))
    }

    /// [`Id::parse_deck`] without keeping the id.
    pub(super) fn check_deck(text: &str) -> Result<(), String> {
        Id::check(text)?;
        if is_windows_device_name(text) {
            return Err(format!(
                "deck id {text:?} is a device name on Windows (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9), where the deck could not be stored as {text}.json; choose another id, such as \"{text}-deck\""
            ));
        }
        if text == "total" {
            // `stats` names its total row (and its JSON key) "total".
            return Err(
                "deck id \"total\" is taken by the total row of `prepdeck stats`; choose another id, such as \"total-deck\"".to_owned(),
            );
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

/// True for the names Windows reserves for devices, which it keeps even with an
/// extension added (`con.json` opens the console, not a file). COM0 and LPT0 are on
/// Microsoft's list too ("Naming Files, Paths, and Namespaces"). Only lowercase is
/// tested: an id has no capitals.
fn is_windows_device_name(id: &str) -> bool {
    match id.as_bytes() {
        b"con" | b"prn" | b"aux" | b"nul" => true,
        [b'c', b'o', b'm', digit] | [b'l', b'p', b't', digit] => digit.is_ascii_digit(),
        _ => false,
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

/// Longest id [`slug`] makes before a `-2`-style suffix.
const SLUG_MAX_LEN: usize = 48;

/// A card or deck id made from `text` (a card's front, a file name), the same for the
/// same text on every machine and in every version (docs/deck-format.md, "Ids made from
/// text"):
///
/// - `text` is transliterated to ASCII (`Ünïcödé` → `Unicode`, `Привет` → `Privet`), and
///   its letters and digits, lowercased, become words joined by `-`;
/// - when those words spell every letter and digit of the text (see [`normalize_front`])
///   in at most 48 characters, they are the id: `How do you stay calm?` →
///   `how-do-you-stay-calm`;
/// - otherwise (an accent or script was transliterated, the words were cut to fit, or
///   there are none) the id is the first words, cut to 39 characters, then `-` and the
///   32-bit FNV-1a hash of the text (see `text_hash`) in 8 hex digits:
///   `Ünïcödé Déck` → `unicode-deck-…`,
///   `card-…` when no word is left. Two texts that differ only after the cut, or only in
///   their accents, so get different ids, whatever order they come in.
///
/// Only when `taken` says an id is used (a text the same apart from case, spacing and
/// punctuation, or a kept id) is `-2`, `-3`, … added.
pub fn slug(text: &str, taken: impl Fn(&str) -> bool) -> Id {
    let base = slug_base(text);
    let mut candidate = base.clone();
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Id(candidate)
}

/// True when `text` has a letter or digit that [`slug`] can spell in ASCII; a deck id
/// made only of a hash would mean nothing to the learner typing it.
pub fn has_slug_words(text: &str) -> bool {
    !slug_words(text).is_empty()
}

/// The lowercase ASCII words of `text` after transliteration.
fn slug_words(text: &str) -> Vec<String> {
    // Characters deunicode has no ASCII for split words, as punctuation does.
    deunicode::deunicode_with_tofu(text, " ")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// `text` in Unicode's composed form (NFC): `é` typed as one character or as `e` and a
/// combining accent (as macOS stores file names) is the same text, and makes one id.
fn composed(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if unicode_normalization::is_nfc(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    }
}

fn slug_base(text: &str) -> String {
    let text = &*composed(text);
    let words = slug_words(text);
    let key = normalize_front(text);
    let full = words.join("-");
    let spells_key = full.bytes().filter(|&b| b != b'-').eq(key.bytes());
    if !full.is_empty() && full.len() <= SLUG_MAX_LEN && spells_key {
        return full;
    }
    let hash = format!("{:08x}", hash_key(text, &key));
    let room = SLUG_MAX_LEN - 1 - hash.len();
    let mut readable = String::new();
    for word in &words {
        if !readable.is_empty() && readable.len() + 1 + word.len() > room {
            break;
        }
        if !readable.is_empty() {
            readable.push('-');
        }
        // Words are ASCII, so any byte index is a character boundary.
        readable.push_str(&word[..word.len().min(room)]);
    }
    if readable.is_empty() {
        readable.push_str("card");
    }
    format!("{readable}-{hash}")
}

/// The hash a [`slug`] ends with: 32-bit FNV-1a over the UTF-8 bytes of the
/// [`normalize_front`] key (letters and digits, lowercased) of the text in composed
/// form (NFC), or of that text with surrounding whitespace trimmed when it has no
/// letter or digit.
///
/// FNV-1a is written out here, not taken from a hashing crate or `std`'s hasher,
/// because ids made with it are stored with a learner's progress: the function must
/// give the same number on every platform and in every future version (std's
/// `DefaultHasher` promises neither), and FNV-1a's two constants pin it completely.
/// [`slug_base`] has the key at hand and calls [`hash_key`] directly.
#[cfg(test)]
fn text_hash(text: &str) -> u32 {
    let text = &*composed(text);
    hash_key(text, &normalize_front(text))
}

/// [`text_hash`] of the composed `text` whose [`normalize_front`] key is `key`.
fn hash_key(text: &str, key: &str) -> u32 {
    const OFFSET_BASIS: u32 = 0x811c_9dc5;
    const PRIME: u32 = 0x0100_0193;
    let bytes = if key.is_empty() {
        text.trim().as_bytes()
    } else {
        key.as_bytes()
    };
    bytes.iter().fold(OFFSET_BASIS, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(PRIME)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn windows_device_names_are_refused_as_deck_ids_only() {
        let reserved = [
            "con", "prn", "aux", "nul", "com0", "com1", "com9", "lpt0", "lpt1", "lpt9",
        ];
        for id in reserved {
            let why = Id::parse_deck(id).expect_err(id);
            assert!(why.contains("device name on Windows"), "{id}: {why}");
            assert!(Id::parse(id).is_ok(), "{id} is still a valid card id");
        }
        for id in [
            "con-1",
            "cons",
            "com10",
            "lpt",
            "com",
            "auxiliary",
            "nul0x",
            "my-aux",
        ] {
            assert!(Id::parse_deck(id).is_ok(), "{id} should be allowed");
        }
    }

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
        let long = slug(&"word ".repeat(40), |_| false);
        assert!(long.as_str().len() <= 48 && Id::parse(long.as_str()).is_ok());
    }

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        // From the FNV reference test suite (32-bit FNV-1a); the hash of an empty
        // key is the offset basis. A change here changes card ids.
        let fnv = |bytes: &[u8]| {
            bytes.iter().fold(0x811c_9dc5_u32, |h, &b| {
                (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
            })
        };
        assert_eq!(fnv(b""), 0x811c_9dc5);
        assert_eq!(fnv(b"a"), 0xe40c_292c);
        assert_eq!(fnv(b"foobar"), 0xbf9c_f968);
        assert_eq!(text_hash("a"), 0xe40c_292c);
        assert_eq!(text_hash("Foo, BAR!"), 0xbf9c_f968);
    }

    #[test]
    fn slugs_of_known_texts_never_change() {
        // Ids made from fronts are stored with progress: these exact values are the
        // contract (docs/deck-format.md); the hashes were checked against an independent
        // FNV-1a. If this test fails after a dependency update, the transliteration table
        // changed: keep the old version.
        let cases = [
            ("How do you stay calm?", "how-do-you-stay-calm"),
            ("Ünïcödé Déck", "unicode-deck-f6972834"),
            ("Как успокоить клиента?", "kak-uspokoit-klienta-ea3e255e"),
            (
                "如何应对愤怒的客户？",
                "ru-he-ying-dui-fen-nu-de-ke-hu-d87f52a9",
            ),
            ("¿¡!?", "card-fe6af73f"),
            (
                "When the customer keeps interrupting you during the call, what do you say first?",
                "when-the-customer-keeps-interrupting-73204083",
            ),
        ];
        let found: Vec<(&str, String)> = cases
            .iter()
            .map(|(text, _)| (*text, slug(text, |_| false).to_string()))
            .collect();
        let expected: Vec<(&str, String)> = cases
            .iter()
            .map(|(text, id)| (*text, (*id).to_owned()))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn long_fronts_with_one_beginning_get_different_ids_in_any_order() {
        let start = "When a customer shouts at you in front of a queue of other customers, ";
        let a = format!("{start}what do you say first?");
        let b = format!("{start}what do you do next?");
        let (id_a, id_b) = (slug(&a, |_| false), slug(&b, |_| false));
        assert_ne!(id_a, id_b);
        assert!(id_a.as_str().len() <= 48, "{id_a}");
        // Whatever was made first, the other's id does not depend on it.
        assert_eq!(slug(&b, |s| s == id_a.as_str()), id_b);
    }

    #[test]
    fn texts_in_other_scripts_get_ids_of_their_own() {
        let ids: Vec<Id> = ["Привет", "Пока", "你好", "再见"]
            .iter()
            .map(|t| slug(t, |_| false))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            assert!(!id.as_str().starts_with("card"), "{id}");
            assert!(ids[i + 1..].iter().all(|other| other != id), "{ids:?}");
        }
    }

    #[test]
    fn composed_and_decomposed_accents_make_the_same_id() {
        let composed = "R\u{e9}sum\u{e9} tips";
        let decomposed = "Re\u{301}sume\u{301} tips";
        assert_eq!(slug(composed, |_| false), slug(decomposed, |_| false));
        assert_eq!(text_hash(composed), text_hash(decomposed));
        assert_ne!(slug(composed, |_| false).as_str(), "resume-tips");
    }

    #[test]
    fn accents_or_symbols_alone_keep_texts_apart() {
        assert_ne!(
            slug("Résumé tips", |_| false),
            slug("Resume tips", |_| false)
        );
        assert_eq!(slug("Resume tips", |_| false).as_str(), "resume-tips");
        assert_ne!(slug("¿¡!?", |_| false), slug("?!", |_| false));
        assert!(has_slug_words("Ünïcödé"));
        assert!(!has_slug_words("¿¡!?"));
    }
}
