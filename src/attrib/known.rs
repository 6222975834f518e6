//! The entities of a folder's other articles, for the entity picker's
//! "recent" list: the same John Kirby is picked, not typed again, in the
//! next article.
//!
//! Only the annotation files are read (bounded, as everywhere), never the
//! articles, so a folder of hundreds lists in a moment; a file that does
//! not read is passed over (the picker is a convenience, `tandai check`
//! says what is wrong with it).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::SystemTime;

use super::suggest::name_key;
use crate::store;

/// An entity named in some of a folder's annotation files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownEntity {
    /// Its name, as first found.
    pub name: String,
    /// Its role (entities of the same name with different roles are listed
    /// apart: the picker shows both).
    pub role: Option<String>,
    /// How many of the files list it.
    pub articles: usize,
    /// When the newest of those files was last saved.
    pub last_saved: Option<SystemTime>,
}

/// The entities listed in `files` (annotation files), one per name and
/// role (names compared ignoring case, accents and spacing), the most
/// recently saved first, then by name.
pub fn known_entities(files: &[PathBuf]) -> Vec<KnownEntity> {
    let mut by_key: BTreeMap<(String, Option<String>), KnownEntity> = BTreeMap::new();
    for f in files {
        let Ok((raw, disk)) = store::read_raw(f) else {
            continue;
        };
        let saved = disk.meta.map(|m| m.modified);
        let mut seen = std::collections::BTreeSet::new();
        for e in raw.entities {
            let key = (name_key(&e.name), e.role.clone());
            if key.0.is_empty() || !seen.insert(key.clone()) {
                continue;
            }
            let k = by_key.entry(key).or_insert_with(|| KnownEntity {
                name: e.name.clone(),
                role: e.role.clone(),
                articles: 0,
                last_saved: None,
            });
            k.articles += 1;
            k.last_saved = k.last_saved.max(saved);
        }
    }
    let mut out: Vec<KnownEntity> = by_key.into_values().collect();
    out.sort_by(|a, b| {
        b.last_saved
            .cmp(&a.last_saved)
            .then_with(|| name_key(&a.name).cmp(&name_key(&b.name)))
            .then_with(|| a.role.cmp(&b.role))
    });
    out
}
