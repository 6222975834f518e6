//! [`import_tags`]: one pass over the lines, checking and adding each tag,
//! then one over the links, once every tag of the file is known.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::{
    MAX_TAG_LINE_BYTES, TagProblem, TagProblemKind, TagsImport, TagsReport, UNKNOWN_MODEL,
};
use crate::check::excerpt;
use crate::edit::Edit;
use crate::model::{Annotations, Link, LinkId, Origin, Span, SpanId};
use crate::offsets::Text;
use crate::schema::Schema;

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

pub(super) fn problem(line: usize, kind: TagProblemKind, message: String) -> TagProblem {
    TagProblem {
        line,
        kind,
        message,
    }
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
    let mut imp = Importer::new(ann, text, schema);
    for (i, raw) in src.split(|&b| b == b'\n').enumerate() {
        let line = i + 1;
        let result = match decode_line(raw, line) {
            Ok(None) => continue,
            Ok(Some(s)) => imp.line(line, s, is_this_doc),
            Err(p) => Err(p),
        };
        imp.report.lines += 1;
        if let Err(p) = result {
            imp.report.problems.push(p);
        }
    }
    imp.links();
    let Importer {
        mut report, edits, ..
    } = imp;
    // Stable: a line's own problems stay before its link problems.
    report.problems.sort_by_key(|p| p.line);
    TagsImport { edits, report }
}

/// A line as text without its line end (and the BOM of the first line), or
/// `None` if it is blank.
pub(super) fn decode_line(raw: &[u8], line: usize) -> Result<Option<&str>, TagProblem> {
    if raw.len() > MAX_TAG_LINE_BYTES {
        return Err(problem(
            line,
            TagProblemKind::TooLong,
            format!(
                "line is {} bytes, more than the {MAX_TAG_LINE_BYTES} a tag may have; left out",
                raw.len()
            ),
        ));
    }
    let Ok(s) = std::str::from_utf8(raw) else {
        return Err(problem(
            line,
            TagProblemKind::NotUtf8,
            "not UTF-8; left out".to_owned(),
        ));
    };
    let s = s.strip_suffix('\r').unwrap_or(s);
    let s = if line == 1 {
        s.strip_prefix('\u{feff}').unwrap_or(s)
    } else {
        s
    };
    Ok((!s.trim().is_empty()).then_some(s))
}

/// A line as a [`Tag`]: valid JSON with the required fields, well typed.
fn parse_tag(s: &str, line: usize) -> Result<Tag, TagProblem> {
    let value: serde_json::Value = serde_json::from_str(s).map_err(|e| {
        problem(
            line,
            TagProblemKind::InvalidJson,
            format!("not valid JSON ({e}); left out"),
        )
    })?;
    serde_json::from_value(value).map_err(|e| {
        let msg = e.to_string();
        let kind = if msg.starts_with("missing field") {
            TagProblemKind::MissingField
        } else {
            TagProblemKind::WrongType
        };
        problem(line, kind, format!("{msg}; left out"))
    })
}

/// Checks a tag against the article and the schema: a range inside the
/// article, a known label, a quote (if given) that matches.
fn check_tag(tag: &Tag, text: &Text, schema: &Schema, line: usize) -> Result<(), TagProblem> {
    let len = text.len_chars();
    if tag.start >= tag.end {
        return Err(problem(
            line,
            TagProblemKind::BadRange,
            format!(
                "start {} is not before end {}; left out",
                tag.start, tag.end
            ),
        ));
    }
    if tag.end > len {
        return Err(problem(
            line,
            TagProblemKind::BadRange,
            format!(
                "end {} is beyond the article ({len} chars); left out",
                tag.end
            ),
        ));
    }
    if schema.label(&tag.label).is_none() {
        let known: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
        return Err(problem(
            line,
            TagProblemKind::UnknownLabel,
            format!(
                "label {} is not in the schema ({}); left out",
                crate::check::excerpt(&tag.label),
                known.join(", ")
            ),
        ));
    }
    if let Some(Err(why)) = tag
        .model
        .as_deref()
        .map(|m| crate::names::check("model", m))
    {
        let kind = TagProblemKind::NameTooLong;
        return Err(problem(line, kind, format!("{why}; left out")));
    }
    let quote = text.slice(tag.start..tag.end).unwrap_or_default();
    if let Some(t) = &tag.text
        && t != quote
    {
        return Err(problem(
            line,
            TagProblemKind::QuoteMismatch,
            format!(
                "text {} does not match the article at {}..{} ({}); left out",
                excerpt(t),
                tag.start,
                tag.end,
                excerpt(quote)
            ),
        ));
    }
    Ok(())
}

/// The state of one import: what is there, what was added, what was found.
struct Importer<'a> {
    ann: &'a Annotations,
    text: &'a Text,
    schema: &'a Schema,
    report: TagsReport,
    edits: Vec<Edit>,
    next_id: u64,
    /// (start, end, label) of spans there or added, to find duplicates.
    added: BTreeMap<(usize, usize, String), SpanId>,
    /// The span each tag `id` of the file stands for.
    ids: BTreeMap<String, SpanId>,
    good: Vec<Good>,
}

impl<'a> Importer<'a> {
    fn new(ann: &'a Annotations, text: &'a Text, schema: &'a Schema) -> Self {
        Self {
            ann,
            text,
            schema,
            report: TagsReport::default(),
            edits: Vec::new(),
            next_id: ann.next_span_id().0,
            added: BTreeMap::new(),
            ids: BTreeMap::new(),
            good: Vec::new(),
        }
    }

    /// Checks one non-blank line and adds its tag (or finds it there).
    fn line(
        &mut self,
        line: usize,
        s: &str,
        is_this_doc: &dyn Fn(&str) -> bool,
    ) -> Result<(), TagProblem> {
        let tag = parse_tag(s, line)?;
        if let Some(doc) = &tag.doc
            && !is_this_doc(doc)
        {
            self.report.other_documents += 1;
            return Ok(());
        }
        let key = self.id_of(&tag, line)?;
        check_tag(&tag, self.text, self.schema, line)?;
        let Some(id) = self.add_span(&tag) else {
            return Ok(());
        };
        if let Some(k) = key {
            self.ids.insert(k, id);
        }
        self.good.push(Good {
            line,
            id,
            label: tag.label,
            links: tag.links,
        });
        Ok(())
    }

    /// The tag's `id` as a key, if it has one: a number or a string that
    /// no earlier line used.
    fn id_of(&self, tag: &Tag, line: usize) -> Result<Option<String>, TagProblem> {
        let Some(v) = &tag.id else {
            return Ok(None);
        };
        let Some(k) = id_key(v) else {
            return Err(problem(
                line,
                TagProblemKind::WrongType,
                format!("id {v} is neither a number nor a string; left out"),
            ));
        };
        if self.ids.contains_key(&k) {
            return Err(problem(
                line,
                TagProblemKind::DuplicateId,
                format!("tag id {v} is used by an earlier line; left out"),
            ));
        }
        Ok(Some(k))
    }

    /// The span for a checked tag: one with the same range and label
    /// already there (a duplicate), or a new pending machine span.
    fn add_span(&mut self, tag: &Tag) -> Option<SpanId> {
        let dup_key = (tag.start, tag.end, tag.label.clone());
        let existing = self.added.get(&dup_key).copied().or_else(|| {
            self.ann
                .spans_overlapping(tag.start..tag.end)
                .find(|s| s.start == tag.start && s.end == tag.end && s.label == tag.label)
                .map(|s| s.id)
        });
        let id = if let Some(id) = existing {
            self.report.duplicates += 1;
            id
        } else {
            let id = fresh_span_id(self.ann, &mut self.next_id);
            let origin = Origin::Machine {
                model: tag
                    .model
                    .clone()
                    .filter(|m| !m.trim().is_empty())
                    .unwrap_or_else(|| UNKNOWN_MODEL.to_owned()),
                score: tag.score.filter(|x| x.is_finite()),
            };
            // The range was checked against the text by `check_tag`.
            let span = Span::new_in(self.text, id, &tag.label, tag.start..tag.end, origin)?;
            self.edits.push(Edit::AddSpan(span));
            self.report.added += 1;
            id
        };
        self.added.insert(dup_key, id);
        Some(id)
    }

    /// Adds the links of the good lines, once every tag of the file is
    /// known: each to a tag of this file, allowed by the schema, not there
    /// already.
    fn links(&mut self) {
        let label_of: BTreeMap<SpanId, &str> =
            self.good.iter().map(|g| (g.id, g.label.as_str())).collect();
        let mut next_link = self.ann.next_link_id().0;
        let mut link_keys: BTreeSet<(String, SpanId, SpanId)> = self
            .ann
            .links()
            .map(|l| (l.kind.clone(), l.from, l.to))
            .collect();
        for g in &self.good {
            for l in &g.links {
                let target = id_key(&l.to).and_then(|k| self.ids.get(&k).copied());
                let Some(to) = target else {
                    self.report.problems.push(problem(
                        g.line,
                        TagProblemKind::UnknownLinkTarget,
                        format!(
                            "link {} goes to tag {}, which no good line of this file (for this article) defines; link left out",
                            l.kind, l.to
                        ),
                    ));
                    continue;
                };
                let to_label = label_of.get(&to).copied().unwrap_or_default();
                if let Err(why) = self.schema.check_link(&l.kind, &g.label, to_label) {
                    self.report.problems.push(problem(
                        g.line,
                        TagProblemKind::BadLink,
                        format!("{why}; link left out"),
                    ));
                    continue;
                }
                if !link_keys.insert((l.kind.clone(), g.id, to)) {
                    self.report.duplicate_links += 1;
                    continue;
                }
                self.edits.push(Edit::AddLink(Link {
                    id: LinkId(next_link),
                    kind: l.kind.clone(),
                    from: g.id,
                    to,
                }));
                next_link += 1;
                self.report.links_added += 1;
            }
        }
    }
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
}
