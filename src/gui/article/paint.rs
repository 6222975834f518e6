//! Painting one paragraph's highlights as shapes over its galley: span
//! backgrounds and underlines (one per nesting level), outlines of the
//! selected span and the spans linked to it, link dots, find matches and
//! the text selection; and link arcs. Galleys hold text only, so nothing
//! here ever invalidates a layout.

use std::ops::Range;

use egui::{Color32, CornerRadius, Galley, Painter, Pos2, Rect, Stroke, StrokeKind, Vec2, Visuals};

use crate::model::Span;
use crate::session::find::Find;

/// What one paragraph is painted with.
pub(super) struct Frame<'a> {
    pub(super) painter: &'a Painter,
    pub(super) visuals: &'a Visuals,
    pub(super) galley: &'a Galley,
    /// Where the galley is drawn.
    pub(super) origin: Pos2,
    /// The paragraph's chars.
    pub(super) pchars: &'a Range<usize>,
}

impl Frame<'_> {
    fn rects(&self, range: Range<usize>) -> Vec<Rect> {
        range_rects(self.galley, self.origin, self.pchars, range)
    }
}

/// How a span stands out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Emphasis {
    /// The selected span: stronger fill, outlined in its colour.
    Selected,
    /// Linked to the selected span: a thin outline.
    Linked,
    /// Neither.
    None,
}

/// Paints one span's part in the paragraph; returns its first rect.
pub(super) fn span(
    f: &Frame,
    s: &Span,
    level: usize,
    color: Color32,
    emphasis: Emphasis,
    links: usize,
) -> Option<Rect> {
    let rects = f.rects(s.range());
    let selected = emphasis == Emphasis::Selected;
    let fill_alpha = match (selected, f.visuals.dark_mode) {
        (true, true) => 0.36,
        (true, false) => 0.42,
        (false, true) => 0.22,
        (false, false) => 0.24,
    };
    for r in &rects {
        f.painter
            .rect_filled(*r, CornerRadius::same(2), color.gamma_multiply(fill_alpha));
        if s.is_rejected() {
            // Shown on request only: struck through.
            f.painter.line_segment(
                [
                    Pos2::new(r.min.x, r.center().y),
                    Pos2::new(r.max.x, r.center().y),
                ],
                Stroke::new(1.5, f.visuals.error_fg_color),
            );
        }
        let y = r.max.y + 1.5 + 3.0 * (level as f32);
        f.painter.line_segment(
            [Pos2::new(r.min.x, y), Pos2::new(r.max.x, y)],
            Stroke::new(2.0, color),
        );
        let outline = match emphasis {
            Emphasis::Selected => Some(Stroke::new(2.0, color)),
            Emphasis::Linked => Some(Stroke::new(1.5, f.visuals.text_color().gamma_multiply(0.8))),
            Emphasis::None => None,
        };
        if let Some(stroke) = outline {
            f.painter
                .rect_stroke(*r, CornerRadius::same(2), stroke, StrokeKind::Outside);
        }
    }
    if let (Some(last), true) = (rects.last(), s.end <= f.pchars.end) {
        // One dot per link at the span's end.
        for k in 0..links.min(4) {
            let c = Pos2::new(last.max.x - 2.0 - 5.0 * k as f32, last.min.y - 1.0);
            f.painter.circle_filled(c, 2.2, color);
        }
    }
    rects.first().copied()
}

/// Paints the find bar's matches in the paragraph. The current one gets an
/// opaque background chosen against the theme's text colour (dark amber
/// under light text, light yellow under dark text) and a strong outline,
/// so it reads over any label colour; the others a light tint.
pub(super) fn find_matches(f: &Frame, find: &Find) {
    let current = find.current_match();
    let dark = f.visuals.dark_mode;
    let tint = if dark {
        Color32::from_rgb(250, 200, 60)
    } else {
        Color32::from_rgb(230, 150, 0)
    };
    let (solid, edge) = if dark {
        (
            Color32::from_rgb(60, 30, 0),
            Color32::from_rgb(255, 214, 90),
        )
    } else {
        (
            Color32::from_rgb(255, 226, 92),
            Color32::from_rgb(20, 20, 20),
        )
    };
    for m in find.matches_in(f.pchars.clone()) {
        let strong = current.as_ref() == Some(m);
        for r in f.rects(m.clone()) {
            if strong {
                f.painter.rect_filled(r, CornerRadius::same(2), solid);
                f.painter.rect_stroke(
                    r,
                    CornerRadius::same(2),
                    Stroke::new(2.0, edge),
                    StrokeKind::Outside,
                );
            } else {
                f.painter
                    .rect_filled(r, CornerRadius::same(2), tint.gamma_multiply(0.25));
                f.painter.rect_stroke(
                    r,
                    CornerRadius::same(2),
                    Stroke::new(1.0, tint),
                    StrokeKind::Outside,
                );
            }
        }
    }
}

/// Paints the other annotator's spans of a comparison in the paragraph as
/// underlines in their label's colour (the open annotations keep their
/// highlights), and outlines the difference shown last.
pub(super) fn theirs(
    f: &Frame,
    c: &crate::session::compare::Comparison,
    color: impl Fn(&str) -> Color32,
) {
    for s in c.theirs.spans_overlapping(f.pchars.clone()) {
        let col = color(&s.label);
        for r in f.rects(s.range()) {
            let y = r.max.y + 1.0;
            f.painter.line_segment(
                [Pos2::new(r.min.x, y), Pos2::new(r.max.x, y)],
                Stroke::new(2.5, col),
            );
        }
    }
    if let Some(d) = c.current.and_then(|i| c.differences.get(i)) {
        let edge = if f.visuals.dark_mode {
            Color32::WHITE
        } else {
            Color32::BLACK
        };
        for r in f.rects(d.range()) {
            f.painter.rect_stroke(
                r.expand(2.0),
                CornerRadius::same(3),
                Stroke::new(1.5, edge),
                StrokeKind::Outside,
            );
        }
    }
}

/// Paints the current dispute's alternatives in the paragraph: each
/// alternative's spans underlined in its own lane (below the text, one
/// under the other) and colour, as the adjudication bar shows them.
pub(super) fn alternatives(f: &Frame, d: &crate::model::Dispute) {
    for (i, a) in d.alternatives.iter().enumerate() {
        let col = crate::gui::panels::adjudicate::lane_color(i);
        #[allow(clippy::cast_precision_loss)]
        let down = 2.0 + 3.5 * i as f32;
        for s in &a.spans {
            for r in f.rects(s.range()) {
                let y = r.max.y + down;
                f.painter.line_segment(
                    [Pos2::new(r.min.x, y), Pos2::new(r.max.x, y)],
                    Stroke::new(2.5, col),
                );
            }
        }
    }
}

/// Paints the text selection in the paragraph.
pub(super) fn selection(f: &Frame, sel: Range<usize>) {
    for r in f.rects(sel) {
        f.painter.rect_filled(
            r,
            CornerRadius::ZERO,
            f.visuals.selection.bg_fill.gamma_multiply(0.6),
        );
    }
}

/// Screen rects (one per row) covering the chars `range` of a paragraph
/// whose galley is drawn at `origin`.
pub(super) fn range_rects(
    galley: &Galley,
    origin: Pos2,
    pchars: &Range<usize>,
    range: Range<usize>,
) -> Vec<Rect> {
    let a = range.start.max(pchars.start) - pchars.start;
    let b = range.end.min(pchars.end).saturating_sub(pchars.start);
    let mut out = Vec::new();
    if a >= b {
        return out;
    }
    let mut first = 0;
    for row in &galley.rows {
        let n = row.glyphs.len();
        let (lo, hi) = (a.max(first), b.min(first + n));
        if lo < hi {
            let g = &row.glyphs[lo - first];
            let top = row.pos.y + g.pos.y - g.font_ascent - 1.0;
            let bottom = top + g.font_height + 2.0;
            let x0 = row.pos.x + row.x_offset(egui::text::CharIndex(lo - first));
            let x1 = row.pos.x + row.glyphs[hi - first - 1].max_x();
            out.push(Rect::from_min_max(
                origin + Vec2::new(x0, top),
                origin + Vec2::new(x1, bottom),
            ));
        }
        first += n;
        if first >= b {
            break;
        }
    }
    out
}

/// A link drawn as an arc above the text with an arrow head at `to`.
pub(super) fn arc(painter: &egui::Painter, from: Pos2, to: Pos2, color: Color32) {
    let lift = 18.0 + (to.x - from.x).abs().min(200.0) * 0.08;
    let top = from.y.min(to.y) - lift;
    let c1 = Pos2::new(from.x, top);
    let c2 = Pos2::new(to.x, top);
    let curve = egui::epaint::CubicBezierShape::from_points_stroke(
        [from, c1, c2, to],
        false,
        Color32::TRANSPARENT,
        Stroke::new(1.6, color),
    );
    painter.add(curve);
    let head = [to, to + Vec2::new(-4.0, -7.0), to + Vec2::new(4.0, -7.0)];
    painter.add(egui::Shape::convex_polygon(
        head.to_vec(),
        color,
        Stroke::NONE,
    ));
}
