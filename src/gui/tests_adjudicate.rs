//! UI tests of adjudication: a file two annotators' sets were merged into
//! opens with the adjudication bar; Alt+1, Alt+2, Alt+B and Alt+0 settle
//! the current dispute (the first open one in text order), Backspace takes
//! the last settlement back, and the bar counts "N / M settled".

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::TandaiApp;
use super::tests::{ARTICLE, harness};
use crate::merge::{Annotator, Options, merge};
use crate::model::{Annotations, DocumentRef, Origin, Span, SpanId};
use crate::offsets::Text;

fn at(q: &str) -> std::ops::Range<usize> {
    let b = ARTICLE.find(q).unwrap();
    let s = ARTICLE[..b].chars().count();
    s..s + q.chars().count()
}

fn set(who: &str, spans: &[(u64, &str, &str)]) -> Annotations {
    let t = Text::new(ARTICLE.to_owned());
    let mut a = Annotations::new(DocumentRef {
        path: "berita.txt".into(),
        ..DocumentRef::default()
    });
    for &(id, label, quote) in spans {
        let origin = Origin::Human {
            annotator: who.into(),
        };
        let s = Span::new_in(&t, SpanId(id), label, at(quote), origin).unwrap();
        a.insert_span(s).unwrap();
    }
    a
}

/// ana and budi agree on one source, draw one claim differently (a
/// boundary dispute), and each has a span the other lacks.
fn merged() -> (tempfile::TempDir, Harness<'static, TandaiApp>) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("berita.txt");
    std::fs::write(&p, ARTICLE).unwrap();
    let ana = set(
        "ana",
        &[
            (1, "source", "Gedung Putih"),
            (2, "claim", "diam-diam mengirim peluru artileri ke Rusia"),
            (3, "denial", "membantah tuduhan itu"),
        ],
    );
    let budi = set(
        "budi",
        &[
            (1, "source", "Gedung Putih"),
            (2, "claim", "mengirim peluru artileri ke Rusia"),
            (3, "source", "seorang pejabat"),
        ],
    );
    let sets = [
        Annotator {
            name: "ana",
            annotations: &ana,
        },
        Annotator {
            name: "budi",
            annotations: &budi,
        },
    ];
    let chars = ARTICLE.chars().count();
    let m = merge(&sets, chars, Options::default()).unwrap();
    assert!(m.annotations.open_dispute_count() >= 2, "{:?}", m.report);
    let ann_path = dir.path().join("berita.tandai.ron");
    crate::store::save_over(&ann_path, &m.annotations, &["claim", "source", "denial"]).unwrap();
    let mut h = harness(&ann_path);
    h.run_steps(2);
    (dir, h)
}

fn open(h: &Harness<'static, TandaiApp>) -> usize {
    h.state()
        .session()
        .unwrap()
        .doc()
        .annotations
        .open_dispute_count()
}

#[test]
fn one_key_settles_the_current_dispute_and_backspace_takes_it_back() {
    let (_d, mut h) = merged();
    let total = open(&h);
    assert!(
        h.query_by_label_contains(&format!("Adjudication: 0 / {total} settled"))
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Alt+1: ana").is_some(),
        "ana's version"
    );
    assert!(
        h.query_by_label_contains("Alt+2: budi").is_some(),
        "budi's version"
    );
    // Alt+1: ana's claim.
    h.key_press_modifiers(Modifiers::ALT, Key::Num1);
    h.run_steps(2);
    assert_eq!(open(&h), total - 1);
    assert!(
        h.query_by_label_contains(&format!("Adjudication: 1 / {total} settled"))
            .is_some()
    );
    let ann = &h.state().session().unwrap().doc().annotations;
    let claims: Vec<&str> = ann
        .spans()
        .filter(|s| s.label == "claim")
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(claims, ["diam-diam mengirim peluru artileri ke Rusia"]);
    // Backspace: back to the dispute.
    h.key_press(Key::Backspace);
    h.run_steps(2);
    assert_eq!(open(&h), total);
    // Every dispute settled by keys: Alt+2, then neither for the rest.
    h.key_press_modifiers(Modifiers::ALT, Key::Num2);
    h.run_steps(2);
    while open(&h) > 0 {
        h.key_press_modifiers(Modifiers::ALT, Key::Num0);
        h.run_steps(2);
    }
    assert!(
        h.query_by_label_contains("Every dispute is settled")
            .is_some()
    );
    let ann = &h.state().session().unwrap().doc().annotations;
    assert!(
        ann.spans()
            .any(|s| s.text == "mengirim peluru artileri ke Rusia")
    );
    assert!(
        ann.spans().any(|s| s.text == "Gedung Putih"),
        "the agreed span stays"
    );
}

#[test]
fn the_agreement_window_starts_a_merge_to_adjudicate() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("berita.txt");
    std::fs::write(&p, ARTICLE).unwrap();
    let ana = set(
        "ana",
        &[
            (1, "source", "Gedung Putih"),
            (2, "denial", "membantah tuduhan itu"),
        ],
    );
    let budi = set(
        "budi",
        &[
            (1, "source", "Gedung Putih"),
            (2, "claim", "membantah tuduhan itu"),
        ],
    );
    let labels = ["claim", "source", "denial"];
    let ours = dir.path().join("berita.tandai.ron");
    crate::store::save_over(&ours, &ana, &labels).unwrap();
    let theirs = dir.path().join("budi.tandai.ron");
    crate::store::save_over(&theirs, &budi, &labels).unwrap();
    let mut h = harness(&ours);
    h.state_mut().compare_with(&theirs);
    h.run_steps(2);
    h.get_by_label("Merge into a new file…").click();
    h.run_steps(3);
    let s = h.state().session().unwrap();
    assert!(
        s.doc().path.ends_with("berita-merged.tandai.ron"),
        "{:?}",
        s.doc().path
    );
    assert_eq!(s.doc().annotations.open_dispute_count(), 1, "the relabel");
    assert!(
        h.query_by_label_contains("Adjudication: 0 / 1 settled")
            .is_some()
    );
}
