//! `tandai stats`: counts per label, link kind and review status.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tandai::stats::Counts;
use tandai::store::{self, StoreError};

use super::{Outcome, annotation_files, print_json, report_error};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Annotation files, articles or folders (walked for `*.tandai.ron`).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct FileCounts {
    file: String,
    #[serde(flatten)]
    counts: Counts,
}

#[derive(Debug, Serialize)]
struct Report {
    files: Vec<FileCounts>,
    total: Counts,
}

fn count(path: &Path) -> Result<Counts, StoreError> {
    let (raw, _) = store::read_raw(path)?;
    Ok(Counts::of_file(&raw))
}

fn breakdown<'a>(m: impl IntoIterator<Item = (&'a String, &'a usize)>) -> String {
    let mut s = String::new();
    for (k, v) in m {
        if !s.is_empty() {
            s.push_str(", ");
        }
        let _ = write!(s, "{k} {v}");
    }
    s
}

fn line(name: &str, c: &Counts) -> String {
    let mut s = format!("{name}: {} spans", c.spans);
    if !c.labels.is_empty() {
        let _ = write!(s, " ({})", breakdown(&c.labels));
    }
    let _ = write!(s, ", {} links", c.links);
    if !c.link_kinds.is_empty() {
        let _ = write!(s, " ({})", breakdown(&c.link_kinds));
    }
    let _ = write!(s, ", {} human, {} machine", c.human, c.machine);
    if c.machine > 0 {
        let _ = write!(
            s,
            " ({})",
            breakdown(c.statuses.iter().filter(|(_, v)| **v > 0))
        );
    }
    if c.orphans > 0 {
        let _ = write!(s, ", {} orphans", c.orphans);
    }
    s
}

#[allow(clippy::print_stdout)]
pub(crate) fn run(args: &Args) -> Outcome {
    let Some(files) = annotation_files(&args.paths, args.json) else {
        return Outcome::Failed;
    };
    let mut outcome = Outcome::Clean;
    let mut per_file = Vec::new();
    let mut total = Counts::default();
    for f in &files {
        match count(f) {
            Ok(c) => {
                total.add(&c);
                per_file.push(FileCounts {
                    file: f.display().to_string(),
                    counts: c,
                });
            }
            Err(e) => {
                // Every store error names the file.
                report_error(&e);
                outcome = Outcome::Failed;
            }
        }
    }
    if args.json {
        let report = Report {
            files: per_file,
            total,
        };
        print_json(&report);
    } else {
        for fc in &per_file {
            println!("{}", line(&fc.file, &fc.counts));
        }
        println!(
            "{}",
            line(&format!("total ({} files)", total.files), &total)
        );
    }
    outcome
}
