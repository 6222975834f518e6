//! Importing: each input file read by its format, each document placed as
//! loading places it and checked against the schema (extended with what the
//! input brings), then written beside the input or into the output folder.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use super::pipeline::{
    Input, Plan, brat_conf_of, find_inputs, has_extension, paths_list, plan, read_input, refuse,
    same_file, untaken, write_planned,
};
use super::{
    Format, ImportOptions, ImportedDoc, InteropError, Located, Names, ProblemKind, Progress,
    Report, Warnings, brat, doccano, jsonl, label_studio, w3c,
};
use crate::check::{self, FindingKind};
use crate::document::Article;
use crate::format::{self, RawDocument, RawFile, quote};
use crate::model::{Annotations, Span};
use crate::schema::{LabelDef, LinkKindDef, SCHEMA_FILE_NAME, Schema};
use crate::store::{self, DiskState};

/// A document read and placed, waiting to be written.
struct Placed {
    /// Output folder root (where a schema goes).
    root: PathBuf,
    /// The article's path in the output.
    article_out: PathBuf,
    source: Option<PathBuf>,
    article: Article,
    ann: Annotations,
    /// The input it came from, for messages.
    input: PathBuf,
}

/// The schema in force for an output root, and where it came from.
type SchemaAt = (Schema, Option<PathBuf>);

fn schema_for(
    root: &Path,
    explicit: Option<&Path>,
    cache: &mut HashMap<PathBuf, SchemaAt>,
) -> Result<SchemaAt, InteropError> {
    if let Some(s) = cache.get(root) {
        return Ok(s.clone());
    }
    let found = Schema::discover(&root.join("_"), explicit)?;
    cache.insert(root.to_owned(), found.clone());
    Ok(found)
}

/// Imports `inputs` (files or folders) as `opts` says.
pub fn import(
    inputs: &[PathBuf],
    opts: &ImportOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, InteropError> {
    let format = opts.format;
    if !format.can_import() {
        return Err(InteropError::Unsupported(format!(
            "{format} is an export-only format; tandai cannot import it"
        )));
    }
    let wanted = |p: &Path| has_extension(p, format.extensions());
    // A brat article stands for the .ann beside it.
    let file = |p: &Path| {
        if format == Format::Brat && !has_extension(p, &["ann"]) {
            p.with_extension("ann")
        } else {
            p.to_owned()
        }
    };
    let found = find_inputs(inputs, &wanted, &file)?;
    if found.is_empty() {
        return Err(InteropError::NoInput {
            format,
            paths: paths_list(inputs),
        });
    }
    if let Some(dir) = &opts.out_dir {
        std::fs::create_dir_all(dir).map_err(|source| InteropError::Output {
            path: dir.clone(),
            source,
        })?;
    }

    let mut report = Report {
        direction: "import",
        format: Some(format),
        ..Report::default()
    };
    let mut schemas: HashMap<PathBuf, SchemaAt> = HashMap::new();
    let mut placed = Vec::new();
    let mut taken = HashSet::new();
    for (i, input) in found.iter().enumerate() {
        progress(Progress {
            done: i,
            total: found.len(),
            current: &input.path,
        });
        let root = opts.out_dir.clone().unwrap_or_else(|| input.root.clone());
        let out_dir = root.join(input.subdir());
        let (schema, _) = schema_for(&root, opts.schema.as_deref(), &mut schemas)?;
        let names = Names {
            mapping: &opts.mapping,
            schema: &schema,
            annotator: &opts.annotator,
        };
        let w = &mut report.warnings;
        w.set_file(Some(&input.path));
        for mut doc in docs_of(input, opts, &names, w) {
            super::limits::drop_long_names(&mut doc, w);
            let article_out = untaken(out_dir.join(&doc.rel), &mut taken, w);
            let (ann, findings) = place(&doc, &article_out);
            for f in findings {
                if f.kind != FindingKind::TextMismatch {
                    w.problem(
                        ProblemKind::Placement,
                        None,
                        format!("{}: {}", doc.rel.display(), f.message),
                    );
                }
            }
            placed.push(Placed {
                root: root.clone(),
                article_out,
                source: doc.source,
                article: doc.article,
                ann,
                input: input.path.clone(),
            });
        }
    }
    report.warnings.set_file(None);

    // The schema of each output root, extended with what was imported.
    let mut finals: BTreeMap<PathBuf, Schema> = BTreeMap::new();
    let roots: BTreeSet<PathBuf> = placed.iter().map(|p| p.root.clone()).collect();
    for root in roots {
        let (base, from) = schema_for(&root, opts.schema.as_deref(), &mut schemas)?;
        let docs: Vec<&Annotations> = placed
            .iter()
            .filter(|p| p.root == root)
            .map(|p| &p.ann)
            .collect();
        let schema = extend_schema(&root, base, from.as_deref(), &docs, opts, &mut report);
        finals.insert(root, schema);
    }

    for p in placed {
        let schema = finals.get(&p.root).cloned().unwrap_or_default();
        write_imported(&p, &schema, opts, &mut report);
    }
    if format == Format::Brat
        && let Some(out) = &opts.out_dir
    {
        copy_brat_confs(&found, out, opts.force, &mut report);
    }
    Ok(report)
}

/// Copies the `annotation.conf` (and `visual.conf` beside it) that brat
/// inputs came with to the same place under the output folder, so the
/// project's types and hierarchy stay with the documents and a brat
/// export can give them back.
fn copy_brat_confs(found: &[Input], out: &Path, force: bool, report: &mut Report) {
    let mut done = HashSet::new();
    for input in found {
        let Some(conf) = brat_conf_of(input) else {
            continue;
        };
        let Some(dir) = conf.parent() else { continue };
        let Ok(root) = std::path::absolute(&input.root) else {
            continue;
        };
        let Ok(rel) = dir.strip_prefix(&root) else {
            continue;
        };
        for name in ["annotation.conf", "visual.conf"] {
            let from = dir.join(name);
            let to = out.join(rel).join(name);
            if !done.insert(to.clone()) || same_file(&from, &to) {
                continue;
            }
            if let Ok(bytes) = std::fs::read(&from) {
                let plan = plan(&to, &bytes, force);
                write_planned(&to, &bytes, &plan, report);
            }
        }
    }
}

/// The documents of one input file; a file that holds none and said
/// nothing else (an empty file, `[]`, a collection without items) is
/// reported, as a file that does not parse is, never a silent "0
/// documents".
fn docs_of(
    input: &Input,
    opts: &ImportOptions,
    names: &Names,
    w: &mut Warnings,
) -> Vec<ImportedDoc> {
    let before = w.problems.len();
    let docs = read_docs(input, opts, names, w);
    if docs.is_empty() && w.problems.len() == before {
        w.problem(
            ProblemKind::Malformed,
            None,
            format!(
                "holds no {} documents; nothing imported from it",
                opts.format
            ),
        );
    }
    docs
}

/// Whether a JSON Lines input is really one pretty-printed JSON document:
/// it spans several non-empty lines and parses whole (a single line that
/// parses is a valid one-record JSON Lines file).
fn is_one_json_document(src: &str) -> bool {
    src.lines()
        .filter(|l| !l.trim().is_empty())
        .nth(1)
        .is_some()
        && serde_json::from_str::<serde::de::IgnoredAny>(src).is_ok()
}

/// The documents of one input file.
fn read_docs(
    input: &Input,
    opts: &ImportOptions,
    names: &Names,
    w: &mut Warnings,
) -> Vec<ImportedDoc> {
    let src = match read_input(&input.path) {
        Ok(s) => s,
        Err(m) => {
            w.problem(ProblemKind::Io, None, format!("{m}; left out"));
            return Vec::new();
        }
    };
    let stem = input
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = input.folder();
    let allow_outside = opts.allow_outside;
    let mut resolve = |name: &str| resolve_article(&folder, name, allow_outside);
    match opts.format {
        Format::Brat => {
            let txt = input.path.with_extension("txt");
            let article = match Article::read(&txt) {
                Ok(a) => a,
                Err(e) => {
                    w.problem(ProblemKind::Io, None, format!("{e}; its .ann is left out"));
                    return Vec::new();
                }
            };
            let before = w.problems.len();
            let (spans, links) = brat::read(&src, &article.text, names, w);
            if spans.is_empty() && w.problems.len() > before {
                // Nothing valid in it (a file of another format, say): no
                // empty annotation file is written for it.
                w.problem(
                    ProblemKind::Malformed,
                    None,
                    "no valid brat line; no annotation file written for it",
                );
                return Vec::new();
            }
            let rel = PathBuf::from(txt.file_name().unwrap_or_default());
            vec![ImportedDoc {
                rel,
                article,
                source: Some(txt),
                spans,
                links,
                entities: Vec::new(),
            }]
        }
        Format::Doccano | Format::Jsonl if is_one_json_document(&src) => {
            w.problem(
                ProblemKind::Malformed,
                Some(1),
                "the file is one JSON document over several lines, not JSON Lines \
                 (one object a line); nothing imported from it",
            );
            Vec::new()
        }
        Format::Doccano => doccano::read(&src, &stem, opts.offsets, names, w),
        Format::LabelStudio => label_studio::read(&src, &stem, names, w),
        Format::W3c => w3c::read(&src, names, &mut resolve, w),
        Format::Jsonl => jsonl::read(&src, names, &mut resolve, w),
        Format::Conll => Vec::new(),
    }
}

/// Finds an article named in an input file, relative to its folder.
/// A web address (what other tools put in a W3C `source`) stands for the
/// file of its last path segment in that folder.
fn resolve_article(folder: &Path, name: &str, allow_outside: bool) -> Result<Located, String> {
    let name = match name.split_once("://") {
        Some((_, rest)) => {
            let path = rest.split(['?', '#']).next().unwrap_or_default();
            let last = path.rsplit('/').next().unwrap_or_default();
            if last.is_empty() || !path.contains('/') {
                return Err(format!(
                    "{name:?} names no file; put the article beside the input under the last part of that address"
                ));
            }
            last
        }
        None if name.starts_with("urn:") => return Err(format!("{name:?} is not a file path")),
        None => name,
    };
    let rel = Path::new(name);
    let inside = !name.is_empty()
        && rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside && !allow_outside {
        return Err(format!(
            "article {name:?} is absolute or climbs out of the input's folder; not read (pass --allow-outside to trust this file)"
        ));
    }
    let source = folder.join(rel);
    let article = Article::read(&source).map_err(|e| e.to_string())?;
    let rel = if inside {
        rel.components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .collect()
    } else {
        PathBuf::from(source.file_name().unwrap_or_default())
    };
    Ok(Located {
        rel,
        article,
        source,
    })
}

/// Places a document's spans as loading would.
pub(crate) fn place(doc: &ImportedDoc, article_out: &Path) -> (Annotations, Vec<check::Finding>) {
    let name = article_out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let raw = RawFile {
        version: format::VERSION,
        document: RawDocument {
            path: name,
            sha256: doc.article.sha256.clone(),
            chars: Some(doc.article.text.len_chars()),
        },
        labels: Vec::new(),
        done: false,
        entities: doc.entities.clone(),
        spans: doc.spans.clone(),
        links: doc.links.clone(),
        disputes: Vec::new(),
    };
    let (mut ann, findings) = store::place(raw, &doc.article);
    // Placement keeps a quote found at its offsets as it is; the context
    // around it comes from the article, as for a span made by hand.
    let text = &doc.article.text;
    let placed: Vec<Span> = ann.spans().filter(|s| !s.orphan).cloned().collect();
    for mut s in placed {
        let r = s.range();
        if s.set_range(text, r).is_some() {
            let _ = ann.replace_span(s);
        }
    }
    (ann, findings)
}

/// The labels a link kind was seen to join: (from, to).
type Ends<'a> = (BTreeSet<&'a str>, BTreeSet<&'a str>);

/// Colours for labels a schema gains on import.
const PALETTE: [&str; 8] = [
    "#2a9d8f", "#8e6bd6", "#e76f51", "#5b8c2a", "#c9475f", "#3a7ca5", "#b5838d", "#8a6d3b",
];

/// The schema for an output root: `base`, plus the labels and link kinds
/// the imported documents use and it lacks, written to the root's
/// `tandai.schema.ron` when allowed.
fn extend_schema(
    root: &Path,
    base: Schema,
    from: Option<&Path>,
    docs: &[&Annotations],
    opts: &ImportOptions,
    report: &mut Report,
) -> Schema {
    let mut labels: BTreeSet<&str> = BTreeSet::new();
    let mut kinds: BTreeMap<&str, Ends> = BTreeMap::new();
    for a in docs {
        labels.extend(a.labels_used());
        for l in a.links() {
            if let (Some(f), Some(t)) = (a.span(l.from), a.span(l.to)) {
                let e = kinds.entry(&l.kind).or_default();
                e.0.insert(&f.label);
                e.1.insert(&t.label);
            }
        }
    }
    let new_labels: Vec<&str> = labels
        .into_iter()
        .filter(|l| base.label(l).is_none())
        .collect();
    let new_kinds: Vec<(&str, Ends)> = kinds
        .into_iter()
        .filter(|(k, _)| base.link_kind(k).is_none())
        .collect();
    if new_labels.is_empty() && new_kinds.is_empty() {
        return base;
    }
    let mut schema = base.clone();
    let mut keys: BTreeSet<char> = schema
        .labels
        .iter()
        .filter_map(LabelDef::key_char)
        .collect();
    let what = format!("imported from {}", opts.format.title());
    for (i, name) in new_labels.iter().enumerate() {
        let key = "4567890".chars().find(|k| !keys.contains(k));
        if let Some(k) = key {
            keys.insert(k);
        }
        schema.labels.push(LabelDef {
            name: (*name).to_owned(),
            key: key.map(String::from),
            colour: PALETTE[i % PALETTE.len()].to_owned(),
            description: what.clone(),
        });
    }
    for (kind, (from_labels, to_labels)) in &new_kinds {
        schema.links.push(LinkKindDef {
            kind: (*kind).to_owned(),
            from: from_labels.iter().map(|s| (*s).to_owned()).collect(),
            to: to_labels.iter().map(|s| (*s).to_owned()).collect(),
            description: what.clone(),
        });
    }
    let listed = || {
        let mut parts = Vec::new();
        if !new_labels.is_empty() {
            parts.push(format!("labels {}", new_labels.join(", ")));
        }
        if !new_kinds.is_empty() {
            let k: Vec<&str> = new_kinds.iter().map(|(k, _)| *k).collect();
            parts.push(format!("link kinds {}", k.join(", ")));
        }
        parts.join(" and ")
    };
    let path = root.join(SCHEMA_FILE_NAME);
    let here = path.exists();
    let text = schema_text(&schema, from);
    let ok = Schema::parse(&text, &path).is_ok();
    if !opts.write_schema || !ok || (here && !opts.force) {
        let why = if !opts.write_schema {
            "not written as asked".to_owned()
        } else if !ok {
            "they do not make a valid schema".to_owned()
        } else {
            format!("{} exists; pass --force to add them", path.display())
        };
        report.warnings.problem(
            ProblemKind::Schema,
            None,
            format!("the schema lacks the imported {} ({why})", listed()),
        );
        return base;
    }
    write_planned(&path, text.as_bytes(), &Plan::Write, report);
    schema
}

/// A schema as RON, in the shape of `assets/schema.ron`.
fn schema_text(schema: &Schema, from: Option<&Path>) -> String {
    let mut out = String::from(
        "// Label set of this folder. tandai import added the labels and link kinds\n",
    );
    match from {
        Some(p) => {
            let _ = writeln!(out, "// its data uses to the schema of {}.", p.display());
        }
        None => out.push_str("// its data uses to the built-in schema.\n"),
    }
    out.push_str("(\n    labels: [\n");
    for l in &schema.labels {
        out.push_str("        (name: ");
        quote(&mut out, &l.name);
        if let Some(k) = &l.key {
            out.push_str(", key: ");
            quote(&mut out, k);
        }
        out.push_str(", colour: ");
        quote(&mut out, &l.colour);
        out.push_str(", description: ");
        quote(&mut out, &l.description);
        out.push_str("),\n");
    }
    out.push_str("    ],\n    links: [\n");
    for k in &schema.links {
        out.push_str("        (kind: ");
        quote(&mut out, &k.kind);
        for (field, labels) in [("from", &k.from), ("to", &k.to)] {
            let _ = write!(out, ", {field}: [");
            for (i, l) in labels.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                quote(&mut out, l);
            }
            out.push(']');
        }
        out.push_str(", description: ");
        quote(&mut out, &k.description);
        out.push_str("),\n");
    }
    out.push_str("    ],\n)\n");
    out
}

/// Checks a placed document against the final schema and writes its
/// article (when it is not already there) and annotation file.
fn write_imported(p: &Placed, schema: &Schema, opts: &ImportOptions, report: &mut Report) {
    let w = &mut report.warnings;
    w.set_file(Some(&p.input));
    for f in check::check(&p.ann, schema) {
        if !matches!(
            f.kind,
            FindingKind::UnknownLabel | FindingKind::UnknownLinkKind
        ) {
            w.problem(
                ProblemKind::Schema,
                None,
                format!("{}: {}", p.article_out.display(), f.message),
            );
        }
    }
    let labels: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
    let ann_path = store::annotation_path_for(&p.article_out);
    let ann_text = format::write(&p.ann, &labels);
    let article_bytes = p.article.text.as_str().as_bytes();
    let in_place = p
        .source
        .as_deref()
        .is_some_and(|s| same_file(s, &p.article_out));
    let article_plan = if in_place {
        Plan::Same
    } else {
        plan(&p.article_out, article_bytes, opts.force)
    };
    let ann_plan = plan(&ann_path, ann_text.as_bytes(), opts.force);
    for (path, plan) in [(&p.article_out, &article_plan), (&ann_path, &ann_plan)] {
        if matches!(plan, Plan::Refuse) {
            refuse(w, path, "; the document is left out");
            w.set_file(None);
            return;
        }
    }
    w.set_file(None);
    if !in_place {
        write_planned(&p.article_out, article_bytes, &article_plan, report);
    }
    match ann_plan {
        Plan::Same => report.unchanged.push(ann_path),
        Plan::Refuse => {}
        Plan::Write => {
            let saved = if opts.force {
                store::save_over(&ann_path, &p.ann, &labels)
            } else {
                store::save(&ann_path, &p.ann, &labels, &DiskState::default())
            };
            match saved {
                Ok(_) => report.written.push(ann_path),
                Err(e) => {
                    report
                        .warnings
                        .problem(ProblemKind::Io, None, e.to_string());
                    return;
                }
            }
        }
    }
    report.documents += 1;
    report.spans += p.ann.span_count();
    report.links += p.ann.link_count();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_schemas_parse_back() {
        let mut s = Schema::builtin();
        s.labels.push(LabelDef {
            name: "Org \"x\"".into(),
            key: Some("4".into()),
            colour: "#2a9d8f".into(),
            description: "imported".into(),
        });
        let text = schema_text(&s, None);
        assert_eq!(Schema::parse(&text, Path::new("s.ron")).unwrap(), s);
    }
}
