//! `tandai review`: scripted triage of machine spans by score.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tandai::edit::apply_all;
use tandai::review::{Triage, triage};
use tandai::store;

use super::{Loading, Outcome, annotation_files, print_json, report_error, say};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Annotation files, articles or folders (walked for `*.tandai.ron`).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Accept pending machine spans whose score is above this.
    #[arg(long, value_name = "SCORE")]
    accept_above: Option<f64>,
    /// Reject pending machine spans whose score is below this.
    #[arg(long, value_name = "SCORE")]
    reject_below: Option<f64>,
    /// The reviewer the decisions are recorded under (default: the
    /// `TANDAI_ANNOTATOR` environment variable, else `USER`; the app's settings
    /// are not read).
    #[arg(long, value_name = "NAME")]
    annotator: Option<String>,
    /// Say what would be decided; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    loading: Loading,
}

#[derive(Debug, Serialize)]
struct FileReport {
    file: String,
    #[serde(flatten)]
    triage: Triage,
    written: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    reviewer: String,
    dry_run: bool,
    #[serde(flatten)]
    total: Triage,
    files: Vec<FileReport>,
}

/// `--annotator`, else as [`tandai::identity::annotator`] finds it.
fn reviewer(args: &Args) -> anyhow::Result<String> {
    tandai::identity::annotator(args.annotator.as_deref()).ok_or_else(|| {
        anyhow::anyhow!("no reviewer name: pass --annotator NAME (or set TANDAI_ANNOTATOR)")
    })
}

fn thresholds(args: &Args) -> anyhow::Result<()> {
    for (flag, v) in [
        ("--accept-above", args.accept_above),
        ("--reject-below", args.reject_below),
    ] {
        if v.is_some_and(|x| !x.is_finite()) {
            anyhow::bail!("{flag} must be a number");
        }
    }
    match (args.accept_above, args.reject_below) {
        (None, None) => {
            anyhow::bail!("nothing to do: give --accept-above, --reject-below or both")
        }
        (Some(a), Some(r)) if a < r => anyhow::bail!(
            "--accept-above {a} is below --reject-below {r}: a score between them would be both accepted and rejected"
        ),
        _ => Ok(()),
    }
}

fn review_one(path: &Path, args: &Args, who: &str) -> anyhow::Result<FileReport> {
    let schema = args.loading.schema(path)?;
    let labels: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
    // Triage again on what another writer saved meanwhile, if it did.
    let done = store::modify(
        || Ok::<_, anyhow::Error>(args.loading.load(path)?),
        &labels,
        |loaded| {
            let (edits, t) = triage(
                &loaded.annotations,
                args.accept_above,
                args.reject_below,
                who,
            );
            let write = !args.dry_run && !edits.is_empty();
            if write {
                apply_all(&mut loaded.annotations, &loaded.article.text, edits)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            }
            Ok((t, write))
        },
    )?;
    Ok(FileReport {
        file: path.display().to_string(),
        triage: done.value,
        written: done.written,
    })
}

pub(crate) fn run(args: &Args) -> Outcome {
    let who = match thresholds(args).and_then(|()| reviewer(args)) {
        Ok(w) => w,
        Err(e) => {
            report_error(&e);
            return Outcome::Failed;
        }
    };
    let Some(files) = annotation_files(&args.paths, args.json) else {
        return Outcome::Failed;
    };
    let mut outcome = Outcome::Clean;
    let mut reports = Vec::new();
    let mut total = Triage::default();
    for f in &files {
        match review_one(f, args, &who) {
            Ok(r) => {
                total.accepted += r.triage.accepted;
                total.rejected += r.triage.rejected;
                total.unscored += r.triage.unscored;
                total.between += r.triage.between;
                reports.push(r);
            }
            Err(e) => {
                report_error(&e);
                outcome = Outcome::Failed;
            }
        }
    }
    if args.json {
        print_json(&Report {
            reviewer: who,
            dry_run: args.dry_run,
            total,
            files: reports,
        });
    } else {
        let verb = if args.dry_run {
            "would accept"
        } else {
            "accepted"
        };
        let verb2 = if args.dry_run { "reject" } else { "rejected" };
        for r in &reports {
            let t = &r.triage;
            say(&format!(
                "{}: {verb} {}, {verb2} {}; left pending: {} between the thresholds, {} without a score",
                r.file, t.accepted, t.rejected, t.between, t.unscored
            ));
        }
        say(&format!(
            "total ({} files, reviewer {who}): {verb} {}, {verb2} {}; left pending: {} between the thresholds, {} without a score",
            reports.len(),
            total.accepted,
            total.rejected,
            total.between,
            total.unscored
        ));
    }
    outcome
}
