//! The table of many annotation files: each loaded against its article as
//! everywhere ([`crate::store::load`]), named by its path relative to the
//! folder it was found in, its rows one after the other. What `tandai
//! attributions` prints and what the app's folder panel shows.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::{Row, Skipped, rows};
use crate::store::{self, LoadOptions, StoreError};

/// An annotation file to read, and the folder it was found in (its
/// article is named relative to that folder; without one, by its file
/// name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// The annotation file (`NAME.tandai.ron`).
    pub file: PathBuf,
    /// The folder walked to find it.
    pub root: Option<PathBuf>,
}

/// The rows of many files, and what could not be read.
#[derive(Debug, Default)]
pub struct Table {
    /// Every file's rows, in the order of the inputs.
    pub rows: Vec<Row>,
    /// What the rows leave out, over all files.
    pub skipped: Skipped,
    /// Articles read.
    pub articles: usize,
    /// Files that could not be read (each error names its file).
    pub errors: Vec<StoreError>,
}

/// `rel` with `/` between its parts, whatever the platform.
fn slashed(rel: &Path) -> Option<String> {
    let parts: Option<Vec<String>> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    parts.filter(|p| !p.is_empty()).map(|p| p.join("/"))
}

/// An article's name in the table: its path relative to `root` with `/`
/// between folders (`dunia/kapal.txt`), else its file name.
pub fn doc_name(article: &Path, root: Option<&Path>) -> String {
    let relative = root.and_then(|root| {
        article
            .strip_prefix(root)
            .ok()
            .and_then(slashed)
            .or_else(|| {
                let (a, r) = (article.canonicalize().ok()?, root.canonicalize().ok()?);
                slashed(a.strip_prefix(r).ok()?)
            })
    });
    relative.unwrap_or_else(|| {
        article
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    })
}

/// Reads every input and gathers its rows. A file that does not load is
/// listed in [`Table::errors`] and the others are read. Two articles that
/// would share a name (two folders given, each with an `a.txt`) keep
/// distinct ones: the second goes by its path as given.
pub fn read_files(inputs: &[Input], opts: LoadOptions) -> Table {
    let mut table = Table::default();
    let mut names: BTreeMap<String, PathBuf> = BTreeMap::new();
    for input in inputs {
        let loaded = match store::load(&input.file, opts) {
            Ok(l) => l,
            Err(e) => {
                table.errors.push(e);
                continue;
            }
        };
        let article = loaded.article.path.clone();
        let mut name = doc_name(&article, input.root.as_deref());
        if names.get(&name).is_some_and(|a| *a != article) {
            name = article.display().to_string();
        }
        names.entry(name.clone()).or_insert(article);
        table.articles += 1;
        let found = rows(&name, &loaded.annotations, &mut table.skipped);
        table.rows.extend(found);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_named_relative_to_their_folder() {
        let root = Path::new("corpus");
        assert_eq!(
            doc_name(Path::new("corpus/dunia/kapal.txt"), Some(root)),
            "dunia/kapal.txt"
        );
        assert_eq!(doc_name(Path::new("corpus/kapal.txt"), None), "kapal.txt");
        assert_eq!(
            doc_name(Path::new("elsewhere/kapal.txt"), Some(root)),
            "kapal.txt"
        );
    }

    #[test]
    fn unreadable_files_are_listed_and_the_rest_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::create_dir(&a).unwrap();
        std::fs::write(a.join("x.txt"), "Ani berkata hujan turun.").unwrap();
        std::fs::write(
            a.join("x.tandai.ron"),
            "(version: 1, document: (path: \"x.txt\"), spans: [(id: 1, label: \"claim\", start: 12, end: 24)])",
        )
        .unwrap();
        std::fs::write(a.join("y.tandai.ron"), "(version: 1,").unwrap();
        let b = dir.path().join("b");
        std::fs::create_dir(&b).unwrap();
        std::fs::copy(a.join("x.txt"), b.join("x.txt")).unwrap();
        std::fs::copy(a.join("x.tandai.ron"), b.join("x.tandai.ron")).unwrap();
        let input = |root: &Path, name: &str| Input {
            file: root.join(name),
            root: Some(root.to_owned()),
        };
        let table = read_files(
            &[
                input(&a, "x.tandai.ron"),
                input(&a, "y.tandai.ron"),
                input(&b, "x.tandai.ron"),
            ],
            LoadOptions::default(),
        );
        assert_eq!(table.articles, 2);
        assert_eq!(table.errors.len(), 1);
        assert!(table.errors[0].to_string().contains("y.tandai.ron"));
        let docs: Vec<&str> = table.rows.iter().map(|r| r.doc.as_str()).collect();
        assert_eq!(docs[0], "x.txt");
        assert_eq!(docs[1], b.join("x.txt").display().to_string());
        assert_eq!(table.rows[0].content.text, "hujan turun.");
    }
}
