//! The corpus sidebar: every article of the open folder with its state,
//! progress for the whole folder, and a filter by state and name.
//!
//! The list appears at once (a directory walk); the state of each article
//! (read from its annotation file, never from the article itself) is filled
//! in by a background thread, so a folder of thousands of articles opens
//! without a wait. Rows are virtualised: only visible ones are drawn.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};

use egui::{Color32, RichText, Ui};

use crate::corpus::{self, DocInfo, Entry};
use crate::gui::Action;
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
    fn name(self) -> &'static str {
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
pub struct Corpus {
    /// The folder.
    pub root: PathBuf,
    /// Its articles, in name order.
    pub entries: Vec<Entry>,
    /// What is known of each, by index.
    pub known: Vec<Known>,
    rx: Option<Receiver<(usize, Known)>>,
    /// Name filter (case-insensitive substring).
    pub filter: String,
    /// State filter.
    pub show: Show,
    /// Indices of the entries shown, after filtering; renewed on change.
    shown: Vec<usize>,
    shown_dirty: bool,
    /// Folder-wide counts, renewed when a state changes.
    progress: Option<corpus::Progress>,
    last_lookup: std::cell::RefCell<Option<(PathBuf, Option<usize>)>>,
}

impl Corpus {
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
        Ok(Self {
            root: root.to_owned(),
            entries,
            known,
            rx: Some(rx),
            filter: String::new(),
            show: Show::All,
            shown: Vec::new(),
            shown_dirty: true,
            progress: None,
            last_lookup: std::cell::RefCell::new(None),
        })
    }

    /// Takes in the states read since the last frame. Returns whether the
    /// background reading is still going (the caller asks for a repaint).
    pub fn poll(&mut self) -> bool {
        let Some(rx) = &self.rx else {
            return false;
        };
        // Bounded per frame, so a huge folder never stalls a frame.
        for _ in 0..2000 {
            match rx.try_recv() {
                Ok((i, k)) => {
                    if let Some(slot) = self.known.get_mut(i) {
                        *slot = k;
                        self.shown_dirty = true;
                        self.progress = None;
                    }
                }
                Err(TryRecvError::Empty) => return true,
                Err(TryRecvError::Disconnected) => {
                    self.rx = None;
                    return false;
                }
            }
        }
        true
    }

    /// Whether states are still being read.
    pub fn loading(&self) -> bool {
        self.rx.is_some()
    }

    /// Index of the entry for this article, remembered for the last path
    /// asked about: the app asks every frame, and a miss would otherwise
    /// resolve every entry's path on disk each time.
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

    /// Records what is known now of an article (after a save or an edit of
    /// the open one).
    pub fn set_info(&mut self, index: usize, info: DocInfo) {
        if let Some(slot) = self.known.get_mut(index) {
            let new = Known::Info(info);
            if *slot != new {
                *slot = new;
                self.shown_dirty = true;
                self.progress = None;
            }
        }
    }

    /// Counts over the whole folder (counted again only after a change).
    pub fn progress(&mut self) -> corpus::Progress {
        if let Some(p) = self.progress {
            return p;
        }
        let p = self.count();
        self.progress = Some(p);
        p
    }

    fn count(&self) -> corpus::Progress {
        let mut p = corpus::Progress::default();
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

    fn refresh_shown(&mut self) {
        if self.shown_dirty {
            self.shown = (0..self.entries.len())
                .filter(|&i| self.matches(i))
                .collect();
            self.shown_dirty = false;
        }
    }

    /// The article after (or before) `current` among those the filter
    /// shows; from the top (or bottom) if nothing is current. Stops at the
    /// ends: the last article has no next one.
    pub fn neighbour(&mut self, current: Option<usize>, forward: bool) -> Option<usize> {
        self.refresh_shown();
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

    /// Draws the sidebar. `current`: index of the open article.
    pub fn ui(&mut self, ui: &mut Ui, current: Option<usize>, actions: &mut Vec<Action>) {
        let folder = self.root.file_name().map_or_else(
            || self.root.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        ui.heading(folder)
            .on_hover_text(self.root.display().to_string());
        let p = self.progress();
        ui.label(format!("{} / {} done", p.done, p.total));
        let fraction = if p.total == 0 {
            0.0
        } else {
            p.done as f32 / p.total as f32
        };
        ui.add(egui::ProgressBar::new(fraction).desired_height(6.0))
            .on_hover_text(format!(
                "{} done, {} in progress, {} not started{}",
                p.done,
                p.in_progress,
                p.not_started,
                if p.unreadable > 0 {
                    format!(", {} unreadable", p.unreadable)
                } else {
                    String::new()
                }
            ));
        let mut line = Vec::new();
        if p.pending > 0 {
            line.push(format!("{} machine tags to review", p.pending));
        }
        if self.loading() {
            let read = self.known.iter().filter(|k| **k != Known::Unknown).count();
            line.push(format!("reading {read} / {}", p.total));
        }
        if !line.is_empty() {
            ui.label(RichText::new(line.join(" · ")).weak());
        }
        ui.horizontal(|ui| {
            let label = ui.label("Filter");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.filter)
                        .hint_text("name")
                        .desired_width(100.0),
                )
                .labelled_by(label.id);
            if r.changed() {
                self.shown_dirty = true;
            }
            let before = self.show;
            egui::ComboBox::from_id_salt("corpus-show")
                .selected_text(self.show.name())
                .width(110.0)
                .show_ui(ui, |ui| {
                    for s in [
                        Show::All,
                        Show::State(DocState::NotStarted),
                        Show::State(DocState::InProgress),
                        Show::State(DocState::Done),
                        Show::AwaitingReview,
                    ] {
                        ui.selectable_value(&mut self.show, s, s.name());
                    }
                })
                .response
                .on_hover_text("Show articles in one state only");
            if self.show != before {
                self.shown_dirty = true;
            }
        });
        ui.separator();
        self.refresh_shown();
        if self.shown.is_empty() {
            ui.label(
                RichText::new(if self.entries.is_empty() {
                    "No .txt articles in this folder."
                } else {
                    "No article matches the filter."
                })
                .weak(),
            );
            return;
        }
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        egui::ScrollArea::vertical()
            .id_salt("corpus-list")
            .auto_shrink([false, false])
            .show_rows(ui, row_h, self.shown.len(), |ui, rows| {
                for &i in &self.shown[rows] {
                    self.row(ui, i, current == Some(i), actions);
                }
            });
    }

    fn row(&self, ui: &mut Ui, i: usize, current: bool, actions: &mut Vec<Action>) {
        let Some(e) = self.entries.get(i) else {
            return;
        };
        let (mark, color, detail) = match self.known.get(i) {
            Some(Known::Info(info)) => {
                let color = match info.state {
                    DocState::Done => Color32::from_rgb(60, 170, 90),
                    DocState::InProgress => Color32::from_rgb(220, 160, 40),
                    DocState::NotStarted => ui.visuals().weak_text_color(),
                };
                let mut detail = format!("{}, {} spans", info.state.name(), info.spans);
                if info.pending > 0 {
                    let _ = write!(detail, ", {} to review", info.pending);
                }
                if info.recovery {
                    detail.push_str(", unsaved work can be recovered");
                }
                let mark = match info.state {
                    DocState::Done => "[x]",
                    DocState::InProgress => "[~]",
                    DocState::NotStarted => "[ ]",
                };
                (mark, color, detail)
            }
            Some(Known::Unreadable(why)) => ("[!]", ui.visuals().error_fg_color, why.clone()),
            _ => ("[?]", ui.visuals().weak_text_color(), "reading…".to_owned()),
        };
        let pending = match self.known.get(i) {
            Some(Known::Info(info)) if info.pending > 0 => format!("  {} to review", info.pending),
            _ => String::new(),
        };
        let text = RichText::new(format!("{mark} {}{pending}", e.name)).color(if current {
            ui.visuals().strong_text_color()
        } else {
            ui.visuals().text_color()
        });
        let r = ui
            .horizontal(|ui| {
                let (dot, _) = ui.allocate_exact_size(egui::vec2(8.0, 8.0), egui::Sense::hover());
                ui.painter().circle_filled(dot.center(), 4.0, color);
                ui.add(egui::Button::selectable(current, text).truncate())
            })
            .inner
            .on_hover_text(format!("{}\n{detail}", e.article.display()));
        if r.clicked() && !current {
            actions.push(Action::OpenDocument(i));
        }
    }
}
