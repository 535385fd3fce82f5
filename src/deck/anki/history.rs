//! Anki's review log as prepdeck answers, so that a card's reps, interval, EF and due
//! date go on from where Anki left them.
//!
//! prepdeck's log holds one scheduling answer per card and study day; further answers
//! that day are re-drills, which never change the schedule. Anki answers a card several
//! times on a day while it is learning, so each study day becomes one answer (graded as
//! the day's first answer, with the schedule Anki had set at the end of that day: its
//! interval and ease) and the day's later answers become re-drills.

use super::convert::grade_for_ease;
use super::package::Answer;
use crate::progress::{After, Entry, Kind, PLAIN_LOG_VERSION};
use crate::sm2::Grade;
use chrono::{DateTime, Days, FixedOffset, NaiveDate, TimeZone};

/// The lowest EF SM-2 allows.
const MIN_EF: f64 = 1.3;

/// The log entries for card `key` from its Anki answers `answers` (in time order),
/// leaving out those at or before `since` (already imported). `offset` is the time zone
/// the times are written in; `day_of` gives an instant's study day.
pub fn entries(
    key: &str,
    answers: &[&Answer],
    since: Option<DateTime<FixedOffset>>,
    offset: FixedOffset,
    day_of: impl Fn(DateTime<FixedOffset>) -> NaiveDate,
) -> Vec<Entry> {
    let graded: Vec<(DateTime<FixedOffset>, NaiveDate, Grade, &Answer)> = answers
        .iter()
        .filter_map(|a| {
            let grade = Grade::new(grade_for_ease(a.ease)?)?;
            let at = offset.timestamp_millis_opt(a.at_ms).single()?;
            Some((at, day_of(at), grade, *a))
        })
        .collect();
    let mut out = Vec::new();
    let (mut reps, mut lapses, mut ef) = (0u32, 0u32, 2.5f64);
    let mut start = 0;
    while start < graded.len() {
        let day = graded[start].1;
        let end = graded[start..]
            .iter()
            .position(|g| g.1 != day)
            .map_or(graded.len(), |n| start + n);
        let (first, last) = (&graded[start], &graded[end - 1]);
        // The schedule at the end of the day, as Anki left it.
        if first.3.kind == 1 && first.3.ease == 1 {
            lapses += 1;
        }
        reps = if last.2.value() < 3 { 0 } else { reps + 1 };
        if last.3.factor > 0 {
            ef = (last.3.factor as f64 / 1000.0).max(MIN_EF);
        }
        let interval = u32::try_from(last.3.interval)
            .ok()
            .filter(|&i| i > 0)
            .unwrap_or(1);
        let due = day
            .checked_add_days(Days::new(u64::from(interval)))
            .unwrap_or(day);
        for (i, (at, day, grade, _)) in graded[start..end].iter().enumerate() {
            if since.is_some_and(|since| *at <= since) {
                continue;
            }
            let redrill = i > 0;
            out.push(Entry {
                v: PLAIN_LOG_VERSION,
                kind: Kind::Answer,
                at: *at,
                card: key.to_owned(),
                day: *day,
                grade: *grade,
                redrill,
                after: (!redrill).then_some(After {
                    reps,
                    ef,
                    interval,
                    lapses,
                    due,
                    sm2_due: None,
                }),
                undone_at: None,
                restore: None,
                cram: false,
            });
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(at: &str, ease: i64, interval: i64, factor: i64, kind: i64) -> Answer {
        Answer {
            at_ms: DateTime::parse_from_rfc3339(at).unwrap().timestamp_millis(),
            card: 1,
            ease,
            interval,
            factor,
            kind,
        }
    }

    fn day_of(at: DateTime<FixedOffset>) -> NaiveDate {
        crate::clock::study_day_in(at, &chrono::Utc)
    }

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    #[test]
    fn one_answer_a_day_with_the_days_schedule_and_later_answers_as_redrills() {
        let answers = [
            answer("2026-11-01T10:00:00Z", 1, -60, 0, 0),
            answer("2026-11-01T10:01:00Z", 3, -600, 0, 0),
            answer("2026-11-01T10:11:00Z", 3, 1, 2500, 0),
            answer("2026-11-02T09:00:00Z", 4, 4, 2650, 1),
            answer("2026-11-06T09:00:00Z", 1, -600, 2450, 1),
            answer("2026-11-07T09:00:00Z", 0, 30, 2450, 4),
        ];
        let refs: Vec<&Answer> = answers.iter().collect();
        let entries = entries("d/c", &refs, None, utc(), day_of);
        let shape: Vec<(u8, bool)> = entries
            .iter()
            .map(|e| (e.grade.value(), e.redrill))
            .collect();
        assert_eq!(
            shape,
            [(1, false), (4, true), (4, true), (5, false), (1, false)]
        );
        let first = entries[0].after.as_ref().unwrap();
        assert_eq!(
            (first.reps, first.interval, first.ef, first.lapses),
            (1, 1, 2.5, 0)
        );
        assert_eq!(first.due.to_string(), "2026-11-02");
        let second = entries[3].after.as_ref().unwrap();
        assert_eq!((second.reps, second.interval, second.ef), (2, 4, 2.65));
        assert_eq!(second.due.to_string(), "2026-11-06");
        let lapse = entries[4].after.as_ref().unwrap();
        assert_eq!((lapse.reps, lapse.interval, lapse.lapses), (0, 1, 1));
    }

    #[test]
    fn answers_already_imported_are_left_out() {
        let answers = [
            answer("2026-11-01T10:00:00Z", 3, 1, 2500, 0),
            answer("2026-11-02T10:00:00Z", 3, 3, 2500, 1),
        ];
        let refs: Vec<&Answer> = answers.iter().collect();
        let since = DateTime::parse_from_rfc3339("2026-11-01T10:00:00Z").unwrap();
        let entries = entries("d/c", &refs, Some(since), utc(), day_of);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].after.as_ref().unwrap().reps, 2);
    }
}
