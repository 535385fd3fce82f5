//! `prepdeck story`: writing stories on piped input, their cards in `my-stories`,
//! editing that keeps progress, removal, and a damaged or newer stories.json.

mod common;

use common::{card, ids, Env, NOW};
use serde_json::Value;

/// A story as piped to `story new`: one part a line, actions ended by an empty line.
const STORY: &str = "Refund without a receipt\n\
A customer wanted a refund for a faulty kettle without a receipt and was shouting at the till.\n\
I was the cashier on duty.\n\
I let her finish without interrupting.\n\
I said I understood why she was upset.\n\
I offered store credit or an exchange, which the policy allowed.\n\
\n\
She took the store credit and came back the next week to buy a toaster.\n\
Listening first and offering options calms most people down.\n";

const ID: &str = "refund-without-a-receipt";

fn new_story(env: &Env, input: &str) -> String {
    env.ok_at(NOW, &["story", "new"], input)
}

fn stories(env: &Env) -> Value {
    let text = std::fs::read_to_string(env.data().join("stories.json")).expect("stories.json");
    serde_json::from_str(&text).expect("stories.json is JSON")
}

#[test]
fn story_new_on_piped_input_saves_the_story_and_makes_one_card_per_part() {
    let env = Env::new();
    let out = new_story(&env, STORY);
    assert!(out.contains(&format!("Saved story {ID}")), "{out}");
    assert!(out.contains("Deck my-stories: 7 cards added"), "{out}");
    let saved = stories(&env);
    assert_eq!(saved["format_version"], 1);
    let story = &saved["stories"][0];
    assert_eq!(story["id"], ID);
    assert_eq!(story["task"], "I was the cashier on duty.");
    assert_eq!(story["actions"].as_array().unwrap().len(), 3);
    assert_eq!(story["created"], NOW);

    let cards = env.cards("my-stories");
    assert_eq!(
        ids(&cards),
        [
            "situation",
            "task",
            "action-1",
            "action-2",
            "action-3",
            "result",
            "lesson"
        ]
        .map(|p| format!("story-{ID}-{p}"))
    );
    let next = card(&cards, &format!("story-{ID}-action-2"));
    assert!(
        next["front"]
            .as_str()
            .unwrap()
            .contains("after «I let her finish without interrupting.»"),
        "{next}"
    );
    assert_eq!(next["back"], "I said I understood why she was upset.");
}

#[test]
fn hints_flag_we_a_missing_proof_missing_actions_and_a_short_answer_without_blocking() {
    let env = Env::new();
    let out = new_story(
        &env,
        "Busy day\nI would stay calm with an angry customer.\nWe had to fix the order.\nI checked the stock.\n\nIt went well.\nBe calm.\n",
    );
    for hint in [
        "what you would do",
        "You say \"we\"",
        "Add a number or a proof",
        "No action about listening",
        "No action about empathy",
        "No action offers a solution",
        "short of the 60-90 s",
    ] {
        assert!(out.contains(hint), "{hint:?} missing in:\n{out}");
    }
    assert!(out.contains("Saved story busy-day"), "{out}");
}

#[test]
fn an_empty_part_is_refused_with_a_hint_and_asked_again() {
    let env = Env::new();
    let out = new_story(&env, &format!("\n   \n{STORY}"));
    assert_eq!(out.matches("the title is empty").count(), 2, "{out}");
    assert_eq!(
        stories(&env)["stories"][0]["title"],
        "Refund without a receipt"
    );
    // No action at all: asked again too.
    let env = Env::new();
    let input = STORY.replacen("I let her finish without interrupting.\n", "\n", 1);
    let out = new_story(&env, &input);
    assert!(out.contains("at least one action"), "{out}");
}

#[test]
fn control_characters_typed_into_a_story_are_removed_and_never_printed() {
    let env = Env::new();
    let input = STORY.replacen("Refund without", "Refund \u{1b}]0;pwned\u{7}without", 1);
    let out = new_story(&env, &input);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(out.contains("removed 2 control characters"), "{out}");
    assert_eq!(
        stories(&env)["stories"][0]["title"],
        "Refund ]0;pwnedwithout a receipt"
    );
}

#[test]
fn input_ending_before_the_lesson_saves_nothing() {
    let env = Env::new();
    let cut = STORY.rsplit_once("Listening").unwrap().0;
    let assert = env
        .cmd()
        .args(["story", "new"])
        .write_stdin(cut)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("input ended before the lesson; nothing was saved"),
        "{stderr}"
    );
    assert!(!env.data().join("stories.json").exists());
}

#[test]
fn list_show_and_list_json_describe_the_story() {
    let env = Env::new();
    new_story(&env, STORY);
    let list = env.ok_at(NOW, &["story", "list"], "");
    assert!(
        list.contains(ID) && list.contains("Refund without a receipt"),
        "{list}"
    );
    let json = env.json_at(NOW, &["story", "list", "--json"]);
    assert_eq!(json[0]["id"], ID);
    let seconds = json[0]["spoken_seconds"].as_u64().unwrap();
    assert!((20..60).contains(&seconds), "{seconds}");
    let show = env.ok_at(NOW, &["story", "show", ID], "");
    assert!(show.contains(&format!("About {seconds} s aloud")), "{show}");
    assert!(show.contains("A customer wanted a refund"), "{show}");
    assert!(show.contains("Action 3   I offered store credit"), "{show}");
    let err = env.cmd().args(["story", "show", "nope"]).assert().failure();
    let stderr = String::from_utf8_lossy(&err.get_output().stderr).into_owned();
    assert!(
        stderr.contains(&format!("your stories are: {ID}")),
        "{stderr}"
    );
}

/// A shell script usable as `$EDITOR` that runs `sed EXPR` on the file.
fn sed_editor(env: &Env, expr: &str) -> String {
    let path = env.write("editor.sh", &format!("#!/bin/sh\nsed -i '{expr}' \"$1\"\n"));
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    path.display().to_string()
}

#[test]
fn edit_in_the_editor_keeps_the_progress_of_every_part_whose_card_stays() {
    let env = Env::new();
    new_story(&env, STORY);
    env.review("my-stories", NOW, 7);
    let reps =
        |cards: &[Value], part: &str| card(cards, &format!("story-{ID}-{part}"))["reps"].clone();
    // The result is re-worded and the last action taken out.
    let editor = sed_editor(
        &env,
        "s/a toaster/a toaster and left a 5-star review/; /^I offered store credit/d",
    );
    let out = env
        .cmd()
        .env("EDITOR", &editor)
        .env_remove("VISUAL")
        .args(["story", "edit", ID])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("Deck my-stories: 0 cards added, 1 re-worded, 1 retired, 5 unchanged."),
        "{out}"
    );
    let cards = env.cards("my-stories");
    assert_eq!(cards.len(), 6);
    for part in [
        "situation",
        "task",
        "action-1",
        "action-2",
        "result",
        "lesson",
    ] {
        assert_eq!(reps(&cards, part), 1, "{part} kept its progress");
    }
    assert!(card(&cards, &format!("story-{ID}-result"))["back"]
        .as_str()
        .unwrap()
        .contains("5-star review"));
    assert_eq!(stories(&env)["stories"][0]["created"], NOW);
}

#[test]
fn edit_without_an_editor_asks_again_and_an_empty_line_keeps_the_old_part() {
    let env = Env::new();
    new_story(&env, STORY);
    // Title, situation and task kept; actions kept; a new result; lesson kept.
    let out = env
        .cmd()
        .env_remove("EDITOR")
        .env_remove("VISUAL")
        .args(["story", "edit", ID])
        .write_stdin("\n\n\n\nShe came back twice that month.\n\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("was: I was the cashier on duty."), "{out}");
    assert!(out.contains("1 re-worded"), "{out}");
    let story = &stories(&env)["stories"][0];
    assert_eq!(story["result"], "She came back twice that month.");
    assert_eq!(story["task"], "I was the cashier on duty.");
    assert_eq!(story["actions"].as_array().unwrap().len(), 3);
}

#[test]
fn an_editor_that_leaves_no_action_saves_nothing_and_keeps_the_text() {
    let env = Env::new();
    new_story(&env, STORY);
    let before = std::fs::read(env.data().join("stories.json")).unwrap();
    let editor = sed_editor(&env, "/^I /d");
    let assert = env
        .cmd()
        .env("EDITOR", &editor)
        .env_remove("VISUAL")
        .args(["story", "edit", ID])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("was not saved") && stderr.contains("Your text is kept in"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(env.data().join("stories.json")).unwrap(),
        before
    );
}

#[test]
fn cards_added_by_hand_to_my_stories_are_kept_when_the_stories_change() {
    let env = Env::new();
    env.ok_at(
        NOW,
        &[
            "add",
            "--deck",
            "my-stories",
            "--front",
            "Story of my best sale?",
            "--back",
            "The blue car.",
        ],
        "",
    );
    new_story(&env, STORY);
    env.ok_at(NOW, &["story", "remove", ID, "--yes"], "");
    let cards = env.cards("my-stories");
    assert_eq!(cards.len(), 1, "{cards:?}");
    assert_eq!(cards[0]["front"], "Story of my best sale?");
}

#[test]
fn remove_needs_yes_when_piped_retires_the_cards_and_keeps_the_history() {
    let env = Env::new();
    new_story(&env, STORY);
    env.review("my-stories", NOW, 2);
    let assert = env.cmd().args(["story", "remove", ID]).assert().failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("pass --yes"), "{stderr}");
    let out = env.ok_at(NOW, &["story", "remove", ID, "--yes"], "");
    assert!(out.contains("7 retired"), "{out}");
    assert_eq!(stories(&env)["stories"].as_array().unwrap().len(), 0);
    assert_eq!(env.log().len(), 2);
    // Written again, the story's cards come back with their progress.
    new_story(&env, STORY);
    assert_eq!(
        card(&env.cards("my-stories"), &format!("story-{ID}-situation"))["reps"],
        1
    );
}

#[test]
fn a_damaged_or_newer_stories_file_is_refused_and_left_untouched() {
    for (text, expected) in [
        ("{\"format_version\":1,\"stories\":[", "is damaged"),
        (
            "{\"format_version\":9,\"stories\":[]}",
            "newer prepdeck (format version 9",
        ),
    ] {
        let env = Env::new();
        std::fs::create_dir_all(env.data()).unwrap();
        let path = env.data().join("stories.json");
        std::fs::write(&path, text).unwrap();
        for args in [
            &["story", "new"][..],
            &["story", "list"],
            &["rehearse", "--seconds", "70"],
        ] {
            let assert = env.cmd().args(args).write_stdin(STORY).assert().failure();
            let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
            assert!(stderr.contains(expected), "{args:?}: {stderr}");
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }
}
