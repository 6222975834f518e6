//! Find in folder (Ctrl+Shift+F): the text and notes of every article of
//! the open folder, searched in the background, hits listed by article.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};

use egui::{Context, RichText};

use crate::gui::Action;
use crate::gui::panels::corpus::Corpus;
use crate::search::{self, DocumentHits, Place, Query};

/// The folder search window's state.
#[derive(Default)]
pub struct FolderSearch {
    /// Whether the window is shown.
    pub open: bool,
    /// Give the pattern field the focus next frame.
    pub focus: bool,
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
    /// Opens the window with the field focused (case and accents ignored
    /// the first time).
    pub fn show(&mut self) {
        if !self.open && self.query.pattern.is_empty() {
            self.query.ignore_case = true;
            self.query.ignore_accents = true;
        }
        self.open = true;
        self.focus = true;
    }

    fn start(&mut self, corpus: &Corpus) {
        self.results.clear();
        self.searched = 0;
        self.total = corpus.entries.len();
        self.running = None;
        if self.query.pattern.trim().is_empty() {
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&cancel);
        let articles: Vec<_> = corpus.entries.iter().map(|e| e.article.clone()).collect();
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

    fn poll(&mut self) -> bool {
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

    /// Draws the window.
    pub fn window(&mut self, ctx: &Context, corpus: &Corpus, actions: &mut Vec<Action>) {
        if self.poll() {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        let mut open = self.open;
        egui::Window::new("Find in folder")
            .open(&mut open)
            .default_width(520.0)
            .default_height(420.0)
            .show(ctx, |ui| {
                let mut go = false;
                ui.horizontal(|ui| {
                    let label = ui.label("Search for");
                    let r = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.query.pattern)
                                .hint_text("text or note to find")
                                .desired_width(260.0),
                        )
                        .labelled_by(label.id);
                    if self.focus {
                        r.request_focus();
                        self.focus = false;
                    }
                    go |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    go |= ui
                        .button("Search")
                        .on_hover_text("Search every article and note of the folder")
                        .clicked();
                });
                ui.horizontal(|ui| {
                    go |= ui
                        .checkbox(&mut self.query.ignore_case, "Ignore case")
                        .changed();
                    go |= ui
                        .checkbox(&mut self.query.ignore_accents, "Ignore accents")
                        .changed();
                });
                if go {
                    self.start(corpus);
                }
                let hits: usize = self.results.iter().map(|(_, h)| h.hits.len()).sum();
                let status = if self.running.is_some() {
                    format!(
                        "searching {} / {}: {hits} hits in {} articles",
                        self.searched,
                        self.total,
                        self.results.len()
                    )
                } else if self.total > 0 {
                    format!("{hits} hits in {} articles", self.results.len())
                } else {
                    String::new()
                };
                ui.label(RichText::new(status).weak());
                ui.separator();
                egui::ScrollArea::vertical()
                    .id_salt("folder-search-results")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        for (i, doc) in &self.results {
                            let name = corpus.entries.get(*i).map_or("?", |e| e.name.as_str());
                            let more = if doc.truncated { "+" } else { "" };
                            egui::CollapsingHeader::new(format!(
                                "{name} ({}{more})",
                                doc.hits.len()
                            ))
                            .id_salt(("folder-hit", *i))
                            .default_open(true)
                            .show(ui, |ui| {
                                for hit in &doc.hits {
                                    let prefix = match &hit.place {
                                        Place::Article(r) => format!("{}: ", r.start),
                                        Place::Note { span } => format!("note of span {span}: "),
                                    };
                                    if ui
                                        .selectable_label(false, format!("{prefix}{}", hit.context))
                                        .on_hover_text("Open the article at this hit")
                                        .clicked()
                                    {
                                        actions.push(Action::OpenHit(*i, hit.place.clone()));
                                    }
                                }
                            });
                        }
                    });
            });
        self.open = open;
        if !open {
            self.running = None;
        }
    }
}
