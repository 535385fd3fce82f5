//! `prepdeck stats`: a table per deck, retention, streak and the week ahead.

use super::Context;
use crate::error::Result;
use crate::plan::PlanReadiness;
use crate::progress::{DayTallies, Progress};
use crate::stats::Stats;
use serde::Serialize;
use std::io::Write;

/// `stats --json`: the figures, and the plan's readiness (`null` without an active plan).
#[derive(Serialize)]
struct Json<'a> {
    #[serde(flatten)]
    stats: &'a Stats,
    plan_readiness: Option<PlanReadiness>,
    /// Spoken rehearsals per day over the last 14 days, oldest first.
    rehearsals_14d: Vec<crate::rehearse::RehearsalDay>,
}

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
    let mut progress = loaded.progress;
    super::load_suspended(ctx, &mut progress)?;
    let today = crate::clock::study_day(ctx.clock.now());
    let plan = super::active_plan(ctx, today)?;
    let planned = super::resolve_plan(&catalog, plan.as_ref(), &hidden, &progress, today);
    let dues = super::dues(planned.as_ref());
    let counts = crate::stats::count(&selected, &progress, today, dues);
    let mut stats = crate::stats::finish(&selected, &counts, &progress, &DayTallies::new(), today);
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
        stats = crate::stats::finish(&selected, &counts, &progress, &theirs.days, today);
    }
    let plan_readiness = plan
        .as_ref()
        .zip(planned.as_ref())
        .map(|(plan, planned)| PlanReadiness {
            interview: plan.interview,
            readiness: planned.readiness,
        });
    // On the interview day the plan is over but its readiness is the day's news.
    let on_the_day = match plan_readiness {
        Some(_) => None,
        None => super::interview_today(ctx, &catalog, &hidden, &progress, today)?,
    };
    let plan_readiness =
        plan_readiness.or(on_the_day.as_ref().map(|(plan, readiness)| PlanReadiness {
            interview: plan.interview,
            readiness: *readiness,
        }));
    // Rehearsals are not card progress: they are read from the log itself.
    let rehearsals = ctx.data.rehearsals()?;
    let recent = crate::rehearse::recent(&rehearsals, today);
    let text = if json {
        super::to_json(&Json {
            stats: &stats,
            plan_readiness,
            rehearsals_14d: recent,
        })
    } else {
        let mut text = crate::render::stats::view(&stats, plan_readiness, ctx.style);
        if let Some((plan, readiness)) = &on_the_day {
            text.push('\n');
            text.push_str(&crate::render::plan::interview_today(
                plan, readiness, ctx.style,
            ));
        }
        text.push('\n');
        text.push_str(&crate::render::story::recent(&recent, ctx.style));
        text
    };
    drop(selected);
    super::keep_until_exit((catalog, progress, planned));
    super::emit_output(ctx, out, &text, json)
}
