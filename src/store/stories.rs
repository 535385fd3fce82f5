//! `stories.json`: your stories, replaced atomically; damaged or newer files refused
//! and left untouched (see docs/progress-format.md).

use crate::error::{Error, Result};
use crate::story::{Stories, STORIES_VERSION};
use std::path::Path;

/// Far more than 50 stories of bounded parts ever take.
const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// The stories in the file at `path`; none when it does not exist.
pub fn read(path: &Path) -> Result<Stories> {
    let bytes = match super::file::read_bounded(path, MAX_BYTES) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Stories::default()),
        Err(e) => return Err(Error::io("read", path, e)),
    };
    #[derive(serde::Deserialize)]
    struct Probe {
        format_version: u64,
    }
    if let Ok(probe) = serde_json::from_slice::<Probe>(&bytes) {
        if probe.format_version > u64::from(STORIES_VERSION) {
            return Err(Error::NewerFormat {
                path: path.to_path_buf(),
                found: probe.format_version,
                supported: STORIES_VERSION,
            });
        }
    }
    let damaged = |why: String| {
        Error::Invalid(format!(
            "{} is damaged ({why}); it was left untouched. Fix it by hand, or restore it from a backup",
            path.display()
        ))
    };
    let stories: Stories = serde_json::from_slice(&bytes).map_err(|e| damaged(e.to_string()))?;
    if let Some(why) = stories.problem() {
        return Err(damaged(why));
    }
    Ok(stories)
}

/// Replaces the file at `path` with `stories`, atomically.
pub fn write(path: &Path, stories: &Stories) -> Result<()> {
    let mut text = serde_json::to_string_pretty(stories)
        .map_err(|e| Error::io("write", path, std::io::Error::other(e)))?;
    text.push('\n');
    super::atomic::write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_and_newer_files_are_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stories.json");
        assert!(read(&path).unwrap().stories.is_empty());
        for (text, expected) in [
            ("{", "damaged"),
            (r#"{"format_version":1,"stories":[{"id":"x"}]}"#, "damaged"),
            (r#"{"format_version":2,"stories":[]}"#, "newer prepdeck"),
        ] {
            std::fs::write(&path, text).unwrap();
            let err = read(&path).unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        }
        write(&path, &Stories::default()).unwrap();
        assert_eq!(read(&path).unwrap(), Stories::default());
    }
}
