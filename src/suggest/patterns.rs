//! The patterns the built-in rules try on each sentence, in this order;
//! the first that fits gives the sentence's tags (a claim may hold a
//! reported claim of its own, which is tried as a sentence again):
//!
//! 1. a denial cue: SOURCE membantah / denied WHAT ("menolak berkomentar",
//!    declining to comment, is no denial);
//! 2. Menurut / According to SOURCE, CLAIM, or CLAIM, according to SOURCE;
//! 3. hearsay with no speaker: Beredar kabar bahwa CLAIM / It was alleged
//!    that CLAIM (a claim with no source);
//! 4. a quotation with its speaker after or before it (and a second
//!    source quoting them: "…," kata X, seperti dikutip kantor berita Y);
//! 5. SOURCE CUE (bahwa|that) CLAIM, CLAIM, SOURCE said, or a cue with no
//!    complementiser;
//! 6. CLAIM, CUE SOURCE (no quotation marks).

use std::collections::BTreeSet;
use std::ops::Range;

use super::engine::{FoundLink, Kind, Run, is_close_quote, is_open_quote};

impl Run<'_, '_> {
    pub(super) fn sentence(&mut self, s: Range<usize>) {
        let _ = self.passive_denial(s.clone())
            || self.denial(s.clone())
            || self.according(s.clone())
            || self.hearsay(s.clone())
            || self.quotation(s.clone())
            || self.speech(s.clone())
            || self.inverted(s);
    }

    fn denial(&mut self, s: Range<usize>) -> bool {
        let Some(d) = self.first_in(s.clone(), &self.sets.denial) else {
            return false;
        };
        // "menolak berkomentar", "declined to comment": no denial.
        let next = (d + 1..s.end).find(|&i| self.toks[i].kind == Kind::Word);
        if next
            .and_then(|i| self.word(i))
            .is_some_and(|w| self.sets.no_comment.contains(w))
        {
            return false;
        }
        let Some(source) = self.subject_before(&s, d) else {
            return false;
        };
        let what = self.trim(d..s.end);
        self.denial_of(what, source)
    }

    /// WHAT dibantah SOURCE: the clause up to the source is the denial.
    fn passive_denial(&mut self, s: Range<usize>) -> bool {
        let Some(d) = self.first_in(s.clone(), &self.sets.passive_denial) else {
            return false;
        };
        let Some(source) = self.source_after(&s, d) else {
            return false;
        };
        let what = self.trim(s.start..d + 1).map(|r| r.start..source.end);
        // The denial holds its source: statement() allows that for denials.
        self.denial_of(what, source)
    }

    /// A denial said by `source`, and its `denies` link to the earlier
    /// claim it answers, if one is found.
    fn denial_of(&mut self, what: Option<Range<usize>>, source: Range<usize>) -> bool {
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

    /// The first place in `r` where one of `phrases` starts: (its first
    /// token, the token after it).
    fn find_phrase(&self, r: Range<usize>, phrases: &[Vec<String>]) -> Option<(usize, usize)> {
        r.clone()
            .filter(|&i| self.toks[i].kind == Kind::Word)
            .find_map(|i| {
                phrases
                    .iter()
                    .find_map(|p| self.phrase_at(i, r.end, p))
                    .map(|after| (i, after))
            })
    }

    fn according(&mut self, s: Range<usize>) -> bool {
        let Some((at, after)) = self.find_phrase(s.clone(), &self.rules.according) else {
            return false;
        };
        let score = self.rules.scores.according;
        let lead = self.words_in(s.start..at);
        let openers_only = self.toks[s.start..at]
            .iter()
            .filter(|t| t.kind == Kind::Word)
            .all(|t| self.sets.openers.contains(t.lower.as_str()));
        if lead == 0 || openers_only {
            // Menurut SOURCE, CLAIM.
            let Some(comma) = (after..s.end).find(|&i| self.toks[i].s == ",") else {
                return false;
            };
            let (source, claim) = (self.trim(after..comma), self.trim(comma + 1..s.end));
            return self.statement("claim", claim, source, score).is_some();
        }
        // CLAIM, according to SOURCE.
        let Some(comma) = self.comma_before(&s, at) else {
            return false;
        };
        let (claim, source) = (self.trim(s.start..comma), self.source_after(&s, after - 1));
        self.statement("claim", claim, source, score).is_some()
    }

    /// Beredar kabar bahwa CLAIM / It was alleged that CLAIM: a claim no
    /// one in the text stands behind.
    fn hearsay(&mut self, s: Range<usize>) -> bool {
        let Some((_, after)) = self.find_phrase(s.clone(), &self.rules.hearsay) else {
            return false;
        };
        let from = match (after..s.end).find(|&i| self.toks[i].kind == Kind::Word) {
            Some(i) if self.word(i).is_some_and(|w| self.sets.that.contains(w)) => i + 1,
            Some(i) => i,
            None => return false,
        };
        let Some(claim) = self.trim(from..s.end) else {
            return false;
        };
        self.add("claim", claim, self.rules.scores.hearsay);
        true
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
            if self.words_in(close + 1..c) == 0 {
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
        let Some(i) = self.statement("claim", claim, source, score) else {
            return false;
        };
        // "…," kata X, seperti dikutip kantor berita Y.
        if let Some(c) = after
            && let Some(who) = self.next_speaker(&s, c + 1)
        {
            self.said_by(i, who);
        }
        true
    }

    /// A second speaker after a comma: `, (seperti|as) CUE SOURCE` or
    /// `, SOURCE CUE` from token `from` on.
    fn next_speaker(&self, s: &Range<usize>, from: usize) -> Option<Range<usize>> {
        let c2 = self.first_in(from..s.end, &self.sets.speech)?;
        let comma = (from..c2).rev().find(|&i| self.toks[i].s == ",")?;
        let between: Vec<&str> = self.toks[comma + 1..c2]
            .iter()
            .filter(|t| t.kind == Kind::Word)
            .map(|t| t.lower.as_str())
            .collect();
        if between.iter().all(|w| self.sets.openers.contains(w)) {
            self.source_after(s, c2)
        } else {
            self.trim(comma + 1..c2)
        }
    }

    fn speech(&mut self, s: Range<usize>) -> bool {
        let Some(c) = self.first_in(s.clone(), &self.sets.speech) else {
            return false;
        };
        let Some(subject) = self.subject_tokens(&s, c) else {
            return false;
        };
        let source = self.trim(subject.clone());
        // CLAIM, a senior official said(, asking not to be named).
        if let Some(comma) = self.comma_before(&s, subject.start)
            && self.words_in(s.start..comma) >= 4
        {
            let claim = self.trim(s.start..comma);
            let score = self.rules.scores.inverted;
            return self.statement("claim", claim, source, score).is_some();
        }
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
                Some((comma, self.next_speaker(&s, comma)?))
            });
        let end = second.as_ref().map_or(s.end, |(comma, _)| *comma);
        let (claim, score) = match that {
            Some(_) => (self.trim(from..end), self.rules.scores.that),
            None if self.words_in(from..end) >= 3 => (self.trim(from..end), self.rules.scores.bare),
            None => return false,
        };
        let Some(i) = self.statement("claim", claim, source, score) else {
            return false;
        };
        if let Some((_, who)) = second {
            self.said_by(i, who);
        }
        // A reported claim inside the claim: "… said a guard had told
        // investigators that …".
        if from < end {
            let _ = self.speech(from..end);
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
