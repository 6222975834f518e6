//! Tests of [`super`]: steps apply whole or not at all, and undo gives
//! back the same bytes.

use super::*;
use crate::format;
use crate::model::{DocumentRef, Origin};
use proptest::prelude::*;

const ARTICLE: &str = "\u{feff}JAKARTA — Gedung Putih menuding “Korea Utara” mengirim 👍🏽 peluru.\r\nPyongyang membantah tuduhan itu.\r\n";
const LABELS: &[&str] = &["claim", "source", "denial"];

fn setup() -> (Annotations, Text) {
    let text = Text::new(ARTICLE.to_owned());
    let mut ann = Annotations::new(DocumentRef {
        path: "a.txt".into(),
        sha256: String::new(),
        chars: text.len_chars(),
    });
    for (id, r, label) in [
        (1, 11..23, "source"),
        (2, 34..45, "claim"),
        (3, 68..77, "source"),
    ] {
        let s = Span::new_in(&text, SpanId(id), label, r, Origin::default()).unwrap();
        ann.insert_span(s).unwrap();
    }
    ann.insert_link(Link {
        id: LinkId(1),
        kind: "said_by".into(),
        from: SpanId(2),
        to: SpanId(1),
    })
    .unwrap();
    (ann, text)
}

#[test]
fn delete_with_links_is_one_step_and_undoes_whole() {
    let (mut ann, text) = setup();
    let before = format::write(&ann, LABELS);
    let mut h = History::default();
    let edits = Edit::remove_span_with_links(&ann, SpanId(1));
    h.apply(&mut ann, &text, "Delete span", edits).unwrap();
    assert_eq!(ann.span_count(), 2);
    assert_eq!(ann.link_count(), 0);
    assert!(h.is_dirty());
    assert_eq!(h.undo_name(), Some("Delete span"));
    assert!(h.undo(&mut ann, &text).unwrap());
    assert_eq!(format::write(&ann, LABELS), before);
    assert!(!h.is_dirty());
    assert!(h.redo(&mut ann, &text).unwrap());
    assert_eq!(ann.link_count(), 0);
    assert!(!h.redo(&mut ann, &text).unwrap());
}

#[test]
fn a_failing_group_changes_nothing() {
    let (mut ann, text) = setup();
    let before = ann.clone();
    let mut h = History::default();
    let err = h
        .apply(
            &mut ann,
            &text,
            "Bad",
            vec![
                Edit::Relabel {
                    id: SpanId(2),
                    label: "denial".into(),
                },
                Edit::RemoveSpan(SpanId(1)), // still linked
            ],
        )
        .unwrap_err();
    assert_eq!(err, EditError::Model(ModelError::SpanHasLinks(SpanId(1))));
    assert_eq!(ann, before);
    assert!(!h.is_dirty());
    assert_eq!(h.undo_name(), None);
}

#[test]
fn deleting_what_a_file_brought_in_undoes_exactly() {
    // Found by fuzzing: the inverse of a deletion was an `AddSpan` (or
    // `AddLink`), which refuses an empty or out-of-range span (or a
    // dangling link); a file may have those, so undo failed, and a
    // failing group could not roll the deletion back.
    let (mut ann, text) = setup();
    ann.insert_span(Span {
        id: SpanId(7),
        label: "claim".into(),
        start: 5,
        end: 5,
        ..Span::default()
    })
    .unwrap();
    ann.insert_span(Span {
        id: SpanId(8),
        label: "claim".into(),
        start: 500,
        end: 510,
        text: "x".into(),
        ..Span::default()
    })
    .unwrap();
    ann.insert_link_unchecked(Link {
        id: LinkId(9),
        kind: "said_by".into(),
        from: SpanId(2),
        to: SpanId(42),
    })
    .unwrap();
    let before = ann.clone();
    let mut h = History::default();
    for e in [
        Edit::RemoveSpan(SpanId(7)),
        Edit::RemoveSpan(SpanId(8)),
        Edit::RemoveLink(LinkId(9)),
    ] {
        h.apply(&mut ann, &text, "Delete", vec![e]).unwrap();
    }
    assert_eq!(ann.span_count(), 3);
    while h.undo(&mut ann, &text).unwrap() {}
    assert_eq!(ann, before);
    while h.redo(&mut ann, &text).unwrap() {}
    assert_eq!(ann.span_count(), 3);
    while h.undo(&mut ann, &text).unwrap() {}
    let bad = vec![Edit::RemoveSpan(SpanId(7)), Edit::RemoveSpan(SpanId(99))];
    assert!(h.apply(&mut ann, &text, "Bad", bad).is_err());
    assert_eq!(ann, before);
}

#[test]
fn resize_refreshes_quote_and_undo_restores_it() {
    let (mut ann, text) = setup();
    let mut h = History::default();
    let b = ARTICLE.find("“Korea").unwrap();
    let quoted = text.char_range(b..b + "“Korea Utara”".len()).unwrap();
    h.apply(
        &mut ann,
        &text,
        "Resize",
        vec![Edit::Resize {
            id: SpanId(2),
            range: quoted,
        }],
    )
    .unwrap();
    assert_eq!(ann.span(SpanId(2)).unwrap().text, "“Korea Utara”");
    h.undo(&mut ann, &text).unwrap();
    assert_eq!(ann.span(SpanId(2)).unwrap().text, "Korea Utara");
    #[allow(clippy::reversed_empty_ranges)]
    for bad in [40..40, 50..10, 70..500] {
        let e = Edit::Resize {
            id: SpanId(2),
            range: bad,
        };
        assert!(h.apply(&mut ann, &text, "Resize", vec![e]).is_err());
    }
}

#[test]
fn saved_mark_follows_undo_and_redo() {
    let (mut ann, text) = setup();
    let mut h = History::default();
    let note = |n: &str| Edit::SetNote {
        id: SpanId(2),
        note: Some(n.into()),
    };
    h.apply(&mut ann, &text, "Note", vec![note("a")]).unwrap();
    h.mark_saved();
    assert!(!h.is_dirty());
    h.apply(&mut ann, &text, "Note", vec![note("b")]).unwrap();
    assert!(h.is_dirty());
    h.undo(&mut ann, &text).unwrap();
    assert!(!h.is_dirty());
    h.undo(&mut ann, &text).unwrap();
    assert!(h.is_dirty());
}

#[test]
fn entity_edits_undo_exactly_even_for_a_missing_entity() {
    let (mut ann, text) = setup();
    // A file may name an entity it does not list: span 3 names entity 9.
    let mut s = ann.span(SpanId(3)).unwrap().clone();
    s.entity = Some(EntityId(9));
    ann.replace_span(s).unwrap();
    let original = format::write(&ann, LABELS);
    let mut h = History::default();
    let kirby = Entity {
        id: ann.next_entity_id(),
        name: "John Kirby".into(),
        role: None,
    };
    assert_eq!(kirby.id, EntityId(10));
    let set = |id, entity| Edit::SetEntity { id, entity };
    h.apply(
        &mut ann,
        &text,
        "New entity",
        vec![
            Edit::AddEntity(kirby.clone()),
            set(SpanId(1), Some(kirby.id)),
        ],
    )
    .unwrap();
    h.apply(&mut ann, &text, "Clear", vec![set(SpanId(3), None)])
        .unwrap();
    // Naming an entity that does not exist is refused, and changes nothing.
    let before = ann.clone();
    let err = h
        .apply(
            &mut ann,
            &text,
            "Bad",
            vec![set(SpanId(2), Some(EntityId(4)))],
        )
        .unwrap_err();
    assert_eq!(err, EditError::Model(ModelError::NoSuchEntity(EntityId(4))));
    assert_eq!(ann, before);
    // An entity in use cannot go alone; with its uses it can, as one step.
    assert!(
        h.apply(&mut ann, &text, "Bad", vec![Edit::RemoveEntity(kirby.id)])
            .is_err()
    );
    let renamed = Entity {
        role: Some("NSC spokesman".into()),
        ..kirby.clone()
    };
    h.apply(&mut ann, &text, "Rename", vec![Edit::UpdateEntity(renamed)])
        .unwrap();
    let edits = Edit::remove_entity_with_uses(&ann, kirby.id);
    assert_eq!(edits.len(), 2);
    h.apply(&mut ann, &text, "Delete entity", edits).unwrap();
    assert_eq!(ann.entity_count(), 0);
    assert_eq!(ann.span(SpanId(1)).unwrap().entity, None);
    while h.undo(&mut ann, &text).unwrap() {}
    assert_eq!(format::write(&ann, LABELS), original);
    assert_eq!(ann.span(SpanId(3)).unwrap().entity, Some(EntityId(9)));
    while h.redo(&mut ann, &text).unwrap() {}
    assert_eq!(ann.entity_count(), 0);
}

fn arb_edit(n: usize) -> impl Strategy<Value = Edit> {
    let id = (1u64..8).prop_map(SpanId);
    let range = (0..n, 1usize..30).prop_map(move |(s, l)| s..(s + l).min(n + 3));
    let label = prop::sample::select(vec!["claim", "source", "denial", "cue"]);
    let text = prop::option::of(prop::sample::select(vec!["", "catatan", "“é👍🏽”\n"]));
    prop_oneof![
        (id.clone(), label.clone(), range.clone()).prop_map(move |(id, l, r)| {
            let t = Text::new(ARTICLE.to_owned());
            match Span::new_in(&t, id, l, r.clone(), Origin::default()) {
                Some(s) => Edit::AddSpan(Box::new(s)),
                None => Edit::AddSpan(Box::new(Span {
                    id,
                    label: l.into(),
                    start: r.start,
                    end: r.end,
                    ..Span::default()
                })),
            }
        }),
        id.clone().prop_map(Edit::RemoveSpan),
        (id.clone(), label).prop_map(|(id, l)| Edit::Relabel {
            id,
            label: l.into()
        }),
        (id.clone(), range).prop_map(|(id, range)| Edit::Resize { id, range }),
        (1u64..5, id.clone(), id.clone()).prop_map(|(l, from, to)| Edit::AddLink(Link {
            id: LinkId(l),
            kind: "said_by".into(),
            from,
            to
        })),
        (1u64..5).prop_map(|l| Edit::RemoveLink(LinkId(l))),
        (id.clone(), text.clone()).prop_map(|(id, note)| Edit::SetNote {
            id,
            note: note.map(str::to_owned)
        }),
        (
            id.clone(),
            prop::sample::select(vec!["a", "b"]),
            text.clone()
        )
            .prop_map(|(id, k, v)| {
                Edit::SetAttribute {
                    id,
                    key: k.into(),
                    value: v.map(str::to_owned),
                }
            }),
        (
            id.clone(),
            prop::option::of(prop::sample::select(Status::ALL.to_vec()))
        )
            .prop_map(|(id, status)| Edit::SetStatus { id, status }),
        (
            1u64..4,
            prop::sample::select(vec!["John Kirby", "Ani", ""]),
            text.clone()
        )
            .prop_map(|(e, name, role)| Edit::AddEntity(Entity {
                id: EntityId(e),
                name: name.into(),
                role: role.map(str::to_owned),
            })),
        (1u64..4, text).prop_map(|(e, role)| Edit::UpdateEntity(Entity {
            id: EntityId(e),
            name: "Kirby".into(),
            role: role.map(str::to_owned),
        })),
        (1u64..4).prop_map(|e| Edit::RemoveEntity(EntityId(e))),
        (id, prop::option::of(1u64..5)).prop_map(|(id, e)| Edit::SetEntity {
            id,
            entity: e.map(EntityId)
        }),
    ]
}

proptest! {
    #[test]
    fn undoing_everything_gives_back_the_same_bytes(
        groups in prop::collection::vec(prop::collection::vec(arb_edit(80), 1..4), 0..40)
    ) {
        let (mut ann, text) = setup();
        let original = format::write(&ann, LABELS);
        let mut h = History::default();
        for g in groups {
            // Some edits are refused (unknown ids, bad ranges): fine,
            // a refused group must change nothing.
            let before = ann.clone();
            if h.apply(&mut ann, &text, "step", g).is_err() {
                prop_assert_eq!(&ann, &before);
            }
        }
        let done = format::write(&ann, LABELS);
        while h.undo(&mut ann, &text).unwrap() {}
        prop_assert_eq!(format::write(&ann, LABELS), original);
        prop_assert!(!h.is_dirty());
        while h.redo(&mut ann, &text).unwrap() {}
        prop_assert_eq!(format::write(&ann, LABELS), done);
    }
}

/// `apply_all` as it was before runs went in bulk: edit by edit.
fn one_by_one(
    ann: &mut Annotations,
    text: &Text,
    edits: Vec<Edit>,
) -> Result<Vec<Edit>, EditError> {
    let mut inverses = Vec::new();
    for edit in edits {
        match edit.apply(ann, text) {
            Ok(inv) => inverses.push(inv),
            Err(e) => {
                for inv in inverses.into_iter().rev() {
                    let _ = inv.apply(ann, text);
                }
                return Err(e);
            }
        }
    }
    inverses.reverse();
    Ok(inverses)
}

/// A run of span additions long enough to go in bulk: ids mostly fresh,
/// some taken (by a span there, an earlier one, a link end), some ranges
/// empty or outside the article, some orphans (not checked) and some
/// reinsertions (not checked either); then links, some to missing spans.
fn arb_runs() -> impl Strategy<Value = Vec<Edit>> {
    let n = Text::new(ARTICLE.to_owned()).len_chars();
    let span = (0u64..400, 0usize..n + 4, 0usize..12, 0u8..10);
    let link = (0u64..200, 0u64..400, 0u64..400, any::<bool>());
    (
        prop::collection::vec(span, 0..200),
        prop::collection::vec(link, 0..150),
        any::<bool>(),
    )
        .prop_map(move |(spans, links, tidy)| {
            let t = Text::new(ARTICLE.to_owned());
            let mut edits = Vec::new();
            let count = spans.len().max(1) as u64;
            for (k, (id, start, len, how)) in spans.into_iter().enumerate() {
                // Tidy runs: unique fresh ids and good ranges, so they go in.
                let id = if tidy { 1000 + k as u64 } else { id };
                let start = if tidy { start % (n - 1) } else { start };
                let end = if tidy {
                    (start + 1 + len).min(n)
                } else {
                    start + len
                };
                let mut s = Span::new_in(&t, SpanId(id), "claim", start..end, Origin::default())
                    .unwrap_or_else(|| Span {
                        id: SpanId(id),
                        label: "claim".into(),
                        start,
                        end,
                        ..Span::default()
                    });
                s.orphan = !tidy && how == 0;
                edits.push(if how == 1 {
                    Edit::ReinsertSpan(Box::new(s))
                } else {
                    Edit::AddSpan(Box::new(s))
                });
            }
            for (k, (id, from, to, check)) in links.into_iter().enumerate() {
                let (id, from, to) = if tidy {
                    (10 + k as u64, 1000 + from % count, 1000 + to % count)
                } else {
                    (id, from, to)
                };
                let l = Link {
                    id: LinkId(id),
                    kind: "said_by".into(),
                    from: SpanId(from),
                    to: SpanId(to),
                };
                edits.push(if check {
                    Edit::AddLink(l)
                } else {
                    Edit::ReinsertLink(l)
                });
            }
            edits
        })
}

proptest! {
    #[test]
    fn runs_in_bulk_are_edits_one_by_one(edits in arb_runs()) {
        let (mut start, text) = setup();
        // A dangling link whose end ids new spans may not take.
        start
            .insert_link_unchecked(Link { id: LinkId(9), kind: "said_by".into(), from: SpanId(300), to: SpanId(12) })
            .unwrap();
        let mut one = start.clone();
        let want = one_by_one(&mut one, &text, edits.clone());
        let mut bulk = start.clone();
        let got = apply_all(&mut bulk, &text, edits);
        prop_assert_eq!(&got, &want);
        prop_assert_eq!(&bulk, &one);
        if let Ok(undo) = got {
            // The undo (removals) and a redo of it give the same back.
            let redo = apply_all(&mut bulk, &text, undo).unwrap();
            prop_assert_eq!(&bulk, &start);
            apply_all(&mut bulk, &text, redo).unwrap();
            prop_assert_eq!(&bulk, &one);
        }
    }
}
