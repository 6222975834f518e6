//! Versions of one span, merged field by field: what changed on one side
//! is taken, the same change on both sides once, and fields given
//! different values become the conflict of a dispute between versions.
//!
//! Fields that change together are one field here: the range (offsets,
//! quote, context and the orphan flag), the review decision (status,
//! reviewer, the model's proposal). Attributes are merged key by key.

use std::collections::BTreeSet;

use crate::model::{EntityId, Span};

/// One field of a span, as merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Field {
    Label,
    Range,
    Note,
    Attribute(String),
    Origin,
    Review,
    Entity,
    Agreed,
}

impl Field {
    /// Whether two sides' values agree: the same, except that two
    /// reviewers who made the same decision agree.
    fn agrees(&self, a: &Span, b: &Span) -> bool {
        match self {
            Field::Review => (a.status, &a.proposed) == (b.status, &b.proposed),
            _ => self.same(a, b),
        }
    }

    /// Whether `a` and `b` have the same value of it.
    fn same(&self, a: &Span, b: &Span) -> bool {
        match self {
            Field::Label => a.label == b.label,
            Field::Range => {
                (a.start, a.end, a.orphan) == (b.start, b.end, b.orphan)
                    && (&a.text, &a.before, &a.after) == (&b.text, &b.before, &b.after)
            }
            Field::Note => a.note == b.note,
            Field::Attribute(k) => a.attributes.get(k) == b.attributes.get(k),
            Field::Origin => a.origin == b.origin,
            Field::Review => {
                (a.status, &a.reviewer, &a.proposed) == (b.status, &b.reviewer, &b.proposed)
            }
            Field::Entity => a.entity == b.entity,
            Field::Agreed => a.agreed == b.agreed,
        }
    }

    /// Gives `to` the value `from` has.
    fn copy(&self, to: &mut Span, from: &Span) {
        match self {
            Field::Label => to.label.clone_from(&from.label),
            Field::Range => {
                (to.start, to.end, to.orphan) = (from.start, from.end, from.orphan);
                to.text.clone_from(&from.text);
                to.before.clone_from(&from.before);
                to.after.clone_from(&from.after);
            }
            Field::Note => to.note.clone_from(&from.note),
            Field::Attribute(k) => match from.attributes.get(k) {
                Some(v) => {
                    to.attributes.insert(k.clone(), v.clone());
                }
                None => {
                    to.attributes.remove(k);
                }
            },
            Field::Origin => to.origin = from.origin.clone(),
            Field::Review => {
                to.status = from.status;
                to.reviewer.clone_from(&from.reviewer);
                to.proposed.clone_from(&from.proposed);
            }
            Field::Entity => to.entity = from.entity,
            Field::Agreed => to.agreed.clone_from(&from.agreed),
        }
    }

    /// Whether `s` sets it at all (for fields an annotator may leave
    /// empty: a note, an attribute, an entity).
    fn is_set(&self, s: &Span) -> bool {
        match self {
            Field::Note => s.note.is_some(),
            Field::Attribute(k) => s.attributes.contains_key(k),
            Field::Entity => s.entity.is_some(),
            _ => true,
        }
    }

    /// Takes the value away (an empty note, no attribute, no entity).
    fn clear(&self, s: &mut Span) {
        match self {
            Field::Note => s.note = None,
            Field::Attribute(k) => {
                s.attributes.remove(k);
            }
            Field::Entity => s.entity = None::<EntityId>,
            _ => {}
        }
    }
}

/// Every field of these versions: the fixed ones and each attribute key
/// any of them has.
fn all_fields(versions: &[&Span]) -> Vec<Field> {
    let mut out = vec![
        Field::Label,
        Field::Range,
        Field::Note,
        Field::Origin,
        Field::Review,
        Field::Entity,
        Field::Agreed,
    ];
    let keys: BTreeSet<&String> = versions.iter().flat_map(|s| s.attributes.keys()).collect();
    out.extend(keys.into_iter().map(|k| Field::Attribute(k.clone())));
    out
}

/// The fields annotators fill in on a span they agree on: a note,
/// attributes, an entity.
fn content_fields(versions: &[&Span]) -> Vec<Field> {
    let mut out = vec![Field::Note, Field::Entity];
    let keys: BTreeSet<&String> = versions.iter().flat_map(|s| s.attributes.keys()).collect();
    out.extend(keys.into_iter().map(|k| Field::Attribute(k.clone())));
    out
}

/// Versions of one span, merged.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Merged {
    /// No field is in conflict: the one merged span.
    Clean(Span),
    /// Some are: the span with neither side's value of them (what stays
    /// live until the dispute is settled), and each version with its own
    /// values of them.
    Conflict { neither: Span, versions: Vec<Span> },
}

/// `merged` with `from`'s value of each field in `fields`.
fn with_fields(merged: &Span, from: &Span, fields: &[Field]) -> Span {
    let mut s = merged.clone();
    for f in fields {
        f.copy(&mut s, from);
    }
    s
}

/// A three-way merge of one span: `ours` and `theirs` both descend from
/// `base`. Per field: a change on one side is taken, the same change on
/// both once; different changes conflict, and `neither` keeps the base's
/// value there. The versions are ours and theirs, in that order.
pub(super) fn three_way(base: &Span, ours: &Span, theirs: &Span) -> Merged {
    let mut merged = ours.clone();
    let mut conflicts = Vec::new();
    for f in all_fields(&[base, ours, theirs]) {
        let ours_same = f.same(ours, base);
        let theirs_same = f.same(theirs, base);
        if ours_same && !theirs_same {
            f.copy(&mut merged, theirs);
        } else if !ours_same && !theirs_same && !f.agrees(ours, theirs) {
            conflicts.push(f);
        }
    }
    if conflicts.is_empty() {
        return Merged::Clean(merged);
    }
    // A review decision is about the label and range it saw: two
    // different decisions take those with them (a reviewer's acceptance
    // must not end up on the other side's corrected label).
    if conflicts.contains(&Field::Review) {
        for f in [Field::Label, Field::Range] {
            if !conflicts.contains(&f) {
                conflicts.push(f);
            }
        }
    }
    Merged::Conflict {
        neither: with_fields(&merged, base, &conflicts),
        versions: vec![
            with_fields(&merged, ours, &conflicts),
            with_fields(&merged, theirs, &conflicts),
        ],
    }
}

/// Versions of one span that annotators made independently (same label
/// and range), merged: the other fields are `versions[reference]`'s; of a
/// note, attribute or entity, a value only some gave is taken when `fill`
/// (else the reference's stays), and two different values conflict
/// (`neither` has none). The versions, in the order given, are each the
/// merged span with its own values of the conflicting fields.
pub(super) fn independent(versions: &[&Span], reference: usize, fill: bool) -> Merged {
    let mut merged = versions[reference].clone();
    let mut conflicts = Vec::new();
    for f in content_fields(versions) {
        let mut given = versions.iter().filter(|s| f.is_set(s));
        let Some(first) = given.next() else {
            continue;
        };
        if given.any(|s| !f.same(s, first)) {
            conflicts.push(f);
        } else if fill {
            f.copy(&mut merged, first);
        }
    }
    if conflicts.is_empty() {
        return Merged::Clean(merged);
    }
    let mut neither = merged.clone();
    for f in &conflicts {
        f.clear(&mut neither);
    }
    Merged::Conflict {
        versions: versions
            .iter()
            .map(|v| with_fields(&neither, v, &conflicts))
            .collect(),
        neither,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SpanId;

    fn span(label: &str, note: Option<&str>) -> Span {
        Span {
            id: SpanId(1),
            label: label.into(),
            start: 0,
            end: 5,
            note: note.map(Into::into),
            ..Span::default()
        }
    }

    #[test]
    fn three_way_takes_each_sides_change_and_conflicts_on_the_same_field() {
        let base = span("claim", None);
        let ours = span("claim", Some("dicek"));
        let theirs = span("denial", None);
        let Merged::Clean(m) = three_way(&base, &ours, &theirs) else {
            panic!("one change each side");
        };
        assert_eq!(
            (m.label.as_str(), m.note.as_deref()),
            ("denial", Some("dicek"))
        );
        let theirs = span("denial", Some("belum jelas"));
        let Merged::Conflict { neither, versions } = three_way(&base, &ours, &theirs) else {
            panic!("two notes");
        };
        assert_eq!(neither.note, None);
        assert_eq!(
            neither.label, "denial",
            "the label changed on one side only"
        );
        assert_eq!(versions[0].note.as_deref(), Some("dicek"));
        assert_eq!(versions[1].note.as_deref(), Some("belum jelas"));
        assert_eq!(versions[0].label, "denial");
    }

    #[test]
    fn independent_versions_fill_in_and_conflict() {
        let a = span("claim", None);
        let mut b = span("claim", Some("kutipan langsung"));
        b.attributes.insert("certainty".into(), "high".into());
        let Merged::Clean(m) = independent(&[&a, &b], 0, true) else {
            panic!("no conflict");
        };
        assert_eq!(m.note.as_deref(), Some("kutipan langsung"));
        assert_eq!(m.attributes.len(), 1);
        let Merged::Clean(m) = independent(&[&a, &b], 0, false) else {
            panic!("no conflict");
        };
        assert_eq!(m, a, "without filling in, the reference's");
        let c = span("claim", Some("parafrase"));
        let Merged::Conflict { neither, versions } = independent(&[&a, &b, &c], 0, true) else {
            panic!("two notes");
        };
        assert_eq!(neither.note, None);
        assert_eq!(neither.attributes.len(), 1, "filled in");
        assert_eq!(versions[0].note, None);
        assert_eq!(versions[2].note.as_deref(), Some("parafrase"));
    }
}
