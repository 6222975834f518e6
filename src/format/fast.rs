//! A fast reader for annotation files as tandai writes them.
//!
//! `ron` reads a file through serde, generic over every RON construct: on
//! a 50,000-span file (11 MB) that was most of the time it took to open an
//! article. This reader knows the one shape [`super::write`] gives (and
//! the plain hand-written variations of it: fields in any order, any
//! spacing, trailing commas or none, optional fields left out) and reads
//! it in one pass over the bytes.
//!
//! It answers `None` for anything else: comments, `Some(..)`, `None`, raw
//! strings, byte escapes, line continuations, number suffixes or bases,
//! unknown or repeated fields, a missing required field, or any error.
//! The caller then reads the file with `ron` as before, which gives the
//! same value or the error with its line and column. So what this reader
//! accepts, it must read exactly as `ron` does (checked against `ron` on
//! generated files and on mutations of them, in `tests.rs`); and what it
//! refuses costs only the time to find out.

use std::collections::BTreeMap;

use super::{RawAlternative, RawDispute, RawDocument, RawEntity, RawFile, RawLink, RawSpan};
use crate::model::{Origin, Proposed, Status};

/// The file read, or `None` if it is not in the plain shape (see the
/// module's documentation).
pub(super) fn parse(src: &str) -> Option<RawFile> {
    let mut p = Reader {
        s: src.as_bytes(),
        src,
        i: 0,
    };
    let file = p.file()?;
    p.ws()?;
    (p.i == p.s.len()).then_some(file)
}

/// A cursor over the file's bytes (`src` is valid UTF-8, and the cursor
/// only stops at ASCII bytes, so every slice it takes is on a char
/// boundary).
struct Reader<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
}

/// Marks a field as seen; `None` (not the plain shape) if it was already.
fn once(seen: &mut bool) -> Option<()> {
    if *seen {
        return None;
    }
    *seen = true;
    Some(())
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Skips plain white space. A `/` (a comment) is not the plain shape.
    fn ws(&mut self) -> Option<()> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.i += 1,
                b'/' => return None,
                _ => break,
            }
        }
        Some(())
    }

    /// Skips white space and takes `b` if it comes next.
    fn eat(&mut self, b: u8) -> Option<bool> {
        self.ws()?;
        if self.peek() == Some(b) {
            self.i += 1;
            Some(true)
        } else {
            Some(false)
        }
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        self.eat(b)?.then_some(())
    }

    /// An ASCII identifier, which must not run on into other identifier
    /// characters (`r#raw` or non-ASCII ones are not the plain shape).
    fn ident(&mut self) -> Option<&'a str> {
        self.ws()?;
        let start = self.i;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.i += 1;
        }
        let next = self.peek();
        if self.i == start
            || self.s[start].is_ascii_digit()
            || next.is_some_and(|b| b == b'#' || !b.is_ascii())
        {
            return None;
        }
        self.src.get(start..self.i)
    }

    /// `name:` starting a field.
    fn field_name(&mut self) -> Option<&'a str> {
        let name = self.ident()?;
        self.expect(b':')?;
        Some(name)
    }

    /// A byte that may follow a number or a keyword.
    fn at_delimiter(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b')' | b']' | b'}' | b'/')
        )
    }

    /// Digits, without sign, base, underscores or a leading zero.
    fn digits(&mut self) -> Option<&'a str> {
        self.ws()?;
        let start = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        let d = self.src.get(start..self.i)?;
        if d.is_empty() || (d.len() > 1 && d.starts_with('0')) || !self.at_delimiter() {
            return None;
        }
        Some(d)
    }

    fn u64(&mut self) -> Option<u64> {
        self.digits()?.parse().ok()
    }

    fn usize(&mut self) -> Option<usize> {
        self.digits()?.parse().ok()
    }

    fn u32(&mut self) -> Option<u32> {
        self.digits()?.parse().ok()
    }

    /// A decimal float as `{:?}` writes one: `-`? digits, then `.` digits
    /// and an exponent, each optional.
    fn f64(&mut self) -> Option<f64> {
        self.ws()?;
        let start = self.i;
        let digits = |r: &mut Self| {
            let from = r.i;
            while r.peek().is_some_and(|b| b.is_ascii_digit()) {
                r.i += 1;
            }
            r.i > from
        };
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        if !digits(self) {
            return None;
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !digits(self) {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'-' | b'+')) {
                self.i += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        if !self.at_delimiter() {
            return None;
        }
        self.src.get(start..self.i)?.parse().ok()
    }

    fn bool(&mut self) -> Option<bool> {
        let b = match self.ident()? {
            "true" => true,
            "false" => false,
            _ => return None,
        };
        Some(b)
    }

    /// A string literal with the escapes [`super::quote`] writes (and
    /// `\'` and `\0`); any other escape is not the plain shape.
    fn string(&mut self) -> Option<String> {
        self.expect(b'"')?;
        let start = self.i;
        let rest = self.s.get(start..)?;
        let end = start + memchr::memchr2(b'"', b'\\', rest)?;
        if self.s[end] == b'"' {
            self.i = end + 1;
            return self.src.get(start..end).map(str::to_owned);
        }
        let mut out = String::with_capacity(end - start + 16);
        out.push_str(self.src.get(start..end)?);
        self.i = end;
        loop {
            // At a backslash.
            self.i += 1;
            let c = match self.peek()? {
                b'u' => {
                    self.i += 1;
                    // Leaves the cursor after the `}`.
                    self.unicode_escape()?
                }
                b => {
                    self.i += 1;
                    match b {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'\'' => '\'',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'0' => '\0',
                        _ => return None,
                    }
                }
            };
            out.push(c);
            let from = self.i;
            let next = from + memchr::memchr2(b'"', b'\\', self.s.get(from..)?)?;
            out.push_str(self.src.get(from..next)?);
            self.i = next;
            if self.s[next] == b'"' {
                self.i = next + 1;
                return Some(out);
            }
        }
    }

    /// `{1 to 6 hex digits}` after `\u`, leaving the cursor after the `}`.
    fn unicode_escape(&mut self) -> Option<char> {
        if self.peek()? != b'{' {
            return None;
        }
        self.i += 1;
        let start = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_hexdigit()) {
            self.i += 1;
        }
        let hex = self.src.get(start..self.i)?;
        if hex.is_empty() || hex.len() > 6 || self.peek()? != b'}' {
            return None;
        }
        self.i += 1;
        char::from_u32(u32::from_str_radix(hex, 16).ok()?)
    }

    /// `[item, item, ...]`, a trailing comma allowed.
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        loop {
            if self.eat(b']')? {
                return Some(out);
            }
            out.push(item(self)?);
            if !self.eat(b',')? {
                self.expect(b']')?;
                return Some(out);
            }
        }
    }

    /// `(name: value, ...)`, a trailing comma allowed; `field` reads each
    /// value by its name (and refuses names it does not know).
    fn fields(&mut self, mut field: impl FnMut(&mut Self, &str) -> Option<()>) -> Option<()> {
        self.expect(b'(')?;
        loop {
            if self.eat(b')')? {
                return Some(());
            }
            let name = self.field_name()?;
            field(self, name)?;
            if !self.eat(b',')? {
                return self.expect(b')');
            }
        }
    }

    fn file(&mut self) -> Option<RawFile> {
        let (mut version, mut document) = (None, None);
        let mut seen = [false; 6];
        let mut file = RawFile {
            version: 0,
            document: RawDocument {
                path: String::new(),
                sha256: String::new(),
                chars: None,
            },
            labels: Vec::new(),
            done: false,
            entities: Vec::new(),
            spans: Vec::new(),
            links: Vec::new(),
            disputes: Vec::new(),
        };
        self.fields(|r, name| {
            match name {
                "version" if version.is_none() => version = Some(r.u32()?),
                "document" if document.is_none() => document = Some(r.document()?),
                "labels" => {
                    once(&mut seen[0])?;
                    file.labels = r.list(Self::string)?;
                }
                "done" => {
                    once(&mut seen[1])?;
                    file.done = r.bool()?;
                }
                "entities" => {
                    once(&mut seen[2])?;
                    file.entities = r.list(Self::entity)?;
                }
                "spans" => {
                    once(&mut seen[3])?;
                    file.spans = r.list(Self::span)?;
                }
                "links" => {
                    once(&mut seen[4])?;
                    file.links = r.list(Self::link)?;
                }
                "disputes" => {
                    once(&mut seen[5])?;
                    file.disputes = r.list(Self::dispute)?;
                }
                _ => return None,
            }
            Some(())
        })?;
        file.version = version?;
        file.document = document?;
        Some(file)
    }

    fn document(&mut self) -> Option<RawDocument> {
        let (mut path, mut sha256, mut chars) = (None, None, None);
        self.fields(|r, name| {
            match name {
                "path" if path.is_none() => path = Some(r.string()?),
                "sha256" if sha256.is_none() => sha256 = Some(r.string()?),
                "chars" if chars.is_none() => chars = Some(r.usize()?),
                _ => return None,
            }
            Some(())
        })?;
        Some(RawDocument {
            path: path?,
            sha256: sha256.unwrap_or_default(),
            chars,
        })
    }

    fn entity(&mut self) -> Option<RawEntity> {
        let (mut id, mut name, mut role) = (None, None, None);
        self.fields(|r, field| {
            match field {
                "id" if id.is_none() => id = Some(r.u64()?),
                "name" if name.is_none() => name = Some(r.string()?),
                "role" if role.is_none() => role = Some(r.string()?),
                _ => return None,
            }
            Some(())
        })?;
        Some(RawEntity {
            id: id?,
            name: name?,
            role,
        })
    }

    fn link(&mut self) -> Option<RawLink> {
        let (mut id, mut kind, mut from, mut to) = (None, None, None, None);
        self.fields(|r, name| {
            match name {
                "id" if id.is_none() => id = Some(r.u64()?),
                "kind" if kind.is_none() => kind = Some(r.string()?),
                "from" if from.is_none() => from = Some(r.u64()?),
                "to" if to.is_none() => to = Some(r.u64()?),
                _ => return None,
            }
            Some(())
        })?;
        Some(RawLink {
            id: id?,
            kind: kind?,
            from: from?,
            to: to?,
        })
    }

    fn span(&mut self) -> Option<RawSpan> {
        let (mut id, mut label, mut start, mut end) = (None, None, None, None);
        let mut seen = [false; 11];
        let mut s = RawSpan::default();
        self.fields(|r, name| {
            match name {
                "id" if id.is_none() => id = Some(r.u64()?),
                "label" if label.is_none() => label = Some(r.string()?),
                "start" if start.is_none() => start = Some(r.usize()?),
                "end" if end.is_none() => end = Some(r.usize()?),
                "text" if s.text.is_none() => s.text = Some(r.string()?),
                "before" => {
                    once(&mut seen[0])?;
                    s.before = r.string()?;
                }
                "after" => {
                    once(&mut seen[1])?;
                    s.after = r.string()?;
                }
                "origin" => {
                    once(&mut seen[2])?;
                    s.origin = r.origin()?;
                }
                "status" if s.status.is_none() => s.status = Some(r.status()?),
                "reviewer" if s.reviewer.is_none() => s.reviewer = Some(r.string()?),
                "proposed" if s.proposed.is_none() => s.proposed = Some(r.proposed()?),
                "note" if s.note.is_none() => s.note = Some(r.string()?),
                "attributes" => {
                    once(&mut seen[3])?;
                    s.attributes = r.attributes()?;
                }
                "orphan" => {
                    once(&mut seen[4])?;
                    s.orphan = r.bool()?;
                }
                "entity" if s.entity.is_none() => s.entity = Some(r.u64()?),
                "agreed" => {
                    once(&mut seen[5])?;
                    s.agreed = r.list(Self::string)?;
                }
                _ => return None,
            }
            Some(())
        })?;
        s.id = id?;
        s.label = label?;
        s.start = start?;
        s.end = end?;
        Some(s)
    }

    /// `Human(annotator: "…")` or `Machine(model: "…", score: 0.5)`.
    fn origin(&mut self) -> Option<Origin> {
        match self.ident()? {
            "Human" => {
                let mut annotator = None;
                self.fields(|r, name| match name {
                    "annotator" if annotator.is_none() => {
                        annotator = Some(r.string()?);
                        Some(())
                    }
                    _ => None,
                })?;
                Some(Origin::Human {
                    annotator: annotator.unwrap_or_default(),
                })
            }
            "Machine" => {
                let (mut model, mut score) = (None, None);
                self.fields(|r, name| {
                    match name {
                        "model" if model.is_none() => model = Some(r.string()?),
                        "score" if score.is_none() => score = Some(r.f64()?),
                        _ => return None,
                    }
                    Some(())
                })?;
                Some(Origin::Machine {
                    model: model.unwrap_or_default(),
                    score,
                })
            }
            _ => None,
        }
    }

    fn status(&mut self) -> Option<Status> {
        let status = match self.ident()? {
            "Pending" => Status::Pending,
            "Accepted" => Status::Accepted,
            "Rejected" => Status::Rejected,
            "Corrected" => Status::Corrected,
            _ => return None,
        };
        Some(status)
    }

    fn proposed(&mut self) -> Option<Proposed> {
        let (mut label, mut start, mut end) = (None, None, None);
        self.fields(|r, name| {
            match name {
                "label" if label.is_none() => label = Some(r.string()?),
                "start" if start.is_none() => start = Some(r.usize()?),
                "end" if end.is_none() => end = Some(r.usize()?),
                _ => return None,
            }
            Some(())
        })?;
        Some(Proposed {
            label: label?,
            start: start?,
            end: end?,
        })
    }

    /// `{"key": "value", ...}`, each key once.
    fn attributes(&mut self) -> Option<BTreeMap<String, String>> {
        self.expect(b'{')?;
        let mut out = BTreeMap::new();
        loop {
            if self.eat(b'}')? {
                return Some(out);
            }
            let key = self.string()?;
            self.expect(b':')?;
            let value = self.string()?;
            if out.insert(key, value).is_some() {
                return None;
            }
            if !self.eat(b',')? {
                self.expect(b'}')?;
                return Some(out);
            }
        }
    }

    fn dispute(&mut self) -> Option<RawDispute> {
        let mut id = None;
        let mut alternatives = None;
        self.fields(|r, name| {
            match name {
                "id" if id.is_none() => id = Some(r.u64()?),
                "alternatives" if alternatives.is_none() => {
                    alternatives = Some(r.list(Self::alternative)?);
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(RawDispute {
            id: id?,
            alternatives: alternatives.unwrap_or_default(),
        })
    }

    fn alternative(&mut self) -> Option<RawAlternative> {
        let (mut by, mut spans, mut links, mut entities) = (None, None, None, None);
        self.fields(|r, name| {
            match name {
                "by" if by.is_none() => by = Some(r.list(Self::string)?),
                "spans" if spans.is_none() => spans = Some(r.list(Self::span)?),
                "links" if links.is_none() => links = Some(r.list(Self::link)?),
                "entities" if entities.is_none() => entities = Some(r.list(Self::entity)?),
                _ => return None,
            }
            Some(())
        })?;
        Some(RawAlternative {
            by: by.unwrap_or_default(),
            spans: spans.unwrap_or_default(),
            links: links.unwrap_or_default(),
            entities: entities.unwrap_or_default(),
        })
    }
}
