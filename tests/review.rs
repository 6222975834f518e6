#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

//! Reviewing machine tags from the command line: `import --format tags`,
//! `review --accept-above/--reject-below`, `stats --review` and the
//! document states of `stats --json`.

mod common;

use std::ops::Range;

use common::{Sandbox, annotation, char_range, link, parse_file, span};
use tandai::model::{Origin, Status};

const ARTICLE: &str = "LONDON (Wire) — The energy regulator said on Monday that household bills \
would fall by 7 percent in April, according to a statement from its chief executive, Clara Hughes. \
Two suppliers denied that they had been overcharging customers.\n";

fn r(needle: &str) -> Range<usize> {
    char_range(ARTICLE, needle)
}

/// A JSON tag line for `needle`.
fn tag(needle: &str, label: &str, extra: &str) -> String {
    let x = r(needle);
    format!(
        r#"{{"start": {}, "end": {}, "label": "{label}"{extra}}}"#,
        x.start, x.end
    )
}

/// The article with a hand-made annotation file: one human source and a
/// human claim linked to it.
fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.write("energi.txt", ARTICLE);
    sb.write(
        "energi.tandai.ron",
        annotation(
            "energi.txt",
            &[
                span(
                    1,
                    "source",
                    r("The energy regulator"),
                    "The energy regulator",
                ),
                span(
                    2,
                    "claim",
                    r("household bills would fall by 7 percent in April"),
                    "household bills would fall by 7 percent in April",
                ),
            ],
            &[link(1, "said_by", 2, 1)],
        ),
    );
    sb
}

/// Thirteen lines of tags for `energi.txt`: good ones, a duplicate, one
/// for another article, and one of each kind of bad line.
fn mixed_tags() -> Vec<u8> {
    let len = ARTICLE.chars().count();
    let long = format!(
        r#"{{"start": 0, "end": 6, "label": "claim", "pad": "{}"}}"#,
        "x".repeat(1 << 20)
    );
    let lines: Vec<String> = vec![
        // 1: good, links to line 3 and to the human span's duplicate (line 2).
        tag(
            "Clara Hughes",
            "source",
            r#", "score": 0.91, "model": "attrib-v0", "id": 10"#,
        ),
        // 2: the human source again: a duplicate, not an error.
        tag(
            "The energy regulator",
            "source",
            r#", "score": 0.88, "model": "attrib-v0", "id": 11"#,
        ),
        // 3: good, with links to 1 (fine) and 99 (no such tag).
        tag(
            "Two suppliers denied",
            "denial",
            r#", "score": 0.42, "model": "attrib-v0", "id": 12, "links": [{"kind": "said_by", "to": 10}, {"kind": "said_by", "to": 99}]"#,
        ),
        // 4: blank
        String::new(),
        // 5: not JSON
        r#"{"start": 3, "end": 9, "label": "claim""#.to_owned(),
        // 6: missing field
        r#"{"start": 3, "label": "claim"}"#.to_owned(),
        // 7: end beyond the article
        format!(r#"{{"start": 3, "end": {}, "label": "claim"}}"#, len + 5),
        // 8: start not before end
        r#"{"start": 9, "end": 9, "label": "claim"}"#.to_owned(),
        // 9: label not in the schema
        tag("Monday", "date", ""),
        // 10: for another article: counted, not an error
        tag("Monday", "claim", r#", "doc": "lain.txt""#),
        // 11: far too long
        long,
        // 12: for this article by name: good
        tag(
            "overcharging customers",
            "claim",
            r#", "doc": "energi.txt", "score": 0.3"#,
        ),
    ];
    let mut bytes = lines.join("\n").into_bytes();
    // 13: not UTF-8
    bytes.extend_from_slice(b"\n{\"start\": 1, \"end\": 2, \"label\": \"cl\xe9im\"}\n");
    bytes
}

#[test]
fn import_reports_each_bad_line_with_its_number_and_imports_the_good_ones() {
    let sb = sandbox();
    let bytes = mixed_tags();
    sb.write("tags.jsonl", &bytes);
    let before = parse_file(&sb.join("energi.tandai.ron"));

    let run = sb.run(&[
        "import",
        "--format",
        "tags",
        "tags.jsonl",
        "--into",
        "energi.tandai.ron",
    ]);
    run.assert_code(1).assert_stderr_has(&[
        "tags.jsonl:3: link said_by goes to tag 99",
        "tags.jsonl:5: not valid JSON",
        "tags.jsonl:6: missing field `end`",
        "tags.jsonl:7: end 241 is beyond the article (236 chars)",
        "tags.jsonl:8: start 9 is not before end 9",
        "tags.jsonl:9: label \"date\" is not in the schema",
        "tags.jsonl:11: line is 1048",
        "tags.jsonl:13: not UTF-8",
    ]);
    let problems = run.stderr.lines().filter(|l| l.starts_with("tandai:"));
    assert_eq!(problems.count(), 8, "{run:#?}");
    // The summary is for people: stderr too, stdout stays empty.
    assert_eq!(run.stdout, "");
    run.assert_stderr_has(&[
        "3 tags added, 1 already there; 1 links added",
        "7 bad lines",
        "1 lines for other documents",
    ]);

    let after = parse_file(&sb.join("energi.tandai.ron"));
    // The existing spans and link are untouched.
    for s in &before.spans {
        let now = after.spans.iter().find(|a| a.id == s.id).unwrap();
        assert_eq!(now.label, s.label);
        assert_eq!((now.start, now.end), (s.start, s.end));
        assert_eq!(now.origin, s.origin);
        assert_eq!(now.status, None);
    }
    assert_eq!(after.spans.len(), 5);
    assert_eq!(after.links.len(), 2);
    let hughes = after
        .spans
        .iter()
        .find(|s| s.text.as_deref() == Some("Clara Hughes"))
        .unwrap();
    assert_eq!(
        hughes.origin,
        Origin::Machine {
            model: "attrib-v0".into(),
            score: Some(0.91)
        }
    );
    assert_eq!(hughes.status, Some(Status::Pending));
    let denial = after.spans.iter().find(|s| s.label == "denial").unwrap();
    let new_link = after.links.iter().find(|l| l.id == 2).unwrap();
    assert_eq!((new_link.from, new_link.to), (denial.id, hughes.id));
    let unnamed = after
        .spans
        .iter()
        .find(|s| s.text.as_deref() == Some("overcharging customers"))
        .unwrap();
    assert_eq!(
        unnamed.origin,
        Origin::Machine {
            model: "unknown".into(),
            score: Some(0.3)
        }
    );

    // A second import adds nothing and leaves the file byte for byte.
    let snap = sb.snapshot();
    let again = sb.run(&[
        "import",
        "--format",
        "tags",
        "tags.jsonl",
        "--into",
        "energi.tandai.ron",
    ]);
    again
        .assert_code(1)
        .assert_stderr_has(&["0 tags added, 4 already there; 0 links added, 1 already there"]);
    snap.assert_same(&sb.snapshot(), "importing the same tags twice");

    // check is clean on the result.
    sb.run(&["check", "energi.tandai.ron"]).assert_code(0);
}

#[test]
fn clean_import_into_a_new_file_exits_0_and_is_idempotent() {
    let sb = Sandbox::new();
    sb.write("energi.txt", ARTICLE);
    let tags = [
        tag(
            "The energy regulator",
            "source",
            r#", "score": 0.97, "model": "attrib-v1", "id": "a""#,
        ),
        tag(
            "household bills would fall by 7 percent in April",
            "claim",
            r#", "score": 0.71, "model": "attrib-v1", "links": [{"kind": "said_by", "to": "a"}]"#,
        ),
    ]
    .join("\r\n");
    sb.write("model-out.jsonl", format!("\u{feff}{tags}\r\n\r\n"));
    let first = sb.run(&[
        "import",
        "--format",
        "tags",
        "model-out.jsonl",
        "--into",
        "energi.tandai.ron",
        "--json",
    ]);
    first.assert_code(0);
    let j = first.json();
    assert_eq!(j["added"], 2);
    assert_eq!(j["links_added"], 1);
    assert_eq!(j["written"], true);
    assert!(j["problems"].as_array().unwrap().is_empty());
    let bytes = sb.read("energi.tandai.ron");
    let second = sb.run(&[
        "import",
        "--format",
        "tags",
        "model-out.jsonl",
        "--into",
        "energi.txt",
    ]);
    second.assert_code(0);
    assert_eq!(sb.read("energi.tandai.ron"), bytes, "byte-identical");

    // Without --into, or into a file with no article beside it: exit 2.
    sb.run(&["import", "--format", "tags", "model-out.jsonl"])
        .assert_code(2)
        .assert_stderr_has(&["--into"]);
    sb.run(&[
        "import",
        "--format",
        "tags",
        "model-out.jsonl",
        "--into",
        "hilang.tandai.ron",
    ])
    .assert_code(2)
    .assert_stderr_has(&["hilang.txt"]);
    sb.run(&[
        "import",
        "--format",
        "tags",
        "tidak-ada.jsonl",
        "--into",
        "energi.tandai.ron",
    ])
    .assert_code(2);
    assert_eq!(sb.read("energi.tandai.ron"), bytes);
}

/// A machine span line for a hand-written file.
fn machine(id: u64, label: &str, x: Range<usize>, model: &str, score: &str, rest: &str) -> String {
    format!(
        r#"(id: {id}, label: "{label}", start: {}, end: {}, origin: Machine(model: "{model}", score: {score}){rest})"#,
        x.start, x.end
    )
}

#[test]
fn review_thresholds_decide_pending_spans_only() {
    let sb = Sandbox::new();
    sb.write("energi.txt", ARTICLE);
    let spans = [
        machine(
            1,
            "source",
            r("The energy regulator"),
            "m",
            "Some(0.95)",
            "",
        ),
        machine(2, "claim", r("household bills"), "m", "Some(0.5)", ""),
        machine(3, "claim", r("Monday"), "m", "Some(0.1)", ""),
        machine(4, "source", r("Clara Hughes"), "m", "None", ""),
        machine(
            5,
            "denial",
            r("Two suppliers denied"),
            "m",
            "Some(0.05)",
            ", status: Accepted, reviewer: \"ana\"",
        ),
        span(
            6,
            "claim",
            r("overcharging customers"),
            "overcharging customers",
        ),
    ];
    sb.write("energi.tandai.ron", annotation("energi.txt", &spans, &[]));
    let snap = sb.snapshot();

    // Overlapping thresholds, none at all, or no number: exit 2, nothing written.
    for args in [
        &["--accept-above", "0.3", "--reject-below", "0.6"][..],
        &[][..],
        &["--accept-above", "NaN"][..],
    ] {
        let mut a = vec!["review", "energi.tandai.ron", "--annotator", "rina"];
        a.extend_from_slice(args);
        let r = sb.run(&a);
        r.assert_code(2);
        assert_eq!(r.stderr.lines().count(), 1, "{r:#?}");
    }
    let triage = |last: &str| {
        sb.run(&[
            "review",
            "energi.tandai.ron",
            "--accept-above",
            "0.9",
            "--reject-below",
            "0.3",
            "--annotator",
            "rina",
            last,
        ])
    };
    let dry = triage("--dry-run");
    dry.assert_code(0);
    snap.assert_same(&sb.snapshot(), "--dry-run");

    let run = triage("--json");
    run.assert_code(0);
    let j = run.json();
    assert_eq!(
        nums(&j, &["accepted", "rejected", "between", "unscored"]),
        [1, 1, 1, 1]
    );
    let f = parse_file(&sb.join("energi.tandai.ron"));
    let by_id = |id: u64| f.spans.iter().find(|s| s.id == id).unwrap();
    assert_eq!(by_id(1).status, Some(Status::Accepted));
    assert_eq!(by_id(1).reviewer.as_deref(), Some("rina"));
    assert_eq!(by_id(2).status, Some(Status::Pending));
    assert_eq!(by_id(3).status, Some(Status::Rejected));
    assert_eq!(by_id(3).reviewer.as_deref(), Some("rina"));
    assert_eq!(
        by_id(4).status,
        Some(Status::Pending),
        "no score: untouched"
    );
    assert_eq!(by_id(5).status, Some(Status::Accepted), "decided already");
    assert_eq!(by_id(5).reviewer.as_deref(), Some("ana"));
    assert_eq!(by_id(6).status, None, "human span untouched");
    assert_eq!(f.spans.len(), 6, "a rejected span stays in the file");

    // The reviewer comes from TANDAI_ANNOTATOR without --annotator.
    let out = std::process::Command::new(common::BIN)
        .args(["review", "energi.tandai.ron", "--accept-above", "0.4"])
        .current_dir(sb.path())
        .env("TANDAI_ANNOTATOR", "budi")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let f = parse_file(&sb.join("energi.tandai.ron"));
    let s2 = f.spans.iter().find(|s| s.id == 2).unwrap();
    assert_eq!(
        (s2.status, s2.reviewer.as_deref()),
        (Some(Status::Accepted), Some("budi"))
    );
}

/// Two files holding, for model `attrib-v0`, 8 accepted, 1 label
/// correction and 1 boundary correction (precision 8/10), and for
/// `attrib-v1` 2 rejected and 1 pending (0/2); plus human spans, which do
/// not count.
fn scorecard_files(sb: &Sandbox) {
    sb.write("a/satu.txt", ARTICLE);
    sb.write("a/dua.txt", ARTICLE);
    let acc = ", status: Accepted, reviewer: \"rina\"";
    let words = [
        "LONDON",
        "energy",
        "regulator",
        "Monday",
        "household",
        "bills",
        "April",
        "statement",
        "chief",
        "executive",
        "Clara",
        "Hughes",
        "suppliers",
        "customers",
    ];
    let mut one = Vec::new();
    for (i, w) in words[..5].iter().enumerate() {
        one.push(machine(
            i as u64 + 1,
            "claim",
            r(w),
            "attrib-v0",
            "Some(0.8)",
            acc,
        ));
    }
    // Label correction: the model said claim, the reviewer made it a source.
    let x = r("Hughes");
    one.push(machine(
        6,
        "source",
        x.clone(),
        "attrib-v0",
        "Some(0.6)",
        &format!(
            ", status: Corrected, reviewer: \"rina\", proposed: (label: \"claim\", start: {}, end: {})",
            x.start, x.end
        ),
    ));
    one.push(machine(
        7,
        "denial",
        r("denied"),
        "attrib-v1",
        "Some(0.2)",
        ", status: Rejected",
    ));
    one.push(span(8, "source", r("Clara"), "Clara"));
    sb.write("a/satu.tandai.ron", annotation("satu.txt", &one, &[]));

    let mut two = Vec::new();
    for (i, w) in words[5..8].iter().enumerate() {
        two.push(machine(
            i as u64 + 1,
            "source",
            r(w),
            "attrib-v0",
            "Some(0.9)",
            acc,
        ));
    }
    // Boundary correction: the model's source was "Two suppliers denied".
    let model = r("Two suppliers denied");
    two.push(machine(
        4,
        "source",
        r("Two suppliers"),
        "attrib-v0",
        "Some(0.7)",
        &format!(
            ", status: Corrected, proposed: (label: \"source\", start: {}, end: {})",
            model.start, model.end
        ),
    ));
    two.push(machine(
        5,
        "claim",
        r("chief"),
        "attrib-v1",
        "None",
        ", status: Rejected",
    ));
    two.push(machine(
        6,
        "claim",
        r("executive"),
        "attrib-v1",
        "Some(0.5)",
        "",
    ));
    sb.write("a/dua.tandai.ron", annotation("dua.txt", &two, &[]));
}

fn nums(v: &serde_json::Value, keys: &[&str]) -> Vec<u64> {
    keys.iter()
        .map(|k| v[*k].as_u64().unwrap_or_else(|| panic!("{k} in {v}")))
        .collect()
}

fn close(v: &serde_json::Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"));
    assert!((got - want).abs() < 5e-5, "{got} != {want}");
}

#[test]
fn stats_review_matches_hand_computed_scorecard() {
    let sb = Sandbox::new();
    scorecard_files(&sb);
    let run = sb.run(&["stats", "--review", "--json", "a"]);
    run.assert_code(0);
    let j = run.json();
    assert_eq!(j["files"], 2);
    let models = j["models"].as_array().unwrap();
    assert_eq!(models.len(), 2);
    let v0 = &models[0];
    assert_eq!(v0["model"], "attrib-v0");
    assert_eq!(
        nums(
            v0,
            &[
                "accepted",
                "corrected_label",
                "corrected_boundary",
                "corrected_both",
                "rejected",
                "pending",
                "decided"
            ]
        ),
        [8, 1, 1, 0, 0, 0, 10]
    );
    // 8/10: Wilson (0.4902, 0.9433), worked by hand in src/review.rs.
    close(&v0["precision"], 0.8);
    close(&v0["wilson95"][0], 0.4902);
    close(&v0["wilson95"][1], 0.9433);
    let v1 = &models[1];
    assert_eq!(v1["model"], "attrib-v1");
    assert_eq!(nums(v1, &["rejected", "pending"]), [2, 1]);
    // 0/2: centre = half = (3.8416/4) / (1 + 3.8416/2) = 0.32882.
    close(&v1["precision"], 0.0);
    close(&v1["wilson95"][0], 0.0);
    close(&v1["wilson95"][1], 0.6576);
    // Per label the model gave: the label correction counts under claim.
    let labels = j["labels"].as_array().unwrap();
    let row = |m: &str, l: &str| {
        labels
            .iter()
            .find(|x| x["model"] == m && x["label"] == l)
            .unwrap_or_else(|| panic!("no row {m} {l}: {j}"))
            .clone()
    };
    let claim = row("attrib-v0", "claim");
    assert_eq!(nums(&claim, &["accepted", "corrected_label"]), [5, 1]);
    close(&claim["precision"], 5.0 / 6.0);
    close(&claim["wilson95"][0], 0.4365);
    close(&claim["wilson95"][1], 0.9699);
    let source = row("attrib-v0", "source");
    assert_eq!(nums(&source, &["accepted", "corrected_boundary"]), [3, 1]);
    close(&source["wilson95"][0], 0.3006);
    close(&source["wilson95"][1], 0.9544);
    assert_eq!(labels.len(), 4, "{labels:?}");
    // Total: 8 of 12 decided. p = 2/3, z²/n = 0.32013,
    // centre (0.66667 + 0.16007) / 1.32013 = 0.62626,
    // half 1.96·√(0.018519 + 0.0066694) / 1.32013 = 0.23563.
    let t = &j["total"];
    assert_eq!(nums(t, &["decided", "pending"]), [12, 1]);
    close(&t["precision"], 2.0 / 3.0);
    close(&t["wilson95"][0], 0.3906);
    close(&t["wilson95"][1], 0.8619);

    let text = sb.run(&["stats", "--review", "a"]);
    text.assert_code(0).assert_stdout_has(&[
        "0.80 [0.49, 0.94]",
        "0.67 [0.39, 0.86]",
        "0.00 [0.00, 0.66]",
    ]);
}

#[test]
fn stats_json_gives_each_documents_state_including_bare_articles() {
    let sb = Sandbox::new();
    sb.write("korpus/selesai.txt", ARTICLE);
    sb.write("korpus/berjalan.txt", ARTICLE);
    sb.write("korpus/baru.txt", ARTICLE);
    // An annotation file naming an article of another name: that article
    // is not listed as bare.
    sb.write("korpus/teks-lain.txt", ARTICLE);
    let done = annotation(
        "selesai.txt",
        &[span(1, "source", r("Clara Hughes"), "Clara Hughes")],
        &[],
    )
    .replacen("    document:", "    done: true,\n    document:", 1);
    sb.write("korpus/selesai.tandai.ron", done);
    sb.write(
        "korpus/berjalan.tandai.ron",
        annotation(
            "berjalan.txt",
            &[
                machine(1, "claim", r("household bills"), "m", "Some(0.5)", ""),
                machine(
                    2,
                    "claim",
                    r("Monday"),
                    "m",
                    "Some(0.5)",
                    ", status: Rejected",
                ),
            ],
            &[],
        ),
    );
    sb.write(
        "korpus/lain.tandai.ron",
        annotation("teks-lain.txt", &[], &[]),
    );
    let run = sb.run(&["stats", "--json", "korpus"]);
    run.assert_code(0);
    let j = run.json();
    let files = j["files"].as_array().unwrap();
    let state: Vec<(String, String, u64)> = files
        .iter()
        .map(|f| {
            let name = f["file"].as_str().unwrap().replace('\\', "/");
            (
                name.rsplit('/').next().unwrap().to_owned(),
                f["state"].as_str().unwrap().to_owned(),
                f["pending"].as_u64().unwrap(),
            )
        })
        .collect();
    let want = [
        ("baru.txt", "not_started", 0),
        ("berjalan.tandai.ron", "in_progress", 1),
        ("lain.tandai.ron", "not_started", 0),
        ("selesai.tandai.ron", "done", 0),
    ];
    assert_eq!(
        state,
        want.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c))
            .to_vec()
    );
    assert_eq!(j["states"]["done"], 1);
    assert_eq!(j["states"]["in_progress"], 1);
    assert_eq!(j["states"]["not_started"], 2);
    assert_eq!(j["total"]["files"], 3, "annotation files only");

    let text = sb.run(&["stats", "korpus"]);
    text.assert_code(0).assert_stdout_has(&[
        "baru.txt: not started, no annotation file",
        "selesai.tandai.ron: done, 1 spans",
        "documents: 2 not started, 1 in progress, 1 done",
    ]);
}
