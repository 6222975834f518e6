//! UI tests of Review > Suggest (tandai's rules on the open article, one
//! undo step into the review queue; a slow command cancelled with nothing
//! added) and of File > Compare with… (the agreement window, each
//! difference shown in the article).

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::TandaiApp;
use super::app::Dialog;
use super::tests::{ARTICLE, harness, temp_article};
use crate::model::Status;

/// Runs frames until no suggestion job runs (or gives up).
fn until_done(h: &mut Harness<'static, TandaiApp>) {
    for _ in 0..400 {
        h.run_steps(1);
        if h.state().dialog().is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the suggestions did not come");
}

#[test]
fn the_rules_tag_the_open_article_for_review_in_one_undo_step() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::G);
    until_done(&mut h);
    let Some(Dialog::Info(text)) = h.state().dialog() else {
        panic!("{:?}", h.state().dialog());
    };
    assert!(
        text.contains("This article:") && text.contains("tags added"),
        "{text}"
    );
    let s = h.state().session().unwrap();
    let pending: Vec<&str> = s
        .doc()
        .annotations
        .spans()
        .filter(|x| x.status == Some(Status::Pending))
        .map(|x| x.text.as_str())
        .collect();
    assert!(pending.contains(&"juru bicara John Kirby"), "{pending:?}");
    assert!(pending.contains(&"Itu kebohongan"), "{pending:?}");
    assert!(
        s.history()
            .undo_name()
            .is_some_and(|n| n.contains("machine tags"))
    );
    h.state_mut().session_mut().unwrap().undo();
    assert_eq!(
        h.state().session().unwrap().doc().annotations.span_count(),
        0
    );
}

#[test]
fn a_slow_command_shows_progress_and_cancel_adds_nothing() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    h.state_mut()
        .edit_settings(|s| s.suggest_command = "sleep 30".into());
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::G);
    h.run_steps(2);
    assert!(h.query_by_label("Cancel").is_some(), "the progress window");
    h.get_by_label("Cancel").click();
    until_done(&mut h);
    let Some(Dialog::Info(text)) = h.state().dialog() else {
        panic!("{:?}", h.state().dialog());
    };
    assert!(text.contains("cancelled"), "{text}");
    assert_eq!(
        h.state().session().unwrap().doc().annotations.span_count(),
        0
    );
}

#[test]
fn compare_with_shows_the_figures_and_each_difference_in_the_article() {
    let (dir, p) = temp_article(ARTICLE);
    let at = |q: &str| {
        let b = ARTICLE.find(q).unwrap();
        let s = ARTICLE[..b].chars().count();
        (s, s + q.chars().count())
    };
    let (a, b) = at("Gedung Putih");
    let (c, d) = at("juru bicara John Kirby");
    let (e, f) = at("Pyongyang");
    // The other annotator: one span the same, one with other boundaries,
    // one we do not have.
    let other = dir.path().join("budi.tandai.ron");
    std::fs::write(
        &other,
        format!(
            r#"(version: 1, document: (path: "berita.txt"), spans: [
                (id: 1, label: "source", start: {a}, end: {b}, origin: Human(annotator: "budi")),
                (id: 2, label: "source", start: {}, end: {d}, origin: Human(annotator: "budi")),
                (id: 3, label: "source", start: {e}, end: {f}, origin: Human(annotator: "budi")),
            ])"#,
            c + 5
        ),
    )
    .unwrap();
    let mut h = harness(&p);
    {
        let s = h.state_mut().session_mut().unwrap();
        s.tag("source", a..b);
        s.tag("source", c..d);
    }
    h.state_mut().compare_with(&other);
    h.run_steps(2);
    assert!(h.state().dialog().is_none(), "{:?}", h.state().dialog());
    assert!(h.query_by_label("overlap F1").is_some(), "the figures");
    let diffs = &h
        .state()
        .session()
        .unwrap()
        .comparison()
        .unwrap()
        .differences;
    assert_eq!(diffs.len(), 2, "{diffs:?}");
    h.get_by_label_contains("budi only (source)").click();
    h.run_steps(2);
    let s = h.state().session().unwrap();
    assert_eq!(s.comparison().unwrap().current, Some(1));
    assert_eq!(s.scroll_request().map(|r| r.offset), Some(e));
    // Tagging the same span here takes that difference away.
    h.state_mut().session_mut().unwrap().tag("source", e..f);
    h.run_steps(2);
    let diffs = &h
        .state()
        .session()
        .unwrap()
        .comparison()
        .unwrap()
        .differences;
    assert_eq!(diffs.len(), 1);
}
