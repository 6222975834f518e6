//! Review mode's bar (progress, the current tag's model and score, filters
//! and bulk actions) and the scorecard window.

use egui::{Context, RichText, Ui};

use crate::gui::Action;
use crate::gui::article::label_text_color;
use crate::review::{Filter, Scorecard, Tally};
use crate::session::Session;
use crate::session::review::ReviewStats;

/// Text fields of the score filter, kept while the user types.
#[derive(Default)]
pub struct ReviewBar {
    /// Whether the scorecard window is shown.
    pub show_scorecard: bool,
    /// Scorecard over the folder, when computed.
    pub folder_card: Option<(usize, Scorecard)>,
}

impl ReviewBar {
    /// Draws the bar. `stats`: (reviewed, total, models in the article).
    pub fn ui(
        &self,
        ui: &mut Ui,
        session: &Session,
        stats: &ReviewStats,
        actions: &mut Vec<Action>,
    ) {
        progress_row(ui, session, stats, self.show_scorecard, actions);
        filter_row(ui, session, stats, actions);
    }
}

/// Which tags the queue shows, and bulk decisions.
fn filter_row(ui: &mut Ui, session: &Session, stats: &ReviewStats, actions: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        let mut filter: Filter = session.review().filter.clone();
        ui.label("Show");
        for l in &session.schema().labels {
            let mut on = filter.labels.contains(&l.name);
            if ui
                .checkbox(
                    &mut on,
                    RichText::new(&l.name).color(label_text_color(session, &l.name, ui.visuals())),
                )
                .on_hover_text("Only tags with these labels (none ticked: all)")
                .changed()
            {
                if on {
                    filter.labels.insert(l.name.clone());
                } else {
                    filter.labels.remove(&l.name);
                }
            }
        }
        if stats.models.len() > 1 {
            let current = if filter.models.is_empty() {
                "all models".to_owned()
            } else {
                filter.models.iter().cloned().collect::<Vec<_>>().join(", ")
            };
            egui::ComboBox::from_id_salt("review-model")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    if ui
                        .selectable_label(filter.models.is_empty(), "all models")
                        .clicked()
                    {
                        filter.models.clear();
                    }
                    for m in &stats.models {
                        if ui.selectable_label(filter.models.contains(m), m).clicked() {
                            filter.models.clear();
                            filter.models.insert(m.clone());
                        }
                    }
                })
                .response
                .on_hover_text("Only tags of one model");
        }
        ui.label("score");
        score_bound(ui, &mut filter.min_score, 0.0, "min");
        ui.label("to");
        score_bound(ui, &mut filter.max_score, 1.0, "max");
        ui.checkbox(&mut filter.pending_only, "pending only")
            .on_hover_text("Hide tags already decided");
        if filter != session.review().filter {
            actions.push(Action::ReviewFilter(filter));
        }
        ui.separator();
        let shown = session.review().queue().len();
        if ui
            .add_enabled(shown > 0, egui::Button::new("Accept all shown"))
            .on_hover_text("Accept every tag the filter shows, as one step (asks first)")
            .clicked()
        {
            actions.push(Action::ReviewAskBulk(true));
        }
        if ui
            .add_enabled(shown > 0, egui::Button::new("Reject all shown"))
            .on_hover_text("Reject every tag the filter shows, as one step (asks first)")
            .clicked()
        {
            actions.push(Action::ReviewAskBulk(false));
        }
        ui.label(RichText::new(format!("{shown} shown")).weak());
    });
}

/// Progress, the current tag and the keys.
fn progress_row(
    ui: &mut Ui,
    session: &Session,
    stats: &ReviewStats,
    card: bool,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("Review").strong());
        let fraction = if stats.total == 0 {
            0.0
        } else {
            stats.reviewed as f32 / stats.total as f32
        };
        ui.add(
            egui::ProgressBar::new(fraction)
                .desired_width(160.0)
                .text(format!("{} / {} reviewed", stats.reviewed, stats.total)),
        )
        .on_hover_text("Machine tags of this article with a decision");
        let mut shown = card;
        if ui
            .toggle_value(&mut shown, "Scorecard")
            .on_hover_text("Precision of each model on the reviewed tags")
            .changed()
        {
            actions.push(Action::ShowScorecard(shown));
        }
        ui.separator();
        match session.review_current() {
            Some((id, model, score, decision)) => {
                let label = session.selected_span().map_or("", |s| s.label.as_str());
                ui.label(
                    RichText::new(label)
                        .color(label_text_color(session, label, ui.visuals()))
                        .strong(),
                );
                let score = score.map_or_else(|| "no score".to_owned(), |x| format!("{x:.2}"));
                let decision = decision.map_or("Pending", |s| s.name());
                // One line: cut at the edge, the whole of it on hover.
                let line = format!("span {id} · {model} · score {score} · {decision}");
                ui.add(egui::Label::new(line.clone()).truncate())
                    .on_hover_text(line);
            }
            None => {
                ui.label(RichText::new("no tag current (N: next)").weak());
            }
        }
    });
    ui.add(
        egui::Label::new(
            RichText::new(
                "A or Enter accept · X reject · 1–3 relabel · Shift+arrows fix a boundary · \
                 Space skip · N / P walk · Backspace undo",
            )
            .weak(),
        )
        .wrap(),
    );
}

/// One score bound: a checkbox to set it and a value.
fn score_bound(ui: &mut Ui, bound: &mut Option<f64>, default: f64, name: &str) {
    let mut on = bound.is_some();
    let mut value = bound.unwrap_or(default);
    ui.checkbox(&mut on, "").on_hover_text(format!(
        "Set a {name}imum score (tags without a score are then hidden)"
    ));
    ui.add_enabled(
        on,
        egui::DragValue::new(&mut value)
            .range(0.0..=1.0)
            .speed(0.01)
            .fixed_decimals(2),
    )
    .on_hover_text(format!("{name} score"));
    *bound = on.then_some(value);
}

/// The scorecard window: this article, and the folder when computed.
pub fn scorecard_window(
    ctx: &Context,
    open: &mut bool,
    article: &Scorecard,
    folder: Option<&(usize, Scorecard)>,
    can_do_folder: bool,
    actions: &mut Vec<Action>,
) {
    egui::Window::new("Scorecard")
        .open(open)
        .default_pos(crate::gui::panels::WINDOW_POS)
        .default_width(620.0)
        .show(ctx, |ui| {
            ui.label(
                RichText::new(
                    "Precision = accepted / decided (decided = accepted + corrected + rejected), \
                     with its 95% Wilson interval.",
                )
                .weak(),
            );
            ui.add_space(4.0);
            ui.heading("This article");
            card_grid(ui, "card-article", article);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                ui.heading("Folder");
                if ui
                    .add_enabled(can_do_folder, egui::Button::new("Count over the folder"))
                    .on_hover_text("Read every annotation file of the open folder (saved state)")
                    .clicked()
                {
                    actions.push(Action::FolderScorecard);
                }
            });
            match folder {
                Some((files, card)) => {
                    ui.label(format!("{files} annotation files"));
                    card_grid(ui, "card-folder", card);
                }
                None if can_do_folder => {
                    ui.label(RichText::new("Not counted yet.").weak());
                }
                None => {
                    ui.label(RichText::new("Open a folder to count over it.").weak());
                }
            }
        });
}

fn card_grid(ui: &mut Ui, id: &str, card: &Scorecard) {
    if card.total.total() == 0 {
        ui.label(RichText::new("No machine tags.").weak());
        return;
    }
    egui::Grid::new(id)
        .striped(true)
        .num_columns(9)
        .show(ui, |ui| {
            for h in [
                "model",
                "label",
                "accepted",
                "label fix",
                "boundary fix",
                "both",
                "rejected",
                "pending",
                "precision [95% CI]",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for (model, t) in &card.per_model {
                row(ui, model, "(all)", t);
                for ((m, label), t) in card.per_label.range((model.clone(), String::new())..) {
                    if m != model {
                        break;
                    }
                    row(ui, "", label, t);
                }
            }
            row(ui, "total", "", &card.total);
        });
}

fn row(ui: &mut Ui, model: &str, label: &str, t: &Tally) {
    ui.label(model);
    ui.label(label);
    for n in [
        t.accepted,
        t.corrected_label,
        t.corrected_boundary,
        t.corrected_both,
        t.rejected,
        t.pending,
    ] {
        ui.label(n.to_string());
    }
    ui.label(precision_text(t));
    ui.end_row();
}

/// "0.80 [0.49, 0.94]", or "n/a" when nothing is decided.
pub fn precision_text(t: &Tally) -> String {
    match (t.precision(), t.wilson95()) {
        (Some(p), Some((lo, hi))) => format!("{p:.2} [{lo:.2}, {hi:.2}]"),
        _ => "n/a".to_owned(),
    }
}
