//! The eframe app: the frame's logic (keys, actions, dialogs) and its ui
//! (panels), kept apart so that the document only changes between frames.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::store::StoreError;
use egui::{Context, Ui, ViewportCommand};
use serde::{Deserialize, Serialize};

use super::Action;
use super::article::ArticleView;
use super::commands::{Command, key_for_char};
use super::panels::inspector::Inspector;
use super::panels::span_list::SpanList;
use super::panels::{bars, overlays, start};
use super::session::{Edge, Session, Step};

/// Settings remembered between runs.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Settings {
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// Article text zoom.
    pub zoom: f32,
    /// Name stored in new spans' origin.
    pub annotator: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            recent: Vec::new(),
            zoom: 1.0,
            annotator: std::env::var("USER").unwrap_or_default(),
        }
    }
}

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
    seen_generation: u64,
    /// Char offset under the pointer, for the status bar.
    hover: Option<usize>,
}

impl Document {
    fn new(session: Session) -> Self {
        Self {
            view: ArticleView::new(&session.doc.article.text),
            seen_generation: session.generation,
            hover: None,
            session,
            inspector: Inspector::default(),
            span_list: SpanList::default(),
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
    /// The file changed on disk since it was loaded.
    Conflict(String),
    /// Something failed.
    Error(String),
    /// A report (import or export finished).
    Info(String),
}

/// The app.
pub struct TandaiApp {
    /// The open document, if any.
    pub doc: Option<Document>,
    /// Remembered settings.
    pub settings: Settings,
    /// The modal dialog shown, if any.
    pub dialog: Option<Dialog>,
    /// Whether the shortcut overlay is shown.
    pub show_help: bool,
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
            title: String::new(),
            close_confirmed: false,
            configured: false,
        };
        if let Some(p) = path {
            app.open_now(&p);
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

    /// Opens a file now, replacing the current document (no question).
    pub fn open_now(&mut self, path: &Path) {
        match Session::open(path) {
            Ok(mut s) => {
                s.annotator.clone_from(&self.settings.annotator);
                let key = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
                self.settings.recent.retain(|p| *p != key);
                self.settings.recent.insert(0, key);
                self.settings.recent.truncate(MAX_RECENT);
                self.doc = Some(Document::new(s));
            }
            Err(e) => self.dialog = Some(Dialog::Error(e.to_string())),
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
            Then::Open(p) => self.open_now(&p),
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
            Ok(()) => true,
            Err(StoreError::Conflict { path }) => {
                self.dialog = Some(Dialog::Conflict(path.display().to_string()));
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
        for &cmd in Command::by_specificity() {
            if typing && cmd.is_plain_key() {
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
            Action::Open(p) => self.guarded(Then::Open(p), ctx),
            Action::OpenExample => self.guarded(Then::OpenExample, ctx),
            Action::Import(f) => self.import(f),
            Action::Export(f) => self.export(f),
            other => {
                let Some(doc) = self.doc.as_mut() else {
                    return;
                };
                let s = &mut doc.session;
                match other {
                    Action::Label(l) => s.apply_label(&l),
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
                    Action::Command(_)
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
            _ => {
                let Some(doc) = self.doc.as_mut() else {
                    return;
                };
                let s = &mut doc.session;
                match c {
                    Command::Undo => s.undo(),
                    Command::Redo | Command::RedoAlt => s.redo(),
                    Command::Delete => s.delete_selected(),
                    Command::Escape => s.escape(),
                    Command::NextSpan => s.select_step(true),
                    Command::PrevSpan => s.select_step(false),
                    Command::EndWordRight => s.resize_selected(Edge::End, true, Step::Word),
                    Command::EndWordLeft => s.resize_selected(Edge::End, false, Step::Word),
                    Command::StartWordLeft => s.resize_selected(Edge::Start, false, Step::Word),
                    Command::StartWordRight => s.resize_selected(Edge::Start, true, Step::Word),
                    Command::EndCharRight => s.resize_selected(Edge::End, true, Step::Char),
                    Command::EndCharLeft => s.resize_selected(Edge::End, false, Step::Char),
                    Command::StartCharLeft => s.resize_selected(Edge::Start, false, Step::Char),
                    Command::StartCharRight => s.resize_selected(Edge::Start, true, Step::Char),
                    Command::LinkSaidBy => s.begin_link("said_by"),
                    Command::LinkDenies => s.begin_link("denies"),
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
            _ => {}
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
        self.keys(&ctx, &mut actions);

        bars::menu_bar(ui, self.doc.as_ref().map(|d| &d.session), &mut actions);
        if let Some(doc) = self.doc.as_mut() {
            bars::toolbar(ui, &doc.session, &mut actions);
            bars::status_bar(ui, &doc.session, doc.hover);
            egui::Panel::left("span-list")
                .resizable(true)
                .default_size(280.0)
                .max_size(420.0)
                .show(ui, |ui| doc.span_list.ui(ui, &doc.session, &mut actions));
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
        } else {
            egui::CentralPanel::default().show(ui, |ui| {
                start::start_screen(ui, &self.settings.recent, &mut actions);
            });
        }

        if self.show_help {
            let labels = self.session().map_or_else(
                || crate::schema::Schema::builtin().labels,
                |s| s.schema.labels.clone(),
            );
            overlays::help(&ctx, &labels, &mut self.show_help);
        }
        if let Some(dialog) = self.dialog.clone()
            && let Some(answer) = overlays::dialog(&ctx, &dialog)
        {
            self.answer(&ctx, answer);
        }

        self.apply(&ctx, actions);

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
