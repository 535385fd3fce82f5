//! `prepdeck review` driven end to end on piped input: Enter reveals, a line grades.
//! Every test uses its own user deck, named on the command line.

mod common;

use common::{assert_close, card, Env};

/// Input that reveals a card and grades it.
fn grade(g: u8) -> String {
    format!("\n{g}\n")
}

#[test]
fn sm2_schedule_over_several_days_follows_the_hand_computed_sequence() {
    let env = Env::new();
    env.install(
        "sm2",
        &[("only", "What does SM-2 stand for?", "SuperMemo 2")],
    );

    // (when, input, reps, ef, interval, due, lapses) after each session, worked out by hand:
    // grade 5 adds 0.1 to EF, grade 4 adds 0, a failure keeps EF and resets n.
    let steps: [(&str, String, u64, f64, u64, &str, u64); 5] = [
        // Day 0: new card, q=5: EF 2.5+0.1, n=0 -> interval 1.
        ("2026-11-01T09:00:00Z", grade(5), 1, 2.6, 1, "2026-11-02", 0),
        // Day 1: q=5: EF 2.7, n=1 -> interval 6.
        ("2026-11-02T09:00:00Z", grade(5), 2, 2.7, 6, "2026-11-08", 0),
        // Day 7: q=5: EF 2.8, interval ceil(6 x 2.8) = ceil(16.8) = 17.
        (
            "2026-11-08T09:00:00Z",
            grade(5),
            3,
            2.8,
            17,
            "2026-11-25",
            0,
        ),
        // Day 24: q=1 on a learned card: a lapse; n=0, interval 1, EF unchanged.
        // (The re-drill it causes is graded 4 and changes nothing.)
        (
            "2026-11-25T09:00:00Z",
            format!("{}{}", grade(1), grade(4)),
            0,
            2.8,
            1,
            "2026-11-26",
            1,
        ),
        // Day 25: q=4 relearns it: EF 2.8+0, n=0 -> interval 1; the lapse stays counted.
        ("2026-11-26T09:00:00Z", grade(4), 1, 2.8, 1, "2026-11-27", 1),
    ];
    for (now, input, reps, ef, interval, due, lapses) in steps {
        let out = env.ok_at(now, &["review", "sm2"], &input);
        assert!(out.contains("[1/"), "{now}: the card was not shown: {out}");
        let cards = env.cards_at("sm2", now);
        let c = card(&cards, "only");
        assert_eq!(c["reps"], reps, "{now}: {c}");
        assert_close(&c["ef"], ef, &format!("{now}: ef"));
        assert_eq!(c["interval"], interval, "{now}: {c}");
        assert_eq!(c["due"], due, "{now}: {c}");
        assert_eq!(c["lapses"], lapses, "{now}: {c}");
        assert_eq!(c["last_review"], now, "{now}: {c}");
    }
}

#[test]
fn a_card_is_not_shown_before_its_due_day() {
    let env = Env::new();
    env.install("sm2", &[("only", "Q?", "A.")]);
    env.ok_at("2026-11-01T09:00:00Z", &["review", "sm2"], &grade(5));
    env.ok_at("2026-11-02T09:00:00Z", &["review", "sm2"], &grade(5));
    // Interval 6 from 11-02: due 11-08, so nothing on 11-07 and the card on 11-08.
    let out = env.ok_at("2026-11-07T22:00:00Z", &["review", "sm2"], "");
    assert!(out.contains("Nothing to review right now"), "{out}");
    let out = env.ok_at("2026-11-08T09:00:00Z", &["review", "sm2"], &grade(4));
    assert!(out.contains("Reviewing 1 card (1 due, 0 new)"), "{out}");
    assert_eq!(env.log().len(), 3);
}

#[test]
fn undo_restores_the_previous_cards_state_and_shows_it_again() {
    let env = Env::new();
    env.install(
        "u",
        &[("a", "Front A", "Back A"), ("b", "Front B", "Back B")],
    );
    env.ok_at(
        "2026-11-01T09:00:00Z",
        &["review", "u", "--new", "1"],
        &grade(5),
    );
    let before = card(&env.cards_at("u", "2026-11-02T09:00:00Z"), "a").clone();
    assert_eq!(before["reps"], 1);

    // a is due and graded 2 (a lapse candidate); at b's first prompt, `u` takes it back.
    let out = env.ok_at(
        "2026-11-02T09:00:00Z",
        &["review", "u", "--new", "1"],
        &format!("{}u\nq\n", grade(2)),
    );
    let undone = out
        .find("Undone: showing that card again.")
        .unwrap_or_else(|| panic!("no undo message: {out}"));
    assert!(
        out[undone..].contains("Front A"),
        "card a not shown again: {out}"
    );
    assert!(
        out[..undone].contains("Front B"),
        "b was not shown first: {out}"
    );

    // a has exactly its state from before the undone answer; b is still new.
    let cards = env.cards_at("u", "2026-11-02T09:00:00Z");
    assert_eq!(card(&cards, "a"), &before);
    assert!(card(&cards, "b")["due"].is_null());
    // The log keeps both lines: the answer and the undo that carries the old state.
    let log = env.log();
    assert_eq!(log.len(), 3, "{log:?}");
    assert_eq!(log[2]["kind"], "undo");
    assert_eq!(log[2]["card"], "u/a");
    assert_eq!(log[2]["grade"], 2);
    assert_eq!(log[2]["restore"]["reps"], 1);
    assert_eq!(log[2]["restore"]["due"], "2026-11-02");
}

#[test]
fn undo_of_a_first_answer_makes_the_card_new_again() {
    let env = Env::new();
    env.install(
        "u",
        &[("a", "Front A", "Back A"), ("b", "Front B", "Back B")],
    );
    let out = env.ok_at(
        common::NOW,
        &["review", "u"],
        &format!("{}u\n{}", grade(4), grade(5)),
    );
    // After the undo, a is shown again as a new card.
    let (_, after_undo) = out
        .split_once("Undone: showing that card again.")
        .unwrap_or_else(|| panic!("no undo message: {out}"));
    assert!(after_undo.contains("u · new\nFront A"), "{out}");
    let log = env.log();
    assert_eq!(log[1]["kind"], "undo");
    assert!(
        log[1].get("restore").is_none(),
        "a new card has no state to restore: {log:?}"
    );
    let cards = env.cards("u");
    // a was answered 4, taken back, then answered 5: only the 5 counts.
    assert_close(&card(&cards, "a")["ef"], 2.6, "ef of a");
    assert_eq!(card(&cards, "a")["reps"], 1);
    // The session ended at end of input before b was graded.
    assert!(card(&cards, "b")["due"].is_null());
    let stats = env.json_at(common::NOW, &["stats", "u", "--json"]);
    assert_eq!(stats["total"]["reviewed_today"], 1);
    assert_eq!(stats["grades_30d"], serde_json::json!([0, 0, 0, 0, 0, 1]));
}

#[test]
fn a_card_graded_below_4_comes_back_and_redrills_leave_its_schedule_alone() {
    let env = Env::new();
    env.install("r", &[("x", "Front X", "Back X")]);
    env.ok_at("2026-11-01T09:00:00Z", &["review", "r"], &grade(5));
    env.ok_at("2026-11-02T09:00:00Z", &["review", "r"], &grade(5));
    // Due 11-08 with n=2, EF 2.7, interval 6. A 3 schedules it (EF 2.7-0.14 = 2.56,
    // interval ceil(6 x 2.56) = 16) and asks for a re-drill; the re-drill graded 2 asks
    // for another; the one graded 5 ends it.
    let out = env.ok_at(
        "2026-11-08T09:00:00Z",
        &["review", "r"],
        &format!("{}{}{}", grade(3), grade(2), grade(5)),
    );
    assert_eq!(out.matches("[again] r · re-drill").count(), 2, "{out}");
    assert!(out.contains("Reviewed:  1 card"), "{out}");
    assert!(out.contains("Re-drills: 2"), "{out}");

    let cards = env.cards_at("r", "2026-11-08T09:00:00Z");
    let x = card(&cards, "x");
    assert_eq!(x["reps"], 3, "{x}");
    assert_close(&x["ef"], 2.56, "ef");
    assert_eq!(x["interval"], 16, "{x}");
    assert_eq!(x["due"], "2026-11-24", "{x}");
    assert_eq!(x["lapses"], 0, "a failed re-drill is not a lapse: {x}");

    let log = env.log();
    let redrills: Vec<_> = log.iter().filter(|l| l["redrill"] == true).collect();
    assert_eq!(redrills.len(), 2);
    assert!(redrills.iter().all(|l| l.get("after").is_none()), "{log:?}");
}

#[test]
fn a_card_graded_4_or_5_does_not_come_back_in_the_session() {
    let env = Env::new();
    env.install_numbered("ok", 2);
    let out = env.ok_at(common::NOW, &["review", "ok"], &(grade(4) + &grade(5)));
    assert!(!out.contains("again"), "{out}");
    assert!(out.contains("Re-drills: 0"), "{out}");
    assert_eq!(env.log().len(), 2);
}

#[test]
fn the_new_card_limit_counts_cards_introduced_earlier_the_same_study_day() {
    let env = Env::new();
    env.install_numbered("n", 6);
    let answers = grade(4).repeat(6);
    let out = env.ok_at(
        "2026-11-22T09:00:00Z",
        &["review", "n", "--new", "3", "--limit", "2"],
        &answers,
    );
    assert!(out.contains("Reviewing 2 cards (0 due, 2 new)"), "{out}");
    // Later the same day, --new 3 leaves room for one more.
    let out = env.ok_at(
        "2026-11-22T15:00:00Z",
        &["review", "n", "--new", "3"],
        &answers,
    );
    assert!(out.contains("Reviewing 1 card (0 due, 1 new)"), "{out}");
    // 02:00 the next morning is still the same study day: the limit is reached...
    let out = env.ok_at(
        "2026-11-23T02:00:00Z",
        &["review", "n", "--new", "3"],
        &answers,
    );
    assert!(out.contains("Nothing to review right now"), "{out}");
    assert!(out.contains("new-card limit is reached"), "{out}");
    // ... and a higher limit allows exactly the difference.
    let out = env.ok_at(
        "2026-11-23T02:00:00Z",
        &["review", "n", "--new", "4"],
        &answers,
    );
    assert!(out.contains("Reviewing 1 card (0 due, 1 new)"), "{out}");
    let introduced = env
        .cards_at("n", "2026-11-23T02:00:00Z")
        .iter()
        .filter(|c| !c["due"].is_null())
        .count();
    assert_eq!(introduced, 4);
    // A new study day starts at 04:00 with a fresh allowance.
    let out = env.ok_at(
        "2026-11-23T04:00:00Z",
        &["review", "n", "--new", "3"],
        &answers,
    );
    assert!(out.contains("Reviewing 6 cards (4 due, 2 new)"), "{out}");
}

#[test]
fn limit_caps_the_cards_in_one_session() {
    let env = Env::new();
    env.install_numbered("l", 5);
    let out = env.ok_at(
        common::NOW,
        &["review", "l", "--limit", "2"],
        &grade(5).repeat(5),
    );
    assert!(out.contains("Reviewing 2 cards (0 due, 2 new)"), "{out}");
    assert!(out.contains("[2/2]") && !out.contains("[3/"), "{out}");
    assert_eq!(env.log().len(), 2);
    // Due cards are capped too: the next day both are due, one is shown.
    let out = env.ok_at(
        "2026-11-23T09:00:00Z",
        &["review", "l", "--limit", "1", "--new", "0"],
        &grade(5).repeat(5),
    );
    assert!(out.contains("Reviewing 1 card (1 due, 0 new)"), "{out}");
    assert_eq!(env.log().len(), 3);
}

#[test]
fn half_past_midnight_belongs_to_the_previous_study_day() {
    let env = Env::new();
    env.install(
        "night",
        &[("x", "Front X", "Back X"), ("y", "Front Y", "Back Y")],
    );
    env.ok_at(
        "2026-11-22T09:00:00Z",
        &["review", "night", "--limit", "1"],
        &grade(5),
    );
    // x is due on 11-23, but 00:30 on the 23rd is still study day 11-22: not due yet.
    let late = "2026-11-23T00:30:00Z";
    let out = env.ok_at(late, &["review", "night", "--new", "0"], "");
    assert!(
        out.contains("Nothing to review right now. Next: 1 card due tomorrow (2026-11-23)."),
        "{out}"
    );
    assert_eq!(
        env.json_at(late, &["cards", "night", "--due", "--json"]),
        serde_json::json!([])
    );
    // An answer at 00:30 is logged for 11-22 and due the day after it, 11-23.
    env.ok_at(late, &["review", "night"], &grade(5));
    let log = env.log();
    assert_eq!(log[1]["day"], "2026-11-22");
    assert_eq!(log[1]["after"]["due"], "2026-11-23");
    let stats = env.json_at(late, &["stats", "night", "--json"]);
    assert_eq!(stats["today"], "2026-11-22");
    assert_eq!(stats["total"]["reviewed_today"], 2);
    assert_eq!(stats["total"]["due_today"], 0);

    // At 04:00 the 23rd begins: nothing reviewed yet today, both cards due.
    let morning = "2026-11-23T04:00:00Z";
    let stats = env.json_at(morning, &["stats", "night", "--json"]);
    assert_eq!(stats["today"], "2026-11-23");
    assert_eq!(stats["total"]["reviewed_today"], 0);
    assert_eq!(stats["total"]["due_today"], 2);
    let out = env.ok_at(morning, &["review", "night"], &grade(5).repeat(2));
    assert!(out.contains("Reviewing 2 cards (2 due, 0 new)"), "{out}");
}

#[test]
fn end_of_input_mid_session_exits_0_and_keeps_the_answers_given() {
    // End of input at the grade prompt, and at the prompt that reveals the next card.
    for input in [format!("{}\n", grade(4)), grade(4)] {
        let env = Env::new();
        env.install_numbered("e", 3);
        let out = env.ok_at(common::NOW, &["review", "e"], &input);
        assert!(out.contains("Session summary"), "{out}");
        assert!(
            out.contains("Today:     still 2 new cards; `prepdeck review` carries on."),
            "{out}"
        );
        let cards = env.cards("e");
        assert_eq!(card(&cards, "c1")["reps"], 1);
        assert!(card(&cards, "c2")["due"].is_null());
        assert_eq!(env.log().len(), 1);
        // The session saved its snapshot; the next one carries on with c2.
        assert!(env.data().join("state.json").is_file());
        let out = env.ok_at(common::NOW, &["review", "e"], "q\n");
        assert!(out.contains("Reviewing 2 cards"), "{out}");
    }
}

#[test]
fn invalid_input_at_the_grade_prompt_is_refused_with_a_hint_and_asked_again() {
    let env = Env::new();
    env.install_numbered("g", 1);
    let out = env.ok_at(common::NOW, &["review", "g"], "\n7\ngood\n-1\n\n4\n");
    for bad in ["7", "good", "-1", ""] {
        assert!(
            out.contains(&format!(
                "{bad:?} is not a grade: type a number from 0 to 5 and Enter"
            )),
            "{bad:?}: {out}"
        );
    }
    // The grade prompt came back after each of the four refusals.
    assert_eq!(out.matches("Grade: 0-2 wrong").count(), 5, "{out}");
    let log = env.log();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["grade"], 4);
}

#[test]
fn q_ends_the_session_early_with_a_summary() {
    let env = Env::new();
    env.install_numbered("q", 3);
    // q at the grade prompt of the second card, after its answer was shown.
    let out = env.ok_at(common::NOW, &["review", "q"], &format!("{}\nq\n", grade(5)));
    let summary = out
        .split("Session summary")
        .nth(1)
        .unwrap_or_else(|| panic!("no summary: {out}"));
    assert!(summary.contains("Reviewed:  1 card\n"), "{summary}");
    assert!(summary.contains("Grades:    5: 1"), "{summary}");
    assert!(
        summary.contains("Today:     still 2 new cards;"),
        "{summary}"
    );
    assert!(
        summary.contains("Next:      1 card due tomorrow (2026-11-23)."),
        "{summary}"
    );
    assert!(!out.contains("[3/"), "{out}");
    let log = env.log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["card"], "q/c1");
}

#[test]
fn nothing_due_says_when_the_next_cards_are_due() {
    let env = Env::new();
    env.install_numbered("w", 2);
    env.ok_at(
        "2026-11-22T09:00:00Z",
        &["review", "w"],
        &grade(4).repeat(2),
    );
    let out = env.ok_at("2026-11-22T18:00:00Z", &["review", "w"], "");
    // Then, with no story yet, what to practise instead (tests/rehearse.rs).
    assert_eq!(
        out,
        "Nothing to review right now. Next: 2 cards due tomorrow (2026-11-23).\n\
         Your story: write the one you will tell with `prepdeck story new`.\n"
    );
    env.ok_at(
        "2026-11-23T09:00:00Z",
        &["review", "w"],
        &grade(5).repeat(2),
    );
    let out = env.ok_at("2026-11-23T18:00:00Z", &["review", "w"], "");
    assert_eq!(
        out.lines().next(),
        Some("Nothing to review right now. Next: 2 cards due in 6 days (2026-11-29).")
    );
    assert_eq!(
        env.log().len(),
        4,
        "a session with nothing to do writes nothing"
    );
}

#[test]
fn question_mark_shows_every_grade_with_its_meaning() {
    let env = Env::new();
    env.install_numbered("h", 1);
    let out = env.ok_at(common::NOW, &["review", "h"], "\n?\n5\n");
    // The README's meanings, one line per grade, highest first.
    let meanings = [
        (5, "complete"),
        (4, "hesitation"),
        (3, "serious effort"),
        (2, "easy once shown"),
        (1, "familiar"),
        (0, "blackout"),
    ];
    let help: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("How well did you recall it?"))
        .skip(1)
        .take(6)
        .collect();
    assert_eq!(help.len(), 6, "{out}");
    for (line, (g, words)) in help.iter().zip(meanings) {
        assert!(
            line.starts_with(&format!("  {g}  ")) && line.contains(words),
            "grade {g}: {line:?}"
        );
    }
    assert!(out.contains("Below 4, the card comes back later in this session."));
    // `?` is not an answer: the 5 that follows is.
    let log = env.log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["grade"], 5);
}

#[test]
fn quitting_with_cards_still_due_says_so_instead_of_nothing_scheduled() {
    let env = Env::new();
    env.install_numbered("d", 2);
    env.ok_at(
        "2026-11-22T09:00:00Z",
        &["review", "d"],
        &grade(4).repeat(2),
    );
    // The next day both are due; quit at once.
    let out = env.ok_at("2026-11-23T09:00:00Z", &["review", "d"], "q\n");
    let summary = out.split("Session summary").nth(1).unwrap_or_default();
    assert!(
        summary.contains("Today:     still 2 cards due; `prepdeck review` carries on."),
        "{out}"
    );
    assert!(!summary.contains("No cards are scheduled"), "{out}");
    assert!(
        summary.contains("Next:      no card is due after today yet."),
        "{out}"
    );
}

#[test]
fn limit_zero_says_what_is_waiting_instead_of_nothing_scheduled() {
    let env = Env::new();
    env.install_numbered("z", 5);
    let out = env.ok_at(
        common::NOW,
        &["review", "z", "--limit", "0", "--new", "2"],
        "",
    );
    assert_eq!(
        out,
        "Nothing to review: --limit 0 allows no cards.\nLeft for today: 2 new cards (of 5 not yet seen).\n"
    );
    assert!(env.log().is_empty());
}

#[test]
fn re_drills_are_shown_as_again_and_never_as_positions_past_the_limit() {
    let env = Env::new();
    env.install_numbered("l", 5);
    let out = env.ok_at(
        common::NOW,
        &["review", "l", "--limit", "3"],
        &(grade(1) + &grade(2) + &grade(5) + &grade(4) + &grade(5)),
    );
    assert!(out.contains("Reviewing 3 cards (0 due, 3 new)"), "{out}");
    assert!(out.contains("[3/3]") && !out.contains("[4/"), "{out}");
    assert_eq!(out.matches("[again] l · re-drill").count(), 2, "{out}");
    assert!(out.contains("Re-drills: 2"), "{out}");
}

#[test]
fn undecodable_input_at_a_prompt_is_refused_and_asked_again_not_an_error() {
    let env = Env::new();
    env.install_numbered("b", 1);
    let output = env
        .cmd()
        .args(["review", "b"])
        .write_stdin(&b"\n\xff\xfe\n5\n"[..])
        .assert()
        .success()
        .get_output()
        .clone();
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.contains("is not a grade"), "{out}");
    assert!(output.stderr.is_empty(), "{output:?}");
    assert_eq!(env.log().len(), 1);
    assert_eq!(env.log()[0]["grade"], 5);
}

#[test]
fn ctrl_c_ends_the_session_like_q_with_its_summary() {
    let env = Env::new();
    env.install_numbered("c", 3);
    let mut live = common::Live::start(&env, common::NOW, &["review", "c"]);
    live.wait_for("[1/3]");
    live.send(&grade(5));
    // The second card's prompt is waiting for a line when Ctrl-C comes.
    live.wait_for("[2/3]");
    live.wait_for("quit) > ");
    let (status, out) = live.interrupt();
    assert_eq!(status.code(), Some(0), "{out}");
    assert!(out.contains("Session summary"), "{out}");
    assert!(out.contains("Reviewed:  1 card\n"), "{out}");
    assert!(out.contains("Today:     still 2 new cards"), "{out}");
    assert_eq!(env.log().len(), 1);
    // The snapshot was saved as at the end of any session.
    assert!(env.data().join("state.json").is_file());
}
