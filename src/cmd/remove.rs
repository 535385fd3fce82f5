//! `prepdeck remove`: deletes an installed deck file; its review history stays in the log.

use super::{emit, Context};
use crate::catalog::{is_built_in, user_deck_path};
use crate::deck::{self, Id};
use crate::error::{Error, Result};
use crate::render::plural;
use crate::render::text::one_line;
use crate::store::{atomic::sync_dir, WriterLock};
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
    // Any id, even one refused for new decks (`con`): a deck installed before that rule,
    // on a system where it was a file name, must still be removable.
    let id = Id::parse(&options.deck).map_err(|why| Error::Invalid(format!("DECK: {why}")))?;
    if is_built_in(id.as_str())? {
        return Err(Error::Invalid(format!(
            "{id} is a built-in deck and cannot be removed; to leave it out of review and stats, run `prepdeck decks hide {id}`"
        )));
    }
    let path = user_deck_path(&ctx.data, &id);
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
        let question = format!("Remove deck {id} ({cards}{shown})? Its review history is kept.");
        if !confirm(&question, input, err)? {
            return emit(out, "Nothing was removed.\n");
        }
    }
    let _lock = WriterLock::wait(&ctx.data.decks_lock_path())?;
    std::fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e))?;
    sync_dir(&ctx.data.decks_dir())?;
    emit(
        out,
        &format!(
            "Removed deck {id} ({shown}). Its review history is kept: importing the deck again brings its progress back.\n"
        ),
    )
}

/// Asks `question` with `[y/N]` on `err` and reads one line of `input`: true only for
/// `y` or `yes` (any case, spaces around ignored). Anything else, an empty line or the
/// end of input keeps the deck, as the capital N promises.
pub fn confirm(question: &str, input: &mut impl BufRead, err: &mut impl Write) -> Result<bool> {
    // The question is a courtesy: a terminal that cannot show it must not stop the answer.
    let _ = write!(err, "{question} [y/N] ");
    let _ = err.flush();
    let mut answer = String::new();
    input
        .read_line(&mut answer)
        .map_err(|e| Error::io("read", "standard input", e))?;
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
                && err.ends_with(".json)? Its review history is kept. [y/N] "),
            "{err}"
        );
        assert!(file.is_file());
        let (out, _) = remove(&ctx, "yes\n");
        assert!(out.starts_with("Removed deck mine"), "{out}");
        assert!(!file.exists());
    }
}
