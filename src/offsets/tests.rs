//! Tests of [`super`].
use super::words::WORD_WINDOW;
use super::*;
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

/// Curly quotes, an emoji with a skin-tone modifier, a combining accent,
/// CRLF and a BOM: every kind of character that has shifted offsets in
/// other tools.
const TORTURE: &str =
    "\u{feff}“Kami membantah,” kata Jose\u{301} 👍🏽.\r\nGedung Putih—AS 🇮🇩 menuding.\r\n";

fn naive_byte(s: &str, c: usize) -> Option<usize> {
    if c == s.chars().count() {
        return Some(s.len());
    }
    s.char_indices().nth(c).map(|(b, _)| b)
}

fn naive_utf16(s: &str, c: usize) -> usize {
    s.chars().take(c).map(char::len_utf16).sum()
}

#[test]
fn torture_offsets_match_python_str_indexing() {
    let t = Text::new(TORTURE.to_owned());
    // Python: len("\ufeff“Kami ...") counts code points exactly like this.
    assert_eq!(t.len_chars(), TORTURE.chars().count());
    assert_eq!(t.slice(0..1), Some("\u{feff}"));
    assert_eq!(t.slice(1..2), Some("“"));
    // "👍🏽" is two code points, four UTF-16 units.
    let thumbs = TORTURE.chars().position(|c| c == '👍').unwrap();
    assert_eq!(t.slice(thumbs..thumbs + 2), Some("👍🏽"));
    assert_eq!(
        t.utf16_of_char(thumbs + 2).unwrap() - t.utf16_of_char(thumbs).unwrap(),
        4
    );
    // The combining acute is its own code point.
    let e = TORTURE.find("Jose").unwrap();
    let c = t.char_of_byte(e).unwrap();
    assert_eq!(t.slice(c..c + 5), Some("Jose\u{301}"));
    // CR counts.
    let cr = TORTURE.chars().position(|c| c == '\r').unwrap();
    assert_eq!(t.slice(cr..cr + 2), Some("\r\n"));
}

#[test]
fn out_of_range_and_inside_characters_are_none() {
    let t = Text::new(TORTURE.to_owned());
    assert_eq!(t.byte_of_char(t.len_chars() + 1), None);
    assert_eq!(t.char_of_byte(1), None, "inside the BOM");
    #[allow(clippy::reversed_empty_ranges)]
    let backwards = 3..2;
    assert_eq!(t.slice(backwards), None);
    let thumbs = TORTURE.chars().position(|c| c == '👍').unwrap();
    let u = t.utf16_of_char(thumbs).unwrap();
    assert_eq!(t.char_of_utf16(u + 1), None, "between surrogates");
    assert_eq!(t.char_of_utf16(u), Some(thumbs));
}

#[test]
fn units_convert_both_ways_and_word_edges_are_found() {
    // "👍🏽" is two code points and four UTF-16 units.
    let t = Text::new("Ya 👍🏽 kata Ani.".to_owned());
    assert_eq!(t.to_units(6, Units::Utf16), Some(8));
    assert_eq!(t.from_units(8, Units::Utf16), Some(6));
    assert_eq!(t.from_units(4, Units::Utf16), None, "inside the pair");
    assert_eq!(t.to_units(6, Units::CodePoints), Some(6));
    assert_eq!(t.from_units(99, Units::CodePoints), None);
    let edges: Vec<usize> = (0..=t.len_chars()).filter(|&c| t.at_word_edge(c)).collect();
    // Inside "Ya", "kata" and "Ani" are the only places that are not edges.
    assert_eq!(edges, [0, 2, 3, 4, 5, 6, 10, 11, 14, 15]);
    assert!(!t.at_word_edge(99));
}

#[test]
fn context_stops_at_line_breaks() {
    let t = Text::new("first line\r\nGedung Putih menuding Korea Utara".to_owned());
    let start = 12;
    assert_eq!(t.slice(start..start + 12), Some("Gedung Putih"));
    assert_eq!(t.context_before(start), "");
    assert_eq!(t.context_after(start + 12), " menuding Korea Utar");
    assert_eq!(t.context_before(5), "first");
    assert_eq!(t.context_after(5), " line");
}

#[test]
fn snapping_widens_to_words_and_drops_edge_space() {
    let text = "Juru bicara Gedung Putih, John Kirby, menuding “Korea Utara” diam-diam.";
    let t = Text::new(text.to_owned());
    let pos = |s: &str| t.char_of_byte(text.find(s).unwrap()).unwrap();
    // From the middle of "Gedung" to the middle of "Putih".
    let r = t.snap_to_words(pos("dung")..pos("tih"));
    assert_eq!(t.slice(r), Some("Gedung Putih"));
    // Leading and trailing spaces go.
    let r = t.snap_to_words(pos(" John")..pos(", menuding"));
    assert_eq!(t.slice(r), Some("John Kirby"));
    // Punctuation that was selected stays.
    let r = t.snap_to_words(pos("“Korea")..pos("a”") + 1);
    assert_eq!(t.slice(r), Some("“Korea Utara"));
    // Blank selections are left alone.
    let r = pos(" John")..pos(" John") + 1;
    assert_eq!(t.snap_to_words(r.clone()), r);
}

#[test]
fn word_steps() {
    let text = "Gedung Putih menuding Korea";
    let t = Text::new(text.to_owned());
    assert_eq!(t.next_word_end(12), 21); // "Putih|" -> "menuding|"
    assert_eq!(t.next_word_end(10), 12);
    assert_eq!(t.prev_word_end(21), 12);
    assert_eq!(t.prev_word_end(3), 0);
    assert_eq!(t.prev_word_start(13), 7);
    assert_eq!(t.next_word_start(7), 13);
    assert_eq!(t.next_word_start(22), 27);
    assert_eq!(t.next_word_end(27), 27);
    assert_eq!(
        Text::new("“Kami” membantah".to_owned()).words(),
        ["“", "Kami", "”", "membantah"]
    );
}

#[test]
fn word_steps_cross_long_runs_without_words() {
    let text = format!("alpha{}omega", " ".repeat(3 * WORD_WINDOW));
    let t = Text::new(text.clone());
    assert_eq!(t.next_word_end(5), t.len_chars());
    assert_eq!(t.prev_word_end(t.len_chars() - 5), 5);
    assert_eq!(t.next_word_start(1), t.len_chars() - 5);
    assert_eq!(t.prev_word_start(t.len_chars() - 5), 0);
}

#[test]
fn line_col_for_messages() {
    let t = Text::new("ab\ncd😀e".to_owned());
    assert_eq!(t.line_col(0), (1, 1));
    assert_eq!(t.line_col(3), (2, 1));
    assert_eq!(t.line_col(6), (2, 4));
}

/// Char offsets of every grapheme boundary, by a scan of the whole text.
fn naive_grapheme_stops(s: &str) -> Vec<usize> {
    let mut stops = vec![0];
    let mut c = 0;
    for g in s.graphemes(true) {
        c += g.chars().count();
        stops.push(c);
    }
    stops
}

#[test]
fn brat_offsets_count_crlf_once_as_universal_newlines_read_it() {
    let t = Text::new(TORTURE.to_owned());
    let b = t.brat_offsets();
    assert!(!b.is_identity());
    // What brat's Python reads: universal newlines turn CRLF into LF.
    let brat_text: String = TORTURE.replace("\r\n", "\n");
    let chars: Vec<char> = TORTURE.chars().collect();
    for c in 0..=chars.len() {
        let inside_pair = c > 0 && chars[c - 1] == '\r' && chars.get(c) == Some(&'\n');
        if inside_pair {
            continue;
        }
        let bo = b.to_brat(c);
        assert_eq!(b.from_brat(bo), c, "round trip at {c}");
        let before: String = chars[..c].iter().collect();
        assert_eq!(bo, before.replace("\r\n", "\n").chars().count(), "at {c}");
    }
    assert_eq!(b.to_brat(chars.len()), brat_text.chars().count());
    let plain = Text::new("no line breaks here".to_owned()).brat_offsets();
    assert!(plain.is_identity());
    assert_eq!((plain.to_brat(7), plain.from_brat(7)), (7, 7));
}

#[test]
fn the_caret_steps_over_whole_characters() {
    let t = Text::new(TORTURE.to_owned());
    let stops = naive_grapheme_stops(TORTURE);
    let mut c = 0;
    let mut seen = vec![0];
    while c < t.len_chars() {
        c = t.next_grapheme(c);
        seen.push(c);
    }
    assert_eq!(seen, stops, "👍🏽, e + accent, 🇮🇩 and CRLF are one step each");
    let mut back = vec![c];
    while c > 0 {
        c = t.prev_grapheme(c);
        back.push(c);
    }
    back.reverse();
    assert_eq!(back, stops);
    assert_eq!(t.next_grapheme(t.len_chars()), t.len_chars());
    assert_eq!(t.prev_grapheme(0), 0);
}

proptest! {
    #[test]
    fn grapheme_steps_agree_with_a_naive_scan(s in torture_text(0..200)) {
        let t = Text::new(s.clone());
        let stops = naive_grapheme_stops(&s);
        for w in stops.windows(2) {
            prop_assert_eq!(t.next_grapheme(w[0]), w[1]);
            prop_assert_eq!(t.prev_grapheme(w[1]), w[0]);
        }
    }

    #[test]
    fn conversions_agree_with_a_naive_scan(s in torture_text(0..400), pick in 0usize..2000) {
        let t = Text::new(s.clone());
        let n = s.chars().count();
        prop_assert_eq!(t.len_chars(), n);
        prop_assert_eq!(t.len_utf16(), s.encode_utf16().count());
        let c = if n == 0 { 0 } else { pick % (n + 1) };
        let b = naive_byte(&s, c).unwrap();
        prop_assert_eq!(t.byte_of_char(c), Some(b));
        prop_assert_eq!(t.char_of_byte(b), Some(c));
        let u = naive_utf16(&s, c);
        prop_assert_eq!(t.utf16_of_char(c), Some(u));
        prop_assert_eq!(t.char_of_utf16(u), Some(c));
        prop_assert_eq!(t.byte_of_char(n + 1), None);
    }

    #[test]
    fn slices_agree_with_a_naive_slice(s in torture_text(0..400), a in 0usize..2000, len in 0usize..200) {
        let t = Text::new(s.clone());
        let n = s.chars().count();
        let start = if n == 0 { 0 } else { a % (n + 1) };
        let end = (start + len).min(n);
        let naive: String = s.chars().skip(start).take(end - start).collect();
        prop_assert_eq!(t.slice(start..end), Some(naive.as_str()));
    }

    #[test]
    fn quote_with_context_is_the_three_calls(s in torture_text(0..400), a in 0usize..2000, len in 0usize..60) {
        let t = Text::new(s.clone());
        let n = s.chars().count();
        let start = if n == 0 { 0 } else { a % (n + 1) };
        let end = (start + len).min(n);
        let (quote, before, after) = t.quote_with_context(start..end).unwrap();
        prop_assert_eq!(Some(quote), t.slice(start..end));
        prop_assert_eq!(before, t.context_before(start));
        prop_assert_eq!(after, t.context_after(end));
        prop_assert_eq!(t.quote_with_context(start..n + 1), None);
    }

    #[test]
    fn snapping_stays_in_range_and_covers_the_selection(s in torture_text(0..400), a in 0usize..2000, len in 1usize..50) {
        let t = Text::new(s.clone());
        let n = s.chars().count();
        prop_assume!(n > 0);
        let start = a % n;
        let end = (start + len).min(n);
        let r = t.snap_to_words(start..end);
        prop_assert!(r.start <= r.end && r.end <= n);
        if !t.is_blank(start..end) {
            prop_assert!(r.start < r.end);
            // Whatever non-space was selected is still inside.
            let first = (start..end).find(|&c| !t.is_blank(c..c + 1)).unwrap();
            let last = (start..end).rev().find(|&c| !t.is_blank(c..c + 1)).unwrap();
            prop_assert!(r.start <= first && last < r.end);
        }
    }
}
