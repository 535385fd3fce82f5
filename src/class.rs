//! A coach's view of many learners' reports (`prepdeck class`): a row per learner and
//! the hardest cards of each deck across the class. Pure: reports and the coach's decks
//! in, plain figures out.

use crate::report::{ReadyCount, Report, ACTIVITY_DAYS};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// How many of each deck's hardest cards the class view lists.
pub const HARDEST_PER_DECK: usize = 10;

/// A report as read from a file.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file, as the coach named it.
    pub file: String,
    /// Its content.
    pub report: Report,
}

/// A deck as the coach has it installed: the source of the card fronts shown.
#[derive(Debug, Clone)]
pub struct CoachDeck {
    /// The deck id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its content hash (`report::content_hash`).
    pub content_hash: String,
    /// Card fronts by card id.
    pub fronts: HashMap<String, String>,
}

/// Everything `class` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Class {
    /// The coach's study day, from which days left and the heatmap count.
    pub today: NaiveDate,
    /// One row per learner, by name.
    pub learners: Vec<Learner>,
    /// The decks the reports cover: the coach's in catalog order, then unknown ones by id.
    pub decks: Vec<ClassDeck>,
    /// Ids of reported decks the coach does not have installed.
    pub unknown_decks: Vec<String>,
    /// Older reports of a learner who also sent a newer one, left out.
    pub superseded: Vec<Superseded>,
}

/// An older report of the same learner, left out in favour of the newest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Superseded {
    /// The learner's name.
    pub name: String,
    /// The file left out.
    pub file: String,
    /// The file used instead.
    pub newer: String,
}

/// One learner's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Learner {
    /// The name in the report.
    pub name: String,
    /// The report file.
    pub file: String,
    /// The learner's study day when the report was made.
    pub report_date: NaiveDate,
    /// The last day with an answer.
    pub last_active: Option<NaiveDate>,
    /// Study streak as of the report.
    pub streak_days: u32,
    /// Readiness over the reported decks.
    pub readiness: ReadyCount,
    /// `readiness` as a share, 0 to 1.
    pub readiness_share: f64,
    /// Cards due or overdue on the report's day.
    pub due: u32,
    /// The interview day, if a plan is set.
    pub interview: Option<NaiveDate>,
    /// Days from the coach's today to the interview (negative once it is past).
    pub days_left: Option<i64>,
    /// The latest rehearsal day's best rubric score (0 to 1), if the report has rehearsals.
    pub rehearsal_score: Option<f64>,
    /// The latest rehearsal day's median rubric score (0 to 1).
    pub rehearsal_median_score: Option<f64>,
    /// The latest rehearsal day's median answer time, in seconds.
    pub rehearsal_seconds: Option<f64>,
    /// The latest study day with a rehearsal.
    pub rehearsal_date: Option<NaiveDate>,
    /// Rehearsals over the report's 8 weeks.
    pub rehearsals: u32,
    /// Answers on each of the last 56 days to the coach's today, oldest first.
    pub activity: Vec<u32>,
}

/// One deck across the class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassDeck {
    /// The deck id.
    pub id: String,
    /// The coach's title; for an unknown deck, the first report's.
    pub title: String,
    /// The coach has the deck installed.
    pub installed: bool,
    /// Learners whose report covers the deck.
    pub learners: u32,
    /// Of those, reports made against another version than the coach's.
    pub other_version: u32,
    /// The hardest cards, hardest first (at most [`HARDEST_PER_DECK`]).
    pub hardest: Vec<HardCard>,
}

/// One card's difficulty across the class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HardCard {
    /// The card id.
    pub id: String,
    /// Its front in the coach's installed deck; `None` for a retired card or an unknown deck.
    pub front: Option<String>,
    /// The coach's deck no longer has this card.
    pub retired: bool,
    /// Learners who answered it.
    pub learners: u32,
    /// Lapses summed over learners.
    pub lapses: u32,
    /// Answers graded below 3, summed over learners.
    pub below_3: u32,
    /// Re-drills, summed over learners.
    pub redrills: u32,
    /// Learners whose last grade is below 3.
    pub failing_now: u32,
    /// The lowest last grade among learners.
    pub lowest_last_grade: Option<u8>,
    /// The mean last grade among learners who have one.
    pub mean_last_grade: Option<f64>,
}

/// The class from `reports`, with fronts from `coach` (the coach's decks in catalog
/// order), on the coach's study day `today`.
pub fn aggregate(reports: &[Loaded], coach: &[CoachDeck], today: NaiveDate) -> Class {
    let (kept, superseded) = newest_per_learner(reports);
    let mut learners: Vec<Learner> = kept.iter().map(|l| learner(l, today)).collect();
    learners.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.file.cmp(&b.file))
    });
    let reported: Vec<&Report> = kept.iter().map(|l| &l.report).collect();
    let mut decks: Vec<ClassDeck> = coach
        .iter()
        .filter_map(|deck| class_deck(&deck.id, Some(deck), &reported))
        .collect();
    let mut unknown: Vec<String> = reported
        .iter()
        .flat_map(|r| r.decks.iter().map(|d| d.id.as_str().to_owned()))
        .filter(|id| !coach.iter().any(|d| d.id == *id))
        .collect();
    unknown.sort();
    unknown.dedup();
    decks.extend(
        unknown
            .iter()
            .filter_map(|id| class_deck(id, None, &reported)),
    );
    Class {
        today,
        learners,
        decks,
        unknown_decks: unknown,
        superseded,
    }
}

/// The newest report of each learner name (by when it was made, then file name), and
/// the older ones set aside.
fn newest_per_learner(reports: &[Loaded]) -> (Vec<&Loaded>, Vec<Superseded>) {
    let mut newest: HashMap<&str, &Loaded> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    let mut superseded = Vec::new();
    for loaded in reports {
        let name = loaded.report.name.trim();
        let key = |l: &Loaded| (l.report.generated_at, l.file.clone());
        match newest.get(name) {
            None => {
                order.push(name);
                newest.insert(name, loaded);
            }
            Some(&held) => {
                let (older, newer) = if key(loaded) > key(held) {
                    (held, loaded)
                } else {
                    (loaded, held)
                };
                superseded.push(Superseded {
                    name: name.to_owned(),
                    file: older.file.clone(),
                    newer: newer.file.clone(),
                });
                newest.insert(name, newer);
            }
        }
    }
    let kept = order
        .into_iter()
        .filter_map(|n| newest.get(n).copied())
        .collect();
    (kept, superseded)
}

fn learner(loaded: &Loaded, today: NaiveDate) -> Learner {
    let report = &loaded.report;
    let start = today - chrono::Days::new(u64::from(ACTIVITY_DAYS - 1));
    let mut activity = vec![0u32; ACTIVITY_DAYS as usize];
    for day in &report.activity {
        if (start..=today).contains(&day.date) {
            let slot = &mut activity[(day.date - start).num_days() as usize];
            *slot = slot.saturating_add(day.answers);
        }
    }
    let latest = report.rehearsals.iter().flatten().max_by_key(|r| r.date);
    Learner {
        name: report.name.trim().to_owned(),
        file: loaded.file.clone(),
        report_date: report.date,
        last_active: report.last_active,
        streak_days: report.streak_days,
        readiness: report.readiness,
        readiness_share: report.readiness.share(),
        due: report
            .decks
            .iter()
            .fold(0u32, |sum, d| sum.saturating_add(d.due)),
        interview: report.interview,
        days_left: report.interview.map(|day| (day - today).num_days()),
        rehearsal_score: latest.map(|r| r.score),
        rehearsal_median_score: latest.map(|r| r.median_score),
        rehearsal_seconds: latest.map(|r| r.median_seconds),
        rehearsal_date: latest.map(|r| r.date),
        rehearsals: report
            .rehearsals
            .iter()
            .flatten()
            .fold(0u32, |sum, r| sum.saturating_add(r.count)),
        activity,
    }
}

/// Sums for one card over the learners.
#[derive(Default)]
struct Sums {
    learners: u32,
    lapses: u32,
    below_3: u32,
    redrills: u32,
    failing_now: u32,
    lowest: Option<u8>,
    grades: (u32, u32),
}

/// Deck `id` across `reports`; `None` when no report covers it.
fn class_deck(id: &str, coach: Option<&CoachDeck>, reports: &[&Report]) -> Option<ClassDeck> {
    let mut sums: HashMap<&str, Sums> = HashMap::new();
    let (mut learners, mut other_version) = (0u32, 0u32);
    let mut title = None;
    for report in reports {
        let Some(deck) = report.decks.iter().find(|d| d.id.as_str() == id) else {
            continue;
        };
        learners += 1;
        title.get_or_insert(deck.title.as_str());
        if coach.is_some_and(|c| c.content_hash != deck.content_hash) {
            other_version += 1;
        }
        for card in &deck.card_progress {
            let s = sums.entry(card.id.as_str()).or_default();
            s.learners += 1;
            s.lapses = s.lapses.saturating_add(card.lapses);
            s.below_3 = s.below_3.saturating_add(card.below_3);
            s.redrills = s.redrills.saturating_add(card.redrills);
            if let Some(grade) = card.last_grade.map(|g| g.value()) {
                s.failing_now += u32::from(grade < 3);
                s.lowest = Some(s.lowest.map_or(grade, |low| low.min(grade)));
                s.grades.0 += u32::from(grade);
                s.grades.1 += 1;
            }
        }
    }
    if learners == 0 {
        return None;
    }
    let mut hardest: Vec<HardCard> = sums
        .into_iter()
        .filter(|(_, s)| s.lapses + s.below_3 + s.redrills + s.failing_now > 0)
        .map(|(card, s)| {
            let front = coach.and_then(|c| c.fronts.get(card)).cloned();
            HardCard {
                id: card.to_owned(),
                retired: coach.is_some() && front.is_none(),
                front,
                learners: s.learners,
                lapses: s.lapses,
                below_3: s.below_3,
                redrills: s.redrills,
                failing_now: s.failing_now,
                lowest_last_grade: s.lowest,
                mean_last_grade: (s.grades.1 > 0)
                    .then(|| f64::from(s.grades.0) / f64::from(s.grades.1)),
            }
        })
        .collect();
    hardest.sort_by(|a, b| {
        (b.lapses, b.below_3, b.failing_now, b.redrills)
            .cmp(&(a.lapses, a.below_3, a.failing_now, a.redrills))
            .then_with(|| a.lowest_last_grade.cmp(&b.lowest_last_grade))
            .then_with(|| a.id.cmp(&b.id))
    });
    hardest.truncate(HARDEST_PER_DECK);
    Some(ClassDeck {
        id: id.to_owned(),
        title: coach
            .map_or(title.unwrap_or(id), |c| c.title.as_str())
            .to_owned(),
        installed: coach.is_some(),
        learners,
        other_version,
        hardest,
    })
}
