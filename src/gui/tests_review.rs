//! UI tests of review mode: machine tags imported, every review key, the
//! filters, bulk accept and reject with their confirmation, and the
//! scorecard.

use egui::{Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::TandaiApp;
use super::app::Dialog;
use super::tests::{ARTICLE, temp_article};
use crate::model::{SpanId, Status};

/// Char range of `quote` in [`ARTICLE`].
fn at(quote: &str) -> (usize, usize) {
    let b = ARTICLE.find(quote).unwrap();
    let start = ARTICLE[..b].chars().count();
    (start, start + quote.chars().count())
}

/// Five machine tags of mixed quality, and two bad lines.
fn tags() -> String {
    let line = |quote: &str, label: &str, score: f64| {
        let (s, e) = at(quote);
        format!(
            r#"{{"start": {s}, "end": {e}, "label": "{label}", "score": {score}, "model": "attrib-v0"}}"#
        )
    };
    [
        line("Gedung Putih", "source", 0.91),
        line("Korea Utara", "claim", 0.35),
        line("juru bicara John Kirby", "source", 0.88),
        line("Pyongyang membantah tuduhan", "denial", 0.62),
        "{not json".to_owned(),
        line("Itu kebohongan", "claim", 0.15),
        r#"{"start": 5, "end": 9999, "label": "claim"}"#.to_owned(),
    ]
    .join("\n")
}

fn reviewing() -> (tempfile::TempDir, Harness<'static, TandaiApp>) {
    let (dir, p) = temp_article(ARTICLE);
    let tags_path = dir.path().join("tags.jsonl");
    std::fs::write(&tags_path, tags()).unwrap();
    let app = TandaiApp::new(None, Some(p));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1200.0, 760.0))
        .build_ui_state(|ui, app: &mut TandaiApp| app.show(ui), app);
    h.state_mut().edit_settings(|s| s.annotator = "rina".into());
    h.run_steps(2);
    h.state_mut().import_tags_from(&tags_path);
    h.run_steps(2);
    (dir, h)
}

fn current(h: &Harness<'static, TandaiApp>) -> Option<crate::model::Span> {
    let s = h.state().session()?;
    s.selected()
        .and_then(|id| s.doc().annotations.span(id))
        .cloned()
}

/// The span whose quote is `text`.
fn quoted(h: &Harness<'static, TandaiApp>, text: &str) -> crate::model::Span {
    let s = h.state().session().unwrap();
    s.doc()
        .annotations
        .spans()
        .find(|x| x.text == text)
        .unwrap()
        .clone()
}

fn press(h: &mut Harness<'static, TandaiApp>, key: Key) {
    h.key_press(key);
    h.run_steps(2);
}

#[test]
fn import_reports_bad_lines_and_adds_pending_machine_spans() {
    let (_d, mut h) = reviewing();
    match &h.state().dialog {
        Some(Dialog::Info(report)) => {
            assert!(report.contains("tags.jsonl:5:"), "{report}");
            assert!(report.contains("tags.jsonl:7:"), "{report}");
        }
        other => panic!("no report: {other:?}"),
    }
    h.get_by_label("OK").click();
    h.run_steps(2);
    let s = h.state().session().unwrap();
    assert_eq!(s.doc().annotations.span_count(), 5);
    assert!(
        s.doc()
            .annotations
            .spans()
            .all(|x| x.status == Some(Status::Pending) && x.origin.is_machine())
    );
    // One undo step takes the whole import back.
    assert_eq!(s.history().undo_name(), Some("Import 5 machine tags"));
}

#[test]
fn every_review_key_decides_moves_and_undoes() {
    let (_d, mut h) = reviewing();
    h.state_mut().dialog = None;
    // Keys of review mode do nothing outside it.
    press(&mut h, Key::A);
    assert!(current(&h).is_none());
    press(&mut h, Key::R);
    assert!(h.state().session().unwrap().review().active);
    h.get_by_label("0 / 5 reviewed");
    assert_eq!(
        current(&h).unwrap().text,
        "Gedung Putih",
        "first in document order"
    );

    // A accepts and moves on.
    press(&mut h, Key::A);
    let first = quoted(&h, "Gedung Putih");
    assert_eq!(first.status, Some(Status::Accepted));
    assert_eq!(first.reviewer.as_deref(), Some("rina"));
    assert_eq!(current(&h).unwrap().text, "Korea Utara");

    // X rejects: the span stays in the file, hidden.
    press(&mut h, Key::X);
    let korea = quoted(&h, "Korea Utara");
    assert_eq!(korea.status, Some(Status::Rejected));
    assert_eq!(current(&h).unwrap().text, "juru bicara John Kirby");

    // Shift+Ctrl+Right pulls the start in one word: a boundary fix that
    // keeps the model's range, and stays on the tag.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    h.run_steps(2);
    let kirby = current(&h).unwrap();
    assert_eq!(kirby.text, "bicara John Kirby");
    assert_eq!(kirby.status, Some(Status::Corrected));
    let (s, e) = at("juru bicara John Kirby");
    let proposed = kirby.proposed.clone().unwrap();
    assert_eq!((proposed.start, proposed.end), (s, e));
    // Enter accepts the corrected tag (it stays Corrected) and moves on.
    press(&mut h, Key::Enter);
    assert_eq!(current(&h).unwrap().text, "Pyongyang membantah tuduhan");

    // 1 relabels (claim): Corrected, the model's label kept.
    press(&mut h, Key::Num1);
    let denial = current(&h).unwrap();
    assert_eq!(denial.label, "claim");
    assert_eq!(denial.status, Some(Status::Corrected));
    assert_eq!(denial.proposed.unwrap().label, "denial");

    // Backspace takes the relabel back and stays on its tag.
    press(&mut h, Key::Backspace);
    let back = current(&h).unwrap();
    assert_eq!(back.label, "denial");
    assert_eq!(back.status, Some(Status::Pending));

    // Space skips; N and P walk the queue.
    press(&mut h, Key::Space);
    assert_eq!(current(&h).unwrap().text, "Itu kebohongan");
    press(&mut h, Key::P);
    assert_eq!(current(&h).unwrap().text, "Pyongyang membantah tuduhan");
    press(&mut h, Key::N);
    assert_eq!(current(&h).unwrap().text, "Itu kebohongan");
    press(&mut h, Key::X);
    // Back to the skipped one.
    assert_eq!(current(&h).unwrap().text, "Pyongyang membantah tuduhan");
    press(&mut h, Key::A);
    h.get_by_label("5 / 5 reviewed");

    // A tag the model missed: select text and press a label key.
    let (s, e) = at("seorang pejabat");
    h.state_mut()
        .session_mut()
        .unwrap()
        .set_selection(Some(s..e));
    press(&mut h, Key::Num2);
    let missed = quoted(&h, "seorang pejabat");
    assert_eq!(missed.label, "source");
    assert!(!missed.origin.is_machine());

    // R leaves review mode; Enter no longer accepts anything.
    press(&mut h, Key::R);
    assert!(!h.state().session().unwrap().review().active);
}

#[test]
fn filters_and_bulk_actions_ask_first_and_are_one_step() {
    let (_d, mut h) = reviewing();
    h.state_mut().dialog = None;
    press(&mut h, Key::R);
    // Only sources.
    h.get_by_role_and_label(egui::Role::CheckBox, "source")
        .click();
    h.run_steps(2);
    assert_eq!(h.state().session().unwrap().review().queue().len(), 2);
    h.get_by_label("2 shown");
    h.get_by_label("Accept all shown").click();
    h.run_steps(2);
    match &h.state().dialog {
        Some(Dialog::Confirm(q, _)) => assert!(q.contains("the 2 machine tags"), "{q}"),
        other => panic!("no confirmation: {other:?}"),
    }
    let accepted = |h: &Harness<'static, TandaiApp>| {
        h.state()
            .session()
            .unwrap()
            .doc()
            .annotations
            .spans()
            .filter(|s| s.status == Some(Status::Accepted))
            .count()
    };
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert_eq!(accepted(&h), 0, "cancel changes nothing");
    h.get_by_label("Accept all shown").click();
    h.run_steps(4);
    h.get_by_label("Yes").click();
    h.run_steps(2);
    assert_eq!(accepted(&h), 2);
    // One undo step.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(accepted(&h), 0);

    // Reject everything below 0.5 (scores 0.35 and 0.15), all labels.
    h.get_by_role_and_label(egui::Role::CheckBox, "source")
        .click();
    h.run_steps(1);
    let mut filter = h.state().session().unwrap().review().filter.clone();
    filter.max_score = Some(0.5);
    h.state_mut().apply(
        &egui::Context::default(),
        vec![super::Action::ReviewFilter(filter)],
    );
    h.run_steps(2);
    h.get_by_label("Reject all shown").click();
    h.run_steps(2);
    h.get_by_label("Yes").click();
    h.run_steps(2);
    let s = h.state().session().unwrap();
    let rejected: Vec<&str> = s
        .doc()
        .annotations
        .spans()
        .filter(|x| x.is_rejected())
        .map(|x| x.text.as_str())
        .collect();
    assert_eq!(rejected, ["Korea Utara", "Itu kebohongan"]);
}

#[test]
fn lowest_score_first_when_the_setting_says_so_and_the_scorecard_counts() {
    let (_d, mut h) = reviewing();
    h.state_mut().dialog = None;
    h.state_mut().edit_settings(|s| s.review_by_score = true);
    h.run_steps(1);
    press(&mut h, Key::R);
    assert_eq!(
        current(&h).unwrap().text,
        "Itu kebohongan",
        "score 0.15 first"
    );
    press(&mut h, Key::X);
    assert_eq!(current(&h).unwrap().text, "Korea Utara", "then 0.35");
    press(&mut h, Key::A);
    press(&mut h, Key::A);
    h.get_by_label("Scorecard").click();
    // The click is an action applied after its frame; a new window takes
    // one more frame to size itself.
    h.run_steps(3);
    // 2 accepted of 3 decided: 0.67 [0.21, 0.94], in the model's row and
    // in the total.
    assert_eq!(h.query_all_by_label("0.67 [0.21, 0.94]").count(), 2);
    let s = h.state().session().unwrap();
    assert_eq!(
        s.doc().annotations.span(SpanId(1)).unwrap().status,
        Some(Status::Pending),
        "the highest score is still to do"
    );
}

/// The 24 machine tags of mixed quality shipped with the English example.
const DRONES: &str = include_str!("../../examples/articles/reuters-drones.txt");
const DRONE_TAGS: &str = include_str!("../../examples/articles/reuters-drones.tags.jsonl");

#[test]
fn bulk_decisions_in_the_gui_write_what_scripted_triage_writes() {
    // The same folder twice: one reviewed in the app, one by `tandai
    // review --accept-above 0.85 --reject-below 0.35` (its core).
    let setup = || {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("reuters-drones.txt"), DRONES).unwrap();
        std::fs::write(dir.path().join("tags.jsonl"), DRONE_TAGS).unwrap();
        dir
    };
    let gui_dir = setup();
    let app = TandaiApp::new(None, Some(gui_dir.path().join("reuters-drones.txt")));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1200.0, 760.0))
        .build_ui_state(|ui, app: &mut TandaiApp| app.show(ui), app);
    h.state_mut().edit_settings(|s| s.annotator = "rina".into());
    h.run_steps(2);
    h.state_mut()
        .import_tags_from(&gui_dir.path().join("tags.jsonl"));
    h.state_mut().dialog = None;
    press(&mut h, Key::R);
    for (min, max, button) in [
        (Some(0.85), None, "Accept all shown"),
        (None, Some(0.35), "Reject all shown"),
    ] {
        let mut filter = h.state().session().unwrap().review().filter.clone();
        filter.min_score = min;
        filter.max_score = max;
        h.state_mut().apply(
            &egui::Context::default(),
            vec![super::Action::ReviewFilter(filter)],
        );
        h.run_steps(2);
        h.get_by_label(button).click();
        // A modal takes a few frames to size itself.
        h.run_steps(4);
        h.get_by_label("Yes").click();
        h.run_steps(2);
    }
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    let from_gui =
        std::fs::read_to_string(gui_dir.path().join("reuters-drones.tandai.ron")).unwrap();

    let cli_dir = setup();
    let article = cli_dir.path().join("reuters-drones.txt");
    let mut loaded = crate::store::open(&article, crate::store::LoadOptions::default()).unwrap();
    let schema = crate::schema::Schema::builtin();
    let import = crate::interop::tags::import_tags(
        &loaded.annotations,
        &loaded.article.text,
        &schema,
        DRONE_TAGS.as_bytes(),
        &crate::interop::tags::doc_matcher(&cli_dir.path().join("tags.jsonl"), &article),
    );
    let text = &loaded.article.text;
    crate::edit::apply_all(&mut loaded.annotations, text, import.edits).unwrap();
    let (edits, t) = crate::review::triage(&loaded.annotations, Some(0.85), Some(0.35), "rina");
    assert_eq!((t.accepted, t.rejected, t.between), (8, 3, 13));
    crate::edit::apply_all(&mut loaded.annotations, text, edits).unwrap();
    let labels: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
    let from_cli = crate::format::write(&loaded.annotations, &labels);
    assert_eq!(from_gui, from_cli);
}

#[test]
fn n_and_p_walk_decided_tags_too() {
    let (_d, mut h) = reviewing();
    h.state_mut().dialog = None;
    press(&mut h, Key::R);
    // Decide every tag.
    for _ in 0..10 {
        if current(&h).is_none_or(|s| s.status != Some(Status::Pending)) {
            break;
        }
        press(&mut h, Key::A);
    }
    let s = h.state().session().unwrap();
    assert!(
        s.doc()
            .annotations
            .spans()
            .all(|s| s.status != Some(Status::Pending)),
        "all decided"
    );
    press(&mut h, Key::P);
    let before = current(&h).unwrap().id;
    press(&mut h, Key::P);
    let after = current(&h).unwrap().id;
    assert_ne!(before, after, "P walks decided tags");
    assert!(
        !h.state()
            .session()
            .unwrap()
            .message()
            .is_some_and(|m| m.text.contains("No machine tags match"))
    );
}

#[test]
fn a_boundary_fix_in_review_leaves_the_layout_alone() {
    let (_d, mut h) = reviewing();
    h.state_mut().dialog = None;
    press(&mut h, Key::R);
    let inspector = h.get_by_label("Inspector").rect();
    let article = h.get_by_label("Article text").rect();
    for _ in 0..3 {
        h.key_press_modifiers(egui::Modifiers::SHIFT, Key::ArrowLeft);
        h.run_steps(2);
    }
    assert!(current(&h).unwrap().proposed.is_some(), "corrected");
    h.run_steps(3);
    let after = h.get_by_label("Inspector").rect();
    assert!(
        (after.min.x - inspector.min.x).abs() < 1.0,
        "the inspector keeps its width: {inspector:?} then {after:?}"
    );
    assert!(h.get_by_label("Article text").rect().max.x <= after.min.x + 1.0);
    assert!(article.max.x <= inspector.min.x + 1.0);
    // The key hints are in readable text, on their own line.
    let hints = h.get_by_label_contains("Backspace undo").rect();
    assert!(hints.height() >= 12.0, "{hints:?}");
}
