//! `tandai merge-driver BASE OURS THEIRS [PATH]`: git's merge driver for
//! annotation files (`tandai git-setup` installs it), the three-way merge
//! of `tandai::merge::three_way`.
//!
//! git gives the common ancestor's version (%O, empty when there is
//! none), ours (%A, where the result goes) and theirs (%B), and the file's
//! path (%P). The result is written atomically over OURS; exit 0 when the
//! merge is clean, 1 when it left disputes (git reports a conflict; the
//! file is valid RON, without conflict markers, and `tandai check` names
//! each dispute). When the files cannot be merged by span (the article
//! differs between the sides, a file does not read), it says why and
//! leaves the merge to git's own line merge (`git merge-file`), whose
//! result and conflict it passes on.

use std::path::{Path, PathBuf};
use std::process::Command;

use tandai::format::RawFile;
use tandai::merge;
use tandai::model::Annotations;
use tandai::store;

use super::{Outcome, report_error, tell};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The common ancestor's version (git's %O; an empty file when there
    /// is none).
    base: PathBuf,
    /// Our version (%A); the merged file is written over it.
    ours: PathBuf,
    /// Their version (%B).
    theirs: PathBuf,
    /// The file's path in the repository (%P), for messages.
    path: Option<PathBuf>,
}

/// Why the files are not merged by span.
struct Refusal(String);

pub(crate) fn run(args: &Args) -> Outcome {
    let shown = args
        .path
        .as_ref()
        .unwrap_or(&args.ours)
        .display()
        .to_string();
    match merge_by_span(args) {
        Ok(m) => {
            if m.disputes > 0 {
                let kinds: Vec<&str> = merge::queue(&m.annotations)
                    .iter()
                    .map(|d| d.kind().name())
                    .collect();
                report_error(&format!(
                    "{shown}: {} between {} and {} ({}); the file is valid: open it in tandai to settle them (tandai check lists them), then commit",
                    super::agree::plural(m.disputes, "dispute"),
                    m.names.0,
                    m.names.1,
                    kinds.join(", ")
                ));
                Outcome::Findings
            } else {
                if m.renumbered > 0 {
                    tell(&format!(
                        "tandai: {shown}: merged by span ({} ids added on both sides renumbered)",
                        m.renumbered
                    ));
                }
                Outcome::Clean
            }
        }
        Err(Refusal(why)) => {
            report_error(&format!(
                "{shown}: not merged by span: {why}; leaving it to git's line merge"
            ));
            line_merge(args)
        }
    }
}

/// Reads one version; `None` for an empty base (no common ancestor).
fn read(path: &Path, may_be_empty: bool) -> Result<Option<RawFile>, Refusal> {
    if may_be_empty && std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
        return Ok(None);
    }
    match store::read_raw(path) {
        Ok((raw, _)) => Ok(Some(raw)),
        Err(e) => Err(Refusal(e.to_string())),
    }
}

/// The three-way merge, written over OURS.
fn merge_by_span(args: &Args) -> Result<merge::ThreeWay, Refusal> {
    let base = read(&args.base, true)?;
    let ours = read(&args.ours, false)?.ok_or_else(|| Refusal("ours is missing".into()))?;
    let theirs = read(&args.theirs, false)?.ok_or_else(|| Refusal("theirs is missing".into()))?;
    same_article(&ours, &theirs)?;
    let labels: Vec<String> = ours.labels.clone();
    let (ours, _) = store::without_article(ours);
    let (theirs, _) = store::without_article(theirs);
    let base = base.map_or_else(
        || Annotations::new(ours.document.clone()),
        |b| store::without_article(b).0,
    );
    let merged = merge::three_way(&base, &ours, &theirs);
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    let text = tandai::format::write(&merged.annotations, &labels);
    store::write_atomic(&args.ours, text.as_bytes())
        .map_err(|e| Refusal(format!("cannot write {}: {e}", args.ours.display())))?;
    Ok(merged)
}

/// Both sides must annotate the same article (by its SHA-256, else its
/// length): spans of two different texts cannot be compared.
fn same_article(ours: &RawFile, theirs: &RawFile) -> Result<(), Refusal> {
    let (a, b) = (&ours.document, &theirs.document);
    let (ha, hb) = (a.sha256.to_ascii_lowercase(), b.sha256.to_ascii_lowercase());
    let differ = if ha.is_empty() || hb.is_empty() {
        matches!((a.chars, b.chars), (Some(x), Some(y)) if x != y)
    } else {
        ha != hb
    };
    if differ {
        let short = |h: &str| h.get(..12).unwrap_or(h).to_owned();
        return Err(Refusal(format!(
            "the article differs between the sides (sha256 {} in ours, {} in theirs): its spans cannot be matched",
            short(&ha),
            short(&hb)
        )));
    }
    Ok(())
}

/// git's own line merge of the three versions into OURS, as git would
/// have done without this driver; its conflict (or its failure) is ours.
fn line_merge(args: &Args) -> Outcome {
    let status = Command::new("git")
        .args(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs"])
        .arg(&args.ours)
        .arg(&args.base)
        .arg(&args.theirs)
        .status();
    match status {
        Ok(s) if s.success() => Outcome::Clean,
        Ok(_) => Outcome::Findings,
        Err(e) => {
            report_error(&format!(
                "cannot run git merge-file ({e}); {} is left as ours",
                args.ours.display()
            ));
            Outcome::Findings
        }
    }
}
