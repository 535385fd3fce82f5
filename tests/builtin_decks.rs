//! The built-in decks: valid, complete, consistent and written as active-recall cards.

mod common;

use common::Env;
use prepdeck::catalog::built_in;
use prepdeck::deck::Deck;
use std::collections::{BTreeMap, BTreeSet};

/// Backs stay under 50 words: short enough to say out loud in one go.
const MAX_BACK_WORDS: usize = 49;
/// The longest front we allow, in words: a question, not a paragraph.
const MAX_FRONT_WORDS: usize = 40;
/// Lists longer than this are split into several cards.
const MAX_LIST_ITEMS: usize = 5;

/// The five source articles the decks are made from, by title.
const ARTICLES: &[&str] = &[
    "How do you handle difficult customers?",
    "Interview Examples of Dealing with Difficult Customers",
    "How do you deal with difficult customers?",
    "Strategies for Effectively Managing an Angry Customer",
    "Dealing with an angry customer during a job interview",
];

fn decks() -> Vec<Deck> {
    built_in().expect("every built-in deck parses and validates")
}

/// Lower case, letters and digits only: two fronts that differ only in punctuation,
/// spacing or case are the same question.
fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn every_deck_file_in_decks_dir_is_built_in_and_valid() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
    let mut on_disk = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read(&path).unwrap();
            let parsed = prepdeck::deck::parse(&text, &path.display().to_string())
                .unwrap_or_else(|e| panic!("{} is invalid: {e:?}", path.display()));
            on_disk.insert(parsed.deck.id.as_str().to_owned());
        }
    }
    let embedded: BTreeSet<String> = decks().iter().map(|d| d.id.as_str().to_owned()).collect();
    assert_eq!(on_disk, embedded, "decks/ and the embedded list differ");
}

#[test]
fn decks_come_in_teaching_order_with_sensible_sizes() {
    let decks = decks();
    let ids: Vec<&str> = decks.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "why-they-ask",
            "answer-tips",
            "sample-answers",
            "star-examples",
            "strategies",
            "interview-day",
        ]
    );
    for deck in &decks {
        let n = deck.cards.len();
        // Roughly 15-40 cards: a deck is a few days of new cards, not weeks.
        assert!((15..=45).contains(&n), "{} has {n} cards", deck.id.as_str());
        assert!(!deck.title.trim().is_empty() && !deck.description.trim().is_empty());
        assert!(
            deck.version.is_some(),
            "{} has no version",
            deck.id.as_str()
        );
    }
    let total: usize = decks.iter().map(|d| d.cards.len()).sum();
    assert!(total > 100, "only {total} built-in cards");
}

#[test]
fn fronts_are_unique_across_all_built_in_decks() {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for deck in decks() {
        for card in &deck.cards {
            let key = format!("{}/{}", deck.id.as_str(), card.id.as_str());
            if let Some(first) = seen.insert(normalize(&card.front), key.clone()) {
                panic!("{key} repeats the front of {first}: {:?}", card.front);
            }
        }
    }
}

#[test]
fn card_ids_are_unique_within_each_deck() {
    for deck in decks() {
        let mut ids = BTreeSet::new();
        for card in &deck.cards {
            assert!(
                ids.insert(card.id.as_str()),
                "{}/{} twice",
                deck.id.as_str(),
                card.id.as_str()
            );
        }
    }
}

#[test]
fn sides_are_present_short_and_lists_are_at_most_five_items() {
    for deck in decks() {
        for card in &deck.cards {
            let key = format!("{}/{}", deck.id.as_str(), card.id.as_str());
            let front_words = card.front.split_whitespace().count();
            let back_words = card.back.split_whitespace().count();
            assert!(front_words > 0 && back_words > 0, "{key} has an empty side");
            assert!(
                front_words <= MAX_FRONT_WORDS,
                "{key}: front has {front_words} words"
            );
            assert!(
                back_words <= MAX_BACK_WORDS,
                "{key}: back has {back_words} words"
            );
            let items = card.back.lines().filter(|l| l.starts_with("- ")).count();
            assert!(items <= MAX_LIST_ITEMS, "{key}: list of {items} items");
        }
    }
}

#[test]
fn fronts_ask_for_recall_rather_than_yes_or_no() {
    // A yes/no front ("Is it OK to ...?") can be passed by guessing.
    const YES_NO: &[&str] = &[
        "is ", "are ", "do ", "does ", "did ", "can ", "should ", "would ", "will ",
    ];
    for deck in decks() {
        for card in &deck.cards {
            let front = card.front.to_lowercase();
            assert!(
                !YES_NO.iter().any(|w| front.starts_with(w)),
                "{}/{} looks like a yes/no question: {:?}",
                deck.id.as_str(),
                card.id.as_str(),
                card.front
            );
        }
    }
}

#[test]
fn every_card_has_tags_and_names_its_article_and_section() {
    for deck in decks() {
        for card in &deck.cards {
            let key = format!("{}/{}", deck.id.as_str(), card.id.as_str());
            assert!(!card.tags.is_empty(), "{key} has no tags");
            let source = card.source.as_deref().unwrap_or_default();
            let (article, section) = source
                .split_once(" — ")
                .unwrap_or_else(|| panic!("{key}: source {source:?} is not 'Article — Section'"));
            assert!(
                ARTICLES.contains(&article),
                "{key}: unknown article {article:?}"
            );
            assert!(!section.trim().is_empty(), "{key}: no section");
        }
    }
}

#[test]
fn every_article_is_taught() {
    let used: BTreeSet<String> = decks()
        .iter()
        .flat_map(|d| d.cards.iter())
        .filter_map(|c| {
            c.source
                .as_deref()?
                .split_once(" — ")
                .map(|(a, _)| a.to_owned())
        })
        .collect();
    for article in ARTICLES {
        assert!(used.contains(*article), "no card comes from {article:?}");
    }
}

#[test]
fn check_finds_no_errors_or_warnings_in_the_built_in_decks() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
    let env = Env::new();
    let mut cmd = env.cmd();
    cmd.arg("check").arg("--json");
    for deck in decks() {
        cmd.arg(dir.join(format!("{}.json", deck.id.as_str())));
    }
    let out = cmd.assert().success().get_output().stdout.clone();
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
}

#[test]
fn decks_command_lists_every_built_in_deck_with_its_count() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["decks", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    let expected: Vec<(String, u64)> = decks()
        .iter()
        .map(|d| (d.id.as_str().to_owned(), d.cards.len() as u64))
        .collect();
    let got: Vec<(String, u64)> = listed
        .iter()
        .map(|d| {
            assert_eq!(d["origin"], "built-in");
            (
                d["id"].as_str().unwrap().to_owned(),
                d["cards"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, expected);
}
