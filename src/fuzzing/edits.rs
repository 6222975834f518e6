//! The edit-sequence fuzzer: random edits with undo and redo on a small
//! annotation set of every kind of span (see [`edits`]).

use std::ops::Range;

use super::{LABELS, NAME, check_index, check_round_trip, with_article};
use crate::edit::{Edit, History};
use crate::model::{
    Annotations, DocumentRef, Entity, EntityId, Link, LinkId, Origin, Proposed, Span, SpanId,
    Status,
};
use crate::offsets::Text;

/// The annotations edits start from: spans of every kind (human, machine
/// pending, an orphan), a link and a dangling link, on whatever the text is.
pub(super) fn starting_annotations(text: &Text) -> Annotations {
    let mut ann = Annotations::new(DocumentRef {
        path: NAME.to_owned(),
        sha256: String::new(),
        chars: text.len_chars(),
    });
    let n = text.len_chars();
    let ranges = [0..n.min(7), n / 3..n / 2, n / 4..(n / 4 + 5).min(n)];
    for (i, r) in ranges.into_iter().enumerate() {
        let origin = if i == 1 {
            Origin::Machine {
                model: "m".into(),
                score: Some(0.5),
            }
        } else {
            Origin::default()
        };
        if let Some(s) = Span::new_in(text, SpanId(i as u64 + 1), LABELS[i], r, origin)
            && !s.text.is_empty()
        {
            let _ = ann.insert_span(s);
        }
    }
    let _ = ann.insert_span(Span {
        id: SpanId(9),
        label: "claim".into(),
        start: n + 3,
        end: n + 9,
        text: "lost quote".into(),
        orphan: true,
        ..Span::default()
    });
    let _ = ann.insert_link(Link {
        id: LinkId(1),
        kind: "said_by".into(),
        from: SpanId(1),
        to: SpanId(2),
    });
    // A dangling link, as a file may have one.
    let _ = ann.insert_link_unchecked(Link {
        id: LinkId(2),
        kind: "said_by".into(),
        from: SpanId(3),
        to: SpanId(12),
    });
    // An entity named by a span, and a span naming one the file lacks.
    let _ = ann.insert_entity(Entity {
        id: EntityId(1),
        name: "John Kirby".into(),
        role: Some("NSC spokesman".into()),
    });
    for (span, entity) in [(2, 1), (9, 5)] {
        if let Some(mut s) = ann.span(SpanId(span)).cloned() {
            s.entity = Some(EntityId(entity));
            let _ = ann.replace_span(s);
        }
    }
    ann
}

/// Reads the bytes of an edit sequence.
struct Bytes<'a> {
    data: &'a [u8],
}

impl Bytes<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.data.split_first()?;
        self.data = rest;
        Some(b)
    }

    /// A byte, 0 once the input is used up.
    fn next(&mut self) -> u8 {
        self.byte().unwrap_or(0)
    }

    fn below(&mut self, n: usize) -> usize {
        let x = usize::from(self.next()) << 8 | usize::from(self.next());
        if n == 0 { 0 } else { x % n }
    }

    fn pick<'s, T>(&mut self, from: &'s [T]) -> &'s T {
        &from[usize::from(self.next()) % from.len()]
    }
}

const EDIT_LABELS: &[&str] = &["claim", "source", "denial", "cue", ""];
const STRINGS: &[&str] = &["", "catatan", "“é👍🏽”\n", "\"\\", "\u{0}", "k:v"];

/// A span id: mostly one that exists, sometimes one that does not, and
/// now and then the largest there is.
fn span_id(b: &mut Bytes, ann: &Annotations) -> SpanId {
    let x = b.next();
    match x {
        0..=199 if ann.span_count() > 0 => ann
            .spans()
            .nth(usize::from(x) % ann.span_count())
            .map_or(SpanId(1), |s| s.id),
        250..=255 => SpanId(u64::MAX - u64::from(x - 250)),
        _ => SpanId(u64::from(x % 16)),
    }
}

fn link_id(b: &mut Bytes, ann: &Annotations) -> LinkId {
    let x = b.next();
    match x {
        0..=199 if ann.link_count() > 0 => ann
            .links()
            .nth(usize::from(x) % ann.link_count())
            .map_or(LinkId(1), |l| l.id),
        250..=255 => LinkId(u64::MAX - u64::from(x - 250)),
        _ => LinkId(u64::from(x % 8)),
    }
}

/// A char range: mostly inside the text, sometimes empty, reversed or
/// beyond its end.
fn range(b: &mut Bytes, text: &Text) -> Range<usize> {
    let n = text.len_chars();
    let start = b.below(n + 3);
    let len = usize::from(b.next() % 48);
    if b.next() == 0xFF {
        start + len..start
    } else {
        start..start + len
    }
}

fn origin(b: &mut Bytes) -> Origin {
    match b.next() % 3 {
        0 => Origin::Human {
            annotator: "ana".into(),
        },
        1 => Origin::Machine {
            model: "attrib-v0".into(),
            score: Some(f64::from(b.next()) / 255.0),
        },
        _ => Origin::Machine {
            model: String::new(),
            score: None,
        },
    }
}

fn status(b: &mut Bytes) -> Option<Status> {
    let x = usize::from(b.next());
    Status::ALL.get(x % (Status::ALL.len() + 1)).copied()
}

/// An entity id: mostly one that exists, sometimes the next free one or
/// one that does not exist.
fn entity_id(b: &mut Bytes, ann: &Annotations) -> EntityId {
    let x = b.next();
    match x {
        0..=149 if ann.entity_count() > 0 => ann
            .entities()
            .nth(usize::from(x) % ann.entity_count())
            .map_or(EntityId(1), |e| e.id),
        150..=199 => ann.next_entity_id(),
        _ => EntityId(u64::from(x % 8)),
    }
}

/// An entity step: what the entity picker does.
fn entity_step(b: &mut Bytes, ann: &Annotations) -> Vec<Edit> {
    let entity = |b: &mut Bytes, id| Entity {
        id,
        name: (*b.pick(STRINGS)).to_owned(),
        role: Some((*b.pick(STRINGS)).to_owned()).filter(|_| b.next().is_multiple_of(2)),
    };
    match b.next() % 5 {
        0 => {
            let id = entity_id(b, ann);
            vec![Edit::AddEntity(entity(b, id))]
        }
        1 => vec![Edit::RemoveEntity(entity_id(b, ann))],
        2 => Edit::remove_entity_with_uses(ann, entity_id(b, ann)),
        3 => {
            let id = entity_id(b, ann);
            vec![Edit::UpdateEntity(entity(b, id))]
        }
        _ => vec![Edit::SetEntity {
            id: span_id(b, ann),
            entity: Some(entity_id(b, ann)).filter(|_| !b.next().is_multiple_of(4)),
        }],
    }
}

/// One step of the app's kinds: what a key press or a menu does.
fn step(b: &mut Bytes, ann: &Annotations, text: &Text) -> Vec<Edit> {
    match b.next() % 13 {
        0 => {
            let id = if b.next().is_multiple_of(2) {
                ann.next_span_id()
            } else {
                span_id(b, ann)
            };
            let label = *b.pick(EDIT_LABELS);
            let r = range(b, text);
            let origin = origin(b);
            match Span::new_in(text, id, label, r.clone(), origin.clone()) {
                Some(s) => vec![Edit::AddSpan(Box::new(s))],
                None => vec![Edit::AddSpan(Box::new(Span {
                    id,
                    label: label.to_owned(),
                    start: r.start,
                    end: r.end,
                    text: (*b.pick(STRINGS)).to_owned(),
                    origin,
                    orphan: b.next().is_multiple_of(2),
                    ..Span::default()
                }))],
            }
        }
        1 => vec![Edit::RemoveSpan(span_id(b, ann))],
        2 => Edit::remove_span_with_links(ann, span_id(b, ann)),
        3 => vec![Edit::Relabel {
            id: span_id(b, ann),
            label: (*b.pick(EDIT_LABELS)).to_owned(),
        }],
        4 => vec![Edit::Resize {
            id: span_id(b, ann),
            range: range(b, text),
        }],
        5 => {
            // A review decision: status, reviewer and perhaps a correction
            // in one edit.
            let id = span_id(b, ann);
            let Some(mut s) = ann.span(id).cloned() else {
                return vec![Edit::SetStatus {
                    id,
                    status: Some(Status::Accepted),
                }];
            };
            s.status = status(b);
            s.reviewer = Some((*b.pick(STRINGS)).to_owned());
            if b.next().is_multiple_of(2) {
                s.proposed = Some(Proposed {
                    label: s.label.clone(),
                    start: s.start,
                    end: s.end,
                });
                (*b.pick(EDIT_LABELS)).clone_into(&mut s.label);
                let r = range(b, text);
                let _ = s.set_range(text, r);
            }
            vec![Edit::Restore(Box::new(s))]
        }
        6 => {
            let id = if b.next().is_multiple_of(2) {
                ann.next_link_id()
            } else {
                link_id(b, ann)
            };
            let kind = (*b.pick(&["said_by", "denies", "", "cites"])).to_owned();
            let from = span_id(b, ann);
            let to = span_id(b, ann);
            vec![Edit::AddLink(Link { id, kind, from, to })]
        }
        7 => vec![Edit::RemoveLink(link_id(b, ann))],
        8 => vec![Edit::SetNote {
            id: span_id(b, ann),
            note: Some((*b.pick(STRINGS)).to_owned()).filter(|_| !b.next().is_multiple_of(4)),
        }],
        9 => vec![Edit::SetAttribute {
            id: span_id(b, ann),
            key: (*b.pick(STRINGS)).to_owned(),
            value: Some((*b.pick(STRINGS)).to_owned()).filter(|_| !b.next().is_multiple_of(3)),
        }],
        10 => vec![Edit::SetStatus {
            id: span_id(b, ann),
            status: status(b),
        }],
        11 => vec![Edit::SetDone(b.next().is_multiple_of(2))],
        _ => entity_step(b, ann),
    }
}

/// The most operations one input drives (inputs are short anyway).
const MAX_OPS: usize = 512;

/// Random edit steps with undo, redo and saves: a refused step changes
/// nothing, undo and redo never fail, a clean history means exactly the
/// saved annotations, the indexes agree with a scan, the file format round
/// trips, and undoing everything gives back the start.
pub fn edits(data: &[u8]) {
    let (article, script) = with_article(data);
    let text = &article.text;
    let start = starting_annotations(text);
    let mut ann = start.clone();
    let mut h = History::default();
    let mut saved = ann.clone();
    let mut b = Bytes { data: script };
    let mut ops = 0;
    while let Some(op) = b.byte() {
        ops += 1;
        if ops > MAX_OPS {
            break;
        }
        match op % 16 {
            0..=9 => {
                let mut edits = step(&mut b, &ann, text);
                // Now and then several steps' edits as one group.
                for _ in 0..op / 16 % 4 {
                    edits.extend(step(&mut b, &ann, text));
                }
                let before = ann.clone();
                let was_dirty = h.is_dirty();
                if h.apply(&mut ann, text, "step", edits).is_err() {
                    assert_eq!(ann, before, "a refused step changed the annotations");
                    assert_eq!(h.is_dirty(), was_dirty);
                }
            }
            10 | 11 => {
                if let Err(e) = h.undo(&mut ann, text) {
                    panic!("undo failed: {e}");
                }
            }
            12 | 13 => {
                if let Err(e) = h.redo(&mut ann, text) {
                    panic!("redo failed: {e}");
                }
            }
            14 => {
                h.mark_saved();
                saved = ann.clone();
            }
            _ => check_index(&ann),
        }
        if !h.is_dirty() {
            assert_eq!(ann, saved, "the history is clean but differs from the save");
        }
    }
    check_index(&ann);
    // Once, at the end: parsing RON is most of the time a run takes.
    check_round_trip(&ann);
    // Redo what is left, then undo everything and redo it all again.
    while matches!(h.redo(&mut ann, text), Ok(true)) {}
    let end = ann.clone();
    loop {
        match h.undo(&mut ann, text) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => panic!("undo failed: {e}"),
        }
    }
    assert_eq!(
        ann, start,
        "undoing everything does not give back the start"
    );
    loop {
        match h.redo(&mut ann, text) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => panic!("redo failed: {e}"),
        }
    }
    assert_eq!(ann, end, "redoing everything does not give back the end");
}
