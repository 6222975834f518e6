//! Review > Suggest: machine tags for the open article or the whole
//! folder, from tandai's rules or the command in the settings, made in the
//! background ([`crate::suggest::job`]) with progress and Cancel. When they
//! are ready, the open article takes its tags as one undo step (they join
//! its review queue) and the folder's other articles get theirs on disk.

use std::fmt::Write as _;

use super::{Dialog, TandaiApp};
use crate::interop::tags::{self, FolderOptions};
use crate::suggest::command::DEFAULT_TIMEOUT;
use crate::suggest::job::{Job, JobProgress, JobSource};
use crate::suggest::pipeline::{self, Target};

impl TandaiApp {
    /// Starts suggesting for the open article, or (`folder`) every article
    /// of the open folder. One job at a time.
    pub(super) fn start_suggest(&mut self, folder: bool) {
        if self.suggesting.is_some() {
            return;
        }
        let targets = if folder {
            let Some(root) = self.folder.as_ref().map(|f| f.root().to_owned()) else {
                return;
            };
            match pipeline::targets(&[root]) {
                Ok(t) => t,
                Err(e) => {
                    self.dialog = Some(Dialog::Error(e.to_string()));
                    return;
                }
            }
        } else {
            let Some(s) = self.session() else { return };
            let path = s.doc().article.path.clone();
            let doc = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            vec![Target { path, doc }]
        };
        let command = self.settings.suggest_command.trim();
        let source = if command.is_empty() {
            JobSource::Builtin
        } else {
            JobSource::Command {
                command: command.to_owned(),
                timeout: DEFAULT_TIMEOUT,
            }
        };
        self.suggesting = Some(Job::start(targets, source));
    }

    /// Stops the job (nothing it made is added).
    pub(super) fn cancel_suggest(&mut self) {
        if let Some(job) = &self.suggesting {
            job.cancel();
        }
    }

    /// How far the job is, for the progress window.
    pub(super) fn suggest_progress(&self) -> Option<JobProgress> {
        self.suggesting.as_ref().map(Job::progress)
    }

    /// Takes in a finished job; `true` while one runs (the frame then asks
    /// to be painted again soon).
    pub(super) fn poll_suggest(&mut self) -> bool {
        let Some(job) = self.suggesting.as_mut() else {
            return false;
        };
        let Some(result) = job.poll() else {
            return true;
        };
        let targets = std::mem::take(&mut job.targets);
        self.suggesting = None;
        self.dialog = Some(match result {
            Ok(bytes) => Dialog::Info(self.land_suggestions(&targets, &bytes)),
            Err(crate::suggest::pipeline::SuggestError::Cancelled) => {
                Dialog::Info("Suggesting was cancelled; nothing was added.".to_owned())
            }
            Err(e) => Dialog::Error(e.to_string()),
        });
        false
    }

    /// Adds the tags: the open article's as one undo step, the others'
    /// to their annotation files. What it did, for the dialog.
    fn land_suggestions(&mut self, targets: &[Target], bytes: &[u8]) -> String {
        let split = tags::split_by_doc(bytes);
        let open = self.session().map(|s| s.doc().article.path.clone());
        let same = |a: &std::path::Path, b: &std::path::Path| {
            std::path::absolute(a).ok() == std::path::absolute(b).ok()
        };
        let mut text = String::new();
        let mut others = 0;
        let mut problems = split.problems.len();
        for (doc, lines) in &split.docs {
            let Some(t) = targets.iter().find(|t| &t.doc == doc) else {
                problems += lines.numbers.len();
                continue;
            };
            if open.as_deref().is_some_and(|o| same(o, &t.path)) {
                let Some(doc) = self.doc.as_mut() else {
                    continue;
                };
                match doc
                    .session
                    .import_tag_bytes(&lines.src, "suggestions", &|_| true)
                {
                    Ok(report) => {
                        let _ = writeln!(text, "This article: {report}");
                    }
                    Err(e) => {
                        let _ = writeln!(text, "This article: {e}");
                    }
                }
                continue;
            }
            let parts = [("suggestions".to_owned(), lines.src.clone())];
            match tags::import_into_article(&t.path, &parts, FolderOptions::default(), true) {
                Ok(done) => {
                    others += done.inputs.iter().map(|r| r.report.added).sum::<usize>();
                    if done.written
                        && let Some(f) = self.folder.as_mut()
                        && let Some(i) = f.index_of(&t.path)
                    {
                        f.reread(i);
                    }
                }
                Err(e) => {
                    let _ = writeln!(text, "{}: {e}", t.doc);
                }
            }
        }
        if targets.len() > 1 {
            let _ = write!(
                text,
                "{others} tags added to the folder's other articles ({} articles read)",
                targets.len()
            );
        }
        if problems > 0 {
            let _ = write!(text, "\n{problems} suggested lines could not be used");
        }
        if text.is_empty() {
            "No suggestions for this article.".to_owned()
        } else {
            text.trim_end().to_owned()
        }
    }
}
