//! From annotation sets to what the measures read: each annotator's
//! counted spans per label on one continuum, their links, and what was
//! left out.

use std::collections::{BTreeMap, BTreeSet};

use super::Document;
use super::alpha::Segment;
use crate::model::{Annotations, Origin, Span, Status};

/// Spans and links an annotator's files hold that do not count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    /// Machine spans not reviewed yet.
    pub pending: usize,
    /// Machine spans a reviewer rejected.
    pub rejected: usize,
    /// Spans with no place in the article: orphans (their quote was not
    /// found), and offsets that are empty or out of range.
    pub unplaced: usize,
    /// Links with an end that does not count (skipped or missing).
    pub links: usize,
}

impl std::ops::Add for Skipped {
    type Output = Skipped;

    fn add(self, o: Skipped) -> Skipped {
        Skipped {
            pending: self.pending + o.pending,
            rejected: self.rejected + o.rejected,
            unplaced: self.unplaced + o.unplaced,
            links: self.links + o.links,
        }
    }
}

/// Why a span does not count, if it does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    /// A machine span not reviewed yet.
    Pending,
    /// A machine span a reviewer rejected.
    Rejected,
    /// An orphan, or offsets that are empty or outside the article.
    Unplaced,
}

impl Skipped {
    /// Counts one span left out for `why`.
    pub fn count(&mut self, why: Skip) {
        match why {
            Skip::Pending => self.pending += 1,
            Skip::Rejected => self.rejected += 1,
            Skip::Unplaced => self.unplaced += 1,
        }
    }
}

/// Only what a person stands behind counts: human spans, and machine spans
/// a reviewer accepted or corrected; and only where they lie in the text
/// (of `chars` code points). `None`: it counts.
pub fn skip(span: &Span, chars: usize) -> Option<Skip> {
    if let Origin::Machine { .. } = span.origin {
        match span.status {
            Some(Status::Accepted | Status::Corrected) => {}
            Some(Status::Rejected) => return Some(Skip::Rejected),
            Some(Status::Pending) | None => return Some(Skip::Pending),
        }
    }
    if span.orphan || span.start >= span.end || span.end > chars {
        return Some(Skip::Unplaced);
    }
    None
}

/// A link's key: kind, then both ends as (label, start, end).
pub(crate) type LinkKey = (u32, (u32, usize, usize), (u32, usize, usize));

/// One annotator's counted spans and links on the continuum.
#[derive(Clone, Debug, Default)]
pub(crate) struct Side {
    /// Spans per label index, sorted by (start, end).
    pub by_label: Vec<Vec<Segment>>,
    /// Links, sorted.
    pub links: Vec<LinkKey>,
    /// What was left out.
    pub skipped: Skipped,
}

/// The corpus as the measures see it.
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    /// Labels of counted spans, sorted; a label's index is its place here.
    pub labels: Vec<String>,
    /// Kinds of counted links, sorted.
    pub kinds: Vec<String>,
    /// Code points of all documents.
    pub length: usize,
    /// Where each document starts on the continuum, and its name.
    pub starts: Vec<(usize, String)>,
    /// One per annotator.
    pub sides: Vec<Side>,
}

impl Prepared {
    /// The document holding continuum position `pos`, and `pos` in it.
    pub fn locate(&self, pos: usize) -> (&str, usize) {
        let i = self.starts.partition_point(|(s, _)| *s <= pos).max(1) - 1;
        self.starts
            .get(i)
            .map_or(("", pos), |(s, name)| (name.as_str(), pos - s))
    }
}

/// Labels of counted spans and kinds of counted links, sorted.
fn names(documents: &[Document<'_>]) -> (Vec<String>, Vec<String>) {
    let mut labels = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    for d in documents {
        for ann in &d.annotations {
            for s in ann.spans() {
                if skip(s, d.chars).is_none() {
                    labels.insert(s.label.as_str());
                }
            }
            for l in ann.links() {
                if counted_end(ann, l.from, d.chars).is_some()
                    && counted_end(ann, l.to, d.chars).is_some()
                {
                    kinds.insert(l.kind.as_str());
                }
            }
        }
    }
    let own = |s: BTreeSet<&str>| s.into_iter().map(str::to_owned).collect();
    (own(labels), own(kinds))
}

fn counted_end(ann: &Annotations, id: crate::model::SpanId, chars: usize) -> Option<&Span> {
    ann.span(id).filter(|s| skip(s, chars).is_none())
}

/// Adds one document's annotation set, starting at `offset`, to `side`.
fn add(
    side: &mut Side,
    ann: &Annotations,
    chars: usize,
    offset: usize,
    index: &(BTreeMap<&str, u32>, BTreeMap<&str, u32>),
) {
    let (labels, kinds) = index;
    for s in ann.spans() {
        match skip(s, chars) {
            None => {
                if let Some(&l) = labels.get(s.label.as_str()) {
                    side.by_label[l as usize].push((offset + s.start, offset + s.end));
                }
            }
            Some(why) => side.skipped.count(why),
        }
    }
    let key = |s: &Span| {
        labels
            .get(s.label.as_str())
            .map(|&l| (l, offset + s.start, offset + s.end))
    };
    for l in ann.links() {
        let ends = counted_end(ann, l.from, chars).zip(counted_end(ann, l.to, chars));
        let link =
            ends.and_then(|(from, to)| Some((*kinds.get(l.kind.as_str())?, key(from)?, key(to)?)));
        match link {
            Some(k) => side.links.push(k),
            None => side.skipped.links += 1,
        }
    }
}

/// Each name's index.
fn index(v: &[String]) -> BTreeMap<&str, u32> {
    v.iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i as u32))
        .collect()
}

/// The documents on one continuum, in the order given, for `annotators`
/// annotators (each document holds one annotation set per annotator).
pub(crate) fn prepare(documents: &[Document<'_>], annotators: usize) -> Prepared {
    let (labels, kinds) = names(documents);
    let index = (index(&labels), index(&kinds));
    let mut sides = vec![
        Side {
            by_label: vec![Vec::new(); labels.len()],
            ..Side::default()
        };
        annotators
    ];
    let mut starts = Vec::with_capacity(documents.len());
    let mut offset = 0;
    for d in documents {
        starts.push((offset, d.name.clone()));
        for (side, ann) in sides.iter_mut().zip(&d.annotations) {
            add(side, ann, d.chars, offset, &index);
        }
        offset += d.chars;
    }
    for side in &mut sides {
        for spans in &mut side.by_label {
            spans.sort_unstable();
        }
        side.links.sort_unstable();
    }
    Prepared {
        labels,
        kinds,
        length: offset,
        starts,
        sides,
    }
}
