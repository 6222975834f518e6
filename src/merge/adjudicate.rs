//! What adjudication reads: the disputes in text order, how far the lead
//! has got, each dispute in one line for people, and settling every
//! dispute for one annotator.
//!
//! Settling itself is an edit ([`Edit::Settle`]), so the app applies it
//! through its undo history like any other change: one key settles, undo
//! puts the dispute back.

use std::fmt::Write as _;

use crate::check::excerpt;
use crate::edit::{Edit, EditError};
use crate::model::{Alternative, Annotations, Dispute, DisputeId, DisputeKind, Span};
use crate::offsets::Text;

/// How far adjudication has got: disputes settled (in this session) and
/// all disputes the annotations hold (settled and open).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Settled.
    pub settled: usize,
    /// Settled and open.
    pub total: usize,
}

impl Progress {
    /// `12 / 40 settled`.
    pub fn label(self) -> String {
        format!("{} / {} settled", self.settled, self.total)
    }
}

/// How far adjudication has got. A file holds only open disputes, so a
/// session counts from the disputes there were when it opened the file.
pub fn progress(ann: &Annotations) -> Progress {
    Progress {
        settled: ann.disputes().filter(|d| !d.is_open()).count(),
        total: ann.disputes().count(),
    }
}

/// The open disputes in text order (by where they are in the article,
/// then by id; any without a place last): the adjudication queue.
pub fn queue(ann: &Annotations) -> Vec<&Dispute> {
    in_order(ann.open_disputes(), ann)
}

/// Every dispute, settled ones too, in text order: the queue as a list
/// that shows what was decided.
pub fn all_in_order(ann: &Annotations) -> Vec<&Dispute> {
    in_order(ann.disputes(), ann)
}

fn in_order<'a>(
    disputes: impl Iterator<Item = &'a Dispute>,
    ann: &Annotations,
) -> Vec<&'a Dispute> {
    let mut v: Vec<(usize, usize, DisputeId, &Dispute)> = disputes
        .map(|d| {
            let r = d.range(ann).unwrap_or(usize::MAX..usize::MAX);
            (r.start, r.end, d.id, d)
        })
        .collect();
    v.sort_by_key(|(s, e, id, _)| (*s, *e, *id));
    v.into_iter().map(|(_, _, _, d)| d).collect()
}

/// The dispute in one line: its id, kind, place and quote, then each
/// alternative with who proposed it:
/// `dispute 2 (label) at 24..36 "Gedung Putih": ana: source; budi: claim`.
pub fn describe(d: &Dispute, ann: &Annotations) -> String {
    let kind = d.kind();
    let mut out = format!("dispute {} ({})", d.id, kind.name());
    if let Some(r) = d.range(ann) {
        let _ = write!(out, " at {}..{}", r.start, r.end);
    }
    if let Some(q) = quote(d, ann) {
        out.push(' ');
        out.push_str(&excerpt(q));
    }
    let alts: Vec<String> = d
        .alternatives
        .iter()
        .map(|a| format!("{}: {}", a.by.join(", "), summary(a, kind, ann)))
        .collect();
    out.push_str(": ");
    out.push_str(&alts.join("; "));
    out
}

/// The quote a dispute is about: its first span's, or that of the live
/// span its links start from.
fn quote<'a>(d: &'a Dispute, ann: &'a Annotations) -> Option<&'a str> {
    let held = d.alternatives.iter().flat_map(|a| &a.spans).next();
    let from = || {
        let l = d.alternatives.iter().flat_map(|a| &a.links).next()?;
        ann.span(l.from)
    };
    held.or_else(from).map(|s| s.text.as_str())
}

/// What one alternative proposes, in a few words: for versions of one
/// span, the field they differ on; else its spans by label and quote, its
/// links by kind and target, its entities by name.
pub fn summary(a: &Alternative, kind: DisputeKind, ann: &Annotations) -> String {
    if a.is_empty() {
        return "nothing".to_owned();
    }
    let mut parts: Vec<String> = a
        .spans
        .iter()
        .map(|s| span_summary(s, kind, a, ann))
        .collect();
    if a.spans.is_empty() {
        for l in &a.links {
            let to = ann
                .span(l.to)
                .or_else(|| a.spans.iter().find(|s| s.id == l.to))
                .map_or_else(|| format!("span {}", l.to), |s| excerpt(&s.text));
            parts.push(format!("{} -> {to}", l.kind));
        }
        parts.extend(a.entities.iter().map(|e| excerpt(&e.display_name())));
    }
    parts.join(", ")
}

fn span_summary(s: &Span, kind: DisputeKind, a: &Alternative, ann: &Annotations) -> String {
    let or_none = |v: Option<String>, none: &str| v.unwrap_or_else(|| none.to_owned());
    match kind {
        DisputeKind::Label => s.label.clone(),
        DisputeKind::Boundary => format!("{}..{} {}", s.start, s.end, ends(&s.text)),
        DisputeKind::Note => or_none(s.note.as_deref().map(excerpt), "no note"),
        DisputeKind::Attribute => {
            let kv: Vec<String> = s
                .attributes
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            if kv.is_empty() {
                "no attributes".to_owned()
            } else {
                kv.join(" ")
            }
        }
        DisputeKind::Entity => {
            let name = s.entity.map(|e| {
                (a.entities.iter().find(|x| x.id == e))
                    .or_else(|| ann.entity(e))
                    .map_or_else(|| format!("entity {e}"), |x| excerpt(&x.display_name()))
            });
            or_none(name, "no entity")
        }
        DisputeKind::Review => {
            let status = s.status.map_or("not reviewed", |st| st.name());
            match &s.reviewer {
                Some(r) => format!("{status} by {r:?}"),
                None => status.to_owned(),
            }
        }
        DisputeKind::Change => origin(s),
        _ => format!("{} {}", s.label, excerpt(&s.text)),
    }
}

/// A quote short enough for a line, by both ends, so two drawings of one
/// span that differ at the end can be told apart.
fn ends(s: &str) -> String {
    const HALF: usize = 18;
    let n = s.chars().count();
    if n <= 2 * HALF + 3 {
        return excerpt(s);
    }
    let head: String = s.chars().take(HALF).collect();
    let tail: String = s.chars().skip(n - HALF).collect();
    format!("{:?}", format!("{head}…{tail}"))
}

fn origin(s: &Span) -> String {
    match &s.origin {
        crate::model::Origin::Human { annotator } => format!("by {annotator:?}"),
        crate::model::Origin::Machine { model, .. } => format!("model {model:?}"),
    }
}

/// Settles every open dispute for `name`: the alternative they proposed
/// is taken (none, if they are in none), and the settled disputes are
/// dropped. What `tandai merge --prefer NAME` does. Returns how many were
/// settled.
pub fn prefer(ann: &mut Annotations, name: &str) -> Result<usize, EditError> {
    let text = Text::new(String::new());
    let ids: Vec<DisputeId> = ann.open_disputes().map(|d| d.id).collect();
    for &id in &ids {
        let take: Vec<usize> = ann
            .dispute(id)
            .and_then(|d| d.alternative_of(name))
            .into_iter()
            .collect();
        Edit::Settle { dispute: id, take }.apply(ann, &text)?;
    }
    for &id in &ids {
        ann.remove_dispute(id)?;
    }
    Ok(ids.len())
}
