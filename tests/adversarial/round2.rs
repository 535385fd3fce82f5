//! Issue 19, "Hostile input, round 2": each test names the item it covers.

use super::*;
use std::os::unix::fs::PermissionsExt;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// `prepdeck` that file permissions apply to even when the suite runs as root: the
/// capabilities that override them are dropped from the child.
fn prepdeck_without_override(data: &Path) -> Command {
    let plain = prepdeck(data);
    if !is_root() {
        return plain;
    }
    let mut cmd = Command::new("setpriv");
    cmd.args([
        "--inh-caps=-dac_override,-dac_read_search",
        "--bounding-set=-dac_override,-dac_read_search",
    ])
    .arg(plain.get_program())
    .args(plain.get_args());
    for (key, value) in plain.get_envs() {
        if let Some(value) = value {
            cmd.env(key, value);
        }
    }
    cmd.stdin(Stdio::null());
    cmd
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

// Item 10: the snapshot is a cache; one that cannot be read is rebuilt from the log.
#[test]
fn an_unreadable_snapshot_is_rebuilt_from_the_log_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 3));
    ok(prepdeck(data).args(["review", "demo"]), "\n4\n\n5\n");
    let expected = ok(prepdeck(data).args(["cards", "--json"]), "");
    let snapshot = data.join("state.json");
    std::fs::set_permissions(&snapshot, std::fs::Permissions::from_mode(0o000)).unwrap();
    let output = run(
        prepdeck_without_override(data).args(["cards", "--json"]),
        "",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
    assert!(
        stderr.contains("state.json could not be read") && stderr.contains("rebuilt"),
        "{stderr}"
    );
    // A review goes on and replaces the cache with a readable one.
    let output = run(
        prepdeck_without_override(data).args(["review", "demo"]),
        "\n4\n",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(log_lines(data).len(), 3);
    let again = run(prepdeck_without_override(data).arg("stats"), "");
    assert!(again.status.success());
    assert!(!String::from_utf8_lossy(&again.stderr).contains("warning"));
}

// Item 12: the whole data directory is private.
#[test]
fn the_data_directory_and_every_file_in_it_are_private() {
    let base = tempfile::tempdir().unwrap();
    let data = base.path().join("new");
    std::fs::create_dir_all(base.path()).unwrap();
    ok(
        prepdeck(&data).args(["add", "--deck", "mine", "--front", "Q?", "--back", "A."]),
        "",
    );
    ok(prepdeck(&data).args(["review", "mine"]), "\n4\n");
    assert_eq!(mode(&data), 0o700, "data directory");
    assert_eq!(mode(&data.join("decks")), 0o700, "decks/");
    for entry in walk(&data) {
        if entry.is_file() {
            assert_eq!(mode(&entry), 0o600, "{}", entry.display());
        }
    }
    assert!(data.join("reviews.jsonl").exists());
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}

fn bare_prepdeck(cwd: &Path) -> Command {
    let mut cmd = Command::new(cargo_bin("prepdeck"));
    cmd.current_dir(cwd)
        .env_clear()
        .env("PREPDECK_NOW", NOW)
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

// Item 13: relative HOME and XDG_DATA_HOME are ignored.
#[test]
fn relative_home_and_xdg_data_home_are_ignored() {
    let base = tempfile::tempdir().unwrap();
    let cwd = base.path();
    for env in [
        &[("HOME", "relhome")][..],
        &[("XDG_DATA_HOME", "rel")],
        &[("HOME", "relhome"), ("XDG_DATA_HOME", "rel")],
    ] {
        let output = run(
            bare_prepdeck(cwd).envs(env.iter().copied()).arg("review"),
            "\n4\n",
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{env:?}: {stderr}");
        assert!(stderr.contains("--data-dir"), "{env:?}: {stderr}");
        assert!(stderr.contains("relative"), "{env:?}: {stderr}");
        assert_eq!(
            std::fs::read_dir(cwd).unwrap().count(),
            0,
            "{env:?}: wrote here"
        );
    }
    // A relative XDG_DATA_HOME beside an absolute HOME: HOME's default is used.
    let home = cwd.join("home");
    std::fs::create_dir(&home).unwrap();
    ok(
        bare_prepdeck(cwd)
            .env("HOME", &home)
            .env("XDG_DATA_HOME", "rel")
            .args(["review"]),
        "\n4\n",
    );
    assert!(home.join(".local/share/prepdeck/reviews.jsonl").exists());
    assert!(!cwd.join("rel").exists());
}

// Item 14: an empty PREPDECK_DATA_DIR means unset, as an empty PREPDECK_NOW does.
#[test]
fn an_empty_prepdeck_data_dir_means_unset() {
    let base = tempfile::tempdir().unwrap();
    let home = base.path().join("home");
    std::fs::create_dir(&home).unwrap();
    ok(
        bare_prepdeck(base.path())
            .env("HOME", &home)
            .env("PREPDECK_DATA_DIR", "")
            .env("PREPDECK_NOW", "")
            .arg("review"),
        "\n4\n",
    );
    assert!(home.join(".local/share/prepdeck/reviews.jsonl").exists());
    // And a set one is still used.
    let chosen = base.path().join("chosen");
    ok(
        bare_prepdeck(base.path())
            .env("HOME", &home)
            .env("PREPDECK_DATA_DIR", &chosen)
            .arg("review"),
        "\n4\n",
    );
    assert!(chosen.join("reviews.jsonl").exists());
}

// Item 17: under a live review, an incomplete last line is the answer being written.
#[test]
fn a_reader_says_nothing_of_a_torn_tail_while_a_review_holds_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 3));
    let mut live = Live::start(data, "demo");
    live.wait_for("[1/");
    // Half a line, as the review would have written it an instant before its fsync.
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(data.join("reviews.jsonl"))
        .unwrap();
    log.write_all(br#"{"v":1,"kind":"ans"#).unwrap();
    for args in [&["stats"][..], &["cards", "--json"]] {
        let output = run(prepdeck(data).args(args), "");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?}: {stderr}");
        assert!(!stderr.contains("incomplete"), "{args:?}: {stderr}");
    }
    live.kill();
    // With no writer left, the same line is what a crash leaves: said so.
    let output = run(prepdeck(data).arg("stats"), "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("incomplete"), "{stderr}");
}

// Item 7: a TZ file is read only if it is a regular file of bounded size; an unknown
// zone is UTC, with a one-line warning.
#[test]
fn a_hostile_or_unknown_tz_falls_back_to_utc_with_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    install_deck(&data, "demo", &deck_json("demo", 2));
    let fifo = dir.path().join("zone");
    mkfifo(&fifo);
    let fifo = fifo.to_str().unwrap().to_owned();
    for tz in [
        "/dev/zero",
        fifo.as_str(),
        "Mars/Olympus",
        "/etc/passwd",
        "Europe",
    ] {
        let output = run_within(
            prepdeck(&data).env("TZ", tz).arg("stats"),
            Duration::from_secs(20),
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{tz}: {stderr}");
        let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
        assert_eq!(warnings.len(), 1, "{tz}: {stderr}");
        assert!(
            warnings[0].contains("TZ=") && warnings[0].contains("using UTC"),
            "{tz}: {stderr}"
        );
    }
    // /dev/stdin as the zone would have eaten the answers typed for the review.
    let output = run(
        prepdeck(&data)
            .env("TZ", "/dev/stdin")
            .args(["review", "demo"]),
        "\n4\n\n4\n",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(log_lines(&data).len(), 2);
    // A real zone is used without a word.
    let output = run(prepdeck(&data).env("TZ", "Europe/Berlin").arg("stats"), "");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `cmd` run by a shell with its standard output closed (`>&-`).
fn with_stdout_closed(cmd: &Command) -> Command {
    let mut shell = Command::new("sh");
    shell
        .arg("-c")
        .arg("exec \"$0\" \"$@\" >&-")
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            shell.env(key, value);
        }
    }
    shell
}

fn full_disk() -> std::fs::File {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
}

// Item 4: with standard output closed, nothing is recorded and the exit is non-zero.
#[test]
fn a_review_with_standard_output_closed_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 3));
    let output = run(
        &mut with_stdout_closed(prepdeck(data).arg("review")),
        "\n4\n\n4\nq\n",
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("standard output is closed"), "{stderr}");
    assert!(log_lines(data).is_empty());
    for args in [&["stats"][..], &["--help"], &["--version"], &["decks"]] {
        let output = run(&mut with_stdout_closed(prepdeck(data).args(args)), "");
        assert_eq!(output.status.code(), Some(1), "{args:?}");
    }
}

// Item 4: output that cannot be written (a full disk) fails every command, help included.
#[test]
fn every_command_fails_when_its_output_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 3));
    let deck_file = dir.path().join("other.json");
    std::fs::write(&deck_file, deck_json("other", 1)).unwrap();
    let deck_file = deck_file.to_str().unwrap();
    let commands: &[&[&str]] = &[
        &["--help"],
        &["--version"],
        &["review", "--help"],
        &["review"],
        &["stats"],
        &["stats", "--json"],
        &["cards"],
        &["decks"],
        &["decks", "--json"],
        &["plan"],
        &["check", deck_file],
        &["import", deck_file, "--dry-run"],
        &["export", "demo"],
        &["completions", "bash"],
    ];
    for args in commands {
        let output = prepdeck(data)
            .args(*args)
            .stdin(Stdio::null())
            .stdout(full_disk())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("could not write standard output"),
            "{args:?}: {stderr}"
        );
    }
    assert!(log_lines(data).is_empty());
}

// Item 8: a prompt line over 64 KiB is refused without being echoed, and the prompt
// asked again.
#[test]
fn a_prompt_line_over_64_kib_is_refused_unechoed_and_asked_again() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 2));
    let long = "4".repeat(1 << 20);
    let input = format!("{long}\n\n{long}\n5\n");
    // Written on a thread of its own: a build that echoed the line would otherwise
    // block on its full output pipe while this test blocked on its input.
    let mut child = prepdeck(data)
        .args(["review", "demo"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!stdout.contains("4444"), "the long line was echoed");
    assert!(stdout.len() < 10_000, "{} bytes of output", stdout.len());
    assert_eq!(stdout.matches("longer than 64 KiB").count(), 2, "{stdout}");
    let grades: Vec<u64> = log_lines(data)
        .iter()
        .map(|l| l["grade"].as_u64().unwrap())
        .collect();
    assert_eq!(grades, [5]);
}

/// A review of `demo` whose first answer is saved (the second card is shown), with
/// everything it printed so far.
struct Reviewing {
    child: Child,
    stdout: std::sync::Arc<std::sync::Mutex<String>>,
    reader: std::thread::JoinHandle<()>,
}

fn review_after_one_answer(data: &Path) -> Reviewing {
    let mut child = prepdeck(data)
        .args(["review", "demo"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let reader = {
        let (mut pipe, seen) = (child.stdout.take().unwrap(), stdout.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut buf) {
                seen.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    };
    let stdin = child.stdin.as_mut().unwrap();
    stdin.write_all(b"\n4\n").unwrap();
    stdin.flush().unwrap();
    // The next card is shown only once the answer is saved and checked.
    assert!(poll_until(&mut child, || stdout
        .lock()
        .unwrap()
        .contains("[2/")));
    assert_eq!(log_lines(data).len(), 1);
    Reviewing {
        child,
        stdout,
        reader,
    }
}

/// Sends `input` and the end of input, and returns what the review printed.
fn finish(mut review: Reviewing, input: &str) -> (Option<i32>, String, String) {
    let mut stdin = review.child.stdin.take().unwrap();
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    let output = review.child.wait_with_output().unwrap();
    review.reader.join().unwrap();
    let stdout = review.stdout.lock().unwrap().clone();
    (
        output.status.code(),
        stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

// Item 3: a log replaced during a review (as sync tools do) stops it; nothing is
// acknowledged that is not in the live log.
#[test]
fn a_log_replaced_during_a_review_stops_it_before_the_next_card() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 4));
    let child = review_after_one_answer(data);
    let log = data.join("reviews.jsonl");
    let copy = data.join(".t");
    std::fs::copy(&log, &copy).unwrap();
    std::fs::rename(&copy, &log).unwrap();
    let (code, stdout, stderr) = finish(child, "\n4\n\n4\n");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("your last answer was NOT saved")
            && stderr.contains("replaced by another file"),
        "{stderr}"
    );
    // The second card was answered, refused, and the third never shown.
    assert!(stdout.contains("[2/"), "{stdout}");
    assert!(!stdout.contains("[3/"), "{stdout}");
    assert_eq!(log_lines(data).len(), 1);
    // The next review goes on from the file that is there.
    ok(prepdeck(data).args(["review", "demo"]), "\n4\n");
    assert_eq!(log_lines(data).len(), 2);
}

// Item 3: the data directory deleted during a review: an error, and no promise of a
// rebuild "from the log" that is gone.
#[test]
fn a_data_directory_deleted_during_a_review_is_an_error_without_false_promises() {
    for answer_after in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        install_deck(&data, "demo", &deck_json("demo", 3));
        let child = review_after_one_answer(&data);
        std::fs::remove_dir_all(&data).unwrap();
        let input = if answer_after { "\n4\n" } else { "q\n" };
        let (code, stdout, stderr) = finish(child, input);
        assert_eq!(code, Some(1), "{answer_after}: {stderr}");
        assert!(
            stderr.contains("reviews.jsonl was removed"),
            "{answer_after}: {stderr}"
        );
        assert!(
            !stderr.contains("rebuilt from the log"),
            "{answer_after}: {stderr}"
        );
        assert!(!stdout.contains("[3/"), "{stdout}");
        assert_eq!(
            stderr.contains("NOT saved"),
            answer_after,
            "{answer_after}: {stderr}"
        );
    }
}
