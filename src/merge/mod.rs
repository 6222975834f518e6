//! Merging annotation files: several annotators' sets of one article
//! into one file with its disputes ([`merge()`]), and the three-way merge
//! of two git branches' versions of one file ([`three_way()`]); and what
//! adjudicating the disputes reads ([`queue`], [`progress`], [`describe`]).
//!
//! # Merging annotators' sets
//!
//! Only what a person stands behind is compared, as in agreement
//! ([`crate::agree::skip`]): human spans, and machine spans a reviewer
//! accepted or corrected.
//!
//! - A span every annotator made (same label and range) goes in once,
//!   recording who agreed (`agreed`). Of its note, attributes and entity, a
//!   value only some gave is taken; two different values make a dispute
//!   between the versions (the span stays, with no value there, until it
//!   is settled).
//! - The other spans are grouped where they disagree together (one range,
//!   or one label and overlapping: see `cluster.rs`), and each group is a
//!   dispute between what each annotator drew there: A's spans, B's spans,
//!   or nothing. Annotators who drew the same share an alternative.
//! - A link goes with its spans: one with an end in a dispute is part of
//!   its annotator's alternative there; one between live spans goes in
//!   once if every annotator made it, else joins a dispute over which
//!   links of that kind its `from` span has.
//! - Spans that do not count (pending and rejected machine spans, orphans)
//!   are carried through when every annotator has the same one (a pending
//!   tag all kept pending stays to be reviewed); otherwise they are left
//!   out and counted in the report, as are links with such an end. A
//!   pending tag only one annotator has is not a disagreement worth a
//!   dispute: nobody stood behind it.
//! - Entities are matched by name and role.
//!
//! The merged file keeps the first annotator's ids (the preferred one's
//! with `prefer`); the others' spans and links get fresh ones.
//!
//! # The three-way merge
//!
//! See [`three_way()`]: the git merge driver's. A change on one side is
//! taken, the same change on both once, different changes to one thing a
//! dispute; ids both branches added independently are renumbered on their
//! side, links following.
//!
//! # Adjudicating
//!
//! [`queue`] lists the open disputes in text order; each is settled by
//! [`Edit::Settle`](crate::edit::Edit::Settle) (take A, B, both where they
//! can coexist: [`Dispute::can_combine`](crate::model::Dispute::can_combine),
//! or neither), an undoable edit; [`progress`] counts. A settled dispute
//! leaves the file when it is saved.

mod adjudicate;
mod cluster;
mod fields;
mod links;
mod nway;
mod renumber;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_props;
#[cfg(test)]
mod tests_three_way;
mod three_way;

pub use adjudicate::{Progress, all_in_order, describe, prefer, progress, queue, summary};
pub use nway::{Annotator, Merged, Options, Report, merge};
pub use three_way::{ThreeWay, three_way};
