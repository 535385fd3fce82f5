//! `review --tag`, `review --card` and `review --cram`, driven on piped input.

mod common;

use common::{Env, NOW};

/// Installs deck `id` with (card id, tags) cards: "Question ID" / "Answer ID".
fn install_tagged(env: &Env, id: &str, cards: &[(&str, &[&str])]) {
    let cards: Vec<serde_json::Value> = cards
        .iter()
        .map(|(c, tags)| {
            serde_json::json!({"id": c, "front": format!("Question {c}"), "back": format!("Answer {c}"), "tags": tags})
        })
        .collect();
    let text = serde_json::json!({
        "format_version": 1, "id": id, "title": id, "description": "", "cards": cards
    });
    let path = env.deck_file(id);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text.to_string()).unwrap();
}

/// The card keys of the log's lines, in order.
fn logged(env: &Env) -> Vec<String> {
    env.log()
        .iter()
        .map(|e| e["card"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn tag_studies_only_cards_with_any_of_the_tags() {
    let env = Env::new();
    install_tagged(
        &env,
        "mine",
        &[
            ("a", &["star"]),
            ("b", &["calm"]),
            ("c", &["other"]),
            ("d", &["Star"]),
        ],
    );
    let out = env.ok_at(
        NOW,
        &["review", "mine", "--tag", "star", "--tag", "calm"],
        &"\n4\n".repeat(5),
    );
    assert!(out.contains("Reviewing 3 cards"), "{out}");
    assert_eq!(logged(&env), ["mine/a", "mine/b", "mine/d"]);
}

#[test]
fn an_unknown_tag_or_card_is_refused_with_a_suggestion() {
    let env = Env::new();
    install_tagged(&env, "mine", &[("refund-refused", &["star"])]);
    let err = env
        .cmd()
        .args(["review", "mine", "--tag", "stra"])
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("Did you mean \"star\"?"), "{err}");
    let err = env
        .cmd()
        .args(["review", "--card", "mine/refund-refsued"])
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains("Did you mean \"mine/refund-refused\"?"),
        "{err}"
    );
    let err = env
        .cmd()
        .args(["review", "mnie"])
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("did you mean \"mine\"?"), "{err}");
}

#[test]
fn card_studies_just_the_cards_named_even_from_a_hidden_deck() {
    let env = Env::new();
    install_tagged(&env, "mine", &[("a", &[]), ("b", &[]), ("c", &[])]);
    env.ok_at(NOW, &["decks", "hide", "mine"], "");
    let out = env.ok_at(
        NOW,
        &["review", "--card", "mine/c", "--card", "a"],
        &"\n5\n".repeat(3),
    );
    assert!(out.contains("Reviewing 2 cards"), "{out}");
    assert_eq!(logged(&env), ["mine/a", "mine/c"]);
}

#[test]
fn cram_goes_through_every_card_due_or_not_and_leaves_the_schedule_alone() {
    let env = Env::new();
    install_tagged(&env, "mine", &[("a", &[]), ("b", &[]), ("c", &[])]);
    // a is learned and not due today; b and c are new.
    env.ok_at(NOW, &["review", "mine", "--limit", "1"], "\n5\n");
    let before = env.cards("mine");
    let out = env.ok_at(
        "2026-11-22T10:00:00Z",
        &["review", "mine", "--cram"],
        // a: 5; b: 2 (missed, comes back); c: 4; b again: 4.
        "\n5\n\n2\n\n4\n\n4\n",
    );
    assert!(out.contains("Cramming 3 cards (2 new)"), "{out}");
    assert!(out.contains("[again] mine · re-drill"), "{out}");
    assert!(out.contains("no card's schedule changed"), "{out}");
    assert_eq!(
        env.cards("mine"),
        before,
        "cram answers changed the schedule"
    );
    let log = env.log();
    let cram: Vec<_> = log.iter().filter(|e| e["cram"] == true).collect();
    assert_eq!(cram.len(), 4);
    assert!(cram.iter().all(|e| e["v"] == 2 && e.get("after").is_none()));
    // The plain answer before stays a version 1 line.
    assert_eq!(log[0]["v"], 1);

    let stats = env.json_at("2026-11-22T10:00:00Z", &["stats", "mine", "--json"]);
    let mine = &stats["decks"][0];
    assert_eq!(mine["reviewed_today"], 1, "{mine}");
    assert_eq!(mine["cram_today"], 4, "{mine}");
    assert_eq!(stats["cram_30d"], 4);
    let text = env.ok_at("2026-11-22T10:00:00Z", &["stats", "mine"], "");
    assert!(
        text.contains("Cram answers: 4 today, 4 in 30 days"),
        "{text}"
    );

    // Replayed from the log alone, the cards are the same.
    std::fs::remove_file(env.data().join("state.json")).unwrap();
    assert_eq!(env.cards("mine"), before);
}

#[test]
fn an_undone_cram_answer_is_taken_out_of_the_count() {
    let env = Env::new();
    install_tagged(&env, "mine", &[("a", &[]), ("b", &[])]);
    env.ok_at(NOW, &["review", "mine", "--cram"], "\n5\nu\n\n4\n\n4\n");
    let log = env.log();
    assert_eq!(log[1]["kind"], "undo");
    assert_eq!(log[1]["cram"], true);
    std::fs::remove_file(env.data().join("state.json")).unwrap();
    let stats = env.json_at(NOW, &["stats", "mine", "--json"]);
    assert_eq!(stats["decks"][0]["cram_today"], 2);
}

#[test]
fn shuffle_crams_every_card_once_in_some_order() {
    let env = Env::new();
    let ids: Vec<String> = (1..=12).map(|i| format!("c{i}")).collect();
    let cards: Vec<(&str, &[&str])> = ids.iter().map(|c| (c.as_str(), &[][..])).collect();
    install_tagged(&env, "mine", &cards);
    env.ok_at(
        NOW,
        &["review", "mine", "--cram", "--shuffle"],
        &"\n5\n".repeat(12),
    );
    let mut got = logged(&env);
    let order = got.clone();
    got.sort();
    let mut want: Vec<String> = ids.iter().map(|c| format!("mine/{c}")).collect();
    want.sort();
    assert_eq!(got, want);
    let deck_order: Vec<String> = ids.iter().map(|c| format!("mine/{c}")).collect();
    assert_ne!(order, deck_order, "12 cards came out in deck order");
    // --shuffle without --cram is refused.
    env.cmd().args(["review", "--shuffle"]).assert().code(2);
}

#[test]
fn a_new_deck_s_cards_come_first_in_the_next_plain_review_and_import_says_how() {
    let env = Env::new();
    let file = env.write(
        "mine.json",
        &common::deck_json(
            "mine",
            "1",
            &[("a", "Mine A", "Back A"), ("b", "Mine B", "Back B")],
        ),
    );
    let out = env.ok_at(NOW, &["import", file.to_str().unwrap()], "");
    assert!(
        out.contains("Study it now: `prepdeck review mine`."),
        "{out}"
    );
    // Plain review, all decks: the new deck's cards lead the new cards, ahead of the
    // built-in decks'.
    let out = env.ok_at(NOW, &["review", "--limit", "2"], "\n5\n\n5\n");
    assert_eq!(logged(&env), ["mine/a", "mine/b"], "{out}");
    let added = env
        .cmd()
        .args(["add", "--deck", "other", "--front", "Q", "--back", "A"])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let added = String::from_utf8(added).unwrap();
    assert!(
        added.contains("Study it now: `prepdeck review other`."),
        "{added}"
    );
}

#[test]
fn import_into_an_all_decks_plan_says_what_it_does_to_the_daily_load() {
    let env = Env::new();
    env.ok_at(NOW, &["plan", "--interview", "2026-11-30"], "");
    let cards: Vec<(String, String, String)> = (1..=300)
        .map(|i| {
            (
                format!("c{i}"),
                format!("Question {i}"),
                format!("Answer {i}"),
            )
        })
        .collect();
    let cards: Vec<(&str, &str, &str)> = cards
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    let file = env.write("big.json", &common::deck_json("big", "1", &cards));
    let out = env.ok_at(NOW, &["import", file.to_str().unwrap()], "");
    assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        out.contains("covers every deck: 300 new cards joined it, and the pace goes from 22 to 60 new cards a day (held at the plan's cap of 60 a day"),
        "{out}"
    );
    // A plan that names its decks is not changed by an import: nothing said.
    env.ok_at(
        NOW,
        &[
            "plan",
            "--interview",
            "2026-11-30",
            "--deck",
            "why-they-ask",
        ],
        "",
    );
    let file = env.write("more.json", &common::deck_json("more", "1", &cards));
    let out = env.ok_at(NOW, &["import", file.to_str().unwrap()], "");
    assert!(!out.contains("interview plan"), "{out}");
}
