//! The annotation file format, RON versions 1 and 2.
//!
//! ```ron
//! (
//!     version: 2,
//!     document: (path: "seed.txt", sha256: "<hex>", chars: 3097),
//!     labels: ["claim", "source", "denial"],
//!     entities: [
//!         (id: 1, name: "Karine Jean-Pierre", role: "White House press secretary"),
//!     ],
//!     spans: [
//!         (id: 1, label: "source", start: 24, end: 36, text: "Gedung Putih", before: "KOMPAS.TV - ", after: " menuding Korea", origin: Human(annotator: "ana"), entity: 1),
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
//!
//! Version 2 is version 1 with entities: a document-level `entities` list
//! and a span field `entity` naming one by id. Version 3 adds what a merge
//! leaves (`tandai merge`, the git merge driver): a document-level
//! `disputes` list, each dispute with its alternatives (who proposed each,
//! and its spans, links and entities written as above), and a span field
//! `agreed` naming the annotators who all made the span.
//!
//! A file is written as the lowest version that can hold it: version 3
//! when it has open disputes or `agreed` spans, else 2 when it uses
//! entities, else 1. So every file without them stays byte for byte what
//! the earlier versions wrote and older tandai builds read it; a newer one
//! says its version, which an older build refuses as "written by a newer
//! tandai" instead of failing on an unknown field. All three are read.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use crate::model::{
    Annotations, Entity, EntityId, Link, LinkId, Origin, Proposed, Span, SpanId, Status,
};

mod disputes;
mod fast;

pub use disputes::{RawAlternative, RawDispute};

/// The newest format version this build reads and writes (files with open
/// disputes, or spans a merge agreed on).
pub const VERSION: u32 = 3;

/// The version that added entities, written for files that use them.
pub const ENTITIES_VERSION: u32 = 2;

/// The oldest format version this build reads, and the one it writes for
/// files without entities and disputes.
pub const FIRST_VERSION: u32 = 1;

/// The version a file with these annotations is written as: the lowest
/// that holds what they use.
pub fn version_for(ann: &Annotations) -> u32 {
    if ann.uses_disputes() {
        VERSION
    } else if ann.uses_entities() {
        ENTITIES_VERSION
    } else {
        FIRST_VERSION
    }
}

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
        "format version {found} is not supported: this build of tandai reads versions {FIRST_VERSION} to {VERSION}{}",
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

/// A span as written in the file, before validation. (Its `Default` is
/// for building one field by field: id 0, no label, an empty range.)
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
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
    /// The entity it refers to, by id (version 2).
    #[serde(default)]
    pub entity: Option<u64>,
    /// The annotators a merge found all made it (version 3).
    #[serde(default)]
    pub agreed: Vec<String>,
}

/// An entity as written in the file (version 2).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntity {
    /// Id, which spans name.
    pub id: u64,
    /// Canonical name.
    pub name: String,
    /// Role or title.
    #[serde(default)]
    pub role: Option<String>,
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
    /// Who the sources are (version 2).
    #[serde(default)]
    pub entities: Vec<RawEntity>,
    /// Spans in file order.
    #[serde(default)]
    pub spans: Vec<RawSpan>,
    /// Links in file order.
    #[serde(default)]
    pub links: Vec<RawLink>,
    /// Open disputes (version 3).
    #[serde(default)]
    pub disputes: Vec<RawDispute>,
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
            entity: s.entity.map(EntityId),
            agreed: s.agreed,
        }
    }
}

impl From<RawEntity> for Entity {
    fn from(e: RawEntity) -> Entity {
        Entity {
            id: EntityId(e.id),
            name: e.name,
            role: e.role,
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
///
/// Files in the shape tandai writes are read by a reader made for it
/// (`fast`, several times quicker); anything else, and every error, by
/// `ron` ([`parse_ron`]), with the same result.
pub fn parse(src: &str) -> Result<RawFile, FormatError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    match fast::parse(src) {
        Some(raw) => supported(raw),
        None => parse_ron(src),
    }
}

/// `raw` if this build reads its version.
fn supported(raw: RawFile) -> Result<RawFile, FormatError> {
    if (FIRST_VERSION..=VERSION).contains(&raw.version) {
        Ok(raw)
    } else {
        Err(FormatError::Version { found: raw.version })
    }
}

/// Parses annotation RON with `ron` alone (no byte-order mark).
pub fn parse_ron(src: &str) -> Result<RawFile, FormatError> {
    let opts = ron_options();
    match opts.from_str::<RawFile>(src) {
        Ok(raw) => supported(raw),
        // A file from a newer tandai gets "newer version" rather than a
        // confusing complaint about a field this build does not know.
        Err(e) => match opts.from_str::<VersionProbe>(src) {
            Ok(probe) if !(FIRST_VERSION..=VERSION).contains(&probe.version) => {
                Err(FormatError::Version {
                    found: probe.version,
                })
            }
            _ => Err(syntax(&e)),
        },
    }
}

/// Writes a string as a RON string literal: quotes, backslashes and control
/// characters escaped; everything else (accents, curly quotes, emoji) as is,
/// so files stay readable in any editor.
pub fn quote(out: &mut String, s: &str) {
    out.push('"');
    // Runs that need no escape are copied whole. A char needs one if it is
    // `"`, `\\` or a control char: below 0x20, 0x7F, or U+0080 to U+009F
    // (0xC2 then 0x80 to 0x9F in UTF-8); so only those bytes are looked at.
    let bytes = s.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let len = match b {
            b'"' | b'\\' | 0x00..=0x1F | 0x7F => 1,
            0xC2 if matches!(bytes.get(i + 1), Some(0x80..=0x9F)) => 2,
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[from..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                let c = s[i..].chars().next().map_or(0, u32::from);
                let _ = write!(out, "\\u{{{c:x}}}");
            }
        }
        i += len;
        from = i;
    }
    out.push_str(&s[from..]);
    out.push('"');
}

/// Writes an unsigned number in decimal (the hot path of [`write`]:
/// several a span, without the formatting machinery).
fn uint(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
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
    // A written span takes about 240 bytes (a quote of 40 chars, contexts
    // of 20), a link 50: one allocation for most files.
    let mut out = String::with_capacity(1024 + ann.span_count() * 256 + ann.link_count() * 50);
    let _ = write!(
        out,
        "(\n    version: {},\n    document: (path: ",
        version_for(ann)
    );
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
    write_entities(&mut out, ann);

    if ann.span_count() == 0 {
        out.push_str("    spans: [],\n");
    } else {
        out.push_str("    spans: [\n");
        for s in ann.spans() {
            write_span(&mut out, "        ", s);
        }
        out.push_str("    ],\n");
    }

    if ann.link_count() == 0 {
        out.push_str("    links: [],\n");
    } else {
        out.push_str("    links: [\n");
        for l in ann.links() {
            write_link(&mut out, "        ", l);
        }
        out.push_str("    ],\n");
    }
    disputes::write(&mut out, ann);
    out.push_str(")\n");
    out
}

/// One link's line, after `indent`.
fn write_link(out: &mut String, indent: &str, l: &Link) {
    out.push_str(indent);
    out.push_str("(id: ");
    uint(out, l.id.0);
    out.push_str(", kind: ");
    quote(out, &l.kind);
    out.push_str(", from: ");
    uint(out, l.from.0);
    out.push_str(", to: ");
    uint(out, l.to.0);
    out.push_str("),\n");
}

/// One span's line, after `indent`, fields in their fixed order, optional
/// ones only when set.
fn write_span(out: &mut String, indent: &str, s: &Span) {
    out.push_str(indent);
    out.push_str("(id: ");
    uint(out, s.id.0);
    out.push_str(", label: ");
    quote(out, &s.label);
    out.push_str(", start: ");
    uint(out, s.start as u64);
    out.push_str(", end: ");
    uint(out, s.end as u64);
    out.push_str(", text: ");
    quote(out, &s.text);
    out.push_str(", before: ");
    quote(out, &s.before);
    out.push_str(", after: ");
    quote(out, &s.after);
    out.push_str(", origin: ");
    match &s.origin {
        Origin::Human { annotator } => {
            out.push_str("Human(annotator: ");
            quote(out, annotator);
            out.push(')');
        }
        Origin::Machine { model, score } => {
            out.push_str("Machine(model: ");
            quote(out, model);
            if let Some(x) = score {
                out.push_str(", score: ");
                float(out, *x);
            }
            out.push(')');
        }
    }
    if let Some(e) = s.entity {
        out.push_str(", entity: ");
        uint(out, e.0);
    }
    if !s.agreed.is_empty() {
        out.push_str(", agreed: ");
        write_names(out, &s.agreed);
    }
    if let Some(st) = s.status {
        out.push_str(", status: ");
        out.push_str(st.name());
    }
    if let Some(r) = &s.reviewer {
        out.push_str(", reviewer: ");
        quote(out, r);
    }
    if let Some(p) = &s.proposed {
        out.push_str(", proposed: (label: ");
        quote(out, &p.label);
        let _ = write!(out, ", start: {}, end: {})", p.start, p.end);
    }
    if let Some(note) = &s.note {
        out.push_str(", note: ");
        quote(out, note);
    }
    if !s.attributes.is_empty() {
        out.push_str(", attributes: {");
        for (i, (k, v)) in s.attributes.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            quote(out, k);
            out.push_str(": ");
            quote(out, v);
        }
        out.push('}');
    }
    if s.orphan {
        out.push_str(", orphan: true");
    }
    out.push_str("),\n");
}

/// A list of names: `["ana", "budi"]`.
fn write_names(out: &mut String, names: &[String]) {
    out.push('[');
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        quote(out, n);
    }
    out.push(']');
}

/// The `entities` list, by id, one a line; nothing at all when there are
/// none, so files without entities are written as version 1 wrote them.
fn write_entities(out: &mut String, ann: &Annotations) {
    if ann.entity_count() == 0 {
        return;
    }
    out.push_str("    entities: [\n");
    for e in ann.entities() {
        write_entity(out, "        ", e);
    }
    out.push_str("    ],\n");
}

/// One entity's line, after `indent`.
fn write_entity(out: &mut String, indent: &str, e: &Entity) {
    let _ = write!(out, "{indent}(id: {}, name: ", e.id.0);
    quote(out, &e.name);
    if let Some(role) = &e.role {
        out.push_str(", role: ");
        quote(out, role);
    }
    out.push_str("),\n");
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_fast;
