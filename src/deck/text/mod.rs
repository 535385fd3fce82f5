//! Text decks: tab-, semicolon- or comma-separated files as spreadsheets write them and as Anki's
//! "Notes in Plain Text" export writes them (see docs/deck-format.md, "Text formats").
//!
//! Reading goes through the same validation as JSON decks (`deck::build_naming`), so
//! `check` and `import` report the same problems, placed by line instead of card index.

use crate::deck::{self, Deck, DeckError, Id, Parsed, Place, Problem, RawDeck};
use std::collections::HashMap;
use std::path::Path;

pub mod html;
mod matching;
mod scan;

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

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Front,
    Back,
    Tags,
    Id,
    Guid,
    Source,
    /// Known and not needed: Anki's deck and notetype columns.
    Skip,
    /// Named, by a first row or `#columns:`, with a name prepdeck does not read; the
    /// name was reported once.
    Unknown,
    /// Neither named nor placed: text in it is reported.
    Extra,
}

/// Anki's header lines (`#key:value` at the top of the file).
#[derive(Debug, Default)]
struct Header {
    separator: Option<u8>,
    html: bool,
    /// The file starts as Anki's exporter always starts one, `#separator:` then
    /// `#html:`: a file from Anki has a tags column only where `#tags column:` says, so
    /// its third field is never tags.
    from_anki: bool,
    tags_column: Option<usize>,
    guid_column: Option<usize>,
    meta_columns: Vec<usize>,
    columns: Option<(usize, String)>,
    title: Option<String>,
    global_tags: Vec<String>,
    /// Byte offset where the rows start, after the header lines.
    body_start: usize,
    /// The line the rows start on.
    body_line: usize,
}

const SEPARATORS: &[(&str, u8)] = &[
    ("tab", b'\t'),
    ("comma", b','),
    ("semicolon", b';'),
    ("pipe", b'|'),
    ("colon", b':'),
    ("space", b' '),
];

fn separator_name(byte: u8) -> String {
    SEPARATORS
        .iter()
        .find(|(_, b)| *b == byte)
        .map_or_else(|| format!("'{}'", byte as char), |(n, _)| (*n).to_owned())
}

/// Reads the header lines: a first line `tags:…`, then `#key:value` lines, `#`
/// comments and blank lines, up to the first other line. Only there are `#` lines
/// headers, as in Anki; below, a line starting with `#` is a row like any other.
fn read_header(text: &str, problems: &mut Vec<Problem>) -> Header {
    let mut header = Header {
        body_line: 1,
        ..Header::default()
    };
    let mut offset = 0;
    // A spreadsheet that opened the file and saved it again pads each header line to the
    // table's width with its own separator (`#separator:tab,,,`): the rows now use that
    // separator, whatever the header line says.
    let padding = header_padding(text);
    let mut padded_with: Option<(u8, usize)> = None;
    let mut anki_start = false;
    for (i, raw_line) in text.split_inclusive('\n').enumerate() {
        let line_no = i + 1;
        let line = raw_line.strip_suffix('\n').unwrap_or(raw_line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if i == 0 && line.starts_with("tags:") {
            header.global_tags = line["tags:".len()..]
                .split_whitespace()
                .map(str::to_owned)
                .collect();
        } else if let Some(rest) = line.strip_prefix('#') {
            let rest = match padding {
                Some(byte) if rest.contains(':') => {
                    padded_with.get_or_insert((byte, line_no));
                    strip_padding(rest, byte)
                }
                _ => rest,
            };
            let key = |k: &str| rest.to_ascii_lowercase().starts_with(k);
            if (i == 0 && key("separator:")) || (i == 1 && key("html:") && anki_start) {
                anki_start = true;
                header.from_anki = i == 1;
            }
            if let Some((key, value)) = rest.split_once(':') {
                read_header_line(&mut header, line_no, key, value, problems);
            }
            // Without a colon: a comment.
        } else if !line.trim().is_empty() {
            break;
        }
        offset += raw_line.len();
        header.body_start = offset;
        header.body_line = line_no + 1;
    }
    if let Some((byte, line_no)) = padded_with {
        if header.separator.is_some_and(|declared| declared != byte) {
            problems.push(Problem::warning(
                Place::Position {
                    line: line_no,
                    column: 1,
                },
                format!(
                    "the header lines end in {} padding, as a spreadsheet saves them: the rows are read as {}-separated, not as the #separator line says",
                    separator_name(byte),
                    separator_name(byte)
                ),
            ));
        }
        header.separator = Some(byte);
    }
    header
}

/// The `,`, `;` or tab a spreadsheet padded the header lines with, when every
/// `#key:value` line ends in a run of it that leaves a value behind. A spreadsheet pads
/// them all alike, to the table's width; one line ending in a comma of its own (a
/// `#deck:` title "Calm, then kind,") is not padding.
fn header_padding(text: &str) -> Option<u8> {
    let lines: Vec<&str> = text
        .split('\n')
        .enumerate()
        .take_while(|(i, line)| {
            line.starts_with('#')
                || line.trim().is_empty()
                || (*i == 0 && line.starts_with("tags:"))
        })
        .filter_map(|(_, line)| line.trim_end_matches('\r').strip_prefix('#'))
        .filter(|rest| rest.contains(':'))
        .collect();
    if lines.is_empty() {
        return None;
    }
    [b',', b';', b'\t'].into_iter().find(|&byte| {
        lines
            .iter()
            .all(|rest| strip_padding(rest, byte).len() < rest.len())
    })
}

/// A header line without the run of `byte` a spreadsheet pads it with; unchanged when
/// that would leave no value (`#separator:,` names the comma itself).
fn strip_padding(rest: &str, byte: u8) -> &str {
    let trimmed = rest.trim_end_matches(byte as char);
    let value_left = trimmed
        .split_once(':')
        .is_some_and(|(_, value)| !value.trim().is_empty());
    if value_left {
        trimmed
    } else {
        rest
    }
}

fn read_header_line(
    header: &mut Header,
    line_no: usize,
    key: &str,
    value: &str,
    problems: &mut Vec<Problem>,
) {
    let at = |column: usize| Place::Position {
        line: line_no,
        column,
    };
    let value_column = key.chars().count() + 3;
    let column_number = |problems: &mut Vec<Problem>| match value.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Some(n),
        _ => {
            problems.push(Problem::error(
                at(value_column),
                format!(
                    "#{}: expects a column number from 1, not {:?}",
                    key.trim(),
                    value.trim()
                ),
            ));
            None
        }
    };
    match key.trim().to_ascii_lowercase().as_str() {
        "separator" => {
            let wanted = value.trim().to_ascii_lowercase();
            let found = SEPARATORS
                .iter()
                .find(|(name, byte)| wanted == *name || value.as_bytes() == [*byte])
                .map(|(_, byte)| *byte);
            match found {
                Some(byte) => header.separator = Some(byte),
                None => problems.push(Problem::error(
                    at(value_column),
                    format!(
                        "#separator:{} is not known; use tab, comma, semicolon, pipe, colon or space",
                        value.trim()
                    ),
                )),
            }
        }
        "html" => match value.trim().to_ascii_lowercase().as_str() {
            "true" => header.html = true,
            "false" => header.html = false,
            other => problems.push(Problem::error(
                at(value_column),
                format!("#html: expects true or false, not {other:?}"),
            )),
        },
        "tags column" => header.tags_column = column_number(problems),
        "guid column" => header.guid_column = column_number(problems),
        "notetype column" | "deck column" => {
            header.meta_columns.extend(column_number(problems));
        }
        "columns" => header.columns = Some((line_no, value.to_owned())),
        "deck" => {
            let title = value.trim();
            if !title.is_empty() {
                header.title = Some(title.to_owned());
            }
        }
        "tags" => {
            header.global_tags = value.split_whitespace().map(str::to_owned).collect();
        }
        // Anki's: which notetype, and what to do with notes it already has. prepdeck
        // has one kind of card and updates by id, so they change nothing here.
        "notetype" | "match scope" | "if matches" => {}
        other => problems.push(Problem::warning(
            at(2),
            format!(
                "header line #{}: is not known and was ignored",
                crate::render::text::truncate(other, 40)
            ),
        )),
    }
}

/// The role of a column named `label` in a `#columns:` line or a header row.
fn role_of_label(label: &str) -> Option<Role> {
    match label.trim().to_ascii_lowercase().as_str() {
        "front" | "question" => Some(Role::Front),
        "back" | "answer" => Some(Role::Back),
        "tags" => Some(Role::Tags),
        "id" => Some(Role::Id),
        "guid" => Some(Role::Guid),
        "source" => Some(Role::Source),
        "notetype" | "deck" => Some(Role::Skip),
        _ => None,
    }
}

/// Column roles from labels when they name a front and a back; other names are
/// [`Role::Unknown`].
fn roles_from_labels(labels: &[String]) -> Option<Vec<Role>> {
    let roles: Vec<Role> = labels
        .iter()
        .map(|l| role_of_label(l).unwrap_or(Role::Unknown))
        .collect();
    (roles.contains(&Role::Front) && roles.contains(&Role::Back)).then_some(roles)
}

/// A warning for each label that names no column prepdeck reads; `places` are where
/// the labels are.
fn report_unknown_labels(
    labels: &[String],
    roles: &[Role],
    places: impl Fn(usize) -> Place,
    problems: &mut Vec<Problem>,
) {
    for (i, label) in labels.iter().enumerate() {
        if roles.get(i) == Some(&Role::Unknown) && !label.trim().is_empty() {
            problems.push(Problem::warning(
                places(i),
                format!(
                    "column {} {:?} is ignored; the columns prepdeck reads are front (or question), back (or answer), tags, id and source",
                    i + 1,
                    crate::render::text::truncate(label.trim(), 40)
                ),
            ));
        }
    }
}

/// Roles by position: front, back, then tags, around the columns Anki's header lines
/// place (tags, guid, deck, notetype). Columns past the last role are extra. A file from
/// Anki gets no tags by position: Anki places its tags column by a header line.
fn positional_roles(header: &Header) -> Vec<Role> {
    let placed = |column: usize| {
        if header.tags_column == Some(column) {
            Some(Role::Tags)
        } else if header.guid_column == Some(column) {
            Some(Role::Guid)
        } else if header.meta_columns.contains(&column) {
            Some(Role::Skip)
        } else {
            None
        }
    };
    let last_placed = header
        .tags_column
        .into_iter()
        .chain(header.guid_column)
        .chain(header.meta_columns.iter().copied())
        .max()
        .unwrap_or(0);
    let mut plain = if header.tags_column.is_some() || header.from_anki {
        vec![Role::Front, Role::Back]
    } else {
        vec![Role::Front, Role::Back, Role::Tags]
    }
    .into_iter();
    let mut roles = Vec::new();
    for column in 1.. {
        let role = match placed(column) {
            Some(role) => role,
            None => match plain.next() {
                Some(role) => role,
                None if column <= last_placed => Role::Extra,
                None => break,
            },
        };
        roles.push(role);
    }
    roles
}

/// Anki's header lines placing columns win over names from `#columns:` or a first row.
fn apply_meta_columns(roles: &mut Vec<Role>, header: &Header) {
    let mut set = |column: usize, role: Role| {
        if roles.len() < column {
            roles.resize(column, Role::Extra);
        }
        for r in roles.iter_mut().filter(|r| **r == role) {
            *r = Role::Skip;
        }
        roles[column - 1] = role;
    };
    if let Some(column) = header.tags_column {
        set(column, Role::Tags);
    }
    if let Some(column) = header.guid_column {
        set(column, Role::Guid);
    }
    for &column in &header.meta_columns {
        if roles.len() >= column {
            roles[column - 1] = Role::Skip;
        }
    }
}

/// Offsets of the carriage returns in `text` with no newline right after them.
fn lone_crs(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.match_indices('\r')
        .map(|(at, _)| at)
        .filter(|&at| text.as_bytes().get(at + 1) != Some(&b'\n'))
}

fn first_lone_cr(text: &str) -> Option<usize> {
    lone_crs(text).next()
}

/// `text` with each lone carriage return replaced by a space, byte for byte.
fn without_lone_crs(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for at in lone_crs(text) {
        bytes[at] = b' ';
    }
    // One ASCII byte for another keeps the text UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The fields of the first record of `text` that has any, split by `separator`.
fn first_record(text: &str, separator: u8) -> Option<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes())
        .records()
        .map_while(Result::ok)
        .find(|r| r.iter().any(|f| !f.trim().is_empty()))
}

/// True when the first record of `text`, split by `separator`, names a front and a back.
fn first_row_names_columns(text: &str, separator: u8) -> bool {
    first_record(text, separator).is_some_and(|record| {
        let labels: Vec<String> = record.iter().map(str::to_owned).collect();
        roles_from_labels(&labels).is_some()
    })
}

/// True when `text`, read as space-separated tags, looks like a sentence instead: it has
/// sentence punctuation, or more words than a card's labels usually take.
fn reads_like_text(text: &str) -> bool {
    text.contains(['.', ',', ';', '!', '?', '"']) || text.split_whitespace().count() > 4
}

/// True when `field` holds an Anki cloze deletion (`{{c1::…}}`).
fn is_cloze(field: &str) -> bool {
    field.match_indices("{{c").any(|(i, _)| {
        let rest = &field[i + 3..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0 && rest[digits..].starts_with("::")
    })
}

/// True when a file with these columns holds prepdeck's own text, read as written: it
/// has an id column, which only prepdeck's CSV (and spreadsheets saved from it) have,
/// never Anki's exports. Its `[sound:…]` and `{{c1::…}}` are text, not Anki markup.
fn is_literal(roles: &[Role]) -> bool {
    roles.contains(&Role::Id)
}

/// A field as card text: HTML converted when the file says `#html:true`, and Anki's
/// `[sound:…]` references removed (counted in `sounds`) unless the file is `literal`.
///
/// In HTML a sound reference is markup, found in the field as written: `&#91;sound:…]`,
/// which `export --format tsv` writes for the text `[sound:…]`, is text and stays.
fn read_field(
    field: &str,
    html: bool,
    literal: bool,
    sounds: &std::cell::Cell<usize>,
) -> html::Converted {
    let mut field = field.replace("\r\n", "\n");
    let mut found = 0;
    if !literal {
        let (without, n) = crate::deck::anki::convert::without_sounds(&field);
        if n > 0 {
            field = without;
            found = n;
        }
    }
    let mut converted = if html {
        html::convert(&field)
    } else {
        html::Converted {
            text: field,
            ..Default::default()
        }
    };
    if found > 0 {
        converted.text = converted.text.trim().to_owned();
        sounds.set(sounds.get() + found);
    }
    converted
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
    if bytes.len() as u64 > deck::MAX_DECK_BYTES {
        return Err(fail(vec![Problem::error(
            Place::File,
            format!(
                "the file is larger than the {} MiB limit; split it into smaller decks",
                deck::MAX_DECK_BYTES / (1024 * 1024)
            ),
        )]));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = deck::line_column(&bytes[..e.valid_up_to()]);
        fail(vec![Problem::error(
            Place::Position { line, column },
            "the file is not valid UTF-8; save it as UTF-8 (in a spreadsheet: \"CSV UTF-8\")",
        )])
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

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

    let mut roles = match &header.columns {
        Some((line, labels_text)) => {
            let labels = split_labels(labels_text, separator);
            match roles_from_labels(&labels) {
                Some(roles) => {
                    let starts = field_starts(labels_text, separator);
                    let prefix = "#columns:".len();
                    report_unknown_labels(
                        &labels,
                        &roles,
                        |i| Place::Position {
                            line: *line,
                            column: prefix
                                + 1
                                + starts
                                    .get(i)
                                    .map_or(0, |&s| labels_text[..s].chars().count()),
                        },
                        &mut problems,
                    );
                    Some(roles)
                }
                None => {
                    problems.push(Problem::error(
                        Place::Position {
                            line: *line,
                            column: 1,
                        },
                        "#columns: names no Front and Back column; name them Front and Back (Id, Tags and Source are optional)",
                    ));
                    None
                }
            }
        }
        None => None,
    };
    if let Some(roles) = &mut roles {
        apply_meta_columns(roles, &header);
    }

    // The csv reader ends a record at a carriage return with no newline after it, so
    // one would cut a row in two, both halves reported at the row's line. It is never
    // text a card can hold (deck validation refuses U+000D): said where it is.
    if let Some(first) = first_lone_cr(body) {
        let more = match lone_crs(body).count() - 1 {
            0 => String::new(),
            n => format!(" ({} more in the file)", crate::render::plural(n, "other")),
        };
        problems.push(Problem::error(
            place_of(first),
            format!("a carriage return (U+000D) without a newline after it{more} would split this row in two; remove it, or save the file with ordinary line endings"),
        ));
    }
    // Read as spaces from here on (same length, so every offset stays true): the row
    // stays one row, and its other problems are told at its own line.
    let spaced;
    let body = if first_lone_cr(body).is_some() {
        spaced = without_lone_crs(body);
        spaced.as_str()
    } else {
        body
    };

    // The csv reader would read an unclosed quote's field to the end of the file,
    // swallowing every row after it without a word: find it first.
    let mut last_record = 0;
    let open_quote = scan::records(body, separator, |shape| {
        last_record = shape.field_starts.first().copied().unwrap_or(0);
        true
    });
    let readable = match open_quote {
        Some(at) => {
            problems.push(Problem::error(
                place_of(at),
                "this quote opens a field that is never closed, so every line after it would be read into that field; put the closing \" where the field ends, or, if the quote is part of the text, quote the whole field and double the quote (\"\")",
            ));
            // Where the quoted field ends cannot be known: rows from its own on are not read.
            &body[..last_record]
        }
        None => body,
    };

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
        let raw = |role: Role| {
            roles
                .iter()
                .position(|r| *r == role)
                .and_then(|i| record.get(i))
        };
        // `[sound:…]` references taken out of this row's fields.
        let sounds = std::cell::Cell::new(0);
        let literal = is_literal(roles);
        let field = |role: Role| raw(role).map(|f| read_field(f, header.html, literal, &sounds));
        let guid_field = raw(Role::Guid).map(str::trim).filter(|g| !g.is_empty());
        let given_id = field(Role::Id)
            .map(|id| id.text.trim().to_owned())
            .filter(|id| !id.is_empty())
            .or_else(|| guid_field.and_then(card_id_from_guid));
        // Anki's own guid (one `prepdeck export` wrote names a card id instead).
        let guid = guid_field
            .filter(|g| card_id_from_guid(g).is_none())
            .map(str::to_owned);
        let [front, back] = [Role::Front, Role::Back].map(|role| field(role).unwrap_or_default());
        let at_row = || Place::Line {
            line,
            id: given_id
                .clone()
                .unwrap_or_else(|| deck::slug(&front.text, |_| false).to_string()),
        };
        let back_column = roles.iter().position(|r| *r == Role::Back).unwrap_or(1);
        if record.len() <= back_column {
            skipped += 1;
            problems.push(Problem::warning(
                at_row(),
                format!(
                    "skipped: the line has {} but a card needs a front and a back separated by {}; check the separator (a #separator: line sets it)",
                    crate::render::plural(record.len(), "column"),
                    separator_name(separator)
                ),
            ));
            continue;
        }
        // Tags are words, never HTML or Anki markup: Anki writes them as they are.
        let tags_text = raw(Role::Tags).unwrap_or_default().to_owned();
        if !named && header.tags_column.is_none() && reads_like_text(&tags_text) {
            prose_tags.get_or_insert((line, tags_text.clone()));
        }
        let mut tags: Vec<String> = tags_text.split_whitespace().map(str::to_owned).collect();
        for tag in &header.global_tags {
            if !tags.contains(tag) {
                tags.push(tag.clone());
            }
        }
        let source = field(Role::Source)
            .map(|c| c.text)
            .filter(|s| !s.trim().is_empty());
        if sounds.get() > 0 {
            problems.push(Problem::warning(
                at_row(),
                "[sound:…] removed from the card text: prepdeck shows text only",
            ));
        }
        // Checked on the text as written: cloze markers are not HTML. A cloze note is a
        // card per deletion, as in Anki; its back is the whole text, then its Back Extra.
        if !literal && raw(Role::Front).is_some_and(is_cloze) {
            let numbers = crate::deck::anki::convert::cloze_numbers(&front.text);
            let whole = crate::deck::anki::convert::cloze(&front.text, None);
            let answer = match back.text.trim() {
                "" => whole,
                extra => format!("{whole}\n{extra}"),
            };
            for number in numbers {
                rows.push(Row {
                    line,
                    front: crate::deck::anki::convert::cloze(&front.text, Some(number)),
                    back: answer.clone(),
                    tags: tags.clone(),
                    source: source.clone(),
                    given_id: given_id.as_ref().map(|id| format!("{id}-c{number}")),
                    guid: guid.clone(),
                    part: number,
                    shares_note: true,
                });
            }
            continue;
        }
        let mut image_only = false;
        for (side, converted) in [("front", &front), ("back", &back)] {
            if converted.images == 0 {
                continue;
            }
            if converted.text.trim().is_empty() {
                // Reported instead of "is empty", which would leave the reader puzzled.
                image_only = true;
                skipped += 1;
                problems.push(Problem::warning(
                    at_row(),
                    format!("skipped: the {side} is only an image, and prepdeck shows text only; write the {side} as text to keep this card"),
                ));
            } else {
                problems.push(Problem::warning(
                    at_row(),
                    format!("image dropped from the {side}: prepdeck shows text only; put what it shows into words if the card needs it"),
                ));
            }
        }
        if image_only {
            continue;
        }
        rows.push(Row {
            line,
            front: front.text,
            back: back.text,
            tags,
            source,
            given_id,
            guid,
            part: 1,
            shares_note: false,
        });
    }
    if let Some((place, column)) = extra {
        let more = match extra_rows {
            0 => String::new(),
            n => format!(
                " (text in such a column on {} too)",
                crate::render::plural(n, "more line")
            ),
        };
        let why = if named {
            format!("no column {column} is named in the first row or #columns:")
        } else if header.from_anki {
            "the file has Anki's header lines but no #tags column: line, so this is a third field of the note, not tags; a prepdeck card has a front and a back".to_owned()
        } else {
            "without a first row naming the columns (front, back, tags, id, source), only front, back and tags are read".to_owned()
        };
        problems.push(Problem::warning(
            place,
            format!("column {column} is ignored{more}: {why}"),
        ));
    }

    if let Some((line, text)) = prose_tags {
        problems.push(Problem::warning(
            Place::Position { line, column: 1 },
            format!(
                "column 3 is read as tags, as in every file without a first row naming its columns, but here it reads like text ({:?}); if it is not tags, add a first row naming the columns (front, back, and any other name for this one, which is then left out)",
                crate::render::text::truncate(&text, 40)
            ),
        ));
    }
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
    let mut lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
    let mut raw = RawDeck {
        format_version: u64::from(deck::FORMAT_VERSION),
        id: target.id.to_string(),
        title: header.title.clone().unwrap_or_else(|| target.title.clone()),
        description: target.description.clone(),
        author: target.author.clone(),
        version: target.version.clone(),
        cards,
    };
    let has_errors = problems.iter().any(|p| p.severity == deck::Severity::Error);
    // A card the deck's checks refuse (an unsafe character, a side too long, a second
    // card with the same id) is left out with the reason, and the rest is checked again.
    let (deck, found) = loop {
        let line_of = |index: usize| lines.get(index.wrapping_sub(1)).copied().unwrap_or(0);
        match deck::build_naming(raw.clone(), origin, &|index| {
            format!("line {}", line_of(index))
        }) {
            Ok(parsed) => break (Some(parsed.deck), to_lines(parsed.warnings, &lines)),
            Err(e) => {
                let refused = refused_cards(&e.problems);
                if refused.is_empty() {
                    break (None, to_lines(e.problems, &lines));
                }
                for (index, message) in refused.iter().rev() {
                    let card = raw.cards.remove(index - 1);
                    let line = lines.remove(index - 1);
                    skipped += 1;
                    problems.push(Problem::warning(
                        Place::Line { line, id: card.id },
                        format!("skipped: {message}"),
                    ));
                }
            }
        }
    };
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

/// The cards (1-based index, first message) that `problems` refuse, when every error is
/// about one card; empty when an error is about the whole file.
fn refused_cards(problems: &[Problem]) -> std::collections::BTreeMap<usize, String> {
    let mut refused = std::collections::BTreeMap::new();
    for problem in problems
        .iter()
        .filter(|p| p.severity == deck::Severity::Error)
    {
        match &problem.place {
            Place::Card { index, .. } => {
                refused
                    .entry(*index)
                    .or_insert_with(|| problem.message.clone());
            }
            _ => return std::collections::BTreeMap::new(),
        }
    }
    refused
}

/// `problems` with card places given as the lines the cards are on.
fn to_lines(problems: Vec<Problem>, lines: &[usize]) -> Vec<Problem> {
    let line_of = |index: usize| lines.get(index.wrapping_sub(1)).copied().unwrap_or(0);
    problems
        .into_iter()
        .map(|problem| match problem.place {
            Place::Card { index, id } => Problem {
                place: Place::Line {
                    line: line_of(index),
                    id,
                },
                ..problem
            },
            _ => problem,
        })
        .collect()
}

/// Byte offsets of the fields of the first record in `text`.
fn field_starts(text: &str, separator: u8) -> Vec<usize> {
    let mut starts = Vec::new();
    scan::records(text, separator, |shape| {
        starts = shape.field_starts.clone();
        false
    });
    starts
}

/// Line numbers of byte offsets, counted incrementally (offsets only grow).
///
/// The CSV reader's own line numbers drift after blank lines, so lines are counted
/// here from the byte offset where each record starts.
struct LineCounter<'t> {
    text: &'t str,
    offset: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    /// Lines of `text`, whose first line is line `first` of the file.
    fn new(text: &'t str, first: usize) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: first,
        }
    }

    /// The 1-based line of the first character of a record that starts at `offset`
    /// (blank lines in front of it, which the reader includes, are passed over).
    fn line_at(&mut self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut start = offset.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.offset {
            self.line += bytes[self.offset..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.offset = start;
        }
        self.line
    }
}

/// The card id in a guid written by `prepdeck export` (`prepdeck:DECK/CARD`); other
/// guids (Anki's own) are not ids.
fn card_id_from_guid(guid: &str) -> Option<String> {
    let rest = guid.trim().strip_prefix("prepdeck:")?;
    let (_, card) = rest.rsplit_once('/')?;
    Some(card.to_owned())
}

fn split_labels(line: &str, separator: u8) -> Vec<String> {
    first_record(line.trim_end_matches(['\r', '\n']), separator)
        .map(|r| r.iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The deck as TSV that Anki's importer reads (`#separator:tab`, `#html:true`,
/// `#tags column:3`, `#guid column:4`) and that `prepdeck import` reads back with the
/// same card ids. Fields are quoted by CSV rules when they hold a tab, a quote or a
/// leading `#`; newlines are written as `<br>`.
pub fn to_tsv(deck: &Deck) -> String {
    let title: String = deck
        .title
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    // `#notetype:Basic`: without it Anki uses the notetype picked last, and a Cloze one
    // there makes every card "No cloze 1 found".
    let mut out = format!(
        "#separator:tab\n#html:true\n#notetype:Basic\n#deck:{title}\n#tags column:3\n#guid column:4\n"
    );
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .comment(Some(b'#'))
        .quote_style(csv::QuoteStyle::Necessary)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // A guid two cards share names a note that is more than either card (a cloze or
    // reversed note): written back, it would overwrite that note with one of its cards.
    let mut guid_cards: HashMap<&str, usize> = HashMap::new();
    for guid in deck.cards.iter().filter_map(|c| c.guid.as_deref()) {
        *guid_cards.entry(guid).or_default() += 1;
    }
    for card in &deck.cards {
        let guid = match card.guid.as_deref() {
            Some(guid) if guid_cards.get(guid) == Some(&1) => guid.to_owned(),
            _ => format!("prepdeck:{}/{}", deck.id, card.id),
        };
        // Writing to a Vec cannot fail.
        let _ = writer.write_record([
            text_to_html(&card.front),
            text_to_html(&card.back),
            card.tags.join(" "),
            guid,
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    out.push_str(&String::from_utf8_lossy(&bytes));
    out
}

/// The deck as CSV for a spreadsheet: a header row `id,front,back,tags,source` (and
/// `guid` when a card keeps an Anki note's guid), then a
/// row per card, plain text (a spreadsheet shows newlines in a quoted cell). Saved again
/// by Excel or LibreOffice, it imports back with the same card ids.
pub fn to_csv(deck: &Deck) -> String {
    // Every field quoted: LibreOffice's "Format quoted field as text" then keeps each
    // cell as written, where it would read `007`, `1/2` or `50%` as a number or a date.
    let mut writer = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Anki's guids only when there are some: a spreadsheet of a deck made in prepdeck
    // keeps its five plain columns.
    let guids = deck.cards.iter().any(|c| c.guid.is_some());
    let columns = if guids { 6 } else { 5 };
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(&["id", "front", "back", "tags", "source", "guid"][..columns]);
    for card in &deck.cards {
        let tags = card.tags.join(" ");
        let _ = writer.write_record(
            &[
                card.id.as_str(),
                &card.front,
                &card.back,
                &tags,
                card.source.as_deref().unwrap_or(""),
                card.guid.as_deref().unwrap_or(""),
            ][..columns],
        );
    }
    String::from_utf8_lossy(&writer.into_inner().unwrap_or_default()).into_owned()
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
