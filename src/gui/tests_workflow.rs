//! UI tests of the corpus workflow: the folder sidebar, next / previous
//! article, find and tag-all, find in folder, settings, autosave and
//! recovery, and a file changed on disk while open.

use std::path::{Path, PathBuf};

use egui::{Event, Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::TandaiApp;
use super::app::Dialog;
use super::tests::{ARTICLE, open_name};
use crate::model::{DocState, SpanId};
use crate::store;

const SECOND: &str = "WASHINGTON — Juru bicara Gedung Putih mengatakan kapal itu membawa peluru. Moskow membantah laporan tersebut.\n";
const THIRD: &str =
    "SEOUL — Kepala intelijen menyebut Pyongyang mengirim jutaan peluru. Pyongyang membantah.\n";

/// A folder: `a.txt` done (one span), `b.txt` in progress (one span),
/// `c.txt` not started.
fn folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("korpus");
    std::fs::create_dir(&root).unwrap();
    for (name, text) in [("a.txt", ARTICLE), ("b.txt", SECOND), ("c.txt", THIRD)] {
        std::fs::write(root.join(name), text).unwrap();
    }
    for (name, done) in [("a", true), ("b", false)] {
        std::fs::write(
            root.join(format!("{name}.tandai.ron")),
            format!(
                r#"(version: 1, document: (path: "{name}.txt"), done: {done}, spans: [
                    (id: 1, label: "source", start: 0, end: 7),
                ])"#
            ),
        )
        .unwrap();
    }
    (dir, root)
}

fn harness_on(path: &Path) -> Harness<'static, TandaiApp> {
    let app = TandaiApp::new(None, Some(path.to_owned()));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1200.0, 760.0))
        .build_ui_state(|ui, app: &mut TandaiApp| app.show(ui), app);
    h.run_steps(3);
    h
}

/// Runs frames until the sidebar has read every article's state.
fn settle(h: &mut Harness<'static, TandaiApp>) {
    for _ in 0..200 {
        h.run_steps(1);
        if h.state().folder().is_some_and(|c| !c.loading()) {
            h.run_steps(1);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("the sidebar never finished reading");
}

fn on_disk(path: &Path) -> crate::format::RawFile {
    store::read_raw(path).unwrap().0
}

#[test]
fn a_folder_lists_its_articles_with_progress_and_filters() {
    let (_d, root) = folder();
    let mut h = harness_on(&root);
    settle(&mut h);
    assert!(h.state().doc.is_none(), "nothing open yet");
    h.get_by_label("1 / 3 done");
    h.get_by_label("[x] a.txt");
    h.get_by_label("[~] b.txt");
    h.get_by_label("[ ] c.txt");
    let p = h.state().folder().unwrap().progress();
    assert_eq!((p.done, p.in_progress, p.not_started), (1, 1, 1));

    // Filter by name.
    h.get_by_role_and_label(egui::Role::TextInput, "Filter")
        .click();
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::TextInput, "Filter")
        .type_text("b");
    h.run_steps(2);
    assert!(h.query_by_label("[x] a.txt").is_none());
    h.get_by_label("[~] b.txt");

    // A click opens the article.
    h.get_by_label("[~] b.txt").click();
    h.run_steps(3);
    assert_eq!(open_name(&h).as_deref(), Some("b.txt"));
}

#[test]
fn next_article_saves_first_and_marks_progress() {
    let (_d, root) = folder();
    let mut h = harness_on(&root);
    settle(&mut h);
    // From nothing open, Ctrl+PageDown opens the first article not done.
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    h.run_steps(3);
    assert_eq!(open_name(&h).as_deref(), Some("b.txt"));

    // Tag, mark done, go on: the edit and the done flag are saved.
    let s = h.state_mut().session_mut().unwrap();
    s.set_selection(Some(25..37));
    h.run_steps(1);
    h.key_press(Key::Num2);
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run_steps(1);
    assert!(h.state().session().unwrap().is_dirty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    h.run_steps(3);
    assert_eq!(open_name(&h).as_deref(), Some("c.txt"));
    let raw = on_disk(&root.join("b.tandai.ron"));
    assert!(raw.done);
    assert_eq!(raw.spans.len(), 2);
    h.get_by_label("2 / 3 done");
    assert_eq!(h.state().folder().unwrap().progress().done, 2);

    // The last article has no next one; Ctrl+PageUp goes back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    h.run_steps(2);
    assert_eq!(open_name(&h).as_deref(), Some("c.txt"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageUp);
    h.run_steps(3);
    assert_eq!(open_name(&h).as_deref(), Some("b.txt"));
    assert_eq!(
        h.state().session().unwrap().doc().annotations.state(),
        DocState::Done
    );
}

#[test]
fn next_article_asks_when_the_setting_says_so() {
    let (_d, root) = folder();
    let mut h = harness_on(&root.join("b.txt"));
    h.state_mut().open_folder(&root);
    h.state_mut()
        .edit_settings(|s| s.ask_before_switching = true);
    settle(&mut h);
    h.state_mut().session_mut().unwrap().toggle_done();
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    h.run_steps(2);
    assert!(matches!(h.state().dialog, Some(Dialog::Unsaved(_))));
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert_eq!(open_name(&h).as_deref(), Some("b.txt"), "Cancel stays");
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    h.run_steps(2);
    h.get_by_label("Save").click();
    h.run_steps(3);
    assert_eq!(open_name(&h).as_deref(), Some("c.txt"));
    assert!(on_disk(&root.join("b.tandai.ron")).done);
}

#[test]
fn find_highlights_steps_and_tags_all_matches_in_one_undo_step() {
    let (_d, root) = folder();
    let mut h = harness_on(&root.join("c.txt"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    assert!(
        h.get_by_role_and_label(egui::Role::TextInput, "Find")
            .is_focused()
    );
    h.get_by_role_and_label(egui::Role::TextInput, "Find")
        .type_text("PYONGYANG");
    h.run_steps(2);
    h.get_by_label("1 / 2");
    // Enter goes to the next match, which becomes the text selection.
    h.key_press(Key::Enter);
    h.run_steps(2);
    let s = h.state().session().unwrap();
    assert_eq!(s.selection(), Some(68..77));
    assert_eq!(s.find().status(), "2 / 2");
    // Enter gave the keys back to the article: Shift+F3 steps back, and a
    // label key tags the match instead of typing into the box.
    assert!(
        !h.get_by_role_and_label(egui::Role::TextInput, "Find")
            .is_focused()
    );
    h.key_press_modifiers(Modifiers::SHIFT, Key::F3);
    h.run_steps(2);
    assert_eq!(h.state().session().unwrap().selection(), Some(34..43));
    h.key_press(Key::Num2);
    h.run_steps(2);
    let s = h.state().session().unwrap();
    assert_eq!(
        s.find().query.pattern,
        "PYONGYANG",
        "nothing typed into the box"
    );
    let tagged = s.selected_span().unwrap();
    assert_eq!((tagged.label.as_str(), tagged.range()), ("source", 34..43));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);

    h.get_by_label("source").click();
    h.run_steps(2);
    let s = h.state().session().unwrap();
    let quotes: Vec<&str> = s
        .doc()
        .annotations
        .spans()
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(quotes, ["Pyongyang", "Pyongyang"]);
    // Again: nothing new.
    h.get_by_label("source").click();
    h.run_steps(2);
    assert_eq!(
        h.state().session().unwrap().doc().annotations.span_count(),
        2
    );
    // One undo takes both back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(
        h.state().session().unwrap().doc().annotations.span_count(),
        0
    );
    // Escape closes the bar; matches are no longer painted.
    h.get_by_role_and_label(egui::Role::TextInput, "Find")
        .focus();
    h.run_steps(2);
    assert!(
        h.get_by_role_and_label(egui::Role::TextInput, "Find")
            .is_focused()
    );
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(!h.state().session().unwrap().find().open);
    assert!(
        h.query_by_role_and_label(egui::Role::TextInput, "Find")
            .is_none()
    );
}

#[test]
fn find_in_folder_lists_hits_by_article_and_opens_one() {
    let (_d, root) = folder();
    std::fs::write(
        root.join("c.tandai.ron"),
        r#"(version: 1, document: (path: "c.txt"), spans: [
            (id: 5, label: "denial", start: 78, end: 87, note: "Bantahan Pyongyang dikutip ulang"),
        ])"#,
    )
    .unwrap();
    let mut h = harness_on(&root);
    settle(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::TextInput, "Search for")
        .type_text("pyongyang");
    h.run_steps(1);
    h.key_press(Key::Enter);
    for _ in 0..100 {
        h.run_steps(1);
        if h.query_by_label_contains("hits in 2 articles").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.get_by_label("4 hits in 2 articles");
    h.get_by_label("a.txt (1)");
    h.get_by_label("c.txt (3)");
    h.get_by_label_contains("note of span 5").click();
    h.run_steps(3);
    assert_eq!(open_name(&h).as_deref(), Some("c.txt"));
    assert_eq!(h.state().session().unwrap().selected(), Some(SpanId(5)));
}

#[test]
fn settings_window_sets_the_annotator_of_new_spans() {
    let (_d, root) = folder();
    let mut h = harness_on(&root.join("c.txt"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Comma);
    h.run_steps(2);
    let field = h.get_by_role_and_label(egui::Role::TextInput, "Annotator name");
    field.focus();
    field.type_text("-x");
    h.run_steps(2);
    let name = h.state().settings.annotator.clone();
    assert!(name.ends_with("-x"));
    h.get_by_label("Snap to whole words").click();
    h.run_steps(2);
    assert!(!h.state().settings.snap_words);
    assert!(!h.state().doc.as_ref().unwrap().view.snap_words);
    h.state_mut()
        .session_mut()
        .unwrap()
        .set_selection(Some(0..5));
    h.run_steps(1);
    h.state_mut().session_mut().unwrap().apply_label("source");
    h.run_steps(1);
    let s = h.state().session().unwrap();
    let span = s.doc().annotations.spans().next().unwrap();
    assert_eq!(span.origin, crate::model::Origin::Human { annotator: name });
}

#[test]
fn autosave_writes_a_recovery_file_that_a_save_removes() {
    let (_d, root) = folder();
    let mut h = harness_on(&root.join("c.txt"));
    h.state_mut().edit_settings(|s| s.autosave_secs = 1);
    let ann = root.join("c.tandai.ron");
    let rec = crate::recovery::path_for(&ann);
    h.state_mut().session_mut().unwrap().tag("claim", 15..24);
    h.run_steps(2);
    assert!(!rec.exists(), "not before the interval");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    h.run_steps(2);
    assert!(rec.exists(), "autosaved after the interval");
    let (raw, _) = store::read_raw(&rec).unwrap();
    assert_eq!(raw.spans.len(), 1);
    assert!(!ann.exists(), "the annotation file itself is not written");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    assert!(ann.exists());
    assert!(!rec.exists(), "a normal save removes the recovery file");
}

#[test]
fn a_newer_recovery_file_is_offered_on_open_and_restores() {
    let (_d, root) = folder();
    let ann = root.join("b.tandai.ron");
    // What an autosave left: the saved span and one more, newer.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(
        crate::recovery::path_for(&ann),
        r#"(version: 1, document: (path: "b.txt"), spans: [
            (id: 1, label: "source", start: 0, end: 7),
            (id: 2, label: "claim", start: 49, end: 66),
        ])"#,
    )
    .unwrap();
    let mut h = harness_on(&root.join("b.txt"));
    match &h.state().dialog {
        Some(Dialog::Recovery(summary)) => assert!(summary.contains('1'), "{summary}"),
        other => panic!("no recovery offer: {other:?}"),
    }
    h.get_by_label("Restore").click();
    h.run_steps(2);
    let s = h.state().session().unwrap();
    assert_eq!(s.doc().annotations.span_count(), 2);
    assert!(s.is_dirty(), "restored work is unsaved until saved");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    assert_eq!(on_disk(&ann).spans.len(), 2);
    assert!(!crate::recovery::path_for(&ann).exists());

    // Discard deletes the recovery file and keeps the saved annotations.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(
        crate::recovery::path_for(&ann),
        r#"(version: 1, document: (path: "b.txt"), spans: [])"#,
    )
    .unwrap();
    let mut h = harness_on(&root.join("b.txt"));
    assert!(matches!(h.state().dialog, Some(Dialog::Recovery(_))));
    h.get_by_label("Discard").click();
    h.run_steps(2);
    assert!(!crate::recovery::path_for(&ann).exists());
    assert_eq!(
        h.state().session().unwrap().doc().annotations.span_count(),
        2
    );
}

fn regain_focus(h: &mut Harness<'static, TandaiApp>) {
    h.event(Event::WindowFocused(false));
    h.run_steps(1);
    h.event(Event::WindowFocused(true));
    h.run_steps(2);
}

#[test]
fn a_file_changed_on_disk_is_reloaded_when_clean_and_asked_about_when_not() {
    let (_d, root) = folder();
    let ann = root.join("b.tandai.ron");
    let mut h = harness_on(&root.join("b.txt"));
    // Clean: another program rewrites the file; focus brings it in.
    std::fs::write(
        &ann,
        r#"(version: 1, document: (path: "b.txt"), spans: [
            (id: 1, label: "source", start: 0, end: 7),
            (id: 9, label: "denial", start: 82, end: 91),
        ])"#,
    )
    .unwrap();
    regain_focus(&mut h);
    assert!(h.state().dialog.is_none());
    assert_eq!(
        h.state().session().unwrap().doc().annotations.span_count(),
        2
    );

    // Dirty: appended to on disk; focus asks, and Reload takes the disk's.
    h.state_mut().session_mut().unwrap().tag("claim", 25..37);
    let mut text = std::fs::read_to_string(&ann).unwrap();
    text.push_str("\n// edited by hand\n");
    std::fs::write(&ann, &text).unwrap();
    regain_focus(&mut h);
    assert!(matches!(h.state().dialog, Some(Dialog::Conflict(_))));
    h.get_by_label("Reload").click();
    h.run_steps(2);
    let s = h.state().session().unwrap();
    assert_eq!(s.doc().annotations.span_count(), 2);
    assert!(!s.is_dirty());

    // Dirty and deleted on disk: asked; Overwrite writes ours back.
    h.state_mut().session_mut().unwrap().tag("claim", 25..37);
    std::fs::remove_file(&ann).unwrap();
    regain_focus(&mut h);
    assert!(matches!(h.state().dialog, Some(Dialog::Conflict(ref m)) if m.contains("deleted")));
    h.get_by_label("Overwrite").click();
    h.run_steps(2);
    assert_eq!(on_disk(&ann).spans.len(), 3);

    // Two windows on one file: the second save is refused, not silent.
    let mut other = harness_on(&root.join("b.txt"));
    other
        .state_mut()
        .session_mut()
        .unwrap()
        .tag("source", 75..81);
    h.state_mut().session_mut().unwrap().tag("denial", 49..58);
    other.key_press_modifiers(Modifiers::COMMAND, Key::S);
    other.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    assert!(matches!(h.state().dialog, Some(Dialog::Conflict(_))));
    assert!(h.state().session().unwrap().is_dirty(), "nothing lost here");
    assert_eq!(
        on_disk(&ann).spans.len(),
        4,
        "the other window's save stands"
    );
}

#[test]
fn an_article_outside_the_folder_opens_only_after_confirming() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    let here = dir.path().join("here");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(&here).unwrap();
    std::fs::write(elsewhere.join("a.txt"), SECOND).unwrap();
    let ann = here.join("a.tandai.ron");
    std::fs::write(
        &ann,
        r#"(version: 1, document: (path: "../elsewhere/a.txt"), spans: [])"#,
    )
    .unwrap();
    let mut h = harness_on(&ann);
    assert!(h.state().doc.is_none(), "not opened without asking");
    match &h.state().dialog {
        Some(Dialog::Confirm(q, _)) => assert!(q.contains("../elsewhere/a.txt"), "{q}"),
        other => panic!("no question: {other:?}"),
    }
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert!(h.state().doc.is_none());

    let mut h = harness_on(&ann);
    h.get_by_label("Yes").click();
    h.run_steps(2);
    assert_eq!(open_name(&h).as_deref(), Some("a.txt"));
}

#[test]
fn a_key_typed_in_the_same_frame_as_enter_is_searched_for() {
    let (_d, root) = folder();
    let mut h = harness_on(&root.join("c.txt"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    let field = || egui::Role::TextInput;
    h.get_by_role_and_label(field(), "Find")
        .type_text("Pyongyan");
    h.run_steps(2);
    // Fast typing: the last letter and Enter arrive in one frame.
    h.event(Event::Text("g".into()));
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert_eq!(h.state().session().unwrap().selection(), Some(68..77));
    // Ctrl+F again selects the pattern: typing replaces it.
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.get_by_role_and_label(field(), "Find").type_text("Seoul");
    h.run_steps(2);
    assert_eq!(h.state().session().unwrap().find().query.pattern, "Seoul");
}

#[test]
fn ctrl_d_shows_in_the_folder_list_at_once_and_is_read_again_when_discarded() {
    let (_d, root) = folder();
    let mut h = harness_on(&root);
    settle(&mut h);
    h.state_mut().open_now(&root.join("c.txt"));
    h.run_steps(2);
    h.get_by_label("1 / 3 done");
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run_steps(2);
    h.get_by_label("2 / 3 done");
    // Leaving it unsaved (Discard): the list goes back to what is on disk.
    h.state_mut().apply(
        &egui::Context::default(),
        vec![super::Action::Open(root.join("b.txt"))],
    );
    h.run_steps(2);
    h.get_by_label("Discard").click();
    h.run_steps(3);
    assert_eq!(open_name(&h).as_deref(), Some("b.txt"));
    h.get_by_label("1 / 3 done");
}

#[test]
fn one_tags_file_for_the_open_folder_fills_every_article_it_names() {
    let (_d, root) = folder();
    let mut h = harness_on(&root.join("b.txt"));
    h.state_mut().open_folder(&root);
    settle(&mut h);
    let at = |text: &str, quote: &str| {
        let b = text.find(quote).unwrap();
        let s = text[..b].chars().count();
        (s, s + quote.chars().count())
    };
    let line = |doc: &str, text: &str, quote: &str, label: &str| {
        let (s, e) = at(text, quote);
        format!(
            r#"{{"doc": "{doc}", "start": {s}, "end": {e}, "label": "{label}", "score": 0.8, "model": "toy-1"}}"#
        )
    };
    let tags = [
        line("b.txt", SECOND, "Moskow", "source"),
        line("c.txt", THIRD, "Kepala intelijen", "source"),
        line("hilang.txt", THIRD, "Pyongyang", "source"),
    ]
    .join("\n");
    let tags_path = root.join("tags.jsonl");
    std::fs::write(&tags_path, tags).unwrap();
    h.state_mut().import_tags_from(&tags_path);
    h.run_steps(2);
    // The open article took its line as one undo step...
    let s = h.state().session().unwrap();
    assert!(s.doc().annotations.spans().any(|x| x.text == "Moskow"));
    // ...the other article got its own on disk, and the missing one is named.
    let c = store::load(&root.join("c.tandai.ron"), store::LoadOptions::default()).unwrap();
    let quotes: Vec<&str> = c.annotations.spans().map(|x| x.text.as_str()).collect();
    assert_eq!(quotes, ["Kepala intelijen"]);
    let Some(Dialog::Info(text)) = &h.state().dialog else {
        panic!("a report: {:?}", h.state().dialog);
    };
    assert!(text.contains("1 tags added"), "{text}");
    assert!(text.contains("tags.jsonl:3: no article"), "{text}");
    // The sidebar knows c.txt has a tag to review now.
    let folder = h.state().folder().unwrap();
    let i = folder.index_of(&root.join("c.txt")).unwrap();
    assert!(
        matches!(folder.known(i), Some(crate::session::folder::Known::Info(info)) if info.pending == 1),
        "{:?}",
        folder.known(i)
    );
}
