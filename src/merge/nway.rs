//! Merging the annotation sets several annotators made of one article:
//! what they all agree on goes in once, every other point becomes a
//! dispute (see [`super`] for the rules).

use std::collections::BTreeMap;

use super::cluster::clusters;
use super::fields::{self, Merged as FieldMerge};
use super::links;
use crate::agree::{self, Skipped};
use crate::edit::EditError;
use crate::model::{
    Alternative, Annotations, Dispute, DisputeId, DisputeKind, EntityId, Span, SpanId,
};

/// One annotator's set, and the name disputes give them.
#[derive(Clone, Copy, Debug)]
pub struct Annotator<'a> {
    /// Their name.
    pub name: &'a str,
    /// What they annotated.
    pub annotations: &'a Annotations,
}

/// How to merge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The annotator whose ids the merged file keeps, and whose version of
    /// a span's other fields (origin, review) it takes: the first one
    /// unless `prefer`.
    pub reference: usize,
    /// Settle every dispute for the reference (`--prefer`): the result is
    /// their spans and links as they made them (no notes filled in from
    /// others, no `agreed` record, their pending and rejected machine
    /// spans kept), and no dispute is left.
    pub prefer: bool,
}

/// What a merge did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The annotators, in order.
    pub annotators: Vec<String>,
    /// Spans every annotator made (same label and range), in once.
    pub agreed_spans: usize,
    /// Links every annotator made (same kind, ends agreed), in once.
    pub agreed_links: usize,
    /// Spans that do not count (pending or rejected machine spans,
    /// orphans) that every annotator has the same, carried through.
    pub carried: usize,
    /// The disputes made, by kind, in id order (before `prefer` settled
    /// them).
    pub disputes: Vec<DisputeKind>,
    /// Per annotator, what was left out: spans that do not count and not
    /// everyone has, and links with such an end.
    pub left_out: Vec<Skipped>,
}

/// The merged annotations and the report.
#[derive(Clone, Debug)]
pub struct Merged {
    /// The merged set: the reference's document, agreed spans and links,
    /// open disputes (none after `prefer`).
    pub annotations: Annotations,
    /// What was done.
    pub report: Report,
}

/// A dispute being built: its alternatives, and which one each annotator
/// proposed.
#[derive(Clone, Debug, Default)]
pub(super) struct Pending {
    pub alternatives: Vec<Alternative>,
    pub of: Vec<usize>,
}

/// The merge under way.
pub(super) struct Build<'a> {
    pub sets: &'a [Annotator<'a>],
    pub chars: usize,
    pub opts: Options,
    pub out: Annotations,
    /// Per annotator: their span ids to the merged ones.
    pub span_map: Vec<BTreeMap<SpanId, SpanId>>,
    entity_map: Vec<BTreeMap<EntityId, EntityId>>,
    next_span: u64,
    pub next_link: u64,
    next_entity: u64,
    /// Merged ids of spans held in a pending dispute, and which.
    pub held: BTreeMap<SpanId, usize>,
    pub pending: Vec<Pending>,
    pub report: Report,
}

/// Merges `sets` (two or more, of one article of `chars` code points).
pub fn merge(sets: &[Annotator<'_>], chars: usize, opts: Options) -> Result<Merged, EditError> {
    let reference = sets[opts.reference].annotations;
    let mut b = Build {
        sets,
        chars,
        opts,
        out: Annotations::new(reference.document.clone()),
        span_map: vec![BTreeMap::new(); sets.len()],
        entity_map: vec![BTreeMap::new(); sets.len()],
        next_span: reference.next_span_id().0,
        next_link: reference.next_link_id().0,
        next_entity: reference.next_entity_id().0,
        held: BTreeMap::new(),
        pending: Vec::new(),
        report: Report {
            annotators: sets.iter().map(|s| s.name.to_owned()).collect(),
            left_out: vec![Skipped::default(); sets.len()],
            ..Report::default()
        },
    };
    b.entities();
    let (counted, uncounted): (Vec<Vec<&Span>>, Vec<Vec<&Span>>) = sets
        .iter()
        .map(|s| {
            s.annotations
                .spans()
                .partition(|sp| agree::skip(sp, chars).is_none())
        })
        .unzip();
    b.carry(&uncounted);
    let rest = b.agree(&counted);
    b.cluster(&rest);
    links::merge(&mut b);
    b.finish()
}

impl Build<'_> {
    fn r(&self) -> usize {
        self.opts.reference
    }

    pub(super) fn fresh_link(&mut self) -> crate::model::LinkId {
        self.next_link += 1;
        crate::model::LinkId(self.next_link - 1)
    }

    fn fresh_span(&mut self) -> SpanId {
        self.next_span += 1;
        SpanId(self.next_span - 1)
    }

    /// The reference's entities as they are; the others' matched to them
    /// by name and role, or added with fresh ids.
    fn entities(&mut self) {
        let r = self.r();
        for e in self.sets[r].annotations.entities() {
            let _ = self.out.insert_entity(e.clone());
            self.entity_map[r].insert(e.id, e.id);
        }
        for i in (0..self.sets.len()).filter(|&i| i != r) {
            for e in self.sets[i].annotations.entities() {
                let same = self
                    .out
                    .entities()
                    .find(|x| x.name == e.name && x.role == e.role)
                    .map(|x| x.id);
                let id = same.unwrap_or_else(|| {
                    self.next_entity += 1;
                    let id = EntityId(self.next_entity - 1);
                    let mut new = e.clone();
                    new.id = id;
                    let _ = self.out.insert_entity(new);
                    id
                });
                self.entity_map[i].insert(e.id, id);
            }
        }
    }

    /// Annotator `i`'s span as the merged file holds it: its entity mapped,
    /// with id `id`.
    fn mapped(&mut self, i: usize, s: &Span, id: SpanId) -> Span {
        let mut out = s.clone();
        out.id = id;
        out.entity = s.entity.map(|e| {
            if i == self.r() {
                return e;
            }
            if let Some(m) = self.entity_map[i].get(&e) {
                return *m;
            }
            // Named but not listed: the same id if it is free (the
            // reference names it unlisted too, or nobody uses it), else a
            // fresh one.
            let m = if self.out.entity(e).is_none() {
                e
            } else {
                self.next_entity += 1;
                EntityId(self.next_entity - 1)
            };
            self.entity_map[i].insert(e, m);
            m
        });
        out
    }

    /// Spans that do not count: the reference's carried when every other
    /// annotator has the same one (all of them when preferring it); the
    /// rest left out.
    fn carry(&mut self, uncounted: &[Vec<&Span>]) {
        let r = self.r();
        let n = self.sets.len();
        let mut used: Vec<Vec<bool>> = uncounted.iter().map(|v| vec![false; v.len()]).collect();
        for (k, s) in uncounted[r].iter().enumerate() {
            let mut matches = Vec::new();
            for i in (0..n).filter(|&i| i != r) {
                let found = (0..uncounted[i].len())
                    .find(|&j| !used[i][j] && self.same_as_reference(i, uncounted[i][j], s));
                if let Some(j) = found {
                    used[i][j] = true;
                    matches.push((i, j));
                }
            }
            if !self.opts.prefer && matches.len() < n - 1 {
                for (i, j) in matches {
                    used[i][j] = false;
                }
                continue;
            }
            used[r][k] = true;
            for &(i, j) in &matches {
                self.span_map[i].insert(uncounted[i][j].id, s.id);
            }
            self.span_map[r].insert(s.id, s.id);
            let _ = self.out.insert_span((*s).clone());
            self.report.carried += 1;
        }
        for (i, spans) in uncounted.iter().enumerate() {
            for (j, s) in spans.iter().enumerate() {
                if let (false, Some(why)) = (used[i][j], agree::skip(s, self.chars)) {
                    self.report.left_out[i].count(why);
                }
            }
        }
    }

    /// Whether annotator `i`'s span `s` is the reference's span `mine`
    /// (ids aside, entities compared as mapped).
    fn same_as_reference(&self, i: usize, s: &Span, mine: &Span) -> bool {
        // An entity not mapped yet would keep its id if free (see `mapped`).
        let entity = match s.entity {
            None => None,
            Some(e) => match self.entity_map[i].get(&e) {
                Some(m) => Some(*m),
                None if self.out.entity(e).is_none() => Some(e),
                None => return false,
            },
        };
        let mut s = s.clone();
        s.id = mine.id;
        s.entity = entity;
        s == *mine
    }

    /// Spans every annotator made (same label and range) go in once, as
    /// one merged span, or, if their notes, attributes or entities
    /// conflict, as a span with a dispute between its versions. Returns
    /// what is left of each annotator's counted spans.
    fn agree<'s>(&mut self, counted: &[Vec<&'s Span>]) -> Vec<Vec<&'s Span>> {
        type Key = (usize, usize, String);
        let r = self.r();
        let by_key: Vec<BTreeMap<Key, Vec<&Span>>> = counted
            .iter()
            .map(|spans| {
                let mut m: BTreeMap<Key, Vec<&Span>> = BTreeMap::new();
                for s in spans {
                    m.entry((s.start, s.end, s.label.clone()))
                        .or_default()
                        .push(s);
                }
                m
            })
            .collect();
        for (key, mine) in &by_key[r] {
            let n = (by_key.iter())
                .map(|m| m.get(key).map_or(0, Vec::len))
                .min()
                .unwrap_or(0);
            for j in 0..n {
                let id = mine[j].id;
                let versions: Vec<Span> = (0..self.sets.len())
                    .map(|i| self.agreed_version(i, by_key[i][key][j], id))
                    .collect();
                for (i, m) in by_key.iter().enumerate() {
                    self.span_map[i].insert(m[key][j].id, id);
                }
                self.report.agreed_spans += 1;
                let refs: Vec<&Span> = versions.iter().collect();
                match fields::independent(&refs, r, !self.opts.prefer) {
                    FieldMerge::Clean(s) => {
                        let _ = self.out.insert_span(s);
                    }
                    FieldMerge::Conflict { neither, versions } => {
                        let _ = self.out.insert_span(neither);
                        let alts: Vec<_> =
                            versions.into_iter().map(|v| (vec![v.clone()], v)).collect();
                        self.push_pending(&alts);
                    }
                }
            }
        }
        (0..self.sets.len())
            .map(|i| {
                counted[i]
                    .iter()
                    .copied()
                    .filter(|s| !self.span_map[i].contains_key(&s.id))
                    .collect()
            })
            .collect()
    }

    /// Annotator `i`'s version of an agreed span, with the merged id and
    /// who agreed.
    fn agreed_version(&mut self, i: usize, s: &Span, id: SpanId) -> Span {
        let mut v = self.mapped(i, s, id);
        if !self.opts.prefer {
            v.agreed.clone_from(&self.report.annotators);
        }
        v
    }

    /// A dispute from each annotator's proposal (spans, and the keys its
    /// links will be grouped by), annotators proposing the same thing
    /// sharing an alternative. Returns its index, or `None` if they all
    /// proposed the same (no dispute: the caller takes it).
    pub(super) fn push_pending<K: PartialEq>(
        &mut self,
        proposals: &[(Vec<Span>, K)],
    ) -> Option<usize> {
        let mut pending = Pending::default();
        let mut keys: Vec<&K> = Vec::new();
        for (i, (spans, key)) in proposals.iter().enumerate() {
            let same = (0..keys.len())
                .find(|&a| *keys[a] == *key && same_content(&pending.alternatives[a].spans, spans));
            let a = same.unwrap_or_else(|| {
                keys.push(key);
                pending.alternatives.push(Alternative {
                    spans: spans.clone(),
                    ..Alternative::default()
                });
                pending.alternatives.len() - 1
            });
            pending.alternatives[a]
                .by
                .push(self.sets[i].name.to_owned());
            pending.of.push(a);
        }
        if pending.alternatives.len() < 2 {
            return None;
        }
        self.pending.push(pending);
        Some(self.pending.len() - 1)
    }

    /// The counted spans no one agreed on, in clusters (see
    /// [`clusters`]): each cluster a dispute between what each annotator
    /// drew there (nothing, for those who drew nothing).
    fn cluster(&mut self, rest: &[Vec<&Span>]) {
        let all: Vec<(usize, &Span)> = (rest.iter().enumerate())
            .flat_map(|(i, v)| v.iter().map(move |s| (i, *s)))
            .collect();
        let spans: Vec<&Span> = all.iter().map(|(_, s)| *s).collect();
        let groups = clusters(&spans);
        let mut cluster_of: Vec<BTreeMap<SpanId, usize>> = vec![BTreeMap::new(); rest.len()];
        for (c, g) in groups.iter().enumerate() {
            for &k in g {
                cluster_of[all[k].0].insert(all[k].1.id, c);
            }
        }
        let link_keys = links::held_keys(self, &cluster_of, &all);
        for (c, g) in groups.iter().enumerate() {
            let mut proposals = Vec::new();
            for i in 0..self.sets.len() {
                let mine: Vec<Span> = (g.iter())
                    .filter(|&&k| all[k].0 == i)
                    .map(|&k| self.mapped(i, all[k].1, all[k].1.id))
                    .collect();
                let key = link_keys.get(&(i, c)).cloned().unwrap_or_default();
                proposals.push((mine, key));
            }
            self.cluster_dispute(&proposals);
        }
    }

    /// One cluster's dispute: merged ids for the spans of each
    /// alternative (the reference's own, else fresh), every annotator's
    /// spans (under their own ids, entities mapped) mapped to them.
    fn cluster_dispute<K: PartialEq + Clone>(&mut self, proposals: &[(Vec<Span>, K)]) {
        let r = self.r();
        // Who shares whose proposal: the reference first, then in order.
        let mut order: Vec<usize> = (0..proposals.len()).collect();
        order.sort_by_key(|&i| (i != r, i));
        let mut reps: Vec<usize> = Vec::new();
        let mut rep_of = vec![0; proposals.len()];
        for &i in &order {
            let (spans, key) = &proposals[i];
            let found = reps
                .iter()
                .copied()
                .find(|&p| proposals[p].1 == *key && same_content(&proposals[p].0, spans));
            rep_of[i] = found.unwrap_or_else(|| {
                reps.push(i);
                i
            });
        }
        let mut merged_of: BTreeMap<usize, Vec<Span>> = BTreeMap::new();
        for &p in &reps {
            let out: Vec<Span> = sorted(&proposals[p].0)
                .into_iter()
                .map(|s| {
                    let mut s = s.clone();
                    if p != r {
                        s.id = self.fresh_span();
                    }
                    s
                })
                .collect();
            merged_of.insert(p, out);
        }
        for (i, (spans, _)) in proposals.iter().enumerate() {
            for (s, m) in sorted(spans).iter().zip(&merged_of[&rep_of[i]]) {
                self.span_map[i].insert(s.id, m.id);
            }
        }
        let alts: Vec<(Vec<Span>, K)> = (0..proposals.len())
            .map(|i| (merged_of[&rep_of[i]].clone(), proposals[i].1.clone()))
            .collect();
        match self.push_pending(&alts) {
            Some(p) => {
                for s in self.pending[p].alternatives.iter().flat_map(|a| &a.spans) {
                    self.held.insert(s.id, p);
                }
            }
            None => {
                for s in merged_of.into_values().flatten() {
                    let _ = self.out.insert_span(s);
                }
            }
        }
    }

    /// The pending disputes get ids in text order and go in; with
    /// `prefer`, each is settled for the reference at once.
    fn finish(mut self) -> Result<Merged, EditError> {
        let mut disputes: Vec<Dispute> = std::mem::take(&mut self.pending)
            .into_iter()
            .map(|p| Dispute {
                alternatives: p.alternatives,
                ..Dispute::default()
            })
            .collect();
        let out = &self.out;
        let mut keyed: Vec<((usize, usize), usize, Dispute)> = disputes
            .drain(..)
            .enumerate()
            .map(|(k, d)| {
                let r = d.range(out).unwrap_or(usize::MAX..usize::MAX);
                ((r.start, r.end), k, d)
            })
            .collect();
        keyed.sort_by_key(|(at, k, _)| (*at, *k));
        for (n, (_, _, mut d)) in keyed.into_iter().enumerate() {
            d.id = DisputeId(n as u64 + 1);
            self.report.disputes.push(d.kind());
            let _ = self.out.insert_dispute(d);
        }
        let reference = self.sets[self.r()].annotations;
        if self.opts.prefer {
            let name = self.sets[self.r()].name;
            super::adjudicate::prefer(&mut self.out, name)?;
            // Others' entities that none of the reference's spans names.
            let unused: Vec<EntityId> = (self.out.entities())
                .map(|e| e.id)
                .filter(|&e| {
                    reference.entity(e).is_none() && self.out.spans_of_entity(e).next().is_none()
                })
                .collect();
            for e in unused {
                let _ = self.out.remove_entity(e);
            }
            self.out.done = reference.done;
        } else {
            self.out.done =
                self.sets.iter().all(|s| s.annotations.done) && self.out.open_dispute_count() == 0;
        }
        Ok(Merged {
            annotations: self.out,
            report: self.report,
        })
    }
}

/// Spans in the order their content sorts (document order first).
fn sorted(spans: &[Span]) -> Vec<&Span> {
    let mut v: Vec<&Span> = spans.iter().collect();
    v.sort_by(|a, b| content(a).cmp(&content(b)).then(a.id.cmp(&b.id)));
    v
}

/// What annotators' spans in one place say, ids aside: ranges, labels,
/// notes, attributes, entities (as the merged file numbers them).
type Content<'s> = (
    usize,
    usize,
    &'s str,
    Option<&'s str>,
    &'s BTreeMap<String, String>,
    Option<EntityId>,
);

fn content(s: &Span) -> Content<'_> {
    (
        s.start,
        s.end,
        s.label.as_str(),
        s.note.as_deref(),
        &s.attributes,
        s.entity,
    )
}

/// Whether two proposals hold the same spans, ids aside.
pub(super) fn same_content(a: &[Span], b: &[Span]) -> bool {
    let (a, b) = (sorted(a), sorted(b));
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| content(x) == content(y))
}
