//! Properties of merging: a set merged with itself is itself, with no
//! dispute; a three-way merge where one side changed nothing is the other
//! side; a file with disputes reads back as written; settling disputes
//! and undoing it all gives back what was there.

use proptest::prelude::*;

use super::tests::{TEXT, chars, text};
use super::*;
use crate::edit::{Edit, History};
use crate::model::{
    Alternative, Annotations, Dispute, DisputeId, DocumentRef, Entity, EntityId, Link, LinkId,
    Origin, Span, SpanId, Status,
};

const LABELS: [&str; 3] = ["claim", "source", "denial"];

/// (id, label, start, length, note, machine, entity)
type SpanSpec = (
    u64,
    usize,
    usize,
    usize,
    Option<u8>,
    Option<u8>,
    Option<u64>,
);

fn arb_span() -> impl Strategy<Value = SpanSpec> {
    (
        1u64..40,
        0usize..3,
        0usize..160,
        1usize..30,
        prop::option::of(0u8..3),
        prop::option::of(0u8..4),
        prop::option::of(1u64..4),
    )
}

fn make_span((id, label, start, len, note, machine, entity): SpanSpec, who: &str) -> Span {
    let end = (start + len).min(chars());
    let mut s = Span::new_in(
        &text(),
        SpanId(id),
        LABELS[label],
        start..end,
        Origin::default(),
    )
    .unwrap_or_default();
    s.id = SpanId(id);
    s.label = LABELS[label].into();
    s.note = note.map(|n| ["cek", "ricek", "kutipan"][n as usize].into());
    s.entity = entity.map(EntityId);
    match machine {
        None => {
            s.origin = Origin::Human {
                annotator: who.into(),
            };
        }
        Some(m) => {
            s.origin = Origin::Machine {
                model: "aturan-v1".into(),
                score: Some(0.5),
            };
            s.status = Some(Status::ALL[m as usize]);
        }
    }
    s
}

/// A set from specs: spans (duplicate ids skipped), links between any ids
/// (some dangling), entities, done.
fn make_set(
    spans: &[SpanSpec],
    links: &[(u64, u64, u64)],
    entities: &[u64],
    done: bool,
    who: &str,
) -> Annotations {
    let mut a = Annotations::new(DocumentRef {
        path: "kabar.txt".into(),
        sha256: "ab12".into(),
        chars: chars(),
    });
    a.done = done;
    for &e in entities {
        let _ = a.insert_entity(Entity {
            id: EntityId(e),
            name: format!("Narasumber {e}"),
            role: None,
        });
    }
    for &s in spans {
        let _ = a.insert_span(make_span(s, who));
    }
    for &(id, from, to) in links {
        let _ = a.insert_link_unchecked(Link {
            id: LinkId(id),
            kind: "said_by".into(),
            from: SpanId(from),
            to: SpanId(to),
        });
    }
    a
}

fn arb_set(who: &'static str) -> impl Strategy<Value = Annotations> {
    (
        prop::collection::vec(arb_span(), 0..12),
        prop::collection::vec((1u64..20, 1u64..42, 1u64..42), 0..8),
        prop::collection::vec(1u64..4, 0..3),
        any::<bool>(),
    )
        .prop_map(move |(s, l, e, d)| make_set(&s, &l, &e, d, who))
}

fn without_agreed(a: &Annotations) -> Vec<Span> {
    a.spans()
        .map(|s| Span {
            agreed: Vec::new(),
            ..s.clone()
        })
        .collect()
}

/// A few disputes over spans of their own (ids above the live ones), to
/// put in a set.
fn arb_disputes() -> impl Strategy<Value = Vec<Vec<(Vec<SpanSpec>, bool)>>> {
    prop::collection::vec(
        prop::collection::vec(
            (prop::collection::vec(arb_span(), 0..3), any::<bool>()),
            2..4,
        ),
        0..3,
    )
}

fn add_disputes(a: &mut Annotations, specs: &[Vec<(Vec<SpanSpec>, bool)>]) {
    let mut next = a.next_span_id().0 + 100;
    for alts in specs {
        let id = a.next_dispute_id();
        let alternatives = alts
            .iter()
            .enumerate()
            .map(|(k, (spans, linked))| {
                let spans: Vec<Span> = spans
                    .iter()
                    .map(|&s| {
                        next += 1;
                        Span {
                            id: SpanId(next),
                            agreed: vec!["ana".into(), "budi".into()],
                            ..make_span(s, "budi")
                        }
                    })
                    .collect();
                let links = match (spans.first(), linked) {
                    (Some(s), true) => vec![Link {
                        id: LinkId(1000 + next),
                        kind: "said_by".into(),
                        from: s.id,
                        to: SpanId(1),
                    }],
                    _ => Vec::new(),
                };
                Alternative {
                    by: vec![format!("annotator \"{k}\"")],
                    spans,
                    links,
                    entities: Vec::new(),
                }
            })
            .collect();
        a.insert_dispute(Dispute {
            id,
            alternatives,
            settled: None,
        })
        .unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_set_merged_with_itself_is_itself_with_no_dispute(a in arb_set("ana")) {
        let sets = [
            Annotator { name: "ana", annotations: &a },
            Annotator { name: "ana#2", annotations: &a },
        ];
        let m = merge(&sets, chars(), Options::default()).unwrap();
        prop_assert_eq!(m.annotations.open_dispute_count(), 0);
        prop_assert!(m.report.disputes.is_empty());
        prop_assert_eq!(without_agreed(&m.annotations), without_agreed(&a));
        prop_assert_eq!(m.annotations.links().collect::<Vec<_>>(), a.links().collect::<Vec<_>>());
        prop_assert_eq!(m.annotations.entities().collect::<Vec<_>>(), a.entities().collect::<Vec<_>>());
        prop_assert_eq!(m.annotations.done, a.done);
    }

    #[test]
    fn a_three_way_merge_with_an_unchanged_side_is_the_other_side(
        base in arb_set("ana"),
        other in arb_set("budi"),
        disputes in arb_disputes(),
    ) {
        let mut other = other;
        add_disputes(&mut other, &disputes);
        prop_assert_eq!(&three_way(&base, &base, &other).annotations, &other);
        prop_assert_eq!(&three_way(&base, &other, &base).annotations, &other);
        prop_assert_eq!(&three_way(&other, &other, &other).annotations, &other);
    }

    #[test]
    fn a_file_with_disputes_reads_back_as_written(
        a in arb_set("ana"),
        disputes in arb_disputes(),
    ) {
        let mut a = a;
        add_disputes(&mut a, &disputes);
        let first = crate::format::write(&a, &LABELS);
        let raw = crate::format::parse(&first)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{first}")))?;
        prop_assert_eq!(raw.version, crate::format::version_for(&a));
        let (back, findings) = crate::store::without_article(raw);
        prop_assert!(findings.is_empty(), "{:?}", findings);
        prop_assert_eq!(&back, &a);
        prop_assert_eq!(crate::format::write(&back, &LABELS), first);
    }

    #[test]
    fn settling_everything_then_undoing_it_all_gives_it_back(
        a in arb_set("ana"),
        b in arb_set("budi"),
        choices in prop::collection::vec(prop::collection::vec(0usize..3, 0..3), 0..12),
    ) {
        let sets = [
            Annotator { name: "ana", annotations: &a },
            Annotator { name: "budi", annotations: &b },
        ];
        let mut ann = merge(&sets, chars(), Options::default()).unwrap().annotations;
        let before = ann.clone();
        let mut h = History::default();
        let ids: Vec<DisputeId> = queue(&ann).iter().map(|d| d.id).collect();
        let mut steps = 0;
        for (id, take) in ids.iter().zip(choices.iter().cycle()) {
            let mut take = take.clone();
            take.dedup();
            let edit = Edit::Settle { dispute: *id, take };
            if h.apply(&mut ann, &text(), "Settle", vec![edit]).is_ok() {
                steps += 1;
            }
        }
        prop_assert_eq!(progress(&ann).settled, steps);
        for _ in 0..steps {
            prop_assert!(h.undo(&mut ann, &text()).unwrap());
        }
        prop_assert_eq!(&ann, &before);
        prop_assert!(TEXT.len() > 10);
    }
}
