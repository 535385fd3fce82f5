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
        .stdout(predicate::str::contains("its review history stays"));
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

/// The entry for deck `id` in `decks --json`.
fn listed_deck<'a>(listed: &'a Value, id: &str) -> &'a Value {
    listed
        .as_array()
        .and_then(|decks| decks.iter().find(|d| d["id"] == id))
        .unwrap_or_else(|| panic!("{id} is not listed: {listed}"))
}

#[test]
fn decks_lists_hidden_decks_with_a_marker() {
    let env = Env::new();
    env.cmd()
        .args(["decks", "hide", "why-they-ask"])
        .assert()
        .success();
    let listed = json(env.cmd().args(["decks", "--json"]).assert().success());
    assert_eq!(listed_deck(&listed, "why-they-ask")["hidden"], true);
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
    assert_eq!(listed_deck(&listed, "why-they-ask")["hidden"], false);
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

/// A pseudo-terminal: the test holds the controller side and types into it; the
/// other side becomes a child's standard input, which then is a terminal.
#[cfg(unix)]
struct Pty {
    controller: std::fs::File,
    terminal: std::fs::File,
}

#[cfg(unix)]
impl Pty {
    /// A new pseudo-terminal, or why there is none (a sandbox without `/dev/ptmx`).
    fn open() -> Result<Pty, String> {
        use std::os::fd::FromRawFd;
        use std::os::unix::fs::OpenOptionsExt;
        // SAFETY: posix_openpt, grantpt, unlockpt and ptsname are called on the
        // descriptor just opened and checked; ptsname's static buffer is copied at
        // once, and no other code in this test binary calls it.
        unsafe {
            let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
            if fd < 0 {
                return Err(format!("posix_openpt: {}", std::io::Error::last_os_error()));
            }
            let controller = std::fs::File::from_raw_fd(fd);
            if libc::grantpt(fd) != 0 || libc::unlockpt(fd) != 0 {
                return Err(format!(
                    "grantpt/unlockpt: {}",
                    std::io::Error::last_os_error()
                ));
            }
            let name = libc::ptsname(fd);
            if name.is_null() {
                return Err(format!("ptsname: {}", std::io::Error::last_os_error()));
            }
            let name = std::ffi::CStr::from_ptr(name)
                .to_string_lossy()
                .into_owned();
            let terminal = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .custom_flags(libc::O_NOCTTY)
                .open(&name)
                .map_err(|e| format!("open {name}: {e}"))?;
            Ok(Pty {
                controller,
                terminal,
            })
        }
    }
}

/// Runs `prepdeck remove mine` with a terminal as standard input, waits for the
/// question on standard error, types `answer` and returns (stdout, stderr).
#[cfg(unix)]
fn remove_on_a_terminal(env: &Env, pty: Pty, answer: &str) -> (String, String) {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let Pty {
        mut controller,
        terminal,
    } = pty;
    let mut child = env
        .std_cmd_at(NOW)
        .args(["remove", "mine"])
        .stdin(terminal)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start prepdeck");
    // Killed on any failure below, so a prepdeck that never asks cannot hang the tests.
    struct Reap(std::process::Child);
    impl Drop for Reap {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut stderr = child.stderr.take().expect("stderr");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut child = Reap(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 256];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut asked = String::new();
    while !asked.ends_with("[y/N] ") {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(chunk) => asked.push_str(&String::from_utf8_lossy(&chunk)),
            Err(_) => panic!("prepdeck did not ask; standard error so far: {asked:?}"),
        }
    }
    controller
        .write_all(answer.as_bytes())
        .expect("type the answer");
    let status = loop {
        if let Some(status) = child.0.try_wait().expect("poll prepdeck") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "prepdeck did not exit after the answer"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(status.success(), "{status}");
    let mut out = String::new();
    stdout.read_to_string(&mut out).expect("read stdout");
    while let Ok(chunk) = rx.recv_timeout(Duration::from_secs(5)) {
        asked.push_str(&String::from_utf8_lossy(&chunk));
    }
    (out, asked)
}

#[cfg(unix)]
#[test]
fn remove_asks_on_a_terminal_and_removes_only_after_yes() {
    let env = Env::new();
    install(&env, "mine");
    let pty = match Pty::open() {
        Ok(pty) => pty,
        Err(why) => {
            eprintln!("skipped: no pseudo-terminal to run on ({why})");
            return;
        }
    };
    let (out, asked) = remove_on_a_terminal(&env, pty, "\n");
    assert_eq!(out, "Nothing was removed.\n");
    assert!(
        asked.starts_with("Remove deck mine (2 cards, ")
            && asked.ends_with("? `prepdeck decks restore mine` can bring it back. [y/N] "),
        "{asked:?}"
    );
    assert!(env.deck_file("mine").is_file());

    let pty = Pty::open().expect("a second pseudo-terminal");
    let (out, _) = remove_on_a_terminal(&env, pty, "y\n");
    assert!(out.starts_with("Removed deck mine"), "{out}");
    assert!(!env.deck_file("mine").exists());
}
