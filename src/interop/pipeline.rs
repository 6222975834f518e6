//! What imports and exports share over files and folders: finding the
//! inputs, reading them, and writing without overwriting.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{InteropError, ProblemKind, Report, Warnings};
use crate::document;
use crate::store;

/// Largest input file read (a Label Studio export of a whole project).
const MAX_INPUT_BYTES: u64 = store::MAX_INPUT_BYTES;

/// An input file and the folder it was found in (the folder the user named,
/// or the file's own folder), whose layout an output folder mirrors.
pub(super) struct Input {
    pub(super) path: PathBuf,
    pub(super) root: PathBuf,
}

impl Input {
    /// The input's folder below its root (`""` for a file named directly).
    pub(super) fn subdir(&self) -> PathBuf {
        self.path
            .parent()
            .and_then(|p| p.strip_prefix(&self.root).ok())
            .map(Path::to_owned)
            .unwrap_or_default()
    }

    pub(super) fn folder(&self) -> PathBuf {
        self.path.parent().map(Path::to_owned).unwrap_or_default()
    }
}

/// Files under the paths given: files as they are (through `file`, which
/// may turn an article into its annotation file), folders walked for names
/// `wanted` accepts ([`crate::walk`]'s policy, sorted).
pub(super) fn find_inputs(
    paths: &[PathBuf],
    wanted: &dyn Fn(&Path) -> bool,
    file: &dyn Fn(&Path) -> PathBuf,
) -> Result<Vec<Input>, InteropError> {
    let mut out = Vec::new();
    for p in paths {
        let err = |source| InteropError::Input {
            path: p.clone(),
            source,
        };
        let meta = std::fs::metadata(p).map_err(err)?;
        if meta.is_dir() {
            out.extend(
                crate::walk::files(p, wanted)
                    .map_err(err)?
                    .into_iter()
                    .map(|path| Input {
                        path,
                        root: p.clone(),
                    }),
            );
        } else {
            let path = file(p);
            let root = path.parent().map(Path::to_owned).unwrap_or_default();
            out.push(Input { path, root });
        }
    }
    Ok(out)
}

/// The `annotation.conf` a document came with from brat: in its
/// annotation file's folder or the nearest folder above it, up to the
/// folder given (as brat looks for it).
pub(super) fn brat_conf_of(input: &Input) -> Option<PathBuf> {
    let root = std::path::absolute(&input.root).ok()?;
    let mut dir = std::path::absolute(input.folder()).ok()?;
    loop {
        let conf = dir.join("annotation.conf");
        if conf.is_file() {
            return Some(conf);
        }
        if dir == root || !dir.pop() || !dir.starts_with(&root) {
            return None;
        }
    }
}

pub(super) fn has_extension(p: &Path, exts: &[&str]) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

pub(super) fn read_input(path: &Path) -> Result<String, String> {
    let bytes = document::read_bounded(path, MAX_INPUT_BYTES).map_err(|e| e.to_string())?;
    document::utf8(path, bytes).map_err(|e| e.to_string())
}

/// Whether two paths name the same existing file.
pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// What writing one file would do.
pub(super) enum Plan {
    /// The file holds these bytes already.
    Same,
    /// Write it.
    Write,
    /// It exists and differs; not without `--force`.
    Refuse,
}

pub(super) fn plan(path: &Path, bytes: &[u8], force: bool) -> Plan {
    // Never a plain read: an output path that is a FIFO would hang it.
    match document::read_regular(path, store::MAX_INPUT_BYTES) {
        Ok(old) if old == bytes => Plan::Same,
        Ok(_) if !force => Plan::Refuse,
        Ok(_) => Plan::Write,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Plan::Write,
        Err(_) if force => Plan::Write,
        Err(_) => Plan::Refuse,
    }
}

pub(super) fn refuse(w: &mut Warnings, path: &Path, what: &str) {
    w.problem(
        ProblemKind::Exists,
        None,
        format!(
            "{} exists and differs; not overwritten (pass --force to replace it){what}",
            path.display()
        ),
    );
}

/// Writes `bytes` to `path` atomically as planned; records the outcome.
pub(super) fn write_planned(path: &Path, bytes: &[u8], plan: &Plan, report: &mut Report) {
    match plan {
        Plan::Same => report.unchanged.push(path.to_owned()),
        Plan::Refuse => refuse(&mut report.warnings, path, ""),
        Plan::Write => {
            if let Some(dir) = path.parent()
                && let Err(e) = std::fs::create_dir_all(dir)
            {
                report.warnings.problem(
                    ProblemKind::Io,
                    None,
                    format!("{}: cannot create the folder: {e}", dir.display()),
                );
                return;
            }
            match store::write_atomic(path, bytes) {
                Ok(()) => report.written.push(path.to_owned()),
                Err(e) => report.warnings.problem(
                    ProblemKind::Io,
                    None,
                    format!("{}: cannot write: {e}", path.display()),
                ),
            }
        }
    }
}

/// A path not yet taken in this run: `NAME.EXT`, else `NAME-2.EXT`, ...
pub(super) fn untaken(path: PathBuf, taken: &mut HashSet<PathBuf>, w: &mut Warnings) -> PathBuf {
    if taken.insert(path.clone()) {
        return path;
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    for n in 2.. {
        let candidate = path.with_file_name(format!("{stem}-{n}{ext}"));
        if taken.insert(candidate.clone()) {
            w.problem(
                ProblemKind::NameClash,
                None,
                format!(
                    "two documents would be written as {}; this one is {}",
                    path.display(),
                    candidate.display()
                ),
            );
            return candidate;
        }
    }
    path
}

/// The paths given, for messages.
pub(super) fn paths_list(paths: &[PathBuf]) -> String {
    let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    list.join(", ")
}
