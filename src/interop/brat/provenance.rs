//! Who made a span, carried through brat: brat has no place for a span's
//! machine origin (model, score), review status, reviewer or annotator, so
//! tandai writes them as one `#` note of its own type on the span (tabs
//! shown as `→`),
//!
//! ```text
//! #3→TandaiProvenance T7→{"model":"attrib-v0","score":0.82,"status":"Accepted","reviewer":"sari"}
//! ```
//!
//! which brat keeps, shows with the span and writes back unchanged, and
//! which tandai's brat import reads back into the span. The tail is one
//! JSON object with the field names of tandai's JSONL spans; a field that
//! says nothing is left out, and a span with nothing to say gets no note.

use serde::{Deserialize, Serialize};

use crate::format::RawSpan;
use crate::model::{Origin, Proposed, Span, Status};

/// The brat note type that carries a span's provenance.
pub(super) const PROVENANCE_TYPE: &str = "TandaiProvenance";

/// The note's JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Provenance {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    annotator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reviewer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proposed: Option<Proposed>,
}

/// The note text for `span`, or `None` when it is a person's span with no
/// annotator name, no status and no reviewer (nothing brat would lose).
pub(super) fn note_of(span: &Span) -> Option<String> {
    let (model, score, annotator) = match &span.origin {
        Origin::Machine { model, score } => (Some(model.clone()), *score, None),
        Origin::Human { annotator } => (None, None, Some(annotator.clone())),
    };
    let p = Provenance {
        model,
        score,
        annotator: annotator.filter(|a| !a.is_empty()),
        status: span.status,
        reviewer: span.reviewer.clone(),
        proposed: span.proposed.clone(),
    };
    if p == Provenance::default() {
        return None;
    }
    // Strings, numbers and a plain struct always serialise; a score that
    // is not finite becomes `null`, which reads back as no score.
    serde_json::to_string(&p).ok()
}

/// Takes a provenance note into `span`; `false` (and `span` untouched) if
/// the text is not such a note.
pub(super) fn apply(span: &mut RawSpan, text: &str) -> bool {
    let Ok(p) = serde_json::from_str::<Provenance>(text) else {
        return false;
    };
    if p.model.is_some() || p.score.is_some() {
        span.origin = Origin::Machine {
            model: p.model.unwrap_or_default(),
            score: p.score,
        };
    } else if let Some(annotator) = p.annotator {
        span.origin = Origin::Human { annotator };
    }
    span.status = p.status;
    span.reviewer = p.reviewer;
    span.proposed = p.proposed;
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::raw_span;

    fn span(origin: Origin, status: Option<Status>) -> Span {
        let mut s = Span {
            id: crate::model::SpanId(7),
            label: "claim".into(),
            end: 3,
            text: "abc".into(),
            origin,
            status,
            ..Span::default()
        };
        if status == Some(Status::Corrected) {
            s.reviewer = Some("sari".into());
            s.proposed = Some(Proposed {
                label: "source".into(),
                start: 0,
                end: 2,
            });
        }
        s
    }

    fn back(note: &str) -> RawSpan {
        let mut raw = raw_span(7, "claim".into(), 0..3, None, Origin::default());
        assert!(apply(&mut raw, note), "{note}");
        raw
    }

    #[test]
    fn a_machine_span_comes_back_whole() {
        let origin = Origin::Machine {
            model: "attrib v0".into(),
            score: Some(0.82),
        };
        let s = span(origin.clone(), Some(Status::Corrected));
        let note = note_of(&s).expect("a machine span has provenance");
        assert!(!note.contains(['\t', '\n', '\r']), "{note}");
        let raw = back(&note);
        assert_eq!(raw.origin, origin);
        assert_eq!(raw.status, Some(Status::Corrected));
        assert_eq!(raw.reviewer.as_deref(), Some("sari"));
        assert_eq!(raw.proposed, s.proposed);
    }

    #[test]
    fn a_named_annotator_comes_back_and_an_unnamed_one_needs_no_note() {
        let named = Origin::Human {
            annotator: "Rina Putri".into(),
        };
        let raw = back(&note_of(&span(named.clone(), None)).expect("named"));
        assert_eq!(raw.origin, named);
        assert_eq!(note_of(&span(Origin::default(), None)), None);
    }

    #[test]
    fn foreign_notes_are_not_taken() {
        let mut raw = raw_span(7, "claim".into(), 0..3, None, Origin::default());
        for text in ["checked by the desk", "{\"colour\": \"red\"}", "[1, 2]"] {
            assert!(!apply(&mut raw, text), "{text}");
        }
        assert_eq!(raw.origin, Origin::default());
    }
}
