//! `rehearsal-index.json`: the rehearsal lines of the review log up to a known offset,
//! so that `stats`, `plan` and `review` do not search a long log from the top each time.
//! A cache only, like `state.json`: checked against the log, rebuilt when it does not
//! match, safe to delete (see docs/progress-format.md).

use super::log::{rehearsals_between, Found};
use super::snapshot::log_ends_with;
use super::DataDir;
use crate::error::Result;
use crate::rehearse::Rehearsal;
use serde::{Deserialize, Serialize};

/// The index format version.
const VERSION: u32 = 1;
/// Rewritten only when this many bytes of log were searched past it: a small tail is
/// searched faster than the index is replaced.
const REWRITE_AFTER: u64 = 1 << 20;
/// Far more than years of rehearsals take.
const MAX_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Index {
    format_version: u32,
    /// The log offset just after the last line searched.
    log_offset: u64,
    /// That line, to check the log is still the one searched.
    log_last_line: Option<String>,
    /// The rehearsals up to `log_offset`, in log order.
    rehearsals: Vec<Rehearsal>,
}

impl DataDir {
    /// The cache of rehearsal lines.
    pub fn rehearsal_index_path(&self) -> std::path::PathBuf {
        self.root().join("rehearsal-index.json")
    }

    /// Every rehearsal in the review log, in log order: from the index where it still
    /// matches the log, then from the log after it. The index is brought up to date
    /// when much of the log had to be searched; failing to write it costs speed only.
    pub fn rehearsals(&self) -> Result<Vec<Rehearsal>> {
        let log = self.log_path();
        let index = super::file::read_bounded(&self.rehearsal_index_path(), MAX_BYTES)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Index>(&bytes).ok())
            .filter(|i| i.format_version == VERSION);
        let (mut known, from, last) = match index {
            Some(i) if log_ends_with(&log, i.log_offset, i.log_last_line.as_deref())? => {
                (i.rehearsals, i.log_offset, i.log_last_line)
            }
            _ => (Vec::new(), 0, None),
        };
        let Found {
            rehearsals,
            end,
            last_line,
        } = rehearsals_between(&log, from, u64::MAX)?;
        known.extend(rehearsals);
        if end - from >= REWRITE_AFTER && self.root().is_dir() {
            let index = Index {
                format_version: VERSION,
                log_offset: end,
                log_last_line: last_line.or(last),
                rehearsals: known,
            };
            let _ = super::atomic::write_json(&self.rehearsal_index_path(), &index);
            return Ok(index.rehearsals);
        }
        Ok(known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REHEARSAL: &str = r#"{"v":2,"kind":"rehearsal","at":"2026-01-01T10:00:00Z","day":"2026-01-01","question":1,"question_text":"Q","story":null,"seconds":70,"timed":"given","points":["timing"]}"#;

    #[test]
    fn the_index_is_written_for_a_long_log_used_while_it_matches_and_rebuilt_when_not() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        let filler = format!("{}\n", " ".repeat(1 << 20));
        std::fs::write(
            data.log_path(),
            format!("{REHEARSAL}\n{filler}{REHEARSAL}\n"),
        )
        .unwrap();
        assert_eq!(data.rehearsals().unwrap().len(), 2);
        let index: Index =
            serde_json::from_slice(&std::fs::read(data.rehearsal_index_path()).unwrap()).unwrap();
        assert_eq!(index.rehearsals.len(), 2);
        assert_eq!(index.log_last_line.as_deref(), Some(REHEARSAL));

        // Appended to: the index and the new line.
        let mut text = std::fs::read_to_string(data.log_path()).unwrap();
        text.push_str(REHEARSAL);
        text.push('\n');
        std::fs::write(data.log_path(), &text).unwrap();
        assert_eq!(data.rehearsals().unwrap().len(), 3);

        // Replaced by another log: the index no longer matches and is not trusted.
        std::fs::write(data.log_path(), format!("{REHEARSAL}\n")).unwrap();
        assert_eq!(data.rehearsals().unwrap().len(), 1);
        // A damaged index is ignored.
        std::fs::write(data.rehearsal_index_path(), "{").unwrap();
        assert_eq!(data.rehearsals().unwrap().len(), 1);
    }
}
