#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
#![cfg(unix)]

//! `check --fix` saves atomically: killed with SIGKILL at any moment, it
//! leaves the annotation file as it was or as the finished run writes it,
//! never anything in between.
//!
//! Up to 200 kills (or [`LOOP_BUDGET`] of wall time, whichever comes
//! first): a few on a 2.36-million-char article with 20,000 spans, the rest
//! on a 100,000-char one whose runs are short enough for many kills. Half
//! the kills come at a random moment of the run; the other half wait until
//! the save's temporary file appears and kill within the next two
//! milliseconds, so that many land inside the write itself.

mod common;

use std::fmt::Write as _;
use std::os::unix::process::ExitStatusExt as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, Sandbox, annotation, link, span};

/// Wall-clock budget for all the kills.
const LOOP_BUDGET: Duration = Duration::from_secs(40);
/// Kills in all.
const MAX_KILLS: u32 = 200;
/// Kills on the large article (and the part of the budget they may use).
const LARGE_KILLS: u32 = 10;
const LARGE_BUDGET: Duration = Duration::from_secs(15);
const LARGE_CHARS: usize = 2_000_000;
const LARGE_SENTENCES: usize = 10_000;
const SMALL_SENTENCES: usize = 450;

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const SOURCES: &[&str] = &[
    "a spokesman for the ministry",
    "two Western security officials",
    "the governor of the province",
    "José Marten, the deputy foreign minister",
    "a police commander in São Tomé",
    "the monitoring mission",
    "Ngozi Okafor, a senior aide",
    "officials in Tesh",
    "the state news agency",
    "a diplomat who asked not to be named",
];
const CLAIMS: &[&str] = &[
    "talks on the ceasefire had stalled",
    "at least 40 drones were seized at the port",
    "the shipment reached Marosh on Monday",
    "the convoy was attacked near the border",
    "fuel prices would rise by 3.5 percent",
    "the report was “completely false”",
    "troops had withdrawn from the northern ridge",
    "the militia received new weapons 👍🏽",
    "no civilians were hurt in the strike",
    "the election would go ahead as planned",
];
const VERBS: &[&str] = &["said", "told reporters", "claimed", "confirmed", "insisted"];
const DAYS: &[&str] = &["on Monday", "on Tuesday", "late on Wednesday", "on Friday"];
const BACKGROUND: &[&str] = &[
    "The region has been contested since a 2019 ceasefire collapsed after three weeks. ",
    "Reporters were not allowed to visit the area, and phone lines were cut for most of the day. ",
    "Aid groups say more than 200,000 people have fled their homes since the fighting resumed. ",
    "The United Nations has called for an independent inquiry into the incident. ",
    "Neither side has released casualty figures, and the numbers could not be verified. ",
];

/// A wire-style article of `sentences` sentences (about 230 chars each),
/// with one source and one claim span per sentence and a `said_by` link
/// between them.
fn generate(sentences: usize) -> (String, Vec<String>, Vec<String>) {
    let mut rng = Rng(0x007a_4da1);
    let mut text = String::with_capacity(sentences * 250);
    let mut chars = 0;
    let mut spans = Vec::with_capacity(sentences * 2);
    let mut links = Vec::with_capacity(sentences);
    let push = |text: &mut String, chars: &mut usize, s: &str| {
        text.push_str(s);
        *chars += s.chars().count();
    };
    for n in 0..sentences {
        let n = n as u64;
        let source = rng.pick(SOURCES);
        let claim = rng.pick(CLAIMS);
        let lead = format!("In dispatch {n}, ");
        push(&mut text, &mut chars, &lead);
        let s_start = chars;
        push(&mut text, &mut chars, source);
        let s_range = s_start..chars;
        let verb = format!(" {} {} that ", rng.pick(VERBS), rng.pick(DAYS));
        push(&mut text, &mut chars, &verb);
        let c_start = chars;
        push(&mut text, &mut chars, claim);
        let c_range = c_start..chars;
        // Filler to reach the target size with realistic sentence lengths.
        let filler = match rng.below(4) {
            0 => ", according to a statement seen by Reuters. ",
            1 => ". The account could not be independently verified. ",
            2 => ", adding that further details would follow in the coming days. ",
            _ => ". ",
        };
        push(&mut text, &mut chars, filler);
        push(&mut text, &mut chars, rng.pick(BACKGROUND));
        if rng.below(8) == 0 {
            push(&mut text, &mut chars, "\n\n");
        }
        let (src_id, claim_id) = (2 * n + 1, 2 * n + 2);
        spans.push(span(src_id, "source", s_range, source));
        spans.push(span(claim_id, "claim", c_range, claim));
        links.push(link(n + 1, "said_by", claim_id, src_id));
    }
    (text, spans, links)
}

fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// An article with its annotation file as tandai wrote it (`old`), and the
/// bytes an unkilled `check --fix` writes once the article gained a
/// paragraph at the top (`new`).
struct Case {
    sb: Sandbox,
    old: Vec<u8>,
    new: Vec<u8>,
    /// The longest of two unkilled runs.
    run: Duration,
}

fn prepare(sentences: usize) -> Case {
    let sb = Sandbox::new();
    let (text, spans, links) = generate(sentences);
    let n = spans.len();
    assert_eq!(n, 2 * sentences);
    sb.write("wire.txt", &text);

    // Annotations made against the article: hand-written with a stale hash,
    // then saved by tandai itself (context and hash filled in).
    let hand = annotation("wire.txt", &spans, &links).replacen(
        "(path: \"wire.txt\")",
        &format!("(path: \"wire.txt\", sha256: \"{}\")", "0".repeat(64)),
        1,
    );
    sb.write("wire.tandai.ron", &hand);
    sb.run(&["check", "--fix", "wire.tandai.ron"])
        .assert_code(0)
        .assert_stdout_has(&[&format!("{n} spans"), "fixed and saved"]);
    let old = sb.read("wire.tandai.ron");

    // The article gains a paragraph at the top: every span moves, so --fix
    // rewrites the whole file.
    let edited = format!(
        "BRUSSELS, May 17 (Reuters) - This story was updated to add a paragraph on reactions.\n\n{text}"
    );
    sb.write("wire.txt", &edited);
    sb.run(&["check", "wire.tandai.ron"])
        .assert_code(1)
        .assert_stdout_has(&[&format!("{n} spans, {n} relocated, 0 orphans")]);

    // Unkilled runs: the new bytes and how long a run takes.
    let mut new: Option<Vec<u8>> = None;
    let mut longest = Duration::ZERO;
    for _ in 0..2 {
        sb.write("wire.tandai.ron", &old);
        let t = Instant::now();
        let r = sb.run(&["check", "--fix", "wire.tandai.ron"]);
        longest = longest.max(t.elapsed());
        r.assert_code(0).assert_stdout_has(&["fixed and saved"]);
        let bytes = sb.read("wire.tandai.ron");
        assert_ne!(bytes, old);
        if let Some(prev) = &new {
            assert!(prev == &bytes, "two unkilled runs wrote different bytes");
        }
        new = Some(bytes);
    }
    let new = new.unwrap();
    sb.run(&["check", "wire.tandai.ron"])
        .assert_code(0)
        .assert_stdout_has(&[&format!("{n} spans, 0 relocated, 0 orphans, 0 findings")]);
    println!(
        "article {} chars, annotation file {} -> {} bytes, unkilled run {} ms",
        edited.chars().count(),
        old.len(),
        new.len(),
        longest.as_millis()
    );
    Case {
        sb,
        old,
        new,
        run: longest,
    }
}

/// What the kills of one article gave.
#[derive(Default)]
struct Tally {
    runs: u32,
    kept_old: u32,
    got_new: u32,
    /// Runs that finished before the kill.
    finished: u32,
    /// Kills that waited for the temporary file and saw it.
    aimed_at_write: u32,
    /// Temporary files a kill left behind (each a prefix of the new file).
    leftovers: u32,
}

/// Whether the save of process `pid` has created its temporary file.
fn temporary_exists(dir: &Path, pid: u32) -> bool {
    (0..2).any(|n| dir.join(format!(".wire.tandai.ron.tmp-{pid}-{n}")).exists())
}

/// Checks the folder after a kill: only the article, the annotation file,
/// its lock file and hidden temporary files of the save are there, and a
/// temporary file holds a prefix of the new bytes. Returns how many
/// temporary files were seen for the first time.
fn check_leftovers(
    sb: &Sandbox,
    new: &[u8],
    seen_tmp: &mut std::collections::BTreeSet<String>,
) -> u32 {
    let mut found = 0;
    for e in std::fs::read_dir(sb.path()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name == ".wire.tandai.ron.lock" {
            // The save lock, left on purpose (see README).
        } else if name.starts_with('.') {
            assert!(
                name.starts_with(".wire.tandai.ron.tmp-"),
                "unexpected file {name}"
            );
            if seen_tmp.insert(name.clone()) {
                found += 1;
                let partial = sb.read(&name);
                assert!(
                    new.starts_with(&partial),
                    "{name}: {} bytes that are not a prefix of the new file",
                    partial.len()
                );
            }
        } else {
            assert!(
                name == "wire.txt" || name == "wire.tandai.ron",
                "unexpected file {name}"
            );
        }
    }
    found
}

/// Runs `check --fix` and kills it, `max` times or until `deadline`;
/// checks after each kill that the annotation file is the old one or the
/// new one, and any temporary file left a prefix of the new one.
fn kill_loop(case: &Case, rng: &mut Rng, max: u32, deadline: Instant) -> Tally {
    let Case { sb, old, new, run } = case;
    let run_us = u64::try_from(run.as_micros()).unwrap().max(1);
    let ann_path = sb.join("wire.tandai.ron");
    let mut t = Tally::default();
    let mut seen_tmp = std::collections::BTreeSet::new();
    let mut log = String::new();
    while t.runs < max && Instant::now() < deadline {
        t.runs += 1;
        std::fs::write(&ann_path, old).unwrap();
        let mut child = Command::new(BIN)
            .args(["check", "--fix", "wire.tandai.ron"])
            .current_dir(sb.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let pid = child.id();
        // Every other kill waits for the temporary file, then comes within
        // 2 ms: inside the write, the fsync or just after the rename.
        let aim = t.runs % 2 == 0;
        let delay = if aim {
            let give_up = Instant::now() + *run * 3;
            while !temporary_exists(sb.path(), pid) && Instant::now() < give_up {
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_micros(100));
            }
            if temporary_exists(sb.path(), pid) {
                t.aimed_at_write += 1;
            }
            Duration::from_micros(rng.below(2_000))
        } else {
            Duration::from_micros(rng.below(run_us + 1))
        };
        std::thread::sleep(delay);
        // The child may have exited already; until it is reaped the signal
        // still succeeds (and after a `try_wait` reaped it, `kill` is a
        // no-op).
        let _ = child.kill();
        let status = child.wait().unwrap();
        let killed = status.signal() == Some(9);
        if !killed {
            t.finished += 1;
            assert_eq!(status.code(), Some(0), "unkilled run failed: {status:?}");
        }

        let now = std::fs::read(&ann_path).unwrap();
        let outcome = if &now == old {
            t.kept_old += 1;
            "old"
        } else if &now == new {
            t.got_new += 1;
            "new"
        } else {
            panic!(
                "run {} (killed {delay:?} after {}): the file is neither old nor new: \
                 {} bytes, differs from old at {} and from new at {}",
                t.runs,
                if aim {
                    "its temporary file appeared"
                } else {
                    "it started"
                },
                now.len(),
                first_difference(&now, old),
                first_difference(&now, new)
            );
        };
        assert!(
            killed || outcome == "new",
            "a finished run must leave the new file"
        );
        let _ = write!(
            log,
            " {}{}{}",
            if aim { "w+" } else { "" },
            delay.as_micros() / 100,
            &outcome[..1]
        );

        t.leftovers += check_leftovers(sb, new, &mut seen_tmp);
    }
    println!(
        "{} kills: old file kept {}, new file {} ({} of them finished before the kill), \
         {} aimed at the write, {} temporary files left",
        t.runs, t.kept_old, t.got_new, t.finished, t.aimed_at_write, t.leftovers
    );
    println!("delays (0.1 ms; w+ = after the temporary file appeared) and outcomes:{log}");

    // Every file that is not hidden still loads: exit 0 or 1, never 2.
    let final_bytes = std::fs::read(&ann_path).unwrap();
    let dir = sb.run(&["check", "."]);
    assert_eq!(dir.code, i32::from(&final_bytes != new), "{dir:#?}");
    assert!(
        !dir.stdout.contains(".tmp-"),
        "temporary files were checked: {dir:#?}"
    );
    for e in std::fs::read_dir(sb.path()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') && name != "wire.txt" {
            let r = sb.run(&["check", &name]);
            assert!(r.code == 0 || r.code == 1, "{name}: {r:#?}");
        }
    }
    t
}

#[test]
fn sigkill_during_fix_leaves_the_old_file_or_the_new_one() {
    let started = Instant::now();
    let mut rng = Rng(42);

    let large = prepare(LARGE_SENTENCES);
    assert!(
        std::fs::read_to_string(large.sb.join("wire.txt"))
            .unwrap()
            .chars()
            .count()
            >= LARGE_CHARS,
        "article too short"
    );
    let a = kill_loop(&large, &mut rng, LARGE_KILLS, Instant::now() + LARGE_BUDGET);
    drop(large);

    let small = prepare(SMALL_SENTENCES);
    let b = kill_loop(&small, &mut rng, MAX_KILLS - a.runs, started + LOOP_BUDGET);

    let kills = a.runs + b.runs;
    println!(
        "{kills} kills in {:?}: old file kept {}, new file {}, {} aimed at the write, \
         {} temporary files left",
        started.elapsed(),
        a.kept_old + b.kept_old,
        a.got_new + b.got_new,
        a.aimed_at_write + b.aimed_at_write,
        a.leftovers + b.leftovers
    );
    assert!(
        a.runs >= 3 && b.runs >= 20,
        "too few kills to mean anything"
    );
    if a.kept_old + b.kept_old == 0 || a.got_new + b.got_new == 0 {
        println!("note: timing did not produce both outcomes this time");
    }
}
