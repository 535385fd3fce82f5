//! `prepdeck check`: every problem in deck files, like a linter.

use super::emit;
use crate::deck::{read_bounded, Place, Severity, MAX_DECK_BYTES};
use crate::error::Result;
use crate::source::{self, FileCheck};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

/// What to check.
#[derive(Debug, Clone)]
pub struct Options {
    /// Deck files, JSON or text.
    pub files: Vec<PathBuf>,
    /// JSON instead of lines.
    pub json: bool,
    /// The terminal's width when standard output is one: findings are wrapped to it.
    pub width: Option<usize>,
}

/// One finding in `check --json`.
#[derive(Serialize)]
struct FindingJson<'a> {
    file: &'a str,
    severity: Severity,
    place: &'a Place,
    message: &'a str,
}

/// `check --json`: a summary per file and every finding.
#[derive(Serialize)]
struct ReportJson<'a> {
    files: &'a [FileCheck],
    findings: Vec<FindingJson<'a>>,
}

/// Checks every file and prints the findings; true when no file has errors.
pub fn run(options: &Options, out: &mut impl Write) -> Result<bool> {
    let files: Vec<FileCheck> = options
        .files
        .iter()
        .map(|path| source::check(path, read_bounded(path, MAX_DECK_BYTES)))
        .collect();
    let clean = files.iter().all(|f| f.errors == 0);
    if options.json {
        let findings = files
            .iter()
            .flat_map(|f| {
                f.problems.iter().map(|p| FindingJson {
                    file: &f.file,
                    severity: p.severity,
                    place: &p.place,
                    message: &p.message,
                })
            })
            .collect();
        emit(
            out,
            &super::to_json(&ReportJson {
                files: &files,
                findings,
            }),
        )?;
    } else {
        let report = crate::render::coach::check_report(&files);
        let report = match options.width {
            Some(width) => crate::render::text::wrap_hanging(&report, width),
            None => std::borrow::Cow::Borrowed(report.as_str()),
        };
        emit(out, &report)?;
    }
    Ok(clean)
}
