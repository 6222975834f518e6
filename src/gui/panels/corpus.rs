//! The corpus sidebar: every article of the open folder with its state,
//! progress for the whole folder, and a filter by state and name. It draws
//! a [`Folder`] (listing, background reading and filtering live there, in
//! the core) and pushes actions; rows are virtualised, so only visible ones
//! are drawn.

use std::fmt::Write as _;

use egui::{Color32, RichText, Ui};

use crate::gui::Action;
use crate::model::DocState;
use crate::session::folder::{Folder, Known, Show};

/// The sidebar's own state: the name filter as typed.
#[derive(Default)]
pub struct CorpusPanel {
    filter: String,
}

impl CorpusPanel {
    /// Draws the sidebar. `current`: index of the open article.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        f: &Folder,
        current: Option<usize>,
        actions: &mut Vec<Action>,
    ) {
        let folder = f.root().file_name().map_or_else(
            || f.root().display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        ui.heading(folder)
            .on_hover_text(f.root().display().to_string());
        let p = f.progress();
        ui.label(format!("{} / {} done", p.done, p.total));
        let fraction = if p.total == 0 {
            0.0
        } else {
            p.done as f32 / p.total as f32
        };
        ui.add(egui::ProgressBar::new(fraction).desired_height(6.0))
            .on_hover_text(format!(
                "{} done, {} in progress, {} not started{}",
                p.done,
                p.in_progress,
                p.not_started,
                if p.unreadable > 0 {
                    format!(", {} unreadable", p.unreadable)
                } else {
                    String::new()
                }
            ));
        let mut line = Vec::new();
        if p.pending > 0 {
            line.push(format!("{} machine tags to review", p.pending));
        }
        if f.loading() {
            line.push(format!("reading {} / {}", f.read_count(), p.total));
        }
        if !line.is_empty() {
            ui.label(RichText::new(line.join(" · ")).weak());
        }
        ui.horizontal(|ui| {
            let label = ui.label("Filter");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.filter)
                        .hint_text("name")
                        .desired_width(100.0),
                )
                .labelled_by(label.id);
            if r.changed() {
                actions.push(Action::FolderFilter(self.filter.clone()));
            }
            let mut show = f.show();
            egui::ComboBox::from_id_salt("corpus-show")
                .selected_text(show.name())
                .width(110.0)
                .show_ui(ui, |ui| {
                    for s in Show::ALL {
                        ui.selectable_value(&mut show, s, s.name());
                    }
                })
                .response
                .on_hover_text("Show articles in one state only");
            if show != f.show() {
                actions.push(Action::FolderShow(show));
            }
        });
        ui.separator();
        if f.shown().is_empty() {
            ui.label(
                RichText::new(if f.entries().is_empty() {
                    "No .txt articles in this folder."
                } else {
                    "No article matches the filter."
                })
                .weak(),
            );
            return;
        }
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        egui::ScrollArea::vertical()
            .id_salt("corpus-list")
            .auto_shrink([false, false])
            .show_rows(ui, row_h, f.shown().len(), |ui, rows| {
                for &i in &f.shown()[rows] {
                    row(ui, f, i, current == Some(i), actions);
                }
            });
    }
}

fn row(ui: &mut Ui, f: &Folder, i: usize, current: bool, actions: &mut Vec<Action>) {
    let Some(e) = f.entries().get(i) else {
        return;
    };
    let (mark, color, detail) = match f.known(i) {
        Some(Known::Info(info)) => {
            let color = match info.state {
                DocState::Done => Color32::from_rgb(60, 170, 90),
                DocState::InProgress => Color32::from_rgb(220, 160, 40),
                DocState::NotStarted => ui.visuals().weak_text_color(),
            };
            let mut detail = format!("{}, {} spans", info.state.name(), info.spans);
            if info.pending > 0 {
                let _ = write!(detail, ", {} to review", info.pending);
            }
            if info.recovery {
                detail.push_str(", unsaved work can be recovered");
            }
            let mark = match info.state {
                DocState::Done => "[x]",
                DocState::InProgress => "[~]",
                DocState::NotStarted => "[ ]",
            };
            (mark, color, detail)
        }
        Some(Known::Unreadable(why)) => ("[!]", ui.visuals().error_fg_color, why.clone()),
        _ => ("[?]", ui.visuals().weak_text_color(), "reading…".to_owned()),
    };
    let pending = match f.known(i) {
        Some(Known::Info(info)) if info.pending > 0 => format!("  {} to review", info.pending),
        _ => String::new(),
    };
    let text = RichText::new(format!("{mark} {}{pending}", e.name)).color(if current {
        ui.visuals().strong_text_color()
    } else {
        ui.visuals().text_color()
    });
    let r = ui
        .horizontal(|ui| {
            let (dot, _) = ui.allocate_exact_size(egui::vec2(8.0, 8.0), egui::Sense::hover());
            ui.painter().circle_filled(dot.center(), 4.0, color);
            ui.add(egui::Button::selectable(current, text).truncate())
        })
        .inner
        .on_hover_text(format!("{}\n{detail}", e.article.display()));
    if r.clicked() && !current {
        actions.push(Action::OpenDocument(i));
    }
}
