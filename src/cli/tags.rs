//! `tandai import --format tags TAGS.jsonl --into ARTICLE.tandai.ron`: a
//! model's tags added to one annotation file as pending machine spans.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tandai::edit::apply_all;
use tandai::interop::tags::{self, InputReport, TagProblem};
use tandai::schema::Schema;
use tandai::store::{self, LoadOptions, Loaded};

use super::{Outcome, print_json, report_error, tell};

/// What `import` passes on for `--format tags`.
pub(crate) struct Options<'a> {
    pub(crate) inputs: &'a [PathBuf],
    pub(crate) into: &'a Path,
    pub(crate) schema: Option<&'a Path>,
    pub(crate) allow_outside: bool,
    pub(crate) json: bool,
}

#[derive(Debug, Serialize)]
struct JsonProblem<'a> {
    file: String,
    #[serde(flatten)]
    problem: &'a TagProblem,
}

#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    file: String,
    written: bool,
    added: usize,
    duplicates: usize,
    links_added: usize,
    duplicate_links: usize,
    other_documents: usize,
    bad_lines: usize,
    problems: Vec<JsonProblem<'a>>,
    inputs: &'a [InputReport],
}

/// Loads the annotation file `into` names, or starts an empty one for its
/// article: `into` may be an annotation file that does not exist yet (its
/// article `NAME.txt` beside it is used) or the article itself.
fn open_target(into: &Path, opts: LoadOptions) -> anyhow::Result<Loaded> {
    if store::is_annotation_file(into) && !into.exists() {
        let name = into
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = name.strip_suffix(store::SUFFIX).unwrap_or(&name);
        let article = into.with_file_name(format!("{stem}.txt"));
        if !article.is_file() {
            anyhow::bail!(
                "{}: no such annotation file, and no article {} beside it to start one for",
                into.display(),
                article.display()
            );
        }
        return Ok(store::open(&article, opts)?);
    }
    Ok(store::open(into, opts)?)
}

/// Adds the tags of every source to `loaded`; says whether any was new.
fn add_tags(
    loaded: &mut Loaded,
    schema: &Schema,
    sources: &[(&PathBuf, Vec<u8>)],
) -> anyhow::Result<(Vec<InputReport>, bool)> {
    let mut reports = Vec::new();
    let mut changed = false;
    for (input, bytes) in sources {
        let is_this = tags::doc_matcher(input, &loaded.article.path);
        let imp = tags::import_tags(
            &loaded.annotations,
            &loaded.article.text,
            schema,
            bytes,
            &is_this,
        );
        changed |= !imp.edits.is_empty();
        apply_all(&mut loaded.annotations, &loaded.article.text, imp.edits)
            .map_err(|e| anyhow::anyhow!("{}: cannot add the tags: {e}", input.display()))?;
        reports.push(InputReport {
            input: input.display().to_string(),
            bad_lines: imp.report.bad_lines(),
            report: imp.report,
        });
    }
    Ok((reports, changed))
}

pub(crate) fn run(o: &Options<'_>) -> Outcome {
    match import(o) {
        Ok(outcome) => outcome,
        Err(e) => {
            report_error(&e);
            Outcome::Failed
        }
    }
}

fn import(o: &Options<'_>) -> anyhow::Result<Outcome> {
    if o.into.is_dir() {
        return super::tags_folder::import(o);
    }
    let opts = LoadOptions {
        allow_outside: o.allow_outside,
    };
    // Where the tags go: `open` loads or starts this annotation file.
    let ann_path = if store::is_annotation_file(o.into) {
        o.into.to_owned()
    } else {
        store::annotation_path_for(o.into)
    };
    let (schema, _) = Schema::discover(&ann_path, o.schema)?;
    let labels: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
    // Read every input first: an unreadable one stops the run before
    // anything is written.
    let mut sources = Vec::new();
    for input in o.inputs {
        sources.push((input, tags::read_tags_file(input)?));
    }
    // If another writer saves meanwhile, the tags are added again to its
    // file (those already there count as duplicates), so both land.
    let done = store::modify(
        || open_target(o.into, opts),
        &labels,
        |loaded| add_tags(loaded, &schema, &sources),
    )?;
    let (reports, changed) = (done.value, done.written);

    let file = done.loaded.path.display().to_string();
    let problems = reports.iter().any(|r| !r.report.problems.is_empty());
    if o.json {
        let sum = |f: fn(&InputReport) -> usize| reports.iter().map(f).sum::<usize>();
        let report = JsonReport {
            file,
            written: changed,
            added: sum(|r| r.report.added),
            duplicates: sum(|r| r.report.duplicates),
            links_added: sum(|r| r.report.links_added),
            duplicate_links: sum(|r| r.report.duplicate_links),
            other_documents: sum(|r| r.report.other_documents),
            bad_lines: sum(|r| r.bad_lines),
            problems: reports
                .iter()
                .flat_map(|r| {
                    r.report.problems.iter().map(|p| JsonProblem {
                        file: r.input.clone(),
                        problem: p,
                    })
                })
                .collect(),
            inputs: &reports,
        };
        print_json(&report);
    } else {
        for r in &reports {
            for p in &r.report.problems {
                report_error(&format!("{}:{}: {}", r.input, p.line, p.message));
            }
        }
        for r in &reports {
            tell(&format!("{} -> {file}: {}", r.input, r.report.summary()));
        }
        if !changed {
            tell(&format!("{file}: unchanged"));
        }
    }
    Ok(if problems {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
