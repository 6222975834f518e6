//! `tandai export`: annotation files out to other tools' formats.

use std::path::PathBuf;

use tandai::interop::{self, DoccanoShape, ExportOptions, Format, Overlap};

use super::import::{Bar, Shared, UnitsArg, finish, format_parser};
use super::{Outcome, report_error};

/// Which of overlapping spans a BIO export keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum OverlapArg {
    /// The longest.
    Outer,
    /// The shortest.
    Inner,
}

/// Which doccano shape to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ShapeArg {
    /// `entities` and `relations` (carries links).
    Entities,
    /// `label: [[start, end, label]]` (spans only).
    Labels,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The format to write.
    #[arg(long, short, value_parser = format_parser())]
    format: Format,
    /// Annotation files, articles (the annotation file beside them) or
    /// folders (walked for *.tandai.ron).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// brat and w3c: a folder (default: beside each article). The others:
    /// a file (default: stdout).
    #[arg(long, short, value_name = "OUT")]
    out: Option<PathBuf>,
    #[command(flatten)]
    shared: Shared,
    /// Schema for brat's annotation.conf (default: each file's own).
    #[arg(long, value_name = "FILE")]
    schema: Option<PathBuf>,
    /// Trust a `document.path` outside the annotation file's folder.
    #[arg(long)]
    allow_outside: bool,
    /// conll: which of overlapping spans to keep.
    #[arg(long, value_enum, default_value = "outer")]
    overlap: OverlapArg,
    /// conll: add each token's start and end (code points) as columns.
    #[arg(long)]
    token_offsets: bool,
    /// doccano: which JSONL shape to write.
    #[arg(long, value_enum, default_value = "entities")]
    doccano_shape: ShapeArg,
    /// doccano: what the offsets count (`utf16` for doccano's web
    /// interface on texts with emoji).
    #[arg(long, value_enum, default_value = "code-points")]
    offsets: UnitsArg,
}

pub(crate) fn run(args: &Args) -> Outcome {
    let format = args.format;
    let to_stdout = !format.per_document() && args.out.is_none();
    if args.shared.json && to_stdout {
        report_error(&format!(
            "--json needs --out FILE for {format}: stdout carries the export"
        ));
        return Outcome::Failed;
    }
    let mapping = match args.shared.mapping() {
        Ok(m) => m,
        Err(o) => return o,
    };
    let offsets = match args.offsets.units(format) {
        Ok(u) => u,
        Err(o) => return o,
    };
    let opts = ExportOptions {
        out: args.out.clone(),
        force: args.shared.force,
        mapping,
        schema: args.schema.clone(),
        allow_outside: args.allow_outside,
        overlap: match args.overlap {
            OverlapArg::Outer => Overlap::Outer,
            OverlapArg::Inner => Overlap::Inner,
        },
        token_offsets: args.token_offsets,
        doccano_shape: match args.doccano_shape {
            ShapeArg::Entities => DoccanoShape::Entities,
            ShapeArg::Labels => DoccanoShape::Labels,
        },
        offsets,
        ..ExportOptions::new(format)
    };
    let mut bar = Bar::new(&args.inputs, args.shared.json);
    let result = interop::export(&args.inputs, &opts, &mut |p| bar.draw(p));
    bar.clear();
    finish(result, args.shared.json)
}
