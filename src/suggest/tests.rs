//! The built-in rules on short sentences of both languages: each pattern,
//! the sentence splitter, and the links.

use super::engine::{Found, run, sentences, tokens};
use super::rules::Rules;
use crate::offsets::Text;

/// (label, quote) of each suggestion.
type Spans = Vec<(&'static str, String)>;
/// (kind, from quote, to quote) of each link.
type Links = Vec<(&'static str, String, String)>;

/// The suggestions for `text` as (label, quote) and links as
/// (kind, from quote, to quote).
fn suggest(text: &str) -> (Spans, Links) {
    let t = Text::new(text.to_owned());
    let (found, links) = run(&t, &Rules::builtin());
    let q = |f: &Found| t.slice(f.range.clone()).unwrap().to_owned();
    let spans = found.iter().map(|f| (f.label, q(f))).collect();
    let links = links
        .iter()
        .map(|l| (l.kind, q(&found[l.from]), q(&found[l.to])))
        .collect();
    (spans, links)
}

#[test]
fn source_cue_that_claim_in_both_languages() {
    let (spans, links) = suggest(
        "Kepala Bea Cukai Medan, Ani Lestari, mengatakan bahwa kapal itu membawa beras selundupan.",
    );
    assert_eq!(
        spans,
        [
            ("claim", "kapal itu membawa beras selundupan".to_owned()),
            ("source", "Kepala Bea Cukai Medan, Ani Lestari".to_owned())
        ]
    );
    assert_eq!(links.len(), 1);
    let (spans, _) = suggest("The port authority said on Monday that the ship had sunk.");
    assert_eq!(
        spans,
        [
            ("claim", "the ship had sunk".to_owned()),
            ("source", "The port authority".to_owned())
        ]
    );
}

#[test]
fn quotations_with_the_speaker_after_or_before() {
    let (spans, _) = suggest("“Kami tidak akan mundur,” kata Menteri Luar Negeri kepada wartawan.");
    assert_eq!(
        spans,
        [
            ("claim", "Kami tidak akan mundur".to_owned()),
            ("source", "Menteri Luar Negeri".to_owned())
        ]
    );
    let (spans, _) = suggest("“We will not back down,” the minister said.");
    assert_eq!(spans[1], ("source", "the minister".to_owned()));
    let (spans, _) = suggest("He told reporters: “The shells came by rail.”");
    assert_eq!(
        spans,
        [
            ("claim", "The shells came by rail".to_owned()),
            ("source", "He".to_owned())
        ]
    );
}

#[test]
fn according_to_and_inverted_attribution() {
    let (spans, _) = suggest("Menurut polisi, kapal itu karam di Selat Malaka.");
    assert_eq!(
        spans,
        [
            ("claim", "kapal itu karam di Selat Malaka".to_owned()),
            ("source", "polisi".to_owned())
        ]
    );
    let (spans, _) = suggest("Harga beras akan naik bulan depan, ujar seorang pedagang.");
    assert_eq!(spans[1], ("source", "seorang pedagang".to_owned()));
    let (spans, _) = suggest("Prices will rise next month, a trader said.");
    assert_eq!(
        spans,
        [
            ("claim", "Prices will rise next month".to_owned()),
            ("source", "a trader".to_owned())
        ]
    );
}

#[test]
fn a_denial_answers_the_claim_it_shares_words_with() {
    let (spans, links) = suggest(
        "Gedung Putih menuding Korea Utara mengirim peluru artileri ke Rusia. Pyongyang membantah mengirim peluru itu.",
    );
    assert_eq!(
        spans[2],
        ("denial", "membantah mengirim peluru itu".to_owned())
    );
    assert_eq!(spans[3], ("source", "Pyongyang".to_owned()));
    assert!(links.contains(&(
        "denies",
        "membantah mengirim peluru itu".to_owned(),
        "Korea Utara mengirim peluru artileri ke Rusia".to_owned()
    )));
    let (spans, _) = suggest("Iranian officials have denied supplying drones.");
    assert_eq!(spans[1], ("source", "Iranian officials".to_owned()));
}

#[test]
fn sentences_end_at_stops_not_at_initials() {
    let toks = tokens("Kata A.S. itu benar. “Ya.” Lalu dia pergi");
    assert_eq!(sentences(&toks).len(), 3);
}

#[test]
fn a_passive_denial_names_its_source_after_the_verb() {
    let (spans, links) = suggest(
        "Valdoria menuduh Karsovia mengirim peluru ke perbatasan. Tuduhan itu langsung dibantah Karsovia, yang menyebutnya sandiwara.",
    );
    assert!(
        spans.contains(&(
            "denial",
            "Tuduhan itu langsung dibantah Karsovia".to_owned()
        )),
        "{spans:?}"
    );
    assert!(
        spans.contains(&("source", "Karsovia".to_owned())),
        "{spans:?}"
    );
    assert!(links.iter().any(|l| l.0 == "denies"), "{links:?}");
}
