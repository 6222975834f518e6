//! Exporting: each annotation file loaded as the rest of tandai loads it,
//! written by its format into one file per document (brat, W3C) or one
//! stream for all.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::pipeline::{
    Input, Plan, brat_conf_of, find_inputs, paths_list, plan, refuse, same_file, untaken,
    write_planned,
};
use super::{
    ExportDoc, ExportOptions, Format, InteropError, Names, ProblemKind, Progress, Report, brat,
    conll, doccano, jsonl, label_studio, w3c,
};
use crate::schema::Schema;
use crate::store::{self, LoadOptions};

/// Where an export's per-document files go, and what they are.
struct DocFiles {
    dir: PathBuf,
    stem: String,
    /// brat: the `annotation.conf` the document came with, if any.
    source_conf: Option<PathBuf>,
}

/// Exports the annotation files under `inputs` (annotation files, articles
/// with one beside them, folders) as `opts` says.
pub fn export(
    inputs: &[PathBuf],
    opts: &ExportOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, InteropError> {
    let found = find_inputs(inputs, &|p| store::is_annotation_file(p), &|p| {
        if store::is_annotation_file(p) {
            p.to_owned()
        } else {
            store::annotation_path_for(p)
        }
    })?;
    if found.is_empty() {
        return Err(InteropError::NoInput {
            format: opts.format,
            paths: paths_list(inputs),
        });
    }
    check_output(opts)?;
    let explicit = match &opts.schema {
        Some(p) => Some(Schema::load(p)?),
        None => None,
    };
    let mut run = Run::new(opts, explicit);
    for (i, input) in found.iter().enumerate() {
        progress(Progress {
            done: i,
            total: found.len(),
            current: &input.path,
        });
        run.document(input);
    }
    Ok(run.finish())
}

/// Refuses an output that cannot be written before anything is read: a
/// file where a per-document format needs a folder, or an existing file
/// without `force`.
fn check_output(opts: &ExportOptions) -> Result<(), InteropError> {
    let Some(out) = &opts.out else {
        return Ok(());
    };
    if opts.format.per_document() {
        // The folder is made when the first document is written, so a
        // run that exports nothing leaves nothing behind.
        if out.exists() && !out.is_dir() {
            return Err(InteropError::Output {
                path: out.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotADirectory,
                    "not a folder; this format writes a folder of files",
                ),
            });
        }
    } else if out.exists() && !opts.force {
        return Err(InteropError::Unsupported(format!(
            "{} exists; not overwritten (pass --force to replace it)",
            out.display()
        )));
    }
    Ok(())
}

/// One export under way: the report, and what stream formats and brat's
/// `annotation.conf` collect across documents.
struct Run<'o> {
    opts: &'o ExportOptions,
    /// The schema given with `--schema`, if any.
    explicit: Option<Schema>,
    report: Report,
    stream: String,
    /// Label Studio tasks, wrapped into one array at the end.
    tasks: Vec<String>,
    confs: BTreeMap<PathBuf, brat::Conf>,
    /// Per-document files already planned (or, for stream formats, names
    /// already given), so none is written twice.
    taken: HashSet<PathBuf>,
}

impl<'o> Run<'o> {
    fn new(opts: &'o ExportOptions, explicit: Option<Schema>) -> Self {
        Self {
            opts,
            explicit,
            report: Report {
                direction: "export",
                format: Some(opts.format),
                ..Report::default()
            },
            stream: String::new(),
            tasks: Vec::new(),
            confs: BTreeMap::new(),
            taken: HashSet::new(),
        }
    }

    /// Loads one annotation file and exports it; what goes wrong is a
    /// problem in the report and the document is left out.
    fn document(&mut self, input: &Input) {
        self.report.warnings.set_file(Some(&input.path));
        let Some((loaded, schema)) = self.load(input) else {
            return;
        };
        let opts = self.opts;
        let names = Names {
            mapping: &opts.mapping,
            schema: &schema,
            annotator: "",
        };
        let article_path = &loaded.article.path;
        let files = opts
            .format
            .per_document()
            .then(|| self.doc_files(input, article_path));
        let name = match &files {
            Some(f) => format!("{}.txt", f.stem),
            None => self.stream_name(input, article_path),
        };
        let doc = ExportDoc {
            name: &name,
            text: &loaded.article.text,
            ann: &loaded.annotations,
        };
        if !self.write(&doc, &names, files, article_path) {
            return;
        }
        self.report.documents += 1;
        self.report.spans += loaded.annotations.span_count();
        self.report.links += loaded.annotations.link_count();
    }

    /// The annotation file loaded as the rest of tandai loads it, with its
    /// schema (the one given, or the one found beside it).
    fn load(&mut self, input: &Input) -> Option<(store::Loaded, Schema)> {
        let w = &mut self.report.warnings;
        let opts = LoadOptions {
            allow_outside: self.opts.allow_outside,
        };
        let loaded = match store::load(&input.path, opts) {
            Ok(l) => l,
            Err(e) => {
                // The error names the file itself.
                w.set_file(None);
                w.problem(ProblemKind::Io, None, format!("{e}; left out"));
                return None;
            }
        };
        for f in &loaded.findings {
            w.problem(ProblemKind::Placement, None, f.message.clone());
        }
        let schema = match &self.explicit {
            Some(s) => s.clone(),
            None => match Schema::discover(&input.path, None) {
                Ok((s, _)) => s,
                Err(e) => {
                    w.problem(ProblemKind::Io, None, format!("{e}; left out"));
                    return None;
                }
            },
        };
        Some((loaded, schema))
    }

    /// How a stream format names this document's article: its path
    /// relative to the folder that was exported (the file name alone for a
    /// file named directly), `/` between components, unique in this export.
    /// tandai's import reads such names back into the same layout.
    fn stream_name(&mut self, input: &Input, article_path: &Path) -> String {
        let file = article_path
            .file_name()
            .map_or_else(|| PathBuf::from("document.txt"), PathBuf::from);
        let name = untaken(
            input.subdir().join(file),
            &mut self.taken,
            &mut self.report.warnings,
        );
        name.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Where a per-document format writes this document: its folder, and
    /// a file name no other document of this export has.
    fn doc_files(&mut self, input: &Input, article_path: &Path) -> DocFiles {
        let dir = self
            .opts
            .out
            .as_ref()
            .map_or_else(|| input.folder(), |o| o.join(input.subdir()));
        let name = article_path.file_name().unwrap_or_default();
        let txt = untaken(
            dir.join(name).with_extension("txt"),
            &mut self.taken,
            &mut self.report.warnings,
        );
        DocFiles {
            dir,
            stem: txt
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            source_conf: (self.opts.format == Format::Brat)
                .then(|| brat_conf_of(input))
                .flatten(),
        }
    }

    /// Writes the document in the export's format: its own files, or its
    /// part of the stream. `false` if it was left out.
    fn write(
        &mut self,
        doc: &ExportDoc,
        names: &Names,
        files: Option<DocFiles>,
        article_path: &Path,
    ) -> bool {
        let opts = self.opts;
        if opts.format == Format::Jsonl
            && let Some(out) = &opts.out
        {
            // JSONL names each article and carries no text: the articles go
            // beside the file, so the export is whole and imports back.
            let dest = out.parent().unwrap_or(Path::new("")).join(doc.name);
            self.report.warnings.set_file(None);
            if !copy_article(article_path, &dest, opts.force, &mut self.report) {
                return false;
            }
        }
        let w = &mut self.report.warnings;
        let index = self.report.documents + 1;
        match opts.format {
            Format::Brat | Format::W3c => {
                let Some(f) = files else { return false };
                let (ext, body) = if opts.format == Format::Brat {
                    let conf = self.confs.entry(f.dir.clone()).or_insert_with(|| {
                        f.source_conf
                            .as_ref()
                            .and_then(|p| std::fs::read_to_string(p).ok())
                            .map_or_else(brat::Conf::default, brat::Conf::over)
                    });
                    conf.add_schema(names.schema, names, w);
                    ("ann", brat::write(doc, names, conf, w))
                } else {
                    ("jsonld", w3c::write(doc, names, w))
                };
                w.set_file(None);
                let txt = f.dir.join(doc.name);
                let out = f.dir.join(format!("{}.{ext}", f.stem));
                return write_doc_files(
                    article_path,
                    &txt,
                    &out,
                    &body,
                    opts.force,
                    &mut self.report,
                );
            }
            Format::Doccano => {
                let part = doccano::write(doc, index, (opts.doccano_shape, opts.offsets), names, w);
                self.stream.push_str(&part);
            }
            Format::LabelStudio => self.tasks.push(label_studio::write(doc, index, names, w)),
            Format::Conll => {
                let part = conll::write(doc, names, opts.overlap, opts.token_offsets, w);
                self.stream.push_str(&part);
            }
            Format::Jsonl => self.stream.push_str(&jsonl::write(doc, names, w)),
        }
        true
    }

    /// Writes brat's `annotation.conf` files and the stream, and returns
    /// the report.
    fn finish(mut self) -> Report {
        let opts = self.opts;
        let report = &mut self.report;
        report.warnings.set_file(None);
        for (dir, conf) in &self.confs {
            let path = dir.join("annotation.conf");
            let text = conf.render();
            let plan = plan(&path, text.as_bytes(), opts.force);
            write_planned(&path, text.as_bytes(), &plan, report);
        }
        if opts.format == Format::LabelStudio {
            self.stream = label_studio::wrap(&self.tasks);
        }
        if !opts.format.per_document() {
            match &opts.out {
                // Nothing exported (every input refused): no empty file.
                Some(_) if report.documents == 0 => {}
                Some(out) => write_planned(out, self.stream.as_bytes(), &Plan::Write, report),
                None => report.output = Some(self.stream),
            }
        }
        self.report
    }
}

/// The article's bytes to copy to `txt`, and the plan for it: nothing to
/// copy when `txt` is the article itself (or it cannot be read; loading
/// read it a moment ago).
fn article_copy(article: &Path, txt: &Path, force: bool) -> (Option<Vec<u8>>, Plan) {
    if same_file(article, txt) {
        return (None, Plan::Same);
    }
    let bytes = crate::document::read_regular(article, crate::document::MAX_ARTICLE_BYTES).ok();
    let plan = match &bytes {
        Some(b) => plan(txt, b, force),
        None => Plan::Same,
    };
    (bytes, plan)
}

/// Copies an article to `dest` for a stream export; `false` (the document
/// left out) if that would overwrite a different file without `force`.
fn copy_article(article: &Path, dest: &Path, force: bool, report: &mut Report) -> bool {
    let (bytes, p) = article_copy(article, dest, force);
    if matches!(p, Plan::Refuse) {
        refuse(&mut report.warnings, dest, "; the document is left out");
        return false;
    }
    if let Some(b) = &bytes {
        write_planned(dest, b, &p, report);
    }
    true
}

/// Writes a per-document export: the article copied as `txt` (unless it is
/// that file) and the annotations as `out`. Nothing is written if either
/// would overwrite a different file without `force`.
fn write_doc_files(
    article: &Path,
    txt: &Path,
    out: &Path,
    body: &str,
    force: bool,
    report: &mut Report,
) -> bool {
    let (article_bytes, txt_plan) = article_copy(article, txt, force);
    let out_plan = plan(out, body.as_bytes(), force);
    for (path, p) in [(txt, &txt_plan), (out, &out_plan)] {
        if matches!(p, Plan::Refuse) {
            refuse(&mut report.warnings, path, "; the document is left out");
            return false;
        }
    }
    if let Some(b) = &article_bytes {
        write_planned(txt, b, &txt_plan, report);
    }
    write_planned(out, body.as_bytes(), &out_plan, report);
    true
}
