//! Autosave and crash recovery.
//!
//! While an article has unsaved changes, the app writes them every few
//! seconds to a recovery file beside the annotation file:
//! `NAME.tandai.ron.recovery` ([`path_for`]), the same RON a save writes,
//! written atomically ([`write()`]). After a normal save the app removes it
//! ([`remove`]). So a recovery file exists only while work is unsaved, or
//! after a crash. Saves by anything else (`check --fix`, an import) leave
//! it: it may hold the only copy of a crashed session's work.
//!
//! On opening, [`find`] offers it if it is newer than the annotation file
//! (or there is no annotation file); [`compare`] says what restoring would
//! change, [`load`] places it against the article as it is now. A recovery
//! file that is not newer than the annotation file is never offered, so one
//! left behind by a failed removal is harmless.
//!
//! A recovery file does not end in `.tandai.ron`, so folder walks, `check`
//! and `stats` never take it for an annotation file.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::document::Article;
use crate::format;
use crate::model::{Annotations, Span};
use crate::store::{self, StoreError};

/// What follows the annotation file's name in its recovery file's name.
pub const SUFFIX: &str = ".recovery";

/// The recovery file of an annotation file: `NAME.tandai.ron.recovery`
/// beside it.
pub fn path_for(annotation: &Path) -> PathBuf {
    let mut name = annotation
        .file_name()
        .map_or_else(Default::default, std::ffi::OsStr::to_os_string);
    name.push(SUFFIX);
    annotation.with_file_name(name)
}

/// Writes `ann` to the recovery file of `annotation`: the RON a save would
/// write ([`format::write`]), atomically ([`store::write_atomic`]), so a
/// crash during autosave leaves the previous recovery file or the new one.
/// The annotation file itself is not touched.
pub fn write(annotation: &Path, ann: &Annotations, schema_labels: &[&str]) -> std::io::Result<()> {
    let text = format::write(ann, schema_labels);
    store::write_atomic(&path_for(annotation), text.as_bytes())
}

/// Removes the recovery file of `annotation`; one that is not there is
/// fine.
///
/// An error is returned to the caller, and is safe to ignore after a save:
/// the recovery file left behind is older than the annotation file just
/// written, so [`find`] never offers it.
pub fn remove(annotation: &Path) -> std::io::Result<()> {
    remove_with(&store::RealFs, annotation)
}

/// [`remove`] through `fs` (tests make the removal fail).
pub(crate) fn remove_with<F: store::Fs>(fs: &F, annotation: &Path) -> std::io::Result<()> {
    match fs.remove_file(&path_for(annotation)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        r => r,
    }
}

/// A recovery file worth offering to restore.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    /// The recovery file.
    pub path: PathBuf,
    /// When it was written.
    pub modified: SystemTime,
}

/// The recovery file of `annotation`, if there is one and it is newer
/// (modification time, strictly) than the annotation file, or there is no
/// annotation file. Only metadata is read.
pub fn find(annotation: &Path) -> Option<Offer> {
    let path = path_for(annotation);
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let modified = meta.modified().ok()?;
    let newer = match std::fs::metadata(annotation) {
        Ok(ann) => ann.modified().map_or(true, |saved| modified > saved),
        // No annotation file (never saved, or deleted): offer. An unreadable
        // one: offer too, the user decides.
        Err(_) => true,
    };
    newer.then_some(Offer { path, modified })
}

/// Reads the recovery file of `annotation` and places its spans against
/// `article` as loading does ([`store::place`]): a span whose quote moved
/// because the article changed since the autosave is put back in place,
/// one that cannot be placed is kept as an orphan.
pub fn load(annotation: &Path, article: &Article) -> Result<Annotations, StoreError> {
    let (raw, _) = store::read_raw(&path_for(annotation))?;
    Ok(store::place(raw, article).0)
}

/// What restoring a recovery file would change, against the annotations on
/// disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// Spans (by id) in the recovery file only.
    pub only_in_recovery: usize,
    /// Spans (by id) in the annotation file only.
    pub only_on_disk: usize,
    /// Spans in both that differ in label, range, note, attributes, status,
    /// origin, reviewer, the model's proposal or entity.
    pub changed: usize,
    /// Links (by kind, from, to) in the recovery file only.
    pub links_only_in_recovery: usize,
    /// Links (by kind, from, to) in the annotation file only.
    pub links_only_on_disk: usize,
    /// The "done" flag differs.
    pub done_differs: bool,
    /// Entities (by id: name and role) in one of them only, or different.
    pub entities_differ: usize,
}

impl Diff {
    /// Whether the two are the same for every count here.
    pub fn is_empty(&self) -> bool {
        *self == Diff::default()
    }

    /// One line for a dialog: "3 spans only in the recovery file, 1
    /// changed", or "no differences".
    pub fn summary(&self) -> String {
        fn count(n: usize, one: &str, many: &str, rest: &str) -> Option<String> {
            (n > 0).then(|| format!("{n} {}{rest}", if n == 1 { one } else { many }))
        }
        let parts: Vec<String> = [
            count(
                self.only_in_recovery,
                "span",
                "spans",
                " only in the recovery file",
            ),
            count(
                self.only_on_disk,
                "span",
                "spans",
                " only in the saved file",
            ),
            count(self.changed, "span", "spans", " changed").map(|s| {
                // "1 changed" after a span count reads better.
                if self.only_in_recovery + self.only_on_disk > 0 {
                    format!("{} changed", self.changed)
                } else {
                    s
                }
            }),
            count(
                self.links_only_in_recovery,
                "link",
                "links",
                " only in the recovery file",
            ),
            count(
                self.links_only_on_disk,
                "link",
                "links",
                " only in the saved file",
            ),
            self.done_differs
                .then(|| "marked done in one of them only".to_owned()),
            count(
                self.entities_differ,
                "entity differs",
                "entities differ",
                "",
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            "no differences".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

impl fmt::Display for Diff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())
    }
}

/// Compares the annotations on disk with recovered ones: spans matched by
/// id, links by (kind, from, to). Quotes and context are not compared: both
/// sides are placed against the same article, so they follow the range.
pub fn compare(disk: &Annotations, recovered: &Annotations) -> Diff {
    let mut d = Diff {
        done_differs: disk.done != recovered.done,
        ..Diff::default()
    };
    for s in disk.spans() {
        match recovered.span(s.id) {
            None => d.only_on_disk += 1,
            Some(r) if !same_span(s, r) => d.changed += 1,
            Some(_) => {}
        }
    }
    d.only_in_recovery = recovered
        .spans()
        .filter(|s| disk.span(s.id).is_none())
        .count();
    let links = |a: &Annotations| -> BTreeSet<(String, u64, u64)> {
        a.links()
            .map(|l| (l.kind.clone(), l.from.0, l.to.0))
            .collect()
    };
    let (on_disk, in_recovery) = (links(disk), links(recovered));
    d.links_only_on_disk = on_disk.difference(&in_recovery).count();
    d.links_only_in_recovery = in_recovery.difference(&on_disk).count();
    d.entities_differ = disk
        .entities()
        .filter(|e| recovered.entity(e.id) != Some(*e))
        .count()
        + recovered
            .entities()
            .filter(|e| disk.entity(e.id).is_none())
            .count();
    d
}

fn same_span(a: &Span, b: &Span) -> bool {
    a.label == b.label
        && a.start == b.start
        && a.end == b.end
        && a.note == b.note
        && a.attributes == b.attributes
        && a.status == b.status
        && a.origin == b.origin
        && a.reviewer == b.reviewer
        && a.proposed == b.proposed
        && a.entity == b.entity
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, LinkId, Origin, SpanId, Status};
    use crate::store::{DiskState, LoadOptions};
    use std::time::Duration;

    const LABELS: &[&str] = &["claim", "source", "denial"];
    const ARTICLE: &str =
        "Gedung Putih menuding Korea Utara mengirim peluru.\nPyongyang membantah tuduhan itu.\n";

    fn setup() -> (tempfile::TempDir, crate::store::Loaded) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("berita.txt");
        std::fs::write(&p, ARTICLE).unwrap();
        let l = store::open(&p, LoadOptions::default()).unwrap();
        (dir, l)
    }

    fn tag(ann: &mut Annotations, article: &Article, id: u64, label: &str, quote: &str) {
        let b = article.text.as_str().find(quote).unwrap();
        let c = article.text.char_range(b..b + quote.len()).unwrap();
        let s = Span::new_in(
            &article.text,
            SpanId(id),
            label,
            c,
            Origin::Human {
                annotator: "ana".into(),
            },
        )
        .unwrap();
        ann.insert_span(s).unwrap();
    }

    /// Sets a file's modification time.
    fn set_mtime(path: &Path, t: SystemTime) {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(t)
            .unwrap();
    }

    #[test]
    fn recovery_files_are_not_annotation_files() {
        let p = path_for(Path::new("d/berita.tandai.ron"));
        assert_eq!(p, Path::new("d/berita.tandai.ron.recovery"));
        assert!(!store::is_annotation_file(&p));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.tandai.ron.recovery"), "x").unwrap();
        std::fs::write(dir.path().join("a.tandai.ron"), "x").unwrap();
        let found = crate::walk::files(dir.path(), &store::is_annotation_file).unwrap();
        assert_eq!(found, [dir.path().join("a.tandai.ron")]);
    }

    #[test]
    fn write_find_load_remove_cycle() {
        let (_d, mut l) = setup();
        // Never saved: a recovery file is offered.
        assert_eq!(find(&l.path), None);
        tag(&mut l.annotations, &l.article, 1, "source", "Gedung Putih");
        write(&l.path, &l.annotations, LABELS).unwrap();
        let offer = find(&l.path).expect("offered with no annotation file");
        assert_eq!(offer.path, path_for(&l.path));
        // Same bytes as a save would write.
        assert_eq!(
            std::fs::read_to_string(&offer.path).unwrap(),
            format::write(&l.annotations, LABELS)
        );
        let back = load(&l.path, &l.article).unwrap();
        assert_eq!(back, l.annotations);
        remove(&l.path).unwrap();
        assert_eq!(find(&l.path), None);
        remove(&l.path).unwrap();
    }

    #[test]
    fn an_older_recovery_file_is_not_offered_and_a_newer_one_is() {
        let (_d, mut l) = setup();
        tag(&mut l.annotations, &l.article, 1, "source", "Gedung Putih");
        let disk = store::save(&l.path, &l.annotations, LABELS, &l.disk).unwrap();
        tag(
            &mut l.annotations,
            &l.article,
            2,
            "denial",
            "Pyongyang membantah",
        );
        write(&l.path, &l.annotations, LABELS).unwrap();
        let rec = path_for(&l.path);
        let now = SystemTime::now();
        set_mtime(&l.path, now - Duration::from_secs(10));
        set_mtime(&rec, now - Duration::from_secs(20));
        assert_eq!(find(&l.path), None, "older");
        set_mtime(&rec, now - Duration::from_secs(10));
        assert_eq!(find(&l.path), None, "same time");
        set_mtime(&rec, now - Duration::from_secs(5));
        let offer = find(&l.path).expect("newer");
        assert_eq!(offer.modified, now - Duration::from_secs(5));
        // Restore: one span more than on disk.
        let on_disk = store::load(&l.path, LoadOptions::default()).unwrap();
        let back = load(&l.path, &l.article).unwrap();
        let d = compare(&on_disk.annotations, &back);
        assert_eq!(
            d,
            Diff {
                only_in_recovery: 1,
                ..Diff::default()
            }
        );
        assert_eq!(d.to_string(), "1 span only in the recovery file");
        // A save and the removal the app makes after it.
        store::save(&l.path, &back, LABELS, &disk).unwrap();
        remove(&l.path).unwrap();
        assert!(!rec.exists());
        assert_eq!(find(&l.path), None);
    }

    #[test]
    fn a_failed_removal_after_a_save_is_reported_and_never_offered() {
        use crate::store::fault::{FailingFs, INJECTED, Step};
        let (_d, mut l) = setup();
        tag(&mut l.annotations, &l.article, 1, "source", "Gedung Putih");
        // Autosave, then the user saves; the removal after the save fails.
        write(&l.path, &l.annotations, LABELS).unwrap();
        assert!(find(&l.path).is_some());
        store::save(&l.path, &l.annotations, LABELS, &l.disk).unwrap();
        let fs = FailingFs::at(&[Step::Remove]);
        let err = remove_with(&fs, &l.path).unwrap_err();
        assert_eq!(err.to_string(), INJECTED);
        // The file is still there, but older than (or as old as) the saved
        // annotation file, so it is never offered.
        assert!(path_for(&l.path).exists());
        assert_eq!(find(&l.path), None);
        // Nor after another save of the same work.
        store::save_over(&l.path, &l.annotations, LABELS).unwrap();
        assert_eq!(find(&l.path), None);
        remove(&l.path).unwrap();
        assert!(!path_for(&l.path).exists());
    }

    #[test]
    fn a_failed_autosave_keeps_the_previous_recovery_file() {
        use crate::store::fault::{BEFORE_RENAME, FailingFs};
        let (d, mut l) = setup();
        tag(&mut l.annotations, &l.article, 1, "source", "Gedung Putih");
        write(&l.path, &l.annotations, LABELS).unwrap();
        let previous = std::fs::read(path_for(&l.path)).unwrap();
        tag(
            &mut l.annotations,
            &l.article,
            2,
            "denial",
            "Pyongyang membantah",
        );
        let before = l.annotations.clone();
        for step in BEFORE_RENAME {
            let text = format::write(&l.annotations, LABELS);
            let err = store::write_atomic_in(
                &FailingFs::at(&[step]),
                &path_for(&l.path),
                text.as_bytes(),
            )
            .unwrap_err();
            assert_eq!(err.to_string(), crate::store::fault::INJECTED);
            assert_eq!(std::fs::read(path_for(&l.path)).unwrap(), previous);
            assert_eq!(l.annotations, before);
            let hidden = std::fs::read_dir(d.path())
                .unwrap()
                .filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .file_name()
                        .to_string_lossy()
                        .starts_with('.')
                })
                .count();
            assert_eq!(hidden, 0, "{step:?}");
        }
    }

    #[test]
    fn saves_from_elsewhere_keep_the_recovery_file() {
        let (_d, l) = setup();
        write(&l.path, &l.annotations, LABELS).unwrap();
        assert!(path_for(&l.path).exists());
        // What `check --fix` or an import does: the crash's work stays.
        store::save_over(&l.path, &l.annotations, LABELS).unwrap();
        assert!(path_for(&l.path).exists());
        remove(&l.path).unwrap();
        store::save(
            &l.path,
            &l.annotations,
            LABELS,
            &DiskState::read(&l.path).unwrap(),
        )
        .unwrap();
    }

    #[test]
    fn recovery_is_placed_against_a_changed_article() {
        let (_d, mut l) = setup();
        tag(
            &mut l.annotations,
            &l.article,
            1,
            "denial",
            "Pyongyang membantah",
        );
        write(&l.path, &l.annotations, LABELS).unwrap();
        let edited = format!("JAKARTA — {ARTICLE}");
        std::fs::write(&l.article.path, &edited).unwrap();
        let article = Article::read(&l.article.path).unwrap();
        let back = load(&l.path, &article).unwrap();
        let s = back.span(SpanId(1)).unwrap();
        assert!(!s.orphan);
        assert_eq!(article.text.slice(s.range()), Some("Pyongyang membantah"));
        assert_eq!(back.document.sha256, article.sha256);
    }

    #[test]
    fn a_broken_recovery_file_is_an_error_not_a_panic() {
        let (_d, l) = setup();
        std::fs::write(path_for(&l.path), "(version: 1, spans: [").unwrap();
        assert!(find(&l.path).is_some());
        let err = load(&l.path, &l.article).unwrap_err().to_string();
        assert!(err.contains(".recovery"), "{err}");
    }

    #[test]
    fn compare_counts_by_id_and_by_link_ends() {
        let (_d, l) = setup();
        let a = &l.article;
        let mut disk = l.annotations.clone();
        tag(&mut disk, a, 1, "source", "Gedung Putih");
        tag(&mut disk, a, 2, "claim", "Korea Utara mengirim peluru");
        tag(&mut disk, a, 3, "source", "Pyongyang");
        disk.insert_link(Link {
            id: LinkId(1),
            kind: "said_by".into(),
            from: SpanId(2),
            to: SpanId(1),
        })
        .unwrap();
        assert!(compare(&disk, &disk).is_empty());
        assert_eq!(compare(&disk, &disk).summary(), "no differences");

        let mut rec = disk.clone();
        // Same link under another id: not a difference.
        rec.remove_link(LinkId(1)).unwrap();
        rec.insert_link(Link {
            id: LinkId(7),
            kind: "said_by".into(),
            from: SpanId(2),
            to: SpanId(1),
        })
        .unwrap();
        assert!(compare(&disk, &rec).is_empty());
        // Relabel 1, note on 2, status on 3: three changed.
        let mut s = rec.span(SpanId(1)).unwrap().clone();
        s.label = "denial".into();
        rec.replace_span(s).unwrap();
        let mut s = rec.span(SpanId(2)).unwrap().clone();
        s.note = Some("cek".into());
        rec.replace_span(s).unwrap();
        let mut s = rec.span(SpanId(3)).unwrap().clone();
        s.status = Some(Status::Accepted);
        rec.replace_span(s).unwrap();
        // Two new spans, one new link; one span and one link gone.
        tag(&mut rec, a, 4, "claim", "membantah tuduhan itu");
        tag(&mut rec, a, 5, "claim", "tuduhan");
        rec.insert_link(Link {
            id: LinkId(8),
            kind: "said_by".into(),
            from: SpanId(4),
            to: SpanId(3),
        })
        .unwrap();
        rec.remove_link(LinkId(7)).unwrap();
        let mut moved = rec.span(SpanId(5)).unwrap().clone();
        moved.set_range(&a.text, 0..6).unwrap();
        rec.replace_span(moved).unwrap();
        rec.done = true;
        let d = compare(&disk, &rec);
        assert_eq!(
            d,
            Diff {
                only_in_recovery: 2,
                only_on_disk: 0,
                changed: 3,
                links_only_in_recovery: 1,
                links_only_on_disk: 1,
                done_differs: true,
                entities_differ: 0,
            }
        );
        assert_eq!(
            d.summary(),
            "2 spans only in the recovery file, 3 changed, 1 link only in the recovery file, \
             1 link only in the saved file, marked done in one of them only"
        );
        let back = compare(&rec, &disk);
        assert_eq!((back.only_on_disk, back.only_in_recovery), (2, 0));
        let mut only_changed = disk.clone();
        let mut s = only_changed.span(SpanId(3)).unwrap().clone();
        s.attributes.insert("k".into(), "v".into());
        only_changed.replace_span(s).unwrap();
        assert_eq!(compare(&disk, &only_changed).summary(), "1 span changed");
        // Entity work is work too: a new entity, a span naming it.
        let mut named = disk.clone();
        named
            .insert_entity(crate::model::Entity {
                id: crate::model::EntityId(1),
                name: "Ani Lestari".into(),
                role: None,
            })
            .unwrap();
        let mut s = named.span(SpanId(3)).unwrap().clone();
        s.entity = Some(crate::model::EntityId(1));
        named.replace_span(s).unwrap();
        assert_eq!(
            compare(&disk, &named).summary(),
            "1 span changed, 1 entity differs"
        );
    }

    mod props {
        use super::*;
        use crate::offsets::torture_text;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(48))]

            /// Whatever the text, a recovery file loads back to exactly what
            /// was written, and compares equal to it.
            #[test]
            fn write_then_load_round_trips(text in torture_text(1..200), cuts in prop::collection::vec((0usize..400, 0usize..40), 0..12), done: bool) {
                let dir = tempfile::tempdir().unwrap();
                let p = dir.path().join("t.txt");
                std::fs::write(&p, &text).unwrap();
                let l = store::open(&p, LoadOptions::default()).unwrap();
                let n = l.article.text.len_chars();
                let mut ann = l.annotations.clone();
                ann.done = done;
                for (i, (at, len)) in cuts.into_iter().enumerate() {
                    let start = at % n.max(1);
                    let end = (start + len + 1).min(n);
                    if start >= end {
                        continue;
                    }
                    let mut s = Span::new_in(&l.article.text, SpanId(i as u64 + 1), LABELS[i % 3], start..end, Origin::default()).unwrap();
                    if i % 2 == 0 {
                        s.note = Some(text.chars().take(5).collect());
                    }
                    ann.insert_span(s).unwrap();
                }
                write(&l.path, &ann, LABELS).unwrap();
                let back = load(&l.path, &l.article).unwrap();
                prop_assert!(compare(&ann, &back).is_empty(), "{}", compare(&ann, &back));
                prop_assert!(compare(&back, &ann).is_empty());
                prop_assert_eq!(&back, &ann);
            }
        }
    }
}
