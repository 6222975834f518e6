//! Annotation files on disk: loading one against its article, and saving
//! atomically without overwriting someone else's changes.
//!
//! `NAME.txt` is annotated in `NAME.tandai.ron` beside it. Loading never
//! loses data: a RON syntax error is an error (and nothing is written); a
//! span whose quote moved is put back in place; one that cannot be placed is
//! kept as an orphan; a duplicate id gets a fresh one. Each such repair is a
//! [`Finding`].
//!
//! Saving writes a temporary file in the same folder, flushes and fsyncs it,
//! and renames it over the old file, so a crash leaves the old file or the
//! new one, never half of one. Before that it checks that the file on disk
//! is still the one that was loaded ([`DiskState`]); if not, it refuses with
//! [`StoreError::Conflict`] and the caller decides: reload, overwrite, or
//! save elsewhere. The comparison and the rename happen under a lock of the
//! file ([`lock`]), so two writers cannot both pass it; [`modify`] is the
//! read-modify-write of the command line, which applies its change again to
//! what another writer saved meanwhile. A save goes through a symbolic link
//! to its target and refuses a read-only file ([`save_target`]).

mod atomic;
mod disk;
mod lock;
mod paths;
mod place;
mod place_disputes;
#[cfg(test)]
mod test_support;

use std::path::{Path, PathBuf};

use crate::check::{Finding, FindingKind};
use crate::document::{self, Article, DocumentError, sha256_hex};
use crate::format::{self, FormatError};
use crate::model::{Annotations, DocumentRef};

#[cfg(test)]
pub(crate) use atomic::fault;
pub(crate) use atomic::{Fs, RealFs, write_atomic_in};
pub use atomic::{STALE_TEMPORARY_AGE, sweep_temporaries, write_atomic};
pub use disk::{DiskChange, DiskState, FileMeta, RACY_WINDOW, changed_on_disk};
pub use lock::{LOCK_WAIT, SaveLock, lock, lock_path, save_target};
pub use paths::{annotation_path_for, is_annotation_file, resolve_document};
pub use place::{place, without_article};

/// Suffix of annotation files.
pub const SUFFIX: &str = ".tandai.ron";

/// Largest annotation file read, as large as the largest article: room for
/// about 300,000 spans with their quotes and context (a news article has
/// hundreds), and a bound on memory (about 1 GB at the most, for a file of
/// a million tiny spans).
pub const MAX_ANNOTATION_BYTES: u64 = 64 * 1024 * 1024;

/// Largest file another tool made that is read whole (a Label Studio export
/// of a whole project, machine tags for a whole folder).
pub const MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;

/// Why loading or saving failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The article could not be read.
    #[error(transparent)]
    Article(#[from] DocumentError),
    /// The article an annotation file names could not be read.
    #[error("{path}: cannot read the article it names: {source}")]
    ArticleOf {
        /// The annotation file.
        path: PathBuf,
        /// Why the article could not be read (it names the article).
        source: DocumentError,
    },
    /// The annotation file could not be read (too large, not UTF-8, I/O).
    #[error("{}", .0.to_string())]
    AnnotationFile(DocumentError),
    /// The annotation file is not valid RON v1.
    #[error("{}", source.at(path))]
    Format {
        /// The annotation file.
        path: PathBuf,
        /// What is wrong.
        source: FormatError,
    },
    /// `document.path` leaves the annotation file's folder (absolute, with
    /// `..`, or through a symbolic link).
    #[error(
        "{path}: document.path {doc:?} is absolute or climbs out of the annotation file's folder (or links to a file outside it); refusing to read it (pass --allow-outside to trust this file)"
    )]
    OutsidePath {
        /// The annotation file.
        path: PathBuf,
        /// The offending document path.
        doc: String,
    },
    /// The file on disk changed since it was loaded.
    #[error(
        "{path} changed on disk since it was loaded; not overwriting it (reload it, save elsewhere, or overwrite on purpose)"
    )]
    Conflict {
        /// The annotation file.
        path: PathBuf,
    },
    /// The file is read-only: the user protected it, so it is not replaced.
    #[error("{path} is read-only; not replacing it (save elsewhere, or make it writable first)")]
    ReadOnly {
        /// The annotation file.
        path: PathBuf,
    },
    /// Another writer held the file's lock for longer than [`LOCK_WAIT`].
    #[error("{path} is being saved by another process that does not finish; not saved (try again)")]
    Busy {
        /// The annotation file.
        path: PathBuf,
    },
    /// Writing failed; the old file is untouched.
    #[error("{path}: cannot save: {source}")]
    Write {
        /// The annotation file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// Options for loading.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadOptions {
    /// Accept a `document.path` outside the annotation file's folder.
    pub allow_outside: bool,
}

/// An article with its annotations, as loaded.
#[derive(Debug)]
pub struct Loaded {
    /// The article.
    pub article: Article,
    /// The annotations, placed against the article.
    pub annotations: Annotations,
    /// What loading found or repaired.
    pub findings: Vec<Finding>,
    /// Where the annotations are saved.
    pub path: PathBuf,
    /// The annotation file as it was on disk.
    pub disk: DiskState,
}

impl Loaded {
    /// Number of spans that were moved.
    pub fn relocated(&self) -> usize {
        self.count(FindingKind::Relocated)
    }

    /// Number of orphan spans.
    pub fn orphans(&self) -> usize {
        self.annotations.spans().filter(|s| s.orphan).count()
    }

    fn count(&self, kind: FindingKind) -> usize {
        self.findings.iter().filter(|f| f.kind == kind).count()
    }
}

/// Opens a path the user gave: an annotation file, or an article (whose
/// annotation file beside it is loaded if there is one).
pub fn open(path: &Path, opts: LoadOptions) -> Result<Loaded, StoreError> {
    if is_annotation_file(path) {
        return load(path, opts);
    }
    let ann_path = annotation_path_for(path);
    if ann_path.exists() {
        return load(&ann_path, opts);
    }
    let article = Article::read(path)?;
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let annotations = Annotations::new(DocumentRef {
        path: name,
        sha256: article.sha256.clone(),
        chars: article.text.len_chars(),
    });
    let mut findings = Vec::new();
    if article.text.is_empty() {
        findings.push(Finding::file(
            FindingKind::EmptyArticle,
            "the article is empty",
        ));
    }
    Ok(Loaded {
        article,
        annotations,
        findings,
        path: ann_path,
        disk: DiskState::default(),
    })
}

/// Reads and parses an annotation file without its article (bounded size,
/// UTF-8 checked), with the disk state it was read in.
pub fn read_raw(path: &Path) -> Result<(format::RawFile, DiskState), StoreError> {
    let (bytes, meta) = document::read_bounded_with_meta(path, MAX_ANNOTATION_BYTES)
        .map_err(StoreError::AnnotationFile)?;
    let disk = DiskState {
        sha256: Some(sha256_hex(&bytes)),
        meta: FileMeta::of(&meta),
    };
    let src = document::utf8(path, bytes).map_err(StoreError::AnnotationFile)?;
    let raw = format::parse(&src).map_err(|source| StoreError::Format {
        path: path.to_owned(),
        source,
    })?;
    Ok((raw, disk))
}

/// Loads an annotation file and its article.
pub fn load(path: &Path, opts: LoadOptions) -> Result<Loaded, StoreError> {
    let (raw, disk) = read_raw(path)?;
    let article_path = resolve_document(path, &raw.document.path, opts.allow_outside)?;
    let article = Article::read(&article_path).map_err(|source| StoreError::ArticleOf {
        path: path.to_owned(),
        source,
    })?;
    let (annotations, findings) = place(raw, &article);
    Ok(Loaded {
        article,
        annotations,
        findings,
        path: path.to_owned(),
        disk,
    })
}

/// Saves annotations to `path` if the file on disk is still `expected`
/// (same bytes: see [`changed_on_disk`]); returns the new disk state.
/// `schema_labels` head the `labels` field. Otherwise refuses with
/// [`StoreError::Conflict`] and writes nothing.
pub fn save(
    path: &Path,
    ann: &Annotations,
    schema_labels: &[&str],
    expected: &DiskState,
) -> Result<DiskState, StoreError> {
    save_with(&RealFs, path, ann, schema_labels, expected)
}

/// [`save`] through `fs` (tests make its steps fail).
pub(crate) fn save_with<F: Fs>(
    fs: &F,
    path: &Path,
    ann: &Annotations,
    schema_labels: &[&str],
    expected: &DiskState,
) -> Result<DiskState, StoreError> {
    let target = save_target(path)?;
    let _lock = lock(&target)?;
    if changed_on_disk(&target, expected)? != DiskChange::Same {
        return Err(StoreError::Conflict {
            path: path.to_owned(),
        });
    }
    write_to(fs, path, &target, ann, schema_labels)
}

/// Saves annotations to `path` whatever is there now (after the user chose
/// to overwrite, or for Save As).
///
/// A recovery file beside it ([`crate::recovery`]) is left alone: it may
/// hold a crashed app's unsaved work, which a `check --fix` or an import
/// must not delete. The app removes it after its own saves.
pub fn save_over(
    path: &Path,
    ann: &Annotations,
    schema_labels: &[&str],
) -> Result<DiskState, StoreError> {
    save_over_with(&RealFs, path, ann, schema_labels)
}

/// [`save_over`] through `fs`.
pub(crate) fn save_over_with<F: Fs>(
    fs: &F,
    path: &Path,
    ann: &Annotations,
    schema_labels: &[&str],
) -> Result<DiskState, StoreError> {
    let target = save_target(path)?;
    let _lock = lock(&target)?;
    write_to(fs, path, &target, ann, schema_labels)
}

/// Writes the annotations of `path` atomically into `target` (what
/// [`save_target`] made of it), its lock held by the caller.
fn write_to<F: Fs>(
    fs: &F,
    path: &Path,
    target: &Path,
    ann: &Annotations,
    schema_labels: &[&str],
) -> Result<DiskState, StoreError> {
    let text = format::write(ann, schema_labels);
    // The hash on the other core while this one writes and syncs the file.
    let (sha256, written) = std::thread::scope(|s| {
        let hash = std::thread::Builder::new()
            .name("hash".into())
            .spawn_scoped(s, || sha256_hex(text.as_bytes()));
        let written = write_atomic_in(fs, target, text.as_bytes());
        // No thread (the system would not start one), or one that failed:
        // hash here.
        let sha256 = hash
            .ok()
            .and_then(|h| h.join().ok())
            .unwrap_or_else(|| sha256_hex(text.as_bytes()));
        (sha256, written)
    });
    let meta = written.map_err(|source| StoreError::Write {
        path: path.to_owned(),
        source,
    })?;
    Ok(DiskState {
        sha256: Some(sha256),
        meta: FileMeta::of(&meta),
    })
}

/// What [`modify`] did.
#[derive(Debug)]
pub struct Modified<T> {
    /// The file as changed (and saved, if `written`).
    pub loaded: Loaded,
    /// What the change returned, the last time it was applied.
    pub value: T,
    /// Whether the file was saved.
    pub written: bool,
}

/// A read-modify-write of one annotation file that other writers cannot
/// undo: `open` loads it; `change` edits what was loaded and says whether
/// it changed anything (and so whether to save), with a value of its own.
///
/// The save happens under the file's lock ([`lock`]). If another writer
/// saved since `open`, the file is opened again under the lock and `change`
/// applied again to what is there now, so both changes land. A `change`
/// that fails on the new content (what it would change is gone) fails the
/// whole, and nothing is written.
pub fn modify<T, E: From<StoreError>>(
    open: impl Fn() -> Result<Loaded, E>,
    schema_labels: &[&str],
    mut change: impl FnMut(&mut Loaded) -> Result<(T, bool), E>,
) -> Result<Modified<T>, E> {
    let mut loaded = open()?;
    let (value, changed) = change(&mut loaded)?;
    if !changed {
        return Ok(Modified {
            loaded,
            value,
            written: false,
        });
    }
    let target = save_target(&loaded.path)?;
    let _lock = lock(&target)?;
    let (value, changed) = if changed_on_disk(&target, &loaded.disk)? == DiskChange::Same {
        (value, true)
    } else {
        // Another writer saved meanwhile: start again from its file. No one
        // else can save now, so this one is current until the rename.
        loaded = open()?;
        change(&mut loaded)?
    };
    if changed {
        loaded.disk = write_to(
            &RealFs,
            &loaded.path,
            &target,
            &loaded.annotations,
            schema_labels,
        )?;
    }
    Ok(Modified {
        loaded,
        value,
        written: changed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Edit, History};
    use crate::model::{Link, LinkId, Origin, Span};
    use crate::store::test_support::{ARTICLE, LABELS, dir_with_article, tag};

    #[test]
    fn new_article_save_then_load_round_trips_byte_for_byte() {
        let (_d, p) = dir_with_article(ARTICLE);
        let mut l = open(&p, LoadOptions::default()).unwrap();
        assert_eq!(l.path, p.with_file_name("berita.tandai.ron"));
        let src = tag(&mut l, "source", "Gedung Putih");
        let claim = tag(&mut l, "claim", "“Korea Utara” mengirim peluru artileri");
        l.annotations
            .insert_link(Link {
                id: LinkId(1),
                kind: "said_by".into(),
                from: claim,
                to: src,
            })
            .unwrap();
        let disk = save(&l.path, &l.annotations, LABELS, &l.disk).unwrap();
        let first = std::fs::read(&l.path).unwrap();
        let again = open(&p, LoadOptions::default()).unwrap();
        assert!(again.findings.is_empty(), "{:?}", again.findings);
        assert_eq!(again.disk, disk);
        assert_eq!(again.annotations, l.annotations);
        save(&again.path, &again.annotations, LABELS, &again.disk).unwrap();
        assert_eq!(std::fs::read(&l.path).unwrap(), first);
        // No temporary files are left behind: the article, the file and
        // its lock.
        let names: Vec<String> = std::fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(
            names.contains(&".berita.tandai.ron.lock".to_owned()),
            "{names:?}"
        );
    }

    #[test]
    fn conflicting_change_on_disk_is_refused_and_nothing_is_written() {
        let (_d, p) = dir_with_article(ARTICLE);
        let mut l = open(&p, LoadOptions::default()).unwrap();
        tag(&mut l, "source", "Pyongyang");
        let disk = save(&l.path, &l.annotations, LABELS, &l.disk).unwrap();
        // Someone else saves a different version.
        std::fs::write(&l.path, "(version: 1, document: (path: \"berita.txt\"))\n").unwrap();
        let err = save(&l.path, &l.annotations, LABELS, &disk).unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
        assert!(
            std::fs::read_to_string(&l.path)
                .unwrap()
                .starts_with("(version: 1, document")
        );
        // A file that appeared where there was none is a conflict too.
        let fresh = open(&p.with_file_name("x.txt"), LoadOptions::default());
        assert!(fresh.is_err(), "x.txt does not exist");
        std::fs::remove_file(&l.path).unwrap();
        let err = save(&l.path, &l.annotations, LABELS, &disk).unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "deleted: {err}");
        save_over(&l.path, &l.annotations, LABELS).unwrap();
    }

    #[test]
    fn modify_applies_its_change_again_to_what_another_writer_saved() {
        let (_d, p) = dir_with_article(ARTICLE);
        let mut l = open(&p, LoadOptions::default()).unwrap();
        tag(&mut l, "source", "Pyongyang");
        save(&l.path, &l.annotations, LABELS, &l.disk).unwrap();
        let ann = l.path.clone();
        let load_it = || load(&ann, LoadOptions::default());
        // This writer read the file, then another saved a span of its own.
        let stale = std::cell::RefCell::new(Some(load_it().unwrap()));
        let mut other = load_it().unwrap();
        tag(&mut other, "claim", "Korea");
        save(&other.path, &other.annotations, LABELS, &other.disk).unwrap();
        let mut applied = 0;
        let done = modify(
            || stale.borrow_mut().take().map_or_else(load_it, Ok),
            LABELS,
            |l| {
                applied += 1;
                tag(l, "denial", "membantah");
                Ok::<_, StoreError>((l.annotations.span_count(), true))
            },
        )
        .unwrap();
        assert_eq!(
            applied, 2,
            "applied once to the stale file, once to the new one"
        );
        assert!(done.written);
        let labels: Vec<String> = load_it()
            .unwrap()
            .annotations
            .spans()
            .map(|s| s.label.clone())
            .collect();
        assert_eq!(done.value, 3);
        for want in ["source", "claim", "denial"] {
            assert!(labels.iter().any(|l| l == want), "{want} lost: {labels:?}");
        }
        // Nothing to change: nothing written, no conflict.
        let before = std::fs::read(&ann).unwrap();
        let done = modify(load_it, LABELS, |_| Ok::<_, StoreError>(((), false))).unwrap();
        assert!(!done.written);
        assert_eq!(std::fs::read(&ann).unwrap(), before);
    }

    #[test]
    fn bad_files_are_errors_and_left_untouched() {
        let (_d, p) = dir_with_article(ARTICLE);
        let ron = p.with_file_name("berita.tandai.ron");
        let cases: [(&[u8], &str); 4] = [
            (
                b"(version: 1, document: (path: \"berita.txt\"), spans: [(id: 1,",
                ":1:",
            ),
            (
                b"(version: 9, document: (path: \"berita.txt\"))",
                "newer tandai",
            ),
            (
                b"(version: 1, document: (path: \"../../etc/passwd\"))",
                "climbs out",
            ),
            (b"(version: 1, \xff)", "not UTF-8"),
        ];
        for (bytes, want) in cases {
            std::fs::write(&ron, bytes).unwrap();
            let err = open(&ron, LoadOptions::default()).unwrap_err().to_string();
            assert!(err.contains(want), "{err}");
            assert!(err.contains("berita.tandai.ron"), "{err}");
            assert_eq!(std::fs::read(&ron).unwrap(), bytes);
        }
    }

    #[test]
    fn edits_undone_save_the_original_bytes() {
        let (_d, p) = dir_with_article(ARTICLE);
        let mut l = open(&p, LoadOptions::default()).unwrap();
        tag(&mut l, "source", "Gedung Putih");
        save_over(&l.path, &l.annotations, LABELS).unwrap();
        let original = std::fs::read(&l.path).unwrap();
        let mut h = History::default();
        let id = l.annotations.next_span_id();
        let s = Span::new_in(&l.article.text, id, "claim", 40..52, Origin::default()).unwrap();
        h.apply(
            &mut l.annotations,
            &l.article.text,
            "Tag",
            vec![Edit::AddSpan(Box::new(s))],
        )
        .unwrap();
        h.undo(&mut l.annotations, &l.article.text).unwrap();
        save_over(&l.path, &l.annotations, LABELS).unwrap();
        assert_eq!(std::fs::read(&l.path).unwrap(), original);
    }
}
