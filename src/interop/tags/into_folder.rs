//! A tags file for a whole folder, imported: [`import_into_folder`] sorts
//! the lines by the article their `doc` names ([`split_by_doc`]), then adds
//! each article's tags in one read-modify-write of its annotation file
//! (made if missing), as `tandai import --format tags --into FOLDER` and the
//! app's File > Import machine tags on an open folder do.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{TagProblem, TagProblemKind, TagsReport, article_in, import_tags, split_by_doc};
use crate::document::DocumentError;
use crate::edit::{EditError, apply_all};
use crate::interop::Progress;
use crate::schema::{Schema, SchemaError};
use crate::store::{self, LoadOptions, Loaded, StoreError};

/// Why a folder import could not run (or stopped at an article).
#[derive(Debug, thiserror::Error)]
pub enum FolderImportError {
    /// A tags file could not be read.
    #[error(transparent)]
    Read(#[from] DocumentError),
    /// A schema could not be read.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// An annotation file could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The tags could not be added to an article (they contradict it).
    #[error("{path}: cannot add the tags: {source}")]
    Edit {
        /// The annotation file.
        path: PathBuf,
        /// Why.
        source: EditError,
    },
}

/// Options of a folder import.
#[derive(Clone, Copy, Debug, Default)]
pub struct FolderOptions<'a> {
    /// A schema for every article (default: each one's own).
    pub schema: Option<&'a Path>,
    /// Trust a `document.path` outside an annotation file's folder.
    pub allow_outside: bool,
    /// An article to leave out (the app imports the open one itself, as an
    /// undo step).
    pub skip: Option<&'a Path>,
}

/// One tags file's report for one article.
#[derive(Clone, Debug, Serialize)]
pub struct InputReport {
    /// The tags file.
    pub input: String,
    /// What its lines for this article did.
    #[serde(flatten)]
    pub report: TagsReport,
    /// Its lines for this article left out.
    pub bad_lines: usize,
}

/// What happened to one article.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleOutcome {
    /// The article.
    pub article: PathBuf,
    /// Its annotation file.
    pub file: String,
    /// Whether the file was written (false: nothing new).
    pub written: bool,
    /// Per tags file.
    pub inputs: Vec<InputReport>,
}

/// A problem with a line, with the tags file it is in.
#[derive(Clone, Debug, Serialize)]
pub struct LineProblem {
    /// The tags file.
    pub file: String,
    /// The line's problem.
    #[serde(flatten)]
    pub problem: TagProblem,
}

/// What a folder import did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FolderImport {
    /// The articles named, in path order.
    pub articles: Vec<ArticleOutcome>,
    /// Lines that name no article, or one that is not in the folder.
    pub problems: Vec<LineProblem>,
    /// Lines left out for the article skipped (see [`FolderOptions::skip`]).
    #[serde(skip)]
    pub skipped_lines: usize,
}

impl FolderImport {
    fn reports(&self) -> impl Iterator<Item = &InputReport> {
        self.articles.iter().flat_map(|a| &a.inputs)
    }

    /// Tags added, over every article.
    pub fn added(&self) -> usize {
        self.reports().map(|r| r.report.added).sum()
    }

    /// Tags already there, over every article.
    pub fn duplicates(&self) -> usize {
        self.reports().map(|r| r.report.duplicates).sum()
    }

    /// Links added, over every article.
    pub fn links_added(&self) -> usize {
        self.reports().map(|r| r.report.links_added).sum()
    }

    /// Lines left out, over every article and those that named none.
    pub fn bad_lines(&self) -> usize {
        self.reports().map(|r| r.bad_lines).sum::<usize>() + self.problems.len()
    }

    /// Whether any line had a problem.
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty() || self.reports().any(|r| !r.report.problems.is_empty())
    }

    /// Every problem as (tags file, problem), by file and line.
    pub fn all_problems(&self) -> Vec<(&str, &TagProblem)> {
        let mut all: Vec<(&str, &TagProblem)> = self
            .problems
            .iter()
            .map(|p| (p.file.as_str(), &p.problem))
            .collect();
        for r in self.reports() {
            all.extend(r.report.problems.iter().map(|p| (r.input.as_str(), p)));
        }
        all.sort_by_key(|(f, p)| (*f, p.line));
        all
    }

    /// One line for people.
    pub fn summary(&self) -> String {
        let written = self.articles.iter().filter(|a| a.written).count();
        format!(
            "{} articles, {written} annotation files written; {} tags added, {} already there; {} links added; {} bad lines",
            self.articles.len(),
            self.added(),
            self.duplicates(),
            self.links_added(),
            self.bad_lines()
        )
    }
}

/// Each article's share of the tags files, and the lines that name none.
type Plan = BTreeMap<PathBuf, Vec<(String, Vec<u8>)>>;

fn plan(
    folder: &Path,
    inputs: &[PathBuf],
    out: &mut FolderImport,
) -> Result<Plan, FolderImportError> {
    let mut by_article: Plan = BTreeMap::new();
    for input in inputs {
        let bytes = super::read_tags_file(input)?;
        let split = split_by_doc(&bytes);
        let file = input.display().to_string();
        out.problems
            .extend(split.problems.into_iter().map(|problem| LineProblem {
                file: file.clone(),
                problem,
            }));
        for (doc, lines) in split.docs {
            match article_in(folder, &doc) {
                Ok(article) => by_article
                    .entry(article)
                    .or_default()
                    .push((file.clone(), lines.src)),
                Err(why) => out
                    .problems
                    .extend(lines.numbers.iter().map(|&line| LineProblem {
                        file: file.clone(),
                        problem: TagProblem {
                            line,
                            kind: TagProblemKind::MissingArticle,
                            message: format!("{why}; left out"),
                        },
                    })),
            }
        }
    }
    out.problems
        .sort_by(|a, b| (&a.file, a.problem.line).cmp(&(&b.file, b.problem.line)));
    Ok(by_article)
}

/// Imports the tags files `inputs` into the articles of `folder` their
/// lines name. Every tags file is read before anything is written.
pub fn import_into_folder(
    folder: &Path,
    inputs: &[PathBuf],
    opts: FolderOptions<'_>,
    progress: &mut dyn FnMut(Progress),
) -> Result<FolderImport, FolderImportError> {
    let mut out = FolderImport::default();
    let mut by_article = plan(folder, inputs, &mut out)?;
    if let Some(skip) = opts.skip {
        let skip = std::path::absolute(skip).unwrap_or_else(|_| skip.to_owned());
        by_article.retain(|a, parts| {
            let same = std::path::absolute(a).is_ok_and(|a| a == skip);
            if same {
                out.skipped_lines += parts.len();
            }
            !same
        });
    }
    for (i, (article, parts)) in by_article.iter().enumerate() {
        progress(Progress {
            done: i,
            total: by_article.len(),
            current: article,
        });
        out.articles
            .push(import_into_article(article, parts, opts, true)?);
    }
    Ok(out)
}

/// Adds tags to one article: `parts` are (tags file name, the lines for
/// this article, others blank), all of whose lines are for it. In one
/// locked read-modify-write of its annotation file (made if missing), or,
/// without `write`, only checked (nothing changes on disk).
pub fn import_into_article(
    article: &Path,
    parts: &[(String, Vec<u8>)],
    opts: FolderOptions<'_>,
    write: bool,
) -> Result<ArticleOutcome, FolderImportError> {
    let load = LoadOptions {
        allow_outside: opts.allow_outside,
    };
    let ann_path = store::annotation_path_for(article);
    let (schema, _) = Schema::discover(&ann_path, opts.schema)?;
    let open = || store::open(article, load).map_err(FolderImportError::from);
    if !write {
        let mut loaded = open()?;
        let (inputs, _) = add(&mut loaded, &schema, parts)?;
        return Ok(ArticleOutcome {
            article: article.to_owned(),
            file: loaded.path.display().to_string(),
            written: false,
            inputs,
        });
    }
    let labels: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
    let done = store::modify(open, &labels, |loaded| add(loaded, &schema, parts))?;
    Ok(ArticleOutcome {
        article: article.to_owned(),
        file: done.loaded.path.display().to_string(),
        written: done.written,
        inputs: done.value,
    })
}

/// Adds an article's share of each tags file; says whether any tag or
/// link was new.
fn add(
    loaded: &mut Loaded,
    schema: &Schema,
    parts: &[(String, Vec<u8>)],
) -> Result<(Vec<InputReport>, bool), FolderImportError> {
    let mut reports = Vec::new();
    let mut changed = false;
    for (input, src) in parts {
        let imp = import_tags(
            &loaded.annotations,
            &loaded.article.text,
            schema,
            src,
            &|_| true,
        );
        changed |= !imp.edits.is_empty();
        apply_all(&mut loaded.annotations, &loaded.article.text, imp.edits).map_err(|source| {
            FolderImportError::Edit {
                path: loaded.path.clone(),
                source,
            }
        })?;
        reports.push(InputReport {
            input: input.clone(),
            bad_lines: imp.report.bad_lines(),
            report: imp.report,
        });
    }
    Ok((reports, changed))
}
