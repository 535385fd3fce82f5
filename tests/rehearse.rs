//! `prepdeck rehearse`: the question, the timer (piped and on a real terminal), the
//! rubric, the rehearsal line in the review log and what reads it (`stats`, replay).

mod common;

use common::{Env, Live, NOW};
use serde_json::Value;
use std::time::Duration;

const STORY: &str = "Refund without a receipt\n\
A customer wanted a refund for a faulty kettle without a receipt.\n\
I was the cashier on duty.\n\
I let her finish without interrupting.\n\
I offered store credit, which the policy allowed.\n\
\n\
She came back the next week.\n\
Listening first calms people down.\n";
const ID: &str = "refund-without-a-receipt";

/// Nine rubric answers: yes to the points in `yes` (1-based), no to the others.
fn rubric(yes: &[usize]) -> String {
    (1..=9)
        .map(|k| if yes.contains(&k) { "y\n" } else { "n\n" })
        .collect()
}

fn rehearsals(env: &Env) -> Vec<Value> {
    env.log()
        .into_iter()
        .filter(|l| l["kind"] == "rehearsal")
        .collect()
}

fn fails(env: &Env, args: &[&str], input: &str) -> String {
    let assert = env
        .cmd()
        .args(args)
        .write_stdin(input.to_owned())
        .assert()
        .failure();
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn a_rehearsal_timed_elsewhere_is_recorded_with_its_points_and_shown_in_stats() {
    let env = Env::new();
    env.ok_at(NOW, &["story", "new"], STORY);
    let out = env.ok_at(
        NOW,
        &["rehearse", "--seconds", "75", "--story", ID],
        &rubric(&[1, 2, 3, 5, 6, 8, 9]),
    );
    assert!(
        out.contains("Tell me about a time you handled a difficult customer."),
        "{out}"
    );
    assert!(out.contains("Score: 8/10"), "{out}");
    assert!(
        out.contains("1:15 (75 s; target 60-90 s): on target"),
        "{out}"
    );
    // The two missed points, each with what to do.
    assert!(
        out.contains("Did you show you stayed calm") && out.contains("deep breath"),
        "{out}"
    );
    assert!(out.contains("Did you mention following up"), "{out}");
    assert!(out.contains("Action 2   I offered store credit"), "{out}");

    let lines = rehearsals(&env);
    assert_eq!(lines.len(), 1);
    let r = &lines[0];
    assert_eq!(r["v"], 2);
    assert_eq!(r["story"], ID);
    assert_eq!(r["seconds"], 75);
    assert_eq!(r["timed"], "given");
    assert_eq!(r["question"], 1);
    assert_eq!(r["day"], "2026-11-22");
    assert_eq!(r["points"].as_array().unwrap().len(), 8);
    assert!(r["points"].as_array().unwrap().contains(&"timing".into()));

    let stats = env.json_at(NOW, &["stats", "--json"]);
    assert_eq!(
        stats["rehearsals_14d"],
        serde_json::json!([{"date": "2026-11-22", "rehearsals": 1, "best_score": 8, "seconds": 75}])
    );
    let text = env.ok_at("2026-11-23T09:00:00Z", &["stats"], "");
    assert!(text.contains("Rehearsals, last 14 days"), "{text}");
    assert!(text.contains("Sun 22 Nov  ████████████████"), "{text}");
    // Fifteen days on, it has left the chart.
    let later = env.json_at("2026-12-07T09:00:00Z", &["stats", "--json"]);
    assert_eq!(later["rehearsals_14d"], serde_json::json!([]));
}

#[test]
fn timing_is_judged_from_the_time_not_asked() {
    let env = Env::new();
    let out = env.ok_at(
        NOW,
        &["rehearse", "--seconds", "120"],
        &rubric(&[1, 2, 3, 4, 5, 6, 7, 8, 9]),
    );
    assert!(out.contains("Score: 9/10"), "{out}");
    assert!(out.contains("120 s is past 90 s"), "{out}");
    assert_eq!(out.matches("(y/n)").count(), 9);
    assert_eq!(rehearsals(&env)[0]["story"], Value::Null);
}

#[test]
fn piped_the_timer_runs_from_the_question_to_the_first_empty_line() {
    let env = Env::new();
    let mut live = Live::start(&env, NOW, &["rehearse"]);
    live.wait_for("The timer runs until an empty line.");
    // A line with text does not stop it.
    live.send("notes while speaking\n");
    std::thread::sleep(Duration::from_millis(2200));
    live.send("\n");
    live.wait_for("[1/9]");
    live.send(&rubric(&[]));
    assert!(live.finish().success());
    let r = &rehearsals(&env)[0];
    assert_eq!(r["timed"], "measured");
    let seconds = r["seconds"].as_u64().unwrap();
    assert!((2..=6).contains(&seconds), "{seconds}");
}

#[test]
fn questions_rotate_through_the_bank_main_question_first() {
    let env = Env::new();
    for _ in 0..3 {
        env.ok_at(NOW, &["rehearse", "--seconds", "70"], &rubric(&[1]));
    }
    env.ok_at(
        NOW,
        &["rehearse", "--seconds", "70", "--question", "12"],
        &rubric(&[1]),
    );
    let asked: Vec<u64> = rehearsals(&env)
        .iter()
        .map(|r| r["question"].as_u64().unwrap())
        .collect();
    assert_eq!(asked, [1, 2, 3, 12]);
    let err = fails(&env, &["rehearse", "--question", "13"], "");
    assert!(err.contains("13"), "{err}");
}

#[test]
fn q_or_the_end_of_input_during_the_rubric_records_nothing() {
    let env = Env::new();
    let out = env.ok_at(NOW, &["rehearse", "--seconds", "70"], "y\nmaybe\nq\n");
    assert!(out.contains("y or n, please"), "{out}");
    assert!(out.contains("not recorded"), "{out}");
    let err = fails(&env, &["rehearse", "--seconds", "70"], "y\ny\n");
    assert!(err.contains("input ended at rubric point 3 of 9"), "{err}");
    let err = fails(&env, &["rehearse"], "still talking\n");
    assert!(err.contains("nothing was recorded"), "{err}");
    assert!(rehearsals(&env).is_empty());
}

#[test]
fn an_unknown_story_is_refused_before_the_question() {
    let env = Env::new();
    env.ok_at(NOW, &["story", "new"], STORY);
    let err = fails(
        &env,
        &["rehearse", "--story", "nope", "--seconds", "70"],
        &rubric(&[]),
    );
    assert!(err.contains(&format!("your stories are: {ID}")), "{err}");
    assert!(!env.log_path().exists());
}

#[test]
fn a_kill_during_a_rehearsal_loses_nothing_that_was_confirmed() {
    let env = Env::new();
    env.ok_at(NOW, &["rehearse", "--seconds", "70"], &rubric(&[1, 2]));
    let before = std::fs::read(env.log_path()).unwrap();

    // Killed half-way through the rubric: the earlier rehearsal is whole, nothing else
    // was written, and the next commands read the log as it is.
    let mut live = Live::start(&env, NOW, &["rehearse", "--seconds", "70"]);
    live.wait_for("[1/9]");
    live.send("y\ny\ny\ny\n");
    live.wait_for("[5/9]");
    live.kill();
    assert_eq!(std::fs::read(env.log_path()).unwrap(), before);

    // Killed once the last point is answered and the summary shows: it is in the log.
    let mut live = Live::start(&env, NOW, &["rehearse", "--seconds", "80"]);
    live.wait_for("[1/9]");
    live.send(&rubric(&[1, 2, 3]));
    live.wait_for("Score: 4/10");
    live.kill();
    let lines = rehearsals(&env);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["seconds"], 80);
    let stats = env.json_at(NOW, &["stats", "--json"]);
    assert_eq!(stats["rehearsals_14d"][0]["rehearsals"], 2);
}

#[test]
fn rehearsal_lines_are_not_card_progress_for_review_replay_or_retired_cards() {
    let env = Env::new();
    env.install("d", &[("a", "A?", "a"), ("b", "B?", "b")]);
    env.review("d", NOW, 1);
    env.ok_at(NOW, &["rehearse", "--seconds", "70"], &rubric(&[1]));
    env.review("d", NOW, 1);
    // Card b retired: stats reads the log for the answers on it, past the rehearsal.
    env.install("d", &[("a", "A?", "a")]);
    let stats = env.json_at(NOW, &["stats", "d", "--json"]);
    assert_eq!(stats["decks"][0]["reviewed_today"], 1);
    // Without the snapshot, progress is rebuilt from the whole log, rehearsal included.
    std::fs::remove_file(env.data().join("state.json")).unwrap();
    let cards = env.cards("d");
    assert_eq!(cards[0]["reps"], 1);
    assert_eq!(env.log().len(), 3);
}

#[test]
fn a_damaged_rehearsal_line_is_reported_with_its_line_number_and_left_untouched() {
    let env = Env::new();
    env.ok_at(NOW, &["rehearse", "--seconds", "70"], &rubric(&[1]));
    let mut text = std::fs::read_to_string(env.log_path()).unwrap();
    text = text.replace("\"seconds\":70", "\"seconds\":\"long\"");
    std::fs::write(env.log_path(), &text).unwrap();
    for args in [&["stats"][..], &["rehearse", "--seconds", "70"]] {
        let err = fails(&env, args, &rubric(&[]));
        assert!(
            err.contains("is damaged at line 1: it is not a valid rehearsal entry"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(std::fs::read_to_string(env.log_path()).unwrap(), text);
}

#[test]
fn on_a_terminal_a_live_timer_counts_up_each_second_and_enter_stops_it() {
    let env = Env::new();
    let mut cmd = env.std_cmd_at(NOW);
    cmd.arg("rehearse");
    let mut pty = common::pty::Pty::spawn(cmd, 100);
    pty.wait_for("press Enter when you finish");
    pty.wait_for("0:02  speaking");
    pty.send("\r");
    pty.wait_for("[1/9]");
    for _ in 0..9 {
        pty.send("y\r");
    }
    pty.wait_for("Score: ");
    assert!(pty.wait().success());
    let seen = pty.screen();
    // Each second drawn once, in order, over the same line.
    let ticks: Vec<&str> = seen
        .split('\r')
        .filter_map(|s| s.trim_start().get(..4))
        .filter(|s| s.starts_with("0:0"))
        .collect();
    assert!(ticks.starts_with(&["0:00", "0:01", "0:02"]), "{ticks:?}");
    let r = &rehearsals(&env)[0];
    assert_eq!(r["timed"], "measured");
    let seconds = r["seconds"].as_u64().unwrap();
    assert!((2..=6).contains(&seconds), "{seconds}");
}

#[test]
fn review_ends_suggesting_a_story_then_a_rehearsal_until_one_is_done_today() {
    let env = Env::new();
    env.install_numbered("d", 3);
    let out = env.ok_at(NOW, &["review", "d"], "\n4\n");
    assert!(out.contains("`prepdeck story new`"), "{out}");
    assert!(!out.contains("`prepdeck rehearse`"), "{out}");
    env.ok_at(NOW, &["story", "new"], STORY);
    let out = env.ok_at(NOW, &["review", "d"], "\n4\n");
    assert!(
        out.contains("with `prepdeck rehearse` (none yet today)"),
        "{out}"
    );
    env.ok_at(NOW, &["rehearse", "--seconds", "70"], &rubric(&[1]));
    let out = env.ok_at(NOW, &["review", "d"], "\n4\n");
    assert!(
        !out.contains("prepdeck rehearse") && !out.contains("story new"),
        "{out}"
    );
    // The next day, the suggestion is back.
    let out = env.ok_at("2026-11-23T09:00:00Z", &["review", "d"], "\n4\n");
    assert!(out.contains("(none yet today)"), "{out}");
}

#[test]
fn nothing_to_review_still_suggests_a_story_then_a_rehearsal() {
    let env = Env::new();
    env.install_numbered("d", 1);
    env.ok_at(NOW, &["review", "d"], "\n4\n");
    let out = env.ok_at(NOW, &["review", "d"], "");
    assert_eq!(
        out,
        "Nothing to review right now. Next: 1 card due tomorrow (2026-11-23).\n\
         Your story: write the one you will tell with `prepdeck story new`.\n"
    );
    env.ok_at(NOW, &["story", "new"], STORY);
    let out = env.ok_at(NOW, &["review", "d"], "");
    assert!(out.starts_with("Nothing to review right now."), "{out}");
    assert!(
        out.ends_with("with `prepdeck rehearse` (none yet today).\n"),
        "{out}"
    );
    // `--limit 0` asks only what is waiting: the answer comes alone.
    let out = env.ok_at(NOW, &["review", "d", "--limit", "0"], "");
    assert!(!out.contains("prepdeck rehearse"), "{out}");
    env.ok_at(NOW, &["rehearse", "--seconds", "70"], &rubric(&[1]));
    let out = env.ok_at(NOW, &["review", "d"], "");
    assert!(out.starts_with("Nothing to review right now."), "{out}");
    assert!(
        !out.contains("prepdeck rehearse") && !out.contains("story new"),
        "{out}"
    );
}

#[test]
fn plan_counts_one_or_two_rehearsals_a_day_up_to_the_interview() {
    let env = Env::new();
    env.ok_at(NOW, &["plan", "--interview", "2026-11-30"], "");
    let out = env.ok_at(NOW, &["plan"], "");
    assert!(
        out.contains("8-16 in the 8 days left.\nRehearsals today: 0;"),
        "{out}"
    );
    assert!(out.contains("`prepdeck story new`"), "{out}");
    env.ok_at(NOW, &["story", "new"], STORY);
    env.ok_at(NOW, &["rehearse", "--seconds", "70"], &rubric(&[1]));
    let json = env.json_at(NOW, &["plan", "--json"]);
    assert_eq!(
        json["rehearsals"],
        serde_json::json!({"days_left": 8, "per_day_min": 1, "per_day_max": 2, "total_min": 8,
            "total_max": 16, "done_today": 1, "done_14d": 1, "stories": 1})
    );
}

#[test]
fn a_rehearsal_is_refused_before_its_question_while_a_review_writes() {
    let env = Env::new();
    env.install_numbered("d", 2);
    let mut review = Live::start(&env, NOW, &["review", "d"]);
    review.wait_for("Question 1");
    let assert = env
        .cmd()
        .args(["rehearse", "--seconds", "70"])
        .write_stdin(rubric(&[1]))
        .assert()
        .failure();
    let output = assert.get_output();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("already running"), "{stderr}");
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("Tell me about"),
        "asked anyway"
    );
    review.kill();
    assert!(rehearsals(&env).is_empty());
}
