//! `prepdeck stats`: a table per deck, retention, streak and the week ahead.

use super::{emit, Context};
use crate::error::Result;
use std::io::Write;

/// Prints the stats of `decks` (all when empty) as a table or as JSON.
pub fn run(
    ctx: &Context,
    decks: &[String],
    json: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let (catalog, loaded) = super::load_in_parallel(ctx);
    let catalog = catalog?;
    let hidden = crate::store::settings::read(&ctx.data.settings_path())?.hidden_decks;
    let selected = catalog.select_for_study(decks, &hidden)?;
    super::warn(err, catalog.warnings());
    let progress = super::with_warnings(loaded, err)?;
    let today = crate::clock::study_day(ctx.clock.now());
    let plan_active = super::active_plan(ctx, today)?.is_some();
    let stats = crate::stats::compute(&selected, &progress, today, plan_active);
    let text = if json {
        super::to_json(&stats)
    } else {
        crate::render::stats::view(&stats, ctx.style)
    };
    drop(selected);
    super::keep_until_exit((catalog, progress));
    emit(out, &text)
}
