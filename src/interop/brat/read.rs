//! Reading a `.ann` file: text-bound lines become spans, the lines that
//! hang on them are attached to them (and kept verbatim in [`LINES_KEY`]).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;

use super::line::{Kind, Line, number, parse_line};
use super::provenance::{self, PROVENANCE_TYPE};
use super::{LINES_KEY, NOTE_TYPE};
use crate::check::excerpt;
use crate::format::{RawLink, RawSpan};
use crate::interop::{Loss, Names, ProblemKind, Warnings, locate, raw_link, raw_span};
use crate::offsets::Text;

/// A parsed line with its 1-based number and its text.
type Parsed<'a> = (usize, &'a str, Line<'a>);

/// Reads a `.ann` file against its article: spans (with their brat lines in
/// [`LINES_KEY`]) and links. Malformed lines are reported with their line
/// number and left out; the rest converts.
pub fn read(
    ann: &str,
    text: &Text,
    names: &Names,
    w: &mut Warnings,
) -> (Vec<RawSpan>, Vec<RawLink>) {
    let mut parsed = parse_all(ann, w);
    to_char_offsets(&mut parsed, text, w);
    // Text-bound annotations first: everything else hangs on them.
    let (mut spans, mut anchor) = text_spans(&parsed, text, names, w);
    anchor_events_and_relations(&parsed, &mut anchor);
    let links = attach(&parsed, &anchor, &mut spans, names, w);
    (spans, links)
}

/// On an article with `\r\n` line breaks, turns brat's offsets into
/// tandai's. brat itself counts each `\r\n` once (it reads texts with
/// universal newlines); tandai before it learnt that, and some scripts,
/// counted every `\r`. The quotes (brat's third column) tell which
/// convention the file uses: the one under which more quotes match, brat's
/// own on a tie. Which one was used is counted, so the report says so.
fn to_char_offsets(parsed: &mut [Parsed<'_>], text: &Text, w: &mut Warnings) {
    let brat = text.brat_offsets();
    if brat.is_identity() {
        return;
    }
    let (mut as_brat, mut as_chars) = (0, 0);
    for (_, _, line) in parsed.iter() {
        if let Kind::Text { frags, text: q, .. } = &line.kind
            && let [f] = frags.as_slice()
        {
            let at = |r: Range<usize>| text.slice(r) == Some(*q);
            as_chars += usize::from(at(f.clone()));
            as_brat += usize::from(at(brat.from_brat(f.start)..brat.from_brat(f.end)));
        }
    }
    if as_chars > as_brat {
        w.count(Loss::CrlfCountedTwice);
        return;
    }
    w.count(Loss::CrlfCountedOnce);
    for (_, _, line) in parsed.iter_mut() {
        if let Kind::Text { frags, .. } = &mut line.kind {
            for f in frags.iter_mut() {
                *f = brat.from_brat(f.start)..brat.from_brat(f.end);
            }
        }
    }
}

/// The lines that parse; the others are reported.
fn parse_all<'a>(ann: &'a str, w: &mut Warnings) -> Vec<Parsed<'a>> {
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
    parsed
}

/// The spans of the text-bound lines, and which span each such line's id
/// stands for.
fn text_spans<'a>(
    parsed: &[Parsed<'a>],
    text: &Text,
    names: &Names,
    w: &mut Warnings,
) -> (Vec<RawSpan>, HashMap<&'a str, usize>) {
    let mut spans: Vec<RawSpan> = Vec::new();
    let mut index: HashSet<u64> = HashSet::new();
    let mut anchor: HashMap<&str, usize> = HashMap::new();
    for (no, raw, line) in parsed {
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
        if index.contains(&id) {
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
        let mut span = raw_span(id, names.label(ty), range, quote, names.human(None));
        span.attributes.insert(LINES_KEY.to_owned(), String::new());
        index.insert(id);
        anchor.insert(line.id, spans.len());
        spans.push(span);
    }
    (spans, anchor)
}

/// Events hang on their trigger, relations on their first argument that
/// is a span.
fn anchor_events_and_relations<'a>(parsed: &[Parsed<'a>], anchor: &mut HashMap<&'a str, usize>) {
    for (_, _, line) in parsed {
        if let Kind::Event { trigger, .. } = &line.kind
            && let Some(&at) = anchor.get(trigger)
        {
            anchor.insert(line.id, at);
        }
    }
    for (_, _, line) in parsed {
        if let Kind::Rel { args, .. } = &line.kind
            && let Some(&at) = args.iter().find_map(|a| anchor.get(a.1))
        {
            anchor.insert(line.id, at);
        }
    }
}

/// Gives each line to the span it belongs to: links, attributes and notes
/// tandai models are taken over, the rest counted as losses; every line
/// is kept verbatim in its span's [`LINES_KEY`]. Returns the links.
fn attach(
    parsed: &[Parsed<'_>],
    anchor: &HashMap<&str, usize>,
    spans: &mut [RawSpan],
    names: &Names,
    w: &mut Warnings,
) -> Vec<RawLink> {
    let mut links = Vec::new();
    let mut link_ids = HashSet::new();
    for (no, raw, line) in parsed {
        let Some(at) = owner(line, anchor, *no, raw, w) else {
            continue;
        };
        let span = &mut spans[at];
        match &line.kind {
            Kind::Text { .. } => {}
            Kind::Rel { .. } => match line.as_link() {
                Some((id, ty, from, to)) if link_ids.insert(id) => {
                    links.push(raw_link(id, names.kind(ty), from, to));
                }
                _ => w.count(Loss::BratOtherRelations),
            },
            Kind::Event { .. } => w.count(Loss::BratEvents),
            Kind::Norm { .. } => w.count(Loss::BratNormalizations),
            Kind::Equiv { .. } => w.count(Loss::BratEquivalences),
            Kind::Attr { .. } | Kind::Note { .. } => {
                if !take_on_span(span, &line.kind) {
                    w.count(Loss::BratOtherAttributes);
                }
            }
        }
        if let Some(kept) = span.attributes.get_mut(LINES_KEY) {
            if !kept.is_empty() {
                kept.push('\n');
            }
            let _ = write!(kept, "{no}\t{raw}");
        }
    }
    links
}

/// The span a line belongs to, or `None` (reported unless it is a text
/// line left out already) if something it refers to is missing.
fn owner(
    line: &Line<'_>,
    anchor: &HashMap<&str, usize>,
    no: usize,
    raw: &str,
    w: &mut Warnings,
) -> Option<usize> {
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
    if at.is_none() && !matches!(line.kind, Kind::Text { .. }) {
        w.problem(
            ProblemKind::Malformed,
            Some(no),
            format!(
                "refers to {}, which is not defined or was left out; line left out: {}",
                missing.join(", "),
                excerpt(raw)
            ),
        );
    }
    at
}

/// Takes an attribute, an `AnnotatorNotes` note or tandai's provenance
/// note that is on `span` itself into it; `false` if tandai has no place for it (on an event or a
/// relation, a second value of one attribute, another kind of note).
fn take_on_span(span: &mut RawSpan, kind: &Kind<'_>) -> bool {
    let tid = format!("T{}", span.id);
    match kind {
        Kind::Attr {
            name,
            target,
            value,
        } if *target == tid && !span.attributes.contains_key(*name) => {
            span.attributes
                .insert((*name).to_owned(), value.unwrap_or_default().to_owned());
            true
        }
        Kind::Note { ty, target, text } if *target == tid && *ty == NOTE_TYPE => {
            let note = span.note.get_or_insert_with(String::new);
            if !note.is_empty() {
                note.push('\n');
            }
            note.push_str(text);
            true
        }
        Kind::Note { ty, target, text } if *target == tid && *ty == PROVENANCE_TYPE => {
            provenance::apply(span, text)
        }
        _ => false,
    }
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
