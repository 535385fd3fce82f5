//! Colour on a terminal, plain text everywhere else.

use std::io::IsTerminal;

/// Whether to paint output with ANSI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// True only on a terminal with `NO_COLOR` unset.
    pub color: bool,
}

impl Style {
    /// Colour when standard output is a terminal, `NO_COLOR` is unset or empty and
    /// `TERM` is not `dumb` (a terminal that shows escape codes as text).
    pub fn for_stdout() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var_os("TERM").is_some_and(|term| term == "dumb");
        Style {
            color: !no_color && !dumb && std::io::stdout().is_terminal(),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// Bold text.
    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Dimmed text, for hints.
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    /// Green text, for good news.
    pub fn good(&self, text: &str) -> String {
        self.paint("32", text)
    }

    /// Yellow text, for warnings.
    pub fn warn(&self, text: &str) -> String {
        self.paint("33", text)
    }

    /// Cyan text, for headers.
    pub fn accent(&self, text: &str) -> String {
        self.paint("36", text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_style_adds_no_escape_codes() {
        assert_eq!(Style { color: false }.bold("x"), "x");
        assert_eq!(Style { color: true }.bold("x"), "\x1b[1mx\x1b[0m");
    }
}
