//! Entities: who a source is. "Juru bicara Kementerian, Ani Lestari",
//! "Lestari" and "dia" are three source spans and one entity, Ani Lestari.
//!
//! An article's annotation file lists its entities once (id, canonical
//! name, optional role) and a span names one by id ([`Span::entity`]). The
//! annotations keep, beside the list, which spans name each id, so that
//! "the spans of this entity" and "may this entity go" cost no scan.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Annotations, ModelError, Span, SpanId, next_free};

/// Identifier of an entity, unique within one annotation file.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct EntityId(pub u64);

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Who a source span refers to: a canonical name ("John Kirby") and,
/// optionally, the role the article gives them ("NSC spokesman").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entity {
    /// Unique within the file.
    pub id: EntityId,
    /// The canonical name, as the researcher wrote it.
    pub name: String,
    /// The role or title, if given.
    pub role: Option<String>,
}

impl Entity {
    /// The name with the role in parentheses, for lists and tables:
    /// `John Kirby (NSC spokesman)`.
    pub fn display_name(&self) -> String {
        match &self.role {
            Some(role) if !role.is_empty() => format!("{} ({role})", self.name),
            _ => self.name.clone(),
        }
    }
}

/// Records that span `span` names `entity` (`add`) or no longer does.
pub(super) fn index_use(
    uses: &mut BTreeMap<EntityId, BTreeSet<SpanId>>,
    entity: Option<EntityId>,
    span: SpanId,
    add: bool,
) {
    let Some(entity) = entity else {
        return;
    };
    if add {
        uses.entry(entity).or_default().insert(span);
    } else if let Some(set) = uses.get_mut(&entity) {
        set.remove(&span);
        if set.is_empty() {
            uses.remove(&entity);
        }
    }
}

impl Annotations {
    /// Number of entities in the list.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// Entities by id.
    pub fn entities(&self) -> impl DoubleEndedIterator<Item = &Entity> + '_ {
        self.entities.values()
    }

    /// An entity by id.
    pub fn entity(&self, id: EntityId) -> Option<&Entity> {
        self.entities.get(&id)
    }

    /// The entity a span names, if it names one that exists.
    pub fn entity_of(&self, span: SpanId) -> Option<&Entity> {
        self.spans
            .get(&span)
            .and_then(|s| s.entity)
            .and_then(|e| self.entities.get(&e))
    }

    /// Spans that name `id`, by span id (an id the list lacks included:
    /// spans of a file that names a missing entity).
    pub fn spans_of_entity(&self, id: EntityId) -> impl Iterator<Item = &Span> + '_ {
        self.entity_uses
            .get(&id)
            .into_iter()
            .flatten()
            .filter_map(|s| self.span(*s))
    }

    /// Whether entities are used at all: listed, or named by a span. Files
    /// without them keep the format version they always had.
    pub fn uses_entities(&self) -> bool {
        !self.entities.is_empty() || !self.entity_uses.is_empty()
    }

    /// The id for a new entity: above every entity, every id a span names
    /// (a span naming a missing entity must not get attached to a new one)
    /// and every one a dispute holds, or, past `u64::MAX`, the smallest id
    /// none uses.
    pub fn next_entity_id(&self) -> EntityId {
        let top = self
            .entities
            .keys()
            .next_back()
            .max(self.entity_uses.keys().next_back())
            .map(|id| id.0)
            .max(self.held_entity_top());
        let free = |id: &u64| {
            !self.entities.contains_key(&EntityId(*id))
                && !self.entity_uses.contains_key(&EntityId(*id))
                && !self.holds_entity(EntityId(*id))
        };
        EntityId(next_free(top, free))
    }

    /// Adds an entity. Fails if its id is taken, by an entity or by spans
    /// that name a missing one (they would silently attach to it).
    pub fn insert_entity(&mut self, entity: Entity) -> Result<(), ModelError> {
        if self.entities.contains_key(&entity.id) || self.entity_uses.contains_key(&entity.id) {
            return Err(ModelError::DuplicateId(entity.id.0));
        }
        self.entities.insert(entity.id, entity);
        Ok(())
    }

    /// Removes an entity no span names, returning it.
    pub fn remove_entity(&mut self, id: EntityId) -> Result<Entity, ModelError> {
        if self.entity_uses.contains_key(&id) {
            return Err(ModelError::EntityInUse(id));
        }
        self.entities
            .remove(&id)
            .ok_or(ModelError::NoSuchEntity(id))
    }

    /// Replaces an entity with a new version of itself (same id: a new name
    /// or role), returning the old one.
    pub fn replace_entity(&mut self, entity: Entity) -> Result<Entity, ModelError> {
        let old = self
            .entities
            .get_mut(&entity.id)
            .ok_or(ModelError::NoSuchEntity(entity.id))?;
        Ok(std::mem::replace(old, entity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;
    use crate::offsets::Text;

    fn kirby(id: u64) -> Entity {
        Entity {
            id: EntityId(id),
            name: "John Kirby".into(),
            role: Some("NSC spokesman".into()),
        }
    }

    #[test]
    fn spans_name_entities_and_the_index_follows_every_change() {
        let t = Text::new("Kirby said so; dia said so too.".to_owned());
        let mut a = Annotations::default();
        assert!(!a.uses_entities());
        a.insert_entity(kirby(1)).unwrap();
        assert!(a.uses_entities());
        let mut s = Span::new_in(&t, SpanId(1), "source", 0..5, Origin::default()).unwrap();
        s.entity = Some(EntityId(1));
        a.insert_span(s.clone()).unwrap();
        assert_eq!(
            a.entity_of(SpanId(1)).map(|e| e.name.as_str()),
            Some("John Kirby")
        );
        assert_eq!(
            a.remove_entity(EntityId(1)),
            Err(ModelError::EntityInUse(EntityId(1)))
        );
        // A span naming a missing entity: its id is not handed out again.
        let mut dia = Span::new_in(&t, SpanId(2), "source", 15..18, Origin::default()).unwrap();
        dia.entity = Some(EntityId(7));
        a.insert_span(dia).unwrap();
        assert_eq!(a.entity_of(SpanId(2)), None);
        assert_eq!(a.next_entity_id(), EntityId(8));
        assert_eq!(a.insert_entity(kirby(7)), Err(ModelError::DuplicateId(7)));
        let ids: Vec<u64> = a.spans_of_entity(EntityId(7)).map(|s| s.id.0).collect();
        assert_eq!(ids, [2]);
        // Clearing the entity frees it; so does removing the span.
        s.entity = None;
        a.replace_span(s).unwrap();
        assert_eq!(a.spans_of_entity(EntityId(1)).count(), 0);
        a.remove_span(SpanId(2)).unwrap();
        assert_eq!(a.next_entity_id(), EntityId(2));
        let old = a
            .replace_entity(Entity {
                role: None,
                ..kirby(1)
            })
            .unwrap();
        assert_eq!(old.display_name(), "John Kirby (NSC spokesman)");
        assert_eq!(
            a.remove_entity(EntityId(1)).unwrap().display_name(),
            "John Kirby"
        );
        assert!(!a.uses_entities());
        a.remove_span(SpanId(1)).unwrap();
        assert_eq!(a, Annotations::default());
    }
}
