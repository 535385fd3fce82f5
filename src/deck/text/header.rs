//! The top of a text deck: Anki's header lines, the separator, and what each column holds.

use super::*;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
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
pub(super) struct Header {
    pub(super) separator: Option<u8>,
    pub(super) html: bool,
    /// The file starts as Anki's exporter always starts one, `#separator:` then
    /// `#html:`: a file from Anki has a tags column only where `#tags column:` says, so
    /// its third field is never tags.
    pub(super) from_anki: bool,
    pub(super) tags_column: Option<usize>,
    pub(super) guid_column: Option<usize>,
    pub(super) meta_columns: Vec<usize>,
    pub(super) columns: Option<(usize, String)>,
    pub(super) title: Option<String>,
    pub(super) global_tags: Vec<String>,
    /// Byte offset where the rows start, after the header lines.
    pub(super) body_start: usize,
    /// The line the rows start on.
    pub(super) body_line: usize,
}

const SEPARATORS: &[(&str, u8)] = &[
    ("tab", b'\t'),
    ("comma", b','),
    ("semicolon", b';'),
    ("pipe", b'|'),
    ("colon", b':'),
    ("space", b' '),
];

pub(super) fn separator_name(byte: u8) -> String {
    SEPARATORS
        .iter()
        .find(|(_, b)| *b == byte)
        .map_or_else(|| format!("'{}'", byte as char), |(n, _)| (*n).to_owned())
}

/// Reads the header lines: a first line `tags:…`, then `#key:value` lines, `#`
/// comments and blank lines, up to the first other line. Only there are `#` lines
/// headers, as in Anki; below, a line starting with `#` is a row like any other.
pub(super) fn read_header(text: &str, problems: &mut Vec<Problem>) -> Header {
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
pub(super) fn roles_from_labels(labels: &[String]) -> Option<Vec<Role>> {
    let roles: Vec<Role> = labels
        .iter()
        .map(|l| role_of_label(l).unwrap_or(Role::Unknown))
        .collect();
    (roles.contains(&Role::Front) && roles.contains(&Role::Back)).then_some(roles)
}

/// A warning for each label that names no column prepdeck reads; `places` are where
/// the labels are.
pub(super) fn report_unknown_labels(
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
pub(super) fn positional_roles(header: &Header) -> Vec<Role> {
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
pub(super) fn apply_meta_columns(roles: &mut Vec<Role>, header: &Header) {
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
pub(super) fn first_row_names_columns(text: &str, separator: u8) -> bool {
    first_record(text, separator).is_some_and(|record| {
        let labels: Vec<String> = record.iter().map(str::to_owned).collect();
        roles_from_labels(&labels).is_some()
    })
}

/// Column roles named by a `#columns:` line, Anki's header lines placing theirs.
pub(super) fn named_roles(
    header: &Header,
    separator: u8,
    problems: &mut Vec<Problem>,
) -> Option<Vec<Role>> {
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
                        problems,
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
        apply_meta_columns(roles, header);
    }
    roles
}

fn split_labels(line: &str, separator: u8) -> Vec<String> {
    first_record(line.trim_end_matches(['\r', '\n']), separator)
        .map(|r| r.iter().map(str::to_owned).collect())
        .unwrap_or_default()
}
