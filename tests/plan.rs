//! Interview-date planning and the stats pictures, driven through the binary over a
//! simulated run-up with a fixed clock.

use assert_cmd::Command;
use chrono::{Days, NaiveDate};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
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

fn write_deck(data: &Path, cards: usize) {
    let cards: Vec<String> = (1..=cards)
        .map(|i| {
            format!(
                r#"{{"id": "c{i}", "front": "Question {i}", "back": "Answer {i}", "tags": ["t"]}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"format_version": 1, "id": "{DECK}", "title": "Run-up", "description": "", "cards": [{}]}}"#,
        cards.join(",")
    );
    std::fs::create_dir_all(data.join("decks")).unwrap();
    std::fs::write(data.join("decks").join(format!("{DECK}.json")), text).unwrap();
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

/// Reviews the run-up deck on `day`, answering the cards shown with `grades` in turn,
/// over and over (first answers and re-drills alike). Without `--new` in `extra`, only
/// the plan's pacing introduces new cards.
fn review(data: &Path, day: NaiveDate, grades: &[u8], extra: &[&str]) -> String {
    let script: String = grades
        .iter()
        .cycle()
        .take(400)
        .map(|g| format!("\n{g}\n"))
        .collect();
    let mut cmd = prepdeck(data, day);
    cmd.args(["review", DECK]).args(extra);
    if !extra.contains(&"--new") {
        cmd.args(["--new", "0"]);
    }
    run_ok(cmd.write_stdin(script))
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

#[test]
fn a_thirty_day_run_up_paces_new_cards_and_keeps_every_card_before_the_interview() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    write_deck(data, 60);
    let start = date("2026-11-01");
    let interview = date("2026-12-01");
    let last_day = interview.pred_opt().unwrap();
    let deadline = interview - Days::new(3);
    run_ok(prepdeck(data, start).args([
        "plan",
        "--interview",
        "2026-12-01",
        "--max-new",
        "50",
        "--deck",
        DECK,
    ]));

    let mut day = start;
    while day < interview {
        // Mostly fives, with a weak day now and then so lapses and re-drills happen too
        // (on a weak day every other answer is a 2, so the session still gets through).
        let grades: &[u8] = if day.format("%d").to_string().ends_with('7') {
            &[2, 5]
        } else {
            &[5]
        };
        review(data, day, grades, &[]);
        let cards = json(data, day, &["cards", DECK, "--json"]);
        for card in cards.as_array().unwrap() {
            if let Some(due) = due_of(card) {
                let last = card["last_review"].as_str().unwrap();
                // A card answered on the last day has had its last-days review.
                if !last.starts_with(&last_day.to_string()) {
                    assert!(
                        due <= last_day,
                        "{} due {due} after {last_day} on {day}",
                        card["id"]
                    );
                }
            }
        }
        let unseen = cards
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["due"].is_null())
            .count();
        if day >= deadline {
            assert_eq!(
                unseen, 0,
                "cards still unseen on {day}, deadline {deadline}"
            );
        }
        day = day.succ_opt().unwrap();
    }

    // Pacing: never more new cards a day than the plan needed (60 cards over 28 days: 3).
    let mut introduced: BTreeMap<String, u32> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for line in log(data) {
        if line["kind"] == "answer" && seen.insert(line["card"].as_str().unwrap().to_owned()) {
            *introduced
                .entry(line["day"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
    }
    assert!(introduced.values().all(|&n| n <= 3), "{introduced:?}");
    assert_eq!(introduced.values().sum::<u32>(), 60);

    // Some reviews were pulled in, and the log keeps the SM-2 day beside the one used.
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
    let after = interview.succ_opt().unwrap();
    let mut sm2_due: HashMap<String, NaiveDate> = HashMap::new();
    for line in log(data) {
        if line["kind"] == "answer" && line["redrill"] == false {
            let after = &line["after"];
            let day = after["sm2_due"].as_str().or(after["due"].as_str()).unwrap();
            sm2_due.insert(line["card"].as_str().unwrap().to_owned(), date(day));
        }
    }
    let cards = json(data, after, &["cards", DECK, "--json"]);
    for card in cards.as_array().unwrap() {
        let key = format!("{DECK}/{}", card["id"].as_str().unwrap());
        assert_eq!(due_of(card), Some(sm2_due[&key]), "{key}");
    }
}

/// Writes a review log in which every card of the deck was learned long ago and is
/// due on `day` with a 60-day interval, so SM-2 would next schedule it far ahead.
fn write_mature_history(data: &Path, cards: usize, day: NaiveDate) {
    let mut text = String::new();
    for i in 1..=cards {
        text.push_str(&format!(
            r#"{{"v":1,"kind":"answer","at":"2026-09-01T12:00:00Z","card":"{DECK}/c{i}","day":"2026-09-01","grade":5,"redrill":false,"after":{{"reps":5,"ef":2.5,"interval":60,"lapses":0,"due":"{day}"}}}}"#
        ));
        text.push('\n');
    }
    std::fs::write(data.join("reviews.jsonl"), text).unwrap();
}

#[test]
fn reviews_pulled_in_before_the_interview_are_spread_over_the_remaining_days() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    write_deck(data, 40);
    let today = date("2026-11-10");
    write_mature_history(data, 40, today);
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-11-17", "--deck", DECK]));
    review(data, today, &[5], &[]);

    // SM-2 wants every card in 150 days; the six days 11-11..=11-16 share them instead.
    let mut per_day: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for card in json(data, today, &["cards", DECK, "--json"])
        .as_array()
        .unwrap()
    {
        *per_day.entry(due_of(card).unwrap()).or_default() += 1;
    }
    let window: Vec<NaiveDate> = (11..=16).map(|d| date(&format!("2026-11-{d}"))).collect();
    assert_eq!(per_day.keys().copied().collect::<Vec<_>>(), window);
    let fair = 40usize.div_ceil(window.len());
    assert!(per_day.values().all(|&n| n <= fair + 1), "{per_day:?}");
    assert!(
        per_day.values().max().unwrap() - per_day.values().min().unwrap() <= 1,
        "{per_day:?}"
    );
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
fn plan_json_reports_days_left_unseen_workload_and_readiness() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    write_deck(data, 10);
    let today = date("2026-11-22");
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-11-28", "--deck", DECK]));
    review(data, today, &[5], &["--limit", "4"]);
    let plan = json(data, today, &["plan", "--json"]);
    assert_eq!(plan["days_left"], 6);
    assert_eq!(plan["cards"], 10);
    // 10 cards to introduce over 11-22..=11-25 is 3 a day: the review introduced 3.
    assert_eq!(plan["unseen"], 7);
    let workload = plan["workload"].as_array().unwrap();
    assert_eq!(workload.len(), 6); // today to 11-27
    assert_eq!(workload.last().unwrap()["date"], "2026-11-27");
    assert_eq!(plan["new_today"], 0);
    let new_per_day: Vec<u64> = workload
        .iter()
        .map(|d| d["new"].as_u64().unwrap())
        .collect();
    // 7 left over 11-23..=11-25: ceil(7/3) = 3, then ceil(4/2) = 2, then 2.
    assert_eq!(new_per_day, [0, 3, 2, 2, 0, 0]);
    // The three answered 5 and due tomorrow are ready; the other seven are new.
    assert_eq!(plan["readiness"]["ready"], 3);
    assert_eq!(plan["readiness"]["cards"], 10);
}

#[test]
fn the_review_summary_shows_readiness_before_and_after_with_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    write_deck(data, 4);
    let today = date("2026-11-22");
    run_ok(prepdeck(data, today).args(["plan", "--interview", "2026-12-10", "--deck", DECK]));
    let out = review(data, today, &[4], &["--new", "10"]);
    assert!(
        out.contains("Readiness: 0% → 100% (4 of 4 planned cards ready)"),
        "{out}"
    );
    assert!(out.contains("Good:      100% answered 4 or 5"), "{out}");
}

#[test]
fn stats_json_figures_match_the_log_and_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    write_deck(data, 12);
    let days = ["2026-11-10", "2026-11-11", "2026-11-13", "2026-11-14"];
    for (i, day) in days.iter().enumerate() {
        review(data, date(day), &[[5, 3, 4, 2][i]], &["--new", "3"]);
    }
    let today = date("2026-11-14");
    let stats = json(data, today, &["stats", DECK, "--json"]);

    // Heatmap: answers per day (re-drills included) equal the log's answer lines.
    let mut per_day: HashMap<String, u64> = HashMap::new();
    let mut grades = [0u64; 6];
    for line in log(data) {
        assert_eq!(line["kind"], "answer");
        *per_day
            .entry(line["day"].as_str().unwrap().to_owned())
            .or_default() += 1;
        if line["redrill"] == false {
            grades[line["grade"].as_u64().unwrap() as usize] += 1;
        }
    }
    let heat = stats["answers_per_day"].as_array().unwrap();
    assert_eq!(heat.len(), 16 * 7 - 1); // 16 weeks ending Saturday 11-14... up to today
    for entry in heat {
        let day = entry["date"].as_str().unwrap();
        assert_eq!(
            entry["answers"].as_u64().unwrap(),
            per_day.get(day).copied().unwrap_or(0),
            "{day}"
        );
    }
    let json_grades: Vec<u64> = stats["grades_30d"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_u64().unwrap())
        .collect();
    assert_eq!(json_grades, grades);

    // Forecast: cards due on each of the next 14 days, as `cards --json` says.
    let cards = json(data, today, &["cards", DECK, "--json"]);
    for entry in stats["forecast"].as_array().unwrap() {
        let day = date(entry["date"].as_str().unwrap());
        let expected = cards
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| due_of(c) == Some(day))
            .count();
        assert_eq!(entry["cards"].as_u64().unwrap() as usize, expected, "{day}");
    }

    // Readiness: last answer 4 or 5 and not overdue (today's grades were 2: those are not).
    let ready = cards
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            let key = format!("{DECK}/{}", c["id"].as_str().unwrap());
            let last = log(data)
                .into_iter()
                .rfind(|l| l["card"] == key.as_str() && l["redrill"] == false);
            last.is_some_and(|l| l["grade"].as_u64().unwrap() >= 4)
                && due_of(c).is_some_and(|d| d >= today)
        })
        .count();
    assert_eq!(
        stats["readiness"]["ready"].as_u64().unwrap() as usize,
        ready
    );
    assert_eq!(stats["readiness"]["cards"], 12);

    // The table shows the same figures as the JSON total row.
    let table = run_ok(prepdeck(data, today).args(["stats", DECK]));
    let total = &stats["total"];
    let row = table.lines().find(|l| l.contains("total")).unwrap();
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
        table.contains(&format!("Study streak: {} days", stats["streak_days"])),
        "{table}"
    );
}

#[test]
fn stats_pictures_fit_80_columns_and_are_plain_without_colour() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    write_deck(data, 5);
    let today = date("2026-11-22");
    review(data, today, &[4], &[]);
    let table = run_ok(prepdeck(data, today).args(["stats", DECK]));
    assert!(table.contains("Answers, last 16 weeks"));
    assert!(table.contains("Due in the next 14 days"));
    assert!(table.contains("Grades, last 30 days"));
    assert!(
        !table.contains('\u{1b}'),
        "NO_COLOR output has escape codes"
    );
    // The pictures (below the table) fit an 80-column terminal.
    let pictures = table.split("Answers, last 16 weeks").nth(1).unwrap();
    assert!(
        pictures.lines().all(|l| l.chars().count() <= 80),
        "{pictures}"
    );
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
