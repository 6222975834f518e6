//! Settings remembered between runs, and the small window that edits them.

use std::path::PathBuf;

use egui::Ui;
use serde::{Deserialize, Serialize};

/// Settings remembered between runs.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
#[allow(clippy::struct_excessive_bools, reason = "independent on/off settings")]
pub struct Settings {
    /// Recently opened files and folders, newest first.
    pub recent: Vec<PathBuf>,
    /// Article text size, as a factor of the normal size.
    pub zoom: f32,
    /// Name stored in new spans' origin and in review decisions.
    pub annotator: String,
    /// Seconds between autosaves of unsaved work to the recovery file;
    /// 0 turns autosave off.
    pub autosave_secs: u32,
    /// Dragging selects whole words (Alt still selects exact characters).
    pub snap_words: bool,
    /// Going to the next or previous article asks before saving, instead of
    /// saving silently.
    pub ask_before_switching: bool,
    /// Review queue by ascending score instead of document order.
    pub review_by_score: bool,
    /// Show rejected machine tags in the article.
    pub show_rejected: bool,
    /// Review > Suggest runs this shell command (a model reading
    /// `{"doc", "text"}` lines, printing tags JSONL); empty: tandai's rules.
    /// Kept in the user's settings only: a corpus cannot set it.
    pub suggest_command: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            recent: Vec::new(),
            zoom: 1.0,
            annotator: crate::identity::annotator(None).unwrap_or_default(),
            autosave_secs: 30,
            snap_words: true,
            ask_before_switching: false,
            review_by_score: false,
            show_rejected: false,
            suggest_command: String::new(),
        }
    }
}

/// Shortest and longest autosave interval offered.
pub const AUTOSAVE_RANGE: std::ops::RangeInclusive<u32> = 5..=600;

/// The settings window. Edits `settings` in place; returns whether the
/// window stays open.
pub fn window(ctx: &egui::Context, settings: &mut Settings) -> bool {
    let mut open = true;
    egui::Window::new("Settings")
        .open(&mut open)
        .default_pos(crate::gui::panels::WINDOW_POS)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| form(ui, settings));
    open
}

fn form(ui: &mut Ui, settings: &mut Settings) {
    egui::Grid::new("settings-grid")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let label = ui.label("Annotator name");
            ui.add(egui::TextEdit::singleline(&mut settings.annotator).desired_width(200.0))
                .labelled_by(label.id)
                .on_hover_text("Stored in every span you tag and every review decision you make");
            ui.end_row();

            ui.label("Autosave");
            ui.horizontal(|ui| {
                let mut on = settings.autosave_secs > 0;
                if ui
                    .checkbox(&mut on, "every")
                    .on_hover_text(
                        "Write unsaved work to a recovery file beside the annotation file",
                    )
                    .changed()
                {
                    settings.autosave_secs = if on { 30 } else { 0 };
                }
                let mut secs = settings.autosave_secs.max(*AUTOSAVE_RANGE.start());
                let slider = egui::Slider::new(&mut secs, AUTOSAVE_RANGE)
                    .suffix(" s")
                    .logarithmic(true);
                if ui.add_enabled(on, slider).changed() && on {
                    settings.autosave_secs = secs;
                }
            });
            ui.end_row();

            ui.label("Selection");
            ui.checkbox(&mut settings.snap_words, "Snap to whole words")
                .on_hover_text("Dragging selects whole words; hold Alt for exact characters");
            ui.end_row();

            ui.label("Text size");
            let mut percent = (settings.zoom * 100.0).round();
            if ui
                .add(egui::Slider::new(&mut percent, 50.0..=300.0).suffix(" %"))
                .on_hover_text("Size of the article text (Ctrl+= / Ctrl+-)")
                .changed()
            {
                settings.zoom = percent / 100.0;
            }
            ui.end_row();

            ui.label("Next article");
            ui.checkbox(&mut settings.ask_before_switching, "Ask before saving")
                .on_hover_text(
                    "Ctrl+PageDown / Ctrl+PageUp ask before saving, instead of saving silently",
                );
            ui.end_row();

            ui.label("Review queue");
            ui.horizontal(|ui| {
                ui.radio_value(&mut settings.review_by_score, false, "Document order");
                ui.radio_value(&mut settings.review_by_score, true, "Lowest score first");
            });
            ui.end_row();

            ui.label("Rejected tags");
            ui.checkbox(&mut settings.show_rejected, "Show in the article")
                .on_hover_text("Rejected machine tags stay in the file; show them struck through");
            ui.end_row();

            let label = ui.label("Suggest command");
            ui.add(
                egui::TextEdit::singleline(&mut settings.suggest_command)
                    .hint_text("empty: tandai's own rules")
                    .desired_width(260.0),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "Review > Suggest runs this shell command: it reads one {\"doc\", \"text\"} JSON line per article and prints machine tags (JSONL)",
            );
            ui.end_row();
        });
}
