//! `deck-archive/`: what an update must never throw away.
//!
//! `deck-archive/ID.json` records, for user deck `ID`, which cards the learner wrote
//! (imports keep them) and the text of every card an import retired (so `card restore`
//! or an older version brings it back). `deck-archive/removed/ID.MILLIS.json` holds
//! each deck file `remove` took away, as it was, for `decks restore`.

use super::atomic::sync_dir;
use super::DataDir;
use crate::deck::{Card, Id};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The archive format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Most bytes read from one archive file: a deck's worth of retired text, twice over.
const MAX_ARCHIVE_BYTES: u64 = 2 * crate::deck::MAX_DECK_BYTES;

/// One user deck's archive.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Archive {
    /// Cards the learner wrote: an import of a new version keeps them.
    pub own: BTreeSet<Id>,
    /// Cards an import retired, with their text, oldest first; one per id.
    pub retired: Vec<Card>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArchiveFile {
    format_version: u32,
    deck: String,
    #[serde(default)]
    own: Vec<String>,
    #[serde(default)]
    retired: Vec<ArchivedCard>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArchivedCard {
    id: String,
    front: String,
    back: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    guid: Option<String>,
}

impl Archive {
    /// Keeps `cards` (just retired) with their text; a card retired before is replaced by
    /// its latest text.
    pub fn retire(&mut self, cards: &[Card]) {
        self.retired
            .retain(|old| !cards.iter().any(|card| card.id == old.id));
        self.retired.extend(cards.iter().cloned());
    }

    /// Forgets the retired copies of cards the deck has again (`ids`).
    pub fn forget_returned<'a>(&mut self, ids: impl IntoIterator<Item = &'a Id>) {
        let back: BTreeSet<&Id> = ids.into_iter().collect();
        self.retired.retain(|card| !back.contains(&card.id));
    }

    /// Takes retired card `id` out of the archive.
    pub fn take_retired(&mut self, id: &Id) -> Option<Card> {
        let at = self.retired.iter().position(|card| card.id == *id)?;
        Some(self.retired.remove(at))
    }
}

impl DataDir {
    /// `deck-archive/`.
    pub fn archive_dir(&self) -> PathBuf {
        self.root().join("deck-archive")
    }

    /// `deck-archive/ID.json`, user deck `id`'s archive.
    pub fn archive_path(&self, id: &Id) -> PathBuf {
        self.archive_dir().join(format!("{id}.json"))
    }

    /// `deck-archive/removed/`, deck files `remove` set aside.
    pub fn removed_dir(&self) -> PathBuf {
        self.archive_dir().join("removed")
    }

    /// User deck `id`'s archive; empty when it has none. A damaged file or one from a
    /// newer prepdeck is an error and is left untouched.
    pub fn read_archive(&self, id: &Id) -> Result<Archive> {
        read(&self.archive_path(id), id)
    }

    /// Replaces user deck `id`'s archive atomically. Call while holding the decks lock.
    pub fn write_archive(&self, id: &Id, archive: &Archive) -> Result<()> {
        let dir = self.archive_dir();
        super::create_private_dir(&dir, "create")?;
        let file = ArchiveFile {
            format_version: FORMAT_VERSION,
            deck: id.to_string(),
            own: archive.own.iter().map(ToString::to_string).collect(),
            retired: archive
                .retired
                .iter()
                .map(|c| ArchivedCard {
                    id: c.id.to_string(),
                    front: c.front.clone(),
                    back: c.back.clone(),
                    tags: c.tags.clone(),
                    source: c.source.clone(),
                    guid: c.guid.clone(),
                })
                .collect(),
        };
        super::versioned::write(&self.archive_path(id), &file)
    }

    /// Moves deck file `path` (`decks/NAME.json`) into `deck-archive/removed/` as
    /// `NAME.MILLIS.json`, named by `now_ms` so that removing the same deck again keeps
    /// both copies. Call while holding the decks lock.
    pub fn set_removed_aside(&self, path: &Path, now_ms: i64) -> Result<PathBuf> {
        let dir = self.removed_dir();
        super::create_private_dir(&dir, "create")?;
        // The file's own name, odd bytes and all: a broken deck file need not be an id.
        let stem = path.file_stem().unwrap_or_default();
        let named = |stamp: i64| {
            let mut name = stem.to_os_string();
            name.push(format!(".{stamp}.json"));
            dir.join(name)
        };
        let mut stamp = now_ms;
        let mut target = named(stamp);
        while target.exists() {
            stamp += 1;
            target = named(stamp);
        }
        std::fs::rename(path, &target).map_err(|e| Error::io("move", path, e))?;
        sync_dir(&dir)?;
        if let Some(parent) = path.parent() {
            sync_dir(parent)?;
        }
        Ok(target)
    }

    /// The newest copy of deck `id` that `remove` set aside, if any.
    pub fn newest_removed(&self, id: &Id) -> Result<Option<PathBuf>> {
        let dir = self.removed_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io("read", &dir, e)),
        };
        let newest = entries
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                let (deck, stamp) = name.strip_suffix(".json")?.rsplit_once('.')?;
                (deck == id.as_str())
                    .then(|| stamp.parse::<i64>().ok())
                    .flatten()
                    .map(|stamp| (stamp, entry.path()))
            })
            .max_by_key(|(stamp, _)| *stamp);
        Ok(newest.map(|(_, path)| path))
    }
}

fn read(path: &Path, id: &Id) -> Result<Archive> {
    let what_to_do = format!(
        "It keeps your own and retired cards of deck {id}: fix it by hand, or move it away to go on without it"
    );
    let Some(file) = super::versioned::read::<ArchiveFile>(
        path,
        FORMAT_VERSION,
        MAX_ARCHIVE_BYTES,
        &what_to_do,
    )?
    else {
        return Ok(Archive::default());
    };
    let damaged = |detail: String| {
        Error::Invalid(format!(
            "{} is damaged ({detail}); it was left untouched. {what_to_do}",
            path.display()
        ))
    };
    let card_id = |text: &str| Id::parse(text).map_err(|why| damaged(format!("card id: {why}")));
    let own = file
        .own
        .iter()
        .map(|text| card_id(text))
        .collect::<Result<_>>()?;
    let retired = file
        .retired
        .into_iter()
        .map(|c| {
            Ok(Card {
                id: card_id(&c.id)?,
                front: c.front,
                back: c.back,
                tags: c.tags,
                source: c.source,
                guid: c.guid,
            })
        })
        .collect::<Result<_>>()?;
    Ok(Archive { own, retired })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(id: &str, front: &str) -> Card {
        Card {
            id: Id::parse(id).unwrap(),
            front: front.into(),
            back: "b".into(),
            tags: vec![],
            source: None,
            guid: None,
        }
    }

    fn deck_id() -> Id {
        Id::parse("mine").unwrap()
    }

    #[test]
    fn a_missing_archive_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        assert_eq!(data.read_archive(&deck_id()).unwrap(), Archive::default());
    }

    #[test]
    fn own_ids_and_retired_text_are_written_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        let mut archive = Archive::default();
        archive.own.insert(Id::parse("my-story").unwrap());
        archive.retire(&[card("old", "Old wording?")]);
        archive.retire(&[card("old", "Newer wording?"), card("other", "Other?")]);
        data.write_archive(&deck_id(), &archive).unwrap();
        let read = data.read_archive(&deck_id()).unwrap();
        assert_eq!(read, archive);
        assert_eq!(read.retired.len(), 2);
        assert_eq!(read.retired[0].front, "Newer wording?");
    }

    #[test]
    fn returned_cards_leave_the_archive_and_restore_takes_one_out() {
        let mut archive = Archive::default();
        archive.retire(&[card("a", "A?"), card("b", "B?"), card("c", "C?")]);
        archive.forget_returned([&Id::parse("a").unwrap()]);
        let b = archive.take_retired(&Id::parse("b").unwrap()).unwrap();
        assert_eq!(b.front, "B?");
        let left: Vec<&str> = archive.retired.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(left, ["c"]);
        assert!(archive.take_retired(&Id::parse("b").unwrap()).is_none());
    }

    #[test]
    fn a_newer_or_damaged_archive_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        std::fs::create_dir_all(data.archive_dir()).unwrap();
        let path = data.archive_path(&deck_id());
        for text in [
            r#"{"format_version":2}"#,
            "{not json",
            r#"{"format_version":1,"deck":"mine","own":["../x"]}"#,
        ] {
            std::fs::write(&path, text).unwrap();
            assert!(data.read_archive(&deck_id()).is_err(), "{text}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        }
    }

    #[test]
    fn removed_copies_are_kept_apart_and_the_newest_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        std::fs::create_dir_all(data.decks_dir()).unwrap();
        let deck = data.decks_dir().join("mine.json");
        std::fs::write(&deck, "first").unwrap();
        data.set_removed_aside(&deck, 1000).unwrap();
        std::fs::write(&deck, "second").unwrap();
        let second = data.set_removed_aside(&deck, 1000).unwrap();
        assert!(!deck.exists());
        assert_eq!(
            data.newest_removed(&deck_id()).unwrap(),
            Some(second.clone())
        );
        assert_eq!(std::fs::read_to_string(second).unwrap(), "second");
        assert_eq!(std::fs::read_dir(data.removed_dir()).unwrap().count(), 2);
    }
}
