//! `tandai import`: annotations from other tools into `NAME.tandai.ron`
//! files. Also the pieces `tandai export` shares: the format argument, the
//! progress bar and the report.

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;

use tandai::interop::{self, Format, ImportOptions, Mapping, Progress, Report};

use super::{Outcome, report_error, tell};

/// Parses `--format`: one of [`Format::ALL`] by name (aliases too), with
/// the names listed in `--help`.
pub(crate) fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(Format::ALL.map(Format::name))
        .try_map(|s| Format::parse(&s).ok_or("unknown format"))
}

/// What doccano offsets count (`--offsets`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum UnitsArg {
    /// Unicode code points, as tandai and Python count.
    CodePoints,
    /// UTF-16 code units, as doccano's web interface (JavaScript) counts.
    Utf16,
}

impl UnitsArg {
    /// The units, or why `--offsets` does not apply to `format`.
    pub(crate) fn units(self, format: Format) -> Result<interop::Units, Outcome> {
        match (self, format) {
            (UnitsArg::CodePoints, _) => Ok(interop::Units::CodePoints),
            (UnitsArg::Utf16, Format::Doccano) => Ok(interop::Units::Utf16),
            (UnitsArg::Utf16, f) => {
                report_error(&format!(
                    "--offsets utf16 is for doccano; {f} offsets are code points (tandai converts UTF-16 ones it can prove by their quotes)"
                ));
                Err(Outcome::Failed)
            }
        }
    }
}

/// What `import --format` names: another tool's format, or machine tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ImportFormat {
    /// Another tool's annotations, written to new annotation files.
    Tool(Format),
    /// A model's tags, added to one existing annotation file (`--into`).
    Tags,
}

/// Parses `import --format`: the interop formats, plus `tags`.
fn import_format_parser() -> impl clap::builder::TypedValueParser<Value = ImportFormat> {
    use clap::builder::TypedValueParser as _;
    let mut names: Vec<&'static str> = Format::ALL.map(Format::name).to_vec();
    names.push("tags");
    clap::builder::PossibleValuesParser::new(names).try_map(|s| {
        if s == "tags" {
            Ok(ImportFormat::Tags)
        } else {
            Format::parse(&s)
                .map(ImportFormat::Tool)
                .ok_or("unknown format")
        }
    })
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The format of the inputs (conll is export-only; tags are a model's
    /// JSONL output, added to the file named by --into).
    #[arg(long, short, value_parser = import_format_parser())]
    format: ImportFormat,
    /// Input files or folders (walked for .ann, .jsonl, .json or .jsonld
    /// files; for brat an article stands for the .ann beside it). With
    /// `--format tags`: the tags files.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// With `--format tags`: the annotation file to add the tags to
    /// (`NAME.tandai.ron`, created if missing), or its article (`NAME.txt`),
    /// or a folder (each line's `doc` names its article relative to it).
    #[arg(long, value_name = "FILE")]
    into: Option<PathBuf>,
    /// Folder to write NAME.txt and NAME.tandai.ron into (default: beside
    /// each input); a walked folder's layout is kept.
    #[arg(long, short, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    shared: Shared,
    /// Schema to map names against and extend (default: the nearest
    /// tandai.schema.ron of the output folder, else the built-in one).
    #[arg(long, value_name = "FILE")]
    schema: Option<PathBuf>,
    /// Do not write tandai.schema.ron for labels the schema lacks.
    #[arg(long)]
    no_schema: bool,
    /// Annotator name for human spans whose format names none.
    #[arg(long, value_name = "NAME", default_value = "")]
    annotator: String,
    /// Read articles that W3C `source` or JSONL `doc` names outside the
    /// input file's folder.
    #[arg(long)]
    allow_outside: bool,
    /// doccano: what the offsets count (doccano's web interface writes
    /// UTF-16 code units).
    #[arg(long, value_enum, default_value = "code-points")]
    offsets: UnitsArg,
}

/// The switches `import` and `export` share.
#[derive(Debug, clap::Args)]
pub(crate) struct Shared {
    /// Overwrite existing files (annotation files, articles, schema files,
    /// exports); without it nothing is overwritten.
    #[arg(long)]
    pub(crate) force: bool,
    /// Label and relation names to map: `foreign = ours` lines under
    /// [labels] and [links] (export reads them right to left). Default: the
    /// schema's names, ignoring case.
    #[arg(long, value_name = "FILE")]
    pub(crate) map: Option<PathBuf>,
    /// Print one JSON summary on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

impl Shared {
    /// Reads `--map`, or reports why not.
    pub(crate) fn mapping(&self) -> Result<Mapping, Outcome> {
        match &self.map {
            None => Ok(Mapping::default()),
            Some(p) => Mapping::load(p).map_err(|e| {
                report_error(&e);
                Outcome::Failed
            }),
        }
    }
}

pub(crate) fn run(args: &Args) -> Outcome {
    let format = match (args.format, &args.into) {
        (ImportFormat::Tags, Some(into)) => {
            if args.out.is_some() || args.shared.map.is_some() || args.shared.force {
                report_error(
                    &"--format tags adds to the file named by --into; --out, --map and --force do not apply",
                );
                return Outcome::Failed;
            }
            return super::tags::run(&super::tags::Options {
                inputs: &args.inputs,
                into,
                schema: args.schema.as_deref(),
                allow_outside: args.allow_outside,
                json: args.shared.json,
            });
        }
        (ImportFormat::Tags, None) => {
            report_error(
                &"--format tags needs --into ARTICLE.tandai.ron (the file to add the tags to)",
            );
            return Outcome::Failed;
        }
        (ImportFormat::Tool(_), Some(_)) => {
            report_error(&"--into is for --format tags; other formats write new files (see --out)");
            return Outcome::Failed;
        }
        (ImportFormat::Tool(f), None) => f,
    };
    let offsets = match args.offsets.units(format) {
        Ok(u) => u,
        Err(o) => return o,
    };
    let mapping = match args.shared.mapping() {
        Ok(m) => m,
        Err(o) => return o,
    };
    let opts = ImportOptions {
        out_dir: args.out.clone(),
        force: args.shared.force,
        mapping,
        schema: args.schema.clone(),
        write_schema: !args.no_schema,
        annotator: args.annotator.clone(),
        allow_outside: args.allow_outside,
        offsets,
        ..ImportOptions::new(format)
    };
    let mut bar = Bar::new(&args.inputs, args.shared.json);
    let result = interop::import(&args.inputs, &opts, &mut |p| bar.draw(p));
    bar.clear();
    finish(result, args.shared.json)
}

/// Prints the report and gives the exit code. stdout carries results
/// only (the export stream, or the `--json` summary); the lines for
/// people (problems, `warning:`/`note:` counts, the summary) go to stderr.
#[allow(clippy::print_stdout)]
pub(crate) fn finish(result: Result<Report, interop::InteropError>, json: bool) -> Outcome {
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            report_error(&e);
            return Outcome::Failed;
        }
    };
    if let Some(out) = &report.output {
        print!("{out}");
        let _ = std::io::stdout().flush();
    }
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => report_error(&e),
        }
    } else {
        for p in &report.warnings.problems {
            report_error(p);
        }
        let mut lines = report.warnings.count_lines();
        lines.push(report.summary());
        for l in lines {
            tell(&l);
        }
    }
    if report.failed() {
        Outcome::Failed
    } else if report.has_warnings() {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

/// Width of the progress bar, in cells.
const WIDTH: usize = 30;

/// A progress bar on stderr, drawn only for folders on a terminal.
pub(crate) struct Bar {
    on: bool,
}

impl Bar {
    pub(crate) fn new(inputs: &[PathBuf], quiet: bool) -> Self {
        Bar {
            on: !quiet && std::io::stderr().is_terminal() && inputs.iter().any(|p| p.is_dir()),
        }
    }

    pub(crate) fn draw(&mut self, p: Progress) {
        if !self.on || p.total < 2 {
            return;
        }
        let filled = WIDTH * p.done / p.total;
        let name = p
            .current
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = tandai::escape::visible(&name.chars().take(40).collect::<String>()).into_owned();
        eprint!(
            "\r\x1b[K[{}{}] {}/{} {name}",
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            p.done + 1,
            p.total
        );
        let _ = std::io::stderr().flush();
    }

    pub(crate) fn clear(&mut self) {
        if self.on {
            eprint!("\r\x1b[K");
            let _ = std::io::stderr().flush();
        }
    }
}
