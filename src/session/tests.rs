//! Tests of the editing session.

use super::*;

const ARTICLE: &str = "JAKARTA — Gedung Putih menuding Korea Utara mengirim peluru. Pyongyang membantah tuduhan itu.\n";

fn session() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.txt");
    std::fs::write(&p, ARTICLE).unwrap();
    let s = Session::open(&p).unwrap();
    (dir, s)
}

fn range(s: &Session, quote: &str) -> Range<usize> {
    let b = ARTICLE.find(quote).unwrap();
    s.doc.article.text.char_range(b..b + quote.len()).unwrap()
}

#[test]
fn tag_relabel_link_delete_undo() {
    let (_d, mut s) = session();
    s.set_selection(Some(range(&s, "Gedung Putih")));
    s.apply_label("source");
    let src = s.selected.unwrap();
    s.set_selection(Some(range(&s, "Korea Utara mengirim peluru")));
    s.apply_label("claim");
    let claim = s.selected.unwrap();
    assert!(s.is_dirty());
    s.begin_link("said_by");
    assert!(s.pending_link.is_some());
    s.click(range(&s, "Putih").start);
    assert_eq!(s.doc.annotations.link_count(), 1);
    assert_eq!(s.selected, Some(claim));
    // A source cannot start a said_by link.
    s.select(src);
    s.begin_link("said_by");
    assert!(s.pending_link.is_none());
    assert!(s.message.as_ref().unwrap().error);
    // Relabel with the key, then delete with its link.
    s.apply_label("denial");
    assert_eq!(s.doc.annotations.span(src).unwrap().label, "denial");
    s.delete_selected();
    assert_eq!(s.doc.annotations.span_count(), 1);
    assert_eq!(s.doc.annotations.link_count(), 0);
    s.undo();
    assert_eq!(s.doc.annotations.link_count(), 1);
    s.undo();
    assert_eq!(s.doc.annotations.span(src).unwrap().label, "source");
    s.redo();
    assert_eq!(s.doc.annotations.span(src).unwrap().label, "denial");
}

#[test]
fn wrong_link_pair_is_refused_with_a_message() {
    let (_d, mut s) = session();
    s.tag("claim", range(&s, "Korea Utara mengirim peluru"));
    let claim = s.selected.unwrap();
    s.tag("claim", range(&s, "Pyongyang membantah tuduhan itu"));
    s.select(claim);
    s.begin_link("said_by");
    s.click(range(&s, "Pyongyang").start);
    assert_eq!(s.doc.annotations.link_count(), 0);
    let m = s.message.clone().unwrap();
    assert!(m.error && m.text.contains("said_by"), "{m:?}");
}

#[test]
fn clicks_cycle_through_overlapping_spans() {
    let (_d, mut s) = session();
    s.tag(
        "claim",
        range(&s, "Gedung Putih menuding Korea Utara mengirim peluru"),
    );
    let outer = s.selected.unwrap();
    s.tag("source", range(&s, "Gedung Putih"));
    let inner = s.selected.unwrap();
    let at = range(&s, "Putih").start;
    s.escape();
    s.click(at);
    assert_eq!(s.selected, Some(inner), "innermost first");
    s.click(at);
    assert_eq!(s.selected, Some(outer));
    s.click(at);
    assert_eq!(s.selected, Some(inner));
    s.click(0);
    assert_eq!(s.selected, None);
}

#[test]
fn resize_by_word_and_char() {
    let (_d, mut s) = session();
    s.tag("source", range(&s, "Gedung"));
    let id = s.selected.unwrap();
    s.resize_selected(Edge::End, true, Step::Word);
    assert_eq!(s.doc.annotations.span(id).unwrap().text, "Gedung Putih");
    s.resize_selected(Edge::Start, false, Step::Word);
    assert_eq!(
        s.doc.annotations.span(id).unwrap().text,
        "JAKARTA — Gedung Putih"
    );
    s.resize_selected(Edge::Start, true, Step::Word);
    assert_eq!(s.doc.annotations.span(id).unwrap().text, "Gedung Putih");
    s.resize_selected(Edge::End, false, Step::Char);
    assert_eq!(s.doc.annotations.span(id).unwrap().text, "Gedung Puti");
    s.resize_selected(Edge::Start, true, Step::Char);
    assert_eq!(s.doc.annotations.span(id).unwrap().text, "edung Puti");
    // Never shrinks to nothing.
    for _ in 0..20 {
        s.resize_selected(Edge::End, false, Step::Word);
    }
    assert!(!s.doc.annotations.span(id).unwrap().text.is_empty());
}

#[test]
fn tab_walks_spans_in_order_and_wraps() {
    let (_d, mut s) = session();
    s.tag("claim", range(&s, "Pyongyang membantah"));
    s.tag("source", range(&s, "Gedung Putih"));
    s.escape();
    s.select_step(true);
    assert_eq!(
        s.doc.annotations.span(s.selected.unwrap()).unwrap().text,
        "Gedung Putih"
    );
    s.select_step(true);
    assert_eq!(
        s.doc.annotations.span(s.selected.unwrap()).unwrap().text,
        "Pyongyang membantah"
    );
    s.select_step(true);
    assert_eq!(
        s.doc.annotations.span(s.selected.unwrap()).unwrap().text,
        "Gedung Putih"
    );
    s.select_step(false);
    assert_eq!(
        s.doc.annotations.span(s.selected.unwrap()).unwrap().text,
        "Pyongyang membantah"
    );
}

#[test]
fn notes_save_and_conflicts() {
    let (_d, mut s) = session();
    s.tag("claim", range(&s, "Korea Utara"));
    let id = s.selected.unwrap();
    s.set_note(id, Some("cek ulang".into()));
    s.set_note(id, Some("cek ulang".into()));
    s.save().unwrap();
    assert!(!s.is_dirty());
    let on_disk = std::fs::read_to_string(&s.doc.path).unwrap();
    assert!(on_disk.contains("note: \"cek ulang\""));
    s.undo();
    assert!(s.is_dirty());
    assert_eq!(s.doc.annotations.span(id).unwrap().note, None);
    // Someone else writes the file: a plain save is refused.
    std::fs::write(&s.doc.path, "(version: 1, document: (path: \"a.txt\"))").unwrap();
    assert!(matches!(
        s.save(),
        Err(SaveError::Store(StoreError::Conflict { .. }))
    ));
    assert!(s.is_dirty());
    s.save_over().unwrap();
    assert!(!s.is_dirty());
}

#[test]
fn save_as_rewrites_the_article_path() {
    let (d, mut s) = session();
    s.tag("claim", range(&s, "Korea Utara"));
    let sub = d.path().join("copies");
    std::fs::create_dir(&sub).unwrap();
    let target = sub.join("a.tandai.ron");
    s.save_as(&target).unwrap();
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(
        text.contains(&d.path().join("a.txt").to_string_lossy().into_owned()),
        "{text}"
    );
    let again = store::open(
        &target,
        LoadOptions {
            allow_outside: true,
        },
    )
    .unwrap();
    assert_eq!(again.annotations.span_count(), 1);
}

#[test]
fn settling_disputes_is_an_undo_step_with_progress() {
    use crate::merge::{Annotator, Options, merge};
    use crate::model::{DisputeId, Origin, Span};
    let (d, mut s) = session();
    s.tag("source", range(&s, "Gedung Putih"));
    let ana = s.doc.annotations.clone();
    let mut budi = ana.clone();
    let id = budi.next_span_id();
    let other = Span::new_in(
        &s.doc.article.text,
        id,
        "denial",
        range(&s, "Pyongyang membantah tuduhan itu"),
        Origin::default(),
    )
    .unwrap();
    budi.insert_span(other).unwrap();
    let sets = [
        Annotator {
            name: "ana",
            annotations: &ana,
        },
        Annotator {
            name: "budi",
            annotations: &budi,
        },
    ];
    let merged = merge(&sets, s.doc.article.text.len_chars(), Options::default()).unwrap();
    let path = d.path().join("gabung.tandai.ron");
    store::save_over(&path, &merged.annotations, &["claim", "source", "denial"]).unwrap();
    let mut s = Session::open(&path).unwrap();
    let q: Vec<DisputeId> = s.dispute_queue().iter().map(|x| x.id).collect();
    assert_eq!(q.len(), 1);
    assert_eq!(s.dispute_progress().label(), "0 / 1 settled");
    assert!(!s.settle(q[0], &[0, 1, 2]), "only two alternatives");
    assert!(s.settle(q[0], &[1]));
    assert_eq!(
        s.message().unwrap().text,
        "Dispute 1: took budi's (1 / 1 settled)"
    );
    assert_eq!(s.doc.annotations.span_count(), 2);
    assert!(s.dispute_queue().is_empty());
    s.undo();
    assert_eq!(s.dispute_queue().len(), 1);
    assert_eq!(s.dispute_progress().label(), "0 / 1 settled");
    assert!(s.settle(q[0], &[]));
    s.save().unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains("version: 3,"),
        "the agreed span says who agreed"
    );
    assert!(!saved.contains("disputes"), "{saved}");
}
