#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
//! One tags file for a whole folder (`import --format tags --into
//! FOLDER`): every article named gets its tags, a line for a missing
//! article is reported with its number while the rest imports, and
//! importing the same file again changes nothing.

mod common;

use common::{Sandbox, char_range, spans_of};

const KAPAL: &str = "MEDAN — Polisi membantah kabar bahwa kapal itu karam, kata juru bicara.\n";
const PANEN: &str = "Kementerian Pertanian mengatakan panen padi naik tahun ini.\n";

fn tag(doc: &str, text: &str, id: &str, label: &str, quote: &str, links: &str) -> String {
    let r = char_range(text, quote);
    format!(
        "{{\"doc\": \"{doc}\", \"id\": \"{id}\", \"start\": {}, \"end\": {}, \"label\": \"{label}\", \"score\": 0.7, \"model\": \"toy-1\"{links}}}",
        r.start, r.end
    )
}

#[test]
fn one_tags_file_fills_a_folder_and_says_what_it_could_not_place() {
    let sb = Sandbox::new();
    sb.write("korpus/kapal.txt", KAPAL);
    sb.write("korpus/tani/panen.txt", PANEN);
    let lines = [
        tag("kapal.txt", KAPAL, "s1", "source", "Polisi", ""),
        tag(
            "kapal.txt",
            KAPAL,
            "d1",
            "denial",
            "membantah kabar",
            ", \"links\": [{\"kind\": \"said_by\", \"to\": \"s1\"}]",
        ),
        tag("hilang.txt", KAPAL, "x", "claim", "kapal itu karam", ""),
        tag(
            "tani/panen.txt",
            PANEN,
            "s1",
            "source",
            "Kementerian Pertanian",
            "",
        ),
        tag(
            "tani/panen.txt",
            PANEN,
            "c1",
            "claim",
            "panen padi naik tahun ini",
            ", \"links\": [{\"kind\": \"said_by\", \"to\": \"s1\"}]",
        ),
        tag("../luar.txt", KAPAL, "y", "claim", "kapal", ""),
        "{\"start\": 0, \"end\": 3, \"label\": \"claim\"}".to_owned(),
    ];
    sb.write("tags.jsonl", lines.join("\n") + "\n");

    let run = sb.run(&[
        "import",
        "--format",
        "tags",
        "tags.jsonl",
        "--into",
        "korpus",
    ]);
    run.assert_code(1).assert_stderr_has(&[
        "tags.jsonl:3: no article \"hilang.txt\"",
        "tags.jsonl:6: doc \"../luar.txt\" is not a path inside the folder",
        "tags.jsonl:7: no \"doc\"",
        "2 articles, 2 annotation files written; 4 tags added, 0 already there; 2 links added; 3 bad lines",
    ]);
    assert_eq!(run.stdout, "");
    let kapal = spans_of(&sb.join("korpus/kapal.tandai.ron"));
    let quotes: Vec<&str> = kapal.iter().map(|s| s.4.as_str()).collect();
    assert_eq!(quotes, ["Polisi", "membantah kabar"]);
    let panen = spans_of(&sb.join("korpus/tani/panen.tandai.ron"));
    assert_eq!(panen.len(), 2);
    assert_eq!(
        common::links_of(&sb.join("korpus/tani/panen.tandai.ron")).len(),
        1
    );
    let ron = sb.read_string("korpus/kapal.tandai.ron");
    assert!(
        ron.contains("Machine(model: \"toy-1\", score: 0.7), status: Pending"),
        "{ron}"
    );

    // Again: nothing changes, and it says so.
    let snap = sb.snapshot();
    let again = sb.run(&[
        "import",
        "--format",
        "tags",
        "tags.jsonl",
        "--into",
        "korpus",
        "--json",
    ]);
    again.assert_code(1);
    snap.assert_same(&sb.snapshot(), "the same tags imported twice");
    let j = again.json();
    assert_eq!(j["added"], 0, "{j:#}");
    assert_eq!(j["duplicates"], 4, "{j:#}");
    assert_eq!(j["bad_lines"], 3, "{j:#}");
    let kinds: Vec<&str> = j["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["missing_article", "missing_article", "no_doc"]);
}
