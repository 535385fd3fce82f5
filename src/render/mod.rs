//! Turning plain data into text for people: tables, summaries, safe card text.

pub mod chart;
pub mod class;
pub mod coach;
pub mod html;
pub mod plan;
pub mod review;
pub mod stats;
pub mod story;
pub mod style;
pub mod table;
pub mod text;

pub use style::Style;

/// The columns prepdeck's own lines are laid out for: 80, or the terminal's width when
/// it is narrower. Set once by the command from the terminal (see [`set_columns`]).
static COLUMNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(80);

/// Lays text out for a terminal `width` columns wide (at most 80, at least 40: tables
/// and charts need that much to say anything).
pub fn set_columns(width: usize) {
    COLUMNS.store(width.clamp(40, 80), std::sync::atomic::Ordering::Relaxed);
}

/// The columns to lay text out in: 80 unless a narrower terminal was set.
pub fn columns() -> usize {
    COLUMNS.load(std::sync::atomic::Ordering::Relaxed)
}

/// `n` and a noun, the noun in the plural unless `n` is 1: "1 card", "3 cards",
/// "0 new cards". For the regular nouns of prepdeck's messages (card, day, error,
/// warning, file, …): the plural adds an "s" to the last word.
pub fn plural(n: impl std::fmt::Display, noun: &str) -> String {
    // Any integer type, as its digits: "1" is the one singular count.
    let n = n.to_string();
    let s = if n == "1" { "" } else { "s" };
    format!("{n} {noun}{s}")
}

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
            text::columns(&plain)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn only_one_is_singular() {
        assert_eq!(plural(1u32, "card"), "1 card");
        assert_eq!(plural(0usize, "card"), "0 cards");
        assert_eq!(plural(2u64, "new card"), "2 new cards");
        assert_eq!(plural(21i64, "day"), "21 days");
        assert_eq!(plural(11u32, "day"), "11 days");
    }
}
