//! The modal questions and what their answers do. The dialog is drawn in
//! the ui pass, which pushes the answer as an action; it is acted on here,
//! after the frame.

use egui::Context;

use super::TandaiApp;
use crate::gui::Action;
use crate::gui::panels::overlays::Answer;
use crate::recovery;

/// What to do once the unsaved-changes question is answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Then {
    /// Close the window.
    Close,
    /// Open this file.
    Open(std::path::PathBuf),
    /// Open the example article.
    OpenExample,
    /// Show the open dialog.
    OpenDialog,
}

/// A modal question or report.
#[derive(Clone, Debug, PartialEq)]
pub enum Dialog {
    /// Save / Discard / Cancel before `Then`.
    Unsaved(Then),
    /// The file changed on disk since it was loaded (what happened).
    Conflict(String),
    /// A recovery file with unsaved work was found (what it holds).
    Recovery(String),
    /// A question before a bulk action, and the action.
    Confirm(String, Action),
    /// Who is annotating? Asked once, before the first tag, when no name
    /// is known; then the action is carried out.
    AskName(Action),
    /// A save was refused (a read-only file, another writer holding the
    /// lock): why, with Save As offered.
    SaveFailed(String),
    /// Something failed.
    Error(String),
    /// A report (import or export finished).
    Info(String),
}

impl TandaiApp {
    /// Acts on the answer to the dialog shown.
    pub(super) fn answer(&mut self, ctx: &Context, answer: Answer) {
        let Some(dialog) = self.dialog.take() else {
            return;
        };
        match (dialog, answer) {
            (Dialog::Unsaved(then), Answer::Save) if self.save() => self.then(then, ctx),
            // The unsaved work stays unsaved (and autosaved) until the
            // replacement is really open: if the open dialog is cancelled
            // or the file does not open, nothing was discarded.
            (Dialog::Unsaved(then), Answer::Discard) => {
                self.discarding = self.doc.as_ref().map(|d| d.session.doc().path.clone());
                self.then(then, ctx);
            }
            (Dialog::Conflict(_), Answer::Overwrite) => self.save_over(),
            (Dialog::Conflict(_) | Dialog::SaveFailed(_), Answer::SaveAs) => {
                self.save_as();
            }
            (Dialog::Conflict(_), Answer::Reload) => self.reload(),
            (Dialog::Recovery(_), Answer::Restore) => self.restore_recovery(),
            (Dialog::Recovery(_), Answer::Discard) => {
                if let Some(doc) = self.doc.as_ref()
                    && let Err(e) = recovery::remove(&doc.session.doc().path)
                {
                    self.dialog = Some(Dialog::Error(format!(
                        "Cannot delete the recovery file: {e}"
                    )));
                }
            }
            (Dialog::Confirm(_, action), Answer::Confirm) => self.apply_one(ctx, action),
            (Dialog::AskName(action), Answer::Name(name)) => {
                let name = name.trim().to_owned();
                if name.is_empty() {
                    self.dialog = Some(Dialog::AskName(action));
                    return;
                }
                self.settings.annotator = name;
                self.sync_settings();
                self.apply_one(ctx, action);
            }
            _ => {}
        }
    }

    /// Asks before accepting or rejecting every tag the review filter shows.
    pub(super) fn ask_bulk(&mut self, accept: bool) {
        let Some(s) = self.session_mut() else {
            return;
        };
        let n = s.review_bulk_count(accept);
        if n == 0 {
            s.info("Nothing to change: every tag shown already has that decision");
            return;
        }
        let verb = if accept { "Accept" } else { "Reject" };
        self.dialog = Some(Dialog::Confirm(
            format!(
                "{verb} the {n} machine tags the filter shows? This is one step; Ctrl+Z takes it back."
            ),
            Action::ReviewBulk(accept),
        ));
    }
}
