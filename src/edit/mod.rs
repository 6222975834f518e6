//! Every change to annotations as a value with an inverse, and the undo
//! history built from them.
//!
//! Applying an [`Edit`] returns the edit that undoes it, computed from the
//! state it changed, so undo never snapshots the whole document. Edits are
//! grouped into steps: a step (creating a span, deleting a span with its
//! links, a bulk accept) is applied whole or not at all, and undone whole.

use std::ops::Range;

use crate::model::{
    Annotations, Dispute, DisputeId, Entity, EntityId, Link, LinkId, ModelError, Span, SpanId,
    Status,
};
use crate::offsets::Text;

mod bulk;
mod settle;

use bulk::Run;

pub use settle::settle_edits;

/// One change to annotations.
///
/// The spans are boxed: a span is 320 bytes, and an import of 50,000 tags
/// is one step of 80,000 edits whose inverses (mostly `RemoveSpan` and
/// `RemoveLink`, a few bytes each) stay in the undo history; unboxed,
/// every edit would be the size of a span (26 MB for that step alone).
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Add a span (its id must be free).
    AddSpan(Box<Span>),
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
    /// Add an entity to the article's list (its id must be free).
    AddEntity(Entity),
    /// Remove an entity no span names.
    RemoveEntity(EntityId),
    /// Give an entity a new name or role (same id).
    UpdateEntity(Entity),
    /// Say which entity a span refers to, or (`None`) that it names none.
    /// The entity must exist; the inverse is a [`Edit::Restore`] of the
    /// span, which puts back even an entity the file lacks.
    SetEntity {
        /// The span.
        id: SpanId,
        /// The entity, `None` to clear it.
        entity: Option<EntityId>,
    },
    /// Settle a dispute by taking the alternatives `take` (indices into its
    /// alternatives; none: neither). Their spans, links and entities join
    /// the live set, and the dispute is marked settled, in one step: the
    /// edits of [`settle_edits`]. The inverse is an [`Edit::Group`] of
    /// their inverses, which puts everything back.
    Settle {
        /// The dispute.
        dispute: DisputeId,
        /// The alternatives taken.
        take: Vec<usize>,
    },
    /// Edits applied in order, all or nothing: what [`Edit::Settle`]
    /// becomes, and its inverse.
    Group(Vec<Edit>),
    /// Mark a dispute settled (with the alternatives taken) or, `None`,
    /// open again. Only the mark: see [`Edit::Settle`].
    SetSettled {
        /// The dispute.
        dispute: DisputeId,
        /// The alternatives taken, or `None`: open.
        settled: Option<Vec<usize>>,
    },
    /// Replace a dispute with another version of itself (same id): a link
    /// waiting for a span another dispute holds moves into it.
    ReplaceDispute(Box<Dispute>),
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

/// Makes span `id` name `entity` (which must exist), returning the edit
/// that puts the span back as it was.
fn set_entity(
    ann: &mut Annotations,
    id: SpanId,
    entity: Option<EntityId>,
) -> Result<Edit, ModelError> {
    if let Some(e) = entity
        && ann.entity(e).is_none()
    {
        return Err(ModelError::NoSuchEntity(e));
    }
    let mut s = current_span(ann, id)?;
    s.entity = entity;
    Ok(Edit::Restore(Box::new(ann.replace_span(s)?)))
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
                ann.insert_boxed_span(span)?;
                Edit::RemoveSpan(id)
            }
            Edit::RemoveSpan(id) => Edit::ReinsertSpan(ann.remove_boxed_span(id)?),
            Edit::ReinsertSpan(span) => {
                let id = span.id;
                ann.insert_boxed_span(span)?;
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
            Edit::AddEntity(entity) => {
                let id = entity.id;
                ann.insert_entity(entity)?;
                Edit::RemoveEntity(id)
            }
            Edit::RemoveEntity(id) => Edit::AddEntity(ann.remove_entity(id)?),
            Edit::UpdateEntity(entity) => Edit::UpdateEntity(ann.replace_entity(entity)?),
            Edit::SetEntity { id, entity } => set_entity(ann, id, entity)?,
            edit @ (Edit::Settle { .. }
            | Edit::Group(_)
            | Edit::SetSettled { .. }
            | Edit::ReplaceDispute(_)) => settle::apply(edit, ann, text)?,
        })
    }

    /// The edits that remove a span together with every link touching it,
    /// to be applied as one step.
    pub fn remove_span_with_links(ann: &Annotations, id: SpanId) -> Vec<Edit> {
        let mut edits: Vec<Edit> = ann.links_of(id).map(|l| Edit::RemoveLink(l.id)).collect();
        edits.push(Edit::RemoveSpan(id));
        edits
    }

    /// The edits that remove an entity, first clearing it from every span
    /// that names it, to be applied as one step.
    pub fn remove_entity_with_uses(ann: &Annotations, id: EntityId) -> Vec<Edit> {
        let mut edits: Vec<Edit> = ann
            .spans_of_entity(id)
            .map(|s| Edit::SetEntity {
                id: s.id,
                entity: None,
            })
            .collect();
        edits.push(Edit::RemoveEntity(id));
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
    let mut edits = edits.into_iter();
    while let Some(edit) = edits.next() {
        // Runs of additions go in at once (see `bulk`).
        let done = match Run::take(edit, &mut edits) {
            Ok(run) => run.apply(ann, text, &mut inverses),
            Err(edit) => edit.apply(ann, text).map(|inv| inverses.push(inv)),
        };
        if let Err(e) = done {
            // Roll back what this group already did. Each inverse was
            // computed from the state it undoes, so it applies.
            for inv in inverses.into_iter().rev() {
                let _ = inv.apply(ann, text);
            }
            return Err(e);
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
mod tests;
