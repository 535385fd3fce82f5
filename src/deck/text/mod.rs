//! Text decks: tab-, semicolon- or comma-separated files as spreadsheets write them and as Anki's
//! "Notes in Plain Text" export writes them (see docs/deck-format.md, "Text formats").
//!
//! Reading goes through the same validation as JSON decks (`deck::build_naming`), so
//! `check` and `import` report the same problems, placed by line instead of card index.

use crate::deck::{self, Deck, DeckError, Id, Parsed, Place, Problem, RawDeck};
use std::collections::HashMap;
use std::path::Path;

mod checked;
mod header;
pub mod html;
mod matching;
mod rows;
mod scan;
mod write;

use checked::*;
use header::*;
use rows::*;
pub use write::{to_csv, to_tsv};

use matching::Row;

use html::text_to_html;

/// The two kinds of deck file prepdeck reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A prepdeck JSON deck.
    Json,
    /// Tab-, semicolon- or comma-separated text (and the other separators Anki names).
    Text,
}

impl Format {
    /// `json` or `text`, as shown.
    pub fn label(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Text => "text",
        }
    }
}

/// The format of the file at `path` holding `bytes`: by extension, else by content
/// (a JSON deck starts with `{`).
pub fn detect(path: &Path, bytes: &[u8]) -> Format {
    match extension(path).as_deref() {
        Some("json") => Format::Json,
        Some("csv" | "tsv" | "tab" | "txt") => Format::Text,
        _ => {
            let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
            match body.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') => Format::Json,
                _ => Format::Text,
            }
        }
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// A deck id made from a file name: the name without its extension, made into an id
/// by [`deck::slug`] (`My Stories.tsv` → `my-stories`, `Ünïcödé Déck.tsv` →
/// `unicode-deck-f6972834`). Hidden names, names without a letter or digit that can be
/// written in ASCII and names that give a Windows device name (`con.txt`) are refused;
/// the message says to pass `--deck`.
pub fn deck_id_from_file_name(path: &Path) -> Result<Id, String> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let shown = crate::render::text::one_line(&crate::render::text::truncate(name, 40));
    if name.starts_with('.') {
        return Err(format!(
            "the file name {shown:?} is hidden (starts with '.'); pass --deck ID to name the deck"
        ));
    }
    let stem = path.file_stem().and_then(|n| n.to_str()).unwrap_or("");
    if !deck::has_slug_words(stem) {
        return Err(format!(
            "cannot make a deck id from the file name {shown:?}; pass --deck ID (lowercase letters, digits and '-')"
        ));
    }
    let id = deck::slug(stem, |_| false);
    Id::parse_deck(id.as_str()).map_err(|why| {
        format!("{why}; the id comes from the file name {shown:?}, so pass the id you choose as --deck ID")
    })
}

/// What a text file does not say about its deck, and the installed version when updating.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    /// The deck id.
    pub id: Id,
    /// Title unless the file has a `#deck:` line.
    pub title: String,
    /// Description.
    pub description: String,
    /// Author, kept from an installed version.
    pub author: Option<String>,
    /// Version, kept from an installed version.
    pub version: Option<String>,
    /// The installed deck: a row without an id keeps the id of the card with the same front.
    pub existing: Option<&'a Deck>,
}

/// A text deck read and validated.
#[derive(Debug, Clone)]
pub struct TextParsed {
    /// The deck and its warnings.
    pub parsed: Parsed,
    /// True when cards are known by the file (an id column, or a guid column of
    /// Anki's or prepdeck's) rather than by their fronts.
    pub ids_given: bool,
    /// Rows left out because prepdeck cannot use them (also among the warnings, each
    /// at its line); `import --strict` refuses a file with any.
    pub skipped: usize,
}

/// The file's text: within the size limit, UTF-8, without a byte-order mark.
fn decode(bytes: &[u8]) -> Result<&str, Problem> {
    if bytes.len() as u64 > deck::MAX_DECK_BYTES {
        return Err(Problem::error(
            Place::File,
            format!(
                "the file is larger than the {} MiB limit; split it into smaller decks",
                deck::MAX_DECK_BYTES / (1024 * 1024)
            ),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = deck::line_column(&bytes[..e.valid_up_to()]);
        Problem::error(
            Place::Position { line, column },
            "the file is not valid UTF-8; save it as UTF-8 (in a spreadsheet: \"CSV UTF-8\")",
        )
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Reads a text deck from `bytes`; `origin` names the file, `extension` (lowercase)
/// breaks ties when the separator is sniffed (comma for `csv`, else tab).
pub fn parse(
    bytes: &[u8],
    origin: &str,
    extension: Option<&str>,
    target: &Target<'_>,
) -> Result<TextParsed, DeckError> {
    let fail = |problems: Vec<Problem>| DeckError {
        origin: origin.to_owned(),
        problems,
        is_file: true,
    };
    let text = decode(bytes).map_err(|problem| fail(vec![problem]))?;

    let mut problems = Vec::new();
    let header = read_header(text, &mut problems);
    let body = &text[header.body_start..];
    let separator = header.separator.unwrap_or_else(|| {
        let preferred = if extension == Some("csv") {
            b','
        } else {
            b'\t'
        };
        scan::sniff(body, preferred, |sep| first_row_names_columns(body, sep))
    });
    // Where a byte offset in the body is, as a place in the file.
    let place_of = |offset: usize| {
        let (line, column) = deck::line_column(&text.as_bytes()[..header.body_start + offset]);
        Place::Position { line, column }
    };

    let mut roles = named_roles(&header, separator, &mut problems);

    let readable = readable_rows(body, separator, &place_of, &mut problems);
    let readable = readable.as_ref();

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(readable.as_bytes());
    let mut rows: Vec<Row> = Vec::new();
    let mut skipped = 0;
    let mut record = csv::StringRecord::new();
    let mut first = true;
    // Columns were named (by `#columns:` or a first row) rather than taken by position.
    let mut named = roles.is_some();
    // The first row with text in an extra column (its place and column number), and
    // how many more rows have some.
    let mut extra: Option<(Place, usize)> = None;
    let mut extra_rows = 0;
    let mut lines_seen = LineCounter::new(readable, header.body_line);
    // The first row whose third column, read as tags by position, reads like a sentence.
    let mut prose_tags: Option<(usize, String)> = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = lines_seen.line_at(e.position().map_or(0, |p| p.byte() as usize));
                problems.push(Problem::error(
                    Place::Position { line, column: 1 },
                    format!("the text cannot be read as CSV: {e}"),
                ));
                break;
            }
        }
        let record_start = record.position().map_or(0, |p| p.byte() as usize);
        let line = lines_seen.line_at(record_start);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // Where field `i` of this record is in the file.
        let cell = |i: usize| {
            let starts = field_starts(&readable[record_start..], separator);
            place_of(record_start + starts.get(i).copied().unwrap_or(0))
        };
        // A file with a guid column was written by an exporter (Anki's or prepdeck's),
        // which never writes a row of names: its first row is a card even if its front
        // and back read "Question" and "Answer".
        if std::mem::take(&mut first) && roles.is_none() && header.guid_column.is_none() {
            let labels: Vec<String> = record.iter().map(str::to_owned).collect();
            if let Some(from_row) = roles_from_labels(&labels) {
                report_unknown_labels(&labels, &from_row, cell, &mut problems);
                let mut from_row = from_row;
                apply_meta_columns(&mut from_row, &header);
                roles = Some(from_row);
                named = true;
                continue; // a header row, not a card
            }
        }
        let roles = roles.get_or_insert_with(|| positional_roles(&header));
        let role_at = |i: usize| roles.get(i).copied().unwrap_or(Role::Extra);
        if let Some(i) =
            (0..record.len()).find(|&i| role_at(i) == Role::Extra && !record[i].trim().is_empty())
        {
            match extra {
                None => extra = Some((cell(i), i + 1)),
                Some(_) => extra_rows += 1,
            }
        }
        let read = record_rows(
            &record,
            line,
            roles,
            &header,
            separator,
            named,
            &mut problems,
        );
        skipped += read.skipped;
        rows.extend(read.rows);
        if let Some(text) = read.prose_tags {
            prose_tags.get_or_insert((line, text));
        }
    }
    column_warnings(extra, extra_rows, prose_tags, named, &header, &mut problems);
    if rows.is_empty() && skipped > 0 {
        // Not one row is usable: the file, not a note, is wrong (most often its separator).
        for problem in &mut problems {
            if let Some(why) = problem.message.strip_prefix("skipped: ") {
                problem.message = why.to_owned();
                problem.severity = deck::Severity::Error;
            }
        }
    }
    let ids_given = rows
        .iter()
        .any(|r| r.given_id.is_some() || r.guid.is_some());
    let cards = matching::assign_ids(&rows, target.existing);
    let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
    let raw = RawDeck {
        format_version: u64::from(deck::FORMAT_VERSION),
        id: target.id.to_string(),
        title: header.title.clone().unwrap_or_else(|| target.title.clone()),
        description: target.description.clone(),
        author: target.author.clone(),
        version: target.version.clone(),
        cards,
    };
    let has_errors = problems.iter().any(|p| p.severity == deck::Severity::Error);
    let (deck, found) = checked(raw, lines, origin, &mut skipped, &mut problems);
    problems.extend(found);
    // Stable: problems on the same line keep the order they were found in.
    problems.sort_by_key(|p| match p.place {
        Place::Line { line, .. } | Place::Position { line, .. } => line,
        _ => 0,
    });
    match deck {
        Some(deck) if !has_errors => Ok(TextParsed {
            parsed: Parsed {
                deck,
                warnings: problems,
            },
            ids_given,
            skipped,
        }),
        _ => Err(fail(problems)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target<'static> {
        Target {
            id: Id::parse("demo").unwrap(),
            title: "Demo".into(),
            description: String::new(),
            author: None,
            version: None,
            existing: None,
        }
    }

    fn read(text: &str, ext: Option<&str>) -> Result<TextParsed, DeckError> {
        parse(text.as_bytes(), "demo.txt", ext, &target())
    }

    #[test]
    fn a_third_column_that_reads_like_a_sentence_is_still_tags_but_said() {
        let parsed = read(
            "Q?\tA.\tstar\nQ2?\tB.\tSee the coach's notes, week 2.\n",
            None,
        )
        .unwrap()
        .parsed;
        assert_eq!(parsed.deck.cards[0].tags, ["star"]);
        let said: Vec<String> = parsed.warnings.iter().map(|p| p.to_string()).collect();
        assert!(
            said.iter()
                .any(|w| w.starts_with("line 2, column 1: warning: column 3 is read as tags")),
            "{said:?}"
        );
        let quiet = read("Q?\tA.\tstar core\n", None).unwrap().parsed;
        assert!(quiet.warnings.is_empty(), "{:?}", quiet.warnings);
    }

    #[test]
    fn only_a_file_that_starts_as_anki_writes_one_loses_positional_tags() {
        let anki = read("#separator:tab\n#html:false\nQ?\tA.\tSource\n", None)
            .unwrap()
            .parsed;
        assert!(anki.deck.cards[0].tags.is_empty());
        assert!(anki
            .warnings
            .iter()
            .any(|w| w.message.contains("third field")));
        let by_hand = read("#html:false\nQ?\tA.\tstar\n", None).unwrap().parsed;
        assert_eq!(by_hand.deck.cards[0].tags, ["star"]);
    }

    #[test]
    fn tab_separated_rows_become_cards_with_slug_ids_and_tags() {
        let parsed = read(
            "What is STAR?\tSituation, Task, Action, Result\tstar basics\n",
            None,
        )
        .unwrap()
        .parsed;
        let card = &parsed.deck.cards[0];
        assert_eq!(card.id.as_str(), "what-is-star");
        assert_eq!(card.back, "Situation, Task, Action, Result");
        assert_eq!(card.tags, ["star", "basics"]);
    }

    #[test]
    fn anki_headers_set_separator_html_and_tags_column() {
        let text = "#separator:Comma\n#html:true\n#tags column:1\ntip,Stay <b>calm</b>,Breathe<br>then &amp; listen\n";
        let card = &read(text, None).unwrap().parsed.deck.cards[0];
        assert_eq!(card.tags, ["tip"]);
        assert_eq!(card.front, "Stay calm");
        assert_eq!(card.back, "Breathe\nthen & listen");
    }

    #[test]
    fn quoted_fields_keep_separators_and_newlines() {
        let text = "\"Front, with comma\",\"Back\nsecond line\"\n";
        let card = &read(text, Some("csv")).unwrap().parsed.deck.cards[0];
        assert_eq!(card.front, "Front, with comma");
        assert_eq!(card.back, "Back\nsecond line");
    }

    #[test]
    fn a_header_row_names_the_columns_including_ids() {
        let text = "id,front,back,tags\nstar,What is STAR?,S T A R,star\n";
        let parsed = read(text, Some("csv")).unwrap();
        assert!(parsed.ids_given);
        assert_eq!(parsed.parsed.deck.cards.len(), 1);
        assert_eq!(parsed.parsed.deck.cards[0].id.as_str(), "star");
    }

    #[test]
    fn problems_are_placed_by_line() {
        let text =
            "#separator:tab\n# a comment\nQ1\tA1\tt\n\nQ2\n\"Q3\nstill Q3\"\t\tt\n# mid\n\nQ4\n";
        let read = read(text, None).unwrap();
        assert_eq!(read.skipped, 4);
        assert_eq!(read.parsed.deck.cards.len(), 1);
        let skipped: Vec<String> = read
            .parsed
            .warnings
            .iter()
            .filter(|p| p.message.starts_with("skipped: "))
            .map(ToString::to_string)
            .collect();
        assert_eq!(skipped.len(), 4, "{skipped:?}");
        assert!(
            skipped[0].starts_with("line 5 (card \"q2\"): warning: skipped: the line has 1 column"),
            "{skipped:?}"
        );
        assert!(
            skipped[1]
                .starts_with("line 6 (card \"q3-still-q3\"): warning: skipped: back is empty"),
            "{skipped:?}"
        );
        // Below the first row a `#` line is a row: "# mid" has no back.
        assert!(
            skipped[2].starts_with("line 8 (card \"mid\")"),
            "{skipped:?}"
        );
        assert!(
            skipped[3].starts_with("line 10 (card \"q4\")"),
            "{skipped:?}"
        );
    }

    #[test]
    fn a_file_with_no_usable_row_is_an_error_not_a_skip() {
        let found = read("#separator:tab\nQ1,A1\nQ2,A2\n", None)
            .unwrap_err()
            .problems;
        let errors: Vec<&Problem> = found
            .iter()
            .filter(|p| p.severity == deck::Severity::Error)
            .collect();
        assert_eq!(errors.len(), 2, "{found:?}");
        assert!(
            errors[0].message.starts_with("the line has 1 column"),
            "{found:?}"
        );
        assert!(!found.iter().any(|p| p.message.starts_with("skipped: ")));
    }

    #[test]
    fn a_cloze_row_is_a_card_per_deletion_and_sounds_are_removed() {
        let text = "#separator:tab\n#html:true\nSTAR: {{c1::Situation}}, {{c2::Task::T}} [sound:x.mp3]\tSay it aloud\tstar\n";
        let read = read(text, None).unwrap();
        let cards = &read.parsed.deck.cards;
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].front, "STAR: [...], Task");
        assert_eq!(cards[1].front, "STAR: Situation, [T]");
        assert_eq!(cards[0].back, "STAR: Situation, Task\nSay it aloud");
        assert!(read
            .parsed
            .warnings
            .iter()
            .any(|p| p.message.contains("[sound:…] removed")));
    }

    #[test]
    fn an_unknown_separator_is_an_error_at_its_line() {
        let found = read("#separator:weird\nQ\tA\n", None).unwrap_err().problems;
        assert_eq!(
            found[0].place,
            Place::Position {
                line: 1,
                column: 12
            }
        );
    }

    #[test]
    fn rows_without_ids_keep_the_installed_id_of_the_same_front() {
        let installed = crate::deck::parse(
            br#"{"format_version":1,"id":"demo","title":"D","description":"","cards":[{"id":"star","front":"What is STAR?","back":"x","tags":["t"]}]}"#,
            "demo.json",
        )
        .unwrap()
        .deck;
        let target = Target {
            existing: Some(&installed),
            ..target()
        };
        let parsed = parse(b"what is star\tnew back\tt\n", "demo.tsv", None, &target).unwrap();
        assert_eq!(parsed.parsed.deck.cards[0].id.as_str(), "star");
    }

    #[test]
    fn a_new_row_never_takes_the_id_an_unchanged_row_keeps() {
        let installed = crate::deck::parse(
            br#"{"format_version":1,"id":"demo","title":"D","description":"","cards":[{"id":"star","front":"What is STAR?","back":"x","tags":["t"]}]}"#,
            "demo.json",
        )
        .unwrap()
        .deck;
        let target = Target {
            existing: Some(&installed),
            ..target()
        };
        let parsed = parse(
            b"Star\tnew card\tt\nWhat is STAR?\tx\tt\n",
            "demo.tsv",
            None,
            &target,
        )
        .unwrap();
        let ids: Vec<&str> = parsed
            .parsed
            .deck
            .cards
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["star-2", "star"]);
    }

    #[test]
    fn an_exported_first_card_that_reads_like_column_names_stays_a_card() {
        let json = r#"{"format_version":1,"id":"demo","title":"Demo","description":"","cards":[
            {"id":"q","front":"Question","back":"Answer","tags":["x"]}]}"#;
        let deck = crate::deck::parse(json.as_bytes(), "demo.json")
            .unwrap()
            .deck;
        let back = parse(to_tsv(&deck).as_bytes(), "demo.tsv", Some("tsv"), &target()).unwrap();
        assert_eq!(back.parsed.deck.cards, deck.cards);
        // Without the guid column the same row names the columns.
        let found = read("Question\tAnswer\nQ\tA\tt\n", None).unwrap();
        assert_eq!(found.parsed.deck.cards.len(), 1);
    }

    #[test]
    fn columns_header_and_global_tags_are_understood() {
        let text = "#separator:pipe\n#columns:Answer|Id|Question\n#tags:coach\nB1|my-id|Q1\n";
        let parsed = read(text, None).unwrap();
        let card = &parsed.parsed.deck.cards[0];
        assert_eq!(
            (card.id.as_str(), card.front.as_str(), card.back.as_str()),
            ("my-id", "Q1", "B1")
        );
        assert_eq!(card.tags, ["coach"]);
    }

    #[test]
    fn a_historic_tags_first_line_is_skipped_and_lines_still_count() {
        let read = read("tags:x\nQ1\tA1\nQ2\n", None).unwrap();
        let skip = &read.parsed.warnings[0];
        assert!(skip.message.starts_with("skipped: "), "{skip}");
        assert!(matches!(skip.place, Place::Line { line: 3, .. }), "{skip}");
        assert_eq!(read.parsed.deck.cards[0].tags, ["x"]);
    }

    proptest::proptest! {
        #[test]
        fn reading_any_text_never_panics(text in "[\\PC\t\n\r\",;|#<>&]{0,300}") {
            let _ = read(&text, None);
            let _ = read(&text, Some("csv"));
        }

        #[test]
        fn any_deck_survives_a_tsv_round_trip(
            sides in proptest::collection::vec(
                ("[a-zA-Z0-9#\"<>&;,|\t\n é]{1,40}", "[a-zA-Z0-9#\"<>&;,|\t\n é]{1,40}", "[a-z:]{1,8}"),
                1..6,
            )
        ) {
            let cards: Vec<serde_json::Value> = sides
                .iter()
                .enumerate()
                .filter(|(_, (f, b, _))| !f.trim().is_empty() && !b.trim().is_empty())
                .map(|(i, (f, b, t))| serde_json::json!({"id": format!("c{i}"), "front": f, "back": b, "tags": [t]}))
                .collect();
            let json = serde_json::json!({"format_version": 1, "id": "demo", "title": "T", "description": "", "cards": cards});
            let deck = crate::deck::parse(json.to_string().as_bytes(), "demo.json").unwrap().deck;
            let back = parse(to_tsv(&deck).as_bytes(), "demo.tsv", Some("tsv"), &target()).unwrap();
            proptest::prop_assert_eq!(back.parsed.deck.cards, deck.cards);
        }

        #[test]
        fn reading_any_bytes_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = parse(&bytes, "x.txt", None, &target());
        }
    }

    #[test]
    fn tsv_export_reads_back_identically() {
        let json = r##"{"format_version":1,"id":"demo","title":"Demo deck","description":"","cards":[
            {"id":"a","front":"#1 rule: <listen> & \"wait\"","back":"line one\nline\ttwo &amp;","tags":["x","y"]},
            {"id":"b","front":"Q","back":"A","tags":["t"]}]}"##;
        let deck = crate::deck::parse(json.as_bytes(), "demo.json")
            .unwrap()
            .deck;
        let tsv = to_tsv(&deck);
        assert!(tsv.starts_with(
            "#separator:tab\n#html:true\n#notetype:Basic\n#deck:Demo deck\n#tags column:3\n"
        ));
        let back = parse(tsv.as_bytes(), "demo.tsv", Some("tsv"), &target()).unwrap();
        assert!(back.ids_given);
        assert_eq!(back.parsed.deck.cards, deck.cards);
        assert_eq!(back.parsed.deck.title, "Demo deck");
    }

    #[test]
    fn deck_ids_from_file_names_are_slugged_and_hidden_names_refused() {
        assert_eq!(
            deck_id_from_file_name(Path::new("/x/My Stories.tsv"))
                .unwrap()
                .as_str(),
            "my-stories"
        );
        assert!(deck_id_from_file_name(Path::new(".hidden.tsv")).is_err());
        assert!(deck_id_from_file_name(Path::new("¿¡.csv")).is_err());
        let why = deck_id_from_file_name(Path::new("/x/CON.txt")).unwrap_err();
        assert!(
            why.contains("device name on Windows") && why.contains("--deck"),
            "{why}"
        );
    }

    #[test]
    fn accented_file_names_become_readable_ids() {
        let id = deck_id_from_file_name(Path::new("Ünïcödé Déck.tsv")).unwrap();
        assert_eq!(id.as_str(), "unicode-deck-f6972834");
        // As macOS stores the same name: letters followed by combining accents.
        let decomposed = "U\u{308}ni\u{308}co\u{308}de\u{301} De\u{301}ck.tsv";
        assert_eq!(deck_id_from_file_name(Path::new(decomposed)).unwrap(), id);
    }
}
