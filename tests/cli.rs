#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

//! The `tandai` command line, run as a user would: exit codes, messages,
//! JSON output, and that nothing is written unless `--fix` has something to
//! repair.

mod common;

use std::collections::BTreeSet;

use common::{
    Run, Sandbox, annotation, bare_span, byte_range, char_range, char_slice, link, parse_file,
    span, utf16_range,
};

const BUILTIN_LABELS: [&str; 3] = ["claim", "source", "denial"];

// ---------------------------------------------------------------------------
// 1. The examples
// ---------------------------------------------------------------------------

#[test]
fn examples_check_clean_and_stats_totals_match_the_files() {
    let dir = common::examples_dir();
    let dir_arg = dir.to_str().unwrap();
    let sb = Sandbox::new();
    let before = common::Snapshot::of(&dir);

    let text = sb.run(&["check", dir_arg]);
    text.assert_code(0);
    assert!(text.stderr.is_empty(), "{text:#?}");
    assert_eq!(text.stdout.lines().count(), 2, "{text:#?}");
    assert!(
        text.stdout
            .lines()
            .all(|l| l.ends_with("0 relocated, 0 orphans, 0 findings")),
        "{text:#?}"
    );

    // The numbers the files themselves hold.
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".tandai.ron"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 2);
    let parsed: Vec<_> = files.iter().map(|p| parse_file(p)).collect();
    let spans: usize = parsed.iter().map(|f| f.spans.len()).sum();
    let links: usize = parsed.iter().map(|f| f.links.len()).sum();
    assert_eq!(spans, 40, "the examples hold 40 spans");

    let check = sb.run(&["check", "--json", dir_arg]);
    check.assert_code(0);
    assert_eq!(check.number("spans"), spans as u64);
    assert_eq!(check.number("relocated"), 0);
    assert_eq!(check.number("orphans"), 0);
    assert!(check.kinds().is_empty(), "{check:#?}");
    let j = check.json();
    assert_eq!(j["files"].as_array().unwrap().len(), 2);
    assert!(j.get("file").is_none(), "`file` only with a single file");

    let stats = sb.run(&["stats", "--json", dir_arg]);
    stats.assert_code(0);
    let s = stats.json();
    let total = &s["total"];
    assert_eq!(total["files"], 2);
    assert_eq!(total["spans"], spans);
    assert_eq!(total["links"], links);
    assert_eq!(total["orphans"], 0);
    assert_eq!(
        total["human"].as_u64().unwrap() + total["machine"].as_u64().unwrap(),
        spans as u64
    );
    let per_file = s["files"].as_array().unwrap();
    assert_eq!(per_file.len(), 2);
    for (fc, raw) in per_file.iter().zip(&parsed) {
        for key in [
            "file",
            "spans",
            "labels",
            "links",
            "link_kinds",
            "human",
            "machine",
            "statuses",
            "orphans",
        ] {
            assert!(fc.get(key).is_some(), "stats file entry lacks {key}: {fc}");
        }
        assert_eq!(fc["spans"], raw.spans.len());
        assert_eq!(fc["links"], raw.links.len());
        for label in BUILTIN_LABELS {
            let want = raw.spans.iter().filter(|sp| sp.label == label).count();
            assert_eq!(fc["labels"][label].as_u64().unwrap_or(0), want as u64);
        }
        let label_sum: u64 = fc["labels"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(label_sum, raw.spans.len() as u64);
    }
    for label in BUILTIN_LABELS {
        let want: u64 = per_file
            .iter()
            .map(|f| f["labels"][label].as_u64().unwrap_or(0))
            .sum();
        assert_eq!(total["labels"][label], want);
    }

    // Each article on its own: the annotation file beside it is checked.
    for stem in ["kompas-artileri", "reuters-drones"] {
        let article = dir.join(format!("{stem}.txt"));
        let r = sb.run(&["check", "--json", article.to_str().unwrap()]);
        r.assert_code(0);
        let file = r.json()["file"].as_str().unwrap().to_owned();
        assert!(file.ends_with(&format!("{stem}.tandai.ron")), "{file}");
        assert_eq!(r.number("spans"), 20);
    }
    before.assert_same(&common::Snapshot::of(&dir), "checking the examples");
}

#[test]
fn examples_are_written_byte_for_byte_as_tandai_writes_them() {
    // Forget the recorded hash: the article "changed", every span is placed
    // again, and `--fix` saves. The result must be the original bytes.
    let sb = Sandbox::new();
    for stem in sb.copy_examples() {
        let ann = format!("{stem}.tandai.ron");
        let original = sb.read_string(&ann);
        let (head, rest) = original.split_once("sha256: \"").unwrap();
        let (_, tail) = rest.split_once('"').unwrap();
        sb.write(&ann, format!("{head}sha256: \"{}\"{tail}", "0".repeat(64)));

        let r = sb.run(&["check", "--json", &ann]);
        r.assert_code(1);
        assert_eq!(r.kinds(), ["article_changed"], "{r:#?}");

        let fix = sb.run(&["check", "--fix", &ann]);
        fix.assert_code(0)
            .assert_stdout_has(&["20 spans", "fixed and saved"]);
        assert_eq!(
            sb.read_string(&ann),
            original,
            "{stem}: re-saved bytes differ"
        );
        sb.run(&["check", &ann]).assert_code(0);
    }
}

// ---------------------------------------------------------------------------
// 2. Offsets are code points over the exact text
// ---------------------------------------------------------------------------

struct Article {
    name: &'static str,
    text: &'static str,
    /// (label, quote); quotes are unique in the text.
    spans: &'static [(&'static str, &'static str)],
}

const ARTICLES: &[Article] = &[
    Article {
        name: "emoji",
        text: "Menteri itu menulis 👍🏽 dan 👋🏿 di akun resminya, lalu 👨\u{200d}👩\u{200d}👧 keluarga: “Kami tidak pernah mengirim senjata.” Pernyataan itu dikutip Kantor Berita 𝕏.",
        spans: &[
            ("source", "Menteri itu"),
            ("claim", "👍🏽 dan 👋🏿"),
            ("denial", "Kami tidak pernah mengirim senjata."),
            ("source", "Kantor Berita 𝕏"),
        ],
    },
    Article {
        name: "combining",
        text: "Le porte-parole du ministe\u{300}re a de\u{301}clare\u{301} que l’accord e\u{301}tait « caduc », selon l’agence.",
        spans: &[
            ("source", "Le porte-parole du ministe\u{300}re"),
            ("claim", "l’accord e\u{301}tait « caduc »"),
            ("source", "l’agence"),
        ],
    },
    Article {
        name: "cjk",
        text: "外交部发言人毛宁表示，有关报道“完全是捏造”。她说中方从未向该地区提供无人机。𠀋字在扩展区。",
        spans: &[
            ("source", "外交部发言人毛宁"),
            ("denial", "完全是捏造"),
            ("claim", "中方从未向该地区提供无人机"),
            ("claim", "𠀋字"),
        ],
    },
    Article {
        name: "arabic",
        text: "قال المتحدث باسم وزارة الخارجية إن التقارير «كاذبة تماماً»، مضيفاً أن بلاده لم ترسل أي طائرات مسيرة.",
        spans: &[
            ("source", "المتحدث باسم وزارة الخارجية"),
            ("denial", "كاذبة تماماً"),
            ("claim", "بلاده لم ترسل أي طائرات مسيرة"),
        ],
    },
    Article {
        name: "crlf-bom",
        text: "\u{feff}JAKARTA, KOMPAS.TV —\r\nGedung Putih menuding Korea Utara mengirim peluru.\r\n\r\nPyongyang membantah tuduhan itu.\r\n",
        spans: &[
            ("source", "Gedung Putih"),
            ("claim", "Korea Utara mengirim peluru.\r\n\r\nPyongyang"),
            ("denial", "membantah tuduhan itu"),
        ],
    },
];

fn ids(a: &Article) -> impl Iterator<Item = (u64, &'static str, &'static str)> {
    (1u64..).zip(a.spans).map(|(id, &(l, q))| (id, l, q))
}

#[test]
fn offset_helpers_count_like_python() {
    // Values printed by CPython: len("a👍🏽 e\u0301b") == 7, .index("b") == 6;
    // s = "\ufeffA\r\nB 👨‍👩‍👧 𠀋 é": len(s) == 15, s.index("𠀋") == 12.
    assert_eq!(char_range("a👍🏽 e\u{301}b", "b"), 6..7);
    let s = "\u{feff}A\r\nB 👨\u{200d}👩\u{200d}👧 𠀋 é";
    assert_eq!(s.chars().count(), 15);
    assert_eq!(char_range(s, "𠀋"), 12..13);
    assert_eq!(utf16_range(s, "𠀋"), 15..17);
}

#[test]
fn unicode_articles_with_code_point_offsets_check_clean() {
    for a in ARTICLES {
        let sb = Sandbox::new();
        sb.write("a.txt", a.text);
        let quoted: Vec<String> = ids(a)
            .map(|(id, l, q)| span(id, l, char_range(a.text, q), q))
            .collect();
        let bare: Vec<String> = ids(a)
            .map(|(id, l, q)| bare_span(id, l, char_range(a.text, q)))
            .collect();
        for (variant, spans) in [("quoted", &quoted), ("offsets only", &bare)] {
            sb.write("a.tandai.ron", annotation("a.txt", spans, &[]));
            let before = sb.snapshot();
            let r = sb.run(&["check", "--json", "a.txt"]);
            let ctx = format!("{} ({variant})", a.name);
            assert_eq!(r.code, 0, "{ctx}: {r:#?}");
            assert!(r.kinds().is_empty(), "{ctx}: {r:#?}");
            assert_eq!(r.number("spans"), a.spans.len() as u64, "{ctx}");
            assert_eq!(r.number("relocated"), 0, "{ctx}");
            assert_eq!(r.number("orphans"), 0, "{ctx}");
            // Nothing to repair, so --fix writes nothing.
            let fix = sb.run(&["check", "--fix", "a.tandai.ron"]);
            assert_eq!(fix.code, 0, "{ctx}: {fix:#?}");
            assert!(!fix.stdout.contains("fixed and saved"), "{ctx}: {fix:#?}");
            before.assert_same(&sb.snapshot(), &ctx);
        }
    }
}

#[test]
fn wrong_offsets_are_found_and_fixed_to_code_points() {
    type Wrong = fn(&str, &str) -> std::ops::Range<usize>;
    let shift: Wrong = |t, q| {
        let r = char_range(t, q);
        r.start + 1..r.end + 1
    };
    let ways: [(&str, Wrong); 3] = [
        ("shifted by one", shift),
        ("UTF-8 bytes", byte_range),
        ("UTF-16 units", utf16_range),
    ];
    let mut cases = 0;
    for a in ARTICLES {
        for (how, wrong) in ways {
            // The last span is the one given wrong offsets.
            let (bad_id, _, bad_q) = ids(a).last().unwrap();
            let bad_range = wrong(a.text, bad_q);
            let right = char_range(a.text, bad_q);
            if bad_range == right {
                continue; // This unit agrees with code points for this text.
            }
            cases += 1;
            let ctx = format!("{}: {how}", a.name);
            let sb = Sandbox::new();
            sb.write("a.txt", a.text);
            let spans: Vec<String> = ids(a)
                .map(|(id, l, q)| {
                    let r = if id == bad_id {
                        bad_range.clone()
                    } else {
                        char_range(a.text, q)
                    };
                    span(id, l, r, q)
                })
                .collect();
            sb.write("a.tandai.ron", annotation("a.txt", &spans, &[]));
            let before = sb.snapshot();

            let r = sb.run(&["check", "--json", "a.tandai.ron"]);
            assert_eq!(r.code, 1, "{ctx}: {r:#?}");
            assert_eq!(r.number("relocated"), 1, "{ctx}");
            assert_eq!(r.number("orphans"), 0, "{ctx}");
            let kinds = r.kinds();
            let in_text = bad_range.end <= a.text.chars().count();
            let want = if in_text {
                ["text_mismatch", "relocated"]
            } else {
                ["out_of_range", "relocated"]
            };
            assert_eq!(kinds, want, "{ctx}: {r:#?}");
            for e in r.json()["errors"].as_array().unwrap() {
                assert_eq!(e["span"], bad_id, "{ctx}: {e}");
            }
            let moved = &r.errors_of("relocated")[0];
            let msg = moved["message"].as_str().unwrap();
            let expect = format!(
                "moved from {}..{} to {}..{}",
                bad_range.start, bad_range.end, right.start, right.end
            );
            assert!(msg.contains(&expect), "{ctx}: {msg} lacks {expect}");
            before.assert_same(&sb.snapshot(), &format!("{ctx}: check without --fix"));

            let fix = sb.run(&["check", "--fix", "a.tandai.ron"]);
            // Out of range, the fixing run still reports the (now repaired)
            // out_of_range finding and exits 1; see the report.
            let codes: &[i32] = if in_text { &[0] } else { &[0, 1] };
            assert!(codes.contains(&fix.code), "{ctx}: {fix:#?}");
            assert!(fix.stdout.contains("fixed and saved"), "{ctx}: {fix:#?}");
            let raw = parse_file(&sb.join("a.tandai.ron"));
            assert_eq!(raw.spans.len(), a.spans.len(), "{ctx}");
            for (s, (id, label, q)) in raw.spans.iter().zip(ids(a)) {
                assert_eq!((s.id, s.label.as_str()), (id, label), "{ctx}");
                assert_eq!(s.start..s.end, char_range(a.text, q), "{ctx}: span {id}");
                assert_eq!(s.text.as_deref(), Some(q), "{ctx}: span {id}");
            }
            let again = sb.run(&["check", "--json", "a.tandai.ron"]);
            assert_eq!(again.code, 0, "{ctx}: {again:#?}");
        }
    }
    assert!(cases >= 10, "only {cases} cases had offsets that differ");
}

// ---------------------------------------------------------------------------
// 3. The article edited after annotation
// ---------------------------------------------------------------------------

const INSERTED: &str = "Catatan redaksi: artikel ini diperbarui pada Selasa malam. ";

/// The span that is damaged: the longest one with a unique quote that
/// overlaps no other span.
fn victim(raw: &tandai::format::RawFile, text: &str) -> usize {
    let overlaps = |i: usize| {
        let a = &raw.spans[i];
        raw.spans
            .iter()
            .enumerate()
            .any(|(j, b)| j != i && a.start < b.end && b.start < a.end)
    };
    (0..raw.spans.len())
        .filter(|&i| {
            let q = raw.spans[i].text.as_deref().unwrap();
            text.matches(q).count() == 1 && q.split(' ').count() >= 3 && !overlaps(i)
        })
        .max_by_key(|&i| raw.spans[i].end - raw.spans[i].start)
        .expect("an example has a span that overlaps no other")
}

/// What [`edit_article`] did.
struct Edited {
    text: String,
    /// The damaged span, if any.
    victim: Option<u64>,
    /// Where the damaged quote ended in the old text, and how many chars
    /// longer it became.
    shift_after: Option<(usize, isize)>,
}

/// Inserts a sentence at the start and, if `damage`, changes the middle
/// word of one span.
fn edit_article(text: &str, raw: &tandai::format::RawFile, damage: bool) -> Edited {
    let mut edited = text.to_owned();
    let mut victim_id = None;
    let mut shift_after = None;
    if damage {
        let i = victim(raw, text);
        let s = &raw.spans[i];
        let q = s.text.as_deref().unwrap();
        let mut words: Vec<&str> = q.split(' ').collect();
        let mid = words.len() / 2;
        words[mid] = "DIUBAH";
        let changed = words.join(" ");
        assert_eq!(char_slice(text, s.start..s.end), q);
        edited = edited.replacen(q, &changed, 1);
        victim_id = Some(s.id);
        let grew = changed.chars().count().cast_signed() - q.chars().count().cast_signed();
        shift_after = Some((s.end, grew));
    }
    // Before the first span, after any leading byte-order mark.
    let at = usize::from(edited.starts_with('\u{feff}')) * 3;
    edited.insert_str(at, INSERTED);
    Edited {
        text: edited,
        victim: victim_id,
        shift_after,
    }
}

#[test]
fn edited_article_relocates_spans_keeps_orphans_and_fix_settles() {
    let sb = Sandbox::new();
    let stems = sb.copy_examples();
    for stem in &stems {
        for damage in [false, true] {
            let ctx = format!("{stem} (word changed: {damage})");
            let ann = format!("{stem}.tandai.ron");
            let art = format!("{stem}.txt");
            let ann_orig = std::fs::read(common::examples_dir().join(&ann)).unwrap();
            let text = std::fs::read_to_string(common::examples_dir().join(&art)).unwrap();
            sb.write(&ann, &ann_orig);
            let raw = parse_file(&sb.join(&ann));
            let n = raw.spans.len();
            let Edited {
                text: edited,
                victim: victim_id,
                shift_after,
            } = edit_article(&text, &raw, damage);
            sb.write(&art, &edited);
            let before = sb.snapshot();

            let r = sb.run(&["check", "--json", &art]);
            assert_eq!(r.code, 1, "{ctx}: {r:#?}");
            let orphans = usize::from(damage);
            assert_eq!(r.number("spans"), n as u64, "{ctx}: no span is lost");
            assert_eq!(r.number("orphans"), orphans as u64, "{ctx}");
            assert_eq!(r.number("relocated"), (n - orphans) as u64, "{ctx}");
            let kinds = r.kinds();
            assert_eq!(kinds[0], "article_changed", "{ctx}");
            assert_eq!(
                kinds.iter().filter(|k| *k == "relocated").count(),
                n - orphans
            );
            let orphan_errs = r.errors_of("orphan");
            assert_eq!(orphan_errs.len(), orphans, "{ctx}");
            if let Some(id) = victim_id {
                assert_eq!(orphan_errs[0]["span"], id, "{ctx}");
                assert!(
                    orphan_errs[0]["message"]
                        .as_str()
                        .unwrap()
                        .contains("kept as an orphan"),
                    "{ctx}"
                );
            }
            before.assert_same(&sb.snapshot(), &format!("{ctx}: check without --fix"));

            let fix = sb.run(&["check", "--fix", "--json", &art]);
            assert_eq!(fix.code, i32::from(damage), "{ctx}: {fix:#?}");
            assert_eq!(fix.json()["files"][0]["fixed"], true, "{ctx}");
            assert_ne!(sb.read(&ann), ann_orig, "{ctx}: --fix wrote nothing");

            let after = parse_file(&sb.join(&ann));
            assert_eq!(after.spans.len(), n, "{ctx}: the file lost spans");
            assert_eq!(after.links.len(), raw.links.len(), "{ctx}: links lost");
            let old_ids: BTreeSet<u64> = raw.spans.iter().map(|s| s.id).collect();
            let new_ids: BTreeSet<u64> = after.spans.iter().map(|s| s.id).collect();
            assert_eq!(old_ids, new_ids, "{ctx}");
            for s in &after.spans {
                let was = raw.spans.iter().find(|o| o.id == s.id).unwrap();
                assert_eq!(s.text, was.text, "{ctx}: span {} quote changed", s.id);
                assert_eq!(s.label, was.label, "{ctx}");
                if Some(s.id) == victim_id {
                    assert!(s.orphan, "{ctx}: span {} not marked orphan", s.id);
                } else {
                    assert!(!s.orphan, "{ctx}: span {}", s.id);
                    assert_eq!(
                        Some(char_slice(&edited, s.start..s.end).as_str()),
                        s.text.as_deref(),
                        "{ctx}: span {} is not where its quote is",
                        s.id
                    );
                    let mut want = was.start + INSERTED.chars().count();
                    if let Some((end, grew)) = shift_after
                        && was.start >= end
                    {
                        want = want.checked_add_signed(grew).unwrap();
                    }
                    assert_eq!(s.start, want, "{ctx}: span {} placed elsewhere", s.id);
                }
            }

            let again = sb.run(&["check", "--json", &art]);
            assert_eq!(again.code, i32::from(damage), "{ctx}: {again:#?}");
            assert_eq!(again.number("relocated"), 0, "{ctx}");
            assert_eq!(again.number("orphans"), orphans as u64, "{ctx}");
            let want: Vec<&str> = if damage { vec!["orphan"] } else { vec![] };
            assert_eq!(again.kinds(), want, "{ctx}");

            let stats = sb.run(&["stats", "--json", &ann]);
            stats.assert_code(0);
            assert_eq!(stats.json()["total"]["spans"], n, "{ctx}");
            assert_eq!(stats.json()["total"]["orphans"], orphans, "{ctx}");
            // A second --fix has nothing left to repair.
            let settled = sb.snapshot();
            sb.run(&["check", "--fix", &art]);
            settled.assert_same(&sb.snapshot(), &format!("{ctx}: second --fix"));
        }
    }
}

// ---------------------------------------------------------------------------
// 4. Bad input
// ---------------------------------------------------------------------------

const ART: &str =
    "Gedung Putih menuding Korea Utara mengirim peluru. Pyongyang membantah tuduhan itu.";

/// Spans on [`ART`]: 1 source, 2 claim, 3 denial.
fn good_spans() -> Vec<String> {
    [
        (1, "source", "Gedung Putih"),
        (2, "claim", "Korea Utara mengirim peluru"),
        (3, "denial", "Pyongyang membantah tuduhan itu"),
    ]
    .into_iter()
    .map(|(id, l, q)| span(id, l, char_range(ART, q), q))
    .collect()
}

fn with_spans(extra: &[String], links: &[String]) -> String {
    let mut spans = good_spans();
    spans.extend_from_slice(extra);
    annotation("a.txt", &spans, links)
}

struct Case {
    name: &'static str,
    article: Vec<u8>,
    annotation: String,
    /// Arguments after `check`.
    args: Vec<&'static str>,
    code: i32,
    /// Needles in stderr (exit 2) or stdout (exit 1).
    says: Vec<String>,
    /// `kind`s in `--json` output (at least these, in this order).
    kinds: Vec<&'static str>,
}

#[allow(
    clippy::too_many_lines,
    reason = "a table: one entry per case, no logic"
)]
fn cases() -> Vec<Case> {
    let art = || ART.as_bytes().to_vec();
    vec![
        Case {
            name: "future version",
            article: art(),
            annotation: "(version: 4, document: (path: \"a.txt\"), hologram: true)".into(),
            args: vec!["a.tandai.ron"],
            code: 2,
            says: vec!["a.tandai.ron".into(), "version 4".into(), "newer".into()],
            kinds: vec!["unreadable"],
        },
        Case {
            name: "misspelt field",
            article: art(),
            annotation: "(version: 1, document: (path: \"a.txt\"),\n spans: [(id: 1, lable: \"claim\", start: 0, end: 1)])".into(),
            args: vec!["a.tandai.ron"],
            code: 2,
            says: vec!["a.tandai.ron:2:".into(), "lable".into()],
            kinds: vec!["unreadable"],
        },
        Case {
            name: "start after end, end past the text",
            article: art(),
            annotation: with_spans(
                &[
                    "(id: 4, label: \"claim\", start: 30, end: 20)".into(),
                    bare_span(5, "claim", 60..500),
                ],
                &[],
            ),
            args: vec!["a.tandai.ron"],
            code: 1,
            says: vec![
                "offsets 30..20 are outside the article (83 chars)".into(),
                "offsets 60..500 are outside the article".into(),
            ],
            kinds: vec!["out_of_range", "out_of_range"],
        },
        Case {
            name: "span covering nothing",
            article: art(),
            annotation: with_spans(&[bare_span(4, "claim", 7..7)], &[]),
            args: vec!["a.tandai.ron"],
            code: 1,
            says: vec!["covers no characters (7..7)".into()],
            kinds: vec!["empty_span"],
        },
        Case {
            name: "article not UTF-8",
            article: b"Baris satu\nBaris \xff dua".to_vec(),
            annotation: annotation("a.txt", &[], &[]),
            args: vec!["a.tandai.ron"],
            code: 2,
            says: vec![
                "a.txt".into(),
                "not UTF-8".into(),
                "byte offset 17".into(),
                "line 2, column 7".into(),
            ],
            kinds: vec!["unreadable"],
        },
        Case {
            name: "empty article",
            article: Vec::new(),
            annotation: annotation("a.txt", &[], &[]),
            args: vec!["a.txt"],
            code: 1,
            says: vec!["the article is empty".into()],
            kinds: vec!["empty_article"],
        },
        Case {
            name: "label the schema lacks",
            article: art(),
            annotation: with_spans(&[span(4, "cue", 13..21, "menuding")], &[]),
            args: vec!["a.tandai.ron"],
            code: 1,
            says: vec![
                "has label \"cue\", which the schema does not define (kept)".into(),
            ],
            kinds: vec!["unknown_label"],
        },
        Case {
            name: "duplicate span and link ids",
            article: art(),
            annotation: with_spans(
                &[span(2, "claim", 13..21, "menuding")],
                &[link(1, "said_by", 2, 1), link(1, "said_by", 3, 1)],
            ),
            args: vec!["a.tandai.ron"],
            code: 1,
            says: vec![
                "span id 2 is used twice; the second (claim 13..21) now has id 4".into(),
                "link id 1 is used twice; the second now has id 2".into(),
            ],
            kinds: vec!["duplicate_span_id", "duplicate_link_id"],
        },
        Case {
            name: "dangling link",
            article: art(),
            annotation: with_spans(&[], &[link(1, "said_by", 2, 9)]),
            args: vec!["a.tandai.ron"],
            code: 1,
            says: vec!["link 1 (said_by) points to span 9, which does not exist".into()],
            kinds: vec!["dangling_link"],
        },
        Case {
            name: "ill-typed link",
            article: art(),
            annotation: with_spans(&[], &[link(1, "said_by", 1, 2)]),
            args: vec!["a.tandai.ron"],
            code: 1,
            says: vec![
                "a said_by link goes from claim or denial to source, not from source to claim"
                    .into(),
            ],
            kinds: vec!["ill_typed_link"],
        },
        Case {
            name: "unknown link kind",
            article: art(),
            annotation: with_spans(&[], &[link(1, "cites", 2, 1)]),
            args: vec!["a.tandai.ron"],
            code: 1,
            says: vec!["link 1 has kind \"cites\"".into()],
            kinds: vec!["unknown_link_kind"],
        },
        Case {
            name: "machine score not a number",
            article: art(),
            annotation: with_spans(
                &["(id: 4, label: \"claim\", start: 13, end: 21, origin: Machine(model: \"m\", score: NaN))".into()],
                &[],
            ),
            args: vec!["a.tandai.ron"],
            code: 1,
            says: vec!["span 4: score is not a finite number; dropped".into()],
            kinds: vec!["bad_score"],
        },
        Case {
            name: "document.path climbs out",
            article: art(),
            annotation: annotation("../a.txt", &[], &[]),
            args: vec!["a.tandai.ron"],
            code: 2,
            says: vec![
                "a.tandai.ron".into(),
                "\"../a.txt\"".into(),
                "--allow-outside".into(),
            ],
            kinds: vec!["unreadable"],
        },
        Case {
            name: "document.path absolute",
            article: art(),
            annotation: annotation("/etc/hostname", &[], &[]),
            args: vec!["a.tandai.ron"],
            code: 2,
            says: vec!["\"/etc/hostname\"".into(), "--allow-outside".into()],
            kinds: vec!["unreadable"],
        },
        Case {
            name: "article missing",
            article: art(),
            annotation: annotation("gone.txt", &[], &[]),
            args: vec!["a.tandai.ron"],
            code: 2,
            says: vec!["gone.txt".into()],
            kinds: vec!["unreadable"],
        },
        Case {
            name: "annotation file missing",
            article: art(),
            annotation: annotation("a.txt", &[], &[]),
            args: vec!["b.tandai.ron"],
            code: 2,
            says: vec!["b.tandai.ron".into()],
            kinds: vec![],
        },
        Case {
            name: "article without an annotation file",
            article: art(),
            annotation: annotation("a.txt", &[], &[]),
            args: vec!["c.txt"],
            code: 2,
            says: vec!["c.txt".into()],
            kinds: vec![],
        },
    ]
}

#[test]
fn bad_input_gives_the_right_exit_code_and_message_and_writes_nothing() {
    for case in cases() {
        let ctx = case.name;
        let sb = Sandbox::new();
        sb.write("a.txt", &case.article);
        sb.write("a.tandai.ron", &case.annotation);
        if case.name == "article without an annotation file" {
            sb.write("c.txt", ART);
        }
        let before = sb.snapshot();

        let mut args = vec!["check"];
        args.extend(&case.args);
        let r = sb.run(&args);
        assert_eq!(r.code, case.code, "{ctx}: {r:#?}");
        let (channel, other) = if case.code == 2 {
            (&r.stderr, &r.stdout)
        } else {
            (&r.stdout, &r.stderr)
        };
        for s in &case.says {
            assert!(channel.contains(s.as_str()), "{ctx}: lacks {s:?}: {r:#?}");
        }
        if case.code == 2 {
            assert!(r.stderr.starts_with("tandai: "), "{ctx}: {r:#?}");
            assert!(!other.contains("tandai: "), "{ctx}: {r:#?}");
        } else {
            assert!(other.is_empty(), "{ctx}: stderr not empty: {r:#?}");
        }
        before.assert_same(&sb.snapshot(), ctx);

        let mut json_args = args.clone();
        json_args.push("--json");
        let j = sb.run(&json_args);
        assert_eq!(j.code, case.code, "{ctx}: --json: {j:#?}");
        if !case.kinds.is_empty() || case.code != 2 {
            let kinds = j.kinds();
            let mut at = 0;
            for want in &case.kinds {
                let found = kinds[at..].iter().position(|k| k == want);
                assert!(found.is_some(), "{ctx}: {want} not in {kinds:?}");
                at += found.unwrap() + 1;
            }
            let messages = j.json()["errors"].to_string();
            for s in &case.says {
                // In JSON the message is a JSON string: compare escaped.
                let escaped = serde_json::to_string(s).unwrap();
                let inner = &escaped[1..escaped.len() - 1];
                assert!(
                    messages.contains(inner),
                    "{ctx}: JSON lacks {s:?}: {messages}"
                );
            }
        }
        before.assert_same(&sb.snapshot(), &format!("{ctx} (--json)"));
    }
}

#[test]
fn fix_writes_nothing_when_nothing_is_fixable() {
    // Findings that --fix cannot repair leave the file as it is.
    for case in cases().into_iter().filter(|c| {
        !c.kinds.is_empty()
            && c.kinds.iter().all(|k| {
                [
                    "out_of_range",
                    "empty_span",
                    "empty_article",
                    "unknown_label",
                    "dangling_link",
                    "ill_typed_link",
                    "unknown_link_kind",
                    "unreadable",
                ]
                .contains(k)
            })
    }) {
        let sb = Sandbox::new();
        sb.write("a.txt", &case.article);
        sb.write("a.tandai.ron", &case.annotation);
        let before = sb.snapshot();
        let mut args = vec!["check", "--fix"];
        args.extend(&case.args);
        let r = sb.run(&args);
        assert_eq!(r.code, case.code, "{}: {r:#?}", case.name);
        assert!(
            !r.stdout.contains("fixed and saved"),
            "{}: {r:#?}",
            case.name
        );
        before.assert_same(&sb.snapshot(), case.name);
    }
}

#[test]
fn ron_cut_off_names_file_line_and_column() {
    let sb = Sandbox::new();
    sb.copy_examples();
    let name = "kompas-artileri.tandai.ron";
    let full = sb.read_string(name);
    for frac in [10, 25, 50, 75, 95] {
        let mut cut = full.len() * frac / 100;
        while !full.is_char_boundary(cut) {
            cut -= 1;
        }
        let part = &full[..cut];
        sb.write(name, part);
        let before = sb.snapshot();
        let r = sb.run(&["check", name]);
        let ctx = format!("cut at {frac}%");
        assert_eq!(r.code, 2, "{ctx}: {r:#?}");
        assert!(r.stdout.is_empty(), "{ctx}: {r:#?}");
        let line = part.matches('\n').count() + 1;
        let prefix = format!("tandai: {name}:{line}:");
        assert!(
            r.stderr.starts_with(&prefix),
            "{ctx}: want {prefix}: {r:#?}"
        );
        let col: usize = r.stderr[prefix.len()..]
            .split(':')
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("{ctx}: no column: {}", r.stderr));
        let last_line = part.rsplit('\n').next().unwrap().chars().count();
        assert!((1..=last_line + 1).contains(&col), "{ctx}: column {col}");
        assert_eq!(r.stderr.lines().count(), 1, "{ctx}: one line: {r:#?}");
        before.assert_same(&sb.snapshot(), &ctx);
        // stats reads the same file and fails the same way.
        let s = sb.run(&["stats", name]);
        assert_eq!(s.code, 2, "{ctx}: {s:#?}");
        assert!(s.stderr.contains(name), "{ctx}: {s:#?}");
        // --fix never touches a file it cannot read.
        sb.run(&["check", "--fix", name]).assert_code(2);
        before.assert_same(&sb.snapshot(), &format!("{ctx}, --fix"));
    }
}

#[test]
fn article_with_crlf_and_bom_checks_clean_and_counts_them() {
    let sb = Sandbox::new();
    let text = "\u{feff}Baris satu.\r\nGedung Putih membantah.\r\n";
    sb.write("a.txt", text);
    // 1 (BOM) + 11 + 2 (\r\n) = 14.
    assert_eq!(char_range(text, "Gedung Putih"), 14..26);
    sb.write(
        "a.tandai.ron",
        annotation(
            "a.txt",
            &[
                span(1, "source", 14..26, "Gedung Putih"),
                span(2, "claim", 0..12, "\u{feff}Baris satu."),
                span(3, "claim", 12..16, "\r\nGe"),
            ],
            &[],
        ),
    );
    let before = sb.snapshot();
    let r = sb.run(&["check", "--json", "a.txt"]);
    r.assert_code(0);
    assert_eq!(r.number("spans"), 3);
    assert!(r.kinds().is_empty(), "{r:#?}");
    sb.run(&["check", "--fix", "a.txt"]).assert_code(0);
    before.assert_same(&sb.snapshot(), "clean CRLF + BOM article");
    // Offsets that forget the BOM or count \r\n as one are mismatches.
    for (range, why) in [(13..25, "BOM not counted"), (15..27, "one too far")] {
        sb.write(
            "a.tandai.ron",
            annotation("a.txt", &[span(1, "source", range, "Gedung Putih")], &[]),
        );
        let r = sb.run(&["check", "--json", "a.txt"]);
        assert_eq!(r.code, 1, "{why}: {r:#?}");
        assert_eq!(r.kinds(), ["text_mismatch", "relocated"], "{why}");
    }
}

#[test]
fn a_huge_sparse_article_is_refused_without_being_read() {
    let sb = Sandbox::new();
    let huge = sb.join("huge.txt");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(300 * 1024 * 1024).unwrap();
    drop(f);
    sb.write("huge.tandai.ron", annotation("huge.txt", &[], &[]));
    let before = sb.snapshot();
    // How long refusing takes is `refuse_huge_ms` in examples/bench.rs.
    let r = sb.run(&["check", "huge.txt"]);
    r.assert_code(2)
        .assert_stderr_has(&["huge.txt", "314572800 bytes", "64 MiB"]);
    assert!(r.stderr.starts_with("tandai: "), "{r:#?}");
    before.assert_same(&sb.snapshot(), "huge article");
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let meta = std::fs::metadata(&huge).unwrap();
        assert_eq!(meta.len(), 300 * 1024 * 1024);
        assert!(meta.blocks() < 64, "the sparse file got filled in");
    }
    // stats reads only the annotation file, so it works.
    let s = sb.run(&["stats", "--json", "huge.tandai.ron"]);
    s.assert_code(0);
    assert_eq!(s.json()["total"]["spans"], 0);
}

#[test]
fn outside_path_is_read_with_allow_outside() {
    let sb = Sandbox::new();
    sb.write("a.txt", ART);
    sb.write(
        "ann/a.tandai.ron",
        annotation("../a.txt", &good_spans(), &[]),
    );
    let before = sb.snapshot();
    sb.run(&["check", "ann/a.tandai.ron"])
        .assert_code(2)
        .assert_stderr_has(&["ann/a.tandai.ron", "--allow-outside"]);
    let r = sb.run(&["check", "--json", "--allow-outside", "ann/a.tandai.ron"]);
    r.assert_code(0);
    assert_eq!(r.number("spans"), 3);
    before.assert_same(&sb.snapshot(), "allow-outside");
}

#[test]
fn unknown_label_survives_a_fix_that_rewrites_the_file() {
    let sb = Sandbox::new();
    sb.write("a.txt", ART);
    // Span 4 has the wrong offsets, so --fix has something to save.
    let cue = span(4, "cue", 13..21, "menuding");
    let misplaced = span(5, "claim", 0..5, "Korea Utara");
    sb.write("a.tandai.ron", with_spans(&[cue, misplaced], &[]));
    let r = sb.run(&["check", "--json", "a.tandai.ron"]);
    r.assert_code(1);
    assert_eq!(
        r.kinds(),
        ["text_mismatch", "relocated", "unknown_label"],
        "{r:#?}"
    );
    let fix = sb.run(&["check", "--fix", "a.tandai.ron"]);
    fix.assert_code(1)
        .assert_stdout_has(&["unknown_label", "fixed and saved"]);
    let raw = parse_file(&sb.join("a.tandai.ron"));
    assert_eq!(raw.spans.len(), 5);
    let kept = raw.spans.iter().find(|s| s.id == 4).unwrap();
    assert_eq!(kept.label, "cue");
    assert_eq!((kept.start, kept.end), (13, 21));
    assert_eq!(raw.labels, ["claim", "source", "denial", "cue"]);
    let moved = raw.spans.iter().find(|s| s.id == 5).unwrap();
    assert_eq!(moved.start..moved.end, char_range(ART, "Korea Utara"));
    let again = sb.run(&["check", "--json", "a.tandai.ron"]);
    again.assert_code(1);
    assert_eq!(again.kinds(), ["unknown_label"]);
}

#[test]
fn duplicate_ids_get_fresh_ids_on_fix_and_no_span_is_lost() {
    let sb = Sandbox::new();
    sb.write("a.txt", ART);
    sb.write(
        "a.tandai.ron",
        with_spans(
            &[
                span(2, "claim", 13..21, "menuding"),
                span(2, "claim", 0..6, "Gedung"),
            ],
            &[link(1, "said_by", 2, 1), link(1, "said_by", 3, 1)],
        ),
    );
    let before = sb.snapshot();
    let r = sb.run(&["check", "--json", "a.tandai.ron"]);
    r.assert_code(1);
    assert_eq!(r.number("spans"), 5);
    before.assert_same(&sb.snapshot(), "duplicate ids, no --fix");

    sb.run(&["check", "--fix", "a.tandai.ron"])
        .assert_code(0)
        .assert_stdout_has(&["fixed and saved"]);
    let raw = parse_file(&sb.join("a.tandai.ron"));
    let ids: BTreeSet<u64> = raw.spans.iter().map(|s| s.id).collect();
    assert_eq!(ids, BTreeSet::from([1, 2, 3, 4, 5]));
    let texts: BTreeSet<&str> = raw.spans.iter().filter_map(|s| s.text.as_deref()).collect();
    assert!(
        texts.contains("menuding") && texts.contains("Gedung"),
        "{texts:?}"
    );
    // Links to the duplicated id keep meaning the first span with it.
    let link_ends: Vec<(u64, u64, u64)> = raw.links.iter().map(|l| (l.id, l.from, l.to)).collect();
    assert_eq!(link_ends, [(1, 2, 1), (2, 3, 1)]);
    let two = raw.spans.iter().find(|s| s.id == 2).unwrap();
    assert_eq!(two.text.as_deref(), Some("Korea Utara mengirim peluru"));
    sb.run(&["check", "a.tandai.ron"]).assert_code(0);
}

#[test]
fn duplicate_of_the_largest_id_loses_no_span_or_link() {
    let sb = Sandbox::new();
    sb.write("a.txt", ART);
    let max = u64::MAX;
    sb.write(
        "a.tandai.ron",
        annotation(
            "a.txt",
            &[
                span(max, "source", 0..12, "Gedung Putih"),
                span(max, "claim", 22..33, "Korea Utara"),
            ],
            &[
                link(max, "said_by", max, max),
                link(max, "said_by", max, max),
            ],
        ),
    );
    let r = sb.run(&["check", "--json", "a.tandai.ron"]);
    assert_eq!(r.number("spans"), 2, "a span was dropped: {r:#?}");
    sb.run(&["check", "--fix", "a.tandai.ron"]);
    let raw = parse_file(&sb.join("a.tandai.ron"));
    assert_eq!(raw.spans.len(), 2, "--fix wrote a file without the span");
    assert_eq!(raw.links.len(), 2, "--fix wrote a file without the link");
}

// ---------------------------------------------------------------------------
// 5. Custom schemas
// ---------------------------------------------------------------------------

const CUE_SCHEMA: &str = r##"(
    labels: [
        (name: "claim", key: "1"),
        (name: "source", key: "2"),
        (name: "cue", key: "4", colour: "#00aa00"),
    ],
    links: [
        (kind: "said_by", from: ["claim"], to: ["source"]),
        (kind: "cue_of", from: ["cue"], to: ["claim"]),
    ],
)"##;

fn cue_file() -> String {
    annotation(
        "a.txt",
        &[
            span(1, "source", 0..12, "Gedung Putih"),
            span(2, "cue", 13..21, "menuding"),
            span(3, "claim", 22..49, "Korea Utara mengirim peluru"),
        ],
        &[link(1, "said_by", 3, 1), link(2, "cue_of", 2, 3)],
    )
}

#[test]
fn schema_in_a_parent_folder_defines_extra_labels() {
    let sb = Sandbox::new();
    sb.write("project/desk/a.txt", ART);
    sb.write("project/desk/a.tandai.ron", cue_file());
    let file = "project/desk/a.tandai.ron";

    let r = sb.run(&["check", "--json", file]);
    r.assert_code(1);
    assert_eq!(r.kinds(), ["unknown_label", "unknown_link_kind"], "{r:#?}");

    sb.write("project/tandai.schema.ron", CUE_SCHEMA);
    let before = sb.snapshot();
    let r = sb.run(&["check", "--json", file]);
    r.assert_code(0);
    assert!(r.kinds().is_empty());
    // The folder as argument finds the same schema.
    sb.run(&["check", "project"]).assert_code(0);
    before.assert_same(&sb.snapshot(), "schema discovery");

    // A nearer schema wins over the one further up.
    sb.write(
        "project/desk/tandai.schema.ron",
        r#"(labels: [(name: "claim"), (name: "source")])"#,
    );
    let r = sb.run(&["check", "--json", file]);
    r.assert_code(1);
    assert!(r.kinds().contains(&"unknown_label".to_owned()), "{r:#?}");

    // A broken schema is an error that names the schema file.
    sb.write(
        "project/desk/tandai.schema.ron",
        "(labels: [(name: \"claim\"",
    );
    sb.run(&["check", file])
        .assert_code(2)
        .assert_stderr_has(&["tandai.schema.ron:1:"]);
}

#[test]
fn schema_flag_overrides_discovery() {
    let sb = Sandbox::new();
    sb.write("a.txt", ART);
    sb.write("a.tandai.ron", cue_file());
    sb.write(
        "tandai.schema.ron",
        r#"(labels: [(name: "claim"), (name: "source")])"#,
    );
    sb.write("schemas/cue.ron", CUE_SCHEMA);
    sb.run(&["check", "a.tandai.ron"]).assert_code(1);
    let before = sb.snapshot();
    let r = sb.run(&[
        "check",
        "--json",
        "--schema",
        "schemas/cue.ron",
        "a.tandai.ron",
    ]);
    r.assert_code(0);
    assert!(r.kinds().is_empty(), "{r:#?}");
    before.assert_same(&sb.snapshot(), "--schema");

    sb.run(&["check", "--schema", "schemas/missing.ron", "a.tandai.ron"])
        .assert_code(2)
        .assert_stderr_has(&["schemas/missing.ron"]);
    sb.write("schemas/bad.ron", r#"(labels: [(name: "a"), (name: "a")])"#);
    sb.run(&["check", "--schema", "schemas/bad.ron", "a.tandai.ron"])
        .assert_code(2)
        .assert_stderr_has(&["schemas/bad.ron", "defined twice"]);

    // A fix under a custom schema lists its labels first.
    sb.write(
        "a.tandai.ron",
        cue_file().replace("start: 0, end: 12", "start: 1, end: 13"),
    );
    sb.run(&[
        "check",
        "--fix",
        "--schema",
        "schemas/cue.ron",
        "a.tandai.ron",
    ])
    .assert_code(0)
    .assert_stdout_has(&["fixed and saved"]);
    let raw = parse_file(&sb.join("a.tandai.ron"));
    assert_eq!(raw.labels, ["claim", "source", "cue"]);
    assert_eq!(raw.spans.len(), 3);
}

// ---------------------------------------------------------------------------
// 6. Arguments
// ---------------------------------------------------------------------------

#[test]
fn help_and_argument_errors() {
    // `tandai` without a subcommand opens the desktop app (or, built without
    // it, says so), so it is not run here.
    let sb = Sandbox::new();
    let table: [(&[&str], i32, &str); 8] = [
        (&["--help"], 0, "check"),
        (&["check", "--help"], 0, "--allow-outside"),
        (&["stats", "--help"], 0, "--json"),
        (&["--version"], 0, "tandai"),
        (&["check"], 2, "<PATHS>"),
        (&["stats"], 2, "<PATHS>"),
        (&["check", "--bogus", "x"], 2, "--bogus"),
        (&["check", "--schema"], 2, "--schema"),
    ];
    for (args, code, says) in table {
        let r: Run = sb.run(args);
        assert_eq!(r.code, code, "{args:?}: {r:#?}");
        let out = if code == 0 { &r.stdout } else { &r.stderr };
        assert!(out.contains(says), "{args:?}: lacks {says:?}: {r:#?}");
        if code == 2 {
            assert!(r.stdout.is_empty(), "{args:?}: {r:#?}");
        }
    }
    // An unknown subcommand is taken for a file to open, which does not
    // exist: exit 2 before any window would open.
    let r = sb.run(&["frobnicate"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(!r.stderr.is_empty(), "{r:#?}");
    assert!(sb.snapshot().is_empty(), "argument errors wrote files");
}
