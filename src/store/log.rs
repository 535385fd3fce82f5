//! The review log: JSON Lines, appended and fsynced one answer at a time.

use crate::error::{Error, Result};
use crate::progress::{CardKeys, Entry, Progress, READ_LOG_VERSION};
use crate::rehearse::Rehearsal;
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
    let file = match super::file::open_read(path) {
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
        if is_blank(body) {
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
                let entry = accepted(entry, path, line_no)?;
                progress.apply(&entry);
                offset += n as u64;
                scan.lines = line_no;
                scan.end = offset;
                scan.last_line = Some(String::from_utf8_lossy(body).into_owned());
                scan.unterminated = !terminated;
            }
            Err(_) if is_rehearsal(body, path, line_no)? => {
                // Not card progress: read by `rehearsals`, skipped here.
                offset += n as u64;
                scan.lines = line_no;
                scan.end = offset;
                scan.last_line = Some(String::from_utf8_lossy(body).into_owned());
                scan.unterminated = !terminated;
            }
            Err(e) => {
                if let Ok(probe) = serde_json::from_slice::<Probe>(body) {
                    if probe.v > u64::from(READ_LOG_VERSION) {
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

/// Folds into `progress` only the entries of the log at `path` whose card is in
/// `cards`, from the start up to byte `end` (a [`Scan::end`], so a torn tail and lines
/// appended since are left out).
///
/// For `stats`, which leaves out the answers on retired cards: their history is spread
/// over the whole log, and at a million lines parsing every line would take most of a
/// second. A line's card is read from its text first (`card_of_line`); only the lines
/// of `cards`, and any line whose card cannot be read that way, are parsed. Other lines
/// are not checked, as the part of the log a snapshot covers is not checked on a start.
pub fn replay_cards(
    path: &Path,
    end: u64,
    cards: &CardKeys,
    progress: &mut Progress,
) -> Result<()> {
    visit_cards(path, end, cards, |entry| progress.apply(entry))
}

/// Gives `visit` every entry of the log at `path` whose card is in `cards`, from the
/// start up to byte `end`, in log order; read as [`replay_cards`] reads it.
pub fn visit_cards(
    path: &Path,
    end: u64,
    cards: &CardKeys,
    mut visit: impl FnMut(&Entry),
) -> Result<()> {
    let file = match super::file::open_read(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && end == 0 => return Ok(()),
        Err(e) => return Err(Error::io("open", path, e)),
    };
    // Looked up by the bytes of a line, so that a line's card needs no UTF-8 check.
    let wanted: std::collections::HashSet<&[u8], foldhash::fast::RandomState> =
        cards.iter().map(|card| card.as_bytes()).collect();
    let mut file = std::io::Read::take(file, end);
    // Lines are handled where they lie in a large block rather than copied out one by
    // one: at a million lines the copies and calls were a third of the time.
    let mut block = vec![0u8; 1 << 20];
    let (mut filled, mut line_no) = (0, 0);
    loop {
        let n = loop {
            match std::io::Read::read(&mut file, &mut block[filled..]) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                read => break read.map_err(|e| Error::io("read", path, e))?,
            }
        };
        filled += n;
        let at_end = n == 0;
        let mut start = 0;
        while start < filled {
            let len = match memchr::memchr(b'\n', &block[start..filled]) {
                Some(len) => len,
                None if at_end => filled - start,
                None => break,
            };
            line_no += 1;
            fold_line(
                &block[start..start + len],
                path,
                line_no,
                &wanted,
                &mut visit,
            )?;
            start += len + 1;
        }
        if at_end {
            return Ok(());
        }
        block.copy_within(start..filled, 0);
        filled -= start;
        if filled == block.len() {
            // A line longer than the block: room for more of it.
            block.resize(block.len() * 2, 0);
        }
    }
}

/// True for a line with nothing but spaces, tabs and a carriage return: it carries
/// nothing.
fn is_blank(body: &[u8]) -> bool {
    body.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
}

/// `entry`, parsed from line `line_no`, if this build may apply it: not from a newer
/// format, and nothing in it that prepdeck never writes.
fn accepted(mut entry: Entry, path: &Path, line_no: usize) -> Result<Entry> {
    if let Some(now) = crate::catalog::moved_to(entry.card.as_bytes()) {
        entry.card = now.to_owned();
    }
    if entry.v > READ_LOG_VERSION {
        return Err(newer(path, u64::from(entry.v)));
    }
    if let Some(defect) = entry.defect() {
        return Err(damaged(path, line_no, format!("it records {defect}")));
    }
    Ok(entry)
}

/// [`replay_cards`] for one line (`line_no`, without its newline).
fn fold_line(
    body: &[u8],
    path: &Path,
    line_no: usize,
    cards: &std::collections::HashSet<&[u8], foldhash::fast::RandomState>,
    visit: &mut impl FnMut(&Entry),
) -> Result<()> {
    if is_blank(body) {
        return Ok(());
    }
    if let Some(card) = card_of_line(body) {
        let now = crate::catalog::moved_to(card).map(str::as_bytes);
        if !cards.contains(card) && !now.is_some_and(|now| cards.contains(now)) {
            return Ok(());
        }
    }
    let parsed = serde_json::from_slice::<Entry>(body);
    if parsed.is_err() && is_rehearsal(body, path, line_no)? {
        return Ok(());
    }
    let entry = parsed.map_err(|e| {
        damaged(
            path,
            line_no,
            format!("it is not a valid review entry ({e})"),
        )
    })?;
    let entry = accepted(entry, path, line_no)?;
    if cards.contains(entry.card.as_bytes()) {
        visit(&entry);
    }
    Ok(())
}

/// The card of a log line as prepdeck writes it (`{"v":1,...,"card":"deck/card",...`),
/// read without parsing the line; `None` when it is not written that way.
///
/// With no `{` or `[` between the line's opening brace and the first `"card":"`, that
/// is the entry's own card key: a quote inside a JSON string is escaped, so the text
/// cannot occur inside a value. A card with an escape in it is left to the parser.
fn card_of_line(line: &[u8]) -> Option<&[u8]> {
    // A million lines go through here: each step is one vectorised search.
    static KEY: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\"card\":\""));
    let (&open, rest) = line.split_first()?;
    if open != b'{' {
        return None;
    }
    let at = KEY.find(rest)?;
    if memchr::memchr2(b'{', b'[', &rest[..at]).is_some() {
        return None;
    }
    let card = &rest[at + KEY.needle().len()..];
    let end = memchr::memchr2(b'"', b'\\', card)?;
    if card[end] == b'\\' {
        return None;
    }
    Some(&card[..end])
}

/// True when `body` (line `line_no`) is a valid rehearsal line; a line that says it is a
/// rehearsal but is not a valid one is damage, and one from a newer format is refused.
/// Any other line is `false`, for the caller to report as it reports a bad answer.
fn is_rehearsal(body: &[u8], path: &Path, line_no: usize) -> Result<bool> {
    if memchr::memmem::find(body, REHEARSAL_MARK).is_none() {
        return Ok(false);
    }
    #[derive(Deserialize)]
    struct KindProbe {
        v: u64,
        kind: String,
    }
    match serde_json::from_slice::<KindProbe>(body) {
        Ok(probe) if probe.kind == "rehearsal" => {
            if probe.v > u64::from(READ_LOG_VERSION) {
                return Err(newer(path, probe.v));
            }
            let rehearsal = serde_json::from_slice::<Rehearsal>(body).map_err(|e| {
                damaged(
                    path,
                    line_no,
                    format!("it is not a valid rehearsal entry ({e})"),
                )
            })?;
            match rehearsal.defect() {
                Some(defect) => Err(damaged(path, line_no, format!("it records {defect}"))),
                None => Ok(true),
            }
        }
        _ => Ok(false),
    }
}

/// What every rehearsal line holds (`"kind":"rehearsal"`, spaced or not), and no
/// answer line can: a card id has no quote in it.
const REHEARSAL_MARK: &[u8] = b"\"rehearsal\"";

/// The rehearsal lines of part of the log, and where the part's last whole line ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// The rehearsals, in log order.
    pub rehearsals: Vec<Rehearsal>,
    /// The offset just after the last newline read (where the next search may start).
    pub end: u64,
    /// The last whole line read, without its newline; `None` when none was.
    pub last_line: Option<String>,
}

/// Every rehearsal in the log at `path` from byte `from` (the start of a line) up to
/// byte `end` (or `u64::MAX` for all of it).
///
/// Rehearsals are not card progress, so they are not in the snapshot: the log is
/// searched for their lines, one vectorised pass in blocks of a megabyte, and only the
/// lines holding the mark are parsed. Lines that do not parse are left to the replays,
/// which report them as damage; an incomplete last line is not read.
pub fn rehearsals_between(path: &Path, from: u64, end: u64) -> Result<Found> {
    let mut found = Found {
        end: from,
        ..Found::default()
    };
    let mut file = match super::file::open_read(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(Error::io("open", path, e)),
    };
    file.seek(SeekFrom::Start(from))
        .map_err(|e| Error::io("read", path, e))?;
    let finder = memchr::memmem::Finder::new(REHEARSAL_MARK);
    let mut rehearsals = Vec::new();
    let mut scan_lines = |lines: &[u8]| {
        let mut at_from = 0;
        while let Some(at) = finder.find(&lines[at_from..]) {
            let at = at_from + at;
            let start = memchr::memrchr(b'\n', &lines[..at]).map_or(0, |i| i + 1);
            let stop = memchr::memchr(b'\n', &lines[at..]).map_or(lines.len(), |i| at + i);
            if let Ok(r) = serde_json::from_slice::<Rehearsal>(&lines[start..stop]) {
                if r.defect().is_none() {
                    rehearsals.push(r);
                }
            }
            at_from = stop;
        }
    };
    let mut reader =
        BufReader::with_capacity(1 << 20, std::io::Read::take(file, end - from.min(end)));
    // Whole lines only: `carry` holds the start of a line a block cut in two.
    let mut carry: Vec<u8> = Vec::new();
    let mut last_line: Option<Vec<u8>> = None;
    loop {
        let block = reader.fill_buf().map_err(|e| Error::io("read", path, e))?;
        if block.is_empty() {
            break;
        }
        let n = block.len();
        match memchr::memrchr(b'\n', block) {
            None => carry.extend_from_slice(block),
            Some(last) => {
                let lines: &[u8] = if carry.is_empty() {
                    &block[..=last]
                } else {
                    carry.extend_from_slice(&block[..=last]);
                    &carry
                };
                scan_lines(lines);
                let body = &lines[..lines.len() - 1];
                let start = memchr::memrchr(b'\n', body).map_or(0, |i| i + 1);
                last_line = Some(body[start..].to_vec());
                found.end += lines.len() as u64;
                carry = block[last + 1..].to_vec();
            }
        }
        reader.consume(n);
    }
    found.rehearsals = rehearsals;
    found.last_line = last_line.map(|l| String::from_utf8_lossy(&l).into_owned());
    Ok(found)
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
        supported: READ_LOG_VERSION,
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
    /// Device and inode of the file opened, to tell whether it is still the one at `path`.
    identity: Option<(u64, u64)>,
}

/// Device and inode of a file, where the platform has them.
fn identity_of(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

impl LogWriter {
    /// Opens the log for appending after `scan`, first setting aside a torn last line
    /// (to `<log>.torn`, never deleted) and ending an unterminated one.
    pub fn open(path: &Path, scan: &Scan) -> Result<LogWriter> {
        let existed = path.exists();
        let mut file = super::file::open_regular(
            path,
            OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false),
        )
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
            // Read as well as append: opened write-only, a named pipe at the path would
            // be an obscure "no such device" instead of being named for what it is.
            let mut keep = super::file::open_regular(
                &aside,
                OpenOptions::new().read(true).create(true).append(true),
            )
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
        let identity = file
            .metadata()
            .map_err(|e| Error::io("open", path, e))
            .map(|meta| identity_of(&meta))?;
        Ok(LogWriter {
            file,
            path: path.to_path_buf(),
            len,
            lines: scan.lines,
            last_line: scan.last_line.clone(),
            identity,
        })
    }

    /// Checks that the file at the log's path is still the one this writer appends to.
    ///
    /// Sync tools replace a file by renaming a copy over it, and a data directory can be
    /// deleted under a running review: an answer appended to the old file would be
    /// acknowledged and lost. `answer` says whether an answer is being saved.
    pub fn check_live(&self, answer: bool) -> Result<()> {
        let Some(identity) = self.identity else {
            return Ok(());
        };
        match std::fs::metadata(&self.path) {
            Ok(meta) if identity_of(&meta) == Some(identity) => Ok(()),
            Ok(_) => Err(self.replaced(false, answer)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(self.replaced(true, answer)),
            Err(source) => Err(Error::AnswerNotSaved {
                path: self.path.clone(),
                source,
            }),
        }
    }

    fn replaced(&self, removed: bool, answer: bool) -> Error {
        Error::LogReplaced {
            path: self.path.clone(),
            removed,
            answer,
        }
    }

    /// Writes one entry and fsyncs it; on failure the partial line is cut off again.
    pub fn append(&mut self, entry: &impl serde::Serialize) -> Result<()> {
        let mut line = serde_json::to_string(entry).map_err(|e| Error::AnswerNotSaved {
            path: self.path.clone(),
            source: std::io::Error::other(e),
        })?;
        line.push('\n');
        self.check_live(true)?;
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
        // Replaced while the line was written: it went to a file no longer there.
        self.check_live(true)?;
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
    fn replay_cards_folds_the_named_cards_however_their_lines_are_written() {
        let dir = tempfile::tempdir().unwrap();
        // b's second line has its keys in another order and spaces: it is parsed whole.
        let reordered = line("d/b")
            .replacen("{\"v\":1,", "{\"card\": \"d/b\", \"v\":1,", 1)
            .replacen(",\"card\":\"d/b\"", "", 1);
        assert!(!reordered.contains("\"card\":\""), "{reordered}");
        let text = format!(
            "{}{}\n{}{reordered}{}",
            line("d/a"),
            line("d/b"),
            line("d/c"),
            line("d/b")
        );
        let path = write_log(dir.path(), &text);
        let mut whole = Progress::default();
        let scan = replay(&path, 0, 0, &mut whole).unwrap();

        let cards: CardKeys = ["d/b".to_owned()].into_iter().collect();
        let mut theirs = Progress::default();
        replay_cards(&path, scan.end, &cards, &mut theirs).unwrap();
        assert_eq!(theirs.card("d/b"), whole.card("d/b"));
        assert_eq!(theirs.cards.len(), 1);
        assert_eq!(theirs.tally("d", "2026-01-01".parse().unwrap()).reviews, 3);

        // Only up to `end`: the last line is left out.
        let before_last = scan.end - line("d/b").len() as u64;
        let mut theirs = Progress::default();
        replay_cards(&path, before_last, &cards, &mut theirs).unwrap();
        assert_eq!(theirs.tally("d", "2026-01-01".parse().unwrap()).reviews, 2);
    }

    #[test]
    fn replay_cards_reads_lines_across_blocks_and_longer_than_a_block() {
        let dir = tempfile::tempdir().unwrap();
        let long = format!("d/{}", "x".repeat(1_500_000));
        let wanted: CardKeys = ["d/7".to_owned(), long.clone()].into_iter().collect();
        let (mut text, mut expected) = (String::new(), Progress::default());
        for i in 0..12_000 {
            let card = match i {
                6_000 => long.clone(),
                _ => format!("d/{}", i % 100),
            };
            let e = entry(&card);
            text.push_str(&serde_json::to_string(&e).unwrap());
            text.push('\n');
            if wanted.contains(&card) {
                expected.apply(&e);
            }
        }
        assert!(text.len() > 3 << 20, "several blocks: {}", text.len());
        let path = write_log(dir.path(), &text);
        let mut got = Progress::default();
        replay_cards(&path, text.len() as u64, &wanted, &mut got).unwrap();
        assert_eq!(got.cards.len(), 2);
        assert_eq!(got, expected);
    }

    #[test]
    fn replay_cards_reports_a_damaged_line_it_needs() {
        let dir = tempfile::tempdir().unwrap();
        let text = format!(
            "{}{{\"card\": \"d/b\", oops}}\n{}",
            line("d/a"),
            line("d/b")
        );
        let path = write_log(dir.path(), &text);
        let cards: CardKeys = ["d/b".to_owned()].into_iter().collect();
        let err = replay_cards(&path, text.len() as u64, &cards, &mut Progress::default());
        assert!(
            matches!(err, Err(Error::Damaged { line: 2, .. })),
            "{err:?}"
        );
    }

    #[test]
    fn the_card_of_a_line_is_read_only_where_it_cannot_be_mistaken() {
        assert_eq!(
            card_of_line(line("d/a").trim_end().as_bytes()),
            Some(&b"d/a"[..])
        );
        for text in [
            r#"{"v":1,"x":{"card":"d/z"},"card":"d/a"}"#,
            r#"{"v":1,"x":["a"],"card":"d/a"}"#,
            r#" {"card":"d/a"}"#,
            r#"{"card":"d\u002fa"}"#,
            r#"{"card": "d/a"}"#,
            r#"{"card":"d/a"#,
        ] {
            assert_eq!(card_of_line(text.as_bytes()), None, "{text}");
        }
    }

    #[test]
    fn rehearsals_are_found_across_blocks_and_answer_lines_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let rehearsal = r#"{"v":2,"kind":"rehearsal","at":"2026-01-01T10:00:00Z","day":"2026-01-01","question":1,"question_text":"Q","story":null,"seconds":70,"timed":"given","points":["timing"]}"#;
        let mut text = String::new();
        for i in 0..30_000 {
            text.push_str(&line("d/a"));
            if i % 1_000 == 999 {
                text.push_str(rehearsal);
                text.push('\n');
            }
        }
        assert!(text.len() > 3 << 20, "several blocks: {}", text.len());
        let path = write_log(dir.path(), &text);
        let found = rehearsals_between(&path, 0, u64::MAX).unwrap();
        assert_eq!(found.rehearsals.len(), 30);
        assert!(found.rehearsals.iter().all(|r| r.seconds == 70));
        assert_eq!(found.end, text.len() as u64);
        assert_eq!(found.last_line.as_deref(), text.lines().last());
        // Up to `end` only, stopping after the last whole line, then on from there.
        let half = rehearsals_between(&path, 0, (text.len() / 2) as u64).unwrap();
        assert!(half.end <= (text.len() / 2) as u64);
        assert_eq!(text.as_bytes()[half.end as usize - 1], b'\n');
        let rest = rehearsals_between(&path, half.end, u64::MAX).unwrap();
        assert_eq!(half.rehearsals.len() + rest.rehearsals.len(), 30);
        assert_eq!(half.rehearsals.len(), 15);
        // A replay takes the same file whole.
        let scan = replay(&path, 0, 0, &mut Progress::default()).unwrap();
        assert_eq!(scan.lines, 30_030);
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
            &format!("{}{{\"v\":3,\"kind\":\"hologram\"}}\n", line("d/a")),
        );
        let err = replay(&path, 0, 0, &mut Progress::default()).unwrap_err();
        assert!(matches!(err, Error::NewerFormat { found: 3, .. }), "{err}");
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
