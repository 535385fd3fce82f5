//! `prepdeck decks`: every deck with its origin, size and due cards.

use super::{emit, read_progress, warn, Context};
use crate::catalog::Catalog;
use crate::error::Result;
use crate::render::table::{self, DeckLine};
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct DeckJson<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    origin: &'a str,
    cards: u32,
    new: u32,
    due_today: u32,
}

/// Lists every deck.
pub fn run(ctx: &Context, json: bool, out: &mut impl Write, err: &mut impl Write) -> Result<()> {
    let catalog = Catalog::load(&ctx.data)?;
    warn(err, &catalog.warnings);
    let progress = read_progress(ctx, err)?;
    let today = crate::clock::study_day(ctx.clock.now());
    let all: Vec<_> = catalog.decks.iter().collect();
    let plan_active = super::active_plan(ctx, today)?.is_some();
    let stats = crate::stats::compute(&all, &progress, today, plan_active);
    let rows: Vec<DeckJson<'_>> = catalog
        .decks
        .iter()
        .zip(&stats.decks)
        .map(|(entry, row)| DeckJson {
            id: entry.deck.id.as_str(),
            title: &entry.deck.title,
            description: &entry.deck.description,
            origin: entry.origin.label(),
            cards: row.cards,
            new: row.new,
            due_today: row.due_today,
        })
        .collect();
    if json {
        return emit(out, &super::to_json(&rows));
    }
    let lines: Vec<DeckLine<'_>> = rows
        .iter()
        .map(|r| DeckLine {
            id: r.id,
            title: r.title,
            origin: r.origin,
            cards: r.cards,
            new: r.new,
            due_today: r.due_today,
        })
        .collect();
    emit(out, &table::decks(&lines))
}
