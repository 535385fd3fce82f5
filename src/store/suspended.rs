//! `suspended.json`: cards the learner took out of review and the plan with
//! `prepdeck card suspend`. A file of its own, so that `settings.json` stays readable by
//! earlier builds.

use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// The format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Most bytes read: a key is at most a few hundred bytes, and 100,000 of them fit.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The contents of `suspended.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suspended {
    /// Always [`FORMAT_VERSION`] when written.
    pub format_version: u32,
    /// `deck-id/card-id` of each suspended card.
    pub cards: BTreeSet<String>,
}

impl Default for Suspended {
    fn default() -> Suspended {
        Suspended {
            format_version: FORMAT_VERSION,
            cards: BTreeSet::new(),
        }
    }
}

/// Reads the file at `path`; nothing suspended when it does not exist. A damaged file
/// or one from a newer prepdeck is an error and is left untouched.
pub fn read(path: &Path) -> Result<Suspended> {
    super::versioned::read(
        path,
        FORMAT_VERSION,
        MAX_BYTES,
        "Fix it by hand or delete it (it only lists suspended cards)",
    )
    .map(Option::unwrap_or_default)
}

/// Replaces the file at `path` atomically.
pub fn write(path: &Path, suspended: &Suspended) -> Result<()> {
    super::versioned::write(path, suspended)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn written_then_read_back_and_missing_means_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("suspended.json");
        assert_eq!(read(&path).unwrap(), Suspended::default());
        let mut s = Suspended::default();
        s.cards.insert("d/a".into());
        write(&path, &s).unwrap();
        assert_eq!(read(&path).unwrap(), s);
        std::fs::write(&path, r#"{"format_version":2}"#).unwrap();
        assert!(matches!(read(&path), Err(Error::NewerFormat { .. })));
        std::fs::write(&path, "{").unwrap();
        assert!(read(&path).unwrap_err().to_string().contains("damaged"));
    }
}
