//! brat's `annotation.conf`: the types the exported documents use.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use super::line::{Kind, Line, parse_line};
use crate::interop::{Names, Warnings, no_space};

/// The types the exported documents use, for brat's `annotation.conf`.
#[derive(Clone, Debug, Default)]
pub struct Conf {
    entities: BTreeSet<String>,
    triggers: BTreeSet<String>,
    /// Relation type -> role -> argument types.
    relations: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    equivalences: BTreeSet<String>,
    /// Event type -> role (without its number) -> argument types.
    events: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    /// Attribute -> (what it is on, values).
    attributes: BTreeMap<String, (BTreeSet<&'static str>, BTreeSet<String>)>,
}

impl Conf {
    /// Adds the labels and link kinds of a schema (under their exported
    /// names), so that brat offers them even where no document uses them.
    pub fn add_schema(&mut self, schema: &crate::schema::Schema, names: &Names, w: &mut Warnings) {
        for l in &schema.labels {
            self.entities.insert(no_space(names.out_label(&l.name), w));
        }
        for k in &schema.links {
            let roles = self
                .relations
                .entry(no_space(names.out_kind(&k.kind), w))
                .or_default();
            for (role, labels) in [("Arg1", &k.from), ("Arg2", &k.to)] {
                let set = roles.entry(role.to_owned()).or_default();
                for l in labels {
                    set.insert(no_space(names.out_label(l), w));
                }
            }
        }
    }

    /// Records the types of one `.ann` text.
    pub(super) fn add(&mut self, ann: &str) {
        let lines: Vec<Line> = ann.lines().filter_map(|l| parse_line(l).ok()).collect();
        let mut types: HashMap<&str, &str> = HashMap::new();
        let mut class: HashMap<&str, &'static str> = HashMap::new();
        for l in &lines {
            match &l.kind {
                Kind::Text { ty, .. } => {
                    types.insert(l.id, ty);
                    class.insert(l.id, "<ENTITY>");
                }
                Kind::Rel { .. } => {
                    class.insert(l.id, "<RELATION>");
                }
                _ => {}
            }
        }
        for l in &lines {
            if let Kind::Event { ty, trigger, .. } = &l.kind {
                types.insert(l.id, ty);
                class.insert(l.id, "<EVENT>");
                class.insert(trigger, "<EVENT>");
            }
        }
        let type_of = |id: &str| types.get(id).map_or_else(String::new, |t| (*t).to_owned());
        for l in &lines {
            match &l.kind {
                Kind::Text { ty, .. } => {
                    if class.get(l.id) == Some(&"<EVENT>") {
                        self.triggers.insert((*ty).to_owned());
                    } else {
                        self.entities.insert((*ty).to_owned());
                    }
                }
                Kind::Rel { ty, args } => {
                    let roles = self.relations.entry((*ty).to_owned()).or_default();
                    for (role, target) in args {
                        roles
                            .entry((*role).to_owned())
                            .or_default()
                            .insert(type_of(target));
                    }
                }
                Kind::Equiv { ty, members } => {
                    self.equivalences.insert((*ty).to_owned());
                    let roles = self.relations.entry((*ty).to_owned()).or_default();
                    for role in ["Arg1", "Arg2"] {
                        let set = roles.entry(role.to_owned()).or_default();
                        for m in members {
                            set.insert(type_of(m));
                        }
                    }
                }
                Kind::Event { ty, args, .. } => {
                    let roles = self.events.entry((*ty).to_owned()).or_default();
                    for (role, target) in args {
                        let base = role.trim_end_matches(|c: char| c.is_ascii_digit());
                        roles
                            .entry(base.to_owned())
                            .or_default()
                            .insert(type_of(target));
                    }
                }
                Kind::Attr {
                    name,
                    target,
                    value,
                } => {
                    let (on, values) = self.attributes.entry((*name).to_owned()).or_default();
                    on.insert(class.get(target).copied().unwrap_or("<ENTITY>"));
                    if let Some(v) = value {
                        values.insert((*v).to_owned());
                    }
                }
                Kind::Norm { .. } | Kind::Note { .. } => {}
            }
        }
    }

    /// The text of `annotation.conf`.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# Annotation types of the documents exported by tandai, in brat's\n# annotation.conf format.\n\n[entities]\n\n",
        );
        for e in self.entities.difference(&self.triggers) {
            let _ = writeln!(out, "{e}");
        }
        out.push_str("\n[relations]\n\n");
        for (ty, roles) in &self.relations {
            let mut parts: Vec<String> = roles
                .iter()
                .map(|(role, types)| format!("{role}:{}", join_types(types)))
                .collect();
            if self.equivalences.contains(ty) {
                parts.push("<REL-TYPE>:symmetric-transitive".to_owned());
            }
            let _ = writeln!(out, "{ty}\t{}", parts.join(", "));
        }
        out.push_str("\n[events]\n\n");
        let mut event_types: BTreeSet<&String> = self.events.keys().collect();
        event_types.extend(&self.triggers);
        for ty in event_types {
            let parts: Vec<String> = self
                .events
                .get(ty)
                .into_iter()
                .flatten()
                .map(|(role, types)| format!("{role}*:{}", join_types(types)))
                .collect();
            if parts.is_empty() {
                let _ = writeln!(out, "{ty}");
            } else {
                let _ = writeln!(out, "{ty}\t{}", parts.join(", "));
            }
        }
        out.push_str("\n[attributes]\n\n");
        for (name, (on, values)) in &self.attributes {
            let on: Vec<&str> = on.iter().copied().collect();
            let _ = write!(out, "{name}\tArg:{}", on.join("|"));
            if !values.is_empty() {
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                let _ = write!(out, ", Value:{}", values.join("|"));
            }
            out.push('\n');
        }
        out
    }
}

fn join_types(types: &BTreeSet<String>) -> String {
    let names: Vec<&str> = types
        .iter()
        .filter(|t| !t.is_empty())
        .map(String::as_str)
        .collect();
    if names.is_empty() {
        "<ANY>".to_owned()
    } else {
        names.join("|")
    }
}
