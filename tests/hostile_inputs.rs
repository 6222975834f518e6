#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Hostile inputs (issue 7): deeply nested files, spans in reverse order,
//! duplicate ids and files far too large get a clear error or load as
//! documented, without a stack overflow and without reading what is too
//! large. How long each takes is a figure of `examples/bench.rs`, not an
//! assertion here; memory is `tests/memory.rs`. (Ten million tiny spans are
//! measured by hand, see `fuzz/README.md`: building such a file takes
//! longer than a test may.)

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use tandai::check::FindingKind;
use tandai::document::{Article, DocumentError};
use tandai::format::{self, FormatError};
use tandai::interop::tags::{TagProblemKind, import_tags};
use tandai::interop::{
    Located, Mapping, Names, Problem, ProblemKind, Warnings, doccano, label_studio, w3c,
};
use tandai::model::{Annotations, SpanId};
use tandai::offsets::Text;
use tandai::schema::{Schema, SchemaError};
use tandai::store::{self, LoadOptions, StoreError};

const DEPTH: usize = 100_000;

/// `open` repeated `DEPTH` times, then `close` as often.
fn nested(open: &str, close: &str) -> String {
    format!("{}{}", open.repeat(DEPTH), close.repeat(DEPTH))
}

fn deep_inputs() -> Vec<String> {
    vec![
        nested("[", "]"),
        nested("(", ")"),
        nested("{\"a\":", "}"),
        nested("Some(", ")"),
        nested("(a:", ")"),
        format!(
            "(version: 1, document: (path: \"a.txt\"), spans: {})",
            nested("[", "]")
        ),
        format!(
            "(version: 1, document: (path: \"a.txt\"), spans: [(id: 1, label: \"claim\", start: 0, end: 1, attributes: {})])",
            nested("{", "}")
        ),
        format!("(labels: [(name: {})])", nested("[", "]")),
    ]
}

// Each runs on a test thread (2 MiB of stack, a quarter of the main
// thread's), so the bound is checked with room to spare.

#[test]
fn deeply_nested_ron_is_a_clear_error_not_a_stack_overflow() {
    for src in deep_inputs() {
        match format::parse(&src) {
            Err(FormatError::Syntax { line, col, message }) => {
                assert_eq!(line, 1);
                assert!(col > 0);
                assert!(!message.is_empty());
            }
            other => panic!("{}: {other:?}", &src[..20]),
        }
        let err = Schema::parse(&src, Path::new("deep.schema.ron")).unwrap_err();
        assert!(
            matches!(err, SchemaError::Syntax { .. }),
            "{}: {err}",
            &src[..20]
        );
    }
    // The version is read first, skipping whatever else is there: the
    // skipping is bounded too (ron's recursion limit, 128).
    let src = format!("(version: 1, hologram: {})", nested("[", "]"));
    let err = format::parse(&src).unwrap_err().to_string();
    assert!(err.contains("hologram"), "{err}");
}

/// The one problem a refused JSON input gets: malformed, on line 1, saying
/// why (`serde_json`'s recursion limit).
fn assert_refused(what: &str, problems: &[Problem]) {
    assert_eq!(problems.len(), 1, "{what}: {problems:?}");
    let p = &problems[0];
    assert_eq!(
        (p.kind, p.line),
        (ProblemKind::Malformed, Some(1)),
        "{what}"
    );
    assert!(p.message.contains("not JSON"), "{what}: {}", p.message);
    assert!(
        p.message.contains("recursion limit"),
        "{what}: {}",
        p.message
    );
}

#[test]
fn deeply_nested_json_imports_are_refused_without_a_stack_overflow() {
    let schema = Schema::builtin();
    let mapping = Mapping::default();
    let names = Names {
        mapping: &mapping,
        schema: &schema,
        annotator: "ana",
    };
    let text = Text::new(ARTICLE.to_owned());
    for open in ["[", "{\"a\":"] {
        let close = if open == "[" { "]" } else { "}" };
        let src = nested(open, close);
        // Inside a document that is otherwise fine, too.
        let ls = format!(
            "[{{\"data\": {{\"text\": \"abc\"}}, \"annotations\": [{{\"result\": [{{\"value\": {src}}}]}}]}}]"
        );
        for (what, input) in [
            ("doccano", &src),
            ("label_studio", &src),
            ("label_studio inside", &ls),
        ] {
            let mut w = Warnings::default();
            let docs = if what == "doccano" {
                doccano::read(
                    input,
                    "deep",
                    tandai::interop::Units::CodePoints,
                    &names,
                    &mut w,
                )
            } else {
                label_studio::read(input, "deep", &names, &mut w)
            };
            assert!(docs.is_empty(), "{what}");
            assert_refused(what, &w.problems);
        }
        let mut w = Warnings::default();
        let mut resolve = |_: &str| -> Result<Located, String> {
            Ok(Located {
                rel: PathBuf::from("a.txt"),
                article: Article::from_text("a.txt", ARTICLE.to_owned()),
                source: PathBuf::from("a.txt"),
            })
        };
        assert!(w3c::read(&src, &names, &mut resolve, &mut w).is_empty());
        assert_refused("w3c", &w.problems);

        let empty = Annotations::default();
        let tags = import_tags(&empty, &text, &schema, src.as_bytes(), &|_| true);
        assert!(tags.edits.is_empty());
        let p = &tags.report.problems;
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].line, p[0].kind), (1, TagProblemKind::InvalidJson));
        assert!(p[0].message.contains("recursion limit"), "{}", p[0].message);
    }
}

const ARTICLE: &str = "Gedung Putih menuding Korea Utara mengirim peluru artileri ke Rusia. Pyongyang membantah tuduhan itu.";

/// An annotation file with one span per word of [`ARTICLE`], in reverse
/// order, ids from `ids`.
fn reversed_file(ids: impl Fn(usize) -> u64) -> (String, usize) {
    let mut spans = Vec::new();
    let mut at = 0;
    for w in ARTICLE.split(' ') {
        let n = w.chars().count();
        spans.push((at, at + n, w));
        at += n + 1;
    }
    let count = spans.len();
    let mut src = String::from("(version: 1, document: (path: \"a.txt\"), spans: [\n");
    for (i, (s, e, w)) in spans.iter().enumerate().rev() {
        let _ = writeln!(
            src,
            "(id: {}, label: \"claim\", start: {s}, end: {e}, text: {w:?}),",
            ids(i)
        );
    }
    src.push_str("], links: [(id: 1, kind: \"said_by\", from: 3, to: 1)])\n");
    (src, count)
}

#[test]
fn spans_in_reverse_order_load_in_document_order() {
    let (src, count) = reversed_file(|i| i as u64 + 1);
    let article = Article::from_text("a.txt", ARTICLE.to_owned());
    let (ann, findings) = store::place(format::parse(&src).unwrap(), &article);
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(ann.span_count(), count);
    let starts: Vec<usize> = ann.spans().map(|s| s.start).collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    tandai::fuzzing::check_index(&ann);
    // Saved, the file lists them in order.
    let saved = tandai::fuzzing::check_round_trip(&ann);
    let first = saved.find("\"Gedung\"").unwrap();
    let last = saved.find("\"itu.\"").unwrap();
    assert!(first < last);
}

#[test]
fn duplicate_ids_get_fresh_ids_with_a_finding() {
    // Every span claims id 3, and so do two links.
    let (src, count) = reversed_file(|_| 3);
    let src = src.replace(
        "links: [(id: 1,",
        "links: [(id: 1, kind: \"said_by\", from: 3, to: 3), (id: 1,",
    );
    let article = Article::from_text("a.txt", ARTICLE.to_owned());
    let (ann, findings) = store::place(format::parse(&src).unwrap(), &article);
    assert_eq!(ann.span_count(), count, "no span is lost");
    let dup = findings
        .iter()
        .filter(|f| f.kind == FindingKind::DuplicateSpanId)
        .count();
    assert_eq!(dup, count - 1);
    assert!(
        findings
            .iter()
            .any(|f| f.kind == FindingKind::DuplicateLinkId)
    );
    assert_eq!(ann.link_count(), 2);
    // The first span in the file keeps the id; links to it mean it.
    assert_eq!(ann.span(SpanId(3)).unwrap().text, "itu.");
    let ids: std::collections::BTreeSet<SpanId> = ann.spans().map(|s| s.id).collect();
    assert_eq!(ids.len(), count);
    tandai::fuzzing::check_index(&ann);
    tandai::fuzzing::check_round_trip(&ann);
}

/// A sparse file of `size` bytes: nothing is written to disk.
fn sparse(path: &Path, size: u64) {
    std::fs::File::create(path).unwrap().set_len(size).unwrap();
}

#[test]
fn a_300_mb_article_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("huge.txt");
    sparse(&article, 300 << 20);
    // The size in the error is the whole file's: it was taken from the
    // metadata, as a bounded read stops one byte past the limit.
    match Article::read(&article) {
        Err(DocumentError::TooLarge { size, max, .. }) => {
            assert_eq!(size, 300 << 20);
            assert_eq!(max, tandai::document::MAX_ARTICLE_BYTES);
        }
        other => panic!("{other:?}"),
    }
    // Through an annotation file that names it, too.
    let ann = dir.path().join("huge.tandai.ron");
    std::fs::write(&ann, "(version: 1, document: (path: \"huge.txt\"))").unwrap();
    let err = store::load(&ann, LoadOptions::default()).unwrap_err();
    assert!(matches!(
        err,
        StoreError::ArticleOf {
            source: DocumentError::TooLarge { .. },
            ..
        }
    ));
    assert!(err.to_string().contains("64 MiB"), "{err}");
}

#[test]
fn oversized_annotation_and_tags_files_are_refused_before_they_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = store::MAX_ANNOTATION_BYTES + 1;
    let ann = dir.path().join("a.tandai.ron");
    sparse(&ann, big);
    let err = store::read_raw(&ann).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::AnnotationFile(DocumentError::TooLarge { .. })
        ),
        "{err}"
    );
    let tags = dir.path().join("tags.jsonl");
    sparse(&tags, store::MAX_INPUT_BYTES + 1);
    assert!(matches!(
        tandai::interop::tags::read_tags_file(&tags),
        Err(DocumentError::TooLarge { .. })
    ));
    let schema = dir.path().join("tandai.schema.ron");
    sparse(&schema, 300 << 20);
    assert!(matches!(
        Schema::load(&schema),
        Err(SchemaError::TooLarge { .. })
    ));
}
