//! Shared helpers: the real binary on a temporary data directory with a fixed clock.

#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

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
        let mut cmd = Command::cargo_bin("prepdeck").expect("the prepdeck binary");
        cmd.arg("--data-dir")
            .arg(self.data())
            .env("PREPDECK_NOW", now)
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .env_remove("PREPDECK_DATA_DIR");
        cmd
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
