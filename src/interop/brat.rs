//! brat standoff: `NAME.txt` with `NAME.ann` beside it.
//!
//! Offsets are code points over the exact `.txt` text, as in tandai. What
//! tandai models natively comes in as itself: `T` lines are spans, `R`
//! lines between two text spans (roles `Arg1`, `Arg2`) are links, `A`/`M`
//! lines on a text span are span attributes (`name = value`, a binary
//! attribute has the value `""`) and `#` `AnnotatorNotes` on a text span
//! are its note. Every line also stays, verbatim and with its line number,
//! in the span attribute [`LINES_KEY`] of the span it belongs to (a
//! relation, event, note or normalisation belongs to the span it starts
//! from). That carries what tandai has no place for (events `E`,
//! normalisations `N`, equivalences `*`, discontinuous fragments, notes and
//! attributes on events or relations) and lets an export give back the very
//! same lines in the same order: a kept line is written as it was while
//! tandai's data still says the same, written afresh (same id, same place)
//! when the span, attribute, note or link was changed, and left out when
//! what it refers to was removed.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;

use super::{ExportDoc, Loss, Names, ProblemKind, Warnings, is_tool_key, locate, no_space};
use crate::check::excerpt;
use crate::format::{RawLink, RawSpan};
use crate::model::Span;
use crate::offsets::Text;

/// The span attribute that keeps a span's brat lines, one per line as
/// `LINE-NUMBER<TAB>LINE`.
pub const LINES_KEY: &str = "brat:lines";

/// brat's name of a note on an annotation.
const NOTE_TYPE: &str = "AnnotatorNotes";

/// What one `.ann` line says.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind<'a> {
    Text {
        ty: &'a str,
        frags: Vec<Range<usize>>,
        text: &'a str,
    },
    Rel {
        ty: &'a str,
        args: Vec<(&'a str, &'a str)>,
    },
    Event {
        ty: &'a str,
        trigger: &'a str,
        args: Vec<(&'a str, &'a str)>,
    },
    Attr {
        name: &'a str,
        target: &'a str,
        value: Option<&'a str>,
    },
    Norm {
        target: &'a str,
    },
    Note {
        ty: &'a str,
        target: &'a str,
        text: &'a str,
    },
    Equiv {
        ty: &'a str,
        members: Vec<&'a str>,
    },
}

/// One parsed `.ann` line.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Line<'a> {
    id: &'a str,
    kind: Kind<'a>,
}

impl<'a> Line<'a> {
    /// The ids the line refers to.
    fn refs(&self) -> Vec<&'a str> {
        match &self.kind {
            Kind::Text { .. } => Vec::new(),
            Kind::Rel { args, .. } => args.iter().map(|a| a.1).collect(),
            Kind::Event { trigger, args, .. } => std::iter::once(*trigger)
                .chain(args.iter().map(|a| a.1))
                .collect(),
            Kind::Attr { target, .. } | Kind::Norm { target } | Kind::Note { target, .. } => {
                vec![*target]
            }
            Kind::Equiv { members, .. } => members.clone(),
        }
    }

    /// The link it is, if it is one tandai models: a relation with roles
    /// `Arg1` and `Arg2` between two text spans.
    fn as_link(&self) -> Option<(u64, &'a str, u64, u64)> {
        let Kind::Rel { ty, args } = &self.kind else {
            return None;
        };
        let id = number(self.id, 'R')?;
        let arg = |role: &str| {
            args.iter()
                .find(|a| a.0 == role)
                .and_then(|a| number(a.1, 'T'))
        };
        (args.len() == 2)
            .then_some(())
            .and(Some((id, *ty, arg("Arg1")?, arg("Arg2")?)))
    }
}

/// The number of an id like `T12`.
fn number(id: &str, prefix: char) -> Option<u64> {
    let rest = id.strip_prefix(prefix)?;
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}

fn role_arg(s: &str) -> Result<(&str, &str), String> {
    s.split_once(':')
        .filter(|(r, t)| !r.is_empty() && !t.is_empty())
        .ok_or_else(|| format!("argument {s:?} is not ROLE:ID"))
}

fn offsets(s: &str) -> Result<Vec<Range<usize>>, String> {
    s.split(';')
        .map(|frag| {
            let mut it = frag.split_whitespace();
            let (Some(a), Some(b), None) = (it.next(), it.next(), it.next()) else {
                return Err(format!("offsets {frag:?} are not START END"));
            };
            let (Ok(a), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>()) else {
                return Err(format!("offsets {frag:?} are not numbers"));
            };
            if a > b {
                return Err(format!("offsets {a} {b} end before they start"));
            }
            Ok(a..b)
        })
        .collect()
}

fn parse_line(raw: &str) -> Result<Line<'_>, String> {
    let mut fields = raw.splitn(3, '\t');
    let id = fields.next().unwrap_or_default();
    let Some(mid) = fields.next() else {
        return Err("no tab after the id".to_owned());
    };
    let tail = fields.next();
    let words: Vec<&str> = mid.split_whitespace().collect();
    let kind = match id.chars().next() {
        Some('T') => {
            number(id, 'T').ok_or_else(|| format!("id {id:?} is not T<number>"))?;
            let (ty, offs) = mid
                .split_once(' ')
                .ok_or("a text-bound line needs TYPE START END")?;
            Kind::Text {
                ty,
                frags: offsets(offs)?,
                text: tail.ok_or("a text-bound line needs its text after a tab")?,
            }
        }
        Some('R') => {
            let (ty, args) = words.split_first().ok_or("a relation needs a type")?;
            let args = args
                .iter()
                .map(|a| role_arg(a))
                .collect::<Result<Vec<_>, _>>()?;
            if args.len() != 2 {
                return Err("a relation needs two arguments".to_owned());
            }
            Kind::Rel { ty, args }
        }
        Some('E') => {
            let (head, args) = words.split_first().ok_or("an event needs TYPE:TRIGGER")?;
            let (ty, trigger) = role_arg(head)?;
            let args = args
                .iter()
                .map(|a| role_arg(a))
                .collect::<Result<Vec<_>, _>>()?;
            Kind::Event { ty, trigger, args }
        }
        Some('A' | 'M') => match words.as_slice() {
            [name, target] => Kind::Attr {
                name,
                target,
                value: None,
            },
            [name, target, value] => Kind::Attr {
                name,
                target,
                value: Some(value),
            },
            _ => return Err("an attribute needs NAME ID [VALUE]".to_owned()),
        },
        Some('N') => match words.as_slice() {
            [_ty, target, _reference] => Kind::Norm { target },
            _ => return Err("a normalisation needs TYPE ID DB:ID".to_owned()),
        },
        Some('#') => match words.as_slice() {
            [ty, target] => Kind::Note {
                ty,
                target,
                text: tail.unwrap_or_default(),
            },
            _ => return Err("a note needs TYPE ID".to_owned()),
        },
        Some('*') => match words.split_first() {
            Some((ty, members)) if members.len() >= 2 => Kind::Equiv {
                ty,
                members: members.to_vec(),
            },
            _ => return Err("an equivalence needs TYPE and two ids or more".to_owned()),
        },
        _ => return Err(format!("unknown annotation id {id:?}")),
    };
    Ok(Line { id, kind })
}

/// Reads a `.ann` file against its article: spans (with their brat lines in
/// [`LINES_KEY`]) and links. Malformed lines are reported with their line
/// number and left out; the rest converts.
pub fn read(
    ann: &str,
    text: &Text,
    names: &Names,
    w: &mut Warnings,
) -> (Vec<RawSpan>, Vec<RawLink>) {
    let ann = ann.strip_prefix('\u{feff}').unwrap_or(ann);
    let mut parsed = Vec::new();
    for (i, raw) in ann.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        match parse_line(raw) {
            Ok(line) => parsed.push((i + 1, raw, line)),
            Err(m) => w.problem(
                ProblemKind::Malformed,
                Some(i + 1),
                format!("{m}; line left out: {}", excerpt(raw)),
            ),
        }
    }

    // Text-bound annotations first: everything else hangs on them.
    let mut spans: Vec<RawSpan> = Vec::new();
    let mut index: HashMap<u64, usize> = HashMap::new();
    let mut anchor: HashMap<&str, usize> = HashMap::new();
    for (no, raw, line) in &parsed {
        let Kind::Text {
            ty,
            frags,
            text: quote,
        } = &line.kind
        else {
            continue;
        };
        let Some(id) = number(line.id, 'T') else {
            continue;
        };
        if index.contains_key(&id) {
            w.problem(
                ProblemKind::Malformed,
                Some(*no),
                format!(
                    "id {} is used twice; line left out: {}",
                    line.id,
                    excerpt(raw)
                ),
            );
            continue;
        }
        let (Some(first), Some(last)) = (frags.first(), frags.last()) else {
            continue;
        };
        let whole = first.start..last.end;
        let found = if frags.len() == 1 {
            locate(text, whole, Some(quote), w, Some(*no), line.id)
        } else {
            w.count(Loss::BratDiscontinuous);
            discontinuous(text, frags, quote, w, *no, line.id).then_some((whole, None))
        };
        let Some((range, quote)) = found else {
            continue;
        };
        let mut span = super::raw_span(id, names.label(ty), range, quote, names.human(None));
        span.attributes.insert(LINES_KEY.to_owned(), String::new());
        index.insert(id, spans.len());
        anchor.insert(line.id, spans.len());
        spans.push(span);
    }
    // Events hang on their trigger, relations on their first argument,
    // the rest on what they name.
    for (_, _, line) in &parsed {
        if let Kind::Event { trigger, .. } = &line.kind
            && let Some(&at) = anchor.get(trigger)
        {
            anchor.insert(line.id, at);
        }
    }
    for (_, _, line) in &parsed {
        if let Kind::Rel { args, .. } = &line.kind
            && let Some(&at) = args.iter().find_map(|a| anchor.get(a.1))
        {
            anchor.insert(line.id, at);
        }
    }

    let mut links = Vec::new();
    let mut link_ids = HashSet::new();
    for (no, raw, line) in &parsed {
        let refs = line.refs();
        let missing: Vec<&str> = refs
            .iter()
            .copied()
            .filter(|r| !anchor.contains_key(r))
            .collect();
        let at = match &line.kind {
            Kind::Text { .. } => anchor.get(line.id).copied(),
            _ if !missing.is_empty() => None,
            _ => refs.first().and_then(|r| anchor.get(r)).copied(),
        };
        let Some(at) = at else {
            if !matches!(line.kind, Kind::Text { .. }) {
                w.problem(
                    ProblemKind::Malformed,
                    Some(*no),
                    format!(
                        "refers to {}, which is not defined or was left out; line left out: {}",
                        missing.join(", "),
                        excerpt(raw)
                    ),
                );
            }
            continue;
        };
        let span_tid = format!("T{}", spans[at].id);
        let on_span = |target: &str| target == span_tid;
        match &line.kind {
            Kind::Text { .. } => {}
            Kind::Rel { .. } => match line.as_link() {
                Some((id, ty, from, to)) if link_ids.insert(id) => {
                    links.push(super::raw_link(id, names.kind(ty), from, to));
                }
                _ => w.count(Loss::BratOtherRelations),
            },
            Kind::Event { .. } => w.count(Loss::BratEvents),
            Kind::Norm { .. } => w.count(Loss::BratNormalizations),
            Kind::Equiv { .. } => w.count(Loss::BratEquivalences),
            Kind::Attr {
                name,
                target,
                value,
            } => {
                let attrs = &mut spans[at].attributes;
                if on_span(target) && !attrs.contains_key(*name) {
                    attrs.insert((*name).to_owned(), value.unwrap_or_default().to_owned());
                } else {
                    w.count(Loss::BratOtherAttributes);
                }
            }
            Kind::Note { ty, target, text } => {
                if on_span(target) && *ty == NOTE_TYPE {
                    let note = spans[at].note.get_or_insert_with(String::new);
                    if !note.is_empty() {
                        note.push('\n');
                    }
                    note.push_str(text);
                } else {
                    w.count(Loss::BratOtherAttributes);
                }
            }
        }
        if let Some(kept) = spans[at].attributes.get_mut(LINES_KEY) {
            if !kept.is_empty() {
                kept.push('\n');
            }
            let _ = write!(kept, "{no}\t{raw}");
        }
    }
    (spans, links)
}

/// Checks the fragments of a discontinuous span; brat's text is the
/// fragments' texts joined by a space. `false` if a fragment is outside
/// the text.
fn discontinuous(
    text: &Text,
    frags: &[Range<usize>],
    quote: &str,
    w: &mut Warnings,
    no: usize,
    id: &str,
) -> bool {
    let mut pieces = Vec::with_capacity(frags.len());
    for f in frags {
        let Some(p) = text.slice(f.clone()) else {
            w.problem(
                ProblemKind::OutOfRange,
                Some(no),
                format!(
                    "{id}: fragment {}..{} is outside the text ({} characters); left out",
                    f.start,
                    f.end,
                    text.len_chars()
                ),
            );
            return false;
        };
        pieces.push(p);
    }
    let joined = pieces.join(" ");
    if joined != quote {
        w.problem(
            ProblemKind::TextMismatch,
            Some(no),
            format!(
                "{id}: text {} does not match the fragments' text {}; kept at its offsets",
                excerpt(quote),
                excerpt(&joined)
            ),
        );
    }
    true
}

/// A brat line kept in a span, as found at export.
struct Kept<'a> {
    no: usize,
    raw: &'a str,
    line: Line<'a>,
    owner: u64,
}

/// Characters Python's `str.splitlines` breaks at: brat reads `.ann` files
/// that way, so none may stand inside a line.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{b}'
            | '\u{c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// The fragments of `range` between line breaks, with their text.
pub(super) fn fragments(text: &Text, range: Range<usize>) -> Vec<(Range<usize>, &str)> {
    let Some(bytes) = text.byte_range(range) else {
        return Vec::new();
    };
    let s = text.as_str();
    let mut pieces = Vec::new();
    let mut from = bytes.start;
    for (i, c) in s[bytes.clone()].char_indices() {
        if is_line_break(c) {
            pieces.push(from..bytes.start + i);
            from = bytes.start + i + c.len_utf8();
        }
    }
    pieces.push(from..bytes.end);
    pieces
        .into_iter()
        .filter(|b| b.start < b.end)
        .filter_map(|b| Some((text.char_range(b.clone())?, &s[b])))
        .collect()
}

/// Fresh ids per prefix letter, above every id in use.
#[derive(Default)]
struct BratIds {
    max: HashMap<char, u64>,
    used: HashSet<String>,
}

impl BratIds {
    fn note(&mut self, id: &str) {
        if let Some(p) = id.chars().next()
            && let Some(n) = number(id, p)
        {
            let m = self.max.entry(p).or_default();
            *m = (*m).max(n);
        }
        self.used.insert(id.to_owned());
    }

    fn fresh(&mut self, prefix: char) -> String {
        let m = self.max.entry(prefix).or_default();
        *m += 1;
        let id = format!("{prefix}{m}");
        self.used.insert(id.clone());
        id
    }
}

fn attr_line(id: &str, name: &str, target: &str, value: &str, w: &mut Warnings) -> String {
    let name = no_space(name, w);
    if value.is_empty() {
        format!("{id}\t{name} {target}")
    } else {
        format!("{id}\t{name} {target} {}", no_space(value, w))
    }
}

/// Writes one document's `.ann` text and records its types in `conf`.
pub fn write(doc: &ExportDoc, names: &Names, conf: &mut Conf, w: &mut Warnings) -> String {
    let mut spans = Vec::new();
    for s in doc.spans(false, w) {
        let frags = fragments(doc.text, s.range());
        if frags.is_empty() {
            w.count(Loss::SpansWithoutTokens);
        } else {
            spans.push((s, frags));
        }
    }
    let kept_spans: Vec<&Span> = spans.iter().map(|(s, _)| *s).collect();
    // Each span's kept lines, in a run of `kept`.
    let mut kept: Vec<Kept> = Vec::new();
    let mut runs: Vec<Range<usize>> = Vec::with_capacity(kept_spans.len());
    for s in &kept_spans {
        let from = kept.len();
        let v = s.attributes.get(LINES_KEY).map_or("", String::as_str);
        for entry in v.split('\n') {
            let Some((no, raw)) = entry.split_once('\t') else {
                continue;
            };
            if let (Ok(no), Ok(line)) = (no.parse::<usize>(), parse_line(raw)) {
                kept.push(Kept {
                    no,
                    raw,
                    line,
                    owner: s.id.0,
                });
            }
        }
        runs.push(from..kept.len());
    }
    let relations: HashMap<&str, usize> = kept
        .iter()
        .enumerate()
        .filter(|(_, k)| k.line.as_link().is_some())
        .map(|(i, k)| (k.line.id, i))
        .collect();
    let mut ids = BratIds::default();
    for k in &kept {
        ids.note(k.line.id);
    }
    let mut done = vec![false; kept.len()];
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut present: HashSet<String> = HashSet::new();

    for ((s, frags), run) in spans.iter().zip(&runs) {
        let tid = format!("T{}", s.id);
        present.insert(tid.clone());
        ids.note(&tid);
        let ty = no_space(names.out_label(&s.label), w);
        // The T line.
        let stored = run
            .clone()
            .find(|&i| kept[i].line.id == tid && matches!(kept[i].line.kind, Kind::Text { .. }));
        let mut at = usize::MAX;
        let mut reused = false;
        if let Some(i) = stored {
            done[i] = true;
            at = kept[i].no;
            if let Kind::Text {
                ty: old,
                frags: old_frags,
                ..
            } = &kept[i].line.kind
            {
                let same_range = old_frags.first().map(|f| f.start) == Some(s.start)
                    && old_frags.last().map(|f| f.end) == Some(s.end);
                if same_range && names.same_label(old, &s.label) {
                    out.push((at, kept[i].raw.to_owned()));
                    reused = true;
                } else if old_frags.len() > 1 {
                    w.count(Loss::BratFragmentsLost);
                }
            }
        }
        if !reused {
            let whole = frags.first().map(|f| f.0.start) == Some(s.start)
                && frags.last().map(|f| f.0.end) == Some(s.end);
            if frags.len() > 1 || !whole {
                w.count(Loss::SplitAtLineBreaks);
            }
            let offs: Vec<String> = frags
                .iter()
                .map(|(r, _)| format!("{} {}", r.start, r.end))
                .collect();
            let texts: Vec<&str> = frags.iter().map(|(_, t)| *t).collect();
            out.push((
                at,
                format!("{tid}\t{ty} {}\t{}", offs.join(";"), texts.join(" ")),
            ));
        }
        // Attributes on it.
        let mut written: BTreeSet<&str> = BTreeSet::new();
        for i in run.clone() {
            let k = &kept[i];
            let Kind::Attr {
                name,
                target,
                value,
            } = &k.line.kind
            else {
                continue;
            };
            if *target != tid {
                continue;
            }
            done[i] = true;
            if written.contains(name) {
                // A second line of one attribute: tandai kept only the first.
                present.insert(k.line.id.to_owned());
                out.push((k.no, k.raw.to_owned()));
                continue;
            }
            written.insert(name);
            let Some(now) = s.attributes.get(*name) else {
                continue;
            };
            present.insert(k.line.id.to_owned());
            if now == value.unwrap_or_default() {
                out.push((k.no, k.raw.to_owned()));
            } else {
                out.push((k.no, attr_line(k.line.id, name, &tid, now, w)));
            }
        }
        for (name, value) in &s.attributes {
            if is_tool_key(name) || written.contains(name.as_str()) {
                continue;
            }
            let id = ids.fresh('A');
            out.push((usize::MAX, attr_line(&id, name, &tid, value, w)));
        }
        // Its note, one `#` line per line of it.
        let note_lines: Vec<&str> = s
            .note
            .as_deref()
            .map(|n| n.lines().collect())
            .unwrap_or_default();
        let mut next = note_lines.iter();
        for i in run.clone() {
            let k = &kept[i];
            let Kind::Note { ty, target, text } = &k.line.kind else {
                continue;
            };
            if *target != tid || *ty != NOTE_TYPE {
                continue;
            }
            done[i] = true;
            let Some(line) = next.next() else {
                continue;
            };
            present.insert(k.line.id.to_owned());
            if line == text {
                out.push((k.no, k.raw.to_owned()));
            } else {
                out.push((k.no, format!("{}\t{NOTE_TYPE} {tid}\t{line}", k.line.id)));
            }
        }
        for line in next {
            let id = ids.fresh('#');
            out.push((usize::MAX, format!("{id}\t{NOTE_TYPE} {tid}\t{line}")));
        }
    }

    // Links.
    for l in doc.links(&kept_spans, w) {
        let rid = format!("R{}", l.id);
        let stored = relations.get(rid.as_str()).copied();
        let mut no = usize::MAX;
        let mut id = rid.clone();
        if let Some(i) = stored {
            done[i] = true;
            no = kept[i].no;
            if let Some((_, ty, from, to)) = kept[i].line.as_link()
                && from == l.from.0
                && to == l.to.0
                && names.same_kind(ty, &l.kind)
            {
                present.insert(rid);
                out.push((no, kept[i].raw.to_owned()));
                continue;
            }
        } else if ids.used.contains(&rid) {
            id = ids.fresh('R');
        }
        ids.note(&id);
        let ty = no_space(names.out_kind(&l.kind), w);
        out.push((no, format!("{id}\t{ty} Arg1:T{} Arg2:T{}\t", l.from, l.to)));
        present.insert(id);
    }

    // What tandai does not model: written while what it names is there.
    let mut rest: Vec<usize> = (0..kept.len())
        .filter(|&i| !done[i] && !is_modelled(&kept[i]))
        .collect();
    loop {
        let before = rest.len();
        rest.retain(|&i| {
            let k = &kept[i];
            if k.line.refs().iter().all(|r| present.contains(*r)) {
                if k.line.id != "*" {
                    present.insert(k.line.id.to_owned());
                }
                out.push((k.no, k.raw.to_owned()));
                false
            } else {
                true
            }
        });
        if rest.len() == before {
            break;
        }
    }
    w.add(Loss::BratLinesDropped, rest.len());

    // Kept lines in their old order, new ones after them.
    out.sort_by_key(|(no, _)| *no);
    let mut ann = String::new();
    for (_, line) in &out {
        ann.push_str(line);
        ann.push('\n');
    }
    conf.add(&ann);
    ann
}

/// Whether a kept line is one tandai models (its span, link, attribute or
/// note decides whether it is written).
fn is_modelled(k: &Kept) -> bool {
    let tid = format!("T{}", k.owner);
    match &k.line.kind {
        Kind::Text { .. } => k.line.id == tid,
        Kind::Rel { .. } => k.line.as_link().is_some(),
        Kind::Attr { target, .. } => *target == tid,
        Kind::Note { ty, target, .. } => *target == tid && *ty == NOTE_TYPE,
        _ => false,
    }
}

/// The types the exported documents use, for brat's `annotation.conf`.
#[derive(Clone, Debug, Default)]
pub struct Conf {
    entities: BTreeSet<String>,
    triggers: BTreeSet<String>,
    /// Relation type -> role -> argument types.
    relations: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    equivalences: BTreeSet<String>,
    /// Event type -> role (without its number) -> argument types.
    events: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    /// Attribute -> (what it is on, values).
    attributes: BTreeMap<String, (BTreeSet<&'static str>, BTreeSet<String>)>,
}

impl Conf {
    /// Adds the labels and link kinds of a schema (under their exported
    /// names), so that brat offers them even where no document uses them.
    pub fn add_schema(&mut self, schema: &crate::schema::Schema, names: &Names, w: &mut Warnings) {
        for l in &schema.labels {
            self.entities.insert(no_space(names.out_label(&l.name), w));
        }
        for k in &schema.links {
            let roles = self
                .relations
                .entry(no_space(names.out_kind(&k.kind), w))
                .or_default();
            for (role, labels) in [("Arg1", &k.from), ("Arg2", &k.to)] {
                let set = roles.entry(role.to_owned()).or_default();
                for l in labels {
                    set.insert(no_space(names.out_label(l), w));
                }
            }
        }
    }

    /// Records the types of one `.ann` text.
    fn add(&mut self, ann: &str) {
        let lines: Vec<Line> = ann.lines().filter_map(|l| parse_line(l).ok()).collect();
        let mut types: HashMap<&str, &str> = HashMap::new();
        let mut class: HashMap<&str, &'static str> = HashMap::new();
        for l in &lines {
            match &l.kind {
                Kind::Text { ty, .. } => {
                    types.insert(l.id, ty);
                    class.insert(l.id, "<ENTITY>");
                }
                Kind::Rel { .. } => {
                    class.insert(l.id, "<RELATION>");
                }
                _ => {}
            }
        }
        for l in &lines {
            if let Kind::Event { ty, trigger, .. } = &l.kind {
                types.insert(l.id, ty);
                class.insert(l.id, "<EVENT>");
                class.insert(trigger, "<EVENT>");
            }
        }
        let type_of = |id: &str| types.get(id).map_or_else(String::new, |t| (*t).to_owned());
        for l in &lines {
            match &l.kind {
                Kind::Text { ty, .. } => {
                    if class.get(l.id) == Some(&"<EVENT>") {
                        self.triggers.insert((*ty).to_owned());
                    } else {
                        self.entities.insert((*ty).to_owned());
                    }
                }
                Kind::Rel { ty, args } => {
                    let roles = self.relations.entry((*ty).to_owned()).or_default();
                    for (role, target) in args {
                        roles
                            .entry((*role).to_owned())
                            .or_default()
                            .insert(type_of(target));
                    }
                }
                Kind::Equiv { ty, members } => {
                    self.equivalences.insert((*ty).to_owned());
                    let roles = self.relations.entry((*ty).to_owned()).or_default();
                    for role in ["Arg1", "Arg2"] {
                        let set = roles.entry(role.to_owned()).or_default();
                        for m in members {
                            set.insert(type_of(m));
                        }
                    }
                }
                Kind::Event { ty, args, .. } => {
                    let roles = self.events.entry((*ty).to_owned()).or_default();
                    for (role, target) in args {
                        let base = role.trim_end_matches(|c: char| c.is_ascii_digit());
                        roles
                            .entry(base.to_owned())
                            .or_default()
                            .insert(type_of(target));
                    }
                }
                Kind::Attr {
                    name,
                    target,
                    value,
                } => {
                    let (on, values) = self.attributes.entry((*name).to_owned()).or_default();
                    on.insert(class.get(target).copied().unwrap_or("<ENTITY>"));
                    if let Some(v) = value {
                        values.insert((*v).to_owned());
                    }
                }
                Kind::Norm { .. } | Kind::Note { .. } => {}
            }
        }
    }

    /// The text of `annotation.conf`.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# Annotation types of the documents exported by tandai, in brat's\n# annotation.conf format.\n\n[entities]\n\n",
        );
        for e in self.entities.difference(&self.triggers) {
            let _ = writeln!(out, "{e}");
        }
        out.push_str("\n[relations]\n\n");
        for (ty, roles) in &self.relations {
            let mut parts: Vec<String> = roles
                .iter()
                .map(|(role, types)| format!("{role}:{}", join_types(types)))
                .collect();
            if self.equivalences.contains(ty) {
                parts.push("<REL-TYPE>:symmetric-transitive".to_owned());
            }
            let _ = writeln!(out, "{ty}\t{}", parts.join(", "));
        }
        out.push_str("\n[events]\n\n");
        let mut event_types: BTreeSet<&String> = self.events.keys().collect();
        event_types.extend(&self.triggers);
        for ty in event_types {
            let parts: Vec<String> = self
                .events
                .get(ty)
                .into_iter()
                .flatten()
                .map(|(role, types)| format!("{role}*:{}", join_types(types)))
                .collect();
            if parts.is_empty() {
                let _ = writeln!(out, "{ty}");
            } else {
                let _ = writeln!(out, "{ty}\t{}", parts.join(", "));
            }
        }
        out.push_str("\n[attributes]\n\n");
        for (name, (on, values)) in &self.attributes {
            let on: Vec<&str> = on.iter().copied().collect();
            let _ = write!(out, "{name}\tArg:{}", on.join("|"));
            if !values.is_empty() {
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                let _ = write!(out, ", Value:{}", values.join("|"));
            }
            out.push('\n');
        }
        out
    }
}

fn join_types(types: &BTreeSet<String>) -> String {
    let names: Vec<&str> = types
        .iter()
        .filter(|t| !t.is_empty())
        .map(String::as_str)
        .collect();
    if names.is_empty() {
        "<ANY>".to_owned()
    } else {
        names.join("|")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Article;
    use crate::interop::Mapping;
    use crate::model::{Annotations, DocumentRef};
    use crate::schema::Schema;

    const TEXT: &str = "Citibank is moving $100 million for Raul Salinas de Gortari, former Mexican president, to banks in Switzerland.";

    fn names<'a>(m: &'a Mapping, s: &'a Schema) -> Names<'a> {
        Names {
            mapping: m,
            schema: s,
            annotator: "ana",
        }
    }

    /// Reads, places, writes: what the pipeline does, in memory.
    fn round_trip(text: &str, ann: &str) -> (String, Warnings) {
        let (m, s) = (Mapping::default(), Schema::builtin());
        let n = names(&m, &s);
        let article = Article::from_text("a.txt", text.to_owned());
        let mut w = Warnings::default();
        let (spans, links) = read(ann, &article.text, &n, &mut w);
        let raw = crate::format::RawFile {
            version: 1,
            document: crate::format::RawDocument {
                path: "a.txt".into(),
                sha256: article.sha256.clone(),
                chars: None,
            },
            labels: Vec::new(),
            done: false,
            spans,
            links,
        };
        let (placed, findings) = crate::store::place(raw, &article);
        assert!(findings.is_empty(), "{findings:?}");
        let doc = ExportDoc {
            name: "a.txt",
            text: &article.text,
            ann: &placed,
        };
        let mut conf = Conf::default();
        (write(&doc, &n, &mut conf, &mut w), w)
    }

    #[test]
    fn every_line_kind_comes_back_in_its_order() {
        let ann = "T1\tOrganization 0 8\tCitibank\n\
                   T2\tMoney 19 31\t$100 million\n\
                   T3\tTransfer-money 12 18\tmoving\n\
                   E1\tTransfer-money:T3 Giver-Arg:T1 Money-Arg:T2 Beneficiary-Arg:T4\n\
                   T4\tPerson 36 59\tRaul Salinas de Gortari\n\
                   T5\tGPE 99 110\tSwitzerland\n\
                   R1\tOrigin Arg1:T1 Arg2:T5\t\n\
                   #1\tAnnotatorNotes T2\t100000000 USD\n\
                   A1\tMention T4 Name\n\
                   A2\tIndividual T4\n\
                   A6\tMention T4 Nominal\n\
                   A3\tConfidence E1 High\n\
                   N1\tReference T4 Wikipedia:64488\tCarlos\n\
                   *\tAlias T1 T5\n\
                   T6\tPerson 0 3;9 11\tCit is\n\
                   #2\tAnnotatorNotes R1\twhy?\n";
        let (back, w) = round_trip(TEXT, ann);
        assert_eq!(back, ann);
        assert_eq!(w.counts[&Loss::BratEvents], 1);
        assert_eq!(w.counts[&Loss::BratDiscontinuous], 1);
        assert_eq!(w.counts[&Loss::BratOtherAttributes], 3);
        assert!(w.problems.is_empty(), "{:?}", w.problems);
    }

    #[test]
    fn malformed_lines_are_reported_with_their_number_and_the_rest_converts() {
        let ann = "T1\tOrganization 0 8\tCitibank\nT2 Person 1 2 x\nR1\tOrigin Arg1:T1 Arg2:T9\t\nT3\tGPE 100 111\tSwitzerlnd\nX1\tnothing\n";
        let (m, s) = (Mapping::default(), Schema::builtin());
        let t = Text::new(TEXT.to_owned());
        let mut w = Warnings::default();
        let (spans, links) = read(ann, &t, &names(&m, &s), &mut w);
        assert_eq!(spans.len(), 2);
        assert!(links.is_empty());
        let found: Vec<(ProblemKind, Option<usize>)> =
            w.problems.iter().map(|p| (p.kind, p.line)).collect();
        assert_eq!(
            found,
            [
                (ProblemKind::Malformed, Some(2)),
                (ProblemKind::Malformed, Some(5)),
                (ProblemKind::TextMismatch, Some(4)),
                (ProblemKind::Malformed, Some(3)),
            ]
        );
    }

    #[test]
    fn new_spans_split_at_line_breaks_and_get_fresh_ids() {
        let text = Text::new("Gedung\r\nPutih 👍🏽 bilang".to_owned());
        let mut ann = Annotations::new(DocumentRef::default());
        let mut s = Span::new_in(
            &text,
            crate::model::SpanId(3),
            "source",
            0..13,
            crate::model::Origin::default(),
        )
        .unwrap();
        s.note = Some("satu\ndua".into());
        s.attributes.insert("kind of".into(), "an office".into());
        s.attributes.insert("ls:id".into(), "x".into());
        ann.insert_span(s).unwrap();
        let (m, sc) = (Mapping::default(), Schema::builtin());
        let mut w = Warnings::default();
        let doc = ExportDoc {
            name: "a.txt",
            text: &text,
            ann: &ann,
        };
        let mut conf = Conf::default();
        let out = write(&doc, &names(&m, &sc), &mut conf, &mut w);
        assert_eq!(
            out,
            "T3\tsource 0 6;8 13\tGedung Putih\nA1\tkind_of T3 an_office\n#1\tAnnotatorNotes T3\tsatu\n#2\tAnnotatorNotes T3\tdua\n"
        );
        assert_eq!(w.counts[&Loss::SplitAtLineBreaks], 1);
        assert_eq!(w.counts[&Loss::NamesChanged], 2);
        let rendered = conf.render();
        assert!(rendered.contains("[entities]\n\nsource\n"), "{rendered}");
        assert!(
            rendered.contains("kind_of\tArg:<ENTITY>, Value:an_office"),
            "{rendered}"
        );
    }
}
