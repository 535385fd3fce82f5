//! The review session: which cards to show, and the question/answer/grade loop.
//!
//! Works on any `BufRead`/`Write` pair, so a terminal, a pipe and a unit test all
//! drive it the same way. Every answer goes to the [`Journal`] (durable) before the
//! next card is shown.

use crate::catalog;
use crate::deck::Card;
use crate::error::Result;
use crate::keys::{Input, Keys, Prompt};
use crate::plan::{Dues, Spreader};
use crate::progress::{answer_entry, cram_entry, undo_entry, CardState, Entry, Progress};
use crate::render::text::{sanitize, sanitize_field};
use crate::render::Style;
use crate::sm2::Grade;
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::collections::VecDeque;
use std::io::Write;

mod queue;

pub use queue::*;

/// A card failed in a session comes back after this many other cards (or sooner, at the end).
pub const REDRILL_GAP: usize = 3;

/// Where answers go: made durable, then folded into progress.
pub trait Journal {
    /// The current state of `card` (`None` while new).
    fn state(&self, card: &str) -> Option<CardState>;
    /// Records `entry`; must not return before it is durable.
    fn record(&mut self, entry: &Entry) -> Result<()>;
}

impl Journal for crate::store::Writer {
    fn state(&self, card: &str) -> Option<CardState> {
        self.progress.card(card).copied()
    }

    fn record(&mut self, entry: &Entry) -> Result<()> {
        self.append(entry)
    }
}

/// How the session talks to the person.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Colours.
    pub style: Style,
    /// The terminal's width: card text and hints are wrapped at word boundaries to fit
    /// it. `None` (piped output) leaves every line as the deck has it.
    pub width: Option<usize>,
}

/// The session's view of time and of the interview plan.
pub struct Timing<'t> {
    /// The current time, asked for at each answer.
    pub now: &'t dyn Fn() -> DateTime<FixedOffset>,
    /// The study day of an instant.
    pub study_day: &'t dyn Fn(DateTime<FixedOffset>) -> NaiveDate,
    /// Pulls due days in before an interview, when a plan is active.
    pub spreader: Option<&'t mut Spreader>,
}

/// What a session did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// Answers that scheduled a card (re-drills excluded).
    pub reviewed: u32,
    /// Re-drill answers.
    pub redrills: u32,
    /// Scheduling answers by grade.
    pub grades: [u32; 6],
    /// Answers taken back with `u`.
    pub undone: u32,
    /// Cards left in the queue when the session ended.
    pub left: usize,
    /// The person ended the session (`q` or end of input) before the queue was empty.
    pub stopped_early: bool,
    /// Seconds from the first card to the end.
    pub seconds: i64,
}

/// An answer that can still be taken back, with what the session looked like before it.
///
/// The queue is not copied: an answer only takes its card off the front and maybe puts
/// a re-drill back at a known index, so undoing it reverses exactly that. Copying the
/// queue made every answer cost time in proportion to the cards still due.
struct Done<'a> {
    item: Item<'a>,
    entry: Entry,
    before: Option<CardState>,
    /// Where the answer queued a re-drill of its card, if it did.
    redrill_at: Option<usize>,
    /// The day the plan moved the answer's due day to, if it did.
    placed: Option<NaiveDate>,
    summary: Summary,
}

enum Step {
    Answered(Grade),
    Undo,
    Quit,
}

/// Runs a review over `queue`, reading from `input` and writing to `out`.
///
/// `timing` gives the time of each answer, its study day and the plan's due-day rule.
pub fn run<'a>(
    queue: Vec<Item<'a>>,
    journal: &mut impl Journal,
    keys: &mut impl Keys,
    out: &mut impl Write,
    timing: Timing<'_>,
    options: Options,
) -> Result<Summary> {
    let result = run_queue(queue, journal, keys, out, timing, options);
    keys.release();
    result
}

fn run_queue<'a>(
    queue: Vec<Item<'a>>,
    journal: &mut impl Journal,
    keys: &mut impl Keys,
    out: &mut impl Write,
    timing: Timing<'_>,
    options: Options,
) -> Result<Summary> {
    let Timing {
        now,
        study_day,
        mut spreader,
    } = timing;
    // Real minutes, whatever `now` says: PREPDECK_NOW fixes the date, not the time taken.
    let started = std::time::Instant::now();
    let style = options.style;
    let mut pending: VecDeque<Item<'a>> = queue.into();
    let mut done: Vec<Done<'a>> = Vec::new();
    let mut summary = Summary::default();
    let mut io = Io {
        out,
        width: options.width,
    };
    // Positions count the cards the session set out to show, each once: a re-drill is
    // shown as "again", not as one more card, so "[3/3]" is the last new position
    // whatever is failed on the way. The cards done so far are those the summary counts
    // as reviewed (undo restores that count too).
    let total = pending.len();

    while let Some(item) = pending.pop_front() {
        let card = item.card()?;
        let position = if item.redrill {
            style.bold("[again]")
        } else {
            style.bold(&format!("[{}/{total}]", summary.reviewed + 1))
        };
        let kind = if item.redrill {
            style.warn("re-drill")
        } else if item.cram {
            style.accent("cram")
        } else if item.new {
            style.good("new")
        } else {
            style.accent("review")
        };
        let header = format!("{position} {} · {kind}", sanitize(item.deck));
        // Each side is printed on lines of its own: direction marks stay.
        let front = sanitize_field(&card.front);
        let back = sanitize_field(&card.back);
        let show = |io: &mut Io<'_, _>, revealed: bool| -> Result<()> {
            io.say(&format!("\n{header}\n{}\n", style.bold(&io.fit(&front))))?;
            if revealed {
                io.say(&format!("{}\n{}\n", style.dim("───"), io.fit(&back)))?;
            }
            Ok(())
        };
        show(&mut io, false)?;
        // Read while this card is on screen, not between the answer and the next card.
        if let Some(next) = pending.front() {
            next.read_ahead();
        }
        let step = loop {
            match keys.ask(io.out, Prompt::Reveal, style, io.width)? {
                Input::Quit => break Step::Quit,
                Input::Undo => break Step::Undo,
                Input::Help => io.say(&io.fit(&help(keys.how())))?,
                Input::Resized(width) => {
                    io.width = Some(width);
                    show(&mut io, false)?;
                }
                Input::Stray(hint) => io.say(&style.warn(&io.fit(&hint)))?,
                // Enter, or whatever answer the person typed before looking.
                typed @ (Input::Grade(_) | Input::Reveal) => {
                    if matches!(typed, Input::Grade(_)) {
                        // A grade typed before the answer was seen would be a guess about
                        // a guess: show the answer and ask for the grade again.
                        let warning = io
                            .fit("Grade after seeing the answer: here it is; now grade it.\n")
                            .into_owned();
                        io.say(&style.warn(&warning))?;
                    }
                    io.say(&format!("{}\n{}\n", style.dim("───"), io.fit(&back)))?;
                    break ask_grade(&mut io, keys, style, |io| show(io, true))?;
                }
            }
        };

        match step {
            Step::Quit => {
                pending.push_front(item);
                summary.stopped_early = true;
                break;
            }
            Step::Undo => {
                pending.push_front(item);
                let Some(last) = done.pop() else {
                    io.say(&style.warn("Nothing to undo yet.\n"))?;
                    continue;
                };
                let undo = undo_entry(&last.entry, last.before, now());
                journal.record(&undo)?;
                // Only a placement that happened is taken back: an answer in a deck
                // outside the plan never touched the spreader.
                if let (Some(spreader), Some(placed)) = (spreader.as_deref_mut(), last.placed) {
                    spreader.unplace(placed);
                }
                // The queue is now as the answer left it (the card just shown is back at
                // the front), so taking out its re-drill and putting its card first
                // restores the queue it was answered from.
                if let Some(at) = last.redrill_at {
                    pending.remove(at);
                }
                pending.push_front(last.item);
                let undone = summary.undone + 1;
                summary = last.summary;
                summary.undone = undone;
                io.say(&style.warn("Undone: showing that card again.\n"))?;
            }
            Step::Answered(grade) => {
                let at = now();
                let key = item.key();
                let before = journal.state(&key);
                let day = study_day(at);
                let mut entry = if item.cram {
                    cram_entry(&key, grade, item.redrill, at, day)
                } else {
                    answer_entry(&key, before.as_ref(), grade, item.redrill, at, day)
                };
                let mut placed = None;
                if let (Some(spreader), Some(after), true) = (
                    spreader.as_deref_mut(),
                    entry.after,
                    item.planned && !item.cram,
                ) {
                    placed = spreader.place(day, after.due);
                    if let Some(placed) = placed {
                        entry.move_due(placed);
                    }
                }
                journal.record(&entry)?;
                let summary_before = summary.clone();
                if item.redrill {
                    summary.redrills += 1;
                } else {
                    summary.reviewed += 1;
                    summary.grades[usize::from(grade.value())] += 1;
                }
                let redrill_at = grade.needs_redrill().then(|| {
                    let at = REDRILL_GAP.min(pending.len());
                    let again = Item {
                        redrill: true,
                        ..item.clone()
                    };
                    pending.insert(at, again);
                    at
                });
                done.push(Done {
                    item,
                    entry,
                    before,
                    redrill_at,
                    placed,
                    summary: summary_before,
                });
            }
        }
    }
    summary.left = pending.len();
    summary.seconds = i64::try_from(started.elapsed().as_secs()).unwrap_or(i64::MAX);
    Ok(summary)
}

/// What `?` shows, at either prompt; `how` says which keys reveal and end.
fn help(how: &str) -> String {
    let mut help = String::from("How well did you recall it?\n");
    for grade in Grade::ALL.iter().rev() {
        help.push_str(&format!("  {grade}  {}\n", grade.meaning()));
    }
    help.push_str("Below 4, the card comes back later in this session.\n");
    help.push_str(how);
    help
}

fn ask_grade<W: Write>(
    io: &mut Io<'_, W>,
    keys: &mut impl Keys,
    style: Style,
    show: impl Fn(&mut Io<'_, W>) -> Result<()>,
) -> Result<Step> {
    loop {
        match keys.ask(io.out, Prompt::Grade, style, io.width)? {
            Input::Quit => return Ok(Step::Quit),
            Input::Undo => return Ok(Step::Undo),
            Input::Help => io.say(&io.fit(&help(keys.how())))?,
            Input::Grade(grade) => return Ok(Step::Answered(grade)),
            Input::Resized(width) => {
                io.width = Some(width);
                show(io)?;
            }
            Input::Reveal => {}
            Input::Stray(hint) => io.say(&style.warn(&io.fit(&hint)))?,
        }
    }
}

/// Card text is wrapped to at most this many columns, however wide the terminal:
/// longer lines are hard to read.
pub const CARD_COLUMNS: usize = 100;

/// Writing to the person.
struct Io<'io, W> {
    out: &'io mut W,
    width: Option<usize>,
}

impl<W: Write> Io<'_, W> {
    fn say(&mut self, text: &str) -> Result<()> {
        self.out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.flush())
            .map_err(output_error)
    }

    /// `text` wrapped to the terminal's width (at most [`CARD_COLUMNS`]), or as it is
    /// when output is not a terminal.
    fn fit<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        match self.width {
            Some(width) => crate::render::text::wrap(text, width.min(CARD_COLUMNS)),
            None => std::borrow::Cow::Borrowed(text),
        }
    }
}

fn output_error(e: std::io::Error) -> crate::error::Error {
    crate::error::Error::io("write", "standard output", e)
}

#[cfg(test)]
mod tests;
