//! Property tests of [`super`]: agreement with oneself, swapping the
//! annotators, and the fast counts against naive scans.
#![allow(clippy::float_cmp)]

use proptest::prelude::*;

use super::alpha::{self, Segment};
use super::*;
use crate::model::{Link, LinkId, Span, SpanId, Status};

const LABELS: [&str; 3] = ["claim", "source", "denial"];

/// (label, start, length, machine status if a machine span)
type RawSpan = (usize, usize, usize, Option<Status>);

fn status() -> impl Strategy<Value = Option<Status>> {
    prop_oneof![
        6 => Just(None),
        1 => Just(Some(Status::Pending)),
        1 => Just(Some(Status::Accepted)),
        1 => Just(Some(Status::Rejected)),
        1 => Just(Some(Status::Corrected)),
    ]
}

fn raw_spans(max: usize) -> impl Strategy<Value = Vec<RawSpan>> {
    prop::collection::vec((0..LABELS.len(), 0..60usize, 1..15usize, status()), 0..max)
}

/// An annotation set on an article of `chars` code points; links join
/// pairs of spans as `links` says (indices into the spans, modulo).
fn build(chars: usize, spans: &[RawSpan], links: &[(usize, usize, bool)]) -> Annotations {
    let mut a = Annotations::default();
    for (i, &(label, start, len, status)) in spans.iter().enumerate() {
        let start = start % chars.max(1);
        let origin = match status {
            None => Origin::Human {
                annotator: String::new(),
            },
            Some(_) => Origin::Machine {
                model: "m".into(),
                score: None,
            },
        };
        let span = Span {
            id: SpanId(i as u64 + 1),
            label: LABELS[label].into(),
            start,
            end: (start + len).min(chars),
            origin,
            status,
            ..Span::default()
        };
        a.insert_span(span).unwrap();
    }
    let n = spans.len() as u64;
    for (k, &(from, to, said_by)) in links.iter().enumerate() {
        if n == 0 {
            break;
        }
        let _ = a.insert_link(Link {
            id: LinkId(k as u64 + 1),
            kind: if said_by { "said_by" } else { "denies" }.into(),
            from: SpanId(from as u64 % n + 1),
            to: SpanId(to as u64 % n + 1),
        });
    }
    a
}

fn report(chars: usize, sets: &[&Annotations]) -> Report {
    let names: Vec<String> = (0..sets.len()).map(|i| format!("n{i}")).collect();
    let doc = Document {
        name: "x.txt".into(),
        chars,
        annotations: sets.to_vec(),
    };
    agree(&names, &[doc]).unwrap()
}

/// Every defined figure of `f` is 1.
fn all_one(f: &Figure, what: &str) -> Result<(), TestCaseError> {
    if let Some(v) = f.value() {
        prop_assert!((v - 1.0).abs() < 1e-12, "{what} = {v}");
    }
    Ok(())
}

fn prf_one(p: &Prf, what: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(p.fp + p.fn_, 0, "{}: {:?}", what, p);
    for (f, name) in [(&p.p, "p"), (&p.r, "r"), (&p.f1, "f1")] {
        all_one(f, &format!("{what} {name}"))?;
    }
    Ok(())
}

/// `b` is `a` with the annotators swapped.
fn swapped(a: &Prf, b: &Prf, what: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!((a.tp, a.fp, a.fn_), (b.tp, b.fn_, b.fp), "{}", what);
    prop_assert_eq!(a.p.value(), b.r.value(), "{} p", what);
    prop_assert_eq!(a.r.value(), b.p.value(), "{} r", what);
    let (f, g) = (a.f1.value(), b.f1.value());
    prop_assert_eq!(f.is_some(), g.is_some(), "{} f1", what);
    if let (Some(f), Some(g)) = (f, g) {
        prop_assert!((f - g).abs() < 1e-12, "{} f1 {} {}", what, f, g);
    }
    Ok(())
}

/// Kappa code point by code point, as DKPro's coding study counts it.
fn naive_kappa(cover: &[Vec<bool>]) -> Option<f64> {
    let (r, n) = (cover.len() as f64, cover[0].len());
    let mut observed = 0.0;
    let mut yes = vec![0.0; cover.len()];
    for i in 0..n {
        let k = cover.iter().filter(|c| c[i]).count() as f64;
        observed += (k * (k - 1.0) + (r - k) * (r - k - 1.0)) / (r * (r - 1.0));
        for (y, c) in yes.iter_mut().zip(cover) {
            *y += f64::from(u8::from(c[i]));
        }
    }
    let n = n as f64;
    let observed = observed / n;
    let expected = if cover.len() == 2 {
        (yes[0] * yes[1] + (n - yes[0]) * (n - yes[1])) / (n * n)
    } else {
        let p = yes.iter().sum::<f64>() / (n * r);
        p * p + (1.0 - p) * (1.0 - p)
    };
    (expected < 1.0).then(|| (observed - expected) / (1.0 - expected))
}

/// `D_e` exactly as DKPro's loop over units and gaps computes it.
fn naive_expected(raters: &[&[Segment]], length: usize) -> f64 {
    let (r, l) = (raters.len() as f64, length as f64);
    let units: Vec<f64> = raters
        .iter()
        .flat_map(|u| u.iter().map(|(s, e)| (e - s) as f64))
        .collect();
    let mut gaps = Vec::new();
    for units in raters {
        let mut pos = 0;
        for &(s, e) in *units {
            if s > pos {
                gaps.push((s - pos) as f64);
            }
            pos = e;
        }
        if pos < length {
            gaps.push((length - pos) as f64);
        }
    }
    let n_c = units.len() as f64;
    let mut sum = 0.0;
    for &u in &units {
        sum += (n_c - 1.0) * (2.0 * u * u * u - 3.0 * u * u + u) / 3.0;
        sum += u
            * u
            * gaps
                .iter()
                .filter(|&&g| g >= u)
                .map(|g| g - u + 1.0)
                .sum::<f64>();
    }
    let squared: f64 = units.iter().map(|u| u * (u - 1.0)).sum();
    sum * 2.0 / l / (r * l * (r * l - 1.0) - squared)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn agreement_with_oneself_is_one_wherever_defined(
        chars in 1..80usize,
        spans in raw_spans(12),
        links in prop::collection::vec((0..12usize, 0..12usize, any::<bool>()), 0..6),
        three in any::<bool>(),
    ) {
        let a = build(chars, &spans, &links);
        let sets: Vec<&Annotations> = if three { vec![&a, &a, &a] } else { vec![&a, &a] };
        let r = report(chars, &sets);
        for (label, f) in &r.labels {
            prf_one(&f.exact, label)?;
            prf_one(&f.overlap, label)?;
            all_one(&f.kappa, &format!("{label} kappa"))?;
            all_one(&f.alpha_u.alpha, &format!("{label} alpha_U"))?;
        }
        prf_one(&r.micro.exact, "micro exact")?;
        prf_one(&r.micro.overlap, "micro overlap")?;
        all_one(&r.micro.alpha_u.alpha, "micro alpha_U")?;
        prf_one(&r.links.all, "links")?;
    }

    #[test]
    fn swapping_two_annotators_swaps_precision_and_recall(
        chars in 1..80usize,
        a in raw_spans(12),
        b in raw_spans(12),
        links_a in prop::collection::vec((0..12usize, 0..12usize, any::<bool>()), 0..6),
        links_b in prop::collection::vec((0..12usize, 0..12usize, any::<bool>()), 0..6),
    ) {
        let (a, b) = (build(chars, &a, &links_a), build(chars, &b, &links_b));
        let (ab, ba) = (report(chars, &[&a, &b]), report(chars, &[&b, &a]));
        prop_assert_eq!(ab.labels.keys().collect::<Vec<_>>(), ba.labels.keys().collect::<Vec<_>>());
        for (label, f) in &ab.labels {
            let g = &ba.labels[label];
            swapped(&f.exact, &g.exact, label)?;
            swapped(&f.overlap, &g.overlap, label)?;
            prop_assert!(f.overlap.tp >= f.exact.tp);
            prop_assert_eq!(f.kappa.value(), g.kappa.value(), "{} kappa", label);
            prop_assert_eq!(f.alpha_u.alpha.value(), g.alpha_u.alpha.value(), "{} alpha", label);
        }
        swapped(&ab.micro.exact, &ba.micro.exact, "micro exact")?;
        swapped(&ab.micro.overlap, &ba.micro.overlap, "micro overlap")?;
        swapped(&ab.links.all, &ba.links.all, "links")?;
    }

    #[test]
    fn kappa_and_expected_disagreement_equal_naive_scans(
        chars in 1..80usize,
        sets in prop::collection::vec(raw_spans(10), 2..5),
    ) {
        let built: Vec<Annotations> = sets.iter().map(|s| build(chars, s, &[])).collect();
        let refs: Vec<&Annotations> = built.iter().collect();
        let r = report(chars, &refs);
        for (label, f) in &r.labels {
            let counted = |a: &Annotations| -> Vec<Segment> {
                let mut v: Vec<Segment> = a.spans()
                    .filter(|s| s.label == *label && s.start < s.end
                        && !matches!(s.status, Some(Status::Pending | Status::Rejected)))
                    .map(|s| (s.start, s.end))
                    .collect();
                v.sort_unstable();
                v
            };
            let units: Vec<Vec<Segment>> = built.iter().map(counted).collect();
            let cover: Vec<Vec<bool>> = units.iter()
                .map(|u| (0..chars).map(|i| u.iter().any(|&(s, e)| s <= i && i < e)).collect())
                .collect();
            match (naive_kappa(&cover), f.kappa.value()) {
                (Some(n), Some(k)) => prop_assert!((n - k).abs() < 1e-9, "{} {} {}", label, n, k),
                (n, k) => prop_assert_eq!(n, k, "{} kappa", label),
            }
            let slices: Vec<&[Segment]> = units.iter().map(Vec::as_slice).collect();
            if let Ok(d) = alpha::disagreement(&slices, chars) {
                let naive = naive_expected(&slices, chars);
                prop_assert!((d.expected - naive).abs() <= 1e-9 * naive.abs().max(1.0),
                    "{} D_e {} naive {}", label, d.expected, naive);
            }
        }
    }
}
