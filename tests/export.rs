//! `prepdeck export` and the round trips through `import`.

mod common;

use common::{ids, Env};
use predicates::prelude::*;
use serde_json::Value;

const FULL_DECK: &str = r##"{
  "format_version": 1,
  "id": "my-stories",
  "title": "My customer stories",
  "description": "STAR stories I want to tell without notes.",
  "author": "Sam Coach",
  "version": "1.2.0",
  "cards": [
    {
      "id": "refund-without-receipt",
      "front": "A customer wants a refund without a receipt. What do you offer?",
      "back": "Acknowledge, explain the policy,\nthen offer:\texchange or store credit <not cash> & a supervisor.",
      "tags": ["scenario", "policy"],
      "source": "My notes, week 2"
    },
    {"id": "star", "front": "#1: what does STAR stand for?", "back": "Situation, Task, Action, \"Result\".", "tags": ["star"]}
  ]
}
"##;

fn stdout(assert: assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

/// front, back and tags of each card, in order.
fn contents(cards: &[Value]) -> Vec<(Value, Value, Value, Value)> {
    cards
        .iter()
        .map(|c| {
            (
                c["id"].clone(),
                c["front"].clone(),
                c["back"].clone(),
                c["tags"].clone(),
            )
        })
        .collect()
}

#[test]
fn json_import_export_import_is_lossless() {
    let env = Env::new();
    let original = env.write("my-stories.json", FULL_DECK);
    env.cmd().arg("import").arg(&original).assert().success();
    let exported = stdout(env.cmd().args(["export", "my-stories"]).assert().success());
    let deck = prepdeck::deck::parse(FULL_DECK.as_bytes(), "original")
        .unwrap()
        .deck;
    assert_eq!(exported, deck.to_json(), "export is exactly Deck::to_json");
    assert_eq!(
        exported.as_bytes(),
        std::fs::read(env.deck_file("my-stories")).unwrap()
    );
    let again = prepdeck::deck::parse(exported.as_bytes(), "exported")
        .unwrap()
        .deck;
    assert_eq!(
        again, deck,
        "every field survives, author, version and source included"
    );

    let file = env.write("exported.json", &exported);
    env.cmd()
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("already this version"));
}

#[test]
fn export_to_a_file_replaces_it_atomically_and_says_so() {
    let env = Env::new();
    let target = env.write("out.json", "old content");
    env.cmd()
        .args(["export", "answer-tips", "-o"])
        .arg(&target)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "Wrote deck answer-tips ({} cards) to",
            built_in_deck("answer-tips").cards.len()
        )));
    let written = std::fs::read_to_string(&target).unwrap();
    assert_eq!(written, built_in_deck("answer-tips").to_json());
    let names: Vec<_> = Env::files_under(env.path("").as_path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".prepdeck-"))
        .collect();
    assert!(names.is_empty(), "no temporary file is left: {names:?}");
}

#[test]
fn tsv_export_has_the_header_lines_anki_reads() {
    let env = Env::new();
    let original = env.write("my-stories.json", FULL_DECK);
    env.cmd().arg("import").arg(&original).assert().success();
    let tsv = stdout(
        env.cmd()
            .args(["export", "my-stories", "--format", "tsv"])
            .assert()
            .success(),
    );
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(
        &lines[..6],
        [
            "#separator:tab",
            "#html:true",
            "#notetype:Basic",
            "#deck:My customer stories",
            "#tags column:3",
            "#guid column:4"
        ]
    );
    assert_eq!(
        lines[6],
        "A customer wants a refund without a receipt. What do you offer?\t\"Acknowledge, explain the policy,<br>then offer:\texchange or store credit &lt;not cash&gt; &amp; a supervisor.\"\tscenario policy\tprepdeck:my-stories/refund-without-receipt"
    );
    assert!(
        lines[7].starts_with("\"#1: what does STAR stand for?\"\t"),
        "a leading # is quoted so it is not a comment: {}",
        lines[7]
    );
}

#[test]
fn tsv_export_imports_back_with_the_same_ids_and_text() {
    let env = Env::new();
    let original = env.write("my-stories.json", FULL_DECK);
    env.cmd().arg("import").arg(&original).assert().success();
    let tsv = env.path("stories.txt");
    env.cmd()
        .args(["export", "my-stories", "--format", "tsv", "-o"])
        .arg(&tsv)
        .assert()
        .success();
    env.cmd()
        .arg("import")
        .arg(&tsv)
        .args(["--deck", "copy"])
        .assert()
        .success();
    assert_eq!(
        contents(&env.cards("copy")),
        contents(&env.cards("my-stories"))
    );
}

#[test]
fn csv_export_imports_back_with_the_same_ids_and_text() {
    let env = Env::new();
    let original = env.write("my-stories.json", FULL_DECK);
    env.cmd().arg("import").arg(&original).assert().success();
    let csv = stdout(
        env.cmd()
            .args(["export", "my-stories", "--format", "csv"])
            .assert()
            .success(),
    );
    assert!(
        csv.starts_with("\"id\",\"front\",\"back\",\"tags\",\"source\"\r\n"),
        "{csv}"
    );
    let file = env.write("stories.csv", &csv);
    env.cmd()
        .arg("import")
        .arg(&file)
        .args(["--deck", "copy"])
        .assert()
        .success();
    assert_eq!(
        contents(&env.cards("copy")),
        contents(&env.cards("my-stories"))
    );
}

/// What a spreadsheet writes when it opens prepdeck's TSV and saves it as CSV: a byte
/// order mark (Excel), each header line padded to the table's width with commas, every
/// row comma-separated, CRLF line ends, fields quoted where needed.
fn as_a_spreadsheet_saves_it(tsv: &str) -> String {
    let rows: Vec<Vec<String>> = tsv
        .lines()
        .map(|line| match line.strip_prefix('#') {
            Some(_) => vec![line.to_owned()],
            None => csv::ReaderBuilder::new()
                .delimiter(b'\t')
                .has_headers(false)
                .from_reader(line.as_bytes())
                .records()
                .next()
                .unwrap()
                .unwrap()
                .iter()
                .map(str::to_owned)
                .collect(),
        })
        .collect();
    let width = rows.iter().map(Vec::len).max().unwrap();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(vec![0xef, 0xbb, 0xbf]);
    for mut row in rows {
        row.resize(width, String::new());
        writer.write_record(&row).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

#[test]
fn a_tsv_export_saved_again_by_a_spreadsheet_imports_with_the_same_ids() {
    let env = Env::new();
    let original = env.write("my-stories.json", FULL_DECK);
    env.cmd().arg("import").arg(&original).assert().success();
    let tsv = stdout(
        env.cmd()
            .args(["export", "my-stories", "--format", "tsv"])
            .assert()
            .success(),
    );
    let saved = as_a_spreadsheet_saves_it(&tsv);
    assert!(saved.contains("#separator:tab,,,\r\n"), "{saved}");
    let file = env.write("stories.csv", &saved);
    env.cmd()
        .arg("import")
        .arg(&file)
        .args(["--deck", "copy"])
        .assert()
        .success();
    assert_eq!(
        contents(&env.cards("copy")),
        contents(&env.cards("my-stories"))
    );
}

#[test]
fn an_anki_shaped_export_round_trips_through_import_export_import() {
    let env = Env::new();
    let anki = env.write(
        "Customer Service.txt",
        "#separator:tab\n#html:true\n#tags column:3\n\
         What does STAR stand for?\tSituation<br>Task<br />Action<br>Result\tstar basics\n\
         \"Tab\tinside\"\tA &amp; B &lt;C&gt;&nbsp;D\ttip\n\
         Why <b>listen</b>?\t<div>To understand</div><div>the real problem</div>\ttip\n",
    );
    env.cmd().arg("import").arg(&anki).assert().success();
    let first = env.cards("customer-service");
    assert_eq!(
        ids(&first),
        ["what-does-star-stand-for", "tab-inside", "why-listen"]
    );
    assert_eq!(first[0]["back"], "Situation\nTask\nAction\nResult");
    assert_eq!(first[0]["tags"], serde_json::json!(["star", "basics"]));
    assert_eq!(first[1]["front"], "Tab\tinside");
    assert_eq!(first[1]["back"], "A & B <C> D");
    assert_eq!(first[2]["front"], "Why listen?");
    assert_eq!(first[2]["back"], "To understand\nthe real problem");

    let tsv = env.path("again.tsv");
    env.cmd()
        .args(["export", "customer-service", "--format", "tsv", "-o"])
        .arg(&tsv)
        .assert()
        .success();
    env.cmd()
        .arg("import")
        .arg(&tsv)
        .args(["--deck", "second"])
        .assert()
        .success();
    assert_eq!(contents(&env.cards("second")), contents(&first));
}

#[test]
fn a_built_in_deck_exports_as_tsv_and_imports_with_its_card_ids() {
    let env = Env::new();
    let tsv = env.path("tips.tsv");
    env.cmd()
        .args(["export", "answer-tips", "--format", "tsv", "-o"])
        .arg(&tsv)
        .assert()
        .success();
    env.cmd()
        .arg("import")
        .arg(&tsv)
        .args(["--deck", "my-tips"])
        .assert()
        .success();
    assert_eq!(ids(&env.cards("my-tips")), ids(&env.cards("answer-tips")));
}

fn built_in_deck(id: &str) -> prepdeck::deck::Deck {
    prepdeck::catalog::built_in()
        .unwrap()
        .into_iter()
        .find(|d| d.id.as_str() == id)
        .unwrap()
}

#[test]
fn exporting_an_unknown_deck_names_the_known_ones() {
    let env = Env::new();
    env.cmd()
        .args(["export", "nope"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "there is no deck \"nope\"; known decks: strategies, answer-tips,",
        ));
}

#[test]
fn the_tsv_example_in_the_format_documentation_is_what_export_writes() {
    let env = Env::new();
    let tsv = stdout(
        env.cmd()
            .args(["export", "answer-tips", "--format", "tsv"])
            .assert()
            .success(),
    );
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/deck-format.md"))
        .unwrap();
    let example = doc
        .split("```text\n")
        .find(|block| block.starts_with("#separator:tab\n#html:true\n#notetype:Basic\n#deck:"))
        .and_then(|block| block.split("```").next())
        .expect("the export example");
    assert!(tsv.starts_with(example), "docs:\n{example}\nexport:\n{tsv}");
}

#[test]
fn output_dash_is_standard_output() {
    let env = Env::new();
    let dir = env.path("cwd");
    std::fs::create_dir(&dir).unwrap();
    let printed = stdout(
        env.cmd()
            .current_dir(&dir)
            .args(["export", "answer-tips", "-o", "-"])
            .assert()
            .success()
            .stderr(""),
    );
    assert_eq!(printed, built_in_deck("answer-tips").to_json());
    assert!(
        Env::files_under(&dir).is_empty(),
        "no file named - is written"
    );
}

#[cfg(unix)]
#[test]
fn output_through_a_symbolic_link_replaces_its_target_and_keeps_the_link() {
    let env = Env::new();
    let file = env.write(
        "one.json",
        &common::deck_json("one", "1", &[("a", "Q?", "A.")]),
    );
    env.cmd().arg("import").arg(&file).assert().success();
    let shared = env.path("shared");
    std::fs::create_dir(&shared).unwrap();
    let target = env.write("shared/deck.json", "old content");
    let link = env.path("link.json");
    std::os::unix::fs::symlink("shared/deck.json", &link).unwrap();
    env.cmd()
        .current_dir(env.path(""))
        .args(["export", "one", "-o", "link.json"])
        .assert()
        .success()
        .stderr("Wrote deck one (1 card) to link.json → shared/deck.json.\n");
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        std::path::Path::new("shared/deck.json")
    );
    assert_eq!(
        std::fs::read(&target).unwrap(),
        std::fs::read(env.deck_file("one")).unwrap()
    );

    // A link to a file that does not exist yet creates it; a loop is refused.
    let dangling = env.path("dangling.json");
    std::os::unix::fs::symlink(env.path("shared/new.json"), &dangling).unwrap();
    env.cmd()
        .args(["export", "one", "-o"])
        .arg(&dangling)
        .assert()
        .success();
    assert!(env.path("shared/new.json").is_file());
    std::os::unix::fs::symlink("loop-b", env.path("loop-a")).unwrap();
    std::os::unix::fs::symlink("loop-a", env.path("loop-b")).unwrap();
    env.cmd()
        .args(["export", "one", "-o"])
        .arg(env.path("loop-a"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "is a loop or a chain of more than 40 symbolic links",
        ));
}

#[test]
fn output_to_a_directory_is_refused_with_a_file_name_to_use() {
    let env = Env::new();
    env.cmd()
        .current_dir(env.path(""))
        .args(["export", "answer-tips", "-o", "."])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            ". is a directory; give a file name, e.g. -o ./answer-tips.json",
        ));
}
