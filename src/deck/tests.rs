//! Tests of reading deck JSON: structure, positions, versions and validation.

use super::*;

#[test]
fn a_deck_error_points_at_check_only_for_a_file() {
    let error = |is_file| DeckError {
        origin: "built-in x".into(),
        problems: vec![Problem::error(Place::File, "the file is empty")],
        is_file,
    };
    assert!(error(true)
        .to_string()
        .contains("`prepdeck check 'built-in x'`"));
    assert!(!error(false).to_string().contains("prepdeck check"));
}

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

/// (place, message) of every error, for comparing whole reports.
fn report(text: &str) -> Vec<(String, String)> {
    errors(parse(text.as_bytes(), "demo.json"))
        .into_iter()
        .map(|p| (p.place.to_string(), p.message))
        .collect()
}

#[test]
fn unknown_keys_on_several_cards_are_all_reported_with_a_suggestion() {
    let text = deck_json(
        r#"{"id": "a", "front": "Q1", "bakc": "A1", "tags": ["t"]},
           {"id": "b", "front": "Q2", "back": "A2", "tags": ["t"]},
           {"id": "c", "frnot": "Q3", "back": "A3", "tags": ["t"]}"#,
    );
    assert_eq!(
        report(&text),
        [
            (
                "card 1 (\"a\")".to_owned(),
                "unknown key \"bakc\"; did you mean \"back\"?".to_owned()
            ),
            (
                "card 3 (\"c\")".to_owned(),
                "unknown key \"frnot\"; did you mean \"front\"?".to_owned()
            ),
        ]
    );
}

#[test]
fn missing_deck_fields_and_a_missing_back_are_all_reported_with_places() {
    let text = r#"{"format_version": 1, "cards": [
        {"id": "a", "front": "Q1", "back": "A1", "tags": ["t"]},
        {"id": "b", "front": "Q2", "tags": ["t"]}]}"#;
    assert_eq!(
        report(text),
        [
            (
                "deck field \"id\"".to_owned(),
                "\"id\" is missing; add it to the deck".to_owned()
            ),
            (
                "deck field \"title\"".to_owned(),
                "\"title\" is missing; add it to the deck".to_owned()
            ),
            (
                "deck field \"description\"".to_owned(),
                "\"description\" is missing; add it to the deck".to_owned()
            ),
            (
                "card 2 (\"b\")".to_owned(),
                "\"back\" is missing; add it to the card".to_owned()
            ),
        ]
    );
}

#[test]
fn structure_and_content_problems_are_reported_in_one_run_in_file_order() {
    let text = deck_json(
        r#"{"id": "a", "front": "Q1", "bakc": "A1", "tags": ["t"]},
           {"id": "Bad Id", "front": "Q2", "back": "A2", "tags": ["t"]},
           {"id": "c", "front": " ", "back": "A3\u001b[2J", "tags": ["t"]},
           {"id": "c", "front": 4, "back": "A4", "tags": ["t"]}"#,
    );
    let found = report(&text);
    let places: Vec<&str> = found.iter().map(|(place, _)| place.as_str()).collect();
    assert_eq!(
        places,
        [
            "card 1 (\"a\")",
            "card 2 (\"Bad Id\")",
            "card 3 (\"c\")",
            "card 3 (\"c\")",
            "card 4 (\"c\")",
            "card 4 (\"c\")",
        ]
    );
    assert!(found[1].1.contains("may only contain"), "{found:?}");
    assert_eq!(found[2].1, "front is empty");
    assert!(found[3].1.contains("U+001B"), "{found:?}");
    assert_eq!(found[4].1, "\"front\" must be text in quotes, not a number");
    // A card with a broken front still takes part in the id checks.
    assert!(found[5].1.contains("already used by card 3"), "{found:?}");
}

#[test]
fn a_card_id_that_cannot_be_read_leaves_the_card_known_by_its_number() {
    let text = deck_json(
        r#"{"front": "Q1", "back": "A1", "tags": ["t"]},
           {"id": 7, "front": "Q2", "back": "A2", "tags": ["t"]},
           "just text""#,
    );
    assert_eq!(
        report(&text),
        [
            (
                "card 1".to_owned(),
                "\"id\" is missing; add it to the card".to_owned()
            ),
            (
                "card 2".to_owned(),
                "\"id\" must be text in quotes, not a number".to_owned()
            ),
            (
                "card 3".to_owned(),
                "the card is text in quotes, not an object {\"id\": ..., \"front\": ..., \"back\": ...}"
                    .to_owned()
            ),
        ]
    );
}

#[test]
fn wrongly_typed_parts_are_reported_once_not_also_as_empty() {
    let text = r#"{"format_version": 1, "id": "demo", "title": 5, "description": null,
        "author": ["x"], "cards": [
          {"id": "a", "front": "Q", "back": "A", "tags": "t"},
          {"id": "b", "front": "Q2", "back": "A", "tags": [1, "ok", true], "source": 2}]}"#;
    let found = parse(text.as_bytes(), "demo.json").unwrap_err().problems;
    let shown: Vec<String> = found.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        shown,
        [
            "deck field \"title\": error: \"title\" must be text in quotes, not a number",
            "deck field \"description\": error: \"description\" must be text in quotes, not null",
            "deck field \"author\": error: \"author\" must be text in quotes or null, not a list [...]",
            "card 1 (\"a\"): error: \"tags\" must be a list [...], not text in quotes",
            "card 2 (\"b\"): error: tag 1 must be text in quotes, not a number",
            "card 2 (\"b\"): error: tag 3 must be text in quotes, not true or false",
            "card 2 (\"b\"): error: \"source\" must be text in quotes or null, not a number",
        ],
        "no 'title is empty', no 'the card has no tags'"
    );
}

#[test]
fn cards_that_are_not_a_list_are_reported_without_a_no_cards_warning() {
    let text = r#"{"format_version": 1, "id": "demo", "title": "T", "description": "",
        "cards": {"a": {}}}"#;
    let found = parse(text.as_bytes(), "demo.json").unwrap_err().problems;
    let shown: Vec<String> = found.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        shown,
        ["deck field \"cards\": error: \"cards\" must be a list [...], not an object {...}"]
    );
}

#[test]
fn a_repeated_key_is_reported_once_with_the_other_problems() {
    let text = deck_json(
        r#"{"id": "a", "id": "b", "id": "c", "front": "Q", "back": "A", "tags": ["t"]},
           {"id": "d", "front": "Q2", "tags": ["t"]}"#,
    );
    assert_eq!(
        report(&text),
        [
            (
                "card 1 (\"a\")".to_owned(),
                "the key \"id\" is given more than once; keep one".to_owned()
            ),
            (
                "card 2 (\"d\")".to_owned(),
                "\"back\" is missing; add it to the card".to_owned()
            ),
        ]
    );
}

#[test]
fn an_unknown_key_without_a_likely_meaning_lists_the_keys() {
    let text = deck_json(r#"{"id": "a", "front": "Q", "back": "A", "colour": "red"}"#);
    assert_eq!(
        report(&text),
        [(
            "card 1 (\"a\")".to_owned(),
            "unknown key \"colour\"; the card may only have the keys id, front, back, tags, source, guid"
                .to_owned()
        )]
    );
}

#[test]
fn a_syntax_error_after_a_content_error_is_reported_alone_with_its_position() {
    let text = "{\"format_version\": 1, \"bakc\": 1,\n \"id\": \"x\",,}";
    let found = errors(parse(text.as_bytes(), "demo.json"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        matches!(found[0].place, Place::Position { line: 2, .. }),
        "{:?}",
        found[0]
    );
}

#[test]
fn an_empty_file_is_called_empty() {
    for text in ["", "  \n\t", "\u{feff}", "\u{feff}\n"] {
        let found = errors(parse(text.as_bytes(), "demo.json"));
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        assert_eq!(found[0].place, Place::File, "{text:?}");
        assert!(
            found[0].message.starts_with("the file is empty"),
            "{text:?}: {found:?}"
        );
    }
}

#[test]
fn a_file_that_is_not_an_object_says_what_a_deck_is() {
    let found = errors(parse(b"[1, 2]", "demo.json"));
    assert_eq!(found[0].place, Place::File);
    assert!(
        found[0]
            .message
            .starts_with("the file holds a list [...], not a deck"),
        "{found:?}"
    );
}

#[test]
fn missing_format_version_is_reported_with_the_other_problems() {
    let text = r#"{"id": "demo", "title": "T", "description": "", "cards": [
        {"id": "a", "front": "Q", "bakc": "A", "tags": ["t"]}]}"#;
    let found = report(text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "deck field \"format_version\"");
    assert_eq!(found[1].0, "card 1 (\"a\")");
}

#[test]
fn format_version_may_be_written_as_a_whole_float() {
    let card = r#"{"id": "a", "front": "Q", "back": "A", "tags": ["t"]}"#;
    for version in ["1.0", "1e0", "10e-1", "1.000"] {
        let text = deck_json(card).replace(
            "\"format_version\": 1",
            &format!("\"format_version\": {version}"),
        );
        let parsed = parse(text.as_bytes(), "demo.json");
        assert!(parsed.is_ok(), "{version}: {parsed:?}");
        assert_eq!(parsed.unwrap().deck.format_version, FORMAT_VERSION);
    }
}

#[test]
fn format_version_that_is_not_a_whole_supported_number_is_refused_plainly() {
    let card = r#"{"id": "a", "front": "Q", "back": "A", "tags": ["t"]}"#;
    let cases = [
        (
            "1.5",
            "format_version 1.5 is unknown; this prepdeck reads version 1",
        ),
        (
            "-1",
            "format_version -1 is unknown; this prepdeck reads version 1",
        ),
        (
            "0.0",
            "format_version 0 is unknown; this prepdeck reads version 1",
        ),
        (
            "2.0",
            "format_version 2 is newer than this prepdeck reads (1); upgrade prepdeck",
        ),
        (
            "\"1\"",
            "\"format_version\" must be the number 1, not text in quotes",
        ),
    ];
    for (version, message) in cases {
        let text = deck_json(card).replace(
            "\"format_version\": 1",
            &format!("\"format_version\": {version}"),
        );
        let found = report(&text);
        assert_eq!(
            found,
            [(
                "deck field \"format_version\"".to_owned(),
                message.to_owned()
            )],
            "{version}"
        );
    }
}

#[test]
fn a_deck_file_with_a_device_name_id_is_refused_at_the_deck_id() {
    let text = deck_json(r#"{"id": "con", "front": "Q", "back": "A", "tags": ["t"]}"#)
        .replace("\"id\": \"demo\"", "\"id\": \"aux\"");
    assert_eq!(
        report(&text),
        [(
            "deck field \"id\"".to_owned(),
            "deck id \"aux\" is a device name on Windows (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9), where the deck could not be stored as aux.json; choose another id, such as \"aux-deck\"".to_owned()
        )],
        "card id \"con\" is accepted"
    );
}

/// The keys serde names in its "unknown field" error: the fields of `RawDeck` or
/// `RawCard` themselves.
fn serde_keys(text: &str) -> Vec<String> {
    let message = serde_json::from_str::<RawDeck>(text)
        .unwrap_err()
        .to_string();
    let list = &message[message.find("expected one of ").unwrap() + 16..];
    let list = &list[..list.find(" at line").unwrap_or(list.len())];
    list.split(", ")
        .map(|k| k.trim_matches('`').to_owned())
        .collect()
}

#[test]
fn the_structure_walk_knows_exactly_the_keys_the_typed_parse_knows() {
    assert_eq!(
        serde_keys(r#"{"format_version": 1, "shiny": 1}"#),
        DECK_KEYS.map(String::from)
    );
    assert_eq!(
        serde_keys(r#"{"format_version": 1, "cards": [{"shiny": 1}]}"#),
        CARD_KEYS.map(String::from)
    );
}

#[test]
fn likely_keys_are_one_slip_away() {
    let guess =
        |key: &str| likely_key(key, CARD_KEYS.iter().copied().enumerate()).map(|i| CARD_KEYS[i]);
    assert_eq!(guess("bakc"), Some("back"));
    assert_eq!(guess("frnot"), Some("front"));
    assert_eq!(guess("Front"), Some("front"));
    assert_eq!(guess("tag"), Some("tags"));
    assert_eq!(guess("sorce"), Some("source"));
    assert_eq!(guess("srouce"), Some("source"));
    assert_eq!(guess("ids"), Some("id"));
    assert_eq!(guess("colour"), None);
    assert_eq!(guess("answer"), None);
    assert_eq!(guess(&"x".repeat(100)), None);
    let deck =
        |key: &str| likely_key(key, DECK_KEYS.iter().copied().enumerate()).map(|i| DECK_KEYS[i]);
    assert_eq!(deck("formatVersion"), Some("format_version"));
    assert_eq!(deck("descripton"), Some("description"));
    assert_eq!(deck("titel"), Some("title"));
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

/// The parse in the order the rules are stated: the file read as a tree and its
/// version checked first, then the typed parse, which [`parse`] does first alone.
fn reference_parse(bytes: &[u8]) -> Result<Parsed, DeckError> {
    let fail = |problems| DeckError {
        origin: "x.json".into(),
        problems,
        is_file: true,
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return parse(bytes, "x.json");
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return parse(bytes, "x.json");
    }
    let root: Node = serde_json::from_str(text).map_err(|e| fail(vec![syntax_problem(&e)]))?;
    if let Walked::Stop(problem) = walk_deck(root) {
        return Err(fail(vec![problem]));
    }
    let raw: RawDeck =
        serde_json::from_str(text).map_err(|e| fail(structure_problems(text, &e)))?;
    check_version(Some(raw.format_version)).map_err(|p| fail(vec![p]))?;
    let problems = validate_raw(&raw);
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
