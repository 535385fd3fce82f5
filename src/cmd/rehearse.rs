//! `prepdeck rehearse`: a question, your story aloud against a timer, the rubric, and
//! the rehearsal saved in the review log before the summary is shown.

use super::{emit, warn, Context};
use crate::clock::study_day;
use crate::error::{Error, Result};
use crate::rehearse::{
    points_hit, rotation, Rehearsal, RehearsalKind, Timed, MAX_SECONDS, QUESTIONS,
    REHEARSAL_LOG_VERSION, RUBRIC,
};
use crate::render::story as render;
use crate::story::{Stories, Story};
use std::io::{BufRead, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// What to rehearse.
#[derive(Debug, Clone)]
pub struct Options {
    /// The story to tell; by default the one rehearsed least recently.
    pub story: Option<String>,
    /// The question's number in the bank, from 1; by default the next in turn.
    pub question: Option<u32>,
    /// Seconds timed elsewhere; no timer runs.
    pub seconds: Option<u32>,
}

/// Runs one rehearsal on `input`/`out`; warnings go to `err`.
pub fn run(
    ctx: &Context,
    options: &Options,
    input: &mut impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let all = crate::store::stories::read(&ctx.data.stories_path())?;
    if let Some(id) = &options.story {
        super::story::find(&all, id)?;
    }
    // Taken before the question, so that a review running meanwhile is found now and
    // not after the answer has been spoken.
    let mut writer = ctx.data.open_writer()?;
    warn(err, &writer.warnings);
    let past = ctx.data.rehearsals()?;
    let story = match &options.story {
        Some(id) => all.get(id),
        None => least_recent(&all, &past),
    };
    let number = options
        .question
        .map_or_else(|| rotation(past.len()), |n| n as usize - 1)
        .min(QUESTIONS.len() - 1);
    let question = QUESTIONS[number];
    let mut intro = render::question(number, &question, story, ctx.style);
    let (seconds, timed) = match options.seconds {
        Some(s) => {
            emit(out, &intro)?;
            (s, Timed::Given)
        }
        None => {
            intro.push_str(if ctx.interactive {
                "The timer is running: speak now, and press Enter when you finish.\n"
            } else {
                "The timer runs until an empty line.\n"
            });
            emit(out, &intro)?;
            (answer_time(ctx.interactive, input, out)?, Timed::Measured)
        }
    };
    emit(out, &format!(
        "\nTime: {}. Now check your answer, one point at a time: y or n (q stops without saving).\n",
        render::clock(seconds)
    ))?;
    let Some(answers) = rubric(input, out, !ctx.interactive)? else {
        return emit(out, "Stopped: this rehearsal was not recorded.\n");
    };
    let now = ctx.clock.now();
    let rehearsal = Rehearsal {
        v: REHEARSAL_LOG_VERSION,
        kind: RehearsalKind::Rehearsal,
        at: now,
        day: study_day(now),
        question: (number + 1) as u32,
        question_text: question.text.to_owned(),
        story: story.map(|s| s.id.clone()),
        seconds,
        timed,
        points: points_hit(&answers, seconds),
    };
    // Durable before the summary: a kill from here on loses nothing that was confirmed.
    writer.append_rehearsal(&rehearsal)?;
    drop(writer);
    emit(out, &render::summary(&rehearsal, story, ctx.style))
}

/// The story rehearsed least recently (one never rehearsed first, in file order).
fn least_recent<'s>(all: &'s Stories, past: &[Rehearsal]) -> Option<&'s Story> {
    all.stories.iter().min_by_key(|s| {
        past.iter()
            .filter(|r| r.story.as_deref() == Some(s.id.as_str()))
            .map(|r| r.at)
            .max()
    })
}

/// Times the spoken answer, from the question to the stop. At a terminal a timer
/// counts up on standard error once a second and Enter stops it; piped, the first
/// empty line stops it.
fn answer_time(interactive: bool, input: &mut impl BufRead, out: &mut impl Write) -> Result<u32> {
    let ended = || {
        Error::Invalid(
            "input ended before the answer was stopped; nothing was recorded. Piped, an empty line stops the timer; or pass --seconds N".into(),
        )
    };
    let mut line = String::new();
    let read = |input: &mut dyn BufRead, line: &mut String| -> Result<usize> {
        line.clear();
        input
            .read_line(line)
            .map_err(|e| Error::io("read", "standard input", e))
    };
    if interactive {
        let start = Instant::now();
        let stop = AtomicBool::new(false);
        let got = std::thread::scope(|scope| {
            scope.spawn(|| tick(start, &stop));
            let got = read(input, &mut line);
            stop.store(true, Ordering::Relaxed);
            got
        })?;
        if got == 0 {
            return Err(ended());
        }
        return Ok(seconds_since(start));
    }
    let start = Instant::now();
    loop {
        if read(input, &mut line)? == 0 {
            return Err(ended());
        }
        if line.trim().is_empty() {
            break;
        }
    }
    let _ = out.flush();
    Ok(seconds_since(start))
}

/// Whole seconds since `start`, at most [`MAX_SECONDS`].
fn seconds_since(start: Instant) -> u32 {
    let s = start.elapsed().as_secs_f64().round();
    (s as u32).min(MAX_SECONDS)
}

/// Redraws `m:ss` on standard error each second until `stop`. Standard error, not the
/// output the command writes to: that handle is locked by the thread reading the line.
fn tick(start: Instant, stop: &AtomicBool) {
    let mut err = std::io::stderr();
    let mut shown = u64::MAX;
    while !stop.load(Ordering::Relaxed) {
        let now = start.elapsed().as_secs();
        if now != shown {
            shown = now;
            let _ = write!(
                err,
                "\r  {}  speaking… Enter stops the timer ",
                render::clock(now as u32)
            );
            let _ = err.flush();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Asks the nine points in turn; `None` when stopped with `q`. With `echo` (piped
/// input), each answer read is shown after its question.
fn rubric(input: &mut impl BufRead, out: &mut impl Write, echo: bool) -> Result<Option<Vec<bool>>> {
    let mut answers = Vec::with_capacity(RUBRIC.len());
    let mut line = String::new();
    for (k, point) in RUBRIC.iter().enumerate() {
        emit(
            out,
            &format!("[{}/{}] {} (y/n) ", k + 1, RUBRIC.len(), point.ask),
        )?;
        loop {
            line.clear();
            let n = input
                .read_line(&mut line)
                .map_err(|e| Error::io("read", "standard input", e))?;
            if n == 0 {
                let _ = writeln!(out);
                return Err(Error::Invalid(format!(
                    "input ended at rubric point {} of {}; this rehearsal was not recorded",
                    k + 1,
                    RUBRIC.len()
                )));
            }
            if echo {
                emit(
                    out,
                    &format!("{}\n", crate::render::text::one_line(line.trim())),
                )?;
            }
            match line.trim().to_ascii_lowercase().as_str() {
                "y" | "yes" => break answers.push(true),
                "n" | "no" => break answers.push(false),
                "q" | "quit" => return Ok(None),
                _ => emit(out, "  y or n, please (q stops without saving): ")?,
            }
        }
    }
    Ok(Some(answers))
}

/// The rehearsals to do from `today` until `interview`, from the log and the stories.
pub fn plan_for(
    ctx: &Context,
    today: chrono::NaiveDate,
    interview: chrono::NaiveDate,
) -> Result<crate::rehearse::RehearsalPlan> {
    let stories = crate::store::stories::read(&ctx.data.stories_path())?;
    let all = ctx.data.rehearsals()?;
    Ok(crate::rehearse::plan(
        &all,
        today,
        interview,
        stories.stories.len(),
    ))
}

/// What `review` says at its end about rehearsing: `prepdeck rehearse` when none was
/// done on `today` and a story exists, `prepdeck story new` when none does; empty once
/// today's rehearsal is done. A file that cannot be read says nothing here: the review
/// is saved, and the command that needs the file reports it.
pub fn suggestion(ctx: &Context, today: chrono::NaiveDate) -> String {
    let Ok(stories) = crate::store::stories::read(&ctx.data.stories_path()) else {
        return String::new();
    };
    if stories.stories.is_empty() {
        return "Your story: write the one you will tell with `prepdeck story new`.\n".to_owned();
    }
    match ctx.data.rehearsals() {
        Ok(all) if crate::rehearse::done_on(&all, today) == 0 => {
            "Your story: say it aloud, timed, with `prepdeck rehearse` (none yet today).\n"
                .to_owned()
        }
        _ => String::new(),
    }
}
