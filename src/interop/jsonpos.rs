//! Line numbers of the objects and arrays in a JSON text, by JSON Pointer
//! (`/0/annotations/0/result/3`), so that a problem in a JSON input can name
//! its line. `serde_json` values do not remember where they were.

use std::collections::HashMap;

use serde_json::Value;

use super::{ProblemKind, Warnings};

/// Parses a JSON input (a byte-order mark allowed), with the lines of its
/// values; a text that is not JSON is reported with its line.
pub(crate) fn parse(src: &str, w: &mut Warnings) -> Option<(Value, Lines)> {
    let src = src.trim_start_matches('\u{feff}');
    match serde_json::from_str(src) {
        Ok(v) => Some((v, Lines::of(src))),
        Err(e) => {
            w.problem(
                ProblemKind::Malformed,
                Some(e.line()),
                format!("not JSON: {e}"),
            );
            None
        }
    }
}

/// Where each object and array of a JSON text starts.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    map: HashMap<String, usize>,
}

impl Lines {
    /// Scans `src`, which `serde_json` has already accepted (so nesting is
    /// bounded); on anything unexpected the scan stops with what it has.
    pub(crate) fn of(src: &str) -> Self {
        let mut scan = Scan {
            src,
            b: src.as_bytes(),
            i: 0,
            line: 1,
            map: HashMap::new(),
        };
        let mut path = String::new();
        scan.value(&mut path, 0);
        Lines { map: scan.map }
    }

    /// 1-based line of the value at `pointer`.
    pub(crate) fn line(&self, pointer: &str) -> Option<usize> {
        self.map.get(pointer).copied()
    }
}

/// Deeper than this, `serde_json` refuses the text anyway.
const MAX_DEPTH: usize = 256;

/// Pointers deeper than this are not recorded: the importers look up
/// results at `/0/annotations/0/result/3` at the deepest.
const MAX_RECORDED_DEPTH: usize = 6;

/// Pointers longer than this are not recorded either. Every recorded
/// pointer is a copy, so without these two bounds a long key above many
/// small arrays (`{"<1 MB key>": [[], [], ...]}`) cost the key's length
/// for every array: gigabytes of memory from a file of a megabyte.
const MAX_POINTER_BYTES: usize = 128;

struct Scan<'a> {
    src: &'a str,
    b: &'a [u8],
    i: usize,
    line: usize,
    map: HashMap<String, usize>,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.i += 1;
        }
    }

    /// A string literal starting at `"`, decoded.
    fn string(&mut self) -> String {
        let start = self.i;
        self.i += 1;
        while let Some(c) = self.peek() {
            match c {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    break;
                }
                _ => self.i += 1,
            }
        }
        self.src
            .get(start..self.i.min(self.b.len()))
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    }

    fn value(&mut self, path: &mut String, depth: usize) {
        self.ws();
        match self.peek() {
            Some(open @ (b'{' | b'[')) if depth < MAX_DEPTH => {
                if depth <= MAX_RECORDED_DEPTH && path.len() <= MAX_POINTER_BYTES {
                    self.map.insert(path.clone(), self.line);
                }
                self.i += 1;
                let close = if open == b'{' { b'}' } else { b']' };
                let mut index = 0usize;
                loop {
                    self.ws();
                    match self.peek() {
                        None => return,
                        Some(c) if c == close => {
                            self.i += 1;
                            return;
                        }
                        Some(b',') => {
                            self.i += 1;
                            continue;
                        }
                        Some(_) => {}
                    }
                    let len = path.len();
                    path.push('/');
                    if open == b'{' {
                        if self.peek() != Some(b'"') {
                            return;
                        }
                        let key = self.string();
                        path.push_str(&key.replace('~', "~0").replace('/', "~1"));
                        self.ws();
                        if self.peek() != Some(b':') {
                            return;
                        }
                        self.i += 1;
                    } else {
                        path.push_str(&index.to_string());
                        index += 1;
                    }
                    let before = self.i;
                    self.value(path, depth + 1);
                    path.truncate(len);
                    if self.i == before {
                        return;
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.i += 1;
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_find_the_lines_of_nested_values() {
        let src = "[\n {\"data\": {\"text\": \"a\\\"]\"},\n  \"annotations\": [\n   {\"result\": [\n    {\"id\": \"x\"},\n    {\"id\": \"y/z\"}\n   ]}\n  ]}\n]\n";
        let l = Lines::of(src);
        assert_eq!(l.line(""), Some(1));
        assert_eq!(l.line("/0"), Some(2));
        assert_eq!(l.line("/0/data"), Some(2));
        assert_eq!(l.line("/0/annotations/0/result"), Some(4));
        assert_eq!(l.line("/0/annotations/0/result/0"), Some(5));
        assert_eq!(l.line("/0/annotations/0/result/1"), Some(6));
        assert_eq!(l.line("/1"), None);
    }

    #[test]
    fn long_keys_and_deep_values_cost_no_copies() {
        // Found while fuzzing: each of the 10,000 arrays below copied the
        // megabyte-long pointer above it (10 GB).
        let key = "k".repeat(1 << 20);
        let src = format!("{{\"{key}\": [{}[]]}}", "[], ".repeat(10_000));
        let l = Lines::of(&src);
        let bytes: usize = l.map.keys().map(String::len).sum();
        assert!(bytes <= MAX_POINTER_BYTES, "{bytes} bytes of pointers");
        assert_eq!(l.line(""), Some(1));
        let deep = format!("{}{}", "[\n".repeat(20), "]".repeat(20));
        let l = Lines::of(&deep);
        assert_eq!(l.line("/0/0/0/0/0/0"), Some(7));
        assert_eq!(l.line("/0/0/0/0/0/0/0"), None);
    }

    #[test]
    fn broken_text_stops_the_scan_with_what_it_has() {
        // Text serde_json would refuse: the scan ends (no loop, no panic)
        // and keeps the values it had reached.
        let cases: [(&str, &[(&str, usize)]); 6] = [
            ("[", &[("", 1)]),
            ("{\"a\"", &[("", 1)]),
            ("[1,", &[("", 1)]),
            ("{\"a\":\n[}", &[("", 1), ("/a", 2)]),
            ("\"abc", &[]),
            ("[\n{\"a\" 1}]", &[("", 1), ("/0", 2)]),
        ];
        for (src, want) in cases {
            let l = Lines::of(src);
            let mut got: Vec<(&str, usize)> = l.map.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            got.sort_unstable();
            assert_eq!(got, want, "{src:?}");
        }
    }
}
