//! The ui pass: draws every panel from the state and pushes what the user
//! asked for as [`Action`]s. Nothing here changes the document, the folder
//! or the settings; panels keep only their own widget state (text being
//! typed, which rows are open).

use egui::Ui;

use super::{Document, TandaiApp, Windows};
use crate::gui::Action;
use crate::gui::panels::{bars, overlays, review_bar, start};

impl TandaiApp {
    /// Draws the whole window.
    pub(super) fn ui_pass(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let ctx = ui.ctx().clone();
        bars::menu_bar(ui, self.session(), self.folder.is_some(), actions);
        if self.folder.is_some() || self.doc.is_some() {
            self.left_column(ui, actions);
        }
        let zoom = self.settings.zoom;
        let has_folder = self.folder.is_some();
        if let Some(doc) = self.doc.as_mut() {
            document_ui(ui, doc, zoom, has_folder, actions);
        } else if self.folder.is_some() {
            egui::CentralPanel::default().show(ui, |ui| start::folder_hint(ui, actions));
        } else {
            egui::CentralPanel::default().show(ui, |ui| {
                start::start_screen(ui, &self.settings.recent, actions);
            });
        }
        self.windows_ui(&ctx, actions);
        if let Some(field) = self.picker.field.as_mut() {
            field.ui(&ctx, &self.settings.recent, actions);
        }
        if let Some(dialog) = &self.dialog
            && let Some(answer) = overlays::dialog(&ctx, dialog)
        {
            actions.push(Action::Answer(answer));
        }
    }

    /// One left column: the folder's articles and the open article's
    /// spans share it as two tabs, so the article keeps its width.
    fn left_column(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let current = self.current_index();
        let both = self.folder.is_some() && self.doc.is_some();
        let show_articles =
            self.folder.is_some() && (self.doc.is_none() || self.windows.articles_tab);
        let windows = self.windows;
        egui::Panel::left("left-column")
            .resizable(true)
            .default_size(280.0)
            // Never so wide that the article has no room.
            .max_size((ui.ctx().content_rect().width() * 0.3).clamp(160.0, 480.0))
            .show(ui, |ui| {
                if both {
                    ui.horizontal(|ui| {
                        let mut tab = windows.articles_tab;
                        ui.selectable_value(&mut tab, true, "Articles")
                            .on_hover_text("The articles of the open folder");
                        ui.selectable_value(&mut tab, false, "Spans")
                            .on_hover_text("The spans of the open article");
                        if tab != windows.articles_tab {
                            actions.push(Action::Windows(Windows {
                                articles_tab: tab,
                                ..windows
                            }));
                        }
                    });
                    ui.separator();
                }
                if show_articles {
                    if let Some(f) = self.folder.as_ref() {
                        self.corpus_panel.ui(ui, f, current, actions);
                    }
                } else if let Some(doc) = self.doc.as_mut() {
                    doc.span_list.ui(ui, &doc.session, actions);
                }
            });
    }

    /// The windows over the main view: help, settings, find in folder,
    /// the entity picker and "Who said what".
    fn windows_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let windows = self.windows;
        if let Some(doc) = self.doc.as_ref() {
            if let Some(p) = self.entity_picker.as_mut()
                && !p.ui(ctx, &doc.session, actions)
            {
                self.entity_picker = None;
            }
            if let Some(w) = self.who.as_mut()
                && !w.ui(ctx, &doc.session, self.folder.as_ref(), actions)
            {
                actions.push(Action::ShowWhoSaidWhat(false));
            }
        }
        if windows.folder_search
            && let Some(f) = self.folder.as_ref()
            && !self.search_window.ui(ctx, f, &self.folder_search, actions)
        {
            actions.push(Action::Windows(Windows {
                folder_search: false,
                ..windows
            }));
        }
        if windows.help {
            let labels = self.session().map_or_else(
                || crate::schema::Schema::builtin().labels,
                |s| s.schema().labels.clone(),
            );
            if !overlays::help(ctx, &labels) {
                actions.push(Action::Windows(Windows {
                    help: false,
                    ..windows
                }));
            }
        }
        if let Some(p) = self.suggest_progress() {
            overlays::suggest_progress(ctx, &p, actions);
        }
        if windows.settings {
            let mut edited = self.settings.clone();
            let open = crate::gui::settings::window(ctx, &mut edited);
            if edited != self.settings {
                actions.push(Action::Settings(Box::new(edited)));
            }
            if !open {
                actions.push(Action::Windows(Windows {
                    settings: false,
                    ..windows
                }));
            }
        }
    }
}

/// The open document: toolbar, review and find bars, status bar,
/// inspector and the article.
fn document_ui(
    ui: &mut Ui,
    doc: &mut Document,
    zoom: f32,
    has_folder: bool,
    actions: &mut Vec<Action>,
) {
    let ctx = ui.ctx().clone();
    bars::toolbar(ui, &doc.session, actions);
    if doc.session.review().active
        && let Some(stats) = doc.session.review_stats()
    {
        egui::Panel::top("review-bar").show(ui, |ui| {
            doc.review_bar.ui(ui, &doc.session, stats, actions);
        });
    }
    if doc.review_bar.show_scorecard
        && let Some(stats) = doc.session.review_stats()
    {
        let mut open = true;
        review_bar::scorecard_window(
            &ctx,
            &mut open,
            &stats.card,
            doc.review_bar.folder_card.as_ref(),
            has_folder,
            actions,
        );
        if !open {
            actions.push(Action::ShowScorecard(false));
        }
    }
    crate::gui::panels::compare::window(&ctx, &doc.session, actions);
    if doc.session.adjudication_progress().total > 0 {
        egui::Panel::top("adjudication-bar").show(ui, |ui| {
            crate::gui::panels::adjudicate::bar(ui, &doc.session, actions);
        });
    }
    if doc.session.find().open {
        egui::Panel::top("find-bar").show(ui, |ui| doc.find_bar.ui(ui, &doc.session, actions));
    }
    bars::status_bar(ui, &doc.session, doc.hover);
    egui::Panel::right("inspector")
        .resizable(true)
        .default_size(320.0)
        .max_size((ctx.content_rect().width() * 0.3).clamp(180.0, 420.0))
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("inspector-scroll")
                .show(ui, |ui| doc.inspector.ui(ui, &doc.session, actions));
        });
    egui::CentralPanel::default().show(ui, |ui| {
        ui.style_mut()
            .text_styles
            .entry(egui::TextStyle::Body)
            .and_modify(|f| f.size *= zoom);
        let out = doc.view.ui(ui, &doc.session);
        if let Some(sel) = out.selection {
            actions.push(Action::SetSelection(sel));
        }
        if let Some(c) = out.click {
            actions.push(Action::Click(c));
        }
        doc.hover = out.hover;
    });
}
