#![allow(clippy::unwrap_used, clippy::expect_used)]

//! An annotation file never makes tandai read or write outside what the
//! user chose: a `document.path` that is absolute, climbs out of the
//! annotation file's folder, or is a symbolic link to a file outside it is
//! refused by every command that reads articles (`check`, `export`,
//! `review`, `import --into`) unless `--allow-outside` is given, and
//! nothing is written. `stats` never reads articles. No field is run,
//! fetched or used as a format string.

mod common;

use common::{Sandbox, char_range};

const SECRET: &str = "Gedung Putih menuding Korea Utara mengirim peluru.\n";

/// An annotation file naming `doc`, with one pending machine span.
fn annotation_naming(doc: &str) -> String {
    let r = char_range(SECRET, "Gedung Putih");
    format!(
        "(version: 1, document: (path: {}), spans: [(id: 1, label: \"source\", start: {}, end: {}, \
         text: \"Gedung Putih\", origin: Machine(model: \"m\", score: 0.9))])\n",
        common::ron_str(doc),
        r.start,
        r.end
    )
}

/// `secret/a.txt` outside the folder `work/` that holds the annotation
/// file `work/a.tandai.ron`, which names the article as `doc`; and a tags
/// file.
fn sandbox(doc: &str) -> Sandbox {
    let sb = Sandbox::new();
    sb.write("secret/a.txt", SECRET);
    let doc = doc.replace("ABS", &sb.join("secret/a.txt").to_string_lossy());
    sb.write("work/a.tandai.ron", annotation_naming(&doc));
    std::fs::create_dir(sb.join("work/sub")).unwrap();
    let r = char_range(SECRET, "Korea Utara");
    sb.write(
        "tags.jsonl",
        format!(
            "{{\"start\": {}, \"end\": {}, \"label\": \"claim\", \"score\": 0.7}}\n",
            r.start, r.end
        ),
    );
    sb
}

/// Each command that reads the article an annotation file names, with the
/// exit code it gives once `--allow-outside` trusts the file.
const COMMANDS: &[(&[&str], i32)] = &[
    (&["check", "work/a.tandai.ron"], 0),
    (
        &[
            "export",
            "--format",
            "jsonl",
            "work/a.tandai.ron",
            "-o",
            "out.jsonl",
        ],
        0,
    ),
    (
        &[
            "review",
            "--accept-above",
            "0.5",
            "--annotator",
            "ana",
            "work/a.tandai.ron",
        ],
        0,
    ),
    (
        &[
            "import",
            "--format",
            "tags",
            "tags.jsonl",
            "--into",
            "work/a.tandai.ron",
        ],
        0,
    ),
];

/// Nothing was written: not even an empty output file when every input
/// is refused.
fn assert_nothing_written(sb: &Sandbox, before: &common::Snapshot, what: &str) {
    before.assert_same(&sb.snapshot(), what);
}

#[test]
fn every_command_refuses_an_article_outside_the_folder_unless_allowed() {
    for doc in [
        "../secret/a.txt",
        "ABS",
        "./../secret/a.txt",
        "sub/../../secret/a.txt",
    ] {
        for (args, allowed_code) in COMMANDS {
            let sb = sandbox(doc);
            let before = sb.snapshot();
            let r = sb.run(args);
            let what = format!("{args:?} with document.path {doc:?}");
            r.assert_code(2)
                .assert_stderr_has(&["work/a.tandai.ron", "--allow-outside"]);
            assert!(
                r.stderr.contains("absolute or climbs out"),
                "{what}: {r:#?}"
            );
            assert!(!r.stdout.contains("Gedung"), "{what}: {r:#?}");
            assert_nothing_written(&sb, &before, &what);

            // Trusted on purpose: the command runs.
            let mut trusted = args.to_vec();
            trusted.push("--allow-outside");
            sb.run(&trusted).assert_code(*allowed_code);
        }
    }
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_to_a_file_outside_is_refused_unless_allowed() {
    for (args, allowed_code) in COMMANDS {
        let sb = sandbox("a.txt");
        std::os::unix::fs::symlink(sb.join("secret/a.txt"), sb.join("work/a.txt")).unwrap();
        let before = sb.snapshot();
        let r = sb.run(args);
        r.assert_code(2)
            .assert_stderr_has(&["work/a.tandai.ron", "\"a.txt\"", "--allow-outside"]);
        assert_nothing_written(&sb, &before, &format!("{args:?}"));
        let mut trusted = args.to_vec();
        trusted.push("--allow-outside");
        sb.run(&trusted).assert_code(*allowed_code);
    }
    // A link that stays inside the folder is fine.
    let sb = sandbox("a.txt");
    sb.write("work/real.txt", SECRET);
    std::os::unix::fs::symlink("real.txt", sb.join("work/a.txt")).unwrap();
    sb.run(&["check", "work/a.tandai.ron"]).assert_code(0);
}

#[test]
fn stats_counts_without_reading_the_article() {
    for doc in ["../secret/a.txt", "ABS"] {
        let sb = sandbox(doc);
        // The article is not even there: stats reads only annotation files.
        std::fs::remove_file(sb.join("secret/a.txt")).unwrap();
        let before = sb.snapshot();
        let r = sb.run(&["stats", "--json", "work/a.tandai.ron"]);
        r.assert_code(0);
        assert_eq!(r.json()["total"]["spans"], 1);
        before.assert_same(&sb.snapshot(), "stats");
    }
}

#[test]
fn fields_are_never_commands_urls_or_format_strings() {
    // Each is only ever a file name: not found, reported literally, nothing
    // run or fetched, nothing written.
    for doc in [
        "$(touch pwned).txt",
        "`touch pwned`.txt",
        "a.txt; touch pwned",
        "https://example.com/a.txt",
        "file:a.txt",
        "{}{:?}%s%n.txt",
    ] {
        let sb = sandbox("a.txt");
        sb.write(
            "work/a.tandai.ron",
            annotation_naming(doc)
                .replace("Machine(model: \"m\"", "Machine(model: \"{0} %s $(id)\""),
        );
        let before = sb.snapshot();
        let r = sb.run(&["check", "work/a.tandai.ron"]);
        r.assert_code(2);
        assert!(
            r.stderr.contains("work/") && r.stderr.contains(doc.rsplit('/').next().unwrap()),
            "{doc}: {r:#?}"
        );
        before.assert_same(&sb.snapshot(), doc);
        assert!(!sb.join("pwned").exists() && !sb.join("work/pwned").exists());
    }
    // A model name full of format and shell syntax is kept as it is.
    let sb = sandbox("a.txt");
    sb.write("work/a.txt", SECRET);
    sb.write(
        "work/a.tandai.ron",
        annotation_naming("a.txt")
            .replace("Machine(model: \"m\"", "Machine(model: \"{0} %s $(id)\""),
    );
    let r = sb.run(&["stats", "--review", "--json", "work/a.tandai.ron"]);
    r.assert_code(0);
    assert!(r.stdout.contains("{0} %s $(id)"), "{r:#?}");
}
