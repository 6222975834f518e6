//! The find-in-folder window (Ctrl+Shift+F): a query, and the hits of the
//! search running in the core ([`FolderSearch`]) listed by article. The
//! window keeps only the fields as typed; starting a search is an action.

use egui::{Context, RichText};

use crate::gui::Action;
use crate::search::{Place, Query};
use crate::session::folder::Folder;
use crate::session::folder_search::FolderSearch;

/// The window's own state: the query being typed, and the focus.
#[derive(Default)]
pub struct FolderSearchWindow {
    query: Query,
    focus: bool,
}

impl FolderSearchWindow {
    /// The window is opened: focus its field (case and accents ignored the
    /// first time).
    pub fn show(&mut self, last: &Query) {
        if self.query.pattern.is_empty() && last.pattern.is_empty() {
            self.query.ignore_case = true;
            self.query.ignore_accents = true;
        }
        self.focus = true;
    }

    /// Draws the window; returns whether it stays open.
    pub fn ui(
        &mut self,
        ctx: &Context,
        folder: &Folder,
        search: &FolderSearch,
        actions: &mut Vec<Action>,
    ) -> bool {
        let mut open = true;
        egui::Window::new("Find in folder")
            .open(&mut open)
            .default_pos(crate::gui::panels::WINDOW_POS)
            .default_width(520.0)
            .default_height(420.0)
            .show(ctx, |ui| {
                self.fields(ui, actions);
                results(ui, folder, search, actions);
            });
        open
    }

    fn fields(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let mut go = false;
        ui.horizontal(|ui| {
            let label = ui.label("Search for");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.query.pattern)
                        .hint_text("text or note to find")
                        .desired_width(260.0),
                )
                .labelled_by(label.id);
            if self.focus {
                r.request_focus();
                self.focus = false;
            }
            go |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            go |= ui
                .button("Search")
                .on_hover_text("Search every article and note of the folder")
                .clicked();
        });
        ui.horizontal(|ui| {
            go |= ui
                .checkbox(&mut self.query.ignore_case, "Ignore case")
                .changed();
            go |= ui
                .checkbox(&mut self.query.ignore_accents, "Ignore accents")
                .changed();
        });
        if go {
            actions.push(Action::FolderSearch(self.query.clone()));
        }
    }
}

fn results(ui: &mut egui::Ui, folder: &Folder, search: &FolderSearch, actions: &mut Vec<Action>) {
    let found = search.results();
    let hits: usize = found.iter().map(|(_, h)| h.hits.len()).sum();
    let (searched, total) = search.progress();
    let status = if search.running() {
        format!(
            "searching {searched} / {total}: {hits} hits in {} articles",
            found.len()
        )
    } else if total > 0 {
        format!("{hits} hits in {} articles", found.len())
    } else {
        String::new()
    };
    ui.label(RichText::new(status).weak());
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("folder-search-results")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (i, doc) in found {
                let name = folder.entries().get(*i).map_or("?", |e| e.name.as_str());
                let more = if doc.truncated { "+" } else { "" };
                egui::CollapsingHeader::new(format!("{name} ({}{more})", doc.hits.len()))
                    .id_salt(("folder-hit", *i))
                    .default_open(true)
                    .show(ui, |ui| {
                        for hit in &doc.hits {
                            let prefix = match &hit.place {
                                Place::Article(r) => format!("{}: ", r.start),
                                Place::Note { span } => format!("note of span {span}: "),
                            };
                            if ui
                                .selectable_label(false, format!("{prefix}{}", hit.context))
                                .on_hover_text("Open the article at this hit")
                                .clicked()
                            {
                                actions.push(Action::OpenHit(*i, hit.place.clone()));
                            }
                        }
                    });
            }
        });
}
