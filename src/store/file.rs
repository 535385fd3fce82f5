//! Opening the data directory's files without trusting what sits at their paths.
//!
//! A named pipe (or a device) where `reviews.jsonl` or `state.json` belongs would make a
//! plain `open` or `read` wait forever for a writer that never comes. Every progress file
//! is opened through [`open_regular`], which cannot block on such a file and refuses it.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Opens `path` with `options`, refusing anything that is not a regular file.
///
/// The file is opened non-blocking, so that opening a named pipe returns at once instead
/// of waiting for its other end, and its type is then read from the opened handle, not
/// from the path again: nothing can be put in its place between the check and the use.
/// Non-blocking mode changes nothing for a regular file (reads and writes of regular
/// files never return `EAGAIN`), so the handle is used as it is.
///
/// A missing file is the usual [`io::ErrorKind::NotFound`]; anything else at the path is
/// an error whose message says what it is and what to do.
pub fn open_regular(path: &Path, options: &OpenOptions) -> io::Result<File> {
    let (file, meta) = open_nonblocking(path, options)?;
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(file);
    }
    Err(io::Error::other(format!(
        "it is {}, not a regular file; prepdeck keeps its data in plain files only. Move it out of the data directory and run the command again",
        describe(&kind)
    )))
}

/// `path` opened with `options` without blocking, and what the opened handle is: the
/// check a caller makes on it cannot be raced by something put at the path meanwhile.
pub fn open_nonblocking(path: &Path, options: &OpenOptions) -> io::Result<(File, Metadata)> {
    let mut options = options.clone();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
        // A file created here (the log, a lock) is as private as the rest of the data
        // directory; an existing file keeps its mode.
        options.mode(0o600);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    Ok((file, meta))
}

/// [`open_regular`] for reading.
pub fn open_read(path: &Path) -> io::Result<File> {
    open_regular(path, OpenOptions::new().read(true))
}

/// The whole of the regular file at `path`, refused when it is longer than `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = open_read(path)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::other(format!(
            "it is larger than {} KiB, far more than prepdeck ever writes there; it is not prepdeck's file",
            limit / 1024
        )));
    }
    Ok(bytes)
}

/// What a file that is not a regular one is, in a user's words.
fn describe(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn mkfifo(path: &Path) {
        let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `c` is a valid NUL-terminated path that outlives the call.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    }

    #[test]
    fn a_named_pipe_is_refused_at_once_for_reading_and_for_writing() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("reviews.jsonl");
        mkfifo(&fifo);
        // No one holds the other end: a blocking open would never return.
        let err = open_read(&fifo).unwrap_err().to_string();
        assert!(
            err.contains("named pipe (FIFO), not a regular file"),
            "{err}"
        );
        let mut write = OpenOptions::new();
        write.read(true).write(true).create(true);
        let err = open_regular(&fifo, &write).unwrap_err().to_string();
        assert!(err.contains("named pipe"), "{err}");
    }

    #[test]
    fn directories_and_devices_are_refused_and_files_read() {
        let dir = tempfile::tempdir().unwrap();
        let err = open_read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("a directory"), "{err}");
        let err = read_bounded(Path::new("/dev/zero"), 1024)
            .unwrap_err()
            .to_string();
        assert!(err.contains("a device"), "{err}");
        let file = dir.path().join("plan.json");
        std::fs::write(&file, b"12345").unwrap();
        assert_eq!(read_bounded(&file, 5).unwrap(), b"12345");
        assert!(read_bounded(&file, 4).is_err());
        let missing = open_read(&dir.path().join("none")).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
    }
}
