//! `tandai import --format tags TAGS.jsonl --into FOLDER`: one tags file
//! for a whole folder ([`tandai::interop::tags::import_into_folder`]):
//! every article named gets its tags, a line for an article that is not
//! there is reported with its number and the rest still imports.

use serde::Serialize;
use tandai::interop::tags::{self, FolderImport, FolderOptions};

use super::import::Bar;
use super::tags::Options;
use super::{Outcome, print_json, report_error, tell};

#[derive(Serialize)]
struct JsonReport<'a> {
    folder: String,
    added: usize,
    duplicates: usize,
    links_added: usize,
    bad_lines: usize,
    #[serde(flatten)]
    import: &'a FolderImport,
}

pub(crate) fn import(o: &Options<'_>) -> anyhow::Result<Outcome> {
    let mut bar = Bar::new(&[o.into.to_owned()], o.json);
    let opts = FolderOptions {
        schema: o.schema,
        allow_outside: o.allow_outside,
        skip: None,
    };
    let result = tags::import_into_folder(o.into, o.inputs, opts, &mut |p| bar.draw(p));
    bar.clear();
    let done = result?;
    if o.json {
        print_json(&JsonReport {
            folder: o.into.display().to_string(),
            added: done.added(),
            duplicates: done.duplicates(),
            links_added: done.links_added(),
            bad_lines: done.bad_lines(),
            import: &done,
        });
    } else {
        tell_problems(&done);
        tell_articles(&done);
    }
    Ok(outcome(&done))
}

/// Each bad line, on stderr.
pub(crate) fn tell_problems(done: &FolderImport) {
    for (file, p) in done.all_problems() {
        report_error(&format!("{file}:{}: {}", p.line, p.message));
    }
}

/// A summary line per article, then one for the run, on stderr.
pub(crate) fn tell_articles(done: &FolderImport) {
    for a in &done.articles {
        let state = if a.written { "" } else { " (unchanged)" };
        for r in &a.inputs {
            tell(&format!("{}: {}{state}", a.file, r.report.summary()));
        }
    }
    tell(&done.summary());
}

/// Exit 1 if any line was bad.
pub(crate) fn outcome(done: &FolderImport) -> Outcome {
    if done.has_problems() {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}
