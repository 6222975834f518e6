//! The article cut into paragraphs (lines), with their heights kept in a
//! Fenwick tree so that "where does paragraph i start" and "which paragraph
//! is at height y" cost O(log n) however long the article is.
//!
//! A line longer than [`MAX_CHARS`] is cut into pieces at white space, so
//! that an article without line breaks (one 5 MB line) still lays out and
//! paints only what is visible.

use std::ops::Range;

use crate::offsets::Text;

/// Longest piece of a line laid out as one paragraph.
pub const MAX_CHARS: usize = 2000;

/// Lines of the article as char ranges, without their line break.
#[derive(Clone, Debug, Default)]
pub struct Paragraphs {
    /// Char range of each line, excluding the `\n`.
    pub chars: Vec<Range<usize>>,
    /// Byte range of each line, excluding the `\n`.
    pub bytes: Vec<Range<usize>>,
}

impl Paragraphs {
    /// Splits the text at `\n`, and long lines at white space: line breaks
    /// found with `memchr` and chars counted a line at a time (a 5 MB
    /// article in about 2 ms); only a line longer than [`MAX_CHARS`] is
    /// walked char by char, to cut it.
    pub fn new(text: &Text) -> Self {
        let s = text.as_str();
        let mut out = Self::default();
        let (mut c0, mut b0) = (0, 0);
        let ends = memchr::memchr_iter(b'\n', s.as_bytes()).chain(std::iter::once(s.len()));
        for b in ends {
            let line = s.get(b0..b).unwrap_or_default();
            let n = line.chars().count();
            if n <= MAX_CHARS {
                out.chars.push(c0..c0 + n);
                out.bytes.push(b0..b);
            } else {
                out.cut(line, n, c0, b0);
            }
            c0 += n + 1;
            b0 = b + 1;
        }
        out
    }

    /// Pushes a line of `n` chars, more than [`MAX_CHARS`] (starting at
    /// char `c0`, byte `b0`) as pieces of at most that many chars, each cut
    /// after the last white space in it, or where it reached the limit if
    /// it had none.
    fn cut(&mut self, line: &str, n: usize, mut c0: usize, mut b0: usize) {
        let (start_c, start_b) = (c0, b0);
        // Last white space seen in the current piece: (char, byte) after it.
        let mut cut: Option<(usize, usize)> = None;
        for (c, (b, ch)) in line.char_indices().enumerate() {
            let (c, b) = (start_c + c, start_b + b);
            if c - c0 >= MAX_CHARS {
                let (cc, cb) = cut.filter(|&(cc, _)| cc > c0).unwrap_or((c, b));
                self.chars.push(c0..cc);
                self.bytes.push(b0..cb);
                c0 = cc;
                b0 = cb;
                cut = None;
            }
            if ch.is_whitespace() {
                cut = Some((c + 1, b + ch.len_utf8()));
            }
        }
        self.chars.push(c0..start_c + n);
        self.bytes.push(b0..start_b + line.len());
    }

    /// Number of paragraphs (at least one).
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether there are none (never: an empty text is one empty line).
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The paragraph holding char offset `c` (a line break belongs to the
    /// line it ends; the end of a cut piece is the start of the next one).
    pub fn of_char(&self, c: usize) -> usize {
        let last = self.chars.len().saturating_sub(1);
        let i = self.chars.partition_point(|r| r.end < c).min(last);
        if i < last && self.chars[i].end == c && self.chars[i + 1].start == c {
            i + 1
        } else {
            i
        }
    }
}

/// Heights of paragraphs with prefix sums in O(log n).
#[derive(Clone, Debug, Default)]
pub struct Heights {
    values: Vec<f32>,
    tree: Vec<f32>,
}

impl Heights {
    /// All paragraphs with the given heights.
    pub fn new(values: Vec<f32>) -> Self {
        let n = values.len();
        let mut tree = vec![0.0; n + 1];
        tree[1..].copy_from_slice(&values);
        for j in 1..=n {
            let parent = j + (j & j.wrapping_neg());
            if parent <= n {
                let t = tree[j];
                tree[parent] += t;
            }
        }
        Self { values, tree }
    }

    /// Number of paragraphs.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Height of paragraph `i`.
    pub fn get(&self, i: usize) -> f32 {
        self.values.get(i).copied().unwrap_or(0.0)
    }

    /// Sets the height of paragraph `i`.
    pub fn set(&mut self, i: usize, h: f32) {
        let Some(old) = self.values.get_mut(i) else {
            return;
        };
        let delta = h - *old;
        *old = h;
        if delta == 0.0 {
            return;
        }
        let mut j = i + 1;
        while j < self.tree.len() {
            self.tree[j] += delta;
            j += j & j.wrapping_neg();
        }
    }

    /// Sum of the heights of paragraphs `0..i`: where paragraph `i` starts.
    pub fn top(&self, i: usize) -> f32 {
        let mut j = i.min(self.values.len());
        let mut sum = 0.0;
        while j > 0 {
            sum += self.tree[j];
            j -= j & j.wrapping_neg();
        }
        sum
    }

    /// Total height.
    pub fn total(&self) -> f32 {
        self.top(self.values.len())
    }

    /// The paragraph at height `y` (clamped to the last one).
    pub fn at(&self, y: f32) -> usize {
        let n = self.values.len();
        if n == 0 {
            return 0;
        }
        let mut pos = 0;
        let mut rest = y;
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= rest {
                pos = next;
                rest -= self.tree[next];
            }
            step >>= 1;
        }
        pos.min(n - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lines_with_crlf_bom_and_trailing_newline() {
        let t = Text::new("\u{feff}satu\r\n\r\ndua 👍🏽\n".into());
        let p = Paragraphs::new(&t);
        assert_eq!(p.chars, [0..6, 7..8, 9..15, 16..16]);
        assert_eq!(t.slice(p.chars[2].clone()), Some("dua 👍🏽"));
        assert_eq!(&t.as_str()[p.bytes[2].clone()], "dua 👍🏽");
        assert_eq!(p.of_char(0), 0);
        assert_eq!(p.of_char(6), 0, "the line break belongs to its line");
        assert_eq!(p.of_char(9), 2);
        assert_eq!(p.of_char(15), 2);
        assert_eq!(p.of_char(16), 3);
    }

    #[test]
    fn a_long_line_is_cut_at_white_space() {
        let line = "Juru bicara itu membantah tuduhan tersebut “dengan tegas” 👍🏽. ".repeat(200);
        let text = format!("Judul\n{line}\nAkhir");
        let t = Text::new(text.clone());
        let p = Paragraphs::new(&t);
        assert!(p.len() > 5, "{}", p.len());
        for (i, r) in p.chars.iter().enumerate() {
            assert!(r.len() <= MAX_CHARS + 1, "piece {i} is {} chars", r.len());
            assert_eq!(t.slice(r.clone()), Some(&text[p.bytes[i].clone()]));
            if i + 1 < p.len() && p.chars[i + 1].start == r.end {
                // A cut piece ends just after a space.
                assert!(t.slice(r.end - 1..r.end).unwrap().trim().is_empty());
            }
            assert_eq!(p.of_char(r.start), i);
        }
        // Every char is in exactly one piece, line breaks aside.
        let covered: usize = p.chars.iter().map(ExactSizeIterator::len).sum();
        assert_eq!(covered + 2, t.len_chars());
        // A line without any white space is cut anyway.
        let t = Text::new("x".repeat(5000));
        let p = Paragraphs::new(&t);
        assert_eq!(p.chars, [0..2000, 2000..4000, 4000..5000]);
        assert_eq!(p.of_char(2000), 1);
        assert_eq!(p.of_char(5000), 2);
    }

    /// The first implementation, char by char over the whole text: the
    /// reference the line-at-a-time one must agree with.
    fn reference(text: &Text) -> Paragraphs {
        let s = text.as_str();
        let mut out = Paragraphs::default();
        let (mut c0, mut b0, mut c) = (0, 0, 0);
        let mut cut: Option<(usize, usize)> = None;
        for (b, ch) in s.char_indices() {
            if ch == '\n' {
                out.chars.push(c0..c);
                out.bytes.push(b0..b);
                c0 = c + 1;
                b0 = b + 1;
                cut = None;
            } else if c - c0 >= MAX_CHARS {
                let (cc, cb) = cut.filter(|&(cc, _)| cc > c0).unwrap_or((c, b));
                out.chars.push(c0..cc);
                out.bytes.push(b0..cb);
                c0 = cc;
                b0 = cb;
                cut = None;
            }
            if ch.is_whitespace() && ch != '\n' {
                cut = Some((c + 1, b + ch.len_utf8()));
            }
            c += 1;
        }
        out.chars.push(c0..c);
        out.bytes.push(b0..s.len());
        out
    }

    proptest! {
        #[test]
        fn lines_agree_with_the_char_by_char_reference(
            parts in prop::collection::vec(
                (prop::sample::select(vec!["a", "kata ", " ", "\n", "\r\n", "👍🏽", "e\u{301}", "\u{feff}", "\u{2028}", "“"]), 1usize..900),
                0..12,
            ),
        ) {
            let text: String = parts.iter().map(|(p, n)| p.repeat(*n)).collect();
            let t = Text::new(text);
            let (fast, slow) = (Paragraphs::new(&t), reference(&t));
            prop_assert_eq!(fast.chars, slow.chars);
            prop_assert_eq!(fast.bytes, slow.bytes);
        }

        #[test]
        fn fenwick_agrees_with_sums(hs in prop::collection::vec(0u8..50, 1..200), sets in prop::collection::vec((0usize..200, 0u8..50), 0..30), y in 0f32..12000.0) {
            let mut values: Vec<f32> = hs.iter().map(|&h| f32::from(h)).collect();
            let mut f = Heights::new(values.clone());
            for (i, h) in sets {
                let i = i % values.len();
                values[i] = f32::from(h);
                f.set(i, f32::from(h));
            }
            for i in 0..=values.len() {
                let want: f32 = values[..i].iter().sum();
                prop_assert!((f.top(i) - want).abs() < 1e-3);
            }
            let at = f.at(y);
            // at is the last paragraph whose top is <= y (ignoring empty ones after it).
            prop_assert!(f.top(at) <= y || at == 0);
            prop_assert!(at + 1 == values.len() || f.top(at + 1) > y || values[at] == 0.0);
        }
    }
}
