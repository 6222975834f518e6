//! The table grouped by who the source is: per entity, how many claims and
//! denials, in how many articles (`tandai attributions --by-entity`, the
//! app's "Who said what" panel).
//!
//! Rows whose source names an entity are grouped by the entity's name
//! (ignoring case, accents and spacing, so the same person annotated in two
//! articles is one group, whatever role each gave them); rows whose source
//! names none by the source's text ("Gedung Putih" in every article is one
//! group); unattributed rows form one group of their own, last.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::Row;
use super::suggest::name_key;
use crate::model::SpanId;

/// What a group is keyed by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    /// The sources name this entity.
    Entity,
    /// The sources name no entity; grouped by their text.
    SourceText,
    /// Claims and denials without a source.
    Unattributed,
}

impl By {
    /// Name in tables: `entity`, `source_text`, `unattributed`.
    pub fn name(self) -> &'static str {
        match self {
            By::Entity => "entity",
            By::SourceText => "source_text",
            By::Unattributed => "unattributed",
        }
    }
}

/// The rows of one entity (or source text, or of no source).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The entity's name or the source's text, as first written; empty for
    /// the unattributed. (`entity` in tables.)
    #[serde(rename = "entity")]
    pub name: String,
    /// The roles the entity is given, each once, in order of appearance.
    pub roles: Vec<String>,
    /// What the group is keyed by.
    pub by: By,
    /// Distinct claims attributed to it.
    pub claims: usize,
    /// Distinct denials attributed to it.
    pub denials: usize,
    /// Articles it appears in.
    pub articles: usize,
    /// Those articles, sorted.
    pub docs: Vec<String>,
    /// Its rows, as indices into the rows grouped, in their order.
    #[serde(skip)]
    pub rows: Vec<usize>,
}

/// What a group is found by: its kind and name key.
type Key = (By, String);

/// A claim or denial counted once per group: document, span, label.
type Content<'a> = (&'a str, SpanId, &'a str);

/// Groups `rows`: entities first, then sources without one, each by
/// claims and denials (most first), then name; unattributed last.
pub fn groups(rows: &[Row]) -> Vec<Group> {
    let mut by_key: BTreeMap<Key, Group> = BTreeMap::new();
    let mut contents: BTreeMap<Key, BTreeSet<Content>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        let (by, name, role) = match &r.source {
            None => (By::Unattributed, "", None),
            Some(s) => match &s.entity {
                Some(e) => (By::Entity, e.name.as_str(), e.role.as_deref()),
                None => (By::SourceText, s.span.text.as_str(), None),
            },
        };
        let key = (by, name_key(name));
        let g = by_key.entry(key.clone()).or_insert_with(|| Group {
            by,
            name: name.to_owned(),
            roles: Vec::new(),
            claims: 0,
            denials: 0,
            articles: 0,
            docs: Vec::new(),
            rows: Vec::new(),
        });
        g.rows.push(i);
        if let Some(role) = role.filter(|r| !r.is_empty())
            && !g.roles.iter().any(|x| x == role)
        {
            g.roles.push(role.to_owned());
        }
        if let Err(at) = g.docs.binary_search(&r.doc) {
            g.docs.insert(at, r.doc.clone());
        }
        contents
            .entry(key)
            .or_default()
            .insert((&r.doc, r.content.id, &r.kind));
    }
    let mut out: Vec<Group> = by_key
        .into_iter()
        .map(|(key, mut g)| {
            let seen = contents.get(&key);
            let count = |kind: &str| seen.map_or(0, |c| c.iter().filter(|x| x.2 == kind).count());
            g.claims = count("claim");
            g.denials = count("denial");
            g.articles = g.docs.len();
            g
        })
        .collect();
    out.sort_by(|a, b| {
        a.by.cmp(&b.by)
            .then_with(|| (b.claims + b.denials).cmp(&(a.claims + a.denials)))
            .then_with(|| b.rows.len().cmp(&a.rows.len()))
            .then_with(|| name_key(&a.name).cmp(&name_key(&b.name)))
    });
    out
}
