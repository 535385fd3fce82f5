//! Trying to break prepdeck: crashes at random moments, damaged files, hostile
//! environments, hostile decks and odd clocks. In every case: a clear error and a
//! non-zero exit, or success; never a panic, and never progress lost or a file
//! silently changed.

use assert_cmd::cargo::cargo_bin;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The second hostile-input run (issue 19), one test or more per item.
#[path = "adversarial/round2.rs"]
mod round2;
#[path = "adversarial/round2_decks.rs"]
mod round2_decks;

const NOW: &str = "2026-11-22T10:00:00Z";

fn prepdeck(data: &Path) -> Command {
    let mut cmd = Command::new(cargo_bin("prepdeck"));
    cmd.arg("--data-dir")
        .arg(data)
        .env("PREPDECK_NOW", NOW)
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

fn run(cmd: &mut Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command may fail before reading its input; a closed pipe is fine then.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    output
}

fn ok(cmd: &mut Command, input: &str) -> String {
    let output = run(cmd, input);
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Runs a command that must fail; returns its stderr after checking nothing raw leaked.
fn fails(cmd: &mut Command, input: &str) -> String {
    let output = run(cmd, input);
    assert!(
        !output.status.success(),
        "unexpected success: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(output.status.code(), Some(1));
    assert_no_raw_controls(&output.stdout);
    assert_no_raw_controls(&output.stderr);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("prepdeck: error: "), "{stderr}");
    stderr
}

/// No terminal-active bytes: C0 controls other than newline/tab, DEL, C1, bidi controls.
fn assert_no_raw_controls(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad = text.chars().find(|&c| {
        (c < ' ' && c != '\n' && c != '\t')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    });
    assert!(bad.is_none(), "raw control {bad:?} in output: {text}");
}

fn deck_json(id: &str, cards: usize) -> String {
    let cards: Vec<String> = (1..=cards)
        .map(|i| {
            format!(
                r#"{{"id": "c{i}", "front": "Question {i}", "back": "Answer {i}", "tags": ["t"]}}"#
            )
        })
        .collect();
    format!(
        r#"{{"format_version": 1, "id": "{id}", "title": "T", "description": "", "cards": [{}]}}"#,
        cards.join(",")
    )
}

fn install_deck(data: &Path, id: &str, text: &str) -> PathBuf {
    std::fs::create_dir_all(data.join("decks")).unwrap();
    let path = data.join("decks").join(format!("{id}.json"));
    std::fs::write(&path, text).unwrap();
    path
}

fn log_lines(data: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(data.join("reviews.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn answered_cards(data: &Path) -> usize {
    let out = ok(prepdeck(data).args(["cards", "demo", "--json"]), "");
    let cards: serde_json::Value = serde_json::from_str(&out).unwrap();
    cards
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| !c["due"].is_null())
        .count()
}

/// A small deterministic generator, so every run of the suite kills at the same moments.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

/// A review process whose stdout is read as it comes.
struct Live {
    child: Child,
    output: mpsc::Receiver<Vec<u8>>,
    seen: String,
}

impl Live {
    fn start(data: &Path, deck: &str) -> Live {
        let mut child = prepdeck(data)
            .args(["review", deck])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
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

    fn send(&mut self, text: &str) {
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(text.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Waits until `marker` has appeared on stdout.
    fn wait_for(&mut self, marker: &str) {
        self.wait_until(marker, |seen| seen.contains(marker));
    }

    /// Waits (at most 20 s) until `done` holds for everything printed so far; `what`
    /// names the wait in a failure.
    fn wait_until(&mut self, what: &str, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !done(&self.seen) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(chunk) => self.seen.push_str(&String::from_utf8_lossy(&chunk)),
                Err(_) => panic!("{what:?} never appeared; output so far:\n{}", self.seen),
            }
        }
    }

    /// Waits for the `n`th card shown (1-based, re-drills included) to be asked, and
    /// returns its key (from its front, "Question j" being card cj of the deck) and
    /// whether it is a re-drill (`[again]`, which takes no position).
    fn card_at(&mut self, n: usize) -> (String, bool) {
        const PROMPT: &str = "(Enter shows the answer";
        self.wait_until(&format!("card {n}"), |seen| {
            seen.matches(PROMPT).count() >= n
        });
        let at = self
            .seen
            .match_indices(PROMPT)
            .nth(n - 1)
            .map(|(at, _)| at)
            .unwrap();
        let mut lines = self.seen[..at].lines().rev();
        let (front, heading) = (lines.next().unwrap(), lines.next().unwrap());
        let (deck, _) = heading
            .split_once("] ")
            .and_then(|(_, rest)| rest.split_once(" · "))
            .unwrap_or_else(|| panic!("not a card heading: {heading:?}"));
        let number = front
            .strip_prefix("Question ")
            .unwrap_or_else(|| panic!("not a front: {front:?}"));
        (format!("{deck}/c{number}"), heading.starts_with("[again]"))
    }

    /// Kills the process with SIGKILL and returns everything it printed.
    fn kill(mut self) -> String {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        // The reader thread ends at the end of the output, closing the channel.
        while let Ok(chunk) = self.output.recv_timeout(Duration::from_secs(20)) {
            self.seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        self.seen
    }
}

/// Polls (at most 60 s) until `ready` holds or `child` has exited; true when `ready` held.
fn poll_until(child: &mut Child, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if ready() {
            return true;
        }
        if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            return ready();
        }
        // Not a sleep: the temporary file lives a few milliseconds, and a sleep can last
        // longer than asked. Yielding leaves the core to the review when it needs it.
        std::thread::yield_now();
    }
}

/// One answer: card key, grade, and whether it was a re-drill.
type Answer = (String, u64, bool);

/// The answers the log records, in order.
fn logged_answers(data: &Path) -> Vec<Answer> {
    log_lines(data)
        .iter()
        .map(|l| {
            assert_eq!(l["kind"], "answer", "{l}");
            (
                l["card"].as_str().unwrap().to_owned(),
                l["grade"].as_u64().unwrap(),
                l["redrill"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// Checks `cards demo --json` against `answers`, all given at [`NOW`] to new cards: a
/// card's first answer that is not a re-drill sets its schedule (SM-2 from a new card,
/// worked out here), re-drills change nothing, and unanswered cards stay new.
fn assert_cards_follow(data: &Path, answers: &[Answer], what: &str) {
    let out = ok(prepdeck(data).args(["cards", "demo", "--json"]), "");
    let cards: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap();
    for card in &cards {
        let key = format!("demo/{}", card["id"].as_str().unwrap());
        let first = answers.iter().find(|(c, _, redrill)| *c == key && !redrill);
        match first {
            None => {
                assert!(
                    card["due"].is_null(),
                    "{what}: {key} was never answered: {card}"
                );
                assert!(card["last_review"].is_null(), "{what}: {key}: {card}");
                assert_eq!(card["reps"], 0, "{what}: {key}");
            }
            Some(&(_, grade, _)) => {
                let q = grade as f64;
                let (reps, ef) = if grade >= 3 {
                    (1, 2.5 + 0.1 - (5.0 - q) * (0.08 + (5.0 - q) * 0.02))
                } else {
                    (0, 2.5)
                };
                assert_eq!(card["reps"], reps, "{what}: {key} graded {grade}: {card}");
                assert!(
                    (card["ef"].as_f64().unwrap() - ef).abs() < 1e-9,
                    "{what}: {key} graded {grade}: {card}"
                );
                assert_eq!(card["interval"], 1, "{what}: {key}");
                assert_eq!(card["lapses"], 0, "{what}: {key}");
                assert_eq!(card["due"], "2026-11-23", "{what}: {key}");
                let last_review = card["last_review"].as_str().unwrap_or_default();
                assert_eq!(
                    chrono::DateTime::parse_from_rfc3339(last_review).ok(),
                    Some(now),
                    "{what}: {key}: {card}"
                );
            }
        }
    }
}

/// How a run of the kill test ends.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kill {
    /// After the last answer was followed by the next card.
    AtAPrompt,
    /// At once, or a random moment up to 2 ms after a grade was typed: before, during or
    /// after its line is written.
    AfterAGrade,
    /// As soon as the grade's line is seen in the log: before its fsync has returned.
    WhenTheLogGrows,
}

#[test]
fn sigkill_at_fifty_random_moments_keeps_exactly_the_answers_followed_by_the_next_card() {
    let mut rng = Lcg(0x5eed_2026);
    // Per kind of kill: runs that ended with the raced answer not logged, logged, torn;
    // and runs killed before the next card was shown.
    let mut outcomes: Vec<(Kill, usize, usize, usize, usize)> =
        [Kill::AtAPrompt, Kill::AfterAGrade, Kill::WhenTheLogGrows]
            .into_iter()
            .map(|kill| (kill, 0, 0, 0, 0))
            .collect();
    for attempt in 0..50 {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        install_deck(data, "demo", &deck_json("demo", 8));
        let k = rng.next(7) as usize; // answers confirmed by the next card's prompt
        let kill =
            [Kill::AtAPrompt, Kill::AfterAGrade, Kill::WhenTheLogGrows][rng.next(3) as usize];
        let mut live = Live::start(data, "demo");
        let mut confirmed: Vec<Answer> = Vec::new();
        let mut shown = live.card_at(1);
        for position in 1..=k {
            // Any grade: failures bring re-drills, so the cards come in varied orders.
            let grade = rng.next(6);
            live.send(&format!("\n{grade}\n"));
            let next = live.card_at(position + 1);
            confirmed.push((shown.0, grade, shown.1));
            shown = next;
        }
        // The next card is on screen: every answer before it is on disk, as given.
        assert_eq!(logged_answers(data), confirmed, "run {attempt}");
        let log_path = data.join("reviews.jsonl");
        let before = std::fs::read(&log_path).unwrap_or_default();

        let raced = (shown.0.clone(), rng.next(6), shown.1);
        match kill {
            Kill::AtAPrompt => {}
            Kill::AfterAGrade => {
                // Enter and the grade at once, then no wait or one spaced geometrically
                // up to 2 ms: showing the answer and writing the line take some tens of
                // microseconds, the fsync up to milliseconds.
                live.send(&format!("\n{}\n", raced.1));
                let wait = rng.next(12);
                if wait > 0 {
                    std::thread::sleep(Duration::from_micros(1 << wait));
                }
            }
            Kill::WhenTheLogGrows => {
                // The answer shown first, then the grade alone, so the kill follows the
                // write as closely as the log can be watched.
                live.send("\n");
                live.wait_until("the grade prompt", |seen| {
                    seen.matches("Grade: 0-2").count() == k + 1
                });
                live.send(&format!("{}\n", raced.1));
                let grown = poll_until(&mut live.child, || {
                    std::fs::metadata(&log_path).map_or(0, |m| m.len()) > before.len() as u64
                });
                assert!(grown, "run {attempt}: the answer never reached the log");
            }
        }
        let printed = live.kill();
        // Whether the kill came before the raced answer was followed by the next card,
        // that is before its fsync had returned.
        let before_the_next_card = printed.matches("(Enter shows the answer").count() < k + 2;

        // Earlier lines are untouched; after them at most the raced answer, whole, or
        // (a kill inside its write) a piece of it that the next review sets aside.
        let after = std::fs::read(&log_path).unwrap_or_default();
        assert!(
            after.starts_with(&before),
            "run {attempt}: an earlier line changed"
        );
        let tail = after[before.len()..].to_vec();
        let mut expected = confirmed.clone();
        let outcome = outcomes.iter_mut().find(|o| o.0 == kill).unwrap();
        outcome.4 += usize::from(before_the_next_card);
        let torn = !tail.is_empty() && !tail.ends_with(b"\n");
        if tail.is_empty() {
            outcome.1 += 1;
        } else if torn {
            assert_ne!(
                kill,
                Kill::AtAPrompt,
                "run {attempt}: a torn line with nothing typed"
            );
            outcome.3 += 1;
        } else {
            assert_ne!(
                kill,
                Kill::AtAPrompt,
                "run {attempt}: a line with nothing typed"
            );
            assert_eq!(
                tail.iter().filter(|&&b| b == b'\n').count(),
                1,
                "run {attempt}"
            );
            expected.push(raced.clone());
            outcome.2 += 1;
        }
        if !torn {
            assert_eq!(logged_answers(data), expected, "run {attempt} ({kill:?})");
        }
        assert_cards_follow(data, &expected, &format!("run {attempt} ({kill:?})"));

        // The next session works, repairs a torn tail, and starts with the first card
        // never answered (all the answered ones are due tomorrow).
        let output = run(
            prepdeck(data).args(["review", "demo", "--limit", "1"]),
            "\n5\n",
        );
        assert!(output.status.success(), "run {attempt}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            stderr.contains("skipped line"),
            torn,
            "run {attempt}: {stderr}"
        );
        if torn {
            let aside = std::fs::read(data.join("reviews.jsonl.torn")).unwrap();
            assert_eq!(aside, [&tail[..], b"\n"].concat(), "run {attempt}");
        }
        let first_new = (1..=8)
            .map(|c| format!("demo/c{c}"))
            .find(|key| !expected.iter().any(|(c, _, _)| c == key))
            .unwrap();
        expected.push((first_new, 5, false));
        assert_eq!(logged_answers(data), expected, "run {attempt} ({kill:?})");
        assert!(
            std::fs::read(&log_path).unwrap().starts_with(&before),
            "run {attempt}"
        );
    }
    eprintln!(
        "(kill, raced answer not logged, logged, torn, killed before the next card): {outcomes:?}"
    );
    for (kill, not_logged, logged, _, _) in &outcomes {
        assert!(not_logged + logged > 0, "no run killed {kill:?}");
    }
    // Killed as soon as its line is in the log, the raced answer is always there.
    let grows = outcomes
        .iter()
        .find(|o| o.0 == Kill::WhenTheLogGrows)
        .unwrap();
    // Killed as soon as its line is in the log, the raced answer is always there; and
    // some of those kills came while its fsync was still running.
    assert_eq!(grows.1, 0, "{grows:?}");
    assert!(grows.4 > 0, "no kill raced the fsync: {grows:?}");
}

/// Cards of a deck no longer installed whose states fill the snapshot: their states stay
/// in progress (and in `state.json`, some 50 bytes each in format 2, 130 in format 1) so
/// that writing the snapshot takes long enough to be killed in the middle of, while no
/// user deck means no other atomic write (the deck index) in the data directory.
const ARCHIVED_CARDS: usize = 60_000;

/// A data directory whose log answers [`ARCHIVED_CARDS`] cards, with a snapshot of all
/// but the last `tail` of them written by `write` (format 2, or format 1 as earlier
/// builds wrote it), both with prepdeck's own types as `review` writes them.
type SnapshotWriter = fn(
    &Path,
    (u64, usize, Option<&str>),
    &prepdeck::progress::Progress,
) -> prepdeck::error::Result<()>;

fn archived_collection(data: &Path, tail: usize, write: SnapshotWriter) {
    use prepdeck::progress::{answer_entry, Progress};
    use prepdeck::sm2::Grade;
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-01T10:00:00Z").unwrap();
    let day = at.date_naive();
    let mut progress = Progress::default();
    let mut log = String::new();
    let covered = ARCHIVED_CARDS - tail;
    for i in 0..ARCHIVED_CARDS {
        let grade = Grade::new((i % 6) as u8).unwrap();
        let entry = answer_entry(&format!("archive/c{i}"), None, grade, false, at, day);
        let line = serde_json::to_string(&entry).unwrap();
        log.push_str(&line);
        log.push('\n');
        progress.apply(&entry);
        if i + 1 == covered {
            let position = (log.len() as u64, covered, Some(line.as_str()));
            write(&data.join("state.json"), position, &progress).unwrap();
        }
    }
    std::fs::write(data.join("reviews.jsonl"), &log).unwrap();
}

/// What the snapshot at `path` holds: log position and progress; why not, if it is not
/// a valid snapshot.
fn snapshot_at(
    path: &Path,
) -> Result<(u64, usize, Option<String>, prepdeck::progress::Progress), String> {
    use prepdeck::store::snapshot::{read, Found};
    match read(path) {
        Ok(Found::Valid(s)) => Ok((s.log_offset, s.log_lines, s.log_last_line, s.progress)),
        other => Err(format!("{other:?}")),
    }
}

/// The temporary files of atomic replaces in `data`.
fn temp_files(data: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(data)
        .unwrap()
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(".prepdeck-") && name.ends_with(".tmp")
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// A copy of the files directly in `from` into `to`.
fn copy_files(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// A review of one built-in card on `data` that ends, and so saves the snapshot, as soon
/// as the card is graded.
fn snapshot_writing_review(data: &Path) -> Child {
    let mut child = prepdeck(data)
        .args(["review", "why-they-ask", "--limit", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"\n5\n").unwrap();
    child
}

#[test]
fn sigkill_while_a_large_snapshot_is_written_leaves_the_old_or_the_new_one_whole() {
    // The log after the snapshot at the bound: the session that ends compacts.
    let base = tempfile::tempdir().unwrap();
    let tail = prepdeck::store::snapshot::COMPACT_TAIL_LINES;
    archived_collection(base.path(), tail, prepdeck::store::snapshot::write);
    sigkill_while_the_snapshot_is_written(base.path());
}

#[test]
fn sigkill_while_a_format_1_snapshot_is_rewritten_leaves_the_old_or_the_new_one_whole() {
    // A snapshot of the whole log in the format before: the session that ends rewrites
    // it in the current one, however little it answered.
    let base = tempfile::tempdir().unwrap();
    archived_collection(base.path(), 0, prepdeck::store::snapshot::write_format_1);
    sigkill_while_the_snapshot_is_written(base.path());
}

/// Kills reviews on copies of `base` while each saves the snapshot at its end: the old
/// snapshot or the new one is left, whole, and no answer is lost.
fn sigkill_while_the_snapshot_is_written(base: &Path) {
    let old_snapshot = std::fs::read(base.join("state.json")).unwrap();
    let old_log = std::fs::read(base.join("reviews.jsonl")).unwrap();
    assert!(old_snapshot.len() > 1 << 20, "{} bytes", old_snapshot.len());

    // A review left to finish: the snapshot and cards it leaves, and how long its
    // temporary file lives (write, fsync, rename), watched from outside. It lives a few
    // milliseconds: on a busy machine the watcher can miss it, so up to five tries.
    let (reference, mut child) = (0..5)
        .find_map(|_| {
            let reference = tempfile::tempdir().unwrap();
            copy_files(base, reference.path());
            let mut child = snapshot_writing_review(reference.path());
            if poll_until(&mut child, || !temp_files(reference.path()).is_empty()) {
                return Some((reference, child));
            }
            assert!(child.wait().unwrap().success());
            // Written all the same (the file was replaced), only not seen being written.
            assert_ne!(
                std::fs::read(reference.path().join("state.json")).unwrap(),
                old_snapshot
            );
            None
        })
        .expect("the snapshot was written without a temporary file");
    let appeared = Instant::now();
    poll_until(&mut child, || temp_files(reference.path()).is_empty());
    let window = appeared.elapsed();
    assert!(child.wait().unwrap().success());
    let new_snapshot = snapshot_at(&reference.path().join("state.json"))
        .unwrap_or_else(|why| panic!("the reference run's snapshot: {why}"));
    assert!(std::fs::read(reference.path().join("state.json"))
        .unwrap()
        .starts_with(b"{\"format_version\":4,"));
    let new_log = std::fs::read(reference.path().join("reviews.jsonl")).unwrap();
    assert!(new_log.starts_with(&old_log) && new_log.len() > old_log.len());

    // Kills from the moment the temporary file appears to 20 ms later, spaced
    // geometrically: the file's life is the copy of the bytes (about a millisecond) and
    // then the fsync, which takes anything from a millisecond to tens on the same disk,
    // so evenly spaced delays would all miss the first part or all miss the end. Each
    // delay is jittered by the seeded generator.
    const RUNS: u32 = 12;
    let mut rng = Lcg(0x5a7e_2026);
    let mut during_write = 0;
    let mut old_kept = 0;
    // Per kill: its delay, and the size of the temporary file it left, if any.
    let mut landings = Vec::new();
    for attempt in 0..RUNS {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        copy_files(base, data);
        let mut child = snapshot_writing_review(data);
        let seen = poll_until(&mut child, || !temp_files(data).is_empty());
        let step = (f64::from(attempt) + rng.next(1000) as f64 / 1000.0) / f64::from(RUNS);
        let delay = Duration::from_micros(50).mul_f64(400f64.powf(step));
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();

        let leftovers = temp_files(data);
        let leftover_bytes = leftovers
            .first()
            .map(|temp| std::fs::metadata(temp).unwrap().len());
        landings.push(format!("{delay:.1?}: {leftover_bytes:?}"));
        let snapshot = std::fs::read(data.join("state.json")).unwrap();
        // Compared byte for byte with the old one; the new one is compared as what it
        // reads as, as its cards come in hash order, which differs from one process to
        // the next.
        let is_old = snapshot == old_snapshot;
        if !is_old {
            let parsed = snapshot_at(&data.join("state.json"))
                .unwrap_or_else(|why| panic!("run {attempt}: state.json is torn: {why}"));
            assert!(
                parsed == new_snapshot,
                "run {attempt}: neither the old nor the new snapshot"
            );
        }
        assert!(leftovers.len() <= 1, "run {attempt}: {leftovers:?}");
        if !leftovers.is_empty() {
            // Killed between creating the temporary file and renaming it.
            assert!(
                seen && is_old,
                "run {attempt}: a temporary file beside a new snapshot"
            );
            during_write += 1;
        }
        old_kept += usize::from(is_old);
        // The answer was on disk before the snapshot was begun.
        assert_eq!(
            std::fs::read(data.join("reviews.jsonl")).unwrap(),
            new_log,
            "run {attempt}"
        );
        // The next session works, without a warning: the old snapshot still matches the
        // start of the log (the answer after it is replayed) and the new one all of it,
        // so nothing is rebuilt or set aside. It removes a leftover once it is stale.
        let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
        for temp in &leftovers {
            std::fs::File::options()
                .write(true)
                .open(temp)
                .unwrap()
                .set_modified(hour_ago)
                .unwrap();
        }
        let output = run(
            prepdeck(data).args(["review", "why-they-ask", "--limit", "1"]),
            "\n4\n",
        );
        assert!(output.status.success(), "run {attempt}");
        assert!(
            output.stderr.is_empty(),
            "run {attempt}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("[1/1]"),
            "run {attempt}"
        );
        let log = std::fs::read(data.join("reviews.jsonl")).unwrap();
        assert!(log.starts_with(&new_log), "run {attempt}");
        assert_eq!(
            log[new_log.len()..].iter().filter(|&&b| b == b'\n').count(),
            1,
            "run {attempt}"
        );
        assert!(
            temp_files(data).is_empty(),
            "run {attempt}: stale temporary file kept"
        );
    }
    eprintln!(
        "snapshot of {} bytes lived {window:?} as a temporary file in the reference run; {during_write} of {RUNS} kills landed while it was written, {old_kept} left the old snapshot; delay: temporary file left {landings:?}",
        old_snapshot.len()
    );
    assert!(
        during_write >= RUNS / 3,
        "only {during_write} of {RUNS} kills landed while the snapshot was written"
    );
}

#[test]
fn a_truncated_or_garbage_snapshot_is_rebuilt_from_the_log_with_a_warning() {
    for damage in [
        &b"{\"format_version\":1,\"log_off"[..],
        b"\x00\x00garbage",
        b"",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        install_deck(data, "demo", &deck_json("demo", 3));
        ok(prepdeck(data).args(["review", "demo"]), "\n4\n\n5\n");
        let expected = ok(prepdeck(data).args(["cards", "--json"]), "");
        std::fs::write(data.join("state.json"), damage).unwrap();
        let output = run(prepdeck(data).args(["cards", "--json"]), "");
        assert!(output.status.success());
        assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains("state.json is damaged") && stderr.contains("rebuilt"),
            "{stderr}"
        );
    }
}

#[test]
fn invalid_utf8_inside_the_log_is_damage_and_the_file_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 3));
    ok(prepdeck(data).args(["review", "demo"]), "\n4\n\n5\n");
    let mut bytes = std::fs::read(data.join("reviews.jsonl")).unwrap();
    // Inside the card id, a string: a lossy decoder would read the line as an answer
    // for card "demo/\u{fffd}1" and carry on. (A byte over a quote or a brace would be
    // refused by any JSON parser, lossy or not.)
    let first_newline = bytes.iter().position(|&b| b == b'\n').unwrap();
    let card = br#""card":"demo/c1""#;
    let at = bytes[..first_newline]
        .windows(card.len())
        .position(|w| w == card)
        .expect("line 1 answers demo/c1");
    bytes[at + card.len() - 3] = 0xff;
    let lossy: serde_json::Value =
        serde_json::from_str(&String::from_utf8_lossy(&bytes[..first_newline])).unwrap();
    assert_eq!(lossy["card"], "demo/\u{fffd}1");
    std::fs::write(data.join("reviews.jsonl"), &bytes).unwrap();
    std::fs::remove_file(data.join("state.json")).unwrap();
    let stderr = fails(prepdeck(data).args(["review", "demo"]), "\n4\n");
    assert!(
        stderr.contains("reviews.jsonl is damaged at line 1"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(data.join("reviews.jsonl")).unwrap(), bytes);
    fails(prepdeck(data).arg("stats"), "");
}

#[test]
fn log_lines_for_unknown_cards_are_kept_and_do_not_get_in_the_way() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 2));
    let stranger = r#"{"v":1,"kind":"answer","at":"2026-11-01T10:00:00Z","card":"gone-deck/old-card","day":"2026-11-01","grade":4,"redrill":false,"after":{"reps":1,"ef":2.5,"interval":1,"lapses":0,"due":"2026-11-02"}}"#;
    std::fs::write(data.join("reviews.jsonl"), format!("{stranger}\n")).unwrap();
    ok(prepdeck(data).args(["review", "demo"]), "\n4\n\n4\n");
    let log = std::fs::read_to_string(data.join("reviews.jsonl")).unwrap();
    assert!(log.starts_with(stranger));
    assert_eq!(answered_cards(data), 2);
    let stats: serde_json::Value =
        serde_json::from_str(&ok(prepdeck(data).args(["stats", "demo", "--json"]), "")).unwrap();
    assert_eq!(stats["total"]["cards"], 2);
}

#[test]
fn empty_files_are_handled_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 2));
    std::fs::write(data.join("reviews.jsonl"), "").unwrap();
    ok(prepdeck(data).args(["review", "demo"]), "\n4\n");
    assert_eq!(log_lines(data).len(), 1);
    // An empty deck file is an invalid deck, called empty.
    install_deck(data, "blank", "");
    let stderr = fails(prepdeck(data).args(["cards", "blank"]), "");
    assert!(
        stderr.contains("blank.json") && stderr.contains("the file is empty"),
        "{stderr}"
    );
    std::fs::remove_file(data.join("decks/blank.json")).unwrap();
    // An empty plan file is damage, left untouched.
    std::fs::write(data.join("plan.json"), "").unwrap();
    let stderr = fails(prepdeck(data).arg("plan"), "");
    assert!(stderr.contains("plan.json is damaged"), "{stderr}");
    assert_eq!(std::fs::read(data.join("plan.json")).unwrap(), b"");
}

#[test]
fn newer_plan_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let text = r#"{"format_version": 3, "interview": "2027-01-01", "hologram": true}"#;
    std::fs::write(data.join("plan.json"), text).unwrap();
    let stderr = fails(prepdeck(data).args(["plan", "--clear"]), "");
    assert!(stderr.contains("newer prepdeck"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(data.join("plan.json")).unwrap(),
        text
    );
}

/// Mounts a read-only tmpfs (as root) or makes a directory read-only (as anyone else).
/// Returns `None` when this machine allows neither.
fn read_only_dir(base: &Path) -> Option<(PathBuf, bool)> {
    let dir = base.join("ro");
    std::fs::create_dir(&dir).unwrap();
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .ok()?
        .stdout
        .starts_with(b"0");
    if is_root {
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "ro", "tmpfs"])
            .arg(&dir)
            .stderr(Stdio::null())
            .status()
            .ok()?
            .success();
        return mounted.then_some((dir, true));
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    Some((dir, false))
}

#[test]
fn a_read_only_data_directory_is_a_clear_error_before_any_card_is_shown() {
    let base = tempfile::tempdir().unwrap();
    let Some((dir, mounted)) = read_only_dir(base.path()) else {
        eprintln!("cannot make a read-only directory here; nothing to check");
        return;
    };
    let output = run(prepdeck(&dir).arg("review"), "\n4\n");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    // Reading still works.
    let stats = run(prepdeck(&dir).arg("stats"), "");
    if mounted {
        let _ = Command::new("umount").arg(&dir).status();
    }
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("cannot write to the data directory"),
        "{stderr}"
    );
    assert!(!stdout.contains("[1/"), "a card was shown: {stdout}");
    assert!(stats.status.success());
}

#[test]
fn a_data_directory_that_is_a_symlink_works() {
    let base = tempfile::tempdir().unwrap();
    let real = base.path().join("real");
    std::fs::create_dir(&real).unwrap();
    install_deck(&real, "demo", &deck_json("demo", 2));
    let link = base.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    ok(prepdeck(&link).args(["review", "demo"]), "\n4\n");
    assert_eq!(log_lines(&real).len(), 1);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn no_home_and_no_data_dir_is_a_clear_error() {
    let output = Command::new(cargo_bin("prepdeck"))
        .arg("stats")
        .env_clear()
        .env("PREPDECK_NOW", NOW)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--data-dir") && stderr.contains("PREPDECK_DATA_DIR"),
        "{stderr}"
    );
}

#[test]
fn a_full_disk_reports_the_answer_as_not_saved_and_corrupts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 3));
    ok(
        prepdeck(data).args(["review", "demo", "--limit", "1"]),
        "\n5\n",
    );
    // Pad the log close to a 1 KiB file-size limit (blank lines are allowed and skipped).
    let mut log = std::fs::OpenOptions::new()
        .append(true)
        .open(data.join("reviews.jsonl"))
        .unwrap();
    writeln!(log, "{}", " ".repeat(700)).unwrap();
    drop(log);
    let before = std::fs::read(data.join("reviews.jsonl")).unwrap();
    let binary = cargo_bin("prepdeck");
    let script = format!(
        "ulimit -f 1 && exec '{}' --data-dir '{}' review demo",
        binary.display(),
        data.display()
    );
    let output = run(
        Command::new("bash")
            .args(["-c", &script])
            .env("PREPDECK_NOW", NOW)
            .env("TZ", "UTC"),
        "\n4\n\n4\n",
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("your last answer was NOT saved"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(data.join("reviews.jsonl")).unwrap(), before);
    assert_eq!(answered_cards(data), 1);
}

#[test]
fn two_concurrent_reviews_one_writes_the_other_is_refused_and_stats_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 3));
    let mut live = Live::start(data, "demo");
    live.wait_for("[1/");
    let stderr = fails(prepdeck(data).args(["review", "demo"]), "\n4\n");
    assert!(stderr.contains("already running"), "{stderr}");
    ok(prepdeck(data).arg("stats"), "");
    live.send("\n4\n");
    live.wait_for("[2/");
    live.kill();
    assert_eq!(log_lines(data).len(), 1);
}

/// A deck whose first card carries `text` in its front, as JSON escapes.
fn hostile_front(text: &str) -> String {
    let front = serde_json::to_string(&format!("Q {text} end")).unwrap();
    format!(
        r#"{{"format_version": 1, "id": "evil", "title": "T", "description": "", "cards": [{{"id": "c1", "front": {front}, "back": "A"}}]}}"#
    )
}

#[test]
fn hostile_text_in_decks_is_refused_and_never_reaches_the_terminal_raw() {
    let cases = [
        ("OSC 52 clipboard write", "\u{1b}]52;c;cm0gLXJmIH4=\u{7}"),
        ("terminal title change", "\u{1b}]0;pwned\u{7}"),
        (
            "OSC 8 hyperlink",
            "\u{1b}]8;;https://evil.example\u{1b}\\click\u{1b}]8;;\u{1b}\\",
        ),
        ("cursor movement", "\u{1b}[2A\u{1b}[2K"),
        ("C1 CSI", "\u{9b}31m"),
        ("bidi override", "\u{202e}gnp.exe"),
        ("NUL byte", "\u{0}"),
    ];
    for (what, text) in cases {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        let path = install_deck(data, "evil", &hostile_front(text));
        let before = std::fs::read(&path).unwrap();
        for args in [
            &["review", "evil"][..],
            &["cards", "evil"],
            &["stats", "evil"],
            &["export", "evil"],
        ] {
            let stderr = fails(prepdeck(data).args(args), "\n4\n");
            assert!(
                stderr.contains("evil.json") && stderr.contains("card 1 (\"c1\")"),
                "{what}: {stderr}"
            );
            assert!(
                stderr.contains("control character")
                    || stderr.contains("invisible formatting character"),
                "{what}: {stderr}"
            );
        }
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "{what}: the deck file changed"
        );
        assert!(!data.join("reviews.jsonl").exists());
    }
}

#[test]
fn hostile_text_in_arguments_is_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = fails(
        prepdeck(dir.path()).args(["review", "\u{1b}]0;pwned\u{7}"]),
        "",
    );
    assert!(stderr.contains("\\u{1b}]0;pwned\\u{7}"), "{stderr}");
    let stderr = fails(
        prepdeck(dir.path()).args([
            "add",
            "--deck",
            "mine",
            "--front",
            "Q\u{9b}2J",
            "--back",
            "A",
        ]),
        "",
    );
    assert!(stderr.contains("control character"), "{stderr}");
}

/// Hostile sequences a terminal would act on, as a test names them.
const TERMINAL_ATTACKS: [(&str, &str); 5] = [
    ("terminal title change (OSC 0)", "\u{1b}]0;pwned\u{7}"),
    ("clipboard write (OSC 52)", "\u{1b}]52;c;cm0gLXJm\u{7}"),
    ("screen clear (CSI)", "\u{1b}[2J"),
    ("C1 CSI", "\u{9b}31m"),
    ("bidi override", "\u{202e}nosj.x"),
];

/// Command lines clap itself refuses, each quoting `text` back in its message.
fn refused_command_lines(text: &str) -> [Vec<String>; 3] {
    [
        vec!["check".into(), format!("--x{text}.json")],
        vec![format!("bogus{text}")],
        vec!["review".into(), "--limit".into(), format!("3{text}")],
    ]
}

/// `text` as `sanitize` shows it: each unsafe character as `\u{..}`.
fn escaped(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{0}'..='\u{8}'
            | '\u{b}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{202a}'..='\u{202e}' => {
                format!("\\u{{{:x}}}", u32::from(c))
            }
            c => c.to_string(),
        })
        .collect()
}

#[test]
fn hostile_text_in_an_argument_clap_refuses_is_shown_escaped_with_clap_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    for (what, text) in TERMINAL_ATTACKS {
        for args in refused_command_lines(text) {
            let output = run(prepdeck(dir.path()).args(&args), "");
            assert_eq!(output.status.code(), Some(2), "{what} {args:?}");
            assert!(output.stdout.is_empty(), "{what} {args:?}");
            assert_no_raw_controls(&output.stderr);
            let stderr = String::from_utf8(output.stderr).unwrap();
            // Shown, not stripped: the user sees exactly what was refused.
            assert!(
                stderr.starts_with("error: ") && stderr.contains(&escaped(text)),
                "{what} {args:?}: {stderr}"
            );
        }
    }
    // Help and version are still clap's, on standard output with exit status 0.
    for args in [&["--help"][..], &["--version"], &["review", "--help"]] {
        let output = run(prepdeck(dir.path()).args(args), "");
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert!(output.stderr.is_empty(), "{args:?}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(stdout.contains("prepdeck"), "{args:?}: {stdout}");
    }
}

/// Runs prepdeck with `args`, its standard error on a pseudo-terminal (where clap colours
/// its messages and strips nothing); returns the exit status and what the terminal got.
fn stderr_on_a_terminal(args: &[String]) -> (Option<i32>, Vec<u8>) {
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two descriptors into the integers passed; the name,
    // termios and window size pointers may be null.
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(opened, 0, "openpty");
    // SAFETY: both descriptors were just opened and are owned by nothing else.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let dir = tempfile::tempdir().unwrap();
    let mut child = prepdeck(dir.path())
        .args(args)
        .env_remove("NO_COLOR")
        .stdout(Stdio::null())
        .stderr(Stdio::from(slave))
        .spawn()
        .unwrap();
    let status = child.wait().unwrap();
    // The child is gone and the test's copy of the terminal's end went to it, so the
    // read ends (with EIO on Linux) once everything written has been read.
    let mut terminal = std::fs::File::from(master);
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = terminal.read(&mut buf) {
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    (status.code(), got)
}

#[test]
fn hostile_text_in_an_argument_clap_refuses_never_reaches_a_terminal_raw() {
    for (what, text) in TERMINAL_ATTACKS {
        for args in refused_command_lines(text) {
            let (code, got) = stderr_on_a_terminal(&args);
            assert_eq!(code, Some(2), "{what} {args:?}");
            // The terminal turns each newline into CR LF on the way out.
            let got = String::from_utf8(got).unwrap().replace("\r\n", "\n");
            assert_no_raw_controls(got.as_bytes());
            assert!(got.contains(&escaped(text)), "{what} {args:?}: {got}");
        }
    }
}

#[test]
fn hostile_text_in_a_value_prepdeck_refuses_is_escaped_once() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "\u{1b}]0;pwned\u{7}\u{202e}";
    let stderr = fails(
        prepdeck(dir.path()).args(["plan", "--interview", hostile]),
        "",
    );
    assert!(
        stderr.contains("--interview \"\\u{1b}]0;pwned\\u{7}\\u{202e}\" is not a date"),
        "{stderr}"
    );
    assert!(!stderr.contains("\\\\"), "escaped twice: {stderr}");
}

#[test]
fn hostile_ids_are_refused_and_nothing_is_written_outside_the_data_directory() {
    let base = tempfile::tempdir().unwrap();
    let data = base.path().join("data");
    std::fs::create_dir(&data).unwrap();
    for id in [
        "../escape",
        "/tmp/x",
        ".hidden",
        "Upper",
        &"a".repeat(200),
        "a/b",
        "",
    ] {
        let stderr = fails(
            prepdeck(&data).args(["add", "--deck", id, "--front", "Q", "--back", "A"]),
            "",
        );
        assert!(stderr.contains("--deck"), "{id}: {stderr}");
        // And as the id inside a deck file.
        let text = deck_json(
            &serde_json::to_string(id)
                .unwrap()
                .trim_matches('"')
                .replace('\\', ""),
            1,
        );
        install_deck(&data, "holder", &text);
        let stderr = fails(prepdeck(&data).args(["cards", "holder"]), "");
        assert!(
            stderr.contains("holder.json") && stderr.contains("deck field \"id\""),
            "{id}: {stderr}"
        );
    }
    let outside: Vec<_> = std::fs::read_dir(base.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(outside, ["data"]);
}

#[test]
fn malformed_decks_get_every_problem_listed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let text = r#"{"format_version": 1, "id": "bad", "title": "T", "description": "", "cards": [
        {"id": "dup", "front": "Q1", "back": "A1"},
        {"id": "dup", "front": "Q2", "back": "A2"},
        {"id": "Bad-Case", "front": "Q3", "back": "A3"},
        {"id": "empty", "front": "   ", "back": ""}
    ]}"#;
    let path = install_deck(data, "bad", text);
    // Outside `check`, one line: the first problem and where to see them all.
    let stderr = fails(prepdeck(data).args(["cards", "bad"]), "");
    assert!(
        stderr.contains("4 errors, the first at card 2 (\"dup\")")
            && stderr.contains("`prepdeck check ")
            && stderr.lines().count() == 1,
        "{stderr}"
    );
    let output = run(prepdeck(data).arg("check").arg(&path), "");
    assert_eq!(output.status.code(), Some(1));
    let listed = String::from_utf8(output.stdout).unwrap();
    assert!(
        listed.contains("card 2 (\"dup\")") && listed.contains("already used by card 1"),
        "{listed}"
    );
    assert!(listed.contains("card 3 (\"Bad-Case\")"), "{listed}");
    assert!(
        listed.contains("front is empty") && listed.contains("back is empty"),
        "{listed}"
    );
}

#[test]
fn a_huge_deck_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let path = install_deck(data, "huge", "");
    // 100 MB, sparse: the size check must stop it before any parsing.
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let started = Instant::now();
    let stderr = fails(prepdeck(data).args(["cards", "huge"]), "");
    assert!(stderr.contains("larger than the 16 MiB limit"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_deck_nested_ten_thousand_levels_deep_is_refused_without_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let nested = format!(
        r#"{{"format_version": 1, "id": "deep", "title": "T", "description": "", "cards": {}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    install_deck(data, "deep", &nested);
    let stderr = fails(prepdeck(data).args(["cards", "deep"]), "");
    assert!(
        stderr.contains("deep.json") && stderr.contains("line 1"),
        "{stderr}"
    );
}

#[test]
fn a_deck_with_a_hundred_thousand_cards_loads_and_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "big", &deck_json("big", 100_000));
    let out = ok(
        prepdeck(data).args(["review", "big", "--limit", "2"]),
        "\n4\n\n4\n",
    );
    assert!(out.contains("[2/2]"), "{out}");
    let decks: serde_json::Value =
        serde_json::from_str(&ok(prepdeck(data).args(["decks", "--json"]), "")).unwrap();
    let big = decks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "big")
        .unwrap()
        .clone();
    assert_eq!(big["cards"], 100_000);
}

#[test]
fn a_fifo_or_device_in_the_decks_folder_is_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    std::fs::create_dir_all(data.join("decks")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", data.join("decks/zero.json")).unwrap();
    let stderr = fails(prepdeck(data).args(["cards", "zero"]), "");
    assert!(
        stderr.contains("zero.json is not a regular file"),
        "{stderr}"
    );
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

/// Runs `cmd` to its end, or kills it and fails after `limit`: a command that waits on a
/// named pipe would otherwise hang the suite.
fn run_within(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} still running after {limit:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_named_pipe_in_place_of_a_data_file_is_refused_at_once() {
    // Each file with the commands that read it. No process ever opens the pipes' other
    // end, so a command that opened one the ordinary way would wait forever.
    let cases: [(&str, &[&[&str]]); 6] = [
        (
            "reviews.jsonl",
            &[&["stats"], &["cards", "--json"], &["review"]],
        ),
        ("state.json", &[&["stats"], &["review"]]),
        (
            "settings.json",
            &[&["stats"], &["review"], &["decks", "hide", "demo"]],
        ),
        ("plan.json", &[&["stats"], &["plan"], &["review"]]),
        ("review.lock", &[&["review"]]),
        ("reviews.jsonl.torn", &[&["review"]]),
    ];
    for (file, commands) in cases {
        for args in commands {
            let dir = tempfile::tempdir().unwrap();
            let data = dir.path();
            install_deck(data, "demo", &deck_json("demo", 2));
            if file == "reviews.jsonl.torn" {
                // Only opened to set a torn last line aside.
                std::fs::write(data.join("reviews.jsonl"), "{\"v\":1,\"kind\"").unwrap();
            }
            mkfifo(&data.join(file));
            let output = run_within(prepdeck(data).args(*args), Duration::from_secs(10));
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{file} {args:?}: {stderr}");
            assert!(
                stderr.contains(&format!(
                    "{}: it is a named pipe (FIFO), not a regular file",
                    data.join(file).display()
                )),
                "{file} {args:?}: {stderr}"
            );
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(
                !stdout.contains("[1/"),
                "{file} {args:?}: a card was shown: {stdout}"
            );
            // Left where it was, for the user to look at.
            use std::os::unix::fs::FileTypeExt;
            assert!(std::fs::symlink_metadata(data.join(file))
                .unwrap()
                .file_type()
                .is_fifo());
        }
    }
}

#[test]
fn a_device_or_directory_in_place_of_the_log_or_snapshot_is_refused() {
    for (file, what) in [("reviews.jsonl", "a device"), ("state.json", "a directory")] {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        install_deck(data, "demo", &deck_json("demo", 2));
        if what == "a device" {
            std::os::unix::fs::symlink("/dev/zero", data.join(file)).unwrap();
        } else {
            std::fs::create_dir(data.join(file)).unwrap();
        }
        let output = run_within(prepdeck(data).arg("stats"), Duration::from_secs(10));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{file}: {stderr}");
        assert!(
            stderr.contains(&format!("it is {what}, not a regular file")),
            "{file}: {stderr}"
        );
    }
}

#[test]
fn a_named_pipe_in_place_of_the_deck_index_is_only_a_cache_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 2));
    mkfifo(&data.join("deck-index.json"));
    let output = run_within(prepdeck(data).arg("decks"), Duration::from_secs(10));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("demo"));
}

#[test]
fn a_deck_file_whose_name_is_not_utf8_is_one_broken_deck_named_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 2));
    // Not a deck file by its name: ignored, as any other file there.
    let other = std::ffi::OsStr::from_bytes(b"notes-\xff.txt");
    std::fs::write(data.join("decks").join(other), "x").unwrap();
    ok(prepdeck(data).arg("decks"), "");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9-\x1b[2J.json");
    std::fs::write(data.join("decks").join(name), deck_json("cafe", 1)).unwrap();
    // Issue 19, item 11: one broken entry like any other; every command goes on.
    for args in [&["decks"][..], &["review"], &["stats"]] {
        let output = run(prepdeck(data).args(args), "\n4\n");
        assert!(output.status.success(), "{args:?}");
        assert_no_raw_controls(&output.stdout);
        assert_no_raw_controls(&output.stderr);
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains("deck file \"caf\\xe9-\\u{1b}[2J.json\"")
                && stderr.contains("not valid UTF-8"),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(log_lines(data).len(), 1);
}

#[test]
fn the_clock_going_backwards_warns_and_keeps_schedules_sane() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 2));
    ok(
        prepdeck(data).args(["review", "demo", "--limit", "1"]),
        "\n5\n",
    );
    let output = run(
        prepdeck(data)
            .args(["review", "demo"])
            .env("PREPDECK_NOW", "2026-11-20T10:00:00Z"),
        "\n4\n",
    );
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("earlier than your last answer"), "{stderr}");
    let log = log_lines(data);
    assert_eq!(log[1]["day"], "2026-11-20");
    assert_eq!(log[1]["after"]["due"], "2026-11-21");
}

#[test]
fn study_days_follow_a_time_zone_with_daylight_saving_changes() {
    // New York springs forward on 2026-03-08 at 02:00 and falls back on 2026-11-01 at 02:00.
    let cases = [
        ("2026-03-08T07:30:00Z", "2026-03-07"), // 03:30 EDT, before 04:00: still the 7th
        ("2026-03-08T08:00:00Z", "2026-03-08"), // 04:00 EDT
        ("2026-11-01T08:30:00Z", "2026-10-31"), // 03:30 EST after falling back
        ("2026-11-01T09:00:00Z", "2026-11-01"), // 04:00 EST
    ];
    for (now, day) in cases {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        install_deck(data, "demo", &deck_json("demo", 1));
        let output = run(
            prepdeck(data)
                .args(["review", "demo"])
                .env("TZ", "America/New_York")
                .env("PREPDECK_NOW", now),
            "\n4\n",
        );
        assert!(output.status.success());
        assert_eq!(log_lines(data)[0]["day"], day, "{now}");
    }
}

/// The ids of the cards of `demo` due at `now` in `tz`.
fn due_at(data: &Path, tz: &str, now: &str) -> Vec<String> {
    let out = ok(
        prepdeck(data)
            .args(["cards", "demo", "--due", "--json"])
            .env("TZ", tz)
            .env("PREPDECK_NOW", now),
        "",
    );
    let cards: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    cards
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_due_date_across_a_daylight_saving_change_starts_at_four_local_time() {
    // Berlin: CET (+01:00) until 2026-03-29 02:00, then CEST (+02:00) until 2026-10-25
    // 03:00. A due day is a local study day, which starts at 04:00 on the clock of the
    // day it starts, whatever the offset was when the card was answered.
    let berlin = "Europe/Berlin";
    struct Case {
        what: &'static str,
        /// (UTC time, grade) of each answer, all on card c1.
        answers: &'static [(&'static str, u8)],
        /// The offset of the last answer's local time.
        offset: &'static str,
        due: &'static str,
        /// 22:00 local time the evening before the due day, in UTC.
        evening_before: &'static str,
        /// 03:59:59 and 04:00:00 local time on the due day, in UTC.
        before_four: &'static str,
        at_four: &'static str,
    }
    let cases = [
        Case {
            what: "answered in winter time, due on the first day of summer time",
            answers: &[("2026-03-28T09:00:00Z", 5)], // 10:00 CET
            offset: "+01:00",
            due: "2026-03-29",
            evening_before: "2026-03-28T21:00:00Z",
            before_four: "2026-03-29T01:59:59Z", // 03:59:59 CEST (02:59:59 on a CET clock)
            at_four: "2026-03-29T02:00:00Z",
        },
        Case {
            what: "answered in summer time, due six days later in winter time",
            answers: &[("2026-10-19T08:00:00Z", 5), ("2026-10-20T08:00:00Z", 5)], // 10:00 CEST
            offset: "+02:00",
            due: "2026-10-26",
            evening_before: "2026-10-25T21:00:00Z",
            before_four: "2026-10-26T02:59:59Z", // 03:59:59 CET (04:59:59 on a CEST clock)
            at_four: "2026-10-26T03:00:00Z",
        },
    ];
    for case in cases {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        install_deck(data, "demo", &deck_json("demo", 1));
        for (now, grade) in case.answers {
            ok(
                prepdeck(data)
                    .args(["review", "demo"])
                    .env("TZ", berlin)
                    .env("PREPDECK_NOW", now),
                &format!("\n{grade}\n"),
            );
        }
        let log = log_lines(data);
        assert_eq!(log.len(), case.answers.len(), "{}", case.what);
        let last = log.last().unwrap();
        assert_eq!(last["after"]["due"], case.due, "{}", case.what);
        assert!(
            last["at"].as_str().unwrap().ends_with(case.offset),
            "{}: {last}",
            case.what
        );
        // The evening before, and a second before 04:00: not yet due.
        assert!(
            due_at(data, berlin, case.evening_before).is_empty(),
            "{}",
            case.what
        );
        assert!(
            due_at(data, berlin, case.before_four).is_empty(),
            "{}: due before 04:00 local time",
            case.what
        );
        assert_eq!(
            due_at(data, berlin, case.at_four),
            ["c1"],
            "{}: not due at 04:00 local time",
            case.what
        );
    }
}

#[test]
fn a_due_date_far_in_the_future_is_handled() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 1));
    let line = r#"{"v":1,"kind":"answer","at":"2026-11-01T10:00:00Z","card":"demo/c1","day":"2026-11-01","grade":5,"redrill":false,"after":{"reps":40,"ef":2.9,"interval":4000000000,"lapses":0,"due":"+200000-01-01"}}"#;
    std::fs::write(data.join("reviews.jsonl"), format!("{line}\n")).unwrap();
    let out = ok(prepdeck(data).args(["review", "demo"]), "");
    assert!(out.contains("Nothing to review"), "{out}");
    ok(prepdeck(data).arg("stats"), "");
    ok(
        prepdeck(data).args(["plan", "--interview", "2026-12-24"]),
        "",
    );
    ok(prepdeck(data).arg("plan"), "");
    // While the plan is active the card is pulled in before the interview...
    let cards: serde_json::Value =
        serde_json::from_str(&ok(prepdeck(data).args(["cards", "demo", "--json"]), "")).unwrap();
    let due = cards[0]["due"].as_str().unwrap();
    assert!(("2026-11-22"..="2026-12-23").contains(&due), "{cards}");
    // ...and without it SM-2's day is back.
    ok(prepdeck(data).args(["plan", "--clear"]), "");
    let cards = ok(prepdeck(data).args(["cards", "--json"]), "");
    assert!(cards.contains("+200000-01-01"), "{cards}");
}
