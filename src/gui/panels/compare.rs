//! The agreement window of File > Compare with…: the figures for the open
//! article (and the folder, when two folders were compared), per label,
//! and the list of places where the two annotators differ; clicking one
//! shows it in the article, where the other annotator's spans are drawn
//! as underlines beside the open ones' highlights.

use egui::{Context, RichText, Ui};

use crate::agree::{DifferenceKind, Figure, Report};
use crate::gui::Action;
use crate::session::Session;
use crate::session::compare::Comparison;

/// Where a window about the article opens: over the inspector, at the
/// right, so that what it shows in the article stays in sight.
pub fn right_side(ctx: &Context, width: f32) -> egui::Pos2 {
    let r = ctx.content_rect();
    egui::pos2((r.right() - width - 12.0).max(r.left()), r.top() + 60.0)
}

/// A figure as shown: three decimals, or a dash with the reason on hover.
fn figure(ui: &mut Ui, f: &Figure) {
    match f.value() {
        Some(v) => {
            ui.label(format!("{v:.3}"));
        }
        None => {
            ui.label("–")
                .on_hover_text(f.reason().unwrap_or("undefined").to_owned());
        }
    }
}

/// The per-label table of a report.
fn table(ui: &mut Ui, id: &str, r: &Report) {
    egui::Grid::new(id)
        .num_columns(5)
        .striped(true)
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            let kappa = format!("kappa ({})", r.kappa.name());
            for h in ["label", "exact F1", "overlap F1", kappa.as_str(), "alpha_U"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for (label, l) in &r.labels {
                ui.label(label);
                figure(ui, &l.exact.f1);
                figure(ui, &l.overlap.f1);
                figure(ui, &l.kappa);
                figure(ui, &l.alpha_u.alpha);
                ui.end_row();
            }
            ui.label(RichText::new("all labels").italics());
            figure(ui, &r.micro.exact.f1);
            figure(ui, &r.micro.overlap.f1);
            ui.label("");
            figure(ui, &r.micro.alpha_u.alpha);
            ui.end_row();
            ui.label(RichText::new("links").italics());
            figure(ui, &r.links.all.f1);
            ui.end_row();
        });
}

/// One line for a difference.
fn describe(session: &Session, c: &Comparison, i: usize) -> String {
    let d = &c.differences[i];
    let text = &session.doc().article.text;
    let quote = |r: &std::ops::Range<usize>| {
        let q: String = text
            .slice(r.clone())
            .unwrap_or_default()
            .chars()
            .take(48)
            .collect();
        crate::escape::line(&q)
    };
    match (d.kind, &d.ours, &d.theirs) {
        (DifferenceKind::OnlyOurs, Some(o), _) => {
            format!("{} only ({}): “{}”", c.ours_name, o.1, quote(&o.2))
        }
        (DifferenceKind::OnlyTheirs, _, Some(t)) => {
            format!("{} only ({}): “{}”", c.theirs_name, t.1, quote(&t.2))
        }
        (DifferenceKind::Label, Some(o), Some(t)) => {
            format!("{} vs {}: “{}”", o.1, t.1, quote(&o.2))
        }
        (DifferenceKind::Boundary, Some(o), Some(t)) => {
            format!("{} boundaries: “{}” vs “{}”", o.1, quote(&o.2), quote(&t.2))
        }
        _ => String::new(),
    }
}

/// The window; returns nothing, pushes [`Action::ShowDifference`] and
/// [`Action::CloseComparison`].
pub fn window(ctx: &Context, session: &Session, actions: &mut Vec<Action>) {
    let Some(c) = session.comparison() else {
        return;
    };
    let mut open = true;
    egui::Window::new("Agreement")
        .open(&mut open)
        .default_pos(right_side(ctx, 520.0))
        .default_width(520.0)
        .show(ctx, |ui| {
            ui.label(format!(
                "{} (this file) and {} ({})",
                c.ours_name,
                c.theirs_name,
                crate::escape::line(&c.theirs_path.display().to_string())
            ));
            if ui
                .button("Merge into a new file…")
                .on_hover_text(
                    "Write both annotators' spans into NAME-merged.tandai.ron beside the article: what they agree on once, the rest as disputes to settle; then open it",
                )
                .clicked()
            {
                actions.push(Action::MergeComparison);
            }
            ui.separator();
            ui.label(RichText::new("This article").strong());
            match (&c.article, &c.article_error) {
                (Some(r), _) => table(ui, "agree-article", r),
                (None, Some(e)) => {
                    ui.label(e);
                }
                _ => {}
            }
            if let Some(f) = &c.folder {
                ui.separator();
                let (n, alone) = c.folder_documents;
                ui.label(
                    RichText::new(format!(
                        "The folder: {n} articles (and {alone} only one folder has, left out)"
                    ))
                    .strong(),
                );
                table(ui, "agree-folder", f);
            }
            ui.separator();
            ui.label(RichText::new(format!("{} differences here", c.differences.len())).strong());
            // Only the rows in sight are described and drawn: a long file
            // can differ in thousands of places.
            let row = ui.text_style_height(&egui::TextStyle::Button) + 4.0;
            egui::ScrollArea::vertical()
                .max_height(240.0)
                .show_rows(ui, row, c.differences.len(), |ui, shown| {
                    for i in shown {
                        let line = describe(session, c, i);
                        if ui
                            .selectable_label(c.current == Some(i), line)
                            .on_hover_text("Show it in the article")
                            .clicked()
                        {
                            actions.push(Action::ShowDifference(i));
                        }
                    }
                });
        });
    if !open {
        actions.push(Action::CloseComparison);
    }
}
