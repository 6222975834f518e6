//! The fast reader ([`super::fast`]) against `ron`: on what tandai writes
//! it must read the same values, on anything it takes at all it must agree
//! with `ron`, and what it refuses must still be read by `ron`.

use super::tests::{arb_span, arb_string};
use super::*;
use crate::model::DocumentRef;
use proptest::prelude::*;

const LABELS: &[&str] = &["claim", "source", "denial"];

/// What `ron` alone makes of `src` (no version check).
fn by_ron(src: &str) -> Result<RawFile, ron::error::SpannedError> {
    ron_options().from_str::<RawFile>(src)
}

/// A written file with a little of everything.
fn sample(spans: Vec<Span>, links: &[(u64, u64, u64)], done: bool) -> String {
    let mut a = Annotations::new(DocumentRef {
        path: "dunia/kapal \"baru\".txt".into(),
        sha256: "ab12".into(),
        chars: 900,
    });
    a.done = done;
    let _ = a.insert_entity(Entity {
        id: EntityId(3),
        name: "John Kirby".into(),
        role: Some("juru bicara".into()),
    });
    for s in spans {
        let _ = a.insert_span(s);
    }
    for &(id, from, to) in links {
        let _ = a.insert_link_unchecked(Link {
            id: LinkId(id),
            kind: "said_by".into(),
            from: SpanId(from),
            to: SpanId(to),
        });
    }
    write(&a, LABELS)
}

/// A version 3 file with a dispute, written by hand as a merge writes it.
const DISPUTED: &str = r#"(
    version: 3,
    document: (path: "a.txt", sha256: "00ff", chars: 40),
    labels: ["claim", "source", "denial"],
    spans: [
        (id: 1, label: "source", start: 0, end: 5, text: "Kirby", before: "", after: " kata", origin: Human(annotator: "ana"), agreed: ["ana", "budi"]),
    ],
    links: [],
    disputes: [
        (id: 1, alternatives: [
            (by: ["ana"], spans: [
                (id: 7, label: "claim", start: 6, end: 10, text: "kata", before: "Kirby ", after: "", origin: Machine(model: "m", score: 0.25), status: Corrected, reviewer: "ana", proposed: (label: "denial", start: 6, end: 9)),
            ], links: [
                (id: 4, kind: "said_by", from: 7, to: 1),
            ], entities: [
                (id: 2, name: "Kirby"),
            ]),
            (by: ["budi"]),
        ]),
    ],
)
"#;

#[test]
fn a_disputed_file_is_read_fast_as_ron_reads_it() {
    let fast = fast::parse(DISPUTED).expect("the plain shape");
    assert_eq!(fast, by_ron(DISPUTED).unwrap());
    assert_eq!(fast.disputes[0].alternatives[0].spans[0].id, 7);
}

#[test]
fn hand_written_variations_are_read_fast() {
    // Fields in another order, no trailing commas, CRLF and tabs, a field
    // left out, escapes of every kind the writer knows and `\'` and `\0`.
    for src in [
        "(document: (sha256: \"x\", path: \"a.txt\"), version: 1, spans: [(label: \"claim\", end: 4, start: 0, id: 2)])",
        "(\r\n\tversion: 1,\r\n\tdocument: (path: \"a.txt\"),\r\n\tspans: [\r\n\t\t(id: 1, label: \"c\", start: 0, end: 1, text: \"\\u{1F44D}\\u{301}\\n\\'\\0\\\"\\\\\")\r\n\t]\r\n)\r\n",
        "(version: 1, document: (path: \"a.txt\"), links: [(id: 1, kind: \"said_by\", from: 2, to: 3,),],)",
        "(version: 2, document: (path: \"a.txt\", chars: 0), entities: [(name: \"X\", id: 1)], done: true)",
        "(version: 1, document: (path: \"a.txt\"), spans: [(id: 1, label: \"c\", start: 0, end: 1, origin: Machine(score: 1e-7), attributes: {\"k\": \"v\", \"a\": \"\"})])",
    ] {
        let fast = fast::parse(src).unwrap_or_else(|| panic!("not read fast: {src}"));
        assert_eq!(fast, by_ron(src).unwrap(), "{src}");
    }
}

#[test]
fn anything_else_is_left_to_ron() {
    // Each is good RON that the fast reader does not take: `ron` reads it.
    for src in [
        "(version: 1, document: (path: \"a.txt\"), spans: [(id: 1, label: \"c\", start: 0, end: 1, note: Some(\"n\"))])",
        "// a comment\n(version: 1, document: (path: \"a.txt\"))",
        "(version: 1, document: (path: r\"a.txt\"))",
        "(version: 1, document: (path: \"a\\x41.txt\"))",
        "(version: 1, document: (path: \"a.txt\"), spans: [(id: 1_0, label: \"c\", start: 0, end: 1)])",
        "(version: 1, document: (path: \"a.txt\"), spans: [(id: 0x1, label: \"c\", start: 0, end: 1)])",
        "(version: 1, document: (path: \"a.txt\"), spans: [(id: 1, label: \"c\", start: 0, end: 1, origin: Human(annotator: \"a\", extra: 1))])",
        "(version: 1, document: (path: \"a.txt\", chars: None))",
        "RawFile(version: 1, document: (path: \"a.txt\"))",
        "(r#version: 1, document: (path: \"a.txt\"))",
        "(version: 1, document: (path: \"a.\\\n  txt\"))",
    ] {
        assert_eq!(fast::parse(src), None, "{src}");
        assert!(by_ron(src).is_ok(), "{src}: {:?}", by_ron(src));
        assert!(parse(src).is_ok(), "{src}");
    }
    // Errors are `ron`'s, with their line and column.
    let typo = "(version: 1,\n document: (path: \"a.txt\"),\n spans: [(id: 1, lable: \"c\")])";
    assert_eq!(fast::parse(typo), None);
    match parse(typo) {
        Err(FormatError::Syntax { line: 3, .. }) => {}
        other => panic!("{other:?}"),
    }
    // A newer file says so, whichever reader took it.
    let newer = "(version: 9, document: (path: \"a.txt\"))";
    assert!(fast::parse(newer).is_some());
    assert_eq!(parse(newer), Err(FormatError::Version { found: 9 }));
    let newer = "(version: 9, document: (path: \"a.txt\"), future: [1, 2])";
    assert_eq!(parse(newer), Err(FormatError::Version { found: 9 }));
}

/// Things to put into a file to break or bend it.
const BITS: &[&str] = &[
    "",
    " ",
    ",",
    ",,",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    "\"",
    "\\",
    "\\u{41}",
    "\\x41",
    "//",
    "/*",
    "*/",
    "\n",
    "\r",
    "Some(",
    "None",
    "r\"",
    "#",
    "_",
    "0",
    "00",
    "-",
    "+",
    "1e5",
    ".5",
    "inf",
    "NaN",
    "true",
    "false",
    "id: 1, ",
    "label: \"x\", ",
    "note: \"n\", ",
    "é",
    "\u{2028}",
    "Human",
    "Machine()",
    "status: Pending, ",
    "version: 2, ",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn fast_reads_what_write_writes_exactly_as_ron_does(
        spans in prop::collection::vec(arb_span(), 0..12),
        links in prop::collection::vec((1u64..100, 1u64..1000, 1u64..1000), 0..6),
        done in any::<bool>(),
    ) {
        let src = sample(spans, &links, done);
        let fast = fast::parse(&src);
        prop_assert!(fast.is_some(), "not read fast:\n{}", src);
        prop_assert_eq!(fast, Some(by_ron(&src).map_err(|e| TestCaseError::fail(format!("{e}")))?));
    }

    #[test]
    fn whatever_fast_takes_ron_reads_the_same(
        spans in prop::collection::vec(arb_span(), 0..4),
        done in any::<bool>(),
        cuts in prop::collection::vec((any::<prop::sample::Index>(), 0usize..3, prop::sample::select(BITS)), 1..3),
        escaped in arb_string(),
    ) {
        let mut src = sample(spans, &[(1, 1, 2)], done);
        src = src.replacen("said_by", &escaped.escape_default().to_string(), 1);
        for (at, remove, bit) in cuts {
            let mut from = at.index(src.len() + 1);
            while !src.is_char_boundary(from) {
                from -= 1;
            }
            let mut to = (from + remove).min(src.len());
            while !src.is_char_boundary(to) {
                to += 1;
            }
            src.replace_range(from..to, bit);
        }
        if let Some(fast) = fast::parse(&src) {
            prop_assert_eq!(Ok(fast), by_ron(&src).map_err(|e| e.to_string()), "{}", src);
        }
    }
}
