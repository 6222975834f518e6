//! Names that are too long to import: labels, link kinds and model names
//! over [`crate::names::MAX_NAME_CHARS`] are left out with the span or link
//! that carries them, each reported, so that what an import writes (its
//! annotation files and the `tandai.schema.ron` it extends) always loads.

use std::collections::BTreeSet;

use super::{ImportedDoc, ProblemKind, Warnings};
use crate::model::Origin;
use crate::names;

/// Leaves out of `doc` the spans whose label or model name is too long and
/// the links whose kind is, or that join a span left out; reports each.
pub(crate) fn drop_long_names(doc: &mut ImportedDoc, w: &mut Warnings) {
    let name = doc.rel.display().to_string();
    let mut dropped = BTreeSet::new();
    doc.spans.retain(|s| {
        let model = match &s.origin {
            Origin::Machine { model, .. } => names::check("model", model),
            Origin::Human { .. } => Ok(()),
        };
        match names::check("label", &s.label).and(model) {
            Ok(()) => true,
            Err(why) => {
                w.problem(
                    ProblemKind::Malformed,
                    None,
                    format!("{name}: span {}: {why}; left out", s.id),
                );
                dropped.insert(s.id);
                false
            }
        }
    });
    doc.links.retain(|l| {
        let why = names::check("link kind", &l.kind).err().or_else(|| {
            [l.from, l.to]
                .iter()
                .find(|id| dropped.contains(id))
                .map(|id| format!("it joins span {id}, which was left out"))
        });
        match why {
            None => true,
            Some(why) => {
                w.problem(
                    ProblemKind::Malformed,
                    None,
                    format!("{name}: link {}: {why}; left out", l.id),
                );
                false
            }
        }
    });
}
