//! Editing the annotations: tagging, relabelling, resizing, selecting,
//! linking, notes and attributes, undo and redo.

use std::ops::Range;

use super::{Edge, LinkLine, Session, Step};
use crate::edit::Edit;
use crate::model::{Link, LinkId, Origin, Span, SpanId};

impl Session {
    /// Sets the text selection (already snapped by the view if wanted).
    pub fn set_selection(&mut self, range: Option<Range<usize>>) {
        self.selection = range.filter(|r| r.start < r.end);
        if let Some(r) = &self.selection {
            let end = r.end;
            self.place_caret(end);
        }
        if self.selection.is_some() {
            self.selected = None;
        }
    }

    /// The label key was pressed: tag the selected text, or relabel the
    /// selected span.
    pub fn apply_label(&mut self, label: &str) {
        if let Some(range) = self.selection.clone() {
            self.tag(label, range);
        } else if let Some(id) = self.selected {
            self.relabel(id, label);
        } else {
            self.info("Select some text first, then press a label key");
        }
    }

    /// Creates a span over `range` and selects it.
    pub fn tag(&mut self, label: &str, range: Range<usize>) {
        let id = self.doc.annotations.next_span_id();
        let origin = Origin::Human {
            annotator: self.annotator.clone(),
        };
        let end = range.end;
        let Some(span) = Span::new_in(&self.doc.article.text, id, label, range, origin) else {
            self.error("The selection is outside the article");
            return;
        };
        if self.apply(&format!("Tag {label}"), vec![Edit::AddSpan(Box::new(span))]) {
            self.selection = None;
            self.selected = Some(id);
            self.place_caret(end);
            self.info(format!("Tagged span {id} as {label}"));
        }
    }

    /// Marks the article done, or not done, as an undoable step.
    pub fn toggle_done(&mut self) {
        let done = !self.doc.annotations.done;
        let name = if done { "Mark done" } else { "Mark not done" };
        if self.apply(name, vec![Edit::SetDone(done)]) {
            self.info(if done {
                "Article marked done"
            } else {
                "Article marked not done"
            });
        }
    }

    /// The selected span.
    pub fn selected_span(&self) -> Option<&Span> {
        self.selected.and_then(|id| self.doc.annotations.span(id))
    }

    /// Changes a span's label.
    pub fn relabel(&mut self, id: SpanId, label: &str) {
        if self
            .doc
            .annotations
            .span(id)
            .is_some_and(|s| s.label == label)
        {
            return;
        }
        let edit = Edit::Relabel {
            id,
            label: label.to_owned(),
        };
        if self.apply(&format!("Relabel as {label}"), vec![edit]) {
            self.info(format!("Span {id} is now a {label}"));
        }
    }

    /// Deletes the selected span with its links.
    pub fn delete_selected(&mut self) {
        let Some(id) = self.selected else {
            return;
        };
        let next = self
            .neighbour(id, true)
            .or_else(|| self.neighbour(id, false));
        let edits = Edit::remove_span_with_links(&self.doc.annotations, id);
        if self.apply("Delete span", edits) {
            self.selected = next;
            self.info(format!("Deleted span {id}"));
        }
    }

    /// Moves an edge of the selected span.
    pub fn resize_selected(&mut self, edge: Edge, forward: bool, step: Step) {
        let Some(span) = self.selected_span() else {
            return;
        };
        if span.orphan {
            self.error("An orphan span cannot be resized; it is not in the article");
            return;
        }
        let id = span.id;
        if let Some(range) = self.resized_range(edge, forward, step) {
            self.apply("Resize span", vec![Edit::Resize { id, range }]);
        }
    }

    fn visible(s: &Span) -> bool {
        !s.orphan && !s.is_rejected()
    }

    fn neighbour(&self, id: SpanId, forward: bool) -> Option<SpanId> {
        let key = self.doc.annotations.span(id)?.order_key();
        if forward {
            self.doc
                .annotations
                .spans_after(key)
                .find(|s| Self::visible(s))
                .map(|s| s.id)
        } else {
            self.doc
                .annotations
                .spans_before(key)
                .find(|s| Self::visible(s))
                .map(|s| s.id)
        }
    }

    /// Selects the next (or previous) span, wrapping around.
    pub fn select_step(&mut self, forward: bool) {
        let ann = &self.doc.annotations;
        let next = match self.selected {
            Some(id) => self.neighbour(id, forward),
            None => None,
        }
        .or_else(|| {
            if forward {
                ann.spans().find(|s| Self::visible(s)).map(|s| s.id)
            } else {
                ann.spans().rev().find(|s| Self::visible(s)).map(|s| s.id)
            }
        });
        if let Some(id) = next {
            self.select(id);
        }
    }

    /// Selects a span and asks the view to show it.
    pub fn select(&mut self, id: SpanId) {
        if let Some(s) = self.doc.annotations.span(id) {
            self.selected = Some(id);
            self.selection = None;
            if !s.orphan {
                self.caret = s.start;
                self.caret_anchor = None;
                self.request_scroll(s.start);
            }
        }
    }

    /// A click on no text: clears the selection, unless a link waits for
    /// its target.
    pub fn click_nowhere(&mut self) {
        if self.pending_link.is_none() {
            self.escape();
        }
    }

    /// Clears selection and a pending link.
    pub fn escape(&mut self) {
        if self.pending_link.take().is_some() {
            self.info("Linking cancelled");
        } else {
            self.selected = None;
            self.selection = None;
        }
    }

    /// Spans at a char offset, innermost first.
    pub fn spans_at(&self, offset: usize) -> Vec<SpanId> {
        let mut hits: Vec<&Span> = self
            .doc
            .annotations
            .spans_overlapping(offset..offset + 1)
            .filter(|s| Self::visible(s))
            .collect();
        hits.sort_by_key(|s| (s.end - s.start, s.start, s.id));
        hits.into_iter().map(|s| s.id).collect()
    }

    /// A click at a char offset: completes a pending link, or selects the
    /// span there; clicking the same place again cycles through the spans
    /// that overlap it.
    pub fn click(&mut self, offset: usize) {
        let hits = self.spans_at(offset);
        if self.pending_link.is_some() {
            if let Some(&target) = hits.iter().find(|&&id| self.link_target_ok(id)) {
                self.finish_link(target);
            } else if let Some(&first) = hits.first() {
                self.finish_link(first);
            } else {
                self.info("Click a span to link to, or press Esc to cancel");
            }
            return;
        }
        self.selection = None;
        self.place_caret(offset);
        if hits.is_empty() {
            self.selected = None;
            self.last_click = None;
            return;
        }
        let index = match self.last_click {
            Some((at, i)) if at == offset && self.selected == hits.get(i).copied() => {
                (i + 1) % hits.len()
            }
            _ => 0,
        };
        self.last_click = Some((offset, index));
        self.selected = Some(hits[index]);
        if hits.len() > 1 {
            self.info(format!(
                "{} spans overlap here; click again to cycle ({}/{})",
                hits.len(),
                index + 1,
                hits.len()
            ));
        }
    }

    fn link_target_ok(&self, target: SpanId) -> bool {
        let (Some(kind), Some(from), Some(to)) = (
            self.pending_link.as_deref(),
            self.selected.and_then(|id| self.doc.annotations.span(id)),
            self.doc.annotations.span(target),
        ) else {
            return false;
        };
        self.schema.check_link(kind, &from.label, &to.label).is_ok()
    }

    /// Starts linking the selected span with a link of `kind`.
    pub fn begin_link(&mut self, kind: &str) {
        let Some(from) = self.selected.and_then(|id| self.doc.annotations.span(id)) else {
            self.info("Select a span first, then press the link key");
            return;
        };
        let Some(def) = self.schema.link_kind(kind) else {
            self.error(format!("The schema has no link kind {kind:?}"));
            return;
        };
        if !def.from.contains(&from.label) {
            let msg = format!(
                "A {kind} link starts at a {}, not at a {}",
                def.from.join(" or "),
                from.label
            );
            self.error(msg);
            return;
        }
        let to = def.to.join(" or ");
        self.pending_link = Some(kind.to_owned());
        self.info(format!(
            "Linking ({kind}): click the {to} (or pick it in the inspector); Esc cancels"
        ));
    }

    /// Completes a pending link to `target`.
    pub fn finish_link(&mut self, target: SpanId) {
        let (Some(kind), Some(from)) = (self.pending_link.clone(), self.selected) else {
            return;
        };
        let (Some(f), Some(t)) = (
            self.doc.annotations.span(from),
            self.doc.annotations.span(target),
        ) else {
            return;
        };
        if let Err(why) = self.schema.check_link(&kind, &f.label, &t.label) {
            self.error(format!("Not linked: {why}"));
            return;
        }
        if from == target {
            self.error("Not linked: a span cannot link to itself");
            return;
        }
        if self
            .doc
            .annotations
            .links_of(from)
            .any(|l| l.kind == kind && l.from == from && l.to == target)
        {
            self.pending_link = None;
            self.info("These spans are already linked");
            return;
        }
        let link = Link {
            id: self.doc.annotations.next_link_id(),
            kind: kind.clone(),
            from,
            to: target,
        };
        if self.apply(&format!("Link {kind}"), vec![Edit::AddLink(link)]) {
            self.pending_link = None;
            self.info(format!("Linked span {from} -> span {target} ({kind})"));
        }
    }

    /// Removes a link.
    pub fn remove_link(&mut self, id: LinkId) {
        self.apply("Remove link", vec![Edit::RemoveLink(id)]);
    }

    /// Sets a span's note (one undo step per edit session).
    pub fn set_note(&mut self, id: SpanId, note: Option<String>) {
        let note = note.filter(|n| !n.trim().is_empty());
        if self
            .doc
            .annotations
            .span(id)
            .is_some_and(|s| s.note == note)
        {
            return;
        }
        self.apply("Edit note", vec![Edit::SetNote { id, note }]);
    }

    /// Sets or removes one attribute.
    pub fn set_attribute(&mut self, id: SpanId, key: &str, value: Option<String>) {
        let key = key.trim();
        if key.is_empty() {
            return;
        }
        self.apply(
            "Edit attribute",
            vec![Edit::SetAttribute {
                id,
                key: key.to_owned(),
                value,
            }],
        );
    }

    /// Undoes the last step.
    pub fn undo(&mut self) {
        let name = self.history.undo_name().map(str::to_owned);
        let text = &self.doc.article.text;
        match self.history.undo(&mut self.doc.annotations, text) {
            Ok(true) => {
                self.changed();
                self.after_history();
                // The message says what is true now, not what was done
                // before the undo.
                self.info(format!("Undone: {}", name.unwrap_or_default()));
            }
            Ok(false) => self.info("Nothing to undo"),
            Err(e) => self.error(format!("Undo failed: {e}")),
        }
    }

    /// Redoes the last undone step.
    pub fn redo(&mut self) {
        let name = self.history.redo_name().map(str::to_owned);
        let text = &self.doc.article.text;
        match self.history.redo(&mut self.doc.annotations, text) {
            Ok(true) => {
                self.changed();
                self.after_history();
                self.info(format!("Redone: {}", name.unwrap_or_default()));
            }
            Ok(false) => self.info("Nothing to redo"),
            Err(e) => self.error(format!("Redo failed: {e}")),
        }
    }

    fn after_history(&mut self) {
        if self
            .selected
            .is_some_and(|id| self.doc.annotations.span(id).is_none())
        {
            self.selected = None;
        }
    }

    /// The links of a span as people read them: kind, direction arrow
    /// (`->` outgoing, `<-` incoming), the span at the other end and its
    /// label with a short quote.
    pub fn link_lines(&self, id: SpanId) -> Vec<LinkLine> {
        self.doc
            .annotations
            .links_of(id)
            .map(|l| {
                let (arrow, other) = if l.from == id {
                    ("->", l.to)
                } else {
                    ("<-", l.from)
                };
                let describe = self.doc.annotations.span(other).map_or_else(
                    || "missing span".to_owned(),
                    |o| format!("{} {}", o.label, crate::check::excerpt(&o.text)),
                );
                LinkLine {
                    link: l.id,
                    kind: l.kind.clone(),
                    arrow,
                    other,
                    describe,
                }
            })
            .collect()
    }

    /// Spans a pending link of `kind` from span `from` may go to, nearest
    /// first (by the gap between the two spans), whose text or id contains
    /// `filter` (ignoring case). Looks within `LINK_RADIUS` chars of the
    /// span, so the cost does not depend on the article's length; at most
    /// `limit`.
    pub fn link_candidates(
        &self,
        from: SpanId,
        kind: &str,
        filter: &str,
        limit: usize,
    ) -> Vec<SpanId> {
        let ann = &self.doc.annotations;
        let Some(span) = ann.span(from) else {
            return Vec::new();
        };
        let allowed = self
            .schema
            .link_kind(kind)
            .map(|k| k.to.clone())
            .unwrap_or_default();
        let filter = filter.trim().to_lowercase();
        let near = span.start.saturating_sub(LINK_RADIUS)..span.end + LINK_RADIUS;
        let gap = |s: &Span| {
            if s.end <= span.start {
                span.start - s.end
            } else {
                s.start.saturating_sub(span.end)
            }
        };
        let mut found: Vec<(usize, usize, SpanId)> = ann
            .spans_overlapping(near)
            .filter(|s| allowed.contains(&s.label) && s.id != from && !s.orphan && !s.is_rejected())
            .filter(|s| {
                filter.is_empty()
                    || s.text.to_lowercase().contains(&filter)
                    || s.id.to_string() == filter
            })
            .map(|s| (gap(s), s.start, s.id))
            .collect();
        found.sort_unstable();
        found.into_iter().take(limit).map(|(_, _, id)| id).collect()
    }
}

/// How far (chars) around a span link targets are offered.
pub const LINK_RADIUS: usize = 4000;
