//! The eframe app, split the way rerun's viewer splits its app:
//!
//! - [`mod@self`]: the state (the open document with its panels, the open
//!   folder, settings, the dialog) and the frame's order of work;
//! - `logic`: everything that changes state: keys read into actions,
//!   actions applied, commands, and what is renewed between frames;
//! - `files`: opening, saving, reloading, recovery, autosave and disk
//!   checks;
//! - `dialogs`: the modal questions and what their answers do;
//! - `interop`: import, export, machine tags and the folder scorecard;
//! - `suggest`: Review > Suggest, run in the background;
//! - `ui`: the ui pass, which only reads state and pushes [`Action`](crate::gui::Action)s.
//!
//! A frame is: logic before drawing (events, keys, renewing caches), the
//! ui pass, then the actions applied, so the document never changes in the
//! middle of a frame.

mod dialogs;
mod files;
mod interop;
mod logic;
mod pick;
mod suggest;
mod ui;

use std::path::PathBuf;

use egui::Ui;

use super::article::ArticleView;
use super::panels::corpus::CorpusPanel;
use super::panels::find_bar::FindBar;
use super::panels::folder_search::FolderSearchWindow;
use super::panels::inspector::Inspector;
use super::panels::review_bar::ReviewBar;
use super::panels::span_list::SpanList;
use crate::session::Session;
use crate::session::folder::Folder;
use crate::session::folder_search::FolderSearch;

pub use super::settings::Settings;
pub use dialogs::{Dialog, Then};

const SETTINGS_KEY: &str = "tandai-settings";

/// An open document with the state of its panels.
pub struct Document {
    /// Editing state.
    pub(in crate::gui) session: Session,
    /// The article view.
    pub(in crate::gui) view: ArticleView,
    /// The inspector.
    pub(in crate::gui) inspector: Inspector,
    /// The span list.
    pub(in crate::gui) span_list: SpanList,
    /// The find bar.
    pub(in crate::gui) find_bar: FindBar,
    /// Review mode's bar and the scorecard window.
    pub(in crate::gui) review_bar: ReviewBar,
    /// Generation last written to the recovery file.
    autosaved: Option<u64>,
    /// Since when there is unsaved work not yet autosaved.
    dirty_since: Option<std::time::Instant>,
    seen_generation: u64,
    /// Char offset under the pointer, for the status bar.
    hover: Option<usize>,
}

impl Document {
    fn new(session: Session) -> Self {
        let mut view = ArticleView::new(&session.doc().article.text);
        // Each article file keeps its own scroll position (for this run):
        // a new article opens at its top, one opened before where it was
        // left.
        let path = &session.doc().article.path;
        let key = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        let mut hasher = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&key, &mut hasher);
        view.set_scroll_salt(std::hash::Hasher::finish(&hasher));
        Self {
            view,
            seen_generation: session.generation(),
            hover: None,
            session,
            inspector: Inspector::default(),
            span_list: SpanList::default(),
            find_bar: FindBar::default(),
            autosaved: None,
            dirty_since: None,
            review_bar: ReviewBar::default(),
        }
    }
}

/// Windows and tabs shown around the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools, reason = "independent window flags")]
pub struct Windows {
    /// The shortcut overlay.
    pub help: bool,
    /// The settings window.
    pub settings: bool,
    /// The find-in-folder window.
    pub folder_search: bool,
    /// The left column shows the folder's articles (else the spans).
    pub articles_tab: bool,
}

impl Default for Windows {
    fn default() -> Self {
        Self {
            help: false,
            settings: false,
            folder_search: false,
            articles_tab: true,
        }
    }
}

/// The app.
pub struct TandaiApp {
    /// The open document, if any.
    pub(in crate::gui) doc: Option<Document>,
    /// Remembered settings.
    pub(in crate::gui) settings: Settings,
    /// The modal dialog shown, if any.
    pub(in crate::gui) dialog: Option<Dialog>,
    /// Windows and tabs shown.
    pub(in crate::gui) windows: Windows,
    /// The open folder, if any.
    pub(in crate::gui) folder: Option<Folder>,
    /// The search over the open folder.
    folder_search: FolderSearch,
    /// The folder sidebar's text field.
    corpus_panel: CorpusPanel,
    /// The find-in-folder window's fields.
    search_window: FolderSearchWindow,
    title: String,
    close_confirmed: bool,
    /// The user chose Discard for this document's unsaved work: its
    /// recovery file goes once another document has really replaced it.
    discarding: Option<PathBuf>,
    /// Whether the egui context has been set up (once).
    configured: bool,
    /// The built-in path field and whether native dialogs can be shown.
    pub(in crate::gui) picker: pick::Picker,
    /// System fonts loaded for the scripts of the articles opened.
    fonts: super::fonts::Fallback,
    /// Suggestions being made in the background (Review > Suggest).
    suggesting: Option<crate::suggest::job::Job>,
    /// The entity picker (E on a source span), if shown.
    pub(in crate::gui) entity_picker: Option<super::panels::entities::EntityPicker>,
    /// The "Who said what" window, if shown.
    pub(in crate::gui) who: Option<super::panels::entities::WhoSaidWhat>,
    /// The dispute the adjudication bar showed last (brought into view
    /// when it changes).
    shown_dispute: Option<crate::model::DisputeId>,
}

impl TandaiApp {
    /// The app, with settings from `storage` and `path` opened.
    pub fn new(storage: Option<&dyn eframe::Storage>, path: Option<PathBuf>) -> Self {
        let mut settings: Settings = storage
            .and_then(|s| eframe::get_value::<Settings>(s, SETTINGS_KEY))
            .unwrap_or_default();
        if settings.annotator.trim().is_empty() {
            settings.annotator = crate::identity::annotator(None).unwrap_or_default();
        }
        let mut app = Self {
            doc: None,
            settings,
            dialog: None,
            windows: Windows::default(),
            folder: None,
            folder_search: FolderSearch::default(),
            corpus_panel: CorpusPanel::default(),
            search_window: FolderSearchWindow::default(),
            title: String::new(),
            close_confirmed: false,
            discarding: None,
            configured: false,
            picker: pick::Picker::default(),
            fonts: super::fonts::Fallback::default(),
            suggesting: None,
            entity_picker: None,
            who: None,
            shown_dispute: None,
        };
        if let Some(p) = path {
            app.open_path(&p);
        }
        app
    }

    /// The open session.
    pub fn session(&self) -> Option<&Session> {
        self.doc.as_ref().map(|d| &d.session)
    }

    /// The open session, mutably (tests drive it directly).
    pub fn session_mut(&mut self) -> Option<&mut Session> {
        self.doc.as_mut().map(|d| &mut d.session)
    }

    /// The modal dialog shown, if any.
    pub fn dialog(&self) -> Option<&Dialog> {
        self.dialog.as_ref()
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Changes the settings; the open document follows them.
    pub fn edit_settings(&mut self, edit: impl FnOnce(&mut Settings)) {
        edit(&mut self.settings);
        self.sync_settings();
    }

    /// The open folder, if any.
    pub fn folder(&self) -> Option<&Folder> {
        self.folder.as_ref()
    }

    fn is_dirty(&self) -> bool {
        self.session().is_some_and(Session::is_dirty)
    }

    /// One frame: the whole window. Logic first: the keys' and the
    /// window's actions are applied before drawing, so that a key's effect
    /// (a page step, a label) is in the frame that reads it, not the one
    /// after. Then the ui pass (which only reads and pushes actions), then
    /// its actions.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.configure(&ctx);
        let keys = self.input_actions(&ctx);
        self.apply(&ctx, keys);
        self.before_frame(&ctx);
        self.fonts
            .cover(&ctx, self.doc.as_mut().map(|d| &mut d.session));
        let mut actions = Vec::new();
        self.ui_pass(ui, &mut actions);
        self.apply(&ctx, actions);
        self.after_frame(&ctx);
    }
}

impl eframe::App for TandaiApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}
