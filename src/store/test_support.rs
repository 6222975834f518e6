//! Helpers shared by the store's unit tests.

use std::path::{Path, PathBuf};

use super::Loaded;
use crate::model::{Origin, Span, SpanId};

pub(crate) const LABELS: &[&str] = &["claim", "source", "denial"];

pub(crate) const ARTICLE: &str = "\u{feff}JAKARTA, KOMPAS.TV — Gedung Putih menuding “Korea Utara” mengirim peluru artileri 👍🏽.\r\n\r\nPyongyang membantah tuduhan itu.\r\n";

pub(crate) fn dir_with_article(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("berita.txt");
    std::fs::write(&p, text).unwrap();
    (dir, p)
}

pub(crate) fn tag(l: &mut Loaded, label: &str, quote: &str) -> SpanId {
    let b = l.article.text.as_str().find(quote).unwrap();
    let c = l.article.text.char_range(b..b + quote.len()).unwrap();
    let id = l.annotations.next_span_id();
    let s = Span::new_in(
        &l.article.text,
        id,
        label,
        c,
        Origin::Human {
            annotator: "ana".into(),
        },
    )
    .unwrap();
    l.annotations.insert_span(s).unwrap();
    id
}

/// Names in `dir`, sorted, but for save locks (`.NAME.lock`), which every
/// save leaves on purpose (see `store::lock`).
pub(crate) fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            let lock = std::path::Path::new(n)
                .extension()
                .is_some_and(|e| e == "lock");
            !(n.starts_with('.') && lock)
        })
        .collect();
    names.sort();
    names
}
