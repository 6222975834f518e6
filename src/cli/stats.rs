//! `tandai stats`: counts per label, link kind and review status, each
//! document's state, and with `--review` the models' scorecard.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;
use tandai::format::RawFile;
use tandai::model::{DocState, Span, Status};
use tandai::review::{Scorecard, Tally};
use tandai::stats::Counts;
use tandai::{store, walk};

use super::{Outcome, print_json, report_error, say};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Annotation files, articles or folders (walked for `*.tandai.ron`;
    /// articles `*.txt` there without an annotation file are listed as not
    /// started).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
    /// The review scorecard instead: per model and per label the model
    /// gave, accepted, corrected (label / boundary / both), rejected and
    /// pending spans, and precision (accepted / decided) with its 95%
    /// Wilson interval.
    #[arg(long)]
    review: bool,
}

#[derive(Debug, Serialize)]
struct FileCounts {
    file: String,
    /// `not_started`, `in_progress` or `done`.
    state: &'static str,
    /// Machine spans waiting for review.
    pending: usize,
    /// Whether the document has an annotation file.
    annotated: bool,
    #[serde(flatten)]
    counts: Counts,
}

#[derive(Debug, Serialize)]
struct Report {
    files: Vec<FileCounts>,
    /// Documents per state.
    states: BTreeMap<&'static str, usize>,
    total: Counts,
}

fn pending_of(raw: &RawFile) -> usize {
    raw.spans
        .iter()
        .filter(|s| s.origin.is_machine() && matches!(s.status, None | Some(Status::Pending)))
        .count()
}

/// Lexical form of a path (`.` removed, `..` resolved), to compare the
/// articles annotation files name with the articles found in folders.
fn lexical(p: &Path) -> PathBuf {
    let p = std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// What the paths hold: annotation files, and articles found in walked
/// folders (which are only listed if no annotation file is theirs).
fn expand(paths: &[PathBuf]) -> anyhow::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut annotations = Vec::new();
    let mut articles = Vec::new();
    for p in paths {
        if p.is_dir() {
            let wanted = |f: &Path| store::is_annotation_file(f) || walk::is_article(f);
            let found =
                walk::files(p, &wanted).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            for f in found {
                if store::is_annotation_file(&f) {
                    annotations.push(f);
                } else {
                    articles.push(f);
                }
            }
        } else {
            annotations.extend(super::expand(std::slice::from_ref(p))?);
        }
    }
    if annotations.is_empty() && articles.is_empty() {
        anyhow::bail!(
            "no annotation files (*.tandai.ron) or articles (*.txt) found in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok((annotations, articles))
}

fn breakdown<'a>(m: impl IntoIterator<Item = (&'a String, &'a usize)>) -> String {
    let mut s = String::new();
    for (k, v) in m {
        if !s.is_empty() {
            s.push_str(", ");
        }
        let _ = write!(s, "{} {v}", tandai::escape::value(k));
    }
    s
}

fn line(name: &str, state: Option<DocState>, c: &Counts) -> String {
    let mut s = match state {
        Some(st) => format!("{name}: {}, {} spans", st.name(), c.spans),
        None => format!("{name}: {} spans", c.spans),
    };
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

pub(crate) fn run(args: &Args) -> Outcome {
    let (annotations, articles) = match expand(&args.paths) {
        Ok(found) => found,
        Err(e) => {
            report_error(&e);
            if args.json {
                print_json(&serde_json::json!({
                    "files": [],
                    "errors": [{"kind": "unreadable", "message": e.to_string()}],
                }));
            }
            return Outcome::Failed;
        }
    };
    let mut outcome = Outcome::Clean;
    let mut raws = Vec::new();
    for f in &annotations {
        match store::read_raw(f) {
            Ok((raw, _)) => raws.push((f, raw)),
            Err(e) => {
                // Every store error names the file.
                report_error(&e);
                outcome = Outcome::Failed;
            }
        }
    }
    if args.review {
        review(&raws, args.json);
    } else {
        counts(&raws, &articles, args.json);
    }
    outcome
}

/// The articles that have no annotation file: none beside them and none
/// naming them.
fn bare_articles(raws: &[(&PathBuf, RawFile)], articles: &[PathBuf]) -> Vec<PathBuf> {
    let named: BTreeSet<PathBuf> = raws
        .iter()
        .filter_map(|(f, raw)| store::resolve_document(f, &raw.document.path, true).ok())
        .map(|p| lexical(&p))
        .collect();
    articles
        .iter()
        .filter(|a| !store::annotation_path_for(a).exists() && !named.contains(&lexical(a)))
        .cloned()
        .collect()
}

fn counts(raws: &[(&PathBuf, RawFile)], articles: &[PathBuf], json: bool) {
    let mut per_file = Vec::new();
    let mut total = Counts::default();
    for (f, raw) in raws {
        let c = Counts::of_file(raw);
        total.add(&c);
        per_file.push(FileCounts {
            file: f.display().to_string(),
            state: DocState::of(raw.spans.len(), raw.done).key(),
            pending: pending_of(raw),
            annotated: true,
            counts: c,
        });
    }
    for a in bare_articles(raws, articles) {
        per_file.push(FileCounts {
            file: a.display().to_string(),
            state: DocState::NotStarted.key(),
            pending: 0,
            annotated: false,
            counts: Counts::default(),
        });
    }
    per_file.sort_by(|a, b| a.file.cmp(&b.file));
    let mut states: BTreeMap<&'static str, usize> =
        DocState::ALL.iter().map(|s| (s.key(), 0)).collect();
    for fc in &per_file {
        *states.entry(fc.state).or_default() += 1;
    }
    if json {
        print_json(&Report {
            files: per_file,
            states,
            total,
        });
    } else {
        for fc in &per_file {
            if fc.annotated {
                let state = DocState::ALL.into_iter().find(|s| s.key() == fc.state);
                say(&line(&fc.file, state, &fc.counts));
            } else {
                say(&format!("{}: not started, no annotation file", fc.file));
            }
        }
        say(&line(
            &format!("total ({} files)", total.files),
            None,
            &total,
        ));
        say(&format!(
            "documents: {}",
            DocState::ALL
                .iter()
                .map(|s| format!("{} {}", states[s.key()], s.name()))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
}

/// A tally as JSON: its counts and what follows from them.
#[derive(Debug, Serialize)]
struct TallyJson {
    #[serde(flatten)]
    tally: Tally,
    corrected: usize,
    decided: usize,
    precision: Option<f64>,
    /// 95% Wilson score interval of the precision.
    wilson95: Option<[f64; 2]>,
}

impl From<Tally> for TallyJson {
    fn from(t: Tally) -> Self {
        TallyJson {
            tally: t,
            corrected: t.corrected(),
            decided: t.decided(),
            precision: t.precision(),
            wilson95: t.wilson95().map(|(lo, hi)| [lo, hi]),
        }
    }
}

#[derive(Debug, Serialize)]
struct ModelRow {
    model: String,
    #[serde(flatten)]
    tally: TallyJson,
}

#[derive(Debug, Serialize)]
struct LabelRow {
    model: String,
    label: String,
    #[serde(flatten)]
    tally: TallyJson,
}

#[derive(Debug, Serialize)]
struct ReviewReport {
    files: usize,
    models: Vec<ModelRow>,
    labels: Vec<LabelRow>,
    total: TallyJson,
}

/// Appends `cell` padded with spaces to `width` characters (on the right
/// if `left`, else on the left), then the gap to the next column. Padding
/// by hand: `format!`'s width is limited to 65,535, and a cell may be any
/// length.
fn pad(out: &mut String, cell: &str, width: usize, left: bool) {
    let fill = " ".repeat(width.saturating_sub(cell.chars().count()));
    if left {
        out.push_str(cell);
        out.push_str(&fill);
    } else {
        out.push_str(&fill);
        out.push_str(cell);
    }
    out.push_str("  ");
}

fn precision_text(t: &Tally) -> String {
    match (t.precision(), t.wilson95()) {
        (Some(p), Some((lo, hi))) => format!("{p:.2} [{lo:.2}, {hi:.2}]"),
        _ => "-".to_owned(),
    }
}

fn review(raws: &[(&PathBuf, RawFile)], json: bool) {
    let mut card = Scorecard::default();
    for (_, raw) in raws {
        card.files += 1;
        for r in &raw.spans {
            card.add_span(&Span::from(r.clone()));
        }
    }
    if json {
        print_json(&ReviewReport {
            files: card.files,
            models: card
                .per_model
                .iter()
                .map(|(m, t)| ModelRow {
                    model: m.clone(),
                    tally: (*t).into(),
                })
                .collect(),
            labels: card
                .per_label
                .iter()
                .map(|((m, l), t)| LabelRow {
                    model: m.clone(),
                    label: l.clone(),
                    tally: (*t).into(),
                })
                .collect(),
            total: card.total.into(),
        });
        return;
    }
    let mut table: Vec<(String, String, Tally)> = Vec::new();
    for (m, t) in &card.per_model {
        table.push((m.clone(), "(all)".to_owned(), *t));
        for ((_, l), t) in card.per_label.iter().filter(|((pm, _), _)| pm == m) {
            table.push((String::new(), l.clone(), *t));
        }
    }
    table.push((
        format!("total ({} files)", card.files),
        String::new(),
        card.total,
    ));
    let head = [
        "model",
        "label",
        "accepted",
        "corr.label",
        "corr.bound",
        "corr.both",
        "rejected",
        "pending",
        "precision [95% CI]",
    ];
    let cells: Vec<[String; 9]> = table
        .iter()
        .map(|(m, l, t)| {
            [
                tandai::escape::value(m),
                tandai::escape::value(l),
                t.accepted.to_string(),
                t.corrected_label.to_string(),
                t.corrected_boundary.to_string(),
                t.corrected_both.to_string(),
                t.rejected.to_string(),
                t.pending.to_string(),
                precision_text(t),
            ]
        })
        .collect();
    let mut widths = head.map(|h| h.chars().count());
    for r in &cells {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let fmt_row = |r: &[String]| {
        let mut s = String::new();
        for (i, (c, w)) in r.iter().zip(widths).enumerate() {
            pad(&mut s, c, w, i < 2);
        }
        s.trim_end().to_owned()
    };
    say(&fmt_row(&head.map(str::to_owned)));
    for r in &cells {
        say(&fmt_row(r));
    }
    say("precision = accepted / (accepted + corrected + rejected)");
}
