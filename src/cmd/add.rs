//! `prepdeck add`: a card into a user deck, creating the deck if needed.

use super::{emit, Context};
use crate::catalog::{is_built_in, user_deck_path};
use crate::deck::{self, normalize_front, Card, Deck, Id};
use crate::error::{Error, Result};
use crate::store::{atomic::write_atomic, WriterLock};
use std::io::{BufRead, Write};

/// The card to add.
#[derive(Debug, Clone)]
pub struct Options {
    /// Deck id.
    pub deck: String,
    /// Front text; asked for on a terminal when missing.
    pub front: Option<String>,
    /// Back text; asked for on a terminal when missing.
    pub back: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Title for a new deck.
    pub title: Option<String>,
    /// `--from FILE`: every card of a deck file instead of one card.
    pub from: Option<std::path::PathBuf>,
}

/// Adds the card and prints its id on `out` (a confirmation goes to `err`).
pub fn run(
    ctx: &Context,
    options: Options,
    input: &mut impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let deck_id =
        Id::parse_deck(&options.deck).map_err(|why| Error::Invalid(format!("--deck: {why}")))?;
    if let Some(file) = &options.from {
        return super::add_from::run(ctx, &deck_id, file, options.title, out, err);
    }
    if is_built_in(deck_id.as_str())? {
        return Err(Error::Invalid(format!(
            "{deck_id} is a built-in deck and cannot be changed; add to a deck of your own, e.g. --deck my-{deck_id}"
        )));
    }
    // Ctrl-D at a prompt cancels, as it does in a shell: nothing is added, exit 0.
    let Some(front) = side(ctx, "front", options.front, input, err)? else {
        return cancelled(err, "front");
    };
    let back = match options.back.as_deref() {
        // `--back -`: the answer side from standard input, several lines as they are.
        Some("-") => Some(super::add_input::read_all(input)?),
        _ => side(ctx, "back", options.back, input, err)?,
    };
    let Some(back) = back else {
        return cancelled(err, "back");
    };

    ctx.data.create()?;
    // Two `add`s at once must not both rewrite the same deck file from the same old copy.
    let _lock = WriterLock::wait(&ctx.data.decks_lock_path())?;
    let path = user_deck_path(&ctx.data, &deck_id);
    let mut deck = if path.exists() {
        deck::load(&path)?.deck
    } else {
        let title = options.title.clone().unwrap_or_else(|| deck_id.to_string());
        Deck::new(
            deck_id.clone(),
            title,
            "Cards added with prepdeck add.".into(),
        )
    };
    if let Some(title) = options.title {
        deck.title = title;
    }
    let key = normalize_front(&front);
    if let Some(twin) = deck.cards.iter().find(|c| normalize_front(&c.front) == key) {
        return Err(Error::Invalid(format!(
            "deck {deck_id} already has card {} with this front; edit that card with `prepdeck card edit {deck_id}/{}`, or word the new one differently",
            twin.id, twin.id
        )));
    }
    let id = deck::slug(&front, |candidate| {
        deck.cards.iter().any(|c| c.id.as_str() == candidate)
    });
    deck.cards.push(Card {
        id: id.clone(),
        front,
        back,
        tags: options.tags,
        source: None,
        guid: None,
    });
    let errors = deck.errors();
    if !errors.is_empty() {
        return Err(Error::Invalid(format!(
            "the card was not added: {}",
            errors.join("; ")
        )));
    }
    let text = deck.to_json_within_limit().map_err(|problem| {
        Error::Invalid(format!(
            "the card was not added: {problem}; add it to another deck"
        ))
    })?;
    // Recorded as the learner's own first, so that no import can ever retire it: an id
    // recorded for a card that then failed to be written is harmless.
    let mut archive = ctx.data.read_archive(&deck_id)?;
    archive.own.insert(id.clone());
    ctx.data.write_archive(&deck_id, &archive)?;
    write_atomic(&path, text.as_bytes())?;
    let _ = writeln!(
        err,
        "Added card {id} to deck {deck_id} ({}, {}).\nStudy it now: `prepdeck review {deck_id}`.",
        crate::render::plural(deck.cards.len(), "card"),
        path.display()
    );
    emit(out, &format!("{id}\n"))
}

/// Says that Ctrl-D at the `name` prompt cancelled the card.
fn cancelled(err: &mut impl Write, name: &str) -> Result<()> {
    let _ = writeln!(
        err,
        "Cancelled at the {name} prompt (end of input): no card was added."
    );
    Ok(())
}

/// The text of one side: from the flag, or asked for on a terminal (the back over
/// several lines); never empty. `None` when input ended at the prompt: cancelled.
fn side(
    ctx: &Context,
    name: &str,
    given: Option<String>,
    input: &mut impl BufRead,
    err: &mut impl Write,
) -> Result<Option<String>> {
    let text = match given {
        Some(text) => text,
        None if ctx.interactive && name == "back" => {
            match super::add_input::ask_lines(name, input, err)? {
                Some(text) => text,
                None => return Ok(None),
            }
        }
        None if ctx.interactive => match ask_side(name, input, err) {
            Ok(text) => text,
            // The one error ask_side gives for input that ended before anything was
            // typed: a cancel, not a failure.
            Err(Error::Invalid(why)) if why.starts_with(&format!("no {name} was given")) => {
                return Ok(None)
            }
            Err(e) => return Err(e),
        },
        None => {
            return Err(Error::Invalid(format!(
                "--{name} is missing; pass --{name} TEXT (it is only asked for on a terminal)"
            )))
        }
    };
    if text.trim().is_empty() {
        return Err(Error::Invalid(format!(
            "the {name} is empty; a card needs text on both sides"
        )));
    }
    Ok(Some(text))
}

/// Asks for side `name` ("front", "back") with a `Front: ` prompt on `prompt` and reads
/// one line from `input`, without its line ending.
///
/// When input ends before a newline (Ctrl-D), the prompt line is ended first, so that
/// the error or confirmation that follows starts on a line of its own.
pub fn ask_side(name: &str, input: &mut impl BufRead, prompt: &mut impl Write) -> Result<String> {
    let mut label = name.chars();
    let label: String = label
        .next()
        .map(|first| first.to_uppercase().chain(label).collect())
        .unwrap_or_default();
    // The prompt is a courtesy: if standard error is gone, the answer can still be read.
    let _ = write!(prompt, "{label}: ");
    let _ = prompt.flush();
    let bytes = match crate::input::read_line(input, crate::input::MAX_LINE_BYTES)
        .map_err(|e| Error::io("read", "standard input", e))?
    {
        crate::input::Line::Text(bytes) => bytes,
        crate::input::Line::End => Vec::new(),
        crate::input::Line::TooLong => {
            return Err(Error::Invalid(format!(
                "the {name} was not taken: {}; a card side is far shorter. Type it again, or pass --{name} TEXT",
                crate::input::too_long_message()
            )))
        }
    };
    if !bytes.ends_with(b"\n") {
        let _ = writeln!(prompt);
    }
    if bytes.is_empty() {
        return Err(Error::Invalid(format!(
            "no {name} was given: input ended at the prompt; type the {name} and press Enter, or pass --{name} TEXT"
        )));
    }
    let line = String::from_utf8(bytes).map_err(|_| {
        Error::Invalid(format!(
            "the {name} is not valid UTF-8; type it again, or pass --{name} TEXT"
        ))
    })?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `ask_side` returns and what it wrote as the prompt, for `typed` as input.
    fn ask(name: &str, typed: &[u8]) -> (Result<String>, String) {
        let mut prompt = Vec::new();
        let answer = ask_side(name, &mut &typed[..], &mut prompt);
        (answer, String::from_utf8(prompt).unwrap())
    }

    #[test]
    fn the_prompt_names_the_side_once_capitalised() {
        let (answer, prompt) = ask("front", b"How do you stay calm?\n");
        assert_eq!(answer.unwrap(), "How do you stay calm?");
        assert_eq!(prompt, "Front: ");
        let (answer, prompt) = ask("back", b"Breathe, listen.\r\n");
        assert_eq!(answer.unwrap(), "Breathe, listen.");
        assert_eq!(prompt, "Back: ");
    }

    #[test]
    fn end_of_input_at_the_prompt_ends_the_prompt_line_and_is_a_one_line_error() {
        let (answer, prompt) = ask("front", b"");
        assert_eq!(prompt, "Front: \n");
        let message = answer.unwrap_err().to_string();
        assert!(message.contains("no front was given"), "{message}");
        assert!(
            message.contains("--front TEXT") && !message.contains('\n'),
            "{message}"
        );
    }

    #[test]
    fn text_ended_by_ctrl_d_without_enter_is_taken_and_the_line_ended() {
        let (answer, prompt) = ask("back", b"Listen first");
        assert_eq!(answer.unwrap(), "Listen first");
        assert_eq!(prompt, "Back: \n");
    }

    #[test]
    fn a_line_over_64_kib_is_refused_without_being_repeated() {
        let long = [vec![b'z'; 64 * 1024 + 1], b"\n".to_vec()].concat();
        let (answer, prompt) = ask("front", &long);
        let message = answer.unwrap_err().to_string();
        assert!(message.contains("longer than 64 KiB"), "{message}");
        assert!(
            !message.contains("zzz") && !prompt.contains("zzz"),
            "{message}"
        );
        let fits = [vec![b'z'; 64 * 1024 - 1], b"\n".to_vec()].concat();
        assert_eq!(ask("front", &fits).0.unwrap().len(), 64 * 1024 - 1);
    }

    #[test]
    fn invalid_utf8_is_a_clear_error() {
        let (answer, _) = ask("front", b"caf\xe9\n");
        let message = answer.unwrap_err().to_string();
        assert!(message.contains("not valid UTF-8"), "{message}");
    }
}
