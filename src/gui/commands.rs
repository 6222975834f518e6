//! Every action of the app, with its name, shortcuts and tooltip, defined
//! once in one table. The menu bar, the toolbar tooltips, the keyboard
//! handler and the help overlay all read [`Command`]; the list of commands
//! is generated from the same table, so a command cannot be left without a
//! key or out of the help.
//!
//! Schema label keys are the second kind of key: [`crate::schema`] refuses a
//! label key that a plain-key command uses ([`crate::schema::RESERVED_KEYS`]),
//! and a test here checks that list against this table.

use egui::{Key, KeyboardShortcut, Modifiers};

use Key::{
    A, ArrowDown, ArrowLeft, ArrowRight, ArrowUp, B, Backspace, Comma, D, Delete, E, End, Enter,
    Equals, Escape, F, F1, F3, G, Home, K, L, Minus, N, Num0, Num1, Num2, Num3, O, P, PageDown,
    PageUp, Q, R, S, Space, Tab, W, X, Y, Z,
};

const COMMAND: Modifiers = Modifiers::COMMAND;
const SHIFT: Modifiers = Modifiers::SHIFT;
const NONE: Modifiers = Modifiers::NONE;
const ALT: Modifiers = Modifiers::ALT;
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

/// Defines [`Command`] and its table: each variant with its menu name,
/// tooltip and one or more shortcuts (the first is the one shown).
macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident {
            name: $name:literal,
            tip: $tip:literal,
            keys: [$(($mods:expr, $key:expr)),+ $(,)?],
        },
    )+) => {
        /// An action the user can take.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Command {
            $($(#[doc = $doc])* $variant,)+
        }

        impl Command {
            /// Every command, in help-overlay order.
            pub const ALL: &'static [Command] = &[$(Command::$variant,)+];

            /// Short name, as in menus.
            pub fn name(self) -> &'static str {
                match self {
                    $(Command::$variant => $name,)+
                }
            }

            /// What it does, for tooltips and the help overlay.
            pub fn tooltip(self) -> &'static str {
                match self {
                    $(Command::$variant => $tip,)+
                }
            }

            /// Its keyboard shortcuts; the first is the one menus show.
            pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
                match self {
                    $(Command::$variant => const { &[$(KeyboardShortcut::new($mods, $key)),+] },)+
                }
            }
        }
    };
}

commands! {
    /// Open an article or annotation file.
    Open {
        name: "Open…",
        tip: "Open an article (.txt) or its annotation file (.tandai.ron)",
        keys: [(COMMAND, O)],
    },
    /// Save the annotations.
    Save {
        name: "Save",
        tip: "Save the annotations beside the article",
        keys: [(COMMAND, S)],
    },
    /// Save the annotations to another file.
    SaveAs {
        name: "Save As…",
        tip: "Save the annotations to another file",
        keys: [(CTRL_SHIFT, S)],
    },
    /// Close the window (asks about unsaved changes).
    Quit {
        name: "Quit",
        tip: "Close tandai (asks about unsaved changes)",
        keys: [(COMMAND, Q)],
    },
    /// Undo the last edit.
    Undo {
        name: "Undo",
        tip: "Undo the last change",
        keys: [(COMMAND, Z)],
    },
    /// Redo the last undone edit.
    Redo {
        name: "Redo",
        tip: "Redo the last undone change",
        keys: [(CTRL_SHIFT, Z), (COMMAND, Y)],
    },
    /// Delete the selected span and its links.
    Delete {
        name: "Delete span",
        tip: "Delete the selected span and its links",
        keys: [(NONE, Delete)],
    },
    /// Clear the selection, cancel linking.
    Escape {
        name: "Clear selection",
        tip: "Close the find bar, or clear the selection and cancel linking",
        keys: [(NONE, Escape)],
    },
    /// Select the next span.
    NextSpan {
        name: "Next span",
        tip: "Select the next span in the article",
        keys: [(NONE, Tab)],
    },
    /// Select the previous span.
    PrevSpan {
        name: "Previous span",
        tip: "Select the previous span in the article",
        keys: [(SHIFT, Tab)],
    },
    /// Move the caret one character left.
    CaretLeft {
        name: "Caret left",
        tip: "Move the caret one character left (no span stays selected)",
        keys: [(NONE, ArrowLeft)],
    },
    /// Move the caret one character right.
    CaretRight {
        name: "Caret right",
        tip: "Move the caret one character right",
        keys: [(NONE, ArrowRight)],
    },
    /// Move the caret one row up.
    CaretUp {
        name: "Caret up",
        tip: "Move the caret one row up",
        keys: [(NONE, ArrowUp)],
    },
    /// Move the caret one row down.
    CaretDown {
        name: "Caret down",
        tip: "Move the caret one row down",
        keys: [(NONE, ArrowDown)],
    },
    /// Move the caret to the start of the word before.
    WordLeft {
        name: "Word left",
        tip: "Move the caret to the start of the word before it",
        keys: [(COMMAND, ArrowLeft)],
    },
    /// Move the caret to the end of the word after.
    WordRight {
        name: "Word right",
        tip: "Move the caret to the end of the word after it",
        keys: [(COMMAND, ArrowRight)],
    },
    /// Move the caret to the start of its row.
    RowStart {
        name: "Start of row",
        tip: "Move the caret to the start of its row",
        keys: [(NONE, Home)],
    },
    /// Move the caret to the end of its row.
    RowEnd {
        name: "End of row",
        tip: "Move the caret to the end of its row",
        keys: [(NONE, End)],
    },
    /// Move the caret one screen up.
    PageUp {
        name: "Page up",
        tip: "Move the caret (and the view) one screen up",
        keys: [(NONE, PageUp)],
    },
    /// Move the caret one screen down.
    PageDown {
        name: "Page down",
        tip: "Move the caret (and the view) one screen down",
        keys: [(NONE, PageDown)],
    },
    /// Move the caret to the start of the article.
    ArticleStart {
        name: "Start of article",
        tip: "Move the caret to the start of the article",
        keys: [(COMMAND, Home)],
    },
    /// Move the caret to the end of the article.
    ArticleEnd {
        name: "End of article",
        tip: "Move the caret to the end of the article",
        keys: [(COMMAND, End)],
    },
    /// Select from the caret one row up.
    SelectUp {
        name: "Select up",
        tip: "Select from the caret one row up (snapped to words)",
        keys: [(SHIFT, ArrowUp)],
    },
    /// Select from the caret one row down.
    SelectDown {
        name: "Select down",
        tip: "Select from the caret one row down (snapped to words)",
        keys: [(SHIFT, ArrowDown)],
    },
    /// Select from the caret to the start of its row.
    SelectRowStart {
        name: "Select to start of row",
        tip: "Select from the caret to the start of its row",
        keys: [(SHIFT, Home)],
    },
    /// Select from the caret to the end of its row.
    SelectRowEnd {
        name: "Select to end of row",
        tip: "Select from the caret to the end of its row",
        keys: [(SHIFT, End)],
    },
    /// Select from the caret one screen up.
    SelectPageUp {
        name: "Select page up",
        tip: "Select from the caret one screen up",
        keys: [(SHIFT, PageUp)],
    },
    /// Select from the caret one screen down.
    SelectPageDown {
        name: "Select page down",
        tip: "Select from the caret one screen down",
        keys: [(SHIFT, PageDown)],
    },
    /// Move the selected span's end one word right.
    EndWordRight {
        name: "End one word right",
        tip: "With a span selected: extend its end by one word. Otherwise: select from the caret one word further right",
        keys: [(SHIFT, ArrowRight)],
    },
    /// Move the selected span's end one word left.
    EndWordLeft {
        name: "End one word left",
        tip: "With a span selected: pull its end back by one word. Otherwise: select from the caret one word further left",
        keys: [(SHIFT, ArrowLeft)],
    },
    /// Move the selected span's start one word left.
    StartWordLeft {
        name: "Start one word left",
        tip: "With a span selected: extend its start by one word. Otherwise: select one word further left",
        keys: [(CTRL_SHIFT, ArrowLeft)],
    },
    /// Move the selected span's start one word right.
    StartWordRight {
        name: "Start one word right",
        tip: "With a span selected: pull its start in by one word. Otherwise: select one word further right",
        keys: [(CTRL_SHIFT, ArrowRight)],
    },
    /// Move the selected span's end one character right.
    EndCharRight {
        name: "End one character right",
        tip: "With a span selected: extend its end by one character. Otherwise: select one character further right, exactly",
        keys: [(ALT_SHIFT, ArrowRight)],
    },
    /// Move the selected span's end one character left.
    EndCharLeft {
        name: "End one character left",
        tip: "With a span selected: pull its end back by one character. Otherwise: select one character further left, exactly",
        keys: [(ALT_SHIFT, ArrowLeft)],
    },
    /// Move the selected span's start one character left.
    StartCharLeft {
        name: "Start one character left",
        tip: "With a span selected: extend its start by one character. Otherwise: select one character further left, exactly",
        keys: [(CTRL_ALT_SHIFT, ArrowLeft)],
    },
    /// Move the selected span's start one character right.
    StartCharRight {
        name: "Start one character right",
        tip: "With a span selected: pull its start in by one character. Otherwise: select one character further right, exactly",
        keys: [(CTRL_ALT_SHIFT, ArrowRight)],
    },
    /// Link the selected claim or denial to its source.
    LinkSaidBy {
        name: "Link to source (said by)…",
        tip: "With a claim or denial selected: click (or pick) its source to link them",
        keys: [(NONE, L)],
    },
    /// Link the selected denial to the claim it denies.
    LinkDenies {
        name: "Link to denied claim…",
        tip: "With a denial selected: click (or pick) the claim it denies to link them",
        keys: [(NONE, D)],
    },
    /// Larger text.
    ZoomIn {
        name: "Zoom in",
        tip: "Make the article text larger",
        keys: [(COMMAND, Equals)],
    },
    /// Smaller text.
    ZoomOut {
        name: "Zoom out",
        tip: "Make the article text smaller",
        keys: [(COMMAND, Minus)],
    },
    /// Text at its normal size.
    ZoomReset {
        name: "Reset zoom",
        tip: "Show the article text at its normal size",
        keys: [(COMMAND, Num0)],
    },
    /// Compare the open annotations with another annotator's.
    CompareWith {
        name: "Compare with…",
        tip: "Agreement with another annotator's file (or folder) of the same articles, and where the two differ",
        keys: [(CTRL_SHIFT, K)],
    },
    /// Open a folder of articles (corpus sidebar).
    OpenFolder {
        name: "Open Folder…",
        tip: "Open a folder: every article below it is listed with its progress",
        keys: [(CTRL_SHIFT, O)],
    },
    /// Type the path of a file or folder to open, with completion.
    OpenPath {
        name: "Open path…",
        tip: "Type or paste the path of a file or folder to open, with completion and the recent list",
        keys: [(COMMAND, L)],
    },
    /// Save and go to the next article of the folder.
    NextDocument {
        name: "Next article",
        tip: "Save this article and open the next one in the folder",
        keys: [(COMMAND, PageDown)],
    },
    /// Save and go to the previous article of the folder.
    PrevDocument {
        name: "Previous article",
        tip: "Save this article and open the previous one in the folder",
        keys: [(COMMAND, PageUp)],
    },
    /// Mark the article done (or not).
    ToggleDone {
        name: "Mark article done",
        tip: "Mark this article as finished (or not); the folder sidebar counts done articles",
        keys: [(COMMAND, D)],
    },
    /// Find text in the article.
    Find {
        name: "Find…",
        tip: "Find text in the article; Enter / Shift+Enter step through the matches",
        keys: [(COMMAND, F)],
    },
    /// Next match.
    FindNext {
        name: "Find next",
        tip: "Go to the next match of the find bar",
        keys: [(NONE, F3)],
    },
    /// Previous match.
    FindPrev {
        name: "Find previous",
        tip: "Go to the previous match of the find bar",
        keys: [(SHIFT, F3)],
    },
    /// Search every article and note in the folder.
    FindInFolder {
        name: "Find in folder…",
        tip: "Search the text and notes of every article in the open folder",
        keys: [(CTRL_SHIFT, F)],
    },
    /// The settings window.
    Settings {
        name: "Settings…",
        tip: "Annotator name, autosave interval, word snapping, text size",
        keys: [(COMMAND, Comma)],
    },
    /// Review mode on or off.
    ToggleReview {
        name: "Review mode",
        tip: "Step through the machine tags waiting for review, one key per decision",
        keys: [(NONE, R)],
    },
    /// Accept the current machine tag.
    Accept {
        name: "Accept tag",
        tip: "Review: accept the current machine tag and go to the next",
        keys: [(NONE, A), (NONE, Enter)],
    },
    /// Reject the current machine tag.
    Reject {
        name: "Reject tag",
        tip: "Review: reject the current machine tag (kept in the file, hidden) and go to the next",
        keys: [(NONE, X)],
    },
    /// Leave the current tag for later.
    Skip {
        name: "Skip tag",
        tip: "Review: leave the current tag pending and go to the next",
        keys: [(NONE, Space)],
    },
    /// Next tag in the review queue.
    NextTag {
        name: "Next tag",
        tip: "Review: go to the next tag in the queue",
        keys: [(NONE, N)],
    },
    /// Previous tag in the review queue.
    PrevTag {
        name: "Previous tag",
        tip: "Review: go to the previous tag in the queue",
        keys: [(NONE, P)],
    },
    /// Name the entity a source span refers to.
    NameEntity {
        name: "Who is this source…",
        tip: "Say which person or body the selected source span names (John Kirby for “Kirby”, “dia”…)",
        keys: [(NONE, E)],
    },
    /// The attribution table of the article or the folder.
    WhoSaidWhat {
        name: "Who said what",
        tip: "Every claim and denial with its source, grouped by who said it; export as CSV",
        keys: [(CTRL_SHIFT, W)],
    },
    /// Machine tags for the open article from tandai's rules or the
    /// settings' command.
    SuggestArticle {
        name: "Suggest tags for this article",
        tip: "Propose claims, sources and denials for this article (tandai's rules, or the command in Settings) for review",
        keys: [(CTRL_SHIFT, G)],
    },
    /// Machine tags for every article of the open folder.
    SuggestFolder {
        name: "Suggest tags for the folder",
        tip: "Propose claims, sources and denials for every article of the open folder, in the background, for review",
        keys: [(CTRL_ALT_SHIFT, G)],
    },
    /// Settle the current dispute for the first alternative.
    TakeFirst {
        name: "Take the first alternative",
        tip: "Adjudication: settle the current dispute with the first annotator's version",
        keys: [(ALT, Num1)],
    },
    /// Settle the current dispute for the second alternative.
    TakeSecond {
        name: "Take the second alternative",
        tip: "Adjudication: settle the current dispute with the second annotator's version",
        keys: [(ALT, Num2)],
    },
    /// Settle the current dispute for the third alternative.
    TakeThird {
        name: "Take the third alternative",
        tip: "Adjudication: settle the current dispute with the third annotator's version",
        keys: [(ALT, Num3)],
    },
    /// Settle the current dispute taking every version (where they can
    /// coexist).
    TakeBoth {
        name: "Take both",
        tip: "Adjudication: keep every annotator's version, where they can stand together",
        keys: [(ALT, B)],
    },
    /// Settle the current dispute taking none of its versions.
    TakeNeither {
        name: "Take neither",
        tip: "Adjudication: settle the current dispute with none of its versions",
        keys: [(ALT, Num0)],
    },
    /// Undo the last review decision.
    UndoDecision {
        name: "Undo decision",
        tip: "Review or adjudication: take back the last decision and go back to its place",
        keys: [(NONE, Backspace)],
    },
    /// Show the keyboard shortcuts.
    Help {
        name: "Keyboard shortcuts",
        tip: "Show every command and its key",
        keys: [(NONE, F1)],
    },
}

impl Command {
    /// The shortcut shown in menus and tooltips.
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        self.shortcuts().first().copied()
    }

    /// Whether a shortcut is a plain key that typing text must not trigger.
    pub fn is_plain(s: &KeyboardShortcut) -> bool {
        !s.modifiers.command && !s.modifiers.ctrl && !matches!(s.logical_key, F1 | F3)
    }

    /// Whether a shortcut moves a text field's cursor (arrows, Home, End
    /// with any modifiers): left to a text field that has the focus.
    pub fn is_text_navigation(s: &KeyboardShortcut) -> bool {
        matches!(
            s.logical_key,
            ArrowLeft | ArrowRight | ArrowUp | ArrowDown | Home | End
        )
    }

    /// Whether the command only means something in review mode (its key is
    /// left alone otherwise: Enter and Space still press buttons).
    pub fn is_review(self) -> bool {
        matches!(
            self,
            Command::Accept
                | Command::Reject
                | Command::Skip
                | Command::NextTag
                | Command::PrevTag
                | Command::UndoDecision
        )
    }

    /// Every (command, shortcut) pair in the order the keyboard handler
    /// must try them: shortcuts with more modifiers first, since egui
    /// matches extra Shift and Alt loosely (Shift+Tab must not be read as
    /// Tab). Sorted once; the keyboard handler reads it every frame.
    pub fn by_specificity() -> &'static [(Command, KeyboardShortcut)] {
        static ORDER: std::sync::LazyLock<Vec<(Command, KeyboardShortcut)>> =
            std::sync::LazyLock::new(|| {
                let mut all: Vec<_> = Command::ALL
                    .iter()
                    .flat_map(|&c| c.shortcuts().iter().map(move |&s| (c, s)))
                    .collect();
                all.sort_by_key(|(_, s)| {
                    let m = s.modifiers;
                    std::cmp::Reverse(
                        u8::from(m.command || m.ctrl) + u8::from(m.shift) + u8::from(m.alt),
                    )
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

    fn id(s: KeyboardShortcut) -> (bool, bool, bool, Key) {
        let m = s.modifiers;
        (m.command || m.ctrl, m.shift, m.alt, s.logical_key)
    }

    #[test]
    fn every_command_has_a_key_a_name_and_a_tooltip_and_no_two_keys_collide() {
        let mut seen = std::collections::HashMap::new();
        for &c in Command::ALL {
            assert!(!c.shortcuts().is_empty(), "{c:?} has no key");
            assert!(!c.name().is_empty() && !c.tooltip().is_empty(), "{c:?}");
            for s in c.shortcuts() {
                if let Some(other) = seen.insert(id(*s), c) {
                    panic!("{c:?} and {other:?} share a key");
                }
            }
        }
    }

    #[test]
    fn schema_reserved_keys_are_exactly_the_plain_letter_commands() {
        let mut plain: Vec<(char, Command)> = Command::ALL
            .iter()
            .flat_map(|&c| c.shortcuts().iter().map(move |s| (c, s)))
            .filter(|(_, s)| s.modifiers == Modifiers::NONE)
            .filter_map(|(c, s)| {
                let name = s.logical_key.name();
                let mut chars = name.chars();
                match (chars.next(), chars.next()) {
                    (Some(ch), None) if ch.is_ascii_alphanumeric() => {
                        Some((ch.to_ascii_lowercase(), c))
                    }
                    _ => None,
                }
            })
            .collect();
        plain.sort_by_key(|p| p.0);
        let mut reserved: Vec<(char, &str)> = crate::schema::RESERVED_KEYS.to_vec();
        reserved.sort_by_key(|p| p.0);
        assert_eq!(
            plain.iter().map(|p| p.0).collect::<Vec<_>>(),
            reserved.iter().map(|p| p.0).collect::<Vec<_>>()
        );
        for ((_, c), (_, said)) in plain.iter().zip(&reserved) {
            assert_eq!(
                c.name(),
                *said,
                "the schema names the command as the menu does"
            );
        }
        // And no label key the schema accepts can reach a command.
        for (ch, _) in &reserved {
            let k = key_for_char(*ch).unwrap();
            assert!(plain.iter().any(|(p, _)| key_for_char(*p) == Some(k)));
        }
    }

    #[test]
    fn more_specific_shortcuts_come_first() {
        let order = Command::by_specificity();
        let pos = |c: Command, key: Key| {
            order
                .iter()
                .position(|(x, s)| *x == c && s.logical_key == key)
                .unwrap()
        };
        assert!(pos(Command::PrevSpan, Tab) < pos(Command::NextSpan, Tab));
        assert!(pos(Command::Redo, Z) < pos(Command::Undo, Z));
        assert!(pos(Command::StartCharLeft, ArrowLeft) < pos(Command::StartWordLeft, ArrowLeft));
        assert!(pos(Command::StartWordLeft, ArrowLeft) < pos(Command::EndWordLeft, ArrowLeft));
        assert!(pos(Command::EndCharLeft, ArrowLeft) < pos(Command::EndWordLeft, ArrowLeft));
    }

    #[test]
    fn label_keys_map_to_egui_keys() {
        assert_eq!(key_for_char('1'), Some(Key::Num1));
        assert_eq!(key_for_char('c'), Some(Key::C));
        assert_eq!(key_for_char('☃'), None);
    }
}
