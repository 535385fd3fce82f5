//! `settings.json`: the learner's choices that are not progress (hidden decks).

use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// The settings format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The contents of `settings.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Always [`FORMAT_VERSION`] when written.
    pub format_version: u32,
    /// Deck ids left out of `review` and `stats` when no deck is named.
    #[serde(default)]
    pub hidden_decks: BTreeSet<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            format_version: FORMAT_VERSION,
            hidden_decks: BTreeSet::new(),
        }
    }
}

/// Most bytes read from `settings.json`; it holds a few ids.
const MAX_SETTINGS_BYTES: u64 = 1024 * 1024;

/// Reads the settings at `path`; defaults when the file does not exist. A damaged file
/// or one from a newer prepdeck is an error and is left untouched.
pub fn read(path: &Path) -> Result<Settings> {
    super::versioned::read(
        path,
        FORMAT_VERSION,
        MAX_SETTINGS_BYTES,
        "Fix it by hand or delete it (it only lists hidden decks)",
    )
    .map(Option::unwrap_or_default)
}

/// Replaces the settings at `path` atomically.
pub fn write(path: &Path, settings: &Settings) -> Result<()> {
    super::versioned::write(path, settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn a_missing_file_means_nothing_hidden() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            read(&dir.path().join("settings.json")).unwrap(),
            Settings::default()
        );
    }

    #[test]
    fn settings_written_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let mut settings = Settings::default();
        settings.hidden_decks.insert("why-they-ask".into());
        write(&path, &settings).unwrap();
        assert_eq!(read(&path).unwrap(), settings);
    }

    #[test]
    fn a_newer_version_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, r#"{"format_version":2,"theme":"dark"}"#).unwrap();
        assert!(matches!(
            read(&path),
            Err(Error::NewerFormat { found: 2, .. })
        ));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            r#"{"format_version":2,"theme":"dark"}"#
        );
    }

    #[test]
    fn a_damaged_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "{not json").unwrap();
        let message = read(&path).unwrap_err().to_string();
        assert!(message.contains("settings.json is damaged"), "{message}");
    }
}
