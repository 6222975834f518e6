//! File > Compare with…: the open article's annotations beside another
//! annotator's (an annotation file of the same article, or a folder of the
//! same articles), with the agreement figures for the article and the
//! folder and the list of places where the two differ. Renewed when the
//! open annotations change.

use std::path::{Path, PathBuf};

use super::Session;
use crate::agree::{self, Difference, Document, Report};
use crate::model::Annotations;
use crate::store::{self, LoadOptions};

/// The comparison shown.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The open annotations' annotator, as `tandai agree` names it.
    pub ours_name: String,
    /// The other annotator's name.
    pub theirs_name: String,
    /// Where the other annotations came from.
    pub theirs_path: PathBuf,
    /// The other annotator's spans on this article.
    pub theirs: Annotations,
    /// The figures for this article.
    pub article: Option<Report>,
    /// Why there are none, if there are none.
    pub article_error: Option<String>,
    /// The figures for the two folders (when a folder was compared).
    pub folder: Option<Report>,
    /// Documents of the folders compared, and those only one folder has.
    pub folder_documents: (usize, usize),
    /// Where the two differ on this article, in text order.
    pub differences: Vec<Difference>,
    /// The difference shown last.
    pub current: Option<usize>,
    /// The annotations' generation these figures are for.
    generation: u64,
}

/// A folder comparison: the figures, (documents compared, documents only
/// one folder has), and the other folder's file for the open article.
type FolderFigures = (Report, (usize, usize), Option<PathBuf>);

/// The name `tandai agree` gives a set: the one its spans carry, else the
/// file's (or folder's) stem.
fn name_of(ann: &Annotations, path: &Path) -> String {
    agree::annotator_name([ann]).unwrap_or_else(|| {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        name.strip_suffix(store::SUFFIX)
            .map_or_else(|| name.clone(), str::to_owned)
    })
}

impl Session {
    /// Compares the open annotations with `other`: an annotation file (or
    /// article) of the same article, or a folder holding the same
    /// articles as `folder` (the open folder). `Err` says why not.
    pub fn compare_with(&mut self, other: &Path, folder: Option<&Path>) -> Result<(), String> {
        let opts = LoadOptions::default();
        let (theirs_file, folder_report, folder_documents) = if other.is_dir() {
            let root = folder.ok_or_else(|| {
                "open the folder of your articles first (File > Open Folder), then compare it with another folder".to_owned()
            })?;
            let (report, counts, mine) = self.compare_folders(root, other)?;
            let file = mine.ok_or_else(|| {
                format!(
                    "{} has no annotation file for this article",
                    other.display()
                )
            })?;
            (file, Some(report), counts)
        } else {
            (other.to_owned(), None, (0, 0))
        };
        let loaded = store::open(&theirs_file, opts).map_err(|e| e.to_string())?;
        if loaded.article.sha256 != self.doc.article.sha256 {
            return Err(format!(
                "{} annotates another article ({}), not this one",
                loaded.path.display(),
                loaded.article.path.display()
            ));
        }
        let ours_name = name_of(&self.doc.annotations, &self.doc.path);
        let mut theirs_name = name_of(&loaded.annotations, &loaded.path);
        if theirs_name == ours_name {
            theirs_name = format!("{theirs_name} (other)");
        }
        self.comparison = Some(Comparison {
            ours_name,
            theirs_name,
            theirs_path: loaded.path,
            theirs: loaded.annotations,
            article: None,
            article_error: None,
            folder: folder_report,
            folder_documents,
            differences: Vec::new(),
            current: None,
            generation: u64::MAX,
        });
        self.refresh_comparison();
        Ok(())
    }

    /// The figures of the open folder against `other`, the documents
    /// compared and left out, and the other folder's file for this article.
    fn compare_folders(&self, root: &Path, other: &Path) -> Result<FolderFigures, String> {
        let agree::FolderPairs { pairs, alone } =
            agree::pair_folders(root, other).map_err(|e| format!("{}: {e}", other.display()))?;
        if pairs.is_empty() {
            return Err(format!(
                "{} and {} have no annotation file in common (matched by their paths)",
                root.display(),
                other.display()
            ));
        }
        let same = |a: &Path, b: &Path| std::path::absolute(a).ok() == std::path::absolute(b).ok();
        let mine = pairs
            .iter()
            .find(|(_, a, _)| same(a, &self.doc.path))
            .map(|(_, _, b)| b.clone());
        let mut loaded = Vec::with_capacity(pairs.len());
        for (_, a, b) in &pairs {
            let la = store::load(a, LoadOptions::default()).map_err(|e| e.to_string())?;
            let lb = store::load(b, LoadOptions::default()).map_err(|e| e.to_string())?;
            loaded.push((la, lb));
        }
        let docs: Vec<Document> = pairs
            .iter()
            .zip(&loaded)
            .map(|((rel, _, _), (a, b))| Document {
                name: rel.display().to_string(),
                chars: a.article.text.len_chars(),
                annotations: vec![&a.annotations, &b.annotations],
            })
            .collect();
        let names = ["ours".to_owned(), "theirs".to_owned()];
        let report = agree::agree(&names, &docs).map_err(|e| e.to_string())?;
        Ok((report, (pairs.len(), alone.len()), mine))
    }

    /// The comparison shown, if any.
    pub fn comparison(&self) -> Option<&Comparison> {
        self.comparison.as_ref()
    }

    /// Stops comparing.
    pub fn close_comparison(&mut self) {
        self.comparison = None;
    }

    /// Renews the article's figures and differences after a change to the
    /// open annotations (once per change, not per frame).
    pub fn refresh_comparison(&mut self) {
        let generation = self.generation;
        let chars = self.doc.article.text.len_chars();
        let Some(c) = self.comparison.as_mut() else {
            return;
        };
        if c.generation == generation {
            return;
        }
        c.generation = generation;
        let doc = Document {
            name: self.doc.path.display().to_string(),
            chars,
            annotations: vec![&self.doc.annotations, &c.theirs],
        };
        let names = [c.ours_name.clone(), c.theirs_name.clone()];
        match agree::agree(&names, &[doc]) {
            Ok(r) => {
                c.article = Some(r);
                c.article_error = None;
            }
            Err(e) => {
                c.article = None;
                c.article_error = Some(e.to_string());
            }
        }
        c.differences = agree::differences(&self.doc.annotations, &c.theirs, chars);
        c.current = c.current.filter(|&i| i < c.differences.len());
    }

    /// The open annotations and the compared ones merged (`tandai merge`):
    /// agreed spans once, the rest as disputes, written to
    /// `NAME-merged.tandai.ron` beside the open annotation file (never over
    /// an existing file). Returns its path.
    pub fn merge_comparison(&self) -> Result<PathBuf, String> {
        let c = self
            .comparison
            .as_ref()
            .ok_or("nothing is being compared")?;
        let sets = [
            crate::merge::Annotator {
                name: &c.ours_name,
                annotations: &self.doc.annotations,
            },
            crate::merge::Annotator {
                name: &c.theirs_name,
                annotations: &c.theirs,
            },
        ];
        let chars = self.doc.article.text.len_chars();
        let merged = crate::merge::merge(&sets, chars, crate::merge::Options::default())
            .map_err(|e| e.to_string())?;
        let name = self
            .doc
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = name.strip_suffix(store::SUFFIX).unwrap_or(&name);
        let path = self
            .doc
            .path
            .with_file_name(format!("{stem}-merged{}", store::SUFFIX));
        if path.exists() {
            return Err(format!(
                "{} exists; move it away or settle it first",
                path.display()
            ));
        }
        let labels: Vec<&str> = self.schema.labels.iter().map(|l| l.name.as_str()).collect();
        store::save_over(&path, &merged.annotations, &labels).map_err(|e| e.to_string())?;
        Ok(path)
    }

    /// Brings char offset `at` into view (the adjudication queue's current
    /// dispute).
    pub fn show_place(&mut self, at: usize) {
        self.request_scroll(at);
    }

    /// Shows difference `i`: selects the open annotations' span there (if
    /// it has one) and brings the place into view.
    pub fn show_difference(&mut self, i: usize) {
        let Some(c) = self.comparison.as_mut() else {
            return;
        };
        let Some(d) = c.differences.get(i) else {
            return;
        };
        c.current = Some(i);
        let (ours, at) = (d.ours.as_ref().map(|o| o.0), d.range().start);
        if let Some(id) = ours {
            self.select(id);
        } else {
            self.selected = None;
            self.request_scroll(at);
        }
    }
}
