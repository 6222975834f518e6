//! The core: saving, checking, importing tags, re-anchoring long quotes and
//! agreement on the large article.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tandai::anchor;
use tandai::check::check;
use tandai::edit::History;
use tandai::interop::tags::import_tags;
use tandai::offsets::Text;
use tandai::schema::Schema;
use tandai::store::{self, LoadOptions};
use tandai::synth::{Lcg, reviewed, second_annotator};

use super::{TAGS, labels, time};

pub(crate) struct CoreFigures {
    pub(crate) save_s: f64,
    pub(crate) check_s: f64,
    pub(crate) import_tags_s: f64,
}

/// `n` machine tags over `text`, one JSON object a line: every third a
/// claim said by the source after it, every third a denial said by the
/// source before it; deterministic.
pub(crate) fn tags_jsonl(text: &Text, n: usize) -> String {
    let chars = text.len_chars();
    let step = (chars / n).max(2);
    let mut rng = Lcg(23);
    let mut out = String::with_capacity(n * 120);
    for i in 0..n {
        // Off the synthetic annotations' starts, so that the tags are new.
        let start = (i * step + 1 + (rng.next_u64() % 3) as usize).min(chars - 2);
        let end = (start + 4 + (rng.next_u64() % 50) as usize).min(chars);
        let label = ["claim", "source", "denial"][i % 3];
        let score = (rng.next_u64() % 100) as f64 / 100.0;
        let _ = write!(
            out,
            r#"{{"start": {start}, "end": {end}, "label": "{label}", "score": {score}, "model": "attrib-v1", "id": "t{i}""#
        );
        match i % 3 {
            0 if i + 1 < n => {
                let _ = write!(
                    out,
                    r#", "links": [{{"kind": "said_by", "to": "t{}"}}]"#,
                    i + 1
                );
            }
            2 => {
                let _ = write!(
                    out,
                    r#", "links": [{{"kind": "said_by", "to": "t{}"}}]"#,
                    i - 1
                );
            }
            _ => {}
        }
        out.push_str("}\n");
    }
    out
}

pub(crate) fn core(path: &Path) -> CoreFigures {
    let schema = Schema::builtin();
    let labels = labels();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    let ron = store::annotation_path_for(path);

    let ((loaded, findings), check_t) = time(|| {
        let l = store::load(&ron, LoadOptions::default()).unwrap();
        let f = check(&l.annotations, &schema);
        (l, f)
    });
    assert!(findings.is_empty() && loaded.findings.is_empty());
    // The median of five saves of the same annotations, each conflict-checked
    // against the state the one before left.
    let mut disk = loaded.disk.clone();
    let mut saves: Vec<Duration> = (0..5)
        .map(|_| {
            let (d, t) = time(|| store::save(&ron, &loaded.annotations, &labels, &disk).unwrap());
            disk = d;
            t
        })
        .collect();
    saves.sort();
    let save = saves[saves.len() / 2];

    let jsonl = tags_jsonl(&loaded.article.text, TAGS);
    let mut ann = loaded.annotations.clone();
    let spans_before = ann.span_count();
    let ((), import) = time(|| {
        let import = import_tags(
            &ann,
            &loaded.article.text,
            &schema,
            jsonl.as_bytes(),
            &|_| true,
        );
        assert!(
            import.report.problems.is_empty(),
            "{:?}",
            &import.report.problems[..3.min(import.report.problems.len())]
        );
        let mut history = History::default();
        history
            .apply(&mut ann, &loaded.article.text, "Import tags", import.edits)
            .unwrap();
    });
    assert!(ann.span_count() > spans_before + TAGS * 9 / 10);
    CoreFigures {
        save_s: save.as_secs_f64(),
        check_s: check_t.as_secs_f64(),
        import_tags_s: import.as_secs_f64(),
    }
}

/// Two annotators of the large article: in memory, and from their files.
pub(crate) fn agreement(path: &Path) -> (f64, f64) {
    let loaded = store::open(path, LoadOptions::default()).unwrap();
    let text = &loaded.article.text;
    let a = reviewed(&loaded.annotations);
    let b = second_annotator(text, &a);
    let names = ["ana".to_owned(), "budi".to_owned()];
    let chars = text.len_chars();
    let doc = |a, b| tandai::agree::Document {
        name: "large.txt".into(),
        chars,
        annotations: vec![a, b],
    };
    let (report, agree_t) = time(|| tandai::agree::agree(&names, &[doc(&a, &b)]).unwrap());
    assert_eq!(report.micro.spans, [a.span_count(), b.span_count()]);
    // About 0.72 of them: 12/13 kept, 6/7 with their ends, 10/11 labels.
    assert!(report.micro.exact.tp > a.span_count() / 2);

    let labels = labels();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    let dir = path.parent().unwrap().join("agree");
    let files: Vec<PathBuf> = ["ana", "budi"]
        .iter()
        .map(|n| dir.join(n).join("large.tandai.ron"))
        .collect();
    for (f, ann) in files.iter().zip([&a, &b]) {
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::copy(path, f.with_file_name("large.txt")).unwrap();
        let mut ann = ann.clone();
        ann.document.path = "large.txt".into();
        store::save_over(f, &ann, &labels).unwrap();
    }
    let (_, files_t) = time(|| {
        let loaded: Vec<store::Loaded> = std::thread::scope(|s| {
            let hs: Vec<_> = files
                .iter()
                .map(|f| s.spawn(move || store::load(f, LoadOptions::default()).unwrap()))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(loaded[0].article.sha256, loaded[1].article.sha256);
        let doc = tandai::agree::Document {
            name: "large.txt".into(),
            chars: loaded[0].article.text.len_chars(),
            annotations: vec![&loaded[0].annotations, &loaded[1].annotations],
        };
        tandai::agree::agree(&names, &[doc]).unwrap()
    });
    (agree_t.as_secs_f64(), files_t.as_secs_f64())
}

/// Re-anchors two 64 KB quotes of `text` that are not at their offsets:
/// one taken from the middle of the text, one the same with a changed
/// middle, which no pass can place.
pub(crate) fn anchor_long_quote(text: &Text) -> Duration {
    let s = text.as_str();
    let mut from = s.len() / 2;
    while !s.is_char_boundary(from) {
        from += 1;
    }
    let mut to = from + 64 * 1024;
    while !s.is_char_boundary(to) {
        to += 1;
    }
    let quote = &s[from..to];
    let mut mid = quote.len() / 2;
    while !quote.is_char_boundary(mid) {
        mid += 1;
    }
    let changed = format!("{}«changed»{}", &quote[..mid], &quote[mid..]);
    let quotes = [
        anchor::Quote {
            start: 0,
            end: 10,
            text: quote,
            before: "",
            after: "",
        },
        anchor::Quote {
            start: 0,
            end: 10,
            text: &changed,
            before: "",
            after: "",
        },
    ];
    let (placed, t) = time(|| anchor::place_all(text, &quotes, false));
    assert!(matches!(
        placed[0],
        anchor::Placement::Relocated { fuzzy: false, .. }
    ));
    assert_eq!(placed[1], anchor::Placement::Orphan);
    t
}
