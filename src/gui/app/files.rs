//! Opening, saving, reloading, recovery, autosave and disk checks: every
//! way the app reads or writes a file of the user's.

use std::path::Path;

use egui::{Context, ViewportCommand};

use super::{Dialog, Document, TandaiApp, Then};
use crate::corpus;
use crate::gui::panels::path_field::Purpose;
use crate::gui::panels::start;
use crate::recovery;
use crate::session::folder::Folder;
use crate::session::folder_search::FolderSearch;
use crate::session::{SaveError, Session};
use crate::store::{self, DiskChange, StoreError};

const MAX_RECENT: usize = 10;

impl TandaiApp {
    fn remember(&mut self, path: &Path) {
        let key = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        self.settings.recent.retain(|p| *p != key);
        self.settings.recent.insert(0, key);
        self.settings.recent.truncate(MAX_RECENT);
    }

    /// Opens a file or a folder now (no question).
    pub fn open_path(&mut self, path: &Path) {
        if path.is_dir() {
            self.open_folder(path);
        } else {
            self.open_now(path);
        }
    }

    /// Opens a folder: the sidebar lists its articles. The open article
    /// stays open.
    pub fn open_folder(&mut self, path: &Path) {
        match Folder::open(path) {
            Ok(f) => {
                self.remember(path);
                self.folder = Some(f);
                self.folder_search = FolderSearch::default();
                self.corpus_panel = crate::gui::panels::corpus::CorpusPanel::default();
            }
            Err(e) => {
                self.dialog = Some(Dialog::Error(format!(
                    "Cannot open the folder {}: {e}",
                    path.display()
                )));
            }
        }
    }

    /// Opens a file now, replacing the current document (no question).
    /// A recovery file with newer work is offered.
    pub fn open_now(&mut self, path: &Path) {
        self.open_trusting(path, false);
    }

    /// Opens a file; `allow_outside`: the user confirmed an annotation
    /// file whose article lies outside its folder. The open document is
    /// replaced only once the new one is open.
    pub(super) fn open_trusting(&mut self, path: &Path, allow_outside: bool) {
        let opts = store::LoadOptions { allow_outside };
        match Session::open_with(path, opts) {
            Ok(mut s) => {
                s.set_annotator(&self.settings.annotator);
                self.remember(path);
                let offer = recovery::find(&s.doc().path).and_then(|_| {
                    match recovery::load(&s.doc().path, &s.doc().article) {
                        Ok(rec) => Some(recovery::compare(&s.doc().annotations, &rec).summary()),
                        Err(e) => {
                            s.error(format!("A recovery file was found but does not read: {e}"));
                            None
                        }
                    }
                });
                let schema_error = s.schema_error().map(str::to_owned);
                if let Some(old) = self.discarding.take()
                    && self
                        .doc
                        .as_ref()
                        .is_some_and(|d| d.session.doc().path == old)
                    && old != s.doc().path
                {
                    // The user discarded that work; now it is really gone.
                    let _ = recovery::remove(&old);
                }
                // The article being left may have shown unsaved state in
                // the sidebar: what counts now is what is on disk.
                let left = self.current_index();
                self.doc = Some(Document::new(s));
                if let (Some(i), Some(f)) = (left, self.folder.as_mut()) {
                    f.reread(i);
                }
                self.sync_corpus();
                if let Some(e) = schema_error {
                    self.dialog = Some(Dialog::Error(e));
                } else if let Some(summary) = offer {
                    self.dialog = Some(Dialog::Recovery(summary));
                }
            }
            Err(StoreError::OutsidePath { path: file, doc }) => {
                self.dialog = Some(Dialog::Confirm(
                    format!(
                        "{} names its article as {doc:?}, which is an absolute path or lies \
                         outside the annotation file's folder. Open it only if you trust \
                         this file. Open it anyway?",
                        file.display()
                    ),
                    crate::gui::Action::OpenOutside(path.to_owned()),
                ));
            }
            Err(e) => self.dialog = Some(Dialog::Error(e.to_string())),
        }
    }

    /// Index of the open article in the folder.
    pub(super) fn current_index(&self) -> Option<usize> {
        let doc = self.doc.as_ref()?;
        self.folder
            .as_ref()?
            .index_of(&doc.session.doc().article.path)
    }

    /// Tells the sidebar the state of the open article as it is now,
    /// saved or not (Ctrl+D shows at once); an article left unsaved is
    /// read again from disk when another replaces it.
    pub(super) fn sync_corpus(&mut self) {
        let Some(i) = self.current_index() else {
            return;
        };
        let (Some(doc), Some(f)) = (self.doc.as_ref(), self.folder.as_mut()) else {
            return;
        };
        let ann = &doc.session.doc().annotations;
        f.set_info(
            i,
            corpus::DocInfo {
                state: ann.state(),
                spans: ann.span_count(),
                pending: ann.pending(),
                recovery: false,
            },
        );
    }

    /// Goes to another article of the folder: saves the open one first
    /// (or asks, as the settings say). A failed save stays put.
    pub(super) fn switch_to(&mut self, index: usize, ctx: &Context) {
        let Some(path) = self
            .folder
            .as_ref()
            .and_then(|f| f.entries().get(index))
            .map(|e| e.article.clone())
        else {
            return;
        };
        if !self.is_dirty() {
            self.open_now(&path);
        } else if self.settings.ask_before_switching {
            self.dialog = Some(Dialog::Unsaved(Then::Open(path)));
        } else if self.save() {
            self.then(Then::Open(path), ctx);
        }
    }

    pub(super) fn step_document(&mut self, forward: bool, ctx: &Context) {
        let current = self.current_index();
        let Some(f) = self.folder.as_ref() else {
            if let Some(s) = self.session_mut() {
                s.info("Open a folder (Ctrl+Shift+O) to go from article to article");
            }
            return;
        };
        let next = if current.is_none() && forward {
            f.first_not_done()
        } else {
            f.neighbour(current, forward)
        };
        match next {
            Some(i) => self.switch_to(i, ctx),
            None => {
                if let Some(s) = self.session_mut() {
                    s.info(if forward {
                        "This is the last article shown"
                    } else {
                        "This is the first article shown"
                    });
                }
            }
        }
    }

    fn open_example(&mut self) {
        match start::write_example() {
            Ok(path) => self.open_now(&path),
            Err(e) => self.dialog = Some(Dialog::Error(format!("Cannot open the example: {e}"))),
        }
    }

    fn open_dialog(&mut self) {
        if let Some(p) = self.ask_path(Purpose::Open, "") {
            self.open_now(&p);
        }
    }

    pub(super) fn then(&mut self, then: Then, ctx: &Context) {
        match then {
            Then::Close => {
                self.close_confirmed = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            Then::Open(p) => self.open_path(&p),
            Then::OpenExample => self.open_example(),
            Then::OpenDialog => self.open_dialog(),
        }
    }

    /// Runs `then` now, or asks first if there are unsaved changes.
    pub(super) fn guarded(&mut self, then: Then, ctx: &Context) {
        if self.is_dirty() {
            self.dialog = Some(Dialog::Unsaved(then));
        } else {
            self.then(then, ctx);
        }
    }

    /// Saves; on failure shows why and keeps everything in memory.
    pub(super) fn save(&mut self) -> bool {
        let Some(doc) = self.doc.as_mut() else {
            return false;
        };
        match doc.session.save() {
            Ok(()) => {
                self.sync_corpus();
                true
            }
            Err(SaveError::Store(StoreError::Conflict { path })) => {
                self.dialog = Some(Dialog::Conflict(format!(
                    "{} was changed by someone else since it was opened, so it was not saved.",
                    path.display()
                )));
                false
            }
            Err(SaveError::Store(e @ (StoreError::ReadOnly { .. } | StoreError::Busy { .. }))) => {
                self.dialog = Some(Dialog::SaveFailed(format!(
                    "Not saved: {e}. Your annotations are still here."
                )));
                false
            }
            Err(e @ SaveError::Schema(_)) => {
                self.dialog = Some(Dialog::Error(e.to_string()));
                false
            }
            Err(e) => {
                self.dialog = Some(Dialog::Error(format!(
                    "Not saved: {e}\nYour annotations are still here; try Save As."
                )));
                false
            }
        }
    }

    /// Saves over what is on disk now (the user chose Overwrite).
    pub(super) fn save_over(&mut self) {
        if let Some(doc) = self.doc.as_mut() {
            match doc.session.save_over() {
                Ok(()) => self.sync_corpus(),
                Err(e) => self.dialog = Some(Dialog::Error(format!("Not saved: {e}"))),
            }
        }
    }

    pub(super) fn save_as(&mut self) -> bool {
        let Some(doc) = self.doc.as_mut() else {
            return false;
        };
        if let Some(e) = doc.session.schema_error() {
            self.dialog = Some(Dialog::Error(e.to_owned()));
            return false;
        }
        let name = doc
            .session
            .doc()
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match self.ask_path(Purpose::SaveAs, &name) {
            Some(path) => self.save_as_to(&path),
            None => false,
        }
    }

    /// Saves the annotations to `path`; on failure says why.
    pub(super) fn save_as_to(&mut self, path: &Path) -> bool {
        let Some(doc) = self.doc.as_mut() else {
            return false;
        };
        match doc.session.save_as(path) {
            Ok(()) => true,
            Err(e) => {
                self.dialog = Some(Dialog::Error(format!("Not saved: {e}")));
                false
            }
        }
    }

    /// Loads the open file again from disk, dropping unsaved changes.
    pub(super) fn reload(&mut self) {
        let Some(doc) = self.doc.as_ref() else {
            return;
        };
        let path = doc.session.doc().path.clone();
        let article = doc.session.doc().article.path.clone();
        // The annotation file may be gone: open the article then.
        let target = if path.exists() { path } else { article };
        self.open_now(&target);
    }

    /// Takes the annotations of the recovery file (unsaved until saved).
    pub(super) fn restore_recovery(&mut self) {
        let Some(doc) = self.doc.as_mut() else {
            return;
        };
        let s = &mut doc.session;
        match recovery::load(&s.doc().path, &s.doc().article) {
            Ok(ann) => s.replace_annotations(ann, "Restored the recovery file; save to keep it"),
            Err(e) => {
                self.dialog = Some(Dialog::Error(format!("Cannot read the recovery file: {e}")));
            }
        }
    }

    /// Writes unsaved work to the recovery file when the interval has
    /// passed; asks for a repaint when the next one is due.
    pub(super) fn autosave(&mut self, ctx: &Context) {
        let secs = self.settings.autosave_secs;
        let Some(doc) = self.doc.as_mut() else {
            return;
        };
        if secs == 0 {
            return;
        }
        let s = &mut doc.session;
        if !s.is_dirty() || doc.autosaved == Some(s.generation()) {
            doc.dirty_since = None;
            return;
        }
        let now = std::time::Instant::now();
        let since = *doc.dirty_since.get_or_insert(now);
        let due = since + std::time::Duration::from_secs(u64::from(secs));
        if now < due {
            ctx.request_repaint_after(due - now);
            return;
        }
        match s.write_recovery() {
            Ok(()) => {
                doc.autosaved = Some(s.generation());
                doc.dirty_since = None;
            }
            Err(e) => {
                // Try again at the next interval; say so once.
                doc.dirty_since = Some(now);
                s.error(format!("Autosave failed: {e}"));
            }
        }
    }

    /// When the window gets the focus back, looks whether the annotation
    /// file changed on disk: reloads it if nothing here is unsaved,
    /// otherwise asks.
    pub(super) fn check_disk(&mut self, ctx: &Context) {
        let regained = ctx.input(|i| {
            i.events
                .iter()
                .any(|e| matches!(e, egui::Event::WindowFocused(true)))
        });
        if !regained || self.dialog.is_some() {
            return;
        }
        let Some(doc) = self.doc.as_mut() else {
            return;
        };
        let s = &mut doc.session;
        // `recheck` refreshes the remembered metadata when the bytes are
        // the same, so the next check costs a stat, not a hash.
        let change = match s.recheck_disk() {
            Ok(c) => c,
            Err(e) => {
                self.dialog = Some(Dialog::Error(format!(
                    "Cannot check the annotation file: {e}"
                )));
                return;
            }
        };
        let what = match change {
            DiskChange::Same => return,
            DiskChange::Modified => "was changed on disk by another program",
            DiskChange::Deleted => "was deleted on disk",
            DiskChange::Created => "was created on disk by another program",
        };
        let name = s.doc().path.display().to_string();
        if s.is_dirty() {
            self.dialog = Some(Dialog::Conflict(format!("{name} {what}.")));
        } else if change != DiskChange::Deleted {
            self.reload();
            if let Some(s) = self.session_mut() {
                s.info(format!(
                    "{name} {what}; reloaded it (nothing here was unsaved)"
                ));
            }
        } else {
            s.error(format!("{name} {what}; Save writes it again"));
        }
    }
}
