//! The small versioned JSON files of the data directory (`settings.json`, `stories.json`,
//! `suspended.json`, `deck-archive/ID.json`): one way to read them, refusing damage and
//! newer versions alike, and one way to write them.

use super::atomic::write_atomic;
use crate::error::{Error, Result};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Reads the JSON file at `path`, whose `format_version` must be `version`; `None` when
/// there is no such file. A file from a newer prepdeck is [`Error::NewerFormat`]; a
/// damaged one (not JSON, another version, a key that does not belong) is an error that
/// ends with `what_to_do`. Either way the file is left untouched.
pub fn read<T: DeserializeOwned>(
    path: &Path,
    version: u32,
    limit: u64,
    what_to_do: &str,
) -> Result<Option<T>> {
    let bytes = match super::file::read_bounded(path, limit) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read", path, e)),
    };
    let damaged = |detail: String| {
        Error::Invalid(format!(
            "{} is damaged ({detail}); it was left untouched. {what_to_do}",
            path.display()
        ))
    };
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| damaged(e.to_string()))?;
    match value
        .get("format_version")
        .and_then(serde_json::Value::as_u64)
    {
        Some(v) if v > u64::from(version) => {
            return Err(Error::NewerFormat {
                path: path.to_path_buf(),
                found: v,
                supported: version,
            })
        }
        Some(v) if v == u64::from(version) => {}
        _ => return Err(damaged(format!("\"format_version\" must be {version}"))),
    }
    serde_json::from_value(value)
        .map(Some)
        .map_err(|e| damaged(e.to_string()))
}

/// Replaces the file at `path` atomically with `value` as pretty JSON.
pub fn write(path: &Path, value: &impl serde::Serialize) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    write_atomic(path, text.as_bytes())
}
