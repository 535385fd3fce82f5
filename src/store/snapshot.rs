//! The snapshot: a cache of the progress folded from the log up to a known offset.

use crate::error::{Error, Result};
use crate::progress::Progress;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Snapshot format version written by this build.
pub const SNAPSHOT_VERSION: u32 = 1;
/// A snapshot larger than this is not ours; refuse to read it into memory.
const MAX_SNAPSHOT_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// The cached progress and the log position it covers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    /// Snapshot format version.
    pub format_version: u32,
    /// Bytes of the log folded into `progress`.
    pub log_offset: u64,
    /// Lines of the log folded into `progress`.
    pub log_lines: usize,
    /// The last log line folded in, to check the log was not replaced since.
    pub log_last_line: Option<String>,
    /// Card states and tallies.
    pub progress: Progress,
}

#[derive(Deserialize)]
struct Probe {
    format_version: u64,
}

/// What reading the snapshot found.
#[derive(Debug)]
pub enum Found {
    /// No snapshot file.
    Missing,
    /// A snapshot that parsed.
    Valid(Box<Snapshot>),
    /// A snapshot that is damaged; the reason is a warning, the log is the truth.
    Damaged(String),
}

/// Which file a snapshot was read from, to tell later whether it was replaced since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64),
}

impl Identity {
    fn of(meta: &std::fs::Metadata) -> Identity {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Identity {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: (meta.dev(), meta.ino()),
        }
    }

    /// True when `path` is still the file this identity was taken from, unchanged.
    pub fn still_at(&self, path: &Path) -> bool {
        std::fs::metadata(path).is_ok_and(|meta| Identity::of(&meta) == *self)
    }
}

/// Reads the snapshot at `path`; a newer version is an error, damage is not.
pub fn read(path: &Path) -> Result<Found> {
    read_identified(path).map(|(found, _)| found)
}

/// [`read`], with the identity of the file that was read (none when it is missing).
pub fn read_identified(path: &Path) -> Result<(Found, Option<Identity>)> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Found::Missing, None)),
        Err(e) => return Err(Error::io("open", path, e)),
    };
    let identity = file.metadata().ok().map(|meta| Identity::of(&meta));
    let mut bytes = Vec::new();
    (&mut file)
        .take(MAX_SNAPSHOT_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, e))?;
    // Parsed in one pass when it parses (the text checked as UTF-8 once, not string by
    // string). Only a snapshot that does not parse has its version read on its own, so
    // a newer one is refused rather than called damaged: the same outcome as reading
    // the version first, without scanning 20 MB twice on every start.
    let parsed = match std::str::from_utf8(&bytes) {
        Ok(text) => serde_json::from_str::<Snapshot>(text),
        Err(_) => serde_json::from_slice::<Snapshot>(&bytes),
    };
    let newer = |found: u64| Error::NewerFormat {
        path: path.to_path_buf(),
        found,
        supported: SNAPSHOT_VERSION,
    };
    let found = match parsed {
        Ok(snapshot) if snapshot.format_version == SNAPSHOT_VERSION => {
            Found::Valid(Box::new(snapshot))
        }
        Ok(snapshot) if snapshot.format_version > SNAPSHOT_VERSION => {
            return Err(newer(u64::from(snapshot.format_version)))
        }
        Ok(snapshot) => Found::Damaged(format!(
            "unknown format_version {}",
            snapshot.format_version
        )),
        Err(e) => match serde_json::from_slice::<Probe>(&bytes) {
            Ok(probe) if probe.format_version > u64::from(SNAPSHOT_VERSION) => {
                return Err(newer(probe.format_version))
            }
            _ => Found::Damaged(e.to_string()),
        },
    };
    Ok((found, identity))
}

/// True when the log at `log` still holds, just before `snapshot.log_offset`, the line
/// the snapshot says it ended with.
pub fn matches_log(snapshot: &Snapshot, log: &Path) -> Result<bool> {
    let Some(last) = &snapshot.log_last_line else {
        return Ok(snapshot.log_offset == 0);
    };
    let mut file = match File::open(log) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io("open", log, e)),
    };
    let want = last.len() as u64 + 1;
    let len = file
        .metadata()
        .map_err(|e| Error::io("read", log, e))?
        .len();
    if snapshot.log_offset > len || snapshot.log_offset < want {
        return Ok(false);
    }
    let mut tail = vec![0; want as usize];
    file.seek(SeekFrom::Start(snapshot.log_offset - want))
        .and_then(|_| file.read_exact(&mut tail))
        .map_err(|e| Error::io("read", log, e))?;
    Ok(tail.strip_suffix(b"\n") == Some(last.as_bytes()))
}

/// Borrowing twin of [`Snapshot`], so saving does not copy the progress.
#[derive(Serialize)]
struct SnapshotRef<'a> {
    format_version: u32,
    log_offset: u64,
    log_lines: usize,
    log_last_line: Option<&'a str>,
    progress: &'a Progress,
}

/// Atomically replaces the snapshot at `path` with `progress` as of log position
/// (`log_offset`, `log_lines`, `log_last_line`).
pub fn write(
    path: &Path,
    (log_offset, log_lines, log_last_line): (u64, usize, Option<&str>),
    progress: &Progress,
) -> Result<()> {
    let snapshot = SnapshotRef {
        format_version: SNAPSHOT_VERSION,
        log_offset,
        log_lines,
        log_last_line,
        progress,
    };
    let bytes = serde_json::to_vec(&snapshot)
        .map_err(|e| Error::io("write", path, std::io::Error::other(e)))?;
    super::atomic::write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The read as it was: the version first, then the whole snapshot.
    fn reference_read(path: &Path) -> Result<Found> {
        let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
        if let Ok(probe) = serde_json::from_slice::<Probe>(&bytes) {
            if probe.format_version > u64::from(SNAPSHOT_VERSION) {
                return Err(Error::NewerFormat {
                    path: path.to_path_buf(),
                    found: probe.format_version,
                    supported: SNAPSHOT_VERSION,
                });
            }
        }
        Ok(match serde_json::from_slice::<Snapshot>(&bytes) {
            Ok(snapshot) if snapshot.format_version == SNAPSHOT_VERSION => {
                Found::Valid(Box::new(snapshot))
            }
            Ok(snapshot) => Found::Damaged(format!(
                "unknown format_version {}",
                snapshot.format_version
            )),
            Err(e) => Found::Damaged(e.to_string()),
        })
    }

    #[test]
    fn one_pass_read_gives_what_reading_the_version_first_gave() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let valid = r#"{"format_version":1,"log_offset":10,"log_lines":1,"log_last_line":"x","progress":{"cards":{"d/a":{"reps":1,"ef":2.5,"interval":1,"lapses":0,"due":"2026-01-02","last_review":"2026-01-01T10:00:00Z","last_grade":4}},"days":{},"last_at":null}}"#;
        let cases: Vec<Vec<u8>> = vec![
            valid.into(),
            valid
                .replace(r#""format_version":1"#, r#""format_version":2"#)
                .into(),
            valid
                .replace(r#""format_version":1"#, r#""format_version":0"#)
                .into(),
            valid
                .replace(r#""format_version":1"#, r#""format_version":99999999999"#)
                .into(),
            br#"{"format_version":3,"hologram":true}"#.to_vec(),
            br#"{"format_version":1,"hologram":true}"#.to_vec(),
            valid[..valid.len() / 2].into(),
            b"".to_vec(),
            b"garbage".to_vec(),
            valid.replace("d/a", "d/\u{e9}").into_bytes(),
            [
                &valid.as_bytes()[..40],
                &[0xff, 0xfe],
                &valid.as_bytes()[40..],
            ]
            .concat(),
        ];
        for bytes in cases {
            std::fs::write(&path, &bytes).unwrap();
            let ours = format!("{:?}", read(&path));
            let reference = format!("{:?}", reference_read(&path));
            assert_eq!(ours, reference, "{}", String::from_utf8_lossy(&bytes));
        }
    }
}
