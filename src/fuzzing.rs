//! Entry points shared by the cargo-fuzz targets (`fuzz/fuzz_targets/`) and
//! the bounded property tests (`tests/fuzz_props.rs`), so that CI runs the
//! same code the fuzzer does.
//!
//! Each function takes arbitrary bytes and must never panic, hang or
//! allocate without bound on any input; where it is cheap it also checks
//! invariants and panics (an `assert!`) when one breaks, which the fuzzer
//! reports as a crash:
//!
//! - every annotation set that loading or importing produces keeps its
//!   position and link indexes in step with a plain scan, and
//!   [`format::write`] of it parses back to the same annotations and bytes;
//! - a loaded annotation file, saved and loaded again, is unchanged;
//! - machine tags apply as one step, importing them again adds nothing,
//!   and undo takes the step back exactly;
//! - random edit sequences with undo and redo: a refused step changes
//!   nothing, undo and redo never fail, a clean history means the saved
//!   annotations, and undoing everything gives back the start exactly.
//!
//! Inputs that need an article as well as the file under test carry it in
//! front, split off at the first `0xFF` byte (which UTF-8 never contains):
//! `ARTICLE 0xFF FILE`. Without one, [`ARTICLE`] is used.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::check;
use crate::document::Article;
use crate::edit::{Edit, History};
use crate::format;
use crate::interop::{
    self, DoccanoShape, ExportDoc, ImportedDoc, Located, Mapping, Names, Warnings, brat, doccano,
    label_studio, tags, w3c,
};
use crate::model::{
    Annotations, DocumentRef, Entity, EntityId, Link, LinkId, Origin, Proposed, Span, SpanId,
    Status,
};
use crate::offsets::{Text, Units};
use crate::schema::Schema;
use crate::store;

/// The article used when an input carries none: a BOM, CRLF line ends,
/// curly quotes, an em dash and a two-code-point emoji.
pub const ARTICLE: &str = "\u{feff}JAKARTA, KOMPAS.TV — Gedung Putih menuding “Korea Utara” mengirim peluru artileri 👍🏽 ke Rusia.\r\n\r\nPyongyang membantah tuduhan itu. e\u{301}\r\n";

/// Labels written first in the `labels` field, as the built-in schema has.
const LABELS: &[&str] = &["claim", "source", "denial"];

/// The name the article goes by.
const NAME: &str = "fuzz.txt";

/// How many spans the index checks query one by one (the scan they are
/// compared with is linear, so all of them would be quadratic).
const QUERIES: usize = 48;

/// Splits `data` at its `0xFF` bytes into at most `n` parts.
fn parts(data: &[u8], n: usize) -> Vec<&[u8]> {
    data.splitn(n, |&b| b == 0xFF).collect()
}

fn article_of(bytes: &[u8]) -> Article {
    Article::from_text(NAME, String::from_utf8_lossy(bytes).into_owned())
}

/// `(article, rest)`: the article in front of the first `0xFF`, or
/// [`ARTICLE`].
fn with_article(data: &[u8]) -> (Article, &[u8]) {
    match parts(data, 2).as_slice() {
        [art, rest] => (article_of(art), rest),
        _ => (Article::from_text(NAME, ARTICLE.to_owned()), data),
    }
}

/// Annotations rebuilt from a parsed file as written, without placement.
fn from_raw(raw: format::RawFile) -> Annotations {
    let mut ann = Annotations::new(DocumentRef {
        path: raw.document.path,
        sha256: raw.document.sha256,
        chars: raw.document.chars.unwrap_or(0),
    });
    ann.done = raw.done;
    for e in raw.entities {
        let id = e.id;
        assert!(
            ann.insert_entity(e.into()).is_ok(),
            "entity id {id} written twice"
        );
    }
    for s in raw.spans {
        let id = s.id;
        assert!(
            ann.insert_span(s.into()).is_ok(),
            "span id {id} written twice"
        );
    }
    for l in raw.links {
        let id = l.id;
        assert!(
            ann.insert_link_unchecked(l.into()).is_ok(),
            "link id {id} written twice"
        );
    }
    for d in raw.disputes {
        let id = d.id;
        let dispute = crate::model::Dispute {
            id: crate::model::DisputeId(id),
            alternatives: d.alternatives.into_iter().map(Into::into).collect(),
            settled: None,
        };
        assert!(
            ann.insert_dispute(dispute).is_ok(),
            "dispute id {id} written twice"
        );
    }
    ann
}

/// The position and link indexes agree with a plain scan, and the ids
/// handed out next are free.
pub fn check_index(ann: &Annotations) {
    let spans: Vec<&Span> = ann.spans().collect();
    assert_eq!(spans.len(), ann.span_count(), "order index lost spans");
    for w in spans.windows(2) {
        assert!(
            w[0].order_key() < w[1].order_key(),
            "spans out of order: {:?} then {:?}",
            w[0].order_key(),
            w[1].order_key()
        );
    }
    for s in &spans {
        assert_eq!(ann.span(s.id), Some(*s), "order index names a stale span");
    }
    let mut queries: Vec<Range<usize>> = vec![0..0, 0..usize::MAX, 0..1];
    queries.extend(spans.iter().take(QUERIES).map(|s| s.range()));
    queries.extend(spans.iter().take(QUERIES).map(|s| s.end..s.end + 1));
    for q in queries {
        let fast: Vec<SpanId> = ann.spans_overlapping(q.clone()).map(|s| s.id).collect();
        let slow: Vec<SpanId> = spans
            .iter()
            .filter(|s| s.start < q.end && s.end > q.start)
            .map(|s| s.id)
            .collect();
        assert_eq!(fast, slow, "overlap query {q:?} disagrees with a scan");
    }
    assert_eq!(ann.links().count(), ann.link_count());
    let ends: BTreeSet<SpanId> = spans
        .iter()
        .take(QUERIES)
        .map(|s| s.id)
        .chain(ann.links().take(QUERIES).flat_map(|l| [l.from, l.to]))
        .collect();
    for id in ends {
        let fast: Vec<LinkId> = ann.links_of(id).map(|l| l.id).collect();
        let slow: Vec<LinkId> = ann
            .links()
            .filter(|l| l.from == id || l.to == id)
            .map(|l| l.id)
            .collect();
        assert_eq!(fast, slow, "links of span {id} disagree with a scan");
    }
    let next = ann.next_span_id();
    assert!(ann.span(next).is_none(), "next span id {next} is taken");
    let next = ann.next_link_id();
    assert!(ann.link(next).is_none(), "next link id {next} is taken");
    let named: BTreeSet<EntityId> = spans.iter().filter_map(|s| s.entity).collect();
    for e in named.iter().copied().chain(ann.entities().map(|e| e.id)) {
        let fast: Vec<SpanId> = ann.spans_of_entity(e).map(|s| s.id).collect();
        let mut slow: Vec<SpanId> = spans
            .iter()
            .filter(|s| s.entity == Some(e))
            .map(|s| s.id)
            .collect();
        slow.sort();
        assert_eq!(fast, slow, "spans of entity {e} disagree with a scan");
    }
    let next = ann.next_entity_id();
    assert!(
        ann.entity(next).is_none() && !named.contains(&next),
        "next entity id {next} is taken"
    );
}

/// [`format::write`] parses back to the same annotations, which write the
/// same bytes. Returns the bytes.
pub fn check_round_trip(ann: &Annotations) -> String {
    let written = format::write(ann, LABELS);
    let raw = match format::parse(&written) {
        Ok(raw) => raw,
        Err(e) => panic!("written file does not parse: {e}\n{written}"),
    };
    let back = from_raw(raw);
    assert_eq!(&back, ann, "written file reads back differently");
    assert_eq!(format::write(&back, LABELS), written);
    written
}

/// The attribution table of any loaded file: every `said_by` link between
/// spans that take part is a row, every row's offsets are its span's, and
/// the CSV has one header and one record a row.
fn check_attributions(ann: &Annotations) {
    let mut skipped = crate::attrib::Skipped::default();
    let rows = crate::attrib::rows(NAME, ann, &mut skipped);
    let attributed = rows.iter().filter(|r| r.link.is_some()).count();
    assert_eq!(
        attributed + skipped.links,
        ann.links()
            .filter(|l| l.kind == crate::attrib::SAID_BY)
            .count(),
        "a said_by link is neither a row nor counted as left out"
    );
    for r in &rows {
        let s = ann.span(r.content.id);
        assert!(s.is_some_and(|s| s.range() == (r.content.start..r.content.end)));
    }
    let csv = crate::attrib::output::csv(&rows);
    assert!(csv.ends_with("\r\n"));
    let _ = crate::attrib::output::markdown(&rows);
    let _ = crate::attrib::group::groups(&rows);
}

/// An annotation file (`[ARTICLE 0xFF] RON`): parse, place against the
/// article, check; what loads saves and loads again unchanged.
pub fn ron_file(data: &[u8]) {
    let (article, src) = with_article(data);
    let Ok(src) = std::str::from_utf8(src) else {
        return;
    };
    let Ok(raw) = format::parse(src) else {
        return;
    };
    let (ann, _findings) = store::place(raw, &article);
    check_index(&ann);
    let _ = check::check(&ann, &Schema::builtin());
    check_attributions(&ann);
    let written = check_round_trip(&ann);
    // Saved and opened again: nothing moves.
    let Ok(raw) = format::parse(&written) else {
        unreachable!("checked by check_round_trip");
    };
    let (again, _) = store::place(raw, &article);
    assert_eq!(again, ann, "loading the saved file changed it");
}

/// A schema file: parse and validate; a schema that loads answers every
/// query about its own labels and links.
pub fn schema_file(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(schema) = Schema::parse(src, Path::new("fuzz.schema.ron")) else {
        return;
    };
    assert!(!schema.labels.is_empty());
    for l in &schema.labels {
        assert_eq!(
            schema.label(&l.name),
            Some(l),
            "label {:?} not found",
            l.name
        );
        let _ = l.rgb();
        if let Some(k) = l.key_char() {
            assert_eq!(schema.label_for_key(k), Some(l), "key {k:?} is ambiguous");
        }
    }
    for k in &schema.links {
        for from in &k.from {
            for to in &k.to {
                assert!(schema.check_link(&k.kind, from, to).is_ok());
            }
        }
        let _ = schema.check_link(&k.kind, "\u{0}", "");
    }
    // Checking annotations against it.
    let article = Article::from_text(NAME, ARTICLE.to_owned());
    let ann = starting_annotations(&article.text);
    let _ = check::check(&ann, &schema);
}

/// Machine tags (`[ARTICLE 0xFF [RON 0xFF]] JSONL`): the edits computed
/// apply as one step to the annotations of the RON file (or a few made
/// by hand), importing again adds nothing, and undo restores the start.
pub fn tags_jsonl(data: &[u8]) {
    let p = parts(data, 3);
    let (article, ann, src) = match p.as_slice() {
        [art, ron, src] => {
            let article = article_of(art);
            let ann = std::str::from_utf8(ron)
                .ok()
                .and_then(|s| format::parse(s).ok())
                .map(|raw| store::place(raw, &article).0);
            let ann = ann.unwrap_or_else(|| starting_annotations(&article.text));
            (article, ann, *src)
        }
        [art, src] => {
            let article = article_of(art);
            let ann = starting_annotations(&article.text);
            (article, ann, *src)
        }
        _ => {
            let article = Article::from_text(NAME, ARTICLE.to_owned());
            let ann = starting_annotations(&article.text);
            (article, ann, data)
        }
    };
    let text = &article.text;
    let schema = Schema::builtin();
    let this = |doc: &str| doc == NAME;
    let import = tags::import_tags(&ann, text, &schema, src, &this);
    let _ = import.report.summary();
    let mut now = ann.clone();
    let mut h = History::default();
    if let Err(e) = h.apply(&mut now, text, "Import tags", import.edits) {
        panic!("the edits of a tags import do not apply: {e}");
    }
    check_index(&now);
    check_round_trip(&now);
    let again = tags::import_tags(&now, text, &schema, src, &this);
    assert!(
        again.edits.is_empty(),
        "importing the same tags twice adds {} edits",
        again.edits.len()
    );
    assert_eq!(again.report.added, 0);
    if let Err(e) = h.undo(&mut now, text) {
        panic!("undo of a tags import failed: {e}");
    }
    assert_eq!(now, ann, "undo of a tags import is not exact");
}

fn names(schema: &Schema) -> Names<'_> {
    // A leaked default mapping would do as well; a static keeps it simple.
    static MAPPING: std::sync::OnceLock<Mapping> = std::sync::OnceLock::new();
    Names {
        mapping: MAPPING.get_or_init(Mapping::default),
        schema,
        annotator: "fuzz",
    }
}

/// Places one imported document as the importer does, checks it, and
/// writes it out again in every format that takes one document.
fn imported(doc: &ImportedDoc, names: &Names) {
    let (ann, _findings) = interop::place_imported(doc, &doc.rel);
    check_index(&ann);
    let _ = check::check(&ann, names.schema);
    check_round_trip(&ann);
    let export = ExportDoc {
        name: NAME,
        text: &doc.article.text,
        ann: &ann,
    };
    let mut w = Warnings::default();
    let mut conf = brat::Conf::default();
    let _ = brat::write(&export, names, &mut conf, &mut w);
    let _ = conf.render();
    for units in [Units::CodePoints, Units::Utf16] {
        let _ = doccano::write(&export, 1, (DoccanoShape::Entities, units), names, &mut w);
        let _ = doccano::write(&export, 1, (DoccanoShape::Labels, units), names, &mut w);
    }
    let _ = label_studio::write(&export, 1, names, &mut w);
    let _ = w3c::write(&export, names, &mut w);
    let _ = w.count_lines();
}

/// A brat `.ann` file (`[ARTICLE 0xFF] ANN`), read against its article.
pub fn brat(data: &[u8]) {
    let (article, src) = with_article(data);
    let Ok(src) = std::str::from_utf8(src) else {
        return;
    };
    let schema = Schema::builtin();
    let names = names(&schema);
    let mut w = Warnings::default();
    let (spans, links) = brat::read(src, &article.text, &names, &mut w);
    let doc = ImportedDoc {
        rel: PathBuf::from(NAME),
        article,
        source: None,
        spans,
        links,
        entities: Vec::new(),
    };
    imported(&doc, &names);
}

/// Runs a reader of a format whose files hold their texts, and checks every
/// document it makes.
fn self_contained(data: &[u8], read: fn(&str, &str, &Names, &mut Warnings) -> Vec<ImportedDoc>) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let schema = Schema::builtin();
    let names = names(&schema);
    let mut w = Warnings::default();
    for doc in read(src, "fuzz", &names, &mut w) {
        imported(&doc, &names);
    }
}

/// A doccano JSONL file (either shape; the texts are inside), read with
/// offsets as code points and as UTF-16 units.
pub fn doccano(data: &[u8]) {
    self_contained(data, |src, stem, names, w| {
        doccano::read(src, stem, Units::CodePoints, names, w)
    });
    self_contained(data, |src, stem, names, w| {
        doccano::read(src, stem, Units::Utf16, names, w)
    });
}

/// A Label Studio JSON export (the texts are inside).
pub fn label_studio(data: &[u8]) {
    self_contained(data, label_studio::read);
}

/// A W3C Web Annotation JSON-LD file (`[ARTICLE 0xFF] JSON`); every
/// `source` but the empty one and `missing*` names the article.
pub fn w3c(data: &[u8]) {
    let (article, src) = with_article(data);
    let Ok(src) = std::str::from_utf8(src) else {
        return;
    };
    let schema = Schema::builtin();
    let names = names(&schema);
    let mut w = Warnings::default();
    let mut resolve = |name: &str| {
        if name.is_empty() || name.starts_with("missing") {
            Err(format!("{name:?}: no such article"))
        } else {
            Ok(Located {
                rel: PathBuf::from(NAME),
                article: article.clone(),
                source: PathBuf::from(NAME),
            })
        }
    };
    for doc in w3c::read(src, &names, &mut resolve, &mut w) {
        imported(&doc, &names);
    }
}

/// The annotations edits start from: spans of every kind (human, machine
/// pending, an orphan), a link and a dangling link, on whatever the text is.
fn starting_annotations(text: &Text) -> Annotations {
    let mut ann = Annotations::new(DocumentRef {
        path: NAME.to_owned(),
        sha256: String::new(),
        chars: text.len_chars(),
    });
    let n = text.len_chars();
    let ranges = [0..n.min(7), n / 3..n / 2, n / 4..(n / 4 + 5).min(n)];
    for (i, r) in ranges.into_iter().enumerate() {
        let origin = if i == 1 {
            Origin::Machine {
                model: "m".into(),
                score: Some(0.5),
            }
        } else {
            Origin::default()
        };
        if let Some(s) = Span::new_in(text, SpanId(i as u64 + 1), LABELS[i], r, origin)
            && !s.text.is_empty()
        {
            let _ = ann.insert_span(s);
        }
    }
    let _ = ann.insert_span(Span {
        id: SpanId(9),
        label: "claim".into(),
        start: n + 3,
        end: n + 9,
        text: "lost quote".into(),
        orphan: true,
        ..Span::default()
    });
    let _ = ann.insert_link(Link {
        id: LinkId(1),
        kind: "said_by".into(),
        from: SpanId(1),
        to: SpanId(2),
    });
    // A dangling link, as a file may have one.
    let _ = ann.insert_link_unchecked(Link {
        id: LinkId(2),
        kind: "said_by".into(),
        from: SpanId(3),
        to: SpanId(12),
    });
    // An entity named by a span, and a span naming one the file lacks.
    let _ = ann.insert_entity(Entity {
        id: EntityId(1),
        name: "John Kirby".into(),
        role: Some("NSC spokesman".into()),
    });
    for (span, entity) in [(2, 1), (9, 5)] {
        if let Some(mut s) = ann.span(SpanId(span)).cloned() {
            s.entity = Some(EntityId(entity));
            let _ = ann.replace_span(s);
        }
    }
    ann
}

/// Reads the bytes of an edit sequence.
struct Bytes<'a> {
    data: &'a [u8],
}

impl Bytes<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.data.split_first()?;
        self.data = rest;
        Some(b)
    }

    /// A byte, 0 once the input is used up.
    fn next(&mut self) -> u8 {
        self.byte().unwrap_or(0)
    }

    fn below(&mut self, n: usize) -> usize {
        let x = usize::from(self.next()) << 8 | usize::from(self.next());
        if n == 0 { 0 } else { x % n }
    }

    fn pick<'s, T>(&mut self, from: &'s [T]) -> &'s T {
        &from[usize::from(self.next()) % from.len()]
    }
}

const EDIT_LABELS: &[&str] = &["claim", "source", "denial", "cue", ""];
const STRINGS: &[&str] = &["", "catatan", "“é👍🏽”\n", "\"\\", "\u{0}", "k:v"];

/// A span id: mostly one that exists, sometimes one that does not, and
/// now and then the largest there is.
fn span_id(b: &mut Bytes, ann: &Annotations) -> SpanId {
    let x = b.next();
    match x {
        0..=199 if ann.span_count() > 0 => ann
            .spans()
            .nth(usize::from(x) % ann.span_count())
            .map_or(SpanId(1), |s| s.id),
        250..=255 => SpanId(u64::MAX - u64::from(x - 250)),
        _ => SpanId(u64::from(x % 16)),
    }
}

fn link_id(b: &mut Bytes, ann: &Annotations) -> LinkId {
    let x = b.next();
    match x {
        0..=199 if ann.link_count() > 0 => ann
            .links()
            .nth(usize::from(x) % ann.link_count())
            .map_or(LinkId(1), |l| l.id),
        250..=255 => LinkId(u64::MAX - u64::from(x - 250)),
        _ => LinkId(u64::from(x % 8)),
    }
}

/// A char range: mostly inside the text, sometimes empty, reversed or
/// beyond its end.
fn range(b: &mut Bytes, text: &Text) -> Range<usize> {
    let n = text.len_chars();
    let start = b.below(n + 3);
    let len = usize::from(b.next() % 48);
    if b.next() == 0xFF {
        start + len..start
    } else {
        start..start + len
    }
}

fn origin(b: &mut Bytes) -> Origin {
    match b.next() % 3 {
        0 => Origin::Human {
            annotator: "ana".into(),
        },
        1 => Origin::Machine {
            model: "attrib-v0".into(),
            score: Some(f64::from(b.next()) / 255.0),
        },
        _ => Origin::Machine {
            model: String::new(),
            score: None,
        },
    }
}

fn status(b: &mut Bytes) -> Option<Status> {
    let x = usize::from(b.next());
    Status::ALL.get(x % (Status::ALL.len() + 1)).copied()
}

/// An entity id: mostly one that exists, sometimes the next free one or
/// one that does not exist.
fn entity_id(b: &mut Bytes, ann: &Annotations) -> EntityId {
    let x = b.next();
    match x {
        0..=149 if ann.entity_count() > 0 => ann
            .entities()
            .nth(usize::from(x) % ann.entity_count())
            .map_or(EntityId(1), |e| e.id),
        150..=199 => ann.next_entity_id(),
        _ => EntityId(u64::from(x % 8)),
    }
}

/// An entity step: what the entity picker does.
fn entity_step(b: &mut Bytes, ann: &Annotations) -> Vec<Edit> {
    let entity = |b: &mut Bytes, id| Entity {
        id,
        name: (*b.pick(STRINGS)).to_owned(),
        role: Some((*b.pick(STRINGS)).to_owned()).filter(|_| b.next().is_multiple_of(2)),
    };
    match b.next() % 5 {
        0 => {
            let id = entity_id(b, ann);
            vec![Edit::AddEntity(entity(b, id))]
        }
        1 => vec![Edit::RemoveEntity(entity_id(b, ann))],
        2 => Edit::remove_entity_with_uses(ann, entity_id(b, ann)),
        3 => {
            let id = entity_id(b, ann);
            vec![Edit::UpdateEntity(entity(b, id))]
        }
        _ => vec![Edit::SetEntity {
            id: span_id(b, ann),
            entity: Some(entity_id(b, ann)).filter(|_| !b.next().is_multiple_of(4)),
        }],
    }
}

/// One step of the app's kinds: what a key press or a menu does.
fn step(b: &mut Bytes, ann: &Annotations, text: &Text) -> Vec<Edit> {
    match b.next() % 13 {
        0 => {
            let id = if b.next().is_multiple_of(2) {
                ann.next_span_id()
            } else {
                span_id(b, ann)
            };
            let label = *b.pick(EDIT_LABELS);
            let r = range(b, text);
            let origin = origin(b);
            match Span::new_in(text, id, label, r.clone(), origin.clone()) {
                Some(s) => vec![Edit::AddSpan(s)],
                None => vec![Edit::AddSpan(Span {
                    id,
                    label: label.to_owned(),
                    start: r.start,
                    end: r.end,
                    text: (*b.pick(STRINGS)).to_owned(),
                    origin,
                    orphan: b.next().is_multiple_of(2),
                    ..Span::default()
                })],
            }
        }
        1 => vec![Edit::RemoveSpan(span_id(b, ann))],
        2 => Edit::remove_span_with_links(ann, span_id(b, ann)),
        3 => vec![Edit::Relabel {
            id: span_id(b, ann),
            label: (*b.pick(EDIT_LABELS)).to_owned(),
        }],
        4 => vec![Edit::Resize {
            id: span_id(b, ann),
            range: range(b, text),
        }],
        5 => {
            // A review decision: status, reviewer and perhaps a correction
            // in one edit.
            let id = span_id(b, ann);
            let Some(mut s) = ann.span(id).cloned() else {
                return vec![Edit::SetStatus {
                    id,
                    status: Some(Status::Accepted),
                }];
            };
            s.status = status(b);
            s.reviewer = Some((*b.pick(STRINGS)).to_owned());
            if b.next().is_multiple_of(2) {
                s.proposed = Some(Proposed {
                    label: s.label.clone(),
                    start: s.start,
                    end: s.end,
                });
                (*b.pick(EDIT_LABELS)).clone_into(&mut s.label);
                let r = range(b, text);
                let _ = s.set_range(text, r);
            }
            vec![Edit::Restore(Box::new(s))]
        }
        6 => {
            let id = if b.next().is_multiple_of(2) {
                ann.next_link_id()
            } else {
                link_id(b, ann)
            };
            let kind = (*b.pick(&["said_by", "denies", "", "cites"])).to_owned();
            let from = span_id(b, ann);
            let to = span_id(b, ann);
            vec![Edit::AddLink(Link { id, kind, from, to })]
        }
        7 => vec![Edit::RemoveLink(link_id(b, ann))],
        8 => vec![Edit::SetNote {
            id: span_id(b, ann),
            note: Some((*b.pick(STRINGS)).to_owned()).filter(|_| !b.next().is_multiple_of(4)),
        }],
        9 => vec![Edit::SetAttribute {
            id: span_id(b, ann),
            key: (*b.pick(STRINGS)).to_owned(),
            value: Some((*b.pick(STRINGS)).to_owned()).filter(|_| !b.next().is_multiple_of(3)),
        }],
        10 => vec![Edit::SetStatus {
            id: span_id(b, ann),
            status: status(b),
        }],
        11 => vec![Edit::SetDone(b.next().is_multiple_of(2))],
        _ => entity_step(b, ann),
    }
}

/// The most operations one input drives (inputs are short anyway).
const MAX_OPS: usize = 512;

/// Random edit steps with undo, redo and saves: a refused step changes
/// nothing, undo and redo never fail, a clean history means exactly the
/// saved annotations, the indexes agree with a scan, the file format round
/// trips, and undoing everything gives back the start.
pub fn edits(data: &[u8]) {
    let (article, script) = with_article(data);
    let text = &article.text;
    let start = starting_annotations(text);
    let mut ann = start.clone();
    let mut h = History::default();
    let mut saved = ann.clone();
    let mut b = Bytes { data: script };
    let mut ops = 0;
    while let Some(op) = b.byte() {
        ops += 1;
        if ops > MAX_OPS {
            break;
        }
        match op % 16 {
            0..=9 => {
                let mut edits = step(&mut b, &ann, text);
                // Now and then several steps' edits as one group.
                for _ in 0..op / 16 % 4 {
                    edits.extend(step(&mut b, &ann, text));
                }
                let before = ann.clone();
                let was_dirty = h.is_dirty();
                if h.apply(&mut ann, text, "step", edits).is_err() {
                    assert_eq!(ann, before, "a refused step changed the annotations");
                    assert_eq!(h.is_dirty(), was_dirty);
                }
            }
            10 | 11 => {
                if let Err(e) = h.undo(&mut ann, text) {
                    panic!("undo failed: {e}");
                }
            }
            12 | 13 => {
                if let Err(e) = h.redo(&mut ann, text) {
                    panic!("redo failed: {e}");
                }
            }
            14 => {
                h.mark_saved();
                saved = ann.clone();
            }
            _ => check_index(&ann),
        }
        if !h.is_dirty() {
            assert_eq!(ann, saved, "the history is clean but differs from the save");
        }
    }
    check_index(&ann);
    // Once, at the end: parsing RON is most of the time a run takes.
    check_round_trip(&ann);
    // Redo what is left, then undo everything and redo it all again.
    while matches!(h.redo(&mut ann, text), Ok(true)) {}
    let end = ann.clone();
    loop {
        match h.undo(&mut ann, text) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => panic!("undo failed: {e}"),
        }
    }
    assert_eq!(
        ann, start,
        "undoing everything does not give back the start"
    );
    loop {
        match h.redo(&mut ann, text) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => panic!("redo failed: {e}"),
        }
    }
    assert_eq!(ann, end, "redoing everything does not give back the end");
}
