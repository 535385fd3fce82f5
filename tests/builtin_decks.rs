//! The built-in decks: valid, consistent, and written to build the candidate's own
//! answer: one fact a card, fronts in the interview's terms, the answer frame first, a
//! `core` set for a short run-up, and every sentence in our own words.

mod common;

use common::Env;
use prepdeck::catalog::built_in;
use prepdeck::deck::{Card, Deck};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// The longest front we allow, in words: a question, not a paragraph.
const MAX_FRONT_WORDS: usize = 40;
/// A recall back: one fact, said in one breath.
const MAX_RECALL_BACK_WORDS: usize = 25;
/// A recall back lists at most this many items; longer lists are split into cards.
const MAX_RECALL_ITEMS: usize = 3;
/// A practice prompt's checklist: what a strong spoken answer must contain.
const MAX_PRACTICE_ITEMS: usize = 5;
/// A practice checklist is still read at a glance.
const MAX_PRACTICE_BACK_WORDS: usize = 49;
/// Fronts that name an article, a coach, an example or a tip: no interviewer asks that.
const MAX_ATTRIBUTED_FRONTS: usize = 5;
/// The cards a candidate with only a few days must see.
const MAX_CORE: usize = 100;
/// A run of this many words shared with a source is copying.
const COPIED_RUN: usize = 7;
/// Weak answers quoted on purpose so the learner recognises them; each may be quoted by
/// one card, which carries the `quote` tag.
const ALLOWED_QUOTES: &[&str] = &["I hand them off to my supervisor"];

/// What a front is: an interviewer's question, a scenario, a step of your own answer, a
/// weak answer to fix, or a prompt to answer out loud. Every card has exactly one.
const KINDS: &[&str] = &["ask", "scenario", "step", "fix", "practice"];

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

/// Every built-in card with its `deck/card` key.
fn cards() -> Vec<(String, Card)> {
    decks()
        .into_iter()
        .flat_map(|deck| {
            let id = deck.id.as_str().to_owned();
            deck.cards
                .into_iter()
                .map(move |card| (format!("{id}/{}", card.id.as_str()), card))
        })
        .collect()
}

fn has_tag(card: &Card, tag: &str) -> bool {
    card.tags.iter().any(|t| t == tag)
}

/// Lower case, letters and digits only: two fronts that differ only in punctuation,
/// spacing or case are the same question.
fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of `text`, lower case, apostrophes dropped ("you're" and "you’re" are both
/// "youre"), split at everything that is not a letter or digit.
fn words(text: &str) -> Vec<String> {
    text.chars()
        .filter(|c| !matches!(c, '\'' | '\u{2019}'))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every run of [`COPIED_RUN`] consecutive words in `text`.
fn runs(text: &str) -> Vec<Vec<String>> {
    words(text)
        .windows(COPIED_RUN)
        .map(<[String]>::to_vec)
        .collect()
}

/// A run's fingerprint: 64-bit FNV-1a of its words joined by single spaces. The
/// repository keeps the fingerprints of the articles' runs, not their text.
fn fingerprint(run: &[String]) -> u64 {
    run.join(" ")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}

/// The runs of `text` whose fingerprints are in `source`, outside the allowed quotes.
fn copied(text: &str, source: &HashSet<u64>) -> Vec<String> {
    let allowed: Vec<Vec<String>> = ALLOWED_QUOTES.iter().flat_map(|q| runs(q)).collect();
    runs(text)
        .into_iter()
        .filter(|run| source.contains(&fingerprint(run)) && !allowed.contains(run))
        .map(|run| run.join(" "))
        .collect()
}

/// The fingerprints of every run of the five source articles, as the repository keeps
/// them, so the copy check runs on any clean checkout.
const SOURCE_RUNS: &str = "tests/fixtures/source-runs.txt";

fn source_runs() -> HashSet<u64> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SOURCE_RUNS);
    let text = std::fs::read_to_string(&path).unwrap();
    let runs: HashSet<u64> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| u64::from_str_radix(l, 16).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect();
    assert!(
        runs.len() > 5000,
        "{SOURCE_RUNS} holds only {} runs",
        runs.len()
    );
    runs
}

/// The folder of the source articles: `PREPDECK_SOURCES`, else the nearest
/// `shared/sources` above the crate (the project keeps them beside its checkouts).
fn sources_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PREPDECK_SOURCES") {
        return Some(PathBuf::from(dir));
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared").join("sources"))
        .find(|dir| dir.is_dir())
}

/// The fingerprints of every run in the articles themselves, when they are at hand.
fn article_runs() -> Option<HashSet<u64>> {
    let dir = sources_dir()?;
    let mut all = HashSet::new();
    let mut articles = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            articles += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            all.extend(runs(&text).iter().map(|run| fingerprint(run)));
        }
    }
    assert_eq!(
        articles,
        ARTICLES.len(),
        "one .txt file per article in {}",
        dir.display()
    );
    Some(all)
}

/// The fixture's text for `runs`: a header, then one fingerprint a line, sorted.
fn fixture_text(runs: &HashSet<u64>) -> String {
    let mut sorted: Vec<&u64> = runs.iter().collect();
    sorted.sort();
    let mut text = format!(
        "# Fingerprints (64-bit FNV-1a, hex) of every run of {COPIED_RUN} words in the five source\n\
         # articles, for the copy check in tests/builtin_decks.rs. Regenerate after a source changes:\n\
         # PREPDECK_SOURCES=DIR cargo test --test builtin_decks -- --ignored write_source_runs\n"
    );
    for run in sorted {
        text.push_str(&format!("{run:016x}\n"));
    }
    text
}

#[test]
fn the_source_fingerprints_are_those_of_the_articles() {
    // Where the articles are not at hand (a clean clone elsewhere), the fingerprints in
    // the repository are what the copy check uses; here they are checked to be current.
    let Some(articles) = article_runs() else {
        eprintln!("source articles not found; set PREPDECK_SOURCES to check {SOURCE_RUNS}");
        return;
    };
    assert!(
        source_runs() == articles,
        "{SOURCE_RUNS} is out of date; regenerate it: PREPDECK_SOURCES=DIR cargo test --test builtin_decks -- --ignored write_source_runs"
    );
}

#[test]
#[ignore = "writes the fixture; run by hand after a source article changes"]
fn write_source_runs() {
    let articles = article_runs().expect("set PREPDECK_SOURCES to the articles' folder");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SOURCE_RUNS);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, fixture_text(&articles)).unwrap();
}

/// Phrases by which a front points at a source instead of at the interview.
const ATTRIBUTIONS: &[&str] = &[
    "article",
    "coach",
    "tip",
    "tips",
    "according to",
    "per the",
    "sample answer",
    "takeaway",
    "takeaways",
    "summary",
    "author",
];

/// True when `front` names an article, a coach, a tip, or an example as "the … example"
/// (a real example of your own is what an interviewer asks for, so "an example" is fine).
fn attributes(front: &str) -> bool {
    let words = words(front);
    let text = format!(" {} ", words.join(" "));
    let names_source = ATTRIBUTIONS
        .iter()
        .any(|phrase| text.contains(&format!(" {phrase} ")));
    let names_example = words.iter().enumerate().any(|(i, w)| {
        (w == "example" || w == "examples")
            && words[i.saturating_sub(3)..i]
                .iter()
                .any(|d| matches!(d.as_str(), "the" | "this" | "that"))
    });
    names_source || names_example
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
fn decks_come_answer_frame_first_and_why_they_ask_last() {
    let decks = decks();
    let ids: Vec<&str> = decks.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "strategies",
            "answer-tips",
            "interview-day",
            "star-examples",
            "sample-answers",
            "why-they-ask",
        ]
    );
    for deck in &decks {
        let n = deck.cards.len();
        // A deck is a few days of new cards, not weeks.
        assert!((10..=45).contains(&n), "{} has {n} cards", deck.id.as_str());
        assert!(!deck.title.trim().is_empty() && !deck.description.trim().is_empty());
        assert!(
            deck.version.as_deref().is_some_and(|v| v.starts_with("2.")),
            "{} is not at version 2: its cards changed",
            deck.id.as_str()
        );
    }
    let total: usize = decks.iter().map(|d| d.cards.len()).sum();
    assert!((100..=200).contains(&total), "{total} built-in cards");
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
fn every_card_is_exactly_one_kind() {
    for (key, card) in cards() {
        let kinds: Vec<&str> = KINDS
            .iter()
            .copied()
            .filter(|k| has_tag(&card, k))
            .collect();
        assert_eq!(
            kinds.len(),
            1,
            "{key} has kinds {kinds:?}; tag it with one of {KINDS:?}"
        );
    }
}

#[test]
fn recall_backs_hold_one_fact_at_most_three_items_and_25_words() {
    for (key, card) in cards().into_iter().filter(|(_, c)| !has_tag(c, "practice")) {
        let words = card.back.split_whitespace().count();
        assert!(
            words <= MAX_RECALL_BACK_WORDS,
            "{key}: back has {words} words"
        );
        let items = card.back.lines().filter(|l| l.starts_with("- ")).count();
        assert!(items <= MAX_RECALL_ITEMS, "{key}: list of {items} items");
    }
}

#[test]
fn practice_prompts_have_a_checklist_of_at_most_five_items() {
    let practice: Vec<(String, Card)> = cards()
        .into_iter()
        .filter(|(_, c)| has_tag(c, "practice"))
        .collect();
    assert!(
        practice.len() >= 10,
        "only {} practice prompts",
        practice.len()
    );
    for (key, card) in practice {
        let words = card.back.split_whitespace().count();
        assert!(
            words <= MAX_PRACTICE_BACK_WORDS,
            "{key}: back has {words} words"
        );
        let items = card.back.lines().filter(|l| l.starts_with("- ")).count();
        assert!(
            (2..=MAX_PRACTICE_ITEMS).contains(&items),
            "{key}: checklist of {items} items"
        );
        assert!(
            card.back.starts_with("A strong answer covers:\n"),
            "{key}: a practice back is a checklist"
        );
    }
}

#[test]
fn fronts_are_present_and_short() {
    for (key, card) in cards() {
        let words = card.front.split_whitespace().count();
        assert!(
            (1..=MAX_FRONT_WORDS).contains(&words),
            "{key}: front has {words} words"
        );
        assert!(!card.back.trim().is_empty(), "{key} has an empty back");
    }
}

#[test]
fn at_most_five_fronts_name_an_article_coach_example_or_tip() {
    assert!(attributes("Per the coach, what should you say?"));
    assert!(attributes(
        "In the diner example, what did the server offer?"
    ));
    assert!(attributes("Name the first five tips."));
    assert!(attributes("What did the third example teach?"));
    assert!(!attributes("Tell me about a time a customer was rude."));
    assert!(!attributes("Answer out loud with a real example."));
    let attributed: Vec<String> = cards()
        .into_iter()
        .filter(|(_, c)| attributes(&c.front))
        .map(|(key, c)| format!("{key}: {}", c.front))
        .collect();
    assert!(
        attributed.len() <= MAX_ATTRIBUTED_FRONTS,
        "{} fronts point at a source:\n{}",
        attributed.len(),
        attributed.join("\n")
    );
}

#[test]
fn the_copy_check_finds_a_sentence_taken_from_a_source() {
    let source = source_runs();
    // Article 003's advice, word for word apart from case and punctuation.
    let taken = "Avoid getting DEFENSIVE, or taking the customer's anger personally!";
    assert!(!copied(taken, &source).is_empty());
    // The allowed weak answer, quoted.
    assert!(copied("\"I hand them off to my supervisor.\"", &source).is_empty());
}

#[test]
fn no_card_copies_seven_words_in_a_row_from_a_source() {
    let source = source_runs();
    let mut found = Vec::new();
    for (key, card) in cards() {
        for side in [&card.front, &card.back] {
            for run in copied(side, &source) {
                found.push(format!("{key}: \"{run}\""));
            }
        }
    }
    assert!(
        found.is_empty(),
        "copied from a source:\n{}",
        found.join("\n")
    );
}

#[test]
fn each_allowed_quote_is_used_by_at_most_one_card_which_is_marked() {
    for quote in ALLOWED_QUOTES {
        let quote = words(quote).join(" ");
        let quoting: Vec<(String, Card)> = cards()
            .into_iter()
            .filter(|(_, c)| {
                words(&c.front).join(" ").contains(&quote)
                    || words(&c.back).join(" ").contains(&quote)
            })
            .collect();
        assert!(
            quoting.len() <= 1,
            "{quote:?} is quoted by {} cards",
            quoting.len()
        );
        for (key, card) in quoting {
            assert!(
                has_tag(&card, "quote"),
                "{key} quotes {quote:?} without the quote tag"
            );
        }
    }
}

#[test]
fn at_most_100_cards_are_core_and_every_frame_card_is_core() {
    let all = cards();
    let core = all.iter().filter(|(_, c)| has_tag(c, "core")).count();
    assert!((1..=MAX_CORE).contains(&core), "{core} core cards");
    for (key, card) in &all {
        if has_tag(card, "frame") {
            assert!(has_tag(card, "core"), "{key} is answer frame but not core");
        }
    }
    // "Why recruiters ask" is background: a short run-up skips it.
    let why = decks()
        .into_iter()
        .find(|d| d.id.as_str() == "why-they-ask")
        .unwrap();
    assert!(why.cards.iter().all(|c| !has_tag(c, "core")));
}

#[test]
fn within_each_deck_core_cards_come_before_the_others() {
    for deck in decks() {
        let first_other = deck.cards.iter().position(|c| !has_tag(c, "core"));
        if let Some(at) = first_other {
            let late: Vec<&str> = deck.cards[at..]
                .iter()
                .filter(|c| has_tag(c, "core"))
                .map(|c| c.id.as_str())
                .collect();
            assert!(
                late.is_empty(),
                "{}: core cards after others: {late:?}",
                deck.id.as_str()
            );
        }
    }
}

#[test]
fn the_skeleton_follow_ups_and_answer_sinking_mistakes_are_taught() {
    let keys: BTreeSet<String> = cards().into_iter().map(|(key, _)| key).collect();
    for key in [
        // The shape of the answer, and one real example.
        "strategies/skeleton-one-story",
        "strategies/be-specific-one-example",
        // What interviewers ask after the story.
        "interview-day/followup-couldnt-solve",
        "interview-day/fb-learn-from-it",
        "interview-day/faq-how-to-stay-calm",
        "interview-day/followup-customer-wrong",
        "answer-tips/escalate-only-after-trying",
        // The mistakes that sink the answer.
        "answer-tips/mistake-hypothetical",
        "answer-tips/mistake-blaming-customer",
        "answer-tips/mistake-no-result",
        "answer-tips/mistake-rambling",
    ] {
        assert!(keys.contains(key), "{key} is missing");
    }
}

#[test]
fn the_situation_action_result_stories_are_called_star_only_with_a_task() {
    let stories = ARTICLES[1];
    for (key, card) in cards() {
        let from_stories = card
            .source
            .as_deref()
            .is_some_and(|s| s.starts_with(stories));
        let text = format!("{}\n{}", card.front, card.back);
        if from_stories && text.contains("STAR") {
            assert!(
                text.contains("Task") || text.lines().any(|l| l.starts_with("- T:")),
                "{key} calls a situation-action-result story STAR without adding the Task"
            );
        }
    }
}

#[test]
fn a_week_of_daily_reviews_at_the_default_allowance_introduces_every_card() {
    let env = Env::new();
    let total = cards().len();
    for day in 22..=28 {
        let now = format!("2026-11-{day}T09:00:00Z");
        env.ok_at(&now, &["review"], &"\n4\n".repeat(400));
    }
    let seen: BTreeSet<String> = env
        .log()
        .iter()
        .map(|e| e["card"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        seen.len(),
        total,
        "a week shows {} of {total} cards",
        seen.len()
    );
}

#[test]
fn the_readme_deck_table_gives_each_decks_cards_and_core_count() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut total = 0;
    for deck in decks() {
        let core = deck.cards.iter().filter(|c| has_tag(c, "core")).count();
        total += deck.cards.len();
        let row = format!("| `{}` | {} | {core} |", deck.id.as_str(), deck.cards.len());
        assert!(readme.contains(&row), "README has no row starting {row}");
    }
    assert!(readme.contains(&format!("Six decks, {total} cards")));
}

#[test]
fn the_tensions_each_have_one_card() {
    let tension: Vec<String> = cards()
        .into_iter()
        .filter(|(_, c)| has_tag(c, "tension"))
        .map(|(key, _)| key)
        .collect();
    assert_eq!(
        tension,
        [
            "answer-tips/escalate-only-after-trying",
            "answer-tips/professional-avoid-defensive"
        ]
    );
}

#[test]
fn the_first_days_new_cards_are_the_answer_frame_in_deck_order() {
    let env = Env::new();
    // A learner's first day with the default allowance: answer every card shown.
    let out = env.ok_at(common::NOW, &["review"], &"\n4\n".repeat(40));
    assert!(out.contains("Reviewing 20 cards (0 due, 20 new)"), "{out}");
    let first_day: Vec<String> = env
        .log()
        .iter()
        .map(|e| e["card"].as_str().unwrap().to_owned())
        .collect();
    let frame: Vec<String> = cards()
        .into_iter()
        .filter(|(_, c)| has_tag(c, "frame"))
        .map(|(key, _)| key)
        .collect();
    assert!(
        (10..=20).contains(&frame.len()),
        "{} answer-frame cards: they must all fit in the first day",
        frame.len()
    );
    assert_eq!(
        first_day[..frame.len()],
        frame[..],
        "the answer frame comes first"
    );
    let core: BTreeSet<String> = cards()
        .into_iter()
        .filter(|(_, c)| has_tag(c, "core"))
        .map(|(key, _)| key)
        .collect();
    for key in &first_day {
        assert!(
            core.contains(key),
            "{key} comes on the first day but is not core"
        );
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
