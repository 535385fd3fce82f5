//! The `class` view in the terminal: a row per learner, then each deck's hardest cards.

use super::text::{inline_text, one_line, truncate};
use super::{plural, Style};
use crate::class::{Class, ClassDeck, HardCard, Learner};
use chrono::NaiveDate;
use comfy_table::{
    presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table,
    Width,
};

/// Card fronts are cut to this many columns in the hardest-cards table.
const FRONT_COLUMNS: usize = 60;

/// Tables are this wide when standard output is not a terminal.
const PIPED_WIDTH: u16 = 100;

fn new_table(header: &[&str], width: Option<usize>) -> Table {
    let width = width.map_or(PIPED_WIDTH, |w| {
        u16::try_from(w.max(60)).unwrap_or(u16::MAX)
    });
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(header.iter().map(|h| Cell::new(*h)));
    table
}

fn right(value: impl ToString) -> Cell {
    Cell::new(value.to_string()).set_alignment(CellAlignment::Right)
}

/// "today", "yesterday", "3 days ago", "never".
pub fn ago(day: Option<NaiveDate>, today: NaiveDate) -> String {
    let Some(day) = day else {
        return "never".into();
    };
    match (today - day).num_days() {
        0 => "today".into(),
        1 => "yesterday".into(),
        n if n > 1 => format!("{n} days ago"),
        _ => day.to_string(),
    }
}

/// "2026-12-10 (18 days)", "2026-12-10 (today)", "2026-11-02 (past)", "–".
pub fn interview(learner: &Learner) -> String {
    match (learner.interview, learner.days_left) {
        (Some(day), Some(0)) => format!("{day} (today)"),
        (Some(day), Some(n)) if n > 0 => format!("{day} ({})", plural(n, "day")),
        (Some(day), _) => format!("{day} (past)"),
        _ => "–".into(),
    }
}

/// "42%" or "–".
pub fn share(value: Option<f64>) -> String {
    super::table::percent(value)
}

/// The latest rehearsal day's best score out of the rubric's points and its median time,
/// "8/10 · 75 s", or "–" without rehearsals.
pub fn rehearsal(learner: &Learner) -> String {
    match (learner.rehearsal_score, learner.rehearsal_seconds) {
        (Some(score), Some(seconds)) => {
            format!("{} · {seconds:.0} s", out_of_rubric(score))
        }
        (Some(score), None) => out_of_rubric(score),
        _ => "–".into(),
    }
}

/// A share of the rubric as points: 0.8 is "8/10".
pub fn out_of_rubric(share: f64) -> String {
    let points = crate::rehearse::RUBRIC.len() + 1;
    let got = (share.clamp(0.0, 1.0) * points as f64).round();
    format!("{got:.0}/{points}")
}

/// The whole view, fitted to a terminal `width` columns wide (`None` when piped).
pub fn view(class: &Class, style: Style, width: Option<usize>) -> String {
    let mut text = format!(
        "{} on {}\n",
        style.bold(&format!(
            "Class of {}",
            plural(class.learners.len(), "learner")
        )),
        class.today
    );
    let mut table = new_table(
        &[
            "Learner",
            "Last active",
            "Streak",
            "Ready",
            "Due",
            "Interview",
            "Rehearsal",
        ],
        width,
    );
    for l in &class.learners {
        table.add_row(vec![
            Cell::new(truncate(&inline_text(&l.name), 30)),
            Cell::new(ago(l.last_active, class.today)),
            right(plural(l.streak_days, "day")),
            right(format!(
                "{} ({}/{})",
                share(Some(l.readiness_share)),
                l.readiness.ready,
                l.readiness.cards
            )),
            right(l.due),
            Cell::new(interview(l)),
            right(match l.rehearsal_date {
                Some(day) => format!("{}\n{}", rehearsal(l), ago(Some(day), class.today)),
                None => rehearsal(l),
            }),
        ]);
    }
    text.push_str(&format!("{table}\n"));
    let (hard, calm): (Vec<&ClassDeck>, Vec<&ClassDeck>) =
        class.decks.iter().partition(|d| !d.hardest.is_empty());
    for deck in hard {
        text.push('\n');
        text.push_str(&deck_view(deck, style, width));
    }
    if !calm.is_empty() {
        let ids: Vec<String> = calm.iter().map(|d| one_line(&d.id)).collect();
        text.push_str(&format!(
            "\nNo card with lapses, failed answers or re-drills yet: {}\n",
            ids.join(", ")
        ));
    }
    if !class.unknown_decks.is_empty() {
        text.push_str(&format!(
            "\nNot installed here (cards shown by id): {}\n",
            one_line(&class.unknown_decks.join(", "))
        ));
    }
    text
}

fn deck_view(deck: &ClassDeck, style: Style, width: Option<usize>) -> String {
    let mut notes = vec![plural(deck.learners, "learner")];
    if deck.other_version > 0 {
        notes.push(format!("{} on another version", deck.other_version));
    }
    if !deck.installed {
        notes.push("not installed here".into());
    }
    let heading = format!(
        "Hardest cards: {} — {} ({})\n",
        style.bold(&one_line(&deck.id)),
        truncate(&inline_text(&deck.title), 60),
        notes.join(", ")
    );
    let mut table = new_table(
        &[
            "Card",
            "Lapses",
            "Failed\n(< 3)",
            "Re-drills",
            "Failing\nnow",
            "Last grade\nlow / mean",
            "Learners",
        ],
        width,
    );
    // The front is what the coach reads; the figures are short.
    if let Some(column) = table.column_mut(0) {
        column.set_constraint(ColumnConstraint::LowerBoundary(Width::Percentage(45)));
    }
    for card in &deck.hardest {
        table.add_row(vec![
            Cell::new(card_cell(card)),
            right(card.lapses),
            right(card.below_3),
            right(card.redrills),
            right(card.failing_now),
            right(format!(
                "{} / {}",
                card.lowest_last_grade
                    .map_or_else(|| "–".to_owned(), |g| g.to_string()),
                card.mean_last_grade
                    .map_or_else(|| "–".to_owned(), |m| format!("{m:.1}"))
            )),
            right(card.learners),
        ]);
    }
    format!("{heading}{table}\n")
}

/// The front as the coach has it, with the card id under it; the id alone, flagged,
/// for a retired card.
fn card_cell(card: &HardCard) -> String {
    let id = one_line(&card.id);
    match &card.front {
        Some(front) => format!("{}\n{id}", truncate(&inline_text(front), FRONT_COLUMNS)),
        None if card.retired => format!("{id}\n(retired: not in your copy of the deck)"),
        None => id,
    }
}
