//! doccano JSONL: one document a line, with its text.
//!
//! Both of doccano's shapes are read:
//!
//! - sequence labelling, `{"text": "...", "label": [[0, 6, "source"], ...]}`
//!   (also under `labels`);
//! - relation extraction, `{"text": "...", "entities": [{"id": 1, "label":
//!   "source", "start_offset": 0, "end_offset": 6}], "relations": [{"id": 1,
//!   "from_id": 2, "to_id": 1, "type": "said_by"}]}`.
//!
//! Offsets are code points by default. doccano's web interface counts
//! UTF-16 code units (JavaScript's string length: an emoji counts two; see
//! doccano/doccano#2290), so a file it wrote for a text with emoji has
//! offsets that drift by one after each: `--offsets utf16` ([`Units`])
//! reads and writes them so, and reading as code points warns, with the
//! line, where the spans fit word boundaries only as UTF-16 units. A
//! document is named by its `doc`, `name`,
//! `filename` or `file` field if it has one, else `STEM-ID` after the JSONL
//! file and its `id` (or line number). doccano has no quotes, notes,
//! attributes, annotators or machine origins; document-level labels and
//! comments are counted and left out. Export writes the relation shape by
//! default ([`DoccanoShape::Entities`]), with a `doc` field naming the
//! article.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::{
    DoccanoShape, ExportDoc, Ids, ImportedDoc, Loss, Names, ProblemKind, SPAN_EXTRAS, Warnings,
    count_not_carried, locate,
};
use crate::document::Article;
use crate::format::{RawLink, RawSpan};
use crate::offsets::{Text, Units};

#[derive(Serialize)]
struct Entity<'a> {
    id: u64,
    label: &'a str,
    start_offset: usize,
    end_offset: usize,
}

#[derive(Serialize)]
struct Relation<'a> {
    id: u64,
    from_id: u64,
    to_id: u64,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Serialize)]
struct EntitiesLine<'a> {
    id: usize,
    doc: &'a str,
    text: &'a str,
    entities: Vec<Entity<'a>>,
    relations: Vec<Relation<'a>>,
}

#[derive(Serialize)]
struct LabelLine<'a> {
    id: usize,
    doc: &'a str,
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
}

/// Writes one document as one line; `index` is its 1-based number in the
/// export.
pub fn write(
    doc: &ExportDoc,
    index: usize,
    (shape, units): (DoccanoShape, Units),
    names: &Names,
    w: &mut Warnings,
) -> String {
    let spans = doc.spans(false, w);
    count_not_carried(&spans, &SPAN_EXTRAS, w);
    super::count_entities(doc, &spans, false, w);
    let text = doc.text.as_str();
    let at = |c: usize| doc.text.to_units(c, units).unwrap_or(c);
    let differ = spans
        .iter()
        .filter(|s| doc.text.utf16_of_char(s.end) != Some(s.end))
        .count();
    match units {
        Units::CodePoints => w.add(Loss::CodePointOffsets, differ),
        Units::Utf16 => w.add(Loss::Utf16Units, differ),
    }
    let json = match shape {
        DoccanoShape::Entities => {
            let links = doc.links(&spans, w);
            serde_json::to_string(&EntitiesLine {
                id: index,
                doc: doc.name,
                text,
                entities: spans
                    .iter()
                    .map(|s| Entity {
                        id: s.id.0,
                        label: names.out_label(&s.label),
                        start_offset: at(s.start),
                        end_offset: at(s.end),
                    })
                    .collect(),
                relations: links
                    .iter()
                    .map(|l| Relation {
                        id: l.id.0,
                        from_id: l.from.0,
                        to_id: l.to.0,
                        kind: names.out_kind(&l.kind),
                    })
                    .collect(),
            })
        }
        DoccanoShape::Labels => {
            w.add(Loss::LinksNotCarried, doc.ann.link_count());
            serde_json::to_string(&LabelLine {
                id: index,
                doc: doc.name,
                text,
                label: spans
                    .iter()
                    .map(|s| (at(s.start), at(s.end), names.out_label(&s.label)))
                    .collect(),
            })
        }
    };
    // Strings and numbers always serialise.
    let mut line = json.unwrap_or_default();
    line.push('\n');
    line
}

fn as_id(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

fn as_offset(v: Option<&Value>) -> Option<usize> {
    v.and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
}

/// Reads a doccano JSONL file whose offsets count `units`; `stem` (the
/// file's name without extension) names documents that have no name of
/// their own.
pub fn read(
    src: &str,
    stem: &str,
    units: Units,
    names: &Names,
    w: &mut Warnings,
) -> Vec<ImportedDoc> {
    let mut docs = Vec::new();
    for (i, raw) in src.lines().enumerate() {
        let no = i + 1;
        let raw = raw.trim_start_matches('\u{feff}');
        if raw.trim().is_empty() {
            continue;
        }
        let obj = match serde_json::from_str::<Value>(raw) {
            Ok(Value::Object(o)) => o,
            Ok(_) => {
                w.problem(
                    ProblemKind::Malformed,
                    Some(no),
                    "not a JSON object; line left out",
                );
                continue;
            }
            Err(e) => {
                w.problem(
                    ProblemKind::Malformed,
                    Some(no),
                    format!("not JSON ({e}); line left out"),
                );
                continue;
            }
        };
        let Some(text) = obj.get("text").and_then(Value::as_str) else {
            w.problem(
                ProblemKind::Malformed,
                Some(no),
                "no \"text\" field; line left out",
            );
            continue;
        };
        let given = ["doc", "name", "filename", "file"]
            .iter()
            .find_map(|k| obj.get(*k).and_then(Value::as_str));
        let fallback = match obj.get("id") {
            Some(Value::Number(n)) => format!("{stem}-{n}"),
            Some(Value::String(s)) => format!("{stem}-{s}"),
            _ => format!("{stem}-{no}"),
        };
        docs.push(ImportedDoc::inline(given, &fallback, text, |article| {
            read_line(&obj, article, (no, units), names, w)
        }));
    }
    docs
}

fn read_line(
    obj: &serde_json::Map<String, Value>,
    article: &Article,
    (no, units): (usize, Units),
    names: &Names,
    w: &mut Warnings,
) -> (Vec<RawSpan>, Vec<RawLink>) {
    let text = &article.text;
    let empty = Vec::new();
    let array = |key: &str| obj.get(key).and_then(Value::as_array).unwrap_or(&empty);
    // (id, label, start, end) as found, placed below.
    let mut found: Vec<(u64, &str, Option<usize>, Option<usize>)> = Vec::new();
    // Entities have ids of their own; two with one label and range are two
    // records. The label shape's entries have none: a repeat is a duplicate.
    let mut id_less: BTreeSet<u64> = BTreeSet::new();

    // The relation shape.
    let entities = array("entities");
    let mut ids = Ids::new(entities.iter().filter_map(|e| e.get("id").and_then(as_id)));
    let mut by_foreign: BTreeMap<String, u64> = BTreeMap::new();
    for e in entities {
        let id = ids.take(e.get("id").and_then(as_id));
        if let Some(f) = e.get("id") {
            by_foreign.entry(f.to_string()).or_insert(id);
        }
        found.push((
            id,
            e.get("label").and_then(Value::as_str).unwrap_or_default(),
            as_offset(e.get("start_offset")),
            as_offset(e.get("end_offset")),
        ));
    }
    // The sequence-labelling shape.
    for key in ["label", "labels"] {
        for l in array(key) {
            match l.as_array().map(Vec::as_slice) {
                Some([s, e, label, ..]) => {
                    let id = ids.take(None);
                    id_less.insert(id);
                    found.push((
                        id,
                        label.as_str().unwrap_or_default(),
                        as_offset(Some(s)),
                        as_offset(Some(e)),
                    ));
                }
                // Document-level classification labels.
                _ if l.is_string() => w.count(Loss::NonSpanResults),
                _ => w.problem(
                    ProblemKind::Malformed,
                    Some(no),
                    format!("{key} entry {l} is not [start, end, label]; left out"),
                ),
            }
        }
    }
    for key in ["Comments", "comments"] {
        w.add(Loss::NonSpanResults, array(key).len());
    }
    if obj
        .get("meta")
        .is_some_and(|m| m.as_object().is_none_or(|o| !o.is_empty()))
    {
        w.count(Loss::MetaNotCarried);
    }
    let found = in_code_points(found, text, (no, units), w);
    let mut spans = Vec::new();
    // A label-shape span given twice (same label, same place) is kept once.
    let mut seen: BTreeSet<(&str, usize, usize)> = BTreeSet::new();
    for (id, label, s, e) in found {
        let what = format!("span {label:?}");
        let (Some(s), Some(e)) = (s, e) else {
            w.problem(
                ProblemKind::Malformed,
                Some(no),
                format!("{what}: offsets are not numbers; left out"),
            );
            continue;
        };
        if let Some((range, quote)) = locate(text, s..e, None, w, Some(no), &what) {
            if id_less.contains(&id) && seen.contains(&(label, range.start, range.end)) {
                w.problem(
                    ProblemKind::Malformed,
                    Some(no),
                    format!("{what} at {s}..{e} is given twice; the second left out"),
                );
                continue;
            }
            seen.insert((label, range.start, range.end));
            spans.push(super::raw_span(
                id,
                names.label(label),
                range,
                quote,
                names.human(None),
            ));
        }
    }

    let links = read_relations(array("relations"), &by_foreign, &spans, no, names, w);
    (spans, links)
}

/// A span as found on a line: (id, label, start, end).
type Found<'a> = (u64, &'a str, Option<usize>, Option<usize>);

/// The spans' offsets as code points: converted from UTF-16 units (a
/// span whose offset falls inside a character so is reported and left
/// out), or checked for looking like UTF-16 units (reported once for the
/// line).
fn in_code_points<'a>(
    found: Vec<Found<'a>>,
    text: &Text,
    (no, units): (usize, Units),
    w: &mut Warnings,
) -> Vec<Found<'a>> {
    if units == Units::CodePoints {
        if let Some((fit, of)) = looks_utf16(&found, text) {
            w.problem(
                super::ProblemKind::Utf16Offsets,
                Some(no),
                format!(
                    "the offsets look like UTF-16 code units, as doccano's web interface counts them: {fit} of {of} spans after an emoji or other character beyond the BMP fit word boundaries only when read so; read as code points (pass --offsets utf16 to read them as UTF-16)"
                ),
            );
        }
        return found;
    }
    let mut out = Vec::with_capacity(found.len());
    for (id, label, s, e) in found {
        let conv = |o: Option<usize>| o.map(|o| (o, text.from_units(o, units)));
        match (conv(s), conv(e)) {
            (Some((_, Some(a))), Some((_, Some(b)))) => {
                if a != s.unwrap_or(a) || b != e.unwrap_or(b) {
                    w.count(Loss::Utf16Units);
                }
                out.push((id, label, Some(a), Some(b)));
            }
            (Some((a, _)), Some((b, _))) => w.problem(
                super::ProblemKind::OutOfRange,
                Some(no),
                format!(
                    "span {label:?} at {a}..{b}: not a character boundary as UTF-16 units (inside an emoji's surrogate pair, or past the text's {} units); left out",
                    text.len_utf16()
                ),
            ),
            // Not numbers: reported when placed.
            _ => out.push((id, label, s, e)),
        }
    }
    out
}

/// Whether the spans of a line read as code points look like UTF-16 code
/// units: on a text with characters beyond the BMP, more spans fit word
/// boundaries (or the text at all) only when read as UTF-16 than only when
/// read as code points. Gives (those spans, the spans the readings tell
/// apart).
fn looks_utf16(found: &[Found], text: &Text) -> Option<(usize, usize)> {
    if text.len_utf16() == text.len_chars() {
        return None;
    }
    let fits = |s: usize, e: usize, units: Units| match (
        text.from_units(s, units),
        text.from_units(e, units),
    ) {
        (Some(a), Some(b)) => a < b && text.at_word_edge(a) && text.at_word_edge(b),
        _ => false,
    };
    let (mut only_u16, mut only_cp, mut apart) = (0, 0, 0);
    for &(_, _, s, e) in found {
        let (Some(s), Some(e)) = (s, e) else { continue };
        if text.from_units(s, Units::Utf16) == Some(s)
            && text.from_units(e, Units::Utf16) == Some(e)
        {
            continue;
        }
        apart += 1;
        match (fits(s, e, Units::CodePoints), fits(s, e, Units::Utf16)) {
            (false, true) => only_u16 += 1,
            (true, false) => only_cp += 1,
            _ => {}
        }
    }
    (only_u16 > only_cp).then_some((only_u16, apart))
}

/// The relations of one line between the spans placed.
fn read_relations(
    relations: &[Value],
    by_foreign: &BTreeMap<String, u64>,
    spans: &[RawSpan],
    no: usize,
    names: &Names,
    w: &mut Warnings,
) -> Vec<RawLink> {
    let mut links = Vec::new();
    let mut link_ids = Ids::new(relations.iter().filter_map(|r| r.get("id").and_then(as_id)));
    let placed: BTreeSet<u64> = spans.iter().map(|s| s.id).collect();
    for r in relations {
        let end = |k: &str| {
            r.get(k)
                .map(Value::to_string)
                .and_then(|f| by_foreign.get(&f).copied())
                .filter(|id| placed.contains(id))
        };
        let kind = r.get("type").and_then(Value::as_str).unwrap_or("related");
        match (end("from_id"), end("to_id")) {
            (Some(from), Some(to)) => {
                let id = link_ids.take(r.get("id").and_then(as_id));
                links.push(super::raw_link(id, names.kind(kind), from, to));
            }
            _ => w.problem(
                ProblemKind::Malformed,
                Some(no),
                format!("relation {r} joins entities this line does not have; left out"),
            ),
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::Mapping;
    use crate::schema::Schema;

    #[test]
    fn both_shapes_read_with_line_numbers_for_problems() {
        let src = concat!(
            r#"{"id": 7, "text": "Gedung Putih 👍🏽 membantah.", "label": [[0, 12, "Source"], [16, 25, "denial"], "positive"]}"#,
            "\n\nnot json\n",
            r#"{"text": "Kirby said: ships.", "entities": [{"id": 5, "label": "source", "start_offset": 0, "end_offset": 5}, {"id": 6, "label": "claim", "start_offset": 12, "end_offset": 17}, {"id": 8, "label": "claim", "start_offset": 12, "end_offset": 99}], "relations": [{"id": 1, "from_id": 6, "to_id": 5, "type": "said_by"}, {"id": 2, "from_id": 8, "to_id": 5, "type": "said_by"}], "doc": "../kirby.txt"}"#,
            "\n"
        );
        let (m, s) = (Mapping::default(), Schema::builtin());
        let names = Names {
            mapping: &m,
            schema: &s,
            annotator: "ana",
        };
        let mut w = Warnings::default();
        let docs = read(src, "batch", Units::CodePoints, &names, &mut w);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].rel, std::path::Path::new("batch-7.txt"));
        assert_eq!(docs[0].spans[0].label, "source");
        assert_eq!(
            docs[0]
                .article
                .text
                .slice(docs[0].spans[1].start..docs[0].spans[1].end),
            Some("membantah")
        );
        assert_eq!(docs[1].rel, std::path::Path::new("kirby.txt"));
        assert_eq!(docs[1].spans.len(), 2);
        assert_eq!(docs[1].links.len(), 1);
        assert_eq!(docs[1].links[0].from, 6);
        let problems: Vec<(ProblemKind, Option<usize>)> =
            w.problems.iter().map(|p| (p.kind, p.line)).collect();
        assert_eq!(
            problems,
            [
                (ProblemKind::Malformed, Some(3)),
                (ProblemKind::OutOfRange, Some(4)),
                (ProblemKind::Malformed, Some(4)),
            ]
        );
        assert_eq!(w.counts[&Loss::NonSpanResults], 1);
    }
}
