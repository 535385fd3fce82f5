//! Tests of the plan rules.

use super::*;
use crate::deck::Id;
use crate::deck::Outline;
use crate::progress::{answer_entry, CardState, Progress};
use crate::sm2::{Grade, Sm2};
use chrono::DateTime;
use std::collections::HashMap;

fn d(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn plan(interview: &str) -> Plan {
    Plan {
        format_version: PLAN_VERSION,
        interview: d(interview),
        decks: Vec::new(),
        max_new_per_day: 50,
    }
}

fn outline(id: &str, cards: usize) -> Outline {
    Outline {
        id: Id::parse(id).unwrap(),
        title: id.into(),
        description: String::new(),
        cards: (1..=cards)
            .map(|i| Id::parse(&format!("c{i}")).unwrap())
            .collect(),
    }
}

/// A card answered long ago with a 100-day interval, due `sm2_due` (no plan moved it).
fn mature(sm2_due: &str) -> CardState {
    CardState {
        reps: 5,
        ef: 2.5,
        interval: 100,
        lapses: 0,
        due: d(sm2_due),
        sm2_due: None,
        last_review: "2026-09-01T10:00:00Z".parse().unwrap(),
        last_grade: Grade::new(5),
        drill_grade: None,
    }
}

fn progress_with(cards: &[(&str, CardState)]) -> Progress {
    let mut p = Progress::default();
    p.cards
        .extend(cards.iter().map(|(k, s)| ((*k).to_owned(), *s)));
    p
}

#[test]
fn the_pace_spreads_unseen_cards_over_the_days_to_three_days_before() {
    let p = plan("2026-12-21"); // deadline 12-18: from 12-01 that is 18 days
    assert_eq!(p.pace(180, d("2026-12-01")), 10);
    assert_eq!(p.pace(181, d("2026-12-01")), 11);
    assert_eq!(p.pace(5, d("2026-12-18")), 5);
    // Past the deadline: everything left.
    assert_eq!(p.pace(80, d("2026-12-20")), 80);
}

#[test]
fn the_daily_count_rises_above_the_default_as_needed_but_never_above_the_cap() {
    let p = plan("2026-12-21");
    // Pace 10 < default 20: the default.
    assert_eq!(p.daily_new(180, d("2026-12-01"), 20), 20);
    // Pace 40: 40.
    assert_eq!(p.daily_new(720, d("2026-12-01"), 20), 40);
    // Pace 80 > cap 50: the cap.
    assert_eq!(p.daily_new(80, d("2026-12-20"), 20), 50);
    // A cap below the default caps the default too.
    let low = Plan {
        max_new_per_day: 5,
        ..p
    };
    assert_eq!(low.daily_new(10, d("2026-12-01"), 20), 5);
}

#[test]
fn introductions_say_when_all_are_seen_and_what_the_cap_leaves_unseen() {
    let p = Plan {
        max_new_per_day: 5,
        ..plan("2026-12-11") // deadline 12-08, last day 12-10
    };
    // 8 days to the deadline at 5 a day is 40: of 60, 20 are left after 12-08, and
    // 5 a day on 12-09 and 12-10 leave 10 for the interview.
    let intro = introductions(&p, 60, 0, d("2026-12-01"), 20);
    assert_eq!(intro.per_day, [5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
    assert_eq!(intro.unseen_after_target, 20);
    assert_eq!(intro.unseen_at_interview, 10);
    assert_eq!(intro.done_by, None);
    // 60 over 8 days: 8 a day.
    assert_eq!(intro.cap_needed, Some(8));
    let enough = Plan {
        max_new_per_day: 8,
        ..p.clone()
    };
    let intro = introductions(&enough, 60, 0, d("2026-12-01"), 20);
    assert_eq!(intro.unseen_after_target, 0);
    assert_eq!(intro.done_by, Some(d("2026-12-08")));
    assert_eq!(intro.cap_needed, None);
}

#[test]
fn introductions_count_the_cards_already_introduced_today() {
    let p = plan("2026-12-11");
    // 30 unseen at the start of the day, 20 a day: 12 came already, 8 more today.
    let intro = introductions(&p, 18, 12, d("2026-12-01"), 20);
    assert_eq!(intro.daily_today, 20);
    assert_eq!(intro.per_day[..2], [8, 10]);
    assert_eq!(intro.done_by, Some(d("2026-12-02")));
}

#[test]
fn core_cards_come_first_only_when_the_days_left_cannot_fit_every_card() {
    let p = Plan {
        max_new_per_day: 20,
        ..plan("2026-12-11") // deadline 12-08: 8 days from 12-01
    };
    // 160 cards at 20 a day fit in the 8 days; 161 do not.
    assert!(!introductions(&p, 160, 0, d("2026-12-01"), 20).core_first());
    assert!(introductions(&p, 161, 0, d("2026-12-01"), 20).core_first());
    // Three days before the interview the target is the last day: 2 days of 20.
    assert!(!introductions(&p, 40, 0, d("2026-12-09"), 20).core_first());
    assert!(introductions(&p, 41, 0, d("2026-12-09"), 20).core_first());
    // The cards introduced today use up today's share.
    assert!(introductions(&p, 30, 15, d("2026-12-09"), 20).core_first());
}

#[test]
fn core_first_puts_core_cards_ahead_and_keeps_each_group_in_deck_order() {
    let cards = [
        ("a", false),
        ("b", true),
        ("c", false),
        ("d", true),
        ("e", false),
    ];
    let order: Vec<&str> = core_first(cards, |(_, core)| *core)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(order, ["b", "d", "a", "c", "e"]);
    let none: Vec<u8> = core_first([3, 1, 2], |_| false);
    assert_eq!(none, [3, 1, 2]);
}

#[test]
fn after_the_deadline_the_target_is_the_last_day_and_no_date_is_in_the_past() {
    let p = Plan {
        max_new_per_day: 10,
        ..plan("2026-12-11")
    };
    let today = d("2026-12-09"); // deadline 12-08 has passed
    assert_eq!(p.intro_target(today), d("2026-12-10"));
    let intro = introductions(&p, 30, 0, today, 20);
    assert_eq!(intro.per_day, [10, 10]);
    assert_eq!(intro.unseen_at_interview, 10);
    assert_eq!(intro.cap_needed, Some(15));
    let intro = introductions(&p, 15, 0, today, 20);
    assert_eq!(intro.done_by, Some(d("2026-12-10")));
}

#[test]
fn planned_due_keeps_sm2_days_in_the_window_and_placed_days_and_pulls_in_the_rest() {
    let (today, last) = (d("2026-11-10"), d("2026-11-16"));
    assert_eq!(
        planned_due(&mature("2026-11-12"), today, last),
        PlannedDue::Sm2(d("2026-11-12"))
    );
    let placed = CardState {
        due: d("2026-11-14"),
        sm2_due: Some(d("2027-01-01")),
        ..mature("2026-11-14")
    };
    assert_eq!(
        planned_due(&placed, today, last),
        PlannedDue::Placed(d("2026-11-14"))
    );
    // Placed for an earlier, later interview date: pulled in again.
    let stale = CardState {
        due: d("2026-11-20"),
        ..placed
    };
    assert!(matches!(
        planned_due(&stale, today, last),
        PlannedDue::Pulled { earliest, .. } if earliest == today
    ));
    // Answered today (due today + 60): not before tomorrow.
    let today_60 = CardState {
        interval: 60,
        ..mature("2027-01-09")
    };
    assert_eq!(
        planned_due(&today_60, today, last),
        PlannedDue::Pulled {
            sm2: d("2027-01-09"),
            earliest: d("2026-11-11")
        }
    );
    // Answered on the last day itself: it has had its review; SM-2 decides.
    let last_60 = CardState {
        interval: 60,
        ..mature("2027-01-15")
    };
    assert_eq!(
        planned_due(&last_60, last, last),
        PlannedDue::Sm2(d("2027-01-15"))
    );
}

#[test]
fn pulled_in_cards_are_spread_evenly_from_today_in_sm2_order() {
    let p = plan("2026-11-14"); // window 11-10..=11-13
    let deck = outline("d", 10);
    let cards: Vec<(String, CardState)> = (1..=10)
        .map(|i| (format!("d/c{i}"), mature(&format!("2027-01-{:02}", 21 - i))))
        .collect();
    let refs: Vec<(&str, CardState)> = cards.iter().map(|(k, s)| (k.as_str(), *s)).collect();
    let progress = progress_with(&refs);
    let today = d("2026-11-10");
    let planned = resolve(&p, &[&deck], &progress, today);
    let dues = planned.dues.deck("d");
    let days: Vec<NaiveDate> = progress
        .deck_states(&deck)
        .enumerate()
        .map(|(i, (_, s))| dues.due(i, s.unwrap()))
        .collect();
    // 10 over 4 days: 2 or 3 a day, the extra ones on the latest days; c10 (SM-2's
    // earliest) first.
    assert_eq!(
        days,
        [
            "2026-11-13",
            "2026-11-13",
            "2026-11-13",
            "2026-11-12",
            "2026-11-12",
            "2026-11-12",
            "2026-11-11",
            "2026-11-11",
            "2026-11-10",
            "2026-11-10"
        ]
        .map(d)
    );
    assert_eq!(planned.readiness, Readiness::of(10, 10));
    assert_eq!(planned.unseen, 0);
    // Tomorrow on, the spreader knows the pulled-in reviews.
    assert_eq!(planned.spreader.load(d("2026-11-11")), 2);
    assert_eq!(planned.spreader.load(d("2026-11-13")), 3);
}

#[test]
fn pulled_in_cards_fill_around_reviews_already_moved() {
    let p = plan("2026-11-14");
    let deck = outline("d", 7);
    let mut cards: Vec<(String, CardState)> = (1..=4)
        .map(|i| (format!("d/c{i}"), mature("2027-01-01")))
        .collect();
    // Three reviews moved to 11-13 by answers given under the plan (on 11-09).
    for i in 5..=7 {
        let state = CardState {
            due: d("2026-11-13"),
            sm2_due: Some(d("2027-01-08")),
            ..mature("2027-01-08")
        };
        cards.push((format!("d/c{i}"), state));
    }
    let refs: Vec<(&str, CardState)> = cards.iter().map(|(k, s)| (k.as_str(), *s)).collect();
    let progress = progress_with(&refs);
    let planned = resolve(&p, &[&deck], &progress, d("2026-11-10"));
    let dues = planned.dues.deck("d");
    let mut per_day: HashMap<NaiveDate, u32> = HashMap::new();
    for (i, (_, s)) in progress.deck_states(&deck).enumerate() {
        *per_day.entry(dues.due(i, s.unwrap())).or_default() += 1;
    }
    // 7 moved over 4 days; 11-13 already had 3.
    let mut counts: Vec<(NaiveDate, u32)> = per_day.into_iter().collect();
    counts.sort();
    assert_eq!(
        counts,
        [
            (d("2026-11-10"), 1),
            (d("2026-11-11"), 1),
            (d("2026-11-12"), 2),
            (d("2026-11-13"), 3)
        ]
    );
}

#[test]
fn a_second_session_the_same_day_finds_the_pulled_in_cards_where_they_were() {
    let p = plan("2026-11-16"); // window 11-10..=11-15
    let deck = outline("d", 24);
    let cards: Vec<(String, CardState)> = (1..=24)
        .map(|i| (format!("d/c{i}"), mature(&format!("2027-02-{:02}", i))))
        .collect();
    let refs: Vec<(&str, CardState)> = cards.iter().map(|(k, s)| (k.as_str(), *s)).collect();
    let mut progress = progress_with(&refs);
    let today = d("2026-11-10");
    let days_of = |progress: &Progress| -> Vec<NaiveDate> {
        let planned = resolve(&p, &[&deck], progress, today);
        let dues = planned.dues.deck("d");
        progress
            .deck_states(&deck)
            .enumerate()
            .map(|(i, (_, s))| dues.due(i, s.unwrap()))
            .collect()
    };
    let before = days_of(&progress);
    assert_eq!(before.iter().filter(|&&day| day == today).count(), 4);
    // The first session answers two of today's four, placing them as review does.
    let mut spreader = resolve(&p, &[&deck], &progress, today).spreader;
    let at = DateTime::parse_from_rfc3339("2026-11-10T10:00:00Z").unwrap();
    for card in ["d/c1", "d/c2"] {
        let before = progress.card(card).copied();
        let mut entry = answer_entry(card, before.as_ref(), Grade::ALL[5], false, at, today);
        let sm2 = entry.after.unwrap().due;
        entry.move_due(spreader.place(today, sm2).unwrap());
        progress.apply(&entry);
    }
    let after = days_of(&progress);
    for (i, (old, new)) in before.iter().zip(&after).enumerate().skip(2) {
        assert_eq!(old, new, "card c{}", i + 1);
    }
    assert!(after[..2].iter().all(|&day| day > today));
}

#[test]
fn decks_outside_the_plan_keep_sm2_days() {
    let p = plan("2026-11-14");
    let deck = outline("d", 1);
    let progress = progress_with(&[
        ("d/c1", mature("2027-01-01")),
        ("e/c1", mature("2027-01-01")),
    ]);
    let planned = resolve(&p, &[&deck], &progress, d("2026-11-10"));
    assert!(planned.dues.deck("d").is_planned());
    assert!(!planned.dues.deck("e").is_planned());
    let state = progress.card("e/c1").unwrap();
    assert_eq!(planned.dues.deck("e").due(0, state), d("2027-01-01"));
    assert_eq!(Dues::sm2().deck("d").due(0, state), d("2027-01-01"));
}

#[test]
fn answers_are_spread_over_the_days_with_fewest_moved_reviews_latest_first() {
    let first = d("2026-12-02");
    let mut s = Spreader::new(first, d("2026-12-05"), [0, 0, 0, 0]);
    let placed: Vec<NaiveDate> = (0..6)
        .map(|_| s.place(d("2026-12-01"), d("2027-01-30")).unwrap())
        .collect();
    assert_eq!(
        placed,
        [
            "2026-12-05",
            "2026-12-04",
            "2026-12-03",
            "2026-12-02",
            "2026-12-05",
            "2026-12-04"
        ]
        .map(d)
    );
    // SM-2 days in the window, and answers on the last day, keep SM-2's day.
    assert_eq!(s.place(d("2026-12-01"), d("2026-12-04")), None);
    assert_eq!(s.place(d("2026-12-05"), d("2027-01-30")), None);
    // Undo takes a placement back.
    s.unplace(d("2026-12-04"));
    assert_eq!(s.load(d("2026-12-04")), 1);
    assert_eq!(
        s.place(d("2026-12-01"), d("2027-01-30")),
        Some(d("2026-12-04"))
    );
}

#[test]
fn an_answer_is_never_placed_on_its_own_day_or_before() {
    let mut s = Spreader::new(d("2026-12-02"), d("2026-12-05"), [0, 0, 0, 9]);
    // Answered on 12-03: only 12-04 and 12-05 are open; 12-05 holds 9.
    assert_eq!(
        s.place(d("2026-12-03"), d("2027-01-30")),
        Some(d("2026-12-04"))
    );
}

/// [`fill_level`] as its documentation first describes it: one unit at a time.
fn fill_one_by_one(base: &[u32], units: usize, first_cap: usize) -> Vec<u64> {
    use std::cmp::Reverse;
    let mut quotas = vec![0u64; base.len()];
    let mut heap: std::collections::BinaryHeap<Reverse<(u64, Reverse<usize>)>> = base
        .iter()
        .enumerate()
        .filter(|&(day, _)| day > 0 || first_cap > 0)
        .map(|(day, &load)| Reverse((u64::from(load), Reverse(day))))
        .collect();
    for _ in 0..units {
        let Some(Reverse((load, Reverse(day)))) = heap.pop() else {
            break;
        };
        quotas[day] += 1;
        if day > 0 || (quotas[0] as usize) < first_cap {
            heap.push(Reverse((load + 1, Reverse(day))));
        }
    }
    quotas
}

proptest::proptest! {
    #[test]
    fn filling_level_by_level_is_filling_one_by_one(
        base in proptest::collection::vec(0u32..12, 2..30),
        units in 0usize..200,
        first_cap in 0usize..20,
    ) {
        let first_cap = first_cap.min(units);
        proptest::prop_assert_eq!(
            fill_level(&base, units, first_cap),
            fill_one_by_one(&base, units, first_cap)
        );
    }

    #[test]
    fn the_least_loaded_day_is_the_one_a_scan_finds(
        loads in proptest::collection::vec(0u32..5, 1..40),
        low in 0usize..45,
        changes in proptest::collection::vec((0usize..40, proptest::bool::ANY), 0..30),
    ) {
        let mut loads = loads;
        let mut tree = LeastLoaded::new(&loads);
        for (day, up) in changes {
            if day < loads.len() {
                let delta = if up { 1 } else { -1 };
                loads[day] = loads[day].saturating_add_signed(delta);
                tree.add(day, delta);
            }
        }
        let scan = (low..loads.len()).rev().min_by_key(|&day| loads[day]);
        proptest::prop_assert_eq!(tree.least(low), scan);
    }
}

#[test]
fn readiness_counts_last_grade_four_or_five_and_not_overdue() {
    let today = d("2026-12-02");
    let state = |grade: u8| CardState {
        last_grade: Grade::new(grade),
        drill_grade: None,
        ..mature("2026-12-02")
    };
    assert!(is_ready(&state(5), d("2026-12-02"), today));
    assert!(is_ready(&state(4), d("2026-12-03"), today));
    assert!(!is_ready(&state(3), d("2026-12-05"), today));
    assert!(!is_ready(&state(5), d("2026-12-01"), today));
    let r = Readiness::of(2, 5);
    assert!((r.share - 0.4).abs() < 1e-12);
}

#[test]
fn the_estimate_reviews_new_cards_with_sm2_and_pulls_their_next_review_in() {
    let p = plan("2026-12-09"); // last day 12-08
    let today = d("2026-12-01");
    let intro = Introductions {
        per_day: vec![2, 0, 0, 0, 0, 0, 0, 0],
        ..introductions(&p, 0, 0, today, 0)
    };
    let spreader = Spreader::new(add_days(today, 1), p.last_day(), []);
    let days = estimate(&p, today, [], &intro, spreader);
    let summary: Vec<(u32, u32)> = days.iter().map(|l| (l.reviews, l.new)).collect();
    // Grade 4: 12-01 new, 12-02 (1 day), then 6 days: 12-08. That is the last
    // day before the interview, so the next review (15 days) is not pulled in.
    assert_eq!(
        summary,
        [
            (0, 2),
            (2, 0),
            (0, 0),
            (0, 0),
            (0, 0),
            (0, 0),
            (0, 0),
            (2, 0)
        ]
    );
}

#[test]
fn the_estimate_pulls_reviews_in_until_the_last_day() {
    let p = plan("2026-12-05"); // last day 12-04
    let today = d("2026-12-01");
    let intro = introductions(&p, 0, 0, today, 0);
    let spreader = Spreader::new(add_days(today, 1), p.last_day(), []);
    let mature = Sm2 {
        reps: 5,
        ef: 2.5,
        interval: 60,
    };
    let days = estimate(
        &p,
        today,
        [(mature, today), (mature, today)],
        &intro,
        spreader,
    );
    let reviews: Vec<u32> = days.iter().map(|l| l.reviews).collect();
    // Both due today; answered, they go to 12-04 and 12-03 (fewest moved, latest
    // first); the one on 12-03 goes to 12-04 again.
    assert_eq!(reviews, [2, 0, 1, 2]);
}
