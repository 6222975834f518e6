//! Asking for a path: the native dialog through rfd where one can be shown,
//! the built-in path field ([`PathField`]) where none can (or on File >
//! Open path…), and what the chosen path is used for.

use std::path::{Path, PathBuf};

use egui::Context;

use super::TandaiApp;
use crate::gui::Action;
use crate::gui::file_dialogs;
use crate::gui::panels::path_field::{PathField, Purpose};

/// The path field shown, if any, and whether native dialogs can be shown.
#[derive(Debug, Default)]
pub struct Picker {
    /// The path field shown, if any.
    pub(in crate::gui) field: Option<PathField>,
    /// Whether rfd can show a dialog; `None`: find out
    /// ([`file_dialogs::available`]). Tests set it.
    pub(in crate::gui) native: Option<bool>,
}

impl TandaiApp {
    /// Whether a native file dialog can be shown.
    pub(super) fn native_dialogs(&self) -> bool {
        self.picker.native.unwrap_or_else(file_dialogs::available)
    }

    /// The folder a path is first looked for in: the open article's, else
    /// the most recent one, else the working folder.
    fn start_dir(&self) -> PathBuf {
        let from_doc = self
            .session()
            .and_then(|s| s.doc().article.path.parent().map(Path::to_owned));
        let from_recent = || {
            self.settings.recent.first().and_then(|p| {
                if p.is_dir() {
                    Some(p.clone())
                } else {
                    p.parent().map(Path::to_owned)
                }
            })
        };
        from_doc
            .or_else(from_recent)
            .filter(|d| d.is_dir())
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("/"))
    }

    /// Shows the path field for `purpose`; `fallback`: instead of a dialog
    /// that cannot be shown (the field says so).
    pub(super) fn show_path_field(&mut self, purpose: Purpose, name: &str, fallback: bool) {
        let note = fallback.then(|| file_dialogs::NO_DIALOG.to_owned());
        let dir = self.start_dir();
        self.picker.field = Some(PathField::new(purpose, &dir, name, note));
    }

    /// Asks for a path for `purpose`: returns it at once from a native
    /// dialog, or `None` (cancelled, or the path field is shown and the
    /// answer comes later as [`Action::PathField`]).
    pub(super) fn ask_path(&mut self, purpose: Purpose, name: &str) -> Option<PathBuf> {
        if !self.native_dialogs() {
            self.show_path_field(purpose, name, true);
            return None;
        }
        let dir = self.start_dir();
        let dialog = rfd::FileDialog::new()
            .set_title(purpose.heading())
            .set_directory(dir);
        match purpose {
            Purpose::Open => dialog
                .add_filter("Articles and annotations", &["txt", "ron"])
                .add_filter("All files", &["*"])
                .pick_file(),
            Purpose::ImportTags => dialog
                .add_filter("Machine tags", &["jsonl", "json"])
                .pick_file(),
            Purpose::ImportFrom(_) => dialog.pick_file(),
            Purpose::CompareWith => dialog.add_filter("Annotation files", &["ron"]).pick_file(),
            Purpose::SaveAs | Purpose::ExportTable(_) => dialog.set_file_name(name).save_file(),
            Purpose::OpenFolder | Purpose::ImportInto(..) | Purpose::Export(_) => {
                dialog.pick_folder()
            }
        }
    }

    /// The path field's answer: the chosen path, or `None` (closed).
    pub(super) fn path_chosen(&mut self, ctx: &Context, path: Option<PathBuf>) {
        let Some(field) = self.picker.field.take() else {
            return;
        };
        let Some(path) = path else {
            return;
        };
        match field.purpose {
            Purpose::Open | Purpose::OpenFolder => {
                if path.exists() {
                    self.apply_one(ctx, Action::Open(path));
                } else {
                    self.not_found(field, &path);
                }
            }
            Purpose::SaveAs => {
                if path.is_dir() {
                    self.picker.field = Some(field);
                } else {
                    self.save_as_to(&path);
                }
            }
            Purpose::ImportTags if path.is_file() => self.import_tags_from(&path),
            Purpose::ImportFrom(format) if path.exists() => {
                self.show_path_field(Purpose::ImportInto(format, vec![path]), "", false);
            }
            Purpose::ImportInto(format, inputs) if path.is_dir() => {
                self.import_into(format, &inputs, path);
            }
            Purpose::Export(format) if path.is_dir() => self.export_to(format, path),
            Purpose::CompareWith if path.exists() => self.compare_with(&path),
            Purpose::ExportTable(csv) if !path.is_dir() => self.write_table(&path, &csv),
            _ => self.not_found(field, &path),
        }
    }

    /// Keeps the field open and says the path does not fit.
    fn not_found(&mut self, mut field: PathField, path: &Path) {
        let what = if field.purpose.folders_only() {
            "is not a folder"
        } else {
            "does not exist"
        };
        field.note = Some(format!("{} {what}.", path.display()));
        self.picker.field = Some(field);
    }
}
