//! The built-in suggester's rules at work: the text cut into words and
//! sentences (a full stop inside a quotation does not end one), the
//! pieces a pattern is made of (a subject before its cue, a source after
//! it, a phrase), and what was found. The patterns themselves are in
//! [`super::patterns`].
//!
//! Every offset is a code point of the text; nothing here allocates per
//! character beyond the word list.

use std::collections::BTreeSet;
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::rules::{Rules, Sets};
use crate::offsets::Text;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    Space,
    Punct,
}

/// A token: its text, lower-cased for words, and its code points.
#[derive(Clone, Debug)]
pub(super) struct Tok<'t> {
    pub(super) s: &'t str,
    pub(super) lower: String,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) kind: Kind,
}

/// A suggestion before it becomes a tag.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Found {
    pub(super) label: &'static str,
    pub(super) range: Range<usize>,
    pub(super) score: f64,
}

/// A link between two suggestions, by index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FoundLink {
    pub(super) kind: &'static str,
    pub(super) from: usize,
    pub(super) to: usize,
}

pub(super) fn tokens(text: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    for s in text.split_word_bounds() {
        let n = s.chars().count();
        let kind = if s.chars().any(char::is_alphanumeric) {
            Kind::Word
        } else if s.chars().all(char::is_whitespace) {
            Kind::Space
        } else {
            Kind::Punct
        };
        let lower = if kind == Kind::Word {
            s.to_lowercase()
        } else {
            String::new()
        };
        out.push(Tok {
            s,
            lower,
            start: at,
            end: at + n,
            kind,
        });
        at += n;
    }
    out
}

pub(super) fn is_open_quote(s: &str) -> bool {
    matches!(s, "“" | "\"" | "«" | "‘" | "„")
}

pub(super) fn is_close_quote(s: &str) -> bool {
    matches!(s, "”" | "\"" | "»" | "’")
}

fn is_quote(s: &str) -> bool {
    is_open_quote(s) || is_close_quote(s)
}

/// The sentences, as token ranges.
pub(super) fn sentences(toks: &[Tok]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    let mut i = 0;
    // Inside a quotation a full stop does not end the sentence: a
    // quotation of two sentences is one claim.
    let mut quoted = false;
    while i < toks.len() {
        let t = &toks[i];
        let paragraph = t.kind == Kind::Space && t.s.contains('\n');
        if t.kind == Kind::Punct {
            match t.s {
                "“" | "«" | "„" => quoted = true,
                "”" | "»" => quoted = false,
                "\"" => quoted = !quoted,
                _ => {}
            }
        }
        // A quotation that ends with its own full stop (“Ya.”) ends the
        // sentence at its closing mark.
        let closes_stop =
            !quoted && is_close_quote(t.s) && i > 0 && toks[i - 1].s.contains(['.', '!', '?', '…']);
        let stop = t.kind == Kind::Punct
            && !quoted
            && (t.s.contains(['.', '!', '?', '…']) || closes_stop)
            && ends_sentence(toks, i);
        if stop {
            let mut end = i + 1;
            while end < toks.len() && toks[end].kind == Kind::Punct && is_close_quote(toks[end].s) {
                end += 1;
            }
            out.push(from..end);
            from = end;
            i = end;
            continue;
        }
        if paragraph {
            quoted = false;
            if from < i {
                out.push(from..i);
            }
            from = i + 1;
        }
        i += 1;
    }
    if from < toks.len() {
        out.push(from..toks.len());
    }
    out.retain(|r| toks[r.clone()].iter().any(|t| t.kind == Kind::Word));
    out
}

/// Whether the full stop (or ! ?) at `i` ends a sentence: the next word
/// starts with a capital, a digit or a quotation mark (or the text ends),
/// and the word before is not a lone initial (`U.S.`).
fn ends_sentence(toks: &[Tok], i: usize) -> bool {
    if i > 0 && toks[i - 1].kind == Kind::Word && toks[i - 1].s.chars().count() == 1 {
        return false;
    }
    let next = toks[i + 1..]
        .iter()
        .find(|t| t.kind != Kind::Space && !is_close_quote(t.s));
    match next {
        None => true,
        Some(t) => {
            t.s.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || is_open_quote(t.s))
        }
    }
}

/// One run of the rules over a text.
pub(super) struct Run<'r, 't> {
    pub(super) toks: Vec<Tok<'t>>,
    pub(super) rules: &'r Rules,
    pub(super) sets: Sets<'r>,
    pub(super) found: Vec<Found>,
    pub(super) links: Vec<FoundLink>,
    /// Claims found so far, by index, for denials to answer.
    pub(super) claims: Vec<usize>,
}

/// The suggestions for `text` and their links.
pub(super) fn run(text: &Text, rules: &Rules) -> (Vec<Found>, Vec<FoundLink>) {
    let mut r = Run {
        toks: tokens(text.as_str()),
        rules,
        sets: rules.sets(),
        found: Vec::new(),
        links: Vec::new(),
        claims: Vec::new(),
    };
    for s in sentences(&r.toks) {
        r.sentence(s);
    }
    (r.found, r.links)
}

impl Run<'_, '_> {
    pub(super) fn word(&self, i: usize) -> Option<&str> {
        let t = self.toks.get(i)?;
        (t.kind == Kind::Word).then_some(t.lower.as_str())
    }

    /// The first word in `r` in `set`.
    pub(super) fn first_in(&self, r: Range<usize>, set: &BTreeSet<&str>) -> Option<usize> {
        r.into_iter()
            .find(|&i| self.word(i).is_some_and(|w| set.contains(w)))
    }

    /// The code points of tokens `r` without the spaces, punctuation and
    /// quotation marks at either end; `None` if no word is left.
    pub(super) fn trim(&self, r: Range<usize>) -> Option<Range<usize>> {
        let words: Vec<usize> = r.filter(|&i| self.toks[i].kind == Kind::Word).collect();
        let (a, b) = (*words.first()?, *words.last()?);
        Some(self.toks[a].start..self.toks[b].end)
    }

    pub(super) fn words_in(&self, r: Range<usize>) -> usize {
        self.toks[r].iter().filter(|t| t.kind == Kind::Word).count()
    }

    pub(super) fn add(&mut self, label: &'static str, range: Range<usize>, score: f64) -> usize {
        if let Some(i) = self
            .found
            .iter()
            .position(|f| f.label == label && f.range == range)
        {
            return i;
        }
        self.found.push(Found {
            label,
            range,
            score,
        });
        let i = self.found.len() - 1;
        if label == "claim" {
            self.claims.push(i);
        }
        i
    }

    /// A source span and a `said_by` link to it from `what`.
    pub(super) fn said_by(&mut self, what: usize, source: Range<usize>) {
        let text: String = self
            .toks
            .iter()
            .filter(|t| t.start >= source.start && t.end <= source.end)
            .map(|t| t.s)
            .collect();
        let score = if self.sets.pronouns.contains(text.to_lowercase().as_str()) {
            self.rules.scores.pronoun
        } else {
            self.rules.scores.source
        };
        let s = self.add("source", source, score);
        self.links.push(FoundLink {
            kind: "said_by",
            from: what,
            to: s,
        });
    }

    /// A claim (or denial) with its source.
    pub(super) fn statement(
        &mut self,
        label: &'static str,
        what: Option<Range<usize>>,
        source: Option<Range<usize>>,
        score: f64,
    ) -> Option<usize> {
        let (what, source) = (what?, source?);
        if what.start < source.end && source.start < what.end && label == "claim" {
            return None;
        }
        let i = self.add(label, what, score);
        self.said_by(i, source);
        Some(i)
    }

    /// The subject before the cue at `c`: back over auxiliaries and one
    /// comma, then to the sentence start, a quotation mark, a colon or a
    /// semicolon; clause openers dropped; a long one cut to what follows
    /// its last comma. As a token range.
    pub(super) fn subject_tokens(&self, s: &Range<usize>, c: usize) -> Option<Range<usize>> {
        let mut j = c;
        while j > s.start {
            let t = &self.toks[j - 1];
            let skip = t.kind == Kind::Space
                || (t.kind == Kind::Word && self.sets.auxiliaries.contains(t.lower.as_str()));
            if !skip {
                break;
            }
            j -= 1;
        }
        if j > s.start && self.toks[j - 1].s == "," {
            j -= 1;
        }
        let mut k = j;
        while k > s.start {
            if self.is_boundary(k - 1) {
                break;
            }
            k -= 1;
        }
        while k < j
            && (self.toks[k].kind != Kind::Word
                || self.sets.openers.contains(self.toks[k].lower.as_str()))
        {
            k += 1;
        }
        if self.words_in(k..j) > 8
            && let Some(comma) = (k..j).rev().find(|&i| self.toks[i].s == ",")
        {
            k = comma + 1;
        }
        if self.words_in(k..j) > 12 || self.words_in(k..j) == 0 {
            return None;
        }
        Some(k..j)
    }

    /// [`Run::subject_tokens`] as code points.
    pub(super) fn subject_before(&self, s: &Range<usize>, c: usize) -> Option<Range<usize>> {
        self.trim(self.subject_tokens(s, c)?)
    }

    /// The comma just before token `k` (spaces between), if any, not before
    /// the sentence's start.
    pub(super) fn comma_before(&self, s: &Range<usize>, k: usize) -> Option<usize> {
        let i = (s.start..k)
            .rev()
            .find(|&i| self.toks[i].kind != Kind::Space)?;
        (self.toks[i].s == ",").then_some(i)
    }

    /// Whether the words of `phrase` start at token `i` (spaces, and
    /// auxiliaries between its words, skipped); the token after it if so.
    pub(super) fn phrase_at(&self, i: usize, end: usize, phrase: &[String]) -> Option<usize> {
        let mut at = i;
        for (n, w) in phrase.iter().enumerate() {
            while at < end
                && (self.toks[at].kind == Kind::Space
                    || (n > 0
                        && self
                            .word(at)
                            .is_some_and(|x| self.sets.auxiliaries.contains(x))
                        && self.word(at) != Some(w.as_str())))
            {
                at += 1;
            }
            if self.word(at) != Some(w.as_str()) {
                return None;
            }
            at += 1;
        }
        (!phrase.is_empty()).then_some(at)
    }

    /// Whether token `i` ends what comes before it for a subject: a
    /// quotation mark, a colon, a semicolon, or a dash between spaces (a
    /// dateline's `JAKARTA —`).
    pub(super) fn is_boundary(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if t.kind != Kind::Punct {
            return false;
        }
        let spaced = i > 0 && self.toks[i - 1].kind == Kind::Space;
        is_quote(t.s) || matches!(t.s, ":" | ";" | "—" | "–") || (t.s == "-" && spaced)
    }

    /// The source named after the cue at `c`: up to a stop word, a comma,
    /// a quotation mark or the sentence's end.
    pub(super) fn source_after(&self, s: &Range<usize>, c: usize) -> Option<Range<usize>> {
        let mut j = c + 1;
        while j < s.end {
            let t = &self.toks[j];
            let stop = match t.kind {
                Kind::Word => self.sets.stops.contains(t.lower.as_str()),
                Kind::Punct => t.s != "-" && t.s != "." || self.ends_at(s, j),
                Kind::Space => false,
            };
            if stop {
                break;
            }
            j += 1;
        }
        if self.words_in(c + 1..j) > 10 {
            return None;
        }
        self.trim(c + 1..j)
    }

    /// Whether token `j` is the sentence's final punctuation.
    pub(super) fn ends_at(&self, s: &Range<usize>, j: usize) -> bool {
        self.toks[j + 1..s.end].iter().all(|t| t.kind != Kind::Word)
    }
}
