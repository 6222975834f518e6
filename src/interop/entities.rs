//! Entities across the formats: the lossless ones (JSONL, Label Studio,
//! W3C) carry a source's entity as `{id, name, role}` on its span and settle
//! them into one list on import; the others count what they leave behind.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{ExportDoc, Ids, Loss, Warnings};
use crate::format::RawEntity;
use crate::model::{Annotations, EntityId, Span};

/// A span's entity as the lossless formats carry it (JSONL `entity`,
/// Label Studio `tandai.entity`, W3C `tandai:entity`): the file's id, so
/// that a round trip keeps it, and who it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct EntityRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<u64>,
    pub(crate) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) role: Option<String>,
}

impl EntityRef {
    /// The entity span `s` names, if the file lists it.
    pub(crate) fn of(ann: &Annotations, s: &Span) -> Option<EntityRef> {
        let e = ann.entity(s.entity?)?;
        Some(EntityRef {
            id: Some(e.id.0),
            name: e.name.clone(),
            role: e.role.clone(),
        })
    }

    /// An entity object read from another tool's JSON; `None` if it is
    /// missing or not one.
    pub(crate) fn from_json(v: Option<&serde_json::Value>) -> Option<EntityRef> {
        serde_json::from_value(v?.clone()).ok()
    }
}

/// The entities an imported document's spans name, settled into one list:
/// each keeps the id it came with where that is free and not another
/// entity's, and spans without ids that name the same name and role share
/// one.
pub(crate) struct EntityPool {
    ids: Ids,
    list: Vec<RawEntity>,
    by_id: BTreeMap<u64, usize>,
    by_name: BTreeMap<(String, Option<String>), u64>,
}

impl EntityPool {
    /// A pool for entities that ask for `wanted` ids.
    pub(crate) fn new(wanted: impl IntoIterator<Item = u64>) -> Self {
        EntityPool {
            ids: Ids::new(wanted),
            list: Vec::new(),
            by_id: BTreeMap::new(),
            by_name: BTreeMap::new(),
        }
    }

    /// The id of `e` in the list, adding it if it is new.
    pub(crate) fn take(&mut self, e: EntityRef) -> u64 {
        let key = (e.name, e.role);
        if let Some(id) = e.id
            && let Some(&i) = self.by_id.get(&id)
            && (self.list[i].name == key.0 && self.list[i].role == key.1)
        {
            return id;
        }
        let id_taken = e.id.is_some_and(|id| self.by_id.contains_key(&id));
        if (e.id.is_none() || id_taken)
            && let Some(&known) = self.by_name.get(&key)
        {
            return known;
        }
        let id = self.ids.take(e.id.filter(|_| !id_taken));
        self.by_id.insert(id, self.list.len());
        self.by_name.entry(key.clone()).or_insert(id);
        self.list.push(RawEntity {
            id,
            name: key.0,
            role: key.1,
        });
        id
    }

    /// The entities, in the order they were first named.
    pub(crate) fn into_list(self) -> Vec<RawEntity> {
        self.list
    }
}

/// Counts the entities an export leaves behind: with `carried` (a
/// lossless format) those no exported span names; else also every
/// exported span's entity.
pub(crate) fn count_entities(doc: &ExportDoc, spans: &[&Span], carried: bool, w: &mut Warnings) {
    let named: BTreeSet<EntityId> = spans
        .iter()
        .filter_map(|s| s.entity)
        .filter(|e| doc.ann.entity(*e).is_some())
        .collect();
    let unnamed = doc
        .ann
        .entities()
        .filter(|e| !named.contains(&e.id))
        .count();
    let lost = if carried {
        unnamed
    } else {
        unnamed + named.len()
    };
    w.add(Loss::EntitiesNotCarried, lost);
}
