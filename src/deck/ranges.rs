//! Where each card of a deck file is, so that one card can be read without the rest.
//!
//! A review shows one card at a time; at 100,000 cards a deck file is megabytes of JSON
//! and parsing the whole of it put tens of milliseconds before the first card. The deck
//! index keeps these ranges for each deck that validated in full (see
//! `store::deck_index`), and a card is then read from its own bytes, with the checks any
//! card of a deck meets on its own.

use super::*;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The place of every card of a deck file, as byte offsets into the file as it is on
/// disk (a byte-order mark included). A deck file is at most [`MAX_DECK_BYTES`], so
/// offsets fit in 32 bits, which halves what the index holds in memory.
///
/// Written as `{"steps": "178 438 504", "end": 2477}`: the first card's offset, then
/// each card's distance from the one before, in one string (see [`steps`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardRanges {
    /// Where each card's `{` is, in card order.
    #[serde(rename = "steps", with = "steps")]
    pub starts: Vec<u32>,
    /// Where the `]` that closes the list of cards is.
    pub end: u32,
}

/// Card offsets as one string of decimal steps separated by spaces: the first offset,
/// then each offset minus the one before.
///
/// The deck index is read on every start and at 100,000 cards holds 100,000 offsets. As
/// a JSON list of offsets they took a fifth of its parse (2 ms of 10); steps are
/// about half the digits, and one string read by a plain loop costs far less per
/// number than a list element does in serde.
mod steps {
    use serde::de::{Error, Visitor};
    use serde::{Deserializer, Serializer};
    use std::fmt::{self, Write as _};

    pub fn serialize<S: Serializer>(starts: &[u32], serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = String::with_capacity(starts.len() * 4);
        let mut before = 0;
        for (i, &start) in starts.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            // Offsets only grow in a deck read from its file; a wrapped step would be
            // read back as a different offset, which the ranges' checks refuse.
            let _ = write!(text, "{}", start.wrapping_sub(before));
            before = start;
        }
        serializer.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u32>, D::Error> {
        deserializer.deserialize_str(StepsVisitor)
    }

    /// The offsets in `text`; `None` for anything but numbers separated by one space
    /// whose sums fit in 32 bits.
    pub fn parse(text: &str) -> Option<Vec<u32>> {
        if text.is_empty() {
            return Some(Vec::new());
        }
        let mut starts = Vec::with_capacity(text.len() / 4 + 1);
        let (mut at, mut step, mut digits) = (0u32, 0u32, 0);
        // One pass over the bytes, a space closing each step: at 100,000 cards this
        // runs over 400 KB on every start.
        for byte in text.bytes().chain([b' ']) {
            if byte == b' ' {
                if digits == 0 {
                    return None;
                }
                at = at.checked_add(step)?;
                starts.push(at);
                (step, digits) = (0, 0);
            } else if byte.is_ascii_digit() {
                step = step.checked_mul(10)?.checked_add(u32::from(byte - b'0'))?;
                digits += 1;
            } else {
                return None;
            }
        }
        Some(starts)
    }

    struct StepsVisitor;

    impl Visitor<'_> for StepsVisitor {
        type Value = Vec<u32>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("card offsets as steps separated by spaces")
        }

        fn visit_str<E: Error>(self, text: &str) -> Result<Vec<u32>, E> {
            parse(text).ok_or_else(|| E::custom("card offsets that are not steps"))
        }
    }
}

impl CardRanges {
    /// The bytes of card `index` (0-based): from its `{` up to the next card's `{`, or up
    /// to the `]` for the last card, so the comma and spaces between cards come with it.
    pub fn span(&self, index: usize) -> Option<Range<u64>> {
        let start = *self.starts.get(index)?;
        let end = self.starts.get(index + 1).copied().unwrap_or(self.end);
        Some(u64::from(start)..u64::from(end))
    }

    /// True when these can be the ranges of `cards` cards in a file of `len` bytes: one
    /// start per card, each after the one before, all before the end, which is inside the
    /// file. Anything else is a damaged index.
    pub fn fit(&self, cards: usize, len: u64) -> bool {
        self.starts.len() == cards
            && self.starts.windows(2).all(|pair| pair[0] < pair[1])
            && self.starts.last().is_none_or(|&last| last < self.end)
            && u64::from(self.end) < len
    }
}

/// The ranges of the cards in `bytes`, a deck file as read from disk that has parsed as a
/// deck; `None` if its cards cannot be found (which a valid deck file never gives).
///
/// The file is walked again rather than during the typed parse: serde does not say where
/// a value starts, and the walk skips strings with `memchr`, a small part of the parse.
/// It assumes valid JSON: it finds structure, it does not check it.
pub fn card_ranges(bytes: &[u8]) -> Option<CardRanges> {
    let mut scan = Scan {
        bytes,
        at: if bytes.starts_with(b"\xef\xbb\xbf") {
            3
        } else {
            0
        },
    };
    scan.space();
    scan.eat(b'{')?;
    loop {
        scan.space();
        let key = scan.string()?;
        scan.space();
        scan.eat(b':')?;
        scan.space();
        // A key may be written with escapes (`"c\u0061rds"`), which serde reads as the key.
        let key = &bytes[key];
        let is_cards = if key.contains(&b'\\') {
            let quoted = [b"\"", key, b"\""].concat();
            serde_json::from_slice::<String>(&quoted).is_ok_and(|k| k == "cards")
        } else {
            key == b"cards"
        };
        if is_cards {
            return scan.cards();
        }
        scan.value()?;
        scan.space();
        scan.eat(b',')?;
    }
}

/// A walk over JSON text known to be valid.
struct Scan<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Past JSON whitespace.
    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Past the string that starts here; the range of its text between the quotes.
    fn string(&mut self) -> Option<Range<usize>> {
        self.eat(b'"')?;
        let start = self.at;
        loop {
            let found = self.at + memchr::memchr2(b'"', b'\\', self.bytes.get(self.at..)?)?;
            if self.bytes[found] == b'\\' {
                // An escape is a backslash and at least one more byte, never a quote
                // that ends the string.
                self.at = found + 2;
            } else {
                self.at = found + 1;
                return Some(start..found);
            }
        }
    }

    /// Past the value that starts here.
    fn value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                self.at += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            // A number, true, false or null.
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.at += 1;
                }
                Some(())
            }
        }
    }

    /// The list of cards that starts here.
    fn cards(&mut self) -> Option<CardRanges> {
        self.eat(b'[')?;
        let mut starts = Vec::new();
        self.space();
        if self.peek()? != b']' {
            loop {
                self.space();
                if self.peek()? != b'{' {
                    return None;
                }
                starts.push(u32::try_from(self.at).ok()?);
                self.value()?;
                self.space();
                match self.peek()? {
                    b',' => self.at += 1,
                    b']' => break,
                    _ => return None,
                }
            }
        }
        Some(CardRanges {
            starts,
            end: u32::try_from(self.at).ok()?,
        })
    }
}

/// Card `index` (0-based) of a deck, read from `span`, its bytes as [`CardRanges::span`]
/// gives them; `last` when it is the deck's last card. The card must be one JSON object
/// followed by nothing but spaces and, unless it is the last, one comma, and it must pass
/// every check a deck's card passes on its own ([`lone_card_problems`]). The checks
/// that compare cards with one another are the whole deck's, made when it was indexed.
///
/// The error says why the bytes are not that card.
pub fn read_card(span: &[u8], index: usize, last: bool) -> Result<Card, String> {
    let mut cards = serde_json::Deserializer::from_slice(span).into_iter::<RawCard>();
    let raw = match cards.next() {
        Some(Ok(raw)) => raw,
        Some(Err(e)) => return Err(format!("its bytes are not a card: {e}")),
        None => return Err("its bytes are empty".to_owned()),
    };
    let rest = span.get(cards.byte_offset()..).unwrap_or_default();
    let rest = rest.trim_ascii_start();
    let rest = match (last, rest.split_first()) {
        (false, Some((b',', after))) => after,
        (false, _) => return Err("no comma follows it".to_owned()),
        (true, _) => rest,
    };
    if !rest.trim_ascii().is_empty() {
        return Err("more than one card is in its bytes".to_owned());
    }
    let problems = lone_card_problems(&raw, index + 1);
    if let Some(error) = problems.iter().find(|p| p.severity == Severity::Error) {
        return Err(error.to_string());
    }
    Ok(raw.into_card())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every card of `bytes`, read by range; the full parse's deck for comparison.
    fn by_range(bytes: &[u8]) -> (Vec<Card>, Deck) {
        let deck = parse(bytes, "t").expect("a valid deck").deck;
        let ranges = card_ranges(bytes).expect("the cards are found");
        assert!(ranges.fit(deck.cards.len(), bytes.len() as u64));
        let count = ranges.starts.len();
        let cards = (0..count)
            .map(|i| {
                let span = ranges.span(i).unwrap();
                let span = &bytes[span.start as usize..span.end as usize];
                read_card(span, i, i + 1 == count).unwrap()
            })
            .collect();
        (cards, deck)
    }

    #[test]
    fn cards_read_by_range_are_the_cards_of_the_full_parse_whatever_the_layout() {
        let layouts = [
            // Compact, keys in another order, the cards first, an escaped key.
            r#"{"cards":[{"back":"A","id":"a","front":"Q"},{"id":"b","front":"Q2","back":"B","tags":["x"]}],"format_version":1,"id":"d","title":"T","description":""}"#,
            "\u{feff}{ \"format_version\" : 1 , \"id\" : \"d\" , \"title\" : \"T ] } \\\" [\" ,\n\t\"description\":\"{[\" ,\r\n \"c\\u0061rds\" :\n[ { \"id\":\"a\",\"front\":\"Q } ]\",\"back\":\"A\\\\\"} ,\n{\"id\":\"b\",\"front\":\"Q2\",\"back\":\"B\",\"source\":null} ] }",
            r#"{"format_version":1.0,"id":"d","title":"T","description":"","author":"x","version":"1","cards":[]}"#,
        ];
        for text in layouts {
            let (cards, deck) = by_range(text.as_bytes());
            assert_eq!(cards, deck.cards, "{text}");
        }
    }

    #[test]
    fn bytes_that_are_not_exactly_one_valid_card_are_refused() {
        let card = |s: &str| read_card(s.as_bytes(), 0, false);
        assert!(card(r#"{"id":"a","front":"Q","back":"A"} , "#).is_ok());
        assert!(read_card(br#"{"id":"a","front":"Q","back":"A"} "#, 0, true).is_ok());
        for (span, why) in [
            (r#"{"id":"a","front":"Q","back":"A"} "#, "no comma"),
            (r#"{"id":"a","front":"Q","back":"A"},{"#, "more than one"),
            (r#"{"id":"a","front":"Q","back":"A""#, "not a card"),
            (r#""id":"a","front":"Q","back":"A"},"#, "not a card"),
            (
                r#"{"id":"a","front":"Q","back":"A","x":1},"#,
                "unknown field",
            ),
            (r#"{"id":"a","front":"Q\u001b[2J","back":"A"},"#, "U+001B"),
            (r#"{"id":"A b","front":"Q","back":"A"},"#, "card 1"),
            (r#"{"id":"a","front":" ","back":"A"},"#, "front is empty"),
            (
                r#"{"id":"a","front":"Q","back":"A","tags":["two words"]},"#,
                "spaces",
            ),
            (
                "{\"id\":\"a\",\"front\":\"Q\u{202e}\",\"back\":\"A\"},",
                "U+202E",
            ),
            ("", "empty"),
        ] {
            let error = card(span).expect_err(span);
            assert!(error.contains(why), "{span}: {error}");
        }
        let bad_utf8 = b"{\"id\":\"a\",\"front\":\"Q\xff\",\"back\":\"A\"},";
        assert!(read_card(bad_utf8, 0, false).is_err());
    }

    #[test]
    fn offsets_are_written_as_steps_and_read_back() {
        let ranges = CardRanges {
            starts: vec![178, 616, 1120, 70_000],
            end: 70_500,
        };
        let text = serde_json::to_string(&ranges).unwrap();
        assert_eq!(text, r#"{"steps":"178 438 504 68880","end":70500}"#);
        assert_eq!(serde_json::from_str::<CardRanges>(&text).unwrap(), ranges);
        let none = CardRanges {
            starts: vec![],
            end: 9,
        };
        let text = serde_json::to_string(&none).unwrap();
        assert_eq!(serde_json::from_str::<CardRanges>(&text).unwrap(), none);
        // Escaped digits are still digits; anything else is damage.
        assert_eq!(steps::parse("1 2 3"), Some(vec![1, 3, 6]));
        let escaped = r#"{"steps":"\u0031 2","end":5}"#;
        assert_eq!(
            serde_json::from_str::<CardRanges>(escaped).unwrap().starts,
            [1, 3]
        );
        for bad in [
            "1  2",
            " 1",
            "1 ",
            "+1",
            "1 -2",
            "1 x",
            "4294967295 1",
            "99999999999",
        ] {
            assert_eq!(steps::parse(bad), None, "{bad:?}");
        }
        assert!(serde_json::from_str::<CardRanges>(r#"{"steps":[1,2],"end":5}"#).is_err());
    }

    #[test]
    fn ranges_that_cannot_describe_the_deck_do_not_fit() {
        let ranges = |starts: &[u32], end| CardRanges {
            starts: starts.to_vec(),
            end,
        };
        assert!(ranges(&[10, 20], 30).fit(2, 40));
        assert!(ranges(&[], 30).fit(0, 40));
        assert!(!ranges(&[10, 20], 30).fit(3, 40), "a card without a range");
        assert!(!ranges(&[20, 10], 30).fit(2, 40), "out of order");
        assert!(!ranges(&[10, 10], 30).fit(2, 40), "two cards at one place");
        assert!(!ranges(&[10, 30], 30).fit(2, 40), "a card at the end");
        assert!(!ranges(&[10, 20], 40).fit(2, 40), "the end past the file");
    }

    /// Text meant to trip a reader that finds structure by bytes: quotes, backslashes,
    /// brackets, escapes written out, and characters of every width, right-to-left
    /// marks included as escapes (a raw one is refused).
    fn hostile_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            Just("\\\"".to_owned()),
            Just("{[}],:".to_owned()),
            Just("\\u0022".to_owned()),
            Just("مرحبا بالعميل".to_owned()),
            Just("שלום".to_owned()),
            Just("日本語のカード".to_owned()),
            Just("😀👍🏽".to_owned()),
            Just("\n\t".to_owned()),
            "[a-zA-Z0-9 .,?!'-]{1,30}",
        ];
        proptest::collection::vec(piece, 1..12).prop_map(|parts| format!("Q {}", parts.concat()))
    }

    fn hostile_card() -> impl Strategy<Value = RawCard> {
        (
            hostile_text(),
            hostile_text(),
            0usize..400,
            proptest::collection::vec("[a-z]{1,8}", 0..3),
            proptest::option::of(hostile_text()),
        )
            .prop_map(|(front, back, long, tags, source)| RawCard {
                id: String::new(),
                front,
                // Long backs: a warning, not an error, and many bytes to skip.
                back: format!("{back}{}", " word \\ \"".repeat(long)),
                tags,
                source,
                guid: None,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn every_card_read_by_range_equals_the_full_parse(
            cards in proptest::collection::vec(hostile_card(), 0..12),
            rtl in proptest::bool::ANY,
            compact in proptest::bool::ANY,
        ) {
            let mut deck = Deck::new(Id("d".into()), "T".into(), "D".into());
            for (i, mut raw) in cards.into_iter().enumerate() {
                raw.id = format!("c{i}");
                if rtl {
                    // Written as `\u200f` by `to_json`, as every deck prepdeck writes.
                    raw.front = format!("\u{200f}{}", raw.front);
                }
                deck.cards.push(raw.into_card());
            }
            let text = if compact && !rtl {
                serde_json::to_string(&deck).unwrap()
            } else {
                deck.to_json()
            };
            let (read, parsed) = by_range(text.as_bytes());
            prop_assert_eq!(&read, &parsed.cards);
            prop_assert_eq!(&parsed.cards, &deck.cards);
        }
    }
}
