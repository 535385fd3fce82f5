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
    if is_built_in(deck_id.as_str())? {
        return Err(Error::Invalid(format!(
            "{deck_id} is a built-in deck and cannot be changed; add to a deck of your own, e.g. --deck my-{deck_id}"
        )));
    }
    let front = side(ctx, "front", options.front, input, err)?;
    let back = side(ctx, "back", options.back, input, err)?;

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
            "deck {deck_id} already has card {} with this front; edit that card or word the new one differently",
            twin.id
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
    });
    let errors = deck.errors();
    if !errors.is_empty() {
        return Err(Error::Invalid(format!(
            "the card was not added: {}",
            errors.join("; ")
        )));
    }
    write_atomic(&path, deck.to_json().as_bytes())?;
    let _ = writeln!(
        err,
        "Added card {id} to deck {deck_id} ({}, {}).",
        crate::render::plural(deck.cards.len(), "card"),
        path.display()
    );
    emit(out, &format!("{id}\n"))
}

/// The text of one side: from the flag, or asked for on a terminal; never empty.
fn side(
    ctx: &Context,
    name: &str,
    given: Option<String>,
    input: &mut impl BufRead,
    err: &mut impl Write,
) -> Result<String> {
    let text = match given {
        Some(text) => text,
        None if ctx.interactive => {
            let _ = write!(err, "{}{name}: ", name[..1].to_uppercase());
            let _ = err.flush();
            let mut line = String::new();
            input
                .read_line(&mut line)
                .map_err(|e| Error::io("read", "standard input", e))?;
            line.trim_end_matches(['\n', '\r']).to_owned()
        }
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
    Ok(text)
}
