//! The keyboard caret: a char offset in the article that arrow keys move,
//! and a text selection that Shift+movement grows from it, so a span can
//! be tagged without the mouse.
//!
//! The rule for keys that also resize spans: while a span is selected
//! (after a click, Tab or a tag), Shift+arrows move that span's edges; any
//! caret movement (arrows, Home/End, PageUp/PageDown) drops the span
//! selection, and from then on Shift+movement selects text from the caret.
//! Motions that need the laid-out text (up/down a row, a row's ends, a
//! screen) are worked out by the view and arrive here as offsets.

use std::ops::Range;

use super::Session;

/// A caret motion the core can work out from the text alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motion {
    /// One user-perceived character left.
    Left,
    /// One user-perceived character right.
    Right,
    /// To the start of the word before.
    WordLeft,
    /// To the end of the word after.
    WordRight,
    /// The start of the article.
    Start,
    /// The end of the article.
    End,
}

impl Session {
    /// The caret's char offset.
    pub fn caret(&self) -> usize {
        self.caret.min(self.doc.article.text.len_chars())
    }

    /// Where a motion takes the caret.
    pub fn caret_target(&self, motion: Motion) -> usize {
        let text = &self.doc.article.text;
        let c = self.caret();
        match motion {
            Motion::Left => text.prev_grapheme(c),
            Motion::Right => text.next_grapheme(c),
            Motion::WordLeft => text.prev_word_start(c),
            Motion::WordRight => text.next_word_end(c),
            Motion::Start => 0,
            Motion::End => text.len_chars(),
        }
    }

    /// Moves the caret to `to`. With `extend`, the text selection runs from
    /// where the caret was when extending began to `to` (widened to whole
    /// words when `snap`); without, the selection goes. Either way no span
    /// stays selected, and the view follows the caret.
    pub fn move_caret(&mut self, to: usize, extend: bool, snap: bool) {
        let mut to = to.min(self.doc.article.text.len_chars());
        if extend {
            let anchor = *self.caret_anchor.get_or_insert(self.caret());
            let raw = anchor.min(to)..anchor.max(to);
            self.selection = if raw.is_empty() {
                None
            } else if snap {
                // The caret goes to the snapped edge on its side, so the
                // next step moves on from what is shown selected.
                let snapped = self.doc.article.text.snap_to_words(raw);
                to = if to >= anchor {
                    snapped.end
                } else {
                    snapped.start
                };
                Some(snapped)
            } else {
                Some(raw)
            };
        } else {
            self.caret_anchor = None;
            self.selection = None;
        }
        self.selected = None;
        self.caret = to;
        self.request_reveal(to);
    }

    /// Moves the caret by a motion of the text.
    pub fn move_caret_by(&mut self, motion: Motion, extend: bool, snap: bool) {
        let to = self.caret_target(motion);
        self.move_caret(to, extend, snap);
    }

    /// Puts the caret somewhere without selecting (a click, a tag, a span
    /// selected): the next Shift+movement starts from here.
    pub(crate) fn place_caret(&mut self, at: usize) {
        self.caret = at.min(self.doc.article.text.len_chars());
        self.caret_anchor = None;
    }

    /// The text selection a Shift+movement would extend, if one is going.
    pub fn extending(&self) -> Option<Range<usize>> {
        self.caret_anchor.and(self.selection.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SpanId;

    const TEXT: &str = "Juru bicara 👍🏽 membantah tuduhan itu.\r\nKata dia.\n";

    fn session() -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, TEXT).unwrap();
        (dir, Session::open(&p).unwrap())
    }

    #[test]
    fn arrows_move_by_whole_characters_and_words() {
        let (_d, mut s) = session();
        assert_eq!(s.caret(), 0);
        s.move_caret_by(Motion::WordRight, false, true);
        assert_eq!(s.caret(), 4, "end of Juru");
        s.move_caret_by(Motion::WordRight, false, true);
        assert_eq!(s.caret(), 11, "end of bicara");
        s.move_caret_by(Motion::Right, false, true);
        s.move_caret_by(Motion::Right, false, true);
        assert_eq!(s.caret(), 14, "👍🏽 is one step");
        s.move_caret_by(Motion::Left, false, true);
        assert_eq!(s.caret(), 12);
        s.move_caret_by(Motion::End, false, true);
        assert_eq!(s.caret(), TEXT.chars().count());
        s.move_caret_by(Motion::Start, false, true);
        assert_eq!(s.caret(), 0);
        assert!(s.selection().is_none());
    }

    #[test]
    fn shift_movement_selects_from_the_caret_snapping_to_words_and_a_key_tags_it() {
        let (_d, mut s) = session();
        s.move_caret(12, false, true);
        s.move_caret_by(Motion::Right, false, true);
        s.move_caret_by(Motion::Right, false, true);
        assert_eq!(s.caret(), 15, "past 👍🏽 and the space: before membantah");
        // One char with Shift, snapped: the whole word.
        s.move_caret_by(Motion::Right, true, true);
        assert_eq!(s.selection(), Some(15..24));
        s.move_caret_by(Motion::WordRight, true, true);
        assert_eq!(s.selection(), Some(15..32), "membantah tuduhan");
        // Back past the anchor: the selection flips to the other side.
        s.move_caret(12, true, false);
        assert_eq!(s.selection(), Some(12..15));
        s.move_caret(32, true, true);
        s.apply_label("denial");
        let id = s.selected().unwrap();
        assert_eq!(
            s.doc().annotations.span(id).unwrap().text,
            "membantah tuduhan"
        );
        assert_eq!(s.caret(), 32, "the caret goes on after the new span");
        // A plain movement drops the span selection, so Shift+arrows then
        // select text rather than resize the span.
        s.move_caret_by(Motion::Right, false, true);
        assert!(s.selected().is_none() && s.selection().is_none());
        assert_eq!(
            s.doc().annotations.span(SpanId(id.0)).unwrap().range(),
            15..32
        );
    }

    #[test]
    fn the_view_is_asked_to_follow_the_caret() {
        let (_d, mut s) = session();
        let before = s.scroll_request();
        s.move_caret_by(Motion::End, false, true);
        let after = s.scroll_request().unwrap();
        assert_ne!(Some(after), before);
        assert_eq!(after.offset, TEXT.chars().count());
        assert!(after.reveal_only, "the caret scrolls as little as it takes");
    }
}
