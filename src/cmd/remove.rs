//! `prepdeck remove`: takes an installed deck out of the catalog. Nothing is deleted: the
//! deck file moves to `deck-archive/removed/` (`decks restore` puts it back) and its
//! review history stays in the log.

use super::{emit, Context};
use crate::catalog::{is_built_in, user_deck_path};
use crate::deck::{self, Id};
use crate::error::{Error, Result};
use crate::render::plural;
use crate::render::text::one_line;
use crate::store::WriterLock;
use std::io::{BufRead, Write};

/// What to remove.
#[derive(Debug, Clone)]
pub struct Options {
    /// The deck id.
    pub deck: String,
    /// Confirmed already (needed when standard input is not a terminal).
    pub yes: bool,
}

/// Removes the deck after confirmation; the question goes to `err`, the answer comes from `input`.
pub fn run(
    ctx: &Context,
    options: &Options,
    input: &mut impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let (id, path) = match Id::parse(&options.deck) {
        // Any id, even one refused for new decks (`con`): a deck installed before that
        // rule, on a system where it was a file name, must still be removable.
        Ok(id) => {
            if is_built_in(id.as_str())? {
                return Err(Error::Invalid(format!(
                    "{id} is a built-in deck and cannot be removed; to leave it out of review and stats, run `prepdeck decks hide {id}`"
                )));
            }
            let path = user_deck_path(&ctx.data, &id);
            (id.to_string(), path)
        }
        Err(why) => broken_file_named(ctx, &options.deck)?
            .ok_or_else(|| Error::Invalid(format!("DECK: {why}")))?,
    };
    if std::fs::symlink_metadata(&path).is_err() {
        return Err(Error::Invalid(format!(
            "there is no installed deck {id} ({}); `prepdeck decks` lists your decks",
            path.display()
        )));
    }
    let shown = one_line(&path.display().to_string());
    if !options.yes {
        if !ctx.interactive {
            return Err(Error::Invalid(format!(
                "removing deck {id} needs confirmation and standard input is not a terminal; pass --yes to remove it"
            )));
        }
        // A damaged file can still be removed; the card count is only a courtesy.
        let cards = deck::load(&path)
            .map(|p| format!("{}, ", plural(p.deck.cards.len(), "card")))
            .unwrap_or_default();
        let question = format!(
            "Remove deck {id} ({cards}{shown})? `prepdeck decks restore {id}` can bring it back."
        );
        if !confirm(&question, input, err)? {
            return emit(out, "Nothing was removed.\n");
        }
    }
    let _lock = WriterLock::wait(&ctx.data.decks_lock_path())?;
    let now_ms = ctx.clock.now().timestamp_millis();
    let kept = ctx.data.set_removed_aside(&path, now_ms)?;
    emit(
        out,
        &format!(
            "Removed deck {id} ({shown}). The file is kept as {} and its review history stays: `prepdeck decks restore {id}` brings both back.\n",
            one_line(&kept.display().to_string())
        ),
    )
}

/// The broken deck file that `decks` lists as `name` (`UPPER`, `mine (conflicted
/// copy)`, a name that is not UTF-8 shown escaped): no id names it, so it is found by
/// the name shown. `None` when there is none.
fn broken_file_named(ctx: &Context, name: &str) -> Result<Option<(String, std::path::PathBuf)>> {
    let catalog = crate::catalog::Catalog::load(&ctx.data)?;
    let found = catalog
        .broken
        .iter()
        .find(|b| b.id == name || one_line(&b.id) == name)
        .map(|b| (one_line(&b.id), b.path.clone()));
    Ok(found)
}

/// Asks `question` with `[y/N]` on `err` and reads one line of `input`: true only for
/// `y` or `yes` (any case, spaces around ignored). Anything else, an empty line or the
/// end of input keeps the deck, as the capital N promises.
pub fn confirm(question: &str, input: &mut impl BufRead, err: &mut impl Write) -> Result<bool> {
    // The question is a courtesy: a terminal that cannot show it must not stop the answer.
    let _ = write!(err, "{question} [y/N] ");
    let _ = err.flush();
    // Bounded like every prompt; a line too long to be "yes" keeps the deck.
    let line = crate::input::read_line(input, crate::input::MAX_LINE_BYTES)
        .map_err(|e| Error::io("read", "standard input", e))?;
    let answer = match line {
        crate::input::Line::Text(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        crate::input::Line::TooLong | crate::input::Line::End => String::new(),
    };
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::render::Style;
    use crate::store::DataDir;

    fn answer(text: &str) -> (bool, String) {
        let mut err = Vec::new();
        let yes = confirm("Remove it?", &mut text.as_bytes(), &mut err).unwrap();
        (yes, String::from_utf8(err).unwrap())
    }

    #[test]
    fn only_y_or_yes_confirms() {
        for text in ["y\n", "Y\n", "yes\n", "  YES \r\n", "y"] {
            assert_eq!(
                answer(text),
                (true, "Remove it? [y/N] ".to_owned()),
                "{text:?}"
            );
        }
        for text in ["", "\n", "n\n", "no\n", "yy\n", "ja\n", "y es\n", "\ny\n"] {
            assert!(!answer(text).0, "{text:?}");
        }
    }

    /// A data directory with user deck `mine` of two cards, and a context that reads
    /// from a terminal.
    fn terminal_with_deck() -> (tempfile::TempDir, Context) {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Context {
            data: DataDir::at(dir.path()),
            clock: Clock::System,
            style: Style::default(),
            interactive: true,
            width: None,
        };
        ctx.data.create().unwrap();
        let deck = r#"{"format_version": 1, "id": "mine", "title": "Mine", "description": "",
            "cards": [{"id": "a", "front": "Q a", "back": "A"}, {"id": "b", "front": "Q b", "back": "B"}]}"#;
        std::fs::write(ctx.data.decks_dir().join("mine.json"), deck).unwrap();
        (dir, ctx)
    }

    fn remove(ctx: &Context, input: &str) -> (String, String) {
        let options = Options {
            deck: "mine".into(),
            yes: false,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        run(ctx, &options, &mut input.as_bytes(), &mut out, &mut err).unwrap();
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn on_a_terminal_the_deck_goes_only_after_a_yes() {
        let (_dir, ctx) = terminal_with_deck();
        let file = ctx.data.decks_dir().join("mine.json");
        let (out, err) = remove(&ctx, "\n");
        assert_eq!(out, "Nothing was removed.\n");
        assert!(
            err.starts_with("Remove deck mine (2 cards, ")
                && err.ends_with(".json)? `prepdeck decks restore mine` can bring it back. [y/N] "),
            "{err}"
        );
        assert!(file.is_file());
        let (out, _) = remove(&ctx, "yes\n");
        assert!(out.starts_with("Removed deck mine"), "{out}");
        assert!(!file.exists());
        let kept = ctx
            .data
            .newest_removed(&Id::parse("mine").unwrap())
            .unwrap();
        assert!(kept.is_some_and(|p| std::fs::read_to_string(p).unwrap().contains("Q b")));
    }
}
