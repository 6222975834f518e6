#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
// Every test binary includes this module but none uses all of it.
#![allow(dead_code)]

//! Helpers shared by the integration tests: a sandbox folder to run the
//! `tandai` binary in, hand-written annotation files, offsets counted the
//! way Python counts them, and snapshots to prove nothing was written.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_tandai");

/// Files larger than this are snapshotted by metadata only, never read.
const SNAPSHOT_READ_LIMIT: u64 = 16 * 1024 * 1024;

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    /// Exit code (a run killed by a signal fails the test).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The `kind` of every entry of `errors` in the JSON output, in order.
    pub fn kinds(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .expect("`errors` is a list")
            .iter()
            .map(|e| e["kind"].as_str().expect("`kind` is a string").to_owned())
            .collect()
    }

    /// Entries of `errors` of one kind.
    pub fn errors_of(&self, kind: &str) -> Vec<serde_json::Value> {
        self.json()["errors"]
            .as_array()
            .expect("`errors` is a list")
            .iter()
            .filter(|e| e["kind"] == kind)
            .cloned()
            .collect()
    }

    /// A top-level number of the JSON output (`spans`, `relocated`, ...).
    pub fn number(&self, key: &str) -> u64 {
        self.json()[key]
            .as_u64()
            .unwrap_or_else(|| panic!("`{key}` is not a number in:\n{}", self.stdout))
    }

    /// Panics with the whole run unless the exit code is `code`.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "unexpected exit code; run: {self:#?}");
        self
    }

    /// Panics unless stderr contains every needle.
    #[track_caller]
    pub fn assert_stderr_has(&self, needles: &[&str]) -> &Self {
        for n in needles {
            assert!(
                self.stderr.contains(n),
                "stderr lacks {n:?}; run: {self:#?}"
            );
        }
        self
    }

    /// Panics unless stdout contains every needle.
    #[track_caller]
    pub fn assert_stdout_has(&self, needles: &[&str]) -> &Self {
        for n in needles {
            assert!(
                self.stdout.contains(n),
                "stdout lacks {n:?}; run: {self:#?}"
            );
        }
        self
    }
}

/// Runs the binary with `args` in folder `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("the tandai binary runs");
    Run::from_output(out)
}

/// Starts the binary with `args` in folder `dir`, its output piped, for
/// tests that run several at once or watch one.
pub fn spawn_in<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[S]) -> std::process::Child {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tandai binary starts")
}

impl Run {
    /// The run a finished process made.
    pub fn from_output(out: std::process::Output) -> Run {
        Run {
            code: out
                .status
                .code()
                .unwrap_or_else(|| panic!("tandai was killed: {:?}", out.status)),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }
}

/// A temporary folder to write files into and run the binary in.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    /// A fresh, empty folder.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `rel` inside the folder.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (folders created as needed) and returns its path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// Reads a file.
    pub fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Reads a file as text.
    pub fn read_string(&self, rel: &str) -> String {
        String::from_utf8(self.read(rel)).expect("UTF-8")
    }

    /// Runs the binary with the folder as working directory.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }

    /// Every file under the folder (hidden ones too).
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of(self.path())
    }

    /// Copies both example articles and their annotation files in.
    pub fn copy_examples(&self) -> Vec<String> {
        let mut stems = Vec::new();
        for e in std::fs::read_dir(examples_dir()).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            std::fs::copy(e.path(), self.join(&name)).unwrap();
            if let Some(stem) = name.strip_suffix(".txt") {
                stems.push(stem.to_owned());
            }
        }
        stems.sort();
        stems
    }
}

/// The folder of example articles in the repository.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles")
}

/// What a file was at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileState {
    /// Its bytes.
    Bytes(Vec<u8>),
    /// Too large to read: its length and modification time.
    Large(u64, std::time::SystemTime),
}

/// The state of every file under a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<PathBuf, FileState>);

impl Snapshot {
    /// Takes a snapshot of `root`, recursively, hidden files included.
    pub fn of(root: &Path) -> Self {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, FileState>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let e = e.unwrap();
                let p = e.path();
                let meta = e.metadata().unwrap();
                if meta.is_dir() {
                    walk(root, &p, out);
                } else {
                    let state = if meta.len() > SNAPSHOT_READ_LIMIT {
                        FileState::Large(meta.len(), meta.modified().unwrap())
                    } else {
                        FileState::Bytes(std::fs::read(&p).unwrap())
                    };
                    out.insert(p.strip_prefix(root).unwrap().to_owned(), state);
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(root, root, &mut out);
        Self(out)
    }

    /// Whether there are no files at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Panics, naming the files, unless `now` is the same as `self`.
    #[track_caller]
    pub fn assert_same(&self, now: &Snapshot, context: &str) {
        let changed: Vec<String> = self
            .0
            .keys()
            .chain(now.0.keys())
            .filter(|k| self.0.get(*k) != now.0.get(*k))
            .map(|k| k.display().to_string())
            .collect();
        assert!(
            changed.is_empty(),
            "{context}: files were written, created or removed: {changed:?}"
        );
    }
}

/// Char (code point) range of the first occurrence of `needle`: the offsets
/// Python's `str.index` would give.
#[track_caller]
pub fn char_range(text: &str, needle: &str) -> Range<usize> {
    let b = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in the text"));
    assert_eq!(
        text.matches(needle).count(),
        1,
        "{needle:?} occurs more than once; tests need unique quotes"
    );
    let start = text[..b].chars().count();
    start..start + needle.chars().count()
}

/// UTF-16 code unit range of the first occurrence of `needle` (a common
/// mistake: JavaScript's offsets).
pub fn utf16_range(text: &str, needle: &str) -> Range<usize> {
    let b = text.find(needle).unwrap();
    let start = text[..b].encode_utf16().count();
    start..start + needle.encode_utf16().count()
}

/// Byte range of the first occurrence of `needle` (another common mistake).
pub fn byte_range(text: &str, needle: &str) -> Range<usize> {
    let b = text.find(needle).unwrap();
    b..b + needle.len()
}

/// The chars `range` of `text`.
pub fn char_slice(text: &str, range: Range<usize>) -> String {
    text.chars()
        .skip(range.start)
        .take(range.end - range.start)
        .collect()
}

/// A RON string literal, escaped as tandai writes them.
pub fn ron_str(s: &str) -> String {
    let mut out = String::new();
    tandai::format::quote(&mut out, s);
    out
}

/// One hand-written span with its quote.
pub fn span(id: u64, label: &str, range: Range<usize>, text: &str) -> String {
    format!(
        "(id: {id}, label: {}, start: {}, end: {}, text: {})",
        ron_str(label),
        range.start,
        range.end,
        ron_str(text)
    )
}

/// One hand-written span without a quote (offsets trusted).
pub fn bare_span(id: u64, label: &str, range: Range<usize>) -> String {
    format!(
        "(id: {id}, label: {}, start: {}, end: {})",
        ron_str(label),
        range.start,
        range.end
    )
}

/// One hand-written link.
pub fn link(id: u64, kind: &str, from: u64, to: u64) -> String {
    format!(
        "(id: {id}, kind: {}, from: {from}, to: {to})",
        ron_str(kind)
    )
}

/// A hand-written version 1 annotation file.
pub fn annotation(doc: &str, spans: &[String], links: &[String]) -> String {
    let mut out = format!(
        "(\n    version: 1,\n    document: (path: {}),\n",
        ron_str(doc)
    );
    out.push_str("    spans: [\n");
    for s in spans {
        let _ = writeln!(out, "        {s},");
    }
    out.push_str("    ],\n    links: [\n");
    for l in links {
        let _ = writeln!(out, "        {l},");
    }
    out.push_str("    ],\n)\n");
    out
}

/// Parses an annotation file with the crate's own reader.
pub fn parse_file(path: &Path) -> tandai::format::RawFile {
    let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    tandai::format::parse(&src).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The spans of an annotation file as (id, label, start, end, quote).
pub fn spans_of(path: &Path) -> Vec<(u64, String, usize, usize, String)> {
    parse_file(path)
        .spans
        .into_iter()
        .map(|s| (s.id, s.label, s.start, s.end, s.text.unwrap_or_default()))
        .collect()
}

/// The links of an annotation file as (kind, from, to), sorted.
pub fn links_of(path: &Path) -> Vec<(String, u64, u64)> {
    let mut l: Vec<_> = parse_file(path)
        .links
        .into_iter()
        .map(|l| (l.kind, l.from, l.to))
        .collect();
    l.sort();
    l
}

/// The files in `dir` (not walked) whose extension is `ext`, sorted.
pub fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}
