//! `tandai agree`: agreement between annotators (core: `tandai::agree`).
//!
//! Each argument is one annotator's annotation set: an annotation file (or
//! its article), or a folder walked for annotation files. Files must all
//! annotate the same article; folders are matched by the relative path of
//! their annotation files, and files not in every folder are left out and
//! named. The text output is `agree_table.rs`'s; `--json` one object.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use tandai::agree::{self, Document, Report};
use tandai::store::{self, LoadOptions, Loaded};

use super::agree_table as table;
use super::{Outcome, print_json, report_error};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Two or more annotation sets, the first the reference: annotation
    /// files (an article stands for the annotation file beside it) of one
    /// article, or folders (walked; files matched by their path inside the
    /// folder).
    #[arg(required = true, num_args = 2.., value_name = "SET")]
    paths: Vec<PathBuf>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
    /// Also each document's own figures.
    #[arg(long)]
    per_doc: bool,
    /// The annotators' names, in the order of the sets (default: the name
    /// their spans carry, else the file's or folder's name).
    #[arg(long, value_delimiter = ',', value_name = "A,B,...")]
    names: Option<Vec<String>>,
    /// Trust a `document.path` that is absolute or leaves the annotation
    /// file's folder.
    #[arg(long)]
    allow_outside: bool,
}

/// One annotator's sets, as given.
struct Source {
    /// What the argument was.
    arg: PathBuf,
    /// The file's or folder's stem (`a.tandai.ron` is `a`).
    stem: String,
}

/// The documents found: per document, its name and each annotator's
/// annotation file.
struct Plan {
    sources: Vec<Source>,
    documents: Vec<(String, Vec<PathBuf>)>,
    /// Annotation files not in every folder, with the annotators that have
    /// them.
    unmatched: Vec<(String, Vec<usize>)>,
}

pub(crate) fn run(args: &Args) -> Outcome {
    match study(args) {
        Ok(()) => Outcome::Clean,
        Err(e) => {
            report_error(&format!("{e:#}"));
            Outcome::Failed
        }
    }
}

pub(crate) fn stem_of(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .or_else(|| {
            std::path::absolute(path)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .unwrap_or_else(|| path.display().to_string());
    // A folder keeps its whole name (`ronde-1.2`).
    name.strip_suffix(store::SUFFIX)
        .map_or_else(|| name.clone(), str::to_owned)
}

/// What the arguments hold: all files (one document) or all folders.
fn plan(paths: &[PathBuf]) -> anyhow::Result<Plan> {
    let dirs = paths.iter().filter(|p| p.is_dir()).count();
    if dirs == 0 {
        let files = super::expand(paths)?;
        let sources = paths
            .iter()
            .zip(&files)
            .map(|(arg, f)| Source {
                arg: arg.clone(),
                stem: stem_of(f),
            })
            .collect();
        let name = files[0].display().to_string();
        return Ok(Plan {
            sources,
            documents: vec![(name, files)],
            unmatched: Vec::new(),
        });
    }
    if dirs < paths.len() {
        bail!("give annotation files of one article, or folders; not both");
    }
    folders(paths)
}

/// Folders matched by the relative paths of their annotation files.
fn folders(paths: &[PathBuf]) -> anyhow::Result<Plan> {
    let mut found: Vec<BTreeMap<PathBuf, PathBuf>> = Vec::new();
    for dir in paths {
        let files = tandai::walk::files(dir, &store::is_annotation_file)
            .with_context(|| dir.display().to_string())?;
        let rel = files
            .into_iter()
            .filter_map(|f| Some((f.strip_prefix(dir).ok()?.to_owned(), f)))
            .collect();
        found.push(rel);
    }
    let all: BTreeSet<&PathBuf> = found.iter().flat_map(BTreeMap::keys).collect();
    let mut documents = Vec::new();
    let mut unmatched = Vec::new();
    for rel in all {
        let have: Vec<usize> = (0..found.len())
            .filter(|&i| found[i].contains_key(rel))
            .collect();
        let name = rel.display().to_string();
        if have.len() == found.len() {
            documents.push((name, found.iter().map(|m| m[rel].clone()).collect()));
        } else {
            unmatched.push((name, have));
        }
    }
    if documents.is_empty() {
        bail!(
            "no annotation file (*.tandai.ron) is in every one of {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let sources = paths
        .iter()
        .map(|p| Source {
            arg: p.clone(),
            stem: stem_of(p),
        })
        .collect();
    Ok(Plan {
        sources,
        documents,
        unmatched,
    })
}

/// Loads one document's annotation files, side by side (one thread each),
/// and checks that they annotate the same article (the same bytes: copies
/// of one article in two folders are one article).
pub(crate) fn load(files: &[PathBuf], opts: LoadOptions) -> anyhow::Result<Vec<Loaded>> {
    let loaded: Vec<anyhow::Result<Loaded>> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .iter()
            .map(|f| (f, s.spawn(move || store::load(f, opts))))
            .collect();
        handles
            .into_iter()
            .map(|(f, h)| match h.join() {
                // The store's message names the file, line and column
                // already; its sources would repeat them.
                Ok(loaded) => loaded.map_err(|e| anyhow::anyhow!("{e}")),
                Err(_) => bail!("{}: loading failed", f.display()),
            })
            .collect()
    });
    let loaded = loaded.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
    let first = &loaded[0];
    if let Some(other) = loaded
        .iter()
        .find(|l| l.article.sha256 != first.article.sha256)
    {
        bail!(
            "{} and {} annotate different articles ({} and {})",
            first.path.display(),
            other.path.display(),
            first.article.path.display(),
            other.article.path.display()
        );
    }
    Ok(loaded)
}

pub(crate) fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The annotators' names: `--names`, else what their spans carry, else
/// their stems; made unique with the arguments as given, then a number.
fn names(args: &Args, plan: &Plan, loaded: &[Vec<Loaded>]) -> anyhow::Result<Vec<String>> {
    if let Some(given) = &args.names {
        check_given(given, plan.sources.len())?;
        return Ok(given.clone());
    }
    let carried = (0..plan.sources.len())
        .map(|i| agree::annotator_name(loaded.iter().map(|doc| &doc[i].annotations)))
        .collect();
    let stems: Vec<String> = plan.sources.iter().map(|s| s.stem.clone()).collect();
    let args: Vec<String> = (plan.sources.iter())
        .map(|s| s.arg.display().to_string())
        .collect();
    Ok(agree::unique_names(carried, &stems, &args))
}

/// `--names` must give one name per set, none twice.
pub(crate) fn check_given(given: &[String], sets: usize) -> anyhow::Result<()> {
    if given.len() != sets {
        bail!(
            "--names gives {} for {} annotation sets",
            plural(given.len(), "name"),
            sets
        );
    }
    if let Some((i, n)) = (given.iter().enumerate()).find(|(i, n)| given[..*i].contains(n)) {
        bail!("--names gives {n:?} twice (name {})", i + 1);
    }
    Ok(())
}

fn study(args: &Args) -> anyhow::Result<()> {
    let plan = plan(&args.paths)?;
    let opts = LoadOptions {
        allow_outside: args.allow_outside,
    };
    let loaded: Vec<Vec<Loaded>> = (plan.documents.iter())
        .map(|(_, files)| load(files, opts))
        .collect::<anyhow::Result<_>>()?;
    let names = names(args, &plan, &loaded)?;
    let documents: Vec<Document<'_>> = (plan.documents.iter().zip(&loaded))
        .map(|((name, _), sets)| Document {
            name: name.clone(),
            chars: sets[0].article.text.len_chars(),
            annotations: sets.iter().map(|l| &l.annotations).collect(),
        })
        .collect();
    let report = agree::agree(&names, &documents)?;
    let each = if args.per_doc {
        agree::agree_each(&names, &documents)?
    } else {
        Vec::new()
    };
    for (file, have) in &plan.unmatched {
        let who: Vec<&str> = have.iter().map(|&i| names[i].as_str()).collect();
        report_error(&format!(
            "note: {file} is left out: not in every set (only in {})",
            who.join(", ")
        ));
    }
    if args.json {
        print_json(&json_report(&plan, &names, &report, &documents, &each));
    } else {
        table::print(&report, &documents, &each);
    }
    Ok(())
}

fn json_report(
    plan: &Plan,
    names: &[String],
    report: &Report,
    documents: &[Document<'_>],
    each: &[Report],
) -> Value {
    let mut out = report.to_json();
    if let Value::Object(m) = &mut out {
        let sets: Vec<Value> = (names.iter().zip(&plan.sources))
            .map(|(n, s)| json!({"name": n, "path": s.arg.display().to_string()}))
            .collect();
        m.insert("sets".into(), Value::Array(sets));
        let unmatched: Vec<Value> = (plan.unmatched.iter())
            .map(|(file, have)| {
                let who: Vec<&str> = have.iter().map(|&i| names[i].as_str()).collect();
                json!({"file": file, "annotators": who})
            })
            .collect();
        m.insert("unmatched".into(), Value::Array(unmatched));
        if !each.is_empty() {
            let per: Vec<Value> = (documents.iter().zip(each))
                .map(|(d, r)| {
                    let mut v = r.to_json();
                    if let Value::Object(m) = &mut v {
                        m.insert("document".into(), json!(d.name));
                    }
                    v
                })
                .collect();
            m.insert("per_document".into(), Value::Array(per));
        }
    }
    out
}
