#![allow(clippy::unwrap_used, clippy::expect_used)]

//! What an attack from outside found (issue 13), each case run against the
//! real binary: names of any length, FIFOs where files are expected,
//! escape sequences in every field, messages about an article that say
//! which annotation file named it, and imports whose output must load.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Run, Sandbox, annotation, ron_str, span, spawn_in};

const ARTICLE: &str = "Gedung Putih menuding Korea Utara. Pejabat Iran membantah.\n";

/// Runs the binary in `dir`, failing the test if it has not finished long
/// after any run should have (a FIFO opened for reading waits for ever): a
/// guard against a hang, not a measurement.
fn run_guarded(dir: &Path, args: &[&str]) -> Run {
    let mut child = spawn_in(dir, args);
    let deadline = Instant::now() + Duration::from_mins(1);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("tandai {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Run::from_output(child.wait_with_output().unwrap())
}

/// A machine span in RON with the given label and model.
fn machine_span(id: u64, label: &str, start: usize, end: usize, model: &str) -> String {
    format!(
        "(id: {id}, label: {}, start: {start}, end: {end}, text: {}, origin: Machine(model: {}, score: 0.5), status: Pending)",
        ron_str(label),
        ron_str(
            &ARTICLE
                .chars()
                .skip(start)
                .take(end - start)
                .collect::<String>()
        ),
        ron_str(model)
    )
}

// ------------------------------------------------------------ item 2

#[test]
fn stats_review_prints_names_of_any_length_in_a_short_table() {
    let sb = Sandbox::new();
    sb.write("a.txt", ARTICLE);
    let long_label = "L".repeat(65_536);
    let long_model = "m".repeat(70_000);
    sb.write(
        "a.tandai.ron",
        annotation(
            "a.txt",
            &[
                machine_span(1, &long_label, 0, 12, &long_model),
                machine_span(2, "claim", 13, 21, &long_model),
            ],
            &[],
        ),
    );
    for args in [
        &["stats", "--review", "a.tandai.ron"][..],
        &["stats", "a.tandai.ron"],
        &["check", "a.tandai.ron"],
    ] {
        let run = sb.run(args);
        assert!(run.code <= 1, "{args:?}: {}", run.stderr);
        assert!(run.stdout.len() < 4_000, "{args:?}: {}", run.stdout.len());
        assert!(run.stdout.contains("characters left out"), "{args:?}");
    }
    // JSON keeps the names whole: it is for programs.
    let run = sb.run(&["stats", "--review", "--json", "a.tandai.ron"]);
    run.assert_code(0);
    assert_eq!(run.json()["models"][0]["model"], long_model.as_str());
}

#[test]
fn tags_with_a_model_name_too_long_are_refused_with_their_line() {
    let sb = Sandbox::new();
    sb.write("a.txt", ARTICLE);
    let long = "m".repeat(65_536);
    sb.write(
        "t.jsonl",
        format!(
            "{{\"start\": 0, \"end\": 12, \"label\": \"source\", \"model\": \"{long}\"}}\n{{\"start\": 13, \"end\": 21, \"label\": \"claim\", \"model\": \"ok-v1\"}}\n"
        ),
    );
    let run = sb.run(&[
        "import", "--format", "tags", "t.jsonl", "--into", "a.txt", "--json",
    ]);
    run.assert_code(1);
    let j = run.json();
    assert_eq!(j["added"], 1, "{j:#}");
    assert_eq!(j["problems"][0]["line"], 1);
    assert_eq!(j["problems"][0]["kind"], "name_too_long");
    sb.run(&["stats", "--review", "a.tandai.ron"])
        .assert_code(0);
}

// ------------------------------------------------------------ item 5

/// One input per importer, each bringing a new label, a label of a
/// mebibyte and (where the format has machine spans) a model name of
/// 65,536 characters.
fn importer_inputs(sb: &Sandbox) -> Vec<(&'static str, &'static str)> {
    let huge = "H".repeat(1 << 20);
    let model = "m".repeat(65_536);
    sb.write("brat/a.txt", ARTICLE);
    sb.write(
        "brat/a.ann",
        format!("T1\tcue 0 12\tGedung Putih\nT2\t{huge} 13 21\tmenuding\n"),
    );
    sb.write(
        "doccano/batch.jsonl",
        format!(
            "{{\"id\": 1, \"text\": {}, \"label\": [[0, 12, \"cue\"], [13, 21, \"{huge}\"]]}}\n",
            serde_json::to_string(ARTICLE).unwrap()
        ),
    );
    sb.write("jsonl/a.txt", ARTICLE);
    sb.write(
        "jsonl/spans.jsonl",
        format!(
            "{{\"start\": 0, \"end\": 12, \"label\": \"cue\", \"doc\": \"a.txt\"}}\n{{\"start\": 13, \"end\": 21, \"label\": \"{huge}\", \"doc\": \"a.txt\"}}\n{{\"start\": 22, \"end\": 27, \"label\": \"claim\", \"model\": \"{model}\", \"score\": 0.5, \"doc\": \"a.txt\"}}\n"
        ),
    );
    let ls = serde_json::json!([{
        "id": 1,
        "data": {"text": ARTICLE},
        "annotations": [{"completed_by": 3, "result": [
            {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
             "value": {"start": 0, "end": 12, "text": "Gedung Putih", "labels": ["cue"]}},
            {"id": "b", "type": "labels", "from_name": "label", "to_name": "text",
             "value": {"start": 13, "end": 21, "text": "menuding", "labels": [huge]}},
            {"from_id": "b", "to_id": "a", "type": "relation", "direction": "right", "labels": ["said_by"]}
        ]}],
        "predictions": [{"model_version": model, "score": 0.7, "result": [
            {"id": "p", "type": "labels", "score": 0.9,
             "value": {"start": 22, "end": 27, "text": "Korea", "labels": ["claim"]}}
        ]}]
    }]);
    sb.write("ls/tasks.json", ls.to_string());
    sb.write("w3c/a.txt", ARTICLE);
    let anno = serde_json::json!({
        "type": "AnnotationPage",
        "items": [
            {"id": "urn:1", "type": "Annotation", "body": "cue",
             "target": {"source": "a.txt", "selector": {"type": "TextQuoteSelector", "exact": "Gedung Putih"}}},
            {"id": "urn:2", "type": "Annotation", "body": huge,
             "target": {"source": "a.txt", "selector": {"type": "TextQuoteSelector", "exact": "menuding"}}}
        ]
    });
    sb.write("w3c/a.jsonld", anno.to_string());
    vec![
        ("brat", "brat"),
        ("doccano", "doccano"),
        ("jsonl", "jsonl"),
        ("label-studio", "ls"),
        ("w3c", "w3c"),
    ]
}

#[test]
fn what_every_importer_writes_loads_and_checks() {
    let sb = Sandbox::new();
    for (format, dir) in importer_inputs(&sb) {
        let out = format!("out-{dir}");
        let run = sb.run(&["import", "-f", format, dir, "-o", &out]);
        run.assert_code(1);
        assert!(
            run.stderr.contains("1048576 characters long"),
            "{format}: {}",
            run.stderr
        );
        assert!(run.stderr.len() < 8_000, "{format}: {}", run.stderr.len());
        let schema = std::fs::read_to_string(sb.join(&out).join("tandai.schema.ron")).unwrap();
        assert!(schema.contains("\"cue\""), "{format}: {schema}");
        assert!(schema.len() < 4_000, "{format}");
        let check = sb.run(&["check", &out]);
        check.assert_code(0);
        sb.run(&["stats", "--review", &out]).assert_code(0);
    }
}

#[test]
fn an_import_whose_labels_would_overflow_the_schema_writes_none() {
    let sb = Sandbox::new();
    sb.write("a.txt", ARTICLE);
    // 6,000 labels of 190 characters: over a mebibyte of schema.
    let mut lines = String::new();
    for i in 0..6_000 {
        let label = format!("{i:0>190}");
        let _ = writeln!(
            lines,
            "{{\"start\": 0, \"end\": 12, \"label\": \"{label}\", \"doc\": \"a.txt\"}}"
        );
    }
    sb.write("spans.jsonl", lines);
    let run = sb.run(&["import", "-f", "jsonl", "spans.jsonl", "-o", "out"]);
    run.assert_code(1);
    assert!(run.stderr.contains("schema"), "{}", run.stderr);
    assert!(!sb.join("out/tandai.schema.ron").exists());
    // What was written loads: unknown labels are findings, not failures.
    sb.run(&["check", "out"]).assert_code(1);
}

// ------------------------------------------------------------ item 3

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(ok.success());
}

#[cfg(unix)]
#[test]
fn fifos_are_refused_wherever_a_file_is_read_without_waiting() {
    let sb = Sandbox::new();
    // An annotation file whose article is a FIFO.
    mkfifo(&sb.join("pipe.txt"));
    sb.write(
        "a.tandai.ron",
        annotation("pipe.txt", &[span(1, "claim", 0..4, "abcd")], &[]),
    );
    // An annotation file that is a FIFO, and a good file beside it.
    mkfifo(&sb.join("b.tandai.ron"));
    sb.write("c.txt", ARTICLE);
    sb.write("c.tandai.ron", annotation("c.txt", &[], &[]));
    sb.write(
        "t.jsonl",
        "{\"start\": 0, \"end\": 12, \"label\": \"source\"}\n",
    );
    mkfifo(&sb.join("tags.jsonl"));
    mkfifo(&sb.join("schema.ron"));
    mkfifo(&sb.join("batch.jsonl"));
    let cases: &[&[&str]] = &[
        &["check", "a.tandai.ron"],
        &["check", "b.tandai.ron"],
        &["stats", "b.tandai.ron"],
        &["stats", "--review", "b.tandai.ron"],
        &[
            "review",
            "b.tandai.ron",
            "--accept-above",
            "0.5",
            "--annotator",
            "x",
        ],
        &[
            "review",
            "a.tandai.ron",
            "--accept-above",
            "0.5",
            "--annotator",
            "x",
        ],
        &[
            "import", "--format", "tags", "t.jsonl", "--into", "pipe.txt",
        ],
        &[
            "import",
            "--format",
            "tags",
            "t.jsonl",
            "--into",
            "b.tandai.ron",
        ],
        &[
            "import",
            "--format",
            "tags",
            "t.jsonl",
            "--into",
            "a.tandai.ron",
        ],
        &[
            "import",
            "--format",
            "tags",
            "tags.jsonl",
            "--into",
            "c.txt",
        ],
        &["check", "c.tandai.ron", "--schema", "schema.ron"],
        &["import", "-f", "doccano", "batch.jsonl", "-o", "out"],
        &["export", "-f", "jsonl", "a.tandai.ron", "-o", "x.jsonl"],
    ];
    for args in cases {
        let run = run_guarded(sb.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {run:#?}");
        assert!(
            run.stderr.contains("not a regular file"),
            "{args:?}: {}",
            run.stderr
        );
    }
    // A folder walk skips them; the good file is checked.
    let run = run_guarded(sb.path(), &["stats", "."]);
    assert!(run.stdout.contains("c.tandai.ron"), "{run:#?}");
}

// ------------------------------------------------------------ item 6

/// Characters that must never reach a terminal raw.
fn has_raw_controls(s: &str) -> bool {
    s.chars().any(|c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

#[test]
fn escape_sequences_in_every_field_are_printed_escaped() {
    let sb = Sandbox::new();
    sb.write("a.txt", ARTICLE);
    let evil = "x\u{1b}]0;owned\u{7}\u{1b}[2J\u{202e}gnp.exe\r\u{9b}";
    let mut s1 = machine_span(1, &format!("claim{evil}"), 0, 12, &format!("m{evil}"));
    s1.pop();
    let _ = write!(
        s1,
        ", note: {}, attributes: {{{}: {}}})",
        ron_str(evil),
        ron_str(evil),
        ron_str(evil)
    );
    let s2 = format!(
        "(id: 2, label: \"claim\", start: 13, end: 21, text: {}, origin: Human(annotator: {}))",
        ron_str(&format!("menu{evil}")),
        ron_str(evil)
    );
    sb.write("a.tandai.ron", annotation("a.txt", &[s1, s2], &[]));
    sb.write(
        "tags.jsonl",
        format!(
            "{{\"start\": 0, \"end\": 12, \"label\": {}, \"id\": {}}}\n{{\"start\": 1, \"end\": 3, \"label\": \"claim\", \"text\": {}}}\n{}\n",
            serde_json::to_string(evil).unwrap(),
            serde_json::to_string(evil).unwrap(),
            serde_json::to_string(evil).unwrap(),
            evil
        ),
    );
    sb.write(
        "bad.tandai.ron",
        annotation(&format!("a{evil}.txt"), &[], &[]),
    );
    let cases: &[&[&str]] = &[
        &["check", "a.tandai.ron"],
        &["check", "--fix", "a.tandai.ron"],
        &["check", "bad.tandai.ron"],
        &["stats", "a.tandai.ron", "bad.tandai.ron"],
        &["stats", "--review", "a.tandai.ron"],
        &[
            "review",
            "a.tandai.ron",
            "--reject-below",
            "0.9",
            "--annotator",
            evil,
        ],
        &[
            "import",
            "--format",
            "tags",
            "tags.jsonl",
            "--into",
            "a.tandai.ron",
        ],
        &["export", "-f", "brat", "a.tandai.ron", "-o", "out"],
    ];
    for args in cases {
        let run = sb.run(args);
        assert!(
            !has_raw_controls(&run.stdout) && !has_raw_controls(&run.stderr),
            "{args:?}: {run:#?}"
        );
    }
}

// ------------------------------------------------------------ item 7

#[test]
fn errors_about_the_article_name_the_annotation_file_on_one_line() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.join("folder.txt")).unwrap();
    sb.write("latin1.txt", b"Caf\xe9 au lait\n");
    let cases = [
        ("newline", "a\nb.txt"),
        ("nul", "a\u{0}b.txt"),
        ("missing", "gone.txt"),
        ("folder", "folder.txt"),
        ("latin1", "latin1.txt"),
    ];
    for (name, doc) in cases {
        let file = format!("{name}.tandai.ron");
        sb.write(&file, annotation(doc, &[], &[]));
        for args in [
            &["check", file.as_str()][..],
            &[
                "review",
                file.as_str(),
                "--accept-above",
                "0.5",
                "--annotator",
                "x",
            ],
        ] {
            let run = sb.run(args);
            run.assert_code(2);
            assert_eq!(run.stderr.lines().count(), 1, "{name}: {}", run.stderr);
            assert!(run.stderr.contains(&file), "{name}: {}", run.stderr);
        }
    }
}
