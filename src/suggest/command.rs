//! Any model, run as a command: tandai writes one JSON object per article
//! to its stdin (`{"doc": "RELATIVE/PATH.txt", "text": "…"}` a line) and
//! reads machine tags (the `import --format tags` format, each line with
//! its `doc`) from its stdout. The command is run by the shell (`sh -c`),
//! once for all the articles, and killed when it runs past its time.
//!
//! The command only ever comes from the command line or the user's
//! settings, never from a file inside a corpus.

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

/// How many of the command's last stderr lines an error shows.
pub const STDERR_LINES: usize = 8;

/// The default time a run may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_mins(2);

/// Why a command gave no tags.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// It could not be started.
    #[error("cannot run {command:?}: {source}")]
    Spawn {
        /// The command.
        command: String,
        /// Why.
        source: std::io::Error,
    },
    /// It exited with an error.
    #[error("{command:?} exited with {status}{}", tail(.stderr))]
    Failed {
        /// The command.
        command: String,
        /// How it ended.
        status: String,
        /// Its last stderr lines.
        stderr: Vec<String>,
    },
    /// It ran past its time and was killed.
    #[error("{command:?} did not finish within {secs} s and was stopped{}", tail(.stderr))]
    Timeout {
        /// The command.
        command: String,
        /// The time it had.
        secs: u64,
        /// Its last stderr lines.
        stderr: Vec<String>,
    },
    /// It was cancelled.
    #[error("{command:?} was cancelled")]
    Cancelled {
        /// The command.
        command: String,
    },
}

fn tail(lines: &[String]) -> String {
    if lines.is_empty() {
        String::new()
    } else {
        format!("; its last error lines:\n  {}", lines.join("\n  "))
    }
}

/// One article given to the command.
#[derive(Clone, Debug, Serialize)]
pub struct Input<'a> {
    /// Its path relative to the folder (the tags' `doc`).
    pub doc: &'a str,
    /// Its text.
    pub text: &'a str,
}

/// What a command printed.
#[derive(Clone, Debug, Default)]
pub struct Output {
    /// Its stdout.
    pub stdout: Vec<u8>,
    /// Its last stderr lines.
    pub stderr: Vec<String>,
}

/// Runs `command` (through `sh -c`, in `dir`) on `inputs`; `cancel` stops
/// it early. The whole stdout on success, else why not.
pub fn run(
    command: &str,
    dir: &Path,
    inputs: &[Input<'_>],
    timeout: Duration,
    cancel: &AtomicBool,
) -> Result<Output, CommandError> {
    let spawn_err = |source| CommandError::Spawn {
        command: command.to_owned(),
        source,
    };
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A group of its own, so that stopping it stops what it started too
    // (a model server, a `sleep`), and their pipes close.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd.spawn().map_err(spawn_err)?;
    let mut feed = String::new();
    for i in inputs {
        if let Ok(line) = serde_json::to_string(i) {
            feed.push_str(&line);
            feed.push('\n');
        }
    }
    // Writing, reading stdout and reading stderr each on a thread of
    // their own, so a command that writes before it has read all its
    // input cannot block on a full pipe.
    let stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(mut s) = stdin {
            // A command that stops reading early closes the pipe: fine.
            let _ = s.write_all(feed.as_bytes());
        }
    });
    let out_reader = child.stdout.take().map(|mut s| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = s.read_to_end(&mut buf);
            buf
        })
    });
    let err_reader = child.stderr.take().map(|mut s| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = s.read_to_end(&mut buf);
            buf
        })
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) => {}
            Err(e) => break Err(e),
        }
        let late = started.elapsed() >= timeout;
        if late || cancel.load(Ordering::Relaxed) {
            stop(&mut child);
            let _ = writer.join();
            let stderr = err_reader
                .map(|h| h.join().unwrap_or_default())
                .unwrap_or_default();
            let stderr = last_lines(&stderr);
            let command = command.to_owned();
            return Err(if late {
                CommandError::Timeout {
                    command,
                    secs: timeout.as_secs(),
                    stderr,
                }
            } else {
                CommandError::Cancelled { command }
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.join();
    let stdout = out_reader
        .map(|h| h.join().unwrap_or_default())
        .unwrap_or_default();
    let stderr = last_lines(
        &err_reader
            .map(|h| h.join().unwrap_or_default())
            .unwrap_or_default(),
    );
    let status = status.map_err(spawn_err)?;
    if !status.success() {
        return Err(CommandError::Failed {
            command: command.to_owned(),
            status: status.to_string(),
            stderr,
        });
    }
    Ok(Output { stdout, stderr })
}

/// Kills the command and everything in its process group.
fn stop(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        // `kill -s KILL -- -PGID`: the group the command leads.
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--"])
            .arg(format!("-{}", child.id()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The last [`STDERR_LINES`] non-blank lines of `bytes`, escaped for a
/// terminal.
fn last_lines(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(STDERR_LINES)..]
        .iter()
        .map(|l| crate::escape::line(l))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go(cmd: &str, secs: u64) -> Result<Output, CommandError> {
        let dir = std::env::temp_dir();
        let inputs = [Input {
            doc: "a.txt",
            text: "Polisi membantah.",
        }];
        run(
            cmd,
            &dir,
            &inputs,
            Duration::from_secs(secs),
            &AtomicBool::new(false),
        )
    }

    #[test]
    fn a_command_reads_the_articles_and_its_output_comes_back() {
        let out = go("cat", 10).unwrap();
        let line = String::from_utf8(out.stdout).unwrap();
        assert_eq!(line, "{\"doc\":\"a.txt\",\"text\":\"Polisi membantah.\"}\n");
    }

    #[test]
    fn failures_and_hangs_are_errors_with_the_last_stderr_lines() {
        let e = go("echo model broke >&2; exit 3", 10).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("exit status: 3") && msg.contains("model broke"),
            "{msg}"
        );
        let started = Instant::now();
        let e = go("echo loading >&2; sleep 30", 1).unwrap_err();
        assert!(matches!(e, CommandError::Timeout { .. }), "{e}");
        assert!(e.to_string().contains("loading"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
