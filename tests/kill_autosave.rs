#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
#![cfg(unix)]

//! Autosave survives SIGKILL: a process writing recovery files (and now and
//! then saving) as the annotations grow is killed at random moments; every
//! recovery file and annotation file left behind loads and is exactly one of
//! the states that were written, and temporary files of interrupted writes
//! do not pile up: the next process's first write sweeps them.
//!
//! The process killed is `examples/autosave_loop.rs`, the stand-in for the
//! app's autosave timer. Cargo builds examples for a plain `cargo test` but
//! not for `cargo test --test kill_autosave`, so the test asks cargo to build
//! it first (a no-op when it is fresh), with this test's profile and
//! features, so it never runs a stale binary.

use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tandai::document::Article;
use tandai::model::Annotations;
use tandai::store::{self, LoadOptions};
use tandai::synth::{Lcg, annotate, article};
use tandai::{format, recovery};

const LOOP_BUDGET: Duration = Duration::from_secs(20);
const MAX_KILLS: u32 = 60;
const ARTICLE_BYTES: usize = 300_000;

/// Builds the example with this test's profile and features and returns its
/// path.
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/kill_autosave-HASH
    let profile_dir = exe.parent().unwrap().parent().unwrap();
    let profile = profile_dir
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["build", "--quiet", "--example", "autosave_loop"])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    match profile.as_str() {
        "debug" => {}
        "release" => {
            cmd.arg("--release");
        }
        other => {
            cmd.args(["--profile", other]);
        }
    }
    if !cfg!(feature = "gui") {
        cmd.arg("--no-default-features");
    }
    if std::env::var_os("CARGO_TARGET_DIR").is_none() {
        cmd.env("CARGO_TARGET_DIR", profile_dir.parent().unwrap());
    }
    let status = cmd.status().expect("cargo runs");
    assert!(status.success(), "building examples/autosave_loop failed");
    let bin = profile_dir.join("examples/autosave_loop");
    assert!(bin.exists(), "{} was not built", bin.display());
    bin
}

/// Which states could have been written: every one has `k` spans made by
/// `annotate(text, k)`.
fn expect_written_state(what: &str, ann: &Annotations, article: &Article) {
    let k = ann.span_count();
    assert!((1..=2000).contains(&k), "{what}: {k} spans");
    assert!(
        *ann == annotate(&article.text, k),
        "{what}: {k} spans, but not the state written with {k} spans"
    );
}

fn hidden_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The save lock is hidden too, but it is not a temporary file.
        .filter(|n| n.starts_with('.') && !n.ends_with(".tandai.ron.lock"))
        .collect();
    v.sort();
    v
}

#[test]
fn sigkill_during_autosave_leaves_loadable_complete_states() {
    let bin = example_binary();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let article_path = d.join("article.txt");
    std::fs::write(&article_path, article(ARTICLE_BYTES)).unwrap();
    let art = Article::read(&article_path).unwrap();
    let ann_path = d.join("article.tandai.ron");
    let rec_path = recovery::path_for(&ann_path);

    // One unkilled run: how long a round takes.
    let t = Instant::now();
    let out = Command::new(&bin).arg(d).arg("20").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let round = t.elapsed() / 20;
    let span_ms = u64::try_from((round * 30).as_millis())
        .unwrap()
        .clamp(20, 1000);

    let mut rng = Lcg(0x5eed);
    let (mut kills, mut with_rec, mut with_ann, mut max_tmp) = (0u32, 0u32, 0u32, 0usize);
    let started = Instant::now();
    while kills < MAX_KILLS && started.elapsed() < LOOP_BUDGET {
        let mut child = Command::new(&bin)
            .arg(d)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.next_u64() % span_ms));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(9), "the loop ended early: {status:?}");
        kills += 1;

        if ann_path.exists() {
            with_ann += 1;
            let l = store::load(&ann_path, LoadOptions::default())
                .unwrap_or_else(|e| panic!("kill {kills}: annotation file: {e}"));
            assert!(l.findings.is_empty(), "kill {kills}: {:?}", l.findings);
            expect_written_state("annotation file", &l.annotations, &art);
        }
        if rec_path.exists() {
            with_rec += 1;
            let src = std::fs::read_to_string(&rec_path).unwrap();
            format::parse(&src).unwrap_or_else(|e| panic!("kill {kills}: recovery: {e}"));
            let back = recovery::load(&ann_path, &art)
                .unwrap_or_else(|e| panic!("kill {kills}: recovery file: {e}"));
            expect_written_state("recovery file", &back, &art);
        }
        // Nothing but the three files and temporaries of this pattern.
        for e in std::fs::read_dir(d).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                [
                    "article.txt",
                    "article.tandai.ron",
                    "article.tandai.ron.recovery",
                    ".article.tandai.ron.lock"
                ]
                .contains(&name.as_str())
                    || name.starts_with(".article.tandai.ron.tmp-")
                    || name.starts_with(".article.tandai.ron.recovery.tmp-"),
                "unexpected file {name}"
            );
        }
        let tmp = hidden_files(d).len();
        max_tmp = max_tmp.max(tmp);
        // Each killed process leaves at most one; the next one's first write
        // sweeps those of dead processes, so they cannot pile up.
        assert!(
            tmp <= 3,
            "kill {kills}: temporaries pile up: {:?}",
            hidden_files(d)
        );
    }
    println!(
        "{kills} kills in {:?} (a round takes {round:?}, kills within {span_ms} ms of start): \
         annotation file present {with_ann}, recovery file {with_rec}, at most {max_tmp} temporary files",
        started.elapsed()
    );
    assert!(kills >= 10, "too few kills to mean anything");

    // A run that is not killed sweeps every leftover and, having saved last
    // (round 4), leaves no recovery file.
    let out = Command::new(&bin).arg(d).arg("5").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(hidden_files(d), Vec::<String>::new());
    assert!(!rec_path.exists());
    assert_eq!(recovery::find(&ann_path), None);
    let l = store::load(&ann_path, LoadOptions::default()).unwrap();
    expect_written_state("final annotation file", &l.annotations, &art);
}
