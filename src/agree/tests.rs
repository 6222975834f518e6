//! Tests of [`super`]: hand-computed cases for every measure, each also
//! checked against DKPro Agreement (the published examples are in
//! `tests_krippendorff.rs`).
//!
//! Where a figure says "DKPro", it was printed by DKPro Agreement's own
//! classes (github.com/dkpro/dkpro-statistics at f7f4f89,
//! `KrippendorffAlphaUnitizingAgreement`, `CohenKappaAgreement`,
//! `FleissKappaAgreement`, compiled with javac 17 and run on the same
//! units); every such case was also worked out by hand, and the working is
//! in the comment.
#![allow(clippy::float_cmp)]

use std::ops::Range;

use super::*;
use crate::model::{Link, LinkId, Span, SpanId, Status};

/// Closeness for figures computed two ways (exact integers here, `double`
/// and `BigDecimal` in DKPro).
const EPS: f64 = 1e-12;

#[track_caller]
pub(super) fn close(got: &Figure, want: f64) {
    let v = got
        .value()
        .unwrap_or_else(|| panic!("undefined ({:?}), expected {want}", got.reason()));
    assert!((v - want).abs() < EPS, "got {v}, expected {want}");
}

#[track_caller]
pub(super) fn undefined(got: &Figure, reason: &str) {
    let why = got
        .reason()
        .unwrap_or_else(|| panic!("defined ({:?}), expected undefined", got.value()));
    assert!(why.contains(reason), "reason {why:?} lacks {reason:?}");
}

/// A human span; `machine` spans with a status instead.
pub(super) fn human(id: u64, label: &str, r: Range<usize>) -> Span {
    Span {
        id: SpanId(id),
        label: label.into(),
        start: r.start,
        end: r.end,
        origin: Origin::Human {
            annotator: String::new(),
        },
        ..Span::default()
    }
}

fn machine(id: u64, label: &str, r: Range<usize>, status: Status) -> Span {
    Span {
        origin: Origin::Machine {
            model: "attrib-v0".into(),
            score: Some(0.5),
        },
        status: Some(status),
        ..human(id, label, r)
    }
}

/// Annotations with spans labelled and placed as given (ids from 1).
fn set(spans: &[(&str, Range<usize>)]) -> Annotations {
    let mut a = Annotations::default();
    for (i, (label, r)) in spans.iter().enumerate() {
        a.insert_span(human(i as u64 + 1, label, r.clone()))
            .unwrap();
    }
    a
}

fn names(n: usize) -> Vec<String> {
    ["a", "b", "c", "d"][..n]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

/// The report of one document of `chars` code points.
pub(super) fn study(chars: usize, sets: &[&Annotations]) -> Report {
    let doc = Document {
        name: "berita.txt".into(),
        chars,
        annotations: sets.to_vec(),
    };
    agree(&names(sets.len()), &[doc]).unwrap()
}

#[track_caller]
fn prf(p: &Prf, (tp, fp, fn_): (usize, usize, usize), (pr, r, f1): (f64, f64, f64)) {
    assert_eq!((p.tp, p.fp, p.fn_), (tp, fp, fn_), "{p:?}");
    close(&p.p, pr);
    close(&p.r, r);
    close(&p.f1, f1);
}

// ---------------------------------------------------------------------------
// Hand-computed cases on a 40-code-point article
// ---------------------------------------------------------------------------

#[test]
fn perfect_agreement_is_one_everywhere() {
    let a = set(&[("claim", 10..30), ("source", 0..5)]);
    let r = study(40, &[&a, &a.clone()]);
    for l in ["claim", "source"] {
        let f = &r.labels[l];
        prf(&f.exact, (1, 0, 0), (1.0, 1.0, 1.0));
        prf(&f.overlap, (1, 0, 0), (1.0, 1.0, 1.0));
        close(&f.kappa, 1.0);
        close(&f.alpha_u.alpha, 1.0);
    }
    prf(&r.micro.exact, (2, 0, 0), (1.0, 1.0, 1.0));
    close(&r.micro.alpha_u.alpha, 1.0);
    assert_eq!(r.kappa, KappaKind::Cohen);
    assert_eq!(r.code_points, 40);
    // D_e as DKPro gives it: claim 0.08884892086330935, source 0.025636942675159237.
    let (_, de) = r.labels["claim"].alpha_u.disagreement.unwrap();
    assert!((de - 0.088_848_920_863_309_35).abs() < EPS);
}

#[test]
fn no_shared_span_gives_zero_f1_and_negative_chance_corrected_figures() {
    // a: claim 0..10, b: claim 20..30.
    // kappa: n = 40, a = b = 10, both = 0, agreeing = 20,
    //   E = 10·10 + 30·30 = 1000, (40·20 - 1000) / (1600 - 1000) = -1/3.
    // alpha_U: the walk meets a's unit in b's gap 0..20 (10² = 100) and
    //   b's unit in a's gap 10..40 (100): D_o = 2·200 / (2·1·40²) = 0.125.
    //   Gaps 30 (a), 20 and 10 (b); each unit (l = 10): (2-1)·10·9·19/3 =
    //   570 plus 10²·(1 + 11 + 21) = 3300; 2·3870·2/40 = 387 over
    //   80·79 - 2·90 = 6140: D_e = 387/6140. DKPro: -0.9832041343669253.
    let r = study(40, &[&set(&[("claim", 0..10)]), &set(&[("claim", 20..30)])]);
    let f = &r.labels["claim"];
    prf(&f.exact, (0, 1, 1), (0.0, 0.0, 0.0));
    prf(&f.overlap, (0, 1, 1), (0.0, 0.0, 0.0));
    close(&f.kappa, -1.0 / 3.0);
    close(&f.alpha_u.alpha, 1.0 - 0.125 / (387.0 / 6140.0));
    close(&f.alpha_u.alpha, -0.983_204_134_366_925_3);
}

#[test]
fn one_missing_span() {
    // a: claim 0..10 and 20..30, b: claim 0..10.
    // kappa: a = 20, b = 10, both = 10, agreeing = 10 + 20 = 30,
    //   E = 200 + 20·30 = 800: (1200 - 800) / (1600 - 800) = 0.5.
    // alpha_U: only a's 20..30 inside b's gap 10..40 disagrees (100):
    //   D_o = 200/3200. Gaps 10, 10 (a), 30 (b); three units of 10, each
    //   2·570 + 100·(1 + 1 + 21) = 3440: 10320·2/40 = 516 over
    //   6320 - 270 = 6050. DKPro: 0.26719961240310075.
    let r = study(
        40,
        &[
            &set(&[("claim", 0..10), ("claim", 20..30)]),
            &set(&[("claim", 0..10)]),
        ],
    );
    let f = &r.labels["claim"];
    prf(&f.exact, (1, 0, 1), (1.0, 0.5, 2.0 / 3.0));
    close(&f.kappa, 0.5);
    close(&f.alpha_u.alpha, 1.0 - 0.0625 / (516.0 / 6050.0));
    close(&f.alpha_u.alpha, 0.267_199_612_403_100_75);
}

#[test]
fn a_boundary_off_by_a_word_matches_by_overlap_only() {
    let text = "Kata pejabat itu, pasokan listrik pulih besok.";
    let at = |w: &str| {
        let b = text.find(w).unwrap();
        let s = text[..b].chars().count();
        s..s + w.chars().count()
    };
    let chars = text.chars().count();
    let a = set(&[("claim", at("pasokan listrik pulih besok"))]);
    let b = set(&[("claim", at("listrik pulih besok"))]);
    let f = &study(chars, &[&a, &b]).labels["claim"];
    prf(&f.exact, (0, 1, 1), (0.0, 0.0, 0.0));
    prf(&f.overlap, (1, 0, 0), (1.0, 1.0, 1.0));

    // The same in round numbers: a: 10..30, b: 18..30 on 40.
    // kappa: a = 20, b = 12, both = 12, agreeing = 12 + 20 = 32,
    //   E = 240 + 20·28 = 800: (1280 - 800) / 800 = 0.6.
    // alpha_U: the units meet with Δbegin = -8, Δlength = 8: 64 + 0:
    //   D_o = 128/3200 = 0.04. Gaps 10, 10 (a), 18, 10 (b); l = 20:
    //   20·19·39/3 = 4940 (no gap fits it); l = 12: 12·11·23/3 = 1012 plus
    //   144·7 = 1008; 6960·2/40 = 348 over 6320 - 512 = 5808.
    //   DKPro: 0.3324137931034483.
    let f = &study(
        40,
        &[&set(&[("claim", 10..30)]), &set(&[("claim", 18..30)])],
    )
    .labels["claim"];
    close(&f.kappa, 0.6);
    close(&f.alpha_u.alpha, 1.0 - 0.04 / (348.0 / 5808.0));
    close(&f.alpha_u.alpha, 0.332_413_793_103_448_3);
}

#[test]
fn a_relabel_misses_in_both_labels() {
    // a: claim 10..30, b: denial 10..30. Per label one annotator has the
    // span. kappa: a = 20, b = 0: agreeing 20, E = 20·40 = 800: 0.
    // alpha_U: a's unit inside b's whole gap: 400, D_o = 800/3200 = 0.25;
    // D_e = 400·(40 - 20 + 1)·2/40 / (6320 - 380) = 420/5940.
    // DKPro: -2.535714285714286 for both labels.
    let r = study(
        40,
        &[&set(&[("claim", 10..30)]), &set(&[("denial", 10..30)])],
    );
    let claim = &r.labels["claim"];
    assert_eq!((claim.exact.tp, claim.exact.fp, claim.exact.fn_), (0, 0, 1));
    undefined(&claim.exact.p, "b has no claim spans");
    close(&claim.exact.r, 0.0);
    close(&claim.exact.f1, 0.0);
    let denial = &r.labels["denial"];
    undefined(&denial.exact.r, "a has no denial spans");
    close(&denial.exact.p, 0.0);
    for f in [claim, denial] {
        close(&f.kappa, 0.0);
        close(&f.alpha_u.alpha, 1.0 - 0.25 / (420.0 / 5940.0));
    }
    prf(&r.micro.exact, (0, 1, 1), (0.0, 0.0, 0.0));
    close(&r.micro.alpha_u.alpha, -2.535_714_285_714_286);
}

#[test]
fn a_label_only_one_annotator_used() {
    // source only by a, at 20..25. kappa: a = 5, b = 0: 0.
    // alpha_U: D_o = 2·25/3200; gaps 20, 15 (a), 40 (b): 25·(11+16+36)·2/40
    // over 6320 - 20: D_e = 0.0125; alpha = 1 - 1.25. DKPro: -0.25; the
    // study (claim, source): 0.8267494356659142.
    let r = study(
        40,
        &[
            &set(&[("claim", 0..10), ("source", 20..25)]),
            &set(&[("claim", 0..10)]),
        ],
    );
    let f = &r.labels["source"];
    assert_eq!(f.spans, [1, 0]);
    undefined(&f.exact.p, "b has no source spans");
    close(&f.exact.r, 0.0);
    close(&f.exact.f1, 0.0);
    close(&f.kappa, 0.0);
    close(&f.alpha_u.alpha, -0.25);
    close(&r.micro.alpha_u.alpha, 0.826_749_435_665_914_2);
    prf(&r.micro.exact, (1, 0, 1), (1.0, 0.5, 2.0 / 3.0));
}

#[test]
fn empty_documents_have_no_defined_figure() {
    let empty = Annotations::default();
    for chars in [0, 40] {
        let r = study(chars, &[&empty, &empty]);
        assert!(r.labels.is_empty());
        assert_eq!(
            (r.micro.exact.tp, r.micro.exact.fp, r.micro.exact.fn_),
            (0, 0, 0)
        );
        undefined(&r.micro.exact.p, "b has no spans");
        undefined(&r.micro.exact.r, "a has no spans");
        undefined(&r.micro.exact.f1, "neither a nor b has spans");
        undefined(&r.micro.alpha_u.alpha, "no annotator has spans");
        undefined(&r.links.all.f1, "neither a nor b has links");
        let json = serde_json::to_string(&r.to_json()).unwrap();
        assert!(!json.contains("NaN"), "{json}");
        assert!(json.contains(r#""f1":null"#), "{json}");
    }
}

#[test]
fn kappa_is_undefined_when_every_code_point_has_one_value() {
    let all = set(&[("claim", 0..40)]);
    let f = &study(40, &[&all, &all]).labels["claim"];
    undefined(&f.kappa, "cover every code point");
    // alpha_U still expects disagreement (D_e 1.28375, DKPro): 1.
    close(&f.alpha_u.alpha, 1.0);
    // Only units of one code point covering everything leave D_e at 0:
    // DKPro then says 0 for the label and 1 for the study; tandai neither.
    let one = set(&[("claim", 0..1)]);
    let r = study(1, &[&one, &one]);
    undefined(
        &r.labels["claim"].alpha_u.alpha,
        "expected disagreement is 0",
    );
    undefined(&r.micro.alpha_u.alpha, "expected disagreement is 0");
}

#[test]
fn three_annotators_use_fleiss_and_the_mean_of_the_pairs() {
    // n = 10, r = 3: a 0..4, b 0..4, c 0..2. Two code points covered by 3,
    // two by 2, six by none: Y = 10 of T = 30, P = 2·6 + 2·2 + 6·6 = 52:
    // A_o = 52/60, A_e = 1/9 + 4/9, kappa = (13/15 - 5/9) / (4/9) = 0.7.
    // alpha_U: pairs a-c and b-c each meet with Δlength 2: 4; D_o =
    // 2·8/(3·2·100). DKPro: 0.7900497512437811.
    let (a, b, c) = (
        set(&[("claim", 0..4)]),
        set(&[("claim", 0..4)]),
        set(&[("claim", 0..2)]),
    );
    let r = study(10, &[&a, &b, &c]);
    assert_eq!(r.kappa, KappaKind::Fleiss);
    let f = &r.labels["claim"];
    close(&f.kappa, 0.7);
    close(&f.alpha_u.alpha, 0.790_049_751_243_781_1);
    // Pairs a-b (1), a-c (0), b-c (0) exact; all three overlap.
    assert_eq!((f.exact.tp, f.exact.fp, f.exact.fn_), (1, 2, 2));
    close(&f.exact.f1, 1.0 / 3.0);
    close(&f.overlap.f1, 1.0);
    assert_eq!(r.pairs.len(), 3);
    assert_eq!((r.pairs[1].reference, r.pairs[1].other), (0, 2));
    close(&r.pairs[1].labels["claim"].0.f1, 0.0);
}

#[test]
fn only_spans_a_person_stands_behind_count() {
    let mut a = set(&[("claim", 0..10)]);
    a.insert_span(machine(2, "claim", 20..30, Status::Accepted))
        .unwrap();
    a.insert_span(machine(3, "source", 30..35, Status::Corrected))
        .unwrap();
    a.insert_span(machine(4, "claim", 12..18, Status::Pending))
        .unwrap();
    a.insert_span(machine(5, "denial", 12..18, Status::Rejected))
        .unwrap();
    let mut orphan = human(6, "claim", 1..3);
    orphan.orphan = true;
    a.insert_span(orphan).unwrap();
    a.insert_span(human(7, "claim", 38..45)).unwrap(); // past the end
    let b = set(&[("claim", 0..10), ("claim", 20..30), ("source", 30..35)]);
    let r = study(40, &[&a, &b]);
    prf(&r.micro.exact, (3, 0, 0), (1.0, 1.0, 1.0));
    assert!(
        !r.labels.contains_key("denial"),
        "rejected spans add no label"
    );
    let s = r.skipped[0];
    assert_eq!((s.pending, s.rejected, s.unplaced), (1, 1, 2));
    assert_eq!(r.skipped[1], Skipped::default());
    let json = r.to_json();
    assert_eq!(json["skipped"]["pending"], 1);
    assert_eq!(json["skipped"]["by_annotator"]["a"]["unplaced"], 2);
}

#[test]
fn links_match_by_kind_and_exact_ends() {
    let mut a = set(&[("claim", 10..30), ("source", 0..5), ("denial", 32..38)]);
    let mut b = set(&[("claim", 10..30), ("source", 0..6), ("denial", 32..38)]);
    let link = |id, kind: &str, from, to| Link {
        id: LinkId(id),
        kind: kind.into(),
        from: SpanId(from),
        to: SpanId(to),
    };
    // Spans in order: 1 claim, 2 source, 3 denial.
    a.insert_link(link(1, "said_by", 1, 2)).unwrap();
    a.insert_link(link(2, "denies", 3, 1)).unwrap();
    b.insert_link(link(1, "said_by", 1, 2)).unwrap(); // its source is 0..6
    b.insert_link(link(2, "denies", 3, 1)).unwrap();
    b.insert_link(link(3, "said_by", 3, 1)).unwrap();
    let r = study(40, &[&a, &b]);
    prf(&r.links.all, (1, 2, 1), (1.0 / 3.0, 0.5, 0.4));
    prf(&r.links.kinds["denies"], (1, 0, 0), (1.0, 1.0, 1.0));
    prf(&r.links.kinds["said_by"], (0, 2, 1), (0.0, 0.0, 0.0));
    assert_eq!(r.links.links, [2, 3]);
    // A link to a pending span does not count.
    a.insert_span(machine(9, "source", 36..39, Status::Pending))
        .unwrap();
    a.insert_link(link(3, "said_by", 3, 9)).unwrap();
    let r = study(40, &[&a, &b]);
    assert_eq!(r.skipped[0].links, 1);
    assert_eq!(r.links.links, [2, 3]);
}

#[test]
fn overlap_takes_the_largest_shared_length_first() {
    // b's 5..25 shares 15 with a's 10..30 and 5 with a's 0..10: the larger
    // pair is taken, and a's 0..10 is left for b's 0..8.
    let a = set(&[("claim", 0..10), ("claim", 10..30)]);
    let b = set(&[("claim", 0..8), ("claim", 5..25)]);
    let r = study(40, &[&a, &b]);
    prf(&r.labels["claim"].overlap, (2, 0, 0), (1.0, 1.0, 1.0));
    // One long span against two short ones: one match.
    let a = set(&[("claim", 0..30)]);
    let b = set(&[("claim", 0..10), ("claim", 12..30)]);
    let f = &study(40, &[&a, &b]).labels["claim"];
    prf(&f.overlap, (1, 1, 0), (0.5, 1.0, 2.0 / 3.0));
}

#[test]
fn overlapping_spans_of_one_label_leave_alpha_undefined_and_say_where() {
    let a = set(&[("claim", 0..20), ("claim", 10..30)]);
    let b = set(&[("claim", 0..20)]);
    let r = study(40, &[&b, &a]);
    let f = &r.labels["claim"];
    undefined(
        &f.alpha_u.alpha,
        "annotator b has overlapping claim spans (0..20 and 10..30)",
    );
    assert!(f.alpha_u.disagreement.is_none());
    undefined(&r.micro.alpha_u.alpha, "overlapping claim spans");
    // kappa counts covered code points and is still defined: a covers
    // 0..30, b 0..20: agreeing 20 + 10, E = 600 + 20·10: (1200 - 800)/800.
    close(&f.kappa, 0.5);
    let json = r.to_json();
    assert_eq!(json["labels"]["claim"]["alpha_u"], serde_json::Value::Null);
    assert!(
        json["labels"]["claim"]["alpha_u_undefined"]
            .as_str()
            .unwrap()
            .contains("overlapping")
    );
    // Spans that only touch do not overlap.
    let c = set(&[("claim", 0..10), ("claim", 10..20)]);
    assert!(
        study(40, &[&b, &c]).labels["claim"]
            .alpha_u
            .alpha
            .value()
            .is_some()
    );
}

#[test]
fn a_corpus_is_one_continuum_and_adds_up() {
    // Two documents of 40; the second is the first case shifted by 40.
    let (a1, b1) = (set(&[("claim", 0..10)]), set(&[("claim", 0..10)]));
    let (a2, b2) = (set(&[("claim", 0..10)]), set(&[("claim", 20..30)]));
    let docs = [
        Document {
            name: "satu.txt".into(),
            chars: 40,
            annotations: vec![&a1, &b1],
        },
        Document {
            name: "dua.txt".into(),
            chars: 40,
            annotations: vec![&a2, &b2],
        },
    ];
    let r = agree(&names(2), &docs).unwrap();
    assert_eq!((r.documents, r.code_points), (2, 80));
    prf(&r.labels["claim"].exact, (1, 1, 1), (0.5, 0.5, 0.5));
    // The same units on one 80-code-point continuum, as DKPro sees them.
    let one = study(
        80,
        &[
            &set(&[("claim", 0..10), ("claim", 40..50)]),
            &set(&[("claim", 0..10), ("claim", 60..70)]),
        ],
    );
    assert_eq!(r.labels["claim"].alpha_u, one.labels["claim"].alpha_u);
    assert_eq!(r.labels["claim"].kappa, one.labels["claim"].kappa);
    let each = agree_each(&names(2), &docs).unwrap();
    close(&each[0].labels["claim"].alpha_u.alpha, 1.0);
    close(
        &each[1].labels["claim"].alpha_u.alpha,
        -0.983_204_134_366_925_3,
    );
    // Overlapping spans in the second document are placed in it.
    let a3 = set(&[("claim", 2..9), ("claim", 5..12)]);
    let docs = [
        docs[0].clone(),
        Document {
            annotations: vec![&a2, &a3],
            ..docs[1].clone()
        },
    ];
    let r = agree(&names(2), &docs).unwrap();
    undefined(
        &r.labels["claim"].alpha_u.alpha,
        "annotator b has overlapping claim spans (2..9 and 5..12 in dua.txt)",
    );
}

#[test]
fn bad_studies_are_refused() {
    let a = set(&[]);
    let doc = |n| Document {
        name: "x.txt".into(),
        chars: 3,
        annotations: vec![&a; n],
    };
    assert_eq!(
        agree(&names(1), &[doc(1)]),
        Err(AgreeError::TooFewAnnotators(1))
    );
    assert!(matches!(
        agree(&names(2), &[doc(3)]),
        Err(AgreeError::SetsPerDocument { sets: 3, .. })
    ));
    assert_eq!(
        agree(&["x".into(), "x".into()], &[doc(2)]),
        Err(AgreeError::DuplicateName("x".into()))
    );
}

#[test]
fn annotator_names_come_from_the_spans_when_they_agree() {
    let mut a = Annotations::default();
    let named = |id, who: &str| Span {
        origin: Origin::Human {
            annotator: who.into(),
        },
        ..human(id, "claim", 0..3)
    };
    a.insert_span(named(1, "ana")).unwrap();
    a.insert_span(named(2, "")).unwrap();
    let mut m = machine(3, "claim", 4..6, Status::Accepted);
    m.reviewer = Some("ana".into());
    a.insert_span(m).unwrap();
    assert_eq!(annotator_name([&a]), Some("ana".into()));
    let mut b = a.clone();
    b.insert_span(named(4, "budi")).unwrap();
    assert_eq!(annotator_name([&a, &b]), None);
    assert_eq!(annotator_name([&Annotations::default()]), None);
}

#[test]
fn overlap_matching_gives_up_on_a_hostile_pile_of_spans() {
    // 2,300 spans over one another on each side: 5.3 million pairs.
    let n = 2_300;
    let pile: Vec<(&str, Range<usize>)> = (0..n).map(|i| ("claim", i..n + i + 1)).collect();
    let a = set(&pile);
    let r = study(2 * n + 1, &[&a, &a]);
    let f = &r.labels["claim"];
    undefined(&f.overlap.f1, "overlap matching is not attempted");
    undefined(&r.micro.overlap.p, "more than 5000000 pairs");
    prf(&f.exact, (n, 0, 0), (1.0, 1.0, 1.0));
    close(&f.kappa, 1.0);
}
