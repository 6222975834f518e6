//! The built-in suggester's rules at work: the text cut into words and
//! sentences, then, sentence by sentence, the first pattern that fits:
//!
//! 1. a denial cue: SOURCE membantah / denied WHAT (a `denial` said by the
//!    source, and `denies` the earlier claim it shares most words with);
//! 2. Menurut / According to SOURCE, CLAIM;
//! 3. a quotation with a cue after or before it: "CLAIM," kata SOURCE /
//!    "CLAIM," SOURCE said / SOURCE said: "CLAIM";
//! 4. SOURCE CUE (bahwa|that) CLAIM, or with no complementiser;
//! 5. CLAIM, CUE SOURCE / CLAIM, SOURCE said (inverted, no quotation
//!    marks).
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
enum Kind {
    Word,
    Space,
    Punct,
}

/// A token: its text, lower-cased for words, and its code points.
#[derive(Clone, Debug)]
struct Tok<'t> {
    s: &'t str,
    lower: String,
    start: usize,
    end: usize,
    kind: Kind,
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

fn tokens(text: &str) -> Vec<Tok<'_>> {
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

fn is_open_quote(s: &str) -> bool {
    matches!(s, "“" | "\"" | "«" | "‘" | "„")
}

fn is_close_quote(s: &str) -> bool {
    matches!(s, "”" | "\"" | "»" | "’")
}

fn is_quote(s: &str) -> bool {
    is_open_quote(s) || is_close_quote(s)
}

/// The sentences, as token ranges.
fn sentences(toks: &[Tok]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let paragraph = t.kind == Kind::Space && t.s.contains('\n');
        let stop =
            t.kind == Kind::Punct && t.s.contains(['.', '!', '?', '…']) && ends_sentence(toks, i);
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
struct Run<'r, 't> {
    toks: Vec<Tok<'t>>,
    rules: &'r Rules,
    sets: Sets<'r>,
    found: Vec<Found>,
    links: Vec<FoundLink>,
    /// Claims found so far, by index, for denials to answer.
    claims: Vec<usize>,
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
    fn word(&self, i: usize) -> Option<&str> {
        let t = self.toks.get(i)?;
        (t.kind == Kind::Word).then_some(t.lower.as_str())
    }

    /// The first word in `r` in `set`.
    fn first_in(&self, r: Range<usize>, set: &BTreeSet<&str>) -> Option<usize> {
        r.into_iter()
            .find(|&i| self.word(i).is_some_and(|w| set.contains(w)))
    }

    /// The code points of tokens `r` without the spaces, punctuation and
    /// quotation marks at either end; `None` if no word is left.
    fn trim(&self, r: Range<usize>) -> Option<Range<usize>> {
        let words: Vec<usize> = r.filter(|&i| self.toks[i].kind == Kind::Word).collect();
        let (a, b) = (*words.first()?, *words.last()?);
        Some(self.toks[a].start..self.toks[b].end)
    }

    fn words_in(&self, r: Range<usize>) -> usize {
        self.toks[r].iter().filter(|t| t.kind == Kind::Word).count()
    }

    fn add(&mut self, label: &'static str, range: Range<usize>, score: f64) -> usize {
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
    fn said_by(&mut self, what: usize, source: Range<usize>) {
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
    fn statement(
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

    fn sentence(&mut self, s: Range<usize>) {
        let _ = self.denial(s.clone())
            || self.according(s.clone())
            || self.quotation(s.clone())
            || self.speech(s.clone())
            || self.inverted(s);
    }

    /// The subject before the cue at `c`: back over auxiliaries and one
    /// comma, then to the sentence start, a quotation mark, a colon or a
    /// semicolon; clause openers dropped; a long one cut to what follows
    /// its last comma.
    fn subject_before(&self, s: &Range<usize>, c: usize) -> Option<Range<usize>> {
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
        if self.words_in(k..j) > 12 {
            return None;
        }
        self.trim(k..j)
    }

    /// Whether token `i` ends what comes before it for a subject: a
    /// quotation mark, a colon, a semicolon, or a dash between spaces (a
    /// dateline's `JAKARTA —`).
    fn is_boundary(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if t.kind != Kind::Punct {
            return false;
        }
        let spaced = i > 0 && self.toks[i - 1].kind == Kind::Space;
        is_quote(t.s) || matches!(t.s, ":" | ";" | "—" | "–") || (t.s == "-" && spaced)
    }

    /// The source named after the cue at `c`: up to a stop word, a comma,
    /// a quotation mark or the sentence's end.
    fn source_after(&self, s: &Range<usize>, c: usize) -> Option<Range<usize>> {
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
    fn ends_at(&self, s: &Range<usize>, j: usize) -> bool {
        self.toks[j + 1..s.end].iter().all(|t| t.kind != Kind::Word)
    }

    fn denial(&mut self, s: Range<usize>) -> bool {
        let Some(d) = self.first_in(s.clone(), &self.sets.denial) else {
            return false;
        };
        let Some(source) = self.subject_before(&s, d) else {
            return false;
        };
        let what = self.trim(d..s.end);
        let score = self.rules.scores.denial;
        let Some(i) = self.statement("denial", what, Some(source), score) else {
            return false;
        };
        if let Some(c) = self.denied_claim(i) {
            self.links.push(FoundLink {
                kind: "denies",
                from: i,
                to: c,
            });
        }
        true
    }

    /// The earlier claim a denial answers: the one sharing most content
    /// words (compared by their first five letters) with it, if any.
    fn denied_claim(&self, denial: usize) -> Option<usize> {
        let stems = |r: &Range<usize>| -> BTreeSet<String> {
            self.toks
                .iter()
                .filter(|t| t.kind == Kind::Word && t.start >= r.start && t.end <= r.end)
                .filter(|t| t.lower.chars().count() >= 4)
                .filter(|t| !self.sets.denial.contains(t.lower.as_str()))
                .filter(|t| !self.sets.speech.contains(t.lower.as_str()))
                .filter(|t| !self.sets.that.contains(t.lower.as_str()))
                .map(|t| t.lower.chars().take(5).collect())
                .collect()
        };
        let d = &self.found[denial].range;
        let mine = stems(d);
        self.claims
            .iter()
            .filter(|&&c| self.found[c].range.end <= d.start)
            .map(|&c| (mine.intersection(&stems(&self.found[c].range)).count(), c))
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, c)| (*n, *c))
            .map(|(_, c)| c)
    }

    fn according(&mut self, s: Range<usize>) -> bool {
        let mut first = s.start;
        while first < s.end
            && (self.toks[first].kind != Kind::Word
                || self.sets.openers.contains(self.toks[first].lower.as_str()))
        {
            first += 1;
        }
        let mut after = None;
        for phrase in &self.rules.according {
            let mut i = first;
            let mut ok = true;
            for w in phrase {
                while i < s.end && self.toks[i].kind == Kind::Space {
                    i += 1;
                }
                if self.word(i) == Some(w.as_str()) {
                    i += 1;
                } else {
                    ok = false;
                    break;
                }
            }
            if ok && !phrase.is_empty() {
                after = Some(i);
                break;
            }
        }
        let Some(after) = after else {
            return false;
        };
        let Some(comma) = (after..s.end).find(|&i| self.toks[i].s == ",") else {
            return false;
        };
        let (source, claim) = (self.trim(after..comma), self.trim(comma + 1..s.end));
        let score = self.rules.scores.according;
        self.statement("claim", claim, source, score).is_some()
    }

    fn quotation(&mut self, s: Range<usize>) -> bool {
        let Some(open) = (s.clone()).find(|&i| is_open_quote(self.toks[i].s)) else {
            return false;
        };
        let Some(close) = (open + 1..s.end).find(|&i| is_close_quote(self.toks[i].s)) else {
            return false;
        };
        // A name in quotation marks ("Korea Utara") is not a quotation:
        // speech has three words or more, or ends with its punctuation
        // inside the marks ("Itu kebohongan,").
        let spoken = close > open + 1
            && self.toks[close - 1].kind == Kind::Punct
            && matches!(self.toks[close - 1].s, "," | "." | "!" | "?" | "…");
        if self.words_in(open + 1..close) < 3 && !spoken {
            return false;
        }
        let claim = self.trim(open + 1..close);
        let after = self.first_in(close + 1..s.end, &self.sets.speech);
        let source = if let Some(c) = after {
            let between = self.words_in(close + 1..c);
            if between == 0 {
                // "…," kata SOURCE / "…," said SOURCE
                self.source_after(&s, c)
            } else {
                // "…," SOURCE said.
                let mut k = close + 1;
                while k < c && self.toks[k].kind != Kind::Word {
                    k += 1;
                }
                self.trim(k..c)
            }
        } else if let Some(c) = self.first_in(s.start..open, &self.sets.speech) {
            self.subject_before(&s, c)
        } else {
            None
        };
        let score = self.rules.scores.quote;
        self.statement("claim", claim, source, score).is_some()
    }

    fn speech(&mut self, s: Range<usize>) -> bool {
        let Some(c) = self.first_in(s.clone(), &self.sets.speech) else {
            return false;
        };
        let Some(source) = self.subject_before(&s, c) else {
            return false;
        };
        // A complementiser within the next few words, before a comma.
        let mut that = None;
        let mut words = 0;
        for i in c + 1..s.end {
            if self.toks[i].s == "," && words > 0 {
                break;
            }
            if let Some(w) = self.word(i) {
                if self.sets.that.contains(w) {
                    that = Some(i);
                    break;
                }
                words += 1;
                if words > 5 {
                    break;
                }
            }
        }
        let from = that.map_or(c + 1, |t| t + 1);
        // A second speaker after the claim: "…, kata juru bicara X."
        let second = self
            .first_in(from..s.end, &self.sets.speech)
            .and_then(|c2| {
                let comma = (from..c2).rev().find(|&i| self.toks[i].s == ",")?;
                let who = if self.words_in(comma + 1..c2) == 0 {
                    self.source_after(&s, c2)
                } else {
                    self.trim(comma + 1..c2)
                }?;
                Some((comma, who))
            });
        let end = second.as_ref().map_or(s.end, |(comma, _)| *comma);
        let (claim, score) = match that {
            Some(_) => (self.trim(from..end), self.rules.scores.that),
            None if self.words_in(from..end) >= 3 => (self.trim(from..end), self.rules.scores.bare),
            None => return false,
        };
        let Some(i) = self.statement("claim", claim, Some(source), score) else {
            return false;
        };
        if let Some((_, who)) = second {
            self.said_by(i, who);
        }
        true
    }

    fn inverted(&mut self, s: Range<usize>) -> bool {
        let Some(c) = self.first_in(s.clone(), &self.sets.speech) else {
            return false;
        };
        let Some(comma) = (s.start..c).rev().find(|&i| self.toks[i].s == ",") else {
            return false;
        };
        if self.words_in(s.start..comma) < 3 {
            return false;
        }
        let claim = self.trim(s.start..comma);
        let source = if self.words_in(comma + 1..c) == 0 {
            // CLAIM, kata SOURCE.
            self.source_after(&s, c)
        } else {
            // CLAIM, SOURCE said.
            self.trim(comma + 1..c)
        };
        let score = self.rules.scores.inverted;
        self.statement("claim", claim, source, score).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (label, quote) of each suggestion.
    type Spans = Vec<(&'static str, String)>;
    /// (kind, from quote, to quote) of each link.
    type Links = Vec<(&'static str, String, String)>;

    /// The suggestions for `text` as (label, quote) and links as
    /// (kind, from quote, to quote).
    fn suggest(text: &str) -> (Spans, Links) {
        let t = Text::new(text.to_owned());
        let (found, links) = run(&t, &Rules::builtin());
        let q = |f: &Found| t.slice(f.range.clone()).unwrap().to_owned();
        let spans = found.iter().map(|f| (f.label, q(f))).collect();
        let links = links
            .iter()
            .map(|l| (l.kind, q(&found[l.from]), q(&found[l.to])))
            .collect();
        (spans, links)
    }

    #[test]
    fn source_cue_that_claim_in_both_languages() {
        let (spans, links) = suggest(
            "Kepala Bea Cukai Medan, Ani Lestari, mengatakan bahwa kapal itu membawa beras selundupan.",
        );
        assert_eq!(
            spans,
            [
                ("claim", "kapal itu membawa beras selundupan".to_owned()),
                ("source", "Kepala Bea Cukai Medan, Ani Lestari".to_owned())
            ]
        );
        assert_eq!(links.len(), 1);
        let (spans, _) = suggest("The port authority said on Monday that the ship had sunk.");
        assert_eq!(
            spans,
            [
                ("claim", "the ship had sunk".to_owned()),
                ("source", "The port authority".to_owned())
            ]
        );
    }

    #[test]
    fn quotations_with_the_speaker_after_or_before() {
        let (spans, _) =
            suggest("“Kami tidak akan mundur,” kata Menteri Luar Negeri kepada wartawan.");
        assert_eq!(
            spans,
            [
                ("claim", "Kami tidak akan mundur".to_owned()),
                ("source", "Menteri Luar Negeri".to_owned())
            ]
        );
        let (spans, _) = suggest("“We will not back down,” the minister said.");
        assert_eq!(spans[1], ("source", "the minister".to_owned()));
        let (spans, _) = suggest("He told reporters: “The shells came by rail.”");
        assert_eq!(
            spans,
            [
                ("claim", "The shells came by rail".to_owned()),
                ("source", "He".to_owned())
            ]
        );
    }

    #[test]
    fn according_to_and_inverted_attribution() {
        let (spans, _) = suggest("Menurut polisi, kapal itu karam di Selat Malaka.");
        assert_eq!(
            spans,
            [
                ("claim", "kapal itu karam di Selat Malaka".to_owned()),
                ("source", "polisi".to_owned())
            ]
        );
        let (spans, _) = suggest("Harga beras akan naik bulan depan, ujar seorang pedagang.");
        assert_eq!(spans[1], ("source", "seorang pedagang".to_owned()));
        let (spans, _) = suggest("Prices will rise next month, a trader said.");
        assert_eq!(
            spans,
            [
                ("claim", "Prices will rise next month".to_owned()),
                ("source", "a trader".to_owned())
            ]
        );
    }

    #[test]
    fn a_denial_answers_the_claim_it_shares_words_with() {
        let (spans, links) = suggest(
            "Gedung Putih menuding Korea Utara mengirim peluru artileri ke Rusia. Pyongyang membantah mengirim peluru itu.",
        );
        assert_eq!(
            spans[2],
            ("denial", "membantah mengirim peluru itu".to_owned())
        );
        assert_eq!(spans[3], ("source", "Pyongyang".to_owned()));
        assert!(links.contains(&(
            "denies",
            "membantah mengirim peluru itu".to_owned(),
            "Korea Utara mengirim peluru artileri ke Rusia".to_owned()
        )));
        let (spans, _) = suggest("Iranian officials have denied supplying drones.");
        assert_eq!(spans[1], ("source", "Iranian officials".to_owned()));
    }

    #[test]
    fn sentences_end_at_stops_not_at_initials() {
        let toks = tokens("Kata A.S. itu benar. “Ya.” Lalu dia pergi");
        assert_eq!(sentences(&toks).len(), 3);
    }
}
