//! tandai's JSONL spans: one span a line, the shape a script reads and
//! writes without knowing anything of tandai.
//!
//! ```json
//! {"start": 24, "end": 36, "label": "source", "score": 0.82, "model": "attrib-v0", "id": 1, "doc": "NAME.txt", "links": [{"kind": "said_by", "to": 2}], "text": "Gedung Putih"}
//! ```
//!
//! `start`/`end` are code points; `doc` is the article's path relative to
//! the JSONL file; `links` are the span's outgoing links, `to` a span `id`
//! of the same document (and `id` the link's own, which a script may leave
//! out). A span with `model` (or `score`) is a machine
//! span. After `links` come what makes the export lossless and what a
//! script may leave out: `text` (the quote, checked on import), `annotator`,
//! `status`, `reviewer`, `proposed`, `note`, `attributes` and `entity`
//! (who a source is: `{"id": 1, "name": "John Kirby", "role": "NSC
//! spokesman"}`; spans naming the same `id`, or without one the same name
//! and role, name one entity).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{
    EntityPool, EntityRef, ExportDoc, Ids, ImportedDoc, Names, ProblemKind, Resolve, Warnings,
    count_entities, locate,
};
use crate::check::excerpt;
use crate::format::RawLink;
use crate::model::{Origin, Proposed, Status};

/// One outgoing link; `id` is the link's own, left out by scripts at will.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct OutLink {
    kind: String,
    to: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
}

/// One line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Line {
    start: usize,
    end: usize,
    label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
    doc: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    links: Vec<OutLink>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    annotator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reviewer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proposed: Option<Proposed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    attributes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    entity: Option<EntityRef>,
}

/// Writes one document's spans, one JSON object a line.
pub fn write(doc: &ExportDoc, names: &Names, w: &mut Warnings) -> String {
    let spans = doc.spans(true, w);
    let links = doc.links(&spans, w);
    count_entities(doc, &spans, true, w);
    let mut out = String::new();
    for s in spans {
        let (score, model, annotator) = match &s.origin {
            Origin::Machine { model, score } => (*score, Some(model.clone()), None),
            Origin::Human { annotator } => (
                None,
                None,
                Some(annotator.clone()).filter(|a| !a.is_empty()),
            ),
        };
        let line = Line {
            start: s.start,
            end: s.end,
            label: names.out_label(&s.label).to_owned(),
            score,
            model,
            id: Some(s.id.0),
            doc: doc.name.to_owned(),
            links: links
                .iter()
                .filter(|l| l.from == s.id)
                .map(|l| OutLink {
                    kind: names.out_kind(&l.kind).to_owned(),
                    to: l.to.0,
                    id: Some(l.id.0),
                })
                .collect(),
            text: Some(s.text.clone()),
            annotator,
            status: s.status,
            reviewer: s.reviewer.clone(),
            proposed: s.proposed.clone(),
            note: s.note.clone(),
            attributes: s.attributes.clone(),
            entity: EntityRef::of(doc.ann, s),
        };
        // A struct of strings, numbers and maps of strings always
        // serialises.
        if let Ok(json) = serde_json::to_string(&line) {
            out.push_str(&json);
            out.push('\n');
        }
    }
    out
}

/// Reads a JSONL file of spans, grouping them by `doc`; each article is
/// found through `resolve`. Lines that do not parse are reported with their
/// number and left out.
pub fn read(src: &str, names: &Names, resolve: &mut Resolve, w: &mut Warnings) -> Vec<ImportedDoc> {
    // Documents in the order they first appear.
    let mut order: Vec<String> = Vec::new();
    let mut by_doc: BTreeMap<String, Vec<(usize, Line)>> = BTreeMap::new();
    for (i, raw) in src.lines().enumerate() {
        let raw = raw.trim_start_matches('\u{feff}');
        if raw.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Line>(raw) {
            Ok(line) => {
                if !by_doc.contains_key(&line.doc) {
                    order.push(line.doc.clone());
                }
                by_doc
                    .entry(line.doc.clone())
                    .or_default()
                    .push((i + 1, line));
            }
            Err(e) => w.problem(
                ProblemKind::Malformed,
                Some(i + 1),
                format!("not a span ({e}); line left out"),
            ),
        }
    }
    let mut docs = Vec::new();
    for name in order {
        let records = by_doc.remove(&name).unwrap_or_default();
        let located = match resolve(&name) {
            Ok(l) => l,
            Err(m) => {
                let first = records.first().map(|(no, _)| *no);
                w.problem(
                    ProblemKind::Io,
                    first,
                    format!("{m}; its {} spans are left out", records.len()),
                );
                continue;
            }
        };
        let (spans, links, entities) = read_doc(&records, &located.article.text, names, w);
        docs.push(ImportedDoc {
            rel: located.rel,
            article: located.article,
            source: Some(located.source),
            spans,
            links,
            entities,
        });
    }
    docs
}

fn read_doc(
    records: &[(usize, Line)],
    text: &crate::offsets::Text,
    names: &Names,
    w: &mut Warnings,
) -> (
    Vec<crate::format::RawSpan>,
    Vec<RawLink>,
    Vec<crate::format::RawEntity>,
) {
    let mut ids = Ids::new(records.iter().filter_map(|(_, l)| l.id));
    let mut entities = EntityPool::new(
        records
            .iter()
            .filter_map(|(_, l)| l.entity.as_ref().and_then(|e| e.id)),
    );
    let mut spans = Vec::new();
    let mut pending = Vec::new();
    for (no, l) in records {
        let id = ids.take(l.id);
        if let Some(dup) = l.id.filter(|&d| d != id) {
            w.problem(
                ProblemKind::Malformed,
                Some(*no),
                format!("span id {dup} is used twice; this one is now {id}, links to {dup} mean the first"),
            );
        }
        let what = format!("span {}", excerpt(&l.label));
        let Some((range, quote)) =
            locate(text, l.start..l.end, l.text.as_deref(), w, Some(*no), &what)
        else {
            continue;
        };
        let origin = if l.model.is_some() || l.score.is_some() {
            Origin::Machine {
                model: l.model.clone().unwrap_or_default(),
                score: l.score,
            }
        } else {
            names.human(l.annotator.as_deref())
        };
        let mut span = super::raw_span(id, names.label(&l.label), range, quote, origin);
        span.status = l.status;
        span.reviewer.clone_from(&l.reviewer);
        span.proposed.clone_from(&l.proposed);
        span.note.clone_from(&l.note);
        span.attributes.clone_from(&l.attributes);
        span.entity = l.entity.clone().map(|e| entities.take(e));
        spans.push(span);
        pending.extend(l.links.iter().map(|k| (*no, id, k)));
    }
    let placed: BTreeSet<u64> = spans.iter().map(|s| s.id).collect();
    let mut link_ids = Ids::new(pending.iter().filter_map(|(_, _, k)| k.id));
    let mut links = Vec::new();
    for (no, from, k) in pending {
        if placed.contains(&k.to) {
            let id = link_ids.take(k.id);
            links.push(super::raw_link(id, names.kind(&k.kind), from, k.to));
        } else {
            w.problem(
                ProblemKind::Malformed,
                Some(no),
                format!(
                    "link {} goes to span {}, which this document does not have; left out",
                    k.kind, k.to
                ),
            );
        }
    }
    (spans, links, entities.into_list())
}
