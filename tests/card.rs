//! `prepdeck card show|edit|suspend|unsuspend|delete`.

mod common;

use common::{Env, NOW};

fn stderr_of(env: &Env, args: &[&str]) -> String {
    let out = env.cmd().args(args).assert().failure().get_output().clone();
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn show_gives_the_text_schedule_and_history() {
    let env = Env::new();
    env.install_numbered("mine", 2);
    env.ok_at(NOW, &["review", "mine", "--limit", "1"], "\n2\n\n4\n");
    let out = env.ok_at(NOW, &["card", "show", "c1"], "");
    assert!(out.contains("mine/c1 · Deck mine (user)"), "{out}");
    assert!(
        out.contains("Question 1") && out.contains("Answer 1"),
        "{out}"
    );
    assert!(
        out.contains("due 2026-11-23 · interval 1 day · reps 0"),
        "{out}"
    );
    assert!(
        out.contains("answer 2") && out.contains("re-drill 4"),
        "{out}"
    );
    let out = env.ok_at(NOW, &["card", "show", "mine/c2"], "");
    assert!(
        out.contains("new (never answered)") && out.contains("no answers yet"),
        "{out}"
    );
    let err = stderr_of(&env, &["card", "show", "mine/c3x"]);
    assert!(err.contains("there is no card"), "{err}");
}

#[test]
fn edit_changes_the_text_and_keeps_the_progress() {
    let env = Env::new();
    env.install_numbered("mine", 2);
    env.ok_at(NOW, &["review", "mine", "--limit", "1"], "\n5\n");
    let before = env.cards("mine");
    let out = env.ok_at(
        NOW,
        &[
            "card",
            "edit",
            "mine/c1",
            "--back",
            "A better answer",
            "--tag",
            "star",
        ],
        "",
    );
    assert!(out.contains("edited; its progress is kept"), "{out}");
    let after = env.cards("mine");
    let c1 = common::card(&after, "c1");
    assert_eq!(c1["back"], "A better answer");
    assert_eq!(c1["tags"], serde_json::json!(["star"]));
    let was = common::card(&before, "c1");
    for k in ["reps", "ef", "interval", "due", "last_review"] {
        assert_eq!(c1[k], was[k], "{k}");
    }
    // A front another card has is refused.
    let err = stderr_of(&env, &["card", "edit", "c1", "--front", "Question 2"]);
    assert!(err.contains("already has card c2"), "{err}");
    // Built-in cards cannot be edited.
    let builtin = env.cards("why-they-ask");
    let id = format!("why-they-ask/{}", builtin[0]["id"].as_str().unwrap());
    let err = stderr_of(&env, &["card", "edit", &id, "--back", "x"]);
    assert!(err.contains("is built in"), "{err}");
}

#[test]
fn edit_without_flags_opens_the_editor() {
    let env = Env::new();
    env.install_numbered("mine", 1);
    let script = env.write(
        "editor.sh",
        "#!/bin/sh\nsed -i 's/^Answer 1$/First line\\n\\nSecond line/' \"$1\"\n",
    );
    let out = env
        .cmd()
        .args(["card", "edit", "c1"])
        .env("VISUAL", format!("sh {}", script.display()))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("edited"));
    let cards = env.cards("mine");
    assert_eq!(
        common::card(&cards, "c1")["back"],
        "First line\n\nSecond line"
    );
    assert_eq!(common::card(&cards, "c1")["front"], "Question 1");
}

#[test]
fn a_suspended_card_leaves_review_and_the_plan_until_unsuspended() {
    let env = Env::new();
    env.install_numbered("mine", 3);
    env.ok_at(
        NOW,
        &["plan", "--interview", "2026-12-10", "--deck", "mine"],
        "",
    );
    let out = env.ok_at(NOW, &["card", "suspend", "mine/c2"], "");
    assert!(out.contains("suspended"), "{out}");
    let plan = env.json_at(NOW, &["plan", "--json"]);
    assert_eq!(plan["cards"], 2, "{plan}");
    env.ok_at(NOW, &["review", "mine"], &"\n5\n".repeat(3));
    let seen: Vec<String> = env
        .log()
        .iter()
        .map(|e| e["card"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(seen, ["mine/c1", "mine/c3"]);
    let cram = env.ok_at(NOW, &["review", "mine", "--cram"], &"\n5\n".repeat(3));
    assert!(cram.contains("Cramming 2 cards"), "{cram}");
    // Built-in cards can be suspended too.
    let builtin = env.cards("why-they-ask");
    let id = format!("why-they-ask/{}", builtin[0]["id"].as_str().unwrap());
    env.ok_at(NOW, &["card", "suspend", &id], "");
    let out = env.ok_at(NOW, &["card", "unsuspend", "mine/c2"], "");
    assert!(out.contains("back in review"), "{out}");
    assert_eq!(env.json_at(NOW, &["plan", "--json"])["cards"], 3);
    let out = env.ok_at(NOW, &["card", "show", &id], "");
    assert!(out.contains("suspended"), "{out}");
}

#[test]
fn delete_asks_first_and_keeps_the_history() {
    let env = Env::new();
    env.install_numbered("mine", 2);
    env.ok_at(NOW, &["review", "mine", "--limit", "1"], "\n5\n");
    let err = stderr_of(&env, &["card", "delete", "mine/c1"]);
    assert!(err.contains("pass --yes"), "{err}");
    assert_eq!(env.cards("mine").len(), 2);
    let out = env.ok_at(NOW, &["card", "delete", "mine/c1", "--yes"], "");
    assert!(out.contains("text and review history are kept"), "{out}");
    assert_eq!(env.cards("mine").len(), 1);
    assert_eq!(env.log().len(), 1);
    // Added again, the card gets its progress back.
    env.ok_at(
        NOW,
        &["add", "--deck", "mine", "--front", "c1", "--back", "x"],
        "",
    );
    assert_eq!(common::card(&env.cards("mine"), "c1")["reps"], 1);
    let err = stderr_of(
        &env,
        &[
            "add",
            "--deck",
            "mine",
            "--front",
            "Question 2",
            "--back",
            "x",
        ],
    );
    assert!(err.contains("`prepdeck card edit mine/c2`"), "{err}");
}
