//! Nothing anyone wrote is destroyed: a learner's own cards survive imports, retired
//! cards keep their text, mass retirement needs consent, and removed decks come back.

mod common;

use common::{deck_json, ids, Env};

fn fails(env: &Env, args: &[&str]) -> String {
    let output = env.cmd().args(args).assert().failure().get_output().clone();
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn importing_a_file_over_a_deck_made_with_add_keeps_the_added_card() {
    let env = Env::new();
    env.ok_at(
        common::NOW,
        &["add", "--deck", "my-stories", "--front", "Q", "--back", "A"],
        "",
    );
    let csv = env.write("my-stories.csv", "front,back\nX?,Y\n");
    let out = env.ok_at(common::NOW, &["import", csv.to_str().unwrap()], "");
    assert!(out.contains("0 retired"), "{out}");
    assert!(out.contains("1 kept as your own"), "{out}");
    assert!(out.contains("kept: your own cards q"), "{out}");
    let cards = env.cards("my-stories");
    let fronts: Vec<&str> = cards.iter().map(|c| c["front"].as_str().unwrap()).collect();
    assert!(
        fronts.contains(&"Q") && fronts.contains(&"X?"),
        "{fronts:?}"
    );
}

#[test]
fn a_coachs_new_version_keeps_the_card_the_learner_added_to_that_deck() {
    let env = Env::new();
    let v1 = env.write(
        "coach.json",
        &deck_json("coach", "1", &[("a", "A?", "a"), ("b", "B?", "b")]),
    );
    env.ok_at(common::NOW, &["import", v1.to_str().unwrap()], "");
    let added = env.ok_at(
        common::NOW,
        &[
            "add",
            "--deck",
            "coach",
            "--front",
            "My refund story?",
            "--back",
            "S T A R",
        ],
        "",
    );
    let mine = added.trim().to_owned();
    let v2 = env.write(
        "coach2.json",
        &deck_json("coach", "2", &[("a", "A?", "a"), ("c", "C?", "c")]),
    );
    let out = env.ok_at(common::NOW, &["import", v2.to_str().unwrap()], "");
    assert!(
        out.contains("1 added, 0 re-worded, 1 retired, 1 unchanged, 1 kept as your own"),
        "{out}"
    );
    assert_eq!(ids(&env.cards("coach")), ["a", "c", mine.as_str()]);
}

#[test]
fn an_empty_file_is_refused_and_the_deck_is_left_as_it_was() {
    let env = Env::new();
    env.ok_at(
        common::NOW,
        &["add", "--deck", "mine", "--front", "Q", "--back", "A"],
        "",
    );
    let before = std::fs::read(env.deck_file("mine")).unwrap();
    let empty = env.write("mine.tsv", "");
    let stderr = fails(&env, &["import", empty.to_str().unwrap(), "--deck", "mine"]);
    assert!(
        stderr.contains("has no cards") || stderr.contains("empty"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(env.deck_file("mine")).unwrap(), before);
}

#[test]
fn retiring_more_than_half_needs_allow_retire_and_the_retired_text_is_kept() {
    let env = Env::new();
    let cards = [
        ("a", "A?", "a"),
        ("b", "B?", "b"),
        ("c", "C?", "c"),
        ("d", "D?", "d"),
    ];
    let v1 = env.write("v1.json", &deck_json("coach", "1", &cards));
    env.ok_at(common::NOW, &["import", v1.to_str().unwrap()], "");
    env.review("coach", common::NOW, 4);
    let v2 = env.write("v2.json", &deck_json("coach", "2", &[("a", "A?", "a")]));
    let stderr = fails(&env, &["import", v2.to_str().unwrap()]);
    assert!(
        stderr.contains("3 of the installed deck's 4 cards"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--allow-retire") && stderr.contains("b, c, d"),
        "{stderr}"
    );
    assert_eq!(ids(&env.cards("coach")), ["a", "b", "c", "d"]);

    let out = env.ok_at(
        common::NOW,
        &["import", v2.to_str().unwrap(), "--allow-retire"],
        "",
    );
    assert!(out.contains("3 retired"), "{out}");
    assert!(out.contains("prepdeck card restore coach/CARD"), "{out}");
    let archive: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.data().join("deck-archive/coach.json")).unwrap())
            .unwrap();
    let kept: Vec<&str> = archive["retired"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["front"].as_str().unwrap())
        .collect();
    assert_eq!(kept, ["B?", "C?", "D?"]);

    // The older version again brings the cards back, with their progress.
    let out = env.ok_at(common::NOW, &["import", v1.to_str().unwrap()], "");
    assert!(out.contains("3 added"), "{out}");
    let cards = env.cards("coach");
    assert!(cards.iter().all(|c| c["reps"] == 1), "{cards:?}");
    let archive: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.data().join("deck-archive/coach.json")).unwrap())
            .unwrap();
    assert_eq!(archive["retired"].as_array().unwrap().len(), 0);
}

#[test]
fn a_removed_deck_is_restored_as_it_was_with_its_progress() {
    let env = Env::new();
    env.ok_at(
        common::NOW,
        &[
            "add",
            "--deck",
            "mine",
            "--front",
            "Only copy?",
            "--back",
            "Yes",
        ],
        "",
    );
    env.review("mine", common::NOW, 1);
    let out = env.ok_at(common::NOW, &["remove", "mine", "--yes"], "");
    assert!(out.contains("prepdeck decks restore mine"), "{out}");
    assert!(!env.deck_file("mine").exists());
    fails(&env, &["cards", "mine", "--json"]);

    let out = env.ok_at(common::NOW, &["decks", "restore", "mine"], "");
    assert!(out.contains("Restored deck mine (1 card)"), "{out}");
    let cards = env.cards("mine");
    assert_eq!(cards[0]["front"], "Only copy?");
    assert_eq!(cards[0]["reps"], 1);

    let stderr = fails(&env, &["decks", "restore", "mine"]);
    assert!(stderr.contains("deck mine is installed"), "{stderr}");
    let stderr = fails(&env, &["decks", "restore", "never"]);
    assert!(stderr.contains("no removed deck never"), "{stderr}");
}

#[test]
fn a_retired_or_deleted_card_is_restored_with_its_text_and_progress() {
    let env = Env::new();
    let cards = [("a", "A?", "a"), ("b", "B?", "b"), ("c", "C?", "c")];
    let v1 = env.write("v1.json", &deck_json("coach", "1", &cards));
    env.ok_at(common::NOW, &["import", v1.to_str().unwrap()], "");
    env.review("coach", common::NOW, 3);
    let v2 = env.write(
        "v2.json",
        &deck_json("coach", "2", &[("a", "A?", "a"), ("c", "C?", "c")]),
    );
    env.ok_at(common::NOW, &["import", v2.to_str().unwrap()], "");
    assert_eq!(ids(&env.cards("coach")), ["a", "c"]);

    let out = env.ok_at(common::NOW, &["card", "restore", "coach/b"], "");
    assert!(out.contains("Restored card coach/b"), "{out}");
    let cards = env.cards("coach");
    assert_eq!(ids(&cards), ["a", "c", "b"]);
    assert_eq!(cards[2]["front"], "B?");
    assert_eq!(cards[2]["reps"], 1);

    let out = env.ok_at(common::NOW, &["card", "delete", "coach/c", "--yes"], "");
    assert!(out.contains("prepdeck card restore coach/c"), "{out}");
    assert_eq!(ids(&env.cards("coach")), ["a", "b"]);
    env.ok_at(common::NOW, &["card", "restore", "coach/c"], "");
    assert_eq!(ids(&env.cards("coach")), ["a", "b", "c"]);

    let stderr = fails(&env, &["card", "restore", "coach/c"]);
    assert!(stderr.contains("is in deck coach already"), "{stderr}");
    let stderr = fails(&env, &["card", "restore", "coach/zzz"]);
    assert!(
        stderr.contains("has no retired cards to restore"),
        "{stderr}"
    );
}

#[test]
fn a_card_the_learner_edited_survives_the_coachs_next_version() {
    let env = Env::new();
    let v1 = env.write(
        "v1.json",
        &deck_json(
            "coach",
            "1",
            &[("a", "A?", "a"), ("b", "B?", "b"), ("c", "C?", "c")],
        ),
    );
    env.ok_at(common::NOW, &["import", v1.to_str().unwrap()], "");
    env.ok_at(
        common::NOW,
        &["card", "edit", "coach/b", "--back", "My own words"],
        "",
    );
    let v2 = env.write(
        "v2.json",
        &deck_json("coach", "2", &[("a", "A?", "a"), ("c", "C?", "c")]),
    );
    let out = env.ok_at(common::NOW, &["import", v2.to_str().unwrap()], "");
    assert!(out.contains("kept: your own cards b"), "{out}");
    let cards = env.cards("coach");
    assert_eq!(ids(&cards), ["a", "c", "b"]);
    assert_eq!(cards[2]["back"], "My own words");
}
