//! The help overlay and the modal dialogs.

use crate::schema::LabelDef;
use egui::{Context, Id, RichText, Ui};

use crate::gui::app::Dialog;
use crate::gui::commands::Command;

/// What the user answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Save first.
    Save,
    /// Throw the changes away.
    Discard,
    /// Do nothing.
    Cancel,
    /// Overwrite the file on disk.
    Overwrite,
    /// Save elsewhere.
    SaveAs,
    /// Load the file from disk again, dropping the changes here.
    Reload,
    /// Take the work in the recovery file.
    Restore,
    /// Bulk review: go ahead.
    Confirm,
    /// The annotator's name, as typed.
    Name(String),
}

/// The keyboard shortcut overlay (F1). Returns whether it stays open.
/// Each row is a key, a name and a description that wraps to the
/// window's width, so nothing is cut at its right edge.
pub fn help(ctx: &Context, labels: &[LabelDef]) -> bool {
    let mut open = true;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .default_pos(crate::gui::panels::WINDOW_POS)
        .collapsible(false)
        .resizable(true)
        .default_width(620.0)
        .show(ctx, |ui| {
            ui.label(
                RichText::new(
                    "The caret: arrows, Ctrl+arrows by word, Home/End, PageUp/PageDown, \
                     Ctrl+Home/End; add Shift to select from it. While a span is selected \
                     (a click, Tab, a tag), Shift+arrows move its edges instead; any caret \
                     movement lets go of the span.",
                )
                .weak(),
            );
            ui.separator();
            egui::ScrollArea::vertical()
                .max_height(520.0)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    for l in labels {
                        if let Some(k) = &l.key {
                            help_row(
                                ui,
                                k,
                                &format!("Tag / relabel as {}", l.name),
                                &l.description,
                            );
                        }
                    }
                    for cmd in Command::ALL {
                        let keys: Vec<String> = cmd
                            .shortcuts()
                            .iter()
                            .map(|s| ctx.format_shortcut(s))
                            .collect();
                        help_row(ui, &keys.join(", "), cmd.name(), cmd.tooltip());
                    }
                    help_row(
                        ui,
                        "Alt + drag",
                        "Select without snapping to words",
                        "Selections snap to whole words unless Alt is held",
                    );
                    help_row(
                        ui,
                        "Click again",
                        "Cycle overlapping spans",
                        "Repeated clicks on one place select each span there in turn",
                    );
                });
        });
    open
}

/// One row of the help: the key(s), the command's name and what it does.
fn help_row(ui: &mut Ui, keys: &str, name: &str, what: &str) {
    ui.horizontal_top(|ui| {
        ui.add_sized(
            [150.0, ui.text_style_height(&egui::TextStyle::Body)],
            egui::Label::new(RichText::new(keys).monospace().strong()).wrap(),
        );
        ui.vertical(|ui| {
            ui.label(name);
            ui.add(egui::Label::new(RichText::new(what).weak()).wrap());
        });
    });
    ui.add_space(2.0);
}

/// Shows the dialog; returns the answer once given (Esc: Cancel).
pub fn dialog(ctx: &Context, dialog: &Dialog) -> Option<Answer> {
    let escape = ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
    let mut answer = None;
    egui::Modal::new(Id::unique("tandai-dialog")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        answer = match dialog {
            Dialog::Unsaved(_) => ask(
                ui,
                "Unsaved changes",
                "The annotations have changes that are not saved.",
                &[
                    ("Save", "", Answer::Save),
                    ("Discard", "Throw the changes away", Answer::Discard),
                    ("Cancel", "", Answer::Cancel),
                ],
            ),
            Dialog::Conflict(what) => ask(
                ui,
                "File changed on disk",
                &format!("{what} Your annotations are kept here until you choose."),
                &[
                    (
                        "Reload",
                        "Load the file as it is on disk now; your unsaved changes here are dropped",
                        Answer::Reload,
                    ),
                    (
                        "Overwrite",
                        "Replace the file on disk with yours",
                        Answer::Overwrite,
                    ),
                    ("Save As…", "", Answer::SaveAs),
                    ("Cancel", "", Answer::Cancel),
                ],
            ),
            Dialog::Recovery(summary) => recovery(ui, summary),
            Dialog::Confirm(question, _) => ask(
                ui,
                "Are you sure?",
                question,
                &[("Yes", "", Answer::Confirm), ("Cancel", "", Answer::Cancel)],
            ),
            Dialog::AskName(_) => ask_name(ui),
            Dialog::SaveFailed(message) => ask(
                ui,
                "Not saved",
                message,
                &[
                    (
                        "Save As…",
                        "Save the annotations to another file",
                        Answer::SaveAs,
                    ),
                    ("OK", "", Answer::Cancel),
                ],
            ),
            Dialog::Info(message) => ask(ui, "Done", message, &[("OK", "", Answer::Cancel)]),
            Dialog::Error(message) => ask(
                ui,
                "Something went wrong",
                message,
                &[("OK", "", Answer::Cancel)],
            ),
        };
    });
    if escape && answer.is_none() {
        answer = Some(Answer::Cancel);
    }
    answer
}

/// A heading, a text and a row of buttons (label, tooltip, answer).
fn ask(ui: &mut Ui, heading: &str, text: &str, buttons: &[(&str, &str, Answer)]) -> Option<Answer> {
    ui.heading(heading);
    ui.label(text);
    ui.add_space(8.0);
    buttons_row(ui, buttons)
}

fn buttons_row(ui: &mut Ui, buttons: &[(&str, &str, Answer)]) -> Option<Answer> {
    let mut answer = None;
    ui.horizontal(|ui| {
        for (label, tip, a) in buttons {
            let mut r = ui.button(*label);
            if !tip.is_empty() {
                r = r.on_hover_text(*tip);
            }
            if r.clicked() {
                answer = Some(a.clone());
            }
        }
    });
    answer
}

fn recovery(ui: &mut Ui, summary: &str) -> Option<Answer> {
    ui.heading("Recover unsaved work?");
    ui.label(
        "tandai found a recovery file newer than the annotation file: work that was \
         autosaved but never saved (the app was closed or stopped).",
    );
    ui.add_space(4.0);
    ui.label(RichText::new(summary).strong());
    ui.add_space(8.0);
    buttons_row(
        ui,
        &[
            (
                "Restore",
                "Take the recovered annotations; save to keep them",
                Answer::Restore,
            ),
            (
                "Discard",
                "Delete the recovery file and keep the saved annotations",
                Answer::Discard,
            ),
            (
                "Decide later",
                "Keep both; you are asked again next time",
                Answer::Cancel,
            ),
        ],
    )
}

/// Who is annotating? A name field; OK once something is typed.
fn ask_name(ui: &mut Ui) -> Option<Answer> {
    let mut answer = None;
    ui.heading("Who is annotating?");
    ui.label(
        "Every span you tag and every review decision records who made it, and \
         no name is known (no $USER, $LOGNAME or account name). It is kept in \
         Settings.",
    );
    ui.add_space(8.0);
    let id = ui.scope_id().with("tandai-ask-name");
    let mut name: String = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    let field = ui.horizontal(|ui| {
        let label = ui.label("Your name");
        ui.add(egui::TextEdit::singleline(&mut name).desired_width(220.0))
            .labelled_by(label.id)
    });
    let enter = field.inner.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    field.inner.request_focus();
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let ok = ui.add_enabled(!name.trim().is_empty(), egui::Button::new("OK"));
        if (ok.clicked() || enter) && !name.trim().is_empty() {
            answer = Some(Answer::Name(name.clone()));
        }
        if ui.button("Cancel").clicked() {
            answer = Some(Answer::Cancel);
        }
    });
    ui.data_mut(|d| d.insert_temp(id, name));
    answer
}

/// The progress of Review > Suggest, with Cancel.
pub fn suggest_progress(
    ctx: &Context,
    p: &crate::suggest::job::JobProgress,
    actions: &mut Vec<crate::gui::Action>,
) {
    egui::Window::new("Suggesting tags")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::RIGHT_BOTTOM, [-16.0, -40.0])
        .show(ctx, |ui| {
            let total = p.total.max(1);
            #[allow(clippy::cast_precision_loss)]
            let fraction = p.done as f32 / total as f32;
            ui.add(
                egui::ProgressBar::new(fraction)
                    .text(format!("{} / {} articles", p.done, p.total))
                    .desired_width(260.0),
            )
            .on_hover_text(crate::escape::line(&p.current));
            if ui
                .button("Cancel")
                .on_hover_text("Stop; nothing suggested so far is added")
                .clicked()
            {
                actions.push(crate::gui::Action::CancelSuggest);
            }
        });
}
