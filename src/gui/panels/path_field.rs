//! The built-in path field: where no native file dialog can be shown (or
//! with File > Open path…), a path is typed with completion of the folder's
//! entries, or picked from the recent files and folders.
//!
//! The field keeps only its own widget state (the text, the completions of
//! that text); what the path is for ([`Purpose`]) is carried by the app,
//! which acts on the path pushed as [`Action::PathField`].

use std::path::{Path, PathBuf};

use egui::{Context, Id, Key, Modifiers, RichText, Ui};

use crate::gui::Action;
use crate::interop::Format;

/// Completions shown at most.
pub const MAX_COMPLETIONS: usize = 40;
/// Folder entries read at most while completing (a huge folder stays fast).
const MAX_SCANNED: usize = 20_000;

/// What the typed path is for.
#[derive(Clone, Debug, PartialEq)]
pub enum Purpose {
    /// Open a file, or a folder as Open Folder does.
    Open,
    /// Open a folder of articles (a file still opens as Open does).
    OpenFolder,
    /// Save the annotations to this file.
    SaveAs,
    /// Import machine tags (JSONL) from this file.
    ImportTags,
    /// Import another tool's files from this file or folder.
    ImportFrom(Format),
    /// Write the imported articles into this folder.
    ImportInto(Format, Vec<PathBuf>),
    /// Export the open document into this folder.
    Export(Format),
    /// Compare the open annotations with this file or folder.
    CompareWith,
    /// Write this exported table (CSV) to this file.
    ExportTable(String),
}

impl Purpose {
    /// The window's heading.
    pub fn heading(&self) -> String {
        match self {
            Purpose::Open => "Open a file or folder".to_owned(),
            Purpose::OpenFolder => "Open a folder of articles".to_owned(),
            Purpose::SaveAs => "Save the annotations as".to_owned(),
            Purpose::ImportTags => "Import machine tags (JSONL)".to_owned(),
            Purpose::ImportFrom(f) => format!("Import {}: a file or a folder", f.title()),
            Purpose::ImportInto(..) => "Folder for the imported articles".to_owned(),
            Purpose::Export(f) => format!("Export as {}: into which folder", f.title()),
            Purpose::CompareWith => {
                "Compare with another annotator: an annotation file or a folder".to_owned()
            }
            Purpose::ExportTable(_) => "Save the table as (CSV)".to_owned(),
        }
    }

    /// Only folders make sense as the answer.
    pub fn folders_only(&self) -> bool {
        matches!(
            self,
            Purpose::OpenFolder | Purpose::ImportInto(..) | Purpose::Export(_)
        )
    }

    /// The button that acts on the path.
    fn verb(&self) -> &'static str {
        match self {
            Purpose::Open | Purpose::OpenFolder => "Open",
            Purpose::SaveAs | Purpose::ExportTable(_) => "Save",
            Purpose::ImportTags | Purpose::ImportFrom(_) => "Import",
            Purpose::ImportInto(..) => "Import here",
            Purpose::Export(_) => "Export here",
            Purpose::CompareWith => "Compare",
        }
    }
}

/// One completion: a folder entry whose name starts with what was typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The entry's path.
    pub path: PathBuf,
    /// Its name, with a trailing `/` for a folder.
    pub label: String,
    /// Whether it is a folder.
    pub is_dir: bool,
}

/// The folder a typed path names and the start of the entry name being
/// typed: `"/a/b/"` is (`/a/b`, `""`), `"/a/b/ar"` is (`/a/b`, `"ar"`). A
/// leading `~` is the home folder; a relative path is taken from `base`.
pub fn split_typed(typed: &str, base: &Path) -> (PathBuf, String) {
    let expanded = expand_home(typed);
    let path = base.join(&expanded);
    if typed.is_empty() || typed.ends_with(std::path::MAIN_SEPARATOR) || typed.ends_with('/') {
        return (path, String::new());
    }
    let prefix = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = path.parent().map_or_else(|| path.clone(), Path::to_owned);
    (dir, prefix)
}

/// `~` and `~/…` as the home folder.
pub fn expand_home(typed: &str) -> PathBuf {
    let home = || std::env::var_os("HOME").map(PathBuf::from);
    if typed == "~" {
        return home().unwrap_or_else(|| PathBuf::from(typed));
    }
    if let Some(rest) = typed.strip_prefix("~/")
        && let Some(h) = home()
    {
        return h.join(rest);
    }
    PathBuf::from(typed)
}

/// The entries of the typed path's folder whose names start with the typed
/// name (ignoring case), folders first, then by name; hidden entries only
/// when the typed name starts with a dot; at most `limit`.
pub fn completions(typed: &str, base: &Path, folders_only: bool, limit: usize) -> Vec<Completion> {
    let (dir, prefix) = split_typed(typed, base);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let lower = prefix.to_lowercase();
    let mut found: Vec<Completion> = entries
        .take(MAX_SCANNED)
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if (name.starts_with('.') && !prefix.starts_with('.'))
                || !name.to_lowercase().starts_with(&lower)
            {
                return None;
            }
            // Follows symbolic links: a link to a folder is a folder.
            let is_dir = e.path().is_dir();
            if folders_only && !is_dir {
                return None;
            }
            let label = if is_dir { format!("{name}/") } else { name };
            Some(Completion {
                path: e.path(),
                label,
                is_dir,
            })
        })
        .collect();
    found.sort_by(|a, b| {
        b.is_dir
            .cmp(&a.is_dir)
            .then_with(|| a.label.to_lowercase().cmp(&b.label.to_lowercase()))
    });
    found.truncate(limit);
    found
}

/// The text that names a completion in the field: a folder ends with a
/// separator so its own entries are completed next.
fn completed_text(c: &Completion) -> String {
    let mut s = c.path.display().to_string();
    if c.is_dir && !s.ends_with(std::path::MAIN_SEPARATOR) {
        s.push(std::path::MAIN_SEPARATOR);
    }
    s
}

/// The path field's window state.
#[derive(Debug)]
pub struct PathField {
    /// What the path is for.
    pub purpose: Purpose,
    /// Why the field is shown instead of a dialog, if it is.
    pub note: Option<String>,
    text: String,
    base: PathBuf,
    /// The completions of `shown_for`.
    completions: Vec<Completion>,
    shown_for: Option<String>,
}

impl PathField {
    /// A field for `purpose`, starting in `dir` (with `name` typed, for
    /// Save As).
    pub fn new(purpose: Purpose, dir: &Path, name: &str, note: Option<String>) -> Self {
        let mut text = dir.display().to_string();
        if !text.ends_with(std::path::MAIN_SEPARATOR) {
            text.push(std::path::MAIN_SEPARATOR);
        }
        text.push_str(name);
        Self {
            purpose,
            note,
            text,
            base: dir.to_owned(),
            completions: Vec::new(),
            shown_for: None,
        }
    }

    /// The text typed so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The path the text names.
    fn path(&self) -> PathBuf {
        self.base.join(expand_home(self.text.trim()))
    }

    /// Draws the field as a modal window; pushes [`Action::PathField`]
    /// with the chosen path, or with `None` when closed.
    pub fn ui(&mut self, ctx: &Context, recent: &[PathBuf], actions: &mut Vec<Action>) {
        let escape = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape));
        let tab = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Tab));
        if self.shown_for.as_deref() != Some(self.text.as_str()) {
            self.completions = completions(
                &self.text,
                &self.base,
                self.purpose.folders_only(),
                MAX_COMPLETIONS,
            );
            self.shown_for = Some(self.text.clone());
        }
        if tab && let Some(first) = self.completions.first() {
            self.text = completed_text(first);
        }
        let mut chosen = None;
        let mut close = escape;
        egui::Modal::new(Id::unique("tandai-path-field")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading(self.purpose.heading());
            if let Some(note) = &self.note {
                ui.label(RichText::new(note).strong());
            }
            ui.add_space(4.0);
            let field = ui.horizontal(|ui| {
                let label = ui.label("Path");
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.text)
                            .desired_width(400.0)
                            .lock_focus(true),
                    )
                    .labelled_by(label.id);
                if ui
                    .button(self.purpose.verb())
                    .on_hover_text("Use the path typed")
                    .clicked()
                {
                    chosen = Some(self.path());
                }
                r
            });
            let enter = ui.input(|i| i.key_pressed(Key::Enter));
            if enter && (field.inner.lost_focus() || field.inner.has_focus()) {
                chosen = Some(self.path());
            }
            field.inner.request_focus();
            ui.label(
                RichText::new("Tab completes; a folder below goes inside it; Esc closes.").weak(),
            );
            ui.add_space(4.0);
            if let Some(p) = self.completions_ui(ui) {
                chosen = Some(p);
            }
            if let Some(p) = recent_ui(ui, recent, self.purpose.folders_only()) {
                chosen = Some(p);
            }
            ui.add_space(6.0);
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
        if let Some(p) = chosen {
            actions.push(Action::PathField(Some(p)));
        } else if close {
            actions.push(Action::PathField(None));
        }
    }

    /// The completions; a file clicked is chosen, a folder clicked is
    /// entered.
    fn completions_ui(&mut self, ui: &mut Ui) -> Option<PathBuf> {
        let mut chosen = None;
        let mut enter = None;
        ui.label(RichText::new("In this folder").strong());
        egui::ScrollArea::vertical()
            .id_salt("path-completions")
            .max_height(220.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if self.completions.is_empty() {
                    ui.label(RichText::new("Nothing here starts with what is typed").weak());
                }
                for c in &self.completions {
                    let tip = if c.is_dir {
                        "Go into this folder"
                    } else {
                        "Use this file"
                    };
                    if ui
                        .selectable_label(false, &c.label)
                        .on_hover_text(tip)
                        .clicked()
                    {
                        if c.is_dir {
                            enter = Some(completed_text(c));
                        } else {
                            chosen = Some(c.path.clone());
                        }
                    }
                }
                if self.completions.len() == MAX_COMPLETIONS {
                    ui.label(RichText::new("… type more to see the rest").weak());
                }
            });
        if let Some(t) = enter {
            self.text = t;
        }
        chosen
    }
}

/// The recent files and folders; one clicked is chosen.
fn recent_ui(ui: &mut Ui, recent: &[PathBuf], folders_only: bool) -> Option<PathBuf> {
    let shown: Vec<&PathBuf> = recent
        .iter()
        .filter(|p| !folders_only || p.is_dir())
        .collect();
    if shown.is_empty() {
        return None;
    }
    let mut chosen = None;
    ui.add_space(4.0);
    ui.label(RichText::new("Recent files and folders").strong());
    for p in shown {
        if ui
            .link(p.display().to_string())
            .on_hover_text("Use this path")
            .clicked()
        {
            chosen = Some(p.clone());
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_path_splits_into_its_folder_and_the_name_begun() {
        let base = Path::new("/base");
        assert_eq!(
            split_typed("/a/b/", base),
            (PathBuf::from("/a/b/"), String::new())
        );
        assert_eq!(
            split_typed("/a/b/ar", base),
            (PathBuf::from("/a/b"), "ar".to_owned())
        );
        assert_eq!(
            split_typed("sub/x", base),
            (PathBuf::from("/base/sub"), "x".to_owned())
        );
        assert_eq!(
            split_typed("", base),
            (PathBuf::from("/base"), String::new())
        );
    }

    #[test]
    fn completions_list_matching_entries_folders_first_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in [
            "berita-b.txt",
            "Berita-a.txt",
            "lain.txt",
            ".tersembunyi.txt",
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        std::fs::create_dir(d.join("berkas")).unwrap();
        let typed = format!("{}/ber", d.display());
        let labels: Vec<String> = completions(&typed, d, false, 10)
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(labels, ["berkas/", "Berita-a.txt", "berita-b.txt"]);
        // Folders only, as Open Folder asks.
        let folders: Vec<String> = completions(&format!("{}/", d.display()), d, true, 10)
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(folders, ["berkas/"]);
        // Hidden entries once a dot is typed; the count is bounded.
        assert_eq!(
            completions(&format!("{}/.", d.display()), d, false, 10).len(),
            1
        );
        assert_eq!(
            completions(&format!("{}/", d.display()), d, false, 2).len(),
            2
        );
        // A folder that does not exist completes to nothing.
        assert!(completions("/no/such/folder/x", d, false, 10).is_empty());
    }
}
