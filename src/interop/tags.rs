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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::document::{self, DocumentError};
use crate::edit::Edit;
use crate::model::{Annotations, Link, LinkId, Origin, Span, SpanId};
use crate::offsets::Text;
use crate::schema::Schema;

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

#[derive(Debug, Deserialize)]
struct TagLink {
    kind: String,
    to: serde_json::Value,
}

#[derive(Debug, Deserialize)]
struct Tag {
    start: usize,
    end: usize,
    label: String,
    #[serde(default)]
    score: Option<f64>,
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    doc: Option<String>,
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    links: Vec<TagLink>,
    #[serde(default)]
    text: Option<String>,
}

/// A tag id as a key: numbers and strings (`1` and `"1"` are the same tag).
fn id_key(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
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

/// A span id for a new tag: `next` if neither a span nor a link end of
/// `ann` uses it, else the next one that is free (wrapping round to 1 past
/// `u64::MAX`); `next` moves past it. Ids handed out before are below
/// `next` (or were, before a wrap, above every id there), so never
/// handed out twice.
fn fresh_span_id(ann: &Annotations, next: &mut u64) -> SpanId {
    loop {
        let id = SpanId(*next);
        *next = next.checked_add(1).unwrap_or(1);
        if id.0 != 0 && ann.span(id).is_none() && ann.links_of(id).next().is_none() {
            return id;
        }
    }
}

fn push(problems: &mut Vec<TagProblem>, line: usize, kind: TagProblemKind, message: String) {
    problems.push(TagProblem {
        line,
        kind,
        message,
    });
}

/// One good line, ready to become a span (or found to be one already).
struct Good {
    line: usize,
    id: SpanId,
    label: String,
    links: Vec<TagLink>,
}

/// Computes the edits that add the tags of `src` (a JSONL file's bytes) to
/// `ann`, the annotations of the article `text`, checking labels and links
/// against `schema`; `is_this_doc` says whether a line's `doc` names this
/// article. Never fails: what is wrong is in the report.
pub fn import_tags(
    ann: &Annotations,
    text: &Text,
    schema: &Schema,
    src: &[u8],
    is_this_doc: &dyn Fn(&str) -> bool,
) -> TagsImport {
    let mut report = TagsReport::default();
    let mut edits = Vec::new();
    let mut next_id = ann.next_span_id().0;
    // (start, end, label) of spans there or added, to find duplicates.
    let mut added: BTreeMap<(usize, usize, String), SpanId> = BTreeMap::new();
    let mut ids: BTreeMap<String, SpanId> = BTreeMap::new();
    let mut good: Vec<Good> = Vec::new();
    let len = text.len_chars();
    let mut problems = Vec::new();
    let mut lines = 0;

    for (i, raw) in src.split(|&b| b == b'\n').enumerate() {
        let line = i + 1;
        if raw.len() > MAX_TAG_LINE_BYTES {
            push(
                &mut problems,
                line,
                TagProblemKind::TooLong,
                format!(
                    "line is {} bytes, more than the {MAX_TAG_LINE_BYTES} a tag may have; left out",
                    raw.len()
                ),
            );
            lines += 1;
            continue;
        }
        let Ok(s) = std::str::from_utf8(raw) else {
            push(
                &mut problems,
                line,
                TagProblemKind::NotUtf8,
                "not UTF-8; left out".to_owned(),
            );
            lines += 1;
            continue;
        };
        let s = s.strip_suffix('\r').unwrap_or(s);
        let s = if line == 1 {
            s.strip_prefix('\u{feff}').unwrap_or(s)
        } else {
            s
        };
        if s.trim().is_empty() {
            continue;
        }
        lines += 1;
        let value: serde_json::Value = match serde_json::from_str(s) {
            Ok(v) => v,
            Err(e) => {
                push(
                    &mut problems,
                    line,
                    TagProblemKind::InvalidJson,
                    format!("not valid JSON ({e}); left out"),
                );
                continue;
            }
        };
        let tag: Tag = match serde_json::from_value(value) {
            Ok(t) => t,
            Err(e) => {
                let msg = e.to_string();
                let kind = if msg.starts_with("missing field") {
                    TagProblemKind::MissingField
                } else {
                    TagProblemKind::WrongType
                };
                push(&mut problems, line, kind, format!("{msg}; left out"));
                continue;
            }
        };
        if let Some(doc) = &tag.doc
            && !is_this_doc(doc)
        {
            report.other_documents += 1;
            continue;
        }
        let key = match &tag.id {
            None => None,
            Some(v) => {
                let Some(k) = id_key(v) else {
                    push(
                        &mut problems,
                        line,
                        TagProblemKind::WrongType,
                        format!("id {v} is neither a number nor a string; left out"),
                    );
                    continue;
                };
                if ids.contains_key(&k) {
                    push(
                        &mut problems,
                        line,
                        TagProblemKind::DuplicateId,
                        format!("tag id {v} is used by an earlier line; left out"),
                    );
                    continue;
                }
                Some(k)
            }
        };
        if tag.start >= tag.end {
            push(
                &mut problems,
                line,
                TagProblemKind::BadRange,
                format!(
                    "start {} is not before end {}; left out",
                    tag.start, tag.end
                ),
            );
            continue;
        }
        if tag.end > len {
            push(
                &mut problems,
                line,
                TagProblemKind::BadRange,
                format!(
                    "end {} is beyond the article ({len} chars); left out",
                    tag.end
                ),
            );
            continue;
        }
        if schema.label(&tag.label).is_none() {
            let known: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
            push(
                &mut problems,
                line,
                TagProblemKind::UnknownLabel,
                format!(
                    "label {} is not in the schema ({}); left out",
                    crate::check::excerpt(&tag.label),
                    known.join(", ")
                ),
            );
            continue;
        }
        if let Some(Err(why)) = tag
            .model
            .as_deref()
            .map(|m| crate::names::check("model", m))
        {
            let kind = TagProblemKind::NameTooLong;
            push(&mut problems, line, kind, format!("{why}; left out"));
            continue;
        }
        let quote = text.slice(tag.start..tag.end).unwrap_or_default();
        if let Some(t) = &tag.text
            && t != quote
        {
            push(
                &mut problems,
                line,
                TagProblemKind::QuoteMismatch,
                format!(
                    "text {} does not match the article at {}..{} ({}); left out",
                    crate::check::excerpt(t),
                    tag.start,
                    tag.end,
                    crate::check::excerpt(quote)
                ),
            );
            continue;
        }

        let dup_key = (tag.start, tag.end, tag.label.clone());
        let existing = added.get(&dup_key).copied().or_else(|| {
            ann.spans_overlapping(tag.start..tag.end)
                .find(|s| s.start == tag.start && s.end == tag.end && s.label == tag.label)
                .map(|s| s.id)
        });
        let id = if let Some(id) = existing {
            report.duplicates += 1;
            id
        } else {
            let id = fresh_span_id(ann, &mut next_id);
            let origin = Origin::Machine {
                model: tag
                    .model
                    .clone()
                    .filter(|m| !m.trim().is_empty())
                    .unwrap_or_else(|| UNKNOWN_MODEL.to_owned()),
                score: tag.score.filter(|x| x.is_finite()),
            };
            // The range was checked against the text above.
            let Some(span) = Span::new_in(text, id, &tag.label, tag.start..tag.end, origin) else {
                continue;
            };
            edits.push(Edit::AddSpan(span));
            report.added += 1;
            id
        };
        added.insert(dup_key, id);
        if let Some(k) = key {
            ids.insert(k, id);
        }
        good.push(Good {
            line,
            id,
            label: tag.label,
            links: tag.links,
        });
    }

    report.lines = lines;
    report.problems = problems;

    // Links, once every tag of the file is known.
    let label_of: BTreeMap<SpanId, &str> = good.iter().map(|g| (g.id, g.label.as_str())).collect();
    let mut next_link = ann.next_link_id().0;
    let mut link_keys: BTreeSet<(String, SpanId, SpanId)> = ann
        .links()
        .map(|l| (l.kind.clone(), l.from, l.to))
        .collect();
    for g in &good {
        for l in &g.links {
            let target = id_key(&l.to).and_then(|k| ids.get(&k).copied());
            let Some(to) = target else {
                report.problems.push(TagProblem {
                    line: g.line,
                    kind: TagProblemKind::UnknownLinkTarget,
                    message: format!(
                        "link {} goes to tag {}, which no good line of this file (for this article) defines; link left out",
                        l.kind, l.to
                    ),
                });
                continue;
            };
            let to_label = label_of.get(&to).copied().unwrap_or_default();
            if let Err(why) = schema.check_link(&l.kind, &g.label, to_label) {
                report.problems.push(TagProblem {
                    line: g.line,
                    kind: TagProblemKind::BadLink,
                    message: format!("{why}; link left out"),
                });
                continue;
            }
            if !link_keys.insert((l.kind.clone(), g.id, to)) {
                report.duplicate_links += 1;
                continue;
            }
            edits.push(Edit::AddLink(Link {
                id: LinkId(next_link),
                kind: l.kind.clone(),
                from: g.id,
                to,
            }));
            next_link += 1;
            report.links_added += 1;
        }
    }
    report.problems.sort_by_key(|p| p.line);
    TagsImport { edits, report }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply_all;
    use crate::model::{DocumentRef, Status};

    const ARTICLE: &str = "WASHINGTON (Wire) — The transport ministry said on Tuesday that the bridge \
        would reopen in March, according to a statement. Contractors denied any delay.";

    fn range(needle: &str) -> (usize, usize) {
        let b = ARTICLE.find(needle).unwrap();
        let start = ARTICLE[..b].chars().count();
        (start, start + needle.chars().count())
    }

    #[test]
    fn new_tags_get_free_ids_past_the_largest_and_past_dangling_links() {
        // Found by fuzzing: a new tag took the id a dangling link named
        // (so undo of the import failed), and `next_id += 1` overflowed.
        let text = Text::new(ARTICLE.to_owned());
        let mut ann = Annotations::default();
        let (s, e) = range("transport");
        let span = Span::new_in(&text, SpanId(u64::MAX), "claim", s..e, Origin::default());
        ann.insert_span(span.unwrap()).unwrap();
        ann.insert_link_unchecked(Link {
            id: LinkId(1),
            kind: "said_by".into(),
            from: SpanId(u64::MAX),
            to: SpanId(1),
        })
        .unwrap();
        let (a, b) = range("ministry");
        let (c, d) = range("bridge");
        let src = format!(
            "{{\"start\": {a}, \"end\": {b}, \"label\": \"source\"}}\n{{\"start\": {c}, \"end\": {d}, \"label\": \"claim\"}}\n"
        );
        let imp = import_tags(&ann, &text, &Schema::builtin(), src.as_bytes(), &|_| true);
        let ids: Vec<SpanId> = imp
            .edits
            .iter()
            .filter_map(|e| match e {
                Edit::AddSpan(s) => Some(s.id),
                _ => None,
            })
            .collect();
        assert_eq!(ids, [SpanId(2), SpanId(3)]);
        let before = ann.clone();
        let undo = apply_all(&mut ann, &text, imp.edits).unwrap();
        apply_all(&mut ann, &text, undo).unwrap();
        assert_eq!(ann, before);
    }

    fn setup() -> (Annotations, Text) {
        let text = Text::new(ARTICLE.to_owned());
        let mut ann = Annotations::new(DocumentRef {
            path: "bridge.txt".into(),
            sha256: String::new(),
            chars: text.len_chars(),
        });
        let (s, e) = range("The transport ministry");
        let human = Span::new_in(
            &text,
            SpanId(1),
            "source",
            s..e,
            Origin::Human {
                annotator: "ana".into(),
            },
        )
        .unwrap();
        ann.insert_span(human).unwrap();
        (ann, text)
    }

    fn tag(needle: &str, label: &str, extra: &str) -> String {
        let (s, e) = range(needle);
        format!(r#"{{"start": {s}, "end": {e}, "label": "{label}"{extra}}}"#)
    }

    fn run(ann: &mut Annotations, text: &Text, src: &str) -> TagsReport {
        let schema = Schema::builtin();
        let this = |d: &str| d == "bridge.txt";
        let imp = import_tags(ann, text, &schema, src.as_bytes(), &this);
        apply_all(ann, text, imp.edits).unwrap();
        imp.report
    }

    #[test]
    fn every_bad_line_kind_is_reported_with_its_line_and_good_lines_import() {
        use TagProblemKind as K;
        let (mut ann, text) = setup();
        let len = text.len_chars();
        let lines = [
            tag(
                "the bridge would reopen in March",
                "claim",
                r#", "score": 0.8, "model": "attrib-v0", "id": "c1", "links": [{"kind": "said_by", "to": "s1"}]"#,
            ),
            String::new(),
            "{\"start\": 3, \"end\": ".to_owned(),
            r#"{"start": 3, "label": "claim"}"#.to_owned(),
            r#"{"start": -1, "end": 4, "label": "claim"}"#.to_owned(),
            r#"{"start": 9, "end": 9, "label": "claim"}"#.to_owned(),
            format!(r#"{{"start": 9, "end": {}, "label": "claim"}}"#, len + 1),
            tag("Contractors", "rumour", ""),
            tag(
                "Contractors denied",
                "denial",
                r#", "text": "Contractor denied""#,
            ),
            tag("a statement", "source", r#", "id": "c1""#),
            tag(
                "The transport ministry",
                "source",
                r#", "id": "s1", "model": "attrib-v0""#,
            ),
            tag(
                "Contractors denied any delay",
                "denial",
                r#", "links": [{"kind": "said_by", "to": "nobody"}, {"kind": "denies", "to": "s1"}]"#,
            ),
            tag("Contractors", "source", r#", "doc": "other.txt""#),
        ];
        let mut src = lines.join("\n");
        src.push_str("\n\u{ff}\u{fe}\n");
        let mut bytes = src.into_bytes();
        // Line 15: not UTF-8.
        bytes.extend_from_slice(b"{\"start\": 1, \"end\": 2, \"label\": \"cl\xffaim\"}\n");
        let schema = Schema::builtin();
        let this = |d: &str| d == "bridge.txt";
        let imp = import_tags(&ann, &text, &schema, &bytes, &this);
        let r = &imp.report;
        let got: Vec<(usize, TagProblemKind)> =
            r.problems.iter().map(|p| (p.line, p.kind)).collect();
        assert_eq!(
            got,
            [
                (3, K::InvalidJson),
                (4, K::MissingField),
                (5, K::WrongType),
                (6, K::BadRange),
                (7, K::BadRange),
                (8, K::UnknownLabel),
                (9, K::QuoteMismatch),
                (10, K::DuplicateId),
                (12, K::UnknownLinkTarget),
                (12, K::BadLink),
                (14, K::InvalidJson),
                (15, K::NotUtf8),
            ]
        );
        assert!(
            r.problems[1].message.contains("missing field `end`"),
            "{:?}",
            r.problems[1]
        );
        assert!(r.problems[4].message.contains("beyond the article"));
        assert_eq!((r.added, r.duplicates, r.other_documents), (2, 1, 1));
        assert_eq!((r.links_added, r.bad_lines()), (1, 10));
        assert_eq!(r.lines, 14);
        apply_all(&mut ann, &text, imp.edits).unwrap();
        assert_eq!(ann.span_count(), 3, "the human span is kept, two added");
        let claim = ann.spans().find(|s| s.label == "claim").unwrap();
        assert_eq!(claim.status, Some(Status::Pending));
        assert_eq!(
            claim.origin,
            Origin::Machine {
                model: "attrib-v0".into(),
                score: Some(0.8)
            }
        );
        let link = ann.links().next().unwrap();
        assert_eq!(
            (link.from, link.to),
            (claim.id, SpanId(1)),
            "to the existing span"
        );
        let denial = ann.spans().find(|s| s.label == "denial").unwrap();
        assert_eq!(
            denial.origin,
            Origin::Machine {
                model: UNKNOWN_MODEL.into(),
                score: None
            }
        );
    }

    #[test]
    fn importing_twice_changes_nothing() {
        let (mut ann, text) = setup();
        let src = [
            tag("Contractors", "source", r#", "id": 1, "score": 0.7"#),
            tag(
                "Contractors denied any delay",
                "denial",
                r#", "id": 2, "links": [{"kind": "said_by", "to": 1}]"#,
            ),
            // The same tag twice in one file.
            tag("Contractors", "source", ""),
        ]
        .join("\n");
        let first = run(&mut ann, &text, &src);
        assert_eq!(
            (first.added, first.duplicates, first.links_added),
            (2, 1, 1)
        );
        assert!(first.problems.is_empty());
        let after_first = ann.clone();
        let schema = Schema::builtin();
        let this = |d: &str| d == "bridge.txt";
        let again = import_tags(&ann, &text, &schema, src.as_bytes(), &this);
        assert!(again.edits.is_empty());
        assert_eq!(
            (
                again.report.added,
                again.report.duplicates,
                again.report.duplicate_links
            ),
            (0, 3, 1)
        );
        assert_eq!(ann, after_first);
    }

    #[test]
    fn a_line_over_the_limit_is_refused() {
        let (ann, text) = setup();
        let long = format!(
            "{}\n{}",
            tag("Contractors", "source", ""),
            " ".repeat(MAX_TAG_LINE_BYTES + 1)
        );
        let imp = import_tags(&ann, &text, &Schema::builtin(), long.as_bytes(), &|_| true);
        assert_eq!(imp.report.added, 1);
        assert_eq!(imp.report.problems[0].kind, TagProblemKind::TooLong);
        assert_eq!(imp.report.problems[0].line, 2);
    }

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
