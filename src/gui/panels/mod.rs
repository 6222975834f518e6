//! The panels around the article. Each reads the session and pushes
//! [`crate::gui::Action`]s; none changes the document itself.

pub mod adjudicate;
pub mod bars;
pub mod compare;
pub mod corpus;
pub mod entities;
pub mod find_bar;
pub mod folder_search;
pub mod inspector;
pub mod overlays;
pub mod path_field;
pub mod review_bar;
pub mod span_list;
pub mod start;

/// Where windows (help, settings, find in folder, scorecard) first open:
/// below the menu bar and toolbar, never over them.
pub const WINDOW_POS: egui::Pos2 = egui::pos2(300.0, 84.0);
