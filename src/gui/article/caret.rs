//! The caret in the laid-out article: motions that need rows (up and down
//! a row, a row's ends, a screen up or down), where the caret is drawn,
//! and how far to scroll to keep it in view. Each motion lays out at most
//! the one or two paragraphs it lands in, so its cost does not depend on
//! the article's length.

use egui::text::CCursor;
use egui::{Context, Painter, Pos2, Stroke, Vec2};

use super::ArticleView;
use crate::offsets::Text;

/// A caret motion over the laid-out rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowMotion {
    /// One row up, keeping the horizontal position.
    Up,
    /// One row down.
    Down,
    /// The start of the row.
    RowStart,
    /// The end of the row.
    RowEnd,
    /// One screen up.
    PageUp,
    /// One screen down.
    PageDown,
}

impl ArticleView {
    /// Where a row motion takes a caret at `caret`.
    pub fn row_target(&mut self, ctx: &Context, text: &Text, caret: usize, m: RowMotion) -> usize {
        if self.paragraphs.is_empty() {
            return 0;
        }
        let p = self.paragraphs.of_char(caret);
        let start = self.paragraphs.chars[p].start;
        let galley = self.laid_out(ctx, text, p);
        let here = self.ccursor(caret, caret.saturating_sub(start));
        let x = match self.sticky_x {
            Some((at, x)) if at == caret => x,
            _ => galley.pos_from_cursor(here).center().x,
        };
        let row = galley.layout_from_cursor(here).row;
        let last_row = galley.rows.len().saturating_sub(1);
        // At a wrap, one offset is both the end of a row and the start of
        // the next: which one the caret is at is remembered (its affinity),
        // as egui's text fields do, so End then Home stay on one row.
        let mut next_row = true;
        let target = match m {
            RowMotion::RowStart => start + galley.cursor_begin_of_row(&here).index.0,
            RowMotion::RowEnd => {
                next_row = false;
                start + galley.cursor_end_of_row(&here).index.0
            }
            RowMotion::Up if row > 0 => {
                let c = galley.cursor_up_one_row(&here, Some(x)).0;
                next_row = c.prefer_next_row;
                start + c.index.0
            }
            RowMotion::Up if p == 0 => 0,
            RowMotion::Up => self.at_x(ctx, text, p - 1, x, f32::INFINITY),
            RowMotion::Down if row < last_row => {
                let c = galley.cursor_down_one_row(&here, Some(x)).0;
                next_row = c.prefer_next_row;
                start + c.index.0
            }
            RowMotion::Down if p + 1 >= self.paragraphs.len() => text.len_chars(),
            RowMotion::Down => self.at_x(ctx, text, p + 1, x, 0.0),
            RowMotion::PageUp | RowMotion::PageDown => {
                let page = self.page_height();
                let y = self.heights.top(p) + galley.pos_from_cursor(here).center().y;
                let y = if m == RowMotion::PageDown {
                    y + page
                } else {
                    y - page
                };
                if y < 0.0 {
                    0
                } else if y >= self.heights.total() {
                    text.len_chars()
                } else {
                    let q = self.heights.at(y);
                    let top = self.heights.top(q);
                    self.at_x(ctx, text, q, x, y - top)
                }
            }
        };
        let target = target.min(text.len_chars());
        self.affinity = Some((target, next_row));
        if matches!(
            m,
            RowMotion::Up | RowMotion::Down | RowMotion::PageUp | RowMotion::PageDown
        ) {
            self.sticky_x = Some((target, x));
        } else {
            self.sticky_x = None;
        }
        target
    }

    /// A cursor for the caret at `caret` (`local` within its paragraph),
    /// on the row the last motion put it on.
    pub(super) fn ccursor(&self, caret: usize, local: usize) -> CCursor {
        let prefer_next_row = match self.affinity {
            Some((at, next)) if at == caret => next,
            _ => true,
        };
        CCursor {
            index: egui::text::CharIndex(local),
            prefer_next_row,
        }
    }

    /// The height a page step moves: the view less a row or two of
    /// overlap, so the reader keeps their place.
    fn page_height(&self) -> f32 {
        let view = if self.viewport.is_positive() {
            self.viewport.height()
        } else {
            400.0
        };
        (view - 60.0).max(40.0)
    }

    /// The char of paragraph `p` nearest to (`x`, `y` below its top).
    fn at_x(&mut self, ctx: &Context, text: &Text, p: usize, x: f32, y: f32) -> usize {
        let galley = self.laid_out(ctx, text, p);
        let y = y.min(galley.size().y - 1.0).max(0.0);
        self.paragraphs.chars[p].start + galley.cursor_from_pos(Vec2::new(x, y)).index.0
    }

    fn laid_out(&mut self, ctx: &Context, text: &Text, p: usize) -> std::sync::Arc<egui::Galley> {
        let range = self.paragraphs.bytes[p].clone();
        let galley = self.cache.galley(ctx, p, &text.as_str()[range]);
        self.heights.set(p, galley.size().y);
        galley
    }

    /// The scroll offset that shows `offset` moving the view as little as
    /// it takes, or `None` if it is in view.
    pub(super) fn reveal(&mut self, ctx: &Context, text: &Text, offset: usize) -> Option<f32> {
        let y = self.y_of(ctx, text, offset)?;
        let view = self.viewport;
        if !view.is_positive() {
            return Some((y - 120.0).max(0.0));
        }
        if y < view.min.y + 8.0 {
            Some((y - 24.0).max(0.0))
        } else if y > view.max.y - 36.0 {
            Some((y - view.height() + 60.0).max(0.0))
        } else {
            None
        }
    }
}

/// Draws the caret at `pos` (the top of its row), `height` tall.
pub(super) fn draw(painter: &Painter, pos: Pos2, height: f32, stroke: Stroke) {
    painter.line_segment([pos, pos + Vec2::new(0.0, height)], stroke);
}
