#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

//! `tandai attributions` run as a researcher would, on two original wire
//! stories (Indonesian and English) and a short English follow-up: nested
//! sources, a pronoun source, claims with two sources, denials of two
//! claims, unattributed claims. Every `said_by` pair and every denied claim
//! must be in the table; the CSV is read back by a parser of our own and,
//! when `python3` is there, by Python's `csv` module.

mod common;
#[path = "fixtures/attributions/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use common::{Sandbox, ron_str};
use corpus::{Article, BERAS, BRIEFING, BRIEFING_TEXT, DRONES};

/// Code-point range of the `nth` occurrence of `quote`.
fn range_of(text: &str, quote: &str, nth: usize) -> (usize, usize) {
    let (b, _) = text
        .match_indices(quote)
        .nth(nth)
        .unwrap_or_else(|| panic!("{quote:?} #{nth} is not in the text"));
    let start = text[..b].chars().count();
    (start, start + quote.chars().count())
}

/// What the table must hold for an article.
#[derive(Debug, Default)]
struct Expected {
    /// (doc, kind, content, content start, source, source start)
    pairs: Vec<(String, String, String, usize, String, usize)>,
    /// (doc, denial) -> the claims it denies
    denied: BTreeMap<(String, String), Vec<String>>,
    /// (doc, content) of claims and denials with no source
    unattributed: Vec<(String, String)>,
}

/// Writes `a`'s annotation file (version 2, with entities) beside its
/// article in `sb`, adding what the table must say to `want`.
fn annotate(sb: &Sandbox, a: &Article, want: &mut Expected) {
    let text = std::fs::read_to_string(sb.join(a.rel)).unwrap();
    let mut spans = BTreeMap::new();
    let mut out = format!(
        "(\n    version: 2,\n    document: (path: {}),\n    entities: [\n",
        ron_str(Path::new(a.rel).file_name().unwrap().to_str().unwrap())
    );
    for (id, name, role) in a.entities {
        let role = role.map_or(String::new(), |r| format!(", role: {}", ron_str(r)));
        writeln!(out, "        (id: {id}, name: {}{role}),", ron_str(name)).unwrap();
    }
    out.push_str("    ],\n    spans: [\n");
    for (i, t) in a.tags.iter().enumerate() {
        let (start, end) = range_of(&text, t.quote, t.nth);
        let entity = t.entity.map_or(String::new(), |e| format!(", entity: {e}"));
        writeln!(
            out,
            "        (id: {}, label: {}, start: {start}, end: {end}, text: {}{entity}),",
            i + 1,
            ron_str(t.label),
            ron_str(t.quote)
        )
        .unwrap();
        spans.insert(t.key, (i + 1, t, start));
    }
    out.push_str("    ],\n    links: [\n");
    for (i, (kind, from, to)) in a.links.iter().enumerate() {
        let (f, ft, fstart) = spans[from];
        let (t, tt, tstart) = spans[to];
        writeln!(
            out,
            "        (id: {}, kind: {}, from: {f}, to: {t}),",
            i + 1,
            ron_str(kind)
        )
        .unwrap();
        let doc = a.rel.to_owned();
        if *kind == "said_by" {
            want.pairs.push((
                doc,
                ft.label.to_owned(),
                ft.quote.to_owned(),
                fstart,
                tt.quote.to_owned(),
                tstart,
            ));
        } else {
            want.denied
                .entry((doc, ft.quote.to_owned()))
                .or_default()
                .push(tt.quote.to_owned());
        }
    }
    out.push_str("    ],\n)\n");
    for t in a.tags {
        let sourced = a
            .links
            .iter()
            .any(|(k, from, _)| *k == "said_by" && *from == t.key);
        if matches!(t.label, "claim" | "denial") && !sourced {
            want.unattributed
                .push((a.rel.to_owned(), t.quote.to_owned()));
        }
    }
    let ann = a.rel.replace(".txt", ".tandai.ron");
    sb.write(&ann, out);
}

/// A sandbox with the three articles annotated, and what their table is.
fn corpus() -> (Sandbox, Expected) {
    let sb = Sandbox::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attributions");
    for rel in [BERAS.rel, DRONES.rel] {
        sb.write(rel, std::fs::read(fixtures.join(rel)).unwrap());
    }
    sb.write(BRIEFING.rel, BRIEFING_TEXT);
    let mut want = Expected::default();
    for a in [&BERAS, &DRONES, &BRIEFING] {
        annotate(&sb, a, &mut want);
    }
    (sb, want)
}

/// Reads RFC 4180 CSV into records of named fields.
fn parse_csv(src: &str) -> Vec<BTreeMap<String, String>> {
    let mut records: Vec<Vec<String>> = Vec::new();
    let (mut record, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "a record ends in CRLF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\n') => panic!("a record ends in a bare LF"),
            (_, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "the last record has no CRLF"
    );
    let header = records.remove(0);
    records
        .into_iter()
        .map(|r| {
            assert_eq!(r.len(), header.len(), "{r:?}");
            header.iter().cloned().zip(r).collect()
        })
        .collect()
}

/// Checks a table read back from CSV against what the files say.
fn check_table(rows: &[BTreeMap<String, String>], want: &Expected) {
    assert_eq!(
        rows.len(),
        want.pairs.len() + want.unattributed.len(),
        "one row per said_by link and per unattributed claim or denial"
    );
    for (doc, kind, content, cstart, source, sstart) in &want.pairs {
        let found = rows.iter().find(|r| {
            r["doc"] == *doc
                && r["content"] == *content
                && r["source"] == *source
                && r["source_start"] == sstart.to_string()
        });
        let r = found.unwrap_or_else(|| panic!("no row for {content:?} said by {source:?}"));
        assert_eq!(r["kind"], *kind);
        assert_eq!(r["content_start"], cstart.to_string());
        assert_eq!(
            r["content_end"],
            (cstart + content.chars().count()).to_string()
        );
        assert_eq!(
            r["source_end"],
            (sstart + source.chars().count()).to_string()
        );
        assert!(!r["link"].is_empty());
    }
    for ((doc, denial), claims) in &want.denied {
        for r in rows
            .iter()
            .filter(|r| r["doc"] == *doc && r["content"] == *denial)
        {
            let listed: Vec<&str> = r["denies"].split(" | ").collect();
            for c in claims {
                assert!(listed.contains(&c.as_str()), "{denial:?} denies {c:?}");
            }
            assert_eq!(listed.len(), claims.len());
        }
    }
    for (doc, content) in &want.unattributed {
        let r = rows
            .iter()
            .find(|r| r["doc"] == *doc && r["content"] == *content)
            .unwrap_or_else(|| panic!("no row for unattributed {content:?}"));
        for empty in ["source", "source_start", "entity", "link"] {
            assert_eq!(r[empty], "", "{empty} of {content:?}");
        }
    }
}

#[test]
fn a_folder_to_csv_has_every_pair_and_every_denied_claim() {
    let (sb, want) = corpus();
    let before = sb.snapshot();
    let run = sb.run(&["attributions", "."]);
    run.assert_code(0);
    sb.snapshot()
        .assert_same(&before, "attributions writes nothing but stdout");
    assert!(
        run.stdout
            .starts_with("doc,kind,source,source_start,source_end,entity,"),
        "{run:#?}"
    );
    let rows = parse_csv(&run.stdout);
    check_table(&rows, &want);
    // Entities: nested sources, a surname and a pronoun are one person.
    let ani: Vec<&str> = rows
        .iter()
        .filter(|r| r["entity"] == "Ani Lestari")
        .map(|r| r["source"].as_str())
        .collect();
    assert_eq!(
        ani,
        [
            "Juru bicara Kementerian Perdagangan, Ani Lestari",
            "Ani Lestari",
            "Lestari",
            "dia"
        ]
    );
    // Cue words between source and content, and before a source.
    let cue = |content: &str| {
        rows.iter()
            .find(|r| r["content"] == content)
            .map(|r| r["cue"].clone())
            .unwrap()
    };
    assert_eq!(
        cue("Gudang beras negara di Surabaya sudah menerima 40.000 ton"),
        "kata"
    );
    assert_eq!(
        cue("operasi pasar akan digelar di 120 titik mulai Kamis"),
        "Menurut"
    );
    assert_eq!(cue("the images were \"doctored\""), "said");
    assert_eq!(
        cue("Fuel prices in the region have doubled since the start of the year"),
        ""
    );
    // Documents are named relative to the folder given, in walk order.
    let docs: Vec<&str> = rows.iter().map(|r| r["doc"].as_str()).collect();
    let mut sorted = docs.clone();
    sorted.sort_unstable();
    assert_eq!(docs, sorted);
    assert_eq!(docs[0], "indonesia/beras-medium.txt");
    run.assert_stderr_has(&["18 rows (2 unattributed) from 3 articles"]);
    python_reads_the_same(&sb, &run.stdout, &rows);
}

/// Python's `csv` module reads the file as our parser does (skipped, with
/// a note, where there is no `python3`).
fn python_reads_the_same(sb: &Sandbox, csv: &str, rows: &[BTreeMap<String, String>]) {
    let path = sb.write("table.csv", csv);
    let script = "import csv, json, sys\n\
                  with open(sys.argv[1], newline='', encoding='utf-8') as f:\n\
                  \x20   print(json.dumps(list(csv.DictReader(f))))\n";
    let out = match std::process::Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            println!("note: python3 not found ({e}); the CSV was not read by Python's csv module");
            return;
        }
    };
    assert!(out.status.success(), "{out:?}");
    let py: Vec<BTreeMap<String, String>> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(py, rows);
}

#[test]
fn jsonl_rows_carry_objects_and_markdown_is_a_table() {
    let (sb, want) = corpus();
    let run = sb.run(&["attributions", "--format", "jsonl", "world", "indonesia"]);
    run.assert_code(0);
    let rows: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), want.pairs.len() + want.unattributed.len());
    for r in &rows {
        for key in [
            "doc", "kind", "source", "content", "denies", "cue", "origin", "status",
        ] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
        for key in ["text", "start", "end"] {
            assert!(r["content"].get(key).is_some(), "{r}");
        }
        assert!(r["denies"].is_array());
    }
    // Named relative to the folder each was found in.
    assert_eq!(rows[0]["doc"], "drone-flights.txt");
    let pronoun = rows.iter().find(|r| r["source"]["text"] == "He").unwrap();
    assert_eq!(
        pronoun["source"]["entity"]["name"],
        "Veltran foreign ministry official"
    );
    assert_eq!(pronoun["source"]["entity"]["role"], "unnamed");
    let denial = rows.iter().find(|r| r["kind"] == "denial").unwrap();
    let denied: Vec<&str> = denial["denies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        denied,
        [
            "at least 400 drones had crossed into the disputed region since January",
            "two cargo flights a week land at Tesh airfield"
        ]
    );
    let unattributed = rows.iter().filter(|r| r["source"].is_null()).count();
    assert_eq!(unattributed, 2);

    let md = sb.run(&["attributions", "-f", "md", "world/drone-flights.txt"]);
    md.assert_code(0);
    let lines: Vec<&str> = md.stdout.lines().collect();
    assert!(
        lines[0].starts_with("| doc | kind | source | entity |"),
        "{md:#?}"
    );
    assert_eq!(lines.len(), 2 + 8);
    assert!(md.stdout.contains("| (unattributed) |"));
    assert!(md.stdout.contains("John Okafor (mission spokesman)"));
}

#[test]
fn by_entity_counts_claims_denials_and_articles() {
    let (sb, _) = corpus();
    let run = sb.run(&["attributions", "--by-entity", "."]);
    run.assert_code(0);
    let rows = parse_csv(&run.stdout);
    let got: Vec<(String, String, String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["entity"].clone(),
                r["by"].clone(),
                r["claims"].clone(),
                r["denials"].clone(),
                r["articles"].clone(),
            )
        })
        .collect();
    let want = [
        ("Ani Lestari", "entity", "3", "0", "1"),
        ("John Okafor", "entity", "3", "0", "2"),
        ("Darmawan Sitepu", "entity", "1", "1", "1"),
        ("Marosh Joint Monitoring Mission", "entity", "2", "0", "1"),
        ("Veltran foreign ministry official", "entity", "2", "0", "1"),
        ("Government of Veltra", "entity", "0", "1", "1"),
        ("Kementerian Pertanian", "entity", "1", "0", "1"),
        ("Badan Pangan Nasional", "source_text", "1", "0", "1"),
        ("", "unattributed", "2", "0", "2"),
    ];
    let want: Vec<(String, String, String, String, String)> = want
        .iter()
        .map(|(a, b, c, d, e)| {
            (
                (*a).to_owned(),
                (*b).to_owned(),
                (*c).to_owned(),
                (*d).to_owned(),
                (*e).to_owned(),
            )
        })
        .collect();
    assert_eq!(got, want);
    let okafor = &rows[1];
    assert_eq!(okafor["roles"], "mission spokesman | spokesman");
    assert_eq!(
        okafor["docs"],
        "world/drone-flights.txt | world/okafor-briefing.txt"
    );
    let json = sb.run(&["attributions", "--by-entity", "-f", "jsonl", "."]);
    json.assert_code(0);
    let first: serde_json::Value =
        serde_json::from_str(json.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["entity"], "Ani Lestari");
    assert_eq!(first["claims"], 3);
    assert_eq!(
        first["docs"],
        serde_json::json!(["indonesia/beras-medium.txt"])
    );
}

#[test]
fn out_file_is_not_overwritten_without_force() {
    let (sb, _) = corpus();
    let run = sb.run(&["attributions", ".", "-o", "table.csv"]);
    run.assert_code(0);
    assert!(run.stdout.is_empty(), "{run:#?}");
    let first = sb.read_string("table.csv");
    assert!(first.starts_with("doc,"));
    let before = sb.snapshot();
    let again = sb.run(&["attributions", "--format", "jsonl", ".", "-o", "table.csv"]);
    again.assert_code(2);
    again.assert_stderr_has(&["tandai: ", "table.csv exists", "--force"]);
    assert_eq!(again.stderr.lines().count(), 1, "{again:#?}");
    sb.snapshot().assert_same(&before, "refused");
    let forced = sb.run(&[
        "attributions",
        "-f",
        "jsonl",
        ".",
        "-o",
        "table.csv",
        "--force",
    ]);
    forced.assert_code(0);
    assert!(sb.read_string("table.csv").starts_with('{'));
}

#[test]
fn bad_inputs_say_so_on_one_line() {
    let (sb, _) = corpus();
    let missing = sb.run(&["attributions", "nowhere"]);
    missing.assert_code(2);
    missing.assert_stderr_has(&["tandai: ", "nowhere"]);
    assert!(missing.stdout.is_empty());
    sb.write("empty/readme.md", "nothing here");
    let empty = sb.run(&["attributions", "empty"]);
    empty.assert_code(2);
    empty.assert_stderr_has(&["no annotation files"]);
    let bad_format = sb.run(&["attributions", "-f", "xlsx", "."]);
    bad_format.assert_code(2);
    // A broken file among good ones: reported, the rest is the table.
    sb.write(
        "world/broken.tandai.ron",
        "(version: 2, document: (path: \"broken.txt\"), spans: [(id: 1,",
    );
    // A rejected machine source: its claim is unattributed, and said so.
    let ann = sb.join("world/okafor-briefing.tandai.ron");
    let src = std::fs::read_to_string(&ann).unwrap();
    let src = src.replace(
        "entity: 7)",
        "entity: 7, origin: Machine(model: \"m\", score: 0.2), status: Rejected)",
    );
    std::fs::write(&ann, src).unwrap();
    let partial = sb.run(&["attributions", "."]);
    partial.assert_code(1);
    partial.assert_stderr_has(&[
        "note: left out 1 rejected machine span and 1 said_by link that lacks an end",
        "18 rows (3 unattributed)",
    ]);
    partial.assert_stderr_has(&["tandai: ", "broken.tandai.ron:1:"]);
    assert_eq!(parse_csv(&partial.stdout).len(), 18);
}

#[test]
fn text_reaches_a_pipe_exactly_and_check_reads_version_2() {
    let sb = Sandbox::new();
    let text = "Kata \u{1b}[31mmerah\u{1b}[0m, kata dia.\n";
    sb.write("a.txt", text);
    let (cs, ce) = range_of(text, "Kata \u{1b}[31mmerah\u{1b}[0m, kata", 0);
    let (ss, se) = range_of(text, "dia", 0);
    sb.write(
        "a.tandai.ron",
        format!(
            "(version: 2, document: (path: \"a.txt\"), entities: [(id: 1, name: \"Dia, \\\"X\\\"\")], spans: [\n\
             (id: 1, label: \"claim\", start: {cs}, end: {ce}),\n\
             (id: 2, label: \"source\", start: {ss}, end: {se}, entity: 1),\n\
             ], links: [(id: 1, kind: \"said_by\", from: 1, to: 2)])\n"
        ),
    );
    let run = sb.run(&["attributions", "a.txt"]);
    run.assert_code(0);
    let rows = parse_csv(&run.stdout);
    assert_eq!(rows[0]["content"], "Kata \u{1b}[31mmerah\u{1b}[0m, kata");
    assert_eq!(rows[0]["entity"], "Dia, \"X\"");
    assert_eq!(rows[0]["doc"], "a.txt");
    let check = sb.run(&["check", "a.tandai.ron"]);
    check.assert_code(0);
}

#[test]
fn entities_survive_the_lossless_formats_and_the_others_say_so() {
    let (sb, _) = corpus();
    let table = |dir: &str| {
        let run = sb.run(&["attributions", dir]);
        run.assert_code(0);
        run.stdout
    };
    let original = table(".");
    for (format, out) in [
        ("jsonl", "out/spans.jsonl"),
        ("label-studio", "out/tasks.json"),
    ] {
        sb.run(&["export", "-f", format, "indonesia", "world", "-o", out])
            .assert_code(0);
        let back = format!("back-{format}");
        sb.run(&["import", "-f", format, out, "-o", &back])
            .assert_code(0);
        let again = table(&back);
        // The same rows; documents named by the file names the export gave.
        let strip = |t: &str| -> Vec<String> {
            parse_csv(t)
                .into_iter()
                .map(|mut r| {
                    let doc = r.remove("doc").unwrap();
                    let name = doc.rsplit('/').next().unwrap().to_owned();
                    format!("{name} {r:?}")
                })
                .collect()
        };
        assert_eq!(strip(&again), strip(&original), "{format}");
    }
    sb.run(&["export", "-f", "w3c", "world", "-o", "w3c"])
        .assert_code(0);
    sb.run(&["import", "-f", "w3c", "w3c", "-o", "back-w3c"])
        .assert_code(0);
    let w3c = parse_csv(&table("back-w3c"));
    assert!(
        w3c.iter()
            .any(|r| r["source"] == "He" && r["entity"] == "Veltran foreign ministry official"),
        "{w3c:?}"
    );
    let brat = sb.run(&["export", "-f", "brat", "world", "-o", "brat"]);
    brat.assert_code(0);
    brat.assert_stderr_has(&["note: 5 source entities not carried"]);
}
