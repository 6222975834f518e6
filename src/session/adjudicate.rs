//! Adjudicating a merged file: its open disputes in text order, settling
//! one as an undo step (so undo puts it back), and how far it has got.
//! The app's queue reads these; the rules are in [`crate::merge`].

use super::Session;
use crate::edit::Edit;
use crate::merge::{self, Progress};
use crate::model::{Dispute, DisputeId};

/// What the adjudication bar and the article view read every frame,
/// counted once per change to the annotations.
#[derive(Clone, Debug, Default)]
pub(super) struct Adjudication {
    /// The generation of the annotations these are for.
    generation: Option<u64>,
    /// The first open dispute in text order.
    current: Option<DisputeId>,
    /// Settled and all.
    progress: Progress,
}

impl Session {
    /// Renews the queue's head and the progress after a change (once per
    /// change, not per frame; the app calls it before drawing).
    pub fn refresh_adjudication(&mut self) {
        if self.adjudication.generation == Some(self.generation) {
            return;
        }
        let ann = &self.doc.annotations;
        self.adjudication = Adjudication {
            generation: Some(self.generation),
            current: merge::queue(ann).first().map(|d| d.id),
            progress: merge::progress(ann),
        };
    }

    /// The adjudication queue's current dispute, the first open one in
    /// text order, as of the last [`Session::refresh_adjudication`].
    pub fn current_dispute(&self) -> Option<&Dispute> {
        self.doc.annotations.dispute(self.adjudication.current?)
    }

    /// [`Session::dispute_progress`] as of the last
    /// [`Session::refresh_adjudication`].
    pub fn adjudication_progress(&self) -> Progress {
        self.adjudication.progress
    }

    /// The open disputes, in text order: the adjudication queue.
    pub fn dispute_queue(&self) -> Vec<&Dispute> {
        merge::queue(&self.doc.annotations)
    }

    /// Settled and all disputes of this session (the file holds only the
    /// open ones, so a session opened on a half-settled file counts from
    /// there).
    pub fn dispute_progress(&self) -> Progress {
        merge::progress(&self.doc.annotations)
    }

    /// Settles dispute `id` by taking the alternatives `take` (indices into
    /// its alternatives; none: neither), as one undo step; says what it
    /// did, or why not, in the status bar. Returns whether it settled.
    pub fn settle(&mut self, id: DisputeId, take: &[usize]) -> bool {
        let Some(d) = self.doc.annotations.dispute(id) else {
            self.error(format!("There is no dispute {id}"));
            return false;
        };
        let names: Vec<String> = (take.iter())
            .filter_map(|&i| d.alternatives.get(i))
            .map(|a| a.by.join(", "))
            .collect();
        let what = if names.is_empty() {
            "neither".to_owned()
        } else {
            format!("{}'s", names.join(" and "))
        };
        let start = d.range(&self.doc.annotations).map(|r| r.start);
        let edit = Edit::Settle {
            dispute: id,
            take: take.to_vec(),
        };
        if !self.apply(&format!("Settle dispute {id}"), vec![edit]) {
            return false;
        }
        self.selected = None;
        if let Some(start) = start {
            self.place_caret(start);
        }
        let progress = self.dispute_progress().label();
        self.info(format!("Dispute {id}: took {what} ({progress})"));
        true
    }
}
