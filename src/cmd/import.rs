//! `prepdeck import`: installs a deck file, or updates an installed deck by card id.

use super::{emit, warn, Context};
use crate::catalog::{is_built_in, user_deck_path};
use crate::deck::text::{self as text_deck, Format, Target};
use crate::deck::{self, read_bounded, Deck, Id, Place, Problem, MAX_DECK_BYTES};
use crate::error::{Error, Result};
use crate::render::coach::{import_summary, import_warnings, ImportSummary};
use crate::render::plural;
use crate::source;
use crate::store::{atomic::write_atomic, WriterLock};
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
    /// Go on with an update that retires every card, or more than half of them.
    pub allow_retire: bool,
    /// Refuse the file if any of its cards would be skipped.
    pub strict: bool,
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
    if super::import_anki::is_package_name(file) {
        let bytes = read_bounded(file, super::import_anki::MAX_PACKAGE_BYTES)?;
        return super::import_anki::run(ctx, options, given, &bytes, out);
    }
    let bytes = read_bounded(file, MAX_DECK_BYTES)?;
    if crate::deck::anki::package::is_package(&bytes) {
        return super::import_anki::run(ctx, options, given, &bytes, out);
    }
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
        if options.strict && read.skipped > 0 {
            let reasons: Vec<String> = read
                .parsed
                .warnings
                .iter()
                .filter(|p| p.message.starts_with("skipped: "))
                .map(ToString::to_string)
                .collect();
            return Err(Error::Invalid(format!(
                "{} was not imported (--strict): {}",
                file.display(),
                reasons.join("; ")
            )));
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
    if new.cards.is_empty() {
        return Err(Error::Invalid(format!(
            "{} has no cards, so nothing was imported; an empty file would retire every card of an installed deck",
            file.display()
        )));
    }
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

    let _lock = lock_decks(ctx, options.dry_run)?;
    let old = installed(ctx, &new.id)?;
    if text_id.is_some() && old != seen {
        // Another writer changed the deck meanwhile: match ids against what is there now.
        (new, ids_given, _) = read_new(old.as_ref())?;
    }

    let reported = install_locked(ctx, options, new, old, &warnings, ids_given)?;
    match options.json {
        true => emit(out, &reported.for_output(true)),
        false => emit(out, &super::fit(ctx, &reported.text)),
    }
}

/// What installing one deck did, as text and as JSON.
pub(crate) struct Reported {
    /// The summary for a person.
    pub text: String,
    /// The same for `--json`.
    pub json: serde_json::Value,
}

impl Reported {
    /// The text, or the JSON when `json` is asked for.
    pub fn for_output(&self, json: bool) -> String {
        if json {
            super::to_json(&self.json)
        } else {
            self.text.clone()
        }
    }
}

/// Installs `new` over `old` (the installed version, read under the decks lock, which
/// the caller holds unless this is a dry run): the learner's own cards kept, retired
/// cards archived, a mass retirement refused without `--allow-retire`.
pub(crate) fn install_locked(
    ctx: &Context,
    options: &Options,
    new: Deck,
    old: Option<Deck>,
    warnings: &[Problem],
    ids_given: bool,
) -> Result<Reported> {
    let path = user_deck_path(&ctx.data, &new.id);
    let mut archive = ctx.data.read_archive(&new.id)?;
    let (new, changes, retired) = match &old {
        Some(old) => {
            let merged = crate::update::merge(old, new, &archive.own);
            (merged.deck, Some(merged.changes), merged.retired)
        }
        None => (new, None, Vec::new()),
    };
    // Why this update needs --allow-retire, if it does and was not given. A dry run only
    // says so: it is how a coach looks before deciding.
    let needs_consent = match (&old, &changes) {
        (Some(old), Some(changes)) if !options.allow_retire => {
            crate::update::retire_guard(old, changes)
        }
        _ => None,
    };
    if let (Some(why), Some(changes), false) = (&needs_consent, &changes, options.dry_run) {
        return Err(Error::Invalid(format!(
            "deck {} was not updated: {why} ({}). If that is what you want, import again with --allow-retire; retired cards keep their text and history",
            new.id,
            retired_list(&changes.retired)
        )));
    }
    let same = old.as_ref() == Some(&new);
    // Written before it is reported, so that what is printed has happened; the archive
    // first, so that no retired card's text is ever only in memory.
    if !same && !options.dry_run {
        // Over the size limit is refused before anything is written, the archive included.
        let text = new.to_json_within_limit().map_err(|problem| {
            Error::Invalid(format!("deck {} was not imported: {problem}", new.id))
        })?;
        archive.retire(&retired);
        archive.forget_returned(new.cards.iter().map(|c| &c.id));
        ctx.data.write_archive(&new.id, &archive)?;
        write_atomic(&path, text.as_bytes())?;
    }
    let json = {
        let report = ReportJson {
            deck: new.id.as_str(),
            path: path.display().to_string(),
            result: match (&changes, same) {
                (_, true) => "unchanged",
                (Some(_), false) => "updated",
                (None, false) => "installed",
            },
            dry_run: options.dry_run,
            needs_allow_retire: needs_consent.as_deref(),
            cards: new.cards.len(),
            version_before: old.as_ref().and_then(|d| d.version.as_deref()),
            version: new.version.as_deref(),
            changes: changes.clone().unwrap_or_else(|| Changes {
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
        serde_json::to_value(&report).unwrap_or_default()
    };
    if same {
        return Ok(Reported {
            text: format!(
                "Deck {} is already this version ({}); nothing was written.\n",
                new.id,
                plural(new.cards.len(), "card")
            ),
            json,
        });
    }
    let mut text = import_summary(&ImportSummary {
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
    if let Some(why) = needs_consent {
        text.push_str(&format!(
            "Without --allow-retire this import will be refused: {why}.\n"
        ));
    }
    if !options.dry_run {
        if let Some(note) = plan_load(ctx, &new, old.as_ref())? {
            text.push_str(&note);
        }
        text.push_str(&format!("Study it now: `prepdeck review {}`.\n", new.id));
    }
    Ok(Reported { text, json })
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
    /// With `--dry-run`: why the import itself would need `--allow-retire`.
    #[serde(skip_serializing_if = "Option::is_none")]
    needs_allow_retire: Option<&'a str>,
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

/// The first few retired ids, for the refusal.
fn retired_list(ids: &[Id]) -> String {
    const SHOWN: usize = 10;
    let mut text = ids
        .iter()
        .take(SHOWN)
        .map(Id::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        text.push_str(&format!(" and {} more", ids.len() - SHOWN));
    }
    format!("would retire: {text}")
}

fn refuse_built_in(id: &Id) -> Result<()> {
    if is_built_in(id.as_str())? {
        return Err(Error::Invalid(format!(
            "{id} is the id of a built-in deck and cannot be replaced; import under another id, e.g. --deck my-{id}"
        )));
    }
    Ok(())
}

/// The decks lock, held from reading the installed version to replacing it, so that two
/// imports (or an import and an `add`) cannot both start from the same old copy; none
/// for a dry run, which writes nothing.
pub(crate) fn lock_decks(ctx: &Context, dry_run: bool) -> Result<Option<WriterLock>> {
    if dry_run {
        return Ok(None);
    }
    ctx.data.create()?;
    let lock = WriterLock::wait(&ctx.data.decks_lock_path())?;
    ctx.data.remove_orphaned_deck_temp_files()?;
    Ok(Some(lock))
}

/// The installed version of deck `id`, if any; a damaged one stops the import.
pub(crate) fn installed(ctx: &Context, id: &Id) -> Result<Option<Deck>> {
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
