//! The app, headless: frames of `TandaiApp` driven by synthetic input,
//! laid out and tessellated without a window or renderer.

use std::path::Path;
use std::time::{Duration, Instant};

use egui::{Event, Modifiers, MouseWheelUnit, Pos2, RawInput, Rect, Vec2};
use tandai::gui::TandaiApp;
use tandai::session::{Edge, Step};

use super::ms;

pub(crate) fn input(events: Vec<Event>) -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(1280.0, 800.0))),
        events,
        ..RawInput::default()
    }
}

/// One frame of the app: layout, painting and tessellation, no renderer.
pub(crate) fn frame(ctx: &egui::Context, app: &mut TandaiApp, events: Vec<Event>) -> Duration {
    frame_asking(ctx, app, events).0
}

/// [`frame`], and whether the app asked for another frame at once (as it
/// does to lay out text ahead of the view).
pub(crate) fn frame_asking(
    ctx: &egui::Context,
    app: &mut TandaiApp,
    events: Vec<Event>,
) -> (Duration, bool) {
    let t = Instant::now();
    let mut out = ctx.run_ui(input(events), |ui| app.show(ui));
    let _ = ctx.tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
    out.textures_delta.clear();
    let again = out
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.repaint_delay.is_zero());
    (t.elapsed(), again)
}

/// Most frames run after an input's frame, as eframe runs them when the
/// app asks for one at once: egui's smooth scrolling takes about 15
/// frames (at 60 a second) to carry out a turn of the wheel, and the
/// article view asks for frames to lay out text ahead.
pub(crate) const FOLLOW_UPS: usize = 40;

/// A frame with `events`, timed, then the frames the app asks for at once
/// (up to [`FOLLOW_UPS`]), timed into `follow`: what eframe does between
/// two inputs.
pub(crate) fn input_frame(
    ctx: &egui::Context,
    app: &mut TandaiApp,
    events: Vec<Event>,
    follow: &mut Vec<Duration>,
) -> Duration {
    let (t, mut again) = frame_asking(ctx, app, events);
    for _ in 0..FOLLOW_UPS {
        if !again {
            break;
        }
        let (f, a) = frame_asking(ctx, app, vec![]);
        follow.push(f);
        again = a;
    }
    t
}

/// Median and 99th percentile, in milliseconds.
pub(crate) fn median_p99(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    if v.is_empty() {
        return (0.0, 0.0);
    }
    (
        ms(v[v.len() / 2]),
        ms(v[(v.len() * 99 / 100).min(v.len() - 1)]),
    )
}

pub(crate) struct AppFigures {
    pub(crate) open_s: f64,
    pub(crate) scroll_median_ms: f64,
    pub(crate) scroll_p99_ms: f64,
    pub(crate) page_median_ms: f64,
    pub(crate) page_p99_ms: f64,
    pub(crate) edit_median_ms: f64,
    /// Frames the app asked for between inputs (laying out text ahead).
    pub(crate) follow_median_ms: f64,
    pub(crate) follow_p99_ms: f64,
    pub(crate) follow_ups: usize,
}

/// Opens `path` in the app and measures the first frame, scrolling and
/// editing.
pub(crate) fn app(path: &Path, frames: usize, edit_frames: usize) -> AppFigures {
    let ctx = egui::Context::default();
    // A running app: fonts loaded, start screen drawn.
    let mut start = TandaiApp::new(None, None);
    frame(&ctx, &mut start, vec![]);
    frame(&ctx, &mut start, vec![]);
    drop(start);

    let t = Instant::now();
    let mut app = TandaiApp::new(None, Some(path.to_owned()));
    assert!(app.session().is_some(), "{} did not open", path.display());
    frame(&ctx, &mut app, vec![]);
    let open = t.elapsed();
    for _ in 0..3 {
        frame(&ctx, &mut app, vec![]);
    }

    let over = Event::PointerMoved(Pos2::new(640.0, 400.0));
    let mut follow = Vec::new();
    let mut scroll = Vec::with_capacity(frames);
    for _ in 0..frames {
        let wheel = Event::MouseWheel {
            unit: MouseWheelUnit::Point,
            delta: Vec2::new(0.0, -240.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: Modifiers::NONE,
        };
        let from = follow.len();
        scroll.push(input_frame(
            &ctx,
            &mut app,
            vec![over.clone(), wheel],
            &mut follow,
        ));
        // Scrolling is all of them: the wheel's frame and its animation's.
        scroll.extend_from_slice(&follow[from..]);
    }

    // Keyboard paging: one PageDown a frame, the caret and view following.
    let mut page = Vec::with_capacity(frames);
    for _ in 0..frames {
        let key = Event::Key {
            key: egui::Key::PageDown,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: Modifiers::NONE,
        };
        page.push(input_frame(&ctx, &mut app, vec![key], &mut follow));
    }

    // Edit: select the first span in view, then resize it every frame.
    app.session_mut().unwrap().select_step(true);
    frame(&ctx, &mut app, vec![]);
    let mut edit = Vec::with_capacity(edit_frames);
    for i in 0..edit_frames {
        let s = app.session_mut().unwrap();
        s.resize_selected(Edge::End, i % 2 == 0, Step::Word);
        edit.push(frame(&ctx, &mut app, vec![]));
    }
    let (scroll_median_ms, scroll_p99_ms) = median_p99(scroll);
    let (edit_median_ms, _) = median_p99(edit);
    let (page_median_ms, page_p99_ms) = median_p99(page);
    let follow_ups = follow.len();
    let (follow_median_ms, follow_p99_ms) = median_p99(follow);
    AppFigures {
        open_s: open.as_secs_f64(),
        scroll_median_ms,
        scroll_p99_ms,
        edit_median_ms,
        page_median_ms,
        page_p99_ms,
        follow_median_ms,
        follow_p99_ms,
        follow_ups,
    }
}
