//! The one place where positions in the article are converted.
//!
//! tandai counts offsets in Unicode code points (Rust `char`s) over the exact
//! text of the file: a byte-order mark and every `\r` count. Rust strings and
//! egui's layout want byte offsets; some export formats want UTF-16 code units.
//! [`Text`] owns the article text together with a small checkpoint index so
//! that every conversion costs O(log n) plus a bounded scan, whatever the
//! length of the article: no conversion walks the text from its start.
//!
//! Word boundaries (UAX #29, via `unicode-segmentation`, in `words.rs`) for snapping a
//! selection to whole words live here too, computed over a bounded window
//! around the position so that they cost the same on a 5 kB and a 5 MB text.

use std::ops::Range;

/// Characters between two checkpoints of the index.
const BLOCK: usize = 64;

/// How many characters of context [`Text::context_before`] and
/// [`Text::context_after`] keep.
pub const CONTEXT_CHARS: usize = 20;

/// A checkpoint: where character number `i * BLOCK` starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Checkpoint {
    byte: usize,
    utf16: usize,
}

/// What a foreign format's offsets count: tandai's code points, or the
/// UTF-16 code units a JavaScript front end counts (doccano's web
/// interface does, by default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Units {
    /// Unicode code points, as tandai and Python count.
    #[default]
    CodePoints,
    /// UTF-16 code units, as JavaScript counts.
    Utf16,
}

/// The article text with an index for offset conversion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    text: String,
    chars: usize,
    /// Empty when the text is ASCII: then all three units coincide.
    checkpoints: Vec<Checkpoint>,
}

impl Default for Text {
    fn default() -> Self {
        Self::new(String::new())
    }
}

impl Text {
    /// Indexes `text`; O(n) once.
    pub fn new(text: String) -> Self {
        if text.is_ascii() {
            let chars = text.len();
            return Self {
                text,
                chars,
                checkpoints: Vec::new(),
            };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / BLOCK + 1);
        let mut chars = 0;
        let mut utf16 = 0;
        for (byte, c) in text.char_indices() {
            if chars % BLOCK == 0 {
                checkpoints.push(Checkpoint { byte, utf16 });
            }
            chars += 1;
            utf16 += c.len_utf16();
        }
        Self {
            text,
            chars,
            checkpoints,
        }
    }

    /// The exact text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length in code points.
    pub fn len_chars(&self) -> usize {
        self.chars
    }

    /// Length in UTF-16 code units.
    pub fn len_utf16(&self) -> usize {
        self.utf16_of_char(self.chars).unwrap_or(0)
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    fn is_ascii(&self) -> bool {
        self.checkpoints.is_empty()
    }

    /// Byte offset of the character at char offset `c` (`c == len` gives the
    /// byte length). `None` past the end.
    pub fn byte_of_char(&self, c: usize) -> Option<usize> {
        if c > self.chars {
            return None;
        }
        if self.is_ascii() {
            return Some(c);
        }
        if c == self.chars {
            return Some(self.text.len());
        }
        let cp = self.checkpoints[c / BLOCK];
        let skip = c % BLOCK;
        // The `skip`-th char start after the checkpoint: counted over the
        // bytes (every byte but a UTF-8 continuation byte starts a char),
        // with no decoding.
        let mut starts = 0;
        for (i, &b) in self.text.as_bytes()[cp.byte..].iter().enumerate() {
            if b & 0xC0 != 0x80 {
                if starts == skip {
                    return Some(cp.byte + i);
                }
                starts += 1;
            }
        }
        None
    }

    /// Char offset of byte offset `b`. `None` past the end or inside a
    /// multi-byte character.
    pub fn char_of_byte(&self, b: usize) -> Option<usize> {
        if b > self.text.len() || !self.text.is_char_boundary(b) {
            return None;
        }
        if self.is_ascii() {
            return Some(b);
        }
        let block = self.checkpoints.partition_point(|cp| cp.byte <= b) - 1;
        let from = self.checkpoints[block].byte;
        Some(block * BLOCK + self.text[from..b].chars().count())
    }

    /// UTF-16 offset of char offset `c`. `None` past the end.
    pub fn utf16_of_char(&self, c: usize) -> Option<usize> {
        if c > self.chars {
            return None;
        }
        if self.is_ascii() {
            return Some(c);
        }
        let block = (c / BLOCK).min(self.checkpoints.len().saturating_sub(1));
        let cp = self.checkpoints[block];
        let skip = c - block * BLOCK;
        let extra: usize = self.text[cp.byte..]
            .chars()
            .take(skip)
            .map(char::len_utf16)
            .sum();
        Some(cp.utf16 + extra)
    }

    /// Char offset of UTF-16 offset `u`. `None` past the end or between the
    /// two halves of a surrogate pair.
    pub fn char_of_utf16(&self, u: usize) -> Option<usize> {
        if self.is_ascii() {
            return (u <= self.chars).then_some(u);
        }
        let block = self.checkpoints.partition_point(|cp| cp.utf16 <= u) - 1;
        let cp = self.checkpoints[block];
        let mut at = cp.utf16;
        let mut c = block * BLOCK;
        for ch in self.text[cp.byte..].chars() {
            if at >= u {
                break;
            }
            at += ch.len_utf16();
            c += 1;
        }
        (at == u).then_some(c)
    }

    /// Char offset `c` counted in `units`. `None` past the end.
    pub fn to_units(&self, c: usize, units: Units) -> Option<usize> {
        match units {
            Units::CodePoints => (c <= self.chars).then_some(c),
            Units::Utf16 => self.utf16_of_char(c),
        }
    }

    /// Char offset of offset `u` counted in `units`. `None` past the end or,
    /// in UTF-16, between the two halves of a surrogate pair.
    pub fn from_units(&self, u: usize, units: Units) -> Option<usize> {
        match units {
            Units::CodePoints => (u <= self.chars).then_some(u),
            Units::Utf16 => self.char_of_utf16(u),
        }
    }

    /// Byte range of a char range, if it lies inside the text.
    pub fn byte_range(&self, r: Range<usize>) -> Option<Range<usize>> {
        if r.start > r.end {
            return None;
        }
        let start = self.byte_of_char(r.start)?;
        let end = if r.end - r.start <= BLOCK {
            // Short spans: scan from the start instead of a second lookup.
            let rest = &self.text[start..];
            let len = r.end - r.start;
            if len == 0 {
                start
            } else {
                let (b, c) = rest.char_indices().nth(len - 1)?;
                start + b + c.len_utf8()
            }
        } else {
            self.byte_of_char(r.end)?
        };
        Some(start..end)
    }

    /// The text of a char range, if it lies inside the text.
    pub fn slice(&self, r: Range<usize>) -> Option<&str> {
        self.byte_range(r).map(|b| &self.text[b])
    }

    /// Char range of a byte range (both ends on char boundaries).
    pub fn char_range(&self, r: Range<usize>) -> Option<Range<usize>> {
        Some(self.char_of_byte(r.start)?..self.char_of_byte(r.end)?)
    }

    /// The quote of char range `r` with its context before and after (as
    /// [`Text::slice`], [`Text::context_before`] and
    /// [`Text::context_after`] give them), finding each byte offset once.
    /// `None` if the range is not inside the text.
    pub fn quote_with_context(&self, r: Range<usize>) -> Option<(&str, &str, &str)> {
        let b = self.byte_range(r)?;
        Some((
            &self.text[b.clone()],
            self.before_byte(b.start),
            self.after_byte(b.end),
        ))
    }

    /// The context before byte offset `b` (a char boundary): back
    /// [`CONTEXT_CHARS`] char starts (a byte scan, no decoding), cut after
    /// the nearest line break.
    fn before_byte(&self, b: usize) -> &str {
        let bytes = self.text.as_bytes();
        let mut from = b;
        let mut back = 0;
        while from > 0 && back < CONTEXT_CHARS {
            from -= 1;
            if bytes[from] & 0xC0 != 0x80 {
                back += 1;
            }
        }
        let before = &self.text[from..b];
        match before.rfind(['\n', '\r']) {
            Some(i) => &before[i + 1..],
            None => before,
        }
    }

    /// The context after byte offset `b` (a char boundary): up to
    /// [`CONTEXT_CHARS`] chars, cut at the next line break.
    fn after_byte(&self, b: usize) -> &str {
        let rest = &self.text[b..];
        let end = rest
            .char_indices()
            .enumerate()
            .find(|&(n, (_, ch))| n == CONTEXT_CHARS || ch == '\n' || ch == '\r')
            .map_or(rest.len(), |(_, (i, _))| i);
        &rest[..end]
    }

    /// Up to [`CONTEXT_CHARS`] characters just before char offset `c`, cut at
    /// the nearest line break so that context never spans lines.
    pub fn context_before(&self, c: usize) -> String {
        self.byte_of_char(c)
            .map_or_else(String::new, |b| self.before_byte(b).to_owned())
    }

    /// Up to [`CONTEXT_CHARS`] characters just after char offset `c`, cut at
    /// the next line break.
    pub fn context_after(&self, c: usize) -> String {
        self.byte_of_char(c)
            .map_or_else(String::new, |b| self.after_byte(b).to_owned())
    }

    /// brat's view of the offsets: brat reads texts with universal newlines
    /// (nlplab/brat#853), so each `\r\n` counts as one character there (a
    /// lone `\r` counts one either way). Built with one scan of the text.
    pub fn brat_offsets(&self) -> BratOffsets {
        let mut crlf = Vec::new();
        let mut prev_cr = false;
        for (c, ch) in self.text.chars().enumerate() {
            if prev_cr && ch == '\n' {
                crlf.push(c - 1);
            }
            prev_cr = ch == '\r';
        }
        BratOffsets { crlf }
    }

    /// Whether a char range holds only white space (or nothing).
    pub fn is_blank(&self, r: Range<usize>) -> bool {
        self.slice(r)
            .is_none_or(|s| s.chars().all(char::is_whitespace))
    }

    /// 1-based line and column (in chars) of a char offset, for messages.
    /// This one does scan: it is for error reports, not for the hot path.
    pub fn line_col(&self, c: usize) -> (usize, usize) {
        let b = self.byte_of_char(c).unwrap_or(self.text.len());
        let before = &self.text[..b];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

/// Text made of the characters that shift offsets in other tools (BOM,
/// CRLF, curly quotes, combining marks, emoji with modifiers and joiners,
/// flags, CJK, Arabic) and RON escapes, `count` pieces long, for property
/// tests across the crate.
#[cfg(test)]
pub(crate) fn torture_text(
    count: std::ops::Range<usize>,
) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let pieces = prop::sample::select(vec![
        "a",
        "Kirby",
        "Z",
        " ",
        "\u{a0}",
        "\r\n",
        "\n",
        "\u{feff}",
        "“",
        "”",
        "é",
        "e\u{301}",
        "👍🏽",
        "👨\u{200d}👩\u{200d}👧",
        "🇮🇩",
        "中文",
        "مرحبا",
        "—",
        "\t",
        "\"",
        "\\",
        ".",
    ]);
    prop::collection::vec(pieces, count).prop_map(|v| v.concat())
}

/// Conversion between tandai's offsets (every `\r` counts) and brat's (a
/// `\r\n` counts once), from [`Text::brat_offsets`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BratOffsets {
    /// Char offsets of the `\r` of each `\r\n`, in order.
    crlf: Vec<usize>,
}

impl BratOffsets {
    /// Whether the text has no `\r\n`: both conventions are the same.
    pub fn is_identity(&self) -> bool {
        self.crlf.is_empty()
    }

    /// brat's offset for char offset `c` (a boundary between `\r` and `\n`
    /// counts as after the line break).
    pub fn to_brat(&self, c: usize) -> usize {
        c - self.crlf.partition_point(|&p| p + 1 < c)
    }

    /// The char offset for brat's offset `b`.
    pub fn from_brat(&self, b: usize) -> usize {
        // The i-th pair sits at `p - i` in brat's text.
        let mut lo = 0;
        let mut hi = self.crlf.len();
        while lo < hi {
            let mid = usize::midpoint(lo, hi);
            if self.crlf[mid] - mid < b {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        b + lo
    }
}

#[cfg(test)]
mod tests;
mod words;
