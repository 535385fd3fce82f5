//! Text for the coach commands: `check` findings and the `import` summary.

use super::plural;
use super::text::{inline_text, one_line, shell_word};
use crate::deck::{Id, Problem};
use crate::source::FileCheck;
use crate::update::Changes;

/// One line per finding (`FILE: place: error|warning: message`), then a summary line
/// per file, then a total when several files were checked.
pub fn check_report(files: &[FileCheck]) -> String {
    let mut out = String::new();
    for file in files {
        let name = one_line(&file.file);
        for problem in &file.problems {
            out.push_str(&format!("{name}: {}\n", one_line(&problem.to_string())));
        }
        let verdict = if file.errors == 0 { "ok" } else { "not usable" };
        let cards = file
            .cards
            .map_or_else(String::new, |n| format!("{}, ", plural(n, "card")));
        out.push_str(&format!(
            "{name}: {verdict} ({cards}{}, {})\n",
            plural(file.errors, "error"),
            plural(file.warnings, "warning")
        ));
    }
    if files.len() > 1 {
        let failed = files.iter().filter(|f| f.errors > 0).count();
        out.push_str(&format!(
            "{} checked, {failed} with errors\n",
            plural(files.len(), "file")
        ));
    }
    out
}

/// How many card ids each list of the `import` summary shows, and how many warnings
/// `import` prints: a 9,000-card update listed every id and printed some 60 KB.
/// `import --json` and `check` give everything.
pub const LIST_LIMIT: usize = 20;

/// A warning about deck file `file` for a `prepdeck: warning:` line: `FILE: place:
/// message`, the severity left to the prefix (`check`, whose lines carry no prefix,
/// prints the problem itself).
pub fn warning_line(file: &str, problem: &Problem) -> String {
    format!("{}: {}: {}", one_line(file), problem.place, problem.message)
}

/// The `prepdeck: warning:` lines `import` prints about `file`: the first
/// [`LIST_LIMIT`] warnings, then how many more there are and where to see them.
pub fn import_warnings(file: &str, warnings: &[Problem]) -> Vec<String> {
    let mut lines: Vec<String> = warnings
        .iter()
        .take(LIST_LIMIT)
        .map(|p| warning_line(file, p))
        .collect();
    if warnings.len() > LIST_LIMIT {
        let more = warnings.len() - LIST_LIMIT;
        lines.push(format!(
            "{}: and {more} more; `prepdeck check {}` lists every warning",
            one_line(file),
            shell_word(file)
        ));
    }
    lines
}

/// What `import` says about the deck it installs or updates.
pub struct ImportSummary<'a> {
    /// The deck id.
    pub deck: &'a Id,
    /// Where the deck file is (or would be) written.
    pub path: &'a str,
    /// Cards in the new version.
    pub cards: usize,
    /// Version strings before and after, when the deck has them.
    pub versions: (Option<&'a str>, Option<&'a str>),
    /// `None` for a first install.
    pub changes: Option<&'a Changes>,
    /// Nothing is written.
    pub dry_run: bool,
    /// The card ids came from the file rather than from the fronts.
    pub ids_given: bool,
}

/// The first [`LIST_LIMIT`] ids, comma-separated, then how many more there are.
fn id_list(ids: &[Id]) -> String {
    let shown: Vec<&str> = ids.iter().take(LIST_LIMIT).map(Id::as_str).collect();
    let mut text = shown.join(", ");
    if ids.len() > LIST_LIMIT {
        text.push_str(&format!(", and {} more", ids.len() - LIST_LIMIT));
    }
    text
}

/// The summary: for an update, card ids by what happens to them.
pub fn import_summary(s: &ImportSummary<'_>) -> String {
    let path = one_line(s.path);
    let would = if s.dry_run { "would be " } else { "" };
    let Some(changes) = s.changes else {
        let mut out = format!(
            "Deck {} {would}installed: {} ({path}).\n",
            s.deck,
            plural(s.cards, "card")
        );
        if s.dry_run {
            out.push_str("Dry run: nothing was written.\n");
        }
        return out;
    };
    let version = match s.versions {
        (Some(old), Some(new)) if old != new => {
            format!(", version {} → {}", inline_text(old), inline_text(new))
        }
        (None, Some(new)) => format!(", version {}", inline_text(new)),
        _ => String::new(),
    };
    let mut out = format!(
        "Deck {} {would}updated{version} ({path}): {} added, {} re-worded, {} retired, {} unchanged{}.\n",
        s.deck,
        changes.added.len(),
        changes.reworded.len(),
        changes.retired.len(),
        changes.unchanged.len(),
        if changes.kept.is_empty() {
            String::new()
        } else {
            format!(", {} kept as your own", changes.kept.len())
        }
    );
    let lists = [
        ("added", &changes.added),
        ("re-worded", &changes.reworded),
        ("retired", &changes.retired),
        ("unchanged", &changes.unchanged),
        ("kept: your own cards", &changes.kept),
    ];
    for (label, ids) in lists {
        if !ids.is_empty() {
            out.push_str(&format!("  {label:<10} {}\n", id_list(ids)));
        }
    }
    if lists.iter().any(|(_, ids)| ids.len() > LIST_LIMIT) {
        out.push_str(&format!(
            "Lists show their first {LIST_LIMIT} ids; `--dry-run --json` prints every id before an import.\n"
        ));
    }
    out.push_str(
        "Progress is kept by card id: re-worded cards keep their schedule; retired cards leave review and stats but keep their history, which comes back if a later version has them again.\n",
    );
    if !changes.retired.is_empty() {
        out.push_str(&format!(
            "Retired cards keep their text: `prepdeck card restore {}/CARD` brings one back.\n",
            s.deck
        ));
    }
    if !s.ids_given && !changes.added.is_empty() && !changes.retired.is_empty() {
        out.push_str(
            "Note: this file has no id or guid column, so cards are matched by their fronts: a front re-worded a little keeps its card only while its back is unchanged; otherwise it counts as a retired card plus an added one. Give the file an id column to keep progress across re-wordings (see docs/deck-format.md).\n",
        );
    }
    if s.dry_run {
        out.push_str("Dry run: nothing was written.\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Place;

    fn id(s: &str) -> Id {
        Id::parse(s).unwrap()
    }

    #[test]
    fn check_report_has_a_line_per_finding_and_a_summary() {
        let files = [FileCheck {
            file: "bad\u{1b}.json".into(),
            format: Some("json"),
            cards: None,
            errors: 1,
            warnings: 0,
            problems: vec![Problem::error(
                Place::Card {
                    index: 2,
                    id: "x".into(),
                },
                "back is empty",
            )],
        }];
        assert_eq!(
            check_report(&files),
            "bad\\u{1b}.json: card 2 (\"x\"): error: back is empty\nbad\\u{1b}.json: not usable (1 error, 0 warnings)\n"
        );
    }

    #[test]
    fn a_warning_line_names_file_and_place_and_leaves_the_severity_to_its_prefix() {
        let problem = Problem::warning(
            Place::Line {
                line: 3,
                id: "q1".into(),
            },
            "the card has no tags",
        );
        assert_eq!(
            warning_line("semi2.txt", &problem),
            "semi2.txt: line 3 (card \"q1\"): the card has no tags"
        );
    }

    #[test]
    fn long_lists_and_many_warnings_are_cut_with_a_count_and_where_to_see_all() {
        let many = |prefix: &str, n: usize| -> Vec<Id> {
            (1..=n).map(|i| id(&format!("{prefix}{i}"))).collect()
        };
        let changes = Changes {
            added: many("a", LIST_LIMIT + 1),
            reworded: many("r", LIST_LIMIT),
            retired: many("x", 9000),
            unchanged: Vec::new(),
            kept: Vec::new(),
        };
        let deck = id("big");
        let text = import_summary(&ImportSummary {
            deck: &deck,
            path: "/d/decks/big.json",
            cards: 9000,
            versions: (None, None),
            changes: Some(&changes),
            dry_run: false,
            ids_given: true,
        });
        let line = |label: &str| {
            text.lines()
                .find(|l| l.trim_start().starts_with(label))
                .unwrap_or_else(|| panic!("no {label} line in {text}"))
                .to_owned()
        };
        assert!(line("added").ends_with(", a20, and 1 more"), "{text}");
        assert!(line("re-worded").ends_with(", r20"), "{text}");
        assert!(line("retired").ends_with(", x20, and 8980 more"), "{text}");
        assert!(
            text.contains("`--dry-run --json` prints every id"),
            "{text}"
        );
        assert!(text.len() < 2000, "{} bytes", text.len());

        let warnings: Vec<Problem> = (1..=LIST_LIMIT + 3)
            .map(|line| {
                Problem::warning(
                    Place::Line {
                        line,
                        id: "c".into(),
                    },
                    "the card has no tags",
                )
            })
            .collect();
        let lines = import_warnings("my cards.tsv", &warnings);
        assert_eq!(lines.len(), LIST_LIMIT + 1);
        assert_eq!(
            lines[LIST_LIMIT],
            "my cards.tsv: and 3 more; `prepdeck check 'my cards.tsv'` lists every warning"
        );
        assert_eq!(
            import_warnings("a.tsv", &warnings[..LIST_LIMIT]).len(),
            LIST_LIMIT
        );
        assert_eq!(shell_word("decks/v2.tsv"), "decks/v2.tsv");
        assert_eq!(shell_word("it's.tsv"), r"'it'\''s.tsv'");
    }

    #[test]
    fn an_update_lists_card_ids_by_change() {
        let changes = Changes {
            added: vec![id("e"), id("f")],
            reworded: vec![id("b")],
            retired: vec![id("c")],
            unchanged: vec![id("a")],
            kept: vec![id("mine")],
        };
        let deck = id("demo");
        let text = import_summary(&ImportSummary {
            deck: &deck,
            path: "/d/decks/demo.json",
            cards: 4,
            versions: (Some("1.0"), Some("1.1")),
            changes: Some(&changes),
            dry_run: true,
            ids_given: true,
        });
        assert!(text.starts_with("Deck demo would be updated, version 1.0 → 1.1 (/d/decks/demo.json): 2 added, 1 re-worded, 1 retired, 1 unchanged, 1 kept as your own.\n"), "{text}");
        assert!(text.contains("  added      e, f\n"), "{text}");
        assert!(text.contains("  retired    c\n"), "{text}");
        assert!(text.contains("  kept: your own cards mine\n"), "{text}");
        assert!(text.ends_with("Dry run: nothing was written.\n"), "{text}");
    }
}
