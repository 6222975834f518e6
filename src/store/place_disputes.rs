//! Placing the disputes of a parsed file (format version 3): the spans of
//! their alternatives are checked and put back in place like live spans
//! (a relocated or orphan span inside a dispute is reported the same way),
//! and a duplicate id gets a fresh one.

use std::collections::BTreeSet;

use super::place::{anchor_spans, check_offsets, fill_machine_defaults, fresh_id};
use crate::check::{Finding, FindingKind};
use crate::format::RawDispute;
use crate::model::{Alternative, Annotations, Dispute, DisputeId, Span, SpanId};
use crate::offsets::Text;

/// Adds the disputes as written. With `text` (the article, and whether it
/// is the one the file was made on) their spans are placed against it;
/// without, taken as written.
pub(super) fn insert(
    ann: &mut Annotations,
    raw: Vec<RawDispute>,
    text: Option<(&Text, bool)>,
    findings: &mut Vec<Finding>,
) {
    let mut taken: BTreeSet<u64> = raw.iter().map(|d| d.id).collect();
    for r in raw {
        let mut d = Dispute {
            id: DisputeId(r.id),
            alternatives: r.alternatives.into_iter().map(Alternative::from).collect(),
            settled: None,
        };
        if ann.dispute(d.id).is_some() {
            let old = d.id;
            d.id = DisputeId(fresh_id(&mut taken));
            findings.push(Finding::dispute(
                FindingKind::DuplicateDisputeId,
                d.id,
                format!(
                    "dispute id {old} is used twice; the second now has id {}",
                    d.id
                ),
            ));
        }
        unique_span_ids(ann, &mut d, findings);
        for s in d.alternatives.iter_mut().flat_map(|a| &mut a.spans) {
            fill_machine_defaults(s, findings);
            if let Some((text, _)) = text {
                check_offsets(s, text, findings);
            }
        }
        if let Some((text, same_text)) = text {
            place_spans(&mut d, text, same_text, findings);
        }
        // The id was made unique above.
        let _ = ann.insert_dispute(d);
    }
}

/// Anchors every span of the dispute's alternatives in one pass.
fn place_spans(d: &mut Dispute, text: &Text, same_text: bool, findings: &mut Vec<Finding>) {
    let mut counts = Vec::with_capacity(d.alternatives.len());
    let mut spans: Vec<Span> = Vec::new();
    for a in &mut d.alternatives {
        counts.push(a.spans.len());
        spans.append(&mut a.spans);
    }
    anchor_spans(&mut spans, text, same_text, findings);
    let mut placed = spans.into_iter();
    for (a, n) in d.alternatives.iter_mut().zip(counts) {
        a.spans = placed.by_ref().take(n).collect();
    }
}

/// A span id used twice inside one alternative: the second gets a fresh
/// one. (The same id in two alternatives is two versions of one span.)
fn unique_span_ids(ann: &Annotations, d: &mut Dispute, findings: &mut Vec<Finding>) {
    let inside = d
        .alternatives
        .iter()
        .flat_map(|a| &a.spans)
        .map(|s| s.id.0.saturating_add(1))
        .max()
        .unwrap_or(1);
    let mut next = ann.next_span_id().0.max(inside);
    for a in &mut d.alternatives {
        let mut seen = BTreeSet::new();
        for s in &mut a.spans {
            if !seen.insert(s.id) {
                let old = s.id;
                s.id = SpanId(next);
                next = next.saturating_add(1);
                findings.push(Finding::span(
                    FindingKind::DuplicateSpanId,
                    s.id,
                    format!(
                        "dispute {}: span id {old} is used twice in one alternative; the second now has id {}",
                        d.id, s.id
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{FindingKind, check};
    use crate::schema::Schema;
    use crate::store::test_support::{ARTICLE, LABELS, dir_with_article};
    use crate::store::{LoadOptions, open, save_over};

    const FILE: &str = r#"(
    version: 3,
    document: (path: "berita.txt"),
    spans: [(id: 1, label: "source", start: 22, end: 34, text: "Gedung Putih")],
    disputes: [
        (id: 4, alternatives: [
            (by: ["ana"], spans: [
                (id: 2, label: "denial", start: 90, end: 121, text: "Pyongyang membantah tuduhan itu"),
            ]),
            (by: ["budi"], spans: [
                (id: 3, label: "claim", start: 90, end: 99),
                (id: 3, label: "claim", start: 100, end: 121),
            ], links: [(id: 1, kind: "said_by", from: 3, to: 1)]),
        ]),
        (id: 4, alternatives: [(by: ["ana"]), (by: ["budi"])]),
    ],
)
"#;

    #[test]
    fn disputed_spans_are_placed_and_checked_like_live_ones() {
        let (_d, p) = dir_with_article(ARTICLE);
        let ron = p.with_file_name("berita.tandai.ron");
        std::fs::write(&ron, FILE).unwrap();
        let l = open(&ron, LoadOptions::default()).unwrap();
        let kinds: Vec<FindingKind> = l.findings.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                FindingKind::DuplicateSpanId,
                FindingKind::DuplicateDisputeId
            ]
        );
        let d = l.annotations.dispute(crate::model::DisputeId(4)).unwrap();
        let budi = &d.alternatives[1];
        assert_eq!(budi.spans[0].text, "Pyongyang", "quote filled in");
        assert_eq!(budi.spans[1].text, "membantah tuduhan itu");
        assert_eq!(l.annotations.next_span_id().0, 5, "held ids are taken");
        let found = check(&l.annotations, &Schema::builtin());
        let disputed: Vec<&str> = (found.iter())
            .filter(|f| f.kind == FindingKind::Disputed)
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(disputed.len(), 2);
        assert!(
            disputed[0].starts_with("dispute 4 (spans) at 90..121"),
            "{disputed:?}"
        );
        // Saved, then the article edited: the held spans move with it.
        save_over(&ron, &l.annotations, LABELS).unwrap();
        let saved = std::fs::read_to_string(&ron).unwrap();
        assert!(saved.starts_with("(\n    version: 3,"), "{saved}");
        std::fs::write(&p, ARTICLE.replace("JAKARTA,", "JAKARTA (Senin),")).unwrap();
        let moved = open(&ron, LoadOptions::default()).unwrap();
        let d = moved
            .annotations
            .dispute(crate::model::DisputeId(4))
            .unwrap();
        assert_eq!(d.alternatives[0].spans[0].start, 90 + 8);
        assert_eq!(
            moved
                .findings
                .iter()
                .filter(|f| f.kind == FindingKind::Relocated)
                .count(),
            4
        );
    }
}
