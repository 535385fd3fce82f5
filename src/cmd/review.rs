//! `prepdeck review`: due cards, then new ones, every answer saved as it is given.

use super::{emit, warn, Context};
use crate::catalog::{self, Catalog};
use crate::clock::study_day;
use crate::error::Result;
use crate::keys::Keys;
use crate::plan::{introductions, Dues, DEFAULT_NEW_PER_DAY};
use crate::progress::Progress;
use crate::render::plural;
use crate::render::review as text;
use crate::session::{self, build_queue, NewAllowance, Timing};
use crate::stats::{outlooks, Outlook};
use crate::store::settings;
use std::collections::BTreeSet;
use std::io::Write;
use std::sync::atomic::Ordering;

/// What to review.
#[derive(Debug, Clone)]
pub struct Options {
    /// Deck ids; all decks when empty.
    pub decks: Vec<String>,
    /// New cards allowed per study day, counting those already introduced today, when
    /// given on the command line; `None` for the default (and a plan's pacing).
    pub new: Option<usize>,
    /// Most cards this session.
    pub limit: Option<usize>,
    /// `--tag` and `--card`: only these cards.
    pub selection: crate::select::Selection,
    /// `--cram`: every selected card, due or not, without changing the schedule.
    pub cram: bool,
    /// `--shuffle`: the cram queue in random order.
    pub shuffle: bool,
}

/// Runs a review session on `input`/`out`; warnings go to `err`.
pub fn run(
    ctx: &Context,
    options: &Options,
    keys: &mut impl Keys,
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
    // Kept to the end of the process, as it would be anyway (see `keep_until_exit`): the
    // background check of the decks below borrows it and is not waited for.
    let catalog: &'static Catalog = Box::leak(Box::new(catalog?));
    let hidden = settings::read(&ctx.data.settings_path())?.hidden_decks;
    let now = ctx.clock.now();
    let today = study_day(now);
    let plan = super::active_plan(ctx, today)?;
    let mut decks = study_decks(catalog, &options.decks, &hidden, plan.as_ref())?;
    warn(err, catalog.warnings());
    let only = select_cards(catalog, &options.decks, &options.selection, &mut decks)?;
    let mut writer = ctx.data.open_writer_with(prefetched)?;
    warn(err, &writer.warnings);
    super::load_suspended(ctx, &mut writer.progress)?;

    if let Some(last) = writer.progress.last_at.filter(|last| *last > now) {
        warn(err, [format!(
            "the clock ({now}) is earlier than your last answer ({last}); cards are scheduled from today's date as given"
        )]);
    }
    let planned = super::resolve_plan(catalog, plan.as_ref(), &hidden, &writer.progress, today);
    let dues = super::dues(planned.as_ref());

    // Planned decks and the others count their introductions apart: the plan's pace
    // is for its own decks, and the other decks keep their usual limit.
    let planned_entries = plan
        .as_ref()
        .map(|p| super::planned_decks(catalog, p, &hidden))
        .unwrap_or_default();
    let introduced_on = |progress: &Progress, today| {
        let all = progress.introduced_on(today) as usize;
        (all, super::introduced_in(progress, &planned_entries, today))
    };
    let (introduced, introduced_planned) = introduced_on(&writer.progress, today);
    let default_new = DEFAULT_NEW_PER_DAY as usize;
    let intro = plan.as_ref().zip(planned.as_ref()).map(|(plan, planned)| {
        introductions(plan, planned.unseen, introduced_planned, today, default_new)
    });
    // `--new N` given on the command line is today's choice for every deck; without
    // it, planned decks follow the plan's pace and the others the default.
    let planned_daily = options
        .new
        .unwrap_or(intro.as_ref().map_or(default_new, |i| i.daily_today));
    let other_daily = options.new.unwrap_or(default_new);
    let allowance_on = |(introduced, introduced_planned): (usize, usize)| NewAllowance {
        planned: planned_daily.saturating_sub(introduced_planned),
        other: other_daily.saturating_sub(introduced.saturating_sub(introduced_planned)),
        total: options
            .new
            .map_or(usize::MAX, |n| n.saturating_sub(introduced)),
        // When the days left cannot fit every planned card, the core ones come first.
        core_first: intro.as_ref().is_some_and(|i| i.core_first()),
    };
    let allowance = allowance_on((introduced, introduced_planned));
    // What is left today over the decks chosen: new cards as far as today's allowances
    // go, each over the unseen cards of the decks that draw on it.
    let left = |progress: &Progress, today, dues: &Dues| {
        let (mut all, mut unseen_planned) = (Outlook::default(), 0);
        for (deck, seen) in decks.iter().zip(outlooks(&decks, progress, today, dues)) {
            all.add(&seen);
            if dues.deck(deck.id().as_str()).is_planned() {
                unseen_planned += seen.unseen as usize;
            }
        }
        let unseen_other = all.unseen as usize - unseen_planned;
        let room = allowance_on(introduced_on(progress, today));
        let allowed = unseen_planned
            .min(room.planned)
            .saturating_add(unseen_other.min(room.other))
            .min(room.total);
        text::Left {
            outlook: all,
            new_today: u32::try_from(allowed).unwrap_or(u32::MAX),
        }
    };
    // On the interview day: the day's readiness and the cram, before anything else.
    if !options.cram {
        if let Some((plan, readiness)) =
            super::interview_today(ctx, catalog, &hidden, &writer.progress, today)?
        {
            let text = crate::render::plan::interview_today(&plan, &readiness, ctx.style);
            emit(out, &super::fit(ctx, &format!("{text}\n")))?;
        }
    }
    let limit = options.limit.unwrap_or(usize::MAX);
    let queue = if options.cram {
        let seed = options.shuffle.then(crate::select::fresh_seed);
        let mut queue = crate::select::cram_queue(&decks, &writer.progress, only.as_ref(), seed);
        queue.truncate(limit);
        queue
    } else {
        build_queue(
            &decks,
            &writer.progress,
            today,
            allowance,
            limit,
            dues,
            only.as_ref(),
        )
    };
    if queue.is_empty() && options.cram {
        return emit(out, "Nothing to cram: no card is chosen.\n");
    }
    if queue.is_empty() {
        let left = left(&writer.progress, today, dues);
        let limit_zero = options.limit == Some(0);
        let mut text = text::nothing_due(&left, today, limit_zero, ctx.style);
        // A day with no cards due is still a day to rehearse; `--limit 0` only asks
        // what is waiting, so it gets the answer alone.
        if !limit_zero {
            text.push_str(&super::rehearse::suggestion(ctx, today));
        }
        return emit(out, &super::fit(ctx, &text));
    }

    let new_count = queue.iter().filter(|i| i.new).count();
    // Two lines: with the keys on the first, it ran past 80 columns.
    let mut intro_text = if options.cram {
        format!(
            "{} ({} new); the schedule stays as it is.\n{}\n",
            ctx.style
                .bold(&format!("Cramming {}", plural(queue.len(), "card"))),
            new_count,
            ctx.style.dim(keys.intro())
        )
    } else {
        format!(
            "{} ({} due, {} new).\n{}\n",
            ctx.style
                .bold(&format!("Reviewing {}", plural(queue.len(), "card"))),
            queue.len() - new_count,
            new_count,
            ctx.style.dim(keys.intro())
        )
    };
    if let (Some(plan), Some(projected), false) = (&plan, &intro, options.cram) {
        intro_text.push_str(&crate::render::plan::pacing(
            plan,
            projected,
            planned.as_ref().map_or(0, |p| p.unseen),
            options.new,
            today,
        ));
    }
    emit(out, &super::fit(ctx, &intro_text))?;

    let (ready_before, mut spreader) = match planned {
        Some(planned) => (Some(planned.readiness), Some(planned.spreader)),
        None => (None, None),
    };
    let clock = ctx.clock;
    let mut wanted: Vec<&'static catalog::Entry> = Vec::new();
    for item in &queue {
        if !wanted.iter().any(|e| std::ptr::eq(*e, item.entry)) {
            wanted.push(item.entry);
        }
    }
    // Decks that came from the deck index show each card read alone from its range in
    // the file. The whole of each deck is read and validated on a thread of its own, in
    // the order the queue reaches the decks, while the person reads the cards: a deck
    // that proves invalid has no further card shown (its error ends the session as a
    // deck that cannot be read does). An answer is not held back for this check: the
    // card it grades passed every card check and sits in a file whose stamp is the one
    // indexed, which was written only for a deck that validated in full.
    let stop = catalog::check_in_background(wanted);
    let result = session::run(
        queue,
        &mut writer,
        keys,
        out,
        Timing {
            now: &|| clock.now(),
            study_day: &study_day,
            spreader: spreader.as_mut(),
        },
        session::Options {
            style: ctx.style,
            width: ctx.width,
        },
    );
    stop.store(true, Ordering::Relaxed);
    // The log already holds every answer; the snapshot only speeds up the next start,
    // and is rewritten only when the log after it has grown past the bound.
    let outlines: Vec<&crate::deck::Outline> = catalog.decks.iter().map(|e| &e.outline).collect();
    match writer.save_snapshot_if_due(&outlines) {
        Ok(_) => {}
        // Said once: by the session if it stopped on it, else here, as a failure, since
        // this session's answers may not be in the log now at its path.
        Err(e @ crate::error::Error::LogReplaced { .. }) => {
            if result.is_ok() {
                return Err(e);
            }
        }
        Err(e) => warn(
            err,
            [format!(
                "could not update the snapshot ({e}); it will be rebuilt from the log next time"
            )],
        ),
    }
    let summary = result?;
    // The day may have changed during the session, and the answers moved cards: the
    // due days are read again for what comes next.
    let today = study_day(clock.now());
    let after = super::resolve_plan(catalog, plan.as_ref(), &hidden, &writer.progress, today);
    let dues = super::dues(after.as_ref());
    let left = left(&writer.progress, today, dues);
    let ready = ready_before.zip(after.as_ref().map(|a| a.readiness));
    let mut text = text::summary(&summary, &left, today, ready, ctx.style);
    if options.cram {
        text.push_str("  Cram:      answers logged apart; no card's schedule changed.\n");
    }
    text.push_str(&super::rehearse::suggestion(ctx, today));
    // The progress and the decks, not the writer: dropping it releases the lock.
    drop(decks);
    super::keep_until_exit((std::mem::take(&mut writer.progress), catalog));
    drop(writer);
    emit(out, &super::fit(ctx, &text))
}

/// The cards `--card` and `--tag` choose (`None`: every card of `decks`). The decks of
/// cards named by `--card` join `decks`, even hidden ones: naming a card asks for it.
fn select_cards<'c>(
    catalog: &'c Catalog,
    names: &[String],
    selection: &crate::select::Selection,
    decks: &mut Vec<&'c catalog::Entry>,
) -> Result<Option<crate::progress::CardKeys>> {
    if selection.is_all() {
        return Ok(None);
    }
    let pool: Vec<&catalog::Entry> = if names.is_empty() {
        catalog.decks.iter().collect()
    } else {
        decks.clone()
    };
    let cards = crate::select::resolve_cards(&selection.cards, &pool)?;
    let tagged = crate::select::allowed(
        &crate::select::Selection {
            tags: selection.tags.clone(),
            cards: Vec::new(),
        },
        &[],
        decks,
    )?;
    let mut keys = tagged.unwrap_or_default();
    keys.extend(cards.iter().cloned());
    let named = |e: &&catalog::Entry| {
        cards
            .iter()
            .any(|k| crate::progress::deck_of(k) == e.id().as_str())
    };
    *decks = catalog
        .decks
        .iter()
        .filter(|e| decks.iter().any(|d| std::ptr::eq(*d, *e)) || named(e))
        .collect();
    Ok(Some(keys))
}

/// The decks to study: those named, or when none is named every deck not hidden, plus
/// the decks an active plan names even if hidden (the plan asks for them). In catalog
/// order.
fn study_decks<'c>(
    catalog: &'c Catalog,
    names: &[String],
    hidden: &BTreeSet<String>,
    plan: Option<&crate::plan::Plan>,
) -> Result<Vec<&'c catalog::Entry>> {
    let selected = catalog.select_for_study(names, hidden)?;
    let Some(plan) = plan.filter(|_| names.is_empty()) else {
        return Ok(selected);
    };
    let planned = super::planned_decks(catalog, plan, hidden);
    let chosen =
        |e: &catalog::Entry, list: &[&catalog::Entry]| list.iter().any(|x| std::ptr::eq(*x, e));
    Ok(catalog
        .decks
        .iter()
        .filter(|e| chosen(e, &selected) || chosen(e, &planned))
        .collect())
}
