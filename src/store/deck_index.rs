//! `deck-index.json`: the outlines of the user decks (title, card ids), so that a start
//! does not parse and validate every deck file to learn which cards exist.
//!
//! At 100,000 cards the deck files are 56 MB of JSON and reading them was most of the
//! time to the first card; a review needs the text of the cards it shows only. The
//! index is a cache and the deck files stay the truth: an outline is used only while
//! its file has the size, modification and change times, device and inode recorded
//! with it, and the card text is read from the file itself, which is checked against
//! the outline. A missing or damaged index is rebuilt; one from a newer prepdeck is
//! ignored and left alone.
//!
//! Version 2 adds where each card is in its file ([`CardRanges`]): a review reads the
//! card it shows from its own bytes, and the whole deck only in the background, to learn
//! whether its cards may still be shown.
//!
//! Version 3 writes an outline's card ids as one string, separated by spaces
//! ([`crate::deck::CardIds`]), read without a string per id. An older index is simply
//! rebuilt.

use crate::deck::{CardRanges, Outline};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Deck index format version written by this build.
pub const INDEX_VERSION: u32 = 3;
/// An index larger than this is not ours (outlines are ids, not text).
const MAX_INDEX_BYTES: u64 = 256 * 1024 * 1024;
/// A file changed less than this long before it was looked at is not indexed.
///
/// Some filesystems keep times to the second or coarser, and even fine-grained ones
/// tick in steps of milliseconds: a file rewritten twice within one step with the same
/// size would look unchanged. Once a change is this old, any later change shows in the
/// times (the rule git uses for its index).
pub const SETTLE: Duration = Duration::from_secs(2);

/// What identifies one version of a deck file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    modified_ns: i64,
    changed_ns: i64,
    dev: u64,
    ino: u64,
}

impl Stamp {
    /// The stamp of the file `meta` describes; `None` where the platform lacks the times.
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let ns = |secs: i64, nsecs: i64| secs.checked_mul(1_000_000_000)?.checked_add(nsecs);
        Some(Stamp {
            len: meta.len(),
            modified_ns: ns(meta.mtime(), meta.mtime_nsec())?,
            changed_ns: ns(meta.ctime(), meta.ctime_nsec())?,
            dev: meta.dev(),
            ino: meta.ino(),
        })
    }

    /// Without a change time the index cannot tell an edit from none: not indexed.
    #[cfg(not(unix))]
    pub fn of(_meta: &std::fs::Metadata) -> Option<Stamp> {
        None
    }

    /// The file's length in bytes.
    pub fn file_len(&self) -> u64 {
        self.len
    }

    /// True when the last change to the file is at least [`SETTLE`] before `now`.
    pub fn settled(&self, now: SystemTime) -> bool {
        let Ok(since_epoch) = now.duration_since(SystemTime::UNIX_EPOCH) else {
            return false;
        };
        let now_ns = i64::try_from(since_epoch.as_nanos()).unwrap_or(i64::MAX);
        let settle_ns = SETTLE.as_nanos() as i64;
        self.changed_ns.max(self.modified_ns) <= now_ns.saturating_sub(settle_ns)
    }
}

/// One deck file's outline, valid while the file has `stamp`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indexed {
    /// The file name in `decks/`.
    pub file: String,
    /// The file version the outline was read from.
    pub stamp: Stamp,
    /// The deck without its card text.
    pub outline: Outline,
    /// Where each card of the outline is in the file.
    pub ranges: CardRanges,
}

impl Indexed {
    /// True when the ranges can be those of the outline's cards in a file of the
    /// recorded length, and that length is one a deck file may have: a card is never
    /// read from a range that could not be the card, nor a range larger than a deck.
    fn consistent(&self) -> bool {
        self.stamp.file_len() <= crate::deck::MAX_DECK_BYTES
            && self
                .ranges
                .fit(self.outline.cards.len(), self.stamp.file_len())
    }
}

/// The index file's contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeckIndex {
    /// Index format version.
    pub format_version: u32,
    /// Outlines by file, in file order.
    pub decks: Vec<Indexed>,
}

#[derive(Deserialize)]
struct Probe {
    format_version: u64,
}

/// What reading the index found.
#[derive(Debug)]
pub enum Read {
    /// A usable index.
    Current(DeckIndex),
    /// No index, or a damaged one: rebuilt from the decks.
    Rebuild,
    /// An index from a newer prepdeck: not used, and not overwritten.
    Newer,
}

/// Reads the index at `path`; never an error, as the deck files can always be read instead.
pub fn read(path: &Path) -> Read {
    let Ok(bytes) = super::file::read_bounded(path, MAX_INDEX_BYTES) else {
        return Read::Rebuild;
    };
    match serde_json::from_slice::<DeckIndex>(&bytes) {
        Ok(index)
            if index.format_version == INDEX_VERSION
                && index.decks.iter().all(Indexed::consistent) =>
        {
            Read::Current(index)
        }
        _ => match serde_json::from_slice::<Probe>(&bytes) {
            Ok(probe) if probe.format_version > u64::from(INDEX_VERSION) => Read::Newer,
            _ => Read::Rebuild,
        },
    }
}

/// Replaces the index at `path` with `decks`, atomically.
pub fn write(path: &Path, decks: Vec<Indexed>) -> crate::error::Result<()> {
    let index = DeckIndex {
        format_version: INDEX_VERSION,
        decks,
    };
    super::atomic::write_json(path, &index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Id;

    fn indexed(file: &str) -> Indexed {
        let id = |s: &str| serde_json::from_str::<Id>(&format!("{s:?}")).unwrap();
        Indexed {
            file: file.into(),
            stamp: Stamp {
                len: 10,
                modified_ns: 1,
                changed_ns: 2,
                dev: 3,
                ino: 4,
            },
            outline: Outline {
                id: id("d"),
                title: "T".into(),
                description: String::new(),
                cards: [id("a"), id("b")].iter().collect(),
            },
            ranges: CardRanges {
                starts: vec![2, 5],
                end: 8,
            },
        }
    }

    #[test]
    fn an_index_reads_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deck-index.json");
        write(&path, vec![indexed("d.json")]).unwrap();
        match read(&path) {
            Read::Current(index) => assert_eq!(index.decks, vec![indexed("d.json")]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_damaged_and_newer_indexes_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deck-index.json");
        assert!(matches!(read(&path), Read::Rebuild));
        std::fs::write(&path, "{\"format_version\":1,\"decks\":[").unwrap();
        assert!(matches!(read(&path), Read::Rebuild));
        let newer = format!(
            "{{\"format_version\":{},\"decks\":{{}}}}",
            INDEX_VERSION + 1
        );
        std::fs::write(&path, newer).unwrap();
        assert!(matches!(read(&path), Read::Newer));
        // An id that could not be a deck id is damage, not an outline.
        let text = serde_json::to_string(&DeckIndex {
            format_version: INDEX_VERSION,
            decks: vec![indexed("d.json")],
        })
        .unwrap()
        .replace("\"d\"", "\"../d\"");
        std::fs::write(&path, text).unwrap();
        assert!(matches!(read(&path), Read::Rebuild));
        // So is a card id that could not be one, among the ids joined by spaces.
        let text = serde_json::to_string(&DeckIndex {
            format_version: INDEX_VERSION,
            decks: vec![indexed("d.json")],
        })
        .unwrap();
        assert!(text.contains("\"cards\":\"a b\""), "{text}");
        std::fs::write(&path, text.replace("\"a b\"", "\"a B\"")).unwrap();
        assert!(matches!(read(&path), Read::Rebuild));
    }

    #[test]
    fn older_indexes_and_ranges_that_cannot_be_the_cards_are_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deck-index.json");
        let written = |decks: Vec<Indexed>| {
            write(&path, decks).unwrap();
            serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&path).unwrap())
                .unwrap()
        };
        // Version 1 as it was written: outlines without ranges.
        let mut v1 = written(vec![indexed("d.json")]);
        v1["format_version"] = 1.into();
        v1["decks"][0].as_object_mut().unwrap().remove("ranges");
        std::fs::write(&path, v1.to_string()).unwrap();
        assert!(matches!(read(&path), Read::Rebuild));
        // Version 2 as it was written: card ids as an array of strings.
        let mut v2 = written(vec![indexed("d.json")]);
        v2["format_version"] = 2.into();
        v2["decks"][0]["outline"]["cards"] = serde_json::json!(["a", "b"]);
        std::fs::write(&path, v2.to_string()).unwrap();
        assert!(matches!(read(&path), Read::Rebuild));
        // The current version: read. Then each way the ranges can be wrong.
        written(vec![indexed("d.json")]);
        assert!(matches!(read(&path), Read::Current(_)));
        let damaged = [
            |e: &mut Indexed| e.ranges.starts.pop().map(drop).unwrap_or(()),
            |e: &mut Indexed| e.ranges.starts.reverse(),
            |e: &mut Indexed| e.ranges.end = 10,
            |e: &mut Indexed| e.stamp.len = crate::deck::MAX_DECK_BYTES + 1,
        ];
        for damage in damaged {
            let mut entry = indexed("d.json");
            damage(&mut entry);
            written(vec![indexed("e.json"), entry]);
            assert!(matches!(read(&path), Read::Rebuild));
        }
    }

    #[test]
    fn only_changes_older_than_the_settle_time_count_as_settled() {
        let stamp = indexed("d.json").stamp;
        let at = |ns: u64| SystemTime::UNIX_EPOCH + Duration::from_nanos(ns);
        let settle = SETTLE.as_nanos() as u64;
        assert!(!stamp.settled(at(2 + settle - 1)));
        assert!(stamp.settled(at(2 + settle)));
        assert!(!stamp.settled(at(0)));
    }
}
