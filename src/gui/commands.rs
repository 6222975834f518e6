//! Every action of the app, with its name, shortcut and tooltip, defined
//! once. The menu bar, the toolbar tooltips, the keyboard handler and the
//! help overlay all read [`Command`].

use egui::{Key, KeyboardShortcut, Modifiers};

/// An action the user can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    /// Open an article or annotation file.
    Open,
    /// Save the annotations.
    Save,
    /// Save the annotations to another file.
    SaveAs,
    /// Close the window (asks about unsaved changes).
    Quit,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Redo (the other common shortcut).
    RedoAlt,
    /// Delete the selected span and its links.
    Delete,
    /// Clear the selection, cancel linking.
    Escape,
    /// Select the next span.
    NextSpan,
    /// Select the previous span.
    PrevSpan,
    /// Move the selected span's end one word right.
    EndWordRight,
    /// Move the selected span's end one word left.
    EndWordLeft,
    /// Move the selected span's start one word left.
    StartWordLeft,
    /// Move the selected span's start one word right.
    StartWordRight,
    /// Move the selected span's end one character right.
    EndCharRight,
    /// Move the selected span's end one character left.
    EndCharLeft,
    /// Move the selected span's start one character left.
    StartCharLeft,
    /// Move the selected span's start one character right.
    StartCharRight,
    /// Link the selected claim or denial to its source.
    LinkSaidBy,
    /// Link the selected denial to the claim it denies.
    LinkDenies,
    /// Larger text.
    ZoomIn,
    /// Smaller text.
    ZoomOut,
    /// Text at its normal size.
    ZoomReset,
    /// Open a folder of articles (corpus sidebar).
    OpenFolder,
    /// Save and go to the next article of the folder.
    NextDocument,
    /// Save and go to the previous article of the folder.
    PrevDocument,
    /// Mark the article done (or not).
    ToggleDone,
    /// Find text in the article.
    Find,
    /// Next match.
    FindNext,
    /// Previous match.
    FindPrev,
    /// Search every article and note in the folder.
    FindInFolder,
    /// The settings window.
    Settings,
    /// Review mode on or off.
    ToggleReview,
    /// Accept the current machine tag.
    Accept,
    /// Accept (the other key).
    AcceptEnter,
    /// Reject the current machine tag.
    Reject,
    /// Leave the current tag for later.
    Skip,
    /// Next tag in the review queue.
    NextTag,
    /// Previous tag in the review queue.
    PrevTag,
    /// Undo the last review decision.
    UndoDecision,
    /// Show the keyboard shortcuts.
    Help,
}

const fn sc(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const CTRL_SHIFT: Modifiers = Modifiers {
    alt: false,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};
const ALT_SHIFT: Modifiers = Modifiers {
    alt: true,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: false,
};
const CTRL_ALT_SHIFT: Modifiers = Modifiers {
    alt: true,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};

impl Command {
    /// Every command, in help-overlay order.
    pub const ALL: [Command; 42] = [
        Command::Open,
        Command::Save,
        Command::SaveAs,
        Command::Quit,
        Command::Undo,
        Command::Redo,
        Command::RedoAlt,
        Command::Delete,
        Command::Escape,
        Command::NextSpan,
        Command::PrevSpan,
        Command::EndWordRight,
        Command::EndWordLeft,
        Command::StartWordLeft,
        Command::StartWordRight,
        Command::EndCharRight,
        Command::EndCharLeft,
        Command::StartCharLeft,
        Command::StartCharRight,
        Command::LinkSaidBy,
        Command::LinkDenies,
        Command::ZoomIn,
        Command::ZoomOut,
        Command::ZoomReset,
        Command::OpenFolder,
        Command::NextDocument,
        Command::PrevDocument,
        Command::ToggleDone,
        Command::Find,
        Command::FindNext,
        Command::FindPrev,
        Command::FindInFolder,
        Command::Settings,
        Command::ToggleReview,
        Command::Accept,
        Command::AcceptEnter,
        Command::Reject,
        Command::Skip,
        Command::NextTag,
        Command::PrevTag,
        Command::UndoDecision,
        Command::Help,
    ];

    /// Short name, as in menus.
    pub fn name(self) -> &'static str {
        match self {
            Command::Open => "Open…",
            Command::Save => "Save",
            Command::SaveAs => "Save As…",
            Command::Quit => "Quit",
            Command::Undo => "Undo",
            Command::Redo | Command::RedoAlt => "Redo",
            Command::Delete => "Delete span",
            Command::Escape => "Clear selection",
            Command::NextSpan => "Next span",
            Command::PrevSpan => "Previous span",
            Command::EndWordRight => "End one word right",
            Command::EndWordLeft => "End one word left",
            Command::StartWordLeft => "Start one word left",
            Command::StartWordRight => "Start one word right",
            Command::EndCharRight => "End one character right",
            Command::EndCharLeft => "End one character left",
            Command::StartCharLeft => "Start one character left",
            Command::StartCharRight => "Start one character right",
            Command::LinkSaidBy => "Link to source (said by)…",
            Command::LinkDenies => "Link to denied claim…",
            Command::ZoomIn => "Zoom in",
            Command::ZoomOut => "Zoom out",
            Command::ZoomReset => "Reset zoom",
            Command::OpenFolder => "Open Folder…",
            Command::NextDocument => "Next article",
            Command::PrevDocument => "Previous article",
            Command::ToggleDone => "Mark article done",
            Command::Find => "Find…",
            Command::FindNext => "Find next",
            Command::FindPrev => "Find previous",
            Command::FindInFolder => "Find in folder…",
            Command::Settings => "Settings…",
            Command::ToggleReview => "Review mode",
            Command::Accept | Command::AcceptEnter => "Accept tag",
            Command::Reject => "Reject tag",
            Command::Skip => "Skip tag",
            Command::NextTag => "Next tag",
            Command::PrevTag => "Previous tag",
            Command::UndoDecision => "Undo decision",
            Command::Help => "Keyboard shortcuts",
        }
    }

    /// What it does, for tooltips and the help overlay.
    pub fn tooltip(self) -> &'static str {
        match self {
            Command::Open => "Open an article (.txt) or its annotation file (.tandai.ron)",
            Command::Save => "Save the annotations beside the article",
            Command::SaveAs => "Save the annotations to another file",
            Command::Quit => "Close tandai (asks about unsaved changes)",
            Command::Undo => "Undo the last change",
            Command::Redo | Command::RedoAlt => "Redo the last undone change",
            Command::Delete => "Delete the selected span and its links",
            Command::Escape => "Close the find bar, or clear the selection and cancel linking",
            Command::NextSpan => "Select the next span in the article",
            Command::PrevSpan => "Select the previous span in the article",
            Command::EndWordRight => "Extend the selected span's end by one word",
            Command::EndWordLeft => "Pull the selected span's end back by one word",
            Command::StartWordLeft => "Extend the selected span's start by one word",
            Command::StartWordRight => "Pull the selected span's start in by one word",
            Command::EndCharRight => "Extend the selected span's end by one character",
            Command::EndCharLeft => "Pull the selected span's end back by one character",
            Command::StartCharLeft => "Extend the selected span's start by one character",
            Command::StartCharRight => "Pull the selected span's start in by one character",
            Command::LinkSaidBy => {
                "With a claim or denial selected: click (or pick) its source to link them"
            }
            Command::LinkDenies => {
                "With a denial selected: click (or pick) the claim it denies to link them"
            }
            Command::ZoomIn => "Make the article text larger",
            Command::ZoomOut => "Make the article text smaller",
            Command::ZoomReset => "Show the article text at its normal size",
            Command::OpenFolder => {
                "Open a folder: every article below it is listed with its progress"
            }
            Command::NextDocument => "Save this article and open the next one in the folder",
            Command::PrevDocument => "Save this article and open the previous one in the folder",
            Command::ToggleDone => {
                "Mark this article as finished (or not); the folder sidebar counts done articles"
            }
            Command::Find => {
                "Find text in the article; Enter / Shift+Enter step through the matches"
            }
            Command::FindNext => "Go to the next match of the find bar",
            Command::FindPrev => "Go to the previous match of the find bar",
            Command::FindInFolder => {
                "Search the text and notes of every article in the open folder"
            }
            Command::Settings => "Annotator name, autosave interval, word snapping, text size",
            Command::ToggleReview => {
                "Step through the machine tags waiting for review, one key per decision"
            }
            Command::Accept | Command::AcceptEnter => {
                "Review: accept the current machine tag and go to the next"
            }
            Command::Reject => {
                "Review: reject the current machine tag (kept in the file, hidden) and go to the next"
            }
            Command::Skip => "Review: leave the current tag pending and go to the next",
            Command::NextTag => "Review: go to the next tag in the queue",
            Command::PrevTag => "Review: go to the previous tag in the queue",
            Command::UndoDecision => "Review: take back the last decision and go back to its tag",
            Command::Help => "Show every command and its key",
        }
    }

    /// Its keyboard shortcut.
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let c = Modifiers::COMMAND;
        let s = Modifiers::SHIFT;
        let n = Modifiers::NONE;
        Some(match self {
            Command::Open => sc(c, Key::O),
            Command::Save => sc(c, Key::S),
            Command::SaveAs => sc(CTRL_SHIFT, Key::S),
            Command::Quit => sc(c, Key::Q),
            Command::Undo => sc(c, Key::Z),
            Command::Redo => sc(CTRL_SHIFT, Key::Z),
            Command::RedoAlt => sc(c, Key::Y),
            Command::Delete => sc(n, Key::Delete),
            Command::Escape => sc(n, Key::Escape),
            Command::NextSpan => sc(n, Key::Tab),
            Command::PrevSpan => sc(s, Key::Tab),
            Command::EndWordRight => sc(s, Key::ArrowRight),
            Command::EndWordLeft => sc(s, Key::ArrowLeft),
            Command::StartWordLeft => sc(CTRL_SHIFT, Key::ArrowLeft),
            Command::StartWordRight => sc(CTRL_SHIFT, Key::ArrowRight),
            Command::EndCharRight => sc(ALT_SHIFT, Key::ArrowRight),
            Command::EndCharLeft => sc(ALT_SHIFT, Key::ArrowLeft),
            Command::StartCharLeft => sc(CTRL_ALT_SHIFT, Key::ArrowLeft),
            Command::StartCharRight => sc(CTRL_ALT_SHIFT, Key::ArrowRight),
            Command::LinkSaidBy => sc(n, Key::L),
            Command::LinkDenies => sc(n, Key::D),
            Command::ZoomIn => sc(c, Key::Equals),
            Command::ZoomOut => sc(c, Key::Minus),
            Command::ZoomReset => sc(c, Key::Num0),
            Command::OpenFolder => sc(CTRL_SHIFT, Key::O),
            Command::NextDocument => sc(c, Key::PageDown),
            Command::PrevDocument => sc(c, Key::PageUp),
            Command::ToggleDone => sc(c, Key::D),
            Command::Find => sc(c, Key::F),
            Command::FindNext => sc(n, Key::F3),
            Command::FindPrev => sc(s, Key::F3),
            Command::FindInFolder => sc(CTRL_SHIFT, Key::F),
            Command::Settings => sc(c, Key::Comma),
            Command::ToggleReview => sc(n, Key::R),
            Command::Accept => sc(n, Key::A),
            Command::AcceptEnter => sc(n, Key::Enter),
            Command::Reject => sc(n, Key::X),
            Command::Skip => sc(n, Key::Space),
            Command::NextTag => sc(n, Key::N),
            Command::PrevTag => sc(n, Key::P),
            Command::UndoDecision => sc(n, Key::Backspace),
            Command::Help => sc(n, Key::F1),
        })
    }

    /// Whether the shortcut is a plain key that typing text must not trigger.
    pub fn is_plain_key(self) -> bool {
        self.shortcut().is_some_and(|s| {
            !s.modifiers.command && !s.modifiers.ctrl && !matches!(s.logical_key, Key::F1 | Key::F3)
        })
    }

    /// Whether the command only means something in review mode (its key is
    /// left alone otherwise: Enter and Space still press buttons).
    pub fn is_review(self) -> bool {
        matches!(
            self,
            Command::Accept
                | Command::AcceptEnter
                | Command::Reject
                | Command::Skip
                | Command::NextTag
                | Command::PrevTag
                | Command::UndoDecision
        )
    }

    /// Commands in the order the keyboard handler must try them: shortcuts
    /// with more modifiers first, since egui matches extra Shift and Alt
    /// loosely (Shift+Tab must not be read as Tab).
    /// Sorted once; the keyboard handler reads it every frame.
    pub fn by_specificity() -> &'static [Command] {
        static ORDER: std::sync::LazyLock<Vec<Command>> = std::sync::LazyLock::new(|| {
            let mut all = Command::ALL.to_vec();
            all.sort_by_key(|c| {
                std::cmp::Reverse(c.shortcut().map_or(0, |s| {
                    let m = s.modifiers;
                    u8::from(m.command || m.ctrl) + u8::from(m.shift) + u8::from(m.alt)
                }))
            });
            all
        });
        &ORDER
    }
}

/// The egui key for a schema label key (a digit or a letter).
pub fn key_for_char(c: char) -> Option<Key> {
    Key::from_name(&c.to_ascii_uppercase().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in Command::ALL {
            let s = c.shortcut().unwrap();
            assert!(
                seen.insert((
                    s.modifiers.command,
                    s.modifiers.shift,
                    s.modifiers.alt,
                    s.logical_key
                )),
                "{c:?}"
            );
            assert!(!c.name().is_empty() && !c.tooltip().is_empty());
        }
    }

    #[test]
    fn more_specific_shortcuts_come_first() {
        let order = Command::by_specificity();
        let pos = |c| order.iter().position(|&x| x == c).unwrap();
        assert!(pos(Command::PrevSpan) < pos(Command::NextSpan));
        assert!(pos(Command::Redo) < pos(Command::Undo));
        assert!(pos(Command::StartCharLeft) < pos(Command::StartWordLeft));
        assert!(pos(Command::StartWordLeft) < pos(Command::EndWordLeft));
        assert!(pos(Command::EndCharLeft) < pos(Command::EndWordLeft));
    }

    #[test]
    fn label_keys_map_to_egui_keys() {
        assert_eq!(key_for_char('1'), Some(Key::Num1));
        assert_eq!(key_for_char('c'), Some(Key::C));
        assert_eq!(key_for_char('☃'), None);
    }
}
