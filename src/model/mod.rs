//! Spans, links, entities and the set of annotations on one article.
//!
//! [`Annotations`] keeps spans by id and, beside them, an ordered index by
//! position so that "spans in document order" and "spans overlapping this
//! range" need no sort. Every change from outside goes through
//! [`crate::edit::Edit`], which keeps both in step and knows its inverse.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::offsets::Text;

mod bulk;
mod disputes;
mod entities;
mod ids;
mod query;

pub use disputes::{Alternative, Dispute, DisputeId, DisputeKind};
pub use entities::{Entity, EntityId};
use ids::next_free;

/// Identifier of a span, unique within one annotation file.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct SpanId(pub u64);

/// Identifier of a link, unique within one annotation file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LinkId(pub u64);

impl fmt::Display for SpanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for LinkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Who made a span.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Origin {
    /// Tagged by a person.
    Human {
        /// The annotator's name, as set in the settings (may be empty).
        #[serde(default)]
        annotator: String,
    },
    /// Proposed by a model.
    Machine {
        /// Model name and version.
        #[serde(default)]
        model: String,
        /// The model's confidence, if it gave one.
        #[serde(default)]
        score: Option<f64>,
    },
}

impl Default for Origin {
    fn default() -> Self {
        Origin::Human {
            annotator: String::new(),
        }
    }
}

impl Origin {
    /// Whether a model made it.
    pub fn is_machine(&self) -> bool {
        matches!(self, Origin::Machine { .. })
    }
}

/// Review status of a machine span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Not reviewed yet.
    Pending,
    /// A reviewer agreed with the model.
    Accepted,
    /// A reviewer rejected it; kept as the audit trail, hidden by default.
    Rejected,
    /// A reviewer changed its label or boundaries.
    Corrected,
}

impl Status {
    /// All statuses, in file order.
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::Accepted,
        Status::Rejected,
        Status::Corrected,
    ];

    /// Name as written in files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Status::Pending => "Pending",
            Status::Accepted => "Accepted",
            Status::Rejected => "Rejected",
            Status::Corrected => "Corrected",
        }
    }
}

/// What a model proposed for a span a reviewer then corrected: kept so the
/// scorecard can tell a label fix from a boundary fix.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposed {
    /// The label the model gave.
    pub label: String,
    /// The model's start (chars).
    pub start: usize,
    /// The model's end (chars).
    pub end: usize,
}

/// How far along an article is, as the corpus sidebar and `stats` show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocState {
    /// No annotation file, or one with no spans and not marked done.
    NotStarted,
    /// Has spans, not marked done.
    InProgress,
    /// Marked done by the annotator.
    Done,
}

impl DocState {
    /// All states, in order of progress.
    pub const ALL: [DocState; 3] = [DocState::NotStarted, DocState::InProgress, DocState::Done];

    /// Name as shown and as written in JSON reports.
    pub fn name(self) -> &'static str {
        match self {
            DocState::NotStarted => "not started",
            DocState::InProgress => "in progress",
            DocState::Done => "done",
        }
    }

    /// Name for JSON (`not_started`, `in_progress`, `done`).
    pub fn key(self) -> &'static str {
        match self {
            DocState::NotStarted => "not_started",
            DocState::InProgress => "in_progress",
            DocState::Done => "done",
        }
    }

    /// The state of a file with `spans` spans and its done flag.
    pub fn of(spans: usize, done: bool) -> DocState {
        if done {
            DocState::Done
        } else if spans == 0 {
            DocState::NotStarted
        } else {
            DocState::InProgress
        }
    }
}

/// A tagged range of the article.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Span {
    /// Unique within the file.
    pub id: SpanId,
    /// Label name (normally one of the schema's; unknown ones are kept).
    pub label: String,
    /// First char (code point), inclusive.
    pub start: usize,
    /// Last char, exclusive.
    pub end: usize,
    /// The quoted text, `article[start..end]` when the span is anchored.
    pub text: String,
    /// Context just before the span, for re-anchoring.
    pub before: String,
    /// Context just after the span, for re-anchoring.
    pub after: String,
    /// Free-text note.
    pub note: Option<String>,
    /// Extra key = value attributes, kept sorted.
    pub attributes: BTreeMap<String, String>,
    /// Who made it.
    pub origin: Origin,
    /// Review status (machine spans).
    pub status: Option<Status>,
    /// Who made the last review decision on it (machine spans).
    pub reviewer: Option<String>,
    /// What the model proposed, once a reviewer corrected it.
    pub proposed: Option<Proposed>,
    /// Could not be placed in the current article text; kept, not shown.
    pub orphan: bool,
    /// The entity a source span refers to ("Kirby" and "dia" may both be
    /// John Kirby): one of the file's [`Entity`] list.
    pub entity: Option<EntityId>,
    /// The annotators who all made this span, recorded by a merge
    /// (`tandai merge`): empty for spans no merge agreed on.
    pub agreed: Vec<String>,
}

impl Span {
    /// A new human span whose quote and context come from `text`.
    /// `None` if the range does not lie inside the text.
    pub fn new_in(
        text: &Text,
        id: SpanId,
        label: &str,
        range: Range<usize>,
        origin: Origin,
    ) -> Option<Span> {
        let mut span = Span {
            id,
            label: label.to_owned(),
            origin,
            ..Span::default()
        };
        span.set_range(text, range)?;
        if span.origin.is_machine() {
            span.status = Some(Status::Pending);
        }
        Some(span)
    }

    /// Moves the span to `range`, refreshing its quote and context.
    /// `None` (and nothing changed) if the range is not inside the text.
    pub fn set_range(&mut self, text: &Text, range: Range<usize>) -> Option<()> {
        let (quote, before, after) = text.quote_with_context(range.clone())?;
        before.clone_into(&mut self.before);
        after.clone_into(&mut self.after);
        quote.clone_into(&mut self.text);
        self.start = range.start;
        self.end = range.end;
        self.orphan = false;
        Some(())
    }

    /// The char range.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The key spans are ordered by in files and lists.
    pub fn order_key(&self) -> (usize, usize, SpanId) {
        (self.start, self.end, self.id)
    }

    /// Whether the span is hidden in the article by default.
    pub fn is_rejected(&self) -> bool {
        self.status == Some(Status::Rejected)
    }
}

/// A directed link between two spans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Unique within the file.
    pub id: LinkId,
    /// Link kind name, e.g. `said_by`.
    pub kind: String,
    /// Source end (e.g. the claim).
    pub from: SpanId,
    /// Target end (e.g. the source).
    pub to: SpanId,
}

/// Document metadata as named in the annotation file.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DocumentRef {
    /// Path of the article, relative to the annotation file.
    pub path: String,
    /// SHA-256 of the article bytes the spans were made on, lowercase hex.
    pub sha256: String,
    /// Length of that article in chars.
    pub chars: usize,
}

/// All annotations of one article.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotations {
    /// Which article they belong to.
    pub document: DocumentRef,
    /// The annotator marked the article as finished.
    pub done: bool,
    /// Boxed: a span is 320 bytes, and one added or moved (an import of
    /// tens of thousands, a B-tree node split) moves as a pointer.
    spans: BTreeMap<SpanId, Box<Span>>,
    order: BTreeSet<(usize, usize, SpanId)>,
    /// How many spans have each length: the longest bounds overlap queries.
    lengths: BTreeMap<usize, usize>,
    links: BTreeMap<LinkId, Link>,
    /// (span, link) for each end of each link: the links touching a span
    /// are a range of it. One set of pairs rather than a set per span: no
    /// allocation per linked span.
    by_span: BTreeSet<(SpanId, LinkId)>,
    /// Spans per label, rejected ones left out; kept in step by every
    /// change so that counting costs nothing per edit.
    label_counts: BTreeMap<String, usize>,
    /// Spans that could not be placed in the article.
    orphan_count: usize,
    /// The file's entities (who sources are), by id.
    entities: BTreeMap<EntityId, Entity>,
    /// Spans naming each entity id, whether or not the entity exists (a
    /// file may name one it lacks).
    entity_uses: BTreeMap<EntityId, BTreeSet<SpanId>>,
    /// Points of disagreement a merge left to settle, by id.
    disputes: BTreeMap<DisputeId, Dispute>,
}

/// Why a change to [`Annotations`] could not be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
    /// Adding a span or link whose id is taken.
    #[error("id {0} is already used")]
    DuplicateId(u64),
    /// Naming a span that does not exist.
    #[error("there is no span {0}")]
    NoSuchSpan(SpanId),
    /// Naming a link that does not exist.
    #[error("there is no link {0}")]
    NoSuchLink(LinkId),
    /// Naming an entity that does not exist.
    #[error("there is no entity {0}")]
    NoSuchEntity(EntityId),
    /// Naming a dispute that does not exist.
    #[error("there is no dispute {0}")]
    NoSuchDispute(DisputeId),
    /// Settling a dispute in a way it cannot be settled.
    #[error("dispute {id}: {why}")]
    Settle {
        /// The dispute.
        id: DisputeId,
        /// Why not.
        why: String,
    },
    /// Removing an entity that spans still name.
    #[error("entity {0} is still named by spans; clear them first")]
    EntityInUse(EntityId),
    /// Removing a span that links still point to.
    #[error("span {0} still has links; remove them first")]
    SpanHasLinks(SpanId),
    /// A range outside the article.
    #[error("range {start}..{end} is outside the article ({len} chars)")]
    OutOfRange {
        /// Start asked for.
        start: usize,
        /// End asked for.
        end: usize,
        /// Article length.
        len: usize,
    },
}

impl Annotations {
    /// Empty annotations for an article.
    pub fn new(document: DocumentRef) -> Self {
        Self {
            document,
            ..Self::default()
        }
    }

    /// Keeps the per-label and orphan counts in step with a span coming
    /// (`add`) or going.
    fn count_span(
        label_counts: &mut BTreeMap<String, usize>,
        orphan_count: &mut usize,
        span: &Span,
        add: bool,
    ) {
        if span.orphan {
            if add {
                *orphan_count += 1;
            } else {
                *orphan_count = orphan_count.saturating_sub(1);
            }
        }
        if span.is_rejected() {
            return;
        }
        if add {
            // The label is cloned only the first time it is counted.
            if let Some(n) = label_counts.get_mut(&span.label) {
                *n += 1;
            } else {
                label_counts.insert(span.label.clone(), 1);
            }
        } else if let Some(n) = label_counts.get_mut(&span.label) {
            *n -= 1;
            if *n == 0 {
                label_counts.remove(&span.label);
            }
        }
    }

    fn count_length(&mut self, key: (usize, usize, SpanId), add: bool) {
        let len = key.1.saturating_sub(key.0);
        if add {
            *self.lengths.entry(len).or_default() += 1;
        } else if let Some(n) = self.lengths.get_mut(&len) {
            *n -= 1;
            if *n == 0 {
                self.lengths.remove(&len);
            }
        }
    }

    /// Whether a link (perhaps a dangling one) has `id` at an end.
    fn is_link_end(&self, id: SpanId) -> bool {
        self.by_span
            .range((id, LinkId(0))..=(id, LinkId(u64::MAX)))
            .next()
            .is_some()
    }

    fn index_link(&mut self, link: &Link, add: bool) {
        for end in [link.from, link.to] {
            if add {
                self.by_span.insert((end, link.id));
            } else {
                self.by_span.remove(&(end, link.id));
            }
        }
    }

    /// Inserts a span. Fails if its id is taken, by a span or by an end of
    /// a dangling link (read from a file): the link would silently attach
    /// to the new span, and undoing the insertion would then fail.
    pub fn insert_span(&mut self, span: Span) -> Result<(), ModelError> {
        self.insert_boxed_span(Box::new(span))
    }

    /// [`Annotations::insert_span`] for a span already boxed (as edits
    /// hold them): it goes in without being moved.
    pub fn insert_boxed_span(&mut self, span: Box<Span>) -> Result<(), ModelError> {
        if self.spans.contains_key(&span.id) || self.is_link_end(span.id) {
            return Err(ModelError::DuplicateId(span.id.0));
        }
        self.order.insert(span.order_key());
        self.count_length(span.order_key(), true);
        Self::count_span(&mut self.label_counts, &mut self.orphan_count, &span, true);
        entities::index_use(&mut self.entity_uses, span.entity, span.id, true);
        self.spans.insert(span.id, span);
        Ok(())
    }

    /// Removes a span that no link points to, returning it.
    pub fn remove_span(&mut self, id: SpanId) -> Result<Span, ModelError> {
        self.remove_boxed_span(id).map(|s| *s)
    }

    /// [`Annotations::remove_span`], the span given back boxed as the map
    /// held it (as an edit that puts it back holds it).
    pub fn remove_boxed_span(&mut self, id: SpanId) -> Result<Box<Span>, ModelError> {
        if self.links_of(id).next().is_some() {
            return Err(ModelError::SpanHasLinks(id));
        }
        let span = self.spans.remove(&id).ok_or(ModelError::NoSuchSpan(id))?;
        self.order.remove(&span.order_key());
        self.count_length(span.order_key(), false);
        Self::count_span(&mut self.label_counts, &mut self.orphan_count, &span, false);
        entities::index_use(&mut self.entity_uses, span.entity, span.id, false);
        Ok(span)
    }

    /// Replaces a span with a new version of itself (same id), returning the
    /// old one. Keeps the position index in step.
    pub fn replace_span(&mut self, span: Span) -> Result<Span, ModelError> {
        let old = self
            .spans
            .get_mut(&span.id)
            .ok_or(ModelError::NoSuchSpan(span.id))?;
        let old_key = old.order_key();
        let new_key = span.order_key();
        Self::count_span(&mut self.label_counts, &mut self.orphan_count, old, false);
        Self::count_span(&mut self.label_counts, &mut self.orphan_count, &span, true);
        if old.entity != span.entity {
            entities::index_use(&mut self.entity_uses, old.entity, span.id, false);
            entities::index_use(&mut self.entity_uses, span.entity, span.id, true);
        }
        let old = std::mem::replace(&mut **old, span);
        if old_key != new_key {
            self.order.remove(&old_key);
            self.order.insert(new_key);
            self.count_length(old_key, false);
            self.count_length(new_key, true);
        }
        Ok(old)
    }

    /// Inserts a link. Fails if its id is taken or an end does not exist.
    pub fn insert_link(&mut self, link: Link) -> Result<(), ModelError> {
        if self.links.contains_key(&link.id) {
            return Err(ModelError::DuplicateId(link.id.0));
        }
        for end in [link.from, link.to] {
            if !self.spans.contains_key(&end) {
                return Err(ModelError::NoSuchSpan(end));
            }
        }
        self.index_link(&link, true);
        self.links.insert(link.id, link);
        Ok(())
    }

    /// Inserts a link as read from a file, even if an end is missing: a
    /// dangling link is reported by the check, never silently dropped.
    pub fn insert_link_unchecked(&mut self, link: Link) -> Result<(), ModelError> {
        if self.links.contains_key(&link.id) {
            return Err(ModelError::DuplicateId(link.id.0));
        }
        self.index_link(&link, true);
        self.links.insert(link.id, link);
        Ok(())
    }

    /// Removes a link, returning it.
    pub fn remove_link(&mut self, id: LinkId) -> Result<Link, ModelError> {
        let link = self.links.remove(&id).ok_or(ModelError::NoSuchLink(id))?;
        self.index_link(&link, false);
        Ok(link)
    }
}

#[cfg(test)]
mod tests;
