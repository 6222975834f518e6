//! Everything that changes the app's state, run outside the ui pass: what
//! happens before drawing (window events, keys, caches renewed), the
//! actions the ui pass collected, and what follows the frame (autosave,
//! the window title).

use egui::{Context, ViewportCommand};

use super::{Dialog, TandaiApp, Then};
use crate::gui::Action;
use crate::gui::commands::{Command, key_for_char};
use crate::gui::panels::find_bar;
use crate::gui::panels::path_field::Purpose;
use crate::review::{Decision, QueueOrder};
use crate::session::{Edge, Motion, Session, Step};

impl TandaiApp {
    /// Sets up the egui context, once.
    pub(super) fn configure(&mut self, ctx: &Context) {
        if self.configured {
            return;
        }
        // Ctrl+= / Ctrl+- zoom the article, not the whole window.
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
        // Articles may hold any character; one no font can draw shows as a
        // box rather than stopping the app.
        ctx.set_missing_glyph_policy(egui::epaint::text::MissingGlyphPolicy::Tofu);
        self.configured = true;
    }

    /// Window events and keys into actions, applied by [`TandaiApp::show`]
    /// before the frame is drawn.
    pub(super) fn input_actions(&mut self, ctx: &Context) -> Vec<Action> {
        let mut actions = Vec::new();
        // Closing with unsaved work asks first.
        if ctx.input(|i| i.viewport().close_requested()) && self.is_dirty() && !self.close_confirmed
        {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.dialog = Some(Dialog::Unsaved(Then::Close));
        }
        // Files dropped on the window.
        let dropped = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .find(|p| !p.as_os_str().is_empty())
        });
        if let Some(p) = dropped {
            actions.push(Action::Open(p));
        }
        self.check_disk(ctx);
        self.keys(ctx, &mut actions);
        actions
    }

    /// Background work taken in; the caches the ui pass reads renewed.
    pub(super) fn before_frame(&mut self, ctx: &Context) {
        let polling = self
            .folder
            .as_mut()
            .is_some_and(crate::session::folder::Folder::poll)
            | (self.windows.folder_search && self.folder_search.poll())
            | self.poll_suggest();
        if polling {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        if let Some(doc) = self.doc.as_mut() {
            let s = &mut doc.session;
            s.set_review_order(if self.settings.review_by_score {
                QueueOrder::ScoreAscending
            } else {
                QueueOrder::Document
            });
            if s.review().active || doc.review_bar.show_scorecard {
                s.refresh_review();
            }
            s.refresh_comparison();
            // The adjudication queue's current dispute, brought into view
            // when it changes.
            s.refresh_adjudication();
            if s.doc().annotations.open_dispute_count() > 0 {
                let current = s
                    .current_dispute()
                    .map(|d| (d.id, d.range(&s.doc().annotations).map(|r| r.start)));
                if current.map(|c| c.0) != self.shown_dispute {
                    self.shown_dispute = current.map(|c| c.0);
                    if let Some((_, Some(at))) = current {
                        s.show_place(at);
                    }
                }
            }
        }
    }

    /// Autosave and the window title, once the frame's actions are applied.
    pub(super) fn after_frame(&mut self, ctx: &Context) {
        self.autosave(ctx);
        let title = match self.session() {
            Some(s) => format!(
                "{}{} — tandai",
                if s.is_dirty() { "• " } else { "" },
                s.file_name()
            ),
            None => "tandai".to_owned(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// Reads the keyboard into actions. Plain keys are left to a text field
    /// that has focus.
    fn keys(&mut self, ctx: &Context, actions: &mut Vec<Action>) {
        // A modal window (a dialog, the path field) takes the keys itself.
        if self.dialog.is_some() || self.picker.field.is_some() {
            return;
        }
        let typing = ctx.egui_wants_keyboard_input();
        // Backspace undoes a review decision, or a settled dispute.
        let reviewing = self
            .session()
            .is_some_and(|s| s.review().active || s.adjudication_progress().total > 0);
        // Key presses in the order they came: several can arrive in one
        // frame (a fast typist, a script), and "Down, Home, Shift+End, 1"
        // must select and tag in that order, each press counted.
        let pressed: Vec<(usize, egui::Key, egui::Modifiers)> = ctx.input(|i| {
            i.events
                .iter()
                .enumerate()
                .filter_map(|(n, e)| match e {
                    egui::Event::Key {
                        key,
                        pressed: true,
                        modifiers,
                        ..
                    } => Some((n, *key, *modifiers)),
                    _ => None,
                })
                .collect()
        });
        if pressed.is_empty() {
            // Most frames: nothing to read, nothing to allocate.
            return;
        }
        let label_keys: Vec<(egui::Key, String)> = self.session().map_or_else(Vec::new, |s| {
            s.schema()
                .labels
                .iter()
                .filter_map(|l| Some((l.key_char().and_then(key_for_char)?, l.name.clone())))
                .collect()
        });
        let mut used = Vec::new();
        for (n, key, mods) in pressed {
            // The most specific shortcut first: egui matches extra Shift and
            // Alt loosely (Shift+Tab must not be read as Tab).
            let cmd = Command::by_specificity().iter().find(|(cmd, sc)| {
                let text_key = Command::is_plain(sc) || Command::is_text_navigation(sc);
                sc.logical_key == key
                    && mods.matches_logically(sc.modifiers)
                    && !(typing && text_key)
                    && (!cmd.is_review() || reviewing)
            });
            if let Some(&(cmd, _)) = cmd {
                used.push(n);
                if matches!(cmd, Command::NextSpan | Command::PrevSpan) {
                    // Tab walks spans here, not the focus between widgets.
                    ctx.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
                }
                if cmd == Command::Find && self.doc.is_some() {
                    // Opened now, before drawing, with the field focused: the
                    // keys typed after Ctrl+F in this frame go into it, and
                    // none of them acts as an article command.
                    consume(ctx, &used);
                    self.command(ctx, cmd);
                    ctx.memory_mut(|m| m.request_focus(find_bar::field_id()));
                    return;
                }
                actions.push(Action::Command(cmd));
            } else if !typing
                && mods.matches_logically(egui::Modifiers::NONE)
                && let Some((_, label)) = label_keys.iter().find(|(k, _)| *k == key)
            {
                used.push(n);
                actions.push(Action::Label(label.clone()));
            }
        }
        consume(ctx, &used);
    }

    /// Applies the actions collected this frame.
    pub fn apply(&mut self, ctx: &Context, actions: Vec<Action>) {
        for a in actions {
            self.apply_one(ctx, a);
        }
        if let Some(doc) = self.doc.as_mut()
            && doc.seen_generation != doc.session.generation()
        {
            doc.seen_generation = doc.session.generation();
            if !ctx.egui_wants_keyboard_input() {
                doc.inspector.reset();
            }
            self.sync_corpus();
        }
    }

    /// The settings changed: the open document follows them.
    pub(super) fn sync_settings(&mut self) {
        if let Some(doc) = self.doc.as_mut() {
            doc.session.set_annotator(&self.settings.annotator);
            doc.view.snap_words = self.settings.snap_words;
            doc.view.show_rejected = self.settings.show_rejected;
        }
    }

    /// Whether an action writes the annotator's name into the file while
    /// no name is known (asked once, then the action goes ahead).
    fn needs_name(&self, action: &Action) -> bool {
        let writes_name = matches!(
            action,
            Action::Label(_)
                | Action::TagAllMatches(_)
                | Action::ReviewBulk(_)
                | Action::ReviewAskBulk(_)
                | Action::Command(Command::Accept | Command::Reject)
        );
        writes_name && self.doc.is_some() && self.settings.annotator.trim().is_empty()
    }

    pub(super) fn apply_one(&mut self, ctx: &Context, action: Action) {
        if self.needs_name(&action) {
            self.dialog = Some(Dialog::AskName(action));
            return;
        }
        match action {
            Action::Command(c) => self.command(ctx, c),
            Action::Open(p) if p.is_dir() => self.open_folder(&p),
            Action::Open(p) => self.guarded(Then::Open(p), ctx),
            Action::OpenDocument(i) => self.switch_to(i, ctx),
            Action::OpenOutside(p) => self.open_trusting(&p, true),
            Action::OpenExample => self.guarded(Then::OpenExample, ctx),
            Action::OpenHit(i, place) => {
                self.switch_to(i, ctx);
                if self.current_index() == Some(i)
                    && let Some(s) = self.session_mut()
                {
                    s.go_to(&place);
                }
            }
            Action::PathField(path) => self.path_chosen(ctx, path),
            Action::ReviewAskBulk(accept) => self.ask_bulk(accept),
            Action::FolderScorecard => self.folder_scorecard(),
            Action::ImportTags => self.import_tags(),
            Action::CancelSuggest => self.cancel_suggest(),
            Action::SetEntity(span, entity) => {
                self.entity_picker = None;
                if let Some(s) = self.session_mut() {
                    s.set_entity(span, entity);
                }
            }
            Action::NewEntity(span, name, role) => {
                self.entity_picker = None;
                if let Some(s) = self.session_mut() {
                    s.new_entity(&name, role.as_deref(), Some(span));
                }
            }
            Action::ExportAttributions(folder) => self.export_attributions(folder),
            Action::ReadFolderAttributions => self.read_folder_attributions(),
            Action::ShowWhoSaidWhat(on) => {
                self.who = on.then(super::super::panels::entities::WhoSaidWhat::default);
            }
            Action::ShowDifference(i) => {
                if let Some(s) = self.session_mut() {
                    s.show_difference(i);
                }
            }
            Action::MergeComparison => {
                let merged = self
                    .session()
                    .map(crate::session::Session::merge_comparison);
                match merged {
                    Some(Ok(path)) => self.apply_one(ctx, Action::Open(path)),
                    Some(Err(e)) => self.dialog = Some(Dialog::Error(e)),
                    None => {}
                }
            }
            Action::CloseComparison => {
                if let Some(s) = self.session_mut() {
                    s.close_comparison();
                }
            }
            Action::Import(f) => self.import(f),
            Action::Export(f) => self.export(f),
            Action::Answer(a) => self.answer(ctx, a),
            Action::Settings(s) => {
                self.settings = *s;
                self.sync_settings();
            }
            Action::Windows(w) => {
                if self.windows.folder_search && !w.folder_search {
                    self.folder_search.stop();
                }
                self.windows = w;
            }
            Action::ShowScorecard(on) => {
                if let Some(doc) = self.doc.as_mut() {
                    doc.review_bar.show_scorecard = on;
                }
            }
            Action::FolderFilter(text) => {
                if let Some(f) = self.folder.as_mut() {
                    f.set_filter(&text);
                }
            }
            Action::FolderShow(show) => {
                if let Some(f) = self.folder.as_mut() {
                    f.set_show(show);
                }
            }
            Action::FolderSearch(query) => {
                if let Some(f) = self.folder.as_ref() {
                    self.folder_search.start(f, query);
                }
            }
            other => {
                if let Some(doc) = self.doc.as_mut() {
                    session_action(&mut doc.session, other);
                }
            }
        }
    }

    fn command(&mut self, ctx: &Context, c: Command) {
        match c {
            // Without a dialog the field asks first; Open then guards
            // unsaved work as a dropped file does.
            Command::Open if !self.native_dialogs() => {
                self.show_path_field(Purpose::Open, "", true);
            }
            Command::Open => self.guarded(Then::OpenDialog, ctx),
            Command::OpenFolder => {
                if let Some(dir) = self.ask_path(Purpose::OpenFolder, "") {
                    self.open_folder(&dir);
                }
            }
            Command::OpenPath => self.show_path_field(Purpose::Open, "", false),
            Command::NextDocument => self.step_document(true, ctx),
            Command::PrevDocument => self.step_document(false, ctx),
            Command::CompareWith => {
                if self.doc.is_some()
                    && let Some(p) = self.ask_path(Purpose::CompareWith, "")
                {
                    self.compare_with(&p);
                }
            }
            Command::NameEntity => self.open_entity_picker(),
            Command::WhoSaidWhat => {
                self.who = match self.who {
                    Some(_) => None,
                    None => Some(super::super::panels::entities::WhoSaidWhat::default()),
                };
            }
            Command::SuggestArticle => self.start_suggest(false),
            Command::SuggestFolder => self.start_suggest(true),
            Command::FindInFolder => {
                if self.folder.is_some() {
                    self.windows.folder_search = true;
                    self.search_window.show(self.folder_search.query());
                }
            }
            Command::Save => {
                self.save();
            }
            Command::SaveAs => {
                self.save_as();
            }
            Command::Quit => ctx.send_viewport_cmd(ViewportCommand::Close),
            Command::Help => self.windows.help = !self.windows.help,
            Command::ZoomIn => self.settings.zoom = (self.settings.zoom * 1.1).min(3.0),
            Command::ZoomOut => self.settings.zoom = (self.settings.zoom / 1.1).max(0.5),
            Command::ZoomReset => self.settings.zoom = 1.0,
            // Esc closes the window on top first: help, settings, find in
            // folder, the scorecard; then the find bar and the selection.
            Command::Escape if self.windows.help => self.windows.help = false,
            Command::Escape if self.windows.settings => self.windows.settings = false,
            Command::Escape if self.windows.folder_search => {
                self.windows.folder_search = false;
                self.folder_search.stop();
            }
            Command::Escape
                if self
                    .doc
                    .as_ref()
                    .is_some_and(|d| d.review_bar.show_scorecard) =>
            {
                if let Some(doc) = self.doc.as_mut() {
                    doc.review_bar.show_scorecard = false;
                }
            }
            Command::Settings => self.windows.settings = !self.windows.settings,
            Command::Find => {
                if let Some(doc) = self.doc.as_mut() {
                    let from = doc.view.first_visible_char();
                    doc.session.open_find(from);
                    doc.find_bar.focus = true;
                }
            }
            _ => {
                let snap = self.settings.snap_words;
                if let Some(doc) = self.doc.as_mut()
                    && !caret_command(ctx, doc, c, snap)
                {
                    session_command(&mut doc.session, c);
                }
            }
        }
    }
}

/// A caret command: moves the caret (selecting with Shift). The Shift+arrow
/// keys that resize a selected span count as caret commands only while no
/// span is selected. Returns whether `c` was one.
fn caret_command(ctx: &Context, doc: &mut super::Document, c: Command, snap: bool) -> bool {
    use crate::gui::article::RowMotion as Row;
    enum To {
        Text(Motion),
        Row(Row),
    }
    let span_selected = doc.session.selected().is_some();
    // (where to, extend the selection, snap it to words)
    let (to, extend, snap) = match c {
        Command::CaretLeft => (To::Text(Motion::Left), false, false),
        Command::CaretRight => (To::Text(Motion::Right), false, false),
        Command::WordLeft => (To::Text(Motion::WordLeft), false, false),
        Command::WordRight => (To::Text(Motion::WordRight), false, false),
        Command::ArticleStart => (To::Text(Motion::Start), false, false),
        Command::ArticleEnd => (To::Text(Motion::End), false, false),
        Command::CaretUp => (To::Row(Row::Up), false, false),
        Command::CaretDown => (To::Row(Row::Down), false, false),
        Command::RowStart => (To::Row(Row::RowStart), false, false),
        Command::RowEnd => (To::Row(Row::RowEnd), false, false),
        Command::PageUp => (To::Row(Row::PageUp), false, false),
        Command::PageDown => (To::Row(Row::PageDown), false, false),
        Command::SelectUp => (To::Row(Row::Up), true, snap),
        Command::SelectDown => (To::Row(Row::Down), true, snap),
        Command::SelectRowStart => (To::Row(Row::RowStart), true, snap),
        Command::SelectRowEnd => (To::Row(Row::RowEnd), true, snap),
        Command::SelectPageUp => (To::Row(Row::PageUp), true, snap),
        Command::SelectPageDown => (To::Row(Row::PageDown), true, snap),
        _ if span_selected => return false,
        // With no span selected, the span-resizing keys select from the
        // caret: by words when selections snap to words, else by chars;
        // with Alt, exactly by chars.
        Command::EndWordRight | Command::StartWordRight => {
            let m = if snap {
                Motion::WordRight
            } else {
                Motion::Right
            };
            (To::Text(m), true, snap)
        }
        Command::EndWordLeft | Command::StartWordLeft => {
            let m = if snap { Motion::WordLeft } else { Motion::Left };
            (To::Text(m), true, snap)
        }
        Command::EndCharRight | Command::StartCharRight => (To::Text(Motion::Right), true, false),
        Command::EndCharLeft | Command::StartCharLeft => (To::Text(Motion::Left), true, false),
        _ => return false,
    };
    let s = &mut doc.session;
    let target = match to {
        To::Text(m) => s.caret_target(m),
        To::Row(r) => doc
            .view
            .row_target(ctx, &s.doc().article.text, s.caret(), r),
    };
    s.move_caret(target, extend, snap);
    true
}

/// An action on the open document.
fn session_action(s: &mut Session, action: Action) {
    match action {
        // In review mode a label key corrects the current machine tag; a
        // text selection (a tag the model missed) is still tagged as usual.
        Action::Label(l)
            if s.review().active
                && s.selection().is_none()
                && s.selected_span().is_some_and(|x| x.origin.is_machine()) =>
        {
            s.review_relabel(&l);
        }
        Action::Label(l) => s.apply_label(&l),
        Action::ReviewFilter(f) => s.set_review_filter(f),
        Action::ReviewBulk(accept) => {
            s.review_bulk(accept);
        }
        Action::Select(id) => s.select(id),
        Action::Click(Some(c)) => s.click(c),
        Action::Click(None) => s.click_nowhere(),
        Action::SetSelection(r) => s.set_selection(r),
        Action::Relabel(id, l) => s.relabel(id, &l),
        Action::SetNote(id, n) => s.set_note(id, n),
        Action::SetAttribute(id, k, v) => s.set_attribute(id, &k, v),
        Action::RemoveLink(id) => s.remove_link(id),
        Action::FinishLink(id) => s.finish_link(id),
        Action::BeginLink(kind) => s.begin_link(&kind),
        Action::FindSet(q) => s.set_find_query(q),
        Action::FindStep(forward) => s.find_step(forward),
        Action::FindClose => s.close_find(),
        Action::TagAllMatches(label) => s.tag_all_matches(&label),
        // The app's own actions never reach here.
        _ => {}
    }
}

/// A command on the open document.
fn session_command(s: &mut Session, c: Command) {
    let review = s.review().active && s.selected_span().is_some_and(|x| x.origin.is_machine());
    let resize = |s: &mut Session, edge, forward, step| {
        if review {
            s.review_resize(edge, forward, step);
        } else {
            s.resize_selected(edge, forward, step);
        }
    };
    match c {
        Command::ToggleReview => s.toggle_review(),
        Command::Accept => s.review_decide(&Decision::Accept),
        Command::Reject => s.review_decide(&Decision::Reject),
        Command::Skip => s.review_skip(),
        Command::NextTag => s.review_step(true),
        Command::PrevTag => s.review_step(false),
        Command::UndoDecision if !s.review().active => s.undo(),
        Command::UndoDecision => s.review_undo(),
        Command::TakeFirst => settle_current(s, Take::One(0)),
        Command::TakeSecond => settle_current(s, Take::One(1)),
        Command::TakeThird => settle_current(s, Take::One(2)),
        Command::TakeBoth => settle_current(s, Take::All),
        Command::TakeNeither => settle_current(s, Take::None),
        Command::Undo => s.undo(),
        Command::Redo => s.redo(),
        Command::Delete => s.delete_selected(),
        Command::Escape if s.find().open => s.close_find(),
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
        Command::FindNext => s.find_step(true),
        Command::FindPrev => s.find_step(false),
        Command::ToggleDone => s.toggle_done(),
        // The app's own commands never reach here.
        _ => {}
    }
}

/// Takes the key presses `used` (indices into this frame's events) out of
/// the frame's input, each with the text it typed (the `Text` event right
/// after it): a widget drawn later in the frame (one the key itself
/// opened) must not act on it again.
fn consume(ctx: &Context, used: &[usize]) {
    if used.is_empty() {
        return;
    }
    ctx.input_mut(|i| {
        let typed: Vec<usize> = used
            .iter()
            .map(|n| n + 1)
            .filter(|n| matches!(i.events.get(*n), Some(egui::Event::Text(_))))
            .collect();
        let mut n = 0;
        i.events.retain(|_| {
            let keep = !used.contains(&n) && !typed.contains(&n);
            n += 1;
            keep
        });
    });
}

/// What an adjudication key takes of the current dispute.
#[derive(Clone, Copy, Debug)]
enum Take {
    /// One alternative.
    One(usize),
    /// Every alternative that says something, where they can coexist.
    All,
    /// None.
    None,
}

/// Settles the first open dispute in text order (the adjudication queue's
/// current one) as `take` says.
fn settle_current(s: &mut crate::session::Session, take: Take) {
    let Some(d) = s.dispute_queue().first().map(|d| (*d).clone()) else {
        s.info("No dispute to settle".to_owned());
        return;
    };
    let indices: Vec<usize> = match take {
        Take::One(i) if i < d.alternatives.len() => vec![i],
        Take::One(i) => {
            s.error(format!("Dispute {} has no alternative {}", d.id, i + 1));
            return;
        }
        Take::All => (0..d.alternatives.len())
            .filter(|&i| !d.alternatives[i].is_empty())
            .collect(),
        Take::None => Vec::new(),
    };
    if matches!(take, Take::All) && !d.can_combine(&indices) {
        s.error(format!(
            "Dispute {}: the versions cannot stand together (one span drawn two ways); take one",
            d.id
        ));
        return;
    }
    s.settle(d.id, &indices);
}
