//! Tests of [`super`].
use super::*;

fn text() -> Text {
    Text::new("Gedung Putih menuding Korea Utara mengirim peluru.".to_owned())
}

fn span(t: &Text, id: u64, r: Range<usize>) -> Span {
    Span::new_in(t, SpanId(id), "claim", r, Origin::default()).unwrap()
}

#[test]
fn spans_come_in_document_order_whatever_the_insertion_order() {
    let t = text();
    let mut a = Annotations::default();
    a.insert_span(span(&t, 3, 22..33)).unwrap();
    a.insert_span(span(&t, 1, 0..12)).unwrap();
    a.insert_span(span(&t, 2, 0..5)).unwrap();
    let ids: Vec<u64> = a.spans().map(|s| s.id.0).collect();
    assert_eq!(ids, [2, 1, 3]);
    assert_eq!(a.next_span_id(), SpanId(4));
}

#[test]
fn new_span_takes_quote_and_context_from_the_text() {
    let t = text();
    let s = span(&t, 1, 22..33);
    assert_eq!(s.text, "Korea Utara");
    assert_eq!(s.before, "dung Putih menuding ", "20 chars");
    assert_eq!(s.after, " mengirim peluru.");
    assert!(Span::new_in(&t, SpanId(1), "claim", 40..99, Origin::default()).is_none());
}

#[test]
fn overlap_query_finds_nested_and_crossing_spans() {
    let t = text();
    let mut a = Annotations::default();
    a.insert_span(span(&t, 1, 0..50)).unwrap();
    a.insert_span(span(&t, 2, 0..12)).unwrap();
    a.insert_span(span(&t, 3, 22..33)).unwrap();
    let hit: Vec<u64> = a.spans_overlapping(10..23).map(|s| s.id.0).collect();
    assert_eq!(hit, [2, 1, 3]);
    let hit: Vec<u64> = a.spans_overlapping(12..22).map(|s| s.id.0).collect();
    assert_eq!(hit, [1]);
    let hit: Vec<u64> = a.spans_overlapping(49..50).map(|s| s.id.0).collect();
    assert_eq!(hit, [1]);
    a.remove_span(SpanId(1)).unwrap();
    let hit: Vec<u64> = a.spans_overlapping(40..50).map(|s| s.id.0).collect();
    assert!(hit.is_empty());
}

#[test]
fn links_guard_their_spans() {
    let t = text();
    let mut a = Annotations::default();
    a.insert_span(span(&t, 1, 0..12)).unwrap();
    a.insert_span(span(&t, 2, 22..33)).unwrap();
    let link = Link {
        id: LinkId(1),
        kind: "said_by".into(),
        from: SpanId(2),
        to: SpanId(1),
    };
    a.insert_link(link.clone()).unwrap();
    assert_eq!(a.insert_link(link), Err(ModelError::DuplicateId(1)));
    assert_eq!(
        a.remove_span(SpanId(1)),
        Err(ModelError::SpanHasLinks(SpanId(1)))
    );
    a.remove_link(LinkId(1)).unwrap();
    a.remove_span(SpanId(1)).unwrap();
    let dangling = Link {
        id: LinkId(2),
        kind: "said_by".into(),
        from: SpanId(2),
        to: SpanId(9),
    };
    assert_eq!(
        a.insert_link(dangling),
        Err(ModelError::NoSuchSpan(SpanId(9)))
    );
}

#[test]
fn replace_keeps_the_order_index_in_step() {
    let t = text();
    let mut a = Annotations::default();
    a.insert_span(span(&t, 1, 0..12)).unwrap();
    a.insert_span(span(&t, 2, 22..33)).unwrap();
    let mut moved = a.span(SpanId(1)).unwrap().clone();
    moved.set_range(&t, 34..42).unwrap();
    a.replace_span(moved).unwrap();
    let ids: Vec<u64> = a.spans().map(|s| s.id.0).collect();
    assert_eq!(ids, [2, 1]);
    assert_eq!(a.span(SpanId(1)).unwrap().text, "mengirim");
}

/// The counts the model keeps, computed by a scan.
fn scanned_counts(a: &Annotations) -> (BTreeMap<String, usize>, usize) {
    let mut counts = BTreeMap::new();
    for s in a.spans().filter(|s| !s.is_rejected()) {
        *counts.entry(s.label.clone()).or_default() += 1;
    }
    (counts, a.spans().filter(|s| s.orphan).count())
}

#[test]
fn new_ids_avoid_dangling_link_ends_and_never_overflow() {
    // Found by fuzzing: a link read from a file may name a span that is
    // not there; a new span with that id would silently get the link
    // (and deleting it could not be undone). `id + 1` overflowed at
    // `u64::MAX`.
    let mut a = Annotations::default();
    a.insert_span(Span {
        id: SpanId(2),
        ..Span::default()
    })
    .unwrap();
    a.insert_link_unchecked(Link {
        id: LinkId(1),
        kind: "said_by".into(),
        from: SpanId(2),
        to: SpanId(7),
    })
    .unwrap();
    assert_eq!(a.next_span_id(), SpanId(8));
    a.insert_span(Span {
        id: SpanId(u64::MAX),
        ..Span::default()
    })
    .unwrap();
    assert_eq!(a.next_span_id(), SpanId(1));
    a.insert_link_unchecked(Link {
        id: LinkId(u64::MAX),
        kind: "said_by".into(),
        from: SpanId(1),
        to: SpanId(2),
    })
    .unwrap();
    assert_eq!(a.next_link_id(), LinkId(2));
    assert_eq!(a.next_span_id(), SpanId(3), "1 is a link end now");
    // Nor can a span take such an id explicitly.
    let taken = Span {
        id: SpanId(7),
        ..Span::default()
    };
    assert_eq!(a.insert_span(taken), Err(ModelError::DuplicateId(7)));
}

proptest::proptest! {
    #[test]
    fn kept_counts_agree_with_a_scan(
        ops in proptest::collection::vec((0u8..3, 1u64..20, 0usize..3, 0usize..3, proptest::bool::ANY), 0..80),
    ) {
        let labels = ["claim", "source", "denial"];
        let statuses = [None, Some(Status::Rejected), Some(Status::Accepted)];
        let mut a = Annotations::default();
        for (op, id, label, status, orphan) in ops {
            let span = Span {
                id: SpanId(id),
                label: labels[label].to_owned(),
                start: id as usize,
                end: id as usize + 3,
                status: statuses[status],
                orphan,
                ..Span::default()
            };
            match op {
                0 => { let _ = a.insert_span(span); }
                1 => { let _ = a.remove_span(SpanId(id)); }
                _ => { let _ = a.replace_span(span); }
            }
            let (counts, orphans) = scanned_counts(&a);
            proptest::prop_assert_eq!(a.label_counts(), &counts);
            proptest::prop_assert_eq!(a.orphan_count(), orphans);
            let ids: Vec<SpanId> = a.spans().map(|s| s.id).collect();
            proptest::prop_assert_eq!(a.ids().collect::<Vec<_>>(), ids);
        }
    }

    #[test]
    fn overlap_query_agrees_with_a_scan(
        spans in proptest::collection::vec((0usize..200, 0usize..80), 0..60),
        remove in proptest::collection::vec(0usize..60, 0..20),
        q in (0usize..250, 0usize..40),
    ) {
        let mut a = Annotations::default();
        for (i, (start, len)) in spans.iter().enumerate() {
            a.insert_span(Span { id: SpanId(i as u64 + 1), start: *start, end: start + len, ..Span::default() }).unwrap();
        }
        for r in remove {
            let _ = a.remove_span(SpanId(r as u64 + 1));
        }
        let range = q.0..q.0 + q.1;
        let fast: Vec<SpanId> = a.spans_overlapping(range.clone()).map(|s| s.id).collect();
        let slow: Vec<SpanId> = a.spans().filter(|s| s.start < range.end && s.end > range.start).map(|s| s.id).collect();
        proptest::prop_assert_eq!(fast, slow);
    }
}
