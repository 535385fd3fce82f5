//! `prepdeck review` at a real terminal (a pseudo-terminal): single keys, no Enter, and
//! the terminal left in cooked mode however the session ends.
#![cfg(unix)]

mod common;

use common::pty::Pty;
use common::{Env, NOW};

/// The reveal prompt at a terminal.
const REVEAL: &str = "(Space shows the answer";
/// The grade prompt.
const GRADE: &str = "Grade: 0-2 wrong";

fn review(env: &Env, args: &[&str]) -> Pty {
    review_at(env, args, 80)
}

/// `review ARGS` on a terminal `cols` columns wide.
fn review_at(env: &Env, args: &[&str], cols: u16) -> Pty {
    let mut cmd = env.std_cmd_at(NOW);
    cmd.arg("review").args(args);
    Pty::spawn(cmd, cols)
}

/// (kind, card, grade) of every log entry.
fn answers(env: &Env) -> Vec<(String, String, u64)> {
    env.log()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or("answer").to_owned(),
                e["card"].as_str().unwrap().to_owned(),
                e["grade"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn space_reveals_and_one_digit_grades_without_enter() {
    let env = Env::new();
    env.install_numbered("keys", 2);
    let mut pty = review(&env, &["keys"]);
    pty.wait_for("Question 1");
    pty.wait_for(REVEAL);
    // Raw mode while the session waits for a key: no line editing, no echo.
    assert!(!pty.cooked(), "the terminal is still in cooked mode");
    pty.send(" ");
    pty.wait_for("Answer 1");
    pty.wait_for(GRADE);
    pty.send("4");
    pty.wait_for("Question 2");
    pty.wait_for(REVEAL);
    pty.send("\r");
    pty.wait_for("Answer 2");
    pty.wait_for(GRADE);
    pty.send("5");
    let end = pty.wait_for("Next:");
    assert!(end.contains("Reviewed:  2 cards"), "{end}");
    assert!(pty.wait().success());
    assert!(pty.cooked(), "the terminal was left in raw mode");
    let got = answers(&env);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!((got[0].1.as_str(), got[0].2), ("keys/c1", 4));
    assert_eq!((got[1].1.as_str(), got[1].2), ("keys/c2", 5));
}

#[test]
fn u_undoes_the_previous_answer_and_shows_that_card_again() {
    let env = Env::new();
    env.install_numbered("keys", 2);
    let mut pty = review(&env, &["keys"]);
    pty.wait_for(REVEAL);
    pty.send(" ");
    pty.wait_for(GRADE);
    pty.send("1");
    pty.wait_for("Question 2");
    pty.wait_for(REVEAL);
    pty.send("u");
    let undone = pty.wait_for("Question 1");
    assert!(undone.contains("Undone"), "{undone}");
    pty.wait_for(REVEAL);
    pty.send(" ");
    pty.wait_for(GRADE);
    pty.send("5");
    pty.wait_for("Question 2");
    pty.wait_for(REVEAL);
    pty.send("q");
    pty.wait_for("Session summary");
    assert!(pty.wait().success());
    assert!(pty.cooked());
    let got = answers(&env);
    let kinds: Vec<(&str, u64)> = got.iter().map(|(k, _, g)| (k.as_str(), *g)).collect();
    assert_eq!(
        kinds,
        [("answer", 1), ("undo", 1), ("answer", 5)],
        "{got:?}"
    );
}

#[test]
fn every_quit_key_at_either_prompt_ends_with_the_summary_in_cooked_mode() {
    for key in ["q", "Q", "\x1b", "\x03", "\x04"] {
        for at_grade in [false, true] {
            let env = Env::new();
            env.install_numbered("keys", 2);
            let mut pty = review(&env, &["keys"]);
            pty.wait_for(REVEAL);
            if at_grade {
                pty.send(" ");
                pty.wait_for(GRADE);
            }
            pty.send(key);
            let end = pty.wait_for("Next:");
            assert!(
                end.contains("Session summary") && end.contains("Reviewed:  0 cards"),
                "{key:?} at_grade={at_grade}: {end}"
            );
            let status = pty.wait();
            assert!(status.success(), "{key:?}: {status:?}");
            assert!(
                pty.cooked(),
                "{key:?} at_grade={at_grade}: raw mode left on"
            );
            assert!(env.log().is_empty());
        }
    }
}

#[test]
fn a_digit_before_the_answer_shows_it_and_stray_keys_get_a_hint() {
    let env = Env::new();
    env.install_numbered("keys", 1);
    let mut pty = review(&env, &["keys"]);
    pty.wait_for(REVEAL);
    pty.send("x");
    let hint = pty.wait_for(REVEAL);
    assert!(
        hint.contains("Space or Enter shows the answer (? for help)."),
        "{hint}"
    );
    pty.send("5");
    let shown = pty.wait_for(GRADE);
    assert!(shown.contains("Grade after seeing the answer"), "{shown}");
    assert!(shown.contains("Answer 1"), "{shown}");
    // Space at the grade prompt is not a grade.
    pty.send(" ");
    let hint = pty.wait_for(GRADE);
    assert!(hint.contains("Press 0 to 5 to grade it"), "{hint}");
    pty.send("?");
    let help = pty.wait_for(GRADE);
    assert!(help.contains("How well did you recall it?"), "{help}");
    pty.send("4");
    pty.wait_for("Session summary");
    assert!(pty.wait().success());
    let got = answers(&env);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].2, 4, "the blind 5 was taken: {got:?}");
}

#[test]
fn sigterm_and_sighup_leave_the_terminal_in_cooked_mode() {
    for signal in [libc::SIGTERM, libc::SIGHUP] {
        let env = Env::new();
        env.install_numbered("keys", 2);
        let mut pty = review(&env, &["keys"]);
        pty.wait_for(REVEAL);
        pty.send(" ");
        pty.wait_for(GRADE);
        pty.send("4");
        pty.wait_for("Question 2");
        pty.wait_for(REVEAL);
        assert!(!pty.cooked());
        pty.signal(signal);
        let status = pty.wait();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(signal), "{status:?}");
        assert!(pty.cooked(), "signal {signal}: raw mode left on");
        // The answer given before the signal is on disk.
        assert_eq!(answers(&env).len(), 1);
    }
}

#[test]
fn resizing_the_terminal_rewraps_the_card_shown() {
    let env = Env::new();
    let long = "Customer service reps, salespeople and many other professionals meet such customers all the time";
    env.install("keys", &[("c1", long, "Stay calm and listen")]);
    let mut pty = review_at(&env, &["keys"], 120);
    let first = pty.wait_for(REVEAL);
    assert!(
        first.contains(long),
        "at 120 columns, the front fits one line: {first}"
    );
    pty.resize(30);
    // Narrower than 80 columns, the prompt takes its short form too.
    let again = pty.wait_for("(Space: answer");
    assert!(again.contains("[1/1] keys · new"), "{again}");
    let front: Vec<&str> = again
        .lines()
        .skip_while(|l| !l.contains("[1/1]"))
        .skip(1)
        .take_while(|l| !l.contains("Space"))
        .collect();
    assert!(front.len() > 2, "{again}");
    assert!(front.iter().all(|l| l.chars().count() <= 30), "{front:?}");
    assert_eq!(front.join(" "), long);
    pty.send("q");
    pty.wait_for("Session summary");
    assert!(pty.wait().success());
}

#[test]
fn line_at_a_terminal_keeps_the_line_protocol() {
    let env = Env::new();
    env.install_numbered("keys", 1);
    let mut pty = review(&env, &["keys", "--line"]);
    pty.wait_for("(Enter shows the answer");
    assert!(pty.cooked(), "--line must not switch to raw mode");
    // A key alone does nothing until Enter.
    pty.send("4");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(!pty.screen().contains("Answer 1"));
    pty.send("\r");
    pty.wait_for("Answer 1");
    pty.wait_for(GRADE);
    pty.send("4\r");
    pty.wait_for("Session summary");
    assert!(pty.wait().success());
    assert_eq!(answers(&env)[0].2, 4);
}

#[test]
fn term_dumb_gets_no_colour_on_a_terminal() {
    let env = Env::new();
    env.install_numbered("keys", 1);
    let screen = |term: &str| {
        let mut cmd = env.std_cmd_at(NOW);
        cmd.args(["review", "keys"])
            .env_remove("NO_COLOR")
            .env("TERM", term);
        let mut pty = Pty::spawn(cmd, 80);
        pty.wait_for("Question 1");
        pty.wait_for("quit)");
        pty.send("q");
        pty.wait_for("Next:");
        assert!(pty.wait().success());
        pty.screen()
    };
    assert!(screen("xterm").contains('\u{1b}'), "colour expected");
    assert!(!screen("dumb").contains('\u{1b}'), "TERM=dumb got colour");
}

#[test]
fn at_50_columns_every_review_line_fits_and_no_word_is_cut() {
    let env = Env::new();
    let long = "Customer service reps, salespeople and many other professionals meet such customers all the time";
    env.install("keys", &[("c1", long, long), ("c2", "Short", "Answer")]);
    let mut pty = review_at(&env, &["keys"], 50);
    pty.wait_for("(Space: answer");
    pty.send("?");
    pty.wait_for("(Space: answer");
    pty.send("4");
    pty.wait_for("Grade 0-5");
    pty.send("5");
    pty.wait_for("(Space: answer");
    pty.send("q");
    pty.wait_for("Next:");
    assert!(pty.wait().success());
    let screen = pty.screen();
    for line in screen.lines() {
        assert!(
            line.chars().count() <= 50,
            "{} columns: {line:?}\n{screen}",
            line.chars().count()
        );
    }
    // Every word of the card is there whole, in order.
    let words: Vec<&str> = screen.split_whitespace().collect();
    let text = words.join(" ");
    assert!(text.contains(long), "{screen}");
}

/// Runs `args` on a terminal `cols` wide and returns all it printed.
fn screen_of(env: &Env, args: &[&str], cols: u16) -> String {
    let mut cmd = env.std_cmd_at(NOW);
    cmd.args(args);
    let mut pty = Pty::spawn(cmd, cols);
    let status = pty.wait();
    assert!(status.success(), "{args:?}: {status:?}\n{}", pty.screen());
    // The reader thread may still be draining the terminal.
    std::thread::sleep(std::time::Duration::from_millis(200));
    pty.screen()
}

#[test]
fn at_50_columns_plan_stats_import_and_card_lines_fit() {
    let env = Env::new();
    env.install_numbered("mine", 3);
    env.ok_at(NOW, &["review", "mine"], &"\n4\n".repeat(3));
    let file = env.write(
        "more.json",
        &common::deck_json("more", "1", &[("a", "A front", "A back")]),
    );
    env.ok_at(NOW, &["plan", "--interview", "2026-12-18"], "");
    let file = file.to_str().unwrap().to_owned();
    for args in [
        vec!["plan"],
        vec!["stats"],
        vec!["import", file.as_str()],
        vec!["card", "show", "mine/c1"],
        vec!["card", "suspend", "mine/c2"],
    ] {
        let screen = screen_of(&env, &args, 50);
        assert!(screen.lines().count() > 1, "{args:?}: {screen}");
        if args[0] == "stats" {
            // Ids whole: no table cell cut them in pieces.
            for id in ["why-they-ask", "answer-tips", "mine", "total"] {
                assert!(screen.contains(&format!("{id}: ")), "{id}: {screen}");
            }
        }
        for line in screen.lines() {
            let plain: String = {
                // Colour codes take no room on screen.
                let mut out = String::new();
                let mut chars = line.chars();
                while let Some(c) = chars.next() {
                    if c == '\u{1b}' {
                        for c in chars.by_ref() {
                            if c == 'm' {
                                break;
                            }
                        }
                    } else {
                        out.push(c);
                    }
                }
                out
            };
            assert!(
                unicode_width::UnicodeWidthStr::width(plain.as_str()) <= 50,
                "{args:?}: {} columns: {plain:?}\n{screen}",
                plain.chars().count()
            );
        }
    }
}

#[test]
fn ctrl_z_suspends_the_review_under_a_shell_with_job_control_and_fg_resumes_it() {
    let env = Env::new();
    env.install_numbered("keys", 2);
    let review = env.std_cmd_at(NOW);
    // An interactive bash runs the review as a job, as a terminal's shell does; it says
    // how the job ended (148 is 128 + SIGTSTP: stopped), waits for a line typed at its
    // prompt, then brings the review back with `fg`.
    let line = format!(
        "'{}' --data-dir '{}' review keys; echo \"job ended $?\"; read -r _; fg",
        review.get_program().to_string_lossy(),
        env.data().display()
    );
    let mut cmd = std::process::Command::new("bash");
    cmd.args(["--norc", "--noprofile", "-i", "-c", &line]);
    for (key, value) in review.get_envs() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
    let mut pty = Pty::spawn(cmd, 80);
    pty.wait_for(REVEAL);
    assert!(!pty.cooked());
    pty.send("\u{1a}");
    pty.wait_for("job ended 148");
    // The shell got its terminal back as it was, not in raw mode.
    assert!(pty.cooked(), "suspended in raw mode");
    pty.send("\r");
    // `fg`: the card is shown again, keys are single keys again, the review goes on.
    pty.wait_for("Question 1");
    pty.wait_for(REVEAL);
    assert!(!pty.cooked(), "resumed without raw mode");
    pty.send(" ");
    pty.wait_for(GRADE);
    pty.send("4");
    pty.wait_for("Question 2");
    pty.send("q");
    pty.wait_for("Session summary");
    let _ = pty.wait();
    assert_eq!(answers(&env).len(), 1);
}

#[test]
fn ctrl_z_without_job_control_shows_the_card_again_and_the_review_goes_on() {
    // On a terminal with no shell to stop to (here the review leads its own session),
    // the stop is dropped by the system: the card is shown again, nothing is lost.
    let env = Env::new();
    env.install_numbered("keys", 1);
    let mut pty = review(&env, &["keys"]);
    pty.wait_for(REVEAL);
    pty.send("\u{1a}");
    let again = pty.wait_for(REVEAL);
    assert!(
        !again.contains("Space or Enter shows the answer (? for help)"),
        "{again}"
    );
    assert!(
        again.contains("[1/1] keys"),
        "the card is shown again: {again}"
    );
    pty.send(" ");
    pty.wait_for(GRADE);
    pty.send("4");
    pty.wait_for("Next:");
    assert!(pty.wait().success());
    assert_eq!(answers(&env).len(), 1);
}
