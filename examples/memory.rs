//! Where tandai's memory goes with a large article: live heap bytes and
//! allocations per structure, per span and per paragraph, counted by a
//! global allocator that wraps the system's.
//!
//! `cargo run --release --example memory`
//!
//! On the benchmark's large article (5 MB, 50,000 spans; `tandai::synth`)
//! it prints, for each stage of opening it in the app:
//!
//! - the sizes of the model's structs (`size_of`);
//! - the annotation file's bytes, and the parsed file (`format::RawFile`);
//! - the placed annotations ([`tandai::model::Annotations`]) alone, per
//!   span, with their allocations;
//! - the session, and the app after its first frame and after scrolling
//!   and paging through the article (laid-out paragraphs and what egui
//!   keeps);
//! - the heap's peak during each stage.
//!
//! Heap only: the process's resident memory adds the program, fonts and
//! the allocator's slack (the benchmark's `peak_rss_mb` measures that).
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use egui::{Event, Modifiers, Pos2, RawInput, Rect, Vec2};
use tandai::gui::TandaiApp;
use tandai::model::{Annotations, Link, Span};
use tandai::offsets::Text;
use tandai::schema::Schema;
use tandai::store::{self, LoadOptions};
use tandai::synth::{annotate, article};

/// Counts live bytes, live allocations and the peak of live bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static COUNT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// `GlobalAlloc` is an unsafe trait, hence the `allow` (the project denies
// `unsafe_code` everywhere else). Every call is passed on to `System`
// unchanged, so it upholds exactly the contract `System` does; only
// counters are added.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `System::alloc`.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
            COUNT.fetch_add(1, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as `System::dealloc`.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        COUNT.fetch_sub(1, Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as `System::realloc`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Live bytes and allocations now.
fn live() -> (usize, usize) {
    (LIVE.load(Ordering::Relaxed), COUNT.load(Ordering::Relaxed))
}

fn mb(b: usize) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

/// Runs `f`, printing what it left allocated and its peak above the start.
fn stage<T>(name: &str, per: usize, unit: &str, f: impl FnOnce() -> T) -> T {
    let (b0, n0) = live();
    PEAK.store(b0, Ordering::Relaxed);
    let out = f();
    let (b1, n1) = live();
    let peak = PEAK.load(Ordering::Relaxed) - b0;
    let kept = b1.saturating_sub(b0);
    let allocs = n1.saturating_sub(n0);
    print!(
        "{name:<44} {:>8.1} MB kept {:>8.1} MB peak",
        mb(kept),
        mb(peak)
    );
    if per > 0 {
        print!(
            "   {:>6.0} B and {:>5.1} allocations per {unit}",
            kept as f64 / per as f64,
            allocs as f64 / per as f64
        );
    }
    println!();
    out
}

fn frame(ctx: &egui::Context, app: &mut TandaiApp, events: Vec<Event>) {
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(1280.0, 800.0))),
        events,
        ..RawInput::default()
    };
    let mut out = ctx.run_ui(input, |ui| app.show(ui));
    let _ = ctx.tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
    out.textures_delta.clear();
}

fn page_down() -> Event {
    Event::Key {
        key: egui::Key::PageDown,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    }
}

fn main() {
    const SPANS: usize = 50_000;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.txt");
    {
        let text = article(5_000_000);
        std::fs::write(&path, &text).unwrap();
        let mut ann = annotate(&Text::new(text), SPANS);
        ann.document.path = "large.txt".into();
        let labels: Vec<String> = Schema::builtin()
            .labels
            .into_iter()
            .map(|l| l.name)
            .collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        store::save_over(&store::annotation_path_for(&path), &ann, &labels).unwrap();
    }
    let ron = store::annotation_path_for(&path);
    let file_len = std::fs::metadata(&ron).unwrap().len() as usize;
    let paragraphs = std::fs::read_to_string(&path).unwrap().lines().count();

    println!(
        "size_of: Span {} B, Link {} B, Annotations {} B, Text {} B",
        size_of::<Span>(),
        size_of::<Link>(),
        size_of::<Annotations>(),
        size_of::<Text>()
    );
    println!(
        "the file: {:.1} MB, {:.0} B per span; the article: {paragraphs} lines",
        mb(file_len),
        file_len as f64 / SPANS as f64
    );

    let raw = stage("parse (format::RawFile)", SPANS, "span", || {
        let (raw, _) = store::read_raw(&ron).unwrap();
        raw
    });
    drop(raw);
    let article = stage("article (read, hashed, indexed)", 0, "", || {
        tandai::document::Article::read(&path).unwrap()
    });
    drop(article);
    let loaded = stage("load: article + placed annotations", SPANS, "span", || {
        store::load(&ron, LoadOptions::default()).unwrap()
    });
    let ann = stage("annotations cloned (model alone)", SPANS, "span", || {
        loaded.annotations.clone()
    });
    drop(ann);
    drop(loaded);

    let ctx = egui::Context::default();
    let mut start = TandaiApp::new(None, None);
    frame(&ctx, &mut start, vec![]);
    frame(&ctx, &mut start, vec![]);
    drop(start);
    let mut app = stage("app: open (session and view)", SPANS, "span", || {
        TandaiApp::new(None, Some(path.clone()))
    });
    stage("app: first frame", 0, "", || frame(&ctx, &mut app, vec![]));
    stage("app: 200 PageDowns (a frame each)", 200, "page", || {
        for _ in 0..200 {
            frame(&ctx, &mut app, vec![page_down()]);
        }
    });
    stage("app: 200 more PageDowns", 200, "page", || {
        for _ in 0..200 {
            frame(&ctx, &mut app, vec![page_down()]);
        }
    });
    drop(app);
}
