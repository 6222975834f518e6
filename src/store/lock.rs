//! One writer at a time per annotation file, and saving through what the
//! user set up: a symbolic link, a read-only file.
//!
//! Checking that a file is unchanged and then renaming over it is a race
//! when two processes save at once: both see the old file and both rename,
//! and the first one's work is gone. So every save takes an advisory lock
//! ([`std::fs::File::lock`]) on a lock file beside the annotation file,
//! `.NAME.tandai.ron.lock`, from the comparison until after the rename. The
//! lock file is never renamed or removed (the annotation file is replaced at
//! each save, so it cannot carry the lock itself): every writer locks the
//! same file. It is hidden, so folder walks skip it. The lock belongs to the
//! open file, so it dies with its process: a killed writer blocks no one.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::StoreError;

/// How long a writer waits for another one to finish its save. A save holds
/// the lock for a comparison and a write (a fraction of a second even for
/// the largest file), so a lock held longer belongs to a process that hangs.
pub const LOCK_WAIT: Duration = Duration::from_secs(20);

/// Holds the lock of one annotation file until dropped.
#[derive(Debug)]
pub struct SaveLock {
    _file: std::fs::File,
}

/// The lock file of the annotation file `path`: `.NAME.lock` beside it.
pub fn lock_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.lock"))
}

/// Locks the annotation file `path` (which [`save_target`] resolved),
/// waiting up to [`LOCK_WAIT`] for another writer to finish.
pub fn lock(path: &Path) -> Result<SaveLock, StoreError> {
    let lock = lock_path(path);
    let io = |source| StoreError::Write {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock)
        .map_err(io)?;
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(SaveLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StoreError::Busy {
                    path: path.to_owned(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
    }
}

/// The file a save of `path` must replace: `path` itself, or the file a
/// symbolic link there points to (followed to its end), so that the link
/// stays a link and its target gets the new content. A read-only file is
/// refused ([`StoreError::ReadOnly`]): the user protected it.
pub fn save_target(path: &Path) -> Result<PathBuf, StoreError> {
    let target = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(path).map_err(|source| StoreError::Write {
                path: path.to_owned(),
                source: std::io::Error::new(
                    source.kind(),
                    format!("it is a symbolic link whose target cannot be reached ({source})"),
                ),
            })?
        }
        _ => path.to_owned(),
    };
    match std::fs::metadata(&target) {
        Ok(meta) if meta.permissions().readonly() => Err(StoreError::ReadOnly {
            path: path.to_owned(),
        }),
        _ => Ok(target),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_is_a_hidden_file_beside_the_annotation_file() {
        assert_eq!(
            lock_path(Path::new("dir/a.tandai.ron")),
            Path::new("dir/.a.tandai.ron.lock")
        );
        assert_eq!(
            lock_path(Path::new("a.tandai.ron")),
            Path::new(".a.tandai.ron.lock")
        );
    }

    #[test]
    fn a_second_lock_of_the_same_file_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.tandai.ron");
        let first = lock(&p).unwrap();
        let other = std::fs::File::open(lock_path(&p)).unwrap();
        assert!(matches!(
            other.try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
        drop(first);
        other.try_lock().unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_read_only_files_refused() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("store/real.tandai.ron");
        std::fs::create_dir(dir.path().join("store")).unwrap();
        std::fs::write(&real, "x").unwrap();
        let link = dir.path().join("a.tandai.ron");
        std::os::unix::fs::symlink("store/real.tandai.ron", &link).unwrap();
        assert_eq!(save_target(&link).unwrap(), real.canonicalize().unwrap());
        assert_eq!(save_target(&real).unwrap(), real);
        let missing = dir.path().join("new.tandai.ron");
        assert_eq!(save_target(&missing).unwrap(), missing);

        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o444)).unwrap();
        assert!(matches!(
            save_target(&real),
            Err(StoreError::ReadOnly { .. })
        ));
        assert!(matches!(
            save_target(&link),
            Err(StoreError::ReadOnly { .. })
        ));

        let dangling = dir.path().join("d.tandai.ron");
        std::os::unix::fs::symlink("nowhere.tandai.ron", &dangling).unwrap();
        let err = save_target(&dangling).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
    }
}
