//! Aggregated figures about decks and progress: numbers only, no printing.

use crate::catalog;
use crate::deck::Outline;
use crate::plan::{is_ready, Dues, Readiness};
use crate::progress::{CardKeys, DayTallies, Progress, Tally};
use crate::sm2::add_days;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};

/// Cards with an interval at least this long are mature (as in Anki).
pub const MATURE_DAYS: u32 = 21;
/// Retention looks back this many study days, today included.
pub const RETENTION_DAYS: u32 = 30;
/// How many days ahead the due forecast goes.
pub const FORECAST_DAYS: u32 = 14;
/// How many weeks of activity the heatmap shows.
pub const HEATMAP_WEEKS: u32 = 16;

/// Figures for one deck (or the total row).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DeckStats {
    /// Deck id, or `total`.
    pub deck: String,
    /// Cards in the deck.
    pub cards: u32,
    /// Never answered.
    pub new: u32,
    /// Answered, interval under 21 days.
    pub young: u32,
    /// Interval of 21 days or more.
    pub mature: u32,
    /// Answered cards due today or overdue.
    pub due_today: u32,
    /// Answers today, re-drills excluded.
    pub reviewed_today: u32,
    /// Reviews of non-new cards in the last 30 days (re-drills excluded).
    pub recall_reviews_30d: u32,
    /// Of those, graded 3 or more.
    pub recall_passed_30d: u32,
    /// `recall_passed_30d / recall_reviews_30d`, `null` with no such reviews.
    pub retention_30d: Option<f64>,
    /// Cram answers today (`review --cram`), counted apart from `reviewed_today`.
    pub cram_today: u32,
}

impl DeckStats {
    fn add(&mut self, other: &DeckStats) {
        self.cards += other.cards;
        self.new += other.new;
        self.young += other.young;
        self.mature += other.mature;
        self.due_today += other.due_today;
        self.reviewed_today += other.reviewed_today;
        self.cram_today += other.cram_today;
        self.recall_reviews_30d += other.recall_reviews_30d;
        self.recall_passed_30d += other.recall_passed_30d;
        self.retention_30d = retention(self.recall_passed_30d, self.recall_reviews_30d);
    }
}

fn retention(passed: u32, total: u32) -> Option<f64> {
    (total > 0).then(|| f64::from(passed) / f64::from(total))
}

/// Cards falling due on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DueDay {
    /// The study day.
    pub date: NaiveDate,
    /// Cards due that day (not counting overdue ones).
    pub cards: u32,
}

/// Answers given on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayCount {
    /// The study day.
    pub date: NaiveDate,
    /// Answers that day, re-drills included, undone ones excluded.
    pub answers: u32,
}

/// Everything `prepdeck stats` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Today's study day.
    pub today: NaiveDate,
    /// One row per deck.
    pub decks: Vec<DeckStats>,
    /// The sum of the rows.
    pub total: DeckStats,
    /// Consecutive study days with at least one answer, ending today (or yesterday
    /// when nothing was answered yet today).
    pub streak_days: u32,
    /// Cards due on each of the next 7 days.
    pub due_next_7_days: Vec<DueDay>,
    /// Cards due on each of the next 14 days (the forecast chart).
    pub forecast: Vec<DueDay>,
    /// Answers per day over the last 16 weeks, oldest first (the heatmap).
    pub answers_per_day: Vec<DayCount>,
    /// Scheduling answers by grade 0..=5 over the last 30 days (the grade chart).
    pub grades_30d: [u32; 6],
    /// Cards last answered 4 or 5 and not overdue.
    pub readiness: Readiness,
    /// Cram answers over the last 30 days: in no other figure but the heatmap.
    pub cram_30d: u32,
}

impl DeckStats {
    /// A row with six-digit counts under a long deck id: what must still fit 80 columns.
    #[cfg(test)]
    pub(crate) fn large(deck: &str) -> DeckStats {
        DeckStats {
            deck: deck.into(),
            cards: 100_000,
            new: 50_000,
            young: 25_000,
            mature: 25_000,
            due_today: 5_900,
            reviewed_today: 1_234,
            recall_reviews_30d: 9_000,
            recall_passed_30d: 8_000,
            retention_30d: Some(0.89),
            cram_today: 0,
        }
    }
}

/// Figures for `decks` on study day `today`, with the due days of `dues` (an interview
/// plan's, or SM-2's).
///
/// Every figure counts only the cards in each deck's current version: `retired` holds
/// the day tallies of the answers on [`retired_cards`] (folded from the log, deck by
/// deck, as [`Progress::days`] is), and they are taken out of the deck's tallies. With
/// no retired card that has answers, `retired` is empty. The streak, the heatmap and
/// the grades count `decks` only, like the rows.
pub fn compute(
    decks: &[&catalog::Entry],
    progress: &Progress,
    retired: &DayTallies,
    today: NaiveDate,
    dues: &Dues,
) -> Stats {
    finish(
        decks,
        &count(decks, progress, today, dues),
        progress,
        retired,
        today,
    )
}

/// The card counts of [`compute`], deck by deck: the part that looks up every card's
/// state, which answers on retired cards do not change.
pub struct Counts(Vec<CardCounts>);

/// Counts the cards of `decks` for [`finish`].
pub fn count(
    decks: &[&catalog::Entry],
    progress: &Progress,
    today: NaiveDate,
    dues: &Dues,
) -> Counts {
    // Looking up every card's state is most of the work at 100,000 cards; the decks are
    // counted on the machine's cores, and added up in [`finish`] in deck order.
    Counts(crate::par::map(decks, |entry| {
        count_cards(&entry.outline, progress, today, dues)
    }))
}

/// [`compute`] from the card counts of the same `decks`.
pub fn finish(
    decks: &[&catalog::Entry],
    counts: &Counts,
    progress: &Progress,
    retired: &DayTallies,
    today: NaiveDate,
) -> Stats {
    let counts = &counts.0;
    let mut forecast = vec![0u32; FORECAST_DAYS as usize];
    let window_start = today - chrono::Days::new(u64::from(RETENTION_DAYS - 1));
    let heatmap_start = heatmap_start(today);
    let mut answers = vec![0u32; (today - heatmap_start).num_days() as usize + 1];
    let mut grades_30d = [0u32; 6];
    let mut cram_30d = 0u32;
    let mut studied = BTreeSet::new();
    let mut rows = Vec::with_capacity(decks.len());
    for (entry, counted) in decks.iter().zip(counts) {
        let deck_id = entry.id().as_str();
        let mut row = DeckStats {
            deck: deck_id.to_owned(),
            ..counted.row
        };
        for (sum, n) in forecast.iter_mut().zip(counted.forecast) {
            *sum += n;
        }
        for (day, tally) in current_days(progress, retired, deck_id) {
            if tally.answers() > 0 {
                studied.insert(day);
            }
            if day == today {
                row.reviewed_today = tally.reviews;
                row.cram_today = tally.cram;
            }
            if (window_start..=today).contains(&day) {
                cram_30d = cram_30d.saturating_add(tally.cram);
                row.recall_reviews_30d += tally.recall_total;
                row.recall_passed_30d += tally.recall_pass;
                for (sum, n) in grades_30d.iter_mut().zip(tally.grades) {
                    *sum += n;
                }
            }
            if (heatmap_start..=today).contains(&day) {
                answers[(day - heatmap_start).num_days() as usize] += tally.answers();
            }
        }
        row.retention_30d = retention(row.recall_passed_30d, row.recall_reviews_30d);
        rows.push(row);
    }
    let mut total = DeckStats {
        deck: "total".into(),
        ..DeckStats::default()
    };
    for row in &rows {
        total.add(row);
    }
    let forecast: Vec<DueDay> = forecast
        .into_iter()
        .enumerate()
        .map(|(i, cards)| DueDay {
            date: add_days(today, i as u32 + 1),
            cards,
        })
        .collect();
    Stats {
        today,
        decks: rows,
        total,
        streak_days: streak(&studied, today),
        due_next_7_days: forecast[..7].to_vec(),
        forecast,
        answers_per_day: answers
            .into_iter()
            .enumerate()
            .map(|(i, answers)| DayCount {
                date: add_days(heatmap_start, i as u32),
                answers,
            })
            .collect(),
        grades_30d,
        readiness: Readiness::sum(counts.iter().map(|c| c.readiness)),
        cram_30d,
    }
}

/// The day tallies of `deck` without the answers on its retired cards.
fn current_days<'a>(
    progress: &'a Progress,
    retired: &'a DayTallies,
    deck: &str,
) -> impl Iterator<Item = (NaiveDate, Tally)> + 'a {
    let gone = retired.get(deck);
    progress
        .days
        .get(deck)
        .into_iter()
        .flatten()
        .map(move |(day, tally)| {
            let tally = match gone.and_then(|days| days.get(day)) {
                Some(part) => tally.without(part),
                None => *tally,
            };
            (*day, tally)
        })
}

/// The `deck-id/card-id` keys of the cards of `decks` that have progress but are not
/// in their deck's current version (retired by an update, or dropped from a built-in
/// deck): their answers are in the log and in the deck's day tallies, and [`compute`]
/// must be given them to leave them out. `stats` is [`compute`]'s result for `decks`.
///
/// A deck's answered cards are its young and mature ones, already counted; only a deck
/// with more card states than that is looked at card by card, so the usual case costs
/// nothing.
pub fn retired_cards(decks: &[&catalog::Entry], progress: &Progress, stats: &Stats) -> CardKeys {
    let mut retired = CardKeys::default();
    for (entry, row) in decks.iter().zip(&stats.decks) {
        debug_assert_eq!(entry.id().as_str(), row.deck);
        let deck_id = entry.id().as_str();
        let Some(states) = progress.cards.deck(deck_id) else {
            continue;
        };
        let answered = (row.young + row.mature) as usize;
        if states.len() <= answered {
            continue;
        }
        let current: HashSet<&str> = entry.outline.cards.iter().collect();
        retired.extend(
            states
                .keys()
                .filter(|card| !current.contains(card))
                .map(|card| format!("{deck_id}/{card}")),
        );
    }
    retired
}

/// What the cards of one deck contribute to [`compute`].
struct CardCounts {
    /// Cards, new, young, mature and due today; the other figures stay zero.
    row: DeckStats,
    /// Cards falling due on each of the next [`FORECAST_DAYS`] days.
    forecast: [u32; FORECAST_DAYS as usize],
    readiness: Readiness,
}

fn count_cards(deck: &Outline, progress: &Progress, today: NaiveDate, dues: &Dues) -> CardCounts {
    let horizon = add_days(today, FORECAST_DAYS);
    let mut row = DeckStats::default();
    let mut forecast = [0; FORECAST_DAYS as usize];
    let mut ready = 0;
    let dues = dues.deck(deck.id.as_str());
    for (index, (_, state)) in progress.deck_states(deck).enumerate() {
        row.cards += 1;
        let Some(state) = state else {
            row.new += 1;
            continue;
        };
        if state.interval >= MATURE_DAYS {
            row.mature += 1;
        } else {
            row.young += 1;
        }
        let due = dues.due(index, state);
        if due <= today {
            row.due_today += 1;
        } else if due <= horizon {
            let offset = (due - today).num_days() as usize - 1;
            forecast[offset] += 1;
        }
        ready += u32::from(is_ready(state, due, today));
    }
    CardCounts {
        readiness: Readiness::of(ready, row.cards),
        row,
        forecast,
    }
}

/// The Monday that starts the heatmap: 16 weeks ending with today's week.
pub fn heatmap_start(today: NaiveDate) -> NaiveDate {
    let monday = today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday()));
    monday - chrono::Days::new(u64::from(HEATMAP_WEEKS - 1) * 7)
}

/// Consecutive days of `studied` counted back from today (or from yesterday, so an
/// unfinished today does not break a streak).
pub fn streak(studied: &BTreeSet<NaiveDate>, today: NaiveDate) -> u32 {
    let mut day = today;
    if !studied.contains(&day) {
        match day.pred_opt() {
            Some(yesterday) => day = yesterday,
            None => return 0,
        }
    }
    let mut count = 0;
    while studied.contains(&day) {
        count += 1;
        match day.pred_opt() {
            Some(previous) => day = previous,
            None => break,
        }
    }
    count
}

/// Counts `cards` due on `date` into `best` if that is its day or an earlier one.
fn earliest(best: &mut Option<DueDay>, date: NaiveDate, cards: u32) {
    match best {
        Some(b) if b.date == date => b.cards += cards,
        Some(b) if b.date < date => {}
        _ => *best = Some(DueDay { date, cards }),
    }
}

/// What is left to study in some decks: for the end of a review, and for a review
/// that has nothing to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outlook {
    /// Answered cards due today or earlier.
    pub due_today: u32,
    /// Cards never answered.
    pub unseen: u32,
    /// The first day after today with cards due, and how many.
    pub next: Option<DueDay>,
}

impl Outlook {
    /// `other`'s cards counted in too.
    pub fn add(&mut self, other: &Outlook) {
        self.due_today += other.due_today;
        self.unseen += other.unseen;
        if let Some(next) = other.next {
            earliest(&mut self.next, next.date, next.cards);
        }
    }
}

/// The [`Outlook`] of `decks` on study day `today`, in one pass over their cards.
pub fn outlook(
    decks: &[&catalog::Entry],
    progress: &Progress,
    today: NaiveDate,
    dues: &Dues,
) -> Outlook {
    let mut all = Outlook::default();
    for deck in outlooks(decks, progress, today, dues) {
        all.add(&deck);
    }
    all
}

/// The [`Outlook`] of each of `decks`, in deck order.
pub fn outlooks(
    decks: &[&catalog::Entry],
    progress: &Progress,
    today: NaiveDate,
    dues: &Dues,
) -> Vec<Outlook> {
    // Each deck on a thread of its own (see [`compute`]).
    crate::par::map(decks, |entry| {
        let mut deck = Outlook::default();
        let dues = dues.deck(entry.id().as_str());
        for (index, (card, state)) in progress.deck_states(&entry.outline).enumerate() {
            if progress.is_suspended(entry.id().as_str(), card) {
                continue;
            }
            match state.map(|s| dues.due(index, s)) {
                None => deck.unseen += 1,
                Some(due) if due <= today => deck.due_today += 1,
                Some(due) => earliest(&mut deck.next, due, 1),
            }
        }
        deck
    })
}

/// Random collections for property tests of the per-deck passes.
#[cfg(test)]
pub(crate) mod test_collection {
    use crate::catalog;
    use crate::deck;
    use crate::progress::{answer_entry, Entry, Progress};
    use crate::sm2::Grade;
    use chrono::{DateTime, NaiveDate};
    use proptest::prelude::*;

    /// Per deck, per card, the answers given: (grade, days before today).
    pub type Spec = Vec<Vec<Vec<(u8, u32)>>>;

    pub fn spec() -> impl Strategy<Value = Spec> {
        let answers = proptest::collection::vec((0u8..=5, 0u32..40), 0..4);
        let deck = proptest::collection::vec(answers, 0..12);
        proptest::collection::vec(deck, 0..7)
    }

    /// Decks `d0`, `d1`, ... with cards `c0`, `c1`, ... answered as `spec` says, oldest
    /// answer first.
    pub fn build(spec: &Spec, today: NaiveDate) -> (Vec<catalog::Entry>, Progress) {
        let (decks, log) = build_log(spec, today);
        let mut progress = Progress::default();
        for entry in &log {
            progress.apply(entry);
        }
        (decks, progress)
    }

    /// Deck `d{d}` with the cards `c{c}` for every `c` in `cards`, in that order.
    pub fn deck(d: usize, cards: impl Iterator<Item = usize>) -> catalog::Entry {
        let texts: Vec<String> = cards
            .map(|c| format!(r#"{{"id": "c{c}", "front": "Q {c}", "back": "A", "tags": ["t"]}}"#))
            .collect();
        let text = format!(
            r#"{{"format_version": 1, "id": "d{d}", "title": "D", "description": "", "cards": [{}]}}"#,
            texts.join(",")
        );
        catalog::Entry::loaded(
            deck::parse(text.as_bytes(), "d").unwrap().deck,
            catalog::Origin::BuiltIn,
        )
    }

    /// [`build`]'s decks and the review log that gives its progress.
    pub fn build_log(spec: &Spec, today: NaiveDate) -> (Vec<catalog::Entry>, Vec<Entry>) {
        let mut answers = Vec::new();
        let decks = spec
            .iter()
            .enumerate()
            .map(|(d, cards)| {
                for (c, card) in cards.iter().enumerate() {
                    for &(q, ago) in card {
                        answers.push((ago, format!("d{d}/c{c}"), q));
                    }
                }
                deck(d, 0..cards.len())
            })
            .collect();
        answers.sort_by_key(|(ago, _, _)| std::cmp::Reverse(*ago));
        let mut progress = Progress::default();
        let mut log = Vec::with_capacity(answers.len());
        for (ago, card, q) in answers {
            let day = today - chrono::Days::new(u64::from(ago));
            let at = DateTime::parse_from_rfc3339(&format!("{day}T12:00:00+00:00")).unwrap();
            let before = progress.card(&card).copied();
            let entry = answer_entry(
                &card,
                before.as_ref(),
                Grade::new(q).unwrap(),
                false,
                at,
                day,
            );
            progress.apply(&entry);
            log.push(entry);
        }
        (decks, log)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck;
    use crate::progress::answer_entry;
    use crate::sm2::Grade;
    use chrono::DateTime;

    fn deck_entry(ids: &[&str]) -> catalog::Entry {
        let cards: Vec<String> = ids
            .iter()
            .map(|id| format!(r#"{{"id": "{id}", "front": "Q {id}", "back": "A", "tags": ["t"]}}"#))
            .collect();
        let text = format!(
            r#"{{"format_version": 1, "id": "d", "title": "D", "description": "", "cards": [{}]}}"#,
            cards.join(",")
        );
        catalog::Entry::loaded(
            deck::parse(text.as_bytes(), "d").unwrap().deck,
            catalog::Origin::BuiltIn,
        )
    }

    fn answer(p: &mut Progress, card: &str, q: u8, day: &str) {
        let day: NaiveDate = day.parse().unwrap();
        let at = DateTime::parse_from_rfc3339(&format!("{day}T12:00:00+00:00")).unwrap();
        let before = p.card(card).copied();
        p.apply(&answer_entry(
            card,
            before.as_ref(),
            Grade::new(q).unwrap(),
            false,
            at,
            day,
        ));
    }

    /// [`compute`]'s card counts and the next due day as one sequential pass computed them.
    fn reference(
        decks: &[&catalog::Entry],
        progress: &Progress,
        today: NaiveDate,
        dues: &Dues,
    ) -> (Vec<DeckStats>, Vec<u32>, Readiness, Option<DueDay>) {
        let horizon = add_days(today, FORECAST_DAYS);
        let mut forecast = vec![0u32; FORECAST_DAYS as usize];
        let (mut rows, mut best) = (Vec::new(), None);
        let (mut ready, mut cards) = (0, 0);
        for entry in decks {
            let mut row = DeckStats::default();
            let deck_dues = dues.deck(entry.id().as_str());
            for (index, card) in entry.deck().unwrap().cards.iter().enumerate() {
                let state = progress.card(&format!("{}/{}", entry.id(), card.id));
                row.cards += 1;
                cards += 1;
                let Some(state) = state else {
                    row.new += 1;
                    continue;
                };
                if state.interval >= MATURE_DAYS {
                    row.mature += 1;
                } else {
                    row.young += 1;
                }
                let due = deck_dues.due(index, state);
                ready += u32::from(is_ready(state, due, today));
                if due <= today {
                    row.due_today += 1;
                } else {
                    if due <= horizon {
                        forecast[(due - today).num_days() as usize - 1] += 1;
                    }
                    match &mut best {
                        Some(DueDay { date, cards }) if *date == due => *cards += 1,
                        Some(DueDay { date, .. }) if *date < due => {}
                        _ => {
                            best = Some(DueDay {
                                date: due,
                                cards: 1,
                            })
                        }
                    }
                }
            }
            rows.push(row);
        }
        (rows, forecast, Readiness::of(ready, cards), best)
    }

    /// With a plan `plan_days` ahead, the due days of a plan on the even-numbered decks;
    /// without, SM-2's.
    fn test_dues(
        plan_days: Option<u64>,
        decks: &[&catalog::Entry],
        progress: &Progress,
        today: NaiveDate,
    ) -> Dues {
        match plan_days {
            Some(days) => {
                let plan = crate::plan::Plan {
                    format_version: crate::plan::PLAN_VERSION,
                    interview: add_days(today, days as u32),
                    decks: Vec::new(),
                    max_new_per_day: 60,
                };
                let planned: Vec<&Outline> = decks.iter().step_by(2).map(|e| &e.outline).collect();
                crate::plan::resolve(&plan, &planned, progress, today).dues
            }
            None => Dues::sm2(),
        }
    }

    proptest::proptest! {
        #[test]
        fn per_deck_passes_add_up_to_one_pass_over_all_decks(
            spec in test_collection::spec(),
            plan_days in proptest::option::of(1u64..20),
        ) {
            let today: NaiveDate = "2026-11-22".parse().unwrap();
            let (entries, progress) = test_collection::build(&spec, today);
            let decks: Vec<&catalog::Entry> = entries.iter().collect();
            let dues = test_dues(plan_days, &decks, &progress, today);
            let stats = compute(&decks, &progress, &DayTallies::new(), today, &dues);
            let (rows, forecast, ready, best) = reference(&decks, &progress, today, &dues);
            let counts = |r: &DeckStats| (r.cards, r.new, r.young, r.mature, r.due_today);
            proptest::prop_assert_eq!(
                stats.decks.iter().map(counts).collect::<Vec<_>>(),
                rows.iter().map(counts).collect::<Vec<_>>()
            );
            proptest::prop_assert_eq!(
                stats.forecast.iter().map(|d| d.cards).collect::<Vec<_>>(),
                forecast
            );
            proptest::prop_assert_eq!(stats.readiness, ready);
            proptest::prop_assert_eq!(outlook(&decks, &progress, today, &dues).next, best);
        }

        #[test]
        fn the_outlook_agrees_with_the_deck_rows_and_next_due(
            spec in test_collection::spec(),
            plan_days in proptest::option::of(1u64..20),
        ) {
            let today: NaiveDate = "2026-11-22".parse().unwrap();
            let (entries, progress) = test_collection::build(&spec, today);
            let decks: Vec<&catalog::Entry> = entries.iter().collect();
            let dues = test_dues(plan_days, &decks, &progress, today);
            let (rows, _, _, best) = reference(&decks, &progress, today, &dues);
            let outlook = outlook(&decks, &progress, today, &dues);
            proptest::prop_assert_eq!(outlook.due_today, rows.iter().map(|r| r.due_today).sum::<u32>());
            proptest::prop_assert_eq!(outlook.unseen, rows.iter().map(|r| r.new).sum::<u32>());
            proptest::prop_assert_eq!(outlook.next, best);
        }
    }

    proptest::proptest! {
        #[test]
        fn retiring_cards_gives_the_figures_of_a_collection_that_never_had_them(
            spec in test_collection::spec(),
            kept in proptest::collection::vec(proptest::bool::ANY, 84),
            plan_days in proptest::option::of(1u64..20),
        ) {
            let today: NaiveDate = "2026-11-22".parse().unwrap();
            let (_, log) = test_collection::build_log(&spec, today);
            // The current versions: each deck without the cards `kept` says are retired.
            let entries: Vec<catalog::Entry> = spec
                .iter()
                .enumerate()
                .map(|(d, cards)| {
                    test_collection::deck(d, (0..cards.len()).filter(|c| kept[d * 12 + c]))
                })
                .collect();
            let decks: Vec<&catalog::Entry> = entries.iter().collect();
            let current: HashSet<String> = decks
                .iter()
                .flat_map(|e| e.outline.cards.iter().map(move |c| format!("{}/{c}", e.id())))
                .collect();
            let fold = |keep: &dyn Fn(&str) -> bool| {
                let mut p = Progress::default();
                log.iter().filter(|e| keep(&e.card)).for_each(|e| p.apply(e));
                p
            };
            let all = fold(&|_| true);
            let retired = fold(&|card| !current.contains(card));
            let never = fold(&|card| current.contains(card));

            // The plan covers the current cards only, whose states `all` and `never` share.
            let dues = test_dues(plan_days, &decks, &all, today);
            let first = compute(&decks, &all, &DayTallies::new(), today, &dues);
            let mut found: Vec<String> = retired_cards(&decks, &all, &first).into_iter().collect();
            found.sort();
            // Every line is a scheduling answer, so every card in the log has a state.
            let mut answered: Vec<String> = log
                .iter()
                .map(|e| e.card.clone())
                .filter(|c| !current.contains(c))
                .collect();
            answered.sort();
            answered.dedup();
            proptest::prop_assert_eq!(found, answered);
            proptest::prop_assert_eq!(
                compute(&decks, &all, &retired.days, today, &dues),
                compute(&decks, &never, &DayTallies::new(), today, &dues)
            );
        }
    }

    #[test]
    fn counts_new_young_mature_due_and_forecast() {
        let entry = deck_entry(&["a", "b", "c", "d"]);
        let mut p = Progress::default();
        answer(&mut p, "d/a", 5, "2026-11-20"); // due 11-21: overdue today
        answer(&mut p, "d/b", 5, "2026-11-22"); // due 11-23
        answer(&mut p, "d/c", 5, "2026-10-01");
        answer(&mut p, "d/c", 5, "2026-10-02");
        answer(&mut p, "d/c", 5, "2026-10-08"); // interval 17 -> young, due 10-25
        answer(&mut p, "d/c", 5, "2026-10-25"); // interval 50 -> mature
        let today = "2026-11-22".parse().unwrap();
        let stats = compute(&[&entry], &p, &DayTallies::new(), today, &Dues::sm2());
        let row = &stats.decks[0];
        assert_eq!((row.cards, row.new, row.young, row.mature), (4, 1, 2, 1));
        assert_eq!(row.due_today, 1);
        assert_eq!(row.reviewed_today, 1);
        assert_eq!(stats.due_next_7_days[0].cards, 1);
        assert_eq!(
            stats.due_next_7_days[0].date,
            "2026-11-23".parse::<NaiveDate>().unwrap()
        );
        assert_eq!(stats.total.cards, 4);
        assert_eq!(stats.forecast.len(), 14);
        assert_eq!(stats.due_next_7_days[..], stats.forecast[..7]);
    }

    #[test]
    fn heatmap_grades_and_readiness_come_from_the_log() {
        let entry = deck_entry(&["a", "b", "c"]);
        let mut p = Progress::default();
        answer(&mut p, "d/a", 5, "2026-11-20");
        answer(&mut p, "d/b", 2, "2026-11-22");
        answer(&mut p, "d/a", 4, "2026-11-22");
        answer(&mut p, "d/c", 4, "2026-07-01"); // outside 30 days, inside 16 weeks? no: 2026-08-03 starts it
        let today: NaiveDate = "2026-11-22".parse().unwrap();
        let stats = compute(&[&entry], &p, &DayTallies::new(), today, &Dues::sm2());
        assert_eq!(
            stats.answers_per_day.first().unwrap().date,
            heatmap_start(today)
        );
        assert_eq!(
            stats.answers_per_day.last().unwrap(),
            &DayCount {
                date: today,
                answers: 2
            }
        );
        assert_eq!(
            stats.answers_per_day.iter().map(|d| d.answers).sum::<u32>(),
            3
        );
        assert_eq!(stats.grades_30d, [0, 0, 1, 0, 1, 1]);
        // a: last 4, due 11-23 -> ready; b: last 2 -> not; c: overdue since July -> not.
        assert_eq!((stats.readiness.ready, stats.readiness.cards), (1, 3));
    }

    #[test]
    fn retention_is_the_pass_share_of_non_new_reviews_in_30_days() {
        let entry = deck_entry(&["a", "b"]);
        let mut p = Progress::default();
        answer(&mut p, "d/a", 5, "2026-11-01"); // new: not counted
        answer(&mut p, "d/a", 2, "2026-11-02"); // fail
        answer(&mut p, "d/a", 4, "2026-11-03"); // pass
        answer(&mut p, "d/b", 5, "2026-09-01");
        answer(&mut p, "d/b", 1, "2026-09-02"); // outside the window
        let stats = compute(
            &[&entry],
            &p,
            &DayTallies::new(),
            "2026-11-22".parse().unwrap(),
            &Dues::sm2(),
        );
        assert_eq!(stats.decks[0].recall_reviews_30d, 2);
        assert_eq!(stats.decks[0].retention_30d, Some(0.5));
    }

    #[test]
    fn streak_counts_back_from_today_or_yesterday() {
        let days = |list: &[&str]| -> BTreeSet<NaiveDate> {
            list.iter().map(|d| d.parse().unwrap()).collect()
        };
        let mut studied = days(&["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"]);
        assert_eq!(streak(&studied, "2026-11-22".parse().unwrap()), 4);
        assert_eq!(streak(&studied, "2026-11-23".parse().unwrap()), 0);
        studied.insert("2026-11-22".parse().unwrap());
        assert_eq!(streak(&studied, "2026-11-22".parse().unwrap()), 5);
    }

    #[test]
    fn the_streak_counts_the_decks_shown_only() {
        let shown = deck_entry(&["a"]);
        let mut p = Progress::default();
        answer(&mut p, "d/a", 4, "2026-11-21");
        answer(&mut p, "other/x", 4, "2026-11-22");
        let today = "2026-11-22".parse().unwrap();
        let stats = compute(&[&shown], &p, &DayTallies::new(), today, &Dues::sm2());
        assert_eq!(stats.streak_days, 1, "today's answer was in another deck");
        assert_eq!(stats.answers_per_day.last().unwrap().answers, 0);
    }

    /// A deck whose version 1 had cards a, b and c, all answered; version 2 has a only.
    fn retired_fixture() -> (catalog::Entry, Progress, DayTallies) {
        let mut p = Progress::default();
        answer(&mut p, "d/a", 5, "2026-11-01");
        answer(&mut p, "d/b", 5, "2026-11-01");
        answer(&mut p, "d/c", 5, "2026-11-01");
        answer(&mut p, "d/a", 4, "2026-11-07"); // recall, passed
        answer(&mut p, "d/b", 1, "2026-11-07"); // recall, failed
        answer(&mut p, "d/b", 3, "2026-11-21"); // recall, passed; the only answer that day
        answer(&mut p, "d/a", 4, "2026-11-22");
        answer(&mut p, "d/c", 2, "2026-11-22");
        // What `stats` folds from the log: the retired cards' entries only.
        let mut retired = Progress::default();
        answer(&mut retired, "d/b", 5, "2026-11-01");
        answer(&mut retired, "d/c", 5, "2026-11-01");
        answer(&mut retired, "d/b", 1, "2026-11-07");
        answer(&mut retired, "d/b", 3, "2026-11-21");
        answer(&mut retired, "d/c", 2, "2026-11-22");
        (deck_entry(&["a"]), p, retired.days)
    }

    #[test]
    fn retired_cards_are_those_with_progress_that_the_deck_no_longer_has() {
        let (entry, p, _) = retired_fixture();
        let today = "2026-11-22".parse().unwrap();
        let stats = compute(&[&entry], &p, &DayTallies::new(), today, &Dues::sm2());
        let mut found: Vec<String> = retired_cards(&[&entry], &p, &stats).into_iter().collect();
        found.sort();
        assert_eq!(found, ["d/b", "d/c"]);

        // Version 1 again: nothing is retired, and nothing had to be looked at.
        let all = deck_entry(&["a", "b", "c", "new"]);
        let stats = compute(&[&all], &p, &DayTallies::new(), today, &Dues::sm2());
        assert!(retired_cards(&[&all], &p, &stats).is_empty());
    }

    #[test]
    fn answers_on_retired_cards_leave_every_figure() {
        let (entry, p, retired) = retired_fixture();
        let today: NaiveDate = "2026-11-22".parse().unwrap();
        let stats = compute(&[&entry], &p, &retired, today, &Dues::sm2());
        let row = &stats.decks[0];
        // Only a's answers: 5 (new), 4, 4.
        assert_eq!(row.reviewed_today, 1);
        assert_eq!((row.recall_reviews_30d, row.recall_passed_30d), (2, 2));
        assert_eq!(row.retention_30d, Some(1.0));
        assert_eq!(stats.grades_30d, [0, 0, 0, 0, 2, 1]);
        assert_eq!(
            stats.total,
            DeckStats {
                deck: "total".into(),
                ..row.clone()
            }
        );
        let answers: u32 = stats.answers_per_day.iter().map(|d| d.answers).sum();
        assert_eq!(answers, 3);
        // 11-21 had only b's answer, so today's streak is today alone.
        assert_eq!(stats.streak_days, 1);

        // The same progress with the deck as it was: everything counts.
        let all = deck_entry(&["a", "b", "c"]);
        let stats = compute(&[&all], &p, &DayTallies::new(), today, &Dues::sm2());
        assert_eq!(stats.decks[0].reviewed_today, 2);
        assert_eq!(stats.decks[0].recall_reviews_30d, 5);
        assert_eq!(stats.streak_days, 2);
    }

    #[test]
    fn next_due_finds_the_earliest_future_day_and_its_count() {
        let entry = deck_entry(&["a", "b", "c"]);
        let mut p = Progress::default();
        answer(&mut p, "d/a", 5, "2026-11-22");
        answer(&mut p, "d/b", 5, "2026-11-22");
        answer(&mut p, "d/c", 5, "2026-11-25");
        let next = outlook(&[&entry], &p, "2026-11-22".parse().unwrap(), &Dues::sm2())
            .next
            .unwrap();
        assert_eq!(
            (next.date.to_string(), next.cards),
            ("2026-11-23".into(), 2)
        );
    }
}
