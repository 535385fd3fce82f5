//! Tables for `stats`, `decks` and `cards`.

use super::text::{one_line, truncate};
use crate::stats::{DeckStats, Stats};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, ContentArrangement, Table};

fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().map(|h| Cell::new(*h)));
    table
}

fn right(value: impl ToString) -> Cell {
    Cell::new(value.to_string()).set_alignment(CellAlignment::Right)
}

/// "87%" or "–" when there is nothing to measure.
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_owned(), |s| format!("{:.0}%", s * 100.0))
}

fn stats_row(table: &mut Table, row: &DeckStats) {
    table.add_row(vec![
        Cell::new(one_line(&row.deck)),
        right(row.cards),
        right(row.new),
        right(row.young),
        right(row.mature),
        right(row.due_today),
        right(row.reviewed_today),
        right(percent(row.retention_30d)),
    ]);
}

/// The `stats` table and the study streak.
pub fn stats(stats: &Stats) -> String {
    let mut table = new_table(&[
        "Deck",
        "Cards",
        "New",
        "Young",
        "Mature",
        // Two-line headers keep the table within 80 columns.
        "Due\ntoday",
        "Reviewed\ntoday",
        "Retention\n30 days",
    ]);
    // Long deck ids and large counts wrap inside their cells rather than push the
    // table past an 80-column terminal (comfy-table only knows the width of a tty).
    table.set_width(80);
    for row in &stats.decks {
        stats_row(&mut table, row);
    }
    stats_row(&mut table, &stats.total);
    format!(
        "{table}\nStudy streak: {} day{}\n",
        stats.streak_days,
        if stats.streak_days == 1 { "" } else { "s" },
    )
}

/// One row of `prepdeck decks`.
pub struct DeckLine<'a> {
    /// Deck id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// built-in or user.
    pub origin: &'a str,
    /// Number of cards.
    pub cards: u32,
    /// Cards never answered.
    pub new: u32,
    /// Cards due today.
    pub due_today: u32,
    /// Left out of review and stats when no deck is named.
    pub hidden: bool,
}

/// The `decks` table.
pub fn decks(lines: &[DeckLine<'_>]) -> String {
    let mut table = new_table(&["Deck", "Title", "Origin", "Cards", "New", "Due\ntoday"]);
    for line in lines {
        table.add_row(vec![
            Cell::new(one_line(line.id)),
            Cell::new(one_line(line.title)),
            Cell::new(if line.hidden {
                format!("{} (hidden)", line.origin)
            } else {
                line.origin.to_owned()
            }),
            right(line.cards),
            right(line.new),
            right(line.due_today),
        ]);
    }
    format!("{table}\n")
}

/// One row of `prepdeck cards`.
pub struct CardLine<'a> {
    /// Deck id.
    pub deck: &'a str,
    /// Card id.
    pub id: &'a str,
    /// Front text.
    pub front: &'a str,
    /// SM-2 repetitions.
    pub reps: u32,
    /// Easiness factor.
    pub ef: f64,
    /// Interval in days.
    pub interval: u32,
    /// Due day, if answered.
    pub due: Option<chrono::NaiveDate>,
    /// Lapses.
    pub lapses: u32,
}

/// The `cards` table.
pub fn cards(lines: &[CardLine<'_>]) -> String {
    let mut table = new_table(&[
        "Deck", "Card", "Front", "Reps", "EF", "Interval", "Due", "Lapses",
    ]);
    for line in lines {
        table.add_row(vec![
            Cell::new(one_line(line.deck)),
            Cell::new(one_line(line.id)),
            Cell::new(truncate(&one_line(line.front), 60)),
            right(line.reps),
            right(format!("{:.2}", line.ef)),
            right(line.interval),
            Cell::new(line.due.map_or_else(|| "new".to_owned(), |d| d.to_string())),
            right(line.lapses),
        ]);
    }
    format!("{table}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stats_table_keeps_to_80_columns_with_long_ids_and_large_counts() {
        let row = DeckStats {
            deck: "a-rather-long-deck-identifier-from-a-coach".into(),
            cards: 100_000,
            new: 50_000,
            young: 25_000,
            mature: 25_000,
            due_today: 5_900,
            reviewed_today: 1_234,
            recall_reviews_30d: 9_000,
            recall_passed_30d: 8_000,
            retention_30d: Some(0.89),
        };
        let stats = Stats {
            today: "2026-11-22".parse().unwrap(),
            decks: vec![row.clone()],
            total: DeckStats {
                deck: "total".into(),
                ..row
            },
            streak_days: 3,
            due_next_7_days: Vec::new(),
            forecast: Vec::new(),
            answers_per_day: Vec::new(),
            grades_30d: [0; 6],
            readiness: Default::default(),
        };
        let text = super::stats(&stats);
        // Box-drawing characters and digits are one column each.
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        assert!(text.contains("100000"), "{text}");
    }
}
