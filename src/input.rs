//! Reading lines typed at a prompt, bounded: one line can never take more memory than
//! [`MAX_LINE_BYTES`], however long it is.

use std::io::{self, BufRead};

/// The longest line a prompt accepts: far more than any answer, card side or story
/// anyone types, and small enough that a pasted file cannot exhaust memory.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// One line read at a prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// The bytes of the line, including its `\n` if it had one (not at end of input).
    Text(Vec<u8>),
    /// The line was longer than the limit; it was read to its end and thrown away.
    TooLong,
    /// Input ended before any byte.
    End,
}

/// Reads one line of at most `limit` bytes (its newline included) from `input`.
///
/// A longer line is consumed up to and including its newline, keeping nothing, so the
/// next read starts at the next line and the caller never holds, echoes or parses it.
pub fn read_line(input: &mut impl BufRead, limit: usize) -> io::Result<Line> {
    let mut bytes = Vec::new();
    let mut too_long = false;
    loop {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            break;
        }
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(at) => (&buf[..=at], true),
            None => (buf, false),
        };
        let used = chunk.len();
        if !too_long && bytes.len() + used <= limit {
            bytes.extend_from_slice(chunk);
        } else {
            too_long = true;
            bytes = Vec::new();
        }
        input.consume(used);
        if done {
            break;
        }
    }
    Ok(if too_long {
        Line::TooLong
    } else if bytes.is_empty() {
        Line::End
    } else {
        Line::Text(bytes)
    })
}

/// The message for a line over [`MAX_LINE_BYTES`], the same at every prompt.
pub fn too_long_message() -> String {
    format!(
        "that line is longer than {} KiB and was ignored",
        MAX_LINE_BYTES / 1024
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_one_at_a_time_with_their_newline() {
        let mut input = &b"one\ntwo"[..];
        assert_eq!(
            read_line(&mut input, 10).unwrap(),
            Line::Text(b"one\n".to_vec())
        );
        assert_eq!(
            read_line(&mut input, 10).unwrap(),
            Line::Text(b"two".to_vec())
        );
        assert_eq!(read_line(&mut input, 10).unwrap(), Line::End);
    }

    #[test]
    fn a_line_over_the_limit_is_skipped_whole_and_the_next_one_read() {
        // A small buffer, so the long line arrives in many pieces.
        let text = [vec![b'x'; 1000], b"\nnext\n".to_vec()].concat();
        let mut input = std::io::BufReader::with_capacity(7, &text[..]);
        assert_eq!(read_line(&mut input, 100).unwrap(), Line::TooLong);
        assert_eq!(
            read_line(&mut input, 100).unwrap(),
            Line::Text(b"next\n".to_vec())
        );
        // Exactly at the limit (newline included) is still a line.
        let mut input = &b"abcd\n"[..];
        assert_eq!(
            read_line(&mut input, 5).unwrap(),
            Line::Text(b"abcd\n".to_vec())
        );
        let mut input = &b"abcde\n"[..];
        assert_eq!(read_line(&mut input, 5).unwrap(), Line::TooLong);
    }

    #[test]
    fn a_huge_line_is_skipped_and_the_next_one_read() {
        use std::io::Read;
        // 64 MiB of one line, generated as it is read.
        let mut input =
            std::io::BufReader::new(std::io::repeat(b'y').take(64 << 20).chain(&b"\nok\n"[..]));
        assert_eq!(
            read_line(&mut input, MAX_LINE_BYTES).unwrap(),
            Line::TooLong
        );
        assert_eq!(
            read_line(&mut input, MAX_LINE_BYTES).unwrap(),
            Line::Text(b"ok\n".to_vec())
        );
    }
}
