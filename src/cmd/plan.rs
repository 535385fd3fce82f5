//! `prepdeck plan`: the interview date, and what it takes to be ready by then.

use super::{emit, read_progress, Context};
use crate::catalog::Catalog;
use crate::clock::study_day;
use crate::error::{Error, Result};
use crate::plan::{workload, DayLoad, Plan, Readiness, DEFAULT_MAX_NEW, PLAN_VERSION};
use crate::render::chart::stacked_bars;
use crate::render::plural;
use crate::store::settings;
use chrono::NaiveDate;
use serde::Serialize;
use std::io::Write;

/// What to do with the plan.
#[derive(Debug, Clone)]
pub struct Options {
    /// Set the interview date (YYYY-MM-DD).
    pub interview: Option<String>,
    /// Planned decks; all when empty.
    pub decks: Vec<String>,
    /// Cap on new cards per day.
    pub max_new: Option<u32>,
    /// Remove the plan.
    pub clear: bool,
    /// JSON output.
    pub json: bool,
}

/// The figures `plan` shows (and prints with `--json`).
#[derive(Debug, Serialize)]
struct Report<'a> {
    interview: NaiveDate,
    decks: &'a [String],
    max_new_per_day: u32,
    today: NaiveDate,
    days_left: i64,
    cards: usize,
    unseen: usize,
    new_today: u32,
    introduce_by: NaiveDate,
    reviews_per_day: f64,
    readiness: Readiness,
    workload: Vec<DayLoad>,
}

/// Sets, clears or shows the plan.
pub fn run(
    ctx: &Context,
    options: &Options,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let today = study_day(ctx.clock.now());
    let catalog = Catalog::load(&ctx.data)?;
    super::warn(err, catalog.warnings());
    if options.clear {
        let removed = ctx.data.clear_plan()?;
        return emit(
            out,
            if removed {
                "Interview plan removed; cards follow their SM-2 dates again.\n"
            } else {
                "No interview plan was set.\n"
            },
        );
    }
    if let Some(date) = &options.interview {
        let interview = parse_interview(date, today)?;
        catalog.select(&options.decks)?;
        let plan = Plan {
            format_version: PLAN_VERSION,
            interview,
            decks: options.decks.clone(),
            max_new_per_day: options.max_new.unwrap_or(DEFAULT_MAX_NEW),
        };
        ctx.data.write_plan(&plan)?;
    }
    let Some(plan) = ctx.data.read_plan()? else {
        return emit(
            out,
            "No interview date set. Set one with `prepdeck plan --interview YYYY-MM-DD`.\n",
        );
    };
    if !plan.is_active(today) {
        return emit(
            out,
            &format!(
                "Your interview on {} has passed: cards follow their SM-2 dates again. `prepdeck plan --clear` removes the plan; `prepdeck plan --interview YYYY-MM-DD` sets a new date.\n",
                plan.interview
            ),
        );
    }
    let progress = read_progress(ctx, &mut std::io::sink())?;
    let hidden = settings::read(&ctx.data.settings_path())?.hidden_decks;
    let states: Vec<_> =
        super::review::planned_states(&catalog, &plan, &hidden, &progress).collect();
    let unseen = states.iter().filter(|s| s.is_none()).count();
    let introduced = progress.introduced_on(today) as usize;
    let dues: Vec<NaiveDate> = states.iter().flatten().map(|s| s.due).collect();
    let days = workload(&plan, &dues, unseen + introduced, introduced, today);
    let reviews: u32 = days.iter().map(|d| d.reviews).sum();
    let report = Report {
        interview: plan.interview,
        decks: &plan.decks,
        max_new_per_day: plan.max_new_per_day,
        today,
        days_left: plan.days_left(today),
        cards: states.len(),
        unseen,
        new_today: days.first().map_or(0, |d| d.new),
        introduce_by: plan.intro_deadline(),
        reviews_per_day: f64::from(reviews) / days.len().max(1) as f64,
        readiness: super::review::plan_readiness(&catalog, &plan, &hidden, &progress, today),
        workload: days,
    };
    if options.json {
        return emit(out, &super::to_json(&report));
    }
    emit(out, &render(&report, ctx))
}

fn parse_interview(text: &str, today: NaiveDate) -> Result<NaiveDate> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Error::Invalid(format!(
            // Quoted by hand: `{:?}` would escape the escapes `one_line` wrote.
            "--interview \"{}\" is not a date; write it as YYYY-MM-DD, e.g. 2026-12-18",
            crate::render::text::one_line(text)
        ))
    })?;
    if date <= today {
        return Err(Error::Invalid(format!(
            "--interview {date} is not in the future (today's study day is {today}); give the date of an interview still ahead"
        )));
    }
    Ok(date)
}

fn render(r: &Report<'_>, ctx: &Context) -> String {
    let style = ctx.style;
    let decks = if r.decks.is_empty() {
        "all decks (except hidden ones)".to_owned()
    } else {
        r.decks.join(", ")
    };
    let mut text = format!(
        "{} {} — {} left\n",
        style.bold("Interview:"),
        r.interview,
        plural(r.days_left, "day")
    );
    text.push_str(&format!(
        "Planned:   {} in {decks}\n",
        plural(r.cards, "card")
    ));
    text.push_str(&format!(
        "Not seen:  {}; {} new today (up to {} a day) introduces them all by {}\n",
        plural(r.unseen, "card"),
        r.new_today,
        r.max_new_per_day,
        r.introduce_by
    ));
    text.push_str(&format!(
        "Reviews:   {:.1} a day on average from today to {}, the day before the interview\n",
        r.reviews_per_day,
        r.workload.last().map_or(r.today, |d| d.date)
    ));
    text.push_str(&format!(
        "Readiness: {:.0}% ({} of {} last answered 4 or 5 and not overdue)\n\n",
        r.readiness.share * 100.0,
        r.readiness.ready,
        plural(r.readiness.cards, "card")
    ));
    let rows: Vec<(String, u32, u32)> = r
        .workload
        .iter()
        .map(|d| (d.date.format("%a %d %b").to_string(), d.reviews, d.new))
        .collect();
    text.push_str(&stacked_bars(
        "Workload until the interview",
        ("scheduled reviews", "new cards"),
        &rows,
        style,
    ));
    text
}
