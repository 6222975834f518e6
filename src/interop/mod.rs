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

use std::collections::BTreeMap;
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

/// What was wrong with the input, or could not be done, in one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A line or record that does not parse, or names something missing.
    Malformed,
    /// A span's quote differs from the text at its offsets.
    TextMismatch,
    /// Offsets that only make sense as UTF-16 code units: converted where a
    /// quote proves it, else reported (doccano: see `--offsets utf16`).
    Utf16Offsets,
    /// Offsets outside the text.
    OutOfRange,
    /// Placement moved a span, or could not place it (kept as an orphan).
    Placement,
    /// The schema check found something (an ill-typed link, say).
    Schema,
    /// An output file exists; not overwritten.
    Exists,
    /// Reading or writing failed.
    Io,
    /// Two documents would be written to the same file; the second got
    /// another name.
    NameClash,
}

impl ProblemKind {
    /// Snake-case name, as in `--json` output.
    pub fn name(self) -> &'static str {
        match self {
            ProblemKind::Malformed => "malformed",
            ProblemKind::TextMismatch => "text_mismatch",
            ProblemKind::Utf16Offsets => "utf16_offsets",
            ProblemKind::OutOfRange => "out_of_range",
            ProblemKind::Placement => "placement",
            ProblemKind::Schema => "schema",
            ProblemKind::Exists => "exists",
            ProblemKind::Io => "io",
            ProblemKind::NameClash => "name_clash",
        }
    }

    /// Whether a document was left out entirely because of it (as opposed
    /// to one span or line of it).
    pub fn is_fatal_for_document(self) -> bool {
        matches!(self, ProblemKind::Exists | ProblemKind::Io)
    }
}

/// One problem, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// What kind.
    pub kind: ProblemKind,
    /// The file it is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
    /// The 1-based line in that file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// A sentence for people.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}:", file.display())?;
            if let Some(line) = self.line {
                write!(f, "{line}:")?;
            }
            f.write_str(" ")?;
        }
        f.write_str(&self.message)
    }
}

/// Something a conversion could not carry, or carried in a roundabout way;
/// counted, not listed one by one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// brat events (`E`), kept verbatim in span attributes.
    BratEvents,
    /// brat normalisations (`N`), kept verbatim in span attributes.
    BratNormalizations,
    /// brat equivalences (`*`), kept verbatim in span attributes.
    BratEquivalences,
    /// Discontinuous brat spans: imported as one span from the first
    /// fragment's start to the last one's end, fragments kept in attributes.
    BratDiscontinuous,
    /// brat relations that are not between two text spans with roles
    /// `Arg1`/`Arg2`, kept verbatim in span attributes.
    BratOtherRelations,
    /// brat attributes and notes on events or relations, kept verbatim.
    BratOtherAttributes,
    /// Kept brat lines left out on export because what they refer to was
    /// removed in tandai.
    BratLinesDropped,
    /// Discontinuous spans whose range changed in tandai: written whole.
    BratFragmentsLost,
    /// Spans that cross a line break, written as brat fragments around it
    /// (a line break at a span's edge is left out of it).
    SplitAtLineBreaks,
    /// Names with white space (labels, link kinds, attributes) written with
    /// `_` where the format cannot hold white space.
    NamesChanged,
    /// Notes the format cannot hold.
    NotesNotCarried,
    /// Span attributes the format cannot hold.
    AttributesNotCarried,
    /// Machine origins (model, score) and review statuses the format cannot
    /// hold.
    OriginsNotCarried,
    /// Annotator names the format cannot hold.
    AnnotatorsNotCarried,
    /// Links the format cannot hold.
    LinksNotCarried,
    /// Links whose ends were left out.
    LinksOfSkippedSpans,
    /// Orphan spans (not placed in the article): no offsets to write.
    OrphansSkipped,
    /// Rejected machine spans left out of a training or brat export.
    RejectedSkipped,
    /// Overlapping spans left out of a BIO export.
    OverlapsDropped,
    /// Spans whose edges fall inside a token, widened to whole tokens.
    SpansWidened,
    /// Spans that cover no token (only white space).
    SpansWithoutTokens,
    /// Label Studio regions with several labels: one span each.
    MultiLabelRegions,
    /// doccano `meta` fields, which tandai's files have no place for.
    MetaNotCarried,
    /// brat files on articles with `\r\n` line breaks whose offsets count
    /// each `\r\n` once, as brat reads texts (read or written so).
    CrlfCountedOnce,
    /// brat files on such articles whose offsets count every `\r` (older
    /// tandai exports and some scripts), recognised by their quotes and
    /// read so.
    CrlfCountedTwice,
    /// Results that are not text spans or relations (choices, ratings...),
    /// and document-level labels or comments.
    NonSpanResults,
    /// doccano spans after characters beyond the BMP, written as code
    /// points where doccano's web interface counts UTF-16 code units.
    CodePointOffsets,
    /// doccano spans read or written as UTF-16 code units
    /// (`--offsets utf16`).
    Utf16Units,
    /// Entities (who sources are) the format has no place for, or that no
    /// exported span names.
    EntitiesNotCarried,
    /// Open disputes a merge left (settle them first): only the spans and
    /// links everyone agreed on, or already settled, are exported.
    DisputesNotExported,
}

impl Loss {
    /// Snake-case name, as in `--json` output.
    pub fn name(self) -> &'static str {
        match self {
            Loss::BratEvents => "brat_events",
            Loss::BratNormalizations => "brat_normalizations",
            Loss::BratEquivalences => "brat_equivalences",
            Loss::BratDiscontinuous => "brat_discontinuous",
            Loss::BratOtherRelations => "brat_other_relations",
            Loss::BratOtherAttributes => "brat_other_attributes",
            Loss::BratLinesDropped => "brat_lines_dropped",
            Loss::BratFragmentsLost => "brat_fragments_lost",
            Loss::SplitAtLineBreaks => "split_at_line_breaks",
            Loss::NamesChanged => "names_changed",
            Loss::NotesNotCarried => "notes_not_carried",
            Loss::AttributesNotCarried => "attributes_not_carried",
            Loss::OriginsNotCarried => "origins_not_carried",
            Loss::AnnotatorsNotCarried => "annotators_not_carried",
            Loss::LinksNotCarried => "links_not_carried",
            Loss::LinksOfSkippedSpans => "links_of_skipped_spans",
            Loss::OrphansSkipped => "orphans_skipped",
            Loss::RejectedSkipped => "rejected_skipped",
            Loss::OverlapsDropped => "overlaps_dropped",
            Loss::SpansWidened => "spans_widened",
            Loss::SpansWithoutTokens => "spans_without_tokens",
            Loss::MultiLabelRegions => "multi_label_regions",
            Loss::MetaNotCarried => "meta_not_carried",
            Loss::CrlfCountedOnce => "crlf_counted_once",
            Loss::CrlfCountedTwice => "crlf_counted_twice",
            Loss::NonSpanResults => "non_span_results",
            Loss::CodePointOffsets => "code_point_offsets",
            Loss::Utf16Units => "utf16_units",
            Loss::EntitiesNotCarried => "entities_not_carried",
            Loss::DisputesNotExported => "disputes_not_exported",
        }
    }

    /// What the count means, for people.
    pub fn describe(self) -> &'static str {
        match self {
            Loss::BratEvents => "brat events (E) kept verbatim in span attribute brat:lines",
            Loss::BratNormalizations => {
                "brat normalisations (N) kept verbatim in span attribute brat:lines"
            }
            Loss::BratEquivalences => {
                "brat equivalences (*) kept verbatim in span attribute brat:lines"
            }
            Loss::BratDiscontinuous => {
                "discontinuous brat spans imported whole, fragments kept in span attribute brat:lines"
            }
            Loss::BratOtherRelations => {
                "brat relations involving events or other roles kept verbatim in span attribute brat:lines"
            }
            Loss::BratOtherAttributes => {
                "brat attributes or notes on events or relations kept verbatim in span attribute brat:lines"
            }
            Loss::BratLinesDropped => {
                "kept brat lines left out because what they refer to was removed"
            }
            Loss::BratFragmentsLost => {
                "discontinuous spans moved or relabelled in tandai, written as one fragment"
            }
            Loss::SplitAtLineBreaks => {
                "spans across or at line breaks written as fragments without the line breaks"
            }
            Loss::NamesChanged => "names with white space written with _",
            Loss::NotesNotCarried => "notes not carried by the format",
            Loss::AttributesNotCarried => "spans with attributes the format does not carry",
            Loss::OriginsNotCarried => {
                "machine spans whose model, score and review status the format does not carry"
            }
            Loss::AnnotatorsNotCarried => "annotator names not carried by the format",
            Loss::LinksNotCarried => "links not carried by the format",
            Loss::LinksOfSkippedSpans => "links left out because an end was left out",
            Loss::OrphansSkipped => "orphan spans left out (no place in the article)",
            Loss::RejectedSkipped => "rejected machine spans left out",
            Loss::OverlapsDropped => "overlapping spans left out",
            Loss::SpansWidened => "spans widened to whole tokens",
            Loss::SpansWithoutTokens => "spans covering no token left out",
            Loss::MultiLabelRegions => "regions with several labels, imported as one span each",
            Loss::MetaNotCarried => "doccano lines whose meta fields tandai does not carry",
            Loss::CrlfCountedOnce => {
                "brat files on CRLF articles with offsets counting \\r\\n once, as brat reads them"
            }
            Loss::CrlfCountedTwice => {
                "brat files on CRLF articles with offsets counting every \\r (older tandai exports), read so"
            }
            Loss::NonSpanResults => "results that are not spans or relations, left out",
            Loss::CodePointOffsets => {
                "spans after emoji or other characters beyond the BMP, written as code points (doccano's web interface counts UTF-16 units: --offsets utf16 writes those)"
            }
            Loss::Utf16Units => "spans whose offsets were counted as UTF-16 code units",
            Loss::EntitiesNotCarried => {
                "source entities not carried (the format has no place for them, or no span names them)"
            }
            Loss::DisputesNotExported => {
                "open disputes left out (settle them in tandai first; only agreed and settled spans are exported)"
            }
        }
    }

    /// Whether it is a warning (exit code 1). The others are what a format
    /// cannot hold by design (a BIO file has no links): said in the summary,
    /// but a clean run all the same.
    pub fn is_warning(self) -> bool {
        !matches!(
            self,
            Loss::NotesNotCarried
                | Loss::MetaNotCarried
                | Loss::CrlfCountedOnce
                | Loss::CrlfCountedTwice
                | Loss::RejectedSkipped
                | Loss::AttributesNotCarried
                | Loss::OriginsNotCarried
                | Loss::AnnotatorsNotCarried
                | Loss::LinksNotCarried
                | Loss::CodePointOffsets
                | Loss::Utf16Units
                | Loss::EntitiesNotCarried
        )
    }
}

/// Problems and counted losses collected during a conversion; the file
/// being read is remembered so that each problem names it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Warnings {
    /// Problems, in the order met.
    pub problems: Vec<Problem>,
    /// Counted losses.
    pub counts: BTreeMap<Loss, usize>,
    #[serde(skip)]
    file: Option<PathBuf>,
}

impl Warnings {
    /// Problems from now on are in `file`.
    pub fn set_file(&mut self, file: Option<&Path>) {
        self.file = file.map(Path::to_owned);
    }

    /// Records a problem in the current file.
    pub fn problem(&mut self, kind: ProblemKind, line: Option<usize>, message: impl Into<String>) {
        self.problems.push(Problem {
            kind,
            file: self.file.clone(),
            line,
            message: message.into(),
        });
    }

    /// Counts one loss.
    pub fn count(&mut self, loss: Loss) {
        self.add(loss, 1);
    }

    /// Counts `n` losses.
    pub fn add(&mut self, loss: Loss, n: usize) {
        if n > 0 {
            *self.counts.entry(loss).or_default() += n;
        }
    }

    /// Whether anything calls for attention (exit code 1).
    pub fn any(&self) -> bool {
        !self.problems.is_empty() || self.counts.keys().any(|l| l.is_warning())
    }

    /// One line per counted loss, for people.
    pub fn count_lines(&self) -> Vec<String> {
        self.counts
            .iter()
            .map(|(loss, n)| {
                let tag = if loss.is_warning() { "warning" } else { "note" };
                format!("{tag}: {n} {}", loss.describe())
            })
            .collect()
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
