//! Tests of the three-way merge.

use super::tests::{at, link, live, live_links, set, span, text};
use super::*;
use crate::edit::{Edit, History};
use crate::model::{Annotations, DisputeKind, LinkId, SpanId};

fn with_note(mut a: Annotations, id: u64, note: &str) -> Annotations {
    let mut s = a.span(SpanId(id)).unwrap().clone();
    s.note = Some(note.into());
    a.replace_span(s).unwrap();
    a
}

fn relabel(mut a: Annotations, id: u64, label: &str) -> Annotations {
    let mut s = a.span(SpanId(id)).unwrap().clone();
    s.label = label.into();
    a.replace_span(s).unwrap();
    a
}

const BASE: &[(u64, &str, &str)] = &[
    (1, "source", "Dinas Perhubungan"),
    (2, "claim", "dermaga baru di Gresik akan dibuka bulan Mei"),
];

#[test]
fn colliding_ids_a_note_and_a_link_merge_cleanly_to_the_union() {
    let base = set("", BASE, &[]);
    // Both add span 3 (and ours a 4); ours notes span 1, theirs links.
    let mut ours = with_note(base.clone(), 1, "dinas provinsi");
    ours.insert_span(span(3, "source", "Kepala dinas, Sari Wulandari", "ana"))
        .unwrap();
    ours.insert_span(span(4, "claim", "pengerukan sudah selesai", "ana"))
        .unwrap();
    let mut theirs = base.clone();
    theirs
        .insert_span(span(3, "denial", "membantah klaim itu", "budi"))
        .unwrap();
    theirs
        .insert_span(span(4, "source", "Para nelayan", "budi"))
        .unwrap();
    theirs.insert_link(link(1, 2, 1)).unwrap();
    theirs.insert_link(link(2, 3, 4)).unwrap();
    let m = three_way(&base, &ours, &theirs);
    let ann = &m.annotations;
    assert_eq!(m.disputes, 0);
    assert_eq!(ann.open_dispute_count(), 0);
    assert_eq!(m.renumbered, 2, "their spans 3 and 4");
    let labels: Vec<String> = live(ann)
        .into_iter()
        .map(|(l, q)| format!("{l}:{q}"))
        .collect();
    assert_eq!(
        labels,
        [
            "source:Dinas Perhubungan",
            "claim:dermaga baru di Gresik akan dibuka bulan Mei",
            "source:Kepala dinas, Sari Wulandari",
            "claim:pengerukan sudah selesai",
            "source:Para nelayan",
            "denial:membantah klaim itu",
        ]
    );
    assert_eq!(
        live_links(ann),
        [
            (
                "dermaga baru di Gresik akan dibuka bulan Mei".into(),
                "Dinas Perhubungan".into()
            ),
            ("membantah klaim itu".into(), "Para nelayan".into()),
        ],
        "their link follows their renumbered spans"
    );
    assert_eq!(
        ann.span(SpanId(1)).unwrap().note.as_deref(),
        Some("dinas provinsi")
    );
    // Ours keeps its ids.
    assert_eq!(ann.span(SpanId(3)).unwrap().label, "source");
}

#[test]
fn relabelling_one_span_differently_is_a_dispute_and_the_span_stays() {
    let base = set("", BASE, &[(1, 2, 1)]);
    let ours = relabel(base.clone(), 2, "denial");
    let theirs = relabel(base.clone(), 2, "source");
    let m = three_way(&base, &ours, &theirs);
    assert_eq!(m.disputes, 1);
    let ann = &m.annotations;
    let d = queue(ann)[0].clone();
    assert_eq!(d.kind(), DisputeKind::Label);
    assert_eq!(
        ann.span(SpanId(2)).unwrap().label,
        "claim",
        "the base's label until settled"
    );
    assert_eq!(ann.link_count(), 1, "its link is untouched");
    assert_eq!(d.alternatives[0].by, ["ours"]);
    assert_eq!(d.alternatives[1].by, ["theirs"]);
    let msg = describe(&d, ann);
    assert!(msg.ends_with("ours: denial; theirs: source"), "{msg}");
    let mut ann = ann.clone();
    Edit::Settle {
        dispute: d.id,
        take: vec![1],
    }
    .apply(&mut ann, &text())
    .unwrap();
    assert_eq!(ann.span(SpanId(2)).unwrap().label, "source");
    assert_eq!(ann.link_count(), 1);
}

#[test]
fn notes_changed_on_both_sides() {
    let base = set("", BASE, &[]);
    let same = three_way(
        &base,
        &with_note(base.clone(), 1, "cek"),
        &with_note(base.clone(), 1, "cek"),
    );
    assert_eq!(same.disputes, 0);
    assert_eq!(
        same.annotations.span(SpanId(1)).unwrap().note.as_deref(),
        Some("cek")
    );
    let differ = three_way(
        &base,
        &with_note(base.clone(), 1, "cek"),
        &with_note(base.clone(), 1, "ricek"),
    );
    let d = queue(&differ.annotations)[0];
    assert_eq!(d.kind(), DisputeKind::Note);
    assert_eq!(differ.annotations.span(SpanId(1)).unwrap().note, None);
    // A note on one side and a relabel on the other merge field by field.
    let both = three_way(
        &base,
        &with_note(base.clone(), 1, "cek"),
        &relabel(base.clone(), 1, "claim"),
    );
    assert_eq!(both.disputes, 0);
    let s = both.annotations.span(SpanId(1)).unwrap();
    assert_eq!(
        (s.label.as_str(), s.note.as_deref()),
        ("claim", Some("cek"))
    );
}

#[test]
fn deleted_on_one_side_changed_on_the_other_keeps_its_links_with_it() {
    let base = set("", BASE, &[(1, 2, 1)]);
    let mut ours = base.clone();
    ours.remove_link(LinkId(1)).unwrap();
    ours.remove_span(SpanId(1)).unwrap();
    let theirs = with_note(base.clone(), 1, "dinas kota");
    let m = three_way(&base, &ours, &theirs);
    let mut ann = m.annotations;
    let d = queue(&ann)[0].clone();
    assert_eq!(d.kind(), DisputeKind::Presence);
    assert!(d.alternatives[0].is_empty());
    assert_eq!(d.alternatives[1].links.len(), 1);
    assert_eq!(ann.link_count(), 0);
    let mut h = History::default();
    h.apply(
        &mut ann,
        &text(),
        "Settle",
        vec![Edit::Settle {
            dispute: d.id,
            take: vec![1],
        }],
    )
    .unwrap();
    assert_eq!(
        ann.span(SpanId(1)).unwrap().note.as_deref(),
        Some("dinas kota")
    );
    assert_eq!(ann.link_count(), 1);
    // Deleted on one side, untouched on the other: deleted.
    let m = three_way(&base, &ours, &base);
    assert_eq!(m.annotations.span_count(), 1);
    assert_eq!(m.annotations.link_count(), 0);
    // A link added to a span the other side deleted: a dispute too.
    let mut linked = set(
        "",
        &[BASE[0], BASE[1], (3, "claim", "pengerukan sudah selesai")],
        &[(1, 2, 1)],
    );
    let base3 = linked.clone();
    linked.insert_link(link(2, 3, 1)).unwrap();
    let mut gone = base3.clone();
    gone.remove_link(LinkId(1)).unwrap();
    gone.remove_span(SpanId(1)).unwrap();
    let m = three_way(&base3, &gone, &linked);
    assert_eq!(m.disputes, 1);
    assert_eq!(queue(&m.annotations)[0].alternatives[1].links.len(), 2);
}

#[test]
fn spans_both_sides_added() {
    let base = set("", &[], &[]);
    let ours = set(
        "ana",
        &[
            (1, "claim", "pengerukan sudah selesai"),
            (2, "source", "Para nelayan"),
        ],
        &[],
    );
    let theirs = set(
        "budi",
        &[
            (1, "claim", "pengerukan sudah selesai"),
            (2, "source", "nelayan"),
            (3, "denial", "membantah klaim itu"),
        ],
        &[],
    );
    let m = three_way(&base, &ours, &theirs);
    let ann = &m.annotations;
    assert_eq!(m.disputes, 1, "only the two drawings of one source");
    assert_eq!(m.names, ("ana".to_owned(), "budi".to_owned()));
    let d = queue(ann)[0];
    assert_eq!(d.kind(), DisputeKind::Boundary);
    assert_eq!(d.alternatives[0].by, ["ana"]);
    assert_eq!(
        live(ann),
        [
            ("claim".into(), "pengerukan sudah selesai".into()),
            ("denial".into(), "membantah klaim itu".into())
        ]
    );
    assert_eq!(d.range(ann), Some(at("Para nelayan")));
}

#[test]
fn done_and_an_unchanged_side() {
    let base = set("", BASE, &[(1, 2, 1)]);
    let mut ours = with_note(base.clone(), 2, "dua sumber");
    ours.done = true;
    assert_eq!(three_way(&base, &ours, &base).annotations, ours);
    assert_eq!(three_way(&base, &base, &ours).annotations, ours);
    let theirs = relabel(base.clone(), 1, "claim");
    assert!(three_way(&base, &ours, &theirs).annotations.done);
}

#[test]
fn disputes_a_file_already_holds_follow_their_sides() {
    let base = set("", BASE, &[]);
    let ours = relabel(base.clone(), 2, "denial");
    let theirs = relabel(base.clone(), 2, "source");
    let disputed = three_way(&base, &ours, &theirs).annotations;
    let id = queue(&disputed)[0].id;
    // One side settles it, the other adds a span elsewhere.
    let mut settled = disputed.clone();
    Edit::Settle {
        dispute: id,
        take: vec![0],
    }
    .apply(&mut settled, &text())
    .unwrap();
    settled.remove_dispute(id).unwrap();
    let mut added = disputed.clone();
    added
        .insert_span(span(9, "claim", "pengerukan sudah selesai", "budi"))
        .unwrap();
    let m = three_way(&disputed, &settled, &added);
    assert_eq!(m.annotations.open_dispute_count(), 0);
    assert_eq!(m.annotations.span(SpanId(2)).unwrap().label, "denial");
    assert_eq!(m.annotations.span_count(), 3);
    // Kept on both sides: still there.
    let m = three_way(&disputed, &disputed, &added);
    assert_eq!(m.annotations.open_dispute_count(), 1);
}

#[test]
fn two_review_decisions_on_one_machine_tag() {
    use crate::model::Status::{Accepted, Corrected};
    let mut base = set("", &[], &[]);
    let mut tag = span(1, "claim", "pengerukan sudah selesai", "");
    tag.origin = crate::model::Origin::Machine {
        model: "aturan-v1".into(),
        score: Some(0.7),
    };
    tag.status = Some(crate::model::Status::Pending);
    base.insert_span(tag.clone()).unwrap();
    let decide = |status, reviewer: &str, label: &str| {
        let mut a = base.clone();
        let mut s = tag.clone();
        s.status = Some(status);
        s.reviewer = Some(reviewer.into());
        s.label = label.into();
        a.replace_span(s).unwrap();
        a
    };
    let both = three_way(
        &base,
        &decide(Accepted, "ana", "claim"),
        &decide(Accepted, "budi", "claim"),
    );
    assert_eq!(both.disputes, 0, "the same decision");
    let m = three_way(
        &base,
        &decide(Accepted, "ana", "claim"),
        &decide(Corrected, "budi", "denial"),
    );
    let d = queue(&m.annotations)[0];
    assert_eq!(d.kind(), DisputeKind::Label);
    assert_eq!(d.alternatives[0].spans[0].status, Some(Accepted));
    assert_eq!(
        d.alternatives[0].spans[0].label, "claim",
        "ana accepted the claim"
    );
    assert_eq!(
        m.annotations.span(SpanId(1)).unwrap().status,
        Some(crate::model::Status::Pending)
    );
    let m = three_way(
        &base,
        &decide(Accepted, "ana", "claim"),
        &decide(crate::model::Status::Rejected, "budi", "claim"),
    );
    let d = queue(&m.annotations)[0];
    assert_eq!(d.kind(), DisputeKind::Review);
    assert!(
        describe(d, &m.annotations)
            .ends_with("ana: Accepted by \"ana\"; budi: Rejected by \"budi\"")
    );
}
