//! UI tests of a day in the annotator (issue 12): each article opens at its
//! own place, the keyboard alone tags an article, the link picker offers the
//! nearest source first, messages say what is true now, Esc closes windows,
//! and the start screen opens folders.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::TandaiApp;
use super::tests::{ARTICLE, harness, temp_article};

fn press(h: &mut Harness<'static, TandaiApp>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run_steps(2);
}

/// The first char of the article's top paragraph in view.
fn top(h: &Harness<'static, TandaiApp>) -> Option<usize> {
    h.state().doc.as_ref()?.view.first_visible_char()
}

fn caret(h: &Harness<'static, TandaiApp>) -> usize {
    h.state().session().unwrap().caret()
}

/// A long article of numbered paragraphs, each with a claim and a source.
fn long_article(n: usize) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    for i in 0..n {
        let _ = write!(
            text,
            "Paragraf {i}: Juru bicara kementerian mengatakan pasokan amunisi ke perbatasan \
             timur telah dihentikan sejak pekan lalu, namun pejabat lain membantahnya.\n\n"
        );
    }
    text
}

#[test]
fn each_article_opens_at_its_top_and_reopens_where_it_was_left() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, long_article(200)).unwrap();
    std::fs::write(&b, long_article(150)).unwrap();
    let mut h = harness(&a);
    for _ in 0..6 {
        press(&mut h, Modifiers::NONE, Key::PageDown);
    }
    h.run_steps(2);
    let left_at = top(&h).unwrap();
    assert!(left_at > 1000, "paged down: {left_at}");
    h.state_mut().open_now(&b);
    h.run_steps(3);
    assert_eq!(
        top(&h),
        Some(0),
        "the next article opens at its top, not at the last one's place"
    );
    h.state_mut().open_now(&a);
    h.run_steps(3);
    let back = top(&h).unwrap();
    assert!(back > 1000, "a reopens where it was left: {back}");
}

#[test]
fn an_article_is_tagged_and_linked_without_the_mouse() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    let start_of = |quote: &str| ARTICLE[..ARTICLE.find(quote).unwrap()].chars().count();
    // Arrows walk to "Gedung"; Shift+Right twice selects two words.
    press(&mut h, Modifiers::COMMAND, Key::Home);
    while caret(&h) < start_of("Gedung") {
        press(&mut h, Modifiers::NONE, Key::ArrowRight);
    }
    assert_eq!(caret(&h), start_of("Gedung"));
    press(&mut h, Modifiers::SHIFT, Key::ArrowRight);
    press(&mut h, Modifiers::SHIFT, Key::ArrowRight);
    press(&mut h, Modifiers::NONE, Key::Num2);
    let s = h.state().session().unwrap();
    let source = s.selected_span().unwrap().clone();
    assert_eq!(
        (source.label.as_str(), source.text.as_str()),
        ("source", "Gedung Putih")
    );
    // Shift+arrows now resize that span (it is selected): one word more.
    press(&mut h, Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(
        h.state().session().unwrap().selected_span().unwrap().text,
        "Gedung Putih menuding"
    );
    press(&mut h, Modifiers::COMMAND, Key::Z);
    // A plain arrow lets go of the span; then Shift+End selects to the end
    // of the row, and 1 tags the claim.
    press(&mut h, Modifiers::NONE, Key::ArrowRight);
    assert!(h.state().session().unwrap().selected().is_none());
    for _ in 0..9 {
        press(&mut h, Modifiers::SHIFT, Key::ArrowRight);
    }
    press(&mut h, Modifiers::NONE, Key::Num1);
    let claim = h
        .state()
        .session()
        .unwrap()
        .selected_span()
        .unwrap()
        .clone();
    assert_eq!(claim.label, "claim");
    assert!(
        claim.text.starts_with("menuding “Korea Utara”"),
        "{}",
        claim.text
    );
    // L, then the link picker's filter and Enter: linked to the source.
    press(&mut h, Modifiers::NONE, Key::L);
    h.get_by_label("Filter").focus();
    h.run_steps(1);
    h.get_by_label("Filter").type_text("Gedung");
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(2);
    let s = h.state().session().unwrap();
    let link = s.doc().annotations.links().next().unwrap();
    assert_eq!((link.from, link.to), (claim.id, source.id));
    // Down and PageDown reach the second paragraph; Ctrl+End the end.
    press(&mut h, Modifiers::NONE, Key::ArrowDown);
    press(&mut h, Modifiers::NONE, Key::ArrowDown);
    assert!(caret(&h) > claim.end);
    press(&mut h, Modifiers::COMMAND, Key::End);
    assert_eq!(caret(&h), ARTICLE.chars().count());
    press(&mut h, Modifiers::NONE, Key::Home);
    press(&mut h, Modifiers::NONE, Key::PageUp);
    assert_eq!(
        caret(&h),
        0,
        "a page up from near the top goes to the start"
    );
}

#[test]
fn the_link_picker_offers_the_nearest_source_first() {
    let text = "Sumber A berkata begitu. Lalu panjang sekali kalimat pengisi yang tidak \
                berhubungan dengan apa pun di sini. Sumber B menuding hal itu bohong.\n";
    let (_d, p) = temp_article(text);
    let mut h = harness(&p);
    let at = |q: &str| {
        let b = text.find(q).unwrap();
        let s = text[..b].chars().count();
        s..s + q.chars().count()
    };
    {
        let s = h.state_mut().session_mut().unwrap();
        s.tag("source", at("Sumber A"));
        s.tag("source", at("Sumber B"));
        s.tag("claim", at("hal itu bohong"));
    }
    h.run_steps(1);
    press(&mut h, Modifiers::NONE, Key::L);
    let s = h.state().session().unwrap();
    let claim = s.selected().unwrap();
    let order: Vec<String> = s
        .link_candidates(claim, "said_by", "", 10)
        .into_iter()
        .map(|id| s.doc().annotations.span(id).unwrap().text.clone())
        .collect();
    assert_eq!(order, ["Sumber B", "Sumber A"], "nearest first");
    // The buttons come in that order too: the nearer one is drawn higher.
    let y = |q: &str| h.get_by_label_contains(&format!(": \"{q}")).rect().min.y;
    assert!(y("Sumber B") < y("Sumber A"));
}

#[test]
fn undo_says_what_it_undid_and_long_messages_do_not_stretch_the_window() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    h.state_mut().session_mut().unwrap().tag("claim", 0..7);
    h.run_steps(1);
    press(&mut h, Modifiers::NONE, Key::Num3);
    assert!(
        h.state()
            .session()
            .unwrap()
            .message()
            .unwrap()
            .text
            .contains("now a denial")
    );
    press(&mut h, Modifiers::COMMAND, Key::Z);
    let m = h.state().session().unwrap().message().unwrap().text.clone();
    assert_eq!(m, "Undone: Relabel as denial");
    h.state_mut().session_mut().unwrap().info("x".repeat(4000));
    h.run_steps(2);
    let status = h.get_by_label_contains("xxxx");
    assert!(status.rect().width() < 1200.0, "cut at the window's edge");
}

#[test]
fn escape_closes_settings_help_and_the_scorecard_windows() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    press(&mut h, Modifiers::COMMAND, Key::Comma);
    assert!(h.state().windows.settings);
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().windows.settings);
    press(&mut h, Modifiers::NONE, Key::F1);
    assert!(h.state().windows.help);
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().windows.help);
}

#[test]
fn the_start_screen_opens_folders_and_lists_recent_ones() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("korpus");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a.txt"), ARTICLE).unwrap();
    let mut app = TandaiApp::new(None, None);
    app.open_folder(&folder);
    app.folder = None;
    let mut h = Harness::builder()
        .with_size(egui::Vec2::new(1000.0, 700.0))
        .build_ui_state(|ui, app: &mut TandaiApp| app.show(ui), app);
    h.run_steps(2);
    h.get_by_label_contains("Open a folder of articles");
    h.get_by_label("Recent folders");
    h.get_by_label(&folder.display().to_string()).click();
    h.run_steps(2);
    assert!(h.state().folder().is_some());
}

#[test]
fn keys_typed_right_after_ctrl_f_go_into_the_find_box() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    h.state_mut().session_mut().unwrap().tag("claim", 21..33);
    h.run_steps(1);
    // Ctrl+F and the next keys arrive in one frame: L would start a link,
    // 2 would relabel the selected span.
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.event(egui::Event::Text("L2".into()));
    h.key_press(Key::L);
    h.key_press(Key::Num2);
    h.run_steps(3);
    let s = h.state().session().unwrap();
    assert!(s.pending_link().is_none(), "L did not start a link");
    assert_eq!(s.doc().annotations.spans().next().unwrap().label, "claim");
    assert_eq!(s.find().query.pattern, "L2", "they went into the box");
}

#[test]
fn find_starts_from_the_top_of_the_view() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    std::fs::write(&a, long_article(120)).unwrap();
    let mut h = harness(&a);
    for _ in 0..5 {
        press(&mut h, Modifiers::NONE, Key::PageDown);
    }
    press(&mut h, Modifiers::NONE, Key::Escape);
    let top = top(&h).unwrap();
    press(&mut h, Modifiers::COMMAND, Key::F);
    h.get_by_role_and_label(egui::Role::TextInput, "Find")
        .type_text("pasokan");
    h.run_steps(2);
    let current = h.state().session().unwrap().find().current_match().unwrap();
    assert!(
        current.start >= top,
        "the first match shown is in view ({} >= {top}), not the article's first",
        current.start
    );
}

#[test]
fn keys_that_arrive_in_one_frame_act_in_their_order_each_counted() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    press(&mut h, Modifiers::COMMAND, Key::Home);
    // Two Rights in one frame: two steps.
    h.key_press(Key::ArrowRight);
    h.key_press(Key::ArrowRight);
    h.run_steps(2);
    assert_eq!(caret(&h), 2);
    // Down, Home, Shift+End and a label key in one frame: the row below is
    // selected from its start and tagged, in that order.
    h.key_press(Key::ArrowDown);
    h.key_press(Key::Home);
    h.key_press_modifiers(Modifiers::SHIFT, Key::End);
    h.key_press(Key::Num1);
    h.run_steps(3);
    let s = h.state().session().unwrap();
    let span = s.selected_span().expect("tagged");
    assert_eq!(span.label, "claim");
    assert!(span.start > 0 && span.end > span.start + 10, "{span:?}");
}
