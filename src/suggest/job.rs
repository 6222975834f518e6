//! Suggestions made in the background, for the app: [`Job::start`] runs
//! [`pipeline::suggest`] on a thread of its own; the app polls it each
//! frame for progress and the result, and may cancel it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use super::pipeline::{self, Source, SuggestError, Target};

/// Where a job's tags come from (owned, for the thread).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobSource {
    /// tandai's rules (each article's own `tandai.suggest.ron`, else the
    /// built-in ones).
    Builtin,
    /// A command from the user's settings.
    Command {
        /// The shell command.
        command: String,
        /// How long one run may take.
        timeout: Duration,
    },
}

/// How far a job is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobProgress {
    /// Articles done.
    pub done: usize,
    /// Articles in all.
    pub total: usize,
    /// The article being read.
    pub current: String,
}

/// Suggestions being made in the background.
#[derive(Debug)]
pub struct Job {
    /// The articles the tags are for.
    pub targets: Vec<Target>,
    cancel: Arc<AtomicBool>,
    progress: Arc<Mutex<JobProgress>>,
    handle: Option<JoinHandle<Result<Vec<u8>, SuggestError>>>,
}

impl Job {
    /// Starts suggesting for `targets`.
    pub fn start(targets: Vec<Target>, source: JobSource) -> Self {
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(Mutex::new(JobProgress {
            done: 0,
            total: targets.len(),
            current: String::new(),
        }));
        let (c, p, t) = (cancel.clone(), progress.clone(), targets.clone());
        let handle = std::thread::spawn(move || {
            let source = match &source {
                JobSource::Builtin => Source::Builtin { rules: None },
                JobSource::Command { command, timeout } => Source::Command {
                    command,
                    timeout: *timeout,
                },
            };
            let result = pipeline::suggest(&t, source, &c, &mut |pr| {
                let mut g = p.lock().unwrap_or_else(PoisonError::into_inner);
                g.done = pr.done;
                g.total = pr.total;
                g.current = pr.current.display().to_string();
            });
            if c.load(Ordering::Relaxed) {
                return Err(SuggestError::Cancelled);
            }
            result
        });
        Job {
            targets,
            cancel,
            progress,
            handle: Some(handle),
        }
    }

    /// How far it is.
    pub fn progress(&self) -> JobProgress {
        self.progress
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Asks it to stop; [`Job::poll`] then gives [`SuggestError::Cancelled`].
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The tags (JSONL with `doc`) once it has finished; `None` while it
    /// runs (or after the result was taken).
    pub fn poll(&mut self) -> Option<Result<Vec<u8>, SuggestError>> {
        if !self.handle.as_ref()?.is_finished() {
            return None;
        }
        let handle = self.handle.take()?;
        Some(handle.join().unwrap_or(Err(SuggestError::Cancelled)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait(job: &mut Job) -> Result<Vec<u8>, SuggestError> {
        for _ in 0..500 {
            if let Some(r) = job.poll() {
                return r;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the job did not finish");
    }

    #[test]
    fn a_job_gives_its_tags_and_a_cancelled_one_gives_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "Polisi mengatakan bahwa kapal itu karam di laut.\n").unwrap();
        let target = Target {
            path,
            doc: "a.txt".into(),
        };
        let mut job = Job::start(vec![target.clone()], JobSource::Builtin);
        let tags = String::from_utf8(wait(&mut job).unwrap()).unwrap();
        assert!(tags.contains("\"label\":\"claim\""), "{tags}");
        assert!(job.poll().is_none(), "the result is taken once");

        let slow = JobSource::Command {
            command: "sleep 20".into(),
            timeout: Duration::from_mins(1),
        };
        let mut job = Job::start(vec![target], slow);
        job.cancel();
        assert!(matches!(wait(&mut job), Err(SuggestError::Cancelled)));
    }
}
