//! The text output of `tandai agree`: a heading, one table row per label,
//! the skipped spans and, once each, why a figure is undefined.

use tandai::agree::{Document, Figure, Prf, Report, Skipped};

use super::say;

/// Prints the study, then each document's (`--per-doc`).
pub(crate) fn print(report: &Report, documents: &[Document<'_>], each: &[Report]) {
    for line in lines(report) {
        say(&line);
    }
    for (d, r) in documents.iter().zip(each) {
        say("");
        say(&format!("{}:", d.name));
        for line in lines(r) {
            say(&format!("  {line}"));
        }
    }
}

fn number(f: &Figure) -> String {
    f.value()
        .map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
}

fn counts(v: &[usize]) -> String {
    v.iter().map(usize::to_string).collect::<Vec<_>>().join("/")
}

/// Figures that are undefined, grouped by reason in the order met.
#[derive(Default)]
struct Undefined(Vec<(String, Vec<String>)>);

impl Undefined {
    fn note(&mut self, what: &str, f: &Figure) {
        if let Some(why) = f.reason() {
            match self.0.iter_mut().find(|(w, _)| w == why) {
                Some((_, names)) => names.push(what.to_owned()),
                None => self.0.push((why.to_owned(), vec![what.to_owned()])),
            }
        }
    }

    fn prf(&mut self, what: &str, p: &Prf) {
        self.note(&format!("{what} P"), &p.p);
        self.note(&format!("{what} R"), &p.r);
        self.note(&format!("{what} F1"), &p.f1);
    }
}

/// The cells of P, R, F1.
fn prf_cells(p: &Prf) -> [String; 3] {
    [number(&p.p), number(&p.r), number(&p.f1)]
}

/// Columns padded to their widest cell: the first two left-aligned, the
/// others right-aligned.
fn grid(rows: &[Vec<String>]) -> Vec<String> {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|r| {
            let cells: Vec<String> = r
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(c, (s, &w))| {
                    if c < 2 {
                        format!("{s:<w$}")
                    } else {
                        format!("{s:>w$}")
                    }
                })
                .collect();
            cells.join("  ").trim_end().to_owned()
        })
        .collect()
}

fn heading(r: &Report) -> Vec<String> {
    let mut who = r.annotators.clone();
    if let Some(first) = who.first_mut() {
        first.push_str(" (reference)");
    }
    let docs = if r.documents == 1 {
        "1 document".to_owned()
    } else {
        format!("{} documents", r.documents)
    };
    let mut out = vec![format!(
        "annotators: {}; {docs}, {} code points",
        who.join(", "),
        r.code_points
    )];
    out.push(if r.annotators.len() == 2 {
        "kappa: Cohen's, over code points; alpha_U: Krippendorff's, as DKPro Agreement".to_owned()
    } else {
        format!(
            "kappa: Fleiss', over code points; alpha_U: Krippendorff's, as DKPro Agreement; \
             P, R, F1: means over the {} pairs",
            r.pairs.len()
        )
    });
    out
}

fn table(r: &Report, undefined: &mut Undefined) -> Vec<String> {
    let mut rows = vec![
        [
            "label",
            &format!("spans {}", r.annotators.join("/")),
            "exact P",
            "R",
            "F1",
            "overlap P",
            "R",
            "F1",
            "kappa",
            "alpha_U",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for (label, f) in &r.labels {
        let mut row = vec![label.clone(), counts(&f.spans)];
        row.extend(prf_cells(&f.exact));
        row.extend(prf_cells(&f.overlap));
        row.push(number(&f.kappa));
        row.push(number(&f.alpha_u.alpha));
        rows.push(row);
        undefined.prf(&format!("{label} exact"), &f.exact);
        undefined.prf(&format!("{label} overlap"), &f.overlap);
        undefined.note(&format!("{label} kappa"), &f.kappa);
        undefined.note(&format!("{label} alpha_U"), &f.alpha_u.alpha);
    }
    let m = &r.micro;
    let mut row = vec!["all labels".to_owned(), counts(&m.spans)];
    row.extend(prf_cells(&m.exact));
    row.extend(prf_cells(&m.overlap));
    row.extend([String::new(), number(&m.alpha_u.alpha)]);
    rows.push(row);
    undefined.prf("all labels exact", &m.exact);
    undefined.prf("all labels overlap", &m.overlap);
    undefined.note("all labels alpha_U", &m.alpha_u.alpha);
    let mut row = vec!["links".to_owned(), counts(&r.links.links)];
    row.extend(prf_cells(&r.links.all));
    rows.push(row);
    undefined.prf("links", &r.links.all);
    grid(&rows)
}

fn pairs(r: &Report) -> Vec<String> {
    if r.pairs.is_empty() {
        return Vec::new();
    }
    let mut rows = vec![
        [
            "pair (reference first)",
            "",
            "exact F1",
            "overlap F1",
            "links F1",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for p in &r.pairs {
        rows.push(vec![
            format!("{} / {}", r.annotators[p.reference], r.annotators[p.other]),
            String::new(),
            number(&p.micro.0.f1),
            number(&p.micro.1.f1),
            number(&p.links.f1),
        ]);
    }
    grid(&rows)
}

fn skipped(r: &Report) -> String {
    let one = |s: &Skipped| {
        let parts: Vec<String> = [
            (s.pending, "pending"),
            (s.rejected, "rejected"),
            (s.unplaced, "unplaced"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .chain((s.links > 0).then(|| format!("{} links", s.links)))
        .collect();
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join(", ")
        }
    };
    let each: Vec<String> = (r.annotators.iter().zip(&r.skipped))
        .map(|(n, s)| format!("{n} {}", one(s)))
        .collect();
    format!("skipped: {}", each.join("; "))
}

/// The lines of one study.
pub(crate) fn lines(r: &Report) -> Vec<String> {
    let mut undefined = Undefined::default();
    let mut out = heading(r);
    out.push(String::new());
    out.extend(table(r, &mut undefined));
    let pairs = pairs(r);
    if !pairs.is_empty() {
        out.push(String::new());
        out.extend(pairs);
    }
    out.push(String::new());
    out.push(skipped(r));
    if !undefined.0.is_empty() {
        out.push("undefined:".to_owned());
        for (why, what) in undefined.0 {
            out.push(format!("  {}: {why}", what.join(", ")));
        }
    }
    out
}
