//! Tests of [`super`]: the documented shape, strictness, and the write /
//! parse round trip.

use super::*;
use crate::model::DocumentRef;
use proptest::prelude::*;

const LABELS: &[&str] = &["claim", "source", "denial"];

#[test]
fn hand_written_minimal_file_gets_defaults() {
    let src = r#"(version: 1, document: (path: "a.txt"), spans: [
            (id: 7, label: "claim", start: 0, end: 4),
        ])"#;
    let f = parse(src).unwrap();
    assert_eq!(f.document.sha256, "");
    assert_eq!(f.spans[0].text, None);
    assert_eq!(f.spans[0].origin, Origin::default());
    assert!(f.links.is_empty());
}

#[test]
fn implicit_some_and_machine_origin() {
    let src = r#"(version: 1, document: (path: "a.txt", sha256: "ab", chars: 9), spans: [
            (id: 2, label: "claim", start: 0, end: 4, text: "abcd",
             origin: Machine(model: "attrib-v0", score: 0.82), status: Accepted, note: "n"),
        ])"#;
    let f = parse(src).unwrap();
    let s = &f.spans[0];
    assert_eq!(
        s.origin,
        Origin::Machine {
            model: "attrib-v0".into(),
            score: Some(0.82)
        }
    );
    assert_eq!(s.status, Some(Status::Accepted));
    assert_eq!(s.note.as_deref(), Some("n"));
}

#[test]
fn errors_have_line_and_column() {
    let cut = "(\n    version: 1,\n    document: (path: \"a.txt\"),\n    spans: [\n        (id: 1, label: \"claim\", st";
    match parse(cut).unwrap_err() {
        FormatError::Syntax { line, .. } => assert_eq!(line, 5),
        e @ FormatError::Version { .. } => panic!("{e:?}"),
    }
    let typo = "(version: 1, document: (path: \"a.txt\"),\n spans: [(id: 1, lable: \"claim\", start: 0, end: 1)])";
    let err = parse(typo).unwrap_err();
    assert!(
        matches!(err, FormatError::Syntax { line: 2, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("lable"), "{err}");
}

#[test]
fn future_version_is_named_as_such() {
    let src = "(version: 4, document: (path: \"a.txt\"), hologram: true)";
    let err = parse(src).unwrap_err();
    assert_eq!(err, FormatError::Version { found: 4 });
    assert!(err.to_string().contains("newer tandai"), "{err}");
    assert!(err.to_string().contains("versions 1 to 3"), "{err}");
    let err = parse("(version: 0, document: (path: \"a.txt\"))").unwrap_err();
    assert_eq!(err, FormatError::Version { found: 0 });
    assert!(!err.to_string().contains("newer"), "{err}");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let src = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse(&src).is_err());
}

#[test]
fn written_file_has_the_documented_shape() {
    let mut a = Annotations::new(DocumentRef {
        path: "seed.txt".into(),
        sha256: "00ff".into(),
        chars: 50,
    });
    a.insert_span(Span {
        id: SpanId(2),
        label: "claim".into(),
        start: 5,
        end: 9,
        text: "a\"b\\".into(),
        origin: Origin::Machine {
            model: "m".into(),
            score: Some(1.0),
        },
        status: Some(Status::Pending),
        attributes: [("k".to_owned(), "v".to_owned())].into(),
        ..Span::default()
    })
    .unwrap();
    a.insert_span(Span {
        id: SpanId(1),
        label: "cue".into(),
        start: 0,
        end: 2,
        text: "é\n".into(),
        before: "\u{1}".into(),
        origin: Origin::Human {
            annotator: "ana".into(),
        },
        orphan: true,
        ..Span::default()
    })
    .unwrap();
    a.insert_link(Link {
        id: LinkId(1),
        kind: "said_by".into(),
        from: SpanId(2),
        to: SpanId(1),
    })
    .unwrap();
    let want = r#"(
    version: 1,
    document: (path: "seed.txt", sha256: "00ff", chars: 50),
    labels: ["claim", "source", "denial", "cue"],
    spans: [
        (id: 1, label: "cue", start: 0, end: 2, text: "é\n", before: "\u{1}", after: "", origin: Human(annotator: "ana"), orphan: true),
        (id: 2, label: "claim", start: 5, end: 9, text: "a\"b\\", before: "", after: "", origin: Machine(model: "m", score: 1.0), status: Pending, attributes: {"k": "v"}),
    ],
    links: [
        (id: 1, kind: "said_by", from: 2, to: 1),
    ],
)
"#;
    assert_eq!(write(&a, LABELS), want);
    let back = parse(want).unwrap();
    assert_eq!(back.spans[0].text.as_deref(), Some("é\n"));
    assert_eq!(back.spans[0].before, "\u{1}");
    assert!(back.spans[0].orphan);
}

pub(super) fn arb_string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "a", " ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{7f}", "“", "é", "e\u{301}", "👍🏽",
            "\u{feff}", "\u{2028}", "}", ")", "//", "/*",
        ]),
        0..12,
    )
    .prop_map(|v| v.concat())
}

pub(super) fn arb_span() -> impl Strategy<Value = Span> {
    (
        1u64..1000,
        prop::sample::select(vec!["claim", "source", "denial", "cue", "ünknown"]),
        0usize..500,
        0usize..50,
        arb_string(),
        arb_string(),
        prop::option::of(arb_string()),
        prop::option::of((arb_string(), prop::option::of(-1e6f64..1e6))),
        prop::option::of(prop::sample::select(Status::ALL.to_vec())),
        prop::collection::btree_map(arb_string(), arb_string(), 0..3),
        any::<bool>(),
        (
            prop::option::of(arb_string()),
            prop::option::of((0usize..500, 0usize..50)),
            prop::option::of(1u64..8),
            prop::collection::vec(arb_string(), 0..3),
        ),
    )
        .prop_map(
            |(
                id,
                label,
                start,
                len,
                text,
                before,
                note,
                machine,
                status,
                attributes,
                orphan,
                (reviewer, proposed, entity, agreed),
            )| {
                Span {
                    id: SpanId(id),
                    label: label.to_owned(),
                    start,
                    end: start + len,
                    text,
                    after: before.chars().rev().collect(),
                    before,
                    note,
                    attributes,
                    origin: match machine {
                        Some((model, score)) => Origin::Machine { model, score },
                        None => Origin::Human {
                            annotator: "ana".into(),
                        },
                    },
                    status,
                    reviewer,
                    proposed: proposed.map(|(start, len)| Proposed {
                        label: "source".into(),
                        start,
                        end: start + len,
                    }),
                    orphan,
                    entity: entity.map(EntityId),
                    agreed,
                }
            },
        )
}

proptest! {
    #[test]
    fn write_parse_write_is_byte_identical(
        spans in prop::collection::vec(arb_span(), 0..20),
        path in arb_string(),
        links in prop::collection::vec((1u64..100, 1u64..1000, 1u64..1000), 0..10),
        done in any::<bool>(),
        entities in prop::collection::vec((1u64..8, arb_string(), prop::option::of(arb_string())), 0..4),
    ) {
        let mut a = Annotations::new(DocumentRef { path, sha256: "ab".into(), chars: 9 });
        a.done = done;
        for (id, name, role) in entities {
            let _ = a.insert_entity(Entity { id: EntityId(id), name, role });
        }
        for s in spans {
            let _ = a.insert_span(s);
        }
        for (id, from, to) in links {
            let _ = a.insert_link_unchecked(Link { id: LinkId(id), kind: "said_by".into(), from: SpanId(from), to: SpanId(to) });
        }
        let first = write(&a, LABELS);
        let raw = parse(&first).map_err(|e| TestCaseError::fail(format!("{e}\n{first}")))?;
        let mut b = Annotations::new(DocumentRef {
            path: raw.document.path,
            sha256: raw.document.sha256,
            chars: raw.document.chars.unwrap_or(0),
        });
        b.done = raw.done;
        prop_assert_eq!(raw.version, version_for(&a));
        for e in raw.entities {
            b.insert_entity(e.into()).unwrap();
        }
        for s in raw.spans {
            b.insert_span(s.into()).unwrap();
        }
        for l in raw.links {
            b.insert_link_unchecked(l.into()).unwrap();
        }
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(write(&b, LABELS), first);
    }
}

#[test]
fn entities_make_a_version_2_file_and_none_keep_version_1() {
    let mut a = Annotations::new(DocumentRef {
        path: "a.txt".into(),
        sha256: "00ff".into(),
        chars: 40,
    });
    a.insert_span(Span {
        id: SpanId(1),
        label: "source".into(),
        start: 0,
        end: 5,
        text: "Kirby".into(),
        ..Span::default()
    })
    .unwrap();
    let v1 = write(&a, LABELS);
    assert!(v1.starts_with("(\n    version: 1,\n"), "{v1}");
    assert!(!v1.contains("entit"), "{v1}");
    a.insert_entity(Entity {
        id: EntityId(1),
        name: "John \"Jack\" Kirby".into(),
        role: Some("NSC spokesman".into()),
    })
    .unwrap();
    a.insert_entity(Entity {
        id: EntityId(2),
        name: "Ani Lestari".into(),
        role: None,
    })
    .unwrap();
    let mut s = a.span(SpanId(1)).unwrap().clone();
    s.entity = Some(EntityId(1));
    s.status = Some(Status::Accepted);
    a.replace_span(s).unwrap();
    let want = r#"(
    version: 2,
    document: (path: "a.txt", sha256: "00ff", chars: 40),
    labels: ["claim", "source", "denial"],
    entities: [
        (id: 1, name: "John \"Jack\" Kirby", role: "NSC spokesman"),
        (id: 2, name: "Ani Lestari"),
    ],
    spans: [
        (id: 1, label: "source", start: 0, end: 5, text: "Kirby", before: "", after: "", origin: Human(annotator: ""), entity: 1, status: Accepted),
    ],
    links: [],
)
"#;
    assert_eq!(write(&a, LABELS), want);
    let back = parse(want).unwrap();
    assert_eq!(back.version, 2);
    assert_eq!(back.spans[0].entity, Some(1));
    assert_eq!(back.entities[1].role, None);
    // Taken away again, the file is version 1 byte for byte.
    let mut s = a.span(SpanId(1)).unwrap().clone();
    s.entity = None;
    s.status = None;
    a.replace_span(s).unwrap();
    a.remove_entity(EntityId(1)).unwrap();
    a.remove_entity(EntityId(2)).unwrap();
    assert_eq!(write(&a, LABELS), v1);
    // A misspelt entity field is an error, as any other.
    let typo = "(version: 2, document: (path: \"a.txt\"), entities: [(id: 1, nmae: \"x\")])";
    assert!(parse(typo).unwrap_err().to_string().contains("nmae"));
}

/// The first `quote`, char by char: the reference for the byte scan.
fn quote_reference(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

proptest! {
    #[test]
    fn quote_escapes_exactly_the_control_chars(
        parts in prop::collection::vec(
            prop::sample::select(vec![
                "a", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1f}", "\u{7f}", "\u{80}", "\u{85}",
                "\u{9f}", "\u{a0}", "«", "\u{c2}", "é", "“", "👍🏽", "\u{feff}", "\u{2028}", "e\u{301}",
            ]),
            0..30,
        ),
    ) {
        let s = parts.concat();
        let mut out = String::new();
        quote(&mut out, &s);
        prop_assert_eq!(out, quote_reference(&s));
    }
}
