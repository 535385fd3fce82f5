//! Making untrusted text safe to print on a terminal.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for characters a terminal could execute or that reorder or hide text: C0
/// controls other than tab and newline, DEL, C1 controls, the bidirectional embeddings,
/// overrides and isolates, the invisible direction marks (LRM, RLM, ALM) and U+FEFF.
/// Deck validation refuses exactly these; docs/deck-format.md lists them with the why.
pub fn is_unsafe_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}'
        | '\u{61c}' | '\u{feff}')
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

/// `text` with every unsafe character shown as a visible `\u{..}` escape, never executed.
///
/// Newlines and tabs stay as they are; everything else a terminal would act on
/// (escape sequences, OSC 52 clipboard writes, title changes, cursor moves, bidi
/// overrides) becomes inert text.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if first_unsafe_char(text).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_char(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`sanitize`] that also folds newlines and tabs into spaces, for one-line cells.
pub fn one_line(text: &str) -> String {
    sanitize(text)
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect()
}

/// At most `max` characters of `text`, ending in `…` when cut.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((cut, _)) if text[cut..].chars().count() > 1 => {
            Cow::Owned(format!("{}…", &text[..cut]))
        }
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
