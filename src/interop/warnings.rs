//! What a conversion could not do or carry: problems (a line that does
//! not parse, a quote that does not match...), each with its file and
//! line, and losses counted by kind (what a format cannot hold), with the
//! lines the command line prints for them.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

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
