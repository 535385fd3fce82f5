//! A quote-aware look at CSV text before the csv reader reads it: where records and
//! fields start, whether a quote is left open, and which separator a file uses.
//!
//! The rules are the csv reader's as `deck::text` configures it (`csv::ReaderBuilder`
//! with its defaults for quoting): a record ends at `\n` or `\r` outside quotes and empty
//! lines are skipped; a `"` opens a quoted field only at the start of a field (elsewhere
//! it is text); inside a quoted field `""` is a quote and a lone `"` closes it; text
//! after the closing quote up to the separator still belongs to the field.

/// The shape of one record (one row, which may span lines inside quotes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    /// Byte offset of each field's first byte (an opening quote included).
    pub field_starts: Vec<usize>,
    /// Separators followed by a space, as in prose (`a, b`) rather than in a table.
    pub spaced: usize,
    /// True when some field holds something other than whitespace.
    pub has_text: bool,
}

impl Shape {
    /// Number of fields.
    pub fn width(&self) -> usize {
        self.field_starts.len()
    }
}

/// Calls `on_record` with every record's shape in order until it returns false; the
/// byte offset of a quote that opens a field and is never closed, if there is one.
pub fn records(
    text: &str,
    separator: u8,
    mut on_record: impl FnMut(&Shape) -> bool,
) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        RecordStart,
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    use State::*;
    let bytes = text.as_bytes();
    let mut state = RecordStart;
    let mut shape = Shape::default();
    let mut open = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let line_end = b == b'\n' || b == b'\r';
        if state == RecordStart {
            if line_end {
                continue;
            }
            shape = Shape {
                field_starts: vec![i],
                ..Shape::default()
            };
            state = FieldStart;
        }
        // Where a byte outside quotes ends a field or a record.
        let outside =
            |state: &mut State, shape: &mut Shape, on_record: &mut dyn FnMut(&Shape) -> bool| {
                if b == separator {
                    shape.field_starts.push(i + 1);
                    shape.spaced += usize::from(bytes.get(i + 1) == Some(&b' '));
                    *state = FieldStart;
                    true
                } else if line_end {
                    *state = RecordStart;
                    on_record(shape)
                } else {
                    shape.has_text |= !b.is_ascii_whitespace();
                    *state = Unquoted;
                    true
                }
            };
        let go_on = match state {
            FieldStart if b == b'"' => {
                open = i;
                state = Quoted;
                true
            }
            FieldStart | Unquoted => outside(&mut state, &mut shape, &mut on_record),
            Quoted => {
                if b == b'"' {
                    state = QuoteInQuoted;
                } else {
                    shape.has_text |= !b.is_ascii_whitespace();
                }
                true
            }
            QuoteInQuoted if b == b'"' => {
                shape.has_text = true;
                state = Quoted;
                true
            }
            QuoteInQuoted => outside(&mut state, &mut shape, &mut on_record),
            RecordStart => true,
        };
        if !go_on {
            return None;
        }
    }
    match state {
        RecordStart => None,
        Quoted => {
            on_record(&shape);
            Some(open)
        }
        _ => {
            on_record(&shape);
            None
        }
    }
}

/// The separators a file is sniffed for, in the order preferred on a tie.
const CANDIDATES: [u8; 3] = [b'\t', b';', b','];
/// Records looked at to choose a separator.
const SAMPLE: usize = 10;

/// The separator of `body` (the text after the header lines), for a file that has no
/// `#separator:` line: of tab, semicolon and comma, the one under which the first
/// records have a consistent 2 to 4 columns, preferring on a tie the one least often
/// followed by a space (prose writes `, ` and `; `, spreadsheets do not), then
/// `preferred`, then tab, semicolon, comma. `names_columns` says whether a record's
/// fields, split by a separator, name a front and a back: a header row settles it.
pub fn sniff(body: &str, preferred: u8, names_columns: impl Fn(u8) -> bool) -> u8 {
    if let Some(&sep) = CANDIDATES.iter().find(|&&sep| names_columns(sep)) {
        return sep;
    }
    let score = |sep: u8| {
        let mut widths = Vec::new();
        let (mut spaced, mut separators) = (0, 0);
        records(body, sep, |shape| {
            if shape.has_text {
                widths.push(shape.width());
                spaced += shape.spaced;
                separators += shape.width() - 1;
            }
            widths.len() < SAMPLE
        });
        let in_range = |w: &usize| (2..=4).contains(w);
        let tier = if widths.is_empty() {
            0
        } else if widths.iter().all(in_range) && widths.iter().all(|w| *w == widths[0]) {
            4
        } else if widths.iter().all(in_range) {
            3
        } else if widths.iter().all(|w| *w >= 2) {
            2
        } else {
            1
        };
        let split = widths.iter().filter(|w| **w >= 2).count();
        // Fewer spaced separators is better: compare spaced/separators as fractions
        // without dividing (per mille, so that integers order them).
        let prose = (spaced * 1000).checked_div(separators).unwrap_or(0);
        (tier, split, std::cmp::Reverse(prose), sep == preferred)
    };
    CANDIDATES
        .iter()
        .copied()
        .rev()
        .max_by_key(|&sep| score(sep))
        .filter(|&sep| score(sep).1 > 0)
        .unwrap_or(preferred)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(text: &str, sep: u8) -> (Vec<usize>, Option<usize>) {
        let mut found = Vec::new();
        let open = records(text, sep, |s| {
            found.push(s.width());
            true
        });
        (found, open)
    }

    #[test]
    fn quotes_hold_separators_and_newlines_and_empty_lines_are_skipped() {
        assert_eq!(
            widths("a,\"b,c\nd\",e\r\n\r\n\nf\n", b','),
            (vec![3, 1], None)
        );
        assert_eq!(widths("a,b\"c,d\n", b','), (vec![3], None));
        assert_eq!(widths("\"a\"\"b\",c", b','), (vec![2], None));
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        let text = "front,back,tags\nQ1,\"A1 is \nQ2,A2,t\nQ3,A3,t\n";
        let (_, open) = widths(text, b',');
        assert_eq!(open, Some(text.find('"').unwrap()));
        // A quote inside an unquoted field is text; a doubled one inside quotes too.
        assert_eq!(widths("Q,say \"hi\n", b',').1, None);
        assert_eq!(widths("Q,\"say \"\"hi\"\"\"\n", b',').1, None);
        assert!(widths("Q,\"say \"\"hi\n", b',').1.is_some());
    }

    #[test]
    fn the_scan_agrees_with_the_csv_reader_on_widths() {
        let text = "a;\"b;\"\"c\"x;d\n\n e ;f\n\"g\nh\";i;j;k\n";
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(b';')
            .from_reader(text.as_bytes());
        let by_reader: Vec<usize> = reader.records().map(|r| r.unwrap().len()).collect();
        assert_eq!(widths(text, b';').0, by_reader);
    }

    fn sniffed(body: &str) -> char {
        sniff(body, b',', |_| false) as char
    }

    #[test]
    fn a_semicolon_file_with_commas_in_its_text_is_semicolon_separated() {
        assert_eq!(sniffed("Open calmly?;Breathe, then listen;tip\n"), ';');
        assert_eq!(
            sniffed("Q1;A1, then more;t\nQ2, really?;A2;t\nQ3;A3;t x\n"),
            ';'
        );
    }

    #[test]
    fn a_comma_file_with_semicolons_in_its_text_is_comma_separated() {
        assert_eq!(
            sniffed("What is STAR?,Situation; Task; Action; Result,star\n"),
            ','
        );
        assert_eq!(sniffed("Q1,A1\nQ2,A2; B2,t\n"), ',');
    }

    #[test]
    fn tabs_win_when_every_line_has_them() {
        assert_eq!(sniffed("Q1, yes\tA1; no\tt\nQ2\tA2\n"), '\t');
    }

    #[test]
    fn a_header_row_decides() {
        assert_eq!(sniff("x;y,z\n", b',', |sep| sep == b';'), b';');
    }

    #[test]
    fn nothing_to_go_by_keeps_the_preferred_separator() {
        assert_eq!(sniff("just one column\n", b'\t', |_| false), b'\t');
        assert_eq!(sniff("", b',', |_| false), b',');
    }

    proptest::proptest! {
        #[test]
        fn widths_match_the_csv_reader(text in "[ab,;\"\n\r\t ]{0,80}") {
            for sep in [b',', b';', b'\t'] {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(sep)
                    .from_reader(text.as_bytes());
                let by_reader: Vec<usize> =
                    reader.records().map_while(Result::ok).map(|r| r.len()).collect();
                proptest::prop_assert_eq!(widths(&text, sep).0, by_reader, "{:?}", sep as char);
            }
        }
    }
}
