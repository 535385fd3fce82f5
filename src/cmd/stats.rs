//! `prepdeck stats`: a table per deck, retention, streak and the week ahead.

use super::{emit, Context};
use crate::error::Result;
use crate::plan::Dues;
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
    let progress = super::with_warnings(loaded, err)?;
    let today = crate::clock::study_day(ctx.clock.now());
    let plan = super::active_plan(ctx, today)?;
    let planned = super::resolve_plan(&catalog, plan.as_ref(), &hidden, &progress, today);
    let sm2 = Dues::sm2();
    let dues = planned.as_ref().map_or(&sm2, |p| &p.dues);
    let stats = crate::stats::compute(&selected, &progress, today, dues);
    let text = if json {
        super::to_json(&stats)
    } else {
        crate::render::stats::view(&stats, ctx.style)
    };
    drop(selected);
    super::keep_until_exit((catalog, progress, planned));
    emit(out, &text)
}
