//! `tandai suggest` without the terminal: the articles under the paths
//! given, their tags from the built-in rules or a command, and those tags
//! checked and added to the articles' annotation files (or only checked,
//! when they go to a tags file instead).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use super::command::{self, CommandError};
use super::rules::{Rules, RulesError};
use super::{builtin, tags_jsonl};
use crate::document::{Article as ArticleFile, DocumentError};
use crate::interop::Progress;
use crate::interop::tags::{
    FolderImport, FolderImportError, FolderOptions, LineProblem, TagProblem, TagProblemKind,
    import_into_article, split_by_doc,
};

/// Why suggestions could not be made or added.
#[derive(Debug, thiserror::Error)]
pub enum SuggestError {
    /// A path given cannot be read.
    #[error("{path}: {source}")]
    Input {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// No article under the paths given.
    #[error("no articles (*.txt) under {0}")]
    NoArticles(String),
    /// An article cannot be read.
    #[error(transparent)]
    Article(#[from] DocumentError),
    /// A rules file is wrong.
    #[error(transparent)]
    Rules(#[from] RulesError),
    /// The command failed.
    #[error(transparent)]
    Command(#[from] CommandError),
    /// The command printed something that is not tags.
    #[error("{command:?} printed no machine tags (JSON lines with doc, start, end and label){}", tail(.stderr))]
    NotTags {
        /// The command.
        command: String,
        /// Its last stderr lines.
        stderr: Vec<String>,
    },
    /// The tags could not be added.
    #[error(transparent)]
    Import(#[from] FolderImportError),
    /// Stopped before it finished.
    #[error("cancelled; nothing was added")]
    Cancelled,
}

fn tail(lines: &[String]) -> String {
    if lines.is_empty() {
        String::new()
    } else {
        format!("; its last error lines:\n  {}", lines.join("\n  "))
    }
}

/// An article to suggest for, and how the tags name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The article.
    pub path: PathBuf,
    /// Its path relative to the folder given (its file name when given
    /// itself), `/` between parts: the tags' `doc`.
    pub doc: String,
}

/// The articles under `paths`: files as they are (an annotation file
/// stands for its article), folders walked for `*.txt`.
pub fn targets(paths: &[PathBuf]) -> Result<Vec<Target>, SuggestError> {
    let mut out = Vec::new();
    for p in paths {
        let err = |source| SuggestError::Input {
            path: p.clone(),
            source,
        };
        if std::fs::metadata(p).map_err(err)?.is_dir() {
            for path in crate::walk::files(p, &crate::walk::is_article).map_err(err)? {
                let rel = path.strip_prefix(p).unwrap_or(&path);
                let doc = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push(Target { path, doc });
            }
        } else {
            let path = if crate::store::is_annotation_file(p) {
                crate::store::load(p, crate::store::LoadOptions::default())
                    .map_or_else(|_| p.clone(), |l| l.article.path)
            } else {
                p.clone()
            };
            let doc = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push(Target { path, doc });
        }
    }
    if out.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(SuggestError::NoArticles(names.join(", ")));
    }
    Ok(out)
}

/// Where tags come from.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// tandai's rules: `rules` if given, else each article's own
    /// `tandai.suggest.ron` or the built-in ones.
    Builtin {
        /// A rules file for every article.
        rules: Option<&'a Path>,
    },
    /// A command (from the command line or the user's settings only).
    Command {
        /// The shell command.
        command: &'a str,
        /// How long one run may take.
        timeout: Duration,
    },
}

/// Machine tags for `targets`, as tags JSONL with each line's `doc`.
pub fn suggest(
    targets: &[Target],
    source: Source<'_>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<u8>, SuggestError> {
    match source {
        Source::Builtin { rules } => {
            let mut out = String::new();
            for (i, t) in targets.iter().enumerate() {
                progress(Progress {
                    done: i,
                    total: targets.len(),
                    current: &t.path,
                });
                if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let article = ArticleFile::read(&t.path)?;
                let (rules, _) = Rules::discover(&t.path, rules)?;
                let mut tags = builtin(&article.text, &rules);
                for tag in &mut tags {
                    tag.doc = Some(t.doc.clone());
                }
                out.push_str(&tags_jsonl(&tags));
            }
            Ok(out.into_bytes())
        }
        Source::Command { command, timeout } => {
            let mut texts = Vec::with_capacity(targets.len());
            for t in targets {
                texts.push(ArticleFile::read(&t.path)?);
            }
            let inputs: Vec<command::Input> = targets
                .iter()
                .zip(&texts)
                .map(|(t, a)| command::Input {
                    doc: &t.doc,
                    text: a.text.as_str(),
                })
                .collect();
            let out = command::run(command, Path::new("."), &inputs, timeout, cancel).map_err(
                |e| match e {
                    CommandError::Cancelled { .. } => SuggestError::Cancelled,
                    e => SuggestError::Command(e),
                },
            )?;
            if !has_a_tag(&out.stdout) {
                return Err(SuggestError::NotTags {
                    command: command.to_owned(),
                    stderr: out.stderr,
                });
            }
            Ok(out.stdout)
        }
    }
}

/// Whether a command's output has at least one line shaped like a tag
/// (or none at all: a model may find nothing).
fn has_a_tag(out: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Shape {
        #[allow(dead_code)]
        doc: String,
        #[allow(dead_code)]
        start: usize,
        #[allow(dead_code)]
        end: usize,
        #[allow(dead_code)]
        label: String,
    }
    let text = String::from_utf8_lossy(out);
    let mut lines = text.lines().filter(|l| !l.trim().is_empty()).peekable();
    lines.peek().is_none() || lines.any(|l| serde_json::from_str::<Shape>(l).is_ok())
}

/// Adds (or with `write` false, only checks) the tags `src` (JSONL with
/// `doc`, named `name` in reports) to the annotation files of `targets`.
pub fn add(
    targets: &[Target],
    name: &str,
    src: &[u8],
    write: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<FolderImport, SuggestError> {
    let by_doc: BTreeMap<&str, &Target> = targets.iter().map(|t| (t.doc.as_str(), t)).collect();
    let split = split_by_doc(src);
    let mut out = FolderImport::default();
    let line_problem = |problem| LineProblem {
        file: name.to_owned(),
        problem,
    };
    out.problems
        .extend(split.problems.into_iter().map(line_problem));
    let total = split.docs.len();
    for (i, (doc, lines)) in split.docs.into_iter().enumerate() {
        let Some(t) = by_doc.get(doc.as_str()) else {
            out.problems.extend(lines.numbers.iter().map(|&line| {
                line_problem(TagProblem {
                    line,
                    kind: TagProblemKind::MissingArticle,
                    message: format!(
                        "doc {} is none of the articles given; left out",
                        crate::check::excerpt(&doc)
                    ),
                })
            }));
            continue;
        };
        progress(Progress {
            done: i,
            total,
            current: &t.path,
        });
        let parts = [(name.to_owned(), lines.src)];
        out.articles.push(import_into_article(
            &t.path,
            &parts,
            FolderOptions::default(),
            write,
        )?);
    }
    out.problems.sort_by_key(|p| p.problem.line);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_with_no_tag_shape_is_not_tags() {
        assert!(has_a_tag(b""));
        assert!(has_a_tag(
            b"\n{\"doc\": \"a.txt\", \"start\": 0, \"end\": 3, \"label\": \"claim\"}\nxx\n"
        ));
        assert!(!has_a_tag(b"Loading model...\nDone.\n"));
        assert!(!has_a_tag(b"{\"doc\": \"a.txt\"}\n"));
    }
}
