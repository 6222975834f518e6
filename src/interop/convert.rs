//! What importers and exporters share: where a foreign span lies, how
//! names map, ids, safe file names, and the documents passed between the
//! formats and the pipeline.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::{Loss, Mapping, ProblemKind, Warnings};
use crate::document::Article;
use crate::format::{RawEntity, RawLink, RawSpan};
use crate::model::{Annotations, Link, Origin, Span, SpanId};
use crate::offsets::Text;
use crate::schema::Schema;

/// Where a span from another tool lies, from its offsets and, where the
/// format has one, its quote. Returns the offsets to use and the quote to
/// keep (the foreign quote when it does not match, so that placement can
/// look for it), or `None` when the span cannot be kept at all.
///
/// A quote that matches only when the offsets are read as UTF-16 code units
/// converts them (and says so); a quote that matches nowhere near is
/// reported and left to placement, which moves the span to the quote or
/// keeps it as an orphan.
pub(crate) fn locate(
    text: &Text,
    range: Range<usize>,
    quote: Option<&str>,
    w: &mut Warnings,
    line: Option<usize>,
    what: &str,
) -> Option<(Range<usize>, Option<String>)> {
    let len = text.len_chars();
    let at = text.slice(range.clone());
    let Some(quote) = quote else {
        if at.is_none() {
            w.problem(
                ProblemKind::OutOfRange,
                line,
                format!(
                    "{what}: offsets {}..{} are outside the text ({len} characters); left out",
                    range.start, range.end
                ),
            );
            return None;
        }
        return Some((range, None));
    };
    if at == Some(quote) {
        return Some((range, Some(quote.to_owned())));
    }
    if let (Some(s), Some(e)) = (
        text.char_of_utf16(range.start),
        text.char_of_utf16(range.end),
    ) && text.slice(s..e) == Some(quote)
    {
        w.problem(
            ProblemKind::Utf16Offsets,
            line,
            format!(
                "{what}: offsets {}..{} count UTF-16 code units, not characters; read as {s}..{e}",
                range.start, range.end
            ),
        );
        return Some((s..e, Some(quote.to_owned())));
    }
    match at {
        Some(found) => w.problem(
            ProblemKind::TextMismatch,
            line,
            format!(
                "{what}: text {} does not match the text at {}..{} ({}); placed by its text",
                crate::check::excerpt(quote),
                range.start,
                range.end,
                crate::check::excerpt(found)
            ),
        ),
        None => w.problem(
            ProblemKind::OutOfRange,
            line,
            format!(
                "{what}: offsets {}..{} are outside the text ({len} characters); placed by its text {}",
                range.start,
                range.end,
                crate::check::excerpt(quote)
            ),
        ),
    }
    Some((range, Some(quote.to_owned())))
}

/// How names are carried across: the mapping, the schema the default
/// mapping compares against, and the annotator of human spans whose format
/// names none.
#[derive(Clone, Copy, Debug)]
pub struct Names<'a> {
    /// Foreign names to tandai names and back.
    pub mapping: &'a Mapping,
    /// The schema in force.
    pub schema: &'a Schema,
    /// Annotator for human spans.
    pub annotator: &'a str,
}

impl Names<'_> {
    /// tandai label for a foreign one.
    pub fn label(&self, foreign: &str) -> String {
        self.mapping.import_label(foreign, self.schema)
    }

    /// tandai link kind for a foreign relation type.
    pub fn kind(&self, foreign: &str) -> String {
        self.mapping.import_kind(foreign, self.schema)
    }

    /// Foreign label for a tandai one.
    pub fn out_label<'b>(&'b self, ours: &'b str) -> &'b str {
        self.mapping.export_label(ours)
    }

    /// Foreign relation type for a tandai link kind.
    pub fn out_kind<'b>(&'b self, ours: &'b str) -> &'b str {
        self.mapping.export_kind(ours)
    }

    /// Whether a foreign label still names a tandai one, whichever way the
    /// mapping is read.
    pub fn same_label(&self, foreign: &str, ours: &str) -> bool {
        self.out_label(ours) == foreign || self.label(foreign) == ours
    }

    /// Whether a foreign relation type still names a tandai link kind.
    pub fn same_kind(&self, foreign: &str, ours: &str) -> bool {
        self.out_kind(ours) == foreign || self.kind(foreign) == ours
    }

    /// The origin of a human span, by `annotator` or else the default.
    pub fn human(&self, annotator: Option<&str>) -> Origin {
        Origin::Human {
            annotator: annotator.unwrap_or(self.annotator).to_owned(),
        }
    }
}

/// Hands out ids while importing: the input's own where it has one not
/// taken yet, fresh ones above every id it asks for otherwise (as loading
/// does with a duplicate).
pub(crate) struct Ids {
    taken: std::collections::BTreeSet<u64>,
    next: u64,
}

impl Ids {
    /// A pool for an input that wants `wanted`.
    pub(crate) fn new(wanted: impl IntoIterator<Item = u64>) -> Self {
        let max = wanted.into_iter().max().unwrap_or(0);
        Ids {
            taken: std::collections::BTreeSet::new(),
            next: max.saturating_add(1),
        }
    }

    /// `wanted` if it is free, else a fresh id.
    pub(crate) fn take(&mut self, wanted: Option<u64>) -> u64 {
        if let Some(id) = wanted
            && self.taken.insert(id)
        {
            return id;
        }
        // Wrapping round to 1 past `u64::MAX`: a set cannot hold every id,
        // so this ends (saturating here looped for ever on `u64::MAX`).
        while !self.taken.insert(self.next) {
            self.next = self.next.checked_add(1).unwrap_or(1);
        }
        self.next
    }
}

/// A span as an importer found it, ready for placement.
pub(crate) fn raw_span(
    id: u64,
    label: String,
    range: Range<usize>,
    quote: Option<String>,
    origin: Origin,
) -> RawSpan {
    RawSpan {
        id,
        label,
        start: range.start,
        end: range.end,
        text: quote,
        origin,
        ..RawSpan::default()
    }
}

/// A link as an importer found it.
pub(crate) fn raw_link(id: u64, kind: String, from: u64, to: u64) -> RawLink {
    RawLink { id, kind, from, to }
}

/// One document read from another tool's files, before placement.
#[derive(Clone, Debug)]
pub struct ImportedDoc {
    /// Where the article goes, relative to the output folder (`NAME.txt`).
    pub rel: PathBuf,
    /// The article.
    pub article: Article,
    /// The file the article was read from; `None` when its text came
    /// inside the input (doccano, Label Studio), so it must be written.
    pub source: Option<PathBuf>,
    /// Spans, offsets checked; each quote is the one placement goes by.
    pub spans: Vec<RawSpan>,
    /// Links.
    pub links: Vec<RawLink>,
    /// Who the sources are, for the formats that carry entities.
    pub entities: Vec<RawEntity>,
}

impl ImportedDoc {
    /// A document whose text came inside the input (doccano, Label
    /// Studio), named after `given` or else `fallback` (see [`doc_name`]);
    /// `read` finds its spans and links in that text.
    pub(crate) fn inline(
        given: Option<&str>,
        fallback: &str,
        text: &str,
        read: impl FnOnce(&Article) -> (Vec<RawSpan>, Vec<RawLink>),
    ) -> Self {
        let rel = doc_name(given, fallback);
        let article = Article::from_text(rel.clone(), text.to_owned());
        let (spans, links) = read(&article);
        ImportedDoc {
            rel,
            article,
            source: None,
            spans,
            links,
            entities: Vec::new(),
        }
    }
}

/// The spans' extras that formats without a place for them count as not
/// carried: notes, attributes, machine origins, annotators.
pub(crate) const SPAN_EXTRAS: [Loss; 4] = [
    Loss::NotesNotCarried,
    Loss::AttributesNotCarried,
    Loss::OriginsNotCarried,
    Loss::AnnotatorsNotCarried,
];

/// An article a record names (W3C `source`, JSONL `doc`), found on disk.
#[derive(Clone, Debug)]
pub struct Located {
    /// Where it goes, relative to the output folder.
    pub rel: PathBuf,
    /// The article.
    pub article: Article,
    /// The file it was read from.
    pub source: PathBuf,
}

/// Finds the article a record names; `Err` is a message for people.
pub type Resolve<'a> = dyn FnMut(&str) -> Result<Located, String> + 'a;

/// A file name for a document whose text came inside the input: the
/// name `candidate` gives it made safe, else `fallback`, always ending in
/// `.txt`. A plain relative path (`world/2026/talks.txt`, as tandai's own
/// stream exports name documents) keeps its folders; anything else (an
/// absolute path, `..`, `\`, a hidden or empty component) is cut to its
/// last component. Nothing in the input can make it climb out of the
/// output folder or hide itself.
pub(crate) fn doc_name(candidate: Option<&str>, fallback: &str) -> PathBuf {
    let clean = |s: &str| -> String {
        let last = s.rsplit(['/', '\\']).next().unwrap_or_default();
        let name: String = last
            .chars()
            .map(|c| {
                if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        name.trim().trim_start_matches('.').trim().to_owned()
    };
    let mut name = candidate.map(clean).unwrap_or_default();
    if name.is_empty() {
        name = clean(fallback);
    }
    if name.is_empty() {
        "document".clone_into(&mut name);
    }
    if !Path::new(&name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
    {
        name.push_str(".txt");
    }
    let mut path: PathBuf = candidate.map(plain_folders).unwrap_or_default();
    path.push(name);
    path
}

/// The folders of a plain relative path (`a/b/c.txt` gives `a/b`): every
/// component a name that needs no cleaning; empty for anything else.
fn plain_folders(candidate: &str) -> PathBuf {
    let parts: Vec<&str> = candidate.split('/').collect();
    let plain = |p: &&str| {
        !p.is_empty()
            && !p.starts_with('.')
            && p.trim() == *p
            && !p.chars().any(|c| {
                c.is_control() || matches!(c, '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*')
            })
    };
    if parts.len() < 2 || !parts.iter().all(plain) {
        return PathBuf::new();
    }
    parts[..parts.len() - 1].iter().collect()
}

/// One document to export: its article text and annotations.
#[derive(Clone, Copy, Debug)]
pub struct ExportDoc<'a> {
    /// The article's name as the output names it (`NAME.txt`, or for a
    /// stream format its path relative to the folder exported).
    pub name: &'a str,
    /// The article text.
    pub text: &'a Text,
    /// Its annotations, placed.
    pub ann: &'a Annotations,
}

impl<'a> ExportDoc<'a> {
    /// Spans with a place in the article, in document order: orphans are
    /// left out, and rejected machine spans unless `keep_rejected`; each
    /// left out span is counted, and so is each open dispute (its spans
    /// are not live).
    pub(crate) fn spans(&self, keep_rejected: bool, w: &mut Warnings) -> Vec<&'a Span> {
        w.add(Loss::DisputesNotExported, self.ann.open_dispute_count());
        let mut out = Vec::with_capacity(self.ann.span_count());
        for s in self.ann.spans() {
            if s.orphan {
                w.count(Loss::OrphansSkipped);
            } else if s.is_rejected() && !keep_rejected {
                w.count(Loss::RejectedSkipped);
            } else {
                out.push(s);
            }
        }
        out
    }

    /// Links whose two ends are among `kept`; the others are counted.
    pub(crate) fn links(&self, kept: &[&Span], w: &mut Warnings) -> Vec<&'a Link> {
        let ids: std::collections::BTreeSet<SpanId> = kept.iter().map(|s| s.id).collect();
        let mut out = Vec::with_capacity(self.ann.link_count());
        for l in self.ann.links() {
            if ids.contains(&l.from) && ids.contains(&l.to) {
                out.push(l);
            } else {
                w.count(Loss::LinksOfSkippedSpans);
            }
        }
        out
    }
}

/// Counts, for each of `losses` (notes, attributes, origins, annotators),
/// the spans that have what the format cannot hold.
pub(crate) fn count_not_carried(spans: &[&Span], losses: &[Loss], w: &mut Warnings) {
    for &loss in losses {
        let has = |s: &&&Span| match loss {
            Loss::NotesNotCarried => s.note.is_some(),
            Loss::AttributesNotCarried => !s.attributes.is_empty(),
            Loss::OriginsNotCarried => s.origin.is_machine(),
            Loss::AnnotatorsNotCarried => {
                matches!(&s.origin, Origin::Human { annotator } if !annotator.is_empty())
            }
            _ => false,
        };
        w.add(loss, spans.iter().filter(has).count());
    }
}

/// Replaces white space in a name with `_` for formats whose names cannot
/// hold it, counting the change.
pub(crate) fn no_space(name: &str, w: &mut Warnings) -> String {
    if name.is_empty() {
        w.count(Loss::NamesChanged);
        return "_".to_owned();
    }
    if name.chars().any(char::is_whitespace) {
        w.count(Loss::NamesChanged);
        name.chars()
            .map(|c| if c.is_whitespace() { '_' } else { c })
            .collect()
    } else {
        name.to_owned()
    }
}

/// Attribute keys that hold another tool's data (`brat:lines`, ...):
/// carried by the lossless formats, never written as that tool's own
/// attributes.
pub(crate) fn is_tool_key(key: &str) -> bool {
    key.contains(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_past_the_largest_wrap_round_instead_of_looping() {
        // Found by review while fuzzing: an input asking for id u64::MAX
        // twice made `take` loop for ever (saturating add).
        let mut ids = Ids::new([u64::MAX, 5]);
        assert_eq!(ids.take(Some(u64::MAX)), u64::MAX);
        assert_eq!(ids.take(Some(u64::MAX)), 1);
        assert_eq!(ids.take(None), 2);
        assert_eq!(ids.take(Some(5)), 5);
        assert_eq!(ids.take(Some(2)), 3);
    }

    #[test]
    fn locate_accepts_matches_converts_utf16_and_reports_the_rest() {
        let t = Text::new("👍🏽 Gedung Putih".to_owned());
        let mut w = Warnings::default();
        // Code points: the emoji is two.
        assert_eq!(
            locate(&t, 3..9, Some("Gedung"), &mut w, Some(1), "T1"),
            Some((3..9, Some("Gedung".to_owned())))
        );
        assert!(w.problems.is_empty());
        // UTF-16: the emoji is four units.
        assert_eq!(
            locate(&t, 5..11, Some("Gedung"), &mut w, Some(2), "T2"),
            Some((3..9, Some("Gedung".to_owned())))
        );
        assert_eq!(w.problems[0].kind, ProblemKind::Utf16Offsets);
        // Neither: kept with its quote, reported.
        assert_eq!(
            locate(&t, 0..2, Some("Putih"), &mut w, Some(3), "T3"),
            Some((0..2, Some("Putih".to_owned())))
        );
        assert_eq!(w.problems[1].kind, ProblemKind::TextMismatch);
        assert_eq!(w.problems[1].line, Some(3));
        // No quote and out of range: left out.
        assert_eq!(locate(&t, 0..99, None, &mut w, None, "x"), None);
        assert_eq!(w.problems[2].kind, ProblemKind::OutOfRange);
    }

    #[test]
    fn document_names_cannot_climb_out_or_hide() {
        assert_eq!(
            doc_name(Some("../../etc/passwd"), "x"),
            Path::new("passwd.txt")
        );
        assert_eq!(doc_name(Some("..\\a\\b.txt"), "x"), Path::new("b.txt"));
        assert_eq!(doc_name(Some(".hidden"), "x"), Path::new("hidden.txt"));
        assert_eq!(doc_name(Some(".."), "news-3"), Path::new("news-3.txt"));
        assert_eq!(doc_name(None, "a:b\u{0}"), Path::new("a_b_.txt"));
        assert_eq!(doc_name(Some("  "), ""), Path::new("document.txt"));
        assert_eq!(doc_name(Some("/abs/a.txt"), "x"), Path::new("a.txt"));
        assert_eq!(doc_name(Some("a/../b.txt"), "x"), Path::new("b.txt"));
        assert_eq!(doc_name(Some("a/.git/b"), "x"), Path::new("b.txt"));
        assert_eq!(doc_name(Some("a//b.txt"), "x"), Path::new("b.txt"));
    }

    #[test]
    fn plain_relative_names_keep_their_folders() {
        assert_eq!(
            doc_name(Some("dunia/2026/rapat.txt"), "x"),
            Path::new("dunia/2026/rapat.txt")
        );
        assert_eq!(
            doc_name(Some("dunia/rapat"), "x"),
            Path::new("dunia/rapat.txt")
        );
    }

    #[test]
    fn names_lose_white_space_and_say_so() {
        let mut w = Warnings::default();
        assert_eq!(no_space("said by", &mut w), "said_by");
        assert_eq!(no_space("claim", &mut w), "claim");
        assert_eq!(w.counts[&Loss::NamesChanged], 1);
    }
}
