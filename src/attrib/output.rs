//! The table as CSV (RFC 4180), JSON Lines or Markdown, rows and groups.
//!
//! CSV and JSON Lines are exact: every text is written as the file has it
//! (quotes, commas, line breaks, emoji), so a script reads back what the
//! annotation files hold. A CSV field holding a `"`, `,`, a line break or a
//! leading or trailing space is quoted, its quotes doubled; rows end in
//! CRLF, as RFC 4180 says (Python's `csv` module reads that as it writes
//! it). A list in one CSV cell (what a denial denies) is joined with
//! ` | `; the JSON Lines rows carry it as a list. Markdown is for people:
//! line breaks become `<br>`, `|` is escaped, control characters are shown
//! as escapes.

use std::fmt::Write as _;

use super::Row;
use super::group::Group;

/// The CSV columns of the table, in order.
pub const COLUMNS: [&str; 21] = [
    "doc",
    "kind",
    "source",
    "source_start",
    "source_end",
    "entity",
    "entity_role",
    "cue",
    "content",
    "content_start",
    "content_end",
    "denies",
    "denies_offsets",
    "origin",
    "annotator",
    "model",
    "score",
    "status",
    "link",
    "source_id",
    "content_id",
];

/// The CSV columns of the groups, in order.
pub const GROUP_COLUMNS: [&str; 7] = [
    "entity", "roles", "by", "claims", "denials", "articles", "docs",
];

/// Separator of several values in one CSV or Markdown cell.
pub const LIST_SEPARATOR: &str = " | ";

/// Appends one CSV field, quoted if it must be.
fn field(out: &mut String, value: &str) {
    let quote = value.contains(['"', ',', '\n', '\r'])
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace);
    if quote {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// Appends one CSV record.
fn record<S: AsRef<str>>(out: &mut String, values: &[S]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, v.as_ref());
    }
    out.push_str("\r\n");
}

fn num(x: Option<impl ToString>) -> String {
    x.map(|x| x.to_string()).unwrap_or_default()
}

/// A row's CSV values, in [`COLUMNS`] order.
fn values(r: &Row) -> [String; 21] {
    let source = r.source.as_ref();
    let entity = source.and_then(|s| s.entity.as_ref());
    let denies_text: Vec<&str> = r.denies.iter().map(|p| p.text.as_str()).collect();
    let denies_offsets: Vec<String> = r
        .denies
        .iter()
        .map(|p| format!("{}-{}", p.start, p.end))
        .collect();
    [
        r.doc.clone(),
        r.kind.clone(),
        source.map(|s| s.span.text.clone()).unwrap_or_default(),
        num(source.map(|s| s.span.start)),
        num(source.map(|s| s.span.end)),
        entity.map(|e| e.name.clone()).unwrap_or_default(),
        entity.and_then(|e| e.role.clone()).unwrap_or_default(),
        r.cue.as_ref().map(|c| c.text.clone()).unwrap_or_default(),
        r.content.text.clone(),
        r.content.start.to_string(),
        r.content.end.to_string(),
        denies_text.join(LIST_SEPARATOR),
        denies_offsets.join(LIST_SEPARATOR),
        r.origin.to_owned(),
        r.annotator.clone().unwrap_or_default(),
        r.model.clone().unwrap_or_default(),
        num(r.score),
        r.status.map(|s| s.name().to_owned()).unwrap_or_default(),
        num(r.link),
        num(source.map(|s| s.span.id)),
        r.content.id.to_string(),
    ]
}

/// The table as CSV: a header row, then one record a row.
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::new();
    record(&mut out, &COLUMNS);
    for r in rows {
        record(&mut out, &values(r));
    }
    out
}

/// The table as JSON Lines: one object a row, `source`, `content` and
/// `cue` as `{text, start, end, id}` (the source with its `entity`,
/// `{name, role}` or null), `denies` a list of them.
pub fn jsonl(rows: &[Row]) -> String {
    lines(rows)
}

fn lines<T: serde::Serialize>(items: &[T]) -> String {
    let mut out = String::new();
    for item in items {
        // Strings, numbers and options of them always serialise.
        if let Ok(json) = serde_json::to_string(item) {
            out.push_str(&json);
            out.push('\n');
        }
    }
    out
}

/// One Markdown cell: `\`, `|`, `<` and `>` escaped, line breaks as
/// `<br>`, control and bidi characters as visible escapes.
fn cell(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>");
    crate::escape::visible(&escaped).into_owned()
}

fn md_row<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    out.push('|');
    for c in cells {
        let _ = write!(out, " {} |", cell(c.as_ref()));
    }
    out.push('\n');
}

fn md_header(out: &mut String, names: &[&str]) {
    md_row(out, names);
    out.push('|');
    for _ in names {
        out.push_str(" --- |");
    }
    out.push('\n');
}

/// The table as a Markdown table, for people: where each span lies is
/// left to the CSV and JSON Lines.
pub fn markdown(rows: &[Row]) -> String {
    let mut out = String::new();
    md_header(
        &mut out,
        &[
            "doc", "kind", "source", "entity", "cue", "content", "denies", "origin", "status",
        ],
    );
    for r in rows {
        let source = r.source.as_ref();
        let entity = source
            .and_then(|s| s.entity.as_ref())
            .map(|e| match &e.role {
                Some(role) if !role.is_empty() => format!("{} ({role})", e.name),
                _ => e.name.clone(),
            });
        let denies: Vec<&str> = r.denies.iter().map(|p| p.text.as_str()).collect();
        let origin = match (&r.annotator, &r.model) {
            (Some(a), _) => format!("{} ({a})", r.origin),
            (None, Some(m)) => format!("{} ({m})", r.origin),
            _ => r.origin.to_owned(),
        };
        md_row(
            &mut out,
            &[
                r.doc.clone(),
                r.kind.clone(),
                source.map_or_else(|| "(unattributed)".to_owned(), |s| s.span.text.clone()),
                entity.unwrap_or_default(),
                r.cue.as_ref().map(|c| c.text.clone()).unwrap_or_default(),
                r.content.text.clone(),
                denies.join(LIST_SEPARATOR),
                origin,
                r.status.map(|s| s.name().to_owned()).unwrap_or_default(),
            ],
        );
    }
    out
}

fn group_values(g: &Group) -> [String; 7] {
    [
        g.name.clone(),
        g.roles.join(LIST_SEPARATOR),
        g.by.name().to_owned(),
        g.claims.to_string(),
        g.denials.to_string(),
        g.articles.to_string(),
        g.docs.join(LIST_SEPARATOR),
    ]
}

/// The groups as CSV, [`GROUP_COLUMNS`].
pub fn groups_csv(groups: &[Group]) -> String {
    let mut out = String::new();
    record(&mut out, &GROUP_COLUMNS);
    for g in groups {
        record(&mut out, &group_values(g));
    }
    out
}

/// The groups as JSON Lines: `entity`, `roles`, `by`, `claims`,
/// `denials`, `articles`, `docs`.
pub fn groups_jsonl(groups: &[Group]) -> String {
    lines(groups)
}

/// The groups as a Markdown table.
pub fn groups_markdown(groups: &[Group]) -> String {
    let mut out = String::new();
    md_header(
        &mut out,
        &["entity", "roles", "by", "claims", "denials", "articles"],
    );
    for g in groups {
        let mut v = group_values(g).to_vec();
        v.pop();
        if g.by == super::group::By::Unattributed {
            "(unattributed)".clone_into(&mut v[0]);
        }
        md_row(&mut out, &v);
    }
    out
}
