//! Disputes: the points where annotators (or two git branches) disagree,
//! kept in the file until a lead settles them.
//!
//! A dispute is a list of [`Alternative`]s, each what some annotators
//! proposed (`by`): spans, the links that go with them, entities. An
//! alternative with nothing in it is "no span here". The spans of an
//! alternative are either new (their id is nowhere in the live set: A's
//! span, B's span, or nothing) or new versions of a live span (same id: the
//! note A wrote, the note B wrote); settling takes the chosen alternatives
//! into the live set, replacing the versions it has ([`crate::edit::Edit::Settle`]).
//!
//! Spans, links and entities inside disputes are "held": not part of the
//! live set (not counted, not drawn as annotations, not exported), but
//! their ids are taken, so nothing new is given one of them.

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{Annotations, Entity, EntityId, Link, LinkId, ModelError, Span, SpanId, next_free};

/// Identifier of a dispute, unique within one annotation file.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct DisputeId(pub u64);

impl fmt::Display for DisputeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One way to settle a dispute, and who proposed it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Alternative {
    /// The annotators (or branches) who proposed it.
    pub by: Vec<String>,
    /// Its spans: new ones, or new versions of live spans (same id).
    pub spans: Vec<Span>,
    /// Links that come with it (an end may be one of its spans, a live
    /// span, or a span held in another dispute).
    pub links: Vec<Link>,
    /// Entities it adds, or new versions of live ones (same id).
    pub entities: Vec<Entity>,
}

impl Alternative {
    /// Whether it proposes nothing (no span here).
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty() && self.links.is_empty() && self.entities.is_empty()
    }

    /// Whether `name` proposed it.
    pub fn proposed_by(&self, name: &str) -> bool {
        self.by.iter().any(|b| b == name)
    }
}

/// A point of disagreement.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dispute {
    /// Unique within the file.
    pub id: DisputeId,
    /// The alternatives, in the annotators' order.
    pub alternatives: Vec<Alternative>,
    /// The alternatives taken, once settled. A settled dispute stays in
    /// memory (so the session can count it and undo it) but is not written:
    /// the file holds only what is still open.
    pub settled: Option<Vec<usize>>,
}

/// What a dispute is about, as reports and the app name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeKind {
    /// Some proposed a span here, others nothing (or deleted it).
    Presence,
    /// One range, different labels.
    Label,
    /// One label, different boundaries.
    Boundary,
    /// Several spans drawn differently.
    Spans,
    /// One span, different notes.
    Note,
    /// One span, different attribute values.
    Attribute,
    /// One span, naming different entities.
    Entity,
    /// One span, different review decisions.
    Review,
    /// One span, other differences (its origin).
    Change,
    /// Links only: which links a span has.
    Link,
    /// An entity's name or role.
    EntityRecord,
}

impl DisputeKind {
    /// Snake-case name, as in JSON and messages.
    pub fn name(self) -> &'static str {
        match self {
            DisputeKind::Presence => "presence",
            DisputeKind::Label => "label",
            DisputeKind::Boundary => "boundary",
            DisputeKind::Spans => "spans",
            DisputeKind::Note => "note",
            DisputeKind::Attribute => "attribute",
            DisputeKind::Entity => "entity",
            DisputeKind::Review => "review",
            DisputeKind::Change => "change",
            DisputeKind::Link => "link",
            DisputeKind::EntityRecord => "entity_record",
        }
    }
}

impl Dispute {
    /// Whether it is still to be settled.
    pub fn is_open(&self) -> bool {
        self.settled.is_none()
    }

    /// What it is about, read from its alternatives.
    pub fn kind(&self) -> DisputeKind {
        let alts = &self.alternatives;
        if alts.iter().all(|a| a.spans.is_empty()) {
            return if alts.iter().any(|a| !a.entities.is_empty()) {
                DisputeKind::EntityRecord
            } else {
                DisputeKind::Link
            };
        }
        if alts.iter().any(|a| a.spans.is_empty()) {
            return DisputeKind::Presence;
        }
        let singles: Option<Vec<&Span>> = alts
            .iter()
            .map(|a| (a.spans.len() == 1).then(|| &a.spans[0]))
            .collect();
        let Some(singles) = singles else {
            return DisputeKind::Spans;
        };
        let first = singles[0];
        let all = |f: &dyn Fn(&Span) -> bool| singles.iter().all(|s| f(s));
        if all(&|s| s.id == first.id) {
            return version_kind(&singles);
        }
        if all(&|s| s.range() == first.range()) {
            DisputeKind::Label
        } else if all(&|s| s.label == first.label) {
            DisputeKind::Boundary
        } else {
            DisputeKind::Spans
        }
    }

    /// Where it is in the article: the union of its spans' ranges, or, for
    /// a dispute of links or entities, of the live spans they touch.
    pub fn range(&self, ann: &Annotations) -> Option<Range<usize>> {
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for a in &self.alternatives {
            ranges.extend(a.spans.iter().filter(|s| !s.orphan).map(Span::range));
        }
        if ranges.is_empty() {
            for a in &self.alternatives {
                for l in &a.links {
                    ranges.extend(
                        [l.from, l.to]
                            .iter()
                            .filter_map(|&e| ann.span(e))
                            .map(Span::range),
                    );
                }
                for e in &a.entities {
                    ranges.extend(ann.spans_of_entity(e.id).map(Span::range));
                }
            }
        }
        let start = ranges.iter().map(|r| r.start).min()?;
        let end = ranges.iter().map(|r| r.end).max()?;
        Some(start..end)
    }

    /// Whether the alternatives `take` can all be taken together: no two
    /// hold a version of one span, link or entity. Taking one alternative,
    /// or none, always can.
    pub fn can_combine(&self, take: &[usize]) -> bool {
        let mut spans = BTreeSet::new();
        let mut links = BTreeSet::new();
        let mut entities = BTreeSet::new();
        for &i in take {
            let Some(a) = self.alternatives.get(i) else {
                return false;
            };
            // Ids repeated inside one alternative do not clash with
            // themselves.
            let own: BTreeSet<SpanId> = a.spans.iter().map(|s| s.id).collect();
            let own_links: BTreeSet<LinkId> = a.links.iter().map(|l| l.id).collect();
            let own_entities: BTreeSet<EntityId> = a.entities.iter().map(|e| e.id).collect();
            if own.iter().any(|id| !spans.insert(*id))
                || own_links.iter().any(|id| !links.insert(*id))
                || own_entities.iter().any(|id| !entities.insert(*id))
            {
                return false;
            }
        }
        true
    }

    /// Each alternative's spans in document order, links and entities by
    /// id: one dispute, one way to hold it.
    fn normalise(&mut self) {
        for a in &mut self.alternatives {
            a.spans.sort_by_key(Span::order_key);
            a.links.sort_by_key(|l| l.id);
            a.entities.sort_by_key(|e| e.id);
        }
    }

    /// The alternative `name` proposed, if any.
    pub fn alternative_of(&self, name: &str) -> Option<usize> {
        self.alternatives.iter().position(|a| a.proposed_by(name))
    }
}

/// The kind of a dispute between versions of one span: the first field,
/// in this order, on which they differ.
fn version_kind(versions: &[&Span]) -> DisputeKind {
    let first = versions[0];
    let differs = |f: &dyn Fn(&Span, &Span) -> bool| versions.iter().any(|s| !f(s, first));
    if differs(&|a, b| a.label == b.label) {
        DisputeKind::Label
    } else if differs(&|a, b| a.range() == b.range() && a.orphan == b.orphan) {
        DisputeKind::Boundary
    } else if differs(&|a, b| a.entity == b.entity) {
        DisputeKind::Entity
    } else if differs(&|a, b| a.note == b.note) {
        DisputeKind::Note
    } else if differs(&|a, b| a.attributes == b.attributes) {
        DisputeKind::Attribute
    } else if differs(&|a, b| (a.status, &a.reviewer) == (b.status, &b.reviewer)) {
        DisputeKind::Review
    } else {
        DisputeKind::Change
    }
}

impl Annotations {
    /// Every dispute, settled ones included, by id.
    pub fn disputes(&self) -> impl DoubleEndedIterator<Item = &Dispute> + '_ {
        self.disputes.values()
    }

    /// The disputes still open, by id.
    pub fn open_disputes(&self) -> impl Iterator<Item = &Dispute> + '_ {
        self.disputes.values().filter(|d| d.is_open())
    }

    /// Number of open disputes.
    pub fn open_dispute_count(&self) -> usize {
        self.open_disputes().count()
    }

    /// A dispute by id.
    pub fn dispute(&self, id: DisputeId) -> Option<&Dispute> {
        self.disputes.get(&id)
    }

    /// Adds a dispute (each alternative's spans put in document order, its
    /// links and entities by id). Fails if its id is taken.
    pub fn insert_dispute(&mut self, mut dispute: Dispute) -> Result<(), ModelError> {
        if self.disputes.contains_key(&dispute.id) {
            return Err(ModelError::DuplicateId(dispute.id.0));
        }
        dispute.normalise();
        self.disputes.insert(dispute.id, dispute);
        Ok(())
    }

    /// Removes a dispute, returning it.
    pub fn remove_dispute(&mut self, id: DisputeId) -> Result<Dispute, ModelError> {
        self.disputes
            .remove(&id)
            .ok_or(ModelError::NoSuchDispute(id))
    }

    /// Replaces a dispute with another version of itself (same id),
    /// returning the old one.
    pub fn replace_dispute(&mut self, mut dispute: Dispute) -> Result<Dispute, ModelError> {
        dispute.normalise();
        let old = self
            .disputes
            .get_mut(&dispute.id)
            .ok_or(ModelError::NoSuchDispute(dispute.id))?;
        Ok(std::mem::replace(old, dispute))
    }

    /// The id for a new dispute.
    pub fn next_dispute_id(&self) -> DisputeId {
        let top = self.disputes.keys().next_back().map(|id| id.0);
        DisputeId(next_free(top, |id| {
            !self.disputes.contains_key(&DisputeId(*id))
        }))
    }

    /// The largest span id disputes hold (their spans and their links'
    /// ends), settled ones included: undoing a settlement brings them back.
    pub(super) fn held_span_top(&self) -> Option<u64> {
        self.held_alternatives()
            .flat_map(|a| {
                let spans = a.spans.iter().map(|s| s.id.0);
                let ends = a.links.iter().flat_map(|l| [l.from.0, l.to.0]);
                spans.chain(ends)
            })
            .max()
    }

    /// The largest link id disputes hold.
    pub(super) fn held_link_top(&self) -> Option<u64> {
        self.held_alternatives()
            .flat_map(|a| a.links.iter().map(|l| l.id.0))
            .max()
    }

    /// The largest entity id disputes hold or name.
    pub(super) fn held_entity_top(&self) -> Option<u64> {
        self.held_alternatives()
            .flat_map(|a| {
                let own = a.entities.iter().map(|e| e.id.0);
                own.chain(a.spans.iter().filter_map(|s| s.entity.map(|e| e.0)))
            })
            .max()
    }

    /// Whether a dispute holds span `id` (in any alternative).
    pub(super) fn holds_span(&self, id: SpanId) -> bool {
        self.held_alternatives().any(|a| {
            a.spans.iter().any(|s| s.id == id) || a.links.iter().any(|l| l.from == id || l.to == id)
        })
    }

    /// Whether a dispute holds link `id`.
    pub(super) fn holds_link(&self, id: LinkId) -> bool {
        self.held_alternatives()
            .any(|a| a.links.iter().any(|l| l.id == id))
    }

    /// Whether a dispute holds or names entity `id` (a live span naming it
    /// is not dangling: settling brings it).
    pub(crate) fn holds_entity(&self, id: EntityId) -> bool {
        self.held_alternatives().any(|a| {
            a.entities.iter().any(|e| e.id == id) || a.spans.iter().any(|s| s.entity == Some(id))
        })
    }

    fn held_alternatives(&self) -> impl Iterator<Item = &Alternative> + '_ {
        self.disputes.values().flat_map(|d| &d.alternatives)
    }

    /// Marks a dispute settled (with the alternatives taken) or open again,
    /// returning what it was. Only the mark changes: [`crate::edit::Edit::Settle`]
    /// takes the alternatives into the live set.
    pub fn set_settled(
        &mut self,
        id: DisputeId,
        settled: Option<Vec<usize>>,
    ) -> Result<Option<Vec<usize>>, ModelError> {
        let d = self
            .disputes
            .get_mut(&id)
            .ok_or(ModelError::NoSuchDispute(id))?;
        Ok(std::mem::replace(&mut d.settled, settled))
    }

    /// Whether the file holds anything only format version 3 can say:
    /// open disputes, or spans recording who agreed on them.
    pub fn uses_disputes(&self) -> bool {
        self.open_disputes().next().is_some() || self.spans.values().any(|s| !s.agreed.is_empty())
    }
}
