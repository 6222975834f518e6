//! brat's `annotation.conf`: the types the exported documents use.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use super::line::{Kind, Line, parse_line};
use crate::interop::{Names, Warnings, no_space};

/// The types the exported documents use, for brat's `annotation.conf`.
///
/// With a source `annotation.conf` (the one the documents came with from
/// brat), that file is written as it is, types, hierarchy, comments and
/// all, with only the types the documents use and it lacks added to the
/// end of their section; the schema adds nothing. Without one, the schema's
/// labels and link kinds are listed too, under the documents' spelling
/// where a document spells a name with other case (`Claim`, not `Claim`
/// and `claim`).
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
    /// The schema's labels, under their exported names.
    schema_entities: BTreeSet<String>,
    /// The schema's link kinds: kind -> role -> argument labels.
    schema_relations: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    /// The source `annotation.conf`, if the documents came with one.
    source: Option<String>,
    /// The type names the source declares.
    source_names: Vec<String>,
}

impl Conf {
    /// A conf over the source `annotation.conf` text the documents came
    /// with.
    pub fn over(source: String) -> Self {
        let source_names = declared(&source)
            .into_iter()
            .flat_map(|(_, names)| names)
            .map(str::to_owned)
            .collect();
        Conf {
            source: Some(source),
            source_names,
            ..Conf::default()
        }
    }

    /// How the source conf spells `name` (a type it declares under other
    /// case), so new lines use the brat project's own names.
    pub fn spelling(&self, name: String) -> String {
        if self.source_names.contains(&name) {
            return name;
        }
        let lower = name.to_lowercase();
        self.source_names
            .iter()
            .find(|d| d.to_lowercase() == lower)
            .cloned()
            .unwrap_or(name)
    }

    /// Adds the labels and link kinds of a schema (under their exported
    /// names), so that brat offers them even where no document uses them;
    /// nothing over a source conf, which says what the project's types are.
    pub fn add_schema(&mut self, schema: &crate::schema::Schema, names: &Names, w: &mut Warnings) {
        if self.source.is_some() {
            return;
        }
        for l in &schema.labels {
            self.schema_entities
                .insert(no_space(names.out_label(&l.name), w));
        }
        for k in &schema.links {
            let roles = self
                .schema_relations
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
        let fresh = self.merged().render_fresh();
        match &self.source {
            None => fresh,
            Some(src) => over_source(src, &fresh),
        }
    }

    /// The documents' types with the schema's folded in, each schema name
    /// under a document's spelling of it where one differs only in case.
    fn merged(&self) -> Conf {
        let mut out = self.clone();
        let mut spelled: HashMap<String, String> = HashMap::new();
        for name in self.entities.iter().chain(self.relations.keys()) {
            spelled
                .entry(name.to_lowercase())
                .or_insert_with(|| name.clone());
        }
        let canon = |n: &String| spelled.get(&n.to_lowercase()).unwrap_or(n).clone();
        for e in &self.schema_entities {
            out.entities.insert(canon(e));
        }
        for (kind, roles) in &self.schema_relations {
            let into = out.relations.entry(canon(kind)).or_default();
            for (role, types) in roles {
                into.entry(role.clone())
                    .or_default()
                    .extend(types.iter().map(canon));
            }
        }
        out
    }

    /// The text of an `annotation.conf` made from the types alone.
    fn render_fresh(&self) -> String {
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

/// The sections of an `annotation.conf` text, each with the names of the
/// types its lines declare (a line's first field, without brat's `!` for
/// a type that cannot be used itself; comments, blank lines and macros
/// `<NAME>=…` declare nothing).
fn declared(conf: &str) -> Vec<(String, Vec<&str>)> {
    let mut out: Vec<(String, Vec<&str>)> = Vec::new();
    for line in conf.lines() {
        let t = line.trim();
        if let Some(section) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            out.push((section.trim().to_owned(), Vec::new()));
            continue;
        }
        if t.is_empty() || t.starts_with('#') || t.starts_with('<') {
            continue;
        }
        let name = t
            .split(|c: char| c.is_whitespace() || c == ',')
            .next()
            .unwrap_or_default()
            .trim_start_matches('!');
        if let Some((_, names)) = out.last_mut() {
            names.push(name);
        }
    }
    out
}

/// The source conf with the lines of `fresh` whose types it does not
/// declare added at the end of their section (a section it lacks is
/// added at the end).
fn over_source(src: &str, fresh: &str) -> String {
    let have = declared(src);
    let mut missing: Vec<(String, Vec<&str>)> = Vec::new();
    let mut section = String::new();
    for line in fresh.lines() {
        let t = line.trim();
        if let Some(s) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            s.clone_into(&mut section);
            continue;
        }
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let name = t.split('\t').next().unwrap_or_default();
        let known = have
            .iter()
            .any(|(s, names)| *s == section && names.contains(&name));
        if !known {
            match missing.iter_mut().find(|(s, _)| *s == section) {
                Some((_, lines)) => lines.push(line),
                None => missing.push((section.clone(), vec![line])),
            }
        }
    }
    if missing.is_empty() {
        return src.to_owned();
    }
    let note = "# Used in the documents exported by tandai, not declared above:";
    let mut out: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    let flush = |current: &Option<String>, out: &mut Vec<String>| {
        let Some(sec) = current else { return };
        if let Some((_, lines)) = missing.iter().find(|(s, _)| s == sec) {
            // After the section's last line that says something.
            let at = out
                .iter()
                .rposition(|l| !l.trim().is_empty())
                .map_or(out.len(), |i| i + 1);
            let mut add = vec![note.to_owned()];
            add.extend(lines.iter().map(|l| (*l).to_owned()));
            out.splice(at..at, add);
        }
    };
    for line in src.lines() {
        let t = line.trim();
        if let Some(s) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            flush(&current, &mut out);
            current = Some(s.trim().to_owned());
        }
        out.push(line.to_owned());
    }
    flush(&current, &mut out);
    let mut text = out.join("\n");
    text.push('\n');
    for (sec, lines) in &missing {
        if !have.iter().any(|(s, _)| s == sec) {
            let _ = write!(text, "\n[{sec}]\n{note}\n");
            for l in lines {
                let _ = writeln!(text, "{l}");
            }
        }
    }
    text
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_conf_gets_only_what_it_lacks_at_the_end_of_its_section() {
        let src = "[entities]\n!Statement\n\tClaim\nSource\n\n[relations]\n\n[events]\n";
        let mut conf = Conf::over(src.to_owned());
        conf.add("T1\tClaim 0 3\tabc\nT2\tQuote 4 7\tdef\nR1\tSaid_by Arg1:T1 Arg2:T2\t\nA1\tNegated T1\n");
        assert_eq!(conf.spelling("claim".to_owned()), "Claim");
        assert_eq!(conf.spelling("quote".to_owned()), "quote");
        let note = "# Used in the documents exported by tandai, not declared above:";
        assert_eq!(
            conf.render(),
            format!(
                "[entities]\n!Statement\n\tClaim\nSource\n{note}\nQuote\n\n[relations]\n{note}\nSaid_by\tArg1:Claim, Arg2:Quote\n\n[events]\n\n[attributes]\n{note}\nNegated\tArg:<ENTITY>\n"
            )
        );
        // Everything declared: the source as it was.
        let mut same = Conf::over(src.to_owned());
        same.add("T1\tClaim 0 3\tabc\n");
        assert_eq!(same.render(), src);
    }
}
