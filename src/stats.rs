//! Aggregated figures about decks and progress: numbers only, no printing.

use crate::catalog;
use crate::deck::Outline;
use crate::plan::{is_ready, Dues, Readiness};
use crate::progress::Progress;
use crate::sm2::add_days;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

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
}

impl DeckStats {
    fn add(&mut self, other: &DeckStats) {
        self.cards += other.cards;
        self.new += other.new;
        self.young += other.young;
        self.mature += other.mature;
        self.due_today += other.due_today;
        self.reviewed_today += other.reviewed_today;
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
}

/// Figures for `decks` on study day `today`, with the due days of `dues` (an interview
/// plan's, or SM-2's).
pub fn compute(
    decks: &[&catalog::Entry],
    progress: &Progress,
    today: NaiveDate,
    dues: &Dues,
) -> Stats {
    let mut forecast = vec![0u32; FORECAST_DAYS as usize];
    let window_start = today - chrono::Days::new(u64::from(RETENTION_DAYS - 1));
    let heatmap_start = heatmap_start(today);
    let mut answers = vec![0u32; (today - heatmap_start).num_days() as usize + 1];
    let mut grades_30d = [0u32; 6];
    let mut rows = Vec::with_capacity(decks.len());
    // Looking up every card's state is most of the work at 100,000 cards; the decks are
    // counted on the machine's cores, and added up below in deck order.
    let counts = crate::par::map(decks, |entry| {
        count_cards(&entry.outline, progress, today, dues)
    });
    for (entry, counted) in decks.iter().zip(&counts) {
        let deck_id = entry.id().as_str();
        let mut row = DeckStats {
            deck: deck_id.to_owned(),
            ..counted.row
        };
        for (sum, n) in forecast.iter_mut().zip(counted.forecast) {
            *sum += n;
        }
        if let Some(days) = progress.days.get(deck_id) {
            row.reviewed_today = days.get(&today).map_or(0, |t| t.reviews);
            for tally in days.range(window_start..=today).map(|(_, t)| t) {
                row.recall_reviews_30d += tally.recall_total;
                row.recall_passed_30d += tally.recall_pass;
                for (sum, n) in grades_30d.iter_mut().zip(tally.grades) {
                    *sum += n;
                }
            }
            for (day, tally) in days.range(heatmap_start..=today) {
                let index = (*day - heatmap_start).num_days() as usize;
                answers[index] += tally.answers();
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
        streak_days: streak(progress, today),
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
    }
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

/// Consecutive study days with an answer, counted back from today (or from
/// yesterday, so an unfinished today does not break a streak).
pub fn streak(progress: &Progress, today: NaiveDate) -> u32 {
    let studied = |day: NaiveDate| {
        progress
            .days
            .values()
            .any(|days| days.get(&day).is_some_and(|t| t.answers() > 0))
    };
    let mut day = today;
    if !studied(day) {
        match day.pred_opt() {
            Some(yesterday) => day = yesterday,
            None => return 0,
        }
    }
    let mut count = 0;
    while studied(day) {
        count += 1;
        match day.pred_opt() {
            Some(previous) => day = previous,
            None => break,
        }
    }
    count
}

/// The first day after `today` on which cards of `decks` fall due, with their count.
pub fn next_due(
    decks: &[&catalog::Entry],
    progress: &Progress,
    today: NaiveDate,
    dues: &Dues,
) -> Option<DueDay> {
    // Each deck on a thread of its own (see [`compute`]), then the earliest over all.
    let per_deck = crate::par::map(decks, |entry| {
        let mut best = None;
        let dues = dues.deck(entry.id().as_str());
        for (index, (_, state)) in progress.deck_states(&entry.outline).enumerate() {
            match state.map(|s| dues.due(index, s)) {
                Some(due) if due > today => earliest(&mut best, due, 1),
                _ => {}
            }
        }
        best
    });
    let mut best = None;
    for deck_best in per_deck.into_iter().flatten() {
        earliest(&mut best, deck_best.date, deck_best.cards);
    }
    best
}

/// Counts `cards` due on `date` into `best` if that is its day or an earlier one.
fn earliest(best: &mut Option<DueDay>, date: NaiveDate, cards: u32) {
    match best {
        Some(b) if b.date == date => b.cards += cards,
        Some(b) if b.date < date => {}
        _ => *best = Some(DueDay { date, cards }),
    }
}

/// Random collections for property tests of the per-deck passes.
#[cfg(test)]
pub(crate) mod test_collection {
    use crate::catalog;
    use crate::deck;
    use crate::progress::{answer_entry, Progress};
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
        let mut answers = Vec::new();
        let decks = spec
            .iter()
            .enumerate()
            .map(|(d, cards)| {
                let texts: Vec<String> = (0..cards.len())
                    .map(|c| format!(r#"{{"id": "c{c}", "front": "Q {c}", "back": "A", "tags": ["t"]}}"#))
                    .collect();
                let text = format!(
                    r#"{{"format_version": 1, "id": "d{d}", "title": "D", "description": "", "cards": [{}]}}"#,
                    texts.join(",")
                );
                for (c, card) in cards.iter().enumerate() {
                    for &(q, ago) in card {
                        answers.push((ago, format!("d{d}/c{c}"), q));
                    }
                }
                catalog::Entry::loaded(
                    deck::parse(text.as_bytes(), "d").unwrap().deck,
                    catalog::Origin::BuiltIn,
                )
            })
            .collect();
        answers.sort_by_key(|(ago, _, _)| std::cmp::Reverse(*ago));
        let mut progress = Progress::default();
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
        }
        (decks, progress)
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

    /// [`compute`]'s card counts and [`next_due`] as one sequential pass computed them.
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

    proptest::proptest! {
        #[test]
        fn per_deck_passes_add_up_to_one_pass_over_all_decks(
            spec in test_collection::spec(),
            plan_days in proptest::option::of(1u64..20),
        ) {
            let today: NaiveDate = "2026-11-22".parse().unwrap();
            let (entries, progress) = test_collection::build(&spec, today);
            let decks: Vec<&catalog::Entry> = entries.iter().collect();
            // With a plan, the even-numbered decks are planned.
            let dues = match plan_days {
                Some(days) => {
                    let plan = crate::plan::Plan {
                        format_version: crate::plan::PLAN_VERSION,
                        interview: add_days(today, days as u32),
                        decks: Vec::new(),
                        max_new_per_day: 60,
                    };
                    let planned: Vec<&Outline> =
                        decks.iter().step_by(2).map(|e| &e.outline).collect();
                    crate::plan::resolve(&plan, &planned, &progress, today).dues
                }
                None => Dues::sm2(),
            };
            let stats = compute(&decks, &progress, today, &dues);
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
            proptest::prop_assert_eq!(next_due(&decks, &progress, today, &dues), best);
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
        let stats = compute(&[&entry], &p, today, &Dues::sm2());
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
        let stats = compute(&[&entry], &p, today, &Dues::sm2());
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
        let stats = compute(&[&entry], &p, "2026-11-22".parse().unwrap(), &Dues::sm2());
        assert_eq!(stats.decks[0].recall_reviews_30d, 2);
        assert_eq!(stats.decks[0].retention_30d, Some(0.5));
    }

    #[test]
    fn streak_counts_back_from_today_or_yesterday() {
        let mut p = Progress::default();
        for day in ["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"] {
            answer(&mut p, &format!("d/{day}"), 4, day);
        }
        assert_eq!(streak(&p, "2026-11-22".parse().unwrap()), 4);
        assert_eq!(streak(&p, "2026-11-23".parse().unwrap()), 0);
        answer(&mut p, "d/x", 4, "2026-11-22");
        assert_eq!(streak(&p, "2026-11-22".parse().unwrap()), 5);
    }

    #[test]
    fn next_due_finds_the_earliest_future_day_and_its_count() {
        let entry = deck_entry(&["a", "b", "c"]);
        let mut p = Progress::default();
        answer(&mut p, "d/a", 5, "2026-11-22");
        answer(&mut p, "d/b", 5, "2026-11-22");
        answer(&mut p, "d/c", 5, "2026-11-25");
        let next = next_due(&[&entry], &p, "2026-11-22".parse().unwrap(), &Dues::sm2()).unwrap();
        assert_eq!(
            (next.date.to_string(), next.cards),
            ("2026-11-23".into(), 2)
        );
    }
}
