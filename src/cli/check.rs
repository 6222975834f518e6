//! `tandai check`: validate annotation files, optionally repair them.

use std::path::PathBuf;

use serde::Serialize;
use tandai::check::{Finding, check};
use tandai::store;

use super::{Loading, Outcome, annotation_files, print_json, report_error, say};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Annotation files (`NAME.tandai.ron`), articles (their annotation file
    /// beside them is checked) or folders (walked).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Write the repaired file (re-anchored spans, fresh ids for duplicates)
    /// atomically; orphans are kept and still reported.
    #[arg(long)]
    fix: bool,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    loading: Loading,
}

#[derive(Debug, Serialize)]
struct FileReport {
    file: String,
    spans: usize,
    relocated: usize,
    orphans: usize,
    fixed: bool,
    errors: Vec<Finding>,
}

#[derive(Debug, Serialize)]
struct JsonError {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(flatten)]
    finding: Finding,
}

#[derive(Debug, Serialize)]
struct Report {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    spans: usize,
    relocated: usize,
    orphans: usize,
    errors: Vec<serde_json::Value>,
    files: Vec<FileReport>,
}

fn check_one(path: &std::path::Path, args: &Args) -> anyhow::Result<FileReport> {
    let schema = args.loading.schema(path)?;
    let labels: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
    let findings_of = |l: &store::Loaded| {
        let mut findings = l.findings.clone();
        findings.extend(check(&l.annotations, &schema));
        findings
    };
    // Only a file with something to repair is rewritten: a valid
    // hand-written file keeps its own layout. The repair is the loading
    // itself, so done again if another writer saved meanwhile.
    let done = store::modify(
        || Ok::<_, anyhow::Error>(args.loading.load(path)?),
        &labels,
        |l| {
            let findings = findings_of(l);
            let fix = args.fix && findings.iter().any(|f| f.kind.fixable());
            Ok((findings, fix))
        },
    )?;
    let loaded = &done.loaded;
    let mut findings = done.value;
    if done.written {
        // What is left is what the saved file still has.
        findings = findings_of(&args.loading.load(path)?);
    }
    Ok(FileReport {
        file: path.display().to_string(),
        spans: loaded.annotations.span_count(),
        relocated: loaded.relocated(),
        orphans: loaded.orphans(),
        fixed: done.written,
        errors: findings,
    })
}

pub(crate) fn run(args: &Args) -> Outcome {
    let Some(files) = annotation_files(&args.paths, args.json) else {
        return Outcome::Failed;
    };
    let mut outcome = Outcome::Clean;
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    for f in &files {
        match check_one(f, args) {
            Ok(r) => {
                if !r.errors.is_empty() {
                    outcome = outcome.max(Outcome::Findings);
                }
                reports.push(r);
            }
            Err(e) => {
                report_error(&e);
                failures.push((f.display().to_string(), e.to_string()));
                outcome = Outcome::Failed;
            }
        }
    }
    if args.json {
        print_report(&files, reports, failures);
    } else {
        print_text(&reports);
    }
    outcome
}

fn print_text(reports: &[FileReport]) {
    for r in reports {
        for f in &r.errors {
            say(&format!("{}: {f}", r.file));
        }
        let mut line = format!(
            "{}: {} spans, {} relocated, {} orphans, {} findings",
            r.file,
            r.spans,
            r.relocated,
            r.orphans,
            r.errors.len()
        );
        if r.fixed {
            line.push_str("; fixed and saved");
        }
        say(&line);
    }
}

fn print_report(files: &[PathBuf], reports: Vec<FileReport>, failures: Vec<(String, String)>) {
    let mut errors = Vec::new();
    for r in &reports {
        for f in &r.errors {
            let e = JsonError {
                file: Some(r.file.clone()),
                finding: f.clone(),
            };
            errors.push(serde_json::to_value(e).unwrap_or_default());
        }
    }
    for (file, message) in failures {
        errors.push(serde_json::json!({"file": file, "kind": "unreadable", "message": message}));
    }
    let report = Report {
        file: (files.len() == 1).then(|| files[0].display().to_string()),
        spans: reports.iter().map(|r| r.spans).sum(),
        relocated: reports.iter().map(|r| r.relocated).sum(),
        orphans: reports.iter().map(|r| r.orphans).sum(),
        errors,
        files: reports,
    };
    print_json(&report);
}
