//! `prepdeck export`: a deck as prepdeck JSON or as TSV for Anki.

use super::{emit, Context};
use crate::catalog::Catalog;
use crate::error::Result;
use crate::render::plural;
use crate::render::text::one_line;
use crate::store::atomic::write_atomic_shareable;
use std::io::Write;
use std::path::PathBuf;

/// Formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Exactly the deck file prepdeck writes (`Deck::to_json`): lossless.
    Json,
    /// Tab-separated text with Anki's header lines.
    Tsv,
}

/// What to export and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The deck id.
    pub deck: String,
    /// JSON or TSV.
    pub format: Format,
    /// A file to replace atomically; standard output when `None`.
    pub output: Option<PathBuf>,
}

/// Writes the deck to the file or to `out`; a confirmation goes to `err`.
pub fn run(
    ctx: &Context,
    options: &Options,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let catalog = Catalog::load(&ctx.data)?;
    let deck = catalog.require(&options.deck)?.deck()?;
    let text = match options.format {
        Format::Json => deck.to_json(),
        Format::Tsv => crate::text_deck::to_tsv(deck),
    };
    match &options.output {
        None => emit(out, &text),
        Some(path) => {
            write_atomic_shareable(path, text.as_bytes())?;
            let _ = writeln!(
                err,
                "Wrote deck {} ({}) to {}.",
                deck.id,
                plural(deck.cards.len(), "card"),
                one_line(&path.display().to_string())
            );
            Ok(())
        }
    }
}
