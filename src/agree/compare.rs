//! Two annotators' spans on one article, told apart for a person: which
//! spans only one of them made, where they drew one span's boundaries
//! differently, and where they gave one range different labels. Only the
//! spans a person stands behind count, as in the figures ([`super::agree`]).
//! Also the pairing of two folders' annotation files by their relative
//! paths, as `tandai agree` pairs them.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::model::{Annotations, Span, SpanId};

/// How two annotators differ on one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DifferenceKind {
    /// Only the first annotator has a span here.
    OnlyOurs,
    /// Only the second annotator has a span here.
    OnlyTheirs,
    /// Both have a span of one label here, with other boundaries.
    Boundary,
    /// Both have a span on the same range, with other labels.
    Label,
}

/// One point of disagreement: the first annotator's span and the second's
/// (either may be missing), each as (id, label, range).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// What kind.
    pub kind: DifferenceKind,
    /// The first annotator's span.
    pub ours: Option<(SpanId, String, Range<usize>)>,
    /// The second annotator's span.
    pub theirs: Option<(SpanId, String, Range<usize>)>,
}

impl Difference {
    /// Where it is: the union of the two ranges.
    pub fn range(&self) -> Range<usize> {
        let rs = [&self.ours, &self.theirs];
        let start = rs.iter().flat_map(|s| s.iter()).map(|s| s.2.start).min();
        let end = rs.iter().flat_map(|s| s.iter()).map(|s| s.2.end).max();
        start.unwrap_or(0)..end.unwrap_or(0)
    }
}

fn counted(ann: &Annotations, chars: usize) -> Vec<&Span> {
    ann.spans()
        .filter(|s| super::prepare::skip(s, chars).is_none())
        .collect()
}

fn entry(s: &Span) -> (SpanId, String, Range<usize>) {
    (s.id, s.label.clone(), s.range())
}

/// Where two annotators' counted spans on an article of `chars` code
/// points differ, in text order. Spans equal in label and range agree;
/// of the rest, one of each on the same range is a relabel, one of each of
/// the same label that overlap (the largest shared length first) a
/// boundary difference, and what is left is one annotator's alone.
pub fn differences(ours: &Annotations, theirs: &Annotations, chars: usize) -> Vec<Difference> {
    let key = |s: &&Span| (s.start, s.end, s.label.clone());
    let mut a: Vec<&Span> = counted(ours, chars);
    let mut b: Vec<&Span> = counted(theirs, chars);
    // Exact agreements, one to one.
    let mut exact: BTreeMap<(usize, usize, String), usize> = BTreeMap::new();
    for s in &b {
        *exact.entry(key(s)).or_default() += 1;
    }
    a.retain(|s| match exact.get_mut(&key(s)) {
        Some(n) if *n > 0 => {
            *n -= 1;
            false
        }
        _ => true,
    });
    let mut agreed: BTreeMap<(usize, usize, String), usize> = BTreeMap::new();
    for s in counted(ours, chars) {
        *agreed.entry(key(&s)).or_default() += 1;
    }
    b.retain(|s| match agreed.get_mut(&key(s)) {
        Some(n) if *n > 0 => {
            *n -= 1;
            false
        }
        _ => true,
    });
    let mut out = Vec::new();
    let mut used = vec![false; b.len()];
    // Same range, other label.
    let mut rest = Vec::new();
    for s in a {
        match (0..b.len()).find(|&j| !used[j] && b[j].start == s.start && b[j].end == s.end) {
            Some(j) => {
                used[j] = true;
                out.push(Difference {
                    kind: DifferenceKind::Label,
                    ours: Some(entry(s)),
                    theirs: Some(entry(b[j])),
                });
            }
            None => rest.push(s),
        }
    }
    // Same label, overlapping: the largest shared length first.
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (i, s) in rest.iter().enumerate() {
        for (j, t) in b.iter().enumerate() {
            let shared = s.end.min(t.end).saturating_sub(s.start.max(t.start));
            if !used[j] && s.label == t.label && shared > 0 {
                pairs.push((shared, i, j));
            }
        }
    }
    pairs.sort_by_key(|&(shared, i, j)| (std::cmp::Reverse(shared), i, j));
    let mut taken = vec![false; rest.len()];
    for (_, i, j) in pairs {
        if taken[i] || used[j] {
            continue;
        }
        taken[i] = true;
        used[j] = true;
        out.push(Difference {
            kind: DifferenceKind::Boundary,
            ours: Some(entry(rest[i])),
            theirs: Some(entry(b[j])),
        });
    }
    for (i, s) in rest.iter().enumerate() {
        if !taken[i] {
            out.push(Difference {
                kind: DifferenceKind::OnlyOurs,
                ours: Some(entry(s)),
                theirs: None,
            });
        }
    }
    for (j, t) in b.iter().enumerate() {
        if !used[j] {
            out.push(Difference {
                kind: DifferenceKind::OnlyTheirs,
                ours: None,
                theirs: Some(entry(t)),
            });
        }
    }
    out.sort_by_key(|d| (d.range().start, d.range().end, d.kind));
    out
}

/// Two folders' annotation files paired by relative path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FolderPairs {
    /// (the relative path, the first folder's file, the second's), in
    /// path order.
    pub pairs: Vec<(PathBuf, PathBuf, PathBuf)>,
    /// The relative paths only one folder has.
    pub alone: Vec<PathBuf>,
}

/// The annotation files two folders both have, by relative path, and the
/// ones only one of them has.
pub fn pair_folders(a: &Path, b: &Path) -> std::io::Result<FolderPairs> {
    let rel = |dir: &Path| -> std::io::Result<BTreeMap<PathBuf, PathBuf>> {
        Ok(crate::walk::files(dir, &crate::store::is_annotation_file)?
            .into_iter()
            .filter_map(|f| Some((f.strip_prefix(dir).ok()?.to_owned(), f)))
            .collect())
    };
    let (mut x, mut y) = (rel(a)?, rel(b)?);
    let mut pairs = Vec::new();
    let mut alone = Vec::new();
    for (k, fa) in std::mem::take(&mut x) {
        match y.remove(&k) {
            Some(fb) => pairs.push((k, fa, fb)),
            None => alone.push(k),
        }
    }
    alone.extend(y.into_keys());
    alone.sort();
    Ok(FolderPairs { pairs, alone })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocumentRef, Origin};
    use crate::offsets::Text;

    const TEXT: &str = "Polisi mengatakan kapal itu karam. Pemilik kapal membantah.";

    fn ann(spans: &[(u64, &str, &str)]) -> Annotations {
        let t = Text::new(TEXT.to_owned());
        let mut a = Annotations::new(DocumentRef::default());
        for &(id, label, quote) in spans {
            let b = TEXT.find(quote).unwrap();
            let s = TEXT[..b].chars().count();
            let r = s..s + quote.chars().count();
            let span = Span::new_in(&t, SpanId(id), label, r, Origin::default()).unwrap();
            a.insert_span(span).unwrap();
        }
        a
    }

    #[test]
    fn every_kind_of_difference_is_found_once_in_text_order() {
        let ours = ann(&[
            (1, "source", "Polisi"),
            (2, "claim", "kapal itu karam"),
            (3, "source", "Pemilik kapal"),
            (4, "denial", "membantah"),
        ]);
        let theirs = ann(&[
            (7, "source", "Polisi"),
            (8, "claim", "kapal itu karam."),
            (9, "claim", "Pemilik kapal"),
        ]);
        let n = TEXT.chars().count();
        let d = differences(&ours, &theirs, n);
        let kinds: Vec<DifferenceKind> = d.iter().map(|x| x.kind).collect();
        assert_eq!(
            kinds,
            [
                DifferenceKind::Boundary,
                DifferenceKind::Label,
                DifferenceKind::OnlyOurs
            ]
        );
        assert_eq!(d[1].ours.as_ref().unwrap().1, "source");
        assert_eq!(d[1].theirs.as_ref().unwrap().1, "claim");
        // Swapped, the same places with the sides swapped.
        let back = differences(&theirs, &ours, n);
        assert_eq!(back.len(), 3);
        assert_eq!(back[2].kind, DifferenceKind::OnlyTheirs);
        // Oneself: nothing.
        assert!(differences(&ours, &ours, n).is_empty());
    }
}
