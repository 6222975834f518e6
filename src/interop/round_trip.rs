//! Property tests: annotations on torture text (BOM, CRLF, emoji with skin
//! tones and ZWJ, combining accents, CJK, Arabic) exported and imported
//! again, in memory, through every format that reads back.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::{
    DoccanoShape, ExportDoc, ImportedDoc, Located, Mapping, Names, Warnings, brat, doccano,
    importer, jsonl, label_studio, w3c,
};
use crate::document::Article;
use crate::model::{
    Annotations, DocumentRef, Entity, EntityId, Link, LinkId, Origin, Span, SpanId, Status,
};
use crate::offsets::Units;
use crate::schema::Schema;

const NAME: &str = "doc.txt";

/// (start, length, label, machine (score, status), note, attribute)
type SpanSeed = (
    usize,
    usize,
    usize,
    Option<(f64, Status)>,
    Option<Vec<&'static str>>,
    Option<(&'static str, &'static str)>,
);

fn span_seed() -> impl Strategy<Value = SpanSeed> {
    (
        0usize..400,
        1usize..30,
        0usize..4,
        prop::option::of((
            prop::sample::select(vec![0.5, 0.82, 1.0, 1e-3]),
            prop::sample::select(Status::ALL.to_vec()),
        )),
        prop::option::of(prop::collection::vec(
            prop::sample::select(vec!["checked", "a “quote”", "é 👍🏽"]),
            1..3,
        )),
        prop::option::of((
            prop::sample::select(vec!["kind", "Mention"]),
            prop::sample::select(vec!["office", "Name", ""]),
        )),
    )
}

const LABELS: [&str; 4] = ["claim", "source", "denial", "Org-X"];

fn build(text: &str, seeds: &[SpanSeed], links: &[(usize, usize, bool)]) -> (Article, Annotations) {
    let article = Article::from_text(NAME, text.to_owned());
    let t = &article.text;
    let n = t.len_chars();
    let mut ann = Annotations::new(DocumentRef {
        path: NAME.into(),
        sha256: article.sha256.clone(),
        chars: n,
    });
    // Sources name one of two entities, by position; the list holds those
    // named (one named by no span has no line to ride on).
    let entity_of = |i: usize| EntityId(i as u64 % 2 + 1);
    let named: std::collections::BTreeSet<EntityId> = seeds
        .iter()
        .enumerate()
        .filter(|(_, s)| LABELS[s.2] == "source")
        .map(|(i, _)| entity_of(i))
        .collect();
    for id in named {
        ann.insert_entity(Entity {
            id,
            name: if id.0 == 1 {
                "John \"Jack\" Kirby 👍🏽"
            } else {
                "Ani Lestari"
            }
            .into(),
            role: (id.0 == 1).then(|| "juru bicara, NSC".into()),
        })
        .unwrap();
    }
    for (i, (a, len, label, machine, note, attr)) in seeds.iter().enumerate() {
        let start = a % n;
        let end = (start + len).min(n);
        let origin = match machine {
            Some((score, _)) => Origin::Machine {
                model: "attrib-v0".into(),
                score: Some(*score),
            },
            None => Origin::Human {
                annotator: "ana".into(),
            },
        };
        let id = SpanId(i as u64 + 1);
        let mut s = Span::new_in(t, id, LABELS[*label], start..end, origin).unwrap();
        s.status = machine.map(|m| m.1);
        if matches!(
            s.status,
            Some(Status::Accepted | Status::Rejected | Status::Corrected)
        ) {
            s.reviewer = Some("sari".into());
        }
        if s.status == Some(Status::Corrected) {
            s.proposed = Some(crate::model::Proposed {
                label: "source".into(),
                start: start / 2,
                end,
            });
        }
        s.note = note.as_ref().map(|n| n.join("\n"));
        if let Some((k, v)) = attr {
            s.attributes.insert((*k).into(), (*v).into());
        }
        if s.label == "source" {
            s.entity = Some(entity_of(i));
        }
        ann.insert_span(s).unwrap();
    }
    let count = seeds.len();
    for (i, (from, to, denies)) in links.iter().enumerate() {
        ann.insert_link(Link {
            id: LinkId(i as u64 + 1),
            kind: if *denies { "denies" } else { "said_by" }.into(),
            from: SpanId((from % count) as u64 + 1),
            to: SpanId((to % count) as u64 + 1),
        })
        .unwrap();
    }
    (article, ann)
}

fn names<'a>(m: &'a Mapping, s: &'a Schema) -> Names<'a> {
    Names {
        mapping: m,
        schema: s,
        annotator: "",
    }
}

/// Exports with `format`, imports the result again and places it.
fn through(format: &str, article: &Article, ann: &Annotations) -> (Annotations, Warnings) {
    let (m, s) = (Mapping::default(), Schema::builtin());
    let names = names(&m, &s);
    let doc = ExportDoc {
        name: NAME,
        text: &article.text,
        ann,
    };
    let mut w = Warnings::default();
    let mut resolve = |name: &str| {
        assert_eq!(name, NAME);
        Ok(Located {
            rel: PathBuf::from(NAME),
            article: article.clone(),
            source: PathBuf::from(NAME),
        })
    };
    let docs: Vec<ImportedDoc> = match format {
        "jsonl" => {
            let out = jsonl::write(&doc, &names, &mut w);
            jsonl::read(&out, &names, &mut resolve, &mut w)
        }
        "label-studio" => {
            let out = label_studio::wrap(&[label_studio::write(&doc, 1, &names, &mut w)]);
            label_studio::read(&out, "x", &names, &mut w)
        }
        "w3c" => {
            let out = w3c::write(&doc, &names, &mut w);
            w3c::read(&out, &names, &mut resolve, &mut w)
        }
        "doccano" | "doccano-utf16" => {
            let units = if format == "doccano" {
                Units::CodePoints
            } else {
                Units::Utf16
            };
            let out = doccano::write(&doc, 1, (DoccanoShape::Entities, units), &names, &mut w);
            doccano::read(&out, "x", units, &names, &mut w)
        }
        "brat" => {
            let out = brat::write(&doc, &names, &mut brat::Conf::default(), &mut w);
            let (spans, links) = brat::read(&out, &article.text, &names, &mut w);
            vec![ImportedDoc {
                rel: PathBuf::from(NAME),
                article: article.clone(),
                source: None,
                spans,
                links,
                entities: Vec::new(),
            }]
        }
        _ => unreachable!(),
    };
    assert_eq!(docs.len(), 1, "{format}");
    let (placed, findings) = importer::place(&docs[0], Path::new(NAME));
    assert!(findings.is_empty(), "{format}: {findings:?}");
    (placed, w)
}

/// What a lossy format keeps of a span.
type Kept = (u64, String, usize, usize);

fn kept(ann: &Annotations, skip_rejected: bool) -> (Vec<Kept>, Vec<(String, u64, u64)>) {
    let spans: Vec<&Span> = ann
        .spans()
        .filter(|s| !(skip_rejected && s.is_rejected()))
        .collect();
    let ids: Vec<SpanId> = spans.iter().map(|s| s.id).collect();
    (
        spans
            .iter()
            .map(|s| (s.id.0, s.label.clone(), s.start, s.end))
            .collect(),
        ann.links()
            .filter(|l| ids.contains(&l.from) && ids.contains(&l.to))
            .map(|l| (l.kind.clone(), l.from.0, l.to.0))
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn lossless_formats_give_back_the_same_annotations(
        text in crate::offsets::torture_text(1..80),
        seeds in prop::collection::vec(span_seed(), 1..10),
        links in prop::collection::vec((0usize..10, 0usize..10, any::<bool>()), 0..6),
    ) {
        let (article, ann) = build(&text, &seeds, &links);
        for format in ["jsonl", "label-studio", "w3c"] {
            let (back, w) = through(format, &article, &ann);
            prop_assert!(w.problems.is_empty(), "{}: {:?}", format, w.problems);
            prop_assert_eq!(&back, &ann, "{}", format);
        }
    }

    #[test]
    fn doccano_keeps_labels_offsets_and_links(
        text in crate::offsets::torture_text(1..80),
        seeds in prop::collection::vec(span_seed(), 1..10),
        links in prop::collection::vec((0usize..10, 0usize..10, any::<bool>()), 0..6),
    ) {
        let (article, ann) = build(&text, &seeds, &links);
        for format in ["doccano", "doccano-utf16"] {
            let (back, w) = through(format, &article, &ann);
            // Random spans cut words anywhere, so reading code points may
            // say they look like UTF-16 units; that warning changes nothing.
            let problems: Vec<_> = w
                .problems
                .iter()
                .filter(|p| p.kind != super::ProblemKind::Utf16Offsets)
                .collect();
            prop_assert!(problems.is_empty(), "{}: {:?}", format, problems);
            prop_assert_eq!(kept(&back, false), kept(&ann, true), "{}", format);
        }
    }

    #[test]
    fn brat_keeps_spans_notes_attributes_and_links_and_is_stable(
        text in crate::offsets::torture_text(1..80),
        seeds in prop::collection::vec(span_seed(), 1..10),
        links in prop::collection::vec((0usize..10, 0usize..10, any::<bool>()), 0..6),
    ) {
        let (article, ann) = build(&text, &seeds, &links);
        let (back, w) = through("brat", &article, &ann);
        prop_assert!(w.problems.is_empty(), "{:?}", w.problems);
        // A span's edges move off line breaks; one of line breaks only has
        // no place in brat.
        let mut want = ann.clone();
        let spans: Vec<Span> = want.spans().cloned().collect();
        for mut s in spans {
            let frags = brat::fragments(&article.text, s.range());
            let removed = match (frags.first(), frags.last()) {
                _ if s.is_rejected() => true,
                (Some(a), Some(b)) => {
                    let r = a.0.start..b.0.end;
                    s.set_range(&article.text, r).unwrap();
                    want.replace_span(s.clone()).unwrap();
                    false
                }
                _ => true,
            };
            if removed {
                let links: Vec<LinkId> = want.links_of(s.id).map(|l| l.id).collect();
                for l in links {
                    want.remove_link(l).unwrap();
                }
                want.remove_span(s.id).unwrap();
            }
        }
        prop_assert_eq!(kept(&back, false), kept(&want, false));
        for (a, b) in back.spans().zip(want.spans()) {
            prop_assert_eq!(&a.note, &b.note);
            let mut attrs = a.attributes.clone();
            attrs.remove(brat::LINES_KEY);
            prop_assert_eq!(&attrs, &b.attributes);
        }
        // And what came back goes out as the very same lines.
        let (m, s) = (Mapping::default(), Schema::builtin());
        let n = names(&m, &s);
        let write = |a: &Annotations| {
            let doc = ExportDoc { name: NAME, text: &article.text, ann: a };
            brat::write(&doc, &n, &mut brat::Conf::default(), &mut Warnings::default())
        };
        prop_assert_eq!(write(&back), write(&ann));
    }
}
