//! The writer lock: one `review` (or other writer) per data directory at a time.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

/// Held while a command may write progress; released when dropped or when the process dies.
#[derive(Debug)]
pub struct WriterLock {
    // Kept open: closing any handle to the file would drop the advisory lock.
    _file: File,
}

fn open(lock_path: &Path) -> Result<File> {
    // Read as well as write: opened write-only, a named pipe at the path would be an
    // obscure "no such device" instead of being named for what it is.
    super::file::open_regular(
        lock_path,
        OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true),
    )
    .map_err(|e| Error::io("create the lock file", lock_path, e))
}

impl WriterLock {
    /// Takes the lock at `lock_path` without waiting; `Locked` when another process has it.
    pub fn acquire(dir: &Path, lock_path: &Path) -> Result<WriterLock> {
        let file = open(lock_path)?;
        match file.try_lock() {
            Ok(()) => Ok(WriterLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Error::Locked {
                dir: dir.to_path_buf(),
                lock: lock_path.to_path_buf(),
            }),
            Err(TryLockError::Error(e)) => Err(Error::io("lock", lock_path, e)),
        }
    }

    /// True when another process (or handle) holds the lock at `lock_path` now.
    ///
    /// For readers: nothing is created, and a missing or odd lock file counts as free.
    /// The probe takes the lock shared for an instant, so it never blocks a writer for
    /// longer than that and never conflicts with another reader's probe.
    pub fn is_held(lock_path: &Path) -> bool {
        let Ok(file) = super::file::open_read(lock_path) else {
            return false;
        };
        matches!(file.try_lock_shared(), Err(TryLockError::WouldBlock))
    }

    /// Takes the lock at `lock_path`, waiting for another holder to finish.
    pub fn wait(lock_path: &Path) -> Result<WriterLock> {
        let file = open(lock_path)?;
        file.lock().map_err(|e| Error::io("lock", lock_path, e))?;
        Ok(WriterLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_acquire_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("review.lock");
        let first = WriterLock::acquire(dir.path(), &path).unwrap();
        assert!(matches!(
            WriterLock::acquire(dir.path(), &path),
            Err(Error::Locked { .. })
        ));
        drop(first);
        assert!(WriterLock::acquire(dir.path(), &path).is_ok());
    }
}
