//! A card of a deck without the rest of it: read by its range in the deck file, and
//! refused once the whole deck, checked in the background, proved invalid.

use super::*;
use crate::deck::{Card, CardRanges};
use std::borrow::Cow;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Checks `entries` in full ([`Entry::check`]), in their order, on a thread of its own at
/// the lowest priority; the flag returned stops it between two decks. Without a thread to
/// spare they are checked here, before anything is shown.
///
/// The thread is not waited for: a deck takes some 15 ms to validate at 100,000 cards,
/// which a session ended at once would otherwise spend waiting. It reads deck files and
/// at most deletes the deck index (a cache), and the process ends with the command.
pub fn check_in_background(entries: Vec<&'static Entry>) -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let check = {
        let stop = Arc::clone(&stop);
        let entries = entries.clone();
        move || {
            lower_priority();
            for entry in entries {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                // An error is kept in the entry and reported when its next card is shown.
                entry.check();
                give_back_freed_memory();
            }
        }
    };
    if std::thread::Builder::new().spawn(check).is_err() {
        entries.iter().for_each(|entry| entry.check());
    }
    stop
}

/// Returns the memory freed since to the system. A deck checked in the background is read
/// whole and freed at once; glibc keeps what a thread frees for that thread, raising its
/// bar for giving large blocks back as it goes, so a session that checked its 20 decks
/// one after another held 126 MiB at 100,000 cards instead of about 40.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of glibc's own heaps to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Lowers the priority of the calling thread (the background check) below the
/// session's: on two cores, the check, the session and whatever else runs competed, and
/// each answer waited 0.04 ms longer (0.27 against 0.23 ms at 100,000 cards). The check
/// only needs the time the session leaves: `SCHED_IDLE`, which any other thread that
/// wakes up preempts at once, else the lowest `nice`.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: both calls take this thread's own id (0 for sched_setscheduler) and only
    // change how it is scheduled; `param` lives for the call.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        if libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) != 0 {
            let thread = libc::gettid() as libc::id_t;
            libc::setpriority(libc::PRIO_PROCESS, thread, 19);
        }
    }
}

impl Entry {
    /// Card `index` of the deck, to show it: taken from the whole deck when that is read,
    /// else read alone from its range in the deck file. Refused, with the deck's error,
    /// once [`Entry::check`] found the deck invalid.
    ///
    /// A card read alone passes every check a card of a deck passes on its own, and its
    /// id must be the outline's at its place; the checks that compare cards (repeated
    /// ids, near-identical fronts) are the whole deck's, made when the file was indexed
    /// under the stamp it still has, and again by [`Entry::check`].
    pub fn card(&self, index: usize) -> Result<Cow<'_, Card>> {
        if let Some(Err(message)) = self.verdict.get() {
            return Err(Error::Invalid(message.clone()));
        }
        match (&self.origin, &self.ranges, self.full.get()) {
            (Origin::User(path), Some((stamp, ranges)), None) => {
                let ahead = self.ahead.lock().ok().and_then(|mut ahead| {
                    ahead
                        .take_if(|(place, _)| *place == index)
                        .map(|(_, card)| card)
                });
                match ahead {
                    Some(card) => Ok(Cow::Owned(card)),
                    None => self.read_card(path, *stamp, ranges, index).map(Cow::Owned),
                }
            }
            _ => self
                .deck()?
                .cards
                .get(index)
                .map(Cow::Borrowed)
                .ok_or_else(|| {
                    Error::Invalid(format!(
                    "deck {} has fewer cards than when the session started; run the command again",
                    self.outline.id
                ))
                }),
        }
    }

    /// Reads card `index` by its range now, for [`Entry::card`] to take when its turn
    /// comes: called while the card before it is on screen, so that the time an answer
    /// takes to the next card is not spent reading it. Nothing is kept when the card
    /// cannot be read: [`Entry::card`] then reads it again and says why. Once the
    /// background check found the deck valid, cards are still read ahead: the deck stays
    /// unread, and every card after that would be read between an answer and its card.
    pub fn read_ahead(&self, index: usize) {
        if let (Origin::User(path), Some((stamp, ranges)), None, None | Some(Ok(()))) = (
            &self.origin,
            &self.ranges,
            self.full.get(),
            self.verdict.get(),
        ) {
            if let Ok(card) = self.read_card(path, *stamp, ranges, index) {
                if let Ok(mut ahead) = self.ahead.lock() {
                    *ahead = Some((index, card));
                }
            }
        }
    }

    /// Reads and validates the whole deck file, as [`Entry::deck`] does, keeping only
    /// the verdict: the text of the cards it shows is read by [`Entry::card`]. A review
    /// calls this in the background, so that a deck which proves invalid (or no longer
    /// the one indexed) has no further card shown.
    pub fn check(&self) {
        if self.full.get().is_some() {
            return;
        }
        if self.ranges.is_none() {
            // Its cards are read from the whole deck anyway: read it now.
            let _ = self.deck();
            return;
        }
        self.verdict
            .get_or_init(|| self.read_full().map(drop).map_err(|e| e.to_string()));
    }

    /// Card `index` read alone from the deck file at `path`, which must still have
    /// `stamp`. Anything that is not the outline's card there means the file is not the
    /// one indexed (or the index is wrong): the index is deleted so that the next start
    /// reads every deck, and the command stops, as when the whole deck disagrees.
    fn read_card(
        &self,
        path: &Path,
        stamp: Stamp,
        ranges: &CardRanges,
        index: usize,
    ) -> Result<Card> {
        use std::io::{Read, Seek, SeekFrom};
        let changed = |why: String| {
            self.forget_index();
            Error::Invalid(format!(
                "deck file {} changed while prepdeck was running ({why}); run the command again",
                path.display()
            ))
        };
        let (Some(span), Some(expected)) = (ranges.span(index), self.outline.cards.get(index))
        else {
            return Err(changed(format!("it has no card {}", index + 1)));
        };
        let (mut file, meta) =
            crate::store::file::open_nonblocking(path, std::fs::OpenOptions::new().read(true))
                .map_err(|e| Error::io("read", path, e))?;
        if !meta.is_file() || Stamp::of(&meta) != Some(stamp) {
            return Err(changed(
                "its size, times or inode are not those indexed".into(),
            ));
        }
        // The span is within the indexed length, itself at most a deck's size limit.
        let mut bytes = vec![0; (span.end - span.start) as usize];
        let read = file
            .seek(SeekFrom::Start(span.start))
            .and_then(|_| file.read_exact(&mut bytes));
        match read {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                return Err(changed("it is shorter than indexed".into()))
            }
            Err(e) => return Err(Error::io("read", path, e)),
        }
        let last = index + 1 == ranges.starts.len();
        let card = deck::read_card(&bytes, index, last).map_err(|why| {
            changed(format!(
                "card {} is not where the deck index says: {why}",
                index + 1
            ))
        })?;
        if card.id.as_str() != expected {
            return Err(changed(format!(
                "card {} is {:?}, not {:?}",
                index + 1,
                card.id.as_str(),
                expected
            )));
        }
        Ok(card)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::deck_index::{self, Indexed};

    /// A data directory with the deck file `mine.json` holding `deck`, and a deck index
    /// made from the file as it is now: what a later start finds once the file settled
    /// (the settle time is a rule for writing the index, not for reading it).
    fn indexed(deck: &Deck) -> (tempfile::TempDir, DataDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        data.create().unwrap();
        let path = data.decks_dir().join("mine.json");
        std::fs::write(&path, deck.to_json()).unwrap();
        let (parsed, ranges) = deck::load_with_ranges(&path).unwrap();
        let entry = Indexed {
            file: "mine.json".into(),
            stamp: stamp(&path),
            outline: parsed.deck.outline(),
            ranges: ranges.expect("the cards are found"),
        };
        deck_index::write(&data.deck_index_path(), vec![entry]).unwrap();
        (dir, data, path)
    }

    fn stamp(path: &Path) -> Stamp {
        Stamp::of(&std::fs::metadata(path).unwrap()).unwrap()
    }

    /// The index as written, changed by `change`, with the stamps of the files now.
    fn rewrite_index(data: &DataDir, change: impl Fn(&mut Indexed)) {
        let deck_index::Read::Current(index) = deck_index::read(&data.deck_index_path()) else {
            panic!("no index");
        };
        let decks = index
            .decks
            .into_iter()
            .map(|mut entry| {
                entry.stamp = stamp(&data.decks_dir().join(&entry.file));
                change(&mut entry);
                entry
            })
            .collect();
        deck_index::write(&data.deck_index_path(), decks).unwrap();
    }

    fn card(id: &str, front: &str, back: &str) -> Card {
        Card {
            id: Id::parse(id).unwrap(),
            front: front.into(),
            back: back.into(),
            tags: vec!["t".into()],
            source: None,
            guid: None,
        }
    }

    fn deck(cards: Vec<Card>) -> Deck {
        let mut deck = Deck::new(Id::parse("mine").unwrap(), "Mine".into(), String::new());
        deck.cards = cards;
        deck
    }

    #[test]
    fn every_card_read_by_its_range_is_the_card_of_the_whole_deck_which_is_not_kept() {
        let written = deck(vec![
            card(
                "quotes",
                "Q \"}, {\" \\ \\\" ]",
                "A \\u0022 {\"id\": \"x\"}",
            ),
            card("rtl", "\u{200f}שלום? مرحبا", "\u{200e}A 😀👍🏽 日本語"),
            card("long", "Q\tlong\nback", &"word \\ \" ".repeat(1_000)),
            card("last", "Q", "A"),
        ]);
        let (_dir, data, _path) = indexed(&written);
        let catalog = Catalog::load(&data).unwrap();
        let entry = catalog.require("mine").unwrap();
        for (i, expected) in written.cards.iter().enumerate() {
            let read = entry.card(i).unwrap();
            assert!(matches!(read, Cow::Owned(_)), "card {i} not read by range");
            assert_eq!(read.as_ref(), expected);
        }
        entry.check();
        assert_eq!(entry.verdict.get(), Some(&Ok(())));
        assert!(entry.full.get().is_none(), "the whole deck was kept");
        assert_eq!(entry.card(3).unwrap().as_ref(), &written.cards[3]);
    }

    #[test]
    fn a_deck_the_background_check_finds_invalid_has_its_next_card_refused_with_its_error() {
        let (_dir, data, path) = indexed(&deck(vec![
            card("a", "Q a", "A"),
            card("b", "Q b", "A"),
            card("c", "Q c", "A"),
        ]));
        // Card c takes card a's id: each card is still fine alone, the deck is not.
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("\"id\": \"c\"", "\"id\": \"a\"")).unwrap();
        rewrite_index(&data, |_| {});
        let catalog = Catalog::load(&data).unwrap();
        let entry = catalog.require("mine").unwrap();
        // Not checked yet: shown from its range.
        assert_eq!(entry.card(0).unwrap().front, "Q a");
        entry.check();
        let refused = entry.card(1).unwrap_err().to_string();
        assert!(refused.contains("already used by card 1"), "{refused}");
        assert_eq!(refused, entry.deck().unwrap_err().to_string());
        assert!(
            !data.deck_index_path().exists(),
            "an index wrong about the deck was kept"
        );
    }

    #[test]
    fn a_card_read_ahead_is_shown_from_memory_once_and_only_at_its_place() {
        let (_dir, data, path) = indexed(&deck(vec![
            card("a", "Q a", "A"),
            card("b", "Q b", "A"),
            card("c", "Q c", "A"),
        ]));
        let catalog = Catalog::load(&data).unwrap();
        let entry = catalog.require("mine").unwrap();
        entry.read_ahead(1);
        // The file changes after the card was read ahead: card 1 is the one read then,
        // any other card is read now, and refused.
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("Q b", "Q B").replace("Q c", "Q C")).unwrap();
        assert!(entry.card(2).is_err());
        assert_eq!(entry.card(1).unwrap().front, "Q b");
        // Taken once: asked again, it is read again.
        assert!(entry.card(1).is_err());
    }

    #[test]
    fn cards_are_still_read_ahead_once_the_background_check_found_the_deck_valid() {
        let (_dir, data, path) = indexed(&deck(vec![card("a", "Q a", "A"), card("b", "Q b", "A")]));
        let catalog = Catalog::load(&data).unwrap();
        let entry = catalog.require("mine").unwrap();
        entry.check();
        assert_eq!(entry.verdict.get(), Some(&Ok(())));
        entry.read_ahead(1);
        // Changed after the read ahead: only a card read then can still be shown.
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("Q b", "Q B")).unwrap();
        assert_eq!(entry.card(1).unwrap().front, "Q b");
    }

    #[test]
    fn a_range_that_is_not_its_card_stops_as_a_changed_file_and_drops_the_index() {
        let three = deck(vec![
            card("a", "Q a", "A"),
            card("b", "Q b", "A"),
            card("c", "Q c", "A"),
        ]);
        // Ranges shifted one card on: card 1's range holds card 2.
        let (_dir, data, _path) = indexed(&three);
        rewrite_index(&data, |entry| {
            let starts = &mut entry.ranges.starts;
            *starts = vec![starts[1], starts[2], starts[2] + 1];
        });
        let catalog = Catalog::load(&data).unwrap();
        let error = catalog.require("mine").unwrap().card(0).unwrap_err();
        let error = error.to_string();
        assert!(
            error.contains("changed while prepdeck was running")
                && error.contains("card 1 is \"b\", not \"a\"")
                && error.ends_with("run the command again"),
            "{error}"
        );
        assert!(!data.deck_index_path().exists());

        // A range inside a card, and a file cut short after the start.
        let (_dir, data, _path) = indexed(&three);
        rewrite_index(&data, |entry| entry.ranges.starts[0] += 1);
        let catalog = Catalog::load(&data).unwrap();
        let error = catalog.require("mine").unwrap().card(0).unwrap_err();
        assert!(
            error.to_string().contains("its bytes are not a card"),
            "{error}"
        );
        assert!(!data.deck_index_path().exists());

        let (_dir, data, path) = indexed(&three);
        let catalog = Catalog::load(&data).unwrap();
        let entry = catalog.require("mine").unwrap();
        assert_eq!(entry.card(2).unwrap().front, "Q c");
        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(stamp(&path).file_len() / 2).unwrap();
        let error = entry.card(2).unwrap_err().to_string();
        assert!(
            error.contains("changed while prepdeck was running") && error.contains("mine.json"),
            "{error}"
        );
        assert!(!data.deck_index_path().exists());
    }
}
