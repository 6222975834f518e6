//! The one place where positions in the article are converted.
//!
//! tandai counts offsets in Unicode code points (Rust `char`s) over the exact
//! text of the file: a byte-order mark and every `\r` count. Rust strings and
//! egui's layout want byte offsets; some export formats want UTF-16 code units.
//! [`Text`] owns the article text together with a small checkpoint index so
//! that every conversion costs O(log n) plus a bounded scan, whatever the
//! length of the article: no conversion walks the text from its start.
//!
//! Word boundaries (UAX #29, via `unicode-segmentation`) for snapping a
//! selection to whole words live here too, computed over a bounded window
//! around the position so that they cost the same on a 5 kB and a 5 MB text.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// Characters between two checkpoints of the index.
const BLOCK: usize = 64;

/// How far (in bytes) word segmentation looks on each side of a position.
const WORD_WINDOW: usize = 512;

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

    /// Whether char offset `c` is not inside a word: at either end of the
    /// text, or not between two letters or digits. `false` past the end.
    pub fn at_word_edge(&self, c: usize) -> bool {
        if c == 0 || c == self.chars {
            return true;
        }
        let (Some(b), Some(start)) = (self.byte_of_char(c), self.byte_of_char(c - 1)) else {
            return false;
        };
        let word = |ch: Option<char>| ch.is_some_and(char::is_alphanumeric);
        !(word(self.text[start..b].chars().next()) && word(self.text[b..].chars().next()))
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

    fn floor_boundary(&self, mut i: usize) -> usize {
        i = i.min(self.text.len());
        while !self.text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    fn ceil_boundary(&self, mut i: usize) -> usize {
        i = i.min(self.text.len());
        while !self.text.is_char_boundary(i) {
            i += 1;
        }
        i
    }

    /// Word segments (UAX #29) in a bounded window around byte `b`, as
    /// absolute byte ranges.
    fn segments_around(&self, b: usize) -> Vec<Range<usize>> {
        let b = self.floor_boundary(b);
        let mut lo = self.floor_boundary(b.saturating_sub(WORD_WINDOW));
        let mut hi = self.ceil_boundary(b + WORD_WINDOW);
        // Move the edges out to white space, so that no word is cut in two
        // by the window (a bounded look: words are short).
        let edge = WORD_WINDOW / 2;
        if lo > 0 {
            let base = self.floor_boundary(lo.saturating_sub(edge));
            lo = match self.text[base..lo].rfind(char::is_whitespace) {
                Some(i) => self.ceil_boundary(base + i + 1),
                None => base,
            };
        }
        if hi < self.text.len() {
            let end = self.ceil_boundary(hi + edge);
            hi = match self.text[hi..end].find(char::is_whitespace) {
                Some(i) => hi + i,
                None => end,
            };
        }
        // Start the window at a line break where there is one, so that the
        // segmenter starts in a known state.
        if let Some(nl) = self.text[lo..b].rfind('\n') {
            lo += nl + 1;
        }
        self.text[lo..hi]
            .split_word_bound_indices()
            .map(|(i, w)| lo + i..lo + i + w.len())
            .collect()
    }

    fn is_word(&self, seg: &Range<usize>) -> bool {
        self.text[seg.clone()].chars().any(char::is_alphanumeric)
    }

    /// Widens a char range to whole words: the start moves back to the start
    /// of the word it falls in, the end forward to the end of the word it
    /// falls in, and white space at either edge is dropped. An empty range,
    /// or one of white space only, comes back as it was.
    pub fn snap_to_words(&self, r: Range<usize>) -> Range<usize> {
        let (Some(bs), Some(be)) = (self.byte_of_char(r.start), self.byte_of_char(r.end)) else {
            return r;
        };
        if bs >= be || self.text[bs..be].trim().is_empty() {
            return r;
        }
        let mut start = bs;
        let segs = self.segments_around(bs);
        if let Some(seg) = segs.iter().find(|s| s.start <= bs && bs < s.end)
            && self.is_word(seg)
        {
            start = seg.start;
        }
        let mut end = be;
        let segs = self.segments_around(be - 1);
        if let Some(seg) = segs.iter().find(|s| s.start < be && be <= s.end)
            && self.is_word(seg)
        {
            end = seg.end;
        }
        let inner = &self.text[start..end];
        let trimmed_start = start + (inner.len() - inner.trim_start().len());
        let trimmed_end = end - (inner.len() - inner.trim_end().len());
        match self.char_range(trimmed_start..trimmed_end) {
            Some(c) if c.start < c.end => c,
            _ => r,
        }
    }

    /// The first word segment at or after byte `b` that `hit` accepts,
    /// scanning forward window by window.
    fn word_forward(&self, b: usize, hit: impl Fn(&Range<usize>) -> bool) -> Option<Range<usize>> {
        let mut from = b;
        while from < self.text.len() {
            let segs = self.segments_around(from);
            if let Some(seg) = segs.iter().find(|s| hit(s) && self.is_word(s)) {
                return Some(seg.clone());
            }
            match segs.last() {
                Some(last) if last.end > from => from = last.end,
                _ => break,
            }
        }
        None
    }

    /// The last word segment before byte `b` that `hit` accepts, scanning
    /// backward window by window.
    fn word_backward(&self, b: usize, hit: impl Fn(&Range<usize>) -> bool) -> Option<Range<usize>> {
        let mut to = b;
        while to > 0 {
            let segs = self.segments_around(to.saturating_sub(1));
            if let Some(seg) = segs.iter().rev().find(|s| hit(s) && self.is_word(s)) {
                return Some(seg.clone());
            }
            match segs.first() {
                Some(first) if first.start < to => to = first.start,
                _ => break,
            }
        }
        None
    }

    /// The end of the first word that ends after char offset `c` (for moving
    /// a span's end one word to the right). The text's end if there is none.
    pub fn next_word_end(&self, c: usize) -> usize {
        self.byte_of_char(c)
            .and_then(|b| self.word_forward(b, |s| s.end > b))
            .and_then(|s| self.char_of_byte(s.end))
            .unwrap_or(self.chars)
    }

    /// The start of the first word that starts after char offset `c`. The
    /// text's end if there is none.
    pub fn next_word_start(&self, c: usize) -> usize {
        self.byte_of_char(c)
            .and_then(|b| self.word_forward(b, |s| s.start > b))
            .and_then(|s| self.char_of_byte(s.start))
            .unwrap_or(self.chars)
    }

    /// The start of the last word that starts before char offset `c`. Zero
    /// if there is none.
    pub fn prev_word_start(&self, c: usize) -> usize {
        self.byte_of_char(c)
            .and_then(|b| self.word_backward(b, |s| s.start < b))
            .and_then(|s| self.char_of_byte(s.start))
            .unwrap_or(0)
    }

    /// The end of the last word that ends before char offset `c` (for moving a
    /// span's end one word to the left). Zero if there is none.
    pub fn prev_word_end(&self, c: usize) -> usize {
        self.byte_of_char(c)
            .and_then(|b| self.word_backward(b, |s| s.end < b))
            .and_then(|s| self.char_of_byte(s.end))
            .unwrap_or(0)
    }

    /// The char offset after the user-perceived character (grapheme
    /// cluster) that starts at or spans `c`: one step of a caret to the
    /// right, so it never stops inside 👍🏽, e + a combining accent, or CRLF.
    /// Bounded work: a window of at most 1 KiB is looked at.
    pub fn next_grapheme(&self, c: usize) -> usize {
        let Some(b) = self.byte_of_char(c) else {
            return self.chars;
        };
        if b >= self.text.len() {
            return self.chars;
        }
        let end = floor_boundary(&self.text, (b + 1024).min(self.text.len()));
        let window = &self.text[b..end.max(b)];
        let step = window
            .graphemes(true)
            .next()
            .map_or(window.len(), str::len)
            .max(1);
        self.char_of_byte(ceil_boundary(&self.text, b + step))
            .unwrap_or(self.chars)
    }

    /// The char offset of the start of the user-perceived character before
    /// `c`: one step of a caret to the left. Bounded like
    /// [`Text::next_grapheme`].
    pub fn prev_grapheme(&self, c: usize) -> usize {
        let Some(b) = self.byte_of_char(c.min(self.chars)) else {
            return 0;
        };
        if b == 0 {
            return 0;
        }
        let start = ceil_boundary(&self.text, b.saturating_sub(1024));
        let window = &self.text[start..b];
        let last = window
            .graphemes(true)
            .next_back()
            .map_or(0, str::len)
            .max(1);
        self.char_of_byte(floor_boundary(&self.text, b - last.min(b)))
            .unwrap_or(0)
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

    /// Segments that are not white space, for tests of the segmentation.
    #[cfg(test)]
    fn words(&self) -> Vec<&str> {
        self.segments_around(0)
            .into_iter()
            .filter(|s| !self.text[s.clone()].trim().is_empty())
            .map(|s| &self.text[s])
            .collect()
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

/// The largest char boundary of `s` at or before byte `b`.
fn floor_boundary(s: &str, mut b: usize) -> usize {
    b = b.min(s.len());
    while b > 0 && !s.is_char_boundary(b) {
        b -= 1;
    }
    b
}

/// The smallest char boundary of `s` at or after byte `b`.
fn ceil_boundary(s: &str, mut b: usize) -> usize {
    while b < s.len() && !s.is_char_boundary(b) {
        b += 1;
    }
    b.min(s.len())
}

#[cfg(test)]
mod tests;
