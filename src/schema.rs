//! The label set: which labels exist, their colours and keys, and which link
//! kinds may join which labels.
//!
//! The built-in schema (`assets/schema.ron`) has `claim` (key 1), `source`
//! (key 2) and `denial` (key 3), with `said_by` (claim|denial -> source) and
//! `denies` (denial -> claim). A project replaces it with a schema file in the
//! same format; [`Schema::discover`] says where one is looked for.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// File name a project's schema is looked for under.
pub const SCHEMA_FILE_NAME: &str = "tandai.schema.ron";

/// Largest schema file read (a schema is a few kB; this is a guard).
const MAX_SCHEMA_BYTES: u64 = 1 << 20;

const BUILTIN: &str = include_str!("../assets/schema.ron");

/// One label.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelDef {
    /// Name used in annotation files.
    pub name: String,
    /// The key that applies it (one character), if any.
    #[serde(default)]
    pub key: Option<String>,
    /// Colour as `#rrggbb`.
    #[serde(default = "default_colour")]
    pub colour: String,
    /// What annotators should tag with it.
    #[serde(default)]
    pub description: String,
}

fn default_colour() -> String {
    "#888888".to_owned()
}

impl LabelDef {
    /// The colour as RGB bytes (grey if it does not parse; the schema
    /// loader has already refused malformed colours).
    pub fn rgb(&self) -> [u8; 3] {
        parse_colour(&self.colour).unwrap_or([0x88; 3])
    }

    /// The key as a char.
    pub fn key_char(&self) -> Option<char> {
        self.key.as_deref().and_then(|k| k.chars().next())
    }
}

/// Keys a schema label may not take, with the command of the app that
/// owns each (as its menu names it): plain letter keys of the app's command
/// table (`tandai::gui::commands`, whose test checks this list against it).
/// A label with one of these keys would never fire, or would die in review
/// mode, so such a schema is refused when it loads. Compared ignoring case.
pub const RESERVED_KEYS: &[(char, &str)] = &[
    ('a', "Accept tag"),
    ('d', "Link to denied claim…"),
    ('e', "Who is this source…"),
    ('l', "Link to source (said by)…"),
    ('n', "Next tag"),
    ('p', "Previous tag"),
    ('r', "Review mode"),
    ('x', "Reject tag"),
];

/// One kind of link and the labels it may join.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkKindDef {
    /// Name used in annotation files.
    pub kind: String,
    /// Labels allowed at the `from` end.
    pub from: Vec<String>,
    /// Labels allowed at the `to` end.
    pub to: Vec<String>,
    /// What the link means.
    #[serde(default)]
    pub description: String,
}

impl LinkKindDef {
    /// Whether a link of this kind may go from a span labelled `from` to one
    /// labelled `to`.
    pub fn allows(&self, from: &str, to: &str) -> bool {
        self.from.iter().any(|l| l == from) && self.to.iter().any(|l| l == to)
    }
}

/// A label set with its link kinds.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// Labels in display order.
    pub labels: Vec<LabelDef>,
    /// Link kinds.
    #[serde(default)]
    pub links: Vec<LinkKindDef>,
}

/// Why a schema could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// Reading the file failed.
    #[error("{path}: cannot read schema: {source}")]
    Io {
        /// The schema file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is too large to be a schema.
    #[error("{path}: schema file is {size} bytes, more than the {max} a schema may have")]
    TooLarge {
        /// The schema file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// RON syntax or shape error.
    #[error("{path}:{line}:{col}: {message}")]
    Syntax {
        /// The schema file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong.
        message: String,
    },
    /// Parsed, but inconsistent.
    #[error("{path}: {message}")]
    Invalid {
        /// The schema file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

fn parse_colour(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

impl Default for Schema {
    fn default() -> Self {
        Self::builtin()
    }
}

impl Schema {
    /// The built-in schema.
    pub fn builtin() -> Self {
        // The asset is part of the binary and covered by a unit test, so it
        // parses; the fallback only guards against a broken build.
        Self::parse(BUILTIN, Path::new("assets/schema.ron")).unwrap_or_else(|_| Schema {
            labels: ["claim", "source", "denial"]
                .iter()
                .enumerate()
                .map(|(i, name)| LabelDef {
                    name: (*name).to_owned(),
                    key: Some((i + 1).to_string()),
                    colour: default_colour(),
                    description: String::new(),
                })
                .collect(),
            links: Vec::new(),
        })
    }

    /// Parses and validates schema RON; `path` is only used in messages.
    /// A text larger than a schema file may be is refused as loading would
    /// refuse the file, so that what parses here also loads.
    pub fn parse(src: &str, path: &Path) -> Result<Self, SchemaError> {
        if src.len() as u64 > MAX_SCHEMA_BYTES {
            return Err(SchemaError::TooLarge {
                path: path.to_owned(),
                size: src.len() as u64,
                max: MAX_SCHEMA_BYTES,
            });
        }
        let schema: Schema =
            crate::format::ron_options()
                .from_str(src)
                .map_err(|e| SchemaError::Syntax {
                    path: path.to_owned(),
                    line: e.span.start.line,
                    col: e.span.start.col,
                    message: e.code.to_string(),
                })?;
        schema.validate().map_err(|message| SchemaError::Invalid {
            path: path.to_owned(),
            message,
        })?;
        Ok(schema)
    }

    /// Reads a schema file.
    pub fn load(path: &Path) -> Result<Self, SchemaError> {
        let io = |source| SchemaError::Io {
            path: path.to_owned(),
            source,
        };
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > MAX_SCHEMA_BYTES {
            return Err(SchemaError::TooLarge {
                path: path.to_owned(),
                size,
                max: MAX_SCHEMA_BYTES,
            });
        }
        let bytes = crate::document::read_regular(path, MAX_SCHEMA_BYTES).map_err(io)?;
        let src = String::from_utf8(bytes)
            .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        Self::parse(&src, path)
    }

    /// Finds the schema for an article or annotation file: `explicit` if
    /// given; else the nearest `tandai.schema.ron` in the file's folder or a
    /// folder above it; else the built-in one. Returns where it came from
    /// (`None` for the built-in schema).
    pub fn discover(
        file: &Path,
        explicit: Option<&Path>,
    ) -> Result<(Self, Option<PathBuf>), SchemaError> {
        if let Some(path) = explicit {
            return Ok((Self::load(path)?, Some(path.to_owned())));
        }
        let start = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
        for dir in start.ancestors().skip(1) {
            let candidate = dir.join(SCHEMA_FILE_NAME);
            if candidate.is_file() {
                return Ok((Self::load(&candidate)?, Some(candidate)));
            }
        }
        Ok((Self::builtin(), None))
    }

    fn validate(&self) -> Result<(), String> {
        if self.labels.is_empty() {
            return Err("a schema needs at least one label".to_owned());
        }
        let mut names = std::collections::BTreeSet::new();
        let mut keys = std::collections::BTreeSet::new();
        for l in &self.labels {
            crate::names::check("label", &l.name)?;
            if l.name.trim().is_empty() || l.name.chars().any(char::is_control) {
                return Err(format!(
                    "label name {:?} is empty or has control characters",
                    l.name
                ));
            }
            if !names.insert(l.name.as_str()) {
                return Err(format!("label {:?} is defined twice", l.name));
            }
            if let Some(k) = &l.key {
                if k.chars().count() != 1 {
                    return Err(format!(
                        "label {:?}: key {k:?} must be exactly one character",
                        l.name
                    ));
                }
                let lower = k.to_lowercase();
                if let Some((_, command)) =
                    RESERVED_KEYS.iter().find(|(c, _)| lower.starts_with(*c))
                {
                    return Err(format!(
                        "label {:?}: key {k:?} is the app's key for \"{command}\"; choose another",
                        l.name
                    ));
                }
                if !keys.insert(lower) {
                    return Err(format!("key {k:?} is used by two labels"));
                }
            }
            if parse_colour(&l.colour).is_none() {
                return Err(format!(
                    "label {:?}: colour {:?} is not of the form #rrggbb",
                    l.name, l.colour
                ));
            }
        }
        let mut kinds = std::collections::BTreeSet::new();
        for k in &self.links {
            crate::names::check("link kind", &k.kind)?;
            if !kinds.insert(k.kind.as_str()) {
                return Err(format!("link kind {:?} is defined twice", k.kind));
            }
            for l in k.from.iter().chain(&k.to) {
                if !names.contains(l.as_str()) {
                    return Err(format!(
                        "link kind {:?} names label {}, which the schema does not define",
                        k.kind,
                        crate::check::excerpt(l)
                    ));
                }
            }
        }
        Ok(())
    }

    /// A label by name.
    pub fn label(&self, name: &str) -> Option<&LabelDef> {
        self.labels.iter().find(|l| l.name == name)
    }

    /// The label a key applies.
    pub fn label_for_key(&self, key: char) -> Option<&LabelDef> {
        self.labels.iter().find(|l| l.key_char() == Some(key))
    }

    /// A link kind by name.
    pub fn link_kind(&self, kind: &str) -> Option<&LinkKindDef> {
        self.links.iter().find(|k| k.kind == kind)
    }

    /// Whether a link of `kind` may join labels `from` and `to`; `Err` says
    /// why not, in words for the user.
    pub fn check_link(&self, kind: &str, from: &str, to: &str) -> Result<(), String> {
        let Some(def) = self.link_kind(kind) else {
            return Err(format!("the schema has no link kind {kind:?}"));
        };
        if def.allows(from, to) {
            Ok(())
        } else {
            Err(format!(
                "a {kind} link goes from {} to {}, not from {from} to {to}",
                def.from.join(" or "),
                def.to.join(" or ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schema_parses_with_the_three_labels() {
        let s = Schema::parse(BUILTIN, Path::new("builtin")).unwrap();
        let names: Vec<&str> = s.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["claim", "source", "denial"]);
        assert_eq!(s.label_for_key('2').unwrap().name, "source");
        assert!(s.check_link("said_by", "claim", "source").is_ok());
        assert!(s.check_link("said_by", "denial", "source").is_ok());
        assert!(s.check_link("denies", "denial", "claim").is_ok());
        let err = s.check_link("said_by", "source", "claim").unwrap_err();
        assert!(err.contains("from claim or denial to source"), "{err}");
        assert!(s.check_link("cites", "claim", "source").is_err());
        assert_eq!(s, Schema::builtin());
    }

    #[test]
    fn bad_schemas_are_refused_with_reasons() {
        let cases = [
            ("(labels: [])", "at least one label"),
            (
                r#"(labels: [(name: "a", key: "1"), (name: "a")])"#,
                "defined twice",
            ),
            (
                r#"(labels: [(name: "a", key: "12")])"#,
                "exactly one character",
            ),
            (
                r#"(labels: [(name: "a", key: "1"), (name: "b", key: "1")])"#,
                "used by two labels",
            ),
            (
                r#"(labels: [(name: "a", key: "c"), (name: "b", key: "C")])"#,
                "used by two labels",
            ),
            (
                r#"(labels: [(name: "cue", key: "l")])"#,
                r#"label "cue": key "l" is the app's key for "Link to source (said by)…""#,
            ),
            (
                r#"(labels: [(name: "doubt", key: "D")])"#,
                "Link to denied claim",
            ),
            (r#"(labels: [(name: "ask", key: "a")])"#, "Accept tag"),
            (r#"(labels: [(name: "rumour", key: "r")])"#, "Review mode"),
            (r#"(labels: [(name: "a", colour: "red")])"#, "#rrggbb"),
            (
                r#"(labels: [(name: "a")], links: [(kind: "k", from: ["a"], to: ["zz"])])"#,
                "does not define",
            ),
        ];
        for (src, want) in cases {
            let err = Schema::parse(src, Path::new("s.ron"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(want), "{src}: {err}");
        }
        let err = Schema::parse("(labels: [(name: \"a\"", Path::new("s.ron"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("s.ron:1:"), "{err}");
    }

    #[test]
    fn long_names_and_oversized_texts_are_refused_as_loading_refuses_them() {
        let long = "x".repeat(crate::names::MAX_NAME_CHARS + 1);
        for src in [
            format!(r#"(labels: [(name: "{long}")])"#),
            format!(
                r#"(labels: [(name: "a")], links: [(kind: "{long}", from: ["a"], to: ["a"])])"#
            ),
        ] {
            let err = Schema::parse(&src, Path::new("s.ron"))
                .unwrap_err()
                .to_string();
            assert!(err.contains("201 characters long"), "{err}");
            assert!(err.len() < 300, "{err}");
        }
        let ok = format!(r#"(labels: [(name: "{}")])"#, "x".repeat(200));
        assert!(Schema::parse(&ok, Path::new("s.ron")).is_ok());
        let padded = format!("(labels: [(name: \"a\")]){}", " ".repeat(1 << 20));
        let err = Schema::parse(&padded, Path::new("s.ron")).unwrap_err();
        assert!(matches!(err, SchemaError::TooLarge { .. }), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_named_as_schema_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join(SCHEMA_FILE_NAME);
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let err = Schema::load(&fifo).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        // Discovery looks for regular files only: the built-in schema.
        let (_, from) = Schema::discover(&dir.path().join("a.txt"), None).unwrap();
        assert_eq!(from, None);
    }

    #[test]
    fn discovery_prefers_flag_then_nearest_folder_then_builtin() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        let article = sub.join("x.txt");
        let (s, from) = Schema::discover(&article, None).unwrap();
        assert_eq!(from, None);
        assert_eq!(s, Schema::builtin());

        let custom = r##"(labels: [(name: "claim", key: "1"), (name: "cue", key: "4", colour: "#00aa00")])"##;
        std::fs::write(dir.path().join("a").join(SCHEMA_FILE_NAME), custom).unwrap();
        let (s, from) = Schema::discover(&article, None).unwrap();
        assert_eq!(from, Some(dir.path().join("a").join(SCHEMA_FILE_NAME)));
        assert_eq!(s.label("cue").unwrap().rgb(), [0, 0xaa, 0]);

        let flag = dir.path().join("flag.ron");
        std::fs::write(&flag, r#"(labels: [(name: "only")])"#).unwrap();
        let (s, _) = Schema::discover(&article, Some(&flag)).unwrap();
        assert_eq!(s.labels.len(), 1);
    }
}
