//! [`import_tags`]: the lines read and checked (on all cores for a large
//! file; [`super::lines`]), then one pass over them in order adding each
//! tag, then one over the links, once every tag of the file is known.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::lines::{Line, Tag, TagLink, prepare, problem};
use super::{TagProblem, TagProblemKind, TagsImport, TagsReport};
use crate::edit::Edit;
use crate::model::{Annotations, Link, LinkId, Span, SpanId};
use crate::offsets::Text;
use crate::schema::Schema;

/// Span ids for new tags: from `ann`'s next one up, each free (see
/// [`Annotations::span_id_is_free`]); past `u64::MAX`, round from 1.
/// Ids handed out are never handed out again: before a wrap they are
/// above every id there, and after it below `next`.
struct FreshIds {
    next: u64,
    /// From here up no id is used: no look-up needed (until a wrap).
    free_from: Option<u64>,
}

impl FreshIds {
    fn new(ann: &Annotations) -> Self {
        Self {
            next: ann.next_span_id().0,
            free_from: ann.span_ids_free_from().map(|id| id.0),
        }
    }

    fn take(&mut self, ann: &Annotations) -> SpanId {
        loop {
            let id = SpanId(self.next);
            self.next = self.next.checked_add(1).unwrap_or_else(|| {
                self.free_from = None;
                1
            });
            let known_free = self.free_from.is_some_and(|f| id.0 >= f);
            if id.0 != 0 && (known_free || ann.span_id_is_free(id)) {
                return id;
            }
        }
    }
}

/// One good line, ready to become a span (or found to be one already).
struct Good<'s> {
    line: usize,
    id: SpanId,
    /// The span was there before the import (the tag is a duplicate of
    /// it): only then can a link to it be there already.
    there: bool,
    label: Cow<'s, str>,
    links: Vec<TagLink<'s>>,
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
    let lines = prepare(src, text, schema);
    let tags = lines
        .iter()
        .filter(|(_, l)| matches!(l, Line::Tag(..)))
        .count();
    let mut imp = Importer::new(ann, schema, tags);
    for (line, prepared) in lines {
        let result = match prepared {
            Line::Blank => continue,
            Line::Bad(p) => Err(p),
            Line::Tag(tag, checked) => imp.line(line, tag, checked, is_this_doc),
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

/// The state of one import: what is there, what was added, what was found.
/// `'s` is the tags file's.
struct Importer<'a, 's> {
    ann: &'a Annotations,
    schema: &'a Schema,
    report: TagsReport,
    edits: Vec<Edit>,
    fresh: FreshIds,
    /// (start, end, label) of spans there or added, to find duplicates.
    added: HashMap<(usize, usize, usize), SpanId>,
    /// The span each tag `id` of the file stands for.
    /// (Its place in `good`.)
    ids: HashMap<Cow<'s, str>, usize>,
    good: Vec<Good<'s>>,
}

impl<'a, 's> Importer<'a, 's> {
    /// For a file of about `tags` tags.
    fn new(ann: &'a Annotations, schema: &'a Schema, tags: usize) -> Self {
        Self {
            ann,
            schema,
            report: TagsReport::default(),
            edits: Vec::with_capacity(tags),
            fresh: FreshIds::new(ann),
            added: HashMap::with_capacity(tags),
            ids: HashMap::with_capacity(tags),
            good: Vec::with_capacity(tags),
        }
    }

    /// Takes one read and checked line (see [`prepare`]) and adds its tag
    /// (or finds it there).
    fn line(
        &mut self,
        line: usize,
        tag: Tag<'s>,
        checked: Result<Option<Box<Span>>, TagProblem>,
        is_this_doc: &dyn Fn(&str) -> bool,
    ) -> Result<(), TagProblem> {
        if let Some(doc) = &tag.doc
            && !is_this_doc(&doc.0)
        {
            self.report.other_documents += 1;
            return Ok(());
        }
        let key = self.id_of(&tag, line)?;
        let Some(span) = checked? else {
            return Ok(());
        };
        let (id, there) = self.add_span(&tag, span);
        if let Some(k) = key {
            self.ids.insert(k, self.good.len());
        }
        self.good.push(Good {
            line,
            id,
            there,
            label: tag.label,
            links: tag.links,
        });
        Ok(())
    }

    /// The tag's `id` as a key, if it has one: a number or a string that
    /// no earlier line used.
    fn id_of(&self, tag: &Tag<'s>, line: usize) -> Result<Option<Cow<'s, str>>, TagProblem> {
        let Some(v) = &tag.id else {
            return Ok(None);
        };
        let Some(k) = v.key() else {
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

    /// The span for a checked tag, and whether it was there before: one
    /// with the same range and label already there or added (a
    /// duplicate), or `span`, the new pending machine span [`prepare`] made
    /// of it, under a fresh id.
    fn add_span(&mut self, tag: &Tag, mut span: Box<Span>) -> (SpanId, bool) {
        // The label by its place in the schema (`check_tag` found it there).
        let label = self.schema.labels.iter().position(|l| l.name == tag.label);
        let dup_key = (tag.start, tag.end, label.unwrap_or(usize::MAX));
        let found = if let Some(&id) = self.added.get(&dup_key) {
            Some(id)
        } else {
            self.ann
                .spans_at(tag.start..tag.end)
                .find(|s| s.label == tag.label)
                .map(|s| s.id)
        };
        let (id, there) = if let Some(id) = found {
            self.report.duplicates += 1;
            (id, self.ann.span(id).is_some())
        } else {
            span.id = self.fresh.take(self.ann);
            let id = span.id;
            self.edits.push(Edit::AddSpan(span));
            self.report.added += 1;
            (id, false)
        };
        self.added.insert(dup_key, id);
        (id, there)
    }

    /// Adds the links of the good lines, once every tag of the file is
    /// known: each to a tag of this file, allowed by the schema, not there
    /// already.
    fn links(&mut self) {
        let Self {
            ann,
            schema,
            report,
            edits,
            ids,
            good,
            ..
        } = self;
        let mut next_link = ann.next_link_id().0;
        // The links added, to add none twice.
        let mut added: HashSet<(SpanId, SpanId, &str)> = HashSet::with_capacity(good.len());
        for g in good.iter() {
            for l in &g.links {
                let target = l.to.key().and_then(|k| ids.get(&k));
                let Some(target) = target.and_then(|&i| good.get(i)) else {
                    report.problems.push(problem(
                        g.line,
                        TagProblemKind::UnknownLinkTarget,
                        format!(
                            "link {} goes to tag {}, which no good line of this file (for this article) defines; link left out",
                            l.kind, l.to
                        ),
                    ));
                    continue;
                };
                let to = target.id;
                if let Err(why) = schema.check_link(&l.kind, &g.label, &target.label) {
                    report.problems.push(problem(
                        g.line,
                        TagProblemKind::BadLink,
                        format!("{why}; link left out"),
                    ));
                    continue;
                }
                // A link there already joins two spans that were there.
                let there = g.there
                    && target.there
                    && ann.links_of(g.id).any(|x| x.to == to && x.kind == l.kind);
                if there || !added.insert((g.id, to, &l.kind)) {
                    report.duplicate_links += 1;
                    continue;
                }
                edits.push(Edit::AddLink(Link {
                    id: LinkId(next_link),
                    kind: l.kind.clone().into_owned(),
                    from: g.id,
                    to,
                }));
                next_link += 1;
                report.links_added += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{MAX_TAG_LINE_BYTES, UNKNOWN_MODEL};
    use super::*;
    use crate::edit::apply_all;
    use crate::model::Origin;
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
