//! Walking a folder for articles and annotation files: one policy for the
//! app's corpus, `tandai check`, `stats`, `export` and the rest, so that
//! they all see the same files.
//!
//! - Hidden names (starting with `.`: `.git`, `.hg`, save temporaries,
//!   autosaves) are skipped, files and folders alike.
//! - Build and dependency folders ([`SKIPPED_DIRS`]: `target`,
//!   `node_modules`) are skipped.
//! - A link to a folder is never followed (it could loop, or lead out).
//! - A link to a file is followed only if the file it finally names lies
//!   inside the folder walked; a link out of it (or a broken one) is
//!   skipped. A walk never reads outside the folder it was given.
//! - Articles are `.txt` files, the extension in any case (`.TXT`):
//!   [`is_article`].
//!
//! Only folders are read, never a file, so thousands of articles list at
//! once.

use std::path::{Path, PathBuf};

/// Folders never walked into, besides hidden ones: build output and
/// dependencies, which hold text files that are not articles.
pub const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

/// Whether `path` names an article: a `.txt` file, the extension in any
/// case.
pub fn is_article(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// The files below `root` that `wanted` accepts, under the policy above,
/// sorted by path. Paths start with `root` (a link is listed under its own
/// name, not its target's). An error reading a folder is returned.
pub fn files(root: &Path, wanted: &dyn Fn(&Path) -> bool) -> std::io::Result<Vec<PathBuf>> {
    let real_root = root.canonicalize()?;
    let mut out = Vec::new();
    walk(root, &real_root, wanted, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(
    dir: &Path,
    real_root: &Path,
    wanted: &dyn Fn(&Path) -> bool,
    out: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let file_name = e.file_name();
        let name = file_name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let path = e.path();
        let ty = e.file_type()?;
        if ty.is_dir() {
            if !SKIPPED_DIRS.contains(&&*name) {
                walk(&path, real_root, wanted, out)?;
            }
        } else if ty.is_file() {
            if wanted(&path) {
                out.push(path);
            }
        } else if ty.is_symlink() && wanted(&path) && links_to_file_inside(&path, real_root) {
            out.push(path);
        }
    }
    Ok(())
}

/// Whether the link `path` finally names a file inside `real_root` (a
/// canonical path).
fn links_to_file_inside(path: &Path, real_root: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|target| target.starts_with(real_root) && target.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(root: &Path, rel: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "Teks.").unwrap();
    }

    fn names(root: &Path, found: &[PathBuf]) -> Vec<String> {
        found
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn the_policy_holds() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        for rel in [
            "a.txt",
            "b.TXT",
            "notes.md",
            "sub/c.Txt",
            ".hidden.txt",
            ".git/d.txt",
            "target/e.txt",
            "sub/node_modules/f.txt",
            "sub/target/g.txt",
        ] {
            touch(r, rel);
        }
        let outside = tempfile::tempdir().unwrap();
        touch(outside.path(), "secret.txt");
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(r.join("a.txt"), r.join("in.txt")).unwrap();
            symlink("../a.txt", r.join("sub/up.txt")).unwrap();
            symlink(outside.path().join("secret.txt"), r.join("out.txt")).unwrap();
            symlink(r.join("gone.txt"), r.join("broken.txt")).unwrap();
            symlink(r, r.join("sub/loop")).unwrap();
            symlink(outside.path(), r.join("away")).unwrap();
        }
        let found = files(r, &is_article).unwrap();
        let mut want = vec!["a.txt", "b.TXT", "in.txt", "sub/c.Txt", "sub/up.txt"];
        if !cfg!(unix) {
            want.retain(|n| !["in.txt", "sub/up.txt"].contains(n));
        }
        assert_eq!(names(r, &found), want);
        assert!(files(&r.join("missing"), &is_article).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_root_reached_through_a_link_is_walked() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        touch(r, "real/a.txt");
        std::os::unix::fs::symlink(r.join("real/a.txt"), r.join("real/b.txt")).unwrap();
        std::os::unix::fs::symlink(r.join("real"), r.join("via")).unwrap();
        let found = files(&r.join("via"), &is_article).unwrap();
        assert_eq!(names(&r.join("via"), &found), ["a.txt", "b.txt"]);
    }
}
