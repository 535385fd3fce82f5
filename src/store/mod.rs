//! The data directory: review log, snapshot, user decks, writer lock.
//!
//! Layout (documented in docs/progress-format.md):
//! `reviews.jsonl` (the truth), `state.json` (a cache of it), `decks/ID.json`
//! (user decks), `settings.json` (hidden decks), `review.lock` (held by the one
//! writer), `decks.lock` (held while deck files or settings are rewritten).

pub mod atomic;
pub mod lock;
pub mod log;
pub mod settings;
pub mod snapshot;

use crate::error::{Error, Result};
use crate::progress::{Entry, Progress};
use log::{LogWriter, Scan};
use snapshot::Found;
use std::path::{Path, PathBuf};

pub use lock::WriterLock;

/// The data directory and the files in it.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

/// Progress read from the data directory, with anything worth a warning.
#[derive(Debug)]
pub struct Loaded {
    /// Card states and tallies.
    pub progress: Progress,
    /// Where the log replay ended.
    pub scan: Scan,
    /// Things the user should know (torn line skipped, snapshot rebuilt).
    pub warnings: Vec<String>,
    /// The snapshot was damaged and should be set aside before it is replaced.
    snapshot_damaged: bool,
}

impl DataDir {
    /// The directory given (by `--data-dir` or `PREPDECK_DATA_DIR`), else the platform's.
    pub fn resolve(given: Option<PathBuf>) -> Result<DataDir> {
        let root = match given {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => directories::ProjectDirs::from("", "", "prepdeck")
                .map(|dirs| dirs.data_dir().to_path_buf())
                .ok_or(Error::NoDataDir)?,
        };
        Ok(DataDir { root })
    }

    /// A data directory at `root`.
    pub fn at(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The review log, `reviews.jsonl`.
    pub fn log_path(&self) -> PathBuf {
        self.root.join("reviews.jsonl")
    }

    /// The snapshot, `state.json`.
    pub fn snapshot_path(&self) -> PathBuf {
        self.root.join("state.json")
    }

    /// Where user decks live, `decks/`.
    pub fn decks_dir(&self) -> PathBuf {
        self.root.join("decks")
    }

    /// `settings.json`: hidden decks.
    pub fn settings_path(&self) -> PathBuf {
        self.root.join("settings.json")
    }

    /// Held while deck files or settings are rewritten (`add`, `import`, `remove`, `decks hide`).
    pub fn decks_lock_path(&self) -> PathBuf {
        self.root.join("decks.lock")
    }

    /// Removes the temporary files that writers killed mid-write left in `decks/`.
    ///
    /// Only call while holding the decks lock: every writer of `decks/` holds it, so no
    /// temporary file there can belong to a live writer.
    pub fn remove_orphaned_deck_temp_files(&self) -> Result<()> {
        let dir = self.decks_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io("read", &dir, e)),
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(atomic::TEMP_PREFIX) && name.ends_with(atomic::TEMP_SUFFIX) {
                let path = entry.path();
                std::fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e))?;
            }
        }
        Ok(())
    }

    /// The writer lock file.
    pub fn lock_path(&self) -> PathBuf {
        self.root.join("review.lock")
    }

    /// Creates the directory (and `decks/`) if needed.
    pub fn create(&self) -> Result<()> {
        let decks = self.decks_dir();
        std::fs::create_dir_all(&decks)
            .map_err(|e| Error::io("create the data directory", &decks, e))
    }

    /// Reads progress without writing anything: snapshot plus the log after it.
    pub fn load(&self) -> Result<Loaded> {
        let log_path = self.log_path();
        let mut warnings = Vec::new();
        let mut snapshot_damaged = false;
        let (mut progress, from, lines) = match snapshot::read(&self.snapshot_path())? {
            Found::Valid(snap) if snapshot::matches_log(&snap, &log_path)? => {
                (snap.progress, snap.log_offset, snap.log_lines)
            }
            Found::Valid(_) => {
                warnings.push(format!(
                    "{} does not match the review log; progress was rebuilt from {}",
                    self.snapshot_path().display(),
                    log_path.display()
                ));
                (Progress::default(), 0, 0)
            }
            Found::Damaged(why) => {
                snapshot_damaged = true;
                warnings.push(format!(
                    "{} is damaged ({why}); progress was rebuilt from {}",
                    self.snapshot_path().display(),
                    log_path.display()
                ));
                (Progress::default(), 0, 0)
            }
            Found::Missing => (Progress::default(), 0, 0),
        };
        let scan = log::replay(&log_path, from, lines, &mut progress)?;
        if let Some(torn) = &scan.torn {
            warnings.push(format!(
                "skipped line {} of {}: it is incomplete, most likely from a crash while it was written",
                torn.line,
                log_path.display()
            ));
        }
        Ok(Loaded {
            progress,
            scan,
            warnings,
            snapshot_damaged,
        })
    }

    /// Takes the writer lock, loads progress and repairs what a crash left behind.
    pub fn open_writer(&self) -> Result<Writer> {
        self.create()?;
        let lock = WriterLock::acquire(&self.root, &self.lock_path())?;
        let loaded = self.load()?;
        if loaded.snapshot_damaged {
            self.set_aside_snapshot()?;
        }
        let log = LogWriter::open(&self.log_path(), &loaded.scan)?;
        Ok(Writer {
            dir: self.clone(),
            _lock: lock,
            log,
            progress: loaded.progress,
            warnings: loaded.warnings,
        })
    }

    /// Keeps a damaged snapshot as `state.json.damaged-N` instead of overwriting it.
    fn set_aside_snapshot(&self) -> Result<()> {
        let from = self.snapshot_path();
        let to = (1..)
            .map(|n| self.root.join(format!("state.json.damaged-{n}")))
            .find(|p| !p.exists())
            .unwrap_or_else(|| self.root.join("state.json.damaged"));
        std::fs::rename(&from, &to).map_err(|e| Error::io("set aside", &from, e))
    }
}

/// The one writer of a data directory: appends answers and saves the snapshot.
#[derive(Debug)]
pub struct Writer {
    dir: DataDir,
    _lock: WriterLock,
    log: LogWriter,
    /// Progress including every entry appended so far.
    pub progress: Progress,
    /// Warnings from loading.
    pub warnings: Vec<String>,
}

impl Writer {
    /// Makes `entry` durable, then folds it into `progress`.
    pub fn append(&mut self, entry: &Entry) -> Result<()> {
        self.log.append(entry)?;
        self.progress.apply(entry);
        Ok(())
    }

    /// Replaces the snapshot atomically with the current progress.
    pub fn save_snapshot(&self) -> Result<()> {
        snapshot::write(
            &self.dir.snapshot_path(),
            self.log.position(),
            &self.progress,
        )
    }
}
