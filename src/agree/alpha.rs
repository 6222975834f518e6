//! Krippendorff's unitized alpha (`alpha_U`; Krippendorff 1995, 2004), as
//! DKPro Agreement computes it and INCEpTION reports it.
//!
//! This is a port of `KrippendorffAlphaUnitizingAgreement.java` in DKPro
//! Agreement (github.com/dkpro/dkpro-statistics,
//! `dkpro-statistics-agreement/src/main/java/org/dkpro/statistics/agreement/unitizing/`,
//! read at commit f7f4f89), kept step for step where the figures are made:
//!
//! - The continuum begins at 0 (DKPro's `B`; tandai's offsets start there)
//!   and is `length` code points long (`L`): the article, or the articles of
//!   a corpus one after another.
//! - A label is a category. Each rater's units of that label are walked in
//!   order of position; the stretch between two units (and before the first,
//!   after the last) is a gap, a segment with no category.
//! - Observed disagreement of a category: for every pair of raters, walk both
//!   segmentations together; at each point where a segment of either begins,
//!   add the distance between the two current segments
//!   ([`distance`], DKPro's `measureDistance`). The walk stops once neither
//!   rater has a unit left to start, exactly as DKPro's loop does. The sum is
//!   doubled and divided by `R (R - 1) L²`.
//! - Expected disagreement of a category: over its units `u` (length `l`,
//!   `N_c` of them, all raters), `(N_c - 1) (2l³ - 3l² + l) / 3` plus `l²`
//!   times the sum of `g - l + 1` over every gap `g >= l` of every rater;
//!   times `2 / L`, divided by `R L (R L - 1) - Σ l (l - 1)`.
//! - The category's alpha is `1 - D_o / D_e`, and 0 when the two are equal.
//!   The study's alpha (all labels) is `1 - mean D_o / mean D_e` over the
//!   labels that have units, 1 when both are 0 (DKPro's
//!   `DisagreementMeasure.calculateAgreement`).
//!
//! Where DKPro returns a number that carries no information, tandai says the
//! figure is undefined instead: no unit of the label at all (DKPro: 0), an
//! expected disagreement of 0 (DKPro: 0, or 1 for the whole study), an empty
//! continuum (DKPro: a division by zero). `alpha_U` requires that no rater's
//! units of one category overlap (DKPro's walk is then meaningless, and
//! INCEpTION silently drops the later unit); tandai reports such a label as
//! undefined and names the two spans.
//!
//! Sums are kept as exact integers (DKPro uses `double` for the observed
//! sum and `BigDecimal` for the expected one); only the final division is in
//! floating point, so figures agree with DKPro's to about 1e-15.

/// One unit: its first code point and its end (exclusive) on the
/// continuum, end > start.
pub(crate) type Segment = (usize, usize);

/// Disagreements of one category.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Disagreement {
    /// Observed disagreement (`D_o`).
    pub observed: f64,
    /// Expected disagreement (`D_e`).
    pub expected: f64,
}

/// Why `alpha_U` of a category could not be computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AlphaProblem {
    /// The continuum has no code points.
    EmptyContinuum,
    /// No rater has a unit of this category.
    NoUnits,
    /// Two units of one rater overlap.
    Overlap {
        /// The rater (index).
        rater: usize,
        /// The earlier unit.
        first: Segment,
        /// The unit that starts inside it.
        second: Segment,
    },
    /// The sums do not fit in 128 bits (far beyond any real corpus).
    TooLarge,
}

/// `D_o` and `D_e` of one category: `raters[r]` holds rater `r`'s units,
/// sorted by (start, end).
pub(crate) fn disagreement(
    raters: &[&[Segment]],
    length: usize,
) -> Result<Disagreement, AlphaProblem> {
    if length == 0 {
        return Err(AlphaProblem::EmptyContinuum);
    }
    for (rater, units) in raters.iter().enumerate() {
        if let Some(w) = units.windows(2).find(|w| w[1].0 < w[0].1) {
            return Err(AlphaProblem::Overlap {
                rater,
                first: w[0],
                second: w[1],
            });
        }
    }
    if raters.iter().all(|u| u.is_empty()) {
        return Err(AlphaProblem::NoUnits);
    }
    let observed = observed(raters, length).ok_or(AlphaProblem::TooLarge)?;
    let expected = expected(raters, length).ok_or(AlphaProblem::TooLarge)?;
    Ok(Disagreement { observed, expected })
}

/// A category's alpha from its disagreements (DKPro's
/// `calculateCategoryAgreement`), `None` if `D_e` is 0.
pub(crate) fn category_alpha(d: Disagreement) -> Option<f64> {
    if d.expected == 0.0 {
        return None;
    }
    #[allow(clippy::float_cmp)] // DKPro's own test, kept as it is.
    if d.observed == d.expected {
        return Some(0.0);
    }
    Some(1.0 - d.observed / d.expected)
}

/// The study's alpha over several categories (DKPro's
/// `calculateAgreement`: the mean disagreements), `None` if none or if the
/// mean `D_e` is 0.
pub(crate) fn study_alpha(categories: &[Disagreement]) -> Option<f64> {
    if categories.is_empty() {
        return None;
    }
    let n = categories.len() as f64;
    let observed = categories.iter().map(|d| d.observed).sum::<f64>() / n;
    let expected = categories.iter().map(|d| d.expected).sum::<f64>() / n;
    category_alpha(Disagreement { observed, expected })
}

/// DKPro's `measureDistance` between two current segments, each with its
/// offset, length and whether it is a unit (has the category) or a gap.
pub(crate) fn distance(
    (offset1, length1, unit1): (i128, i128, bool),
    (offset2, length2, unit2): (i128, i128, bool),
) -> i128 {
    let begin_diff = offset1 - offset2;
    let length_diff = length1 - length2;
    if unit1 && unit2 && -length1 < begin_diff && begin_diff < length2 {
        return begin_diff * begin_diff + (begin_diff + length_diff) * (begin_diff + length_diff);
    }
    if unit1 && !unit2 && -length_diff >= begin_diff && begin_diff >= 0 {
        return length1 * length1;
    }
    if !unit1 && unit2 && -length_diff <= begin_diff && begin_diff <= 0 {
        return length2 * length2;
    }
    0
}

/// One rater's walk over the continuum: the current segment and the next
/// unit to start.
struct Walk<'a> {
    units: &'a [Segment],
    next: usize,
    offset: usize,
    length: usize,
    unit: bool,
}

impl<'a> Walk<'a> {
    fn new(units: &'a [Segment]) -> Self {
        Walk {
            units,
            next: 0,
            offset: 0,
            length: 0,
            unit: false,
        }
    }

    fn has_next(&self) -> bool {
        self.next < self.units.len()
    }

    /// At `pos`: if the current segment ends here, the next one begins (the
    /// next unit if it starts here, else the gap up to it or to the end).
    fn step(&mut self, pos: usize, end: usize) {
        if pos != self.offset + self.length {
            return;
        }
        match self.units.get(self.next) {
            Some(&(start, stop)) if start == pos => {
                self.length = stop - start;
                self.unit = true;
                self.next += 1;
            }
            next => {
                self.length = next.map_or(end, |u| u.0) - pos;
                self.unit = false;
            }
        }
        self.offset = pos;
    }

    fn current(&self) -> (i128, i128, bool) {
        (self.offset as i128, self.length as i128, self.unit)
    }

    fn end(&self) -> usize {
        self.offset + self.length
    }
}

/// The observed distance summed over one pair of raters (DKPro's loop in
/// `calculateObservedCategoryDisagreement`).
fn observed_pair(units1: &[Segment], units2: &[Segment], length: usize) -> Option<i128> {
    let mut w1 = Walk::new(units1);
    let mut w2 = Walk::new(units2);
    let mut sum: i128 = 0;
    let mut pos = 0;
    while pos < length && (w1.has_next() || w2.has_next()) {
        w1.step(pos, length);
        w2.step(pos, length);
        sum = sum.checked_add(distance(w1.current(), w2.current()))?;
        pos = w1.end().min(w2.end());
    }
    Some(sum)
}

fn observed(raters: &[&[Segment]], length: usize) -> Option<f64> {
    let r = raters.len();
    let mut sum: i128 = 0;
    for i in 0..r {
        for j in i + 1..r {
            sum = sum.checked_add(observed_pair(raters[i], raters[j], length)?)?;
        }
    }
    let l = length as i128;
    let denominator = (r as i128 * (r as i128 - 1)).checked_mul(l.checked_mul(l)?)?;
    Some((2 * sum) as f64 / denominator as f64)
}

/// Every rater's gaps of this category, sorted: the stretches between
/// units, before the first and after the last (a rater without units has
/// one gap, the whole continuum).
fn gaps(raters: &[&[Segment]], length: usize) -> Vec<u128> {
    let mut gaps = Vec::new();
    for units in raters {
        let mut pos = 0;
        for &(start, end) in *units {
            if start > pos {
                gaps.push((start - pos) as u128);
            }
            pos = end;
        }
        if pos < length {
            gaps.push((length - pos) as u128);
        }
    }
    gaps.sort_unstable();
    gaps
}

fn expected(raters: &[&[Segment]], length: usize) -> Option<f64> {
    let gaps = gaps(raters, length);
    // suffix[i] = sum of gaps[i..]
    let mut suffix = vec![0u128; gaps.len() + 1];
    for i in (0..gaps.len()).rev() {
        suffix[i] = suffix[i + 1].checked_add(gaps[i])?;
    }
    let n_c = raters.iter().map(|u| u.len()).sum::<usize>() as u128;
    let mut squared_lengths: u128 = 0;
    let mut sum: u128 = 0;
    for &(start, end) in raters.iter().flat_map(|u| u.iter()) {
        let l = (end - start) as u128;
        squared_lengths = squared_lengths.checked_add(l * (l - 1))?;
        // (N_c - 1)(2l³ - 3l² + l) / 3, exact: l(l - 1)(2l - 1) is a
        // multiple of 6.
        let cubic = l.checked_mul(l - 1)?.checked_mul(2 * l - 1)? / 3;
        let sum1 = (n_c - 1).checked_mul(cubic)?;
        // Σ over gaps g >= l of (g - l + 1)
        let first = gaps.partition_point(|&g| g < l);
        let count = (gaps.len() - first) as u128;
        let fitting = suffix[first] - (l - 1) * count;
        let sum2 = l.checked_mul(l)?.checked_mul(fitting)?;
        sum = sum.checked_add(sum1)?.checked_add(sum2)?;
    }
    let rl = (raters.len() as u128).checked_mul(length as u128)?;
    let denominator = rl.checked_mul(rl - 1)?.checked_sub(squared_lengths)?;
    if denominator == 0 {
        return Some(0.0);
    }
    let l = length as u128;
    Some(sum.checked_mul(2)? as f64 / l.checked_mul(denominator)? as f64)
}
