//! Adjudicating a merged file: its open disputes in text order, settling
//! one as an undo step (so undo puts it back), and how far it has got.
//! The app's queue reads these; the rules are in [`crate::merge`].

use super::Session;
use crate::edit::Edit;
use crate::merge::{self, Progress};
use crate::model::{Dispute, DisputeId};

impl Session {
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
