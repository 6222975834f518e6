//! Finding text in an article and across a folder, optionally ignoring case
//! and accents.
//!
//! Matching runs over a *folded* copy of the text: each char of the article
//! is folded on its own (decomposed, combining marks dropped when accents
//! are ignored, lower-cased when case is ignored), and every folded byte
//! remembers which article char it came from. A match in the folded text
//! maps back to a char range of the exact article, so "tag all matches"
//! tags what the user sees, and "Jose" finds "José" as well as "Jose\u{301}".
//! A match never ends inside a grapheme: combining marks after its last
//! char are taken in.

use std::ops::Range;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;

use crate::offsets::Text;
use crate::store;

/// Most matches reported for one article: enough to tag every mention, a
/// bound on memory when someone searches for "e" in a 5 MB article.
pub const MAX_MATCHES: usize = 100_000;

/// What to look for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Query {
    /// The text to find (folded like the article before matching).
    pub pattern: String,
    /// Ignore upper/lower case.
    pub ignore_case: bool,
    /// Ignore accents and other combining marks.
    pub ignore_accents: bool,
}

impl Query {
    /// A query ignoring case and accents, what most searches want.
    pub fn loose(pattern: &str) -> Self {
        Self {
            pattern: pattern.to_owned(),
            ignore_case: true,
            ignore_accents: true,
        }
    }

    fn folding(&self) -> Folding {
        Folding {
            case: self.ignore_case,
            accents: self.ignore_accents,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Folding {
    case: bool,
    accents: bool,
}

impl Folding {
    fn push(self, c: char, out: &mut String) {
        if !self.accents && !self.case {
            out.push(c);
            return;
        }
        let mut fold_one = |d: char| {
            if self.case {
                out.extend(d.to_lowercase());
            } else {
                out.push(d);
            }
        };
        if self.accents {
            if is_combining_mark(c) {
                return;
            }
            for d in std::iter::once(c).nfd() {
                if !is_combining_mark(d) {
                    fold_one(d);
                }
            }
        } else {
            fold_one(c);
        }
    }

    fn fold(self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            self.push(c, &mut out);
        }
        out
    }
}

/// An article's text folded for one kind of query, kept so that typing a
/// pattern does not fold a large article again on every key.
#[derive(Clone, Debug)]
pub struct Folded {
    folding: Folding,
    folded: String,
    /// For each byte of `folded`, the article char it came from.
    source: Vec<u32>,
    /// Article length in chars.
    len: usize,
}

impl Folded {
    /// Folds `text` as `query` asks (its pattern is not used).
    pub fn new(text: &Text, query: &Query) -> Self {
        let folding = query.folding();
        let src = text.as_str();
        let mut folded = String::with_capacity(src.len());
        let mut source = Vec::with_capacity(src.len());
        for (i, c) in src.chars().enumerate() {
            folding.push(c, &mut folded);
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            source.resize(folded.len(), index);
        }
        Self {
            folding,
            folded,
            source,
            len: text.len_chars(),
        }
    }

    /// Whether this folding serves `query`.
    pub fn fits(&self, text: &Text, query: &Query) -> bool {
        self.folding == query.folding() && self.len == text.len_chars()
    }

    /// Char ranges of the article where `query.pattern` occurs, in order,
    /// not overlapping, at most [`MAX_MATCHES`]. An empty pattern (or one
    /// that folds to nothing) finds nothing.
    pub fn find(&self, text: &Text, query: &Query) -> Vec<Range<usize>> {
        let needle = self.folding.fold(&query.pattern);
        if needle.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (at, m) in self.folded.match_indices(needle.as_str()) {
            let Some(&first) = self.source.get(at) else {
                break;
            };
            let Some(&last) = self.source.get(at + m.len() - 1) else {
                break;
            };
            let start = first as usize;
            let mut end = last as usize + 1;
            // A match that starts or ends half way through one article
            // char's folding (e.g. "ss" inside a folded "ß") is not a
            // match of whole chars: skip it.
            if (at > 0 && self.source.get(at - 1) == Some(&first))
                || self.source.get(at + m.len()) == Some(&last)
            {
                continue;
            }
            // A match must not end inside a grapheme. Ignoring accents, the
            // combining marks that follow belong to the match; respecting
            // them, "jose" followed by an acute accent is not "jose".
            let mark_at = |c: usize| {
                text.slice(c..c + 1)
                    .and_then(|s| s.chars().next())
                    .is_some_and(is_combining_mark)
            };
            if self.folding.accents {
                while end < self.len && mark_at(end) {
                    end += 1;
                }
            } else if end < self.len && mark_at(end) {
                continue;
            }
            if out.last().is_some_and(|r: &Range<usize>| r.end > start) {
                continue;
            }
            out.push(start..end);
            if out.len() >= MAX_MATCHES {
                break;
            }
        }
        out
    }
}

/// Finds `query` in `text` (folding it first; keep a [`Folded`] to search
/// one article repeatedly).
pub fn find(text: &Text, query: &Query) -> Vec<Range<usize>> {
    Folded::new(text, query).find(text, query)
}

/// Where a folder search found something.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// In the article text, at this char range.
    Article(Range<usize>),
    /// In the note of a span.
    Note {
        /// The span's id.
        span: u64,
    },
}

/// One hit of a folder search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Where.
    pub place: Place,
    /// A line of context around the hit, for the result list.
    pub context: String,
}

/// The hits in one article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentHits {
    /// The article.
    pub article: PathBuf,
    /// Hits in order: article text first, then notes.
    pub hits: Vec<Hit>,
    /// More hits than were kept.
    pub truncated: bool,
}

/// Most hits kept per article in a folder search.
pub const MAX_HITS_PER_DOCUMENT: usize = 200;

/// Searches one article and the notes in its annotation file (when there
/// is one and it reads). Unreadable articles are skipped: a folder search
/// is a way to find things, not a validator (`tandai check` is that).
pub fn search_document(article: &Path, query: &Query) -> Option<DocumentHits> {
    let doc = crate::document::Article::read(article).ok()?;
    let mut hits = Vec::new();
    let mut truncated = false;
    for range in find(&doc.text, query) {
        if hits.len() >= MAX_HITS_PER_DOCUMENT {
            truncated = true;
            break;
        }
        hits.push(Hit {
            context: line_context(&doc.text, range.clone()),
            place: Place::Article(range),
        });
    }
    let annotation = store::annotation_path_for(article);
    if let Ok((raw, _)) = store::read_raw(&annotation) {
        let folding = query.folding();
        let needle = folding.fold(&query.pattern);
        for span in raw.spans {
            let Some(note) = span.note else { continue };
            if needle.is_empty() || !folding.fold(&note).contains(&needle) {
                continue;
            }
            if hits.len() >= MAX_HITS_PER_DOCUMENT {
                truncated = true;
                break;
            }
            hits.push(Hit {
                place: Place::Note { span: span.id },
                context: one_line(&note, 120),
            });
        }
    }
    (!hits.is_empty()).then(|| DocumentHits {
        article: article.to_owned(),
        hits,
        truncated,
    })
}

/// About 40 chars either side of `range`, on one line.
fn line_context(text: &Text, range: Range<usize>) -> String {
    let from = range.start.saturating_sub(40);
    let to = (range.end + 40).min(text.len_chars());
    let s = text.slice(from..to).unwrap_or_default();
    let mut out = String::new();
    if from > 0 {
        out.push_str("...");
    }
    out.push_str(&one_line(s, usize::MAX));
    if to < text.len_chars() {
        out.push_str("...");
    }
    out
}

fn one_line(s: &str, max_chars: usize) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max_chars)
        .collect();
    if s.chars().count() > max_chars {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn slices(text: &Text, ranges: &[Range<usize>]) -> Vec<String> {
        ranges
            .iter()
            .map(|r| text.slice(r.clone()).unwrap().to_owned())
            .collect()
    }

    #[test]
    fn case_and_accents_are_ignored_when_asked() {
        let t = Text::new(
            "\u{feff}José Ramos-Horta said; JOSE agreed; jose\u{301} too.\r\nÉtat, etat 👍🏽."
                .to_owned(),
        );
        let found = find(&t, &Query::loose("jose"));
        assert_eq!(slices(&t, &found), ["José", "JOSE", "jose\u{301}"]);
        let exact = Query {
            pattern: "José".into(),
            ignore_case: false,
            ignore_accents: false,
        };
        assert_eq!(slices(&t, &find(&t, &exact)), ["José"]);
        let accents_only = Query {
            pattern: "etat".into(),
            ignore_case: false,
            ignore_accents: true,
        };
        assert_eq!(slices(&t, &find(&t, &accents_only)), ["etat"]);
        assert_eq!(
            slices(&t, &find(&t, &Query::loose("ÉTAT"))),
            ["État", "etat"]
        );
    }

    #[test]
    fn offsets_are_code_points_of_the_exact_text() {
        let t = Text::new("\u{feff}“Kami membantah,” kata juru bicara 👍🏽 itu.".to_owned());
        let found = find(&t, &Query::loose("membantah"));
        assert_eq!(found, vec![7..16], "BOM and curly quote count");
        let emoji = find(&t, &Query::loose("👍🏽"));
        assert_eq!(slices(&t, &emoji), ["👍🏽"]);
    }

    #[test]
    fn empty_or_unfound_patterns_find_nothing() {
        let t = Text::new("Pyongyang membantah.".to_owned());
        assert!(find(&t, &Query::loose("")).is_empty());
        assert!(find(&t, &Query::loose("\u{301}")).is_empty());
        assert!(find(&t, &Query::loose("Seoul")).is_empty());
    }

    #[test]
    fn matches_inside_one_chars_folding_are_skipped() {
        // "ﬁ" (one char) folds to itself; "ǅ" lower-cases to "ǆ", one char.
        // "İ" lower-cases to "i" + combining dot: accents ignored, it is "i".
        let t = Text::new("İstanbul".to_owned());
        assert_eq!(find(&t, &Query::loose("istanbul")), vec![0..8]);
    }

    #[test]
    fn matches_do_not_overlap_and_are_bounded() {
        let t = Text::new("aaaa".to_owned());
        assert_eq!(find(&t, &Query::loose("aa")), [0..2, 2..4]);
        let big = Text::new("e".repeat(MAX_MATCHES + 10));
        assert_eq!(find(&big, &Query::loose("e")).len(), MAX_MATCHES);
    }

    #[test]
    fn folder_search_finds_text_and_notes() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, "Juru bicara Gedung Putih membantah laporan itu.").unwrap();
        std::fs::write(
            dir.path().join("a.tandai.ron"),
            r#"(version: 1, document: (path: "a.txt"), spans: [
                (id: 4, label: "denial", start: 25, end: 33, note: "Bantahan resmi, lihat Gedung Putih"),
            ])"#,
        )
        .unwrap();
        let hits = search_document(&a, &Query::loose("gedung putih")).unwrap();
        assert_eq!(hits.hits.len(), 2);
        assert_eq!(hits.hits[0].place, Place::Article(12..24));
        assert!(hits.hits[0].context.contains("Gedung Putih membantah"));
        assert_eq!(hits.hits[1].place, Place::Note { span: 4 });
        assert!(search_document(&a, &Query::loose("Moskow")).is_none());
    }

    proptest! {
        #[test]
        fn every_match_is_the_pattern_up_to_folding(
            text in crate::offsets::torture_text(0..40),
            start in 0usize..40,
            len in 1usize..6,
            case in any::<bool>(),
            accents in any::<bool>(),
        ) {
            let t = Text::new(text);
            let n = t.len_chars();
            prop_assume!(n > 0);
            let start = start % n;
            let end = (start + len).min(n);
            let pattern = t.slice(start..end).unwrap().to_owned();
            let q = Query { pattern: pattern.clone(), ignore_case: case, ignore_accents: accents };
            let folding = q.folding();
            let found = find(&t, &q);
            let needle = folding.fold(&pattern);
            if !needle.is_empty() {
                for r in &found {
                    let s = t.slice(r.clone()).unwrap();
                    prop_assert_eq!(folding.fold(s), needle.clone());
                }
            }
            for w in found.windows(2) {
                prop_assert!(w[0].end <= w[1].start);
            }
        }
    }
}
