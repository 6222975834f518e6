//! UI tests of the app's integrity: unsaved work is never marked clean
//! before its replacement is open, a broken project schema is shown and
//! never saved under, and a name is asked for before the first tag when
//! none is known.

use egui::Key;
use egui_kittest::kittest::Queryable;

use super::Action;
use super::app::Dialog;
use super::tests::{ARTICLE, harness, select_and_press, temp_article};
use crate::store;

fn dirty_harness(p: &std::path::Path) -> egui_kittest::Harness<'static, super::TandaiApp> {
    let mut h = harness(p);
    h.state_mut().session_mut().unwrap().tag("claim", 0..7);
    h.run_steps(2);
    assert!(h.state().session().unwrap().is_dirty());
    h
}

#[test]
fn discard_keeps_the_work_unsaved_when_the_replacement_does_not_open() {
    let (dir, p) = temp_article(ARTICLE);
    let mut h = dirty_harness(&p);
    // Opening a file that does not read: Discard, then the open fails.
    let missing = dir.path().join("hilang.txt");
    h.state_mut()
        .apply(&egui::Context::default(), vec![Action::Open(missing)]);
    h.run_steps(2);
    assert!(matches!(h.state().dialog(), Some(Dialog::Unsaved(_))));
    h.get_by_label("Discard").click();
    h.run_steps(2);
    assert!(
        matches!(h.state().dialog(), Some(Dialog::Error(_))),
        "the failed open is reported: {:?}",
        h.state().dialog()
    );
    let s = h.state().session().unwrap();
    assert_eq!(s.doc().article.path, p, "the old document is still open");
    assert!(
        s.is_dirty(),
        "its edits are still unsaved, so quitting asks"
    );
    assert_eq!(s.doc().annotations.span_count(), 1);
    // Autosave still covers it.
    h.get_by_label("OK").click();
    h.run_steps(1);
    h.state_mut().edit_settings(|s| s.autosave_secs = 1);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    h.run_steps(2);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    h.run_steps(2);
    let ann = store::annotation_path_for(&p);
    assert!(crate::recovery::path_for(&ann).exists(), "autosave goes on");
}

#[test]
fn discard_then_a_successful_open_drops_the_work_and_its_recovery_file() {
    let (dir, p) = temp_article(ARTICLE);
    let other = dir.path().join("lain.txt");
    std::fs::write(&other, "Juru bicara itu membantah.\n").unwrap();
    let mut h = dirty_harness(&p);
    let ann = store::annotation_path_for(&p);
    h.state().session().unwrap().write_recovery().unwrap();
    assert!(crate::recovery::path_for(&ann).exists());
    h.state_mut()
        .apply(&egui::Context::default(), vec![Action::Open(other.clone())]);
    h.run_steps(2);
    h.get_by_label("Discard").click();
    h.run_steps(2);
    let s = h.state().session().unwrap();
    assert_eq!(s.doc().article.path, other);
    assert!(!s.is_dirty());
    assert!(!ann.exists(), "nothing was saved");
    assert!(
        !crate::recovery::path_for(&ann).exists(),
        "discarded work is not offered again"
    );
}

#[test]
fn a_broken_project_schema_is_shown_and_nothing_is_saved_under_the_builtin_one() {
    for (schema, says) in [
        ("(labels: [(name: \"klaim\"", "does not read"),
        (
            "(labels: [(name: \"cue\", key: \"l\")])",
            "Link to source (said by)",
        ),
    ] {
        let (dir, p) = temp_article(ARTICLE);
        std::fs::write(dir.path().join("tandai.schema.ron"), schema).unwrap();
        let mut h = harness(&p);
        match h.state().dialog() {
            Some(Dialog::Error(e)) => {
                assert!(e.contains("schema") && e.contains(says), "{e}");
            }
            other => panic!("the broken schema is not reported: {other:?}"),
        }
        h.get_by_label("OK").click();
        h.run_steps(1);
        h.state_mut().session_mut().unwrap().tag("claim", 0..7);
        h.run_steps(1);
        h.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
        h.run_steps(2);
        assert!(
            matches!(h.state().dialog(), Some(Dialog::Error(e)) if e.contains("Not saved")),
            "{:?}",
            h.state().dialog()
        );
        assert!(!store::annotation_path_for(&p).exists(), "no file written");
        assert!(h.state().session().unwrap().is_dirty());
    }
}

#[test]
fn with_no_name_known_the_first_tag_asks_for_one_once() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    h.state_mut().edit_settings(|s| s.annotator.clear());
    select_and_press(&mut h, 0..7, Key::Num2);
    assert!(matches!(h.state().dialog(), Some(Dialog::AskName(_))));
    assert_eq!(
        h.state().session().unwrap().doc().annotations.span_count(),
        0
    );
    h.get_by_label("Your name").type_text("Dewi Lestari");
    h.run_steps(1);
    h.get_by_label("OK").click();
    h.run_steps(2);
    assert!(h.state().dialog().is_none());
    assert_eq!(h.state().settings().annotator, "Dewi Lestari");
    let s = h.state().session().unwrap();
    let span = s.doc().annotations.spans().next().unwrap();
    assert_eq!(
        span.origin,
        crate::model::Origin::Human {
            annotator: "Dewi Lestari".into()
        }
    );
    // Asked once: the next tag goes straight in.
    select_and_press(&mut h, 10..20, Key::Num1);
    assert!(h.state().dialog().is_none());
    assert_eq!(
        h.state().session().unwrap().doc().annotations.span_count(),
        2
    );
}

#[test]
fn a_read_only_annotation_file_is_not_replaced_and_save_as_is_offered() {
    use std::os::unix::fs::PermissionsExt as _;
    let (_d, p) = temp_article(ARTICLE);
    let ann = store::annotation_path_for(&p);
    std::fs::write(
        &ann,
        r#"(version: 1, document: (path: "berita.txt"), spans: [])"#,
    )
    .unwrap();
    std::fs::set_permissions(&ann, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&ann).unwrap();
    let mut h = dirty_harness(&p);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    match h.state().dialog() {
        Some(Dialog::SaveFailed(why)) => assert!(why.contains("read-only"), "{why}"),
        other => panic!("no refusal: {other:?}"),
    }
    h.get_by_label("Save As…");
    assert_eq!(
        std::fs::read(&ann).unwrap(),
        before,
        "the protected file is untouched"
    );
    assert!(h.state().session().unwrap().is_dirty());
}
