//! What an annotation file was on disk, and whether it changed since.

use std::path::Path;
use std::time::{Duration, SystemTime};

use super::{MAX_ANNOTATION_BYTES, StoreError};
use crate::document::{self, DocumentError, sha256_hex};

/// What was on disk when a file was loaded or last saved, to notice when
/// someone else changes it.
///
/// The hash decides; the metadata ([`FileMeta`]) only lets
/// [`changed_on_disk`] skip hashing when nothing about the file moved.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DiskState {
    /// SHA-256 of the file bytes, or `None` if there was no file.
    pub sha256: Option<String>,
    /// Length, modification time and identity of the file the hash was
    /// taken of, if known.
    pub meta: Option<FileMeta>,
}

/// The cheap facts about a file that change whenever it is written.
/// Two are equal when the facts are, whenever they were taken.
#[derive(Clone, Copy, Debug)]
pub struct FileMeta {
    /// Length in bytes.
    pub len: u64,
    /// Modification time.
    pub modified: SystemTime,
    /// Device and inode (Unix): a file renamed over the path has another.
    pub inode: Option<(u64, u64)>,
    /// When these facts were taken. A file modified less than
    /// [`RACY_WINDOW`] before that may be written again within the same
    /// timestamp tick without its metadata changing, so for such a file
    /// equal metadata proves nothing and [`changed_on_disk`] hashes anyway
    /// (what git calls "racily clean").
    pub taken: SystemTime,
}

impl PartialEq for FileMeta {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.modified == other.modified && self.inode == other.inode
    }
}

impl Eq for FileMeta {}

/// How close to the moment metadata was taken a modification time must be
/// for the metadata not to be trusted: longer than the coarsest timestamp
/// resolution in use (FAT: 2 s; ext4, tmpfs: the kernel tick).
pub const RACY_WINDOW: Duration = Duration::from_secs(3);

impl FileMeta {
    /// The facts of an open file or a path's metadata, taken now.
    pub fn of(meta: &std::fs::Metadata) -> Option<Self> {
        Some(Self {
            len: meta.len(),
            modified: meta.modified().ok()?,
            inode: inode(meta),
            taken: SystemTime::now(),
        })
    }

    /// Whether `now` shows the same file, unchanged, with certainty.
    fn proves_same(&self, now: &FileMeta) -> bool {
        let settled = self
            .modified
            .checked_add(RACY_WINDOW)
            .is_some_and(|t| t <= self.taken);
        settled && self == now
    }
}

#[cfg(unix)]
#[allow(clippy::unnecessary_wraps)] // `None` elsewhere.
fn inode(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt as _;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn inode(_meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// How an annotation file on disk compares with what was loaded or saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskChange {
    /// The same bytes (possibly touched, or rewritten identically).
    Same,
    /// Other bytes than those loaded or saved.
    Modified,
    /// It was there and is gone.
    Deleted,
    /// There was none and now there is one.
    Created,
}

impl DiskState {
    /// Reads the current state of `path` (hashes it).
    pub fn read(path: &Path) -> Result<Self, StoreError> {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            _ => {
                let (bytes, meta) = document::read_bounded_with_meta(path, MAX_ANNOTATION_BYTES)
                    .map_err(StoreError::AnnotationFile)?;
                Ok(Self {
                    sha256: Some(sha256_hex(&bytes)),
                    meta: FileMeta::of(&meta),
                })
            }
        }
    }

    /// [`changed_on_disk`], and when the file had to be hashed and turned
    /// out unchanged, keeps its fresh metadata so that the next check is
    /// cheap again (after a touch, or once a just-saved file is older than
    /// [`RACY_WINDOW`]). Meant for the check on window focus.
    pub fn recheck(&mut self, path: &Path) -> Result<DiskChange, StoreError> {
        let (change, fresh) = compare_disk(path, self)?;
        if let Some(fresh) = fresh
            && change == DiskChange::Same
        {
            *self = fresh;
        }
        Ok(change)
    }
}

/// Whether the annotation file at `path` changed since `known` was taken.
/// Cheap when nothing moved: the file is hashed only when its length,
/// modification time or inode differ from `known`'s (or `known` has no
/// metadata, or was taken too soon after a write to trust it); a file that
/// hashes the same despite a new modification time is [`DiskChange::Same`].
pub fn changed_on_disk(path: &Path, known: &DiskState) -> Result<DiskChange, StoreError> {
    compare_disk(path, known).map(|(change, _)| change)
}

/// [`changed_on_disk`], with the state read if the file had to be hashed.
fn compare_disk(
    path: &Path,
    known: &DiskState,
) -> Result<(DiskChange, Option<DiskState>), StoreError> {
    let meta = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let change = if known.sha256.is_some() {
                DiskChange::Deleted
            } else {
                DiskChange::Same
            };
            return Ok((change, None));
        }
        Err(e) => {
            return Err(StoreError::AnnotationFile(DocumentError::Io {
                path: path.to_owned(),
                source: e,
            }));
        }
        Ok(m) => m,
    };
    let Some(hash) = &known.sha256 else {
        return Ok((DiskChange::Created, None));
    };
    if let (Some(k), Some(now)) = (known.meta, FileMeta::of(&meta))
        && k.proves_same(&now)
    {
        return Ok((DiskChange::Same, None));
    }
    let now = DiskState::read(path)?;
    let change = match &now.sha256 {
        None => DiskChange::Deleted,
        Some(h) if h == hash => DiskChange::Same,
        Some(_) => DiskChange::Modified,
    };
    Ok((change, Some(now)))
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;
    use std::path::PathBuf;

    use super::*;
    use crate::model::Annotations;
    use crate::store::test_support::{ARTICLE, LABELS, dir_with_article, tag};
    use crate::store::{LoadOptions, open, read_raw, save};

    /// An annotation file saved "long ago", so its metadata can be trusted.
    fn settled(dir: &Path) -> (PathBuf, DiskState) {
        let p = dir.join("a.tandai.ron");
        std::fs::write(&p, "(version: 1, document: (path: \"a.txt\"))\n").unwrap();
        let old = SystemTime::now() - Duration::from_hours(1);
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let disk = DiskState::read(&p).unwrap();
        assert!(disk.meta.is_some());
        (p, disk)
    }

    #[test]
    fn changes_on_disk_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let (p, disk) = settled(dir.path());
        assert_eq!(changed_on_disk(&p, &disk).unwrap(), DiskChange::Same);

        // Touched without change: the hash says Same.
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(SystemTime::now())
            .unwrap();
        assert_eq!(changed_on_disk(&p, &disk).unwrap(), DiskChange::Same);
        let mut rechecked = disk.clone();
        assert_eq!(rechecked.recheck(&p).unwrap(), DiskChange::Same);
        assert_ne!(rechecked.meta, disk.meta, "fresh metadata kept");
        assert_eq!(rechecked.sha256, disk.sha256);

        // Appended to.
        let (p, disk) = settled(dir.path());
        let mut f = std::fs::File::options().append(true).open(&p).unwrap();
        f.write_all(b"// more\n").unwrap();
        drop(f);
        assert_eq!(changed_on_disk(&p, &disk).unwrap(), DiskChange::Modified);
        let mut rechecked = disk.clone();
        assert_eq!(rechecked.recheck(&p).unwrap(), DiskChange::Modified);
        assert_eq!(
            rechecked, disk,
            "a modified file does not refresh the state"
        );

        // Replaced by a rename, same length and modification time: only the
        // inode (Unix) or the hash can tell.
        let (p, disk) = settled(dir.path());
        let other = dir.path().join("other");
        std::fs::write(&other, "(version: 1, document: (path: \"b.txt\"))\n").unwrap();
        let meta = disk.meta.unwrap();
        std::fs::File::options()
            .write(true)
            .open(&other)
            .unwrap()
            .set_modified(meta.modified)
            .unwrap();
        std::fs::rename(&other, &p).unwrap();
        assert_eq!(changed_on_disk(&p, &disk).unwrap(), DiskChange::Modified);
        // Renamed over with the very same bytes: Same.
        let (p, disk) = settled(dir.path());
        std::fs::write(&other, std::fs::read(&p).unwrap()).unwrap();
        std::fs::rename(&other, &p).unwrap();
        assert_eq!(changed_on_disk(&p, &disk).unwrap(), DiskChange::Same);

        // Deleted, then created where there was none.
        std::fs::remove_file(&p).unwrap();
        assert_eq!(changed_on_disk(&p, &disk).unwrap(), DiskChange::Deleted);
        let none = DiskState::read(&p).unwrap();
        assert_eq!(none, DiskState::default());
        assert_eq!(changed_on_disk(&p, &none).unwrap(), DiskChange::Same);
        std::fs::write(&p, "x").unwrap();
        assert_eq!(changed_on_disk(&p, &none).unwrap(), DiskChange::Created);
    }

    #[test]
    fn equal_metadata_is_not_trusted_right_after_a_write() {
        // Written twice within one timestamp tick, same length: the
        // metadata may be equal, the bytes are not.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.tandai.ron");
        std::fs::write(&p, "aaaa").unwrap();
        let disk = DiskState::read(&p).unwrap();
        let mtime = disk.meta.unwrap().modified;
        std::fs::write(&p, "bbbb").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        assert_eq!(changed_on_disk(&p, &disk).unwrap(), DiskChange::Modified);
        // And a save keeps refusing it.
        let ann = Annotations::default();
        let err = save(&p, &ann, LABELS, &disk).unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    }

    #[test]
    fn saved_state_matches_what_loading_reads() {
        let (_d, p) = dir_with_article(ARTICLE);
        let mut l = open(&p, LoadOptions::default()).unwrap();
        tag(&mut l, "source", "Gedung Putih");
        let disk = save(&l.path, &l.annotations, LABELS, &l.disk).unwrap();
        let (_, read) = read_raw(&l.path).unwrap();
        assert_eq!(read.sha256, disk.sha256);
        assert_eq!(read.meta, disk.meta);
        assert_eq!(changed_on_disk(&l.path, &disk).unwrap(), DiskChange::Same);
    }
}
