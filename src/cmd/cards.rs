//! `prepdeck cards`: each card with its schedule.

use super::{emit, Context};
use crate::error::Result;
use crate::render::table::{self, CardLine};
use crate::sm2::INITIAL_EF;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use std::io::Write;

/// What to list.
#[derive(Debug, Clone)]
pub struct Options {
    /// Deck ids; all when empty.
    pub decks: Vec<String>,
    /// Only cards due today or overdue.
    pub due: bool,
    /// JSON instead of a table.
    pub json: bool,
}

/// One card in `cards --json`: exactly these keys, documented in the README.
#[derive(Serialize)]
struct CardJson<'a> {
    deck: &'a str,
    id: &'a str,
    front: &'a str,
    back: &'a str,
    tags: &'a [String],
    reps: u32,
    ef: f64,
    interval: u32,
    due: Option<NaiveDate>,
    lapses: u32,
    last_review: Option<DateTime<FixedOffset>>,
}

/// Lists cards with their schedules.
pub fn run(
    ctx: &Context,
    options: &Options,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let (catalog, loaded) = super::load_in_parallel(ctx);
    let catalog = catalog?;
    let decks = catalog.select(&options.decks)?;
    super::warn(err, catalog.warnings());
    let progress = super::with_warnings(loaded, err)?;
    let today = crate::clock::study_day(ctx.clock.now());
    let hidden = crate::store::settings::read(&ctx.data.settings_path())?.hidden_decks;
    let plan = super::active_plan(ctx, today)?;
    let planned = super::resolve_plan(&catalog, plan.as_ref(), &hidden, &progress, today);
    let dues = super::dues(planned.as_ref());
    crate::catalog::Catalog::load_text(&decks)?;
    let mut rows = Vec::new();
    for entry in &decks {
        let deck = entry.id().as_str();
        // The deck's cards are those of its outline, in the same order (checked when read).
        let cards = &entry.deck()?.cards;
        let deck_dues = dues.deck(deck);
        let states = progress.deck_states(&entry.outline).enumerate();
        for (card, (index, (_, state))) in cards.iter().zip(states) {
            let due = state.map(|s| deck_dues.due(index, s));
            if options.due && due.is_none_or(|d| d > today) {
                continue;
            }
            rows.push(CardJson {
                deck,
                id: card.id.as_str(),
                front: &card.front,
                back: &card.back,
                tags: &card.tags,
                reps: state.map_or(0, |s| s.reps),
                ef: state.map_or(INITIAL_EF, |s| s.ef),
                interval: state.map_or(0, |s| s.interval),
                due,
                lapses: state.map_or(0, |s| s.lapses),
                last_review: state.map(|s| s.last_review),
            });
        }
    }
    let text = if options.json {
        super::to_json(&rows)
    } else {
        let lines: Vec<CardLine<'_>> = rows
            .iter()
            .map(|r| CardLine {
                deck: r.deck,
                id: r.id,
                front: r.front,
                reps: r.reps,
                ef: r.ef,
                interval: r.interval,
                due: r.due,
                lapses: r.lapses,
            })
            .collect();
        match ctx.width {
            // On a terminal the table is fitted to its width; piped, every front is whole.
            Some(width) => table::cards_fitted(&lines, width, ctx.style),
            None => table::cards(&lines),
        }
    };
    drop((rows, decks));
    super::keep_until_exit((catalog, progress, planned));
    emit(out, &text)
}
