//! The `disputes` list of format version 3: each open dispute with its
//! alternatives, who proposed each, and their spans, links and entities,
//! one a line as in the live lists.
//!
//! ```ron
//!     disputes: [
//!         (id: 1, alternatives: [
//!             (by: ["ana"], spans: [
//!                 (id: 7, label: "claim", start: 46, end: 90, text: "…", before: "…", after: "…", origin: Human(annotator: "ana")),
//!             ], links: [
//!                 (id: 4, kind: "said_by", from: 7, to: 1),
//!             ]),
//!             (by: ["budi"]),
//!         ]),
//!     ],
//! ```

use std::fmt::Write as _;

use serde::Deserialize;

use super::{RawEntity, RawLink, RawSpan, write_entity, write_link, write_names, write_span};
use crate::model::{Alternative, Annotations, Dispute};

/// A dispute as written in the file (version 3).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDispute {
    /// Id.
    pub id: u64,
    /// The alternatives, in order.
    #[serde(default)]
    pub alternatives: Vec<RawAlternative>,
}

/// One alternative of a dispute as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlternative {
    /// Who proposed it.
    #[serde(default)]
    pub by: Vec<String>,
    /// Its spans.
    #[serde(default)]
    pub spans: Vec<RawSpan>,
    /// Its links.
    #[serde(default)]
    pub links: Vec<RawLink>,
    /// Its entities.
    #[serde(default)]
    pub entities: Vec<RawEntity>,
}

impl From<RawAlternative> for Alternative {
    /// The alternative as written; its spans are placed by the store.
    fn from(a: RawAlternative) -> Alternative {
        Alternative {
            by: a.by,
            spans: a.spans.into_iter().map(Into::into).collect(),
            links: a.links.into_iter().map(Into::into).collect(),
            entities: a.entities.into_iter().map(Into::into).collect(),
        }
    }
}

/// The `disputes` list: open disputes by id, nothing at all when there are
/// none (so files without disputes are written as before them).
pub(super) fn write(out: &mut String, ann: &Annotations) {
    let mut open = ann.open_disputes().peekable();
    if open.peek().is_none() {
        return;
    }
    out.push_str("    disputes: [\n");
    for d in open {
        write_dispute(out, d);
    }
    out.push_str("    ],\n");
}

fn write_dispute(out: &mut String, d: &Dispute) {
    let _ = writeln!(out, "        (id: {}, alternatives: [", d.id.0);
    for a in &d.alternatives {
        out.push_str("            (by: ");
        write_names(out, &a.by);
        let mut spans: Vec<_> = a.spans.iter().collect();
        spans.sort_by_key(|s| s.order_key());
        let mut links: Vec<_> = a.links.iter().collect();
        links.sort_by_key(|l| l.id);
        let mut entities: Vec<_> = a.entities.iter().collect();
        entities.sort_by_key(|e| e.id);
        list(out, "spans", &spans, |out, s| write_span(out, INNER, s));
        list(out, "links", &links, |out, l| write_link(out, INNER, l));
        list(out, "entities", &entities, |out, e| {
            write_entity(out, INNER, e);
        });
        out.push_str("),\n");
    }
    out.push_str("        ]),\n");
}

/// Where the lines inside an alternative start.
const INNER: &str = "                ";

/// `, NAME: [` and one line per item, unless there are none.
fn list<T>(out: &mut String, name: &str, items: &[T], line: impl Fn(&mut String, &T)) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, ", {name}: [");
    for item in items {
        line(out, item);
    }
    out.push_str("            ]");
}
