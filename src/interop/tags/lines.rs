//! One line of a tags file: read (JSON), checked against the article and
//! the schema, and made into the span it would add, without looking at
//! the annotations. Lines are independent here, so a large file's lines are
//! prepared on all cores ([`prepare`]); [`super::import`] then takes them
//! in order against the annotations.

use std::borrow::Cow;

use serde::Deserialize;

use super::json::{Loose, Str};
use super::{MAX_TAG_LINE_BYTES, TagProblem, TagProblemKind, UNKNOWN_MODEL};
use crate::check::excerpt;
use crate::model::{Origin, Span, SpanId};
use crate::offsets::Text;
use crate::schema::Schema;

/// A link of a tag line; `to` is the `id` of another tag.
#[derive(Debug, Deserialize)]
pub(super) struct TagLink<'a> {
    #[serde(borrow)]
    pub(super) kind: Cow<'a, str>,
    #[serde(borrow)]
    pub(super) to: Loose<'a>,
}

/// A tag line as read, its strings borrowed from the line where they can
/// be (see [`super::json`]).
#[derive(Debug, Deserialize)]
pub(super) struct Tag<'a> {
    pub(super) start: usize,
    pub(super) end: usize,
    #[serde(borrow)]
    pub(super) label: Cow<'a, str>,
    #[serde(default)]
    pub(super) score: Option<f64>,
    #[serde(default, borrow)]
    pub(super) model: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub(super) doc: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub(super) id: Option<Loose<'a>>,
    #[serde(default, borrow)]
    pub(super) links: Vec<TagLink<'a>>,
    #[serde(default, borrow)]
    pub(super) text: Option<Str<'a>>,
}

impl Tag<'_> {
    /// The tag with nothing borrowed.
    fn into_owned(self) -> Tag<'static> {
        let own = |s: Option<Str>| s.map(Str::into_owned);
        Tag {
            start: self.start,
            end: self.end,
            label: Cow::Owned(self.label.into_owned()),
            score: self.score,
            model: own(self.model),
            doc: own(self.doc),
            id: self.id.map(Loose::into_owned),
            links: self
                .links
                .into_iter()
                .map(|l| TagLink {
                    kind: Cow::Owned(l.kind.into_owned()),
                    to: l.to.into_owned(),
                })
                .collect(),
            text: own(self.text),
        }
    }
}

/// The lines of a file's bytes, as `split` at each `\n` makes them (the
/// last one empty if the file ends with a line end), found with `memchr`.
pub(super) fn split_lines(src: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', src).count() + 1);
    let mut from = 0;
    for end in memchr::memchr_iter(b'\n', src) {
        lines.push(src.get(from..end).unwrap_or_default());
        from = end + 1;
    }
    lines.push(src.get(from..).unwrap_or_default());
    lines
}

pub(super) fn problem(line: usize, kind: TagProblemKind, message: String) -> TagProblem {
    TagProblem {
        line,
        kind,
        message,
    }
}

/// A line as text without its line end (and the BOM of the first line), or
/// `None` if it is blank.
pub(super) fn decode_line(raw: &[u8], line: usize) -> Result<Option<&str>, TagProblem> {
    if raw.len() > MAX_TAG_LINE_BYTES {
        return Err(problem(
            line,
            TagProblemKind::TooLong,
            format!(
                "line is {} bytes, more than the {MAX_TAG_LINE_BYTES} a tag may have; left out",
                raw.len()
            ),
        ));
    }
    let Ok(s) = std::str::from_utf8(raw) else {
        return Err(problem(
            line,
            TagProblemKind::NotUtf8,
            "not UTF-8; left out".to_owned(),
        ));
    };
    let s = s.strip_suffix('\r').unwrap_or(s);
    let s = if line == 1 {
        s.strip_prefix('\u{feff}').unwrap_or(s)
    } else {
        s
    };
    Ok((!s.trim().is_empty()).then_some(s))
}

/// A line as a [`Tag`]: valid JSON with the required fields, well typed.
///
/// Read straight into a [`Tag`]; a line that does not read so is read again
/// through a [`serde_json::Value`], which tells bad JSON from a missing or
/// ill-typed field, and keeps the last of a repeated key as JSON readers
/// do.
pub(super) fn parse_tag(s: &str, line: usize) -> Result<Tag<'_>, TagProblem> {
    if let Ok(tag) = serde_json::from_str::<Tag>(s) {
        return Ok(tag);
    }
    let value: serde_json::Value = serde_json::from_str(s).map_err(|e| {
        problem(
            line,
            TagProblemKind::InvalidJson,
            format!("not valid JSON ({e}); left out"),
        )
    })?;
    match Tag::deserialize(&value) {
        Ok(tag) => Ok(tag.into_owned()),
        Err(e) => {
            let msg = e.to_string();
            let kind = if msg.starts_with("missing field") {
                TagProblemKind::MissingField
            } else {
                TagProblemKind::WrongType
            };
            Err(problem(line, kind, format!("{msg}; left out")))
        }
    }
}

/// Checks a tag against the article and the schema: a range inside the
/// article, a known label, a quote (if given) that matches.
pub(super) fn check_tag(
    tag: &Tag,
    text: &Text,
    schema: &Schema,
    line: usize,
) -> Result<(), TagProblem> {
    let len = text.len_chars();
    if tag.start >= tag.end {
        return Err(problem(
            line,
            TagProblemKind::BadRange,
            format!(
                "start {} is not before end {}; left out",
                tag.start, tag.end
            ),
        ));
    }
    if tag.end > len {
        return Err(problem(
            line,
            TagProblemKind::BadRange,
            format!(
                "end {} is beyond the article ({len} chars); left out",
                tag.end
            ),
        ));
    }
    if schema.label(&tag.label).is_none() {
        let known: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
        return Err(problem(
            line,
            TagProblemKind::UnknownLabel,
            format!(
                "label {} is not in the schema ({}); left out",
                crate::check::excerpt(&tag.label),
                known.join(", ")
            ),
        ));
    }
    if let Some(Err(why)) = tag
        .model
        .as_ref()
        .map(|m| crate::names::check("model", &m.0))
    {
        let kind = TagProblemKind::NameTooLong;
        return Err(problem(line, kind, format!("{why}; left out")));
    }
    let Some(Str(t)) = &tag.text else {
        return Ok(());
    };
    let quote = text.slice(tag.start..tag.end).unwrap_or_default();
    if t != quote {
        return Err(problem(
            line,
            TagProblemKind::QuoteMismatch,
            format!(
                "text {} does not match the article at {}..{} ({}); left out",
                excerpt(t),
                tag.start,
                tag.end,
                excerpt(quote)
            ),
        ));
    }
    Ok(())
}

/// A line as [`prepare`] leaves it.
#[derive(Debug)]
pub(super) enum Line<'a> {
    /// Blank: skipped, not counted.
    Blank,
    /// Not a tag (too long, not UTF-8, not JSON, a field missing or of the
    /// wrong type).
    Bad(TagProblem),
    /// A tag, with what checking it found: the span it would add (id 0,
    /// set when it is added; boxed as the edit that adds it will hold it),
    /// or why it is left out. The tag no longer has its `model`: the span's
    /// origin took it.
    Tag(Tag<'a>, Result<Option<Box<Span>>, TagProblem>),
}

/// Files smaller than this are prepared on one core.
const PARALLEL_BYTES: usize = 256 * 1024;

/// Every line of `src` (a JSONL file's bytes) read and checked, in order,
/// with its 1-based number. On a large file, on several threads.
pub(super) fn prepare<'a>(src: &'a [u8], text: &Text, schema: &Schema) -> Vec<(usize, Line<'a>)> {
    prepare_from(src, text, schema, PARALLEL_BYTES)
}

/// [`prepare`], on several threads from `parallel_bytes` of input on.
fn prepare_from<'a>(
    src: &'a [u8],
    text: &Text,
    schema: &Schema,
    parallel_bytes: usize,
) -> Vec<(usize, Line<'a>)> {
    let lines = split_lines(src);
    let one = |(i, raw): (usize, &&'a [u8])| (i + 1, prepare_line(raw, i + 1, text, schema));
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if src.len() < parallel_bytes || threads < 2 {
        return lines.iter().enumerate().map(one).collect();
    }
    let per = lines.len().div_ceil(threads.min(8));
    std::thread::scope(|s| {
        let parts: Vec<_> = lines
            .chunks(per)
            .enumerate()
            .map(|(k, chunk)| {
                let run = move || -> Vec<(usize, Line<'a>)> {
                    chunk
                        .iter()
                        .enumerate()
                        .map(|(i, raw)| one((k * per + i, raw)))
                        .collect()
                };
                // A thread the system will not start: that part here.
                std::thread::Builder::new()
                    .name("tags".into())
                    .spawn_scoped(s, run)
                    .map_err(|_| run)
            })
            .collect();
        let mut out = Vec::with_capacity(lines.len());
        for part in parts {
            match part {
                Ok(handle) => match handle.join() {
                    Ok(v) => out.extend(v),
                    // Reading a line does not panic; if it did, say so.
                    Err(e) => std::panic::resume_unwind(e),
                },
                Err(run) => out.extend(run()),
            }
        }
        out
    })
}

/// One line read and checked: the span it would add, built here so that
/// the costly part (quote and context) is done in parallel.
fn prepare_line<'a>(raw: &'a [u8], line: usize, text: &Text, schema: &Schema) -> Line<'a> {
    let s = match decode_line(raw, line) {
        Ok(None) => return Line::Blank,
        Ok(Some(s)) => s,
        Err(p) => return Line::Bad(p),
    };
    let mut tag = match parse_tag(s, line) {
        Ok(t) => t,
        Err(p) => return Line::Bad(p),
    };
    let checked = check_tag(&tag, text, schema, line).map(|()| {
        let origin = Origin::Machine {
            model: tag
                .model
                .take()
                .filter(|m| !m.0.trim().is_empty())
                .map_or_else(|| UNKNOWN_MODEL.to_owned(), |m| m.0.into_owned()),
            score: tag.score.filter(|x| x.is_finite()),
        };
        Span::new_in(text, SpanId(0), &tag.label, tag.start..tag.end, origin).map(Box::new)
    });
    Line::Tag(tag, checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_as_split_does() {
        for src in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "\n\n",
            "a\r\nb\n",
            "\u{feff}{}\n\n{}",
        ] {
            let want: Vec<&[u8]> = src.as_bytes().split(|&b| b == b'\n').collect();
            assert_eq!(split_lines(src.as_bytes()), want, "{src:?}");
        }
    }

    #[test]
    fn lines_read_in_parallel_are_the_lines_read_one_by_one() {
        let text = Text::new("Menurut juru bicara itu, “kapal” 👍🏽 berangkat.\r\n".repeat(40));
        let schema = Schema::builtin();
        let mut src = String::from("\u{feff}");
        for i in 0..3000 {
            let line = match i % 7 {
                0 => String::new(),
                1 => "{not json".to_owned(),
                2 => format!(r#"{{"start": {}, "end": 3, "label": "claim"}}"#, i % 40),
                3 => format!(
                    r#"{{"start": {}, "end": {}, "label": "nope"}}"#,
                    i % 40,
                    i % 40 + 5
                ),
                4 => format!(
                    r#"{{"start": 0, "end": 7, "label": "source", "text": "Menurut", "id": {i}}}"#
                ),
                _ => format!(
                    r#"{{"start": {}, "end": {}, "label": "claim", "model": "m", "score": 0.5, "links": [{{"kind": "said_by", "to": {}}}]}}"#,
                    i % 50,
                    i % 50 + 9,
                    i - 1
                ),
            };
            src.push_str(&line);
            src.push_str(if i % 2 == 0 { "\r\n" } else { "\n" });
        }
        let one = prepare_from(src.as_bytes(), &text, &schema, usize::MAX);
        let many = prepare_from(src.as_bytes(), &text, &schema, 0);
        assert_eq!(one.len(), 3001);
        assert_eq!(format!("{one:?}"), format!("{many:?}"));
        let kinds = |v: &[(usize, Line)]| {
            v.iter()
                .map(|(_, l)| match l {
                    Line::Blank => 0,
                    Line::Bad(_) => 1,
                    Line::Tag(_, Ok(_)) => 2,
                    Line::Tag(_, Err(_)) => 3,
                })
                .collect::<std::collections::BTreeSet<_>>()
        };
        assert_eq!(kinds(&one).len(), 4, "every kind of line is there");
    }
}
