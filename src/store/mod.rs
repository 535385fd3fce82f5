//! The data directory: review log, snapshot, user decks, writer lock.
//!
//! Layout (documented in docs/progress-format.md):
//! `reviews.jsonl` (the truth), `state.json` (a cache of it), `decks/ID.json`
//! (user decks), `deck-archive/` (own and retired cards, removed decks), `deck-index.json` (a cache of their outlines), `settings.json` (hidden decks), `review.lock` (held by the one
//! writer), `decks.lock` (held while deck files or settings are rewritten).

pub mod archive;
pub mod atomic;
pub mod deck_index;
pub mod file;
pub mod lock;
pub mod log;
pub mod rehearsal_index;
pub mod settings;
pub mod snapshot;
pub mod stories;
pub mod suspended;
pub mod versioned;

use crate::deck::Outline;
use crate::error::{Error, Result};
use crate::plan::{Plan, PLAN_VERSION};
use crate::progress::{Entry, Progress};
use log::{LogWriter, Scan};
use snapshot::Found;
use std::path::{Path, PathBuf};

pub use lock::WriterLock;

/// Creates `dir` and any missing parents, each new one readable by its owner only.
pub(crate) fn create_private_dir(dir: &Path, what: &'static str) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| Error::io(what, dir, e))
}

/// The data directory and the files in it.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

/// A valid snapshot read before the writer lock was taken, so that it can be parsed
/// while the decks load. [`DataDir::open_writer_with`] uses it only if the file is
/// still the one that was read; otherwise it reads the snapshot again under the lock.
#[derive(Debug)]
pub struct Prefetched {
    snapshot: Box<snapshot::Snapshot>,
    identity: snapshot::Identity,
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
    /// The log position and size of the snapshot that was used; `None` when there was
    /// no usable one (missing, damaged, unreadable or not matching the log).
    basis: Option<snapshot::Basis>,
}

impl DataDir {
    /// The directory given (by `--data-dir` or `PREPDECK_DATA_DIR`), else the platform's.
    ///
    /// An empty `PREPDECK_DATA_DIR=` counts as unset, as an empty `PREPDECK_NOW` does.
    pub fn resolve(given: Option<PathBuf>) -> Result<DataDir> {
        let given = given
            .filter(|dir| !dir.as_os_str().is_empty())
            .or_else(|| std::env::var_os(DATA_DIR_VAR).map(PathBuf::from));
        let root = match given {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ if !has_home() => return Err(Error::NoDataDir),
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

    /// The cache of user deck outlines.
    pub fn deck_index_path(&self) -> PathBuf {
        self.root.join("deck-index.json")
    }

    /// Where user decks live, `decks/`.
    pub fn decks_dir(&self) -> PathBuf {
        self.root.join("decks")
    }

    /// `settings.json`: hidden decks.
    pub fn settings_path(&self) -> PathBuf {
        self.root.join("settings.json")
    }

    /// `suspended.json`: cards taken out of review and the plan.
    pub fn suspended_path(&self) -> PathBuf {
        self.root.join("suspended.json")
    }

    /// Your stories, `stories.json`.
    pub fn stories_path(&self) -> PathBuf {
        self.root.join("stories.json")
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
            if atomic::is_temp_name(&name) {
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

    /// The interview plan, `plan.json`.
    pub fn plan_path(&self) -> PathBuf {
        self.root.join("plan.json")
    }

    /// The interview plan, if one is set. A damaged or newer file is an error, untouched.
    pub fn read_plan(&self) -> Result<Option<Plan>> {
        let path = self.plan_path();
        // A plan is a date and a few deck ids.
        let bytes = match file::read_bounded(&path, 1024 * 1024) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io("read", &path, e)),
        };
        #[derive(serde::Deserialize)]
        struct Probe {
            format_version: u64,
        }
        if let Ok(probe) = serde_json::from_slice::<Probe>(&bytes) {
            if probe.format_version > u64::from(PLAN_VERSION) {
                return Err(Error::NewerFormat {
                    path,
                    found: probe.format_version,
                    supported: PLAN_VERSION,
                });
            }
        }
        serde_json::from_slice::<Plan>(&bytes)
            .map(Some)
            .map_err(|e| Error::Invalid(format!(
                "{} is damaged ({e}); it was left untouched. Fix it, or move it away and set the date again with `prepdeck plan --interview YYYY-MM-DD`",
                path.display()
            )))
    }

    /// Saves `plan` atomically.
    pub fn write_plan(&self, plan: &Plan) -> Result<()> {
        self.create()?;
        let mut text = serde_json::to_string_pretty(plan)
            .map_err(|e| Error::io("write", self.plan_path(), std::io::Error::other(e)))?;
        text.push('\n');
        atomic::write_atomic(&self.plan_path(), text.as_bytes())
    }

    /// Removes the plan. A damaged `plan.json` is moved aside to `plan.json.damaged-N`
    /// rather than deleted (clearing is an explicit request, but what was in it is
    /// kept); one from a newer prepdeck is refused, untouched.
    pub fn clear_plan(&self) -> Result<PlanCleared> {
        let path = self.plan_path();
        let cleared = match self.read_plan() {
            Ok(None) => return Ok(PlanCleared::NoPlan),
            Ok(Some(_)) => {
                std::fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e))?;
                PlanCleared::Removed
            }
            // `read_plan` reports a file it cannot parse as Invalid.
            Err(Error::Invalid(_)) => PlanCleared::SetAside(self.set_aside(&path)?),
            Err(e) => return Err(e),
        };
        atomic::sync_dir(&self.root)?;
        Ok(cleared)
    }

    /// Creates the directory (and `decks/`) if needed, readable by its owner only: it
    /// holds one person's answers and private decks.
    pub fn create(&self) -> Result<()> {
        create_private_dir(&self.decks_dir(), "create the data directory")
    }

    /// Reads a valid snapshot ahead of [`DataDir::open_writer_with`]; `None` when there is
    /// none, it is damaged or it cannot be read (the writer then reads it under the lock,
    /// with the usual warnings and errors).
    pub fn prefetch_snapshot(&self) -> Option<Prefetched> {
        match snapshot::read_identified(&self.snapshot_path()) {
            Ok((Found::Valid(snapshot), Some(identity))) => Some(Prefetched { snapshot, identity }),
            _ => None,
        }
    }

    /// Reads progress without writing anything: snapshot plus the log after it.
    ///
    /// A torn last line is reported only when no writer holds the lock: under a live
    /// `review` it is the answer being written this very moment, not a crash.
    pub fn load(&self) -> Result<Loaded> {
        self.load_with(None, true)
    }

    fn load_with(&self, prefetched: Option<Prefetched>, reader: bool) -> Result<Loaded> {
        let log_path = self.log_path();
        let mut warnings = Vec::new();
        let mut snapshot_damaged = false;
        let (found, identity) = match prefetched {
            Some(p) if p.identity.still_at(&self.snapshot_path()) => {
                (Found::Valid(p.snapshot), Some(p.identity))
            }
            _ => snapshot::read_identified(&self.snapshot_path())?,
        };
        let mut basis = None;
        let (mut progress, from, lines, snapshot_last_line) = match found {
            // Written before moved built-in cards were followed (catalog::MOVED_CARDS):
            // its states under the old keys are folded again from the log, once; the next
            // review saves the snapshot anew.
            Found::Valid(snap) if holds_moved_cards(&snap.progress) => {
                (Progress::default(), 0, 0, None)
            }
            Found::Valid(snap) if snapshot::matches_log(&snap, &log_path)? => {
                basis = Some(snapshot::Basis {
                    log_offset: snap.log_offset,
                    log_lines: snap.log_lines,
                    bytes: identity.as_ref().map_or(0, snapshot::Identity::bytes),
                    format_version: snap.format_version,
                });
                (
                    snap.progress,
                    snap.log_offset,
                    snap.log_lines,
                    snap.log_last_line,
                )
            }
            Found::Valid(_) => {
                warnings.push(format!(
                    "{} does not match the review log; progress was rebuilt from {}",
                    self.snapshot_path().display(),
                    log_path.display()
                ));
                (Progress::default(), 0, 0, None)
            }
            Found::Damaged(why) => {
                snapshot_damaged = true;
                warnings.push(format!(
                    "{} is damaged ({why}); progress was rebuilt from {}",
                    self.snapshot_path().display(),
                    log_path.display()
                ));
                (Progress::default(), 0, 0, None)
            }
            Found::Unreadable(why) => {
                warnings.push(format!(
                    "{} could not be read ({why}); progress was rebuilt from {}",
                    self.snapshot_path().display(),
                    log_path.display()
                ));
                (Progress::default(), 0, 0, None)
            }
            Found::Missing => (Progress::default(), 0, 0, None),
        };
        let mut scan = log::replay(&log_path, from, lines, &mut progress)?;
        // With no good line after the snapshot, the log still ends with the snapshot's
        // last line; without it a snapshot saved now would record none and not match
        // the log on the next start, which then rebuilt everything from the log.
        if scan.last_line.is_none() {
            scan.last_line = snapshot_last_line;
        }
        let writing_now = || reader && WriterLock::is_held(&self.lock_path());
        if let Some(torn) = scan.torn.as_ref().filter(|_| !writing_now()) {
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
            basis,
        })
    }

    /// Takes the writer lock, loads progress and repairs what a crash left behind.
    pub fn open_writer(&self) -> Result<Writer> {
        self.open_writer_with(None)
    }

    /// [`DataDir::open_writer`], using a snapshot read ahead if its file is unchanged.
    pub fn open_writer_with(&self, prefetched: Option<Prefetched>) -> Result<Writer> {
        self.create().map_err(|e| self.not_writable(e))?;
        let lock =
            WriterLock::acquire(&self.root, &self.lock_path()).map_err(|e| self.not_writable(e))?;
        // A temporary file this old is what a killed write left behind, not one in progress.
        atomic::sweep_stale_temps(&self.root, std::time::Duration::from_secs(600));
        let loaded = self.load_with(prefetched, false)?;
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
            basis: loaded.basis,
        })
    }

    /// Turns a permission or read-only-filesystem failure into a message about the directory.
    fn not_writable(&self, error: Error) -> Error {
        use std::io::ErrorKind::{PermissionDenied, ReadOnlyFilesystem};
        match &error {
            Error::Io { source, .. } if matches!(source.kind(), PermissionDenied | ReadOnlyFilesystem) => {
                Error::Invalid(format!(
                    "cannot write to the data directory {} ({source}); prepdeck saves every answer there before showing the next card. Fix its permissions, or choose another with --data-dir DIR",
                    self.root.display()
                ))
            }
            _ => error,
        }
    }

    /// Keeps a damaged snapshot as `state.json.damaged-N` instead of overwriting it.
    fn set_aside_snapshot(&self) -> Result<()> {
        self.set_aside(&self.snapshot_path()).map(drop)
    }

    /// Moves the damaged file `from` (in the data directory) to the first free
    /// `NAME.damaged-N` beside it, and says where.
    fn set_aside(&self, from: &std::path::Path) -> Result<PathBuf> {
        let name = from
            .file_name()
            .map_or_else(Default::default, |n| n.to_string_lossy());
        let to = (1..)
            .map(|n| self.root.join(format!("{name}.damaged-{n}")))
            .find(|p| !p.exists())
            .unwrap_or_else(|| self.root.join(format!("{name}.damaged")));
        std::fs::rename(from, &to).map_err(|e| Error::io("set aside", from, e))?;
        Ok(to)
    }
}

/// What [`DataDir::clear_plan`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanCleared {
    /// There was no plan.
    NoPlan,
    /// The plan was removed.
    Removed,
    /// `plan.json` was damaged and was moved to this path.
    SetAside(PathBuf),
}

/// Environment variable naming the data directory (like `--data-dir`).
pub const DATA_DIR_VAR: &str = "PREPDECK_DATA_DIR";

/// True when the platform data directory can be based on an absolute `HOME` or (on
/// Linux) `XDG_DATA_HOME`.
///
/// Without either (a service or a stripped environment) the `directories` crate would
/// fall back to the password database and write somewhere the user did not choose. A
/// relative value would put the data wherever the command happens to run; the XDG
/// specification calls relative paths invalid, and `HOME` is treated the same way.
/// True when `progress` has a state under a key a built-in card left (see
/// [`crate::catalog::MOVED_CARDS`]).
fn holds_moved_cards(progress: &Progress) -> bool {
    crate::catalog::MOVED_CARDS
        .iter()
        .any(|(old, _)| progress.card(old).is_some())
}

fn has_home() -> bool {
    let absolute = |name: &str| std::env::var_os(name).is_some_and(|v| Path::new(&v).is_absolute());
    !cfg!(unix) || absolute("HOME") || (cfg!(target_os = "linux") && absolute("XDG_DATA_HOME"))
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
    /// The snapshot on disk that matches the log, if any: where it stands decides
    /// whether [`Writer::save_snapshot_if_due`] replaces it.
    basis: Option<snapshot::Basis>,
}

impl Writer {
    /// Makes `entry` durable, then folds it into `progress`.
    pub fn append(&mut self, entry: &Entry) -> Result<()> {
        self.log.append(entry)?;
        self.progress.apply(entry);
        Ok(())
    }

    /// Makes a rehearsal durable in the log; card progress does not change.
    pub fn append_rehearsal(&mut self, rehearsal: &crate::rehearse::Rehearsal) -> Result<()> {
        self.log.append(rehearsal)
    }

    /// Replaces the snapshot atomically with the current progress; refused with
    /// [`Error::LogReplaced`] when the log is no longer the file this writer appends to
    /// (a snapshot of answers the log does not have would claim them).
    pub fn save_snapshot(&mut self) -> Result<()> {
        self.log.check_live(false)?;
        let position = self.log.position();
        snapshot::write(&self.dir.snapshot_path(), position, &self.progress)?;
        // Its size as written is what the next bound is taken from.
        let bytes = std::fs::metadata(self.dir.snapshot_path()).map_or(0, |m| m.len());
        self.basis = Some(snapshot::Basis {
            log_offset: position.0,
            log_lines: position.1,
            bytes,
            format_version: snapshot::SNAPSHOT_VERSION,
        });
        Ok(())
    }

    /// Replaces the snapshot only when [`snapshot::compaction_due`] says it pays: no
    /// usable snapshot, or the log after it past the bound. Returns whether it wrote.
    ///
    /// The log is checked as [`Writer::save_snapshot`] checks it either way, so a log
    /// replaced during the session is reported whether or not anything is written.
    ///
    /// Each deck in `decks` has its card states listed in its own order first, which
    /// the next start's walks through the decks rely on to go fast (see
    /// [`crate::progress::DeckCards`]).
    pub fn save_snapshot_if_due(&mut self, decks: &[&Outline]) -> Result<bool> {
        self.log.check_live(false)?;
        let (end, lines, _) = self.log.position();
        if !snapshot::compaction_due(self.basis, end, lines) {
            return Ok(false);
        }
        for deck in decks {
            let order = deck.cards.iter();
            self.progress.cards.arrange(deck.id.as_str(), order);
        }
        self.save_snapshot().map(|()| true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::answer_entry;
    use crate::sm2::Grade;

    fn answer(writer: &mut Writer, card: &str) {
        let at = "2026-01-01T10:00:00Z".parse().unwrap();
        let entry = answer_entry(
            card,
            None,
            Grade::new(4).unwrap(),
            false,
            at,
            "2026-01-01".parse().unwrap(),
        );
        writer.append(&entry).unwrap();
    }

    #[test]
    fn a_prefetched_snapshot_is_used_only_while_its_file_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        let mut writer = data.open_writer().unwrap();
        answer(&mut writer, "d/a");
        writer.save_snapshot().unwrap();
        drop(writer);

        // Unchanged: the prefetched snapshot gives the same progress as reading it again.
        let prefetched = data.prefetch_snapshot().expect("a valid snapshot");
        let writer = data.open_writer_with(Some(prefetched)).unwrap();
        assert_eq!(writer.progress, data.load().unwrap().progress);
        assert!(writer.warnings.is_empty());
        drop(writer);

        // Replaced by a damaged file after the prefetch: read again under the lock, so the
        // damaged file is set aside (never overwritten) and progress rebuilt from the log.
        let prefetched = data.prefetch_snapshot().expect("a valid snapshot");
        std::fs::write(data.snapshot_path(), "{ damaged").unwrap();
        let writer = data.open_writer_with(Some(prefetched)).unwrap();
        assert!(
            writer.warnings.iter().any(|w| w.contains("damaged")),
            "{:?}",
            writer.warnings
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("state.json.damaged-1")).unwrap(),
            "{ damaged"
        );
        assert!(writer.progress.card("d/a").is_some());
    }

    #[test]
    fn a_snapshot_saved_without_new_answers_still_matches_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        let mut writer = data.open_writer().unwrap();
        answer(&mut writer, "d/a");
        answer(&mut writer, "d/b");
        writer.save_snapshot().unwrap();
        drop(writer);
        let position = |data: &DataDir| match snapshot::read(&data.snapshot_path()).unwrap() {
            Found::Valid(s) => (s.log_offset, s.log_lines, s.log_last_line),
            other => panic!("{other:?}"),
        };
        let saved = position(&data);
        assert!(saved.2.is_some());

        // A session that answers nothing loads from the snapshot and saves it again.
        for _ in 0..2 {
            let mut writer = data.open_writer().unwrap();
            assert!(writer.warnings.is_empty(), "{:?}", writer.warnings);
            writer.save_snapshot().unwrap();
            drop(writer);
            assert_eq!(position(&data), saved);
            let loaded = data.load().unwrap();
            assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
            assert_eq!(loaded.scan.lines, 2);
        }

        // Also when only a torn line follows the snapshot.
        use std::io::Write as _;
        let mut log = std::fs::OpenOptions::new()
            .append(true)
            .open(data.log_path())
            .unwrap();
        log.write_all(b"{\"v\":1,\"kind\"").unwrap();
        drop(log);
        let mut writer = data.open_writer().unwrap();
        assert!(
            writer
                .warnings
                .iter()
                .all(|w| !w.contains("does not match")),
            "{:?}",
            writer.warnings
        );
        writer.save_snapshot().unwrap();
        drop(writer);
        let loaded = data.load().unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert!(loaded.progress.card("d/b").is_some());
    }

    /// The snapshot file's bytes, or `None` when there is none.
    fn snapshot_bytes(data: &DataDir) -> Option<Vec<u8>> {
        std::fs::read(data.snapshot_path()).ok()
    }

    #[test]
    fn the_snapshot_is_rewritten_only_once_the_log_after_it_passes_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        let log_len = || std::fs::metadata(data.log_path()).map_or(0, |m| m.len());
        // No snapshot yet: the first session that logs anything writes one.
        let mut writer = data.open_writer().unwrap();
        assert!(
            !writer.save_snapshot_if_due(&[]).unwrap(),
            "an empty log needs none"
        );
        assert!(snapshot_bytes(&data).is_none());
        answer(&mut writer, "d/first");
        assert!(writer.save_snapshot_if_due(&[]).unwrap());
        drop(writer);
        let written = snapshot_bytes(&data).unwrap();
        let covered = log_len();

        // A session that answers nothing, and one whose answers keep the tail under the
        // bound, leave the file as it is; every answer is still read back.
        let mut writer = data.open_writer().unwrap();
        assert!(!writer.save_snapshot_if_due(&[]).unwrap());
        drop(writer);
        let mut writer = data.open_writer().unwrap();
        for n in 0..10 {
            answer(&mut writer, &format!("d/c{n}"));
        }
        assert!(!writer.save_snapshot_if_due(&[]).unwrap());
        drop(writer);
        assert_eq!(snapshot_bytes(&data).unwrap(), written);
        let loaded = data.load().unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(loaded.scan.lines, 11);
        assert!(loaded.progress.card("d/c9").is_some());

        // A session that takes the tail to the bound has it rewritten, covering all.
        let mut writer = data.open_writer().unwrap();
        let mut n = 10;
        while log_len() - covered < snapshot::COMPACT_TAIL_MIN_BYTES {
            assert!(
                n < snapshot::COMPACT_TAIL_LINES,
                "the byte bound comes first"
            );
            answer(&mut writer, &format!("d/c{n}"));
            n += 1;
        }
        assert!(writer.save_snapshot_if_due(&[]).unwrap());
        drop(writer);
        let mut rebuilt = Progress::default();
        log::replay(&data.log_path(), 0, 0, &mut rebuilt).unwrap();
        match snapshot::read(&data.snapshot_path()).unwrap() {
            Found::Valid(s) => {
                assert_eq!((s.log_offset, s.log_lines), (log_len(), n + 1));
                assert_eq!(s.progress, rebuilt);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_snapshot_holding_a_moved_built_in_card_is_folded_again_from_the_log_then_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        let (old, new) = crate::catalog::MOVED_CARDS[0];
        // As a build from before the card moved left it: the state under the old key.
        let mut writer = data.open_writer().unwrap();
        answer(&mut writer, old);
        writer.save_snapshot().unwrap();
        drop(writer);

        let loaded = data.load().unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert!(loaded.progress.card(old).is_none());
        assert_eq!(loaded.progress.card(new).map(|s| s.reps), Some(1));

        let mut writer = data.open_writer().unwrap();
        assert!(writer.save_snapshot_if_due(&[]).unwrap());
        drop(writer);
        match snapshot::read(&data.snapshot_path()).unwrap() {
            Found::Valid(s) => {
                assert!(s.progress.card(old).is_none());
                assert_eq!(s.progress.card(new).map(|s| s.reps), Some(1));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_format_1_snapshot_is_read_then_rewritten_once_by_the_next_writer() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        let mut writer = data.open_writer().unwrap();
        answer(&mut writer, "d/a");
        answer(&mut writer, "e/b");
        let progress = writer.progress.clone();
        let position = writer.log.position();
        let position = (position.0, position.1, position.2.map(str::to_owned));
        drop(writer);
        let old = (position.0, position.1, position.2.as_deref());
        snapshot::write_format_1(&data.snapshot_path(), old, &progress).unwrap();
        let format_1 = snapshot_bytes(&data).unwrap();
        assert!(format_1.starts_with(b"{\"format_version\":1,"));

        // Readers use it as it is and leave it.
        let loaded = data.load().unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(loaded.progress, progress);
        assert_eq!(snapshot_bytes(&data).unwrap(), format_1);

        // The next writer rewrites it, though nothing was answered, and only once.
        let mut writer = data.open_writer().unwrap();
        assert!(writer.warnings.is_empty(), "{:?}", writer.warnings);
        assert_eq!(writer.progress, progress);
        assert!(writer.save_snapshot_if_due(&[]).unwrap());
        drop(writer);
        let current = snapshot_bytes(&data).unwrap();
        let prefix = format!("{{\"format_version\":{},", snapshot::SNAPSHOT_VERSION);
        assert!(current.starts_with(prefix.as_bytes()));
        match snapshot::read(&data.snapshot_path()).unwrap() {
            Found::Valid(s) => {
                assert_eq!((s.log_offset, s.log_lines), (position.0, position.1));
                assert_eq!(s.log_last_line, position.2);
                assert_eq!(s.progress, progress);
            }
            other => panic!("{other:?}"),
        }
        let mut writer = data.open_writer().unwrap();
        assert!(!writer.save_snapshot_if_due(&[]).unwrap());
    }

    #[test]
    fn the_bound_is_in_lines_and_in_bytes_relative_to_the_snapshot() {
        use snapshot::{compaction_due, Basis, COMPACT_TAIL_LINES, COMPACT_TAIL_MIN_BYTES};
        let basis = |bytes| {
            Some(Basis {
                log_offset: 1_000,
                log_lines: 10,
                bytes,
                format_version: snapshot::SNAPSHOT_VERSION,
            })
        };
        // Nothing after the snapshot: never.
        assert!(!compaction_due(basis(0), 1_000, 10));
        // No usable snapshot: whenever the log holds anything.
        assert!(!compaction_due(None, 0, 0));
        assert!(compaction_due(None, 1, 1));
        // Lines.
        assert!(!compaction_due(
            basis(1 << 30),
            2_000,
            10 + COMPACT_TAIL_LINES - 1
        ));
        assert!(compaction_due(
            basis(1 << 30),
            2_000,
            10 + COMPACT_TAIL_LINES
        ));
        // Bytes: a sixteenth of the snapshot, not below the floor.
        let big = 16 * 4 * COMPACT_TAIL_MIN_BYTES;
        assert!(!compaction_due(basis(big), 1_000 + big / 16 - 1, 11));
        assert!(compaction_due(basis(big), 1_000 + big / 16, 11));
        assert!(!compaction_due(
            basis(100),
            1_000 + COMPACT_TAIL_MIN_BYTES - 1,
            11
        ));
        assert!(compaction_due(
            basis(100),
            1_000 + COMPACT_TAIL_MIN_BYTES,
            11
        ));
    }

    #[test]
    fn nothing_is_prefetched_without_a_valid_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        assert!(data.prefetch_snapshot().is_none());
        data.create().unwrap();
        std::fs::write(data.snapshot_path(), "garbage").unwrap();
        assert!(data.prefetch_snapshot().is_none());
    }

    #[test]
    fn a_saved_snapshot_lists_each_decks_cards_in_the_decks_order() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        let mut writer = data.open_writer().unwrap();
        for card in ["d/c", "d/gone", "d/a", "d/b"] {
            answer(&mut writer, card);
        }
        let id = |s: &str| crate::deck::Id::parse(s).unwrap();
        let deck = Outline {
            id: id("d"),
            title: "D".into(),
            description: String::new(),
            cards: ["a", "new", "b", "c"].into_iter().map(id).collect(),
        };
        assert!(writer.save_snapshot_if_due(&[&deck]).unwrap());
        let progress = writer.progress.clone();
        drop(writer);
        let text = String::from_utf8(snapshot_bytes(&data).unwrap()).unwrap();
        // The deck's cards in its order, then the one no longer in it.
        assert!(text.contains(r#""cards":"a b c gone""#), "{text}");
        assert_eq!(data.load().unwrap().progress, progress);
    }
}
