//! `prepdeck plan`: the interview date, and what it takes to be ready by then.

use super::{emit, read_progress, Context};
use crate::catalog::Catalog;
use crate::clock::study_day;
use crate::error::{Error, Result};
use crate::plan::{workload, DayLoad, Plan, Readiness, DEFAULT_MAX_NEW, PLAN_VERSION};
use crate::render::chart::stacked_bars;
use crate::render::review::cards;
use crate::store::{settings, PlanCleared};
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
    /// Cap on new cards per day: with `interview`, for the new plan; alone, a new cap
    /// for the plan already set.
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
pub fn run(ctx: &Context, options: &Options, out: &mut impl Write) -> Result<()> {
    let today = study_day(ctx.clock.now());
    if options.clear {
        return clear(ctx, out);
    }
    let catalog = Catalog::load(&ctx.data)?;
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
    } else if let Some(cap) = options.max_new {
        let Some(plan) = ctx.data.read_plan()? else {
            return Err(Error::Invalid(
                "--max-new changes the cap of an interview plan, and none is set; set one with `prepdeck plan --interview YYYY-MM-DD --max-new N`".into(),
            ));
        };
        ctx.data.write_plan(&Plan {
            max_new_per_day: cap,
            ..plan
        })?;
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

/// `plan --clear`.
fn clear(ctx: &Context, out: &mut impl Write) -> Result<()> {
    let text = match ctx.data.clear_plan()? {
        PlanCleared::NoPlan => "No interview plan was set.\n".to_owned(),
        PlanCleared::Removed => {
            "Interview plan removed; cards follow their SM-2 dates again.\n".to_owned()
        }
        PlanCleared::SetAside(to) => format!(
            "plan.json was damaged; it was moved to {} (delete it when you no longer need it). No interview plan is set; cards follow their SM-2 dates again.\n",
            crate::render::text::sanitize(&to.display().to_string())
        ),
    };
    emit(out, &text)
}

/// The interview date from `--interview`: exactly `YYYY-MM-DD`, a real date, after today.
fn parse_interview(text: &str, today: NaiveDate) -> Result<NaiveDate> {
    let not_a_date = || {
        Error::Invalid(format!(
            "--interview {:?} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-18",
            crate::render::text::one_line(text)
        ))
    };
    // chrono alone also takes "2026-12-1" and "+2026-12-01"; the documented form is
    // four, two and two digits.
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(not_a_date());
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| not_a_date())?;
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
        match r.days_left {
            1 => "1 day".to_owned(),
            n => format!("{n} days"),
        }
    );
    text.push_str(&format!(
        "Planned:   {} in {decks}\n",
        cards(r.cards as u64)
    ));
    text.push_str(&format!(
        "Not seen:  {}; {} new today (up to {} a day) introduces them all by {}\n",
        cards(r.unseen as u64),
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
        "Readiness: {:.0}% ({} of {} cards last answered 4 or 5 and not overdue)\n\n",
        r.readiness.share * 100.0,
        r.readiness.ready,
        r.readiness.cards
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interview_date_must_be_written_yyyy_mm_dd_exactly() {
        let today: NaiveDate = "2026-11-22".parse().unwrap();
        assert_eq!(
            parse_interview("2026-12-01", today).unwrap(),
            "2026-12-01".parse::<NaiveDate>().unwrap()
        );
        for bad in [
            "2026-12-1",
            "+2026-12-01",
            " 2026-12-01",
            "2026-12-01 ",
            "2026/12/01",
            "2026-02-30",
            "20261-2-01",
            "",
        ] {
            let err = parse_interview(bad, today).unwrap_err().to_string();
            assert!(err.contains("is not a date"), "{bad:?}: {err}");
        }
        let err = parse_interview("2026-11-22", today)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not in the future"), "{err}");
    }
}
