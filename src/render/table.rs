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
    /// Number of cards; `None` when the deck file could not be read.
    pub cards: Option<u32>,
    /// Cards never answered.
    pub new: Option<u32>,
    /// Cards due today.
    pub due_today: Option<u32>,
    /// Left out of review and stats when no deck is named.
    pub hidden: bool,
    /// The deck file could not be used; its counts are unknown.
    pub broken: bool,
}

/// The `decks` table.
pub fn decks(lines: &[DeckLine<'_>]) -> String {
    let mut table = new_table(&["Deck", "Title", "Origin", "Cards", "New", "Due\ntoday"]);
    let count = |n: Option<u32>| right(n.map_or_else(|| "–".to_owned(), |n| n.to_string()));
    for line in lines {
        let mut origin = line.origin.to_owned();
        if line.broken {
            origin.push_str(" (broken)");
        }
        if line.hidden {
            origin.push_str(" (hidden)");
        }
        table.add_row(vec![
            Cell::new(one_line(line.id)),
            Cell::new(if line.broken {
                "cannot be read: see the warning".to_owned()
            } else {
                one_line(line.title)
            }),
            Cell::new(origin),
            count(line.cards),
            count(line.new),
            count(line.due_today),
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
