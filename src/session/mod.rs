//! The editing state of one open article: the loaded document, its undo
//! history, the selection, and a pending link. No egui here: the panels
//! read a [`Session`] and the app calls its methods after each frame, so all
//! of this is tested without a window.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::check::Finding;
use crate::edit::{Edit, History};
use crate::gui::find::Find;
use crate::gui::review::Review;
use crate::model::{Link, LinkId, Origin, Span, SpanId};
use crate::schema::Schema;
use crate::store::{self, DiskState, LoadOptions, Loaded, StoreError};

/// A line for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The text.
    pub text: String,
    /// Whether it reports a failure.
    pub error: bool,
}

/// One link of a span, as shown in the inspector and on hover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkLine {
    /// The link.
    pub link: LinkId,
    /// Its kind.
    pub kind: String,
    /// `->` if the span is the link's `from` end, `<-` if its `to` end.
    pub arrow: &'static str,
    /// The span at the other end.
    pub other: SpanId,
    /// That span's label and a short quote.
    pub describe: String,
}

/// Which end of a span to move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    /// The start.
    Start,
    /// The end.
    End,
}

/// How far to move it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// One word.
    Word,
    /// One character (code point).
    Char,
}

/// An open article with its annotations.
#[derive(Debug)]
pub struct Session {
    /// Article, annotations, file paths, disk state.
    pub doc: Loaded,
    /// The label set in force.
    pub schema: Schema,
    /// Where the schema came from (`None`: built-in).
    pub schema_path: Option<PathBuf>,
    /// Undo history.
    pub history: History,
    /// The selected span.
    pub selected: Option<SpanId>,
    /// Selected text (chars), not yet tagged.
    pub selection: Option<Range<usize>>,
    /// A link kind waiting for its target to be picked.
    pub pending_link: Option<String>,
    /// Name written into new spans' origin.
    pub annotator: String,
    /// Bumped on every change to the annotations, for caches.
    pub generation: u64,
    /// Last status message.
    pub message: Option<Message>,
    /// Offset at which a span should be brought into view.
    pub scroll_to: Option<usize>,
    /// The find bar: query and matches.
    pub find: Find,
    /// Review mode: the queue of machine tags.
    pub review: Review,
    last_click: Option<(usize, usize)>,
    /// Spans per label and orphans, counted once per change (not per frame).
    counts: (Vec<(String, usize)>, usize),
}

impl Session {
    /// Opens an article or an annotation file.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_with(path, LoadOptions::default())
    }

    /// Opens with explicit options (`allow_outside` once the user trusted
    /// the file).
    pub fn open_with(path: &Path, opts: LoadOptions) -> Result<Self, StoreError> {
        let doc = store::open(path, opts)?;
        let (schema, schema_path) = Schema::discover(&doc.path, None).unwrap_or_default();
        Ok(Self::new(doc, schema, schema_path))
    }

    /// A session on something already loaded.
    pub fn new(doc: Loaded, schema: Schema, schema_path: Option<PathBuf>) -> Self {
        let message = summary(&doc.findings);
        Self {
            doc,
            schema,
            schema_path,
            history: History::default(),
            selected: None,
            selection: None,
            pending_link: None,
            annotator: String::new(),
            generation: 0,
            message,
            scroll_to: None,
            find: Find::default(),
            review: Review::default(),
            last_click: None,
            counts: (Vec::new(), 0),
        }
        .counted()
    }

    fn counted(mut self) -> Self {
        self.recount();
        self
    }

    /// Spans per label (schema labels first, then others), from the
    /// counts the model keeps: O(labels) per change, not O(spans).
    fn recount(&mut self) {
        let kept = self.doc.annotations.label_counts();
        let mut counts: Vec<(String, usize)> = self
            .schema
            .labels
            .iter()
            .map(|l| (l.name.clone(), kept.get(&l.name).copied().unwrap_or(0)))
            .collect();
        for (label, n) in kept {
            if !self.schema.labels.iter().any(|l| l.name == *label) {
                counts.push((label.clone(), *n));
            }
        }
        self.counts = (counts, self.doc.annotations.orphan_count());
    }

    /// Marks a change: caches that depend on the annotations are renewed.
    fn changed(&mut self) {
        self.generation += 1;
        self.recount();
    }

    /// The article's file name.
    pub fn file_name(&self) -> String {
        self.doc.article.path.file_name().map_or_else(
            || self.doc.article.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// Whether there are unsaved changes.
    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    pub(crate) fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    pub(crate) fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }

    /// Applies edits as one undo step; reports a refusal in the status bar.
    pub(crate) fn apply(&mut self, name: &str, edits: Vec<Edit>) -> bool {
        let text = &self.doc.article.text;
        match self
            .history
            .apply(&mut self.doc.annotations, text, name, edits)
        {
            Ok(()) => {
                self.changed();
                true
            }
            Err(e) => {
                self.error(format!("{name}: {e}"));
                false
            }
        }
    }

    /// Sets the text selection (already snapped by the view if wanted).
    pub fn set_selection(&mut self, range: Option<Range<usize>>) {
        self.selection = range.filter(|r| r.start < r.end);
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
        let Some(span) = Span::new_in(&self.doc.article.text, id, label, range, origin) else {
            self.error("The selection is outside the article");
            return;
        };
        if self.apply(&format!("Tag {label}"), vec![Edit::AddSpan(span)]) {
            self.selection = None;
            self.selected = Some(id);
            self.info(format!("Tagged span {id} as {label}"));
        }
    }

    /// Re-runs the find query if it changed.
    pub fn refresh_find(&mut self) {
        let near = self
            .selection
            .as_ref()
            .map(|r| r.start)
            .or_else(|| self.selected_span().map(|s| s.start))
            .or(self.scroll_to)
            .unwrap_or(0);
        self.find.refresh(&self.doc.article.text, near);
    }

    /// Goes to the next (or previous) match: it becomes the text selection,
    /// so a label key tags it.
    pub fn find_step(&mut self, forward: bool) {
        self.refresh_find();
        match self.find.step(forward) {
            Some(r) => {
                self.scroll_to = Some(r.start);
                self.selected = None;
                self.selection = Some(r);
            }
            None => self.info("No matches"),
        }
    }

    /// Tags every match of the find query as `label`, in one undo step.
    /// Matches already tagged with that label exactly are left alone.
    pub fn tag_all_matches(&mut self, label: &str) {
        self.refresh_find();
        let ann = &self.doc.annotations;
        let text = &self.doc.article.text;
        let mut next = ann.next_span_id().0;
        let mut edits = Vec::new();
        let mut already = 0;
        for r in self.find.all() {
            let exists = ann
                .spans_overlapping(r.clone())
                .any(|s| s.range() == *r && s.label == label && !s.is_rejected());
            if exists {
                already += 1;
                continue;
            }
            let origin = Origin::Human {
                annotator: self.annotator.clone(),
            };
            if let Some(span) = Span::new_in(text, SpanId(next), label, r.clone(), origin) {
                edits.push(Edit::AddSpan(span));
                next += 1;
            }
        }
        let n = edits.len();
        if n == 0 {
            self.info(if already > 0 {
                format!("Every match is already tagged as {label}")
            } else {
                "No matches to tag".to_owned()
            });
            return;
        }
        if self.apply(&format!("Tag {n} matches as {label}"), edits) {
            let skipped = if already > 0 {
                format!(" ({already} already were)")
            } else {
                String::new()
            };
            self.info(format!("Tagged {n} matches as {label}{skipped}"));
        }
    }

    /// Shows a folder-search hit: selects the text, or the span whose note
    /// matched.
    pub fn go_to(&mut self, place: &crate::search::Place) {
        match place {
            crate::search::Place::Article(r) => {
                if r.end <= self.doc.article.text.len_chars() {
                    self.selected = None;
                    self.selection = Some(r.clone());
                    self.scroll_to = Some(r.start);
                }
            }
            crate::search::Place::Note { span } => self.select(SpanId(*span)),
        }
    }

    /// Replaces every annotation (restoring a recovery file). The undo
    /// history starts anew and the document counts as unsaved.
    pub fn replace_annotations(&mut self, ann: crate::model::Annotations, message: &str) {
        self.doc.annotations = ann;
        self.history = History::default();
        self.history.mark_unsaved();
        self.selected = None;
        self.selection = None;
        self.find.invalidate();
        self.changed();
        self.info(message);
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
                self.scroll_to = Some(s.start);
            }
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
        let text = &self.doc.article.text;
        match self.history.undo(&mut self.doc.annotations, text) {
            Ok(true) => {
                self.changed();
                self.after_history();
            }
            Ok(false) => self.info("Nothing to undo"),
            Err(e) => self.error(format!("Undo failed: {e}")),
        }
    }

    /// Redoes the last undone step.
    pub fn redo(&mut self) {
        let text = &self.doc.article.text;
        match self.history.redo(&mut self.doc.annotations, text) {
            Ok(true) => {
                self.changed();
                self.after_history();
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

    fn labels(&self) -> Vec<&str> {
        self.schema.labels.iter().map(|l| l.name.as_str()).collect()
    }

    /// Saves to the annotation file, unless it changed on disk.
    pub fn save(&mut self) -> Result<(), StoreError> {
        let path = self.doc.path.clone();
        let disk = store::save(&path, &self.doc.annotations, &self.labels(), &self.doc.disk)?;
        self.saved(disk, &path);
        Ok(())
    }

    /// Saves over whatever is on disk now (after the user chose to).
    pub fn save_over(&mut self) -> Result<(), StoreError> {
        let path = self.doc.path.clone();
        let disk = store::save_over(&path, &self.doc.annotations, &self.labels())?;
        self.saved(disk, &path);
        Ok(())
    }

    /// Saves to another annotation file, which from then on is this one.
    /// The article path inside it is made relative to the new folder.
    pub fn save_as(&mut self, path: &Path) -> Result<(), StoreError> {
        let rel = relative_article_path(path, &self.doc.article.path);
        let old = std::mem::replace(&mut self.doc.annotations.document.path, rel);
        match store::save_over(path, &self.doc.annotations, &self.labels()) {
            Ok(disk) => {
                // Unsaved work of the old name went into the new file.
                let _ = crate::recovery::remove(&self.doc.path);
                path.clone_into(&mut self.doc.path);
                self.saved(disk, path);
                Ok(())
            }
            Err(e) => {
                self.doc.annotations.document.path = old;
                Err(e)
            }
        }
    }

    fn saved(&mut self, disk: DiskState, path: &Path) {
        self.doc.disk = disk;
        self.history.mark_saved();
        // The autosaved work is in the saved file now. A failed removal is
        // harmless: an older recovery file is never offered.
        let _ = crate::recovery::remove(path);
        self.info(format!("Saved {}", path.display()));
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

    /// Counts of visible spans per label, schema labels first.
    pub fn label_counts(&self) -> &[(String, usize)] {
        &self.counts.0
    }

    /// Number of orphan spans.
    pub fn orphans(&self) -> usize {
        self.counts.1
    }
}

/// The article path as the annotation file at `ann` should name it: its
/// file name when both are in one folder, else a path relative to `ann`'s
/// folder when the article is below it, else absolute.
fn relative_article_path(ann: &Path, article: &Path) -> String {
    let article_abs = std::path::absolute(article).unwrap_or_else(|_| article.to_owned());
    let dir = ann
        .parent()
        .map(|d| std::path::absolute(d).unwrap_or_else(|_| d.to_owned()));
    match dir.and_then(|d| article_abs.strip_prefix(d).ok().map(Path::to_owned)) {
        Some(rel) => rel.to_string_lossy().into_owned(),
        None => article_abs.to_string_lossy().into_owned(),
    }
}

/// A status line for what loading found.
fn summary(findings: &[Finding]) -> Option<Message> {
    use crate::check::FindingKind;
    if findings.is_empty() {
        return None;
    }
    let count = |k| findings.iter().filter(|f| f.kind == k).count();
    let relocated = count(FindingKind::Relocated);
    let orphans = count(FindingKind::Orphan);
    let text = if relocated + orphans > 0 {
        format!(
            "The article changed since it was annotated: {relocated} spans moved, {orphans} could not be placed (kept as orphans; see the span list)"
        )
    } else {
        format!("{} findings on loading: {}", findings.len(), findings[0])
    };
    Some(Message {
        text,
        error: orphans > 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "JAKARTA — Gedung Putih menuding Korea Utara mengirim peluru. Pyongyang membantah tuduhan itu.\n";

    fn session() -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, ARTICLE).unwrap();
        let s = Session::open(&p).unwrap();
        (dir, s)
    }

    fn range(s: &Session, quote: &str) -> Range<usize> {
        let b = ARTICLE.find(quote).unwrap();
        s.doc.article.text.char_range(b..b + quote.len()).unwrap()
    }

    #[test]
    fn tag_relabel_link_delete_undo() {
        let (_d, mut s) = session();
        s.set_selection(Some(range(&s, "Gedung Putih")));
        s.apply_label("source");
        let src = s.selected.unwrap();
        s.set_selection(Some(range(&s, "Korea Utara mengirim peluru")));
        s.apply_label("claim");
        let claim = s.selected.unwrap();
        assert!(s.is_dirty());
        s.begin_link("said_by");
        assert!(s.pending_link.is_some());
        s.click(range(&s, "Putih").start);
        assert_eq!(s.doc.annotations.link_count(), 1);
        assert_eq!(s.selected, Some(claim));
        // A source cannot start a said_by link.
        s.select(src);
        s.begin_link("said_by");
        assert!(s.pending_link.is_none());
        assert!(s.message.as_ref().unwrap().error);
        // Relabel with the key, then delete with its link.
        s.apply_label("denial");
        assert_eq!(s.doc.annotations.span(src).unwrap().label, "denial");
        s.delete_selected();
        assert_eq!(s.doc.annotations.span_count(), 1);
        assert_eq!(s.doc.annotations.link_count(), 0);
        s.undo();
        assert_eq!(s.doc.annotations.link_count(), 1);
        s.undo();
        assert_eq!(s.doc.annotations.span(src).unwrap().label, "source");
        s.redo();
        assert_eq!(s.doc.annotations.span(src).unwrap().label, "denial");
    }

    #[test]
    fn wrong_link_pair_is_refused_with_a_message() {
        let (_d, mut s) = session();
        s.tag("claim", range(&s, "Korea Utara mengirim peluru"));
        let claim = s.selected.unwrap();
        s.tag("claim", range(&s, "Pyongyang membantah tuduhan itu"));
        s.select(claim);
        s.begin_link("said_by");
        s.click(range(&s, "Pyongyang").start);
        assert_eq!(s.doc.annotations.link_count(), 0);
        let m = s.message.clone().unwrap();
        assert!(m.error && m.text.contains("said_by"), "{m:?}");
    }

    #[test]
    fn clicks_cycle_through_overlapping_spans() {
        let (_d, mut s) = session();
        s.tag(
            "claim",
            range(&s, "Gedung Putih menuding Korea Utara mengirim peluru"),
        );
        let outer = s.selected.unwrap();
        s.tag("source", range(&s, "Gedung Putih"));
        let inner = s.selected.unwrap();
        let at = range(&s, "Putih").start;
        s.escape();
        s.click(at);
        assert_eq!(s.selected, Some(inner), "innermost first");
        s.click(at);
        assert_eq!(s.selected, Some(outer));
        s.click(at);
        assert_eq!(s.selected, Some(inner));
        s.click(0);
        assert_eq!(s.selected, None);
    }

    #[test]
    fn resize_by_word_and_char() {
        let (_d, mut s) = session();
        s.tag("source", range(&s, "Gedung"));
        let id = s.selected.unwrap();
        s.resize_selected(Edge::End, true, Step::Word);
        assert_eq!(s.doc.annotations.span(id).unwrap().text, "Gedung Putih");
        s.resize_selected(Edge::Start, false, Step::Word);
        assert_eq!(
            s.doc.annotations.span(id).unwrap().text,
            "JAKARTA — Gedung Putih"
        );
        s.resize_selected(Edge::Start, true, Step::Word);
        assert_eq!(s.doc.annotations.span(id).unwrap().text, "Gedung Putih");
        s.resize_selected(Edge::End, false, Step::Char);
        assert_eq!(s.doc.annotations.span(id).unwrap().text, "Gedung Puti");
        s.resize_selected(Edge::Start, true, Step::Char);
        assert_eq!(s.doc.annotations.span(id).unwrap().text, "edung Puti");
        // Never shrinks to nothing.
        for _ in 0..20 {
            s.resize_selected(Edge::End, false, Step::Word);
        }
        assert!(!s.doc.annotations.span(id).unwrap().text.is_empty());
    }

    #[test]
    fn tab_walks_spans_in_order_and_wraps() {
        let (_d, mut s) = session();
        s.tag("claim", range(&s, "Pyongyang membantah"));
        s.tag("source", range(&s, "Gedung Putih"));
        s.escape();
        s.select_step(true);
        assert_eq!(
            s.doc.annotations.span(s.selected.unwrap()).unwrap().text,
            "Gedung Putih"
        );
        s.select_step(true);
        assert_eq!(
            s.doc.annotations.span(s.selected.unwrap()).unwrap().text,
            "Pyongyang membantah"
        );
        s.select_step(true);
        assert_eq!(
            s.doc.annotations.span(s.selected.unwrap()).unwrap().text,
            "Gedung Putih"
        );
        s.select_step(false);
        assert_eq!(
            s.doc.annotations.span(s.selected.unwrap()).unwrap().text,
            "Pyongyang membantah"
        );
    }

    #[test]
    fn notes_save_and_conflicts() {
        let (_d, mut s) = session();
        s.tag("claim", range(&s, "Korea Utara"));
        let id = s.selected.unwrap();
        s.set_note(id, Some("cek ulang".into()));
        s.set_note(id, Some("cek ulang".into()));
        s.save().unwrap();
        assert!(!s.is_dirty());
        let on_disk = std::fs::read_to_string(&s.doc.path).unwrap();
        assert!(on_disk.contains("note: \"cek ulang\""));
        s.undo();
        assert!(s.is_dirty());
        assert_eq!(s.doc.annotations.span(id).unwrap().note, None);
        // Someone else writes the file: a plain save is refused.
        std::fs::write(&s.doc.path, "(version: 1, document: (path: \"a.txt\"))").unwrap();
        assert!(matches!(s.save(), Err(StoreError::Conflict { .. })));
        assert!(s.is_dirty());
        s.save_over().unwrap();
        assert!(!s.is_dirty());
    }

    #[test]
    fn save_as_rewrites_the_article_path() {
        let (d, mut s) = session();
        s.tag("claim", range(&s, "Korea Utara"));
        let sub = d.path().join("copies");
        std::fs::create_dir(&sub).unwrap();
        let target = sub.join("a.tandai.ron");
        s.save_as(&target).unwrap();
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(
            text.contains(&d.path().join("a.txt").to_string_lossy().into_owned()),
            "{text}"
        );
        let again = store::open(
            &target,
            LoadOptions {
                allow_outside: true,
            },
        )
        .unwrap();
        assert_eq!(again.annotations.span_count(), 1);
    }
}
