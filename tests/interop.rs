#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
//! `tandai import` and `tandai export`, run as a user runs them: round
//! trips through every format on brat files (ours in `tests/fixtures/brat`,
//! and brat's own examples when they lie beside the checkout) and on torture text
//! (BOM, CRLF, emoji with skin tones, combining accents, CJK, Arabic),
//! offsets checked against Python-style string indexing, golden files for
//! each export, and the rules: exit codes, nothing overwritten without
//! `--force`, malformed input reported by file and line.
//!
//! Goldens live in `tests/golden/interop/`; `TANDAI_BLESS=1 cargo test
//! --test interop` writes them, otherwise they are compared byte for byte.

mod common;

use std::path::{Path, PathBuf};

use common::{Sandbox, char_range, char_slice, files_with, links_of, spans_of};
use serde_json::Value;
use tandai::model::{Annotations, DocumentRef, Link, LinkId, Origin, Span, SpanId, Status};
use tandai::offsets::Text;

/// Our own brat files: short wire stories with every kind of `.ann` line.
const BRAT_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/brat");

/// brat's example data, beside the CI checkout only: an extra when there.
const SHARED_BRAT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/interop/brat");

/// Every kind of character that has shifted offsets somewhere, and a span
/// across a CRLF.
const TORTURE: &str = "\u{feff}JAKARTA — Juru bicara Jose\u{301} Kirby 👍🏽 mengatakan: “Korea Utara mengirim peluru.”\r\n北京 menolak tuduhan itu. 🇮🇩 مرحبا بالعالم\r\nPejabat Iran membantah\r\nmemasok drone 👨‍👩‍👧.\r\n";

/// (id, label, quote, machine (model, score, status), note, attribute)
type Fixture = (
    u64,
    &'static str,
    &'static str,
    Option<(&'static str, f64, Status)>,
    Option<&'static str>,
    Option<(&'static str, &'static str)>,
);

const SPANS: [Fixture; 8] = [
    (
        1,
        "source",
        "Juru bicara Jose\u{301} Kirby",
        None,
        Some("checked\nagainst the transcript"),
        None,
    ),
    (
        2,
        "claim",
        "Korea Utara mengirim peluru.",
        Some(("attrib-v0", 0.82, Status::Accepted)),
        None,
        None,
    ),
    (
        3,
        "claim",
        "“Korea Utara mengirim peluru.”",
        None,
        None,
        None,
    ),
    (
        4,
        "source",
        "北京",
        None,
        None,
        Some(("kind", "government office")),
    ),
    (
        5,
        "denial",
        "北京 menolak tuduhan itu",
        Some(("attrib-v0", 0.5, Status::Pending)),
        None,
        None,
    ),
    (6, "source", "Pejabat Iran", None, None, None),
    (
        7,
        "denial",
        "Pejabat Iran membantah\r\nmemasok drone 👨‍👩‍👧",
        None,
        None,
        None,
    ),
    (
        8,
        "claim",
        "مرحبا بالعالم",
        Some(("attrib-v0", 0.1, Status::Rejected)),
        None,
        None,
    ),
];

const LINKS: [(u64, &str, u64, u64); 5] = [
    (1, "said_by", 2, 1),
    (2, "said_by", 3, 1),
    (3, "said_by", 5, 4),
    (4, "denies", 5, 2),
    (5, "said_by", 7, 6),
];

/// Writes the torture article and its annotation file into `dir`.
fn torture(dir: &Path) -> PathBuf {
    std::fs::write(dir.join("torture.txt"), TORTURE).unwrap();
    let text = Text::new(TORTURE.to_owned());
    let mut ann = Annotations::new(DocumentRef {
        path: "torture.txt".into(),
        sha256: tandai::document::sha256_hex(TORTURE.as_bytes()),
        chars: text.len_chars(),
    });
    for (id, label, quote, machine, note, attr) in SPANS {
        let origin = match machine {
            Some((model, score, _)) => Origin::Machine {
                model: model.into(),
                score: Some(score),
            },
            None => Origin::Human {
                annotator: "ana".into(),
            },
        };
        let mut s =
            Span::new_in(&text, SpanId(id), label, char_range(TORTURE, quote), origin).unwrap();
        if let Some((_, _, status)) = machine {
            s.status = Some(status);
        }
        s.note = note.map(str::to_owned);
        if let Some((k, v)) = attr {
            s.attributes.insert(k.into(), v.into());
        }
        ann.insert_span(s).unwrap();
    }
    for (id, kind, from, to) in LINKS {
        ann.insert_link(Link {
            id: LinkId(id),
            kind: kind.into(),
            from: SpanId(from),
            to: SpanId(to),
        })
        .unwrap();
    }
    let ron = dir.join("torture.tandai.ron");
    tandai::store::save_over(&ron, &ann, &["claim", "source", "denial"]).unwrap();
    ron
}

/// Compares `actual` with the golden file `name`, or writes it when
/// `TANDAI_BLESS` is set.
#[track_caller]
fn golden(name: &str, actual: &[u8]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/interop")
        .join(name);
    if std::env::var_os("TANDAI_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with TANDAI_BLESS=1 to write it)",
            path.display()
        )
    });
    assert!(
        want == actual,
        "{name} differs from its golden file {}:\n{}",
        path.display(),
        String::from_utf8_lossy(actual)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

// ------------------------------------------------------------- brat

/// The brat corpora to round-trip: our own fixtures always; brat's example
/// data when it lies beside the checkout (as in CI), else skipped, saying
/// so.
fn brat_corpora() -> Vec<PathBuf> {
    let mut corpora = vec![Path::new(BRAT_FIXTURES).to_owned()];
    let shared = Path::new(SHARED_BRAT);
    if shared.is_dir() {
        corpora.extend(["news", "esp", "BioNLP-ST_2011_REL"].map(|c| shared.join(c)));
    } else {
        eprintln!(
            "skipped the extra brat corpora: {} is not there (it lies beside the CI checkout)",
            shared.display()
        );
    }
    corpora
}

#[test]
fn brat_corpora_round_trip_to_the_same_lines_and_check_clean() {
    for src in brat_corpora() {
        let corpus = src.display();
        let sb = Sandbox::new();
        let run = sb.run(&[
            "import",
            "--format",
            "brat",
            src.to_str().unwrap(),
            "-o",
            "in",
            "--json",
        ]);
        assert!(run.code <= 1, "{run:#?}");
        assert_eq!(run.json()["problems"], serde_json::json!([]), "{corpus}");
        sb.run(&["check", "in"]).assert_code(0);
        sb.run(&["export", "--format", "brat", "in", "-o", "out"])
            .assert_code(0);
        let anns = files_with(&src, "ann");
        assert!(!anns.is_empty());
        for ann in anns {
            let name = ann.file_name().unwrap();
            let back = sb.join("out").join(name);
            assert_eq!(
                std::fs::read_to_string(&ann).unwrap(),
                std::fs::read_to_string(&back).unwrap(),
                "{corpus}/{}",
                name.to_string_lossy()
            );
            let txt = ann.with_extension("txt");
            assert_eq!(
                std::fs::read(&txt).unwrap(),
                std::fs::read(back.with_extension("txt")).unwrap()
            );
        }
        assert!(sb.join("out/annotation.conf").exists());
    }
}

#[test]
fn brat_import_counts_what_it_keeps_in_attributes() {
    let sb = Sandbox::new();
    let run = sb.run(&["import", "-f", "brat", BRAT_FIXTURES, "-o", "in", "--json"]);
    run.assert_code(1);
    let j = run.json();
    assert_eq!(j["documents"], 3);
    assert_eq!(j["counts"]["brat_events"], 1);
    assert_eq!(j["counts"]["brat_normalizations"], 1);
    assert_eq!(j["counts"]["brat_equivalences"], 1);
    assert_eq!(j["counts"]["brat_discontinuous"], 2);
    // An attribute on the event, a note on a relation.
    assert_eq!(j["counts"]["brat_other_attributes"], 2);
    assert_eq!(j["problems"].as_array().unwrap().len(), 0);
    // The attribute values and notes are tandai's own.
    let bridge = std::fs::read_to_string(sb.join("in/bridge.tandai.ron")).unwrap();
    assert!(
        bridge.contains(r#"note: "checked against the statement""#),
        "{bridge}"
    );
    assert!(bridge.contains(r#""Confidence": "High""#), "{bridge}");
    assert!(bridge.contains(r#""Negated": """#), "{bridge}");
    assert!(bridge.contains("E1\\tStatement:T7"), "{bridge}");
    let kapal = std::fs::read_to_string(sb.join("in/kapal.tandai.ron")).unwrap();
    assert!(kapal.contains(r#"note: "bantahan lisan""#), "{kapal}");
    // Unknown labels went into the folder's schema: check is clean.
    let schema = std::fs::read_to_string(sb.join("in/tandai.schema.ron")).unwrap();
    assert!(schema.contains(r#"name: "Place""#), "{schema}");
}

#[test]
fn brat_edits_in_tandai_come_out_in_place_and_dangling_lines_go() {
    let sb = Sandbox::new();
    copy_dir(Path::new(BRAT_FIXTURES), &sb.join("news"));
    sb.run(&["import", "-f", "brat", "news/bridge.ann"])
        .assert_code(1);
    // Drop T8 (the claim event E1 and relation R4 name) and relabel T9.
    let ron = sb.join("news/bridge.tandai.ron");
    let src = std::fs::read_to_string(&ron).unwrap();
    let edited: String = src
        .lines()
        .filter(|l| !l.contains("(id: 8,") && !l.contains("(id: 4, kind"))
        .map(|l| {
            if l.contains("(id: 9,") {
                l.replace("label: \"Place\"", "label: \"City\"")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&ron, edited).unwrap();
    let run = sb.run(&[
        "export",
        "-f",
        "brat",
        "news/bridge.tandai.ron",
        "-o",
        "out",
        "--json",
    ]);
    run.assert_code(1);
    // E1 (which names T8) and A2 (on E1) go.
    assert_eq!(run.json()["counts"]["brat_lines_dropped"], 2, "{run:#?}");
    let out = sb.read_string("out/bridge.ann");
    assert!(out.contains("T9\tCity 0 8\tSURABAYA\n"), "{out}");
    assert!(!out.contains("E1\t"), "{out}");
    assert!(!out.contains("A2\t"), "{out}");
    assert!(!out.contains("R4\t"), "{out}");
    assert!(
        out.starts_with("T1\tsource 18 36\tThe port authority\nT2\tclaim"),
        "{out}"
    );
}

#[test]
fn brat_malformed_lines_are_reported_by_file_and_line_and_the_rest_converts() {
    let sb = Sandbox::new();
    sb.write("a.txt", "Kirby said the ships left.\n");
    sb.write(
        "a.ann",
        "T1\tsource 0 5\tKirby\nT2 claim 11 25 x\nT3\tclaim 11 25\tthe ships left\nR1\tsaid_by Arg1:T3 Arg2:T9\t\nT4\tclaim 11 99\tnowhere\n",
    );
    let run = sb.run(&["import", "-f", "brat", "a.ann"]);
    run.assert_code(1);
    run.assert_stderr_has(&["a.ann:2:", "a.ann:4:", "a.ann:5:", "T9"]);
    let spans = spans_of(&sb.join("a.tandai.ron"));
    assert_eq!(spans.len(), 3, "{spans:?}");
}

// ------------------------------------------------------------- torture

#[test]
fn torture_text_survives_every_round_trip() {
    for format in ["jsonl", "label-studio", "w3c", "brat", "doccano"] {
        let sb = Sandbox::new();
        let ron = torture(sb.path());
        let out = if matches!(format, "w3c" | "brat") {
            "exp"
        } else {
            "exp.out"
        };
        let run = sb.run(&["export", "-f", format, ron.to_str().unwrap(), "-o", out]);
        assert!(run.code <= 1, "{format}: {run:#?}");
        let input = if matches!(format, "w3c" | "brat") {
            "exp"
        } else {
            "exp.out"
        };
        let run = sb.run(&["import", "-f", format, input, "-o", "back"]);
        assert!(run.code <= 1, "{format}: {run:#?}");
        assert!(
            !run.stderr.contains("mismatch") && !run.stderr.contains("UTF-16"),
            "{format}: {run:#?}"
        );
        // The article comes back byte for byte: BOM, CRLF and all.
        assert_eq!(sb.read("back/torture.txt"), TORTURE.as_bytes(), "{format}");
        let back = sb.join("back/torture.tandai.ron");
        let got = spans_of(&back);
        for (id, label, quote, machine, ..) in SPANS {
            let rejected = matches!(machine, Some((_, _, Status::Rejected)));
            if rejected && matches!(format, "brat" | "doccano") {
                continue;
            }
            let r = char_range(TORTURE, quote);
            let want = (id, label.to_owned(), r.start, r.end, quote.to_owned());
            assert!(got.contains(&want), "{format}: {want:?} not in {got:?}");
        }
        let lossless = matches!(format, "jsonl" | "label-studio" | "w3c");
        if lossless {
            assert_eq!(
                sb.read("back/torture.tandai.ron"),
                std::fs::read(&ron).unwrap(),
                "{format}"
            );
        }
        assert_eq!(links_of(&back).len(), LINKS.len(), "{format}");
        sb.run(&["check", "back"]).assert_code(0);
    }
}

/// Offsets in every export, checked the way Python's `text[start:end]`
/// would read them (brat: over the text as it reads it, each CRLF once).
#[test]
fn exported_offsets_are_python_code_point_indices() {
    let sb = Sandbox::new();
    let ron = torture(sb.path());
    let ron = ron.to_str().unwrap();
    let slice = |r: (u64, u64)| char_slice(TORTURE, r.0 as usize..r.1 as usize);
    let num = |v: &Value| v.as_u64().unwrap();

    sb.run(&["export", "-f", "jsonl", ron, "-o", "s.jsonl"])
        .assert_code(0);
    for line in sb.read_string("s.jsonl").lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(
            slice((num(&v["start"]), num(&v["end"]))),
            v["text"].as_str().unwrap()
        );
    }

    sb.run(&["export", "-f", "label-studio", ron, "-o", "ls.json"])
        .assert_code(0);
    let tasks: Value = serde_json::from_str(&sb.read_string("ls.json")).unwrap();
    let task = &tasks[0];
    assert_eq!(task["data"]["text"], TORTURE);
    let mut regions = 0;
    for list in ["annotations", "predictions"] {
        for a in task[list].as_array().unwrap() {
            for r in a["result"].as_array().unwrap() {
                if r["type"] == "labels" {
                    let v = &r["value"];
                    assert_eq!(
                        slice((num(&v["start"]), num(&v["end"]))),
                        v["text"].as_str().unwrap()
                    );
                    regions += 1;
                }
            }
        }
    }
    assert_eq!(regions, 8);

    sb.run(&["export", "-f", "w3c", ron, "-o", "w3c"])
        .assert_code(0);
    let page: Value = serde_json::from_str(&sb.read_string("w3c/torture.jsonld")).unwrap();
    for a in page["first"]["items"].as_array().unwrap() {
        if a["motivation"] == "tagging" {
            let sel = &a["target"]["selector"];
            let exact = sel[0]["exact"].as_str().unwrap();
            assert_eq!(slice((num(&sel[1]["start"]), num(&sel[1]["end"]))), exact);
        }
    }

    sb.run(&["export", "-f", "doccano", ron, "-o", "d.jsonl"])
        .assert_code(0);
    let line: Value = serde_json::from_str(sb.read_string("d.jsonl").trim()).unwrap();
    for e in line["entities"].as_array().unwrap() {
        let q = slice((num(&e["start_offset"]), num(&e["end_offset"])));
        assert!(SPANS.iter().any(|s| s.2 == q), "{q:?}");
    }

    // brat reads the text with universal newlines (nlplab/brat#853): its
    // offsets index the text with each CRLF as one character.
    let as_brat_reads = TORTURE.replace("\r\n", "\n");
    let brat_slice = |r: (u64, u64)| char_slice(&as_brat_reads, r.0 as usize..r.1 as usize);
    sb.run(&["export", "-f", "brat", ron, "-o", "brat"])
        .assert_code(1);
    for line in sb
        .read_string("brat/torture.ann")
        .lines()
        .filter(|l| l.starts_with('T'))
    {
        let mut f = line.splitn(3, '\t');
        let (_, offs, text) = (f.next(), f.next().unwrap(), f.next().unwrap());
        let pieces: Vec<String> = offs
            .split_once(' ')
            .unwrap()
            .1
            .split(';')
            .map(|fr| {
                let (a, b) = fr.split_once(' ').unwrap();
                brat_slice((a.parse().unwrap(), b.parse().unwrap()))
            })
            .collect();
        assert_eq!(pieces.join(" "), text);
    }

    let run = sb.run(&["export", "-f", "conll", ron, "--token-offsets"]);
    run.assert_code(1);
    for line in run
        .stdout
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("-DOCSTART-"))
    {
        let cols: Vec<&str> = line.split(' ').collect();
        assert_eq!(cols.len(), 4, "{line:?}");
        assert_eq!(
            slice((cols[1].parse().unwrap(), cols[2].parse().unwrap())),
            cols[0]
        );
    }
}

#[test]
fn exports_match_their_golden_files() {
    let sb = Sandbox::new();
    let ron = torture(sb.path());
    let ron = ron.to_str().unwrap();
    let cases: [(&str, &[&str], &str); 8] = [
        ("jsonl", &[], "torture.jsonl"),
        ("doccano", &[], "torture.doccano.jsonl"),
        (
            "doccano",
            &["--doccano-shape", "labels"],
            "torture.doccano-labels.jsonl",
        ),
        ("label-studio", &[], "torture.label-studio.json"),
        ("conll", &[], "torture.conll"),
        (
            "conll",
            &["--overlap", "inner", "--token-offsets"],
            "torture.inner-offsets.conll",
        ),
        ("brat", &[], "brat"),
        ("w3c", &[], "w3c"),
    ];
    for (format, extra, name) in cases {
        let mut args = vec!["export", "-f", format, ron, "-o", name];
        args.extend_from_slice(extra);
        let run = sb.run(&args);
        assert!(run.code <= 1, "{run:#?}");
        match format {
            "brat" => {
                golden("torture.ann", &sb.read("brat/torture.ann"));
                golden("annotation.conf", &sb.read("brat/annotation.conf"));
            }
            "w3c" => golden("torture.jsonld", &sb.read("w3c/torture.jsonld")),
            _ => golden(name, &sb.read(name)),
        }
    }
}

// ------------------------------------------------------------- other tools

#[test]
fn label_studio_predictions_become_machine_spans_and_problems_name_lines() {
    let sb = Sandbox::new();
    let text = "👍🏽 Kirby said the ships left.";
    let ls = serde_json::json!([{
        "id": 17,
        "data": {"text": text},
        "annotations": [{"completed_by": 3, "result": [
            {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
             "value": {"start": 3, "end": 8, "text": "Kirby", "labels": ["Source"]}},
            {"id": "b", "type": "labels", "from_name": "label", "to_name": "text",
             "value": {"start": 20, "end": 30, "text": "ships left", "labels": ["claim"]}},
            {"from_id": "b", "to_id": "a", "type": "relation", "direction": "right", "labels": ["said_by"]},
            {"type": "choices", "value": {"choices": ["news"]}}
        ]}],
        "predictions": [{"model_version": "attrib-v0", "score": 0.7, "result": [
            {"id": "p", "type": "labels", "score": 0.9,
             "value": {"start": 14, "end": 28, "text": "the ships left", "labels": ["claim"]}}
        ]}]
    }]);
    sb.write("tasks.json", serde_json::to_string_pretty(&ls).unwrap());
    let run = sb.run(&["import", "-f", "label-studio", "tasks.json", "--json"]);
    run.assert_code(1);
    let j = run.json();
    let problems = j["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{j:#}");
    // Offsets 20..30 are UTF-16 units (the emoji counts four): converted.
    assert_eq!(problems[0]["kind"], "utf16_offsets");
    assert!(problems[0]["line"].as_u64().unwrap() > 1);
    assert!(
        problems[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("tasks.json")
    );
    assert_eq!(j["counts"]["non_span_results"], 1);
    let ron = sb.read_string("tasks-17.tandai.ron");
    assert!(
        ron.contains(r#"label: "source", start: 3, end: 8, text: "Kirby""#),
        "{ron}"
    );
    assert!(
        ron.contains(r#"start: 18, end: 28, text: "ships left""#),
        "{ron}"
    );
    assert!(
        ron.contains(r#"Machine(model: "attrib-v0", score: 0.9), status: Pending"#),
        "{ron}"
    );
    assert!(ron.contains(r#"Human(annotator: "3")"#), "{ron}");
    assert_eq!(
        links_of(&sb.join("tasks-17.tandai.ron")),
        [("said_by".to_owned(), 2, 1)]
    );
}

#[test]
fn doccano_lines_become_documents_beside_their_annotation_files() {
    let sb = Sandbox::new();
    sb.write(
        "batch.jsonl",
        concat!(
            "{\"id\": 1, \"text\": \"Gedung Putih menuding\\r\\nKorea.\", \"label\": [[0, 12, \"Source\"], [23, 28, \"claim\"]]}\n",
            "{\"id\": 2, \"text\": \"x\", \"label\": [[0, 5, \"claim\"]]}\n",
            "{oops\n",
        ),
    );
    let run = sb.run(&["import", "-f", "doccano", "batch.jsonl", "-o", "out"]);
    run.assert_code(1);
    run.assert_stderr_has(&["batch.jsonl:2:", "batch.jsonl:3:"]);
    assert_eq!(
        sb.read_string("out/batch-1.txt"),
        "Gedung Putih menuding\r\nKorea."
    );
    let spans = spans_of(&sb.join("out/batch-1.tandai.ron"));
    assert_eq!(spans[0].4, "Gedung Putih");
    assert_eq!(spans[1].4, "Korea");
    assert!(sb.join("out/batch-2.tandai.ron").exists());
}

#[test]
fn w3c_from_another_tool_with_web_sources_and_quote_only_targets() {
    let sb = Sandbox::new();
    sb.write("a.txt", "AS menuding; AS membantah 👍🏽.");
    let anno = serde_json::json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationPage",
        "items": [
            {"id": "http://example.org/anno/1", "type": "Annotation",
             "body": {"type": "TextualBody", "value": "Source", "purpose": "tagging"},
             "target": {"source": "https://example.org/news/a.txt?v=2", "selector": {"type": "TextQuoteSelector", "exact": "AS", "prefix": "; "}}},
            {"id": "http://example.org/anno/2", "type": "Annotation", "bodyValue": "denial",
             "target": {"source": "https://example.org/news/a.txt?v=2", "selector": [
                 {"type": "TextPositionSelector", "start": 13, "end": 25},
                 {"type": "TextQuoteSelector", "exact": "AS membantah"}]}},
            {"type": "Annotation", "motivation": "linking",
             "body": [{"type": "TextualBody", "value": "said_by"}, "http://example.org/anno/1"],
             "target": "http://example.org/anno/2"},
            {"type": "Annotation", "body": "claim", "target": {"source": "../../etc/passwd"}}
        ]
    });
    sb.write("a.jsonld", serde_json::to_string_pretty(&anno).unwrap());
    let run = sb.run(&["import", "-f", "w3c", "a.jsonld"]);
    run.assert_code(1);
    run.assert_stderr_has(&["climbs out"]);
    let spans = spans_of(&sb.join("a.tandai.ron"));
    assert_eq!(spans.len(), 2, "{spans:?}");
    assert!(
        spans
            .iter()
            .any(|s| s.1 == "source" && s.2 == 13 && s.3 == 15)
    );
    assert_eq!(links_of(&sb.join("a.tandai.ron")).len(), 1);
}

#[test]
fn a_mapping_file_renames_both_ways() {
    let sb = Sandbox::new();
    sb.write(
        "map.txt",
        "[labels]\nSpeaker = source\nQuote = claim\n[links]\nAttribution = said_by\n",
    );
    sb.write("a.txt", "Kirby said the ships left.");
    sb.write(
        "a.ann",
        "T1\tSpeaker 0 5\tKirby\nT2\tQuote 11 25\tthe ships left\nR1\tAttribution Arg1:T2 Arg2:T1\t\n",
    );
    sb.run(&[
        "import", "-f", "brat", "a.ann", "--map", "map.txt", "-o", "in",
    ])
    .assert_code(0);
    assert!(
        !sb.join("in/tandai.schema.ron").exists(),
        "nothing new for the schema"
    );
    let ron = sb.read_string("in/a.tandai.ron");
    assert!(
        ron.contains(r#"label: "source""#) && ron.contains(r#"kind: "said_by""#),
        "{ron}"
    );
    sb.run(&["check", "in"]).assert_code(0);
    sb.run(&[
        "export", "-f", "jsonl", "in", "--map", "map.txt", "-o", "a.jsonl",
    ])
    .assert_code(0);
    let out = sb.read_string("a.jsonl");
    assert!(
        out.contains(r#""label":"Speaker""#) && out.contains(r#""kind":"Attribution""#),
        "{out}"
    );
    sb.run(&[
        "export", "-f", "brat", "in", "--map", "map.txt", "-o", "out",
    ])
    .assert_code(0);
    assert_eq!(sb.read("out/a.ann"), sb.read("a.ann"));
    sb.write("bad.txt", "Speaker source\n");
    sb.run(&["import", "-f", "brat", "a.ann", "--map", "bad.txt"])
        .assert_code(2)
        .assert_stderr_has(&["tandai: ", "bad.txt:1:"]);
}

// ------------------------------------------------------------- rules

#[test]
fn nothing_is_overwritten_without_force() {
    let sb = Sandbox::new();
    let ron = torture(sb.path());
    let ron = ron.to_str().unwrap();
    sb.run(&["export", "-f", "jsonl", ron, "-o", "t.jsonl"])
        .assert_code(0);
    let exported = sb.read("t.jsonl");
    // An export over a file that is not ours.
    sb.write("t.jsonl", "mine\n");
    let snap = sb.snapshot();
    sb.run(&["export", "-f", "jsonl", ron, "-o", "t.jsonl"])
        .assert_code(2)
        .assert_stderr_has(&["t.jsonl exists", "--force"]);
    snap.assert_same(&sb.snapshot(), "export over an existing file");
    sb.run(&["export", "-f", "jsonl", ron, "-o", "t.jsonl", "--force"])
        .assert_code(0);
    assert_eq!(sb.read("t.jsonl"), exported);
    // An import over an annotation file that is not ours.
    sb.write("back/torture.tandai.ron", "mine\n");
    let snap = sb.snapshot();
    let run = sb.run(&["import", "-f", "jsonl", "t.jsonl", "-o", "back"]);
    run.assert_code(2);
    run.assert_stderr_has(&["torture.tandai.ron exists", "--force"]);
    snap.assert_same(&sb.snapshot(), "import over an existing file");
    sb.run(&["import", "-f", "jsonl", "t.jsonl", "-o", "back", "--force"])
        .assert_code(0);
    assert_eq!(
        sb.read("back/torture.tandai.ron"),
        sb.read("torture.tandai.ron")
    );
    // The same bytes again: nothing to overwrite, a clean run.
    let snap = sb.snapshot();
    sb.run(&["import", "-f", "jsonl", "t.jsonl", "-o", "back"])
        .assert_code(0);
    snap.assert_same(&sb.snapshot(), "import of what is there already");
}

#[test]
fn exit_codes_and_one_line_errors() {
    let sb = Sandbox::new();
    let ron = torture(sb.path());
    let ron = ron.to_str().unwrap();
    let two = |args: &[&str], needle: &str| {
        let run = sb.run(args);
        run.assert_code(2).assert_stderr_has(&["tandai: ", needle]);
        assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
    };
    two(&["import", "-f", "conll", ron], "export-only");
    two(&["import", "-f", "brat", "missing"], "missing");
    two(
        &["export", "-f", "jsonl", ron, "--json"],
        "--json needs --out",
    );
    sb.write("empty/readme.md", "nothing here");
    two(&["import", "-f", "doccano", "empty"], "no doccano input");
    // Clean: a lossless format with nothing to say.
    sb.run(&["export", "-f", "jsonl", ron, "-o", "a.jsonl"])
        .assert_code(0);
    // Warnings: CoNLL cannot hold the overlaps.
    let run = sb.run(&["export", "-f", "conll", ron, "-o", "a.conll", "--json"]);
    run.assert_code(1);
    let j = run.json();
    assert_eq!(j["counts"]["overlaps_dropped"], 3, "{j:#}");
    assert_eq!(j["written"].as_array().unwrap().len(), 1);
}
