//! Where a review's answers come from: lines (pipes, scripts, `--line`) or single keys
//! at a terminal.
//!
//! Both feed [`crate::session::run`] the same [`Input`]s, so the session logic is the
//! same whichever way the person answers, and tests drive it with byte slices. Only
//! [`TermKeys`] touches the terminal.

use crate::error::{Error, Result};
use crate::input::{read_line, Line, MAX_LINE_BYTES};
use crate::render::text::{one_line, truncate};
use crate::render::Style;
use crate::sm2::Grade;
use std::io::{BufRead, Write};

/// Which prompt is waiting for an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// Under a card's front: the answer is not shown yet.
    Reveal,
    /// Under the answer: a grade is wanted.
    Grade,
}

/// What the person asked for at a prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Show the answer.
    Reveal,
    /// A grade (before the answer is shown, it shows the answer instead).
    Grade(Grade),
    /// Take back the previous answer.
    Undo,
    /// Explain the keys and grades.
    Help,
    /// End the session with its summary.
    Quit,
    /// The terminal is now this many columns wide: show the card again to fit.
    Resized(usize),
    /// Nothing the prompt takes: this short hint says what it does take.
    Stray(String),
}

/// A source of answers for a review session.
pub trait Keys {
    /// Shows `prompt` on `out` and waits for the person's next [`Input`]; `width` is the
    /// terminal's (`None` when output is not one), for a shorter prompt on a narrow one.
    fn ask(
        &mut self,
        out: &mut dyn Write,
        prompt: Prompt,
        style: Style,
        width: Option<usize>,
    ) -> Result<Input>;
    /// How to reveal and how to end, in a line or two, for the help text.
    fn how(&self) -> &'static str;
    /// The keys in one line, for the line above the first card.
    fn intro(&self) -> &'static str;
    /// Leaves the terminal as it was found; the session calls it when it ends.
    fn release(&mut self) {}
}

/// The one-line reminder shown with every grade prompt; with the `> ` after it, it
/// leaves room on an 80-column line for the grade typed.
pub const LEGEND: &str =
    "Grade: 0-2 wrong · 3 hard · 4 good · 5 perfect · ? help · u undo · q quit ";

/// The prompt under a card's front, answering by lines.
pub const REVEAL_PROMPT: &str = "(Enter shows the answer · ? help · u undo · q quit) ";

/// The prompt under a card's front, answering by keys.
pub const KEY_REVEAL_PROMPT: &str = "(Space shows the answer · ? help · u undo · q quit) ";

/// The grade prompt on a terminal narrower than 80 columns (room for 40 more).
pub const SHORT_LEGEND: &str = "Grade 0-5 · ? help · u undo · q quit ";

/// The prompt under a card's front on a narrow terminal, by lines.
pub const SHORT_REVEAL_PROMPT: &str = "(Enter: answer · ? help) ";

/// The prompt under a card's front on a narrow terminal, by keys.
pub const SHORT_KEY_REVEAL_PROMPT: &str = "(Space: answer · ? help) ";

/// Below this many columns, prompts take their short form.
pub const NARROW: usize = 80;

/// Whether `width` calls for the short prompts.
fn narrow(width: Option<usize>) -> bool {
    width.is_some_and(|w| w < NARROW)
}

/// Answers typed as lines: Enter after each. Piped input, scripts and `--line`.
pub struct LineKeys<R> {
    input: R,
    /// Echo each line read, so a transcript of piped input reads like a terminal.
    echo: bool,
}

impl<R: BufRead> LineKeys<R> {
    /// Lines from `input`, echoed to the output when `echo`.
    pub fn new(input: R, echo: bool) -> LineKeys<R> {
        LineKeys { input, echo }
    }
}

impl<R: BufRead> Keys for LineKeys<R> {
    /// Bytes that are not UTF-8 become U+FFFD: such a line is never a command, so it is
    /// refused (or, before the answer, reveals it) like any other unrecognised input
    /// instead of ending the session.
    fn ask(
        &mut self,
        out: &mut dyn Write,
        prompt: Prompt,
        style: Style,
        width: Option<usize>,
    ) -> Result<Input> {
        let text = match (prompt, narrow(width)) {
            (Prompt::Reveal, false) => REVEAL_PROMPT,
            (Prompt::Grade, false) => LEGEND,
            (Prompt::Reveal, true) => SHORT_REVEAL_PROMPT,
            (Prompt::Grade, true) => SHORT_LEGEND,
        };
        // A line longer than `MAX_LINE_BYTES` is refused unseen and the prompt shown again.
        let bytes = loop {
            say(out, &format!("{}> ", style.dim(text)))?;
            let line = read_line(&mut self.input, MAX_LINE_BYTES)
                .map_err(|e| Error::io("read", "standard input", e))?;
            match line {
                Line::Text(bytes) => break bytes,
                Line::End => {
                    say(out, "\n")?;
                    return Ok(Input::Quit);
                }
                Line::TooLong => {
                    let end_prompt = if self.echo { "\n" } else { "" };
                    let message = crate::input::too_long_message();
                    say(out, &format!("{end_prompt}{message}.\n"))?;
                }
            }
        };
        let line = String::from_utf8_lossy(&bytes).trim().to_owned();
        if self.echo {
            say(out, &format!("{}\n", one_line(&line)))?;
        }
        Ok(line_input(&line, prompt))
    }

    fn how(&self) -> &'static str {
        "Enter shows the answer; grade it 0-5 once you have seen it.\n\
         u takes back the previous answer; q, Ctrl-D or Ctrl-C ends the session.\n"
    }

    fn intro(&self) -> &'static str {
        "Enter shows the answer, then grade it 0-5 · ? help · u undo · q or Ctrl-C quits"
    }
}

/// What a trimmed line asks for at `prompt`. Before the answer, Enter and anything not
/// a command show it, as they always have for scripts.
pub fn line_input(line: &str, prompt: Prompt) -> Input {
    match line.as_bytes() {
        [b'q' | b'Q'] => Input::Quit,
        [b'u' | b'U'] => Input::Undo,
        [b'?'] => Input::Help,
        [digit @ b'0'..=b'5'] => Grade::new(digit - b'0').map_or(Input::Reveal, Input::Grade),
        _ if prompt == Prompt::Reveal => Input::Reveal,
        _ => {
            let shown = one_line(&truncate(line, 20));
            // Quoted by hand: `{:?}` would escape the escapes `one_line` wrote.
            Input::Stray(format!(
                "\"{shown}\" is not a grade: type a number from 0 to 5 and Enter (? for help).\n"
            ))
        }
    }
}

/// One key, as the keys source reads it: what it is, and whether Ctrl was held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A printable character.
    Char(char),
    /// Enter.
    Enter,
    /// Escape.
    Esc,
    /// A character with Ctrl held.
    Ctrl(char),
    /// Any other key (arrows, function keys, …).
    Other,
}

/// What a single `key` asks for at `prompt`.
pub fn key_input(key: Key, prompt: Prompt) -> Input {
    match key {
        Key::Char('q' | 'Q') | Key::Esc | Key::Ctrl('c' | 'd') => Input::Quit,
        Key::Char('u' | 'U') => Input::Undo,
        Key::Char('?') => Input::Help,
        Key::Char(digit @ '0'..='5') => {
            let value = u8::try_from(u32::from(digit) - u32::from('0')).unwrap_or(u8::MAX);
            Grade::new(value).map_or(Input::Reveal, Input::Grade)
        }
        Key::Char(' ') | Key::Enter if prompt == Prompt::Reveal => Input::Reveal,
        _ if prompt == Prompt::Reveal => {
            Input::Stray("Space or Enter shows the answer (? for help).\n".to_owned())
        }
        Key::Char(digit @ '6'..='9') => Input::Stray(format!(
            "{digit} is not a grade: press 0 to 5 (? for help).\n"
        )),
        _ => Input::Stray("Press 0 to 5 to grade it (? for help).\n".to_owned()),
    }
}

/// Single keys from the terminal in raw mode: no Enter needed.
///
/// The terminal goes into raw mode at the first prompt and back at [`Keys::release`]
/// (or when this is dropped, on an error or a panic); [`crate::term::RawMode`] also
/// restores it on SIGTERM and SIGHUP.
#[derive(Default)]
pub struct TermKeys {
    raw: Option<crate::term::RawMode>,
}

impl TermKeys {
    /// Keys from the terminal standard input is.
    pub fn new() -> TermKeys {
        TermKeys::default()
    }
}

impl Keys for TermKeys {
    fn ask(
        &mut self,
        out: &mut dyn Write,
        prompt: Prompt,
        style: Style,
        width: Option<usize>,
    ) -> Result<Input> {
        if self.raw.is_none() {
            self.raw = Some(crate::term::RawMode::enter().map_err(terminal_error)?);
        }
        let text = match (prompt, narrow(width)) {
            (Prompt::Reveal, false) => KEY_REVEAL_PROMPT,
            (Prompt::Grade, false) => LEGEND,
            (Prompt::Reveal, true) => SHORT_KEY_REVEAL_PROMPT,
            (Prompt::Grade, true) => SHORT_LEGEND,
        };
        say(out, &style.dim(text))?;
        let input = match crate::term::next_key().map_err(terminal_error)? {
            // Raw mode keeps the terminal from turning Ctrl-Z into a stop: do it here,
            // with the terminal given back to the shell; `fg` shows the card again.
            crate::term::Event::Key(Key::Ctrl('z')) => {
                self.raw = None;
                say(out, "\n")?;
                crate::term::suspend();
                let width = crate::term::stdout_width().or(width).unwrap_or(80);
                return Ok(Input::Resized(width));
            }
            crate::term::Event::Key(key) => key_input(key, prompt),
            crate::term::Event::Resized(width) => Input::Resized(width),
            crate::term::Event::Interrupted => Input::Quit,
        };
        // What was pressed, so that the screen keeps a record of each grade.
        let echo = match &input {
            Input::Grade(grade) if prompt == Prompt::Grade => format!("{grade}\n"),
            _ => "\n".to_owned(),
        };
        say(out, &echo)?;
        Ok(input)
    }

    fn how(&self) -> &'static str {
        "Space or Enter shows the answer; then press 0-5 to grade it.\n\
         u takes back the previous answer; q, Esc, Ctrl-C or Ctrl-D ends the session;\n\
         Ctrl-Z suspends it (`fg` brings it back).\n"
    }

    fn intro(&self) -> &'static str {
        "Space shows the answer, then press 0-5 · ? help · u undo · q or Esc quits"
    }

    fn release(&mut self) {
        self.raw = None;
    }
}

fn say(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("write", "standard output", e))
}

fn terminal_error(e: std::io::Error) -> Error {
    Error::io("read keys from", "the terminal", e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grade(value: u8) -> Input {
        Input::Grade(Grade::new(value).unwrap())
    }

    #[test]
    fn a_line_grade_is_exactly_one_digit_from_0_to_5() {
        for (typed, want) in [
            ("5", Some(5)),
            ("0", Some(0)),
            ("+5", None),
            ("05", None),
            ("-0", None),
            ("6", None),
            ("4.0", None),
            ("٣", None),
        ] {
            let got = match line_input(typed, Prompt::Grade) {
                Input::Grade(grade) => Some(grade.value()),
                _ => None,
            };
            assert_eq!(got, want, "{typed:?}");
        }
        assert_eq!(line_input("Q", Prompt::Grade), Input::Quit);
        assert_eq!(line_input("U", Prompt::Reveal), Input::Undo);
        assert!(matches!(line_input("quit", Prompt::Grade), Input::Stray(_)));
        assert_eq!(line_input("quit", Prompt::Reveal), Input::Reveal);
        assert_eq!(line_input("", Prompt::Reveal), Input::Reveal);
    }

    #[test]
    fn single_keys_reveal_grade_undo_and_quit() {
        use Prompt::{Grade as G, Reveal as R};
        assert_eq!(key_input(Key::Char(' '), R), Input::Reveal);
        assert_eq!(key_input(Key::Enter, R), Input::Reveal);
        assert_eq!(key_input(Key::Char('4'), G), grade(4));
        // A digit before the answer is passed on; the session shows the answer first.
        assert_eq!(key_input(Key::Char('0'), R), grade(0));
        assert_eq!(key_input(Key::Char('u'), G), Input::Undo);
        assert_eq!(key_input(Key::Char('?'), R), Input::Help);
        for quit in [Key::Char('q'), Key::Esc, Key::Ctrl('c'), Key::Ctrl('d')] {
            assert_eq!(key_input(quit, R), Input::Quit, "{quit:?}");
            assert_eq!(key_input(quit, G), Input::Quit, "{quit:?}");
        }
    }

    #[test]
    fn stray_keys_get_a_short_hint_and_space_does_not_grade() {
        use Prompt::{Grade as G, Reveal as R};
        for (key, prompt, hint) in [
            (Key::Char('x'), R, "Space or Enter shows the answer"),
            (Key::Other, R, "Space or Enter shows the answer"),
            (Key::Char(' '), G, "Press 0 to 5"),
            (Key::Enter, G, "Press 0 to 5"),
            (Key::Char('7'), G, "7 is not a grade"),
            (Key::Ctrl('z'), G, "Press 0 to 5"),
        ] {
            match key_input(key, prompt) {
                Input::Stray(text) => {
                    assert!(text.contains(hint), "{key:?}: {text}");
                    assert!(
                        crate::render::text::columns(text.trim_end()) <= 50,
                        "{text}"
                    );
                }
                other => panic!("{key:?} at {prompt:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn prompts_leave_room_on_an_80_column_line_for_what_is_typed() {
        for prompt in [LEGEND, REVEAL_PROMPT, KEY_REVEAL_PROMPT] {
            let columns = crate::render::text::columns(&format!("{prompt}> "));
            assert!(columns <= 76, "{columns}: {prompt:?}");
        }
        for prompt in [SHORT_LEGEND, SHORT_REVEAL_PROMPT, SHORT_KEY_REVEAL_PROMPT] {
            let columns = crate::render::text::columns(&format!("{prompt}> "));
            assert!(columns <= 46, "{columns}: {prompt:?}");
        }
    }
}
