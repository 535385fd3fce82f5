//! Text decks: tab- or comma-separated files as spreadsheets write them and as Anki's
//! "Notes in Plain Text" export writes them (see docs/deck-format.md, "Text formats").
//!
//! Reading goes through the same validation as JSON decks ([`deck::build`]), so
//! `check` and `import` report the same problems, placed by line instead of card index.

use crate::deck::{
    self, normalize_front, Deck, DeckError, Id, Parsed, Place, Problem, RawCard, RawDeck,
};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The two kinds of deck file prepdeck reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A prepdeck JSON deck.
    Json,
    /// Tab- or comma-separated text.
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

/// A deck id made from a file name: the name without its extension, slugged
/// (`My Stories.tsv` → `my-stories`). Hidden names, names without letters or digits
/// and names that give a Windows device name (`con.txt`) are refused; the message says
/// to pass `--deck`.
pub fn deck_id_from_file_name(path: &Path) -> Result<Id, String> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let shown = crate::render::text::one_line(&crate::render::text::truncate(name, 40));
    if name.starts_with('.') {
        return Err(format!(
            "the file name {shown:?} is hidden (starts with '.'); pass --deck ID to name the deck"
        ));
    }
    let stem = path.file_stem().and_then(|n| n.to_str()).unwrap_or("");
    if !stem.chars().any(|c| c.is_ascii_alphanumeric()) {
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
    /// True when card ids came from the file (an id or prepdeck guid column) rather
    /// than from the fronts.
    pub ids_given: bool,
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
    Ignore,
}

/// Anki's header lines (`#key:value` at the top of the file).
#[derive(Debug, Default)]
struct Header {
    separator: Option<u8>,
    html: bool,
    tags_column: Option<usize>,
    guid_column: Option<usize>,
    meta_columns: Vec<usize>,
    columns: Option<(usize, String)>,
    title: Option<String>,
    global_tags: Vec<String>,
    /// Lines taken off the top before the CSV reader starts (a historic `tags:` line).
    skip_lines: usize,
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

fn read_header(text: &str, problems: &mut Vec<Problem>) -> Header {
    let mut header = Header::default();
    for (i, raw_line) in text.split('\n').enumerate() {
        let line_no = i + 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        if i == 0 {
            if let Some(tags) = line.strip_prefix("tags:") {
                header.global_tags = tags.split_whitespace().map(str::to_owned).collect();
                header.skip_lines = 1;
                continue;
            }
        }
        let Some(rest) = line.strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = rest.split_once(':') else {
            continue; // a comment
        };
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
            "notetype" => {}
            other => problems.push(Problem::warning(
                at(2),
                format!(
                    "header line #{}: is not known and was ignored",
                    crate::render::text::truncate(other, 40)
                ),
            )),
        }
    }
    header
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
        "notetype" | "deck" => Some(Role::Ignore),
        _ => None,
    }
}

/// Column roles from labels; `None` unless they name a front and a back.
fn roles_from_labels(labels: &[String]) -> Option<Vec<Role>> {
    let roles: Vec<Role> = labels
        .iter()
        .map(|l| role_of_label(l).unwrap_or(Role::Ignore))
        .collect();
    (roles.contains(&Role::Front) && roles.contains(&Role::Back)).then_some(roles)
}

/// Positional roles: front, back, then tags, skipping Anki's meta columns.
fn positional_roles(width: usize, header: &Header) -> Vec<Role> {
    let mut roles = vec![Role::Ignore; width.max(3)];
    let mut plain = [Role::Front, Role::Back, Role::Tags].into_iter();
    for (i, role) in roles.iter_mut().enumerate() {
        let column = i + 1;
        if header.meta_columns.contains(&column)
            || header.tags_column == Some(column)
            || header.guid_column == Some(column)
        {
            continue;
        }
        match plain.next() {
            Some(Role::Tags) if header.tags_column.is_some() => break,
            Some(next) => *role = next,
            None => break,
        }
    }
    roles
}

fn apply_meta_columns(roles: &mut Vec<Role>, header: &Header) {
    let mut set = |column: usize, role: Role| {
        if roles.len() < column {
            roles.resize(column, Role::Ignore);
        }
        for r in roles.iter_mut().filter(|r| **r == role) {
            *r = Role::Ignore;
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
            roles[column - 1] = Role::Ignore;
        }
    }
}

/// One row of the file, before ids are assigned.
struct Row {
    line: usize,
    front: String,
    back: String,
    tags: Vec<String>,
    source: Option<String>,
    given_id: Option<String>,
}

/// Reads a text deck from `bytes`; `origin` names the file, `extension` (lowercase)
/// picks the separator when the file does not say.
pub fn parse(
    bytes: &[u8],
    origin: &str,
    extension: Option<&str>,
    target: &Target<'_>,
) -> Result<TextParsed, DeckError> {
    let fail = |problems: Vec<Problem>| DeckError {
        origin: origin.to_owned(),
        problems,
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
    let body: &str = if header.skip_lines == 1 {
        text.split_once('\n').map_or("", |(_, rest)| rest)
    } else {
        text
    };
    let separator = header
        .separator
        .unwrap_or_else(|| guess_separator(body, extension));

    let mut roles = match &header.columns {
        Some((line, labels)) => {
            let labels = split_labels(labels, separator);
            match roles_from_labels(&labels) {
                Some(roles) => Some(roles),
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

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .delimiter(separator)
        .from_reader(body.as_bytes());
    let mut rows: Vec<Row> = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut first = true;
    let mut extra_reported = false;
    let mut lines_seen = LineCounter::new(body, header.skip_lines);
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
        let line = lines_seen.line_at(record.position().map_or(0, |p| p.byte() as usize));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if first {
            first = false;
            if roles.is_none() {
                let labels: Vec<String> = record.iter().map(str::to_owned).collect();
                if labels.iter().all(|l| role_of_label(l).is_some()) {
                    if let Some(from_row) = roles_from_labels(&labels) {
                        roles = Some(from_row);
                        continue; // a header row, not a card
                    }
                }
            }
        }
        let roles = roles.get_or_insert_with(|| {
            let mut roles = positional_roles(record.len(), &header);
            apply_meta_columns(&mut roles, &header);
            roles
        });
        let field = |role: Role| {
            roles
                .iter()
                .position(|r| *r == role)
                .and_then(|i| record.get(i))
                .map(|f| {
                    let f = f.replace("\r\n", "\n");
                    if header.html {
                        html_to_text(&f)
                    } else {
                        f
                    }
                })
        };
        let back_column = roles.iter().position(|r| *r == Role::Back).unwrap_or(1);
        if record.len() <= back_column {
            let front = field(Role::Front).unwrap_or_default();
            problems.push(Problem::error(
                Place::Line {
                    line,
                    id: deck::slug(&front, |_| false).to_string(),
                },
                format!(
                    "the line has {} column{} but a card needs a front and a back separated by {}; check the separator (a #separator: line sets it)",
                    record.len(),
                    if record.len() == 1 { "" } else { "s" },
                    separator_name(separator)
                ),
            ));
            continue;
        }
        if !extra_reported && record.len() > roles.len() {
            extra_reported = true;
            problems.push(Problem::warning(
                Place::Position { line, column: 1 },
                format!(
                    "the line has {} columns; only {} are read (front, back, tags and any named in #columns:), the rest are ignored",
                    record.len(),
                    roles.len()
                ),
            ));
        }
        let mut tags: Vec<String> = field(Role::Tags)
            .map(|t| t.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        for tag in &header.global_tags {
            if !tags.contains(tag) {
                tags.push(tag.clone());
            }
        }
        let given_id = field(Role::Id)
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty())
            .or_else(|| field(Role::Guid).and_then(|g| card_id_from_guid(&g)));
        rows.push(Row {
            line,
            front: field(Role::Front).unwrap_or_default(),
            back: field(Role::Back).unwrap_or_default(),
            tags,
            source: field(Role::Source).filter(|s| !s.trim().is_empty()),
            given_id,
        });
    }

    let ids_given = rows.iter().any(|r| r.given_id.is_some());
    let cards = assign_ids(rows.iter(), target.existing);
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
    let to_line = |problem: Problem| match problem.place {
        Place::Card { index, id } => Problem {
            place: Place::Line {
                line: lines.get(index.wrapping_sub(1)).copied().unwrap_or(0),
                id,
            },
            ..problem
        },
        _ => problem,
    };
    let has_errors = problems.iter().any(|p| p.severity == deck::Severity::Error);
    let (deck, found) = match deck::build(raw, origin) {
        Ok(parsed) => (Some(parsed.deck), parsed.warnings),
        Err(e) => (None, e.problems),
    };
    problems.extend(found.into_iter().map(to_line));
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
        }),
        _ => Err(fail(problems)),
    }
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
    fn new(text: &'t str, skipped: usize) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: 1 + skipped,
        }
    }

    /// The 1-based line of the first character of a record that starts at `offset`
    /// (blank and comment lines in front of it, which the reader includes, are passed over).
    fn line_at(&mut self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut start = offset.min(bytes.len());
        while start < bytes.len() {
            match bytes[start] {
                b'\r' | b'\n' => start += 1,
                b'#' => {
                    start = bytes[start..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(bytes.len(), |i| start + i + 1);
                }
                _ => break,
            }
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

/// Card ids: as given, else the installed card with the same front, else a slug of the front.
fn assign_ids<'r>(
    rows: impl Iterator<Item = &'r Row> + Clone,
    existing: Option<&Deck>,
) -> Vec<RawCard> {
    let mut taken: HashSet<String> = rows.clone().filter_map(|r| r.given_id.clone()).collect();
    // Installed cards by normalised front, first one first.
    let mut by_front: HashMap<String, Vec<&str>> = HashMap::new();
    for card in existing.map_or(&[][..], |d| &d.cards[..]) {
        by_front
            .entry(normalize_front(&card.front))
            .or_default()
            .push(card.id.as_str());
    }
    // First the rows whose front an installed card has: they keep its id, and no slug
    // made for another row may take it.
    let kept: Vec<Option<String>> = rows
        .clone()
        .map(|row| {
            if row.given_id.is_some() {
                return None;
            }
            let candidates = by_front.get(&normalize_front(&row.front))?;
            let id = candidates.iter().find(|id| !taken.contains(**id))?;
            taken.insert((*id).to_owned());
            Some((*id).to_owned())
        })
        .collect();
    rows.zip(kept)
        .map(|(row, kept)| {
            let id = match (&row.given_id, kept) {
                (Some(id), _) => id.clone(),
                (None, Some(id)) => id,
                (None, None) => {
                    let id =
                        deck::slug(&row.front, |candidate| taken.contains(candidate)).to_string();
                    taken.insert(id.clone());
                    id
                }
            };
            RawCard {
                id,
                front: row.front.clone(),
                back: row.back.clone(),
                tags: row.tags.clone(),
                source: row.source.clone(),
            }
        })
        .collect()
}

/// The card id in a guid written by `prepdeck export` (`prepdeck:DECK/CARD`); other
/// guids (Anki's own) are not ids.
fn card_id_from_guid(guid: &str) -> Option<String> {
    let rest = guid.trim().strip_prefix("prepdeck:")?;
    let (_, card) = rest.rsplit_once('/')?;
    Some(card.to_owned())
}

fn split_labels(line: &str, separator: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(line.trim_end_matches(['\r', '\n']).as_bytes());
    reader
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The separator when the file has no `#separator:` line: by extension (`.csv` comma,
/// `.tsv` tab), else tab when the first data line has one, else semicolon when it has
/// one and no comma, else comma.
fn guess_separator(body: &str, extension: Option<&str>) -> u8 {
    match extension {
        Some("csv") => return b',',
        Some("tsv" | "tab") => return b'\t',
        _ => {}
    }
    let first = body
        .lines()
        .find(|l| !l.starts_with('#') && !l.trim().is_empty())
        .unwrap_or("");
    if first.contains('\t') {
        b'\t'
    } else if first.contains(';') && !first.contains(',') {
        b';'
    } else {
        b','
    }
}

/// Plain text from the simple HTML Anki writes: `<br>` and the boundaries of `<div>`,
/// `<p>` and `<li>` blocks become newlines, other tags are dropped, entities are decoded.
/// The inverse of [`text_to_html`] for any text.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    // A block (`<div>`, `<p>`, `<li>`) starting or ending owes a line break, written only
    // once more text follows: `<div>a</div><div>b</div>` is "a\nb", not "a\n\nb\n".
    let mut owed = false;
    let push = |out: &mut String, owed: &mut bool, text: &str| {
        if text.is_empty() {
            return;
        }
        if std::mem::take(owed) && !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(text);
    };
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        push(&mut out, &mut owed, &rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            let is_tag = rest[1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
            match rest.find('>').filter(|_| is_tag) {
                Some(end) => {
                    let name: String = rest[1..end]
                        .trim_start_matches('/')
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    match name.as_str() {
                        "br" => {
                            owed = false;
                            out.push('\n');
                        }
                        "div" | "p" | "li" => owed = true,
                        _ => {}
                    }
                    rest = &rest[end + 1..];
                }
                None => {
                    push(&mut out, &mut owed, "<");
                    rest = &rest[1..];
                }
            }
        } else {
            let end = rest[1..]
                .find(|c: char| c == ';' || !(c.is_ascii_alphanumeric() || c == '#'))
                .map(|j| j + 1)
                .filter(|&j| rest[j..].starts_with(';'));
            let decoded = end.and_then(|j| decode_entity(&rest[1..j]).map(|c| (c, j)));
            match decoded {
                Some((c, j)) => {
                    push(&mut out, &mut owed, c.encode_utf8(&mut [0; 4]));
                    rest = &rest[j + 1..];
                }
                None => {
                    push(&mut out, &mut owed, "&");
                    rest = &rest[1..];
                }
            }
        }
    }
    push(&mut out, &mut owed, rest);
    out
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Text as HTML for an Anki field: `&`, `<`, `>` escaped, newlines as `<br>`.
fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
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
    let mut out =
        format!("#separator:tab\n#html:true\n#deck:{title}\n#tags column:3\n#guid column:4\n");
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .comment(Some(b'#'))
        .quote_style(csv::QuoteStyle::Necessary)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for card in &deck.cards {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record([
            text_to_html(&card.front),
            text_to_html(&card.back),
            card.tags.join(" "),
            format!("prepdeck:{}/{}", deck.id, card.id),
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    out.push_str(&String::from_utf8_lossy(&bytes));
    out
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
        let found = read(text, None).unwrap_err().problems;
        let errors: Vec<String> = found
            .iter()
            .filter(|p| p.severity == deck::Severity::Error)
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[2].starts_with("line 10 (card \"q4\")"), "{errors:?}");
        assert!(
            errors[0].starts_with("line 5 (card \"q2\"): error: the line has 1 column"),
            "{errors:?}"
        );
        assert!(
            errors[1].starts_with("line 6 (card \"q3-still-q3\"): error: back is empty"),
            "{errors:?}"
        );
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
        let found = read("tags:x\nQ1\tA1\nQ2\n", None).unwrap_err().problems;
        let error = found
            .iter()
            .find(|p| p.severity == deck::Severity::Error)
            .unwrap();
        assert!(
            matches!(error.place, Place::Line { line: 3, .. }),
            "{error}"
        );
    }

    #[test]
    fn blocks_become_line_breaks_between_text_only() {
        assert_eq!(html_to_text("a<div>b</div><div>c</div>"), "a\nb\nc");
        assert_eq!(html_to_text("<p>x</p>"), "x");
        assert_eq!(html_to_text("a<br><br>"), "a\n\n");
    }

    proptest::proptest! {
        #[test]
        fn reading_any_text_never_panics(text in "[\\PC\t\n\r\",;|#<>&]{0,300}") {
            let _ = read(&text, None);
            let _ = read(&text, Some("csv"));
            let _ = html_to_text(&text);
        }

        #[test]
        fn html_written_for_anki_reads_back_exactly(text in "[\\PC\t\n]{0,200}") {
            proptest::prop_assert_eq!(html_to_text(&text_to_html(&text)), text);
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
        assert!(tsv.starts_with("#separator:tab\n#html:true\n#deck:Demo deck\n#tags column:3\n"));
        let back = parse(tsv.as_bytes(), "demo.tsv", Some("tsv"), &target()).unwrap();
        assert!(back.ids_given);
        assert_eq!(back.parsed.deck.cards, deck.cards);
        assert_eq!(back.parsed.deck.title, "Demo deck");
    }

    #[test]
    fn html_to_text_handles_entities_and_stray_brackets() {
        assert_eq!(
            html_to_text("a < b &amp;&lt;br&gt; &#65;&#x42; &bogus; x&y"),
            "a < b &<br> AB &bogus; x&y"
        );
        assert_eq!(html_to_text("<div>one</div><div>two</div>"), "one\ntwo");
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
}
