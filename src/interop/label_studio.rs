//! Label Studio JSON: a list of tasks, each with its text in `data`.
//!
//! Spans are `labels` results, `{"id", "type": "labels", "value": {"start",
//! "end", "text", "labels": [...]}}`, with code-point offsets; links are
//! `relation` results between region ids (`direction` `right` is from ->
//! to). `annotations[]` are people's work; `predictions[]` (with
//! `model_version` and `score`) come in as machine spans, pending review.
//! A region's `meta.text` is its note.
//!
//! Export puts each document in one task: unreviewed and rejected machine
//! spans in `predictions` (one per model), everything else in one
//! annotation, reviewed machine spans with `origin: "prediction"`. What
//! Label Studio has no field for (annotator, model, status, attributes)
//! rides along in an extra `tandai` object on each region, which Label
//! Studio keeps and tandai reads back; so does a source's entity
//! (`tandai.entity`: `{"id", "name", "role"}`). Links can only join regions of one
//! result list, so a machine span linked to a span of another list goes
//! into the annotation too.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::{Map, Value};

use super::jsonpos::Lines;
use super::{
    EntityPool, EntityRef, ExportDoc, Ids, ImportedDoc, Loss, Names, ProblemKind, Warnings, locate,
};
use crate::document::Article;
use crate::format::{RawEntity, RawLink, RawSpan};
use crate::model::{Origin, Proposed, Span, SpanId, Status};

/// What tandai keeps on a region beyond Label Studio's fields.
#[derive(Serialize, Default)]
struct Extra<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    annotator: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reviewer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proposed: Option<&'a Proposed>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    attributes: BTreeMap<&'a str, &'a str>,
    /// Boxed: results are an enum whose variants should stay near in size.
    #[serde(skip_serializing_if = "Option::is_none")]
    entity: Option<Box<EntityRef>>,
}

#[derive(Serialize)]
struct RegionValue<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [&'a str; 1],
}

#[derive(Serialize)]
struct Meta<'a> {
    text: [&'a str; 1],
}

#[derive(Serialize)]
struct Region<'a> {
    id: String,
    from_name: &'static str,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: RegionValue<'a>,
    origin: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Meta<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tandai: Option<Extra<'a>>,
}

#[derive(Serialize)]
struct LinkExtra {
    id: u64,
}

#[derive(Serialize)]
struct Relation<'a> {
    from_id: String,
    to_id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    direction: &'static str,
    labels: [&'a str; 1],
    tandai: LinkExtra,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Result<'a> {
    Region(Region<'a>),
    Relation(Relation<'a>),
}

#[derive(Serialize)]
struct Annotation<'a> {
    result: Vec<Result<'a>>,
}

#[derive(Serialize)]
struct Prediction<'a> {
    model_version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    result: Vec<Result<'a>>,
}

#[derive(Serialize)]
struct Data<'a> {
    text: &'a str,
    doc: &'a str,
}

#[derive(Serialize)]
struct Task<'a> {
    id: usize,
    data: Data<'a>,
    annotations: Vec<Annotation<'a>>,
    predictions: Vec<Prediction<'a>>,
}

fn region<'a>(s: &'a Span, entity: Option<EntityRef>, names: &'a Names) -> Region<'a> {
    let (origin, score, model) = match &s.origin {
        Origin::Machine { model, score } => {
            let origin = match s.status {
                Some(Status::Corrected) => "prediction-changed",
                _ => "prediction",
            };
            (origin, *score, Some(model.as_str()))
        }
        Origin::Human { .. } => ("manual", None, None),
    };
    let annotator = match &s.origin {
        Origin::Human { annotator } if !annotator.is_empty() => Some(annotator.as_str()),
        _ => None,
    };
    let extra = Extra {
        annotator,
        model,
        status: s.status,
        reviewer: s.reviewer.as_deref(),
        proposed: s.proposed.as_ref(),
        attributes: s
            .attributes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
        entity: entity.map(Box::new),
    };
    let has_extra = extra.annotator.is_some()
        || extra.model.is_some()
        || extra.status.is_some()
        || extra.reviewer.is_some()
        || extra.proposed.is_some()
        || !extra.attributes.is_empty()
        || extra.entity.is_some();
    Region {
        id: s.id.to_string(),
        from_name: "label",
        to_name: "text",
        kind: "labels",
        value: RegionValue {
            start: s.start,
            end: s.end,
            text: &s.text,
            labels: [names.out_label(&s.label)],
        },
        origin,
        score,
        meta: s.note.as_deref().map(|n| Meta { text: [n] }),
        tandai: has_extra.then_some(extra),
    }
}

/// Which result list a span goes to: `None` the annotation, else the
/// prediction of its model.
fn list_of(s: &Span) -> Option<&str> {
    match &s.origin {
        Origin::Machine { model, .. }
            if matches!(s.status, None | Some(Status::Pending | Status::Rejected)) =>
        {
            Some(model.as_str())
        }
        _ => None,
    }
}

/// Writes one document as one task (pretty JSON, indented to sit in the
/// list [`wrap`] makes); `index` is its 1-based number in the export.
pub fn write(doc: &ExportDoc, index: usize, names: &Names, w: &mut Warnings) -> String {
    let spans = doc.spans(true, w);
    let links = doc.links(&spans, w);
    super::count_entities(doc, &spans, true, w);
    // Which result list each span goes to: `None` the annotation, else the
    // prediction of its model.
    // A link can only join regions of one result list: a machine span
    // linked across lists joins the annotation (its status rides along).
    let mut where_is: HashMap<SpanId, Option<&str>> =
        spans.iter().map(|s| (s.id, list_of(s))).collect();
    loop {
        let mut moved = false;
        for l in &links {
            let (a, b) = (where_is.get(&l.from).copied(), where_is.get(&l.to).copied());
            if let (Some(a), Some(b)) = (a, b)
                && a != b
            {
                for end in [l.from, l.to] {
                    if let Some(list) = where_is.get_mut(&end)
                        && list.is_some()
                    {
                        *list = None;
                        moved = true;
                    }
                }
            }
        }
        if !moved {
            break;
        }
    }
    let mut lists: BTreeMap<Option<&str>, Vec<Result>> = BTreeMap::new();
    let mut scores: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for s in &spans {
        let list = where_is.get(&s.id).copied().flatten();
        if let (Some(model), Origin::Machine { score: Some(x), .. }) = (list, &s.origin) {
            scores.entry(model).or_default().push(*x);
        }
        lists.entry(list).or_default().push(Result::Region(region(
            s,
            EntityRef::of(doc.ann, s),
            names,
        )));
    }
    for l in links {
        let list = where_is.get(&l.from).copied().flatten();
        lists
            .entry(list)
            .or_default()
            .push(Result::Relation(Relation {
                from_id: l.from.to_string(),
                to_id: l.to.to_string(),
                kind: "relation",
                direction: "right",
                labels: [names.out_kind(&l.kind)],
                tandai: LinkExtra { id: l.id.0 },
            }));
    }
    let annotations = lists
        .remove(&None)
        .map(|result| Annotation { result })
        .into_iter()
        .collect();
    let predictions = lists
        .into_iter()
        .filter_map(|(model, result)| {
            let model = model?;
            let s = scores.get(model).filter(|v| !v.is_empty());
            Some(Prediction {
                model_version: model,
                score: s.map(|v| v.iter().sum::<f64>() / v.len() as f64),
                result,
            })
        })
        .collect();
    let task = Task {
        id: index,
        data: Data {
            text: doc.text.as_str(),
            doc: doc.name,
        },
        annotations,
        predictions,
    };
    let json = serde_json::to_string_pretty(&task).unwrap_or_default();
    let mut out = String::with_capacity(json.len() + json.len() / 8);
    for line in json.lines() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out.pop();
    out
}

/// The list of tasks [`write()`] made, as one JSON text.
pub fn wrap(tasks: &[String]) -> String {
    if tasks.is_empty() {
        return "[]\n".to_owned();
    }
    format!("[\n{}\n]\n", tasks.join(",\n"))
}

fn as_str<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Who made the regions of one result list.
#[derive(Clone)]
enum Maker {
    Person(Option<String>),
    Model(String, Option<f64>),
}

/// A region found, before ids are settled.
struct Found<'a> {
    foreign: Option<&'a str>,
    list: usize,
    span: RawSpan,
    entity: Option<EntityRef>,
}

/// Reads a Label Studio JSON export (a list of tasks, or one task); `stem`
/// names documents that have no name of their own.
pub fn read(src: &str, stem: &str, names: &Names, w: &mut Warnings) -> Vec<ImportedDoc> {
    let Some((root, at_line)) = super::jsonpos::parse(src, w) else {
        return Vec::new();
    };
    let (tasks, base): (Vec<&Value>, &str) = match &root {
        Value::Array(a) => (a.iter().collect(), ""),
        Value::Object(_) => (vec![&root], "single"),
        _ => {
            w.problem(ProblemKind::Malformed, Some(1), "not a list of tasks");
            return Vec::new();
        }
    };
    let mut docs = Vec::new();
    for (i, task) in tasks.into_iter().enumerate() {
        let ptr = if base.is_empty() {
            format!("/{i}")
        } else {
            String::new()
        };
        let line = at_line.line(&ptr);
        let data = task.get("data").unwrap_or(&Value::Null);
        let text = as_str(data, "text").or_else(|| {
            let mut strings = data
                .as_object()
                .into_iter()
                .flat_map(Map::values)
                .filter_map(Value::as_str);
            let first = strings.next();
            first.filter(|_| strings.next().is_none())
        });
        let Some(text) = text else {
            w.problem(
                ProblemKind::Malformed,
                line,
                format!("task {}: no text in \"data\"; left out", i + 1),
            );
            continue;
        };
        let given = ["doc", "name", "filename"]
            .iter()
            .find_map(|k| as_str(data, k));
        let fallback = match task.get("id") {
            Some(id @ Value::Number(_)) => format!("{stem}-{id}"),
            _ => format!("{stem}-{}", i + 1),
        };
        let mut entities = Vec::new();
        let mut doc = ImportedDoc::inline(given, &fallback, text, |article| {
            let (spans, links, found) = read_task(task, &ptr, article, &at_line, names, w);
            entities = found;
            (spans, links)
        });
        doc.entities = entities;
        docs.push(doc);
    }
    docs
}

fn maker_of_annotation(a: &Value) -> Maker {
    let by = as_str(a, "tandai_annotator")
        .map(str::to_owned)
        .or_else(|| match a.get("completed_by") {
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::String(s)) => Some(s.clone()),
            Some(o @ Value::Object(_)) => as_str(o, "email").map(str::to_owned),
            _ => None,
        });
    Maker::Person(by)
}

fn read_task(
    task: &Value,
    ptr: &str,
    article: &Article,
    at_line: &Lines,
    names: &Names,
    w: &mut Warnings,
) -> (Vec<RawSpan>, Vec<RawLink>, Vec<RawEntity>) {
    let empty = Vec::new();
    let list = |key: &str| task.get(key).and_then(Value::as_array).unwrap_or(&empty);
    let mut lists: Vec<(String, Maker, &Vec<Value>)> = Vec::new();
    // `completions` is what older exports (and the frontend's examples)
    // call `annotations`: people's work either way.
    for key in ["annotations", "completions"] {
        for (j, a) in list(key).iter().enumerate() {
            if let Some(r) = a.get("result").and_then(Value::as_array) {
                lists.push((format!("{ptr}/{key}/{j}/result"), maker_of_annotation(a), r));
            }
        }
    }
    for (j, p) in list("predictions").iter().enumerate() {
        if let Some(r) = p.get("result").and_then(Value::as_array) {
            let model = as_str(p, "model_version").unwrap_or_default().to_owned();
            let score = p.get("score").and_then(Value::as_f64);
            lists.push((
                format!("{ptr}/predictions/{j}/result"),
                Maker::Model(model, score),
                r,
            ));
        }
    }

    let mut found: Vec<Found> = Vec::new();
    for (k, (lptr, maker, results)) in lists.iter().enumerate() {
        for (r_i, r) in results.iter().enumerate() {
            let line = at_line.line(&format!("{lptr}/{r_i}"));
            match as_str(r, "type") {
                Some("relation") => {}
                Some("labels") => {
                    found.extend(region_spans(r, k, maker, &article.text, line, names, w));
                }
                _ => w.count(Loss::NonSpanResults),
            }
        }
    }

    // Ids: the regions' own where they are numbers not taken yet.
    let own = |f: &Found| f.foreign.and_then(|s| s.parse::<u64>().ok());
    let mut ids = Ids::new(found.iter().filter_map(own));
    let mut by_region: HashMap<(usize, &str), u64> = HashMap::new();
    let mut spans = Vec::with_capacity(found.len());
    let mut entities = EntityPool::new(found.iter().filter_map(|f| f.entity.as_ref()?.id));
    for mut f in found {
        let id = ids.take(own(&f));
        f.span.id = id;
        f.span.entity = f.entity.map(|e| entities.take(e));
        if let Some(fid) = f.foreign {
            by_region.entry((f.list, fid)).or_insert(id);
        }
        spans.push(f.span);
    }

    let link_id = |r: &Value| {
        r.get("tandai")
            .and_then(|t| t.get("id"))
            .and_then(Value::as_u64)
    };
    let mut link_ids = Ids::new(lists.iter().flat_map(|l| l.2.iter()).filter_map(link_id));
    let mut links = Vec::new();
    for (k, (lptr, _, results)) in lists.iter().enumerate() {
        for (r_i, r) in results.iter().enumerate() {
            if as_str(r, "type") != Some("relation") {
                continue;
            }
            let line = at_line.line(&format!("{lptr}/{r_i}"));
            let end = |key| as_str(r, key).and_then(|id| by_region.get(&(k, id)).copied());
            let (Some(from), Some(to)) = (end("from_id"), end("to_id")) else {
                w.problem(
                    ProblemKind::Malformed,
                    line,
                    "relation between regions this result list does not have; left out",
                );
                continue;
            };
            let kinds: Vec<&str> = r
                .get("labels")
                .and_then(Value::as_array)
                .map(|l| l.iter().filter_map(Value::as_str).collect())
                .filter(|l: &Vec<&str>| !l.is_empty())
                .unwrap_or_else(|| vec!["related"]);
            let pairs: &[(u64, u64)] = match as_str(r, "direction") {
                Some("left") => &[(to, from)],
                Some("bi") => &[(from, to), (to, from)],
                _ => &[(from, to)],
            };
            let mut own = link_id(r);
            for kind in kinds {
                for (a, b) in pairs {
                    let id = link_ids.take(own.take());
                    links.push(super::raw_link(id, names.kind(kind), *a, *b));
                }
            }
        }
    }
    (spans, links, entities.into_list())
}

/// A region's offset: `None` when it has none (rich-text regions give
/// `XPath`s), an error (the number as written) when it is not a whole
/// number of characters. Integral floats (`11.0`, as the SDK's generators
/// write them) are whole numbers.
#[allow(
    clippy::cast_sign_loss,
    clippy::cast_possible_truncation,
    reason = "only a whole, non-negative float below 2^53 is cast"
)]
fn offset(value: &Value, key: &str) -> Option<std::result::Result<usize, String>> {
    let Some(Value::Number(n)) = value.get(key) else {
        return None;
    };
    Some(match (n.as_u64(), n.as_f64()) {
        (Some(u), _) => usize::try_from(u).map_err(|_| n.to_string()),
        (None, Some(f)) if (0.0..9.0e15).contains(&f) && f.fract() == 0.0 => Ok(f as usize),
        _ => Err(n.to_string()),
    })
}

/// The spans of one `labels` region (one per label).
fn region_spans<'a>(
    r: &'a Value,
    list: usize,
    maker: &Maker,
    text: &crate::offsets::Text,
    line: Option<usize>,
    names: &Names,
    w: &mut Warnings,
) -> Vec<Found<'a>> {
    let value = r.get("value").unwrap_or(&Value::Null);
    let foreign = as_str(r, "id");
    let what = format!("region {}", foreign.unwrap_or("without id"));
    let (start, end) = match (offset(value, "start"), offset(value, "end")) {
        (Some(Ok(s)), Some(Ok(e))) => (s, e),
        (Some(Err(bad)), _) | (_, Some(Err(bad))) => {
            w.problem(
                ProblemKind::Malformed,
                line,
                format!("{what}: offset {bad} is not a whole number of characters; left out"),
            );
            return Vec::new();
        }
        _ => {
            // Rich-text regions give XPaths, not offsets.
            w.count(Loss::NonSpanResults);
            return Vec::new();
        }
    };
    let labels: Vec<&str> = value
        .get("labels")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if labels.is_empty() {
        w.problem(
            ProblemKind::Malformed,
            line,
            format!("{what} has no label; left out"),
        );
        return Vec::new();
    }
    if labels.len() > 1 {
        w.count(Loss::MultiLabelRegions);
    }
    let Some((range, quote)) = locate(text, start..end, as_str(value, "text"), w, line, &what)
    else {
        return Vec::new();
    };
    let base = region_base(r, maker, names, range, quote);
    let entity = EntityRef::from_json(r.get("tandai").and_then(|t| t.get("entity")));
    labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            let mut span = base.clone();
            span.label = names.label(label);
            Found {
                foreign: if i == 0 { foreign } else { None },
                list,
                span,
                entity: entity.clone(),
            }
        })
        .collect()
}

/// A region's span without its label: who made it, its review, note and
/// attributes (tandai's own in the `tandai` object).
fn region_base(
    r: &Value,
    maker: &Maker,
    names: &Names,
    range: std::ops::Range<usize>,
    quote: Option<String>,
) -> RawSpan {
    let extra = r.get("tandai");
    let ext = |k| extra.and_then(|e| as_str(e, k));
    let score = r.get("score").and_then(Value::as_f64);
    let status = ext("status").and_then(|s| Status::ALL.into_iter().find(|x| x.name() == s));
    let (origin, status) = match (maker, ext("model")) {
        (_, Some(model)) => (
            Origin::Machine {
                model: model.to_owned(),
                score,
            },
            status,
        ),
        (Maker::Model(model, pscore), None) => (
            Origin::Machine {
                model: model.clone(),
                score: score.or(*pscore),
            },
            status,
        ),
        (Maker::Person(by), None) => (names.human(ext("annotator").or(by.as_deref())), None),
    };
    let note = match r.get("meta").and_then(|m| m.get("text")) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(a)) => {
            let parts: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
            (!parts.is_empty()).then(|| parts.join("\n"))
        }
        _ => None,
    };
    let attributes: BTreeMap<String, String> = extra
        .and_then(|e| e.get("attributes"))
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    let mut span = super::raw_span(0, String::new(), range, quote, origin);
    span.status = status;
    span.reviewer = ext("reviewer").map(str::to_owned);
    span.proposed = extra
        .and_then(|e| e.get("proposed"))
        .and_then(|p| serde_json::from_value(p.clone()).ok());
    span.note = note;
    span.attributes = attributes;
    span
}
