//! Settling a dispute, as plain edits: the dispute marked settled, the
//! chosen alternatives' entities, spans and links taken into the live set,
//! and links that still wait for a span another dispute holds moved into
//! that dispute. Applied as one group, undone as one.

use std::collections::{BTreeMap, BTreeSet};

use super::{Edit, EditError, apply_all};
use crate::model::{Alternative, Annotations, Dispute, DisputeId, Link, ModelError, SpanId};
use crate::offsets::Text;

/// Applies the dispute edits ([`Edit::Settle`], [`Edit::Group`],
/// [`Edit::SetSettled`], [`Edit::ReplaceDispute`]), returning the inverse.
pub(super) fn apply(edit: Edit, ann: &mut Annotations, text: &Text) -> Result<Edit, EditError> {
    Ok(match edit {
        Edit::Settle { dispute, take } => {
            let edits = settle_edits(ann, dispute, &take)?;
            Edit::Group(apply_all(ann, text, edits)?)
        }
        Edit::Group(edits) => Edit::Group(apply_all(ann, text, edits)?),
        Edit::SetSettled { dispute, settled } => Edit::SetSettled {
            dispute,
            settled: ann.set_settled(dispute, settled)?,
        },
        Edit::ReplaceDispute(d) => Edit::ReplaceDispute(Box::new(ann.replace_dispute(*d)?)),
        other => other.apply(ann, text)?,
    })
}

/// The edits that settle dispute `id` by taking the alternatives `take`
/// (none: neither), in the order to apply them:
///
/// 1. the dispute marked settled;
/// 2. the chosen alternatives' entities (added, or replacing the live
///    version) and spans (likewise: a version of a live span replaces it);
/// 3. their links whose two ends are then live; a link with an end that
///    another open dispute holds moves into that dispute's alternatives
///    holding it (it comes in when that one is settled with its span); a
///    link whose end nothing holds any more is dropped.
///
/// Fails if the dispute is settled already, an index is out of range or
/// given twice, or the alternatives hold versions of one span (see
/// [`Dispute::can_combine`]).
pub fn settle_edits(
    ann: &Annotations,
    id: DisputeId,
    take: &[usize],
) -> Result<Vec<Edit>, ModelError> {
    let d = ann.dispute(id).ok_or(ModelError::NoSuchDispute(id))?;
    let refuse = |why: &str| ModelError::Settle {
        id,
        why: why.to_owned(),
    };
    if !d.is_open() {
        return Err(refuse("it is settled already"));
    }
    if let Some(i) = take.iter().find(|&&i| i >= d.alternatives.len()) {
        return Err(refuse(&format!(
            "it has {} alternatives, not {}",
            d.alternatives.len(),
            i + 1
        )));
    }
    if (1..take.len()).any(|k| take[..k].contains(&take[k])) {
        return Err(refuse("an alternative is taken twice"));
    }
    if !d.can_combine(take) {
        return Err(refuse(
            "these alternatives are versions of one span and cannot both be taken",
        ));
    }
    let chosen: Vec<&Alternative> = take.iter().map(|&i| &d.alternatives[i]).collect();
    let mut edits = vec![Edit::SetSettled {
        dispute: id,
        settled: Some(take.to_vec()),
    }];
    let mut entities = BTreeSet::new();
    for e in chosen.iter().flat_map(|a| &a.entities) {
        if entities.insert(e.id) {
            edits.push(if ann.entity(e.id).is_some() {
                Edit::UpdateEntity(e.clone())
            } else {
                Edit::AddEntity(e.clone())
            });
        }
    }
    let mut coming = BTreeSet::new();
    for s in chosen.iter().flat_map(|a| &a.spans) {
        if coming.insert(s.id) {
            edits.push(if ann.span(s.id).is_some() {
                Edit::Restore(Box::new(s.clone()))
            } else {
                Edit::ReinsertSpan(Box::new(s.clone()))
            });
        }
    }
    let live = |e: SpanId| ann.span(e).is_some() || coming.contains(&e);
    let mut waiting: BTreeMap<DisputeId, Dispute> = BTreeMap::new();
    let mut linked = BTreeSet::new();
    for l in chosen.iter().flat_map(|a| &a.links) {
        if ann.link(l.id).is_some() || !linked.insert(l.id) {
            continue;
        }
        match [l.from, l.to].into_iter().find(|&e| !live(e)) {
            None => edits.push(Edit::AddLink(l.clone())),
            Some(missing) => defer(ann, id, l, missing, &mut waiting),
        }
    }
    edits.extend(
        waiting
            .into_values()
            .map(|d| Edit::ReplaceDispute(Box::new(d))),
    );
    Ok(edits)
}

/// Moves `link` into the first other open dispute that holds span
/// `missing`, into each of its alternatives holding it.
fn defer(
    ann: &Annotations,
    settling: DisputeId,
    link: &Link,
    missing: SpanId,
    waiting: &mut BTreeMap<DisputeId, Dispute>,
) {
    let holds = |a: &Alternative| a.spans.iter().any(|s| s.id == missing);
    let Some(other) = ann
        .open_disputes()
        .find(|o| o.id != settling && o.alternatives.iter().any(holds))
    else {
        return;
    };
    let d = waiting.entry(other.id).or_insert_with(|| other.clone());
    for a in &mut d.alternatives {
        if holds(a) && !a.links.iter().any(|x| x.id == link.id) {
            a.links.push(link.clone());
        }
    }
}
