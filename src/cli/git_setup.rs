//! `tandai git-setup [DIR]`: makes git merge annotation files with tandai
//! in the repository holding DIR: `*.tandai.ron merge=tandai` in the
//! repository's `.gitattributes` (to commit, so every clone has it), and
//! the driver, the absolute path of this `tandai`, in the repository's own
//! git config (not shared: each clone runs this once). Says what it did.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, bail};

use super::{Outcome, report_error, tell};

/// The `.gitattributes` line.
const ATTRIBUTE: &str = "*.tandai.ron merge=tandai";

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A folder in the repository (default: the current one).
    #[arg(default_value = ".")]
    dir: PathBuf,
}

pub(crate) fn run(args: &Args) -> Outcome {
    match setup(&args.dir) {
        Ok(()) => Outcome::Clean,
        Err(e) => {
            report_error(&format!("{e:#}"));
            Outcome::Failed
        }
    }
}

/// Runs git in `dir`, returning its output (trimmed), or `None` when it
/// exits with a failure (for `git config --get`: not set).
fn git(dir: &Path, args: &[&str]) -> anyhow::Result<Option<String>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .context("cannot run git (is it installed?)")?;
    if !out.status.success() {
        return Ok(None);
    }
    Ok(Some(
        String::from_utf8_lossy(&out.stdout).trim_end().to_owned(),
    ))
}

/// `path` as one word for the shell git runs the driver with.
fn shell_word(path: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c);
    if !path.is_empty() && path.chars().all(plain) {
        path.to_owned()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

fn setup(dir: &Path) -> anyhow::Result<()> {
    if !dir.is_dir() {
        bail!("{}: not a folder", dir.display());
    }
    let Some(top) = git(dir, &["rev-parse", "--show-toplevel"])? else {
        bail!(
            "{}: not in a git repository (git init first)",
            dir.display()
        );
    };
    let top = PathBuf::from(top);
    let exe = std::env::current_exe().context("cannot tell where this tandai is")?;
    let exe = std::fs::canonicalize(&exe).unwrap_or(exe);
    let Some(exe) = exe.to_str() else {
        bail!(
            "{}: the path of tandai is not UTF-8; git cannot run it as a driver",
            exe.display()
        );
    };
    let driver = format!("{} merge-driver %O %A %B %P", shell_word(exe));
    attributes(&top)?;
    let name_key = "merge.tandai.name";
    let key = "merge.tandai.driver";
    let before = git(&top, &["config", "--get", key])?;
    git(
        &top,
        &[
            "config",
            name_key,
            "tandai: annotation files merged by span",
        ],
    )?;
    match before {
        Some(b) if b == driver => tell(&format!("git config {key} is already {driver}")),
        old => {
            if git(&top, &["config", key, &driver])?.is_none() {
                bail!("git config {key} failed in {}", top.display());
            }
            let was = old.map_or_else(String::new, |o| format!(" (was {o})"));
            tell(&format!(
                "set git config {key} to {driver}{was}, in {} only: git config is not shared, so run tandai git-setup in each clone",
                top.join(".git").display()
            ));
        }
    }
    Ok(())
}

/// Adds the attribute line to the repository's `.gitattributes` unless it
/// is there.
fn attributes(top: &Path) -> anyhow::Result<()> {
    let path = top.join(".gitattributes");
    let old = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| path.display().to_string()),
    };
    if old
        .lines()
        .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["*.tandai.ron", "merge=tandai"])
    {
        tell(&format!("{} already has {ATTRIBUTE}", path.display()));
        return Ok(());
    }
    let mut new = old;
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    new.push_str(ATTRIBUTE);
    new.push('\n');
    tandai::store::write_atomic(&path, new.as_bytes())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    tell(&format!(
        "added {ATTRIBUTE} to {} (commit it, so that every clone merges annotation files by span)",
        path.display()
    ));
    Ok(())
}
