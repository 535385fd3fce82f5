//! Tables for `stats`, `decks` and `cards`.

use super::text::{columns, inline_text, one_line, truncate, LRM};
use super::Style;
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

/// The `stats` rows as lines, one per deck, for a terminal too narrow for the table:
/// squeezed into narrow cells, ids and words were cut in pieces.
fn stats_lines(stats: &Stats) -> String {
    let mut text = String::new();
    for row in stats.decks.iter().chain([&stats.total]) {
        text.push_str(&format!(
            "{}: {} · {} new · {} young · {} mature · {} due today · {} reviewed today · retention {}\n",
            one_line(&row.deck),
            super::plural(row.cards, "card"),
            row.new,
            row.young,
            row.mature,
            row.due_today,
            row.reviewed_today,
            percent(row.retention_30d)
        ));
    }
    text
}

/// The `stats` table and the study streak.
pub fn stats(stats: &Stats) -> String {
    if super::columns() < 80 {
        let mut text = stats_lines(stats);
        text.push_str(&format!(
            "Study streak: {}\n",
            super::plural(stats.streak_days, "day")
        ));
        return text;
    }
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
    table.set_width(u16::try_from(super::columns()).unwrap_or(80));
    for row in &stats.decks {
        stats_row(&mut table, row);
    }
    stats_row(&mut table, &stats.total);
    let mut text = format!(
        "{table}\nStudy streak: {}\n",
        super::plural(stats.streak_days, "day")
    );
    if stats.cram_30d > 0 {
        text.push_str(&format!(
            "Cram answers: {} today, {} in 30 days (apart from reviews and retention).\n",
            stats.total.cram_today, stats.cram_30d
        ));
    }
    text
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
///
/// On a terminal `width` columns wide, titles are cut with `…` so that no row wraps:
/// wrapped, they broke mid-word.
pub fn decks(lines: &[DeckLine<'_>], width: Option<usize>) -> String {
    let mut table = new_table(&["Deck", "Title", "Origin", "Cards", "New", "Due\ntoday"]);
    let count = |n: Option<u32>| n.map_or_else(|| "–".to_owned(), |n| n.to_string());
    let rows: Vec<[String; 6]> = lines
        .iter()
        .map(|line| {
            let mut origin = line.origin.to_owned();
            if line.broken {
                origin.push_str(" (broken)");
            }
            if line.hidden {
                origin.push_str(" (hidden)");
            }
            let title = if line.broken {
                "(not usable: see the warning)".to_owned()
            } else {
                inline_text(line.title)
            };
            [
                one_line(line.id),
                title,
                origin,
                count(line.cards),
                count(line.new),
                count(line.due_today),
            ]
        })
        .collect();
    // Six columns: seven borders and a space either side of each cell.
    let widest = |i: usize, header: usize| {
        rows.iter()
            .map(|r| columns(&r[i]))
            .max()
            .unwrap_or(0)
            .max(header)
    };
    let others = widest(0, 4) + widest(2, 6) + widest(3, 5) + widest(4, 3) + widest(5, 5);
    if let Some(width) = width.filter(|&w| 7 + 12 + others + 12 > w) {
        return deck_lines(&rows, width);
    }
    let title_room = width.map(|w| w.saturating_sub(7 + 12 + others).max(12));
    for [id, title, origin, cards, new, due] in rows {
        let title = match title_room {
            Some(room) => truncate(&title, room).into_owned(),
            None => title,
        };
        table.add_row(vec![
            Cell::new(id),
            Cell::new(title),
            Cell::new(origin),
            right(cards),
            right(new),
            right(due),
        ]);
    }
    format!("{table}\n")
}

/// The `decks` rows for a terminal too narrow for the table, where comfy-table cut ids
/// and words in pieces: a line per deck, its title under it, broken at spaces.
fn deck_lines(rows: &[[String; 6]], width: usize) -> String {
    let mut text = String::new();
    for [id, title, origin, cards, new, due] in rows {
        text.push_str(&format!(
            "{id}: {origin} · {cards} cards · {new} new · {due} due today\n  {title}\n"
        ));
    }
    super::text::wrap(&text, width).into_owned()
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

/// The `cards` table for scripts and files: every column, fronts in full.
pub fn cards(lines: &[CardLine<'_>]) -> String {
    let mut table = new_table(&[
        "Deck", "Card", "Front", "Reps", "EF", "Interval", "Due", "Lapses",
    ]);
    for line in lines {
        table.add_row(vec![
            Cell::new(one_line(line.deck)),
            Cell::new(one_line(line.id)),
            Cell::new(inline_text(line.front)),
            right(line.reps),
            right(format!("{:.2}", line.ef)),
            right(line.interval),
            Cell::new(line.due.map_or_else(|| "new".to_owned(), |d| d.to_string())),
            right(line.lapses),
        ]);
    }
    format!("{table}\n")
}

/// Card ids are shown on a terminal only if the front still gets this many columns.
const MIN_FRONT_WITH_IDS: usize = 30;
/// Card ids longer than this are cut on a terminal.
const MAX_ID_COLUMNS: usize = 24;

/// The `cards` listing on a terminal `width` columns wide: one block per deck under its
/// id, the schedule first and the front last, cut with `…` so that no line wraps.
///
/// The table for files has eight bordered columns; at 80 columns that left the front
/// about eight. Here the deck is a heading, the card id is a column only when the
/// front keeps at least `MIN_FRONT_WITH_IDS` columns, and the front takes the rest.
pub fn cards_fitted(lines: &[CardLine<'_>], width: usize, style: Style) -> String {
    if lines.is_empty() {
        // The table for files shows its header; here there would be nothing at all.
        return "No cards to list.\n".to_owned();
    }
    let digits = |n: u32| n.to_string().len();
    let reps_w = lines
        .iter()
        .map(|l| digits(l.reps))
        .max()
        .unwrap_or(0)
        .max(4);
    let ivl_w = lines
        .iter()
        .map(|l| digits(l.interval))
        .max()
        .unwrap_or(0)
        .max(3);
    let id_w = lines
        .iter()
        .map(|l| columns(&one_line(l.id)))
        .max()
        .unwrap_or(0)
        .clamp(4, MAX_ID_COLUMNS);
    // Indent, then Due (10), Reps, EF (4), Ivl, Lapses (6), each followed by two spaces.
    let fixed = 2 + 10 + 2 + reps_w + 2 + 4 + 2 + ivl_w + 2 + 6 + 2;
    let room = width.saturating_sub(fixed);
    if room < MIN_FRONT_WITH_IDS {
        return card_lines(lines, width, style);
    }
    let show_ids = room >= id_w + 2 + MIN_FRONT_WITH_IDS;
    let front_w = if show_ids { room - id_w - 2 } else { room }.max(8);
    let row = |due: &str, reps: &str, ef: &str, ivl: &str, lapses: &str, id: &str, front: &str| {
        let mut text =
            format!("  {due:<10}  {reps:>reps_w$}  {ef:>4}  {ivl:>ivl_w$}  {lapses:>6}  ");
        if show_ids {
            text.push_str(&pad(&truncate(id, id_w), id_w));
            text.push_str("  ");
        }
        text.push_str(&truncate(front, front_w));
        text.trim_end().to_owned()
    };
    let mut out = String::new();
    let mut deck: Option<&str> = None;
    for line in lines {
        if deck != Some(line.deck) {
            if deck.is_some() {
                out.push('\n');
            }
            deck = Some(line.deck);
            out.push_str(&style.bold(&truncate(&one_line(line.deck), width.max(8))));
            out.push('\n');
            let header = row("Due", "Reps", "EF", "Ivl", "Lapses", "Card", "Front");
            out.push_str(&style.dim(&header));
            out.push('\n');
        }
        let due = line.due.map_or_else(|| "new".to_owned(), |d| d.to_string());
        out.push_str(&row(
            &due,
            &line.reps.to_string(),
            &format!("{:.2}", line.ef),
            &line.interval.to_string(),
            &line.lapses.to_string(),
            &one_line(line.id),
            &inline_text(line.front),
        ));
        out.push('\n');
    }
    out
}

/// The `cards` listing for a terminal too narrow for its columns (the front kept a
/// dozen columns at 50): a heading per deck, then per card its id with its schedule,
/// broken at spaces, and its front on the next line, cut at a word with `…`.
fn card_lines(lines: &[CardLine<'_>], width: usize, style: Style) -> String {
    let mut out = String::new();
    let mut deck: Option<&str> = None;
    for line in lines {
        if deck != Some(line.deck) {
            if deck.is_some() {
                out.push('\n');
            }
            deck = Some(line.deck);
            out.push_str(&style.bold(&one_line(line.deck)));
            out.push('\n');
        }
        let due = line
            .due
            .map_or_else(|| "new".to_owned(), |d| format!("due {d}"));
        let schedule = format!(
            "  {} · {due} · reps {} · EF {:.2} · ivl {} · lapses {}",
            one_line(line.id),
            line.reps,
            line.ef,
            line.interval,
            line.lapses
        );
        out.push_str(&super::text::wrap(&schedule, width));
        out.push_str("\n    ");
        out.push_str(&cut_at_word(
            &inline_text(line.front),
            width.saturating_sub(4),
        ));
        out.push('\n');
    }
    out
}

/// At most `max` columns of `text`, cut after a whole word with `…` when it is longer;
/// cut where it must be only when its first word alone is too long.
fn cut_at_word(text: &str, max: usize) -> String {
    if columns(text) <= max {
        return text.to_owned();
    }
    let cut = truncate(text, max);
    // Right-to-left text keeps the LRM that closes it (see `contain_direction`).
    let close = if text.ends_with(LRM) { "\u{200e}" } else { "" };
    let head = cut.trim_end_matches(LRM).trim_end_matches('…');
    if text[head.len()..].starts_with(' ') {
        return format!("{}…{close}", head.trim_end());
    }
    match head.rfind(' ') {
        // The word after the last space may have been cut: it goes.
        Some(at) if at > 0 => format!("{}…{close}", head[..at].trim_end()),
        _ => cut.into_owned(),
    }
}

/// `text` padded with spaces to `width` terminal columns.
fn pad(text: &str, width: usize) -> String {
    let mut padded = text.to_owned();
    padded.extend(std::iter::repeat_n(
        ' ',
        width.saturating_sub(columns(text)),
    ));
    padded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line<'a>(deck: &'a str, id: &'a str, front: &'a str) -> CardLine<'a> {
        CardLine {
            deck,
            id,
            front,
            reps: 2,
            ef: 2.6,
            interval: 6,
            due: "2026-12-08".parse().ok(),
            lapses: 0,
        }
    }

    const FRONT: &str =
        "Why do interviewers bother asking about your handling of difficult customers at all?";

    #[test]
    fn on_80_columns_no_line_is_wider_and_the_front_gets_the_room() {
        let lines = [
            line("why-they-ask", "why-bother-asking", FRONT),
            line(
                "why-they-ask",
                "star-stands-for",
                "What does STAR stand for?",
            ),
            line("interview-day", "stay-calm", "Café: 顧客 who shout?"),
        ];
        let text = cards_fitted(&lines, 80, Style::default());
        for l in text.lines() {
            assert!(columns(l) <= 80, "{} columns: {l:?}", columns(l));
        }
        // A deck heading per deck, the front cut with … and at least 30 columns of it.
        assert!(text.starts_with("why-they-ask\n"), "{text}");
        assert!(text.contains("\ninterview-day\n"), "{text}");
        let first = text.lines().nth(2).unwrap();
        assert!(
            first.starts_with("  2026-12-08     2  2.60    6       0  "),
            "{first:?}"
        );
        assert!(first.ends_with('…'), "{first:?}");
        assert!(
            first.contains("Why do interviewers bother asking"),
            "{first:?}"
        );
        assert!(text.contains("What does STAR stand for?\n"), "{text}");
    }

    #[test]
    fn card_ids_are_shown_when_the_front_keeps_room_for_them() {
        let lines = [line("d", "why-bother-asking", FRONT)];
        let narrow = cards_fitted(&lines, 80, Style::default());
        assert!(!narrow.contains("why-bother-asking"), "{narrow}");
        let wide = cards_fitted(&lines, 120, Style::default());
        assert!(
            wide.contains("Card") && wide.contains("why-bother-asking  Why do"),
            "{wide}"
        );
        for l in wide.lines() {
            assert!(columns(l) <= 120, "{l:?}");
        }
        // Wide enough for everything: nothing is cut.
        let wider = cards_fitted(&lines, 200, Style::default());
        assert!(wider.contains(FRONT), "{wider}");
    }

    #[test]
    fn at_50_columns_each_card_gets_its_id_and_its_front_cut_at_a_word() {
        let lines = [line("why-they-ask", "why-bother-asking", FRONT)];
        let text = cards_fitted(&lines, 50, Style::default());
        for l in text.lines() {
            assert!(columns(l) <= 50, "{} columns: {l:?}", columns(l));
        }
        assert!(text.starts_with("why-they-ask\n  why-bother-asking · due 2026-12-08"));
        assert!(
            text.contains("\n    Why do interviewers bother asking about your…\n"),
            "{text}"
        );
    }

    #[test]
    fn a_front_is_cut_after_a_whole_word() {
        assert_eq!(cut_at_word("one two three", 13), "one two three");
        assert_eq!(cut_at_word("one two three", 12), "one two…");
        // Cut right after a word: that word stays.
        assert_eq!(cut_at_word("one two three", 8), "one two…");
        assert_eq!(cut_at_word("unbreakable", 6), "unbre…");
    }

    #[test]
    fn an_empty_listing_says_so() {
        assert_eq!(
            cards_fitted(&[], 80, Style::default()),
            "No cards to list.\n"
        );
    }

    #[test]
    fn the_table_for_files_keeps_every_front_whole() {
        let text = cards(&[line("d", "c", FRONT)]);
        assert!(text.contains(FRONT), "{text}");
    }

    #[test]
    fn the_decks_table_fits_a_terminal_and_keeps_titles_whole_for_files() {
        let title = "Handling an angry customer: what to show on interview day";
        let lines = [DeckLine {
            id: "interview-day",
            title,
            origin: "built-in",
            cards: Some(40),
            new: Some(40),
            due_today: Some(0),
            hidden: true,
            broken: false,
        }];
        let fitted = decks(&lines, Some(80));
        for l in fitted.lines() {
            assert!(columns(l) <= 80, "{} columns: {l:?}", columns(l));
        }
        assert!(fitted.contains("Handling an angry"), "{fitted}");
        assert!(fitted.contains('…'), "{fitted}");
        let whole = decks(&lines, None);
        assert!(whole.contains(title), "{whole}");
    }

    #[test]
    fn a_decks_table_too_wide_for_the_terminal_becomes_a_line_per_deck() {
        let lines = [DeckLine {
            id: "a-rather-long-deck-identifier",
            title: "Handling an angry customer: what to show on interview day",
            origin: "user",
            cards: Some(40),
            new: Some(38),
            due_today: Some(2),
            hidden: false,
            broken: false,
        }];
        let text = decks(&lines, Some(50));
        assert_eq!(
            text,
            "a-rather-long-deck-identifier: user · 40 cards ·\n38 new · 2 due today\n  \
             Handling an angry customer: what to show on\n  interview day\n"
        );
    }

    #[test]
    fn the_stats_table_keeps_to_80_columns_with_long_ids_and_large_counts() {
        let row = DeckStats::large("a-rather-long-deck-identifier-from-a-coach");
        let stats = Stats {
            cram_30d: 0,
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
