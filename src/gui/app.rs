//! The eframe app: the frame's logic (keys, actions, dialogs) and its ui
//! (panels), kept apart so that the document only changes between frames.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::corpus;
use crate::recovery;
use crate::store::{self, DiskChange, StoreError};
use egui::{Context, Ui, ViewportCommand};

use super::Action;
use super::article::ArticleView;
use super::commands::{Command, key_for_char};
use super::panels::corpus::Corpus;
use super::panels::find_bar::FindBar;
use super::panels::folder_search::FolderSearch;
use super::panels::inspector::Inspector;
use super::panels::review_bar::{self, ReviewBar, ReviewStats};
use super::panels::span_list::SpanList;
use super::panels::{bars, overlays, start};
use super::session::{Edge, Session, Step};

pub use crate::gui::settings::Settings;

const SETTINGS_KEY: &str = "tandai-settings";
const MAX_RECENT: usize = 10;

/// An open document with the state of its panels.
pub struct Document {
    /// Editing state.
    pub session: Session,
    /// The article view.
    pub view: ArticleView,
    /// The inspector.
    pub inspector: Inspector,
    /// The span list.
    pub span_list: SpanList,
    /// The find bar.
    pub find_bar: FindBar,
    /// Review mode's bar.
    pub review_bar: ReviewBar,
    /// Review figures for the generation they were computed at.
    review_stats: Option<(u64, ReviewStats)>,
    /// Generation last written to the recovery file.
    autosaved: Option<u64>,
    /// Since when there is unsaved work not yet autosaved.
    dirty_since: Option<std::time::Instant>,
    seen_generation: u64,
    /// Char offset under the pointer, for the status bar.
    hover: Option<usize>,
}

impl Document {
    /// Review figures, recomputed only when the annotations changed.
    fn review_stats(&mut self) -> &ReviewStats {
        let generation = self.session.generation;
        if self
            .review_stats
            .as_ref()
            .is_some_and(|(g, _)| *g != generation)
        {
            self.review_stats = None;
        }
        let session = &self.session;
        &self
            .review_stats
            .get_or_insert_with(|| (generation, ReviewStats::of(session)))
            .1
    }

    fn new(session: Session) -> Self {
        Self {
            view: ArticleView::new(&session.doc.article.text),
            seen_generation: session.generation,
            hover: None,
            session,
            inspector: Inspector::default(),
            span_list: SpanList::default(),
            find_bar: FindBar::default(),
            autosaved: None,
            dirty_since: None,
            review_bar: ReviewBar::default(),
            review_stats: None,
        }
    }
}

/// What to do once the unsaved-changes question is answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Then {
    /// Close the window.
    Close,
    /// Open this file.
    Open(PathBuf),
    /// Open the example article.
    OpenExample,
    /// Show the open dialog.
    OpenDialog,
}

/// A modal question or report.
#[derive(Clone, Debug, PartialEq)]
pub enum Dialog {
    /// Save / Discard / Cancel before `Then`.
    Unsaved(Then),
    /// The file changed on disk since it was loaded (what happened).
    Conflict(String),
    /// A recovery file with unsaved work was found (what it holds).
    Recovery(String),
    /// A question before a bulk action, and the action.
    Confirm(String, Action),
    /// Something failed.
    Error(String),
    /// A report (import or export finished).
    Info(String),
}

/// The app.
#[allow(clippy::struct_excessive_bools, reason = "independent window flags")]
pub struct TandaiApp {
    /// The open document, if any.
    pub doc: Option<Document>,
    /// Remembered settings.
    pub settings: Settings,
    /// The modal dialog shown, if any.
    pub dialog: Option<Dialog>,
    /// Whether the shortcut overlay is shown.
    pub show_help: bool,
    /// Whether the settings window is shown.
    pub show_settings: bool,
    /// The open folder, if any.
    pub corpus: Option<Corpus>,
    /// The folder search window.
    pub folder_search: FolderSearch,
    /// The left column shows the folder's articles (else the spans).
    pub left_tab_articles: bool,
    title: String,
    close_confirmed: bool,
    /// Whether the egui context has been set up (once).
    configured: bool,
}

impl TandaiApp {
    /// The app, with settings from `storage` and `path` opened.
    pub fn new(storage: Option<&dyn eframe::Storage>, path: Option<PathBuf>) -> Self {
        let settings = storage
            .and_then(|s| eframe::get_value::<Settings>(s, SETTINGS_KEY))
            .unwrap_or_default();
        let mut app = Self {
            doc: None,
            settings,
            dialog: None,
            show_help: false,
            show_settings: false,
            corpus: None,
            folder_search: FolderSearch::default(),
            left_tab_articles: true,
            title: String::new(),
            close_confirmed: false,
            configured: false,
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

    fn is_dirty(&self) -> bool {
        self.session().is_some_and(Session::is_dirty)
    }

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
        match Corpus::open(path) {
            Ok(c) => {
                self.remember(path);
                self.corpus = Some(c);
                self.folder_search = FolderSearch::default();
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
    /// file whose article lies outside its folder.
    fn open_trusting(&mut self, path: &Path, allow_outside: bool) {
        let opts = store::LoadOptions { allow_outside };
        match Session::open_with(path, opts) {
            Ok(mut s) => {
                s.annotator.clone_from(&self.settings.annotator);
                self.remember(path);
                let offer = recovery::find(&s.doc.path).and_then(|_| {
                    match recovery::load(&s.doc.path, &s.doc.article) {
                        Ok(rec) => Some(recovery::compare(&s.doc.annotations, &rec).summary()),
                        Err(e) => {
                            s.message = Some(crate::gui::session::Message {
                                text: format!("A recovery file was found but does not read: {e}"),
                                error: true,
                            });
                            None
                        }
                    }
                });
                self.doc = Some(Document::new(s));
                self.sync_corpus();
                if let Some(summary) = offer {
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
                    Action::OpenOutside(path.to_owned()),
                ));
            }
            Err(e) => self.dialog = Some(Dialog::Error(e.to_string())),
        }
    }

    /// Index of the open article in the folder.
    fn current_index(&self) -> Option<usize> {
        let doc = self.doc.as_ref()?;
        self.corpus
            .as_ref()?
            .index_of(&doc.session.doc.article.path)
    }

    /// Tells the sidebar the state of the open article as saved.
    fn sync_corpus(&mut self) {
        let Some(i) = self.current_index() else {
            return;
        };
        let (Some(doc), Some(c)) = (self.doc.as_ref(), self.corpus.as_mut()) else {
            return;
        };
        if doc.session.is_dirty() {
            return;
        }
        let ann = &doc.session.doc.annotations;
        c.set_info(
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
    fn switch_to(&mut self, index: usize, ctx: &Context) {
        let Some(path) = self
            .corpus
            .as_ref()
            .and_then(|c| c.entries.get(index))
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

    fn step_document(&mut self, forward: bool, ctx: &Context) {
        let current = self.current_index();
        let Some(c) = self.corpus.as_mut() else {
            if let Some(s) = self.session_mut() {
                s.message = Some(crate::gui::session::Message {
                    text: "Open a folder (Ctrl+Shift+O) to go from article to article".into(),
                    error: false,
                });
            }
            return;
        };
        let next = if current.is_none() && forward {
            c.first_not_done()
        } else {
            c.neighbour(current, forward)
        };
        match next {
            Some(i) => self.switch_to(i, ctx),
            None => {
                if let Some(s) = self.session_mut() {
                    s.message = Some(crate::gui::session::Message {
                        text: if forward {
                            "This is the last article shown".into()
                        } else {
                            "This is the first article shown".into()
                        },
                        error: false,
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
        let picked = rfd::FileDialog::new()
            .add_filter("Articles and annotations", &["txt", "ron"])
            .add_filter("All files", &["*"])
            .pick_file();
        if let Some(p) = picked {
            self.open_now(&p);
        }
    }

    fn then(&mut self, then: Then, ctx: &Context) {
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
    fn guarded(&mut self, then: Then, ctx: &Context) {
        if self.is_dirty() {
            self.dialog = Some(Dialog::Unsaved(then));
        } else {
            self.then(then, ctx);
        }
    }

    /// Saves; on failure shows why and keeps everything in memory.
    fn save(&mut self) -> bool {
        let Some(doc) = self.doc.as_mut() else {
            return false;
        };
        match doc.session.save() {
            Ok(()) => {
                self.sync_corpus();
                true
            }
            Err(StoreError::Conflict { path }) => {
                self.dialog = Some(Dialog::Conflict(format!(
                    "{} was changed by someone else since it was opened, so it was not saved.",
                    path.display()
                )));
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

    fn save_as(&mut self) -> bool {
        let Some(doc) = self.doc.as_mut() else {
            return false;
        };
        let dir = doc.session.doc.path.parent().map(Path::to_owned);
        let name = doc
            .session
            .doc
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut dialog = rfd::FileDialog::new().set_file_name(name);
        if let Some(d) = dir {
            dialog = dialog.set_directory(d);
        }
        let Some(path) = dialog.save_file() else {
            return false;
        };
        match doc.session.save_as(&path) {
            Ok(()) => true,
            Err(e) => {
                self.dialog = Some(Dialog::Error(format!("Not saved: {e}")));
                false
            }
        }
    }

    /// Reads the keyboard into actions. Plain keys are left to a text field
    /// that has focus.
    fn keys(&mut self, ctx: &Context, actions: &mut Vec<Action>) {
        if self.dialog.is_some() {
            return;
        }
        let typing = ctx.egui_wants_keyboard_input();
        let reviewing = self.doc.as_ref().is_some_and(|d| d.session.review.active);
        for &cmd in Command::by_specificity() {
            if (typing && cmd.is_plain_key()) || (cmd.is_review() && !reviewing) {
                continue;
            }
            if let Some(sc) = cmd.shortcut()
                && ctx.input_mut(|i| i.consume_shortcut(&sc))
            {
                if matches!(cmd, Command::NextSpan | Command::PrevSpan) {
                    // Tab walks spans here, not the focus between widgets.
                    ctx.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
                }
                actions.push(Action::Command(cmd));
            }
        }
        if typing {
            return;
        }
        if let Some(doc) = &self.doc {
            for l in &doc.session.schema.labels {
                if let Some(key) = l.key_char().and_then(key_for_char)
                    && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key))
                {
                    actions.push(Action::Label(l.name.clone()));
                }
            }
        }
    }

    /// Applies the actions collected this frame.
    pub fn apply(&mut self, ctx: &Context, actions: Vec<Action>) {
        for a in actions {
            self.apply_one(ctx, a);
        }
        if let Some(doc) = self.doc.as_mut()
            && doc.seen_generation != doc.session.generation
        {
            doc.seen_generation = doc.session.generation;
            if !ctx.egui_wants_keyboard_input() {
                doc.inspector.reset();
            }
        }
    }

    fn apply_one(&mut self, ctx: &Context, action: Action) {
        match action {
            Action::Command(c) => self.command(ctx, c),
            Action::Open(p) if p.is_dir() => self.open_folder(&p),
            Action::Open(p) => self.guarded(Then::Open(p), ctx),
            Action::OpenDocument(i) => self.switch_to(i, ctx),
            Action::OpenOutside(p) => self.open_trusting(&p, true),
            Action::ReviewAskBulk(accept) => self.ask_bulk(accept),
            Action::FolderScorecard => self.folder_scorecard(),
            Action::ImportTags => self.import_tags(),
            Action::OpenHit(i, place) => {
                self.switch_to(i, ctx);
                if self.current_index() == Some(i)
                    && let Some(s) = self.session_mut()
                {
                    s.go_to(&place);
                }
            }
            Action::OpenExample => self.guarded(Then::OpenExample, ctx),
            Action::Import(f) => self.import(f),
            Action::Export(f) => self.export(f),
            other => {
                let Some(doc) = self.doc.as_mut() else {
                    return;
                };
                let s = &mut doc.session;
                match other {
                    // In review mode a label key corrects the current machine
                    // tag; a text selection (a tag the model missed) is
                    // still tagged as usual.
                    Action::Label(l)
                        if s.review.active
                            && s.selection.is_none()
                            && s.selected_span().is_some_and(|x| x.origin.is_machine()) =>
                    {
                        s.review_relabel(&l);
                    }
                    Action::Label(l) => s.apply_label(&l),
                    Action::ReviewFilter(f) => s.review.filter = f,
                    Action::ReviewBulk(accept) => {
                        s.review_bulk(accept);
                    }
                    Action::Select(id) => s.select(id),
                    Action::Click(Some(c)) => s.click(c),
                    Action::Click(None) => {
                        if s.pending_link.is_none() {
                            s.escape();
                        }
                    }
                    Action::SetSelection(r) => s.set_selection(r),
                    Action::Relabel(id, l) => s.relabel(id, &l),
                    Action::SetNote(id, n) => s.set_note(id, n),
                    Action::SetAttribute(id, k, v) => s.set_attribute(id, &k, v),
                    Action::RemoveLink(id) => s.remove_link(id),
                    Action::FinishLink(id) => s.finish_link(id),
                    Action::BeginLink(kind) => s.begin_link(&kind),
                    Action::FindSet(q) => {
                        s.find.query = q;
                        s.refresh_find();
                        if let Some(r) = s.find.current_match() {
                            s.scroll_to = Some(r.start);
                        }
                    }
                    Action::FindStep(forward) => s.find_step(forward),
                    Action::FindClose => s.find.close(),
                    Action::TagAllMatches(label) => s.tag_all_matches(&label),
                    Action::Command(_)
                    | Action::ReviewAskBulk(_)
                    | Action::FolderScorecard
                    | Action::ImportTags
                    | Action::OpenDocument(_)
                    | Action::OpenOutside(_)
                    | Action::OpenHit(..)
                    | Action::Open(_)
                    | Action::OpenExample
                    | Action::Import(_)
                    | Action::Export(_) => {}
                }
            }
        }
    }

    fn command(&mut self, ctx: &Context, c: Command) {
        match c {
            Command::Open => self.guarded(Then::OpenDialog, ctx),
            Command::OpenFolder => {
                if let Some(dir) = rfd::FileDialog::new()
                    .set_title("Open a folder of articles")
                    .pick_folder()
                {
                    self.open_folder(&dir);
                }
            }
            Command::NextDocument => self.step_document(true, ctx),
            Command::PrevDocument => self.step_document(false, ctx),
            Command::FindInFolder => {
                if self.corpus.is_some() {
                    self.folder_search.show();
                }
            }
            Command::Save => {
                self.save();
            }
            Command::SaveAs => {
                self.save_as();
            }
            Command::Quit => ctx.send_viewport_cmd(ViewportCommand::Close),
            Command::Help => self.show_help = !self.show_help,
            Command::ZoomIn => self.settings.zoom = (self.settings.zoom * 1.1).min(3.0),
            Command::ZoomOut => self.settings.zoom = (self.settings.zoom / 1.1).max(0.5),
            Command::ZoomReset => self.settings.zoom = 1.0,
            Command::Escape if self.show_help => self.show_help = false,
            Command::Settings => self.show_settings = !self.show_settings,
            _ => {
                let Some(doc) = self.doc.as_mut() else {
                    return;
                };
                let s = &mut doc.session;
                let review =
                    s.review.active && s.selected_span().is_some_and(|x| x.origin.is_machine());
                let resize = |s: &mut Session, edge, forward, step| {
                    if review {
                        s.review_resize(edge, forward, step);
                    } else {
                        s.resize_selected(edge, forward, step);
                    }
                };
                match c {
                    Command::ToggleReview => s.toggle_review(),
                    Command::Accept | Command::AcceptEnter => {
                        s.review_decide(&crate::review::Decision::Accept);
                    }
                    Command::Reject => s.review_decide(&crate::review::Decision::Reject),
                    Command::Skip => s.review_skip(),
                    Command::NextTag => s.review_step(true),
                    Command::PrevTag => s.review_step(false),
                    Command::UndoDecision => s.review_undo(),
                    Command::Undo => s.undo(),
                    Command::Redo | Command::RedoAlt => s.redo(),
                    Command::Delete => s.delete_selected(),
                    Command::Escape if s.find.open => s.find.close(),
                    Command::Escape => s.escape(),
                    Command::NextSpan => s.select_step(true),
                    Command::PrevSpan => s.select_step(false),
                    Command::EndWordRight => resize(s, Edge::End, true, Step::Word),
                    Command::EndWordLeft => resize(s, Edge::End, false, Step::Word),
                    Command::StartWordLeft => resize(s, Edge::Start, false, Step::Word),
                    Command::StartWordRight => resize(s, Edge::Start, true, Step::Word),
                    Command::EndCharRight => resize(s, Edge::End, true, Step::Char),
                    Command::EndCharLeft => resize(s, Edge::End, false, Step::Char),
                    Command::StartCharLeft => resize(s, Edge::Start, false, Step::Char),
                    Command::StartCharRight => resize(s, Edge::Start, true, Step::Char),
                    Command::LinkSaidBy => s.begin_link("said_by"),
                    Command::LinkDenies => s.begin_link("denies"),
                    Command::Find => {
                        s.find.open();
                        s.refresh_find();
                        doc.find_bar.focus = true;
                    }
                    Command::FindNext => s.find_step(true),
                    Command::FindPrev => s.find_step(false),
                    Command::ToggleDone => s.toggle_done(),
                    _ => {}
                }
            }
        }
    }

    fn answer(&mut self, ctx: &Context, answer: overlays::Answer) {
        let Some(dialog) = self.dialog.take() else {
            return;
        };
        match (dialog, answer) {
            (Dialog::Unsaved(then), overlays::Answer::Save) if self.save() => {
                self.then(then, ctx);
            }
            (Dialog::Unsaved(then), overlays::Answer::Discard) => {
                if let Some(doc) = self.doc.as_mut() {
                    // Keep the work reachable until the window goes.
                    doc.session.history.mark_saved();
                }
                self.then(then, ctx);
            }
            (Dialog::Conflict(_), overlays::Answer::Overwrite) => {
                if let Some(doc) = self.doc.as_mut()
                    && let Err(e) = doc.session.save_over()
                {
                    self.dialog = Some(Dialog::Error(format!("Not saved: {e}")));
                }
            }
            (Dialog::Conflict(_), overlays::Answer::SaveAs) => {
                self.save_as();
            }
            (Dialog::Conflict(_), overlays::Answer::Reload) => self.reload(),
            (Dialog::Recovery(_), overlays::Answer::Restore) => self.restore_recovery(),
            (Dialog::Recovery(_), overlays::Answer::Discard) => {
                if let Some(doc) = self.doc.as_ref()
                    && let Err(e) = recovery::remove(&doc.session.doc.path)
                {
                    self.dialog = Some(Dialog::Error(format!(
                        "Cannot delete the recovery file: {e}"
                    )));
                }
            }
            (Dialog::Confirm(_, action), overlays::Answer::Confirm) => {
                self.apply_one(ctx, action);
            }
            _ => {}
        }
    }

    /// Asks before accepting or rejecting every tag the review filter shows.
    fn ask_bulk(&mut self, accept: bool) {
        let Some(s) = self.session_mut() else {
            return;
        };
        let n = s.review_bulk_count(accept);
        if n == 0 {
            s.info("Nothing to change: every tag shown already has that decision");
            return;
        }
        let verb = if accept { "Accept" } else { "Reject" };
        self.dialog = Some(Dialog::Confirm(
            format!(
                "{verb} the {n} machine tags the filter shows? This is one step; Ctrl+Z takes it back."
            ),
            Action::ReviewBulk(accept),
        ));
    }

    /// Counts the review outcomes over the saved annotation files of the
    /// open folder.
    fn folder_scorecard(&mut self) {
        let Some(c) = self.corpus.as_ref() else {
            return;
        };
        let mut card = crate::review::Scorecard::default();
        let mut files = 0;
        let mut unreadable = 0;
        for e in &c.entries {
            match store::read_raw(&e.annotation) {
                Ok((raw, _)) => {
                    files += 1;
                    for span in raw.spans {
                        card.add_span(&span.into());
                    }
                }
                Err(StoreError::AnnotationFile(_)) if !e.annotation.exists() => {}
                Err(_) => unreadable += 1,
            }
        }
        if let Some(doc) = self.doc.as_mut() {
            doc.review_bar.folder_card = Some((files, card));
            if unreadable > 0 {
                doc.session.error(format!(
                    "{unreadable} annotation files of the folder do not read; `tandai check` says why"
                ));
            }
        }
    }

    /// File > Import machine tags: a JSONL file of tags into the open
    /// article, as one undo step.
    fn import_tags(&mut self) {
        let Some(path) = rfd::FileDialog::new()
            .set_title("Import machine tags (JSONL)")
            .add_filter("Machine tags", &["jsonl", "json"])
            .pick_file()
        else {
            return;
        };
        self.import_tags_from(&path);
    }

    /// Imports machine tags from `path` into the open article, as one undo
    /// step; bad lines are listed in a dialog, good ones still come in.
    pub fn import_tags_from(&mut self, path: &Path) {
        let Some(doc) = self.doc.as_mut() else {
            return;
        };
        self.dialog = Some(match doc.session.import_tags(path) {
            Ok(report) => Dialog::Info(report),
            Err(e) => Dialog::Error(e),
        });
    }

    /// Loads the open file again from disk, dropping unsaved changes.
    fn reload(&mut self) {
        let Some(doc) = self.doc.as_ref() else {
            return;
        };
        let path = doc.session.doc.path.clone();
        let article = doc.session.doc.article.path.clone();
        // The annotation file may be gone: open the article then.
        let target = if path.exists() { path } else { article };
        self.open_now(&target);
    }

    /// Takes the annotations of the recovery file (unsaved until saved).
    fn restore_recovery(&mut self) {
        let Some(doc) = self.doc.as_mut() else {
            return;
        };
        let s = &mut doc.session;
        match recovery::load(&s.doc.path, &s.doc.article) {
            Ok(ann) => s.replace_annotations(ann, "Restored the recovery file; save to keep it"),
            Err(e) => {
                self.dialog = Some(Dialog::Error(format!("Cannot read the recovery file: {e}")));
            }
        }
    }

    /// Writes unsaved work to the recovery file when the interval has
    /// passed; asks for a repaint when the next one is due.
    fn autosave(&mut self, ctx: &Context) {
        let secs = self.settings.autosave_secs;
        let Some(doc) = self.doc.as_mut() else {
            return;
        };
        if secs == 0 {
            return;
        }
        let s = &mut doc.session;
        if !s.is_dirty() || doc.autosaved == Some(s.generation) {
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
        let labels: Vec<&str> = s.schema.labels.iter().map(|l| l.name.as_str()).collect();
        match recovery::write(&s.doc.path, &s.doc.annotations, &labels) {
            Ok(()) => {
                doc.autosaved = Some(s.generation);
                doc.dirty_since = None;
            }
            Err(e) => {
                // Try again at the next interval; say so once.
                doc.dirty_since = Some(now);
                s.message = Some(crate::gui::session::Message {
                    text: format!("Autosave failed: {e}"),
                    error: true,
                });
            }
        }
    }

    /// When the window gets the focus back, looks whether the annotation
    /// file changed on disk: reloads it if nothing here is unsaved,
    /// otherwise asks.
    fn check_disk(&mut self, ctx: &Context) {
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
        let path = s.doc.path.clone();
        let change = match s.doc.disk.recheck(&path) {
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
        let name = s.doc.path.display().to_string();
        if s.is_dirty() {
            self.dialog = Some(Dialog::Conflict(format!("{name} {what}.")));
        } else if change != DiskChange::Deleted {
            self.reload();
            if let Some(s) = self.session_mut() {
                s.message = Some(crate::gui::session::Message {
                    text: format!("{name} {what}; reloaded it (nothing here was unsaved)"),
                    error: false,
                });
            }
        } else if let Some(s) = self.session_mut() {
            s.message = Some(crate::gui::session::Message {
                text: format!("{name} {what}; Save writes it again"),
                error: true,
            });
        }
    }

    fn import(&mut self, format: crate::interop::Format) {
        let Some(inputs) = rfd::FileDialog::new()
            .set_title(format!("Import {}", format.title()))
            .pick_files()
        else {
            return;
        };
        let Some(out) = rfd::FileDialog::new()
            .set_title("Folder for the imported articles")
            .pick_folder()
        else {
            return;
        };
        let mut opts = crate::interop::ImportOptions::new(format);
        opts.out_dir = Some(out);
        opts.annotator.clone_from(&self.settings.annotator);
        self.dialog = Some(match crate::interop::import(&inputs, &opts, &mut |_| {}) {
            Ok(report) => Dialog::Info(report_text(&report)),
            Err(e) => Dialog::Error(format!("Import failed: {e}")),
        });
    }

    fn export(&mut self, format: crate::interop::Format) {
        let Some(session) = self.session() else {
            return;
        };
        if session.is_dirty() {
            self.dialog = Some(Dialog::Error(
                "Save the annotations first: export writes what is saved.".to_owned(),
            ));
            return;
        }
        let input = session.doc.path.clone();
        let Some(out) = rfd::FileDialog::new()
            .set_title(format!("Export as {}", format.title()))
            .pick_folder()
        else {
            return;
        };
        let mut opts = crate::interop::ExportOptions::new(format);
        opts.out = Some(out);
        self.dialog = Some(match crate::interop::export(&[input], &opts, &mut |_| {}) {
            Ok(report) => Dialog::Info(report_text(&report)),
            Err(e) => Dialog::Error(format!("Export failed: {e}")),
        });
    }

    fn title_now(&self) -> String {
        match self.session() {
            Some(s) => format!(
                "{}{} — tandai",
                if s.is_dirty() { "• " } else { "" },
                s.file_name()
            ),
            None => "tandai".to_owned(),
        }
    }

    /// One frame: the whole window.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if !self.configured {
            // Ctrl+= / Ctrl+- zoom the article, not the whole window.
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
            // Articles may hold any character; one no font can draw shows
            // as a box rather than stopping the app.
            ctx.set_missing_glyph_policy(egui::epaint::text::MissingGlyphPolicy::Tofu);
            self.configured = true;
        }
        let mut actions = Vec::new();

        // Closing with unsaved work asks first.
        if ctx.input(|i| i.viewport().close_requested()) && self.is_dirty() && !self.close_confirmed
        {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.dialog = Some(Dialog::Unsaved(Then::Close));
        }
        // Files dropped on the window.
        let dropped: Option<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .find(|p| !p.as_os_str().is_empty())
        });
        if let Some(p) = dropped {
            actions.push(Action::Open(p));
        }
        self.check_disk(&ctx);
        self.keys(&ctx, &mut actions);

        bars::menu_bar(
            ui,
            self.doc.as_ref().map(|d| &d.session),
            self.corpus.is_some(),
            &mut actions,
        );
        let current = self.current_index();
        if let Some(c) = self.corpus.as_mut()
            && c.poll()
        {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        // One left column: the folder's articles and the open article's
        // spans share it as two tabs, so the article keeps its width.
        let show_articles = self.corpus.is_some() && (self.doc.is_none() || self.left_tab_articles);
        if self.corpus.is_some() || self.doc.is_some() {
            egui::Panel::left("left-column")
                .resizable(true)
                .default_size(280.0)
                .max_size(480.0)
                .show(ui, |ui| {
                    if self.corpus.is_some() && self.doc.is_some() {
                        ui.horizontal(|ui| {
                            ui.selectable_value(&mut self.left_tab_articles, true, "Articles")
                                .on_hover_text("The articles of the open folder");
                            ui.selectable_value(&mut self.left_tab_articles, false, "Spans")
                                .on_hover_text("The spans of the open article");
                        });
                        ui.separator();
                    }
                    if show_articles {
                        if let Some(c) = self.corpus.as_mut() {
                            c.ui(ui, current, &mut actions);
                        }
                    } else if let Some(doc) = self.doc.as_mut() {
                        doc.span_list.ui(ui, &doc.session, &mut actions);
                    }
                });
        }
        if let Some(doc) = self.doc.as_mut() {
            bars::toolbar(ui, &doc.session, &mut actions);
            doc.session.review.order = if self.settings.review_by_score {
                crate::review::QueueOrder::ScoreAscending
            } else {
                crate::review::QueueOrder::Document
            };
            if doc.session.review.active || doc.review_bar.show_scorecard {
                doc.session.review_queue();
                doc.review_stats();
            }
            if doc.session.review.active
                && let Some((_, stats)) = doc.review_stats.as_ref()
            {
                // Borrowed, not cloned: the figures change once per edit.
                egui::Panel::top("review-bar").show(ui, |ui| {
                    doc.review_bar.ui(ui, &doc.session, stats, &mut actions);
                });
            }
            if doc.review_bar.show_scorecard
                && let Some((_, stats)) = doc.review_stats.as_ref()
            {
                let folder = doc.review_bar.folder_card.as_ref();
                let mut open = true;
                review_bar::scorecard_window(
                    &ctx,
                    &mut open,
                    &stats.card,
                    folder,
                    self.corpus.is_some(),
                    &mut actions,
                );
                doc.review_bar.show_scorecard = open;
            }
            if doc.session.find.open {
                egui::Panel::top("find-bar")
                    .show(ui, |ui| doc.find_bar.ui(ui, &doc.session, &mut actions));
            }
            bars::status_bar(ui, &doc.session, doc.hover);
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(320.0)
                .max_size(420.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("inspector-scroll")
                        .show(ui, |ui| doc.inspector.ui(ui, &doc.session, &mut actions));
                });
            let zoom = self.settings.zoom;
            egui::CentralPanel::default().show(ui, |ui| {
                ui.style_mut()
                    .text_styles
                    .entry(egui::TextStyle::Body)
                    .and_modify(|f| f.size *= zoom);
                let scroll_to = doc.session.scroll_to.take();
                let out = doc.view.ui(ui, &doc.session, scroll_to);
                if let Some(sel) = out.selection {
                    actions.push(Action::SetSelection(sel));
                }
                if let Some(c) = out.click {
                    actions.push(Action::Click(c));
                }
                doc.hover = out.hover;
            });
        } else if self.corpus.is_some() {
            egui::CentralPanel::default().show(ui, |ui| {
                start::folder_hint(ui, &mut actions);
            });
        } else {
            egui::CentralPanel::default().show(ui, |ui| {
                start::start_screen(ui, &self.settings.recent, &mut actions);
            });
        }
        if self.folder_search.open
            && let Some(c) = self.corpus.as_ref()
        {
            self.folder_search.window(&ctx, c, &mut actions);
        }

        if self.show_help {
            let labels = self.session().map_or_else(
                || crate::schema::Schema::builtin().labels,
                |s| s.schema.labels.clone(),
            );
            overlays::help(&ctx, &labels, &mut self.show_help);
        }
        if self.show_settings {
            self.show_settings = crate::gui::settings::window(&ctx, &mut self.settings);
        }
        if let Some(doc) = self.doc.as_mut() {
            if doc.session.annotator != self.settings.annotator {
                doc.session.annotator.clone_from(&self.settings.annotator);
            }
            doc.view.snap_words = self.settings.snap_words;
            doc.view.show_rejected = self.settings.show_rejected;
        }
        if let Some(dialog) = self.dialog.clone()
            && let Some(answer) = overlays::dialog(&ctx, &dialog)
        {
            self.answer(&ctx, answer);
        }

        self.apply(&ctx, actions);
        self.autosave(&ctx);

        let title = self.title_now();
        if title != self.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}

/// An import or export report for people: the summary and each problem.
fn report_text(report: &crate::interop::Report) -> String {
    let mut text = report.summary();
    for p in report.warnings.problems.iter().take(12) {
        text.push('\n');
        text.push_str(&p.to_string());
    }
    if report.warnings.problems.len() > 12 {
        let _ = write!(text, "\n… and {} more", report.warnings.problems.len() - 12);
    }
    text
}

impl eframe::App for TandaiApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}
