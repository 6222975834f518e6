//! Find in folder: the text and notes of every article of an open folder,
//! searched in a background thread, hits gathered by article. No egui: the
//! app starts a search and polls it between frames; a window draws it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};

use super::folder::Folder;
use crate::search::{self, DocumentHits, Query};

/// A folder search: its query, the results so far and the thread running
/// it (cancelled when a new search starts or this is dropped).
#[derive(Default)]
pub struct FolderSearch {
    query: Query,
    /// Results so far: (entry index, hits).
    results: Vec<(usize, DocumentHits)>,
    searched: usize,
    total: usize,
    running: Option<Running>,
}

struct Running {
    rx: Receiver<(usize, Option<DocumentHits>)>,
    cancel: Arc<AtomicBool>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

impl FolderSearch {
    /// The query of the last search started.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// Results so far: (entry index, hits), in the order found.
    pub fn results(&self) -> &[(usize, DocumentHits)] {
        &self.results
    }

    /// Articles searched so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.searched, self.total)
    }

    /// Whether a search is going on.
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// Starts searching every article of `folder` for `query` (an empty
    /// pattern clears the results), cancelling a search still running.
    pub fn start(&mut self, folder: &Folder, query: Query) {
        self.query = query;
        self.results.clear();
        self.searched = 0;
        self.total = folder.entries().len();
        self.running = None;
        if self.query.pattern.trim().is_empty() {
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&cancel);
        let articles: Vec<_> = folder.entries().iter().map(|e| e.article.clone()).collect();
        let query = self.query.clone();
        let spawned = std::thread::Builder::new()
            .name("tandai-folder-search".into())
            .spawn(move || {
                for (i, a) in articles.iter().enumerate() {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    if tx.send((i, search::search_document(a, &query))).is_err() {
                        return;
                    }
                }
            });
        if spawned.is_ok() {
            self.running = Some(Running { rx, cancel });
        }
    }

    /// Stops a running search (keeping what it found).
    pub fn stop(&mut self) {
        self.running = None;
    }

    /// Takes in what was found since the last call. Returns whether the
    /// search is still going (the caller asks for a repaint).
    pub fn poll(&mut self) -> bool {
        let Some(run) = &self.running else {
            return false;
        };
        loop {
            match run.rx.try_recv() {
                Ok((i, hits)) => {
                    self.searched += 1;
                    if let Some(h) = hits {
                        self.results.push((i, h));
                    }
                }
                Err(TryRecvError::Empty) => return true,
                Err(TryRecvError::Disconnected) => {
                    self.running = None;
                    return false;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_text_and_notes_across_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Menteri membantah laporan itu.\n").unwrap();
        std::fs::write(
            dir.path().join("b.txt"),
            "Juru bicara mengatakan tidak ada.\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("b.tandai.ron"),
            r#"(version: 1, document: (path: "b.txt"), spans: [(id: 1, label: "claim", start: 0, end: 4, note: Some("dibantah kemudian"))])"#,
        )
        .unwrap();
        let folder = Folder::open(dir.path()).unwrap();
        let mut s = FolderSearch::default();
        let query = Query {
            pattern: "BANTAH".into(),
            ignore_case: true,
            ignore_accents: true,
        };
        s.start(&folder, query);
        for _ in 0..2000 {
            if !s.poll() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        assert!(!s.running());
        assert_eq!(s.progress(), (2, 2));
        let found: Vec<usize> = s.results().iter().map(|(i, _)| *i).collect();
        assert_eq!(found, [0, 1], "the article text of a, the note of b");
        assert!(matches!(
            s.results()[1].1.hits[0].place,
            search::Place::Note { span: 1 }
        ));

        s.start(&folder, Query::default());
        assert!(s.results().is_empty() && !s.running());
    }
}
