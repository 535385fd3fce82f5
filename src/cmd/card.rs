//! `prepdeck card show|edit|suspend|unsuspend|delete ID`: one card at a time.

use super::{emit, Context};
use crate::catalog::{self, user_deck_path, Catalog};
use crate::deck::{self, normalize_front, Deck};
use crate::error::{Error, Result};
use crate::progress::{deck_of, Entry, Kind};
use crate::render::text::{inline_text, sanitize, sanitize_field, wrap};
use crate::store::{atomic::write_atomic, suspended, WriterLock};
use std::io::{BufRead, Write};

/// What to do with the card.
#[derive(Debug, Clone)]
pub enum Action {
    /// Its text, schedule and history.
    Show,
    /// New text or tags; `None` everywhere opens `$VISUAL`/`$EDITOR`.
    Edit {
        /// New front.
        front: Option<String>,
        /// New back.
        back: Option<String>,
        /// New tags (replace the old ones) when any is given.
        tags: Vec<String>,
    },
    /// Out of review and the plan.
    Suspend,
    /// Back into review and the plan.
    Unsuspend,
    /// Out of its deck, history kept; `yes` skips the question.
    Delete {
        /// Confirmed already.
        yes: bool,
    },
}

/// History lines `card show` prints at most (the latest).
const HISTORY_LINES: usize = 20;

/// Runs `action` on card `id` (`deck-id/card-id`, or `card-id` when one deck has it).
pub fn run(
    ctx: &Context,
    id: &str,
    action: Action,
    input: &mut impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let catalog = Catalog::load(&ctx.data)?;
    super::warn(err, catalog.warnings());
    let all: Vec<&catalog::Entry> = catalog.decks.iter().collect();
    let key = crate::select::resolve_cards(&[id.to_owned()], &all)?
        .pop()
        .ok_or_else(|| Error::Invalid("no card id given".into()))?;
    let deck_id = deck_of(&key).to_owned();
    let card_id = key[deck_id.len() + 1..].to_owned();
    let entry = catalog.require(&deck_id)?;
    match action {
        Action::Show => show(ctx, entry, &key, &card_id, out, err),
        Action::Suspend | Action::Unsuspend => {
            let on = matches!(action, Action::Suspend);
            set_suspended(ctx, &key, on, out)
        }
        Action::Edit { front, back, tags } => {
            let deck = own_deck(entry, "edited")?;
            edit(ctx, deck, &card_id, front, back, tags, out)
        }
        Action::Delete { yes } => {
            let deck = own_deck(entry, "deleted")?;
            delete(ctx, deck, &card_id, yes, input, out, err)
        }
    }
}

/// The deck of `entry` if it is the learner's own: built-in cards are not changed.
fn own_deck<'e>(entry: &'e catalog::Entry, done: &str) -> Result<&'e Deck> {
    if !matches!(entry.origin, catalog::Origin::User(_)) {
        return Err(Error::Invalid(format!(
            "deck {} is built in: its cards cannot be {done}; `prepdeck card suspend ID` takes a card out of review",
            entry.id()
        )));
    }
    entry.deck()
}

fn show(
    ctx: &Context,
    entry: &catalog::Entry,
    key: &str,
    card_id: &str,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let deck = entry.deck()?;
    let card = deck
        .cards
        .iter()
        .find(|c| c.id.as_str() == card_id)
        .ok_or_else(|| Error::Invalid(format!("card {key} is no longer in its deck")))?;
    let mut progress = super::read_progress(ctx, err)?;
    super::load_suspended(ctx, &mut progress)?;
    let width = ctx.width.unwrap_or(80).min(crate::session::CARD_COLUMNS);
    let field = |label: &str, text: &str| {
        let body = wrap(&sanitize_field(text), width.saturating_sub(2).max(20)).into_owned();
        let indented: Vec<String> = body.lines().map(|l| format!("  {l}")).collect();
        format!("{}\n{}\n", ctx.style.bold(label), indented.join("\n"))
    };
    let mut text = format!(
        "{} · {} ({})\n",
        ctx.style.bold(&sanitize(key)),
        inline_text(&deck.title),
        entry.origin.label()
    );
    text.push_str(&field("Front", &card.front));
    text.push_str(&field("Back", &card.back));
    if !card.tags.is_empty() {
        // Each tag on its own: a right-to-left tag does not reorder the next one.
        let tags: Vec<String> = card.tags.iter().map(|t| inline_text(t)).collect();
        text.push_str(&field("Tags", &tags.join(", ")));
    }
    let schedule = match progress.card(key) {
        None => "new (never answered)".to_owned(),
        Some(s) => format!(
            "due {} · interval {} · reps {} · EF {:.2} · lapses {}",
            s.due,
            crate::render::plural(s.interval, "day"),
            s.reps,
            s.ef,
            s.lapses
        ),
    };
    let schedule = if progress.suspended.contains(key) {
        format!("{schedule} · suspended")
    } else {
        schedule
    };
    text.push_str(&field("Schedule", &schedule));
    let history = history(&ctx.data.log_path(), key)?;
    text.push_str(&ctx.style.bold("History"));
    text.push('\n');
    if history.is_empty() {
        text.push_str("  no answers yet\n");
    }
    let skipped = history.len().saturating_sub(HISTORY_LINES);
    if skipped > 0 {
        text.push_str(&format!(
            "  ({} earlier not shown)\n",
            crate::render::plural(skipped, "line")
        ));
    }
    for e in &history[skipped..] {
        let what = match (e.kind, e.cram, e.redrill) {
            (Kind::Undo, _, _) => "undo of",
            (_, true, _) => "cram",
            (_, _, true) => "re-drill",
            _ => "answer",
        };
        text.push_str(&format!(
            "  {} {what} {}\n",
            e.at.format("%Y-%m-%d %H:%M"),
            e.grade
        ));
    }
    emit(out, &text)
}

/// The log lines of card `key`, in log order. Lines that do not parse are skipped:
/// the commands that fold the log report damage.
fn history(path: &std::path::Path, key: &str) -> Result<Vec<Entry>> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("read", path, e)),
    };
    let needle = format!(
        "\"card\":{}",
        serde_json::to_string(key).unwrap_or_default()
    );
    let mut found = Vec::new();
    for line in std::io::BufReader::new(file).split(b'\n') {
        let line = line.map_err(|e| Error::io("read", path, e))?;
        if memchr::memmem::find(&line, needle.as_bytes()).is_none() {
            continue;
        }
        if let Ok(entry) = serde_json::from_slice::<Entry>(&line) {
            if entry.card == key {
                found.push(entry);
            }
        }
    }
    Ok(found)
}

fn set_suspended(ctx: &Context, key: &str, on: bool, out: &mut impl Write) -> Result<()> {
    ctx.data.create()?;
    let _lock = WriterLock::wait(&ctx.data.decks_lock_path())?;
    let path = ctx.data.suspended_path();
    let mut list = suspended::read(&path)?;
    let changed = if on {
        list.cards.insert(key.to_owned())
    } else {
        list.cards.remove(key)
    };
    if changed {
        suspended::write(&path, &list)?;
    }
    let key = sanitize(key);
    let text = match (on, changed) {
        (true, true) => format!(
            "Card {key} suspended: it leaves review and the interview plan until `prepdeck card unsuspend {key}`.\n"
        ),
        (true, false) => format!("Card {key} was already suspended.\n"),
        (false, true) => format!("Card {key} is back in review and the plan.\n"),
        (false, false) => format!("Card {key} was not suspended.\n"),
    };
    emit(out, &super::fit(ctx, &text))
}

fn edit(
    ctx: &Context,
    deck: &Deck,
    card_id: &str,
    front: Option<String>,
    back: Option<String>,
    tags: Vec<String>,
    out: &mut impl Write,
) -> Result<()> {
    let index = position(deck, card_id)?;
    let old = &deck.cards[index];
    let (front, back, tags) = if front.is_none() && back.is_none() && tags.is_empty() {
        with_editor(&old.front, &old.back, &old.tags)?
    } else {
        (
            front.unwrap_or_else(|| old.front.clone()),
            back.unwrap_or_else(|| old.back.clone()),
            if tags.is_empty() {
                old.tags.clone()
            } else {
                tags
            },
        )
    };
    if front.trim().is_empty() || back.trim().is_empty() {
        return Err(Error::Invalid(
            "the front or the back is empty; a card needs text on both sides. Nothing was changed"
                .into(),
        ));
    }
    let _lock = WriterLock::wait(&ctx.data.decks_lock_path())?;
    // Read again under the lock: another command may have changed the deck meanwhile.
    let path = user_deck_path(&ctx.data, &deck.id);
    let mut deck = deck::load(&path)?.deck;
    let index = position(&deck, card_id)?;
    let key = normalize_front(&front);
    if let Some(twin) = deck
        .cards
        .iter()
        .enumerate()
        .find(|(i, c)| *i != index && normalize_front(&c.front) == key)
    {
        return Err(Error::Invalid(format!(
            "deck {} already has card {} with this front; word this one differently. Nothing was changed",
            deck.id, twin.1.id
        )));
    }
    let card = &mut deck.cards[index];
    if (card.front == front) && (card.back == back) && (card.tags == tags) {
        return emit(out, "Nothing changed.\n");
    }
    (card.front, card.back, card.tags) = (front, back, tags);
    let edited = card.id.clone();
    let errors = deck.errors();
    if !errors.is_empty() {
        return Err(Error::Invalid(format!(
            "the card was not changed: {}",
            errors.join("; ")
        )));
    }
    let text = deck
        .to_json_within_limit()
        .map_err(|problem| Error::Invalid(format!("the card was not changed: {problem}")))?;
    // An edited card is the learner's own from now on: a coach's next version of the
    // deck keeps it as they wrote it.
    let mut archive = ctx.data.read_archive(&deck.id)?;
    if archive.own.insert(edited) {
        ctx.data.write_archive(&deck.id, &archive)?;
    }
    write_atomic(&path, text.as_bytes())?;
    emit(
        out,
        &format!(
            "Card {}/{card_id} edited; its progress is kept (same id).\n",
            deck.id
        ),
    )
}

fn position(deck: &Deck, card_id: &str) -> Result<usize> {
    deck.cards
        .iter()
        .position(|c| c.id.as_str() == card_id)
        .ok_or_else(|| {
            Error::Invalid(format!(
                "card {}/{card_id} is no longer in its deck",
                deck.id
            ))
        })
}

/// The text the editor gets, and how it is read back.
const EDITOR_HELP: &str = "# Edit the card, save and quit. Lines starting with # are ignored.\n# The front comes first, then a line with only ---, then the back, then a line\n# with only --- and the tags, separated by commas.\n";

/// Opens `$VISUAL` (else `$EDITOR`, else `vi`) on the card's text and reads it back.
fn with_editor(front: &str, back: &str, tags: &[String]) -> Result<(String, String, Vec<String>)> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|v| !v.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".to_owned());
    let file = tempfile::Builder::new()
        .prefix("prepdeck-card-")
        .suffix(".txt")
        .tempfile()
        .map_err(|e| Error::io("create", "a temporary file", e))?;
    let text = format!(
        "{EDITOR_HELP}{front}\n---\n{back}\n---\n{}\n",
        tags.join(", ")
    );
    std::fs::write(file.path(), text).map_err(|e| Error::io("write", file.path(), e))?;
    // Through the shell, as git does: EDITOR may carry arguments (`code --wait`).
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file.path())
        .status()
        .map_err(|e| Error::io("run", "the editor", e))?;
    if !status.success() {
        return Err(Error::Invalid(format!(
            "the editor ({}) failed ({status}); nothing was changed",
            sanitize(&editor)
        )));
    }
    let edited =
        std::fs::read_to_string(file.path()).map_err(|e| Error::io("read", file.path(), e))?;
    parse_edited(&edited)
}

/// Front, back and tags from the editor's text (see [`EDITOR_HELP`]).
fn parse_edited(text: &str) -> Result<(String, String, Vec<String>)> {
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    let parts: Vec<&[&str]> = kept.split(|l| l.trim() == "---").collect();
    let [front, back, rest @ ..] = parts.as_slice() else {
        return Err(Error::Invalid(
            "the edited card has no line with only --- between the front and the back; nothing was changed".into(),
        ));
    };
    let tags = rest
        .iter()
        .flat_map(|lines| lines.iter())
        .flat_map(|l| l.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    Ok((
        front.join("\n").trim().to_owned(),
        back.join("\n").trim().to_owned(),
        tags,
    ))
}

fn delete(
    ctx: &Context,
    deck: &Deck,
    card_id: &str,
    yes: bool,
    input: &mut impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let key = format!("{}/{card_id}", deck.id);
    position(deck, card_id)?;
    if !yes {
        if !ctx.interactive {
            return Err(Error::Invalid(format!(
                "deleting card {key} needs confirmation and standard input is not a terminal; pass --yes to delete it"
            )));
        }
        let question = format!("Delete card {key}? Its review history is kept.");
        if !super::remove::confirm(&question, input, err)? {
            return emit(out, "Nothing was deleted.\n");
        }
    }
    let _lock = WriterLock::wait(&ctx.data.decks_lock_path())?;
    let path = user_deck_path(&ctx.data, &deck.id);
    let mut deck = deck::load(&path)?.deck;
    let index = position(&deck, card_id)?;
    let gone = deck.cards.remove(index);
    // Its text goes to the archive first, so that `card restore` can bring it back.
    let mut archive = ctx.data.read_archive(&deck.id)?;
    archive.retire(std::slice::from_ref(&gone));
    ctx.data.write_archive(&deck.id, &archive)?;
    write_atomic(&path, deck.to_json().as_bytes())?;
    emit(
        out,
        &format!(
            "Card {key} deleted ({} left in the deck). Its text and review history are kept: `prepdeck card restore {key}` brings it back with its progress.\n",
            crate::render::plural(deck.cards.len(), "card")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_edited_text_is_read_back_without_comments() {
        let text = format!("{EDITOR_HELP}New front\n---\nLine one\n\nLine two\n---\nstar, calm\n");
        let (front, back, tags) = parse_edited(&text).unwrap();
        assert_eq!(front, "New front");
        assert_eq!(back, "Line one\n\nLine two");
        assert_eq!(tags, ["star", "calm"]);
        assert!(parse_edited("just a front").is_err());
    }
}
