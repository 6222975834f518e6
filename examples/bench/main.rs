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

mod core_figures;
mod frames;
mod refusals;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tandai::offsets::Text;
use tandai::schema::Schema;
use tandai::store;
use tandai::synth::{annotate, article};

use core_figures::{agreement, anchor_long_quote, core};
use frames::app;
use refusals::hostile;

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
