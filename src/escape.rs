//! Text from files made safe to print on a terminal.
//!
//! Labels, model names, ids, quotes and paths come from files anyone may
//! have written. Printed raw, an ESC sequence in a label could set the
//! terminal's title or clear the screen, a newline would break the
//! one-line-per-message rule, and U+202E would show the rest of the line
//! backwards. Every human-readable line the command line prints goes
//! through [`line()`]: control characters and bidirectional formatting
//! characters become visible escapes (`\u{1b}`), and a line too long to read
//! is shortened in the middle, saying how much was left out. [`value`]
//! shortens one value inside a message. JSON output is left to
//! `serde_json`, which escapes control characters itself and is read by
//! programs, not people.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Longest line [`line()`] prints whole, in characters.
pub const MAX_LINE_CHARS: usize = 2_000;

/// Longest value [`value`] keeps whole, in characters.
pub const MAX_VALUE_CHARS: usize = 80;

/// Whether `c` must not reach a terminal as it is: C0 and C1 controls
/// (ESC, BEL, CR, LF, ...), DEL, the bidirectional embedding, override and
/// isolate characters, the marks that reorder text, and the Unicode line and
/// paragraph separators.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// `s` with every [`is_unsafe`] character written as a visible escape
/// (`\n`, `\t`, `\r`, else `\u{…}` in hex); borrowed when there is none.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `s` cut to its first and last `keep / 2` characters around a note of how
/// many were left out, if it has more than `keep` characters.
pub fn shorten(s: &str, keep: usize) -> Cow<'_, str> {
    let total = s.chars().count();
    if total <= keep {
        return Cow::Borrowed(s);
    }
    let head = keep.div_ceil(2);
    let tail = keep / 2;
    let cut_from = s.char_indices().nth(head).map_or(s.len(), |(i, _)| i);
    let cut_to = s
        .char_indices()
        .nth(total - tail)
        .map_or(s.len(), |(i, _)| i);
    Cow::Owned(format!(
        "{}[… {} characters left out …]{}",
        &s[..cut_from],
        total - head - tail,
        &s[cut_to..]
    ))
}

/// A value from a file, as it goes into a message: shortened to
/// [`MAX_VALUE_CHARS`] and made [`visible`].
pub fn value(s: &str) -> String {
    visible(&shorten(s, MAX_VALUE_CHARS)).into_owned()
}

/// A whole line for a terminal: shortened to [`MAX_LINE_CHARS`] and made
/// [`visible`], so it stays one harmless line whatever it holds.
pub fn line(s: &str) -> String {
    visible(&shorten(s, MAX_LINE_CHARS)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! visible_cases {
        ($($name:ident: $input:expr => $want:expr;)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(visible($input), $want);
            }
        )*};
    }

    visible_cases! {
        plain_text_is_borrowed_unchanged: "Gedung Putih — “kata dia”" => "Gedung Putih — “kata dia”";
        escape_sequences_are_shown: "\u{1b}]0;pwned\u{7}title" => "\\u{1b}]0;pwned\\u{7}title";
        clear_screen_is_shown: "a\u{1b}[2Jb" => "a\\u{1b}[2Jb";
        line_breaks_and_tabs_are_shown: "one\ntwo\r\tthree" => "one\\ntwo\\r\\tthree";
        bidi_override_is_shown: "abc\u{202e}fed" => "abc\\u{202e}fed";
        isolates_and_marks_are_shown: "\u{2066}x\u{2069}\u{200f}" => "\\u{2066}x\\u{2069}\\u{200f}";
        c1_controls_and_del_are_shown: "\u{9b}31m\u{7f}" => "\\u{9b}31m\\u{7f}";
        separators_are_shown: "a\u{2028}b\u{2029}" => "a\\u{2028}b\\u{2029}";
        nul_is_shown: "a\0b" => "a\\u{0}b";
    }

    #[test]
    fn short_values_are_kept_and_long_ones_cut_in_the_middle() {
        assert!(matches!(shorten("abc", 3), Cow::Borrowed("abc")));
        assert_eq!(shorten("abcdefgh", 4), "ab[… 4 characters left out …]gh");
        assert_eq!(shorten("abcdefgh", 5), "abc[… 3 characters left out …]gh");
        let long = "é".repeat(1_000_000);
        let v = value(&long);
        assert!(v.chars().count() < MAX_VALUE_CHARS + 40, "{}", v.len());
        assert!(v.contains("999920 characters left out"), "{v}");
    }

    #[test]
    fn a_line_is_one_short_harmless_line_whatever_it_holds() {
        let hostile = format!("f.ron: label \u{1b}[2J{}\n\u{202e}", "x".repeat(65_536));
        let l = line(&hostile);
        assert!(!l.chars().any(is_unsafe), "{l}");
        assert!(l.chars().count() < MAX_LINE_CHARS + 60);
        assert!(l.starts_with("f.ron: label \\u{1b}[2J"));
        assert!(l.ends_with("\\n\\u{202e}"), "{l}");
    }
}
