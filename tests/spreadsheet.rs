//! `export --format csv` opened in a real spreadsheet, LibreOffice
//! Calc, saved again as CSV and imported back: same card ids, same text, and progress kept.
//!
//! LibreOffice runs headless (`soffice --convert-to`), loading the file with the CSV
//! import options of its dialog and saving it as its File → Save As → CSV does. `.ci/run`
//! installs it (Debian's `libreoffice-calc-nogui`) when it is missing. Without it the
//! test says so and passes, except under CI (`CI=true`), where a missing LibreOffice is a
//! failure unless `.ci/run` could not install one (it then sets `PREPDECK_NO_SPREADSHEET`
//! to the reason). `PREPDECK_SOFFICE=/path/to/soffice` picks another one.

mod common;

use common::{Env, NOW};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

fn soffice() -> Result<PathBuf, String> {
    if let Some(given) = std::env::var_os("PREPDECK_SOFFICE").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(given));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["soffice", "libreoffice"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err("no LibreOffice found in PATH (soffice, libreoffice)".into())
}

/// LibreOffice, or `None` when the test is to be skipped (said on standard output).
fn spreadsheet() -> Option<PathBuf> {
    match soffice() {
        Ok(found) => Some(found),
        Err(why) => {
            if let Ok(reason) = std::env::var("PREPDECK_NO_SPREADSHEET") {
                println!("SKIPPED: needs LibreOffice and none could be installed ({reason}).");
                return None;
            }
            let ci = std::env::var("CI").is_ok_and(|v| v == "true");
            assert!(!ci, "{why}; .ci/run should have installed LibreOffice");
            println!("SKIPPED: {why}. Install it (`sudo apt-get install libreoffice-calc-nogui`).");
            None
        }
    }
}

/// Opens `file` in LibreOffice with the CSV import `options` (its dialog's, as a filter
/// string: separator, quote, UTF-8, first line, column types, language, "format quoted
/// field as text", "detect special numbers") and saves it as `to` (a filter) into `out`.
/// A workbook (`options` `None`) is opened as it is.
fn convert(
    soffice: &Path,
    env: &Env,
    file: &Path,
    options: Option<&str>,
    to: &str,
    out: &Path,
) -> PathBuf {
    let profile = env.path("lo-profile");
    let mut command = Command::new(soffice);
    command
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore"]);
    if let Some(options) = options {
        command.arg(format!("--infilter=Text - txt - csv (StarCalc):{options}"));
    }
    let output = command
        .args(["--convert-to", to, "--outdir"])
        .arg(out)
        .arg(file)
        .env("HOME", env.path("lo-home"))
        .output()
        .expect("run soffice");
    assert!(
        output.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stem = file.file_stem().unwrap().to_str().unwrap();
    let extension = to.split(':').next().unwrap();
    let written = out.join(format!("{stem}.{extension}"));
    assert!(written.is_file(), "soffice wrote no {}", written.display());
    written
}

/// Cards whose text a spreadsheet is known to treat specially (quotes, separators,
/// newlines, tabs, a leading `#`, `-` or `+`, spaces around, non-Latin scripts) and, in
/// the `numbers` set, text a spreadsheet would read as a number, a date or a percentage.
fn deck(numbers: bool) -> Value {
    let mut cards = vec![
        json!({"id": "quotes", "front": "She said \"no\", twice; why?", "back": "Ask what \"no\" means.", "tags": ["tip", "Interview::Customers"]}),
        json!({"id": "lines", "front": "Three steps?", "back": "- Listen\n- Ask\n- Act", "tags": ["step"], "source": "Coach notes, week 2"}),
        json!({"id": "tabbed", "front": "#1 rule?", "back": "Stay\tcalm", "tags": ["core"]}),
        json!({"id": "spaced", "front": "+1 idea?", "back": "  Leading and trailing  ", "tags": ["x"]}),
        json!({"id": "scripts", "front": "Écoute active ? 注意深く聞く", "back": "Ne pas interrompre — 🙂", "tags": ["français"]}),
    ];
    if numbers {
        cards.push(json!({"id": "007", "front": "1/2", "back": "3/4/2024", "tags": ["n"]}));
        cards.push(json!({"id": "percent", "front": "50%", "back": "1e5", "tags": ["n"]}));
        cards.push(json!({"id": "truth", "front": "TRUE", "back": "0123", "tags": ["n"]}));
    }
    json!({"format_version": 1, "id": "coach", "title": "Coach", "description": "", "cards": cards})
}

/// The cards as `cards --json` shows them, without the figures that move with time.
fn texts(env: &Env) -> Vec<Value> {
    env.cards("coach")
        .into_iter()
        .map(|c| json!([c["id"], c["front"], c["back"], c["tags"], c["source"]]))
        .collect()
}

/// Installs `deck`, answers its first card, exports it as CSV, has LibreOffice
/// save it with `options` through `via` (`csv`, or `xlsx` then `csv` as a coach who
/// keeps the deck as a workbook would), imports the result: nothing may change.
fn round_trip(soffice: &Path, deck: &Value, options: &str, via: &str) {
    let env = Env::new();
    let file = env.write("coach.json", &deck.to_string());
    env.ok_at(NOW, &["import", file.to_str().unwrap()], "");
    env.ok_at(NOW, &["review", "coach", "--card", "quotes"], "\n4\nq\n");
    let before = texts(&env);
    let exported = env.path("export/coach.csv");
    std::fs::create_dir_all(exported.parent().unwrap()).unwrap();
    env.ok_at(
        NOW,
        &[
            "export",
            "coach",
            "--format",
            "csv",
            "-o",
            exported.to_str().unwrap(),
        ],
        "",
    );
    let csv = "csv:Text - txt - csv (StarCalc):44,34,76,1";
    let saved = if via == "xlsx" {
        let workbook = convert(
            soffice,
            &env,
            &exported,
            Some(options),
            "xlsx",
            &env.path("xlsx"),
        );
        convert(soffice, &env, &workbook, None, csv, &env.path("saved"))
    } else {
        convert(
            soffice,
            &env,
            &exported,
            Some(options),
            csv,
            &env.path("saved"),
        )
    };
    let saved_text = std::fs::read_to_string(&saved).unwrap();
    let output = env
        .cmd_at(NOW)
        .args(["import", saved.to_str().unwrap(), "--deck", "coach"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}\n{saved_text}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(texts(&env), before, "after LibreOffice:\n{saved_text}");
    let quotes = env
        .cards("coach")
        .into_iter()
        .find(|c| c["id"] == "quotes")
        .unwrap();
    assert_eq!(quotes["reps"], 1, "progress kept");
}

/// The dialog's defaults for a comma-separated UTF-8 file.
const DEFAULTS: &str = "44,34,76,1";
/// The same with "Format quoted field as text" ticked: every cell prepdeck wrote stays text.
const QUOTED_AS_TEXT: &str = "44,34,76,1,,0,true,false";

#[test]
fn a_csv_export_saved_by_libreoffice_imports_back_unchanged() {
    let Some(soffice) = spreadsheet() else { return };
    round_trip(&soffice, &deck(false), DEFAULTS, "csv");
}

#[test]
fn numbers_and_dates_survive_libreoffice_with_quoted_fields_as_text() {
    let Some(soffice) = spreadsheet() else { return };
    round_trip(&soffice, &deck(true), QUOTED_AS_TEXT, "csv");
}

#[test]
fn a_csv_export_kept_as_a_libreoffice_workbook_imports_back_unchanged() {
    let Some(soffice) = spreadsheet() else { return };
    round_trip(&soffice, &deck(true), QUOTED_AS_TEXT, "xlsx");
}
