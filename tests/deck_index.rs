//! `deck-index.json`: the cache of user deck outlines. It may make starts faster; it must
//! never make a command see a deck other than the one on disk.

mod common;

use common::*;
use serde_json::Value;
use std::time::Duration;

/// Longer than the index's settle time (2 s): a deck file changed less than that long
/// ago is read in full and not indexed.
fn settle() {
    std::thread::sleep(Duration::from_millis(2_100));
}

fn index_path(env: &Env) -> std::path::PathBuf {
    env.data().join("deck-index.json")
}

fn index(env: &Env) -> Value {
    let text = std::fs::read_to_string(index_path(env)).expect("deck-index.json exists");
    serde_json::from_str(&text).expect("deck-index.json is JSON")
}

/// The card ids the index holds for `file`, if it holds it.
fn indexed_cards(env: &Env, file: &str) -> Option<Vec<String>> {
    let index = index(env);
    let entry = index["decks"]
        .as_array()?
        .iter()
        .find(|d| d["file"] == file)?
        .clone();
    Some(
        entry["outline"]["cards"]
            .as_str()?
            .split(' ')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

/// The card offsets of a deck's `ranges` in the index: its steps added up.
fn starts(ranges: &Value) -> Vec<u64> {
    let steps = ranges["steps"].as_str().expect("steps");
    steps
        .split(' ')
        .scan(0, |at, step| {
            *at += step.parse::<u64>().expect("a step");
            Some(*at)
        })
        .collect()
}

#[test]
fn a_settled_deck_is_indexed_and_commands_give_what_they_gave_without_the_index() {
    let env = Env::new();
    let written = std::time::Instant::now();
    env.install("mine", &[("a", "Q a", "A a"), ("b", "Q b", "A b")]);
    let before = env.cards("mine");
    // Just written: too recent to be told apart from a change in the same tick. (On a
    // machine so loaded that two commands took the whole settle time, there is nothing
    // to check.)
    env.ok_at(NOW, &["decks"], "");
    if written.elapsed() < Duration::from_millis(1_500) {
        assert!(
            !index_path(&env).exists() || indexed_cards(&env, "mine.json").is_none(),
            "a deck file written just now was indexed"
        );
    }

    settle();
    env.ok_at(NOW, &["decks"], "");
    assert_eq!(
        indexed_cards(&env, "mine.json"),
        Some(vec!["a".to_owned(), "b".to_owned()])
    );
    assert_eq!(index(&env)["format_version"], 3);
    let ranges = &index(&env)["decks"][0]["ranges"];
    assert_eq!(starts(ranges).len(), 2, "{ranges}");

    // From the index: the same cards, and the text read from the file when shown.
    assert_eq!(env.cards("mine"), before);
    let out = env.ok_at(NOW, &["review", "mine"], "\n4\n\n4\n");
    assert!(
        out.contains("Q a") && out.contains("A a") && out.contains("Q b"),
        "{out}"
    );
    assert_eq!(env.log().len(), 2);
}

#[test]
fn a_deck_changed_after_it_was_indexed_is_read_again() {
    let env = Env::new();
    let path = env.install("mine", &[("a", "Q a", "A a"), ("b", "Q b", "A b")]);
    settle();
    env.ok_at(NOW, &["decks"], "");
    assert!(indexed_cards(&env, "mine.json").is_some());

    // Rewritten in place, same size, one card id changed: only the times tell.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"b\"", "\"c\"")).unwrap();
    let ids = ids(&env.cards("mine"));
    assert_eq!(ids, ["a", "c"]);
    let out = env.ok_at(NOW, &["review", "mine"], "\n4\n\n4\n");
    assert!(out.contains("Q b"), "{out}");
    assert_eq!(env.log()[1]["card"], "mine/c");

    // Once settled, the new version is indexed in place of the old.
    settle();
    env.ok_at(NOW, &["stats"], "");
    assert_eq!(
        indexed_cards(&env, "mine.json"),
        Some(vec!["a".to_owned(), "c".to_owned()])
    );
}

#[test]
fn a_removed_deck_leaves_the_index() {
    let env = Env::new();
    env.install("one", &[("a", "Q", "A")]);
    env.install("two", &[("a", "Q", "A")]);
    settle();
    env.ok_at(NOW, &["decks"], "");
    assert!(indexed_cards(&env, "two.json").is_some());
    env.ok_at(NOW, &["remove", "two", "--yes"], "");
    let listed = env.ok_at(NOW, &["decks"], "");
    assert!(!listed.contains("two"), "{listed}");
    assert!(indexed_cards(&env, "two.json").is_none());
    assert!(indexed_cards(&env, "one.json").is_some());
}

#[test]
fn a_damaged_index_is_rebuilt_and_a_newer_one_is_left_alone() {
    let env = Env::new();
    env.install("mine", &[("a", "Q a", "A a")]);
    settle();
    for damage in ["", "{\"format_version\": 1, \"decks\": [", "\u{0}garbage"] {
        std::fs::write(index_path(&env), damage).unwrap();
        assert_eq!(ids(&env.cards("mine")), ["a"]);
        assert_eq!(indexed_cards(&env, "mine.json"), Some(vec!["a".to_owned()]));
    }

    let newer = r#"{"format_version": 4, "decks": "something else"}"#;
    std::fs::write(index_path(&env), newer).unwrap();
    assert_eq!(ids(&env.cards("mine")), ["a"]);
    env.ok_at(NOW, &["review", "mine"], "\n4\n");
    assert_eq!(
        std::fs::read_to_string(index_path(&env)).unwrap(),
        newer,
        "an index from a newer prepdeck was overwritten"
    );
}

#[test]
fn an_index_that_disagrees_with_its_deck_file_stops_the_command_and_is_dropped() {
    let env = Env::new();
    env.install("mine", &[("a", "Q a", "A a"), ("b", "Q b", "A b")]);
    settle();
    env.ok_at(NOW, &["decks"], "");
    // An outline the file does not have, under the file's current stamp: what a
    // damaged index or a deck replaced while prepdeck ran looks like. The first card
    // shown is the one that differs: it is read alone, from its range.
    let text = std::fs::read_to_string(index_path(&env)).unwrap();
    std::fs::write(index_path(&env), text.replace("\"a b\"", "\"z b\"")).unwrap();
    assert_eq!(indexed_cards(&env, "mine.json").unwrap(), ["z", "b"]);

    let failed = env
        .cmd()
        .args(["review", "mine"])
        .write_stdin("\n4\n")
        .assert()
        .failure()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("mine.json") && stderr.contains("run the command again"),
        "{stderr}"
    );
    assert!(
        env.log().is_empty(),
        "an answer was taken for a card not in the deck"
    );
    assert!(!index_path(&env).exists(), "the wrong index was kept");

    let out = env.ok_at(NOW, &["review", "mine"], "\n4\n\n4\n");
    assert!(out.contains("Q a") && out.contains("Q b"), "{out}");
    assert_eq!(env.log().len(), 2);
}

#[test]
fn a_later_deck_that_disagrees_stops_the_review_there_and_keeps_earlier_answers() {
    let env = Env::new();
    env.install("aaa", &[("a", "Q aaa a", "A"), ("b", "Q aaa b", "A")]);
    env.install("bbb", &[("a", "Q bbb a", "A"), ("b", "Q bbb b", "A")]);
    settle();
    env.ok_at(NOW, &["decks"], "");
    let text = std::fs::read_to_string(index_path(&env)).unwrap();
    // Only the second deck's outline is wrong (its card ids follow its title), from
    // its first card on.
    let (head, tail) = text.split_at(text.find("bbb.json").unwrap());
    std::fs::write(
        index_path(&env),
        format!("{head}{}", tail.replace("\"a b\"", "\"z b\"")),
    )
    .unwrap();
    assert_eq!(indexed_cards(&env, "aaa.json").unwrap(), ["a", "b"]);
    assert_eq!(indexed_cards(&env, "bbb.json").unwrap(), ["z", "b"]);

    // New cards come deck by deck: both cards of aaa, then bbb's.
    let failed = env
        .cmd()
        .args(["review", "aaa", "bbb"])
        .write_stdin("\n4\n".repeat(4))
        .assert()
        .failure()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&failed.stdout);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stdout.contains("Q aaa b") && !stdout.contains("Q bbb"),
        "{stdout}"
    );
    assert!(
        stderr.contains("bbb.json") && stderr.contains("run the command again"),
        "{stderr}"
    );
    let answered: Vec<String> = env.log().iter().map(|e| e["card"].to_string()).collect();
    assert_eq!(answered, ["\"aaa/a\"", "\"aaa/b\""]);
    assert!(!index_path(&env).exists());
}

#[test]
fn older_indexes_are_rebuilt_as_version_3_with_the_same_outlines_and_ranges() {
    let env = Env::new();
    env.install("mine", &[("a", "Q a", "A a"), ("b", "Q b", "A b")]);
    settle();
    env.ok_at(NOW, &["decks"], "");
    let v3 = index(&env);
    assert_eq!(v3["format_version"], 3);
    assert_eq!(v3["decks"][0]["outline"]["cards"], "a b");
    // Version 2 as earlier builds wrote it: card ids as an array of strings.
    let mut v2 = v3.clone();
    v2["format_version"] = 2.into();
    v2["decks"][0]["outline"]["cards"] = serde_json::json!(["a", "b"]);
    // Version 1: that, without ranges.
    let mut v1 = v2.clone();
    v1["format_version"] = 1.into();
    v1["decks"][0].as_object_mut().unwrap().remove("ranges");
    for older in [v2, v1] {
        std::fs::write(index_path(&env), older.to_string()).unwrap();
        assert_eq!(ids(&env.cards("mine")), ["a", "b"]);
        assert_eq!(index(&env), v3);
    }
}

#[test]
fn a_range_that_holds_another_card_stops_the_review_and_drops_the_index() {
    let env = Env::new();
    env.install(
        "mine",
        &[
            ("a", "Q a", "A a"),
            ("b", "Q b", "A b"),
            ("c", "Q c", "A c"),
        ],
    );
    settle();
    env.ok_at(NOW, &["decks"], "");
    // Each range moved one card on, still in order and inside the file: the first
    // card's range holds card b.
    let mut text = index(&env);
    let at = starts(&text["decks"][0]["ranges"]);
    // As steps: the first offset, then each offset minus the one before.
    let moved = format!("{} {} 1", at[1], at[2] - at[1]);
    text["decks"][0]["ranges"]["steps"] = moved.into();
    std::fs::write(index_path(&env), text.to_string()).unwrap();

    let failed = env
        .cmd()
        .args(["review", "mine"])
        .write_stdin("\n4\n")
        .assert()
        .failure()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&failed.stdout);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(!stdout.contains("Q b"), "{stdout}");
    assert!(
        stderr.contains("mine.json")
            && stderr.contains("card 1 is \"b\", not \"a\"")
            && stderr.contains("run the command again"),
        "{stderr}"
    );
    assert!(env.log().is_empty());
    assert!(!index_path(&env).exists(), "the wrong index was kept");
    let out = env.ok_at(NOW, &["review", "mine", "--limit", "1"], "\n4\n");
    assert!(out.contains("Q a") && out.contains("A a"), "{out}");
}

/// The data directory's `stderr` file, where [`Live::start_with_stderr`] sends it.
fn stderr_file(env: &Env) -> (std::process::Stdio, std::path::PathBuf) {
    let path = env.path("stderr.txt");
    let file = std::fs::File::create(&path).unwrap();
    (file.into(), path)
}

#[test]
fn a_deck_file_cut_short_during_a_review_stops_it_at_its_next_card() {
    let env = Env::new();
    let path = env.install(
        "mine",
        &[
            ("a", "Q a", "A a"),
            ("b", "Q b", "A b"),
            ("c", "Q c", "A c"),
        ],
    );
    settle();
    env.ok_at(NOW, &["decks"], "");
    let (stderr, stderr_path) = stderr_file(&env);
    let mut live = Live::start_with_stderr(&env, NOW, &["review", "mine"], stderr);
    live.wait_for("Q a");
    // After the background check of the deck, which found it valid: the cut is seen
    // by a card's read alone. Card b was read ahead while a was on screen, as it was
    // then: it is shown, and the cut is seen at card c.
    std::thread::sleep(Duration::from_millis(500));
    let len = std::fs::metadata(&path).unwrap().len();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(len / 2).unwrap();
    live.send("\n4\n");
    live.wait_for("Q b");
    live.send("\n4\n");
    assert!(!live.finish().success());
    let stderr = std::fs::read_to_string(stderr_path).unwrap();
    assert!(
        stderr.contains("mine.json")
            && stderr.contains("changed while prepdeck was running")
            && stderr.contains("run the command again"),
        "{stderr}"
    );
    let answered: Vec<String> = env.log().iter().map(|e| e["card"].to_string()).collect();
    assert_eq!(answered, ["\"mine/a\"", "\"mine/b\""]);
    assert!(!index_path(&env).exists());
}

#[cfg(unix)]
#[test]
fn a_deck_found_invalid_in_the_background_has_its_next_card_refused_with_its_error() {
    use std::os::unix::fs::MetadataExt;
    let env = Env::new();
    env.install("aaa", &[("a", "Q aaa a", "A"), ("b", "Q aaa b", "A")]);
    let bbb = env.install(
        "bbb",
        &[
            ("a", "Q bbb a", "A"),
            ("b", "Q bbb b", "A"),
            ("c", "Q bbb c", "A"),
        ],
    );
    settle();
    env.ok_at(NOW, &["decks"], "");
    // Card c of bbb takes card a's id, at the same length: each card is still valid
    // alone, the deck is not. The index is given the file's new stamp, as if the edit
    // had been one the stamp cannot see.
    let text = std::fs::read_to_string(&bbb).unwrap();
    std::fs::write(&bbb, text.replace("\"id\": \"c\"", "\"id\": \"a\"")).unwrap();
    let meta = std::fs::metadata(&bbb).unwrap();
    let mut index = index(&env);
    let entry = index["decks"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|d| d["file"] == "bbb.json")
        .unwrap();
    entry["stamp"] = serde_json::json!({
        "len": meta.len(),
        "modified_ns": meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
        "changed_ns": meta.ctime() * 1_000_000_000 + meta.ctime_nsec(),
        "dev": meta.dev(),
        "ino": meta.ino(),
    });
    std::fs::write(index_path(&env), index.to_string()).unwrap();

    let (stderr, stderr_path) = stderr_file(&env);
    let mut live = Live::start_with_stderr(&env, NOW, &["review", "aaa", "bbb"], stderr);
    live.wait_for("Q aaa a");
    // Checking two small decks in the background takes well under a millisecond.
    std::thread::sleep(Duration::from_millis(500));
    live.send("\n4\n\n4\n\n4\n");
    let (status, seen) = live.finish_with_output();
    assert!(!status.success());
    assert!(
        seen.contains("Q aaa b") && !seen.contains("Q bbb"),
        "{seen}"
    );
    let stderr = std::fs::read_to_string(stderr_path).unwrap();
    assert!(
        stderr.contains("bbb.json") && stderr.contains("already used by card 1"),
        "{stderr}"
    );
    let answered: Vec<String> = env.log().iter().map(|e| e["card"].to_string()).collect();
    assert_eq!(answered, ["\"aaa/a\"", "\"aaa/b\""]);
    // The index was wrong about bbb: the next start reads it and leaves it out.
    assert!(!index_path(&env).exists());
    let warned = env
        .cmd()
        .args(["decks"])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let warned = String::from_utf8_lossy(&warned);
    assert!(warned.contains("deck bbb is left out"), "{warned}");
}
