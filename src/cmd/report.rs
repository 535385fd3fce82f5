//! `prepdeck report`: the learner's progress as one JSON file to send to a coach.

use super::{emit, Context};
use crate::catalog::{Entry, Origin};
use crate::error::{Error, Result};
use crate::progress::{CardKeys, DayTallies, Progress};
use crate::render::plural;
use crate::render::text::one_line;
use crate::report::{self, CardAnswers, MAX_NAME_CHARS};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What to report and where.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Built-in decks to report [default: every built-in deck not hidden].
    pub decks: Vec<String>,
    /// Further decks, the learner's own included, named explicitly.
    pub include: Vec<String>,
    /// The learner's name.
    pub name: Option<String>,
    /// A file to replace atomically; standard output when `None` or `-`.
    pub output: Option<PathBuf>,
    /// Also print the report on standard output when writing a file.
    pub print: bool,
}

/// Writes the report to the file or to `out`; a summary of what it holds goes to `err`.
pub fn run(
    ctx: &Context,
    options: &Options,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let name = learner_name(options.name.as_deref())?;
    let (catalog, loaded) = super::load_in_parallel(ctx);
    let catalog = catalog?;
    super::warn(err, catalog.warnings());
    let hidden = crate::store::settings::read(&ctx.data.settings_path())?.hidden_decks;
    let selected = select(&catalog, options, &hidden)?;
    let loaded = loaded?;
    super::warn(err, &loaded.warnings);
    let progress = &loaded.progress;
    let now = ctx.clock.now();
    let today = crate::clock::study_day(now);
    let plan = super::active_plan(ctx, today)?;
    let planned = super::resolve_plan(&catalog, plan.as_ref(), &hidden, progress, today);
    let dues = super::dues(planned.as_ref());
    crate::catalog::Catalog::load_text(&selected)?;
    let decks = selected
        .iter()
        .map(|e| e.deck().map(|deck| (*e, deck)))
        .collect::<Result<Vec<_>>>()?;

    let (answers, retired) = history(ctx, &selected, progress, loaded.scan.end)?;
    // Rehearsals belong to no deck: they are read from the log itself, as `stats` does.
    let rehearsals = ctx.data.rehearsals()?;
    let report = report::build(&report::Input {
        name: &name,
        now,
        today,
        time_zone: time_zone(now),
        interview: plan.as_ref().map(|p| p.interview),
        decks: &decks,
        progress,
        retired: &retired,
        dues,
        answers: &answers,
        rehearsals: &rehearsals,
    });
    let text = super::to_json(&report);
    let summary = summary(&report);
    match options.output.as_deref().filter(|p| *p != Path::new("-")) {
        None => emit(out, &text)?,
        Some(path) => {
            let target = super::export::follow_links(path)?;
            if target.is_dir() {
                return Err(Error::Invalid(format!(
                    "{} is a directory; give a file name, e.g. -o {}",
                    target.display(),
                    target.join("report.json").display()
                )));
            }
            crate::store::atomic::write_atomic_shareable(&target, text.as_bytes())?;
            if options.print {
                emit(out, &text)?;
            }
            let _ = writeln!(
                err,
                "Wrote the report to {}.",
                one_line(&path.display().to_string())
            );
        }
    }
    let _ = writeln!(err, "{summary}");
    Ok(())
}

/// From the log up to `end`, for the cards of `decks` with progress (current and
/// retired): failed answers and re-drills per card, and the day tallies of the answers
/// on retired cards, which `stats` leaves out of every figure.
fn history(
    ctx: &Context,
    decks: &[&Entry],
    progress: &Progress,
    end: u64,
) -> Result<(CardAnswers, DayTallies)> {
    let keys = history_keys(decks, progress);
    let current: CardKeys = decks
        .iter()
        .flat_map(|e| {
            e.outline
                .cards
                .iter()
                .map(move |c| format!("{}/{c}", e.id()))
        })
        .collect();
    let mut answers = CardAnswers::new();
    let mut retired = Progress::default();
    crate::store::log::visit_cards(&ctx.data.log_path(), end, &keys, |entry| {
        report::count_answer(&mut answers, entry);
        if !current.contains(&entry.card) {
            retired.apply(entry);
        }
    })?;
    Ok((answers, retired.days))
}

/// The name, trimmed, or why it cannot be used.
fn learner_name(given: Option<&str>) -> Result<String> {
    let name = given.map(str::trim).unwrap_or_default();
    if name.is_empty() {
        return Err(Error::Invalid(
            "a report needs the name your coach knows you by; pass --name NAME".into(),
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::Invalid(format!(
            "--name is longer than {MAX_NAME_CHARS} characters; give a shorter name"
        )));
    }
    if let Some(c) =
        crate::render::text::first_unsafe_char(name).or(name.chars().find(|c| c.is_control()))
    {
        return Err(Error::Invalid(format!(
            "--name holds the control character U+{:04X}; give a plain name",
            u32::from(c)
        )));
    }
    Ok(name.to_owned())
}

/// The decks of the report: the built-in decks named (all not hidden when none is),
/// then the decks named with `--deck`, in catalog order.
fn select<'c>(
    catalog: &'c crate::catalog::Catalog,
    options: &Options,
    hidden: &std::collections::BTreeSet<String>,
) -> Result<Vec<&'c Entry>> {
    for id in &options.decks {
        if !matches!(catalog.require(id)?.origin, Origin::BuiltIn) {
            return Err(Error::Invalid(format!(
                "{} is one of your own decks, which reports leave out; to send its figures (card ids and schedules, never text), name it with --deck {}",
                one_line(id),
                one_line(id)
            )));
        }
    }
    for id in &options.include {
        catalog.require(id)?;
    }
    Ok(catalog
        .decks
        .iter()
        .filter(|e| {
            let id = e.id().as_str();
            let named = |list: &[String]| list.iter().any(|n| n == id);
            let by_default = options.decks.is_empty()
                && matches!(e.origin, Origin::BuiltIn)
                && !hidden.contains(id);
            by_default || named(&options.decks) || named(&options.include)
        })
        .collect())
}

/// Every `deck/card` key with progress in the reported decks, retired cards included.
fn history_keys(decks: &[&Entry], progress: &Progress) -> CardKeys {
    decks
        .iter()
        .flat_map(|e| {
            let id = e.id().as_str();
            progress
                .cards
                .deck(id)
                .into_iter()
                .flat_map(|states| states.keys())
                .map(move |card| format!("{id}/{card}"))
        })
        .collect()
}

/// `TZ` when set, else the offset of `now`.
fn time_zone(now: chrono::DateTime<chrono::FixedOffset>) -> String {
    match std::env::var("TZ") {
        Ok(tz) if !tz.trim().is_empty() && tz.len() <= 64 => one_line(tz.trim()),
        _ => now.offset().to_string(),
    }
}

/// What the report holds, in a sentence, for the learner to check before sending it.
fn summary(report: &report::Report) -> String {
    let decks: Vec<&str> = report.decks.iter().map(|d| d.id.as_str()).collect();
    let cards: usize = report.decks.iter().map(|d| d.card_progress.len()).sum();
    let rehearsals: u32 = report.rehearsals.iter().flatten().map(|d| d.count).sum();
    let rehearsed = if rehearsals > 0 {
        format!(
            ", and the times and rubric scores of {} (no story text)",
            plural(rehearsals, "rehearsal")
        )
    } else {
        String::new()
    };
    format!(
        "The report for {} holds figures for {} ({}) and the schedule of {} by card id{rehearsed}; no card text.",
        crate::render::text::inline_text(&report.name),
        plural(decks.len(), "deck"),
        if decks.is_empty() { "none".into() } else { decks.join(", ") },
        plural(cards, "card")
    )
}
