//! tandai's benchmark: the core and the app (headless) on a small and a
//! large synthetic article, each figure beside its budget.
//!
//! `cargo run --release --example bench [-- --json]`
//!
//! Generates deterministic wire-style articles (about 5 kB with 50 spans
//! and 5 MB with 50,000 spans, nested, overlapping and linked; see
//! `tandai::synth`) with their annotation files in a temporary folder, and
//! measures on whatever machine runs it:
//!
//! - `open_small_s`, `open_large_s`: opening the article in the app (read,
//!   hash, parse, index, place) up to the end of its first frame, laid out
//!   and tessellated headlessly (egui without a window or renderer; the
//!   context has already drawn one frame, as in a running app).
//! - `save_large_s`: an atomic, conflict-checked save (`store::save`), the
//!   median of five.
//! - `check_large_s`: loading and checking the file (`tandai check`).
//! - `import_tags_large_s`: 50,000 machine tags (JSONL, with links) read by
//!   `interop::tags::import_tags` and applied as one undo step.
//! - `anchor_64k_quote_large_s`: two quotes of 64 KB re-anchored on the
//!   large article (`anchor::place_all`), neither at its offsets: one found
//!   elsewhere, one whose middle changed (an orphan, after every pass,
//!   white space collapsed included).
//! - `frame_small_ms`, `frame_large_ms`, `frame_large_p99_ms`: median and
//!   99th percentile of the frames while scrolling through the article
//!   with the mouse wheel: 200 turns of 240 points, each a frame with the
//!   input and the frames eframe then runs because the app asked for them
//!   (egui's smooth scrolling carries a turn out over about 15 frames; the
//!   article view lays out text below the view in frames with nothing new
//!   to show).
//! - `frame_page_key_ms`, `frame_page_key_p99_ms`: median and 99th
//!   percentile of the frames of 200 `PageDown` keys, each the frame that
//!   shows the new page (the caret moves a screen and the view follows).
//! - `frame_follow_large_ms`, `frame_follow_large_p99_ms`: the frames run
//!   after an input because the app asked for them, over both runs, and
//!   `follow_ups_per_input_large`, how many an input brought.
//! - `frame_edit_large_ms`: median of 200 frames in which the selected span
//!   is resized.
//! - `deep_nesting_ms`: refusing eight RON and schema inputs nested 100,000
//!   deep (`format::parse`, `Schema::parse`).
//! - `long_json_keys_ms`: a megabyte-long JSON key above 100,000 small
//!   arrays, read as W3C and as Label Studio (`tests/memory.rs` checks its
//!   memory).
//! - `refuse_huge_ms`: refusing a 300 MB article, and an annotation file,
//!   a tags file and a schema file just over their limits (sparse files:
//!   refused from their size, never read).
//! - `agree_large_s`: agreement (`tandai::agree::agree`: exact and overlap
//!   matching, kappa, `alpha_U`, links) between two annotators of the large
//!   article, both in memory: its 50,000 spans, every one reviewed
//!   (`synth::reviewed`), and a second annotator's 46,154
//!   (`synth::second_annotator`: a seventh of the ends moved, an eleventh
//!   relabelled, a thirteenth left out).
//! - `agree_files_large_s`: the same as `tandai agree A B` does it: both
//!   annotation files loaded with their article (side by side), then
//!   compared.
//! - `peak_rss_mb`: the peak resident memory (`VmHWM`) of the app with the
//!   large article: a process of its own (this program again) that opens
//!   it, scrolls, pages and edits it as above, and does nothing else.
//! - `peak_rss_bench_mb`: this process's peak, all of the above in one
//!   (two sets of the large annotations and 50,000 imported tags at once).
//!
//! `--json` prints one JSON object with exactly those keys and `machine`
//! (cores, CPU model, rustc). It prints; it asserts nothing: people judge.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Event, Modifiers, MouseWheelUnit, Pos2, RawInput, Rect, Vec2};
use tandai::anchor;
use tandai::check::check;
use tandai::edit::History;
use tandai::gui::TandaiApp;
use tandai::interop::tags::import_tags;
use tandai::offsets::Text;
use tandai::schema::Schema;
use tandai::session::{Edge, Step};
use tandai::store::{self, LoadOptions};
use tandai::synth::{Lcg, annotate, article, reviewed, second_annotator};

/// The variable naming the article a child process opens to measure the
/// app's memory ([`app_peak_rss_mb`]).
const CHILD: &str = "TANDAI_BENCH_APP_MEMORY";

/// The peak resident memory of a fresh process (this benchmark again) that
/// opens `path` in the app, scrolls, pages and edits it as [`app`] does:
/// the app's whole footprint with that article, and nothing else.
fn app_peak_rss_mb(path: &Path) -> f64 {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .env(CHILD, path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// Frames measured while scrolling, and while editing.
const FRAMES: usize = 200;
/// Machine tags imported into the large article.
const TAGS: usize = 50_000;

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn labels() -> Vec<String> {
    Schema::builtin()
        .labels
        .into_iter()
        .map(|l| l.name)
        .collect()
}

/// Writes `NAME.txt` (about `bytes` bytes) and `NAME.tandai.ron` with
/// `spans` spans into `dir`; returns the article's path.
fn fixture(dir: &Path, name: &str, bytes: usize, spans: usize) -> PathBuf {
    let text = article(bytes);
    let path = dir.join(format!("{name}.txt"));
    std::fs::write(&path, &text).unwrap();
    // On disk before anything is timed: a save's fsync must not pay for
    // writing back the article.
    std::fs::File::open(&path).unwrap().sync_all().unwrap();
    let mut ann = annotate(&Text::new(text), spans);
    ann.document.path = format!("{name}.txt");
    let labels = labels();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    store::save_over(&store::annotation_path_for(&path), &ann, &labels).unwrap();
    path
}

// ---- the app, headless ----

fn input(events: Vec<Event>) -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(1280.0, 800.0))),
        events,
        ..RawInput::default()
    }
}

/// One frame of the app: layout, painting and tessellation, no renderer.
fn frame(ctx: &egui::Context, app: &mut TandaiApp, events: Vec<Event>) -> Duration {
    frame_asking(ctx, app, events).0
}

/// [`frame`], and whether the app asked for another frame at once (as it
/// does to lay out text ahead of the view).
fn frame_asking(ctx: &egui::Context, app: &mut TandaiApp, events: Vec<Event>) -> (Duration, bool) {
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
const FOLLOW_UPS: usize = 40;

/// A frame with `events`, timed, then the frames the app asks for at once
/// (up to [`FOLLOW_UPS`]), timed into `follow`: what eframe does between
/// two inputs.
fn input_frame(
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
fn median_p99(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    if v.is_empty() {
        return (0.0, 0.0);
    }
    (
        ms(v[v.len() / 2]),
        ms(v[(v.len() * 99 / 100).min(v.len() - 1)]),
    )
}

struct AppFigures {
    open_s: f64,
    scroll_median_ms: f64,
    scroll_p99_ms: f64,
    page_median_ms: f64,
    page_p99_ms: f64,
    edit_median_ms: f64,
    /// Frames the app asked for between inputs (laying out text ahead).
    follow_median_ms: f64,
    follow_p99_ms: f64,
    follow_ups: usize,
}

/// Opens `path` in the app and measures the first frame, scrolling and
/// editing.
fn app(path: &Path, frames: usize, edit_frames: usize) -> AppFigures {
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

// ---- the core ----

struct CoreFigures {
    save_s: f64,
    check_s: f64,
    import_tags_s: f64,
}

/// `n` machine tags over `text`, one JSON object a line: every third a
/// claim said by the source after it, every third a denial said by the
/// source before it; deterministic.
fn tags_jsonl(text: &Text, n: usize) -> String {
    let chars = text.len_chars();
    let step = (chars / n).max(2);
    let mut rng = Lcg(23);
    let mut out = String::with_capacity(n * 120);
    for i in 0..n {
        // Off the synthetic annotations' starts, so that the tags are new.
        let start = (i * step + 1 + (rng.next_u64() % 3) as usize).min(chars - 2);
        let end = (start + 4 + (rng.next_u64() % 50) as usize).min(chars);
        let label = ["claim", "source", "denial"][i % 3];
        let score = (rng.next_u64() % 100) as f64 / 100.0;
        let _ = write!(
            out,
            r#"{{"start": {start}, "end": {end}, "label": "{label}", "score": {score}, "model": "attrib-v1", "id": "t{i}""#
        );
        match i % 3 {
            0 if i + 1 < n => {
                let _ = write!(
                    out,
                    r#", "links": [{{"kind": "said_by", "to": "t{}"}}]"#,
                    i + 1
                );
            }
            2 => {
                let _ = write!(
                    out,
                    r#", "links": [{{"kind": "said_by", "to": "t{}"}}]"#,
                    i - 1
                );
            }
            _ => {}
        }
        out.push_str("}\n");
    }
    out
}

fn core(path: &Path) -> CoreFigures {
    let schema = Schema::builtin();
    let labels = labels();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    let ron = store::annotation_path_for(path);

    let ((loaded, findings), check_t) = time(|| {
        let l = store::load(&ron, LoadOptions::default()).unwrap();
        let f = check(&l.annotations, &schema);
        (l, f)
    });
    assert!(findings.is_empty() && loaded.findings.is_empty());
    // The median of five saves of the same annotations, each conflict-checked
    // against the state the one before left.
    let mut disk = loaded.disk.clone();
    let mut saves: Vec<Duration> = (0..5)
        .map(|_| {
            let (d, t) = time(|| store::save(&ron, &loaded.annotations, &labels, &disk).unwrap());
            disk = d;
            t
        })
        .collect();
    saves.sort();
    let save = saves[saves.len() / 2];

    let jsonl = tags_jsonl(&loaded.article.text, TAGS);
    let mut ann = loaded.annotations.clone();
    let spans_before = ann.span_count();
    let ((), import) = time(|| {
        let import = import_tags(
            &ann,
            &loaded.article.text,
            &schema,
            jsonl.as_bytes(),
            &|_| true,
        );
        assert!(
            import.report.problems.is_empty(),
            "{:?}",
            &import.report.problems[..3.min(import.report.problems.len())]
        );
        let mut history = History::default();
        history
            .apply(&mut ann, &loaded.article.text, "Import tags", import.edits)
            .unwrap();
    });
    assert!(ann.span_count() > spans_before + TAGS * 9 / 10);
    CoreFigures {
        save_s: save.as_secs_f64(),
        check_s: check_t.as_secs_f64(),
        import_tags_s: import.as_secs_f64(),
    }
}

/// Two annotators of the large article: in memory, and from their files.
fn agreement(path: &Path) -> (f64, f64) {
    let loaded = store::open(path, LoadOptions::default()).unwrap();
    let text = &loaded.article.text;
    let a = reviewed(&loaded.annotations);
    let b = second_annotator(text, &a);
    let names = ["ana".to_owned(), "budi".to_owned()];
    let chars = text.len_chars();
    let doc = |a, b| tandai::agree::Document {
        name: "large.txt".into(),
        chars,
        annotations: vec![a, b],
    };
    let (report, agree_t) = time(|| tandai::agree::agree(&names, &[doc(&a, &b)]).unwrap());
    assert_eq!(report.micro.spans, [a.span_count(), b.span_count()]);
    // About 0.72 of them: 12/13 kept, 6/7 with their ends, 10/11 labels.
    assert!(report.micro.exact.tp > a.span_count() / 2);

    let labels = labels();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    let dir = path.parent().unwrap().join("agree");
    let files: Vec<PathBuf> = ["ana", "budi"]
        .iter()
        .map(|n| dir.join(n).join("large.tandai.ron"))
        .collect();
    for (f, ann) in files.iter().zip([&a, &b]) {
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::copy(path, f.with_file_name("large.txt")).unwrap();
        let mut ann = ann.clone();
        ann.document.path = "large.txt".into();
        store::save_over(f, &ann, &labels).unwrap();
    }
    let (_, files_t) = time(|| {
        let loaded: Vec<store::Loaded> = std::thread::scope(|s| {
            let hs: Vec<_> = files
                .iter()
                .map(|f| s.spawn(move || store::load(f, LoadOptions::default()).unwrap()))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(loaded[0].article.sha256, loaded[1].article.sha256);
        let doc = tandai::agree::Document {
            name: "large.txt".into(),
            chars: loaded[0].article.text.len_chars(),
            annotations: vec![&loaded[0].annotations, &loaded[1].annotations],
        };
        tandai::agree::agree(&names, &[doc]).unwrap()
    });
    (agree_t.as_secs_f64(), files_t.as_secs_f64())
}

// ---- hostile inputs (the figures of tests/hostile_inputs.rs) ----

struct HostileFigures {
    deep_nesting_ms: f64,
    long_json_keys_ms: f64,
    refuse_huge_ms: f64,
}

fn hostile(dir: &Path) -> HostileFigures {
    const DEPTH: usize = 100_000;
    let nested = |open: &str, close: &str| format!("{}{}", open.repeat(DEPTH), close.repeat(DEPTH));
    let spans =
        |inner: String| format!("(version: 1, document: (path: \"a.txt\"), spans: {inner})");
    let deep = [
        nested("[", "]"),
        nested("(", ")"),
        nested("{\"a\":", "}"),
        nested("Some(", ")"),
        nested("(a:", ")"),
        spans(nested("[", "]")),
        spans(format!(
            "[(id: 1, label: \"claim\", start: 0, end: 1, attributes: {})]",
            nested("{", "}")
        )),
        format!("(labels: [(name: {})])", nested("[", "]")),
    ];
    let ((), deep_t) = time(|| {
        for src in &deep {
            assert!(tandai::format::parse(src).is_err());
            assert!(Schema::parse(src, Path::new("deep.schema.ron")).is_err());
        }
    });

    let key = "k".repeat(1 << 20);
    let body = format!("{{\"{key}\": [{}[]]}}", "[],".repeat(100_000));
    let ls = format!("[{body}]");
    let ((), keys_t) = time(|| {
        tandai::fuzzing::w3c(body.as_bytes());
        tandai::fuzzing::label_studio(ls.as_bytes());
    });

    let sparse = |name: &str, size: u64| {
        let p = dir.join(name);
        std::fs::File::create(&p).unwrap().set_len(size).unwrap();
        p
    };
    let article = sparse("huge.txt", 300 << 20);
    let ann = sparse("huge.tandai.ron", store::MAX_ANNOTATION_BYTES + 1);
    let tags = sparse("huge.jsonl", store::MAX_INPUT_BYTES + 1);
    let schema = sparse("huge.schema.ron", 300 << 20);
    let ((), refuse_t) = time(|| {
        assert!(tandai::document::Article::read(&article).is_err());
        assert!(store::read_raw(&ann).is_err());
        assert!(tandai::interop::tags::read_tags_file(&tags).is_err());
        assert!(Schema::load(&schema).is_err());
    });
    HostileFigures {
        deep_nesting_ms: ms(deep_t),
        long_json_keys_ms: ms(keys_t),
        refuse_huge_ms: ms(refuse_t),
    }
}

/// Re-anchors two 64 KB quotes of `text` that are not at their offsets:
/// one taken from the middle of the text, one the same with a changed
/// middle, which no pass can place.
fn anchor_long_quote(text: &Text) -> Duration {
    let s = text.as_str();
    let mut from = s.len() / 2;
    while !s.is_char_boundary(from) {
        from += 1;
    }
    let mut to = from + 64 * 1024;
    while !s.is_char_boundary(to) {
        to += 1;
    }
    let quote = &s[from..to];
    let mut mid = quote.len() / 2;
    while !quote.is_char_boundary(mid) {
        mid += 1;
    }
    let changed = format!("{}«changed»{}", &quote[..mid], &quote[mid..]);
    let quotes = [
        anchor::Quote {
            start: 0,
            end: 10,
            text: quote,
            before: "",
            after: "",
        },
        anchor::Quote {
            start: 0,
            end: 10,
            text: &changed,
            before: "",
            after: "",
        },
    ];
    let (placed, t) = time(|| anchor::place_all(text, &quotes, false));
    assert!(matches!(
        placed[0],
        anchor::Placement::Relocated { fuzzy: false, .. }
    ));
    assert_eq!(placed[1], anchor::Placement::Orphan);
    t
}

// ---- the machine and the report ----

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn machine() -> serde_json::Value {
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let cpu = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|s| {
        s.lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_owned())
    });
    // The compiler on PATH (a fixed command; nothing from input).
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    serde_json::json!({
        "cores": cores,
        "cpu": cpu,
        "os": std::env::consts::OS,
        "rustc": rustc,
    })
}

/// A figure's budget: whether `v` meets it, and how to say it.
type Budget = Option<(String, bool)>;

/// The runs that are not the benchmark, chosen by an environment
/// variable; whether one ran.
///
/// - [`CHILD`]: the process that measures the app's memory: opens the
///   article it is given, scrolls, pages and edits it, and says its peak.
/// - `TANDAI_BENCH_WRITE=DIR`: only writes the two articles with their
///   annotation files there, for a profiler or the real window.
fn not_the_benchmark() -> bool {
    if let Some(path) = std::env::var_os(CHILD) {
        app(Path::new(&path), FRAMES, FRAMES);
        println!("{}", peak_rss_mb());
        return true;
    }
    if let Some(dir) = std::env::var_os("TANDAI_BENCH_WRITE") {
        std::fs::create_dir_all(&dir).unwrap();
        fixture(Path::new(&dir), "small", 5_000, 50);
        fixture(Path::new(&dir), "large", 5_000_000, 50_000);
        return true;
    }
    false
}

/// The runs for a profiler, chosen by an environment variable; whether
/// one ran.
///
/// - `TANDAI_BENCH_FRAMES=small` (or `large`): only opens that article in
///   the app and scrolls twenty times as long.
/// - `TANDAI_BENCH_OPEN=N`: only opens the large article N times.
/// - `TANDAI_BENCH_CORE=N`: only the core figures, N times.
fn profile(small_path: &Path, large_path: &Path) -> bool {
    // For a profiler: `TANDAI_BENCH_FRAMES=small` (or `large`) only opens
    // that article in the app and scrolls twenty times as long.
    if let Ok(which) = std::env::var("TANDAI_BENCH_FRAMES") {
        let path = if which == "small" {
            small_path
        } else {
            large_path
        };
        app(path, 20 * FRAMES, 1);
        return true;
    }
    // `TANDAI_BENCH_OPEN=N` only opens the large article N times.
    if let Some(n) = std::env::var("TANDAI_BENCH_OPEN")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        for _ in 0..n {
            let a = app(large_path, 0, 0);
            println!(
                "open_large_s {:.4} peak_rss_mb {:.1}",
                a.open_s,
                peak_rss_mb()
            );
        }
        return true;
    }
    // `TANDAI_BENCH_CORE=N` only runs the core figures N times.
    if let Some(n) = std::env::var("TANDAI_BENCH_CORE")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        for _ in 0..n {
            let c = core(large_path);
            println!(
                "save_large_s {:.4} check_large_s {:.4} import_tags_large_s {:.4}",
                c.save_s, c.check_s, c.import_tags_s
            );
        }
        return true;
    }
    false
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    if not_the_benchmark() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let small_path = fixture(dir.path(), "small", 5_000, 50);
    let large_path = fixture(dir.path(), "large", 5_000_000, 50_000);

    if profile(&small_path, &large_path) {
        return;
    }
    let small = app(&small_path, FRAMES, FRAMES);
    let large = app(&large_path, FRAMES, FRAMES);
    // The app's memory, in a process of its own: this one also holds the
    // core figures' copies (two sets of annotations, 50,000 imported tags
    // and their undo step), which are not the app's.
    let rss = app_peak_rss_mb(&large_path);
    let core = core(&large_path);
    let hostile = hostile(dir.path());
    let large_text = tandai::document::Article::read(&large_path).unwrap().text;
    let anchor_long_s = anchor_long_quote(&large_text).as_secs_f64();
    drop(large_text);
    let (agree_s, agree_files_s) = agreement(&large_path);
    let bench_rss = peak_rss_mb();

    let under =
        |v: f64, max: f64, unit: &str| -> Budget { Some((format!("< {max} {unit}"), v < max)) };
    let ratio = large.scroll_median_ms / small.scroll_median_ms;
    let rows: [(&str, f64, Budget); 22] = [
        ("open_small_s", small.open_s, None),
        ("open_large_s", large.open_s, under(large.open_s, 0.15, "s")),
        ("save_large_s", core.save_s, under(core.save_s, 0.05, "s")),
        ("check_large_s", core.check_s, None),
        (
            "import_tags_large_s",
            core.import_tags_s,
            under(core.import_tags_s, 0.15, "s"),
        ),
        ("agree_large_s", agree_s, under(agree_s, 0.3, "s")),
        (
            "agree_files_large_s",
            agree_files_s,
            under(agree_files_s, 1.0, "s"),
        ),
        (
            "anchor_64k_quote_large_s",
            anchor_long_s,
            under(anchor_long_s, 1.0, "s"),
        ),
        ("frame_small_ms", small.scroll_median_ms, None),
        (
            "frame_large_ms",
            large.scroll_median_ms,
            Some((format!("<= 1.3x small (now {ratio:.2}x)"), ratio <= 1.3)),
        ),
        (
            "frame_large_p99_ms",
            large.scroll_p99_ms,
            under(large.scroll_p99_ms, 2.0, "ms"),
        ),
        (
            "frame_page_key_ms",
            large.page_median_ms,
            under(large.page_median_ms, 1.0, "ms"),
        ),
        ("frame_page_key_p99_ms", large.page_p99_ms, None),
        // The frames eframe runs between inputs because the app asked for
        // them (egui's smooth scrolling, text laid out below the view):
        // each held to the frame budget.
        (
            "frame_follow_large_ms",
            large.follow_median_ms,
            under(large.follow_median_ms, 2.0, "ms"),
        ),
        (
            "frame_follow_large_p99_ms",
            large.follow_p99_ms,
            under(large.follow_p99_ms, 2.0, "ms"),
        ),
        (
            "follow_ups_per_input_large",
            large.follow_ups as f64 / (2 * FRAMES) as f64,
            None,
        ),
        ("frame_edit_large_ms", large.edit_median_ms, None),
        (
            "deep_nesting_ms",
            hostile.deep_nesting_ms,
            under(hostile.deep_nesting_ms, 5000.0, "ms"),
        ),
        (
            "long_json_keys_ms",
            hostile.long_json_keys_ms,
            under(hostile.long_json_keys_ms, 10_000.0, "ms"),
        ),
        (
            "refuse_huge_ms",
            hostile.refuse_huge_ms,
            under(hostile.refuse_huge_ms, 2000.0, "ms"),
        ),
        ("peak_rss_mb", rss, under(rss, 120.0, "MB")),
        ("peak_rss_bench_mb", bench_rss, None),
    ];
    print(&rows, json);
}

/// Prints the figures beside their budgets, or as one JSON object.
fn print(rows: &[(&str, f64, Budget)], json: bool) {
    let machine = machine();
    if json {
        let mut obj = serde_json::Map::new();
        for (k, v, _) in rows {
            obj.insert((*k).to_owned(), serde_json::json!(v));
        }
        obj.insert("machine".to_owned(), machine);
        println!("{}", serde_json::Value::Object(obj));
    } else {
        println!(
            "tandai benchmark: 5 kB / 50 spans and 5 MB / 50,000 spans; {} cores, {}",
            machine["cores"],
            machine["cpu"].as_str().unwrap_or("unknown CPU")
        );
        println!("{:<26} {:>10}  {:<34} verdict", "figure", "value", "budget");
        for (k, v, budget) in rows {
            let (b, verdict) = match budget {
                Some((b, true)) => (b.as_str(), "OK"),
                Some((b, false)) => (b.as_str(), "MISSED"),
                None => ("-", ""),
            };
            println!("{k:<26} {v:>10.4}  {b:<34} {verdict}");
        }
    }
}
