#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]
//! How good tandai's built-in suggestions are, on the project's own gold
//! set (`tests/data/gold`: eight original wire stories, four Indonesian and
//! four English, annotated by hand; `dev/` is what the rules were tuned on,
//! `heldout/` what they were not). Each story's suggestions are compared
//! with its gold by the agreement module (`tandai::agree`), the
//! suggestions counted as if a reviewer accepted them all: overlap F1 per
//! label (same label, at least one shared code point, matched one to one)
//! and link F1 (same kind, both ends matching exactly). The test prints
//! the table the README quotes and fails if a figure drops below its floor.

use std::path::{Path, PathBuf};

use tandai::agree::{Document, Report, agree};
use tandai::edit::apply_all;
use tandai::interop::tags::import_tags;
use tandai::model::{Annotations, Status};
use tandai::schema::Schema;
use tandai::store::{self, LoadOptions};
use tandai::suggest::{Rules, builtin, tags_jsonl};

const GOLD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/gold");

/// The gold annotation files of one set and language.
fn gold_files(set: &str, lang: &str) -> Vec<PathBuf> {
    let dir = Path::new(GOLD).join(set).join(lang);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| store::is_annotation_file(p))
        .collect();
    v.sort();
    v
}

/// The built-in suggestions for a loaded article, as a reviewer who
/// accepted them all would have them.
fn suggested(loaded: &store::Loaded) -> Annotations {
    let text = &loaded.article.text;
    let tags = tags_jsonl(&builtin(text, &Rules::builtin()));
    let mut ann = Annotations::new(loaded.annotations.document.clone());
    let imp = import_tags(&ann, text, &Schema::builtin(), tags.as_bytes(), &|_| true);
    assert!(imp.report.problems.is_empty(), "{:?}", imp.report.problems);
    apply_all(&mut ann, text, imp.edits).unwrap();
    let ids: Vec<_> = ann.ids().collect();
    for id in ids {
        let mut s = ann.span(id).unwrap().clone();
        s.status = Some(Status::Accepted);
        ann.replace_span(s).unwrap();
    }
    ann
}

/// The agreement of the suggestions with the gold over `files`.
fn score(files: &[PathBuf]) -> Report {
    let loaded: Vec<store::Loaded> = files
        .iter()
        .map(|f| store::load(f, LoadOptions::default()).unwrap())
        .collect();
    let ours: Vec<Annotations> = loaded.iter().map(suggested).collect();
    let docs: Vec<Document> = loaded
        .iter()
        .zip(&ours)
        .map(|(l, o)| Document {
            name: l.path.display().to_string(),
            chars: l.article.text.len_chars(),
            annotations: vec![&l.annotations, o],
        })
        .collect();
    agree(&["gold".to_owned(), "rules".to_owned()], &docs).unwrap()
}

/// (source, claim, denial, micro, links) overlap F1, links exact.
fn figures(r: &Report) -> [f64; 5] {
    let label = |l: &str| {
        r.labels
            .get(l)
            .and_then(|x| x.overlap.f1.value())
            .unwrap_or(0.0)
    };
    [
        label("source"),
        label("claim"),
        label("denial"),
        r.micro.overlap.f1.value().unwrap_or(0.0),
        r.links.all.f1.value().unwrap_or(0.0),
    ]
}

#[test]
fn the_rules_reach_their_figures_on_the_gold_stories() {
    // Floors: the goals (sources 0.75, claims 0.6, micro 0.65)
    // and, so that a change that makes the rules worse is caught, a little
    // under what they reach today (see the README).
    let floors: [(&str, [f64; 5]); 2] = [
        ("id", [0.91, 0.88, 0.90, 0.90, 0.70]),
        ("en", [0.93, 0.90, 0.90, 0.92, 0.65]),
    ];
    println!("set      lang  source  claim  denial  micro  links");
    for (lang, floor) in floors {
        for set in ["dev", "heldout"] {
            let f = figures(&score(&gold_files(set, lang)));
            println!(
                "{set:8} {lang:4}  {:.3}   {:.3}  {:.3}   {:.3}  {:.3}",
                f[0], f[1], f[2], f[3], f[4]
            );
        }
        let mut all = gold_files("dev", lang);
        all.extend(gold_files("heldout", lang));
        let f = figures(&score(&all));
        println!(
            "all      {lang:4}  {:.3}   {:.3}  {:.3}   {:.3}  {:.3}",
            f[0], f[1], f[2], f[3], f[4]
        );
        for (name, (got, want)) in ["source", "claim", "denial", "micro", "links"]
            .iter()
            .zip(f.iter().zip(floor))
        {
            assert!(*got >= want, "{lang} {name}: {got:.3} is below {want}");
        }
    }
}
