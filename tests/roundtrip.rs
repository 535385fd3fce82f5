//! import(export(deck)) == deck for random decks with hostile text, in every format
//! prepdeck writes: JSON (`Deck::to_json`, what `prepdeck export` writes), TSV for Anki
//! (`to_tsv`, `#html:true`) and CSV for spreadsheets (`to_csv`).
//!
//! What each format carries (docs/deck-format.md, "What survives a round trip"):
//! - JSON: everything.
//! - TSV: card ids (in the guid column), fronts, backs and tags exactly; a card's own
//!   Anki guid (its id then the one the Anki import gives it), but not a guid two cards
//!   share; the title on its `#deck:` line, on one line (newlines and tabs become
//!   spaces) and trimmed; no source, description, author or version (taken from the
//!   installed deck).
//! - CSV: card ids, fronts, backs, tags, sources and guids exactly (a source of only
//!   spaces is an empty cell: no source); the deck's title, description, author and
//!   version are not in the file.

mod common;

use prepdeck::deck::text::{self, Target};
use prepdeck::deck::{self, Deck};
use prepdeck::render::text::is_unsafe_char;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Pieces of text that each break some naive writer or reader: separators, quotes,
/// header-like and comment-like starts, HTML and entities, Anki's markup (cloze,
/// sound), non-ASCII and right-to-left text with its marks, spaces at the ends.
fn hostile_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"".to_owned()),
        Just("\"\"".to_owned()),
        Just("'".to_owned()),
        Just("\t".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just(",".to_owned()),
        Just(";".to_owned()),
        Just("|".to_owned()),
        Just(":".to_owned()),
        Just("#".to_owned()),
        Just("#separator:comma".to_owned()),
        Just("#html:false".to_owned()),
        Just("tags:".to_owned()),
        Just(" ".to_owned()),
        Just("   ".to_owned()),
        Just("<b>".to_owned()),
        Just("</b>".to_owned()),
        Just("<br>".to_owned()),
        Just("<div>x</div>".to_owned()),
        Just("<img src=\"a.png\">".to_owned()),
        Just("<script>x</script>".to_owned()),
        Just("<!--".to_owned()),
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just("&".to_owned()),
        Just("&amp;".to_owned()),
        Just("&lt;".to_owned()),
        Just("&nbsp;".to_owned()),
        Just("&#91;".to_owned()),
        Just("&lrm;".to_owned()),
        Just("[sound:x.mp3]".to_owned()),
        Just("[sound:".to_owned()),
        Just("{{c1::calm}}".to_owned()),
        Just("{{c2::Task::hint}}".to_owned()),
        Just("{{".to_owned()),
        Just("}}".to_owned()),
        Just("::".to_owned()),
        Just("\\".to_owned()),
        Just("café".to_owned()),
        Just("顧客".to_owned()),
        Just("😀".to_owned()),
        Just("\u{a0}".to_owned()),
        Just("שלום".to_owned()),
        Just("مرحبا".to_owned()),
        Just("\u{200f}".to_owned()),
        Just("\u{200e}".to_owned()),
        Just("\u{61c}".to_owned()),
        Just("front".to_owned()),
        Just("Question".to_owned()),
        "[ -~]{1,6}",
        // Any printable character but the refused ones (\PC has U+2028, U+202E, ...).
        "\\PC{1,3}".prop_map(|text| text.chars().filter(|&c| !is_unsafe_char(c)).collect()),
    ]
}

/// A text with at least one letter, among hostile pieces.
fn side() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(hostile_piece(), 0..8),
        "[A-Za-zé]{1,6}|[א-ת]{1,6}",
        any::<prop::sample::Index>(),
    )
        .prop_map(|(mut pieces, word, at)| {
            let i = at.index(pieces.len() + 1);
            pieces.insert(i, word);
            pieces.concat()
        })
}

/// A tag: no white space, with `::` hierarchies, markup and non-ASCII.
fn tag() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "[A-Za-z0-9_-]{1,6}",
            Just("::".to_owned()),
            Just("&amp;".to_owned()),
            Just("<b>".to_owned()),
            Just("#".to_owned()),
            Just("[sound:x]".to_owned()),
            Just("{{c1::x}}".to_owned()),
            Just("שלום\u{200f}".to_owned()),
            Just("\"".to_owned()),
            Just(",".to_owned()),
        ],
        1..4,
    )
    .prop_map(|pieces| pieces.concat())
}

/// An Anki guid: printable ASCII without spaces, as Anki's base91 guids are, with the
/// characters a CSV or TSV writer must quote.
fn guid() -> impl Strategy<Value = String> {
    "[!-~]{1,6}[\"',;#&<>|]{0,3}".prop_filter("not prepdeck's own", |g| !g.starts_with("prepdeck:"))
}

/// The Anki guid a card keeps, if any: none, one of its own (its id then the one an
/// import from Anki gives it), or one it shares with other cards (a cloze note's).
#[derive(Debug, Clone)]
enum GuidKind {
    None,
    Own(String),
    Shared,
}

fn card(i: usize) -> impl Strategy<Value = Value> {
    (
        "[a-z0-9][a-z0-9-]{0,12}",
        side(),
        side(),
        proptest::collection::vec(tag(), 0..4),
        proptest::option::of(prop_oneof![side(), Just("  ".to_owned())]),
        prop_oneof![
            2 => Just(GuidKind::None),
            1 => guid().prop_map(GuidKind::Own),
            1 => Just(GuidKind::Shared),
        ],
    )
        .prop_map(move |(id, front, back, tags, source, guid)| {
            // Unique within the deck whatever the generator drew.
            let mut card =
                json!({"id": format!("{id}-{i}"), "front": front, "back": back, "tags": tags});
            if let Some(source) = source {
                card["source"] = json!(source);
            }
            match guid {
                GuidKind::None => {}
                GuidKind::Own(guid) => {
                    // Made unique in the deck, as a note's guid is.
                    let guid = format!("{guid}{i}");
                    card["id"] = json!(deck::anki::convert::note_card_id(&guid, 1));
                    card["guid"] = json!(guid);
                }
                GuidKind::Shared => card["guid"] = json!("Sh\"a;r,ed#1"),
            }
            card
        })
}

/// A deck as JSON: hostile text everywhere, valid by construction.
fn deck_json() -> impl Strategy<Value = Value> {
    (
        side(),
        prop_oneof![Just(String::new()), side()],
        proptest::option::of(side()),
        proptest::option::of("[0-9.]{1,6}"),
        1usize..7,
    )
        .prop_flat_map(|(title, description, author, version, n)| {
            let cards: Vec<_> = (0..n).map(card).collect();
            cards.prop_map(move |cards| {
                json!({
                    "format_version": 1,
                    "id": "round-trip",
                    "title": title,
                    "description": description,
                    "author": author,
                    "version": version,
                    "cards": cards,
                })
            })
        })
}

fn parse_json(value: &Value) -> Result<Deck, String> {
    deck::parse(value.to_string().as_bytes(), "generated.json")
        .map(|parsed| parsed.deck)
        .map_err(|e| format!("{e:?}"))
}

/// What a text file does not carry, from the deck it was exported from.
fn target(deck: &Deck) -> Target<'_> {
    Target {
        id: deck.id.clone(),
        title: deck.title.clone(),
        description: deck.description.clone(),
        author: deck.author.clone(),
        version: deck.version.clone(),
        existing: None,
    }
}

fn from_text(file: &str, name: &str, extension: &str, deck: &Deck) -> Result<Deck, String> {
    let read = text::parse(file.as_bytes(), name, Some(extension), &target(deck))
        .map_err(|e| format!("{e:?}\nfile:\n{file}"))?;
    if read.skipped > 0 {
        return Err(format!(
            "{} skipped: {:?}\nfile:\n{file}",
            read.skipped, read.parsed.warnings
        ));
    }
    Ok(read.parsed.deck)
}

/// The deck as the TSV carries it: no sources, the title on one trimmed line, no guid
/// shared by two cards.
fn as_tsv_carries(deck: &Deck) -> Deck {
    let mut expected = deck.clone();
    let one_line: String = deck
        .title
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    expected.title = one_line.trim().to_owned();
    let shared = |guid: &str| {
        deck.cards
            .iter()
            .filter(|c| c.guid.as_deref() == Some(guid))
            .count()
            > 1
    };
    for card in &mut expected.cards {
        card.source = None;
        // A guid two cards share is not written back (it names a note, not a card).
        // A card's own guid is: imported anew, the card is known by its Anki note, as
        // the Anki import names it (the same id unless the deck gave it another).
        match card.guid.clone() {
            Some(guid) if shared(&guid) => card.guid = None,
            Some(guid) => {
                card.id = deck::Id::parse(&deck::anki::convert::note_card_id(&guid, 1)).unwrap()
            }
            None => {}
        }
    }
    expected
}

/// The deck as the CSV carries it: a blank source is an empty cell.
fn as_csv_carries(deck: &Deck) -> Deck {
    let mut expected = deck.clone();
    for card in &mut expected.cards {
        if card.source.as_deref().is_some_and(|s| s.trim().is_empty()) {
            card.source = None;
        }
    }
    expected
}

/// Every format's round trip of `deck`, compared card by card for a readable failure.
fn check_round_trips(deck: &Deck) -> Result<(), TestCaseError> {
    let from_json = deck::parse(deck.to_json().as_bytes(), "exported.json")
        .map_err(|e| TestCaseError::fail(format!("JSON: {e:?}")))?
        .deck;
    compare("JSON", &from_json, deck)?;
    let from_tsv = from_text(&text::to_tsv(deck), "exported.tsv", "tsv", deck)
        .map_err(|e| TestCaseError::fail(format!("TSV: {e}")))?;
    compare("TSV", &from_tsv, &as_tsv_carries(deck))?;
    let from_csv = from_text(&text::to_csv(deck), "exported.csv", "csv", deck)
        .map_err(|e| TestCaseError::fail(format!("CSV: {e}")))?;
    compare("CSV", &from_csv, &as_csv_carries(deck))?;
    Ok(())
}

fn compare(format: &str, got: &Deck, expected: &Deck) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        got.cards.len(),
        expected.cards.len(),
        "{}: card count",
        format
    );
    for (got, expected) in got.cards.iter().zip(&expected.cards) {
        prop_assert_eq!(got, expected, "{}: card {}", format, expected.id);
    }
    prop_assert_eq!(got, expected, "{}: deck fields", format);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        // The second property throws away the decks validation refuses.
        max_global_rejects: 1 << 16,
        ..ProptestConfig::default()
    })]

    /// Decks the generator makes valid: that they are is part of the property.
    #[test]
    fn every_format_gives_back_the_deck_it_was_given(value in deck_json()) {
        let deck = parse_json(&value).map_err(TestCaseError::fail)?;
        check_round_trips(&deck)?;
    }

    /// Any text at all, refused characters and empty sides included: whatever deck
    /// validation lets through round-trips.
    #[test]
    fn every_deck_that_passes_validation_round_trips(
        value in deck_json(),
        wild in proptest::collection::vec(("\\PC{0,4}|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{feff}\u{2028}\u{2029}\r]", 0usize..4, any::<prop::sample::Index>()), 0..4),
    ) {
        let mut value = value;
        // Overwrite some sides and tags with anything, then keep only valid decks.
        for (text, which, at) in wild {
            let cards = value["cards"].as_array_mut().unwrap();
            let i = at.index(cards.len());
            let card = &mut cards[i];
            match which {
                0 => card["front"] = json!(text),
                1 => card["back"] = json!(text),
                2 => card["tags"] = json!([text]),
                _ => card["source"] = json!(text),
            }
        }
        let Ok(deck) = parse_json(&value) else {
            return Err(TestCaseError::reject("not a valid deck"));
        };
        check_round_trips(&deck)?;
    }
}

/// A text deck read with nothing installed, its deck id `examples`.
fn read(file: &str, extension: &str) -> Deck {
    let target = Target {
        id: deck::Id::parse("examples").unwrap(),
        title: "Examples".into(),
        description: String::new(),
        author: None,
        version: None,
        existing: None,
    };
    text::parse(file.as_bytes(), "examples", Some(extension), &target)
        .unwrap()
        .parsed
        .deck
}

#[test]
fn anki_markup_written_by_anki_is_still_read_as_markup() {
    // Anki's own export: the cloze is two cards, the sound reference goes.
    let anki = read(
        "#separator:tab\n#html:true\nStay {{c1::calm}} [sound:x.mp3]\t\tt\nQ\tA\tt\n",
        "txt",
    );
    assert_eq!(anki.cards.len(), 2);
    assert_eq!(anki.cards[0].front, "Stay [...]");
    // A spreadsheet without an id column: the same.
    let sheet = read("front,back\nQ [sound:a.mp3],A\n", "csv");
    assert_eq!(sheet.cards[0].front, "Q");
}

#[test]
fn a_csv_with_an_id_column_is_prepdecks_own_text_read_as_written() {
    let deck = read(
        "id,front,back,tags\nc1,Stay {{c1::calm}},[sound:x.mp3] is text,a::b\n",
        "csv",
    );
    assert_eq!(deck.cards.len(), 1);
    assert_eq!(deck.cards[0].id.as_str(), "c1");
    assert_eq!(deck.cards[0].front, "Stay {{c1::calm}}");
    assert_eq!(deck.cards[0].back, "[sound:x.mp3] is text");
}

#[test]
fn a_deck_title_ending_in_a_comma_is_not_taken_for_spreadsheet_padding() {
    let deck = read(
        "#separator:tab\n#deck:Calm, then kind,\nQ\tA, B\tt\n",
        "txt",
    );
    assert_eq!(deck.title, "Calm, then kind,");
    assert_eq!(deck.cards[0].back, "A, B");
    // Padded by a spreadsheet, every header line alike: still read as padding.
    let padded = read("#separator:tab,,\n#deck:Calm,,\nQ,\"A, B\",t\n", "csv");
    assert_eq!(padded.title, "Calm");
    assert_eq!(padded.cards[0].back, "A, B");
}

#[test]
fn tags_are_read_as_written_even_in_an_html_file() {
    let deck = read(
        "#separator:tab\n#html:true\n#tags column:3\nQ\tA\tR&amp;D [sound:x] a::b\n",
        "txt",
    );
    assert_eq!(deck.cards[0].tags, ["R&amp;D", "[sound:x]", "a::b"]);
}

/// The same through the binary: `prepdeck export` in each format, then `prepdeck import`
/// of the file as a new deck, compared field by field in the installed deck files.
#[test]
fn prepdeck_export_then_import_gives_back_every_card() {
    let env = common::Env::new();
    let hostile = [
        (
            "q1",
            "#separator:comma \"quoted\"\ttab",
            "<b>bold</b> &amp; [sound:x.mp3]\nline",
        ),
        (
            "q2",
            "Stay {{c1::calm}}, then listen;|",
            "  spaces at both ends  ",
        ),
        ("q3", "מה שלומך?\u{200f}", "טוב\u{200f} (3)\u{61c}"),
    ];
    let cards: Vec<Value> = hostile
        .iter()
        .map(|(id, front, back)| {
            json!({"id": id, "front": front, "back": back, "tags": ["a::b", "R&D"], "source": "Notes, p. 2"})
        })
        .collect();
    let deck = json!({"format_version": 1, "id": "hostile", "title": "Hostile, text",
        "description": "", "cards": cards});
    let file = env.write("hostile.json", &deck.to_string());
    env.cmd().arg("import").arg(&file).assert().success();
    let installed = |id: &str| -> Vec<Value> {
        let text = std::fs::read_to_string(env.deck_file(id)).unwrap();
        let deck: Value = serde_json::from_str(&text).unwrap();
        deck["cards"].as_array().unwrap().clone()
    };
    let original = installed("hostile");
    assert_eq!(original[0]["source"], "Notes, p. 2");
    let fields = |card: &Value, source: bool| {
        let mut keep = vec!["id", "front", "back", "tags"];
        if source {
            keep.push("source");
        }
        keep.iter().map(|k| card[*k].clone()).collect::<Vec<_>>()
    };
    for (format, carries_source) in [("json", true), ("tsv", false), ("csv", true)] {
        let out = env.path(&format!("out.{format}"));
        env.cmd()
            .args(["export", "hostile", "--format", format, "-o"])
            .arg(&out)
            .assert()
            .success();
        let copy = format!("copy-{format}");
        env.cmd()
            .arg("import")
            .arg(&out)
            .args(["--deck", &copy])
            .assert()
            .success();
        let copied = installed(&copy);
        assert_eq!(copied.len(), original.len(), "{format}");
        for (got, want) in copied.iter().zip(&original) {
            assert_eq!(
                fields(got, carries_source),
                fields(want, carries_source),
                "{format}"
            );
        }
    }
}
