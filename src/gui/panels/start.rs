//! The start screen: recent files and the bundled example.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use crate::gui::Action;
use crate::gui::commands::Command;

const EXAMPLE_TXT: &str = include_str!("../../../examples/articles/kompas-artileri.txt");
const EXAMPLE_RON: &str = include_str!("../../../examples/articles/kompas-artileri.tandai.ron");

/// Writes the bundled example article (once) to the user's data folder and
/// returns its path.
pub fn write_example() -> std::io::Result<PathBuf> {
    let dir = eframe::storage_dir("tandai")
        .unwrap_or_else(std::env::temp_dir)
        .join("examples");
    write_example_in(&dir)
}

/// Writes the example into `dir` unless it is already there.
pub fn write_example_in(dir: &Path) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let txt = dir.join("kompas-artileri.txt");
    let ron = dir.join("kompas-artileri.tandai.ron");
    if !txt.exists() || std::fs::read_to_string(&txt)? != EXAMPLE_TXT {
        crate::store::write_atomic(&txt, EXAMPLE_TXT.as_bytes())?;
        crate::store::write_atomic(&ron, EXAMPLE_RON.as_bytes())?;
    } else if !ron.exists() {
        crate::store::write_atomic(&ron, EXAMPLE_RON.as_bytes())?;
    }
    Ok(txt)
}

/// The central panel while a folder is open but no article yet.
pub fn folder_hint(ui: &mut Ui, actions: &mut Vec<Action>) {
    ui.vertical_centered(|ui| {
        ui.add_space(60.0);
        ui.label("Choose an article on the left.");
        ui.add_space(8.0);
        let next = Command::NextDocument;
        let key = next
            .shortcut()
            .map(|s| ui.ctx().format_shortcut(&s))
            .unwrap_or_default();
        if ui
            .button(format!("Open the first article not done ({key})"))
            .on_hover_text("Opens the first article of the folder that is not marked done")
            .clicked()
        {
            actions.push(Action::Command(next));
        }
    });
}

/// The screen shown when no article is open.
pub fn start_screen(ui: &mut Ui, recent: &[PathBuf], actions: &mut Vec<Action>) {
    ui.vertical_centered(|ui| {
        ui.add_space(40.0);
        ui.heading(RichText::new("tandai").size(32.0));
        ui.label("Tag claims, sources and denials in news articles.");
        ui.add_space(20.0);
        let open = Command::Open;
        let key = open
            .shortcut()
            .map(|s| ui.ctx().format_shortcut(&s))
            .unwrap_or_default();
        if ui
            .button(format!("Open an article… ({key})"))
            .on_hover_text(open.tooltip())
            .clicked()
        {
            actions.push(Action::Command(open));
        }
        let folder = Command::OpenFolder;
        let key = folder
            .shortcut()
            .map(|s| ui.ctx().format_shortcut(&s))
            .unwrap_or_default();
        if ui
            .button(format!("Open a folder of articles… ({key})"))
            .on_hover_text(folder.tooltip())
            .clicked()
        {
            actions.push(Action::Command(folder));
        }
        if ui
            .button("Open the example article")
            .on_hover_text("A wire story in Indonesian with claims, sources and denials tagged")
            .clicked()
        {
            actions.push(Action::OpenExample);
        }
        ui.add_space(20.0);
        let (folders, files): (Vec<&PathBuf>, Vec<&PathBuf>) =
            recent.iter().partition(|p| p.is_dir());
        for (title, list, tip) in [
            ("Recent files", files, "Open this file again"),
            ("Recent folders", folders, "Open this folder again"),
        ] {
            if list.is_empty() {
                continue;
            }
            ui.label(RichText::new(title).strong());
            for p in list {
                if ui
                    .link(p.display().to_string())
                    .on_hover_text(tip)
                    .clicked()
                {
                    actions.push(Action::Open(p.clone()));
                }
            }
            ui.add_space(8.0);
        }
        ui.add_space(20.0);
        ui.label(
            RichText::new("Or drop a .txt or .tandai.ron file on this window. F1 lists every key.")
                .weak(),
        );
    });
}
