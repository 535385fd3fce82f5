//! Anki packages written by Anki's own exporters (tests/fixtures/anki, see its README):
//! read, converted to cards, and imported with their history.

use prepdeck::anki::{convert, package};

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
fn a_file_that_is_not_a_package_is_refused_with_a_reason() {
    assert!(!package::is_package(b"front\tback\n"));
    let error = package::read(b"PK\x03\x04 not really a zip").unwrap_err();
    assert!(error.to_string().contains("not a readable ZIP"), "{error}");
}
