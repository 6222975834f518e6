//! Paragraph text to laid-out galleys, cached.
//!
//! Galleys hold only the text: highlights are painted over them as shapes,
//! so editing spans never invalidates a layout. A galley is rebuilt only
//! when the wrap width, the font size or the theme changes.

use std::collections::HashMap;
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{Color32, FontId, Galley};

/// Line height as a multiple of the font size: room for one underline per
/// nesting level below each line.
pub const LINE_HEIGHT: f32 = 1.75;

/// The text shown for a paragraph: every char kept (so char offsets match
/// the file), but invisible and control characters (BOM, CR, tab, other
/// controls) shown as a space so they never break the layout.
pub fn display_text(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || c == '\u{feff}' || c == '\u{200b}' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// What a layout depends on besides the text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayoutKey {
    /// Wrap width in points.
    pub width: f32,
    /// Font size in points.
    pub font_size: f32,
    /// Text colour (follows the theme).
    pub color: Color32,
}

/// Galleys of the paragraphs laid out so far.
#[derive(Default)]
pub struct LayoutCache {
    key: Option<LayoutKey>,
    galleys: HashMap<usize, (Arc<Galley>, u64)>,
    frame: u64,
}

/// Galleys kept before those out of sight are dropped. A galley costs
/// about 65 bytes per char (glyphs, rows and their mesh: 26 KB for a
/// 400-char paragraph; `examples/memory.rs`), so the cache is held to a
/// few screens: paragraphs scrolled past are laid out again if they come
/// back, which costs less than a frame's budget.
const KEEP: usize = 192;

impl LayoutCache {
    /// Starts a frame; returns true if every layout was dropped because the
    /// key changed (heights must then be estimated again).
    pub fn begin_frame(&mut self, key: LayoutKey) -> bool {
        self.frame += 1;
        if self.key == Some(key) {
            if self.galleys.len() > KEEP {
                let frame = self.frame;
                // Whatever was drawn this frame or the last stays.
                self.galleys.retain(|_, (_, used)| frame - *used < 2);
            }
            return false;
        }
        self.key = Some(key);
        self.galleys.clear();
        true
    }

    /// The galley of paragraph `index`, laid out now if needed.
    pub fn galley(&mut self, ctx: &egui::Context, index: usize, text: &str) -> Arc<Galley> {
        let frame = self.frame;
        if let Some((g, used)) = self.galleys.get_mut(&index) {
            *used = frame;
            return g.clone();
        }
        let key = self.key.unwrap_or(LayoutKey {
            width: 600.0,
            font_size: 16.0,
            color: Color32::GRAY,
        });
        let mut format = TextFormat::simple(FontId::proportional(key.font_size), key.color);
        format.line_height = Some((key.font_size * LINE_HEIGHT).round());
        let mut job = LayoutJob::single_section(display_text(text), format);
        job.wrap = TextWrapping::wrap_at_width(key.width);
        let galley = ctx.fonts_mut(|f| f.layout_job(job));
        self.galleys.insert(index, (galley.clone(), frame));
        galley
    }

    /// Marks paragraph `index` as still wanted, if it is laid out; says
    /// whether it is.
    pub fn touch(&mut self, index: usize) -> bool {
        let frame = self.frame;
        self.galleys
            .get_mut(&index)
            .map(|(_, used)| *used = frame)
            .is_some()
    }

    /// Whether paragraph `index` has been laid out with the current key.
    pub fn has(&self, index: usize) -> bool {
        self.galleys.contains_key(&index)
    }

    /// Number of cached galleys.
    pub fn len(&self) -> usize {
        self.galleys.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.galleys.is_empty()
    }
}

/// A guess at a paragraph's height before it is laid out.
pub fn estimate_height(chars: usize, key: &LayoutKey) -> f32 {
    let line = (key.font_size * LINE_HEIGHT).round();
    let per_row = (key.width / (key.font_size * 0.5)).max(1.0);
    let rows = ((chars as f32) / per_row).ceil().max(1.0);
    rows * line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_text_keeps_the_char_count() {
        let s = "\u{feff}Kata “dia”\tdi sini 👍🏽\r";
        let d = display_text(s);
        assert_eq!(d.chars().count(), s.chars().count());
        assert!(d.starts_with(' ') && d.ends_with(' '));
        assert!(d.contains("👍🏽"));
    }

    #[test]
    fn one_glyph_per_char_even_when_wrapped() {
        let ctx = egui::Context::default();
        let text = "Juru bicara Gedung Putih, John Kirby, mengatakan “Korea Utara” diam-diam mengirim peluru 👍🏽 ke Rusia.\r";
        let mut cache = LayoutCache::default();
        let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
            cache.begin_frame(LayoutKey {
                width: 120.0,
                font_size: 14.0,
                color: Color32::WHITE,
            });
            let g = cache.galley(ui.ctx(), 0, text);
            assert!(g.rows.len() > 2, "wrapped");
            let glyphs: usize = g.rows.iter().map(|r| r.glyphs.len()).sum();
            assert_eq!(glyphs, text.chars().count());
        });
        out.textures_delta.clear();
        assert!(cache.has(0));
    }
}
