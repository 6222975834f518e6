//! Findings: what is wrong with, or was repaired in, an annotation file.
//!
//! Loading ([`crate::store`]) reports what it had to do to put the file
//! against its article (relocated spans, orphans, duplicate ids); [`check`]
//! adds what the schema says (unknown labels, link kinds and link ends).
//! `tandai check` prints them; the GUI lists them.

use std::fmt;

use serde::Serialize;

use crate::model::{Annotations, DisputeId, LinkId, SpanId};
use crate::schema::Schema;

/// What kind of problem a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The article is empty.
    EmptyArticle,
    /// The article's hash differs from the one the spans were made on.
    ArticleChanged,
    /// A span's offsets lie outside the article or start after they end.
    OutOfRange,
    /// A span covers no characters.
    EmptySpan,
    /// A span's quote does not match the article at its offsets, though the
    /// article is the one it was made on.
    TextMismatch,
    /// A span was found elsewhere in the article and moved there.
    Relocated,
    /// A span could not be placed in the article; kept as an orphan.
    Orphan,
    /// A span's label is not in the schema (the span is kept).
    UnknownLabel,
    /// Two spans share an id; the later one got a new id.
    DuplicateSpanId,
    /// Two links share an id; the later one got a new id.
    DuplicateLinkId,
    /// A link points to a span that does not exist.
    DanglingLink,
    /// A link's kind is not in the schema.
    UnknownLinkKind,
    /// A link joins labels its kind does not allow.
    IllTypedLink,
    /// A machine score that is not a finite number (dropped).
    BadScore,
    /// Two entities share an id; the later one got a new id.
    DuplicateEntityId,
    /// A span names an entity the file does not list.
    DanglingEntity,
    /// Annotators disagree here and nobody has settled it yet: an open
    /// dispute a merge left in the file.
    Disputed,
    /// Two disputes share an id; the later one got a new id.
    DuplicateDisputeId,
}

impl FindingKind {
    /// Snake-case name, as in `--json` output.
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::EmptyArticle => "empty_article",
            FindingKind::ArticleChanged => "article_changed",
            FindingKind::OutOfRange => "out_of_range",
            FindingKind::EmptySpan => "empty_span",
            FindingKind::TextMismatch => "text_mismatch",
            FindingKind::Relocated => "relocated",
            FindingKind::Orphan => "orphan",
            FindingKind::UnknownLabel => "unknown_label",
            FindingKind::DuplicateSpanId => "duplicate_span_id",
            FindingKind::DuplicateLinkId => "duplicate_link_id",
            FindingKind::DanglingLink => "dangling_link",
            FindingKind::UnknownLinkKind => "unknown_link_kind",
            FindingKind::IllTypedLink => "ill_typed_link",
            FindingKind::BadScore => "bad_score",
            FindingKind::DuplicateEntityId => "duplicate_entity_id",
            FindingKind::DanglingEntity => "dangling_entity",
            FindingKind::Disputed => "disputed",
            FindingKind::DuplicateDisputeId => "duplicate_dispute_id",
        }
    }

    /// Whether `check --fix` repairs it by saving the loaded state.
    pub fn fixable(self) -> bool {
        matches!(
            self,
            FindingKind::ArticleChanged
                | FindingKind::Relocated
                | FindingKind::TextMismatch
                | FindingKind::DuplicateSpanId
                | FindingKind::DuplicateLinkId
                | FindingKind::BadScore
                | FindingKind::DuplicateEntityId
                | FindingKind::DuplicateDisputeId
        )
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind.
    pub kind: FindingKind,
    /// The span it concerns, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<u64>,
    /// The link it concerns, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<u64>,
    /// The dispute it concerns, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispute: Option<u64>,
    /// A sentence for people.
    pub message: String,
}

impl Finding {
    /// A finding about the whole file.
    pub fn file(kind: FindingKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            span: None,
            link: None,
            dispute: None,
            message: message.into(),
        }
    }

    /// A finding about a dispute.
    pub fn dispute(kind: FindingKind, id: DisputeId, message: impl Into<String>) -> Self {
        Self {
            dispute: Some(id.0),
            ..Self::file(kind, message)
        }
    }

    /// A finding about a span.
    pub fn span(kind: FindingKind, id: SpanId, message: impl Into<String>) -> Self {
        Self {
            kind,
            span: Some(id.0),
            link: None,
            dispute: None,
            message: message.into(),
        }
    }

    /// A finding about a link.
    pub fn link(kind: FindingKind, id: LinkId, message: impl Into<String>) -> Self {
        Self {
            kind,
            span: None,
            link: Some(id.0),
            dispute: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

/// Shortens a quote for messages.
pub fn excerpt(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head:?}…")
    }
}

/// What the schema says about the annotations: unknown labels and link
/// kinds, dangling and ill-typed links, spans naming a missing entity; and
/// each open dispute, in text order.
pub fn check(ann: &Annotations, schema: &Schema) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in ann.spans() {
        if let Some(e) = s.entity
            && ann.entity(e).is_none()
            && !ann.holds_entity(e)
        {
            out.push(Finding::span(
                FindingKind::DanglingEntity,
                s.id,
                format!(
                    "span {} {} names entity {e}, which the file does not list",
                    s.id,
                    excerpt(&s.text)
                ),
            ));
        }
        if schema.label(&s.label).is_none() {
            out.push(Finding::span(
                FindingKind::UnknownLabel,
                s.id,
                format!(
                    "span {} {} has label {:?}, which the schema does not define (kept)",
                    s.id,
                    excerpt(&s.text),
                    s.label
                ),
            ));
        }
    }
    for l in ann.links() {
        let (from, to) = (ann.span(l.from), ann.span(l.to));
        let missing: Vec<String> = [(l.from, from), (l.to, to)]
            .iter()
            .filter(|(_, s)| s.is_none())
            .map(|(id, _)| id.to_string())
            .collect();
        if !missing.is_empty() {
            out.push(Finding::link(
                FindingKind::DanglingLink,
                l.id,
                format!(
                    "link {} ({}) points to span {}, which does not exist",
                    l.id,
                    l.kind,
                    missing.join(" and ")
                ),
            ));
            continue;
        }
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        if schema.link_kind(&l.kind).is_none() {
            out.push(Finding::link(
                FindingKind::UnknownLinkKind,
                l.id,
                format!(
                    "link {} has kind {:?}, which the schema does not define",
                    l.id, l.kind
                ),
            ));
        } else if let Err(why) = schema.check_link(&l.kind, &from.label, &to.label) {
            out.push(Finding::link(
                FindingKind::IllTypedLink,
                l.id,
                format!("link {} (span {} -> span {}): {why}", l.id, l.from, l.to),
            ));
        }
    }
    for d in crate::merge::queue(ann) {
        out.push(Finding::dispute(
            FindingKind::Disputed,
            d.id,
            crate::merge::describe(d, ann),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, Origin, Span};
    use crate::offsets::Text;

    #[test]
    fn schema_findings() {
        let t = Text::new("Gedung Putih menuding Korea Utara.".into());
        let mut a = Annotations::default();
        for (id, label, r) in [
            (1, "source", 0..12),
            (2, "claim", 22..33),
            (3, "rumour", 13..21),
        ] {
            a.insert_span(Span::new_in(&t, SpanId(id), label, r, Origin::default()).unwrap())
                .unwrap();
        }
        let links = [
            (1, "said_by", 2, 1),
            (2, "said_by", 1, 2),
            (3, "cites", 2, 1),
            (4, "said_by", 2, 9),
        ];
        for (id, kind, from, to) in links {
            a.insert_link_unchecked(Link {
                id: LinkId(id),
                kind: kind.into(),
                from: SpanId(from),
                to: SpanId(to),
            })
            .unwrap();
        }
        let kinds: Vec<(FindingKind, Option<u64>, Option<u64>)> = check(&a, &Schema::builtin())
            .into_iter()
            .map(|f| (f.kind, f.span, f.link))
            .collect();
        assert_eq!(
            kinds,
            [
                (FindingKind::UnknownLabel, Some(3), None),
                (FindingKind::IllTypedLink, None, Some(2)),
                (FindingKind::UnknownLinkKind, None, Some(3)),
                (FindingKind::DanglingLink, None, Some(4)),
            ]
        );
    }

    #[test]
    fn excerpts_are_short_and_quoted() {
        assert_eq!(excerpt("AS"), "\"AS\"");
        assert!(excerpt(&"x".repeat(100)).ends_with('…'));
    }
}
