//! Replacing a file atomically: temp file in the same directory, fsync, rename, fsync the directory.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::Write;
use std::path::Path;

/// Temporary files are named `.prepdeck-XXXXXX.tmp`: hidden, so no deck loader picks them up.
pub const TEMP_PREFIX: &str = ".prepdeck-";
/// See [`TEMP_PREFIX`].
pub const TEMP_SUFFIX: &str = ".tmp";

/// Replaces `path` with `bytes` so that a crash leaves either the old or the new file, whole.
///
/// The file is readable by its owner only, as fits progress and private decks.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with(path, bytes, None)
}

/// `value` as JSON, written with [`write_atomic`].
pub fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<()> {
    let bytes = serde_json::to_vec(value)
        .map_err(|e| crate::error::Error::io("write", path, std::io::Error::other(e)))?;
    write_atomic(path, &bytes)
}

/// [`write_atomic`] for a file meant to be shared (`export -o`): created readable by
/// everyone the umask allows (mode 0644 before the umask on Unix), like any new file.
pub fn write_atomic_shareable(path: &Path, bytes: &[u8]) -> Result<()> {
    #[cfg(unix)]
    let permissions = {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o644))
    };
    #[cfg(not(unix))]
    let permissions = None;
    write_with(path, bytes, permissions)
}

fn write_with(path: &Path, bytes: &[u8], permissions: Option<std::fs::Permissions>) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    if let Some(permissions) = permissions {
        builder.permissions(permissions);
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file in", dir, e))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io("write", tmp.path().to_path_buf(), e))?;
    tmp.persist(path)
        .map_err(|e| Error::io("replace", path, e.error))?;
    sync_dir(dir)
}

/// Whether `name` is one of our temporary files (see [`TEMP_PREFIX`]).
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)
}

/// Removes temporary files in `dir` that a killed process left behind, once they are
/// older than `age` (younger ones may belong to a write still in progress).
pub fn sweep_stale_temps(dir: &Path, age: std::time::Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !is_temp_name(&name) {
            continue;
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|elapsed| elapsed > age);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Makes a rename or a new file in `dir` durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    // Directories cannot be opened for fsync on every platform; where they can, do it.
    match File::open(dir) {
        Ok(handle) => handle
            .sync_all()
            .or_else(|e| if cfg!(unix) { Err(e) } else { Ok(()) })
            .map_err(|e| Error::io("sync", dir, e)),
        Err(_) if !cfg!(unix) => Ok(()),
        Err(e) => Err(Error::io("open", dir, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweeping_removes_only_old_temp_files_of_ours() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".prepdeck-abc.tmp");
        let young = dir.path().join(".prepdeck-def.tmp");
        let other = dir.path().join("notes.tmp");
        for path in [&old, &young, &other] {
            std::fs::write(path, b"x").unwrap();
        }
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for path in [&old, &other] {
            File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(hour_ago)
                .unwrap();
        }
        sweep_stale_temps(dir.path(), std::time::Duration::from_secs(600));
        assert!(!old.exists());
        assert!(young.exists() && other.exists());
    }

    #[test]
    fn replaces_the_content_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        write_atomic(&path, b"old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}
