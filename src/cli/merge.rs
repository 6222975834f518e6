//! `tandai merge`: several annotators' files of one article into one file
//! with its disputes (core: `tandai::merge`).
//!
//! The merged file is written atomically to `-o`, with the article beside
//! it (copied there if it is not), so it opens on its own. Exit 0 when
//! nothing is disputed, 1 when disputes remain, 2 when it could not run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use tandai::agree;
use tandai::merge::{self, Annotator, Options};
use tandai::model::{Annotations, Dispute};
use tandai::store::{self, LoadOptions, Loaded};

use super::agree::{check_given, load, plural, stem_of};
use super::{Loading, Outcome, print_json, report_error, tell};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Two or more annotators' annotation files of one article (an article
    /// stands for the annotation file beside it); the first one's ids are
    /// kept.
    #[arg(required = true, num_args = 2.., value_name = "FILE")]
    paths: Vec<PathBuf>,
    /// The merged annotation file to write (`NAME.tandai.ron`), or a folder
    /// (made if missing) to write the article's annotation file in.
    #[arg(short = 'o', long = "out", required = true, value_name = "MERGED")]
    out: PathBuf,
    /// Settle every dispute for this annotator: the result is their spans
    /// and links (for scripted pipelines).
    #[arg(long, value_name = "NAME")]
    prefer: Option<String>,
    /// The annotators' names, in order (default: as `tandai agree` names
    /// them: the name their spans carry, else the file's stem).
    #[arg(long, value_delimiter = ',', value_name = "A,B,...")]
    names: Option<Vec<String>>,
    /// Replace MERGED if it exists.
    #[arg(long)]
    force: bool,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    loading: Loading,
}

pub(crate) fn run(args: &Args) -> Outcome {
    match merge_files(args) {
        Ok(open) if open > 0 => Outcome::Findings,
        Ok(_) => Outcome::Clean,
        Err(e) => {
            report_error(&format!("{e:#}"));
            Outcome::Failed
        }
    }
}

/// The annotation files, loaded (one article), with their names.
fn inputs(args: &Args) -> anyhow::Result<(Vec<Loaded>, Vec<String>)> {
    if let Some(dir) = args.paths.iter().find(|p| p.is_dir()) {
        bail!(
            "{}: a folder; give annotation files of one article (merge each article on its own)",
            dir.display()
        );
    }
    let files = super::expand(&args.paths)?;
    let loaded = load(
        &files,
        LoadOptions {
            allow_outside: args.loading.allow_outside,
        },
    )?;
    if let Some(l) = loaded
        .iter()
        .find(|l| l.annotations.open_dispute_count() > 0)
    {
        bail!(
            "{} has {} open disputes; settle them first (tandai merge takes annotators' files)",
            l.path.display(),
            l.annotations.open_dispute_count()
        );
    }
    if let Some(given) = &args.names {
        check_given(given, files.len())?;
        return Ok((loaded, given.clone()));
    }
    let carried = (loaded.iter())
        .map(|l| agree::annotator_name([&l.annotations]))
        .collect();
    let stems: Vec<String> = files.iter().map(|f| stem_of(f)).collect();
    let given: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
    let names = agree::unique_names(carried, &stems, &given);
    Ok((loaded, names))
}

/// Where the merged file goes: `-o` if it names an annotation file, else
/// the article's annotation file name in the folder `-o` names.
fn out_path(args: &Args, first: &Loaded) -> PathBuf {
    if store::is_annotation_file(&args.out) && !args.out.is_dir() {
        args.out.clone()
    } else {
        let name = store::annotation_path_for(&first.article.path);
        args.out.join(name.file_name().unwrap_or_default())
    }
}

/// Puts the article beside the merged file (a copy, unless the same bytes
/// are there already) and returns its name there and whether it copied.
fn article_beside(out: &Path, first: &Loaded) -> anyhow::Result<(String, bool)> {
    let name = first
        .article
        .path
        .file_name()
        .context("the article has no file name")?;
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create it", dir.display()))?;
    let there = dir.join(name);
    let shown = name.to_string_lossy().into_owned();
    match tandai::document::Article::read(&there) {
        Ok(a) if a.sha256 == first.article.sha256 => Ok((shown, false)),
        Ok(_) => bail!(
            "{} is another article than the one merged; write the merged file elsewhere",
            there.display()
        ),
        Err(_) if there.exists() => bail!(
            "{} exists and is not the article merged; write the merged file elsewhere",
            there.display()
        ),
        Err(_) => {
            store::write_atomic(&there, first.article.text.as_str().as_bytes())
                .with_context(|| format!("{}: cannot write the article", there.display()))?;
            Ok((shown, true))
        }
    }
}

/// Merges, writes, reports; returns how many disputes remain open.
fn merge_files(args: &Args) -> anyhow::Result<usize> {
    let (loaded, names) = inputs(args)?;
    let reference = match &args.prefer {
        None => 0,
        Some(p) => names.iter().position(|n| n == p).with_context(|| {
            format!(
                "--prefer {p:?}: not one of the annotators ({})",
                names.join(", ")
            )
        })?,
    };
    let first = &loaded[0];
    let out = out_path(args, first);
    if loaded.iter().any(|l| same_file(&l.path, &out)) {
        bail!(
            "{}: is one of the files merged; write the merged file elsewhere",
            out.display()
        );
    }
    if out.exists() && !args.force {
        bail!("{} exists; not replacing it without --force", out.display());
    }
    let sets: Vec<Annotator<'_>> = (names.iter().zip(&loaded))
        .map(|(name, l)| Annotator {
            name,
            annotations: &l.annotations,
        })
        .collect();
    let chars = first.article.text.len_chars();
    let opts = Options {
        reference,
        prefer: args.prefer.is_some(),
    };
    let mut merged = merge::merge(&sets, chars, opts)?;
    let schema = args.loading.schema(&out)?;
    let labels: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
    let (article, copied) = article_beside(&out, first)?;
    merged.annotations.document.path.clone_from(&article);
    store::save_over(&out, &merged.annotations, &labels)?;
    let open = merged.annotations.open_dispute_count();
    if args.json {
        print_json(&json_report(args, &names, &loaded, &merged, &out, copied));
    } else {
        tell_report(&names, &merged, &out, copied, args.prefer.as_deref());
    }
    Ok(open)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn counts(kinds: &[tandai::model::DisputeKind]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for k in kinds {
        *m.entry(k.name()).or_default() += 1;
    }
    m
}

fn tell_report(
    names: &[String],
    m: &merge::Merged,
    out: &Path,
    copied: bool,
    prefer: Option<&str>,
) {
    let r = &m.report;
    let kinds: Vec<String> = counts(&r.disputes)
        .into_iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    let disputed = if kinds.is_empty() {
        "no disputes".to_owned()
    } else {
        format!(
            "{} ({})",
            plural(r.disputes.len(), "dispute"),
            kinds.join(", ")
        )
    };
    tell(&format!(
        "merged {} into {}: {} and {} agreed, {disputed}",
        names.join(", "),
        out.display(),
        plural(r.agreed_spans, "span"),
        plural(r.agreed_links, "link")
    ));
    if let Some(p) = prefer {
        tell(&format!("settled every dispute for {p}"));
    }
    for d in merge::queue(&m.annotations) {
        tell(&format!("  {}", merge::describe(d, &m.annotations)));
    }
    if r.carried > 0 {
        tell(&format!(
            "note: {} spans that do not count (pending, rejected, unplaced) all had alike were carried through",
            r.carried
        ));
    }
    let left: Vec<String> = (names.iter().zip(&r.left_out))
        .filter(|(_, s)| **s != agree::Skipped::default())
        .map(|(n, s)| {
            let parts: Vec<String> = [
                (s.pending, "pending"),
                (s.rejected, "rejected"),
                (s.unplaced, "unplaced"),
                (s.links, "links"),
            ]
            .iter()
            .filter(|(k, _)| *k > 0)
            .map(|(k, what)| format!("{k} {what}"))
            .collect();
            format!("{n} {}", parts.join(", "))
        })
        .collect();
    if !left.is_empty() {
        tell(&format!(
            "note: left out (not everyone had them): {}",
            left.join("; ")
        ));
    }
    if copied {
        tell(&format!(
            "note: copied the article beside {}",
            out.display()
        ));
    }
}

fn dispute_json(d: &Dispute, ann: &Annotations) -> Value {
    let range = d.range(ann);
    let alts: Vec<Value> = (d.alternatives.iter())
        .map(|a| {
            let spans: Vec<Value> = (a.spans.iter())
                .map(|s| json!({"id": s.id.0, "label": s.label, "start": s.start, "end": s.end, "text": s.text, "note": s.note}))
                .collect();
            let links: Vec<Value> = (a.links.iter())
                .map(|l| json!({"id": l.id.0, "kind": l.kind, "from": l.from.0, "to": l.to.0}))
                .collect();
            json!({"by": a.by, "spans": spans, "links": links,
                   "summary": merge::summary(a, d.kind(), ann)})
        })
        .collect();
    json!({
        "id": d.id.0,
        "kind": d.kind().name(),
        "start": range.as_ref().map(|r| r.start),
        "end": range.as_ref().map(|r| r.end),
        "message": merge::describe(d, ann),
        "alternatives": alts,
    })
}

fn json_report(
    args: &Args,
    names: &[String],
    loaded: &[Loaded],
    m: &merge::Merged,
    out: &Path,
    copied: bool,
) -> Value {
    let r = &m.report;
    let left: serde_json::Map<String, Value> = (names.iter().zip(&r.left_out))
        .map(|(n, s)| {
            let v = json!({"pending": s.pending, "rejected": s.rejected, "unplaced": s.unplaced, "links": s.links});
            (n.clone(), v)
        })
        .collect();
    let sets: Vec<Value> = (names.iter().zip(loaded))
        .map(|(n, l)| json!({"name": n, "path": l.path.display().to_string()}))
        .collect();
    let disputes: Vec<Value> = (merge::queue(&m.annotations).into_iter())
        .map(|d| dispute_json(d, &m.annotations))
        .collect();
    json!({
        "annotators": names,
        "output": out.display().to_string(),
        "article": m.annotations.document.path,
        "article_copied": copied,
        "prefer": args.prefer,
        "agreed": {"spans": r.agreed_spans, "links": r.agreed_links},
        "carried": r.carried,
        "disputed": counts(&r.disputes),
        "open": m.annotations.open_dispute_count(),
        "disputes": disputes,
        "left_out": left,
        "sets": sets,
    })
}
