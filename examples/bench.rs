//! Figures for the core on a small and a large synthetic article.
//!
//! `cargo run --release --example bench [-- --json]`
//!
//! Generates deterministic wire-style articles (about 5 kB with 50 spans and
//! 5 MB with 50,000 spans, nested and linked), writes them with their
//! annotation files to a temporary folder, and measures opening (read, hash,
//! parse, index, place), saving, checking an edited article (every span
//! re-anchored) and offset conversion. It prints figures; it asserts nothing:
//! people judge them against the budgets in the README.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use tandai::check::check;
use tandai::offsets::Text;
use tandai::schema::Schema;
use tandai::store::{self, LoadOptions};
use tandai::synth::{Lcg, annotate, article};

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

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

struct Figures {
    open_s: f64,
    save_s: f64,
    check_s: f64,
    relocate_s: f64,
}

fn run(dir: &Path, name: &str, bytes: usize, spans: usize) -> Figures {
    let text = article(bytes);
    let art = dir.join(format!("{name}.txt"));
    std::fs::write(&art, &text).unwrap();
    let indexed = Text::new(text.clone());
    let mut ann = annotate(&indexed, spans);
    ann.document.path = format!("{name}.txt");
    let schema = Schema::builtin();
    let labels: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
    let ron = store::annotation_path_for(&art);
    store::save_over(&ron, &ann, &labels).unwrap();

    let (loaded, open) = time(|| store::load(&ron, LoadOptions::default()).unwrap());
    assert_eq!(loaded.annotations.span_count(), spans);
    let (_, save) = time(|| store::save(&ron, &loaded.annotations, &labels, &loaded.disk).unwrap());
    let (findings, check_t) = time(|| check(&loaded.annotations, &schema));
    assert!(findings.is_empty());

    // Edit the article: a new first paragraph shifts every span.
    std::fs::write(
        &art,
        format!("Paragraf pembuka yang baru ditambahkan.\n\n{text}"),
    )
    .unwrap();
    let (moved, relocate) = time(|| store::load(&ron, LoadOptions::default()).unwrap());
    assert_eq!(moved.relocated(), spans);
    Figures {
        open_s: secs(open),
        save_s: secs(save),
        check_s: secs(check_t + open),
        relocate_s: secs(relocate),
    }
}

fn conversions_ns(bytes: usize) -> f64 {
    let text = Text::new(article(bytes));
    let n = text.len_chars();
    let mut rng = Lcg(3);
    let rounds = 200_000;
    let t = Instant::now();
    let mut sum = 0usize;
    for _ in 0..rounds {
        let c = (rng.next_u64() as usize) % n;
        let b = text.byte_of_char(c).unwrap();
        sum = sum.wrapping_add(text.char_of_byte(b).unwrap());
    }
    std::hint::black_box(sum);
    t.elapsed().as_nanos() as f64 / f64::from(rounds) / 2.0
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let dir = tempfile::tempdir().unwrap();
    let small = run(dir.path(), "small", 5_000, 50);
    let large = run(dir.path(), "large", 5_000_000, 50_000);
    let conv = conversions_ns(5_000_000);
    let rows = [
        ("open_small_s", small.open_s),
        ("open_large_s", large.open_s),
        ("save_small_s", small.save_s),
        ("save_large_s", large.save_s),
        ("check_small_s", small.check_s),
        ("check_large_s", large.check_s),
        ("relocate_large_s", large.relocate_s),
        ("offset_conversion_large_ns", conv),
        ("peak_rss_mb", peak_rss_mb()),
    ];
    if json {
        let mut s = String::from("{");
        for (i, (k, v)) in rows.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            let _ = write!(s, "\"{k}\": {v:.6}");
        }
        s.push('}');
        println!("{s}");
    } else {
        println!("tandai core benchmark (5 kB / 50 spans vs 5 MB / 50,000 spans)");
        for (k, v) in rows {
            println!("{k:<28} {v:>12.4}");
        }
    }
}
