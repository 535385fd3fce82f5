//! Interview-date planning and the stats pictures, driven through the binary over
//! simulated days with a fixed clock.

use assert_cmd::Command;
use chrono::{Datelike, Days, NaiveDate};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

const DECK: &str = "runup";

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn prepdeck(data: &Path, day: NaiveDate) -> Command {
    let mut cmd = Command::cargo_bin("prepdeck").unwrap();
    cmd.arg("--data-dir")
        .arg(data)
        .env("PREPDECK_NOW", format!("{day}T12:00:00Z"))
        .env("TZ", "UTC")
        .env("NO_COLOR", "1");
    cmd
}

/// Writes user deck `id` with cards `c1..=cN`.
fn write_deck_named(data: &Path, id: &str, cards: usize) {
    let cards: Vec<String> = (1..=cards)
        .map(|i| {
            format!(
                r#"{{"id": "c{i}", "front": "Question {i} of {id}", "back": "Answer {i}", "tags": ["t"]}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"format_version": 1, "id": "{id}", "title": "{id}", "description": "", "cards": [{}]}}"#,
        cards.join(",")
    );
    std::fs::create_dir_all(data.join("decks")).unwrap();
    std::fs::write(data.join("decks").join(format!("{id}.json")), text).unwrap();
}

fn write_deck(data: &Path, cards: usize) {
    write_deck_named(data, DECK, cards);
}

/// Hides every built-in deck, so `review` without deck names sees only the test's decks.
fn hide_built_in(data: &Path, day: NaiveDate) {
    for deck in prepdeck::catalog::built_in().unwrap() {
        run_ok(prepdeck(data, day).args(["decks", "hide", deck.id.as_str()]));
    }
}

fn run_ok(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    String::from_utf8(output.stdout).unwrap()
}

fn run_err(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert!(!output.status.success(), "succeeded: {:?}", output);
    String::from_utf8(output.stderr).unwrap()
}

/// Answers to every card a session shows: `grades` in turn, over and over (first
/// answers and re-drills alike), `n` answers in all.
fn script(grades: &[u8], n: usize) -> String {
    grades
        .iter()
        .cycle()
        .take(n)
        .map(|g| format!("\n{g}\n"))
        .collect()
}

/// `prepdeck review ARGS` on `day`, answering with `grades` until the queue is empty.
fn review_args(data: &Path, day: NaiveDate, grades: &[u8], args: &[&str]) -> String {
    run_ok(
        prepdeck(data, day)
            .arg("review")
            .args(args)
            .write_stdin(script(grades, 2000)),
    )
}

/// Reviews the run-up deck on `day`; without `--new` in `extra`, the plan paces new cards.
fn review(data: &Path, day: NaiveDate, grades: &[u8], extra: &[&str]) -> String {
    let mut args = vec![DECK];
    args.extend_from_slice(extra);
    review_args(data, day, grades, &args)
}

/// `text` with every run of white space made one space, so a wrapped line reads whole.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn json(data: &Path, day: NaiveDate, args: &[&str]) -> Value {
    serde_json::from_str(&run_ok(prepdeck(data, day).args(args))).unwrap()
}

/// Every review-log line, parsed.
fn log(data: &Path) -> Vec<Value> {
    std::fs::read_to_string(data.join("reviews.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn due_of(card: &Value) -> Option<NaiveDate> {
    card["due"].as_str().map(date)
}

fn key_of(card: &Value) -> String {
    format!(
        "{}/{}",
        card["deck"].as_str().unwrap(),
        card["id"].as_str().unwrap()
    )
}

/// Each card's SM-2 day as the log says it: the last scheduling answer's `sm2_due`,
/// or its `due` when no plan moved it; an undo puts back the state it restores.
fn sm2_days(data: &Path) -> HashMap<String, NaiveDate> {
    let mut days = HashMap::new();
    let sm2_of = |state: &Value| date(state["sm2_due"].as_str().or(state["due"].as_str()).unwrap());
    for line in log(data) {
        let card = line["card"].as_str().unwrap().to_owned();
        match (line["kind"].as_str().unwrap(), line["redrill"] == true) {
            ("answer", false) => {
                days.insert(card, sm2_of(&line["after"]));
            }
            ("undo", false) if line["restore"].is_object() => {
                days.insert(card, sm2_of(&line["restore"]));
            }
            ("undo", false) => {
                days.remove(&card);
            }
            _ => {}
        }
    }
    days
}

/// New cards introduced per day, from the log: a card's first answer.
fn introduced_per_day(data: &Path, deck: &str) -> BTreeMap<NaiveDate, u32> {
    let mut seen = HashSet::new();
    let mut per_day = BTreeMap::new();
    for line in log(data) {
        let card = line["card"].as_str().unwrap();
        if card.starts_with(&format!("{deck}/")) && seen.insert(card.to_owned()) {
            *per_day
                .entry(date(line["day"].as_str().unwrap()))
                .or_default() += 1;
        }
    }
    per_day
}

/// A review log in which card `deck/cI` was answered 5 long ago with a 120-day
/// interval and is due on `due(I)`: SM-2 would review it next on that day.
fn write_history(data: &Path, deck: &str, cards: usize, due: impl Fn(usize) -> NaiveDate) {
    let mut text = std::fs::read_to_string(data.join("reviews.jsonl")).unwrap_or_default();
    for i in 1..=cards {
        text.push_str(&format!(
            r#"{{"v":1,"kind":"answer","at":"2026-07-01T12:00:00Z","card":"{deck}/c{i}","day":"2026-07-01","grade":5,"redrill":false,"after":{{"reps":5,"ef":2.5,"interval":120,"lapses":0,"due":"{}"}}}}"#,
            due(i)
        ));
        text.push('\n');
    }
    std::fs::write(data.join("reviews.jsonl"), text).unwrap();
}

/// Moved reviews per day from `today` to `last_day`: planned cards whose due day (as
/// `cards --json` shows it) is not SM-2's. Overdue ones count on today.
fn moved_per_day(
    cards: &Value,
    sm2: &HashMap<String, NaiveDate>,
    today: NaiveDate,
    last_day: NaiveDate,
) -> BTreeMap<NaiveDate, usize> {
    let mut per_day: BTreeMap<NaiveDate, usize> = today
        .iter_days()
        .take_while(|d| *d <= last_day)
        .map(|d| (d, 0))
        .collect();
    for card in cards.as_array().unwrap() {
        let Some(due) = due_of(card) else { continue };
        if sm2.get(&key_of(card)) != Some(&due) {
            *per_day.entry(due.max(today)).or_default() += 1;
        }
    }
    per_day
}

#[test]
fn a_thirty_day_run_up_after_studying_pulls_in_spreads_paces_and_hands_back_to_sm2() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let start = date("2026-11-01");
    let interview = date("2026-12-01");
    let last_day = interview.pred_opt().unwrap();
    let deadline = interview - Days::new(3);
    // Studied before the plan: 40 cards SM-2 has on days up to 80 days ahead, most
    // of them after the interview. And 60 cards never seen.
    write_deck_named(data, "studied", 40);
    write_history(data, "studied", 40, |i| {
        start + Days::new((i as u64 * 2) % 80)
    });
    write_deck(data, 60);
    hide_built_in(data, start);
    run_ok(prepdeck(data, start).args([
        "plan",
        "--interview",
        "2026-12-01",
        "--deck",
        "studied",
        "--deck",
        DECK,
    ]));
    let after_interview: usize = (1..=40)
        .filter(|i| start + Days::new((*i as u64 * 2) % 80) > last_day)
        .count();
    assert!(after_interview > 20, "the test needs cards to pull in");

    let mut day = start;
    let mut moved_seen = 0;
    while day < interview {
        let cards = json(data, day, &["cards", "studied", DECK, "--json"]);
        let sm2 = sm2_days(data);
        // No planned card is due after the last day before the interview.
        for card in cards.as_array().unwrap() {
            if let Some(due) = due_of(card) {
                assert!(due <= last_day, "{} due {due} on {day}", key_of(card));
            }
        }
        // The moved reviews are spread: no day holds more than its fair share plus one.
        let moved = moved_per_day(&cards, &sm2, day, last_day);
        let total: usize = moved.values().sum();
        moved_seen = moved_seen.max(total);
        let fair = total.div_ceil(moved.len());
        assert!(
            moved.values().all(|&n| n <= fair + 1),
            "on {day}: {total} moved over {} days: {moved:?}",
            moved.len()
        );
        // Every command agrees on today's work: `plan` counts what `cards --due` lists.
        let due_today = json(data, day, &["cards", "studied", DECK, "--due", "--json"]);
        let plan = json(data, day, &["plan", "--json"]);
        assert_eq!(
            plan["workload"][0]["reviews"].as_u64().unwrap() as usize,
            due_today.as_array().unwrap().len(),
            "on {day}"
        );
        if day == start {
            // The plan set after studying pulls cards in from the first day.
            assert!(!due_today.as_array().unwrap().is_empty());
            assert!(plan["reviews_per_day"].as_f64().unwrap() > 0.0);
        }
        // Mostly fives, with a weak day now and then so lapses and re-drills happen too
        // (on a weak day every other answer is a 2).
        let grades: &[u8] = if day.day() % 10 == 7 { &[2, 5] } else { &[5] };
        let out = review_args(data, day, grades, &[]);
        assert!(!out.contains("Nothing to review"), "on {day}: {out}");
        if day >= deadline {
            let unseen = json(data, day, &["cards", DECK, "--json"])
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["due"].is_null())
                .count();
            assert_eq!(
                unseen, 0,
                "cards still unseen on {day}, deadline {deadline}"
            );
        }
        day = day.succ_opt().unwrap();
    }
    assert!(moved_seen >= after_interview, "{moved_seen}");

    // Every answer moved by the plan keeps SM-2's day beside the one used.
    let moved: Vec<Value> = log(data)
        .into_iter()
        .filter(|l| !l["after"]["sm2_due"].is_null())
        .collect();
    assert!(!moved.is_empty());
    for line in &moved {
        let used = date(line["after"]["due"].as_str().unwrap());
        let sm2 = date(line["after"]["sm2_due"].as_str().unwrap());
        assert!(used < sm2 && used <= last_day && sm2 > last_day, "{line}");
    }

    // After the interview the SM-2 days apply again.
    let sm2 = sm2_days(data);
    let after = interview.succ_opt().unwrap();
    for card in json(data, after, &["cards", "studied", DECK, "--json"])
        .as_array()
        .unwrap()
    {
        assert_eq!(due_of(card), Some(sm2[&key_of(card)]), "{}", key_of(card));
    }
}

#[test]
fn a_plan_set_after_studying_pulls_the_cards_in_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-11-10");
    write_deck(data, 40);
    // Every card is due in December with SM-2; the interview is on 11-20.
    write_history(data, DECK, 40, |i| date("2026-12-01") + Days::new(i as u64));
    let before = run_ok(prepdeck(data, today).args(["review", DECK]).write_stdin(""));
    assert!(before.contains("Nothing to review"), "{before}");

    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-11-20", "--deck", DECK]));
    // 40 cards over the 10 days 11-10..=11-19: four a day, SM-2's earliest first.
    let cards = json(data, today, &["cards", DECK, "--json"]);
    let mut per_day: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for card in cards.as_array().unwrap() {
        *per_day.entry(due_of(card).unwrap()).or_default() += 1;
    }
    let window: Vec<NaiveDate> = today.iter_days().take(10).collect();
    assert_eq!(per_day.keys().copied().collect::<Vec<_>>(), window);
    assert!(per_day.values().all(|&n| n == 4), "{per_day:?}");
    let first: Vec<&str> = cards
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| due_of(c) == Some(today))
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(first, ["c1", "c2", "c3", "c4"]);

    // `plan`, `stats` and `review` see the same four today.
    let plan = json(data, today, &["plan", "--json"]);
    assert_eq!(plan["workload"][0]["reviews"], 4);
    assert!(plan["reviews_per_day"].as_f64().unwrap() >= 4.0);
    let stats = json(data, today, &["stats", DECK, "--json"]);
    assert_eq!(stats["total"]["due_today"], 4);
    let out = review(data, today, &[5], &[]);
    assert!(out.contains("Reviewing 4 cards (4 due, 0 new)"), "{out}");
    // A second session the same day finds nothing more: the others keep their days.
    let again = run_ok(prepdeck(data, today).args(["review", DECK]).write_stdin(""));
    assert!(again.contains("Nothing to review"), "{again}");
    let later = json(data, today, &["cards", DECK, "--json"]);
    for (old, new) in cards
        .as_array()
        .unwrap()
        .iter()
        .zip(later.as_array().unwrap())
    {
        if due_of(old) != Some(today) {
            assert_eq!(old["due"], new["due"], "{}", key_of(old));
        }
    }
}

#[test]
fn moving_the_interview_earlier_pulls_in_what_the_old_date_had_placed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-11-10");
    write_deck(data, 20);
    write_history(data, DECK, 20, |_| today);
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-11-30", "--deck", DECK]));
    review(data, today, &[5], &[]);
    // Placed for the old date over 11-11..=11-29; the interview moves to 11-15.
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-11-15", "--deck", DECK]));
    let tomorrow = today.succ_opt().unwrap();
    for card in json(data, tomorrow, &["cards", DECK, "--json"])
        .as_array()
        .unwrap()
    {
        let due = due_of(card).unwrap();
        assert!(due >= tomorrow && due <= date("2026-11-14"), "{card}");
    }
}

#[test]
fn planned_decks_get_the_paced_new_cards_and_the_others_their_own_limit() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-11-22");
    // `aaa` comes first in deck order; the plan is on `zzz`, which is hidden.
    write_deck_named(data, "aaa", 50);
    write_deck_named(data, "zzz", 70);
    hide_built_in(data, today);
    run_ok(prepdeck(data, today).args(["decks", "hide", "zzz"]));
    // Interview in 5 days: the deadline 11-24 leaves 3 days; 70 cards need 24 a day,
    // above the default 20.
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-11-27", "--deck", "zzz"]));
    let out = flat(&review_args(data, today, &[5], &["aaa", "zzz"]));
    assert!(out.contains("Reviewing 44 cards (0 due, 44 new)"), "{out}");
    assert!(
        out.contains("24 new today, all introduced by 2026-11-24"),
        "{out}"
    );
    assert_eq!(introduced_per_day(data, "zzz")[&today], 24);
    assert_eq!(introduced_per_day(data, "aaa")[&today], 20);
    // Planned cards come before the other decks' new cards.
    let first_new = log(data)[0]["card"].as_str().unwrap().to_owned();
    assert!(first_new.starts_with("zzz/"), "{first_new}");

    // The next day, plain `review` studies the hidden planned deck (the plan asks for
    // it) and `aaa`, each within its own count.
    let tomorrow = today.succ_opt().unwrap();
    review_args(data, tomorrow, &[5], &[]);
    assert_eq!(introduced_per_day(data, "zzz")[&tomorrow], 23);
    assert_eq!(introduced_per_day(data, "aaa")[&tomorrow], 20);
    let third = tomorrow.succ_opt().unwrap();
    review_args(data, third, &[5], &[]);
    assert_eq!(introduced_per_day(data, "zzz")[&third], 23);
    assert_eq!(introduced_per_day(data, "zzz").values().sum::<u32>(), 70);
}

#[test]
fn the_cap_limits_the_paced_count_and_an_explicit_new_wins() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-11-22");
    write_deck(data, 100);
    run_ok(prepdeck(data, today).args([
        "plan",
        "--interview",
        "2026-11-27",
        "--deck",
        DECK,
        "--max-new",
        "5",
    ]));
    // The pace needs 34 a day; the cap says 5.
    let out = review(data, today, &[5], &[]);
    assert!(out.contains("(0 due, 5 new)"), "{out}");
    assert_eq!(introduced_per_day(data, DECK)[&today], 5);
    // `--new` on the command line is the day's explicit choice, above the cap too.
    let out = flat(&review(data, today, &[5], &["--new", "8"]));
    assert!(out.contains("(0 due, 3 new)"), "{out}");
    assert!(out.contains("--new 8 sets today's new cards"), "{out}");
    // The cap can be raised without giving the date again.
    let shown = run_ok(prepdeck(data, today).args(["plan", "--max-new", "40"]));
    assert!(shown.contains("2026-11-27"), "{shown}");
    let plan = json(data, today, &["plan", "--json"]);
    assert_eq!(plan["max_new_per_day"], 40);
    assert_eq!(plan["decks"], serde_json::json!([DECK]));
    let out = review(data, today, &[5], &[]);
    // 100 unseen at the start of the day over 3 days: 34, of which 8 came already.
    assert!(out.contains("(0 due, 26 new)"), "{out}");
}

#[test]
fn plan_is_honest_when_the_cap_or_the_calendar_cannot_introduce_everything() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-11-22");
    write_deck(data, 100);
    // Deadline 11-28 (7 days from today): 5 a day introduces 35; 65 are left then, and
    // 5 a day on the two days after still leaves 55 unseen at the interview.
    run_ok(prepdeck(data, today).args([
        "plan",
        "--interview",
        "2026-12-01",
        "--deck",
        DECK,
        "--max-new",
        "5",
    ]));
    let plan = json(data, today, &["plan", "--json"]);
    assert_eq!(plan["introduce_by"], "2026-11-28");
    assert_eq!(plan["unseen_after_introduce_by"], 65);
    assert_eq!(plan["unseen_at_interview"], 55);
    assert_eq!(plan["all_introduced_on"], Value::Null);
    assert_eq!(plan["max_new_needed"], 15);
    let new: u64 = plan["workload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["new"].as_u64().unwrap())
        .sum();
    assert_eq!(new, 45);
    let text = run_ok(prepdeck(data, today).arg("plan"));
    let text_flat = flat(&text);
    assert!(
        text_flat.contains("65 will still be unseen on 2026-11-28 and 55 at the interview"),
        "{text}"
    );
    assert!(text_flat.contains("`prepdeck plan --max-new 15`"), "{text}");
    // Review says the same.
    let out = flat(&review(data, today, &[5], &[]));
    assert!(
        out.contains("65 will still be unseen on 2026-11-28"),
        "{out}"
    );

    // Past the deadline, the target is the last day before the interview; no date in
    // the past is promised.
    let late = date("2026-11-29");
    let plan = json(data, late, &["plan", "--json"]);
    assert_eq!(plan["introduce_by"], "2026-11-30");
    let text = run_ok(prepdeck(data, late).arg("plan"));
    for word in text.split(|c: char| c.is_whitespace() || c == ',' || c == '.') {
        if let Ok(day) = word.parse::<NaiveDate>() {
            assert!(day >= late, "{day} is in the past: {text}");
        }
    }

    // With the cap raised as suggested, everything comes by the deadline.
    run_ok(prepdeck(data, today).args(["plan", "--max-new", "15"]));
    let plan = json(data, today, &["plan", "--json"]);
    assert_eq!(plan["unseen_after_introduce_by"], 0);
    assert_eq!(plan["max_new_needed"], Value::Null);
    assert!(plan["all_introduced_on"].as_str().unwrap() <= "2026-11-28");
}

#[test]
fn the_workload_estimate_includes_the_reviews_new_cards_cause() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-11-22");
    write_deck(data, 20);
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-12-06", "--deck", DECK]));
    let plan = json(data, today, &["plan", "--json"]);
    let workload = plan["workload"].as_array().unwrap();
    let reviews: Vec<u64> = workload
        .iter()
        .map(|d| d["reviews"].as_u64().unwrap())
        .collect();
    // All 20 come today (the default 20 a day); graded 4 they are due tomorrow, then
    // six days later (11-29), then pulled in: 11-29 + 15 days is after the interview.
    assert_eq!(workload[0]["new"], 20);
    assert_eq!(reviews[1], 20);
    assert_eq!(reviews[7], 20);
    assert!(reviews[8..].iter().sum::<u64>() >= 20, "{reviews:?}");
    assert!(plan["reviews_per_day"].as_f64().unwrap() > 0.0);
    assert_eq!(plan["assumed_grade"], 4);
    let text = run_ok(prepdeck(data, today).arg("plan"));
    assert!(text.contains("Estimated workload"), "{text}");
    assert!(text.contains("estimate"), "{text}");
}

#[test]
fn undo_outside_the_plan_leaves_the_planned_spread_alone() {
    // The auditor's repro: a deck outside the plan, answers undone in it, while the
    // planned deck's reviews are spread.
    let spread = |undos: usize| {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        let today = date("2026-11-10");
        write_deck_named(data, "zzz", 40);
        write_deck_named(data, "aaa", 1);
        write_history(data, "zzz", 40, |i| {
            if i <= 30 {
                today
            } else {
                today.succ_opt().unwrap()
            }
        });
        // aaa/c1 is overdue: it comes first, and the undos are in its deck.
        write_history(data, "aaa", 1, |_| today.pred_opt().unwrap());
        hide_built_in(data, today);
        run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-11-14", "--deck", "zzz"]));
        let mut input = String::new();
        for _ in 0..undos {
            input.push_str("\n5\nu\n");
        }
        input.push_str(&script(&[5], 100));
        run_ok(prepdeck(data, today).arg("review").write_stdin(input));
        assert_eq!(
            log(data).iter().filter(|l| l["kind"] == "undo").count(),
            undos
        );
        // The deck outside the plan keeps SM-2's days.
        for line in log(data).iter().filter(|l| l["card"] == "aaa/c1") {
            assert!(line["after"]["sm2_due"].is_null(), "{line}");
        }
        let mut per_day: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        let sm2 = sm2_days(data);
        let cards = json(data, today, &["cards", "zzz", "--json"]);
        for card in cards.as_array().unwrap() {
            let due = due_of(card).unwrap();
            if sm2[&key_of(card)] != due {
                *per_day.entry(due).or_default() += 1;
            }
        }
        per_day
    };
    let plain = spread(0);
    // 30 reviews moved over the three days after today: ten each.
    assert_eq!(plain.values().copied().collect::<Vec<_>>(), [10, 10, 10]);
    assert_eq!(spread(3), plain);
}

#[test]
fn plan_rejects_bad_dates_and_caps_and_clear_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-11-22");
    for bad in [
        "2026-11-22",
        "2026-01-01",
        "next friday",
        "2026-13-01",
        "2026-12-1",
        "+2026-12-01",
    ] {
        let stderr = run_err(prepdeck(data, today).args(["plan", "--interview", bad]));
        assert!(stderr.contains("--interview"), "{stderr}");
        assert!(!data.join("plan.json").exists());
    }
    let stderr = run_err(prepdeck(data, today).args([
        "plan",
        "--interview",
        "2026-12-18",
        "--max-new",
        "0",
    ]));
    assert!(stderr.contains("--max-new"), "{stderr}");
    // --max-new alone needs a plan to change.
    let stderr = run_err(prepdeck(data, today).args(["plan", "--max-new", "10"]));
    assert!(stderr.contains("none is set"), "{stderr}");

    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-12-18"]));
    assert!(data.join("plan.json").exists());
    let shown = run_ok(prepdeck(data, today).arg("plan"));
    assert!(
        shown.contains("2026-12-18") && shown.contains("26 days left"),
        "{shown}"
    );
    // --clear takes nothing else.
    let stderr = run_err(prepdeck(data, today).args(["plan", "--clear", "--deck", DECK]));
    assert!(stderr.contains("cannot be used with"), "{stderr}");
    assert!(data.join("plan.json").exists());
    let out = run_ok(prepdeck(data, today).args(["plan", "--clear"]));
    assert!(out.contains("removed"));
    assert!(!data.join("plan.json").exists());
    assert!(run_ok(prepdeck(data, today).arg("plan")).contains("No interview date set"));
}

#[test]
fn clear_moves_a_damaged_plan_aside_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-11-22");
    std::fs::write(data.join("plan.json"), "{ not json").unwrap();
    let stderr = run_err(prepdeck(data, today).arg("plan"));
    assert!(stderr.contains("plan.json is damaged"), "{stderr}");
    let out = run_ok(prepdeck(data, today).args(["plan", "--clear"]));
    let aside = data.join("plan.json.damaged-1");
    assert!(out.contains(&aside.display().to_string()), "{out}");
    assert_eq!(std::fs::read_to_string(&aside).unwrap(), "{ not json");
    assert!(!data.join("plan.json").exists());
    assert!(run_ok(prepdeck(data, today).arg("plan")).contains("No interview date set"));
}

#[test]
fn plan_json_is_json_with_or_without_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-11-22");
    write_deck(data, 10);
    assert_eq!(json(data, today, &["plan", "--json"])["status"], "none");
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-11-28", "--deck", DECK]));
    review(data, today, &[5], &["--limit", "4"]);
    let plan = json(data, today, &["plan", "--json"]);
    assert_eq!(plan["status"], "active");
    assert_eq!(plan["days_left"], 6);
    assert_eq!(plan["cards"], 10);
    assert_eq!(plan["unseen"], 6);
    let workload = plan["workload"].as_array().unwrap();
    assert_eq!(workload.len(), 6); // today to 11-27
    assert_eq!(workload.last().unwrap()["date"], "2026-11-27");
    // The default 20 a day: the other six still come today.
    assert_eq!(plan["new_today"], 6);
    assert_eq!(plan["all_introduced_on"], "2026-11-22");
    // The four answered 5 and due tomorrow are ready; the other six are new.
    assert_eq!(plan["readiness"]["ready"], 4);
    assert_eq!(plan["readiness"]["cards"], 10);
    // The interview day is "today"; the day after, "passed".
    let on_the_day = json(data, date("2026-11-28"), &["plan", "--json"]);
    assert_eq!(on_the_day["status"], "today");
    let passed = json(data, date("2026-11-29"), &["plan", "--json"]);
    assert_eq!(passed["status"], "passed");
    assert_eq!(passed["interview"], "2026-11-28");
    let cleared = json(data, today, &["plan", "--clear", "--json"]);
    assert_eq!(cleared["status"], "cleared");
}

#[test]
fn the_review_summary_shows_readiness_and_the_next_due_day_every_command_agrees_on() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    write_deck(data, 4);
    write_deck_named(data, "studied", 12);
    let today = date("2026-11-22");
    write_history(data, "studied", 12, |i| {
        date("2027-01-01") + Days::new(i as u64)
    });
    run_ok(prepdeck(data, today).args([
        "plan",
        "--interview",
        "2026-12-10",
        "--deck",
        DECK,
        "--deck",
        "studied",
    ]));
    // Only the run-up deck is reviewed; readiness is over both planned decks, the
    // studied one's cards pulled in (not overdue) and last answered 5.
    let out = review(data, today, &[4], &["--new", "10"]);
    assert!(
        out.contains("Readiness: 75% → 100% (16 of 16 planned cards ready)"),
        "{out}"
    );
    assert!(out.contains("Good:      100% answered 4 or 5"), "{out}");
    // The Next line names the first day after today with cards of the reviewed deck
    // due, and how many, as `cards --json` has them.
    let cards = json(data, today, &["cards", DECK, "--json"]);
    let next = cards
        .as_array()
        .unwrap()
        .iter()
        .filter_map(due_of)
        .filter(|d| *d > today)
        .min()
        .unwrap();
    let count = cards
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| due_of(c) == Some(next))
        .count();
    let plural = if count == 1 { "card" } else { "cards" };
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("Next:"))
        .unwrap();
    assert!(
        line.contains(&format!("{count} {plural} due")) && line.contains(&next.to_string()),
        "{line} (expected {count} on {next})"
    );
}

#[test]
fn stats_show_the_plans_readiness_as_plan_does_and_label_the_decks_shown() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-11-22");
    write_deck(data, 10);
    write_deck_named(data, "other", 10);
    review_args(data, today, &[5], &["other"]);
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-12-10", "--deck", DECK]));
    let plan = json(data, today, &["plan", "--json"]);
    assert_eq!(plan["readiness"]["ready"], 0);
    let stats = json(data, today, &["stats", "other", "--json"]);
    assert_eq!(stats["plan_readiness"]["ready"], plan["readiness"]["ready"]);
    assert_eq!(stats["plan_readiness"]["cards"], plan["readiness"]["cards"]);
    assert_eq!(stats["plan_readiness"]["interview"], "2026-12-10");
    assert_eq!(stats["readiness"]["ready"], 10);
    let table = run_ok(prepdeck(data, today).args(["stats", "other"]));
    assert!(
        flat(&table).contains("planned cards, interview 2026-12-10 0% (0 of 10)"),
        "{table}"
    );
    assert!(
        flat(&table).contains("cards of the decks shown 100% (10 of 10)"),
        "{table}"
    );
    assert!(table.contains("cards of the decks shown"), "{table}");
    // Without a plan there is no plan line.
    run_ok(prepdeck(data, today).args(["plan", "--clear"]));
    assert_eq!(
        json(data, today, &["stats", "--json"])["plan_readiness"],
        Value::Null
    );
    assert!(!run_ok(prepdeck(data, today).arg("stats")).contains("planned cards"));
}

/// The heatmap as drawn: for each day, the character in its cell.
fn drawn_heatmap(text: &str, today: NaiveDate) -> (String, HashMap<NaiveDate, char>) {
    let lines: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Answers, last 16 weeks"))
        .collect();
    let start = prepdeck::stats::heatmap_start(today);
    let mut cells = HashMap::new();
    for (row, line) in lines[2..9].iter().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        for week in 0..16u64 {
            if let Some(&c) = chars.get(4 + 2 * week as usize) {
                cells.insert(start + Days::new(week * 7 + row as u64), c);
            }
        }
    }
    (lines[1].to_owned(), cells)
}

/// The value at the end of each bar line after `title`, with the bar's length.
fn drawn_bars(text: &str, title: &str, rows: usize) -> Vec<(String, usize, u64)> {
    text.lines()
        .skip_while(|l| !l.starts_with(title))
        .skip(1)
        .take(rows)
        .map(|l| {
            let value = l.rsplit(' ').next().unwrap().parse().unwrap();
            let bar = l.chars().filter(|c| *c == '█').count();
            (l.to_owned(), bar, value)
        })
        .collect()
}

#[test]
fn stats_pictures_match_the_log_and_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    write_deck(data, 40);
    // Answers on scattered days over two months, some weak (re-drills, lapses).
    let mut day = date("2026-09-20");
    let today = date("2026-11-14");
    let mut i = 0;
    while day <= today {
        if i % 3 != 1 {
            review(data, day, &[[5, 3, 4, 2][i % 4]], &["--new", "3"]);
        }
        day = day + Days::new(1 + (i as u64 % 4));
        i += 1;
    }
    let stats = json(data, today, &["stats", DECK, "--json"]);
    let text = run_ok(prepdeck(data, today).args(["stats", DECK]));

    // Heatmap: answers per day (re-drills included) as in the log; the drawn cell is
    // `·` for none, else one shade per quarter of the busiest day.
    let mut per_day: HashMap<NaiveDate, u64> = HashMap::new();
    let mut grades = [0u64; 6];
    for line in log(data) {
        *per_day
            .entry(date(line["day"].as_str().unwrap()))
            .or_default() += 1;
        if line["redrill"] == false {
            let day = date(line["day"].as_str().unwrap());
            if (today - day).num_days() < 30 {
                grades[line["grade"].as_u64().unwrap() as usize] += 1;
            }
        }
    }
    let heat = stats["answers_per_day"].as_array().unwrap();
    let max = heat
        .iter()
        .map(|d| d["answers"].as_u64().unwrap())
        .max()
        .unwrap();
    let (header, cells) = drawn_heatmap(&text, today);
    for entry in heat {
        let day = date(entry["date"].as_str().unwrap());
        let answers = entry["answers"].as_u64().unwrap();
        assert_eq!(answers, per_day.get(&day).copied().unwrap_or(0), "{day}");
        let shade = match answers {
            0 => '·',
            n => ['░', '▒', '▓', '█'][((n * 4).div_ceil(max) as usize).clamp(1, 4) - 1],
        };
        assert_eq!(cells.get(&day), Some(&shade), "{day}: {answers} of {max}");
    }
    // Each month's label is over the column of its first Monday.
    let start = prepdeck::stats::heatmap_start(today);
    for week in 1..16u64 {
        let monday = start + Days::new(week * 7);
        if monday.day() <= 7 {
            let label = monday.format("%b").to_string();
            let column = header.find(&label).map(|i| header[..i].chars().count());
            assert_eq!(column, Some(4 + 2 * week as usize), "{label}: {header}");
        }
    }

    // Forecast: the drawn values are the JSON's, which are `cards --json`'s due days;
    // bars are in proportion to the busiest day.
    let cards = json(data, today, &["cards", DECK, "--json"]);
    let forecast = stats["forecast"].as_array().unwrap();
    let drawn = drawn_bars(&text, "Due in the next 14 days", 14);
    let busiest = forecast
        .iter()
        .map(|d| d["cards"].as_u64().unwrap())
        .max()
        .unwrap();
    for (entry, (line, bar, value)) in forecast.iter().zip(&drawn) {
        let day = date(entry["date"].as_str().unwrap());
        let due = cards
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| due_of(c) == Some(day))
            .count() as u64;
        assert_eq!(entry["cards"].as_u64().unwrap(), due, "{day}");
        assert_eq!(*value, due, "{line}");
        assert!(
            line.starts_with(&day.format("%a %d %b").to_string()),
            "{line}"
        );
        let expected = if due == 0 {
            0
        } else {
            ((due as f64 / busiest as f64) * 50.0).round().max(1.0) as usize
        };
        assert_eq!(*bar, expected, "{line}");
    }

    // Grades: the drawn bars are the JSON's counts, which are the log's.
    let json_grades: Vec<u64> = stats["grades_30d"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_u64().unwrap())
        .collect();
    assert_eq!(json_grades, grades);
    let drawn = drawn_bars(&text, "Grades, last 30 days", 6);
    for ((line, _, value), grade) in drawn.iter().zip((0..6).rev()) {
        assert!(line.starts_with(&grade.to_string()), "{line}");
        assert_eq!(*value, grades[grade], "{line}");
    }

    // The table shows the same figures as the JSON total row.
    let total = &stats["total"];
    let row = text.lines().find(|l| l.contains("total")).unwrap();
    let numbers: Vec<String> = row
        .split(['│', '┆'])
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    let expected: Vec<String> = [
        "cards",
        "new",
        "young",
        "mature",
        "due_today",
        "reviewed_today",
    ]
    .iter()
    .map(|k| total[*k].to_string())
    .collect();
    assert_eq!(numbers[1..7], expected[..], "{row}");
    assert!(
        text.contains(&format!("Study streak: {} day", stats["streak_days"])),
        "{text}"
    );
}

/// Display columns of `line`, escape sequences removed.
fn width(line: &str) -> usize {
    let mut plain = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    unicode_width::UnicodeWidthStr::width(plain.as_str())
}

#[test]
fn plan_stats_and_review_lines_fit_80_columns_with_and_without_no_color() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-11-22");
    write_deck(data, 300);
    write_deck_named(data, "a-deck-with-a-rather-long-identifier-for-wrapping", 5);
    review(data, today, &[4], &["--new", "30"]);
    run_ok(prepdeck(data, today).args([
        "plan",
        "--interview",
        "2026-12-01",
        "--deck",
        DECK,
        "--deck",
        "a-deck-with-a-rather-long-identifier-for-wrapping",
        "--max-new",
        "7",
    ]));
    for no_color in [true, false] {
        let outputs = [
            run_ok(plain_or_not(prepdeck(data, today).arg("plan"), no_color)),
            run_ok(plain_or_not(
                prepdeck(data, today).args(["stats", DECK]),
                no_color,
            )),
            run_ok(plain_or_not(
                prepdeck(data, today)
                    .args(["review", DECK])
                    .write_stdin("q\n"),
                no_color,
            )),
        ];
        for text in outputs {
            let wide: Vec<&str> = text.lines().filter(|l| width(l) > 80).collect();
            assert!(wide.is_empty(), "NO_COLOR={no_color}: {wide:#?}");
        }
    }
}

fn plain_or_not(cmd: &mut Command, no_color: bool) -> &mut Command {
    if !no_color {
        cmd.env_remove("NO_COLOR");
    }
    cmd
}

#[test]
fn a_plan_without_decks_covers_every_deck_but_the_hidden_ones() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    write_deck(data, 10);
    let today = date("2026-11-22");
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-12-18"]));
    let all = json(data, today, &["plan", "--json"])["cards"]
        .as_u64()
        .unwrap();
    let built_in: Vec<u64> = prepdeck::catalog::built_in()
        .unwrap()
        .iter()
        .map(|d| d.cards.len() as u64)
        .collect();
    assert_eq!(all, built_in.iter().sum::<u64>() + 10);

    run_ok(prepdeck(data, today).args(["decks", "hide", DECK]));
    let visible = json(data, today, &["plan", "--json"])["cards"]
        .as_u64()
        .unwrap();
    assert_eq!(visible, all - 10);

    // Naming the hidden deck in the plan puts it back.
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-12-18", "--deck", DECK]));
    assert_eq!(json(data, today, &["plan", "--json"])["cards"], 10);
}

#[test]
fn an_explicit_new_is_one_allowance_across_planned_and_other_decks() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-11-22");
    hide_built_in(data, today);
    write_deck_named(data, "aaa", 10);
    write_deck_named(data, "zzz", 10);
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-12-01", "--deck", "zzz"]));
    // Planned cards first, and 3 in all, not 3 from each pool.
    let out = review_args(data, today, &[5], &["--new", "3"]);
    assert!(out.contains("(0 due, 3 new)"), "{out}");
    assert_eq!(introduced_per_day(data, "zzz")[&today], 3);
    assert!(!introduced_per_day(data, "aaa").contains_key(&today));
    // Later the same day the same --new has no room left.
    let out = review_args(data, today, &[5], &["--new", "3"]);
    assert!(out.contains("Nothing to review"), "{out}");
}

#[test]
fn cards_left_for_today_are_only_those_a_review_would_show() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-11-22");
    hide_built_in(data, today);
    write_deck_named(data, "aaa", 40);
    write_deck_named(data, "zzz", 6);
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-12-01", "--deck", "zzz"]));
    // The plan allows 20 a day for zzz, which has 6; aaa gets its default 20.
    let out = review_args(data, today, &[5], &[]);
    assert!(out.contains("(0 due, 26 new)"), "{out}");
    let summary = flat(&out);
    assert!(summary.contains("Today: done; 20 new cards wait"), "{out}");
    // And a second review agrees: nothing is left to show today.
    let again = flat(&review_args(data, today, &[5], &[]));
    assert!(again.contains("Nothing to review right now"), "{again}");
    assert!(!again.contains("Left for today"), "{again}");
}

#[test]
fn the_suggested_cap_counts_the_cards_already_introduced_today() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-11-22");
    write_deck(data, 50);
    review(data, today, &[5], &["--new", "10"]);
    // Tomorrow is the interview's last day before it: all 40 left must come today,
    // on top of the 10 already introduced, so the cap must allow 50.
    run_ok(prepdeck(data, today).args([
        "plan",
        "--interview",
        "2026-11-23",
        "--deck",
        DECK,
        "--max-new",
        "20",
    ]));
    let plan = json(data, today, &["plan", "--json"]);
    assert_eq!(plan["max_new_needed"], 50, "{plan}");
    run_ok(prepdeck(data, today).args(["plan", "--max-new", "50"]));
    let plan = json(data, today, &["plan", "--json"]);
    assert_eq!(plan["unseen_after_introduce_by"], 0, "{plan}");
    assert_eq!(plan["max_new_needed"], Value::Null, "{plan}");
}

/// Writes user deck `id` with cards `c1..=cN`, tagging `core` the ones `core` picks.
fn write_core_deck(data: &Path, id: &str, cards: usize, core: impl Fn(usize) -> bool) {
    let cards: Vec<Value> = (1..=cards)
        .map(|i| {
            let tags = if core(i) {
                vec!["t", "core"]
            } else {
                vec!["t"]
            };
            serde_json::json!({
                "id": format!("c{i}"), "front": format!("Question {i} of {id}"),
                "back": format!("Answer {i}"), "tags": tags,
            })
        })
        .collect();
    let deck = serde_json::json!({
        "format_version": 1, "id": id, "title": id, "description": "", "cards": cards,
    });
    std::fs::create_dir_all(data.join("decks")).unwrap();
    std::fs::write(
        data.join("decks").join(format!("{id}.json")),
        deck.to_string(),
    )
    .unwrap();
}

/// The cards answered on `day`, in the order they were answered.
fn answered_on(data: &Path, day: NaiveDate) -> Vec<String> {
    log(data)
        .iter()
        .filter(|e| e["day"] == day.to_string())
        .map(|e| e["card"].as_str().unwrap().to_owned())
        .collect()
}

fn keys(deck: &str, cards: impl IntoIterator<Item = usize>) -> Vec<String> {
    cards.into_iter().map(|i| format!("{deck}/c{i}")).collect()
}

#[test]
fn a_run_up_too_short_for_every_card_introduces_core_cards_first_across_decks() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-12-01");
    hide_built_in(data, today);
    // 60 cards; core: the last ten of the first deck, the first five of the second.
    write_core_deck(data, "first", 30, |i| i > 20);
    write_core_deck(data, "second", 30, |i| i <= 5);
    // Two days to the interview at 10 new a day: 20 of the 60 fit.
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-12-03", "--max-new", "10"]));
    let plan = json(data, today, &["plan", "--json"]);
    assert_eq!(plan["core_first"], true, "{plan}");
    let text = flat(&run_ok(prepdeck(data, today).arg("plan")));
    assert!(text.contains("so cards tagged core come first"), "{text}");

    review_args(data, today, &[5], &[]);
    assert_eq!(answered_on(data, today), keys("first", 21..=30));
    let tomorrow = date("2026-12-02");
    review_args(data, tomorrow, &[5], &[]);
    // Yesterday's cards (due), then the rest of the core cards, then deck order.
    assert_eq!(
        answered_on(data, tomorrow),
        [
            keys("first", 21..=30),
            keys("second", 1..=5),
            keys("first", 1..=5)
        ]
        .concat()
    );
}

#[test]
fn a_run_up_that_fits_every_card_introduces_them_in_deck_order() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = date("2026-12-01");
    hide_built_in(data, today);
    write_core_deck(data, "first", 30, |i| i > 20);
    write_core_deck(data, "second", 30, |i| i <= 5);
    // Twenty days to the interview: 60 cards fit easily, so the order is the decks'.
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-12-21"]));
    assert_eq!(json(data, today, &["plan", "--json"])["core_first"], false);
    let text = flat(&run_ok(prepdeck(data, today).arg("plan")));
    assert!(!text.contains("core come first"), "{text}");
    review_args(data, today, &[5], &[]);
    assert_eq!(answered_on(data, today), keys("first", 1..=20));
}
