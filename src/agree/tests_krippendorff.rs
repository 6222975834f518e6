//! The published examples of Krippendorff (1995, 2004) as DKPro Agreement's
//! tests encode them (`dkpro-statistics-agreement/src/test/java/org/dkpro/
//! statistics/agreement/unitizing/Krippendorff1995Test.java` and
//! `Krippendorff2004Test.java`), and the figures DKPro's own classes print
//! for them.
#![allow(clippy::float_cmp)]

use super::alpha::{self, Disagreement, Segment};
use super::tests::{close, human, study, undefined};
use super::*;

/// Closeness to the figures DKPro prints to 17 digits.
const EPS: f64 = 1e-12;

// ---------------------------------------------------------------------------
// Krippendorff (1995, p. 57), as DKPro Agreement's Krippendorff1995Test
// encodes it (dkpro-statistics-agreement/src/test/java/org/dkpro/
// statistics/agreement/unitizing/Krippendorff1995Test.java)
// ---------------------------------------------------------------------------

/// The example's units per category, rater 0 then rater 1, as (offset,
/// length) on a continuum of 24, each scaled by `stretch` and truncated as
/// Java's `(int)` does.
fn krippendorff_1995(category: char, stretch: f64) -> ([Vec<Segment>; 2], usize) {
    #[rustfmt::skip]
    let units: &[(usize, usize, usize)] = match category {
        // A Bertha: 0 0|1 1 1 1 1 1 1 1|0 0 0 0|1 1 1 1 1 1|0 0 0 0
        //   Bill:   0 0 0 0|1 1 1 1|0 0 0 0 0 0 0|1 1|0 0 0 0 0 0 0
        'A' => &[(2, 8, 0), (14, 6, 0), (4, 4, 1), (15, 2, 1)],
        // B John:   1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1|0 0 0 0 0 0
        //   Jill:   1 1|1|1|1|1|1 1 1|1|0 0 0 0 0 0 0 0 0 0 0 0 0 0
        'B' => &[(0, 18, 0), (0, 2, 1), (2, 1, 1), (3, 1, 1), (4, 1, 1), (5, 1, 1),
                 (6, 3, 1), (9, 1, 1)],
        // C Gerret: 0 0|1 1 1 1 1 1|0 0|1 1|0 0|1 1 1 1|0 0|1 1|0 0
        //   Gill:   1 1|0 0|1 1 1 1|0 0|1 1 1 1|0 0|1 1|0 0|1 1|0 0
        'C' => &[(2, 6, 0), (10, 2, 0), (14, 4, 0), (20, 2, 0), (0, 2, 1), (4, 4, 1),
                 (10, 4, 1), (16, 2, 1), (20, 2, 1)],
        // D Heather: 1 1|1 1 1 1 1 1 1 1|1 1 1 1|1 1 1 1 1 1|1 1 1 1
        //   Hill:    1 1 1 1|1 1 1 1|1 1 1 1 1 1 1|1 1|1 1 1 1 1 1 1
        _ => &[(0, 2, 0), (2, 8, 0), (10, 4, 0), (14, 6, 0), (20, 4, 0), (0, 4, 1),
               (4, 4, 1), (8, 7, 1), (15, 2, 1), (17, 7, 1)],
    };
    // Java's `(int) (x * stretch)`: truncation of a positive product.
    #[allow(clippy::cast_sign_loss)]
    let s = |x: usize| (x as f64 * stretch) as usize;
    let mut raters = [Vec::new(), Vec::new()];
    for &(offset, length, rater) in units {
        raters[rater].push((s(offset), s(offset) + s(length)));
    }
    (raters, s(24))
}

fn d_1995(category: char, stretch: f64) -> Disagreement {
    let ([r0, r1], length) = krippendorff_1995(category, stretch);
    alpha::disagreement(&[&r0, &r1], length).unwrap()
}

#[track_caller]
fn within(got: f64, want: f64, tolerance: f64) {
    assert!(
        (got - want).abs() <= tolerance,
        "got {got}, expected {want} ± {tolerance}"
    );
}

#[test]
fn krippendorff_1995_observed_disagreement() {
    // DKPro's testAgreement, stretch 1, to 1e-5.
    for (c, want) in [
        ('A', 0.03125),
        ('B', 2.26736),
        ('C', 0.02777),
        ('D', 0.38715),
    ] {
        within(d_1995(c, 1.0).observed, want, 0.00001);
    }
}

#[test]
fn krippendorff_1995_expected_disagreement_and_alpha() {
    // DKPro's testAgreement, stretch 1,200,000 / 24: D_e to 0.005, alpha to
    // 0.02 (the book's figures, computed with a continuum scaled up).
    let stretch = f64::from(1_200_000 / 24);
    for (c, d_e, a) in [
        ('A', 0.06990, 0.553),
        ('B', 1.17731, -0.926),
        ('C', 0.08642, 0.679),
        ('D', 0.41445, 0.066),
    ] {
        let d = d_1995(c, stretch);
        within(d.expected, d_e, 0.005);
        within(alpha::category_alpha(d).unwrap(), a, 0.02);
    }
}

#[test]
fn krippendorff_1995_varying_lengths() {
    // DKPro's testVaryingLengths for category C: D_o 0.02777 at every
    // stretch (to 1e-5); D_e and alpha as the continuum grows.
    for (stretch, d_e, d_e_tolerance, a) in [
        (12.0 / 24.0, 0.05494, 0.00001, 0.494),
        (120.0 / 24.0, 0.08234, 0.005, 0.663),
        (1200.0 / 24.0, 0.08600, 0.005, 0.677),
        (12000.0 / 24.0, 0.08638, 0.005, 0.678),
        (120_000.0 / 24.0, 0.08642, 0.005, 0.679),
        (1_200_000.0 / 24.0, 0.08642, 0.005, 0.679),
    ] {
        let d = d_1995('C', stretch);
        within(d.observed, 0.02777, 0.00001);
        within(d.expected, d_e, d_e_tolerance);
        within(alpha::category_alpha(d).unwrap(), a, 0.02);
    }
}

#[test]
fn krippendorff_1995_figures_as_dkpro_prints_them() {
    // DKPro's own classes on the same study, printed to 17 digits: this
    // port agrees to 1e-12, not only to the published rounding.
    #[rustfmt::skip]
    let dkpro = [
        // (category, stretch, D_o, D_e, alpha)
        ('A', 1.0, 0.03125, 0.064_471_243_042_671_61, 0.515_287_769_784_172_7),
        ('B', 1.0, 2.267_361_111_111_111, 1.089_512_530_037_761_7, -1.081_078_508_599_186),
        ('C', 1.0, 0.027_777_777_777_777_776, 0.070_030_581_039_755_35, 0.603_347_889_374_090_2),
        ('D', 1.0, 0.387_152_777_777_777_8, 0.320_796_460_176_991_15, -0.206_848_659_003_831_43),
        ('A', 50_000.0, 0.03125, 0.069_902_197_411_125_1, 0.552_946_814_873_283_5),
        ('B', 50_000.0, 2.267_361_111_111_111, 1.175_782_583_692_202, -0.928_384_671_246_894_4),
        ('C', 50_000.0, 0.027_777_777_777_777_776, 0.090_504_588_173_682_7, 0.693_078_789_282_253_1),
        ('D', 50_000.0, 0.387_152_777_777_777_8, 0.414_452_286_138_053_07, 0.065_868_881_107_298_05),
    ];
    for (c, stretch, d_o, d_e, a) in dkpro {
        let d = d_1995(c, stretch);
        within(d.observed, d_o, EPS);
        within(d.expected, d_e, EPS);
        within(alpha::category_alpha(d).unwrap(), a, EPS);
    }
    // The whole study (DKPro's calculateAgreement): -0.7565527387256199 at
    // stretch 1, -0.5500269048626674 at 50,000.
    for (stretch, want) in [
        (1.0, -0.756_552_738_725_619_9),
        (50_000.0, -0.550_026_904_862_667_4),
    ] {
        let ds: Vec<_> = "ABCD".chars().map(|c| d_1995(c, stretch)).collect();
        within(alpha::study_alpha(&ds).unwrap(), want, EPS);
    }
}

#[test]
fn krippendorff_1995_through_the_public_api_with_kappa() {
    // The example as two annotation sets of a 24-code-point article, each
    // category a label. Cohen's kappa over the digitized continuum is DKPro's
    // testDigitizedAgreement (0.385, 0.385, 0.314 to 0.001; D has one value
    // only, which DKPro refuses with InsufficientDataException); alpha_U is
    // the figure above.
    let mut sets = [Annotations::default(), Annotations::default()];
    let mut id = 0;
    for c in ['A', 'B', 'C', 'D'] {
        let (raters, _) = krippendorff_1995(c, 1.0);
        for (r, units) in raters.iter().enumerate() {
            for &(s, e) in units {
                id += 1;
                sets[r]
                    .insert_span(human(id, &c.to_string(), s..e))
                    .unwrap();
            }
        }
    }
    let r = study(24, &[&sets[0], &sets[1]]);
    close(&r.labels["A"].kappa, 0.384_615_384_615_384_5);
    close(&r.labels["B"].kappa, 0.384_615_384_615_384_5);
    close(&r.labels["C"].kappa, 0.314_285_714_285_714_3);
    undefined(&r.labels["D"].kappa, "cover every code point");
    close(&r.labels["C"].alpha_u.alpha, 0.603_347_889_374_090_2);
    close(&r.micro.alpha_u.alpha, -0.756_552_738_725_619_9);
}

// ---------------------------------------------------------------------------
// Krippendorff (2004, p. 254), as DKPro's unitizing Krippendorff2004Test
// encodes it: a continuum from 150, 300 long (shifted to 0 here; the walk
// only sees differences)
// ---------------------------------------------------------------------------

#[test]
fn krippendorff_2004_distances() {
    use alpha::distance;
    let d = |o1, l1, u1, o2, l2, u2| distance((o1, l1, u1), (o2, l2, u2));
    assert_eq!(d(2, 3, false, 2, 2, true) + d(5, 6, true, 4, 7, false), 40);
    assert_eq!(d(3, 2, false, 3, 2, true) + d(5, 6, true, 5, 6, false), 40);
    for ((o2, l2), want) in [
        ((4, 2), 26),
        ((5, 2), 16),
        ((6, 2), 10),
        ((7, 2), 8),
        ((6, 4), 2),
        ((5, 6), 0),
    ] {
        assert_eq!(d(5, 6, true, o2, l2, true), want);
    }
    assert_eq!(d(225, 70, true, 220, 80, true), 50);
    assert_eq!(d(370, 30, true, 355, 20, true), 850);
    assert_eq!(d(400, 50, false, 400, 20, true), 400);
}

#[test]
fn krippendorff_2004_example() {
    let u = |o: usize, l: usize| (o - 150, o - 150 + l);
    let c = [
        vec![u(225, 70), u(370, 30)],
        vec![u(220, 80), u(355, 20), u(400, 20)],
    ];
    let k = [vec![u(180, 60), u(300, 50)], vec![u(180, 60), u(300, 50)]];
    let dc = alpha::disagreement(&[&c[0], &c[1]], 300).unwrap();
    let dk = alpha::disagreement(&[&k[0], &k[1]], 300).unwrap();
    within(dc.observed, 0.0144, 0.0001);
    within(dc.expected, 0.0532, 0.0001);
    within(alpha::category_alpha(dc).unwrap(), 0.7286, 0.0001);
    within(dk.observed, 0.0, 0.0001);
    within(dk.expected, 0.0490, 0.0001);
    within(alpha::category_alpha(dk).unwrap(), 1.0, 0.0001);
    within(alpha::study_alpha(&[dc, dk]).unwrap(), 0.8591, 0.0005);
}
