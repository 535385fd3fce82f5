//! Bringing back what was taken away: a removed deck (`decks restore`) or a card an
//! import retired (`card restore`).

use super::{emit, Context};
use crate::catalog::{is_built_in, user_deck_path};
use crate::deck::{self, Id};
use crate::error::{Error, Result};
use crate::render::text::one_line;
use crate::store::atomic::{sync_dir, write_atomic};
use crate::store::WriterLock;
use std::io::Write;

/// Puts back the newest copy of deck `id` that `remove` set aside.
pub fn deck(ctx: &Context, id: &str, out: &mut impl Write) -> Result<()> {
    let id = Id::parse(id).map_err(|why| Error::Invalid(format!("DECK: {why}")))?;
    ctx.data.create()?;
    let _lock = WriterLock::wait(&ctx.data.decks_lock_path())?;
    let path = user_deck_path(&ctx.data, &id);
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(Error::Invalid(format!(
            "deck {id} is installed ({}); remove it first, or import the removed copy under another id",
            one_line(&path.display().to_string())
        )));
    }
    let Some(kept) = ctx.data.newest_removed(&id)? else {
        return Err(Error::Invalid(format!(
            "there is no removed deck {id} to restore (nothing under {}); `prepdeck decks` lists the installed decks",
            one_line(&ctx.data.removed_dir().display().to_string())
        )));
    };
    // A copy that no longer reads as a deck (edited by hand meanwhile) stays where it is.
    let cards = deck::load(&kept)?.deck.cards.len();
    std::fs::rename(&kept, &path).map_err(|e| Error::io("move", &kept, e))?;
    sync_dir(&ctx.data.decks_dir())?;
    sync_dir(&ctx.data.removed_dir())?;
    emit(
        out,
        &format!(
            "Restored deck {id} ({}) with its progress. Study it with `prepdeck review {id}`.\n",
            crate::render::plural(cards, "card")
        ),
    )
}

/// Puts retired card `key` (`DECK/CARD`) back at the end of its user deck, with its text
/// as it was when an import retired it; its history was never removed.
pub fn card(ctx: &Context, key: &str, out: &mut impl Write) -> Result<()> {
    let (deck_id, card_id) = parse_key(key)?;
    if is_built_in(deck_id.as_str())? {
        return Err(Error::Invalid(format!(
            "{deck_id} is a built-in deck: its retired cards left with a new version of prepdeck and cannot be restored"
        )));
    }
    ctx.data.create()?;
    let _lock = WriterLock::wait(&ctx.data.decks_lock_path())?;
    let path = user_deck_path(&ctx.data, &deck_id);
    if std::fs::symlink_metadata(&path).is_err() {
        return Err(Error::Invalid(format!(
            "there is no installed deck {deck_id}; if it was removed, `prepdeck decks restore {deck_id}` brings it back first"
        )));
    }
    let mut deck = deck::load(&path)?.deck;
    let mut archive = ctx.data.read_archive(&deck_id)?;
    if deck.cards.iter().any(|c| c.id == card_id) {
        return Err(Error::Invalid(format!(
            "card {card_id} is in deck {deck_id} already; nothing to restore"
        )));
    }
    let Some(card) = archive.take_retired(&card_id) else {
        let retired: Vec<&str> = archive.retired.iter().map(|c| c.id.as_str()).collect();
        return Err(Error::Invalid(match retired.is_empty() {
            true => format!("deck {deck_id} has no retired cards to restore"),
            false => format!(
                "deck {deck_id} has no retired card {card_id}; its retired cards are: {}",
                retired.join(", ")
            ),
        }));
    };
    deck.cards.push(card);
    let errors = deck.errors();
    if !errors.is_empty() {
        return Err(Error::Invalid(format!(
            "card {card_id} was not restored: {}",
            errors.join("; ")
        )));
    }
    // The deck first: were the archive written first and the deck write lost, the card's
    // text would be nowhere.
    write_atomic(&path, deck.to_json().as_bytes())?;
    ctx.data.write_archive(&deck_id, &archive)?;
    emit(
        out,
        &format!("Restored card {deck_id}/{card_id}; it is back in review with its progress.\n"),
    )
}

/// `DECK/CARD` as two ids.
fn parse_key(key: &str) -> Result<(Id, Id)> {
    let refuse = |why: String| Error::Invalid(format!("card {}: {why}", one_line(key)));
    let (deck, card) = key
        .split_once('/')
        .ok_or_else(|| refuse("give it as DECK/CARD, e.g. my-stories/refund-story".into()))?;
    Ok((
        Id::parse(deck).map_err(&refuse)?,
        Id::parse(card).map_err(&refuse)?,
    ))
}
