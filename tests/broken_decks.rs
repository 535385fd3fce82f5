//! A user deck file that cannot be used does not take the other decks down with it:
//! commands that do not need it go on with a one-line warning, `decks` lists it as
//! broken, and naming it is a one-line error that says how to see every problem.

mod common;

use common::{table_row, Env, NOW};

/// A deck with three errors: an empty front, an empty back, a duplicate id.
const THREE_PROBLEMS: &str = r#"{"format_version": 1, "id": "bad", "title": "Bad", "description": "",
  "cards": [
    {"id": "a", "front": "", "back": "A"},
    {"id": "b", "front": "Q", "back": ""},
    {"id": "a", "front": "Q2", "back": "A2"}
  ]}"#;

fn env_with_broken_deck() -> (Env, std::path::PathBuf) {
    let env = Env::new();
    env.install_numbered("good", 2);
    let path = env.deck_file("bad");
    std::fs::write(&path, THREE_PROBLEMS).unwrap();
    (env, path)
}

/// Runs `args` with `input`; returns (exit code, stdout, stderr).
fn run(env: &Env, args: &[&str], input: &str) -> (Option<i32>, String, String) {
    let output = env
        .cmd_at(NOW)
        .args(args)
        .write_stdin(input)
        .output()
        .expect("run prepdeck");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        stderr,
    )
}

#[test]
fn commands_that_do_not_need_the_broken_deck_go_on_with_a_one_line_warning() {
    let (env, path) = env_with_broken_deck();
    let before = std::fs::read(&path).unwrap();
    let warning = "prepdeck: warning: deck bad is left out: deck ";
    for (args, input) in [
        (&["review", "good", "--limit", "1"][..], "\n5\n"),
        (&["review", "why-they-ask", "--limit", "1"], "\n5\n"),
        (&["review", "--limit", "1"], "\n4\n"),
        (&["stats"], ""),
        (&["stats", "good"], ""),
        (&["cards"], ""),
        (&["cards", "good", "--json"], ""),
        (&["decks"], ""),
        (&["plan"], ""),
    ] {
        let (code, out, stderr) = run(&env, args, input);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with(warning)
                && stderr.contains("bad.json is not valid: 3 errors, the first at card 1 (\"a\")")
                && stderr.contains(&format!(
                    "`prepdeck check {}` lists them all",
                    path.display()
                )),
            "{args:?}: {stderr}"
        );
        assert!(!out.contains("bad/"), "{args:?}: {out}");
    }
    assert_eq!(env.log().len(), 3, "the three reviews went on");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the broken file is left alone"
    );
}

#[test]
fn decks_lists_a_broken_deck_as_broken() {
    let (env, _) = env_with_broken_deck();
    let (code, table, _) = run(&env, &["decks"], "");
    assert_eq!(code, Some(0));
    let row = table_row(&table, "bad");
    assert_eq!(row[2], "user (broken)", "{table}");
    assert_eq!(row[3..], ["–", "–", "–"], "{table}");

    let (_, json, _) = run(&env, &["decks", "--json"], "");
    let decks: serde_json::Value = serde_json::from_str(&json).unwrap();
    let bad = decks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "bad")
        .expect("the broken deck is listed");
    assert!(bad["cards"].is_null() && bad["new"].is_null() && bad["due_today"].is_null());
    assert_eq!(bad["origin"], "user");
    assert!(bad["error"].as_str().unwrap().contains("3 errors"), "{bad}");
    let good = decks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "good")
        .unwrap();
    assert!(good["error"].is_null() && good["cards"] == 2, "{good}");
}

#[test]
fn naming_a_broken_deck_is_a_one_line_error_pointing_at_check() {
    let (env, path) = env_with_broken_deck();
    for args in [
        &["review", "bad"][..],
        &["cards", "bad"],
        &["stats", "bad"],
        &["export", "bad"],
        &["decks", "hide", "bad"],
        &["plan", "--interview", "2099-01-01", "--deck", "bad"],
    ] {
        let (code, out, stderr) = run(&env, args, "\n4\n");
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("prepdeck: error: deck bad cannot be used: deck ")
                && stderr.contains("3 errors, the first at card 1")
                && stderr.contains("`prepdeck check "),
            "{args:?}: {stderr}"
        );
    }
    // Writing to it goes through the same one-line message.
    let (code, _, stderr) = run(
        &env,
        &["add", "--deck", "bad", "--front", "F", "--back", "B"],
        "",
    );
    assert_eq!(code, Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("is not valid: 3 errors"), "{stderr}");
    // `check` is where every problem is listed, one per line.
    let (code, out, _) = run(&env, &["check", path.to_str().unwrap()], "");
    assert_eq!(code, Some(1));
    assert_eq!(out.matches(": error: ").count(), 3, "{out}");
}

#[test]
fn an_invalid_deck_given_to_import_is_a_one_line_error() {
    let env = Env::new();
    let file = env.write("bad.json", THREE_PROBLEMS);
    let (code, _, stderr) = run(&env, &["import", file.to_str().unwrap()], "");
    assert_eq!(code, Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("bad.json is not valid: 3 errors, the first at card 1")
            && stderr.contains("prepdeck check"),
        "{stderr}"
    );
}
