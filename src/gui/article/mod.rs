//! The article view: the text with every span highlighted.
//!
//! Split like egui's `easy_mark` demo: [`paragraphs`] cuts the text into lines
//! and keeps their heights, [`layout`] turns a line into a cached galley, and
//! this file draws the visible lines with their spans and turns the pointer
//! into char offsets. Only paragraphs inside the viewport are laid out and
//! painted, so a frame costs the same on a 5 kB and a 5 MB article.

mod caret;
pub mod layout;
mod paint;
pub mod paragraphs;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use crate::model::{Span, SpanId};
use crate::offsets::Text;
use egui::{Color32, Galley, Pos2, Rect, Sense, Ui, Vec2};

pub use self::caret::RowMotion;
use self::layout::{LayoutCache, LayoutKey, estimate_height};
use self::paint::{Emphasis, Frame};
use self::paragraphs::{Heights, Paragraphs};
use crate::session::Session;

/// Widest text column, for a readable line length.
const MAX_COLUMN: f32 = 860.0;
/// Space left and right of the text column.
const MARGIN: f32 = 18.0;

/// What happened in the view this frame.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewOutput {
    /// A click (no drag): on this char, or (`Some(None)`) on no text.
    pub click: Option<Option<usize>>,
    /// The text selection changed to this (snapped unless Alt was held).
    pub selection: Option<Option<Range<usize>>>,
    /// Char offset under the pointer.
    pub hover: Option<usize>,
}

/// Per-frame figures, for the benchmark and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ViewStats {
    /// Paragraphs drawn.
    pub visible: usize,
    /// Paragraphs laid out this frame (cache misses).
    pub laid_out: usize,
    /// Spans drawn.
    pub spans: usize,
    /// Paragraphs below the view laid out ahead of need.
    pub ahead: usize,
}

/// Paragraphs laid out since the view was made: when they were needed (to
/// be drawn, or to find where an offset is), and ahead of need.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ViewTotals {
    /// Laid out when needed.
    pub laid_out: usize,
    /// Laid out ahead.
    pub ahead: usize,
}

/// How far below the view paragraphs are laid out ahead, in screens: a
/// `PageDown` or a few turns of the wheel then bring only text already
/// laid out into view.
const AHEAD_SCREENS: f32 = 2.0;

/// Chars laid out ahead in one frame. A frame that answers an input or
/// brought new text into view lays out nothing ahead and asks for another
/// frame instead; the following frames, which have nothing new to show,
/// each lay out about this much (a third of a millisecond here) until the
/// text two screens below the view is ready.
const AHEAD_CHARS: usize = 1500;

/// Colour of each label, from the schema.
pub fn label_color(session: &Session, label: &str) -> Color32 {
    session.schema().label(label).map_or(Color32::GRAY, |l| {
        let [r, g, b] = l.rgb();
        Color32::from_rgb(r, g, b)
    })
}

/// A label's colour for text on the theme's panels: darkened on light
/// panels and lightened on dark ones, so a light schema colour (orange,
/// yellow) stays readable as text.
pub fn label_text_color(session: &Session, label: &str, visuals: &egui::Visuals) -> Color32 {
    let c = label_color(session, label);
    if visuals.dark_mode {
        c.lerp_to_gamma(Color32::WHITE, 0.25)
    } else {
        c.lerp_to_gamma(Color32::BLACK, 0.45)
    }
}

/// State of the article view of one document.
pub struct ArticleView {
    paragraphs: Paragraphs,
    heights: Heights,
    cache: LayoutCache,
    drag_anchor: Option<usize>,
    /// Where each visible paragraph was drawn last frame.
    drawn: Vec<(usize, Pos2, Arc<Galley>)>,
    /// First highlight rect of each span drawn last frame.
    span_rects: HashMap<SpanId, Rect>,
    viewport: Rect,
    /// Whether rejected machine spans are drawn.
    pub show_rejected: bool,
    /// Whether drag selections snap to whole words (Alt overrides).
    pub snap_words: bool,
    /// Figures of the last frame.
    pub stats: ViewStats,
    /// Figures since the view was made.
    pub totals: ViewTotals,
    /// The session's last scroll request served (see
    /// [`Session::scroll_request`]).
    served_scroll: u64,
    /// The horizontal position kept while the caret moves up and down:
    /// (the caret it was set for, x).
    sticky_x: Option<(usize, f32)>,
    /// Tells this article's scroll position apart from other articles'
    /// (egui keeps it per id), so each article opens at its own place.
    scroll_salt: u64,
    /// Which row a caret at a wrap is on: (the caret, the next row).
    affinity: Option<(usize, bool)>,
}

impl ArticleView {
    /// A view of `text`; O(n) once to find the lines.
    pub fn new(text: &Text) -> Self {
        let paragraphs = Paragraphs::new(text);
        let heights = Heights::new(vec![20.0; paragraphs.len()]);
        Self {
            paragraphs,
            heights,
            cache: LayoutCache::default(),
            drag_anchor: None,
            drawn: Vec::new(),
            span_rects: HashMap::new(),
            viewport: Rect::NOTHING,
            show_rejected: false,
            snap_words: true,
            stats: ViewStats::default(),
            totals: ViewTotals::default(),
            served_scroll: 0,
            sticky_x: None,
            scroll_salt: 0,
            affinity: None,
        }
    }

    /// Keeps this view's scroll position under its own name (one per
    /// article file), so opening another article never inherits it.
    pub fn set_scroll_salt(&mut self, salt: u64) {
        self.scroll_salt = salt;
    }

    /// The first char of the top paragraph in view (as of the last frame).
    pub fn first_visible_char(&self) -> Option<usize> {
        if !self.viewport.is_positive() || self.paragraphs.is_empty() {
            return None;
        }
        let p = self.heights.at(self.viewport.min.y);
        self.paragraphs.chars.get(p).map(|r| r.start)
    }

    /// Screen position of the boundary before char `offset`, if its
    /// paragraph was drawn last frame.
    pub fn screen_pos_of(&self, offset: usize) -> Option<Pos2> {
        let p = self.paragraphs.of_char(offset);
        let (_, origin, galley) = self.drawn.iter().find(|(i, _, _)| *i == p)?;
        let local = offset.checked_sub(self.paragraphs.chars[p].start)?;
        let r = galley.pos_from_cursor(egui::text::CCursor::new(local));
        Some(*origin + r.center().to_vec2())
    }

    /// Where a span was drawn last frame.
    pub fn span_rect(&self, id: SpanId) -> Option<Rect> {
        self.span_rects.get(&id).copied()
    }

    fn visible_span(&self, s: &Span) -> bool {
        !s.orphan && (self.show_rejected || !s.is_rejected())
    }

    /// Char boundary nearest to a screen position (for selections).
    fn boundary_at(&self, pos: Pos2) -> Option<usize> {
        let (p, origin, galley) = self.paragraph_at(pos)?;
        let c = galley.cursor_from_pos(pos - origin);
        Some(self.paragraphs.chars[p].start + c.index.0)
    }

    /// The char under a screen position (for clicks and hovering).
    fn char_at(&self, pos: Pos2) -> Option<usize> {
        let (p, origin, galley) = self.paragraph_at(pos)?;
        let local = pos - origin;
        let mut first = 0;
        for row in &galley.rows {
            let r = row.rect();
            if local.y >= r.min.y && local.y < r.max.y {
                let x = local.x - row.pos.x;
                for (i, g) in row.glyphs.iter().enumerate() {
                    if x >= g.pos.x && x < g.max_x() {
                        return Some(self.paragraphs.chars[p].start + first + i);
                    }
                }
                return None;
            }
            first += row.glyphs.len();
        }
        None
    }

    fn paragraph_at(&self, pos: Pos2) -> Option<(usize, Pos2, Arc<Galley>)> {
        let hit = self
            .drawn
            .iter()
            .find(|(_, o, g)| pos.y >= o.y && pos.y < o.y + g.size().y.max(1.0))
            .or_else(|| {
                // Between lines or past the end: the nearest drawn one.
                self.drawn.iter().min_by(|a, b| {
                    let da = (a.1.y - pos.y)
                        .abs()
                        .min((a.1.y + a.2.size().y - pos.y).abs());
                    let db = (b.1.y - pos.y)
                        .abs()
                        .min((b.1.y + b.2.size().y - pos.y).abs());
                    da.total_cmp(&db)
                })
            })?;
        Some(hit.clone())
    }

    /// Draws the article, bringing into view what the session last asked
    /// to show (once per request).
    pub fn ui(&mut self, ui: &mut Ui, session: &Session) -> ViewOutput {
        let scroll_to = session
            .scroll_request()
            .filter(|r| r.serial != self.served_scroll);
        if let Some(r) = scroll_to {
            self.served_scroll = r.serial;
        }
        let mut out = ViewOutput::default();
        let font_size = ui.style().text_styles[&egui::TextStyle::Body].size * 1.15;
        let column = (ui.available_width() - 2.0 * MARGIN).clamp(40.0, MAX_COLUMN);
        let key = LayoutKey {
            width: column,
            font_size,
            color: ui.visuals().text_color(),
        };
        if self.cache.begin_frame(key) {
            let estimates = self
                .paragraphs
                .chars
                .iter()
                .map(|r| estimate_height(r.len(), &key))
                .collect();
            self.heights = Heights::new(estimates);
        }
        let text = &session.doc().article.text;
        let mut area = egui::ScrollArea::vertical()
            .id_salt(("article", self.scroll_salt))
            .auto_shrink([false, false])
            .content_margin(0.0);
        if let Some(r) = scroll_to {
            let offset = if r.reveal_only {
                self.reveal(ui.ctx(), text, r.offset)
            } else {
                self.jump(ui.ctx(), text, r.offset)
            };
            if let Some(y) = offset {
                area = area.vertical_scroll_offset(y);
            }
        }
        self.stats = ViewStats::default();
        area.show_viewport(ui, |ui, viewport| {
            self.viewport = viewport;
            let total = self.heights.total();
            let width = ui.available_width();
            let (rect, response) = ui.allocate_exact_size(
                Vec2::new(width, total.max(viewport.height())),
                Sense::click_and_drag(),
            );
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Article, true, "Article text")
            });
            let response = response.on_hover_cursor(egui::CursorIcon::Text);
            let left = rect.min.x + ((width - column) / 2.0).max(MARGIN);
            self.draw(ui, session, rect.min.y, left, viewport, key);
            self.look_ahead(ui.ctx(), text, viewport);
            out = self.interact(ui, &response, session);
        });
        out
    }

    /// Lays out paragraphs below the view before they are needed (see
    /// [`AHEAD_SCREENS`], [`AHEAD_CHARS`]), nearest first, and keeps those
    /// laid out in the cache. Only below: a height found above the view
    /// would move the text on screen with no action of the user's.
    fn look_ahead(&mut self, ctx: &egui::Context, text: &Text, viewport: Rect) {
        let limit = viewport.max.y + AHEAD_SCREENS * viewport.height().max(100.0);
        let mut p = self.heights.at(viewport.max.y);
        let mut budget = AHEAD_CHARS;
        // A frame that answers an input, or brought new text into view, is
        // not made longer: the work waits for the next frame. (The input as
        // it came: the app takes the keys it acts on out of `events`.)
        let busy = self.stats.laid_out > 0 || ctx.input(|i| !i.raw.events.is_empty());
        // The top of paragraph `p`, kept as it goes rather than asked of
        // the tree for each.
        let mut top = self.heights.top(p);
        while p < self.paragraphs.len() && top < limit {
            if self.cache.touch(p) {
                top += self.heights.get(p);
                p += 1;
                continue;
            }
            if busy || budget == 0 {
                ctx.request_repaint();
                return;
            }
            let range = self.paragraphs.bytes[p].clone();
            let galley = self.cache.galley(ctx, p, &text.as_str()[range]);
            self.heights.set(p, galley.size().y);
            budget = budget.saturating_sub(self.paragraphs.chars[p].len().max(1));
            self.stats.ahead += 1;
            self.totals.ahead += 1;
            top += self.heights.get(p);
            p += 1;
        }
    }

    /// Content y of a char offset, laying out its paragraph if needed.
    /// The scroll offset that shows `offset` a third down the view, or
    /// `None` if it is well in view already.
    fn jump(&mut self, ctx: &egui::Context, text: &Text, offset: usize) -> Option<f32> {
        let y = self.y_of(ctx, text, offset)?;
        let view = self.viewport;
        let visible = view.is_positive() && y > view.min.y + 20.0 && y < view.max.y - 40.0;
        if visible {
            return None;
        }
        let h = if view.is_positive() {
            view.height()
        } else {
            400.0
        };
        Some((y - h / 3.0).max(0.0))
    }

    fn y_of(&mut self, ctx: &egui::Context, text: &Text, offset: usize) -> Option<f32> {
        let p = self.paragraphs.of_char(offset);
        let range = self.paragraphs.bytes.get(p)?.clone();
        if !self.cache.has(p) {
            self.totals.laid_out += 1;
        }
        let galley = self.cache.galley(ctx, p, &text.as_str()[range]);
        self.heights.set(p, galley.size().y);
        let local = offset.saturating_sub(self.paragraphs.chars[p].start);
        let r = galley.pos_from_cursor(egui::text::CCursor::new(local));
        Some(self.heights.top(p) + r.min.y)
    }

    fn draw(
        &mut self,
        ui: &Ui,
        session: &Session,
        top: f32,
        left: f32,
        viewport: Rect,
        key: LayoutKey,
    ) {
        self.drawn.clear();
        self.span_rects.clear();
        let focus = Focus::of(session, &self.paragraphs);
        let mut p = self.heights.at(viewport.min.y);
        while p < self.paragraphs.len() && self.heights.top(p) < viewport.max.y {
            self.draw_paragraph(ui, session, p, Pos2::new(left, top), &focus, key);
            p += 1;
        }
        if let Some(id) = focus.selected {
            self.link_arcs(ui.painter(), session, id);
        }
    }

    /// Paragraph `p` with its spans, overlays, selection and caret; `corner`
    /// is the top left of the text column in the content.
    fn draw_paragraph(
        &mut self,
        ui: &Ui,
        session: &Session,
        p: usize,
        corner: Pos2,
        focus: &Focus,
        key: LayoutKey,
    ) {
        let text = &session.doc().article.text;
        let painter = ui.painter();
        let had = self.cache.has(p);
        let galley = self.cache.galley(
            ui.ctx(),
            p,
            &text.as_str()[self.paragraphs.bytes[p].clone()],
        );
        if !had {
            self.stats.laid_out += 1;
            self.totals.laid_out += 1;
            self.heights.set(p, galley.size().y);
        }
        let origin = corner + Vec2::new(0.0, self.heights.top(p));
        let pchars = self.paragraphs.chars[p].clone();
        let frame = Frame {
            painter,
            visuals: ui.visuals(),
            galley: &galley,
            origin,
            pchars: &pchars,
        };
        self.paint_spans(&frame, session, focus);
        overlays(&frame, session);
        if let Some(sel) = session.selection() {
            paint::selection(&frame, sel);
        }
        let caret = focus.caret;
        if p == focus.caret_p && pchars.start <= caret && caret <= pchars.end {
            let r = galley.pos_from_cursor(self.ccursor(caret, caret - pchars.start));
            caret::draw(
                painter,
                origin + r.min.to_vec2(),
                r.height(),
                egui::Stroke::new(1.5, ui.visuals().strong_text_color()),
            );
        }
        painter.galley(origin, galley.clone(), key.color);
        self.drawn.push((p, origin, galley));
        self.stats.visible += 1;
    }

    /// The spans of the paragraph in `frame`, outer ones first, each
    /// emphasised as `focus` says; keeps where each was first drawn.
    fn paint_spans(&mut self, frame: &Frame, session: &Session, focus: &Focus) {
        let pchars = frame.pchars;
        let mut spans: Vec<&Span> = session
            .doc()
            .annotations
            .spans_overlapping(pchars.start..pchars.end.max(pchars.start + 1))
            .filter(|s| self.visible_span(s))
            .collect();
        spans.sort_by_key(|s| (std::cmp::Reverse(s.end - s.start), s.start, s.id));
        let levels = nesting_levels(&spans);
        for (s, level) in spans.iter().zip(&levels) {
            let state = if focus.selected == Some(s.id) {
                Emphasis::Selected
            } else if focus.linked.contains(&s.id) {
                Emphasis::Linked
            } else {
                Emphasis::None
            };
            let links = session.doc().annotations.links_of(s.id).count();
            let color = label_color(session, &s.label);
            if let Some(first) = paint::span(frame, s, *level, color, state, links) {
                self.span_rects.entry(s.id).or_insert(first);
            }
            self.stats.spans += 1;
        }
    }

    /// The links of the selected span, as arcs between spans drawn this
    /// frame, each in the colour of its target's label.
    fn link_arcs(&self, painter: &egui::Painter, session: &Session, id: SpanId) {
        for l in session.doc().annotations.links_of(id) {
            if let (Some(a), Some(b)) = (self.span_rects.get(&l.from), self.span_rects.get(&l.to)) {
                let color = session
                    .doc()
                    .annotations
                    .span(l.to)
                    .map_or(Color32::GRAY, |s| label_color(session, &s.label));
                paint::arc(painter, a.center_top(), b.center_top(), color);
            }
        }
    }

    fn interact(&mut self, ui: &Ui, response: &egui::Response, session: &Session) -> ViewOutput {
        let mut out = ViewOutput::default();
        let alt = ui.input(|i| i.modifiers.alt);
        let text = &session.doc().article.text;
        if response.drag_started() {
            let origin = ui.input(|i| i.pointer.press_origin());
            self.drag_anchor = origin.and_then(|p| self.boundary_at(p));
        }
        if let (Some(anchor), true) = (
            self.drag_anchor,
            response.dragged() || response.drag_stopped(),
        ) {
            if let Some(now) = response
                .interact_pointer_pos()
                .and_then(|p| self.boundary_at(p))
            {
                let raw = anchor.min(now)..anchor.max(now);
                let range = if alt || !self.snap_words || raw.is_empty() {
                    raw
                } else {
                    text.snap_to_words(raw)
                };
                out.selection = Some(Some(range).filter(|r| !r.is_empty()));
            }
            if response.drag_stopped() {
                self.drag_anchor = None;
            }
        }
        if response.clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            out.click = Some(self.char_at(pos));
        }
        if let Some(pos) = response.hover_pos() {
            out.hover = self.char_at(pos);
            if let Some(c) = out.hover
                && let Some(&id) = session.spans_at(c).first()
                && let Some(s) = session.doc().annotations.span(id)
            {
                let tip = hover_text(session, s);
                response.clone().on_hover_ui_at_pointer(|ui| {
                    ui.label(tip);
                });
            }
        }
        out
    }
}

/// What a frame emphasises: the selected span, the spans linked to it, and
/// the caret with its paragraph.
struct Focus {
    selected: Option<SpanId>,
    linked: Vec<SpanId>,
    caret: usize,
    caret_p: usize,
}

impl Focus {
    fn of(session: &Session, paragraphs: &Paragraphs) -> Self {
        let selected = session.selected();
        let linked = selected
            .map(|id| {
                session
                    .doc()
                    .annotations
                    .links_of(id)
                    .map(|l| if l.from == id { l.to } else { l.from })
                    .collect()
            })
            .unwrap_or_default();
        let caret = session.caret();
        Self {
            selected,
            linked,
            caret,
            caret_p: paragraphs.of_char(caret),
        }
    }
}

/// What is painted over the spans: the current dispute's alternatives,
/// the other annotator's spans of a comparison, the find bar's matches.
fn overlays(frame: &paint::Frame, session: &Session) {
    if let Some(d) = session.current_dispute() {
        paint::alternatives(frame, d);
    }
    if let Some(c) = session.comparison() {
        paint::theirs(frame, c, |l| label_color(session, l));
    }
    paint::find_matches(frame, session.find());
}

/// What hovering a span tells.
pub fn hover_text(session: &Session, s: &Span) -> String {
    use std::fmt::Write as _;
    let mut t = format!("{} · span {}\n", s.label, s.id);
    match &s.origin {
        crate::model::Origin::Human { annotator } if annotator.is_empty() => {
            t.push_str("tagged by hand");
        }
        crate::model::Origin::Human { annotator } => {
            let _ = write!(t, "tagged by {annotator}");
        }
        crate::model::Origin::Machine { model, score } => {
            let _ = write!(t, "machine: {model}");
            if let Some(x) = score {
                let _ = write!(t, " (score {x:.2})");
            }
            if let Some(st) = s.status {
                let _ = write!(t, ", {}", st.name());
            }
        }
    }
    for l in session.link_lines(s.id) {
        let _ = write!(
            t,
            "\n{} {} span {} {}",
            l.kind, l.arrow, l.other, l.describe
        );
    }
    if let Some(note) = &s.note {
        let _ = write!(t, "\nnote: {note}");
    }
    t
}

/// Nesting level of each span (0 = outermost): how many of the others
/// contain it. `spans` are sorted outer first.
fn nesting_levels(spans: &[&Span]) -> Vec<usize> {
    spans
        .iter()
        .map(|s| {
            spans
                .iter()
                .filter(|o| {
                    o.id != s.id
                        && o.start <= s.start
                        && o.end >= s.end
                        && (o.end - o.start, std::cmp::Reverse(o.id))
                            > (s.end - s.start, std::cmp::Reverse(s.id))
                })
                .count()
                .min(4)
        })
        .collect()
}
