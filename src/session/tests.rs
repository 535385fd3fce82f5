//! Tests of the review session, driven through in-memory input and output.

use super::*;
use crate::deck::{self, Deck};
use crate::keys::LineKeys;
use crate::progress::Tally;
use std::collections::BTreeMap;

/// An in-memory journal: progress plus every entry recorded.
#[derive(Default)]
struct Memory {
    progress: Progress,
    entries: Vec<Entry>,
    fail_after: Option<usize>,
}

impl Journal for Memory {
    fn state(&self, card: &str) -> Option<CardState> {
        self.progress.card(card).copied()
    }
    fn record(&mut self, entry: &Entry) -> Result<()> {
        if self.fail_after == Some(self.entries.len()) {
            return Err(crate::error::Error::AnswerNotSaved {
                path: "reviews.jsonl".into(),
                source: std::io::Error::other("disk full"),
            });
        }
        self.entries.push(entry.clone());
        self.progress.apply(entry);
        Ok(())
    }
}

fn demo_deck(n: usize) -> catalog::Entry {
    let cards: Vec<String> = (1..=n)
        .map(|i| format!(r#"{{"id": "c{i}", "front": "Q{i}", "back": "A{i}", "tags": ["t"]}}"#))
        .collect();
    let text = format!(
        r#"{{"format_version": 1, "id": "demo", "title": "Demo", "description": "", "cards": [{}]}}"#,
        cards.join(",")
    );
    let deck: Deck = deck::parse(text.as_bytes(), "demo").unwrap().deck;
    catalog::Entry::loaded(deck, catalog::Origin::BuiltIn)
}

fn day() -> NaiveDate {
    "2026-11-22".parse().unwrap()
}

fn fixed_now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-22T10:00:00+00:00").unwrap()
}

fn timing(spreader: Option<&mut Spreader>) -> Timing<'_> {
    Timing {
        now: &fixed_now,
        study_day: &|_| day(),
        spreader,
    }
}

fn drive(deck: &catalog::Entry, journal: &mut Memory, script: &str) -> (Summary, String) {
    drive_with(deck, journal, script.as_bytes(), Options::default())
}

/// [`drive`] with raw input bytes and options.
fn drive_with(
    deck: &catalog::Entry,
    journal: &mut Memory,
    mut input: &[u8],
    options: Options,
) -> (Summary, String) {
    let queue = queue_of(deck, &journal.progress, 20, usize::MAX, &Dues::sm2());
    let mut out = Vec::new();
    let mut keys = LineKeys::new(&mut input, false);
    let summary = run(queue, journal, &mut keys, &mut out, timing(None), options).unwrap();
    (summary, String::from_utf8(out).unwrap())
}

fn answered(journal: &Memory) -> Vec<(String, u8, bool)> {
    journal
        .entries
        .iter()
        .map(|e| (e.card.clone(), e.grade.value(), e.redrill))
        .collect()
}

#[test]
fn empty_line_reveals_and_a_digit_grades() {
    let deck = demo_deck(2);
    let mut journal = Memory::default();
    let (summary, out) = drive(&deck, &mut journal, "\n5\n\n4\n");
    assert_eq!(
        answered(&journal),
        [("demo/c1".into(), 5, false), ("demo/c2".into(), 4, false)]
    );
    assert_eq!(summary.reviewed, 2);
    assert_eq!(summary.grades, [0, 0, 0, 0, 1, 1]);
    assert!(out.contains("[1/2] demo · new\nQ1"), "{out}");
    assert!(out.contains("A1"));
}

#[test]
fn a_grade_below_four_brings_the_card_back_until_graded_four() {
    let deck = demo_deck(1);
    let mut journal = Memory::default();
    let (summary, _) = drive(&deck, &mut journal, "\n2\n\n3\n\n4\n");
    assert_eq!(
        answered(&journal),
        [
            ("demo/c1".into(), 2, false),
            ("demo/c1".into(), 3, true),
            ("demo/c1".into(), 4, true)
        ]
    );
    assert_eq!((summary.reviewed, summary.redrills), (1, 2));
    // Re-drills never change the schedule set by the first answer.
    let state = journal.progress.card("demo/c1").unwrap();
    assert_eq!((state.reps, state.interval), (0, 1));
}

#[test]
fn redrill_comes_back_after_a_few_other_cards() {
    let deck = demo_deck(5);
    let mut journal = Memory::default();
    drive(&deck, &mut journal, "\n1\n\n5\n\n5\n\n5\n\n5\n\n5\n");
    let order: Vec<String> = journal.entries.iter().map(|e| e.card.clone()).collect();
    assert_eq!(
        order,
        ["demo/c1", "demo/c2", "demo/c3", "demo/c4", "demo/c1", "demo/c5"]
    );
}

#[test]
fn undo_takes_back_the_previous_answer_and_shows_that_card_again() {
    let deck = demo_deck(2);
    let mut journal = Memory::default();
    let (summary, out) = drive(&deck, &mut journal, "\n1\nu\n\n5\n\n5\n");
    let kinds: Vec<_> = journal
        .entries
        .iter()
        .map(|e| (e.kind, e.card.clone(), e.grade.value()))
        .collect();
    use crate::progress::Kind::*;
    assert_eq!(
        kinds,
        [
            (Answer, "demo/c1".into(), 1),
            (Undo, "demo/c1".into(), 1),
            (Answer, "demo/c1".into(), 5),
            (Answer, "demo/c2".into(), 5)
        ]
    );
    // The re-drill queued by the undone 1 is gone, and counts are as if it never happened.
    assert_eq!(
        (summary.reviewed, summary.redrills, summary.undone),
        (2, 0, 1)
    );
    assert_eq!(journal.progress.card("demo/c1").unwrap().reps, 1);
    assert!(out.contains("Undone"));
}

#[test]
fn undo_at_the_grade_prompt_also_works_and_with_nothing_done_says_so() {
    let deck = demo_deck(2);
    let mut journal = Memory::default();
    let (_, out) = drive(&deck, &mut journal, "u\n\n4\n\nu\n\n3\n");
    assert!(out.contains("Nothing to undo yet."));
    let cards: Vec<_> = journal
        .entries
        .iter()
        .map(|e| (e.kind, e.grade.value()))
        .collect();
    use crate::progress::Kind::*;
    assert_eq!(cards, [(Answer, 4), (Undo, 4), (Answer, 3)]);
}

#[test]
fn anything_else_at_the_grade_prompt_is_refused_with_a_hint() {
    let deck = demo_deck(1);
    let mut journal = Memory::default();
    let (_, out) = drive(&deck, &mut journal, "\n7\ngood\n?\n5\n");
    assert!(out.contains("\"7\" is not a grade"));
    assert!(out.contains("\"good\" is not a grade"));
    assert!(out.contains("5  right, complete and fluent"));
    assert_eq!(answered(&journal), [("demo/c1".into(), 5, false)]);
}

#[test]
fn hostile_text_at_the_grade_prompt_is_shown_escaped_once() {
    let deck = demo_deck(1);
    let mut journal = Memory::default();
    let (_, out) = drive(&deck, &mut journal, "\n\u{1b}]0;x\u{7}\n5\n");
    assert!(
        out.contains("\"\\u{1b}]0;x\\u{7}\" is not a grade"),
        "{out}"
    );
    assert!(!out.contains('\u{1b}') && !out.contains("\\\\"), "{out}");
}

#[test]
fn capital_q_and_u_work_like_q_and_u() {
    let deck = demo_deck(3);
    let mut journal = Memory::default();
    let (summary, out) = drive(&deck, &mut journal, "\n5\nU\n\n4\nQ\n");
    assert!(out.contains("Undone"), "{out}");
    assert_eq!(
        answered(&journal),
        [
            ("demo/c1".into(), 5, false),
            ("demo/c1".into(), 5, false),
            ("demo/c1".into(), 4, false)
        ]
    );
    assert!(summary.stopped_early && summary.left == 2, "{summary:?}");
}

#[test]
fn undecodable_bytes_are_refused_at_the_grade_prompt_and_asked_again() {
    let deck = demo_deck(1);
    let mut journal = Memory::default();
    let (_, out) = drive_with(&deck, &mut journal, b"\n\xff\xfe\n5\n", Options::default());
    assert!(out.contains("is not a grade"), "{out}");
    assert_eq!(answered(&journal), [("demo/c1".into(), 5, false)]);
    // Before the answer, they are whatever the person typed: the answer is shown.
    let mut journal = Memory::default();
    let (_, out) = drive_with(&deck, &mut journal, b"\xc3\n4\n", Options::default());
    assert!(out.contains("───\nA1"), "{out}");
    assert_eq!(answered(&journal), [("demo/c1".into(), 4, false)]);
}

#[test]
fn question_mark_shows_help_at_the_first_prompt_without_revealing() {
    let deck = demo_deck(1);
    let mut journal = Memory::default();
    let (_, out) = drive(&deck, &mut journal, "?\n\n5\n");
    let (before, after) = out.split_once("How well did you recall it?").unwrap();
    assert!(!before.contains("A1"), "{out}");
    // The help came first, then the same prompt again, then the answer.
    let help_end = after.find("(Enter shows the answer").unwrap();
    assert!(after.find("───\nA1").unwrap() > help_end, "{out}");
    assert_eq!(answered(&journal), [("demo/c1".into(), 5, false)]);
}

#[test]
fn a_grade_typed_before_the_answer_reveals_it_and_asks_for_the_grade() {
    let deck = demo_deck(1);
    let mut journal = Memory::default();
    let (_, out) = drive(&deck, &mut journal, "5\n3\n");
    assert!(out.contains("Grade after seeing the answer"), "{out}");
    assert!(out.contains("───\nA1"), "{out}");
    // The 5 typed blind was not taken; the 3 given after seeing the answer was.
    assert_eq!(answered(&journal)[0], ("demo/c1".into(), 3, false));
}

#[test]
fn positions_never_pass_the_cards_announced_however_many_re_drills() {
    let deck = demo_deck(3);
    let mut journal = Memory::default();
    let (_, out) = drive(&deck, &mut journal, "\n1\n\n2\n\n5\n\n1\n\n4\n\n5\n\n5\n");
    assert_eq!(
        shown(&out),
        [
            "[1/3] Q1",
            "[2/3] Q2",
            "[3/3] Q3",
            "[again] Q1",
            "[again] Q2",
            "[again] Q1"
        ]
    );
    assert!(out.contains("[again] demo · re-drill"), "{out}");
}

#[test]
fn on_a_terminal_card_text_is_wrapped_at_word_boundaries() {
    let mut text = demo_deck(1).deck().unwrap().clone();
    let long = "Customer service reps, salespeople and many other professionals meet such customers all the time";
    text.cards[0].front = long.into();
    text.cards[0].back = format!("- {long}");
    let deck = catalog::Entry::loaded(text, catalog::Origin::BuiltIn);
    let options = Options {
        width: Some(40),
        ..Options::default()
    };
    let (_, out) = drive_with(&deck, &mut Memory::default(), b"\n9\n5\n", options);
    assert!(
        out.contains("Customer service reps, salespeople and\nmany other"),
        "{out}"
    );
    assert!(
        out.contains("- Customer service reps, salespeople and\n  many other"),
        "{out}"
    );
    // Prompts are short enough not to need it; everything else fits.
    for line in out.lines().filter(|l| !l.contains("> ")) {
        assert!(crate::render::text::columns(line) <= 40, "{line:?}");
    }
    // Piped (no width), the text is printed as the deck has it.
    let (_, out) = drive_with(&deck, &mut Memory::default(), b"\n5\n", Options::default());
    assert!(out.contains(long), "{out}");
}

#[test]
fn prompts_leave_room_on_an_80_column_line_for_what_is_typed() {
    let line_keys = LineKeys::new(&b""[..], false);
    let how = [line_keys.how(), crate::keys::TermKeys::new().how()];
    let texts: Vec<String> = how.iter().map(|how| help(how)).collect();
    for line in texts.iter().flat_map(|text| text.lines()) {
        assert!(crate::render::text::columns(line) <= 80, "{line:?}");
    }
}

#[test]
fn end_of_input_or_q_ends_the_session_keeping_what_was_answered() {
    let deck = demo_deck(3);
    let mut journal = Memory::default();
    let (summary, _) = drive(&deck, &mut journal, "\n4\n\n");
    assert_eq!(journal.entries.len(), 1);
    assert!(summary.stopped_early);
    assert_eq!(summary.left, 2);

    let mut journal = Memory::default();
    let (summary, _) = drive(&deck, &mut journal, "q\n");
    assert!(journal.entries.is_empty() && summary.stopped_early);
}

/// Deck `id` with cards `c1..=cN`, those `core` picks tagged core.
fn tagged_deck(id: &str, n: usize, core: impl Fn(usize) -> bool) -> catalog::Entry {
    let cards: Vec<String> = (1..=n)
        .map(|i| {
            let tags = if core(i) {
                r#"["t", "core"]"#
            } else {
                r#"["t"]"#
            };
            format!(r#"{{"id": "c{i}", "front": "Q{i}", "back": "A{i}", "tags": {tags}}}"#)
        })
        .collect();
    let text = format!(
        r#"{{"format_version": 1, "id": "{id}", "title": "T", "description": "", "cards": [{}]}}"#,
        cards.join(",")
    );
    let deck: Deck = deck::parse(text.as_bytes(), id).unwrap().deck;
    catalog::Entry::loaded(deck, catalog::Origin::BuiltIn)
}

#[test]
fn core_first_brings_the_planned_decks_core_cards_ahead_across_decks() {
    let first = tagged_deck("first", 4, |i| i >= 3);
    let second = tagged_deck("second", 3, |i| i == 2);
    let other = tagged_deck("other", 2, |i| i == 2);
    let decks = [&first, &second, &other];
    let progress = Progress::default();
    let plan = crate::plan::Plan {
        format_version: crate::plan::PLAN_VERSION,
        interview: day() + chrono::Days::new(5),
        decks: vec!["first".into(), "second".into()],
        max_new_per_day: 60,
    };
    let dues =
        crate::plan::resolve(&plan, &[&first.outline, &second.outline], &progress, day()).dues;
    let keys = |core_first| -> Vec<String> {
        let allowance = NewAllowance {
            planned: 4,
            other: 1,
            total: usize::MAX,
            core_first,
        };
        build_queue(&decks, &progress, day(), allowance, usize::MAX, &dues, None)
            .into_iter()
            .map(|item| item.key())
            .collect()
    };
    // Planned decks: core first, across decks, within the allowance of 4. The
    // unplanned deck keeps its own order.
    assert_eq!(
        keys(true),
        ["first/c3", "first/c4", "second/c2", "first/c1", "other/c1"]
    );
    assert_eq!(
        keys(false),
        ["first/c1", "first/c2", "first/c3", "first/c4", "other/c1"]
    );
}

/// A journal where every card of `deck` was learned long ago and is due today with
/// a 60-day interval, so SM-2 schedules its next review far after a near interview.
fn mature_journal(deck: &catalog::Entry) -> Memory {
    let mut journal = Memory::default();
    let at = DateTime::parse_from_rfc3339("2026-09-23T10:00:00+00:00").unwrap();
    for card in &deck.deck().unwrap().cards {
        let mut entry = answer_entry(
            &format!("demo/{}", card.id),
            None,
            Grade::new(5).unwrap(),
            false,
            at,
            "2026-09-23".parse().unwrap(),
        );
        if let Some(after) = &mut entry.after {
            (after.reps, after.interval, after.due) = (5, 60, day());
        }
        journal.record(&entry).unwrap();
    }
    journal.entries.clear();
    journal
}

/// The queue of `deck` on [`day`], `new` new cards allowed and at most `limit`.
fn queue_of<'a>(
    deck: &'a catalog::Entry,
    progress: &Progress,
    new: usize,
    limit: usize,
    dues: &Dues,
) -> Vec<Item<'a>> {
    build_queue(
        &[deck],
        progress,
        day(),
        NewAllowance::all(new),
        limit,
        dues,
        None,
    )
}

fn plan_until(interview: &str) -> crate::plan::Plan {
    crate::plan::Plan {
        format_version: crate::plan::PLAN_VERSION,
        interview: interview.parse().unwrap(),
        decks: Vec::new(),
        max_new_per_day: 60,
    }
}

fn loads(spreader: &Spreader, days: &[&str]) -> Vec<u32> {
    days.iter()
        .map(|d| spreader.load(d.parse().unwrap()))
        .collect()
}

#[test]
fn undo_in_a_deck_outside_the_plan_leaves_the_spread_alone() {
    let deck = demo_deck(3);
    let mut journal = mature_journal(&deck);
    // A plan is active (for other decks): its spreader holds moved reviews.
    let mut spreader = Spreader::new(
        day() + chrono::Days::new(1),
        "2026-11-25".parse().unwrap(),
        [3, 3, 3],
    );
    let queue = queue_of(&deck, &journal.progress, 0, usize::MAX, &Dues::sm2());
    assert!(queue.iter().all(|i| !i.planned));
    run(
        queue,
        &mut journal,
        &mut LineKeys::new("\n5\nu\nu\n\n5\n\n5\nu\n\n5\n\n5\n".as_bytes(), false),
        &mut Vec::new(),
        timing(Some(&mut spreader)),
        Options::default(),
    )
    .unwrap();
    assert_eq!(
        loads(&spreader, &["2026-11-23", "2026-11-24", "2026-11-25"]),
        [3, 3, 3]
    );
    assert!(journal
        .entries
        .iter()
        .all(|e| e.after.is_none_or(|a| a.sm2_due.is_none())));
}

#[test]
fn undo_of_a_planned_answer_takes_back_exactly_its_placement() {
    let deck = demo_deck(3);
    let mut journal = mature_journal(&deck);
    let plan = plan_until("2026-11-26"); // the window after today: 11-23..=11-25
    let planned = crate::plan::resolve(&plan, &[&deck.outline], &journal.progress, day());
    let mut spreader = planned.spreader;
    let before = loads(&spreader, &["2026-11-23", "2026-11-24", "2026-11-25"]);
    let queue = queue_of(&deck, &journal.progress, 0, usize::MAX, &planned.dues);
    assert_eq!(queue.len(), 3);
    // c1 answered and undone twice, then all three answered.
    run(
        queue,
        &mut journal,
        &mut LineKeys::new("\n5\nu\n\n5\nu\n\n5\n\n5\n\n5\n".as_bytes(), false),
        &mut Vec::new(),
        timing(Some(&mut spreader)),
        Options::default(),
    )
    .unwrap();
    let after = loads(&spreader, &["2026-11-23", "2026-11-24", "2026-11-25"]);
    // Three reviews moved in all, one to each day: the spread is level again.
    assert_eq!(after.iter().sum::<u32>(), before.iter().sum::<u32>() + 3);
    assert!(
        after.iter().max().unwrap() - after.iter().min().unwrap() <= 1,
        "{after:?}"
    );
    let moved: Vec<_> = journal
        .entries
        .iter()
        .filter_map(|e| e.after.filter(|_| e.kind == crate::progress::Kind::Answer))
        .collect();
    assert_eq!(moved.len(), 5);
    assert!(moved
        .iter()
        .all(|a| a.sm2_due.is_some() && a.due <= plan.last_day()));
}

#[test]
fn a_failed_write_stops_the_session_with_the_error() {
    let deck = demo_deck(3);
    let mut journal = Memory {
        fail_after: Some(1),
        ..Memory::default()
    };
    let queue = queue_of(&deck, &journal.progress, 20, usize::MAX, &Dues::sm2());
    let result = run(
        queue,
        &mut journal,
        &mut LineKeys::new("\n4\n\n4\n\n4\n".as_bytes(), false),
        &mut Vec::new(),
        timing(None),
        Options::default(),
    );
    assert!(result.is_err());
    assert_eq!(journal.entries.len(), 1);
}

#[test]
fn queue_puts_due_cards_oldest_first_then_new_within_limits() {
    let deck = demo_deck(5);
    let mut journal = Memory::default();
    let at = DateTime::parse_from_rfc3339("2026-11-01T10:00:00+00:00").unwrap();
    // c4 due 2026-11-11 (interval 1 from the 10th), c2 due 2026-11-02.
    journal
        .record(&answer_entry(
            "demo/c4",
            None,
            Grade::new(4).unwrap(),
            false,
            at,
            "2026-11-10".parse().unwrap(),
        ))
        .unwrap();
    journal
        .record(&answer_entry(
            "demo/c2",
            None,
            Grade::new(4).unwrap(),
            false,
            at,
            "2026-11-01".parse().unwrap(),
        ))
        .unwrap();
    let queue = queue_of(&deck, &journal.progress, 2, usize::MAX, &Dues::sm2());
    let keys: Vec<String> = queue.iter().map(|i| i.key()).collect();
    assert_eq!(keys, ["demo/c2", "demo/c4", "demo/c1", "demo/c3"]);
    let limited = queue_of(&deck, &journal.progress, 2, 3, &Dues::sm2());
    assert_eq!(limited.len(), 3);
    let no_new = queue_of(&deck, &journal.progress, 0, usize::MAX, &Dues::sm2());
    assert_eq!(no_new.len(), 2);
}

/// The cards shown, in order, as "[position/total] front".
fn shown(out: &str) -> Vec<String> {
    let lines: Vec<&str> = out.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with('['))
        .map(|(i, l)| {
            let header = l.split(' ').next().unwrap_or_default();
            format!("{header} {}", lines.get(i + 1).copied().unwrap_or_default())
        })
        .collect()
}

#[test]
fn undo_restores_the_queue_exactly_even_after_redrills_and_repeated_undos() {
    let deck = demo_deck(6);
    let mut journal = Memory::default();
    // c1 fails (re-drill queued), c2 fails, c3 passes, then three undos in a row
    // (the third at the grade prompt), answers again, a failed re-drill, an undo of it.
    let script =
        "\n1\n\n2\n\n5\nu\nu\n\nu\n\n5\n\n3\n\n5\n\n4\n\n1\nu\n\n4\n\n5\n\n5\n\n5\n\n5\n\n5\n";
    let (summary, out) = drive(&deck, &mut journal, script);
    // The order was recorded from the implementation that cloned the whole queue for
    // every answer; re-drills show as "again" and take no position of their own.
    assert_eq!(
        shown(&out),
        [
            "[1/6] Q1",
            "[2/6] Q2",
            "[3/6] Q3",
            "[4/6] Q4",
            "[3/6] Q3",
            "[2/6] Q2",
            "[1/6] Q1",
            "[2/6] Q2",
            "[3/6] Q3",
            "[4/6] Q4",
            "[5/6] Q5",
            "[again] Q2",
            "[5/6] Q5",
            "[again] Q2",
            "[6/6] Q6"
        ]
    );
    let entries: Vec<(&str, u8, bool)> = journal
        .entries
        .iter()
        .map(|e| (e.card.as_str(), e.grade.value(), e.redrill))
        .collect();
    assert_eq!(
        entries,
        [
            ("demo/c1", 1, false),
            ("demo/c2", 2, false),
            ("demo/c3", 5, false),
            ("demo/c3", 5, false),
            ("demo/c2", 2, false),
            ("demo/c1", 1, false),
            ("demo/c1", 5, false),
            ("demo/c2", 3, false),
            ("demo/c3", 5, false),
            ("demo/c4", 4, false),
            ("demo/c5", 1, false),
            ("demo/c5", 1, false),
            ("demo/c5", 4, false),
            ("demo/c2", 5, true),
            ("demo/c6", 5, false)
        ]
    );
    assert_eq!(
        (
            summary.reviewed,
            summary.redrills,
            summary.undone,
            summary.left
        ),
        (6, 1, 4, 0)
    );
    assert_eq!(summary.grades, [0, 0, 0, 1, 2, 3]);
}

/// What the person did, as the queue model sees it.
#[derive(Debug, Clone, Copy)]
enum Did {
    /// Card number `card` graded `grade`; `redrill` when it was a same-session repeat.
    Answer {
        card: usize,
        grade: u8,
        redrill: bool,
    },
    /// The latest answer still in effect taken back.
    Undo,
}

/// The queue rules with a full copy of the queue kept for every answer: the obvious
/// model that `run` must agree with. Gives the cards shown, as "[position/total] front".
fn model(cards: usize, actions: &[Option<u8>]) -> Vec<String> {
    let order: Vec<usize> = (1..=cards).collect();
    model_steps(&order, actions).0
}

/// [`model`] for a queue of the card numbers `order`, with the answers and undos the
/// actions amount to.
fn model_steps(order: &[usize], actions: &[Option<u8>]) -> (Vec<String>, Vec<Did>) {
    /// A card number and whether it is a re-drill.
    type Shown = (usize, bool);
    let mut pending: VecDeque<Shown> = order.iter().map(|&c| (c, false)).collect();
    let mut done: Vec<(Shown, VecDeque<Shown>)> = Vec::new();
    let mut shown = Vec::new();
    let mut steps = Vec::new();
    let mut actions = actions.iter();
    while let Some(item) = pending.pop_front() {
        let firsts_done = done.iter().filter(|((_, redrill), _)| !redrill).count();
        shown.push(if item.1 {
            format!("[again] Q{}", item.0)
        } else {
            format!("[{}/{}] Q{}", firsts_done + 1, order.len(), item.0)
        });
        match actions.next() {
            None => break,
            Some(None) => {
                pending.push_front(item);
                if let Some((last, before)) = done.pop() {
                    pending = before;
                    pending.push_front(last);
                    steps.push(Did::Undo);
                }
            }
            Some(Some(grade)) => {
                let before = pending.clone();
                if *grade < 4 {
                    pending.insert(REDRILL_GAP.min(pending.len()), (item.0, true));
                }
                steps.push(Did::Answer {
                    card: item.0,
                    grade: *grade,
                    redrill: item.1,
                });
                done.push((item, before));
            }
        }
    }
    (shown, steps)
}

/// Card states and the day's tally that `steps` should leave on cards in the states
/// `cards`, worked out from the
/// rules in the README with nothing of `Progress` or `Schedule`: SM-2 from the pure
/// scheduler, lapses counted only once a card was learned, due on the study day plus
/// the interval, re-drills changing nothing, and an undo putting back exactly what
/// its answer changed.
fn expected(
    mut cards: BTreeMap<String, CardState>,
    steps: &[Did],
) -> (BTreeMap<String, CardState>, Option<Tally>) {
    use crate::sm2::Sm2;
    let mut tally: Option<Tally> = None;
    // Each answer still in effect: its card, that card's state before, its tally.
    let mut undoable: Vec<(String, Option<CardState>, Tally)> = Vec::new();
    for step in steps {
        let day_tally = tally.get_or_insert_with(Tally::default);
        match *step {
            Did::Answer {
                card,
                grade,
                redrill,
            } => {
                let key = format!("demo/c{card}");
                let before = cards.get(&key).copied();
                let mut added = Tally::default();
                if redrill {
                    added.redrills = 1;
                    // The re-drill is the card's latest answer (for readiness).
                    if let Some(state) = cards.get_mut(&key) {
                        state.drill_grade = Grade::new(grade);
                    }
                } else {
                    added.reviews = 1;
                    added.grades[usize::from(grade)] = 1;
                    match before {
                        None => added.introduced = 1,
                        Some(_) => {
                            added.recall_total = 1;
                            added.recall_pass = u32::from(grade >= 3);
                        }
                    }
                    let old = before.map_or(Sm2::default(), |b| Sm2 {
                        reps: b.reps,
                        ef: b.ef,
                        interval: b.interval,
                    });
                    let new = old.answer(Grade::new(grade).unwrap());
                    let lapses =
                        before.map_or(0, |b| b.lapses) + u32::from(grade < 3 && old.reps > 0);
                    cards.insert(
                        key.clone(),
                        CardState {
                            reps: new.reps,
                            ef: new.ef,
                            interval: new.interval,
                            lapses,
                            due: day() + chrono::Days::new(u64::from(new.interval)),
                            sm2_due: None,
                            last_review: fixed_now(),
                            last_grade: Grade::new(grade),
                            drill_grade: None,
                        },
                    );
                }
                *day_tally = add_tallies(*day_tally, added, 1);
                undoable.push((key, before, added));
            }
            Did::Undo => {
                let (key, before, added) = undoable.pop().expect("the model undoes answers only");
                match before {
                    Some(state) => cards.insert(key, state),
                    None => cards.remove(&key),
                };
                *day_tally = add_tallies(*day_tally, added, -1);
            }
        }
    }
    (cards, tally)
}

/// `a` plus (`sign` 1) or minus (`sign` -1) `b`, field by field.
fn add_tallies(a: Tally, b: Tally, sign: i64) -> Tally {
    let f = |x: u32, y: u32| u32::try_from(i64::from(x) + sign * i64::from(y)).unwrap();
    let mut grades = [0; 6];
    for (g, out) in grades.iter_mut().enumerate() {
        *out = f(a.grades[g], b.grades[g]);
    }
    Tally {
        reviews: f(a.reviews, b.reviews),
        redrills: f(a.redrills, b.redrills),
        grades,
        introduced: f(a.introduced, b.introduced),
        recall_total: f(a.recall_total, b.recall_total),
        recall_pass: f(a.recall_pass, b.recall_pass),
        cram: f(a.cram, b.cram),
    }
}

proptest::proptest! {
    #[test]
    fn undo_and_redrills_follow_the_model(
        cards in 1usize..6,
        actions in proptest::collection::vec(proptest::option::weighted(0.7, 0u8..=5), 0..40),
    ) {
        let deck = demo_deck(cards);
        let mut journal = Memory::default();
        let script: String = actions
            .iter()
            .map(|a| match a {
                Some(grade) => format!("\n{grade}\n"),
                None => "u\n".to_owned(),
            })
            .collect();
        let (_, out) = drive(&deck, &mut journal, &script);
        proptest::prop_assert_eq!(shown(&out), model(cards, &actions));
    }
}

#[test]
fn a_session_across_four_o_clock_counts_later_answers_for_the_new_day() {
    use std::cell::Cell;
    let deck = demo_deck(2);
    let mut journal = Memory::default();
    let queue = queue_of(&deck, &journal.progress, 20, usize::MAX, &Dues::sm2());
    // Each call to the clock moves it on by 20 minutes: answers at 03:40 and 04:00.
    let calls = Cell::new(0i64);
    let now = || {
        calls.set(calls.get() + 1);
        DateTime::parse_from_rfc3339("2026-11-23T03:20:00+00:00").unwrap()
            + chrono::TimeDelta::minutes(20 * calls.get())
    };
    let utc = chrono::FixedOffset::east_opt(0).unwrap();
    let study_day = |at| crate::clock::study_day_in(at, &utc);
    let timing = Timing {
        now: &now,
        study_day: &study_day,
        spreader: None,
    };
    run(
        queue,
        &mut journal,
        &mut LineKeys::new("\n5\n\n5\n".as_bytes(), false),
        &mut Vec::new(),
        timing,
        Options::default(),
    )
    .unwrap();
    let days: Vec<String> = journal.entries.iter().map(|e| e.day.to_string()).collect();
    // 03:40 belongs to the 22nd; 04:00 starts the 23rd.
    assert_eq!(days, ["2026-11-22", "2026-11-23"]);
    let dues: Vec<String> = journal
        .entries
        .iter()
        .map(|e| e.after.unwrap().due.to_string())
        .collect();
    assert_eq!(dues, ["2026-11-23", "2026-11-24"]);
}

use proptest::strategy::Strategy as _;

proptest::proptest! {
    #[test]
    fn the_queue_built_deck_by_deck_is_the_one_pass_queue(
        spec in crate::stats::test_collection::spec(),
        new_planned in 0usize..8,
        new_other in 0usize..8,
        new_total in 0usize..16,
        limit in 0usize..40,
        plan_days in proptest::option::of(1u64..20),
    ) {
        let today = day();
        let (entries, progress) = crate::stats::test_collection::build(&spec, today);
        let decks: Vec<&catalog::Entry> = entries.iter().collect();
        // With a plan, the even-numbered decks are planned.
        let dues = match plan_days {
            Some(days) => {
                let plan = crate::plan::Plan {
                    format_version: crate::plan::PLAN_VERSION,
                    interview: today + chrono::Days::new(days),
                    decks: Vec::new(),
                    max_new_per_day: 60,
                };
                let planned: Vec<&crate::deck::Outline> =
                    decks.iter().step_by(2).map(|e| &e.outline).collect();
                crate::plan::resolve(&plan, &planned, &progress, today).dues
            }
            None => Dues::sm2(),
        };
        let allowance = NewAllowance {
            planned: new_planned,
            other: new_other,
            total: new_total,
            core_first: false,
        };
        // The queue as one sequential pass built it.
        let mut due = Vec::new();
        let (mut planned_new, mut other_new) = (Vec::new(), Vec::new());
        for entry in &decks {
            let deck_dues = dues.deck(entry.id().as_str());
            for (index, card) in entry.deck().unwrap().cards.iter().enumerate() {
                let key = format!("{}/{}", entry.id(), card.id);
                let (pool, allowed) = if deck_dues.is_planned() {
                    (&mut planned_new, new_planned)
                } else {
                    (&mut other_new, new_other)
                };
                match progress.card(&key) {
                    Some(s) if deck_dues.due(index, s) <= today => {
                        due.push((deck_dues.due(index, s), due.len(), key));
                    }
                    Some(_) => {}
                    None if pool.len() < allowed => pool.push(key),
                    None => {}
                }
            }
        }
        due.sort();
        let want: Vec<(String, bool)> = due
            .into_iter()
            .map(|(_, _, key)| (key, false))
            .chain(
                planned_new
                    .into_iter()
                    .chain(other_new)
                    .take(new_total)
                    .map(|key| (key, true)),
            )
            .take(limit)
            .collect();
        let got: Vec<(String, bool)> =
            build_queue(&decks, &progress, today, allowance, limit, &dues, None)
                .into_iter()
                .map(|item| {
                    assert_eq!(item.key(), format!("{}/{}", item.deck, item.card().unwrap().id));
                    (item.key(), item.new)
                })
                .collect();
        proptest::prop_assert_eq!(got, want);
    }

    #[test]
    fn the_live_session_and_the_replayed_log_give_the_states_an_independent_fold_gives(
        seeds in proptest::collection::vec(proptest::option::of(0u8..=5), 4),
        actions in proptest::collection::vec(proptest::prop_oneof![
            3 => (0u8..=5).prop_map(Some),
            2 => proptest::strategy::Just(None),
        ], 0..40),
        undo_after_reveal in proptest::collection::vec(proptest::bool::ANY, 40),
    ) {
        use crate::sm2::Sm2;
        let deck = demo_deck(4);
        let mut journal = Memory::default();
        // Cards answered the day before are due today, first in the queue: their
        // answers today start from a state, and an undo must restore it.
        let yesterday: NaiveDate = "2026-11-21".parse().unwrap();
        let then = DateTime::parse_from_rfc3339("2026-11-21T10:00:00+00:00").unwrap();
        let mut before = BTreeMap::new();
        for (card, seed) in (1..=4).zip(&seeds) {
            let Some(grade) = *seed else { continue };
            let key = format!("demo/c{card}");
            let entry = answer_entry(&key, None, Grade::new(grade).unwrap(), false, then, yesterday);
            journal.record(&entry).unwrap();
            let sm2 = Sm2::default().answer(Grade::new(grade).unwrap());
            before.insert(key, CardState {
                reps: sm2.reps,
                ef: sm2.ef,
                interval: sm2.interval,
                lapses: 0,
                due: day(),
                sm2_due: None,
                last_review: then,
                last_grade: Grade::new(grade),
                drill_grade: None,
            });
        }
        let order: Vec<usize> = (1..=4)
            .filter(|&c| seeds[c - 1].is_some())
            .chain((1..=4).filter(|&c| seeds[c - 1].is_none()))
            .collect();
        // An undo is typed at the question prompt or, after revealing, at the grade
        // prompt: both take back the same answer.
        let script: String = actions
            .iter()
            .zip(&undo_after_reveal)
            .map(|(action, &revealed)| match action {
                Some(grade) => format!("\n{grade}\n"),
                None if revealed => "\nu\n".to_owned(),
                None => "u\n".to_owned(),
            })
            .collect();
        let (_, out) = drive(&deck, &mut journal, &script);
        let (shown_model, steps) = model_steps(&order, &actions);
        // The same cards were answered in the same order, so `steps` is what was done.
        proptest::prop_assert_eq!(shown(&out), shown_model);
        let (want_cards, want_tally) = expected(before, &steps);

        // The live session's progress.
        let card_states = |progress: &Progress| -> BTreeMap<String, CardState> {
            (1..=4)
                .filter_map(|c| {
                    let key = format!("demo/c{c}");
                    progress.card(&key).map(|s| (key, *s))
                })
                .collect()
        };
        let day_tally = |progress: &Progress| {
            progress.days.get("demo").and_then(|days| days.get(&day()).copied())
        };
        proptest::prop_assert_eq!(&card_states(&journal.progress), &want_cards);
        proptest::prop_assert_eq!(day_tally(&journal.progress), want_tally);

        // The log, through its JSON lines as the store writes and reads them.
        let mut replayed = Progress::default();
        for entry in &journal.entries {
            let line = serde_json::to_string(entry).unwrap();
            let back: Entry = serde_json::from_str(&line).unwrap();
            proptest::prop_assert!(back.defect().is_none());
            replayed.apply(&back);
        }
        proptest::prop_assert_eq!(&card_states(&replayed), &want_cards);
        proptest::prop_assert_eq!(day_tally(&replayed), want_tally);
        proptest::prop_assert_eq!(replayed.cards.len(), want_cards.len());
    }
}

#[test]
fn card_text_is_printed_with_escapes_neutralised() {
    let mut text = demo_deck(1).deck().unwrap().clone();
    text.cards[0].front = "Q\u{1b}]52;c;aGk=\u{7}".into();
    let deck = catalog::Entry::loaded(text, catalog::Origin::BuiltIn);
    let mut journal = Memory::default();
    let (_, out) = drive(&deck, &mut journal, "q\n");
    assert!(!out.contains('\u{1b}'));
    assert!(out.contains("Q\\u{1b}]52;c;aGk=\\u{7}"));
}
