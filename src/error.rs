//! The one error type of prepdeck; every message says what, where and what to do.

use crate::deck::DeckError;
use std::io;
use std::path::PathBuf;

/// Everything that can stop a prepdeck command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A deck file failed validation; the message lists every problem.
    #[error("{0}")]
    Deck(#[from] DeckError),

    /// Reading or writing a file failed.
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        /// What prepdeck was doing, e.g. "read".
        action: &'static str,
        /// The file or directory concerned.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },

    /// An answer could not be made durable; the session stops rather than lose more.
    #[error("your last answer was NOT saved: could not write {}: {source}; free some disk space or fix the permissions, then run the review again", path.display())]
    AnswerNotSaved {
        /// The review log.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },

    /// The review log at its path is no longer the file the review writes to: replaced
    /// (a sync tool) or removed (the data directory deleted) while the review ran.
    #[error("{}{} was {} while the review ran ({}); the review stopped so that no answer goes to a file that is no longer there. Answers given before may be missing from what is there now; run `prepdeck review` again to go on", if *.answer { "your last answer was NOT saved: " } else { "" }, path.display(), if *.removed { "removed" } else { "replaced by another file" }, if *.removed { "was the data directory deleted or moved?" } else { "a sync tool such as Dropbox or Syncthing does this" })]
    LogReplaced {
        /// The review log.
        path: PathBuf,
        /// Nothing is at the path any more.
        removed: bool,
        /// Found while an answer was being saved (that answer is not saved).
        answer: bool,
    },

    /// A progress file is damaged in a way prepdeck will not guess about.
    #[error("{} is damaged at line {line}: {detail}; it was left untouched. Restore it from a backup, or fix or remove that line by hand", path.display())]
    Damaged {
        /// The damaged file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        detail: String,
    },

    /// A file was written by a newer prepdeck.
    #[error("{} was written by a newer prepdeck (format version {found}; this one reads up to {supported}); it was left untouched. Upgrade prepdeck to use this data directory", path.display())]
    NewerFormat {
        /// The file.
        path: PathBuf,
        /// The version found in it.
        found: u64,
        /// The newest version this build reads.
        supported: u32,
    },

    /// Another process holds the writer lock.
    #[error("another prepdeck review is already running on {} (lock file {}); finish or quit it first. `prepdeck stats`, `cards` and `decks` work meanwhile", dir.display(), lock.display())]
    Locked {
        /// The data directory.
        dir: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },

    /// `PREPDECK_NOW` is not an RFC 3339 timestamp.
    #[error("PREPDECK_NOW is set to {value:?}, which is not an RFC 3339 timestamp; use a value like 2026-11-22T09:00:00+01:00 or unset it")]
    BadClock {
        /// The value found.
        value: String,
    },

    /// No data directory could be determined.
    #[error("cannot find a data directory (neither HOME nor XDG_DATA_HOME is set to an absolute path; relative ones are ignored); pass --data-dir DIR or set PREPDECK_DATA_DIR")]
    NoDataDir,

    /// A deck named on the command line does not exist.
    #[error(
        "there is no deck \"{id}\";{hint} known decks: {known}. Run `prepdeck decks` to list them"
    )]
    UnknownDeck {
        /// The id given.
        id: String,
        /// " did you mean \"ID\"?" for a near miss, else empty.
        hint: String,
        /// The ids that exist, comma-separated.
        known: String,
    },

    /// The user asked for something that cannot be done; the message says why and what to do.
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    /// An [`Error::Io`] for `action` on `path`.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// Shorthand for results in prepdeck.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// True when the reader of our output went away (`prepdeck cards | head`): not worth a message.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}
