//! Which spans disagree together: spans on one range (whatever their
//! labels), and spans of one label that share a code point, are joined,
//! and so is everything joined to them. A claim and the source nested in
//! it are not joined (other labels, other ranges), so each is its own
//! point of disagreement; two drawings of one claim are.

use crate::model::Span;

/// Groups `spans` into clusters, each a list of indices into `spans` in
/// the order given; the clusters in text order (by their first span's
/// start). Orphans and empty spans join only spans on their exact range.
pub(super) fn clusters(spans: &[&Span]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..spans.len()).collect();
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| (spans[i].start, spans[i].end, spans[i].label.as_str(), i));
    // One range: joined whatever the labels.
    for w in order.windows(2) {
        if spans[w[0]].range() == spans[w[1]].range() {
            union(&mut parent, w[0], w[1]);
        }
    }
    // One label, overlapping: in start order, a span overlaps an earlier
    // one exactly when it starts before the furthest end so far, and every
    // earlier span still open at its start is already joined to that one
    // (they all cover that point), so one union per span is enough.
    let mut by_label: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| !spans[i].orphan && spans[i].start < spans[i].end)
        .collect();
    by_label.sort_by_key(|&i| (spans[i].label.as_str(), spans[i].start, spans[i].end, i));
    let mut furthest: Option<(usize, usize)> = None;
    for (k, &i) in by_label.iter().enumerate() {
        let s = spans[i];
        let same_label = k > 0 && spans[by_label[k - 1]].label == s.label;
        if !same_label {
            furthest = None;
        }
        if let Some((end, j)) = furthest
            && end > s.start
        {
            union(&mut parent, i, j);
        }
        if furthest.is_none_or(|(end, _)| s.end > end) {
            furthest = Some((s.end, i));
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut slot = vec![usize::MAX; spans.len()];
    for &i in &order {
        let root = find(&mut parent, i);
        if slot[root] == usize::MAX {
            slot[root] = groups.len();
            groups.push(Vec::new());
        }
        groups[slot[root]].push(i);
    }
    for g in &mut groups {
        g.sort_unstable();
    }
    groups
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SpanId;

    fn span(label: &str, start: usize, end: usize) -> Span {
        Span {
            id: SpanId(start as u64),
            label: label.into(),
            start,
            end,
            ..Span::default()
        }
    }

    #[test]
    fn one_range_or_one_label_overlapping_join_and_nesting_does_not() {
        let spans = [
            span("claim", 0, 20),   // 0
            span("claim", 0, 18),   // 1: boundary with 0
            span("source", 2, 6),   // 2: nested, other label: alone
            span("claim", 30, 40),  // 3
            span("denial", 30, 40), // 4: same range as 3
            span("claim", 45, 50),  // 5: alone
            span("claim", 38, 46),  // 6: chains 3 and 5
            span("source", 60, 65), // 7: alone
        ];
        let refs: Vec<&Span> = spans.iter().collect();
        assert_eq!(
            clusters(&refs),
            [vec![0, 1], vec![2], vec![3, 4, 5, 6], vec![7]]
        );
    }

    #[test]
    fn touching_spans_do_not_join() {
        let spans = [span("claim", 0, 10), span("claim", 10, 20)];
        let refs: Vec<&Span> = spans.iter().collect();
        assert_eq!(clusters(&refs), [vec![0], vec![1]]);
    }
}
