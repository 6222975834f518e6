//! Every change to annotations as a value with an inverse, and the undo
//! history built from them.
//!
//! Applying an [`Edit`] returns the edit that undoes it, computed from the
//! state it changed, so undo never snapshots the whole document. Edits are
//! grouped into steps: a step (creating a span, deleting a span with its
//! links, a bulk accept) is applied whole or not at all, and undone whole.

use std::ops::Range;

use crate::model::{Annotations, Link, LinkId, ModelError, Span, SpanId, Status};
use crate::offsets::Text;

/// One change to annotations.
// A span is a few hundred bytes since it records its reviewer and the
// model's proposal; boxing `AddSpan` would change an API the app calls, for
// no gain worth it: edits live in an undo history of human-paced steps.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Add a span (its id must be free).
    AddSpan(Span),
    /// Remove a span no link points to.
    RemoveSpan(SpanId),
    /// Put a removed span back exactly as it was: the inverse of
    /// [`Edit::RemoveSpan`]. Unlike [`Edit::AddSpan`] its range is not
    /// checked: a span read from a file may be empty or out of range, and
    /// undoing its deletion must still bring it back.
    ReinsertSpan(Box<Span>),
    /// Change a span's label.
    Relabel {
        /// The span.
        id: SpanId,
        /// The new label.
        label: String,
    },
    /// Move a span's boundaries; its quote and context follow the text.
    Resize {
        /// The span.
        id: SpanId,
        /// The new char range (non-empty, inside the text).
        range: Range<usize>,
    },
    /// Replace a span with another version of itself (same id): the inverse
    /// of a resize, which also changed the quote and context, and how a
    /// review decision (status, reviewer, correction) is made in one edit.
    Restore(Box<Span>),
    /// Add a link (its id must be free and both ends must exist).
    AddLink(Link),
    /// Remove a link.
    RemoveLink(LinkId),
    /// Put a removed link back exactly as it was: the inverse of
    /// [`Edit::RemoveLink`], even if an end is missing (a dangling link read
    /// from a file).
    ReinsertLink(Link),
    /// Set or clear a span's note.
    SetNote {
        /// The span.
        id: SpanId,
        /// The new note.
        note: Option<String>,
    },
    /// Set or clear one attribute of a span.
    SetAttribute {
        /// The span.
        id: SpanId,
        /// Attribute name.
        key: String,
        /// New value, `None` to remove it.
        value: Option<String>,
    },
    /// Set a span's review status.
    SetStatus {
        /// The span.
        id: SpanId,
        /// The new status.
        status: Option<Status>,
    },
    /// Mark the article as finished or not.
    SetDone(bool),
}

/// Why an edit could not be applied. Nothing was changed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditError {
    /// The model refused it.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// A span must cover at least one character.
    #[error("a span must cover at least one character")]
    EmptySpan,
}

fn current_span(ann: &Annotations, id: SpanId) -> Result<Span, ModelError> {
    ann.span(id).cloned().ok_or(ModelError::NoSuchSpan(id))
}

fn check_range(text: &Text, r: &Range<usize>) -> Result<(), EditError> {
    if r.start >= r.end {
        return Err(EditError::EmptySpan);
    }
    if r.end > text.len_chars() {
        return Err(ModelError::OutOfRange {
            start: r.start,
            end: r.end,
            len: text.len_chars(),
        }
        .into());
    }
    Ok(())
}

impl Edit {
    /// Applies the edit and returns its inverse. On error nothing changed.
    pub fn apply(self, ann: &mut Annotations, text: &Text) -> Result<Edit, EditError> {
        Ok(match self {
            Edit::AddSpan(span) => {
                if !span.orphan {
                    check_range(text, &span.range())?;
                }
                let id = span.id;
                ann.insert_span(span)?;
                Edit::RemoveSpan(id)
            }
            Edit::RemoveSpan(id) => Edit::ReinsertSpan(Box::new(ann.remove_span(id)?)),
            Edit::ReinsertSpan(span) => {
                let id = span.id;
                ann.insert_span(*span)?;
                Edit::RemoveSpan(id)
            }
            Edit::Relabel { id, label } => {
                let mut s = current_span(ann, id)?;
                let old = std::mem::replace(&mut s.label, label);
                ann.replace_span(s)?;
                Edit::Relabel { id, label: old }
            }
            Edit::Resize { id, range } => {
                check_range(text, &range)?;
                let mut s = current_span(ann, id)?;
                s.set_range(text, range.clone())
                    .ok_or(ModelError::OutOfRange {
                        start: range.start,
                        end: range.end,
                        len: text.len_chars(),
                    })?;
                Edit::Restore(Box::new(ann.replace_span(s)?))
            }
            Edit::Restore(span) => Edit::Restore(Box::new(ann.replace_span(*span)?)),
            Edit::AddLink(link) => {
                let id = link.id;
                ann.insert_link(link)?;
                Edit::RemoveLink(id)
            }
            Edit::RemoveLink(id) => Edit::ReinsertLink(ann.remove_link(id)?),
            Edit::ReinsertLink(link) => {
                let id = link.id;
                ann.insert_link_unchecked(link)?;
                Edit::RemoveLink(id)
            }
            Edit::SetNote { id, note } => {
                let mut s = current_span(ann, id)?;
                let old = std::mem::replace(&mut s.note, note);
                ann.replace_span(s)?;
                Edit::SetNote { id, note: old }
            }
            Edit::SetAttribute { id, key, value } => {
                let mut s = current_span(ann, id)?;
                let old = match value {
                    Some(v) => s.attributes.insert(key.clone(), v),
                    None => s.attributes.remove(&key),
                };
                ann.replace_span(s)?;
                Edit::SetAttribute {
                    id,
                    key,
                    value: old,
                }
            }
            Edit::SetStatus { id, status } => {
                let mut s = current_span(ann, id)?;
                let old = std::mem::replace(&mut s.status, status);
                ann.replace_span(s)?;
                Edit::SetStatus { id, status: old }
            }
            Edit::SetDone(done) => Edit::SetDone(std::mem::replace(&mut ann.done, done)),
        })
    }

    /// The edits that remove a span together with every link touching it,
    /// to be applied as one step.
    pub fn remove_span_with_links(ann: &Annotations, id: SpanId) -> Vec<Edit> {
        let mut edits: Vec<Edit> = ann.links_of(id).map(|l| Edit::RemoveLink(l.id)).collect();
        edits.push(Edit::RemoveSpan(id));
        edits
    }
}

/// Applies edits in order as one all-or-nothing group and returns the
/// inverses in the order that undoes them.
pub fn apply_all(
    ann: &mut Annotations,
    text: &Text,
    edits: Vec<Edit>,
) -> Result<Vec<Edit>, EditError> {
    let mut inverses = Vec::with_capacity(edits.len());
    for edit in edits {
        match edit.apply(ann, text) {
            Ok(inv) => inverses.push(inv),
            Err(e) => {
                // Roll back what this group already did. Each inverse was
                // computed from the state it undoes, so it applies.
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

#[derive(Clone, Debug)]
struct Step {
    name: String,
    serial: u64,
    /// Edits that take the annotations back across this step, in order.
    edits: Vec<Edit>,
}

/// Undo and redo stacks of named steps. Unlimited within a session.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    next_serial: u64,
    saved: u64,
}

impl History {
    /// Applies `edits` as one undoable step called `name` (e.g. "Delete
    /// span"). On error nothing changed and the history is as it was.
    pub fn apply(
        &mut self,
        ann: &mut Annotations,
        text: &Text,
        name: &str,
        edits: Vec<Edit>,
    ) -> Result<(), EditError> {
        if edits.is_empty() {
            return Ok(());
        }
        let inverses = apply_all(ann, text, edits)?;
        self.next_serial += 1;
        self.undo.push(Step {
            name: name.to_owned(),
            serial: self.next_serial,
            edits: inverses,
        });
        self.redo.clear();
        Ok(())
    }

    fn current(&self) -> u64 {
        self.undo.last().map_or(0, |s| s.serial)
    }

    /// Undoes the last step; `Ok(false)` if there was none.
    pub fn undo(&mut self, ann: &mut Annotations, text: &Text) -> Result<bool, EditError> {
        let Some(step) = self.undo.pop() else {
            return Ok(false);
        };
        match apply_all(ann, text, step.edits.clone()) {
            Ok(redo) => {
                self.redo.push(Step {
                    edits: redo,
                    ..step
                });
                Ok(true)
            }
            Err(e) => {
                self.undo.push(step);
                Err(e)
            }
        }
    }

    /// Redoes the last undone step; `Ok(false)` if there was none.
    pub fn redo(&mut self, ann: &mut Annotations, text: &Text) -> Result<bool, EditError> {
        let Some(step) = self.redo.pop() else {
            return Ok(false);
        };
        match apply_all(ann, text, step.edits.clone()) {
            Ok(undo) => {
                self.undo.push(Step {
                    edits: undo,
                    ..step
                });
                Ok(true)
            }
            Err(e) => {
                self.redo.push(step);
                Err(e)
            }
        }
    }

    /// Name of the step undo would take back.
    pub fn undo_name(&self) -> Option<&str> {
        self.undo.last().map(|s| s.name.as_str())
    }

    /// Name of the step redo would apply again.
    pub fn redo_name(&self) -> Option<&str> {
        self.redo.last().map(|s| s.name.as_str())
    }

    /// Records that the current state is what is on disk.
    pub fn mark_saved(&mut self) {
        self.saved = self.current();
    }

    /// Records that what is on disk matches no state of this history (the
    /// annotations were replaced wholesale): dirty until the next save.
    pub fn mark_unsaved(&mut self) {
        self.saved = u64::MAX;
    }

    /// Whether the annotations differ from the last saved state (undoing
    /// back to it makes them clean again).
    pub fn is_dirty(&self) -> bool {
        self.current() != self.saved
    }
}

#[cfg(test)]
mod tests {
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

    fn arb_edit(n: usize) -> impl Strategy<Value = Edit> {
        let id = (1u64..8).prop_map(SpanId);
        let range = (0..n, 1usize..30).prop_map(move |(s, l)| s..(s + l).min(n + 3));
        let label = prop::sample::select(vec!["claim", "source", "denial", "cue"]);
        let text = prop::option::of(prop::sample::select(vec!["", "catatan", "“é👍🏽”\n"]));
        prop_oneof![
            (id.clone(), label.clone(), range.clone()).prop_map(move |(id, l, r)| {
                let t = Text::new(ARTICLE.to_owned());
                match Span::new_in(&t, id, l, r.clone(), Origin::default()) {
                    Some(s) => Edit::AddSpan(s),
                    None => Edit::AddSpan(Span {
                        id,
                        label: l.into(),
                        start: r.start,
                        end: r.end,
                        ..Span::default()
                    }),
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
            (id.clone(), prop::sample::select(vec!["a", "b"]), text).prop_map(|(id, k, v)| {
                Edit::SetAttribute {
                    id,
                    key: k.into(),
                    value: v.map(str::to_owned),
                }
            }),
            (
                id,
                prop::option::of(prop::sample::select(Status::ALL.to_vec()))
            )
                .prop_map(|(id, status)| Edit::SetStatus { id, status }),
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
}
