//! A folder of articles: which there are, how far along each is, and the
//! next or previous one.
//!
//! [`list`] only walks folders (no file is opened), so a corpus of thousands
//! of articles lists at once; [`info`] reads one annotation file (never the
//! article) for the sidebar's state marks, and can run lazily or in the
//! background.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use crate::model::{DocState, Status};
use crate::recovery;
use crate::store::{self, StoreError};
use crate::walk;

/// One article of a corpus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The article (`NAME.txt`).
    pub article: PathBuf,
    /// Its annotation file (`NAME.tandai.ron`, which may not exist yet).
    pub annotation: PathBuf,
    /// Path relative to the root, `/`-separated, for display and filtering.
    pub name: String,
}

/// Every article below `root` (`.txt`, the extension in any case), sorted
/// by [`natural_cmp`] of their names, found by the walking policy every
/// part of tandai shares ([`crate::walk`]): hidden names, build and
/// dependency folders, links to folders and links that lead out of `root`
/// are skipped. Only folders are read, never a file. A `root` that is
/// itself a `.txt` file lists just that file.
pub fn list(root: &Path) -> std::io::Result<Vec<Entry>> {
    if std::fs::metadata(root)?.is_file() {
        let mut out = Vec::new();
        if walk::is_article(root) {
            let name = root
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            out.push(entry(root.to_owned(), name));
        }
        return Ok(out);
    }
    let mut out: Vec<Entry> = walk::files(root, &walk::is_article)?
        .into_iter()
        .map(|article| {
            let name = relative_name(root, &article);
            entry(article, name)
        })
        .collect();
    out.sort_by(|a, b| natural_cmp(&a.name, &b.name));
    Ok(out)
}

fn entry(article: PathBuf, name: String) -> Entry {
    Entry {
        annotation: store::annotation_path_for(&article),
        article,
        name,
    }
}

/// `path` relative to `root`, `/`-separated.
fn relative_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Orders names as people expect: runs of digits by their value (`a2.txt`
/// before `a10.txt`), letters ignoring case, `/`-separated folders one
/// level at a time (a folder's files stay together). Names equal under
/// these rules fall back to plain byte order, so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let mut ca = a.split('/');
    let mut cb = b.split('/');
    loop {
        match (ca.next(), cb.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => match natural_cmp_component(x, y) {
                Ordering::Equal => {}
                o => return o,
            },
        }
    }
}

fn natural_cmp_component(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let si = i;
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let x = trim_zeros(&a[si..i]);
            let y = trim_zeros(&b[sj..j]);
            let o = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
            if o != Ordering::Equal {
                return o;
            }
        } else {
            let o = a[i].to_ascii_lowercase().cmp(&b[j].to_ascii_lowercase());
            if o != Ordering::Equal {
                return o;
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&d| d == b'0').count();
    &digits[zeros..]
}

/// How far along one article is, from its annotation file alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocInfo {
    /// Not started, in progress or done.
    pub state: DocState,
    /// Number of spans in the annotation file (orphans included).
    pub spans: usize,
    /// Machine spans waiting for review.
    pub pending: usize,
    /// A recovery file newer than the annotation file exists (unsaved work
    /// from a crash; see [`recovery::find`]).
    pub recovery: bool,
}

/// Reads the state of one article from its annotation file; the article is
/// not read. No annotation file: not started, no spans. An annotation file
/// that cannot be read or parsed is an error (the sidebar shows it as
/// unreadable).
pub fn info(entry: &Entry) -> Result<DocInfo, StoreError> {
    let recovery = recovery::find(&entry.annotation).is_some();
    if !entry.annotation.exists() {
        return Ok(DocInfo {
            state: DocState::NotStarted,
            spans: 0,
            pending: 0,
            recovery,
        });
    }
    let (raw, _) = store::read_raw(&entry.annotation)?;
    let pending = raw
        .spans
        .iter()
        .filter(|s| match s.status {
            Some(st) => st == Status::Pending,
            // Loading gives a machine span without a status `Pending`.
            None => s.origin.is_machine(),
        })
        .count();
    Ok(DocInfo {
        state: DocState::of(raw.spans.len(), raw.done),
        spans: raw.spans.len(),
        pending,
        recovery,
    })
}

/// Counts over a corpus, for the sidebar's header and `stats`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Articles marked done.
    pub done: usize,
    /// Articles with spans, not marked done.
    pub in_progress: usize,
    /// Articles with no spans and not marked done (or no annotation file).
    pub not_started: usize,
    /// Articles whose annotation file could not be read.
    pub unreadable: usize,
    /// All articles.
    pub total: usize,
    /// Machine spans waiting for review, over all readable files.
    pub pending: usize,
}

impl Progress {
    /// Counts one article: `None` for one whose annotation file could not
    /// be read.
    pub fn add(&mut self, info: Option<&DocInfo>) {
        self.total += 1;
        let Some(info) = info else {
            self.unreadable += 1;
            return;
        };
        self.pending += info.pending;
        match info.state {
            DocState::Done => self.done += 1,
            DocState::InProgress => self.in_progress += 1,
            DocState::NotStarted => self.not_started += 1,
        }
    }

    /// Sums the results of [`info`] over a corpus.
    pub fn sum<'a>(infos: impl IntoIterator<Item = &'a Result<DocInfo, StoreError>>) -> Self {
        let mut p = Self::default();
        for i in infos {
            p.add(i.as_ref().ok());
        }
        p
    }
}

/// The index of the next (`forward`) or previous article after `current`
/// in `entries` (sorted as [`list`] sorts them; a filtered list is fine).
/// `current` may be an article or its annotation file. There is no
/// wrapping: `None` past either end. If `current` is not in `entries` (it
/// was filtered out), the nearest entry after or before it in name order
/// is given.
pub fn neighbour(entries: &[Entry], current: &Path, forward: bool) -> Option<usize> {
    if let Some(i) = entries
        .iter()
        .position(|e| e.article == current || e.annotation == current)
    {
        return if forward {
            (i + 1 < entries.len()).then_some(i + 1)
        } else {
            i.checked_sub(1)
        };
    }
    let here = current.to_string_lossy();
    let key = |e: &Entry| natural_cmp(&e.article.to_string_lossy(), &here);
    if forward {
        entries.iter().position(|e| key(e) == Ordering::Greater)
    } else {
        entries.iter().rposition(|e| key(e) == Ordering::Less)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Annotations, DocumentRef, Origin, Span, SpanId};
    use crate::offsets::Text;
    use std::time::Instant;

    fn touch(root: &Path, rel: &str, contents: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }

    fn names(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn natural_order() {
        let mut v = vec![
            "a10.txt", "a2.txt", "B1.txt", "a1.txt", "a02.txt", "b/x.txt", "a/z.txt", "a.txt",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            [
                "a/z.txt", "a.txt", "a1.txt", "a02.txt", "a2.txt", "a10.txt", "b/x.txt", "B1.txt"
            ]
        );
        assert_eq!(
            natural_cmp("x99999999999999999999999.txt", "x1.txt"),
            Ordering::Greater
        );
    }

    #[test]
    fn lists_articles_skipping_hidden_build_and_linked_folders() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        let outside = tempfile::tempdir().unwrap();
        touch(outside.path(), "secret.txt", "x");
        for rel in [
            "a10.txt",
            "a2.txt",
            "sub/b.TXT",
            "sub/deeper/c.txt",
            ".hidden.txt",
            ".git/d.txt",
            "target/e.txt",
            "sub/target/f.txt",
            "notes.md",
            "a2.tandai.ron",
            "a2.tandai.ron.recovery",
        ] {
            touch(r, rel, "x");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(r, r.join("sub/loop")).unwrap();
            std::os::unix::fs::symlink(r.join("a2.txt"), r.join("linked.txt")).unwrap();
            std::os::unix::fs::symlink(r.join("gone.txt"), r.join("broken.txt")).unwrap();
            std::os::unix::fs::symlink(outside.path().join("secret.txt"), r.join("out.txt"))
                .unwrap();
        }
        let e = list(r).unwrap();
        let mut want = vec![
            "a2.txt",
            "a10.txt",
            "linked.txt",
            "sub/b.TXT",
            "sub/deeper/c.txt",
        ];
        if cfg!(not(unix)) {
            want.retain(|n| *n != "linked.txt");
        }
        assert_eq!(names(&e), want);
        assert_eq!(e[0].article, r.join("a2.txt"));
        assert_eq!(e[0].annotation, r.join("a2.tandai.ron"));
        let one = list(&r.join("a2.txt")).unwrap();
        assert_eq!(names(&one), ["a2.txt"]);
    }

    #[test]
    fn info_reads_state_from_the_annotation_file_only() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        // No article needed: info never reads it.
        let t = Text::new("Gedung Putih menuding Korea Utara.".into());
        let mut ann = Annotations::new(DocumentRef {
            path: "b.txt".into(),
            ..DocumentRef::default()
        });
        ann.insert_span(Span::new_in(&t, SpanId(1), "source", 0..12, Origin::default()).unwrap())
            .unwrap();
        let machine = Origin::Machine {
            model: "m".into(),
            score: None,
        };
        ann.insert_span(Span::new_in(&t, SpanId(2), "claim", 22..33, machine.clone()).unwrap())
            .unwrap();
        touch(r, "a.txt", "");
        touch(r, "b.txt", "");
        touch(r, "c.txt", "");
        touch(r, "d.txt", "");
        touch(r, "e.txt", "");
        std::fs::write(r.join("b.tandai.ron"), crate::format::write(&ann, &[])).unwrap();
        ann.done = true;
        std::fs::write(r.join("c.tandai.ron"), crate::format::write(&ann, &[])).unwrap();
        std::fs::write(r.join("d.tandai.ron"), "(version: 1, spans: [").unwrap();
        // Hand-written: a machine span without a status is pending.
        std::fs::write(
            r.join("e.tandai.ron"),
            "(version: 1, document: (path: \"e.txt\"), spans: [(id: 1, label: \"claim\", start: 0, end: 1, origin: Machine(model: \"m\"))])",
        )
        .unwrap();
        crate::recovery::write(&r.join("a.tandai.ron"), &ann, &[]).unwrap();
        let entries = list(r).unwrap();
        let infos: Vec<_> = entries.iter().map(info).collect();
        let ok: Vec<Option<DocInfo>> = infos.iter().map(|i| i.as_ref().ok().copied()).collect();
        let info = |state, spans, pending, recovery| {
            Some(DocInfo {
                state,
                spans,
                pending,
                recovery,
            })
        };
        assert_eq!(
            ok,
            [
                info(DocState::NotStarted, 0, 0, true),
                info(DocState::InProgress, 2, 1, false),
                info(DocState::Done, 2, 1, false),
                None,
                info(DocState::InProgress, 1, 1, false),
            ]
        );
        assert!(
            infos[3]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("d.tandai.ron")
        );
        assert_eq!(
            Progress::sum(&infos),
            Progress {
                done: 1,
                in_progress: 2,
                not_started: 1,
                unreadable: 1,
                total: 5,
                pending: 3,
            }
        );
    }

    #[test]
    fn neighbours_stop_at_the_ends() {
        let d = tempfile::tempdir().unwrap();
        for n in ["a1.txt", "a2.txt", "a10.txt"] {
            touch(d.path(), n, "");
        }
        let e = list(d.path()).unwrap();
        let p = |n: &str| d.path().join(n);
        assert_eq!(neighbour(&e, &p("a1.txt"), true), Some(1));
        assert_eq!(neighbour(&e, &p("a2.tandai.ron"), true), Some(2));
        assert_eq!(neighbour(&e, &p("a10.txt"), true), None);
        assert_eq!(neighbour(&e, &p("a10.txt"), false), Some(1));
        assert_eq!(neighbour(&e, &p("a1.txt"), false), None);
        // Not in the (filtered) list: the nearest in name order.
        let filtered = [e[0].clone(), e[2].clone()];
        assert_eq!(neighbour(&filtered, &p("a2.txt"), true), Some(1));
        assert_eq!(neighbour(&filtered, &p("a2.txt"), false), Some(0));
        assert_eq!(neighbour(&filtered, &p("a99.txt"), true), None);
        assert_eq!(neighbour(&[], &p("a2.txt"), true), None);
    }

    /// Not a test of speed (tests do not time): prints how long listing
    /// 5,000 articles takes. `cargo test --release --lib corpus -- --ignored
    /// --nocapture`.
    #[test]
    #[ignore = "prints a figure; run by hand"]
    #[allow(clippy::print_stdout)]
    fn listing_5000_articles_figure() {
        let d = tempfile::tempdir().unwrap();
        for i in 0..5000 {
            let dir = format!("batch{}", i / 500);
            touch(d.path(), &format!("{dir}/article-{i}.txt"), "");
            if i % 2 == 0 {
                touch(d.path(), &format!("{dir}/article-{i}.tandai.ron"), "");
            }
        }
        let mut best = f64::INFINITY;
        for _ in 0..5 {
            let t = Instant::now();
            let e = list(d.path()).unwrap();
            best = best.min(t.elapsed().as_secs_f64());
            assert_eq!(e.len(), 5000);
        }
        println!(
            "listing 5000 articles (10 folders, 7500 files): {:.1} ms",
            best * 1000.0
        );
    }
}
