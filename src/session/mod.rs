//! The editing state of one open article: the loaded document, its undo
//! history, the selection, and a pending link. No egui here: the panels
//! read a [`Session`] and the app calls its methods after each frame, so all
//! of this is tested without a window.
//!
//! - `adjudicate`: a merged file's disputes in text order, settling one
//!   as an undo step, and progress.
//! - `caret`: the keyboard caret and Shift+movement selection.
//! - `editing`: tagging, relabelling, resizing, selecting, links, notes,
//!   undo and redo.
//! - `entities`: the entity picker's suggestions and steps (name a source
//!   span's entity, new, edit, delete), and the article's attribution
//!   table.
//! - [`find`]: the find bar's query and matches.
//! - [`review`]: review mode's queue and decisions.
//! - [`folder`]: an open folder of articles (the app's sidebar).
//! - [`folder_search`]: find in every article and note of a folder.

mod adjudicate;
mod caret;
pub mod compare;
mod editing;
mod entities;
pub mod find;
pub mod folder;
pub mod folder_search;
pub mod review;

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::check::Finding;
use crate::edit::{Edit, History};
use crate::model::{LinkId, SpanId};
use crate::schema::Schema;
use crate::store::{self, DiskState, LoadOptions, Loaded, StoreError};
pub use caret::Motion;
use find::Find;
use review::Review;

/// Why a save did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Reading or writing the file failed, or it changed on disk.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The project's schema does not read; saving under the built-in one
    /// would rewrite the file's labels.
    #[error("Not saved: {0}")]
    Schema(String),
}

/// A request to bring a char offset into view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScrollRequest {
    /// Numbers requests, so each is served once.
    pub serial: u64,
    /// The char offset to show.
    pub offset: usize,
    /// Scroll as little as it takes (the caret) rather than jump.
    pub reveal_only: bool,
}

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
    doc: Loaded,
    /// The label set in force.
    schema: Schema,
    /// Where the schema came from (`None`: built-in).
    schema_path: Option<PathBuf>,
    /// Why the project's schema could not be read, if it could not: the
    /// built-in labels are shown, and nothing is saved under them.
    schema_error: Option<String>,
    /// Undo history.
    history: History,
    /// The selected span.
    selected: Option<SpanId>,
    /// Selected text (chars), not yet tagged.
    selection: Option<Range<usize>>,
    /// A link kind waiting for its target to be picked.
    pending_link: Option<String>,
    /// Name written into new spans' origin.
    annotator: String,
    /// Bumped on every change to the annotations, for caches.
    generation: u64,
    /// Last status message.
    message: Option<Message>,
    /// The last request to bring an offset into view. The view remembers
    /// which one it served.
    scroll: Option<ScrollRequest>,
    /// The keyboard caret (a char offset).
    caret: usize,
    /// Where a Shift+movement selection started.
    caret_anchor: Option<usize>,
    /// Where the find bar looks first: the top of the view when it opened.
    find_from: Option<usize>,
    /// The find bar: query and matches.
    find: Find,
    /// Review mode: the queue of machine tags.
    review: Review,
    last_click: Option<(usize, usize)>,
    /// Spans per label and orphans, counted once per change (not per frame).
    counts: (Vec<(String, usize)>, usize),
    /// File > Compare with…: another annotator's spans beside these.
    comparison: Option<compare::Comparison>,
    /// The adjudication queue's head and progress, counted once per change.
    adjudication: adjudicate::Adjudication,
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
        match Schema::discover(&doc.path, None) {
            Ok((schema, schema_path)) => Ok(Self::new(doc, schema, schema_path)),
            Err(e) => {
                // Shown with the built-in labels so the work can be seen,
                // but never saved under a schema the user did not choose.
                let mut s = Self::new(doc, Schema::builtin(), None);
                let why = format!(
                    "The project schema does not read: {e}. The article is shown with the \
                     built-in labels; saving is off until the schema is fixed and the \
                     article opened again."
                );
                s.error(why.clone());
                s.schema_error = Some(why);
                Ok(s)
            }
        }
    }

    /// A session on something already loaded.
    pub fn new(doc: Loaded, schema: Schema, schema_path: Option<PathBuf>) -> Self {
        let message = summary(&doc.findings);
        Self {
            doc,
            schema,
            schema_path,
            schema_error: None,
            history: History::default(),
            selected: None,
            selection: None,
            pending_link: None,
            annotator: String::new(),
            generation: 0,
            message,
            scroll: None,
            caret: 0,
            caret_anchor: None,
            find_from: None,
            find: Find::default(),
            review: Review::default(),
            last_click: None,
            counts: (Vec::new(), 0),
            comparison: None,
            adjudication: adjudicate::Adjudication::default(),
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

    /// Says something in the status bar.
    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    /// Reports a failure in the status bar.
    pub fn error(&mut self, text: impl Into<String>) {
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

    fn labels(&self) -> Vec<&str> {
        self.schema.labels.iter().map(|l| l.name.as_str()).collect()
    }

    /// Refuses to save while the project's schema does not read.
    fn may_save(&self) -> Result<(), SaveError> {
        match &self.schema_error {
            Some(e) => Err(SaveError::Schema(e.clone())),
            None => Ok(()),
        }
    }

    /// Saves to the annotation file, unless it changed on disk.
    pub fn save(&mut self) -> Result<(), SaveError> {
        self.may_save()?;
        let path = self.doc.path.clone();
        let disk = store::save(&path, &self.doc.annotations, &self.labels(), &self.doc.disk)?;
        self.saved(disk, &path);
        Ok(())
    }

    /// Saves over whatever is on disk now (after the user chose to).
    pub fn save_over(&mut self) -> Result<(), SaveError> {
        self.may_save()?;
        let path = self.doc.path.clone();
        let disk = store::save_over(&path, &self.doc.annotations, &self.labels())?;
        self.saved(disk, &path);
        Ok(())
    }

    /// Saves to another annotation file, which from then on is this one.
    /// The article path inside it is made relative to the new folder.
    pub fn save_as(&mut self, path: &Path) -> Result<(), SaveError> {
        self.may_save()?;
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
                Err(e.into())
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

    /// Article, annotations, file paths and disk state. Changes go through
    /// the session's methods, which keep the undo history and counts.
    pub fn doc(&self) -> &Loaded {
        &self.doc
    }

    /// The label set in force.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Where the schema came from (`None`: built-in).
    pub fn schema_path(&self) -> Option<&Path> {
        self.schema_path.as_deref()
    }

    /// Why the project's schema does not read, if it does not (saving is
    /// refused then).
    pub fn schema_error(&self) -> Option<&str> {
        self.schema_error.as_deref()
    }

    /// The undo history.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Bumped on every change to the annotations, for caches.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The selected span's id.
    pub fn selected(&self) -> Option<SpanId> {
        self.selected
    }

    /// The text selection (chars), not yet tagged.
    pub fn selection(&self) -> Option<Range<usize>> {
        self.selection.clone()
    }

    /// The link kind waiting for its target, if linking.
    pub fn pending_link(&self) -> Option<&str> {
        self.pending_link.as_deref()
    }

    /// The name written into new spans and review decisions.
    pub fn annotator(&self) -> &str {
        &self.annotator
    }

    /// Sets the name written into new spans and review decisions.
    pub fn set_annotator(&mut self, name: &str) {
        if self.annotator != name {
            name.clone_into(&mut self.annotator);
        }
    }

    /// The last status message.
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// The find bar's state.
    pub fn find(&self) -> &Find {
        &self.find
    }

    /// Review mode's state.
    pub fn review(&self) -> &Review {
        &self.review
    }

    /// The last request to bring a char offset into view. A view scrolls
    /// once per request (by its serial number).
    pub fn scroll_request(&self) -> Option<ScrollRequest> {
        self.scroll
    }

    /// Asks the view to show `offset` a third down the screen if it is not
    /// in view (a jump: a span selected, a match found).
    pub(crate) fn request_scroll(&mut self, offset: usize) {
        self.push_scroll(offset, false);
    }

    /// Asks the view to scroll as little as it takes to show `offset` (the
    /// caret moving).
    pub(crate) fn request_reveal(&mut self, offset: usize) {
        self.push_scroll(offset, true);
    }

    fn push_scroll(&mut self, offset: usize, reveal_only: bool) {
        let serial = self.scroll.map_or(1, |r| r.serial + 1);
        self.scroll = Some(ScrollRequest {
            serial,
            offset,
            reveal_only,
        });
    }

    /// Looks whether the annotation file changed on disk since it was
    /// loaded or saved (a stat, and a hash only if the metadata moved).
    pub fn recheck_disk(&mut self) -> Result<store::DiskChange, StoreError> {
        let path = self.doc.path.clone();
        self.doc.disk.recheck(&path)
    }

    /// Writes the unsaved work to the recovery file beside the annotation
    /// file (autosave).
    pub fn write_recovery(&self) -> std::io::Result<()> {
        crate::recovery::write(&self.doc.path, &self.doc.annotations, &self.labels())
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
mod tests;
