//! `prepdeck story`: write, list, show, edit and remove your own stories; each save
//! brings the deck `my-stories` up to date.

use super::{emit, Context};
use crate::catalog::user_deck_path;
use crate::deck::{self, Id};
use crate::error::{Error, Result};
use crate::render::story as render;
use crate::store::{stories, WriterLock};
use crate::story::text::Parts;
use crate::story::{cards, clean, hints, refuse, Part, Stories, Story, MAX_ACTIONS, MAX_STORIES};
use std::io::{BufRead, Write};

/// What to do.
#[derive(Debug, Clone)]
pub enum Action {
    /// Ask for a new story.
    New,
    /// List the stories.
    List {
        /// As JSON.
        json: bool,
    },
    /// Show one as the answer it makes.
    Show(String),
    /// Change one.
    Edit(String),
    /// Remove one.
    Remove {
        /// The story id.
        id: String,
        /// Do not ask.
        yes: bool,
    },
}

/// Runs `action`.
pub fn run(
    ctx: &Context,
    action: Action,
    input: &mut impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    match action {
        Action::New => new(ctx, input, out),
        Action::List { json } => {
            let all = stories::read(&ctx.data.stories_path())?;
            if json {
                emit(out, &super::to_json(&listed(&all)))
            } else {
                emit(out, &render::list(&all.stories))
            }
        }
        Action::Show(id) => {
            let all = stories::read(&ctx.data.stories_path())?;
            let story = find(&all, &id)?;
            emit(out, &render::show(story, ctx.style))
        }
        Action::Edit(id) => edit(ctx, &id, input, out, err),
        Action::Remove { id, yes } => remove(ctx, &id, yes, input, out),
    }
}

/// `story list --json`: every story with its estimated length aloud.
fn listed(all: &Stories) -> Vec<serde_json::Value> {
    all.stories
        .iter()
        .map(|s| {
            let mut v = serde_json::to_value(s).unwrap_or_default();
            if let Some(map) = v.as_object_mut() {
                map.insert("spoken_seconds".into(), s.spoken_seconds().into());
            }
            v
        })
        .collect()
}

/// The story `id`, or an error naming the ones there are.
pub fn find<'s>(all: &'s Stories, id: &str) -> Result<&'s Story> {
    all.get(id).ok_or_else(|| {
        let known: Vec<&str> = all.stories.iter().map(|s| s.id.as_str()).collect();
        Error::Invalid(if known.is_empty() {
            format!(
                "there is no story {:?}: you have none yet; write one with `prepdeck story new`",
                crate::render::text::one_line(id)
            )
        } else {
            format!(
                "there is no story {:?}; your stories are: {} (see `prepdeck story list`)",
                crate::render::text::one_line(id),
                known.join(", ")
            )
        })
    })
}

/// Reads one line of a part; `None` at the end of input. Control characters are
/// removed, with a word about it. With `echo` (piped input), the line is shown.
fn read_line(input: &mut impl BufRead, out: &mut impl Write, echo: bool) -> Result<Option<String>> {
    let mut bytes = Vec::new();
    input
        .read_until(b'\n', &mut bytes)
        .map_err(|e| Error::io("read", "standard input", e))?;
    if bytes.is_empty() {
        if echo {
            emit(out, "\n")?;
        }
        return Ok(None);
    }
    let (text, removed) = clean(&String::from_utf8_lossy(&bytes));
    if echo {
        // Piped input is not echoed by a terminal: shown here, the transcript reads
        // as a conversation.
        emit(out, &format!("{text}\n"))?;
    }
    if removed > 0 {
        emit(
            out,
            &format!(
                "  (removed {} a terminal could act on)\n",
                crate::render::plural(removed, "control character")
            ),
        )?;
    }
    Ok(Some(text))
}

/// The error for input that ends before the story is complete.
fn ended(part: Part) -> Error {
    Error::Invalid(format!(
        "input ended before the {}; nothing was saved. Piped, give the parts one a line: title, situation, task, actions (one a line, then an empty line), result, lesson",
        part.name()
    ))
}

/// How to ask: colours, and whether to show what was read (piped input).
#[derive(Debug, Clone, Copy)]
struct Asking {
    style: crate::render::Style,
    echo: bool,
}

/// Asks for `part` until it is acceptable. With `old`, an empty line keeps it.
fn ask(
    part: Part,
    old: Option<&str>,
    input: &mut impl BufRead,
    out: &mut impl Write,
    style: Asking,
) -> Result<String> {
    let mut text = format!("\n{}\n", style.style.bold(part.prompt()));
    if let Some(old) = old {
        text.push_str(&format!(
            "  was: {}\n  (Enter keeps it)\n",
            crate::render::text::inline_text(old)
        ));
    }
    emit(out, &text)?;
    loop {
        emit(out, "> ")?;
        let line = read_line(input, out, style.echo)?.ok_or_else(|| ended(part))?;
        let line = match (line.is_empty(), old) {
            (true, Some(old)) => old.to_owned(),
            _ => line,
        };
        match refuse(part, &line) {
            None => {
                emit(
                    out,
                    &render::hints(&hints::for_part(part, &line), style.style),
                )?;
                return Ok(line);
            }
            Some(why) => emit(out, &render::hints(&[why], style.style))?,
        }
    }
}

/// Asks for the actions, one a line, until an empty line or the fifth. With `old`, an
/// empty first line keeps them all.
fn ask_actions(
    old: Option<&[String]>,
    input: &mut impl BufRead,
    out: &mut impl Write,
    style: Asking,
) -> Result<Vec<String>> {
    let mut text = format!("\n{}\n", style.style.bold(Part::Action.prompt()));
    if let Some(old) = old {
        for (k, a) in old.iter().enumerate() {
            text.push_str(&format!(
                "  was {}: {}\n",
                k + 1,
                crate::render::text::inline_text(a)
            ));
        }
        text.push_str("  (an empty first line keeps them all)\n");
    }
    emit(out, &text)?;
    let mut actions: Vec<String> = Vec::new();
    loop {
        emit(out, &format!("{}> ", actions.len() + 1))?;
        let Some(line) = read_line(input, out, style.echo)? else {
            if actions.is_empty() {
                return Err(ended(Part::Action));
            }
            break;
        };
        if line.is_empty() {
            match (actions.is_empty(), old) {
                (true, Some(old)) => return Ok(old.to_vec()),
                (true, None) => {
                    emit(
                        out,
                        &render::hints(
                            &[format!(
                                "a story needs at least one action; {}",
                                hints::empty(Part::Action)
                            )],
                            style.style,
                        ),
                    )?;
                    continue;
                }
                (false, _) => break,
            }
        }
        if let Some(why) = refuse(Part::Action, &line) {
            emit(out, &render::hints(&[why], style.style))?;
            continue;
        }
        emit(
            out,
            &render::hints(&hints::for_part(Part::Action, &line), style.style),
        )?;
        actions.push(line);
        if actions.len() == MAX_ACTIONS {
            emit(
                out,
                &format!("  ({MAX_ACTIONS} actions: the most one answer can hold)\n"),
            )?;
            skip_one_empty_line(input)?;
            break;
        }
    }
    emit(out, &render::hints(&hints::actions(&actions), style.style))?;
    Ok(actions)
}

/// After the fifth action, the empty line that would have ended the list is not the result.
fn skip_one_empty_line(input: &mut impl BufRead) -> Result<()> {
    let buf = input
        .fill_buf()
        .map_err(|e| Error::io("read", "standard input", e))?;
    let skip = if buf.starts_with(b"\n") {
        1
    } else if buf.starts_with(b"\r\n") {
        2
    } else {
        0
    };
    input.consume(skip);
    Ok(())
}

/// Asks every part, showing `old`'s when there is one.
fn ask_all(
    old: Option<&Story>,
    input: &mut impl BufRead,
    out: &mut impl Write,
    style: Asking,
) -> Result<Parts> {
    let title = ask(
        Part::Title,
        old.map(|s| s.title.as_str()),
        input,
        out,
        style,
    )?;
    let situation = ask(
        Part::Situation,
        old.map(|s| s.situation.as_str()),
        input,
        out,
        style,
    )?;
    let task = ask(Part::Task, old.map(|s| s.task.as_str()), input, out, style)?;
    let actions = ask_actions(old.map(|s| s.actions.as_slice()), input, out, style)?;
    let result = ask(
        Part::Result,
        old.map(|s| s.result.as_str()),
        input,
        out,
        style,
    )?;
    let lesson = ask(
        Part::Lesson,
        old.map(|s| s.lesson.as_str()),
        input,
        out,
        style,
    )?;
    Ok(Parts {
        title,
        situation,
        task,
        actions,
        result,
        lesson,
    })
}

fn asking(ctx: &Context) -> Asking {
    Asking {
        style: ctx.style,
        echo: !ctx.interactive,
    }
}

/// The story `parts` make, keeping `id` and `created`.
fn story_of(
    parts: Parts,
    id: String,
    created: chrono::DateTime<chrono::FixedOffset>,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Story {
    Story {
        id,
        title: parts.title,
        situation: parts.situation,
        task: parts.task,
        actions: parts.actions,
        result: parts.result,
        lesson: parts.lesson,
        created,
        updated: now,
    }
}

/// `story new`.
fn new(ctx: &Context, input: &mut impl BufRead, out: &mut impl Write) -> Result<()> {
    // Refused before any typing: a damaged file or a full list.
    let before = stories::read(&ctx.data.stories_path())?;
    if before.stories.len() >= MAX_STORIES {
        return Err(Error::Invalid(format!(
            "you have {MAX_STORIES} stories, the most prepdeck keeps; remove one with `prepdeck story remove ID`"
        )));
    }
    emit(
        out,
        &format!(
            "{}\nOne specific past event, told in STAR order: situation, task, actions, result.\n",
            ctx.style.bold("A new story")
        ),
    )?;
    let parts = ask_all(None, input, out, asking(ctx))?;
    let now = ctx.clock.now();
    let saved = save(ctx, |all| {
        let id = all.new_id(&parts.title);
        let story = story_of(parts.clone(), id.clone(), now, now);
        all.stories.push(story);
        Ok(id)
    })?;
    finish(ctx, &saved, "Saved", out)
}

/// What a save did: the story, the stories after it, the deck changes.
struct Saved {
    id: String,
    all: Stories,
    deck: std::result::Result<crate::update::Changes, Error>,
}

/// Prints the story's length, its deck changes, and how to rehearse it.
fn finish(ctx: &Context, saved: &Saved, verb: &str, out: &mut impl Write) -> Result<()> {
    let mut text = String::new();
    if let Some(story) = saved.all.get(&saved.id) {
        let (seconds, warning) = hints::length(story);
        text.push_str(&format!(
            "\n{verb} story {} («{}»): about {seconds} s aloud at {} words a minute (target 60-90 s).\n",
            saved.id,
            crate::render::text::inline_text(&story.title),
            hints::WORDS_PER_MINUTE
        ));
        if let Some(w) = warning {
            text.push_str(&render::hints(&[w], ctx.style));
        }
    } else {
        text.push_str(&format!("\n{verb} story {}.\n", saved.id));
    }
    match &saved.deck {
        Ok(changes) => text.push_str(&render::deck_changes(changes)),
        Err(e) => {
            emit(out, &text)?;
            return Err(Error::Invalid(format!(
                "the story was saved in {}, but deck my-stories was not updated: {e}. Fix that, then any `prepdeck story new`, `edit` or `remove` brings the deck up to date",
                ctx.data.stories_path().display()
            )));
        }
    }
    if verb != "Removed" {
        text.push_str(&format!(
            "Next: `prepdeck story show {0}`, or say it aloud with `prepdeck rehearse --story {0}`.\n",
            saved.id
        ));
    }
    emit(out, &text)
}

/// Under the decks lock: reads the stories again, applies `change`, writes them, then
/// brings the deck `my-stories` up to date.
fn save(ctx: &Context, change: impl FnOnce(&mut Stories) -> Result<String>) -> Result<Saved> {
    ctx.data.create()?;
    let _lock = WriterLock::wait(&ctx.data.decks_lock_path())?;
    let path = ctx.data.stories_path();
    let mut all = stories::read(&path)?;
    let id = change(&mut all)?;
    all.format_version = crate::story::STORIES_VERSION;
    if let Some(why) = all.problem() {
        return Err(Error::Invalid(format!("the story was not saved: {why}")));
    }
    stories::write(&path, &all)?;
    let deck = sync_deck(ctx, &all);
    Ok(Saved { id, all, deck })
}

/// Writes the deck `my-stories` for `all`, keeping hand-added cards; what changed.
/// Call under the decks lock.
pub fn sync_deck(ctx: &Context, all: &Stories) -> Result<crate::update::Changes> {
    let id = Id::parse_deck(cards::DECK_ID).map_err(Error::Invalid)?;
    let path = user_deck_path(&ctx.data, &id);
    let old = match deck::load(&path) {
        Ok(parsed) => Some(parsed.deck),
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let new = cards::deck(all, old.as_ref());
    let errors = new.errors();
    if !errors.is_empty() {
        return Err(Error::Invalid(errors.join("; ")));
    }
    let empty = deck::Deck::new(id, new.title.clone(), new.description.clone());
    let changes = crate::update::diff(old.as_ref().unwrap_or(&empty), &new);
    if old.is_none() || !changes.is_empty() {
        crate::store::atomic::write_atomic(&path, new.to_json().as_bytes())?;
    }
    Ok(changes)
}

/// `story edit ID`: in `$VISUAL`/`$EDITOR` when set, else asking each part again.
fn edit(
    ctx: &Context,
    id: &str,
    input: &mut impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let all = stories::read(&ctx.data.stories_path())?;
    let old = find(&all, id)?.clone();
    let parts = match editor() {
        Some(editor) => edit_in(&editor, &old, err)?,
        None => {
            emit(
                out,
                &format!(
                    "{} «{}»\n",
                    ctx.style.bold("Editing story"),
                    crate::render::text::inline_text(&old.title)
                ),
            )?;
            ask_all(Some(&old), input, out, asking(ctx))?
        }
    };
    let mut advice: Vec<String> = parts
        .list()
        .into_iter()
        .filter(|(p, _)| *p != Part::Action)
        .flat_map(|(p, t)| hints::for_part(p, t))
        .collect();
    advice.extend(hints::actions(&parts.actions));
    let now = ctx.clock.now();
    let saved = save(ctx, |all| {
        let Some(slot) = all.stories.iter_mut().find(|s| s.id == old.id) else {
            return Err(Error::Invalid(format!(
                "story {} was removed meanwhile; nothing was saved",
                old.id
            )));
        };
        *slot = story_of(parts, old.id.clone(), old.created, now);
        Ok(old.id.clone())
    })?;
    emit(out, &render::hints(&advice, ctx.style))?;
    finish(ctx, &saved, "Updated", out)
}

/// The editor command from `$VISUAL`, else `$EDITOR`, when set and not empty.
fn editor() -> Option<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|e| !e.trim().is_empty())
}

/// Opens the text form of `old` in `editor` and reads it back. The editor runs through
/// the shell, as git runs it, so `EDITOR="code --wait"` works. If what comes back is not
/// a story, the file is kept and named so nothing typed is lost.
fn edit_in(editor: &str, old: &Story, err: &mut impl Write) -> Result<Parts> {
    let mut file = tempfile::Builder::new()
        .prefix("prepdeck-story-")
        .suffix(".txt")
        .tempfile()
        .map_err(|e| Error::io("create", std::env::temp_dir(), e))?;
    file.write_all(crate::story::text::render(old).as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| Error::io("write", file.path(), e))?;
    let path = file.path().to_path_buf();
    let _ = writeln!(
        err,
        "Waiting for your editor ({editor}) to close {}…",
        path.display()
    );
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status()
        .map_err(|e| Error::Invalid(format!("could not start your editor {editor:?} ({e}); set EDITOR to one that works, or unset it to be asked part by part")))?;
    if !status.success() {
        return Err(Error::Invalid(format!(
            "your editor {editor:?} failed ({status}); nothing was saved"
        )));
    }
    let text = std::fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
    let parts = crate::story::text::parse(&String::from_utf8_lossy(&text));
    let problem = match &parts {
        Ok(p) => p.problem(),
        Err(why) => Some(why.clone()),
    };
    if let Some(why) = problem {
        let kept = file.keep().map(|(_, p)| p).unwrap_or(path);
        return Err(Error::Invalid(format!(
            "the edited story was not saved: {why}. Your text is kept in {}",
            kept.display()
        )));
    }
    parts.map_err(Error::Invalid)
}

/// `story remove ID`: asks on a terminal, needs `--yes` otherwise; the history stays.
fn remove(
    ctx: &Context,
    id: &str,
    yes: bool,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> Result<()> {
    let all = stories::read(&ctx.data.stories_path())?;
    let story = find(&all, id)?;
    if !yes {
        if !ctx.interactive {
            return Err(Error::Invalid(format!(
                "removing story {id} needs confirmation; pass --yes (standard input is not a terminal)"
            )));
        }
        emit(out, &format!(
            "Remove story {id} («{}») and its {} from deck my-stories? Their review history is kept. [y/N] ",
            crate::render::text::inline_text(&story.title),
            crate::render::plural(cards::of(story).len(), "card")
        ))?;
        let mut answer = String::new();
        input
            .read_line(&mut answer)
            .map_err(|e| Error::io("read", "standard input", e))?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            return emit(out, "Nothing removed.\n");
        }
    }
    let saved = save(ctx, |all| {
        all.stories.retain(|s| s.id != id);
        Ok(id.to_owned())
    })?;
    finish(ctx, &saved, "Removed", out)
}
