//! The entities of the open article, for the entity picker and the "Who
//! said what" panel: suggestions for a source span, and naming, creating,
//! renaming and deleting entities, each one undoable step.

use super::Session;
use crate::attrib::{self, Row, Skipped, suggest::Match};
use crate::edit::Edit;
use crate::model::{Entity, EntityId, SpanId};

/// An entity name or role as typed: trimmed, `None` if nothing is left.
fn typed(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl Session {
    /// The entities `id`'s text may name, best first ("Kirby" → John
    /// Kirby): what the picker offers before anything is typed.
    pub fn entity_suggestions(&self, id: SpanId) -> Vec<(EntityId, Match)> {
        let ann = &self.doc.annotations;
        let Some(span) = ann.span(id) else {
            return Vec::new();
        };
        attrib::suggest::suggest(&span.text, ann.entities())
            .into_iter()
            .map(|(e, m)| (e.id, m))
            .collect()
    }

    /// Says which entity span `id` refers to (`None`: none), as one undo
    /// step. `false` (with a message) if the span or entity does not exist.
    pub fn set_entity(&mut self, id: SpanId, entity: Option<EntityId>) -> bool {
        let ann = &self.doc.annotations;
        if ann.span(id).is_some_and(|s| s.entity == entity) {
            return true;
        }
        let name = entity.and_then(|e| ann.entity(e)).map(Entity::display_name);
        let step = if entity.is_some() {
            "Set entity"
        } else {
            "Clear entity"
        };
        if !self.apply(step, vec![Edit::SetEntity { id, entity }]) {
            return false;
        }
        match name {
            Some(n) => self.info(format!("Span {id} is {n}")),
            None => self.info(format!("Span {id} names no entity")),
        }
        true
    }

    /// Adds an entity named `name` (with `role`) and, if `span` is given,
    /// makes that span name it, as one undo step; returns its id. An
    /// entity of the same name and role already in the article is used
    /// instead of a second one (picking an entity from another article of
    /// the folder). `None` (with a message) for an empty name.
    pub fn new_entity(
        &mut self,
        name: &str,
        role: Option<&str>,
        span: Option<SpanId>,
    ) -> Option<EntityId> {
        let Some(name) = typed(name) else {
            self.error("An entity needs a name");
            return None;
        };
        let role = role.and_then(typed);
        let ann = &self.doc.annotations;
        let existing = ann
            .entities()
            .find(|e| e.name == name && e.role == role)
            .map(|e| e.id);
        let id = existing.unwrap_or_else(|| ann.next_entity_id());
        let mut edits = Vec::new();
        if existing.is_none() {
            edits.push(Edit::AddEntity(Entity {
                id,
                name: name.clone(),
                role,
            }));
        }
        if let Some(span) = span {
            edits.push(Edit::SetEntity {
                id: span,
                entity: Some(id),
            });
        }
        if !self.apply("New entity", edits) {
            return None;
        }
        self.info(format!("Entity {name}"));
        Some(id)
    }

    /// Gives entity `id` a new name or role, as one undo step.
    pub fn update_entity(&mut self, id: EntityId, name: &str, role: Option<&str>) -> bool {
        let Some(name) = typed(name) else {
            self.error("An entity needs a name");
            return false;
        };
        let entity = Entity {
            id,
            name,
            role: role.and_then(typed),
        };
        if self.doc.annotations.entity(id) == Some(&entity) {
            return true;
        }
        self.apply("Edit entity", vec![Edit::UpdateEntity(entity)])
    }

    /// Deletes entity `id`, clearing it from every span that names it, as
    /// one undo step.
    pub fn delete_entity(&mut self, id: EntityId) -> bool {
        let edits = Edit::remove_entity_with_uses(&self.doc.annotations, id);
        let ok = self.apply("Delete entity", edits);
        if ok {
            self.info(format!("Deleted entity {id}"));
        }
        ok
    }

    /// Who said what in this article: the rows of the attribution table,
    /// in document order (see [`attrib::rows`]); the app groups them with
    /// [`attrib::group::groups`].
    pub fn attributions(&self) -> Vec<Row> {
        let mut skipped = Skipped::default();
        attrib::rows(&self.file_name(), &self.doc.annotations, &mut skipped)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{EntityId, SpanId};
    use crate::session::Session;

    const ARTICLE: &str = "Juru bicara Kementerian, Ani Lestari, mengatakan harga naik. \
                           Lestari menambahkan bahwa dia tidak tahu.";

    fn span_of(s: &mut Session, label: &str, quote: &str) -> SpanId {
        let b = ARTICLE.find(quote).unwrap();
        let start = ARTICLE[..b].chars().count();
        s.tag(label, start..start + quote.chars().count());
        s.selected().unwrap()
    }

    #[test]
    fn picker_steps_are_one_undo_each() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, ARTICLE).unwrap();
        let mut s = Session::open(&p).unwrap();
        let outer = span_of(&mut s, "source", "Juru bicara Kementerian, Ani Lestari");
        let surname = span_of(&mut s, "source", "Lestari menambahkan");
        let ani = s
            .new_entity(" Ani Lestari ", Some("juru bicara"), Some(outer))
            .unwrap();
        assert_eq!(s.doc().annotations.entity(ani).unwrap().name, "Ani Lestari");
        assert_eq!(
            s.entity_suggestions(surname),
            [(ani, crate::attrib::suggest::Match::Words(1))]
        );
        assert!(s.set_entity(surname, Some(ani)));
        // The same name and role again is the same entity.
        assert_eq!(
            s.new_entity("Ani Lestari", Some("juru bicara"), None),
            Some(ani)
        );
        assert_eq!(s.doc().annotations.entity_count(), 1);
        assert!(!s.set_entity(surname, Some(EntityId(99))));
        assert!(s.new_entity("  ", None, None).is_none());
        assert!(s.update_entity(ani, "Ani Lestari", None));
        assert_eq!(s.doc().annotations.entity(ani).unwrap().role, None);
        assert!(s.delete_entity(ani));
        assert_eq!(s.doc().annotations.span(outer).unwrap().entity, None);
        s.undo();
        s.undo();
        assert_eq!(
            s.doc().annotations.entity_of(outer).unwrap().name,
            "Ani Lestari"
        );
        assert_eq!(
            s.doc().annotations.entity_of(surname).map(|e| e.id),
            Some(ani)
        );
        s.undo();
        assert_eq!(s.doc().annotations.entity_of(surname), None);
        s.undo();
        assert_eq!(
            s.doc().annotations.entity_count(),
            0,
            "entity and its span in one step"
        );
        assert_eq!(s.attributions().len(), 0, "no claims yet");
    }
}
