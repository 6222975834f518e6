//! The figures of an agreement study and their JSON form.
//!
//! An undefined figure is never a number (no NaN, no 0 standing in for
//! "nothing to say"): it is [`Figure::Undefined`] with the reason, written
//! in JSON as `null` beside a `<name>_undefined` field holding the reason.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::prepare::Skipped;
use super::spans::Matches;

/// One figure, or why there is none.
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    /// The figure (finite).
    Value(f64),
    /// Why it is undefined, in a few words for people.
    Undefined(String),
}

impl Figure {
    /// The value, if defined.
    pub fn value(&self) -> Option<f64> {
        match self {
            Figure::Value(v) => Some(*v),
            Figure::Undefined(_) => None,
        }
    }

    /// Why it is undefined, if it is.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Figure::Value(_) => None,
            Figure::Undefined(why) => Some(why),
        }
    }

    /// `num / den`, undefined for `why` if `den` is 0.
    pub(crate) fn ratio(num: usize, den: usize, why: impl FnOnce() -> String) -> Figure {
        if den == 0 {
            Figure::Undefined(why())
        } else {
            Figure::Value(num as f64 / den as f64)
        }
    }

    /// The mean of the defined figures, undefined for `why` if none is.
    pub(crate) fn mean<'a>(
        figures: impl IntoIterator<Item = &'a Figure>,
        why: impl FnOnce() -> String,
    ) -> Figure {
        let values: Vec<f64> = figures.into_iter().filter_map(Figure::value).collect();
        if values.is_empty() {
            Figure::Undefined(why())
        } else {
            Figure::Value(values.iter().sum::<f64>() / values.len() as f64)
        }
    }

    /// Writes `key` (and `key_undefined` with the reason) into `m`.
    pub(crate) fn put(&self, m: &mut Map<String, Value>, key: &str) {
        match self {
            Figure::Value(v) => {
                m.insert(key.to_owned(), json!(v));
            }
            Figure::Undefined(why) => {
                m.insert(key.to_owned(), Value::Null);
                m.insert(format!("{key}_undefined"), json!(why));
            }
        }
    }
}

/// Precision, recall and F1 of one kind of match, with their counts.
///
/// With two annotators: `p = tp / (tp + fp)`, `r = tp / (tp + fn)`,
/// `f1 = 2 tp / (2 tp + fp + fn)`, the first annotator the reference. With
/// three or more: the counts add up over the pairs of annotators (the
/// earlier one of each pair its reference) and `p`, `r`, `f1` are the means
/// of the pairs' figures, over the pairs where they are defined.
#[derive(Clone, Debug, PartialEq)]
pub struct Prf {
    /// Matched pairs.
    pub tp: usize,
    /// The other annotator's, unmatched.
    pub fp: usize,
    /// The reference's, unmatched.
    pub fn_: usize,
    /// Precision.
    pub p: Figure,
    /// Recall.
    pub r: Figure,
    /// F1.
    pub f1: Figure,
}

impl Prf {
    /// The figures of one pair; `what` names the items ("claim spans").
    pub(crate) fn of(m: Matches, what: &str, reference: &str, other: &str) -> Prf {
        Prf {
            tp: m.tp,
            fp: m.fp,
            fn_: m.fn_,
            p: Figure::ratio(m.tp, m.tp + m.fp, || format!("{other} has no {what}")),
            r: Figure::ratio(m.tp, m.tp + m.fn_, || format!("{reference} has no {what}")),
            f1: Figure::ratio(2 * m.tp, 2 * m.tp + m.fp + m.fn_, || {
                format!("neither {reference} nor {other} has {what}")
            }),
        }
    }

    /// No figures, for `why`.
    pub(crate) fn undefined(why: &str) -> Prf {
        Prf {
            tp: 0,
            fp: 0,
            fn_: 0,
            p: Figure::Undefined(why.to_owned()),
            r: Figure::Undefined(why.to_owned()),
            f1: Figure::Undefined(why.to_owned()),
        }
    }

    /// Several pairs' figures in one: counts added, figures averaged.
    pub(crate) fn mean(pairs: &[Prf], what: &str) -> Prf {
        let none = |f: &'static str| move || format!("{f} is undefined for every pair: no {what}");
        Prf {
            tp: pairs.iter().map(|p| p.tp).sum(),
            fp: pairs.iter().map(|p| p.fp).sum(),
            fn_: pairs.iter().map(|p| p.fn_).sum(),
            p: Figure::mean(pairs.iter().map(|p| &p.p), none("precision")),
            r: Figure::mean(pairs.iter().map(|p| &p.r), none("recall")),
            f1: Figure::mean(pairs.iter().map(|p| &p.f1), none("F1")),
        }
    }

    /// `{"tp", "fp", "fn", "p", "r", "f1"}`.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("tp".into(), json!(self.tp));
        m.insert("fp".into(), json!(self.fp));
        m.insert("fn".into(), json!(self.fn_));
        self.p.put(&mut m, "p");
        self.r.put(&mut m, "r");
        self.f1.put(&mut m, "f1");
        Value::Object(m)
    }
}

/// `alpha_U` of one label (or of all labels), with the disagreements it
/// comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct AlphaU {
    /// `alpha_U`.
    pub alpha: Figure,
    /// Observed and expected disagreement (`D_o`, `D_e`), where they could be
    /// computed.
    pub disagreement: Option<(f64, f64)>,
}

impl AlphaU {
    fn put(&self, m: &mut Map<String, Value>) {
        self.alpha.put(m, "alpha_u");
        if let Some((observed, expected)) = self.disagreement {
            m.insert(
                "alpha_u_disagreement".into(),
                json!({"observed": observed, "expected": expected}),
            );
        }
    }
}

/// The figures of one label.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelReport {
    /// Counted spans of this label, per annotator.
    pub spans: Vec<usize>,
    /// Exact matches.
    pub exact: Prf,
    /// Overlap matches.
    pub overlap: Prf,
    /// Cohen's kappa (two annotators) or Fleiss' (more), over code points.
    pub kappa: Figure,
    /// Krippendorff's `alpha_U`.
    pub alpha_u: AlphaU,
}

/// The figures over all labels.
#[derive(Clone, Debug, PartialEq)]
pub struct MicroReport {
    /// Counted spans, per annotator.
    pub spans: Vec<usize>,
    /// Exact matches, counted over all labels.
    pub exact: Prf,
    /// Overlap matches, counted over all labels.
    pub overlap: Prf,
    /// `alpha_U` of the study with every label (DKPro's overall figure).
    pub alpha_u: AlphaU,
}

/// Links matched by kind and exact ends.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkReport {
    /// Counted links, per annotator.
    pub links: Vec<usize>,
    /// All kinds.
    pub all: Prf,
    /// Per kind.
    pub kinds: BTreeMap<String, Prf>,
}

/// One pair of annotators (reported with three or more).
#[derive(Clone, Debug, PartialEq)]
pub struct PairReport {
    /// The reference (index into the annotators).
    pub reference: usize,
    /// The other one.
    pub other: usize,
    /// Exact and overlap matches per label.
    pub labels: BTreeMap<String, (Prf, Prf)>,
    /// Exact and overlap matches over all labels.
    pub micro: (Prf, Prf),
    /// Links.
    pub links: Prf,
}

/// Whose kappa the labels' `kappa` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KappaKind {
    /// Cohen's, two annotators.
    Cohen,
    /// Fleiss', three or more.
    Fleiss,
}

impl KappaKind {
    /// `cohen` or `fleiss`.
    pub fn name(self) -> &'static str {
        match self {
            KappaKind::Cohen => "cohen",
            KappaKind::Fleiss => "fleiss",
        }
    }
}

/// Every figure of one study: a document or a corpus.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The annotators' names; the first is the reference.
    pub annotators: Vec<String>,
    /// Documents compared.
    pub documents: usize,
    /// Code points of all of them (the items of kappa, the continuum of
    /// `alpha_U`).
    pub code_points: usize,
    /// Which kappa `kappa` is.
    pub kappa: KappaKind,
    /// Per label of any counted span, sorted by name.
    pub labels: BTreeMap<String, LabelReport>,
    /// Over all labels.
    pub micro: MicroReport,
    /// Links.
    pub links: LinkReport,
    /// Spans and links left out, per annotator.
    pub skipped: Vec<Skipped>,
    /// Each pair of annotators, the earlier the reference (empty with two:
    /// the figures above are that pair's).
    pub pairs: Vec<PairReport>,
}

impl Report {
    fn by_annotator<T: Into<Value> + Copy>(&self, v: &[T]) -> Value {
        Value::Object(
            self.annotators
                .iter()
                .zip(v)
                .map(|(n, c)| (n.clone(), (*c).into()))
                .collect(),
        )
    }

    fn label_json(&self, l: &LabelReport) -> Value {
        let mut m = Map::new();
        m.insert("spans".into(), self.by_annotator(&l.spans));
        m.insert("exact".into(), l.exact.to_json());
        m.insert("overlap".into(), l.overlap.to_json());
        l.kappa.put(&mut m, "kappa");
        l.alpha_u.put(&mut m);
        Value::Object(m)
    }

    fn skipped_json(&self) -> Value {
        let total = self.skipped.iter().fold(Skipped::default(), |a, s| a + *s);
        let one = |s: &Skipped| {
            json!({"pending": s.pending, "rejected": s.rejected,
                   "unplaced": s.unplaced, "links": s.links})
        };
        let mut m = match one(&total) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        let by: Map<String, Value> = self
            .annotators
            .iter()
            .zip(&self.skipped)
            .map(|(n, s)| (n.clone(), one(s)))
            .collect();
        m.insert("by_annotator".into(), Value::Object(by));
        Value::Object(m)
    }

    fn pair_json(&self, p: &PairReport) -> Value {
        let name = |i: usize| self.annotators.get(i).cloned().unwrap_or_default();
        let labels: Map<String, Value> = p
            .labels
            .iter()
            .map(|(l, (e, o))| {
                (
                    l.clone(),
                    json!({"exact": e.to_json(), "overlap": o.to_json()}),
                )
            })
            .collect();
        json!({
            "reference": name(p.reference),
            "other": name(p.other),
            "labels": labels,
            "micro": {"exact": p.micro.0.to_json(), "overlap": p.micro.1.to_json()},
            "links": p.links.to_json(),
        })
    }

    /// The report as one JSON object (`tandai agree --json`).
    pub fn to_json(&self) -> Value {
        let labels: Map<String, Value> = self
            .labels
            .iter()
            .map(|(k, l)| (k.clone(), self.label_json(l)))
            .collect();
        let mut micro = Map::new();
        micro.insert("spans".into(), self.by_annotator(&self.micro.spans));
        micro.insert("exact".into(), self.micro.exact.to_json());
        micro.insert("overlap".into(), self.micro.overlap.to_json());
        self.micro.alpha_u.put(&mut micro);
        let mut links = match self.links.all.to_json() {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        links.insert("links".into(), self.by_annotator(&self.links.links));
        let kinds: Map<String, Value> = (self.links.kinds.iter())
            .map(|(k, p)| (k.clone(), p.to_json()))
            .collect();
        links.insert("kinds".into(), Value::Object(kinds));
        let mut out = json!({
            "annotators": self.annotators,
            "reference": self.annotators.first(),
            "documents": self.documents,
            "code_points": self.code_points,
            "kappa_measure": self.kappa.name(),
            "labels": labels,
            "micro": micro,
            "links": links,
            "skipped": self.skipped_json(),
        });
        if !self.pairs.is_empty()
            && let Value::Object(m) = &mut out
        {
            let pairs = self.pairs.iter().map(|p| self.pair_json(p)).collect();
            m.insert("pairs".into(), Value::Array(pairs));
        }
        out
    }
}

impl serde::Serialize for Report {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}
