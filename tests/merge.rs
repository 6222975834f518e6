#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

//! `tandai merge`, `tandai merge-driver` and `tandai git-setup` run as a
//! team would: annotators' files merged into one with disputes, and real
//! git repositories (one branch per annotator) merged through the driver,
//! in temporary folders with no global git config.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{BIN, Run, Sandbox, char_range, link, parse_file, spans_of};

/// The fixture's article annotated by ana and budi, copied in.
fn ferry() -> Sandbox {
    let sb = Sandbox::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agree");
    for f in [
        "ferry.txt",
        "ana.tandai.ron",
        "budi.tandai.ron",
        "citra.tandai.ron",
    ] {
        std::fs::copy(dir.join(f), sb.join(f)).unwrap();
    }
    sb
}

#[test]
fn two_annotators_merge_into_one_file_with_their_disputes() {
    let sb = ferry();
    let run = sb.run(&[
        "merge",
        "ana.tandai.ron",
        "budi.tandai.ron",
        "-o",
        "gold/ferry.tandai.ron",
        "--json",
    ]);
    run.assert_code(1);
    let v = run.json();
    assert_eq!(v["annotators"], serde_json::json!(["ana", "budi"]));
    assert_eq!(v["agreed"]["spans"], 6);
    assert_eq!(v["agreed"]["links"], 1);
    assert_eq!(v["open"], 4);
    let kinds: Vec<&str> = (v["disputes"].as_array().unwrap().iter())
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["boundary", "boundary", "presence", "label"]);
    let label = &v["disputes"][3];
    assert_eq!(label["alternatives"][0]["by"], serde_json::json!(["ana"]));
    assert_eq!(label["alternatives"][0]["summary"], "denial");
    assert_eq!(label["alternatives"][1]["summary"], "claim");
    assert_eq!(v["left_out"]["ana"]["pending"], 1);
    assert_eq!(v["left_out"]["budi"]["rejected"], 1);
    assert_eq!(v["article_copied"], true);
    assert_eq!(sb.read("gold/ferry.txt"), sb.read("ferry.txt"));
    let merged = sb.read_string("gold/ferry.tandai.ron");
    assert!(merged.starts_with("(\n    version: 3,\n"), "{merged}");
    assert!(merged.contains("agreed: [\"ana\", \"budi\"]"), "{merged}");
    // The merged file is valid; check names each open dispute.
    let check = sb.run(&["check", "gold/ferry.tandai.ron", "--json"]);
    check.assert_code(1);
    let disputed = check.errors_of("disputed");
    assert_eq!(disputed.len(), 4, "{}", check.stdout);
    assert_eq!(disputed[3]["dispute"], 4);
    let msg = disputed[3]["message"].as_str().unwrap();
    assert!(msg.starts_with("dispute 4 (label) at 364..412"), "{msg}");
    assert!(msg.ends_with("ana: denial; budi: claim"), "{msg}");
    assert_eq!(
        check.kinds().len(),
        4,
        "nothing but the disputes: {}",
        check.stdout
    );
    // People read it on stderr.
    let text = sb.run(&[
        "merge",
        "ana.tandai.ron",
        "budi.tandai.ron",
        "-o",
        "gold/x.tandai.ron",
    ]);
    text.assert_code(1)
        .assert_stderr_has(&["merged ana, budi into gold/x.tandai.ron: 6 spans and 1 link agreed, 4 disputes (2 boundary, 1 label, 1 presence)", "dispute 4 (label)", "left out"]);
    assert!(text.stdout.is_empty());
}

#[test]
fn prefer_gives_that_annotators_spans_and_links() {
    let sb = ferry();
    for (who, file) in [("ana", "ana.tandai.ron"), ("budi", "budi.tandai.ron")] {
        let out = format!("{who}-gold.tandai.ron");
        sb.run(&[
            "merge",
            "ana.tandai.ron",
            "budi.tandai.ron",
            "-o",
            &out,
            "--prefer",
            who,
        ])
        .assert_code(0)
        .assert_stderr_has(&["settled every dispute for", who]);
        assert_eq!(spans_of(&sb.join(&out)), spans_of(&sb.join(file)));
        assert_eq!(
            common::links_of(&sb.join(&out)),
            common::links_of(&sb.join(file))
        );
        sb.run(&["check", &out]).assert_code(0);
        // No dispute and no agreement record: a plain version 1 file.
        assert!(sb.read_string(&out).starts_with("(\n    version: 1,\n"));
    }
    sb.run(&[
        "merge",
        "ana.tandai.ron",
        "budi.tandai.ron",
        "-o",
        "x.tandai.ron",
        "--prefer",
        "dewi",
    ])
    .assert_code(2)
    .assert_stderr_has(&["--prefer \"dewi\"", "ana, budi"]);
}

#[test]
fn a_file_merged_with_itself_has_no_dispute_and_errors_stop_it() {
    let sb = ferry();
    sb.run(&[
        "merge",
        "citra.tandai.ron",
        "citra.tandai.ron",
        "-o",
        "same.tandai.ron",
    ])
    .assert_code(0)
    .assert_stderr_has(&["merged citra, citra#2", "no disputes"]);
    // A folder (made if missing): the article's annotation file in it.
    sb.run(&["merge", "ana.tandai.ron", "budi.tandai.ron", "-o", "gold"])
        .assert_code(1);
    assert_eq!(spans_of(&sb.join("gold/ferry.tandai.ron")).len(), 6);
    assert!(sb.join("gold/ferry.txt").is_file());
    // Not over an existing file without --force, never over an input.
    sb.run(&[
        "merge",
        "ana.tandai.ron",
        "budi.tandai.ron",
        "-o",
        "same.tandai.ron",
    ])
    .assert_code(2)
    .assert_stderr_has(&["exists", "--force"]);
    sb.run(&[
        "merge",
        "ana.tandai.ron",
        "budi.tandai.ron",
        "-o",
        "same.tandai.ron",
        "--force",
    ])
    .assert_code(1);
    sb.run(&[
        "merge",
        "ana.tandai.ron",
        "budi.tandai.ron",
        "-o",
        "ana.tandai.ron",
        "--force",
    ])
    .assert_code(2)
    .assert_stderr_has(&["one of the files merged"]);
    // Another article; a file with open disputes.
    sb.write("other.txt", "Sebuah berita lain.");
    sb.write(
        "other.tandai.ron",
        common::annotation("other.txt", &[], &[]),
    );
    sb.run(&[
        "merge",
        "ana.tandai.ron",
        "other.tandai.ron",
        "-o",
        "o.tandai.ron",
    ])
    .assert_code(2)
    .assert_stderr_has(&["different articles"]);
    // `same.tandai.ron` holds the disputes of ana and budi now.
    sb.run(&[
        "merge",
        "same.tandai.ron",
        "ana.tandai.ron",
        "-o",
        "u.tandai.ron",
    ])
    .assert_code(2)
    .assert_stderr_has(&["open disputes", "settle them first"]);
}

// ---- git ----

/// A wire story of our own for the repositories.
const STORY: &str = "MAKASSAR (Kabar) – Pemerintah kota mengatakan banjir di Tamalate sudah surut pada Selasa pagi. Juru bicara wali kota, Andi Rahman, menyebut pompa air bekerja penuh. Warga membantah klaim itu dan mengatakan air masih setinggi lutut.";

/// One span as tandai would write it (quote, no context), with a note.
fn span(id: u64, label: &str, quote: &str, who: &str, note: Option<&str>) -> String {
    let r = char_range(STORY, quote);
    let mut s = format!(
        "(id: {id}, label: {}, start: {}, end: {}, text: {}, origin: Human(annotator: {})",
        common::ron_str(label),
        r.start,
        r.end,
        common::ron_str(quote),
        common::ron_str(who)
    );
    if let Some(n) = note {
        let _ = write!(s, ", note: {}", common::ron_str(n));
    }
    s.push(')');
    s
}

/// An annotation file of the story: its hash, spans, links.
fn story_file(text: &str, spans: &[String], links: &[String]) -> String {
    let sha = tandai::document::sha256_hex(text.as_bytes());
    let mut out = format!(
        "(\n    version: 1,\n    document: (path: \"banjir.txt\", sha256: \"{sha}\", chars: {}),\n    spans: [\n",
        text.chars().count()
    );
    for s in spans {
        let _ = writeln!(out, "        {s},");
    }
    out.push_str("    ],\n    links: [\n");
    for l in links {
        let _ = writeln!(out, "        {l},");
    }
    out.push_str("    ],\n)\n");
    out
}

/// A git repository in a sandbox, with a home of its own so no global
/// config reaches it, and tandai set up as its merge driver.
struct Repo {
    sb: Sandbox,
}

impl Repo {
    fn new() -> Repo {
        let sb = Sandbox::new();
        std::fs::create_dir_all(sb.join("home")).unwrap();
        std::fs::create_dir_all(sb.join("repo")).unwrap();
        let r = Repo { sb };
        r.git(&["-c", "init.defaultBranch=main", "init", "-q"]);
        r
    }

    fn dir(&self) -> PathBuf {
        self.sb.join("repo")
    }

    fn env(&self, c: &mut Command) {
        let home = self.sb.join("home");
        c.current_dir(self.dir())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", &home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Ana")
            .env("GIT_AUTHOR_EMAIL", "ana@example.org")
            .env("GIT_COMMITTER_NAME", "Ana")
            .env("GIT_COMMITTER_EMAIL", "ana@example.org")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE");
    }

    fn git_output(&self, args: &[&str]) -> Output {
        let mut c = Command::new("git");
        c.args(args);
        self.env(&mut c);
        c.output().expect("git runs")
    }

    /// Runs git, which must succeed.
    fn git(&self, args: &[&str]) -> String {
        let out = self.git_output(args);
        assert!(
            out.status.success(),
            "git {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn tandai(&self, args: &[&str]) -> Run {
        let mut c = Command::new(BIN);
        c.args(args);
        self.env(&mut c);
        Run::from_output(c.output().unwrap())
    }

    fn write(&self, name: &str, contents: &str) {
        std::fs::write(self.dir().join(name), contents).unwrap();
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir().join(name)).unwrap()
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// The story, a base file with two spans, tandai as the driver; one
    /// branch per annotator from there.
    fn with_story() -> Repo {
        let r = Repo::new();
        r.write("banjir.txt", STORY);
        r.write("banjir.tandai.ron", &story_file(STORY, &base_spans(), &[]));
        r.tandai(&["git-setup"]).assert_code(0);
        r.commit("the story and its first spans");
        r.git(&["branch", "ana"]);
        r.git(&["branch", "budi"]);
        r
    }
}

fn base_spans() -> Vec<String> {
    vec![
        span(1, "source", "Pemerintah kota", "", None),
        span(
            2,
            "claim",
            "banjir di Tamalate sudah surut pada Selasa pagi",
            "",
            None,
        ),
    ]
}

#[test]
fn git_setup_says_what_it_did_and_does_it_once() {
    let r = Repo::new();
    r.write(".gitattributes", "*.txt text");
    let first = r.tandai(&["git-setup"]);
    first.assert_code(0).assert_stderr_has(&[
        "added *.tandai.ron merge=tandai to",
        "merge.tandai.driver",
        "merge-driver %O %A %B %P",
    ]);
    assert_eq!(
        r.read(".gitattributes"),
        "*.txt text\n*.tandai.ron merge=tandai\n"
    );
    let driver = r.git(&["config", "--get", "merge.tandai.driver"]);
    let exe = std::fs::canonicalize(BIN).unwrap();
    assert_eq!(
        driver.trim(),
        format!("{} merge-driver %O %A %B %P", exe.display())
    );
    let attr = r.git(&["check-attr", "merge", "x.tandai.ron"]);
    assert_eq!(attr.trim(), "x.tandai.ron: merge: tandai");
    r.tandai(&["git-setup", "."])
        .assert_code(0)
        .assert_stderr_has(&["already has", "is already"]);
    assert_eq!(
        r.read(".gitattributes"),
        "*.txt text\n*.tandai.ron merge=tandai\n"
    );
    // Outside a repository: a clear error.
    let outside = Sandbox::new();
    let run = common::run_in(outside.path(), &["git-setup", "."]);
    run.assert_code(2)
        .assert_stderr_has(&["not in a git repository"]);
}

#[test]
fn branches_adding_spans_with_colliding_ids_a_note_and_a_link_merge_cleanly() {
    let r = Repo::with_story();
    r.git(&["checkout", "-q", "ana"]);
    let mut spans = base_spans();
    spans[0] = span(1, "source", "Pemerintah kota", "", Some("pemkot Makassar"));
    spans.push(span(
        3,
        "source",
        "Juru bicara wali kota, Andi Rahman",
        "ana",
        None,
    ));
    spans.push(span(4, "claim", "pompa air bekerja penuh", "ana", None));
    r.write(
        "banjir.tandai.ron",
        &story_file(STORY, &spans, &[link(1, "said_by", 4, 3)]),
    );
    r.commit("ana: the spokesman's claim, a note");
    r.git(&["checkout", "-q", "budi"]);
    let mut spans = base_spans();
    spans.push(span(3, "source", "Warga", "budi", None));
    spans.push(span(4, "denial", "membantah klaim itu", "budi", None));
    let links = [link(1, "said_by", 2, 1), link(2, "said_by", 4, 3)];
    r.write("banjir.tandai.ron", &story_file(STORY, &spans, &links));
    r.commit("budi: the residents' denial, a link");
    r.git(&["checkout", "-q", "ana"]);
    let out = r.git_output(&["merge", "--no-edit", "budi"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = r.dir().join("banjir.tandai.ron");
    let merged = r.read("banjir.tandai.ron");
    assert!(!merged.contains("<<<<<<<"), "{merged}");
    let quotes: Vec<String> = spans_of(&file)
        .into_iter()
        .map(|s| format!("{} {}", s.1, s.4))
        .collect();
    assert_eq!(
        quotes,
        [
            "source Pemerintah kota",
            "claim banjir di Tamalate sudah surut pada Selasa pagi",
            "source Juru bicara wali kota, Andi Rahman",
            "claim pompa air bekerja penuh",
            "source Warga",
            "denial membantah klaim itu",
        ]
    );
    let raw = parse_file(&file);
    assert_eq!(raw.spans[0].note.as_deref(), Some("pemkot Makassar"));
    assert!(raw.disputes.is_empty());
    let by_id = |id: u64| {
        raw.spans
            .iter()
            .find(|s| s.id == id)
            .unwrap()
            .text
            .clone()
            .unwrap()
    };
    let mut links: Vec<(String, String)> = (raw.links.iter())
        .map(|l| (by_id(l.from), by_id(l.to)))
        .collect();
    links.sort();
    assert_eq!(
        links,
        [
            (
                "banjir di Tamalate sudah surut pada Selasa pagi".into(),
                "Pemerintah kota".into()
            ),
            ("membantah klaim itu".into(), "Warga".into()),
            (
                "pompa air bekerja penuh".into(),
                "Juru bicara wali kota, Andi Rahman".into()
            ),
        ]
    );
    r.tandai(&["check", "banjir.tandai.ron"]).assert_code(0);
    assert!(r.git(&["status", "--porcelain"]).is_empty());
}

#[test]
fn both_branches_relabelling_one_span_is_a_conflict_in_a_valid_file() {
    let r = Repo::with_story();
    for (branch, label) in [("ana", "denial"), ("budi", "source")] {
        r.git(&["checkout", "-q", branch]);
        let mut spans = base_spans();
        spans[1] = span(
            2,
            label,
            "banjir di Tamalate sudah surut pada Selasa pagi",
            "",
            None,
        );
        r.write("banjir.tandai.ron", &story_file(STORY, &spans, &[]));
        r.commit(&format!("{branch}: relabel"));
    }
    r.git(&["checkout", "-q", "ana"]);
    let out = r.git_output(&["merge", "--no-edit", "budi"]);
    assert!(!out.status.success(), "git reports the conflict");
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("CONFLICT"), "{said}");
    assert!(
        said.contains("1 dispute between ours and theirs (label)"),
        "{said}"
    );
    let merged = r.read("banjir.tandai.ron");
    assert!(
        !merged.contains("<<<<<<<") && !merged.contains(">>>>>>>"),
        "{merged}"
    );
    assert!(merged.starts_with("(\n    version: 3,\n"), "{merged}");
    let check = r.tandai(&["check", "banjir.tandai.ron", "--json"]);
    check.assert_code(1);
    assert_eq!(check.kinds(), ["disputed"]);
    let msg = check.errors_of("disputed")[0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        msg.contains("(label)") && msg.ends_with("ours: denial; theirs: source"),
        "{msg}"
    );
    // The span keeps the base's label until the dispute is settled.
    assert_eq!(
        parse_file(&r.dir().join("banjir.tandai.ron")).spans[1].label,
        "claim"
    );
}

#[test]
fn a_changed_article_is_left_to_gits_line_merge() {
    let r = Repo::with_story();
    r.git(&["checkout", "-q", "ana"]);
    let edited = STORY.replace("MAKASSAR (Kabar)", "MAKASSAR, 4 Maret (Kabar)");
    r.write("banjir.txt", &edited);
    r.write(
        "banjir.tandai.ron",
        &story_file(
            &edited,
            &[span_in(&edited, 1, "source", "Pemerintah kota")],
            &[],
        ),
    );
    r.commit("ana: the dateline, spans placed again");
    r.git(&["checkout", "-q", "budi"]);
    let mut spans = base_spans();
    spans.push(span(3, "denial", "membantah klaim itu", "budi", None));
    r.write("banjir.tandai.ron", &story_file(STORY, &spans, &[]));
    r.commit("budi: a denial");
    r.git(&["checkout", "-q", "ana"]);
    let out = r.git_output(&["merge", "--no-edit", "budi"]);
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("not merged by span: the article differs between the sides"),
        "{said}"
    );
    assert!(said.contains("git's line merge"), "{said}");
    assert!(!out.status.success(), "{said}");
    assert!(
        r.read("banjir.tandai.ron").contains("<<<<<<< ours"),
        "git's own conflict"
    );
}

fn span_in(text: &str, id: u64, label: &str, quote: &str) -> String {
    let r = char_range(text, quote);
    format!(
        "(id: {id}, label: {}, start: {}, end: {}, text: {})",
        common::ron_str(label),
        r.start,
        r.end,
        common::ron_str(quote)
    )
}

#[test]
fn the_driver_on_its_own_with_no_common_ancestor() {
    let sb = Sandbox::new();
    let ours = story_file(
        STORY,
        &[span(1, "claim", "pompa air bekerja penuh", "ana", None)],
        &[],
    );
    let theirs = story_file(
        STORY,
        &[span(1, "claim", "pompa air bekerja", "budi", None)],
        &[],
    );
    sb.write("base", "");
    sb.write("ours", &ours);
    sb.write("theirs", &theirs);
    let run = sb.run(&[
        "merge-driver",
        "base",
        "ours",
        "theirs",
        "data/banjir.tandai.ron",
    ]);
    run.assert_code(1)
        .assert_stderr_has(&["data/banjir.tandai.ron: 1 dispute between ana and budi (boundary)"]);
    let raw = parse_file(&sb.join("ours"));
    assert_eq!(raw.version, 3);
    assert_eq!(raw.disputes.len(), 1);
    let alts = &raw.disputes[0].alternatives;
    assert_eq!(
        (alts[0].by.as_slice(), alts[1].by.as_slice()),
        (&["ana".to_owned()][..], &["budi".to_owned()][..])
    );
    assert_eq!(alts[1].spans[0].id, 2, "their colliding id renumbered");
    // Same on both sides: clean, written as tandai writes it.
    sb.write("ours", &ours);
    sb.run(&["merge-driver", "base", "ours", "ours"])
        .assert_code(0);
    assert_eq!(spans_of(&sb.join("ours")).len(), 1);
    // A file that does not read: git's line merge, which conflicts here.
    sb.write("theirs", "(version: 1, document: (path: ");
    sb.write("ours", &ours);
    sb.run(&["merge-driver", "base", "ours", "theirs"])
        .assert_code(1)
        .assert_stderr_has(&["not merged by span", "theirs:1:"]);
}

#[test]
fn exporting_a_file_with_open_disputes_says_they_were_left_out() {
    let sb = ferry();
    sb.run(&[
        "merge",
        "ana.tandai.ron",
        "budi.tandai.ron",
        "-o",
        "gold.tandai.ron",
    ])
    .assert_code(1);
    sb.run(&[
        "export",
        "--format",
        "jsonl",
        "gold.tandai.ron",
        "-o",
        "gold.jsonl",
    ])
    .assert_code(1)
    .assert_stderr_has(&["4 open disputes left out"]);
}
