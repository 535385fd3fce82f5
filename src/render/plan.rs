//! The interview plan as text: `prepdeck plan` and the pacing line of `review`.
//! Every line fits 80 columns.

use super::chart::stacked_bars;
use super::plural;
use super::review::when;
use super::Style;
use crate::plan::{Introductions, Plan, Readiness, Report};
use chrono::NaiveDate;

/// Terminal width every line is kept within.
pub const WIDTH: usize = 80;

/// The command that crams the planned decks: every planned card once, shuffled.
pub fn cram_command(plan: &Plan) -> String {
    let mut command = "prepdeck review --cram --shuffle".to_owned();
    for deck in &plan.decks {
        command.push(' ');
        command.push_str(&crate::render::text::sanitize(deck));
    }
    command
}

/// What `plan`, `review` and `stats` say on the interview day itself.
pub fn interview_today(plan: &Plan, readiness: &Readiness, style: Style) -> String {
    let mut text = format!("{} {} — today\n", style.bold("Interview:"), plan.interview);
    text.push_str(&wrap(
        "Readiness:",
        11,
        &format!(
            "{:.0}% ({} of {} planned cards last answered 4 or 5, not overdue)",
            readiness.share * 100.0,
            readiness.ready,
            readiness.cards
        ),
    ));
    text.push_str(&wrap(
        "Warm up:  ",
        11,
        &format!(
            "`{}` goes once through every planned card, misses again at the end, and changes no schedule.",
            cram_command(plan)
        ),
    ));
    text
}

/// The most rows the workload chart has, however far the interview is.
pub const MAX_CHART_ROWS: usize = 42;

/// `text` broken at spaces into lines of at most [`WIDTH`] columns, the first starting
/// with `first` and a space, the others indented by `indent` spaces. A word longer than a line
/// gets a line of its own. The text is plain: one column per character.
pub fn wrap(first: &str, indent: usize, text: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_owned();
    // Whether the line still needs no space before its next word.
    let mut empty = first.is_empty();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = line.chars().count();
        if !empty && len + 1 + word.chars().count() > super::columns() {
            out.push_str(line.trim_end());
            out.push('\n');
            line = " ".repeat(indent);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// What the pacing will do with the unseen planned cards, in one sentence without its
/// full stop: the same words for `plan` and for `review`.
pub fn outlook(plan: &Plan, intro: &Introductions, unseen: usize) -> String {
    let new_today = intro.per_day.first().copied().unwrap_or(0);
    let target = plan.intro_target(intro.today);
    if unseen == 0 {
        return "every planned card has been introduced".to_owned();
    }
    let today = format!("{new_today} new today");
    if intro.unseen_after_target == 0 {
        return match intro.done_by {
            Some(day) if day == intro.today => format!("{today}, the last of them"),
            Some(day) => format!("{today}, all introduced by {day}"),
            None => today,
        };
    }
    let mut text = format!(
        "{today}; at most {} a day (the plan's cap), {} will still be unseen on {target}",
        plan.max_new_per_day, intro.unseen_after_target
    );
    if target != plan.last_day() {
        if intro.unseen_at_interview > 0 {
            text.push_str(&format!(
                " and {} at the interview",
                intro.unseen_at_interview
            ));
        } else if let Some(day) = intro.done_by {
            text.push_str(&format!(" (all introduced by {day})"));
        }
    }
    // The reason the order changes, where the learner sees the shortfall.
    text.push_str(", so cards tagged core come first");
    if let Some(cap) = intro.cap_needed {
        text.push_str(&format!(
            ". `prepdeck plan --max-new {cap}` introduces them all by {target}"
        ));
    }
    text
}

/// The line under `review`'s opening line while a plan is active.
pub fn pacing(
    plan: &Plan,
    intro: &Introductions,
    unseen: usize,
    explicit_new: Option<usize>,
    today: NaiveDate,
) -> String {
    let head = format!("Interview {}:", when(plan.interview, today));
    let text = match explicit_new {
        Some(n) if unseen > 0 => format!(
            "--new {n} sets today's new cards for all decks together; without it the plan would give {} more new planned cards today.",
            intro.per_day.first().copied().unwrap_or(0)
        ),
        _ => format!("{}.", outlook(plan, intro, unseen)),
    };
    wrap(&head, 2, &text)
}

/// The whole `prepdeck plan` view.
pub fn view(r: &Report, plan: &Plan, intro: &Introductions, style: Style) -> String {
    let decks = if r.decks.is_empty() {
        "all decks (except hidden ones)".to_owned()
    } else {
        r.decks.join(", ")
    };
    let days = plural(r.days_left, "day");
    let mut text = format!(
        "{} {} — {days} left\n",
        style.bold("Interview:"),
        r.interview
    );
    text.push_str(&wrap(
        "Planned:  ",
        11,
        &format!("{} in {decks}", plural(r.cards, "card")),
    ));
    let unseen = if r.unseen == 0 {
        "none:".to_owned()
    } else {
        format!("{}:", plural(r.unseen, "card"))
    };
    text.push_str(&wrap(
        "Not seen: ",
        11,
        &format!("{unseen} {}.", outlook(plan, intro, r.unseen)),
    ));
    let last = r.workload.last().map_or(r.today, |d| d.date);
    text.push_str(&wrap(
        "Reviews:  ",
        11,
        &format!(
            "about {:.1} a day until {last}, {} on the busiest day (an estimate: every answer a {})",
            r.reviews_per_day, r.reviews_busiest_day, r.assumed_grade
        ),
    ));
    text.push_str(&wrap(
        "Readiness:",
        11,
        &format!(
            "{:.0}% ({} of {} planned cards last answered 4 or 5, not overdue)",
            r.readiness.share * 100.0,
            r.readiness.ready,
            r.readiness.cards
        ),
    ));
    text.push('\n');
    // A far interview would make a row per day run to hundreds of lines: past
    // MAX_CHART_ROWS days, each row adds up as many days as it takes to stay within it.
    let per_row = r.workload.len().div_ceil(MAX_CHART_ROWS).max(1);
    let rows: Vec<(String, u32, u32)> = r
        .workload
        .chunks(per_row)
        .map(|days| {
            let sum = |f: fn(&crate::plan::DayLoad) -> u32| {
                days.iter().map(f).fold(0u32, u32::saturating_add)
            };
            (
                days[0].date.format("%a %d %b").to_string(),
                sum(|d| d.reviews),
                sum(|d| d.new),
            )
        })
        .collect();
    let title = if per_row == 1 {
        format!("Estimated workload, every answer a {}", r.assumed_grade)
    } else {
        format!(
            "Estimated workload, {per_row} days a row from the day shown, every answer a {}",
            r.assumed_grade
        )
    };
    text.push_str(&stacked_bars(
        &title,
        ("reviews", "new cards"),
        &rows,
        style,
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_within_80_columns_with_a_hanging_indent() {
        let text = "word ".repeat(40);
        let wrapped = wrap("Label:    ", 11, &text);
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= WIDTH));
        assert!(lines[0].starts_with("Label:     word"));
        assert!(lines[1].starts_with("           word"));
        assert_eq!(wrapped.split_whitespace().count(), 41);
    }

    fn report(workload_days: u32) -> (Report, Plan, Introductions) {
        use crate::plan::{introductions, DayLoad, Readiness, PLAN_VERSION};
        let today: NaiveDate = "2026-11-22".parse().unwrap();
        let plan = Plan {
            format_version: PLAN_VERSION,
            interview: crate::sm2::add_days(today, workload_days),
            decks: vec![
                "answer-tips".into(),
                "a-rather-long-deck-identifier-of-a-coach".into(),
            ],
            max_new_per_day: 7,
        };
        let intro = introductions(&plan, 100_000, 3, today, 20);
        let workload = (0..workload_days)
            .map(|i| DayLoad {
                date: crate::sm2::add_days(today, i),
                reviews: 99_999 * i,
                new: 7,
            })
            .collect();
        let report = Report {
            interview: plan.interview,
            decks: plan.decks.clone(),
            max_new_per_day: 7,
            today,
            days_left: workload_days.into(),
            cards: 100_000,
            unseen: 100_000,
            new_today: 4,
            introduce_by: plan.intro_target(today),
            all_introduced_on: intro.done_by,
            unseen_after_introduce_by: intro.unseen_after_target,
            unseen_at_interview: intro.unseen_at_interview,
            max_new_needed: intro.cap_needed,
            core_first: intro.core_first(),
            reviews_per_day: 123_456.7,
            reviews_busiest_day: 3_000_000,
            assumed_grade: 4,
            readiness: Readiness::of(99_999, 100_000),
            workload,
        };
        (report, plan, intro)
    }

    #[test]
    fn the_plan_fits_80_columns_in_colour_and_without() {
        let (report, plan, intro) = report(30);
        for color in [true, false] {
            let text = view(&report, &plan, &intro, Style { color });
            assert_eq!(text.contains('\u{1b}'), color);
            let widths = super::super::display_widths(&text);
            assert!(widths.iter().all(|&w| w <= WIDTH), "{widths:?}\n{text}");
        }
        let line = pacing(&plan, &intro, 100_000, None, report.today);
        assert!(
            super::super::display_widths(&line)
                .iter()
                .all(|&w| w <= WIDTH),
            "{line}"
        );
    }

    #[test]
    fn a_word_longer_than_a_line_gets_its_own_line() {
        let long = "x".repeat(100);
        let wrapped = wrap("A:", 2, &format!("short {long} end"));
        let lines: Vec<&str> = wrapped.lines().collect();
        assert_eq!(
            lines,
            [
                "A: short".to_owned(),
                format!("  {long}"),
                "  end".to_owned()
            ]
        );
    }
}
