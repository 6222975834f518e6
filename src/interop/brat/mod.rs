//! brat standoff: `NAME.txt` with `NAME.ann` beside it.
//!
//! Offsets are code points over the exact `.txt` text, as in tandai. What
//! tandai models natively comes in as itself: `T` lines are spans, `R`
//! lines between two text spans (roles `Arg1`, `Arg2`) are links, `A`/`M`
//! lines on a text span are span attributes (`name = value`, a binary
//! attribute has the value `""`) and `#` `AnnotatorNotes` on a text span
//! are its note. Every line also stays, verbatim and with its line number,
//! in the span attribute [`LINES_KEY`] of the span it belongs to (a
//! relation, event, note or normalisation belongs to the span it starts
//! from). That carries what tandai has no place for (events `E`,
//! normalisations `N`, equivalences `*`, discontinuous fragments, notes and
//! attributes on events or relations) and lets an export give back the very
//! same lines in the same order: a kept line is written as it was while
//! tandai's data still says the same, written afresh (same id, same place)
//! when the span, attribute, note or link was changed, and left out when
//! what it refers to was removed.

mod conf;
mod line;
mod provenance;
mod read;
mod write;

use std::ops::Range;

use crate::offsets::Text;

pub use conf::Conf;
pub use read::read;
pub use write::write;

/// The span attribute that keeps a span's brat lines, one per line as
/// `LINE-NUMBER<TAB>LINE`.
pub const LINES_KEY: &str = "brat:lines";

/// brat's name of a note on an annotation.
const NOTE_TYPE: &str = "AnnotatorNotes";

/// Characters Python's `str.splitlines` breaks at: brat reads `.ann` files
/// that way, so none may stand inside a line.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{b}'
            | '\u{c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// The fragments of `range` between line breaks, with their text.
pub(crate) fn fragments(text: &Text, range: Range<usize>) -> Vec<(Range<usize>, &str)> {
    let Some(bytes) = text.byte_range(range) else {
        return Vec::new();
    };
    let s = text.as_str();
    let mut pieces = Vec::new();
    let mut from = bytes.start;
    for (i, c) in s[bytes.clone()].char_indices() {
        if is_line_break(c) {
            pieces.push(from..bytes.start + i);
            from = bytes.start + i + c.len_utf8();
        }
    }
    pieces.push(from..bytes.end);
    pieces
        .into_iter()
        .filter(|b| b.start < b.end)
        .filter_map(|b| Some((text.char_range(b.clone())?, &s[b])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Article;
    use crate::interop::{ExportDoc, Loss, Mapping, Names, ProblemKind, Warnings};
    use crate::model::{Annotations, DocumentRef, Span};
    use crate::schema::Schema;

    /// A short wire story of our own whose `.ann` has every kind of line:
    /// text spans (one in two fragments), relations, an event, attributes
    /// (`A` and `M`, on spans and on the event), notes (on a span and a
    /// relation), a normalisation and an equivalence.
    const TEXT: &str = include_str!("../../../tests/fixtures/brat/bridge.txt");
    const ANN: &str = include_str!("../../../tests/fixtures/brat/bridge.ann");

    fn names<'a>(m: &'a Mapping, s: &'a Schema) -> Names<'a> {
        Names {
            mapping: m,
            schema: s,
            annotator: "",
        }
    }

    /// Reads, places, writes: what the pipeline does, in memory.
    fn round_trip(text: &str, ann: &str) -> (String, Warnings) {
        let (m, s) = (Mapping::default(), Schema::builtin());
        let n = names(&m, &s);
        let article = Article::from_text("a.txt", text.to_owned());
        let mut w = Warnings::default();
        let (spans, links) = read(ann, &article.text, &n, &mut w);
        let raw = crate::format::RawFile {
            version: 1,
            document: crate::format::RawDocument {
                path: "a.txt".into(),
                sha256: article.sha256.clone(),
                chars: None,
            },
            labels: Vec::new(),
            done: false,
            entities: Vec::new(),
            spans,
            links,
            disputes: Vec::new(),
        };
        let (placed, findings) = crate::store::place(raw, &article);
        assert!(findings.is_empty(), "{findings:?}");
        let doc = ExportDoc {
            name: "a.txt",
            text: &article.text,
            ann: &placed,
        };
        let mut conf = Conf::default();
        (write(&doc, &n, &mut conf, &mut w), w)
    }

    #[test]
    fn every_line_kind_comes_back_in_its_order() {
        let (back, w) = round_trip(TEXT, ANN);
        assert_eq!(back, ANN);
        assert_eq!(w.counts[&Loss::BratEvents], 1);
        assert_eq!(w.counts[&Loss::BratNormalizations], 1);
        assert_eq!(w.counts[&Loss::BratEquivalences], 1);
        assert_eq!(w.counts[&Loss::BratDiscontinuous], 1);
        // A2 (on the event) and #2 (on a relation).
        assert_eq!(w.counts[&Loss::BratOtherAttributes], 2);
        assert!(w.problems.is_empty(), "{:?}", w.problems);
    }

    #[test]
    fn provenance_rides_in_a_note_and_comes_back() {
        let text = Text::new("Polisi membantah tuduhan itu.".to_owned());
        let mut ann = Annotations::new(DocumentRef::default());
        let machine = crate::model::Origin::Machine {
            model: "attrib v0".into(),
            score: Some(0.82),
        };
        let person = crate::model::Origin::Human {
            annotator: "Rina Putri".into(),
        };
        for (id, label, range, origin) in [
            (1, "source", 0..6, person),
            (2, "denial", 7..28, machine.clone()),
        ] {
            let sid = crate::model::SpanId(id);
            let s = Span::new_in(&text, sid, label, range, origin).unwrap();
            ann.insert_span(s).unwrap();
        }
        let mut accepted = ann.span(crate::model::SpanId(2)).unwrap().clone();
        accepted.status = Some(crate::model::Status::Accepted);
        accepted.reviewer = Some("sari".into());
        ann.replace_span(accepted).unwrap();
        let (m, sc) = (Mapping::default(), Schema::builtin());
        let mut w = Warnings::default();
        let doc = ExportDoc {
            name: "a.txt",
            text: &text,
            ann: &ann,
        };
        let out = write(&doc, &names(&m, &sc), &mut Conf::default(), &mut w);
        assert_eq!(
            out,
            "T1\tsource 0 6\tPolisi\n\
             #1\tTandaiProvenance T1\t{\"annotator\":\"Rina Putri\"}\n\
             T2\tdenial 7 28\tmembantah tuduhan itu\n\
             #2\tTandaiProvenance T2\t{\"model\":\"attrib v0\",\"score\":0.82,\"status\":\"Accepted\",\"reviewer\":\"sari\"}\n"
        );
        assert!(w.counts.is_empty(), "{:?}", w.counts);
        let (spans, _) = read(&out, &text, &names(&m, &sc), &mut w);
        assert_eq!(
            spans[0].origin,
            ann.span(crate::model::SpanId(1)).unwrap().origin
        );
        assert_eq!(spans[1].origin, machine);
        assert_eq!(spans[1].status, Some(crate::model::Status::Accepted));
        assert_eq!(spans[1].reviewer.as_deref(), Some("sari"));
        assert!(w.counts.is_empty() && w.problems.is_empty(), "{w:?}");
    }

    #[test]
    fn malformed_lines_are_reported_with_their_number_and_the_rest_converts() {
        let ann = "T1\tPlace 0 8\tSURABAYA\nT2 source 1 2 x\nR1\tsaid_by Arg1:T1 Arg2:T9\t\nT3\tsource 19 37\tThe port authorty\nX1\tnothing\n";
        let (m, s) = (Mapping::default(), Schema::builtin());
        let t = Text::new(TEXT.to_owned());
        let mut w = Warnings::default();
        let (spans, links) = read(ann, &t, &names(&m, &s), &mut w);
        assert_eq!(spans.len(), 2);
        assert!(links.is_empty());
        let found: Vec<(ProblemKind, Option<usize>)> =
            w.problems.iter().map(|p| (p.kind, p.line)).collect();
        assert_eq!(
            found,
            [
                (ProblemKind::Malformed, Some(2)),
                (ProblemKind::Malformed, Some(5)),
                (ProblemKind::TextMismatch, Some(4)),
                (ProblemKind::Malformed, Some(3)),
            ]
        );
    }

    #[test]
    fn new_spans_split_at_line_breaks_and_get_fresh_ids() {
        let text = Text::new("Gedung\r\nPutih 👍🏽 bilang".to_owned());
        let mut ann = Annotations::new(DocumentRef::default());
        let mut s = Span::new_in(
            &text,
            crate::model::SpanId(3),
            "source",
            0..13,
            crate::model::Origin::default(),
        )
        .unwrap();
        s.note = Some("satu\ndua".into());
        s.attributes.insert("kind of".into(), "an office".into());
        s.attributes.insert("ls:id".into(), "x".into());
        ann.insert_span(s).unwrap();
        let (m, sc) = (Mapping::default(), Schema::builtin());
        let mut w = Warnings::default();
        let doc = ExportDoc {
            name: "a.txt",
            text: &text,
            ann: &ann,
        };
        let mut conf = Conf::default();
        let out = write(&doc, &names(&m, &sc), &mut conf, &mut w);
        // brat counts the CRLF once: "Putih" is at 7..12 in its offsets.
        assert_eq!(
            out,
            "T3\tsource 0 6;7 12\tGedung Putih\nA1\tkind_of T3 an_office\n#1\tAnnotatorNotes T3\tsatu\n#2\tAnnotatorNotes T3\tdua\n"
        );
        assert_eq!(w.counts[&Loss::SplitAtLineBreaks], 1);
        assert_eq!(w.counts[&Loss::NamesChanged], 2);
        let rendered = conf.render();
        assert!(rendered.contains("[entities]\n\nsource\n"), "{rendered}");
        assert!(
            rendered.contains("kind_of\tArg:<ENTITY>, Value:an_office"),
            "{rendered}"
        );
    }
}
