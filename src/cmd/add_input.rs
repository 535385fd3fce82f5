//! How `add` reads a card's sides beyond one line: the back over several lines at a
//! terminal, and `--back -` from standard input.

use crate::error::{Error, Result};
use std::io::{BufRead, Read, Write};

/// The most bytes `--back -` reads: a card's side, not a file.
pub const MAX_SIDE_BYTES: u64 = 64 * 1024;

/// Asks for side `name` over several lines, until an empty line or the end of input
/// (Ctrl-D). `None` when input ended before anything was typed: the card is cancelled.
pub fn ask_lines(
    name: &str,
    input: &mut impl BufRead,
    prompt: &mut impl Write,
) -> Result<Option<String>> {
    let mut label = name.chars();
    let label: String = label
        .next()
        .map(|first| first.to_uppercase().chain(label).collect())
        .unwrap_or_default();
    let _ = writeln!(
        prompt,
        "{label} (several lines; an empty line or Ctrl-D ends it):"
    );
    let _ = prompt.flush();
    let mut lines: Vec<String> = Vec::new();
    loop {
        let mut bytes = Vec::new();
        let read = input
            .by_ref()
            .take(MAX_SIDE_BYTES)
            .read_until(b'\n', &mut bytes)
            .map_err(|e| Error::io("read", "standard input", e))?;
        if read == 0 {
            if lines.is_empty() {
                let _ = writeln!(prompt);
                return Ok(None);
            }
            break;
        }
        let line = String::from_utf8(bytes).map_err(|_| {
            Error::Invalid(format!(
                "the {name} is not valid UTF-8; type it again, or pass --{name} TEXT"
            ))
        })?;
        let line = line.trim_end_matches(['\n', '\r']).to_owned();
        if line.is_empty() && !lines.is_empty() {
            break;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        if lines.iter().map(String::len).sum::<usize>() as u64 > MAX_SIDE_BYTES {
            return Err(Error::Invalid(format!(
                "the {name} is longer than {MAX_SIDE_BYTES} bytes; a card's side should be short"
            )));
        }
    }
    Ok(Some(lines.join("\n")))
}

/// All of standard input, for `--back -`: the text as given, its final line ending
/// dropped.
pub fn read_all(input: &mut impl BufRead) -> Result<String> {
    let mut bytes = Vec::new();
    input
        .take(MAX_SIDE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", "standard input", e))?;
    if bytes.len() as u64 > MAX_SIDE_BYTES {
        return Err(Error::Invalid(format!(
            "--back -: standard input is longer than {MAX_SIDE_BYTES} bytes; a card's side should be short"
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Invalid("--back -: standard input is not valid UTF-8".into()))?;
    Ok(text.trim_end_matches(['\n', '\r']).replace("\r\n", "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(typed: &[u8]) -> (Option<String>, String) {
        let mut prompt = Vec::new();
        let got = ask_lines("back", &mut &typed[..], &mut prompt).unwrap();
        (got, String::from_utf8(prompt).unwrap())
    }

    #[test]
    fn lines_until_an_empty_line_or_the_end_make_the_back() {
        let (got, prompt) = ask(b"Situation: a refund\nResult: kept\n\nnot read\n");
        assert_eq!(got.as_deref(), Some("Situation: a refund\nResult: kept"));
        assert!(prompt.starts_with("Back (several lines;"), "{prompt}");
        let (got, _) = ask(b"One line then Ctrl-D");
        assert_eq!(got.as_deref(), Some("One line then Ctrl-D"));
    }

    #[test]
    fn ctrl_d_before_anything_cancels() {
        assert_eq!(ask(b"").0, None);
    }

    #[test]
    fn back_dash_reads_everything_as_given() {
        let text = read_all(&mut &b"S: one\nT: two\r\n"[..]).unwrap();
        assert_eq!(text, "S: one\nT: two");
        let big = vec![b'x'; MAX_SIDE_BYTES as usize + 1];
        assert!(read_all(&mut &big[..]).is_err());
    }
}
