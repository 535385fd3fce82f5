//! Turning plain data into text for people: tables, summaries, safe card text.

pub mod chart;
pub mod coach;
pub mod plan;
pub mod review;
pub mod stats;
pub mod style;
pub mod table;
pub mod text;

pub use style::Style;

/// Display columns of each line of `text`, colour codes left out: what a terminal shows.
#[cfg(test)]
pub(crate) fn display_widths(text: &str) -> Vec<usize> {
    text.lines()
        .map(|line| {
            let mut plain = String::new();
            let mut chars = line.chars();
            while let Some(c) = chars.next() {
                if c == '\u{1b}' {
                    // ESC [ parameters, then a letter ends the sequence.
                    chars.by_ref().find(|c| c.is_ascii_alphabetic());
                } else {
                    plain.push(c);
                }
            }
            unicode_width::UnicodeWidthStr::width(plain.as_str())
        })
        .collect()
}
