//! `prepdeck class`: many learners' reports, for a coach, in the terminal, as JSON or as
//! one HTML page.

use super::{emit, Context};
use crate::catalog::Catalog;
use crate::class::{CoachDeck, Loaded};
use crate::error::{Error, Result};
use crate::render::plural;
use crate::render::text::one_line;
use crate::report::MAX_REPORT_BYTES;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// What to read and how to show it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Report files, or directories of them.
    pub reports: Vec<PathBuf>,
    /// Print JSON.
    pub json: bool,
    /// Write the HTML page here.
    pub html: Option<PathBuf>,
}

/// Shows the class; `Ok(false)` when some file was refused (each said why on `err`).
pub fn run(
    ctx: &Context,
    options: &Options,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<bool> {
    let files = report_files(&options.reports)?;
    let read = crate::par::map(&files, |path| read_report(path));
    let mut loaded = Vec::with_capacity(files.len());
    let mut refused = 0usize;
    for (path, result) in files.iter().zip(read) {
        match result {
            Ok(report) => loaded.push(Loaded {
                file: path.display().to_string(),
                report,
            }),
            Err(why) => {
                refused += 1;
                let _ = writeln!(
                    err,
                    "prepdeck: error: {}: refused: {}",
                    one_line(&path.display().to_string()),
                    one_line(&why)
                );
            }
        }
    }
    if loaded.is_empty() {
        return Err(Error::Invalid(format!(
            "none of the {} could be read as a report; each was refused above",
            plural(files.len(), "file")
        )));
    }
    let catalog = Catalog::load(&ctx.data)?;
    super::warn(err, catalog.warnings());
    let coach = coach_decks(&catalog, &loaded, err);
    let today = crate::clock::study_day(ctx.clock.now());
    let class = crate::class::aggregate(&loaded, &coach, today);
    for s in &class.superseded {
        super::warn(
            err,
            [format!(
                "{} is an older report of {} than {}; the newer one is shown",
                s.file, s.name, s.newer
            )],
        );
    }
    if !class.unknown_decks.is_empty() {
        super::warn(
            err,
            [format!(
                "reports cover decks you do not have installed: {}; their cards are shown by id",
                class.unknown_decks.join(", ")
            )],
        );
    }
    match &options.html {
        Some(path) => {
            let page = crate::render::html::class_page(&class);
            // Through a symbolic link, its target, as `export -o` writes.
            let target = super::export::follow_links(path)?;
            crate::store::atomic::write_atomic_shareable(&target, page.as_bytes())?;
            let _ = writeln!(
                err,
                "Wrote the class page for {} to {}.",
                plural(class.learners.len(), "learner"),
                one_line(&path.display().to_string())
            );
        }
        None if options.json => emit(out, &super::to_json(&class))?,
        None => emit(
            out,
            &crate::render::class::view(&class, ctx.style, ctx.width),
        )?,
    }
    Ok(refused == 0)
}

/// The files named, with each directory's `*.json` files (not its subdirectories) in
/// name order.
fn report_files(given: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in given {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let entries = std::fs::read_dir(path).map_err(|e| Error::io("read", path, e))?;
        let mut inside = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("read", path, e))?;
            let name = entry.file_name();
            let name = name.as_encoded_bytes();
            if name.ends_with(b".json") && !name.starts_with(b".") {
                inside.push(entry.path());
            }
        }
        if inside.is_empty() {
            return Err(Error::Invalid(format!(
                "{} has no .json files; give the folder the reports are in, or the report files",
                path.display()
            )));
        }
        inside.sort();
        files.extend(inside);
    }
    Ok(files)
}

/// The report at `path`, or why it is refused, on one line.
fn read_report(path: &Path) -> std::result::Result<crate::report::Report, String> {
    let (file, meta) =
        crate::store::file::open_nonblocking(path, std::fs::OpenOptions::new().read(true))
            .map_err(|e| format!("could not read it: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let too_big = || {
        format!(
            "larger than the {} MiB a report may have",
            MAX_REPORT_BYTES / (1024 * 1024)
        )
    };
    if meta.len() > MAX_REPORT_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_REPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("could not read it: {e}"))?;
    if bytes.len() as u64 > MAX_REPORT_BYTES {
        return Err(too_big());
    }
    crate::report::parse(&bytes)
}

/// The coach's copy of every installed deck the reports cover, in catalog order. A
/// deck whose text cannot be read is shown without fronts, with a warning.
fn coach_decks(catalog: &Catalog, loaded: &[Loaded], err: &mut impl Write) -> Vec<CoachDeck> {
    let reported: std::collections::HashSet<&str> = loaded
        .iter()
        .flat_map(|l| l.report.decks.iter().map(|d| d.id.as_str()))
        .collect();
    let mut decks = Vec::new();
    for entry in &catalog.decks {
        if !reported.contains(entry.id().as_str()) {
            continue;
        }
        match entry.deck() {
            Ok(deck) => decks.push(CoachDeck {
                id: deck.id.to_string(),
                title: deck.title.clone(),
                content_hash: crate::report::content_hash(deck),
                fronts: deck
                    .cards
                    .iter()
                    .map(|c| (c.id.to_string(), c.front.clone()))
                    .collect(),
            }),
            Err(e) => super::warn(err, [format!("deck {}: {e}", entry.id())]),
        }
    }
    decks
}
