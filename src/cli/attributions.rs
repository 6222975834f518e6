//! `tandai attributions`: who said what, as a table (CSV, JSON Lines or
//! Markdown), or per entity with `--by-entity`.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use tandai::attrib::{self, Input, Row, Table, group::Group, output};
use tandai::escape::visible;
use tandai::store::{self, LoadOptions};

use super::{Outcome, report_error, tell};

/// What to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum TableFormat {
    /// Comma-separated values (RFC 4180), with a header row.
    Csv,
    /// One JSON object a line.
    Jsonl,
    /// A Markdown table, for people.
    Md,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Annotation files, articles (the annotation file beside them) or
    /// folders (walked for *.tandai.ron).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The output format.
    #[arg(long, short, value_enum, default_value = "csv")]
    format: TableFormat,
    /// Write to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Overwrite FILE if it exists.
    #[arg(long)]
    force: bool,
    /// Per entity (or, for sources without one, per source text): how many
    /// claims and denials, in how many articles.
    #[arg(long)]
    by_entity: bool,
    /// Trust a `document.path` outside the annotation file's folder.
    #[arg(long)]
    allow_outside: bool,
}

fn inputs(paths: &[PathBuf]) -> anyhow::Result<Vec<Input>> {
    let mut out = Vec::new();
    for p in paths {
        let root = p.is_dir().then(|| p.clone());
        for file in super::expand(std::slice::from_ref(p))? {
            out.push(Input {
                file,
                root: root.clone(),
            });
        }
    }
    if out.is_empty() {
        return Err(super::no_annotation_files(paths));
    }
    Ok(out)
}

/// Every text of the rows shown as `escape::visible` shows it, for a
/// terminal.
fn visible_rows(rows: &mut [Row]) {
    let clean = |s: &mut String| {
        if let std::borrow::Cow::Owned(v) = visible(s) {
            *s = v;
        }
    };
    for r in rows {
        clean(&mut r.doc);
        clean(&mut r.kind);
        clean(&mut r.content.text);
        if let Some(s) = &mut r.source {
            clean(&mut s.span.text);
            if let Some(e) = &mut s.entity {
                clean(&mut e.name);
                if let Some(role) = &mut e.role {
                    clean(role);
                }
            }
        }
        if let Some(c) = &mut r.cue {
            clean(&mut c.text);
        }
        for d in &mut r.denies {
            clean(&mut d.text);
        }
        for s in [&mut r.annotator, &mut r.model].into_iter().flatten() {
            clean(s);
        }
    }
}

fn render(format: TableFormat, rows: &[Row], groups: Option<&[Group]>) -> String {
    match (format, groups) {
        (TableFormat::Csv, None) => output::csv(rows),
        (TableFormat::Jsonl, None) => output::jsonl(rows),
        (TableFormat::Md, None) => output::markdown(rows),
        (TableFormat::Csv, Some(g)) => output::groups_csv(g),
        (TableFormat::Jsonl, Some(g)) => output::groups_jsonl(g),
        (TableFormat::Md, Some(g)) => output::groups_markdown(g),
    }
}

/// Writes the table to `out` (atomically) or stdout.
fn write(out: Option<&Path>, text: &str) -> Result<(), String> {
    if let Some(path) = out {
        return store::write_atomic(path, text.as_bytes())
            .map_err(|e| format!("{}: cannot write: {e}", path.display()));
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to stdout: {e}"))
        }
        _ => Ok(()),
    }
}

fn summary(read: &Table, groups: Option<&[Group]>) -> Vec<String> {
    let mut lines = Vec::new();
    let s = read.skipped;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if s.orphans > 0 {
        parts.push(plural(s.orphans, "orphan span", "orphan spans"));
    }
    if s.rejected > 0 {
        parts.push(plural(
            s.rejected,
            "rejected machine span",
            "rejected machine spans",
        ));
    }
    if s.links > 0 {
        parts.push(plural(
            s.links,
            "said_by link that lacks an end",
            "said_by links that lack an end",
        ));
    }
    if let Some(last) = parts.pop() {
        let head = if parts.is_empty() {
            last
        } else {
            format!("{} and {last}", parts.join(", "))
        };
        lines.push(format!("note: left out {head}"));
    }
    let unattributed = read.rows.iter().filter(|r| r.is_unattributed()).count();
    let mut line = format!(
        "{} ({} unattributed) from {}",
        plural(read.rows.len(), "row", "rows"),
        unattributed,
        plural(read.articles, "article", "articles"),
    );
    if let Some(g) = groups {
        line = format!("{}; {line}", plural(g.len(), "group", "groups"));
    }
    lines.push(line);
    lines
}

pub(crate) fn run(args: &Args) -> Outcome {
    if let Some(out) = &args.out
        && out.exists()
        && !args.force
    {
        report_error(&format!(
            "{} exists; not overwriting it (pass --force to replace it)",
            out.display()
        ));
        return Outcome::Failed;
    }
    let inputs = match inputs(&args.paths) {
        Ok(i) => i,
        Err(e) => {
            report_error(&e);
            return Outcome::Failed;
        }
    };
    let opts = LoadOptions {
        allow_outside: args.allow_outside,
    };
    let mut read = attrib::read_files(&inputs, opts);
    for e in &read.errors {
        report_error(e);
    }
    if read.articles == 0 {
        report_error(&"no annotation file could be read; nothing written");
        return Outcome::Failed;
    }
    // Markdown escapes its cells itself; CSV and JSON Lines are exact, so
    // on a terminal their text is made visible first.
    if args.out.is_none() && args.format != TableFormat::Md && std::io::stdout().is_terminal() {
        visible_rows(&mut read.rows);
    }
    let groups = args.by_entity.then(|| attrib::group::groups(&read.rows));
    let text = render(args.format, &read.rows, groups.as_deref());
    if let Err(m) = write(args.out.as_deref(), &text) {
        report_error(&m);
        return Outcome::Failed;
    }
    for line in summary(&read, groups.as_deref()) {
        tell(&line);
    }
    if read.errors.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    }
}
