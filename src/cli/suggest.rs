//! `tandai suggest PATH... [--command CMD] [-o TAGS.jsonl]`: machine tags
//! from tandai's rules or a model run as a command, into the articles'
//! annotation files for review, or into a tags file.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use serde::Serialize;
use tandai::interop::tags::FolderImport;
use tandai::suggest::command::DEFAULT_TIMEOUT;
use tandai::suggest::pipeline::{self, Source};

use super::import::Bar;
use super::tags_folder::{outcome, tell_articles, tell_problems};
use super::{Outcome, print_json, report_error, tell};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Articles (`.txt`), annotation files, or folders (walked for `*.txt`).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// A model to run instead of the built-in rules: a shell command that
    /// reads `{"doc": …, "text": …}` lines on stdin and prints tags JSONL.
    #[arg(long, value_name = "CMD")]
    command: Option<String>,
    /// Seconds the command may run.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT.as_secs())]
    timeout: u64,
    /// Rules file for the built-in suggester (default: the nearest
    /// tandai.suggest.ron, else the built-in rules).
    #[arg(long, value_name = "FILE", conflicts_with = "command")]
    rules: Option<PathBuf>,
    /// Write the tags to this file (JSONL, with `doc`) instead of the
    /// annotation files.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Overwrite the -o file if it exists.
    #[arg(long)]
    force: bool,
    /// Print one JSON summary on stdout.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    written_to: Option<String>,
    tags: usize,
    added: usize,
    duplicates: usize,
    links_added: usize,
    bad_lines: usize,
    #[serde(flatten)]
    import: &'a FolderImport,
}

pub(crate) fn run(args: &Args) -> Outcome {
    match suggest(args) {
        Ok(o) => o,
        Err(e) => {
            report_error(&e);
            Outcome::Failed
        }
    }
}

fn suggest(args: &Args) -> anyhow::Result<Outcome> {
    if let Some(out) = &args.out
        && out.exists()
        && !args.force
    {
        anyhow::bail!(
            "{} exists; not overwritten (pass --force to replace it)",
            out.display()
        );
    }
    let targets = pipeline::targets(&args.paths)?;
    let source = match &args.command {
        Some(command) => Source::Command {
            command,
            timeout: Duration::from_secs(args.timeout),
        },
        None => Source::Builtin {
            rules: args.rules.as_deref(),
        },
    };
    let mut bar = Bar::new(&args.paths, args.json);
    let result = pipeline::suggest(&targets, source, &AtomicBool::new(false), &mut |p| {
        bar.draw(p);
    });
    bar.clear();
    let tags = result?;
    let name = args
        .command
        .as_deref()
        .map_or("tandai-rules", |_| "the command's output");
    let write = args.out.is_none();
    let done = pipeline::add(&targets, name, &tags, write, &mut |p| bar.draw(p))?;
    bar.clear();
    if let Some(out) = &args.out {
        tandai::store::write_atomic(out, &tags)?;
    }
    let count = tags
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    if args.json {
        print_json(&JsonReport {
            written_to: args.out.as_ref().map(|p| p.display().to_string()),
            tags: count,
            added: done.added(),
            duplicates: done.duplicates(),
            links_added: done.links_added(),
            bad_lines: done.bad_lines(),
            import: &done,
        });
    } else {
        tell_problems(&done);
        if let Some(out) = &args.out {
            tell(&format!(
                "{count} tags for {} articles written to {} ({} bad lines); no annotation file changed",
                targets.len(),
                out.display(),
                done.bad_lines()
            ));
        } else {
            tell_articles(&done);
        }
    }
    Ok(outcome(&done))
}
