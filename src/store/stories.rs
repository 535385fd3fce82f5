//! `stories.json`: your stories, replaced atomically; damaged or newer files refused
//! and left untouched (see docs/progress-format.md).

use crate::error::{Error, Result};
use crate::story::{Stories, STORIES_VERSION};
use std::path::Path;

/// Far more than 50 stories of bounded parts ever take.
const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// The stories in the file at `path`; none when it does not exist.
pub fn read(path: &Path) -> Result<Stories> {
    const WHAT_TO_DO: &str = "Fix it by hand, or restore it from a backup";
    let Some(stories) =
        super::versioned::read::<Stories>(path, STORIES_VERSION, MAX_BYTES, WHAT_TO_DO)?
    else {
        return Ok(Stories::default());
    };
    if let Some(why) = stories.problem() {
        return Err(Error::Invalid(format!(
            "{} is damaged ({why}); it was left untouched. {WHAT_TO_DO}",
            path.display()
        )));
    }
    Ok(stories)
}

/// Replaces the file at `path` with `stories`, atomically.
pub fn write(path: &Path, stories: &Stories) -> Result<()> {
    super::versioned::write(path, stories)
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
