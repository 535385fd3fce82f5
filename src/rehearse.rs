//! Spoken rehearsal: the question bank, the 10-point rubric, the log entry a
//! rehearsal leaves and the figures drawn from those entries. Pure.
//!
//! The rubric and the advice come from the source articles (see
//! `/work/shared/sources/README.md`); the wording is ours.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// The review-log version of a rehearsal line. Answer lines stay at version 1, so a
/// log without rehearsals is still read by older prepdeck; one with a rehearsal is
/// refused by them as coming from a newer prepdeck, untouched.
pub const REHEARSAL_LOG_VERSION: u32 = 2;
/// The longest time a rehearsal may record: an answer is minutes, not hours.
pub const MAX_SECONDS: u32 = 3600;
/// How many days `stats` and `plan` look back.
pub const RECENT_DAYS: u32 = 14;

/// What kind of question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    /// The behavioural question itself.
    Main,
    /// The same question asked another way.
    Variant,
    /// What interviewers ask once you have told the story.
    FollowUp,
}

impl QuestionKind {
    /// As shown.
    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::Main => "main question",
            QuestionKind::Variant => "variant",
            QuestionKind::FollowUp => "follow-up",
        }
    }
}

/// A question from the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// What the interviewer asks.
    pub text: &'static str,
    /// Main, variant or follow-up.
    pub kind: QuestionKind,
}

const fn q(text: &'static str, kind: QuestionKind) -> Question {
    Question { text, kind }
}

/// The bank, the main question first. Every one is answered by a STAR story and the
/// advice in the sources (calm, listening, empathy, a solution within policy, follow-up,
/// retention, learning, escalating only after trying yourself).
pub const QUESTIONS: [Question; 12] = [
    q(
        "Tell me about a time you handled a difficult customer.",
        QuestionKind::Main,
    ),
    q(
        "How do you handle difficult customers? Give me an example.",
        QuestionKind::Variant,
    ),
    q(
        "How do you deal with an irate customer? Walk me through a real case.",
        QuestionKind::Variant,
    ),
    q(
        "Describe a customer who was angry about a mistake. What did you do?",
        QuestionKind::Variant,
    ),
    q(
        "Tell me about a customer who asked for something your policy did not allow.",
        QuestionKind::Variant,
    ),
    q(
        "Give an example of turning an unhappy customer into a loyal one.",
        QuestionKind::Variant,
    ),
    q(
        "Tell me about a customer with unreasonable demands on a busy day.",
        QuestionKind::Variant,
    ),
    q(
        "How did you keep calm while that customer was upset with you?",
        QuestionKind::FollowUp,
    ),
    q(
        "How did you know the customer was satisfied in the end?",
        QuestionKind::FollowUp,
    ),
    q(
        "Would you have handed that customer to your supervisor? When do you escalate?",
        QuestionKind::FollowUp,
    ),
    q(
        "What did you learn from it, and what would you do differently now?",
        QuestionKind::FollowUp,
    ),
    q(
        "Why does that matter for a company like ours?",
        QuestionKind::FollowUp,
    ),
];

/// The question to ask after `done` rehearsals: the bank in turn, the main question
/// first. 0-based.
pub fn rotation(done: usize) -> usize {
    done % QUESTIONS.len()
}

/// One rubric point asked after a rehearsal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    /// Stable id, as recorded in the log.
    pub id: &'static str,
    /// The yes/no question.
    pub ask: &'static str,
    /// What to do when it was missed.
    pub fix: &'static str,
}

/// The id of the point judged from the measured time.
pub const TIMING: &str = "timing";
/// The spoken target, in seconds.
pub const TARGET: (u32, u32) = crate::story::hints::TARGET;

/// The nine points asked, in the order of a STAR answer; [`TIMING`] is the tenth.
pub const RUBRIC: [Point; 9] = [
    Point {
        id: "past-event",
        ask: "Did you tell one real event from your past, not what you would do?",
        fix: "Pick one time it really happened and tell it in the past tense; recruiters want concrete examples from your experience.",
    },
    Point {
        id: "short-situation",
        ask: "Did you set the scene in one or two sentences?",
        fix: "Say only who, where and what went wrong; keep your time for the actions and the result.",
    },
    Point {
        id: "task",
        ask: "Did you say what your task or role was?",
        fix: "Name your responsibility in one sentence, with \"I\".",
    },
    Point {
        id: "composure",
        ask: "Did you show you stayed calm and did not take it personally?",
        fix: "Say how you kept your composure: a deep breath, not getting defensive.",
    },
    Point {
        id: "listening",
        ask: "Did you show you listened and acknowledged their frustration, in the words you used?",
        fix: "Quote what you said (\"I understand why you're upset\") and that you let them finish without interrupting.",
    },
    Point {
        id: "solution",
        ask: "Did you describe a solution you offered within company policy?",
        fix: "Say which options you offered (an exchange, store credit, a fix) and how they fitted the rules.",
    },
    Point {
        id: "follow-up",
        ask: "Did you mention following up to make sure they were satisfied?",
        fix: "Add the check you made once it was resolved: a call, an email, asking if anything else was needed.",
    },
    Point {
        id: "result",
        ask: "Did you end with a concrete, positive result, with a number or proof?",
        fix: "End with what changed: they came back, updated their review, a note from them or your supervisor.",
    },
    Point {
        id: "lesson",
        ask: "Did you close with a lesson that fits this employer's values?",
        fix: "Close with what you learned and tie it to the company's customer-service values.",
    },
];

/// What to do when the time was off target.
pub fn timing_fix(seconds: u32) -> String {
    if seconds < TARGET.0 {
        format!("{seconds} s is short of {}-{} s: add what you said and did, and the proof of the result.", TARGET.0, TARGET.1)
    } else {
        format!(
            "{seconds} s is past {} s: be concise; cut the situation first.",
            TARGET.1
        )
    }
}

/// True when `seconds` is within the 60-90 s target.
pub fn on_time(seconds: u32) -> bool {
    (TARGET.0..=TARGET.1).contains(&seconds)
}

/// Where the time of a rehearsal came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Timed {
    /// Measured by prepdeck, from the question to the stop.
    Measured,
    /// Given with `--seconds`.
    Given,
}

/// The `kind` of a rehearsal line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RehearsalKind {
    /// The only value.
    Rehearsal,
}

/// One rehearsal as recorded in the review log (docs/progress-format.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rehearsal {
    /// [`REHEARSAL_LOG_VERSION`].
    pub v: u32,
    /// Always `rehearsal`.
    pub kind: RehearsalKind,
    /// When it was recorded.
    #[serde(with = "crate::serde_time::datetime")]
    pub at: DateTime<FixedOffset>,
    /// Its study day.
    #[serde(with = "crate::serde_time::date")]
    pub day: NaiveDate,
    /// The question's number in the bank, from 1.
    pub question: u32,
    /// The question as asked (the bank may change).
    pub question_text: String,
    /// The story told, if one was named or chosen.
    #[serde(default)]
    pub story: Option<String>,
    /// How long the answer took.
    pub seconds: u32,
    /// Measured or given.
    pub timed: Timed,
    /// The ids of the points hit, [`TIMING`] included when on time.
    pub points: Vec<String>,
}

impl Rehearsal {
    /// The score out of 10.
    pub fn score(&self) -> u32 {
        self.points.len() as u32
    }

    /// Why this line cannot be a rehearsal prepdeck wrote, if it cannot.
    pub fn defect(&self) -> Option<String> {
        if self.v < REHEARSAL_LOG_VERSION {
            return Some(format!("a rehearsal with version {}", self.v));
        }
        if self.seconds > MAX_SECONDS {
            return Some(format!("a rehearsal of {} seconds", self.seconds));
        }
        let known = |p: &str| p == TIMING || RUBRIC.iter().any(|r| r.id == p);
        if let Some(p) = self.points.iter().find(|p| !known(p)) {
            return Some(format!("an unknown rubric point {p:?}"));
        }
        None
    }
}

/// The answers to the rubric: the points hit, timing judged from `seconds`.
pub fn points_hit(answers: &[bool], seconds: u32) -> Vec<String> {
    let mut hit: Vec<String> = RUBRIC
        .iter()
        .zip(answers)
        .filter(|(_, yes)| **yes)
        .map(|(p, _)| p.id.to_owned())
        .collect();
    if on_time(seconds) {
        hit.push(TIMING.to_owned());
    }
    hit
}

/// Rehearsals on one study day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RehearsalDay {
    /// The study day.
    pub date: NaiveDate,
    /// How many.
    pub rehearsals: u32,
    /// The best score that day, out of 10.
    pub best_score: u32,
    /// Seconds of the rehearsal with the best score (the latest of equals).
    pub seconds: u32,
}

/// Rehearsals over the last [`RECENT_DAYS`] study days up to `today`, oldest first;
/// days without one are left out.
pub fn recent(all: &[Rehearsal], today: NaiveDate) -> Vec<RehearsalDay> {
    let first = today - chrono::Days::new(u64::from(RECENT_DAYS - 1));
    let mut days: Vec<RehearsalDay> = Vec::new();
    let mut sorted: Vec<&Rehearsal> = all
        .iter()
        .filter(|r| r.day >= first && r.day <= today)
        .collect();
    sorted.sort_by_key(|r| (r.day, r.at));
    for r in sorted {
        match days.last_mut() {
            Some(d) if d.date == r.day => {
                d.rehearsals += 1;
                if r.score() >= d.best_score {
                    d.best_score = r.score();
                    d.seconds = r.seconds;
                }
            }
            _ => days.push(RehearsalDay {
                date: r.day,
                rehearsals: 1,
                best_score: r.score(),
                seconds: r.seconds,
            }),
        }
    }
    days
}

/// Rehearsals are daily practice: one or two a day until the interview.
pub const PER_DAY: (u32, u32) = (1, 2);

/// What `plan` says about rehearsing until the interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RehearsalPlan {
    /// Days left to rehearse: today up to the day before the interview.
    pub days_left: u32,
    /// Rehearsals a day asked for, at least.
    pub per_day_min: u32,
    /// Rehearsals a day asked for, at most.
    pub per_day_max: u32,
    /// Over the days left, at least.
    pub total_min: u32,
    /// Over the days left, at most.
    pub total_max: u32,
    /// Rehearsals recorded today.
    pub done_today: u32,
    /// Rehearsals recorded over the last 14 days.
    pub done_14d: u32,
    /// Stories written (none means: write one first).
    pub stories: u32,
}

/// The rehearsals to do from `today` up to `interview`, given those done.
pub fn plan(
    all: &[Rehearsal],
    today: NaiveDate,
    interview: NaiveDate,
    stories: usize,
) -> RehearsalPlan {
    let days_left = u32::try_from((interview - today).num_days().max(0)).unwrap_or(u32::MAX);
    let recent = recent(all, today);
    RehearsalPlan {
        days_left,
        per_day_min: PER_DAY.0,
        per_day_max: PER_DAY.1,
        total_min: days_left.saturating_mul(PER_DAY.0),
        total_max: days_left.saturating_mul(PER_DAY.1),
        done_today: done_on(all, today),
        done_14d: recent.iter().map(|d| d.rehearsals).sum(),
        stories: u32::try_from(stories).unwrap_or(u32::MAX),
    }
}

/// Rehearsals recorded on study day `day`.
pub fn done_on(all: &[Rehearsal], day: NaiveDate) -> u32 {
    all.iter().filter(|r| r.day == day).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rehearsal(day: &str, at: &str, points: usize, seconds: u32) -> Rehearsal {
        Rehearsal {
            v: REHEARSAL_LOG_VERSION,
            kind: RehearsalKind::Rehearsal,
            at: at.parse().unwrap(),
            day: day.parse().unwrap(),
            question: 1,
            question_text: QUESTIONS[0].text.into(),
            story: None,
            seconds,
            timed: Timed::Given,
            points: RUBRIC[..points].iter().map(|p| p.id.to_owned()).collect(),
        }
    }

    #[test]
    fn the_bank_has_at_least_ten_questions_with_the_main_one_first() {
        assert!(QUESTIONS.len() >= 10);
        assert_eq!(QUESTIONS[0].kind, QuestionKind::Main);
        assert_eq!(rotation(0), 0);
        assert_eq!(rotation(QUESTIONS.len()), 0);
        assert_eq!(RUBRIC.len() + 1, 10);
    }

    #[test]
    fn timing_is_a_point_only_within_60_to_90_seconds() {
        assert_eq!(points_hit(&[true; 9], 75).len(), 10);
        assert_eq!(points_hit(&[true; 9], 59).len(), 9);
        assert_eq!(points_hit(&[false; 9], 90), [TIMING]);
        assert!(timing_fix(30).contains("short"));
        assert!(timing_fix(120).contains("concise"));
    }

    #[test]
    fn recent_days_keep_the_best_score_and_its_time() {
        let all = [
            rehearsal("2026-11-01", "2026-11-01T09:00:00Z", 9, 70),
            rehearsal("2026-11-20", "2026-11-20T09:00:00Z", 5, 40),
            rehearsal("2026-11-20", "2026-11-20T10:00:00Z", 7, 80),
            rehearsal("2026-11-22", "2026-11-22T10:00:00Z", 3, 100),
        ];
        let days = recent(&all, "2026-11-22".parse().unwrap());
        assert_eq!(days.len(), 2);
        assert_eq!(
            (days[0].rehearsals, days[0].best_score, days[0].seconds),
            (2, 7, 80)
        );
        assert_eq!(days[1].best_score, 3);
    }

    #[test]
    fn the_plan_asks_one_or_two_a_day_until_the_interview() {
        let all = [rehearsal("2026-11-22", "2026-11-22T09:00:00Z", 9, 70)];
        let p = plan(
            &all,
            "2026-11-22".parse().unwrap(),
            "2026-11-30".parse().unwrap(),
            1,
        );
        assert_eq!((p.days_left, p.total_min, p.total_max), (8, 8, 16));
        assert_eq!((p.done_today, p.done_14d), (1, 1));
    }

    #[test]
    fn a_line_with_an_unknown_point_or_an_old_version_is_a_defect() {
        let mut r = rehearsal("2026-11-01", "2026-11-01T09:00:00Z", 2, 70);
        assert!(r.defect().is_none());
        r.points.push("charm".into());
        assert!(r.defect().is_some());
        r.points.pop();
        r.v = 1;
        assert!(r.defect().is_some());
    }
}
