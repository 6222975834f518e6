//! File > Import and Export, machine tags, and the folder scorecard: the
//! app's side of [`crate::interop`] and [`crate::review`].

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{Dialog, TandaiApp};
use crate::gui::panels::path_field::Purpose;
use crate::interop::{self, Format};
use crate::session::Session;
use crate::store::{self, StoreError};

impl TandaiApp {
    /// Counts the review outcomes over the saved annotation files of the
    /// open folder.
    pub(super) fn folder_scorecard(&mut self) {
        let Some(f) = self.folder.as_ref() else {
            return;
        };
        let mut card = crate::review::Scorecard::default();
        let mut files = 0;
        let mut unreadable = 0;
        for e in f.entries() {
            match store::read_raw(&e.annotation) {
                Ok((raw, _)) => {
                    files += 1;
                    for span in raw.spans {
                        card.add_span(&span.into());
                    }
                }
                Err(StoreError::AnnotationFile(_)) if !e.annotation.exists() => {}
                Err(_) => unreadable += 1,
            }
        }
        if let Some(doc) = self.doc.as_mut() {
            doc.review_bar.folder_card = Some((files, card));
            if unreadable > 0 {
                doc.session.error(format!(
                    "{unreadable} annotation files of the folder do not read; `tandai check` says why"
                ));
            }
        }
    }

    /// File > Import machine tags: a JSONL file of tags into the open
    /// article, as one undo step.
    pub(super) fn import_tags(&mut self) {
        if let Some(path) = self.ask_path(Purpose::ImportTags, "") {
            self.import_tags_from(&path);
        }
    }

    /// Imports machine tags from `path` into the open article, as one undo
    /// step; bad lines are listed in a dialog, good ones still come in.
    /// With a folder open, lines whose `doc` names another of its articles
    /// go into that article's annotation file (one tags file for the
    /// whole folder).
    pub fn import_tags_from(&mut self, path: &Path) {
        let root = self.folder.as_ref().map(|f| f.root().to_owned());
        let Some(doc) = self.doc.as_mut() else {
            return;
        };
        let open = doc.session.doc().article.path.clone();
        let mut report = match doc.session.import_tags(path, root.as_deref()) {
            Ok(report) => report,
            Err(e) => {
                self.dialog = Some(Dialog::Error(e));
                return;
            }
        };
        if let Some(root) = &root {
            report.push_str(&self.import_tags_for_folder(root, path, &open));
        }
        self.dialog = Some(Dialog::Info(report));
    }

    /// The lines of a tags file for the open folder's other articles, into
    /// their annotation files; what it did, for the dialog.
    fn import_tags_for_folder(&mut self, root: &Path, path: &Path, open: &Path) -> String {
        use crate::interop::tags::{self, FolderOptions, TagProblemKind};
        use std::fmt::Write as _;
        let opts = FolderOptions {
            skip: Some(open),
            ..FolderOptions::default()
        };
        let done = match tags::import_into_folder(root, &[path.to_owned()], opts, &mut |_| {}) {
            Ok(done) => done,
            Err(e) => return format!("\nThe folder's other articles: {e}"),
        };
        if let Some(folder) = self.folder.as_mut() {
            for a in done.articles.iter().filter(|a| a.written) {
                if let Some(i) = folder.index_of(&a.article) {
                    folder.reread(i);
                }
            }
        }
        // Lines without `doc` were for the open article.
        let problems: Vec<_> = done
            .all_problems()
            .into_iter()
            .filter(|(_, p)| p.kind != TagProblemKind::NoDoc)
            .collect();
        if done.articles.is_empty() && problems.is_empty() {
            return String::new();
        }
        let mut text = format!("\nOther articles of the folder: {}", done.summary());
        for (file, p) in problems.iter().take(12) {
            let name = Path::new(file)
                .file_name()
                .map_or_else(|| (*file).to_owned(), |n| n.to_string_lossy().into_owned());
            let _ = write!(text, "\n{name}:{}: {}", p.line, p.message);
        }
        text
    }

    /// File > Compare with…: the open annotations beside another
    /// annotator's file, or the open folder beside another folder.
    pub fn compare_with(&mut self, path: &Path) {
        let root = self.folder.as_ref().map(|f| f.root().to_owned());
        let Some(s) = self.session_mut() else { return };
        if let Err(e) = s.compare_with(path, root.as_deref()) {
            self.dialog = Some(Dialog::Error(e));
        }
    }

    /// File > Import: other tools' files into a folder of articles.
    pub(super) fn import(&mut self, format: Format) {
        if !self.native_dialogs() {
            // One file or folder typed, then the output folder.
            self.show_path_field(Purpose::ImportFrom(format), "", true);
            return;
        }
        let Some(inputs) = rfd::FileDialog::new()
            .set_title(format!("Import {}", format.title()))
            .pick_files()
        else {
            return;
        };
        if let Some(out) = self.ask_path(Purpose::ImportInto(format, Vec::new()), "") {
            self.import_into(format, &inputs, out);
        }
    }

    /// Imports `inputs` (files or folders) into the folder `out`.
    pub(super) fn import_into(&mut self, format: Format, inputs: &[PathBuf], out: PathBuf) {
        let mut opts = interop::ImportOptions::new(format);
        opts.out_dir = Some(out);
        opts.annotator.clone_from(&self.settings.annotator);
        self.dialog = Some(match interop::import(inputs, &opts, &mut |_| {}) {
            Ok(report) => Dialog::Info(report_text(&report)),
            Err(e) => Dialog::Error(format!("Import failed: {e}")),
        });
    }

    /// File > Export: the open document, as saved, in another format.
    pub(super) fn export(&mut self, format: Format) {
        let Some(session) = self.session() else {
            return;
        };
        if session.is_dirty() {
            self.dialog = Some(Dialog::Error(
                "Save the annotations first: export writes what is saved.".to_owned(),
            ));
            return;
        }
        if let Some(out) = self.ask_path(Purpose::Export(format), "") {
            self.export_to(format, out);
        }
    }

    /// Exports the open document, as saved, into the folder `out`.
    pub(super) fn export_to(&mut self, format: Format, out: PathBuf) {
        let Some(session) = self.session() else {
            return;
        };
        let input = session.doc().path.clone();
        let mut opts = interop::ExportOptions::new(format);
        opts.out = Some(out);
        self.dialog = Some(match interop::export(&[input], &opts, &mut |_| {}) {
            Ok(report) => Dialog::Info(report_text(&report)),
            Err(e) => Dialog::Error(format!("Export failed: {e}")),
        });
    }
}

/// An import or export report for people: the summary and each problem.
fn report_text(report: &interop::Report) -> String {
    let mut text = report.summary();
    for p in report.warnings.problems.iter().take(12) {
        text.push('\n');
        text.push_str(&p.to_string());
    }
    if report.warnings.problems.len() > 12 {
        let _ = write!(text, "\n… and {} more", report.warnings.problems.len() - 12);
    }
    text
}

impl TandaiApp {
    /// E on a span: the entity picker, with the folder's entities.
    pub(super) fn open_entity_picker(&mut self) {
        let Some(span) = self.session().and_then(Session::selected) else {
            return;
        };
        let known = self
            .folder
            .as_ref()
            .map(|f| {
                let files: Vec<PathBuf> = f
                    .entries()
                    .iter()
                    .map(|e| e.annotation.clone())
                    .filter(|p| p.is_file())
                    .collect();
                crate::attrib::known_entities(&files)
            })
            .unwrap_or_default();
        self.entity_picker = Some(crate::gui::panels::entities::EntityPicker {
            span,
            known,
            ..Default::default()
        });
    }

    /// The folder's attribution table, for "Who said what".
    pub(super) fn read_folder_attributions(&mut self) {
        let Some(root) = self.folder.as_ref().map(|f| f.root().to_owned()) else {
            return;
        };
        let inputs: Vec<crate::attrib::Input> =
            crate::walk::files(&root, &store::is_annotation_file)
                .unwrap_or_default()
                .into_iter()
                .map(|file| crate::attrib::Input {
                    file,
                    root: Some(root.clone()),
                })
                .collect();
        let table = crate::attrib::read_files(&inputs, store::LoadOptions::default());
        if let Some(w) = self.who.as_mut() {
            w.folder_rows = Some(crate::gui::panels::entities::Grouped::new(table.rows));
        }
    }

    /// "Export CSV…" of "Who said what": the table as CSV, to a file
    /// chosen beside the article.
    pub(super) fn export_attributions(&mut self, folder: bool) {
        let rows = if folder {
            self.who
                .as_ref()
                .and_then(|w| w.folder_rows.as_ref().map(|t| t.rows.clone()))
                .unwrap_or_default()
        } else {
            self.session()
                .map(Session::attributions)
                .unwrap_or_default()
        };
        let csv = crate::attrib::output::csv(&rows);
        if let Some(path) = self.ask_path(Purpose::ExportTable(csv.clone()), "attributions.csv") {
            self.write_table(&path, &csv);
        }
    }

    /// Writes an exported table, saying how it went.
    pub(super) fn write_table(&mut self, path: &Path, csv: &str) {
        self.dialog = Some(match store::write_atomic(path, csv.as_bytes()) {
            Ok(()) => Dialog::Info(format!("Wrote {}", path.display())),
            Err(e) => Dialog::Error(format!("{}: {e}", path.display())),
        });
    }
}
