//! The adjudication bar of a merged file (`tandai merge`, the git merge
//! driver): how many disputes are settled, and the current one, the first
//! open dispute in text order, with its alternatives side by side, each
//! with its key (Alt+1, Alt+2 …; Alt+B both, Alt+0 neither; Backspace
//! undoes). The alternatives are drawn in the article as underlines, one
//! lane and colour per alternative ([`lane_color`]).

use egui::{Color32, RichText, Ui};

use crate::gui::Action;
use crate::gui::commands::Command;
use crate::model::{Alternative, Dispute};
use crate::session::Session;

/// The colour of alternative `i`'s lane in the article and the bar.
pub fn lane_color(i: usize) -> Color32 {
    const LANES: [Color32; 4] = [
        Color32::from_rgb(40, 120, 230),
        Color32::from_rgb(230, 120, 20),
        Color32::from_rgb(30, 160, 90),
        Color32::from_rgb(170, 60, 200),
    ];
    LANES[i % LANES.len()]
}

/// One alternative in a few words: who, and each span's label and quote.
fn alternative(a: &Alternative, text: &crate::offsets::Text) -> String {
    let who = a.by.join(", ");
    if a.is_empty() {
        return format!("{who}: nothing here");
    }
    let spans: Vec<String> = a
        .spans
        .iter()
        .map(|s| {
            let q: String = text
                .slice(s.range())
                .unwrap_or_default()
                .chars()
                .take(50)
                .collect();
            format!("{} “{}”", s.label, crate::escape::line(&q))
        })
        .collect();
    let links = if a.links.is_empty() {
        String::new()
    } else {
        format!(" + {} links", a.links.len())
    };
    format!("{who}: {}{links}", spans.join(", "))
}

/// The bar; only for a file that holds disputes.
pub fn bar(ui: &mut Ui, session: &Session, actions: &mut Vec<Action>) {
    let progress = session.adjudication_progress();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("Adjudication: {}", progress.label())).strong());
        let Some(d) = session.current_dispute() else {
            ui.label("Every dispute is settled: save to keep the result.");
            return;
        };
        current(ui, session, d, actions);
    });
}

fn current(ui: &mut Ui, session: &Session, d: &Dispute, actions: &mut Vec<Action>) {
    let text = &session.doc().article.text;
    ui.label(format!("dispute {} ({}):", d.id, d.kind().name()));
    let keys = [Command::TakeFirst, Command::TakeSecond, Command::TakeThird];
    for (i, a) in d.alternatives.iter().enumerate() {
        let line = alternative(a, text);
        let key = keys.get(i).copied();
        let label = match key {
            Some(_) => format!("Alt+{}: {line}", i + 1),
            None => line,
        };
        let button = egui::Button::new(RichText::new(label).color(lane_color(i)));
        let resp = ui.add_enabled(key.is_some(), button);
        if resp.on_hover_text("Take this version").clicked()
            && let Some(k) = key
        {
            actions.push(Action::Command(k));
        }
    }
    let every: Vec<usize> = (0..d.alternatives.len())
        .filter(|&i| !d.alternatives[i].is_empty())
        .collect();
    if every.len() > 1
        && ui
            .add_enabled(d.can_combine(&every), egui::Button::new("Both (Alt+B)"))
            .on_hover_text(Command::TakeBoth.tooltip())
            .clicked()
    {
        actions.push(Action::Command(Command::TakeBoth));
    }
    if ui
        .button("Neither (Alt+0)")
        .on_hover_text(Command::TakeNeither.tooltip())
        .clicked()
    {
        actions.push(Action::Command(Command::TakeNeither));
    }
}
