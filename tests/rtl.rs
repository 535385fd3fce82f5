//! Right-to-left cards with direction marks (U+200E, U+200F, U+061C): accepted from a
//! text file, reviewed on a real terminal with the marks as written and every line
//! around them intact, and kept inside their cell in one-line output.
#![cfg(unix)]

mod common;

use common::pty::Pty;
use common::{Env, NOW};

const RLM: char = '\u{200f}';
const LRM: char = '\u{200e}';
const ALM: char = '\u{61c}';

/// A Hebrew card whose marks put `?` and `(3)` on the right side, and an Arabic one.
fn fronts_and_backs() -> [(String, String); 2] {
    [
        (
            format!("מה עושים עם לקוח כועס?{RLM}"),
            format!("מקשיבים עד הסוף{RLM} (3 דקות){RLM}"),
        ),
        (
            format!("كيف تهدئ العميل؟{ALM}"),
            format!("استمع أولا{ALM}: 2{ALM}"),
        ),
    ]
}

fn import_rtl_tsv(env: &Env) {
    let rows: String = fronts_and_backs()
        .iter()
        .map(|(front, back)| format!("{front}\t{back}\tcustomers\n"))
        .collect();
    let file = env.write("rtl.tsv", &rows);
    env.cmd_at(NOW)
        .args(["import", file.to_str().unwrap(), "--deck", "rtl"])
        .assert()
        .success();
}

#[test]
fn a_tsv_with_direction_marks_imports_them_as_written() {
    let env = Env::new();
    import_rtl_tsv(&env);
    let cards = env.cards("rtl");
    let expected = fronts_and_backs();
    assert_eq!(cards.len(), 2);
    for (card, (front, back)) in cards.iter().zip(&expected) {
        assert_eq!(card["front"].as_str(), Some(front.as_str()));
        assert_eq!(card["back"].as_str(), Some(back.as_str()));
    }
    // The deck file has the marks as escapes: nothing invisible in it.
    let file = std::fs::read_to_string(env.deck_file("rtl")).unwrap();
    assert!(!file.contains(RLM) && !file.contains(ALM), "{file}");
    assert!(
        file.contains("\\u200f") && file.contains("\\u061c"),
        "{file}"
    );
}

#[test]
fn a_right_to_left_card_is_reviewed_with_its_marks_and_the_lines_around_it_intact() {
    let env = Env::new();
    import_rtl_tsv(&env);
    let [(front, back), (front2, _)] = fronts_and_backs();
    let mut cmd = env.std_cmd_at(NOW);
    cmd.args(["review", "rtl"]);
    let mut pty = Pty::spawn(cmd, 80);
    pty.wait_for("(Space shows the answer");
    pty.send(" ");
    pty.wait_for("Grade: 0-2 wrong");
    pty.send("4");
    pty.wait_for(&front2);
    pty.wait_for("(Space shows the answer");
    pty.send("q");
    pty.wait_for("Next:");
    assert!(pty.wait().success());
    let screen = pty.screen();
    // Each side is a line of its own, exactly as written: the header before it, the
    // rule and the prompts after it are the same bytes as for any card.
    assert!(
        screen.contains(&format!("[1/2] rtl · new\n{front}\n")),
        "{screen:?}"
    );
    assert!(screen.contains(&format!("───\n{back}\n")), "{screen:?}");
    assert!(
        screen.contains(&format!("[2/2] rtl · new\n{front2}\n")),
        "{screen:?}"
    );
    // Never shown as an escape, and no mark anywhere but in the card's own lines.
    assert!(!screen.contains("\\u{200f}"), "{screen:?}");
    for line in screen.lines() {
        if line.contains([RLM, ALM]) {
            let own = fronts_and_backs()
                .iter()
                .any(|(f, b)| line == f || line == b);
            assert!(own, "a mark outside its card's own line: {line:?}");
        }
    }
}

#[test]
fn in_the_cards_table_and_card_show_right_to_left_text_is_closed_by_marks() {
    let env = Env::new();
    import_rtl_tsv(&env);
    let [(front, back), _] = fronts_and_backs();
    let table = env.ok_at(NOW, &["cards", "rtl"], "");
    let row = table
        .lines()
        .find(|l| l.contains("מה עושים"))
        .unwrap_or_else(|| panic!("{table}"));
    // The front sits between two LRMs, so the borders and columns after it stay put.
    assert!(row.contains(&format!("{LRM}{front}{LRM}")), "{row:?}");
    // `card show`: the sides on lines of their own, as written; the tag line intact.
    let ids: Vec<String> = common::ids(&env.cards("rtl"));
    let shown = env.ok_at(NOW, &["card", "show", &format!("rtl/{}", ids[0])], "");
    assert!(shown.contains(&format!("Front\n  {front}\n")), "{shown}");
    assert!(shown.contains(&format!("Back\n  {back}\n")), "{shown}");
    assert!(shown.contains("Tags\n  customers\n"), "{shown}");
}

#[test]
fn json_output_writes_the_marks_as_escapes() {
    let env = Env::new();
    import_rtl_tsv(&env);
    let out = env.ok_at(NOW, &["export", "rtl"], "");
    assert!(!out.contains(RLM) && !out.contains(ALM), "{out}");
    let deck: serde_json::Value = serde_json::from_str(&out).unwrap();
    let [(front, _), _] = fronts_and_backs();
    assert_eq!(deck["cards"][0]["front"].as_str(), Some(front.as_str()));
}

#[test]
fn the_embedding_and_isolate_controls_stay_refused() {
    let env = Env::new();
    for c in ['\u{202e}', '\u{2067}'] {
        let file = env.write("bad.tsv", &format!("Q{c}x\tA\tt\nQ2\tA2\tt\n"));
        env.cmd_at(NOW)
            .args([
                "import",
                file.to_str().unwrap(),
                "--deck",
                "bad",
                "--strict",
            ])
            .assert()
            .failure();
    }
}

/// A legacy `.apkg` (`collection.anki2`, Anki's schema 11) with one Basic note per
/// (front, back) pair, fields as HTML, each note tagged `tags`.
fn legacy_package(notes: &[(&str, &str)], tags: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("collection.anki2");
    let db = rusqlite::Connection::open(&path).unwrap();
    let models = serde_json::json!({"1001": {"name": "Basic", "type": 0,
        "flds": [{"name": "Front"}, {"name": "Back"}],
        "tmpls": [{"qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}]}});
    let decks = serde_json::json!({"1": {"name": "עברית"}});
    db.execute_batch(
        "create table col (crt integer, models text, decks text);
         create table notes (id integer, guid text, mid integer, tags text, flds text);
         create table cards (id integer, nid integer, did integer, ord integer, type integer,
             due integer, ivl integer, factor integer, reps integer, lapses integer);
         create table revlog (id integer, cid integer, ease integer, ivl integer,
             factor integer, type integer);",
    )
    .unwrap();
    db.execute(
        "insert into col values (1700000000, ?1, ?2)",
        [models.to_string(), decks.to_string()],
    )
    .unwrap();
    for (i, (front, back)) in notes.iter().enumerate() {
        let id = i as i64 + 1;
        db.execute(
            "insert into notes values (?1, ?2, 1001, ?3, ?4)",
            rusqlite::params![
                id,
                format!("guid{id}"),
                tags,
                format!("{front}\u{1f}{back}")
            ],
        )
        .unwrap();
        db.execute(
            "insert into cards values (?1, ?1, 1, 0, 0, ?1, 0, 0, 0, 0)",
            [id],
        )
        .unwrap();
    }
    drop(db);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("collection.anki2", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, &std::fs::read(&path).unwrap()).unwrap();
    zip.start_file("media", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, b"{}").unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn an_anki_package_with_direction_marks_imports_them_raw_or_as_entities() {
    let env = Env::new();
    let package = legacy_package(
        &[
            ("מה עושים?&rlm;", "מקשיבים&rlm; (3)\u{200f}"),
            ("كيف؟\u{61c}", "استمع&#x61c;<br>أولا"),
        ],
        "שלום\u{200f}",
    );
    let file = env.path("rtl.apkg");
    std::fs::write(&file, package).unwrap();
    env.cmd_at(NOW)
        .args(["import", file.to_str().unwrap(), "--deck", "rtl"])
        .assert()
        .success();
    let cards = env.cards("rtl");
    let text: Vec<(&str, &str)> = cards
        .iter()
        .map(|c| (c["front"].as_str().unwrap(), c["back"].as_str().unwrap()))
        .collect();
    assert_eq!(
        text,
        [
            ("מה עושים?\u{200f}", "מקשיבים\u{200f} (3)\u{200f}"),
            ("كيف؟\u{61c}", "استمع\u{61c}\nأولا"),
        ]
    );
    assert_eq!(cards[0]["tags"], serde_json::json!(["שלום\u{200f}"]));
}
