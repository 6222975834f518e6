//! Tests of [`super`].
use super::*;
use crate::edit::History;
use crate::model::DocumentRef;

const ARTICLE: &str = "JAKARTA — Kementerian Luar Negeri menyatakan kapal itu membawa 200 ton beras, \
    kata juru bicara Retno Wulandari kepada wartawan. Pemilik kapal membantah tuduhan tersebut.";

fn machine(model: &str, score: Option<f64>) -> Origin {
    Origin::Machine {
        model: model.to_owned(),
        score,
    }
}

fn range(needle: &str) -> Range<usize> {
    let b = ARTICLE.find(needle).unwrap();
    let start = ARTICLE[..b].chars().count();
    start..start + needle.chars().count()
}

/// Three machine spans (1: source 0.9, 2: claim 0.4, 3: denial unscored)
/// and one human span (4).
fn setup() -> (Annotations, Text) {
    let text = Text::new(ARTICLE.to_owned());
    let mut ann = Annotations::new(DocumentRef {
        path: "a.txt".into(),
        sha256: String::new(),
        chars: text.len_chars(),
    });
    let spans = [
        (
            1,
            "source",
            range("Kementerian Luar Negeri"),
            machine("attrib-v0", Some(0.9)),
        ),
        (
            2,
            "claim",
            range("kapal itu membawa 200 ton beras"),
            machine("attrib-v0", Some(0.4)),
        ),
        (
            3,
            "denial",
            range("Pemilik kapal membantah"),
            machine("attrib-v1", None),
        ),
        (
            4,
            "source",
            range("Retno Wulandari"),
            Origin::Human {
                annotator: "ana".into(),
            },
        ),
    ];
    for (id, label, r, origin) in spans {
        let s = Span::new_in(&text, SpanId(id), label, r, origin).unwrap();
        ann.insert_span(s).unwrap();
    }
    (ann, text)
}

fn apply(h: &mut History, ann: &mut Annotations, text: &Text, id: u64, d: &Decision) {
    let edits = decide(ann, text, SpanId(id), d, "rina").unwrap();
    h.apply(ann, text, "decision", edits).unwrap();
}

#[test]
fn accept_and_reject_set_status_and_reviewer_and_undo_exactly() {
    let (mut ann, text) = setup();
    let before = ann.clone();
    let mut h = History::default();
    apply(&mut h, &mut ann, &text, 1, &Decision::Accept);
    let s = ann.span(SpanId(1)).unwrap();
    assert_eq!(s.status, Some(Status::Accepted));
    assert_eq!(s.reviewer.as_deref(), Some("rina"));
    assert_eq!(s.proposed, None);
    apply(&mut h, &mut ann, &text, 2, &Decision::Reject);
    let s = ann.span(SpanId(2)).unwrap();
    assert_eq!(s.status, Some(Status::Rejected));
    assert_eq!(ann.span_count(), 4, "a rejected span stays");
    assert!(h.undo(&mut ann, &text).unwrap());
    assert_eq!(ann.span(SpanId(2)), before.span(SpanId(2)));
    assert!(h.undo(&mut ann, &text).unwrap());
    assert_eq!(ann, before);
}

#[test]
fn corrections_keep_the_models_proposal_across_two_corrections() {
    let (mut ann, text) = setup();
    let before = ann.clone();
    let original = range("kapal itu membawa 200 ton beras");
    let mut h = History::default();
    apply(
        &mut h,
        &mut ann,
        &text,
        2,
        &Decision::Relabel("denial".into()),
    );
    let s = ann.span(SpanId(2)).unwrap().clone();
    assert_eq!(s.status, Some(Status::Corrected));
    assert_eq!(s.label, "denial");
    let want = Proposed {
        label: "claim".into(),
        start: original.start,
        end: original.end,
    };
    assert_eq!(s.proposed.as_ref(), Some(&want));

    let shorter = range("kapal itu membawa 200 ton");
    apply(
        &mut h,
        &mut ann,
        &text,
        2,
        &Decision::Resize(shorter.clone()),
    );
    let s = ann.span(SpanId(2)).unwrap().clone();
    assert_eq!(s.status, Some(Status::Corrected));
    assert_eq!(s.range(), shorter);
    assert_eq!(s.text, "kapal itu membawa 200 ton");
    assert_eq!(s.label, "denial");
    assert_eq!(s.proposed.as_ref(), Some(&want), "still the model's");

    // Accept keeps the correction rather than throwing it away.
    apply(&mut h, &mut ann, &text, 2, &Decision::Accept);
    assert_eq!(ann.span(SpanId(2)).unwrap().status, Some(Status::Corrected));
    assert_eq!(ann.span(SpanId(2)).unwrap().proposed.as_ref(), Some(&want));

    // Back to exactly what the model said: an acceptance.
    apply(
        &mut h,
        &mut ann,
        &text,
        2,
        &Decision::Resize(original.clone()),
    );
    apply(
        &mut h,
        &mut ann,
        &text,
        2,
        &Decision::Relabel("claim".into()),
    );
    let s = ann.span(SpanId(2)).unwrap();
    assert_eq!(s.status, Some(Status::Accepted));
    assert_eq!(s.proposed, None);

    for _ in 0..5 {
        assert!(h.undo(&mut ann, &text).unwrap());
    }
    assert_eq!(ann, before);
    assert!(!h.undo(&mut ann, &text).unwrap());
}

#[test]
fn human_spans_missing_spans_and_bad_ranges_are_refused() {
    let (ann, text) = setup();
    let len = text.len_chars();
    assert_eq!(
        decide(&ann, &text, SpanId(4), &Decision::Accept, "r"),
        Err(ReviewError::NotMachine(SpanId(4)))
    );
    assert_eq!(
        decide(&ann, &text, SpanId(9), &Decision::Accept, "r"),
        Err(ReviewError::NoSuchSpan(SpanId(9)))
    );
    assert_eq!(
        decide(&ann, &text, SpanId(1), &Decision::Resize(5..5), "r"),
        Err(ReviewError::BadRange {
            start: 5,
            end: 5,
            len
        })
    );
    assert!(decide(&ann, &text, SpanId(1), &Decision::Resize(3..len + 1), "r").is_err());
    assert_eq!(
        decide(&ann, &text, SpanId(1), &Decision::Relabel(" ".into()), "r"),
        Err(ReviewError::EmptyLabel)
    );
}

#[test]
fn bulk_is_one_undo_step_and_skips_human_and_unchanged_spans() {
    let (mut ann, text) = setup();
    let before = ann.clone();
    let ids = queue(&ann, &Filter::default(), QueueOrder::Document);
    assert_eq!(ids, [SpanId(1), SpanId(2), SpanId(3)]);
    let mut all = ids.clone();
    all.push(SpanId(4));
    let edits = bulk(&ann, &all, false, "rina");
    assert_eq!(edits.len(), 3);
    let mut h = History::default();
    h.apply(&mut ann, &text, "Reject all shown", edits).unwrap();
    assert!(
        ann.spans()
            .filter(|s| s.origin.is_machine())
            .all(Span::is_rejected)
    );
    assert_eq!(
        progress(&ann),
        Progress {
            reviewed: 3,
            total: 3
        }
    );
    assert!(
        bulk(&ann, &all, false, "rina").is_empty(),
        "nothing left to change"
    );
    assert!(h.undo(&mut ann, &text).unwrap());
    assert_eq!(ann, before);
    assert_eq!(
        progress(&ann),
        Progress {
            reviewed: 0,
            total: 3
        }
    );
}

#[test]
fn filter_and_queue_order() {
    let (ann, _) = setup();
    let all = Filter::default();
    assert_eq!(
        queue(&ann, &all, QueueOrder::ScoreAscending),
        [SpanId(2), SpanId(1), SpanId(3)],
        "lowest score first, unscored last"
    );
    let scored = Filter {
        min_score: Some(0.4),
        ..Filter::default()
    };
    assert_eq!(
        queue(&ann, &scored, QueueOrder::Document),
        [SpanId(1), SpanId(2)],
        "bounds inclusive, unscored out"
    );
    let f = Filter {
        max_score: Some(0.5),
        labels: ["claim".to_owned(), "source".to_owned()].into(),
        ..Filter::default()
    };
    assert_eq!(queue(&ann, &f, QueueOrder::Document), [SpanId(2)]);
    let f = Filter {
        models: ["attrib-v1".to_owned()].into(),
        ..Filter::default()
    };
    assert_eq!(queue(&ann, &f, QueueOrder::Document), [SpanId(3)]);
    let mut decided = ann.clone();
    let text = Text::new(ARTICLE.to_owned());
    for e in decide(&ann, &text, SpanId(1), &Decision::Accept, "r").unwrap() {
        e.apply(&mut decided, &text).unwrap();
    }
    let pending = Filter {
        pending_only: true,
        ..Filter::default()
    };
    assert_eq!(
        queue(&decided, &pending, QueueOrder::Document),
        [SpanId(2), SpanId(3)]
    );
}

#[test]
fn triage_by_thresholds() {
    let (ann, _) = setup();
    let (edits, t) = triage(&ann, Some(0.8), Some(0.5), "bot");
    assert_eq!(
        t,
        Triage {
            accepted: 1,
            rejected: 1,
            unscored: 1,
            between: 0
        }
    );
    assert_eq!(edits.len(), 2);
    let (_, t) = triage(&ann, Some(0.95), None, "bot");
    assert_eq!((t.accepted, t.rejected, t.between), (0, 0, 2));
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 5e-5
}

#[test]
fn wilson_hand_computed() {
    // 8/10: p = 0.8, z² = 3.8416, denominator 1.38416,
    // centre 0.99208 / 1.38416 = 0.71673,
    // half 1.96·√(0.016 + 0.009604) / 1.38416 = 0.22658.
    let (lo, hi) = wilson(8, 10, 1.96).unwrap();
    assert!(close(lo, 0.4902) && close(hi, 0.9433), "{lo} {hi}");
    assert_eq!(wilson(0, 0, 1.96), None);
    // 10/10: centre (1 + 0.19208)/1.38416 = 0.86122, half
    // 1.96·√0.009604/1.38416 = 0.13877: (0.7225, 1).
    let (lo, hi) = wilson(10, 10, 1.96).unwrap();
    assert!(close(lo, 0.7225) && close(hi, 1.0), "{lo} {hi}");
    // 0/5: z²/n = 0.76832, centre 0.38416/1.76832 = 0.21725, half
    // 1.96·√(3.8416/100)/1.76832 = 0.21725: (0, 0.4345).
    let (lo, hi) = wilson(0, 5, 1.96).unwrap();
    assert!(close(lo, 0.0) && close(hi, 0.4345), "{lo} {hi}");
}

#[test]
fn scorecard_counts_by_model_and_by_the_models_label() {
    let (mut ann, text) = setup();
    let mut h = History::default();
    apply(&mut h, &mut ann, &text, 1, &Decision::Accept);
    apply(
        &mut h,
        &mut ann,
        &text,
        2,
        &Decision::Relabel("denial".into()),
    );
    // Span 3 stays pending.
    let mut card = Scorecard::default();
    card.add(&ann);
    card.add(&ann);
    assert_eq!(card.files, 2);
    let v0 = card.per_model["attrib-v0"];
    assert_eq!((v0.accepted, v0.corrected_label, v0.decided()), (2, 2, 4));
    assert_eq!(v0.precision(), Some(0.5));
    let claim = card.per_label[&("attrib-v0".to_owned(), "claim".to_owned())];
    assert_eq!(claim.corrected_label, 2, "counted under the model's label");
    assert!(
        !card
            .per_label
            .contains_key(&("attrib-v0".to_owned(), "denial".to_owned()))
    );
    let v1 = card.per_model["attrib-v1"];
    assert_eq!((v1.pending, v1.precision(), v1.wilson95()), (2, None, None));
    assert_eq!(card.total.total(), 6, "the human span is not counted");

    let mut t = Tally::default();
    let mut s = ann.span(SpanId(2)).unwrap().clone();
    s.set_range(&text, range("kapal itu")).unwrap();
    t.add_span(&s);
    s.label = "claim".into();
    t.add_span(&s);
    s.proposed = None;
    t.add_span(&s);
    assert_eq!(
        (t.corrected_both, t.corrected_boundary, t.corrected_label),
        (2, 1, 0)
    );
}
