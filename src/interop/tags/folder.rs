//! One tags file for a whole folder: each line's `doc` names its article
//! relative to the folder. [`split_by_doc`] sorts the lines by article
//! (every article's share keeps the file's line numbers, other lines
//! blanked), so each article is imported by [`super::import_tags`] on its
//! own, and [`article_in`] finds the article a `doc` names without ever
//! leaving the folder.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::lines::{decode_line, problem, split_lines};
use super::{TagProblem, TagProblemKind};

/// A tags file sorted by article.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FolderSplit {
    /// Each `doc` as written, with its lines: the file's bytes with every
    /// other line blanked, so line numbers stay the file's.
    pub docs: BTreeMap<String, DocLines>,
    /// Lines that name no article (too long, not UTF-8, not JSON, no
    /// `doc`), each left out.
    pub problems: Vec<TagProblem>,
    /// Lines that were not blank.
    pub lines: usize,
}

/// The lines of one article.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocLines {
    /// The tags file with only this article's lines left.
    pub src: Vec<u8>,
    /// Their 1-based numbers.
    pub numbers: Vec<usize>,
}

/// Sorts the lines of a tags file by their `doc`.
pub fn split_by_doc(src: &[u8]) -> FolderSplit {
    let mut out = FolderSplit::default();
    let raw_lines = split_lines(src);
    let mut owner: Vec<Option<String>> = vec![None; raw_lines.len()];
    for (i, raw) in raw_lines.iter().enumerate() {
        let line = i + 1;
        let s = match decode_line(raw, line) {
            Ok(None) => continue,
            Ok(Some(s)) => s,
            Err(p) => {
                out.lines += 1;
                out.problems.push(p);
                continue;
            }
        };
        out.lines += 1;
        match doc_of(s) {
            Ok(doc) => owner[i] = Some(doc),
            Err(why) => out.problems.push(problem(line, why.0, why.1)),
        }
    }
    let docs: std::collections::BTreeSet<&String> = owner.iter().flatten().collect();
    for doc in docs {
        let mut lines = DocLines::default();
        for (i, raw) in raw_lines.iter().enumerate() {
            if i > 0 {
                lines.src.push(b'\n');
            }
            if owner[i].as_ref() == Some(doc) {
                lines.src.extend_from_slice(raw);
                lines.numbers.push(i + 1);
            }
        }
        out.docs.insert(doc.clone(), lines);
    }
    out
}

/// The `doc` of a line, or why it has none.
fn doc_of(s: &str) -> Result<String, (TagProblemKind, String)> {
    let value: serde_json::Value = serde_json::from_str(s).map_err(|e| {
        (
            TagProblemKind::InvalidJson,
            format!("not valid JSON ({e}); left out"),
        )
    })?;
    match value.get("doc") {
        Some(serde_json::Value::String(d)) if !d.trim().is_empty() => Ok(d.clone()),
        Some(serde_json::Value::String(_)) | None => Err((
            TagProblemKind::NoDoc,
            "no \"doc\": in a tags file for a folder each line names its article; left out"
                .to_owned(),
        )),
        Some(other) => Err((
            TagProblemKind::WrongType,
            format!("doc {other} is not a path; left out"),
        )),
    }
}

/// The article `doc` names in `folder`: a relative path (either slash)
/// that does not climb out, to a file that is there. `Err` says why not,
/// for people.
pub fn article_in(folder: &Path, doc: &str) -> Result<PathBuf, String> {
    let rel = Path::new(doc);
    let plain = rel
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !plain || doc.contains('\\') {
        return Err(format!(
            "doc {} is not a path inside the folder {}",
            crate::check::excerpt(doc),
            folder.display()
        ));
    }
    let path = folder.join(rel);
    let meta = std::fs::symlink_metadata(&path).map_err(|_| {
        format!(
            "no article {} in {}",
            crate::check::excerpt(doc),
            folder.display()
        )
    })?;
    if meta.file_type().is_symlink() || !meta.is_file() {
        return Err(format!(
            "{} is not a regular file (symbolic links are not followed)",
            path.display()
        ));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_go_to_their_article_with_their_numbers() {
        let src = b"{\"doc\": \"a.txt\", \"start\": 0, \"end\": 1, \"label\": \"claim\"}\n\nnot json\n{\"doc\": \"b/c.txt\", \"start\": 0, \"end\": 1, \"label\": \"claim\"}\n{\"start\": 0}\n{\"doc\": \"a.txt\"}\n";
        let split = split_by_doc(src);
        assert_eq!(split.lines, 5);
        let kinds: Vec<(usize, TagProblemKind)> =
            split.problems.iter().map(|p| (p.line, p.kind)).collect();
        assert_eq!(
            kinds,
            [(3, TagProblemKind::InvalidJson), (5, TagProblemKind::NoDoc)]
        );
        assert_eq!(split.docs["a.txt"].numbers, [1, 6]);
        assert_eq!(split.docs["b/c.txt"].numbers, [4]);
        let a = String::from_utf8(split.docs["a.txt"].src.clone()).unwrap();
        assert_eq!(a.lines().count(), 6, "other lines blanked, numbering kept");
        assert!(a.lines().nth(1).unwrap().is_empty());
    }

    #[test]
    fn docs_cannot_leave_the_folder() {
        let dir = std::env::temp_dir().join(format!("tandai-folder-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/a.txt"), "x").unwrap();
        assert_eq!(
            article_in(&dir, "sub/a.txt").unwrap(),
            dir.join("sub/a.txt")
        );
        for bad in ["../a.txt", "/etc/passwd", "sub\\a.txt", "sub/../../x.txt"] {
            assert!(article_in(&dir, bad).is_err(), "{bad}");
        }
        assert!(
            article_in(&dir, "sub/none.txt")
                .unwrap_err()
                .contains("no article")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
