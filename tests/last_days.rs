//! The interview plan on its last days: early reviews, the interview day itself, and
//! what `plan` refuses.

mod common;

use common::Env;

fn at(day: &str) -> String {
    format!("{day}T09:00:00Z")
}

fn day_after(day: &str, n: u64) -> String {
    let d: chrono::NaiveDate = day.parse().unwrap();
    (d + chrono::Days::new(n)).to_string()
}

#[test]
fn near_daily_pulled_in_reviews_do_not_stretch_the_schedule() {
    let env = Env::new();
    env.install_numbered("mine", 5);
    // Learned the canonical way: days 0, 1 and 7, all 5s: intervals 1, 6, 17.
    for day in ["2026-11-01", "2026-11-02", "2026-11-08"] {
        env.ok_at(&at(day), &["review", "mine"], &"\n5\n".repeat(5));
    }
    assert!(env.cards("mine").iter().all(|c| c["interval"] == 17));
    // An interview 11 days later; every day until then, whatever is due, answered 5.
    env.ok_at(
        &at("2026-11-09"),
        &["plan", "--interview", "2026-11-20"],
        "",
    );
    for n in 0..11 {
        let day = day_after("2026-11-09", n);
        env.ok_at(&at(&day), &["review", "mine"], &"\n5\n".repeat(10));
    }
    // Every answer given before its SM-2 day grew the interval from the days that had
    // elapsed since the card's previous answer, not from the interval it cut short.
    let mut last: std::collections::HashMap<String, (chrono::NaiveDate, u64)> = Default::default();
    let mut early = 0;
    for e in env.log() {
        let (Some(after), false) = (e.get("after"), e["redrill"] == true) else {
            continue;
        };
        let card = e["card"].as_str().unwrap().to_owned();
        let day: chrono::NaiveDate = e["day"].as_str().unwrap().parse().unwrap();
        let interval = after["interval"].as_u64().unwrap();
        let ef = after["ef"].as_f64().unwrap();
        if let Some((prev_day, prev_interval)) = last.get(&card) {
            let elapsed = (day - *prev_day).num_days().max(1) as u64;
            if elapsed < *prev_interval && after["reps"].as_u64().unwrap() >= 3 {
                early += 1;
                let want = (elapsed as f64 * ef).ceil() as u64;
                assert_eq!(interval, want, "{e}");
            }
        }
        last.insert(card, (day, interval));
    }
    assert!(early >= 5, "only {early} early answers");
}

#[test]
fn a_plan_more_than_two_years_ahead_is_refused_and_a_far_one_prints_a_short_chart() {
    let env = Env::new();
    let err = env
        .cmd()
        .args(["plan", "--interview", "9999-12-31"])
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("more than two years ahead"), "{err}");
    assert!(!env.data().join("plan.json").exists());
    // Two years less a day: allowed, and the chart stays within a screen or two.
    let out = env.ok_at(common::NOW, &["plan", "--interview", "2028-11-21"], "");
    assert!(
        out.lines().count() < 70,
        "{} lines:\n{out}",
        out.lines().count()
    );
    assert!(out.contains("days a row"), "{out}");
    let again = env.ok_at(common::NOW, &["plan"], "");
    assert!(again.lines().count() < 70);
}

#[test]
fn on_the_interview_day_plan_review_and_stats_say_today_with_readiness_and_the_cram() {
    let env = Env::new();
    env.install_numbered("mine", 3);
    env.ok_at(
        &at("2026-11-22"),
        &["plan", "--interview", "2026-11-25", "--deck", "mine"],
        "",
    );
    for day in ["2026-11-22", "2026-11-23", "2026-11-24"] {
        env.ok_at(&at(day), &["review", "mine"], &"\n5\n".repeat(3));
    }
    let on = at("2026-11-25");
    let plan = env.ok_at(&on, &["plan"], "");
    assert!(plan.contains("Interview: 2026-11-25 — today"), "{plan}");
    assert!(
        plan.contains("Readiness: 100% (3 of 3 planned cards"),
        "{plan}"
    );
    assert!(
        plan.contains("`prepdeck review --cram --shuffle mine`"),
        "{plan}"
    );
    assert!(!plan.contains("passed"), "{plan}");
    let json = env.json_at(&on, &["plan", "--json"]);
    assert_eq!(json["status"], "today");
    assert_eq!(json["readiness"]["ready"], 3);
    let review = env.ok_at(&on, &["review", "mine"], "");
    assert!(review.contains("— today"), "{review}");
    assert!(review.contains("Warm up:"), "{review}");
    let stats = env.ok_at(&on, &["stats", "mine"], "");
    assert!(stats.contains("— today"), "{stats}");
    let stats = env.json_at(&on, &["stats", "mine", "--json"]);
    assert_eq!(stats["plan_readiness"]["interview"], "2026-11-25");
    assert_eq!(stats["plan_readiness"]["ready"], 3);
    // The cram itself goes through every planned card.
    let cram = env.ok_at(&on, &["review", "--cram", "mine"], &"\n5\n".repeat(3));
    assert!(cram.contains("Cramming 3 cards"), "{cram}");
    // Only the day after is "passed".
    let after = env.ok_at(&at("2026-11-26"), &["plan"], "");
    assert!(after.contains("has passed"), "{after}");
    assert_eq!(
        env.json_at(&at("2026-11-26"), &["plan", "--json"])["status"],
        "passed"
    );
}

#[test]
fn a_miss_re_drilled_to_a_good_answer_counts_as_ready() {
    let env = Env::new();
    env.install_numbered("mine", 2);
    env.ok_at(
        &at("2026-11-22"),
        &["plan", "--interview", "2026-12-10", "--deck", "mine"],
        "",
    );
    // c1: 5. c2: 2, then its re-drill 4.
    let out = env.ok_at(&at("2026-11-22"), &["review", "mine"], "\n5\n\n2\n\n4\n");
    assert!(
        out.contains("Readiness: 0% → 100% (2 of 2 planned cards ready)"),
        "{out}"
    );
    let plan = env.json_at(&at("2026-11-22"), &["plan", "--json"]);
    assert_eq!(plan["readiness"]["ready"], 2, "{plan}");
}
