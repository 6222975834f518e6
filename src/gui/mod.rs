//! The desktop app (eframe + egui).
//!
//! - [`commands`]: every action with its name, shortcut and tooltip.
//! - [`article`]: the article view (paragraphs -> cached layout -> drawing).
//! - [`panels`]: menu bar, toolbar, inspector, span list, status bar, help,
//!   dialogs and the start screen; each reads the session and emits
//!   [`Action`]s.
//! - [`settings`]: what is remembered between runs, and its window.
//! - [`app`]: the eframe app that wires them: panels collect actions while
//!   drawing; the app applies them after the frame, so the document never
//!   changes in the middle of one.
//!
//! The editing session, find, review mode and the open folder are egui-free
//! and live in the core ([`crate::session`]); this module only draws them
//! and turns input into [`Action`]s.

pub mod app;
pub mod article;
pub mod commands;
pub mod file_dialogs;
pub mod fonts;
pub mod panels;
pub mod settings;
// Two attributes, not `cfg(all(test, ...))`: clippy's `allow-unwrap-in-tests`
// only recognises a plain `#[cfg(test)]`.
#[cfg(test)]
#[cfg(feature = "ui-tests")]
mod tests;
#[cfg(test)]
#[cfg(feature = "ui-tests")]
mod tests_adjudicate;
#[cfg(test)]
#[cfg(feature = "ui-tests")]
mod tests_ahead;
#[cfg(test)]
#[cfg(feature = "ui-tests")]
mod tests_day;
#[cfg(test)]
#[cfg(feature = "ui-tests")]
mod tests_entities;
#[cfg(test)]
#[cfg(feature = "ui-tests")]
mod tests_integrity;
#[cfg(test)]
#[cfg(feature = "ui-tests")]
mod tests_paths;
#[cfg(test)]
#[cfg(feature = "ui-tests")]
mod tests_review;
#[cfg(test)]
#[cfg(feature = "ui-tests")]
mod tests_suggest;
#[cfg(test)]
#[cfg(feature = "ui-tests")]
mod tests_workflow;

use std::ops::Range;
use std::path::PathBuf;

use crate::model::{LinkId, SpanId};

pub use app::TandaiApp;
use commands::Command;

/// Something a panel asks the app to do, applied after the frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Run a command.
    Command(Command),
    /// The label key or button: tag the selection or relabel the span.
    Label(String),
    /// Select a span and show it.
    Select(SpanId),
    /// A click in the article on a char (or on no text).
    Click(Option<usize>),
    /// The text selection changed.
    SetSelection(Option<Range<usize>>),
    /// Change a span's label.
    Relabel(SpanId, String),
    /// Set a span's note.
    SetNote(SpanId, Option<String>),
    /// Set or remove an attribute.
    SetAttribute(SpanId, String, Option<String>),
    /// Remove a link.
    RemoveLink(LinkId),
    /// Complete a pending link.
    FinishLink(SpanId),
    /// Open a file (asks about unsaved changes first).
    Open(PathBuf),
    /// Open the bundled example article.
    OpenExample,
    /// Begin a link of this kind from the selected span.
    BeginLink(String),
    /// Import files of another tool (File > Import).
    Import(crate::interop::Format),
    /// Export the open document (File > Export).
    Export(crate::interop::Format),
    /// The find bar's query changed.
    FindSet(crate::search::Query),
    /// Go to the next (`true`) or previous match.
    FindStep(bool),
    /// Close the find bar.
    FindClose,
    /// Tag every match of the find bar with this label, as one step.
    TagAllMatches(String),
    /// Set the review queue's filter.
    ReviewFilter(crate::review::Filter),
    /// Ask, then accept (`true`) or reject every tag the filter shows.
    ReviewAskBulk(bool),
    /// Accept (`true`) or reject every tag the filter shows (confirmed).
    ReviewBulk(bool),
    /// Count the scorecard over the open folder.
    FolderScorecard,
    /// Import machine tags (JSONL) into the open article.
    ImportTags,
    /// Open an annotation file whose article lies outside its folder, after
    /// the user confirmed.
    OpenOutside(PathBuf),
    /// Open the folder's article with this index (saving or asking first).
    OpenDocument(usize),
    /// Open the folder's article with this index and show a search hit.
    OpenHit(usize, crate::search::Place),
    /// The answer to the dialog shown.
    Answer(panels::overlays::Answer),
    /// The settings as edited in their window.
    Settings(Box<settings::Settings>),
    /// Windows and tabs to show.
    Windows(app::Windows),
    /// Show (or close) the scorecard window.
    ShowScorecard(bool),
    /// The folder sidebar's name filter.
    FolderFilter(String),
    /// The folder sidebar's state filter.
    FolderShow(crate::session::folder::Show),
    /// Search the open folder.
    FolderSearch(crate::search::Query),
    /// The path field's answer: the path chosen, or `None` (closed).
    PathField(Option<PathBuf>),
    /// Stop the suggestions being made.
    CancelSuggest,
    /// Show this difference of the comparison in the article.
    ShowDifference(usize),
    /// Stop comparing (close the agreement window).
    CloseComparison,
    /// Merge the open annotations and the compared ones into a new file
    /// beside the article, with their disputes, and open it.
    MergeComparison,
    /// Say which entity a span names (`None`: none).
    SetEntity(SpanId, Option<crate::model::EntityId>),
    /// A new entity (name, role) named by a span.
    NewEntity(SpanId, String, Option<String>),
    /// Export the attribution table (`true`: the folder's) as CSV.
    ExportAttributions(bool),
    /// Read the folder's attribution table for the "Who said what" window.
    ReadFolderAttributions,
    /// Open or close the "Who said what" window.
    ShowWhoSaidWhat(bool),
}

/// The window icon, from `assets/icon.png`.
pub fn icon() -> egui::IconData {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")).unwrap_or_default()
}

/// The renderers to start the window with, in order: OpenGL through glow
/// first (under software OpenGL, as on a machine without a GPU driver, a
/// key reaches the screen in about 12 ms instead of 65, and the process is
/// 10 MB smaller), wgpu if glow cannot start. `TANDAI_RENDERER=wgpu` (or `glow`) puts that one first.
fn renderers(asked: Option<&str>) -> [eframe::Renderer; 2] {
    use eframe::Renderer::{Glow, Wgpu};
    match asked.map(str::trim) {
        Some(r) if r.eq_ignore_ascii_case("wgpu") => [Wgpu, Glow],
        _ => [Glow, Wgpu],
    }
}

/// Whether a failure to run was the renderer failing to start (no OpenGL
/// context, config or painter), which the other renderer may not share.
fn renderer_failed(e: &eframe::Error) -> bool {
    matches!(
        e,
        eframe::Error::Glutin(_)
            | eframe::Error::NoGlutinConfigs(..)
            | eframe::Error::OpenGL(_)
            | eframe::Error::Wgpu(_)
    )
}

/// Runs the app on the given files (the first one is opened).
pub fn run(paths: Vec<PathBuf>) -> Result<(), eframe::Error> {
    let asked = std::env::var("TANDAI_RENDERER").ok();
    let [first, second] = renderers(asked.as_deref());
    match run_with(first, paths.clone()) {
        Err(e) if renderer_failed(&e) => {
            // The event loop is kept between runs (`run_and_return`), so
            // the window can be made again with the other renderer.
            eprintln!("tandai: the {first:?} renderer could not start ({e}); trying {second:?}");
            run_with(second, paths)
        }
        done => done,
    }
}

fn run_with(renderer: eframe::Renderer, paths: Vec<PathBuf>) -> Result<(), eframe::Error> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("tandai")
            .with_app_id("tandai")
            .with_inner_size([1180.0, 760.0])
            .with_min_inner_size([520.0, 360.0])
            .with_icon(icon())
            .with_drag_and_drop(true),
        // No scan of the system's fonts at startup: `fonts` loads them once
        // an article needs a script egui's own fonts lack.
        system_font_fallback: false,
        renderer,
        ..Default::default()
    };
    eframe::run_native(
        "tandai",
        options,
        Box::new(move |cc| Ok(Box::new(TandaiApp::new(cc.storage, paths.first().cloned())))),
    )
}

#[cfg(test)]
mod renderer_tests {
    use super::renderers;
    use eframe::Renderer::{Glow, Wgpu};

    #[test]
    fn glow_first_unless_wgpu_is_asked_for() {
        assert_eq!(renderers(None), [Glow, Wgpu]);
        assert_eq!(renderers(Some("glow")), [Glow, Wgpu]);
        assert_eq!(renderers(Some(" WGPU ")), [Wgpu, Glow]);
        // Anything else is not understood: the default.
        assert_eq!(renderers(Some("vulkan")), [Glow, Wgpu]);
    }
}
