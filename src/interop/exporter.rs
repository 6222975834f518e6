//! Exporting: each annotation file loaded as the rest of tandai loads it,
//! written by its format into one file per document (brat, W3C) or one
//! stream for all.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::pipeline::{
    Plan, find_inputs, paths_list, plan, refuse, same_file, untaken, write_planned,
};
use super::{
    ExportDoc, ExportOptions, Format, InteropError, Names, ProblemKind, Progress, Report, brat,
    conll, doccano, jsonl, label_studio, w3c,
};
use crate::schema::Schema;
use crate::store::{self, LoadOptions};

/// A path as a stream export names it: relative to `base` where it can be,
/// with `/` between components.
fn relative_name(base: &Path, path: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    let (base, path) = (abs(base), abs(path));
    let common = base
        .components()
        .zip(path.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return path.display().to_string();
    }
    let ups = base.components().count() - common;
    let mut parts: Vec<String> = vec!["..".to_owned(); ups];
    parts.extend(
        path.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// Where an export's per-document files go, and what they are.
struct DocFiles {
    dir: PathBuf,
    stem: String,
}

/// Exports the annotation files under `inputs` (annotation files, articles
/// with one beside them, folders) as `opts` says.
pub fn export(
    inputs: &[PathBuf],
    opts: &ExportOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, InteropError> {
    let format = opts.format;
    let found = find_inputs(inputs, &|p| store::is_annotation_file(p), &|p| {
        if store::is_annotation_file(p) {
            p.to_owned()
        } else {
            store::annotation_path_for(p)
        }
    })?;
    if found.is_empty() {
        return Err(InteropError::NoInput {
            format,
            paths: paths_list(inputs),
        });
    }
    let per_doc = format.per_document();
    if let Some(out) = &opts.out {
        if per_doc {
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
    }
    let explicit = match &opts.schema {
        Some(p) => Some(Schema::load(p)?),
        None => None,
    };
    // Stream formats name articles relative to the output file's folder.
    let base = match (&opts.out, per_doc) {
        (Some(out), false) => out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_owned),
        _ => PathBuf::from("."),
    };

    let mut report = Report {
        direction: "export",
        format: Some(format),
        ..Report::default()
    };
    let mut stream = String::new();
    let mut tasks = Vec::new();
    let mut confs: BTreeMap<PathBuf, brat::Conf> = BTreeMap::new();
    let mut taken = HashSet::new();
    for (i, input) in found.iter().enumerate() {
        progress(Progress {
            done: i,
            total: found.len(),
            current: &input.path,
        });
        report.warnings.set_file(Some(&input.path));
        let loaded = match store::load(
            &input.path,
            LoadOptions {
                allow_outside: opts.allow_outside,
            },
        ) {
            Ok(l) => l,
            Err(e) => {
                // The error names the file itself.
                report.warnings.set_file(None);
                report
                    .warnings
                    .problem(ProblemKind::Io, None, format!("{e}; left out"));
                continue;
            }
        };
        for f in &loaded.findings {
            report
                .warnings
                .problem(ProblemKind::Placement, None, f.message.clone());
        }
        let schema = match &explicit {
            Some(s) => s.clone(),
            None => match Schema::discover(&input.path, None) {
                Ok((s, _)) => s,
                Err(e) => {
                    report
                        .warnings
                        .problem(ProblemKind::Io, None, format!("{e}; left out"));
                    continue;
                }
            },
        };
        let names = Names {
            mapping: &opts.mapping,
            schema: &schema,
            annotator: "",
        };
        let article_path = &loaded.article.path;
        let files = per_doc.then(|| {
            let dir = opts
                .out
                .as_ref()
                .map_or_else(|| input.folder(), |o| o.join(input.subdir()));
            let name = article_path.file_name().unwrap_or_default();
            let txt = untaken(
                dir.join(name).with_extension("txt"),
                &mut taken,
                &mut report.warnings,
            );
            DocFiles {
                dir,
                stem: txt
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            }
        });
        let name = match &files {
            Some(f) => format!("{}.txt", f.stem),
            None => relative_name(&base, article_path),
        };
        let doc = ExportDoc {
            name: &name,
            text: &loaded.article.text,
            ann: &loaded.annotations,
        };
        let w = &mut report.warnings;
        let index = report.documents + 1;
        match format {
            Format::Brat | Format::W3c => {
                let Some(f) = files else { continue };
                let (ext, body) = if format == Format::Brat {
                    let conf = confs.entry(f.dir.clone()).or_default();
                    conf.add_schema(&schema, &names, w);
                    ("ann", brat::write(&doc, &names, conf, w))
                } else {
                    ("jsonld", w3c::write(&doc, &names, w))
                };
                w.set_file(None);
                let txt = f.dir.join(&name);
                let out = f.dir.join(format!("{}.{ext}", f.stem));
                if !write_doc_files(article_path, &txt, &out, &body, opts.force, &mut report) {
                    continue;
                }
            }
            Format::Doccano => {
                stream.push_str(&doccano::write(&doc, index, opts.doccano_shape, &names, w));
            }
            Format::LabelStudio => tasks.push(label_studio::write(&doc, index, &names, w)),
            Format::Conll => stream.push_str(&conll::write(
                &doc,
                &names,
                opts.overlap,
                opts.token_offsets,
                w,
            )),
            Format::Jsonl => stream.push_str(&jsonl::write(&doc, &names, w)),
        }
        report.documents += 1;
        report.spans += loaded.annotations.span_count();
        report.links += loaded.annotations.link_count();
    }
    report.warnings.set_file(None);

    for (dir, conf) in confs {
        let path = dir.join("annotation.conf");
        let text = conf.render();
        let plan = plan(&path, text.as_bytes(), opts.force);
        write_planned(&path, text.as_bytes(), &plan, &mut report);
    }
    if format == Format::LabelStudio {
        stream = label_studio::wrap(&tasks);
    }
    if !per_doc {
        match &opts.out {
            // Nothing exported (every input refused): no empty file.
            Some(_) if report.documents == 0 => {}
            Some(out) => write_planned(out, stream.as_bytes(), &Plan::Write, &mut report),
            None => report.output = Some(stream),
        }
    }
    Ok(report)
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
    let copy = !same_file(article, txt);
    let article_bytes = if copy {
        crate::document::read_regular(article, crate::document::MAX_ARTICLE_BYTES).ok()
    } else {
        None
    };
    let txt_plan = match &article_bytes {
        Some(b) => plan(txt, b, force),
        None => Plan::Same,
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_names_climb_where_they_must() {
        assert_eq!(
            relative_name(Path::new("/a/b"), Path::new("/a/b/c/d.txt")),
            "c/d.txt"
        );
        assert_eq!(
            relative_name(Path::new("/a/b"), Path::new("/a/x.txt")),
            "../x.txt"
        );
    }
}
