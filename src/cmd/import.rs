//! `prepdeck import`: installs a deck file, or updates an installed deck by card id.

use super::{emit, warn, Context};
use crate::catalog::{is_built_in, user_deck_path};
use crate::deck::{self, read_bounded, Deck, Id, Place, Problem, MAX_DECK_BYTES};
use crate::error::{Error, Result};
use crate::render::coach::{import_summary, import_warnings, ImportSummary};
use crate::render::plural;
use crate::source;
use crate::store::{atomic::write_atomic, WriterLock};
use crate::text_deck::{self, Format, Target};
use crate::update::Changes;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What to import.
#[derive(Debug, Clone)]
pub struct Options {
    /// The deck file.
    pub file: PathBuf,
    /// Deck id to install under; else the JSON deck's id or the text file's name.
    pub deck: Option<String>,
    /// Show the summary, write nothing.
    pub dry_run: bool,
    /// The summary as JSON, every card id and warning included (none on stderr).
    pub json: bool,
}

/// Validates the file completely, then replaces the installed deck atomically.
pub fn run(
    ctx: &Context,
    options: &Options,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let given = options
        .deck
        .as_deref()
        .map(|text| Id::parse_deck(text).map_err(|why| Error::Invalid(format!("--deck: {why}"))))
        .transpose()?;
    let file = &options.file;
    let bytes = read_bounded(file, MAX_DECK_BYTES)?;
    let format = text_deck::detect(file, &bytes);

    // A text file has no id inside: name the deck first, so that rows without ids
    // can keep the ids of the installed version.
    let text_id = match (format, &given) {
        (Format::Text, Some(id)) => Some(id.clone()),
        (Format::Text, None) => {
            Some(text_deck::deck_id_from_file_name(file).map_err(Error::Invalid)?)
        }
        (Format::Json, _) => None,
    };
    if let Some(id) = &text_id {
        refuse_built_in(id)?;
    }
    let read_new = |installed: Option<&Deck>| -> Result<(Deck, bool, Vec<Problem>)> {
        let target = text_target(file, text_id.as_ref(), installed);
        let read = source::parse(file, &bytes, &target)?;
        let mut deck = read.parsed.deck;
        if let Some(id) = &given {
            deck.id = id.clone();
        }
        Ok((deck, read.ids_given, read.parsed.warnings))
    };

    // Everything is validated before anything is created, locked or written.
    let seen = match &text_id {
        Some(id) => installed(ctx, id)?,
        None => None,
    };
    let (mut new, mut ids_given, warnings) = read_new(seen.as_ref())?;
    refuse_built_in(&new.id)?;
    let errors = new.errors();
    if !errors.is_empty() {
        return Err(Error::Invalid(format!(
            "deck {} was not imported: {}",
            new.id,
            errors.join("; ")
        )));
    }
    if !options.json {
        let file_name = file.display().to_string();
        warn(err, import_warnings(&file_name, &warnings));
    }

    // Held from reading the installed version to replacing it, so two imports (or an
    // import and an `add`) cannot both start from the same old copy.
    let _lock = if options.dry_run {
        None
    } else {
        ctx.data.create()?;
        let lock = WriterLock::wait(&ctx.data.decks_lock_path())?;
        ctx.data.remove_orphaned_deck_temp_files()?;
        Some(lock)
    };
    let old = installed(ctx, &new.id)?;
    if text_id.is_some() && old != seen {
        // Another writer changed the deck meanwhile: match ids against what is there now.
        (new, ids_given, _) = read_new(old.as_ref())?;
    }

    let path = user_deck_path(&ctx.data, &new.id);
    let same = old.as_ref() == Some(&new);
    let changes = old.as_ref().map(|old| crate::update::diff(old, &new));
    // Written before it is reported, so that what is printed has happened.
    if !same && !options.dry_run {
        write_atomic(&path, new.to_json().as_bytes())?;
    }
    if options.json {
        let report = ReportJson {
            deck: new.id.as_str(),
            path: path.display().to_string(),
            result: match (&changes, same) {
                (_, true) => "unchanged",
                (Some(_), false) => "updated",
                (None, false) => "installed",
            },
            dry_run: options.dry_run,
            cards: new.cards.len(),
            version_before: old.as_ref().and_then(|d| d.version.as_deref()),
            version: new.version.as_deref(),
            changes: changes.unwrap_or_else(|| Changes {
                added: new.cards.iter().map(|c| c.id.clone()).collect(),
                ..Changes::default()
            }),
            warnings: warnings
                .iter()
                .map(|p| WarningJson {
                    place: &p.place,
                    message: &p.message,
                })
                .collect(),
        };
        return emit(out, &super::to_json(&report));
    }
    if same {
        return emit(
            out,
            &format!(
                "Deck {} is already this version ({}); nothing was written.\n",
                new.id,
                plural(new.cards.len(), "card")
            ),
        );
    }
    let summary = import_summary(&ImportSummary {
        deck: &new.id,
        path: &path.display().to_string(),
        cards: new.cards.len(),
        versions: (
            old.as_ref().and_then(|d| d.version.as_deref()),
            new.version.as_deref(),
        ),
        changes: changes.as_ref(),
        dry_run: options.dry_run,
        ids_given,
    });
    let mut summary = summary;
    if !options.dry_run {
        if let Some(note) = plan_load(ctx, &new, old.as_ref())? {
            summary.push_str(&note);
        }
        summary.push_str(&format!("Study it now: `prepdeck review {}`.\n", new.id));
    }
    emit(out, &super::fit(ctx, &summary))
}

/// What the import does to an interview plan that covers every deck: the deck's cards
/// never answered join the planned cards, and the new cards a day the pacing asks for
/// may rise. `None` when no such plan is active or nothing changes for it.
fn plan_load(ctx: &Context, new: &Deck, old: Option<&Deck>) -> Result<Option<String>> {
    let today = crate::clock::study_day(ctx.clock.now());
    let Some(plan) = super::active_plan(ctx, today)? else {
        return Ok(None);
    };
    if !plan.decks.is_empty() {
        return Ok(None);
    }
    let catalog = crate::catalog::Catalog::load(&ctx.data)?;
    let hidden = crate::store::settings::read(&ctx.data.settings_path())?.hidden_decks;
    if hidden.contains(new.id.as_str()) {
        return Ok(None);
    }
    let mut progress = ctx.data.load()?.progress;
    super::load_suspended(ctx, &mut progress)?;
    let Some(planned) = super::resolve_plan(&catalog, Some(&plan), &hidden, &progress, today)
    else {
        return Ok(None);
    };
    let unseen_in = |deck: &Deck| {
        deck.cards
            .iter()
            .filter(|c| progress.card(&format!("{}/{}", deck.id, c.id)).is_none())
            .count()
    };
    let joined = unseen_in(new).saturating_sub(old.map_or(0, unseen_in));
    if joined == 0 {
        return Ok(None);
    }
    let default_new = crate::plan::DEFAULT_NEW_PER_DAY as usize;
    let after = plan.daily_new(planned.unseen, today, default_new);
    let before = plan.daily_new(planned.unseen.saturating_sub(joined), today, default_new);
    let change = if after == before {
        format!("the pace stays at {before} new cards a day")
    } else {
        format!("the pace goes from {before} to {after} new cards a day")
    };
    let mut note = format!(
        "Your interview plan ({}) covers every deck: {} joined it, and {change}",
        plan.interview,
        plural(joined, "new card"),
    );
    if plan.pace(planned.unseen, today) > plan.max_new_per_day as usize {
        note.push_str(&format!(
            " (held at the plan's cap of {} a day: not every card can be seen in time)",
            plan.max_new_per_day
        ));
    }
    note.push_str(". `prepdeck plan` shows the workload.");
    Ok(Some(crate::render::plan::wrap("", 0, &note)))
}

/// `import --json`: what the import did (or, with `--dry-run`, would do), with every
/// card id and warning.
#[derive(Serialize)]
struct ReportJson<'a> {
    deck: &'a str,
    path: String,
    /// `installed`, `updated` or `unchanged` (already this version: nothing written).
    result: &'static str,
    dry_run: bool,
    cards: usize,
    version_before: Option<&'a str>,
    version: Option<&'a str>,
    /// Card ids by change; a first install lists every card as added.
    #[serde(flatten)]
    changes: Changes,
    warnings: Vec<WarningJson<'a>>,
}

/// A warning in `import --json`, as in `check --json`.
#[derive(Serialize)]
struct WarningJson<'a> {
    place: &'a Place,
    message: &'a str,
}

fn refuse_built_in(id: &Id) -> Result<()> {
    if is_built_in(id.as_str())? {
        return Err(Error::Invalid(format!(
            "{id} is the id of a built-in deck and cannot be replaced; import under another id, e.g. --deck my-{id}"
        )));
    }
    Ok(())
}

/// The installed version of deck `id`, if any; a damaged one stops the import.
fn installed(ctx: &Context, id: &Id) -> Result<Option<Deck>> {
    let path = user_deck_path(&ctx.data, id);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    deck::load(&path).map(|p| Some(p.deck)).map_err(|e| {
        Error::Invalid(format!(
            "cannot update deck {id}, the installed file is not valid ({e}); or remove it with `prepdeck remove {id} --yes`, then import again"
        ))
    })
}

/// What a text file does not say: kept from the installed version, else made up from the file name.
fn text_target<'a>(file: &Path, id: Option<&Id>, installed: Option<&'a Deck>) -> Target<'a> {
    let id = id.cloned().unwrap_or_else(|| deck::slug("deck", |_| false));
    match installed {
        Some(deck) => Target {
            id,
            title: deck.title.clone(),
            description: deck.description.clone(),
            author: deck.author.clone(),
            version: deck.version.clone(),
            existing: Some(deck),
        },
        None => Target {
            title: source::title_from_file_name(file, &id),
            description: format!(
                "Imported from {}.",
                source::clean(
                    &file
                        .file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default(),
                    200
                )
            ),
            id,
            author: None,
            version: None,
            existing: None,
        },
    }
}
