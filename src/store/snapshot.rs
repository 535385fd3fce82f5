//! The snapshot: a cache of the progress folded from the log up to a known offset.

use crate::error::{Error, Result};
use crate::progress::{deserialize_entries, CardMap, CardState, Progress, Tally};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

mod cells;
mod columns;
mod days;

/// Snapshot format version written by this build: 4, card states in columns deck by
/// deck, each deck's cards in its own order (see `columns`), and the day tallies as rows
/// of numbers (see `days`). Formats 1 to 3 are still read, and rewritten by the next
/// review.
pub const SNAPSHOT_VERSION: u32 = columns::VERSION;
/// The format before: one map of `"deck/card": {state}`.
pub const FORMAT_1: u32 = 1;
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
    /// A snapshot that could not be read for lack of permission: it is only
    /// a cache, so the reason is a warning and progress is rebuilt from the log.
    Unreadable(String),
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

    /// The file's size in bytes.
    pub fn bytes(&self) -> u64 {
        self.len
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
    let mut file = match super::file::open_read(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Found::Missing, None)),
        // Permissions are the one failure worth working around: a named pipe or a
        // directory at the path is refused by name, for the user to look at.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Ok((Found::Unreadable(e.to_string()), None))
        }
        Err(e) => return Err(Error::io("open", path, e)),
    };
    let identity = file.metadata().ok().map(|meta| Identity::of(&meta));
    // Sized once: grown by doubling, 10 MB were copied and faulted in twice over.
    let size = identity
        .as_ref()
        .map_or(0, |i| i.len.min(MAX_SNAPSHOT_BYTES));
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    (&mut file)
        .take(MAX_SNAPSHOT_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, e))?;
    Ok((parse(&mut bytes, path)?, identity))
}

/// What the bytes of the snapshot at `path` are (changed while they are read, and put
/// back; see `columns::from_slice`).
fn parse(bytes: &mut [u8], path: &Path) -> Result<Found> {
    let newer = |found: u64| Error::NewerFormat {
        path: path.to_path_buf(),
        found,
        supported: SNAPSHOT_VERSION,
    };
    let columns = |bytes: &mut [u8]| match columns::from_slice(bytes) {
        Ok(snapshot) => Found::Valid(Box::new(snapshot)),
        Err(why) => Found::Damaged(why),
    };
    if columns::PREFIXES
        .iter()
        .any(|prefix| bytes.starts_with(prefix))
    {
        return Ok(columns(bytes));
    }
    // Format 1 (or damage, or a newer format). Parsed in one pass when it parses (the
    // text checked as UTF-8 once, not string by string). Only a snapshot that does not
    // parse has its version read on its own, so a newer one is refused rather than
    // called damaged: the same outcome as reading the version first, without scanning
    // 20 MB twice on every start.
    let parsed = match std::str::from_utf8(bytes) {
        Ok(text) => match read_split(text, cores(), SPLIT_MIN_BYTES) {
            Some(snapshot) => Ok(snapshot),
            None => serde_json::from_str::<Snapshot>(text),
        },
        Err(_) => serde_json::from_slice::<Snapshot>(bytes),
    };
    Ok(match parsed {
        Ok(snapshot) if snapshot.format_version == FORMAT_1 => Found::Valid(Box::new(snapshot)),
        Ok(snapshot) if snapshot.format_version > SNAPSHOT_VERSION => {
            return Err(newer(u64::from(snapshot.format_version)))
        }
        Ok(snapshot) => Found::Damaged(format!(
            "unknown format_version {}",
            snapshot.format_version
        )),
        Err(e) => match serde_json::from_slice::<Probe>(bytes) {
            Ok(probe) if probe.format_version > u64::from(SNAPSHOT_VERSION) => {
                return Err(newer(probe.format_version))
            }
            // Format 2, 3 or 4 written other than as this build writes it (keys in
            // another order, spaces): read without the shortcut.
            Ok(probe) if columns::reads(probe.format_version) => columns(bytes),
            _ => Found::Damaged(e.to_string()),
        },
    })
}

/// A card map smaller than this is read on one thread: splitting would cost more than it saves.
const SPLIT_MIN_BYTES: usize = 1 << 20;

/// Reads a current-version snapshot with its card map parsed on all cores; `None` when
/// anything is unusual, and the one-pass read decides what the file is.
///
/// The card map is nine tenths of a snapshot (19 MB at 100,000 cards) and was the
/// longest single piece of work before the first card. [`write`] puts it last, so the
/// file ends `,"cards":{...}}}`. Everything before the map is read with an empty map in
/// its place, refusing members the snapshot does not have: so the empty map can only
/// have stood for `progress.cards`. The map's text is cut just after a `}` followed by
/// `,"`, and each piece is read as a map of its own. That sequence cannot occur inside
/// a string (an unescaped `"` ends it), so every cut is between two members of some
/// object; a cut inside a card's value leaves a piece with an unclosed `{`, which does
/// not parse. So when every piece parses, the cuts were between cards, and the pieces
/// taken in order give what one pass gives.
fn read_split(text: &str, pieces: usize, min_bytes: usize) -> Option<Snapshot> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Header {
        format_version: u32,
        log_offset: u64,
        log_lines: usize,
        log_last_line: Option<String>,
        progress: HeaderProgress,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct HeaderProgress {
        days: BTreeMap<String, BTreeMap<NaiveDate, Tally>>,
        last_at: Option<DateTime<FixedOffset>>,
        // Required, so the empty map put in place of the cards must be this member.
        #[serde(rename = "cards")]
        _cards: serde::de::IgnoredAny,
    }
    if pieces <= 1 {
        return None;
    }
    let text = text.trim_end();
    let last_at = text.find("\"last_at\":")?;
    let key = last_at + text[last_at..].find(",\"cards\":{")?;
    let map_start = key + ",\"cards\":".len();
    let map = text.get(map_start..text.len().checked_sub(2)?)?;
    if !text.ends_with("}}") || map.len() < min_bytes {
        return None;
    }
    let header: Header = serde_json::from_str(&format!("{}{{}}}}}}", &text[..map_start])).ok()?;
    if header.format_version != FORMAT_1 {
        return None;
    }
    let chunks = split_map(map, pieces)?;
    let (first, rest) = chunks.split_first()?;
    let cards = std::thread::scope(|scope| {
        let rest: Vec<_> = rest
            .iter()
            .map(|chunk| scope.spawn(move || parse_piece(chunk)))
            .collect();
        let first = parse_piece(first).ok()?;
        // The map is filled with the first piece while the others are still being read.
        let mut cards = CardMap::default();
        cards.extend(first);
        for piece in rest {
            cards.extend(piece.join().ok()?.ok()?);
        }
        Some(cards)
    })?;
    Some(Snapshot {
        format_version: header.format_version,
        log_offset: header.log_offset,
        log_lines: header.log_lines,
        log_last_line: header.log_last_line,
        progress: Progress {
            days: header.progress.days,
            last_at: header.progress.last_at,
            cards,
            suspended: Default::default(),
        },
    })
}

/// The entries of one piece of the card map's members, in file order; the piece is
/// copied into an object of its own on the thread that reads it.
fn parse_piece(members: &str) -> serde_json::Result<Vec<(String, CardState)>> {
    let text = format!("{{{members}}}");
    let mut json = serde_json::Deserializer::from_str(&text);
    let entries = deserialize_entries(&mut json)?;
    json.end()?;
    Ok(entries)
}

/// How many pieces the card map is cut into.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The members of the JSON object `map`, cut into up to `pieces` runs, each cut after a
/// `}` that is followed by `,"`; `None` when `map` is not an object.
fn split_map(map: &str, pieces: usize) -> Option<Vec<&str>> {
    let inner = map.strip_prefix('{')?.strip_suffix('}')?;
    let bytes = inner.as_bytes();
    let mut chunks = Vec::with_capacity(pieces);
    let mut start = 0;
    for k in 1..pieces.max(1) {
        let target = (bytes.len() * k / pieces).max(start);
        let Some(found) = bytes[target..].windows(3).position(|w| w == b"},\"") else {
            break;
        };
        let cut = target + found + 1;
        // `}` and `"` are ASCII, so both ends are character boundaries.
        chunks.push(&inner[start..cut]);
        start = cut + 1;
    }
    chunks.push(&inner[start..]);
    Some(chunks)
}

/// True when the log at `log` still holds, just before `snapshot.log_offset`, the line
/// the snapshot says it ended with.
pub fn matches_log(snapshot: &Snapshot, log: &Path) -> Result<bool> {
    log_ends_with(log, snapshot.log_offset, snapshot.log_last_line.as_deref())
}

/// True when the line that ends at byte `offset` of the log is still `last` (or, with
/// no last line, `offset` is 0): what a cache of the log up to `offset` needs to hold.
pub fn log_ends_with(log: &Path, offset: u64, last: Option<&str>) -> Result<bool> {
    let Some(last) = last else {
        return Ok(offset == 0);
    };
    let mut file = match super::file::open_read(log) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io("open", log, e)),
    };
    let want = last.len() as u64 + 1;
    let len = file
        .metadata()
        .map_err(|e| Error::io("read", log, e))?
        .len();
    if offset > len || offset < want {
        return Ok(false);
    }
    let mut tail = vec![0; want as usize];
    file.seek(SeekFrom::Start(offset - want))
        .and_then(|_| file.read_exact(&mut tail))
        .map_err(|e| Error::io("read", log, e))?;
    Ok(tail.strip_suffix(b"\n") == Some(last.as_bytes()))
}

/// Where a snapshot that matches the log stands: the log position it covers and its
/// size on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Basis {
    /// Bytes of the log the snapshot covers.
    pub log_offset: u64,
    /// Lines of the log the snapshot covers.
    pub log_lines: usize,
    /// The snapshot file's size.
    pub bytes: u64,
    /// Its format version: one older than [`SNAPSHOT_VERSION`] is rewritten.
    pub format_version: u32,
}

/// Compact once this many log lines follow the snapshot.
///
/// Every start replays the lines after the snapshot, at about 1 µs a line (a million
/// lines take ~0.95 s at 100,000 cards), while writing the snapshot costs ~60-80 ms
/// at 100,000 cards. A thousand lines (five to ten days of study) add ~1 ms to a start.
pub const COMPACT_TAIL_LINES: usize = 1_000;

/// Compact once the log after the snapshot is this fraction of the snapshot's size
/// (1/16), or [`COMPACT_TAIL_MIN_BYTES`] if that is more.
///
/// A byte of log costs about 1.5 times what a byte of snapshot costs to read, so the
/// tail then adds at most about a tenth to the snapshot's parse, in small collections
/// (where the line bound alone would let the tail outweigh the snapshot) as in large.
/// The bound also caps the replay when lines are long.
pub const COMPACT_TAIL_FRACTION: u64 = 16;

/// The byte bound is never below this (about 300 answers; ~0.3 ms to replay): with a few
/// cards, rewriting the snapshot after every answer would gain nothing.
pub const COMPACT_TAIL_MIN_BYTES: u64 = 64 * 1024;

/// Whether the snapshot should be replaced now that the log ends at byte `end` (line
/// `lines`), given the usable snapshot on disk (`basis`; `None` when there is none).
///
/// Skipped when it would not pay: a session that appended nothing leaves the tail as it
/// was, and a short tail costs less to replay on the next start than a rewrite of the
/// snapshot costs now. The log is the truth either way; the snapshot only saves
/// replaying it. There is no bound in time: what a start pays for the tail depends on
/// its size, not on its age.
pub fn compaction_due(basis: Option<Basis>, end: u64, lines: usize) -> bool {
    let Some(basis) = basis else {
        // No usable snapshot: every start would replay the whole log (or warn again
        // about a snapshot that does not match it).
        return end > 0;
    };
    if basis.format_version < SNAPSHOT_VERSION {
        // An older format is read once more, by the session that rewrites it.
        return true;
    }
    let tail_bytes = end.saturating_sub(basis.log_offset);
    let tail_lines = lines.saturating_sub(basis.log_lines);
    let byte_bound = (basis.bytes / COMPACT_TAIL_FRACTION).max(COMPACT_TAIL_MIN_BYTES);
    tail_lines >= COMPACT_TAIL_LINES || tail_bytes >= byte_bound
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
/// (`log_offset`, `log_lines`, `log_last_line`), in format 3.
pub fn write(path: &Path, position: (u64, usize, Option<&str>), progress: &Progress) -> Result<()> {
    let bytes = columns::to_vec(position, progress)
        .map_err(|e| Error::io("write", path, std::io::Error::other(e)))?;
    super::atomic::write_atomic(path, &bytes)
}

/// [`write`] in format 3, as the builds before format 4 wrote it: for tests that such a
/// snapshot still reads as it did.
pub fn write_format_3(
    path: &Path,
    position: (u64, usize, Option<&str>),
    progress: &Progress,
) -> Result<()> {
    let bytes = columns::to_vec_as(columns::FORMAT_3, position, progress)
        .map_err(|e| Error::io("write", path, std::io::Error::other(e)))?;
    super::atomic::write_atomic(path, &bytes)
}

/// [`write`] in format 1, as builds before format 2 wrote it: for tests and benchmark
/// collections that must be read by those builds too.
pub fn write_format_1(
    path: &Path,
    (log_offset, log_lines, log_last_line): (u64, usize, Option<&str>),
    progress: &Progress,
) -> Result<()> {
    let snapshot = SnapshotRef {
        format_version: FORMAT_1,
        log_offset,
        log_lines,
        log_last_line,
        progress,
    };
    super::atomic::write_json(path, &snapshot)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The read as it was for format 1: the version first, then the whole snapshot.
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
            if columns::reads(probe.format_version) {
                return Ok(match columns::from_slice(&mut bytes.clone()) {
                    Ok(snapshot) => Found::Valid(Box::new(snapshot)),
                    Err(why) => Found::Damaged(why),
                });
            }
        }
        Ok(match serde_json::from_slice::<Snapshot>(&bytes) {
            Ok(snapshot) if snapshot.format_version == FORMAT_1 => Found::Valid(Box::new(snapshot)),
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

    /// A snapshot text with `n` cards whose keys include the characters a cut looks for,
    /// a third of them with an object inside when `nested`, laid out as [`write`] does.
    fn tricky_snapshot(n: usize, nested: bool) -> String {
        let mut cards = String::from("{");
        for i in 0..n {
            let key = match i % 5 {
                0 => format!("d/c{i}"),
                1 => format!("d/c{i}}},\\\"x"),
                2 => format!("d/\\u00e9{i}"),
                3 => "d/twice".to_string(),
                _ => format!("d/c{i}\\\\}}"),
            };
            // Unknown members of a card are ignored when read; one holding an object
            // lets a cut land inside a card's value.
            let extra = if nested && i % 3 == 0 {
                r#","note":{"a":1},"b":2"#
            } else {
                ""
            };
            if i > 0 {
                cards.push(',');
            }
            cards.push_str(&format!(
                r#""{key}":{{"reps":{r},"ef":2.{r},"interval":{i},"lapses":0,"due":"2026-01-02","last_review":"2026-01-01T10:00:00Z","last_grade":4{extra}}}"#,
                r = i % 7
            ));
        }
        cards.push('}');
        // A deck named `cards` puts `"cards":{` into the tallies too.
        format!(
            r#"{{"format_version":1,"log_offset":10,"log_lines":1,"log_last_line":"x}},\"cards\":{{","progress":{{"days":{{"cards":{{"2026-01-01":{{"reviews":3,"redrills":0,"grades":[0,0,0,1,1,1],"introduced":1,"recall_total":2,"recall_pass":2}}}}}},"last_at":"2026-01-01T10:00:00Z","cards":{cards}}}}}"#
        )
    }

    /// The card map's text in a snapshot from [`tricky_snapshot`].
    fn map_text(text: &str) -> &str {
        let start = text.rfind(r#","cards":"#).unwrap() + r#","cards":"#.len();
        &text[start..text.len() - 2]
    }

    #[test]
    fn a_split_read_gives_what_one_pass_gives() {
        let text = tricky_snapshot(500, false);
        let whole: Snapshot = serde_json::from_str(&text).unwrap();
        assert!(whole.progress.cards.len() > 300);
        assert_eq!(whole.progress.days.len(), 1);
        assert!(read_split(&text, 1, 0).is_none(), "one piece is one pass");
        for pieces in 2..=9 {
            let split = read_split(&text, pieces, 0).expect("a valid snapshot splits");
            assert_eq!(split.progress, whole.progress, "{pieces} pieces");
            assert_eq!(split.log_last_line, whole.log_last_line);
            assert_eq!(
                (split.log_offset, split.log_lines),
                (whole.log_offset, whole.log_lines)
            );
        }
        // The key written many times keeps the value written last.
        assert_eq!(whole.progress.cards.get("d/twice").unwrap().interval, 498);
    }

    #[test]
    fn what_write_writes_is_read_split() {
        let text = tricky_snapshot(300, false);
        let whole: Snapshot = serde_json::from_str(&text).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let position = (
            whole.log_offset,
            whole.log_lines,
            whole.log_last_line.as_deref(),
        );
        write_format_1(&path, position, &whole.progress).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        let split = read_split(&written, 2, 0).expect("the layout format 1 used splits");
        assert_eq!(split.progress, whole.progress);
    }

    #[test]
    fn a_cut_inside_a_card_is_noticed() {
        // Cards with an object inside: some cuts land in it; those reads must fail
        // (the one-pass read then decides), the others agree with one pass.
        let text = tricky_snapshot(40, true);
        let whole: Snapshot = serde_json::from_str(&text).unwrap();
        let mut cuts_inside = 0;
        for pieces in 2..60 {
            let chunks = split_map(map_text(&text), pieces).unwrap();
            let parsed: std::result::Result<Vec<_>, _> =
                chunks.iter().map(|c| parse_piece(c)).collect();
            let agrees = match parsed {
                Ok(parts) => {
                    let mut cards = CardMap::default();
                    cards.extend(parts.into_iter().flatten());
                    assert_eq!(cards, whole.progress.cards);
                    true
                }
                Err(_) => {
                    cuts_inside += 1;
                    false
                }
            };
            assert_eq!(
                read_split(&text, pieces, 0).map(|s| s.progress),
                Some(whole.progress.clone()).filter(|_| agrees)
            );
        }
        assert!(
            cuts_inside > 0,
            "no cut landed inside a card: the test tests nothing"
        );
    }

    #[test]
    fn unusual_snapshots_are_left_to_the_one_pass_read() {
        let text = tricky_snapshot(10, false);
        assert!(read_split(&text, 2, 0).is_some());
        let unusual = [
            text.replace(r#""format_version":1"#, r#""format_version":2"#),
            text[..text.len() - 1].to_string(),
            text.replace(r#","cards":{"d/"#, r#","cards":[{"d/"#),
            // A member the snapshot does not have: read in one pass, which ignores it.
            text.replace(
                r#""log_lines":1,"#,
                r#""log_lines":1,"extra":{"cards":{}},"#,
            ),
            // The card map first, as earlier builds wrote it.
            {
                let whole: Snapshot = serde_json::from_str(&text).unwrap();
                let cards = serde_json::to_string(&whole.progress.cards).unwrap();
                format!(
                    r#"{{"format_version":1,"log_offset":0,"log_lines":0,"log_last_line":null,"progress":{{"cards":{cards},"days":{{}},"last_at":null}}}}"#
                )
            },
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        for text in unusual {
            assert!(read_split(&text, 2, 0).is_none(), "{text}");
            std::fs::write(&path, &text).unwrap();
            match (read(&path), reference_read(&path)) {
                // Card maps print in hash order: compared as values.
                (Ok(Found::Valid(ours)), Ok(Found::Valid(reference))) => {
                    assert_eq!(ours.progress, reference.progress, "{text}");
                }
                (ours, reference) => {
                    assert_eq!(format!("{ours:?}"), format!("{reference:?}"), "{text}")
                }
            }
        }
    }
}
