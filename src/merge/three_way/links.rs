//! The links and the disputes of the three-way merge.

use std::collections::{BTreeMap, BTreeSet};

use super::{Build, merge3};
use crate::model::{Dispute, DisputeId, Link, LinkId, SpanId};

type Triple = (String, SpanId, SpanId);

fn triple(l: &Link) -> Triple {
    (l.kind.clone(), l.from, l.to)
}

impl Build<'_> {
    /// Their link with its ends on the spans the merge kept (a span both
    /// sides added is ours').
    fn their_link(&self, l: &Link) -> Link {
        let end = |id: SpanId| self.same.get(&id).copied().unwrap_or(id);
        Link {
            id: l.id,
            kind: l.kind.clone(),
            from: end(l.from),
            to: end(l.to),
        }
    }

    fn touches_held(&self, l: &Link) -> bool {
        self.held.contains_key(&l.from) || self.held.contains_key(&l.to)
    }

    /// Links by id: a change on one side taken, the same on both once,
    /// different changes (or a change against a deletion) a dispute. A
    /// link one side deleted with its span stays, with that span's other
    /// version, if the span is now in dispute. Links both sides added
    /// between the same spans go in once.
    pub(super) fn links(&mut self) {
        let theirs: BTreeMap<LinkId, Link> = (self.theirs.links())
            .map(|l| (l.id, self.their_link(l)))
            .collect();
        let ids: BTreeSet<LinkId> = (self.base.links().map(|l| l.id))
            .chain(self.ours.links().map(|l| l.id))
            .chain(theirs.keys().copied())
            .collect();
        let ours_added: BTreeSet<Triple> = (self.ours.links())
            .filter(|l| self.base.link(l.id).is_none())
            .map(triple)
            .collect();
        let mut keep: Vec<Link> = Vec::new();
        let none = || (Vec::new(), Vec::new());
        for id in ids {
            let (b, o, t) = (self.base.link(id), self.ours.link(id), theirs.get(&id));
            match (b, o, t) {
                (Some(b), Some(o), Some(t)) => match merge3(b, o, t) {
                    Some(l) => keep.push(l),
                    None => {
                        self.dispute((Vec::new(), vec![o.clone()]), (Vec::new(), vec![t.clone()]));
                    }
                },
                (Some(b), None, Some(t)) if t != b => {
                    self.dispute(none(), (Vec::new(), vec![t.clone()]));
                }
                (Some(b), Some(o), None) if o != b => {
                    self.dispute((Vec::new(), vec![o.clone()]), none());
                }
                (Some(_), None, Some(l)) | (Some(_), Some(l), None) if self.touches_held(l) => {
                    keep.push(l.clone());
                }
                (None, Some(o), _) => keep.push(o.clone()),
                (None, None, Some(t)) if !ours_added.contains(&triple(t)) => keep.push(t.clone()),
                _ => {}
            }
        }
        for l in keep {
            self.place_link(l);
        }
    }

    /// Puts a link where its ends are: live between live spans, into the
    /// alternatives holding an end that is in dispute, else (an end no
    /// side has: it was dangling) as it was.
    fn place_link(&mut self, l: Link) {
        let live = |id: SpanId| self.out.span(id).is_some();
        if live(l.from) && live(l.to) {
            let _ = self.out.insert_link(l);
            return;
        }
        let home = [l.from, l.to]
            .into_iter()
            .find_map(|e| Some((e, *self.held.get(&e)?)));
        match home {
            Some((end, k)) => {
                for a in &mut self.disputes[k] {
                    if a.spans.iter().any(|s| s.id == end) && !a.links.iter().any(|x| x.id == l.id)
                    {
                        a.links.push(l.clone());
                    }
                }
            }
            None => {
                let _ = self.out.insert_link_unchecked(l);
            }
        }
    }

    /// Disputes the files already held, by id: one settled (gone) on
    /// either side is gone; one added on a side stays.
    pub(super) fn old_disputes(&mut self) {
        let ids: BTreeSet<DisputeId> = (self.base.disputes().map(|d| d.id))
            .chain(self.ours.disputes().map(|d| d.id))
            .chain(self.theirs.disputes().map(|d| d.id))
            .collect();
        for id in ids {
            let (b, o) = (self.base.dispute(id), self.ours.dispute(id));
            let t = self.theirs.dispute(id).map(|d| {
                let mut d = d.clone();
                for a in &mut d.alternatives {
                    a.links = a.links.iter().map(|l| self.their_link(l)).collect();
                }
                d
            });
            let keep = match (b, o, t) {
                (Some(b), Some(o), Some(t)) => Some(merge3(b, o, &t).unwrap_or_else(|| o.clone())),
                (None, Some(o), _) => Some(o.clone()),
                (None, None, Some(t)) => Some(t),
                _ => None,
            };
            if let Some(d) = keep {
                let _ = self.out.insert_dispute(d);
            }
        }
    }

    /// The disputes this merge made go in, numbered after every dispute id
    /// any side has used, in text order.
    pub(super) fn new_disputes(&mut self) {
        let top = [self.base, self.ours, &self.theirs, &self.out]
            .iter()
            .map(|a| a.next_dispute_id().0)
            .max()
            .unwrap_or(1);
        let mut made: Vec<((usize, usize), usize, Dispute)> = std::mem::take(&mut self.disputes)
            .into_iter()
            .enumerate()
            .map(|(k, alts)| {
                let d = Dispute {
                    alternatives: alts.into(),
                    ..Dispute::default()
                };
                let r = d.range(&self.out).unwrap_or(usize::MAX..usize::MAX);
                ((r.start, r.end), k, d)
            })
            .collect();
        made.sort_by_key(|(at, k, _)| (*at, *k));
        for (n, (_, _, mut d)) in made.into_iter().enumerate() {
            d.id = DisputeId(top + n as u64);
            let _ = self.out.insert_dispute(d);
        }
    }
}
