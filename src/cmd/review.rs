//! `prepdeck review`: due cards, then new ones, every answer saved as it is given.

use super::{emit, warn, Context};
use crate::catalog::{self, Catalog};
use crate::clock::study_day;
use crate::error::Result;
use crate::plan::{readiness, Plan, Readiness, Spreader};
use crate::progress::{CardState, Progress};
use crate::render::plural;
use crate::render::review as text;
use crate::session::{self, build_queue, Timing};
use crate::stats::outlook;
use crate::store::settings;
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::io::{BufRead, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// What to review.
#[derive(Debug, Clone)]
pub struct Options {
    /// Deck ids; all decks when empty.
    pub decks: Vec<String>,
    /// New cards allowed per study day, counting those already introduced today.
    pub new: usize,
    /// Most cards this session.
    pub limit: Option<usize>,
}

/// Runs a review session on `input`/`out`; warnings go to `err`.
pub fn run(
    ctx: &Context,
    options: &Options,
    input: &mut impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    // The snapshot is parsed while the decks load; the writer checks under its lock
    // that the file is still the one read, else it reads it again.
    let (catalog, prefetched) = std::thread::scope(|scope| {
        let snapshot = scope.spawn(|| ctx.data.prefetch_snapshot());
        let catalog = Catalog::load(&ctx.data);
        (catalog, snapshot.join().ok().flatten())
    });
    let catalog = catalog?;
    let hidden = settings::read(&ctx.data.settings_path())?.hidden_decks;
    let decks = catalog.select_for_study(&options.decks, &hidden)?;
    warn(err, catalog.warnings());
    let mut writer = ctx.data.open_writer_with(prefetched)?;
    warn(err, &writer.warnings);
    let plan = ctx.data.read_plan()?;

    let now = ctx.clock.now();
    let today = study_day(now);
    if let Some(last) = writer.progress.last_at.filter(|last| *last > now) {
        warn(err, [format!(
            "the clock ({now}) is earlier than your last answer ({last}); cards are scheduled from today's date as given"
        )]);
    }
    let plan = plan.filter(|p| p.is_active(today));
    let introduced = writer.progress.introduced_on(today) as usize;
    // One pass over the planned cards gives the unseen count, readiness and due days.
    let planned = plan.as_ref().map(|p| {
        let states: Vec<_> = planned_states(&catalog, p, &hidden, &writer.progress).collect();
        let unseen = states.iter().filter(|s| s.is_none()).count();
        let ready = readiness(states.iter().copied(), today, true);
        let spreader = Spreader::new(p, states.iter().flatten().map(|s| s.due));
        (unseen, ready, spreader)
    });
    let daily_new = match (&plan, &planned) {
        (Some(plan), Some((unseen, _, _))) => options
            .new
            .max(plan.new_cards_today(unseen + introduced, today)),
        _ => options.new,
    };
    let new_allowed = daily_new.saturating_sub(introduced);
    let queue = build_queue(
        &decks,
        &writer.progress,
        today,
        new_allowed,
        options.limit.unwrap_or(usize::MAX),
        plan.is_some(),
    );
    // What is left today, over the decks chosen: new cards as far as today's allowance goes.
    let left = |progress: &Progress, today: NaiveDate| {
        let outlook = outlook(&decks, progress, today, plan.is_some());
        let allowed = daily_new.saturating_sub(progress.introduced_on(today) as usize);
        text::Left {
            outlook,
            new_today: outlook
                .unseen
                .min(u32::try_from(allowed).unwrap_or(u32::MAX)),
        }
    };
    if queue.is_empty() {
        let left = left(&writer.progress, today);
        return emit(
            out,
            &text::nothing_due(&left, today, options.limit == Some(0), ctx.style),
        );
    }

    let new_count = queue.iter().filter(|i| i.new).count();
    // Two lines: with the keys on the first, it ran past 80 columns.
    let mut intro = format!(
        "{} ({} due, {} new).\n{}\n",
        ctx.style
            .bold(&format!("Reviewing {}", plural(queue.len(), "card"))),
        queue.len() - new_count,
        new_count,
        ctx.style
            .dim("Enter shows the answer, then grade it 0-5 · ? help · u undo · q or Ctrl-C quits")
    );
    if let Some(plan) = &plan {
        intro.push_str(&format!(
            "Interview {}: {} a day keeps you on track.\n",
            text::when(plan.interview, today),
            plural(daily_new, "new card")
        ));
    }
    emit(out, &intro)?;

    let (ready_before, mut spreader) = match planned {
        Some((_, ready, spreader)) => (Some(ready), Some(spreader)),
        None => (None, None),
    };
    let clock = ctx.clock;
    let mut wanted: Vec<&catalog::Entry> = Vec::new();
    for item in &queue {
        if !wanted.iter().any(|e| std::ptr::eq(*e, item.entry)) {
            wanted.push(item.entry);
        }
    }
    let stop = AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        // Decks that came from the deck index have no card text yet. It is read here,
        // in the order the queue reaches the decks, while the person reads the first
        // card; a card whose deck is not read yet waits for it (or reads it itself).
        scope.spawn(|| {
            for entry in &wanted {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                // An error is kept in the entry and reported when its card is shown.
                let _ = entry.deck();
            }
        });
        let result = session::run(
            queue,
            &mut writer,
            input,
            out,
            Timing {
                now: &|| clock.now(),
                study_day: &study_day,
                spreader: spreader.as_mut(),
            },
            session::Options {
                echo_input: !ctx.interactive,
                style: ctx.style,
                width: ctx.width,
            },
        );
        stop.store(true, Ordering::Relaxed);
        result
    });
    // The log already holds every answer; the snapshot only speeds up the next start.
    if let Err(e) = writer.save_snapshot() {
        warn(
            err,
            [format!(
                "could not update the snapshot ({e}); it will be rebuilt from the log next time"
            )],
        );
    }
    let summary = result?;
    let today = study_day(clock.now());
    let left = left(&writer.progress, today);
    let ready = plan.as_ref().zip(ready_before).map(|(p, before)| {
        (
            before,
            plan_readiness(&catalog, p, &hidden, &writer.progress, today),
        )
    });
    let text = text::summary(&summary, &left, today, ready, ctx.style);
    // The progress and the decks, not the writer: dropping it releases the lock.
    drop(decks);
    super::keep_until_exit((std::mem::take(&mut writer.progress), catalog));
    drop(writer);
    emit(out, &text)
}

/// The state (`None` while new) of every card the plan covers: its decks, or when it
/// names none, every deck not hidden.
///
/// Read deck by deck from the outlines, without a `deck/card` key per card: with a
/// plan, a review goes through every planned card three times before the first card.
pub fn planned_states<'a>(
    catalog: &'a Catalog,
    plan: &'a Plan,
    hidden: &'a BTreeSet<String>,
    progress: &'a Progress,
) -> impl Iterator<Item = Option<&'a CardState>> + 'a {
    catalog
        .decks
        .iter()
        .filter(|e| {
            let id = e.id().as_str();
            plan.covers(id) && (!plan.decks.is_empty() || !hidden.contains(id))
        })
        .flat_map(|e: &'a catalog::Entry| progress.deck_states(&e.outline).map(|(_, s)| s))
}

/// Readiness over the planned cards.
pub fn plan_readiness(
    catalog: &Catalog,
    plan: &Plan,
    hidden: &BTreeSet<String>,
    progress: &Progress,
    today: NaiveDate,
) -> Readiness {
    readiness(
        planned_states(catalog, plan, hidden, progress),
        today,
        plan.is_active(today),
    )
}
