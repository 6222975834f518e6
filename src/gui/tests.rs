//! UI tests: the whole app in an `egui_kittest` harness, driven by keys,
//! pointer events and clicks on labelled widgets.

use std::ops::Range;
use std::path::PathBuf;

use egui::{Event, Key, Modifiers, PointerButton, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::TandaiApp;
use super::app::Dialog;
use crate::model::SpanId;

pub(crate) const ARTICLE: &str = "JAKARTA, KOMPAS.TV — Gedung Putih menuding “Korea Utara” diam-diam mengirim peluru artileri ke Rusia, kata juru bicara John Kirby.\n\nPyongyang membantah tuduhan itu. “Itu kebohongan,” kata seorang pejabat 👍🏽.\n";

pub(crate) fn temp_article(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("berita.txt");
    std::fs::write(&p, text).unwrap();
    (dir, p)
}

pub(crate) fn harness(path: &std::path::Path) -> Harness<'static, TandaiApp> {
    let app = TandaiApp::new(None, Some(path.to_owned()));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1200.0, 760.0))
        .build_ui_state(|ui, app: &mut TandaiApp| app.show(ui), app);
    h.run_steps(3);
    h
}

fn range(quote: &str) -> Range<usize> {
    let b = ARTICLE.find(quote).unwrap();
    let start = ARTICLE[..b].chars().count();
    start..start + quote.chars().count()
}

/// Selects `range` and presses a label key, as a user would.
pub(crate) fn select_and_press(h: &mut Harness<'static, TandaiApp>, range: Range<usize>, key: Key) {
    h.state_mut()
        .session_mut()
        .unwrap()
        .set_selection(Some(range));
    h.run_steps(1);
    h.key_press(key);
    h.run_steps(2);
}

/// The open article's file name.
pub(crate) fn open_name(h: &Harness<'static, TandaiApp>) -> Option<String> {
    h.state().session().map(|s| {
        s.doc()
            .article
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    })
}

fn tag(h: &mut Harness<'static, TandaiApp>, quote: &str, key: Key) -> SpanId {
    h.state_mut()
        .session_mut()
        .unwrap()
        .set_selection(Some(range(quote)));
    h.run_steps(2);
    h.key_press(key);
    h.run_steps(2);
    h.state().session().unwrap().selected().unwrap()
}

fn span(h: &Harness<'static, TandaiApp>, id: SpanId) -> Option<crate::model::Span> {
    h.state()
        .session()
        .unwrap()
        .doc()
        .annotations
        .span(id)
        .cloned()
}

fn drag(h: &mut Harness<'static, TandaiApp>, from: Pos2, to: Pos2, modifiers: Modifiers) {
    h.event(Event::PointerMoved(from));
    h.run_steps(1);
    h.event_modifiers(
        Event::PointerButton {
            pos: from,
            button: PointerButton::Primary,
            pressed: true,
            modifiers,
        },
        modifiers,
    );
    h.run_steps(1);
    for i in 1..=6 {
        let t = i as f32 / 6.0;
        h.event_modifiers(Event::PointerMoved(from + (to - from) * t), modifiers);
        h.run_steps(1);
    }
    h.event_modifiers(
        Event::PointerButton {
            pos: to,
            button: PointerButton::Primary,
            pressed: false,
            modifiers,
        },
        modifiers,
    );
    h.run_steps(2);
}

fn click_at(h: &mut Harness<'static, TandaiApp>, pos: Pos2) {
    h.event(Event::PointerMoved(pos));
    h.run_steps(1);
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run_steps(2);
}

#[test]
fn drag_snaps_to_words_and_a_key_tags() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    let r = range("Gedung Putih");
    let view = &h.state().doc.as_ref().unwrap().view;
    // From inside "Gedung" to inside "Putih".
    let from = view.screen_pos_of(r.start + 2).unwrap();
    let to = view.screen_pos_of(r.end - 2).unwrap();
    drag(&mut h, from, to, Modifiers::NONE);
    assert_eq!(h.state().session().unwrap().selection(), Some(r.clone()));
    h.key_press(Key::Num2);
    h.run_steps(2);
    let s = h.state().session().unwrap();
    let id = s.selected().unwrap();
    let sp = s.doc().annotations.span(id).unwrap();
    assert_eq!(
        (sp.label.as_str(), sp.text.as_str()),
        ("source", "Gedung Putih")
    );

    // With Alt held, no snapping.
    let from = h
        .state()
        .doc
        .as_ref()
        .unwrap()
        .view
        .screen_pos_of(r.start + 2)
        .unwrap();
    let to = h
        .state()
        .doc
        .as_ref()
        .unwrap()
        .view
        .screen_pos_of(r.end - 2)
        .unwrap();
    drag(&mut h, from, to, Modifiers::ALT);
    assert_eq!(
        h.state().session().unwrap().selection(),
        Some(r.start + 2..r.end - 2)
    );
}

#[test]
fn keys_relabel_resize_delete_undo_redo() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    let id = tag(&mut h, "Gedung", Key::Num2);
    assert_eq!(span(&h, id).unwrap().label, "source");
    h.key_press(Key::Num1);
    h.run_steps(2);
    assert_eq!(span(&h, id).unwrap().label, "claim");
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    h.run_steps(2);
    assert_eq!(span(&h, id).unwrap().text, "Gedung Putih");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowLeft);
    h.run_steps(2);
    assert_eq!(span(&h, id).unwrap().text, "KOMPAS.TV — Gedung Putih");
    h.key_press_modifiers(
        Modifiers::COMMAND | Modifiers::SHIFT | Modifiers::ALT,
        Key::ArrowRight,
    );
    h.run_steps(2);
    assert_eq!(span(&h, id).unwrap().text, "OMPAS.TV — Gedung Putih");
    h.key_press_modifiers(Modifiers::ALT | Modifiers::SHIFT, Key::ArrowLeft);
    h.run_steps(2);
    assert_eq!(span(&h, id).unwrap().text, "OMPAS.TV — Gedung Puti");
    h.key_press(Key::Delete);
    h.run_steps(2);
    assert!(span(&h, id).is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(span(&h, id).unwrap().text, "OMPAS.TV — Gedung Puti");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(2);
    assert!(span(&h, id).is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run_steps(2);
    assert!(span(&h, id).is_none());
    assert!(h.state().session().unwrap().is_dirty());
}

#[test]
fn link_by_key_and_click_and_refuse_wrong_pairs() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    let src = tag(&mut h, "Gedung Putih", Key::Num2);
    let claim = tag(
        &mut h,
        "“Korea Utara” diam-diam mengirim peluru artileri ke Rusia",
        Key::Num1,
    );
    h.key_press(Key::L);
    h.run_steps(2);
    assert_eq!(h.state().session().unwrap().pending_link(), Some("said_by"));
    let at = h
        .state()
        .doc
        .as_ref()
        .unwrap()
        .view
        .span_rect(src)
        .unwrap()
        .center();
    click_at(&mut h, at);
    let s = h.state().session().unwrap();
    let link = s.doc().annotations.links().next().unwrap();
    assert_eq!(
        (link.kind.as_str(), link.from, link.to),
        ("said_by", claim, src)
    );
    // A denial link from a claim is refused with a message.
    h.key_press(Key::D);
    h.run_steps(2);
    let m = h.state().session().unwrap().message().cloned().unwrap();
    assert!(m.error && m.text.contains("denies"), "{m:?}");
    // The link shows in the inspector and can be removed there.
    h.get_by_label("Unlink").click();
    h.run_steps(2);
    assert_eq!(
        h.state().session().unwrap().doc().annotations.link_count(),
        0
    );
}

#[test]
fn clicks_cycle_overlapping_spans_and_tab_walks() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    let outer = tag(&mut h, "Gedung Putih menuding “Korea Utara”", Key::Num1);
    let inner = tag(&mut h, "Gedung Putih", Key::Num2);
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert_eq!(h.state().session().unwrap().selected(), None);
    let at = h
        .state()
        .doc
        .as_ref()
        .unwrap()
        .view
        .span_rect(inner)
        .unwrap()
        .center();
    click_at(&mut h, at);
    assert_eq!(h.state().session().unwrap().selected(), Some(inner));
    click_at(&mut h, at);
    assert_eq!(h.state().session().unwrap().selected(), Some(outer));
    click_at(&mut h, at);
    assert_eq!(h.state().session().unwrap().selected(), Some(inner));
    h.key_press(Key::Tab);
    h.run_steps(2);
    assert_eq!(h.state().session().unwrap().selected(), Some(outer));
    h.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    h.run_steps(2);
    assert_eq!(h.state().session().unwrap().selected(), Some(inner));
}

#[test]
fn save_with_ctrl_s_and_reload() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    tag(&mut h, "Pyongyang membantah tuduhan itu", Key::Num3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    assert!(!h.state().session().unwrap().is_dirty());
    let ron = p.with_file_name("berita.tandai.ron");
    let saved = std::fs::read_to_string(&ron).unwrap();
    assert!(saved.contains("label: \"denial\""), "{saved}");
    let h2 = harness(&p);
    let s = h2.state().session().unwrap();
    assert_eq!(s.doc().annotations.span_count(), 1);
    assert!(!s.is_dirty());
}

#[test]
fn unsaved_changes_prompt_on_close_and_open() {
    let (d, p) = temp_article(ARTICLE);
    let other = d.path().join("lain.txt");
    std::fs::write(&other, "Artikel lain.").unwrap();
    let mut h = harness(&p);
    tag(&mut h, "Gedung Putih", Key::Num2);
    // The window's close button.
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run_steps(2);
    assert!(matches!(h.state().dialog, Some(Dialog::Unsaved(_))));
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert!(h.state().dialog.is_none());
    assert!(
        h.state().session().unwrap().is_dirty(),
        "still here, still unsaved"
    );
    // Opening another file asks too; Save writes, then opens.
    h.state_mut().apply(
        &egui::Context::default(),
        vec![super::Action::Open(other.clone())],
    );
    h.run_steps(2);
    assert!(matches!(h.state().dialog, Some(Dialog::Unsaved(_))));
    h.get_by_label("Save").click();
    h.run_steps(2);
    assert!(p.with_file_name("berita.tandai.ron").exists());
    assert_eq!(h.state().session().unwrap().file_name(), "lain.txt");
}

#[test]
fn a_failed_save_keeps_the_work_and_says_why() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    tag(&mut h, "Gedung Putih", Key::Num2);
    // Someone else writes the annotation file meanwhile.
    std::fs::write(
        p.with_file_name("berita.tandai.ron"),
        "(version: 1, document: (path: \"berita.txt\"))\n",
    )
    .unwrap();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    assert!(matches!(h.state().dialog, Some(Dialog::Conflict(_))));
    assert!(h.state().session().unwrap().is_dirty());
    h.get_by_label("Overwrite").click();
    h.run_steps(2);
    assert!(!h.state().session().unwrap().is_dirty());
}

#[test]
fn note_edits_are_one_undo_step() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    let id = tag(&mut h, "Gedung Putih", Key::Num2);
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "Note")
        .click();
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "Note")
        .type_text("sumber resmi");
    h.run_steps(1);
    // Label keys typed into the note do not tag or relabel.
    h.key_press(Key::Num1);
    h.run_steps(1);
    assert_eq!(span(&h, id).unwrap().label, "source");
    h.key_press(Key::Escape);
    h.run_steps(1);
    // Leave the field.
    click_at(&mut h, Pos2::new(600.0, 700.0));
    h.run_steps(2);
    assert_eq!(span(&h, id).unwrap().note.as_deref(), Some("sumber resmi"));
    h.state_mut().session_mut().unwrap().undo();
    h.run_steps(2);
    assert_eq!(span(&h, id).unwrap().note, None);
    assert_eq!(
        span(&h, id).unwrap().label,
        "source",
        "one step took the whole note back"
    );
}

#[test]
fn span_list_filters_and_selects() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    let a = tag(&mut h, "Gedung Putih", Key::Num2);
    tag(&mut h, "Pyongyang membantah tuduhan itu", Key::Num3);
    h.key_press(Key::Escape);
    h.run_steps(2);
    h.get_by_label(&format!("{a} source Gedung Putih")).click();
    h.run_steps(2);
    assert_eq!(h.state().session().unwrap().selected(), Some(a));
    h.state_mut().doc.as_mut().unwrap().span_list.filter = Some("denial".into());
    h.run_steps(2);
    assert!(
        h.query_by_label(&format!("{a} source Gedung Putih"))
            .is_none()
    );
}

#[test]
fn help_overlay_lists_every_command() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    h.key_press(Key::F1);
    h.run_steps(2);
    assert!(h.state().windows.help);
    for c in super::commands::Command::ALL {
        assert!(h.query_all_by_label(c.name()).next().is_some(), "{c:?}");
    }
    h.key_press(Key::F1);
    h.run_steps(2);
    assert!(!h.state().windows.help);
}

#[test]
fn start_screen_opens_the_example() {
    let mut app = TandaiApp::new(None, None);
    app.settings.recent.clear();
    let mut h = Harness::builder()
        .with_size(Vec2::new(900.0, 600.0))
        .build_ui_state(|ui, app: &mut TandaiApp| app.show(ui), app);
    h.run_steps(2);
    assert!(h.query_by_label("Open the example article").is_some());
    // The example is written to a temporary data folder in tests.
    let dir = tempfile::tempdir().unwrap();
    let path = super::panels::start::write_example_in(dir.path()).unwrap();
    h.state_mut().open_now(&path);
    h.run_steps(2);
    let s = h.state().session().unwrap();
    assert_eq!(s.doc().annotations.span_count(), 20);
    assert!(s.doc().findings.is_empty(), "{:?}", s.doc().findings);
}

#[test]
fn ui_symbols_have_glyphs_in_the_bundled_fonts() {
    let ctx = egui::Context::default();
    let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
        let font = egui::FontId::proportional(14.0);
        let missing: Vec<&str> = ["•", "…", "“", "”", "—", "·"]
            .into_iter()
            .filter(|sym| !ui.fonts_mut(|f| f.has_glyph(&font, sym.chars().next().unwrap())))
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
    });
    out.textures_delta.clear();
}

/// The article view with nested, overlapping and linked spans, the claim
/// selected so its link arcs show.
fn snapshot_harness(theme: egui::Theme) -> (tempfile::TempDir, Harness<'static, TandaiApp>) {
    let (d, p) = temp_article(ARTICLE);
    let app = TandaiApp::new(None, Some(p));
    // Always the GL backend (llvmpipe here and in CI), so pixels agree.
    let mut setup = egui_kittest::wgpu::default_wgpu_setup();
    if let eframe::egui_wgpu::WgpuSetup::CreateNew(s) = &mut setup {
        s.instance_descriptor.backends = eframe::egui_wgpu::wgpu::Backends::GL;
    }
    let mut h = Harness::builder()
        .with_size(Vec2::new(1100.0, 420.0))
        .with_theme(theme)
        .wgpu_setup(setup)
        .build_ui_state(|ui, app: &mut TandaiApp| app.show(ui), app);
    // The same name on every machine (the default comes from the account).
    h.state_mut().edit_settings(|s| s.annotator = "rina".into());
    h.run_steps(2);
    let src = tag(&mut h, "Gedung Putih", Key::Num2);
    let claim = tag(
        &mut h,
        "Gedung Putih menuding “Korea Utara” diam-diam mengirim peluru artileri ke Rusia",
        Key::Num1,
    );
    tag(&mut h, "juru bicara John Kirby", Key::Num2);
    let denial = tag(&mut h, "Pyongyang membantah tuduhan itu", Key::Num3);
    tag(&mut h, "Pyongyang", Key::Num2);
    let s = h.state_mut().session_mut().unwrap();
    s.select(claim);
    s.begin_link("said_by");
    s.finish_link(src);
    s.select(denial);
    s.begin_link("denies");
    s.finish_link(claim);
    s.select(claim);
    h.run_steps(3);
    (d, h)
}

#[test]
fn snapshot_article_view_light() {
    let (_d, mut h) = snapshot_harness(egui::Theme::Light);
    h.snapshot("article_view_light");
}

#[test]
fn snapshot_article_view_dark() {
    let (_d, mut h) = snapshot_harness(egui::Theme::Dark);
    h.snapshot("article_view_dark");
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_file_opens() {
    let (d, p) = temp_article(ARTICLE);
    let other = d.path().join("lain.txt");
    std::fs::write(&other, "Artikel lain yang dijatuhkan ke jendela.").unwrap();
    let mut h = harness(&p);
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(other)));
    h.run_steps(2);
    assert_eq!(h.state().session().unwrap().file_name(), "lain.txt");
}

#[test]
fn crlf_bom_and_emoji_keep_offsets_as_python_counts_them() {
    // A BOM, CRLF line ends, an emoji with a skin-tone modifier and a
    // combining accent before the word that gets tagged.
    let text = "\u{feff}Baris pertama 👍🏽 Jose\u{301}.\r\nGedung Putih menuding Pyongyang.\r\n";
    let (_d, p) = temp_article(text);
    let mut h = harness(&p);
    // Python: text.index("menuding") on the str.
    let b = text.find("menuding").unwrap();
    let start = text[..b].chars().count();
    let view = &h.state().doc.as_ref().unwrap().view;
    let from = view.screen_pos_of(start + 1).unwrap();
    let to = view.screen_pos_of(start + 6).unwrap();
    drag(&mut h, from, to, Modifiers::NONE);
    h.key_press(Key::Num1);
    h.run_steps(2);
    let s = h.state().session().unwrap();
    let span = s.doc().annotations.span(s.selected().unwrap()).unwrap();
    assert_eq!((span.start, span.end), (start, start + 8));
    assert_eq!(span.text, "menuding");
    assert_eq!(span.before, "Gedung Putih ");
}

#[test]
fn span_list_rows_stay_on_one_line() {
    let text = "Baris satu berakhir.\r\n\r\nBaris dua dimulai.\n";
    let (_d, p) = temp_article(text);
    let mut h = harness(&p);
    h.state_mut().session_mut().unwrap().tag("claim", 11..30);
    h.run_steps(2);
    let s = h.state().session().unwrap();
    assert!(
        s.doc()
            .annotations
            .span(SpanId(1))
            .unwrap()
            .text
            .contains("\r\n")
    );
    assert!(h.query_by_label("1 claim berakhir.    Baris ").is_some());
}

#[test]
fn empty_and_one_line_articles_draw_without_trouble() {
    let (_d, p) = temp_article("");
    let mut h = harness(&p);
    h.key_press(Key::Num1);
    h.key_press(Key::Tab);
    h.run_steps(2);
    assert_eq!(
        h.state().session().unwrap().doc().annotations.span_count(),
        0
    );

    // 600 kB on one line: only the pieces in view are laid out.
    let line = "Juru bicara itu membantah tuduhan tersebut dengan tegas. ".repeat(10_000);
    let (_d2, p2) = temp_article(&line);
    let mut h = harness(&p2);
    h.run_steps(3);
    let stats = h.state().doc.as_ref().unwrap().view.stats;
    assert!(stats.visible > 0 && stats.visible < 10, "{stats:?}");
    h.state_mut()
        .session_mut()
        .unwrap()
        .set_selection(Some(0..11));
    h.run_steps(1);
    h.key_press(Key::Num2);
    h.run_steps(2);
    let id = h.state().session().unwrap().selected().unwrap();
    assert_eq!(span(&h, id).unwrap().text, "Juru bicara");
}
