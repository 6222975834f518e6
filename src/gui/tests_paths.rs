//! UI tests of the built-in path field: shown where no file dialog can be
//! (the detection is overridden, so no test ever calls rfd), completing a
//! folder's entries, opening files and folders, saving as.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::TandaiApp;
use super::tests::{ARTICLE, open_name, select_and_press};

/// A folder with an article open in it, a second article, a subfolder of
/// articles and a file the subfolder's name shares a start with.
fn desk() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("berita.txt"), ARTICLE).unwrap();
    std::fs::write(d.join("kedua.txt"), "Artikel kedua, pendek saja.\n").unwrap();
    std::fs::write(d.join("kor-catatan.txt"), "Catatan.\n").unwrap();
    std::fs::create_dir(d.join("korpus")).unwrap();
    std::fs::write(d.join("korpus/satu.txt"), "Satu artikel.\n").unwrap();
    let article = d.join("berita.txt");
    (dir, article)
}

/// The app on `open`, with no native file dialog.
fn bare_desktop(open: Option<&Path>) -> Harness<'static, TandaiApp> {
    let mut app = TandaiApp::new(None, open.map(Path::to_owned));
    app.picker.native = Some(false);
    let mut h = Harness::builder()
        .with_size(Vec2::new(1200.0, 760.0))
        .build_ui_state(|ui, app: &mut TandaiApp| app.show(ui), app);
    h.run_steps(3);
    h
}

fn field_text(h: &Harness<'static, TandaiApp>) -> String {
    h.state()
        .picker
        .field
        .as_ref()
        .map(|f| f.text().to_owned())
        .unwrap()
}

fn type_in_field(h: &mut Harness<'static, TandaiApp>, text: &str) {
    h.get_by_label("Path").type_text(text);
    h.run_steps(2);
}

fn erase(h: &mut Harness<'static, TandaiApp>, chars: usize) {
    for _ in 0..chars {
        h.key_press(Key::Backspace);
    }
    h.run_steps(1);
}

#[test]
fn without_a_dialog_open_says_so_and_shows_the_field() {
    let mut h = bare_desktop(None);
    assert!(h.query_by_label("Path").is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run_steps(2);
    h.get_by_label("Path");
    h.get_by_label(super::file_dialogs::NO_DIALOG);
    // Open Folder falls back the same way.
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.state().picker.field.is_none());
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    h.run_steps(2);
    h.get_by_label("Open a folder of articles");
    h.get_by_label(super::file_dialogs::NO_DIALOG);
}

#[test]
fn the_field_completes_the_folder_entries_folders_first() {
    let (dir, article) = desk();
    let mut h = bare_desktop(Some(&article));
    // Open path… is there even where dialogs work; it starts in the
    // article's folder.
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run_steps(2);
    assert!(h.query_by_label(super::file_dialogs::NO_DIALOG).is_none());
    assert_eq!(
        PathBuf::from(field_text(&h)),
        dir.path().join(""),
        "starts in the open article's folder"
    );
    // (berita.txt is also the open article's name, shown elsewhere.)
    for entry in ["korpus/", "kedua.txt", "kor-catatan.txt"] {
        h.get_by_label(entry);
    }
    type_in_field(&mut h, "kor");
    h.get_by_label("korpus/");
    h.get_by_label("kor-catatan.txt");
    assert!(h.query_by_label("kedua.txt").is_none());
    // Tab takes the first completion, the folder; its entries follow.
    h.key_press(Key::Tab);
    h.run_steps(2);
    assert_eq!(
        PathBuf::from(field_text(&h)),
        dir.path().join("korpus").join("")
    );
    h.get_by_label("satu.txt");
    assert!(h.query_by_label("kor-catatan.txt").is_none());
}

#[test]
fn enter_opens_the_file_typed_and_a_click_opens_a_completion() {
    let (_dir, article) = desk();
    let mut h = bare_desktop(Some(&article));
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run_steps(2);
    type_in_field(&mut h, "kedua.txt");
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert_eq!(open_name(&h).as_deref(), Some("kedua.txt"));
    assert!(h.state().picker.field.is_none(), "the field closes");

    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run_steps(2);
    h.get_by_label("kor-catatan.txt").click();
    h.run_steps(3);
    assert_eq!(open_name(&h).as_deref(), Some("kor-catatan.txt"));
}

#[test]
fn a_folder_typed_opens_the_sidebar_and_a_missing_path_keeps_the_field() {
    let (dir, article) = desk();
    let mut h = bare_desktop(Some(&article));
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run_steps(2);
    type_in_field(&mut h, "tidak-ada.txt");
    h.key_press(Key::Enter);
    h.run_steps(2);
    h.get_by_label_contains("does not exist");
    assert_eq!(open_name(&h).as_deref(), Some("berita.txt"));

    erase(&mut h, "tidak-ada.txt".len());
    type_in_field(&mut h, "korpus");
    h.key_press(Key::Enter);
    h.run_steps(3);
    let folder = h.state().folder().unwrap();
    assert_eq!(folder.root(), dir.path().join("korpus"));
    h.get_by_label("Articles");
    // The open article stays open, as with Open Folder.
    assert_eq!(open_name(&h).as_deref(), Some("berita.txt"));
}

#[test]
fn save_as_without_a_dialog_saves_to_the_path_typed() {
    let (dir, article) = desk();
    let mut h = bare_desktop(Some(&article));
    select_and_press(&mut h, 0..7, Key::Num2);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    h.run_steps(2);
    h.get_by_label("Save the annotations as");
    assert!(field_text(&h).ends_with("berita.tandai.ron"));
    erase(&mut h, "berita.tandai.ron".len());
    type_in_field(&mut h, "salinan.tandai.ron");
    h.key_press(Key::Enter);
    h.run_steps(3);
    let saved = dir.path().join("salinan.tandai.ron");
    assert!(saved.exists());
    assert!(!h.state().session().unwrap().is_dirty());
    assert_eq!(crate::store::read_raw(&saved).unwrap().0.spans.len(), 1);
}
