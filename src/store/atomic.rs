//! Replacing a file atomically, through a seam that tests make fail.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Replaces `path` with `bytes` atomically: temporary file in the same
/// folder, write, fsync, rename, fsync the folder. On error the old file is
/// untouched and the temporary file removed.
///
/// The temporary file is `.NAME.tmp-PID-N` beside `path`. A process killed
/// mid-save leaves its own behind; so the first atomic write into a folder
/// in each process removes the stale ones there ([`sweep_temporaries`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_in(&RealFs, path, bytes).map(|_| ())
}

/// The steps of an atomic write and of removing a file, as a seam: the
/// real filesystem ([`RealFs`]) in the program, a filesystem that fails at
/// a chosen step in tests. Every method does one step and nothing else, so
/// a test can make exactly that step fail. [`write_atomic_in`] is generic
/// over it, so the program pays nothing for the seam (no dynamic dispatch,
/// no global state).
pub(crate) trait Fs {
    /// Creates `path`, failing with `AlreadyExists` if it exists.
    fn create_new(&self, path: &Path) -> std::io::Result<std::fs::File>;
    /// Writes all of `bytes` to `file`.
    fn write_all(&self, file: &mut std::fs::File, bytes: &[u8]) -> std::io::Result<()>;
    /// Flushes `file`'s buffers (none for a plain `File`, but the step is
    /// there for writers that have them).
    fn flush(&self, file: &mut std::fs::File) -> std::io::Result<()>;
    /// Gives `file` the permissions of the file at `like`, if there is one.
    fn copy_permissions(&self, file: &std::fs::File, like: &Path) -> std::io::Result<()>;
    /// fsyncs `file`.
    fn sync_file(&self, file: &std::fs::File) -> std::io::Result<()>;
    /// The metadata of the open `file`.
    fn metadata(&self, file: &std::fs::File) -> std::io::Result<std::fs::Metadata>;
    /// Renames `from` over `to`.
    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()>;
    /// fsyncs the folder `dir`, making a rename in it durable.
    fn sync_dir(&self, dir: &Path) -> std::io::Result<()>;
    /// Removes the file `path`.
    fn remove_file(&self, path: &Path) -> std::io::Result<()>;
}

/// The real filesystem.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RealFs;

impl Fs for RealFs {
    fn create_new(&self, path: &Path) -> std::io::Result<std::fs::File> {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    }
    fn write_all(&self, file: &mut std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
        file.write_all(bytes)
    }
    fn flush(&self, file: &mut std::fs::File) -> std::io::Result<()> {
        file.flush()
    }
    fn copy_permissions(&self, file: &std::fs::File, like: &Path) -> std::io::Result<()> {
        match std::fs::metadata(like) {
            Ok(meta) => file.set_permissions(meta.permissions()),
            // No file to replace (or none we can see): default permissions.
            Err(_) => Ok(()),
        }
    }
    fn sync_file(&self, file: &std::fs::File) -> std::io::Result<()> {
        file.sync_all()
    }
    fn metadata(&self, file: &std::fs::File) -> std::io::Result<std::fs::Metadata> {
        file.metadata()
    }
    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()> {
        std::fs::rename(from, to)
    }
    fn sync_dir(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::File::open(dir)?.sync_all()
    }
    fn remove_file(&self, path: &Path) -> std::io::Result<()> {
        std::fs::remove_file(path)
    }
}

/// [`write_atomic`] through `fs`, returning the metadata of the file
/// written (taken before the rename, so it is ours even if the path is
/// replaced at once).
///
/// Any step up to and including the rename that fails is returned as the
/// error, after the temporary file is removed (if that removal fails too,
/// the file stays until a later sweep: [`sweep_temporaries`]). The old file
/// at `path` is untouched in every such case. Once the rename has happened
/// the new file is in place, so a failing fsync of the folder is not an
/// error: it would tell the caller the old file is still there when it is
/// not (and a retry would see a conflict). Not every platform can open a
/// folder for it anyway.
pub(crate) fn write_atomic_in<F: Fs>(
    fs: &F,
    path: &Path,
    bytes: &[u8],
) -> std::io::Result<std::fs::Metadata> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    sweep_once(&dir);
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let mut tmp = None;
    for attempt in 0..100u32 {
        let candidate = dir.join(format!(
            ".{name}{TMP_INFIX}{}-{attempt}",
            std::process::id()
        ));
        match fs.create_new(&candidate) {
            Ok(f) => {
                tmp = Some((candidate, f));
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    let Some((tmp_path, mut file)) = tmp else {
        return Err(std::io::Error::other("cannot create a temporary file"));
    };
    let result = (|| {
        fs.write_all(&mut file, bytes)?;
        fs.flush(&mut file)?;
        // Keep the permissions of the file being replaced.
        fs.copy_permissions(&file, path)?;
        fs.sync_file(&file)?;
        let meta = fs.metadata(&file)?;
        drop(file);
        fs.rename(&tmp_path, path)?;
        Ok(meta)
    })();
    match result {
        Ok(meta) => {
            // Make the rename itself durable; see above for why a failure
            // here is not an error.
            let _ = fs.sync_dir(&dir);
            Ok(meta)
        }
        Err(e) => {
            let _ = fs.remove_file(&tmp_path);
            Err(e)
        }
    }
}

/// What follows the target's name in a temporary file's name.
const TMP_INFIX: &str = ".tmp-";

/// A temporary file untouched for this long is abandoned whoever made it: a
/// live writer changes its modification time with every write and renames
/// it right after the final fsync.
pub const STALE_TEMPORARY_AGE: Duration = Duration::from_mins(1);

/// Sweeps each folder once per process: a folder of thousands of files is
/// read once, not once per save.
fn sweep_once(dir: &Path) {
    use std::sync::Mutex;
    static SWEPT: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
    let first = SWEPT
        .lock()
        .map_or(true, |mut swept| swept.insert(dir.to_owned()));
    if first {
        let _ = sweep_temporaries(dir);
    }
}

/// Removes temporary files that atomic writes left in `dir` when their
/// process died (killed, crashed, power cut): hidden files named
/// `.NAME.tmp-PID-N` (the pattern [`write_atomic`] uses, nothing else) that
/// were written by a process that no longer runs (on Linux, read from
/// `/proc`; never this process), or that no one has written to for
/// [`STALE_TEMPORARY_AGE`]. Returns how many were removed.
///
/// A process on another machine sharing the folder, or in another pid
/// namespace, looks dead from here; at worst its save in progress then fails
/// with an error and keeps the old file (it renames a file that is gone):
/// nothing is lost.
pub fn sweep_temporaries(dir: &Path) -> std::io::Result<usize> {
    let now = SystemTime::now();
    let mut removed = 0;
    for e in std::fs::read_dir(dir)? {
        let Ok(e) = e else { continue };
        let name = e.file_name();
        let Some(pid) = temporary_pid(&name.to_string_lossy()) else {
            continue;
        };
        let Ok(meta) = e.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > STALE_TEMPORARY_AGE);
        if (old || process_is_gone(pid)) && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

/// The writer's pid if `name` is `.NAME.tmp-PID-N`.
fn temporary_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let at = rest.rfind(TMP_INFIX)?;
    if at == 0 {
        return None;
    }
    let (pid, n) = rest[at + TMP_INFIX.len()..].split_once('-')?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(pid) || !all_digits(n) {
        return None;
    }
    pid.parse().ok()
}

/// Whether a process id surely names no running process (Linux only; false
/// where that cannot be told).
fn process_is_gone(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    cfg!(target_os = "linux")
        && Path::new("/proc/self").exists()
        && !Path::new("/proc").join(pid.to_string()).exists()
}

/// A filesystem that fails at chosen steps, for fault-injection tests.
#[cfg(test)]
pub(crate) mod fault {
    use std::cell::RefCell;
    use std::path::Path;

    use super::{Fs, RealFs};

    /// One step of an atomic write (or of removing a file).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub(crate) enum Step {
        CreateTemp,
        Write,
        Flush,
        CopyPermissions,
        SyncFile,
        Metadata,
        Rename,
        SyncDir,
        Remove,
    }

    /// Every step up to the rename, in the order a write takes them.
    pub(crate) const BEFORE_RENAME: [Step; 7] = [
        Step::CreateTemp,
        Step::Write,
        Step::Flush,
        Step::CopyPermissions,
        Step::SyncFile,
        Step::Metadata,
        Step::Rename,
    ];

    /// The message of every injected error.
    pub(crate) const INJECTED: &str = "injected failure";

    /// The real filesystem, except that the steps in `fail` fail with an
    /// `io::Error` of kind `Other` saying [`INJECTED`]. A failing write
    /// writes half of its bytes first, as a full disk does. Records the
    /// steps taken.
    pub(crate) struct FailingFs {
        pub(crate) fail: Vec<Step>,
        pub(crate) taken: RefCell<Vec<Step>>,
    }

    impl FailingFs {
        pub(crate) fn at(steps: &[Step]) -> Self {
            Self {
                fail: steps.to_vec(),
                taken: RefCell::default(),
            }
        }

        fn step(&self, step: Step) -> std::io::Result<()> {
            self.taken.borrow_mut().push(step);
            if self.fail.contains(&step) {
                Err(std::io::Error::other(INJECTED))
            } else {
                Ok(())
            }
        }
    }

    impl Fs for FailingFs {
        fn create_new(&self, path: &Path) -> std::io::Result<std::fs::File> {
            self.step(Step::CreateTemp)?;
            RealFs.create_new(path)
        }
        fn write_all(&self, file: &mut std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
            if let Err(e) = self.step(Step::Write) {
                RealFs.write_all(file, &bytes[..bytes.len() / 2])?;
                return Err(e);
            }
            RealFs.write_all(file, bytes)
        }
        fn flush(&self, file: &mut std::fs::File) -> std::io::Result<()> {
            self.step(Step::Flush)?;
            RealFs.flush(file)
        }
        fn copy_permissions(&self, file: &std::fs::File, like: &Path) -> std::io::Result<()> {
            self.step(Step::CopyPermissions)?;
            RealFs.copy_permissions(file, like)
        }
        fn sync_file(&self, file: &std::fs::File) -> std::io::Result<()> {
            self.step(Step::SyncFile)?;
            RealFs.sync_file(file)
        }
        fn metadata(&self, file: &std::fs::File) -> std::io::Result<std::fs::Metadata> {
            self.step(Step::Metadata)?;
            RealFs.metadata(file)
        }
        fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()> {
            self.step(Step::Rename)?;
            RealFs.rename(from, to)
        }
        fn sync_dir(&self, dir: &Path) -> std::io::Result<()> {
            self.step(Step::SyncDir)?;
            RealFs.sync_dir(dir)
        }
        fn remove_file(&self, path: &Path) -> std::io::Result<()> {
            self.step(Step::Remove)?;
            RealFs.remove_file(path)
        }
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::document::sha256_hex;
    use crate::format;
    use crate::store::test_support::{ARTICLE, LABELS, dir_with_article, names_in, tag};
    use crate::store::{
        DiskChange, LoadOptions, StoreError, changed_on_disk, open, save, save_with,
    };

    #[test]
    fn a_save_failing_at_any_step_keeps_the_old_file_and_says_why() {
        use fault::{BEFORE_RENAME, FailingFs, INJECTED, Step};
        for step in BEFORE_RENAME {
            let (d, p) = dir_with_article(ARTICLE);
            let mut l = open(&p, LoadOptions::default()).unwrap();
            tag(&mut l, "source", "Gedung Putih");
            let disk = save(&l.path, &l.annotations, LABELS, &l.disk).unwrap();
            let old = std::fs::read(&l.path).unwrap();
            tag(&mut l, "denial", "Pyongyang membantah tuduhan itu");
            let before = l.annotations.clone();

            let fs = FailingFs::at(&[step]);
            let err = save_with(&fs, &l.path, &l.annotations, LABELS, &disk).unwrap_err();
            // The error reaches the caller, naming the file and the cause.
            let StoreError::Write { path, source } = &err else {
                panic!("{step:?}: {err}");
            };
            assert_eq!(path, &l.path, "{step:?}");
            assert_eq!(source.to_string(), INJECTED, "{step:?}");
            assert!(err.to_string().contains("berita.tandai.ron"), "{err}");
            // The step was reached and nothing after it but the cleanup.
            let taken = fs.taken.borrow().clone();
            let at = taken.iter().position(|s| *s == step).unwrap();
            assert!(
                taken[at + 1..].iter().all(|s| *s == Step::Remove),
                "{step:?}: {taken:?}"
            );
            // The old file, byte for byte; the annotations in memory; no
            // temporary file.
            assert_eq!(std::fs::read(&l.path).unwrap(), old, "{step:?}");
            assert_eq!(l.annotations, before, "{step:?}");
            assert_eq!(
                names_in(d.path()),
                ["berita.tandai.ron", "berita.txt"],
                "{step:?}"
            );
            // Nothing changed on disk, so trying again is no conflict.
            let again = save(&l.path, &l.annotations, LABELS, &disk).unwrap();
            assert_eq!(
                again.sha256.as_deref(),
                Some(sha256_hex(format::write(&before, LABELS).as_bytes()).as_str())
            );
        }
    }

    #[test]
    fn a_first_save_failing_at_any_step_creates_nothing() {
        use fault::{BEFORE_RENAME, FailingFs};
        for step in BEFORE_RENAME {
            let (d, p) = dir_with_article(ARTICLE);
            let mut l = open(&p, LoadOptions::default()).unwrap();
            tag(&mut l, "source", "Gedung Putih");
            let before = l.annotations.clone();
            let err = save_with(
                &FailingFs::at(&[step]),
                &l.path,
                &l.annotations,
                LABELS,
                &l.disk,
            )
            .unwrap_err();
            assert!(matches!(err, StoreError::Write { .. }), "{step:?}: {err}");
            assert_eq!(l.annotations, before);
            assert_eq!(names_in(d.path()), ["berita.txt"], "{step:?}");
        }
    }

    #[test]
    fn a_failed_rename_whose_cleanup_fails_leaves_only_a_hidden_temporary() {
        use fault::{FailingFs, Step};
        let (d, p) = dir_with_article(ARTICLE);
        let mut l = open(&p, LoadOptions::default()).unwrap();
        tag(&mut l, "source", "Gedung Putih");
        let disk = save(&l.path, &l.annotations, LABELS, &l.disk).unwrap();
        let old = std::fs::read(&l.path).unwrap();
        tag(&mut l, "claim", "mengirim peluru artileri");
        let fs = FailingFs::at(&[Step::Rename, Step::Remove]);
        let err = save_with(&fs, &l.path, &l.annotations, LABELS, &disk).unwrap_err();
        assert!(matches!(err, StoreError::Write { .. }), "{err}");
        assert_eq!(std::fs::read(&l.path).unwrap(), old);
        // The cleanup was tried; the temporary file it could not remove is
        // hidden (never taken for an annotation file) and holds the whole
        // new file. A later process's sweep removes it once this one is
        // gone.
        assert_eq!(fs.taken.borrow().last(), Some(&Step::Remove));
        let names = names_in(d.path());
        assert_eq!(names.len(), 3, "{names:?}");
        let tmp = &names[0];
        assert_eq!(temporary_pid(tmp), Some(std::process::id()), "{names:?}");
        assert_eq!(
            std::fs::read_to_string(d.path().join(tmp)).unwrap(),
            format::write(&l.annotations, LABELS)
        );
    }

    #[test]
    fn a_failed_fsync_of_the_folder_after_the_rename_is_not_an_error() {
        use fault::{FailingFs, Step};
        let (d, p) = dir_with_article(ARTICLE);
        let mut l = open(&p, LoadOptions::default()).unwrap();
        tag(&mut l, "source", "Gedung Putih");
        let disk = save(&l.path, &l.annotations, LABELS, &l.disk).unwrap();
        tag(&mut l, "claim", "mengirim peluru artileri");
        // The new file is in place by then: reporting a failure would make
        // the caller believe the old one is still there.
        let fs = FailingFs::at(&[Step::SyncDir]);
        let saved = save_with(&fs, &l.path, &l.annotations, LABELS, &disk).unwrap();
        assert_eq!(fs.taken.borrow().last(), Some(&Step::SyncDir));
        assert_eq!(
            std::fs::read_to_string(&l.path).unwrap(),
            format::write(&l.annotations, LABELS)
        );
        assert_eq!(changed_on_disk(&l.path, &saved).unwrap(), DiskChange::Same);
        assert_eq!(names_in(d.path()), ["berita.tandai.ron", "berita.txt"]);
    }

    #[test]
    fn stale_temporary_files_are_swept_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let me = std::process::id();
        // Pid 4194304 is above Linux's largest (2^22), so never running.
        let dead = ".a.tandai.ron.tmp-4194304-0";
        let mine = format!(".a.tandai.ron.tmp-{me}-0");
        let old_mine = format!(".b.tandai.ron.tmp-{me}-3");
        for n in [
            dead,
            &mine,
            &old_mine,
            ".a.tmp-x-1",
            ".tmp-1-1",
            "a.tandai.ron.tmp-1-1",
        ] {
            std::fs::write(d.join(n), "half").unwrap();
        }
        std::fs::File::options()
            .write(true)
            .open(d.join(&old_mine))
            .unwrap()
            .set_modified(SystemTime::now() - Duration::from_mins(2))
            .unwrap();
        sweep_temporaries(d).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut want = vec![
            ".a.tmp-x-1".to_owned(),
            ".tmp-1-1".to_owned(),
            mine.clone(),
            "a.tandai.ron.tmp-1-1".to_owned(),
        ];
        if !cfg!(target_os = "linux") {
            want.push(dead.to_owned());
        }
        want.sort();
        assert_eq!(left, want);
        assert_eq!(temporary_pid(".x.txt.tmp-12-0"), Some(12));
        assert_eq!(temporary_pid(".x.txt.tmp-12-"), None);
    }
}
