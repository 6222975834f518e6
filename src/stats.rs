//! Counts per label, link kind and review status, for `tandai stats`.
//!
//! Counting reads only the annotation file: it works without the article and
//! costs one parse.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::format::RawFile;
use crate::model::{Origin, Status};

/// Counts for one file or a total over several.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Files counted.
    pub files: usize,
    /// Spans in all.
    pub spans: usize,
    /// Spans per label.
    pub labels: BTreeMap<String, usize>,
    /// Links in all.
    pub links: usize,
    /// Links per kind.
    pub link_kinds: BTreeMap<String, usize>,
    /// Spans tagged by people.
    pub human: usize,
    /// Spans proposed by models.
    pub machine: usize,
    /// Machine spans per review status.
    pub statuses: BTreeMap<String, usize>,
    /// Spans marked as orphans.
    pub orphans: usize,
}

impl Counts {
    /// Counts one parsed file.
    pub fn of_file(f: &RawFile) -> Self {
        let mut c = Counts {
            files: 1,
            spans: f.spans.len(),
            links: f.links.len(),
            ..Counts::default()
        };
        for st in Status::ALL {
            c.statuses.insert(st.name().to_owned(), 0);
        }
        for s in &f.spans {
            *c.labels.entry(s.label.clone()).or_default() += 1;
            match s.origin {
                Origin::Human { .. } => c.human += 1,
                Origin::Machine { .. } => {
                    c.machine += 1;
                    let st = s.status.unwrap_or(Status::Pending);
                    *c.statuses.entry(st.name().to_owned()).or_default() += 1;
                }
            }
            if s.orphan {
                c.orphans += 1;
            }
        }
        for l in &f.links {
            *c.link_kinds.entry(l.kind.clone()).or_default() += 1;
        }
        c
    }

    /// Adds another file's counts to these.
    pub fn add(&mut self, o: &Counts) {
        self.files += o.files;
        self.spans += o.spans;
        self.links += o.links;
        self.human += o.human;
        self.machine += o.machine;
        self.orphans += o.orphans;
        for (k, v) in &o.labels {
            *self.labels.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &o.link_kinds {
            *self.link_kinds.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &o.statuses {
            *self.statuses.entry(k.clone()).or_default() += v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::parse;

    #[test]
    fn counts_add_up() {
        let f = parse(
            r#"(version: 1, document: (path: "a.txt"), spans: [
                (id: 1, label: "claim", start: 0, end: 1),
                (id: 2, label: "claim", start: 0, end: 1, origin: Machine(model: "m"), status: Accepted),
                (id: 3, label: "source", start: 0, end: 1, origin: Machine(model: "m")),
                (id: 4, label: "cue", start: 0, end: 1, orphan: true),
            ], links: [(id: 1, kind: "said_by", from: 1, to: 3)])"#,
        )
        .unwrap();
        let c = Counts::of_file(&f);
        assert_eq!(c.spans, 4);
        assert_eq!(c.labels["claim"], 2);
        assert_eq!(c.labels["cue"], 1);
        assert_eq!((c.human, c.machine, c.orphans), (2, 2, 1));
        assert_eq!(c.statuses["Accepted"], 1);
        assert_eq!(c.statuses["Pending"], 1);
        assert_eq!(c.statuses["Rejected"], 0);
        assert_eq!(c.link_kinds["said_by"], 1);
        let mut total = Counts::default();
        total.add(&c);
        total.add(&c);
        assert_eq!((total.files, total.spans, total.labels["claim"]), (2, 8, 4));
    }
}
