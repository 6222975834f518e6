//! Fonts for the scripts an article contains.
//!
//! egui's own fonts draw Latin, Greek, Cyrillic, symbols and (monochrome)
//! emoji; Korean, Devanagari, Thai, Chinese and the rest show as boxes
//! unless a system font is added. Looking through the system's fonts takes
//! a while, so it is never done at startup (the app turns eframe's own
//! startup scan off): [`scripts_needed`] lists what an opened article needs
//! beyond egui's fonts (one pass over its text, once per opened article),
//! and only then [`Fallback::cover`] installs egui's system font provider
//! (`egui_system_font_provider`, on fontique: it asks the platform's own
//! fallback, fontconfig on Linux, for a font per script and locale, and
//! each font found is loaded once, memory-mapped). Where no font is found
//! the text stays as boxes, as before; nothing fails.
//!
//! egui 0.37 shapes each run with harfrust, so scripts that combine letters
//! (Devanagari, Thai, Arabic letter forms) are shaped, but it has no
//! bidirectional layout: a line mixing right-to-left text (Arabic, Hebrew)
//! with left-to-right text is laid out left to right, run by run.
//! [`Fallback::cover`] says so once in the status bar for such an article.

use std::path::PathBuf;
use std::sync::Arc;

use crate::session::Session;

/// A script that egui's own fonts do not draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs, reason = "the names are the scripts'")]
pub enum Script {
    Armenian,
    Hebrew,
    Arabic,
    Syriac,
    Thaana,
    Nko,
    Devanagari,
    Bengali,
    Gurmukhi,
    Gujarati,
    Oriya,
    Tamil,
    Telugu,
    Kannada,
    Malayalam,
    Sinhala,
    Thai,
    Lao,
    Tibetan,
    Myanmar,
    Georgian,
    Hangul,
    Ethiopic,
    Khmer,
    Mongolian,
    Balinese,
    Sundanese,
    Javanese,
    /// Chinese characters, Japanese kana, and their punctuation.
    Cjk,
}

use Script::{
    Arabic, Armenian, Balinese, Bengali, Cjk, Devanagari, Ethiopic, Georgian, Gujarati, Gurmukhi,
    Hangul, Hebrew, Javanese, Kannada, Khmer, Lao, Malayalam, Mongolian, Myanmar, Nko, Oriya,
    Sinhala, Sundanese, Syriac, Tamil, Telugu, Thaana, Thai, Tibetan,
};

/// Unicode blocks (first, last code point) of each script, sorted.
const BLOCKS: &[(u32, u32, Script)] = &[
    (0x0530, 0x058F, Armenian),
    (0x0590, 0x05FF, Hebrew),
    (0x0600, 0x06FF, Arabic),
    (0x0700, 0x074F, Syriac),
    (0x0750, 0x077F, Arabic),
    (0x0780, 0x07BF, Thaana),
    (0x07C0, 0x07FF, Nko),
    (0x08A0, 0x08FF, Arabic),
    (0x0900, 0x097F, Devanagari),
    (0x0980, 0x09FF, Bengali),
    (0x0A00, 0x0A7F, Gurmukhi),
    (0x0A80, 0x0AFF, Gujarati),
    (0x0B00, 0x0B7F, Oriya),
    (0x0B80, 0x0BFF, Tamil),
    (0x0C00, 0x0C7F, Telugu),
    (0x0C80, 0x0CFF, Kannada),
    (0x0D00, 0x0D7F, Malayalam),
    (0x0D80, 0x0DFF, Sinhala),
    (0x0E00, 0x0E7F, Thai),
    (0x0E80, 0x0EFF, Lao),
    (0x0F00, 0x0FFF, Tibetan),
    (0x1000, 0x109F, Myanmar),
    (0x10A0, 0x10FF, Georgian),
    (0x1100, 0x11FF, Hangul),
    (0x1200, 0x139F, Ethiopic),
    (0x1780, 0x17FF, Khmer),
    (0x1800, 0x18AF, Mongolian),
    (0x1B00, 0x1B7F, Balinese),
    (0x1B80, 0x1BBF, Sundanese),
    (0x2D00, 0x2D2F, Georgian),
    (0x2E80, 0x2FDF, Cjk),
    (0x3000, 0x312F, Cjk),
    (0x3130, 0x318F, Hangul),
    (0x31A0, 0x9FFF, Cjk),
    (0xA8E0, 0xA8FF, Devanagari),
    (0xA960, 0xA97F, Hangul),
    (0xA980, 0xA9DF, Javanese),
    (0xAC00, 0xD7FF, Hangul),
    (0xF900, 0xFAFF, Cjk),
    (0xFB1D, 0xFB4F, Hebrew),
    (0xFB50, 0xFDFF, Arabic),
    (0xFE70, 0xFEFF, Arabic),
    (0xFF00, 0xFFEF, Cjk),
    (0x2_0000, 0x3_FFFF, Cjk),
];

impl Script {
    /// The script's name, as the status bar says it.
    pub fn name(self) -> &'static str {
        match self {
            Script::Nko => "N'Ko",
            Script::Cjk => "Chinese or Japanese",
            Script::Hangul => "Korean",
            other => BLOCK_NAMES
                .iter()
                .find(|(s, _)| *s == other)
                .map_or("", |(_, n)| n),
        }
    }

    /// Whether it is written right to left.
    pub fn right_to_left(self) -> bool {
        matches!(
            self,
            Script::Hebrew | Script::Arabic | Script::Syriac | Script::Thaana | Script::Nko
        )
    }

    /// The script of a character egui's own fonts lack, if it is in one of
    /// the blocks known here.
    pub fn of(c: char) -> Option<Script> {
        let c = u32::from(c);
        if c < BLOCKS[0].0 {
            return None;
        }
        let i = BLOCKS.partition_point(|&(first, _, _)| first <= c);
        let (first, last, script) = *BLOCKS.get(i.checked_sub(1)?)?;
        (first..=last).contains(&c).then_some(script)
    }
}

/// The names of the scripts whose enum name is their name.
const BLOCK_NAMES: &[(Script, &str)] = &[
    (Armenian, "Armenian"),
    (Hebrew, "Hebrew"),
    (Arabic, "Arabic"),
    (Syriac, "Syriac"),
    (Thaana, "Thaana"),
    (Devanagari, "Devanagari"),
    (Bengali, "Bengali"),
    (Gurmukhi, "Gurmukhi"),
    (Gujarati, "Gujarati"),
    (Oriya, "Oriya"),
    (Tamil, "Tamil"),
    (Telugu, "Telugu"),
    (Kannada, "Kannada"),
    (Malayalam, "Malayalam"),
    (Sinhala, "Sinhala"),
    (Thai, "Thai"),
    (Lao, "Lao"),
    (Tibetan, "Tibetan"),
    (Myanmar, "Myanmar"),
    (Georgian, "Georgian"),
    (Ethiopic, "Ethiopic"),
    (Khmer, "Khmer"),
    (Mongolian, "Mongolian"),
    (Balinese, "Balinese"),
    (Sundanese, "Sundanese"),
    (Javanese, "Javanese"),
];

/// The scripts of `text` that egui's own fonts lack, sorted, each once.
/// One pass over the text; ASCII is skipped at once.
pub fn scripts_needed(text: &str) -> Vec<Script> {
    let mut found: Vec<Script> = Vec::new();
    for c in text.chars().filter(|c| !c.is_ascii()) {
        if let Some(s) = Script::of(c)
            && !found.contains(&s)
        {
            found.push(s);
        }
    }
    found.sort_unstable();
    found
}

/// What the app has done about fonts so far: whether the system font
/// provider is installed, and which article was last looked at.
#[derive(Debug, Default)]
pub struct Fallback {
    provider: bool,
    checked: Option<PathBuf>,
}

impl Fallback {
    /// Looks at the open article once after it is opened: installs the
    /// system font provider (once) if its text needs a script egui's fonts
    /// lack, and says so if egui cannot lay its text out right to left.
    /// Run before the ui pass, so the article is laid out with the fonts.
    pub fn cover(&mut self, ctx: &egui::Context, session: Option<&mut Session>) {
        let Some(s) = session else {
            return;
        };
        let path = &s.doc().article.path;
        if self.checked.as_ref() == Some(path) {
            return;
        }
        self.checked = Some(path.clone());
        let scripts = scripts_needed(s.doc().article.text.as_str());
        if !scripts.is_empty() && !self.provider {
            self.provider = true;
            ctx.add_font_provider(Arc::new(
                egui_system_font_provider::SystemFontProvider::new(),
            ));
        }
        if let Some(message) = right_to_left_note(&scripts) {
            s.info(message);
        }
    }
}

/// The status bar's note for right-to-left scripts, if any are present.
pub fn right_to_left_note(scripts: &[Script]) -> Option<String> {
    let names: Vec<&str> = scripts
        .iter()
        .filter(|s| s.right_to_left())
        .map(|s| s.name())
        .collect();
    if names.is_empty() {
        return None;
    }
    Some(format!(
        "{} text here: lines mixing directions may read out of order (no right-to-left \
         layout yet); offsets and tags stay exact",
        names.join(" and ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_greek_cyrillic_and_emoji_need_nothing() {
        let text = "Gedung Putih — “kata” Κύριε Москва café ½ € 👍🏽 ✓";
        assert_eq!(scripts_needed(text), []);
    }

    #[test]
    fn each_script_is_listed_once_in_order() {
        let text = "서울 발표 सरकार ने कहा ประเทศไทย 東京 カタカナ 서울 שלום مرحبا";
        assert_eq!(
            scripts_needed(text),
            [Hebrew, Arabic, Devanagari, Thai, Hangul, Cjk]
        );
    }

    #[test]
    fn block_edges_and_gaps() {
        assert_eq!(Script::of('\u{052F}'), None);
        assert_eq!(Script::of('\u{0530}'), Some(Armenian));
        assert_eq!(Script::of('\u{0E7F}'), Some(Thai));
        assert_eq!(Script::of('\u{AC00}'), Some(Hangul));
        assert_eq!(Script::of('\u{D7A3}'), Some(Hangul));
        // General punctuation and arrows sit in a gap: egui draws them.
        assert_eq!(Script::of('\u{2014}'), None);
        assert_eq!(Script::of('\u{2192}'), None);
        assert_eq!(Script::of('\u{2_0BB7}'), Some(Cjk));
        assert_eq!(Script::of('\u{1F44D}'), None);
    }

    #[test]
    fn every_script_has_a_name_and_the_blocks_are_sorted() {
        for w in BLOCKS.windows(2) {
            assert!(w[0].1 < w[1].0, "{:X} overlaps {:X}", w[0].0, w[1].0);
        }
        for &(first, last, s) in BLOCKS {
            assert!(first <= last);
            assert!(!s.name().is_empty(), "{s:?}");
        }
    }

    #[test]
    fn an_article_in_other_scripts_opens_with_or_without_fonts_and_notes_right_to_left() {
        use egui_kittest::kittest::Queryable as _;
        let text = "KAIRO — Pejabat berkata \"الحكومة تنفي\"; SEOUL — \"북한이 포탄을 보냈다\".\n";
        let (_d, p) = crate::gui::tests::temp_article(text);
        // Whether or not this machine has the fonts, the article is drawn
        // (boxes at worst) and the status bar says what egui cannot do.
        let mut h = crate::gui::tests::harness(&p);
        h.run_steps(2);
        h.get_by_label_contains("Arabic text here");
        let s = h.state().session().unwrap();
        assert_eq!(s.doc().article.text.as_str(), text);
    }

    #[test]
    fn only_right_to_left_scripts_get_the_note() {
        assert_eq!(right_to_left_note(&[Hangul, Thai]), None);
        let note = right_to_left_note(&[Hebrew, Arabic, Thai]).unwrap();
        assert!(note.starts_with("Hebrew and Arabic text"), "{note}");
    }
}
