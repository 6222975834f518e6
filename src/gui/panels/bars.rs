//! Menu bar, toolbar and status bar.

use egui::{RichText, Ui};

use crate::gui::Action;
use crate::gui::article::label_text_color;
use crate::gui::commands::Command;
use crate::session::Session;

/// A menu entry for a command: its name, shortcut and tooltip.
fn item(ui: &mut Ui, cmd: Command, enabled: bool, actions: &mut Vec<Action>) {
    let shortcut = cmd
        .shortcut()
        .map(|s| ui.ctx().format_shortcut(&s))
        .unwrap_or_default();
    let button = egui::Button::new(cmd.name()).shortcut_text(shortcut);
    if ui
        .add_enabled(enabled, button)
        .on_hover_text(cmd.tooltip())
        .clicked()
    {
        actions.push(Action::Command(cmd));
        ui.close();
    }
}

/// The menu bar. `folder`: a folder of articles is open.
pub fn menu_bar(ui: &mut Ui, session: Option<&Session>, folder: bool, actions: &mut Vec<Action>) {
    egui::Panel::top("menu-bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                file_menu(ui, session.is_some(), folder, actions);
            });
            ui.menu_button("Edit", |ui| edit_menu(ui, session, folder, actions));
            ui.menu_button("Review", |ui| {
                let open = session.is_some();
                let reviewing = session.is_some_and(|s| s.review().active);
                item(ui, Command::ToggleReview, open, actions);
                ui.separator();
                for cmd in [
                    Command::Accept,
                    Command::Reject,
                    Command::Skip,
                    Command::NextTag,
                    Command::PrevTag,
                    Command::UndoDecision,
                ] {
                    item(ui, cmd, reviewing, actions);
                }
                ui.separator();
                item(ui, Command::SuggestArticle, open, actions);
                item(ui, Command::SuggestFolder, folder, actions);
                ui.separator();
                item(ui, Command::WhoSaidWhat, open, actions);
            });
            ui.menu_button("View", |ui| {
                item(ui, Command::ZoomIn, true, actions);
                item(ui, Command::ZoomOut, true, actions);
                item(ui, Command::ZoomReset, true, actions);
                ui.separator();
                egui::widgets::global_theme_preference_buttons(ui);
            });
            ui.menu_button("Help", |ui| {
                item(ui, Command::Help, true, actions);
            });
        });
    });
}

/// File: open, import, export, save, folder navigation, settings, quit.
fn file_menu(ui: &mut Ui, open: bool, folder: bool, actions: &mut Vec<Action>) {
    item(ui, Command::Open, true, actions);
    item(ui, Command::OpenFolder, true, actions);
    item(ui, Command::OpenPath, true, actions);
    if ui
        .button("Open example article")
        .on_hover_text("Open the bundled Indonesian wire story")
        .clicked()
    {
        actions.push(Action::OpenExample);
        ui.close();
    }
    if ui
        .add_enabled(open, egui::Button::new("Import machine tags…"))
        .on_hover_text("Add a model's tags (JSONL) to this article, pending review")
        .clicked()
    {
        actions.push(Action::ImportTags);
        ui.close();
    }
    ui.menu_button("Import", |ui| {
        for f in crate::interop::Format::ALL
            .into_iter()
            .filter(|f| f.can_import())
        {
            if ui
                .button(f.title())
                .on_hover_text("Convert files of another tool into articles with annotation files")
                .clicked()
            {
                actions.push(Action::Import(f));
                ui.close();
            }
        }
    });
    ui.add_enabled_ui(open, |ui| {
        ui.menu_button("Export", |ui| {
            for f in crate::interop::Format::ALL {
                if ui
                    .button(f.title())
                    .on_hover_text("Write the saved annotations in this format")
                    .clicked()
                {
                    actions.push(Action::Export(f));
                    ui.close();
                }
            }
        });
    });
    item(ui, Command::CompareWith, open, actions);
    ui.separator();
    item(ui, Command::Save, open, actions);
    item(ui, Command::SaveAs, open, actions);
    ui.separator();
    item(ui, Command::NextDocument, folder && open, actions);
    item(ui, Command::PrevDocument, folder && open, actions);
    item(ui, Command::ToggleDone, open, actions);
    ui.separator();
    item(ui, Command::Settings, true, actions);
    ui.separator();
    item(ui, Command::Quit, true, actions);
}

/// Edit: undo, find, span commands.
fn edit_menu(ui: &mut Ui, session: Option<&Session>, folder: bool, actions: &mut Vec<Action>) {
    let open = session.is_some();
    let undo = session.and_then(|s| s.history().undo_name());
    let redo = session.and_then(|s| s.history().redo_name());
    item(ui, Command::Undo, undo.is_some(), actions);
    item(ui, Command::Redo, redo.is_some(), actions);
    ui.separator();
    item(ui, Command::Find, open, actions);
    item(ui, Command::FindNext, open, actions);
    item(ui, Command::FindPrev, open, actions);
    item(ui, Command::FindInFolder, folder, actions);
    ui.separator();
    let selected = session.is_some_and(|s| s.selected().is_some());
    item(ui, Command::Delete, selected, actions);
    item(ui, Command::NameEntity, selected, actions);
    item(ui, Command::LinkSaidBy, selected, actions);
    item(ui, Command::LinkDenies, selected, actions);
    ui.separator();
    item(ui, Command::NextSpan, open, actions);
    item(ui, Command::PrevSpan, open, actions);
    item(ui, Command::Escape, open, actions);
}

/// The toolbar: one button per label, link and undo buttons.
pub fn toolbar(ui: &mut Ui, session: &Session, actions: &mut Vec<Action>) {
    egui::Panel::top("toolbar").show(ui, |ui| {
        ui.horizontal(|ui| {
            for l in &session.schema().labels {
                let color = label_text_color(session, &l.name, ui.visuals());
                let key = l.key.clone().unwrap_or_default();
                let text = RichText::new(format!("{key} {}", l.name))
                    .color(color)
                    .strong();
                let tip = if key.is_empty() {
                    format!("Tag the selection as {} — {}", l.name, l.description)
                } else {
                    format!(
                        "Tag the selection as {} ({key}) — {}",
                        l.name, l.description
                    )
                };
                if ui.button(text).on_hover_text(tip).clicked() {
                    actions.push(Action::Label(l.name.clone()));
                }
            }
            ui.separator();
            for (cmd, kind) in [
                (Command::LinkSaidBy, "said_by"),
                (Command::LinkDenies, "denies"),
            ] {
                let key = cmd
                    .shortcut()
                    .map(|s| ui.ctx().format_shortcut(&s))
                    .unwrap_or_default();
                let on = session.pending_link() == Some(kind);
                if ui
                    .selectable_label(on, format!("Link {kind}"))
                    .on_hover_text(format!("{} ({key})", cmd.tooltip()))
                    .clicked()
                {
                    actions.push(Action::Command(cmd));
                }
            }
            ui.separator();
            for cmd in [Command::Undo, Command::Redo] {
                let key = cmd
                    .shortcut()
                    .map(|s| ui.ctx().format_shortcut(&s))
                    .unwrap_or_default();
                let enabled = match cmd {
                    Command::Undo => session.history().undo_name().is_some(),
                    _ => session.history().redo_name().is_some(),
                };
                let name = match cmd {
                    Command::Undo => session.history().undo_name(),
                    _ => session.history().redo_name(),
                };
                let tip = match name {
                    Some(n) => format!("{} {n} ({key})", cmd.name()),
                    None => format!("{} ({key})", cmd.tooltip()),
                };
                if ui
                    .add_enabled(enabled, egui::Button::new(cmd.name()))
                    .on_hover_text(tip)
                    .clicked()
                {
                    actions.push(Action::Command(cmd));
                }
            }
        });
    });
}

/// The status bar: file, unsaved mark, counts, cursor, last message.
/// `hover` is the char offset under the pointer.
pub fn status_bar(ui: &mut Ui, session: &Session, hover: Option<usize>) {
    egui::Panel::bottom("status-bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            let dirty = if session.is_dirty() {
                " • unsaved"
            } else {
                ""
            };
            ui.label(format!("{}{dirty}", session.file_name()));
            ui.separator();
            for (label, n) in session.label_counts() {
                ui.label(
                    RichText::new(format!("{label} {n}")).color(label_text_color(
                        session,
                        label,
                        ui.visuals(),
                    )),
                );
            }
            ui.label(format!("links {}", session.doc().annotations.link_count()));
            ui.separator();
            let cursor = match (
                &session.selection(),
                session
                    .selected()
                    .and_then(|id| session.doc().annotations.span(id)),
            ) {
                (Some(r), _) => format!("selection {}..{}", r.start, r.end),
                (None, Some(s)) => format!("span {} at {}..{}", s.id, s.start, s.end),
                _ => format!("{} chars", session.doc().article.text.len_chars()),
            };
            ui.label(cursor);
            if let Some(c) = hover {
                ui.label(format!("pointer at char {c}"));
            }
            if let Some(m) = session.message() {
                ui.separator();
                let text = if m.error {
                    RichText::new(&m.text).color(ui.visuals().error_fg_color)
                } else {
                    RichText::new(&m.text)
                };
                // Cut at the window's edge; the whole message on hover.
                ui.add(egui::Label::new(text).truncate())
                    .on_hover_text(&m.text);
            }
        });
    });
}
