//! Reading [`Annotations`]: spans and links by id, in document order, near
//! a range, and the counts kept beside them. Nothing here changes the set;
//! the changes and the indexes they keep in step are in the parent module.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::{Annotations, DocState, Link, LinkId, Span, SpanId, Status};

impl Annotations {
    /// Number of spans (orphans included).
    pub fn span_count(&self) -> usize {
        self.spans.len()
    }

    /// Number of links.
    pub fn link_count(&self) -> usize {
        self.links.len()
    }

    /// A span by id.
    pub fn span(&self, id: SpanId) -> Option<&Span> {
        self.spans.get(&id).map(|s| &**s)
    }

    /// A link by id.
    pub fn link(&self, id: LinkId) -> Option<&Link> {
        self.links.get(&id)
    }

    /// Spans in document order: by (start, end, id).
    pub fn spans(&self) -> impl DoubleEndedIterator<Item = &Span> + '_ {
        self.order.iter().filter_map(|(_, _, id)| self.span(*id))
    }

    /// Spans after `key` in document order, nearest first.
    pub fn spans_after(&self, key: (usize, usize, SpanId)) -> impl Iterator<Item = &Span> + '_ {
        use std::ops::Bound::{Excluded, Unbounded};
        self.order
            .range((Excluded(key), Unbounded))
            .filter_map(|(_, _, id)| self.span(*id))
    }

    /// Spans before `key` in document order, nearest first.
    pub fn spans_before(&self, key: (usize, usize, SpanId)) -> impl Iterator<Item = &Span> + '_ {
        self.order
            .range(..key)
            .rev()
            .filter_map(|(_, _, id)| self.span(*id))
    }

    /// Links by id.
    pub fn links(&self) -> impl DoubleEndedIterator<Item = &Link> + '_ {
        self.links.values()
    }

    /// Links that start or end at a span, by id.
    pub fn links_of(&self, id: SpanId) -> impl Iterator<Item = &Link> + '_ {
        self.by_span
            .range((id, LinkId(0))..=(id, LinkId(u64::MAX)))
            .filter_map(|(_, l)| self.links.get(l))
    }

    /// Spans that start before `range.end` and end after `range.start`,
    /// in document order. Only spans starting within the longest span's
    /// length before `range.start` are looked at, so the cost depends on
    /// what is near the range, not on the article's length.
    pub fn spans_overlapping(&self, range: Range<usize>) -> impl Iterator<Item = &Span> + '_ {
        let longest = self.lengths.keys().next_back().copied().unwrap_or(0);
        let from = range.start.saturating_sub(longest);
        let to = range.end.max(from);
        self.order
            .range((from, 0, SpanId(0))..(to, 0, SpanId(0)))
            .filter(move |(_, end, _)| *end > range.start)
            .filter_map(|(_, _, id)| self.span(*id))
    }

    /// The spans with exactly this range, by id: O(log n).
    pub fn spans_at(&self, range: Range<usize>) -> impl Iterator<Item = &Span> + '_ {
        self.order
            .range((range.start, range.end, SpanId(0))..=(range.start, range.end, SpanId(u64::MAX)))
            .filter_map(|(_, _, id)| self.span(*id))
    }

    /// Spans per label, rejected ones left out, by label name.
    pub fn label_counts(&self) -> &BTreeMap<String, usize> {
        &self.label_counts
    }

    /// Spans that could not be placed in the article.
    pub fn orphan_count(&self) -> usize {
        self.orphan_count
    }

    /// Span ids in document order, without looking the spans up.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = SpanId> + '_ {
        self.order.iter().map(|(_, _, id)| *id)
    }

    /// How far along the article is.
    pub fn state(&self) -> DocState {
        DocState::of(self.span_count(), self.done)
    }

    /// Machine spans still waiting for a review decision.
    pub fn pending(&self) -> usize {
        self.spans
            .values()
            .filter(|s| s.status == Some(Status::Pending))
            .count()
    }

    /// Labels used by spans, each once, sorted.
    pub fn labels_used(&self) -> BTreeSet<&str> {
        // The counted labels (kept in step by every change), and those of
        // rejected spans, which are not counted.
        let mut used: BTreeSet<&str> = self.label_counts.keys().map(String::as_str).collect();
        for s in self.spans.values().filter(|s| s.is_rejected()) {
            used.insert(&s.label);
        }
        used
    }
}
