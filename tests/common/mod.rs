//! Shared helpers: the real binary on a temporary data directory with a fixed clock.

#![allow(dead_code)]

#[cfg(unix)]
pub mod pty;

use assert_cmd::Command;
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The clock every test starts at.
pub const NOW: &str = "2026-11-22T09:00:00Z";

/// A temporary home for one test: a data directory and room for deck files.
pub struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    /// The data directory given to prepdeck.
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A path next to the data directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `text` to a file next to the data directory and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write a fixture");
        path
    }

    /// `prepdeck --data-dir DATA` at [`NOW`], UTC, no colour.
    pub fn cmd(&self) -> Command {
        self.cmd_at(NOW)
    }

    /// `prepdeck --data-dir DATA` at `now`.
    pub fn cmd_at(&self, now: &str) -> Command {
        Command::from_std(self.std_cmd_at(now))
    }

    /// [`Env::cmd_at`] as a plain `std::process::Command`, for a process that must be
    /// watched while it runs (see [`Live`]). `HOME` points into the temporary directory
    /// so nothing can reach the real one.
    pub fn std_cmd_at(&self, now: &str) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("prepdeck"));
        cmd.arg("--data-dir")
            .arg(self.data())
            .env("PREPDECK_NOW", now)
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .env("HOME", self.dir.path())
            .env_remove("XDG_DATA_HOME")
            .env_remove("PREPDECK_DATA_DIR");
        cmd
    }

    /// Runs `args` at `now` with `input` on standard input; checks success and returns stdout.
    pub fn ok_at(&self, now: &str, args: &[&str], input: &str) -> String {
        let output = self
            .cmd_at(now)
            .args(args)
            .write_stdin(input)
            .assert()
            .success()
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }

    /// `args` at `now` (which must succeed and print JSON), parsed.
    pub fn json_at(&self, now: &str, args: &[&str]) -> Value {
        let out = self.ok_at(now, args, "");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"))
    }

    /// `cards DECK --json` at `now`.
    pub fn cards_at(&self, deck: &str, now: &str) -> Vec<Value> {
        match self.json_at(now, &["cards", deck, "--json"]) {
            Value::Array(cards) => cards,
            other => panic!("cards --json is not an array: {other}"),
        }
    }

    /// `cards --json` for `deck`, as JSON values.
    pub fn cards(&self, deck: &str) -> Vec<Value> {
        let out = self
            .cmd()
            .args(["cards", deck, "--json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice::<Vec<Value>>(&out).expect("cards --json is a JSON array")
    }

    /// Reviews `deck` at `now`, grading `count` cards 4.
    pub fn review(&self, deck: &str, now: &str, count: usize) {
        self.cmd_at(now)
            .args(["review", deck])
            .write_stdin("\n4\n".repeat(count))
            .assert()
            .success();
    }

    /// Writes a user deck `id` with `cards` (id, front, back) straight into the data
    /// directory, as `import` would leave it.
    pub fn install(&self, id: &str, cards: &[(&str, &str, &str)]) -> PathBuf {
        let path = self.deck_file(id);
        std::fs::create_dir_all(path.parent().expect("decks/")).expect("create decks/");
        std::fs::write(&path, deck_json(id, "1", cards)).expect("write a deck");
        path
    }

    /// Installs deck `id` with `n` cards `c1..cN` ("Question i" / "Answer i").
    pub fn install_numbered(&self, id: &str, n: usize) -> PathBuf {
        let cards: Vec<(String, String, String)> = (1..=n)
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
            .map(|(id, front, back)| (id.as_str(), front.as_str(), back.as_str()))
            .collect();
        self.install(id, &cards)
    }

    /// The review log.
    pub fn log_path(&self) -> PathBuf {
        self.data().join("reviews.jsonl")
    }

    /// Every non-blank line of the review log, parsed.
    pub fn log(&self) -> Vec<Value> {
        std::fs::read_to_string(self.log_path())
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("log line {l}: {e}")))
            .collect()
    }

    /// The installed deck file for `id`.
    pub fn deck_file(&self, id: &str) -> PathBuf {
        self.data().join("decks").join(format!("{id}.json"))
    }

    /// Every file under `dir`, recursively, sorted.
    pub fn files_under(dir: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    found.extend(Env::files_under(&path));
                } else {
                    found.push(path);
                }
            }
        }
        found.sort();
        found
    }
}

/// A JSON deck with `cards` given as (id, front, back).
pub fn deck_json(id: &str, version: &str, cards: &[(&str, &str, &str)]) -> String {
    let cards: Vec<Value> = cards
        .iter()
        .map(|(id, front, back)| {
            serde_json::json!({"id": id, "front": front, "back": back, "tags": ["t"]})
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "format_version": 1,
        "id": id,
        "title": format!("Deck {id}"),
        "description": "A test deck.",
        "version": version,
        "cards": cards,
    }))
    .expect("JSON")
}

/// The card with `id` in `cards --json` output.
pub fn card<'a>(cards: &'a [Value], id: &str) -> &'a Value {
    cards
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("card {id} is not listed: {cards:?}"))
}

/// The ids in `cards --json` output, in order.
pub fn ids(cards: &[Value]) -> Vec<String> {
    cards
        .iter()
        .map(|c| c["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The cells of every row of a box-drawing table (as printed by `stats`, `decks` and
/// `cards`), header included, border lines left out.
pub fn table_rows(table: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .filter(|line| line.starts_with('│'))
        .map(|line| {
            line.split(['│', '┆'])
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect()
}

/// The cells of the first table row whose first cell is `first`.
pub fn table_row(table: &str, first: &str) -> Vec<String> {
    table_rows(table)
        .into_iter()
        .find(|cells| cells.first().map(String::as_str) == Some(first))
        .unwrap_or_else(|| panic!("no row {first:?} in:\n{table}"))
}

/// One `answer` line of the review log (docs/progress-format.md). `after` is
/// (reps, ef, interval, lapses, due) for a scheduling answer, `None` for a re-drill.
/// The study day is the date of `at`, so give UTC times after 04:00.
pub fn answer_line(
    at: &str,
    card: &str,
    grade: u8,
    after: Option<(u32, f64, u32, u32, &str)>,
) -> String {
    let mut line = serde_json::json!({
        "v": 1, "kind": "answer", "at": at, "card": card, "day": &at[..10],
        "grade": grade, "redrill": after.is_none(),
    });
    if let Some((reps, ef, interval, lapses, due)) = after {
        line["after"] = serde_json::json!({
            "reps": reps, "ef": ef, "interval": interval, "lapses": lapses, "due": due,
        });
    }
    line.to_string()
}

/// Asserts two floats agree to 1e-9 (EF values are sums of decimal steps).
pub fn assert_close(actual: &Value, expected: f64, what: &str) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {actual} is not a number"));
    assert!(
        (actual - expected).abs() < 1e-9,
        "{what}: {actual} != {expected}"
    );
}

/// A running `prepdeck review` whose standard output is read as it comes, so a test
/// can act at a known moment (after the n-th card is shown) instead of sleeping.
pub struct Live {
    child: Child,
    output: mpsc::Receiver<Vec<u8>>,
    /// Everything printed so far.
    pub seen: String,
}

impl Live {
    /// Starts `prepdeck ARGS` at `now` on `env`, with piped standard input.
    pub fn start(env: &Env, now: &str, args: &[&str]) -> Live {
        Live::start_with_stderr(env, now, args, Stdio::null())
    }

    /// [`Live::start`] with standard error going to `stderr` (a file, to read it after).
    pub fn start_with_stderr(env: &Env, now: &str, args: &[&str], stderr: Stdio) -> Live {
        let mut child = env
            .std_cmd_at(now)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start prepdeck");
        let mut stdout = child.stdout.take().expect("stdout");
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Live {
            child,
            output,
            seen: String::new(),
        }
    }

    /// Types `text` into the session.
    pub fn send(&mut self, text: &str) {
        let stdin = self.child.stdin.as_mut().expect("stdin");
        stdin.write_all(text.as_bytes()).expect("write to prepdeck");
        stdin.flush().expect("flush");
    }

    /// Waits (at most 20 s) until `marker` has appeared on standard output.
    pub fn wait_for(&mut self, marker: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.seen.contains(marker) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(chunk) => self.seen.push_str(&String::from_utf8_lossy(&chunk)),
                Err(_) => panic!("{marker:?} never appeared; output so far:\n{}", self.seen),
            }
        }
    }

    /// Closes standard input and waits (at most 20 s) for the process to end by itself.
    pub fn finish(mut self) -> std::process::ExitStatus {
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("poll prepdeck") {
                return status;
            }
            assert!(Instant::now() < deadline, "prepdeck did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// [`Live::finish`], and everything the process printed.
    pub fn finish_with_output(mut self) -> (std::process::ExitStatus, String) {
        drop(self.child.stdin.take());
        let status = self.child.wait().expect("wait for prepdeck");
        // The reader thread ends at end of output; take everything it read.
        while let Ok(chunk) = self.output.recv_timeout(Duration::from_secs(5)) {
            self.seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        (status, std::mem::take(&mut self.seen))
    }

    /// Sends SIGINT (Ctrl-C) with standard input still open, and waits (at most 20 s)
    /// for the process to end; returns its status and everything it printed.
    pub fn interrupt(mut self) -> (std::process::ExitStatus, String) {
        let status = std::process::Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -INT failed");
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("poll prepdeck") {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "prepdeck did not exit after Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        // The reader thread ends at end of output; take everything it read.
        while let Ok(chunk) = self.output.recv_timeout(Duration::from_secs(5)) {
            self.seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        (status, std::mem::take(&mut self.seen))
    }

    /// Kills the process with SIGKILL (no chance to clean up) and reaps it.
    pub fn kill(mut self) {
        self.child.kill().expect("kill prepdeck");
        self.child.wait().expect("reap prepdeck");
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        // A failed assertion must not leave a review running (and holding the lock).
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
