//! The rows of a text deck: what the CSV reader can be given, and the cards each record makes.

use super::*;

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

/// The rows the CSV reader can be given: a lone carriage return, which would split a
/// row, read as a space, and the rows from an unclosed quote on left out; both said in
/// `problems`, placed by `place_of` (a byte offset in `body`).
pub(super) fn readable_rows<'b>(
    body: &'b str,
    separator: u8,
    place_of: &dyn Fn(usize) -> Place,
    problems: &mut Vec<Problem>,
) -> std::borrow::Cow<'b, str> {
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
    let body: std::borrow::Cow<'_, str> = if first_lone_cr(body).is_some() {
        without_lone_crs(body).into()
    } else {
        body.into()
    };

    // The csv reader would read an unclosed quote's field to the end of the file,
    // swallowing every row after it without a word: find it first.
    let mut last_record = 0;
    let open_quote = scan::records(&body, separator, |shape| {
        last_record = shape.field_starts.first().copied().unwrap_or(0);
        true
    });
    match open_quote {
        Some(at) => {
            problems.push(Problem::error(
                place_of(at),
                "this quote opens a field that is never closed, so every line after it would be read into that field; put the closing \" where the field ends, or, if the quote is part of the text, quote the whole field and double the quote (\"\")",
            ));
            // Where the quoted field ends cannot be known: rows from its own on are not read.
            match body {
                std::borrow::Cow::Borrowed(text) => text[..last_record].into(),
                std::borrow::Cow::Owned(mut text) => {
                    text.truncate(last_record);
                    text.into()
                }
            }
        }
        None => body,
    }
}

/// What one record of the file gives: its cards (one, or one per deletion of a cloze
/// note), how many it skipped, and its third column when that, read as tags by position,
/// reads like a sentence.
#[derive(Default)]
pub(super) struct RecordRows {
    pub(super) rows: Vec<Row>,
    pub(super) skipped: usize,
    pub(super) prose_tags: Option<String>,
}

/// The cards of `record`, which starts on `line`; its warnings go into `problems`.
pub(super) fn record_rows(
    record: &csv::StringRecord,
    line: usize,
    roles: &[Role],
    header: &Header,
    separator: u8,
    named: bool,
    problems: &mut Vec<Problem>,
) -> RecordRows {
    let mut out = RecordRows::default();
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
        problems.push(Problem::warning(
            at_row(),
            format!(
                "skipped: the line has {} but a card needs a front and a back separated by {}; check the separator (a #separator: line sets it)",
                crate::render::plural(record.len(), "column"),
                separator_name(separator)
            ),
        ));
        out.skipped += 1;
        return out;
    }
    // Tags are words, never HTML or Anki markup: Anki writes them as they are.
    let tags_text = raw(Role::Tags).unwrap_or_default().to_owned();
    if !named && header.tags_column.is_none() && reads_like_text(&tags_text) {
        out.prose_tags = Some(tags_text.clone());
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
            out.rows.push(Row {
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
        return out;
    }
    let mut image_only = false;
    for (side, converted) in [("front", &front), ("back", &back)] {
        if converted.images == 0 {
            continue;
        }
        if converted.text.trim().is_empty() {
            // Reported instead of "is empty", which would leave the reader puzzled.
            image_only = true;
            out.skipped += 1;
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
        return out;
    }
    out.rows.push(Row {
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
    out
}

/// The warnings about columns, once per file: text in a column nothing reads (`extra`,
/// the first place and column, and how many more rows), and a third column read as tags
/// by position that reads like a sentence (`prose_tags`, its line and text).
pub(super) fn column_warnings(
    extra: Option<(Place, usize)>,
    extra_rows: usize,
    prose_tags: Option<(usize, String)>,
    named: bool,
    header: &Header,
    problems: &mut Vec<Problem>,
) {
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
}

/// Byte offsets of the fields of the first record in `text`.
pub(super) fn field_starts(text: &str, separator: u8) -> Vec<usize> {
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
pub(super) struct LineCounter<'t> {
    text: &'t str,
    offset: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    /// Lines of `text`, whose first line is line `first` of the file.
    pub(super) fn new(text: &'t str, first: usize) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: first,
        }
    }

    /// The 1-based line of the first character of a record that starts at `offset`
    /// (blank lines in front of it, which the reader includes, are passed over).
    pub(super) fn line_at(&mut self, offset: usize) -> usize {
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
