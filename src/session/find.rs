//! The find bar's state: the query, its matches in the open article and
//! which one is current. egui-free, like the session that owns it.
//!
//! The article is folded for matching once per kind of query (case and
//! accent options), not once per key typed; matches are recomputed when the
//! pattern changes. The article view paints only the matches of the
//! paragraphs it shows, found by binary search.

use std::ops::Range;

use super::Session;
use crate::edit::Edit;
use crate::model::{Origin, Span, SpanId};
use crate::offsets::Text;
use crate::search::{Folded, MAX_MATCHES, Query};

/// Find state of one open article.
#[derive(Clone, Debug, Default)]
pub struct Find {
    /// Whether the find bar is shown.
    pub open: bool,
    /// What is searched for.
    pub query: Query,
    folded: Option<Folded>,
    searched: Option<Query>,
    matches: Vec<Range<usize>>,
    /// Index into the matches of the current one.
    pub current: Option<usize>,
}

impl Find {
    /// Opens the bar, with loose matching the first time.
    pub fn open(&mut self) {
        if !self.open && self.searched.is_none() {
            self.query.ignore_case = true;
            self.query.ignore_accents = true;
        }
        self.open = true;
    }

    /// Closes the bar; matches are no longer shown.
    pub fn close(&mut self) {
        self.open = false;
    }

    /// Matches to show (none while the bar is closed).
    pub fn matches(&self) -> &[Range<usize>] {
        if self.open { &self.matches } else { &[] }
    }

    /// Whether the match list was cut at [`MAX_MATCHES`].
    pub fn truncated(&self) -> bool {
        self.matches.len() >= MAX_MATCHES
    }

    /// The current match.
    pub fn current_match(&self) -> Option<Range<usize>> {
        self.current.and_then(|i| self.matches.get(i)).cloned()
    }

    /// Matches overlapping `range`, in order, for painting.
    pub fn matches_in(&self, range: Range<usize>) -> &[Range<usize>] {
        let m = self.matches();
        let from = m.partition_point(|r| r.end <= range.start);
        let to = m.partition_point(|r| r.start < range.end);
        m.get(from..to.max(from)).unwrap_or_default()
    }

    /// Recomputes the matches if the query changed since the last search.
    /// `near`: a char offset; the first match at or after it becomes current.
    pub fn refresh(&mut self, text: &Text, near: usize) {
        if self.searched.as_ref() == Some(&self.query) {
            return;
        }
        let folded = match self.folded.take() {
            Some(f) if f.fits(text, &self.query) => f,
            _ => Folded::new(text, &self.query),
        };
        self.matches = folded.find(text, &self.query);
        self.folded = Some(folded);
        self.searched = Some(self.query.clone());
        self.current = if self.matches.is_empty() {
            None
        } else {
            Some(
                self.matches
                    .partition_point(|r| r.start < near)
                    .min(self.matches.len() - 1),
            )
        };
    }

    /// Forgets the folded text (the article was reloaded).
    pub fn invalidate(&mut self) {
        self.folded = None;
        self.searched = None;
    }

    /// Moves to the next (or previous) match, wrapping around; returns it.
    pub fn step(&mut self, forward: bool) -> Option<Range<usize>> {
        let n = self.matches.len();
        if n == 0 {
            return None;
        }
        let i = match (self.current, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        self.current = Some(i);
        self.matches.get(i).cloned()
    }

    /// "3 / 17", "no matches" or "" (no pattern), for the bar.
    pub fn status(&self) -> String {
        if self.query.pattern.is_empty() {
            return String::new();
        }
        match (self.matches.len(), self.current) {
            (0, _) => "no matches".to_owned(),
            (n, Some(i)) if self.truncated() => format!("{} / {n}+", i + 1),
            (n, Some(i)) => format!("{} / {n}", i + 1),
            (n, None) => format!("{n} matches"),
        }
    }

    /// All matches, for "tag all".
    pub fn all(&self) -> &[Range<usize>] {
        &self.matches
    }
}

impl Session {
    /// Opens the find bar (Ctrl+F) and searches for what it holds. The
    /// first match shown is the one at or after `from` (the top of the
    /// view), unless text or a span is selected.
    pub fn open_find(&mut self, from: Option<usize>) {
        self.find_from = from;
        self.find.open();
        self.refresh_find();
    }

    /// Closes the find bar.
    pub fn close_find(&mut self) {
        self.find.close();
    }

    /// The find bar's query changed: search again and show the match
    /// nearest the view.
    pub fn set_find_query(&mut self, query: Query) {
        self.find.query = query;
        self.refresh_find();
        if let Some(r) = self.find.current_match() {
            self.request_scroll(r.start);
        }
    }

    /// Re-runs the find query if it changed.
    pub fn refresh_find(&mut self) {
        let near = self
            .selection
            .as_ref()
            .map(|r| r.start)
            .or_else(|| self.selected_span().map(|s| s.start))
            .or(self.find_from)
            .unwrap_or(self.caret);
        self.find.refresh(&self.doc.article.text, near);
    }

    /// Goes to the next (or previous) match: it becomes the text selection,
    /// so a label key tags it.
    pub fn find_step(&mut self, forward: bool) {
        self.refresh_find();
        match self.find.step(forward) {
            Some(r) => {
                self.request_scroll(r.start);
                self.selected = None;
                self.place_caret(r.end);
                self.selection = Some(r);
            }
            None => self.info("No matches"),
        }
    }

    /// Tags every match of the find query as `label`, in one undo step.
    /// Matches already tagged with that label exactly are left alone.
    pub fn tag_all_matches(&mut self, label: &str) {
        self.refresh_find();
        let ann = &self.doc.annotations;
        let text = &self.doc.article.text;
        let mut next = ann.next_span_id().0;
        let mut edits = Vec::new();
        let mut already = 0;
        for r in self.find.all() {
            let exists = ann
                .spans_overlapping(r.clone())
                .any(|s| s.range() == *r && s.label == label && !s.is_rejected());
            if exists {
                already += 1;
                continue;
            }
            let origin = Origin::Human {
                annotator: self.annotator.clone(),
            };
            if let Some(span) = Span::new_in(text, SpanId(next), label, r.clone(), origin) {
                edits.push(Edit::AddSpan(Box::new(span)));
                next += 1;
            }
        }
        let n = edits.len();
        if n == 0 {
            self.info(if already > 0 {
                format!("Every match is already tagged as {label}")
            } else {
                "No matches to tag".to_owned()
            });
            return;
        }
        if self.apply(&format!("Tag {n} matches as {label}"), edits) {
            let skipped = if already > 0 {
                format!(" ({already} already were)")
            } else {
                String::new()
            };
            self.info(format!("Tagged {n} matches as {label}{skipped}"));
        }
    }

    /// Shows a folder-search hit: selects the text, or the span whose note
    /// matched.
    pub fn go_to(&mut self, place: &crate::search::Place) {
        match place {
            crate::search::Place::Article(r) => {
                if r.end <= self.doc.article.text.len_chars() {
                    self.selected = None;
                    self.selection = Some(r.clone());
                    self.request_scroll(r.start);
                }
            }
            crate::search::Place::Note { span } => self.select(SpanId(*span)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_wrap_and_paint_only_what_is_asked() {
        let t = Text::new("Kirby said. KIRBY said again. Kírby, once more.".to_owned());
        let mut f = Find::default();
        f.open();
        f.query.pattern = "kirby".into();
        f.refresh(&t, 5);
        assert_eq!(f.all().len(), 3);
        assert_eq!(f.current, Some(1), "first match at or after the caret");
        assert_eq!(f.status(), "2 / 3");
        assert_eq!(f.step(true), Some(30..35));
        assert_eq!(f.step(true), Some(0..5));
        assert_eq!(f.step(false), Some(30..35));
        assert_eq!(f.matches_in(10..31), &[12..17, 30..35]);
        assert!(f.matches_in(18..29).is_empty());
        f.close();
        assert!(f.matches().is_empty());
    }

    #[test]
    fn an_unchanged_query_is_not_searched_again() {
        let t = Text::new("a b a".to_owned());
        let mut f = Find::default();
        f.open();
        f.query.pattern = "a".into();
        f.refresh(&t, 0);
        f.step(true);
        f.refresh(&t, 0);
        assert_eq!(f.current, Some(1), "refresh kept the position");
        f.query.ignore_case = false;
        f.refresh(&t, 0);
        assert_eq!(f.current, Some(0));
        f.query.pattern = "zz".into();
        f.refresh(&t, 0);
        assert_eq!(f.status(), "no matches");
        assert_eq!(f.step(true), None);
    }
}
