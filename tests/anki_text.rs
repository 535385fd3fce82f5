//! A coach's Anki notes, exported again after edits, update the learner's deck card by
//! card: by Anki's guid when the export has one, by an unchanged back when it does not,
//! and never onto a card that was not reviewed. The v2 files are Anki's own exports of
//! the same notes after the edits (tests/fixtures/anki/make_v2_fixtures.py).

mod common;

use common::Env;
use serde_json::Value;

const DAY1: &str = "2026-03-02T09:00:00+00:00";
const DAY2: &str = "2026-03-03T09:00:00+00:00";

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/anki/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `import` of fixture `name` into deck `coach` at `now`: its standard output.
fn import_at(env: &Env, now: &str, name: &str) -> String {
    env.ok_at(now, &["import", &fixture(name), "--deck", "coach"], "")
}

fn import(env: &Env, name: &str) -> String {
    import_at(env, DAY2, name)
}

/// The card of `deck` whose front starts with `front`.
fn card_starting(cards: &[Value], front: &str) -> Value {
    cards
        .iter()
        .find(|c| c["front"].as_str().unwrap_or("").starts_with(front))
        .unwrap_or_else(|| panic!("no card starts with {front:?}: {cards:?}"))
        .clone()
}

/// Answers card `id` of deck `coach` with Good on day 1.
fn answer(env: &Env, id: &str) {
    env.ok_at(DAY1, &["review", "coach", "--card", id], "\n4\nq\n");
}

/// The deck file's card `id`, with the fields `cards --json` does not show.
fn stored(env: &Env, id: &str) -> Value {
    let deck: Value =
        serde_json::from_slice(&std::fs::read(env.deck_file("coach")).unwrap()).unwrap();
    deck["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no card {id}"))
        .clone()
}

#[test]
fn a_front_reworded_in_anki_keeps_its_card_and_progress_by_guid() {
    let env = Env::new();
    import_at(&env, DAY1, "notes-all-columns.txt");
    let cards = env.cards_at("coach", DAY1);
    let shouts = card_starting(&cards, "What is your first move")["id"].clone();
    let other = card_starting(&cards, "Qu'est-ce que")["id"].clone();
    answer(&env, shouts.as_str().unwrap());
    // The learner's own card in the coach's deck.
    env.ok_at(
        DAY1,
        &[
            "add", "--deck", "coach", "--front", "My own?", "--back", "Mine.",
        ],
        "",
    );

    let out = import(&env, "notes-all-columns-v2.txt");
    assert!(out.contains("kept: your own cards"), "{out}");
    let cards = env.cards_at("coach", DAY2);
    let reworded = card_starting(&cards, "What is your first move");
    assert_eq!(reworded["id"], shouts, "the same Anki note keeps its id");
    assert_eq!(
        reworded["front"],
        "What is your first move when a customer starts shouting?"
    );
    assert_eq!(reworded["reps"], 1, "its answer still counts");
    assert_eq!(card_starting(&cards, "Qu'est-ce que")["id"], other);
    assert_eq!(card_starting(&cards, "Qu'est-ce que")["reps"], 0);
    assert_eq!(card_starting(&cards, "My own?")["front"], "My own?");
    assert_eq!(stored(&env, shouts.as_str().unwrap())["guid"], "KRb,a=DUpG");
}

#[test]
fn a_spelling_fix_without_guid_keeps_the_card_when_the_back_is_unchanged() {
    let env = Env::new();
    env.ok_at(
        DAY1,
        &["import", &fixture("notes-default.txt"), "--deck", "coach"],
        "",
    );
    let cards = env.cards_at("coach", DAY1);
    let apologise = card_starting(&cards, "Why apologise")["id"].clone();
    answer(&env, apologise.as_str().unwrap());

    let out = import(&env, "notes-default-v2.txt");
    let cards = env.cards_at("coach", DAY2);
    let fixed = card_starting(&cards, "Why apologize");
    assert_eq!(fixed["id"], apologise, "{out}");
    assert_eq!(fixed["reps"], 1);
    // A front re-worded beyond a typo, with no guid to tell, is a new card; the old
    // one retires with its history rather than lending it to a card never reviewed.
    let shouting = card_starting(&cards, "What is your first move");
    assert_eq!(shouting["reps"], 0);
    assert!(out.contains("retired"), "{out}");
}

#[test]
fn a_guid_seen_once_is_kept_when_the_next_export_has_none() {
    let env = Env::new();
    import_at(&env, DAY1, "notes-all-columns.txt");
    let cards = env.cards_at("coach", DAY1);
    let apologise = card_starting(&cards, "Why apologise")["id"].clone();
    answer(&env, apologise.as_str().unwrap());

    import(&env, "notes-default-v2.txt");
    let cards = env.cards_at("coach", DAY2);
    let fixed = card_starting(&cards, "Why apologize");
    assert_eq!(fixed["id"], apologise);
    assert_eq!(fixed["reps"], 1);
    // Still Anki's note: an export back to Anki updates it.
    assert_eq!(
        stored(&env, apologise.as_str().unwrap())["guid"],
        "wL3m:s7iUa"
    );
    let tsv = env.ok_at(DAY2, &["export", "coach", "--format", "tsv"], "");
    assert!(
        tsv.lines()
            .any(|l| l.starts_with("Why apologize") && l.ends_with("\twL3m:s7iUa")),
        "{tsv}"
    );
}

#[test]
fn duplicate_fronts_keep_their_own_progress_matched_by_guid_then_by_back() {
    let env = Env::new();
    let by_back = |cards: &[Value], back: &str| -> Value {
        cards
            .iter()
            .find(|c| c["back"] == back)
            .unwrap_or_else(|| panic!("no card with back {back:?}"))
            .clone()
    };
    // With guids: both backs edited, each card still found by its note.
    env.ok_at(
        DAY1,
        &["import", &fixture("notes-guid-only.txt"), "--deck", "coach"],
        "",
    );
    let cards = env.cards_at("coach", DAY1);
    let call = by_back(&cards, "Call back the next day.")["id"].clone();
    let ask = by_back(&cards, "Ask whether anything else is needed.")["id"].clone();
    answer(&env, call.as_str().unwrap());
    let v1 = std::fs::read_to_string(fixture("notes-guid-only.txt")).unwrap();
    let v2 = v1
        .replace("Call back the next day.", "Call back within a day.")
        .replace(
            "Ask whether anything else is needed.",
            "Ask what else they need.",
        );
    let path = env.write("guid-v2.txt", &v2);
    env.ok_at(
        DAY2,
        &["import", path.to_str().unwrap(), "--deck", "coach"],
        "",
    );
    let cards = env.cards_at("coach", DAY2);
    assert_eq!(by_back(&cards, "Call back within a day.")["id"], call);
    assert_eq!(by_back(&cards, "Call back within a day.")["reps"], 1);
    assert_eq!(by_back(&cards, "Ask what else they need.")["id"], ask);
    assert_eq!(by_back(&cards, "Ask what else they need.")["reps"], 0);

    // Without guids, the rows swapped: the back tells them apart.
    let env = Env::new();
    let plain = "Follow-up?\tCall back the next day.\tdup\nFollow-up?\tAsk whether anything else is needed.\tdup\n";
    let path = env.write("coach.tsv", plain);
    env.ok_at(DAY1, &["import", path.to_str().unwrap()], "");
    let cards = env.cards_at("coach", DAY1);
    let call = by_back(&cards, "Call back the next day.")["id"].clone();
    answer(&env, call.as_str().unwrap());
    let swapped = "Follow-up?\tAsk whether anything else is needed.\tdup\nFollow-up?\tCall back the next day.\tdup\n";
    std::fs::write(&path, swapped).unwrap();
    env.ok_at(DAY2, &["import", path.to_str().unwrap()], "");
    let cards = env.cards_at("coach", DAY2);
    assert_eq!(by_back(&cards, "Call back the next day.")["id"], call);
    assert_eq!(by_back(&cards, "Call back the next day.")["reps"], 1);
    assert_eq!(
        by_back(&cards, "Ask whether anything else is needed.")["reps"],
        0
    );
}

#[test]
fn a_third_field_without_a_tags_header_is_never_read_as_tags() {
    let env = Env::new();
    let output = env
        .cmd_at(DAY1)
        .args(["import", &fixture("notes-guid-only.txt"), "--deck", "coach"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let out = String::from_utf8(output.stderr).unwrap();
    let cards = env.cards_at("coach", DAY1);
    let timing = card_starting(&cards, "How long should the spoken answer be?");
    assert_eq!(timing["tags"], serde_json::json!([]), "{timing}");
    assert!(
        out.contains("column 4 is ignored") && out.contains("third field of the note, not tags"),
        "{out}"
    );
}

#[test]
fn an_export_back_to_anki_carries_each_note_guid_once() {
    let env = Env::new();
    import_at(&env, DAY1, "notes-all-columns.txt");
    let tsv = env.ok_at(DAY1, &["export", "coach", "--format", "tsv"], "");
    let guid_of = |front: &str| -> String {
        let line = tsv
            .lines()
            .find(|l| l.starts_with(front))
            .unwrap_or_else(|| panic!("no row {front:?} in {tsv}"));
        line.rsplit('\t').next().unwrap().to_owned()
    };
    assert_eq!(guid_of("What is your first move"), "KRb,a=DUpG");
    assert_eq!(guid_of("STAR\t"), "c3PdG;HU4I");
    // The two cards of the cloze note cannot each be that note in Anki.
    assert!(guid_of("In STAR, [...] is").starts_with("prepdeck:coach/"));
    assert!(guid_of("In STAR, S is the situation and [...]").starts_with("prepdeck:coach/"));
}
