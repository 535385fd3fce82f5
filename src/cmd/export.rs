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
        Format::Tsv => crate::deck::text::to_tsv(deck),
        Format::Csv => crate::deck::text::to_csv(deck),
    };
    // `-` is standard output, as for most tools; a file named `-` is `-o ./-`.
    match options.output.as_deref().filter(|p| *p != Path::new("-")) {
        None => emit(out, &text),
        Some(path) => {
            let target = match Destination::of(path)? {
                Destination::Directory(dir) => {
                    return Err(Error::Invalid(format!(
                        "{} is a directory; give a file name, e.g. -o {}",
                        dir.display(),
                        dir.join(format!("{}.json", deck.id)).display()
                    )))
                }
                Destination::Stream => {
                    refuse_data_dir(ctx, path)?;
                    write_through(path, text.as_bytes())?;
                    path.to_path_buf()
                }
                Destination::File(target) => {
                    refuse_data_dir(ctx, &target)?;
                    write_atomic_shareable(&target, text.as_bytes())?;
                    target
                }
            };
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

/// What `-o PATH` writes to, decided the way a shell's `>` would.
enum Destination {
    /// A regular file or a new path (symbolic links at its end followed): replaced
    /// atomically, so a reader never sees half a deck.
    File(PathBuf),
    /// A named pipe, a terminal or another character device (`/dev/null`), or a
    /// descriptor path (`/dev/stdout`, `/dev/fd/63` from `-o >(gzip > x)`): opened and
    /// written to. Replacing one with a regular file would break whatever uses it.
    Stream,
    /// A directory: an error.
    Directory(PathBuf),
}

impl Destination {
    fn of(path: &Path) -> Result<Destination> {
        // Through every link, as the kernel resolves them: `/dev/stdout` and `/dev/fd/N`
        // are links a path cannot name (`pipe:[1234]`).
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            // A new path, or a dangling or looping link: `follow_links` finds the file
            // to create or says what is wrong.
            Err(_) => return follow_links(path).map(Destination::File),
        };
        let kind = meta.file_type();
        if kind.is_dir() {
            return follow_links(path).map(Destination::Directory);
        }
        if kind.is_file() {
            return Ok(if is_descriptor_path(path) {
                Destination::Stream
            } else {
                Destination::File(follow_links(path)?)
            });
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if kind.is_fifo() || kind.is_char_device() {
                return Ok(Destination::Stream);
            }
        }
        Err(Error::Invalid(format!(
            "{} is neither a file, a pipe nor a terminal (a block device or a socket?); give a file name to write the deck to",
            path.display()
        )))
    }
}

/// True for a path that names an open descriptor (`/dev/stdout`, `/dev/fd/3`,
/// `/proc/self/fd/3`): writing "to the file" there means writing to that descriptor.
fn is_descriptor_path(path: &Path) -> bool {
    let text = path.as_os_str().as_encoded_bytes();
    [&b"/dev/stdout"[..], b"/dev/stderr"].contains(&text)
        || text.starts_with(b"/dev/fd/")
        || (text.starts_with(b"/proc/") && text.windows(4).any(|w| w == b"/fd/"))
}

/// Writes `bytes` to the pipe, device or descriptor at `path`, as a shell's `>` does:
/// opened for writing (waiting for a pipe's reader), truncated if it is a file.
fn write_through(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .map_err(|e| Error::io("open", path, e))?;
    file.write_all(bytes)
        .and_then(|()| file.flush())
        .map_err(|e| Error::io("write", path, e))
}

/// Refuses to write anywhere inside the data directory: `-o` there could overwrite the
/// review log, the snapshot or a deck file behind prepdeck's back.
fn refuse_data_dir(ctx: &Context, target: &Path) -> Result<()> {
    let Ok(root) = std::fs::canonicalize(ctx.data.root()) else {
        // No data directory yet: nothing in it to overwrite.
        return Ok(());
    };
    let resolved = std::fs::canonicalize(target).ok().or_else(|| {
        let name = target.file_name()?;
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty());
        let parent = std::fs::canonicalize(parent.unwrap_or(Path::new("."))).ok()?;
        Some(parent.join(name))
    });
    match resolved {
        Some(resolved) if resolved.starts_with(&root) => Err(Error::Invalid(format!(
            "{} is inside the data directory {}, which only prepdeck writes; export to a file elsewhere",
            target.display(),
            ctx.data.root().display()
        ))),
        _ => Ok(()),
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
