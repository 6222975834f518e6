//! Deterministic synthetic articles and annotations, for benchmarks and
//! stress tests: wire-style sentences in Indonesian and English with curly
//! quotes, an emoji with a skin-tone modifier and a combining accent, and
//! spans that nest, overlap and link. The same arguments always give the
//! same text and spans.

use crate::model::{Annotations, DocumentRef, Link, LinkId, Origin, Span, SpanId};
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
    }
}
