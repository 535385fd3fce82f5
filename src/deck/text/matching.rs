//! Which installed card each row of a text deck is, when the file does not say by an id.
//!
//! Progress is kept by card id, so a row that gets the wrong installed card's id moves
//! that card's progress onto a card that was never reviewed. Every rule below therefore
//! matches only when the match is certain, and otherwise lets the installed card retire
//! (its history kept) and the row come in as a new card:
//!
//! 1. an id given by the file (an id column, or a guid `prepdeck export` wrote);
//! 2. the Anki guid kept with an installed card: the same Anki note, however re-worded;
//! 3. the same front (as [`normalize_front`] sees it); among installed cards sharing a
//!    front, the one whose guid agrees, then the one with the same back; when neither
//!    decides, nothing is matched;
//! 4. a front re-worded a little (a typo fixed, a word's spelling) with the back
//!    unchanged, when exactly one row and one installed card fit each other;
//! 5. otherwise a new id: from the Anki guid when the row has one (the id the `.apkg`
//!    import gives the same note), else from the front, never one an installed card has.

use crate::deck::{self, normalize_front, Deck, RawCard};
use std::collections::{HashMap, HashSet};

/// One card read from a row of the file, before its id is settled.
#[derive(Debug, Clone, Default)]
pub(super) struct Row {
    /// 1-based line where the row starts.
    pub(super) line: usize,
    pub(super) front: String,
    pub(super) back: String,
    pub(super) tags: Vec<String>,
    pub(super) source: Option<String>,
    /// The id the file gives the card.
    pub(super) given_id: Option<String>,
    /// The Anki note's guid, when the file has a guid column.
    pub(super) guid: Option<String>,
    /// Which card of its note this is: 1, or the cloze number.
    pub(super) part: i64,
    /// True when the note makes more than one card (a cloze note): its guid then names
    /// the note, not this card, and is not kept with the card.
    pub(super) shares_note: bool,
}

/// The cards of `rows` with their ids settled against `existing`, the installed deck.
pub(super) fn assign_ids(rows: &[Row], existing: Option<&Deck>) -> Vec<RawCard> {
    let installed = existing.map_or(&[][..], |d| &d.cards[..]);
    let mut matcher = Matcher::new(rows, installed);
    matcher.by_guid();
    matcher.by_front();
    matcher.by_back();
    matcher.finish()
}

/// The matching in progress: an id per row, and which installed cards are spoken for.
struct Matcher<'a> {
    rows: &'a [Row],
    installed: &'a [deck::Card],
    /// The id of each row, once known.
    ids: Vec<Option<String>>,
    /// The installed card (index) each row was matched to.
    matched: Vec<Option<usize>>,
    /// Ids no other row may take.
    taken: HashSet<String>,
}

impl<'a> Matcher<'a> {
    fn new(rows: &'a [Row], installed: &'a [deck::Card]) -> Self {
        let ids: Vec<Option<String>> = rows.iter().map(|r| r.given_id.clone()).collect();
        let taken = ids.iter().flatten().cloned().collect();
        Matcher {
            rows,
            installed,
            ids,
            matched: vec![None; rows.len()],
            taken,
        }
    }

    /// Rows still without an id.
    fn open_rows(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.rows.len()).filter(|&r| self.ids[r].is_none())
    }

    /// Installed cards no row has taken yet.
    fn free_installed(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.installed.len()).filter(|&i| !self.taken.contains(self.installed[i].id.as_str()))
    }

    fn take(&mut self, row: usize, card: usize) {
        let id = self.installed[card].id.to_string();
        self.taken.insert(id.clone());
        self.ids[row] = Some(id);
        self.matched[row] = Some(card);
    }

    /// True when the row and the installed card carry guids of different Anki notes.
    fn other_note(&self, row: usize, card: usize) -> bool {
        let kept = self.installed[card].guid.as_deref();
        matches!((self.row_guid(row), kept), (Some(a), Some(b)) if a != b)
    }

    /// The guid that names this row's card alone (not a cloze note's).
    fn row_guid(&self, row: usize) -> Option<&str> {
        let row = &self.rows[row];
        row.guid.as_deref().filter(|_| !row.shares_note)
    }

    /// Rule 2: the same Anki note.
    fn by_guid(&mut self) {
        let mut by_guid: HashMap<&str, Vec<usize>> = HashMap::new();
        for i in self.free_installed() {
            if let Some(guid) = self.installed[i].guid.as_deref() {
                by_guid.entry(guid).or_default().push(i);
            }
        }
        for row in self.open_rows().collect::<Vec<_>>() {
            let Some(cards) = self.row_guid(row).and_then(|g| by_guid.get(g)) else {
                continue;
            };
            let free: Vec<usize> = cards
                .iter()
                .copied()
                .filter(|&i| !self.taken.contains(self.installed[i].id.as_str()))
                .collect();
            // Two installed cards with one guid (a note copied by hand): its front decides.
            let front = normalize_front(&self.rows[row].front);
            let pick = match free.as_slice() {
                [only] => Some(*only),
                _ => free
                    .iter()
                    .copied()
                    .find(|&i| normalize_front(&self.installed[i].front) == front),
            };
            if let Some(card) = pick {
                self.take(row, card);
            }
        }
    }

    /// Rule 3: the same front; duplicates told apart by guid, then by back.
    fn by_front(&mut self) {
        let mut rows_by_front: HashMap<String, Vec<usize>> = HashMap::new();
        for row in self.open_rows() {
            let key = normalize_front(&self.rows[row].front);
            if !key.is_empty() {
                rows_by_front.entry(key).or_default().push(row);
            }
        }
        let mut cards_by_front: HashMap<String, Vec<usize>> = HashMap::new();
        for card in self.free_installed() {
            cards_by_front
                .entry(normalize_front(&self.installed[card].front))
                .or_default()
                .push(card);
        }
        let mut fronts: Vec<(String, Vec<usize>)> = rows_by_front.into_iter().collect();
        // In file order, so that the outcome does not depend on the hash map's.
        fronts.sort_by_key(|(_, rows)| rows[0]);
        for (key, rows) in fronts {
            let Some(cards) = cards_by_front.get(&key) else {
                continue;
            };
            self.pair_same_front(&rows, cards);
        }
    }

    /// Pairs rows and installed cards that share a front.
    fn pair_same_front(&mut self, rows: &[usize], cards: &[usize]) {
        let fits = |m: &Self, row: usize, card: usize| {
            !m.taken.contains(m.installed[card].id.as_str()) && !m.other_note(row, card)
        };
        // The same guid, then the same back: each decides a pair on its own.
        for row in rows {
            let guid = self.row_guid(*row);
            let same_guid = cards.iter().copied().find(|&c| {
                fits(self, *row, c) && guid.is_some() && self.installed[c].guid.as_deref() == guid
            });
            if let Some(card) = same_guid {
                self.take(*row, card);
            }
        }
        let open: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&r| self.ids[r].is_none())
            .collect();
        for row in open {
            let back = self.rows[row].back.trim();
            let same_back = cards
                .iter()
                .copied()
                .find(|&c| fits(self, row, c) && self.installed[c].back.trim() == back);
            if let Some(card) = same_back {
                self.take(row, card);
            }
        }
        // What is left pairs only when it is one row and one card: the back was edited.
        let rows_left: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&r| self.ids[r].is_none())
            .collect();
        let cards_left: Vec<usize> = cards
            .iter()
            .copied()
            .filter(|&c| !self.taken.contains(self.installed[c].id.as_str()))
            .collect();
        if let ([row], [card]) = (rows_left.as_slice(), cards_left.as_slice()) {
            if fits(self, *row, *card) {
                self.take(*row, *card);
            }
        }
    }

    /// Rule 4: the back unchanged and the front re-worded a little, one to one.
    fn by_back(&mut self) {
        let mut cards_by_back: HashMap<String, Vec<usize>> = HashMap::new();
        for card in self.free_installed() {
            let key = normalize_front(&self.installed[card].back);
            if !key.is_empty() {
                cards_by_back.entry(key).or_default().push(card);
            }
        }
        let candidates = |m: &Self, row: usize| -> Vec<usize> {
            let front = normalize_front(&m.rows[row].front);
            cards_by_back
                .get(&normalize_front(&m.rows[row].back))
                .map_or_else(Vec::new, |cards| {
                    cards
                        .iter()
                        .copied()
                        .filter(|&c| !m.other_note(row, c))
                        .filter(|&c| close_fronts(&front, &normalize_front(&m.installed[c].front)))
                        .collect()
                })
        };
        let open: Vec<usize> = self.open_rows().collect();
        let found: Vec<(usize, Vec<usize>)> =
            open.iter().map(|&r| (r, candidates(self, r))).collect();
        for (row, cards) in &found {
            let [card] = cards.as_slice() else { continue };
            let rivals = found.iter().filter(|(_, cs)| cs.contains(card)).count();
            if rivals == 1 {
                self.take(*row, *card);
            }
        }
    }

    /// Rule 5, then the cards.
    fn finish(mut self) -> Vec<RawCard> {
        // An installed card left unmatched retires; a new card must not take its id, or
        // the retired card's progress would carry over to it.
        for card in self.installed {
            self.taken.insert(card.id.to_string());
        }
        let by_id: HashMap<&str, usize> = (self.installed.iter().enumerate())
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let mut cards = Vec::with_capacity(self.rows.len());
        for (r, row) in self.rows.iter().enumerate() {
            let id = match self.ids[r].take() {
                Some(id) => id,
                None => {
                    let id = match &row.guid {
                        Some(guid) => {
                            let from_guid = deck::anki::convert::note_card_id(guid, row.part);
                            if self.taken.contains(&from_guid) {
                                deck::slug(&row.front, |c| self.taken.contains(c)).to_string()
                            } else {
                                from_guid
                            }
                        }
                        None => deck::slug(&row.front, |c| self.taken.contains(c)).to_string(),
                    };
                    self.taken.insert(id.clone());
                    id
                }
            };
            // A row without a guid keeps the one its installed card came with (matched by
            // any rule, an id column included), so that a later export still updates
            // that Anki note.
            let guid = self.row_guid(r).map(str::to_owned).or_else(|| {
                self.matched[r]
                    .or_else(|| by_id.get(id.as_str()).copied())
                    .and_then(|c| self.installed[c].guid.clone())
            });
            cards.push(RawCard {
                id,
                front: row.front.clone(),
                back: row.back.clone(),
                tags: row.tags.clone(),
                source: row.source.clone(),
                guid,
            });
        }
        cards
    }
}

/// True when two [`normalize_front`] keys differ by a fixed typo: at most one edit in
/// ten characters (at least one), a swap of neighbours counting as one.
fn close_fronts(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let bound = (a.len().min(b.len()) / 10).max(1);
    edits_within(&a, &b, bound)
}

/// True when `a` becomes `b` in at most `bound` insertions, deletions, substitutions or
/// swaps of neighbours. Only a band of `bound` either side of the diagonal is computed,
/// so a long front costs its length times the bound, not its length squared.
fn edits_within(a: &[char], b: &[char], bound: usize) -> bool {
    if a.len().abs_diff(b.len()) > bound {
        return false;
    }
    let far = bound + 1;
    let width = b.len() + 1;
    // Three rows of the full table, cells outside the band counted as too far.
    let mut before = vec![far; width];
    let mut last = (0..width).map(|j| j.min(far)).collect::<Vec<_>>();
    let mut row = vec![far; width];
    for i in 1..=a.len() {
        row.fill(far);
        row[0] = i.min(far);
        let from = i.saturating_sub(bound).max(1);
        let to = (i + bound).min(b.len());
        let mut best = row[0];
        for j in from..=to {
            let substitute = last[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut cell = substitute.min(last[j] + 1).min(row[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cell = cell.min(before[j - 2] + 1);
            }
            row[j] = cell.min(far);
            best = best.min(row[j]);
        }
        if best > bound {
            return false;
        }
        std::mem::swap(&mut before, &mut last);
        std::mem::swap(&mut last, &mut row);
    }
    last[b.len()] <= bound
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{Card, Id};

    fn installed(cards: &[(&str, &str, &str, Option<&str>)]) -> Deck {
        let mut deck = Deck::new(Id::parse("d").unwrap(), "D".into(), String::new());
        for (id, front, back, guid) in cards {
            deck.cards.push(Card {
                id: Id::parse(id).unwrap(),
                front: (*front).into(),
                back: (*back).into(),
                tags: Vec::new(),
                source: None,
                guid: guid.map(str::to_owned),
            });
        }
        deck
    }

    fn row(front: &str, back: &str, guid: Option<&str>) -> Row {
        Row {
            line: 1,
            front: front.into(),
            back: back.into(),
            guid: guid.map(str::to_owned),
            part: 1,
            ..Row::default()
        }
    }

    fn ids(rows: &[Row], deck: &Deck) -> Vec<String> {
        assign_ids(rows, Some(deck))
            .into_iter()
            .map(|c| c.id)
            .collect()
    }

    #[test]
    fn a_guid_keeps_the_card_whatever_its_front_now_says() {
        let deck = installed(&[("calm", "How do you stay calm?", "Breathe.", Some("Ab1"))]);
        let rows = [row(
            "What keeps you calm under fire?",
            "Pause.",
            Some("Ab1"),
        )];
        assert_eq!(ids(&rows, &deck), ["calm"]);
    }

    #[test]
    fn a_fixed_typo_with_the_same_back_keeps_the_card() {
        let deck = installed(&[(
            "calm",
            "How do you stay clam with an angry customer?",
            "Listen first.",
            None,
        )]);
        let rows = [row(
            "How do you stay calm with an angry customer?",
            "Listen first.",
            None,
        )];
        assert_eq!(ids(&rows, &deck), ["calm"]);
    }

    #[test]
    fn a_new_question_with_an_old_answer_is_a_new_card() {
        let deck = installed(&[("calm", "How do you stay calm?", "Listen first.", None)]);
        let rows = [row("What do you do in a conflict?", "Listen first.", None)];
        assert_eq!(ids(&rows, &deck), ["what-do-you-do-in-a-conflict"]);
    }

    #[test]
    fn two_near_fronts_with_one_back_match_nothing_rather_than_guess() {
        let deck = installed(&[("a", "Name one strength", "Grit.", None)]);
        let rows = [
            row("Name one strengths", "Grit.", None),
            row("Name ones strength", "Grit.", None),
        ];
        let got = ids(&rows, &deck);
        assert!(!got.contains(&"a".to_owned()), "{got:?}");
    }

    #[test]
    fn duplicate_fronts_are_told_apart_by_guid_then_by_back() {
        let deck = installed(&[
            (
                "q-one",
                "Tell me about yourself",
                "Short version.",
                Some("G1"),
            ),
            (
                "q-two",
                "Tell me about yourself",
                "Long version.",
                Some("G2"),
            ),
            ("q-three", "Why us?", "Mission.", None),
            ("q-four", "Why us?", "Product.", None),
        ]);
        let rows = [
            row(
                "Tell me about yourself",
                "Long version, edited.",
                Some("G2"),
            ),
            row(
                "Tell me about yourself",
                "Short version, edited.",
                Some("G1"),
            ),
            row("Why us?", "Product.", None),
            row("Why us?", "Mission.", None),
        ];
        assert_eq!(ids(&rows, &deck), ["q-two", "q-one", "q-four", "q-three"]);
    }

    #[test]
    fn duplicate_fronts_whose_backs_both_changed_are_not_guessed() {
        let deck = installed(&[
            ("q-three", "Why us?", "Mission.", None),
            ("q-four", "Why us?", "Product.", None),
        ]);
        let rows = [
            row("Why us?", "Our mission.", None),
            row("Why us?", "Our product.", None),
        ];
        let got = ids(&rows, &deck);
        assert!(
            !got.contains(&"q-three".to_owned()) && !got.contains(&"q-four".to_owned()),
            "{got:?}"
        );
    }

    #[test]
    fn a_different_anki_note_with_the_same_front_is_not_matched() {
        let deck = installed(&[("a", "Why us?", "Mission.", Some("G1"))]);
        let rows = [row("Why us?", "Mission.", Some("G9"))];
        let cards = assign_ids(&rows, Some(&deck));
        assert_ne!(cards[0].id, "a");
        assert_eq!(cards[0].guid.as_deref(), Some("G9"));
    }

    #[test]
    fn a_row_without_a_guid_keeps_the_guid_of_its_card() {
        let deck = installed(&[("a", "Why us?", "Mission.", Some("G1"))]);
        let cards = assign_ids(&[row("Why us", "Mission!", None)], Some(&deck));
        assert_eq!(
            (cards[0].id.as_str(), cards[0].guid.as_deref()),
            ("a", Some("G1"))
        );
    }

    #[test]
    fn a_card_named_by_its_id_keeps_its_guid() {
        let deck = installed(&[("anki-1-1", "STAR", "S, T, A, R", Some("G1"))]);
        let mut named = row("STAR?", "Situation…", None);
        named.given_id = Some("anki-1-1".into());
        let cards = assign_ids(&[named], Some(&deck));
        assert_eq!(cards[0].guid.as_deref(), Some("G1"));
    }

    #[test]
    fn a_new_card_never_takes_the_id_of_a_card_that_retires() {
        // The installed card's back changed and a second row has its front: nothing is
        // certain, so neither row may inherit `why-us`'s progress.
        let deck = installed(&[("why-us", "Why us?", "Mission.", None)]);
        let rows = [row("Why us?", "A", None), row("Why us!", "B", None)];
        let got = ids(&rows, &deck);
        assert!(!got.contains(&"why-us".to_owned()), "{got:?}");
    }

    #[test]
    fn a_new_anki_card_gets_the_id_the_package_import_gives_its_note() {
        let cards = assign_ids(&[row("Q", "A", Some("Ab1"))], None);
        assert_eq!(
            cards[0].id,
            deck::anki::convert::note_card_id("Ab1", 1),
            "the id of card 1 of note Ab1"
        );
    }

    #[test]
    fn banded_edit_distance_agrees_with_the_full_table() {
        let full = |a: &str, b: &str| {
            let a: Vec<char> = a.chars().collect();
            let b: Vec<char> = b.chars().collect();
            let mut t = vec![vec![0usize; b.len() + 1]; a.len() + 1];
            for (i, row) in t.iter_mut().enumerate() {
                row[0] = i;
            }
            for (j, cell) in t[0].iter_mut().enumerate() {
                *cell = j;
            }
            for i in 1..=a.len() {
                for j in 1..=b.len() {
                    let mut c = (t[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]))
                        .min(t[i - 1][j] + 1)
                        .min(t[i][j - 1] + 1);
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        c = c.min(t[i - 2][j - 2] + 1);
                    }
                    t[i][j] = c;
                }
            }
            t[a.len()][b.len()]
        };
        let words = [
            "", "a", "ab", "ba", "abc", "acb", "xyz", "calm", "clam", "claim", "abcdef", "abdcef",
            "azcdxf", "bcdef", "abcdefg",
        ];
        for a in words {
            for b in words {
                let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                for bound in 0..4 {
                    assert_eq!(
                        edits_within(&ca, &cb, bound),
                        full(a, b) <= bound,
                        "{a:?} {b:?} within {bound}"
                    );
                }
            }
        }
    }
}
