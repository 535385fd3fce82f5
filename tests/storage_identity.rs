//! The storage may change how progress is kept, never what the commands report:
//! `cards --json` and `stats --json` on the decks of a generated collection give, byte for byte,
//! what the build before the storage changes (`8937c82`) gave, however the snapshot
//! stands against the log. The expected outputs in `tests/fixtures/identity/` were
//! written by that build on the same collection (`benches/identity.sh` checks the
//! benchmark's large collections the same way, against a build of that commit).

#[path = "../examples/gen_collection.rs"]
#[allow(dead_code)]
mod gen;

use assert_cmd::cargo::cargo_bin;
use clap::Parser;
use std::path::Path;
use std::process::Command;

/// The benchmark's "now" (`benches/bench.py`).
const NOW: &str = "2026-11-22T09:00:00+00:00";
/// Small enough for `cargo test`; 20 decks, as the benchmark's collections.
const CARDS: &str = "200";

fn generate(out: &Path) {
    let args = gen::Args::parse_from([
        "gen_collection",
        "--cards",
        CARDS,
        "--out",
        out.to_str().unwrap(),
        "--now",
        NOW,
    ]);
    let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap();
    gen::build_collection(&args, out, now);
}

fn output(data: &Path, args: &[&str]) -> (String, String) {
    let out = Command::new(cargo_bin("prepdeck"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("PREPDECK_NOW", NOW)
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn expected(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/identity")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The generated decks, named: the built-in decks' text is not this test's business.
fn bench_decks() -> Vec<String> {
    (1..=20).map(|d| format!("bench-{d:02}")).collect()
}

/// Checks both commands against the previous build's output; `warning` is what stderr
/// must contain (empty: nothing at all).
fn assert_identical(data: &Path, case: &str, warning: &str) {
    for (command, file) in [("cards", "cards.json"), ("stats", "stats.json")] {
        let decks = bench_decks();
        let mut args = vec![command];
        args.extend(decks.iter().map(String::as_str));
        args.push("--json");
        let (stdout, stderr) = output(data, &args);
        assert!(
            stdout == expected(file),
            "{case}: `{command} --json` differs from the previous build's output"
        );
        if warning.is_empty() {
            assert!(stderr.is_empty(), "{case}: {stderr}");
        } else {
            assert!(stderr.contains(warning), "{case}: {stderr}");
        }
    }
}

/// How a snapshot is written: `snapshot::write` or `snapshot::write_format_1`.
type SnapshotWriter = fn(
    &Path,
    (u64, usize, Option<&str>),
    &prepdeck::progress::Progress,
) -> prepdeck::error::Result<()>;

/// Rewrites the snapshot of `data` with `write` to cover only the log's first `lines`
/// lines.
fn snapshot_of_first_lines(data: &Path, lines: usize, write: SnapshotWriter) {
    use prepdeck::progress::Progress;
    use prepdeck::store::log;
    let text = std::fs::read(data.join("reviews.jsonl")).unwrap();
    let end = text
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .nth(lines - 1)
        .unwrap()
        .0
        + 1;
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("reviews.jsonl");
    std::fs::write(&part, &text[..end]).unwrap();
    let mut progress = Progress::default();
    let scan = log::replay(&part, 0, 0, &mut progress).unwrap();
    assert_eq!((scan.end, scan.lines), (end as u64, lines));
    let position = (scan.end, scan.lines, scan.last_line.as_deref());
    write(&data.join("state.json"), position, &progress).unwrap();
}

/// Runs `review` on `data` and leaves it at once with `q`.
fn review_then_quit(data: &Path) {
    let quit = Command::new(cargo_bin("prepdeck"))
        .arg("--data-dir")
        .arg(data)
        .arg("review")
        .env("PREPDECK_NOW", NOW)
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(b"q\n")?;
            child.wait()
        })
        .unwrap();
    assert!(quit.success());
}

#[test]
fn cards_and_stats_json_are_what_the_previous_build_printed_however_the_snapshot_stands() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("collection");
    generate(&data);
    let log_lines = std::fs::read(data.join("reviews.jsonl"))
        .unwrap()
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    assert!(log_lines > 2_000, "{log_lines} lines");

    assert_identical(&data, "the snapshot as generated", "");

    // A session that answers nothing changes nothing.
    review_then_quit(&data);
    assert_identical(&data, "after a session that answered nothing", "");

    // Answers past the snapshot, replayed from the log on every start.
    use prepdeck::store::snapshot::{write, write_format_1, write_format_3};
    snapshot_of_first_lines(&data, log_lines - 500, write);
    assert_identical(&data, "500 log lines after the snapshot", "");

    // A snapshot in format 3 (day tallies by date), as the builds before format 4
    // left it, with and without a tail.
    snapshot_of_first_lines(&data, log_lines, write_format_3);
    assert_identical(&data, "a format 3 snapshot", "");
    snapshot_of_first_lines(&data, log_lines - 500, write_format_3);
    assert_identical(&data, "a format 3 snapshot, 500 log lines after it", "");

    // A snapshot in format 1, as builds before #20 left it, with and without a tail;
    // then rewritten in the current format (4) by a session that answers nothing.
    snapshot_of_first_lines(&data, log_lines, write_format_1);
    assert_identical(&data, "a format 1 snapshot", "");
    snapshot_of_first_lines(&data, log_lines - 500, write_format_1);
    assert_identical(&data, "a format 1 snapshot, 500 log lines after it", "");
    review_then_quit(&data);
    let rewritten = std::fs::read(data.join("state.json")).unwrap();
    assert!(rewritten.starts_with(b"{\"format_version\":4,"));
    assert_identical(&data, "the format 1 snapshot rewritten", "");

    // A damaged format 4 snapshot (cut short, as by a disk that lost its end): rebuilt
    // from the log, with a warning; the next review sets it aside and writes a new one.
    std::fs::write(data.join("state.json"), &rewritten[..rewritten.len() / 2]).unwrap();
    assert_identical(&data, "a format 4 snapshot cut short", "is damaged");
    review_then_quit(&data);
    assert!(data.join("state.json.damaged-1").is_file());
    assert_identical(&data, "the damaged snapshot replaced", "");

    // No snapshot: everything from the log.
    std::fs::remove_file(data.join("state.json")).unwrap();
    assert_identical(&data, "no snapshot", "");

    // A damaged snapshot: rebuilt from the log, with a warning.
    std::fs::write(data.join("state.json"), b"{\"format_version\":1,\"lo").unwrap();
    assert_identical(&data, "a damaged snapshot", "is damaged");
}
