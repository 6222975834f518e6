//! The links of an N-way merge. A link goes with its spans: one with an
//! end in a dispute belongs to the alternative of its annotator there
//! (taking that alternative takes the link); one between live spans goes
//! in once if every annotator made it, and otherwise joins a dispute over
//! which links of that kind the span at its `from` end has.

use std::collections::BTreeMap;

use super::nway::Build;
use crate::model::{Link, LinkId, SpanId};

/// One end of a link as proposals are compared: a live (agreed or carried)
/// span by its merged id, or a span in a cluster by the cluster and what
/// the span is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum End {
    Live(SpanId),
    Held(usize, usize, usize, String),
}

/// A link as proposals are compared.
pub(super) type LinkKey = (String, End, End);

/// Per (annotator, cluster), the sorted keys of the links whose home is
/// that cluster (the cluster of their `from` end if it is in one, else of
/// their `to` end): two annotators propose the same thing in a cluster
/// only if these match too.
pub(super) fn held_keys(
    b: &Build<'_>,
    cluster_of: &[BTreeMap<SpanId, usize>],
    all: &[(usize, &crate::model::Span)],
) -> BTreeMap<(usize, usize), Vec<LinkKey>> {
    let find = |i: usize, id: SpanId| {
        all.iter()
            .find(|(j, s)| *j == i && s.id == id)
            .map(|(_, s)| *s)
    };
    let end = |i: usize, id: SpanId| -> Option<End> {
        if let Some(m) = b.span_map[i].get(&id) {
            return Some(End::Live(*m));
        }
        let c = *cluster_of[i].get(&id)?;
        let s = find(i, id)?;
        Some(End::Held(c, s.start, s.end, s.label.clone()))
    };
    let mut out: BTreeMap<(usize, usize), Vec<LinkKey>> = BTreeMap::new();
    for (i, set) in b.sets.iter().enumerate() {
        for l in set.annotations.links() {
            let home = (cluster_of[i].get(&l.from)).or_else(|| cluster_of[i].get(&l.to));
            if let (Some(&c), Some(from), Some(to)) = (home, end(i, l.from), end(i, l.to)) {
                out.entry((i, c))
                    .or_default()
                    .push((l.kind.clone(), from, to));
            }
        }
    }
    for keys in out.values_mut() {
        keys.sort();
    }
    out
}

/// Every annotator's links, mapped to the merged spans and placed: into
/// the alternative of a dispute holding an end, or between live spans
/// (agreed ones in once, the rest disputed per kind and `from` span).
/// The reference's dangling links (an end its own file lacks) are kept as
/// they are; others' links with an end left out are left out and counted.
pub(super) fn merge(b: &mut Build<'_>) {
    let r = b.opts.reference;
    let n = b.sets.len();
    let order: Vec<usize> = std::iter::once(r)
        .chain((0..n).filter(|&i| i != r))
        .collect();
    let mut live: BTreeMap<(String, SpanId, SpanId), Vec<Vec<LinkId>>> = BTreeMap::new();
    for &i in &order {
        let set = b.sets[i].annotations;
        for l in set.links() {
            let from = b.span_map[i].get(&l.from).copied();
            let to = b.span_map[i].get(&l.to).copied();
            let (Some(from), Some(to)) = (from, to) else {
                let dangling = set.span(l.from).is_none() || set.span(l.to).is_none();
                if i == r && dangling {
                    let _ = b.out.insert_link_unchecked(l.clone());
                } else {
                    b.report.left_out[i].links += 1;
                }
                continue;
            };
            let home = b.held.get(&from).or_else(|| b.held.get(&to)).copied();
            if let Some(p) = home {
                let a = b.pending[p].of[i];
                let have = (b.pending[p].alternatives[a].links.iter())
                    .any(|x| (x.kind.as_str(), x.from, x.to) == (l.kind.as_str(), from, to));
                if !have {
                    let id = if i == r { l.id } else { b.fresh_link() };
                    let link = Link {
                        id,
                        kind: l.kind.clone(),
                        from,
                        to,
                    };
                    b.pending[p].alternatives[a].links.push(link);
                }
            } else {
                live.entry((l.kind.clone(), from, to))
                    .or_insert_with(|| vec![Vec::new(); n])[i]
                    .push(l.id);
            }
        }
    }
    let rest = agreed(b, live);
    for ((kind, from), per) in rest {
        dispute(b, &kind, from, &per);
    }
}

/// Links every annotator made go in once (under the reference's id); the
/// rest, per (kind, `from` span), per annotator: (`to`, their link id).
type Rest = BTreeMap<(String, SpanId), Vec<Vec<(SpanId, LinkId)>>>;

fn agreed(b: &mut Build<'_>, live: BTreeMap<(String, SpanId, SpanId), Vec<Vec<LinkId>>>) -> Rest {
    let r = b.opts.reference;
    let mut rest: Rest = BTreeMap::new();
    for ((kind, from, to), per) in live {
        let both = per.iter().map(Vec::len).min().unwrap_or(0);
        for &id in &per[r][..both] {
            let _ = b.out.insert_link(Link {
                id,
                kind: kind.clone(),
                from,
                to,
            });
            b.report.agreed_links += 1;
        }
        if per.iter().all(|ids| ids.len() == both) {
            continue;
        }
        let slot = rest
            .entry((kind, from))
            .or_insert_with(|| vec![Vec::new(); per.len()]);
        for (i, ids) in per.iter().enumerate() {
            slot[i].extend(ids[both..].iter().map(|&id| (to, id)));
        }
    }
    rest
}

/// A dispute over which links of `kind` span `from` has, beyond those all
/// agree on: each annotator's own, those with the same sharing an
/// alternative (the reference's ids, else fresh ones).
fn dispute(b: &mut Build<'_>, kind: &str, from: SpanId, per: &[Vec<(SpanId, LinkId)>]) {
    let r = b.opts.reference;
    let proposals: Vec<(Vec<crate::model::Span>, Vec<SpanId>)> = per
        .iter()
        .map(|links| {
            let mut to: Vec<SpanId> = links.iter().map(|(t, _)| *t).collect();
            to.sort();
            (Vec::new(), to)
        })
        .collect();
    let Some(p) = b.push_pending(&proposals) else {
        return;
    };
    let order: Vec<usize> = std::iter::once(r)
        .chain((0..per.len()).filter(|&i| i != r))
        .collect();
    for i in order {
        let a = b.pending[p].of[i];
        if !b.pending[p].alternatives[a].links.is_empty() {
            continue;
        }
        let links: Vec<Link> = (per[i].iter())
            .map(|&(to, id)| Link {
                id: if i == r { id } else { b.fresh_link() },
                kind: kind.to_owned(),
                from,
                to,
            })
            .collect();
        b.pending[p].alternatives[a].links = links;
    }
}
