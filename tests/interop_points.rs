#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
//! Interop as the other tools really write it (issue 14): files shaped
//! exactly as brat, Label Studio and doccano write them (brat's CRLF
//! convention with its quotes, a `completions` export, float offsets,
//! UTF-16 offsets from a JavaScript tool), empty and pretty-printed
//! inputs, what each export could not carry, and tandai's own exports
//! imported back with no flags.

mod common;

use common::{Sandbox, char_slice, files_with, links_of, spans_of};

#[test]
fn label_studio_completions_are_read_like_annotations() {
    // An older export: people's work under `completions`, as the frontend's
    // examples still write it.
    let sb = Sandbox::new();
    let text = "Menteri Luar Negeri membantah laporan itu pada Senin.";
    let ls = serde_json::json!([{
        "id": 4,
        "data": {"text": text},
        "completions": [{"completed_by": {"email": "ayu@example.org"}, "result": [
            {"id": "s1", "type": "labels", "from_name": "label", "to_name": "text",
             "value": {"start": 0, "end": 19, "text": "Menteri Luar Negeri", "labels": ["source"]}},
            {"id": "d1", "type": "labels", "from_name": "label", "to_name": "text",
             "value": {"start": 20, "end": 41, "text": "membantah laporan itu", "labels": ["denial"]}},
            {"from_id": "d1", "to_id": "s1", "type": "relation", "direction": "right", "labels": ["said_by"]}
        ]}]
    }]);
    sb.write("old.json", serde_json::to_string_pretty(&ls).unwrap());
    let run = sb.run(&["import", "-f", "label-studio", "old.json"]);
    run.assert_code(0);
    let spans = spans_of(&sb.join("old-4.tandai.ron"));
    let quotes: Vec<&str> = spans.iter().map(|s| s.4.as_str()).collect();
    assert_eq!(quotes, ["Menteri Luar Negeri", "membantah laporan itu"]);
    assert_eq!(
        links_of(&sb.join("old-4.tandai.ron")),
        [("said_by".to_owned(), 2, 1)]
    );
    let ron = sb.read_string("old-4.tandai.ron");
    assert!(
        ron.contains(r#"Human(annotator: "ayu@example.org")"#),
        "{ron}"
    );
}

#[test]
fn label_studio_integral_float_offsets_are_read_and_fractional_ones_refused_with_the_line() {
    let sb = Sandbox::new();
    let text = "Juru bicara itu mengatakan kapal berlayar Selasa.";
    let ls = serde_json::json!([{
        "id": 9,
        "data": {"text": text},
        "annotations": [{"completed_by": 1, "result": [
            {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
             "value": {"start": 0.0, "end": 15.0, "text": "Juru bicara itu", "labels": ["source"]}},
            {"id": "b", "type": "labels", "from_name": "label", "to_name": "text",
             "value": {"start": 27.0, "end": 48.0, "text": "kapal berlayar Selasa", "labels": ["claim"]}},
            {"from_id": "b", "to_id": "a", "type": "relation", "direction": "right", "labels": ["said_by"]},
            {"id": "c", "type": "labels", "from_name": "label", "to_name": "text",
             "value": {"start": 5.5, "end": 11, "text": "bicara", "labels": ["claim"]}}
        ]}]
    }]);
    sb.write("floats.json", serde_json::to_string_pretty(&ls).unwrap());
    let run = sb.run(&["import", "-f", "label-studio", "floats.json", "--json"]);
    run.assert_code(1);
    let j = run.json();
    let problems = j["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{j:#}");
    assert!(
        problems[0]["message"].as_str().unwrap().contains("5.5"),
        "{j:#}"
    );
    assert!(
        problems[0]["line"].as_u64().unwrap() > 1,
        "the line is named"
    );
    let spans = spans_of(&sb.join("floats-9.tandai.ron"));
    let got: Vec<(usize, usize, &str)> = spans.iter().map(|s| (s.2, s.3, s.4.as_str())).collect();
    assert_eq!(
        got,
        [
            (0, 15, "Juru bicara itu"),
            (27, 48, "kapal berlayar Selasa")
        ]
    );
    assert_eq!(
        links_of(&sb.join("floats-9.tandai.ron")),
        [("said_by".to_owned(), 2, 1)],
        "the relation between float-offset regions is kept"
    );
}

#[test]
fn brat_on_a_crlf_article_counts_each_crlf_once_and_older_files_are_recognised() {
    // A BOM, CRLF line breaks, an emoji and CJK before the spans.
    let article = "\u{feff}SEOUL 👍🏽\r\n北京 membantah laporan itu.\r\nJuru bicara itu mengatakan kapal sudah berlayar.\r\n";
    let brat_text = article.replace("\r\n", "\n");
    let at = |text: &str, q: &str| {
        let b = text.find(q).unwrap();
        let s = text[..b].chars().count();
        (s, s + q.chars().count())
    };
    let lines = |text: &str| {
        let (a, b) = at(text, "北京");
        let (c, d) = at(text, "membantah laporan itu");
        let (e, f) = at(text, "Juru bicara itu");
        let (g, h) = at(text, "kapal sudah berlayar");
        format!(
            "T1\tsource {a} {b}\t北京\nT2\tdenial {c} {d}\tmembantah laporan itu\n\
             T3\tsource {e} {f}\tJuru bicara itu\nT4\tclaim {g} {h}\tkapal sudah berlayar\n\
             R1\tsaid_by Arg1:T4 Arg2:T3\t\n"
        )
    };
    let sb = Sandbox::new();
    // As brat writes it (offsets over the text read with universal
    // newlines), and as older tandai wrote it (every \r counted).
    for (dir, ann, counted) in [
        ("brat", lines(&brat_text), "crlf_counted_once"),
        ("old", lines(article), "crlf_counted_twice"),
    ] {
        sb.write(&format!("{dir}/wire.txt"), article);
        sb.write(&format!("{dir}/wire.ann"), &ann);
        let run = sb.run(&["import", "-f", "brat", dir, "--json"]);
        run.assert_code(0);
        assert_eq!(run.json()["counts"][counted], 1, "{dir}: {:#}", run.json());
        let spans = spans_of(&sb.join(&format!("{dir}/wire.tandai.ron")));
        for (_, _, s, e, quote) in &spans {
            assert_eq!(&char_slice(article, *s..*e), quote, "{dir}: placed exactly");
        }
        assert_eq!(spans.len(), 4);
        // The article's bytes are untouched.
        assert_eq!(sb.read_string(&format!("{dir}/wire.txt")), article);
        // Export writes brat's convention; the brat-written file comes back
        // byte-identical.
        let out = format!("{dir}-out");
        sb.run(&["export", "-f", "brat", dir, "-o", &out])
            .assert_code(0);
        let exported = sb.read_string(&format!("{out}/wire.ann"));
        assert_eq!(exported, lines(&brat_text), "{dir}");
    }
}

#[test]
fn inputs_with_nothing_in_them_say_so_and_write_nothing() {
    let sb = Sandbox::new();
    // Empty files, an empty task list, a collection whose items are not
    // there: each is reported, exit 2, like a file that does not parse.
    sb.write("empty.jsonl", "");
    sb.write("tasks.json", "[]");
    sb.write(
        "coll.jsonld",
        r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection", "total": 34}"#,
    );
    for (format, file) in [
        ("doccano", "empty.jsonl"),
        ("jsonl", "empty.jsonl"),
        ("label-studio", "tasks.json"),
        ("w3c", "coll.jsonld"),
    ] {
        let run = sb.run(&["import", "-f", format, file]);
        run.assert_code(2)
            .assert_stderr_has(&[&format!("{file}: holds no {format} documents")]);
    }
    // A pretty-printed JSON file given as JSON Lines: said once.
    sb.write(
        "pretty.jsonl",
        "[\n  {\n    \"text\": \"Menteri itu membantah.\",\n    \"label\": []\n  }\n]\n",
    );
    for format in ["doccano", "jsonl"] {
        let run = sb.run(&["import", "-f", format, "pretty.jsonl"]);
        run.assert_code(2)
            .assert_stderr_has(&["pretty.jsonl:1: the file is one JSON document"]);
        let problems = run.stderr.lines().filter(|l| l.starts_with("tandai:"));
        assert_eq!(problems.count(), 1, "{run:#?}");
    }
    // A doccano line given to the brat importer: no empty annotation file.
    sb.write("kabar.txt", "Menteri itu membantah.\n");
    sb.write(
        "kabar.ann",
        "{\"text\": \"Menteri itu membantah.\", \"label\": [[0, 7, \"source\"]]}\n",
    );
    let run = sb.run(&["import", "-f", "brat", "kabar.ann"]);
    run.assert_code(2)
        .assert_stderr_has(&["kabar.ann: no valid brat line; no annotation file written"]);
    assert!(!sb.join("kabar.tandai.ron").exists());
}

#[test]
fn doccano_duplicate_spans_are_kept_once_with_a_warning_and_meta_is_named() {
    let sb = Sandbox::new();
    // The sequence-labelling shape: entries have no ids, so a repeat is a
    // duplicate. (Entities with ids of their own stay two records.)
    let line = serde_json::json!({
        "text": "Juru bicara menuding kapal itu membawa peluru.",
        "label": [[0, 11, "source"], [21, 45, "claim"], [21, 45, "claim"]],
        "meta": {"sumber": "arsip"}
    });
    sb.write("d.jsonl", format!("{line}\n"));
    let run = sb.run(&["import", "-f", "doccano", "d.jsonl", "--json"]);
    run.assert_code(1);
    let j = run.json();
    let problems = j["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{j:#}");
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("given twice"),
        "{j:#}"
    );
    assert_eq!(problems[0]["line"], 1);
    assert_eq!(j["counts"]["meta_not_carried"], 1, "{j:#}");
    let ron = files_with(sb.path(), "ron");
    let ann = ron
        .iter()
        .find(|p| p.to_string_lossy().ends_with(".tandai.ron"))
        .unwrap();
    assert_eq!(spans_of(ann).len(), 2, "the claim once");
}

/// A short wire story of our own, annotated by a person and a model.
const WIRE: &str = "JAKARTA — Kepala Bea Cukai mengatakan kapal itu membawa beras. Pemilik kapal membantah tuduhan itu.\n";

/// Writes `WIRE` as `rel` (a path under the sandbox) with its annotation
/// file: a person's source (annotator `rina`), an accepted machine claim,
/// a pending machine denial and their links.
fn wire(sb: &Sandbox, rel: &str) -> std::path::PathBuf {
    use tandai::model::{Annotations, DocumentRef, Link, LinkId, Origin, Span, SpanId, Status};
    let article = sb.write(rel, WIRE);
    let text = tandai::offsets::Text::new(WIRE.to_owned());
    let mut ann = Annotations::new(DocumentRef {
        path: article.file_name().unwrap().to_string_lossy().into_owned(),
        sha256: tandai::document::sha256_hex(WIRE.as_bytes()),
        chars: text.len_chars(),
    });
    let machine = |score| Origin::Machine {
        model: "attrib-v0".into(),
        score: Some(score),
    };
    let rina = Origin::Human {
        annotator: "rina".into(),
    };
    for (id, label, quote, origin, status) in [
        (1, "source", "Kepala Bea Cukai", rina.clone(), None),
        (
            2,
            "claim",
            "kapal itu membawa beras",
            machine(0.91),
            Some(Status::Accepted),
        ),
        (3, "source", "Pemilik kapal", rina, None),
        (
            4,
            "denial",
            "membantah tuduhan itu",
            machine(0.64),
            Some(Status::Pending),
        ),
    ] {
        let range = common::char_range(WIRE, quote);
        let mut s = Span::new_in(&text, SpanId(id), label, range, origin).unwrap();
        s.status = status;
        ann.insert_span(s).unwrap();
    }
    for (id, kind, from, to) in [
        (1, "said_by", 2, 1),
        (2, "said_by", 4, 3),
        (3, "denies", 4, 2),
    ] {
        let link = Link {
            id: LinkId(id),
            kind: kind.into(),
            from: SpanId(from),
            to: SpanId(to),
        };
        ann.insert_link(link).unwrap();
    }
    let ron = tandai::store::annotation_path_for(&article);
    tandai::store::save_over(&ron, &ann, &["claim", "source", "denial"]).unwrap();
    ron
}

#[test]
fn brat_carries_provenance_in_notes_and_conll_names_what_it_drops() {
    let sb = Sandbox::new();
    wire(&sb, "in/kapal.txt");
    let run = sb.run(&["export", "-f", "brat", "in", "-o", "brat", "--json"]);
    run.assert_code(0);
    let counts = &run.json()["counts"];
    assert!(
        counts.as_object().is_none_or(serde_json::Map::is_empty),
        "brat carries everything here: {counts:#}"
    );
    let ann = sb.read_string("brat/kapal.ann");
    for needle in [
        "TandaiProvenance T1\t{\"annotator\":\"rina\"}",
        "TandaiProvenance T2\t{\"model\":\"attrib-v0\",\"score\":0.91,\"status\":\"Accepted\"}",
        "TandaiProvenance T4\t{\"model\":\"attrib-v0\",\"score\":0.64,\"status\":\"Pending\"}",
    ] {
        assert!(ann.contains(needle), "{needle} in\n{ann}");
    }
    // And back: the same origins and statuses.
    sb.run(&["import", "-f", "brat", "brat", "-o", "back"])
        .assert_code(0);
    let ron = sb.read_string("back/kapal.tandai.ron");
    assert_eq!(
        ron.matches(r#"Human(annotator: "rina")"#).count(),
        2,
        "{ron}"
    );
    assert!(
        ron.contains(r#"Machine(model: "attrib-v0", score: 0.91), status: Accepted"#),
        "{ron}"
    );
    assert!(
        ron.contains(r#"Machine(model: "attrib-v0", score: 0.64), status: Pending"#),
        "{ron}"
    );
    assert_eq!(
        spans_of(&sb.join("back/kapal.tandai.ron")),
        spans_of(&sb.join("in/kapal.tandai.ron"))
    );
    // CoNLL holds tokens and tags only: what it drops is named, counted.
    let run = sb.run(&["export", "-f", "conll", "in", "-o", "k.conll", "--json"]);
    run.assert_code(0);
    let counts = &run.json()["counts"];
    assert_eq!(counts["origins_not_carried"], 2, "{counts:#}");
    assert_eq!(counts["annotators_not_carried"], 2, "{counts:#}");
    assert_eq!(counts["links_not_carried"], 3, "{counts:#}");
    let run = sb.run(&["export", "-f", "conll", "in", "-o", "k2.conll"]);
    // Every line for people goes to stderr; stdout stays empty with -o.
    run.assert_stderr_has(&[
        "note: 2 machine spans whose model, score and review status",
        "note: 2 annotator names",
        "note: 3 links",
        "exported 1 document",
    ]);
    assert_eq!(run.stdout, "", "{run:#?}");
}

#[test]
fn own_stream_exports_import_back_with_no_flags() {
    let sb = Sandbox::new();
    wire(&sb, "corpus/dunia/kapal.txt");
    wire(&sb, "corpus/kapal.txt");
    for (format, out) in [
        ("jsonl", "out/spans.jsonl"),
        ("doccano", "out/doccano.jsonl"),
        ("label-studio", "out/tasks.json"),
    ] {
        sb.run(&["export", "-f", format, "corpus", "-o", out])
            .assert_code(0);
        let exported = sb.read_string(out);
        // Named relative to the folder exported, not to the output file.
        assert!(
            exported.contains(r#""dunia/kapal.txt""#),
            "{format}: {exported}"
        );
        assert!(!exported.contains(".."), "{format}: {exported}");
        let back = format!("back-{format}");
        let run = sb.run(&["import", "-f", format, out, "-o", &back]);
        assert!(run.code <= 1, "{format}: {run:#?}");
        for rel in ["dunia/kapal", "kapal"] {
            let ron = sb.join(&format!("{back}/{rel}.tandai.ron"));
            let theirs = spans_of(&ron);
            let ours = spans_of(&sb.join(&format!("corpus/{rel}.tandai.ron")));
            let ranges = |v: &[(u64, String, usize, usize, String)]| {
                v.iter()
                    .map(|s| (s.1.clone(), s.2, s.3, s.4.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(ranges(&theirs), ranges(&ours), "{format} {rel}");
            assert_eq!(links_of(&ron).len(), 3, "{format} {rel}");
        }
    }
    // JSONL carries no text: the export put the articles beside it.
    assert_eq!(sb.read_string("out/dunia/kapal.txt"), WIRE);
    // Written into the folder exported, nothing needs copying.
    sb.run(&[
        "export",
        "-f",
        "jsonl",
        "corpus",
        "-o",
        "corpus/spans.jsonl",
    ])
    .assert_code(0);
    assert!(!sb.join("corpus/corpus").exists());
    assert!(
        sb.read_string("corpus/spans.jsonl")
            .contains(r#""doc":"dunia/kapal.txt""#)
    );
}

#[test]
fn brat_annotation_conf_keeps_the_source_types_and_names_each_once() {
    let sb = Sandbox::new();
    // A brat project's own conf: a hierarchy, capitalised names, comments.
    let conf = "# Our project's types\n[entities]\n!Statement\n\tClaim\n\tDenial\nSource\n\n[relations]\nSaid_by\tArg1:Claim|Denial, Arg2:Source\n\n[events]\n\n[attributes]\n";
    sb.write("brat/annotation.conf", conf);
    sb.write("brat/visual.conf", "[labels]\nClaim | Claim | Cl\n");
    let text = "Menteri itu membantah kabar bahwa harga beras naik.\n";
    sb.write("brat/beras.txt", text);
    sb.write(
        "brat/beras.ann",
        "T1\tSource 0 11\tMenteri itu\nT2\tDenial 12 21\tmembantah\n",
    );
    sb.run(&["import", "-f", "brat", "brat", "-o", "ron"])
        .assert_code(0);
    // The conf came along with the documents.
    assert_eq!(sb.read_string("ron/annotation.conf"), conf);
    assert!(sb.join("ron/visual.conf").exists());
    // A span and a link added in tandai, under tandai's names.
    let ron = sb.read_string("ron/beras.tandai.ron");
    let claim = common::char_range(text, "harga beras naik");
    let ron = ron.replace(
        "    ],\n    links:",
        &format!(
            "        (id: 3, label: \"claim\", start: {}, end: {}, text: \"harga beras naik\"),\n    ],\n    links:",
            claim.start, claim.end
        ),
    );
    sb.write("ron/beras.tandai.ron", ron);
    sb.run(&["export", "-f", "brat", "ron", "-o", "out"])
        .assert_code(0);
    let ann = sb.read_string("out/beras.ann");
    assert!(
        ann.contains(&format!(
            "T3\tClaim {} {}\tharga beras naik",
            claim.start, claim.end
        )),
        "the new span is spelt as the project spells it:\n{ann}"
    );
    // The project's conf as it was: no built-in labels, no case variants.
    assert_eq!(sb.read_string("out/annotation.conf"), conf);

    // Without a conf to follow: each name once, in the documents' spelling.
    std::fs::remove_file(sb.join("ron/annotation.conf")).unwrap();
    sb.run(&["export", "-f", "brat", "ron", "-o", "out2"])
        .assert_code(0);
    let made = sb.read_string("out2/annotation.conf");
    let entities: Vec<&str> = made
        .split("[entities]")
        .nth(1)
        .unwrap()
        .split("[relations]")
        .next()
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(entities, ["Denial", "Source", "claim"], "{made}");
}

#[test]
fn doccano_utf16_offsets_are_caught_with_the_line_and_read_with_a_flag() {
    let sb = Sandbox::new();
    // As doccano 1.8's web interface writes it (project setting "Count
    // grapheme clusters as one character" off): offsets are the browser's
    // UTF-16 code units, so each emoji before a span counts two.
    let text = "MEDAN 👍🏽 — Polisi membantah kabar bahwa 🇮🇩 kapal itu karam, kata juru bicara.";
    let u16 = |q: &str| common::utf16_range(text, q);
    let spans = [
        ("denial", "membantah kabar"),
        ("claim", "kapal itu karam"),
        ("source", "juru bicara"),
        ("source", "Polisi"),
    ];
    let label: Vec<serde_json::Value> = spans
        .iter()
        .map(|(l, q)| serde_json::json!([u16(q).start, u16(q).end, l]))
        .collect();
    let line = serde_json::json!({"id": 7, "text": text, "label": label, "Comments": []});
    sb.write("admin.jsonl", format!("{line}\n"));

    // Read as code points: said, with the line, and how to read it.
    let run = sb.run(&[
        "import",
        "-f",
        "doccano",
        "admin.jsonl",
        "-o",
        "cp",
        "--json",
    ]);
    run.assert_code(1);
    let j = run.json();
    let utf16: Vec<&serde_json::Value> = j["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "utf16_offsets")
        .collect();
    assert_eq!(utf16.len(), 1, "once for the line: {j:#}");
    assert_eq!(utf16[0]["line"], 1);
    assert!(
        utf16[0]["message"]
            .as_str()
            .unwrap()
            .contains("--offsets utf16"),
        "{j:#}"
    );

    // Read as UTF-16: every span on its words.
    let run = sb.run(&[
        "import",
        "-f",
        "doccano",
        "admin.jsonl",
        "-o",
        "u16",
        "--offsets",
        "utf16",
        "--json",
    ]);
    run.assert_code(0);
    assert_eq!(run.json()["counts"]["utf16_units"], 4, "{:#}", run.json());
    let ron = files_with(&sb.join("u16"), "ron")
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with(".tandai.ron"))
        .unwrap();
    let mut got: Vec<String> = spans_of(&ron).into_iter().map(|s| s.4).collect();
    got.sort();
    let mut want: Vec<&str> = spans.iter().map(|s| s.1).collect();
    want.sort_unstable();
    assert_eq!(got, want);
    for (_, _, s, e, quote) in spans_of(&ron) {
        assert_eq!(char_slice(text, s..e), quote);
    }

    // And out again as doccano's web interface counts: the same offsets.
    let run = sb.run(&[
        "export",
        "-f",
        "doccano",
        "u16",
        "--doccano-shape",
        "labels",
        "--offsets",
        "utf16",
    ]);
    run.assert_code(0);
    let back: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    let mut offsets: Vec<(u64, u64)> = back["label"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l[0].as_u64().unwrap(), l[1].as_u64().unwrap()))
        .collect();
    offsets.sort_unstable();
    let mut want: Vec<(u64, u64)> = spans
        .iter()
        .map(|(_, q)| (u16(q).start as u64, u16(q).end as u64))
        .collect();
    want.sort_unstable();
    assert_eq!(offsets, want);
    // Code points (the default) say where doccano would count otherwise,
    // and read back with no word of UTF-16: no false alarm.
    let run = sb.run(&["export", "-f", "doccano", "u16", "-o", "cp.jsonl"]);
    run.assert_code(0)
        .assert_stderr_has(&["note: 4 spans after emoji"]);
    sb.run(&["import", "-f", "doccano", "cp.jsonl", "-o", "again"])
        .assert_code(0);

    // The flag is doccano's alone.
    sb.run(&["import", "-f", "brat", "x.ann", "--offsets", "utf16"])
        .assert_code(2)
        .assert_stderr_has(&["--offsets utf16 is for doccano"]);
}
