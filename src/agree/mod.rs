//! Agreement between annotators: how far two or more annotation sets of the
//! same article (or corpus) agree, per label and over all labels, with
//! every figure a paper reports.
//!
//! **What counts.** Only the spans a person stands behind: human spans, and
//! machine spans a reviewer accepted or corrected. Pending and rejected
//! machine spans are left out and counted as skipped, and so are spans with
//! no place in the article (orphans, empty or out-of-range offsets), and
//! links with an end that does not count.
//!
//! **Measures** (the first annotator is the reference):
//!
//! - span precision, recall and F1 with their counts, for `exact` matches
//!   (same start, end and label) and `overlap` matches (same label, at least
//!   one shared code point, one to one, largest shared length first: see
//!   [Matching spans](self#matching-spans)), per label and micro (counted
//!   over all labels);
//! - Cohen's kappa (two annotators) or Fleiss' kappa (three or more) over
//!   code points, per label: each code point is an item whose value is
//!   whether a span of the label covers it;
//! - Krippendorff's unitized alpha (`alpha_U`) per label, and over all labels,
//!   as DKPro Agreement computes it (`alpha.rs` is a port of its
//!   `KrippendorffAlphaUnitizingAgreement.java`, and says where it departs:
//!   only where DKPro gives a number that carries no information);
//! - links: precision, recall and F1, a link matching one of the same kind
//!   whose ends match exactly; over all kinds and per kind.
//!
//! With three or more annotators, `exact`, `overlap` and links are computed
//! for each pair (the earlier annotator its reference): their counts add
//! up, and precision, recall and F1 are the means of the pairs' figures.
//!
//! **Corpus.** Documents are compared one by one and counted together: code
//! points and matches add up, and `alpha_U` sees one continuum, the documents
//! one after another in the order given. [`agree_each`] gives each
//! document's own figures.
//!
//! A figure that is undefined (no spans to divide by, a kappa with only one
//! value, `alpha_U` over overlapping spans of one annotator) is
//! [`Figure::Undefined`] with the reason, never a number.
//!
//! # Matching spans
//!
//! Exact matches pair spans with equal (label, start, end), as many times as
//! both annotators have them. Overlap matching lists every pair of spans of
//! one label that share a code point and takes the pairs with the largest
//! shared length first, each span at most once; among pairs that share as
//! much, closer boundaries (|Δstart| + |Δend|) go first, then the pair that
//! comes first in the text. Every key treats both annotators alike, so
//! swapping them swaps precision and recall.

mod alpha;
mod compare;
mod kappa;
mod prepare;
mod report;
mod spans;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_krippendorff;
#[cfg(test)]
mod tests_props;

use std::collections::BTreeMap;

pub use compare::{Difference, DifferenceKind, FolderPairs, differences, pair_folders};
pub use prepare::{Skip, Skipped, skip};
pub use report::{
    AlphaU, Figure, KappaKind, LabelReport, LinkReport, MicroReport, PairReport, Prf, Report,
};
pub use spans::Matches;

use crate::model::{Annotations, Origin};
use alpha::{AlphaProblem, Disagreement, Segment};
use kappa::KappaProblem;
use prepare::Prepared;

/// One document as every annotator annotated it.
#[derive(Clone, Debug)]
pub struct Document<'a> {
    /// How the document is named in reasons and reports (its path).
    pub name: String,
    /// Its length in code points.
    pub chars: usize,
    /// One annotation set per annotator, in the annotators' order.
    pub annotations: Vec<&'a Annotations>,
}

/// Why a study could not be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AgreeError {
    /// Fewer than two annotators.
    #[error("agreement needs at least two annotators, got {0}")]
    TooFewAnnotators(usize),
    /// Two annotators with one name.
    #[error("two annotators are both named {0:?}")]
    DuplicateName(String),
    /// A document without one annotation set per annotator.
    #[error("{document}: {sets} annotation sets for {annotators} annotators")]
    SetsPerDocument {
        /// The document.
        document: String,
        /// Sets it has.
        sets: usize,
        /// Annotators named.
        annotators: usize,
    },
}

fn validate(annotators: &[String], documents: &[Document<'_>]) -> Result<(), AgreeError> {
    if annotators.len() < 2 {
        return Err(AgreeError::TooFewAnnotators(annotators.len()));
    }
    for (i, a) in annotators.iter().enumerate() {
        if annotators[..i].contains(a) {
            return Err(AgreeError::DuplicateName(a.clone()));
        }
    }
    if let Some(d) = documents
        .iter()
        .find(|d| d.annotations.len() != annotators.len())
    {
        return Err(AgreeError::SetsPerDocument {
            document: d.name.clone(),
            sets: d.annotations.len(),
            annotators: annotators.len(),
        });
    }
    Ok(())
}

/// The figures of the documents taken together (one continuum, in the
/// order given).
pub fn agree(annotators: &[String], documents: &[Document<'_>]) -> Result<Report, AgreeError> {
    validate(annotators, documents)?;
    let prepared = prepare::prepare(documents, annotators.len());
    Ok(measure(annotators, &prepared, documents.len()))
}

/// The figures of each document on its own, in the order given.
pub fn agree_each(
    annotators: &[String],
    documents: &[Document<'_>],
) -> Result<Vec<Report>, AgreeError> {
    validate(annotators, documents)?;
    Ok(documents
        .iter()
        .map(|d| {
            let prepared = prepare::prepare(std::slice::from_ref(d), annotators.len());
            measure(annotators, &prepared, 1)
        })
        .collect())
}

/// The name an annotator's spans carry, if they agree on one: the annotator
/// of each human span and the reviewer of each reviewed machine span
/// (empty names ignored). `None` if there is none, or more than one.
pub fn annotator_name<'a>(sets: impl IntoIterator<Item = &'a Annotations>) -> Option<String> {
    let mut found: Option<&str> = None;
    for ann in sets {
        for s in ann.spans() {
            let name = match &s.origin {
                Origin::Human { annotator } => annotator.as_str(),
                Origin::Machine { .. } => s.reviewer.as_deref().unwrap_or(""),
            };
            if name.is_empty() {
                continue;
            }
            match found {
                None => found = Some(name),
                Some(f) if f == name => {}
                Some(_) => return None,
            }
        }
    }
    found.map(str::to_owned)
}

/// Annotators' names as `tandai agree` (and `tandai merge`, and the app)
/// give them: the name their spans carry (`carried`, see
/// [`annotator_name`]), else their file's or folder's stem; names that
/// clash fall back to the stems, then to the paths as given (`args`, where
/// those differ), then get a number (`a`, `a#2`).
pub fn unique_names(
    carried: Vec<Option<String>>,
    stems: &[String],
    args: &[String],
) -> Vec<String> {
    let mut names: Vec<String> = (carried.into_iter().zip(stems))
        .map(|(c, stem)| c.unwrap_or_else(|| stem.clone()))
        .collect();
    let clashing = |names: &[String]| -> Vec<usize> {
        (0..names.len())
            .filter(|&i| names.iter().filter(|n| **n == names[i]).count() > 1)
            .collect()
    };
    for i in clashing(&names) {
        names[i].clone_from(&stems[i]);
    }
    // Stems alike (`a/x.tandai.ron`, `b/x.tandai.ron`): the paths, where
    // they differ.
    let same_args: Vec<usize> = clashing(args);
    for i in clashing(&names) {
        if !same_args.contains(&i) {
            names[i].clone_from(&args[i]);
        }
    }
    for i in 0..names.len() {
        if names[..i].contains(&names[i]) {
            names[i] = format!("{}#{}", names[i], i + 1);
        }
    }
    names
}

/// Each pair of annotators, the earlier first.
fn pairs(n: usize) -> Vec<(usize, usize)> {
    (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .collect()
}

/// One pair's figures, or the mean of several pairs'.
fn combine(mut prfs: Vec<Prf>, what: &str) -> Prf {
    if prfs.len() == 1 {
        prfs.swap_remove(0)
    } else {
        Prf::mean(&prfs, what)
    }
}

fn kappa_figure(units: &[&[Segment]], items: usize, label: &str) -> Figure {
    let coverages: Vec<Vec<Segment>> = units.iter().map(|u| kappa::coverage(u)).collect();
    match kappa::kappa(&coverages, items) {
        Ok(k) if k.is_finite() => Figure::Value(k),
        Ok(_) | Err(KappaProblem::TooLarge) => {
            Figure::Undefined("the counts are too large to compute kappa".into())
        }
        Err(KappaProblem::NoItems) => Figure::Undefined("there are no code points".into()),
        Err(KappaProblem::OneValue { covered: false }) => {
            Figure::Undefined(format!("no annotator has {label} spans"))
        }
        Err(KappaProblem::OneValue { covered: true }) => Figure::Undefined(format!(
            "every annotator's {label} spans cover every code point"
        )),
    }
}

/// Why `alpha_U` is undefined, for people.
fn alpha_reason(problem: &AlphaProblem, label: &str, names: &[String], p: &Prepared) -> String {
    match problem {
        AlphaProblem::EmptyContinuum => "there are no code points".into(),
        AlphaProblem::NoUnits => format!("no annotator has {label} spans"),
        AlphaProblem::TooLarge => "the sums are too large to compute alpha_U".into(),
        AlphaProblem::Overlap {
            rater,
            first,
            second,
        } => {
            let (doc, a) = p.locate(first.0);
            let b = a + (first.1 - first.0);
            let c = a + (second.0 - first.0);
            let d = c + (second.1 - second.0);
            let name = names.get(*rater).map_or("?", String::as_str);
            let place = if p.starts.len() > 1 {
                format!(" in {doc}")
            } else {
                String::new()
            };
            format!("annotator {name} has overlapping {label} spans ({a}..{b} and {c}..{d}{place})")
        }
    }
}

/// `alpha_U` of one label, and its disagreements for the study's figure.
fn alpha_of(
    units: &[&[Segment]],
    label: &str,
    names: &[String],
    p: &Prepared,
) -> (AlphaU, Result<Disagreement, String>) {
    match alpha::disagreement(units, p.length) {
        Ok(d) => {
            let alpha = alpha::category_alpha(d).map_or_else(
                || {
                    Figure::Undefined(format!(
                        "the expected disagreement is 0: every annotator's {label} spans cover every code point"
                    ))
                },
                Figure::Value,
            );
            let report = AlphaU {
                alpha,
                disagreement: Some((d.observed, d.expected)),
            };
            (report, Ok(d))
        }
        Err(problem) => {
            let why = alpha_reason(&problem, label, names, p);
            let report = AlphaU {
                alpha: Figure::Undefined(why.clone()),
                disagreement: None,
            };
            (report, Err(why))
        }
    }
}

/// `alpha_U` of the study over every label (DKPro's overall figure).
fn study_alpha(labels: &[Result<Disagreement, String>]) -> AlphaU {
    if let Some(Err(why)) = labels.iter().find(|d| d.is_err()) {
        return AlphaU {
            alpha: Figure::Undefined(why.clone()),
            disagreement: None,
        };
    }
    let ds: Vec<Disagreement> = labels.iter().filter_map(|d| d.clone().ok()).collect();
    let n = ds.len() as f64;
    let disagreement = (!ds.is_empty()).then(|| {
        (
            ds.iter().map(|d| d.observed).sum::<f64>() / n,
            ds.iter().map(|d| d.expected).sum::<f64>() / n,
        )
    });
    let alpha = match alpha::study_alpha(&ds) {
        Some(a) => Figure::Value(a),
        None if ds.is_empty() => Figure::Undefined("no annotator has spans".into()),
        None => Figure::Undefined(
            "the expected disagreement is 0: every annotator covers every code point with every label".into(),
        ),
    };
    AlphaU {
        alpha,
        disagreement,
    }
}

/// Why overlap matching was not attempted.
fn too_many(label: &str, a: &str, b: &str) -> String {
    format!(
        "{a}'s and {b}'s {label} spans overlap in more than {} pairs; overlap matching is not attempted",
        spans::MAX_OVERLAPPING_PAIRS
    )
}

/// Span matches of every pair for one label: per pair (exact, overlap).
fn label_matches(
    units: &[&[Segment]],
    pairs: &[(usize, usize)],
) -> Vec<(Matches, Option<Matches>)> {
    pairs
        .iter()
        .map(|&(i, j)| {
            (
                spans::exact(units[i], units[j]),
                spans::overlap(units[i], units[j]),
            )
        })
        .collect()
}

/// Links of every pair, over all kinds and per kind; and each pair's
/// figures over all kinds.
fn link_report(names: &[String], p: &Prepared, pairs: &[(usize, usize)]) -> (LinkReport, Vec<Prf>) {
    let of_kind = |side: usize, k: u32| {
        let links = &p.sides[side].links;
        let from = links.partition_point(|l| l.0 < k);
        let to = links.partition_point(|l| l.0 <= k);
        &links[from..to]
    };
    let prfs = |what: &str, kind: Option<u32>| -> Vec<Prf> {
        pairs
            .iter()
            .map(|&(i, j)| {
                let (a, b) = match kind {
                    Some(k) => (of_kind(i, k), of_kind(j, k)),
                    None => (p.sides[i].links.as_slice(), p.sides[j].links.as_slice()),
                };
                let m = Matches::of(spans::common(a, b), a.len(), b.len());
                Prf::of(m, what, &names[i], &names[j])
            })
            .collect()
    };
    let kinds = (p.kinds.iter().enumerate())
        .map(|(k, name)| {
            let what = format!("{name} links");
            (name.clone(), combine(prfs(&what, Some(k as u32)), &what))
        })
        .collect();
    let all = prfs("links", None);
    let report = LinkReport {
        links: p.sides.iter().map(|s| s.links.len()).collect(),
        all: combine(all.clone(), "links"),
        kinds,
    };
    (report, all)
}

/// Every figure of a prepared study.
fn measure(names: &[String], p: &Prepared, documents: usize) -> Report {
    let pairs = pairs(names.len());
    let mut labels = BTreeMap::new();
    let mut per_pair: Vec<BTreeMap<String, (Prf, Prf)>> = vec![BTreeMap::new(); pairs.len()];
    let mut micro: Vec<(Matches, Result<Matches, String>)> =
        vec![(Matches::default(), Ok(Matches::default())); pairs.len()];
    let mut disagreements = Vec::with_capacity(p.labels.len());
    for (li, label) in p.labels.iter().enumerate() {
        let units: Vec<&[Segment]> = p.sides.iter().map(|s| s.by_label[li].as_slice()).collect();
        let what = format!("{label} spans");
        let (mut exact, mut overlap) = (Vec::new(), Vec::new());
        for (k, (e, o)) in label_matches(&units, &pairs).into_iter().enumerate() {
            let (i, j) = pairs[k];
            let pe = Prf::of(e, &what, &names[i], &names[j]);
            let po = match o {
                Some(o) => Prf::of(o, &what, &names[i], &names[j]),
                None => Prf::undefined(&too_many(label, &names[i], &names[j])),
            };
            micro[k].0 = micro[k].0 + e;
            micro[k].1 = match (&micro[k].1, o) {
                (Ok(sum), Some(o)) => Ok(*sum + o),
                (Err(why), _) => Err(why.clone()),
                (Ok(_), None) => Err(too_many(label, &names[i], &names[j])),
            };
            per_pair[k].insert(label.clone(), (pe.clone(), po.clone()));
            exact.push(pe);
            overlap.push(po);
        }
        let (alpha_u, d) = alpha_of(&units, label, names, p);
        disagreements.push(d);
        let report = LabelReport {
            spans: units.iter().map(|u| u.len()).collect(),
            exact: combine(exact, &what),
            overlap: combine(overlap, &what),
            kappa: kappa_figure(&units, p.length, label),
            alpha_u,
        };
        labels.insert(label.clone(), report);
    }
    let pair_micro: Vec<(Prf, Prf)> = (pairs.iter().zip(&micro))
        .map(|(&(i, j), (e, o))| {
            let o = match o {
                Ok(o) => Prf::of(*o, "spans", &names[i], &names[j]),
                Err(why) => Prf::undefined(why),
            };
            (Prf::of(*e, "spans", &names[i], &names[j]), o)
        })
        .collect();
    let (links, pair_links) = link_report(names, p, &pairs);
    let micro_report = MicroReport {
        spans: p
            .sides
            .iter()
            .map(|s| s.by_label.iter().map(Vec::len).sum())
            .collect(),
        exact: combine(pair_micro.iter().map(|m| m.0.clone()).collect(), "spans"),
        overlap: combine(pair_micro.iter().map(|m| m.1.clone()).collect(), "spans"),
        alpha_u: study_alpha(&disagreements),
    };
    let pair_reports = if pairs.len() > 1 {
        (pairs.iter().zip(per_pair).zip(pair_micro).zip(pair_links))
            .map(|(((&(i, j), labels), micro), links)| PairReport {
                reference: i,
                other: j,
                labels,
                micro,
                links,
            })
            .collect()
    } else {
        Vec::new()
    };
    Report {
        annotators: names.to_vec(),
        documents,
        code_points: p.length,
        kappa: if names.len() == 2 {
            KappaKind::Cohen
        } else {
            KappaKind::Fleiss
        },
        labels,
        micro: micro_report,
        links,
        skipped: p.sides.iter().map(|s| s.skipped).collect(),
        pairs: pair_reports,
    }
}
