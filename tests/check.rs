//! `prepdeck check`: a linter over deck files.

mod common;

use common::{deck_json, Env};
use predicates::prelude::*;
use serde_json::Value;

#[test]
fn a_valid_deck_passes_with_a_summary_and_exit_0() {
    let env = Env::new();
    let file = env.write("good.json", &deck_json("good", "1", &[("a", "Q?", "A.")]));
    env.cmd()
        .arg("check")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::ends_with(
            "good.json: ok (1 card, 0 errors, 0 warnings)\n",
        ));
}

#[test]
fn every_error_is_reported_with_its_card_and_the_exit_status_is_1() {
    let env = Env::new();
    let file = env.write(
        "bad.json",
        r#"{"format_version": 1, "id": "bad", "title": "Bad", "description": "",
           "cards": [
             {"id": "Bad Id", "front": "Q1", "back": "A", "tags": ["t"]},
             {"id": "x", "front": "Q2", "back": " ", "tags": ["t"]},
             {"id": "x", "front": "Q3\u001b[2J", "back": "A", "tags": ["t"]}
           ]}"#,
    );
    let name = file.display().to_string();
    env.cmd()
        .arg("check")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "{name}: card 1 (\"Bad Id\"): error: id \"Bad Id\" may only contain"
        )))
        .stdout(predicate::str::contains(format!(
            "{name}: card 2 (\"x\"): error: back is empty"
        )))
        .stdout(predicate::str::contains(format!(
            "{name}: card 3 (\"x\"): error: id \"x\" is already used by card 2"
        )))
        .stdout(predicate::str::contains(format!(
            "{name}: card 3 (\"x\"): error: front contains the control character U+001B"
        )))
        .stdout(predicate::str::contains(format!(
            "{name}: not usable (4 errors, 0 warnings)"
        )));
}

#[test]
fn a_syntax_error_is_placed_by_line_and_column() {
    let env = Env::new();
    let file = env.write(
        "syntax.json",
        "{\n  \"format_version\": 1,\n  \"id\": \"s\",,\n}\n",
    );
    env.cmd()
        .arg("check")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "syntax.json: line 3, column 13: error:",
        ));
}

#[test]
fn warnings_are_reported_but_do_not_fail() {
    let env = Env::new();
    let long_back = "word ".repeat(90);
    let file = env.write(
        "warn.json",
        &serde_json::json!({
            "format_version": 1, "id": "warn", "title": "W", "description": "",
            "cards": [
                {"id": "a", "front": "What is STAR?", "back": long_back},
                {"id": "b", "front": "what is star", "back": "B", "tags": ["t"]}
            ]
        })
        .to_string(),
    );
    env.cmd()
        .arg("check")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "card 1 (\"a\"): warning: the card has no tags",
        ))
        .stdout(predicate::str::contains(
            "card 1 (\"a\"): warning: the back has 90 words",
        ))
        .stdout(predicate::str::contains(
            "card 2 (\"b\"): warning: the front is nearly the same as card 1's",
        ))
        .stdout(predicate::str::contains(
            "ok (2 cards, 0 errors, 3 warnings)",
        ));
}

#[test]
fn a_file_over_the_size_limit_is_an_error_without_being_read() {
    let env = Env::new();
    let path = env.path("huge.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(16 * 1024 * 1024 + 1).unwrap(); // sparse: nothing is written
    env.cmd()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("huge.json: file: error: "))
        .stdout(predicate::str::contains("larger than the 16 MiB limit"));
}

#[test]
fn a_missing_file_is_an_error_finding() {
    let env = Env::new();
    env.cmd()
        .args(["check", "no-such-deck.json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "no-such-deck.json: file: error: could not read no-such-deck.json",
        ));
}

#[test]
fn text_files_are_checked_through_the_importer_and_placed_by_line() {
    let env = Env::new();
    let file = env.write(
        "cards.tsv",
        "#separator:tab\nWhat is STAR?\tSituation, Task, Action, Result\tstar\nOnly a front\nEmpty back\t\ttip\n",
    );
    env.cmd()
        .arg("check")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "cards.tsv: line 3 (card \"only-a-front\"): error: the line has 1 column but a card needs a front and a back separated by tab",
        ))
        .stdout(predicate::str::contains(
            "cards.tsv: line 4 (card \"empty-back\"): error: back is empty",
        ));
}

#[test]
fn json_output_lists_files_and_findings_with_places() {
    let env = Env::new();
    let good = env.write("good.json", &deck_json("good", "1", &[("a", "Q?", "A.")]));
    let bad = env.write(
        "bad.json",
        r#"{"format_version": 1, "id": "bad", "title": "Bad", "description": "",
           "cards": [{"id": "a", "front": "Q", "back": "", "tags": ["t"]}]}"#,
    );
    let out = env
        .cmd()
        .arg("check")
        .arg(&good)
        .arg(&bad)
        .arg("--json")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["files"][0]["errors"], 0);
    assert_eq!(report["files"][0]["cards"], 1);
    assert_eq!(report["files"][1]["errors"], 1);
    assert_eq!(report["files"][1]["cards"], Value::Null);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["file"], bad.display().to_string());
    assert_eq!(findings[0]["severity"], "error");
    assert_eq!(
        findings[0]["place"],
        serde_json::json!({"kind": "card", "index": 1, "id": "a"})
    );
    assert_eq!(findings[0]["message"], "back is empty");
}

#[test]
fn several_files_get_a_total_and_fail_when_any_has_errors() {
    let env = Env::new();
    let good = env.write("good.json", &deck_json("good", "1", &[("a", "Q?", "A.")]));
    let bad = env.write("bad.json", "{");
    env.cmd()
        .arg("check")
        .arg(&good)
        .arg(&bad)
        .assert()
        .code(1)
        .stdout(predicate::str::ends_with(
            "2 files checked, 1 with errors\n",
        ));
}

#[test]
fn hostile_text_in_findings_is_printed_escaped() {
    let env = Env::new();
    let file = env.write("evil.tsv", "Q\u{1b}]52;c;ZXZpbA==\u{7}\tA\tt\n");
    let out = env
        .cmd()
        .arg("check")
        .arg(&file)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(
        text.contains("front contains the control character U+001B"),
        "{text}"
    );
}

/// `prepdeck check FILE`: the exit code and standard output.
fn check(env: &Env, file: &std::path::Path) -> (i32, String) {
    let output = env.cmd().arg("check").arg(file).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn an_unclosed_quote_is_an_error_at_the_line_where_it_opens() {
    let env = Env::new();
    let file = env.write("u.csv", "front,back,tags\nQ1,\"A1 is \nQ2,A2,t\nQ3,A3,t\n");
    let (code, out) = check(&env, &file);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("u.csv: line 2, column 4: error: this quote opens a field that is never closed, so every line after it would be read into that field; put the closing \" where the field ends"),
        "{out}"
    );
    assert!(out.contains("u.csv: not usable (1 error"), "{out}");
}

#[test]
fn quotes_that_close_or_sit_inside_a_field_are_not_errors() {
    let env = Env::new();
    let file = env.write(
        "q.csv",
        "Q1,\"A1, \"\"quoted\"\"\nsecond line\",t\nQ2,say \"hi,t\n",
    );
    let (code, out) = check(&env, &file);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("q.csv: ok (2 cards"), "{out}");
}

#[test]
fn a_first_row_naming_front_and_back_is_a_header_whose_unknown_columns_are_warned() {
    let env = Env::new();
    let file = env.write(
        "notes.csv",
        "Front,Back,Notes\nQ1,A1,my note\nQ2,A2,,stray\n",
    );
    let (code, out) = check(&env, &file);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("notes.csv: line 1, column 12: warning: column 3 \"Notes\" is ignored"),
        "{out}"
    );
    assert!(
        out.contains("notes.csv: line 3, column 8: warning: column 4 is ignored: no column 4 is named in the first row"),
        "{out}"
    );
    assert!(out.contains("notes.csv: ok (2 cards"), "{out}");
    env.cmd().arg("import").arg(&file).assert().success();
    assert_eq!(common::ids(&env.cards("notes")), ["q1", "q2"]);
}

#[test]
fn text_in_columns_past_front_back_and_tags_is_warned_once_with_a_count() {
    let env = Env::new();
    let file = env.write("wide.csv", "Q1,A1,t,x\nQ2,A2,t,y\nQ3,A3,t,\n");
    let (code, out) = check(&env, &file);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("wide.csv: line 1, column 9: warning: column 4 is ignored (text in such a column on 1 more line too): without a first row naming the columns"),
        "{out}"
    );
    assert_eq!(out.matches("is ignored").count(), 1, "{out}");
}

#[test]
fn hash_lines_are_headers_only_above_the_first_row() {
    let env = Env::new();
    let file = env.write(
        "hash.txt",
        "#separator:tab\n#match scope:notetype and deck\n#if matches:update current\n# a comment\n\nQ1\tA1\tt\n#1 rule of calm\tBreathe first.\tt\n#separator:comma\tNot a header here.\tt\n",
    );
    let (code, out) = check(&env, &file);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("hash.txt: ok (3 cards, 0 errors, 0 warnings)"),
        "{out}"
    );
    env.cmd().arg("import").arg(&file).assert().success();
    let fronts: Vec<Value> = env
        .cards("hash")
        .iter()
        .map(|c| c["front"].clone())
        .collect();
    assert_eq!(fronts, ["Q1", "#1 rule of calm", "#separator:comma"]);
}

#[test]
fn an_unknown_header_line_is_still_a_warning() {
    let env = Env::new();
    let file = env.write("h.txt", "#separator:tab\n#colour:blue\nQ\tA\tt\n");
    let (_, out) = check(&env, &file);
    assert!(
        out.contains(
            "h.txt: line 2, column 2: warning: header line #colour: is not known and was ignored"
        ),
        "{out}"
    );
}

#[test]
fn near_duplicates_and_repeated_ids_in_text_files_name_the_line() {
    let env = Env::new();
    let file = env.write(
        "dups.tsv",
        "#separator:tab\n\nSame question?\tA\tt\nOther\tB\tt\n\nsame QUESTION\tC\tt\n",
    );
    let (_, out) = check(&env, &file);
    assert!(
        out.contains("dups.tsv: line 6 (card \"same-question-2\"): warning: the front is nearly the same as line 3's"),
        "{out}"
    );
    let ids = env.write(
        "ids.csv",
        "id,front,back,tags\nx,Q1,A1,t\n\ny,Q2,A2,t\nx,Q3,A3,t\n",
    );
    let (code, out) = check(&env, &ids);
    assert_eq!(code, 1);
    assert!(
        out.contains("ids.csv: line 5 (card \"x\"): error: id \"x\" is already used by line 2; card ids must be unique"),
        "{out}"
    );
}

/// `check --json` on `file`: the report, with the exit status checked to be `code`.
fn check_json(env: &Env, file: &std::path::Path, code: i32) -> Value {
    let out = env
        .cmd()
        .arg("check")
        .arg(file)
        .arg("--json")
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn unknown_keys_on_different_cards_are_all_reported_with_a_suggestion() {
    let env = Env::new();
    let file = env.write(
        "typos.json",
        r#"{"format_version": 1, "id": "typos", "title": "T", "description": "",
           "cards": [
             {"id": "a", "front": "Q1", "bakc": "A", "tags": ["t"]},
             {"id": "b", "front": "Q2", "back": "A", "tags": ["t"]},
             {"id": "c", "frnot": "Q3", "back": "A", "tags": ["t"]}
           ]}"#,
    );
    let name = file.display().to_string();
    env.cmd()
        .arg("check")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "{name}: card 1 (\"a\"): error: unknown key \"bakc\"; did you mean \"back\"?\n"
        )))
        .stdout(predicate::str::contains(format!(
            "{name}: card 3 (\"c\"): error: unknown key \"frnot\"; did you mean \"front\"?\n"
        )))
        .stdout(predicate::str::contains(format!(
            "{name}: not usable (2 errors, 0 warnings)"
        )));
}

#[test]
fn missing_deck_fields_and_a_missing_back_are_all_reported_with_their_places() {
    let env = Env::new();
    let file = env.write(
        "holes.json",
        r#"{"format_version": 1, "cards": [
             {"id": "a", "front": "Q1", "back": "A", "tags": ["t"]},
             {"id": "b", "front": "Q2", "tags": ["t"]}
           ]}"#,
    );
    let report = check_json(&env, &file, 1);
    let findings: Vec<(Value, Value)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["place"].clone(), f["message"].clone()))
        .collect();
    let deck = |field: &str| serde_json::json!({"kind": "deck", "field": field});
    assert_eq!(
        findings,
        [
            (deck("id"), "\"id\" is missing; add it to the deck".into()),
            (
                deck("title"),
                "\"title\" is missing; add it to the deck".into()
            ),
            (
                deck("description"),
                "\"description\" is missing; add it to the deck".into()
            ),
            (
                serde_json::json!({"kind": "card", "index": 2, "id": "b"}),
                "\"back\" is missing; add it to the card".into()
            ),
        ]
    );
    assert_eq!(report["files"][0]["errors"], 4);
    assert_eq!(report["files"][0]["cards"], Value::Null);
}

#[test]
fn structure_and_content_problems_are_reported_in_the_same_run() {
    let env = Env::new();
    let file = env.write(
        "mixed.json",
        r#"{"format_version": 1, "id": "mixed", "title": "T", "description": "",
           "cards": [
             {"id": "a", "front": "Q1", "back": 42, "tags": ["t"]},
             {"id": "b", "front": "Q2\u2067", "back": "A", "tags": ["t"]},
             {"id": "a", "front": "Q3", "back": "", "tags": ["t"]}
           ]}"#,
    );
    let name = file.display().to_string();
    env.cmd()
        .arg("check")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "{name}: card 1 (\"a\"): error: \"back\" must be text in quotes, not a number"
        )))
        .stdout(predicate::str::contains(format!(
            "{name}: card 2 (\"b\"): error: front contains the invisible formatting character U+2067"
        )))
        .stdout(predicate::str::contains(format!(
            "{name}: card 3 (\"a\"): error: id \"a\" is already used by card 1"
        )))
        .stdout(predicate::str::contains(format!(
            "{name}: card 3 (\"a\"): error: back is empty"
        )))
        .stdout(predicate::str::contains(format!(
            "{name}: not usable (4 errors, 0 warnings)"
        )));
}

#[test]
fn an_empty_file_is_called_empty() {
    let env = Env::new();
    let file = env.write("empty.json", "");
    let name = file.display().to_string();
    env.cmd()
        .arg("check")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "{name}: file: error: the file is empty;"
        )));
    let report = check_json(&env, &file, 1);
    assert_eq!(
        report["findings"][0]["place"],
        serde_json::json!({"kind": "file"})
    );
}

#[test]
fn html_images_are_warned_and_an_image_only_side_is_an_error_saying_so() {
    let env = Env::new();
    let file = env.write(
        "img.txt",
        "#separator:tab\n#html:true\nWhat does the chart show?\tSales <img src=\"chart.png\"> rose.\tt\nWho is this?\t<img src=\"face.jpg\">\tt\n",
    );
    let (code, out) = check(&env, &file);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("img.txt: line 3 (card \"what-does-the-chart-show\"): warning: image dropped from the back: prepdeck shows text only"),
        "{out}"
    );
    assert!(
        out.contains("img.txt: line 4 (card \"who-is-this\"): error: the back is only an image, and prepdeck shows text only; write the back as text"),
        "{out}"
    );
    assert!(!out.contains("back is empty"), "{out}");
}

#[test]
fn a_cloze_note_is_a_card_per_deletion() {
    let env = Env::new();
    let file = env.write(
        "cloze.txt",
        "#separator:tab\n#html:true\nFirst, stay {{c1::calm}}, then {{c2::listen}}.\t\tt\nQ\tA\tt\n",
    );
    let (code, out) = check(&env, &file);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("cloze.txt: ok (3 cards, 0 errors"), "{out}");
    env.cmd().arg("import").arg(&file).assert().success();
    let fronts: Vec<String> = env
        .cards("cloze")
        .iter()
        .map(|c| c["front"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fronts,
        [
            "First, stay [...], then listen.",
            "First, stay calm, then [...].",
            "Q"
        ]
    );
}

#[test]
fn import_skips_an_unusable_row_and_strict_refuses_the_file() {
    let env = Env::new();
    let file = env.write(
        "mixed.txt",
        "#separator:tab\n#html:true\nGood one?\tYes\tt\n<img src=\"a.png\">\tAn image\tt\nAlso good?\tYes\tt\n",
    );
    let (code, out) = check(&env, &file);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("(import skips this card)"), "{out}");
    let output = env
        .cmd()
        .args(["import", file.to_str().unwrap(), "--strict"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("--strict") && stderr.contains("line 4"),
        "{stderr}"
    );
    assert!(!env.deck_file("mixed").exists());
    let output = env
        .cmd()
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("line 4") && stderr.contains("skipped: the front is only an image"),
        "{stderr}"
    );
    assert_eq!(common::ids(&env.cards("mixed")), ["good-one", "also-good"]);
}

#[test]
fn format_version_written_as_a_float_passes() {
    let env = Env::new();
    for version in ["1.0", "1e0"] {
        let text = deck_json("floaty", "1", &[("a", "Q?", "A.")]).replace(
            "\"format_version\": 1",
            &format!("\"format_version\": {version}"),
        );
        assert!(text.contains(version), "{text}");
        let file = env.write("floaty.json", &text);
        env.cmd()
            .arg("check")
            .arg(&file)
            .assert()
            .success()
            .stdout(predicate::str::ends_with(
                "floaty.json: ok (1 card, 0 errors, 0 warnings)\n",
            ));
    }
}

#[test]
fn a_windows_device_name_is_refused_as_a_deck_id_but_not_as_a_card_id() {
    let env = Env::new();
    let file = env.write("aux.json", &deck_json("aux", "1", &[("con", "Q?", "A.")]));
    let name = file.display().to_string();
    env.cmd()
        .arg("check")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "{name}: deck field \"id\": error: deck id \"aux\" is a device name on Windows"
        )))
        .stdout(predicate::str::contains(format!(
            "{name}: not usable (1 error, 0 warnings)"
        )));
}

#[test]
fn a_text_file_named_after_a_device_is_told_to_use_deck() {
    let env = Env::new();
    let file = env.write(
        "nul.tsv",
        "What is STAR?\tSituation, Task, Action, Result\tstar\n",
    );
    env.cmd()
        .arg("check")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "nul.tsv: file: warning: deck id \"nul\" is a device name on Windows",
        ))
        .stdout(predicate::str::contains(
            "pass the id you choose as --deck ID",
        ));
}

#[test]
fn direction_marks_are_accepted_and_a_stray_byte_order_mark_is_refused() {
    let env = Env::new();
    let file = env.write(
        "marks.json",
        r#"{"format_version": 1, "id": "marks", "title": "T\u200f", "description": "",
           "cards": [
             {"id": "a", "front": "Q\u061c", "back": "A\u200e", "tags": ["t\u200f"]},
             {"id": "b", "front": "Q", "back": "A\ufeffB", "tags": ["t"]}
           ]}"#,
    );
    let name = file.display().to_string();
    let output = env.cmd().arg("check").arg(&file).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!(
            "{name}: card 2 (\"b\"): error: back contains the invisible formatting character U+FEFF"
        )),
        "{stdout}"
    );
    assert_eq!(stdout.matches("error:").count(), 1, "{stdout}");
}

#[test]
fn total_is_refused_as_a_deck_id_because_stats_names_its_total_row_so() {
    let env = Env::new();
    let file = env.write("total.json", &deck_json("total", "1", &[("a", "Q?", "A.")]));
    env.cmd()
        .arg("check")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error: deck id \"total\" is taken by the total row of `prepdeck stats`",
        ));
    env.cmd()
        .args(["add", "--deck", "total", "--front", "Q?", "--back", "A."])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("\"total\" is taken"));
}
