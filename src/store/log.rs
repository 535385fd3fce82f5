//! The review log: JSON Lines, appended and fsynced one answer at a time.

use crate::error::{Error, Result};
use crate::progress::{Entry, Progress, LOG_VERSION};
use serde::Deserialize;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// A last line left incomplete by a crash or power loss.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornTail {
    /// Byte offset where the line starts.
    pub offset: u64,
    /// 1-based line number.
    pub line: usize,
}

/// Where a replay of the log stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Offset just after the last good line.
    pub end: u64,
    /// Lines read up to `end`.
    pub lines: usize,
    /// The last good line, without its newline: lets a snapshot check it still matches.
    pub last_line: Option<String>,
    /// True when the last good line has no newline yet.
    pub unterminated: bool,
    /// An incomplete last line, skipped.
    pub torn: Option<TornTail>,
}

/// Only the version, to name a newer file as such even when its lines do not parse.
#[derive(Deserialize)]
struct Probe {
    v: u64,
}

/// Folds the log at `path` from byte `from` (line `lines_before`) into `progress`.
///
/// A missing log is an empty one. A bad line that ends in a newline is a
/// [`Error::Damaged`], wherever it is; a bad last line without its newline is a torn
/// write and is reported in [`Scan::torn`].
pub fn replay(
    path: &Path,
    from: u64,
    lines_before: usize,
    progress: &mut Progress,
) -> Result<Scan> {
    let mut scan = Scan {
        end: from,
        lines: lines_before,
        ..Scan::default()
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && from == 0 => return Ok(scan),
        Err(e) => return Err(Error::io("open", path, e)),
    };
    let mut reader = BufReader::with_capacity(1 << 16, file);
    reader
        .seek(SeekFrom::Start(from))
        .map_err(|e| Error::io("read", path, e))?;
    let mut offset = from;
    let mut buf = Vec::with_capacity(256);
    let mut pending: Option<(TornTail, String)> = None;
    let mut line_no = lines_before;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::io("read", path, e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let terminated = buf.last() == Some(&b'\n');
        let body = buf.strip_suffix(b"\n").unwrap_or(&buf);
        if body.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
            // Blank lines carry nothing and do not make an earlier bad line "not last".
            offset += n as u64;
            if pending.is_none() {
                scan.lines = line_no;
                scan.end = offset;
                scan.last_line = Some(String::from_utf8_lossy(body).into_owned());
                scan.unterminated = !terminated;
            }
            continue;
        }
        if let Some((torn, detail)) = pending.take() {
            return Err(damaged(path, torn.line, detail));
        }
        match serde_json::from_slice::<Entry>(body) {
            Ok(entry) => {
                if entry.v > LOG_VERSION {
                    return Err(newer(path, u64::from(entry.v)));
                }
                if let Some(defect) = entry.defect() {
                    return Err(damaged(path, line_no, format!("it records {defect}")));
                }
                progress.apply(&entry);
                offset += n as u64;
                scan.lines = line_no;
                scan.end = offset;
                scan.last_line = Some(String::from_utf8_lossy(body).into_owned());
                scan.unterminated = !terminated;
            }
            Err(e) => {
                if let Ok(probe) = serde_json::from_slice::<Probe>(body) {
                    if probe.v > u64::from(LOG_VERSION) {
                        return Err(newer(path, probe.v));
                    }
                }
                // A line is appended with its newline in one write, so a crash can only
                // leave one without it. A complete line that does not parse was damaged
                // after it was written: setting it aside would lose an answer silently.
                if terminated {
                    return Err(damaged(
                        path,
                        line_no,
                        format!("it is not a valid review entry ({e})"),
                    ));
                }
                pending = Some((
                    TornTail {
                        offset,
                        line: line_no,
                    },
                    format!("it is not a valid review entry ({e})"),
                ));
                offset += n as u64;
            }
        }
    }
    scan.torn = pending.map(|(torn, _)| torn);
    Ok(scan)
}

fn damaged(path: &Path, line: usize, detail: String) -> Error {
    Error::Damaged {
        path: path.to_path_buf(),
        line,
        detail,
    }
}

fn newer(path: &Path, found: u64) -> Error {
    Error::NewerFormat {
        path: path.to_path_buf(),
        found,
        supported: LOG_VERSION,
    }
}

/// Appends entries to the log, each durable before `append` returns.
#[derive(Debug)]
pub struct LogWriter {
    file: File,
    path: PathBuf,
    len: u64,
    lines: usize,
    last_line: Option<String>,
}

impl LogWriter {
    /// Opens the log for appending after `scan`, first setting aside a torn last line
    /// (to `<log>.torn`, never deleted) and ending an unterminated one.
    pub fn open(path: &Path, scan: &Scan) -> Result<LogWriter> {
        let existed = path.exists();
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| Error::io("open", path, e))?;
        if !existed {
            if let Some(dir) = path.parent() {
                super::atomic::sync_dir(dir)?;
            }
        }
        let write_err = |e| Error::io("repair", path, e);
        if let Some(torn) = &scan.torn {
            let mut torn_bytes = Vec::new();
            file.seek(SeekFrom::Start(torn.offset)).map_err(write_err)?;
            std::io::Read::read_to_end(&mut file, &mut torn_bytes).map_err(write_err)?;
            let aside = torn_path(path);
            let mut keep = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&aside)
                .map_err(|e| Error::io("write", &aside, e))?;
            keep.write_all(&torn_bytes)
                .and_then(|()| keep.write_all(b"\n"))
                .and_then(|()| keep.sync_all())
                .map_err(|e| Error::io("write", &aside, e))?;
            file.set_len(torn.offset).map_err(write_err)?;
        }
        let mut len = scan.end;
        if scan.unterminated {
            file.seek(SeekFrom::Start(len)).map_err(write_err)?;
            file.write_all(b"\n").map_err(write_err)?;
            len += 1;
        }
        file.sync_all().map_err(write_err)?;
        Ok(LogWriter {
            file,
            path: path.to_path_buf(),
            len,
            lines: scan.lines,
            last_line: scan.last_line.clone(),
        })
    }

    /// Writes one entry and fsyncs it; on failure the partial line is cut off again.
    pub fn append(&mut self, entry: &Entry) -> Result<()> {
        let mut line = serde_json::to_string(entry).map_err(|e| Error::AnswerNotSaved {
            path: self.path.clone(),
            source: std::io::Error::other(e),
        })?;
        line.push('\n');
        let result = self
            .file
            .seek(SeekFrom::Start(self.len))
            .and_then(|_| self.file.write_all(line.as_bytes()))
            .and_then(|()| self.file.sync_data());
        if let Err(source) = result {
            // Best effort: a failed write must not leave half a line for the next one to follow.
            let _ = self.file.set_len(self.len);
            return Err(Error::AnswerNotSaved {
                path: self.path.clone(),
                source,
            });
        }
        self.len += line.len() as u64;
        self.lines += 1;
        line.pop();
        self.last_line = Some(line);
        Ok(())
    }

    /// Where the log ends now: what a snapshot must record.
    pub fn position(&self) -> (u64, usize, Option<&str>) {
        (self.len, self.lines, self.last_line.as_deref())
    }
}

/// Where torn last lines are kept: `reviews.jsonl.torn`.
pub fn torn_path(log: &Path) -> PathBuf {
    let mut name = log.as_os_str().to_owned();
    name.push(".torn");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::answer_entry;
    use crate::sm2::Grade;

    fn entry(card: &str) -> Entry {
        answer_entry(
            card,
            None,
            Grade::new(4).unwrap(),
            false,
            "2026-01-01T10:00:00Z".parse().unwrap(),
            "2026-01-01".parse().unwrap(),
        )
    }

    fn write_log(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join("reviews.jsonl");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn line(card: &str) -> String {
        serde_json::to_string(&entry(card)).unwrap() + "\n"
    }

    #[test]
    fn a_missing_log_replays_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Progress::default();
        let scan = replay(&dir.path().join("reviews.jsonl"), 0, 0, &mut p).unwrap();
        assert_eq!(scan, Scan::default());
    }

    #[test]
    fn a_torn_last_line_is_skipped_and_set_aside_by_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let good = line("d/a");
        let path = write_log(dir.path(), &format!("{good}{{\"v\":1,\"kind\":\"ans"));
        let mut p = Progress::default();
        let scan = replay(&path, 0, 0, &mut p).unwrap();
        assert_eq!(
            scan.torn,
            Some(TornTail {
                offset: good.len() as u64,
                line: 2
            })
        );
        assert_eq!(scan.lines, 1);
        assert!(p.card("d/a").is_some());

        let mut writer = LogWriter::open(&path, &scan).unwrap();
        writer.append(&entry("d/b")).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{good}{}", line("d/b"))
        );
        assert_eq!(
            std::fs::read_to_string(torn_path(&path)).unwrap(),
            "{\"v\":1,\"kind\":\"ans\n"
        );
    }

    #[test]
    fn a_bad_line_in_the_middle_is_damage_with_its_line_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_log(
            dir.path(),
            &format!("{}garbage\n{}", line("d/a"), line("d/b")),
        );
        let before = std::fs::read(&path).unwrap();
        let err = replay(&path, 0, 0, &mut Progress::default()).unwrap_err();
        assert!(matches!(err, Error::Damaged { line: 2, .. }), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn a_complete_but_invalid_last_line_is_damage_not_a_torn_write() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["garbage\n", "{\"v\":1,\"kind\":\"ans\n", "\0\0\0\n"] {
            let path = write_log(dir.path(), &format!("{}{bad}", line("d/a")));
            let before = std::fs::read(&path).unwrap();
            let err = replay(&path, 0, 0, &mut Progress::default()).unwrap_err();
            assert!(
                matches!(err, Error::Damaged { line: 2, .. }),
                "{bad:?}: {err}"
            );
            assert_eq!(std::fs::read(&path).unwrap(), before);
            // Blank lines after it do not make it a torn write either.
            let path = write_log(dir.path(), &format!("{}{bad}\n\n", line("d/a")));
            let err = replay(&path, 0, 0, &mut Progress::default()).unwrap_err();
            assert!(
                matches!(err, Error::Damaged { line: 2, .. }),
                "{bad:?}: {err}"
            );
        }
        assert!(!torn_path(&dir.path().join("reviews.jsonl")).exists());
    }

    #[test]
    fn a_newer_version_line_is_refused_even_when_it_does_not_parse() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_log(
            dir.path(),
            &format!("{}{{\"v\":2,\"kind\":\"hologram\"}}\n", line("d/a")),
        );
        let err = replay(&path, 0, 0, &mut Progress::default()).unwrap_err();
        assert!(matches!(err, Error::NewerFormat { found: 2, .. }), "{err}");
    }

    #[test]
    fn an_unterminated_but_complete_last_line_counts_and_gets_its_newline() {
        let dir = tempfile::tempdir().unwrap();
        let first = line("d/a");
        let path = write_log(dir.path(), first.trim_end());
        let mut p = Progress::default();
        let scan = replay(&path, 0, 0, &mut p).unwrap();
        assert!(scan.unterminated && scan.torn.is_none());
        let mut writer = LogWriter::open(&path, &scan).unwrap();
        writer.append(&entry("d/b")).unwrap();
        let mut again = Progress::default();
        let scan = replay(&path, 0, 0, &mut again).unwrap();
        assert_eq!(scan.lines, 2);
        assert_eq!(again.cards.len(), 2);
    }

    #[test]
    fn replay_from_an_offset_reads_only_the_tail() {
        let dir = tempfile::tempdir().unwrap();
        let first = line("d/a");
        let path = write_log(dir.path(), &format!("{first}{}", line("d/b")));
        let mut p = Progress::default();
        let scan = replay(&path, first.len() as u64, 1, &mut p).unwrap();
        assert_eq!(scan.lines, 2);
        assert!(p.card("d/a").is_none() && p.card("d/b").is_some());
    }
}
