//! The built-in suggester's rules file: the cue lexicon and the score of
//! each kind of suggestion, `assets/suggest.ron` unless a project puts its
//! own `tandai.suggest.ron` in the article's folder or one above it (found
//! as the schema is). The file holds words and numbers only: nothing in a
//! corpus can make tandai run a program.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The name of a project's own rules file.
pub const RULES_FILE_NAME: &str = "tandai.suggest.ron";

/// The built-in rules.
const BUILTIN: &str = include_str!("../../assets/suggest.ron");

/// Why a rules file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// Reading failed.
    #[error("{path}: cannot read the rules: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not rules.
    #[error("{path}: not a rules file: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
}

/// The score each kind of suggestion gets.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scores {
    /// A quotation with its speaker: "CLAIM," kata SOURCE.
    pub quote: f64,
    /// SOURCE CUE bahwa/that CLAIM.
    pub that: f64,
    /// SOURCE CUE CLAIM with no complementiser.
    pub bare: f64,
    /// Menurut / according to SOURCE, CLAIM.
    pub according: f64,
    /// CLAIM, CUE SOURCE (no quotation marks).
    pub inverted: f64,
    /// SOURCE DENIAL-CUE WHAT.
    pub denial: f64,
    /// A named source.
    pub source: f64,
    /// A pronoun source.
    pub pronoun: f64,
    /// Hearsay with no speaker: Beredar kabar bahwa CLAIM.
    pub hearsay: f64,
}

/// The rules.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// The model name the suggestions carry (`Machine { model }`).
    pub model: String,
    /// Verbs of saying.
    pub speech: Vec<String>,
    /// Verbs of denying.
    pub denial: Vec<String>,
    /// Passive verbs of denying, the source after them ("dibantah X").
    pub passive_denial: Vec<String>,
    /// "According to" phrases, word by word.
    pub according: Vec<Vec<String>>,
    /// Hearsay phrases with no speaker ("beredar kabar", "it was
    /// alleged"), word by word.
    pub hearsay: Vec<Vec<String>>,
    /// Words after a denial cue that make it no denial ("menolak
    /// berkomentar": declining to comment).
    pub no_comment: Vec<String>,
    /// Complementisers after a cue.
    pub that: Vec<String>,
    /// Pronoun sources.
    pub pronouns: Vec<String>,
    /// Clause openers, not part of a subject.
    pub openers: Vec<String>,
    /// Words between a subject and its cue.
    pub auxiliaries: Vec<String>,
    /// Words that end a source named after its cue.
    pub stops: Vec<String>,
    /// Scores.
    pub scores: Scores,
}

impl Rules {
    /// The built-in rules.
    pub fn builtin() -> Self {
        // The asset is part of the build and parsed by a test.
        Self::parse(BUILTIN, Path::new("assets/suggest.ron")).unwrap_or_else(|_| Self::empty())
    }

    /// Rules with no words (never used: the built-in file parses).
    fn empty() -> Self {
        Rules {
            model: "tandai-rules".to_owned(),
            speech: Vec::new(),
            denial: Vec::new(),
            passive_denial: Vec::new(),
            according: Vec::new(),
            hearsay: Vec::new(),
            no_comment: Vec::new(),
            that: Vec::new(),
            pronouns: Vec::new(),
            openers: Vec::new(),
            auxiliaries: Vec::new(),
            stops: Vec::new(),
            scores: Scores {
                quote: 0.0,
                that: 0.0,
                bare: 0.0,
                according: 0.0,
                inverted: 0.0,
                denial: 0.0,
                source: 0.0,
                pronoun: 0.0,
                hearsay: 0.0,
            },
        }
    }

    /// Parses a rules file's text.
    pub fn parse(src: &str, path: &Path) -> Result<Self, RulesError> {
        let mut rules: Rules = ron::from_str(src).map_err(|e| RulesError::Parse {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        rules.normalise();
        Ok(rules)
    }

    /// Reads a rules file.
    pub fn load(path: &Path) -> Result<Self, RulesError> {
        let src = std::fs::read_to_string(path).map_err(|source| RulesError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&src, path)
    }

    /// The rules for an article: `explicit` if given; else the nearest
    /// `tandai.suggest.ron` in its folder or one above; else the built-in
    /// ones. Says where they came from (`None`: built in).
    pub fn discover(
        article: &Path,
        explicit: Option<&Path>,
    ) -> Result<(Self, Option<PathBuf>), RulesError> {
        if let Some(p) = explicit {
            return Ok((Self::load(p)?, Some(p.to_owned())));
        }
        let start = std::path::absolute(article).unwrap_or_else(|_| article.to_owned());
        for dir in start.ancestors().skip(1) {
            let candidate = dir.join(RULES_FILE_NAME);
            if candidate.is_file() {
                return Ok((Self::load(&candidate)?, Some(candidate)));
            }
        }
        Ok((Self::builtin(), None))
    }

    /// Lower-cases every word, as matching ignores case.
    fn normalise(&mut self) {
        for list in [
            &mut self.speech,
            &mut self.denial,
            &mut self.passive_denial,
            &mut self.that,
            &mut self.pronouns,
            &mut self.openers,
            &mut self.auxiliaries,
            &mut self.stops,
            &mut self.no_comment,
        ] {
            for w in list.iter_mut() {
                *w = w.to_lowercase();
            }
        }
        for phrase in self.according.iter_mut().chain(self.hearsay.iter_mut()) {
            for w in phrase.iter_mut() {
                *w = w.to_lowercase();
            }
        }
    }

    /// The word lists as sets, for the engine.
    pub(super) fn sets(&self) -> Sets<'_> {
        fn set(v: &[String]) -> BTreeSet<&str> {
            v.iter().map(String::as_str).collect()
        }
        Sets {
            speech: set(&self.speech),
            denial: set(&self.denial),
            passive_denial: set(&self.passive_denial),
            that: set(&self.that),
            pronouns: set(&self.pronouns),
            openers: set(&self.openers),
            auxiliaries: set(&self.auxiliaries),
            stops: set(&self.stops),
            no_comment: set(&self.no_comment),
        }
    }
}

/// The rules' word lists as sets.
pub(super) struct Sets<'a> {
    pub(super) speech: BTreeSet<&'a str>,
    pub(super) denial: BTreeSet<&'a str>,
    pub(super) passive_denial: BTreeSet<&'a str>,
    pub(super) that: BTreeSet<&'a str>,
    pub(super) pronouns: BTreeSet<&'a str>,
    pub(super) openers: BTreeSet<&'a str>,
    pub(super) auxiliaries: BTreeSet<&'a str>,
    pub(super) stops: BTreeSet<&'a str>,
    pub(super) no_comment: BTreeSet<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_rules_parse_and_hold_the_cues() {
        let r = Rules::parse(BUILTIN, Path::new("assets/suggest.ron")).unwrap();
        for w in ["mengatakan", "kata", "ujar", "menurut", "said", "according"] {
            assert!(
                r.speech.iter().any(|s| s == w) || r.according.iter().flatten().any(|s| s == w),
                "{w}"
            );
        }
        for w in [
            "membantah",
            "menyangkal",
            "menepis",
            "menolak",
            "denied",
            "rejected",
        ] {
            assert!(r.denial.iter().any(|s| s == w), "{w}");
        }
        assert!(r.model.starts_with("tandai-rules-"));
    }

    #[test]
    fn a_project_file_is_found_above_the_article_and_a_bad_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let article = dir.path().join("sub/a.txt");
        assert_eq!(Rules::discover(&article, None).unwrap().1, None);
        std::fs::write(dir.path().join(RULES_FILE_NAME), "(model: 1)").unwrap();
        let err = Rules::discover(&article, None).unwrap_err().to_string();
        assert!(err.contains("not a rules file"), "{err}");
        let own = BUILTIN.replace("tandai-rules-1", "desk-rules-2");
        std::fs::write(dir.path().join(RULES_FILE_NAME), own).unwrap();
        let (r, from) = Rules::discover(&article, None).unwrap();
        assert_eq!(r.model, "desk-rules-2");
        assert_eq!(from, Some(dir.path().join(RULES_FILE_NAME)));
    }
}
