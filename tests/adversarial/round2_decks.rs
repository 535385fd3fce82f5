//! Issue 19, "Hostile input, round 2": export, output and deck-file items (1, 2, 5, 6,
//! 11, 15). The data-directory, terminal and log items are in round2.rs.

use super::*;

// Item 1: `export -o` writes to a pipe or device as a shell's `>` does, replaces only
// regular files and new paths, and never writes inside the data directory.
#[test]
fn export_writes_through_pipes_and_devices_and_replaces_only_files() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    install_deck(&data, "demo", &deck_json("demo", 2));
    let expected = ok(prepdeck(&data).args(["export", "demo"]), "");

    // A named pipe: written to, and still a pipe.
    let fifo = dir.path().join("p");
    mkfifo(&fifo);
    let (tx, received) = mpsc::channel();
    {
        let fifo = fifo.clone();
        std::thread::spawn(move || tx.send(std::fs::read_to_string(fifo).unwrap()));
    }
    ok(
        prepdeck(&data).args(["export", "demo", "-o"]).arg(&fifo),
        "",
    );
    // Checked first: had the pipe been replaced, its reader would wait for ever.
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    let text = received.recv_timeout(Duration::from_secs(20)).unwrap();
    assert_eq!(text, expected);

    // A character device: written to, never replaced (as root this was /dev/null).
    ok(
        prepdeck(&data).args(["export", "demo", "-o", "/dev/null"]),
        "",
    );
    let null = std::fs::symlink_metadata("/dev/null").unwrap();
    assert!(null.file_type().is_char_device());

    // /dev/stdout, a pipe here.
    assert_eq!(
        ok(
            prepdeck(&data).args(["export", "demo", "-o", "/dev/stdout"]),
            ""
        ),
        expected
    );

    // A directory is an error.
    let stderr = fails(
        prepdeck(&data)
            .args(["export", "demo", "-o"])
            .arg(dir.path()),
        "",
    );
    assert!(stderr.contains("is a directory"), "{stderr}");
}

#[test]
fn export_to_a_process_substitution_works() {
    if Command::new("bash").arg("-c").arg("true").status().is_err() {
        eprintln!("no bash here; nothing to check");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    install_deck(&data, "demo", &deck_json("demo", 2));
    let expected = ok(prepdeck(&data).args(["export", "demo"]), "");
    let out = dir.path().join("x");
    let cmd = prepdeck(&data);
    let status = Command::new("bash")
        .arg("-c")
        .arg("\"$0\" \"$@\" export demo -o >(cat > \"$OUT\"); wait")
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env("OUT", &out)
        .status()
        .unwrap();
    assert!(status.success());
    // The substituted process may finish just after bash does.
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_to_string(&out).unwrap_or_default() != expected && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);
}

#[test]
fn export_refuses_every_path_inside_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    install_deck(&data, "demo", &deck_json("demo", 2));
    ok(prepdeck(&data).args(["review", "demo"]), "\n4\n");
    let log_before = std::fs::read(data.join("reviews.jsonl")).unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(data.join("reviews.jsonl"), &link).unwrap();
    std::os::unix::fs::symlink(&data, dir.path().join("data-link")).unwrap();
    for target in [
        data.join("reviews.jsonl"),
        data.join("state.json"),
        data.join("decks/new.json"),
        data.join("decks/demo.json"),
        data.join("fresh.json"),
        link,
        dir.path().join("data-link/reviews.jsonl"),
        data.join("decks/../reviews.jsonl"),
    ] {
        let stderr = fails(
            prepdeck(&data).args(["export", "demo", "-o"]).arg(&target),
            "",
        );
        assert!(
            stderr.contains("inside the data directory"),
            "{}: {stderr}",
            target.display()
        );
    }
    assert_eq!(
        std::fs::read(data.join("reviews.jsonl")).unwrap(),
        log_before
    );
    assert!(!data.join("decks/new.json").exists() && !data.join("fresh.json").exists());
    // A relative path from inside the data directory is refused as well.
    let stderr = fails(
        prepdeck(&data)
            .current_dir(&data)
            .args(["export", "demo", "-o", "reviews.jsonl"]),
        "",
    );
    assert!(stderr.contains("inside the data directory"), "{stderr}");
}

/// Every character any output must neutralise (item 5): C0 except newline and tab,
/// DEL, C1, bidi controls and marks, U+FEFF, U+2028 and U+2029.
fn raw_unsafe(bytes: &[u8]) -> Option<char> {
    String::from_utf8_lossy(bytes).chars().find(|&c| {
        (c < ' ' && c != '\n' && c != '\t')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
            || matches!(
                c,
                '\u{200e}' | '\u{200f}' | '\u{61c}' | '\u{feff}' | '\u{2028}' | '\u{2029}'
            )
    })
}

// Item 5: one neutralising function for every path; over every command's output.
#[test]
fn no_command_prints_a_control_bidi_or_separator_character_raw() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    install_deck(&data, "demo", &deck_json("demo", 2));
    let hostile = "x\u{9b}2J\u{202e}\u{7f}\u{feff}\u{2028}\u{2029}\u{200f}";
    // A broken deck file and a deck file to check, both named with the characters, the
    // second also carrying them (as escapes) in its id, a card id, a title and a tag.
    std::fs::write(data.join("decks").join(format!("{hostile}.json")), "{}").unwrap();
    let bad = dir.path().join(format!("{hostile}.json"));
    let escaped = serde_json::to_string(hostile).unwrap();
    std::fs::write(
        &bad,
        format!(
            r#"{{"format_version":1,"id":{escaped},"title":{escaped},"description":"","cards":[{{"id":{escaped},"front":{escaped},"back":"b","tags":[{escaped}]}}]}}"#
        ),
    )
    .unwrap();
    let tsv = dir.path().join(format!("{hostile}.tsv"));
    std::fs::write(&tsv, format!("{hostile}\tback\n")).unwrap();
    let commands: Vec<Vec<std::ffi::OsString>> = [
        &["decks"][..],
        &["decks", "--json"],
        &["stats"],
        &["stats", "--json"],
        &["cards"],
        &["cards", "--json"],
        &["plan"],
        &["plan", "--json"],
        &["review"],
        &["export", "demo"],
        &["export", "demo", "--format", "tsv"],
        &["decks", "hide", hostile],
        &["remove", hostile, "--yes"],
        &["export", hostile],
        &["add", "--deck", hostile, "--front", hostile, "--back", "b"],
        &["review", hostile],
    ]
    .iter()
    .map(|args| args.iter().map(Into::into).collect())
    .chain([&bad, &tsv].iter().flat_map(|file| {
        [
            vec!["check".into(), file.as_os_str().to_owned()],
            vec!["check".into(), "--json".into(), file.as_os_str().to_owned()],
            vec![
                "import".into(),
                "--dry-run".into(),
                file.as_os_str().to_owned(),
            ],
            vec![
                "import".into(),
                "--dry-run".into(),
                "--json".into(),
                file.as_os_str().to_owned(),
            ],
        ]
    }))
    .collect();
    for args in &commands {
        let output = run(prepdeck(&data).args(args), "\n4\nq\n");
        for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
            assert_eq!(
                raw_unsafe(bytes),
                None,
                "{args:?} {stream}: {}",
                String::from_utf8_lossy(bytes)
            );
        }
        if args.iter().any(|a| a == "--json") && output.status.success() {
            let parsed: Result<serde_json::Value, _> = serde_json::from_slice(&output.stdout);
            assert!(parsed.is_ok(), "{args:?}: not JSON");
        }
    }
    // JSON says the same text, escaped: it reads back as the original characters.
    let report = run(prepdeck(&data).arg("check").arg("--json").arg(&bad), "");
    let text = String::from_utf8(report.stdout).unwrap();
    assert!(
        text.contains("\\u009b") && text.contains("\\u2028"),
        "{text}"
    );
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(parsed.to_string().contains('\u{9b}'));
}

// Item 6: a card side (or title) with nothing visible is refused.
#[test]
fn a_side_with_only_invisible_characters_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let invisible = [
        "\u{200b}",
        "\u{2060}",
        "\u{ad}",
        "\u{3164}",
        "\u{2800}",
        "\u{e0041}\u{e0042}",
        "\u{301}\u{302}",
        " \u{200b} \u{feff}",
    ];
    for text in invisible {
        let stderr = fails(
            prepdeck(&data).args(["add", "--deck", "mine", "--front", "Q?", "--back", text]),
            "",
        );
        assert!(
            stderr.contains("nothing visible") || stderr.contains("U+FEFF"),
            "{text:?}: {stderr}"
        );
        let file = dir.path().join("d.tsv");
        std::fs::write(&file, format!("{text}\tan answer\n")).unwrap();
        let output = run(prepdeck(&data).arg("check").arg(&file), "");
        assert_eq!(output.status.code(), Some(1), "{text:?}");
        let report = String::from_utf8_lossy(&output.stdout);
        assert!(
            report.contains("nothing visible") || report.contains("U+FEFF"),
            "{text:?}: {report}"
        );
        fails(prepdeck(&data).arg("import").arg(&file), "");
    }
    assert!(!data.join("decks/mine.json").exists());
    assert!(!data.join("decks/d.json").exists());
    // Visible text with such characters inside it is fine: a combining accent on a
    // letter, a soft hyphen in a long word.
    ok(
        prepdeck(&data).args([
            "add",
            "--deck",
            "mine",
            "--front",
            "Cafe\u{301}?",
            "--back",
            "de\u{ad}escalate",
        ]),
        "",
    );
}

// Item 15: a lone carriage return in a TSV row is reported where it is, and does not
// split the row into two cards.
#[test]
fn a_lone_carriage_return_in_a_tsv_row_is_reported_at_its_own_position() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("cr.tsv");
    std::fs::write(
        &file,
        "Q1\tA1\tt\nfront one\rstill front\tthe back\tt\nQ3\tA3\tt\n",
    )
    .unwrap();
    let output = run(prepdeck(&data).arg("check").arg(&file), "");
    assert_eq!(output.status.code(), Some(1));
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(
        report.contains("line 2, column 10: error: a carriage return (U+000D) without a newline"),
        "{report}"
    );
    assert!(report.contains("(1 error, 0 warnings)"), "{report}");
    fails(prepdeck(&data).arg("import").arg(&file), "");
    assert!(!data.join("decks/cr.json").exists());
    // Inside a quoted field too; Windows line endings are fine.
    std::fs::write(&file, "Q1\t\"A1 \r more\"\tt\r\nQ2\tA2\tt\r\n").unwrap();
    let output = run(prepdeck(&data).arg("check").arg(&file), "");
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(
        report.contains("line 1, column 8: error: a carriage return"),
        "{report}"
    );
    std::fs::write(&file, "Q1\tA1\tt\r\nQ2\tA2\tt\r\n").unwrap();
    ok(prepdeck(&data).arg("check").arg(&file), "");
}

// Item 11: a broken deck file whose name is no id (or not UTF-8) is listed by `decks`
// under a name `remove` takes.
#[test]
fn a_broken_deck_file_is_removable_by_the_name_decks_shows() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    install_deck(data, "demo", &deck_json("demo", 1));
    let decks = data.join("decks");
    std::fs::write(decks.join("UPPER.json"), "{}").unwrap();
    std::fs::write(
        decks.join("mine (conflicted copy).json"),
        deck_json("mine", 1),
    )
    .unwrap();
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9-\x1b[2J.json");
    std::fs::write(decks.join(odd), "{}").unwrap();
    let listed: serde_json::Value =
        serde_json::from_str(&ok(prepdeck(data).args(["decks", "--json"]), "")).unwrap();
    let broken: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["error"].is_null())
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(broken.len(), 3, "{listed}");
    let shown = ok(prepdeck(data).arg("decks"), "");
    for name in ["UPPER", "mine (conflicted copy)", "caf\\xe9-\\u{1b}[2J"] {
        assert!(shown.contains(name), "{name}: {shown}");
        let out = ok(prepdeck(data).args(["remove", name, "--yes"]), "");
        assert!(out.contains("Removed deck"), "{out}");
    }
    let left: Vec<_> = std::fs::read_dir(&decks)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("demo.json")]);
    // A name that is neither an id nor a broken file is still refused as before.
    let stderr = fails(prepdeck(data).args(["remove", "Nope", "--yes"]), "");
    assert!(stderr.contains("DECK:"), "{stderr}");
}

/// A deck of `cards` cards as compact JSON, each back `back_len` characters long.
fn compact_deck(id: &str, cards: usize, back_len: usize) -> String {
    let filler = "x".repeat(back_len);
    let cards: Vec<serde_json::Value> = (1..=cards)
        .map(|i| {
            serde_json::json!({"id": format!("c{i}"), "front": format!("Question {i}"), "back": format!("Answer {filler}"), "tags": ["t"]})
        })
        .collect();
    serde_json::json!({"format_version": 1, "id": id, "title": "T", "description": "", "cards": cards}).to_string()
}

// Item 2: one limit, checked on what would be written: `check` and `import` agree, and
// `add` cannot push a deck past it.
#[test]
fn the_deck_size_limit_is_checked_on_what_would_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // About 15.8 MiB compact (under the limit as a file), over 16 MiB pretty, as
    // prepdeck writes it.
    let text = compact_deck("big", 20_000, 760);
    assert!(text.len() < 16 << 20, "{}", text.len());
    let file = dir.path().join("big.json");
    std::fs::write(&file, &text).unwrap();
    let output = run(prepdeck(&data).arg("check").arg(&file), "");
    assert_eq!(output.status.code(), Some(1));
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(
        report.contains("as prepdeck writes it, over the 16 MiB limit for a deck"),
        "{report}"
    );
    assert!(report.contains(" MiB as prepdeck writes it"), "{report}");
    let stderr = fails(prepdeck(&data).arg("import").arg(&file), "");
    assert!(stderr.contains("over the 16 MiB limit"), "{stderr}");
    assert!(!data.join("decks/big.json").exists());
    // A deck file already that large (written by hand, compact) still loads, but `add`
    // does not grow it into one that no command could read.
    install_deck(&data, "big", &text);
    let before = std::fs::read(data.join("decks/big.json")).unwrap();
    let stderr = fails(
        prepdeck(&data).args([
            "add",
            "--deck",
            "big",
            "--front",
            "One more?",
            "--back",
            "No.",
        ]),
        "",
    );
    assert!(
        stderr.contains("the card was not added") && stderr.contains("16 MiB"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(data.join("decks/big.json")).unwrap(), before);
    // Under the limit as written: both accept.
    std::fs::write(&file, compact_deck("big", 1_000, 150)).unwrap();
    ok(prepdeck(&data).arg("check").arg(&file), "");
}
