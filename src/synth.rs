//! Deterministic synthetic articles and annotations, for benchmarks and
//! stress tests: wire-style sentences in Indonesian and English with curly
//! quotes, an emoji with a skin-tone modifier and a combining accent, and
//! spans that nest, overlap and link. The same arguments always give the
//! same text and spans.

use crate::model::{Annotations, DocumentRef, Link, LinkId, Origin, Span, SpanId, Status};
use crate::offsets::Text;

const SENTENCES: &[&str] = &[
    "Juru bicara Gedung Putih John Kirby mengatakan Korea Utara diam-diam mengirim peluru artileri ke Rusia.",
    "“Kami tidak pernah mengirim senjata ke negara mana pun,” kata seorang pejabat di Pyongyang.",
    "Officials in Kyiv said the drones were launched from the south, according to a statement on Monday.",
    "Iranian officials have denied supplying drones, calling the report “baseless” 👍🏽.",
    "Menurut laporan lembaga pemantau, pengiriman itu berlangsung sejak Agustus lalu.",
    "The ministry rejected the claim, saying José Ortiz had been misquoted by the agency.",
];

/// A deterministic pseudo-random sequence.
pub struct Lcg(pub u64);
impl Lcg {
    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// An article of about `bytes` bytes, in paragraphs of four sentences.
pub fn article(bytes: usize) -> String {
    let mut rng = Lcg(7);
    let mut s = String::with_capacity(bytes + 200);
    let mut in_para = 0;
    while s.len() < bytes {
        s.push_str(SENTENCES[(rng.next_u64() % SENTENCES.len() as u64) as usize]);
        in_para += 1;
        if in_para == 4 {
            s.push_str("\n\n");
            in_para = 0;
        } else {
            s.push(' ');
        }
    }
    s
}

/// `spans` spans spread evenly over `text` (every fifth a machine span),
/// each claim linked to the source after it.
pub fn annotate(text: &Text, spans: usize) -> Annotations {
    let mut ann = Annotations::new(DocumentRef {
        path: "article.txt".into(),
        sha256: crate::document::sha256_hex(text.as_str().as_bytes()),
        chars: text.len_chars(),
    });
    let n = text.len_chars();
    if n == 0 || spans == 0 {
        return ann;
    }
    let step = (n / spans).max(2);
    let mut rng = Lcg(11);
    let labels = ["claim", "source", "denial"];
    for i in 0..spans {
        let start = (i * step).min(n - 1);
        let len = 5 + (rng.next_u64() % 60) as usize;
        let end = (start + len).min(n);
        let id = SpanId(i as u64 + 1);
        let label = labels[i % 3];
        let origin = if i % 5 == 0 {
            Origin::Machine {
                model: "attrib-v0".into(),
                score: Some((rng.next_u64() % 100) as f64 / 100.0),
            }
        } else {
            Origin::Human {
                annotator: "ana".into(),
            }
        };
        if let Some(span) = Span::new_in(text, id, label, start..end.max(start + 1).min(n), origin)
        {
            // Ids are fresh, so this cannot fail.
            let _ = ann.insert_span(span);
        }
    }
    // Every claim (ids 1, 4, 7, …) is said by the source after it.
    for i in (0..spans.saturating_sub(1)).step_by(3) {
        let _ = ann.insert_link(Link {
            id: LinkId(i as u64 / 3 + 1),
            kind: "said_by".into(),
            from: SpanId(i as u64 + 1),
            to: SpanId(i as u64 + 2),
        });
    }
    ann
}

/// `ann` as a reviewer left it: every machine span accepted, so that every
/// span counts for agreement.
pub fn reviewed(ann: &Annotations) -> Annotations {
    let mut out = ann.clone();
    let machine: Vec<Span> = ann
        .spans()
        .filter(|s| s.origin.is_machine())
        .cloned()
        .collect();
    for mut s in machine {
        s.status = Some(Status::Accepted);
        s.reviewer = Some("ana".into());
        // The id exists, so this cannot fail.
        let _ = out.replace_span(s);
    }
    out
}

/// A second annotator's version of `ann`, for agreement: the same spans
/// tagged by `budi`, but every seventh with its end moved (a word more or
/// less), every eleventh relabelled and every thirteenth left out; links
/// go with their spans, except where a span was left out or relabelled (the
/// link would no longer fit the schema).
pub fn second_annotator(text: &Text, ann: &Annotations) -> Annotations {
    let labels = ["claim", "source", "denial"];
    let mut out = Annotations::new(ann.document.clone());
    let mut relabelled = std::collections::BTreeSet::new();
    let n = text.len_chars();
    for (i, s) in ann.spans().enumerate() {
        if i % 13 == 12 {
            continue;
        }
        let mut range = s.range();
        if i % 7 == 3 {
            range.end = if i % 2 == 0 {
                (range.end + 4).min(n)
            } else {
                range.end.saturating_sub(2).max(range.start + 1)
            };
        }
        let mut label = s.label.as_str();
        if i % 11 == 5 {
            label = labels[(labels.iter().position(|l| *l == label).unwrap_or(0) + 1) % 3];
            relabelled.insert(s.id);
        }
        let origin = Origin::Human {
            annotator: "budi".into(),
        };
        if let Some(span) = Span::new_in(text, s.id, label, range, origin) {
            // Ids come from `ann`, unique.
            let _ = out.insert_span(span);
        }
    }
    for l in ann.links() {
        if !relabelled.contains(&l.from) && !relabelled.contains(&l.to) {
            // Fails (and is left out) if a span was left out.
            let _ = out.insert_link(l.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_valid() {
        let a = article(20_000);
        assert_eq!(a, article(20_000));
        assert!(a.len() >= 20_000);
        let t = Text::new(a);
        let ann = annotate(&t, 200);
        assert_eq!(ann.span_count(), 200);
        assert!(ann.link_count() > 60);
        for s in ann.spans() {
            assert_eq!(t.slice(s.range()), Some(s.text.as_str()));
        }
        let schema = crate::schema::Schema::builtin();
        assert!(crate::check::check(&ann, &schema).is_empty());
        let b = second_annotator(&t, &ann);
        assert_eq!(b.span_count(), 200 - 200 / 13);
        assert!(crate::check::check(&b, &schema).is_empty());
        assert_eq!(reviewed(&ann).pending(), 0);
    }
}
