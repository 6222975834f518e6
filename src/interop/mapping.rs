//! Names in another tool mapped to tandai's labels and link kinds.
//!
//! Without a mapping file a foreign name maps to the schema's label (or link
//! kind) of the same name compared case-insensitively (`Claim` -> `claim`),
//! and a name the schema does not have is kept as it is. A mapping file
//! (`--map FILE`) says otherwise, one `foreign = ours` pair a line:
//!
//! ```text
//! # brat types of our old project
//! [labels]
//! Quote = claim
//! Speaker = source
//! [links]
//! Attribution = said_by
//! ```
//!
//! Lines before any section are labels. Names are trimmed and compared
//! exactly. On export the mapping is read backwards: a tandai name goes out
//! as the first foreign name that maps to it, or as it is.

use std::path::{Path, PathBuf};

use crate::schema::Schema;

/// Largest mapping file read.
const MAX_MAPPING_BYTES: u64 = 1 << 20;

/// Why a mapping file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    /// Reading failed.
    #[error("{path}: cannot read the mapping: {source}")]
    Io {
        /// The mapping file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line that is not `name = name`, a section header or a comment.
    #[error("{path}:{line}: {message}")]
    Syntax {
        /// The mapping file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Pairs of (foreign name, tandai name), in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    labels: Vec<(String, String)>,
    links: Vec<(String, String)>,
}

fn lookup<'a>(pairs: &'a [(String, String)], foreign: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(f, _)| f == foreign)
        .map(|(_, o)| o.as_str())
}

fn reverse<'a>(pairs: &'a [(String, String)], ours: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(_, o)| o == ours)
        .map(|(f, _)| f.as_str())
}

/// The schema name equal to `name` ignoring case, if there is one.
fn caseless<'a>(mut names: impl Iterator<Item = &'a str>, name: &str) -> Option<&'a str> {
    let lower = name.to_lowercase();
    names.find(|n| *n == name || n.to_lowercase() == lower)
}

impl Mapping {
    /// Parses a mapping file's text; `path` is for messages.
    pub fn parse(src: &str, path: &Path) -> Result<Self, MappingError> {
        let mut m = Mapping::default();
        let mut links = false;
        for (i, raw) in src.lines().enumerate() {
            let err = |message: String| MappingError::Syntax {
                path: path.to_owned(),
                line: i + 1,
                message,
            };
            let line = raw.trim().trim_start_matches('\u{feff}');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                links = match section.trim() {
                    "labels" => false,
                    "links" => true,
                    other => {
                        return Err(err(format!(
                            "unknown section [{other}]; use [labels] or [links]"
                        )));
                    }
                };
                continue;
            }
            let Some((foreign, ours)) = line.split_once('=') else {
                return Err(err(format!(
                    "expected `foreign name = tandai name`, found {line:?}"
                )));
            };
            let (foreign, ours) = (foreign.trim(), ours.trim());
            if foreign.is_empty() || ours.is_empty() {
                return Err(err("a name is empty".to_owned()));
            }
            let pairs = if links { &mut m.links } else { &mut m.labels };
            if lookup(pairs, foreign).is_some() {
                return Err(err(format!("{foreign:?} is mapped twice")));
            }
            pairs.push((foreign.to_owned(), ours.to_owned()));
        }
        Ok(m)
    }

    /// Reads a mapping file.
    pub fn load(path: &Path) -> Result<Self, MappingError> {
        let io = |source| MappingError::Io {
            path: path.to_owned(),
            source,
        };
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > MAX_MAPPING_BYTES {
            return Err(MappingError::Syntax {
                path: path.to_owned(),
                line: 1,
                message: format!(
                    "the file is {size} bytes; a mapping has at most {MAX_MAPPING_BYTES}"
                ),
            });
        }
        let bytes = crate::document::read_regular(path, MAX_MAPPING_BYTES).map_err(io)?;
        let src = String::from_utf8(bytes)
            .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        Self::parse(&src, path)
    }

    /// The tandai label for a foreign one.
    pub fn import_label(&self, foreign: &str, schema: &Schema) -> String {
        lookup(&self.labels, foreign)
            .or_else(|| caseless(schema.labels.iter().map(|l| l.name.as_str()), foreign))
            .unwrap_or(foreign)
            .to_owned()
    }

    /// The tandai link kind for a foreign relation type.
    pub fn import_kind(&self, foreign: &str, schema: &Schema) -> String {
        lookup(&self.links, foreign)
            .or_else(|| caseless(schema.links.iter().map(|k| k.kind.as_str()), foreign))
            .unwrap_or(foreign)
            .to_owned()
    }

    /// The foreign label for a tandai one.
    pub fn export_label<'a>(&'a self, ours: &'a str) -> &'a str {
        reverse(&self.labels, ours).unwrap_or(ours)
    }

    /// The foreign relation type for a tandai link kind.
    pub fn export_kind<'a>(&'a self, ours: &'a str) -> &'a str {
        reverse(&self.links, ours).unwrap_or(ours)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_file_maps_both_ways_and_defaults_ignore_case() {
        let src = "# comment\nQuote = claim\nSpeaker=source\n\n[links]\nAttribution = said_by\n";
        let m = Mapping::parse(src, Path::new("m.txt")).unwrap();
        let s = Schema::builtin();
        assert_eq!(m.import_label("Quote", &s), "claim");
        assert_eq!(m.import_label("DENIAL", &s), "denial");
        assert_eq!(m.import_label("Person", &s), "Person");
        assert_eq!(m.import_kind("Attribution", &s), "said_by");
        assert_eq!(m.import_kind("Said_By", &s), "said_by");
        assert_eq!(m.export_label("source"), "Speaker");
        assert_eq!(m.export_label("denial"), "denial");
        assert_eq!(m.export_kind("said_by"), "Attribution");
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        for (src, want) in [
            ("a = b\nnonsense\n", "m.txt:2: expected"),
            ("[events]\n", "m.txt:1: unknown section"),
            ("a = b\na = c\n", "m.txt:2: \"a\" is mapped twice"),
            (" = c\n", "m.txt:1: a name is empty"),
        ] {
            let err = Mapping::parse(src, Path::new("m.txt")).unwrap_err();
            assert!(err.to_string().starts_with(want), "{err}");
        }
    }
}
