//! Command-line interface: `tandai check`, `stats`, `import`, `export`,
//! `review`, `agree`, `merge`, `merge-driver`, `git-setup`,
//! `attributions`, `suggest`.
//!
//! Exit codes: 0 clean, 1 ran fine and found problems, 2 could not run (a
//! missing file, an article that is not UTF-8, a RON syntax error). Errors go
//! to stderr as one line each; results go to stdout, as JSON with `--json`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod agree;
mod agree_table;
mod attributions;
mod check;
mod export;
mod git_setup;
mod import;
mod merge;
mod merge_driver;
mod review;
mod stats;
mod suggest;
mod tags;
mod tags_folder;

/// Label claims, sources and denials in news articles.
#[derive(Debug, Parser)]
#[command(name = "tandai", version, about, long_about = None, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Article (`.txt`) or annotation file (`.tandai.ron`) to open in the
    /// desktop app; without one, the app shows its start screen.
    paths: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate annotation files against their articles.
    ///
    /// Reports syntax errors (with line and column), offsets out of range,
    /// quotes that no longer match the article, unknown labels, dangling or
    /// ill-typed links, duplicate ids, and spans that were relocated or
    /// could not be placed (orphans). Exit 0 clean, 1 findings, 2 could not
    /// run.
    Check(check::Args),
    /// Count spans per label, links per kind and review statuses; with
    /// --review, the models' scorecard.
    ///
    /// Folders are walked for `*.tandai.ron` files (articles there without
    /// one are listed as not started); totals follow the per-file counts.
    Stats(stats::Args),
    /// Import annotations from brat, doccano, Label Studio, W3C Web
    /// Annotation or JSONL spans, or a model's tags for review.
    ///
    /// Writes NAME.tandai.ron (and NAME.txt where the input holds the text)
    /// beside each input or into --out, placed and checked as loading does;
    /// labels the schema lacks go into tandai.schema.ron. Nothing is
    /// overwritten without --force. `--format tags TAGS.jsonl --into
    /// ARTICLE.tandai.ron` adds a model's tags to that file as pending
    /// machine spans instead. Exit 0 clean, 1 converted with problems, 2
    /// could not run.
    Import(import::Args),
    /// Export annotation files to brat, doccano, Label Studio, W3C Web
    /// Annotation, CoNLL/BIO or JSONL spans.
    ///
    /// Says what the format could not carry. Nothing is overwritten without
    /// --force. Exit 0 clean, 1 converted with warnings, 2 could not run.
    Export(export::Args),
    /// Apply review decisions by score to pending machine spans.
    ///
    /// Pending machine spans scoring above --accept-above are accepted,
    /// below --reject-below rejected, by the reviewer named with
    /// --annotator; the rest stay pending. Saves atomically. Exit 0 done,
    /// 2 could not run.
    Review(review::Args),
    /// Propose claims, sources, denials and their links: tandai's own rules
    /// for Indonesian and English news, or any model run as a command.
    ///
    /// Without -o the tags go into each article's annotation file as
    /// pending machine spans for review; with -o they are written as tags
    /// JSONL and no annotation file changes. Folders are walked for
    /// `*.txt`. --command runs a shell command that reads one JSON object
    /// per article (`{"doc", "text"}`) on stdin and prints tags JSONL with
    /// `doc`. Exit 0 clean, 1 bad tag lines (the good ones added), 2 could
    /// not run (the command failed, hung or printed no tags: nothing
    /// written).
    Suggest(suggest::Args),
    /// Agreement between annotators: span P/R/F1 (exact and overlap),
    /// kappa over code points, Krippendorff's unitized alpha, and links.
    ///
    /// Each SET is one annotator's: annotation files of one article (or the
    /// articles), or folders matched by the paths of their annotation files.
    /// Only human spans and accepted or corrected machine spans count; the
    /// first set is the reference. With three or more annotators kappa is
    /// Fleiss' and P/R/F1 are the means over the pairs. Exit 0 done, 2
    /// could not run (unreadable files, different articles).
    Agree(agree::Args),
    /// Merge several annotators' files of one article into one file: what
    /// they agree on once, every other point a dispute to settle in the
    /// app.
    ///
    /// Spans on which all agree (same label and range) and links (same
    /// kind and ends) go in once, recording who agreed; everything else
    /// becomes a dispute between the alternatives, each with who proposed
    /// it. Annotators are named as `tandai agree` names them. --prefer NAME
    /// settles every dispute for NAME (the result is their spans and
    /// links). The article is copied beside MERGED if it is not there.
    /// Exit 0 nothing disputed, 1 disputes remain, 2 could not run.
    Merge(merge::Args),
    /// git's merge driver for annotation files: a three-way merge by span
    /// (installed by `tandai git-setup`).
    ///
    /// A change on one side is taken, the same change on both once,
    /// different changes to one thing become a dispute; ids both branches
    /// added are renumbered, links following. The result is written over
    /// OURS. Exit 0 clean, 1 disputes left (git reports a conflict; the
    /// file is valid and `tandai check` names them). If the article differs
    /// between the sides, says so and leaves the file to git's line merge.
    MergeDriver(merge_driver::Args),
    /// Make git merge annotation files with tandai in the repository of DIR.
    ///
    /// Adds `*.tandai.ron merge=tandai` to the repository's .gitattributes
    /// (commit it) and the driver (the absolute path of this tandai) to the
    /// repository's git config (each clone runs this once). Says what it did.
    GitSetup(git_setup::Args),
    /// Who said what: one row per `said_by` link (document, source and
    /// its entity, claim or denial, what a denial denies, cue, origin,
    /// status), and a row without a source for each claim or denial that
    /// has none.
    ///
    /// Folders are walked for `*.tandai.ron`. Offsets are code points.
    /// --by-entity counts per entity the claims and denials and the
    /// articles. Writes stdout, or --out FILE (not over an existing file
    /// without --force). Exit 0 done, 1 some files could not be read, 2
    /// could not run.
    Attributions(attributions::Args),
}

/// How a command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Outcome {
    Clean = 0,
    Findings = 1,
    Failed = 2,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        ExitCode::from(o as u8)
    }
}

pub(crate) fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Stats(args)) => stats::run(&args),
        Some(Command::Import(args)) => import::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Review(args)) => review::run(&args),
        Some(Command::Suggest(args)) => suggest::run(&args),
        Some(Command::Agree(args)) => agree::run(&args),
        Some(Command::Merge(args)) => merge::run(&args),
        Some(Command::MergeDriver(args)) => merge_driver::run(&args),
        Some(Command::GitSetup(args)) => git_setup::run(&args),
        Some(Command::Attributions(args)) => attributions::run(&args),
        None => gui(cli.paths),
    };
    outcome.into()
}

#[cfg(feature = "gui")]
fn gui(paths: Vec<PathBuf>) -> Outcome {
    for p in &paths {
        if !p.exists() {
            report_error(&format!(
                "{}: no such file (and not a command: see `tandai --help`)",
                p.display()
            ));
            return Outcome::Failed;
        }
    }
    match tandai::gui::run(paths) {
        Ok(()) => Outcome::Clean,
        Err(e) => {
            report_error(&format!("cannot start the window: {e}"));
            Outcome::Failed
        }
    }
}

#[cfg(not(feature = "gui"))]
fn gui(_paths: Vec<PathBuf>) -> Outcome {
    report_error(
        &"this build has no desktop app (built without the `gui` feature); see `tandai --help`",
    );
    Outcome::Failed
}

/// Prints one error line on stderr.
/// How annotation files are loaded: the schema they are checked and
/// written against, and whether their article may lie outside their folder.
#[derive(Debug, clap::Args)]
pub(crate) struct Loading {
    /// Schema file (default: the nearest `tandai.schema.ron` in the file's
    /// folder or above, else the built-in one): labels and links are checked
    /// against it, and its labels head a saved file's `labels`.
    #[arg(long, value_name = "FILE")]
    pub(crate) schema: Option<PathBuf>,
    /// Trust a `document.path` that is absolute or leaves the annotation
    /// file's folder.
    #[arg(long)]
    pub(crate) allow_outside: bool,
}

impl Loading {
    /// Loads `path` as these options say.
    pub(crate) fn load(
        &self,
        path: &std::path::Path,
    ) -> Result<tandai::store::Loaded, tandai::store::StoreError> {
        tandai::store::load(
            path,
            tandai::store::LoadOptions {
                allow_outside: self.allow_outside,
            },
        )
    }

    /// The schema in force for `path`.
    pub(crate) fn schema(&self, path: &std::path::Path) -> anyhow::Result<tandai::schema::Schema> {
        Ok(tandai::schema::Schema::discover(path, self.schema.as_deref())?.0)
    }
}

///
/// Every human-readable line goes through [`tandai::escape::line`]: text
/// from files (labels, names, quotes, paths) can hold escape sequences,
/// line breaks and bidi overrides, which must not reach the terminal.
pub(crate) fn report_error(err: &dyn std::fmt::Display) {
    eprintln!("tandai: {}", tandai::escape::line(&err.to_string()));
}

/// Prints one line for people on stderr, unprefixed (a `note:`, a
/// summary), escaped as [`report_error`] escapes: what import and export
/// say about their work, while stdout carries only results.
pub(crate) fn tell(line: &str) {
    eprintln!("{}", tandai::escape::line(line));
}

/// Prints one human-readable line on stdout, escaped as [`report_error`]
/// escapes.
#[allow(clippy::print_stdout)]
pub(crate) fn say(line: &str) {
    println!("{}", tandai::escape::line(line));
}

/// Prints a value as pretty JSON on stdout.
#[allow(clippy::print_stdout)]
pub(crate) fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => report_error(&e),
    }
}

/// The error for paths that hold no annotation file.
pub(crate) fn no_annotation_files(paths: &[PathBuf]) -> anyhow::Error {
    anyhow::anyhow!(
        "no annotation files (*.tandai.ron) found in {}",
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Expands the paths the user gave into annotation files: files as they are
/// (an article stands for the annotation file beside it), folders walked for
/// `*.tandai.ron` (hidden entries and symlinks skipped, sorted). Reports an
/// unusable path, or paths that hold no annotation file, on stderr (and as a
/// JSON object with `json`) and returns `None`.
pub(crate) fn annotation_files(paths: &[PathBuf], json: bool) -> Option<Vec<PathBuf>> {
    let result = expand(paths).and_then(|files| {
        if files.is_empty() {
            return Err(no_annotation_files(paths));
        }
        Ok(files)
    });
    match result {
        Ok(files) => Some(files),
        Err(e) => {
            report_error(&e);
            if json {
                print_json(&serde_json::json!({
                    "files": [],
                    "errors": [{"kind": "unreadable", "message": e.to_string()}],
                }));
            }
            None
        }
    }
}

pub(crate) fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
        if meta.is_dir() {
            let found = tandai::walk::files(p, &tandai::store::is_annotation_file)
                .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            out.extend(found);
        } else if tandai::store::is_annotation_file(p) {
            out.push(p.clone());
        } else {
            let ann = tandai::store::annotation_path_for(p);
            if !ann.exists() {
                anyhow::bail!(
                    "{}: no annotation file {} beside this article",
                    p.display(),
                    ann.display()
                );
            }
            out.push(ann);
        }
    }
    Ok(out)
}
