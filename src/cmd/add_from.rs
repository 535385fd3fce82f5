//! `prepdeck add --deck ID --from FILE`: several cards at once, read by the same parser
//! as `import` (prepdeck JSON, or TSV/CSV text), added to the end of one of your decks.

use super::{emit, Context};
use crate::catalog::{is_built_in, user_deck_path};
use crate::deck::text::Target;
use crate::deck::{self, normalize_front, read_bounded, Deck, Id, MAX_DECK_BYTES};
use crate::error::{Error, Result};
use crate::render::plural;
use crate::store::{atomic::write_atomic, WriterLock};
use std::io::Write;
use std::path::Path;

/// Adds every card of `file` to deck `deck_id` (created if needed), or none: a card
/// whose front the deck already has stops the whole addition.
pub fn run(
    ctx: &Context,
    deck_id: &Id,
    file: &Path,
    title: Option<String>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    if is_built_in(deck_id.as_str())? {
        return Err(Error::Invalid(format!(
            "{deck_id} is a built-in deck and cannot be changed; add to a deck of your own, e.g. --deck my-{deck_id}"
        )));
    }
    let bytes = read_bounded(file, MAX_DECK_BYTES)?;
    let target = Target {
        id: deck_id.clone(),
        title: deck_id.to_string(),
        description: String::new(),
        author: None,
        version: None,
        existing: None,
    };
    let read = crate::source::parse(file, &bytes, &target)?;
    let incoming = read.parsed.deck.cards;
    if incoming.is_empty() {
        return Err(Error::Invalid(format!(
            "{} has no cards; nothing was added",
            crate::render::text::one_line(&file.display().to_string())
        )));
    }
    ctx.data.create()?;
    let _lock = WriterLock::wait(&ctx.data.decks_lock_path())?;
    let path = user_deck_path(&ctx.data, deck_id);
    let mut deck = if path.exists() {
        deck::load(&path)?.deck
    } else {
        Deck::new(
            deck_id.clone(),
            title.clone().unwrap_or_else(|| deck_id.to_string()),
            "Cards added with prepdeck add.".into(),
        )
    };
    if let Some(title) = title {
        deck.title = title;
    }
    let mut added = Vec::with_capacity(incoming.len());
    for mut card in incoming {
        let key = normalize_front(&card.front);
        if let Some(twin) = deck.cards.iter().find(|c| normalize_front(&c.front) == key) {
            return Err(Error::Invalid(format!(
                "deck {deck_id} already has card {} with the front of \"{}\"; edit it with `prepdeck card edit {deck_id}/{}` or leave it out of the file. Nothing was added",
                twin.id,
                crate::render::text::inline_text(&crate::render::text::truncate(&card.front, 60)),
                twin.id
            )));
        }
        // An id the deck already has (a file written for another deck) gets a new one
        // made from the front, as `add` makes them.
        if deck.cards.iter().any(|c| c.id == card.id) {
            card.id = deck::slug(&card.front, |candidate| {
                deck.cards.iter().any(|c| c.id.as_str() == candidate)
            });
        }
        added.push(card.id.clone());
        deck.cards.push(card);
    }
    let errors = deck.errors();
    if !errors.is_empty() {
        return Err(Error::Invalid(format!(
            "no card was added: {}",
            errors.join("; ")
        )));
    }
    write_atomic(&path, deck.to_json().as_bytes())?;
    let _ = writeln!(
        err,
        "Added {} to deck {deck_id} ({} in all, {}).\nStudy them now: `prepdeck review {deck_id}`.",
        plural(added.len(), "card"),
        plural(deck.cards.len(), "card"),
        path.display()
    );
    let ids: Vec<String> = added.iter().map(|id| format!("{id}\n")).collect();
    emit(out, &ids.concat())
}
