//! W3C Web Annotation Data Model, as JSON-LD.
//!
//! Export writes one `NAME.jsonld` per article, an `AnnotationCollection`
//! whose one page holds an annotation per span and one per link:
//!
//! - a span: `motivation: "tagging"`, a `TextualBody` with `purpose:
//!   "tagging"` whose value is the label (and one with `purpose:
//!   "commenting"` for its note), and a target on `source: "NAME.txt"` with
//!   a `TextQuoteSelector` (`exact`, `prefix`, `suffix`) and a
//!   `TextPositionSelector` (`start`, `end`, in code points, as the model
//!   requires); `creator` is a `Person` or, for machine spans, `Software`;
//! - a link: `motivation: "linking"`, target the `from` span's annotation,
//!   body the relation name (a tagging `TextualBody`) and the `to` span's
//!   annotation.
//!
//! Ids are `#span-ID` and `#link-ID`, relative to the file. Score, review
//! status and attributes have no term in the model; they are written as
//! `tandai:score`, `tandai:status`, `tandai:reviewer`, `tandai:proposed`, `tandai:attributes`
//! and `tandai:entity` (who a source is: `{"id", "name", "role"}`), with
//! the prefix declared in the `@context`.
//!
//! Import reads that, and annotations from other tools: a single
//! annotation, a list, an `AnnotationPage` or an `AnnotationCollection` with
//! an embedded first page. A target with only a `TextQuoteSelector` is
//! found by its quote (and prefix and suffix). The article is the target's
//! `source`, read relative to the JSON-LD file.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use super::{
    EntityPool, EntityRef, ExportDoc, Ids, ImportedDoc, Names, ProblemKind, Resolve, Warnings,
    locate,
};
use crate::format::{RawEntity, RawLink, RawSpan};
use crate::model::{Origin, Proposed, Status};
use crate::offsets::Text;

/// The `@context` of files tandai writes.
const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// What the `tandai:` prefix stands for.
const VOCAB: &str = "urn:x-tandai:";

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Selector<'a> {
    Quote {
        #[serde(rename = "type")]
        kind: &'static str,
        exact: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        prefix: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        suffix: &'a str,
    },
    Position {
        #[serde(rename = "type")]
        kind: &'static str,
        start: usize,
        end: usize,
    },
}

#[derive(Serialize)]
struct Target<'a> {
    source: String,
    selector: [Selector<'a>; 2],
}

#[derive(Serialize)]
struct Agent<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct SpanAnnotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    body: Vec<Body<'a>>,
    target: Target<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<Agent<'a>>,
    #[serde(rename = "tandai:score", skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(rename = "tandai:status", skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
    #[serde(rename = "tandai:reviewer", skip_serializing_if = "Option::is_none")]
    reviewer: Option<&'a str>,
    #[serde(rename = "tandai:proposed", skip_serializing_if = "Option::is_none")]
    proposed: Option<&'a Proposed>,
    #[serde(
        rename = "tandai:attributes",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    attributes: &'a BTreeMap<String, String>,
    /// Boxed: items are an enum whose variants should stay near in size.
    #[serde(rename = "tandai:entity", skip_serializing_if = "Option::is_none")]
    entity: Option<Box<EntityRef>>,
}

#[derive(Serialize)]
struct Reference {
    id: String,
}

#[derive(Serialize)]
#[serde(untagged)]
enum LinkBody<'a> {
    Name(Body<'a>),
    To(Reference),
}

#[derive(Serialize)]
struct LinkAnnotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    body: [LinkBody<'a>; 2],
    target: String,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Item<'a> {
    Span(SpanAnnotation<'a>),
    Link(LinkAnnotation<'a>),
}

#[derive(Serialize)]
struct Page<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: (&'static str, BTreeMap<&'static str, &'static str>),
    #[serde(rename = "type")]
    kind: &'static str,
    label: String,
    total: usize,
    first: Page<'a>,
}

/// Writes one document's annotations; `doc.name` is the target `source`.
pub fn write(doc: &ExportDoc, names: &Names, w: &mut Warnings) -> String {
    let spans = doc.spans(true, w);
    let links = doc.links(&spans, w);
    super::count_entities(doc, &spans, true, w);
    let mut items = Vec::with_capacity(spans.len() + links.len());
    for s in &spans {
        let mut body = vec![Body {
            kind: "TextualBody",
            purpose: "tagging",
            value: names.out_label(&s.label),
        }];
        if let Some(note) = &s.note {
            body.push(Body {
                kind: "TextualBody",
                purpose: "commenting",
                value: note,
            });
        }
        let (creator, score) = match &s.origin {
            Origin::Human { annotator } => (
                (!annotator.is_empty()).then_some(Agent {
                    kind: "Person",
                    name: annotator,
                }),
                None,
            ),
            Origin::Machine { model, score } => (
                Some(Agent {
                    kind: "Software",
                    name: model,
                }),
                *score,
            ),
        };
        items.push(Item::Span(SpanAnnotation {
            id: format!("#span-{}", s.id),
            kind: "Annotation",
            motivation: "tagging",
            body,
            target: Target {
                source: encode(doc.name),
                selector: [
                    Selector::Quote {
                        kind: "TextQuoteSelector",
                        exact: &s.text,
                        prefix: &s.before,
                        suffix: &s.after,
                    },
                    Selector::Position {
                        kind: "TextPositionSelector",
                        start: s.start,
                        end: s.end,
                    },
                ],
            },
            creator,
            score,
            status: s.status,
            reviewer: s.reviewer.as_deref(),
            proposed: s.proposed.as_ref(),
            attributes: &s.attributes,
            entity: EntityRef::of(doc.ann, s).map(Box::new),
        }));
    }
    for l in links {
        items.push(Item::Link(LinkAnnotation {
            id: format!("#link-{}", l.id),
            kind: "Annotation",
            motivation: "linking",
            body: [
                LinkBody::Name(Body {
                    kind: "TextualBody",
                    purpose: "tagging",
                    value: names.out_kind(&l.kind),
                }),
                LinkBody::To(Reference {
                    id: format!("#span-{}", l.to),
                }),
            ],
            target: format!("#span-{}", l.from),
        }));
    }
    let collection = Collection {
        context: (CONTEXT, BTreeMap::from([("tandai", VOCAB)])),
        kind: "AnnotationCollection",
        label: format!("tandai annotations of {}", doc.name),
        total: items.len(),
        first: Page {
            kind: "AnnotationPage",
            start_index: 0,
            items,
        },
    };
    let mut out = serde_json::to_string_pretty(&collection).unwrap_or_default();
    out.push('\n');
    out
}

/// A relative path as an IRI reference: ASCII other than letters, digits
/// and `-._~/` percent-encoded; other characters kept (IRIs allow them).
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/') || !c.is_ascii() {
            out.push(c);
        } else {
            let _ = write!(out, "%{:02X}", u32::from(c));
        }
    }
    out
}

/// Undoes percent-encoding; text that does not decode to UTF-8 is kept.
fn decode(iri: &str) -> String {
    let b = iri.as_bytes();
    let mut bytes = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (b[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                bytes.push(v);
                i += 3;
            }
            (c, _) => {
                bytes.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| iri.to_owned())
}

fn as_str<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// One value or a list of them, as a list.
fn many(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(v) => vec![v],
    }
}

fn has_type(v: &Value, ty: &str) -> bool {
    many(v.get("type").or_else(|| v.get("@type")))
        .iter()
        .any(|t| t.as_str() == Some(ty))
}

/// An id, or a reference to one (`"#x"` or `{"id": "#x"}`).
fn id_of(v: &Value) -> Option<&str> {
    v.as_str()
        .or_else(|| as_str(v, "id"))
        .or_else(|| as_str(v, "@id"))
}

/// The annotations of a document, with their JSON Pointers.
fn annotations(root: &Value) -> Vec<(String, &Value)> {
    let (items, base) = if has_type(root, "AnnotationCollection") {
        let first = root.get("first").unwrap_or(&Value::Null);
        (first.get("items"), "/first/items")
    } else if has_type(root, "AnnotationPage") {
        (root.get("items"), "/items")
    } else if let Value::Array(_) = root {
        (Some(root), "")
    } else {
        return vec![(String::new(), root)];
    };
    many(items)
        .into_iter()
        .enumerate()
        .map(|(i, v)| (format!("{base}/{i}"), v))
        .collect()
}

/// The source a target names.
fn source_of(target: &Value) -> Option<&str> {
    as_str(target, "source").or_else(|| target.get("source").and_then(id_of))
}

/// A span annotation, read against its article.
struct Read {
    foreign: Option<String>,
    span: RawSpan,
    entity: Option<EntityRef>,
}

/// Reads a JSON-LD file of annotations; each article is found through
/// `resolve` from the targets' `source`.
pub fn read(src: &str, names: &Names, resolve: &mut Resolve, w: &mut Warnings) -> Vec<ImportedDoc> {
    let Some((root, lines)) = super::jsonpos::parse(src, w) else {
        return Vec::new();
    };
    let all = annotations(&root);
    // Articles in the order they are first named.
    let mut order: Vec<&str> = Vec::new();
    let mut spans_of: HashMap<&str, Vec<(Option<usize>, &Value)>> = HashMap::new();
    let mut link_items = Vec::new();
    for (ptr, a) in &all {
        let line = lines.line(ptr);
        if as_str(a, "motivation") == Some("linking") {
            link_items.push((line, *a));
            continue;
        }
        let target = many(a.get("target")).into_iter().next();
        match target.and_then(source_of) {
            Some(source) => {
                if !spans_of.contains_key(source) {
                    order.push(source);
                }
                spans_of.entry(source).or_default().push((line, *a));
            }
            None => w.problem(
                ProblemKind::Malformed,
                line,
                "annotation without a target source; left out",
            ),
        }
    }

    let mut docs = Vec::new();
    let mut owner: HashMap<String, (usize, u64)> = HashMap::new();
    for source in order {
        let items = spans_of.remove(source).unwrap_or_default();
        let located = match resolve(&decode(source)) {
            Ok(l) => l,
            Err(m) => {
                w.problem(
                    ProblemKind::Io,
                    items.first().and_then(|i| i.0),
                    format!("{m}; its {} annotations are left out", items.len()),
                );
                continue;
            }
        };
        let read: Vec<Read> = items
            .iter()
            .filter_map(|(line, a)| read_span(a, &located.article.text, *line, names, w))
            .collect();
        let (spans, entities) = settle_ids(read, docs.len(), &mut owner);
        docs.push(ImportedDoc {
            rel: located.rel,
            article: located.article,
            source: Some(located.source),
            spans,
            links: Vec::new(),
            entities,
        });
    }
    let mut link_ids: Vec<Ids> = docs
        .iter()
        .map(|_| {
            Ids::new(
                link_items
                    .iter()
                    .filter_map(|(_, a)| own_id(id_of(a), "link-")),
            )
        })
        .collect();
    for (line, a) in link_items {
        match read_link(a, names, &owner) {
            Ok((doc, mut link)) => {
                link.id = link_ids[doc].take(own_id(id_of(a), "link-"));
                docs[doc].links.push(link);
            }
            Err(m) => w.problem(ProblemKind::Malformed, line, format!("{m}; link left out")),
        }
    }
    docs
}

/// The number of an id like `#span-3` (`kind` `span-`), if it is one.
fn own_id(id: Option<&str>, kind: &str) -> Option<u64> {
    id?.rsplit_once(kind)?.1.parse().ok()
}

/// Gives spans their own ids where those are `#span-N` and free, fresh
/// ones otherwise, and their entities one list; remembers which document
/// and span each foreign id is.
fn settle_ids(
    read: Vec<Read>,
    doc: usize,
    owner: &mut HashMap<String, (usize, u64)>,
) -> (Vec<RawSpan>, Vec<RawEntity>) {
    let mut ids = Ids::new(
        read.iter()
            .filter_map(|r| own_id(r.foreign.as_deref(), "span-")),
    );
    let mut entities = EntityPool::new(read.iter().filter_map(|r| r.entity.as_ref()?.id));
    let mut spans = Vec::with_capacity(read.len());
    for r in read {
        let id = ids.take(own_id(r.foreign.as_deref(), "span-"));
        if let Some(f) = r.foreign {
            owner.entry(f).or_insert((doc, id));
        }
        let mut span = r.span;
        span.id = id;
        span.entity = r.entity.map(|e| entities.take(e));
        spans.push(span);
    }
    (spans, entities.into_list())
}

fn read_span(
    a: &Value,
    text: &Text,
    line: Option<usize>,
    names: &Names,
    w: &mut Warnings,
) -> Option<Read> {
    let foreign = id_of(a).map(str::to_owned);
    let what = format!("annotation {}", foreign.as_deref().unwrap_or("without id"));
    let bodies = many(a.get("body").or_else(|| a.get("bodyValue")));
    let mut label = None;
    let mut notes = Vec::new();
    for b in &bodies {
        let value = b.as_str().or_else(|| as_str(b, "value"));
        match (as_str(b, "purpose"), value) {
            (Some("commenting" | "describing"), Some(v)) => notes.push(v),
            (_, Some(v)) if label.is_none() => label = Some(v),
            _ => {}
        }
    }
    let Some(label) = label else {
        w.problem(
            ProblemKind::Malformed,
            line,
            format!("{what} has no label (a tagging body); left out"),
        );
        return None;
    };
    let target = many(a.get("target")).into_iter().next()?;
    let selectors: Vec<&Value> = many(target.get("selector"));
    let quote_sel = selectors.iter().find(|s| has_type(s, "TextQuoteSelector"));
    let pos = selectors
        .iter()
        .find(|s| has_type(s, "TextPositionSelector"));
    let exact = quote_sel.and_then(|q| as_str(q, "exact"));
    let offset = |k| {
        pos.and_then(|p| p.get(k))
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
    };
    let range = match (offset("start"), offset("end"), quote_sel) {
        (Some(s), Some(e), _) => s..e,
        (_, _, Some(q)) => {
            let Some(r) = find_quote(text, q) else {
                w.problem(
                    ProblemKind::TextMismatch,
                    line,
                    format!("{what}: its quote is not in the text; left out"),
                );
                return None;
            };
            r
        }
        _ => {
            w.problem(
                ProblemKind::Malformed,
                line,
                format!(
                    "{what} has neither a TextPositionSelector nor a TextQuoteSelector; left out"
                ),
            );
            return None;
        }
    };
    let (range, quote) = locate(text, range, exact, w, line, &what)?;
    let score = a.get("tandai:score").and_then(Value::as_f64);
    let creator = many(a.get("creator")).into_iter().next();
    let creator_name = creator.and_then(|c| {
        c.as_str()
            .or_else(|| as_str(c, "name"))
            .or_else(|| as_str(c, "nickname"))
    });
    let machine = creator.is_some_and(|c| has_type(c, "Software")) || score.is_some();
    let origin = if machine {
        Origin::Machine {
            model: creator_name.unwrap_or_default().to_owned(),
            score,
        }
    } else {
        names.human(creator_name)
    };
    let mut span = super::raw_span(0, names.label(label), range, quote, origin);
    span.status =
        as_str(a, "tandai:status").and_then(|s| Status::ALL.into_iter().find(|x| x.name() == s));
    span.reviewer = as_str(a, "tandai:reviewer").map(str::to_owned);
    span.proposed = a
        .get("tandai:proposed")
        .and_then(|p| serde_json::from_value(p.clone()).ok());
    span.note = (!notes.is_empty()).then(|| notes.join("\n"));
    if let Some(attrs) = a.get("tandai:attributes").and_then(Value::as_object) {
        for (k, v) in attrs {
            if let Some(v) = v.as_str() {
                span.attributes.insert(k.clone(), v.to_owned());
            }
        }
    }
    let entity = EntityRef::from_json(a.get("tandai:entity"));
    Some(Read {
        foreign,
        span,
        entity,
    })
}

/// Where a `TextQuoteSelector` matches: the occurrence of `exact` whose
/// prefix and suffix agree best, the first of equals.
fn find_quote(text: &Text, q: &Value) -> Option<std::ops::Range<usize>> {
    let exact = as_str(q, "exact").filter(|e| !e.is_empty())?;
    let prefix = as_str(q, "prefix").unwrap_or_default();
    let suffix = as_str(q, "suffix").unwrap_or_default();
    let hay = text.as_str();
    let score = |at: usize| {
        let before = hay[..at]
            .chars()
            .rev()
            .zip(prefix.chars().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let after = hay[at + exact.len()..]
            .chars()
            .zip(suffix.chars())
            .take_while(|(a, b)| a == b)
            .count();
        before + after
    };
    let (best, _) = hay
        .match_indices(exact)
        .map(|(at, _)| (at, score(at)))
        .fold(None, |acc: Option<(usize, usize)>, (at, s)| match acc {
            Some((_, bs)) if bs >= s => acc,
            _ => Some((at, s)),
        })?;
    text.char_range(best..best + exact.len())
}

fn read_link(
    a: &Value,
    names: &Names,
    owner: &HashMap<String, (usize, u64)>,
) -> Result<(usize, RawLink), String> {
    let bodies = many(a.get("body"));
    let name = bodies
        .iter()
        .find_map(|b| b.as_object().and_then(|_| as_str(b, "value")))
        .unwrap_or("related");
    let refs: Vec<&str> = bodies
        .iter()
        .filter(|b| as_str(b, "value").is_none())
        .filter_map(|b| id_of(b))
        .collect();
    let targets: Vec<&str> = many(a.get("target"))
        .into_iter()
        .filter_map(id_of)
        .collect();
    // Ours: target from, body to. Others: two targets, from and to.
    let (from, to) = match (targets.as_slice(), refs.as_slice()) {
        ([from], [to, ..]) | ([from, to], []) => (*from, *to),
        _ => {
            return Err(
                "a link needs one target and a body naming the other end, or two targets"
                    .to_owned(),
            );
        }
    };
    let (Some(&(da, a)), Some(&(db, b))) = (owner.get(from), owner.get(to)) else {
        return Err(format!(
            "{from} or {to} is not a span annotation of this file"
        ));
    };
    if da != db {
        return Err(format!("{from} and {to} are in different documents"));
    }
    Ok((da, super::raw_link(0, names.kind(name), a, b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_encode_and_decode() {
        let name = "berita 50%#1 ü.txt";
        assert_eq!(encode(name), "berita%2050%25%231%20ü.txt");
        assert_eq!(decode(&encode(name)), name);
        assert_eq!(decode("a%zz%e2"), "a%zz%e2");
    }

    #[test]
    fn quotes_are_found_by_prefix_and_suffix() {
        let t = Text::new("👍🏽 AS menuding; AS membantah".to_owned());
        let q = serde_json::json!({"type": "TextQuoteSelector", "exact": "AS", "prefix": "; ", "suffix": " mem"});
        assert_eq!(find_quote(&t, &q), Some(16..18));
        let q = serde_json::json!({"type": "TextQuoteSelector", "exact": "AS"});
        assert_eq!(find_quote(&t, &q), Some(3..5));
        let q = serde_json::json!({"type": "TextQuoteSelector", "exact": "Kirby"});
        assert_eq!(find_quote(&t, &q), None);
    }
}
