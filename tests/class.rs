//! `prepdeck class`: a coach reads many learners' reports. The aggregation is checked
//! against a computation made here from the reports' JSON; hostile, huge, nested and
//! newer reports are refused one line each while the others are shown.

mod common;

use common::{Env, NOW};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::Path;

const DAY1: &str = "2026-11-19T09:00:00Z";
const DAY2: &str = "2026-11-21T09:00:00Z";

/// A learner who reviewed why-they-ask twice, grading by `grades` in turn (failed cards
/// come back as re-drills), and the report they made on [`NOW`].
fn learner_report(name: &str, grades: &[u8], extra: &[&str]) -> String {
    let env = Env::new();
    for (day, now) in [DAY1, DAY2].iter().enumerate() {
        let input: String = (0..16)
            .map(|i| format!("\n{}\n", grades[(i + day) % grades.len()]))
            .collect();
        env.cmd_at(now)
            .args(["review", "why-they-ask", "--new", "8"])
            .write_stdin(input)
            .assert()
            .success();
    }
    let mut args = vec!["report", "--name", name];
    args.extend_from_slice(extra);
    env.ok_at(NOW, &args, "")
}

/// Three generated learners' reports written into `dir`.
fn class_dir(coach: &Env) -> std::path::PathBuf {
    let dir = coach.path("reports");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, grades) in [
        ("Ana", &[5u8, 4, 1, 5][..]),
        ("Ben", &[2, 4, 0, 3, 5][..]),
        ("Chloé", &[4, 4, 5, 2][..]),
    ] {
        std::fs::write(
            dir.join(format!("{name}.json")),
            learner_report(name, grades, &[]),
        )
        .unwrap();
    }
    dir
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn class_json(coach: &Env, args: &[&str]) -> Value {
    let mut all = vec!["class"];
    all.extend_from_slice(args);
    all.push("--json");
    coach.json_at(NOW, &all)
}

#[test]
fn learner_rows_and_hardest_cards_agree_with_an_independent_computation() {
    let coach = Env::new();
    let dir = class_dir(&coach);
    let class = class_json(&coach, &[dir.to_str().unwrap()]);
    let reports: Vec<Value> = ["Ana", "Ben", "Chloé"]
        .iter()
        .map(|n| read_json(&dir.join(format!("{n}.json"))))
        .collect();

    // A row per learner, by name, with the report's figures.
    let rows = class["learners"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for (row, report) in rows.iter().zip(&reports) {
        assert_eq!(row["name"], report["name"]);
        let due: u64 = report["decks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["due"].as_u64().unwrap())
            .sum();
        assert_eq!(row["due"].as_u64(), Some(due));
        assert_eq!(row["readiness"], report["readiness"]);
        assert_eq!(row["streak_days"], report["streak_days"]);
        assert_eq!(row["last_active"], "2026-11-21");
        let answers: u64 = report["activity"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["answers"].as_u64().unwrap())
            .sum();
        let shown: u64 = row["activity"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .sum();
        assert_eq!(shown, answers);
        assert_eq!(row["activity"].as_array().unwrap().len(), 56);
        // Today is the last slot: nothing answered on it, two days back something was.
        assert_eq!(row["activity"][55], 0);
        assert!(row["activity"][54].as_u64().unwrap() > 0);
    }

    // Every card's sums over the learners, computed here.
    #[derive(Default, Debug, PartialEq)]
    struct Sums {
        learners: u64,
        lapses: u64,
        below_3: u64,
        redrills: u64,
        failing_now: u64,
        lowest: Option<u64>,
    }
    let mut sums: HashMap<String, Sums> = HashMap::new();
    for report in &reports {
        let deck = report["decks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == "why-they-ask")
            .unwrap();
        for card in deck["card_progress"].as_array().unwrap() {
            let s = sums
                .entry(card["id"].as_str().unwrap().to_owned())
                .or_default();
            s.learners += 1;
            s.lapses += card["lapses"].as_u64().unwrap();
            s.below_3 += card["below_3"].as_u64().unwrap();
            s.redrills += card["redrills"].as_u64().unwrap();
            let grade = card["last_grade"].as_u64().unwrap();
            s.failing_now += u64::from(grade < 3);
            s.lowest = Some(s.lowest.map_or(grade, |l: u64| l.min(grade)));
        }
    }
    let deck = class["decks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "why-they-ask")
        .unwrap();
    assert_eq!(deck["learners"], 3);
    assert_eq!(deck["other_version"], 0);
    let hardest = deck["hardest"].as_array().unwrap();
    let hard_ones = sums
        .values()
        .filter(|s| s.lapses + s.below_3 + s.redrills + s.failing_now > 0)
        .count();
    assert!(hard_ones > 0, "the generated grades make some cards hard");
    assert_eq!(hardest.len(), hard_ones.min(10));
    let fronts: HashMap<String, String> = prepdeck::catalog::built_in()
        .unwrap()
        .into_iter()
        .flat_map(|d| d.cards)
        .map(|c| (c.id.to_string(), c.front))
        .collect();
    let key = |s: &Sums| (s.lapses, s.below_3, s.failing_now, s.redrills);
    for card in hardest {
        let id = card["id"].as_str().unwrap();
        let s = &sums[id];
        let shown = Sums {
            learners: card["learners"].as_u64().unwrap(),
            lapses: card["lapses"].as_u64().unwrap(),
            below_3: card["below_3"].as_u64().unwrap(),
            redrills: card["redrills"].as_u64().unwrap(),
            failing_now: card["failing_now"].as_u64().unwrap(),
            lowest: card["lowest_last_grade"].as_u64(),
        };
        assert_eq!(&shown, s, "{id}");
        assert_eq!(card["front"].as_str(), Some(fronts[id].as_str()));
        assert_eq!(card["retired"], false);
    }
    // Hardest first: no card left out is harder than the last one shown, and the order
    // never goes up.
    let keys: Vec<_> = hardest
        .iter()
        .map(|c| key(&sums[c["id"].as_str().unwrap()]))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] >= w[1]), "{keys:?}");
    let shown: Vec<&str> = hardest.iter().map(|c| c["id"].as_str().unwrap()).collect();
    for (id, s) in &sums {
        if !shown.contains(&id.as_str()) {
            assert!(key(s) <= *keys.last().unwrap(), "{id} left out");
        }
    }
}

#[test]
fn the_terminal_view_shows_each_learner_and_the_hardest_fronts() {
    let coach = Env::new();
    let dir = class_dir(&coach);
    let text = coach.ok_at(NOW, &["class", dir.to_str().unwrap()], "");
    let class = class_json(&coach, &[dir.to_str().unwrap()]);
    for name in ["Ana", "Ben", "Chloé"] {
        assert!(text.contains(name), "{name}\n{text}");
    }
    // The learners studied why-they-ask only; the other decks have no hard cards.
    let decks = class["decks"].as_array().unwrap();
    let studied = decks.iter().find(|d| d["id"] == "why-they-ask").unwrap();
    let first = &studied["hardest"][0];
    let front = first["front"].as_str().unwrap();
    let words: String = front
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains(&words), "{words}\n{text}");
    assert!(text.contains("Hardest cards: why-they-ask"));
}

/// A valid report to edit: one learner, one deck, two cards.
fn base_report(name: &str) -> Value {
    json!({
        "format": "prepdeck-report", "format_version": 1, "prepdeck_version": "0.1.0",
        "name": name, "generated_at": "2026-11-22T08:00:00Z", "date": "2026-11-22",
        "time_zone": "UTC", "streak_days": 1, "last_active": "2026-11-22",
        "readiness": {"ready": 1, "cards": 36}, "activity": [{"date": "2026-11-22", "answers": 4}],
        "decks": [{
            "id": "why-they-ask", "title": "T", "content_hash": "fnv1a64:0000000000000000",
            "cards": 36, "seen": 2, "young": 2, "mature": 0, "due": 1, "retention_30d": 0.5,
            "readiness": {"ready": 1, "cards": 36}, "streak_days": 1, "last_active": "2026-11-22",
            "card_progress": [
                {"id": "why-asked-common-situation", "reps": 0, "lapses": 2, "ef": 1.7, "interval": 1,
                 "due": "2026-11-23", "last_grade": 1, "last_review": "2026-11-22T08:00:00Z",
                 "below_3": 3, "redrills": 2},
                {"id": "no-longer-in-the-deck", "reps": 0, "lapses": 1, "ef": 2.1, "interval": 1,
                 "due": "2026-11-23", "last_grade": 2, "last_review": "2026-11-22T08:00:00Z",
                 "below_3": 1, "redrills": 0}
            ]
        }]
    })
}

#[test]
fn hostile_reports_are_refused_one_line_each_and_the_others_shown() {
    let coach = Env::new();
    let dir = coach.path("in");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write("good.json", &base_report("Dana").to_string());
    write(
        "escapes.json",
        &base_report("Eve\u{1b}]0;owned\u{7}\u{1b}[2J\u{202e}").to_string(),
    );
    // 9 MiB: over the limit, refused unread.
    let mut huge = base_report("Huge");
    huge["prepdeck_version"] = json!("x".repeat(9 * 1024 * 1024));
    write("huge.json", &huge.to_string());
    write(
        "nested.json",
        &format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    );
    write(
        "nested-field.json",
        &format!(
            "{{\"format\":\"prepdeck-report\",\"format_version\":1,\"x\":{}{}}}",
            "{\"a\":".repeat(3_000),
            "1".to_owned() + &"}".repeat(3_000)
        ),
    );
    let mut newer = base_report("Future");
    newer["format_version"] = json!(2);
    newer["new_field"] = json!("whatever");
    write("newer.json", &newer.to_string());
    write("not-json.json", "\u{1b}[31mhello");
    let mut long = base_report(&"N".repeat(1_000));
    long["name"] = json!("N".repeat(1_000));
    write("long-name.json", &long.to_string());
    let mut bad_grade = base_report("Grade");
    bad_grade["decks"][0]["card_progress"][0]["last_grade"] = json!(9);
    write("bad-grade.json", &bad_grade.to_string());
    write(
        "deck.json",
        &common::deck_json("d", "1", &[("a", "Q", "A")]),
    );

    let output = coach
        .cmd()
        .args(["class", dir.to_str().unwrap()])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let refused: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(": refused: "))
        .collect();
    let mut files: Vec<&str> = refused
        .iter()
        .map(|l| {
            let file = l.split(": refused: ").next().unwrap();
            Path::new(file).file_name().unwrap().to_str().unwrap()
        })
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "bad-grade.json",
            "deck.json",
            "huge.json",
            "long-name.json",
            "nested-field.json",
            "nested.json",
            "newer.json",
            "not-json.json"
        ],
        "{stderr}"
    );
    assert!(stderr.contains("newer prepdeck"), "{stderr}");
    assert!(stderr.contains("larger than the 8 MiB"), "{stderr}");
    // Nothing a terminal would act on reaches it, from either stream.
    for text in [&stdout, &stderr] {
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'));
    }
    assert!(stdout.contains("Dana"), "{stdout}");
    assert!(stdout.contains("Eve\\u{1b}]0;owned"), "{stdout}");
    assert!(stdout.contains("Class of 2 learners"), "{stdout}");
}

#[test]
fn nothing_readable_is_an_error() {
    let coach = Env::new();
    let bad = coach.write("bad.json", "{}");
    let output = coach
        .cmd()
        .args(["class", bad.to_str().unwrap()])
        .assert()
        .failure()
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("bad.json: refused: not a prepdeck report"),
        "{stderr}"
    );
    assert!(
        stderr.contains("none of the 1 file could be read"),
        "{stderr}"
    );
}

#[test]
fn older_deck_versions_match_by_card_id_retired_cards_are_flagged_unknown_decks_named() {
    let coach = Env::new();
    // The learner has version 1 of the coach's deck, answered every card badly.
    let learner = Env::new();
    learner.install(
        "coach-deck",
        &[
            ("c1", "Old front one", "A"),
            ("c2", "Old front two", "B"),
            ("c3", "Gone card", "C"),
        ],
    );
    learner
        .cmd_at(DAY2)
        .args(["review", "coach-deck"])
        .write_stdin("\n1\n".repeat(3))
        .assert()
        .success();
    learner.install("private-deck", &[("p1", "Private", "P")]);
    learner
        .cmd_at(DAY2)
        .args(["review", "private-deck"])
        .write_stdin("\n0\n")
        .assert()
        .success();
    let report = learner.ok_at(
        NOW,
        &[
            "report",
            "--name",
            "Lee",
            "--deck",
            "coach-deck",
            "--deck",
            "private-deck",
        ],
        "",
    );
    let file = coach.write("lee.json", &report);
    // The coach has version 2: c2 re-worded, c3 retired, c4 added.
    coach.install(
        "coach-deck",
        &[
            ("c1", "Old front one", "A"),
            ("c2", "New front two", "B"),
            ("c4", "Added", "D"),
        ],
    );
    let output = coach
        .cmd()
        .args(["class", file.to_str().unwrap(), "--json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let class: Value = serde_json::from_slice(&output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("private-deck"),
        "unknown decks are named: {stderr}"
    );
    assert_eq!(class["unknown_decks"], json!(["private-deck"]));
    let deck = class["decks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "coach-deck")
        .unwrap();
    assert_eq!(deck["other_version"], 1);
    assert_eq!(deck["installed"], true);
    let card = |id: &str| {
        deck["hardest"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(card("c2")["front"], "New front two");
    assert_eq!(card("c2")["retired"], false);
    assert_eq!(card("c3")["front"], Value::Null);
    assert_eq!(card("c3")["retired"], true);
    let private = class["decks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "private-deck")
        .unwrap();
    assert_eq!(private["installed"], false);
    assert_eq!(
        private["hardest"][0]["retired"], false,
        "unknown, not retired"
    );
    let text = coach.ok_at(NOW, &["class", file.to_str().unwrap()], "");
    assert!(text.contains("(retired"), "{text}");
    assert!(
        text.contains("Not installed here (cards shown by id): private-deck"),
        "{text}"
    );
}

#[test]
fn the_newest_report_of_a_learner_is_the_one_shown() {
    let coach = Env::new();
    let mut old = base_report("Ana");
    old["generated_at"] = json!("2026-11-01T08:00:00Z");
    old["streak_days"] = json!(7);
    let new = base_report("Ana");
    let a = coach.write("ana-old.json", &old.to_string());
    let b = coach.write("ana-new.json", &new.to_string());
    let output = coach
        .cmd()
        .args(["class", a.to_str().unwrap(), b.to_str().unwrap(), "--json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let class: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(class["learners"].as_array().unwrap().len(), 1);
    assert_eq!(class["learners"][0]["streak_days"], 1);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("ana-old.json is an older report of Ana")
    );
}

#[test]
fn rehearsal_scores_and_days_left_are_shown_when_present() {
    let coach = Env::new();
    let mut report = base_report("Ana");
    report["interview"] = json!("2026-12-02");
    report["rehearsals"] = json!([
        {"date": "2026-11-20", "count": 2, "median_seconds": 95.0, "score": 0.5, "median_score": 0.45},
        {"date": "2026-11-21", "count": 3, "median_seconds": 80.0, "score": 0.8, "median_score": 0.6}
    ]);
    let file = coach.write("ana.json", &report.to_string());
    let class = class_json(&coach, &[file.to_str().unwrap()]);
    let ana = &class["learners"][0];
    assert_eq!(ana["rehearsal_score"], 0.8);
    assert_eq!(ana["rehearsal_median_score"], 0.6);
    assert_eq!(ana["rehearsal_seconds"], 80.0);
    assert_eq!(ana["rehearsal_date"], "2026-11-21");
    assert_eq!(ana["rehearsals"], 5);
    assert_eq!(ana["days_left"], 10);
    let text = coach.ok_at(NOW, &["class", file.to_str().unwrap()], "");
    assert!(
        text.contains("8/10 · 80 s") && text.contains("2026-12-02 (10 days)"),
        "{text}"
    );
}

#[test]
fn the_html_page_escapes_report_text_and_loads_nothing() {
    let coach = Env::new();
    let mut report = base_report("<script>document.title='pwned'</script>");
    report["decks"][0]["id"] = json!("unknown-deck");
    report["decks"][0]["title"] = json!("<img src=x onerror=alert(1)> & \"quotes\"");
    let file = coach.write("evil.json", &report.to_string());
    let page_path = coach.path("class.html");
    coach.ok_at(
        NOW,
        &[
            "class",
            file.to_str().unwrap(),
            "--html",
            page_path.to_str().unwrap(),
        ],
        "",
    );
    let page = std::fs::read_to_string(&page_path).unwrap();
    assert!(page.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;"));
    let lower = page.to_lowercase();
    for banned in [
        "<script", "<img", "src=\"", "href=", "@import", "url(", "<link", "<iframe",
    ] {
        assert!(!lower.contains(banned), "{banned}");
    }
    assert!(page.contains("Content-Security-Policy\" content=\"default-src 'none'"));
}

#[test]
fn right_to_left_names_and_titles_are_isolated_on_the_page_and_closed_by_marks_on_the_terminal() {
    let coach = Env::new();
    let mut report = base_report("שרה\u{200f}");
    report["decks"][0]["id"] = json!("unknown-deck");
    report["decks"][0]["title"] = json!("כותרת\u{200f} (2)");
    let file = coach.write("rtl.json", &report.to_string());
    let page_path = coach.path("class.html");
    coach.ok_at(
        NOW,
        &[
            "class",
            file.to_str().unwrap(),
            "--html",
            page_path.to_str().unwrap(),
        ],
        "",
    );
    let page = std::fs::read_to_string(&page_path).unwrap();
    // The marks as written, inside an element the browser isolates from its neighbours.
    assert!(page.contains("<bdi>כותרת\u{200f} (2)</bdi>"), "{page}");
    assert!(page.contains("<td class=\"name\" data-label=\"Learner\">שרה\u{200f}</td>"));
    assert!(page.contains(".name{unicode-bidi:isolate}"));
    assert!(!page.contains("\\u{200f}"));
    // On the terminal the name sits between LRMs: the columns after it stay in place.
    let table = coach.ok_at(NOW, &["class", file.to_str().unwrap()], "");
    assert!(table.contains("\u{200e}שרה\u{200f}\u{200e}"), "{table}");
}
