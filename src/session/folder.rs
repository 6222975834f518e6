//! An open folder of articles, as the app's sidebar shows it: the list
//! appears at once (a directory walk), the state of each article (read from
//! its annotation file, never from the article) is filled in by a
//! background thread, and a filter by name and state picks what is shown.
//! Next / previous article walk what is shown.
//!
//! No egui: the sidebar panel draws a [`Folder`]; the app calls
//! [`Folder::poll`] and the setters between frames.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};

use crate::corpus::{self, DocInfo, Entry, Progress};
use crate::model::DocState;

/// Which articles the sidebar shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Show {
    /// Every article.
    #[default]
    All,
    /// Articles in one state.
    State(DocState),
    /// Articles with machine tags waiting for review.
    AwaitingReview,
}

impl Show {
    /// Every choice, in menu order.
    pub const ALL: [Show; 5] = [
        Show::All,
        Show::State(DocState::NotStarted),
        Show::State(DocState::InProgress),
        Show::State(DocState::Done),
        Show::AwaitingReview,
    ];

    /// As the sidebar names it.
    pub fn name(self) -> &'static str {
        match self {
            Show::All => "all",
            Show::State(s) => s.name(),
            Show::AwaitingReview => "awaiting review",
        }
    }
}

/// What is known of one article.
#[derive(Clone, Debug, PartialEq)]
pub enum Known {
    /// Not read yet.
    Unknown,
    /// Read.
    Info(DocInfo),
    /// Its annotation file does not read (the message says why).
    Unreadable(String),
}

/// An open folder of articles.
pub struct Folder {
    root: PathBuf,
    entries: Vec<Entry>,
    known: Vec<Known>,
    rx: Option<Receiver<(usize, Known)>>,
    filter: String,
    show: Show,
    /// Indices of the entries shown, after filtering; renewed on change.
    shown: Vec<usize>,
    /// Folder-wide counts, renewed on change.
    progress: Progress,
    last_lookup: RefCell<Option<(PathBuf, Option<usize>)>>,
}

impl Folder {
    /// Lists the folder now and starts reading states in the background.
    pub fn open(root: &Path) -> std::io::Result<Self> {
        let entries = corpus::list(root)?;
        let known = vec![Known::Unknown; entries.len()];
        let (tx, rx) = std::sync::mpsc::channel();
        let work = entries.clone();
        std::thread::Builder::new()
            .name("tandai-corpus".into())
            .spawn(move || {
                for (i, e) in work.iter().enumerate() {
                    let k = match corpus::info(e) {
                        Ok(info) => Known::Info(info),
                        Err(err) => Known::Unreadable(err.to_string()),
                    };
                    if tx.send((i, k)).is_err() {
                        return; // the folder was closed
                    }
                }
            })?;
        let mut folder = Self {
            root: root.to_owned(),
            entries,
            known,
            rx: Some(rx),
            filter: String::new(),
            show: Show::All,
            shown: Vec::new(),
            progress: Progress::default(),
            last_lookup: RefCell::new(None),
        };
        folder.renew();
        Ok(folder)
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Its articles, in natural name order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// What is known of the article with this index.
    pub fn known(&self, index: usize) -> Option<&Known> {
        self.known.get(index)
    }

    /// How many articles' states have been read.
    pub fn read_count(&self) -> usize {
        self.known.iter().filter(|k| **k != Known::Unknown).count()
    }

    /// The name filter.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The state filter.
    pub fn show(&self) -> Show {
        self.show
    }

    /// Indices of the articles the filters let through, in order.
    pub fn shown(&self) -> &[usize] {
        &self.shown
    }

    /// Counts over the whole folder.
    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// Takes in the states read since the last call. Returns whether the
    /// background reading is still going (the caller asks for a repaint).
    pub fn poll(&mut self) -> bool {
        let Some(rx) = &self.rx else {
            return false;
        };
        let mut changed = false;
        let mut going = true;
        // Bounded per call, so a huge folder never stalls a frame.
        for _ in 0..2000 {
            match rx.try_recv() {
                Ok((i, k)) => {
                    if let Some(slot) = self.known.get_mut(i) {
                        *slot = k;
                        changed = true;
                    }
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.rx = None;
                    going = false;
                    break;
                }
            }
        }
        if changed {
            self.renew();
        }
        going
    }

    /// Whether states are still being read.
    pub fn loading(&self) -> bool {
        self.rx.is_some()
    }

    /// Sets the name filter (case-insensitive substring).
    pub fn set_filter(&mut self, filter: &str) {
        if self.filter != filter {
            filter.clone_into(&mut self.filter);
            self.renew();
        }
    }

    /// Sets the state filter.
    pub fn set_show(&mut self, show: Show) {
        if self.show != show {
            self.show = show;
            self.renew();
        }
    }

    /// Index of the entry for this article (or annotation file),
    /// remembered for the last path asked about: the app asks every frame,
    /// and a miss would otherwise resolve every entry's path on disk.
    pub fn index_of(&self, path: &Path) -> Option<usize> {
        let mut last = self.last_lookup.borrow_mut();
        if let Some((p, i)) = last.as_ref()
            && p == path
        {
            return *i;
        }
        let i = self.find_index(path);
        *last = Some((path.to_owned(), i));
        i
    }

    fn find_index(&self, path: &Path) -> Option<usize> {
        let same = |a: &Path, b: &Path| {
            a == b
                || std::fs::canonicalize(a)
                    .ok()
                    .zip(std::fs::canonicalize(b).ok())
                    .is_some_and(|(x, y)| x == y)
        };
        self.entries
            .iter()
            .position(|e| e.article == path || e.annotation == path)
            .or_else(|| {
                self.entries
                    .iter()
                    .position(|e| same(&e.article, path) || same(&e.annotation, path))
            })
    }

    /// Records what is known now of an article (after a save, or an edit
    /// of the open one).
    pub fn set_info(&mut self, index: usize, info: DocInfo) {
        if let Some(slot) = self.known.get_mut(index) {
            let new = Known::Info(info);
            if *slot != new {
                *slot = new;
                self.renew();
            }
        }
    }

    /// Reads one article's state from its annotation file again (after
    /// unsaved changes shown in the list were dropped).
    pub fn reread(&mut self, index: usize) {
        let Some(e) = self.entries.get(index) else {
            return;
        };
        let k = match corpus::info(e) {
            Ok(info) => Known::Info(info),
            Err(err) => Known::Unreadable(err.to_string()),
        };
        if let Some(slot) = self.known.get_mut(index)
            && *slot != k
        {
            *slot = k;
            self.renew();
        }
    }

    /// Recounts the progress and the shown list: once per change, never
    /// per frame.
    fn renew(&mut self) {
        self.progress = self.count();
        self.shown = (0..self.entries.len())
            .filter(|&i| self.matches(i))
            .collect();
    }

    fn count(&self) -> Progress {
        let mut p = Progress::default();
        for k in &self.known {
            p.total += 1;
            match k {
                Known::Unknown => {}
                Known::Unreadable(_) => p.unreadable += 1,
                Known::Info(i) => {
                    match i.state {
                        DocState::NotStarted => p.not_started += 1,
                        DocState::InProgress => p.in_progress += 1,
                        DocState::Done => p.done += 1,
                    }
                    p.pending += i.pending;
                }
            }
        }
        p
    }

    fn matches(&self, i: usize) -> bool {
        let Some(e) = self.entries.get(i) else {
            return false;
        };
        let name_ok =
            self.filter.is_empty() || e.name.to_lowercase().contains(&self.filter.to_lowercase());
        let info = match self.known.get(i) {
            Some(Known::Info(info)) => Some(info),
            _ => None,
        };
        let state_ok = match self.show {
            Show::All => true,
            Show::State(s) => info.is_some_and(|x| x.state == s),
            Show::AwaitingReview => info.is_some_and(|x| x.pending > 0),
        };
        name_ok && state_ok
    }

    /// The article after (or before) `current` among those shown; from the
    /// top (or bottom) if nothing is current. Stops at the ends: the last
    /// article has no next one.
    pub fn neighbour(&self, current: Option<usize>, forward: bool) -> Option<usize> {
        match (current, forward) {
            (None, true) => self.shown.first().copied(),
            (None, false) => self.shown.last().copied(),
            (Some(c), true) => self.shown.iter().copied().find(|&i| i > c),
            (Some(c), false) => self.shown.iter().rev().copied().find(|&i| i < c),
        }
    }

    /// The first article not done yet, in folder order.
    pub fn first_not_done(&self) -> Option<usize> {
        (0..self.entries.len()).find(|&i| {
            !matches!(self.known.get(i), Some(Known::Info(info)) if info.state == DocState::Done)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait(f: &mut Folder) {
        for _ in 0..2000 {
            if !f.poll() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        panic!("the folder's states were never read");
    }

    #[test]
    fn states_filters_and_neighbours() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b-2.txt", "b-10.txt", "a.txt"] {
            std::fs::write(dir.path().join(name), "Kata dia.\n").unwrap();
        }
        std::fs::write(
            dir.path().join("b-2.tandai.ron"),
            r#"(version: 1, document: (path: "b-2.txt"), done: true, spans: [(id: 1, label: "claim", start: 0, end: 4)])"#,
        )
        .unwrap();
        let mut f = Folder::open(dir.path()).unwrap();
        wait(&mut f);
        let names: Vec<&str> = f.entries().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a.txt", "b-2.txt", "b-10.txt"]);
        assert_eq!(f.progress().done, 1);
        assert_eq!(f.progress().total, 3);
        assert_eq!(f.first_not_done(), Some(0));

        f.set_show(Show::State(DocState::NotStarted));
        assert_eq!(f.shown(), [0, 2]);
        assert_eq!(f.neighbour(Some(0), true), Some(2));
        assert_eq!(f.neighbour(Some(2), true), None);

        f.set_show(Show::All);
        f.set_filter("B-");
        assert_eq!(f.shown(), [1, 2]);
        assert_eq!(f.neighbour(None, false), Some(2));

        f.set_info(
            0,
            DocInfo {
                state: DocState::Done,
                spans: 1,
                pending: 2,
                recovery: false,
            },
        );
        assert_eq!(f.progress().done, 2);
        assert_eq!(f.progress().pending, 2);
        f.set_filter("");
        f.set_show(Show::AwaitingReview);
        assert_eq!(f.shown(), [0]);
        assert_eq!(f.index_of(&dir.path().join("b-10.txt")), Some(2));
        assert_eq!(f.index_of(&dir.path().join("b-2.tandai.ron")), Some(1));
    }
}
