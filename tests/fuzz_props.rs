#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The fuzz targets as bounded property tests, so that every `cargo test`
//! runs them: each entry point of `tandai::fuzzing` (the same code the
//! cargo-fuzz targets in `fuzz/` call) on its seed files, on every input a
//! fuzzer once crashed (`tests/fuzz_regressions/TARGET/`), and on a fixed
//! number of inputs made from the seeds by random mutation, with a fixed
//! seed so that a failure repeats. A few seconds each in a debug build.

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Files of a folder, sorted by name (none if it does not exist).
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    out.sort();
    out
}

/// Pieces worth splicing into any input: numbers at the edges of their
/// types, nesting, quotes, escapes, the article separator.
const PIECES: &[&[u8]] = &[
    b"18446744073709551615",
    b"18446744073709551616",
    b"-1",
    b"0",
    b"1e309",
    b"NaN",
    b"(",
    b"[",
    b"{",
    b"\"",
    b"\\u{0}",
    b"\\ud800",
    b"\xff",
    b"\r\n",
    "\u{feff}".as_bytes(),
    "👍🏽".as_bytes(),
    b"id: 1, ",
    b"\t",
];

#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, usize),
    Delete(usize, usize),
    Duplicate(usize, usize, usize),
}

fn apply(mut data: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let n = data.len();
        match *m {
            Mutation::Flip(at, bits) if n > 0 => data[at % n] ^= bits,
            Mutation::Insert(at, piece) => {
                let at = if n == 0 { 0 } else { at % (n + 1) };
                let piece = PIECES[piece % PIECES.len()];
                data.splice(at..at, piece.iter().copied());
            }
            Mutation::Delete(at, len) if n > 0 => {
                let at = at % n;
                data.drain(at..(at + len).min(n));
            }
            Mutation::Duplicate(from, len, to) if n > 0 => {
                let from = from % n;
                let chunk = data[from..(from + len).min(n)].to_vec();
                let to = to % (n + 1);
                data.splice(to..to, chunk);
            }
            _ => {}
        }
    }
    data
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1u8..).prop_map(|(a, b)| Mutation::Flip(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, p)| Mutation::Insert(a, p)),
        (any::<usize>(), 1usize..64).prop_map(|(a, l)| Mutation::Delete(a, l)),
        (any::<usize>(), 1usize..256, any::<usize>())
            .prop_map(|(f, l, t)| Mutation::Duplicate(f, l, t)),
    ]
}

/// Runs `f` on every seed and regression input of `target`, then on
/// `cases` mutated seeds and random byte strings.
fn run(target: &str, f: fn(&[u8]), cases: u32) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = files(&root.join("fuzz/seeds").join(target));
    assert!(!seeds.is_empty(), "no seeds for {target}");
    for (name, bytes) in &seeds {
        eprintln!("{target}: seed {name}");
        f(bytes);
    }
    for (name, bytes) in files(&root.join("tests/fuzz_regressions").join(target)) {
        eprintln!("{target}: regression {name}");
        f(&bytes);
    }
    let seeds: Vec<Vec<u8>> = seeds.into_iter().map(|(_, b)| b).collect();
    let inputs = prop_oneof![
        4 => (
            prop::sample::select(seeds),
            prop::collection::vec(mutation(), 1..8)
        )
            .prop_map(|(seed, ms)| apply(seed, &ms)),
        1 => prop::collection::vec(any::<u8>(), 0..600),
    ];
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]));
    let result = runner.run(&inputs, |data| {
        f(&data);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{target}: {e}");
    }
}

#[test]
fn ron_file() {
    run("ron_file", tandai::fuzzing::ron_file, 6000);
}

#[test]
fn schema_file() {
    run("schema_file", tandai::fuzzing::schema_file, 30000);
}

#[test]
fn tags_jsonl() {
    run("tags_jsonl", tandai::fuzzing::tags_jsonl, 4000);
}

#[test]
fn brat() {
    run("brat", tandai::fuzzing::brat, 1200);
}

#[test]
fn doccano() {
    run("doccano", tandai::fuzzing::doccano, 8000);
}

#[test]
fn label_studio() {
    run("label_studio", tandai::fuzzing::label_studio, 6000);
}

#[test]
fn w3c() {
    run("w3c", tandai::fuzzing::w3c, 6000);
}

#[test]
fn edits() {
    run("edits", tandai::fuzzing::edits, 2500);
}
