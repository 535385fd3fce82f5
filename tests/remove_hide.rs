//! `prepdeck remove` and `prepdeck decks hide|show`.

mod common;

use common::{card, deck_json, Env, NOW};
use predicates::prelude::*;
use serde_json::Value;

fn install(env: &Env, id: &str) -> std::path::PathBuf {
    let file = env.write(
        &format!("{id}.json"),
        &deck_json(id, "1", &[("a", "Q1?", "A1."), ("b", "Q2?", "B2.")]),
    );
    env.cmd().arg("import").arg(&file).assert().success();
    file
}

fn json(assert: assert_cmd::assert::Assert) -> Value {
    serde_json::from_slice(&assert.get_output().stdout).unwrap()
}

#[test]
fn remove_needs_yes_when_standard_input_is_not_a_terminal() {
    let env = Env::new();
    install(&env, "mine");
    env.cmd()
        .args(["remove", "mine"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
        "removing deck mine needs confirmation and standard input is not a terminal; pass --yes",
    ));
    assert!(env.deck_file("mine").is_file());
}

#[test]
fn remove_then_import_brings_the_progress_back() {
    let env = Env::new();
    let file = install(&env, "mine");
    env.review("mine", NOW, 2);
    let before = env.cards("mine");
    env.cmd()
        .args(["remove", "mine", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Removed deck mine"))
        .stdout(predicate::str::contains("Its review history is kept"));
    assert!(!env.deck_file("mine").exists());
    env.cmd()
        .args(["cards", "mine"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("there is no deck \"mine\""));
    env.cmd().arg("import").arg(&file).assert().success();
    let after = env.cards("mine");
    assert_eq!(after, before);
    assert_eq!(card(&after, "a")["reps"], 1);
}

#[test]
fn a_built_in_deck_cannot_be_removed_and_the_error_suggests_hiding_it() {
    let env = Env::new();
    env.cmd()
        .args(["remove", "why-they-ask", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "why-they-ask is a built-in deck and cannot be removed; to leave it out of review and stats, run `prepdeck decks hide why-they-ask`",
        ));
}

#[test]
fn removing_an_unknown_or_malformed_deck_is_an_error() {
    let env = Env::new();
    env.cmd()
        .args(["remove", "nothing-here", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "there is no installed deck nothing-here",
        ));
    env.cmd()
        .args(["remove", "../state", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "may only contain lowercase letters",
        ));
}

#[test]
fn a_damaged_installed_deck_can_still_be_removed() {
    let env = Env::new();
    install(&env, "mine");
    std::fs::write(env.deck_file("mine"), "{ damaged").unwrap();
    env.cmd()
        .args(["remove", "mine", "--yes"])
        .assert()
        .success();
    env.cmd().arg("decks").assert().success();
}

#[test]
fn a_hidden_deck_leaves_review_and_stats_but_can_still_be_named() {
    let env = Env::new();
    install(&env, "mine");
    let built_in: Vec<String> = prepdeck::catalog::built_in()
        .unwrap()
        .iter()
        .map(|d| d.id.as_str().to_owned())
        .collect();
    for id in &built_in {
        env.cmd()
            .args(["decks", "hide", id])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!("Deck {id} is now hidden")));
    }

    let stats = json(env.cmd().args(["stats", "--json"]).assert().success());
    let decks: Vec<&str> = stats["decks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["deck"].as_str().unwrap())
        .collect();
    assert_eq!(decks, ["mine"]);

    env.cmd()
        .arg("review")
        .write_stdin("q\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Reviewing 2 cards (0 due, 2 new)"));
    env.cmd()
        .args(["review", "why-they-ask", "--new", "3"])
        .write_stdin("q\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Reviewing 3 cards (0 due, 3 new)"));
    let named = json(
        env.cmd()
            .args(["stats", "why-they-ask", "--json"])
            .assert()
            .success(),
    );
    assert_eq!(named["decks"][0]["deck"], "why-they-ask");
}

#[test]
fn decks_lists_hidden_decks_with_a_marker() {
    let env = Env::new();
    env.cmd()
        .args(["decks", "hide", "why-they-ask"])
        .assert()
        .success();
    let listed = json(env.cmd().args(["decks", "--json"]).assert().success());
    assert_eq!(listed[0]["id"], "why-they-ask");
    assert_eq!(listed[0]["hidden"], true);
    env.cmd()
        .arg("decks")
        .assert()
        .success()
        .stdout(predicate::str::contains("built-in (hidden)"));
}

#[test]
fn show_brings_a_hidden_deck_back() {
    let env = Env::new();
    env.cmd()
        .args(["decks", "hide", "why-they-ask"])
        .assert()
        .success();
    env.cmd()
        .args(["decks", "show", "why-they-ask"])
        .assert()
        .success()
        .stdout("Deck why-they-ask is shown again in review and stats.\n");
    let listed = json(env.cmd().args(["decks", "--json"]).assert().success());
    assert_eq!(listed[0]["hidden"], false);
    env.cmd()
        .args(["decks", "show", "why-they-ask"])
        .assert()
        .success()
        .stdout("Deck why-they-ask is not hidden.\n");
}

#[test]
fn settings_json_holds_the_hidden_set() {
    let env = Env::new();
    env.cmd()
        .args(["decks", "hide", "why-they-ask"])
        .assert()
        .success();
    let settings: Value =
        serde_json::from_slice(&std::fs::read(env.data().join("settings.json")).unwrap()).unwrap();
    assert_eq!(
        settings,
        serde_json::json!({"format_version": 1, "hidden_decks": ["why-they-ask"]})
    );
}

#[test]
fn hiding_an_unknown_deck_is_an_error() {
    let env = Env::new();
    env.cmd()
        .args(["decks", "hide", "nope"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("there is no deck \"nope\""));
}

#[test]
fn settings_from_a_newer_prepdeck_are_refused_and_left_untouched() {
    let env = Env::new();
    std::fs::create_dir_all(env.data()).unwrap();
    let path = env.data().join("settings.json");
    let newer = r#"{"format_version": 2, "hidden_decks": [], "theme": "dark"}"#;
    std::fs::write(&path, newer).unwrap();
    for args in [
        &["decks", "hide", "why-they-ask"][..],
        &["stats"][..],
        &["decks"][..],
    ] {
        env.cmd()
            .args(args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("was written by a newer prepdeck"));
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), newer);
}

#[test]
fn stats_counts_the_decks_shown_only_streak_and_heatmap_included() {
    let env = Env::new();
    install(&env, "mine");
    install(&env, "other");
    env.review("other", "2026-11-21T09:00:00Z", 2);
    env.review("mine", NOW, 1);
    let figures = |args: &[&str]| {
        let stats = env.json_at(NOW, args);
        let on = |date: &str| {
            stats["answers_per_day"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["date"] == date)
                .unwrap()["answers"]
                .clone()
        };
        (
            stats["streak_days"].clone(),
            on("2026-11-21"),
            stats["total"]["reviewed_today"].clone(),
        )
    };
    let all = (Value::from(2), Value::from(2), Value::from(1));
    assert_eq!(figures(&["stats", "--json"]), all);

    env.cmd()
        .args(["decks", "hide", "other"])
        .assert()
        .success();
    let without_other = (Value::from(1), Value::from(0), Value::from(1));
    assert_eq!(figures(&["stats", "--json"]), without_other);
    // Named, a hidden deck counts: its streak ended yesterday.
    assert_eq!(
        figures(&["stats", "other", "--json"]),
        (Value::from(1), Value::from(2), Value::from(0))
    );

    env.cmd()
        .args(["decks", "show", "other"])
        .assert()
        .success();
    assert_eq!(figures(&["stats", "--json"]), all);
    env.cmd()
        .args(["remove", "other", "--yes"])
        .assert()
        .success();
    assert_eq!(figures(&["stats", "--json"]), without_other);
}
