#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Two writers at once (issue 13, items 1 and 8), with the real binary:
//! concurrent imports and reviews of one file all land or fail loudly, a
//! lock left by a killed process blocks no one, a read-only annotation file
//! is not replaced and a symbolic link is saved through.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Child, Command};

use common::{Sandbox, annotation, parse_file, spawn_in};
use tandai::model::{Origin, Status};

/// An article of numbered sentences, so that every tag has its own range.
fn article() -> String {
    let mut s = String::new();
    for i in 0..40 {
        let _ = writeln!(s, "Kalimat {i:02} tentang pengiriman senjata.");
    }
    s
}

/// Char range of sentence `i` (every line has the same length).
fn sentence(i: usize) -> (usize, usize) {
    let len = "Kalimat 00 tentang pengiriman senjata.\n".len();
    (i * len, i * len + 10)
}

/// A machine span on sentence `i` with `score`, pending.
fn machine(id: u64, i: usize, score: f64) -> String {
    let (s, e) = sentence(i);
    format!(
        "(id: {id}, label: \"claim\", start: {s}, end: {e}, text: \"Kalimat {i:02}\", origin: Machine(model: \"seed\", score: {score}), status: Pending)"
    )
}

/// Eight imports of three tags each and four reviews of one file, all
/// started together, three times over: each import that exits 0 has its
/// tags in the final file, each review that exits 0 its decisions, and a
/// writer that fails says so in one line with exit 2.
#[test]
fn concurrent_imports_and_reviews_all_land_or_fail_loudly() {
    const IMPORTS: usize = 8;
    const REVIEWS: usize = 4;
    for round in 0..3 {
        let sb = Sandbox::new();
        sb.write("a.txt", article());
        // Sentences 0..4 hold pending spans the reviews accept.
        let seeds: Vec<String> = (0..4).map(|i| machine(i as u64 + 1, i, 0.95)).collect();
        sb.write("a.tandai.ron", annotation("a.txt", &seeds, &[]));
        let mut children = Vec::new();
        for k in 0..IMPORTS {
            let mut lines = String::new();
            for t in 0..3 {
                let (s, e) = sentence(4 + 3 * k + t);
                let _ = writeln!(
                    lines,
                    "{{\"start\": {s}, \"end\": {e}, \"label\": \"claim\", \"model\": \"m{k}\", \"score\": 0.5}}"
                );
            }
            let tags = format!("t{k}.jsonl");
            sb.write(&tags, lines);
            let args = [
                "import",
                "--format",
                "tags",
                &tags,
                "--into",
                "a.tandai.ron",
            ];
            children.push(("import", k, spawn_in(sb.path(), &args)));
        }
        for r in 0..REVIEWS {
            let who = format!("r{r}");
            let args = [
                "review",
                "a.tandai.ron",
                "--accept-above",
                "0.9",
                "--annotator",
                &who,
            ];
            children.push(("review", r, spawn_in(sb.path(), &args)));
        }
        let mut landed_imports = Vec::new();
        let mut reviewed = false;
        for (what, k, child) in children {
            let out = child.wait_with_output().unwrap();
            let code = out.status.code().expect("not killed");
            let stderr = String::from_utf8(out.stderr).unwrap();
            match code {
                0 if what == "import" => landed_imports.push(k),
                0 => reviewed = true,
                2 => assert_eq!(stderr.lines().count(), 1, "{what} {k}: {stderr}"),
                _ => panic!("round {round}: {what} {k} exited {code}: {stderr}"),
            }
        }
        let raw = parse_file(&sb.join("a.tandai.ron"));
        for k in &landed_imports {
            let model = format!("m{k}");
            let n = raw
                .spans
                .iter()
                .filter(|s| matches!(&s.origin, Origin::Machine { model: m, .. } if *m == model))
                .count();
            assert_eq!(
                n, 3,
                "round {round}: the tags of import {k} are not all there"
            );
        }
        if reviewed {
            for s in raw.spans.iter().filter(|s| s.id <= 4) {
                assert_eq!(
                    s.status,
                    Some(Status::Accepted),
                    "round {round}: span {}",
                    s.id
                );
            }
        }
        assert!(landed_imports.len() + usize::from(reviewed) > 0);
        sb.run(&["check", "a.tandai.ron"]).assert_code(0);
    }
}

/// The article with one pending machine span, its annotation file at
/// `ann` (relative to the sandbox); returns that file's path.
fn one_pending(sb: &Sandbox, ann: &str) -> std::path::PathBuf {
    sb.write("a.txt", article());
    sb.write(ann, annotation("a.txt", &[machine(1, 0, 0.95)], &[]))
}

/// A process that holds the lock of `a.tandai.ron` (through a shell that
/// opens the lock file, locks it with flock(1) and becomes `sleep`).
#[cfg(target_os = "linux")]
fn lock_holder(dir: &Path) -> Child {
    Command::new("sh")
        .arg("-c")
        .arg(r#"exec 9>>"$0" && flock 9 && exec sleep 600"#)
        .arg(dir.join(".a.tandai.ron.lock"))
        .spawn()
        .unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_lock_held_by_a_killed_process_blocks_no_one() {
    let sb = Sandbox::new();
    one_pending(&sb, "a.tandai.ron");
    let mut holder = lock_holder(sb.path());
    // Wait until the holder has the lock.
    let lock = sb.join(".a.tandai.ron.lock");
    loop {
        if let Ok(f) = std::fs::OpenOptions::new().read(true).open(&lock)
            && matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock))
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let args = [
        "review",
        "a.tandai.ron",
        "--accept-above",
        "0.9",
        "--annotator",
        "r",
    ];
    let mut review = spawn_in(sb.path(), &args);
    std::thread::sleep(std::time::Duration::from_millis(300));
    // Still waiting for the lock, not finished without it.
    assert!(review.try_wait().unwrap().is_none());
    holder.kill().unwrap();
    holder.wait().unwrap();
    let out = review.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let raw = parse_file(&sb.join("a.tandai.ron"));
    assert_eq!(raw.spans[0].status, Some(Status::Accepted));
    // The lock file stays (it is what every writer locks), hidden.
    assert!(lock.exists());
    sb.run(&["stats", "."])
        .assert_code(0)
        .assert_stdout_has(&["total (1 files)"]);
}

#[cfg(unix)]
#[test]
fn a_read_only_annotation_file_is_not_replaced() {
    use std::os::unix::fs::PermissionsExt as _;
    let sb = Sandbox::new();
    let ron = one_pending(&sb, "a.tandai.ron");
    std::fs::set_permissions(&ron, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = sb.snapshot();
    let run = sb.run(&[
        "review",
        "a.tandai.ron",
        "--accept-above",
        "0.9",
        "--annotator",
        "r",
    ]);
    run.assert_code(2)
        .assert_stderr_has(&["a.tandai.ron is read-only"]);
    assert_eq!(run.stderr.lines().count(), 1);
    sb.write(
        "t.jsonl",
        "{\"start\": 41, \"end\": 51, \"label\": \"claim\"}\n",
    );
    sb.run(&[
        "import",
        "--format",
        "tags",
        "t.jsonl",
        "--into",
        "a.tandai.ron",
    ])
    .assert_code(2)
    .assert_stderr_has(&["read-only"]);
    std::fs::remove_file(sb.join("t.jsonl")).unwrap();
    before.assert_same(&sb.snapshot(), "a read-only file was replaced");
}

#[cfg(unix)]
#[test]
fn a_symlinked_annotation_file_is_saved_through_the_link() {
    let sb = Sandbox::new();
    one_pending(&sb, "store/a.tandai.ron");
    std::os::unix::fs::symlink("store/a.tandai.ron", sb.join("a.tandai.ron")).unwrap();
    sb.run(&[
        "review",
        "a.tandai.ron",
        "--accept-above",
        "0.9",
        "--annotator",
        "r",
    ])
    .assert_code(0);
    let meta = std::fs::symlink_metadata(sb.join("a.tandai.ron")).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    let raw = parse_file(&sb.join("store/a.tandai.ron"));
    assert_eq!(raw.spans[0].status, Some(Status::Accepted));
    // The temporary file was made in the target's folder, and is gone.
    let names: Vec<String> = std::fs::read_dir(sb.join("store"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}"); // the file and its lock
}
