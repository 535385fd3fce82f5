//! The everyday commands end to end: `add`, the `--json` shapes and figures of `stats`,
//! `decks` and `cards`, errors for unknown decks and a bad clock, `completions`,
//! `--help` and `--version`.

mod common;

use common::{answer_line, assert_close, card, table_row, table_rows, Env, NOW};
use predicates::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// Runs `args` and checks it fails with exit status 1; returns stderr.
fn fails(env: &Env, args: &[&str]) -> String {
    let output = env.cmd().args(args).assert().code(1).get_output().clone();
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 stderr");
    assert!(
        stderr.starts_with("prepdeck: error: "),
        "{args:?}: {stderr}"
    );
    stderr
}

fn add(env: &Env, deck: &str, front: &str, back: &str) -> assert_cmd::assert::Assert {
    env.cmd()
        .args(["add", "--deck", deck, "--front", front, "--back", back])
        .assert()
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn set<'a>(items: &[&'a str]) -> BTreeSet<&'a str> {
    items.iter().copied().collect()
}

/// The entry for deck `id` in `decks --json`.
fn deck_entry<'a>(decks: &'a Value, id: &str) -> &'a Value {
    decks
        .as_array()
        .expect("decks --json is an array")
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("deck {id} is not listed: {decks}"))
}

#[test]
fn add_prints_an_id_made_from_the_front_alone() {
    let env = Env::new();
    add(
        &env,
        "my-stories",
        "How do you stay calm?",
        "Breathe, listen.",
    )
    .success()
    .stdout("how-do-you-stay-calm\n")
    .stderr(predicate::str::contains(
        "Added card how-do-you-stay-calm to deck my-stories (1 card, ",
    ));
    // Long fronts are cut to whole words and end with a hash of the whole front, so
    // fronts that differ only after the cut get ids of their own, not -2 and -3 by
    // the order they were added in.
    let fronts = [
        "Tell me about a time you handled an angry customer on the phone",
        "Tell me about a time you handled an angry customer in the store",
        "Tell me about a time you handled an angry customer by email",
    ];
    let mut added = Vec::new();
    for front in fronts {
        let out = add(&env, "my-stories", front, "S T A R")
            .success()
            .get_output()
            .stdout
            .clone();
        let id = String::from_utf8(out).unwrap().trim_end().to_owned();
        let (words, hash) = id.rsplit_once('-').unwrap();
        assert_eq!(words, "tell-me-about-a-time-you-handled-an", "{id}");
        assert!(
            hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{id}"
        );
        assert!(!added.contains(&id), "{id} twice");
        added.push(id);
    }
    let cards = env.cards("my-stories");
    assert_eq!(card(&cards, &added[2])["front"], fronts[2]);
    assert_eq!(
        card(&cards, "how-do-you-stay-calm")["back"],
        "Breathe, listen."
    );
}

#[test]
fn add_makes_an_id_unique_with_a_number_only_when_another_card_has_it() {
    let env = Env::new();
    env.install(
        "my-stories",
        &[("how-do-you-stay-calm", "Calm: your first move?", "Breathe.")],
    );
    add(
        &env,
        "my-stories",
        "How do you stay calm?",
        "Breathe, listen.",
    )
    .success()
    .stdout("how-do-you-stay-calm-2\n");
}

#[test]
fn add_refuses_a_front_the_deck_already_has_ignoring_case_spacing_and_punctuation() {
    let env = Env::new();
    add(&env, "mine", "How do you stay calm?", "Breathe.").success();
    let before = std::fs::read(env.deck_file("mine")).unwrap();
    add(&env, "mine", "how do you   STAY calm", "Other.")
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "deck mine already has card how-do-you-stay-calm with this front",
        ));
    assert_eq!(std::fs::read(env.deck_file("mine")).unwrap(), before);
}

#[test]
fn add_refuses_an_empty_front_or_back() {
    let env = Env::new();
    for (front, back, side) in [("", "A", "front"), ("Q?", "  \t ", "back")] {
        add(&env, "mine", front, back)
            .code(1)
            .stderr(predicate::str::contains(format!(
                "the {side} is empty; a card needs text on both sides"
            )));
    }
    assert!(!env.deck_file("mine").exists());
}

#[test]
fn add_on_piped_input_needs_front_and_back_on_the_command_line() {
    let env = Env::new();
    for (args, missing) in [
        (["--back", "An answer"], "--front"),
        (["--front", "A question?"], "--back"),
    ] {
        env.cmd()
            .args(["add", "--deck", "mine"])
            .args(args)
            .write_stdin("typed text\n")
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "{missing} is missing; pass {missing} TEXT (it is only asked for on a terminal)"
            )));
    }
    assert!(!env.deck_file("mine").exists());
}

#[test]
fn add_to_a_built_in_deck_is_refused() {
    let env = Env::new();
    let decks = env.json_at(NOW, &["decks", "--json"]);
    let built_in: Vec<&str> = decks
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["origin"] == "built-in")
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(!built_in.is_empty(), "no built-in deck listed: {decks}");
    for id in built_in {
        add(&env, id, "A new question?", "An answer.")
            .code(1)
            .stderr(predicate::str::contains(format!(
                "{id} is a built-in deck and cannot be changed"
            )));
        assert!(!env.deck_file(id).exists());
    }
}

#[test]
fn add_refuses_bad_deck_ids_saying_why_before_creating_anything() {
    let env = Env::new();
    let long = "a".repeat(200);
    for (id, why) in [
        (
            "../x",
            "may only contain lowercase letters a-z, digits and '-'",
        ),
        (
            ".hidden",
            "may only contain lowercase letters a-z, digits and '-'",
        ),
        (
            "UPPER",
            "may only contain lowercase letters a-z, digits and '-'",
        ),
        ("-dash", "must start with a letter or digit"),
        (long.as_str(), "is longer than 64 characters"),
    ] {
        // `--deck=ID`, so that an id starting with '-' reaches prepdeck as a value.
        let flag = format!("--deck={id}");
        let stderr = fails(&env, &["add", &flag, "--front", "Q", "--back", "A"]);
        assert!(
            stderr.contains("--deck: id ") && stderr.contains(why),
            "{id}: {stderr}"
        );
    }
    assert!(
        !env.data().exists(),
        "a refused id must not create anything"
    );
}

#[test]
fn json_outputs_have_exactly_the_documented_keys() {
    let env = Env::new();
    env.install_numbered("shape", 2);
    env.review("shape", NOW, 1);

    let cards = env.cards("shape");
    let card_keys = set(&[
        "deck",
        "id",
        "front",
        "back",
        "tags",
        "reps",
        "ef",
        "interval",
        "due",
        "lapses",
        "last_review",
    ]);
    for c in &cards {
        assert_eq!(keys(c), card_keys, "{c}");
    }
    // A new card: no due day, no last review.
    let new = card(&cards, "c2");
    assert!(
        new["due"].is_null() && new["last_review"].is_null(),
        "{new}"
    );
    assert_eq!((&new["reps"], &new["interval"]), (&0.into(), &0.into()));

    let decks = env.json_at(NOW, &["decks", "--json"]);
    for d in decks.as_array().unwrap() {
        assert_eq!(
            keys(d),
            set(&[
                "id",
                "title",
                "description",
                "origin",
                "cards",
                "new",
                "due_today",
                "hidden",
                "error"
            ]),
            "{d}"
        );
    }

    let stats = env.json_at(NOW, &["stats", "shape", "--json"]);
    assert_eq!(
        keys(&stats),
        set(&[
            "today",
            "decks",
            "total",
            "streak_days",
            "due_next_7_days",
            "forecast",
            "answers_per_day",
            "grades_30d",
            "readiness",
            "plan_readiness",
            "cram_30d",
            "rehearsals_14d"
        ])
    );
    let row_keys = set(&[
        "deck",
        "cards",
        "new",
        "young",
        "mature",
        "due_today",
        "reviewed_today",
        "recall_reviews_30d",
        "recall_passed_30d",
        "retention_30d",
        "cram_today",
    ]);
    assert_eq!(keys(&stats["total"]), row_keys);
    assert_eq!(keys(&stats["decks"][0]), row_keys);
    assert_eq!(keys(&stats["readiness"]), set(&["ready", "cards", "share"]));
    assert_eq!(stats["due_next_7_days"].as_array().unwrap().len(), 7);
    assert_eq!(stats["forecast"].as_array().unwrap().len(), 14);
    for day in stats["forecast"].as_array().unwrap() {
        assert_eq!(keys(day), set(&["date", "cards"]));
    }
    assert_eq!(
        keys(&stats["answers_per_day"][0]),
        set(&["date", "answers"])
    );
    assert_eq!(stats["grades_30d"].as_array().unwrap().len(), 6);
}

/// Two decks: `mine` (a..e) with a known history ending in a review today, and
/// `other` (c1, c2) never studied.
fn known_history(env: &Env) {
    env.install(
        "mine",
        &[
            ("a", "Front a", "Back a"),
            ("b", "Front b", "Back b"),
            ("c", "Front c", "Back c"),
            ("d", "Front d", "Back d"),
            ("e", "Front e", "Back e"),
        ],
    );
    env.install_numbered("other", 2);
    let lines = [
        // a: learned long ago (outside the 30-day window), overdue since 10-31.
        answer_line(
            "2026-10-01T09:00:00Z",
            "mine/a",
            5,
            Some((4, 2.8, 30, 0, "2026-10-31")),
        ),
        // b: introduced 11-14, then forgotten on 11-20 (a lapse); due since 11-21.
        answer_line(
            "2026-11-14T09:00:00Z",
            "mine/b",
            4,
            Some((1, 2.5, 1, 0, "2026-11-15")),
        ),
        answer_line(
            "2026-11-20T09:00:00Z",
            "mine/b",
            2,
            Some((0, 2.5, 1, 1, "2026-11-21")),
        ),
        // c: introduced 11-21 with a 2 and re-drilled; d: introduced 11-21 with a 5.
        answer_line(
            "2026-11-21T09:00:00Z",
            "mine/c",
            2,
            Some((0, 2.5, 1, 0, "2026-11-22")),
        ),
        answer_line("2026-11-21T09:01:00Z", "mine/c", 4, None),
        answer_line(
            "2026-11-21T09:02:00Z",
            "mine/d",
            5,
            Some((1, 2.6, 1, 0, "2026-11-22")),
        ),
    ];
    std::fs::write(env.log_path(), lines.join("\n") + "\n").unwrap();
    // Today: one card (a, the oldest due) graded 3, then its re-drill graded 4.
    // a: EF 2.8 - 0.14 = 2.66, interval ceil(30 x 2.66) = 80, due 2027-02-10.
    let out = env.ok_at(NOW, &["review", "mine", "--limit", "1"], "\n3\n\n4\n");
    assert!(out.contains("Front a"), "{out}");
}

#[test]
fn stats_json_figures_on_a_known_history() {
    let env = Env::new();
    known_history(&env);
    let stats = env.json_at(NOW, &["stats", "mine", "other", "--json"]);
    assert_eq!(stats["today"], "2026-11-22");
    let mine = &stats["decks"][0];
    assert_eq!(mine["deck"], "mine");
    // (cards, new, young, mature, due today, reviewed today, recall reviews, passed)
    let figures = |row: &Value| {
        [
            "cards",
            "new",
            "young",
            "mature",
            "due_today",
            "reviewed_today",
            "recall_reviews_30d",
            "recall_passed_30d",
        ]
        .map(|k| row[k].as_u64().unwrap_or_else(|| panic!("{k} in {row}")))
    };
    // new: e; young: b, c, d (interval 1); mature: a (80); due: b, c, d; reviewed: a.
    // Recall: b on 11-20 (failed) and a today (passed); first answers do not count.
    assert_eq!(figures(mine), [5, 1, 3, 1, 3, 1, 2, 1]);
    assert_close(&mine["retention_30d"], 0.5, "retention of mine");
    let other = &stats["decks"][1];
    assert_eq!(figures(other), [2, 2, 0, 0, 0, 0, 0, 0]);
    assert!(other["retention_30d"].is_null());
    assert_eq!(figures(&stats["total"]), [7, 3, 3, 1, 3, 1, 2, 1]);
    assert_eq!(stats["total"]["deck"], "total");
    // Answers on 11-20, 11-21 and 11-22.
    assert_eq!(stats["streak_days"], 3);
    // Scheduling answers in 30 days (re-drills excluded): b 4, b 2, c 2, d 5, a 3.
    assert_eq!(stats["grades_30d"], serde_json::json!([0, 0, 2, 1, 1, 1]));
    // Last answered 4 or 5 and not overdue: d (5), and a and c, whose misses were
    // re-drilled to a 4 (the card's last answer is what counts).
    assert_eq!(stats["readiness"]["ready"], 3);
    assert_eq!(stats["readiness"]["cards"], 7);
    // The heatmap counts re-drills: three answers on 11-21, two today.
    let answers = |date: &str| {
        stats["answers_per_day"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["date"] == date)
            .unwrap_or_else(|| panic!("{date} not in the heatmap"))["answers"]
            .clone()
    };
    assert_eq!(answers("2026-11-21"), 3);
    assert_eq!(answers("2026-11-22"), 2);
}

#[test]
fn cards_json_shows_each_schedule_of_the_known_history() {
    let env = Env::new();
    known_history(&env);
    let cards = env.cards("mine");
    let a = card(&cards, "a");
    assert_eq!((&a["reps"], &a["interval"]), (&5.into(), &80.into()));
    assert_close(&a["ef"], 2.66, "ef of a");
    assert_eq!(a["due"], "2027-02-10");
    assert_eq!(a["last_review"], NOW);
    let b = card(&cards, "b");
    assert_eq!((&b["reps"], &b["lapses"]), (&0.into(), &1.into()));
    assert_eq!(b["due"], "2026-11-21");
    assert_eq!(b["last_review"], "2026-11-20T09:00:00Z");
    // c's re-drill does not count as its last review.
    assert_eq!(card(&cards, "c")["last_review"], "2026-11-21T09:00:00Z");
    let e = card(&cards, "e");
    assert_eq!((&e["reps"], &e["interval"]), (&0.into(), &0.into()));
    assert_close(&e["ef"], 2.5, "ef of a new card");
    assert!(e["due"].is_null() && e["last_review"].is_null());
    assert_eq!(e["tags"], serde_json::json!(["t"]));
    // --due keeps the three due today, in deck order.
    let due = env.json_at(NOW, &["cards", "mine", "--due", "--json"]);
    assert_eq!(common::ids(due.as_array().unwrap()), ["b", "c", "d"]);
}

#[test]
fn stats_decks_and_cards_agree_in_json_and_in_tables() {
    let env = Env::new();
    known_history(&env);
    let stats = env.json_at(NOW, &["stats", "mine", "other", "--json"]);
    let decks = env.json_at(NOW, &["decks", "--json"]);
    let stats_table = env.ok_at(NOW, &["stats", "mine", "other"], "");
    let decks_table = env.ok_at(NOW, &["decks"], "");
    let cards_table = env.ok_at(NOW, &["cards", "mine", "other"], "");

    for (i, id) in ["mine", "other"].into_iter().enumerate() {
        let row = &stats["decks"][i];
        let cards = env.cards(id);
        let new = cards.iter().filter(|c| c["due"].is_null()).count();
        let due = cards
            .iter()
            .filter(|c| c["due"].as_str().is_some_and(|d| d <= "2026-11-22"))
            .count();
        let young = cards
            .iter()
            .filter(|c| !c["due"].is_null() && c["interval"].as_u64().unwrap() < 21)
            .count();
        let mature = cards
            .iter()
            .filter(|c| c["interval"].as_u64().unwrap() >= 21)
            .count();
        // stats --json against cards --json.
        assert_eq!(row["cards"], cards.len(), "{id}");
        assert_eq!(row["new"], new, "{id}");
        assert_eq!(row["due_today"], due, "{id}");
        assert_eq!(row["young"], young, "{id}");
        assert_eq!(row["mature"], mature, "{id}");
        // decks --json against stats --json.
        let entry = deck_entry(&decks, id);
        assert_eq!(entry["cards"], row["cards"], "{id}");
        assert_eq!(entry["new"], row["new"], "{id}");
        assert_eq!(entry["due_today"], row["due_today"], "{id}");
        assert_eq!(entry["origin"], "user");
        assert_eq!(entry["title"], format!("Deck {id}"));
        assert_eq!(entry["hidden"], false);

        // The tables print the same figures.
        let cells = table_row(&stats_table, id);
        let numbers: Vec<String> = [
            "cards",
            "new",
            "young",
            "mature",
            "due_today",
            "reviewed_today",
        ]
        .iter()
        .map(|k| row[*k].to_string())
        .collect();
        assert_eq!(cells[1..7], numbers[..], "stats table row {id}");
        let cells = table_row(&decks_table, id);
        assert_eq!(
            cells[1..],
            [
                format!("Deck {id}"),
                "user".to_owned(),
                row["cards"].to_string(),
                row["new"].to_string(),
                row["due_today"].to_string(),
            ],
            "decks table row {id}"
        );
    }
    assert_eq!(table_row(&stats_table, "mine")[7], "50%");
    assert_eq!(table_row(&stats_table, "other")[7], "–");
    assert_eq!(
        table_row(&stats_table, "total")[1..7],
        ["7", "3", "3", "1", "3", "1"]
    );
    assert!(
        stats_table.contains("Study streak: 3 days"),
        "{stats_table}"
    );

    // cards: one table row per card with the schedule of cards --json.
    let rows = table_rows(&cards_table);
    assert_eq!(
        rows[0],
        ["Deck", "Card", "Front", "Reps", "EF", "Interval", "Due", "Lapses"]
    );
    let find = |id: &str| {
        rows.iter()
            .find(|r| r.get(1).map(String::as_str) == Some(id))
            .unwrap_or_else(|| panic!("no row for {id}:\n{cards_table}"))
            .clone()
    };
    assert_eq!(
        find("a"),
        ["mine", "a", "Front a", "5", "2.66", "80", "2027-02-10", "0"]
    );
    assert_eq!(
        find("b"),
        ["mine", "b", "Front b", "0", "2.50", "1", "2026-11-21", "1"]
    );
    assert_eq!(rows.len(), 1 + 7, "{cards_table}");
}

#[test]
fn an_unknown_deck_is_a_clear_error_listing_the_known_ones() {
    let env = Env::new();
    env.install_numbered("mine", 1);
    for args in [
        &["review", "nope"][..],
        &["stats", "nope"],
        &["cards", "nope"],
        &["cards", "mine", "nope"],
    ] {
        let stderr = fails(&env, args);
        assert!(
            stderr.contains("there is no deck \"nope\"; known decks: ")
                && stderr.contains("mine")
                && stderr.contains("Run `prepdeck decks` to list them"),
            "{args:?}: {stderr}"
        );
    }
    assert!(!env.log_path().exists());
}

#[test]
fn a_bad_prepdeck_now_is_a_clear_error() {
    let env = Env::new();
    env.install_numbered("mine", 1);
    for value in ["yesterday", "2026-11-22 09:00", "2026-13-01T09:00:00Z"] {
        for args in [&["review", "mine"][..], &["stats"], &["cards"]] {
            let output = env
                .cmd_at(value)
                .args(args)
                .write_stdin("\n4\n")
                .assert()
                .code(1)
                .get_output()
                .clone();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.contains(&format!("PREPDECK_NOW is set to {value:?}"))
                    && stderr.contains("not an RFC 3339 timestamp"),
                "{value:?} {args:?}: {stderr}"
            );
        }
    }
    assert!(!env.log_path().exists());
}

#[test]
fn cards_piped_keeps_every_front_whole() {
    let env = Env::new();
    let front = "Tell me about a time a customer shouted at you in front of a queue of other customers and what you did next";
    env.install("long", &[("c", front, "A.")]);
    let out = env.ok_at(NOW, &["cards", "long"], "");
    assert!(out.contains(front), "{out}");
}

#[test]
fn an_empty_prepdeck_now_is_treated_as_unset() {
    let env = Env::new();
    env.install_numbered("mine", 1);
    // With the variable cleared the system clock applies: today is the real study day.
    let stats = env.json_at("", &["stats", "mine", "--json"]);
    let today = chrono::NaiveDate::parse_from_str(stats["today"].as_str().unwrap(), "%Y-%m-%d")
        .expect("today is a date");
    let real = chrono::Utc::now().date_naive();
    assert!((today - real).num_days().abs() <= 1, "{today} vs {real}");
}

#[test]
fn completions_bash_prints_a_completion_script() {
    let env = Env::new();
    let script = env.ok_at(NOW, &["completions", "bash"], "");
    assert!(script.contains("_prepdeck()"), "{script}");
    assert!(script.contains("complete -F _prepdeck"), "{script}");
    for command in ["review", "add", "stats", "decks", "cards"] {
        assert!(script.contains(command), "{command} is not completed");
    }
    assert!(!env.data().exists(), "completions need no data directory");
}

#[test]
fn completions_to_a_full_disk_is_a_one_line_error_not_a_panic() {
    let env = Env::new();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let output = env
        .std_cmd_at(NOW)
        .args(["completions", "bash"])
        .stdout(full)
        .output()
        .expect("run prepdeck");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("prepdeck: error: could not write standard output")
            && stderr.lines().count() == 1,
        "{stderr}"
    );
}

/// Every `after_help` text: the top level's and each subcommand's, nested ones included.
fn after_helps(command: &clap::Command, into: &mut Vec<(String, String)>) {
    if let Some(text) = command.get_after_help() {
        into.push((command.get_name().to_owned(), text.to_string()));
    }
    for sub in command.get_subcommands() {
        after_helps(sub, into);
    }
}

/// The words of a shell command line: single and double quotes, no expansions; stops at
/// a comment, a pipe or a redirection (the prepdeck part is what is checked).
fn shell_words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quote, mut started) = (Vec::new(), String::new(), None, false);
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => (quote, started) = (Some(c), true),
            (None, '#' | '|' | '>') if !started => break,
            (None, ' ') => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (None, c) => (word.push(c), started = true).1,
        }
    }
    if started {
        words.push(word);
    }
    words
}

#[test]
fn help_examples_fit_80_columns_and_parse_when_pasted() {
    use clap::{CommandFactory, Parser};
    let mut texts = Vec::new();
    after_helps(&prepdeck::cli::Cli::command(), &mut texts);
    assert!(texts.len() > 10, "{texts:?}");
    let mut examples = 0;
    for (name, text) in &texts {
        // Example lines are indented; clap wraps the prose, but a wrapped example
        // breaks in the middle of an argument.
        let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("  ")).collect();
        for line in &lines {
            assert!(
                line.chars().count() <= 78,
                "{name}: {} columns: {line}",
                line.chars().count()
            );
        }
        // Joined at their ` \` continuations, as a shell would, they are valid commands.
        let joined = lines.join("\n").replace(" \\\n", " ");
        for command in joined
            .lines()
            .map(str::trim)
            .filter(|l| l.contains("prepdeck "))
        {
            let start = command.find("prepdeck ").unwrap();
            let words = shell_words(&command[start..]);
            let parsed = prepdeck::cli::Cli::try_parse_from(&words);
            assert!(parsed.is_ok(), "{name}: {command}: {:?}", parsed.err());
            examples += 1;
        }
    }
    assert!(examples > 25, "{examples}");
}

/// The subcommand names listed under "Commands:" in a help text (`help` left out).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_subcommand_help_has_an_example() {
    let env = Env::new();
    let top = env.ok_at(NOW, &["--help"], "");
    assert!(top.contains("Examples:"), "{top}");
    let mut pending: Vec<Vec<String>> = subcommands(&top).into_iter().map(|c| vec![c]).collect();
    assert!(pending.len() >= 10, "{top}");
    let mut checked = 0;
    while let Some(path) = pending.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = env.ok_at(NOW, &args, "");
        assert!(help.contains("Example"), "{args:?} has no example:\n{help}");
        // Nested commands (`decks hide`) too.
        for sub in subcommands(&help) {
            let mut deeper = path.clone();
            deeper.push(sub);
            pending.push(deeper);
        }
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} help texts checked");
}

#[test]
fn version_prints_the_package_version() {
    let env = Env::new();
    env.cmd()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("prepdeck {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn deck_lint_warnings_are_left_to_check_and_name_the_file() {
    let env = Env::new();
    let path = env.deck_file("untagged");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        r#"{"format_version": 1, "id": "untagged", "title": "T", "description": "",
            "cards": [{"id": "x", "front": "Q?", "back": "A."}]}"#,
    )
    .unwrap();
    // Everyday commands stay quiet about style: the deck is valid.
    for args in [
        &["decks"][..],
        &["cards", "untagged"],
        &["stats", "untagged"],
    ] {
        env.cmd().args(args).assert().success().stderr("");
    }
    env.cmd()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "{}: card 1 (\"x\"): warning: the card has no tags",
            path.display()
        )));
}
