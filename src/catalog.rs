//! The decks a learner has: built-in decks embedded in the binary, then user decks.

use crate::deck::{self, CardRanges, Deck, Id, Outline};
use crate::error::{Error, Result};
use crate::store::deck_index::{self, Indexed, Stamp};
use crate::store::DataDir;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

mod card;
pub use card::check_in_background;

/// Built-in deck files, in the order their new cards are introduced: the answer's frame
/// first (STAR, the six steps, the shape of a 60-90 second story), then what makes it
/// strong, the follow-up questions, model stories, angles, and why recruiters ask last,
/// so a candidate with only a few days learns the answer before the background.
const BUILT_IN: &[(&str, &str)] = &[
    (
        "decks/strategies.json",
        include_str!("../decks/strategies.json"),
    ),
    (
        "decks/answer-tips.json",
        include_str!("../decks/answer-tips.json"),
    ),
    (
        "decks/interview-day.json",
        include_str!("../decks/interview-day.json"),
    ),
    (
        "decks/star-examples.json",
        include_str!("../decks/star-examples.json"),
    ),
    (
        "decks/sample-answers.json",
        include_str!("../decks/sample-answers.json"),
    ),
    (
        "decks/why-they-ask.json",
        include_str!("../decks/why-they-ask.json"),
    ),
];

/// Where a deck comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary; read-only.
    BuiltIn,
    /// A file in the data directory's `decks/`.
    User(PathBuf),
}

impl Origin {
    /// `built-in` or `user`, as shown and in JSON.
    pub fn label(&self) -> &'static str {
        match self {
            Origin::BuiltIn => "built-in",
            Origin::User(_) => "user",
        }
    }
}

/// A deck and where it came from: its outline at once, its card text when first asked for.
#[derive(Debug)]
pub struct Entry {
    /// Id, title and card ids.
    pub outline: Outline,
    /// Built-in or user file.
    pub origin: Origin,
    /// The whole deck, once read; an error as its message.
    full: OnceLock<std::result::Result<Deck, String>>,
    /// Whether the whole deck file validated and has the outline, once checked without
    /// keeping its text ([`Entry::check`]); an error as its message.
    verdict: OnceLock<std::result::Result<(), String>>,
    /// The deck file's stamp when it was found, and where its cards are in that version
    /// of the file: a card is read alone only from a file that still has this stamp.
    ranges: Option<(Stamp, CardRanges)>,
    /// The deck index the outline came from, to discard it if it proves wrong.
    index: Option<PathBuf>,
    /// A card read by its range before its turn, with its place ([`Entry::read_ahead`]).
    ahead: std::sync::Mutex<Option<(usize, deck::Card)>>,
}

impl Entry {
    /// An entry for a deck already read in full.
    pub fn loaded(deck: Deck, origin: Origin) -> Entry {
        Entry {
            outline: deck.outline(),
            origin,
            full: OnceLock::from(Ok(deck)),
            verdict: OnceLock::new(),
            ahead: Default::default(),
            ranges: None,
            index: None,
        }
    }

    /// The deck id.
    pub fn id(&self) -> &Id {
        &self.outline.id
    }

    /// The whole deck with its card text, read from its file the first time.
    pub fn deck(&self) -> Result<&Deck> {
        self.full
            .get_or_init(|| self.read_full().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|message| Error::Invalid(message.clone()))
    }

    /// Deletes the deck index this entry's outline came from, which proved wrong.
    fn forget_index(&self) {
        if let Some(index) = &self.index {
            let _ = std::fs::remove_file(index);
        }
    }

    /// Reads the deck file behind an outline taken from the deck index.
    fn read_full(&self) -> Result<Deck> {
        let Origin::User(path) = &self.origin else {
            return Err(Error::Invalid(format!(
                "built-in deck {} has no text; this is a bug in prepdeck",
                self.outline.id
            )));
        };
        let deck = match deck::load(path) {
            Ok(parsed) => parsed.deck,
            Err(e) => {
                // The index holds only decks that validated in full: it is wrong about
                // this file, and the next start must read it to say what is wrong.
                self.forget_index();
                return Err(e);
            }
        };
        if deck.has_outline(&self.outline) {
            return Ok(deck);
        }
        // The file changed since the outline was taken, or the index was damaged in a
        // way its checks cannot see; either way the next start must read the files.
        self.forget_index();
        Err(Error::Invalid(format!(
            "deck file {} changed while prepdeck was running; run the command again",
            path.display()
        )))
    }
}

/// All decks, built-in first, then user decks by id.
#[derive(Debug, Default)]
pub struct Catalog {
    /// The decks in introduction order.
    pub decks: Vec<Entry>,
    /// User deck files that cannot be used, in file order. Commands go on without them
    /// (with a warning); naming one is an error.
    pub broken: Vec<Broken>,
}

/// A user deck file that failed to load: invalid, misnamed or unreadable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The deck id its file name stands for (`decks/ID.json`).
    pub id: String,
    /// The file.
    pub path: PathBuf,
    /// What is wrong and what to do, on one line.
    pub problem: String,
}

impl Broken {
    /// The one-line warning a command that goes on without the deck prints.
    pub fn warning(&self) -> String {
        format!("deck {} is left out: {}", self.id, self.problem)
    }
}

/// Parses the embedded decks; an invalid one is a bug caught by the test suite.
/// Built-in cards that moved to another built-in deck with version 2.0 of the decks,
/// keeping their id and meaning: old `deck/card` key, new key. Progress is keyed by
/// deck and card, so the log's answers under an old key count for the card where it is
/// now (see [`moved_to`]); without this a 1.x learner would lose their progress on it.
pub const MOVED_CARDS: &[(&str, &str)] = &[
    (
        "why-they-ask/philosophy-same-as-easy",
        "sample-answers/philosophy-same-as-easy",
    ),
    (
        "why-they-ask/philosophy-grandmother-standard",
        "sample-answers/philosophy-grandmother-standard",
    ),
    (
        "answer-tips/clarifying-questions-show-commitment",
        "interview-day/clarifying-questions-show-commitment",
    ),
    (
        "strategies/three-qualities-to-show",
        "why-they-ask/three-qualities-to-show",
    ),
    (
        "interview-day/practice-ways-to-improve",
        "answer-tips/practice-ways-to-improve",
    ),
];

/// Where a built-in card known by the old `deck/card` key `key` is now, if it moved.
pub fn moved_to(key: &[u8]) -> Option<&'static str> {
    MOVED_CARDS
        .iter()
        .find(|(old, _)| old.as_bytes() == key)
        .map(|(_, new)| *new)
}

pub fn built_in() -> Result<Vec<Deck>> {
    BUILT_IN
        .iter()
        .map(|(name, text)| {
            deck::parse(text.as_bytes(), &format!("built-in {name}"))
                .map(|parsed| parsed.deck)
                .map_err(|e| {
                    Error::from(deck::DeckError {
                        is_file: false,
                        ..e
                    })
                })
        })
        .collect()
}

/// True when `id` names a built-in deck.
pub fn is_built_in(id: &str) -> Result<bool> {
    Ok(built_in()?.iter().any(|d| d.id.as_str() == id))
}

/// A user deck file as found on a start: its name, its stamp, and the outline the
/// index holds for that stamp, if any.
struct Found {
    path: PathBuf,
    name: String,
    stamp: Option<Stamp>,
    /// The outline and card ranges.
    indexed: Option<(Outline, CardRanges)>,
}

impl Catalog {
    /// Built-in decks plus every `*.json` in the data directory's `decks/`.
    ///
    /// User decks whose file is unchanged since it was indexed come from the deck
    /// index, without their card text; the others are read and validated in full, and
    /// the index is brought up to date for the next start.
    pub fn load(dir: &DataDir) -> Result<Catalog> {
        let mut catalog = Catalog {
            decks: built_in()?
                .into_iter()
                .map(|deck| Entry::loaded(deck, Origin::BuiltIn))
                .collect(),
            broken: Vec::new(),
        };
        let (paths, misnamed) = user_deck_files(dir)?;
        catalog.broken = misnamed;
        if paths.is_empty() {
            return Ok(catalog);
        }
        let index_path = dir.deck_index_path();
        let index = deck_index::read(&index_path);
        let newer = matches!(index, deck_index::Read::Newer);
        // How many decks a usable index holds: it needs no writing when every one of
        // them was used and no other deck was added to it.
        let mut indexed: Option<usize> = None;
        let mut known: HashMap<String, Indexed> = HashMap::new();
        if let deck_index::Read::Current(index) = index {
            indexed = Some(index.decks.len());
            known = index
                .decks
                .into_iter()
                .map(|e| (e.file.clone(), e))
                .collect();
        }
        let found: Vec<Found> = paths
            .into_iter()
            .map(|path| {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_owned();
                let stamp = std::fs::metadata(&path).ok().and_then(|m| Stamp::of(&m));
                let indexed = known
                    .remove(name.as_str())
                    .filter(|entry| stamp == Some(entry.stamp))
                    .map(|entry| (entry.outline, entry.ranges));
                Found {
                    path,
                    name,
                    stamp,
                    indexed,
                }
            })
            .collect();
        // The files not indexed are shared out over the machine's cores: at 100,000
        // cards they are tens of megabytes of JSON. A file that fails is set aside as
        // broken and the others are used; the results are taken in file order.
        let parsed = crate::par::map(&found, |f| match &f.indexed {
            Some(_) => None,
            // Warnings (long backs, untagged cards) are a linter's business: `check`
            // and `import` show them; repeating them on every review would be noise.
            None => Some(load_with_ranges(&f.path)),
        });
        let now = SystemTime::now();
        // (file, place in the catalog) of the decks the index will hold, and how
        // many of them came from the index as it is.
        let mut after: Vec<(String, usize)> = Vec::new();
        let mut used = 0;
        for (f, loaded) in found.into_iter().zip(parsed) {
            let (outline, full, ranges) = match f.indexed {
                Some((outline, ranges)) => (outline, None, Some(ranges)),
                None => {
                    // Every file without an outline was loaded above.
                    let deck = match loaded {
                        Some(loaded) => loaded,
                        None => load_with_ranges(&f.path),
                    };
                    match deck {
                        Ok((deck, ranges)) => (deck.outline(), Some(deck), ranges),
                        // Removed since the folder was listed (`prepdeck remove` meanwhile).
                        Err(Error::Io { source, .. })
                            if source.kind() == std::io::ErrorKind::NotFound =>
                        {
                            continue
                        }
                        Err(e) => {
                            catalog
                                .broken
                                .push(Broken::of(&f.name, &f.path, e.to_string()));
                            continue;
                        }
                    }
                }
            };
            let expected = format!("{}.json", outline.id);
            if f.name != expected {
                let problem = format!(
                    "deck file {} holds deck id {:?}; rename it to {expected} so its id and file name agree",
                    f.path.display(),
                    outline.id.as_str()
                );
                catalog.broken.push(Broken::of(&f.name, &f.path, problem));
                continue;
            }
            if catalog.get(outline.id.as_str()).is_some() {
                let problem = format!(
                    "deck file {} uses the id {:?} of a built-in deck; rename the deck and its file",
                    f.path.display(),
                    outline.id.as_str()
                );
                catalog.broken.push(Broken::of(&f.name, &f.path, problem));
                continue;
            }
            // A file read now is indexed only if it did not change while it was read
            // and its last change is old enough to be told from the next one.
            let unchanged = || {
                let now_stamp = std::fs::metadata(&f.path).ok().and_then(|m| Stamp::of(&m));
                now_stamp == f.stamp
            };
            // Only a deck whose cards can be found again is indexed: a review reads
            // an indexed deck's cards by their ranges.
            if let (Some(stamp), Some(_)) = (f.stamp, &ranges) {
                if full.is_none() || (stamp.settled(now) && unchanged()) {
                    used += usize::from(full.is_none());
                    after.push((f.name, catalog.decks.len()));
                }
            }
            catalog.decks.push(Entry {
                outline,
                origin: Origin::User(f.path),
                full: full.map_or_else(OnceLock::new, |deck| OnceLock::from(Ok(deck))),
                verdict: OnceLock::new(),
                ahead: Default::default(),
                ranges: f.stamp.zip(ranges),
                index: Some(index_path.clone()),
            });
        }
        let same = indexed == Some(used) && used == after.len();
        // An index already right is not written again, nor an empty one where none was.
        if !same && !newer && (indexed.is_some() || !after.is_empty() || index_path.exists()) {
            let decks = after
                .into_iter()
                .filter_map(|(file, at)| {
                    let entry = &catalog.decks[at];
                    let (stamp, ranges) = entry.ranges.clone()?;
                    Some(Indexed {
                        file,
                        stamp,
                        outline: entry.outline.clone(),
                        ranges,
                    })
                })
                .collect();
            // Only a cache: a read-only data directory or a full disk costs speed, not
            // correctness, so a failed write is not reported.
            let _ = deck_index::write(&index_path, decks);
        }
        Ok(catalog)
    }

    /// Reads the card text of `entries` on all cores; the first error in their order.
    pub fn load_text(entries: &[&Entry]) -> Result<()> {
        crate::par::map(entries, |entry| entry.deck().map(|_| ()))
            .into_iter()
            .collect()
    }

    /// The deck with `id`.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.decks.iter().find(|e| e.id().as_str() == id)
    }

    /// One line per broken deck file, for commands that go on without them.
    pub fn warnings(&self) -> impl Iterator<Item = String> + '_ {
        self.broken.iter().map(Broken::warning)
    }

    /// The deck with `id`, or an error: what is wrong with its file if it is broken,
    /// else the known decks.
    pub fn require(&self, id: &str) -> Result<&Entry> {
        if let Some(entry) = self.get(id) {
            return Ok(entry);
        }
        if let Some(broken) = self.broken.iter().find(|b| b.id == id) {
            return Err(Error::Invalid(format!(
                "deck {} cannot be used: {}",
                broken.id, broken.problem
            )));
        }
        let ids = self.decks.iter().map(|e| e.id().as_str().to_owned());
        Err(Error::UnknownDeck {
            id: crate::render::text::one_line(id),
            hint: crate::suggest::closest(id, ids)
                .map(|s| format!(" did you mean \"{s}\"?"))
                .unwrap_or_default(),
            known: self
                .decks
                .iter()
                .map(|e| e.id().as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    /// The decks named in `ids` (all when empty), in catalog order.
    pub fn select(&self, ids: &[String]) -> Result<Vec<&Entry>> {
        for id in ids {
            self.require(id)?;
        }
        Ok(self
            .decks
            .iter()
            .filter(|e| ids.is_empty() || ids.iter().any(|id| id == e.id().as_str()))
            .collect())
    }
}

impl Catalog {
    /// The decks to study: those named in `ids`, or every deck not in `hidden` when
    /// none is named (a hidden deck named explicitly is still studied).
    pub fn select_for_study(
        &self,
        ids: &[String],
        hidden: &std::collections::BTreeSet<String>,
    ) -> Result<Vec<&Entry>> {
        let selected = self.select(ids)?;
        if !ids.is_empty() {
            return Ok(selected);
        }
        Ok(selected
            .into_iter()
            .filter(|e| !hidden.contains(e.id().as_str()))
            .collect())
    }
}

impl Broken {
    /// The deck file `name` at `path` as a broken deck, for `problem`.
    fn of(name: &str, path: &std::path::Path, problem: String) -> Broken {
        Broken {
            id: name.strip_suffix(".json").unwrap_or(name).to_owned(),
            path: path.to_path_buf(),
            problem: crate::render::text::one_line(&problem),
        }
    }
}

/// The deck file at `path` read and validated in full, and where its cards are.
fn load_with_ranges(path: &Path) -> Result<(Deck, Option<CardRanges>)> {
    deck::load_with_ranges(path).map(|(parsed, ranges)| (parsed.deck, ranges))
}

/// `decks/*.json` in the data directory, sorted; hidden files are ignored. Files whose
/// names are not UTF-8 come apart, as broken decks.
fn user_deck_files(dir: &DataDir) -> Result<(Vec<PathBuf>, Vec<Broken>)> {
    let decks_dir = dir.decks_dir();
    let entries = match std::fs::read_dir(&decks_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(e) => return Err(Error::io("read", &decks_dir, e)),
    };
    let mut paths = Vec::new();
    let mut misnamed = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io("read", &decks_dir, e))?.path();
        let name = path.file_name().unwrap_or_default();
        let bytes = name.as_encoded_bytes();
        if !bytes.ends_with(b".json") || bytes.starts_with(b".") {
            continue;
        }
        // Skipping it would hide a deck the learner put there; it cannot be loaded
        // either, as a deck's file is named after its id, which is plain ASCII.
        // One broken deck like any other: the other decks, built-in ones included, are
        // still used, and `prepdeck remove` takes the name `decks` shows.
        if name.to_str().is_none() {
            let shown = escape_name(name);
            let problem = format!(
                "deck file \"{shown}\" in {} has a name that is not valid UTF-8, so it cannot be the file of any deck; rename it to ID.json after the deck id it holds, move it out of the folder, or delete it with `prepdeck remove`",
                decks_dir.display()
            );
            misnamed.push(Broken::of(&shown, &path, problem));
            continue;
        }
        paths.push(path);
    }
    paths.sort();
    misnamed.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((paths, misnamed))
}

/// A file name for a message: its valid UTF-8 as it is, every other byte as `\xNN`
/// (the replacement character would hide which bytes they were).
fn escape_name(name: &std::ffi::OsStr) -> String {
    use std::fmt::Write as _;
    let mut shown = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        shown.push_str(chunk.valid());
        for byte in chunk.invalid() {
            let _ = write!(shown, "\\x{byte:02x}");
        }
    }
    shown
}

/// The path a user deck with `id` is stored at.
pub fn user_deck_path(dir: &DataDir, id: &Id) -> PathBuf {
    dir.decks_dir().join(format!("{id}.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck(id: &str) -> String {
        format!(
            r#"{{"format_version": 1, "id": "{id}", "title": "T", "description": "",
            "cards": [{{"id": "c", "front": "Q", "back": "A", "tags": ["t"]}}]}}"#
        )
    }

    #[test]
    fn decks_load_in_file_order_and_broken_files_are_set_aside_with_one_line_each() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        data.create().unwrap();
        let write = |name: &str, text: &str| std::fs::write(data.decks_dir().join(name), text);
        for i in 0..12 {
            write(&format!("d{i:02}.json"), &deck(&format!("d{i:02}"))).unwrap();
        }
        let ids = |catalog: &Catalog| -> Vec<String> {
            catalog.decks[BUILT_IN.len()..]
                .iter()
                .map(|e| e.id().to_string())
                .collect()
        };
        let catalog = Catalog::load(&data).unwrap();
        assert_eq!(
            ids(&catalog),
            (0..12).map(|i| format!("d{i:02}")).collect::<Vec<_>>()
        );
        assert!(catalog.broken.is_empty());

        // d03 names the wrong id, d07 is not JSON, d09 has two bad cards, d10 takes a
        // built-in id: each is set aside, the rest load, and each says why on one line.
        write("d03.json", &deck("elsewhere")).unwrap();
        write("d07.json", "{").unwrap();
        let two_bad = deck("d09").replace(
            r#"[{"id": "c", "front": "Q", "back": "A", "tags": ["t"]}]"#,
            r#"[{"id": "c", "front": "", "back": "A"}, {"id": "c", "front": "Q", "back": ""}]"#,
        );
        write("d09.json", &two_bad).unwrap();
        write("why-they-ask.json", &deck("why-they-ask")).unwrap();
        let catalog = Catalog::load(&data).unwrap();
        let broken: Vec<&str> = catalog.broken.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(broken, ["d03", "d07", "d09", "why-they-ask"]);
        assert_eq!(ids(&catalog).len(), 9);
        for b in &catalog.broken {
            assert!(!b.problem.contains('\n'), "{}", b.problem);
            assert!(
                b.problem.contains(&b.path.display().to_string()),
                "{}",
                b.problem
            );
        }
        assert!(catalog.broken[0].problem.contains("elsewhere"));
        let d09 = &catalog.broken[2].problem;
        assert!(
            d09.contains("errors, the first at card 1") && d09.contains("`prepdeck check "),
            "{d09}"
        );
        // The built-in deck of that id is still there; naming a broken deck is an error
        // that says what is wrong with it.
        assert!(catalog.get("why-they-ask").is_some());
        let err = catalog.require("d07").unwrap_err().to_string();
        assert!(
            err.starts_with("deck d07 cannot be used: deck ") && err.contains("d07.json"),
            "{err}"
        );
        assert!(matches!(
            catalog.require("nope"),
            Err(Error::UnknownDeck { .. })
        ));
        assert_eq!(catalog.warnings().count(), 4);
    }

    #[test]
    fn a_broken_deck_is_not_indexed_and_a_fixed_one_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        data.create().unwrap();
        let path = data.decks_dir().join("mine.json");
        std::fs::write(&path, "{").unwrap();
        let catalog = Catalog::load(&data).unwrap();
        assert_eq!(catalog.broken.len(), 1);
        assert!(catalog.get("mine").is_none());
        let indexed = match deck_index::read(&data.deck_index_path()) {
            deck_index::Read::Current(index) => index.decks.len(),
            _ => 0,
        };
        assert_eq!(indexed, 0);
        std::fs::write(&path, deck("mine")).unwrap();
        let catalog = Catalog::load(&data).unwrap();
        assert!(catalog.broken.is_empty());
        assert_eq!(
            catalog.require("mine").unwrap().deck().unwrap().cards.len(),
            1
        );
    }

    #[test]
    fn every_built_in_deck_is_valid_and_has_cards() {
        let decks = built_in().expect("built-in decks must validate");
        assert!(!decks.is_empty());
        for deck in &decks {
            assert!(!deck.cards.is_empty(), "{} has no cards", deck.id);
        }
    }
}
