//! `prepdeck export`: a deck as prepdeck JSON or as TSV for Anki.

use super::{emit, Context};
use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::render::plural;
use crate::render::text::one_line;
use crate::store::atomic::write_atomic_shareable;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Exactly the deck file prepdeck writes (`Deck::to_json`): lossless.
    Json,
    /// Tab-separated text with Anki's header lines.
    Tsv,
    /// Comma-separated text with an id column, for spreadsheets.
    Csv,
}

/// What to export and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The deck id.
    pub deck: String,
    /// JSON or TSV.
    pub format: Format,
    /// A file to replace atomically; standard output when `None` or `-`.
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
        Format::Csv => crate::text_deck::to_csv(deck),
    };
    // `-` is standard output, as for most tools; a file named `-` is `-o ./-`.
    match options.output.as_deref().filter(|p| *p != Path::new("-")) {
        None => emit(out, &text),
        Some(path) => {
            let target = follow_links(path)?;
            if target.is_dir() {
                return Err(Error::Invalid(format!(
                    "{} is a directory; give a file name, e.g. -o {}",
                    target.display(),
                    target.join(format!("{}.json", deck.id)).display()
                )));
            }
            write_atomic_shareable(&target, text.as_bytes())?;
            let through = if target == path {
                String::new()
            } else {
                format!(" → {}", one_line(&target.display().to_string()))
            };
            let _ = writeln!(
                err,
                "Wrote deck {} ({}) to {}{through}.",
                deck.id,
                plural(deck.cards.len(), "card"),
                one_line(&path.display().to_string())
            );
            Ok(())
        }
    }
}

/// Symbolic links are followed at most this many times (Linux's own limit).
const MAX_LINKS: usize = 40;

/// `path` with the symbolic links at its end followed: the file that replacing `path`
/// should replace. A user who exports to a link means its target (as a shell's `>`
/// writes through a link); replacing the link itself with a regular file would leave
/// the target stale. A link to a missing file gives that file, which is then created.
pub(super) fn follow_links(given: &Path) -> Result<PathBuf> {
    let mut path = given.to_path_buf();
    for _ in 0..MAX_LINKS {
        let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            return Ok(path);
        }
        let target = std::fs::read_link(&path).map_err(|e| Error::io("read the link", &path, e))?;
        // A relative target is relative to the link's directory; `join` keeps an
        // absolute one as it is.
        path = match path.parent() {
            Some(dir) => dir.join(target),
            None => target,
        };
    }
    Err(Error::Invalid(format!(
        "{} is a loop or a chain of more than {MAX_LINKS} symbolic links; give the file to write with -o",
        given.display()
    )))
}
