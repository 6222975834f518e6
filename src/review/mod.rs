//! Reviewing machine-made spans: decisions, the review queue, bulk
//! decisions and the scorecard of how good each model was.
//!
//! A decision never changes annotations directly: [`decide`] and [`bulk`]
//! return the [`Edit`]s that record it (an [`Edit::Restore`] per span, which
//! replaces the span by its decided version), so the caller applies them as
//! one step of its [`crate::edit::History`] and undo takes the decision
//! back exactly.
//!
//! What a decision does to a machine span:
//!
//! | decision | status | label, range | `proposed` | `reviewer` |
//! |---|---|---|---|---|
//! | [`Decision::Accept`] | `Accepted` (or stays `Corrected`, below) | kept | kept | set |
//! | [`Decision::Reject`] | `Rejected` | kept | kept | set |
//! | [`Decision::Relabel`] | `Corrected` | new label | the model's label and range | set |
//! | [`Decision::Resize`] | `Corrected` | new range | the model's label and range | set |
//!
//! - `proposed` records what the model said, taken from the span at its
//!   first correction and never overwritten afterwards, however often it is
//!   corrected again.
//! - A correction that brings the span back to exactly the model's label
//!   *and* range is an acceptance: status `Accepted`, `proposed` cleared.
//! - Accept confirms the span as it now stands: `Accepted` if that is what
//!   the model said, else it stays `Corrected` (the reviewer's correction is
//!   never thrown away by an accept; undo does that).
//!
//! The scorecard ([`Scorecard`], [`Tally`]) counts, per model and per
//! (model, label the model gave), how many spans were accepted, corrected
//! (label, boundary or both), rejected or are still pending. Precision is
//! accepted / decided, where decided = accepted + corrected + rejected: a
//! corrected span counts against the model. Its 95% Wilson score interval
//! is [`Tally::wilson`].

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Serialize;

use crate::edit::Edit;
use crate::model::{Annotations, Origin, Proposed, Span, SpanId, Status};
use crate::offsets::Text;

/// A reviewer's decision on one machine span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The model was right.
    Accept,
    /// The model was wrong; the span stays in the file, status `Rejected`.
    Reject,
    /// The span is right but its label is not: the new label.
    Relabel(String),
    /// The label is right but the boundaries are not: the new char range.
    Resize(Range<usize>),
}

/// Why a decision could not be made. Nothing was changed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReviewError {
    /// No span has this id.
    #[error("there is no span {0}")]
    NoSuchSpan(SpanId),
    /// The span was made by a person; only machine spans are reviewed.
    #[error("span {0} was tagged by a person, not a model; only machine spans are reviewed")]
    NotMachine(SpanId),
    /// A relabel to an empty (or blank) label.
    #[error("a label cannot be empty")]
    EmptyLabel,
    /// A resize to a range that covers nothing or leaves the article.
    #[error("range {start}..{end} is empty or outside the article ({len} chars)")]
    BadRange {
        /// Start asked for.
        start: usize,
        /// End asked for.
        end: usize,
        /// Article length in chars.
        len: usize,
    },
}

/// What the model proposed for a span: its `proposed` if it was corrected,
/// else its current label and range.
pub fn model_proposal(span: &Span) -> Proposed {
    span.proposed.clone().unwrap_or_else(|| Proposed {
        label: span.label.clone(),
        start: span.start,
        end: span.end,
    })
}

/// Whether the span's label and range are what the model proposed.
fn as_proposed(span: &Span, p: &Proposed) -> bool {
    span.label == p.label && span.start == p.start && span.end == p.end
}

/// The edits that record `decision` on span `id` by `reviewer`: one
/// [`Edit::Restore`] with the decided version of the span (see the module
/// documentation for what each decision does). Apply them as one step.
pub fn decide(
    ann: &Annotations,
    text: &Text,
    id: SpanId,
    decision: &Decision,
    reviewer: &str,
) -> Result<Vec<Edit>, ReviewError> {
    let span = ann.span(id).ok_or(ReviewError::NoSuchSpan(id))?;
    if !span.origin.is_machine() {
        return Err(ReviewError::NotMachine(id));
    }
    let proposal = model_proposal(span);
    let mut new = span.clone();
    new.reviewer = Some(reviewer.to_owned());
    match decision {
        Decision::Accept => {
            if as_proposed(&new, &proposal) {
                new.status = Some(Status::Accepted);
                new.proposed = None;
            } else {
                new.status = Some(Status::Corrected);
                new.proposed = Some(proposal);
            }
        }
        Decision::Reject => new.status = Some(Status::Rejected),
        Decision::Relabel(label) => {
            if label.trim().is_empty() {
                return Err(ReviewError::EmptyLabel);
            }
            new.label.clone_from(label);
            settle_correction(&mut new, proposal);
        }
        Decision::Resize(range) => {
            let len = text.len_chars();
            let bad = ReviewError::BadRange {
                start: range.start,
                end: range.end,
                len,
            };
            if range.start >= range.end {
                return Err(bad);
            }
            new.set_range(text, range.clone()).ok_or(bad)?;
            settle_correction(&mut new, proposal);
        }
    }
    Ok(vec![Edit::Restore(Box::new(new))])
}

/// After a relabel or resize: `Corrected` with the model's proposal kept,
/// unless the span is back to exactly what the model said.
fn settle_correction(span: &mut Span, proposal: Proposed) {
    if as_proposed(span, &proposal) {
        span.status = Some(Status::Accepted);
        span.proposed = None;
    } else {
        span.status = Some(Status::Corrected);
        span.proposed = Some(proposal);
    }
}

/// "Accept all shown" (`accept`) or "reject all shown": the edits that
/// decide every span of `ids` at once, to be applied as one step.
///
/// It acts on every listed machine span, whatever its status (the queue
/// normally lists pending spans only; see [`Filter::pending_only`]), as
/// [`decide`] would, so an accept keeps a reviewer's correction. Ids of
/// human spans or of no span are skipped, and so is a span the decision
/// would not change.
pub fn bulk(ann: &Annotations, ids: &[SpanId], accept: bool, reviewer: &str) -> Vec<Edit> {
    let decision = if accept {
        Decision::Accept
    } else {
        Decision::Reject
    };
    // Accept and Reject never look at the text.
    let empty = Text::new(String::new());
    let mut seen = BTreeSet::new();
    let mut edits = Vec::new();
    for &id in ids {
        if !seen.insert(id) {
            continue;
        }
        let Ok(found) = decide(ann, &empty, id, &decision, reviewer) else {
            continue;
        };
        for e in found {
            if let (Edit::Restore(new), Some(old)) = (&e, ann.span(id))
                && **new == *old
            {
                continue;
            }
            edits.push(e);
        }
    }
    edits
}

/// Which machine spans the review queue shows.
///
/// Score bounds are inclusive. A span without a score is left out as soon
/// as either bound is set (nothing is known about it), and shown when
/// neither is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// Labels to show (the span's current label); empty: all.
    pub labels: BTreeSet<String>,
    /// Models to show; empty: all.
    pub models: BTreeSet<String>,
    /// Lowest score shown.
    pub min_score: Option<f64>,
    /// Highest score shown.
    pub max_score: Option<f64>,
    /// Only spans not decided yet.
    pub pending_only: bool,
}

impl Filter {
    /// Whether the queue shows `span`. Human spans never match.
    pub fn matches(&self, span: &Span) -> bool {
        let Origin::Machine { model, score } = &span.origin else {
            return false;
        };
        if !self.labels.is_empty() && !self.labels.contains(&span.label) {
            return false;
        }
        if !self.models.is_empty() && !self.models.contains(model) {
            return false;
        }
        if self.min_score.is_some() || self.max_score.is_some() {
            let Some(s) = *score else {
                return false;
            };
            if self.min_score.is_some_and(|m| s < m) || self.max_score.is_some_and(|m| s > m) {
                return false;
            }
        }
        !self.pending_only || is_pending(span)
    }
}

/// A machine span waiting for a decision (a missing status counts as
/// pending, as loading treats it).
fn is_pending(span: &Span) -> bool {
    span.origin.is_machine() && matches!(span.status, None | Some(Status::Pending))
}

/// The order of the review queue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QueueOrder {
    /// As the spans come in the article.
    #[default]
    Document,
    /// Least confident first (the ones most likely wrong); spans without a
    /// score last; ties in document order.
    ScoreAscending,
}

/// The review queue: machine spans matching `filter`, in `order`. Orphans
/// (spans that could not be placed in the article) are left out: there is
/// nothing to show.
pub fn queue(ann: &Annotations, filter: &Filter, order: QueueOrder) -> Vec<SpanId> {
    let mut spans: Vec<&Span> = ann
        .spans()
        .filter(|s| !s.orphan && filter.matches(s))
        .collect();
    if order == QueueOrder::ScoreAscending {
        // Stable: ties keep document order.
        spans.sort_by(|a, b| match (score_of(a), score_of(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    }
    spans.into_iter().map(|s| s.id).collect()
}

fn score_of(span: &Span) -> Option<f64> {
    match span.origin {
        Origin::Machine { score, .. } => score,
        Origin::Human { .. } => None,
    }
}

/// How far the review of one article is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Machine spans with a decision (accepted, corrected or rejected).
    pub reviewed: usize,
    /// Machine spans in all (orphans left out, as in [`queue`]).
    pub total: usize,
}

/// Review progress over the machine spans of `ann`.
pub fn progress(ann: &Annotations) -> Progress {
    let mut p = Progress::default();
    for s in ann.spans().filter(|s| s.origin.is_machine() && !s.orphan) {
        p.total += 1;
        if !is_pending(s) {
            p.reviewed += 1;
        }
    }
    p
}

/// What [`triage`] decided.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Triage {
    /// Pending spans accepted (score above the accept threshold).
    pub accepted: usize,
    /// Pending spans rejected (score below the reject threshold).
    pub rejected: usize,
    /// Pending spans without a score, left pending.
    pub unscored: usize,
    /// Pending spans with a score between the thresholds, left pending.
    pub between: usize,
}

/// Scripted triage: pending machine spans with a score strictly above
/// `accept_above` are accepted, strictly below `reject_below` rejected; the
/// rest (and every span without a score, and orphans) stay pending.
/// Spans already decided are never touched. Returns the edits,
/// to be applied as one step, and the counts. The caller makes sure the
/// thresholds do not overlap (`accept_above >= reject_below`); if they do,
/// accepting wins.
pub fn triage(
    ann: &Annotations,
    accept_above: Option<f64>,
    reject_below: Option<f64>,
    reviewer: &str,
) -> (Vec<Edit>, Triage) {
    let mut t = Triage::default();
    let mut accept = Vec::new();
    let mut reject = Vec::new();
    for s in ann.spans().filter(|s| is_pending(s) && !s.orphan) {
        match score_of(s) {
            None => t.unscored += 1,
            Some(x) if accept_above.is_some_and(|a| x > a) => accept.push(s.id),
            Some(x) if reject_below.is_some_and(|r| x < r) => reject.push(s.id),
            Some(_) => t.between += 1,
        }
    }
    t.accepted = accept.len();
    t.rejected = reject.len();
    let mut edits = bulk(ann, &accept, true, reviewer);
    edits.extend(bulk(ann, &reject, false, reviewer));
    (edits, t)
}

/// Review outcomes of a set of machine spans.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Accepted as the model proposed them.
    pub accepted: usize,
    /// Corrected: only the label changed.
    pub corrected_label: usize,
    /// Corrected: only the boundaries changed.
    pub corrected_boundary: usize,
    /// Corrected: label and boundaries changed, or the file does not say
    /// what the model proposed.
    pub corrected_both: usize,
    /// Rejected.
    pub rejected: usize,
    /// Not decided yet.
    pub pending: usize,
}

impl Tally {
    /// Counts one machine span (human spans are not counted).
    pub fn add_span(&mut self, span: &Span) {
        if !span.origin.is_machine() {
            return;
        }
        match span.status {
            None | Some(Status::Pending) => self.pending += 1,
            Some(Status::Accepted) => self.accepted += 1,
            Some(Status::Rejected) => self.rejected += 1,
            Some(Status::Corrected) => match &span.proposed {
                Some(p) => {
                    let label = p.label != span.label;
                    let range = p.start != span.start || p.end != span.end;
                    match (label, range) {
                        (true, false) => self.corrected_label += 1,
                        (false, true) => self.corrected_boundary += 1,
                        _ => self.corrected_both += 1,
                    }
                }
                None => self.corrected_both += 1,
            },
        }
    }

    /// Adds another tally to this one.
    pub fn add(&mut self, o: &Tally) {
        self.accepted += o.accepted;
        self.corrected_label += o.corrected_label;
        self.corrected_boundary += o.corrected_boundary;
        self.corrected_both += o.corrected_both;
        self.rejected += o.rejected;
        self.pending += o.pending;
    }

    /// Corrected spans of every kind.
    pub fn corrected(&self) -> usize {
        self.corrected_label + self.corrected_boundary + self.corrected_both
    }

    /// Spans with a decision: accepted + corrected + rejected.
    pub fn decided(&self) -> usize {
        self.accepted + self.corrected() + self.rejected
    }

    /// Every machine span counted.
    pub fn total(&self) -> usize {
        self.decided() + self.pending
    }

    /// accepted / decided; `None` when nothing is decided.
    pub fn precision(&self) -> Option<f64> {
        let n = self.decided();
        (n > 0).then(|| self.accepted as f64 / n as f64)
    }

    /// The 95% Wilson score interval of [`Tally::precision`].
    pub fn wilson95(&self) -> Option<(f64, f64)> {
        self.wilson(1.96)
    }

    /// The Wilson score interval of [`Tally::precision`] for the normal
    /// quantile `z` (1.96 for 95%); `None` when nothing is decided.
    pub fn wilson(&self, z: f64) -> Option<(f64, f64)> {
        wilson(self.accepted, self.decided(), z)
    }
}

/// Wilson score interval for `k` successes in `n` trials at normal quantile
/// `z`; `None` for `n == 0`. Bounds are clamped to 0..=1.
pub fn wilson(k: usize, n: usize, z: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let n = n as f64;
    let p = k as f64 / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// Review outcomes per model, per (model, label) and in total, summed over
/// any number of files.
///
/// The label of a span is the one the model gave: `proposed.label` for a
/// corrected span, else its label.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scorecard {
    /// Per model name.
    pub per_model: BTreeMap<String, Tally>,
    /// Per (model, label the model gave).
    pub per_label: BTreeMap<(String, String), Tally>,
    /// Over every machine span.
    pub total: Tally,
    /// Files (or annotation sets) added.
    pub files: usize,
}

impl Scorecard {
    /// Adds the machine spans of one article.
    pub fn add(&mut self, ann: &Annotations) {
        self.files += 1;
        for s in ann.spans() {
            self.add_span(s);
        }
    }

    /// Adds one span (human spans are ignored). For callers that read spans
    /// without building [`Annotations`] (`tandai stats` reads no article).
    pub fn add_span(&mut self, span: &Span) {
        let Origin::Machine { model, .. } = &span.origin else {
            return;
        };
        let label = span
            .proposed
            .as_ref()
            .map_or(span.label.as_str(), |p| p.label.as_str());
        self.per_model
            .entry(model.clone())
            .or_default()
            .add_span(span);
        self.per_label
            .entry((model.clone(), label.to_owned()))
            .or_default()
            .add_span(span);
        self.total.add_span(span);
    }
}

#[cfg(test)]
mod tests;
