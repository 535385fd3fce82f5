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
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.seen.contains(marker) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(chunk) => self.seen.push_str(&String::from_utf8_lossy(&chunk)),
                Err(_) => panic!("{marker:?} never appeared; output so far:\n{}", self.seen),
            }
        }
    }

    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

#[test]
fn sigkill_at_fifty_random_moments_never_loses_an_answer_that_was_followed_by_the_next_card() {
    let mut rng = Lcg(0x5eed_2026);
    for run in 0..50 {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        install_deck(data, "demo", &deck_json("demo", 8));
        let k = rng.next(6) as usize; // answers confirmed by the next card's header
        let racing = rng.next(2) == 1; // also send answer k+1 and kill without waiting
        let mut live = Live::start(data, "demo");
        live.wait_for("[1/");
        for i in 1..=k {
            let grade = 4 + rng.next(2);
            live.send(&format!("\n{grade}\n"));
            live.wait_for(&format!("[{}/", i + 1));
        }
        if racing {
            live.send("\n5\n");
            std::thread::sleep(Duration::from_micros(rng.next(3000)));
        }
        live.kill();

        let logged = log_lines(data).len();
        let answered = answered_cards(data);
        if racing {
            assert!(
                logged == k || logged == k + 1,
                "run {run}: k={k} logged={logged}"
            );
        } else {
            assert_eq!(logged, k, "run {run}");
        }
        assert_eq!(
            answered, logged,
            "run {run}: cards --json disagrees with the log"
        );
        // The next session works and continues where the last one stopped.
        let out = ok(prepdeck(data).args(["review", "demo"]), "\n5\n");
        assert!(out.contains("[1/"), "run {run}: {out}");
        assert_eq!(log_lines(data).len(), logged + 1, "run {run}");
    }
}

#[test]
fn sigkill_while_the_snapshot_is_written_leaves_a_usable_state() {
    let mut rng = Lcg(7);
    for run in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        install_deck(data, "demo", &deck_json("demo", 30));
        ok(
            prepdeck(data).args(["review", "demo", "--limit", "10"]),
            &"\n4\n".repeat(10),
        );
        // Answer everything, close input (the session ends and saves the snapshot), kill soon after.
        let mut child = prepdeck(data)
            .args(["review", "demo", "--new", "30"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all("\n5\n".repeat(20).as_bytes())
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.next(20_000)));
        let _ = child.kill();
        child.wait().unwrap();

        // state.json is the old snapshot or the new one, whole; never half-written.
        let snapshot = std::fs::read(data.join("state.json")).unwrap();
        serde_json::from_slice::<serde_json::Value>(&snapshot)
            .unwrap_or_else(|e| panic!("run {run}: torn snapshot: {e}"));
        // Whatever the snapshot holds, the cards agree with a rebuild from the log alone.
        let with_snapshot = ok(prepdeck(data).args(["cards", "--json"]), "");
        std::fs::remove_file(data.join("state.json")).unwrap();
        let from_log = ok(prepdeck(data).args(["cards", "--json"]), "");
        assert_eq!(with_snapshot, from_log, "run {run}");
    }
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
    let first_newline = bytes.iter().position(|&b| b == b'\n').unwrap();
    bytes[first_newline - 3] = 0xff;
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
    // An empty deck file is an invalid deck, named with its place.
    install_deck(data, "blank", "");
    let stderr = fails(prepdeck(data).arg("decks"), "");
    assert!(
        stderr.contains("blank.json") && stderr.contains("line 1"),
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
        for args in [&["review", "evil"][..], &["cards"], &["decks"], &["stats"]] {
            let stderr = fails(prepdeck(data).args(args), "\n4\n");
            assert!(
                stderr.contains("evil.json") && stderr.contains("card 1 (\"c1\")"),
                "{what}: {stderr}"
            );
            assert!(stderr.contains("control character"), "{what}: {stderr}");
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
        let stderr = fails(prepdeck(&data).arg("decks"), "");
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
    install_deck(data, "bad", text);
    let stderr = fails(prepdeck(data).arg("cards"), "");
    assert!(stderr.contains("(4 errors)"), "{stderr}");
    assert!(
        stderr.contains("card 2 (\"dup\")") && stderr.contains("already used by card 1"),
        "{stderr}"
    );
    assert!(stderr.contains("card 3 (\"Bad-Case\")"), "{stderr}");
    assert!(
        stderr.contains("front is empty") && stderr.contains("back is empty"),
        "{stderr}"
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
    let stderr = fails(prepdeck(data).arg("decks"), "");
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
    let stderr = fails(prepdeck(data).arg("decks"), "");
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
    let stderr = fails(prepdeck(data).arg("decks"), "");
    assert!(
        stderr.contains("zero.json is not a regular file"),
        "{stderr}"
    );
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
