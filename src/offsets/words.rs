//! Words and graphemes over [`Text`]: snapping a selection to whole words
//! (UAX #29) and moving the caret by word or by grapheme. Each looks at a
//! bounded window around its position, so it costs the same on a 5 kB and
//! a 5 MB text.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::Text;

/// How far (in bytes) word segmentation looks on each side of a position.
pub(super) const WORD_WINDOW: usize = 512;

impl Text {
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

    /// Word segments (UAX #29) in a bounded window around byte `b`, as
    /// absolute byte ranges.
    fn segments_around(&self, b: usize) -> Vec<Range<usize>> {
        let b = floor_boundary(&self.text, b);
        let mut lo = floor_boundary(&self.text, b.saturating_sub(WORD_WINDOW));
        let mut hi = ceil_boundary(&self.text, b + WORD_WINDOW);
        // Move the edges out to white space, so that no word is cut in two
        // by the window (a bounded look: words are short).
        let edge = WORD_WINDOW / 2;
        if lo > 0 {
            let base = floor_boundary(&self.text, lo.saturating_sub(edge));
            lo = match self.text[base..lo].rfind(char::is_whitespace) {
                Some(i) => ceil_boundary(&self.text, base + i + 1),
                None => base,
            };
        }
        if hi < self.text.len() {
            let end = ceil_boundary(&self.text, hi + edge);
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

    /// Segments that are not white space, for tests of the segmentation.
    #[cfg(test)]
    pub(super) fn words(&self) -> Vec<&str> {
        self.segments_around(0)
            .into_iter()
            .filter(|s| !self.text[s.clone()].trim().is_empty())
            .map(|s| &self.text[s])
            .collect()
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
