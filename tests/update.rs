//! Updating an installed deck over several versions, with reviews in between:
//! progress follows card ids, never card text.

mod common;

use common::{card, deck_json, ids, Env};
use predicates::prelude::*;
use serde_json::Value;

const DAY1: &str = "2026-11-22T09:00:00Z";
const DAY2: &str = "2026-11-23T09:00:00Z";
const DAY3: &str = "2026-11-24T09:00:00Z";

/// reps, interval, due, last_review: the schedule that must survive an update.
fn schedule(cards: &[Value], id: &str) -> (Value, Value, Value, Value) {
    let c = card(cards, id);
    (
        c["reps"].clone(),
        c["interval"].clone(),
        c["due"].clone(),
        c["last_review"].clone(),
    )
}

#[test]
fn progress_survives_rewording_retiring_adding_and_bringing_back_cards() {
    let env = Env::new();
    let a = (
        "a",
        "What does STAR stand for?",
        "Situation, Task, Action, Result.",
    );
    let b = ("b", "First thing with an angry customer?", "Stay calm.");
    let c = ("c", "Why listen actively?", "To find the real problem.");
    let d = ("d", "What closes a complaint?", "A follow-up.");

    // Version 1: four cards, all reviewed on day 1.
    let v1 = env.write("v1.json", &deck_json("coach", "1.0", &[a, b, c, d]));
    env.cmd().arg("import").arg(&v1).assert().success();
    env.review("coach", DAY1, 4);
    let after_v1 = env.cards("coach");
    assert_eq!(ids(&after_v1), ["a", "b", "c", "d"]);
    for id in ["a", "b", "c", "d"] {
        assert_eq!(card(&after_v1, id)["reps"], 1, "{id}");
        assert_eq!(card(&after_v1, id)["due"], "2026-11-23", "{id}");
    }

    // Version 2: b re-worded, c retired, e and f added.
    let b2 = (
        "b",
        "What do you show first to an angry customer?",
        "Calm, and that you listen.",
    );
    let e = (
        "e",
        "What is a STAR story's Result?",
        "What changed, with a number.",
    );
    let f = (
        "f",
        "How long should a STAR answer be?",
        "About two minutes.",
    );
    let v2 = env.write("v2.json", &deck_json("coach", "1.1", &[a, b2, d, e, f]));
    env.cmd()
        .arg("import")
        .arg(&v2)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Deck coach updated, version 1.0 → 1.1",
        ))
        .stdout(predicate::str::contains(
            "2 added, 1 re-worded, 1 retired, 2 unchanged.",
        ))
        .stdout(predicate::str::contains("  added      e, f\n"))
        .stdout(predicate::str::contains("  re-worded  b\n"))
        .stdout(predicate::str::contains("  retired    c\n"))
        .stdout(predicate::str::contains("  unchanged  a, d\n"));
    let after_v2 = env.cards("coach");
    assert_eq!(ids(&after_v2), ["a", "b", "d", "e", "f"]);
    assert_eq!(
        schedule(&after_v2, "b"),
        schedule(&after_v1, "b"),
        "re-worded b keeps its schedule"
    );
    assert_eq!(card(&after_v2, "b")["front"], b2.1);
    assert_eq!(schedule(&after_v2, "a"), schedule(&after_v1, "a"));
    assert_eq!(card(&after_v2, "e")["reps"], 0);
    assert_eq!(card(&after_v2, "e")["due"], Value::Null);
    let log = std::fs::read_to_string(env.data().join("reviews.jsonl")).unwrap();
    assert!(
        log.contains("\"coach/c\""),
        "retired c's history stays in the log"
    );

    // Day 2: a, b, d are due, e and f are new; all answered.
    env.review("coach", DAY2, 5);
    let after_review = env.cards("coach");
    for id in ["a", "b", "d"] {
        assert_eq!(card(&after_review, id)["reps"], 2, "{id}");
        assert_eq!(card(&after_review, id)["interval"], 6, "{id}");
    }
    for id in ["e", "f"] {
        assert_eq!(card(&after_review, id)["reps"], 1, "{id}");
    }
    let stats: Value = serde_json::from_slice(
        &env.cmd_at(DAY2)
            .args(["stats", "coach", "--json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    )
    .unwrap();
    assert_eq!(stats["decks"][0]["cards"], 5, "retired c is not in stats");

    // Version 3: c comes back, unchanged from version 1.
    let v3 = env.write("v3.json", &deck_json("coach", "1.2", &[a, b2, c, d, e, f]));
    env.cmd()
        .arg("import")
        .arg(&v3)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1 added, 0 re-worded, 0 retired, 5 unchanged.",
        ));
    let after_v3 = env.cards("coach");
    assert_eq!(ids(&after_v3), ["a", "b", "c", "d", "e", "f"]);
    assert_eq!(
        schedule(&after_v3, "c"),
        schedule(&after_v1, "c"),
        "c returns with the progress it had on day 1"
    );
    assert_eq!(schedule(&after_v3, "b"), schedule(&after_review, "b"));

    // Day 3: c (due since day 2) comes first as the oldest due card, with e and f
    // (due today); none is new. Only c is answered.
    env.cmd_at(DAY3)
        .args(["review", "coach"])
        .write_stdin("\n4\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Reviewing 3 cards (3 due, 0 new)"));
    assert_eq!(card(&env.cards("coach"), "c")["reps"], 2);

    // Re-importing version 1 (an older one) is just another update: nothing is lost.
    env.cmd().arg("import").arg(&v1).assert().success();
    let back_to_v1 = env.cards("coach");
    assert_eq!(ids(&back_to_v1), ["a", "b", "c", "d"]);
    assert_eq!(card(&back_to_v1, "b")["reps"], 2);
    assert_eq!(card(&back_to_v1, "b")["front"], b.1);
}

#[test]
fn a_text_deck_updated_without_ids_keeps_progress_of_unchanged_fronts_and_says_why_rewording_does_not(
) {
    let env = Env::new();
    let v1 = env.write(
        "stories.tsv",
        "What is STAR?\tSituation, Task, Action, Result\tstar\nWhy listen?\tTo understand\ttip\n",
    );
    env.cmd().arg("import").arg(&v1).assert().success();
    env.review("stories", DAY1, 2);
    std::fs::write(
        &v1,
        "What is STAR?\tSituation, Task, Action, Result.\tstar\nWhy listen actively?\tTo understand\ttip\n",
    )
    .unwrap();
    env.cmd()
        .arg("import")
        .arg(&v1)
        .assert()
        .success()
        .stdout(predicate::str::contains("  re-worded  what-is-star\n"))
        .stdout(predicate::str::contains(
            "  added      why-listen-actively\n",
        ))
        .stdout(predicate::str::contains("  retired    why-listen\n"))
        .stdout(predicate::str::contains("Give the file an id column"));
    let cards = env.cards("stories");
    assert_eq!(card(&cards, "what-is-star")["reps"], 1);
    assert_eq!(card(&cards, "why-listen-actively")["reps"], 0);
}

#[test]
fn a_dry_run_update_shows_the_changes_and_leaves_the_deck_alone() {
    let env = Env::new();
    let v1 = env.write("v1.json", &deck_json("coach", "1", &[("a", "Q?", "A.")]));
    env.cmd().arg("import").arg(&v1).assert().success();
    let before = std::fs::read(env.deck_file("coach")).unwrap();
    let v2 = env.write(
        "v2.json",
        &deck_json("coach", "2", &[("a", "Q?", "A."), ("b", "Q2?", "B.")]),
    );
    env.cmd()
        .arg("import")
        .arg(&v2)
        .arg("--dry-run")
        .assert()
        .success()
        .stdout(predicate::str::contains("Deck coach would be updated"))
        .stdout(predicate::str::contains(
            "1 added, 0 re-worded, 0 retired, 1 unchanged.",
        ))
        .stdout(predicate::str::ends_with("Dry run: nothing was written.\n"));
    assert_eq!(std::fs::read(env.deck_file("coach")).unwrap(), before);
}

/// `stats DECK --json` and the `stats DECK` table at `now`.
fn stats_at(env: &Env, deck: &str, now: &str) -> (Value, String) {
    let json = env.json_at(now, &["stats", deck, "--json"]);
    let table = env.ok_at(now, &["stats", deck], "");
    (json, table)
}

/// The heatmap's answers on `date`.
fn answers_on(stats: &Value, date: &str) -> Value {
    stats["answers_per_day"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == date)
        .unwrap_or_else(|| panic!("{date} is not in the heatmap"))["answers"]
        .clone()
}

#[test]
fn a_retired_card_leaves_every_stats_figure_until_a_version_has_it_again() {
    let env = Env::new();
    let a = ("a", "Q a?", "A.");
    let b = ("b", "Q b?", "B.");
    let c = ("c", "Q c?", "C.");
    let v1 = env.write("v1.json", &deck_json("coach", "1", &[a, b, c]));
    env.cmd().arg("import").arg(&v1).assert().success();
    env.review("coach", DAY1, 3);
    // Day 2: a 4, b 1 (so a re-drill, graded 4 at the end), c 4.
    env.cmd_at(DAY2)
        .args(["review", "coach"])
        .write_stdin("\n4\n\n1\n\n4\n\n4\n")
        .assert()
        .success();
    let day2: Vec<(String, u64, bool)> = env
        .log()
        .iter()
        .filter(|e| e["day"] == "2026-11-23")
        .map(|e| {
            let card = e["card"].as_str().unwrap().to_owned();
            (card, e["grade"].as_u64().unwrap(), e["redrill"] == true)
        })
        .collect();
    let expected = [
        ("a", 4, false),
        ("b", 1, false),
        ("c", 4, false),
        ("b", 4, true),
    ]
    .map(|(card, grade, redrill)| (format!("coach/{card}"), grade, redrill));
    assert_eq!(day2, expected, "the day the test is about");

    let (before, _) = stats_at(&env, "coach", DAY2);
    assert_eq!(before["decks"][0]["reviewed_today"], 3);
    assert_eq!(before["decks"][0]["recall_reviews_30d"], 3);
    assert_eq!(answers_on(&before, "2026-11-23"), 4);

    // Version 2 retires b, which has answers on both days.
    let v2 = env.write("v2.json", &deck_json("coach", "2", &[a, c]));
    env.cmd().arg("import").arg(&v2).assert().success();
    let (after, table) = stats_at(&env, "coach", DAY2);
    for row in [&after["decks"][0], &after["total"]] {
        assert_eq!(row["cards"], 2, "{row}");
        assert_eq!(row["reviewed_today"], 2, "{row}");
        assert_eq!(row["recall_reviews_30d"], 2, "{row}");
        assert_eq!(row["recall_passed_30d"], 2, "{row}");
        assert_eq!(row["retention_30d"], 1.0, "{row}");
    }
    assert_eq!(after["grades_30d"], serde_json::json!([0, 0, 0, 0, 4, 0]));
    assert_eq!(answers_on(&after, "2026-11-22"), 2);
    assert_eq!(answers_on(&after, "2026-11-23"), 2);
    assert_eq!(after["streak_days"], 2);
    assert_eq!(after["readiness"]["cards"], 2);
    // The table shows the same figures: cards, new, young, mature, due, reviewed, retention.
    assert_eq!(
        common::table_row(&table, "coach"),
        ["coach", "2", "0", "2", "0", "0", "2", "100%"]
    );
    assert_eq!(
        common::table_row(&table, "total"),
        ["total", "2", "0", "2", "0", "0", "2", "100%"]
    );

    // Version 1 again: b and its answers are back in every figure.
    env.cmd().arg("import").arg(&v1).assert().success();
    let (again, _) = stats_at(&env, "coach", DAY2);
    assert_eq!(again, before);
}

/// `n` cards `{prefix}1..` with the given tags (`None`: no tags, so a warning each).
fn numbered(prefix: &str, n: usize, tags: Option<&str>) -> Vec<Value> {
    (1..=n)
        .map(|i| {
            let mut card = serde_json::json!({
                "id": format!("{prefix}{i}"), "front": format!("Question {prefix} {i}?"), "back": "A.",
            });
            if let Some(tag) = tags {
                card["tags"] = serde_json::json!([tag]);
            }
            card
        })
        .collect()
}

fn deck_of(version: &str, cards: Vec<Value>) -> String {
    serde_json::json!({
        "format_version": 1, "id": "big", "title": "Big", "description": "", "version": version,
        "cards": cards,
    })
    .to_string()
}

#[test]
fn a_big_update_lists_twenty_ids_per_change_and_json_lists_them_all() {
    let env = Env::new();
    let kept = numbered("k", 30, Some("t"));
    let v1 = [kept.clone(), numbered("old", 45, Some("t"))].concat();
    let v2 = [kept, numbered("new", 60, None)].concat();
    let v1 = env.write("v1.json", &deck_of("1", v1));
    let v2 = env.write("v2.json", &deck_of("2", v2));
    env.cmd().arg("import").arg(&v1).assert().success();

    let json = env.json_at(
        DAY1,
        &["import", v2.to_str().unwrap(), "--dry-run", "--json"],
    );
    assert_eq!(json["result"], "updated");
    assert_eq!(json["dry_run"], true);
    assert_eq!(
        (json["version_before"].clone(), json["version"].clone()),
        ("1".into(), "2".into())
    );
    let list = |key: &str| -> Vec<String> {
        json[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} in {json}"))
            .iter()
            .map(|id| id.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(list("added").len(), 60);
    assert_eq!(list("retired").len(), 45);
    assert_eq!(list("unchanged").len(), 30);
    assert!(list("reworded").is_empty());
    let warnings = json["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 60, "one per card without tags");
    assert_eq!(
        warnings[0]["place"],
        serde_json::json!({"kind": "card", "index": 31, "id": "new1"})
    );
    assert_eq!(warnings[0]["message"], "the card has no tags");

    assert!(
        json["needs_allow_retire"]
            .as_str()
            .is_some_and(|why| why.contains("45 of the installed deck's 75 cards")),
        "{json}"
    );
    let output = env
        .cmd()
        .arg("import")
        .arg(&v2)
        .arg("--allow-retire")
        .assert()
        .success()
        .get_output()
        .clone();
    let (stdout, stderr) = (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    );
    assert!(
        stdout.contains(": 60 added, 0 re-worded, 45 retired, 30 unchanged.\n"),
        "{stdout}"
    );
    assert!(stdout.contains("  added      new1, new2, "), "{stdout}");
    assert!(stdout.contains(", new20, and 40 more\n"), "{stdout}");
    assert!(stdout.contains(", old20, and 25 more\n"), "{stdout}");
    assert!(stdout.contains(", k20, and 10 more\n"), "{stdout}");
    assert!(!stdout.contains("new21"), "{stdout}");
    assert!(
        stdout.contains("`--dry-run --json` prints every id"),
        "{stdout}"
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 21, "{stderr}");
    assert!(
        lines[19].ends_with("card 50 (\"new20\"): the card has no tags"),
        "{stderr}"
    );
    assert_eq!(
        lines[20],
        format!(
            "prepdeck: warning: {}: and 40 more; `prepdeck check {}` lists every warning",
            v2.display(),
            v2.display()
        )
    );

    // Installed: the same file again is "unchanged", every card listed as such.
    let again = env.json_at(DAY1, &["import", v2.to_str().unwrap(), "--json"]);
    assert_eq!(again["result"], "unchanged");
    assert_eq!(again["unchanged"].as_array().unwrap().len(), 90);
}

#[test]
fn a_first_install_in_json_lists_every_card_as_added_and_every_warning() {
    let env = Env::new();
    let file = env.write("v1.json", &deck_of("1", numbered("c", 3, None)));
    let output = env
        .cmd()
        .arg("import")
        .arg(&file)
        .arg("--json")
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let json: Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(json["result"], "installed");
    assert_eq!(json["version_before"], Value::Null);
    assert_eq!(json["added"], serde_json::json!(["c1", "c2", "c3"]));
    assert_eq!(
        json["warnings"].as_array().unwrap().len(),
        3,
        "warnings are in the JSON, not on standard error"
    );
    assert!(env.deck_file("big").is_file());
}
