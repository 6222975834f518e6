//! Placing the spans of a parsed annotation file against its article: ids
//! made unique, offsets checked, spans whose quote moved put back in place,
//! the rest kept as orphans. Every repair is a [`Finding`].

use std::borrow::BorrowMut;
use std::collections::BTreeSet;
use std::ops::Range;

use crate::anchor::{self, Placement, Quote};
use crate::check::{Finding, FindingKind, excerpt};
use crate::document::Article;
use crate::format::{self, RawEntity, RawLink, RawSpan};
use crate::model::{
    Annotations, DocumentRef, Entity, EntityId, Link, LinkId, Origin, Span, SpanId, Status,
};
use crate::offsets::Text;

/// Turns a parsed file into annotations placed against `article`.
pub fn place(raw: format::RawFile, article: &Article) -> (Annotations, Vec<Finding>) {
    let text = &article.text;
    let mut findings = Vec::new();
    let same_text = compare_article(&raw.document.sha256, article, &mut findings);
    let mut spans = prepare_spans(raw.spans, Some(text), &mut findings);
    anchor_spans(&mut spans, text, same_text, &mut findings);

    let mut ann = Annotations::new(DocumentRef {
        path: raw.document.path,
        sha256: article.sha256.clone(),
        chars: text.len_chars(),
    });
    ann.done = raw.done;
    // Entities before spans: an entity id that spans name is refused once
    // they are in (it would look like a missing entity's).
    insert_entities(&mut ann, raw.entities, &mut findings);
    // Ids were made unique by `prepare_spans`: none is refused.
    let _ = ann.insert_spans(spans);
    insert_links(&mut ann, raw.links, &mut findings);
    super::place_disputes::insert(
        &mut ann,
        raw.disputes,
        Some((text, same_text)),
        &mut findings,
    );
    (ann, findings)
}

/// Turns a parsed file into annotations as written, without its article:
/// ids made unique and machine defaults filled in as [`place`] does, but
/// offsets and quotes taken as they are (the git merge driver works on
/// the files alone; loading them later places them).
pub fn without_article(raw: format::RawFile) -> (Annotations, Vec<Finding>) {
    let mut findings = Vec::new();
    let spans = prepare_spans(raw.spans, None, &mut findings);
    let mut ann = Annotations::new(DocumentRef {
        path: raw.document.path,
        sha256: raw.document.sha256.to_ascii_lowercase(),
        chars: raw.document.chars.unwrap_or(0),
    });
    ann.done = raw.done;
    insert_entities(&mut ann, raw.entities, &mut findings);
    let _ = ann.insert_spans(spans);
    insert_links(&mut ann, raw.links, &mut findings);
    super::place_disputes::insert(&mut ann, raw.disputes, None, &mut findings);
    (ann, findings)
}

/// Whether `article` is the text the file was made on (a file without a
/// hash is trusted), with findings for an empty or changed article.
fn compare_article(recorded: &str, article: &Article, findings: &mut Vec<Finding>) -> bool {
    if article.text.is_empty() {
        findings.push(Finding::file(
            FindingKind::EmptyArticle,
            "the article is empty",
        ));
    }
    let recorded = recorded.to_ascii_lowercase();
    let same_text = recorded.is_empty() || recorded == article.sha256;
    if !same_text {
        findings.push(Finding::file(
            FindingKind::ArticleChanged,
            format!(
                "the article changed since it was annotated (sha256 {} in the file, {} now); spans were placed again",
                short(&recorded),
                short(&article.sha256)
            ),
        ));
    }
    same_text
}

/// The spans as written, with unique ids, defaults filled in and their
/// offsets checked against `text`, if given (not yet placed).
fn prepare_spans(
    raw: Vec<RawSpan>,
    text: Option<&Text>,
    findings: &mut Vec<Finding>,
) -> Vec<Box<Span>> {
    let mut taken: BTreeSet<u64> = raw.iter().map(|s| s.id).collect();
    let mut seen = BTreeSet::new();
    // Boxed as the model holds them: each span is moved once.
    let mut spans: Vec<Box<Span>> = Vec::with_capacity(raw.len());
    for r in raw {
        let mut s: Box<Span> = Box::new(r.into());
        if !seen.insert(s.id.0) {
            let old = s.id;
            s.id = SpanId(fresh_id(&mut taken));
            findings.push(Finding::span(
                FindingKind::DuplicateSpanId,
                s.id,
                format!(
                    "span id {old} is used twice; the second ({} {}..{}) now has id {} and links to {old} mean the first",
                    s.label, s.start, s.end, s.id
                ),
            ));
        }
        fill_machine_defaults(&mut s, findings);
        if let Some(text) = text {
            check_offsets(&mut s, text, findings);
        }
        spans.push(s);
    }
    spans
}

/// A machine span's score must be a finite number (else it is dropped) and
/// its status defaults to pending.
pub(super) fn fill_machine_defaults(s: &mut Span, findings: &mut Vec<Finding>) {
    let id = s.id;
    if let Origin::Machine { score, .. } = &mut s.origin {
        if score.is_some_and(|x| !x.is_finite()) {
            findings.push(Finding::span(
                FindingKind::BadScore,
                id,
                format!("span {id}: score is not a finite number; dropped"),
            ));
            *score = None;
        }
        if s.status.is_none() {
            s.status = Some(Status::Pending);
        }
    }
}

/// Reports offsets outside `text` or covering nothing; fills in the quote
/// of a hand-written span that has none.
pub(super) fn check_offsets(s: &mut Span, text: &Text, findings: &mut Vec<Finding>) {
    let len = text.len_chars();
    if s.start > s.end || s.end > len {
        findings.push(Finding::span(
            FindingKind::OutOfRange,
            s.id,
            format!(
                "span {}: offsets {}..{} are outside the article ({len} chars)",
                s.id, s.start, s.end
            ),
        ));
    } else if s.start == s.end {
        findings.push(Finding::span(
            FindingKind::EmptySpan,
            s.id,
            format!(
                "span {}: covers no characters ({}..{})",
                s.id, s.start, s.end
            ),
        ));
    }
    if s.text.is_empty() && s.start < s.end && s.end <= len {
        // Hand-written file without quotes: trust the offsets.
        let range = s.range();
        let _ = s.set_range(text, range);
    }
}

/// Puts each span where its quote is ([`anchor::place_all`]), or marks it
/// an orphan.
pub(super) fn anchor_spans(
    spans: &mut [impl BorrowMut<Span>],
    text: &Text,
    same_text: bool,
    findings: &mut Vec<Finding>,
) {
    let quotes: Vec<Quote<'_>> = spans.iter().map(|s| Quote::from(s.borrow())).collect();
    let placements = anchor::place_all(text, &quotes, same_text);
    drop(quotes);
    for (s, p) in spans.iter_mut().zip(placements) {
        let s: &mut Span = s.borrow_mut();
        match p {
            Placement::InPlace => {
                // Context follows the article: refreshed when the article
                // changed, filled in for a hand-written span without it.
                if !same_text || (s.before.is_empty() && s.after.is_empty()) {
                    let r = s.range();
                    let _ = s.set_range(text, r);
                }
                s.orphan = false;
            }
            Placement::Relocated { to, fuzzy } => {
                relocate(s, text, to, fuzzy, same_text, findings);
            }
            Placement::Orphan => {
                s.orphan = true;
                findings.push(Finding::span(
                    FindingKind::Orphan,
                    s.id,
                    format!(
                        "span {} ({}) {} could not be found in the article; kept as an orphan",
                        s.id,
                        s.label,
                        excerpt(&s.text)
                    ),
                ));
            }
        }
    }
}

/// Moves `s` to `to`, saying so (and, if the article is the one the file
/// was made on, that its quote did not match its offsets).
fn relocate(
    s: &mut Span,
    text: &Text,
    to: Range<usize>,
    fuzzy: bool,
    same_text: bool,
    findings: &mut Vec<Finding>,
) {
    let at_offsets = text.slice(s.range()).is_some_and(|q| q == s.text);
    if same_text && !at_offsets && s.start < s.end && s.end <= text.len_chars() {
        findings.push(Finding::span(
            FindingKind::TextMismatch,
            s.id,
            format!(
                "span {}: text {} does not match the article at {}..{} ({})",
                s.id,
                excerpt(&s.text),
                s.start,
                s.end,
                excerpt(text.slice(s.range()).unwrap_or(""))
            ),
        ));
    }
    findings.push(Finding::span(
        FindingKind::Relocated,
        s.id,
        format!(
            "span {} {} moved from {}..{} to {}..{}{}",
            s.id,
            excerpt(&s.text),
            s.start,
            s.end,
            to.start,
            to.end,
            if fuzzy { " (white space differs)" } else { "" }
        ),
    ));
    let _ = s.set_range(text, to);
}

/// Adds the links as written, giving a duplicate id a fresh one.
fn insert_links(ann: &mut Annotations, raw: Vec<RawLink>, findings: &mut Vec<Finding>) {
    let mut taken: BTreeSet<u64> = raw.iter().map(|l| l.id).collect();
    for r in raw {
        let mut l: Link = r.into();
        if ann.link(l.id).is_some() {
            let old = l.id;
            l.id = LinkId(fresh_id(&mut taken));
            findings.push(Finding::link(
                FindingKind::DuplicateLinkId,
                l.id,
                format!(
                    "link id {old} is used twice; the second now has id {}",
                    l.id
                ),
            ));
        }
        let _ = ann.insert_link_unchecked(l);
    }
}

/// Adds the entities as written, giving a duplicate id a fresh one (spans
/// naming that id mean the first).
fn insert_entities(ann: &mut Annotations, raw: Vec<RawEntity>, findings: &mut Vec<Finding>) {
    let mut taken: BTreeSet<u64> = raw.iter().map(|e| e.id).collect();
    for r in raw {
        let mut e: Entity = r.into();
        if ann.entity(e.id).is_some() {
            let old = e.id;
            e.id = EntityId(fresh_id(&mut taken));
            findings.push(Finding::file(
                FindingKind::DuplicateEntityId,
                format!(
                    "entity id {old} is used twice; the second ({}) now has id {} and spans naming {old} mean the first",
                    excerpt(&e.name),
                    e.id
                ),
            ));
        }
        let _ = ann.insert_entity(e);
    }
}

/// An id not in `taken` (which it joins): above the largest if there is
/// room, else the smallest free one. Never reuses a taken id, even at
/// `u64::MAX`.
pub(super) fn fresh_id(taken: &mut BTreeSet<u64>) -> u64 {
    let above = taken.last().map_or(Some(1), |m| m.checked_add(1));
    // A set of u64 cannot hold every value, so a free one exists below.
    let id = above.unwrap_or_else(|| (1..u64::MAX).find(|i| !taken.contains(i)).unwrap_or(0));
    taken.insert(id);
    id
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{ARTICLE, LABELS, dir_with_article, tag};
    use crate::store::{LoadOptions, open, save};

    #[test]
    fn edited_article_relocates_spans_and_none_are_lost() {
        let (_d, p) = dir_with_article(ARTICLE);
        let mut l = open(&p, LoadOptions::default()).unwrap();
        let a = tag(&mut l, "source", "Gedung Putih");
        let b = tag(&mut l, "denial", "Pyongyang membantah tuduhan itu");
        let c = tag(&mut l, "claim", "mengirim peluru artileri");
        save(&l.path, &l.annotations, LABELS, &l.disk).unwrap();
        let edited = ARTICLE
            .replace("JAKARTA, KOMPAS.TV —", "JAKARTA, KOMPAS.TV (Senin, 3/3) —")
            .replace("mengirim peluru artileri", "mengirim ribuan peluru");
        std::fs::write(&p, edited).unwrap();
        let l2 = open(&p, LoadOptions::default()).unwrap();
        let kinds: Vec<FindingKind> = l2.findings.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                FindingKind::ArticleChanged,
                FindingKind::Relocated,
                FindingKind::Orphan,
                FindingKind::Relocated,
            ]
        );
        assert_eq!(l2.annotations.span_count(), 3);
        let text = &l2.article.text;
        for id in [a, b] {
            let s = l2.annotations.span(id).unwrap();
            assert_eq!(text.slice(s.range()), Some(s.text.as_str()));
            assert!(!s.orphan);
        }
        let orphan = l2.annotations.span(c).unwrap();
        assert!(orphan.orphan);
        assert_eq!(orphan.text, "mengirim peluru artileri");
        assert_eq!(l2.orphans(), 1);
        assert_eq!(l2.relocated(), 2);
        // Saved, the orphan stays, flagged; loaded again, nothing moves.
        save(&l2.path, &l2.annotations, LABELS, &l2.disk).unwrap();
        let l3 = open(&p, LoadOptions::default()).unwrap();
        let kinds: Vec<FindingKind> = l3.findings.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [FindingKind::Orphan]);
    }

    #[test]
    fn duplicate_ids_bad_offsets_and_missing_quotes() {
        let (_d, p) = dir_with_article(ARTICLE);
        let ron = p.with_file_name("berita.tandai.ron");
        std::fs::write(
            &ron,
            r#"(version: 1, document: (path: "berita.txt"), spans: [
                (id: 1, label: "source", start: 22, end: 34),
                (id: 1, label: "claim", start: 50, end: 40, text: "Korea Utara"),
                (id: 2, label: "claim", start: 5, end: 500, text: "tidak ada"),
                (id: 3, label: "claim", start: 7, end: 7),
                (id: 4, label: "claim", start: 1, end: 3, origin: Machine(model: "m")),
            ], links: [(id: 1, kind: "said_by", from: 1, to: 1), (id: 1, kind: "said_by", from: 9, to: 1)])"#,
        )
        .unwrap();
        let l = open(&ron, LoadOptions::default()).unwrap();
        let kinds: Vec<(FindingKind, Option<u64>)> = l
            .findings
            .iter()
            .map(|f| (f.kind, f.span.or(f.link)))
            .collect();
        assert_eq!(
            kinds,
            [
                (FindingKind::DuplicateSpanId, Some(5)),
                (FindingKind::OutOfRange, Some(5)),
                (FindingKind::OutOfRange, Some(2)),
                (FindingKind::EmptySpan, Some(3)),
                (FindingKind::Relocated, Some(5)),
                (FindingKind::Orphan, Some(2)),
                (FindingKind::Orphan, Some(3)),
                (FindingKind::DuplicateLinkId, Some(2)),
            ]
        );
        let s1 = l.annotations.span(SpanId(1)).unwrap();
        assert_eq!(s1.text, "Gedung Putih");
        assert_eq!(s1.before, "AKARTA, KOMPAS.TV — ");
        let s4 = l.annotations.span(SpanId(4)).unwrap();
        assert_eq!(s4.status, Some(Status::Pending));
        assert_eq!(l.annotations.span_count(), 5);
        assert_eq!(l.annotations.link_count(), 2);
    }
}
