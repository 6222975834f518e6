//! Review mode's state and its decisions: the queue of machine tags, where
//! the reviewer is in it, and one method per key. egui-free, like the
//! session it extends; the decisions themselves are [`crate::review`]'s.
//!
//! The current tag is the session's selected span, so the article view
//! outlines it and the inspector shows it. A decision is one undo step
//! named "Review: …"; Backspace takes back the last one and returns to its
//! tag. After a decision the next pending tag in queue order becomes
//! current, wrapping to the first one skipped.

use std::fmt::Write as _;
use std::ops::Range;

use super::{Edge, Session, Step};
use crate::model::{Origin, SpanId, Status};
use crate::review::{self, Decision, Filter, QueueOrder, Scorecard};

/// Prefix of the undo step names of review decisions.
const STEP: &str = "Review: ";

/// Review state of one open article.
#[derive(Clone, Debug)]
pub struct Review {
    /// Whether review mode is on.
    pub active: bool,
    /// Which machine tags the queue shows.
    pub filter: Filter,
    /// Queue order.
    pub order: QueueOrder,
    queue: Vec<SpanId>,
    /// Session generation the queue was built for.
    built: Option<(u64, Filter, QueueOrder)>,
    /// Spans decided, most recent last, for Backspace.
    decided: Vec<SpanId>,
    /// The review bar's figures, for the generation they were counted at.
    stats: Option<(u64, ReviewStats)>,
}

/// Figures of the review bar and the scorecard, counted once per change of
/// the annotations (not per frame).
#[derive(Clone, Debug, Default)]
pub struct ReviewStats {
    /// Machine tags decided.
    pub reviewed: usize,
    /// Machine tags in all.
    pub total: usize,
    /// Model names in the article.
    pub models: Vec<String>,
    /// The scorecard of this article.
    pub card: Scorecard,
}

impl ReviewStats {
    /// Counts them over `ann`.
    pub fn of(ann: &crate::model::Annotations) -> Self {
        let p = review::progress(ann);
        let mut card = Scorecard::default();
        card.add(ann);
        Self {
            reviewed: p.reviewed,
            total: p.total,
            models: card.per_model.keys().cloned().collect(),
            card,
        }
    }
}

impl Default for Review {
    fn default() -> Self {
        Self {
            active: false,
            filter: Filter {
                pending_only: true,
                ..Filter::default()
            },
            order: QueueOrder::Document,
            queue: Vec::new(),
            built: None,
            decided: Vec::new(),
            stats: None,
        }
    }
}

impl Review {
    /// The queue as last built (see [`Session::review_queue`]).
    pub fn queue(&self) -> &[SpanId] {
        &self.queue
    }
}

impl Session {
    /// Renews what review mode shows (the queue, and the figures of the
    /// review bar and scorecard) if the annotations, filter or order
    /// changed: called between frames, so drawing only reads.
    pub fn refresh_review(&mut self) {
        self.review_queue();
        let generation = self.generation;
        if self
            .review
            .stats
            .as_ref()
            .is_none_or(|(g, _)| *g != generation)
        {
            self.review.stats = Some((generation, ReviewStats::of(&self.doc.annotations)));
        }
    }

    /// The review figures as last renewed by [`Session::refresh_review`].
    pub fn review_stats(&self) -> Option<&ReviewStats> {
        self.review.stats.as_ref().map(|(_, s)| s)
    }

    /// Sets which machine tags the queue shows.
    pub fn set_review_filter(&mut self, filter: Filter) {
        self.review.filter = filter;
    }

    /// Sets the queue order.
    pub fn set_review_order(&mut self, order: QueueOrder) {
        self.review.order = order;
    }

    /// Rebuilds the review queue if the annotations, filter or order
    /// changed since it was built; returns it.
    pub fn review_queue(&mut self) -> &[SpanId] {
        let key = (
            self.generation,
            self.review.filter.clone(),
            self.review.order,
        );
        if self.review.built.as_ref() != Some(&key) {
            self.review.queue = review::queue(&self.doc.annotations, &key.1, key.2);
            self.review.built = Some(key);
        }
        &self.review.queue
    }

    /// Turns review mode on (at the first pending tag) or off.
    pub fn toggle_review(&mut self) {
        self.review.active = !self.review.active;
        if !self.review.active {
            self.info("Review mode off");
            return;
        }
        self.selection = None;
        self.pending_link = None;
        let p = review::progress(&self.doc.annotations);
        if p.total == 0 {
            self.info("Review mode: this article has no machine tags (File > Import machine tags)");
            return;
        }
        let current_ok = self
            .selected
            .is_some_and(|id| self.review_queue().contains(&id));
        if !current_ok {
            self.review_next_pending(None);
        }
        if self.selected.is_some() {
            self.info(format!(
                "Review mode: {} / {} reviewed. A accept, X reject, 1-3 relabel, Space skip",
                p.reviewed, p.total
            ));
        }
    }

    fn is_pending(&self, id: SpanId) -> bool {
        self.doc.annotations.span(id).is_some_and(|s| {
            s.origin.is_machine() && matches!(s.status, None | Some(Status::Pending))
        })
    }

    /// Makes the next pending tag after position `after` of the queue
    /// current, wrapping around to the first one; says so when none is
    /// left.
    fn review_next_pending(&mut self, after: Option<usize>) {
        let queue = self.review_queue().to_vec();
        self.next_pending_in(&queue, after);
    }

    fn next_pending_in(&mut self, queue: &[SpanId], after: Option<usize>) {
        let start = after.map_or(0, |i| i + 1).min(queue.len());
        let next = queue[start..]
            .iter()
            .chain(&queue[..start])
            .copied()
            .find(|&id| self.is_pending(id));
        if let Some(id) = next {
            self.select(id);
        } else {
            let p = review::progress(&self.doc.annotations);
            self.info(format!(
                "Every tag shown is reviewed ({} / {} in the article)",
                p.reviewed, p.total
            ));
        }
    }

    /// Position of the current tag in the queue.
    fn review_position(&mut self) -> Option<usize> {
        let current = self.selected?;
        self.review_queue().iter().position(|&id| id == current)
    }

    /// Moves to the next (or previous) tag of the queue, decided or not.
    pub fn review_step(&mut self, forward: bool) {
        // N and P walk decided tags too (to look at or change a decision),
        // so they go through the filter without its "pending only".
        let filter = Filter {
            pending_only: false,
            ..self.review.filter.clone()
        };
        let queue = review::queue(&self.doc.annotations, &filter, self.review.order);
        let at = self
            .selected
            .and_then(|id| queue.iter().position(|&q| q == id));
        let n = queue.len();
        if n == 0 {
            self.info("No machine tags match the review filter");
            return;
        }
        let i = match (at, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1).min(n - 1),
            (Some(i), false) => i.saturating_sub(1),
        };
        if let Some(&id) = queue.get(i) {
            self.select(id);
        }
    }

    /// Space: leaves the current tag pending and goes to the next pending.
    pub fn review_skip(&mut self) {
        let at = self.review_position();
        self.review_next_pending(at);
    }

    /// Records `decision` on the current tag and moves to the next pending.
    pub fn review_decide(&mut self, decision: &Decision) {
        let Some(id) = self.selected else {
            self.info("No tag is current: press N for the next one");
            return;
        };
        // The queue before the decision: a decided tag may leave it
        // (pending only); the next one is found from its old place.
        let at = self.review_position();
        let before = self.review_queue().to_vec();
        let edits = match review::decide(
            &self.doc.annotations,
            &self.doc.article.text,
            id,
            decision,
            &self.annotator,
        ) {
            Ok(e) => e,
            Err(e) => {
                self.error(e.to_string());
                return;
            }
        };
        let name = match decision {
            Decision::Accept => "accept",
            Decision::Reject => "reject",
            Decision::Relabel(_) => "relabel",
            Decision::Resize(_) => "fix boundary",
        };
        if !self.apply(&format!("{STEP}{name} span {id}"), edits) {
            return;
        }
        self.review.decided.push(id);
        let done = match decision {
            Decision::Accept => "Accepted",
            Decision::Reject => "Rejected",
            Decision::Relabel(_) | Decision::Resize(_) => "Corrected",
        };
        self.info(format!("{done} span {id} (Backspace takes it back)"));
        match decision {
            // A correction stays current: the reviewer may fix the other
            // boundary or the label too; A then moves on.
            Decision::Relabel(_) | Decision::Resize(_) => {
                self.selected = Some(id);
                self.info(format!("Corrected span {id}; A or Enter to go on"));
            }
            Decision::Accept | Decision::Reject => self.next_pending_in(&before, at),
        }
    }

    /// Relabels the current tag (status Corrected).
    pub fn review_relabel(&mut self, label: &str) {
        self.review_decide(&Decision::Relabel(label.to_owned()));
    }

    /// Moves a boundary of the current tag (status Corrected).
    pub fn review_resize(&mut self, edge: Edge, forward: bool, step: Step) {
        let Some(range) = self.resized_range(edge, forward, step) else {
            return;
        };
        self.review_decide(&Decision::Resize(range));
    }

    /// Backspace: takes back the last review decision and returns to its
    /// tag. Refuses if the last change was not a decision (Ctrl+Z undoes
    /// that).
    pub fn review_undo(&mut self) {
        let last_is_decision = self
            .history
            .undo_name()
            .is_some_and(|n| n.starts_with(STEP));
        if !last_is_decision {
            self.info("The last change was not a review decision; Ctrl+Z undoes it");
            return;
        }
        self.undo();
        if let Some(id) = self.review.decided.pop() {
            self.select(id);
        }
    }

    /// Accepts (or rejects) every tag the queue shows now, as one step.
    /// Returns how many changed.
    pub fn review_bulk(&mut self, accept: bool) -> usize {
        let ids = self.review_queue().to_vec();
        let edits = review::bulk(&self.doc.annotations, &ids, accept, &self.annotator);
        let n = edits.len();
        if n == 0 {
            self.info("Nothing to change");
            return 0;
        }
        let verb = if accept { "accept" } else { "reject" };
        if self.apply(&format!("{STEP}{verb} {n} shown tags"), edits) {
            self.info(format!(
                "{n} tags {verb}ed in one step (Ctrl+Z takes them back)"
            ));
            n
        } else {
            0
        }
    }

    /// How many tags "accept/reject all shown" would change.
    pub fn review_bulk_count(&mut self, accept: bool) -> usize {
        let ids = self.review_queue().to_vec();
        review::bulk(&self.doc.annotations, &ids, accept, &self.annotator).len()
    }

    /// Imports machine tags (JSONL) into the article as one undo step.
    /// Returns the report for people (summary, then the bad lines), or why
    /// the file could not be read at all.
    ///
    /// With `folder` (the open folder), a line's `doc` may also name the
    /// article relative to it, as in a tags file for the whole folder.
    pub fn import_tags(
        &mut self,
        path: &std::path::Path,
        folder: Option<&std::path::Path>,
    ) -> Result<String, String> {
        use crate::interop::tags;
        let src = tags::read_tags_file(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let article = self.doc.article.path.clone();
        let by_tags_file = tags::doc_matcher(path, &article);
        let abs = |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
        let is_this = |doc: &str| {
            by_tags_file(doc)
                || folder.is_some_and(|f| {
                    tags::article_in(f, doc).is_ok_and(|a| abs(&a) == abs(&article))
                })
        };
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |f| f.to_string_lossy().into_owned(),
        );
        self.import_tag_bytes(&src, &name, &is_this)
    }

    /// Imports machine tags (JSONL bytes, `name` in the report) into the
    /// article as one undo step; `is_this` says whether a line's `doc`
    /// names this article. Returns the report for people.
    pub fn import_tag_bytes(
        &mut self,
        src: &[u8],
        name: &str,
        is_this: &dyn Fn(&str) -> bool,
    ) -> Result<String, String> {
        use crate::interop::tags;
        let import = tags::import_tags(
            &self.doc.annotations,
            &self.doc.article.text,
            &self.schema,
            src,
            is_this,
        );
        let n = import.report.added;
        if !import.edits.is_empty()
            && !self.apply(&format!("Import {n} machine tags"), import.edits)
        {
            return Err("The tags could not be added; nothing changed".to_owned());
        }
        let mut text = import.report.summary();
        for p in import.report.problems.iter().take(12) {
            let _ = write!(text, "\n{name}:{}: {}", p.line, p.message);
        }
        if import.report.problems.len() > 12 {
            let _ = write!(
                text,
                "\n... and {} more bad lines",
                import.report.problems.len() - 12
            );
        }
        if n > 0 {
            self.info(format!("Imported {n} machine tags; press R to review them"));
        }
        Ok(text)
    }

    /// The current tag's model and score, for the review bar.
    pub fn review_current(&self) -> Option<(SpanId, String, Option<f64>, Option<Status>)> {
        let s = self.selected_span()?;
        match &s.origin {
            Origin::Machine { model, score } => Some((s.id, model.clone(), *score, s.status)),
            Origin::Human { .. } => None,
        }
    }

    /// The range a boundary key would give the selected span, if it moves.
    pub(crate) fn resized_range(
        &self,
        edge: Edge,
        forward: bool,
        step: Step,
    ) -> Option<Range<usize>> {
        let span = self.selected_span()?;
        if span.orphan {
            return None;
        }
        let text = &self.doc.article.text;
        let (start, end) = (span.start, span.end);
        let n = text.len_chars();
        let range = match (edge, forward, step) {
            (Edge::End, true, Step::Word) => start..text.next_word_end(end),
            (Edge::End, false, Step::Word) => start..text.prev_word_end(end),
            (Edge::Start, false, Step::Word) => text.prev_word_start(start)..end,
            (Edge::Start, true, Step::Word) => text.next_word_start(start)..end,
            (Edge::End, true, Step::Char) => start..(end + 1).min(n),
            (Edge::End, false, Step::Char) => start..end.saturating_sub(1),
            (Edge::Start, false, Step::Char) => start.saturating_sub(1)..end,
            (Edge::Start, true, Step::Char) => (start + 1)..end,
        };
        (range.start < range.end && range != (start..end)).then_some(range)
    }
}
