//! `prepdeck plan`: the interview date, and what it takes to be ready by then.

use super::{emit, read_progress, Context};
use crate::catalog::Catalog;
use crate::clock::study_day;
use crate::error::{Error, Result};
use crate::plan::{
    estimate, introductions, Plan, Report, DEFAULT_MAX_NEW, DEFAULT_NEW_PER_DAY, PLAN_VERSION,
};
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

/// `plan --json` when no plan is active: the same object shape every time, so a
/// script can read `status` first.
#[derive(Serialize)]
struct Inactive<'a> {
    /// `none`, `passed` or `cleared`.
    status: &'a str,
    interview: Option<NaiveDate>,
    /// Where a damaged plan file was moved by `--clear`.
    #[serde(skip_serializing_if = "Option::is_none")]
    set_aside: Option<String>,
}

/// `plan --json` with an active plan: `status` and the report's figures.
#[derive(Serialize)]
struct Active<'a> {
    status: &'a str,
    #[serde(flatten)]
    report: &'a Report,
    /// Spoken rehearsals to do until the interview, and those done.
    rehearsals: crate::rehearse::RehearsalPlan,
}

/// Sets, clears or shows the plan.
pub fn run(
    ctx: &Context,
    options: &Options,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let today = study_day(ctx.clock.now());
    if options.clear {
        return clear(ctx, options.json, out);
    }
    let catalog = Catalog::load(&ctx.data)?;
    // A broken deck the plan names is an error below; warned about first, it would be
    // reported twice.
    if options.interview.is_some() {
        catalog.select(&options.decks)?;
    }
    super::warn(err, catalog.warnings());
    // The plan as written, or as it is on disk when nothing is to change.
    let plan = if let Some(date) = &options.interview {
        let interview = parse_interview(date, today)?;
        let plan = Plan {
            format_version: PLAN_VERSION,
            interview,
            decks: options.decks.clone(),
            max_new_per_day: options.max_new.unwrap_or(DEFAULT_MAX_NEW),
        };
        ctx.data.write_plan(&plan)?;
        Some(plan)
    } else if let Some(cap) = options.max_new {
        let Some(plan) = ctx.data.read_plan()? else {
            return Err(Error::Invalid(
                "--max-new changes the cap of an interview plan, and none is set; set one with `prepdeck plan --interview YYYY-MM-DD --max-new N`".into(),
            ));
        };
        let plan = Plan {
            max_new_per_day: cap,
            ..plan
        };
        ctx.data.write_plan(&plan)?;
        Some(plan)
    } else {
        ctx.data.read_plan()?
    };
    let Some(plan) = plan else {
        return emit(
            out,
            &if options.json {
                super::to_json(&Inactive {
                    status: "none",
                    interview: None,
                    set_aside: None,
                })
            } else {
                super::fit(
                    ctx,
                    "No interview date set. Set one with `prepdeck plan --interview YYYY-MM-DD`.\n",
                )
                .into_owned()
            },
        );
    };
    if plan.interview == today {
        return interview_day(ctx, &catalog, options.json, out);
    }
    if !plan.is_active(today) {
        return emit(
            out,
            &if options.json {
                super::to_json(&Inactive {
                    status: "passed",
                    interview: Some(plan.interview),
                    set_aside: None,
                })
            } else {
                super::fit(ctx, &format!(
                    "Your interview on {} has passed: cards follow their SM-2 dates again. `prepdeck plan --clear` removes the plan; `prepdeck plan --interview YYYY-MM-DD` sets a new date.\n",
                    plan.interview
                ))
                .into_owned()
            },
        );
    }
    let mut progress = read_progress(ctx, &mut std::io::sink())?;
    super::load_suspended(ctx, &mut progress)?;
    let hidden = settings::read(&ctx.data.settings_path())?.hidden_decks;
    let decks = super::planned_decks(&catalog, &plan, &hidden);
    let outlines: Vec<&crate::deck::Outline> = decks.iter().map(|e| &e.outline).collect();
    let planned = crate::plan::resolve(&plan, &outlines, &progress, today);
    let introduced = super::introduced_in(&progress, &decks, today);
    let intro = introductions(
        &plan,
        planned.unseen,
        introduced,
        today,
        DEFAULT_NEW_PER_DAY as usize,
    );
    // Every answered planned card, with its SM-2 state and the day it is due.
    let mut seen = Vec::new();
    for entry in &decks {
        let dues = planned.dues.deck(entry.id().as_str());
        for (index, (card, state)) in progress.deck_states(&entry.outline).enumerate() {
            if progress.is_suspended(entry.id().as_str(), card) {
                continue;
            }
            if let Some(state) = state {
                let sm2 = crate::sm2::Sm2 {
                    reps: state.reps,
                    ef: state.ef,
                    interval: state.interval,
                };
                seen.push((sm2, dues.due(index, state).max(today)));
            }
        }
    }
    let workload = estimate(&plan, today, seen, &intro, planned.spreader.clone());
    let report = Report::new(&plan, &planned, &intro, workload, today);
    let rehearsals = super::rehearse::plan_for(ctx, today, plan.interview)?;
    let text = if options.json {
        super::to_json(&Active {
            status: "active",
            report: &report,
            rehearsals,
        })
    } else {
        let mut text = crate::render::plan::view(&report, &plan, &intro, ctx.style);
        text.push_str(&crate::render::story::rehearsal_plan(&rehearsals));
        text
    };
    drop((outlines, decks));
    super::keep_until_exit((catalog, progress, planned));
    super::emit_output(ctx, out, &text, options.json)
}

/// `plan` on the interview day: the day's readiness and the cram.
fn interview_day(ctx: &Context, catalog: &Catalog, json: bool, out: &mut impl Write) -> Result<()> {
    #[derive(Serialize)]
    struct Today {
        status: &'static str,
        interview: NaiveDate,
        readiness: crate::plan::Readiness,
        cram: String,
    }
    let today = study_day(ctx.clock.now());
    let mut progress = read_progress(ctx, &mut std::io::sink())?;
    super::load_suspended(ctx, &mut progress)?;
    let hidden = settings::read(&ctx.data.settings_path())?.hidden_decks;
    let Some((plan, readiness)) = super::interview_today(ctx, catalog, &hidden, &progress, today)?
    else {
        return Ok(());
    };
    let text = if json {
        super::to_json(&Today {
            status: "today",
            interview: plan.interview,
            readiness,
            cram: crate::render::plan::cram_command(&plan),
        })
    } else {
        crate::render::plan::interview_today(&plan, &readiness, ctx.style)
    };
    super::emit_output(ctx, out, &text, json)
}

/// `plan --clear`.
fn clear(ctx: &Context, json: bool, out: &mut impl Write) -> Result<()> {
    let cleared = ctx.data.clear_plan()?;
    if json {
        let (status, set_aside) = match &cleared {
            PlanCleared::NoPlan => ("none", None),
            PlanCleared::Removed => ("cleared", None),
            PlanCleared::SetAside(to) => ("cleared", Some(to.display().to_string())),
        };
        return emit(
            out,
            &super::to_json(&Inactive {
                status,
                interview: None,
                set_aside,
            }),
        );
    }
    let text = match cleared {
        PlanCleared::NoPlan => "No interview plan was set.\n".to_owned(),
        PlanCleared::Removed => {
            "Interview plan removed; cards follow their SM-2 dates again.\n".to_owned()
        }
        PlanCleared::SetAside(to) => format!(
            "plan.json was damaged; it was moved to {} (delete it when you no longer need it). No interview plan is set; cards follow their SM-2 dates again.\n",
            crate::render::text::sanitize(&to.display().to_string())
        ),
    };
    emit(out, &super::fit(ctx, &text))
}

/// How far ahead an interview may be: two years.
pub const MAX_DAYS_AHEAD: u32 = 731;

/// The interview date from `--interview`: exactly `YYYY-MM-DD`, a real date, after today
/// and at most two years ahead.
fn parse_interview(text: &str, today: NaiveDate) -> Result<NaiveDate> {
    let not_a_date = || {
        Error::Invalid(format!(
            // Quoted by hand: `{:?}` would escape the escapes `one_line` wrote.
            "--interview \"{}\" is not a date; write it as YYYY-MM-DD, e.g. 2026-12-18",
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
    if date > crate::sm2::add_days(today, MAX_DAYS_AHEAD) {
        return Err(Error::Invalid(format!(
            "--interview {date} is more than two years ahead (today's study day is {today}); a plan paces the last weeks before a date, so set it once the interview is within two years"
        )));
    }
    if date <= today {
        return Err(Error::Invalid(format!(
            "--interview {date} is not in the future (today's study day is {today}); give the date of an interview still ahead"
        )));
    }
    Ok(date)
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
        assert!(parse_interview("2028-11-22", today).is_ok());
        for far in ["2028-11-24", "9999-12-31"] {
            let err = parse_interview(far, today).unwrap_err().to_string();
            assert!(err.contains("more than two years ahead"), "{far}: {err}");
        }
    }
}
