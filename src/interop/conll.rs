//! CoNLL-style BIO columns, for training sequence taggers (export only).
//!
//! One token a line, `TOKEN TAG` (with [`ExportOptions::token_offsets`]:
//! `TOKEN START END TAG`, code points, so each line can be checked against
//! the article), a blank line after each sentence (but never inside a
//! span) and `-DOCSTART- O` before each document. Tokens are the words and punctuation of Unicode text
//! segmentation (UAX #29), split at white space; a byte-order mark and
//! other invisible format characters are not tokens. A span tags the tokens
//! it touches: `B-label` on the first, `I-label` on the rest, `O` elsewhere.
//!
//! One column cannot hold overlapping spans: of spans sharing a token, the
//! longest ([`Overlap::Outer`]) or the shortest ([`Overlap::Inner`]) is
//! kept, and the others are counted. Spans whose edges fall inside a token
//! are widened to whole tokens and counted. Orphans and rejected machine
//! spans are left out; links, notes, attributes and origins have no column.
//!
//! [`ExportOptions::token_offsets`]: super::ExportOptions::token_offsets

use std::fmt::Write as _;
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::{ExportDoc, Loss, Names, Overlap, SPAN_EXTRAS, Warnings, count_not_carried, no_space};
use crate::offsets::Text;

/// Characters that are neither white space nor visible: never part of a
/// token.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{feff}' | '\u{200b}' | '\u{2060}' | '\u{00ad}') || c.is_control()
}

/// A token: its char range and text.
struct Token<'a> {
    range: Range<usize>,
    text: &'a str,
}

/// Tokens of the text, with the index of the first token of each sentence.
fn tokenize(text: &Text) -> (Vec<Token<'_>>, Vec<usize>) {
    let s = text.as_str();
    let mut tokens = Vec::new();
    let mut sentences = Vec::new();
    for (sb, sentence) in s.split_sentence_bound_indices() {
        let first = tokens.len();
        for (wb, word) in sentence.split_word_bound_indices() {
            let base = sb + wb;
            let mut run: Option<usize> = None;
            for (i, c) in word
                .char_indices()
                .chain(std::iter::once((word.len(), ' ')))
            {
                let part_of_token = !c.is_whitespace() && !is_invisible(c);
                match (run, part_of_token) {
                    (None, true) => run = Some(i),
                    (Some(from), false) => {
                        run = None;
                        if let Some(range) = text.char_range(base + from..base + i) {
                            tokens.push(Token {
                                range,
                                text: &word[from..i],
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
        if tokens.len() > first {
            sentences.push(first);
        }
    }
    (tokens, sentences)
}

/// Writes one document; `offsets` adds each token's start and end.
pub fn write(
    doc: &ExportDoc,
    names: &Names,
    overlap: Overlap,
    offsets: bool,
    w: &mut Warnings,
) -> String {
    let spans = doc.spans(false, w);
    count_not_carried(&spans, &SPAN_EXTRAS, w);
    super::count_entities(doc, &spans, false, w);
    w.add(Loss::LinksNotCarried, doc.ann.link_count());
    let (tokens, sentences) = tokenize(doc.text);

    // Each span as the token range it touches.
    let mut cands = Vec::with_capacity(spans.len());
    for s in &spans {
        let a = tokens.partition_point(|t| t.range.end <= s.start);
        let b = tokens.partition_point(|t| t.range.start < s.end);
        if a >= b {
            w.count(Loss::SpansWithoutTokens);
            continue;
        }
        if tokens[a].range.start < s.start || tokens[b - 1].range.end > s.end {
            w.count(Loss::SpansWidened);
        }
        cands.push((a..b, *s));
    }
    match overlap {
        Overlap::Outer => cands.sort_by_key(|(r, s)| (std::cmp::Reverse(r.len()), r.start, s.id)),
        Overlap::Inner => cands.sort_by_key(|(r, s)| (r.len(), r.start, s.id)),
    }
    let mut tags: Vec<Option<(bool, String)>> = vec![None; tokens.len()];
    for (r, s) in cands {
        if tags[r.clone()].iter().any(Option::is_some) {
            w.count(Loss::OverlapsDropped);
            continue;
        }
        let label = no_space(names.out_label(&s.label), w);
        for (i, t) in tags[r.clone()].iter_mut().enumerate() {
            *t = Some((i == 0, label.clone()));
        }
    }

    let mut out = String::with_capacity(tokens.len() * 12 + 16);
    out.push_str(if offsets {
        "-DOCSTART- 0 0 O\n"
    } else {
        "-DOCSTART- O\n"
    });
    for (k, &first) in sentences.iter().enumerate() {
        // A span that runs on into the next sentence keeps the two
        // together: a tagger sees no `I-` without its `B-`.
        if !matches!(tags[first], Some((false, _))) {
            out.push('\n');
        }
        let last = sentences.get(k + 1).copied().unwrap_or(tokens.len());
        for i in first..last {
            let t = &tokens[i];
            out.push_str(t.text);
            if offsets {
                let _ = write!(out, " {} {}", t.range.start, t.range.end);
            }
            match &tags[i] {
                Some((true, l)) => {
                    let _ = writeln!(out, " B-{l}");
                }
                Some((false, l)) => {
                    let _ = writeln!(out, " I-{l}");
                }
                None => out.push_str(" O\n"),
            }
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::Mapping;
    use crate::model::{Annotations, DocumentRef, Origin, Span, SpanId};
    use crate::schema::Schema;

    fn doc_with(text: &str, spans: &[(&str, &str)]) -> (Text, Annotations) {
        let t = Text::new(text.to_owned());
        let mut a = Annotations::new(DocumentRef::default());
        for (i, (label, quote)) in spans.iter().enumerate() {
            let b = text.find(quote).unwrap();
            let r = t.char_range(b..b + quote.len()).unwrap();
            a.insert_span(
                Span::new_in(&t, SpanId(i as u64 + 1), label, r, Origin::default()).unwrap(),
            )
            .unwrap();
        }
        (t, a)
    }

    fn export(text: &str, spans: &[(&str, &str)], overlap: Overlap) -> (String, Warnings) {
        let (t, a) = doc_with(text, spans);
        let (m, s) = (Mapping::default(), Schema::builtin());
        let names = Names {
            mapping: &m,
            schema: &s,
            annotator: "",
        };
        let mut w = Warnings::default();
        let doc = ExportDoc {
            name: "a.txt",
            text: &t,
            ann: &a,
        };
        (write(&doc, &names, overlap, true, &mut w), w)
    }

    #[test]
    fn tokens_skip_the_bom_and_keep_emoji_and_accents_whole() {
        let (out, w) = export(
            "\u{feff}Jose\u{301} said 👍🏽.\r\nKirby denied it.",
            &[("source", "Jose\u{301}"), ("denial", "Kirby denied it")],
            Overlap::Outer,
        );
        assert_eq!(
            out,
            "-DOCSTART- 0 0 O\n\nJose\u{301} 1 6 B-source\nsaid 7 11 O\n👍🏽 12 14 O\n. 14 15 O\n\nKirby 17 22 B-denial\ndenied 23 29 I-denial\nit 30 32 I-denial\n. 32 33 O\n\n"
        );
        assert!(w.counts.is_empty(), "{w:?}");
    }

    #[test]
    fn overlaps_keep_outer_or_inner_and_partial_tokens_widen() {
        let text = "Kirby said the ships left.";
        let spans = [
            ("claim", "the ships left"),
            ("source", "ships"),
            ("claim", "aid"),
        ];
        let (outer, w) = export(text, &spans, Overlap::Outer);
        assert!(
            outer.contains("the 11 14 B-claim\nships 15 20 I-claim"),
            "{outer}"
        );
        assert!(outer.contains("said 6 10 B-claim"), "{outer}");
        assert_eq!(w.counts[&Loss::OverlapsDropped], 1);
        assert_eq!(w.counts[&Loss::SpansWidened], 1);
        let (inner, _) = export(text, &spans, Overlap::Inner);
        assert!(
            inner.contains("the 11 14 O\nships 15 20 B-source\nleft 21 25 O"),
            "{inner}"
        );
    }
}
