//! The annotation file format, RON version 1.
//!
//! ```ron
//! (
//!     version: 1,
//!     document: (path: "seed.txt", sha256: "<hex>", chars: 3097),
//!     labels: ["claim", "source", "denial"],
//!     spans: [
//!         (id: 1, label: "source", start: 24, end: 36, text: "Gedung Putih", before: "KOMPAS.TV - ", after: " menuding Korea", origin: Human(annotator: "ana")),
//!     ],
//!     links: [
//!         (id: 1, kind: "said_by", from: 2, to: 1),
//!     ],
//! )
//! ```
//!
//! Reading is lenient where a person writing by hand would expect it (every
//! field but `version`, `document.path` and the span and link core fields may
//! be left out) and strict where a typo would lose data (unknown fields are
//! errors, with line and column). Writing is deterministic: spans by
//! (start, end, id), one per line, fields in a fixed order, so the same
//! annotations always give the same bytes and files diff and merge cleanly.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use crate::model::{Annotations, Link, LinkId, Origin, Proposed, Span, SpanId, Status};

/// The format version this build reads and writes.
pub const VERSION: u32 = 1;

/// Why an annotation file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    /// RON syntax error, or a field of the wrong shape.
    #[error("{line}:{col}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong.
        message: String,
    },
    /// Written by a newer (or unknown) version of the format.
    #[error(
        "format version {found} is not supported: this build of tandai reads version {VERSION}{}",
        if *found > VERSION { " (the file was written by a newer tandai)" } else { "" }
    )]
    Version {
        /// Version in the file.
        found: u32,
    },
}

impl FormatError {
    /// The error as `FILE:LINE:COL: message` (or `FILE: message`).
    pub fn at(&self, path: &std::path::Path) -> String {
        match self {
            FormatError::Syntax { .. } => format!("{}:{self}", path.display()),
            FormatError::Version { .. } => format!("{}: {self}", path.display()),
        }
    }
}

/// The RON dialect of tandai's files: `Some(..)` may be left out, and
/// nesting is bounded so hostile input cannot overflow the stack.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// The document reference as written in the file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDocument {
    /// Article path relative to the annotation file.
    pub path: String,
    /// SHA-256 of the article the spans were made on (empty: unknown).
    #[serde(default)]
    pub sha256: String,
    /// Length of that article in chars.
    #[serde(default)]
    pub chars: Option<usize>,
}

/// A span as written in the file, before validation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpan {
    /// Id.
    pub id: u64,
    /// Label.
    pub label: String,
    /// Start (chars).
    pub start: usize,
    /// End (chars).
    pub end: usize,
    /// Quote; taken from the article when left out.
    #[serde(default)]
    pub text: Option<String>,
    /// Context before.
    #[serde(default)]
    pub before: String,
    /// Context after.
    #[serde(default)]
    pub after: String,
    /// Who made it.
    #[serde(default)]
    pub origin: Origin,
    /// Review status.
    #[serde(default)]
    pub status: Option<Status>,
    /// Who made the last review decision.
    #[serde(default)]
    pub reviewer: Option<String>,
    /// What the model proposed before a correction.
    #[serde(default)]
    pub proposed: Option<Proposed>,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
    /// Attributes.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Marked as not placeable in the article at the last save.
    #[serde(default)]
    pub orphan: bool,
}

/// A link as written in the file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    /// Id.
    pub id: u64,
    /// Kind.
    pub kind: String,
    /// From span id.
    pub from: u64,
    /// To span id.
    pub to: u64,
}

/// A whole annotation file as written, before validation against the
/// article.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    /// Format version.
    pub version: u32,
    /// The article.
    pub document: RawDocument,
    /// Labels the file says it uses (informational).
    #[serde(default)]
    pub labels: Vec<String>,
    /// The annotator marked the article as finished.
    #[serde(default)]
    pub done: bool,
    /// Spans in file order.
    #[serde(default)]
    pub spans: Vec<RawSpan>,
    /// Links in file order.
    #[serde(default)]
    pub links: Vec<RawLink>,
}

impl From<RawSpan> for Span {
    /// The span as written; a missing quote becomes empty (the store fills it
    /// from the article).
    fn from(s: RawSpan) -> Span {
        Span {
            id: SpanId(s.id),
            label: s.label,
            start: s.start,
            end: s.end,
            text: s.text.unwrap_or_default(),
            before: s.before,
            after: s.after,
            note: s.note,
            attributes: s.attributes,
            origin: s.origin,
            status: s.status,
            reviewer: s.reviewer,
            proposed: s.proposed,
            orphan: s.orphan,
        }
    }
}

impl From<RawLink> for Link {
    fn from(l: RawLink) -> Link {
        Link {
            id: LinkId(l.id),
            kind: l.kind,
            from: SpanId(l.from),
            to: SpanId(l.to),
        }
    }
}

#[derive(Deserialize)]
struct VersionProbe {
    version: u32,
}

fn syntax(e: &ron::error::SpannedError) -> FormatError {
    FormatError::Syntax {
        line: e.span.start.line,
        col: e.span.start.col,
        message: e.code.to_string(),
    }
}

/// Parses annotation RON. A leading byte-order mark (Windows editors add
/// one) is skipped.
pub fn parse(src: &str) -> Result<RawFile, FormatError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let opts = ron_options();
    // Look at the version first, so that a file from a newer tandai gets
    // "newer version" rather than a confusing complaint about a new field.
    if let Ok(probe) = opts.from_str::<VersionProbe>(src)
        && probe.version != VERSION
    {
        return Err(FormatError::Version {
            found: probe.version,
        });
    }
    opts.from_str::<RawFile>(src).map_err(|e| syntax(&e))
}

/// Writes a string as a RON string literal: quotes, backslashes and control
/// characters escaped; everything else (accents, curly quotes, emoji) as is,
/// so files stay readable in any editor.
pub fn quote(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn float(out: &mut String, x: f64) {
    // `{:?}` gives the shortest text that reads back as the same f64, and
    // always a decimal point or exponent.
    let _ = write!(out, "{x:?}");
}

/// Serialises annotations. `schema_labels` are the labels of the schema in
/// force, listed first in the `labels` field; labels used by spans but not
/// in the schema follow, sorted.
pub fn write(ann: &Annotations, schema_labels: &[&str]) -> String {
    let mut out = String::with_capacity(256 + ann.span_count() * 200);
    out.push_str("(\n    version: 1,\n    document: (path: ");
    quote(&mut out, &ann.document.path);
    out.push_str(", sha256: ");
    quote(&mut out, &ann.document.sha256);
    let _ = writeln!(out, ", chars: {}),", ann.document.chars);

    out.push_str("    labels: [");
    let used = ann.labels_used();
    let extra = used.iter().filter(|l| !schema_labels.contains(l));
    for (i, l) in schema_labels.iter().chain(extra).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        quote(&mut out, l);
    }
    out.push_str("],\n");
    if ann.done {
        out.push_str("    done: true,\n");
    }

    if ann.span_count() == 0 {
        out.push_str("    spans: [],\n");
    } else {
        out.push_str("    spans: [\n");
        for s in ann.spans() {
            let _ = write!(out, "        (id: {}, label: ", s.id.0);
            quote(&mut out, &s.label);
            let _ = write!(out, ", start: {}, end: {}, text: ", s.start, s.end);
            quote(&mut out, &s.text);
            out.push_str(", before: ");
            quote(&mut out, &s.before);
            out.push_str(", after: ");
            quote(&mut out, &s.after);
            out.push_str(", origin: ");
            match &s.origin {
                Origin::Human { annotator } => {
                    out.push_str("Human(annotator: ");
                    quote(&mut out, annotator);
                    out.push(')');
                }
                Origin::Machine { model, score } => {
                    out.push_str("Machine(model: ");
                    quote(&mut out, model);
                    if let Some(x) = score {
                        out.push_str(", score: ");
                        float(&mut out, *x);
                    }
                    out.push(')');
                }
            }
            if let Some(st) = s.status {
                out.push_str(", status: ");
                out.push_str(st.name());
            }
            if let Some(r) = &s.reviewer {
                out.push_str(", reviewer: ");
                quote(&mut out, r);
            }
            if let Some(p) = &s.proposed {
                out.push_str(", proposed: (label: ");
                quote(&mut out, &p.label);
                let _ = write!(out, ", start: {}, end: {})", p.start, p.end);
            }
            if let Some(note) = &s.note {
                out.push_str(", note: ");
                quote(&mut out, note);
            }
            if !s.attributes.is_empty() {
                out.push_str(", attributes: {");
                for (i, (k, v)) in s.attributes.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    quote(&mut out, k);
                    out.push_str(": ");
                    quote(&mut out, v);
                }
                out.push('}');
            }
            if s.orphan {
                out.push_str(", orphan: true");
            }
            out.push_str("),\n");
        }
        out.push_str("    ],\n");
    }

    if ann.link_count() == 0 {
        out.push_str("    links: [],\n");
    } else {
        out.push_str("    links: [\n");
        for l in ann.links() {
            let _ = write!(out, "        (id: {}, kind: ", l.id.0);
            quote(&mut out, &l.kind);
            let _ = writeln!(out, ", from: {}, to: {}),", l.from.0, l.to.0);
        }
        out.push_str("    ],\n");
    }
    out.push_str(")\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocumentRef;
    use proptest::prelude::*;

    const LABELS: &[&str] = &["claim", "source", "denial"];

    #[test]
    fn hand_written_minimal_file_gets_defaults() {
        let src = r#"(version: 1, document: (path: "a.txt"), spans: [
            (id: 7, label: "claim", start: 0, end: 4),
        ])"#;
        let f = parse(src).unwrap();
        assert_eq!(f.document.sha256, "");
        assert_eq!(f.spans[0].text, None);
        assert_eq!(f.spans[0].origin, Origin::default());
        assert!(f.links.is_empty());
    }

    #[test]
    fn implicit_some_and_machine_origin() {
        let src = r#"(version: 1, document: (path: "a.txt", sha256: "ab", chars: 9), spans: [
            (id: 2, label: "claim", start: 0, end: 4, text: "abcd",
             origin: Machine(model: "attrib-v0", score: 0.82), status: Accepted, note: "n"),
        ])"#;
        let f = parse(src).unwrap();
        let s = &f.spans[0];
        assert_eq!(
            s.origin,
            Origin::Machine {
                model: "attrib-v0".into(),
                score: Some(0.82)
            }
        );
        assert_eq!(s.status, Some(Status::Accepted));
        assert_eq!(s.note.as_deref(), Some("n"));
    }

    #[test]
    fn errors_have_line_and_column() {
        let cut = "(\n    version: 1,\n    document: (path: \"a.txt\"),\n    spans: [\n        (id: 1, label: \"claim\", st";
        match parse(cut).unwrap_err() {
            FormatError::Syntax { line, .. } => assert_eq!(line, 5),
            e @ FormatError::Version { .. } => panic!("{e:?}"),
        }
        let typo = "(version: 1, document: (path: \"a.txt\"),\n spans: [(id: 1, lable: \"claim\", start: 0, end: 1)])";
        let err = parse(typo).unwrap_err();
        assert!(
            matches!(err, FormatError::Syntax { line: 2, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("lable"), "{err}");
    }

    #[test]
    fn future_version_is_named_as_such() {
        let src = "(version: 2, document: (path: \"a.txt\"), hologram: true)";
        let err = parse(src).unwrap_err();
        assert_eq!(err, FormatError::Version { found: 2 });
        assert!(err.to_string().contains("newer tandai"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let src = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&src).is_err());
    }

    #[test]
    fn written_file_has_the_documented_shape() {
        let mut a = Annotations::new(DocumentRef {
            path: "seed.txt".into(),
            sha256: "00ff".into(),
            chars: 50,
        });
        a.insert_span(Span {
            id: SpanId(2),
            label: "claim".into(),
            start: 5,
            end: 9,
            text: "a\"b\\".into(),
            origin: Origin::Machine {
                model: "m".into(),
                score: Some(1.0),
            },
            status: Some(Status::Pending),
            attributes: [("k".to_owned(), "v".to_owned())].into(),
            ..Span::default()
        })
        .unwrap();
        a.insert_span(Span {
            id: SpanId(1),
            label: "cue".into(),
            start: 0,
            end: 2,
            text: "é\n".into(),
            before: "\u{1}".into(),
            origin: Origin::Human {
                annotator: "ana".into(),
            },
            orphan: true,
            ..Span::default()
        })
        .unwrap();
        a.insert_link(Link {
            id: LinkId(1),
            kind: "said_by".into(),
            from: SpanId(2),
            to: SpanId(1),
        })
        .unwrap();
        let want = r#"(
    version: 1,
    document: (path: "seed.txt", sha256: "00ff", chars: 50),
    labels: ["claim", "source", "denial", "cue"],
    spans: [
        (id: 1, label: "cue", start: 0, end: 2, text: "é\n", before: "\u{1}", after: "", origin: Human(annotator: "ana"), orphan: true),
        (id: 2, label: "claim", start: 5, end: 9, text: "a\"b\\", before: "", after: "", origin: Machine(model: "m", score: 1.0), status: Pending, attributes: {"k": "v"}),
    ],
    links: [
        (id: 1, kind: "said_by", from: 2, to: 1),
    ],
)
"#;
        assert_eq!(write(&a, LABELS), want);
        let back = parse(want).unwrap();
        assert_eq!(back.spans[0].text.as_deref(), Some("é\n"));
        assert_eq!(back.spans[0].before, "\u{1}");
        assert!(back.spans[0].orphan);
    }

    fn arb_string() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "a", " ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{7f}", "“", "é", "e\u{301}",
                "👍🏽", "\u{feff}", "\u{2028}", "}", ")", "//", "/*",
            ]),
            0..12,
        )
        .prop_map(|v| v.concat())
    }

    fn arb_span() -> impl Strategy<Value = Span> {
        (
            1u64..1000,
            prop::sample::select(vec!["claim", "source", "denial", "cue", "ünknown"]),
            0usize..500,
            0usize..50,
            arb_string(),
            arb_string(),
            prop::option::of(arb_string()),
            prop::option::of((arb_string(), prop::option::of(-1e6f64..1e6))),
            prop::option::of(prop::sample::select(Status::ALL.to_vec())),
            prop::collection::btree_map(arb_string(), arb_string(), 0..3),
            any::<bool>(),
            (
                prop::option::of(arb_string()),
                prop::option::of((0usize..500, 0usize..50)),
            ),
        )
            .prop_map(
                |(
                    id,
                    label,
                    start,
                    len,
                    text,
                    before,
                    note,
                    machine,
                    status,
                    attributes,
                    orphan,
                    (reviewer, proposed),
                )| {
                    Span {
                        id: SpanId(id),
                        label: label.to_owned(),
                        start,
                        end: start + len,
                        text,
                        after: before.chars().rev().collect(),
                        before,
                        note,
                        attributes,
                        origin: match machine {
                            Some((model, score)) => Origin::Machine { model, score },
                            None => Origin::Human {
                                annotator: "ana".into(),
                            },
                        },
                        status,
                        reviewer,
                        proposed: proposed.map(|(start, len)| Proposed {
                            label: "source".into(),
                            start,
                            end: start + len,
                        }),
                        orphan,
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn write_parse_write_is_byte_identical(
            spans in prop::collection::vec(arb_span(), 0..20),
            path in arb_string(),
            links in prop::collection::vec((1u64..100, 1u64..1000, 1u64..1000), 0..10),
            done in any::<bool>(),
        ) {
            let mut a = Annotations::new(DocumentRef { path, sha256: "ab".into(), chars: 9 });
            a.done = done;
            for s in spans {
                let _ = a.insert_span(s);
            }
            for (id, from, to) in links {
                let _ = a.insert_link_unchecked(Link { id: LinkId(id), kind: "said_by".into(), from: SpanId(from), to: SpanId(to) });
            }
            let first = write(&a, LABELS);
            let raw = parse(&first).map_err(|e| TestCaseError::fail(format!("{e}\n{first}")))?;
            let mut b = Annotations::new(DocumentRef {
                path: raw.document.path,
                sha256: raw.document.sha256,
                chars: raw.document.chars.unwrap_or(0),
            });
            b.done = raw.done;
            for s in raw.spans {
                b.insert_span(s.into()).unwrap();
            }
            for l in raw.links {
                b.insert_link_unchecked(l.into()).unwrap();
            }
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(write(&b, LABELS), first);
        }
    }
}
