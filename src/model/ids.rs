//! Ids for new spans and links: above every id the file uses, live or
//! held in a dispute, so nothing new is mistaken for something old.

use super::{Annotations, LinkId, SpanId};

impl Annotations {
    /// The id for a new span: above every span, every link end (a
    /// dangling link read from a file must not get attached to a new span)
    /// and every span a dispute holds, or, if that would pass `u64::MAX`,
    /// the smallest id none uses.
    pub fn next_span_id(&self) -> SpanId {
        SpanId(next_free(self.span_id_top(), |id| {
            self.span_id_is_free(SpanId(*id))
        }))
    }

    /// The first of the span ids that nothing uses from there up to
    /// `u64::MAX` ([`Annotations::next_span_id`] unless ids ran out): new
    /// ids from it on need no look-up.
    pub fn span_ids_free_from(&self) -> Option<SpanId> {
        match self.span_id_top() {
            None => Some(SpanId(1)),
            Some(top) => top.checked_add(1).map(SpanId),
        }
    }

    /// Whether no span, link end or span held in a dispute uses `id`.
    pub fn span_id_is_free(&self, id: SpanId) -> bool {
        !self.spans.contains_key(&id) && !self.is_link_end(id) && !self.holds_span(id)
    }

    fn span_id_top(&self) -> Option<u64> {
        self.spans
            .keys()
            .next_back()
            .max(self.by_span.last().map(|(end, _)| end))
            .map(|id| id.0)
            .max(self.held_span_top())
    }

    /// The id for a new link: above every link, live or held in a dispute,
    /// or, if that would pass `u64::MAX`, the smallest free one.
    pub fn next_link_id(&self) -> LinkId {
        let top = (self.links.keys().next_back().map(|id| id.0)).max(self.held_link_top());
        LinkId(next_free(top, |id| {
            !self.links.contains_key(&LinkId(*id)) && !self.holds_link(LinkId(*id))
        }))
    }
}

/// One above `top` (1 if there is none); if `top` is `u64::MAX`, the
/// smallest id `free` accepts (a map cannot hold every u64, so one is).
pub(super) fn next_free(top: Option<u64>, free: impl Fn(&u64) -> bool) -> u64 {
    match top {
        None => 1,
        Some(top) => top
            .checked_add(1)
            .unwrap_or_else(|| (1..u64::MAX).find(free).unwrap_or(0)),
    }
}
