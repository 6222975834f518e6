//! The span list: every span, filterable by label, virtualised so that
//! 50,000 spans cost what the visible rows cost.

use crate::model::SpanId;
use egui::{RichText, Ui};

use crate::gui::Action;
use crate::gui::article::label_color;
use crate::session::Session;

/// State of the span list.
#[derive(Default)]
pub struct SpanList {
    /// Show only this label (`None`: all).
    pub filter: Option<String>,
    /// Show only orphans.
    pub orphans_only: bool,
    cache: Option<(u64, Option<String>, bool, Vec<SpanId>)>,
}

impl SpanList {
    fn ids(&mut self, session: &Session) -> &[SpanId] {
        let fresh = self.cache.as_ref().is_some_and(|(g, f, o, _)| {
            *g == session.generation() && *f == self.filter && *o == self.orphans_only
        });
        if !fresh {
            let ann = &session.doc().annotations;
            let ids = if self.filter.is_none() && !self.orphans_only {
                // The common case, after every edit: ids straight from the
                // position index, no span looked up.
                ann.ids().collect()
            } else {
                ann.spans()
                    .filter(|s| self.filter.as_ref().is_none_or(|f| *f == s.label))
                    .filter(|s| !self.orphans_only || s.orphan)
                    .map(|s| s.id)
                    .collect()
            };
            self.cache = Some((
                session.generation(),
                self.filter.clone(),
                self.orphans_only,
                ids,
            ));
        }
        self.cache.as_ref().map_or(&[], |c| c.3.as_slice())
    }

    /// Draws the list.
    pub fn ui(&mut self, ui: &mut Ui, session: &Session, actions: &mut Vec<Action>) {
        ui.heading("Spans");
        ui.horizontal(|ui| {
            let shown = self
                .filter
                .clone()
                .unwrap_or_else(|| "all labels".to_owned());
            egui::ComboBox::from_id_salt("span-filter")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter, None, "all labels");
                    for (label, n) in session.label_counts() {
                        let (label, n) = (label.clone(), *n);
                        ui.selectable_value(
                            &mut self.filter,
                            Some(label.clone()),
                            format!("{label} ({n})"),
                        );
                    }
                })
                .response
                .on_hover_text("Show only spans with this label");
            let orphans = session.orphans();
            if orphans > 0 {
                ui.checkbox(&mut self.orphans_only, format!("orphans ({orphans})"))
                    .on_hover_text("Spans that could not be placed in the changed article");
            }
        });
        ui.separator();
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let selected = session.selected();
        let ids = self.ids(session);
        if ids.is_empty() {
            ui.label(RichText::new("No spans yet.").weak());
            return;
        }
        egui::ScrollArea::vertical()
            .id_salt("span-list")
            .auto_shrink([false, false])
            .show_rows(ui, row_h, ids.len(), |ui, rows| {
                for &id in &ids[rows] {
                    let Some(s) = session.doc().annotations.span(id) else {
                        continue;
                    };
                    let color = label_color(session, &s.label);
                    let mut text = format!("{} {} ", s.id, s.label);
                    // One line per row: line breaks and tabs show as spaces.
                    let quote: String = s
                        .text
                        .chars()
                        .take(48)
                        .map(|c| if c.is_control() { ' ' } else { c })
                        .collect();
                    text.push_str(&quote);
                    if s.text.chars().count() > 48 {
                        text.push('…');
                    }
                    if s.orphan {
                        text.push_str("  (orphan)");
                    }
                    if s.is_rejected() {
                        text.push_str("  (rejected)");
                    }
                    ui.horizontal(|ui| {
                        crate::gui::panels::inspector::swatch(ui, color);
                        let r = ui
                            .add(egui::Button::selectable(selected == Some(id), text).truncate())
                            .on_hover_text("Select and show in the article");
                        if r.clicked() {
                            actions.push(Action::Select(id));
                        }
                    });
                }
            });
    }
}
