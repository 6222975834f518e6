//! The inspector: everything about the selected span, with its note,
//! attributes and links editable.

use crate::model::{Origin, Span, SpanId};
use egui::{RichText, Ui};

use crate::gui::Action;
use crate::gui::article::label_color;
use crate::session::Session;

/// State of the inspector (the note being edited).
#[derive(Default)]
pub struct Inspector {
    /// The span whose note is in the editor, and the text typed so far.
    note: Option<(SpanId, String)>,
    new_key: String,
    new_value: String,
    /// What is typed to filter link targets.
    link_filter: String,
}

impl Inspector {
    /// Draws the inspector for the session's selected span.
    pub fn ui(&mut self, ui: &mut Ui, session: &Session, actions: &mut Vec<Action>) {
        ui.heading("Inspector");
        ui.separator();
        let Some(span) = session
            .selected()
            .and_then(|id| session.doc().annotations.span(id))
        else {
            self.commit_note(session, actions);
            ui.label("No span selected.");
            ui.add_space(6.0);
            ui.label(RichText::new("Select text and press a label key, or click a span.").weak());
            if let Some(sel) = &session.selection() {
                ui.add_space(6.0);
                ui.label(format!("Selected text: {}..{}", sel.start, sel.end));
            }
            return;
        };
        if self.note.as_ref().is_some_and(|(id, _)| *id != span.id) {
            self.commit_note(session, actions);
        }
        details_grid(ui, session, span, actions);
        entity_ui(ui, session, span, actions);
        self.text_and_note(ui, session, span, actions);
        self.attributes_ui(ui, span.id, &span.attributes, actions);
        links_ui(ui, session, span.id, actions);
        if let Some(kind) = session.pending_link() {
            link_picker(ui, session, span, kind, &mut self.link_filter, actions);
        } else {
            self.link_filter.clear();
        }
    }

    /// The span's text and its note, edited as one undo step.
    fn text_and_note(
        &mut self,
        ui: &mut Ui,
        session: &Session,
        span: &Span,
        actions: &mut Vec<Action>,
    ) {
        ui.add_space(4.0);
        ui.label(RichText::new("Text").strong());
        egui::ScrollArea::vertical()
            .id_salt("inspector-text")
            .max_height(120.0)
            .show(ui, |ui| {
                ui.label(format!("“{}”", span.text));
            });

        ui.add_space(4.0);
        let note_label = ui.label(RichText::new("Note").strong());
        let (_, draft) = self
            .note
            .get_or_insert_with(|| (span.id, span.note.clone().unwrap_or_default()));
        let resp = ui
            .add(
                egui::TextEdit::multiline(draft)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY)
                    .hint_text("A note on this span"),
            )
            .labelled_by(note_label.id);
        let resp = resp.on_hover_text("Edits become one undo step when you leave the field");
        if resp.lost_focus() {
            self.commit_note(session, actions);
        }
    }

    /// The span's attributes, each removable, and a row to add one.
    fn attributes_ui(
        &mut self,
        ui: &mut Ui,
        id: SpanId,
        attributes: &std::collections::BTreeMap<String, String>,
        actions: &mut Vec<Action>,
    ) {
        ui.add_space(4.0);
        ui.label(RichText::new("Attributes").strong());
        for (k, v) in attributes {
            ui.horizontal(|ui| {
                ui.label(format!("{k} = {v}"));
                if ui
                    .small_button("Remove")
                    .on_hover_text(format!("Remove attribute {k}"))
                    .clicked()
                {
                    actions.push(Action::SetAttribute(id, k.clone(), None));
                }
            });
        }
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.new_key)
                    .desired_width(70.0)
                    .hint_text("key"),
            );
            ui.add(
                egui::TextEdit::singleline(&mut self.new_value)
                    .desired_width(90.0)
                    .hint_text("value"),
            );
            if ui
                .button("Add")
                .on_hover_text("Add or replace an attribute")
                .clicked()
                && !self.new_key.trim().is_empty()
            {
                actions.push(Action::SetAttribute(
                    id,
                    std::mem::take(&mut self.new_key),
                    Some(std::mem::take(&mut self.new_value)),
                ));
            }
        });
    }

    /// Turns the note being edited into one edit.
    fn commit_note(&mut self, session: &Session, actions: &mut Vec<Action>) {
        if let Some((id, text)) = self.note.take() {
            let current = session
                .doc()
                .annotations
                .span(id)
                .and_then(|s| s.note.clone());
            let new = Some(text).filter(|t| !t.trim().is_empty());
            if new != current && session.doc().annotations.span(id).is_some() {
                actions.push(Action::SetNote(id, new));
            }
        }
    }

    /// Forgets the draft (after undo/redo changed the note underneath it).
    pub fn reset(&mut self) {
        self.note = None;
    }
}

/// Label, id, offsets, origin, review status and what the model said.
fn details_grid(ui: &mut Ui, session: &Session, span: &Span, actions: &mut Vec<Action>) {
    let color = label_color(session, &span.label);
    egui::Grid::new("inspector-grid")
        .num_columns(2)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            ui.label("Label");
            ui.horizontal(|ui| {
                swatch(ui, color);
                let mut label = span.label.clone();
                egui::ComboBox::from_id_salt("inspector-label")
                    .selected_text(&label)
                    .show_ui(ui, |ui| {
                        for l in &session.schema().labels {
                            ui.selectable_value(&mut label, l.name.clone(), &l.name);
                        }
                    })
                    .response
                    .on_hover_text("Change the label (or press its key)");
                if label != span.label {
                    actions.push(Action::Relabel(span.id, label));
                }
            });
            ui.end_row();
            ui.label("Span");
            ui.label(format!("{}", span.id));
            ui.end_row();
            ui.label("Offsets");
            ui.label(if span.orphan {
                format!(
                    "{}..{} (orphan: not found in the article)",
                    span.start, span.end
                )
            } else {
                format!(
                    "{}..{} ({} chars)",
                    span.start,
                    span.end,
                    span.end - span.start
                )
            });
            ui.end_row();
            ui.label("Origin");
            value(
                ui,
                match &span.origin {
                    Origin::Human { annotator } if annotator.is_empty() => "human".to_owned(),
                    Origin::Human { annotator } => format!("human: {annotator}"),
                    Origin::Machine { model, score } => match score {
                        Some(x) => format!("machine: {model} ({x:.2})"),
                        None => format!("machine: {model}"),
                    },
                },
            );
            ui.end_row();
            if let Some(st) = span.status {
                ui.label("Status");
                match &span.reviewer {
                    Some(r) if !r.is_empty() => value(ui, format!("{} by {r}", st.name())),
                    _ => value(ui, st.name().to_owned()),
                }
                ui.end_row();
            }
        });
    if let Some(p) = &span.proposed {
        let quote: String = session
            .doc()
            .article
            .text
            .slice(p.start..p.end)
            .unwrap_or_default()
            .chars()
            .take(120)
            .collect();
        ui.label(RichText::new("Model said").strong())
            .on_hover_text("What the model proposed before the reviewer corrected it");
        ui.add(
            egui::Label::new(format!("{} at {}..{}: “{quote}”", p.label, p.start, p.end)).wrap(),
        );
    }
}

/// A value in the inspector's grid: one line, cut at the panel's edge,
/// the whole of it on hover (a long model name never widens the panel).
fn value(ui: &mut Ui, text: String) {
    ui.add(egui::Label::new(text.clone()).truncate())
        .on_hover_text(text);
}

/// The span's links, each selectable and removable.
fn links_ui(ui: &mut Ui, session: &Session, id: SpanId, actions: &mut Vec<Action>) {
    ui.add_space(4.0);
    ui.label(RichText::new("Links").strong());
    let links = session.link_lines(id);
    if links.is_empty() {
        ui.label(RichText::new("none").weak());
    }
    for l in links {
        let (dir, other, quote) = (l.arrow, l.other, l.describe);
        ui.horizontal_wrapped(|ui| {
            if ui
                .link(format!("{} {dir} {other}", l.kind))
                .on_hover_text(format!("Select span {other}"))
                .clicked()
            {
                actions.push(Action::Select(other));
            }
            ui.label(RichText::new(quote).weak());
            if ui
                .small_button("Unlink")
                .on_hover_text(format!("Remove link {}", l.link))
                .clicked()
            {
                actions.push(Action::RemoveLink(l.link));
            }
        });
    }
}

/// The spans a pending link may go to: nearest first, filtered by what is
/// typed (Enter takes the first), with the scroll bar always shown.
fn link_picker(
    ui: &mut Ui,
    session: &Session,
    span: &Span,
    kind: &str,
    filter: &mut String,
    actions: &mut Vec<Action>,
) {
    ui.add_space(4.0);
    ui.label(RichText::new(format!("Pick the target of the {kind} link:")).strong());
    let field = ui.horizontal(|ui| {
        let label = ui.label("Filter");
        ui.add(
            egui::TextEdit::singleline(filter)
                .hint_text("text or id; Enter takes the first")
                .desired_width(170.0),
        )
        .labelled_by(label.id)
    });
    let candidates = session.link_candidates(span.id, kind, filter, 200);
    let enter = field.inner.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if enter && let Some(&first) = candidates.first() {
        actions.push(Action::FinishLink(first));
    }
    if candidates.is_empty() {
        ui.label(RichText::new("No span nearby fits; Esc cancels").weak());
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("link-targets")
        .max_height(220.0)
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .show(ui, |ui| {
            for id in candidates {
                let Some(s) = session.doc().annotations.span(id) else {
                    continue;
                };
                let text = format!("→ {} {}: {}", s.label, s.id, crate::check::excerpt(&s.text));
                if ui
                    .button(text)
                    .on_hover_text(format!("Link to span {} at {}..{}", s.id, s.start, s.end))
                    .clicked()
                {
                    actions.push(Action::FinishLink(s.id));
                }
            }
        });
}

/// A small square in a label's colour.
pub fn swatch(ui: &mut Ui, color: egui::Color32) {
    let size = ui.text_style_height(&egui::TextStyle::Body) * 0.7;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    ui.painter()
        .rect_filled(rect, egui::CornerRadius::same(2), color);
}

/// Who the span names, and the button that opens the entity picker.
fn entity_ui(ui: &mut Ui, session: &Session, span: &Span, actions: &mut Vec<Action>) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Entity").strong());
        match session.doc().annotations.entity_of(span.id) {
            Some(e) => ui.label(crate::escape::line(&e.display_name())),
            None => ui.label(RichText::new("none").weak()),
        };
        let cmd = crate::gui::commands::Command::NameEntity;
        if ui
            .small_button("Choose…")
            .on_hover_text(format!("{} (E)", cmd.tooltip()))
            .clicked()
        {
            actions.push(Action::Command(cmd));
        }
    });
}
