//! The whole `prepdeck stats` view: table, readiness, heatmap, forecast and grades.

use super::chart::{bars, heatmap};
use super::table;
use super::Style;
use crate::sm2::Grade;
use crate::stats::{Stats, HEATMAP_WEEKS, RETENTION_DAYS};

/// The table followed by the pictures, all within 80 columns.
pub fn view(stats: &Stats, style: Style) -> String {
    let mut text = table::stats(stats);
    let r = &stats.readiness;
    text.push_str(&format!(
        "Readiness: {:.0}% ({} of {} last answered 4 or 5 and not overdue)\n\n",
        r.share * 100.0,
        r.ready,
        super::plural(r.cards, "card")
    ));
    let answers = |day| {
        stats
            .answers_per_day
            .iter()
            .find(|d| d.date == day)
            .map_or(0, |d| d.answers)
    };
    text.push_str(&heatmap(
        &format!("Answers, last {HEATMAP_WEEKS} weeks"),
        stats.today,
        HEATMAP_WEEKS,
        answers,
        style,
    ));
    text.push('\n');
    let forecast: Vec<(String, u32)> = stats
        .forecast
        .iter()
        .map(|d| (d.date.format("%a %d %b").to_string(), d.cards))
        .collect();
    text.push_str(&bars(
        &format!("Due in the next {} days", forecast.len()),
        &forecast,
        style,
    ));
    text.push('\n');
    let grades: Vec<(String, u32)> = Grade::ALL
        .iter()
        .rev()
        .map(|g| (g.to_string(), stats.grades_30d[usize::from(g.value())]))
        .collect();
    text.push_str(&bars(
        &format!("Grades, last {RETENTION_DAYS} days (re-drills excluded)"),
        &grades,
        style,
    ));
    text
}
