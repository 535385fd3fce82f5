//! Making untrusted text safe to print on a terminal.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for characters a terminal could execute or that reorder or hide text: C0
/// controls other than tab and newline, DEL, C1 controls, the bidirectional embeddings,
/// overrides and isolates, U+FEFF and the line and paragraph separators U+2028/U+2029
/// (which break lines where no newline is seen, and end a line inside JavaScript
/// strings).
/// Deck validation refuses exactly these; docs/deck-format.md lists them with the why.
/// Every output path neutralises them: [`sanitize`] for text, [`neutralize_json`] for JSON.
///
/// The direction marks (LRM, RLM, ALM, see [`is_direction_mark`]) are not here: right-to-left
/// text needs them, and unlike embeddings and overrides they reorder nothing beyond
/// the neutral characters next to them in the same paragraph, which
/// [`contain_direction`] keeps inside the text they belong to.
pub fn is_unsafe_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{feff}' | '\u{2028}' | '\u{2029}')
}

/// LEFT-TO-RIGHT MARK: an invisible strong left-to-right character.
pub const LRM: char = '\u{200e}';

/// True for the invisible direction marks: U+200E LEFT-TO-RIGHT MARK, U+200F
/// RIGHT-TO-LEFT MARK and U+061C ARABIC LETTER MARK. Card text may hold them; JSON
/// output writes them as `\uXXXX` escapes and terminal output keeps them inside
/// their text with [`contain_direction`].
pub fn is_direction_mark(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// True for a character that can pull the neutral characters next to it (spaces,
/// punctuation, table borders, digits) into right-to-left order under the Unicode
/// bidirectional algorithm (UAX #9): the direction marks and the letters and digits
/// of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, ... and their
/// presentation forms). Over-approximated by block: a character of these blocks that
/// is in fact neutral only costs two invisible marks.
pub fn affects_direction(c: char) -> bool {
    matches!(c,
        '\u{200f}' | '\u{61c}'
        | '\u{590}'..='\u{8ff}' | '\u{fb1d}'..='\u{fdff}' | '\u{fe70}'..='\u{fefe}'
        | '\u{10800}'..='\u{10fff}' | '\u{1e800}'..='\u{1efff}')
}

/// `text` between two LRMs when it holds a right-to-left character or mark, so that
/// it cannot reorder what is printed beside it on the same line.
///
/// Under UAX #9 a mark or right-to-left letter takes along the neutral characters and
/// numbers up to the next strong character (rules W2, N1); text on other lines is
/// untouched, since terminals run the algorithm a line (paragraph) at a time. An LRM
/// on each side is that next strong character: what follows or precedes the text
/// resolves left-to-right, as prepdeck's lines are, and a line that starts with the
/// text still gets a left-to-right paragraph direction (rule P2). Inside, the text
/// reads as it would on its own. Isolates (FSI … PDI) would say this more exactly,
/// but terminals keep text in character cells and how they keep zero-width isolates is
/// not settled, while LRM, a strong character like a letter, works wherever the
/// algorithm is applied at all; it is zero columns wide everywhere.
pub fn contain_direction(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || !text.chars().any(affects_direction) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 6);
    out.push(LRM);
    out.push_str(text);
    out.push(LRM);
    Cow::Owned(out)
}

/// True for a character that shows something: not white space, not zero-width
/// (combining marks, zero-width space and joiners, tag characters, variation
/// selectors) and not one of the characters that are drawn as blank though they are
/// not spaces (soft hyphen, Hangul fillers, braille blank). A card side needs one.
pub fn is_visible_char(c: char) -> bool {
    if c.is_whitespace() || is_unsafe_char(c) {
        return false;
    }
    let blank = matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{61c}' | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{206f}'
        | '\u{2800}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{ffa0}'
        | '\u{1d159}' | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}');
    !blank && unicode_width::UnicodeWidthChar::width(c).is_some_and(|w| w > 0)
}

/// JSON text (as serde_json writes it) with every character [`is_unsafe_char`] names,
/// and the direction marks, written as a `\uXXXX` escape: the same data, nothing a
/// terminal would act on, and no invisible mark beside a quote or comma.
///
/// serde_json already escapes C0 controls; DEL, C1 controls, bidi controls, U+FEFF and
/// U+2028/U+2029 it leaves raw. Outside strings JSON has only ASCII punctuation, white
/// space and literals, so every such character is inside a string, where the escape
/// means the same character.
pub fn neutralize_json(json: String) -> String {
    if !needs_neutralizing(&json) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if escaped_in_json(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// True for the characters [`neutralize_json`] writes as an escape.
fn escaped_in_json(c: char) -> bool {
    is_unsafe_char(c) || is_direction_mark(c)
}

/// True when `json` holds a character [`neutralize_json`] escapes.
///
/// Decoding a 5 MB deck character by character was a sixth of `check`: printable ASCII
/// and line ends, nearly all of any deck, are skipped in one pass, and the rest is
/// searched by bytes (the marks) and 16 bytes at a time ([`first_unsafe_char`]).
fn needs_neutralizing(json: &str) -> bool {
    let plain = json.bytes().fold(true, |all, b| {
        all & ((0x20..0x7f).contains(&b) | (b == b'\n'))
    });
    !plain
        && (['\u{200e}', '\u{200f}', '\u{61c}']
            .into_iter()
            .any(|mark| json.contains(mark))
            || first_unsafe_char(json).is_some())
}

/// How many bytes longer [`neutralize_json`] makes `json`: the length of what prepdeck
/// writes, known without writing it.
pub fn neutralized_growth(json: &str) -> usize {
    if !needs_neutralizing(json) {
        return 0;
    }
    json.chars()
        .filter(|&c| escaped_in_json(c))
        .map(|c| format!("\\u{:04x}", u32::from(c)).len() - c.len_utf8())
        .sum()
}

/// The first character of `text` for which [`is_unsafe_char`] holds, if any.
///
/// Same answer as `text.chars().find(|&c| is_unsafe_char(c))`, but printable ASCII,
/// nearly all of any deck, is skipped 16 bytes at a time: every deck's text is checked
/// on every start, and at 100,000 cards that is tens of megabytes.
pub fn first_unsafe_char(text: &str) -> Option<char> {
    const CHUNK: usize = 16;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + CHUNK) {
            // `&` rather than `&&` so the compiler can test the whole chunk at once.
            let printable = chunk
                .iter()
                .fold(true, |all, &b| all & (0x20..0x7f).contains(&b));
            if printable {
                i += CHUNK;
                continue;
            }
        }
        // `i` is always on a character boundary: it only moves by whole ASCII chunks
        // or by the length of the character just decoded.
        let c = text.get(i..).and_then(|rest| rest.chars().next())?;
        if is_unsafe_char(c) {
            return Some(c);
        }
        i += c.len_utf8();
    }
    None
}

/// `text` with every unsafe character, and every direction mark, shown as a visible
/// `\u{..}` escape, never executed.
///
/// Newlines and tabs stay as they are; everything else a terminal would act on
/// (escape sequences, OSC 52 clipboard writes, title changes, cursor moves, bidi
/// overrides) becomes inert text. For messages and other text put together from
/// several pieces, where a mark could not be kept to the piece it came from; a card's
/// own text printed on lines of its own goes through [`sanitize_field`] instead.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| is_unsafe_char(c) || is_direction_mark(c))
}

/// [`sanitize`] that keeps the direction marks, for a card side or other text of a
/// deck printed on lines of its own (terminals apply the bidirectional algorithm a
/// line at a time, so the marks reach nothing else; see [`contain_direction`]).
pub fn sanitize_field(text: &str) -> Cow<'_, str> {
    escape_where(text, is_unsafe_char)
}

/// `text` with every character `escape` names written as `\u{..}`.
fn escape_where(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if first_unsafe_char(text).is_none() && (text.is_ascii() || !text.chars().any(&escape)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escape(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`sanitize`] that also folds newlines and tabs into spaces, for one-line cells and
/// for paths, ids and typed input quoted in a message (direction marks shown escaped, and
/// nothing invisible added: a path copied from the terminal still works).
pub fn one_line(text: &str) -> String {
    fold_lines(&sanitize(text))
}

/// [`one_line`] for text of a deck, a card, a story or a report shown inside a line (a
/// table cell, a title in a header, a tag in a list): the direction marks stay, and
/// [`contain_direction`] keeps them and right-to-left letters from reordering the rest
/// of the line.
pub fn inline_text(text: &str) -> String {
    let flat = fold_lines(&sanitize_field(text));
    match contain_direction(&flat) {
        Cow::Borrowed(_) => flat,
        Cow::Owned(contained) => contained,
    }
}

/// `text` with newlines and tabs as spaces.
fn fold_lines(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect()
}

/// At most `max` terminal columns of `text`, ending in `…` when cut (a wide character
/// such as CJK takes two). A text that [`contain_direction`] closed with an LRM still
/// ends with one after the `…`.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if columns(text) <= max {
        return Cow::Borrowed(text);
    }
    let (head, _) = split_at_columns(text, max.saturating_sub(1));
    let close = if text.ends_with(LRM) { "\u{200e}" } else { "" };
    Cow::Owned(format!("{head}…{close}"))
}

/// How many terminal columns `text` takes (two for wide characters such as CJK).
pub fn columns(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` with every line wider than `width` columns broken at spaces, so that a
/// terminal does not cut words in two.
///
/// Existing line breaks stay. A line that starts with spaces or a list marker (`- `,
/// `* `, `• `, `1. `, `2) `) continues under its first word, so lists stay readable.
/// Runs of spaces inside a line that needs breaking become single spaces. A word wider
/// than the whole line is broken where it must be.
pub fn wrap(text: &str, width: usize) -> Cow<'_, str> {
    // Narrower than this, a hanging indent leaves no room for words.
    let width = width.max(16);
    if text.split('\n').all(|line| columns(line) <= width) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + text.len() / width + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        wrap_line(line, width, &mut out);
    }
    Cow::Owned(out)
}

/// `text` with every line wider than `width` columns broken at spaces, its
/// continuation lines indented by two: for lines that each say one thing (a finding of
/// `check`, an error), so that a continuation does not read as a line of its own.
pub fn wrap_hanging(text: &str, width: usize) -> Cow<'_, str> {
    let width = width.max(16);
    if text.split('\n').all(|line| columns(line) <= width) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            if columns(line) <= width {
                return line.to_owned();
            }
            let mut wrapped = String::new();
            // Every piece but the first gets two more columns: "  " in front.
            wrap_line(line, width - 2, &mut wrapped);
            wrapped.replace('\n', "\n  ")
        })
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// Appends `line` to `out`, broken into lines of at most `width` columns.
fn wrap_line(line: &str, width: usize, out: &mut String) {
    if columns(line) <= width {
        out.push_str(line);
        return;
    }
    let lead = line.len() - line.trim_start_matches(' ').len();
    let hang = hanging_indent(line)
        .filter(|&h| h * 2 <= width)
        .unwrap_or(0);
    out.push_str(&line[..lead.min(width / 2)]);
    let mut column = lead.min(width / 2);
    let mut at_start = true;
    let new_line = |out: &mut String, column: &mut usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', hang));
        *column = hang;
    };
    for word in line[lead..].split(' ').filter(|w| !w.is_empty()) {
        let word_columns = columns(word);
        if !at_start {
            if column + 1 + word_columns <= width {
                out.push(' ');
                out.push_str(word);
                column += 1 + word_columns;
                continue;
            }
            new_line(out, &mut column);
        }
        at_start = false;
        let mut rest = word;
        loop {
            let room = width.saturating_sub(column);
            if columns(rest) <= room {
                out.push_str(rest);
                column += columns(rest);
                break;
            }
            let (head, tail) = split_at_columns(rest, room);
            out.push_str(head);
            new_line(out, &mut column);
            rest = tail;
        }
    }
}

/// The columns a list item's continuation lines are indented by: its leading spaces
/// plus a list marker and the spaces after it; `None` for a line with neither.
fn hanging_indent(line: &str) -> Option<usize> {
    let lead = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[lead..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if rest.starts_with("- ") || rest.starts_with("* ") || rest.starts_with("• ") {
        rest.chars().next().map_or(0, char::len_utf8)
    } else if (1..=2).contains(&digits) && matches!(rest.as_bytes().get(digits), Some(b'.' | b')'))
    {
        digits + 1
    } else {
        0
    };
    let after = &rest[marker..];
    let gap = after.len() - after.trim_start_matches(' ').len();
    let indent = lead + columns(&rest[..marker]) + gap;
    (indent > 0 && (marker == 0 || gap > 0)).then_some(indent)
}

/// The longest start of `word` at most `room` columns wide (at least one character, so
/// that breaking always moves on), and the rest.
fn split_at_columns(word: &str, room: usize) -> (&str, &str) {
    let mut used = 0;
    let mut cut = 0;
    for (at, c) in word.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if at > 0 && used + w > room {
            break;
        }
        used += w;
        cut = at + c.len_utf8();
    }
    word.split_at(cut)
}

/// `text` as one shell word, quoted only when it needs to be: for commands suggested
/// in messages (`prepdeck check '/my decks/x.json'`). Always one line, escaped like
/// [`one_line`], since it is printed.
pub fn shell_word(text: &str) -> Cow<'_, str> {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%,=".contains(c));
    if plain {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("'{}'", one_line(&text.replace('\'', "'\\''"))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_hanging_indents_continuations_and_keeps_words_whole() {
        let line =
            "prepdeck: error: there is no deck \"some-deck\"; run `prepdeck decks` to list them";
        let wrapped = wrap_hanging(line, 30);
        assert_eq!(
            wrapped,
            "prepdeck: error: there is no\n  deck \"some-deck\"; run\n  `prepdeck decks` to list\n  them"
        );
        assert_eq!(wrap_hanging("short\nlines", 30), "short\nlines");
    }

    #[test]
    fn plain_text_with_newlines_and_tabs_is_unchanged() {
        let text = "Stay calm.\n\t- listen\n- empathise — café";
        assert!(matches!(sanitize(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn escape_sequences_become_visible_text() {
        let hostile = "a\u{1b}]52;c;ZXZpbA==\u{7}b\u{1b}[2Jc\u{9b}31md\r";
        let safe = sanitize(hostile);
        assert!(!safe.chars().any(is_unsafe_char), "{safe}");
        assert_eq!(
            safe,
            "a\\u{1b}]52;c;ZXZpbA==\\u{7}b\\u{1b}[2Jc\\u{9b}31md\\u{d}"
        );
    }

    #[test]
    fn direction_marks_are_not_unsafe_but_messages_show_them_escaped() {
        for mark in ['\u{200e}', '\u{200f}', '\u{61c}'] {
            assert!(!is_unsafe_char(mark) && is_direction_mark(mark));
            assert!(
                !is_visible_char(mark),
                "a side of marks alone shows nothing"
            );
        }
        assert_eq!(sanitize("a\u{200f}b\u{61c}"), "a\\u{200f}b\\u{61c}");
        assert_eq!(
            sanitize_field("שלום\u{200f}!\u{202e}"),
            "שלום\u{200f}!\\u{202e}"
        );
    }

    #[test]
    fn json_writes_direction_marks_as_escapes_of_the_same_text() {
        let json = serde_json::to_string("א\u{200f}!\u{61c}\u{200e}").unwrap();
        let neutral = neutralize_json(json);
        assert_eq!(neutral, "\"א\\u200f!\\u061c\\u200e\"");
        let back: String = serde_json::from_str(&neutral).unwrap();
        assert_eq!(back, "א\u{200f}!\u{61c}\u{200e}");
    }

    #[test]
    fn inline_text_closes_right_to_left_text_and_marks_between_lrms() {
        assert_eq!(inline_text("plain café"), "plain café");
        assert_eq!(inline_text("a\u{200f}"), "\u{200e}a\u{200f}\u{200e}");
        assert_eq!(inline_text("שלום\nעולם"), "\u{200e}שלום עולם\u{200e}");
        assert_eq!(inline_text("مرحبا"), "\u{200e}مرحبا\u{200e}");
        // An LRM alone pulls nothing out of a left-to-right line.
        assert_eq!(inline_text("a\u{200e}b"), "a\u{200e}b");
        // The LRMs take no column: tables stay aligned.
        assert_eq!(columns(&inline_text("שלום\u{200f}")), columns("שלום"));
        // Paths and other quoted input get nothing invisible added; marks show escaped.
        assert_eq!(one_line("/tmp/שלום\u{200f}.tsv"), "/tmp/שלום\\u{200f}.tsv");
    }

    proptest::proptest! {
        /// Whatever the text, no mark or right-to-left character of it is outside the
        /// two LRMs, which are its first and last characters: everything printed
        /// beside it meets a strong left-to-right character first (UAX #9 W2, N1).
        #[test]
        fn inline_text_and_truncate_keep_every_direction_character_inside_lrms(
            text in "([a-z .,:()0-9]|[א-ת]|[ء-ي]|\u{200f}|\u{61c}|\u{200e}|\n){0,30}",
            max in 1usize..30,
        ) {
            for shown in [inline_text(&text), truncate(&inline_text(&text), max).into_owned()] {
                if shown.chars().any(affects_direction) {
                    proptest::prop_assert!(shown.starts_with(LRM), "{:?}", shown);
                    proptest::prop_assert!(shown.ends_with(LRM), "{:?}", shown);
                }
                proptest::prop_assert!(!shown.contains('\n'));
            }
        }
    }

    #[test]
    fn bidi_overrides_and_nul_are_escaped() {
        assert_eq!(
            sanitize("x\u{202e}y\u{2066}\u{0}"),
            "x\\u{202e}y\\u{2066}\\u{0}"
        );
    }

    proptest::proptest! {
        #[test]
        fn first_unsafe_char_agrees_with_a_plain_scan(
            text in "(\\PC|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{200e}\u{feff}]|[ -~]{0,40}){0,60}"
        ) {
            proptest::prop_assert_eq!(
                first_unsafe_char(&text),
                text.chars().find(|&c| is_unsafe_char(c))
            );
        }
    }

    #[test]
    fn first_unsafe_char_finds_it_at_every_offset() {
        for len in 0..40 {
            for at in 0..=len {
                let mut text: String = "é".repeat(at % 3) + &"a".repeat(len);
                text.insert(text.len() - (len - at), '\u{1b}');
                assert_eq!(first_unsafe_char(&text), Some('\u{1b}'), "{text:?}");
                assert_eq!(first_unsafe_char(&text.replace('\u{1b}', "\t")), None);
            }
        }
    }

    #[test]
    fn one_line_folds_newlines() {
        assert_eq!(one_line("a\nb\tc\u{1b}"), "a b c\\u{1b}");
    }

    #[test]
    fn truncate_marks_the_cut_and_respects_char_boundaries() {
        assert_eq!(truncate("héllo world", 5), "héll…");
        assert_eq!(truncate("héllo", 5), "héllo");
        assert_eq!(truncate("hé", 5), "hé");
    }

    #[test]
    fn short_lines_are_left_alone() {
        let text = "Stay calm.\n- listen\n\n- empathise";
        assert!(matches!(wrap(text, 80), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn long_lines_break_between_words_never_inside_one() {
        let text = "Customer service reps, salespeople and many other professionals meet such customers all the time.";
        let wrapped = wrap(text, 40);
        for line in wrapped.lines() {
            assert!(columns(line) <= 40, "{line:?}");
        }
        assert_eq!(
            wrapped,
            "Customer service reps, salespeople and\nmany other professionals meet such\ncustomers all the time."
        );
        // Every word is still there, whole and in order.
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn list_items_continue_under_their_first_word() {
        let text =
            "- Listen to the whole complaint before you answer anything\n12. Offer two options";
        assert_eq!(
            wrap(text, 30),
            "- Listen to the whole\n  complaint before you answer\n  anything\n12. Offer two options"
        );
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut_where_it_must_be() {
        assert_eq!(
            wrap(&"x".repeat(40), 16),
            format!("{}\n{}\n{}", "x".repeat(16), "x".repeat(16), "x".repeat(8))
        );
    }

    #[test]
    fn wide_characters_count_two_columns() {
        // Eight CJK characters are sixteen columns: two per line of 16 with a space.
        let wrapped = wrap("顧客 顧客 顧客 顧客 顧客 顧客", 16);
        for line in wrapped.lines() {
            assert!(columns(line) <= 16, "{line:?}");
        }
        assert_eq!(wrapped.lines().count(), 2);
    }

    proptest::proptest! {
        #[test]
        fn wrapped_lines_fit_and_keep_every_word(
            text in "([a-z]{1,12}|[ ]{1,3}|\n|- |é|顧){0,60}",
            width in 16usize..100,
        ) {
            let wrapped = wrap(&text, width);
            for line in wrapped.lines() {
                proptest::prop_assert!(columns(line) <= width, "{:?}", line);
            }
            let strip = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            proptest::prop_assert_eq!(strip(&wrapped), strip(&text));
        }
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("/data/decks/x.json"), "/data/decks/x.json");
        assert_eq!(shell_word("/my decks/x.json"), "'/my decks/x.json'");
        assert_eq!(shell_word("it's.json"), "'it'\\''s.json'");
    }
}
