//! Machine tags: a model's output, one tag a line, added to an article's
//! existing annotations as pending machine spans for review.
//!
//! ```json
//! {"start": 24, "end": 36, "label": "source", "score": 0.82, "model": "attrib-v0", "id": "t1"}
//! {"start": 46, "end": 90, "label": "claim", "score": 0.64, "model": "attrib-v0", "links": [{"kind": "said_by", "to": "t1"}]}
//! ```
//!
//! - `start`, `end` (code points, end exclusive) and `label` are required;
//!   `score`, `model` (default `unknown`), `id` (a number or a string),
//!   `links` (`kind` and `to`, the `id` of another tag of the same file and
//!   article), `doc` and `text` (the quote, checked against the article)
//!   are optional; other fields are ignored.
//! - `doc` names the article when one file holds tags for a folder: a bare
//!   file name (`berita.txt`) matches the article of that name, a path with
//!   folders (`2024/berita.txt`) is relative to the tags file's folder (see
//!   [`doc_matcher`]). Lines for other articles are counted, not errors; a
//!   line without `doc` is for the article imported into.
//! - Each bad line is a [`TagProblem`] with its 1-based line number (blank
//!   lines are skipped but counted): a line over [`MAX_TAG_LINE_BYTES`], not
//!   UTF-8, not JSON, a missing or mistyped field, `start >= end`, an `end`
//!   beyond the article, a quote that does not match, a label the schema
//!   lacks, a tag `id` used twice. A bad line is left out; the good ones
//!   import. A link that names no imported tag, or that the schema does not
//!   allow, is a problem on its line; the tag itself still imports.
//! - A tag with the same range and label as a span already there (human or
//!   machine, whatever its status) is not added again but counted as a
//!   duplicate; its `id` then stands for that span, so links are not added
//!   twice either. Importing the same tags twice therefore changes nothing.
//!
//! [`import_tags`] only computes the edits (new spans with fresh ids, then
//! links); the caller applies them as one step and saves.

mod folder;
mod import;
mod into_folder;
mod json;
mod lines;

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use crate::document::{self, DocumentError};
use crate::edit::Edit;

pub use folder::{DocLines, FolderSplit, article_in, split_by_doc};
pub use import::import_tags;
pub use into_folder::{
    ArticleOutcome, FolderImport, FolderImportError, FolderOptions, InputReport, LineProblem,
    import_into_article, import_into_folder,
};

/// The longest line read; a longer one is a bad line (a tag is ~100 bytes).
pub const MAX_TAG_LINE_BYTES: usize = 1 << 20;

/// The largest tags file read.
pub const MAX_TAGS_FILE_BYTES: u64 = crate::store::MAX_INPUT_BYTES;

/// Model name of a tag that names none.
pub const UNKNOWN_MODEL: &str = "unknown";

/// What is wrong with a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TagProblemKind {
    /// Longer than [`MAX_TAG_LINE_BYTES`].
    TooLong,
    /// Not UTF-8.
    NotUtf8,
    /// Not JSON.
    InvalidJson,
    /// `start`, `end` or `label` missing.
    MissingField,
    /// A field of the wrong type (a negative offset, a string score...).
    WrongType,
    /// `start >= end`, or `end` beyond the article.
    BadRange,
    /// `text` differs from the article at the offsets.
    QuoteMismatch,
    /// A label the schema does not have.
    UnknownLabel,
    /// A model name longer than [`crate::names::MAX_NAME_CHARS`].
    NameTooLong,
    /// A tag `id` used by an earlier line.
    DuplicateId,
    /// A folder's tags line whose `doc` names no article in the folder.
    MissingArticle,
    /// A folder's tags line with no `doc`.
    NoDoc,
    /// A link to a tag no good line defines.
    UnknownLinkTarget,
    /// A link kind the schema lacks or does not allow between the labels.
    BadLink,
}

impl TagProblemKind {
    /// Snake-case name, as in `--json` output.
    pub fn name(self) -> &'static str {
        match self {
            TagProblemKind::TooLong => "too_long",
            TagProblemKind::NotUtf8 => "not_utf8",
            TagProblemKind::InvalidJson => "invalid_json",
            TagProblemKind::MissingField => "missing_field",
            TagProblemKind::WrongType => "wrong_type",
            TagProblemKind::BadRange => "bad_range",
            TagProblemKind::QuoteMismatch => "quote_mismatch",
            TagProblemKind::UnknownLabel => "unknown_label",
            TagProblemKind::NameTooLong => "name_too_long",
            TagProblemKind::DuplicateId => "duplicate_id",
            TagProblemKind::MissingArticle => "missing_article",
            TagProblemKind::NoDoc => "no_doc",
            TagProblemKind::UnknownLinkTarget => "unknown_link_target",
            TagProblemKind::BadLink => "bad_link",
        }
    }
}

/// A problem with one line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TagProblem {
    /// 1-based line number.
    pub line: usize,
    /// What kind.
    pub kind: TagProblemKind,
    /// A sentence for people.
    pub message: String,
}

impl fmt::Display for TagProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.line, self.message)
    }
}

/// What an import of tags did (or would do).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TagsReport {
    /// Lines that were not blank.
    pub lines: usize,
    /// Tags added as new spans.
    pub added: usize,
    /// Tags already present (same range and label), not added again.
    pub duplicates: usize,
    /// Links added.
    pub links_added: usize,
    /// Links already present, not added again.
    pub duplicate_links: usize,
    /// Lines whose `doc` names another article.
    pub other_documents: usize,
    /// Problems, by line.
    pub problems: Vec<TagProblem>,
}

impl TagsReport {
    /// Lines left out because of a problem (a line with only a link problem
    /// still imported its tag and is not counted here).
    pub fn bad_lines(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| {
                !matches!(
                    p.kind,
                    TagProblemKind::UnknownLinkTarget | TagProblemKind::BadLink
                )
            })
            .map(|p| p.line)
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// One line for people.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} tags added, {} already there; {} links added, {} already there; {} bad lines",
            self.added,
            self.duplicates,
            self.links_added,
            self.duplicate_links,
            self.bad_lines()
        );
        if self.other_documents > 0 {
            let _ = write!(s, "; {} lines for other documents", self.other_documents);
        }
        s
    }
}

/// The edits that import tags, and what they do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TagsImport {
    /// New spans, then new links; apply them as one step.
    pub edits: Vec<Edit>,
    /// Counts and problems.
    pub report: TagsReport,
}

/// Reads a tags file (size-bounded; its lines are checked one by one).
pub fn read_tags_file(path: &Path) -> Result<Vec<u8>, DocumentError> {
    document::read_bounded(path, MAX_TAGS_FILE_BYTES)
}

/// Removes `.` and resolves `..` without touching the disk.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether a tag's `doc` names `article`: a bare file name matches the
/// article's file name; a path with folders is read relative to the tags
/// file's folder and compared with the article's path.
pub fn doc_matcher(tags_file: &Path, article: &Path) -> impl Fn(&str) -> bool + use<> {
    let abs = |p: &Path| lexical(&std::path::absolute(p).unwrap_or_else(|_| p.to_owned()));
    let name = article
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let article = abs(article);
    let dir = abs(tags_file.parent().unwrap_or_else(|| Path::new("")));
    move |doc: &str| {
        let p = Path::new(doc);
        if p.components().count() == 1 && !p.is_absolute() {
            doc == name
        } else {
            lexical(&dir.join(p)) == article
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_names_match_by_file_name_or_relative_path() {
        let m = doc_matcher(
            Path::new("/data/tags.jsonl"),
            Path::new("/data/2024/jembatan.txt"),
        );
        assert!(m("jembatan.txt"));
        assert!(m("2024/jembatan.txt"));
        assert!(m("./2024/../2024/jembatan.txt"));
        assert!(!m("2023/jembatan.txt"));
        assert!(!m("lain.txt"));
    }
}
