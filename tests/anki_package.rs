//! Anki packages written by Anki's own exporters (tests/fixtures/anki, see its README):
//! read, converted to cards, and imported with their history.

mod common;

use prepdeck::deck::anki::{convert, package};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("tests/fixtures/anki/{name}")).unwrap()
}

fn fronts(converted: &convert::Converted) -> Vec<&str> {
    converted.cards.iter().map(|c| c.front.as_str()).collect()
}

#[test]
fn every_package_format_reads_the_same_notes_cards_and_review_log() {
    for name in ["deck-new.apkg", "deck-legacy.apkg", "collection-new.colpkg"] {
        let bytes = fixture(name);
        assert!(package::is_package(&bytes), "{name}");
        let collection = package::read(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(collection.notes.len(), 11, "{name}");
        assert_eq!(collection.cards.len(), 13, "{name}");
        assert_eq!(collection.revlog.len(), 8, "{name}");
        assert_eq!(collection.media, 2, "{name}");
        let cloze = collection.notetypes.values().filter(|n| n.cloze).count();
        assert!(cloze >= 1, "{name}: no cloze notetype found");
    }
}

#[test]
fn notes_become_cards_as_anki_templates_make_them() {
    let collection = package::read(&fixture("deck-new.apkg")).unwrap();
    let converted = convert::cards(&collection);
    let fronts = fronts(&converted);
    // Basic and reversed: both directions.
    assert!(fronts.contains(&"STAR"), "{fronts:?}");
    assert!(
        fronts.contains(&"Situation, Task, Action, Result"),
        "{fronts:?}"
    );
    // Cloze: one card per deletion.
    assert!(fronts.contains(&"In STAR, [...] is the situation and R is the result."));
    assert!(fronts.contains(&"In STAR, S is the situation and [...] is the result."));
    let cloze = converted
        .cards
        .iter()
        .find(|c| c.front.starts_with("In STAR, [...]"))
        .unwrap();
    assert_eq!(
        cloze.back,
        "In STAR, S is the situation and R is the result.\nExtra note"
    );
    // Type-in: the typed field is the answer.
    let typed = converted
        .cards
        .iter()
        .find(|c| c.front == "Type the last STAR step")
        .unwrap();
    assert_eq!(typed.back, "Result");
    // HTML becomes text; non-ASCII stays.
    let html = converted
        .cards
        .iter()
        .find(|c| c.front.starts_with("Why apologise"))
        .unwrap();
    assert_eq!(html.front, "Why apologise even when it was not your fault?");
    assert_eq!(html.back, "It defuses tension.\nKeep it specific.");
    assert!(fronts.contains(&"Qu'est-ce que l'écoute active ?"));
    // A sound reference is removed; an image-only front is skipped with its reason.
    assert!(fronts.contains(&"Listen to the calm voice"), "{fronts:?}");
    assert_eq!(converted.sounds_removed, 1);
    assert_eq!(converted.skipped.len(), 1, "{:?}", converted.skipped);
    assert!(converted.skipped[0].reason.contains("only an image"));
    // Tags, `::` included, and decks.
    let first = converted
        .cards
        .iter()
        .find(|c| c.front.starts_with("What is your first"))
        .unwrap();
    assert_eq!(first.tags, ["core", "Interview::Customers::De-escalation"]);
    assert_eq!(first.deck, "Interview prep::Difficult customers");
    // Ids come from the guid and the card's number, and are unique.
    let mut ids: Vec<&str> = converted.cards.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), converted.cards.len());
}

#[test]
fn the_legacy_and_new_packages_give_the_same_cards() {
    let new = convert::cards(&package::read(&fixture("deck-new.apkg")).unwrap());
    let legacy = convert::cards(&package::read(&fixture("deck-legacy.apkg")).unwrap());
    assert_eq!(new.cards, legacy.cards);
}

#[test]
fn a_long_hierarchical_anki_tag_is_accepted() {
    let tag = "Interview::Customers::De-escalation::Refunds::Without-a-receipt::Store-credit";
    let text = format!("#separator:tab\n#tags column:3\nQ?\tA.\t{tag}\n");
    let read = prepdeck::deck::text::parse(
        text.as_bytes(),
        "long-tags.txt",
        None,
        &prepdeck::deck::text::Target {
            id: prepdeck::deck::Id::parse("t").unwrap(),
            title: "T".into(),
            description: String::new(),
            author: None,
            version: None,
            existing: None,
        },
    )
    .unwrap();
    assert_eq!(read.parsed.deck.cards[0].tags, [tag]);
}

#[test]
fn a_file_that_is_not_a_package_is_refused_with_a_reason() {
    assert!(!package::is_package(b"front\tback\n"));
    let error = package::read(b"PK\x03\x04 not really a zip").unwrap_err();
    assert!(error.to_string().contains("not a readable ZIP"), "{error}");
}

mod import {
    use super::common::{ids, Env};
    use serde_json::Value;

    fn fixture_path(name: &str) -> String {
        format!("{}/tests/fixtures/anki/{name}", env!("CARGO_MANIFEST_DIR"))
    }

    fn import(env: &Env, args: &[&str]) -> String {
        let mut all = vec!["import"];
        all.extend_from_slice(args);
        env.ok_at(super::super_now(), &all, "")
    }

    #[test]
    fn a_package_installs_a_deck_per_anki_deck_with_its_history() {
        let env = Env::new();
        let out = import(&env, &[&fixture_path("deck-new.apkg")]);
        assert!(
            out.contains("Deck interview-prep-difficult-customers installed: 8 cards"),
            "{out}"
        );
        assert!(
            out.contains("Deck interview-prep-star installed: 4 cards"),
            "{out}"
        );
        assert!(
            out.contains("History: 8 answers from Anki's review log added."),
            "{out}"
        );
        assert!(out.contains("Skipped 2 media files"), "{out}");
        assert!(
            out.contains("Skipped 1 card:\n  \"An angry customer\": its question is only an image"),
            "{out}"
        );
        let log = env.log();
        assert_eq!(log.len(), 8);
        // The card answered Easy in Anki goes on from Anki's interval (4 days here).
        let cards = env.cards("interview-prep-difficult-customers");
        let typed = cards
            .iter()
            .find(|c| c["front"] == "Type the last STAR step")
            .unwrap();
        assert_eq!(typed["reps"], 1);
        assert!(typed["interval"].as_u64().unwrap() >= 3, "{typed}");
        let never: Vec<&Value> = cards.iter().filter(|c| c["reps"] == 0).collect();
        assert!(!never.is_empty());

        // The same package again: nothing changes, no answer is added twice.
        let again = import(&env, &[&fixture_path("deck-new.apkg")]);
        assert!(again.contains("is already this version"), "{again}");
        assert!(again.contains("History: 0 answers"), "{again}");
        assert_eq!(env.log().len(), 8);
    }

    #[test]
    fn legacy_and_collection_packages_import_the_same_cards() {
        let (a, b, c) = (Env::new(), Env::new(), Env::new());
        import(&a, &[&fixture_path("deck-new.apkg")]);
        import(&b, &[&fixture_path("deck-legacy.apkg")]);
        import(&c, &[&fixture_path("collection-new.colpkg")]);
        for deck in ["interview-prep-difficult-customers", "interview-prep-star"] {
            assert_eq!(ids(&a.cards(deck)), ids(&b.cards(deck)), "{deck}");
            assert_eq!(ids(&a.cards(deck)), ids(&c.cards(deck)), "{deck}");
        }
    }

    #[test]
    fn deck_merges_everything_and_strict_refuses_a_skipped_card() {
        let env = Env::new();
        let out = import(&env, &[&fixture_path("deck-new.apkg"), "--deck", "anki"]);
        assert!(out.contains("Deck anki installed: 12 cards"), "{out}");
        let output = env
            .cmd()
            .args([
                "import",
                &fixture_path("deck-new.apkg"),
                "--deck",
                "other",
                "--strict",
            ])
            .assert()
            .failure()
            .get_output()
            .clone();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains("--strict") && stderr.contains("only an image"),
            "{stderr}"
        );
        assert!(!env.deck_file("other").exists());
    }

    #[test]
    fn a_dry_run_writes_nothing_but_counts_the_history() {
        let env = Env::new();
        let out = import(&env, &[&fixture_path("deck-legacy.apkg"), "--dry-run"]);
        assert!(out.contains("would be installed"), "{out}");
        assert!(
            out.contains("History: 8 answers from Anki's review log would be added."),
            "{out}"
        );
        assert!(!env.data().join("reviews.jsonl").exists());
    }

    #[test]
    fn a_damaged_package_is_a_clear_error() {
        let env = Env::new();
        let bad = env.write("broken.apkg", "PK\u{3}\u{4} this is not a zip");
        let output = env
            .cmd()
            .args(["import", bad.to_str().unwrap()])
            .assert()
            .code(1)
            .get_output()
            .clone();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains("is not a readable Anki package"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"));
    }
}

/// Later than every answer in the fixtures.
fn super_now() -> &'static str {
    "2027-01-10T09:00:00Z"
}
