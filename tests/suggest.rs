#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
//! `tandai suggest`: the built-in rules on a folder, tags to a file, and
//! models run as commands: a good one, one with some bad lines, one that
//! fails, one that hangs and one that prints garbage (nothing is written
//! for the last three).

mod common;

use common::{Sandbox, char_range, spans_of};

const BERITA: &str = "JAKARTA — Kepala Bea Cukai, Ani Lestari, mengatakan bahwa kapal itu membawa beras selundupan. Pemilik kapal membantah membawa beras selundupan.\n";
const NEWS: &str = "LONDON — “The ship was carrying rice,” a customs officer said. The owner denied carrying rice.\n";

fn corpus(sb: &Sandbox) {
    sb.write("korpus/berita.txt", BERITA);
    sb.write("korpus/en/news.txt", NEWS);
}

#[test]
fn the_builtin_rules_fill_a_folder_once() {
    let sb = Sandbox::new();
    corpus(&sb);
    let run = sb.run(&["suggest", "korpus"]);
    run.assert_code(0)
        .assert_stderr_has(&["2 articles, 2 annotation files written"]);
    let spans = spans_of(&sb.join("korpus/berita.tandai.ron"));
    let got: Vec<(&str, &str)> = spans.iter().map(|s| (s.1.as_str(), s.4.as_str())).collect();
    assert!(
        got.contains(&("source", "Kepala Bea Cukai, Ani Lestari")),
        "{got:?}"
    );
    assert!(
        got.contains(&("claim", "kapal itu membawa beras selundupan")),
        "{got:?}"
    );
    assert!(
        got.contains(&("denial", "membantah membawa beras selundupan")),
        "{got:?}"
    );
    let links = common::links_of(&sb.join("korpus/berita.tandai.ron"));
    let kinds: Vec<&str> = links.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(kinds, ["denies", "said_by", "said_by"], "{links:?}");
    let ron = sb.read_string("korpus/en/news.tandai.ron");
    assert!(ron.contains("Machine(model: \"tandai-rules-1\""), "{ron}");
    assert!(ron.contains("status: Pending"), "{ron}");
    // Again: every tag is there already.
    let snap = sb.snapshot();
    sb.run(&["suggest", "korpus"]).assert_code(0);
    snap.assert_same(&sb.snapshot(), "suggesting twice");
}

#[test]
fn tags_to_a_file_change_no_annotation_file_and_import_later() {
    let sb = Sandbox::new();
    corpus(&sb);
    let run = sb.run(&["suggest", "korpus", "-o", "tags.jsonl", "--json"]);
    run.assert_code(0);
    assert!(!sb.join("korpus/berita.tandai.ron").exists());
    let tags = sb.read_string("tags.jsonl");
    let first: serde_json::Value = serde_json::from_str(tags.lines().next().unwrap()).unwrap();
    for field in [
        "doc", "id", "start", "end", "label", "score", "model", "text",
    ] {
        assert!(first.get(field).is_some(), "{field} in {first}");
    }
    assert!(tags.contains("\"doc\":\"en/news.txt\""), "{tags}");
    assert!(tags.contains("\"links\":[{\"kind\":\"said_by\""), "{tags}");
    // Not over an existing file without --force.
    sb.run(&["suggest", "korpus", "-o", "tags.jsonl"])
        .assert_code(2)
        .assert_stderr_has(&["tags.jsonl exists"]);
    sb.run(&[
        "import",
        "--format",
        "tags",
        "tags.jsonl",
        "--into",
        "korpus",
    ])
    .assert_code(0);
    assert!(!spans_of(&sb.join("korpus/en/news.tandai.ron")).is_empty());
}

/// A toy model: reads the articles, prints fixed tags (and `extra`).
fn toy(sb: &Sandbox, extra: &str) -> String {
    let src = char_range(BERITA, "Kepala Bea Cukai");
    let claim = char_range(BERITA, "kapal itu membawa beras");
    let lines = [
        format!(
            r#"{{"doc": "berita.txt", "id": "s", "start": {}, "end": {}, "label": "source", "score": 0.9, "model": "toy-2"}}"#,
            src.start, src.end
        ),
        format!(
            r#"{{"doc": "berita.txt", "id": "c", "start": {}, "end": {}, "label": "claim", "score": 0.7, "model": "toy-2", "links": [{{"kind": "said_by", "to": "s"}}]}}"#,
            claim.start, claim.end
        ),
    ];
    let body = lines.join("\n") + "\n" + extra;
    sb.write("toy.out", body);
    // Reads every article line first, as a model would.
    "cat > seen.jsonl; cat toy.out".to_owned()
}

#[test]
fn a_model_by_command_reads_the_articles_and_its_tags_land() {
    let sb = Sandbox::new();
    corpus(&sb);
    let cmd = toy(&sb, "");
    let run = sb.run(&["suggest", "korpus", "--command", &cmd]);
    run.assert_code(0);
    let seen = sb.read_string("seen.jsonl");
    let docs: Vec<serde_json::Value> = seen
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["doc"], "berita.txt");
    assert_eq!(docs[0]["text"], BERITA);
    assert_eq!(docs[1]["doc"], "en/news.txt");
    let ron = sb.read_string("korpus/berita.tandai.ron");
    assert!(
        ron.contains("Machine(model: \"toy-2\", score: 0.9)"),
        "{ron}"
    );
    assert_eq!(
        common::links_of(&sb.join("korpus/berita.tandai.ron")).len(),
        1
    );
}

#[test]
fn bad_lines_among_good_ones_are_named_and_the_good_ones_land() {
    let sb = Sandbox::new();
    corpus(&sb);
    let extra = "{\"doc\": \"berita.txt\", \"start\": 5, \"end\": 9999, \"label\": \"claim\"}\n{\"doc\": \"lain.txt\", \"start\": 0, \"end\": 3, \"label\": \"claim\"}\nnot json\n";
    let cmd = toy(&sb, extra);
    let run = sb.run(&["suggest", "korpus", "--command", &cmd]);
    run.assert_code(1).assert_stderr_has(&[
        ":3: end 9999 is beyond the article",
        ":4: doc \"lain.txt\" is none of the articles given",
        ":5: not valid JSON",
    ]);
    assert_eq!(spans_of(&sb.join("korpus/berita.tandai.ron")).len(), 2);
}

#[test]
fn a_failing_hanging_or_babbling_model_writes_nothing() {
    let sb = Sandbox::new();
    corpus(&sb);
    let snap = sb.snapshot();
    let cases: [(&[&str], &[&str]); 3] = [
        (
            &["--command", "echo 'CUDA out of memory' >&2; exit 3"],
            &["exited with exit status: 3", "CUDA out of memory"],
        ),
        (
            &[
                "--command",
                "echo 'loading weights' >&2; sleep 60",
                "--timeout",
                "1",
            ],
            &["did not finish within 1 s", "loading weights"],
        ),
        (
            &[
                "--command",
                "cat >/dev/null; echo 'Model ready.'; echo 'All done!'",
            ],
            &["printed no machine tags"],
        ),
    ];
    for (args, needles) in cases {
        let mut all = vec!["suggest", "korpus"];
        all.extend_from_slice(args);
        let started = std::time::Instant::now();
        let run = sb.run(&all);
        run.assert_code(2).assert_stderr_has(needles);
        assert!(started.elapsed().as_secs() < 30, "{args:?} took too long");
        snap.assert_same(&sb.snapshot(), &format!("{args:?}"));
    }
}
