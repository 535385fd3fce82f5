//! The HTML in Anki fields (`#html:true`), as plain text, and plain text as such HTML.

/// An HTML field as plain text, with what could not be kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Converted {
    /// The text a reader of the field sees, with line breaks as `\n`.
    pub text: String,
    /// How many `<img>` tags were dropped: prepdeck shows text only.
    pub images: usize,
}

/// Plain text from the simple HTML Anki writes: `<br>` and the boundaries of `<div>`,
/// `<p>` and `<li>` blocks become newlines (`<div><br></div>` is an empty line),
/// `<script>` and `<style>` are dropped with their content, comments and other tags
/// are dropped, entities are decoded, and images are counted. The inverse of
/// [`text_to_html`] for any text.
pub fn convert(html: &str) -> Converted {
    let mut out = String::with_capacity(html.len());
    let mut images = 0;
    // A block (`<div>`, `<p>`, `<li>`) starting or ending owes a line break, written only
    // once more content follows: `<div>a</div><div>b</div>` is "a\nb", not "a\n\nb\n".
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
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
        } else if rest.starts_with('<') {
            let is_tag = rest[1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
            match rest.find('>').filter(|_| is_tag) {
                Some(end) => {
                    let closing = rest[1..].starts_with('/');
                    let name = rest[1..end]
                        .trim_start_matches('/')
                        .chars()
                        .take_while(char::is_ascii_alphanumeric)
                        .collect::<String>()
                        .to_ascii_lowercase();
                    rest = &rest[end + 1..];
                    match name.as_str() {
                        // A break inside a block that has not started its line yet
                        // starts it first: `a<div><br></div>` is "a\n\n", an empty line.
                        "br" => push(&mut out, &mut owed, "\n"),
                        "div" | "p" | "li" => owed = true,
                        "img" => images += 1,
                        "script" | "style" if !closing => {
                            // Their content is code, never text a reader sees.
                            rest = skip_past_closing_tag(rest, &name);
                        }
                        _ => {}
                    }
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
    Converted { text: out, images }
}

/// Plain text from HTML, as [`convert`] makes it.
#[cfg(test)]
fn html_to_text(html: &str) -> String {
    convert(html).text
}

/// `rest` after the `</name ...>` that closes an element, or nothing when it is never
/// closed (a browser would hide the rest too).
fn skip_past_closing_tag<'h>(rest: &'h str, name: &str) -> &'h str {
    let closing = format!("</{name}");
    // ASCII lowercasing keeps byte offsets, so an index in the copy is one in `rest`.
    let lower = rest.to_ascii_lowercase();
    lower
        .find(&closing)
        .and_then(|start| lower[start..].find('>').map(|end| &rest[start + end + 1..]))
        .unwrap_or("")
}

/// HTML 4's names for U+00A0 to U+00FF, in code point order.
const LATIN_1: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

/// Other named entities that turn up in card text: typography, arrows, a few signs.
const OTHER: &[(&str, char)] = &[
    ("OElig", 'Œ'),
    ("oelig", 'œ'),
    ("Scaron", 'Š'),
    ("scaron", 'š'),
    ("Yuml", 'Ÿ'),
    ("fnof", 'ƒ'),
    ("circ", 'ˆ'),
    ("tilde", '˜'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("sbquo", '‚'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("bdquo", '„'),
    ("dagger", '†'),
    ("Dagger", '‡'),
    ("bull", '•'),
    ("hellip", '…'),
    ("permil", '‰'),
    ("prime", '′'),
    ("Prime", '″'),
    ("lsaquo", '‹'),
    ("rsaquo", '›'),
    ("euro", '€'),
    ("trade", '™'),
    ("larr", '←'),
    ("uarr", '↑'),
    ("rarr", '→'),
    ("darr", '↓'),
    ("harr", '↔'),
    ("lArr", '⇐'),
    ("rArr", '⇒'),
    ("hArr", '⇔'),
    ("minus", '−'),
    ("ne", '≠'),
    ("le", '≤'),
    ("ge", '≥'),
    ("asymp", '≈'),
    ("infin", '∞'),
    ("check", '✓'),
    ("cross", '✗'),
    ("lrm", '\u{200e}'),
    ("rlm", '\u{200f}'),
];

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        // A plain space: Anki writes &nbsp; for any doubled space, not to glue words.
        "nbsp" => Some(' '),
        _ => {
            if let Some(number) = name.strip_prefix('#') {
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                return char::from_u32(code);
            }
            if let Some(i) = LATIN_1.iter().position(|n| *n == name) {
                return char::from_u32(0xA0 + i as u32);
            }
            OTHER.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
        }
    }
}

/// Text as HTML for an Anki field: `&`, `<`, `>` escaped, newlines as `<br>`, and the
/// invisible direction marks as `&lrm;`, `&rlm;` and `&#x61c;`: the same text to Anki
/// and to [`convert`], and no invisible character in the file.
/// Text that Anki, and prepdeck's import, would read as markup is written so that it
/// reads as text: the `{` of `{{` (a cloze `{{c1::…}}`) as `&#123;`, the `[` of
/// `[sound:` as `&#91;`. Both are plain characters once the HTML is read.
pub fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let after = &text[i + c.len_utf8()..];
        match c {
            '{' if after.starts_with('{') => out.push_str("&#123;"),
            '[' if after.starts_with("sound:") => out.push_str("&#91;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br>"),
            '\u{200e}' => out.push_str("&lrm;"),
            '\u{200f}' => out.push_str("&rlm;"),
            '\u{61c}' => out.push_str("&#x61c;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_reads_as_markup_is_written_so_that_it_reads_as_text() {
        let text = "{{c1::calm}} [sound:x.mp3] {x} [y] <b>&amp;</b>\u{200f}\nב";
        let html = text_to_html(text);
        assert_eq!(
            html,
            "&#123;{c1::calm}} &#91;sound:x.mp3] {x} [y] &lt;b&gt;&amp;amp;&lt;/b&gt;&rlm;<br>ב"
        );
        assert_eq!(html_to_text(&html), text);
        assert_eq!(
            html_to_text("a&lrm;b&rlm;c&#x61c;"),
            "a\u{200e}b\u{200f}c\u{61c}"
        );
    }

    #[test]
    fn blocks_become_line_breaks_between_text_only() {
        assert_eq!(html_to_text("a<div>b</div><div>c</div>"), "a\nb\nc");
        assert_eq!(html_to_text("<p>x</p>"), "x");
        assert_eq!(html_to_text("a<br><br>"), "a\n\n");
        assert_eq!(html_to_text("<div>a<br></div><div>b</div>"), "a\nb");
    }

    #[test]
    fn an_anki_blank_line_is_an_empty_line() {
        assert_eq!(
            html_to_text("<div>a</div><div><br></div><div>b</div>"),
            "a\n\nb"
        );
        assert_eq!(html_to_text("a<div><br></div><div>b</div>"), "a\n\nb");
    }

    #[test]
    fn entities_and_stray_brackets() {
        assert_eq!(
            html_to_text("a < b &amp;&lt;br&gt; &#65;&#x42; &bogus; x&y"),
            "a < b &<br> AB &bogus; x&y"
        );
        assert_eq!(html_to_text("<div>one</div><div>two</div>"), "one\ntwo");
    }

    #[test]
    fn common_named_entities_are_decoded() {
        assert_eq!(
            html_to_text(
                "&ldquo;Wait&rdquo; &mdash; don&rsquo;t&hellip; &lsquo;a&rsquo; 1&ndash;2"
            ),
            "“Wait” — don’t… ‘a’ 1–2"
        );
        assert_eq!(
            html_to_text("caf&eacute; &Uuml;ber &copy; &frac12; &szlig; &yuml; &euro;5 &#8212;"),
            "café Über © ½ ß ÿ €5 —"
        );
    }

    #[test]
    fn the_latin_1_table_is_in_code_point_order() {
        for (i, name) in LATIN_1.iter().enumerate() {
            let c = char::from_u32(0xA0 + i as u32).unwrap();
            // A few spot checks against the HTML 4 list; the rest follow by position.
            match *name {
                "iexcl" => assert_eq!(c, '¡'),
                "times" => assert_eq!(c, '×'),
                "szlig" => assert_eq!(c, 'ß'),
                "divide" => assert_eq!(c, '÷'),
                "yuml" => assert_eq!(c, 'ÿ'),
                _ => {}
            }
        }
        assert_eq!(decode_entity("Eacute"), Some('É'));
        assert_eq!(decode_entity("eacute"), Some('é'));
    }

    #[test]
    fn scripts_styles_and_comments_are_dropped_with_their_content() {
        assert_eq!(
            html_to_text(
                "a<script>alert('x<y>')</script>b<STYLE type=x>p{}</Style>c<!-- <b>no</b> -->d"
            ),
            "abcd"
        );
        assert_eq!(html_to_text("a<script>never closed"), "a");
    }

    #[test]
    fn images_are_counted() {
        let found = convert("Look:<img src=\"x.png\"><br><img src='y.jpg'/>");
        assert_eq!(found.text, "Look:\n");
        assert_eq!(found.images, 2);
        assert_eq!(convert("no image").images, 0);
    }

    proptest::proptest! {
        #[test]
        fn html_written_for_anki_reads_back_exactly(text in "[\\PC\t\n]{0,200}") {
            proptest::prop_assert_eq!(html_to_text(&text_to_html(&text)), text);
        }

        #[test]
        fn converting_any_text_never_panics(text in "[\\PC<>&;/!-]{0,300}") {
            let _ = convert(&text);
        }
    }
}
