//! `prepdeck import`: installing decks, refusing bad ones, and never leaving half a deck.

mod common;

use common::{deck_json, ids, Env};
use predicates::prelude::*;

#[test]
fn a_json_deck_is_installed_under_its_own_id() {
    let env = Env::new();
    let file = env.write(
        "whatever.json",
        &deck_json("my-stories", "1", &[("a", "Q?", "A.")]),
    );
    env.cmd()
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Deck my-stories installed: 1 card (",
        ));
    assert!(env.deck_file("my-stories").is_file());
    assert_eq!(ids(&env.cards("my-stories")), ["a"]);
}

#[test]
fn deck_flag_installs_a_json_deck_under_another_id() {
    let env = Env::new();
    let file = env.write("d.json", &deck_json("original", "1", &[("a", "Q?", "A.")]));
    env.cmd()
        .arg("import")
        .arg(&file)
        .args(["--deck", "renamed"])
        .assert()
        .success();
    let installed = std::fs::read_to_string(env.deck_file("renamed")).unwrap();
    assert!(installed.contains("\"id\": \"renamed\""), "{installed}");
    assert!(!env.deck_file("original").exists());
}

#[test]
fn a_text_file_gets_its_deck_id_from_the_file_name_and_card_ids_from_fronts() {
    let env = Env::new();
    let file = env.write(
        "Customer Stories.csv",
        "front,back,tags\nHow do you calm an angry customer?,Listen first.,tip calm\n\"A, B\",\"two\nlines\",\n",
    );
    env.cmd().arg("import").arg(&file).assert().success();
    let cards = env.cards("customer-stories");
    assert_eq!(ids(&cards), ["how-do-you-calm-an-angry-customer", "a-b"]);
    assert_eq!(cards[0]["tags"], serde_json::json!(["tip", "calm"]));
    assert_eq!(cards[1]["back"], "two\nlines");
}

#[test]
fn warnings_go_to_stderr_and_the_deck_is_still_installed() {
    let env = Env::new();
    let file = env.write("notags.tsv", "Q1\tA1\n");
    env.cmd()
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .stderr(format!(
            "prepdeck: warning: {}: line 1 (card \"q1\"): the card has no tags\n",
            file.display()
        ));
    assert!(env.deck_file("notags").is_file());
}

#[test]
fn an_invalid_deck_is_refused_and_the_installed_version_stays_byte_for_byte() {
    let env = Env::new();
    let v1 = env.write("v1.json", &deck_json("mine", "1", &[("a", "Q?", "A.")]));
    env.cmd().arg("import").arg(&v1).assert().success();
    let before = std::fs::read(env.deck_file("mine")).unwrap();
    let broken = env.write(
        "v2.json",
        &deck_json("mine", "2", &[("a", "Q?", "A."), ("a", "Dup?", "B.")]),
    );
    env.cmd()
        .arg("import")
        .arg(&broken)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is already used by card 1"));
    assert_eq!(std::fs::read(env.deck_file("mine")).unwrap(), before);
}

#[test]
fn dry_run_shows_the_summary_and_writes_nothing() {
    let env = Env::new();
    let file = env.write("d.json", &deck_json("mine", "1", &[("a", "Q?", "A.")]));
    env.cmd()
        .arg("import")
        .arg(&file)
        .arg("--dry-run")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Deck mine would be installed: 1 card",
        ))
        .stdout(predicate::str::contains("Dry run: nothing was written."));
    assert!(
        !env.data().exists(),
        "a dry run must not even create the data directory"
    );
}

#[test]
fn built_in_deck_ids_are_refused_by_import_and_add() {
    let env = Env::new();
    let file = env.write(
        "d.json",
        &deck_json("why-they-ask", "1", &[("a", "Q?", "A.")]),
    );
    env.cmd()
        .arg("import")
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "why-they-ask is the id of a built-in deck and cannot be replaced",
        ));
    let other = env.write("o.json", &deck_json("other", "1", &[("a", "Q?", "A.")]));
    env.cmd()
        .arg("import")
        .arg(&other)
        .args(["--deck", "why-they-ask"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("built-in deck"));
    env.cmd()
        .args([
            "add",
            "--deck",
            "why-they-ask",
            "--front",
            "Q",
            "--back",
            "A",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is a built-in deck"));
    assert!(Env::files_under(&env.data().join("decks")).is_empty());
}

#[test]
fn malicious_deck_ids_are_refused_before_any_file_is_touched() {
    let env = Env::new();
    let file = env.write("d.json", &deck_json("fine", "1", &[("a", "Q?", "A.")]));
    let long = "a".repeat(200);
    for bad in [
        "../x",
        "/etc/passwd",
        ".hidden",
        "UPPER",
        "a/b",
        "",
        long.as_str(),
    ] {
        env.cmd()
            .arg("import")
            .arg(&file)
            .args(["--deck", bad])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("--deck: "));
    }
    assert!(
        !env.data().exists(),
        "nothing may be created for a refused id"
    );
    assert!(!env.path("x.json").exists());
}

#[test]
fn a_json_deck_with_a_traversal_id_is_refused() {
    let env = Env::new();
    let file = env.write(
        "d.json",
        &deck_json("../../escape", "1", &[("a", "Q?", "A.")]),
    );
    env.cmd()
        .arg("import")
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "deck field \"id\": id \"../../escape\"",
        ));
    assert!(Env::files_under(env.path("").as_path())
        .iter()
        .all(|p| !p.ends_with("escape.json")));
}

#[test]
fn hidden_or_unusable_file_names_need_an_explicit_deck_id() {
    let env = Env::new();
    let hidden = env.write(".hidden.tsv", "Q\tA\tt\n");
    env.cmd()
        .arg("import")
        .arg(&hidden)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "is hidden (starts with '.'); pass --deck ID",
        ));
    env.cmd()
        .arg("import")
        .arg(&hidden)
        .args(["--deck", "visible"])
        .assert()
        .success();
    let symbols = env.write("¿¡.tsv", "Q\tA\tt\n");
    env.cmd()
        .arg("import")
        .arg(&symbols)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot make a deck id from the file name",
        ));
}

#[test]
fn long_or_upper_case_file_names_are_slugged_into_valid_ids() {
    let env = Env::new();
    let name = format!("{}.tsv", "Interview Prep ".repeat(14).trim());
    let file = env.write(&name, "Q\tA\tt\n");
    env.cmd().arg("import").arg(&file).assert().success();
    let decks = Env::files_under(&env.data().join("decks"));
    assert_eq!(decks.len(), 1);
    let stem = decks[0].file_stem().unwrap().to_str().unwrap().to_owned();
    assert!(
        stem.len() <= 48 && stem.starts_with("interview-prep-"),
        "{stem}"
    );
    assert_eq!(stem, stem.to_ascii_lowercase());
}

#[test]
fn a_directory_or_fifo_is_not_read_as_a_deck() {
    let env = Env::new();
    env.cmd()
        .arg("import")
        .arg(env.path(""))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a regular file"));

    // Opening a FIFO with no writer blocks for ever, and reading one never ends while a
    // writer keeps it open: it must be refused before it is opened. The time limit turns
    // a regression into a failure instead of a hung test run.
    #[cfg(unix)]
    {
        let fifo = env.path("deck.json");
        let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: mkfifo reads the NUL-terminated path only for the duration of the call.
        let made = unsafe { libc::mkfifo(name.as_ptr(), 0o600) };
        assert_eq!(made, 0, "mkfifo: {}", std::io::Error::last_os_error());
        let limit = std::time::Duration::from_secs(20);
        env.cmd()
            .arg("import")
            .arg(&fifo)
            .timeout(limit)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("is not a regular file"));
        assert!(!env.deck_file("deck").exists());
        // `check` reads files through the same function and reports it as a finding.
        env.cmd()
            .arg("check")
            .arg(&fifo)
            .timeout(limit)
            .assert()
            .code(1)
            .stdout(predicate::str::contains("is not a regular file"));
    }
}

#[test]
fn the_same_version_again_writes_nothing() {
    let env = Env::new();
    let file = env.write("d.json", &deck_json("mine", "1", &[("a", "Q?", "A.")]));
    env.cmd().arg("import").arg(&file).assert().success();
    env.cmd()
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .stdout("Deck mine is already this version (1 card); nothing was written.\n");
}

/// A deck with `n` cards whose text depends on `edition`, as written by prepdeck.
fn big_deck(edition: &str, n: usize) -> String {
    let cards: Vec<(String, String, String)> = (0..n)
        .map(|i| {
            (
                format!("card-{i}"),
                format!("Question {i} of edition {edition}: how do you handle customer {i}?"),
                format!("Answer {i}, edition {edition}: listen, acknowledge, act, follow up."),
            )
        })
        .collect();
    let refs: Vec<(&str, &str, &str)> = cards
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    deck_json("big", edition, &refs)
}

#[test]
fn an_import_killed_at_any_moment_leaves_the_old_or_the_new_version_whole() {
    let env = Env::new();
    let old_file = env.write("big-old.json", &big_deck("old", 8_000));
    let new_file = env.write("big-new.json", &big_deck("new", 8_000));
    let installed = env.deck_file("big");

    // The exact bytes each version is installed as; the time an update takes sets the
    // window the kills are spread over.
    env.cmd().arg("import").arg(&new_file).assert().success();
    let new_bytes = std::fs::read(&installed).unwrap();
    let start = std::time::Instant::now();
    env.cmd().arg("import").arg(&old_file).assert().success();
    let import_time = start.elapsed();
    let old_bytes = std::fs::read(&installed).unwrap();
    assert_ne!(old_bytes, new_bytes);

    let bin = assert_cmd::cargo::cargo_bin("prepdeck");
    let window = import_time.as_micros().max(1) as u64 * 13 / 10;
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let (mut kept, mut replaced) = (0, 0);
    for round in 0..20 {
        // Alternate the version being imported so every kill can interrupt a real change.
        let current = std::fs::read(&installed).unwrap();
        let next = if current == old_bytes {
            &new_file
        } else {
            &old_file
        };
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let delay = (seed >> 33) % window;
        let mut child = std::process::Command::new(&bin)
            .arg("--data-dir")
            .arg(env.data())
            .arg("import")
            .arg(next)
            .env("PREPDECK_NOW", common::NOW)
            .env("TZ", "UTC")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(delay));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let after = std::fs::read(&installed).unwrap();
        assert!(
            after == old_bytes || after == new_bytes,
            "round {round}: the deck file is neither version ({} bytes)",
            after.len()
        );
        if after == current {
            kept += 1;
        } else {
            replaced += 1;
        }
        prepdeck::deck::parse(&after, "installed").expect("the installed deck parses");
    }
    eprintln!(
        "an update took {import_time:?}; of 20 killed imports, {kept} left the previous version, {replaced} had completed"
    );
    // Commands still work; the temporary files killed imports left behind are ignored,
    // and the next import clears them away.
    env.cmd()
        .args(["cards", "big", "--json"])
        .assert()
        .success();
    env.cmd().arg("import").arg(&new_file).assert().success();
    let leftovers: Vec<_> = Env::files_under(&env.data().join("decks"))
        .into_iter()
        .filter(|p| p != &installed)
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_refused_import_creates_nothing_at_all() {
    let env = Env::new();
    let broken = env.write("broken.json", "{\"format_version\": 1,");
    env.cmd()
        .arg("import")
        .arg(&broken)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("broken.json is not valid"));
    let bad_text = env.write("bad.tsv", "Only a front\n");
    env.cmd().arg("import").arg(&bad_text).assert().code(1);
    assert!(
        !env.data().exists(),
        "not even the data directory or a lock file"
    );
}

/// The card whose front is `front` in `cards --json` output.
fn by_front<'a>(cards: &'a [serde_json::Value], front: &str) -> &'a serde_json::Value {
    cards
        .iter()
        .find(|c| c["front"] == front)
        .unwrap_or_else(|| panic!("no card {front:?} in {cards:?}"))
}

#[test]
fn card_ids_from_fronts_do_not_depend_on_row_order_so_progress_follows_the_front() {
    let env = Env::new();
    let start = "When a customer shouts at you in front of a queue of other customers, ";
    let long_a = format!("{start}what do you say first?");
    let long_b = format!("{start}what do you do next?");
    let rows = [
        (long_a.as_str(), "Their name, and that you will help."),
        (long_b.as_str(), "Move them aside and listen."),
        ("Как успокоить клиента?", "Выслушать."),
        ("如何应对愤怒的客户？", "保持冷静。"),
    ];
    let file_of = |order: &[usize]| {
        order
            .iter()
            .map(|&i| format!("{}\t{}\tt\n", rows[i].0, rows[i].1))
            .collect::<String>()
    };
    let file = env.write("queue.tsv", &file_of(&[0, 1, 2, 3]));
    env.cmd().arg("import").arg(&file).assert().success();
    let first = env.cards("queue");
    let first_ids = ids(&first);
    assert!(
        first_ids.iter().all(|id| !id.starts_with("card")),
        "{first_ids:?}"
    );
    assert!(
        first_ids.iter().all(|id| !id.ends_with("-2")),
        "{first_ids:?}"
    );
    // Answer the first three cards (new cards come in deck order).
    env.cmd()
        .args(["review", "queue"])
        .write_stdin("\n4\n\n4\n\n4\nq\n")
        .assert()
        .success();

    env.cmd()
        .args(["remove", "queue", "--yes"])
        .assert()
        .success();
    std::fs::write(&file, file_of(&[3, 1, 2, 0])).unwrap();
    env.cmd().arg("import").arg(&file).assert().success();
    let again = env.cards("queue");
    for (front, _) in rows {
        assert_eq!(
            by_front(&again, front)["id"],
            by_front(&first, front)["id"],
            "{front}"
        );
    }
    for (front, _) in &rows[..3] {
        assert_eq!(by_front(&again, front)["reps"], 1, "{front}");
    }
    assert_eq!(by_front(&again, rows[3].0)["reps"], 0);
}

#[test]
fn an_accented_file_name_becomes_a_readable_deck_id() {
    let env = Env::new();
    let file = env.write("Ünïcödé Déck.tsv", "Q\tA\tt\n");
    env.cmd()
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Deck unicode-deck-f6972834 installed",
        ));
    let file = env.write("Привет.tsv", "Q\tA\tt\n");
    env.cmd()
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Deck privet-"));
}

#[test]
fn an_installed_deck_keeps_the_ids_an_older_prepdeck_made_from_its_fronts() {
    // Ids as the importer made them before slugs carried a hash: cut at 48
    // characters, and `card`, `card-2` for fronts in other scripts.
    let env = Env::new();
    let long = "When the customer keeps interrupting you during the call, what do you say first?";
    env.install(
        "legacy",
        &[
            (
                "when-the-customer-keeps-interrupting-you-during",
                long,
                "Pause.",
            ),
            ("card", "Как успокоить клиента?", "Выслушать."),
            ("card-2", "如何应对愤怒的客户？", "保持冷静。"),
        ],
    );
    env.review("legacy", common::NOW, 3);
    let file = env.write(
        "legacy.tsv",
        &format!(
            "如何应对愤怒的客户？\t保持冷静，然后倾听。\tt\n{long}\tPause, then name the problem.\tt\nКак успокоить клиента?\tВыслушать.\tt\n"
        ),
    );
    env.cmd()
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("0 added"))
        .stdout(predicate::str::contains("0 retired"));
    let cards = env.cards("legacy");
    assert_eq!(
        ids(&cards),
        [
            "card-2",
            "when-the-customer-keeps-interrupting-you-during",
            "card"
        ]
    );
    assert!(cards.iter().all(|c| c["reps"] == 1), "{cards:?}");
}

/// `import FILE`: standard error, after checking it succeeded without a panic.
fn import_ok(env: &Env, file: &std::path::Path) -> String {
    let output = env.cmd().arg("import").arg(file).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    stderr
}

#[test]
fn anki_notes_in_plain_text_with_guid_notetype_deck_and_tags_columns_imports() {
    // The shape of Anki's File → Export → Notes in Plain Text with every "include"
    // box ticked: guid, notetype and deck columns before the fields, tags last.
    let env = Env::new();
    let file = env.write(
        "Anki Export.txt",
        concat!(
            "#separator:tab\n",
            "#html:true\n",
            "#guid column:1\n",
            "#notetype column:2\n",
            "#deck column:3\n",
            "#tags column:6\n",
            "Ot6&0a{Fm(\tBasic\tInterview::Customers\tWhat does STAR stand for?\tSituation<br>Task<br>Action<br>Result\tstar basics\n",
            "b]1x;P2~Vd\tBasic\tInterview::Customers\tFirst move with an angry customer?\t<div>Stay calm &mdash; let them finish.</div><div><br></div><div>Then say you&rsquo;ll help.</div>\ttip\n",
        ),
    );
    let stderr = import_ok(&env, &file);
    assert_eq!(stderr, "", "no warnings expected");
    let cards = env.cards("anki-export");
    // Each card is known by its Anki note: the id comes from the guid (as the `.apkg`
    // import makes it), and the guid is kept for the way back to Anki.
    assert_eq!(
        ids(&cards),
        [
            prepdeck::deck::anki::convert::note_card_id("Ot6&0a{Fm(", 1),
            prepdeck::deck::anki::convert::note_card_id("b]1x;P2~Vd", 1),
        ]
    );
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.deck_file("anki-export")).unwrap()).unwrap();
    assert_eq!(file["cards"][0]["guid"], "Ot6&0a{Fm(");
    assert_eq!(file["cards"][1]["guid"], "b]1x;P2~Vd");
    assert_eq!(cards[0]["back"], "Situation\nTask\nAction\nResult");
    assert_eq!(cards[0]["tags"], serde_json::json!(["star", "basics"]));
    assert_eq!(
        cards[1]["back"],
        "Stay calm — let them finish.\n\nThen say you’ll help."
    );
    assert_eq!(cards[1]["tags"], serde_json::json!(["tip"]));
}

#[test]
fn a_semicolon_csv_as_excel_saves_it_imports_with_bom_and_crlf() {
    let env = Env::new();
    let file = env.write(
        "Tips.csv",
        "\u{feff}Front;Back;Tags\r\nOpen calmly?;Breathe, then listen;tip\r\n\"Q; quoted\";\"A, with \"\"quotes\"\"\r\nand a second line\";tip x\r\n",
    );
    let stderr = import_ok(&env, &file);
    assert_eq!(stderr, "");
    let cards = env.cards("tips");
    assert_eq!(ids(&cards), ["open-calmly", "q-quoted"]);
    assert_eq!(cards[0]["back"], "Breathe, then listen");
    assert_eq!(cards[1]["front"], "Q; quoted");
    assert_eq!(cards[1]["back"], "A, with \"quotes\"\nand a second line");
    assert_eq!(cards[1]["tags"], serde_json::json!(["tip", "x"]));
}

#[test]
fn a_semicolon_line_with_commas_in_a_txt_file_is_split_at_the_semicolons() {
    let env = Env::new();
    let file = env.write("calm.txt", "Open calmly?;Breathe, then listen;tip\n");
    import_ok(&env, &file);
    let cards = env.cards("calm");
    assert_eq!(cards[0]["front"], "Open calmly?");
    assert_eq!(cards[0]["back"], "Breathe, then listen");
    assert_eq!(cards[0]["tags"], serde_json::json!(["tip"]));
}

#[test]
fn a_separator_header_line_wins_over_sniffing() {
    let env = Env::new();
    let file = env.write(
        "forced.csv",
        "#separator:comma\nOpen calmly?;Breathe,listen;tip\n",
    );
    import_ok(&env, &file);
    let cards = env.cards("forced");
    assert_eq!(cards[0]["front"], "Open calmly?;Breathe");
    assert_eq!(cards[0]["back"], "listen;tip");
}

#[test]
fn crlf_and_a_bom_keep_header_lines_and_line_numbers_right() {
    let env = Env::new();
    let file = env.write(
        "crlf.txt",
        "\u{feff}#separator:tab\r\n#html:true\r\n#tags column:3\r\nQ1\t\"two\r\nlines\"\tt\r\nQ2 has no back\r\n",
    );
    env.cmd()
        .arg("check")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "crlf.txt: line 6 (card \"q2-has-no-back\"): error: the line has 1 column",
        ));
    std::fs::write(
        &file,
        "\u{feff}#separator:tab\r\n#html:true\r\n#tags column:3\r\nQ1\t\"two\r\nlines\"\tt\r\n",
    )
    .unwrap();
    import_ok(&env, &file);
    let cards = env.cards("crlf");
    assert_eq!(cards[0]["back"], "two\nlines");
    assert_eq!(cards[0]["tags"], serde_json::json!(["t"]));
}

#[test]
fn html_entities_blank_lines_and_scripts_are_converted_for_reading() {
    let env = Env::new();
    let file = env.write(
        "html.tsv",
        "#html:true\nCaf&eacute; &ndash; &ldquo;why&rdquo;&hellip;?\t<div>a</div><div><br></div><div>b</div><script>alert(1)</script><style>b{}</style>\tt\n",
    );
    assert_eq!(import_ok(&env, &file), "");
    let cards = env.cards("html");
    assert_eq!(cards[0]["front"], "Café – “why”…?");
    assert_eq!(cards[0]["back"], "a\n\nb");
}

#[test]
fn windows_device_names_are_refused_as_deck_ids_by_import_and_add() {
    let env = Env::new();
    let json = env.write("con.json", &deck_json("con", "1", &[("a", "Q?", "A.")]));
    env.cmd()
        .arg("import")
        .arg(&json)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "deck id \"con\" is a device name on Windows",
        ));
    let other = env.write("o.json", &deck_json("other", "1", &[("a", "Q?", "A.")]));
    env.cmd()
        .arg("import")
        .arg(&other)
        .args(["--deck", "com1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--deck: deck id \"com1\" is a device name",
        ));
    let text = env.write("lpt1.tsv", "Q?\tA.\tt\n");
    env.cmd()
        .arg("import")
        .arg(&text)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--deck ID"));
    env.cmd()
        .args(["add", "--deck", "prn", "--front", "Q", "--back", "A"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--deck: deck id \"prn\" is a device name",
        ));
    assert!(!env.data().join("decks").exists(), "nothing was installed");
    // The same text under a usable name goes in.
    env.cmd()
        .arg("import")
        .arg(&text)
        .args(["--deck", "lpt1-deck"])
        .assert()
        .success();
}
