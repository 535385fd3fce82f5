//! `prepdeck stats`: a table per deck, retention, streak and the week ahead.

use super::{emit, Context};
use crate::error::Result;
use crate::progress::{DayTallies, Progress};
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
    let loaded = loaded?;
    super::warn(err, &loaded.warnings);
    let progress = loaded.progress;
    let today = crate::clock::study_day(ctx.clock.now());
    let plan_active = super::active_plan(ctx, today)?.is_some();
    let mut stats =
        crate::stats::compute(&selected, &progress, &DayTallies::new(), today, plan_active);
    // Answers on retired cards are in the decks' day tallies; which cards they were is
    // only in the log, read (up to where progress was loaded) only when there are some.
    let retired = crate::stats::retired_cards(&selected, &progress, &stats);
    if !retired.is_empty() {
        let mut theirs = Progress::default();
        crate::store::log::replay_cards(
            &ctx.data.log_path(),
            loaded.scan.end,
            &retired,
            &mut theirs,
        )?;
        stats = crate::stats::compute(&selected, &progress, &theirs.days, today, plan_active);
    }
    let text = if json {
        super::to_json(&stats)
    } else {
        crate::render::stats::view(&stats, ctx.style)
    };
    drop(selected);
    super::keep_until_exit((catalog, progress));
    emit(out, &text)
}
