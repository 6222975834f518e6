//! Machine suggestions: claims, sources, denials and their links proposed
//! by tandai's own rules ([`rules`], [`builtin`]) or by any model run as a
//! command ([`command`]), as machine tags (the `import --format tags`
//! format), which then go into annotation files as pending machine spans
//! for review.

pub mod command;
mod engine;
pub mod job;
mod patterns;
pub mod pipeline;
pub mod rules;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::offsets::Text;
pub use rules::{Rules, RulesError};

/// One machine tag, as the tags JSONL format writes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tag {
    /// The article, relative to the folder the suggestions are for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The tag's id within its article (`t1`, `t2`, ...).
    pub id: String,
    /// First code point.
    pub start: usize,
    /// Code point after the last.
    pub end: usize,
    /// The label.
    pub label: String,
    /// The model's confidence.
    pub score: f64,
    /// The model.
    pub model: String,
    /// The quote.
    pub text: String,
    /// Outgoing links to other tags of the article.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<TagLink>,
}

/// A link from a tag to another tag of the same article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TagLink {
    /// `said_by` or `denies`.
    pub kind: String,
    /// The other tag's id.
    pub to: String,
}

/// What the built-in rules suggest for `text`, as tags of the model
/// `rules.model`, in text order of their discovery (each tag's links point
/// at tags of the same list).
pub fn builtin(text: &Text, rules: &Rules) -> Vec<Tag> {
    let (found, links) = engine::run(text, rules);
    let id = |i: usize| format!("t{}", i + 1);
    found
        .iter()
        .enumerate()
        .map(|(i, f)| Tag {
            doc: None,
            id: id(i),
            start: f.range.start,
            end: f.range.end,
            label: f.label.to_owned(),
            score: f.score,
            model: rules.model.clone(),
            text: text.slice(f.range.clone()).unwrap_or_default().to_owned(),
            links: links
                .iter()
                .filter(|l| l.from == i)
                .map(|l| TagLink {
                    kind: l.kind.to_owned(),
                    to: id(l.to),
                })
                .collect(),
        })
        .collect()
}

/// Tags as JSON Lines, one a line.
pub fn tags_jsonl(tags: &[Tag]) -> String {
    let mut out = String::new();
    for t in tags {
        // Strings, numbers and lists of them always serialise.
        if let Ok(line) = serde_json::to_string(t) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}
