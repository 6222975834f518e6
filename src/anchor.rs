//! Putting spans back in place after the article text changed.
//!
//! Each span remembers its quote and a little context on each side. When the
//! article's hash differs from the one the spans were made on (or a span's
//! quote no longer matches the text at its offsets), every span is placed
//! again:
//!
//! 1. near its old position: an occurrence of its quote with the same
//!    context on both sides, within a window around the old offset;
//! 2. anywhere: every exact occurrence of every unplaced quote is found in
//!    one pass over the text (Aho-Corasick), and each span takes the one
//!    whose context agrees best, then the nearest to its old position;
//! 3. the same with white space runs collapsed, for quotes whose line breaks
//!    or double spaces changed.
//!
//! A span found by none of these is an orphan: kept, listed, never dropped.
//! The cost is one pass over the text per stage, not one per span.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::AhoCorasick;

use crate::model::Span;
use crate::offsets::Text;

/// How far (bytes) around the old position stage 1 looks.
const WINDOW: usize = 4096;

/// At most this many occurrences of one quote are considered.
const MAX_CANDIDATES: usize = 100_000;

/// Where a span ended up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// The quote is where it was.
    InPlace,
    /// The quote was found elsewhere.
    Relocated {
        /// New char range.
        to: Range<usize>,
        /// Found only by ignoring differences in white space.
        fuzzy: bool,
    },
    /// Not found.
    Orphan,
}

/// What the anchorer needs to know of a span.
#[derive(Clone, Debug)]
pub struct Quote<'a> {
    /// Char offset where it was.
    pub start: usize,
    /// Char offset where it ended.
    pub end: usize,
    /// The quoted text.
    pub text: &'a str,
    /// Context before.
    pub before: &'a str,
    /// Context after.
    pub after: &'a str,
}

impl<'a> From<&'a Span> for Quote<'a> {
    fn from(s: &'a Span) -> Self {
        Quote {
            start: s.start,
            end: s.end,
            text: &s.text,
            before: &s.before,
            after: &s.after,
        }
    }
}

/// Chars of `ctx` that agree with the text just before byte `at`.
fn before_score(hay: &str, at: usize, ctx: &str) -> usize {
    hay[..at]
        .chars()
        .rev()
        .zip(ctx.chars().rev())
        .take_while(|(a, b)| a == b)
        .count()
}

/// Chars of `ctx` that agree with the text just after byte `at`.
fn after_score(hay: &str, at: usize, ctx: &str) -> usize {
    hay[at..]
        .chars()
        .zip(ctx.chars())
        .take_while(|(a, b)| a == b)
        .count()
}

struct Candidate {
    bytes: Range<usize>,
    score: usize,
    distance: usize,
}

fn best(cands: impl Iterator<Item = Candidate>) -> Option<Candidate> {
    cands.min_by(|a, b| b.score.cmp(&a.score).then(a.distance.cmp(&b.distance)))
}

/// The text with runs of white space collapsed to one space, and for each
/// byte of it the original byte range of the char it came from.
struct Collapsed {
    text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
}

fn collapse(s: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !d.is_whitespace() {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            out.push(' ');
            map.push((i, end));
        } else {
            out.push(c);
            for _ in 0..c.len_utf8() {
                map.push((i, i + c.len_utf8()));
            }
        }
    }
    (out, map)
}

impl Collapsed {
    fn new(s: &str) -> Self {
        let (text, map) = collapse(s);
        // Articles are capped far below 4 GiB, so offsets fit in u32.
        let to32 = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        Self {
            text,
            starts: map.iter().map(|m| to32(m.0)).collect(),
            ends: map.iter().map(|m| to32(m.1)).collect(),
        }
    }

    fn original(&self, r: &Range<usize>) -> Range<usize> {
        self.starts[r.start] as usize..self.ends[r.end - 1] as usize
    }
}

/// Places every quote in `text`. `same_text` says the article hash matches
/// the one the spans were made on: then a quote found at its own offsets is
/// in place without further ado.
pub fn place_all(text: &Text, quotes: &[Quote<'_>], same_text: bool) -> Vec<Placement> {
    let hay = text.as_str();
    let mut out = vec![Placement::Orphan; quotes.len()];
    let mut pending = Vec::new();

    // Stage 0 and 1: in place, or nearby with full context.
    for (i, q) in quotes.iter().enumerate() {
        if q.text.is_empty() {
            continue;
        }
        let at_offsets = text.slice(q.start..q.end) == Some(q.text);
        if at_offsets && same_text {
            out[i] = Placement::InPlace;
            continue;
        }
        let full = q.before.chars().count() + q.after.chars().count();
        let expected = text
            .byte_of_char(q.start.min(text.len_chars()))
            .unwrap_or(0);
        let mut lo = expected.saturating_sub(WINDOW);
        while !hay.is_char_boundary(lo) {
            lo -= 1;
        }
        let mut hi = (expected + WINDOW + q.text.len()).min(hay.len());
        while !hay.is_char_boundary(hi) {
            hi += 1;
        }
        let local = hay[lo..hi].match_indices(q.text).map(|(j, m)| {
            let s = lo + j;
            Candidate {
                bytes: s..s + m.len(),
                score: before_score(hay, s, q.before) + after_score(hay, s + m.len(), q.after),
                distance: s.abs_diff(expected),
            }
        });
        match best(local) {
            Some(c) if c.score == full => out[i] = placed(text, q, &c.bytes, false),
            _ => pending.push(i),
        }
    }

    // Stage 2: exact, anywhere.
    pending = place_globally(text, hay, quotes, pending, &mut out, None);
    // Stage 3: white space collapsed, anywhere.
    if !pending.is_empty() {
        let collapsed = Collapsed::new(hay);
        place_globally(text, hay, quotes, pending, &mut out, Some(&collapsed));
    }
    out
}

fn placed(text: &Text, q: &Quote<'_>, bytes: &Range<usize>, fuzzy: bool) -> Placement {
    match text.char_range(bytes.clone()) {
        Some(to) if !fuzzy && to.start == q.start && to.end == q.end => Placement::InPlace,
        Some(to) => Placement::Relocated { to, fuzzy },
        None => Placement::Orphan,
    }
}

/// Searches all pending quotes in one pass; returns those still unplaced.
///
/// The automaton is built from each quote's first [`PIECE`] bytes, not the
/// whole quote: building one for a long quote costs more than linear time
/// in its length (a 64 KB quote took minutes). Each hit of a piece is a
/// candidate; a candidate is kept only if the quote's last piece is where
/// it should be, ranked by its context, and the best ones are compared with
/// the whole quote, at most [`MAX_VERIFIED`] per quote. So the work is one
/// pass over the text plus, per quote, a bounded number of comparisons of
/// its length.
fn place_globally(
    text: &Text,
    hay: &str,
    quotes: &[Quote<'_>],
    pending: Vec<usize>,
    out: &mut [Placement],
    collapsed: Option<&Collapsed>,
) -> Vec<usize> {
    if pending.is_empty() {
        return pending;
    }
    let needles: Vec<String> = pending
        .iter()
        .map(|&i| match collapsed {
            Some(_) => collapse(quotes[i].text).0,
            None => quotes[i].text.to_owned(),
        })
        .collect();
    let mut patterns: Vec<&str> = Vec::new();
    let mut pattern_of: HashMap<&str, usize> = HashMap::new();
    let mut span_pattern = Vec::with_capacity(pending.len());
    for n in &needles {
        let piece = head(n, PIECE);
        let next = patterns.len();
        let p = *pattern_of.entry(piece).or_insert(next);
        if p == next {
            patterns.push(piece);
        }
        span_pattern.push(p);
    }
    let search_in = collapsed.map_or(hay, |c| c.text.as_str());
    let Ok(ac) = AhoCorasick::new(&patterns) else {
        return pending;
    };
    let mut hits: Vec<Vec<usize>> = vec![Vec::new(); patterns.len()];
    for m in ac.find_overlapping_iter(search_in) {
        let list = &mut hits[m.pattern().as_usize()];
        if list.len() < MAX_CANDIDATES {
            list.push(m.start());
        }
    }
    let mut still = Vec::new();
    for (k, &i) in pending.iter().enumerate() {
        let q = &quotes[i];
        let needle = needles[k].as_str();
        let expected = text
            .byte_of_char(q.start.min(text.len_chars()))
            .unwrap_or(0);
        let mut cands: Vec<(usize, Candidate)> = hits[span_pattern[k]]
            .iter()
            .filter_map(|&at| {
                let found = at..at + needle.len();
                let last = tail(needle, PIECE);
                if search_in.get(found.end - last.len()..found.end) != Some(last) {
                    return None;
                }
                let r = collapsed.map_or(found.clone(), |c| c.original(&found));
                Some((
                    at,
                    Candidate {
                        score: before_score(hay, r.start, q.before)
                            + after_score(hay, r.end, q.after),
                        distance: r.start.abs_diff(expected),
                        bytes: r,
                    },
                ))
            })
            .collect();
        cands.sort_by(|(_, a), (_, b)| b.score.cmp(&a.score).then(a.distance.cmp(&b.distance)));
        let verified = cands
            .iter()
            .take(MAX_VERIFIED)
            .find(|(at, _)| search_in.get(*at..at + needle.len()) == Some(needle));
        match verified {
            Some((_, c)) => out[i] = placed(text, q, &c.bytes, collapsed.is_some()),
            None => still.push(i),
        }
    }
    still
}

/// Bytes of a quote searched for in the global passes: enough to be rare in
/// a news text, few enough that building the search stays cheap.
const PIECE: usize = 128;

/// Candidates whose first and last pieces match that are compared with the
/// whole quote, best first. More can only occur in a text that repeats
/// itself for thousands of characters; the quote is then an orphan rather
/// than a cost quadratic in its length.
const MAX_VERIFIED: usize = 64;

/// The longest prefix of `s` of at most `max` bytes that ends on a char
/// boundary (at least one char, if `s` has one).
fn head(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    if end == 0 {
        end = s.chars().next().map_or(0, char::len_utf8);
    }
    &s[..end]
}

/// The longest suffix of `s` of at most `max` bytes that starts on a char
/// boundary.
fn tail(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut start = s.len() - max;
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q<'a>(
        start: usize,
        end: usize,
        text: &'a str,
        before: &'a str,
        after: &'a str,
    ) -> Quote<'a> {
        Quote {
            start,
            end,
            text,
            before,
            after,
        }
    }

    fn slice(t: &Text, p: &Placement) -> String {
        match p {
            Placement::Relocated { to, .. } => t.slice(to.clone()).unwrap().to_owned(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn unchanged_text_keeps_everything_in_place() {
        let t = Text::new("Gedung Putih menuding Korea Utara.".into());
        let p = place_all(&t, &[q(0, 12, "Gedung Putih", "", " menuding")], true);
        assert_eq!(p, [Placement::InPlace]);
    }

    #[test]
    fn inserted_paragraph_shifts_spans_and_context_picks_the_right_copy() {
        // "AS" occurs twice; the span is the second, after "pejabat ".
        let old = "Kata pejabat AS kepada wartawan. AS membantah.";
        let new = format!("Paragraf baru yang panjang sekali.\n\n{old}");
        let t = Text::new(new.clone());
        let quotes = [
            q(13, 15, "AS", "Kata pejabat ", " kepada wartawan. AS"),
            q(33, 35, "AS", "kepada wartawan. ", " membantah."),
        ];
        let p = place_all(&t, &quotes, false);
        let shift = "Paragraf baru yang panjang sekali.\n\n".chars().count();
        assert_eq!(
            p,
            [
                Placement::Relocated {
                    to: 13 + shift..15 + shift,
                    fuzzy: false
                },
                Placement::Relocated {
                    to: 33 + shift..35 + shift,
                    fuzzy: false
                },
            ]
        );
    }

    #[test]
    fn far_moves_are_found_by_the_global_pass() {
        let filler = "lorem ipsum ".repeat(2000);
        let t = Text::new(format!(
            "{filler}“Kami tidak pernah mengirim senjata,” kata dia."
        ));
        let quotes = [q(
            3,
            38,
            "Kami tidak pernah mengirim senjata,",
            "“",
            "” kata dia.",
        )];
        let p = place_all(&t, &quotes, false);
        assert_eq!(slice(&t, &p[0]), "Kami tidak pernah mengirim senjata,");
    }

    #[test]
    fn changed_white_space_is_found_fuzzily_and_reports_the_new_quote() {
        let t = Text::new("Juru bicara itu\r\nmembantah   tuduhan tersebut.".into());
        let quotes = [q(
            0,
            45,
            "Juru bicara itu membantah tuduhan",
            "",
            " tersebut.",
        )];
        let p = place_all(&t, &quotes, false);
        match &p[0] {
            Placement::Relocated { to, fuzzy: true } => {
                assert_eq!(
                    t.slice(to.clone()),
                    Some("Juru bicara itu\r\nmembantah   tuduhan")
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn vanished_quotes_are_orphans_and_empty_quotes_too() {
        let t = Text::new("Teks yang sama sekali baru.".into());
        let p = place_all(&t, &[q(0, 5, "Putin", "", ""), q(0, 0, "", "", "")], false);
        assert_eq!(p, [Placement::Orphan, Placement::Orphan]);
    }

    /// A long quote of words from a small vocabulary, so its pieces recur
    /// in the text around it.
    fn long_quote(seed: usize, chars: usize) -> String {
        let words = [
            "kata", "dia", "pejabat", "AS", "menuding", "Korea", "—", "«ya»",
        ];
        let mut out = String::new();
        let mut i = seed;
        while out.chars().count() < chars {
            i = i.wrapping_mul(2_654_435_761).wrapping_add(7) % 1_000_003;
            out.push_str(words[i % words.len()]);
            out.push(' ');
        }
        out
    }

    #[test]
    fn a_long_quote_is_found_far_away_by_its_pieces_and_verified_whole() {
        let quote = long_quote(1, 64 * 1024);
        let decoy = format!("{}SALAH {}", &quote[..40_000], &quote[40_000..]);
        let filler = long_quote(2, 50_000);
        let t = Text::new(format!("{filler}\n{decoy}\n{filler}\n{quote}\n{filler}"));
        let q0 = q(3, 3 + quote.chars().count(), &quote, "", "");
        let p = place_all(&t, &[q0], false);
        let Placement::Relocated { to, fuzzy: false } = &p[0] else {
            panic!("{:?}", p[0]);
        };
        assert_eq!(t.slice(to.clone()), Some(quote.as_str()));
        // The decoy, same first and last pieces but another middle, is
        // never taken for it.
        let only_decoy = Text::new(format!("{filler}\n{decoy}\n"));
        let q1 = q(0, 10, &quote, "", "");
        assert_eq!(place_all(&only_decoy, &[q1], false), [Placement::Orphan]);
    }

    #[test]
    fn a_long_quote_with_changed_white_space_is_placed_fuzzily() {
        let quote = long_quote(3, 20_000);
        let spaced = quote.replace(" dia ", "\r\n  dia ");
        let t = Text::new(format!("Awal.\n{spaced}akhir."));
        let p = place_all(&t, &[q(0, 5, &quote, "", "")], false);
        let Placement::Relocated { to, fuzzy: true } = &p[0] else {
            panic!("{:?}", p[0]);
        };
        assert_eq!(
            t.slice(to.clone()).map(str::trim_end),
            Some(spaced.trim_end())
        );
    }

    #[test]
    fn pieces_end_on_char_boundaries() {
        let s = "ééé";
        assert_eq!(head(s, 3), "é");
        assert_eq!(head(s, 1), "é");
        assert_eq!(tail(s, 3), "é");
        assert_eq!(tail(s, 6), s);
        assert_eq!(head("", 3), "");
    }

    #[test]
    fn offsets_past_the_end_are_relocated_not_trusted() {
        let t = Text::new("short 👍🏽 text".into());
        let p = place_all(&t, &[q(90, 94, "text", "👍🏽 ", "")], true);
        assert_eq!(slice(&t, &p[0]), "text");
    }
}
