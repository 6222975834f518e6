#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `tandai stats`, `tandai check` and the app's corpus listing walk a
//! folder the same way (`tandai::walk`), so the app's "N / M done" and
//! `tandai stats` count the same articles: a folder with a link in, a link
//! out, `target/`, `node_modules/`, `.TXT` and hidden files.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::Sandbox;
use tandai::corpus;
use tandai::store::{self, LoadOptions};

const LABELS: &[&str] = &["claim", "source", "denial"];

/// Writes an article, and its (empty) annotation file if `annotated`.
fn article(sb: &Sandbox, rel: &str, annotated: bool) {
    let p = sb.write(rel, "Polisi mengatakan truk itu membawa ikan.\n");
    if annotated {
        let l = store::open(&p, LoadOptions::default()).unwrap();
        store::save_over(&l.path, &l.annotations, LABELS).unwrap();
    }
}

/// The files a command's `--json` report lists, relative to the sandbox.
fn listed(sb: &Sandbox, args: &[&str]) -> BTreeSet<String> {
    let run = sb.run(args);
    assert!(run.code <= 1, "{args:?}: {run:#?}");
    let j = run.json();
    j["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| relative(sb.path(), Path::new(f["file"].as_str().unwrap())))
        .collect()
}

fn relative(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn stats_check_and_the_corpus_see_the_same_files() {
    let sb = Sandbox::new();
    article(&sb, "c/a.txt", true);
    article(&sb, "c/b.TXT", true);
    article(&sb, "c/bare.Txt", false);
    article(&sb, "c/sub/real.txt", true);
    // Skipped: hidden, build output, dependencies.
    article(&sb, "c/.hidden.txt", true);
    article(&sb, "c/.git/x.txt", true);
    article(&sb, "c/target/t.txt", true);
    article(&sb, "c/sub/node_modules/n.txt", true);
    // Outside the folder walked.
    article(&sb, "elsewhere/secret.txt", true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        // A link to an article inside: listed under its own name, bare.
        symlink(sb.join("c/sub/real.txt"), sb.join("c/in.txt")).unwrap();
        // Links out (an article and an annotation file): skipped.
        symlink(sb.join("elsewhere/secret.txt"), sb.join("c/out.txt")).unwrap();
        symlink(
            sb.join("elsewhere/secret.tandai.ron"),
            sb.join("c/out.tandai.ron"),
        )
        .unwrap();
        // A link to a folder: never followed.
        symlink(sb.join("elsewhere"), sb.join("c/away")).unwrap();
    }

    let entries = corpus::list(&sb.join("c")).unwrap();
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    let mut want = vec!["a.txt", "b.TXT", "bare.Txt", "in.txt", "sub/real.txt"];
    if cfg!(not(unix)) {
        want.retain(|n| *n != "in.txt");
    }
    assert_eq!(names, want);

    // What the corpus says each article is: its annotation file if it has
    // one, else the article itself.
    let mut as_stats = BTreeSet::new();
    let mut annotated = BTreeSet::new();
    for e in &entries {
        if e.annotation.exists() {
            annotated.insert(relative(sb.path(), &e.annotation));
            as_stats.insert(relative(sb.path(), &e.annotation));
        } else {
            as_stats.insert(relative(sb.path(), &e.article));
        }
    }
    assert!(annotated.contains("c/b.tandai.ron"), "{annotated:?}");
    assert!(as_stats.contains("c/bare.Txt"), "{as_stats:?}");

    assert_eq!(listed(&sb, &["stats", "--json", "c"]), as_stats);
    assert_eq!(listed(&sb, &["check", "--json", "c"]), annotated);
}
