//! Answers are durable and progress files are never guessed about: a kill keeps every
//! answer that was followed by the next card, a torn last line is set aside, and a
//! damaged or newer file stops prepdeck with the file named and its bytes unchanged.
//!
//! Random-moment kills, damaged snapshots, invalid UTF-8 and the refusal of a second
//! concurrent review are in tests/adversarial.rs.

mod common;

use common::{assert_close, card, Env, Live, NOW};
use predicates::prelude::*;

/// Runs `args` and checks it fails with exit status 1; returns stderr.
fn fails(env: &Env, args: &[&str], input: &str) -> String {
    let output = env
        .cmd()
        .args(args)
        .write_stdin(input)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 stderr");
    assert!(
        stderr.starts_with("prepdeck: error: "),
        "{args:?}: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn read(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

#[test]
fn each_answer_is_in_the_log_before_the_next_card_and_a_sigkill_keeps_exactly_those() {
    let env = Env::new();
    env.install_numbered("k", 6);
    let grades = [5, 4, 5];
    let mut live = Live::start(&env, NOW, &["review", "k"]);
    live.wait_for("[1/");
    for (i, g) in grades.iter().enumerate() {
        live.send(&format!("\n{g}\n"));
        live.wait_for(&format!("[{}/", i + 2));
        // The next card is on screen: the answer before it is already on disk.
        assert_eq!(env.log().len(), i + 1, "after answer {}", i + 1);
    }
    live.kill();

    let log = env.log();
    let logged: Vec<(&str, u64)> = log
        .iter()
        .map(|l| (l["card"].as_str().unwrap(), l["grade"].as_u64().unwrap()))
        .collect();
    assert_eq!(logged, [("k/c1", 5), ("k/c2", 4), ("k/c3", 5)]);
    let cards = env.cards("k");
    for (id, ef) in [("c1", 2.6), ("c2", 2.5), ("c3", 2.6)] {
        assert_eq!(card(&cards, id)["reps"], 1, "{id}");
        assert_close(&card(&cards, id)["ef"], ef, id);
        assert_eq!(card(&cards, id)["due"], "2026-11-23", "{id}");
    }
    for id in ["c4", "c5", "c6"] {
        assert!(card(&cards, id)["due"].is_null(), "{id} was never answered");
    }
    // The lock died with the process: the next session starts where the last one stopped.
    let out = env.ok_at(NOW, &["review", "k"], "q\n");
    assert!(
        out.contains("(0 due, 3 new)") && out.contains("Question 4"),
        "{out}"
    );
}

#[test]
fn a_torn_last_line_is_skipped_with_a_warning_kept_aside_and_the_next_session_works() {
    let tails: [&[u8]; 2] = [
        br#"{"v":1,"kind":"answer","at":"2026-11-22T09:0"#, // a crash mid-write
        b"\0\0\0\0\0\0\0\0",                                // a power loss: zeros
    ];
    for tail in tails {
        let env = Env::new();
        env.install_numbered("t", 4);
        env.ok_at(NOW, &["review", "t", "--limit", "2"], &"\n4\n".repeat(2));
        let log_path = env.log_path();
        let mut bytes = read(&log_path);
        let good_len = bytes.len();
        bytes.extend_from_slice(tail);
        std::fs::write(&log_path, &bytes).unwrap();

        // A reading command warns, counts the two good answers and repairs nothing.
        env.cmd()
            .args(["cards", "t", "--json"])
            .assert()
            .success()
            .stderr(predicate::str::contains(format!(
                "prepdeck: warning: skipped line 3 of {}: it is incomplete",
                log_path.display()
            )));
        let answered = env
            .cards("t")
            .iter()
            .filter(|c| !c["due"].is_null())
            .count();
        assert_eq!(answered, 2);
        assert_eq!(read(&log_path), bytes);

        // The next review, holding the lock, sets the line aside and carries on.
        env.cmd()
            .args(["review", "t"])
            .write_stdin("\n5\nq\n")
            .assert()
            .success()
            .stderr(predicate::str::contains("skipped line 3"))
            .stdout(predicate::str::contains("Question 3"));
        let torn = read(&env.data().join("reviews.jsonl.torn"));
        assert_eq!(torn, [tail, b"\n"].concat());
        let log = read(&log_path);
        assert_eq!(log[..good_len], bytes[..good_len]);
        assert_eq!(env.log().len(), 3);
        assert_eq!(env.log()[2]["card"], "t/c3");

        // Repaired: no more warnings.
        env.cmd()
            .args(["stats", "t"])
            .assert()
            .success()
            .stderr(predicate::str::is_empty());
    }
}

#[test]
fn while_a_review_runs_cards_decks_and_stats_work_and_see_the_answers_saved_so_far() {
    let env = Env::new();
    env.install_numbered("busy", 3);
    let mut live = Live::start(&env, NOW, &["review", "busy"]);
    live.wait_for("[1/");
    live.send("\n5\n\n4\n");
    live.wait_for("[3/");

    let answered = env
        .cards("busy")
        .iter()
        .filter(|c| !c["due"].is_null())
        .count();
    assert_eq!(answered, 2);
    let decks = env.json_at(NOW, &["decks", "--json"]);
    let busy = decks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "busy")
        .expect("busy is listed");
    assert_eq!((&busy["cards"], &busy["new"]), (&3.into(), &1.into()));
    let stats = env.json_at(NOW, &["stats", "busy", "--json"]);
    assert_eq!(stats["total"]["reviewed_today"], 2);
    // Readers never write: the running review still owns the log.
    live.send("\n4\n");
    live.wait_for("Session summary");
    assert!(live.finish().success());
    assert_eq!(env.log().len(), 3);
}

/// A data directory with two answers on `deck`, a snapshot covering them, and the log's
/// path.
fn with_history(env: &Env, deck: &str) -> std::path::PathBuf {
    env.install_numbered(deck, 4);
    env.ok_at(NOW, &["review", deck, "--limit", "2"], &"\n4\n".repeat(2));
    assert!(env.data().join("state.json").is_file());
    env.log_path()
}

#[test]
fn a_log_line_from_a_newer_prepdeck_is_refused_naming_the_file_and_left_untouched() {
    let newer_lines = [
        // A line of the known shape with a higher version...
        r#"{"v":3,"kind":"answer","at":"2026-11-22T10:00:00Z","card":"n/c3","day":"2026-11-22","grade":4,"redrill":false,"after":{"reps":1,"ef":2.5,"interval":1,"lapses":0,"due":"2026-11-23"}}"#,
        // ... and one this version cannot even parse.
        r#"{"v":3,"kind":"hologram","card":"n/c3"}"#,
    ];
    for line in newer_lines {
        let env = Env::new();
        let log_path = with_history(&env, "n");
        let mut bytes = read(&log_path);
        bytes.extend_from_slice(format!("{line}\n").as_bytes());
        std::fs::write(&log_path, &bytes).unwrap();
        let snapshot = read(&env.data().join("state.json"));

        for args in [&["review", "n"][..], &["cards"], &["stats"], &["decks"]] {
            let stderr = fails(&env, args, "\n4\n");
            assert!(
                stderr.contains(&format!(
                    "{} was written by a newer prepdeck (format version 3",
                    log_path.display()
                )),
                "{args:?}: {stderr}"
            );
        }
        assert_eq!(read(&log_path), bytes);
        assert_eq!(read(&env.data().join("state.json")), snapshot);
        assert!(!env.data().join("reviews.jsonl.torn").exists());
    }
}

#[test]
fn a_snapshot_from_a_newer_prepdeck_is_refused_naming_the_file_and_left_untouched() {
    let env = Env::new();
    let log_path = with_history(&env, "s");
    let state = env.data().join("state.json");
    // Format 4 is this build's (issue #20): 5 is from a newer prepdeck.
    let text = r#"{"format_version": 5, "progress": {"hologram": true}}"#;
    std::fs::write(&state, text).unwrap();
    let log = read(&log_path);

    for args in [&["review", "s"][..], &["cards"], &["stats"], &["decks"]] {
        let stderr = fails(&env, args, "\n4\n");
        assert!(
            stderr.contains(&format!(
                "{} was written by a newer prepdeck (format version 5",
                state.display()
            )),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(std::fs::read_to_string(&state).unwrap(), text);
    assert_eq!(read(&log_path), log);
    let names: Vec<String> = Env::files_under(&env.data())
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with("state.json.")),
        "a newer snapshot must not be set aside as damaged: {names:?}"
    );
}

#[test]
fn a_damaged_line_in_the_middle_of_the_log_is_an_error_naming_file_and_line() {
    let env = Env::new();
    let log_path = with_history(&env, "m");
    // Line 3 is damaged and line 4 is good, so line 3 is not a torn tail. Lines 1-2
    // are covered by the snapshot; the count must carry on past it.
    let first = std::fs::read_to_string(&log_path)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_owned();
    let mut bytes = read(&log_path);
    bytes.extend_from_slice(format!("{{\"v\":1,\"kind\":\"ans!!\n{first}\n").as_bytes());
    std::fs::write(&log_path, &bytes).unwrap();
    let snapshot = read(&env.data().join("state.json"));

    let expected = format!("{} is damaged at line 3", log_path.display());
    for args in [&["review", "m"][..], &["cards"], &["stats"]] {
        let stderr = fails(&env, args, "\n4\n");
        assert!(stderr.contains(&expected), "{args:?}: {stderr}");
        assert!(stderr.contains("left untouched"), "{stderr}");
    }
    assert_eq!(read(&log_path), bytes);
    assert_eq!(read(&env.data().join("state.json")), snapshot);
    assert!(!env.data().join("reviews.jsonl.torn").exists());

    // Without the snapshot the whole log is read, with the same verdict.
    std::fs::remove_file(env.data().join("state.json")).unwrap();
    let stderr = fails(&env, &["review", "m"], "\n4\n");
    assert!(stderr.contains(&expected), "{stderr}");
    assert_eq!(read(&log_path), bytes);
    assert!(!env.data().join("state.json").exists());
}

#[test]
fn answers_after_the_snapshot_live_in_the_log_through_a_sigkill_and_come_back_on_each_start() {
    let env = Env::new();
    env.install_numbered("k", 8);
    // The first session writes the snapshot (there was none).
    env.ok_at(NOW, &["review", "k", "--limit", "2"], &"\n4\n".repeat(2));
    let state = env.data().join("state.json");
    let snapshot = read(&state);
    // The next session's two answers stay under the bound: the snapshot is not rewritten,
    // and the log after it is replayed on every start.
    env.ok_at(NOW, &["review", "k", "--limit", "2"], &"\n5\n".repeat(2));
    assert_eq!(
        read(&state),
        snapshot,
        "a short tail leaves the snapshot alone"
    );
    // A session that answers nothing leaves it too.
    env.ok_at(NOW, &["review", "k"], "q\n");
    assert_eq!(read(&state), snapshot);
    // Killed after two acknowledged answers: those are in the log, with the four before.
    let mut live = Live::start(&env, NOW, &["review", "k"]);
    live.wait_for("[1/");
    for i in 0..2 {
        live.send("\n3\n");
        live.wait_for(&format!("[{}/", i + 2));
    }
    live.kill();
    assert_eq!(read(&state), snapshot);
    assert_eq!(env.log().len(), 6);
    let cards = env.cards("k");
    for (id, grade_ef) in [
        ("c1", 2.5),
        ("c2", 2.5),
        ("c3", 2.6),
        ("c4", 2.6),
        ("c5", 2.36),
        ("c6", 2.36),
    ] {
        assert_eq!(card(&cards, id)["reps"], 1, "{id}");
        assert_close(&card(&cards, id)["ef"], grade_ef, id);
    }
    assert!(card(&cards, "c7")["due"].is_null());
    // What the snapshot plus the log after it give is what the log alone gives.
    let stats = env.json_at(NOW, &["stats", "--json"]);
    let with_snapshot = env.cards("k");
    std::fs::remove_file(&state).unwrap();
    assert_eq!(env.json_at(NOW, &["stats", "--json"]), stats);
    assert_eq!(env.cards("k"), with_snapshot);
}
