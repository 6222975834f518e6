//! Interop: reading and writing the formats of other annotation tools.
//!
//! | format | import | export | offsets |
//! |---|---|---|---|
//! | [`Format::Brat`] standoff (`NAME.txt` + `NAME.ann`) | yes | yes | code points |
//! | [`Format::Doccano`] JSONL (both shapes) | yes | yes | code points |
//! | [`Format::LabelStudio`] JSON tasks | yes | yes | code points |
//! | [`Format::W3c`] Web Annotation (JSON-LD) | yes | yes | code points |
//! | [`Format::Conll`] BIO columns | no | yes | (tokens) |
//! | [`Format::Jsonl`] spans, one per line | yes | yes | code points |
//! | machine tags ([`tags`]), one per line, into one article | yes | no | code points |
//!
//! Every format here counts offsets in Unicode code points, like tandai,
//! so no offset is converted on the way in or out. One exception is caught
//! on import: where a format carries the quoted text and the quote does not
//! match at the offsets but does match when they are read as UTF-16 code
//! units (what older JavaScript tools wrote), the offsets are converted
//! through [`crate::offsets`] and the line is reported.
//!
//! Importing builds each document's annotations, puts them through the same
//! placement as loading ([`crate::store::place`]) and checks them against
//! the schema, then writes `NAME.tandai.ron` (and `NAME.txt` where the text
//! came inside the input) atomically. Labels the schema lacks are added to a
//! `tandai.schema.ron` in the output folder, so that `tandai check` on the
//! result is clean. Exporting loads each annotation file as the rest of
//! tandai does and writes the other tool's files. Neither overwrites an
//! existing file unless asked to ([`ImportOptions::force`]).
//!
//! What a conversion could not carry, or had to bend, is counted in the
//! [`Report`] ([`Loss`]); what was wrong with the input is listed with its
//! file and line ([`Problem`]). The rest of the input converts either way.
//!
//! The command line and the desktop app call the same two functions:
//!
//! ```no_run
//! use std::path::PathBuf;
//! use tandai::interop::{self, ExportOptions, Format};
//!
//! let mut opts = ExportOptions::new(Format::Jsonl);
//! opts.out = Some(PathBuf::from("spans.jsonl"));
//! let report = interop::export(&[PathBuf::from("corpus")], &opts, &mut |p| {
//!     eprintln!("{}/{} {}", p.done + 1, p.total, p.current.display());
//! })?;
//! for problem in &report.warnings.problems {
//!     eprintln!("{problem}");
//! }
//! # Ok::<(), tandai::interop::InteropError>(())
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub mod brat;
pub mod conll;
mod convert;
pub mod doccano;
mod entities;
mod exporter;
mod importer;
pub mod jsonl;
mod jsonpos;
pub mod label_studio;
mod limits;
pub mod mapping;
mod pipeline;
#[cfg(test)]
mod round_trip;
pub mod tags;
pub mod w3c;
mod warnings;

pub use crate::offsets::Units;
pub use convert::{ExportDoc, ImportedDoc, Located, Names, Resolve};
pub(crate) use convert::{
    Ids, SPAN_EXTRAS, count_not_carried, is_tool_key, locate, no_space, raw_link, raw_span,
};
pub(crate) use entities::{EntityPool, EntityRef, count_entities};
pub use exporter::export;
pub use importer::import;
#[cfg(feature = "fuzzing")]
pub(crate) use importer::place as place_imported;
pub use mapping::{Mapping, MappingError};
pub use warnings::{Loss, Problem, ProblemKind, Warnings};

/// A format tandai reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// brat standoff: `NAME.txt` with `NAME.ann`.
    Brat,
    /// doccano JSONL, one document a line.
    Doccano,
    /// Label Studio JSON: a list of tasks.
    LabelStudio,
    /// W3C Web Annotation, JSON-LD.
    W3c,
    /// CoNLL-style BIO columns (export only).
    Conll,
    /// tandai's JSONL spans, one span a line.
    Jsonl,
}

impl Format {
    /// Every format, in the order menus list them.
    pub const ALL: [Format; 6] = [
        Format::Brat,
        Format::Doccano,
        Format::LabelStudio,
        Format::W3c,
        Format::Conll,
        Format::Jsonl,
    ];

    /// Name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Brat => "brat",
            Format::Doccano => "doccano",
            Format::LabelStudio => "label-studio",
            Format::W3c => "w3c",
            Format::Conll => "conll",
            Format::Jsonl => "jsonl",
        }
    }

    /// Name for people (menus).
    pub fn title(self) -> &'static str {
        match self {
            Format::Brat => "brat standoff (.ann)",
            Format::Doccano => "doccano JSONL",
            Format::LabelStudio => "Label Studio JSON",
            Format::W3c => "W3C Web Annotation (JSON-LD)",
            Format::Conll => "CoNLL / BIO",
            Format::Jsonl => "JSONL spans",
        }
    }

    /// The format named `s` (its [`Format::name`], or a common alias).
    pub fn parse(s: &str) -> Option<Format> {
        let s = s.to_ascii_lowercase();
        Some(match s.as_str() {
            "brat" | "ann" => Format::Brat,
            "doccano" => Format::Doccano,
            "label-studio" | "labelstudio" | "label_studio" | "ls" => Format::LabelStudio,
            "w3c" | "web-annotation" | "jsonld" => Format::W3c,
            "conll" | "bio" => Format::Conll,
            "jsonl" | "spans" => Format::Jsonl,
            _ => return None,
        })
    }

    /// Whether tandai imports it.
    pub fn can_import(self) -> bool {
        self != Format::Conll
    }

    /// Whether export writes one file per document into a folder (brat,
    /// W3C) rather than one stream for all documents.
    pub fn per_document(self) -> bool {
        matches!(self, Format::Brat | Format::W3c)
    }

    /// File name endings of its input files, for walking folders.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Brat => &["ann"],
            Format::Doccano | Format::Jsonl => &["jsonl"],
            Format::LabelStudio => &["json"],
            Format::W3c => &["jsonld"],
            Format::Conll => &["conll"],
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What one import or export did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// `import` or `export`.
    pub direction: &'static str,
    /// The format.
    pub format: Option<Format>,
    /// Documents converted.
    pub documents: usize,
    /// Spans in the documents converted.
    pub spans: usize,
    /// Links in the documents converted.
    pub links: usize,
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Output files that already held exactly what would be written.
    pub unchanged: Vec<PathBuf>,
    /// Problems and counted losses.
    #[serde(flatten)]
    pub warnings: Warnings,
    /// The export itself, for a stream format with no output file (the
    /// caller prints it).
    #[serde(skip)]
    pub output: Option<String>,
}

impl Report {
    /// Whether anything calls for attention.
    pub fn has_warnings(&self) -> bool {
        self.warnings.any()
    }

    /// Whether nothing at all could be converted although there were
    /// problems: the run failed rather than converted with problems.
    pub fn failed(&self) -> bool {
        self.documents == 0
            && self
                .warnings
                .problems
                .iter()
                .any(|p| p.kind.is_fatal_for_document() || p.kind == ProblemKind::Malformed)
    }

    /// The one-line summary for people.
    pub fn summary(&self) -> String {
        let what = match self.direction {
            "import" => "imported",
            _ => "exported",
        };
        let format = self.format.map_or("", Format::name);
        format!(
            "{what} {} document{} ({format}): {} spans, {} links; {} files written, {} problems",
            self.documents,
            if self.documents == 1 { "" } else { "s" },
            self.spans,
            self.links,
            self.written.len(),
            self.warnings.problems.len()
        )
    }
}

/// Why a conversion could not run at all. Problems with single files or
/// lines are [`Problem`]s in the [`Report`] instead.
#[derive(Debug, thiserror::Error)]
pub enum InteropError {
    /// An input path does not exist or cannot be read.
    #[error("{path}: {source}")]
    Input {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Nothing to convert was found.
    #[error("no {format} input found in {paths}")]
    NoInput {
        /// The format looked for.
        format: Format,
        /// The paths given.
        paths: String,
    },
    /// The format cannot be read (`conll`) or the options do not fit it.
    #[error("{0}")]
    Unsupported(String),
    /// The mapping file is wrong.
    #[error(transparent)]
    Mapping(#[from] MappingError),
    /// The schema file is wrong.
    #[error(transparent)]
    Schema(#[from] crate::schema::SchemaError),
    /// The output folder cannot be made.
    #[error("{path}: cannot create the output folder: {source}")]
    Output {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// How far a run has got, for a progress bar.
#[derive(Clone, Copy, Debug)]
pub struct Progress<'a> {
    /// Inputs done.
    pub done: usize,
    /// Inputs in all.
    pub total: usize,
    /// The input being converted now.
    pub current: &'a Path,
}

/// Which span a BIO export keeps where spans overlap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Overlap {
    /// The longest span wins.
    #[default]
    Outer,
    /// The shortest span wins.
    Inner,
}

/// Which of doccano's two JSONL shapes an export writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DoccanoShape {
    /// `{"text", "entities": [...], "relations": [...]}`: carries links.
    #[default]
    Entities,
    /// `{"text", "label": [[start, end, "label"]]}`: spans only.
    Labels,
}

/// Options of an import.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// The input format.
    pub format: Format,
    /// Where to write; `None`: beside each input file.
    pub out_dir: Option<PathBuf>,
    /// Overwrite existing annotation, article and schema files.
    pub force: bool,
    /// Foreign names to tandai names.
    pub mapping: Mapping,
    /// Schema to map names against and extend (default: the one found for
    /// the output folder, as `tandai check` finds it).
    pub schema: Option<PathBuf>,
    /// Write `tandai.schema.ron` in the output folder when the imported
    /// labels or link kinds are not in the schema.
    pub write_schema: bool,
    /// Annotator name for human spans whose format names none.
    pub annotator: String,
    /// Accept article paths (W3C `source`, JSONL `doc`) outside the input
    /// file's folder.
    pub allow_outside: bool,
    /// doccano: what the offsets count.
    pub offsets: Units,
}

impl ImportOptions {
    /// Defaults for `format`: beside the inputs, no overwriting, default
    /// mapping, schema written when needed.
    pub fn new(format: Format) -> Self {
        Self {
            format,
            out_dir: None,
            force: false,
            mapping: Mapping::default(),
            schema: None,
            write_schema: true,
            annotator: String::new(),
            allow_outside: false,
            offsets: Units::CodePoints,
        }
    }
}

/// Options of an export.
#[derive(Clone, Debug)]
pub struct ExportOptions {
    /// The output format.
    pub format: Format,
    /// A folder for brat and W3C (default: beside each article), a file for
    /// the others (default: [`Report::output`], printed by the CLI).
    pub out: Option<PathBuf>,
    /// Overwrite existing files.
    pub force: bool,
    /// tandai names to foreign names.
    pub mapping: Mapping,
    /// Schema for name mapping and brat's `annotation.conf` (default: the
    /// one found for each annotation file).
    pub schema: Option<PathBuf>,
    /// Trust a `document.path` outside the annotation file's folder.
    pub allow_outside: bool,
    /// BIO: which of overlapping spans to keep.
    pub overlap: Overlap,
    /// BIO: add each token's start and end offsets as columns.
    pub token_offsets: bool,
    /// doccano: which shape to write.
    pub doccano_shape: DoccanoShape,
    /// doccano: what the offsets count.
    pub offsets: Units,
}

impl ExportOptions {
    /// Defaults for `format`.
    pub fn new(format: Format) -> Self {
        Self {
            format,
            out: None,
            force: false,
            mapping: Mapping::default(),
            schema: None,
            allow_outside: false,
            overlap: Overlap::Outer,
            token_offsets: false,
            doccano_shape: DoccanoShape::Entities,
            offsets: Units::CodePoints,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_by_name_and_alias() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.name()), Some(f));
        }
        assert_eq!(Format::parse("LS"), Some(Format::LabelStudio));
        assert_eq!(Format::parse("bio"), Some(Format::Conll));
        assert_eq!(Format::parse("xml"), None);
    }
}
