//! The three-way merge git asks for: `ours` and `theirs` both descend from
//! `base`. Spans, links, entities and disputes are matched by id (after
//! their colliding additions are renumbered, [`super::renumber`]); a span
//! is merged field by field ([`super::fields::three_way`]). A change on
//! one side is taken, the same change on both once, different changes to
//! one thing become a dispute between the two versions.
//!
//! Spans both sides added are compared as annotators' spans are: the same
//! label and range once, overlapping different ones a dispute, and a span
//! only one side added, where the other added nothing near it, taken (the
//! other branch did not touch that place).

use std::collections::{BTreeMap, BTreeSet};

use super::cluster::clusters;
use super::fields::{self, Merged as FieldMerge};
use super::renumber;
use crate::model::{Alternative, Annotations, Entity, Link, Span, SpanId};

/// The merged set, and what the merge did.
#[derive(Clone, Debug)]
pub struct ThreeWay {
    /// The merged annotations (ours' document).
    pub annotations: Annotations,
    /// Disputes this merge made (the file may hold older ones too).
    pub disputes: usize,
    /// Ids on their side that collided with ours and were renumbered.
    pub renumbered: usize,
    /// The names the disputes give the two sides.
    pub names: (String, String),
}

/// The merge under way.
struct Build<'a> {
    base: &'a Annotations,
    ours: &'a Annotations,
    theirs: Annotations,
    names: (String, String),
    out: Annotations,
    /// New disputes: their alternatives (ours first, theirs second).
    disputes: Vec<[Alternative; 2]>,
    /// Spans held in a new dispute (not live): which dispute.
    held: BTreeMap<SpanId, usize>,
    /// Their added spans that are one with ours: their id to ours.
    same: BTreeMap<SpanId, SpanId>,
}

/// Merges `ours` and `theirs`, both made from `base` (an empty set when
/// there is no common ancestor).
pub fn three_way(base: &Annotations, ours: &Annotations, theirs: &Annotations) -> ThreeWay {
    let renumbering = renumber::plan(base, ours, theirs);
    let theirs = renumbering.apply(theirs);
    let names = side_names(base, ours, &theirs);
    let mut b = Build {
        base,
        ours,
        out: Annotations::new(ours.document.clone()),
        theirs,
        names,
        disputes: Vec::new(),
        held: BTreeMap::new(),
        same: BTreeMap::new(),
    };
    b.out.done = if ours.done == base.done {
        b.theirs.done
    } else {
        ours.done
    };
    b.entities();
    b.spans();
    b.links();
    b.old_disputes();
    let made = b.disputes.len();
    b.new_disputes();
    ThreeWay {
        annotations: b.out,
        disputes: made,
        renumbered: renumbering.len(),
        names: b.names,
    }
}

/// The name of who made a side's changes: the one name the spans it added
/// carry (annotator, or reviewer of a machine span) and the reviewers of
/// the review decisions it made, else "ours" / "theirs"; told apart if
/// both are the same person. (A span a side otherwise changed still names
/// whoever made it, not who changed it.)
fn side_names(base: &Annotations, ours: &Annotations, theirs: &Annotations) -> (String, String) {
    let name = |side: &Annotations, fallback: &str| {
        let mut found: BTreeSet<&str> = BTreeSet::new();
        for s in side.spans() {
            let n = match (base.span(s.id), &s.origin) {
                (None, crate::model::Origin::Human { annotator }) => annotator.as_str(),
                (None, crate::model::Origin::Machine { .. }) => s.reviewer.as_deref().unwrap_or(""),
                (Some(b), _) if b.reviewer != s.reviewer => s.reviewer.as_deref().unwrap_or(""),
                (Some(_), _) => "",
            };
            if !n.is_empty() {
                found.insert(n);
            }
        }
        match (found.len(), found.first()) {
            (1, Some(n)) => (*n).to_owned(),
            _ => fallback.to_owned(),
        }
    };
    let (o, t) = (name(ours, "ours"), name(theirs, "theirs"));
    if o == t {
        (format!("{o} (ours)"), format!("{t} (theirs)"))
    } else {
        (o, t)
    }
}

/// A value both sides may have changed: the change, if one side made it
/// or both made the same; `None` if they made different ones.
pub(super) fn merge3<T: PartialEq + Clone>(base: &T, ours: &T, theirs: &T) -> Option<T> {
    if ours == base || ours == theirs {
        Some(theirs.clone())
    } else if theirs == base {
        Some(ours.clone())
    } else {
        None
    }
}

/// Span ids at an end of a link `side` added or changed.
fn link_touched(base: &Annotations, side: &Annotations) -> BTreeSet<SpanId> {
    side.links()
        .filter(|l| base.link(l.id) != Some(l))
        .flat_map(|l| [l.from, l.to])
        .collect()
}

impl Build<'_> {
    fn alternative(&self, side: usize) -> Alternative {
        Alternative {
            by: vec![
                if side == 0 {
                    &self.names.0
                } else {
                    &self.names.1
                }
                .clone(),
            ],
            ..Alternative::default()
        }
    }

    /// A new dispute between ours' and theirs' proposals; their spans are
    /// held in it (the versions of a live span are not: it stays live).
    fn dispute(&mut self, ours: (Vec<Span>, Vec<Link>), theirs: (Vec<Span>, Vec<Link>)) {
        let k = self.disputes.len();
        let mut alts = [self.alternative(0), self.alternative(1)];
        for (a, (spans, links)) in alts.iter_mut().zip([ours, theirs]) {
            for s in &spans {
                if self.out.span(s.id).is_none() {
                    self.held.insert(s.id, k);
                }
            }
            a.spans = spans;
            a.links = links;
        }
        self.disputes.push(alts);
    }

    /// Entities by id: name and role merged like a span's fields; one
    /// deleted on one side stays if the other side's spans name it.
    fn entities(&mut self) {
        let ids: BTreeSet<_> = (self.base.entities())
            .chain(self.ours.entities())
            .chain(self.theirs.entities())
            .map(|e| e.id)
            .collect();
        // Named by a span the side added or changed (a span it left as in
        // the base goes the way the other side took it).
        let base = self.base;
        let named = |side: &Annotations, e| {
            side.spans_of_entity(e).any(|s| base.span(s.id) != Some(s)) || side.holds_entity(e)
        };
        for id in ids {
            let t = self.theirs.entity(id).cloned();
            let (b, o, t) = (self.base.entity(id), self.ours.entity(id), t.as_ref());
            let keep: Option<Entity> = match (b, o, t) {
                (Some(b), Some(o), Some(t)) => Some(self.entity_versions(b, o, t)),
                (Some(b), None, Some(t)) => (t != b || named(&self.theirs, id)).then(|| t.clone()),
                (Some(b), Some(o), None) => (o != b || named(self.ours, id)).then(|| o.clone()),
                (_, Some(o), _) => Some(o.clone()),
                (_, None, Some(t)) => Some(t.clone()),
                _ => None,
            };
            if let Some(e) = keep {
                let _ = self.out.insert_entity(e);
            }
        }
    }

    /// One entity changed on both sides: name and role each merged; if one
    /// conflicts, the base's version stays with a dispute between theirs.
    fn entity_versions(&mut self, b: &Entity, o: &Entity, t: &Entity) -> Entity {
        if let (Some(name), Some(role)) = (
            merge3(&b.name, &o.name, &t.name),
            merge3(&b.role, &o.role, &t.role),
        ) {
            return Entity {
                id: b.id,
                name,
                role,
            };
        }
        let mut alts = [self.alternative(0), self.alternative(1)];
        alts[0].entities.push(o.clone());
        alts[1].entities.push(t.clone());
        self.disputes.push(alts);
        b.clone()
    }

    /// Spans by id, then the spans each side added.
    fn spans(&mut self) {
        let touched = [
            link_touched(self.base, self.ours),
            link_touched(self.base, &self.theirs),
        ];
        let ids: BTreeSet<SpanId> = (self.base.ids())
            .chain(self.ours.ids())
            .chain(self.theirs.ids())
            .collect();
        let mut added: [Vec<Span>; 2] = [Vec::new(), Vec::new()];
        for id in ids {
            let (o, t) = (self.ours.span(id).cloned(), self.theirs.span(id).cloned());
            let Some(b) = self.base.span(id) else {
                added[0].extend(o);
                added[1].extend(t);
                continue;
            };
            match (o, t) {
                (Some(o), Some(t)) => match fields::three_way(b, &o, &t) {
                    FieldMerge::Clean(s) => {
                        let _ = self.out.insert_span(s);
                    }
                    FieldMerge::Conflict {
                        neither,
                        mut versions,
                    } => {
                        let _ = self.out.insert_span(neither);
                        let t = versions.pop().unwrap_or_default();
                        let o = versions.pop().unwrap_or_default();
                        self.dispute((vec![o], Vec::new()), (vec![t], Vec::new()));
                    }
                },
                (None, Some(t)) if t != *b || touched[1].contains(&id) => {
                    self.dispute((Vec::new(), Vec::new()), (vec![t], Vec::new()));
                }
                (Some(o), None) if o != *b || touched[0].contains(&id) => {
                    self.dispute((vec![o], Vec::new()), (Vec::new(), Vec::new()));
                }
                _ => {}
            }
        }
        self.additions(added);
    }

    /// Spans both sides added: the same label and range once (their
    /// fields merged as annotators' are), overlapping different ones a
    /// dispute, the rest taken.
    fn additions(&mut self, [ours, theirs]: [Vec<Span>; 2]) {
        let key = |s: &Span| (s.start, s.end, s.label.clone());
        let mut theirs_by_key: BTreeMap<(usize, usize, String), Vec<Span>> = BTreeMap::new();
        for t in theirs {
            theirs_by_key.entry(key(&t)).or_default().push(t);
        }
        let mut rest: Vec<(usize, Span)> = Vec::new();
        for o in ours {
            let Some(t) = theirs_by_key
                .get_mut(&key(&o))
                .and_then(|v| (!v.is_empty()).then(|| v.remove(0)))
            else {
                rest.push((0, o));
                continue;
            };
            self.same.insert(t.id, o.id);
            match fields::independent(&[&o, &t], 0, true) {
                FieldMerge::Clean(s) => {
                    let _ = self.out.insert_span(s);
                }
                FieldMerge::Conflict {
                    neither,
                    mut versions,
                } => {
                    let _ = self.out.insert_span(neither);
                    let mut t = versions.pop().unwrap_or_default();
                    t.id = o.id;
                    let o = versions.pop().unwrap_or_default();
                    self.dispute((vec![o], Vec::new()), (vec![t], Vec::new()));
                }
            }
        }
        rest.extend(theirs_by_key.into_values().flatten().map(|t| (1, t)));
        let spans: Vec<&Span> = rest.iter().map(|(_, s)| s).collect();
        for group in clusters(&spans) {
            let mut sides: [Vec<Span>; 2] = [Vec::new(), Vec::new()];
            for k in group {
                sides[rest[k].0].push(rest[k].1.clone());
            }
            if sides[0].is_empty() || sides[1].is_empty() {
                for s in sides.into_iter().flatten() {
                    let _ = self.out.insert_span(s);
                }
            } else {
                let [o, t] = sides;
                self.dispute((o, Vec::new()), (t, Vec::new()));
            }
        }
    }
}

mod links;
