//! `decks`, `cards`, `check` and error messages on a real 50-column terminal: every
//! line fits, no word or id is cut; piped, the lines stay as they were.
#![cfg(unix)]

mod common;

use common::pty::Pty;
use common::{Env, NOW};

const FRONT: &str = "How do you keep your voice calm when a customer raises theirs at you?";
const DECK: &str = "calm-voice-practice-deck";
const CARD: &str = "keep-the-voice-calm-when-shouted-at";

/// `args` on a terminal `cols` wide (`COLUMNS` set to `columns` when given): the exit
/// status and everything shown, colour codes removed.
fn on_terminal(env: &Env, args: &[&str], cols: u16, columns: Option<&str>) -> (bool, String) {
    let mut cmd = env.std_cmd_at(NOW);
    cmd.args(args);
    if let Some(columns) = columns {
        cmd.env("COLUMNS", columns);
    }
    let mut pty = Pty::spawn(cmd, cols);
    let status = pty.wait();
    // The reader thread may still be draining the terminal.
    std::thread::sleep(std::time::Duration::from_millis(200));
    (status.success(), plain(&pty.screen()))
}

/// `text` without colour codes, which take no room on screen.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|&c| c == 'm');
        } else {
            out.push(c);
        }
    }
    out
}

fn assert_fits(screen: &str, cols: usize, what: &str) {
    for line in screen.lines() {
        let width = unicode_width::UnicodeWidthStr::width(line);
        assert!(width <= cols, "{what}: {width} columns: {line:?}\n{screen}");
    }
}

/// True when `phrase` is on the screen with its words whole (lines broken at spaces).
fn reads(screen: &str, phrase: &str) -> bool {
    let words: Vec<&str> = screen.split_whitespace().collect();
    words.join(" ").contains(phrase)
}

fn setup() -> (Env, String) {
    let env = Env::new();
    env.install(DECK, &[(CARD, FRONT, "Lower it on purpose.")]);
    // A deck file with an error whose message is longer than 50 columns.
    let bad = env.write(
        "bad.json",
        r#"{"id":"x","title":"t","cards":[{"id":"a","front":"f","back":"b"}],,}"#,
    );
    (env, bad.to_str().unwrap().to_owned())
}

#[test]
fn at_50_columns_decks_cards_check_and_errors_fit_with_ids_and_words_whole() {
    let (env, bad) = setup();
    let (ok, decks) = on_terminal(&env, &["decks"], 50, None);
    assert!(ok, "{decks}");
    assert_fits(&decks, 50, "decks");
    assert!(
        decks.contains(DECK) && decks.contains("why-they-ask"),
        "{decks}"
    );
    assert!(reads(&decks, &format!("Deck {DECK}")), "{decks}");
    assert!(
        reads(&decks, "What the interviewer is listening for"),
        "{decks}"
    );

    let (ok, cards) = on_terminal(&env, &["cards", DECK], 50, None);
    assert!(ok, "{cards}");
    assert_fits(&cards, 50, "cards");
    assert!(cards.contains(CARD), "{cards}");
    // The front, cut after a whole word.
    let front = cards
        .lines()
        .find(|l| l.trim_start().starts_with("How do you"))
        .unwrap_or_else(|| panic!("no front: {cards}"))
        .trim();
    assert!(front.ends_with('…'), "{front:?}");
    let kept = front.trim_end_matches('…');
    assert!(FRONT.starts_with(kept), "{front:?}");
    assert_eq!(
        FRONT.as_bytes()[kept.len()],
        b' ',
        "a word was cut: {front:?}"
    );

    let (ok, check) = on_terminal(&env, &["check", &bad], 50, None);
    assert!(!ok, "{check}");
    assert_fits(&check, 50, "check");
    assert!(check.contains(&bad), "{check}");
    assert!(
        reads(
            &check,
            "key must be a string (the deck format is described in docs/deck-format.md)"
        ),
        "{check}"
    );

    let (ok, error) = on_terminal(&env, &["review", "no-such-deck-anywhere"], 50, None);
    assert!(!ok, "{error}");
    assert_fits(&error, 50, "error");
    assert!(error.contains("\"no-such-deck-anywhere\""), "{error}");
    assert!(
        reads(&error, "Run `prepdeck decks` to list them"),
        "{error}"
    );
    // A continuation is indented, so it does not read as a message of its own.
    let lines: Vec<&str> = error.lines().filter(|l| !l.is_empty()).collect();
    assert!(lines.len() > 1, "{error}");
    assert!(lines[0].starts_with("prepdeck: error: "), "{error}");
    assert!(lines[1..].iter().all(|l| l.starts_with("  ")), "{error}");
}

#[test]
fn a_terminal_that_reports_no_width_is_fitted_to_columns() {
    let (env, _) = setup();
    let (ok, decks) = on_terminal(&env, &["decks"], 0, Some("50"));
    assert!(ok, "{decks}");
    assert_fits(&decks, 50, "decks");
    assert!(decks.contains(DECK), "{decks}");
    // The terminal's own width comes first.
    let (_, wide) = on_terminal(&env, &["review", "no-such-deck-anywhere"], 250, Some("50"));
    assert_eq!(wide.trim_end().lines().count(), 1, "{wide}");
}

#[test]
fn piped_the_same_commands_print_whole_lines() {
    let (env, bad) = setup();
    let out = env.cmd().args(["check", &bad]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // The finding on one line, as it always was.
    let finding = text.lines().next().unwrap_or_default();
    assert!(
        finding.starts_with(&format!("{bad}: line 1, column "))
            && finding.ends_with(
                ": error: key must be a string (the deck format is described in docs/deck-format.md)"
            ),
        "{text}"
    );
    let out = env
        .cmd()
        .args(["review", "no-such-deck-anywhere"])
        .output()
        .unwrap();
    let error = String::from_utf8(out.stderr).unwrap();
    assert_eq!(error.lines().count(), 1, "{error}");
    assert!(
        error.ends_with("Run `prepdeck decks` to list them\n"),
        "{error}"
    );
    let decks = env.ok_at(NOW, &["decks"], "");
    assert!(decks.starts_with('┌'), "{decks}");
    assert!(decks.contains(&format!("Deck {DECK}")), "{decks}");
    let cards = env.ok_at(NOW, &["cards", DECK], "");
    assert!(cards.contains(FRONT) && cards.contains(CARD), "{cards}");
}

#[test]
fn at_50_columns_warnings_and_command_line_errors_fit_with_words_whole() {
    let env = Env::new();
    let file = env.write(
        "tips.tsv",
        "How do you calm an angry customer down?\tListen first\ttip\nOnly a front on this line, which the import will skip\n",
    );
    let (ok, screen) = on_terminal(&env, &["import", file.to_str().unwrap()], 50, None);
    assert!(ok, "{screen}");
    assert!(screen.contains("prepdeck: warning:"), "{screen}");
    assert_fits(&screen, 50, "import warning");
    assert!(
        reads(&screen, "a card needs a front and a back separated by"),
        "{screen}"
    );

    let (ok, screen) = on_terminal(&env, &["review", "--no-such-option-at-all"], 50, None);
    assert!(!ok);
    assert_fits(&screen, 50, "command line error");
    assert!(
        reads(&screen, "unexpected argument '--no-such-option-at-all'"),
        "{screen}"
    );
}
