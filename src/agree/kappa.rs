//! Cohen's kappa (two annotators) and Fleiss' kappa (three or more) over
//! code points: each code point of the article (of every article of a
//! corpus) is an item, and its value for an annotator is whether a span of
//! the label covers it.
//!
//! The conventions are DKPro Agreement's (`CohenKappaAgreement`,
//! `FleissKappaAgreement` and `CodingAgreementMeasure` in
//! `dkpro-statistics-agreement/src/main/java/org/dkpro/statistics/agreement/coding/`):
//! observed agreement is the share of agreeing rater pairs per item,
//! averaged over the items; Cohen's expected agreement multiplies each
//! rater's own proportions, Fleiss' squares the pooled proportions; kappa is
//! `(A_o - A_e) / (1 - A_e)`. Where DKPro throws (one value only: nobody used
//! the label, or everybody covered every code point with it, so that
//! `A_e = 1`) or divides by zero (no code points), the figure is undefined.
//!
//! Counting works on intervals, never code point by code point: each
//! annotator's spans of the label are merged into the code points they
//! cover, and one sweep over their ends counts how many code points are
//! covered by exactly k annotators. The sums are exact integers; only the
//! final division is in floating point.

use super::alpha::Segment;

/// Why kappa could not be computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KappaProblem {
    /// There are no code points.
    NoItems,
    /// Every code point has the same value for every annotator (nobody
    /// used the label, or all covered everything), so that `A_e` = 1.
    OneValue {
        /// Whether the one value is "covered" (else nobody used the label).
        covered: bool,
    },
    /// The sums do not fit in 128 bits.
    TooLarge,
}

/// The code points covered by `units` (sorted by start), as disjoint
/// sorted intervals.
pub(crate) fn coverage(units: &[Segment]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(units.len());
    for &(start, end) in units {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

fn covered(intervals: &[Segment]) -> usize {
    intervals.iter().map(|(s, e)| e - s).sum()
}

/// `m[k]`: how many of the `items` code points exactly `k` of the
/// coverages cover.
fn by_count(coverages: &[Vec<Segment>], items: usize) -> Vec<usize> {
    let mut events: Vec<(usize, i8)> = Vec::new();
    for c in coverages {
        for &(s, e) in c {
            events.push((s, 1));
            events.push((e, -1));
        }
    }
    events.sort_unstable();
    let mut m = vec![0usize; coverages.len() + 1];
    let mut level: usize = 0;
    let mut last = 0;
    for (pos, delta) in events {
        m[level] += pos - last;
        last = pos;
        level = if delta > 0 { level + 1 } else { level - 1 };
    }
    m[0] = 0;
    let covered_any: usize = m[1..].iter().sum();
    m[0] = items.saturating_sub(covered_any);
    m
}

/// Kappa of one label: Cohen's for two coverages, Fleiss' for more.
pub(crate) fn kappa(coverages: &[Vec<Segment>], items: usize) -> Result<f64, KappaProblem> {
    if items == 0 {
        return Err(KappaProblem::NoItems);
    }
    let m = by_count(coverages, items);
    let (numerator, denominator) = if coverages.len() == 2 {
        cohen(covered(&coverages[0]), covered(&coverages[1]), m[2], items)
    } else {
        fleiss(&m, items)
    }
    .ok_or(KappaProblem::TooLarge)?;
    if denominator == 0 {
        return Err(KappaProblem::OneValue { covered: m[0] == 0 });
    }
    Ok(numerator as f64 / denominator as f64)
}

/// Cohen: with `a`, `b` the code points each covers, `both` those both
/// cover, `n` items: kappa = (n·agree - E) / (n² - E) where E = a·b +
/// (n - a)(n - b), which is (`A_o` - `A_e`) / (1 - `A_e`) times n² / n².
fn cohen(a: usize, b: usize, both: usize, n: usize) -> Option<(i128, i128)> {
    let (a, b, both, n) = (a as i128, b as i128, both as i128, n as i128);
    let agree = both + (n - a - b + both);
    let expected = a.checked_mul(b)?.checked_add((n - a).checked_mul(n - b)?)?;
    let n2 = n.checked_mul(n)?;
    Some((n.checked_mul(agree)?.checked_sub(expected)?, n2 - expected))
}

/// Fleiss over `r` raters with `m[k]` items covered by `k` of them: with
/// T = n·r ratings, Y of them "covered", P = `Σ_k` `m_k` (k(k-1) + (r-k)(r-k-1))
/// agreeing ordered pairs and S = Y² + (T - Y)²:
/// kappa = (P·T - S(r - 1)) / ((T² - S)(r - 1)).
fn fleiss(m: &[usize], n: usize) -> Option<(i128, i128)> {
    let r = (m.len() - 1) as i128;
    let t = (n as i128).checked_mul(r)?;
    let mut y: i128 = 0;
    let mut pairs: i128 = 0;
    for (k, &count) in m.iter().enumerate() {
        let (k, count) = (k as i128, count as i128);
        y = y.checked_add(k.checked_mul(count)?)?;
        let agreeing = k * (k - 1) + (r - k) * (r - k - 1);
        pairs = pairs.checked_add(agreeing.checked_mul(count)?)?;
    }
    let s = y.checked_mul(y)?.checked_add((t - y).checked_mul(t - y)?)?;
    let numerator = pairs.checked_mul(t)?.checked_sub(s.checked_mul(r - 1)?)?;
    let denominator = t.checked_mul(t)?.checked_sub(s)?.checked_mul(r - 1)?;
    Some((numerator, denominator))
}
