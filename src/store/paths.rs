//! Where annotation files are, and which article one names.

use std::path::{Component, Path, PathBuf};

use super::{SUFFIX, StoreError};

/// `NAME.tandai.ron` for `NAME.txt` (any last extension is replaced).
pub fn annotation_path_for(article: &Path) -> PathBuf {
    let stem = article
        .file_stem()
        .map_or_else(|| "article".into(), |s| s.to_string_lossy().into_owned());
    article.with_file_name(format!("{stem}{SUFFIX}"))
}

/// Whether a path names an annotation file.
pub fn is_annotation_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(SUFFIX))
}

/// The article an annotation file names, resolved against its folder.
/// Unless `allow_outside`, refuses paths that are absolute or climb out,
/// and paths that symbolic links (the file or a folder on the way) lead
/// out of the folder.
pub fn resolve_document(
    annotation: &Path,
    doc: &str,
    allow_outside: bool,
) -> Result<PathBuf, StoreError> {
    let rel = Path::new(doc);
    let outside = || StoreError::OutsidePath {
        path: annotation.to_owned(),
        doc: doc.to_owned(),
    };
    let inside = !doc.is_empty()
        && rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside && !allow_outside {
        return Err(outside());
    }
    let dir = annotation.parent().unwrap_or_else(|| Path::new(""));
    let joined = dir.join(rel);
    let real_dir = if dir.as_os_str().is_empty() {
        Path::new(".").canonicalize()
    } else {
        dir.canonicalize()
    };
    if !allow_outside
        && let (Ok(real_dir), Ok(real)) = (real_dir, joined.canonicalize())
        && !real.starts_with(&real_dir)
    {
        // A missing file is left for reading to report.
        return Err(outside());
    }
    Ok(joined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{LoadOptions, open};

    #[test]
    fn allow_outside_lets_a_trusted_file_name_a_parent_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Teks.").unwrap();
        std::fs::create_dir(dir.path().join("ann")).unwrap();
        let ron = dir.path().join("ann/a.tandai.ron");
        std::fs::write(&ron, "(version: 1, document: (path: \"../a.txt\"))").unwrap();
        assert!(open(&ron, LoadOptions::default()).is_err());
        let l = open(
            &ron,
            LoadOptions {
                allow_outside: true,
            },
        )
        .unwrap();
        assert_eq!(l.article.text.as_str(), "Teks.");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_out_of_the_folder_is_refused_unless_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("secret.txt"), "Rahasia.").unwrap();
        std::fs::create_dir_all(d.join("ann/sub")).unwrap();
        std::os::unix::fs::symlink(d.join("secret.txt"), d.join("ann/a.txt")).unwrap();
        std::os::unix::fs::symlink(d, d.join("ann/up")).unwrap();
        std::fs::write(d.join("ann/sub/in.txt"), "Teks.").unwrap();
        std::os::unix::fs::symlink("sub/in.txt", d.join("ann/b.txt")).unwrap();
        let ron = d.join("ann/a.tandai.ron");
        for doc in ["a.txt", "up/secret.txt", "./a.txt"] {
            let err = resolve_document(&ron, doc, false).unwrap_err();
            assert!(matches!(err, StoreError::OutsidePath { .. }), "{doc}");
            assert!(err.to_string().contains("links to a file outside"), "{err}");
            assert!(resolve_document(&ron, doc, true).is_ok());
        }
        // Links that stay inside, and files that do not exist (reading
        // says so), are fine.
        for doc in ["b.txt", "sub/in.txt", "missing.txt"] {
            assert_eq!(
                resolve_document(&ron, doc, false).unwrap(),
                d.join("ann").join(doc)
            );
        }
    }

    #[test]
    fn paths() {
        assert_eq!(
            annotation_path_for(Path::new("a/b.c.txt")),
            Path::new("a/b.c.tandai.ron")
        );
        assert!(is_annotation_file(Path::new("x/b.tandai.ron")));
        assert!(!is_annotation_file(Path::new("x/b.ron")));
        assert!(resolve_document(Path::new("d/a.tandai.ron"), "/etc/passwd", false).is_err());
        assert!(resolve_document(Path::new("d/a.tandai.ron"), "", false).is_err());
        assert_eq!(
            resolve_document(Path::new("d/a.tandai.ron"), "sub/a.txt", false).unwrap(),
            Path::new("d/sub/a.txt")
        );
    }
}
