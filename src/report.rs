//! A learner's progress report for a coach (`prepdeck report`): the figures of `stats`,
//! deck by deck and card by card, as one versioned JSON document. Numbers only, no card
//! text; documented in docs/report-format.md and docs/report.schema.json.

use crate::catalog;
use crate::deck::{Deck, Id};
use crate::plan::{Dues, Readiness};
use crate::progress::{DayTallies, Entry, Kind, Progress};
use crate::rehearse::Rehearsal;
use crate::stats;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The `format` every report carries, to tell it from other JSON files.
pub const REPORT_FORMAT: &str = "prepdeck-report";
/// Report format version written by this build; newer ones are refused.
pub const REPORT_VERSION: u32 = 1;
/// A report file larger than this is refused unread (a 200-card report is ~60 KB).
pub const MAX_REPORT_BYTES: u64 = 8 * 1024 * 1024;
/// The longest learner name a report may carry, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest deck title or version a report may carry, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// How many days of activity a report carries, today included (8 weeks).
pub const ACTIVITY_DAYS: u32 = 56;

/// One learner's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Always [`REPORT_FORMAT`].
    pub format: String,
    /// [`REPORT_VERSION`] when written by this build.
    pub format_version: u32,
    /// The prepdeck version that wrote it.
    pub prepdeck_version: String,
    /// The name the learner chose to be known by.
    pub name: String,
    /// When the report was made, with the learner's UTC offset.
    #[serde(with = "crate::serde_time::datetime")]
    pub generated_at: DateTime<FixedOffset>,
    /// The learner's study day when the report was made.
    #[serde(with = "crate::serde_time::date")]
    pub date: NaiveDate,
    /// The learner's time zone: `TZ` when set, else the UTC offset (`+01:00`).
    pub time_zone: String,
    /// The interview day of the learner's plan, if one is set and ahead.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::serde_time::opt_date"
    )]
    pub interview: Option<NaiveDate>,
    /// Consecutive study days with an answer in the reported decks.
    pub streak_days: u32,
    /// The last study day with an answer in the reported decks.
    #[serde(with = "crate::serde_time::opt_date")]
    pub last_active: Option<NaiveDate>,
    /// Readiness over every card of the reported decks.
    pub readiness: ReadyCount,
    /// Answers per study day over the last [`ACTIVITY_DAYS`] days; days without any left out.
    pub activity: Vec<ActiveDay>,
    /// One entry per reported deck.
    pub decks: Vec<DeckReport>,
    /// Rehearsal figures per day, from the rehearsal feature; absent without any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rehearsals: Option<Vec<RehearsalDay>>,
}

/// Cards ready (last answered 4 or 5 and not overdue) of cards counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadyCount {
    /// Cards ready.
    pub ready: u32,
    /// Cards counted.
    pub cards: u32,
}

impl ReadyCount {
    /// `ready / cards`, 0 with no cards.
    pub fn share(&self) -> f64 {
        Readiness::of(self.ready.min(self.cards), self.cards).share
    }
}

impl From<Readiness> for ReadyCount {
    fn from(r: Readiness) -> ReadyCount {
        ReadyCount {
            ready: r.ready,
            cards: r.cards,
        }
    }
}

/// Answers on one study day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActiveDay {
    /// The study day.
    #[serde(with = "crate::serde_time::date")]
    pub date: NaiveDate,
    /// Answers that day, re-drills included.
    pub answers: u32,
}

/// Spoken rehearsals (`prepdeck rehearse`) on one study day: numbers only, never the
/// story or the question text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RehearsalDay {
    /// The study day.
    #[serde(with = "crate::serde_time::date")]
    pub date: NaiveDate,
    /// Rehearsals that day.
    pub count: u32,
    /// Median length of an answer, in seconds.
    pub median_seconds: f64,
    /// The day's best rubric score, as a share of the rubric's points (0 to 1): what the
    /// learner can do, as `stats` shows it.
    pub score: f64,
    /// The day's median rubric score, as a share (0 to 1): what the learner does.
    pub median_score: f64,
}

/// One deck's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeckReport {
    /// The deck id.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// The deck's own version, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// A hash of the deck as the learner has it: [`content_hash`].
    pub content_hash: String,
    /// Cards in the learner's copy.
    pub cards: u32,
    /// Cards answered at least once.
    pub seen: u32,
    /// Seen, interval under 21 days.
    pub young: u32,
    /// Interval of 21 days or more.
    pub mature: u32,
    /// Seen cards due on the report's day or overdue.
    pub due: u32,
    /// Pass share of reviews of seen cards over 30 days; `null` without any.
    pub retention_30d: Option<f64>,
    /// Readiness over the deck's cards.
    pub readiness: ReadyCount,
    /// Consecutive study days with an answer in this deck.
    pub streak_days: u32,
    /// The last study day with an answer in this deck.
    #[serde(with = "crate::serde_time::opt_date")]
    pub last_active: Option<NaiveDate>,
    /// Every seen card of the deck's current version, in deck order.
    pub card_progress: Vec<CardReport>,
}

/// One card's schedule and history, by id only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardReport {
    /// The card id.
    pub id: Id,
    /// SM-2 repetitions.
    pub reps: u32,
    /// Failed answers after the card was learned.
    pub lapses: u32,
    /// Easiness factor.
    pub ef: f64,
    /// Days between the last review and `due`.
    pub interval: u32,
    /// The day the card is due.
    #[serde(with = "crate::serde_time::date")]
    pub due: NaiveDate,
    /// The grade of the last answer.
    pub last_grade: Option<crate::sm2::Grade>,
    /// When the card was last answered.
    #[serde(with = "crate::serde_time::datetime")]
    pub last_review: DateTime<FixedOffset>,
    /// Scheduling answers graded below 3.
    pub below_3: u32,
    /// Re-drills: same-session repeats of a card graded below 4.
    pub redrills: u32,
}

/// Failed answers and re-drills of one card, from the review log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnswerCounts {
    /// Scheduling answers graded below 3.
    pub below_3: u32,
    /// Re-drill answers.
    pub redrills: u32,
}

/// Answer counts by `deck-id/card-id`.
pub type CardAnswers = HashMap<String, AnswerCounts>;

/// Folds a log entry into `counts`; an undo takes back the answer it names.
pub fn count_answer(counts: &mut CardAnswers, entry: &Entry) {
    let counted = counts.entry(entry.card.clone()).or_default();
    let field = if entry.redrill {
        &mut counted.redrills
    } else if entry.grade.value() < 3 {
        &mut counted.below_3
    } else {
        return;
    };
    *field = match entry.kind {
        Kind::Answer => field.saturating_add(1),
        Kind::Undo => field.saturating_sub(1),
    };
}

/// What a report is made from.
pub struct Input<'a> {
    /// The learner's chosen name.
    pub name: &'a str,
    /// The moment of the report.
    pub now: DateTime<FixedOffset>,
    /// The study day of `now`.
    pub today: NaiveDate,
    /// `TZ` or the offset.
    pub time_zone: String,
    /// The active plan's interview day.
    pub interview: Option<NaiveDate>,
    /// The decks to report, each with its full text (for the hash; no text is copied).
    pub decks: &'a [(&'a catalog::Entry, &'a Deck)],
    /// The learner's progress.
    pub progress: &'a Progress,
    /// Day tallies of answers on retired cards, as `stats` takes them out.
    pub retired: &'a DayTallies,
    /// Due days: the active plan's or SM-2's.
    pub dues: &'a Dues,
    /// Failed answers and re-drills per card.
    pub answers: &'a CardAnswers,
    /// Every rehearsal in the review log.
    pub rehearsals: &'a [Rehearsal],
}

/// The report of `input`'s decks, through the computations `stats` uses.
pub fn build(input: &Input) -> Report {
    let entries: Vec<&catalog::Entry> = input.decks.iter().map(|(e, _)| *e).collect();
    let all = stats::compute(
        &entries,
        input.progress,
        input.retired,
        input.today,
        input.dues,
    );
    let decks: Vec<DeckReport> = input
        .decks
        .iter()
        .zip(&all.decks)
        .map(|((entry, deck), row)| deck_report(input, entry, deck, row))
        .collect();
    let first_day = input.today - chrono::Days::new(u64::from(ACTIVITY_DAYS - 1));
    Report {
        format: REPORT_FORMAT.to_owned(),
        format_version: REPORT_VERSION,
        prepdeck_version: env!("CARGO_PKG_VERSION").to_owned(),
        name: input.name.to_owned(),
        generated_at: input.now,
        date: input.today,
        time_zone: input.time_zone.clone(),
        interview: input.interview,
        streak_days: all.streak_days,
        last_active: decks.iter().filter_map(|d| d.last_active).max(),
        readiness: all.readiness.into(),
        activity: all
            .answers_per_day
            .iter()
            .filter(|d| d.date >= first_day && d.answers > 0)
            .map(|d| ActiveDay {
                date: d.date,
                answers: d.answers,
            })
            .collect(),
        decks,
        rehearsals: Some(rehearsal_days(input.rehearsals, first_day, input.today))
            .filter(|days| !days.is_empty()),
    }
}

/// Rehearsals per study day from `first` to `today`, oldest first; days without one
/// are left out. The same window as `activity`, so a coach sees both over 8 weeks.
pub fn rehearsal_days(all: &[Rehearsal], first: NaiveDate, today: NaiveDate) -> Vec<RehearsalDay> {
    let mut by_day: std::collections::BTreeMap<NaiveDate, Vec<&Rehearsal>> = Default::default();
    for r in all.iter().filter(|r| (first..=today).contains(&r.day)) {
        by_day.entry(r.day).or_default().push(r);
    }
    let points = (crate::rehearse::RUBRIC.len() + 1) as f64;
    by_day
        .into_iter()
        .map(|(date, day)| {
            let scores: Vec<f64> = day.iter().map(|r| f64::from(r.score()) / points).collect();
            let best = scores.iter().copied().fold(0.0, f64::max);
            RehearsalDay {
                date,
                count: u32::try_from(day.len()).unwrap_or(u32::MAX),
                median_seconds: median(day.iter().map(|r| f64::from(r.seconds)).collect()),
                score: best.min(1.0),
                median_score: median(scores).min(1.0),
            }
        })
        .collect()
}

/// The middle value, or the mean of the two middle ones; 0 for none.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn deck_report(
    input: &Input,
    entry: &catalog::Entry,
    deck: &Deck,
    row: &stats::DeckStats,
) -> DeckReport {
    let own = stats::compute(
        &[entry],
        input.progress,
        input.retired,
        input.today,
        input.dues,
    );
    let id = entry.id().as_str();
    let dues = input.dues.deck(id);
    let card_progress = input
        .progress
        .deck_states(&entry.outline)
        .enumerate()
        .filter_map(|(index, (card, state))| {
            let state = state?;
            let counts = input
                .answers
                .get(&format!("{id}/{card}"))
                .copied()
                .unwrap_or_default();
            Some(CardReport {
                id: entry.outline.cards.id(index)?,
                reps: state.reps,
                lapses: state.lapses,
                ef: state.ef,
                interval: state.interval,
                due: dues.due(index, state),
                last_grade: state.last_grade,
                last_review: state.last_review,
                below_3: counts.below_3,
                redrills: counts.redrills,
            })
        })
        .collect();
    DeckReport {
        id: entry.id().clone(),
        title: deck.title.clone(),
        version: deck.version.clone(),
        content_hash: content_hash(deck),
        cards: row.cards,
        seen: row.young + row.mature,
        young: row.young,
        mature: row.mature,
        due: row.due_today,
        retention_30d: row.retention_30d,
        readiness: own.readiness.into(),
        streak_days: own.streak_days,
        last_active: last_active(input.progress, input.retired, id),
        card_progress,
    }
}

/// The last day with an answer in `deck` that was not on a retired card.
fn last_active(progress: &Progress, retired: &DayTallies, deck: &str) -> Option<NaiveDate> {
    let gone = retired.get(deck);
    progress
        .days
        .get(deck)?
        .iter()
        .rev()
        .find_map(|(day, tally)| {
            let tally = match gone.and_then(|days| days.get(day)) {
                Some(part) => tally.without(part),
                None => *tally,
            };
            (tally.answers() > 0).then_some(*day)
        })
}

/// `fnv1a64:` and 16 hex digits: FNV-1a over the deck as prepdeck writes it
/// ([`Deck::to_json`]), so any change of text, order or ids changes it, and the same
/// deck gives the same hash on every machine and build.
pub fn content_hash(deck: &Deck) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in deck.to_json().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("fnv1a64:{hash:016x}")
}

/// The report in `bytes`, or why they cannot be taken as one (a one-line message).
///
/// The version is read first, so that a newer report is named as such even when the
/// rest of it would not parse.
pub fn parse(bytes: &[u8]) -> Result<Report, String> {
    #[derive(Deserialize)]
    struct Probe {
        format: Option<serde_json::Value>,
        format_version: Option<serde_json::Value>,
    }
    let probe: Probe = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    if probe.format.as_ref().and_then(|f| f.as_str()) != Some(REPORT_FORMAT) {
        return Err(format!(
            "not a prepdeck report (no \"format\": \"{REPORT_FORMAT}\")"
        ));
    }
    match probe.format_version.as_ref().and_then(|v| v.as_u64()) {
        Some(v) if v > u64::from(REPORT_VERSION) => {
            return Err(format!(
                "made by a newer prepdeck (report format version {v}; this one reads up to {REPORT_VERSION}); upgrade prepdeck to read it"
            ))
        }
        Some(v) if v >= 1 => {}
        _ => return Err("its format_version is missing or not a positive whole number".into()),
    }
    let report: Report =
        serde_json::from_slice(bytes).map_err(|e| format!("not a valid report: {e}"))?;
    check(&report)?;
    Ok(report)
}

/// The limits a parsed report must keep to.
fn check(report: &Report) -> Result<(), String> {
    let name = report.name.trim();
    if name.is_empty() {
        return Err("its learner name is empty".into());
    }
    if report.name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "its learner name is longer than {MAX_NAME_CHARS} characters"
        ));
    }
    for deck in &report.decks {
        let long = |text: &str| text.chars().count() > MAX_TITLE_CHARS;
        if long(&deck.title) || deck.version.as_deref().is_some_and(long) {
            return Err(format!(
                "deck {}: its title or version is longer than {MAX_TITLE_CHARS} characters",
                deck.id
            ));
        }
        if deck
            .retention_30d
            .is_some_and(|r| !(0.0..=1.0).contains(&r))
        {
            return Err(format!(
                "deck {}: its retention is not between 0 and 1",
                deck.id
            ));
        }
        if deck.seen > deck.cards || deck.readiness.ready > deck.readiness.cards {
            return Err(format!(
                "deck {}: more cards seen or ready than it has",
                deck.id
            ));
        }
    }
    let share = |x: f64| (0.0..=1.0).contains(&x);
    let bad_rehearsal = |r: &RehearsalDay| {
        !share(r.score)
            || !share(r.median_score)
            || !(0.0..=f64::from(crate::rehearse::MAX_SECONDS)).contains(&r.median_seconds)
    };
    if report.rehearsals.iter().flatten().any(bad_rehearsal) {
        return Err(format!(
            "a rehearsal score is not between 0 and 1, or a median time not between 0 and {} seconds",
            crate::rehearse::MAX_SECONDS
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::answer_entry;
    use crate::sm2::Grade;

    fn entry(card: &str, q: u8, redrill: bool) -> Entry {
        let at = DateTime::parse_from_rfc3339("2026-11-22T09:00:00Z").unwrap();
        answer_entry(
            card,
            None,
            Grade::new(q).unwrap(),
            redrill,
            at,
            at.date_naive(),
        )
    }

    #[test]
    fn failed_answers_and_redrills_are_counted_and_undone() {
        let mut counts = CardAnswers::new();
        let fail = entry("d/a", 1, false);
        for e in [
            &fail,
            &entry("d/a", 2, true),
            &entry("d/a", 4, false),
            &fail,
        ] {
            count_answer(&mut counts, e);
        }
        assert_eq!(
            counts["d/a"],
            AnswerCounts {
                below_3: 2,
                redrills: 1
            }
        );
        let at = DateTime::parse_from_rfc3339("2026-11-22T09:01:00Z").unwrap();
        count_answer(&mut counts, &crate::progress::undo_entry(&fail, None, at));
        assert_eq!(counts["d/a"].below_3, 1);
    }

    fn rehearsal(day: &str, hour: u32, points: usize, seconds: u32) -> Rehearsal {
        use crate::rehearse::{RehearsalKind, Timed, QUESTIONS, REHEARSAL_LOG_VERSION, RUBRIC};
        Rehearsal {
            v: REHEARSAL_LOG_VERSION,
            kind: RehearsalKind::Rehearsal,
            at: format!("{day}T{hour:02}:00:00Z").parse().unwrap(),
            day: day.parse().unwrap(),
            question: 1,
            question_text: QUESTIONS[0].text.into(),
            story: Some("a-story".into()),
            seconds,
            timed: Timed::Given,
            points: RUBRIC[..points].iter().map(|p| p.id.to_owned()).collect(),
        }
    }

    #[test]
    fn rehearsal_days_keep_the_window_and_take_middle_values() {
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        let all = [
            rehearsal("2026-11-22", 9, 9, 300),
            rehearsal("2026-11-01", 9, 9, 70),
            rehearsal("2026-11-10", 12, 2, 40),
            rehearsal("2026-11-10", 9, 6, 100),
            rehearsal("2026-10-31", 9, 9, 70),
        ];
        let days = rehearsal_days(&all, day("2026-11-01"), day("2026-11-21"));
        let dates: Vec<NaiveDate> = days.iter().map(|d| d.date).collect();
        assert_eq!(dates, [day("2026-11-01"), day("2026-11-10")]);
        let ten = &days[1];
        assert_eq!(ten.count, 2);
        assert_eq!(ten.median_seconds, 70.0);
        assert_eq!(ten.score, 0.6);
        assert_eq!(ten.median_score, 0.4);
        assert_eq!((days[0].count, days[0].median_seconds), (1, 70.0));
    }

    #[test]
    fn the_content_hash_changes_with_the_text_and_only_with_it() {
        let deck = crate::catalog::built_in().unwrap().remove(0);
        let mut changed = deck.clone();
        changed.cards[0].back.push('!');
        assert_eq!(content_hash(&deck), content_hash(&deck.clone()));
        assert_ne!(content_hash(&deck), content_hash(&changed));
        assert!(content_hash(&deck).starts_with("fnv1a64:"));
        assert_eq!(content_hash(&deck).len(), "fnv1a64:".len() + 16);
    }
}
