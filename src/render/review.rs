//! Text around a review session: its opening line and its summary.

use super::{plural, Style};
use crate::plan::Readiness;
use crate::session::Summary;
use crate::stats::{DueDay, Outlook};
use chrono::NaiveDate;

/// "today", "tomorrow", "in 3 days (2026-11-25)".
pub fn when(date: NaiveDate, today: NaiveDate) -> String {
    match (date - today).num_days() {
        ..=0 => "today".to_owned(),
        1 => format!("tomorrow ({date})"),
        n => format!("in {n} days ({date})"),
    }
}

/// What is left after a session, or when a review has nothing to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Left {
    /// Due and new cards and the next due day, over the decks reviewed.
    pub outlook: Outlook,
    /// New cards today's new-card allowance still lets in (at most `outlook.unseen`).
    pub new_today: u32,
}

impl Left {
    /// "3 cards due and 17 new", "3 cards due", "17 new cards"; `None` when today is done.
    fn today(&self) -> Option<String> {
        let due = self.outlook.due_today;
        let new = self.new_today;
        match (due, new) {
            (0, 0) => None,
            (due, 0) => Some(format!("{} due", plural(due, "card"))),
            (0, new) => Some(plural(new, "new card")),
            (due, new) => Some(format!("{} due and {new} new", plural(due, "card"))),
        }
    }

    /// New cards not yet seen that today's allowance leaves for later days.
    fn waiting(&self) -> u32 {
        self.outlook.unseen.saturating_sub(self.new_today)
    }
}

/// "2 cards due tomorrow (2026-11-23)."; `None` when no card is due after today.
fn next_due(next: Option<DueDay>, today: NaiveDate) -> Option<String> {
    next.map(|next| {
        format!(
            "{} due {}.",
            plural(next.cards, "card"),
            when(next.date, today)
        )
    })
}

/// Shown when a session has nothing to do; `limit_zero` when `--limit 0` is why.
pub fn nothing_due(left: &Left, today: NaiveDate, limit_zero: bool, style: Style) -> String {
    let mut text = style.good(if limit_zero {
        "Nothing to review: --limit 0 allows no cards."
    } else {
        "Nothing to review right now."
    });
    if let Some(next) = next_due(left.outlook.next, today) {
        // After the longer --limit 0 sentence, on a line of its own to stay in 80 columns.
        text.push(if limit_zero { '\n' } else { ' ' });
        text.push_str("Next: ");
        text.push_str(&next);
    }
    text.push('\n');
    // Cards left today only when --limit 0 held them back: otherwise they would be in
    // the session.
    if let Some(today) = left.today() {
        text.push_str(&format!("Left for today: {today}"));
        if left.waiting() > 0 {
            text.push_str(&format!(" (of {} not yet seen)", left.outlook.unseen));
        }
        text.push_str(".\n");
    } else if left.waiting() > 0 {
        let waiting = left.waiting();
        text.push_str(&style.dim(&format!(
            "{} {} waiting; today's new-card limit is reached.\n`prepdeck review --new N` allows more today.\n",
            plural(waiting, "new card"),
            if waiting == 1 { "is" } else { "are" }
        )));
    } else if left.outlook.next.is_none() {
        text.push_str("The decks chosen have no cards.\n");
    }
    text
}

/// The end-of-session summary; `readiness` is (before, after) when an interview plan is set.
pub fn summary(
    s: &Summary,
    left: &Left,
    today: NaiveDate,
    readiness: Option<(Readiness, Readiness)>,
    style: Style,
) -> String {
    let mut text = format!("\n{}\n", style.bold("Session summary"));
    text.push_str(&format!("  Reviewed:  {}\n", plural(s.reviewed, "card")));
    if s.reviewed > 0 {
        let grades: Vec<String> = s
            .grades
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, &n)| n > 0)
            .map(|(grade, n)| format!("{grade}: {n}"))
            .collect();
        text.push_str(&format!("  Grades:    {}\n", grades.join(" · ")));
        let good = s.grades[4] + s.grades[5];
        text.push_str(&format!(
            "  Good:      {:.0}% answered 4 or 5\n",
            f64::from(good) * 100.0 / f64::from(s.reviewed)
        ));
    }
    text.push_str(&format!("  Re-drills: {}\n", s.redrills));
    if s.undone > 0 {
        text.push_str(&format!("  Undone:    {}\n", s.undone));
    }
    text.push_str(&format!("  Time:      {}\n", duration(s.seconds)));
    if let Some((before, after)) = readiness {
        text.push_str(&format!(
            "  Readiness: {:.0}% → {:.0}% ({} of {} ready)\n",
            before.share * 100.0,
            after.share * 100.0,
            after.ready,
            plural(after.cards, "planned card")
        ));
    }
    // What is left is counted over the decks, not the session: a session cut short by
    // --limit or by q, or one that outlasted today's allowance, says so truthfully.
    match left.today() {
        Some(today) => text.push_str(&format!(
            "  Today:     still {today}; `prepdeck review` carries on.\n"
        )),
        None if left.waiting() > 0 => text.push_str(&format!(
            "  Today:     done; {} wait (today's new-card limit is reached).\n",
            plural(left.waiting(), "new card")
        )),
        None => text.push_str("  Today:     done.\n"),
    }
    let next = next_due(left.outlook.next, today);
    let next = next.as_deref().unwrap_or("no card is due after today yet.");
    text.push_str(&format!("  Next:      {next}\n"));
    text
}

/// "45s", "3m 05s", "1h 02m".
pub fn duration(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        ..=59 => format!("{s}s"),
        60..=3599 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_says_today_tomorrow_or_in_n_days() {
        let today: NaiveDate = "2026-11-22".parse().unwrap();
        assert_eq!(when(today, today), "today");
        assert_eq!(
            when("2026-11-23".parse().unwrap(), today),
            "tomorrow (2026-11-23)"
        );
        assert_eq!(
            when("2026-11-25".parse().unwrap(), today),
            "in 3 days (2026-11-25)"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(45), "45s");
        assert_eq!(duration(185), "3m 05s");
        assert_eq!(duration(3720), "1h 02m");
    }

    fn left(due_today: u32, unseen: u32, new_today: u32, next: Option<(&str, u32)>) -> Left {
        Left {
            outlook: Outlook {
                due_today,
                unseen,
                next: next.map(|(date, cards)| DueDay {
                    date: date.parse().unwrap(),
                    cards,
                }),
            },
            new_today,
        }
    }

    fn day() -> NaiveDate {
        "2026-11-22".parse().unwrap()
    }

    #[test]
    fn summary_lists_grades_highest_first_and_what_is_left() {
        let s = Summary {
            reviewed: 3,
            redrills: 1,
            grades: [0, 0, 1, 0, 0, 2],
            stopped_early: true,
            left: 4,
            seconds: 61,
            ..Summary::default()
        };
        let left = left(2, 30, 2, Some(("2026-11-23", 3)));
        let text = summary(&s, &left, day(), None, Style::default());
        assert!(text.contains("Reviewed:  3 cards"), "{text}");
        assert!(text.contains("Grades:    5: 2 · 2: 1"), "{text}");
        assert!(text.contains("Re-drills: 1"), "{text}");
        assert!(text.contains("Time:      1m 01s"), "{text}");
        assert!(text.contains("Good:      67% answered 4 or 5"), "{text}");
        assert!(
            text.contains("Today:     still 2 cards due and 2 new; `prepdeck review` carries on."),
            "{text}"
        );
        assert!(
            text.contains("Next:      3 cards due tomorrow (2026-11-23)."),
            "{text}"
        );
    }

    #[test]
    fn cards_still_due_today_are_never_reported_as_nothing_scheduled() {
        // Quit with due cards left and nothing answered before: the old summary said
        // "No cards are scheduled yet".
        let text = summary(
            &Summary::default(),
            &left(5, 0, 0, None),
            day(),
            None,
            Style::default(),
        );
        assert!(text.contains("Today:     still 5 cards due;"), "{text}");
        assert!(!text.contains("scheduled yet"), "{text}");
    }

    #[test]
    fn a_finished_day_says_what_waits_for_later_days() {
        let text = summary(
            &Summary::default(),
            &left(0, 176, 0, Some(("2026-11-25", 1))),
            day(),
            None,
            Style::default(),
        );
        assert!(
            text.contains(
                "Today:     done; 176 new cards wait (today's new-card limit is reached)."
            ),
            "{text}"
        );
        assert!(
            text.contains("Next:      1 card due in 3 days (2026-11-25)."),
            "{text}"
        );
        let text = summary(
            &Summary::default(),
            &left(0, 0, 0, None),
            day(),
            None,
            Style::default(),
        );
        assert!(text.contains("Today:     done.\n"), "{text}");
        assert!(text.contains("no card is due after today"), "{text}");
    }

    #[test]
    fn nothing_to_do_with_limit_zero_counts_the_new_cards_waiting() {
        let text = nothing_due(&left(0, 196, 20, None), day(), true, Style::default());
        assert_eq!(
            text,
            "Nothing to review: --limit 0 allows no cards.\nLeft for today: 20 new cards (of 196 not yet seen).\n"
        );
    }

    #[test]
    fn nothing_to_do_says_when_next_and_whether_the_new_card_limit_holds_cards_back() {
        let text = nothing_due(
            &left(0, 0, 0, Some(("2026-11-23", 2))),
            day(),
            false,
            Style::default(),
        );
        assert_eq!(
            text,
            "Nothing to review right now. Next: 2 cards due tomorrow (2026-11-23).\n"
        );
        let text = nothing_due(&left(0, 4, 0, None), day(), false, Style::default());
        assert_eq!(
            text,
            "Nothing to review right now.\n4 new cards are waiting; today's new-card limit is reached.\n`prepdeck review --new N` allows more today.\n"
        );
        let text = nothing_due(&left(0, 0, 0, None), day(), false, Style::default());
        assert_eq!(
            text,
            "Nothing to review right now.\nThe decks chosen have no cards.\n"
        );
    }

    #[test]
    fn what_is_left_fits_80_columns_even_with_large_counts() {
        let s = Summary {
            reviewed: 100,
            grades: [10, 10, 10, 10, 30, 30],
            ..Summary::default()
        };
        for left in [
            left(99_999, 99_999, 200, Some(("2027-01-30", 9_999))),
            left(0, 99_999, 0, None),
        ] {
            let texts = [
                summary(&s, &left, day(), None, Style::default()),
                nothing_due(&left, day(), true, Style::default()),
                nothing_due(&left, day(), false, Style::default()),
            ];
            for line in texts.iter().flat_map(|t| t.lines()) {
                assert!(crate::render::text::columns(line) <= 80, "{line:?}");
            }
        }
    }
}
