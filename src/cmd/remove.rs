//! `prepdeck remove`: deletes an installed deck file; its review history stays in the log.

use super::{emit, Context};
use crate::catalog::{is_built_in, user_deck_path};
use crate::deck::{self, Id};
use crate::error::{Error, Result};
use crate::render::plural;
use crate::render::text::one_line;
use crate::store::{atomic::sync_dir, WriterLock};
use std::io::{BufRead, Write};

/// What to remove.
#[derive(Debug, Clone)]
pub struct Options {
    /// The deck id.
    pub deck: String,
    /// Confirmed already (needed when standard input is not a terminal).
    pub yes: bool,
}

/// Removes the deck after confirmation; the question goes to `err`, the answer comes from `input`.
pub fn run(
    ctx: &Context,
    options: &Options,
    input: &mut impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let id = Id::parse(&options.deck).map_err(|why| Error::Invalid(format!("DECK: {why}")))?;
    if is_built_in(id.as_str())? {
        return Err(Error::Invalid(format!(
            "{id} is a built-in deck and cannot be removed; to leave it out of review and stats, run `prepdeck decks hide {id}`"
        )));
    }
    let path = user_deck_path(&ctx.data, &id);
    if std::fs::symlink_metadata(&path).is_err() {
        return Err(Error::Invalid(format!(
            "there is no installed deck {id} ({}); `prepdeck decks` lists your decks",
            path.display()
        )));
    }
    let shown = one_line(&path.display().to_string());
    if !options.yes {
        if !ctx.interactive {
            return Err(Error::Invalid(format!(
                "removing deck {id} needs confirmation and standard input is not a terminal; pass --yes to remove it"
            )));
        }
        // A damaged file can still be removed; the card count is only a courtesy.
        let cards = deck::load(&path)
            .map(|p| format!("{}, ", plural(p.deck.cards.len(), "card")))
            .unwrap_or_default();
        let _ = write!(
            err,
            "Remove deck {id} ({cards}{shown})? Its review history is kept. [y/N] "
        );
        let _ = err.flush();
        let mut answer = String::new();
        input
            .read_line(&mut answer)
            .map_err(|e| Error::io("read", "standard input", e))?;
        if !matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            return emit(out, "Nothing was removed.\n");
        }
    }
    let _lock = WriterLock::wait(&ctx.data.decks_lock_path())?;
    std::fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e))?;
    sync_dir(&ctx.data.decks_dir())?;
    emit(
        out,
        &format!(
            "Removed deck {id} ({shown}). Its review history is kept: importing the deck again brings its progress back.\n"
        ),
    )
}
