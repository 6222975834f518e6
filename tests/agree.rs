#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

//! `tandai agree` run as a user would: a real-style article annotated by
//! three people (`tests/fixtures/agree/`), checked against figures that
//! independent tools gave on the same files; corpora of folders; names;
//! and the errors that stop it.
//!
//! The reference figures were produced by
//! `tests/fixtures/agree/reference/` (see its README): kappa by
//! scikit-learn 1.9.1 (`cohen_kappa_score`) and statsmodels 0.15.0
//! (`fleiss_kappa` on `aggregate_raters`), each code point an item;
//! `alpha_U` (and kappa again) by DKPro Agreement's own classes
//! (dkpro-statistics at f7f4f89, `KrippendorffAlphaUnitizingAgreement`,
//! `CohenKappaAgreement`, `FleissKappaAgreement`); precision, recall and F1
//! by a plain Python reading of the definitions. All agreed with tandai to
//! 4e-16; the tests hold it to 1e-9.

mod common;

use common::{Run, Sandbox, annotation, bare_span, char_range, span};
use serde_json::Value;

const TOLERANCE: f64 = 1e-9;

/// The fixture's article and three annotation files, copied into a
/// sandbox.
fn ferry() -> Sandbox {
    let sb = Sandbox::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agree");
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

#[track_caller]
fn near(v: &Value, want: f64) {
    let got = v
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {v} (want {want})"));
    assert!((got - want).abs() < TOLERANCE, "got {got}, expected {want}");
}

#[track_caller]
fn prf(v: &Value, p: f64, r: f64, f1: f64) {
    near(&v["p"], p);
    near(&v["r"], r);
    near(&v["f1"], f1);
}

fn agree(sb: &Sandbox, args: &[&str]) -> Run {
    let mut all = vec!["agree"];
    all.extend_from_slice(args);
    sb.run(&all)
}

#[test]
fn three_annotators_match_the_reference_implementations() {
    let sb = ferry();
    let run = agree(
        &sb,
        &[
            "ana.tandai.ron",
            "budi.tandai.ron",
            "citra.tandai.ron",
            "--json",
        ],
    );
    run.assert_code(0);
    assert!(run.stderr.is_empty(), "{run:#?}");
    let j = run.json();
    assert_eq!(j["annotators"], serde_json::json!(["ana", "budi", "citra"]));
    assert_eq!(j["documents"], 1);
    assert_eq!(j["code_points"], 553);
    assert_eq!(j["kappa_measure"], "fleiss");
    let l = &j["labels"];
    // Fleiss' kappa: statsmodels (DKPro: the same to 6e-16).
    near(&l["claim"]["kappa"], 0.735_386_564_975_752_7);
    near(&l["denial"]["kappa"], 0.319_151_846_785_226_1);
    near(&l["source"]["kappa"], 0.772_663_739_660_927_5);
    // alpha_U over three raters: DKPro, with its D_o and D_e.
    near(&l["claim"]["alpha_u"], 0.809_342_759_373_237_6);
    near(&l["denial"]["alpha_u"], 0.239_548_628_477_342_15);
    near(&l["source"]["alpha_u"], 0.822_437_258_100_942_3);
    near(
        &l["claim"]["alpha_u_disagreement"]["observed"],
        0.008_717_859_840_619_471,
    );
    near(
        &l["claim"]["alpha_u_disagreement"]["expected"],
        0.045_725_301_656_315_664,
    );
    near(&j["micro"]["alpha_u"], 0.695_007_968_941_088);
    // Means of the pairwise figures.
    prf(
        &l["claim"]["exact"],
        0.533_333_333_333_333_3,
        0.633_333_333_333_333_3,
        0.577_777_777_777_777_8,
    );
    prf(
        &l["claim"]["overlap"],
        0.8,
        0.933_333_333_333_333_2,
        0.859_259_259_259_259_2,
    );
    prf(&l["denial"]["exact"], 0.0, 0.0, 0.0);
    prf(&l["denial"]["overlap"], 0.5, 0.5, 0.333_333_333_333_333_3);
    prf(
        &l["source"]["exact"],
        0.583_333_333_333_333_4,
        0.5,
        0.537_037_037_037_037_1,
    );
    prf(
        &l["source"]["overlap"],
        0.916_666_666_666_666_6,
        0.783_333_333_333_333_3,
        0.842_592_592_592_592_6,
    );
    prf(
        &j["links"],
        0.283_333_333_333_333_4,
        0.283_333_333_333_333_4,
        0.281_481_481_481_481_5,
    );
    assert_eq!(j["pairs"].as_array().unwrap().len(), 3);
    assert_eq!(j["pairs"][2]["reference"], "budi");
    // ana's pending machine span and budi's rejected one are left out.
    assert_eq!(j["skipped"]["by_annotator"]["ana"]["pending"], 1);
    assert_eq!(j["skipped"]["by_annotator"]["budi"]["rejected"], 1);
    assert_eq!(j["labels"]["claim"]["spans"]["ana"], 4);
}

#[test]
fn two_annotators_match_cohen_and_dkpro() {
    let sb = ferry();
    // (other, [(label, Cohen's kappa by scikit-learn, alpha_U by DKPro)],
    //  DKPro's alpha_U of the study, links F1)
    #[rustfmt::skip]
    let cases = [
        ("budi.tandai.ron", [
            ("claim", 0.711_158_420_882_121_6, 0.729_146_125_553_443_9),
            ("denial", 0.0, -0.202_791_948_743_938_7),
            ("source", 0.845_401_174_168_297_4, 0.857_634_109_450_972_8),
        ], 0.651_852_552_392_642_7, 0.222_222_222_222_222_2),
        ("citra.tandai.ron", [
            ("claim", 0.891_034_482_758_620_7, 0.953_071_177_444_949_7),
            ("denial", 0.712_889_979_704_535_8, 0.817_530_506_294_257_4),
            ("source", 0.802_005_012_531_328_3, 0.874_662_500_087_508_8),
        ], 0.910_409_670_082_677_5, 0.4),
    ];
    for (other, labels, study, links) in cases {
        let run = agree(&sb, &["ana.tandai.ron", other, "--json"]);
        run.assert_code(0);
        let j = run.json();
        assert_eq!(j["kappa_measure"], "cohen");
        for (label, kappa, alpha) in labels {
            near(&j["labels"][label]["kappa"], kappa);
            near(&j["labels"][label]["alpha_u"], alpha);
        }
        near(&j["micro"]["alpha_u"], study);
        near(&j["links"]["f1"], links);
        assert!(j.get("pairs").is_none(), "two annotators are one pair");
    }
    // ana against budi, counted.
    let j = agree(&sb, &["ana.tandai.ron", "budi.tandai.ron", "--json"]).json();
    let claim = &j["labels"]["claim"];
    assert_eq!(
        (
            &claim["exact"]["tp"],
            &claim["exact"]["fp"],
            &claim["exact"]["fn"]
        ),
        (&3.into(), &2.into(), &1.into())
    );
    prf(&claim["exact"], 0.6, 0.75, 0.666_666_666_666_666_6);
    prf(&claim["overlap"], 0.8, 1.0, 0.888_888_888_888_888_8);
    // budi has no denial: precision is undefined, and says why.
    let denial = &j["labels"]["denial"]["exact"];
    assert_eq!(denial["p"], Value::Null);
    assert_eq!(denial["p_undefined"], "budi has no denial spans");
    near(&denial["r"], 0.0);
}

/// The reference tools themselves, where they are installed: set
/// `TANDAI_REFERENCE_PYTHON` to a Python with scikit-learn and statsmodels
/// (else `python3` is tried) to compare live.
#[test]
fn reference_tools_agree_when_installed() {
    let python = std::env::var("TANDAI_REFERENCE_PYTHON").unwrap_or_else(|_| "python3".into());
    let has_tools = std::process::Command::new(&python)
        .args(["-c", "import sklearn, statsmodels"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_tools {
        println!("skipped: {python} has no scikit-learn and statsmodels");
        return;
    }
    let sb = ferry();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/agree/reference/ref.py");
    for names in ["ana,budi", "ana,citra", "ana,budi,citra"] {
        let out = std::process::Command::new(&python)
            .arg(&script)
            .arg(sb.path())
            .arg(names)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let want: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut args: Vec<String> = names
            .split(',')
            .map(|n| format!("{n}.tandai.ron"))
            .collect();
        args.push("--json".into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let got = agree(&sb, &args).json();
        for (label, w) in want["labels"].as_object().unwrap() {
            let g = &got["labels"][label];
            near(&g["kappa"], w["kappa"].as_f64().unwrap());
            for m in ["exact", "overlap"] {
                for k in ["p", "r", "f1"] {
                    match w[m][k].as_f64() {
                        Some(x) => near(&g[m][k], x),
                        None => assert_eq!(g[m][k], Value::Null, "{label} {m} {k}"),
                    }
                }
            }
        }
        near(&got["links"]["f1"], want["links"]["f1"].as_f64().unwrap());
        println!("{names}: tandai agrees with the reference tools");
    }
}

#[test]
fn the_text_output_is_a_readable_table() {
    let sb = ferry();
    let run = agree(
        &sb,
        &["ana.tandai.ron", "budi.tandai.ron", "citra.tandai.ron"],
    );
    run.assert_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0]
            .starts_with("annotators: ana (reference), budi, citra; 1 document, 553 code points"),
        "{}",
        run.stdout
    );
    assert!(lines[1].contains("Fleiss'"), "{}", run.stdout);
    let row = |name: &str| {
        *lines
            .iter()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row {name}:\n{}", run.stdout))
    };
    let claim: Vec<&str> = row("claim ").split_whitespace().collect();
    assert_eq!(
        claim,
        [
            "claim", "4/5/5", "0.533", "0.633", "0.578", "0.800", "0.933", "0.859", "0.735",
            "0.809"
        ]
    );
    assert!(row("all labels").ends_with("0.695"), "{}", run.stdout);
    assert!(row("links").contains("0.281"), "{}", run.stdout);
    assert!(row("budi / citra").contains("0.421"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("skipped: ana 1 pending; budi 1 rejected; citra none"),
        "{}",
        run.stdout
    );
    // Two annotators: Cohen's kappa and no pair table.
    let two = agree(&sb, &["ana.tandai.ron", "budi.tandai.ron"]);
    assert!(two.stdout.contains("kappa: Cohen's"), "{}", two.stdout);
    assert!(
        !two.stdout.contains("pair (reference first)"),
        "{}",
        two.stdout
    );
    assert!(
        two.stdout
            .contains("denial exact P, denial overlap P: budi has no denial spans"),
        "{}",
        two.stdout
    );
}

/// A small article, annotated by hand-written files.
const BERITA: &str =
    "Polisi menyebut jalan tol ditutup sementara. Warga membantah ada banjir besar.\n";

fn write_set(sb: &Sandbox, rel: &str, doc: &str, spans: &[(&str, &str)]) {
    let spans: Vec<String> = spans
        .iter()
        .enumerate()
        .map(|(i, (label, q))| span(i as u64 + 1, label, char_range(BERITA, q), q))
        .collect();
    sb.write(rel, annotation(doc, &spans, &[]));
}

#[test]
fn names_come_from_spans_stems_or_names() {
    let sb = ferry();
    sb.write("ferry.tandai.ron", sb.read("ana.tandai.ron"));
    // An article stands for its annotation file; its spans carry "ana".
    let j = agree(&sb, &["ferry.txt", "budi.tandai.ron", "--json"]).json();
    assert_eq!(j["annotators"], serde_json::json!(["ana", "budi"]));
    // Spans with no name: the file's stem.
    sb.write("berita.txt", BERITA);
    write_set(&sb, "x1.tandai.ron", "berita.txt", &[("source", "Polisi")]);
    write_set(&sb, "x2.tandai.ron", "berita.txt", &[("source", "Warga")]);
    let j = agree(&sb, &["x1.tandai.ron", "x2.tandai.ron", "--json"]).json();
    assert_eq!(j["annotators"], serde_json::json!(["x1", "x2"]));
    assert_eq!(j["sets"][1]["path"], "x2.tandai.ron");
    // The same file twice is allowed (agreement with oneself) and named
    // apart.
    let j = agree(&sb, &["x1.tandai.ron", "x1.tandai.ron", "--json"]).json();
    assert_eq!(j["annotators"], serde_json::json!(["x1", "x1#2"]));
    near(&j["labels"]["source"]["alpha_u"], 1.0);
    // Files of one name in two folders: their paths.
    for who in ["p", "q"] {
        sb.write(&format!("{who}/berita.txt"), BERITA);
        write_set(
            &sb,
            &format!("{who}/x.tandai.ron"),
            "berita.txt",
            &[("source", "Polisi")],
        );
    }
    let j = agree(&sb, &["p/x.tandai.ron", "q/x.tandai.ron", "--json"]).json();
    assert_eq!(
        j["annotators"],
        serde_json::json!(["p/x.tandai.ron", "q/x.tandai.ron"])
    );
    // --names wins.
    let j = agree(
        &sb,
        &[
            "x1.tandai.ron",
            "x2.tandai.ron",
            "--names",
            "rina,sari",
            "--json",
        ],
    )
    .json();
    assert_eq!(j["annotators"], serde_json::json!(["rina", "sari"]));
    assert_eq!(j["labels"]["source"]["spans"]["sari"], 1);
    for bad in ["rina", "rina,rina", "a,b,c"] {
        let run = agree(&sb, &["x1.tandai.ron", "x2.tandai.ron", "--names", bad]);
        run.assert_code(2).assert_stderr_has(&["--names"]);
        assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn two_folders_are_one_corpus_matched_by_relative_path() {
    let sb = Sandbox::new();
    for who in ["ana", "ronde-1.2"] {
        sb.write(&format!("{who}/berita.txt"), BERITA);
        sb.write(&format!("{who}/sub/berita.txt"), BERITA);
    }
    write_set(
        &sb,
        "ana/berita.tandai.ron",
        "berita.txt",
        &[
            ("source", "Polisi"),
            ("claim", "jalan tol ditutup sementara"),
        ],
    );
    write_set(
        &sb,
        "ronde-1.2/berita.tandai.ron",
        "berita.txt",
        &[("source", "Polisi"), ("claim", "jalan tol ditutup")],
    );
    write_set(
        &sb,
        "ana/sub/berita.tandai.ron",
        "berita.txt",
        &[
            ("source", "Warga"),
            ("denial", "membantah ada banjir besar"),
        ],
    );
    write_set(
        &sb,
        "ronde-1.2/sub/berita.tandai.ron",
        "berita.txt",
        &[
            ("source", "Warga"),
            ("denial", "membantah ada banjir besar"),
        ],
    );
    // Only in ana's folder: left out, and said.
    write_set(
        &sb,
        "ana/lain.tandai.ron",
        "berita.txt",
        &[("claim", "banjir")],
    );
    // Hand-written spans carry no name: the folders' names.
    let run = agree(&sb, &["ana", "ronde-1.2", "--json", "--per-doc"]);
    run.assert_code(0)
        .assert_stderr_has(&["note: lain.tandai.ron is left out", "only in ana"]);
    let j = run.json();
    assert_eq!(j["annotators"], serde_json::json!(["ana", "ronde-1.2"]));
    assert_eq!(j["documents"], 2);
    let chars = BERITA.chars().count();
    assert_eq!(j["code_points"], 2 * chars);
    // Counts add up over the documents.
    let exact = &j["micro"]["exact"];
    assert_eq!(
        (&exact["tp"], &exact["fp"], &exact["fn"]),
        (&3.into(), &1.into(), &1.into())
    );
    assert_eq!(j["unmatched"][0]["file"], "lain.tandai.ron");
    let per = j["per_document"].as_array().unwrap();
    let docs: Vec<&str> = per
        .iter()
        .map(|d| d["document"].as_str().unwrap())
        .collect();
    assert_eq!(docs, ["berita.tandai.ron", "sub/berita.tandai.ron"]);
    assert_eq!(per[1]["code_points"], chars);
    near(&per[1]["micro"]["exact"]["f1"], 1.0);
    assert_eq!(per[0]["labels"]["claim"]["exact"]["tp"], 0);
    // The corpus' kappa counts every code point of both documents: claim
    // covers 27 (ana) and 17 (budi) of 2·79, the 17 shared.
    let (n, a, b) = (2.0 * chars as f64, 27.0, 17.0);
    let agreeing = 17.0 + (n - a - b + 17.0);
    let expected = (a * b + (n - a) * (n - b)) / (n * n);
    near(
        &j["labels"]["claim"]["kappa"],
        (agreeing / n - expected) / (1.0 - expected),
    );
    // The text output with --per-doc names each document.
    let text = agree(&sb, &["ana/", "ronde-1.2", "--per-doc"]);
    assert!(
        text.stdout.contains("\nsub/berita.tandai.ron:\n"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("2 documents, 158 code points"),
        "{}",
        text.stdout
    );
}

#[test]
fn overlapping_spans_of_one_annotator_leave_alpha_null_with_the_reason() {
    let sb = Sandbox::new();
    sb.write("berita.txt", BERITA);
    write_set(
        &sb,
        "a.tandai.ron",
        "berita.txt",
        &[("claim", "jalan tol ditutup sementara")],
    );
    write_set(
        &sb,
        "b.tandai.ron",
        "berita.txt",
        &[
            ("claim", "jalan tol ditutup sementara"),
            ("claim", "ditutup"),
        ],
    );
    let j = agree(&sb, &["a.tandai.ron", "b.tandai.ron", "--json"]).json();
    let claim = &j["labels"]["claim"];
    assert_eq!(claim["alpha_u"], Value::Null);
    let r = char_range(BERITA, "jalan tol ditutup sementara");
    let inner = char_range(BERITA, "ditutup");
    assert_eq!(
        claim["alpha_u_undefined"],
        format!(
            "annotator b has overlapping claim spans ({}..{} and {}..{})",
            r.start, r.end, inner.start, inner.end
        )
    );
    assert_eq!(j["micro"]["alpha_u"], Value::Null);
    assert!(claim["kappa"].is_number());
    let text = agree(&sb, &["a.tandai.ron", "b.tandai.ron"]);
    assert!(
        text.stdout
            .contains("claim alpha_U, all labels alpha_U: annotator b has overlapping claim spans"),
        "{}",
        text.stdout
    );
}

#[test]
fn what_cannot_be_compared_stops_with_one_line() {
    let sb = ferry();
    sb.write("berita.txt", BERITA);
    sb.write(
        "lain.tandai.ron",
        annotation("berita.txt", &[bare_span(1, "claim", 0..6)], &[]),
    );
    sb.write("folder/x.txt", BERITA);
    for (args, needle) in [
        (
            vec!["ana.tandai.ron", "lain.tandai.ron"],
            "ana.tandai.ron and lain.tandai.ron annotate different articles (ferry.txt and berita.txt)",
        ),
        (
            vec!["ana.tandai.ron", "hilang.tandai.ron"],
            "hilang.tandai.ron",
        ),
        (vec!["ana.tandai.ron", "berita.txt"], "no annotation file"),
        (vec!["ana.tandai.ron", "folder"], "not both"),
        (
            vec!["folder", "folder"],
            "no annotation file (*.tandai.ron) is in every one of",
        ),
    ] {
        let mut all = args.clone();
        for json in [false, true] {
            if json {
                all.push("--json");
            }
            let run = agree(&sb, &all);
            run.assert_code(2).assert_stderr_has(&["tandai: ", needle]);
            assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
            assert!(run.stdout.is_empty(), "{run:#?}");
        }
    }
    // One set is not a study (clap's usage error, exit 2).
    agree(&sb, &["ana.tandai.ron"]).assert_code(2);
}
