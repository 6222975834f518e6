//! Matching spans and links of two annotators, the first the reference.
//!
//! - `exact`: a span matches a span of the same label with the same start
//!   and end. Spans given twice match as many times as both have them.
//! - `overlap`: a span matches a span of the same label with which it
//!   shares at least one code point, one to one: every overlapping pair is
//!   listed, and pairs are taken largest shared length first, each span at
//!   most once. Among pairs that share as much, the one whose boundaries are
//!   closer (|Δstart| + |Δend|) goes first, then the pair whose spans come
//!   first in the text. Every key treats both sides alike, so swapping the
//!   annotators gives the same pairs and swaps precision and recall.
//! - links: a link matches a link of the same kind whose two ends match
//!   exactly (same start, end and label).
//!
//! tp are matched pairs, fp spans of the other annotator left unmatched, fn
//! spans of the reference left unmatched.

use std::cmp::Reverse;

use super::alpha::Segment;

/// Matched and unmatched spans (or links) of one pair of annotators.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Matches {
    /// Matched pairs.
    pub tp: usize,
    /// The other annotator's, unmatched.
    pub fp: usize,
    /// The reference's, unmatched.
    pub fn_: usize,
}

impl Matches {
    /// `tp` matches out of `reference` and `other` items.
    pub(crate) fn of(tp: usize, reference: usize, other: usize) -> Matches {
        Matches {
            tp,
            fp: other - tp,
            fn_: reference - tp,
        }
    }
}

impl std::ops::Add for Matches {
    type Output = Matches;

    fn add(self, o: Matches) -> Matches {
        Matches {
            tp: self.tp + o.tp,
            fp: self.fp + o.fp,
            fn_: self.fn_ + o.fn_,
        }
    }
}

/// How many items of two sorted lists are equal, one to one (the size of
/// their multiset intersection).
pub(crate) fn common<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Exact matches of one label's spans, both sorted by (start, end).
pub(crate) fn exact(reference: &[Segment], other: &[Segment]) -> Matches {
    Matches::of(common(reference, other), reference.len(), other.len())
}

/// The most pairs of overlapping spans one label may have between two
/// annotators (about 300 MB to sort). News articles have hundreds; only a
/// file of thousands of spans all over one another comes near it.
pub(crate) const MAX_OVERLAPPING_PAIRS: usize = 5_000_000;

/// Every pair (reference index, other index) of spans that share a code
/// point, both lists sorted by start: one sweep, each span meeting the
/// spans still open when it starts. `None` past [`MAX_OVERLAPPING_PAIRS`].
fn overlapping_pairs(a: &[Segment], b: &[Segment]) -> Option<Vec<(usize, usize)>> {
    let mut pairs = Vec::new();
    let (mut open_a, mut open_b): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j == b.len() || (i < a.len() && a[i].0 <= b[j].0);
        if take_a {
            let start = a[i].0;
            open_b.retain(|&k| b[k].1 > start);
            pairs.extend(open_b.iter().map(|&k| (i, k)));
            open_a.push(i);
            i += 1;
        } else {
            let start = b[j].0;
            open_a.retain(|&k| a[k].1 > start);
            pairs.extend(open_a.iter().map(|&k| (k, j)));
            open_b.push(j);
            j += 1;
        }
        if pairs.len() > MAX_OVERLAPPING_PAIRS {
            return None;
        }
    }
    Some(pairs)
}

/// Overlap matches of one label's spans, both sorted by (start, end);
/// `None` if they overlap in too many pairs to list.
pub(crate) fn overlap(reference: &[Segment], other: &[Segment]) -> Option<Matches> {
    let mut pairs: Vec<_> = overlapping_pairs(reference, other)?
        .into_iter()
        .map(|(i, j)| {
            let (a, b) = (reference[i], other[j]);
            let shared = a.1.min(b.1) - a.0.max(b.0);
            let apart = a.0.abs_diff(b.0) + a.1.abs_diff(b.1);
            (Reverse(shared), apart, a.min(b), a.max(b), i, j)
        })
        .collect();
    pairs.sort_unstable();
    let mut used_ref = vec![false; reference.len()];
    let mut used_other = vec![false; other.len()];
    let mut tp = 0;
    for (.., i, j) in pairs {
        if !used_ref[i] && !used_other[j] {
            used_ref[i] = true;
            used_other[j] = true;
            tp += 1;
        }
    }
    Some(Matches::of(tp, reference.len(), other.len()))
}
