//! Which entity a source span probably names, from its words: "Kirby" is
//! John Kirby, "Juru bicara Kementerian, Ani Lestari" is Ani Lestari.
//!
//! Pure functions of text, for the entity picker: words are compared whole
//! (Unicode word boundaries), ignoring case and accents. A span's word
//! counts only if it looks like part of a name: it does not start with a
//! lower-case letter ("dia", "said", "juru bicara" do not count) and is not
//! a short function word or honorific ("The", "Pak", "Dr"). Pronouns
//! therefore never suggest anything: who "dia" is, the annotator says.

use std::collections::BTreeSet;

use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation as _;

use crate::model::{Annotations, Entity, EntityId};

/// How well a span's text matches an entity's name; better matches compare
/// greater.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Match {
    /// This many words of the name appear in the span as whole words
    /// (a surname: "Kirby" for John Kirby).
    Words(usize),
    /// Every word of the name appears in the span ("Juru bicara
    /// Kementerian, Ani Lestari" for Ani Lestari).
    WholeName,
    /// The span says the name, ignoring case, accents and spacing.
    Exact,
}

/// Words that never tie a span to a name on their own: articles,
/// prepositions and honorifics (English and Indonesian), which start
/// sentences and titles with a capital.
const NOT_NAMES: &[&str] = &[
    "a", "an", "and", "at", "by", "dr", "for", "in", "miss", "mr", "mrs", "ms", "of", "on", "prof",
    "said", "says", "sir", "the", "to", "bapak", "bu", "dan", "dari", "di", "ibu", "kata", "ke",
    "menurut", "oleh", "pada", "pak", "sang", "si", "untuk", "yang",
];

/// `s` without accents, lower-cased.
fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A word without a possessive ending ("Kirby's", "Kirby’s").
fn strip_possessive(word: &str) -> &str {
    ["'s", "’s", "'S", "’S"]
        .iter()
        .find_map(|p| word.strip_suffix(p))
        .filter(|w| !w.is_empty())
        .unwrap_or(word)
}

/// The folded words of `s`, in order.
fn words(s: &str) -> Vec<String> {
    s.unicode_words()
        .map(|w| fold(strip_possessive(w)))
        .collect()
}

/// The folded words of `s` that may be part of a name.
fn name_words(s: &str) -> BTreeSet<String> {
    s.unicode_words()
        .map(strip_possessive)
        .filter(|w| !w.chars().next().is_some_and(char::is_lowercase))
        .map(fold)
        .filter(|w| w.chars().count() >= 2 && !NOT_NAMES.contains(&w.as_str()))
        .collect()
}

/// How the span text `text` matches the entity name `name`, if at all.
pub fn match_name(text: &str, name: &str) -> Option<Match> {
    let name_all = words(name);
    if name_all.is_empty() {
        return None;
    }
    let text_all = words(text);
    if text_all == name_all {
        return Some(Match::Exact);
    }
    let wanted: BTreeSet<&str> = name_all
        .iter()
        .map(String::as_str)
        .filter(|w| !NOT_NAMES.contains(w))
        .collect();
    let offered = name_words(text);
    let shared = wanted.iter().filter(|w| offered.contains(**w)).count();
    if shared == 0 {
        None
    } else if shared == wanted.len() {
        Some(Match::WholeName)
    } else {
        Some(Match::Words(shared))
    }
}

/// The entities `text` may name, best first (then by name and id).
pub fn suggest<'a>(
    text: &str,
    entities: impl IntoIterator<Item = &'a Entity>,
) -> Vec<(&'a Entity, Match)> {
    let mut out: Vec<(&Entity, Match)> = entities
        .into_iter()
        .filter_map(|e| match_name(text, &e.name).map(|m| (e, m)))
        .collect();
    out.sort_by(|(a, ma), (b, mb)| {
        mb.cmp(ma)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
    out
}

/// The one entity of the article that `text` names best, if one matches
/// better than every other ("Lestari" with both Ani and Budi Lestari in
/// the article suggests neither).
pub fn best(text: &str, ann: &Annotations) -> Option<EntityId> {
    let found = suggest(text, ann.entities());
    match found.as_slice() {
        [(e, _)] => Some(e.id),
        [(e, m), (_, next), ..] if m > next => Some(e.id),
        _ => None,
    }
}

/// The key names are grouped by across articles: folded, spacing
/// collapsed ("John  KIRBY" and "John Kirby" are one).
pub fn name_key(name: &str) -> String {
    words(name).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(id: u64, name: &str) -> Entity {
        Entity {
            id: EntityId(id),
            name: name.into(),
            role: None,
        }
    }

    macro_rules! matches_table {
        ($($text:expr, $name:expr => $want:expr;)*) => {
            $(assert_eq!(match_name($text, $name), $want, "{:?} against {:?}", $text, $name);)*
        };
    }

    #[test]
    fn whole_words_ignoring_case_and_accents() {
        matches_table! {
            "Kirby", "John Kirby" => Some(Match::Words(1));
            "KIRBY", "John Kirby" => Some(Match::Words(1));
            "Kirby's", "John Kirby" => Some(Match::Words(1));
            "john kirby", "John Kirby" => Some(Match::Exact);
            "John  Kirby", "John Kirby" => Some(Match::Exact);
            "Juru bicara Kementerian, Ani Lestari", "Ani Lestari" => Some(Match::WholeName);
            "Lestari", "Ani Lestari" => Some(Match::Words(1));
            "José Ramos-Horta", "Jose Ramos Horta" => Some(Match::Exact);
            "Ramos-Horta", "José Ramos-Horta" => Some(Match::Words(2));
            // Part of a word is not a word.
            "Kirbyson", "John Kirby" => None;
            "Kirb", "John Kirby" => None;
            // Pronouns and common words tie nothing.
            "dia", "Dia Mirza" => None;
            "he", "John Kirby" => None;
            "the spokesman", "The Spokesman Group" => None;
            "The White House", "The Pentagon" => None;
            "Pak Kirby", "John Kirby" => Some(Match::Words(1));
            "the White House", "White House" => Some(Match::WholeName);
            "", "John Kirby" => None;
            "Kirby", "" => None;
        }
    }

    #[test]
    fn suggestions_are_ranked_and_best_needs_a_clear_winner() {
        let mut ann = Annotations::default();
        for (id, name) in [(1, "Budi Lestari"), (2, "Ani Lestari"), (3, "John Kirby")] {
            ann.insert_entity(entity(id, name)).unwrap();
        }
        let got: Vec<(u64, Match)> = suggest("Ani Lestari", ann.entities())
            .into_iter()
            .map(|(e, m)| (e.id.0, m))
            .collect();
        assert_eq!(got, [(2, Match::Exact), (1, Match::Words(1))]);
        assert_eq!(best("Ani Lestari", &ann), Some(EntityId(2)));
        assert_eq!(best("Kirby", &ann), Some(EntityId(3)));
        assert_eq!(best("Lestari", &ann), None, "two Lestaris");
        assert_eq!(best("dia", &ann), None);
        assert_eq!(name_key("  John   KIRBY "), "john kirby");
    }
}
