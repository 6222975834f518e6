//! Frame times of the whole app, headless, on a small and a large article.
//!
//! `cargo run --release --example bench_view [-- --json]`
//!
//! Opens a generated 5 kB article with 50 spans and a 5 MB article with
//! 50,000 spans in the real app (no window: egui runs without a renderer,
//! tessellation included) and prints the median and 99th-percentile frame
//! time while scrolling through the article with the mouse wheel, and while
//! editing (a span resized every frame). It prints; it asserts nothing.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use egui::{Event, Modifiers, MouseWheelUnit, Pos2, RawInput, Rect, Vec2};
use tandai::gui::TandaiApp;
use tandai::gui::session::{Edge, Step};
use tandai::offsets::Text;
use tandai::schema::Schema;
use tandai::store;
use tandai::synth::{annotate, article};

const FRAMES: usize = 200;

fn input(events: Vec<Event>) -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(1280.0, 800.0))),
        events,
        ..RawInput::default()
    }
}

fn frame(ctx: &egui::Context, app: &mut TandaiApp, events: Vec<Event>) -> Duration {
    let t = Instant::now();
    let mut out = ctx.run_ui(input(events), |ui| app.show(ui));
    let _ = ctx.tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
    out.textures_delta.clear();
    t.elapsed()
}

struct Figures {
    scroll_median_ms: f64,
    scroll_p99_ms: f64,
    edit_median_ms: f64,
    first_frame_ms: f64,
    laid_out_max: usize,
}

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (
        ms(v[v.len() / 2]),
        ms(v[(v.len() * 99 / 100).min(v.len() - 1)]),
    )
}

fn run(bytes: usize, spans: usize) -> Figures {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("article.txt");
    let text = article(bytes);
    std::fs::write(&path, &text).unwrap();
    let mut ann = annotate(&Text::new(text), spans);
    ann.document.path = "article.txt".into();
    let labels: Vec<String> = Schema::builtin()
        .labels
        .into_iter()
        .map(|l| l.name)
        .collect();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    store::save_over(&store::annotation_path_for(&path), &ann, &labels).unwrap();

    let ctx = egui::Context::default();
    let mut app = TandaiApp::new(None, Some(path));
    let first = frame(&ctx, &mut app, vec![]);
    for _ in 0..3 {
        frame(&ctx, &mut app, vec![]);
    }
    let over = Event::PointerMoved(Pos2::new(640.0, 400.0));
    let mut scroll = Vec::with_capacity(FRAMES);
    let mut laid_out_max = 0;
    for _ in 0..FRAMES {
        let wheel = Event::MouseWheel {
            unit: MouseWheelUnit::Point,
            delta: Vec2::new(0.0, -240.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: Modifiers::NONE,
        };
        scroll.push(frame(&ctx, &mut app, vec![over.clone(), wheel]));
        laid_out_max = laid_out_max.max(app.doc.as_ref().unwrap().view.stats.laid_out);
    }
    // Edit: select the first span in view, then resize it every frame.
    let session = app.session_mut().unwrap();
    session.select_step(true);
    frame(&ctx, &mut app, vec![]);
    let mut edit = Vec::with_capacity(FRAMES);
    for i in 0..FRAMES {
        let s = app.session_mut().unwrap();
        s.resize_selected(Edge::End, i % 2 == 0, Step::Word);
        edit.push(frame(&ctx, &mut app, vec![]));
    }
    let (scroll_median_ms, scroll_p99_ms) = stats(scroll);
    let (edit_median_ms, _) = stats(edit);
    Figures {
        scroll_median_ms,
        scroll_p99_ms,
        edit_median_ms,
        first_frame_ms: first.as_secs_f64() * 1000.0,
        laid_out_max,
    }
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let small = run(5_000, 50);
    let large = run(5_000_000, 50_000);
    let rows = [
        ("first_frame_small_ms", small.first_frame_ms),
        ("first_frame_large_ms", large.first_frame_ms),
        ("frame_small_ms", small.scroll_median_ms),
        ("frame_large_ms", large.scroll_median_ms),
        ("frame_small_p99_ms", small.scroll_p99_ms),
        ("frame_large_p99_ms", large.scroll_p99_ms),
        ("frame_edit_small_ms", small.edit_median_ms),
        ("frame_edit_large_ms", large.edit_median_ms),
        (
            "paragraphs_laid_out_per_frame_max_large",
            large.laid_out_max as f64,
        ),
    ];
    if json {
        let body: Vec<String> = rows
            .iter()
            .map(|(k, v)| format!("\"{k}\": {v:.4}"))
            .collect();
        println!("{{{}}}", body.join(", "));
    } else {
        println!("tandai view benchmark: headless frames, 5 kB / 50 spans vs 5 MB / 50,000 spans");
        for (k, v) in rows {
            println!("{k:<42} {v:>10.3}");
        }
    }
}
