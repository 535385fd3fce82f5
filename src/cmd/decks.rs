//! `prepdeck decks`: every deck with its origin, size and due cards.

use super::{emit, Context};
use crate::catalog::{Catalog, Origin};
use crate::error::Result;
use crate::render::table::{self, DeckLine};
use crate::store::{settings, WriterLock};
use serde::Serialize;
use std::io::Write;

/// One deck in `decks --json`. A broken deck file has `error` set and its counts null:
/// it could not be read, so they are not known.
#[derive(Serialize)]
struct DeckJson<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    origin: &'a str,
    cards: Option<u32>,
    new: Option<u32>,
    due_today: Option<u32>,
    hidden: bool,
    error: Option<&'a str>,
}

/// Lists every deck.
pub fn run(ctx: &Context, json: bool, out: &mut impl Write, err: &mut impl Write) -> Result<()> {
    let (catalog, loaded) = super::load_in_parallel(ctx);
    let catalog = catalog?;
    let hidden = settings::read(&ctx.data.settings_path())?.hidden_decks;
    let progress = super::with_warnings(loaded, err)?;
    let today = crate::clock::study_day(ctx.clock.now());
    let all: Vec<_> = catalog.decks.iter().collect();
    let plan = super::active_plan(ctx, today)?;
    let planned = super::resolve_plan(&catalog, plan.as_ref(), &hidden, &progress, today);
    let dues = super::dues(planned.as_ref());
    let stats = crate::stats::compute(&all, &progress, &Default::default(), today, dues);
    let broken = catalog.broken.iter().map(|b| DeckJson {
        id: &b.id,
        title: "",
        description: "",
        origin: Origin::User(b.path.clone()).label(),
        cards: None,
        new: None,
        due_today: None,
        hidden: hidden.contains(&b.id),
        error: Some(&b.problem),
    });
    let rows: Vec<DeckJson<'_>> = catalog
        .decks
        .iter()
        .zip(&stats.decks)
        .map(|(entry, row)| DeckJson {
            id: entry.id().as_str(),
            title: &entry.outline.title,
            description: &entry.outline.description,
            origin: entry.origin.label(),
            cards: Some(row.cards),
            new: Some(row.new),
            due_today: Some(row.due_today),
            hidden: hidden.contains(entry.id().as_str()),
            error: None,
        })
        .chain(broken)
        .collect();
    // Listed as broken below too; the warning says why, like every other command.
    super::warn(err, catalog.warnings());
    let text = if json {
        super::to_json(&rows)
    } else {
        let lines: Vec<DeckLine<'_>> = rows
            .iter()
            .map(|r| DeckLine {
                id: r.id,
                title: r.title,
                origin: r.origin,
                cards: r.cards,
                new: r.new,
                due_today: r.due_today,
                hidden: r.hidden,
                broken: r.error.is_some(),
            })
            .collect();
        table::decks(&lines, ctx.width)
    };
    drop((rows, all));
    super::keep_until_exit((catalog, progress));
    emit(out, &text)
}

/// Leaves deck `id` out of `review` and `stats` when no deck is named.
pub fn hide(ctx: &Context, id: &str, out: &mut impl Write) -> Result<()> {
    let catalog = Catalog::load(&ctx.data)?;
    let id = catalog.require(id)?.id().clone();
    let changed = update_hidden(ctx, |hidden| hidden.insert(id.to_string()))?;
    emit(
        out,
        &if changed {
            format!("Deck {id} is now hidden from review and stats (naming it still works: prepdeck review {id}). `prepdeck decks show {id}` brings it back.\n")
        } else {
            format!("Deck {id} was already hidden.\n")
        },
    )
}

/// Brings deck `id` back into `review` and `stats`.
pub fn show(ctx: &Context, id: &str, out: &mut impl Write) -> Result<()> {
    let catalog = Catalog::load(&ctx.data)?;
    // A deck removed while hidden is still in the set; showing it must remain possible.
    let hidden = settings::read(&ctx.data.settings_path())?.hidden_decks;
    if !hidden.contains(id) {
        let id = catalog.require(id)?.id();
        return emit(out, &format!("Deck {id} is not hidden.\n"));
    }
    update_hidden(ctx, |hidden| hidden.remove(id))?;
    emit(
        out,
        &format!(
            "Deck {} is shown again in review and stats.\n",
            crate::render::text::one_line(id)
        ),
    )
}

/// Changes the hidden set under the decks lock; true when it changed (and was written).
fn update_hidden(
    ctx: &Context,
    change: impl FnOnce(&mut std::collections::BTreeSet<String>) -> bool,
) -> Result<bool> {
    ctx.data.create()?;
    let _lock = WriterLock::wait(&ctx.data.decks_lock_path())?;
    let path = ctx.data.settings_path();
    let mut current = settings::read(&path)?;
    if !change(&mut current.hidden_decks) {
        return Ok(false);
    }
    settings::write(&path, &current)?;
    Ok(true)
}
