//! Ids that two branches gave independently: a span, link, entity or
//! dispute id that theirs added (base does not know it) and ours also
//! uses gets a fresh id on their side, and everything on their side that
//! points to it (links, spans naming an entity, disputes) follows.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    Alternative, Annotations, Dispute, DisputeId, Entity, EntityId, Link, LinkId, Span, SpanId,
};

/// Every span id a set uses: its spans, its links' ends, and the same
/// inside its disputes.
fn span_ids(ann: &Annotations) -> BTreeSet<SpanId> {
    let mut out: BTreeSet<SpanId> = ann.ids().collect();
    out.extend(ann.links().flat_map(|l| [l.from, l.to]));
    for a in ann.disputes().flat_map(|d| &d.alternatives) {
        out.extend(a.spans.iter().map(|s| s.id));
        out.extend(a.links.iter().flat_map(|l| [l.from, l.to]));
    }
    out
}

fn link_ids(ann: &Annotations) -> BTreeSet<LinkId> {
    let mut out: BTreeSet<LinkId> = ann.links().map(|l| l.id).collect();
    out.extend(
        ann.disputes()
            .flat_map(|d| &d.alternatives)
            .flat_map(|a| a.links.iter().map(|l| l.id)),
    );
    out
}

fn entity_ids(ann: &Annotations) -> BTreeSet<EntityId> {
    let mut out: BTreeSet<EntityId> = ann.entities().map(|e| e.id).collect();
    out.extend(ann.spans().filter_map(|s| s.entity));
    for a in ann.disputes().flat_map(|d| &d.alternatives) {
        out.extend(a.entities.iter().map(|e| e.id));
        out.extend(a.spans.iter().filter_map(|s| s.entity));
    }
    out
}

/// New ids for the ids of `theirs` that `base` does not know and `ours`
/// uses (`same` keeps one: both sides added the same thing under it),
/// numbered from `next`.
fn collisions<T: Ord + Copy>(
    base: &BTreeSet<T>,
    ours: &BTreeSet<T>,
    theirs: &BTreeSet<T>,
    mut next: u64,
    make: impl Fn(u64) -> T,
    same: impl Fn(T) -> bool,
) -> BTreeMap<T, T> {
    let mut map = BTreeMap::new();
    for &id in theirs {
        if !base.contains(&id) && ours.contains(&id) && !same(id) {
            map.insert(id, make(next));
            next = next.saturating_add(1);
        }
    }
    map
}

/// The id maps for `theirs`.
#[derive(Clone, Debug, Default)]
pub(super) struct Renumbering {
    pub spans: BTreeMap<SpanId, SpanId>,
    pub links: BTreeMap<LinkId, LinkId>,
    pub entities: BTreeMap<EntityId, EntityId>,
    pub disputes: BTreeMap<DisputeId, DisputeId>,
}

impl Renumbering {
    /// How many ids changed.
    pub fn len(&self) -> usize {
        self.spans.len() + self.links.len() + self.entities.len() + self.disputes.len()
    }

    pub fn span(&self, id: SpanId) -> SpanId {
        self.spans.get(&id).copied().unwrap_or(id)
    }
}

/// Which of their ids collide with ours, and their new ids (above every id
/// any of the three uses).
pub(super) fn plan(base: &Annotations, ours: &Annotations, theirs: &Annotations) -> Renumbering {
    let top = |f: fn(&Annotations) -> u64| f(base).max(f(ours)).max(f(theirs));
    let disputes =
        |a: &Annotations| -> BTreeSet<DisputeId> { a.disputes().map(|d| d.id).collect() };
    Renumbering {
        spans: collisions(
            &span_ids(base),
            &span_ids(ours),
            &span_ids(theirs),
            top(|a| a.next_span_id().0),
            SpanId,
            |_| false,
        ),
        links: collisions(
            &link_ids(base),
            &link_ids(ours),
            &link_ids(theirs),
            top(|a| a.next_link_id().0),
            LinkId,
            |_| false,
        ),
        entities: collisions(
            &entity_ids(base),
            &entity_ids(ours),
            &entity_ids(theirs),
            top(|a| a.next_entity_id().0),
            EntityId,
            |id| ours.entity(id).is_some() && ours.entity(id) == theirs.entity(id),
        ),
        disputes: collisions(
            &disputes(base),
            &disputes(ours),
            &disputes(theirs),
            top(|a| a.next_dispute_id().0),
            DisputeId,
            |_| false,
        ),
    }
}

impl Renumbering {
    fn entity(&self, id: EntityId) -> EntityId {
        self.entities.get(&id).copied().unwrap_or(id)
    }

    fn link(&self, l: &Link) -> Link {
        Link {
            id: self.links.get(&l.id).copied().unwrap_or(l.id),
            kind: l.kind.clone(),
            from: self.span(l.from),
            to: self.span(l.to),
        }
    }

    fn span_of(&self, s: &Span) -> Span {
        let mut s = s.clone();
        s.id = self.span(s.id);
        s.entity = s.entity.map(|e| self.entity(e));
        s
    }

    fn entity_of(&self, e: &Entity) -> Entity {
        Entity {
            id: self.entity(e.id),
            ..e.clone()
        }
    }

    /// `ann` with these ids.
    pub fn apply(&self, ann: &Annotations) -> Annotations {
        let mut out = Annotations::new(ann.document.clone());
        out.done = ann.done;
        for e in ann.entities() {
            let _ = out.insert_entity(self.entity_of(e));
        }
        for s in ann.spans() {
            let _ = out.insert_span(self.span_of(s));
        }
        for l in ann.links() {
            let _ = out.insert_link_unchecked(self.link(l));
        }
        for d in ann.disputes() {
            let _ = out.insert_dispute(Dispute {
                id: self.disputes.get(&d.id).copied().unwrap_or(d.id),
                alternatives: (d.alternatives.iter())
                    .map(|a| Alternative {
                        by: a.by.clone(),
                        spans: a.spans.iter().map(|s| self.span_of(s)).collect(),
                        links: a.links.iter().map(|l| self.link(l)).collect(),
                        entities: a.entities.iter().map(|e| self.entity_of(e)).collect(),
                    })
                    .collect(),
                settled: d.settled.clone(),
            });
        }
        out
    }
}
