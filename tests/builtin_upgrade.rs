//! Upgrading from the 1.x built-in decks to 2.0: a learner's progress follows card ids,
//! so cards whose idea stayed the same keep their schedules, and the retired cards leave
//! `review` and `stats` while their history stays in the log.

mod common;

use common::{answer_line, card, Env};
use serde_json::Value;
use std::collections::BTreeSet;

/// The study day the old decks were reviewed on, and the next one.
const DAY1_AT: &str = "2026-11-22T09:00:00Z";
const DAY2: &str = "2026-11-23";
const DAY2_AT: &str = "2026-11-23T09:00:00Z";

/// The card ids of the built-in decks at version 1.1.0, by deck.
const OLD_IDS: &[(&str, &[&str])] = &[
    (
        "why-they-ask",
        &[
            "why-asked-common-situation",
            "why-asked-customer-service-skills",
            "why-asked-interpersonal-skills",
            "why-asked-under-pressure",
            "why-asked-culture-fit",
            "why-asked-customer-centric",
            "why-asked-problem-solving",
            "why-asked-conflict-resolution",
            "why-asked-communication",
            "why-asked-customer-retention",
            "why-asked-what-to-highlight",
            "look-for-calm",
            "look-for-empathy",
            "look-for-active-listening",
            "look-for-problem-solving",
            "look-for-conflict-resolution",
            "look-for-retention-goal",
            "look-for-values-alignment",
            "star-stands-for",
            "star-four-parts-for-this-question",
            "star-irate-result",
            "star-why-it-works",
            "philosophy-which-jobs",
            "philosophy-face-of-company",
            "philosophy-show-role-importance",
            "philosophy-story-three-parts",
            "philosophy-brag-book-evidence",
            "philosophy-make-philosophy-clear",
            "philosophy-same-as-easy",
            "philosophy-no-false-claims",
            "philosophy-take-responsibility",
            "philosophy-cant-fix-make-up",
            "philosophy-grandmother-standard",
            "philosophy-what-answer-signals",
            "weak-answer-hand-to-supervisor",
            "philosophy-responsibility-stands-out",
        ],
    ),
    (
        "answer-tips",
        &[
            "stay-calm-open-with-composure",
            "stay-calm-not-personal",
            "empathise-acknowledge-feelings",
            "apologise-sincerely-what-for",
            "apologise-even-if-not-your-fault",
            "active-listening-let-them-vent",
            "clarifying-questions-open-ended",
            "clarifying-questions-show-commitment",
            "offer-solutions-collaborate",
            "offer-solutions-mention-policies",
            "flexible-within-reason",
            "flexible-cannot-make-exception",
            "professional-positive-tone",
            "professional-avoid-defensive",
            "escalate-only-after-trying",
            "follow-up-after-resolution",
            "follow-up-what-it-shows",
            "retention-trust-loyalty",
            "adaptability-learn-each-time",
            "star-tip-clear-concise-example",
            "practice-before-interview",
            "tailor-align-company",
            "tailor-research-philosophy",
            "tips-opportunity-showcase",
            "tips-well-structured-payoff",
            "tips-order-first-five",
            "tips-order-middle-five",
            "tips-order-last-five",
        ],
    ),
    (
        "sample-answers",
        &[
            "sample-empathy-first-step",
            "sample-empathy-what-customer-should-know",
            "practice-empathy-listening",
            "sample-problem-solving-steps",
            "sample-problem-solving-boundary",
            "practice-problem-solving",
            "sample-calm-payoff",
            "practice-calm-professional",
            "sample-retention-reframe",
            "sample-retention-proof",
            "practice-retention-relationships",
            "sample-flex-exceptions",
            "sample-flex-why-within-policy",
            "practice-conflict-flexibility",
            "sample-learning-reflect",
            "sample-learning-feedback",
            "practice-learning-improvement",
            "practice-coach-philosophy",
            "practice-star-irate-story",
            "samples-tailor-emphasis",
            "samples-range-review",
            "conclusion-three-allies",
            "conclusion-challenges-to-opportunities",
        ],
    ),
    (
        "star-examples",
        &[
            "ex1-situation",
            "ex1-action-approach",
            "ex1-action-solution",
            "ex1-result",
            "ex1-takeaway-listening",
            "ex1-takeaway-empathy",
            "ex1-takeaway-solutions-flexibility",
            "ex2-situation",
            "ex2-action-not-defensive",
            "ex2-action-expectations",
            "ex2-result",
            "ex2-takeaway-transparency-data",
            "ex2-takeaway-educate",
            "ex2-takeaway-communication-trust",
            "ex3-situation",
            "ex3-action-composed",
            "ex3-action-alternatives",
            "ex3-result",
            "ex3-takeaway-stay-calm",
            "ex3-takeaway-alternatives",
            "ex3-takeaway-enforce-policy",
            "ex4-situation",
            "ex4-action",
            "ex4-result",
            "ex4-takeaway-speed",
            "ex4-takeaway-responsibility",
            "ex4-takeaway-feedback",
            "ex5-situation",
            "ex5-action-limits",
            "ex5-action-compromises",
            "ex5-result",
            "ex5-takeaway-stay-polite",
            "ex5-takeaway-alternatives-limits",
            "ex5-takeaway-small-gestures",
            "skills-summary-first-three",
            "skills-summary-last-three",
            "skills-summary-payoff",
            "practice-retell-faulty-product",
            "practice-retell-policy-refusal",
            "practice-retell-expectations",
            "practice-retell-own-mistake",
            "practice-retell-unreasonable-demands",
        ],
    ),
    (
        "strategies",
        &[
            "why-angry-customers-matter",
            "three-qualities-to-show",
            "calm-first-step",
            "calm-how",
            "calm-why-it-helps",
            "calm-mistake-defensive",
            "listen-show-genuine-interest",
            "listen-three-behaviours",
            "listen-why-it-defuses",
            "listen-mistake-interrupt",
            "empathy-why",
            "empathy-two-moves",
            "empathy-example-phrases",
            "empathy-what-it-shows",
            "apology-when",
            "apology-qualities",
            "apology-mistake-excuses",
            "apology-payoff",
            "solution-when",
            "solution-how",
            "solution-no-immediate-fix",
            "follow-up-final-strategy",
            "follow-up-benefits",
            "follow-up-what-to-do",
            "practice-calm-the-customer",
            "practice-resolve-and-follow-up",
            "conclusion-payoff",
            "strategies-order-first-three",
            "strategies-order-last-three",
        ],
    ),
    (
        "interview-day",
        &[
            "intro-what-handling-reflects",
            "intro-three-techniques",
            "perspective-why-customers-get-angry",
            "perspective-why-understand",
            "perspective-ask-feedback",
            "perspective-in-their-shoes",
            "empathy-in-practice",
            "listen-actively-and-patiently",
            "listen-stay-calm-under-anger",
            "questions-open-ended-root-cause",
            "questions-follow-up",
            "practice-get-to-root-cause",
            "prof-calm-composed-effect",
            "prof-mistake-arguing",
            "prof-respectful-communication",
            "prof-positive-attitude",
            "faq-how-to-stay-calm",
            "faq-not-angry-at-you",
            "faq-practice-respectful",
            "ps-four-qualities",
            "ps-root-cause-first",
            "ps-appropriate-solutions",
            "ps-when-to-negotiate",
            "ps-negotiate-balance",
            "ps-de-escalate-goal",
            "ps-take-a-break",
            "ps-mistake-jumping-to-fix",
            "ps-practice-cant-fully-solve",
            "fb-mindset",
            "fb-accept-graciously",
            "fb-why-thank",
            "fb-thank-specifically",
            "fb-follow-up-satisfaction",
            "fb-follow-up-shows",
            "fb-learn-from-it",
            "fb-practice-criticism",
            "recap-what-it-shows",
            "practice-ways-to-improve",
            "final-apologise-for-frustration",
            "final-thank-regardless",
        ],
    ),
];

/// `deck/card` keys of the built-in decks as this build has them.
fn current() -> Vec<(String, Vec<String>)> {
    prepdeck::catalog::built_in()
        .unwrap()
        .into_iter()
        .map(|d| {
            let ids = d.cards.iter().map(|c| c.id.as_str().to_owned()).collect();
            (d.id.as_str().to_owned(), ids)
        })
        .collect()
}

fn old_keys() -> BTreeSet<String> {
    OLD_IDS
        .iter()
        .flat_map(|(deck, ids)| ids.iter().map(move |id| format!("{deck}/{id}")))
        .collect()
}

#[test]
fn progress_on_the_old_built_in_decks_carries_over_by_id_and_retired_cards_leave() {
    let env = Env::new();
    // What 1.x left behind: every old card answered 4 on day 1, due on day 2.
    std::fs::create_dir_all(env.data()).unwrap();
    let log: String = old_keys()
        .iter()
        .map(|key| answer_line(DAY1_AT, key, 4, Some((1, 2.5, 1, 0, DAY2))) + "\n")
        .collect();
    std::fs::write(env.log_path(), log).unwrap();

    let old = old_keys();
    let mut kept = BTreeSet::new();
    let mut total = 0;
    for (deck, ids) in current() {
        total += ids.len();
        let cards = env.cards_at(&deck, DAY2_AT);
        assert_eq!(cards.len(), ids.len(), "{deck}");
        for id in &ids {
            let key = format!("{deck}/{id}");
            let shown = card(&cards, id);
            // A card that moved to another deck keeping its id follows its progress.
            let moved_here = prepdeck::catalog::MOVED_CARDS
                .iter()
                .any(|(from, to)| *to == key && old.contains(*from));
            if old.contains(&key) || moved_here {
                assert_eq!(shown["reps"], 1, "{key} keeps its progress");
                assert_eq!(shown["due"], DAY2, "{key} keeps its due day");
                kept.insert(key);
            } else {
                assert_eq!(shown["reps"], 0, "{key} is new");
                assert_eq!(shown["due"], Value::Null, "{key} is new");
            }
        }
    }
    // Where a card's idea stayed the same, it kept its id.
    assert!(kept.len() >= 80, "only {} ids kept", kept.len());
    for (from, to) in prepdeck::catalog::MOVED_CARDS {
        assert!(old.contains(*from), "{from} was a 1.x card");
        assert!(kept.contains(*to), "{to} keeps the progress of {from}");
    }
    let retired = old.len() - kept.len();
    assert!(retired > 0);

    // stats counts the current cards and only the kept cards' answers.
    let stats = env.json_at(DAY2_AT, &["stats", "--json"]);
    assert_eq!(stats["total"]["cards"], total as u64, "{stats}");
    assert_eq!(stats["total"]["young"], kept.len() as u64, "{stats}");
    assert_eq!(
        stats["total"]["new"],
        (total - kept.len()) as u64,
        "{stats}"
    );
    let day1 = stats["answers_per_day"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == "2026-11-22")
        .unwrap();
    assert_eq!(day1["answers"], kept.len() as u64, "{stats}");

    // review shows the kept cards as due and never a retired one.
    let out = env.ok_at(
        DAY2_AT,
        &["review", "--new", "0"],
        &"\n4\n".repeat(kept.len() + 5),
    );
    assert!(
        out.contains(&format!(
            "Reviewing {} cards ({} due, 0 new)",
            kept.len(),
            kept.len()
        )),
        "{out}"
    );
    let answered: BTreeSet<String> = env
        .log()
        .iter()
        .filter(|e| e["day"] == DAY2)
        .map(|e| e["card"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(answered, kept);
    // The retired cards' history is still in the log, should a later version bring them back.
    assert_eq!(
        env.log()
            .iter()
            .filter(|e| e["day"] == "2026-11-22")
            .count(),
        old.len()
    );
}
