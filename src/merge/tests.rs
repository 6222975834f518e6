//! Tests of the N-way merge and of adjudication.

use super::*;
use crate::edit::{Edit, History};
use crate::model::{
    Annotations, DisputeId, DisputeKind, DocumentRef, Link, LinkId, Origin, Span, SpanId, Status,
};
use crate::offsets::Text;

/// A short wire story of our own.
pub(super) const TEXT: &str = "SURABAYA (Kabar) – Dinas Perhubungan mengatakan dermaga baru di Gresik akan dibuka bulan Mei. Kepala dinas, Sari Wulandari, menyebut pengerukan sudah selesai. Para nelayan membantah klaim itu.";

pub(super) fn text() -> Text {
    Text::new(TEXT.to_owned())
}

/// The char range of `quote` (unique in the story).
pub(super) fn at(quote: &str) -> std::ops::Range<usize> {
    let b = TEXT
        .find(quote)
        .unwrap_or_else(|| panic!("{quote:?} not in the story"));
    let s = TEXT[..b].chars().count();
    s..s + quote.chars().count()
}

pub(super) fn span(id: u64, label: &str, quote: &str, who: &str) -> Span {
    let origin = Origin::Human {
        annotator: who.into(),
    };
    Span::new_in(&text(), SpanId(id), label, at(quote), origin).unwrap()
}

pub(super) fn link(id: u64, from: u64, to: u64) -> Link {
    Link {
        id: LinkId(id),
        kind: "said_by".into(),
        from: SpanId(from),
        to: SpanId(to),
    }
}

/// A set of `who`'s spans (id, label, quote) and `said_by` links (id, from, to).
pub(super) fn set(
    who: &str,
    spans: &[(u64, &str, &str)],
    links: &[(u64, u64, u64)],
) -> Annotations {
    let mut a = Annotations::new(DocumentRef {
        path: "kabar.txt".into(),
        sha256: "ab12".into(),
        chars: TEXT.chars().count(),
    });
    for &(id, label, quote) in spans {
        a.insert_span(span(id, label, quote, who)).unwrap();
    }
    for &(id, from, to) in links {
        a.insert_link(link(id, from, to)).unwrap();
    }
    a
}

pub(super) fn chars() -> usize {
    TEXT.chars().count()
}

fn merge2(a: &Annotations, b: &Annotations) -> Merged {
    let sets = [
        Annotator {
            name: "ana",
            annotations: a,
        },
        Annotator {
            name: "budi",
            annotations: b,
        },
    ];
    merge(&sets, chars(), Options::default()).unwrap()
}

/// (label, quote) of the live spans, in text order.
pub(super) fn live(a: &Annotations) -> Vec<(String, String)> {
    a.spans()
        .map(|s| (s.label.clone(), s.text.clone()))
        .collect()
}

/// (from quote, to quote) of the live links.
pub(super) fn live_links(a: &Annotations) -> Vec<(String, String)> {
    let q = |id| {
        a.span(id)
            .map_or_else(|| "?".to_owned(), |s: &Span| s.text.clone())
    };
    let mut v: Vec<_> = a.links().map(|l| (q(l.from), q(l.to))).collect();
    v.sort();
    v
}

fn settle(a: &mut Annotations, h: &mut History, id: DisputeId, take: &[usize]) {
    let edit = Edit::Settle {
        dispute: id,
        take: take.to_vec(),
    };
    h.apply(a, &text(), "Settle", vec![edit]).unwrap();
}

const ANA: &[(u64, &str, &str)] = &[
    (1, "source", "Dinas Perhubungan"),
    (2, "claim", "dermaga baru di Gresik akan dibuka bulan Mei"),
    (3, "source", "Kepala dinas, Sari Wulandari"),
    (4, "claim", "pengerukan sudah selesai"),
];

#[test]
fn what_all_agree_on_goes_in_once_recording_who_agreed() {
    let a = set("ana", ANA, &[(1, 2, 1), (2, 4, 3)]);
    let b = set("budi", ANA, &[(7, 2, 1), (8, 4, 3)]);
    let m = merge2(&a, &b);
    assert_eq!(m.annotations.open_dispute_count(), 0);
    assert_eq!((m.report.agreed_spans, m.report.agreed_links), (4, 2));
    assert_eq!(live(&m.annotations), live(&a));
    assert_eq!(live_links(&m.annotations), live_links(&a));
    for s in m.annotations.spans() {
        assert_eq!(s.agreed, ["ana", "budi"]);
        assert_eq!(
            Some(s.id),
            a.spans().find(|x| x.text == s.text).map(|x| x.id),
            "ana's ids"
        );
    }
    assert_eq!(crate::format::version_for(&m.annotations), 3);
}

#[test]
fn every_kind_of_span_dispute_in_text_order() {
    let a = set(
        "ana",
        &[
            (1, "source", "Dinas Perhubungan"),
            (2, "claim", "dermaga baru di Gresik akan dibuka bulan Mei"),
            (3, "source", "Kepala dinas, Sari Wulandari"),
            (4, "denial", "membantah klaim itu"),
        ],
        &[],
    );
    let mut b = set(
        "budi",
        &[
            (1, "claim", "Dinas Perhubungan"),
            (2, "claim", "dermaga baru di Gresik akan dibuka"),
            (3, "source", "Kepala dinas, Sari Wulandari"),
            (5, "claim", "pengerukan sudah selesai"),
        ],
        &[],
    );
    let mut s3 = b.span(SpanId(3)).unwrap().clone();
    s3.note = Some("nama lengkap di paragraf dua".into());
    b.replace_span(s3).unwrap();
    let mut a3 = a.span(SpanId(3)).unwrap().clone();
    a3.note = Some("jabatan tidak jelas".into());
    let mut a = a;
    a.replace_span(a3).unwrap();
    let m = merge2(&a, &b);
    let ann = &m.annotations;
    let kinds: Vec<DisputeKind> = queue(ann).iter().map(|d| d.kind()).collect();
    assert_eq!(
        kinds,
        [
            DisputeKind::Label,
            DisputeKind::Boundary,
            DisputeKind::Note,
            DisputeKind::Presence,
            DisputeKind::Presence,
        ]
    );
    assert_eq!(m.report.disputes.len(), 5);
    // The note dispute keeps its span live, with no note until settled.
    let s3 = ann.span(SpanId(3)).unwrap();
    assert_eq!(s3.note, None);
    let first = queue(ann)[0];
    assert_eq!(
        describe(first, ann),
        format!(
            "dispute 1 (label) at {}..{} \"Dinas Perhubungan\": ana: source; budi: claim",
            at("Dinas Perhubungan").start,
            at("Dinas Perhubungan").end
        )
    );
    let note = queue(ann)[2];
    assert!(
        describe(note, ann)
            .ends_with("ana: \"jabatan tidak jelas\"; budi: \"nama lengkap di paragraf dua\"")
    );
    assert_eq!(
        progress(ann),
        Progress {
            settled: 0,
            total: 5
        }
    );
    // Nothing disputed is live: only the agreed span 3.
    assert_eq!(
        live(ann),
        [("source".into(), "Kepala dinas, Sari Wulandari".into())]
    );
}

#[test]
fn links_go_with_their_disputed_spans_and_settling_takes_them() {
    // Both tag the claim; the source is drawn differently, each linked.
    let a = set(
        "ana",
        &[
            (1, "source", "Kepala dinas, Sari Wulandari"),
            (2, "claim", "pengerukan sudah selesai"),
        ],
        &[(1, 2, 1)],
    );
    let b = set(
        "budi",
        &[
            (1, "source", "Sari Wulandari"),
            (2, "claim", "pengerukan sudah selesai"),
        ],
        &[(1, 2, 1)],
    );
    let m = merge2(&a, &b);
    let mut ann = m.annotations;
    assert_eq!(ann.link_count(), 0, "each link waits in its alternative");
    let d = queue(&ann)[0].clone();
    assert_eq!(d.kind(), DisputeKind::Boundary);
    assert!(d.alternatives.iter().all(|a| a.links.len() == 1));
    assert!(
        d.can_combine(&[0, 1]),
        "two drawings of a source can coexist"
    );
    let before = ann.clone();
    let mut h = History::default();
    settle(&mut ann, &mut h, d.id, &[1]);
    assert_eq!(
        live_links(&ann),
        [("pengerukan sudah selesai".into(), "Sari Wulandari".into())]
    );
    assert_eq!(
        progress(&ann),
        Progress {
            settled: 1,
            total: 1
        }
    );
    assert!(queue(&ann).is_empty());
    h.undo(&mut ann, &text()).unwrap();
    assert_eq!(ann, before, "undo puts the dispute back exactly");
    settle(&mut ann, &mut h, d.id, &[0, 1]);
    assert_eq!(ann.link_count(), 2);
    assert_eq!(ann.span_count(), 3);
    h.undo(&mut ann, &text()).unwrap();
    settle(&mut ann, &mut h, d.id, &[]);
    assert_eq!(
        live(&ann),
        [("claim".into(), "pengerukan sudah selesai".into())]
    );
    assert_eq!(ann.link_count(), 0);
    // Saved, a settled dispute is gone from the file.
    let written = crate::format::write(&ann, &[]);
    assert!(!written.contains("disputes"), "{written}");
}

#[test]
fn a_link_between_two_disputed_spans_waits_for_both() {
    let a = set(
        "ana",
        &[
            (1, "source", "Kepala dinas, Sari Wulandari"),
            (2, "claim", "pengerukan sudah selesai"),
        ],
        &[(1, 2, 1)],
    );
    let b = set("budi", &[], &[]);
    let m = merge2(&a, &b);
    let mut ann = m.annotations;
    let q: Vec<DisputeId> = queue(&ann).iter().map(|d| d.id).collect();
    assert_eq!(q.len(), 2);
    let mut h = History::default();
    // The claim first (the link's home): the link moves to the source's
    // dispute, and comes in with it.
    let claim = *q.last().unwrap();
    let source = q[0];
    settle(&mut ann, &mut h, claim, &[0]);
    assert_eq!(ann.link_count(), 0);
    assert_eq!(ann.dispute(source).unwrap().alternatives[0].links.len(), 1);
    settle(&mut ann, &mut h, source, &[0]);
    assert_eq!(ann.link_count(), 1);
    h.undo(&mut ann, &text()).unwrap();
    h.undo(&mut ann, &text()).unwrap();
    assert_eq!(ann.open_dispute_count(), 2);
    assert!(
        ann.dispute(source).unwrap().alternatives[0]
            .links
            .is_empty()
    );
    // Neither source: the link has nothing to point to and goes.
    settle(&mut ann, &mut h, source, &[1]);
    settle(&mut ann, &mut h, claim, &[0]);
    assert_eq!(ann.link_count(), 0);
    assert_eq!(
        live(&ann),
        [("claim".into(), "pengerukan sudah selesai".into())]
    );
}

#[test]
fn versions_of_one_span_cannot_both_be_taken() {
    let mut a = set("ana", &[(1, "claim", "pengerukan sudah selesai")], &[]);
    let mut b = a.clone();
    for (ann, note) in [(&mut a, "kutipan"), (&mut b, "parafrase")] {
        let mut s = ann.span(SpanId(1)).unwrap().clone();
        s.note = Some(note.into());
        ann.replace_span(s).unwrap();
    }
    let mut ann = merge2(&a, &b).annotations;
    let d = queue(&ann)[0].id;
    let err = Edit::Settle {
        dispute: d,
        take: vec![0, 1],
    }
    .apply(&mut ann, &text())
    .unwrap_err();
    assert!(err.to_string().contains("cannot both be taken"), "{err}");
    let err = Edit::Settle {
        dispute: d,
        take: vec![2],
    }
    .apply(&mut ann, &text())
    .unwrap_err();
    assert!(err.to_string().contains("not 3"), "{err}");
    let mut h = History::default();
    settle(&mut ann, &mut h, d, &[1]);
    assert_eq!(
        ann.span(SpanId(1)).unwrap().note.as_deref(),
        Some("parafrase")
    );
    let err = Edit::Settle {
        dispute: d,
        take: vec![0],
    }
    .apply(&mut ann, &text())
    .unwrap_err();
    assert!(err.to_string().contains("settled already"), "{err}");
}

#[test]
fn links_between_agreed_spans_are_disputed_per_source_span() {
    let spans = &[
        (1, "source", "Dinas Perhubungan"),
        (2, "source", "Kepala dinas, Sari Wulandari"),
        (3, "claim", "pengerukan sudah selesai"),
    ];
    let a = set("ana", spans, &[(1, 3, 2)]);
    let b = set("budi", spans, &[(1, 3, 1)]);
    let mut ann = merge2(&a, &b).annotations;
    let d = queue(&ann)[0].clone();
    assert_eq!(d.kind(), DisputeKind::Link);
    assert!(describe(&d, &ann).contains("ana: said_by -> \"Kepala dinas, Sari Wulandari\"; budi: said_by -> \"Dinas Perhubungan\""), "{}", describe(&d, &ann));
    let mut h = History::default();
    settle(&mut ann, &mut h, d.id, &[0, 1]);
    assert_eq!(ann.link_count(), 2, "a claim may have two sources");
}

#[test]
fn prefer_gives_the_preferred_annotators_spans_and_links() {
    let mut a = set("ana", ANA, &[(1, 2, 1), (2, 4, 3)]);
    let mut pending = span(9, "denial", "membantah klaim itu", "");
    pending.origin = Origin::Machine {
        model: "aturan-v1".into(),
        score: Some(0.4),
    };
    pending.status = Some(Status::Pending);
    a.insert_span(pending).unwrap();
    let b = set(
        "budi",
        &[
            (4, "claim", "dermaga baru di Gresik"),
            (5, "source", "Sari Wulandari"),
            (6, "claim", "pengerukan sudah selesai"),
        ],
        &[(3, 6, 5)],
    );
    for (who, want) in [(0, &a), (1, &b)] {
        let sets = [
            Annotator {
                name: "ana",
                annotations: &a,
            },
            Annotator {
                name: "budi",
                annotations: &b,
            },
        ];
        let m = merge(
            &sets,
            chars(),
            Options {
                reference: who,
                prefer: true,
            },
        )
        .unwrap();
        assert!(!m.report.disputes.is_empty());
        assert_eq!(m.annotations.open_dispute_count(), 0);
        let spans: Vec<&Span> = m.annotations.spans().collect();
        let wanted: Vec<&Span> = want.spans().collect();
        assert_eq!(spans, wanted, "preferring {who}");
        let links: Vec<&Link> = m.annotations.links().collect();
        assert_eq!(links, want.links().collect::<Vec<_>>());
    }
}

#[test]
fn spans_that_do_not_count_are_carried_only_if_all_have_them() {
    let machine = |id, quote, status| {
        let mut s = span(id, "claim", quote, "");
        s.origin = Origin::Machine {
            model: "aturan-v1".into(),
            score: None,
        };
        s.status = Some(status);
        s
    };
    let mut a = set("ana", &[], &[]);
    let mut b = set("budi", &[], &[]);
    a.insert_span(machine(1, "pengerukan sudah selesai", Status::Pending))
        .unwrap();
    b.insert_span(machine(1, "pengerukan sudah selesai", Status::Pending))
        .unwrap();
    a.insert_span(machine(2, "dermaga baru di Gresik", Status::Rejected))
        .unwrap();
    b.insert_span(machine(2, "dermaga baru di Gresik", Status::Pending))
        .unwrap();
    let m = merge2(&a, &b);
    assert_eq!(m.report.carried, 1);
    assert_eq!(
        m.annotations.open_dispute_count(),
        0,
        "a tag nobody stood behind is no dispute"
    );
    assert_eq!(m.report.left_out[0].rejected, 1);
    assert_eq!(m.report.left_out[1].pending, 1);
    assert_eq!(
        live(&m.annotations),
        [("claim".into(), "pengerukan sudah selesai".into())]
    );
}

#[test]
fn three_annotators_share_alternatives() {
    let claim = &[(1, "claim", "pengerukan sudah selesai")];
    let a = set("ana", claim, &[]);
    let b = set("budi", &[], &[]);
    let c = set("citra", claim, &[]);
    let sets = [
        Annotator {
            name: "ana",
            annotations: &a,
        },
        Annotator {
            name: "budi",
            annotations: &b,
        },
        Annotator {
            name: "citra",
            annotations: &c,
        },
    ];
    let m = merge(&sets, chars(), Options::default()).unwrap();
    let d = queue(&m.annotations)[0];
    assert_eq!(d.alternatives.len(), 2);
    assert_eq!(d.alternatives[0].by, ["ana", "citra"]);
    assert_eq!(d.alternatives[1].by, ["budi"]);
    assert!(d.alternatives[1].is_empty());
}

#[test]
fn prefer_settles_every_dispute_and_drops_it() {
    let a = set("ana", ANA, &[]);
    let b = set("budi", &[], &[]);
    let mut ann = merge2(&a, &b).annotations;
    assert_eq!(prefer(&mut ann, "budi").unwrap(), 4);
    assert_eq!(ann.span_count(), 0);
    assert_eq!(ann.disputes().count(), 0);
}
