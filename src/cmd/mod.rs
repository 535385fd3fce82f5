//! One module per subcommand; each takes plain options and the environment.

pub mod add;
pub mod add_from;
pub mod add_input;
pub mod card;
pub mod cards;
pub mod check;
pub mod class;
pub mod decks;
pub mod export;
pub mod import;
pub mod import_anki;
pub mod plan;
pub mod rehearse;
pub mod remove;
pub mod report;
pub mod restore;
pub mod review;
pub mod stats;
pub mod story;

use crate::catalog::Catalog;
use crate::cli::{CardAction, Cli, Command, DecksAction, ExportFormat, StoryAction};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::render::Style;
use crate::store::DataDir;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// What every command may use from the outside world.
#[derive(Debug, Clone)]
pub struct Context {
    /// The data directory.
    pub data: DataDir,
    /// Where "now" comes from.
    pub clock: Clock,
    /// Colours for standard output.
    pub style: Style,
    /// Standard input is a terminal (a person, not a script).
    pub interactive: bool,
    /// The terminal's width when standard output is one; `None` when it is piped.
    pub width: Option<usize>,
}

impl Context {
    /// The context from the environment and the `--data-dir` flag.
    pub fn from_env(data_dir: Option<std::path::PathBuf>) -> Result<Context> {
        Ok(Context {
            data: DataDir::resolve(data_dir)?,
            clock: Clock::from_env()?,
            style: Style::for_stdout(),
            interactive: std::io::stdin().is_terminal(),
            width: crate::term::stdout_width(),
        })
    }
}

/// Runs the command line `cli` against the real standard streams.
pub fn run(cli: Cli) -> Result<ExitCode> {
    // Tables, charts and sentences are laid out for a narrower terminal when there is one.
    if let Some(width) = crate::term::stdout_width() {
        crate::render::set_columns(width);
    }
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr();
    let context = || Context::from_env(cli.data_dir.clone());
    match cli.command {
        Command::Completions(args) => {
            // Generated into memory and written here: clap_complete panics when its own
            // writes fail (`prepdeck completions bash > /dev/full`).
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut command, "prepdeck", &mut script);
            out.write_all(&script)
                .and_then(|()| out.flush())
                .map_err(|e| Error::io("write", "standard output", e))?;
        }
        Command::Review(args) => {
            // Ctrl-C reads as end of input: the session ends like `q`, with its summary.
            crate::term::end_review_on_interrupt();
            let ctx = context()?;
            let options = review::Options {
                decks: args.decks,
                new: args.new,
                limit: args.limit,
                selection: crate::select::Selection {
                    tags: args.tags,
                    cards: args.cards,
                },
                cram: args.cram,
                shuffle: args.shuffle,
            };
            // Single keys only when a person is at both ends: with output going to a
            // file or a pipe, or with --line, answers are lines as they always were.
            if ctx.interactive && ctx.width.is_some() && !args.line {
                let mut keys = crate::keys::TermKeys::new();
                review::run(&ctx, &options, &mut keys, &mut out, &mut err)?
            } else {
                let input = std::io::BufReader::new(crate::term::Interruptible(&stdin));
                let mut keys = crate::keys::LineKeys::new(input, !ctx.interactive);
                review::run(&ctx, &options, &mut keys, &mut out, &mut err)?
            }
        }
        Command::Add(args) => add::run(
            &context()?,
            add::Options {
                deck: args.deck,
                front: args.front,
                back: args.back,
                tags: args.tags,
                title: args.title,
                from: args.from,
            },
            &mut stdin.lock(),
            &mut out,
            &mut err,
        )?,
        Command::Card(args) => {
            let (id, action) = match args.action {
                CardAction::Restore(card) => {
                    restore::card(&context()?, &card.id, &mut out)?;
                    return Ok(ExitCode::SUCCESS);
                }
                CardAction::Show(card) => (card.id, card::Action::Show),
                CardAction::Edit(edit) => (
                    edit.id,
                    card::Action::Edit {
                        front: edit.front,
                        back: edit.back,
                        tags: edit.tags,
                    },
                ),
                CardAction::Suspend(card) => (card.id, card::Action::Suspend),
                CardAction::Unsuspend(card) => (card.id, card::Action::Unsuspend),
                CardAction::Delete(delete) => (delete.id, card::Action::Delete { yes: delete.yes }),
            };
            card::run(
                &context()?,
                &id,
                action,
                &mut stdin.lock(),
                &mut out,
                &mut err,
            )?
        }
        Command::Stats(args) => {
            stats::run(&context()?, &args.decks, args.json, &mut out, &mut err)?
        }
        Command::Decks(args) => match args.action {
            None => decks::run(&context()?, args.json, &mut out, &mut err)?,
            Some(DecksAction::Hide(deck)) => decks::hide(&context()?, &deck.deck, &mut out)?,
            Some(DecksAction::Show(deck)) => decks::show(&context()?, &deck.deck, &mut out)?,
            Some(DecksAction::Restore(deck)) => restore::deck(&context()?, &deck.deck, &mut out)?,
        },
        Command::Check(args) => {
            let options = check::Options {
                files: args.files,
                json: args.json,
                width: crate::term::stdout_width(),
            };
            if !check::run(&options, &mut out)? {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Import(args) => import::run(
            &context()?,
            &import::Options {
                file: args.file,
                deck: args.deck,
                dry_run: args.dry_run,
                json: args.json,
                allow_retire: args.allow_retire,
                strict: args.strict,
            },
            &mut out,
            &mut err,
        )?,
        Command::Export(args) => export::run(
            &context()?,
            &export::Options {
                deck: args.deck,
                format: match args.format {
                    ExportFormat::Json => export::Format::Json,
                    ExportFormat::Tsv => export::Format::Tsv,
                    ExportFormat::Csv => export::Format::Csv,
                },
                output: args.output,
            },
            &mut out,
            &mut err,
        )?,
        Command::Remove(args) => remove::run(
            &context()?,
            &remove::Options {
                deck: args.deck,
                yes: args.yes,
            },
            &mut stdin.lock(),
            &mut out,
            &mut err,
        )?,
        Command::Story(args) => story::run(
            &context()?,
            match args.action {
                StoryAction::New => story::Action::New,
                StoryAction::List { json } => story::Action::List { json },
                StoryAction::Show(a) => story::Action::Show(a.id),
                StoryAction::Edit(a) => story::Action::Edit(a.id),
                StoryAction::Remove { id, yes } => story::Action::Remove { id, yes },
            },
            &mut stdin.lock(),
            &mut out,
            &mut err,
        )?,
        Command::Rehearse(args) => rehearse::run(
            &context()?,
            &rehearse::Options {
                story: args.story,
                question: args.question,
                seconds: args.seconds,
            },
            &mut stdin.lock(),
            &mut out,
            &mut err,
        )?,
        Command::Cards(args) => cards::run(
            &context()?,
            &cards::Options {
                decks: args.decks,
                due: args.due,
                json: args.json,
            },
            &mut out,
            &mut err,
        )?,
        Command::Plan(args) => plan::run(
            &context()?,
            &plan::Options {
                interview: args.interview,
                decks: args.decks,
                max_new: args.max_new,
                clear: args.clear,
                json: args.json,
            },
            &mut out,
            &mut err,
        )?,
        Command::Report(args) => report::run(
            &context()?,
            &report::Options {
                decks: args.decks,
                include: args.include,
                name: args.name,
                output: args.output,
                print: args.print,
            },
            &mut out,
            &mut err,
        )?,
        Command::Class(args) => {
            let options = class::Options {
                reports: args.reports,
                json: args.json,
                html: args.html,
            };
            if !class::run(&context()?, &options, &mut out, &mut err)? {
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `text` with every line wider than the terminal re-wrapped at word boundaries, so the
/// terminal never cuts a word or an id in two; as it is when output is piped. Never for
/// JSON.
pub fn fit<'t>(ctx: &Context, text: &'t str) -> std::borrow::Cow<'t, str> {
    let Some(width) = ctx.width else {
        return std::borrow::Cow::Borrowed(text);
    };
    // Colour codes take no room on screen: a line is measured without them.
    let visible = |line: &str| {
        let mut plain = String::with_capacity(line.len());
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                chars.by_ref().find(|&c| c == 'm');
            } else {
                plain.push(c);
            }
        }
        crate::render::text::columns(&plain)
    };
    if text.lines().all(|line| visible(line) <= width) {
        return std::borrow::Cow::Borrowed(text);
    }
    let lines: Vec<std::borrow::Cow<'_, str>> = text
        .split('\n')
        .map(|line| {
            if visible(line) <= width {
                std::borrow::Cow::Borrowed(line)
            } else {
                crate::render::text::wrap(line, width)
            }
        })
        .collect();
    std::borrow::Cow::Owned(lines.join("\n"))
}

/// Writes `text` to standard output, mapping failures (a closed pipe) to an error.
pub fn emit(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("write", "standard output", e))
}

/// Writes a command's output: JSON as it is, text fitted to the terminal's width.
pub fn emit_output(ctx: &Context, out: &mut dyn Write, text: &str, json: bool) -> Result<()> {
    if json {
        emit(out, text)
    } else {
        emit(out, &fit(ctx, text))
    }
}

/// Prints warnings to standard error, each on a line of its own.
pub fn warn(err: &mut dyn Write, warnings: impl IntoIterator<Item = impl std::fmt::Display>) {
    for warning in warnings {
        let text = crate::render::text::sanitize(&warning.to_string()).into_owned();
        let line = format!("prepdeck: warning: {text}");
        let _ = writeln!(err, "{}", crate::term::fit_stderr(&line));
    }
}

/// Progress for reading commands: loads without writing, warnings to standard error.
pub fn read_progress(ctx: &Context, err: &mut dyn Write) -> Result<crate::progress::Progress> {
    let loaded = ctx.data.load()?;
    warn(err, &loaded.warnings);
    Ok(loaded.progress)
}

/// The catalog and the stored progress, each read on its own thread: at 100,000 cards
/// both take tens of milliseconds and neither needs the other. Nothing is written.
pub fn load_in_parallel(ctx: &Context) -> (Result<Catalog>, Result<crate::store::Loaded>) {
    std::thread::scope(|scope| {
        let progress = scope.spawn(|| ctx.data.load());
        let catalog = Catalog::load(&ctx.data);
        let progress = progress
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (catalog, progress)
    })
}

/// The progress from [`load_in_parallel`], its warnings printed to standard error.
pub fn with_warnings(
    loaded: Result<crate::store::Loaded>,
    err: &mut dyn Write,
) -> Result<crate::progress::Progress> {
    let loaded = loaded?;
    warn(err, &loaded.warnings);
    Ok(loaded.progress)
}

/// The interview plan if one is set and its date is still ahead on `today`.
pub fn active_plan(ctx: &Context, today: chrono::NaiveDate) -> Result<Option<crate::plan::Plan>> {
    Ok(ctx.data.read_plan()?.filter(|p| p.is_active(today)))
}

/// Marks in `progress` the cards suspended with `prepdeck card suspend`.
pub fn load_suspended(ctx: &Context, progress: &mut crate::progress::Progress) -> Result<()> {
    let suspended = crate::store::suspended::read(&ctx.data.suspended_path())?;
    progress.suspended = suspended.cards.into_iter().collect();
    Ok(())
}

/// The plan whose interview is on `today`, with the planned cards' readiness that day
/// (SM-2's due days: the plan no longer pulls anything in); `None` on any other day.
pub fn interview_today(
    ctx: &Context,
    catalog: &Catalog,
    hidden: &std::collections::BTreeSet<String>,
    progress: &crate::progress::Progress,
    today: chrono::NaiveDate,
) -> Result<Option<(crate::plan::Plan, crate::plan::Readiness)>> {
    let Some(plan) = ctx.data.read_plan()?.filter(|p| p.interview == today) else {
        return Ok(None);
    };
    let decks = planned_decks(catalog, &plan, hidden);
    let (mut ready, mut cards) = (0u32, 0u32);
    for entry in decks {
        let deck_dues = dues(None).deck(entry.id().as_str());
        for (index, (card, state)) in progress.deck_states(&entry.outline).enumerate() {
            if progress.is_suspended(entry.id().as_str(), card) {
                continue;
            }
            cards = cards.saturating_add(1);
            if let Some(state) = state {
                let due = deck_dues.due(index, state);
                ready += u32::from(crate::plan::is_ready(state, due, today));
            }
        }
    }
    Ok(Some((plan, crate::plan::Readiness::of(ready, cards))))
}

/// The decks `plan` covers: the ones it names, hidden or not (naming a deck is asking
/// for it), or when it names none, every deck not hidden. In catalog order.
pub fn planned_decks<'c>(
    catalog: &'c Catalog,
    plan: &crate::plan::Plan,
    hidden: &std::collections::BTreeSet<String>,
) -> Vec<&'c crate::catalog::Entry> {
    catalog
        .decks
        .iter()
        .filter(|e| {
            let id = e.id().as_str();
            plan.covers(id) && (!plan.decks.is_empty() || !hidden.contains(id))
        })
        .collect()
}

/// New cards introduced on `today` in `decks`.
pub fn introduced_in(
    progress: &crate::progress::Progress,
    decks: &[&crate::catalog::Entry],
    today: chrono::NaiveDate,
) -> usize {
    decks
        .iter()
        .map(|e| progress.tally(e.id().as_str(), today).introduced as usize)
        .sum()
}

/// The planned cards on `today` under `plan` if it is active there (their due days
/// pulled in, readiness, unseen count); `None` without an active plan.
pub fn resolve_plan(
    catalog: &Catalog,
    plan: Option<&crate::plan::Plan>,
    hidden: &std::collections::BTreeSet<String>,
    progress: &crate::progress::Progress,
    today: chrono::NaiveDate,
) -> Option<crate::plan::Planned> {
    let plan = plan.filter(|p| p.is_active(today))?;
    let outlines: Vec<&crate::deck::Outline> = planned_decks(catalog, plan, hidden)
        .into_iter()
        .map(|e| &e.outline)
        .collect();
    Some(crate::plan::resolve(plan, &outlines, progress, today))
}

/// The due days commands use: the active plan's, or SM-2's.
pub fn dues(planned: Option<&crate::plan::Planned>) -> &crate::plan::Dues {
    static SM2: crate::plan::Dues = crate::plan::Dues::sm2();
    planned.map_or(&SM2, |p| &p.dues)
}

/// Leaves `value`'s memory to the operating system, which takes it back when the
/// process exits, instead of freeing it piece by piece now.
///
/// Only for what a command still holds once its output is written: `main` exits as
/// soon as the command returns. At 100,000 cards the decks and the progress are some
/// 600,000 allocations, and freeing them one at a time took 25-30 ms after the output
/// was already on screen. Nothing whose drop has an effect (a file, a lock) may be
/// passed here.
pub fn keep_until_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Pretty JSON with a final newline, for `--json` output: every `--json` goes through
/// here, so nothing a terminal would act on is ever printed raw (see
/// [`crate::render::text::neutralize_json`]).
pub fn to_json(value: &impl serde::Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned());
    text.push('\n');
    crate::render::text::neutralize_json(text)
}
