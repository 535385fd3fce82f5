//! Stories and rehearsals as text: lists, the answer a story makes, its outline, the
//! rehearsal summary. Every typed text goes through `text::sanitize`/`one_line`.

use super::text::{inline_text, one_line, truncate, wrap};
use super::{plural, Style};
use crate::rehearse::{self, Rehearsal, RehearsalDay, RUBRIC, TARGET};
use crate::story::{hints, Story};
use crate::update::Changes;

/// Hints, each on its own line under a marker, wrapped to 80 columns.
pub fn hints(list: &[String], style: Style) -> String {
    list.iter()
        .map(|h| {
            let body = wrap(&one_line(h), 74).replace('\n', "\n    ");
            format!("  {} {body}\n", style.warn("hint:"))
        })
        .collect()
}

/// One line per story: id, title, actions and length aloud.
pub fn list(stories: &[Story]) -> String {
    if stories.is_empty() {
        return "No stories yet. Write one with `prepdeck story new`.\n".to_owned();
    }
    let width = stories.iter().map(|s| s.id.len()).max().unwrap_or(2).max(2);
    let mut text = format!(
        "{:<width$}  {:>5}  {:>7}  TITLE\n",
        "ID", "~SECS", "ACTIONS"
    );
    for s in stories {
        text.push_str(&format!(
            "{:<width$}  {:>5}  {:>7}  {}\n",
            s.id,
            s.spoken_seconds(),
            s.actions.len(),
            truncate(&inline_text(&s.title), 50)
        ));
    }
    text
}

/// The story's parts, labelled S/T/A/R/L, one a line.
pub fn outline(story: &Story) -> String {
    let line = |label: &str, t: &str| {
        let body = wrap(&inline_text(t), 66).replace('\n', "\n             ");
        format!("  {label:<11}{body}\n")
    };
    let mut text = line("Situation", &story.situation);
    text.push_str(&line("Task", &story.task));
    for (k, a) in story.actions.iter().enumerate() {
        text.push_str(&line(&format!("Action {}", k + 1), a));
    }
    text.push_str(&line("Result", &story.result));
    text.push_str(&line("Lesson", &story.lesson));
    text
}

/// `story show`: the answer as it is spoken, its estimated length, and the outline.
pub fn show(story: &Story, style: Style) -> String {
    let (seconds, warning) = hints::length(story);
    let mut text = format!(
        "{}  ({})\n\n",
        style.bold(&inline_text(&story.title)),
        story.id
    );
    text.push_str(&wrap(&inline_text(&story.spoken()), 78));
    text.push_str(&format!(
        "\n\nAbout {seconds} s aloud at {} words a minute (target {}-{} s).\n",
        hints::WORDS_PER_MINUTE,
        TARGET.0,
        TARGET.1
    ));
    if let Some(w) = warning {
        text.push_str(&hints(&[w], style));
    }
    text.push_str("\nOutline:\n");
    text.push_str(&outline(story));
    text
}

/// What saving the stories did to the deck `my-stories`.
pub fn deck_changes(changes: &Changes) -> String {
    format!(
        "Deck my-stories: {} added, {} re-worded, {} retired, {} unchanged.\n",
        plural(changes.added.len(), "card"),
        changes.reworded.len(),
        changes.retired.len(),
        changes.unchanged.len()
    )
}

/// The rehearsal's summary: score, time against the target, missed points with what
/// to do, and the story's outline to compare with what was said.
pub fn summary(r: &Rehearsal, story: Option<&Story>, style: Style) -> String {
    let mut text = format!("\n{}\n", style.bold(&format!("Score: {}/10", r.score())));
    let verdict = if rehearse::on_time(r.seconds) {
        style.good("on target")
    } else {
        style.warn(&rehearse::timing_fix(r.seconds))
    };
    text.push_str(&format!(
        "Time: {} ({} s; target {}-{} s): {verdict}\n",
        clock(r.seconds),
        r.seconds,
        TARGET.0,
        TARGET.1
    ));
    let missed: Vec<_> = RUBRIC
        .iter()
        .filter(|p| !r.points.iter().any(|h| h == p.id))
        .collect();
    if missed.is_empty() {
        text.push_str("Every rubric point hit.\n");
    } else {
        text.push_str("\nTo work on:\n");
        for p in missed {
            let fix = wrap(p.fix, 72).replace('\n', "\n    ");
            text.push_str(&format!("  - {}\n    {fix}\n", p.ask));
        }
    }
    match story {
        Some(s) => {
            text.push_str(&format!(
                "\nYour story «{}», to compare:\n",
                inline_text(&s.title)
            ));
            text.push_str(&outline(s));
        }
        None => text.push_str("\nNo story to compare with: write one with `prepdeck story new`.\n"),
    }
    text.push_str("Recorded in your review log.\n");
    text
}

/// `m:ss`.
pub fn clock(seconds: u32) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The rehearsals of the last 14 days for `stats`: a bar of the best score per day,
/// with its time. Days without one are left out.
pub fn recent(days: &[RehearsalDay], style: Style) -> String {
    let mut text = format!(
        "{}\n",
        style.bold(&format!(
            "Rehearsals, last {} days (best score /10, its time)",
            rehearse::RECENT_DAYS
        ))
    );
    if days.is_empty() {
        text.push_str("  none yet: `prepdeck rehearse` times you telling your story aloud\n");
        return text;
    }
    for d in days {
        let bar = "█".repeat(d.best_score as usize * 2);
        let on = if rehearse::on_time(d.seconds) {
            ""
        } else {
            " (off 60-90 s)"
        };
        let pad = " ".repeat(20usize.saturating_sub(bar.chars().count()));
        text.push_str(&format!(
            "  {}  {}{pad} {:>2}/10  {:>5}{on}  ×{}\n",
            d.date.format("%a %d %b"),
            style.accent(&bar),
            d.best_score,
            clock(d.seconds),
            d.rehearsals
        ));
    }
    text
}

/// `plan`'s lines about spoken rehearsal.
pub fn rehearsal_plan(p: &crate::rehearse::RehearsalPlan) -> String {
    let mut text = format!(
        "\nRehearse aloud {}-{} times a day until the interview: {}-{} in the {} left.\nRehearsals today: {}; over the last 14 days: {}.\n",
        p.per_day_min,
        p.per_day_max,
        p.total_min,
        p.total_max,
        plural(p.days_left, "day"),
        p.done_today,
        p.done_14d
    );
    text.push_str(if p.stories == 0 {
        "First write the story you will tell: `prepdeck story new`.\n"
    } else if p.done_today == 0 {
        "Today's: `prepdeck rehearse`.\n"
    } else {
        ""
    });
    text
}

/// The question of a rehearsal (`number` from 0) and what to tell.
pub fn question(
    number: usize,
    question: &crate::rehearse::Question,
    story: Option<&Story>,
    style: Style,
) -> String {
    let mut text = format!(
        "{}\n\n  {}\n\n",
        style.bold(&format!(
            "Question {} of {} ({})",
            number + 1,
            rehearse::QUESTIONS.len(),
            question.kind.label()
        )),
        question.text
    );
    match story {
        Some(s) => text.push_str(&format!(
            "Tell your story «{}» aloud, in STAR order, in 60-90 seconds.\n",
            inline_text(&s.title)
        )),
        None => text.push_str(
            "Answer aloud with one real past event, in STAR order, in 60-90 seconds.\n(No story yet: `prepdeck story new` builds one.)\n",
        ),
    }
    text
}
