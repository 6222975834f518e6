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
//! save elsewhere.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::anchor::{self, Placement, Quote};
use crate::check::{Finding, FindingKind, excerpt};
use crate::document::{self, Article, DocumentError, sha256_hex};
use crate::format::{self, FormatError};
use crate::model::{Annotations, DocumentRef, Link, LinkId, Origin, Span, SpanId, Status};

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
    /// Writing failed; the old file is untouched.
    #[error("{path}: cannot save: {source}")]
    Write {
        /// The annotation file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

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

/// `NAME.tandai.ron` for `NAME.txt` (any last extension is replaced).
pub fn annotation_path_for(article: &Path) -> PathBuf {
    let stem = article
        .file_stem()
        .map_or_else(|| "article".into(), |s| s.to_string_lossy().into_owned());
    article.with_file_name(format!("{stem}{SUFFIX}"))
}

/// Whether a path names an annotation file.
pub fn is_annotation_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(SUFFIX))
}

/// Files below `dir` that `wanted` accepts, sorted by path; hidden entries
/// (names starting with `.`, such as save temporaries) and symlinks are
/// skipped, so a walk never leaves the folder.
pub fn walk_files(dir: &Path, wanted: &dyn Fn(&Path) -> bool) -> std::io::Result<Vec<PathBuf>> {
    fn walk(
        dir: &Path,
        wanted: &dyn Fn(&Path) -> bool,
        out: &mut Vec<PathBuf>,
    ) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for e in entries {
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let ty = e.file_type()?;
            let path = e.path();
            if ty.is_dir() {
                walk(&path, wanted, out)?;
            } else if ty.is_file() && wanted(&path) {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, wanted, &mut out)?;
    Ok(out)
}

/// The article an annotation file names, resolved against its folder.
/// Unless `allow_outside`, refuses paths that are absolute or climb out,
/// and paths that symbolic links (the file or a folder on the way) lead
/// out of the folder.
pub fn resolve_document(
    annotation: &Path,
    doc: &str,
    allow_outside: bool,
) -> Result<PathBuf, StoreError> {
    let rel = Path::new(doc);
    let outside = || StoreError::OutsidePath {
        path: annotation.to_owned(),
        doc: doc.to_owned(),
    };
    let inside = !doc.is_empty()
        && rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside && !allow_outside {
        return Err(outside());
    }
    let dir = annotation.parent().unwrap_or_else(|| Path::new(""));
    let joined = dir.join(rel);
    let real_dir = if dir.as_os_str().is_empty() {
        Path::new(".").canonicalize()
    } else {
        dir.canonicalize()
    };
    if !allow_outside
        && let (Ok(real_dir), Ok(real)) = (real_dir, joined.canonicalize())
        && !real.starts_with(&real_dir)
    {
        // A missing file is left for reading to report.
        return Err(outside());
    }
    Ok(joined)
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
    let article = Article::read(&article_path)?;
    let (annotations, findings) = place(raw, &article);
    Ok(Loaded {
        article,
        annotations,
        findings,
        path: path.to_owned(),
        disk,
    })
}

/// Turns a parsed file into annotations placed against `article`.
pub fn place(raw: format::RawFile, article: &Article) -> (Annotations, Vec<Finding>) {
    let text = &article.text;
    let len = text.len_chars();
    let mut findings = Vec::new();
    if text.is_empty() {
        findings.push(Finding::file(
            FindingKind::EmptyArticle,
            "the article is empty",
        ));
    }
    let recorded = raw.document.sha256.to_ascii_lowercase();
    let same_text = recorded.is_empty() || recorded == article.sha256;
    if !same_text {
        findings.push(Finding::file(
            FindingKind::ArticleChanged,
            format!(
                "the article changed since it was annotated (sha256 {} in the file, {} now); spans were placed again",
                short(&recorded),
                short(&article.sha256)
            ),
        ));
    }

    // Spans: ids made unique, defaults filled.
    let mut taken: BTreeSet<u64> = raw.spans.iter().map(|s| s.id).collect();
    let mut seen = BTreeSet::new();
    let mut spans: Vec<Span> = Vec::with_capacity(raw.spans.len());
    for r in raw.spans {
        let mut s: Span = r.into();
        if !seen.insert(s.id.0) {
            let old = s.id;
            s.id = SpanId(fresh_id(&mut taken));
            findings.push(Finding::span(
                FindingKind::DuplicateSpanId,
                s.id,
                format!(
                    "span id {old} is used twice; the second ({} {}..{}) now has id {} and links to {old} mean the first",
                    s.label, s.start, s.end, s.id
                ),
            ));
        }
        if let Origin::Machine { score, .. } = &mut s.origin {
            if score.is_some_and(|x| !x.is_finite()) {
                findings.push(Finding::span(
                    FindingKind::BadScore,
                    s.id,
                    format!("span {}: score is not a finite number; dropped", s.id),
                ));
                *score = None;
            }
            if s.status.is_none() {
                s.status = Some(Status::Pending);
            }
        }
        if s.start > s.end || s.end > len {
            findings.push(Finding::span(
                FindingKind::OutOfRange,
                s.id,
                format!(
                    "span {}: offsets {}..{} are outside the article ({len} chars)",
                    s.id, s.start, s.end
                ),
            ));
        } else if s.start == s.end {
            findings.push(Finding::span(
                FindingKind::EmptySpan,
                s.id,
                format!(
                    "span {}: covers no characters ({}..{})",
                    s.id, s.start, s.end
                ),
            ));
        }
        if s.text.is_empty() && s.start < s.end && s.end <= len {
            // Hand-written file without quotes: trust the offsets.
            let range = s.range();
            let _ = s.set_range(text, range);
        }
        spans.push(s);
    }

    // Place them.
    let quotes: Vec<Quote<'_>> = spans.iter().map(Quote::from).collect();
    let placements = anchor::place_all(text, &quotes, same_text);
    drop(quotes);
    for (s, p) in spans.iter_mut().zip(placements) {
        let at_offsets = text.slice(s.range()).is_some_and(|q| q == s.text);
        match p {
            Placement::InPlace => {
                // Context follows the article: refreshed when the article
                // changed, filled in for a hand-written span without it.
                if !same_text || (s.before.is_empty() && s.after.is_empty()) {
                    let r = s.range();
                    let _ = s.set_range(text, r);
                }
                s.orphan = false;
            }
            Placement::Relocated { to, fuzzy } => {
                if same_text && !at_offsets && s.start < s.end && s.end <= len {
                    findings.push(Finding::span(
                        FindingKind::TextMismatch,
                        s.id,
                        format!(
                            "span {}: text {} does not match the article at {}..{} ({})",
                            s.id,
                            excerpt(&s.text),
                            s.start,
                            s.end,
                            excerpt(text.slice(s.range()).unwrap_or(""))
                        ),
                    ));
                }
                findings.push(Finding::span(
                    FindingKind::Relocated,
                    s.id,
                    format!(
                        "span {} {} moved from {}..{} to {}..{}{}",
                        s.id,
                        excerpt(&s.text),
                        s.start,
                        s.end,
                        to.start,
                        to.end,
                        if fuzzy { " (white space differs)" } else { "" }
                    ),
                ));
                let _ = s.set_range(text, to);
            }
            Placement::Orphan => {
                s.orphan = true;
                findings.push(Finding::span(
                    FindingKind::Orphan,
                    s.id,
                    format!(
                        "span {} ({}) {} could not be found in the article; kept as an orphan",
                        s.id,
                        s.label,
                        excerpt(&s.text)
                    ),
                ));
            }
        }
    }

    let mut ann = Annotations::new(DocumentRef {
        path: raw.document.path,
        sha256: article.sha256.clone(),
        chars: len,
    });
    ann.done = raw.done;
    for s in spans {
        // Ids were made unique above.
        let _ = ann.insert_span(s);
    }
    let mut taken: BTreeSet<u64> = raw.links.iter().map(|l| l.id).collect();
    for r in raw.links {
        let mut l: Link = r.into();
        if ann.link(l.id).is_some() {
            let old = l.id;
            l.id = LinkId(fresh_id(&mut taken));
            findings.push(Finding::link(
                FindingKind::DuplicateLinkId,
                l.id,
                format!(
                    "link id {old} is used twice; the second now has id {}",
                    l.id
                ),
            ));
        }
        let _ = ann.insert_link_unchecked(l);
    }
    (ann, findings)
}

/// An id not in `taken` (which it joins): above the largest if there is
/// room, else the smallest free one. Never reuses a taken id, even at
/// `u64::MAX`.
fn fresh_id(taken: &mut BTreeSet<u64>) -> u64 {
    let above = taken.last().map_or(Some(1), |m| m.checked_add(1));
    // A set of u64 cannot hold every value, so a free one exists below.
    let id = above.unwrap_or_else(|| (1..u64::MAX).find(|i| !taken.contains(i)).unwrap_or(0));
    taken.insert(id);
    id
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
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
    if changed_on_disk(path, expected)? != DiskChange::Same {
        return Err(StoreError::Conflict {
            path: path.to_owned(),
        });
    }
    save_over_with(fs, path, ann, schema_labels)
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
    let text = format::write(ann, schema_labels);
    let meta = write_atomic_in(fs, path, text.as_bytes()).map_err(|source| StoreError::Write {
        path: path.to_owned(),
        source,
    })?;
    Ok(DiskState {
        sha256: Some(sha256_hex(text.as_bytes())),
        meta: FileMeta::of(&meta),
    })
}

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
    use crate::edit::{Edit, History};

    const LABELS: &[&str] = &["claim", "source", "denial"];
    const ARTICLE: &str = "\u{feff}JAKARTA, KOMPAS.TV — Gedung Putih menuding “Korea Utara” mengirim peluru artileri 👍🏽.\r\n\r\nPyongyang membantah tuduhan itu.\r\n";

    fn dir_with_article(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("berita.txt");
        std::fs::write(&p, text).unwrap();
        (dir, p)
    }

    fn tag(l: &mut Loaded, label: &str, quote: &str) -> SpanId {
        let b = l.article.text.as_str().find(quote).unwrap();
        let c = l.article.text.char_range(b..b + quote.len()).unwrap();
        let id = l.annotations.next_span_id();
        let s = Span::new_in(
            &l.article.text,
            id,
            label,
            c,
            Origin::Human {
                annotator: "ana".into(),
            },
        )
        .unwrap();
        l.annotations.insert_span(s).unwrap();
        id
    }

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
        // No temporary files are left behind.
        let names: Vec<String> = std::fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    /// Names in `dir`, sorted.
    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

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
    fn edited_article_relocates_spans_and_none_are_lost() {
        let (_d, p) = dir_with_article(ARTICLE);
        let mut l = open(&p, LoadOptions::default()).unwrap();
        let a = tag(&mut l, "source", "Gedung Putih");
        let b = tag(&mut l, "denial", "Pyongyang membantah tuduhan itu");
        let c = tag(&mut l, "claim", "mengirim peluru artileri");
        save(&l.path, &l.annotations, LABELS, &l.disk).unwrap();
        let edited = ARTICLE
            .replace("JAKARTA, KOMPAS.TV —", "JAKARTA, KOMPAS.TV (Senin, 3/3) —")
            .replace("mengirim peluru artileri", "mengirim ribuan peluru");
        std::fs::write(&p, edited).unwrap();
        let l2 = open(&p, LoadOptions::default()).unwrap();
        let kinds: Vec<FindingKind> = l2.findings.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                FindingKind::ArticleChanged,
                FindingKind::Relocated,
                FindingKind::Orphan,
                FindingKind::Relocated,
            ]
        );
        assert_eq!(l2.annotations.span_count(), 3);
        let text = &l2.article.text;
        for id in [a, b] {
            let s = l2.annotations.span(id).unwrap();
            assert_eq!(text.slice(s.range()), Some(s.text.as_str()));
            assert!(!s.orphan);
        }
        let orphan = l2.annotations.span(c).unwrap();
        assert!(orphan.orphan);
        assert_eq!(orphan.text, "mengirim peluru artileri");
        assert_eq!(l2.orphans(), 1);
        assert_eq!(l2.relocated(), 2);
        // Saved, the orphan stays, flagged; loaded again, nothing moves.
        save(&l2.path, &l2.annotations, LABELS, &l2.disk).unwrap();
        let l3 = open(&p, LoadOptions::default()).unwrap();
        let kinds: Vec<FindingKind> = l3.findings.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [FindingKind::Orphan]);
    }

    #[test]
    fn duplicate_ids_bad_offsets_and_missing_quotes() {
        let (_d, p) = dir_with_article(ARTICLE);
        let ron = p.with_file_name("berita.tandai.ron");
        std::fs::write(
            &ron,
            r#"(version: 1, document: (path: "berita.txt"), spans: [
                (id: 1, label: "source", start: 22, end: 34),
                (id: 1, label: "claim", start: 50, end: 40, text: "Korea Utara"),
                (id: 2, label: "claim", start: 5, end: 500, text: "tidak ada"),
                (id: 3, label: "claim", start: 7, end: 7),
                (id: 4, label: "claim", start: 1, end: 3, origin: Machine(model: "m")),
            ], links: [(id: 1, kind: "said_by", from: 1, to: 1), (id: 1, kind: "said_by", from: 9, to: 1)])"#,
        )
        .unwrap();
        let l = open(&ron, LoadOptions::default()).unwrap();
        let kinds: Vec<(FindingKind, Option<u64>)> = l
            .findings
            .iter()
            .map(|f| (f.kind, f.span.or(f.link)))
            .collect();
        assert_eq!(
            kinds,
            [
                (FindingKind::DuplicateSpanId, Some(5)),
                (FindingKind::OutOfRange, Some(5)),
                (FindingKind::OutOfRange, Some(2)),
                (FindingKind::EmptySpan, Some(3)),
                (FindingKind::Relocated, Some(5)),
                (FindingKind::Orphan, Some(2)),
                (FindingKind::Orphan, Some(3)),
                (FindingKind::DuplicateLinkId, Some(2)),
            ]
        );
        let s1 = l.annotations.span(SpanId(1)).unwrap();
        assert_eq!(s1.text, "Gedung Putih");
        assert_eq!(s1.before, "AKARTA, KOMPAS.TV — ");
        let s4 = l.annotations.span(SpanId(4)).unwrap();
        assert_eq!(s4.status, Some(Status::Pending));
        assert_eq!(l.annotations.span_count(), 5);
        assert_eq!(l.annotations.link_count(), 2);
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
    fn allow_outside_lets_a_trusted_file_name_a_parent_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Teks.").unwrap();
        std::fs::create_dir(dir.path().join("ann")).unwrap();
        let ron = dir.path().join("ann/a.tandai.ron");
        std::fs::write(&ron, "(version: 1, document: (path: \"../a.txt\"))").unwrap();
        assert!(open(&ron, LoadOptions::default()).is_err());
        let l = open(
            &ron,
            LoadOptions {
                allow_outside: true,
            },
        )
        .unwrap();
        assert_eq!(l.article.text.as_str(), "Teks.");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_out_of_the_folder_is_refused_unless_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("secret.txt"), "Rahasia.").unwrap();
        std::fs::create_dir_all(d.join("ann/sub")).unwrap();
        std::os::unix::fs::symlink(d.join("secret.txt"), d.join("ann/a.txt")).unwrap();
        std::os::unix::fs::symlink(d, d.join("ann/up")).unwrap();
        std::fs::write(d.join("ann/sub/in.txt"), "Teks.").unwrap();
        std::os::unix::fs::symlink("sub/in.txt", d.join("ann/b.txt")).unwrap();
        let ron = d.join("ann/a.tandai.ron");
        for doc in ["a.txt", "up/secret.txt", "./a.txt"] {
            let err = resolve_document(&ron, doc, false).unwrap_err();
            assert!(matches!(err, StoreError::OutsidePath { .. }), "{doc}");
            assert!(err.to_string().contains("links to a file outside"), "{err}");
            assert!(resolve_document(&ron, doc, true).is_ok());
        }
        // Links that stay inside, and files that do not exist (reading
        // says so), are fine.
        for doc in ["b.txt", "sub/in.txt", "missing.txt"] {
            assert_eq!(
                resolve_document(&ron, doc, false).unwrap(),
                d.join("ann").join(doc)
            );
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
            vec![Edit::AddSpan(s)],
        )
        .unwrap();
        h.undo(&mut l.annotations, &l.article.text).unwrap();
        save_over(&l.path, &l.annotations, LABELS).unwrap();
        assert_eq!(std::fs::read(&l.path).unwrap(), original);
    }

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

    #[test]
    fn paths() {
        assert_eq!(
            annotation_path_for(Path::new("a/b.c.txt")),
            Path::new("a/b.c.tandai.ron")
        );
        assert!(is_annotation_file(Path::new("x/b.tandai.ron")));
        assert!(!is_annotation_file(Path::new("x/b.ron")));
        assert!(resolve_document(Path::new("d/a.tandai.ron"), "/etc/passwd", false).is_err());
        assert!(resolve_document(Path::new("d/a.tandai.ron"), "", false).is_err());
        assert_eq!(
            resolve_document(Path::new("d/a.tandai.ron"), "sub/a.txt", false).unwrap(),
            Path::new("d/sub/a.txt")
        );
    }
}
