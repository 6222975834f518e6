//! Who said what: the attribution table of annotated articles.
//!
//! One [`Row`] per `said_by` link (a claim or a denial and its source), and
//! one with no source for each claim or denial that has none
//! ("unattributed"), so the table shows what is unsourced as well. Each row
//! carries the source's entity (who the source is, across spans and
//! articles: "Kirby" and "dia" are John Kirby), what a denial denies, the
//! cue word between source and content if a `cue` span lies there, and the
//! content's origin and review status. Offsets are code points, as
//! everywhere in tandai.
//!
//! What is left out: orphan spans (not placed in the current article: their
//! offsets mean nothing) and rejected machine spans (the review's audit
//! trail). A claim whose only source is left out is unattributed. Both are
//! counted in [`Skipped`].
//!
//! [`read_files`] gathers the rows of many annotation files, each article
//! named relative to the folder it was found in; [`group`] aggregates rows per entity (`tandai attributions
//! --by-entity`, and the app's "Who said what" panel); [`output`] writes
//! the table as CSV, JSON Lines or Markdown; [`suggest`] proposes the
//! entity a source span names from its words, and [`known_entities`] lists
//! those of a folder's other articles.
//!
//! ```
//! use tandai::attrib;
//! # let ann = tandai::model::Annotations::default();
//! let mut skipped = attrib::Skipped::default();
//! let rows = attrib::rows("berita.txt", &ann, &mut skipped);
//! let csv = attrib::output::csv(&rows);
//! assert!(csv.starts_with("doc,kind,source,"));
//! ```

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::{Annotations, Link, LinkId, Origin, Span, SpanId, Status};

pub use files::{Input, Table, doc_name, read_files};
pub use known::{KnownEntity, known_entities};

mod files;
pub mod group;
mod known;
pub mod output;
pub mod suggest;
#[cfg(test)]
mod tests;

/// The link kind from a claim or denial to its source.
pub const SAID_BY: &str = "said_by";
/// The link kind from a denial to the claim it denies.
pub const DENIES: &str = "denies";
/// Labels that get a row even without a source.
pub const CONTENT_LABELS: [&str; 2] = ["claim", "denial"];
/// The label of cue words ("said", "kata", "membantah").
pub const CUE: &str = "cue";

/// A span as the table shows it: its text and code-point offsets, and its
/// id in the annotation file (to show it in the app).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Piece {
    /// The quoted text.
    pub text: String,
    /// First code point, inclusive.
    pub start: usize,
    /// Last code point, exclusive.
    pub end: usize,
    /// The span's id in its file.
    pub id: SpanId,
}

impl Piece {
    fn of(s: &Span) -> Piece {
        Piece {
            text: s.text.clone(),
            start: s.start,
            end: s.end,
            id: s.id,
        }
    }
}

/// Who a source is, as its file names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityName {
    /// The canonical name.
    pub name: String,
    /// The role, if given.
    pub role: Option<String>,
}

/// The source of a row: the span and, if the annotator said, its entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The source span.
    #[serde(flatten)]
    pub span: Piece,
    /// Who it is.
    pub entity: Option<EntityName>,
}

/// One row of the table: a claim or denial and one of its sources.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The article, as the caller names it (a path relative to the folder
    /// walked).
    pub doc: String,
    /// The content's label: `claim` or `denial` (or a project's own label
    /// that has `said_by` links).
    pub kind: String,
    /// The source; `None` for an unattributed claim or denial.
    pub source: Option<Source>,
    /// The cue word between source and content, if a `cue` span lies there.
    pub cue: Option<Piece>,
    /// The claim or denial.
    pub content: Piece,
    /// What a denial denies, in document order (empty for a claim).
    pub denies: Vec<Piece>,
    /// `human` or `machine`: who made the content span.
    pub origin: &'static str,
    /// The annotator of a human span.
    pub annotator: Option<String>,
    /// The model of a machine span.
    pub model: Option<String>,
    /// The model's score.
    pub score: Option<f64>,
    /// The content span's review status (machine spans).
    pub status: Option<Status>,
    /// The `said_by` link's id; `None` when unattributed.
    pub link: Option<LinkId>,
}

impl Row {
    /// Whether the row has no source.
    pub fn is_unattributed(&self) -> bool {
        self.source.is_none()
    }
}

/// What the table left out, counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    /// Orphan spans (not placed in the article).
    pub orphans: usize,
    /// Rejected machine spans.
    pub rejected: usize,
    /// `said_by` links with an end that is missing, an orphan or rejected.
    pub links: usize,
}

/// Whether a span takes part in the table.
fn live(s: &Span) -> bool {
    !s.orphan && !s.is_rejected()
}

/// The rows of one article named `doc`, in document order of the content
/// (then of the source); what is left out is added to `skipped`.
pub fn rows(doc: &str, ann: &Annotations, skipped: &mut Skipped) -> Vec<Row> {
    for s in ann.spans() {
        if s.orphan {
            skipped.orphans += 1;
        } else if s.is_rejected() {
            skipped.rejected += 1;
        }
    }
    let live_span = |id: SpanId| ann.span(id).filter(|s| live(s));
    let mut attributed: BTreeSet<SpanId> = BTreeSet::new();
    let mut out = Vec::new();
    for l in ann.links().filter(|l| l.kind == SAID_BY) {
        let (Some(content), Some(source)) = (live_span(l.from), live_span(l.to)) else {
            skipped.links += 1;
            continue;
        };
        attributed.insert(content.id);
        out.push(row(doc, ann, content, Some((source, l))));
    }
    for s in ann.spans() {
        if live(s) && CONTENT_LABELS.contains(&s.label.as_str()) && !attributed.contains(&s.id) {
            out.push(row(doc, ann, s, None));
        }
    }
    let key = |r: &Row| {
        (
            r.content.start,
            r.content.end,
            r.content.id,
            r.source
                .as_ref()
                .map(|s| (s.span.start, s.span.end, s.span.id)),
            r.link,
        )
    };
    out.sort_by_key(key);
    out
}

/// The row of `content` with `source` (and the link joining them), or
/// unattributed.
fn row(doc: &str, ann: &Annotations, content: &Span, source: Option<(&Span, &Link)>) -> Row {
    let (origin, annotator, model, score) = match &content.origin {
        Origin::Human { annotator } => (
            "human",
            Some(annotator.clone()).filter(|a| !a.is_empty()),
            None,
            None,
        ),
        Origin::Machine { model, score } => ("machine", None, Some(model.clone()), *score),
    };
    let mut denies: Vec<&Span> = ann
        .links_of(content.id)
        .filter(|l| l.kind == DENIES && l.from == content.id)
        .filter_map(|l| ann.span(l.to))
        .filter(|s| live(s))
        .collect();
    denies.sort_by_key(|s| s.order_key());
    denies.dedup_by_key(|s| s.id);
    Row {
        doc: doc.to_owned(),
        kind: content.label.clone(),
        source: source.map(|(s, _)| Source {
            span: Piece::of(s),
            entity: ann.entity_of(s.id).map(|e| EntityName {
                name: e.name.clone(),
                role: e.role.clone(),
            }),
        }),
        cue: source.and_then(|(s, _)| cue_between(ann, s, content)),
        content: Piece::of(content),
        denies: denies.into_iter().map(Piece::of).collect(),
        origin,
        annotator,
        model,
        score,
        status: content.status,
        link: source.map(|(_, l)| l.id),
    }
}

/// The cue word of a row: the `cue` span lying wholly between `source`
/// and `content`, nearest the source ("Kirby *said* that …", "…, *kata*
/// Kirby"); else one right before the source, only white space between
/// ("*Menurut* dia, …", "*According to* Kirby, …"), outside the content.
fn cue_between(ann: &Annotations, source: &Span, content: &Span) -> Option<Piece> {
    let gap = if source.end <= content.start {
        Some((source.end..content.start, true))
    } else if content.end <= source.start {
        Some((content.end..source.start, false))
    } else {
        None
    };
    if let Some((gap, source_first)) = gap {
        let inside = ann
            .spans_overlapping(gap.clone())
            .filter(|s| s.label == CUE && live(s) && gap.start <= s.start && s.end <= gap.end);
        let nearest = if source_first {
            inside.min_by_key(|s| s.order_key())
        } else {
            inside.max_by_key(|s| (s.end, s.start, s.id))
        };
        if let Some(cue) = nearest {
            return Some(Piece::of(cue));
        }
    }
    // Right before the source: the source's context says what lies
    // between (white space only, within its 20 characters).
    let before: Vec<char> = source.before.chars().collect();
    let reach = source.start.saturating_sub(before.len());
    ann.spans_overlapping(reach..source.start)
        .filter(|s| s.label == CUE && live(s) && s.end <= source.start)
        .filter(|s| s.end <= content.start || s.start >= content.end)
        .filter(|s| {
            let gap = source.start - s.end;
            before[before.len() - gap..]
                .iter()
                .all(|c| c.is_whitespace())
        })
        .max_by_key(|s| (s.end, s.start, s.id))
        .map(Piece::of)
}
