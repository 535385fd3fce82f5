//! `prepdeck review`: due cards, then new ones, every answer saved as it is given.

use super::{emit, warn, Context};
use crate::catalog::Catalog;
use crate::clock::study_day;
use crate::error::Result;
use crate::render::review as text;
use crate::session::{self, build_queue};
use crate::stats::next_due;
use std::io::{BufRead, Write};

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
    let catalog = Catalog::load(&ctx.data)?;
    let hidden = crate::store::settings::read(&ctx.data.settings_path())?.hidden_decks;
    let decks = catalog.select_for_study(&options.decks, &hidden)?;
    warn(err, &catalog.warnings);
    let mut writer = ctx.data.open_writer()?;
    warn(err, &writer.warnings);

    let now = ctx.clock.now();
    let today = study_day(now);
    if let Some(last) = writer.progress.last_at.filter(|last| *last > now) {
        warn(err, [format!(
            "the clock ({now}) is earlier than your last answer ({last}); cards are scheduled from today's date as given"
        )]);
    }
    let introduced = writer.progress.introduced_on(today) as usize;
    let new_allowed = options.new.saturating_sub(introduced);
    let queue = build_queue(
        &decks,
        &writer.progress,
        today,
        new_allowed,
        options.limit.unwrap_or(usize::MAX),
    );
    if queue.is_empty() {
        let has_unseen = decks.iter().any(|d| {
            d.deck.cards.iter().any(|c| {
                writer
                    .progress
                    .card(&format!("{}/{}", d.deck.id, c.id))
                    .is_none()
            })
        });
        let next = next_due(&decks, &writer.progress, today);
        return emit(
            out,
            &text::nothing_due(next, today, has_unseen && new_allowed == 0, ctx.style),
        );
    }

    let new_count = queue.iter().filter(|i| i.new).count();
    emit(
        out,
        &format!(
            "{} ({} due, {} new). Enter shows the answer; grade 0-5; u undoes; q quits.\n",
            ctx.style
                .bold(&format!("Reviewing {}", text::cards(queue.len() as u64))),
            queue.len() - new_count,
            new_count
        ),
    )?;
    let clock = ctx.clock;
    let result = session::run(
        queue,
        &mut writer,
        input,
        out,
        &|| clock.now(),
        &study_day,
        session::Options {
            echo_input: !ctx.interactive,
            style: ctx.style,
        },
    );
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
    let next = next_due(&decks, &writer.progress, today);
    emit(out, &text::summary(&summary, next, today, ctx.style))
}
