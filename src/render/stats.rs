//! The whole `prepdeck stats` view: table, readiness, heatmap, forecast and grades.

use super::chart::{bars, heatmap};
use super::table;
use super::Style;
use crate::plan::{PlanReadiness, Readiness};
use crate::sm2::Grade;
use crate::stats::{Stats, HEATMAP_WEEKS, RETENTION_DAYS};

/// The table followed by the pictures, all within 80 columns. `plan` is the
/// readiness over the planned cards while an interview plan is active: the figure
/// `plan` shows, which may cover other decks than the ones shown here.
pub fn view(stats: &Stats, plan: Option<PlanReadiness>, style: Style) -> String {
    let mut text = table::stats(stats);
    // The plan's figure (the one `plan` shows) and the decks shown can differ: each
    // says what it counts.
    let row = |label: &str, r: &Readiness| {
        format!(
            "  {label:<36} {:>4.0}%  ({} of {})\n",
            r.share * 100.0,
            r.ready,
            r.cards
        )
    };
    text.push_str("Readiness (last answered 4 or 5, not overdue):\n");
    if let Some(plan) = plan {
        text.push_str(&row(
            &format!("planned cards, interview {}", plan.interview),
            &plan.readiness,
        ));
    }
    text.push_str(&row("cards of the decks shown", &stats.readiness));
    text.push('\n');
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{DayCount, DeckStats, DueDay};
    use chrono::NaiveDate;

    #[test]
    fn the_view_fits_80_columns_in_colour_and_without() {
        let today: NaiveDate = "2026-12-14".parse().unwrap();
        let start = crate::stats::heatmap_start(today);
        let row = DeckStats::large("a-rather-long-deck-identifier");
        let stats = Stats {
            cram_30d: 0,
            today,
            decks: vec![row.clone()],
            total: DeckStats {
                deck: "total".into(),
                ..row
            },
            streak_days: 400,
            due_next_7_days: Vec::new(),
            forecast: (1..=14)
                .map(|i| DueDay {
                    date: crate::sm2::add_days(today, i),
                    cards: 99_999 * i,
                })
                .collect(),
            answers_per_day: start
                .iter_days()
                .take_while(|d| *d <= today)
                .enumerate()
                .map(|(i, date)| DayCount {
                    date,
                    answers: i as u32 * 37,
                })
                .collect(),
            grades_30d: [1, 22, 333, 4_444, 55_555, 666_666],
            readiness: Readiness::of(99_999, 100_000),
        };
        let plan = PlanReadiness {
            interview: "2026-12-18".parse().unwrap(),
            readiness: Readiness::of(123_456, 200_000),
        };
        for color in [true, false] {
            let text = view(&stats, Some(plan), Style { color });
            assert_eq!(text.contains('\u{1b}'), color);
            let widths = crate::render::display_widths(&text);
            assert!(widths.iter().all(|&w| w <= 80), "{widths:?}\n{text}");
        }
    }
}
