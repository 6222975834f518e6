//! Text laid out ahead of the view: the frames after an input lay out the
//! paragraphs below it, a little at a time, so that a `PageDown` brings
//! into view only text already laid out, and the view stops asking for
//! frames once that is done.

use egui::{Key, Vec2};
use egui_kittest::Harness;

use super::TandaiApp;
use super::article::ViewTotals;
use super::tests::temp_article;

/// The app on `path`, before its first frame.
fn unstarted(path: &std::path::Path) -> Harness<'static, TandaiApp> {
    let app = TandaiApp::new(None, Some(path.to_owned()));
    Harness::builder()
        .with_size(Vec2::new(1200.0, 760.0))
        .build_ui_state(|ui, app: &mut TandaiApp| app.show(ui), app)
}

/// Four hundred paragraphs of wire copy, with a blank line between.
fn long_article() -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    for i in 0..400 {
        let _ = write!(
            s,
            "Paragraf {i}: Juru bicara kementerian mengatakan pada Selasa bahwa jembatan itu \
             akan dibuka kembali pada Maret, menurut pernyataan yang diterima kantor berita. \
             “Kami tidak menunda apa pun,” kata kontraktor itu 👍🏽.\n\n"
        );
    }
    s
}

fn totals(h: &Harness<'static, TandaiApp>) -> ViewTotals {
    h.state()
        .doc
        .as_ref()
        .map(|d| d.view.totals)
        .unwrap_or_default()
}

#[test]
fn a_page_down_finds_its_text_laid_out_ahead() {
    let (_d, p) = temp_article(&long_article());
    let mut h = unstarted(&p);
    // One step runs the frames the app asks for: the first lays out what
    // it shows, the next ones what is below, until two screens are ready.
    h.step();
    let start = totals(&h);
    let visible = h.state().doc.as_ref().unwrap().view.stats.visible;
    assert!(visible > 3, "{start:?}");
    assert!(
        start.ahead >= visible,
        "two screens below laid out: {start:?}"
    );
    // Then it asks for no more.
    h.run();
    assert_eq!(totals(&h), start);
    for page in 0..6 {
        let caret = h.state().session().unwrap().caret();
        let before = totals(&h);
        h.key_press(Key::PageDown);
        h.step();
        assert!(h.state().session().unwrap().caret() > caret, "page {page}");
        assert_eq!(
            totals(&h).laid_out,
            before.laid_out,
            "page {page}: the new page was laid out before the key"
        );
        // The frames after it lay out what is now below the view.
        h.run();
    }
    let view = &h.state().doc.as_ref().unwrap().view;
    assert!(view.first_visible_char() > Some(3000), "the view moved on");
    assert!(totals(&h).ahead > start.ahead + 10, "{:?}", totals(&h));
}

#[test]
fn a_short_article_is_laid_out_once_and_asks_for_nothing_more() {
    let (_d, p) = temp_article(super::tests::ARTICLE);
    let mut h = unstarted(&p);
    h.step();
    let t = totals(&h);
    assert_eq!(t.ahead, 0, "{t:?}");
    h.run();
    assert_eq!(totals(&h), t);
}

#[test]
fn a_key_is_drawn_in_the_frame_that_reads_it() {
    // One pass of egui (kittest's step may run several): the PageDown's
    // new page, and a label key's new span, are drawn in the frame whose
    // input holds the key, not the one after.
    use egui::{Event, Modifiers, Pos2, RawInput, Rect};
    let (_d, p) = temp_article(&long_article());
    let ctx = egui::Context::default();
    let mut app = TandaiApp::new(None, Some(p));
    let input = |events| RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(1200.0, 760.0))),
        events,
        ..RawInput::default()
    };
    // One pass, its textures taken as a renderer would.
    let pass = |app: &mut TandaiApp, events| {
        ctx.run_ui(input(events), |ui| app.show(ui))
            .textures_delta
            .clear();
    };
    for _ in 0..3 {
        pass(&mut app, vec![]);
    }
    let view = |app: &TandaiApp| app.doc.as_ref().unwrap().view.first_visible_char();
    let key = |key| Event::Key {
        key,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    };
    // The first PageDown takes the caret to the foot of the view; each
    // one after it moves the view a page.
    pass(&mut app, vec![key(Key::PageDown)]);
    pass(&mut app, vec![]);
    let before = view(&app);
    pass(&mut app, vec![key(Key::PageDown)]);
    assert!(view(&app) > before, "{:?} then {:?}", before, view(&app));
    // And the key's frame is not made longer by laying out text ahead,
    // though the app took the key out of the frame's events.
    let stats = app.doc.as_ref().unwrap().view.stats;
    assert_eq!(stats.ahead, 0, "{stats:?}");
    // A label key, and the text it typed: the span is made once and
    // drawn in this frame.
    let at = view(&app).unwrap();
    app.session_mut().unwrap().set_selection(Some(at..at + 9));
    pass(&mut app, vec![]);
    let drawn = |app: &TandaiApp| app.doc.as_ref().unwrap().view.stats.spans;
    let (spans, shown) = (
        app.session().unwrap().doc().annotations.span_count(),
        drawn(&app),
    );
    pass(&mut app, vec![key(Key::Num1), Event::Text("1".into())]);
    assert_eq!(
        app.session().unwrap().doc().annotations.span_count(),
        spans + 1
    );
    assert_eq!(drawn(&app), shown + 1, "drawn in the key's frame");
}
