//! Writing a `.ann` file: each span's kept lines are given back as they
//! were while tandai's data still says the same, written afresh (same id,
//! same place) when it changed, and left out when what they refer to is
//! gone; new spans, attributes, notes and links get fresh ids after them.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use super::line::{Kind, Line, number, parse_line};
use super::provenance::{self, PROVENANCE_TYPE};
use super::{Conf, LINES_KEY, NOTE_TYPE, fragments};
use crate::interop::{ExportDoc, Loss, Names, Warnings, is_tool_key, no_space};
use crate::model::{Link, Span};
use crate::offsets::BratOffsets;

/// A brat line kept in a span, as found at export.
struct Kept<'a> {
    no: usize,
    raw: &'a str,
    line: Line<'a>,
    owner: u64,
}

/// A span to write, with its fragments between line breaks.
type Fragmented<'d> = (&'d Span, Vec<(Range<usize>, &'d str)>);

/// Writes one document's `.ann` text and records its types in `conf`.
pub fn write(doc: &ExportDoc, names: &Names, conf: &mut Conf, w: &mut Warnings) -> String {
    let mut spans: Vec<Fragmented> = Vec::new();
    for s in doc.spans(false, w) {
        let frags = fragments(doc.text, s.range());
        if frags.is_empty() {
            w.count(Loss::SpansWithoutTokens);
        } else {
            spans.push((s, frags));
        }
    }
    let kept_spans: Vec<&Span> = spans.iter().map(|(s, _)| *s).collect();
    crate::interop::count_entities(doc, &kept_spans, false, w);
    let (kept, runs) = kept_lines(&kept_spans);
    let brat = doc.text.brat_offsets();
    if !brat.is_identity() && !spans.is_empty() {
        w.count(Loss::CrlfCountedOnce);
    }
    let mut out = Writer::new(&kept, brat);
    for ((s, frags), run) in spans.iter().zip(&runs) {
        let tid = format!("T{}", s.id);
        out.present.insert(tid.clone());
        out.ids.note(&tid);
        out.text_line(s, frags, run, &tid, (names, conf), w);
        out.attributes(s, run, &tid, w);
        out.notes(s, run, &tid);
        out.provenance(s, run, &tid);
    }
    for l in doc.links(&kept_spans, w) {
        out.link(l, (names, conf), w);
    }
    out.unmodelled(w);
    let ann = out.finish();
    conf.add(&ann);
    ann
}

/// The brat lines kept in each span ([`LINES_KEY`]), parsed, and the run
/// of them that belongs to each span.
fn kept_lines<'a>(spans: &[&'a Span]) -> (Vec<Kept<'a>>, Vec<Range<usize>>) {
    let mut kept: Vec<Kept> = Vec::new();
    let mut runs: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for s in spans {
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
    (kept, runs)
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

/// The lines written so far, each with the line number it is sorted by
/// (its old one, or `usize::MAX` for a new line).
struct Writer<'k, 'a> {
    kept: &'k [Kept<'a>],
    /// Kept relation lines that tandai models, by id.
    relations: HashMap<&'a str, usize>,
    ids: BratIds,
    /// Kept lines already decided on.
    done: Vec<bool>,
    out: Vec<(usize, String)>,
    /// Ids of the lines written, for the lines that refer to them.
    present: HashSet<String>,
    /// brat's offsets: a `\r\n` counts once, as brat reads the text.
    brat: BratOffsets,
}

impl<'k, 'a> Writer<'k, 'a> {
    fn new(kept: &'k [Kept<'a>], brat: BratOffsets) -> Self {
        let relations = kept
            .iter()
            .enumerate()
            .filter(|(_, k)| k.line.as_link().is_some())
            .map(|(i, k)| (k.line.id, i))
            .collect();
        let mut ids = BratIds::default();
        for k in kept {
            ids.note(k.line.id);
        }
        Self {
            kept,
            relations,
            ids,
            done: vec![false; kept.len()],
            out: Vec::new(),
            present: HashSet::new(),
            brat,
        }
    }

    /// A span's `T` line: the kept one if the span's range and label are
    /// unchanged, else a new one in its place (its type spelt as the source
    /// `annotation.conf` spells it, if there is one).
    fn text_line(
        &mut self,
        s: &Span,
        frags: &[(Range<usize>, &str)],
        run: &Range<usize>,
        tid: &str,
        (names, conf): (&Names, &Conf),
        w: &mut Warnings,
    ) {
        let kept = self.kept;
        let ty = conf.spelling(no_space(names.out_label(&s.label), w));
        let stored = run
            .clone()
            .find(|&i| kept[i].line.id == tid && matches!(kept[i].line.kind, Kind::Text { .. }));
        let mut at = usize::MAX;
        if let Some(i) = stored {
            self.done[i] = true;
            at = kept[i].no;
            if let Kind::Text {
                ty: old,
                frags: old_frags,
                ..
            } = &kept[i].line.kind
            {
                // Kept lines hold brat's offsets.
                let same_range = old_frags.first().map(|f| f.start)
                    == Some(self.brat.to_brat(s.start))
                    && old_frags.last().map(|f| f.end) == Some(self.brat.to_brat(s.end));
                if same_range && names.same_label(old, &s.label) {
                    self.out.push((at, kept[i].raw.to_owned()));
                    return;
                } else if old_frags.len() > 1 {
                    w.count(Loss::BratFragmentsLost);
                }
            }
        }
        let whole = frags.first().map(|f| f.0.start) == Some(s.start)
            && frags.last().map(|f| f.0.end) == Some(s.end);
        if frags.len() > 1 || !whole {
            w.count(Loss::SplitAtLineBreaks);
        }
        let offs: Vec<String> = frags
            .iter()
            .map(|(r, _)| {
                let b = &self.brat;
                format!("{} {}", b.to_brat(r.start), b.to_brat(r.end))
            })
            .collect();
        let texts: Vec<&str> = frags.iter().map(|(_, t)| *t).collect();
        self.out.push((
            at,
            format!("{tid}\t{ty} {}\t{}", offs.join(";"), texts.join(" ")),
        ));
    }

    /// A span's attributes: kept lines for values unchanged, rewritten
    /// lines for changed ones, new lines for new attributes.
    fn attributes(&mut self, s: &Span, run: &Range<usize>, tid: &str, w: &mut Warnings) {
        let kept = self.kept;
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
            self.done[i] = true;
            if written.contains(name) {
                // A second line of one attribute: tandai kept only the first.
                self.present.insert(k.line.id.to_owned());
                self.out.push((k.no, k.raw.to_owned()));
                continue;
            }
            written.insert(name);
            let Some(now) = s.attributes.get(*name) else {
                continue;
            };
            self.present.insert(k.line.id.to_owned());
            if now == value.unwrap_or_default() {
                self.out.push((k.no, k.raw.to_owned()));
            } else {
                self.out
                    .push((k.no, attr_line(k.line.id, name, tid, now, w)));
            }
        }
        for (name, value) in &s.attributes {
            if is_tool_key(name) || written.contains(name.as_str()) {
                continue;
            }
            let id = self.ids.fresh('A');
            self.out
                .push((usize::MAX, attr_line(&id, name, tid, value, w)));
        }
    }

    /// A span's note, one `#` line per line of it.
    fn notes(&mut self, s: &Span, run: &Range<usize>, tid: &str) {
        let kept = self.kept;
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
            self.done[i] = true;
            let Some(line) = next.next() else {
                continue;
            };
            self.present.insert(k.line.id.to_owned());
            if line == text {
                self.out.push((k.no, k.raw.to_owned()));
            } else {
                self.out
                    .push((k.no, format!("{}\t{NOTE_TYPE} {tid}\t{line}", k.line.id)));
            }
        }
        for line in next {
            let id = self.ids.fresh('#');
            self.out
                .push((usize::MAX, format!("{id}\t{NOTE_TYPE} {tid}\t{line}")));
        }
    }

    /// A span's provenance note ([`provenance`]): the kept one if it still
    /// says the same, rewritten in its place if not, a new one if there was
    /// none; left out when the span has nothing to carry.
    fn provenance(&mut self, s: &Span, run: &Range<usize>, tid: &str) {
        let kept = self.kept;
        let mut now = provenance::note_of(s);
        for i in run.clone() {
            let k = &kept[i];
            let Kind::Note { ty, target, text } = &k.line.kind else {
                continue;
            };
            if *target != tid || *ty != PROVENANCE_TYPE {
                continue;
            }
            self.done[i] = true;
            let Some(note) = now.take() else {
                continue;
            };
            self.present.insert(k.line.id.to_owned());
            if note == *text {
                self.out.push((k.no, k.raw.to_owned()));
            } else {
                let line = format!("{}\t{PROVENANCE_TYPE} {tid}\t{note}", k.line.id);
                self.out.push((k.no, line));
            }
        }
        if let Some(note) = now {
            let id = self.ids.fresh('#');
            self.out
                .push((usize::MAX, format!("{id}\t{PROVENANCE_TYPE} {tid}\t{note}")));
        }
    }

    /// A link's `R` line: the kept one if unchanged, else a new one (in the
    /// kept one's place, or with a fresh id if its id is taken).
    fn link(&mut self, l: &Link, (names, conf): (&Names, &Conf), w: &mut Warnings) {
        let kept = self.kept;
        let rid = format!("R{}", l.id);
        let stored = self.relations.get(rid.as_str()).copied();
        let mut no = usize::MAX;
        let mut id = rid.clone();
        if let Some(i) = stored {
            self.done[i] = true;
            no = kept[i].no;
            if let Some((_, ty, from, to)) = kept[i].line.as_link()
                && from == l.from.0
                && to == l.to.0
                && names.same_kind(ty, &l.kind)
            {
                self.present.insert(rid);
                self.out.push((no, kept[i].raw.to_owned()));
                return;
            }
        } else if self.ids.used.contains(&rid) {
            id = self.ids.fresh('R');
        }
        self.ids.note(&id);
        let ty = conf.spelling(no_space(names.out_kind(&l.kind), w));
        self.out
            .push((no, format!("{id}\t{ty} Arg1:T{} Arg2:T{}\t", l.from, l.to)));
        self.present.insert(id);
    }

    /// What tandai does not model: written while what it names is there
    /// (repeatedly, as one such line may name another).
    fn unmodelled(&mut self, w: &mut Warnings) {
        let kept = self.kept;
        let mut rest: Vec<usize> = (0..kept.len())
            .filter(|&i| !self.done[i] && !is_modelled(&kept[i]))
            .collect();
        loop {
            let before = rest.len();
            rest.retain(|&i| {
                let k = &kept[i];
                if k.line.refs().iter().all(|r| self.present.contains(*r)) {
                    if k.line.id != "*" {
                        self.present.insert(k.line.id.to_owned());
                    }
                    self.out.push((k.no, k.raw.to_owned()));
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
    }

    /// Kept lines in their old order, new ones after them.
    fn finish(mut self) -> String {
        self.out.sort_by_key(|(no, _)| *no);
        let mut ann = String::new();
        for (_, line) in &self.out {
            ann.push_str(line);
            ann.push('\n');
        }
        ann
    }
}

/// Whether a kept line is one tandai models (its span, link, attribute or
/// note decides whether it is written).
fn is_modelled(k: &Kept) -> bool {
    let tid = format!("T{}", k.owner);
    match &k.line.kind {
        Kind::Text { .. } => k.line.id == tid,
        Kind::Rel { .. } => k.line.as_link().is_some(),
        Kind::Attr { target, .. } => *target == tid,
        Kind::Note { ty, target, .. } => {
            *target == tid && (*ty == NOTE_TYPE || *ty == PROVENANCE_TYPE)
        }
        _ => false,
    }
}
