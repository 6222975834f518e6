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
use crate::edit::History;
use crate::format;
use crate::interop::{
    self, DoccanoShape, ExportDoc, ImportedDoc, Located, Mapping, Names, Warnings, brat, doccano,
    label_studio, tags, w3c,
};
use crate::model::{Annotations, DocumentRef, EntityId, LinkId, Span, SpanId};
use crate::offsets::Units;
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

mod edits;
pub use edits::edits;
use edits::starting_annotations;
