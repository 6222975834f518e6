//! The find bar (Ctrl+F): a pattern, case and accent options, the match
//! count, previous / next, and "tag all matches as LABEL".

use egui::{RichText, Ui};

use crate::gui::Action;
use crate::gui::article::label_text_color;
use crate::search::Query;
use crate::session::Session;

/// The pattern field's id: fixed, so Ctrl+F can give it the keyboard
/// before the bar is drawn, and keys typed right after go into it.
pub fn field_id() -> egui::Id {
    egui::Id::unique("tandai-find-pattern")
}

/// The find bar's own state: whether its field should take the focus.
#[derive(Default)]
pub struct FindBar {
    /// Give the pattern field the keyboard focus next frame.
    pub focus: bool,
}

impl FindBar {
    /// Draws the bar (only while the session's find is open).
    pub fn ui(&mut self, ui: &mut Ui, session: &Session, actions: &mut Vec<Action>) {
        let find = &session.find();
        let mut query: Query = find.query.clone();
        // Read before the field: a focused text edit eats the Escape key.
        let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
        // What the bar asks for goes after the query change, so that a key
        // typed in the same frame as Enter is searched for first.
        let mut then = Vec::new();
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Find");
            let field = egui::TextEdit::singleline(&mut query.pattern)
                .id(field_id())
                .hint_text("text to find")
                .desired_width(220.0);
            let response = ui
                .add(field)
                .labelled_by(label.id)
                .on_hover_text("Enter: go to the next match and back to the article (a label key tags it; F3 steps on), Shift+Enter: previous, Esc: close the bar");
            if self.focus {
                // Ctrl+F again selects the pattern, so typing replaces it.
                response.request_focus();
                if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), response.id) {
                    let all = egui::text::CCursorRange::two(
                        egui::text::CCursor::new(0),
                        egui::text::CCursor::new(query.pattern.chars().count()),
                    );
                    state.cursor.set_char_range(Some(all));
                    state.store(ui.ctx(), response.id);
                }
                self.focus = false;
            }
            if escape && (response.lost_focus() || response.has_focus()) {
                then.push(Action::FindClose);
            } else if response.lost_focus() {
                let (enter, shift) =
                    ui.input(|i| (i.key_pressed(egui::Key::Enter), i.modifiers.shift));
                if enter {
                    // The match becomes the selection and the keys go back
                    // to the article, so a label key tags it; F3 steps on,
                    // Ctrl+F comes back here.
                    then.push(Action::FindStep(!shift));
                }
            }
            ui.checkbox(&mut query.ignore_case, "Ignore case")
                .on_hover_text("Match upper and lower case alike");
            ui.checkbox(&mut query.ignore_accents, "Ignore accents")
                .on_hover_text("Match \"Jose\" with \"José\"");
            let status = find.status();
            if !status.is_empty() {
                ui.label(RichText::new(status).monospace());
            }
            let any = !find.all().is_empty();
            if ui
                .add_enabled(any, egui::Button::new("Previous"))
                .on_hover_text("Previous match (Shift+Enter, Shift+F3)")
                .clicked()
            {
                then.push(Action::FindStep(false));
            }
            if ui
                .add_enabled(any, egui::Button::new("Next"))
                .on_hover_text("Next match (Enter, F3)")
                .clicked()
            {
                then.push(Action::FindStep(true));
            }
            ui.separator();
            ui.label("Tag all as");
            for l in &session.schema().labels {
                let text = RichText::new(&l.name).color(label_text_color(session, &l.name, ui.visuals()));
                if ui
                    .add_enabled(any, egui::Button::new(text))
                    .on_hover_text(format!(
                        "Tag every match as {} in one step (undo takes them all back)",
                        l.name
                    ))
                    .clicked()
                {
                    then.push(Action::TagAllMatches(l.name.clone()));
                }
            }
            if ui
                .button("Close")
                .on_hover_text("Close the find bar (Esc)")
                .clicked()
            {
                then.push(Action::FindClose);
            }
        });
        if query != find.query {
            actions.push(Action::FindSet(query));
        }
        actions.extend(then);
    }
}
