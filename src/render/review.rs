//! Text around a review session: its opening line and its summary.

use super::{plural, Style};
use crate::plan::Readiness;
use crate::session::Summary;
use crate::stats::DueDay;
use chrono::NaiveDate;

/// "today", "tomorrow", "in 3 days (2026-11-25)".
pub fn when(date: NaiveDate, today: NaiveDate) -> String {
    match (date - today).num_days() {
        ..=0 => "today".to_owned(),
        1 => format!("tomorrow ({date})"),
        n => format!("in {n} days ({date})"),
    }
}

/// The line after the session: what is next.
pub fn next_due(next: Option<DueDay>, today: NaiveDate) -> String {
    match next {
        Some(next) => format!(
            "Next: {} due {}.",
            plural(next.cards, "card"),
            when(next.date, today)
        ),
        None => "No cards are scheduled yet.".to_owned(),
    }
}

/// Shown when a session has nothing to do.
pub fn nothing_due(
    next: Option<DueDay>,
    today: NaiveDate,
    new_limit_reached: bool,
    style: Style,
) -> String {
    let mut text = style.good("Nothing to review right now.");
    text.push(' ');
    text.push_str(&next_due(next, today));
    text.push('\n');
    if new_limit_reached {
        text.push_str(
            &style
                .dim("Today's new-card limit is reached; `prepdeck review --new N` allows more.\n"),
        );
    }
    text
}

/// The end-of-session summary; `readiness` is (before, after) when an interview plan is set.
pub fn summary(
    s: &Summary,
    next: Option<DueDay>,
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
    if s.stopped_early && s.left > 0 {
        text.push_str(&format!(
            "  Stopped with {} left; run `prepdeck review` to carry on.\n",
            plural(s.left, "card")
        ));
    }
    if let Some((before, after)) = readiness {
        text.push_str(&format!(
            "  Readiness: {:.0}% → {:.0}% ({} of {} ready)\n",
            before.share * 100.0,
            after.share * 100.0,
            after.ready,
            plural(after.cards, "planned card")
        ));
    }
    text.push_str(&format!("  {}\n", next_due(next, today)));
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
        let text = summary(
            &s,
            None,
            "2026-11-22".parse().unwrap(),
            None,
            Style::default(),
        );
        assert!(text.contains("Reviewed:  3 cards"), "{text}");
        assert!(text.contains("Grades:    5: 2 · 2: 1"), "{text}");
        assert!(text.contains("Re-drills: 1"), "{text}");
        assert!(text.contains("Time:      1m 01s"), "{text}");
        assert!(text.contains("Stopped with 4 cards left"), "{text}");
        assert!(text.contains("Good:      67% answered 4 or 5"), "{text}");
    }
}
